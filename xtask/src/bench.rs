//! `cargo xtask bench`: aggregation throughput, thread scaling and the
//! analytics on the bundled data, printed as a table and written to
//! `target/bench/bench.json`.
//!
//! What runs:
//! - `gen-gdelt` files of 1M and 5M rows (seed 42) in `target/bench/`, made
//!   once and reused;
//! - `target/release/xtask aggregate --period month --threads N` on each, as a
//!   child process timed by `/usr/bin/time` (wall, user and system time, peak
//!   RSS), for 1 and 2 threads, the median of `ENTENTE_BENCH_RUNS` runs (3);
//!   the outputs of every thread count must be byte-identical;
//! - in-process micro-benchmarks of the hot paths on the 1M file held in
//!   memory: the GDELT chunk parser alone, and parser plus `EventTable`;
//! - `target/release/xtask report` on the bundled data (partnership with
//!   bootstrap, influence, centrality, blocs, the whole report).
//!
//! `ENTENTE_BENCH_ROWS` (comma-separated, default `1000000,5000000`) changes
//! the file sizes. Criterion and divan were left out: either would add a
//! large dependency tree to compile for two timings that `Instant` gives.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, bail};
use entente_analytics::{AggregateOptions, EventTable};
use entente_model::Event;
use serde_json::json;

use crate::gen_gdelt;

/// One timed child run.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: f64,
    user: f64,
    sys: f64,
    rss_kib: u64,
}

/// Runs `cmd` under `/usr/bin/time` and returns its times and peak RSS.
fn timed(exe: &Path, args: &[&str], root: &Path) -> anyhow::Result<Run> {
    let stats = std::env::temp_dir().join(format!("entente-bench-{}.time", std::process::id()));
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&stats)
        .arg(exe)
        .args(args)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .context("running /usr/bin/time (apt-get install time)")?;
    if !status.success() {
        bail!("`{} {}` failed: {status}", exe.display(), args.join(" "));
    }
    let text = std::fs::read_to_string(&stats)?;
    let _ = std::fs::remove_file(&stats);
    let last = text.lines().last().unwrap_or_default();
    let v: Vec<f64> = last
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let [wall, user, sys, rss] = v[..] else {
        bail!("unexpected /usr/bin/time output `{last}`");
    };
    Ok(Run {
        wall,
        user,
        sys,
        rss_kib: rss as u64,
    })
}

/// The run with the median wall time.
fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    runs[runs.len() / 2]
}

fn env_list(name: &str, default: &[u64]) -> Vec<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

fn label(rows: u64) -> String {
    if rows % 1_000_000 == 0 {
        format!("{}m", rows / 1_000_000)
    } else {
        rows.to_string()
    }
}

/// A generated file in `target/bench`, made when missing.
pub fn gdelt_file(root: &Path, rows: u64) -> anyhow::Result<PathBuf> {
    let path = root.join(format!("target/bench/gdelt_{}.tsv", label(rows)));
    if !path.exists() {
        eprintln!("generating {} ...", path.display());
        gen_gdelt::write_file(rows, 42, &path)?;
    }
    Ok(path)
}

/// Peak resident set of this process so far (KiB), from /proc/self/status.
fn vm_hwm() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default()
}

/// `cargo xtask bench`.
pub fn run() -> anyhow::Result<ExitCode> {
    let root = xtask::root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("building the release binary ...");
    let ok = Command::new(&cargo)
        .args(["build", "--release", "-p", "xtask"])
        .current_dir(&root)
        .status()?
        .success();
    if !ok {
        bail!("`cargo build --release -p xtask` failed");
    }
    let exe = root.join("target/release/xtask");
    let runs = env_list("ENTENTE_BENCH_RUNS", &[3])[0].max(1) as usize;
    let sizes = env_list("ENTENTE_BENCH_ROWS", &[1_000_000, 5_000_000]);
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir)?;

    let mut table = Vec::new();
    let mut results = Vec::new();
    for &rows in &sizes {
        let file = gdelt_file(&root, rows)?;
        let bytes = std::fs::metadata(&file)?.len();
        // Warm the page cache so every tool reads from memory.
        std::fs::read(&file).map(drop)?;
        let mut outputs = Vec::new();
        let mut by_threads = Vec::new();
        for threads in [1usize, 2] {
            let out = out_dir.join(format!("aggregate_{}_{threads}t.csv", label(rows)));
            let t = threads.to_string();
            let args = [
                "aggregate",
                "--input",
                file.to_str().unwrap_or_default(),
                "--period",
                "month",
                "--threads",
                &t,
                "--out",
                out.to_str().unwrap_or_default(),
            ];
            let r = median(
                (0..runs)
                    .map(|_| timed(&exe, &args, &root))
                    .collect::<anyhow::Result<_>>()?,
            );
            outputs.push(std::fs::read(&out)?);
            let mbs = bytes as f64 / r.wall / 1e6;
            let rps = rows as f64 / r.wall;
            table.push(format!(
                "| aggregate {} rows | {threads} | {:.2} | {:.2} | {:.0} | {:.2} M | {} |",
                label(rows),
                r.wall,
                r.user + r.sys,
                mbs,
                rps / 1e6,
                r.rss_kib / 1024
            ));
            by_threads.push(r);
            results.push(json!({
                "task": "aggregate", "rows": rows, "bytes": bytes, "threads": threads,
                "wall_s": r.wall, "user_s": r.user, "sys_s": r.sys, "mb_per_s": mbs,
                "rows_per_s": rps, "peak_rss_mib": r.rss_kib as f64 / 1024.0,
            }));
        }
        if outputs.windows(2).any(|w| w[0] != w[1]) {
            bail!("aggregate output differs between 1 and 2 threads");
        }
        let scaling = by_threads[0].wall / by_threads[1].wall;
        table.push(format!(
            "| scaling {} rows, 2 threads / 1 thread | | {scaling:.2}x | | | | |",
            label(rows)
        ));
        results.push(json!({"task": "scaling", "rows": rows, "speedup_2_over_1": scaling}));
    }

    // Micro-benchmarks in this process, on the smallest file held in memory.
    let small = gdelt_file(&root, sizes[0])?;
    let data = std::fs::read(&small)?;
    let t0 = Instant::now();
    let mut n = 0u64;
    let (acc, _) = entente_ingest::parse_gdelt_chunk(&data, true, "bench", &mut |_e: Event| n += 1);
    let parse = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let mut t = EventTable::new(AggregateOptions::default());
    entente_ingest::parse_gdelt_chunk(&data, true, "bench", &mut |e: Event| t.add(&e));
    let both = t0.elapsed().as_secs_f64();
    let mb = data.len() as f64 / 1e6;
    for (name, secs) in [
        ("micro: parse_gdelt_chunk, 1 thread", parse),
        ("micro: parse + EventTable::add, 1 thread", both),
    ] {
        table.push(format!(
            "| {name} ({} rows) | 1 | {secs:.2} | {secs:.2} | {:.0} | {:.2} M | |",
            label(sizes[0]),
            mb / secs,
            acc.rows_read as f64 / secs / 1e6
        ));
        results.push(json!({"task": name, "rows": acc.rows_read, "wall_s": secs,
            "mb_per_s": mb / secs}));
    }
    drop(data);
    let hwm = vm_hwm();

    // The whole report on the bundled data.
    let report_out = out_dir.join("report");
    let args = ["report", "--out", report_out.to_str().unwrap_or_default()];
    let r = median(
        (0..runs)
            .map(|_| timed(&exe, &args, &root))
            .collect::<anyhow::Result<_>>()?,
    );
    table.push(format!(
        "| report on bundled data (partnership + bootstrap, influence, centrality, blocs) | 2 | {:.2} | {:.2} | | | {} |",
        r.wall,
        r.user + r.sys,
        r.rss_kib / 1024
    ));
    results.push(
        json!({"task": "report", "wall_s": r.wall, "user_s": r.user, "sys_s": r.sys,
        "peak_rss_mib": r.rss_kib as f64 / 1024.0}),
    );

    println!("| task | threads | wall s | cpu s | MB/s | rows/s | peak RSS MiB |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for line in &table {
        println!("{line}");
    }
    let generated = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let doc = json!({
        "schema_version": 1,
        "generated_unix": generated,
        "machine": {"cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
                    "cpu": cpu_model()},
        "runs_per_median": runs,
        "bench_process_peak_rss_kib": hwm,
        "results": results,
    });
    let path = out_dir.join("bench.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
    eprintln!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
