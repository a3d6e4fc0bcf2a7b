//! entente-model: the nouns of geopolitical relations analytics.
//!
//! Countries in every code system ([`Countries`]), CAMEO event codes with their
//! Goldstein weights and PLOVER mapping ([`CameoCode`]), events, indicators,
//! periods, blocs, leaders, regime classes and the score types that
//! entente-analytics produces and entente-report renders.
//!
//! Values validate at construction. The crate does no I/O and starts no
//! threads: reference tables are compiled in, and parsing them touches no file.

mod cameo;
mod country;
mod date;
mod event;
mod indicator;
mod polity;
mod record;
pub mod reference;
mod score;

pub use cameo::{CameoCode, CameoEntry, PloverMapping, QuadClass, QuadScheme};
pub use country::{
    CameoSlot, CodeSpell, CodeSystem, Countries, Country, CountryId, CountryKind, PseudoCode,
    Region, Resolved, normalize_name,
};
pub use date::{Date, Period, PeriodKind, days_in_month};
pub use event::{Actor, Event, EventCore, Provenance, Sector};
pub use indicator::{DyadicIndicator, MonadicIndicator};
pub use polity::{Bloc, BlocMembership, LeaderTerm, RegimeClass, RegimeScores};
pub use record::{AllianceYear, IgoYear, NationalTrade, RollCall, TradeYear, UnVote, Vote};
pub use score::*;

/// Everything that can be wrong with a model value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// A date that does not exist or is out of range.
    #[error("invalid date `{0}` (expected YYYY-MM-DD between 1000 and 2999)")]
    InvalidDate(String),
    /// A period that cannot be parsed.
    #[error("invalid period `{0}` (expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY)")]
    InvalidPeriod(String),
    /// A CAMEO code that is not in the codebook.
    #[error("unknown CAMEO event code `{0}`")]
    UnknownCameoCode(String),
    /// A malformed country id.
    #[error("invalid country id `{0}` (expected three upper-case letters)")]
    InvalidCountryId(String),
    /// An unknown code system name.
    #[error(
        "unknown code system `{0}` (expected iso3, iso2, m49, cow, cowc, gw, gwc, cameo or fips)"
    )]
    UnknownCodeSystem(String),
    /// An unknown region name.
    #[error("unknown region `{0}`")]
    UnknownRegion(String),
    /// A code no entity ever had in that system.
    #[error("unknown {} code `{code}`", system.as_str())]
    UnknownCode {
        /// The system.
        system: CodeSystem,
        /// The code.
        code: String,
    },
    /// A code that exists, but not on the given date.
    #[error("{} code `{code}` was not in use on {date}", system.as_str())]
    CodeNotValidOn {
        /// The system.
        system: CodeSystem,
        /// The code.
        code: String,
        /// The date asked for.
        date: String,
    },
    /// A name that matches no country.
    #[error("unknown country `{query}`{}", suggestion_text(suggestions))]
    UnknownCountry {
        /// What was asked for.
        query: String,
        /// The closest names.
        suggestions: Vec<String>,
    },
    /// A reference table that does not parse.
    #[error("invalid reference table: {0}")]
    InvalidTable(String),
    /// A value out of its domain (negative count, NaN score).
    #[error("invalid value for `{field}`: {reason}")]
    InvalidValue {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = s.iter().map(|n| format!("`{n}`")).collect();
        format!("; did you mean {}?", quoted.join(", "))
    }
}
