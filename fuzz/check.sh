#!/usr/bin/env bash
# Checks that the fuzz targets build, on stable Rust, without cargo-fuzz.
#
# `cargo check` type-checks the five targets against the current library
# code (libfuzzer-sys still compiles libFuzzer's C++ sources in its build
# script, so a C++ compiler is needed). With `--full`, it builds them as
# cargo-fuzz does (sanitizer and coverage instrumentation), which needs
# `cargo install cargo-fuzz` and takes a few minutes from a cold cache.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" == "--full" ]]; then
    RUSTC_BOOTSTRAP=1 cargo fuzz build -O
else
    cargo check --locked --bins --target-dir target/check
fi
