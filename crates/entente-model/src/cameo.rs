//! CAMEO event codes, their Goldstein weights and quad classes, and the CAMEO to
//! PLOVER mapping.
//!
//! The codebook is compiled in: `reference/cameo_eventcodes.tsv` and
//! `reference/cameo_goldstein.tsv` are GDELT's lookup files (CAMEO 1.1b3,
//! Schrodt 2012; Goldstein 1992 weights as adapted for CAMEO), and
//! `reference/cameo2plover.txt` is the Open Event Data Alliance's PLOVER
//! mapping (draft 0.8, 2021, CC BY-SA 4.0).

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::ModelError;

const EVENTCODES: &str = include_str!("../reference/cameo_eventcodes.tsv");
const GOLDSTEIN: &str = include_str!("../reference/cameo_goldstein.tsv");
const PLOVER: &str = include_str!("../reference/cameo2plover.txt");

/// One entry of the CAMEO codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoEntry {
    /// The code with its leading zeros, e.g. `"0311"`.
    pub code: String,
    /// The codebook's short description.
    pub name: String,
    /// Goldstein (1992) conflict-cooperation weight, −10 to +10.
    pub goldstein: f64,
    /// The PLOVER event type, mode and context the code maps to, if any.
    pub plover: Option<PloverMapping>,
}

/// Where a CAMEO code lands in PLOVER.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PloverMapping {
    /// PLOVER event type such as `AGREE` or `SANCTION`.
    pub event: String,
    /// PLOVER mode, often empty.
    pub mode: String,
    /// PLOVER context such as `economic` or `military`, often empty.
    pub context: String,
}

struct Codebook {
    entries: Vec<CameoEntry>,
    /// The root (1 to 20) of each entry, apart from the entries so the hot
    /// path of aggregation reads one small array.
    roots: Vec<u8>,
    /// Index by [`slot`]; `u16::MAX` where no code exists.
    slots: Vec<u16>,
}

/// The dense slot of a 2- to 4-digit code: length times 10,000 plus its value.
#[inline]
fn slot(code: &[u8]) -> Option<usize> {
    if !(2..=4).contains(&code.len()) || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = code
        .iter()
        .fold(0usize, |acc, d| acc * 10 + usize::from(d - b'0'));
    Some(code.len() * 10_000 + value)
}

fn tsv_pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
}

static CODEBOOK: LazyLock<Codebook> = LazyLock::new(|| {
    let goldstein: std::collections::BTreeMap<&str, f64> = tsv_pairs(GOLDSTEIN)
        .map(|(c, g)| {
            let g = g
                .trim()
                .parse()
                .expect("embedded Goldstein table is numeric");
            (c.trim(), g)
        })
        .collect();
    let plover = parse_plover(PLOVER);
    let mut entries = Vec::new();
    let mut slots = vec![u16::MAX; 50_000];
    for (code, name) in tsv_pairs(EVENTCODES) {
        let code = code.trim();
        let s = slot(code.as_bytes()).expect("embedded CAMEO codes are 2-4 digits");
        slots[s] = u16::try_from(entries.len()).expect("fewer than 65,535 codes");
        entries.push(CameoEntry {
            code: code.to_owned(),
            name: name.trim().to_owned(),
            goldstein: *goldstein
                .get(code)
                .expect("every embedded CAMEO code has a Goldstein weight"),
            plover: plover
                .binary_search_by(|(c, _)| c.as_str().cmp(code))
                .ok()
                .map(|i| plover[i].1.clone()),
        });
    }
    let roots = entries
        .iter()
        .map(|e| {
            let b = e.code.as_bytes();
            (b[0] - b'0') * 10 + (b[1] - b'0')
        })
        .collect();
    Codebook {
        entries,
        roots,
        slots,
    }
});

/// Parses the PLOVER conversion table: `CODE: EVENT, MODE, CONTEXT # comment`.
fn parse_plover(text: &str) -> Vec<(String, PloverMapping)> {
    let mut out: Vec<(String, PloverMapping)> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (code, rest) = l.split_once(':')?;
            let mut parts = rest.split(',').map(str::trim);
            let event = parts.next().unwrap_or("").to_owned();
            if event.is_empty() {
                return None;
            }
            Some((
                code.trim().to_owned(),
                PloverMapping {
                    event,
                    mode: parts.next().unwrap_or("").to_owned(),
                    context: parts.next().unwrap_or("").to_owned(),
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// A CAMEO event code known to the codebook, leading zeros kept (`"010"`, `"0211"`).
///
/// It is a small index into the embedded codebook, so copying and comparing it
/// is free; it validates when deserialised.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CameoCode(u16);

impl CameoCode {
    /// Looks a code up in the codebook.
    pub fn parse(code: &str) -> Result<CameoCode, ModelError> {
        Self::from_bytes(code.as_bytes())
            .ok_or_else(|| ModelError::UnknownCameoCode(code.to_owned()))
    }

    /// Looks a code up from raw bytes (the hot path of the event readers).
    #[inline]
    pub fn from_bytes(code: &[u8]) -> Option<CameoCode> {
        let i = CODEBOOK.slots[slot(code)?];
        (i != u16::MAX).then_some(CameoCode(i))
    }

    #[inline]
    fn entry(self) -> &'static CameoEntry {
        &CODEBOOK.entries[usize::from(self.0)]
    }

    /// The code as written in the codebook.
    #[inline]
    pub fn as_str(self) -> &'static str {
        &self.entry().code
    }
    /// The codebook's description.
    pub fn name(self) -> &'static str {
        &self.entry().name
    }
    /// The Goldstein weight.
    #[inline]
    pub fn goldstein(self) -> f64 {
        self.entry().goldstein
    }
    /// The PLOVER mapping, where the conversion table has one.
    pub fn plover(self) -> Option<&'static PloverMapping> {
        self.entry().plover.as_ref()
    }
    /// The two-digit root (`"06"` for `"061"`), 1 to 20.
    #[inline]
    pub fn root(self) -> u8 {
        CODEBOOK.roots[usize::from(self.0)]
    }
    /// The quad class under a grouping scheme.
    pub fn quad(self, scheme: QuadScheme) -> QuadClass {
        scheme.classify(self.root())
    }

    /// Every code in the codebook, in codebook order.
    pub fn all() -> impl Iterator<Item = CameoCode> {
        (0..CODEBOOK.entries.len()).map(|i| CameoCode(i as u16))
    }
}

impl fmt::Debug for CameoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CameoCode({})", self.as_str())
    }
}

impl fmt::Display for CameoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CameoCode {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CameoCode::parse(&s)
    }
}

impl From<CameoCode> for String {
    fn from(c: CameoCode) -> String {
        c.as_str().to_owned()
    }
}

/// The four classes of the cooperation-conflict scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadClass {
    /// Verbal cooperation (quad 1).
    VerbalCooperation = 1,
    /// Material cooperation (quad 2).
    MaterialCooperation = 2,
    /// Verbal conflict (quad 3).
    VerbalConflict = 3,
    /// Material conflict (quad 4).
    MaterialConflict = 4,
}

impl QuadClass {
    /// 1 to 4.
    pub fn number(self) -> u8 {
        self as u8
    }
    /// From 1 to 4.
    pub fn from_number(n: u8) -> Option<QuadClass> {
        match n {
            1 => Some(QuadClass::VerbalCooperation),
            2 => Some(QuadClass::MaterialCooperation),
            3 => Some(QuadClass::VerbalConflict),
            4 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }
}

/// The two root-code groupings in circulation.
///
/// | root codes | `Gdelt` (default) | `DuvalThompson` |
/// |---|---|---|
/// | 01-05 | verbal cooperation | verbal cooperation |
/// | 06-08 | material cooperation | material cooperation |
/// | 09 | material cooperation | verbal conflict |
/// | 10-13 | verbal conflict | verbal conflict |
/// | 14 | verbal conflict | material conflict |
/// | 15-20 | material conflict | material conflict |
///
/// `Gdelt` is what GDELT writes in its `QuadClass` column (checked against the
/// real exports). `DuvalThompson` is the older grouping of Duval and Thompson
/// (1980) used by the Phoenix and ICEWS tooling (with 01-02 as "neutral" in its
/// five-class form, folded into verbal cooperation here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadScheme {
    /// GDELT's grouping.
    #[default]
    Gdelt,
    /// Duval and Thompson's grouping.
    DuvalThompson,
}

impl QuadScheme {
    /// The class of a root code (1 to 20).
    pub fn classify(self, root: u8) -> QuadClass {
        use QuadClass::*;
        match (self, root) {
            (_, 0..=5) => VerbalCooperation,
            (_, 6..=8) => MaterialCooperation,
            (QuadScheme::Gdelt, 9) => MaterialCooperation,
            (QuadScheme::DuvalThompson, 9) => VerbalConflict,
            (_, 10..=13) => VerbalConflict,
            (QuadScheme::Gdelt, 14) => VerbalConflict,
            (QuadScheme::DuvalThompson, 14) => MaterialConflict,
            _ => MaterialConflict,
        }
    }
}

#[cfg(test)]
mod tests;
