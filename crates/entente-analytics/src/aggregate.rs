//! Events to a dyad-period table.
//!
//! Sums are kept in fixed point (units of 10⁻⁹) in 128-bit integers, so adding
//! events in any order, or merging tables built from any split of the input,
//! gives bitwise the same result: the aggregation is exactly mergeable, and its
//! output cannot depend on the thread count.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::ops::Range;

use entente_model::{
    CountryId, Date, DyadPeriod, Event, EventCore, Period, PeriodKind, QuadScheme,
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
    c.as_bytes().iter().fold(0u64, |acc, &b| {
        (acc << 5) | u64::from(b.wrapping_sub(b'A') & 31)
    })
}

fn unpack_id(x: u64) -> Option<CountryId> {
    let letters = [
        b'A' + ((x >> 10) & 31) as u8,
        b'A' + ((x >> 5) & 31) as u8,
        b'A' + (x & 31) as u8,
    ];
    CountryId::from_bytes(letters)
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

/// The quad class index (0 to 3) of each CAMEO root (1 to 20) under `scheme`.
fn quad_of_root(scheme: QuadScheme) -> [usize; 20] {
    std::array::from_fn(|i| usize::from(scheme.classify(i as u8 + 1).number() - 1))
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
    /// Events per period (all events counted, for volume normalisation):
    /// ordinal, period, count, in order of first appearance.
    volume: Vec<(u64, Period, u64)>,
    /// Ordinal to its slot in `volume`.
    volume_index: FastMap<u64, usize>,
    /// The last date seen and its volume slot (events come roughly in date order).
    last: Option<(Date, usize)>,
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
            volume: Vec::new(),
            volume_index: FastMap::default(),
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
            // Pages emptied by `absorb` are reused.
            if len / PAGE == self.pages.len() {
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
        self.add_core(&e.core());
    }

    /// [`EventTable::add`] from the fields it reads, for readers that do not
    /// build an [`Event`] per row.
    #[inline]
    pub fn add_core(&mut self, e: &EventCore) {
        let slot = match self.last {
            Some((d, slot)) if d == e.date => slot,
            _ => {
                let ord = ordinal(e.date, self.opts.period);
                let kind = self.opts.period;
                let next = self.volume.len();
                let slot = *self.volume_index.entry(ord).or_insert(next);
                if slot == next {
                    self.volume.push((ord, e.date.period(kind), 0));
                }
                self.last = Some((e.date, slot));
                slot
            }
        };
        let ord = {
            let v = &mut self.volume[slot];
            v.2 += 1;
            v.0
        };
        let (a, b) = match (e.source, e.target) {
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
        let root = usize::from(e.code.root() - 1);
        let mut wide = std::mem::take(&mut self.wide);
        let cell = self.cell(key);
        add_u32(&mut cell.events, 1, key, F_EVENTS, &mut wide);
        add_i64(
            &mut cell.goldstein,
            fixed(e.goldstein),
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
        if let Some(t) = e.tone {
            add_i64(&mut cell.tone, fixed(t), key, F_TONE, &mut wide);
            add_u32(&mut cell.tone_n, 1, key, F_TONE_N, &mut wide);
        }
        add_u64(
            &mut cell.articles,
            u64::from(e.articles.unwrap_or(0)),
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
    pub fn merge(&mut self, mut other: EventTable) {
        self.absorb(&mut other);
    }

    /// Adds another table built with the same options and empties it, keeping
    /// its allocations: a reader can aggregate each chunk into a small table
    /// that stays in cache, then fold it into a large one with one lookup per
    /// distinct key instead of one per event.
    ///
    /// # Panics
    /// If the options differ (a programming error, not an input error).
    pub fn absorb(&mut self, other: &mut EventTable) {
        assert_eq!(
            self.opts, other.opts,
            "merging tables with different options"
        );
        let mut wide = std::mem::take(&mut self.wide);
        // Integer sums: the order of the additions does not matter. Pages are
        // walked in insertion order, never in hash order.
        for page in &mut other.pages {
            for c in page.iter() {
                self.cell(c.key).add(c, &mut wide);
            }
            page.clear();
        }
        for (k, v) in std::mem::take(&mut other.wide) {
            *wide.entry(k).or_default() += v;
        }
        self.wide = wide;
        for (ord, p, v) in other.volume.drain(..) {
            self.add_volume(ord, p, v);
        }
        other.volume_index.clear();
        other.index.clear();
        other.len = 0;
        other.last = None;
        let skipped = std::mem::take(&mut other.skipped);
        self.skipped.self_dyad += skipped.self_dyad;
        self.skipped.non_state += skipped.non_state;
    }

    /// What was left out.
    pub fn skipped(&self) -> Skipped {
        self.skipped
    }

    fn add_volume(&mut self, ord: u64, period: Period, n: u64) {
        let next = self.volume.len();
        let slot = *self.volume_index.entry(ord).or_insert(next);
        if slot == next {
            self.volume.push((ord, period, 0));
        }
        self.volume[slot].2 += n;
    }

    /// Events per period, including the ones left out of the table.
    pub fn volume(&self, period: Period) -> u64 {
        if period.kind() != self.opts.period {
            return 0;
        }
        let ord = ordinal(period.start(), self.opts.period);
        self.volume_index
            .get(&ord)
            .map_or(0, |&slot| self.volume[slot].2)
    }

    /// The period of an ordinal that has events.
    fn period_of(&self, ord: u64) -> Option<Period> {
        self.volume_index.get(&ord).map(|&slot| self.volume[slot].1)
    }

    fn row(&self, period: Period, key: u64, s: &Sum) -> Option<DyadPeriod> {
        let mut roots = [0u64; 20];
        let mut quad = [0u64; 4];
        let quad_of = quad_of_root(self.opts.scheme);
        for (i, r) in roots.iter_mut().enumerate() {
            *r = s.roots[i];
            quad[quad_of[i]] = quad[quad_of[i]].wrapping_add(*r);
        }
        Some(DyadPeriod {
            period,
            source: unpack_id(key >> 15)?,
            target: unpack_id(key)?,
            events: s.events,
            goldstein_sum: unfixed(s.goldstein),
            quad,
            roots,
            tone_sum: unfixed(s.tone),
            tone_n: s.tone_n,
            articles: s.articles,
        })
    }

    /// Cell positions (page-major) in key order.
    fn key_order(&self) -> Vec<u32> {
        let mut keyed: Vec<(u64, u32)> = self
            .pages
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| (c.key, i as u32))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    }

    /// Empties the table of cells, keeping its volumes and skipped counts
    /// and its allocations (pages and index), for reuse.
    fn clear_cells(&mut self) {
        for page in &mut self.pages {
            page.clear();
        }
        self.index.clear();
        self.len = 0;
    }

    /// Moves the cells out as a run sorted by key, leaving the table empty of
    /// cells but with its volumes and skipped counts. A reader that bounds
    /// its memory spills runs ([`EventTable::spill`]) and merges them with
    /// [`EventTable::merge_runs`].
    pub fn take_run(&mut self) -> SortedRun {
        let order = self.key_order();
        let pages = std::mem::take(&mut self.pages);
        self.clear_cells();
        SortedRun {
            pages,
            order,
            wide: std::mem::take(&mut self.wide),
        }
    }

    /// Writes the cells to `w` as a sorted run (the format of
    /// [`SortedRun::spill`]) and empties the table of cells, keeping its
    /// volumes, skipped counts and allocations, so a reader that spills
    /// again and again reuses the same memory.
    pub fn spill(&mut self, w: &mut impl Write) -> std::io::Result<SpilledRun> {
        let order = self.key_order();
        write_cells(&self.pages, &order, w)?;
        self.clear_cells();
        Ok(SpilledRun {
            len: order.len() as u64,
            wide: std::mem::take(&mut self.wide),
        })
    }

    /// The rows, sorted by period, source, target.
    pub fn rows(&self) -> Vec<DyadPeriod> {
        let mut out = Vec::with_capacity(self.len);
        self.for_each_batch(usize::MAX, |b| out.extend_from_slice(b));
        out
    }

    /// The rows in the order of [`EventTable::rows`], handed over in batches
    /// of at most `batch` rows, so a caller that writes them out never holds
    /// them all at once.
    pub fn for_each_batch(&self, batch: usize, mut f: impl FnMut(&[DyadPeriod])) {
        let r: std::io::Result<()> = self.merge_runs(Vec::<Run<Vec<u8>>>::new(), batch, |b| {
            f(b);
            Ok(())
        });
        // Only readers of spilled runs can fail, and there are none.
        debug_assert!(r.is_ok());
    }

    /// The views of this table's own cells and of `runs`, in run order.
    fn views<'a, R: ReadAt>(&'a self, runs: &'a [Run<R>]) -> Vec<View<'a, R>> {
        let mut own: Vec<&Cell> = self.pages.iter().flatten().collect();
        own.sort_unstable_by_key(|c| c.key);
        let mut views = vec![View::Table(own, &self.wide)];
        views.extend(runs.iter().map(|r| match r {
            Run::Memory(m) => View::Memory(m),
            Run::Spilled(s, reader) => View::Spilled(s, reader),
        }));
        views
    }

    /// The rows of this table's cells and of `runs` (taken from tables with
    /// the same options, whose volumes were merged into this one), summed per
    /// key and handed over in key order in batches of at most `batch` rows.
    /// Memory: a read buffer per spilled run plus one batch. Errors are those
    /// of the spilled runs' readers, or of `f`.
    pub fn merge_runs<R: ReadAt>(
        &self,
        runs: Vec<Run<R>>,
        batch: usize,
        f: impl FnMut(&[DyadPeriod]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let views = self.views(&runs);
        let ranges: Vec<Range<u64>> = views.iter().map(|v| 0..v.len()).collect();
        let mut f = f;
        self.merge_ranges(&views, &ranges, batch, |b| f(b.as_slice()))
    }

    /// [`EventTable::merge_runs`] in parallel: the key space is cut into
    /// parts of about `rows_per_part` cells, the parts are merged by the
    /// threads of the current rayon pool (a few at a time, so memory stays
    /// bounded), each part's rows go through `map` on the thread that merged
    /// them, and `consume` receives the results in key order on the calling
    /// thread. Returns the number of rows. The rows, and so the results, are
    /// the same for any pool size.
    pub fn merge_runs_par<R: ReadAt + Sync, T: Send>(
        &self,
        runs: Vec<Run<R>>,
        rows_per_part: usize,
        map: impl Fn(&[DyadPeriod]) -> T + Sync,
        mut consume: impl FnMut(T) -> std::io::Result<()>,
    ) -> std::io::Result<u64> {
        let views = self.views(&runs);
        let total: u64 = views.iter().map(View::len).sum();
        let parts = (total / rows_per_part.max(1) as u64).clamp(1, 1 << 16) as usize;
        // Cut keys: quantiles of a sample of every run's keys.
        let mut sample = Vec::new();
        for v in &views {
            let n = v.len();
            let k = (n * parts as u64 / total.max(1))
                .clamp(1, 4 * parts as u64)
                .min(n);
            for j in 0..k {
                sample.push(v.key_at(j * n / k)?);
            }
        }
        sample.sort_unstable();
        let mut cuts: Vec<u64> = (1..parts)
            .map(|p| sample[p * sample.len() / parts])
            .collect();
        cuts.dedup();
        // Each view's position of each cut (the first cell at or above it).
        let mut at = Vec::with_capacity(views.len());
        for v in &views {
            let mut pos = vec![0u64];
            for &c in &cuts {
                pos.push(v.lower_bound(c)?);
            }
            pos.push(v.len());
            at.push(pos);
        }
        // Parts are spawned in order with at most `limit` in flight; the
        // calling thread takes finished parts and hands them to `consume` in
        // order, so merging, formatting and writing overlap.
        let limit = 2 * rayon::current_num_threads().max(1);
        let count = cuts.len() + 1;
        let (tx, rx) = std::sync::mpsc::channel::<(usize, std::io::Result<(T, u64)>)>();
        // Dropped after the last spawn, so `recv` can never wait for a part
        // that will not come.
        let mut tx = Some(tx);
        let mut rows = 0u64;
        let mut result = Ok(());
        rayon::in_place_scope(|scope| {
            let mut ready: BTreeMap<usize, std::io::Result<(T, u64)>> = BTreeMap::new();
            let mut next = 0usize;
            let mut spawned = 0usize;
            while next < count {
                while spawned < count && spawned < next + limit {
                    let p = spawned;
                    let Some(sender) = tx.clone() else { break };
                    let (views, at, map) = (&views, &at, &map);
                    scope.spawn(move |_| {
                        let work = || {
                            let ranges: Vec<Range<u64>> =
                                at.iter().map(|pos| pos[p]..pos[p + 1]).collect();
                            let mut part = Vec::new();
                            self.merge_ranges(views, &ranges, usize::MAX, |b| {
                                part = std::mem::take(b);
                                Ok(())
                            })
                            .map(|()| (map(&part), part.len() as u64))
                        };
                        // A panic (a bug in `map`, say) still reports, so the
                        // calling thread stops waiting; the scope re-raises it.
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
                            Ok(r) => {
                                // The receiver outlives the scope.
                                let _ = sender.send((p, r));
                            }
                            Err(panic) => {
                                let _ = sender
                                    .send((p, Err(std::io::Error::other("a merge part panicked"))));
                                std::panic::resume_unwind(panic);
                            }
                        }
                    });
                    spawned += 1;
                    if spawned == count {
                        tx = None;
                    }
                }
                if let Some(r) = ready.remove(&next) {
                    next += 1;
                    result = r.and_then(|(t, n)| {
                        rows += n;
                        consume(t)
                    });
                    if result.is_err() {
                        // The scope still waits for the parts in flight.
                        break;
                    }
                    continue;
                }
                match receive(&rx) {
                    Some((p, r)) => {
                        ready.insert(p, r);
                    }
                    None => break,
                }
            }
        });
        result.map(|()| rows)
    }

    /// Merges `ranges[i]` of `views[i]` for every view, in key order.
    fn merge_ranges<R: ReadAt>(
        &self,
        views: &[View<'_, R>],
        ranges: &[Range<u64>],
        batch: usize,
        mut f: impl FnMut(&mut Vec<DyadPeriod>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut cursors: Vec<Cursor<'_, R>> = views
            .iter()
            .zip(ranges)
            .map(|(view, r)| Cursor {
                view,
                pos: r.start,
                end: r.end,
                buf: Vec::new(),
                buf_start: 0,
                head: None,
            })
            .collect();
        let mut heap = std::collections::BinaryHeap::new();
        for (i, c) in cursors.iter_mut().enumerate() {
            if let Some(key) = c.advance()? {
                heap.push(std::cmp::Reverse((key, i)));
            }
        }
        let batch = batch.max(1);
        let mut buf = Vec::with_capacity(batch.min(1 << 12));
        let mut last_period: Option<(u64, Period)> = None;
        while let Some(std::cmp::Reverse((key, i))) = heap.pop() {
            let mut sum = Sum::default();
            cursors[i].take_into(&mut sum);
            if let Some(k) = cursors[i].advance()? {
                heap.push(std::cmp::Reverse((k, i)));
            }
            // Every other run holding the same key (ties pop in run order).
            while let Some(&std::cmp::Reverse((k, j))) = heap.peek() {
                if k != key {
                    break;
                }
                heap.pop();
                cursors[j].take_into(&mut sum);
                if let Some(k) = cursors[j].advance()? {
                    heap.push(std::cmp::Reverse((k, j)));
                }
            }
            let ord = key >> 30;
            let period = match last_period {
                Some((o, p)) if o == ord => Some(p),
                _ => self.period_of(ord),
            };
            if let Some(p) = period {
                last_period = Some((ord, p));
                buf.extend(self.row(p, key, &sum));
            }
            if buf.len() >= batch {
                f(&mut buf)?;
                buf.clear();
            }
        }
        if !buf.is_empty() {
            f(&mut buf)?;
        }
        Ok(())
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

/// Size of one cell in a spilled run.
const CELL_BYTES: usize = 120;

impl Cell {
    fn encode(&self, out: &mut [u8; CELL_BYTES]) {
        out[0..8].copy_from_slice(&self.key.to_le_bytes());
        out[8..16].copy_from_slice(&self.goldstein.to_le_bytes());
        out[16..24].copy_from_slice(&self.tone.to_le_bytes());
        out[24..32].copy_from_slice(&self.articles.to_le_bytes());
        out[32..36].copy_from_slice(&self.events.to_le_bytes());
        out[36..40].copy_from_slice(&self.tone_n.to_le_bytes());
        for (i, r) in self.roots.iter().enumerate() {
            out[40 + 4 * i..44 + 4 * i].copy_from_slice(&r.to_le_bytes());
        }
    }

    fn decode(b: &[u8; CELL_BYTES]) -> Cell {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4]));
        let mut roots = [0u32; 20];
        for (i, r) in roots.iter_mut().enumerate() {
            *r = u32_at(40 + 4 * i);
        }
        Cell {
            key: u64_at(0),
            goldstein: u64_at(8) as i64,
            tone: u64_at(16) as i64,
            articles: u64_at(24),
            events: u32_at(32),
            tone_n: u32_at(36),
            roots,
        }
    }
}

/// Exact sums of one key across runs. Counts are kept modulo 2^64 (wrapping),
/// which is exactly what the `u64` fields of a row hold; the fixed-point sums
/// need 128 bits.
#[derive(Debug, Default)]
struct Sum {
    events: u64,
    goldstein: i128,
    tone: i128,
    tone_n: u64,
    articles: u64,
    roots: [u64; 20],
}

impl Sum {
    #[inline]
    fn add(&mut self, c: &Cell, wide: &Overflow) {
        self.events = self.events.wrapping_add(u64::from(c.events));
        self.goldstein += i128::from(c.goldstein);
        self.tone += i128::from(c.tone);
        self.tone_n = self.tone_n.wrapping_add(u64::from(c.tone_n));
        self.articles = self.articles.wrapping_add(c.articles);
        for (s, &r) in self.roots.iter_mut().zip(&c.roots) {
            *s = s.wrapping_add(u64::from(r));
        }
        if wide.is_empty() {
            return;
        }
        // What the cell's narrow counters wrapped past (the low 64 bits of
        // a carry are what a count modulo 2^64 gains).
        for (&(_, field), &v) in wide.range((c.key, 0)..=(c.key, u8::MAX)) {
            let low = v as u64;
            match field {
                F_GOLDSTEIN => self.goldstein += v,
                F_TONE => self.tone += v,
                F_EVENTS => self.events = self.events.wrapping_add(low),
                F_TONE_N => self.tone_n = self.tone_n.wrapping_add(low),
                F_ARTICLES => self.articles = self.articles.wrapping_add(low),
                f => {
                    let r = &mut self.roots[usize::from(f - F_ROOTS)];
                    *r = r.wrapping_add(low);
                }
            }
        }
    }
}

/// Writes the cells at `order` (page-major positions) to `w`, 120 bytes each.
fn write_cells(pages: &[Vec<Cell>], order: &[u32], w: &mut impl Write) -> std::io::Result<()> {
    let mut b = [0u8; CELL_BYTES];
    for &i in order {
        let i = i as usize;
        pages[i / PAGE][i % PAGE].encode(&mut b);
        w.write_all(&b)?;
    }
    Ok(())
}

/// The cells of a table in key order, from [`EventTable::take_run`]: kept in
/// memory, or written out with [`SortedRun::spill`] to bound memory.
#[derive(Debug, Clone, Default)]
pub struct SortedRun {
    pages: Vec<Vec<Cell>>,
    /// Page-major cell positions in key order.
    order: Vec<u32>,
    wide: Overflow,
}

impl SortedRun {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the run has no cells.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Writes the cells to `w` (120 bytes each, little-endian) and keeps
    /// in memory only what is needed to read them back: their number and the
    /// overflow ledger (empty unless a counter wrapped).
    pub fn spill(self, w: &mut impl Write) -> std::io::Result<SpilledRun> {
        write_cells(&self.pages, &self.order, w)?;
        Ok(SpilledRun {
            len: self.order.len() as u64,
            wide: self.wide,
        })
    }
}

/// What stays in memory of a spilled run.
#[derive(Debug, Clone)]
pub struct SpilledRun {
    len: u64,
    wide: Overflow,
}

/// Waits for the next message. On a thread of a rayon pool (a caller inside
/// `install`), blocking would leave the spawned parts nobody to run them, so
/// the thread runs pending jobs while it waits.
fn receive<M>(rx: &std::sync::mpsc::Receiver<M>) -> Option<M> {
    use std::sync::mpsc::TryRecvError;
    loop {
        match rx.try_recv() {
            Ok(m) => return Some(m),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => match rayon::yield_now() {
                Some(rayon::Yield::Executed) => {}
                Some(rayon::Yield::Idle) => std::thread::yield_now(),
                None => return rx.recv().ok(),
            },
        }
    }
}

/// Reads at a position, without a cursor, so several threads can read parts
/// of one spilled run at once (`pread` on a file; plain slicing in memory).
pub trait ReadAt: Sync {
    /// Fills `buf` from the bytes at `offset`; fails with `UnexpectedEof`
    /// when there are not enough.
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()>;
}

impl ReadAt for [u8] {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        match start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
        {
            Some(src) => {
                buf.copy_from_slice(src);
                Ok(())
            }
            None => Err(std::io::ErrorKind::UnexpectedEof.into()),
        }
    }
}

impl ReadAt for Vec<u8> {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        self.as_slice().read_exact_at(buf, offset)
    }
}

impl<T: ReadAt + ?Sized> ReadAt for &T {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        (**self).read_exact_at(buf, offset)
    }
}

/// A sorted run for [`EventTable::merge_runs`].
#[derive(Debug, Clone)]
pub enum Run<R> {
    /// Cells kept in memory.
    Memory(SortedRun),
    /// Cells written with [`SortedRun::spill`] or [`EventTable::spill`] to
    /// the start of `R`.
    Spilled(SpilledRun, R),
}

/// A run's cells in key order, addressable by position.
enum View<'a, R> {
    Table(Vec<&'a Cell>, &'a Overflow),
    Memory(&'a SortedRun),
    Spilled(&'a SpilledRun, &'a R),
}

impl<R: ReadAt> View<'_, R> {
    fn len(&self) -> u64 {
        match self {
            View::Table(cells, _) => cells.len() as u64,
            View::Memory(r) => r.order.len() as u64,
            View::Spilled(s, _) => s.len,
        }
    }

    fn wide(&self) -> &Overflow {
        match self {
            View::Table(_, w) => w,
            View::Memory(r) => &r.wide,
            View::Spilled(s, _) => &s.wide,
        }
    }

    /// The cell at `i` of a table or memory run (`None` for a spilled run).
    fn cell(&self, i: u64) -> Option<&Cell> {
        match self {
            View::Table(cells, _) => cells.get(i as usize).copied(),
            View::Memory(r) => r.order.get(i as usize).map(|&j| {
                let j = j as usize;
                &r.pages[j / PAGE][j % PAGE]
            }),
            View::Spilled(..) => None,
        }
    }

    fn key_at(&self, i: u64) -> std::io::Result<u64> {
        match self {
            View::Spilled(_, r) => {
                let mut b = [0u8; 8];
                r.read_exact_at(&mut b, i * CELL_BYTES as u64)?;
                Ok(u64::from_le_bytes(b))
            }
            _ => Ok(self.cell(i).map_or(u64::MAX, |c| c.key)),
        }
    }

    /// The first position whose key is at least `key`.
    fn lower_bound(&self, key: u64) -> std::io::Result<u64> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key_at(mid)? < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }
}

/// Cells read from a spilled run per read.
const READ_CELLS: u64 = 512;

struct Cursor<'a, R> {
    view: &'a View<'a, R>,
    pos: u64,
    end: u64,
    /// Cells of a spilled run read ahead, and the position of the first.
    buf: Vec<u8>,
    buf_start: u64,
    /// The position of the current cell (cells are summed in place, not copied).
    head: Option<u64>,
}

impl<R: ReadAt> Cursor<'_, R> {
    /// Moves to the next cell; returns its key.
    fn advance(&mut self) -> std::io::Result<Option<u64>> {
        if self.pos >= self.end {
            self.head = None;
            return Ok(None);
        }
        let i = self.pos;
        self.pos += 1;
        self.head = Some(i);
        let key = match self.view {
            View::Spilled(_, r) => {
                let have = self.buf.len() as u64 / CELL_BYTES as u64;
                if self.buf.is_empty() || i < self.buf_start || i >= self.buf_start + have {
                    let n = READ_CELLS.min(self.end - i);
                    self.buf.resize(n as usize * CELL_BYTES, 0);
                    r.read_exact_at(&mut self.buf, i * CELL_BYTES as u64)?;
                    self.buf_start = i;
                }
                let at = (i - self.buf_start) as usize * CELL_BYTES;
                let mut k = [0u8; 8];
                k.copy_from_slice(&self.buf[at..at + 8]);
                u64::from_le_bytes(k)
            }
            view => view.cell(i).map_or(u64::MAX, |c| c.key),
        };
        Ok(Some(key))
    }

    fn take_into(&mut self, sum: &mut Sum) {
        let Some(i) = self.head.take() else { return };
        match self.view {
            View::Spilled(..) => {
                let at = (i - self.buf_start) as usize * CELL_BYTES;
                let mut b = [0u8; CELL_BYTES];
                b.copy_from_slice(&self.buf[at..at + CELL_BYTES]);
                sum.add(&Cell::decode(&b), self.view.wide());
            }
            view => {
                if let Some(c) = view.cell(i) {
                    sum.add(c, view.wide());
                }
            }
        }
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
