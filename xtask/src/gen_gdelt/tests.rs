use entente_ingest::{Accounting, EventSink, ReadOptions, RejectReason};
use entente_model::Event;

use super::*;

fn bytes(rows: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    write_rows(rows, seed, &mut out).unwrap();
    out
}

#[test]
fn same_seed_same_bytes_and_any_pool_size() {
    let rows = BLOCK + 1234;
    let a = bytes(rows, 7);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| bytes(rows, 7));
    assert_eq!(a, one);
    assert_ne!(a, bytes(rows, 8));
    assert_eq!(a.iter().filter(|&&b| b == b'\n').count() as u64, rows);
}

#[derive(Default)]
struct Count {
    events: u64,
    no_country: u64,
    rejects: Vec<String>,
}

impl EventSink for Count {
    fn event(&mut self, e: Event) {
        self.events += 1;
        if e.source.country.is_none() || e.target.country.is_none() {
            self.no_country += 1;
        }
    }
    fn reject(&mut self, line: u64, _raw: &[u8], reason: &RejectReason) {
        self.rejects.push(format!("line {line}: {reason}"));
    }
}

#[test]
fn every_row_ingests_with_zero_rejects() {
    let rows = 20_000;
    let data = bytes(rows, 42);
    let dir = std::env::temp_dir().join(format!("entente-gen-gdelt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gen.export.CSV");
    std::fs::write(&path, &data).unwrap();
    // The sequential reader, with every validation rule.
    let mut sink = Count::default();
    let acc: Accounting =
        entente_ingest::read_events(&path, &ReadOptions::default(), &mut sink).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(sink.rejects, Vec::<String>::new());
    assert_eq!(acc.rows_read, rows);
    assert_eq!(acc.rejected_total(), 0);
    assert_eq!(acc.accepted + acc.not_dyadic, rows);
    assert_eq!(sink.events, rows);
    // About 20% of the rows lack an actor country, and rows are about 400 bytes.
    let share = sink.no_country as f64 / rows as f64;
    assert!((0.15..0.30).contains(&share), "{share}");
    let per_row = data.len() as f64 / rows as f64;
    assert!((330.0..470.0).contains(&per_row), "{per_row}");
    // The chunk parser agrees.
    let mut chunk = Count::default();
    let (acc2, lines) = entente_ingest::parse_gdelt_chunk(&data, true, "gen", &mut chunk);
    assert_eq!(lines, rows);
    assert_eq!(acc2.rejected_total(), 0);
    assert_eq!(acc2.accepted, acc.accepted);
}

#[test]
fn civil_inverts_days_since_epoch() {
    for days in [FIRST_DAY, LAST_DAY, 0, 11_016, 19_783] {
        let (y, m, d) = civil(days);
        let date = entente_model::Date::new(y as i32, m as u32, d as u32).unwrap();
        assert_eq!(date.days_since_epoch(), days);
    }
    assert_eq!(civil(FIRST_DAY), (2015, 2, 18));
    assert_eq!(civil(LAST_DAY), (2024, 12, 31));
}

/// Tones are written like GDELT's (and Python's `%.15g`): 15 significant digits.
#[test]
fn tone_has_fifteen_significant_digits() {
    for (x, want) in [
        (-3.921568627450980_4, "-3.92156862745098"),
        (-2.226312831325032, "-2.22631283132503"),
        (12.5, "12.5"),
        (-30.0, "-30"),
        (0.000_123_456_789_012_345_67, "0.000123456789012346"),
        (9.999_999_999_999_999, "10"),
        (0.0, "0"),
    ] {
        assert_eq!(super::sig15(x), want, "{x}");
    }
}
