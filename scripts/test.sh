#!/usr/bin/env bash
# Runs every test of kerb on a fresh machine: installs what is missing, then runs each
# stage in scripts/test.d/ in name order. A stage failing fails the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# A fresh build every time on CI: incremental caches only cost disk there.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
if ! command -v cargo >/dev/null; then
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  . "$HOME/.cargo/env"
fi
if [ ! -d ../shared/data ]; then
  echo "note: ../shared/data is absent: tests on the shared extracts and benchmark instances will be skipped" >&2
fi
start=$(date +%s)
for stage in scripts/test.d/*.sh; do
  echo "==> ${stage}"
  s=$(date +%s)
  bash "$stage"
  echo "<== ${stage} ok ($(( $(date +%s) - s )) s; target $(du -sh "${CARGO_TARGET_DIR:-target}" 2>/dev/null | cut -f1), $(df -h --output=avail . | tail -1 | tr -d ' ') free)"
done
echo "all tests passed in $(( $(date +%s) - start )) s"
