//! entente-report: renders what analytics computed.
//!
//! Markdown, self-contained HTML with inline SVG charts, JSON with a
//! `schema_version`, and tidy long-format CSV. It computes nothing beyond
//! formatting and ordering: [`Report::build`] selects and sorts the values it
//! is given, and every number in a generated sentence is in the JSON.

pub mod config;
pub mod csv;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod tables;
pub mod write;

use std::path::PathBuf;

pub use crate::config::{ReportConfig, Resolved};
pub use crate::csv::{AGGREGATE_CSV_HEADER, aggregate_csv, aggregate_csv_rows};
pub use crate::doc::{InputFile, Meta, Report, ReportInput, SCHEMA_VERSION};

/// What can go wrong while rendering or writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The configuration is invalid.
    #[error("invalid report configuration: {0}")]
    Config(String),
    /// An output path would leave the output folder.
    #[error("output path `{0}` would leave the output folder")]
    UnsafePath(String),
    /// Writing failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The run stopped before the output folder was swapped in.
    #[error("the report run was interrupted before the output folder was replaced")]
    Interrupted,
    /// JSON serialisation failed.
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders every file of the report folder: `index.html`, `report.md`,
/// `report.json` and `tables/*.csv` (the runner adds `ingest.json`).
pub fn render_all(
    input: &ReportInput,
    report: &Report,
    powers: &[entente_model::CountryId],
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let mut files = vec![
        (
            "index.html".to_owned(),
            html::render(report, powers).into_bytes(),
        ),
        (
            "report.md".to_owned(),
            markdown::render(report).into_bytes(),
        ),
        ("report.json".to_owned(), {
            let mut j = serde_json::to_vec_pretty(report)?;
            j.push(b'\n');
            j
        }),
    ];
    for (name, text) in tables::render(input, report) {
        files.push((format!("tables/{name}"), text.into_bytes()));
    }
    Ok(files)
}
