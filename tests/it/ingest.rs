//! Every bundled real file ingests, and its accounting adds up to its line count.

use std::io::Read;
use std::path::Path;

use entente_ingest::tables;
use entente_ingest::{Accounting, ReadOptions};

use crate::common::{data, shared};

/// Lines of a (possibly compressed) file, counting an unterminated last line.
fn lines(path: &Path) -> u64 {
    let mut bytes = Vec::new();
    entente_ingest::source::open(path)
        .unwrap()
        .reader
        .read_to_end(&mut bytes)
        .unwrap();
    let n = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    n + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

/// Asserts the ledger adds up, covers every data line, and has no rejects
/// other than `allowed`.
fn check(acc: &Accounting, path: &Path, header: bool, allowed: &[&str]) {
    assert!(acc.balanced(), "{acc:#?}");
    assert_eq!(
        acc.rows_read + u64::from(header),
        lines(path),
        "{}",
        acc.file
    );
    for (kind, r) in &acc.rejected {
        assert!(
            allowed.contains(kind),
            "{}: unexpected rejects {kind}: {r:?}",
            acc.file
        );
    }
}

#[test]
fn structured_tables_ingest_with_no_rejects() {
    let t = |p: &str| data(p);
    let nmc = tables::read_nmc(&t("cow/cow_nmc_v7.csv.gz")).unwrap();
    assert_eq!(nmc.rows.len(), 17_121);
    check(&nmc.accounting, &t("cow/cow_nmc_v7.csv.gz"), true, &[]);
    let p = t("atop/atop5.1_alliance_directed_dyad_year.csv.gz");
    check(&tables::read_atop(&p).unwrap().accounting, &p, true, &[]);
    let p = t("cow/cow_trade_v4_dyad_year.csv.gz");
    check(
        &tables::read_cow_trade(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    let p = t("cow/cow_trade_v4_state_year.csv.gz");
    check(
        &tables::read_national_trade(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    let p = t("cow/cow_igo_v3_dyad_year.csv.gz");
    check(
        &tables::read_igo_dyads(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    let p = t("unvotes/un_votes.csv.gz");
    check(
        &tables::read_un_votes(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    let p = t("unvotes/un_roll_calls.csv.gz");
    check(
        &tables::read_roll_calls(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    for f in [
        "economy/worldbank_gdp_current_usd.csv.gz",
        "economy/worldbank_population.csv.gz",
    ] {
        let p = t(f);
        let table = tables::read_world_bank(&p, "x", "u").unwrap();
        // Aggregates (WLD, EUU, income groups...) are counted as not usable.
        assert!(table.accounting.not_dyadic > 0);
        check(&table.accounting, &p, true, &[]);
    }
    let p = t("leaders/archigos.csv.gz");
    check(
        &tables::read_archigos(&p).unwrap().accounting,
        &p,
        true,
        &[],
    );
    let p = t("regime/cw_democracy_isard.csv.gz");
    check(&tables::read_regime(&p).unwrap().accounting, &p, true, &[]);
}

#[test]
fn gdelt_exports_ingest_with_no_rejects() {
    for f in [
        "20180326044500.export.CSV.gz",
        "20191024143000.export.CSV.gz",
        "20240515224500.export.CSV.gz",
        "gdelt1_sample_20160728.export.CSV.gz",
    ] {
        let p = data(&format!("gdelt/{f}"));
        let mut n = 0u64;
        let acc =
            entente_ingest::read_events(&p, &ReadOptions::default(), &mut |_e| n += 1).unwrap();
        check(&acc, &p, false, &[]);
        assert_eq!(n, acc.accepted + acc.not_dyadic);
        assert_eq!(acc.format, "gdelt");
    }
}

#[test]
fn plain_shared_gdelt_files_match_the_bundled_ones() {
    let Some(plain) = shared("gdelt/20240515224500.export.CSV") else {
        return;
    };
    let opts = ReadOptions::default();
    let a = entente_ingest::read_events(&plain, &opts, &mut |_e| {}).unwrap();
    let b = entente_ingest::read_events(
        &data("gdelt/20240515224500.export.CSV.gz"),
        &opts,
        &mut |_e| {},
    )
    .unwrap();
    assert_eq!(
        (a.rows_read, a.accepted, a.not_dyadic),
        (b.rows_read, b.accepted, b.not_dyadic)
    );
}

#[test]
fn icews_sample_ingests_when_present() {
    // Research-only terms: the ICEWS sample never enters the repository.
    let Some(p) = shared("icews/icews_events_2018-06-01_02_sample.tab") else {
        return;
    };
    let acc = entente_ingest::read_events(&p, &ReadOptions::default(), &mut |_e| {}).unwrap();
    assert_eq!(acc.format, "icews");
    check(&acc, &p, true, &[]);
}
