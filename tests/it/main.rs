//! entente's integration tests: one binary, with fixtures in `tests/fixtures`
//! and snapshots in `tests/it/snapshots`.

mod alignment;
mod centrality;
mod common;
mod communities;
mod ingest;
mod malformed;
mod oracles;
mod perf;
mod report;
mod safety;
