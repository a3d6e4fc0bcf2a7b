//! Structured country-year and dyad-year records from the standard data sets
//! (COW, ATOP, UN votes, World Bank). Countries are resolved to entente ids.

use serde::{Deserialize, Serialize};

use crate::{CountryId, Date};

/// Alliance obligations of a directed dyad-year (ATOP: `a` has these obligations towards `b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllianceYear {
    /// The committed state.
    pub a: CountryId,
    /// Its ally.
    pub b: CountryId,
    /// Year.
    pub year: i32,
    /// Defence pact.
    pub defense: bool,
    /// Offence pact.
    pub offense: bool,
    /// Neutrality pact.
    pub neutrality: bool,
    /// Non-aggression pact.
    pub nonaggression: bool,
    /// Consultation pact.
    pub consultation: bool,
}

/// Bilateral trade of an undirected dyad-year (COW Dyadic Trade), million current US$.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TradeYear {
    /// Smaller COW code's entity, as in the source.
    pub a: CountryId,
    /// The other entity.
    pub b: CountryId,
    /// Year.
    pub year: i32,
    /// Imports of `a` from `b`; `None` when missing.
    pub a_imports: Option<f64>,
    /// Imports of `b` from `a`; `None` when missing.
    pub b_imports: Option<f64>,
}

/// A state's total trade in a year (COW National Trade), million current US$.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NationalTrade {
    /// The state.
    pub country: CountryId,
    /// Year.
    pub year: i32,
    /// Total imports.
    pub imports: Option<f64>,
    /// Total exports.
    pub exports: Option<f64>,
}

/// Shared intergovernmental organisation memberships of an undirected dyad-year (COW IGO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgoYear {
    /// One state.
    pub a: CountryId,
    /// The other.
    pub b: CountryId,
    /// Year.
    pub year: i32,
    /// IGOs in which both are full members.
    pub shared: u32,
}

/// A recorded UN General Assembly vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    /// Yes.
    Yes,
    /// Abstain.
    Abstain,
    /// No.
    No,
}

/// One state's vote on one roll call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnVote {
    /// Roll-call id.
    pub rcid: u32,
    /// The voting state.
    pub country: CountryId,
    /// Its vote.
    pub vote: Vote,
}

/// A UN General Assembly roll call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCall {
    /// Roll-call id.
    pub rcid: u32,
    /// Session number.
    pub session: u32,
    /// Date of the vote.
    pub date: Date,
    /// Whether the US State Department classed it as important.
    pub important: bool,
    /// Short title.
    pub short: String,
}
