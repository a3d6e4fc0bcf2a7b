//! The aggregation driver behind `cargo xtask aggregate`: event files to a
//! dyad-period table in bounded memory.
//!
//! Plain GDELT files are cut into line-aligned chunks that every thread of
//! the rayon pool pulls from one queue; each thread parses its chunks with
//! the allocation-free reader ([`entente_ingest::parse_gdelt_chunk_core`])
//! into its own [`EventTable`]. When a table reaches its share of the memory
//! budget its cells are sorted and spilled to an unnamed temporary file as a
//! run; at the end the runs are merged in key order and written out in
//! batches. Sums are exact integers, so the table is the same for any
//! thread count, chunk order or spill point; other formats (compressed, ICEWS,
//! native, or `--dedup signature`) take the sequential reader and the same
//! spilling.

use std::fs::File;
use std::io::{BufWriter, Seek};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use anyhow::Context;
use entente_analytics::{AggregateOptions, EventTable, ReadAt, Run};
use entente_ingest::source::{self, Compression};
use entente_ingest::{Accounting, Dedup, EventFormat, EventSink, IngestError, ReadOptions};
use entente_model::{DyadPeriod, Event};

use crate::progress::Progress;

/// Default chunk size of the parallel GDELT path.
pub const CHUNK: u64 = 8 << 20;

/// Default read size within a chunk: fits a core's L2 cache.
pub const BLOCK: usize = 256 << 10;

/// Memory of one table cell: 120 bytes of counters plus its index entry.
const CELL_COST: usize = 144;

/// How to aggregate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How to read the files.
    pub read: ReadOptions,
    /// Period, quad scheme, direction.
    pub table: AggregateOptions,
    /// Memory for the tables of all threads together, in bytes; a table
    /// that outgrows its share spills a sorted run to a temporary file.
    pub memory_bytes: usize,
    /// Folder for spilled runs [default: the system's temporary folder].
    pub spill_dir: Option<PathBuf>,
    /// Bytes per chunk of the parallel path (cut at line ends): the unit of
    /// work a thread takes. Fixed by the caller, never by the thread count.
    pub chunk_bytes: u64,
    /// Bytes read at a time within a chunk (grown for a longer line).
    pub block_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            read: ReadOptions::default(),
            table: AggregateOptions::default(),
            memory_bytes: 64 << 20,
            spill_dir: None,
            chunk_bytes: CHUNK,
            block_bytes: BLOCK,
        }
    }
}

/// What spilling did, for the summary.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct SpillStats {
    /// Runs written to temporary files.
    pub runs: usize,
    /// Bytes written to them.
    pub bytes: u64,
}

type SpillRun = Run<SpillFile>;

/// A spilled run's temporary file, read by position so several threads can
/// merge parts of it at once.
#[derive(Debug)]
pub struct SpillFile(File);

impl ReadAt for SpillFile {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(&self.0, buf, offset)
        }
        #[cfg(windows)]
        {
            let mut done = 0;
            while done < buf.len() {
                let n = std::os::windows::fs::FileExt::seek_read(
                    &self.0,
                    &mut buf[done..],
                    offset + done as u64,
                )?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                done += n;
            }
            Ok(())
        }
    }
}

/// Event files aggregated so far: the runs and the table of volumes.
pub struct Aggregation {
    opts: Options,
    /// Volumes and skipped counts of every file (and cells of none).
    meta: EventTable,
    runs: Vec<SpillRun>,
    spill: SpillStats,
}

impl Aggregation {
    /// An empty aggregation.
    pub fn new(opts: Options) -> Aggregation {
        Aggregation {
            meta: EventTable::new(opts.table),
            opts,
            runs: Vec::new(),
            spill: SpillStats::default(),
        }
    }

    /// Cells one thread's table may hold before it spills.
    fn cap(&self, threads: usize) -> usize {
        (self.opts.memory_bytes / CELL_COST / threads.max(1)).max(1)
    }

    /// Reads one file; returns its accounting.
    pub fn add_file(&mut self, path: &Path, progress: &mut Progress) -> anyhow::Result<Accounting> {
        if chunkable(path, &self.opts.read)? {
            return self.add_chunked(path, progress);
        }
        let mut sink = SpillSink {
            table: EventTable::new(self.opts.table),
            cap: self.cap(1),
            dir: self.opts.spill_dir.clone(),
            runs: Vec::new(),
            stats: SpillStats::default(),
            error: None,
            progress,
        };
        let acc = entente_ingest::read_events(path, &self.opts.read, &mut sink);
        let SpillSink {
            mut table,
            runs,
            stats,
            error,
            ..
        } = sink;
        if let Some(e) = error {
            return Err(e);
        }
        let acc = acc?;
        self.keep(&mut table, runs, stats);
        Ok(acc)
    }

    /// Moves a finished table's cells (as a run in memory) and its spilled
    /// runs into the aggregation.
    fn keep(&mut self, table: &mut EventTable, runs: Vec<SpillRun>, stats: SpillStats) {
        let last = table.take_run();
        if !last.is_empty() {
            self.runs.push(Run::Memory(last));
        }
        self.runs.extend(runs);
        self.meta
            .merge(std::mem::replace(table, EventTable::new(self.opts.table)));
        self.spill.runs += stats.runs;
        self.spill.bytes += stats.bytes;
    }

    /// The parallel path for plain GDELT files.
    fn add_chunked(&mut self, path: &Path, progress: &mut Progress) -> anyhow::Result<Accounting> {
        let size = std::fs::metadata(path)
            .with_context(|| format!("reading `{}`", path.display()))?
            .len();
        let ranges = source::line_chunks(
            path,
            size.div_ceil(self.opts.chunk_bytes.max(1)).max(1) as usize,
        )?;
        let name = path.display().to_string();
        let threads = rayon::current_num_threads().max(1);
        let cap = self.cap(threads);
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let done = AtomicU64::new(0);
        let progress = Mutex::new(progress);
        let work = |_: rayon::BroadcastContext<'_>| -> anyhow::Result<Worker> {
            let mut w = Worker {
                table: EventTable::new(self.opts.table),
                runs: Vec::new(),
                stats: SpillStats::default(),
                chunks: Vec::new(),
            };
            let mut buf = Vec::new();
            // Each chunk is summed in a small table that stays in cache, then
            // folded into the thread's table once per distinct key.
            let mut small = EventTable::new(self.opts.table);
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = ranges.get(i) else { break };
                let step = (|| -> anyhow::Result<()> {
                    let mut acc = Accounting::new(name.as_str(), "gdelt");
                    let mut lines = 0u64;
                    let block = self.opts.block_bytes;
                    for_each_block(path, r.clone(), block, &mut buf, |first, block| {
                        let (mut a, n) = entente_ingest::parse_gdelt_chunk_core(
                            block,
                            i == 0 && first,
                            &name,
                            |e| small.add_core(e),
                        );
                        a.offset_lines(lines);
                        lines += n;
                        acc.merge(&a);
                    })?;
                    w.table.absorb(&mut small);
                    w.chunks.push((i, acc, lines));
                    if w.table.len() >= cap {
                        let dir = self.opts.spill_dir.as_deref();
                        w.runs.push(spill(&mut w.table, dir, &mut w.stats)?);
                    }
                    Ok(())
                })();
                if let Err(e) = step {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                let d = done.fetch_add(r.end - r.start, Ordering::Relaxed) + (r.end - r.start);
                if let Ok(mut p) = progress.try_lock() {
                    p.set(d, size);
                }
            }
            // The last run is sorted here, in parallel, not after the join.
            let last = w.table.take_run();
            if !last.is_empty() {
                w.runs.push(Run::Memory(last));
            }
            Ok(w)
        };
        let workers = rayon::broadcast(work);
        let mut chunks = Vec::with_capacity(ranges.len());
        for w in workers {
            let mut w = w?;
            chunks.append(&mut w.chunks);
            self.keep(&mut w.table, w.runs, w.stats);
        }
        // Accounting in file order: chunk line numbers become file line numbers.
        chunks.sort_unstable_by_key(|c| c.0);
        let mut acc = Accounting::new(name, "gdelt");
        let mut lines_before = 0u64;
        for (_, mut a, lines) in chunks {
            a.offset_lines(lines_before);
            lines_before += lines;
            acc.merge(&a);
        }
        if acc.rows_read == 0 {
            return Err(IngestError::NoData {
                path: path.to_owned(),
                header_only: acc.header_skipped,
            }
            .into());
        }
        Ok(acc)
    }

    /// What spilling did so far.
    pub fn spill_stats(&self) -> SpillStats {
        self.spill
    }

    /// What the table left out.
    pub fn skipped(&self) -> entente_analytics::Skipped {
        self.meta.skipped()
    }

    /// Merges the runs and hands the rows over in key order, in batches of at
    /// most `batch`; returns the number of rows.
    pub fn for_each_batch(
        self,
        batch: usize,
        mut f: impl FnMut(&[DyadPeriod]) -> std::io::Result<()>,
    ) -> anyhow::Result<u64> {
        let mut n = 0u64;
        self.meta
            .merge_runs(self.runs, batch, |rows| {
                n += rows.len() as u64;
                f(rows)
            })
            .context("merging the aggregated runs")?;
        Ok(n)
    }

    /// Merges the runs in parallel parts of about `rows_per_part` rows: each
    /// part's rows go through `map` on a pool thread, and `consume` gets the
    /// results in key order on this thread; returns the number of rows.
    pub fn merge_par<T: Send>(
        self,
        rows_per_part: usize,
        map: impl Fn(&[DyadPeriod]) -> T + Sync,
        consume: impl FnMut(T) -> std::io::Result<()>,
    ) -> anyhow::Result<u64> {
        self.meta
            .merge_runs_par(self.runs, rows_per_part, map, consume)
            .context("merging the aggregated runs")
    }

    /// All rows in key order (for tests and small inputs).
    pub fn rows(self) -> anyhow::Result<Vec<DyadPeriod>> {
        let mut out = Vec::new();
        self.for_each_batch(1 << 16, |b| {
            out.extend_from_slice(b);
            Ok(())
        })?;
        Ok(out)
    }
}

/// One thread's share of a chunked file.
struct Worker {
    table: EventTable,
    runs: Vec<SpillRun>,
    stats: SpillStats,
    /// Chunk index, its accounting (chunk-relative lines) and its line count.
    chunks: Vec<(usize, Accounting, u64)>,
}

/// Writes a run to an unnamed temporary file (removed by the system when
/// closed, even if the process dies) and returns it ready to be read back.
fn spill(
    table: &mut EventTable,
    dir: Option<&Path>,
    stats: &mut SpillStats,
) -> anyhow::Result<SpillRun> {
    let file = match dir {
        Some(d) => tempfile::tempfile_in(d),
        None => tempfile::tempfile(),
    }
    .with_context(|| match dir {
        Some(d) => format!(
            "creating a temporary file for a spilled run in `{}`",
            d.display()
        ),
        None => "creating a temporary file for a spilled run in the system's temporary \
                 folder (choose another with --spill-dir)"
            .to_owned(),
    })?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let len = table.len() as u64;
    let spilled = table.spill(&mut w).context("writing a spilled run")?;
    let file = w.into_inner().map_err(|e| e.into_error())?;
    stats.runs += 1;
    stats.bytes += len * 120;
    Ok(Run::Spilled(spilled, SpillFile(file)))
}

/// The sequential reader's sink: adds events and spills when the table is full.
struct SpillSink<'a> {
    table: EventTable,
    cap: usize,
    dir: Option<PathBuf>,
    runs: Vec<SpillRun>,
    stats: SpillStats,
    error: Option<anyhow::Error>,
    progress: &'a mut Progress,
}

impl EventSink for SpillSink<'_> {
    fn event(&mut self, e: Event) {
        self.table.add(&e);
        if self.table.len() >= self.cap && self.error.is_none() {
            match spill(&mut self.table, self.dir.as_deref(), &mut self.stats) {
                Ok(r) => self.runs.push(r),
                Err(e) => self.error = Some(e),
            }
        }
    }
    fn progress(&mut self, done: u64, total: u64) {
        self.progress.set(done, total);
    }
}

/// Reads a line-aligned byte range of a file in blocks of about `block`
/// bytes that end at line ends, and hands each to `f` (with `true` for the
/// first). Blocks are small so that a block is still in the core's cache
/// when it is parsed (a whole 8 MiB chunk is evicted by its own copy); a
/// line longer than the buffer grows it. `buf` is reused across calls.
fn for_each_block(
    path: &Path,
    range: Range<u64>,
    block: usize,
    buf: &mut Vec<u8>,
    mut f: impl FnMut(bool, &[u8]),
) -> anyhow::Result<()> {
    use std::io::{Read, SeekFrom};
    let context = || format!("reading `{}` (did the file change?)", path.display());
    let mut file = File::open(path).with_context(|| format!("opening `{}`", path.display()))?;
    file.seek(SeekFrom::Start(range.start))
        .with_context(context)?;
    let mut left = range.end - range.start;
    if buf.len() < block.max(1) {
        buf.resize(block.max(1), 0);
    }
    // Bytes of an unfinished line at the start of `buf`.
    let mut carry = 0usize;
    let mut first = true;
    while left > 0 {
        if carry == buf.len() {
            let grown = buf.len() * 2;
            buf.resize(grown, 0);
        }
        let want = ((buf.len() - carry) as u64).min(left) as usize;
        file.read_exact(&mut buf[carry..carry + want])
            .with_context(context)?;
        left -= want as u64;
        let filled = carry + want;
        let end = if left == 0 {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(p) => p + 1,
                None => {
                    carry = filled;
                    continue;
                }
            }
        };
        f(first, &buf[..end]);
        first = false;
        buf.copy_within(end..filled, 0);
        carry = filled - end;
    }
    Ok(())
}

/// Whether a file can take the parallel chunked path: plain, GDELT, no dedup.
fn chunkable(path: &Path, opts: &ReadOptions) -> anyhow::Result<bool> {
    if Compression::of(path) != Compression::None || opts.dedup != Dedup::None || opts.strict {
        return Ok(false);
    }
    let format = match opts.format {
        Some(f) => f,
        None => {
            let mut input = source::open(path)?;
            let mut lines = source::LineReader::new(&mut input.reader);
            let mut buf = Vec::new();
            if lines.next_line(&mut buf)?.is_none() {
                return Ok(false);
            }
            entente_ingest::detect_format(path, &buf)?
        }
    };
    Ok(format == EventFormat::Gdelt)
}
