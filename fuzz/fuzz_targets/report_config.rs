//! The report configuration parser (`ReportConfig::parse`, TOML) on arbitrary
//! text: an error or a resolved configuration, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = entente_report::ReportConfig::parse(text);
    }
});
