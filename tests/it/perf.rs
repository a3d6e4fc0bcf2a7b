//! The parallel chunked GDELT path (what `cargo xtask aggregate` runs on plain
//! files, with its spilled runs) gives DuckDB's answer on real GDELT exports,
//! the same table and accounting as the sequential reader, and bitwise the
//! same table for any pool size, chunk size and memory budget.

use std::io::Read;
use std::path::{Path, PathBuf};

use entente_analytics::rank::SplitMix64;
use entente_analytics::{AggregateOptions, EventTable, Skipped};
use entente_ingest::{Accounting, ReadOptions};
use entente_model::{CameoCode, CameoSlot, CodeSystem, Countries, DyadPeriod, Event, QuadScheme};
use xtask::aggregate::{Aggregation, Options};
use xtask::progress::Progress;

use crate::common::data;

/// A scratch folder removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("entente-perf-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The path of `cargo xtask aggregate`: line-aligned chunks parsed by every
/// thread of the current pool, sorted runs spilled beyond `memory` bytes,
/// merged at the end.
fn chunked(
    path: &Path,
    chunk_bytes: u64,
    memory: usize,
    spill: &Path,
) -> (Vec<DyadPeriod>, Accounting, Skipped, usize) {
    let mut agg = Aggregation::new(Options {
        memory_bytes: memory,
        spill_dir: Some(spill.to_owned()),
        chunk_bytes,
        ..Options::default()
    });
    let acc = agg.add_file(path, &mut Progress::new("test")).unwrap();
    let skipped = agg.skipped();
    let runs = agg.spill_stats().runs;
    (agg.rows().unwrap(), acc, skipped, runs)
}

fn gunzip(gz: &Path, out: &Path) {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    std::fs::write(out, text).unwrap();
}

/// The chunked aggregate of three real GDELT exports equals DuckDB's
/// (scripts/oracles/gdelt_aggregate.py, the fixture `oracles.rs` also uses) on
/// every dyad of two states, and its ledger equals the sequential reader's.
#[test]
fn chunked_gdelt_aggregate_equals_duckdb() {
    let dir = Scratch::new("real");
    for stem in ["20240515224500", "20191024143000", "20180326044500"] {
        let plain = dir.0.join(format!("{stem}.export.CSV"));
        gunzip(&data(&format!("gdelt/{stem}.export.CSV.gz")), &plain);
        let size = std::fs::metadata(&plain).unwrap().len();
        // Seven chunks, and a budget of about 20 cells, so runs are spilled.
        let (rows, acc, _, spilled) = chunked(&plain, size / 7, 20 * 144, &dir.0);
        assert!(spilled > 0, "{stem}: no run was spilled");
        let mut seq = EventTable::new(AggregateOptions::default());
        let seq_acc =
            entente_ingest::read_events(&plain, &ReadOptions::default(), &mut |e: Event| {
                seq.add(&e)
            })
            .unwrap();
        assert_eq!(
            (
                acc.rows_read,
                acc.accepted,
                acc.not_dyadic,
                acc.rejected_total()
            ),
            (
                seq_acc.rows_read,
                seq_acc.accepted,
                seq_acc.not_dyadic,
                seq_acc.rejected_total()
            ),
            "{stem}"
        );
        assert!(acc.balanced());
        assert_eq!(rows, seq.rows(), "{stem}");

        crate::oracles::assert_matches_duckdb(stem, rows);
    }
}

/// A draw in [0, n) (a modulo: a tiny bias is fine for test data).
fn below(rng: &mut SplitMix64, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// `rows` GDELT 2.0 rows (61 columns) with real CAMEO country and event codes,
/// skewed country frequencies, empty actors and tones with many digits.
fn generate(rows: usize) -> Vec<u8> {
    let reg = Countries::global();
    let cameo: Vec<String> = reg
        .all()
        .iter()
        .filter(|c| c.end.is_none())
        .filter_map(|c| c.code(CodeSystem::Cameo, None).map(str::to_owned))
        .filter(|code| matches!(reg.cameo_slot(code.as_bytes()), CameoSlot::State(_)))
        .collect();
    let codes: Vec<CameoCode> = CameoCode::all().filter(|c| c.as_str().len() >= 3).collect();
    let mut rng = SplitMix64::new(20_240_516);
    let mut out = Vec::new();
    for i in 0..rows {
        // Skewed: the square of a uniform index favours the first countries.
        let country = |rng: &mut SplitMix64| {
            let u = below(rng, cameo.len() * cameo.len());
            match below(rng, 10) {
                0 => String::new(),
                _ => cameo[(u as f64).sqrt() as usize % cameo.len()].clone(),
            }
        };
        let (a1, a2) = (country(&mut rng), country(&mut rng));
        let code = codes[below(&mut rng, codes.len())];
        let s = code.as_str();
        let (y, m, d) = (
            2015 + below(&mut rng, 10),
            1 + below(&mut rng, 12),
            1 + below(&mut rng, 28),
        );
        let tone = (rng.next_u64() % 2_000_000_000) as f64 / 1e8 - 10.0 + 1.0 / 3.0;
        let mut f = vec![String::new(); 61];
        f[0] = (500_000_000 + i).to_string();
        f[1] = format!("{y}{m:02}{d:02}");
        f[2] = format!("{y}{m:02}");
        f[3] = y.to_string();
        f[4] = format!("{y}.{:04}", below(&mut rng, 10_000));
        f[5] = format!("{a1}GOV");
        f[7] = a1;
        f[12] = "GOV".into();
        f[15] = a2.clone();
        f[17] = a2;
        f[25] = "1".into();
        f[26] = s.into();
        f[27] = s[..3].into();
        f[28] = s[..2].into();
        f[29] = code.quad(QuadScheme::Gdelt).number().to_string();
        f[30] = format!("{:.1}", code.goldstein());
        f[31] = (1 + below(&mut rng, 20)).to_string();
        f[32] = (1 + below(&mut rng, 5)).to_string();
        f[33] = (1 + below(&mut rng, 12)).to_string();
        f[34] = if below(&mut rng, 50) == 0 {
            String::new()
        } else {
            tone.to_string()
        };
        for g in [35, 43, 51] {
            f[g] = "0".into();
        }
        f[59] = format!("{y}{m:02}{d:02}120000");
        f[60] = format!("https://example.org/{i}");
        out.extend_from_slice(f.join("\t").as_bytes());
        out.push(b'\n');
    }
    out
}

fn bits(rows: &[DyadPeriod]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{} {} {} {} {:x} {:?} {:?} {:x} {} {}",
                r.period,
                r.source,
                r.target,
                r.events,
                r.goldstein_sum.to_bits(),
                r.quad,
                r.roots,
                r.tone_sum.to_bits(),
                r.tone_n,
                r.articles
            )
        })
        .collect()
}

/// The chunked path gives bitwise the same table under pools of 1, 2, 3 and
/// 8 threads, for any number of chunks and any memory budget (no spill, some
/// spills, a spill after every chunk), with zero rejects on valid rows.
#[test]
fn chunked_aggregate_is_bitwise_identical_for_any_pool() {
    let dir = Scratch::new("pools");
    let path = dir.0.join("gen.export.CSV");
    std::fs::write(&path, generate(20_000)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let (reference, acc, skipped, _) = chunked(&path, size, usize::MAX, &dir.0);
    assert_eq!(acc.rows_read, 20_000);
    assert_eq!(acc.rejected_total(), 0, "{:?}", acc.rejected);
    assert!(reference.len() > 1_000);
    let mut seq = EventTable::new(AggregateOptions::default());
    entente_ingest::read_events(&path, &ReadOptions::default(), &mut |e: Event| seq.add(&e))
        .unwrap();
    assert_eq!(reference, seq.rows());
    let want = bits(&reference);
    for threads in [1, 2, 3, 8] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for chunks in [3, 16, 61] {
            // No spill, a spill now and then, a spill after every chunk.
            for memory in [usize::MAX, 2_000 * 144 * threads, 1] {
                let (rows, a, s, _) =
                    pool.install(|| chunked(&path, size / chunks, memory, &dir.0));
                let what = format!("{threads} threads, {chunks} chunks, {memory} bytes");
                assert_eq!(bits(&rows), want, "{what}");
                assert_eq!(s, skipped, "{what}");
                assert_eq!(a, acc_with_file(&acc, &a), "{what}");
            }
        }
    }
}

/// Reading a chunk in blocks of any size (even one byte, so every line grows
/// the buffer) gives the same table and the same ledger, line numbers included.
#[test]
fn block_reads_of_any_size_give_the_same_table() {
    let dir = Scratch::new("blocks");
    let path = dir.0.join("gen.export.CSV");
    let mut text = generate(3_000);
    // A bad row and a blank line, so line numbers are checked too.
    text.extend_from_slice(b"not a gdelt row\n\n");
    text.extend_from_slice(&generate(500));
    std::fs::write(&path, &text).unwrap();
    let size = text.len() as u64;
    let run = |block: usize| {
        let mut agg = Aggregation::new(Options {
            chunk_bytes: size / 3,
            block_bytes: block,
            spill_dir: Some(dir.0.clone()),
            ..Options::default()
        });
        let acc = agg.add_file(&path, &mut Progress::new("test")).unwrap();
        (agg.rows().unwrap(), acc)
    };
    let (want, acc) = run(1 << 20);
    assert_eq!(acc.rejected_total(), 1);
    assert_eq!(acc.rejected["wrong_column_count"].first_lines, [3_001]);
    for block in [1, 64, 1_000, 4_096] {
        let (rows, a) = run(block);
        assert_eq!(rows, want, "blocks of {block} bytes");
        assert_eq!(a, acc, "blocks of {block} bytes");
    }
}

/// `acc` with the file name of `other` (ledgers of one file compare whole).
fn acc_with_file(acc: &Accounting, other: &Accounting) -> Accounting {
    Accounting {
        file: other.file.clone(),
        ..acc.clone()
    }
}
