#!/usr/bin/env python3
"""Check entente's country reference tables and cross-check them against outside sources.

Reads (ours)
  data/reference/countries.csv      id,name,official_name,kind,start,end,successor,
                                    un_region,un_subregion,analyst_region,aliases
  data/reference/country_codes.csv  entity,system,code,start,end
  data/reference/cameo_pseudo.csv   code,label,kind,maps_to
  data/reference/NOTES-countries.md the "Deliberate differences" table
and compares them with (<shared> = the shared data folder)
  <shared>/countries/countrycode_codelist.csv  iso3c iso2c iso3n cown cowc gwn gwc fips (GPL-3)
  <shared>/countries/iso3166-1.csv             current ISO 3166-1 list
  <shared>/gdelt/gdelt_fips_country_lookup.csv FIPS 10-4 codes used in GDELT geo fields
  <shared>/cameo/CAMEO.country.txt             CAMEO country and region actor codes
  <shared>/cow/cow_states2016.csv              COW state system membership v2016
  <shared>/blocs/gw_system.csv                 Gleditsch-Ward system incl. microstates

<shared> defaults to ../shared/data next to the repository; override with
--shared DIR or the ENTENTE_SHARED_DATA environment variable.

Two kinds of findings are printed:
  * ERROR: our tables break their own rules (layout, sorting, dates, overlapping
    code spells, ambiguous aliases, uncovered CAMEO codes, ...). Always fatal.
  * differences from an outside source. A difference that matches a row of the
    "Deliberate differences" table in NOTES-countries.md (same source, entity,
    system, their value and our value) is printed as "explained"; any other is
    printed as "UNEXPLAINED". A table row that no longer matches any difference
    is printed as "STALE", so explanations cannot silently go out of date.

Conventions (see NOTES-countries.md): dates are YYYY-MM-DD and inclusive; an
empty start/end in country_codes.csv is unbounded on that side; an empty end in
countries.csv means the entity still exists. For countrycode (which has no
dates) our code is the spell current today, or the entity's last spell.

Exit status 0 when there is no ERROR, no UNEXPLAINED and no STALE line; 1
otherwise. Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
import unicodedata
from collections import defaultdict

TODAY = dt.date.today().isoformat()
SYSTEMS = ('iso3', 'iso2', 'm49', 'cow', 'cowc', 'gw', 'gwc', 'cameo', 'fips')
CODE_RE = {
    'iso3': r'[A-Z]{3}', 'iso2': r'[A-Z]{2}', 'm49': r'[0-9]{3}', 'cow': r'[1-9][0-9]{0,2}',
    'cowc': r'[A-Z]{3}', 'gw': r'[1-9][0-9]{0,2}', 'gwc': r'[A-Z]{3}', 'cameo': r'[A-Z]{3}',
    'fips': r'[A-Z]{2}',
}
ANALYST = {'Africa', 'Middle East and North Africa', 'Europe', 'Post-Soviet Eurasia', 'South Asia',
           'East Asia', 'Southeast Asia', 'Oceania', 'North America', 'Latin America and the Caribbean'}
UN_REGIONS = {'Africa', 'Americas', 'Asia', 'Europe', 'Oceania'}
UN_SUBREGIONS = {
    'Northern Africa', 'Sub-Saharan Africa', 'Caribbean', 'Central America', 'South America',
    'Northern America', 'Central Asia', 'Eastern Asia', 'South-eastern Asia', 'Southern Asia',
    'Western Asia', 'Eastern Europe', 'Northern Europe', 'Southern Europe', 'Western Europe',
    'Australia and New Zealand', 'Melanesia', 'Micronesia', 'Polynesia'}
COUNTRIES_HEADER = ['id', 'name', 'official_name', 'kind', 'start', 'end', 'successor', 'un_region',
                    'un_subregion', 'analyst_region', 'aliases']
CODES_HEADER = ['entity', 'system', 'code', 'start', 'end']
PSEUDO_HEADER = ['code', 'label', 'kind', 'maps_to']
# countrycode rows that have no iso3c: their country.name.en -> our entity id
CC_NAME_TO_ID = {
    'Austria-Hungary': 'AUH', 'Baden': 'BAD', 'Bavaria': 'BAV', 'Czechoslovakia': 'CSK',
    'German Democratic Republic': 'DDR', 'Hanover': 'HAN', 'Hesse Electoral': 'HSE',
    'Hesse Grand Ducal': 'HSG', 'Kosovo': 'XKX', 'Mecklenburg Schwerin': 'MEC', 'Modena': 'MOD',
    'Netherlands Antilles': 'ANT', 'Orange Free State': 'OFS', 'Parma': 'PMA',
    'Republic of Vietnam': 'RVN', 'Saxony': 'SAX', 'Serbia and Montenegro': 'SCG', 'Tibet': 'TBT',
    'Transvaal': 'TRA', 'Tuscany': 'TUS', 'Two Sicilies': 'SIC', 'United Province CA': 'UPC',
    'Wuerttemburg': 'WRT', 'Yemen Arab Republic': 'YEM', "Yemen People's Republic": 'YMD',
    'Yugoslavia': 'YUG', 'Zanzibar': 'ZAN',
}
CC_COLS = {'iso3c': 'iso3', 'iso2c': 'iso2', 'iso3n': 'm49', 'cown': 'cow', 'cowc': 'cowc',
           'gwn': 'gw', 'gwc': 'gwc', 'fips': 'fips'}


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--shared', default=os.environ.get('ENTENTE_SHARED_DATA',
                                                       os.path.join(repo, '..', 'shared', 'data')))
    ap.add_argument('--ref', default=os.path.join(repo, 'data', 'reference'))
    ap.add_argument('--quiet', action='store_true', help='print only problems and the summary')
    args = ap.parse_args()
    chk = Checker(args.ref, args.shared, args.quiet)
    return chk.run()


def norm(s: str) -> str:
    s = unicodedata.normalize('NFKD', s.replace('\u2019', "'").replace('\u200b', ''))
    s = ''.join(ch for ch in s if not unicodedata.combining(ch))
    return ' '.join(s.casefold().split())


def valid_date(s: str) -> bool:
    try:
        return dt.date.fromisoformat(s).isoformat() == s
    except ValueError:
        return False


def overlaps(a0, a1, b0, b1) -> bool:
    """Inclusive intervals with '' meaning unbounded."""
    lo = max(a0 or '0000-00-00', b0 or '0000-00-00')
    hi = min(a1 or '9999-99-99', b1 or '9999-99-99')
    return lo <= hi


def covers(s, e, d) -> bool:
    return (not s or s <= d) and (not e or d <= e)


def prev_day(s):
    return (dt.date.fromisoformat(s) - dt.timedelta(days=1)).isoformat()


def next_day(s):
    return (dt.date.fromisoformat(s) + dt.timedelta(days=1)).isoformat()


class Checker:
    def __init__(self, ref, shared, quiet):
        self.ref, self.shared, self.quiet = ref, shared, quiet
        self.errors = []
        self.diffs = []  # (source, entity, system, theirs, ours, detail)

    # ------------------------------------------------------------ helpers
    def err(self, msg):
        self.errors.append(msg)

    def diff(self, source, entity, system, theirs, ours, detail=''):
        self.diffs.append((source, entity or '', system, theirs or '', ours or '', detail))

    def read_ours(self, name, header):
        path = os.path.join(self.ref, name)
        raw = open(path, 'rb').read()
        if raw.startswith(b'\xef\xbb\xbf'):
            self.err(f'{name}: has a UTF-8 BOM')
        if b'\r' in raw:
            self.err(f'{name}: contains CR characters (must be LF line endings)')
        if not raw.endswith(b'\n'):
            self.err(f'{name}: no final newline')
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            self.err(f'{name}: not UTF-8 ({e})')
            text = raw.decode('utf-8', 'replace')
        rows = list(csv.reader(text.splitlines()))
        if not rows or rows[0] != header:
            self.err(f'{name}: header is {rows[0] if rows else None}, expected {header}')
            return []
        out = []
        for i, r in enumerate(rows[1:], start=2):
            if len(r) != len(header):
                self.err(f'{name}:{i}: {len(r)} fields, expected {len(header)}')
                continue
            if any(v != v.strip() for v in r):
                self.err(f'{name}:{i}: leading/trailing whitespace in a field')
            out.append(dict(zip(header, r)))
        return out

    def read_shared(self, rel, **kw):
        with open(os.path.join(self.shared, rel), encoding='utf-8', newline='') as f:
            return list(csv.DictReader(f, **kw))

    def resolve(self, system, code, date):
        """Entities whose spell of (system, code) covers date."""
        return {s['entity'] for s in self.by_code.get((system, code), []) if covers(s['start'], s['end'], date)}

    def current_code(self, ent, system):
        """Our code for countrycode comparisons: spell current today, else the last spell."""
        spells = self.by_ent_sys.get((ent, system), [])
        if not spells:
            return None, []
        cur = [s for s in spells if covers(s['start'], s['end'], TODAY)]
        if cur:
            return sorted(s['code'] for s in cur), spells
        last = max(spells, key=lambda s: (s['end'] or '9999', s['start']))
        same_end = [s['code'] for s in spells if s['end'] == last['end']]
        return sorted(same_end), spells

    # ------------------------------------------------------------ our tables
    def load(self):
        self.countries = self.read_ours('countries.csv', COUNTRIES_HEADER)
        self.codes = self.read_ours('country_codes.csv', CODES_HEADER)
        self.pseudo = self.read_ours('cameo_pseudo.csv', PSEUDO_HEADER)
        self.E = {}
        for r in self.countries:
            if r['id'] in self.E:
                self.err(f"countries.csv: duplicate id {r['id']}")
            self.E[r['id']] = r
        self.by_code = defaultdict(list)
        self.by_ent_sys = defaultdict(list)
        for s in self.codes:
            self.by_code[(s['system'], s['code'])].append(s)
            self.by_ent_sys[(s['entity'], s['system'])].append(s)

    def check_countries(self):
        ids = [r['id'] for r in self.countries]
        if ids != sorted(ids):
            self.err('countries.csv: not sorted by id')
        for r in self.countries:
            i = r['id']
            if not re.fullmatch(r'[A-Z]{3}', i):
                self.err(f'{i}: id is not three upper-case letters')
            if not r['name'] or not r['official_name']:
                self.err(f'{i}: empty name or official_name')
            if r['kind'] not in ('state', 'territory'):
                self.err(f"{i}: kind {r['kind']!r}")
            for f in ('start', 'end'):
                if r[f] and not valid_date(r[f]):
                    self.err(f'{i}: {f} {r[f]!r} is not YYYY-MM-DD')
            if r['start'] and r['end'] and r['start'] > r['end']:
                self.err(f'{i}: start after end')
            if r['kind'] == 'state' and not r['start']:
                self.err(f'{i}: a state needs a start date')
            if r['successor']:
                if r['successor'] not in self.E:
                    self.err(f"{i}: successor {r['successor']} is not an entity")
                elif not r['end']:
                    self.err(f'{i}: has a successor but no end date')
                else:
                    sr = self.E[r['successor']]
                    if sr['end'] and sr['end'] < r['end']:
                        self.err(f"{i}: successor {r['successor']} ended before {i}")
            if r['un_region'] not in UN_REGIONS:
                self.err(f"{i}: un_region {r['un_region']!r}")
            if r['un_subregion'] not in UN_SUBREGIONS:
                self.err(f"{i}: un_subregion {r['un_subregion']!r}")
            if r['analyst_region'] not in ANALYST:
                self.err(f"{i}: analyst_region {r['analyst_region']!r}")
            if r['aliases']:
                al = r['aliases'].split('|')
                if any(not a or a != a.strip() for a in al):
                    self.err(f'{i}: empty alias or alias with outer spaces')
                if len(set(al)) != len(al):
                    self.err(f'{i}: duplicate aliases')
        # analyst-region rules stated in the notes
        expect = {'USA': 'North America', 'CAN': 'North America', 'MEX': 'Latin America and the Caribbean',
                  'CYP': 'Europe', 'TUR': 'Middle East and North Africa', 'ISR': 'Middle East and North Africa',
                  'IRN': 'Middle East and North Africa', 'PSE': 'Middle East and North Africa',
                  'AFG': 'South Asia', 'EST': 'Europe', 'LVA': 'Europe', 'LTU': 'Europe',
                  'RUS': 'Post-Soviet Eurasia', 'SUN': 'Post-Soviet Eurasia', 'UKR': 'Post-Soviet Eurasia',
                  'GEO': 'Post-Soviet Eurasia', 'KAZ': 'Post-Soviet Eurasia', 'EGY': 'Middle East and North Africa',
                  'TWN': 'East Asia', 'XKX': 'Europe'}
        for k, v in expect.items():
            if k in self.E and self.E[k]['analyst_region'] != v:
                self.err(f"{k}: analyst_region {self.E[k]['analyst_region']!r}, rule says {v!r}")
        if 'TWN' in self.E and (self.E['TWN']['un_region'], self.E['TWN']['un_subregion']) != ('Asia', 'Eastern Asia'):
            self.err('TWN: must be Asia / Eastern Asia')
        # names and aliases must be unambiguous among entities that overlap in time
        names = defaultdict(set)
        for r in self.countries:
            for n in [r['name'], r['official_name']] + (r['aliases'].split('|') if r['aliases'] else []):
                names[norm(n)].add(r['id'])
        amb = 0
        for n, ents in sorted(names.items()):
            ents = sorted(ents)
            for a in range(len(ents)):
                for b in range(a + 1, len(ents)):
                    x, y = self.E[ents[a]], self.E[ents[b]]
                    if overlaps(x['start'], x['end'], y['start'], y['end']):
                        self.err(f"name/alias {n!r} maps to {x['id']} and {y['id']}, which overlap in time")
                        amb += 1
        self.shared_names = {n: sorted(e) for n, e in names.items() if len(e) > 1}

    def check_codes(self):
        keys = [(s['entity'], s['system'], s['start']) for s in self.codes]
        if keys != sorted(keys):
            self.err('country_codes.csv: not sorted by entity,system,start')
        seen = set()
        for s in self.codes:
            k = tuple(s.values())
            if k in seen:
                self.err(f'country_codes.csv: duplicate row {k}')
            seen.add(k)
            e = s['entity']
            if e not in self.E:
                self.err(f'country_codes.csv: unknown entity {e}')
                continue
            if s['system'] not in SYSTEMS:
                self.err(f"{e}: unknown system {s['system']!r}")
                continue
            if not re.fullmatch(CODE_RE[s['system']], s['code']):
                self.err(f"{e}: {s['system']} code {s['code']!r} has the wrong form")
            for f in ('start', 'end'):
                if s[f] and not valid_date(s[f]):
                    self.err(f"{e}: {s['system']} {s['code']} {f} {s[f]!r} is not YYYY-MM-DD")
            if s['start'] and s['end'] and s['start'] > s['end']:
                self.err(f"{e}: {s['system']} {s['code']} spell starts after it ends")
            ent = self.E[e]
            if ent['end'] and (not s['end'] or s['end'] > ent['end']):
                self.err(f"{e}: {s['system']} {s['code']} spell runs past the entity's end {ent['end']}")
        # one (system, code) -> one entity at any date
        for (system, code), spells in self.by_code.items():
            for a in range(len(spells)):
                for b in range(a + 1, len(spells)):
                    x, y = spells[a], spells[b]
                    if x['entity'] != y['entity'] and overlaps(x['start'], x['end'], y['start'], y['end']):
                        self.err(f'{system} {code}: maps to {x["entity"]} and {y["entity"]} on overlapping dates')
                    if x['entity'] == y['entity'] and overlaps(x['start'], x['end'], y['start'], y['end']):
                        self.err(f'{system} {code}: two overlapping spells for {x["entity"]}')
        # an entity has at most one code per system at a time, except FIPS (PSE: WE + GZ)
        for (e, system), spells in self.by_ent_sys.items():
            if system == 'fips':
                continue
            for a in range(len(spells)):
                for b in range(a + 1, len(spells)):
                    x, y = spells[a], spells[b]
                    if overlaps(x['start'], x['end'], y['start'], y['end']):
                        self.err(f'{e}: two {system} codes at once ({x["code"]}, {y["code"]})')
        # every current entity with an ISO alpha-3 code has it as its id (Kosovo: user-assigned XKX)
        for e, r in self.E.items():
            if r['end']:
                continue
            cur, spells = self.current_code(e, 'iso3')
            if spells and cur != [e]:
                self.err(f'{e}: current iso3 is {cur}, expected the id')
        # pseudo codes
        pcodes = [p['code'] for p in self.pseudo]
        if pcodes != sorted(pcodes) or len(set(pcodes)) != len(pcodes):
            self.err('cameo_pseudo.csv: not sorted by code or has duplicates')
        for p in self.pseudo:
            if p['kind'] not in ('region', 'subnational', 'other'):
                self.err(f"cameo_pseudo {p['code']}: kind {p['kind']!r}")
            if p['maps_to'] and p['maps_to'] not in self.E:
                self.err(f"cameo_pseudo {p['code']}: maps_to {p['maps_to']} is not an entity")
            if p['kind'] == 'subnational' and not p['maps_to']:
                self.err(f"cameo_pseudo {p['code']}: subnational code needs maps_to")
            if ('cameo', p['code']) in self.by_code:
                self.err(f"cameo {p['code']}: both a pseudo code and an entity code")

    # ------------------------------------------------------------ outside sources
    def check_countrycode(self):
        rows = self.read_shared('countries/countrycode_codelist.csv')
        for r in rows:
            if not any(r[c] for c in CC_COLS):
                continue
            ent = r['iso3c'] if r['iso3c'] in self.E else CC_NAME_TO_ID.get(r['country.name.en'])
            if ent is None:
                self.diff('countrycode', '', 'row', r['country.name.en'], '', 'row with codes not matched to an entity')
                continue
            for col, system in CC_COLS.items():
                theirs = r[col]
                if not theirs:
                    continue
                if system == 'm49':
                    theirs = theirs.zfill(3)
                cur, spells = self.current_code(ent, system)
                if not spells:
                    self.diff('countrycode', ent, system, theirs, '', 'we have no code in this system')
                    continue
                if theirs in cur:
                    continue
                older = [s for s in spells if s['code'] == theirs]
                if older:
                    detail = 'equals our earlier spell ' + ', '.join(f"{s['start'] or '…'}..{s['end'] or '…'}" for s in older)
                else:
                    owner = sorted({s['entity'] for s in self.by_code.get((system, theirs), [])})
                    detail = f'our code for {theirs} is on {owner}' if owner else 'not one of our codes'
                self.diff('countrycode', ent, system, theirs, '/'.join(cur), detail)

    def check_iso(self):
        for r in self.read_shared('countries/iso3166-1.csv'):
            a3 = r['alpha_3']
            if a3 not in self.E:
                self.diff('iso3166-1', a3, 'entity', a3, '', 'ISO entry with no entity')
                continue
            for system, theirs in (('iso2', r['alpha_2']), ('m49', r['numeric'].zfill(3))):
                cur, _ = self.current_code(a3, system)
                if cur != [theirs]:
                    self.diff('iso3166-1', a3, system, theirs, '/'.join(cur or []), 'current code differs')

    def check_fips(self):
        rows = self.read_shared('gdelt/gdelt_fips_country_lookup.csv')
        theirs_codes = set()
        for r in rows:
            theirs_codes.add(r['fips'])
            ents = {s['entity'] for s in self.by_code.get(('fips', r['fips']), [])}
            if not ents:
                self.diff('gdelt_fips', r['iso3'], 'fips', r['fips'], '', 'their FIPS code is not in our table')
            elif ents != {r['iso3']}:
                self.diff('gdelt_fips', r['iso3'], 'fips', r['fips'], '', f'our {r["fips"]} is on {sorted(ents)}')
        for s in self.codes:
            if s['system'] == 'fips' and s['code'] not in theirs_codes:
                self.diff('gdelt_fips', s['entity'], 'fips', '', s['code'], 'our FIPS code is not in the GDELT lookup')

    def check_cameo(self):
        path = os.path.join(self.shared, 'cameo/CAMEO.country.txt')
        lines = [l.rstrip('\n').split('\t') for l in open(path, encoding='utf-8')]
        theirs = {l[0]: l[1] for l in lines[1:] if l and l[0]}
        pseudo = {p['code'] for p in self.pseudo}
        ours = {s['code']: s['entity'] for s in self.codes if s['system'] == 'cameo'}
        for code, label in sorted(theirs.items()):
            if code not in ours and code not in pseudo:
                self.err(f'CAMEO {code} ({label}) is neither an entity code nor a pseudo code')
        for code in sorted(pseudo):
            if code not in theirs:
                self.err(f'cameo_pseudo {code} is not in CAMEO.country.txt')
        for code, ent in sorted(ours.items()):
            if code not in theirs:
                self.diff('cameo', ent, 'cameo', '', code, 'our CAMEO code is not in CAMEO.country.txt')
            # a CAMEO code that is also somebody's ISO alpha-3 must point at the same entity
            iso_owner = {s['entity'] for s in self.by_code.get(('iso3', code), []) if not s['end']}
            if iso_owner and iso_owner != {ent}:
                self.err(f'CAMEO {code} is on {ent} but ISO alpha-3 {code} is on {sorted(iso_owner)}')

    def check_system_list(self, source, rows, num_sys, abb_sys, cutoff):
        """COW or G-W membership spells: every day must resolve, numeric and letter code alike."""
        per_entity = defaultdict(list)
        for code, abb, s, e in rows:
            ongoing = e == cutoff
            end = min(e, TODAY) if ongoing else e
            # boundary days: the spell ends, plus both sides of each of our spell boundaries inside
            days = {s, end}
            for sp in self.by_code.get((num_sys, code), []) + self.by_code.get((abb_sys, abb), []):
                for b in (sp['start'], sp['end']):
                    if b and s <= b <= end:
                        days.add(b)
                        if s <= prev_day(b):
                            days.add(prev_day(b))
                        if next_day(b) <= end:
                            days.add(next_day(b))
            for d in sorted(days):
                if not (s <= d <= end):
                    continue
                en = self.resolve(num_sys, code, d)
                ea = self.resolve(abb_sys, abb, d)
                if len(en) != 1:
                    self.diff(source, '/'.join(sorted(en)), num_sys, code, '', f'{d}: inside {s}..{e}, resolves to {sorted(en)}')
                    continue
                if en != ea:
                    self.diff(source, en.copy().pop(), abb_sys, abb, '/'.join(sorted(ea)), f'{d}: letter code resolves differently')
                ent = en.pop()
                x = self.E[ent]
                if not covers(x['start'], x['end'], d):
                    self.diff(source, ent, 'dates', f'{s}..{e}', f"{x['start']}..{x['end']}", f'{d}: member in {source} but outside our entity dates')
                # clip the source spell to the part our spells give to this entity
                mine = [sp for sp in self.by_code.get((num_sys, code), []) if sp['entity'] == ent]
                cs = max([s] + [sp['start'] for sp in mine if sp['start']]) if all(sp['start'] for sp in mine) else s
                ce = min([e] + [sp['end'] for sp in mine if sp['end']]) if all(sp['end'] for sp in mine) else e
                per_entity[ent].append((cs, ce, ongoing and ce == e))
        return per_entity

    def check_cow_gw(self):
        cow = []
        for r in self.read_shared('cow/cow_states2016.csv'):
            s = '%04d-%02d-%02d' % (int(r['styear']), int(r['stmonth']), int(r['stday']))
            e = '%04d-%02d-%02d' % (int(r['endyear']), int(r['endmonth']), int(r['endday']))
            cow.append((r['ccode'], r['stateabb'], s, e))
        gw = [(r['gwcode'], r['gw_abb'], r['start'], r['end']) for r in self.read_shared('blocs/gw_system.csv')]
        pc = self.check_system_list('cow_states2016', cow, 'cow', 'cowc', '2016-12-31')
        pg = self.check_system_list('gw_system', gw, 'gw', 'gwc', '2020-12-31')
        # our codes in these systems must exist in the lists
        cow_codes = {(c, a) for c, a, _, _ in cow}
        gw_codes = {(c, a) for c, a, _, _ in gw}
        for num_sys, abb_sys, codes, src in (('cow', 'cowc', cow_codes, 'cow_states2016'), ('gw', 'gwc', gw_codes, 'gw_system')):
            nums = {c for c, _ in codes}
            abbs = {a for _, a in codes}
            for s in self.codes:
                if s['system'] == num_sys and s['code'] not in nums:
                    self.diff(src, s['entity'], num_sys, '', s['code'], 'code not in the source list')
                if s['system'] == abb_sys and s['code'] not in abbs:
                    self.diff(src, s['entity'], abb_sys, '', s['code'], 'letter code not in the source list')
        # entity start/end against the earliest / latest COW or G-W date
        for ent in sorted(set(pc) | set(pg)):
            spans = pc.get(ent, []) + pg.get(ent, [])
            st = min(s for s, _, _ in spans)
            ongoing = any(o for _, _, o in spans)
            en = '' if ongoing else max(e for _, e, _ in spans)
            x = self.E[ent]
            if x['start'] != st:
                self.diff('cow+gw', ent, 'start', st, x['start'], 'earliest COW/G-W start differs from our start')
            if x['end'] != en:
                self.diff('cow+gw', ent, 'end', en, x['end'], 'latest COW/G-W end differs from our end')

    # ------------------------------------------------------------ explanations
    def load_explanations(self):
        path = os.path.join(self.ref, 'NOTES-countries.md')
        rows, inside = [], False
        for line in open(path, encoding='utf-8'):
            if line.startswith('#'):
                inside = 'deliberate differences' in line.lower()
                continue
            if inside and line.startswith('|'):
                cells = [c.strip().strip('`').strip() for c in line.strip().strip('|').split('|')]
                if len(cells) < 5 or cells[0].lower() == 'source' or set(cells[0]) <= set('-: '):
                    continue
                cells = ['' if c in ('', '-', '—', '–') else c for c in cells]
                rows.append(tuple(cells[:5]))
        return rows

    # ------------------------------------------------------------ run
    def run(self):
        self.load()
        headers_ok = bool(self.countries) and bool(self.codes) and bool(self.pseudo)
        if headers_ok:
            self.check_countries()
            self.check_codes()
            self.check_countrycode()
            self.check_iso()
            self.check_fips()
            self.check_cameo()
            self.check_cow_gw()
        expl = self.load_explanations()
        expl_set = set(expl)
        used = set()
        unexplained = []
        # collapse duplicates (same difference found on several boundary days)
        seen = {}
        for d in self.diffs:
            seen.setdefault(d[:5], d)
        for key, d in sorted(seen.items()):
            if key in expl_set:
                used.add(key)
                if not self.quiet:
                    print(f'explained    {d[0]:15} {d[1]:4} {d[2]:6} theirs={d[3]!r:8} ours={d[4]!r:10} {d[5]}')
            else:
                unexplained.append(d)
                print(f'UNEXPLAINED  {d[0]:15} {d[1]:4} {d[2]:6} theirs={d[3]!r:8} ours={d[4]!r:10} {d[5]}')
        # without the cross-checks every explanation would look stale: do not report them then
        stale = [e for e in expl if e not in used] if headers_ok else []
        for e in stale:
            print(f'STALE        explanation matches no difference: {" | ".join(e)}')
        for e in self.errors:
            print(f'ERROR        {e}')
        if not self.quiet and getattr(self, 'shared_names', None):
            print('note: names shared by time-disjoint entities: ' +
                  '; '.join(f'{n} -> {"/".join(e)}' for n, e in sorted(self.shared_names.items())))
        print(f'summary: {len(self.countries)} entities, {len(self.codes)} code spells, {len(self.pseudo)} CAMEO pseudo codes; '
              f'{len(seen)} differences ({len(used)} explained, {len(unexplained)} unexplained), '
              f'{len(stale)} stale explanations, {len(self.errors)} errors')
        return 1 if (self.errors or unexplained or stale) else 0


if __name__ == '__main__':
    sys.exit(main())
