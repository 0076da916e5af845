#!/usr/bin/env python3
"""Generate crates/kerb-core/data/driving_side.bin, the country map the importer looks up
each way's driving side in (kerb_core::driving_side).

Input: countries-50m.json of the npm package world-atlas (Natural Earth 1:50m admin-0
countries as TopoJSON, public domain data; the package itself is ISC). 110m drops small
countries such as Singapore, 10m would make the file five times larger for nothing a way's
side needs.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/gen_driving_side.py /tmp/package/countries-50m.json \
        crates/kerb-core/data/driving_side.bin

Kept: every left-hand-traffic country or territory (LEFT below), plus the right-hand countries
within GUARD_DEG of one (their "guards"): a point in no polygon takes the side of the nearest
polygon within the lookup's coastal radius, and without the guards a Shenzhen street outside
every left polygon would take Hong Kong's side.

File format (little endian): magic b"KERBDSD1"; f64 scale_x, scale_y, translate_x,
translate_y (lon = translate_x + x * scale_x, lat likewise, TopoJSON's quantisation); u32
polygon count; per polygon u16 ISO 3166-1 numeric code (0: none), u8 side (1 left, 0 right),
u32 ring count (first ring = exterior), per ring u32 point count and the points as zig-zag
LEB128 varint deltas of the quantised x, y from the previous point (from 0, 0 at a ring's
start).
"""
import json
import struct
import sys

# Left-hand traffic by ISO 3166-1 numeric code, as Natural Earth 50m names them
# (reference: Wikipedia "Left- and right-hand traffic", list of countries and territories).
LEFT = {
    "826": "United Kingdom", "372": "Ireland", "470": "Malta", "196": "Cyprus",
    "N. Cyprus": "Northern Cyprus (no ISO code)", "831": "Guernsey", "832": "Jersey",
    "833": "Isle of Man",
    "356": "India", "586": "Pakistan", "050": "Bangladesh", "144": "Sri Lanka", "524": "Nepal",
    "064": "Bhutan", "462": "Maldives", "Siachen Glacier": "Siachen Glacier (India/Pakistan)",
    "392": "Japan", "764": "Thailand", "458": "Malaysia", "702": "Singapore", "360": "Indonesia",
    "096": "Brunei", "626": "Timor-Leste", "344": "Hong Kong", "446": "Macao",
    "036": "Australia (and Ashmore and Cartier Is.)", "Indian Ocean Ter.":
    "Australian Indian Ocean Territories (Christmas I., Cocos Is.)", "334":
    "Heard I. and McDonald Is.", "574": "Norfolk Island", "554": "New Zealand",
    "598": "Papua New Guinea", "090": "Solomon Is.", "242": "Fiji", "776": "Tonga",
    "882": "Samoa", "296": "Kiribati", "520": "Nauru", "184": "Cook Is.", "570": "Niue",
    "612": "Pitcairn Is.",
    "710": "South Africa", "516": "Namibia", "072": "Botswana", "716": "Zimbabwe",
    "894": "Zambia", "508": "Mozambique", "454": "Malawi", "834": "Tanzania", "404": "Kenya",
    "800": "Uganda", "426": "Lesotho", "748": "eSwatini", "480": "Mauritius",
    "690": "Seychelles", "654": "Saint Helena", "086": "Br. Indian Ocean Ter.",
    "328": "Guyana", "740": "Suriname", "238": "Falkland Is.", "388": "Jamaica",
    "780": "Trinidad and Tobago", "044": "Bahamas", "052": "Barbados",
    "028": "Antigua and Barbuda", "212": "Dominica", "308": "Grenada",
    "659": "St. Kitts and Nevis", "662": "Saint Lucia", "670": "St. Vincent and the Grenadines",
    "060": "Bermuda", "136": "Cayman Is.", "092": "British Virgin Is.",
    "850": "U.S. Virgin Is.", "660": "Anguilla", "500": "Montserrat",
    "796": "Turks and Caicos Is.",
}

GUARD_DEG = 0.5


def key(geometry):
    return str(geometry.get("id")) if geometry.get("id") else geometry["properties"]["name"]


def rings_of(topo, geometry):
    arcs = topo["arcs"]

    def arc_points(index):
        pts, x, y = [], 0, 0
        for dx, dy in arcs[index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            pts.append((x, y))
        return pts if index >= 0 else pts[::-1]

    def ring(arc_list):
        out = []
        for a in arc_list:
            pts = arc_points(a)
            out.extend(pts if not out else pts[1:])
        return out

    if geometry["type"] == "Polygon":
        return [[ring(r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r) for r in poly] for poly in geometry["arcs"]]
    return []


def bbox(polygon, transform):
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    xs = [tx + x * sx for x, _ in polygon[0]]
    ys = [ty + y * sy for _, y in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def near(a, b, margin):
    return not (a[2] + margin < b[0] or b[2] + margin < a[0] or a[3] + margin < b[1]
                or b[3] + margin < a[1])


def varint(n, out):
    n = (n << 1) ^ (n >> 63)  # zig-zag
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def main(src, dst):
    topo = json.load(open(src))
    transform = topo["transform"]
    polygons = []  # (iso, side, polygon)
    for g in topo["objects"]["countries"]["geometries"]:
        k = key(g)
        iso = int(g["id"]) if g.get("id") else 0
        for poly in rings_of(topo, g):
            polygons.append((iso, 1 if k in LEFT else 0, poly, g["properties"]["name"]))
    found = {key(g) for g in topo["objects"]["countries"]["geometries"]}
    missing = set(LEFT) - found
    if missing:
        sys.exit(f"left-hand countries not in the input: {sorted(missing)}")
    left_boxes = [bbox(p, transform) for _, side, p, _ in polygons if side == 1]
    kept = [
        (iso, side, p, name) for iso, side, p, name in polygons
        if side == 1 or any(near(bbox(p, transform), b, GUARD_DEG) for b in left_boxes)
    ]
    out = bytearray(b"KERBDSD1")
    out += struct.pack("<4d", *transform["scale"], *transform["translate"])
    out += struct.pack("<I", len(kept))
    points = 0
    for iso, side, poly, _ in kept:
        out += struct.pack("<HBI", iso, side, len(poly))
        for ring in poly:
            out += struct.pack("<I", len(ring))
            px, py = 0, 0
            for x, y in ring:
                varint(x - px, out)
                varint(y - py, out)
                px, py = x, y
            points += len(ring)
    open(dst, "wb").write(out)
    guards = sorted({name for _, side, _, name in kept if side == 0})
    print(f"{len(kept)} polygons ({sum(s for _, s, _, _ in kept)} left), {points} points, "
          f"{len(out)} bytes; right-hand guards: {', '.join(guards)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
