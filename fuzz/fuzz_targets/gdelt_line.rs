//! The GDELT line parser (`parse_gdelt_chunk`) on arbitrary bytes: it must not
//! panic, and its accounting must add up and never count more rows than lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses whether this is the first chunk (which may carry a header).
    let first_chunk = data.first().is_some_and(|b| b & 1 == 1);
    let mut events = 0u64;
    let (acc, lines) =
        entente_ingest::parse_gdelt_chunk(data, first_chunk, "fuzz", &mut |_e| events += 1);
    assert!(acc.balanced(), "{acc:?}");
    assert!(
        acc.rows_read <= lines,
        "{} rows in {lines} lines",
        acc.rows_read
    );
    assert_eq!(events, acc.accepted + acc.not_dyadic);
});
