#!/usr/bin/env python3
"""Side-by-side kerb-only fleet comparison: runs one or more plan_bench binaries on Solomon
instances and prints vehicles, distance and the hierarchical gap against the BKS of bks.csv.

Usage: fleet_cmp.py BIN[,BIN...] "PLAN_BENCH ARGS" INSTANCE...
  e.g. fleet_cmp.py before/plan_bench,target/release/examples/plan_bench \
       "--iterations 20000 --threads 1 --seed 1" R104 R211 RC105
A BIN written VAR=VALUE@PATH runs PATH with that environment variable set.
"""
import csv, json, os, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(os.environ.get("KERB_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data")), "bench")
bins = sys.argv[1].split(",")
args = sys.argv[2].split()
insts = sys.argv[3:]
bks = {r["instance"]: r for r in csv.DictReader(open(os.path.join(BENCH, "bks.csv")))}
res = {}
for b in bins:
    for i in insts:
        env = dict(os.environ)
        path = b
        if "@" in b:
            kv, path = b.split("@")
            env[kv.split("=")[0]] = kv.split("=")[1]
        out = subprocess.run([path] + args + [os.path.join(BENCH, "solomon", f"{i}.txt")], capture_output=True, text=True, env=env).stdout
        r = json.loads(out.strip().splitlines()[-1])
        res[(b, i)] = r
        bv, bc = int(bks[i]["bks_vehicles"]), float(bks[i]["bks_cost"])
        print(f"{b.split('/')[-1][-22:]:24} {i:6} veh {r['vehicles']:3} (bks {bv}) cost {r['cost']:9.2f} (bks {bc:8.2f}) gap {100*(r['cost']-bc)/bc:6.2f} % viol {r['violations']} t {r['time_s']}", flush=True)
for b in bins:
    gaps = []; fleet = 0
    for i in insts:
        r = res[(b, i)]; bv, bc = int(bks[i]["bks_vehicles"]), float(bks[i]["bks_cost"])
        gaps.append(100*(r['cost']-bc)/bc); fleet += r['vehicles'] <= bv
    print(f"SUMMARY {b.split('/')[-1][-22:]}: bks fleet {fleet}/{len(insts)}, mean gap {sum(gaps)/len(gaps):.2f} %, total veh {sum(res[(b,i)]['vehicles'] for i in insts)}")
