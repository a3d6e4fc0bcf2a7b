//! The score types that entente-analytics produces and entente-report renders.
//!
//! They live here so that report never depends on analytics. Missing data is
//! `None`, never zero.

use serde::{Deserialize, Serialize};

use crate::{CountryId, Period, RegimeClass};

/// One row of an event dyad-period table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadPeriod {
    /// The period.
    pub period: Period,
    /// Source (directed view) or the smaller id (undirected view).
    pub source: CountryId,
    /// Target (directed view) or the larger id (undirected view).
    pub target: CountryId,
    /// Event count.
    pub events: u64,
    /// Sum of Goldstein weights.
    pub goldstein_sum: f64,
    /// Events per quad class 1 to 4.
    pub quad: [u64; 4],
    /// Events per CAMEO root 01 to 20 (index 0 is root 01).
    pub roots: [u64; 20],
    /// Sum of tone over events that have a tone.
    pub tone_sum: f64,
    /// Events that have a tone.
    pub tone_n: u64,
    /// Sum of articles.
    pub articles: u64,
}

impl DyadPeriod {
    /// Mean Goldstein weight (`None` without events).
    pub fn goldstein_mean(&self) -> Option<f64> {
        (self.events > 0).then(|| self.goldstein_sum / self.events as f64)
    }
    /// Mean tone (`None` when no event had one).
    pub fn tone_mean(&self) -> Option<f64> {
        (self.tone_n > 0).then(|| self.tone_sum / self.tone_n as f64)
    }
}

/// A dimension of partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Consultations, visits, agreements, support; shared IGO memberships.
    Diplomatic,
    /// UN General Assembly voting agreement.
    Alignment,
    /// Trade volume and dependence; economic cooperation events.
    Economic,
    /// Alliance obligations; military cooperation events.
    Security,
    /// Conflict events, sanctions, threats (a penalty).
    Conflict,
}

impl Channel {
    /// Every channel, in report order.
    pub const ALL: [Channel; 5] = [
        Channel::Diplomatic,
        Channel::Alignment,
        Channel::Economic,
        Channel::Security,
        Channel::Conflict,
    ];
    /// The name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Diplomatic => "diplomatic",
            Channel::Alignment => "alignment",
            Channel::Economic => "economic",
            Channel::Security => "security",
            Channel::Conflict => "conflict",
        }
    }
}

/// One channel's part of a partnership score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelScore {
    /// The channel.
    pub channel: Channel,
    /// The normalised channel value in \[0, 1\]; `None` when the dyad has no data for it.
    pub value: Option<f64>,
    /// The weight used.
    pub weight: f64,
    /// What the value contributes to the total (weight × value over the weights present,
    /// negative for conflict).
    pub contribution: Option<f64>,
    /// The inputs behind the value, by name, for traceability.
    pub inputs: Vec<(String, f64)>,
}

/// Partnership strength of an undirected dyad in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipScore {
    /// The period.
    pub period: Period,
    /// Smaller id.
    pub a: CountryId,
    /// Larger id.
    pub b: CountryId,
    /// Score on \[−1, 1\]; `None` when no channel has data.
    pub score: Option<f64>,
    /// Bootstrap interval, lower bound.
    pub ci_low: Option<f64>,
    /// Bootstrap interval, upper bound.
    pub ci_high: Option<f64>,
    /// Change against the previous period.
    pub change: Option<f64>,
    /// Rank among the dyads of the period with a score (1 = strongest).
    pub rank: Option<u32>,
    /// Channel breakdown.
    pub channels: Vec<ChannelScore>,
}

/// Composite Index of National Capability and its components for one country-year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capability {
    /// entente id; `None` for a COW state-year outside entente's country table
    /// (such rows still count in the system totals).
    pub country: Option<CountryId>,
    /// COW state number.
    pub cow: u32,
    /// Year.
    pub year: i32,
    /// CINC, 0 to 1, as recomputed by entente.
    pub cinc: Option<f64>,
    /// CINC as published in the NMC file, for comparison.
    pub cinc_published: Option<f64>,
    /// Military expenditure (thousands).
    pub milex: Option<f64>,
    /// Military personnel (thousands).
    pub milper: Option<f64>,
    /// Iron and steel production (thousand tons).
    pub irst: Option<f64>,
    /// Primary energy consumption (thousand coal-ton equivalents).
    pub pec: Option<f64>,
    /// Total population (thousands).
    pub tpop: Option<f64>,
    /// Urban population (thousands).
    pub upop: Option<f64>,
}

/// Directed influence of one country over another in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfluenceScore {
    /// Year.
    pub year: i32,
    /// The influencer.
    pub from: CountryId,
    /// The influenced.
    pub to: CountryId,
    /// Volume of ties, normalised to \[0, 1\].
    pub bandwidth: f64,
    /// How much `to` relies on `from`, \[0, 1\].
    pub dependence: f64,
    /// bandwidth × dependence combined (see docs/methodology.md).
    pub influence: f64,
    /// The inputs behind the score.
    pub inputs: Vec<(String, f64)>,
}

/// A country's total influence exerted and received in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfluenceTotals {
    /// Year.
    pub year: i32,
    /// The country.
    pub country: CountryId,
    /// Sum of its influence over every other state.
    pub outward: f64,
    /// Sum of every other state's influence over it.
    pub inward: f64,
}

/// A power's share of all influence exerted over the countries of a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalInfluence {
    /// Year.
    pub year: i32,
    /// Analyst region name.
    pub region: String,
    /// The power.
    pub power: CountryId,
    /// Sum of the power's influence over the region's countries.
    pub influence: f64,
    /// Share of all influence over the region (0 to 1).
    pub share: f64,
    /// Rank in the region (1 = largest).
    pub rank: u32,
}

/// UN General Assembly voting similarity of a dyad in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentScore {
    /// Year.
    pub year: i32,
    /// Smaller id.
    pub a: CountryId,
    /// Larger id.
    pub b: CountryId,
    /// Roll calls both took part in.
    pub votes: u32,
    /// Voeten's agreement score, 0 to 1.
    pub agreement: f64,
    /// Signorino and Ritter's S, −1 to 1.
    pub s_score: f64,
    /// Cohen's kappa.
    pub kappa: Option<f64>,
    /// Scott's pi.
    pub pi: Option<f64>,
}

/// A node's centrality in a weighted directed graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centrality {
    /// Node name.
    pub node: String,
    /// PageRank.
    pub pagerank: f64,
    /// Eigenvector centrality (in-edges, unit Euclidean norm).
    pub eigenvector: Option<f64>,
}

/// A country's community in a bloc partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlocAssignment {
    /// Year or period of the graph.
    pub period: Period,
    /// The country.
    pub country: CountryId,
    /// Community number (0 = largest).
    pub community: u32,
    /// Regime class in that year, when known.
    pub regime: Option<RegimeClass>,
}

/// A country's UN voting agreement with the three poles in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoleAlignment {
    /// Year.
    pub year: i32,
    /// The country.
    pub country: CountryId,
    /// Agreement with the United States.
    pub with_usa: Option<f64>,
    /// Agreement with China.
    pub with_chn: Option<f64>,
    /// Agreement with Russia (the Soviet Union before 1992).
    pub with_rus: Option<f64>,
    /// Agreement with the USA minus the mean agreement with China and Russia, −1 to 1.
    pub lean: Option<f64>,
    /// The country's regime class that year, when known (filled by the runner).
    #[serde(default)]
    pub regime: Option<RegimeClass>,
}

/// Polarisation of one year's partnership graph: the modularity of its best
/// Louvain partition (Waugh et al. 2009 use maximum modularity as polarisation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polarisation {
    /// Year.
    pub year: i32,
    /// Modularity of the partition.
    pub modularity: f64,
    /// Number of communities.
    pub communities: u32,
    /// Dyads (edges) in the graph.
    pub edges: u64,
}

/// How the partnership ranking moves when one channel's weight moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightSensitivity {
    /// Year.
    pub year: i32,
    /// The channel whose weight moved.
    pub channel: Channel,
    /// The factor applied to its weight.
    pub factor: f64,
    /// Spearman correlation of all scores with the default-weight scores.
    pub spearman: Option<f64>,
    /// Ranks of the watched dyads under the moved weights, as (a, b, rank).
    pub watched: Vec<(CountryId, CountryId, u32)>,
}
