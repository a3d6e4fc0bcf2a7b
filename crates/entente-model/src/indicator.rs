//! Numeric indicators attached to one country or to a pair of countries.

use serde::{Deserialize, Serialize};

use crate::{CountryId, Period};

/// A value about one country in one period (GDP, population, CINC, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonadicIndicator {
    /// The country.
    pub country: CountryId,
    /// The period.
    pub period: Period,
    /// What is measured, snake_case (`gdp_current_usd`).
    pub kind: String,
    /// The value (finite).
    pub value: f64,
    /// Its unit (`usd`, `persons`, `share`).
    pub unit: String,
}

/// A value about a pair of countries in one period (trade flow, shared IGOs, ...).
///
/// For directed kinds the value goes from `source` to `target`; for undirected
/// kinds `source < target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadicIndicator {
    /// First country.
    pub source: CountryId,
    /// Second country.
    pub target: CountryId,
    /// The period.
    pub period: Period,
    /// What is measured, snake_case (`imports_musd`, `shared_igos`).
    pub kind: String,
    /// The value (finite).
    pub value: f64,
    /// Its unit.
    pub unit: String,
}
