#!/usr/bin/env bash
# Rust: formatting, lints, unit + integration tests + doctests of the whole workspace.
set -euo pipefail
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
