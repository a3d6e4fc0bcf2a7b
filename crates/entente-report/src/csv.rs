//! Tidy CSV tables that pandas and R read without options.

use std::fmt::Write;

use entente_model::DyadPeriod;

/// Escapes one CSV cell: quotes when needed, and neutralises cells that a
/// spreadsheet would execute (a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe), so hostile text stays text.
pub fn cell(s: &str) -> String {
    let neutral = match s.as_bytes().first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r') => true,
        // A negative number is data, not a formula.
        Some(b'-') => s.parse::<f64>().is_err(),
        _ => false,
    };
    let s = if neutral {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Formats a number: shortest text that reads back to the same `f64`.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}

/// Formats an optional number; missing is an empty cell (NA in R, NaN in pandas).
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// The dyad-period table of `cargo xtask aggregate`.
pub fn aggregate_csv(rows: &[DyadPeriod]) -> String {
    let mut out = String::from(
        "period,source,target,events,goldstein_sum,goldstein_mean,quad1,quad2,quad3,quad4,tone_mean,articles\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            r.period,
            r.source,
            r.target,
            r.events,
            num(r.goldstein_sum),
            opt(r.goldstein_mean()),
            r.quad[0],
            r.quad[1],
            r.quad[2],
            r.quad[3],
            opt(r.tone_mean()),
            r.articles
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1+1"), "'+1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("-2.5"), "-2.5");
        assert_eq!(cell("Côte d'Ivoire"), "Côte d'Ivoire");
        assert_eq!(cell("a,b"), "\"a,b\"");
    }
}
