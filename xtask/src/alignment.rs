//! `cargo xtask alignment`: UN General Assembly voting similarity per
//! dyad-year, from the bundled unvotes data, as CSV on standard output.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use entente_analytics::alignment::{AlignmentOptions, alignment};
use entente_ingest::Accounting;
use entente_ingest::tables::{read_roll_calls, read_un_votes};
use entente_model::{AlignmentScore, Countries, CountryId};

/// Prints `year,country_a,country_b,votes,agreement,s_score,kappa,pi` for the
/// dyads that include any of `countries` (every dyad when empty), in the
/// inclusive year range `years` (`FROM-TO` or a single year).
pub fn run(countries: &[String], years: Option<&str>) -> anyhow::Result<ExitCode> {
    let years = years.map(parse_years).transpose()?;
    let focus = countries
        .iter()
        .map(|c| resolve(c))
        .collect::<anyhow::Result<Vec<_>>>()?;

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/unvotes");
    let votes_path = dir.join("un_votes.csv.gz");
    let calls_path = dir.join("un_roll_calls.csv.gz");
    let votes =
        read_un_votes(&votes_path).with_context(|| format!("reading {}", votes_path.display()))?;
    let calls = read_roll_calls(&calls_path)
        .with_context(|| format!("reading {}", calls_path.display()))?;
    warn_rejects(&votes.accounting);
    warn_rejects(&calls.accounting);

    let out = alignment(
        &votes.rows,
        &calls.rows,
        &AlignmentOptions {
            years,
            focus: focus.clone(),
            ..AlignmentOptions::default()
        },
    );
    for id in &focus {
        if !out.scores.iter().any(|s| s.a == *id || s.b == *id) {
            eprintln!(
                "note: `{id}` took part in no roll call in the years asked for{}",
                {
                    match id.as_str() {
                        "RUS" => " (the Soviet seat is `SUN` up to 1991-12-25)",
                        "CHN" => {
                            " (the China seat was the Republic of China's, `TWN`, up to 1971-10-25)"
                        }
                        _ => "",
                    }
                }
            );
        }
    }

    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    match write_csv(&mut w, &out.scores).and_then(|()| w.flush()) {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e).context("writing standard output"),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

fn warn_rejects(acc: &Accounting) {
    for (kind, r) in &acc.rejected {
        eprintln!(
            "warning: {}: {} rows rejected ({kind}), first at lines {:?}: {}",
            acc.file, r.count, r.first_lines, r.example
        );
    }
}

/// An ISO3 id (any case), or failing that any code or name the registry knows.
fn resolve(query: &str) -> anyhow::Result<CountryId> {
    let registry = Countries::global();
    let upper = query.trim().to_ascii_uppercase();
    if let Some(c) = CountryId::new(&upper).ok().and_then(|id| registry.get(id)) {
        return Ok(c.id);
    }
    registry
        .lookup(query, None)
        .map(|c| c.id)
        .with_context(|| format!("invalid --country `{query}`: expected an ISO3 id such as `RUS`"))
}

/// `FROM-TO` (inclusive) or a single year.
fn parse_years(s: &str) -> anyhow::Result<(i32, i32)> {
    let year = |t: &str| -> anyhow::Result<i32> {
        let t = t.trim();
        if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
            bail!("invalid --years `{s}`: expected FROM-TO such as `1992-2019`");
        }
        Ok(t.parse()?)
    };
    let (from, to) = match s.split_once('-') {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(s)?;
            (y, y)
        }
    };
    if from > to {
        bail!("invalid --years `{s}`: {from} is after {to}");
    }
    Ok((from, to))
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn write_csv(w: &mut impl Write, scores: &[AlignmentScore]) -> io::Result<()> {
    writeln!(
        w,
        "year,country_a,country_b,votes,agreement,s_score,kappa,pi"
    )?;
    for s in scores {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{}",
            s.year,
            s.a,
            s.b,
            s.votes,
            s.agreement,
            s.s_score,
            opt(s.kappa),
            opt(s.pi)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_or_explain() {
        assert_eq!(parse_years("1992-2019").unwrap(), (1992, 2019));
        assert_eq!(parse_years("2000").unwrap(), (2000, 2000));
        for bad in [
            "",
            "92-2019",
            "2019-1992",
            "1992-",
            "abcd-efgh",
            "1992..2019",
        ] {
            let e = parse_years(bad).unwrap_err().to_string();
            assert!(e.starts_with(&format!("invalid --years `{bad}`")), "{e}");
        }
    }

    #[test]
    fn countries_resolve_by_iso3_or_name() {
        assert_eq!(resolve("RUS").unwrap().as_str(), "RUS");
        assert_eq!(resolve("usa").unwrap().as_str(), "USA");
        assert_eq!(resolve("Hungary").unwrap().as_str(), "HUN");
        assert!(resolve("XQZ").is_err());
    }

    #[test]
    fn csv_prints_shortest_round_trip_and_empty_none() {
        let s = AlignmentScore {
            year: 1990,
            a: CountryId::new("DDR").unwrap(),
            b: CountryId::new("USA").unwrap(),
            votes: 2,
            agreement: 0.75,
            s_score: 0.5,
            kappa: Some(16.0 / 41.0),
            pi: None,
        };
        let mut out = Vec::new();
        write_csv(&mut out, &[s]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "year,country_a,country_b,votes,agreement,s_score,kappa,pi\n\
             1990,DDR,USA,2,0.75,0.5,0.3902439024390244,\n"
        );
    }
}
