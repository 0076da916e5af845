#!/usr/bin/env python3
"""VROOM's documented examples side by side with pyvroom (VROOM's own Python binding).

    python3 scripts/pyvroom_compare.py fetch [VROOM_REPO]  # docs/example_*.json -> tests/data/vroom/
    python3 scripts/pyvroom_compare.py record   # pyvroom's answers -> *.pyvroom.json

`fetch` downloads VROOM's docs examples from GitHub (or reads them from a clone or bare
git directory of VROOM-Project/vroom given as argument) and gives every location a
`location_index` into a `matrices.car` table (great-circle distance, 50 km/h), so that both
solvers read the very same input without a routing server. `record` solves each input with
pyvroom (installed into a venv by this script, `pip install pyvroom`) and writes its cost,
routes and unassigned tasks next to the input; `cargo test -p kerb-plan --test pyvroom`
compares kerb's plans with them (same feasibility, cost within 1 %).
"""
import json
import math
import os
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "kerb-plan", "tests", "data", "vroom")
EXAMPLES = ["example_1", "example_2", "example_3"]
URL = "https://raw.githubusercontent.com/VROOM-Project/vroom/master/docs/{}.json"
SPEED_MPS = 50 / 3.6


def haversine(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def with_matrix(inp):
    """Adds `location_index` to every coordinate and a `matrices.car` over them."""
    if "matrices" in inp or "matrix" in inp:
        return inp
    coords = []

    def index(c):
        if c not in coords:
            coords.append(c)
        return coords.index(c)

    for v in inp.get("vehicles", []):
        for key in ("start", "end"):
            if key in v:
                v[key + "_index"] = index(v[key])
    for j in inp.get("jobs", []):
        j["location_index"] = index(j["location"])
    for s in inp.get("shipments", []):
        for end in ("pickup", "delivery"):
            s[end]["location_index"] = index(s[end]["location"])
    dist = [[round(haversine(a, b)) for b in coords] for a in coords]
    dur = [[round(d / SPEED_MPS) for d in row] for row in dist]
    inp["matrices"] = {"car": {"durations": dur, "distances": dist}}
    return inp


def read_example(name, repo):
    if repo is None:
        with urllib.request.urlopen(URL.format(name), timeout=60) as r:
            return json.load(r)
    if os.path.exists(os.path.join(repo, "docs", name + ".json")):
        with open(os.path.join(repo, "docs", name + ".json")) as f:
            return json.load(f)
    text = subprocess.check_output(["git", "--git-dir", repo, "show", f"HEAD:docs/{name}.json"])
    return json.loads(text)


def fetch(repo=None):
    os.makedirs(DATA, exist_ok=True)
    for name in EXAMPLES:
        inp = read_example(name, repo)
        with open(os.path.join(DATA, name + ".json"), "w") as f:
            json.dump(with_matrix(inp), f, indent=1)
            f.write("\n")
        print("wrote", name)


def venv_python():
    venv = os.environ.get("PYVROOM_VENV", os.path.join(ROOT, "target", "pyvroom-venv"))
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "pyvroom"])
    return py


SOLVE = r"""
import json, sys, vroom
try:
    problem = vroom.Input.from_json(sys.argv[1])
    sol = problem.solve(exploration_level=5, nb_threads=2)
    print(json.dumps(sol.to_dict()))
except vroom._vroom.VroomInputException as e:
    print(json.dumps({"code": 2, "error": str(e)}))
"""


def record():
    py = venv_python()
    for name in EXAMPLES:
        path = os.path.join(DATA, name + ".json")
        out = json.loads(subprocess.check_output([py, "-c", SOLVE, path]))
        if out.get("code", 0) != 0:
            keep = {"code": out["code"], "error": out["error"]}
            with open(os.path.join(DATA, name + ".pyvroom.json"), "w") as f:
                json.dump(keep, f, indent=1)
                f.write("\n")
            print(name, keep)
            continue
        keep = {
            "summary": {k: out["summary"][k] for k in ("cost", "routes", "unassigned")},
            "unassigned": [{"id": u["id"], "type": u["type"]} for u in out["unassigned"]],
            "routes": [
                {
                    "vehicle": r["vehicle"],
                    "cost": r["cost"],
                    "steps": [[s["type"], s.get("id")] for s in r["steps"]],
                }
                for r in out["routes"]
            ],
        }
        with open(os.path.join(DATA, name + ".pyvroom.json"), "w") as f:
            json.dump(keep, f, indent=1)
            f.write("\n")
        print(name, keep["summary"])


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "record"
    if cmd == "fetch":
        fetch(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        record()
