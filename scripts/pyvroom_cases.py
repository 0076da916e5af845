#!/usr/bin/env python3
"""VROOM's input validation and its less common input keys, side by side with pyvroom.

    python3 scripts/pyvroom_cases.py          # writes crates/kerb-plan/tests/data/vroom/cases.json

Each case is a small VROOM input (a 6-location matrix) that either breaks one of the input
rules VROOM enforces (duplicate ids, priority > 100, speed_factor out of range, steps naming
unknown tasks, inconsistent amount sizes, bad time windows, location indices beyond the
matrix, ...: the `InputException`s of VROOM's src/) or uses a key that changes the plan
(`setup`, `service_per_type`/`setup_per_type` with vehicle `type`, custom `costs` matrices,
`costs.per_task_hour`, break `max_load`, steps with `service_at`/`service_after`/
`service_before`). pyvroom (1.15.2, VROOM's own binding, installed into
$PYVROOM_VENV or target/pyvroom-venv) solves each; its answer (`code` 2 + `error`, or the
cost, unassigned count and routes) is stored with the input, and
`cargo test -p kerb-plan --test pyvroom` checks kerb against it: an input VROOM refuses is
refused by kerb, the others get the same unassigned count and a cost within 1 %.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyvroom_compare import DATA, venv_python  # noqa: E402

# Six locations on a line, 100 s apart per step (location 0 is the depot).
DUR = [[100 * abs(i - j) for j in range(6)] for i in range(6)]
DIST = [[1000 * abs(i - j) for j in range(6)] for i in range(6)]


def base():
    return {
        "vehicles": [
            {"id": 1, "start_index": 0, "end_index": 0, "capacity": [4]},
            {"id": 2, "start_index": 0, "end_index": 0, "capacity": [4]},
        ],
        "jobs": [
            {"id": k, "location_index": k, "pickup": [1], "service": 10} for k in range(1, 6)
        ],
        "matrices": {"car": {"durations": copy.deepcopy(DUR), "distances": copy.deepcopy(DIST)}},
    }


def case(name, edit):
    inp = base()
    edit(inp)
    return name, inp


def setv(path, value):
    """An edit that sets inp[path...] = value (path of keys and indices)."""

    def edit(inp):
        o = inp
        for k in path[:-1]:
            o = o[k]
        o[path[-1]] = value

    return edit


def both(*edits):
    def edit(inp):
        for e in edits:
            e(inp)

    return edit


def drop(path):
    def edit(inp):
        o = inp
        for k in path[:-1]:
            o = o[k]
        del o[path[-1]]

    return edit


SHIP = {"amount": [1], "pickup": {"id": 1, "location_index": 2}, "delivery": {"id": 1, "location_index": 4}}

CASES = [
    # Input errors (VROOM code 2).
    case("duplicate_job_id", setv(["jobs", 1, "id"], 1)),
    case("duplicate_pickup_id", setv(["shipments"], [SHIP, copy.deepcopy(SHIP) | {"delivery": {"id": 2, "location_index": 3}}])),
    case("duplicate_delivery_id", setv(["shipments"], [SHIP, copy.deepcopy(SHIP) | {"pickup": {"id": 2, "location_index": 3}}])),
    case("priority_101", setv(["jobs", 0, "priority"], 101)),
    case("shipment_priority_101", setv(["shipments"], [SHIP | {"priority": 101}])),
    case("speed_factor_6", setv(["vehicles", 0, "speed_factor"], 6)),
    case("speed_factor_0", setv(["vehicles", 0, "speed_factor"], 0)),
    case("steps_unknown_job", setv(["vehicles", 0, "steps"], [{"type": "job", "id": 99}])),
    case("steps_unknown_pickup", setv(["vehicles", 0, "steps"], [{"type": "pickup", "id": 99}])),
    case("steps_unknown_break", setv(["vehicles", 0, "steps"], [{"type": "break", "id": 99}])),
    case("steps_unknown_type", setv(["vehicles", 0, "steps"], [{"type": "lunch", "id": 1}])),
    case("steps_without_id", setv(["vehicles", 0, "steps"], [{"type": "job"}])),
    case("steps_job_twice", setv(["vehicles", 0, "steps"], [{"type": "job", "id": 1}, {"type": "job", "id": 1}])),
    case(
        "steps_job_in_two_vehicles",
        both(setv(["vehicles", 0, "steps"], [{"type": "job", "id": 1}]), setv(["vehicles", 1, "steps"], [{"type": "job", "id": 1}])),
    ),
    case("steps_start_not_first", setv(["vehicles", 0, "steps"], [{"type": "job", "id": 1}, {"type": "start"}])),
    case("steps_end_not_last", setv(["vehicles", 0, "steps"], [{"type": "end"}, {"type": "job", "id": 1}])),
    case("inconsistent_amount_size", setv(["jobs", 0, "pickup"], [1, 1])),
    case("inconsistent_capacity_size", setv(["vehicles", 1, "capacity"], [4, 4])),
    case("negative_pickup", setv(["jobs", 0, "pickup"], [-1])),
    case("job_time_window_reversed", setv(["jobs", 0, "time_windows"], [[500, 100]])),
    case("vehicle_time_window_reversed", setv(["vehicles", 0, "time_window"], [500, 100])),
    case("location_index_beyond_matrix", setv(["jobs", 0, "location_index"], 6)),
    case("missing_location_index", both(drop(["jobs", 0, "location_index"]), setv(["jobs", 0, "location"], [2.35, 48.85]))),
    case("matrix_row_length", setv(["matrices", "car", "durations", 2], [0, 100])),
    case("distances_without_durations", drop(["matrices", "car", "durations"])),
    case("vehicle_without_start_or_end", both(drop(["vehicles", 0, "start_index"]), drop(["vehicles", 0, "end_index"]))),
    case("no_vehicle", setv(["vehicles"], [])),
    case("duplicate_break_id", setv(["vehicles", 0, "breaks"], [{"id": 1, "service": 60}, {"id": 1, "service": 60}])),
    case("break_max_load_size", setv(["vehicles", 0, "breaks"], [{"id": 1, "service": 60, "max_load": [1, 1]}])),
    case("negative_service", setv(["jobs", 0, "service"], -5)),
    case(
        "custom_costs_with_per_hour",
        both(
            setv(["matrices", "car", "costs"], copy.deepcopy(DUR)),
            setv(["vehicles", 0, "costs"], {"per_hour": 7200}),
        ),
    ),
    case("unknown_profile", setv(["vehicles", 0, "profile"], "bike")),
    # Keys that change the plan (VROOM code 0).
    case("plain", lambda inp: None),
    case("setup", both(*[setv(["jobs", k, "setup"], 50) for k in range(5)], setv(["jobs", 4, "location_index"], 4))),
    case(
        "setup_with_task_cost",
        both(
            *[setv(["jobs", k, "setup"], 100) for k in range(5)],
            setv(["jobs", 4, "location_index"], 4),
            setv(["vehicles", 0, "costs"], {"per_task_hour": 3600}),
            setv(["vehicles", 1, "costs"], {"per_task_hour": 3600}),
        ),
    ),
    case(
        # Feasible only if setups are skipped between jobs at the same location.
        "setup_skipped_at_same_location",
        both(
            setv(["vehicles"], [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [5]}]),
            *[setv(["jobs", k, "location_index"], loc) for k, loc in enumerate([1, 1, 2, 2, 3])],
            *[setv(["jobs", k, "setup"], 100) for k in range(5)],
            *[setv(["jobs", k, "time_windows"], [[0, 600]]) for k in range(5)],
        ),
    ),
    case(
        "service_per_type",
        both(
            setv(["vehicles", 0, "type"], "small"),
            setv(["vehicles", 1, "type"], "big"),
            *[setv(["jobs", k, "service_per_type"], {"big": 300, "small": 20}) for k in range(5)],
            *[setv(["jobs", k, "time_windows"], [[0, 1000]]) for k in range(5)],
        ),
    ),
    case(
        "setup_per_type",
        both(
            setv(["vehicles", 0, "type"], "small"),
            setv(["vehicles", 1, "type"], "big"),
            *[setv(["jobs", k, "setup_per_type"], {"small": 200}) for k in range(5)],
        ),
    ),
    case("costs_matrix", setv(["matrices", "car", "costs"], [[7 * abs(i - j) + (3 if j == 5 else 0) for j in range(6)] for i in range(6)])),
    case("per_task_hour", both(setv(["vehicles", 0, "costs"], {"per_task_hour": 3600}), setv(["vehicles", 1, "costs"], {"per_task_hour": 36000}))),
    case(
        "break_max_load",
        both(
            setv(["vehicles"], [{"id": 1, "start_index": 0, "end_index": 0, "capacity": [5], "breaks": [{"id": 7, "service": 100, "time_windows": [[0, 10000]], "max_load": [1]}]}]),
        ),
    ),
    case(
        "steps_service_at",
        setv(["vehicles", 0, "steps"], [{"type": "job", "id": 3, "service_at": 900}]),
    ),
    case(
        "steps_service_before",
        setv(["vehicles", 0, "steps"], [{"type": "job", "id": 5, "service_before": 400}]),
    ),
    case(
        "steps_service_after",
        setv(["vehicles", 0, "steps"], [{"type": "job", "id": 1, "service_after": 700}]),
    ),
]

SOLVE = r"""
import json, sys, vroom
out = []
for path in sys.argv[1:]:
    try:
        problem = vroom.Input.from_json(path)
        sol = problem.solve(exploration_level=5, nb_threads=2)
        out.append(sol.to_dict())
    except vroom._vroom.VroomInputException as e:
        out.append({"code": 2, "error": str(e)})
    except Exception as e:
        out.append({"code": 1, "error": f"{type(e).__name__}: {e}"})
print(json.dumps(out))
"""


def main():
    py = venv_python()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, inp in CASES:
            path = os.path.join(tmp, name + ".json")
            with open(path, "w") as f:
                json.dump(inp, f)
            paths.append(path)
        answers = json.loads(subprocess.check_output([py, "-c", SOLVE, *paths]))
    cases = []
    for (name, inp), out in zip(CASES, answers):
        if out.get("code", 0) != 0:
            answer = {"code": out["code"], "error": out["error"]}
        else:
            answer = {
                "code": 0,
                "cost": out["summary"]["cost"],
                "unassigned": out["summary"]["unassigned"],
                "routes": [
                    {"vehicle": r["vehicle"], "cost": r["cost"], "steps": [[s["type"], s.get("id"), s.get("arrival")] for s in r["steps"]]}
                    for r in out["routes"]
                ],
            }
        print(f"{name:32} {json.dumps(answer)[:150]}")
        cases.append({"name": name, "input": inp, "pyvroom": answer})
    with open(os.path.join(DATA, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
