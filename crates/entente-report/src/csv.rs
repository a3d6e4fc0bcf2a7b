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

/// Appends the text of [`num`] without allocating: Ryū's shortest digits,
/// reshaped to `Display`'s form (`3` not `3.0`).
///
/// Ryū and `Display` both print the shortest digits that read back to the
/// same number, and of several such, the one closest to the exact value;
/// they can differ only on an exact tie (they break it differently). A tie
/// needs an exact decimal expansion of at most 18 significant digits, which
/// a number with 26 or more fractional bits never has (its expansion has at
/// least as many digits as 5^26, that is 19). Those go through Ryū, the
/// rest (and the magnitudes Ryū writes with an exponent) through `Display`.
fn push_num(out: &mut String, x: f64, buf: &mut ryu::Buffer) {
    if x == 0.0 {
        out.push('0');
        return;
    }
    // Whole numbers below 2^53 (sums of counts, of one-decimal Goldstein
    // values that came out whole): `Display` prints their digits, no point.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        out.push_str(itoa::Buffer::new().format(x as i64));
        return;
    }
    if x.is_finite() && fractional_bits(x) >= 26 {
        let s = buf.format_finite(x);
        if !s.contains('e') {
            out.push_str(s.strip_suffix(".0").unwrap_or(s));
            return;
        }
    }
    let _ = write!(out, "{x}");
}

/// Appends a country id (three ASCII letters) without re-checking UTF-8.
fn push_id(out: &mut String, id: entente_model::CountryId) {
    for b in id.as_bytes() {
        out.push(char::from(b));
    }
}

/// The number of binary digits after the point in the exact value of a
/// finite, non-zero `x` (0 for integers).
fn fractional_bits(x: f64) -> i32 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mantissa = bits & ((1u64 << 52) - 1);
    if exp != 0 {
        mantissa |= 1 << 52;
    }
    // x = mantissa × 2^(e); subnormals have exponent field 0 and e = -1074.
    let e = exp.max(1) - 1075;
    (-(e + mantissa.trailing_zeros() as i32)).max(0)
}

/// Formats an optional number; missing is an empty cell (NA in R, NaN in pandas).
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// The header line of the dyad-period table.
pub const AGGREGATE_CSV_HEADER: &str = "period,source,target,events,goldstein_sum,goldstein_mean,quad1,quad2,quad3,quad4,tone_mean,articles\n";

/// The dyad-period table of `cargo xtask aggregate`.
pub fn aggregate_csv(rows: &[DyadPeriod]) -> String {
    let mut out = String::from(AGGREGATE_CSV_HEADER);
    aggregate_csv_rows(rows, &mut out);
    out
}

/// Appends rows of the dyad-period table (no header) to `out`: the text of
/// [`aggregate_csv`], written without a temporary string per cell, for
/// writers that stream millions of rows.
pub fn aggregate_csv_rows(rows: &[DyadPeriod], out: &mut String) {
    let mut int = itoa::Buffer::new();
    let mut float = ryu::Buffer::new();
    let mut push_f = |out: &mut String, x: Option<f64>| {
        if let Some(x) = x {
            push_num(out, x, &mut float);
        }
        out.push(',');
    };
    // Rows come sorted by period, so its text is made once per period.
    let mut period: Option<(entente_model::Period, String)> = None;
    for r in rows {
        match &period {
            Some((p, text)) if *p == r.period => out.push_str(text),
            _ => {
                let text = r.period.to_string();
                out.push_str(&text);
                period = Some((r.period, text));
            }
        }
        out.push(',');
        push_id(out, r.source);
        out.push(',');
        push_id(out, r.target);
        out.push(',');
        out.push_str(int.format(r.events));
        out.push(',');
        push_f(out, Some(r.goldstein_sum));
        push_f(out, r.goldstein_mean());
        for q in r.quad {
            out.push_str(int.format(q));
            out.push(',');
        }
        push_f(out, r.tone_mean());
        out.push_str(int.format(r.articles));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streaming writer gives the text of the `format!`-based one, cell
    /// by cell (`num`/`opt`), for zero, negative, tiny, huge and missing values.
    #[test]
    fn streamed_rows_equal_formatted_cells() {
        use entente_model::{CountryId, Date, PeriodKind};
        let period = Date::parse("2024-05-16").unwrap().period(PeriodKind::Month);
        let id = |s: &str| CountryId::new(s).unwrap();
        let mut rows = Vec::new();
        for (events, g, tone, tone_n) in [
            (3u64, -1.5, 2.25, 3u64),
            (1, 0.0, 0.0, 0),
            (7, 1e-9, -1e21, 7),
            (u64::MAX, 123_456_789.123, 0.1, 1),
        ] {
            rows.push(DyadPeriod {
                period,
                source: id("RUS"),
                target: id("CHN"),
                events,
                goldstein_sum: g,
                quad: [1, 0, 2, events],
                roots: [0; 20],
                tone_sum: tone,
                tone_n,
                articles: events / 2,
            });
        }
        let mut want = String::from(AGGREGATE_CSV_HEADER);
        for r in &rows {
            let cells = [
                r.period.to_string(),
                r.source.to_string(),
                r.target.to_string(),
                r.events.to_string(),
                num(r.goldstein_sum),
                opt(r.goldstein_mean()),
                r.quad[0].to_string(),
                r.quad[1].to_string(),
                r.quad[2].to_string(),
                r.quad[3].to_string(),
                opt(r.tone_mean()),
                r.articles.to_string(),
            ];
            want.push_str(&cells.join(","));
            want.push('\n');
        }
        assert_eq!(aggregate_csv(&rows), want);
        assert!(want.contains(",,"), "a missing tone mean is an empty cell");
    }

    /// The Ryū path prints exactly what `Display` prints, for a million
    /// numbers of every magnitude and sign (and the edge cases).
    #[test]
    fn fast_numbers_equal_display() {
        let mut buf = ryu::Buffer::new();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut xs = vec![
            0.1,
            0.5,
            1.0,
            -1.0,
            3.0,
            1e15,
            1e16,
            1e17,
            1e-5,
            1e-6,
            1e-7,
            123456.0,
            -2.3333333333333335,
            9007199254740993.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1731590483420272.2,
            1731590483420272.3,
            0.1 + 0.2,
            f64::INFINITY,
            f64::NAN,
            -0.0,
        ];
        for _ in 0..1_000_000 {
            // xorshift64*: random bits give every exponent; scaled values give common ones.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let r = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            xs.push(f64::from_bits(r));
            xs.push((r >> 11) as f64 / (1u64 << 53) as f64 * 2e6 - 1e6);
            xs.push(((r >> 40) as f64 - 8e6) / 16.0);
            xs.push((r >> 20) as f64 / 4.0);
            xs.push(((r >> 11) as f64 / 1e9).mul_add(1.0, -0.5));
        }
        for x in xs {
            let mut got = String::new();
            push_num(&mut got, x, &mut buf);
            assert_eq!(got, num(x), "{x:e}");
        }
    }

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
