//! Paths shared by the integration tests.

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A file under the bundled `data/`.
pub fn data(rel: &str) -> PathBuf {
    root().join("data").join(rel)
}

/// A file under `../shared/data`, or `None` (with a message) when the shared
/// folder is absent, as on a fresh clone outside the workplace.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared/data").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} is absent (../shared is not beside this clone)",
            p.display()
        );
        None
    }
}
