//! `cargo xtask`: the runner that wires entente's crates together.
//!
//! Library crates never read the clock, the environment or the file system
//! layout of the repository; this binary owns all of that (paths, thread
//! count, generation time, progress bars) and passes values down.

mod alignment;
mod bench;
mod browser;
mod centrality;
mod country;
mod events;
mod flags;
mod gen_gdelt;
mod layers;

use std::process::ExitCode;

use clap::Parser;

use crate::flags::{Cli, Task};
use xtask::{report, root};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.task) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(task: Task) -> anyhow::Result<ExitCode> {
    match task {
        Task::Layers => layers::run(),
        Task::Report {
            data,
            events,
            config,
            out,
            threads,
        } => {
            pool(threads)?;
            report::run(report::ReportArgs {
                data,
                events,
                config,
                out,
            })
        }
        Task::Country {
            query,
            system,
            date,
        } => country::run(&query, system, date.as_deref()),
        Task::Centrality { edges } => centrality::run(&edges),
        Task::Alignment { country, years } => alignment::run(&country, years.as_deref()),
        Task::Ci => ci(),
        Task::Aggregate {
            input,
            format,
            period,
            dedup,
            out,
            threads,
            memory_mib,
            spill_dir,
        } => {
            pool(threads)?;
            events::aggregate(events::AggregateArgs {
                input,
                format,
                period,
                dedup,
                out,
                memory_mib,
                spill_dir,
            })
        }
        Task::Validate {
            input,
            format,
            strict,
            rejects,
        } => events::validate(&input, format, strict, rejects.as_deref()),
        Task::GenGdelt { rows, seed, out } => gen_gdelt::run(rows, seed, &out),
        Task::BrowserCheck => browser::run(),
        Task::Bench {
            rows,
            runs,
            peers,
            peers_dir,
            peers_rows,
            no_micro,
        } => bench::run(bench::BenchArgs {
            rows,
            runs,
            peers,
            peers_dir,
            peers_rows,
            micro: !no_micro,
        }),
    }
}

/// `cargo xtask ci`: runs `.ci/run`, the one script CI runs.
fn ci() -> anyhow::Result<ExitCode> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = std::process::Command::new("bash")
        .arg(root.join(".ci/run"))
        .current_dir(&root)
        .status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Sets the global rayon pool size (`--threads`; default: rayon's, which honours RAYON_NUM_THREADS).
fn pool(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()?;
    }
    Ok(())
}
