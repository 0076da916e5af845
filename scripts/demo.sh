#!/usr/bin/env bash
# The main job on the bundled data: build a truck graph from data/helsinki.osm.pbf and route
# between two Helsinki points, then plan the sample collection day. Installs Rust (and a C
# linker) if missing; honours CARGO_TARGET_DIR and Cargo configs. Outputs land in out/.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$(dirname "$0")/.."
need_rust
mkdir -p out
KERB=$(kerb_bin --release)

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
