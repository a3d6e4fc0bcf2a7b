#!/usr/bin/env python3
"""Reference monthly dyad aggregates of GDELT 2.0 event exports, computed with DuckDB,
cross-checked with pandas on the smallest file.

For each input file writes into tests/fixtures/gdelt_aggregate/:
  <stem>.month.csv    period,source,target,events,goldstein_sum,q1,q2,q3,q4,tone_mean,articles
                      period = MonthYear as 'YYYY-MM'; source/target = RAW CAMEO Actor1/Actor2CountryCode;
                      rows with both codes non-empty and different; sorted by period,source,target
                      (byte order); floats written with repr().
  <stem>.counts.json  total lines, rows with both codes, self-dyad rows, rows aggregated, groups

<stem> is the file name without '.export.CSV', e.g. 20240515224500.

usage: python3 scripts/oracles/gdelt_aggregate.py
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_hashseed, DATA, FIXTURES, fnum, log, versions, write_json  # noqa: E402

OUT = FIXTURES / "gdelt_aggregate"
FILES = ["20240515224500.export.CSV", "20191024143000.export.CSV", "20180326044500.export.CSV"]

# --- GDELT 2.0 event schema (61 columns, no header). Replicates
# ../shared/bench/peers/gdelt_schema.py (column order per the GDELT 2.0 Event Codebook,
# checked against data/gdelt/GDELT_2.0_events_schema.csv at run time below).
_ACTOR = ["Code:str", "Name:str", "CountryCode:str", "KnownGroupCode:str",
          "EthnicCode:str", "Religion1Code:str", "Religion2Code:str",
          "Type1Code:str", "Type2Code:str", "Type3Code:str"]
_GEO = ["Type:i8", "FullName:str", "CountryCode:str", "ADM1Code:str",
        "ADM2Code:str", "Lat:f64", "Long:f64", "FeatureID:str"]
_SPEC = (["GLOBALEVENTID:i64", "SQLDATE:i32", "MonthYear:i32", "Year:i32", "FractionDate:f64"]
         + ["Actor1" + a for a in _ACTOR] + ["Actor2" + a for a in _ACTOR]
         + ["IsRootEvent:i8", "EventCode:str", "EventBaseCode:str", "EventRootCode:str",
            "QuadClass:i8", "GoldsteinScale:f64", "NumMentions:i32", "NumSources:i32",
            "NumArticles:i32", "AvgTone:f64"]
         + ["Actor1Geo_" + g for g in _GEO] + ["Actor2Geo_" + g for g in _GEO]
         + ["ActionGeo_" + g for g in _GEO]
         + ["DATEADDED:i64", "SOURCEURL:str"])
COLUMNS = [tuple(s.split(":")) for s in _SPEC]
NAMES = [c for c, _ in COLUMNS]
assert len(COLUMNS) == 61
DUCKDB_TYPES = {"i64": "BIGINT", "i32": "INTEGER", "i8": "TINYINT", "f64": "DOUBLE", "str": "VARCHAR"}
COLUMNS_SQL = "{" + ", ".join(f"'{n}': '{DUCKDB_TYPES[k]}'" for n, k in COLUMNS) + "}"

# The exact query (the README quotes it). {path} and {columns} are substituted.
SQL = """
WITH ev AS (
    SELECT * FROM read_csv({path}, delim = '\\t', header = false, quote = '', escape = '',
                           auto_detect = false, columns = {columns})
)
SELECT printf('%04d-%02d', MonthYear // 100, MonthYear % 100)  AS period,
       Actor1CountryCode                                       AS source,
       Actor2CountryCode                                       AS target,
       count(*)                                                AS events,
       sum(GoldsteinScale)                                     AS goldstein_sum,
       count(*) FILTER (WHERE QuadClass = 1)                   AS q1,
       count(*) FILTER (WHERE QuadClass = 2)                   AS q2,
       count(*) FILTER (WHERE QuadClass = 3)                   AS q3,
       count(*) FILTER (WHERE QuadClass = 4)                   AS q4,
       avg(AvgTone)                                            AS tone_mean,
       sum(NumArticles)                                        AS articles
FROM ev
WHERE coalesce(Actor1CountryCode, '') <> ''
  AND coalesce(Actor2CountryCode, '') <> ''
  AND Actor1CountryCode <> Actor2CountryCode
GROUP BY ALL
ORDER BY period, source, target
"""

COUNTS_SQL = """
SELECT count(*)                                                                       AS rows_total,
       count(*) FILTER (WHERE coalesce(Actor1CountryCode, '') <> ''
                          AND coalesce(Actor2CountryCode, '') <> '')                 AS rows_both_codes,
       count(*) FILTER (WHERE coalesce(Actor1CountryCode, '') <> ''
                          AND Actor1CountryCode = Actor2CountryCode)                  AS rows_self_dyad
FROM read_csv({path}, delim = '\\t', header = false, quote = '', escape = '',
              auto_detect = false, columns = {columns})
"""

HEADER = ["period", "source", "target", "events", "goldstein_sum", "q1", "q2", "q3", "q4", "tone_mean", "articles"]
INT_COLS = ["events", "q1", "q2", "q3", "q4", "articles"]
FLOAT_COLS = ["goldstein_sum", "tone_mean"]


def check_schema_against_codebook():
    p = DATA / "gdelt" / "GDELT_2.0_events_schema.csv"
    with open(p, newline="", encoding="utf-8") as f:
        names = [r["tableId"] for r in csv.DictReader(f)]
    assert names == NAMES, [(a, b) for a, b in zip(names, NAMES) if a != b]


def sql_for(template, path):
    return template.replace("{path}", "'" + str(path).replace("'", "''") + "'").replace("{columns}", COLUMNS_SQL)


def count_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    n = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        n += 1
    return n


def duckdb_aggregate(con, path):
    df = con.sql(sql_for(SQL, path)).df()
    counts = con.sql(sql_for(COUNTS_SQL, path)).fetchall()[0]
    return df, dict(zip(["rows_total", "rows_both_codes", "rows_self_dyad"], map(int, counts)))


def pandas_aggregate(path):
    """Independent path: parse everything as text with pandas, convert, group."""
    raw = pd.read_csv(path, sep="\t", header=None, names=NAMES, dtype=str, keep_default_na=False,
                      na_values=[], quoting=csv.QUOTE_NONE, engine="c")
    df = pd.DataFrame({
        "MonthYear": raw["MonthYear"].astype("int64"),
        "source": raw["Actor1CountryCode"],
        "target": raw["Actor2CountryCode"],
        "QuadClass": raw["QuadClass"].astype("int64"),
        "GoldsteinScale": raw["GoldsteinScale"].astype("float64"),
        "NumArticles": raw["NumArticles"].astype("int64"),
        "AvgTone": raw["AvgTone"].astype("float64"),
    })
    df = df[(df["source"] != "") & (df["target"] != "") & (df["source"] != df["target"])].copy()
    df["period"] = df["MonthYear"].map(lambda m: f"{m // 100:04d}-{m % 100:02d}")
    for q in range(1, 5):
        df[f"q{q}"] = (df["QuadClass"] == q).astype("int64")
    g = (df.groupby(["period", "source", "target"], sort=True)
           .agg(events=("QuadClass", "size"), goldstein_sum=("GoldsteinScale", "sum"),
                q1=("q1", "sum"), q2=("q2", "sum"), q3=("q3", "sum"), q4=("q4", "sum"),
                tone_mean=("AvgTone", "mean"), articles=("NumArticles", "sum"))
           .reset_index())
    return g[HEADER]


def assert_equal(duck, pan, tol=1e-9):
    d = duck.sort_values(["period", "source", "target"]).reset_index(drop=True)
    p = pan.sort_values(["period", "source", "target"]).reset_index(drop=True)
    if len(d) != len(p):
        raise AssertionError(f"group count differs: duckdb {len(d)} vs pandas {len(p)}")
    for c in ["period", "source", "target"]:
        bad = (d[c].astype(str) != p[c].astype(str))
        if bad.any():
            raise AssertionError(f"key column {c} differs at rows {list(bad[bad].index[:5])}")
    for c in INT_COLS:
        bad = (d[c].astype("int64") != p[c].astype("int64"))
        if bad.any():
            raise AssertionError(f"{c} differs at rows {list(bad[bad].index[:5])}")
    worst = {}
    for c in FLOAT_COLS:
        diff = (d[c].astype("float64") - p[c].astype("float64")).abs().max()
        worst[c] = float(diff)
        if not diff <= tol:
            raise AssertionError(f"{c} differs by {diff} > {tol}")
    return worst


def write_month_csv(path, df):
    rows = sorted(df.itertuples(index=False), key=lambda r: (r.period.encode(), r.source.encode(), r.target.encode()))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(HEADER) + "\n")
        for r in rows:
            for code in (r.source, r.target):
                assert code and not any(ch in code for ch in ',"\r\n\t '), code
            assert math.isfinite(r.goldstein_sum) and math.isfinite(r.tone_mean)
            f.write(",".join([
                r.period, r.source, r.target, str(int(r.events)), fnum(r.goldstein_sum),
                str(int(r.q1)), str(int(r.q2)), str(int(r.q3)), str(int(r.q4)),
                fnum(r.tone_mean), str(int(r.articles)),
            ]) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    check_schema_against_codebook()
    con = duckdb.connect()
    con.execute("SET threads = 1")  # fixed summation order -> bit-stable float sums across runs

    paths = [DATA / "gdelt" / f for f in FILES]
    for p in paths:
        df, counts = duckdb_aggregate(con, p)
        stem = p.name.removesuffix(".export.CSV")
        lines = count_lines(p)
        assert lines == counts["rows_total"], (lines, counts)
        counts = {
            "file": p.name,
            "bytes": p.stat().st_size,
            "total_lines": lines,
            **counts,
            "rows_aggregated": int(df["events"].sum()),
            "groups": len(df),
            "goldstein_sum_total": float(df["goldstein_sum"].sum()),
            "articles_total": int(df["articles"].sum()),
            "definitions": {
                "rows_both_codes": "Actor1CountryCode and Actor2CountryCode both non-empty",
                "rows_self_dyad": "both non-empty and Actor1CountryCode == Actor2CountryCode",
                "rows_aggregated": "rows_both_codes - rows_self_dyad = sum of events over month.csv",
            },
            "versions": versions(duckdb),
        }
        assert counts["rows_aggregated"] == counts["rows_both_codes"] - counts["rows_self_dyad"]
        write_month_csv(OUT / f"{stem}.month.csv", df)
        write_json(OUT / f"{stem}.counts.json", counts)
        log(f"[{stem}] lines={lines} both={counts['rows_both_codes']} self={counts['rows_self_dyad']} "
            f"aggregated={counts['rows_aggregated']} groups={len(df)}")

    # pandas cross-check on the smallest file (by bytes); fail loudly on any mismatch
    smallest = min(paths, key=lambda q: q.stat().st_size)
    duck, _ = duckdb_aggregate(con, smallest)
    pan = pandas_aggregate(smallest)
    worst = assert_equal(duck, pan)
    # and the written fixture parses back to the same numbers
    back = pd.read_csv(OUT / f"{smallest.name.removesuffix('.export.CSV')}.month.csv",
                       dtype={"period": str, "source": str, "target": str}, keep_default_na=False)
    assert_equal(back, pan)
    log(f"[pandas check] {smallest.name}: {len(pan)} groups identical keys/counts; "
        f"max |diff| goldstein_sum={worst['goldstein_sum']:.3g} tone_mean={worst['tone_mean']:.3g} "
        f"(pandas {pd.__version__}, duckdb {duckdb.__version__})")


if __name__ == "__main__":
    ensure_hashseed()
    main()
