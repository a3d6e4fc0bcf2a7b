//! `cargo xtask alignment`.

use std::process::ExitCode;

pub fn run(_countries: &[String], _years: Option<&str>) -> anyhow::Result<ExitCode> {
    Ok(crate::not_yet("alignment", 7))
}
