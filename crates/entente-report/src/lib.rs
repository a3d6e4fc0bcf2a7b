//! entente-report: renders what analytics computed.
//!
//! Markdown, self-contained HTML with inline SVG charts, JSON with a
//! `schema_version`, and tidy long-format CSV. It computes nothing beyond
//! formatting and ordering.

pub mod csv;

pub use crate::csv::aggregate_csv;
