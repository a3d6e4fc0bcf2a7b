//! Compiled-in reference tables beyond countries: blocs with dated
//! memberships, and recent leaders' terms. Sources are cited per row or per
//! bloc in the tables themselves (`reference/*.csv`) and in data/README.md.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::{Bloc, BlocMembership, Countries, CountryId, Date, LeaderTerm, ModelError};

const BLOCS: &str = include_str!("../reference/blocs.csv");
const MEMBERSHIPS: &str = include_str!("../reference/memberships.csv");
const LEADERS: &str = include_str!("../reference/leaders_recent.csv");

#[derive(Deserialize)]
struct BlocRow {
    id: String,
    name: String,
    kind: String,
    source_url: String,
}

#[derive(Deserialize)]
struct MembershipRow {
    bloc: String,
    country: String,
    start: String,
    end: String,
}

#[derive(Deserialize)]
struct LeaderRow {
    country: String,
    leader: String,
    role: String,
    start: String,
    end: String,
    source_url: String,
}

fn parse<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Result<Vec<T>, ModelError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| ModelError::InvalidTable(format!("{what}: {e}")))
}

fn date_opt(s: &str) -> Result<Option<Date>, ModelError> {
    if s.is_empty() {
        Ok(None)
    } else {
        Date::parse(s).map(Some)
    }
}

fn known(id: &str) -> Result<CountryId, ModelError> {
    Countries::global().expect(id).map(|c| c.id)
}

static TABLES: LazyLock<(Vec<Bloc>, Vec<BlocMembership>, Vec<LeaderTerm>)> = LazyLock::new(|| {
    let load = || -> Result<_, ModelError> {
        let blocs = parse::<BlocRow>("blocs", BLOCS)?
            .into_iter()
            .map(|r| Bloc {
                id: r.id,
                name: r.name,
                kind: r.kind,
                source_url: r.source_url,
            })
            .collect();
        let mut members = Vec::new();
        for r in parse::<MembershipRow>("memberships", MEMBERSHIPS)? {
            members.push(BlocMembership {
                bloc: r.bloc,
                country: known(&r.country)?,
                start: Date::parse(&r.start)?,
                end: date_opt(&r.end)?,
            });
        }
        let mut leaders = Vec::new();
        for r in parse::<LeaderRow>("leaders_recent", LEADERS)? {
            leaders.push(LeaderTerm {
                country: known(&r.country)?,
                leader: r.leader,
                role: r.role,
                start: Date::parse(&r.start)?,
                end: date_opt(&r.end)?,
                source: r.source_url,
            });
        }
        Ok((blocs, members, leaders))
    };
    load().expect("embedded bloc and leader tables are valid")
});

/// Every bloc, sorted by id.
pub fn blocs() -> &'static [Bloc] {
    &TABLES.0
}

/// Every membership spell, sorted by bloc, country, start.
pub fn memberships() -> &'static [BlocMembership] {
    &TABLES.1
}

/// Heads of state and government of the major powers and the countries of
/// the Russia-China story, 2015-2024, each with its source.
pub fn recent_leaders() -> &'static [LeaderTerm] {
    &TABLES.2
}

/// The blocs a country belonged to on a date.
pub fn blocs_of(country: CountryId, date: Date) -> Vec<&'static str> {
    let mut v: Vec<&str> = memberships()
        .iter()
        .filter(|m| m.country == country && m.active_on(date))
        .map(|m| m.bloc.as_str())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The leaders of a country in office on a date (recent table).
pub fn leaders_on(country: CountryId, date: Date) -> Vec<&'static LeaderTerm> {
    recent_leaders()
        .iter()
        .filter(|l| l.country == country && l.start <= date && l.end.is_none_or(|e| date <= e))
        .collect()
}
