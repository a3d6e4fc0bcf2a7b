//! Blocs and memberships, leaders and their terms, and regime classes.

use serde::{Deserialize, Serialize};

use crate::{CountryId, Date};

/// An alliance, organisation or forum (NATO, SCO, BRICS, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bloc {
    /// Lower-case id (`nato`, `brics`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// `alliance`, `economic`, `political` or `forum`.
    pub kind: String,
    /// Where the membership dates were checked.
    pub source_url: String,
}

/// A country's membership of a bloc over a span of time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlocMembership {
    /// The bloc id.
    pub bloc: String,
    /// The member.
    pub country: CountryId,
    /// Accession day.
    pub start: Date,
    /// The day the exit took effect (no longer a member from that day); `None` while a member.
    pub end: Option<Date>,
}

impl BlocMembership {
    /// Whether the country was a member on `date` (from `start`, up to the day before `end`).
    pub fn active_on(&self, date: Date) -> bool {
        self.start <= date && self.end.is_none_or(|e| date < e)
    }
}

/// A head of state or government in office over a span of time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderTerm {
    /// The country.
    pub country: CountryId,
    /// The leader's name.
    pub leader: String,
    /// `head_of_state`, `head_of_government` or `effective_leader` (Archigos).
    pub role: String,
    /// First day in office.
    pub start: Date,
    /// Last day in office; `None` while in office.
    pub end: Option<Date>,
    /// Dataset or URL the term comes from.
    pub source: String,
}

/// Regime class, from democracy scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegimeClass {
    /// Electoral democracy.
    Democracy,
    /// Between democracy and autocracy.
    Hybrid,
    /// Autocracy.
    Autocracy,
}

impl RegimeClass {
    /// The name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            RegimeClass::Democracy => "democracy",
            RegimeClass::Hybrid => "hybrid",
            RegimeClass::Autocracy => "autocracy",
        }
    }
}

/// The democracy scores of one country-year (any may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RegimeScores {
    /// V-Dem electoral democracy index (`v2x_polyarchy`), 0 to 1.
    pub polyarchy: Option<f64>,
    /// Polity2, −10 to +10.
    pub polity2: Option<f64>,
    /// Extended Unified Democracy Scores (`euds`).
    pub euds: Option<f64>,
}

impl RegimeScores {
    /// V-Dem polyarchy at or above this is a democracy.
    pub const POLYARCHY_DEMOCRACY: f64 = 0.5;
    /// V-Dem polyarchy below this is an autocracy.
    pub const POLYARCHY_AUTOCRACY: f64 = 0.3;

    /// Classifies with V-Dem's polyarchy where present (0.5 and above:
    /// democracy, following the threshold of Lührmann, Tannenberg and Lindberg's
    /// Regimes of the World, 2018; below 0.3: autocracy; hybrid between), and
    /// otherwise Polity2 with Marshall and Gurr's bands (6 and above: democracy;
    /// −6 and below: autocracy; anocracy, here hybrid, between).
    pub fn classify(&self) -> Option<RegimeClass> {
        if let Some(p) = self.polyarchy.filter(|p| p.is_finite()) {
            return Some(if p >= Self::POLYARCHY_DEMOCRACY {
                RegimeClass::Democracy
            } else if p < Self::POLYARCHY_AUTOCRACY {
                RegimeClass::Autocracy
            } else {
                RegimeClass::Hybrid
            });
        }
        let p = self.polity2.filter(|p| p.is_finite())?;
        Some(if p >= 6.0 {
            RegimeClass::Democracy
        } else if p <= -6.0 {
            RegimeClass::Autocracy
        } else {
            RegimeClass::Hybrid
        })
    }
}
