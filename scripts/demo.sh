#!/usr/bin/env bash
# The main job on the bundled data: build a truck graph from data/helsinki.osm.pbf and route
# between two Helsinki points. Installs Rust if missing. Outputs land in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null; then
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  . "$HOME/.cargo/env"
fi
mkdir -p out
cargo build --release --locked -p kerb-cli
KERB="${CARGO_TARGET_DIR:-target}/release/kerb"

echo "==> kerb build data/helsinki.osm.pbf --profile truck"
"$KERB" build data/helsinki.osm.pbf --profile truck -o out/helsinki-truck.kerb

echo "==> kerb route: Kasarmikatu -> Unioninkatu (truck, kerb-side approach)"
"$KERB" route --graph out/helsinki-truck.kerb --from 24.9480,60.1665 --to 24.9500,60.1750 \
  --approach curb --geometries geojson | tee out/route-helsinki.json

echo "==> kerb nearest"
"$KERB" nearest --graph out/helsinki-truck.kerb --at 24.9480,60.1665 --number 3

echo "==> kerb collect data/helsinki-day.json: 300 bins and 12 streets, 3 trucks, kerbside service, disposal trips"
"$KERB" collect data/helsinki-day.json --graph out/helsinki-truck.kerb --time-limit 10 \
  -o out/plan.json --geojson out/plan.geojson --html out/plan.html
echo "wrote out/plan.json, out/plan.geojson and out/plan.html (open it in a browser; works offline)"
