#!/usr/bin/env python3
"""Checks a collection-plan HTML map as rendered by headless Chromium (scripts/test.d/40-browser.sh).

Inputs: the HTML file, the DOM Chromium dumped after running the page's script, the PNG
screenshot, Chromium's net log, the plan JSON and the collection-day JSON. Checks:

* offline: the HTML references no http(s)/ws URL, and the net log shows no request made by
  the page (Chromium's own background requests, initiator "not an origin", are listed apart:
  the host-resolver rules make them fail);
* script: the page's script ran to the end (`data-map-ready`) and reported no error;
* DOM: one route group per truck used, one bin marker per bin of the day (coloured ones =
  bins served), one marker per depot and disposal site, direction arrows, a scale bar;
* pixels: the screenshot is not blank, the road-network grey covers a real area, every route
  colour covers a real area, and at the screen position of at least 85 % of the bins the pixel
  has the bin's colour.

Standard library only (the PNG decoder handles 8-bit RGB/RGBA, non-interlaced, as Chromium
writes). Exits non-zero with one line per failed check.
"""
import argparse
import json
import re
import struct
import sys
import zlib
from html.parser import HTMLParser


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    i, idat, hdr = 8, [], None
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        kind, body = data[i + 4 : i + 8], data[i + 8 : i + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        i += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    pos = 0
    for _ in range(h):
        f = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        elif f != 0:
            raise ValueError(f"bad PNG filter {f}")
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def hex_rgb(s):
    s = s.lstrip("#")
    if len(s) == 3:
        s = "".join(c * 2 for c in s)
    return tuple(int(s[i : i + 2], 16) for i in (0, 2, 4))


def near(a, b, tol):
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol and abs(a[2] - b[2]) <= tol


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = {}
        self.routes, self.bins, self.depots, self.disposal = [], [], 0, 0
        self.arrows = 0
        self.scale = None
        self.in_errors = False
        self.errors = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.root = a
        elif tag == "g" and "route" in cls:
            self.routes.append(a)
        elif tag == "circle" and "bin" in cls:
            self.bins.append(a)
        elif tag == "g" and "depot" in cls:
            self.depots += 1
        elif tag == "g" and "disposal" in cls:
            self.disposal += 1
        elif tag == "path" and "arrows" in cls and a.get("d"):
            self.arrows += a["d"].count("M")
        elif tag == "g" and a.get("id") == "scale":
            self.scale = a
        elif tag == "pre" and a.get("id") == "errors":
            self.in_errors = True

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_errors = False

    def handle_data(self, data):
        if self.in_errors:
            self.errors += data


def page_requests(netlog_path):
    """(requests made by the page, count of Chromium's own background requests)."""
    log = json.load(open(netlog_path))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    page, own = [], 0
    for e in log["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        if p.get("initiator") == "not an origin" and "file://" not in p.get("network_isolation_key", ""):
            own += 1
        else:
            page.append(p.get("url", "?"))
    return page, own


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", required=True)
    ap.add_argument("--dom", required=True)
    ap.add_argument("--png", required=True)
    ap.add_argument("--netlog", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--day", required=True)
    ap.add_argument("--min-route-pixels", type=int, default=400)
    ap.add_argument("--min-road-pixels", type=int, default=2000)
    args = ap.parse_args()
    fails = []

    def check(ok, msg):
        print(("ok   " if ok else "FAIL ") + msg)
        if not ok:
            fails.append(msg)

    html = open(args.html, encoding="utf-8").read()
    urls = re.findall(r"(?:https?|wss?)://[^\s\"'<>)]+", html)
    check(not urls, f"HTML references no network URL ({urls[:3]})")
    check(not re.search(r"\bsrc\s*=|@import|url\(", html), "HTML loads no external resource (src=, @import, url())")
    page, own = page_requests(args.netlog)
    check(not page, f"the page made no network request ({page[:3]}); Chromium's own background requests, blocked: {own}")

    plan = json.load(open(args.plan))
    day = json.load(open(args.day))
    dom = Dom()
    dom.feed(open(args.dom, encoding="utf-8").read())
    check(dom.root.get("data-map-ready") == "1", "page script ran to the end (data-map-ready)")
    check("data-map-errors" not in dom.root and not dom.errors.strip(), f"page script reported no error ({dom.errors.strip()[:200]!r})")
    used = plan["totals"]["trucks_used"]
    check(used >= 1 and len(dom.routes) == used == len(plan["routes"]), f"{len(dom.routes)} route groups for {used} trucks used")
    check(0 < len(dom.bins) == len(day["bins"]), f"{len(dom.bins)} bin markers for {len(day['bins'])} bins")
    coloured = sum(1 for b in dom.bins if b.get("data-route") is not None)
    check(coloured == plan["totals"]["bins_served"], f"{coloured} bins in truck colours for {plan['totals']['bins_served']} served")
    check(dom.depots == len(day["depots"]) and dom.disposal == len(day["disposal_sites"]),
          f"{dom.depots} depot and {dom.disposal} disposal-site markers")
    check(dom.arrows >= 10 * used, f"{dom.arrows} direction arrows")
    check(dom.scale is not None and float(dom.scale.get("data-metres", 0)) > 0, "scale bar present")

    w, h, bpp, rows = read_png(args.png)
    check((w, h) == (1400, 1000), f"screenshot is {w}x{h}")
    counts = {}
    for row in rows:
        for x in range(0, len(row), bpp):
            px = row[x : x + 3]
            counts[px] = counts.get(px, 0) + 1
    background = max(counts.values())
    check(len(counts) > 50 and background < 0.95 * w * h,
          f"not blank: {len(counts)} distinct colours, commonest covers {100 * background / (w * h):.1f} %")

    def area(rgb, tol):
        return sum(n for px, n in counts.items() if near(tuple(px), rgb, tol))

    road = area(hex_rgb("#b4b4b4"), 6)
    check(road >= args.min_road_pixels, f"road-network grey: {road} pixels")
    for r in dom.routes:
        n = area(hex_rgb(r["data-colour"]), 8)
        check(n >= args.min_route_pixels, f"route {r.get('data-truck')} colour {r['data-colour']}: {n} pixels")
    depot = area((0x11, 0x11, 0x11), 6)
    check(depot >= 50 * len(day["depots"]), f"depot marker: {depot} pixels")

    # Chromium lays the page out in a shorter viewport for --dump-dom than for --screenshot
    # (window decorations), so the map's transform is recomputed for the screenshot size from
    # the SVG viewBox and the layout the page reported; checked first against the DOM's own.
    vb = [float(v) for v in re.search(r'<svg[^>]*viewBox="([^"]+)"', html).group(1).split()]
    left, top, bw, bh, vw, vh = (float(v) for v in dom.root.get("data-map-box", "0,0,0,0,0,0").split(","))

    def ctm(box_w, box_h):
        s = min(box_w / vb[2], box_h / vb[3])
        return s, left + (box_w - vb[2] * s) / 2 - vb[0] * s, top + (box_h - vb[3] * s) / 2 - vb[1] * s

    measured = [float(v) for v in dom.root.get("data-map-ctm", "0,0,0,0").split(",")]
    s0, e0, f0 = ctm(bw, bh)
    check(s0 > 0 and abs(s0 - measured[0]) < 1e-3 and abs(e0 - measured[2]) < 0.5 and abs(f0 - measured[3]) < 0.5,
          f"map transform follows from viewBox and layout (scale {s0:.4f} vs {measured[0]:.4f})")
    a, e, f = ctm(w - (vw - bw), h - (vh - bh))
    d = a
    hits = 0
    for b in dom.bins:
        x = int(round(float(b["cx"]) * a + e))
        y = int(round(float(b["cy"]) * d + f))
        if 0 <= x < w and 0 <= y < h:
            px = tuple(rows[y][x * bpp : x * bpp + 3])
            hits += near(px, hex_rgb(b["fill"]), 40)
    check(dom.bins and hits >= 0.85 * len(dom.bins), f"{hits} of {len(dom.bins)} bins show their colour at their position")

    if fails:
        print(f"{len(fails)} check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
