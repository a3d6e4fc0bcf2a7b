//! entente-ingest: file formats in, validated entente-model values out.
//!
//! This is the only crate that knows a file layout. Readers stream (one line
//! or record in memory at a time, lines bounded by [`source::MAX_LINE`]), read
//! `.gz` and `.zip` directly, and account for every row: each is accepted, not
//! dyadic, deduplicated or rejected with a reason ([`Accounting`]). Errors
//! ([`IngestError`]) name the file, line, field and value.

mod account;
mod error;
pub mod events;
pub mod source;
pub mod tables;

pub use account::{Accounting, RejectCount, RejectReason};
pub use error::IngestError;
pub use events::{
    Dedup, EventFormat, EventSink, ReadOptions, detect_format, parse_gdelt_chunk,
    parse_gdelt_chunk_core, read_events,
};
