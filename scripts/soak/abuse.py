"""Helpers of scripts/soak.sh (stdlib only).

  abuse.py points URL N OUT          N snapped points that all reach each other (a /table
                                     row and column without null), as a Lua table for wrk
                                     (OUT) and as JSON (OUT.json)
  abuse.py replay URL SECONDS OUT    replays the abusive requests of issue #20 in a loop for
                                     SECONDS, one JSON line per request to OUT
  abuse.py probe URL SECONDS PTS OUT one /route every 50 ms for SECONDS between the points
                                     in the JSON file PTS; latencies to OUT
  abuse.py summary DIR               the soak's numbers from the files in DIR (Markdown)
"""
import http.client
import json
import random
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlparse

BBOX = (-8.70, 41.10, -8.55, 41.20)  # central Porto, inside the extract's bbox


def conn(url, timeout=60):
    u = urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def request(url, method, path, body=None, headers=None, timeout=60):
    c = conn(url, timeout)
    try:
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        return r.status, data
    finally:
        c.close()


def points(url, n, out):
    rng = random.Random(1)
    found = []
    while len(found) < 3 * n:
        lon = rng.uniform(BBOX[0], BBOX[2])
        lat = rng.uniform(BBOX[1], BBOX[3])
        s, b = request(url, "GET", f"/nearest/v1/car/{lon:.6f},{lat:.6f}")
        if s == 200:
            loc = json.loads(b)["waypoints"][0]["location"]
            found.append(loc)
    coords = ";".join(f"{x:.6f},{y:.6f}" for x, y in found)
    s, b = request(url, "GET", f"/table/v1/car/{coords}")
    assert s == 200, b[:300]
    d = json.loads(b)["durations"]
    good = [i for i in range(len(found))
            if all(d[i][j] is not None and d[j][i] is not None for j in range(len(found)))]
    keep = [found[i] for i in good[:n]]
    assert len(keep) >= n // 2, f"only {len(keep)} mutually reachable points"
    with open(out, "w") as f:
        f.write("return {\n")
        for x, y in keep:
            f.write(f"  {{{x:.6f}, {y:.6f}}},\n")
        f.write("}\n")
    json.dump(keep, open(out + ".json", "w"))
    print(f"{len(keep)} points")


def raw(url, data, timeout=30):
    """Sends raw bytes, returns the status line's code (0 when the server closed early)."""
    u = urlparse(url)
    s = socket.create_connection((u.hostname, u.port), timeout=timeout)
    try:
        s.sendall(data)
        buf = b""
        while b"\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        parts = buf.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    except (ConnectionError, socket.timeout):
        return 0
    finally:
        s.close()


def abusive_cases():
    """(name, function(url) -> status) of the reproductions listed in issue #20."""
    c = [-8.61, 41.15]
    plan = lambda body, q="": lambda url: request(url, "POST", "/plan" + q, json.dumps(body).encode())[0]
    vroom = {"vehicles": [{"id": 1, "start": c, "profile": "car"}], "jobs": [{"id": 1, "location": c}]}
    count = {"vehicles": [{"id": 1, "start": c, "profile": "car", "count": 10_000_000}],
             "jobs": [{"id": 1, "location": c}]}
    many = {"vehicles": [{"id": 1, "start": c, "profile": "car"}],
            "jobs": [{"id": i, "location": c} for i in range(250_000)]}
    big_body = b'{"coordinates": [' + b"[-8.61, 41.15]," * 1_100_000 + b"[-8.61, 41.15]]}"

    def disconnect(url):
        # A long plan whose client leaves after 200 ms: it must be cancelled.
        u = urlparse(url)
        body = json.dumps({"vehicles": [{"id": 1, "start": c, "profile": "car"}],
                           "jobs": [{"id": i, "location": [c[0] + (i % 20) * 1e-3, c[1] + (i // 20) * 1e-3]}
                                    for i in range(200)]}).encode()
        s = socket.create_connection((u.hostname, u.port))
        s.sendall(b"POST /plan?iterations=1000000&time_limit_s=600 HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        time.sleep(0.2)
        s.close()
        return -1

    def slowloris(url):
        u = urlparse(url)
        s = socket.create_connection((u.hostname, u.port), timeout=30)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        time.sleep(2)
        s.close()
        return -1

    long_url = "/route/v1/car/" + ";".join(["-8.6100000000,41.1500000000"] * 3000)
    return [
        ("threads=100000", plan(vroom, "?threads=100000&iterations=50")),
        ("count=1e7", plan(count)),
        ("250k jobs at one point", plan(many)),
        ("time_limit_s=1e308", plan(vroom, "?time_limit_s=1e308")),
        ("time_limit_s=nan", plan(vroom, "?time_limit_s=nan")),
        ("16 MiB table body", lambda url: request(url, "POST", "/table/v1/car", big_body)[0]),
        ("long URL", lambda url: request(url, "GET", long_url)[0]),
        ("70 KiB header", lambda url: request(url, "GET", "/health", headers={"X-Big": "x" * 70_000})[0]),
        ("bad Content-Length", lambda url: raw(url, b"POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n")),
        ("polyline with |", lambda url: request(url, "GET", "/route/v1/car/polyline(a|b`c)")[0]),
        ("continue_straight=9e20", lambda url: request(url, "GET", "/route/v1/car/-8.61,41.15;-8.62,41.16?continue_straight=99999999999999999999999")[0]),
        ("snapping=inf", lambda url: request(url, "GET", "/route/v1/car/-8.61,41.15;-8.62,41.16?snapping=inf")[0]),
        ("scale_factor=1e308", lambda url: request(url, "GET", "/table/v1/car/-8.61,41.15;-8.62,41.16?scale_factor=1e308")[0]),
        ("client disconnect mid-plan", disconnect),
        ("slow headers", slowloris),
    ]


def replay(url, seconds, out):
    end = time.time() + float(seconds)
    cases = abusive_cases()
    with open(out, "w") as f:
        rounds = 0
        while time.time() < end:
            rounds += 1
            for name, run in cases:
                if time.time() >= end:
                    break
                t = time.time()
                try:
                    status = run(url)
                except Exception as e:  # a dead server shows here
                    status = f"error: {e}"
                f.write(json.dumps({"case": name, "status": status, "s": round(time.time() - t, 3)}) + "\n")
                f.flush()
    print(f"abuse: {rounds} rounds")


def probe(url, seconds, points_json, out):
    pts = json.load(open(points_json))
    end = time.time() + float(seconds)
    lat, errors = [], 0
    c = conn(url, 10)
    while time.time() < end:
        a, b = random.sample(pts, 2)
        t = time.perf_counter()
        try:
            c.request("GET", f"/route/v1/car/{a[0]},{a[1]};{b[0]},{b[1]}?overview=false")
            r = c.getresponse()
            r.read()
            ok = r.status == 200
        except Exception:
            ok = False
            c.close()
            c = conn(url, 10)
        lat.append(time.perf_counter() - t)
        errors += not ok
        time.sleep(0.05)
    json.dump({"latencies_s": lat, "errors": errors}, open(out, "w"))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


def summary(d):
    import glob
    import os
    print("| traffic | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in sorted(glob.glob(os.path.join(d, "wrk-*.json"))):
        w = json.load(open(path))
        print(f"| {w['name']} | {w['requests']} | {w['rps']:.1f} | {w['p50_ms']:.2f} | {w['p99_ms']:.2f} "
              f"| {w['non2xx']} | {w['socket_errors']} |")
    p = json.load(open(os.path.join(d, "probe.json")))
    lat = [x * 1000 for x in p["latencies_s"]]
    print(f"\nroutes during the abuse (one every 50 ms): {len(lat)} requests, p50 {pct(lat, 50):.1f} ms, "
          f"p99 {pct(lat, 99):.1f} ms, max {max(lat):.1f} ms, errors {p['errors']}")
    rows = [json.loads(l) for l in open(os.path.join(d, "abuse.jsonl"))]
    by = {}
    for r in rows:
        by.setdefault(r["case"], set()).add(str(r["status"]))
    print(f"abusive requests replayed: {len(rows)}; answers by case: "
          + "; ".join(f"{k} -> {','.join(sorted(v))}" for k, v in by.items()))
    rss = [int(l.split()[1]) for l in open(os.path.join(d, "rss.txt")) if l.strip()]
    n = len(rss)
    warm = rss[min(n - 1, 60):min(n, 120)] or rss
    last = rss[-60:]
    a, b = statistics.mean(warm), statistics.mean(last)
    print(f"RSS: {n} samples, after warm-up (60-120 s) {a / 1024:.1f} MiB, last minute {b / 1024:.1f} MiB "
          f"({(b - a) / a * 100:+.1f} %), peak {max(rss) / 1024:.1f} MiB")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"points": lambda: points(args[0], int(args[1]), args[2]),
     "replay": lambda: replay(*args),
     "probe": lambda: probe(*args),
     "summary": lambda: summary(args[0])}[cmd]()
