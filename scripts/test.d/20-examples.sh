#!/usr/bin/env bash
# Runs every example of the `kerb` crate (dev profile: reuses the test build) on the bundled
# data and the shared benchmark folder, and checks that the output says what it should.
set -euo pipefail
cd "$(dirname "$0")/../.."
run() {
  local name=$1
  shift
  echo "--- cargo run --example $name $*"
  cargo run --quiet --locked --example "$name" -- "$@" | tee "$tmp/$name.out"
}
expect() {
  local name=$1 pattern=$2
  if ! grep -Eq -- "$pattern" "$tmp/$name.out"; then
    echo "example $name: output does not match /$pattern/" >&2
    exit 1
  fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run route
expect route '^graph: [1-9][0-9]* nodes'
expect route '^leg 1 -> 2: [1-9][0-9]* m'
expect route '^route: [1-9][0-9]* m, [0-9.]+ min'
expect route '^polyline: .+'

run matrix data/helsinki.osm.pbf 100
expect matrix '^ +Railway Station +0\.0 '
expect matrix '^matrix 100 x 100: [1-9][0-9]* of 10000 cells reachable'
# Dijkstra and the contraction hierarchy agree to the microsecond.
expect matrix 'largest difference between the two: 0\.000000 s'

shared=${KERB_SHARED_DATA:-../shared/data}
if [ -d "$shared/bench" ]; then
  run plan_vrp C101 400
  expect plan_vrp '^C101: 100 customers'
  expect plan_vrp '^feasibility check: ok'
  expect plan_vrp '^plan: [0-9]+ vehicles, distance [0-9.]+, 0 unassigned'
  expect plan_vrp 'best known: 10 vehicles, distance 828\.94; gap [+-][0-9.]+ %'
else
  echo "skipping plan_vrp: $shared/bench is absent"
fi

run waste_collection data/helsinki-day.json 300
expect waste_collection '^sample day: 300 bins, 12 streets'
expect waste_collection '^truck-1 +[1-9][0-9]* '
expect waste_collection '^total: [1-9] trucks, 300 of 300 bins collected'
expect waste_collection '^streets: [1-9][0-9]* passes driven along 12 streets'
expect waste_collection '^timings: '
