//! `cargo xtask browser-check`: opens the HTML brief in headless Chromium,
//! checks that its charts render with no console error, and saves a
//! screenshot to docs/brief.png. Skips, saying so, where Chromium is absent.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

fn headless(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

pub fn run() -> anyhow::Result<ExitCode> {
    let root = xtask::root();
    let page = root.join("target/report/index.html");
    if !page.exists() {
        bail!(
            "`{}` does not exist: run `cargo xtask report` first",
            page.display()
        );
    }
    let Some(bin) = chromium() else {
        eprintln!(
            "browser-check: skipped, Chromium is not installed (Debian: apt-get install chromium)"
        );
        return Ok(ExitCode::SUCCESS);
    };
    let profile = std::env::temp_dir().join(format!("entente-chromium-{}", std::process::id()));
    let url = format!("file://{}", page.canonicalize()?.display());
    let dom = headless(&bin, &profile)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .context("running Chromium")?;
    let html = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    let svgs = html.matches("<svg").count();
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    let shot = root.join("docs/brief.png");
    let status = headless(&bin, &profile)
        .arg("--window-size=1100,1800")
        .arg("--hide-scrollbars")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .context("taking the screenshot")?;
    let _ = std::fs::remove_dir_all(&profile);
    println!(
        "browser-check: {svgs} SVG charts in the rendered page, {} console errors",
        console_errors.len()
    );
    for e in &console_errors {
        println!("  {e}");
    }
    if !status.status.success() || !shot.exists() {
        bail!(
            "Chromium could not take the screenshot: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
    println!("browser-check: screenshot written to {}", shot.display());
    Ok(if svgs >= 3 && console_errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
