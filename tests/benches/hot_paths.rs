//! Micro-benchmarks of the hot paths of `cargo xtask aggregate`, with divan:
//!
//! ```sh
//! cargo bench -p entente-tests --bench hot_paths
//! ```
//!
//! Input: the three bundled GDELT 2.0 exports (`data/gdelt/2*.export.CSV.gz`,
//! real rows), decompressed and concatenated in memory, so the numbers are
//! for real column widths and code frequencies. Throughput is in bytes of
//! GDELT text. `cargo xtask bench` runs this too, after the end-to-end runs.

use std::io::Read;
use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use entente_analytics::{AggregateOptions, EventTable, Run};
use entente_model::{DyadPeriod, Event};

fn main() {
    divan::main();
}

/// The bundled GDELT 2.0 exports, one after the other.
static GDELT: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let dir = xtask::root().join("data/gdelt");
    let mut out = Vec::new();
    for stem in ["20180326044500", "20191024143000", "20240515224500"] {
        let path = dir.join(format!("{stem}.export.CSV.gz"));
        let file = std::fs::File::open(&path).expect("bundled GDELT export");
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut out)
            .expect("gzip");
    }
    out
});

/// The dyad-months of the bundled exports.
static ROWS: LazyLock<Vec<DyadPeriod>> = LazyLock::new(|| table().rows());

fn table() -> EventTable {
    let mut t = EventTable::new(AggregateOptions::default());
    entente_ingest::parse_gdelt_chunk_core(&GDELT, true, "bench", |e| t.add_core(e));
    t
}

/// The aggregation reader alone: every rule checked, no allocation per row.
#[divan::bench]
fn parse_core(b: Bencher) {
    b.counter(BytesCount::of_slice(&*GDELT)).bench(|| {
        let mut n = 0u64;
        entente_ingest::parse_gdelt_chunk_core(divan::black_box(&GDELT), true, "bench", |e| {
            n += u64::from(divan::black_box(e).articles.unwrap_or(0));
        });
        n
    });
}

/// The full event reader (an `Event` per row), for comparison.
#[divan::bench]
fn parse_events(b: Bencher) {
    b.counter(BytesCount::of_slice(&*GDELT)).bench(|| {
        let mut n = 0u64;
        entente_ingest::parse_gdelt_chunk(
            divan::black_box(&GDELT),
            true,
            "bench",
            &mut |e: Event| {
                n += u64::from(divan::black_box(e).articles.unwrap_or(0));
            },
        );
        n
    });
}

/// Reader plus a chunk table folded into a thread's table (what each worker does).
#[divan::bench]
fn parse_and_aggregate(b: Bencher) {
    b.counter(BytesCount::of_slice(&*GDELT)).bench(|| {
        let mut small = EventTable::new(AggregateOptions::default());
        let mut big = EventTable::new(AggregateOptions::default());
        entente_ingest::parse_gdelt_chunk_core(divan::black_box(&GDELT), true, "bench", |e| {
            small.add_core(e)
        });
        big.absorb(&mut small);
        big.len()
    });
}

/// Spilling a table as a sorted run and merging it back with an in-memory run.
#[divan::bench]
fn spill_and_merge(b: Bencher) {
    let cells = table().len();
    b.counter(ItemsCount::new(2 * cells))
        .with_inputs(|| (table(), table()))
        .bench_values(|(mut a, mut m)| {
            let mut bytes = Vec::new();
            let spilled = a.spill(&mut bytes).expect("spill to memory");
            let memory = Run::Memory(m.take_run());
            let runs = vec![Run::Spilled(spilled, bytes.as_slice()), memory];
            let mut n = 0usize;
            a.merge_runs(runs, 4096, |rows| {
                n += rows.len();
                Ok(())
            })
            .expect("merge");
            n
        });
}

/// Formatting the dyad-period CSV.
#[divan::bench]
fn csv_rows(b: Bencher) {
    b.counter(ItemsCount::new(ROWS.len())).bench(|| {
        let mut text = String::new();
        entente_report::aggregate_csv_rows(divan::black_box(&ROWS), &mut text);
        text.len()
    });
}
