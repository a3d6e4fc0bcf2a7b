//! `cargo xtask bench`: aggregation throughput, thread scaling, memory, the
//! peers side by side and the analytics on the bundled data, printed as a
//! Markdown table and written to `target/bench/bench.json`.
//!
//! What runs, in this order (one command, so one table comes from one run):
//! - `gen-gdelt` files (`--rows`, default 1M and 5M rows, seed 42) in
//!   `target/bench/`, made once and reused, read once to warm the page cache;
//! - `target/release/xtask aggregate --period month --threads N` on each, as a
//!   child process timed by `/usr/bin/time` (wall, user and system time, peak
//!   RSS), for 1 and 2 threads, the median of `--runs` runs (3); the outputs
//!   of both thread counts must be byte-identical;
//! - with `--peers PYTHON`: Polars, DuckDB and pandas (the scripts of
//!   `../shared/bench/peers`) on one file, timed the same way, and entente's
//!   ratio to each;
//! - in-process timings of the reader on the smallest file held in memory;
//! - `target/release/xtask report` on the bundled data (partnership with
//!   bootstrap, influence, centrality, blocs, the whole report);
//! - the divan micro-benchmarks (`cargo bench -p entente-tests --bench
//!   hot_paths`) unless `--no-micro`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, bail};
use entente_analytics::{AggregateOptions, EventTable};
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
    timed_output(exe, args, root).map(|(r, _)| r)
}

/// [`timed`], also returning what the command printed on standard output.
fn timed_output(exe: &Path, args: &[&str], root: &Path) -> anyhow::Result<(Run, String)> {
    let stats = std::env::temp_dir().join(format!("entente-bench-{}.time", std::process::id()));
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&stats)
        .arg(exe)
        .args(args)
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .context("running /usr/bin/time (apt-get install time)")?;
    if !status.status.success() {
        bail!(
            "`{} {}` failed: {}",
            exe.display(),
            args.join(" "),
            status.status
        );
    }
    let stdout = String::from_utf8_lossy(&status.stdout).into_owned();
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
    Ok((
        Run {
            wall,
            user,
            sys,
            rss_kib: rss as u64,
        },
        stdout,
    ))
}

/// The run with the median wall time.
fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    runs[runs.len() / 2]
}

/// What `cargo xtask bench` was asked for.
pub struct BenchArgs {
    pub rows: Vec<u64>,
    pub runs: usize,
    pub peers: Option<PathBuf>,
    pub peers_dir: Option<PathBuf>,
    pub peers_rows: Option<u64>,
    pub micro: bool,
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

/// Total and stolen CPU time so far (jiffies, from /proc/stat): on a
/// virtual machine, time the host gave to other guests shows as steal.
fn cpu_times() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/stat").ok()?;
    let line = s.lines().next()?;
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    Some((v.iter().take(8).sum(), *v.get(7)?))
}

/// The commit being measured (with `+dirty` when the tree has changes), so a
/// recorded table names its code.
fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(hash) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_owned();
    };
    match git(&["status", "--porcelain", "--untracked-files=no"]) {
        Some(s) if !s.is_empty() => format!("{hash}+dirty"),
        _ => hash,
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
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
pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
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
    let load_start = load_average();
    let cpu_start = cpu_times();
    let runs = args.runs.max(1);
    let mut sizes = args.rows.clone();
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.is_empty() {
        bail!("--rows needs at least one size");
    }
    let peers_rows = args.peers_rows.unwrap_or(if sizes.contains(&5_000_000) {
        5_000_000
    } else {
        sizes[sizes.len() - 1]
    });
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir)?;

    let mut table = Vec::new();
    let mut results = Vec::new();
    // Median wall and peak RSS of 2 threads, by size.
    let mut two_threads: Vec<(u64, Run)> = Vec::new();
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
            let agg_args = [
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
                    .map(|_| timed(&exe, &agg_args, &root))
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
        two_threads.push((rows, by_threads[1]));
        let scaling = by_threads[0].wall / by_threads[1].wall;
        table.push(format!(
            "| scaling {} rows, 2 threads / 1 thread | | {scaling:.2}x | | | | |",
            label(rows)
        ));
        results.push(json!({"task": "scaling", "rows": rows, "speedup_2_over_1": scaling}));
    }

    // Peak memory against input size, for each size and the next larger one.
    for pair in two_threads.windows(2) {
        let ((r0, a), (r1, b)) = (pair[0], pair[1]);
        let growth = b.rss_kib as f64 / a.rss_kib as f64;
        table.push(format!(
            "| peak RSS {} rows / {} rows, 2 threads | | {growth:.2}x | | | | |",
            label(r1),
            label(r0)
        ));
        results.push(
            json!({"task": "memory_growth", "small_rows": r0, "large_rows": r1,
            "small_rss_mib": a.rss_kib as f64 / 1024.0, "large_rss_mib": b.rss_kib as f64 / 1024.0,
            "ratio": growth}),
        );
    }

    // The peers on one file, right after entente's runs.
    let mut peer_lines = Vec::new();
    if let Some(python) = &args.peers {
        let dir = args
            .peers_dir
            .clone()
            .unwrap_or_else(|| root.join("../shared/bench/peers"));
        let file = gdelt_file(&root, peers_rows)?;
        let bytes = std::fs::metadata(&file)?.len();
        std::fs::read(&file).map(drop)?;
        let ours = two_threads
            .iter()
            .find(|(r, _)| *r == peers_rows)
            .map(|(_, r)| r.wall);
        let mut polars = None;
        for tool in ["polars", "duckdb", "pandas"] {
            let script = dir.join(format!("agg_{tool}.py"));
            let a = [
                script.to_str().unwrap_or_default(),
                file.to_str().unwrap_or_default(),
            ];
            let mut timed_runs = Vec::new();
            let mut last = String::new();
            for _ in 0..runs {
                let (r, out) = timed_output(python, &a, &dir)?;
                timed_runs.push(r);
                last = out;
            }
            let r = median(timed_runs);
            let info: serde_json::Value = last
                .lines()
                .rev()
                .find_map(|l| serde_json::from_str(l).ok())
                .unwrap_or_default();
            let version = info["version"].as_str().unwrap_or("?").to_owned();
            // The in-process time of read + aggregate, without starting Python
            // and importing the library: the stricter comparison.
            let query = info["t_query_s"].as_f64().unwrap_or(r.wall);
            if tool == "polars" {
                polars = Some(query);
            }
            let vs = ours.map(|w| query / w);
            peer_lines.push(format!(
                "| {tool} {version} | {} | {:.2} | {query:.2} | {:.0} | {} | {} |",
                info["threads"]
                    .as_u64()
                    .map_or("-".to_owned(), |t| t.to_string()),
                r.wall,
                bytes as f64 / query / 1e6,
                r.rss_kib / 1024,
                vs.map_or("-".to_owned(), |v| format!("{v:.2}x"))
            ));
            results.push(
                json!({"task": "peer", "tool": tool, "version": version, "rows": peers_rows,
                "bytes": bytes, "wall_s": r.wall, "user_s": r.user, "sys_s": r.sys,
                "peak_rss_mib": r.rss_kib as f64 / 1024.0, "query_s": query,
                "groups": info["groups"], "n_events": info["n_events"],
                "entente_speedup": vs}),
            );
        }
        if let (Some(p), Some(o)) = (polars, ours) {
            results.push(
                json!({"task": "ratio_to_polars", "rows": peers_rows, "entente_wall_s": o,
                "polars_query_s": p, "entente_speedup": p / o}),
            );
            peer_lines.push(format!(
                "\nentente (2 threads, whole process, CSV written) against Polars (query only, result in memory) on {} rows: **{:.2}x** the throughput ({o:.2} s against {p:.2} s).",
                label(peers_rows),
                p / o
            ));
        }
    }

    // The reader in this process, on the smallest file held in memory.
    let small = gdelt_file(&root, sizes[0])?;
    let data = std::fs::read(&small)?;
    let t0 = Instant::now();
    let mut n = 0u64;
    let (acc, _) = entente_ingest::parse_gdelt_chunk_core(&data, true, "bench", |_e| n += 1);
    let parse = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let mut t = EventTable::new(AggregateOptions::default());
    entente_ingest::parse_gdelt_chunk_core(&data, true, "bench", |e| t.add_core(e));
    let both = t0.elapsed().as_secs_f64();
    let mb = data.len() as f64 / 1e6;
    for (name, secs) in [
        ("in process: parse_gdelt_chunk_core", parse),
        ("in process: parse + EventTable::add_core", both),
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
    let report_args = ["report", "--out", report_out.to_str().unwrap_or_default()];
    let r = median(
        (0..runs)
            .map(|_| timed(&exe, &report_args, &root))
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

    let load_end = load_average();
    let steal = match (cpu_start, cpu_times()) {
        (Some((t0, s0)), Some((t1, s1))) if t1 > t0 => {
            Some(100.0 * (s1 - s0) as f64 / (t1 - t0) as f64)
        }
        _ => None,
    };
    let code = commit(&root);
    println!(
        "commit {code}; machine: {} cpus, {}; load average {load_start} at the start, {load_end} at the end; CPU time stolen by the host: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        cpu_model(),
        steal.map_or("unknown".to_owned(), |s| format!("{s:.1}%"))
    );
    println!();
    println!("| task | threads | wall s | cpu s | MB/s | rows/s | peak RSS MiB |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for line in &table {
        println!("{line}");
    }
    if !peer_lines.is_empty() {
        println!();
        println!(
            "| peer ({} rows) | threads | process wall s | query s | MB/s (query) | peak RSS MiB | entente (2 threads, wall) is faster by |",
            label(peers_rows)
        );
        println!("| --- | --- | --- | --- | --- | --- | --- |");
        for line in &peer_lines {
            println!("{line}");
        }
    }
    let generated = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let doc = json!({
        "schema_version": 1,
        "generated_unix": generated,
        "machine": {"cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
                    "cpu": cpu_model(), "load_average_start": load_start,
                    "load_average_end": load_end, "steal_percent": steal},
        "commit": code,
        "runs_per_median": runs,
        "bench_process_peak_rss_kib": hwm,
        "results": results,
    });
    let path = out_dir.join("bench.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
    eprintln!("wrote {}", path.display());

    if args.micro {
        println!();
        println!("divan micro-benchmarks (cargo bench -p entente-tests --bench hot_paths):");
        let ok = Command::new(&cargo)
            .args(["bench", "-q", "-p", "entente-tests", "--bench", "hot_paths"])
            .current_dir(&root)
            .status()?
            .success();
        if !ok {
            bail!("`cargo bench -p entente-tests --bench hot_paths` failed");
        }
    }
    Ok(ExitCode::SUCCESS)
}
