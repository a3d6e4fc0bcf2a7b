//! Partnership strength per undirected dyad and year, from five channels.
//!
//! See docs/methodology.md, section 2, for the formulas, defaults and the
//! published work each choice follows. In short: every channel is put on
//! \[0, 1\] (bounded indicators as they are, counts and volumes by a mid-rank
//! percentile within the year, with zero kept at zero), a channel with no
//! data is missing (never zero), and the score is the weighted mean of the
//! cooperative channels present minus the weighted conflict penalty, over the
//! weights present, on \[−1, 1\].

use std::collections::{BTreeMap, HashMap};

use entente_model::{
    AlignmentScore, AllianceYear, CameoCode, Channel, ChannelScore, CountryId, Event, IgoYear,
    NationalTrade, PartnershipScore, Period, QuadClass, QuadScheme, TradeYear,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rank::{Percentiles, SplitMix64, spearman, stream_seed};

/// Event categories used by the channels (exclusive; the first that applies wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventCategory {
    /// Quad classes 3 and 4: verbal and material conflict (threats, sanctions, force).
    Conflict,
    /// Military cooperation: 062, 0312, 0332, 0334, 072, 074.
    Military,
    /// Economic cooperation: 061, 0311, 0331, 071.
    Economic,
    /// Diplomatic cooperation: roots 03 (intent to cooperate), 04 (consult), 05 (diplomatic cooperation).
    Diplomatic,
    /// Anything else (statements, appeals, yielding, investigations...).
    Other,
}

impl EventCategory {
    /// The category of a CAMEO code.
    pub fn of(code: CameoCode) -> EventCategory {
        let q = code.quad(QuadScheme::Gdelt);
        if matches!(q, QuadClass::VerbalConflict | QuadClass::MaterialConflict) {
            return EventCategory::Conflict;
        }
        match code.as_str() {
            "062" | "0312" | "0332" | "0334" | "072" | "074" => EventCategory::Military,
            "061" | "0311" | "0331" | "071" => EventCategory::Economic,
            _ if matches!(code.root(), 3..=5) => EventCategory::Diplomatic,
            _ => EventCategory::Other,
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// Event counts of an undirected dyad-year by category
/// (conflict, military, economic, diplomatic, other).
pub type Counts = [u64; 5];

/// Undirected dyad-year event counts by category: the event input of the channels.
#[derive(Debug, Clone, Default)]
pub struct EventChannels {
    counts: HashMap<(i32, CountryId, CountryId), Counts>,
}

impl EventChannels {
    /// Adds one event (events without two different states are ignored;
    /// the aggregation table counts them).
    pub fn add(&mut self, e: &Event) {
        let Some((a, b)) = e.dyad() else { return };
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let c = self.counts.entry((e.date.year(), a, b)).or_default();
        c[EventCategory::of(e.code).index()] += 1;
    }
    /// Merges another accumulator.
    // Hash order does not matter here: the counts are integer sums.
    #[allow(clippy::iter_over_hash_type)]
    pub fn merge(&mut self, other: EventChannels) {
        for (k, v) in other.counts {
            let c = self.counts.entry(k).or_default();
            for i in 0..5 {
                c[i] += v[i];
            }
        }
    }
    /// The years with events, sorted.
    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.counts.keys().map(|k| k.0).collect();
        y.sort_unstable();
        y.dedup();
        y
    }
}

/// Channel weights. Defaults are equal (1 each): no channel is assumed to
/// matter more, as the OECD/JRC handbook on composite indicators (2008)
/// recommends absent a theory-based reason; the sensitivity check shows what
/// moving them does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Diplomatic channel.
    pub diplomatic: f64,
    /// UN voting alignment.
    pub alignment: f64,
    /// Economic channel.
    pub economic: f64,
    /// Security channel.
    pub security: f64,
    /// Conflict penalty.
    pub conflict: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            diplomatic: 1.0,
            alignment: 1.0,
            economic: 1.0,
            security: 1.0,
            conflict: 1.0,
        }
    }
}

impl Weights {
    /// The weight of a channel.
    pub fn of(&self, c: Channel) -> f64 {
        match c {
            Channel::Diplomatic => self.diplomatic,
            Channel::Alignment => self.alignment,
            Channel::Economic => self.economic,
            Channel::Security => self.security,
            Channel::Conflict => self.conflict,
        }
    }
    fn with(mut self, c: Channel, w: f64) -> Weights {
        match c {
            Channel::Diplomatic => self.diplomatic = w,
            Channel::Alignment => self.alignment = w,
            Channel::Economic => self.economic = w,
            Channel::Security => self.security = w,
            Channel::Conflict => self.conflict = w,
        }
        self
    }
}

/// The structural inputs (one slice per data set; any may be empty).
#[derive(Debug, Clone, Copy, Default)]
pub struct Structural<'a> {
    /// COW dyadic trade.
    pub trade: &'a [TradeYear],
    /// COW national trade (for dependence).
    pub national_trade: &'a [NationalTrade],
    /// ATOP directed dyad-years.
    pub alliances: &'a [AllianceYear],
    /// First and last year ATOP covers (a dyad absent in those years has no alliance).
    pub alliance_years: Option<(i32, i32)>,
    /// COW shared IGO memberships.
    pub igo: &'a [IgoYear],
    /// UN voting alignment.
    pub alignment: &'a [AlignmentScore],
}

/// Options of the partnership computation.
#[derive(Debug, Clone)]
pub struct PartnershipOptions {
    /// Years to score (each also needs its previous year for the change).
    pub years: Vec<i32>,
    /// Channel weights.
    pub weights: Weights,
    /// Bootstrap replicates for the interval (0 turns it off).
    pub bootstrap: u32,
    /// Run seed of the bootstrap.
    pub seed: u64,
    /// Events a dyad needs in a year before its event counts are used; below
    /// it the event inputs are missing (a 15-minute news sample with two
    /// events says nothing about a year's diplomacy).
    pub min_events: u64,
}

impl Default for PartnershipOptions {
    fn default() -> Self {
        PartnershipOptions {
            years: Vec::new(),
            weights: Weights::default(),
            bootstrap: 200,
            seed: 20_240_516,
            min_events: 5,
        }
    }
}

/// The raw inputs of one undirected dyad-year.
#[derive(Debug, Clone, Default)]
struct Raw {
    igo: Option<f64>,
    trade: Option<f64>,
    dependence: Option<f64>,
    alliance: Option<f64>,
    agreement: Option<f64>,
    events: Option<Counts>,
}

/// The per-year reference distributions of the ranked inputs.
struct YearScales {
    igo: Percentiles,
    trade: Percentiles,
    dependence: Percentiles,
    diplomatic: Percentiles,
    economic: Percentiles,
    military: Percentiles,
}

/// Zero stays zero; a positive value is ranked among the positive values.
fn pos_rank(p: &Percentiles, x: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { p.of(x) }
}

fn positives(it: impl Iterator<Item = Option<f64>>) -> Percentiles {
    Percentiles::new(it.flatten().filter(|x| *x > 0.0).collect())
}

/// Alliance obligation on \[0, 1\]: defence or offence pact 1, consultation or
/// neutrality 0.5, non-aggression 0.25, none 0; the strongest in either direction.
pub fn obligation(a: &AllianceYear) -> f64 {
    if a.defense || a.offense {
        1.0
    } else if a.consultation || a.neutrality {
        0.5
    } else if a.nonaggression {
        0.25
    } else {
        0.0
    }
}

fn key(a: CountryId, b: CountryId) -> (CountryId, CountryId) {
    if a < b { (a, b) } else { (b, a) }
}

// Hash order does not matter here: each key is inserted into a BTreeMap once.
#[allow(clippy::iter_over_hash_type)]
fn gather(
    year: i32,
    s: &Structural<'_>,
    ev: &EventChannels,
    min_events: u64,
) -> BTreeMap<(CountryId, CountryId), Raw> {
    let mut m: BTreeMap<(CountryId, CountryId), Raw> = BTreeMap::new();
    for r in s.igo.iter().filter(|r| r.year == year && r.a != r.b) {
        m.entry(key(r.a, r.b)).or_default().igo = Some(f64::from(r.shared));
    }
    let totals: HashMap<CountryId, f64> = s
        .national_trade
        .iter()
        .filter(|t| t.year == year)
        .filter_map(|t| Some((t.country, t.imports? + t.exports?)))
        .collect();
    for r in s.trade.iter().filter(|r| r.year == year && r.a != r.b) {
        let total = match (r.a_imports, r.b_imports) {
            (None, None) => continue,
            (x, y) => x.unwrap_or(0.0) + y.unwrap_or(0.0),
        };
        let raw = m.entry(key(r.a, r.b)).or_default();
        raw.trade = Some(total);
        if let (Some(ta), Some(tb)) = (totals.get(&r.a), totals.get(&r.b)) {
            if *ta > 0.0 && *tb > 0.0 {
                raw.dependence = Some(((total / ta).min(1.0) * (total / tb).min(1.0)).sqrt());
            }
        }
    }
    for r in s.alignment.iter().filter(|r| r.year == year) {
        m.entry(key(r.a, r.b)).or_default().agreement = Some(r.agreement);
    }
    for ((y, a, b), c) in &ev.counts {
        if *y == year && c.iter().sum::<u64>() >= min_events {
            m.entry((*a, *b)).or_default().events = Some(*c);
        }
    }
    if let Some((first, last)) = s.alliance_years {
        if (first..=last).contains(&year) {
            let mut best: HashMap<(CountryId, CountryId), f64> = HashMap::new();
            for r in s.alliances.iter().filter(|r| r.year == year && r.a != r.b) {
                let e = best.entry(key(r.a, r.b)).or_default();
                *e = e.max(obligation(r));
            }
            // ATOP covers every pair of states: a pair it does not list has no alliance.
            for (k, raw) in m.iter_mut() {
                raw.alliance = Some(best.get(k).copied().unwrap_or(0.0));
            }
        }
    }
    m
}

fn scales(m: &BTreeMap<(CountryId, CountryId), Raw>) -> YearScales {
    let ev = |i: usize| positives(m.values().map(|r| r.events.map(|c| c[i] as f64)));
    YearScales {
        igo: positives(m.values().map(|r| r.igo)),
        trade: positives(m.values().map(|r| r.trade)),
        dependence: positives(m.values().map(|r| r.dependence)),
        diplomatic: ev(EventCategory::Diplomatic.index()),
        economic: ev(EventCategory::Economic.index()),
        military: ev(EventCategory::Military.index()),
    }
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// A channel's value and the named inputs behind it.
type ChannelValue = (Option<f64>, Vec<(String, f64)>);

/// Channel values of one dyad (with the inputs behind each), given its event counts.
fn channels(raw: &Raw, events: Option<&Counts>, sc: &YearScales) -> [ChannelValue; 5] {
    let mut dip = (Vec::new(), Vec::new());
    let mut eco = (Vec::new(), Vec::new());
    let mut sec = (Vec::new(), Vec::new());
    let push = |acc: &mut (Vec<f64>, Vec<(String, f64)>), name: &str, raw: f64, v: f64| {
        acc.0.push(v);
        acc.1.push((name.to_owned(), raw));
        acc.1.push((format!("{name}_scaled"), v));
    };
    if let Some(x) = raw.igo {
        push(&mut dip, "shared_igos", x, pos_rank(&sc.igo, x));
    }
    if let Some(x) = raw.trade {
        push(&mut eco, "trade_musd", x, pos_rank(&sc.trade, x));
    }
    if let Some(x) = raw.dependence {
        push(
            &mut eco,
            "mutual_dependence",
            x,
            pos_rank(&sc.dependence, x),
        );
    }
    if let Some(x) = raw.alliance {
        push(&mut sec, "alliance_obligation", x, x);
    }
    let mut conflict = (None, Vec::new());
    if let Some(c) = events {
        let n: u64 = c.iter().sum();
        let d = c[EventCategory::Diplomatic.index()] as f64;
        let e = c[EventCategory::Economic.index()] as f64;
        let m = c[EventCategory::Military.index()] as f64;
        // Event data record what was reported: a category with no reported
        // event is no evidence of absence, so it is missing rather than zero.
        if d > 0.0 {
            push(
                &mut dip,
                "diplomatic_events",
                d,
                pos_rank(&sc.diplomatic, d),
            );
        }
        if e > 0.0 {
            push(&mut eco, "economic_events", e, pos_rank(&sc.economic, e));
        }
        if m > 0.0 {
            push(&mut sec, "military_events", m, pos_rank(&sc.military, m));
        }
        if n > 0 {
            let k = c[EventCategory::Conflict.index()] as f64;
            conflict = (
                Some(k / n as f64),
                vec![
                    ("conflict_events".to_owned(), k),
                    ("events".to_owned(), n as f64),
                ],
            );
        }
    }
    let alignment = match raw.agreement {
        Some(a) => (Some(a), vec![("un_agreement".to_owned(), a)]),
        None => (None, Vec::new()),
    };
    [
        (mean(&dip.0), dip.1),
        alignment,
        (mean(&eco.0), eco.1),
        (mean(&sec.0), sec.1),
        conflict,
    ]
}

/// The score from channel values: cooperative channels add, conflict subtracts,
/// divided by the weights of the channels present.
pub fn combine(values: &[Option<f64>; 5], w: &Weights) -> Option<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    for (c, v) in Channel::ALL.iter().zip(values) {
        if let Some(v) = v {
            let wc = w.of(*c);
            num += if *c == Channel::Conflict {
                -wc * v
            } else {
                wc * v
            };
            den += wc;
        }
    }
    (den > 0.0).then(|| num / den)
}

struct Scored {
    key: (CountryId, CountryId),
    values: [Option<f64>; 5],
    inputs: [Vec<(String, f64)>; 5],
    score: Option<f64>,
    ci: Option<(f64, f64)>,
}

fn score_year(
    year: i32,
    s: &Structural<'_>,
    ev: &EventChannels,
    opts: &PartnershipOptions,
    with_ci: bool,
) -> Vec<Scored> {
    let raw = gather(year, s, ev, opts.min_events);
    let sc = scales(&raw);
    let items: Vec<(&(CountryId, CountryId), &Raw)> = raw.iter().collect();
    items
        .par_iter()
        .map(|(k, r)| {
            let ch = channels(r, r.events.as_ref(), &sc);
            let values = [ch[0].0, ch[1].0, ch[2].0, ch[3].0, ch[4].0];
            let inputs = ch.map(|c| c.1);
            let score = combine(&values, &opts.weights);
            let ci = match (with_ci, r.events, score) {
                (true, Some(c), Some(_)) if opts.bootstrap > 0 => {
                    bootstrap(year, **k, r, &c, &sc, opts)
                }
                _ => None,
            };
            Scored {
                key: **k,
                values,
                inputs,
                score,
                ci,
            }
        })
        .collect()
}

/// Resamples the dyad's events (multinomial over its categories), holding the
/// other inputs and the year's scales fixed; the 2.5th and 97.5th percentiles.
fn bootstrap(
    year: i32,
    k: (CountryId, CountryId),
    raw: &Raw,
    c: &Counts,
    sc: &YearScales,
    opts: &PartnershipOptions,
) -> Option<(f64, f64)> {
    let n: u64 = c.iter().sum();
    if n == 0 {
        return None;
    }
    let mut rng = SplitMix64::new(stream_seed(opts.seed, &format!("{}|{}|{year}", k.0, k.1)));
    let cum: Vec<f64> = c
        .iter()
        .scan(0.0, |acc, &x| {
            *acc += x as f64 / n as f64;
            Some(*acc)
        })
        .collect();
    let mut draws = Vec::with_capacity(opts.bootstrap as usize);
    for _ in 0..opts.bootstrap {
        let mut sample: Counts = [0; 5];
        for _ in 0..n {
            let u = rng.next_f64();
            let i = cum.iter().position(|&p| u < p).unwrap_or(4);
            sample[i] += 1;
        }
        let ch = channels(raw, Some(&sample), sc);
        if let Some(s) = combine(
            &[ch[0].0, ch[1].0, ch[2].0, ch[3].0, ch[4].0],
            &opts.weights,
        ) {
            draws.push(s);
        }
    }
    draws.sort_by(f64::total_cmp);
    let q = |p: f64| draws[((draws.len() - 1) as f64 * p).round() as usize];
    (!draws.is_empty()).then(|| (q(0.025), q(0.975)))
}

/// Scores every dyad with data in each requested year, ranked within the
/// year (1 = strongest; ties broken by the dyad's ids), with the change
/// against the previous year where that year has a score too.
pub fn partnership(
    s: &Structural<'_>,
    ev: &EventChannels,
    opts: &PartnershipOptions,
) -> Vec<PartnershipScore> {
    let mut out = Vec::new();
    let mut years = opts.years.clone();
    years.sort_unstable();
    years.dedup();
    for &year in &years {
        let current = score_year(year, s, ev, opts, true);
        let previous: HashMap<(CountryId, CountryId), f64> =
            score_year(year - 1, s, ev, opts, false)
                .into_iter()
                .filter_map(|x| Some((x.key, x.score?)))
                .collect();
        let mut order: Vec<usize> = (0..current.len())
            .filter(|&i| current[i].score.is_some())
            .collect();
        order.sort_by(|&i, &j| {
            let (a, b) = (&current[i], &current[j]);
            b.score
                .unwrap_or(0.0)
                .total_cmp(&a.score.unwrap_or(0.0))
                .then(a.key.cmp(&b.key))
        });
        let mut rank = vec![None; current.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = Some(r as u32 + 1);
        }
        for (i, x) in current.into_iter().enumerate() {
            let present: f64 = Channel::ALL
                .iter()
                .zip(&x.values)
                .filter(|(_, v)| v.is_some())
                .map(|(c, _)| opts.weights.of(*c))
                .sum();
            let channels = Channel::ALL
                .iter()
                .zip(x.values.iter().zip(x.inputs))
                .map(|(c, (v, inputs))| {
                    let w = opts.weights.of(*c);
                    let sign = if *c == Channel::Conflict { -1.0 } else { 1.0 };
                    ChannelScore {
                        channel: *c,
                        value: *v,
                        weight: w,
                        contribution: v.filter(|_| present > 0.0).map(|v| sign * w * v / present),
                        inputs,
                    }
                })
                .collect();
            out.push(PartnershipScore {
                period: Period::Year(year as i16),
                a: x.key.0,
                b: x.key.1,
                score: x.score,
                ci_low: x.ci.map(|c| c.0),
                ci_high: x.ci.map(|c| c.1),
                change: match (x.score, previous.get(&x.key)) {
                    (Some(s), Some(p)) => Some(s - p),
                    _ => None,
                },
                rank: rank[i],
                channels,
            });
        }
    }
    out
}

/// One row of the weight-sensitivity check.
pub type Sensitivity = entente_model::WeightSensitivity;

/// Moves each channel's weight by ×0.5 and ×1.5 in turn and reports how the
/// ranking of the year's dyads changes (Spearman's ρ against the default) and
/// where the watched dyads land.
pub fn sensitivity(
    scores: &[PartnershipScore],
    weights: &Weights,
    watch: &[(CountryId, CountryId)],
) -> Vec<Sensitivity> {
    let mut by_year: BTreeMap<i32, Vec<&PartnershipScore>> = BTreeMap::new();
    for s in scores.iter().filter(|s| s.score.is_some()) {
        by_year.entry(s.period.year()).or_default().push(s);
    }
    let mut out = Vec::new();
    for (year, rows) in by_year {
        let base: Vec<f64> = rows.iter().filter_map(|s| s.score).collect();
        for c in Channel::ALL {
            for factor in [0.5, 1.5] {
                let w = weights.with(c, weights.of(c) * factor);
                let moved: Vec<f64> = rows
                    .iter()
                    .map(|s| {
                        let v = [0, 1, 2, 3, 4].map(|i| s.channels[i].value);
                        combine(&v, &w).unwrap_or(0.0)
                    })
                    .collect();
                let mut order: Vec<usize> = (0..rows.len()).collect();
                order.sort_by(|&i, &j| {
                    moved[j]
                        .total_cmp(&moved[i])
                        .then((rows[i].a, rows[i].b).cmp(&(rows[j].a, rows[j].b)))
                });
                let mut watched = Vec::new();
                for (r, &i) in order.iter().enumerate() {
                    if watch.contains(&(rows[i].a, rows[i].b)) {
                        watched.push((rows[i].a, rows[i].b, r as u32 + 1));
                    }
                }
                watched.sort();
                out.push(Sensitivity {
                    year,
                    channel: c,
                    factor,
                    spearman: spearman(&base, &moved),
                    watched,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
