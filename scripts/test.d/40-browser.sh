#!/usr/bin/env bash
# Browser: render the collection-day HTML map of data/helsinki-day.json in headless Chromium,
# offline, and check it (scripts/check_map.py): no network request by the page, script ran
# without error, one route per truck and one marker per bin in the DOM, and in the screenshot
# the road grey, every route colour and the bins at their positions. Installs Debian
# `chromium` if missing. Leaves the screenshot in out/browser/plan.png.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
cd "$(dirname "$0")/../.."
out=out/browser
mkdir -p "$out"

command -v chromium >/dev/null || need_debian chromium
chromium --version 2>/dev/null

kerb=$(kerb_bin --quiet)
"$kerb" build data/helsinki.osm.pbf --profile truck -o "$out/helsinki-truck.kerb" --quiet
# Fixed iterations and one thread: the same plan on every machine.
"$kerb" plan data/helsinki-day.json --graph "$out/helsinki-truck.kerb" --iterations 1500 \
  --threads 1 --quiet -o "$out/plan.json" --html "$out/plan.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# Host-resolver rules make every name lookup fail: nothing can be fetched even if the page
# tried, and the net log records whether it did.
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --no-first-run --no-default-browser-check --disable-sync
  "--host-resolver-rules=MAP * ~NOTFOUND" --window-size=1400,1000 --user-data-dir="$profile")
url="file://$(pwd)/$out/plan.html"
rm -f "$out/plan.png" "$out/netlog.json"
timeout 120 "${chrome[@]}" --log-net-log="$(pwd)/$out/netlog.json" \
  --screenshot="$(pwd)/$out/plan.png" "$url" >"$out/chromium.log" 2>&1
timeout 120 "${chrome[@]}" --dump-dom "$url" >"$out/dom.html" 2>>"$out/chromium.log"
[ -s "$out/plan.png" ] || { echo "no screenshot; chromium said:"; tail -20 "$out/chromium.log"; exit 1; }

python3 scripts/check_map.py --html "$out/plan.html" --dom "$out/dom.html" --png "$out/plan.png" \
  --netlog "$out/netlog.json" --plan "$out/plan.json" --day data/helsinki-day.json
