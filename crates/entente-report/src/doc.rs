//! The report document: what every format renders, built from analytics'
//! results by selecting and ordering (never by computing new numbers).

use std::collections::BTreeMap;

use entente_model::{
    AlignmentScore, BlocAssignment, Capability, Channel, CountryId, DyadPeriod, Event,
    InfluenceScore, InfluenceTotals, PartnershipScore, Polarisation, PoleAlignment,
    RegionalInfluence, WeightSensitivity,
};
use serde::Serialize;

use crate::config::Resolved;

/// Version of the JSON schema (docs/data-formats.md, "Report JSON schema").
pub const SCHEMA_VERSION: u32 = 1;

/// One input file and what happened to its rows.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// Path as given.
    pub path: String,
    /// Role in the analysis (`events`, `trade`, ...).
    pub role: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The ingest accounting, as JSON.
    pub accounting: serde_json::Value,
}

/// Provenance of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Generation time, passed in by the runner (RFC 3339).
    pub generated_at: String,
    /// entente version.
    pub entente_version: String,
    /// Inputs.
    pub inputs: Vec<InputFile>,
    /// Where each data set stops, said next to the charts.
    pub data_limits: Vec<String>,
}

/// Everything analytics produced for a report.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// Partnership scores of every dyad in the configured years.
    pub partnership: Vec<PartnershipScore>,
    /// Weight sensitivity.
    pub sensitivity: Vec<WeightSensitivity>,
    /// Capabilities with CINC.
    pub capabilities: Vec<Capability>,
    /// Concentration by year.
    pub concentration: Vec<(i32, f64)>,
    /// Directed influence of the tracked powers.
    pub influence: Vec<InfluenceScore>,
    /// Influence totals.
    pub influence_totals: Vec<InfluenceTotals>,
    /// Regional influence shares.
    pub regional: Vec<RegionalInfluence>,
    /// UN alignment of the focus dyads.
    pub alignment: Vec<AlignmentScore>,
    /// Pole alignment of the swing states and focus countries.
    pub poles: Vec<PoleAlignment>,
    /// Bloc partition.
    pub blocs: Vec<BlocAssignment>,
    /// Modularity of the partition.
    pub modularity: Option<f64>,
    /// Polarisation (modularity) of the partnership graph by year.
    pub polarisation: Vec<Polarisation>,
    /// Daily event table of the pulse files.
    pub pulse: Vec<DyadPeriod>,
    /// Curated and pulse events of the focus dyads, with sources.
    pub key_events: Vec<Event>,
}

/// A focus dyad's series.
#[derive(Debug, Clone, Serialize)]
pub struct DyadDossier {
    /// First country.
    pub a: CountryId,
    /// Second country.
    pub b: CountryId,
    /// Scores by year (ascending).
    pub series: Vec<PartnershipScore>,
    /// UN alignment by year.
    pub alignment: Vec<AlignmentScore>,
    /// Events with dates and sources.
    pub events: Vec<Event>,
    /// Generated sentence; every number in it is in `series`.
    pub narrative: String,
}

/// A region's brief.
#[derive(Debug, Clone, Serialize)]
pub struct RegionBrief {
    /// Region name.
    pub region: String,
    /// Shares of the tracked powers and the top five, by year.
    pub shares: Vec<RegionalInfluence>,
    /// Generated sentence.
    pub narrative: String,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Schema version.
    pub schema_version: u32,
    /// Title.
    pub title: String,
    /// Provenance.
    pub meta: Meta,
    /// The configuration used (weights, years, focus).
    pub parameters: serde_json::Value,
    /// Headline sentence of the first focus dyad.
    pub headline: String,
    /// Strongest partnerships in the latest scored year (top 15).
    pub top_partnerships: Vec<PartnershipScore>,
    /// Largest risers and fallers among the dyads of the tracked powers, in
    /// the latest year with changes (5 each).
    pub movers: Vec<PartnershipScore>,
    /// Dyads tracked in detail.
    pub dossiers: Vec<DyadDossier>,
    /// Number of dyads scored per year.
    pub dyads_per_year: BTreeMap<i32, usize>,
    /// Weight sensitivity.
    pub sensitivity: Vec<WeightSensitivity>,
    /// Regions.
    pub regions: Vec<RegionBrief>,
    /// Influence totals of the tracked powers.
    pub power_totals: Vec<InfluenceTotals>,
    /// Capabilities (CINC) of the tracked powers.
    pub power_capabilities: Vec<Capability>,
    /// Concentration by year.
    pub concentration: Vec<(i32, f64)>,
    /// Swing states' and focus countries' lean.
    pub poles: Vec<PoleAlignment>,
    /// Bloc partition.
    pub blocs: Vec<BlocAssignment>,
    /// Modularity of the partition.
    pub modularity: Option<f64>,
    /// Polarisation of the partnership graph by year.
    pub polarisation: Vec<Polarisation>,
    /// The tracked powers' directed influence in the latest influence year,
    /// with the inputs behind each score (the regional shares sum these).
    pub power_influence: Vec<InfluenceScore>,
    /// Event pulse: the busiest directed dyads of the pulse files (top 20 by events).
    pub pulse_top: Vec<DyadPeriod>,
}

fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// Names the strongest channels of a score (largest contributions first).
fn drivers(s: &PartnershipScore) -> String {
    let mut ch: Vec<(&Channel, f64)> = s
        .channels
        .iter()
        .filter(|c| c.channel != Channel::Conflict)
        .filter_map(|c| Some((&c.channel, c.contribution?)))
        .collect();
    ch.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let names: Vec<&str> = ch.iter().take(2).map(|(c, _)| c.as_str()).collect();
    match names.as_slice() {
        [] => "no channel".to_owned(),
        [one] => (*one).to_owned(),
        [a, b, ..] => format!("{a} and {b}"),
    }
}

fn dyad_name(a: CountryId, b: CountryId) -> String {
    let n = |c: CountryId| {
        entente_model::Countries::global()
            .get(c)
            .map_or(c.to_string(), |x| x.name.clone())
    };
    format!("{}-{}", n(a), n(b))
}

fn channels_present(s: &PartnershipScore) -> usize {
    s.channels.iter().filter(|c| c.value.is_some()).count()
}

/// Channels resting on structural data (trade, IGOs, alliances, UN votes), not on events alone.
fn structural_channels(s: &PartnershipScore) -> usize {
    const STRUCTURAL: [&str; 5] = [
        "shared_igos",
        "trade_musd",
        "mutual_dependence",
        "alliance_obligation",
        "un_agreement",
    ];
    s.channels
        .iter()
        .filter(|c| {
            c.value.is_some()
                && c.inputs
                    .iter()
                    .any(|(k, _)| STRUCTURAL.contains(&k.as_str()))
        })
        .count()
}

/// The sentences of a dyad's scores: the latest year with at least three
/// channels of structural data (and its change since the first such year),
/// then the latest year if it rests on less.
fn narrative(
    a: CountryId,
    b: CountryId,
    series: &[PartnershipScore],
    per_year: &BTreeMap<i32, usize>,
) -> String {
    let scored: Vec<&PartnershipScore> = series.iter().filter(|s| s.score.is_some()).collect();
    let full: Vec<&&PartnershipScore> = scored
        .iter()
        .filter(|s| structural_channels(s) >= 3)
        .collect();
    let rank_of = |s: &PartnershipScore| {
        format!(
            "rank {} of {} dyads",
            s.rank.map_or("-".to_owned(), |r| r.to_string()),
            per_year.get(&s.period.year()).copied().unwrap_or(0)
        )
    };
    let name = dyad_name(a, b);
    let mut out = match (full.first(), full.last()) {
        (Some(first), Some(last)) => {
            let mut s = format!(
                "The {name} partnership scores {} in {}, {}",
                fmt2(last.score.unwrap_or(0.0)),
                last.period.year(),
                rank_of(last)
            );
            if first.period != last.period {
                let d = last.score.unwrap_or(0.0) - first.score.unwrap_or(0.0);
                s.push_str(&format!(
                    ", {} {} since {}",
                    if d >= 0.0 { "up" } else { "down" },
                    fmt2(d.abs()),
                    first.period.year()
                ));
            }
            s.push_str(&format!(", driven by {}.", drivers(last)));
            s
        }
        _ => format!(
            "The {name} partnership has no year with three or more channels of structural data."
        ),
    };
    if let Some(latest) = scored.last() {
        if full.last().is_none_or(|f| f.period != latest.period) {
            out.push_str(&format!(
                " In {} it scores {} ({}) on {} channel(s), {} of them from structural data, led by {}.",
                latest.period.year(),
                fmt2(latest.score.unwrap_or(0.0)),
                rank_of(latest),
                channels_present(latest),
                structural_channels(latest),
                drivers(latest)
            ));
        }
    }
    out
}

impl Report {
    /// Selects and orders what the brief shows.
    pub fn build(input: &ReportInput, cfg: &Resolved, meta: Meta) -> Report {
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for s in input.partnership.iter().filter(|s| s.score.is_some()) {
            *per_year.entry(s.period.year()).or_default() += 1;
        }
        // The year of the tables: the latest year in which the first focus dyad
        // has structural data (event-only years score a handful of dyads).
        let focus_year = cfg.focus.first().and_then(|&(x, y)| {
            let (a, b) = if x < y { (x, y) } else { (y, x) };
            input
                .partnership
                .iter()
                .filter(|s| {
                    s.a == a && s.b == b && s.score.is_some() && structural_channels(s) >= 3
                })
                .map(|s| s.period.year())
                .max()
        });
        let latest = focus_year.or(per_year.keys().next_back().copied());
        let mut top: Vec<PartnershipScore> = input
            .partnership
            .iter()
            .filter(|s| Some(s.period.year()) == latest && s.rank.is_some_and(|r| r <= 15))
            .cloned()
            .collect();
        top.sort_by_key(|s| s.rank);
        let with_change = input
            .partnership
            .iter()
            .filter(|s| s.change.is_some() && Some(s.period.year()) <= latest)
            .map(|s| s.period.year())
            .max();
        let mut changed: Vec<&PartnershipScore> = input
            .partnership
            .iter()
            .filter(|s| Some(s.period.year()) == with_change && s.change.is_some())
            .filter(|s| cfg.powers.contains(&s.a) || cfg.powers.contains(&s.b))
            .collect();
        changed.sort_by(|x, y| {
            y.change
                .unwrap_or(0.0)
                .total_cmp(&x.change.unwrap_or(0.0))
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        let mut movers: Vec<PartnershipScore> =
            changed.iter().take(5).map(|s| (*s).clone()).collect();
        movers.extend(changed.iter().rev().take(5).map(|s| (*s).clone()));

        let dossiers: Vec<DyadDossier> = cfg
            .focus
            .iter()
            .map(|&(x, y)| {
                let (a, b) = if x < y { (x, y) } else { (y, x) };
                let mut series: Vec<PartnershipScore> = input
                    .partnership
                    .iter()
                    .filter(|s| s.a == a && s.b == b)
                    .cloned()
                    .collect();
                series.sort_by_key(|s| s.period);
                let alignment: Vec<AlignmentScore> = input
                    .alignment
                    .iter()
                    .filter(|s| s.a == a && s.b == b)
                    .cloned()
                    .collect();
                let mut events: Vec<Event> = input
                    .key_events
                    .iter()
                    .filter(|e| {
                        e.dyad()
                            .is_some_and(|(p, q)| (p == a && q == b) || (p == b && q == a))
                    })
                    .cloned()
                    .collect();
                events.sort_by(|p, q| {
                    (p.date, &p.provenance.dataset, p.provenance.row).cmp(&(
                        q.date,
                        &q.provenance.dataset,
                        q.provenance.row,
                    ))
                });
                let narrative = narrative(x, y, &series, &per_year);
                DyadDossier {
                    a,
                    b,
                    series,
                    alignment,
                    events,
                    narrative,
                }
            })
            .collect();

        let regions: Vec<RegionBrief> = cfg
            .config
            .regions
            .iter()
            .map(|r| {
                let shares: Vec<RegionalInfluence> = input
                    .regional
                    .iter()
                    .filter(|x| &x.region == r && (x.rank <= 5 || cfg.powers.contains(&x.power)))
                    .cloned()
                    .collect();
                let last_year = shares.iter().map(|x| x.year).max();
                let lead = shares.iter().find(|x| Some(x.year) == last_year && x.rank == 1);
                let narrative = match lead {
                    Some(l) => {
                        let tracked: Vec<String> = shares
                            .iter()
                            .filter(|x| Some(x.year) == last_year && cfg.powers.contains(&x.power))
                            .map(|x| format!("{} {:.1}% (rank {})", x.power, x.share * 100.0, x.rank))
                            .collect();
                        format!(
                            "In {}, {} holds the largest share of influence over {r} ({:.1}%); tracked powers: {}.",
                            l.year,
                            l.power,
                            l.share * 100.0,
                            tracked.join(", ")
                        )
                    }
                    None => format!("No influence scores for {r}."),
                };
                RegionBrief { region: r.clone(), shares, narrative }
            })
            .collect();

        let headline = dossiers
            .first()
            .map(|d| d.narrative.clone())
            .unwrap_or_default();
        let mut pulse: Vec<DyadPeriod> = input.pulse.clone();
        pulse.sort_by(|x, y| {
            y.events
                .cmp(&x.events)
                .then((x.period, x.source, x.target).cmp(&(y.period, y.source, y.target)))
        });
        pulse.truncate(20);

        Report {
            schema_version: SCHEMA_VERSION,
            title: cfg.config.title.clone(),
            meta,
            parameters: serde_json::json!({
                "years": cfg.config.years,
                "focus_dyads": cfg.config.focus_dyads,
                "powers": cfg.config.powers,
                "regions": cfg.config.regions,
                "swing_states": cfg.config.swing_states,
                "bloc_year": cfg.config.bloc_year,
                "resolution": cfg.config.resolution,
                "bootstrap": cfg.config.bootstrap,
                "seed": cfg.config.seed,
                "weights": {
                    "diplomatic": cfg.config.weights.diplomatic,
                    "alignment": cfg.config.weights.alignment,
                    "economic": cfg.config.weights.economic,
                    "security": cfg.config.weights.security,
                    "conflict": cfg.config.weights.conflict,
                },
            }),
            headline,
            top_partnerships: top,
            movers,
            dossiers,
            dyads_per_year: per_year,
            sensitivity: input.sensitivity.clone(),
            regions,
            power_totals: input
                .influence_totals
                .iter()
                .filter(|t| cfg.powers.contains(&t.country))
                .cloned()
                .collect(),
            power_capabilities: input
                .capabilities
                .iter()
                .filter(|c| {
                    c.country.is_some_and(|id| cfg.powers.contains(&id))
                        && cfg.config.years.contains(&c.year)
                })
                .cloned()
                .collect(),
            concentration: input.concentration.clone(),
            poles: input.poles.clone(),
            blocs: input.blocs.clone(),
            modularity: input.modularity,
            polarisation: input.polarisation.clone(),
            power_influence: {
                let last = input.influence.iter().map(|s| s.year).max();
                input
                    .influence
                    .iter()
                    .filter(|s| Some(s.year) == last)
                    .cloned()
                    .collect()
            },
            pulse_top: pulse,
        }
    }
}
