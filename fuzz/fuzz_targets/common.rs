//! Shared by the file-based targets: the readers take a path, so each input is
//! written to one scratch file per process, on tmpfs when there is one.

use std::path::PathBuf;

/// A scratch path with the given extension (the extension drives detection).
pub fn scratch(ext: &str) -> PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    dir.join(format!("entente-fuzz-{}.{ext}", std::process::id()))
}

/// Writes `data` to the scratch file and returns its path.
pub fn write(ext: &str, data: &[u8]) -> PathBuf {
    let p = scratch(ext);
    std::fs::write(&p, data).expect("the scratch file can be written");
    p
}
