//! One self-contained HTML file: inline CSS and SVG, no script, no fetched
//! font or image. Every string from data is escaped; only http(s) URLs
//! become links.

use std::fmt::Write;

use entente_model::{Countries, CountryId, PartnershipScore};

use crate::doc::Report;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Whether a URL may become a link: absolute http or https, no whitespace
/// or control characters (so `javascript:`, `data:` and tricks with
/// leading spaces stay text).
pub fn safe_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

fn link(url: Option<&str>, text: &str) -> String {
    match url {
        Some(u) if safe_url(u) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            esc(u),
            esc(text)
        ),
        Some(u) => format!("{} <span class=\"muted\">({})</span>", esc(text), esc(u)),
        None => esc(text),
    }
}

fn name(c: CountryId) -> String {
    Countries::global()
        .get(c)
        .map_or(c.to_string(), |x| x.name.clone())
}

fn f(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |v| format!("{v:.3}"))
}

const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];
const CHANNEL_COLORS: [&str; 5] = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756"];

/// A year, its score and its interval.
type Point = (i32, f64, Option<(f64, f64)>);

/// Line chart of a dyad's score with its interval band.
fn score_chart(series: &[PartnershipScore]) -> String {
    let pts: Vec<Point> = series
        .iter()
        .filter_map(|s| Some((s.period.year(), s.score?, s.ci_low.zip(s.ci_high))))
        .collect();
    if pts.is_empty() {
        return "<p class=\"muted\">No scores to chart.</p>".into();
    }
    let (w, h, pad) = (640.0, 240.0, 40.0);
    let (y0, y1) = (pts[0].0 as f64, pts[pts.len() - 1].0 as f64);
    let xs = |y: i32| {
        pad + if y1 > y0 {
            (y as f64 - y0) / (y1 - y0) * (w - 2.0 * pad)
        } else {
            (w - 2.0 * pad) / 2.0
        }
    };
    let ys = |v: f64| h - pad - (v.clamp(-1.0, 1.0) + 1.0) / 2.0 * (h - 2.0 * pad);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"partnership score over time\">"
    );
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let _ = write!(
            s,
            "<line x1=\"{pad}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"4\" y=\"{:.1}\" class=\"axis\">{v}</text>",
            w - pad,
            ys(v) + 4.0,
            y = ys(v)
        );
    }
    let band: Vec<&Point> = pts.iter().filter(|p| p.2.is_some()).collect();
    if band.len() >= 2 {
        let mut d = String::new();
        for (i, p) in band.iter().enumerate() {
            let (lo, _) = p.2.unwrap_or((p.1, p.1));
            let _ = write!(
                d,
                "{}{:.1},{:.1} ",
                if i == 0 { "M" } else { "L" },
                xs(p.0),
                ys(lo)
            );
        }
        for p in band.iter().rev() {
            let (_, hi) = p.2.unwrap_or((p.1, p.1));
            let _ = write!(d, "L{:.1},{:.1} ", xs(p.0), ys(hi));
        }
        let _ = write!(s, "<path d=\"{d}Z\" class=\"band\"/>");
    }
    let mut d = String::new();
    for (i, p) in pts.iter().enumerate() {
        let _ = write!(
            d,
            "{}{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            xs(p.0),
            ys(p.1)
        );
    }
    let _ = write!(s, "<path d=\"{d}\" class=\"line\"/>");
    for p in &pts {
        if let Some((lo, hi)) = p.2 {
            let _ = write!(
                s,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" class=\"whisker\"/>",
                ys(lo),
                ys(hi),
                x = xs(p.0)
            );
        }
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" class=\"dot\"><title>{}: {:.3}</title></circle><text x=\"{:.1}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
            xs(p.0),
            ys(p.1),
            p.0,
            p.1,
            xs(p.0),
            h - 12.0,
            p.0
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars of channel contributions per year.
fn channel_chart(series: &[PartnershipScore]) -> String {
    let rows: Vec<&PartnershipScore> = series.iter().filter(|s| s.score.is_some()).collect();
    if rows.is_empty() {
        return String::new();
    }
    let (w, bar, gap, pad) = (640.0, 22.0, 8.0, 60.0);
    let h = pad + rows.len() as f64 * (bar + gap) + 30.0;
    let x0 = w / 2.0;
    let scale = (w / 2.0 - pad) / 1.0;
    let mut s =
        format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"channel contributions\">");
    let _ = write!(
        s,
        "<line x1=\"{x0}\" x2=\"{x0}\" y1=\"20\" y2=\"{}\" class=\"grid\"/>",
        h - 20.0
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 30.0 + i as f64 * (bar + gap);
        let (mut pos, mut neg) = (x0, x0);
        let _ = write!(
            s,
            "<text x=\"4\" y=\"{:.1}\" class=\"axis\">{}</text>",
            y + bar * 0.7,
            r.period
        );
        for (k, c) in r.channels.iter().enumerate() {
            let Some(v) = c.contribution else { continue };
            let wdt = v.abs() * scale;
            let x = if v >= 0.0 { pos } else { neg - wdt };
            if v >= 0.0 {
                pos += wdt
            } else {
                neg -= wdt
            }
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{wdt:.1}\" height=\"{bar}\" fill=\"{}\"><title>{} {}: {:.3}</title></rect>",
                CHANNEL_COLORS[k],
                r.period,
                c.channel.as_str(),
                v
            );
        }
    }
    let _ = write!(s, "<g class=\"legend\">");
    for (k, c) in entente_model::Channel::ALL.iter().enumerate() {
        let x = 60.0 + k as f64 * 110.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"13\" class=\"axis\">{}</text>",
            CHANNEL_COLORS[k],
            x + 14.0,
            c.as_str()
        );
    }
    s.push_str("</g></svg>");
    s
}

/// Horizontal stacked shares of the tracked powers per region and year.
fn regional_chart(r: &Report, powers: &[CountryId]) -> String {
    let mut rows: Vec<(String, i32, Vec<f64>)> = Vec::new();
    for b in &r.regions {
        let mut years: Vec<i32> = b.shares.iter().map(|s| s.year).collect();
        years.sort_unstable();
        years.dedup();
        for y in years {
            let v: Vec<f64> = powers
                .iter()
                .map(|p| {
                    b.shares
                        .iter()
                        .find(|s| s.year == y && s.power == *p)
                        .map_or(0.0, |s| s.share)
                })
                .collect();
            rows.push((b.region.clone(), y, v));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let (w, bar, gap, left) = (640.0, 16.0, 6.0, 250.0);
    let h = 30.0 + rows.len() as f64 * (bar + gap);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"regional influence shares\">"
    );
    for (k, p) in powers.iter().enumerate() {
        let x = left + k as f64 * 90.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"2\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"11\" class=\"axis\">{}</text>",
            PALETTE[k % 8],
            x + 14.0,
            esc(p.as_str())
        );
    }
    for (i, (region, year, v)) in rows.iter().enumerate() {
        let y = 22.0 + i as f64 * (bar + gap);
        let _ = write!(
            s,
            "<text x=\"4\" y=\"{:.1}\" class=\"axis\">{} {year}</text>",
            y + bar * 0.8,
            esc(region)
        );
        let mut x = left;
        for (k, share) in v.iter().enumerate() {
            let wdt = share * (w - left - 10.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{wdt:.1}\" height=\"{bar}\" fill=\"{}\"><title>{} {year} {}: {:.1}%</title></rect>",
                PALETTE[k % 8],
                esc(region),
                esc(powers[k].as_str()),
                share * 100.0
            );
            x += wdt;
        }
    }
    s.push_str("</svg>");
    s
}

/// Bloc diagram: each community a cluster on a ring, members on a small
/// circle, positions from sorted order only (deterministic).
fn bloc_chart(r: &Report) -> String {
    if r.blocs.is_empty() {
        return String::new();
    }
    let mut groups: std::collections::BTreeMap<u32, Vec<&entente_model::BlocAssignment>> =
        std::collections::BTreeMap::new();
    for b in &r.blocs {
        groups.entry(b.community).or_default().push(b);
    }
    let (w, h) = (640.0, 640.0);
    let (cx, cy, ring) = (w / 2.0, h / 2.0, 200.0);
    let n = groups.len() as f64;
    let mut s = format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"bloc diagram\">");
    for (gi, (c, members)) in groups.iter().enumerate() {
        let a = std::f64::consts::TAU * gi as f64 / n;
        let (gx, gy) = (cx + ring * a.cos(), cy + ring * a.sin());
        let rad = 20.0 + 4.0 * (members.len() as f64).sqrt() * 4.0;
        let _ = write!(
            s,
            "<circle cx=\"{gx:.1}\" cy=\"{gy:.1}\" r=\"{:.1}\" class=\"hull\" stroke=\"{}\"/>",
            rad + 8.0,
            PALETTE[gi % 8]
        );
        for (mi, m) in members.iter().enumerate() {
            let b = std::f64::consts::TAU * mi as f64 / members.len() as f64;
            let (x, y) = (gx + rad * b.cos(), gy + rad * b.sin());
            let shape = match m.regime {
                Some(entente_model::RegimeClass::Democracy) => "dem",
                Some(entente_model::RegimeClass::Hybrid) => "hyb",
                Some(entente_model::RegimeClass::Autocracy) => "aut",
                None => "unk",
            };
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\" class=\"{shape}\"><title>{} (bloc {c}, {})</title></circle>",
                PALETTE[gi % 8],
                esc(&name(m.country)),
                m.regime.map_or("regime unknown", |g| g.as_str())
            );
            if members.len() <= 40 || mi % 2 == 0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" class=\"tiny\" text-anchor=\"middle\">{}</text>",
                    x,
                    y - 6.0,
                    esc(m.country.as_str())
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

const CSS: &str = "body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#222}h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}td,th{border-bottom:1px solid #eee;padding:.2rem .4rem;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}svg{width:100%;height:auto;max-width:640px;display:block}.grid{stroke:#ddd}.axis{font-size:11px;fill:#555}.tiny{font-size:8px;fill:#333}.line{fill:none;stroke:#1f77b4;stroke-width:2}.band{fill:#1f77b4;opacity:.15}.whisker{stroke:#1f77b4;opacity:.5}.dot{fill:#1f77b4}.hull{fill:none;stroke-width:1.5;opacity:.5}.aut{stroke:#000;stroke-width:1.5}.hyb{stroke:#000;stroke-width:.5}.muted{color:#777}.lead{font-size:1.1rem;background:#f5f7fa;padding:.6rem .8rem;border-left:4px solid #1f77b4}.limits{background:#fff8e1;padding:.4rem .8rem;font-size:.9rem}";

/// Renders the report as one self-contained HTML page.
pub fn render(r: &Report, powers: &[CountryId]) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>",
        esc(&r.title)
    );
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"lead\">{}</p>",
        esc(&r.title),
        esc(&r.headline)
    );
    let _ = write!(
        o,
        "<div class=\"limits\"><strong>Where the data stop.</strong><ul>"
    );
    for l in &r.meta.data_limits {
        let _ = write!(o, "<li>{}</li>", esc(l));
    }
    o.push_str("</ul></div>");
    for d in &r.dossiers {
        let _ = write!(
            o,
            "<h2>{} – {}</h2><p>{}</p>",
            esc(&name(d.a)),
            esc(&name(d.b)),
            esc(&d.narrative)
        );
        o.push_str(&score_chart(&d.series));
        o.push_str("<p class=\"muted\">Score on [−1, 1]; the band and whiskers are 95% bootstrap intervals over events (years with events only).</p>");
        o.push_str(&channel_chart(&d.series));
        if !d.events.is_empty() {
            o.push_str("<table><tr><th>date</th><th>source</th><th>target</th><th>CAMEO</th><th>event</th></tr>");
            for e in d.events.iter().take(40) {
                let text = e.description.as_deref().unwrap_or(e.code.name());
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    e.date,
                    esc(&e.source.country.map_or("–".into(), |c| c.to_string())),
                    esc(&e.target.country.map_or("–".into(), |c| c.to_string())),
                    e.code,
                    link(e.source_url.as_deref(), text)
                );
            }
            o.push_str("</table>");
        }
    }
    if !r.top_partnerships.is_empty() {
        let _ = write!(
            o,
            "<h2>Strongest partnerships in {}</h2><table><tr><th>rank</th><th>dyad</th><th>score</th><th>diplomatic</th><th>alignment</th><th>economic</th><th>security</th><th>conflict</th></tr>",
            r.top_partnerships[0].period
        );
        for s in &r.top_partnerships {
            let _ = write!(
                o,
                "<tr><td class=\"n\">{}</td><td>{} – {}</td><td class=\"n\">{}</td>",
                s.rank.unwrap_or(0),
                esc(&name(s.a)),
                esc(&name(s.b)),
                f(s.score)
            );
            for c in &s.channels {
                let _ = write!(o, "<td class=\"n\">{}</td>", f(c.value));
            }
            o.push_str("</tr>");
        }
        o.push_str("</table>");
    }
    if !r.movers.is_empty() {
        let _ = write!(
            o,
            "<h2>Biggest movers among the tracked powers' partnerships, {}</h2><table><tr><th>dyad</th><th>score</th><th>change</th></tr>",
            r.movers[0].period
        );
        for s in &r.movers {
            let _ = write!(
                o,
                "<tr><td>{} – {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&name(s.a)),
                esc(&name(s.b)),
                f(s.score),
                f(s.change)
            );
        }
        o.push_str("</table>");
    }
    if !r.regions.is_empty() {
        o.push_str("<h2>Who holds influence where</h2>");
        o.push_str(&regional_chart(r, powers));
        for b in &r.regions {
            let _ = write!(
                o,
                "<p><strong>{}.</strong> {}</p>",
                esc(&b.region),
                esc(&b.narrative)
            );
        }
    }
    if !r.poles.is_empty() {
        o.push_str("<h2>Swing states: UN voting lean</h2><p class=\"muted\">Lean = agreement with the USA minus the mean agreement with China and Russia.</p><table><tr><th>year</th><th>country</th><th>regime</th><th>with USA</th><th>with China</th><th>with Russia</th><th>lean</th></tr>");
        for p in &r.poles {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                p.year,
                esc(&name(p.country)),
                p.regime.map_or("–", |g| g.as_str()),
                f(p.with_usa),
                f(p.with_chn),
                f(p.with_rus),
                f(p.lean)
            );
        }
        o.push_str("</table>");
    }
    if !r.blocs.is_empty() {
        let _ = write!(
            o,
            "<h2>Blocs in {}</h2><p>Louvain communities of the partnership graph, modularity {}. Thick outline: autocracy; thin: hybrid; none: democracy.</p>",
            r.blocs[0].period,
            f(r.modularity)
        );
        o.push_str(&bloc_chart(r));
    }
    if !r.polarisation.is_empty() {
        o.push_str("<h2>Polarisation over time</h2><p class=\"muted\">Modularity of the best Louvain partition of each year's partnership graph (higher: more separated blocs).</p><table><tr><th>year</th><th>modularity</th><th>blocs</th><th>dyads</th></tr>");
        for p in &r.polarisation {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                p.year, p.modularity, p.communities, p.edges
            );
        }
        o.push_str("</table>");
    }
    if !r.pulse_top.is_empty() {
        o.push_str("<h2>Event pulse</h2><table><tr><th>day</th><th>source</th><th>target</th><th>events</th><th>mean Goldstein</th></tr>");
        for p in &r.pulse_top {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                p.period,
                p.source,
                p.target,
                p.events,
                f(p.goldstein_mean())
            );
        }
        o.push_str("</table>");
    }
    let _ = write!(
        o,
        "<h2>Provenance</h2><p class=\"muted\">entente {} · generated {}</p><table><tr><th>input</th><th>role</th><th>sha256</th></tr>",
        esc(&r.meta.entente_version),
        esc(&r.meta.generated_at)
    );
    for i in &r.meta.inputs {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&i.path),
            esc(&i.role),
            esc(&i.sha256[..i.sha256.len().min(16)])
        );
    }
    o.push_str("</table></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_strings_are_escaped_and_links_filtered() {
        assert_eq!(
            esc("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert!(!safe_url("javascript:alert(1)"));
        assert!(!safe_url(" https://x.org"));
        assert!(!safe_url("https://x.org/\"onmouseover=alert(1)"));
        assert!(!safe_url("data:text/html,<b>"));
        assert!(safe_url("https://example.org/a?b=c"));
        assert_eq!(
            link(Some("javascript:alert(1)"), "x"),
            "x <span class=\"muted\">(javascript:alert(1))</span>"
        );
    }
}
