#!/usr/bin/env bash
# Runs every test of kerb on a fresh machine: installs what is missing, then runs each
# stage in scripts/test.d/ in name order. A stage failing fails the whole run.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# A fresh build every time on CI: incremental caches only cost disk there.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
need_rust
shared=${KERB_SHARED_DATA:-../shared/data}
if [ ! -d "$shared" ]; then
  echo "note: $shared is absent: tests on the shared extracts and benchmark instances will be skipped" >&2
fi
target=$(target_dir)
start=$(date +%s)
for stage in scripts/test.d/*.sh; do
  echo "==> ${stage}"
  s=$(date +%s)
  bash "$stage"
  echo "<== ${stage} ok ($(( $(date +%s) - s )) s; target $(du -sh "$target" 2>/dev/null | cut -f1), $(df -h --output=avail . | tail -1 | tr -d ' ') free)"
done
echo "all tests passed in $(( $(date +%s) - start )) s"
