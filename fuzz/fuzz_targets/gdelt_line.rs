//! The GDELT line parsers (`parse_gdelt_chunk` and the aggregation reader
//! `parse_gdelt_chunk_core`) on arbitrary bytes: they must not panic, their
//! accounting must add up and never count more rows than lines, and the two
//! must keep and reject the same rows with the same core fields.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses whether this is the first chunk (which may carry a header).
    let first_chunk = data.first().is_some_and(|b| b & 1 == 1);
    let mut events = Vec::new();
    let (acc, lines) = entente_ingest::parse_gdelt_chunk(data, first_chunk, "fuzz", &mut |e: entente_model::Event| {
        events.push(e.core())
    });
    assert!(acc.balanced(), "{acc:?}");
    assert!(
        acc.rows_read <= lines,
        "{} rows in {lines} lines",
        acc.rows_read
    );
    assert_eq!(events.len() as u64, acc.accepted + acc.not_dyadic);
    let mut cores = Vec::new();
    let (acc_core, lines_core) =
        entente_ingest::parse_gdelt_chunk_core(data, first_chunk, "fuzz", |c| cores.push(*c));
    assert_eq!(acc, acc_core);
    assert_eq!(lines, lines_core);
    assert_eq!(events, cores);
});
