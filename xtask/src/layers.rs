//! The layering rule: nothing imports upward.
//!
//! `entente-model` depends on no workspace crate; `entente-ingest`,
//! `entente-analytics` and `entente-report` depend on `entente-model` only;
//! only `xtask` and `entente-tests` wire several crates together (and
//! `entente-tests` may use xtask's library, which holds the report pipeline). The check
//! reads `cargo metadata`, so it sees every kind of dependency (normal, dev,
//! build) exactly as cargo does.

use std::collections::BTreeSet;
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use serde_json::Value;

/// Which workspace crates a member may depend on.
fn allowed(member: &str) -> Option<&'static [&'static str]> {
    const LIBS: &[&str] = &["entente-model"];
    const ALL: &[&str] = &[
        "entente-model",
        "entente-ingest",
        "entente-analytics",
        "entente-report",
    ];
    match member {
        "entente-model" => Some(&[]),
        "entente-ingest" | "entente-analytics" | "entente-report" => Some(LIBS),
        "xtask" => Some(ALL),
        // The tests also drive the report pipeline, which lives in xtask's library.
        "entente-tests" => Some(&[
            "entente-model",
            "entente-ingest",
            "entente-analytics",
            "entente-report",
            "xtask",
        ]),
        _ => None,
    }
}

/// One broken rule, phrased for the person who has to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation(pub String);

/// Checks a `cargo metadata --format-version 1` document against the rule.
pub fn check(metadata: &Value) -> anyhow::Result<Vec<Violation>> {
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .context("cargo metadata has no `workspace_members`")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata has no `packages`")?;
    let member_names: BTreeSet<&str> = packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| members.contains(id)))
        .filter_map(|p| p["name"].as_str())
        .collect();
    if member_names.is_empty() {
        bail!("cargo metadata lists no workspace member packages");
    }

    let mut violations = Vec::new();
    for package in packages {
        let Some(name) = package["name"].as_str() else {
            continue;
        };
        if !member_names.contains(name) {
            continue;
        }
        let Some(allowed) = allowed(name) else {
            violations.push(Violation(format!(
                "workspace member `{name}` has no layering rule; add it to xtask/src/layers.rs and docs/ARCHITECTURE.md"
            )));
            continue;
        };
        let deps = package["dependencies"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        for dep in deps {
            let Some(dep_name) = dep["name"].as_str() else {
                continue;
            };
            if member_names.contains(dep_name) && !allowed.contains(&dep_name) {
                let kind = dep["kind"].as_str().unwrap_or("normal");
                violations.push(Violation(format!(
                    "`{name}` depends on `{dep_name}` ({kind} dependency), which the layering rule forbids"
                )));
            }
        }
    }
    violations.sort();
    Ok(violations)
}

/// Runs `cargo metadata` for this workspace.
pub fn metadata() -> anyhow::Result<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .args(["--manifest-path", manifest])
        .output()
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("parsing `cargo metadata` output")
}

/// `cargo xtask layers`.
pub fn run() -> anyhow::Result<ExitCode> {
    let violations = check(&metadata()?)?;
    if violations.is_empty() {
        println!("layers: ok (model <- ingest, analytics, report <- xtask, entente-tests)");
        return Ok(ExitCode::SUCCESS);
    }
    for v in &violations {
        eprintln!("layers: {}", v.0);
    }
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests;
