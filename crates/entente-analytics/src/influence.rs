//! Directed influence of one state over another, country totals, and each
//! power's share of the influence exerted over a region.
//!
//! An open re-implementation in the spirit of the Formal Bilateral Influence
//! Capacity index (FBIC; Moyer et al. 2021, Pardee Center): influence is
//! bandwidth (the volume of ties) times dependence (how much the target
//! relies on the source). It uses entente's own inputs and formula and is not
//! the FBIC; docs/methodology.md, section 4, says where it follows and where
//! it departs.

use std::collections::{BTreeMap, HashMap};

use entente_model::{
    AllianceYear, Capability, Countries, CountryId, IgoYear, InfluenceScore, InfluenceTotals,
    NationalTrade, RegionalInfluence, TradeYear,
};
use rayon::prelude::*;

use crate::partnership::obligation;
use crate::rank::Percentiles;

/// Inputs of the influence computation.
#[derive(Debug, Clone, Copy, Default)]
pub struct InfluenceInputs<'a> {
    /// COW dyadic trade.
    pub trade: &'a [TradeYear],
    /// COW national trade.
    pub national_trade: &'a [NationalTrade],
    /// COW shared IGO memberships.
    pub igo: &'a [IgoYear],
    /// ATOP directed alliance obligations.
    pub alliances: &'a [AllianceYear],
    /// First and last ATOP year.
    pub alliance_years: Option<(i32, i32)>,
    /// Capabilities with CINC computed.
    pub capabilities: &'a [Capability],
}

/// Everything computed for a set of years.
#[derive(Debug, Clone, Default)]
pub struct InfluenceResult {
    /// Directed scores whose source is one of the watched powers, sorted by year, from, to.
    pub scores: Vec<InfluenceScore>,
    /// Outward and inward totals of every state, sorted by year, country.
    pub totals: Vec<InfluenceTotals>,
    /// Regional shares of every power (all states), sorted by year, region, rank.
    pub regional: Vec<RegionalInfluence>,
}

#[derive(Default, Clone, Copy)]
struct Pair {
    trade: Option<f64>,
    igo: Option<f64>,
    alliance: Option<f64>,
}

fn zero_or_rank(p: &Percentiles, x: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { p.of(x) }
}

/// Influence of `from` over `to` from the pair's ties.
#[allow(clippy::too_many_arguments)]
fn score(
    year: i32,
    from: CountryId,
    to: CountryId,
    pair: &Pair,
    directed_obligation: Option<f64>,
    total_trade_to: Option<f64>,
    cinc: (Option<f64>, Option<f64>),
    scales: &(Percentiles, Percentiles),
) -> Option<InfluenceScore> {
    let mut inputs = Vec::new();
    let mut band = Vec::new();
    if let Some(t) = pair.trade {
        let v = zero_or_rank(&scales.0, t);
        band.push(v);
        inputs.push(("trade_musd".to_owned(), t));
        inputs.push(("trade_scaled".to_owned(), v));
    }
    // Shared IGO memberships are recorded as context but are not bilateral
    // bandwidth: they are multilateral and symmetric, and counting them lets
    // every neighbour in a regional organisation outweigh distant powers.
    if let Some(n) = pair.igo {
        inputs.push(("shared_igos".to_owned(), n));
    }
    if let Some(a) = pair.alliance {
        band.push(a);
        inputs.push(("alliance_obligation".to_owned(), a));
    }
    let mut dep = Vec::new();
    if let (Some(t), Some(tt)) = (pair.trade, total_trade_to) {
        if tt > 0.0 {
            let share = (t / tt).min(1.0);
            dep.push(share);
            inputs.push(("target_trade_share".to_owned(), share));
        }
    }
    let ratio = match cinc {
        (Some(a), Some(b)) if a + b > 0.0 => Some(a / (a + b)),
        _ => None,
    };
    if let Some(r) = ratio {
        dep.push(r);
        inputs.push(("capability_ratio".to_owned(), r));
    }
    // Protection counts where the source has an obligation towards the target;
    // having no alliance does not make a state less dependent on trade partners.
    if let (Some(o), Some(r)) = (directed_obligation.filter(|o| *o > 0.0), ratio) {
        let v = o * r;
        dep.push(v);
        inputs.push(("protection".to_owned(), v));
    }
    if band.is_empty() || dep.is_empty() {
        return None;
    }
    let bandwidth = band.iter().sum::<f64>() / band.len() as f64;
    let dependence = dep.iter().sum::<f64>() / dep.len() as f64;
    Some(InfluenceScore {
        year,
        from,
        to,
        bandwidth,
        dependence,
        influence: bandwidth * dependence,
        inputs,
    })
}

fn key(a: CountryId, b: CountryId) -> (CountryId, CountryId) {
    if a < b { (a, b) } else { (b, a) }
}

/// Computes influence for each year, keeping the directed scores of the
/// `watch` powers, every state's totals and every power's regional share.
pub fn influence(inp: &InfluenceInputs<'_>, years: &[i32], watch: &[CountryId]) -> InfluenceResult {
    let mut out = InfluenceResult::default();
    let countries = Countries::global();
    for &year in years {
        let mut pairs: BTreeMap<(CountryId, CountryId), Pair> = BTreeMap::new();
        for r in inp.trade.iter().filter(|r| r.year == year && r.a != r.b) {
            if r.a_imports.is_none() && r.b_imports.is_none() {
                continue;
            }
            pairs.entry(key(r.a, r.b)).or_default().trade =
                Some(r.a_imports.unwrap_or(0.0) + r.b_imports.unwrap_or(0.0));
        }
        for r in inp.igo.iter().filter(|r| r.year == year && r.a != r.b) {
            pairs.entry(key(r.a, r.b)).or_default().igo = Some(f64::from(r.shared));
        }
        let mut directed: HashMap<(CountryId, CountryId), f64> = HashMap::new();
        let covered = inp
            .alliance_years
            .is_some_and(|(f, l)| (f..=l).contains(&year));
        if covered {
            for r in inp
                .alliances
                .iter()
                .filter(|r| r.year == year && r.a != r.b)
            {
                let o = directed.entry((r.a, r.b)).or_default();
                *o = o.max(obligation(r));
            }
            for (k, p) in pairs.iter_mut() {
                let o = directed.get(k).copied().unwrap_or(0.0);
                let r = directed.get(&(k.1, k.0)).copied().unwrap_or(0.0);
                p.alliance = Some(o.max(r));
            }
        }
        if pairs.is_empty() {
            continue;
        }
        let totals: HashMap<CountryId, f64> = inp
            .national_trade
            .iter()
            .filter(|t| t.year == year)
            .filter_map(|t| Some((t.country, t.imports? + t.exports?)))
            .collect();
        let mut cinc: HashMap<CountryId, f64> = HashMap::new();
        for c in inp.capabilities.iter().filter(|c| c.year == year) {
            if let (Some(id), Some(v)) = (c.country, c.cinc) {
                // Two COW codes of one entity in a year (Germany 1990): keep the larger.
                let e = cinc.entry(id).or_default();
                *e = e.max(v);
            }
        }
        let scales = (
            Percentiles::new(
                pairs
                    .values()
                    .filter_map(|p| p.trade)
                    .filter(|x| *x > 0.0)
                    .collect(),
            ),
            Percentiles::new(
                pairs
                    .values()
                    .filter_map(|p| p.igo)
                    .filter(|x| *x > 0.0)
                    .collect(),
            ),
        );
        let mut states: Vec<CountryId> = pairs.keys().flat_map(|k| [k.0, k.1]).collect();
        states.sort_unstable();
        states.dedup();
        let rows: Vec<Vec<InfluenceScore>> = states
            .par_iter()
            .map(|&from| {
                states
                    .iter()
                    .filter(|&&to| to != from)
                    .filter_map(|&to| {
                        let pair = pairs.get(&key(from, to))?;
                        let obligation =
                            covered.then(|| directed.get(&(from, to)).copied().unwrap_or(0.0));
                        score(
                            year,
                            from,
                            to,
                            pair,
                            obligation,
                            totals.get(&to).copied(),
                            (cinc.get(&from).copied(), cinc.get(&to).copied()),
                            &scales,
                        )
                    })
                    .collect()
            })
            .collect();
        // Totals and regional shares, summed sequentially in a fixed order.
        let mut outward: BTreeMap<CountryId, f64> = BTreeMap::new();
        let mut inward: BTreeMap<CountryId, f64> = BTreeMap::new();
        let mut regional: BTreeMap<(&'static str, CountryId), f64> = BTreeMap::new();
        let mut region_total: BTreeMap<&'static str, f64> = BTreeMap::new();
        for s in rows.iter().flatten() {
            *outward.entry(s.from).or_default() += s.influence;
            *inward.entry(s.to).or_default() += s.influence;
            if let Some(c) = countries.get(s.to) {
                let r = c.region.as_str();
                *regional.entry((r, s.from)).or_default() += s.influence;
                *region_total.entry(r).or_default() += s.influence;
            }
        }
        for &c in &states {
            out.totals.push(InfluenceTotals {
                year,
                country: c,
                outward: outward.get(&c).copied().unwrap_or(0.0),
                inward: inward.get(&c).copied().unwrap_or(0.0),
            });
        }
        for (region, total) in &region_total {
            let mut powers: Vec<(CountryId, f64)> = regional
                .iter()
                .filter(|((r, _), _)| r == region)
                .map(|((_, p), v)| (*p, *v))
                .collect();
            powers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (i, (p, v)) in powers.into_iter().enumerate() {
                out.regional.push(RegionalInfluence {
                    year,
                    region: (*region).to_owned(),
                    power: p,
                    influence: v,
                    share: if *total > 0.0 { v / total } else { 0.0 },
                    rank: i as u32 + 1,
                });
            }
        }
        out.scores.extend(
            rows.into_iter()
                .flatten()
                .filter(|s| watch.contains(&s.from)),
        );
    }
    out
}

#[cfg(test)]
mod tests;
