#!/usr/bin/env bash
# Soak test of `kerb serve` (release build) on the largest shared extract (Porto): wrk sends
# route, table, nearest and plan traffic at once, each kind on its own connections, for
# SECONDS (default 600); the server's RSS is sampled every second; from 20 % to 80 % of the
# run the abusive requests of issue #20 are replayed in a loop (huge thread counts, fleets and
# bodies, bad numbers, long URLs and headers, clients leaving mid-plan, slow headers) while a
# probe times one /route every 50 ms. Prints a Markdown summary for BENCHMARKS.md and fails
# if the server died, a valid request failed or a /route probe failed.
#
#   scripts/soak.sh [SECONDS]
#
# Environment: SOAK_OUT (results folder, default a new temporary one), SOAK_GRAPH (a car
# graph file of the Porto extract to reuse), SOAK_KERB (a kerb binary instead of the release
# build), KERB_SHARED_DATA (the shared data folder).
#
# Loads the machine (two cores busy for the whole run): run it on purpose, not in CI.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$(dirname "$0")/.."
seconds=${1:-600}
need_rust
command -v wrk >/dev/null || need_debian wrk
command -v curl >/dev/null || need_debian curl
kerb=${SOAK_KERB:-$(kerb_bin --release --quiet)}
shared=${KERB_SHARED_DATA:-../shared/data}
pbf=$shared/osm/r5_porto_portugal.osm.pbf
[ -f "$pbf" ] || { echo "no $pbf (set KERB_SHARED_DATA)" >&2; exit 1; }
out=${SOAK_OUT:-$(mktemp -d)}
mkdir -p "$out"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  return 0
}
trap cleanup EXIT
graph=${SOAK_GRAPH:-$out/car.kerb}   # a car graph of $pbf built before, or built here
[ -f "$graph" ] || "$kerb" build "$pbf" --profile car -o "$graph" --quiet
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
"$kerb" serve --graph "$graph" --bind "127.0.0.1:$port" 2>"$out/serve.log" &
pid=$!
for _ in $(seq 300); do
  curl -sf "$url/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
python3 scripts/soak/abuse.py points "$url" 60 "$out/points.lua"
# RSS every second, until the server exits.
(while kill -0 "$pid" 2>/dev/null; do
  echo "$(date +%s) $(ps -o rss= -p "$pid" | tr -d ' ')"
  sleep 1
done) >"$out/rss.txt" 2>/dev/null &
wrks=()
for kind in route table nearest plan; do
  SOAK_KIND=$kind SOAK_POINTS=$out/points.lua SOAK_OUT=$out/wrk-$kind.json \
    wrk -t1 -c4 -d"${seconds}s" --timeout 10s --latency -s scripts/soak/mix.lua "$url" \
    >"$out/wrk-$kind.txt" 2>&1 &
  wrks+=($!)
done
abuse_start=$((seconds / 5))
abuse_len=$((seconds * 3 / 5))
sleep "$abuse_start"
python3 scripts/soak/abuse.py probe "$url" "$abuse_len" "$out/points.lua.json" "$out/probe.json" &
probe=$!
python3 scripts/soak/abuse.py replay "$url" "$abuse_len" "$out/abuse.jsonl"
wait "$probe"
for w in "${wrks[@]}"; do wait "$w"; done
alive=yes
kill -0 "$pid" 2>/dev/null || alive=no
echo "## soak: ${seconds} s on $(basename "$pbf"), results in $out; server alive at the end: $alive"
python3 scripts/soak/abuse.py summary "$out"
[ "$alive" = yes ] || { tail -n 20 "$out/serve.log" >&2; exit 1; }
python3 - "$out" <<'EOF'
import glob, json, sys
bad = [w["name"] for w in map(lambda p: json.load(open(p)), glob.glob(f"{sys.argv[1]}/wrk-*.json"))
       if w["non2xx"] or w["socket_errors"]]
probe = json.load(open(f"{sys.argv[1]}/probe.json"))
if bad or probe["errors"]:
    sys.exit(f"valid requests failed: {bad}, probe errors {probe['errors']}")
EOF
