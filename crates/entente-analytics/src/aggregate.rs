//! Events to a dyad-period table.
//!
//! Sums are kept in fixed point (units of 10⁻⁹) in 128-bit integers, so adding
//! events in any order, or merging tables built from any split of the input,
//! gives bitwise the same result: the aggregation is exactly mergeable, and its
//! output cannot depend on the thread count.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use entente_model::{
    CameoCode, CountryId, Date, DyadPeriod, Event, Period, PeriodKind, QuadScheme,
};

/// Fixed-point scale of the sums.
const SCALE: f64 = 1e9;

fn fixed(x: f64) -> i64 {
    // Inputs are validated finite and bounded (Goldstein within ±10, tone
    // within ±100), so one value always fits; sums carry into `Overflow`.
    (x * SCALE).round() as i64
}

fn unfixed(x: i128) -> f64 {
    x as f64 / SCALE
}

/// How to aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregateOptions {
    /// Period of the rows.
    pub period: PeriodKind,
    /// Quad-class grouping.
    pub scheme: QuadScheme,
    /// Directed (source, target) or undirected (smaller id, larger id) dyads.
    pub directed: bool,
}

impl Default for AggregateOptions {
    fn default() -> Self {
        AggregateOptions {
            period: PeriodKind::Month,
            scheme: QuadScheme::Gdelt,
            directed: true,
        }
    }
}

/// A hasher for the packed `u64` keys: one folded 128-bit multiply (the
/// scheme of foldhash and aHash). It is fixed, not seeded, so a table is laid
/// out the same way on every run; outputs never depend on that layout anyway
/// (rows are sorted by key).
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        let m = u128::from(x ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
        self.0 = (m >> 64) as u64 ^ m as u64;
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Cells per storage page: pages never move, so the table grows without the
/// copy (and the transient double memory) of a growing `Vec`.
const PAGE: usize = 4096;

/// Field numbers of [`Cell`] in the overflow ledger.
const F_GOLDSTEIN: u8 = 0;
const F_TONE: u8 = 1;
const F_EVENTS: u8 = 2;
const F_TONE_N: u8 = 3;
const F_ARTICLES: u8 = 4;
const F_ROOTS: u8 = 5;

/// One dyad-period. Counters are narrow to keep the table small (120 bytes a
/// cell); an addition that wraps records the lost multiple of 2^bits in the
/// table's overflow ledger, so every total stays exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Cell {
    key: u64,
    goldstein: i64,
    tone: i64,
    articles: u64,
    events: u32,
    tone_n: u32,
    roots: [u32; 20],
}

/// Exact totals beyond a cell's narrow counters, by (key, field).
type Overflow = BTreeMap<(u64, u8), i128>;

#[inline]
fn add_i64(x: &mut i64, d: i64, key: u64, field: u8, wide: &mut Overflow) {
    let (v, o) = x.overflowing_add(d);
    *x = v;
    if o {
        let carry = if d > 0 { 1i128 << 64 } else { -(1i128 << 64) };
        *wide.entry((key, field)).or_default() += carry;
    }
}

#[inline]
fn add_u32(x: &mut u32, d: u32, key: u64, field: u8, wide: &mut Overflow) {
    let (v, o) = x.overflowing_add(d);
    *x = v;
    if o {
        *wide.entry((key, field)).or_default() += 1i128 << 32;
    }
}

#[inline]
fn add_u64(x: &mut u64, d: u64, key: u64, field: u8, wide: &mut Overflow) {
    let (v, o) = x.overflowing_add(d);
    *x = v;
    if o {
        *wide.entry((key, field)).or_default() += 1i128 << 64;
    }
}

impl Cell {
    fn add(&mut self, other: &Cell, wide: &mut Overflow) {
        let k = self.key;
        add_i64(&mut self.goldstein, other.goldstein, k, F_GOLDSTEIN, wide);
        add_i64(&mut self.tone, other.tone, k, F_TONE, wide);
        add_u64(&mut self.articles, other.articles, k, F_ARTICLES, wide);
        add_u32(&mut self.events, other.events, k, F_EVENTS, wide);
        add_u32(&mut self.tone_n, other.tone_n, k, F_TONE_N, wide);
        for i in 0..20 {
            add_u32(
                &mut self.roots[i],
                other.roots[i],
                k,
                F_ROOTS + i as u8,
                wide,
            );
        }
    }
}

/// What the table left out, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Events whose source and target are the same state.
    pub self_dyad: u64,
    /// Events with a missing or non-state actor on either side.
    pub non_state: u64,
}

/// A country id in 15 bits (five per letter); the order of ids is kept.
#[inline]
fn pack_id(c: CountryId) -> u64 {
    c.as_str().bytes().fold(0u64, |acc, b| {
        (acc << 5) | u64::from(b.wrapping_sub(b'A') & 31)
    })
}

fn unpack_id(x: u64) -> Option<CountryId> {
    let letters = [
        b'A' + ((x >> 10) & 31) as u8,
        b'A' + ((x >> 5) & 31) as u8,
        b'A' + (x & 31) as u8,
    ];
    CountryId::new(std::str::from_utf8(&letters).ok()?).ok()
}

/// The chronological ordinal of the period of `kind` containing `date`
/// (fits in 21 bits for the years a `Date` allows).
#[inline]
fn ordinal(date: Date, kind: PeriodKind) -> u64 {
    let y = date.year() as u64;
    match kind {
        PeriodKind::Day => (date.days_since_epoch() + (1 << 20)) as u64,
        PeriodKind::Month => y * 12 + u64::from(date.month() - 1),
        PeriodKind::Quarter => y * 4 + u64::from((date.month() - 1) / 3),
        PeriodKind::Year => y,
    }
}

/// A mergeable dyad-period event table.
///
/// Cells are keyed by one packed `u64` (period ordinal, source, target) that
/// sorts like `(Period, CountryId, CountryId)`; an index from key to cell
/// uses a cheap fixed hasher, and the cells live in fixed-size pages in
/// insertion order, so neither iteration nor output ever depends on hash order.
#[derive(Debug, Clone)]
pub struct EventTable {
    opts: AggregateOptions,
    index: FastMap<u64, u32>,
    pages: Vec<Vec<Cell>>,
    len: usize,
    wide: Overflow,
    /// Events per period (all events counted, for volume normalisation), by ordinal.
    volume: FastMap<u64, (Period, u64)>,
    /// The last date seen and its period ordinal (events come roughly in date order).
    last: Option<(Date, u64)>,
    skipped: Skipped,
}

impl EventTable {
    /// An empty table.
    pub fn new(opts: AggregateOptions) -> EventTable {
        EventTable {
            opts,
            index: FastMap::default(),
            pages: Vec::new(),
            len: 0,
            wide: Overflow::new(),
            volume: FastMap::default(),
            last: None,
            skipped: Skipped::default(),
        }
    }

    /// The options.
    pub fn options(&self) -> AggregateOptions {
        self.opts
    }

    /// The cell of `key`, created empty when new.
    #[inline]
    fn cell(&mut self, key: u64) -> &mut Cell {
        let len = self.len;
        let i = *self.index.entry(key).or_insert_with(|| len as u32) as usize;
        if i == len {
            if len % PAGE == 0 {
                self.pages.push(Vec::with_capacity(PAGE));
            }
            self.pages[len / PAGE].push(Cell {
                key,
                ..Cell::default()
            });
            self.len += 1;
        }
        &mut self.pages[i / PAGE][i % PAGE]
    }

    /// Adds one event. Events without two different states are counted in
    /// [`EventTable::skipped`], never dropped silently.
    pub fn add(&mut self, e: &Event) {
        self.add_parts(
            e.date,
            e.source.country,
            e.target.country,
            e.code,
            e.goldstein,
            e.tone,
            e.articles,
        );
    }

    /// [`EventTable::add`] from the fields it reads, for readers that do not
    /// build an [`Event`] per row.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn add_parts(
        &mut self,
        date: Date,
        source: Option<CountryId>,
        target: Option<CountryId>,
        code: CameoCode,
        goldstein: f64,
        tone: Option<f64>,
        articles: Option<u32>,
    ) {
        let ord = match self.last {
            Some((d, o)) if d == date => o,
            _ => {
                let o = ordinal(date, self.opts.period);
                self.last = Some((date, o));
                o
            }
        };
        let kind = self.opts.period;
        self.volume
            .entry(ord)
            .or_insert_with(|| (date.period(kind), 0))
            .1 += 1;
        let (a, b) = match (source, target) {
            (Some(a), Some(b)) if a == b => {
                self.skipped.self_dyad += 1;
                return;
            }
            (Some(a), Some(b)) => (a, b),
            _ => {
                self.skipped.non_state += 1;
                return;
            }
        };
        let (a, b) = if self.opts.directed || a < b {
            (a, b)
        } else {
            (b, a)
        };
        let key = (ord << 30) | (pack_id(a) << 15) | pack_id(b);
        let root = usize::from(code.root() - 1);
        let mut wide = std::mem::take(&mut self.wide);
        let cell = self.cell(key);
        add_u32(&mut cell.events, 1, key, F_EVENTS, &mut wide);
        add_i64(
            &mut cell.goldstein,
            fixed(goldstein),
            key,
            F_GOLDSTEIN,
            &mut wide,
        );
        add_u32(
            &mut cell.roots[root],
            1,
            key,
            F_ROOTS + root as u8,
            &mut wide,
        );
        if let Some(t) = tone {
            add_i64(&mut cell.tone, fixed(t), key, F_TONE, &mut wide);
            add_u32(&mut cell.tone_n, 1, key, F_TONE_N, &mut wide);
        }
        add_u64(
            &mut cell.articles,
            u64::from(articles.unwrap_or(0)),
            key,
            F_ARTICLES,
            &mut wide,
        );
        self.wide = wide;
    }

    /// Adds another table built with the same options.
    ///
    /// # Panics
    /// If the options differ (a programming error, not an input error).
    pub fn merge(&mut self, other: EventTable) {
        assert_eq!(
            self.opts, other.opts,
            "merging tables with different options"
        );
        let mut wide = std::mem::take(&mut self.wide);
        // Integer sums: the order of the additions does not matter. Pages are
        // walked in insertion order, never in hash order.
        for page in &other.pages {
            for c in page {
                self.cell(c.key).add(c, &mut wide);
            }
        }
        for (k, v) in other.wide {
            *wide.entry(k).or_default() += v;
        }
        self.wide = wide;
        // Hash order does not matter here: volumes are integer counts.
        #[allow(clippy::iter_over_hash_type)]
        for (k, (p, v)) in other.volume {
            self.volume.entry(k).or_insert((p, 0)).1 += v;
        }
        self.skipped.self_dyad += other.skipped.self_dyad;
        self.skipped.non_state += other.skipped.non_state;
    }

    /// What was left out.
    pub fn skipped(&self) -> Skipped {
        self.skipped
    }

    /// Events per period, including the ones left out of the table.
    pub fn volume(&self, period: Period) -> u64 {
        if period.kind() != self.opts.period {
            return 0;
        }
        let ord = ordinal(period.start(), self.opts.period);
        self.volume.get(&ord).map_or(0, |&(_, v)| v)
    }

    /// The exact value of a counter: its narrow part plus what overflowed.
    fn exact(&self, key: u64, field: u8, narrow: i128) -> i128 {
        if self.wide.is_empty() {
            return narrow;
        }
        narrow + self.wide.get(&(key, field)).copied().unwrap_or(0)
    }

    fn row(&self, c: &Cell) -> Option<DyadPeriod> {
        let k = c.key;
        let period = self.volume.get(&(k >> 30))?.0;
        let count = |field: u8, v: u32| self.exact(k, field, i128::from(v)) as u64;
        let mut roots = [0u64; 20];
        let mut quad = [0u64; 4];
        for (i, r) in roots.iter_mut().enumerate() {
            *r = count(F_ROOTS + i as u8, c.roots[i]);
            let q = self.opts.scheme.classify(i as u8 + 1).number();
            quad[usize::from(q - 1)] += *r;
        }
        Some(DyadPeriod {
            period,
            source: unpack_id(k >> 15)?,
            target: unpack_id(k)?,
            events: count(F_EVENTS, c.events),
            goldstein_sum: unfixed(self.exact(k, F_GOLDSTEIN, i128::from(c.goldstein))),
            quad,
            roots,
            tone_sum: unfixed(self.exact(k, F_TONE, i128::from(c.tone))),
            tone_n: count(F_TONE_N, c.tone_n),
            articles: self.exact(k, F_ARTICLES, i128::from(c.articles)) as u64,
        })
    }

    /// The cells in key order: period, source, target.
    fn sorted(&self) -> Vec<&Cell> {
        let mut cells: Vec<&Cell> = self.pages.iter().flatten().collect();
        cells.sort_unstable_by_key(|c| c.key);
        cells
    }

    /// The rows, sorted by period, source, target.
    pub fn rows(&self) -> Vec<DyadPeriod> {
        self.sorted()
            .into_iter()
            .filter_map(|c| self.row(c))
            .collect()
    }

    /// The rows in the order of [`EventTable::rows`], handed over in batches
    /// of at most `batch` rows, so a caller that writes them out never holds
    /// them all at once.
    pub fn for_each_batch(&self, batch: usize, mut f: impl FnMut(&[DyadPeriod])) {
        let batch = batch.max(1);
        let mut buf = Vec::with_capacity(batch.min(self.len));
        for c in self.sorted() {
            buf.extend(self.row(c));
            if buf.len() == batch {
                f(&buf);
                buf.clear();
            }
        }
        if !buf.is_empty() {
            f(&buf);
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Aggregates slices of events in parallel (one table per slice, merged in
/// order). Because sums are fixed-point, the result is the same for any
/// thread count and any split.
pub fn aggregate_par(parts: &[Vec<Event>], opts: AggregateOptions) -> EventTable {
    use rayon::prelude::*;
    let tables: Vec<EventTable> = parts
        .par_iter()
        .map(|p| {
            let mut t = EventTable::new(opts);
            p.iter().for_each(|e| t.add(e));
            t
        })
        .collect();
    let mut out = EventTable::new(opts);
    for t in tables {
        out.merge(t);
    }
    out
}

#[cfg(test)]
mod tests;
