//! Coded political events (who did what to whom, when).

use serde::{Deserialize, Serialize};

use crate::{CameoCode, CountryId, Date};

/// One side of an event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    /// The state the actor belongs to, when it is one.
    pub country: Option<CountryId>,
    /// CAMEO actor type such as `GOV` or `MIL`, when coded.
    pub sector: Option<String>,
}

/// Where a value came from: the dataset (usually the file name) and the
/// 1-based line or record number in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Dataset or file name.
    pub dataset: String,
    /// 1-based line (text formats) or record number (JSON arrays).
    pub row: u64,
}

/// A dated, coded interaction between two actors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The dataset's own id, if it has one.
    pub id: Option<String>,
    /// The day the event happened.
    pub date: Date,
    /// The actor that acted.
    pub source: Actor,
    /// The actor acted upon.
    pub target: Actor,
    /// CAMEO event code.
    pub code: CameoCode,
    /// Intensity on the Goldstein scale (−10 to +10); the CAMEO weight unless the data says otherwise.
    pub goldstein: f64,
    /// Mentions in the news (GDELT `NumMentions`).
    pub mentions: Option<u32>,
    /// Distinct sources (GDELT `NumSources`).
    pub sources: Option<u32>,
    /// Articles (GDELT `NumArticles`).
    pub articles: Option<u32>,
    /// Average tone of the articles (GDELT `AvgTone`, about −100 to +100).
    pub tone: Option<f64>,
    /// A link to the report.
    pub source_url: Option<String>,
    /// A short description.
    pub description: Option<String>,
    /// Where it came from.
    pub provenance: Provenance,
}

impl Event {
    /// The directed dyad, when both actors are states and they differ.
    pub fn dyad(&self) -> Option<(CountryId, CountryId)> {
        match (self.source.country, self.target.country) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        }
    }
}
