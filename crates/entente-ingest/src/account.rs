//! Row accounting: every row read is accepted, not dyadic, deduplicated or
//! rejected with a reason, and the counts add up.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Why a row was rejected. `kind` is a stable snake_case key for counting;
/// the rest says which field and value were at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectReason {
    /// Stable key such as `wrong_column_count` or `invalid_date`.
    pub kind: &'static str,
    /// The field (column name) at fault, if one is.
    pub field: Option<String>,
    /// The offending value, shortened to 80 characters.
    pub value: Option<String>,
    /// A sentence for a person.
    pub detail: String,
}

impl RejectReason {
    /// A reason about a field and its value.
    pub fn field(kind: &'static str, field: &str, value: &str, detail: impl Into<String>) -> Self {
        RejectReason {
            kind,
            field: Some(field.to_owned()),
            value: Some(shorten(value)),
            detail: detail.into(),
        }
    }
    /// A reason about the whole row.
    pub fn row(kind: &'static str, detail: impl Into<String>) -> Self {
        RejectReason {
            kind,
            field: None,
            value: None,
            detail: detail.into(),
        }
    }
}

fn shorten(v: &str) -> String {
    if v.chars().count() <= 80 {
        v.to_owned()
    } else {
        let mut s: String = v.chars().take(77).collect();
        s.push_str("...");
        s
    }
}

/// Writes text with control characters escaped (`\t`, `\n`, `\0`, `\u{1b}`), so a
/// hostile value cannot break a one-line message, a terminal or the
/// tab-separated rejects file.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() {
            write!(f, "{}", c.escape_debug())?;
        } else {
            fmt::Write::write_char(f, c)?;
        }
    }
    Ok(())
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.detail)?;
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => {
                write!(f, " (field `{field}`, value `")?;
                write_escaped(f, value)?;
                f.write_str("`)")
            }
            (Some(field), None) => write!(f, " (field `{field}`)"),
            _ => Ok(()),
        }
    }
}

/// How many rows had one reject reason, and where the first ones were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RejectCount {
    /// Rows rejected for this reason.
    pub count: u64,
    /// The first few line numbers (at most [`Accounting::SAMPLE_LINES`]).
    pub first_lines: Vec<u64>,
    /// The first message, for a person.
    pub example: String,
}

/// The ledger of one input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Accounting {
    /// The file.
    pub file: String,
    /// The format read.
    pub format: String,
    /// Data rows read (header and blank trailing line excluded).
    pub rows_read: u64,
    /// Rows turned into values that analytics use.
    pub accepted: u64,
    /// Rows accepted but with no dyad of two different states (an event with
    /// no target country, a self-dyad, a regional actor).
    pub not_dyadic: u64,
    /// Rows dropped as duplicates of an earlier row.
    pub deduplicated: u64,
    /// Rows rejected, by reason.
    pub rejected: BTreeMap<&'static str, RejectCount>,
    /// Free-text fields whose invalid UTF-8 was replaced (rows are kept).
    pub utf8_replaced: u64,
    /// Whether a header line was seen and skipped.
    pub header_skipped: bool,
}

impl Accounting {
    /// Line numbers kept per reason.
    pub const SAMPLE_LINES: usize = 5;

    /// A new ledger for a file in a format.
    pub fn new(file: impl Into<String>, format: impl Into<String>) -> Self {
        Accounting {
            file: file.into(),
            format: format.into(),
            ..Accounting::default()
        }
    }

    /// Counts a rejected row.
    pub fn reject(&mut self, line: u64, reason: &RejectReason) {
        let entry = self.rejected.entry(reason.kind).or_default();
        if entry.count == 0 {
            entry.example = reason.to_string();
        }
        entry.count += 1;
        if entry.first_lines.len() < Self::SAMPLE_LINES {
            entry.first_lines.push(line);
        }
    }

    /// Counts a row that parsed: accepted when it has a dyad of two
    /// different states, not dyadic otherwise.
    pub fn count_kept(&mut self, dyadic: bool) {
        if dyadic {
            self.accepted += 1;
        } else {
            self.not_dyadic += 1;
        }
    }

    /// Rows rejected for any reason.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().map(|r| r.count).sum()
    }

    /// Whether the four outcomes add up to the rows read.
    pub fn balanced(&self) -> bool {
        self.accepted + self.not_dyadic + self.deduplicated + self.rejected_total()
            == self.rows_read
    }

    /// Shifts the recorded line numbers (for chunks parsed with relative numbers).
    pub fn offset_lines(&mut self, by: u64) {
        for r in self.rejected.values_mut() {
            r.first_lines.iter_mut().for_each(|l| *l += by);
        }
    }

    /// Adds another ledger of the same file (chunks read in parallel).
    pub fn merge(&mut self, other: &Accounting) {
        self.rows_read += other.rows_read;
        self.accepted += other.accepted;
        self.not_dyadic += other.not_dyadic;
        self.deduplicated += other.deduplicated;
        self.utf8_replaced += other.utf8_replaced;
        self.header_skipped |= other.header_skipped;
        for (k, v) in &other.rejected {
            let e = self.rejected.entry(k).or_default();
            if e.count == 0 {
                e.example = v.example.clone();
            }
            e.count += v.count;
            for &l in &v.first_lines {
                if e.first_lines.len() < Self::SAMPLE_LINES {
                    e.first_lines.push(l);
                }
            }
            e.first_lines.sort_unstable();
        }
    }
}
