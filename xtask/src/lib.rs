//! The library half of `cargo xtask`: the report pipeline and helpers that
//! the integration tests also call. The binary (`main.rs`) adds the command
//! line and the smaller tasks.

pub mod aggregate;
pub mod progress;
pub mod report;

/// The repository root (xtask lives one folder below it).
pub fn root() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}
