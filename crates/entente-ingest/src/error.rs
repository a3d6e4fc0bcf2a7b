//! `IngestError`: what went wrong, where, and with which value.

use std::path::PathBuf;

/// Everything that can stop a reader.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A compressed file is damaged or truncated.
    #[error("`{}` is not a valid {kind} archive: {detail}", path.display())]
    Archive {
        /// The file.
        path: PathBuf,
        /// `gzip` or `zip`.
        kind: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// The file is empty or has only a header.
    #[error("`{}` has no data rows{}", path.display(), if *header_only { " (header only)" } else { " (empty file)" })]
    NoData {
        /// The file.
        path: PathBuf,
        /// Whether a header was present.
        header_only: bool,
    },
    /// The format could not be recognised.
    #[error("cannot tell the format of `{}`: {reason}; pass --format", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Why detection failed.
        reason: String,
    },
    /// A required column is absent from a header.
    #[error("`{}` has no column `{column}` (header: {header})", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column expected.
        column: String,
        /// The header found.
        header: String,
    },
    /// One bad row, in strict mode (or a row that stops the reader).
    #[error("{}:{line}: {reason}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line (or record) number.
        line: u64,
        /// The rule broken, with field and value.
        reason: crate::RejectReason,
    },
}
