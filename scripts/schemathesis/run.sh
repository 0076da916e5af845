#!/usr/bin/env bash
# Property-based API test of `kerb serve` against its own OpenAPI document: schemathesis
# (PyPI) generates valid and invalid requests for every operation in /openapi.json and checks
# every answer (no 5xx, status codes and bodies as documented, valid requests accepted,
# invalid ones rejected with 4xx JSON). Serves the Helsinki car and truck graphs built from
# data/ on a free loopback port; exits non-zero on any failed check. hooks.py replaces the
# "schema-valid request accepted" check by one that also allows OSRM's data-dependent refusals
# (NoSegment, NoRoute, InvalidOptions, ...), which no schema can rule out; schemathesis.toml
# counts 501 NotImplemented as a refusal, not a server failure.
#
#   scripts/schemathesis/run.sh [MAX_EXAMPLES_PER_OPERATION]   (default 100: about 2,400
#   cases; 170 s at a load of 25 on 2 cores with a warm build, 608 s at a load of 30)
#
# Environment: KERB_SCHEMATHESIS_VENV (default venv-schemathesis in the target folder)
# holds the schemathesis install; KERB_SCHEMATHESIS_SEED fixes the generator (default 1).
set -euo pipefail
. "$(dirname "$0")/../common.sh"
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
examples=${1:-100}
need_rust
kerb=$(kerb_bin --quiet)
venv=${KERB_SCHEMATHESIS_VENV:-$(target_dir)/venv-schemathesis}
if [ ! -x "$venv/bin/schemathesis" ]; then
  command -v python3 >/dev/null || need_debian python3
  python3 -m venv "$venv" 2>/dev/null || { need_debian python3-venv && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q "schemathesis>=4,<5"
fi
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
"$kerb" build data/helsinki.osm.pbf --profile car -o "$work/car.kerb" --quiet
"$kerb" build data/helsinki.osm.pbf --profile truck -o "$work/truck.kerb" --quiet
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Short plans keep the run fast; the cases are about the interface, not the solver.
"$kerb" serve --graph "$work/car.kerb,$work/truck.kerb" --bind "127.0.0.1:$port" \
  --plan-time-limit-s 1 --request-timeout-ms 10000 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
start=$(date +%s)
status=0
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=hooks \
  "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" \
  run "http://127.0.0.1:$port/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$examples" --seed "${KERB_SCHEMATHESIS_SEED:-1}" \
  --workers 1 --request-timeout 30 --generation-database none --no-color \
  --suppress-health-check too_slow,filter_too_much || status=$?
echo "schemathesis: $((  $(date +%s) - start )) s, exit $status"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "kerb serve died during the run:" >&2
  tail -n 20 "$work/serve.log" >&2
  exit 1
fi
exit $status
