//! The report configuration (TOML): what the brief focuses on.

use serde::Deserialize;

use entente_model::{Countries, CountryId};

use crate::ReportError;

/// Channel weights as written in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WeightsConfig {
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

impl Default for WeightsConfig {
    fn default() -> Self {
        WeightsConfig {
            diplomatic: 1.0,
            alignment: 1.0,
            economic: 1.0,
            security: 1.0,
            conflict: 1.0,
        }
    }
}

/// The `[report]` table of `entente.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Report title.
    #[serde(default = "default_title")]
    pub title: String,
    /// Dyads to follow, as `"RUS-CHN"`; the first is the headline.
    pub focus_dyads: Vec<String>,
    /// Powers whose influence is tracked, as ISO3.
    #[serde(default = "default_powers")]
    pub powers: Vec<String>,
    /// Analyst regions of the region brief.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Swing states whose UN lean is shown.
    #[serde(default)]
    pub swing_states: Vec<String>,
    /// Years of the structural analysis.
    pub years: Vec<i32>,
    /// Year of the bloc partition (partnership graph).
    pub bloc_year: i32,
    /// Louvain resolution.
    #[serde(default = "one")]
    pub resolution: f64,
    /// Bootstrap replicates.
    #[serde(default = "default_bootstrap")]
    pub bootstrap: u32,
    /// Run seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Channel weights.
    #[serde(default)]
    pub weights: WeightsConfig,
}

fn default_title() -> String {
    "entente brief".to_owned()
}
fn default_powers() -> Vec<String> {
    vec!["USA".into(), "CHN".into(), "RUS".into()]
}
fn one() -> f64 {
    1.0
}
fn default_bootstrap() -> u32 {
    200
}
fn default_seed() -> u64 {
    20_240_516
}

/// A configuration with every name resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The configuration as written.
    pub config: ReportConfig,
    /// Focus dyads, each ordered as written.
    pub focus: Vec<(CountryId, CountryId)>,
    /// Powers.
    pub powers: Vec<CountryId>,
    /// Swing states.
    pub swing: Vec<CountryId>,
}

fn country(what: &str, s: &str) -> Result<CountryId, ReportError> {
    Countries::global()
        .lookup(s, None)
        .map(|c| c.id)
        .map_err(|e| ReportError::Config(format!("{what} `{s}`: {e}")))
}

impl ReportConfig {
    /// Parses and checks a configuration.
    pub fn parse(text: &str) -> Result<Resolved, ReportError> {
        let config: ReportConfig =
            toml::from_str(text).map_err(|e| ReportError::Config(e.to_string()))?;
        config.resolve()
    }

    /// Checks names, years and weights.
    pub fn resolve(self) -> Result<Resolved, ReportError> {
        if self.focus_dyads.is_empty() {
            return Err(ReportError::Config("`focus_dyads` is empty".into()));
        }
        let mut focus = Vec::new();
        for d in &self.focus_dyads {
            let (a, b) = d
                .split_once('-')
                .ok_or_else(|| ReportError::Config(format!("focus dyad `{d}` is not `AAA-BBB`")))?;
            let (a, b) = (country("focus dyad", a)?, country("focus dyad", b)?);
            if a == b {
                return Err(ReportError::Config(format!(
                    "focus dyad `{d}` pairs a country with itself"
                )));
            }
            focus.push((a, b));
        }
        let powers = self
            .powers
            .iter()
            .map(|p| country("power", p))
            .collect::<Result<_, _>>()?;
        let swing = self
            .swing_states
            .iter()
            .map(|p| country("swing state", p))
            .collect::<Result<_, _>>()?;
        for r in &self.regions {
            r.parse::<entente_model::Region>()
                .map_err(|_| ReportError::Config(format!("unknown region `{r}`")))?;
        }
        if self.years.is_empty() || self.years.iter().any(|y| !(1816..=2100).contains(y)) {
            return Err(ReportError::Config(
                "`years` must list years between 1816 and 2100".into(),
            ));
        }
        let w = self.weights;
        if [
            w.diplomatic,
            w.alignment,
            w.economic,
            w.security,
            w.conflict,
        ]
        .iter()
        .any(|x| !x.is_finite() || *x < 0.0)
        {
            return Err(ReportError::Config(
                "weights must be finite and not negative".into(),
            ));
        }
        if !(self.resolution.is_finite() && self.resolution > 0.0) {
            return Err(ReportError::Config("`resolution` must be positive".into()));
        }
        if self.bootstrap > 10_000 {
            return Err(ReportError::Config(
                "`bootstrap` is limited to 10,000 replicates".into(),
            ));
        }
        Ok(Resolved {
            config: self,
            focus,
            powers,
            swing,
        })
    }
}
