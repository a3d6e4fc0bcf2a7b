//! `cargo xtask centrality`.

use std::path::Path;
use std::process::ExitCode;

pub fn run(_edges: &Path) -> anyhow::Result<ExitCode> {
    Ok(crate::not_yet("centrality", 6))
}
