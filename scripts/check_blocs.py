#!/usr/bin/env python3
"""Cross-check entente's dated bloc membership tables against two outside sources.

Reads
  data/reference/blocs.csv         (id,name,kind,founded,source_url,source_note)
  data/reference/memberships.csv   (bloc,country,start,end,note)
and compares them with
  <shared>/blocs/worldcountrygroups_rosters.csv   current rosters, no dates (MIT)
  <shared>/cow/cow_igo_v3_selected_memberships_state_year.csv
                                                  COW IGO v3 state-years to 2014
  <shared>/countries/countrycode_codelist.csv     COW ccode -> ISO3 (cown, iso3c)
  <shared>/countries/iso3166-1.csv                valid ISO3 codes

<shared> defaults to ../shared/data next to the repository (the layout used
here and in CI); override with --shared DIR or ENTENTE_SHARED_DATA.

Every disagreement is printed. A disagreement that matches a documented
explanation below (same bloc, country and the same years / direction) is
printed as "explained"; anything else is printed as "UNEXPLAINED". If the data
change so that an explanation no longer matches exactly, the difference shows
up as UNEXPLAINED again, so explanations cannot silently go stale.

Exit status: 0 when the schema checks pass and every disagreement is
explained, 1 otherwise. Standard library only.

Conventions checked (see data/reference/NOTES-blocs.md):
  * dates are YYYY-MM-DD; `end` empty means still a member;
  * `end` is the exit date as usually cited (day the exit took effect); a spell
    counts as covering calendar year Y when start <= Y-12-31 and
    (end is empty or end > Y-01-01);
  * historical ids SUN, DDR, CSK, YUG, SCG, YMD only for dissolved states.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REF = REPO / "data" / "reference"

BLOC_HEADER = ["id", "name", "kind", "founded", "source_url", "source_note"]
MEMB_HEADER = ["bloc", "country", "start", "end", "note"]
KINDS = {"alliance", "economic", "political", "forum"}

# Historical ids for dissolved states, with the last day they can be a member.
HISTORICAL = {
    "SUN": dt.date(1991, 12, 26),  # USSR
    "DDR": dt.date(1990, 10, 3),   # East Germany
    "CSK": dt.date(1992, 12, 31),  # Czechoslovakia
    "YUG": dt.date(1992, 4, 27),   # SFR Yugoslavia
    "SCG": dt.date(2006, 6, 3),    # Serbia and Montenegro
    "YMD": dt.date(1990, 5, 22),   # South Yemen
}

# Our bloc id -> roster gid(s) in worldcountrygroups_rosters.csv.
ROSTER_GID = {
    "nato": "nato", "eu": "eu", "sco": "sco", "brics": "brics11", "csto": "csto",
    "eaeu": "eaeu", "cis": "cis", "g7": "g7", "g20": "g20", "asean": "asean",
    "au": "au", "arab_league": "las", "gcc": "gcc", "opec": "opec",
    "quad": "quad", "aukus": "aukus",
}
# Roster rows with an empty iso3: fix by name; None = not a state, skip.
ROSTER_NAME_FIX = {
    "Congo, Dem. Rep.": "COD",
    "Turkey": "TUR",
    "European Union": None,
}

# Our bloc id -> COW IGO ionames (status 1 = full member only).
COW_IONAMES = {
    "nato": ["NATO"], "eu": ["EEC", "EU"], "sco": ["SCO"], "csto": ["CSTO"],
    "cis": ["CIS"], "asean": ["ASEAN"], "gcc": ["GCC"], "arab_league": ["LOAS"],
    "opec": ["OPEC"], "oau": ["OAU"], "au": ["AU"], "warsaw_pact": ["WPact"],
    "comecon": ["CMEA"],
}
COW_LAST_YEAR = 2014

# ---------------------------------------------------------------------------
# Documented explanations.
# COW: (bloc, country) -> (ours_only, cow_only, reason); year ranges as printed.
# ROSTER: (bloc, country, side) -> reason; side "ours_only" or "roster_only".
# Keep in step with data/reference/NOTES-blocs.md.
# ---------------------------------------------------------------------------
COW_EXPLAINED: dict[tuple[str, str], tuple[str, str, str]] = {
    # Arab League (COW LOAS)
    ("arab_league", "JOR"): ("1945", "-", "founding signatory 1945-03-22 as Transjordan; COW's state system starts Jordan in 1946 (independence 1946-05-25)"),
    ("arab_league", "LBN"): ("1945", "-", "founding signatory 1945-03-22; COW's state system starts Lebanon in 1946"),
    ("arab_league", "SYR"): ("1945", "2012-2014", "1945: founding signatory, COW starts Syria in 1946. 2012-2014: Syria suspended 2011-11-16 (readmitted 2023-05-07); COW still codes full membership"),
    ("arab_league", "PSE"): ("1976-2014", "-", "Palestine (PLO, admitted 1976-09-09) has no COW state code, so COW cannot list it"),
    ("arab_league", "YEM"): ("1965-1966", "-", "COW codes no North Yemen membership in 1965-1966 (civil-war years); no exit or suspension is known, so the spell is kept continuous"),
    ("arab_league", "YMD"): ("1967-1990", "-", "South Yemen (PDRY) was a member 1967-12-12..1990-05-22; COW's LOAS rows omit it entirely (COW omission)"),
    # African Union / OAU
    ("au", "COD"): ("2003-2005", "-", "COW codes no AU membership for DR Congo 2003-2005; no exit or suspension is known (COW gap)"),
    ("au", "ESH"): ("2002-2014", "-", "Sahrawi Arab Democratic Republic is an AU member state but has no COW state code"),
    ("au", "GNQ"): ("2006-2014", "-", "COW codes Equatorial Guinea in the AU only 2002-2005; no exit is known (COW gap); Equatorial Guinea is in the current roster"),
    ("oau", "AGO"): ("-", "1975", "OAU admitted Angola 1976-02-11 (MPLA government recognised in Feb 1976); COW starts in the independence year 1975"),
    ("oau", "COD"): ("1985-2002", "-", "Zaire reportedly suspended its participation in Nov 1984 (solidarity with Morocco) but never withdrew from the OAU; COW stops coding it after 1984. Kept as member (suspension is not exit)"),
    ("oau", "ESH"): ("1982-2002", "-", "Sahrawi Arab Democratic Republic (admitted 1982) has no COW state code"),
    ("oau", "GNB"): ("1973", "-", "OAU admitted Guinea-Bissau 1973-11-19 after its unilateral independence declaration; COW's state system starts it in 1974 (Portuguese recognition)"),
    ("oau", "MAR"): ("1963-1964", "-", "the AU lists Morocco as a 1963 founding member (it signed the Charter later in 1963); COW codes OAU membership from 1965"),
    ("oau", "TZA"): ("1963", "-", "Tanganyika was a founding signatory in 1963; COW codes OAU membership only from 1964 (union with Zanzibar, Tanzania)"),
    # CIS
    ("cis", "GEO"): ("1993-1994,2008-2009", "-", "Georgia joined in Dec 1993 (ratified March 1994) and its exit took effect 2009-08-18; COW codes 1995-2007 only"),
    ("cis", "TKM"): ("2005", "-", "Turkmenistan became an associate member 2005-08-26; the full-member spell here still covers part of 2005, COW codes associate for all of 2005"),
    ("cis", "UKR"): ("1993-2014", "-", "Ukraine never ratified the 1993 CIS Charter; COW codes it associate (status 2) from 1993. Kept here as participating member until the 2018-05-19 decree (decision documented in NOTES-blocs.md)"),
    # Comecon (COW CMEA)
    ("comecon", "AFG"): ("-", "1981-1985", "Afghanistan had at most observer status (not verified by search), not membership; COW codes it as full member"),
    ("comecon", "ALB"): ("1949,1960-1961", "-", "Albania joined Feb 1949 and stopped taking part only at the end of 1961; COW codes 1950-1959"),
    ("comecon", "BGR"): ("1956-1957", "-", "COW has a 1956-1957 gap for Bulgaria; no exit is known (COW gap)"),
    ("comecon", "CSK"): ("1965-1991", "-", "Czechoslovakia was a member until dissolution in 1991; COW stops coding it after 1964 (COW gap)"),
    ("comecon", "DDR"): ("1950-1953,1960-1964,1990", "-", "East Germany was a member 1950 until reunification 1990-10-03; COW codes only 1954-1959 and 1965-1989 (COW gaps)"),
    ("comecon", "FIN"): ("-", "1973-1991", "Finland had a cooperation agreement with Comecon (1973), not membership; COW codes it as full member"),
    ("comecon", "IRQ"): ("-", "1975-1991", "Iraq had a cooperation agreement (1975), not membership; COW codes it as full member"),
    ("comecon", "MEX"): ("-", "1975-1991", "Mexico had a cooperation agreement (1975), not membership; COW codes it as full member"),
    ("comecon", "MNG"): ("1962-1964", "-", "Mongolia joined in 1962 (year-only here); COW codes membership from 1965"),
    ("comecon", "YMD"): ("-", "1981-1985", "South Yemen had at most observer status (not verified by search), not membership; COW codes it as full member"),
    ("comecon", "YUG"): ("-", "1967-1991", "Yugoslavia was an associate (1964 agreement), not a full member; COW codes it as full member"),
    # CSTO
    ("csto", "UZB"): ("2012", "2002-2005", "Uzbekistan left the Treaty 1999-04-20 and restored membership 2006-06-23, suspended 2012-12-19; COW codes CSTO membership 2002-2011"),
    # OPEC
    ("opec", "AGO"): ("2007-2014", "-", "Angola joined OPEC 2007-01-01 (OPEC); COW's OPEC rows omit it (COW omission)"),
    ("opec", "ARE"): ("1967-1973", "-", "Abu Dhabi joined in 1967 and the membership passed to the UAE in 1974; COW codes the UAE from 1974"),
    ("opec", "ECU"): ("2007", "-", "Ecuador reactivated its membership in October 2007 (OPEC); COW codes it from 2008"),
    ("opec", "GAB"): ("-", "1973-1974,1995-1996", "Gabon was an associate member 1973-1975 and full member 1975 until January 1995 (OPEC); COW codes full membership 1973-1996"),
    ("opec", "KWT"): ("1960", "-", "Kuwait was a founder member in Sept 1960 while still a British protectorate; COW's state system starts Kuwait in 1961"),
    ("opec", "QAT"): ("1961-1970", "-", "Qatar joined in 1961 before independence (1971); COW's state system starts Qatar in 1971"),
    # Warsaw Pact
    ("warsaw_pact", "DDR"): ("1990", "-", "East Germany's withdrawal protocol was signed 1990-09-24; COW's last WPact year for it is 1989"),
    ("warsaw_pact", "GHA"): ("-", "1960-1964", "Ghana was never a Warsaw Pact member (Britannica lists the 8 signatories only); the COW rows look like a coding error"),
}
ROSTER_EXPLAINED: dict[tuple[str, str, str], str] = {
    ("asean", "TLS", "ours_only"): "Timor-Leste admitted 2025-10-26; the roster package predates or ignores it",
    ("brics", "SAU", "roster_only"): "Saudi Arabia was invited (2023-08-24) but has not confirmed membership; deliberately not listed (see NOTES-blocs.md)",
    ("cis", "TKM", "roster_only"): "Turkmenistan has been an associate member since 2005-08-26; associate status is not counted as membership here",
    ("nato", "FIN", "ours_only"): "roster is stale (28 members): Finland joined 2023-04-04",
    ("nato", "MKD", "ours_only"): "roster is stale (28 members): North Macedonia joined 2020-03-27",
    ("nato", "MNE", "ours_only"): "roster is stale (28 members): Montenegro joined 2017-06-05",
    ("nato", "SWE", "ours_only"): "roster is stale (28 members): Sweden joined 2024-03-07",
}


def parse_date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def ranges(years) -> str:
    ys = sorted(years)
    if not ys:
        return "-"
    out, a, b = [], ys[0], ys[0]
    for y in ys[1:]:
        if y == b + 1:
            b = y
        else:
            out.append(f"{a}" if a == b else f"{a}-{b}")
            a = b = y
    out.append(f"{a}" if a == b else f"{a}-{b}")
    return ",".join(out)


def covers(start: dt.date, end: dt.date | None, year: int) -> bool:
    return start <= dt.date(year, 12, 31) and (end is None or end > dt.date(year, 1, 1))


class Report:
    def __init__(self) -> None:
        self.errors = 0
        self.unexplained = 0
        self.explained = 0

    def error(self, msg: str) -> None:
        self.errors += 1
        print(f"  ERROR {msg}")


def load_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = [dict(zip(header, row)) for row in r]
    return header, rows


def check_schema(rep: Report, shared: Path):
    print("== 1. schema and consistency of data/reference/*.csv")
    bh, blocs = load_csv(REF / "blocs.csv")
    mh, memb = load_csv(REF / "memberships.csv")
    if bh != BLOC_HEADER:
        rep.error(f"blocs.csv header {bh} != {BLOC_HEADER}")
    if mh != MEMB_HEADER:
        rep.error(f"memberships.csv header {mh} != {MEMB_HEADER}")
    iso = set()
    with open(shared / "countries" / "iso3166-1.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            iso.add(row["alpha_3"])
    founded = {}
    for b in blocs:
        bid = b["id"]
        if bid != bid.lower() or not bid or bid in founded:
            rep.error(f"bad or duplicate bloc id {bid!r}")
        if b["kind"] not in KINDS:
            rep.error(f"bloc {bid}: kind {b['kind']!r} not in {sorted(KINDS)}")
        try:
            founded[bid] = parse_date(b["founded"])
        except ValueError:
            rep.error(f"bloc {bid}: bad founded date {b['founded']!r}")
        if not b["source_url"].startswith("https://"):
            rep.error(f"bloc {bid}: source_url should be an https URL")
    keys = []
    spells = defaultdict(list)
    for i, m in enumerate(memb, start=2):
        where = f"memberships.csv line {i} ({m['bloc']},{m['country']},{m['start']})"
        if m["bloc"] not in founded:
            rep.error(f"{where}: unknown bloc")
            continue
        c = m["country"]
        if c not in iso and c not in HISTORICAL:
            rep.error(f"{where}: {c} is neither ISO 3166-1 alpha-3 nor a historical id")
        try:
            s = parse_date(m["start"])
            e = parse_date(m["end"]) if m["end"] else None
        except ValueError:
            rep.error(f"{where}: bad date")
            continue
        if s < founded[m["bloc"]]:
            rep.error(f"{where}: start before the bloc was founded ({founded[m['bloc']]})")
        if e is not None and e <= s:
            rep.error(f"{where}: end {e} not after start {s}")
        if c in HISTORICAL and (e is None or e > HISTORICAL[c]):
            rep.error(f"{where}: historical id {c} must end by {HISTORICAL[c]}")
        if ("year-only" in m["note"]) and not (m["start"].endswith("-01-01") or m["end"].endswith("-01-01")):
            rep.error(f"{where}: note says year-only but no date is YYYY-01-01")
        keys.append((m["bloc"], c, m["start"]))
        spells[(m["bloc"], c)].append((s, e))
    if keys != sorted(keys):
        rep.error("memberships.csv is not sorted by bloc, country, start")
    if len(keys) != len(set(keys)):
        rep.error("duplicate (bloc, country, start) rows")
    for (b, c), sp in spells.items():
        sp.sort()
        for (s1, e1), (s2, _e2) in zip(sp, sp[1:]):
            if e1 is None or e1 > s2:
                rep.error(f"overlapping spells for {b}/{c}: {s1}..{e1} and {s2}..")
    unused = sorted(set(founded) - {b for b, _ in spells})
    if unused:
        rep.error(f"blocs without any membership row: {unused}")
    current = defaultdict(set)
    for (b, c), sp in spells.items():
        if any(e is None for _s, e in sp):
            current[b].add(c)
    print(f"  {len(blocs)} blocs, {len(memb)} membership rows, "
          f"{sum(len(v) for v in current.values())} current (bloc, member) pairs; "
          f"{rep.errors} error(s)")
    return blocs, spells, current


def report_diff(rep: Report, label: str, key, explained: str | None) -> None:
    if explained is not None:
        rep.explained += 1
        print(f"  explained   {label}\n      -> {explained}")
    else:
        rep.unexplained += 1
        print(f"  UNEXPLAINED {label}")


def check_rosters(rep: Report, shared: Path, current) -> None:
    print("\n== 2. current members vs worldcountrygroups_rosters.csv (no dates; package of 2026-03)")
    roster = defaultdict(set)
    with open(shared / "blocs" / "worldcountrygroups_rosters.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            iso3 = row["iso3"].strip()
            if not iso3:
                name = row["country_name"].replace("\u200b", "").strip()
                if name not in ROSTER_NAME_FIX:
                    if row["gid"] in ROSTER_GID.values():
                        rep.unexplained += 1
                        print(f"  UNEXPLAINED roster {row['gid']}: row without iso3: {name!r}")
                    continue
                iso3 = ROSTER_NAME_FIX[name]
                if iso3 is None:
                    if row["gid"] in ROSTER_GID.values():
                        print(f"  note        roster {row['gid']}: non-state member {name!r} skipped (not a state)")
                    continue
            roster[row["gid"]].add(iso3)
    for bloc, gid in sorted(ROSTER_GID.items()):
        ours, theirs = current.get(bloc, set()), roster.get(gid, set())
        print(f"  -- {bloc} (roster gid {gid}): ours {len(ours)}, roster {len(theirs)}")
        for side, codes in (("ours_only", ours - theirs), ("roster_only", theirs - ours)):
            for c in sorted(codes):
                what = "current member here, not in roster" if side == "ours_only" else "in roster, not a current member here"
                report_diff(rep, f"{bloc}/{c}: {what}", (bloc, c, side),
                            ROSTER_EXPLAINED.get((bloc, c, side)))


def cow_to_iso(shared: Path):
    table = {}
    with open(shared / "countries" / "countrycode_codelist.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["cown"] and row["iso3c"]:
                table[int(row["cown"])] = row["iso3c"]

    def conv(ccode: int, year: int, ioname: str) -> str | None:
        if ccode in (255, 260):          # Germany / West Germany: DEU throughout
            return "DEU"
        if ccode == 265:
            return "DDR"
        if ccode == 315:
            return "CSK"
        if ccode == 365:                 # USSR in the Cold-War blocs, Russia after
            return "SUN" if ioname in ("WPact", "CMEA") or year < 1991 else "RUS"
        if ccode == 345:
            return "YUG" if year < 1992 else ("SCG" if year < 2006 else "SRB")
        if ccode in (678, 679):          # North Yemen, then unified Yemen
            return "YEM"
        if ccode == 680:
            return "YMD"
        return table.get(ccode)
    return conv


def check_cow(rep: Report, shared: Path, blocs, spells) -> None:
    print(f"\n== 3. year-by-year vs COW IGO v3 (full members, status 1; to {COW_LAST_YEAR})")
    conv = cow_to_iso(shared)
    cow = defaultdict(lambda: defaultdict(set))      # ioname -> iso -> years
    unmapped = set()
    with open(shared / "cow" / "cow_igo_v3_selected_memberships_state_year.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] != "1":
                continue
            y, cc = int(row["year"]), int(row["ccode"])
            iso = conv(cc, y, row["ioname"])
            if iso is None:
                unmapped.add((row["ioname"], cc, row["state"]))
                continue
            cow[row["ioname"]][iso].add(y)
    wanted = {io for ios in COW_IONAMES.values() for io in ios}
    for io, cc, st in sorted(unmapped):
        if io in wanted:
            rep.unexplained += 1
            print(f"  UNEXPLAINED COW {io}: ccode {cc} ({st}) has no ISO3 mapping")
    founded = {b["id"]: parse_date(b["founded"]).year for b in blocs}
    for bloc, ionames in sorted(COW_IONAMES.items()):
        theirs = defaultdict(set)
        for io in ionames:
            for iso, ys in cow[io].items():
                theirs[iso] |= ys
        all_years = [y for ys in theirs.values() for y in ys]
        lo = max(min(all_years), founded[bloc])
        window = range(lo, COW_LAST_YEAR + 1)
        ours = defaultdict(set)
        for (b, c), sp in spells.items():
            if b != bloc:
                continue
            for s, e in sp:
                ours[c] |= {y for y in window if covers(s, e, y)}
        print(f"  -- {bloc} vs COW {'+'.join(ionames)} ({lo}-{COW_LAST_YEAR})")
        for c in sorted(set(ours) | set(theirs)):
            a = ours.get(c, set())
            t = {y for y in theirs.get(c, set()) if y in window}
            if a == t:
                continue
            oo, co = ranges(a - t), ranges(t - a)
            label = f"{bloc}/{c}: only here {oo}; only in COW {co}"
            exp = COW_EXPLAINED.get((bloc, c))
            report_diff(rep, label, (bloc, c),
                        exp[2] if exp and exp[0] == oo and exp[1] == co else None)
            if exp and (exp[0], exp[1]) != (oo, co):
                print(f"      (stale explanation on file for years {exp[0]} / {exp[1]}: {exp[2]})")
    # EAEU (2015-) cannot be compared year by year with EurAsEC (COW EAEC, 2000-2014).
    eaec = sorted(c for c, ys in cow["EAEC"].items() if COW_LAST_YEAR in ys)
    eaeu = sorted(c for (b, c), sp in spells.items() if b == "eaeu"
                  and any(covers(s, e, 2015) for s, e in sp))
    print(f"  -- info: eaeu has no COW counterpart (EAEU starts 2015, COW ends 2014).\n"
          f"     EurAsEC (COW EAEC) full members in 2014: {' '.join(eaec)}\n"
          f"     EAEU members during 2015 here:           {' '.join(eaeu)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("ENTENTE_SHARED_DATA", REPO.parent / "shared" / "data")),
                    help="folder holding blocs/, cow/, countries/ (default: ../shared/data)")
    args = ap.parse_args()
    rep = Report()
    blocs, spells, current = check_schema(rep, args.shared)
    check_rosters(rep, args.shared, current)
    check_cow(rep, args.shared, blocs, spells)
    print(f"\n== summary: {rep.errors} schema error(s), {rep.explained} explained and "
          f"{rep.unexplained} unexplained disagreement(s)")
    return 0 if rep.errors == 0 and rep.unexplained == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
