//! `cargo xtask country`: one country's record in every code system, as JSON.

use std::process::ExitCode;

use anyhow::Context;
use entente_model::{CodeSystem, Countries, Date, ModelError, reference};
use serde_json::{Value, json};

use crate::flags::SystemArg;

fn system_of(s: SystemArg) -> Option<CodeSystem> {
    Some(match s {
        SystemArg::Iso3 => CodeSystem::Iso3,
        SystemArg::Iso2 => CodeSystem::Iso2,
        SystemArg::M49 => CodeSystem::M49,
        SystemArg::Cow => CodeSystem::Cow,
        SystemArg::Cowc => CodeSystem::Cowc,
        SystemArg::Gw => CodeSystem::Gw,
        SystemArg::Cameo => CodeSystem::Cameo,
        SystemArg::Fips => CodeSystem::Fips,
        SystemArg::Name => return None,
    })
}

/// The regime class of a country in a year, from the bundled regime table.
fn regime(country: entente_model::CountryId, year: i32) -> Value {
    let path = crate::root().join("data/regime/cw_democracy_isard.csv.gz");
    let Ok(table) = entente_ingest::tables::read_regime(&path) else {
        return Value::Null;
    };
    // The latest year at or before the date with a score.
    let best = table
        .rows
        .iter()
        .filter(|(c, y, s)| *c == country && *y <= year && s.classify().is_some())
        .max_by_key(|(_, y, _)| *y);
    match best {
        Some((_, y, s)) => json!({
            "class": s.classify().map(|c| c.as_str()),
            "year": y,
            "v2x_polyarchy": s.polyarchy,
            "polity2": s.polity2,
            "source": "V-Dem v16 polyarchy via isard (cw_democracy); thresholds in docs/methodology.md",
        }),
        None => Value::Null,
    }
}

pub fn run(query: &str, system: Option<SystemArg>, date: Option<&str>) -> anyhow::Result<ExitCode> {
    let date = date
        .map(|d| Date::parse(d).with_context(|| format!("--date `{d}`")))
        .transpose()?;
    let countries = Countries::global();
    let found = match system.and_then(system_of) {
        Some(s) => countries.by_code(s, query, date).map_err(|e| match e {
            ModelError::UnknownCode { .. } => ModelError::UnknownCountry {
                query: query.to_owned(),
                suggestions: countries.suggest(query),
            },
            e => e,
        }),
        None => countries.lookup(query, date),
    };
    let c = match found {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let at = date.unwrap_or_else(|| {
        c.end
            .unwrap_or(Date::new(2024, 12, 31).expect("valid date"))
    });
    let codes: serde_json::Map<String, Value> = CodeSystem::ALL
        .iter()
        .map(|&s| {
            (
                s.as_str().to_owned(),
                json!(c.code(s, Some(at)).or(if date.is_none() {
                    c.code(s, None)
                } else {
                    None
                })),
            )
        })
        .collect();
    let spells: Vec<Value> = c
        .codes
        .iter()
        .map(|s| json!({"system": s.system, "code": s.code, "start": s.start, "end": s.end}))
        .collect();
    let leaders: Vec<Value> = reference::leaders_on(c.id, at)
        .into_iter()
        .map(|l| json!({"leader": l.leader, "role": l.role, "start": l.start, "end": l.end, "source": l.source}))
        .collect();
    let record = json!({
        "id": c.id,
        "name": c.name,
        "official_name": c.official_name,
        "kind": c.kind,
        "start": c.start,
        "end": c.end,
        "successor": c.successor,
        "as_of": at,
        "codes": codes,
        "code_history": spells,
        "un_region": c.un_region,
        "un_subregion": c.un_subregion,
        "region": c.region,
        "aliases": c.aliases,
        "regime": regime(c.id, at.year()),
        "blocs": reference::blocs_of(c.id, at),
        "leaders": leaders,
    });
    println!("{}", serde_json::to_string_pretty(&record)?);
    Ok(ExitCode::SUCCESS)
}
