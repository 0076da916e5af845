#!/usr/bin/env bash
# Import benchmark against the peer in the same run: `kerb build` (car and truck) vs OSRM's
# `osrm-extract` (car.lua) and `osrm-contract` on the same extract, with wall time, peak
# memory and the ratio. Default extract: the largest shared one (Porto).
# Usage: scripts/bench-core.sh [extract.osm.pbf] [--no-contract]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${KERB_SHARED_DATA:-../shared/data}
PBF=${1:-$SHARED/osm/r5_porto_portugal.osm.pbf}
CONTRACT=1
[ "${2:-}" = "--no-contract" ] && CONTRACT=0
if [ ! -f "$PBF" ]; then echo "skipping: $PBF not found (set KERB_SHARED_DATA)"; exit 0; fi
WORK=bench-work/core
mkdir -p "$WORK"
cargo build --release --locked -p kerb-cli
OSRM=bench-work/osrm
if [ ! -x "$OSRM/osrm/bin/osrm-extract" ]; then
  pip download --no-deps --only-binary :all: --python-version 3.12 \
    --platform manylinux_2_28_x86_64 osrm-bindings -d "$OSRM" >/dev/null
  (cd "$OSRM" && unzip -q -o osrm_bindings-*.whl)
fi
cp "$PBF" "$WORK/extract.osm.pbf"

# run <label> <cmd...>: prints wall seconds and peak RSS (MiB), stores seconds in $SECS
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/$label.log" 2>&1
  read -r SECS KB <"$WORK/time.txt"
  printf "%-28s %8.2f s %8.0f MiB\n" "$label" "$SECS" "$(echo "$KB/1024" | bc -l)"
}

echo "extract: $PBF ($(du -h "$PBF" | cut -f1))"
run "kerb build car" "${CARGO_TARGET_DIR:-target}/release/kerb" build "$WORK/extract.osm.pbf" --profile car -o "$WORK/car.kerb" --quiet
KERB_CAR=$SECS
run "kerb build truck" "${CARGO_TARGET_DIR:-target}/release/kerb" build "$WORK/extract.osm.pbf" --profile truck -o "$WORK/truck.kerb" --quiet
grep -h built "$WORK/kerb build car.log" "$WORK/kerb build truck.log"
run "osrm-extract car.lua" "$OSRM/osrm/bin/osrm-extract" -p "$OSRM/osrm/share/profiles/car.lua" "$WORK/extract.osm.pbf"
OSRM_EXTRACT=$SECS
printf "ratio osrm-extract / kerb build (car): %.1fx\n" "$(echo "$OSRM_EXTRACT/$KERB_CAR" | bc -l)"
if [ "$CONTRACT" = 1 ]; then
  run "osrm-contract" "$OSRM/osrm/bin/osrm-contract" "$WORK/extract.osrm"
  printf "ratio osrm-extract+contract / kerb build (car): %.1fx\n" "$(echo "($OSRM_EXTRACT+$SECS)/$KERB_CAR" | bc -l)"
fi
