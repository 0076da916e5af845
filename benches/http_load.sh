#!/usr/bin/env bash
# HTTP load benchmark: kerb serve vs osrm-routed on the same extract, same random route requests,
# loopback only, bounded in time. Prints req/s, latency percentiles, errors and server RSS over
# time for both, and the ratio kerb/OSRM.
#
#   benches/http_load.sh                       # 30 s per server, 32 connections
#   DURATION=300 benches/http_load.sh          # the 5-minute memory-flatness run
#   PBF=../shared/data/osm/ors_heidelberg.osm.pbf CONNECTIONS=64 benches/http_load.sh
#
# Needs: cargo, python3, pip, unzip, curl, wrk (apt-get install wrk; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared=${KERB_SHARED_DATA:-../shared/data}
pbf=${PBF:-$shared/osm/r5_porto_portugal.osm.pbf}
duration=${DURATION:-30}
connections=${CONNECTIONS:-32}
threads=${WRK_THREADS:-2}
npairs=${PAIRS:-2000}
kport=${KERB_PORT:-5101}
oport=${OSRM_PORT:-5102}
work="$repo/bench-work/http"
osrm="$repo/bench-work/osrm"
[ -f "$pbf" ] || { echo "skip: $pbf not found (set KERB_SHARED_DATA or PBF)"; exit 0; }
mkdir -p "$work" "$osrm"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

echo "== building kerb (release)"
cargo build --release -q -p kerb-cli
kerb="${CARGO_TARGET_DIR:-$repo/target}/release/kerb"
name=$(basename "$pbf" .osm.pbf)
"$kerb" build "$pbf" --profile car -o "$work/$name-car.kerb" --quiet

echo "== preparing osrm-routed (osrm-bindings wheel, car.lua)"
if [ ! -x "$osrm/osrm/bin/osrm-routed" ]; then
  (cd "$osrm" && pip download -q --no-deps --only-binary :all: --python-version 3.12 \
    --platform manylinux_2_28_x86_64 osrm-bindings -d . && unzip -q -o osrm_bindings-*.whl)
fi
mkdir -p "$work/osrm-$name"
cp "$pbf" "$work/osrm-$name/$name.osm.pbf"
"$osrm/osrm/bin/osrm-extract" -p "$osrm/osrm/share/profiles/car.lua" "$work/osrm-$name/$name.osm.pbf" >"$work/osrm-extract.log" 2>&1
"$osrm/osrm/bin/osrm-contract" "$work/osrm-$name/$name.osrm" >"$work/osrm-contract.log" 2>&1

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "server did not start: $1"; exit 1; }

"$kerb" serve --graph "$work/$name-car.kerb" --bind "127.0.0.1:$kport" 2>"$work/kerb-serve.log" &
kpid=$!; pids+=("$kpid")
"$osrm/osrm/bin/osrm-routed" --ip 127.0.0.1 --port "$oport" "$work/osrm-$name/$name.osrm" >"$work/osrm-routed.log" 2>&1 &
opid=$!; pids+=("$opid")
wait_up "http://127.0.0.1:$kport/ready"

echo "== generating $npairs random route requests both engines can answer"
python3 - "$kport" "$oport" "$npairs" "$work/requests.lua" <<'PY'
import json, random, sys, urllib.request, urllib.error
kport, oport, n, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)
# Random pairs in an 6.6 x 6.6 km box around the road nearest to Porto's centre; pairs that
# either engine cannot route are skipped so that errors in the run mean failures.
rng = random.Random(42)
probe = get(kport, "/nearest/v1/car/-8.61,41.15?number=1")
cx, cy = probe["waypoints"][0]["location"] if probe.get("code") == "Ok" else (-8.61, 41.15)
paths, tries = [], 0
while len(paths) < n and tries < n * 20:
    tries += 1
    a = (cx + rng.uniform(-0.04, 0.04), cy + rng.uniform(-0.03, 0.03))
    b = (cx + rng.uniform(-0.04, 0.04), cy + rng.uniform(-0.03, 0.03))
    path = f"/route/v1/car/{a[0]:.6f},{a[1]:.6f};{b[0]:.6f},{b[1]:.6f}"
    if get(kport, path + "?overview=false").get("code") == "Ok" and get(oport, path + "?overview=false").get("code") == "Ok":
        paths.append(path)
rng.shuffle(paths)
with open(out, "w") as f:
    f.write("local paths = {\n")
    for p in paths:
        f.write(f'  "{p}",\n')
    f.write("}\n")
    f.write("""
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
""")
print(f"{len(paths)} requests after {tries} tries", file=sys.stderr)
PY

rss_watch() { # pid outfile
  while kill -0 "$1" 2>/dev/null; do
    echo "$(date +%s) $(ps -o rss= -p "$1" | tr -d ' ')" >>"$2"; sleep 1
  done
}

run() { # label port pid
  local label=$1 port=$2 pid=$3
  : >"$work/rss-$label.txt"
  wrk -t1 -c4 -d3s -s "$work/requests.lua" "http://127.0.0.1:$port" >/dev/null  # warm-up
  rss_watch "$pid" "$work/rss-$label.txt" & local w=$!
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency --timeout 10s -s "$work/requests.lua" \
    "http://127.0.0.1:$port" >"$work/wrk-$label.txt"
  kill "$w" 2>/dev/null || true
  local rps p50 p90 p99 errs sock
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-$label.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk-$label.txt")
  p90=$(awk '$1=="90%" {print $2}' "$work/wrk-$label.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk-$label.txt")
  errs=$(awk '/Non-2xx/ {print $NF}' "$work/wrk-$label.txt"); errs=${errs:-0}
  sock=$(awk '/Socket errors/ {print $0}' "$work/wrk-$label.txt"); sock=${sock:-"Socket errors: none"}
  local rss
  rss=$(awk 'NR==1 {f=$2} {if ($2>m) m=$2; l=$2} END {printf "first %.1f MB, max %.1f MB, last %.1f MB", f/1024, m/1024, l/1024}' "$work/rss-$label.txt")
  printf '%-6s %10s req/s  p50 %8s  p90 %8s  p99 %8s  non-2xx %s  %s  RSS %s\n' "$label" "$rps" "$p50" "$p90" "$p99" "$errs" "$sock" "$rss"
  eval "rps_$label=$rps"
}

echo "== wrk: $connections connections, $threads threads, ${duration}s per server, $(basename "$pbf")"
run kerb "$kport" "$kpid"
run osrm "$oport" "$opid"
python3 -c "import sys; k,o=float(sys.argv[1]),float(sys.argv[2]); print(f'ratio kerb/osrm-routed: {k/o:.2f}x (target >= 1.5x)')" "$rps_kerb" "$rps_osrm"
echo "RSS samples per second: $work/rss-kerb.txt, $work/rss-osrm.txt; wrk output: $work/wrk-*.txt"
