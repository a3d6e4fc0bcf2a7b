//! Events to a dyad-period table.
//!
//! Sums are kept in fixed point (units of 10⁻⁹) in 128-bit integers, so adding
//! events in any order, or merging tables built from any split of the input,
//! gives bitwise the same result: the aggregation is exactly mergeable, and its
//! output cannot depend on the thread count.

use std::collections::HashMap;

use entente_model::{CountryId, DyadPeriod, Event, Period, PeriodKind, QuadScheme};

/// Fixed-point scale of the sums.
const SCALE: f64 = 1e9;

fn fixed(x: f64) -> i128 {
    // Inputs are validated finite and bounded (Goldstein within ±10, tone within ±100).
    (x * SCALE).round() as i128
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Cell {
    events: u64,
    goldstein: i128,
    quad: [u64; 4],
    roots: [u64; 20],
    tone: i128,
    tone_n: u64,
    articles: u64,
}

impl Cell {
    fn add(&mut self, other: &Cell) {
        self.events += other.events;
        self.goldstein += other.goldstein;
        self.tone += other.tone;
        self.tone_n += other.tone_n;
        self.articles += other.articles;
        for i in 0..4 {
            self.quad[i] += other.quad[i];
        }
        for i in 0..20 {
            self.roots[i] += other.roots[i];
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

/// A mergeable dyad-period event table.
#[derive(Debug, Clone)]
pub struct EventTable {
    opts: AggregateOptions,
    cells: HashMap<(Period, CountryId, CountryId), Cell>,
    /// Events per period, all events counted (for volume normalisation).
    volume: HashMap<Period, u64>,
    skipped: Skipped,
}

impl EventTable {
    /// An empty table.
    pub fn new(opts: AggregateOptions) -> EventTable {
        EventTable {
            opts,
            cells: HashMap::new(),
            volume: HashMap::new(),
            skipped: Skipped::default(),
        }
    }

    /// The options.
    pub fn options(&self) -> AggregateOptions {
        self.opts
    }

    /// Adds one event. Events without two different states are counted in
    /// [`EventTable::skipped`], never dropped silently.
    pub fn add(&mut self, e: &Event) {
        let period = e.date.period(self.opts.period);
        *self.volume.entry(period).or_default() += 1;
        let (a, b) = match (e.source.country, e.target.country) {
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
        let key = if self.opts.directed || a < b {
            (period, a, b)
        } else {
            (period, b, a)
        };
        let cell = self.cells.entry(key).or_default();
        cell.events += 1;
        cell.goldstein += fixed(e.goldstein);
        let q = e.code.quad(self.opts.scheme).number();
        cell.quad[usize::from(q - 1)] += 1;
        cell.roots[usize::from(e.code.root() - 1)] += 1;
        if let Some(t) = e.tone {
            cell.tone += fixed(t);
            cell.tone_n += 1;
        }
        cell.articles += u64::from(e.articles.unwrap_or(0));
    }

    /// Adds another table built with the same options.
    ///
    /// # Panics
    /// If the options differ (a programming error, not an input error).
    // Hash order does not matter here: cells are integer (fixed-point) sums.
    #[allow(clippy::iter_over_hash_type)]
    pub fn merge(&mut self, other: EventTable) {
        assert_eq!(
            self.opts, other.opts,
            "merging tables with different options"
        );
        for (k, v) in other.cells {
            self.cells.entry(k).or_default().add(&v);
        }
        for (k, v) in other.volume {
            *self.volume.entry(k).or_default() += v;
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
        self.volume.get(&period).copied().unwrap_or(0)
    }

    /// The rows, sorted by period, source, target.
    pub fn rows(&self) -> Vec<DyadPeriod> {
        let mut keys: Vec<&(Period, CountryId, CountryId)> = self.cells.keys().collect();
        keys.sort_unstable();
        keys.into_iter()
            .map(|k| {
                let c = &self.cells[k];
                DyadPeriod {
                    period: k.0,
                    source: k.1,
                    target: k.2,
                    events: c.events,
                    goldstein_sum: unfixed(c.goldstein),
                    quad: c.quad,
                    roots: c.roots,
                    tone_sum: unfixed(c.tone),
                    tone_n: c.tone_n,
                    articles: c.articles,
                }
            })
            .collect()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
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
