//! `cargo xtask aggregate` and `cargo xtask validate`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use entente_analytics::AggregateOptions;
use entente_ingest::{Dedup, EventFormat, EventSink, ReadOptions, RejectReason};
use entente_model::{Event, PeriodKind};
use xtask::aggregate::{Aggregation, Options};
use xtask::progress::Progress;

use crate::flags::{DedupArg, FormatArg, PeriodArg};

pub fn format_of(f: FormatArg) -> Option<EventFormat> {
    match f {
        FormatArg::Auto => None,
        FormatArg::Gdelt => Some(EventFormat::Gdelt),
        FormatArg::Icews => Some(EventFormat::Icews),
        FormatArg::Csv => Some(EventFormat::Csv),
        FormatArg::Json => Some(EventFormat::Json),
    }
}

pub fn period_of(p: PeriodArg) -> PeriodKind {
    match p {
        PeriodArg::Day => PeriodKind::Day,
        PeriodArg::Month => PeriodKind::Month,
        PeriodArg::Quarter => PeriodKind::Quarter,
        PeriodArg::Year => PeriodKind::Year,
    }
}

fn dedup_of(d: DedupArg) -> Dedup {
    match d {
        DedupArg::None => Dedup::None,
        DedupArg::Signature => Dedup::Signature,
    }
}

pub struct AggregateArgs {
    pub input: Vec<PathBuf>,
    pub format: FormatArg,
    pub period: PeriodArg,
    pub dedup: DedupArg,
    pub out: Option<PathBuf>,
    pub memory_mib: usize,
    pub spill_dir: Option<PathBuf>,
}

/// Cells per part of the parallel merge (a part's rows and text are held
/// in memory while it is formatted: a few MiB).
const OUT_PART: usize = 16_384;

/// `cargo xtask aggregate`.
pub fn aggregate(args: AggregateArgs) -> anyhow::Result<ExitCode> {
    let mut agg = Aggregation::new(Options {
        read: ReadOptions {
            format: format_of(args.format),
            dedup: dedup_of(args.dedup),
            strict: false,
            keep_text: false,
        },
        table: AggregateOptions {
            period: period_of(args.period),
            ..AggregateOptions::default()
        },
        memory_bytes: args.memory_mib.max(1) << 20,
        spill_dir: args.spill_dir,
        ..Options::default()
    });
    let started = std::time::Instant::now();
    let mut ledgers = Vec::new();
    for path in &args.input {
        let mut progress = Progress::new(format!("reading {}", short(path)));
        let acc = agg
            .add_file(path, &mut progress)
            .with_context(|| format!("aggregating `{}`", path.display()))?;
        progress.finish();
        ledgers.push(acc);
    }
    let read_s = started.elapsed().as_secs_f64();
    // Rows are written in sorted batches, so neither the full row list nor
    // the whole CSV text is ever in memory at once.
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(p).with_context(|| format!("creating `{}`", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    out.write_all(entente_report::AGGREGATE_CSV_HEADER.as_bytes())
        .context("writing the aggregate")?;
    let skipped = agg.skipped();
    let spilled = agg.spill_stats();
    // The runs are merged in parts, a few at a time on the rayon pool; each
    // part is formatted by the thread that merged it and written in order.
    let rows = agg.merge_par(
        OUT_PART,
        |rows| {
            let mut text = String::with_capacity(rows.len() * 80);
            entente_report::aggregate_csv_rows(rows, &mut text);
            text
        },
        |text| out.write_all(text.as_bytes()),
    )?;
    out.flush().context("writing the aggregate")?;
    let summary = serde_json::json!({
        "inputs": ledgers,
        "table": {"rows": rows, "skipped": skipped},
        "spilled": spilled,
        "seconds": {"read": read_s, "merge_and_write": started.elapsed().as_secs_f64() - read_s},
    });
    eprintln!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(ExitCode::SUCCESS)
}

fn short(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

struct RejectWriter {
    out: Option<BufWriter<File>>,
    error: Option<std::io::Error>,
    file: String,
}

impl EventSink for RejectWriter {
    fn event(&mut self, _e: Event) {}
    fn reject(&mut self, line: u64, raw: &[u8], reason: &RejectReason) {
        if let Some(out) = self.out.as_mut() {
            let r = (|| {
                write!(out, "{}:{line}\t{}\t{reason}\t", self.file, reason.kind)?;
                out.write_all(raw)?;
                out.write_all(b"\n")
            })();
            if let Err(e) = r {
                self.error.get_or_insert(e);
            }
        }
    }
}

/// `cargo xtask validate`.
pub fn validate(
    input: &[PathBuf],
    format: FormatArg,
    strict: bool,
    rejects: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let opts = ReadOptions {
        format: format_of(format),
        dedup: Dedup::None,
        strict,
        keep_text: false,
    };
    let out = rejects
        .map(|p| File::create(p).with_context(|| format!("creating `{}`", p.display())))
        .transpose()?
        .map(BufWriter::new);
    let mut sink = RejectWriter {
        out,
        error: None,
        file: String::new(),
    };
    let mut ledgers = Vec::new();
    let mut failed = false;
    for path in input {
        sink.file = path.display().to_string();
        match entente_ingest::read_events(path, &opts, &mut sink) {
            Ok(acc) => ledgers.push(serde_json::to_value(&acc)?),
            Err(e) if strict => {
                eprintln!("error: {e}");
                return Ok(ExitCode::FAILURE);
            }
            Err(e) => {
                failed = true;
                ledgers.push(
                    serde_json::json!({"file": path.display().to_string(), "error": e.to_string()}),
                );
            }
        }
    }
    if let Some(mut out) = sink.out.take() {
        out.flush()?;
    }
    if let Some(e) = sink.error {
        return Err(e).context("writing the rejects file");
    }
    println!("{}", serde_json::to_string_pretty(&ledgers)?);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
