#!/usr/bin/env bash
# Runs OSRM's Cucumber feature files against kerb: scripts/osrm-features.sh DIR_OR_FILE...
# Builds the runner (dev profile), prints one line per scenario, then `passed N, failed M,
# skipped K` with the reasons counted, and writes a JSON lines report to $KERB_CONFORMANCE_REPORT
# (default: <target>/osrm-features.jsonl). Example:
#   scripts/osrm-features.sh ../shared/peer-tests/osrm-features/features/{car,testbot,guidance,nearest}
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 DIR_OR_FILE..." >&2
  exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
report="${KERB_CONFORMANCE_REPORT:-$target/osrm-features.jsonl}"
cargo build --quiet --manifest-path "$repo/Cargo.toml" -p kerb-conformance
"$target/debug/kerb-conformance" --report "$report" "$@"
echo "report: $report"
