#!/usr/bin/env bash
# Fuzzes kerb's readers of untrusted input (targets in fuzz/fuzz_targets/) for SECONDS each
# (default 60): PBF import, graph files, OSRM URLs and POST bodies, VROOM JSON, the
# collection-day JSON, CARPLIB, Solomon and VRPLIB. Seed corpora are made at run time from
# data/, the recorded OSRM fixtures and the shared folder (never copied into the
# repository); crashes land in fuzz/artifacts/TARGET/. Installs cargo-fuzz if missing.
# Stable Rust works: RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
need_rust
command -v c++ >/dev/null || need_debian build-essential
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# The kerb binary writes the graph-file seeds; built before RUSTC_BOOTSTRAP is set, which
# would make Cargo rebuild the user's whole tree.
kerb=$(kerb_bin --quiet)
export RUSTC_BOOTSTRAP=1
# The fuzz crate is its own workspace: give it its own target folder beside the user's.
export CARGO_TARGET_DIR="$(target_dir)/fuzz"

shared=${KERB_SHARED_DATA:-../shared/data}
corpus=fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{pbf,graph_file,osrm_url,vroom_json,collection_day,carplib,solomon,vrplib}

seed() { # seed TARGET FILE...: copies the files that exist into the target's corpus
  local target=$1
  shift
  for f in "$@"; do [ -f "$f" ] && install -m 644 "$f" "$corpus/$target/"; done
  return 0
}

# PBF: the small shared extracts (a large seed only slows each run down).
for f in "$shared"/osm/*.osm.pbf; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 70000 ] && install -m 644 "$f" "$corpus/pbf/"
done
# Graph files: what `kerb build` writes for two of those extracts, with and without turns.
n=0
for f in "$corpus"/pbf/*.osm.pbf; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  [ $n -gt 2 ] && break
  "$kerb" build "$f" --profile car -o "$corpus/graph_file/$(basename "$f" .osm.pbf).kerb" --quiet || true
done
# Collection day: the committed one and a five-bin cut of it.
seed collection_day data/helsinki-day.json
python3 - "$corpus/collection_day" <<'EOF'
import json, sys
day = json.load(open("data/helsinki-day.json"))
day["bins"] = day["bins"][:5]
day["streets"] = day.get("streets", [])[:1]
json.dump(day, open(f"{sys.argv[1]}/five-bins.json", "w"))
EOF
# OSRM URLs: the coordinates and query of every request recorded from osrm-routed (the
# fixtures), and a POST body per service.
python3 - "$corpus/osrm_url" crates/kerb-http/tests/fixtures/*.json <<'EOF'
import json, sys
out = sys.argv[1]
seen = set()
for path in sys.argv[2:]:
    for case in json.load(open(path)):
        parts = case.get("path", "").split("/", 4)
        if len(parts) == 5 and parts[4] not in seen:
            seen.add(parts[4])
            open(f"{out}/{len(seen)}.txt", "w").write(parts[4])
bodies = [{"coordinates": [[24.94, 60.17], [24.95, 60.175]], "radiuses": [None, 50], "steps": True},
          {"coordinates": [[24.94, 60.17], [24.95, 60.175]], "sources": [0],
           "annotations": ["duration", "distance"], "fallback_speed": 10},
          {"coordinates": [[24.94, 60.17], [24.941, 60.171]], "timestamps": [0, 5]}]
for i, b in enumerate(bodies):
    json.dump(b, open(f"{out}/body-{i}.json", "w"))
EOF
# Arc routing and VRP instances: the smallest of each family.
seed carplib $(ls -S -r "$shared"/bench/carp/*.dat 2>/dev/null | head -n 4)
seed solomon $(ls "$shared"/bench/solomon/*.txt 2>/dev/null | head -n 3)
seed vrplib $(ls -S -r "$shared"/bench/cvrp/*.vrp 2>/dev/null | head -n 2)
# VROOM JSON: the first customers of the Solomon instances as jobs over a matrix, one with
# time windows and service times, one with coordinates only.
python3 - "$corpus/vroom_json" "$corpus"/solomon/*.txt <<'EOF'
import json, math, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    rows = [l.split() for l in open(path) if l.split() and l.split()[0].isdigit()]
    vehicles, capacity = map(int, rows[0])
    custs = [list(map(float, r)) for r in rows[1:12]]
    pts = [(c[1], c[2]) for c in custs]
    m = [[round(math.dist(a, b)) for b in pts] for a in pts]
    problem = {
        "vehicles": [{"id": v, "start_index": 0, "end_index": 0, "capacity": [capacity],
                      "time_window": [int(custs[0][4]), int(custs[0][5])]} for v in range(3)],
        "jobs": [{"id": int(c[0]), "location_index": i, "delivery": [int(c[3])],
                  "service": int(c[6]), "time_windows": [[int(c[4]), int(c[5])]]}
                 for i, c in enumerate(custs) if i > 0],
        "matrices": {"car": {"durations": m}},
    }
    name = path.rsplit("/", 1)[-1].removesuffix(".txt")
    json.dump(problem, open(f"{out}/{name}.json", "w"))
    coords = {"vehicles": [{"id": 1, "start": [24.94, 60.17], "capacity": [4]}],
              "jobs": [{"id": j, "location": [24.94 + j / 1000, 60.17], "pickup": [1]}
                       for j in range(1, 4)]}
    json.dump(coords, open(f"{out}/{name}-coordinates.json", "w"))
EOF

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pbf graph_file osrm_url vroom_json collection_day carplib solomon vrplib)
failed=()
for t in "${targets[@]}"; do
  echo "==> cargo fuzz run $t (${seconds} s, $(ls "$corpus/$t" | wc -l) seeds)"
  # -rss_limit_mb: a reader that allocates by a number in the input shows up as a crash.
  if ! (cd fuzz && cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" \
    -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1); then
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "no crash in ${targets[*]} (${seconds} s each)"
