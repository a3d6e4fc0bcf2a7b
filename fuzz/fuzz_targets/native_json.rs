//! The native JSON reader (array or JSON Lines, chosen by the first line) on
//! arbitrary bytes: an error or a balanced ledger, never a panic.
#![no_main]

use entente_ingest::{EventFormat, ReadOptions, read_events};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let path = common::write("json", data);
    let opts = ReadOptions {
        format: Some(EventFormat::Json),
        keep_text: true,
        ..ReadOptions::default()
    };
    let mut events = 0u64;
    if let Ok(acc) = read_events(&path, &opts, &mut |_e| events += 1) {
        assert!(acc.balanced(), "{acc:?}");
        assert_eq!(events, acc.accepted + acc.not_dyadic);
    }
});
