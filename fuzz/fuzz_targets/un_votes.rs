//! The UN General Assembly votes reader (`tables::read_un_votes`) on arbitrary
//! bytes: an error or a balanced ledger, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::write("csv", data);
    if let Ok(t) = entente_ingest::tables::read_un_votes(&path) {
        assert!(t.accounting.balanced(), "{:?}", t.accounting);
        assert_eq!(t.rows.len() as u64, t.accounting.accepted);
    }
});
