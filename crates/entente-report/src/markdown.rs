//! GitHub-flavoured Markdown.

use std::fmt::Write;

use entente_model::{Countries, CountryId};

use crate::doc::Report;

fn name(c: CountryId) -> String {
    Countries::global()
        .get(c)
        .map_or(c.to_string(), |x| x.name.clone())
}

/// Escapes text for a Markdown table cell or paragraph.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn f(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |v| format!("{v:.3}"))
}

/// Renders the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&r.title));
    let _ = writeln!(o, "{}\n", md(&r.headline));
    let _ = writeln!(o, "## Where the data stop\n");
    for l in &r.meta.data_limits {
        let _ = writeln!(o, "- {}", md(l));
    }
    if let Some(year) = r.top_partnerships.first().map(|s| s.period.year()) {
        let _ = writeln!(o, "\n## Strongest partnerships in {year}\n");
        let _ = writeln!(
            o,
            "| rank | dyad | score | diplomatic | alignment | economic | security | conflict |"
        );
        let _ = writeln!(o, "|---:|---|---:|---:|---:|---:|---:|---:|");
        for s in &r.top_partnerships {
            let v = |i: usize| f(s.channels[i].value);
            let _ = writeln!(
                o,
                "| {} | {}–{} | {} | {} | {} | {} | {} | {} |",
                s.rank.unwrap_or(0),
                md(&name(s.a)),
                md(&name(s.b)),
                f(s.score),
                v(0),
                v(1),
                v(2),
                v(3),
                v(4)
            );
        }
    }
    if !r.movers.is_empty() {
        let _ = writeln!(
            o,
            "\n## Biggest movers among the tracked powers' partnerships, {}\n",
            r.movers[0].period
        );
        let _ = writeln!(o, "| dyad | score | change |\n|---|---:|---:|");
        for s in &r.movers {
            let _ = writeln!(
                o,
                "| {}–{} | {} | {} |",
                md(&name(s.a)),
                md(&name(s.b)),
                f(s.score),
                f(s.change)
            );
        }
    }
    for d in &r.dossiers {
        let _ = writeln!(o, "\n## Dossier: {}–{}\n", md(&name(d.a)), md(&name(d.b)));
        let _ = writeln!(o, "{}\n", md(&d.narrative));
        let _ = writeln!(
            o,
            "| year | score | 95% interval | change | rank | diplomatic | alignment | economic | security | conflict |"
        );
        let _ = writeln!(o, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for s in &d.series {
            let ci = match (s.ci_low, s.ci_high) {
                (Some(l), Some(h)) => format!("{l:.3}–{h:.3}"),
                _ => "–".to_owned(),
            };
            let c = |i: usize| f(s.channels[i].contribution);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                s.period,
                f(s.score),
                ci,
                f(s.change),
                s.rank.map_or("–".to_owned(), |r| r.to_string()),
                c(0),
                c(1),
                c(2),
                c(3),
                c(4)
            );
        }
        let _ = writeln!(
            o,
            "\nChannel columns are contributions to the score (weight × value ÷ weights present; conflict subtracts)."
        );
        if !d.events.is_empty() {
            let _ = writeln!(
                o,
                "\n| date | source | target | CAMEO | event | link |\n|---|---|---|---|---|---|"
            );
            for e in d.events.iter().take(40) {
                let link = e
                    .source_url
                    .as_deref()
                    .filter(|u| crate::html::safe_url(u))
                    .map_or(String::new(), |u| {
                        format!("<{}>", u.replace(['<', '>', ' '], ""))
                    });
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} |",
                    e.date,
                    e.source.country.map_or("–".into(), |c| c.to_string()),
                    e.target.country.map_or("–".into(), |c| c.to_string()),
                    e.code,
                    md(e.description.as_deref().unwrap_or(e.code.name())),
                    link
                );
            }
        }
    }
    if !r.regions.is_empty() {
        let _ = writeln!(o, "\n## Who holds influence where\n");
        for b in &r.regions {
            let _ = writeln!(o, "### {}\n\n{}\n", md(&b.region), md(&b.narrative));
            let _ = writeln!(o, "| year | power | share | rank |\n|---|---|---:|---:|");
            for s in &b.shares {
                let _ = writeln!(
                    o,
                    "| {} | {} | {:.1}% | {} |",
                    s.year,
                    md(&name(s.power)),
                    s.share * 100.0,
                    s.rank
                );
            }
            o.push('\n');
        }
    }
    if !r.poles.is_empty() {
        let _ = writeln!(o, "\n## Swing states: UN voting lean\n");
        let _ = writeln!(
            o,
            "Lean = agreement with the USA minus mean agreement with China and Russia (−1 to 1).\n"
        );
        let _ = writeln!(
            o,
            "| year | country | regime | with USA | with China | with Russia | lean |\n|---|---|---|---:|---:|---:|---:|"
        );
        for p in &r.poles {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.year,
                md(&name(p.country)),
                p.regime.map_or("–", |g| g.as_str()),
                f(p.with_usa),
                f(p.with_chn),
                f(p.with_rus),
                f(p.lean)
            );
        }
    }
    if !r.blocs.is_empty() {
        let _ = writeln!(o, "\n## Blocs in {}\n", r.blocs[0].period);
        let _ = writeln!(
            o,
            "Louvain communities of the partnership graph (modularity {}).\n",
            f(r.modularity)
        );
        let mut by: std::collections::BTreeMap<u32, Vec<String>> =
            std::collections::BTreeMap::new();
        for b in &r.blocs {
            let tag = b
                .regime
                .map_or(String::new(), |g| format!(" ({})", g.as_str()));
            by.entry(b.community)
                .or_default()
                .push(format!("{}{tag}", b.country));
        }
        for (c, members) in by {
            let _ = writeln!(o, "- bloc {c}: {}", md(&members.join(", ")));
        }
    }
    if !r.polarisation.is_empty() {
        let _ = writeln!(o, "\n## Polarisation over time\n");
        let _ = writeln!(
            o,
            "Modularity of the best Louvain partition of each year's partnership graph (higher: more separated blocs).\n"
        );
        let _ = writeln!(
            o,
            "| year | modularity | blocs | dyads |\n|---|---:|---:|---:|"
        );
        for p in &r.polarisation {
            let _ = writeln!(
                o,
                "| {} | {:.3} | {} | {} |",
                p.year, p.modularity, p.communities, p.edges
            );
        }
    }
    if !r.pulse_top.is_empty() {
        let _ = writeln!(o, "\n## Event pulse (GDELT exports)\n");
        let _ = writeln!(
            o,
            "| day | source | target | events | mean Goldstein | conflict events |\n|---|---|---|---:|---:|---:|"
        );
        for p in &r.pulse_top {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                p.period,
                p.source,
                p.target,
                p.events,
                f(p.goldstein_mean()),
                p.quad[2] + p.quad[3]
            );
        }
    }
    let _ = writeln!(o, "\n## Provenance\n");
    let _ = writeln!(
        o,
        "entente {} · generated {}\n",
        md(&r.meta.entente_version),
        md(&r.meta.generated_at)
    );
    let _ = writeln!(o, "| input | role | sha256 |\n|---|---|---|");
    for i in &r.meta.inputs {
        let _ = writeln!(
            o,
            "| {} | {} | `{}` |",
            md(&i.path),
            md(&i.role),
            &i.sha256[..i.sha256.len().min(16)]
        );
    }
    o
}
