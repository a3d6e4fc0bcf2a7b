//! Coded political events (who did what to whom, when).

use serde::{Deserialize, Serialize};

use std::fmt;

use crate::{CameoCode, CountryId, Date, ModelError};

/// One side of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    /// The state the actor belongs to, when it is one.
    pub country: Option<CountryId>,
    /// CAMEO actor type such as `GOV` or `MIL`, when coded.
    pub sector: Option<Sector>,
}

/// A CAMEO actor type code: three upper-case letters (`GOV`, `MIL`, `BUS`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sector([u8; 3]);

impl Sector {
    /// Checks the shape: three ASCII letters, stored upper-case.
    pub fn new(s: &str) -> Result<Sector, ModelError> {
        let b = s.trim().as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(Sector([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
                b[2].to_ascii_uppercase(),
            ]))
        } else {
            Err(ModelError::InvalidValue {
                field: "sector",
                reason: format!("`{s}` is not a three-letter CAMEO actor type"),
            })
        }
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl TryFrom<String> for Sector {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Sector::new(&s)
    }
}
impl From<Sector> for String {
    fn from(s: Sector) -> String {
        s.as_str().to_owned()
    }
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
        self.core().dyad()
    }

    /// The fields that aggregation reads.
    pub fn core(&self) -> EventCore {
        EventCore {
            date: self.date,
            source: self.source.country,
            target: self.target.country,
            code: self.code,
            goldstein: self.goldstein,
            tone: self.tone,
            articles: self.articles,
        }
    }
}

/// The part of an [`Event`] that a dyad-period aggregate reads: small and
/// `Copy`, so a fast reader can hand it over without building the text fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventCore {
    /// The day the event happened.
    pub date: Date,
    /// The acting state, if the actor is one.
    pub source: Option<CountryId>,
    /// The state acted upon, if the actor is one.
    pub target: Option<CountryId>,
    /// CAMEO event code.
    pub code: CameoCode,
    /// Intensity on the Goldstein scale.
    pub goldstein: f64,
    /// Average tone, if known.
    pub tone: Option<f64>,
    /// Articles, if known.
    pub articles: Option<u32>,
}

impl EventCore {
    /// The directed dyad, when both actors are states and they differ.
    pub fn dyad(&self) -> Option<(CountryId, CountryId)> {
        match (self.source, self.target) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        }
    }
}
