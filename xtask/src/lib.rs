//! The library half of `cargo xtask`: the report pipeline and helpers that
//! the integration tests also call. The binary (`main.rs`) adds the command
//! line and the smaller tasks.

pub mod progress;
pub mod report;

use std::process::ExitCode;

/// The repository root (xtask lives one folder below it).
pub fn root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}

/// A task whose implementation has not landed yet: one line on stderr naming
/// what is missing, exit status 2, and never any made-up output.
pub fn not_yet(task: &str, issue: u32) -> ExitCode {
    eprintln!("xtask {task}: not implemented yet (tracked in issue {issue})");
    ExitCode::from(2)
}
