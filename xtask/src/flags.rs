//! The command-line surface of `cargo xtask`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// entente's task runner. Run `cargo xtask <TASK> --help` for a task's options.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
pub struct Cli {
    /// The task to run.
    #[command(subcommand)]
    pub task: Task,
}

/// Input formats that readers understand; `auto` detects by extension and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Detect from the file name and its first line.
    Auto,
    /// GDELT 1.0 or 2.0 event export (tab-separated, no header).
    Gdelt,
    /// ICEWS event TSV (20 columns, with header).
    Icews,
    /// entente's native event CSV.
    Csv,
    /// entente's native event JSON or JSON Lines.
    Json,
}

/// Time resolution of a dyad-period table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Calendar day.
    Day,
    /// Calendar month.
    Month,
    /// Calendar quarter.
    Quarter,
    /// Calendar year.
    Year,
}

/// Duplicate-event rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DedupArg {
    /// Keep every row.
    None,
    /// Drop GDELT re-emissions with the same event signature (see docs/data-formats.md).
    Signature,
}

/// A code system accepted by `cargo xtask country --system`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SystemArg {
    /// ISO 3166-1 alpha-3.
    Iso3,
    /// ISO 3166-1 alpha-2.
    Iso2,
    /// ISO 3166-1 numeric / UN M49.
    M49,
    /// Correlates of War numeric code.
    Cow,
    /// Correlates of War letter code.
    Cowc,
    /// Gleditsch-Ward numeric code.
    Gw,
    /// CAMEO country code.
    Cameo,
    /// FIPS 10-4 (GDELT's geographic columns).
    Fips,
    /// A name or alias.
    Name,
}

/// Every task of the runner.
#[derive(Debug, Subcommand)]
pub enum Task {
    /// Run the whole pipeline on the bundled data and write the report (the main job).
    Report {
        /// Data folder with an `entente.toml` manifest [default: the bundled data/].
        #[arg(long)]
        data: Option<PathBuf>,
        /// Extra event files to add to whatever data is used.
        #[arg(long, num_args = 1..)]
        events: Vec<PathBuf>,
        /// Report configuration (TOML) [default: data/entente.toml's settings].
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output folder [default: target/report].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads [default: all cores].
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Aggregate event files into a dyad-period CSV table.
    Aggregate {
        /// Event files (.CSV, .csv, .tsv, .json, .jsonl, optionally .gz or .zip).
        #[arg(long, required = true, num_args = 1..)]
        input: Vec<PathBuf>,
        /// Input format.
        #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
        format: FormatArg,
        /// Period of the table.
        #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
        period: PeriodArg,
        /// Duplicate rule.
        #[arg(long, value_enum, default_value_t = DedupArg::None)]
        dedup: DedupArg,
        /// Output CSV [default: standard output].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads [default: all cores].
        #[arg(long)]
        threads: Option<usize>,
        /// Memory for the in-memory tables, in MiB; beyond it, sorted runs
        /// are spilled to temporary files and merged at the end.
        #[arg(long, default_value_t = 64)]
        memory_mib: usize,
        /// Folder for spilled runs [default: the system's temporary folder].
        #[arg(long)]
        spill_dir: Option<PathBuf>,
    },
    /// Ingest files and print their row accounting as JSON.
    Validate {
        /// Files to check.
        #[arg(long, required = true, num_args = 1..)]
        input: Vec<PathBuf>,
        /// Input format.
        #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
        format: FormatArg,
        /// Stop with exit status 1 at the first bad row.
        #[arg(long)]
        strict: bool,
        /// Write every rejected line verbatim, with its reason, to this file.
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
    /// Look a country up in every code system and print its record as JSON.
    Country {
        /// A code or a name.
        query: String,
        /// Code system of the query [default: try every system, then names].
        #[arg(long, value_enum)]
        system: Option<SystemArg>,
        /// Date for time-dependent answers (YYYY-MM-DD) [default: latest].
        #[arg(long)]
        date: Option<String>,
    },
    /// PageRank and eigenvector centrality of a weighted directed graph (CSV source,target,weight).
    Centrality {
        /// Edge list CSV with header `source,target,weight`.
        #[arg(long)]
        edges: PathBuf,
    },
    /// UN General Assembly voting alignment per dyad-year as CSV.
    Alignment {
        /// Restrict to dyads containing these countries (ISO3); repeatable.
        #[arg(long)]
        country: Vec<String>,
        /// Year range FROM-TO.
        #[arg(long)]
        years: Option<String>,
    },
    /// Write a deterministic synthetic GDELT 2.0 export for benchmarks.
    GenGdelt {
        /// Number of rows.
        #[arg(long)]
        rows: u64,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Benchmarks: aggregation throughput, thread scaling, memory, the peers
    /// (Polars, DuckDB, pandas) side by side, analytics timings and the divan
    /// micro-benchmarks.
    Bench {
        /// Sizes of the generated GDELT files, in rows.
        #[arg(long, value_delimiter = ',', default_values_t = [1_000_000u64, 5_000_000])]
        rows: Vec<u64>,
        /// Runs per timing (the median is reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// A Python with the peers' packages (`pip install -r
        /// ../shared/bench/peers/requirements.txt`); without it the peers are skipped.
        #[arg(long)]
        peers: Option<PathBuf>,
        /// The peers' scripts [default: ../shared/bench/peers].
        #[arg(long)]
        peers_dir: Option<PathBuf>,
        /// File size (rows) the peers run on [default: 5000000, or the largest of --rows].
        #[arg(long)]
        peers_rows: Option<u64>,
        /// Skip the divan micro-benchmarks.
        #[arg(long)]
        no_micro: bool,
    },
    /// Run what CI runs (.ci/run): fmt, clippy, tests with and without RAYON_NUM_THREADS=1.
    Ci,
    /// Check the crate layering rule from `cargo metadata`.
    Layers,
    /// Open the HTML report in headless Chromium and check it renders (skips without Chromium).
    BrowserCheck,
}
