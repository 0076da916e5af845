"""Schemathesis hooks of scripts/schemathesis/run.sh.

A schema says which requests are well formed; it cannot say which coordinates lie near a
road, which points the roads connect, or that a per-coordinate option must have as many
elements as there are coordinates. So schemathesis's `positive_data_acceptance` (a schema-valid
request must succeed) is replaced by `osrm_positive_data_acceptance`: a schema-valid request
must succeed, or be refused for one of those data-dependent reasons only, each with its own
OSRM code. Every other rejection of a schema-valid request still fails the run.
"""
import json

import schemathesis

# Codes whose cause lies in the data, not in the request's form (OSRM's own meanings):
# NoSegment (no road near a coordinate), NoRoute/NoTable/NoMatch (the roads do not connect
# the points), InvalidOptions (options inconsistent with the coordinates: counts, indices).
DATA_DEPENDENT = {"NoSegment", "NoRoute", "NoTable", "NoMatch", "InvalidOptions"}
# InvalidValue messages of cross-field rules that JSON Schema cannot state.
CROSS_FIELD = (
    "makes durations overflow",  # scale_factor times the durations of these coordinates
    "waypoints must",
    "First and last coordinates must be specified as waypoints",
    "Timestamps need to be monotonically increasing",
    "duplicate",
)


# Plan bodies (VROOM input, collection days and weeks) are described, not specified: their
# rules are mostly cross-field (a location_index inside the matrix, unique ids, a vehicle
# able to reach a job), which JSON Schema cannot state. Their answers are still checked by
# every other check (no 5xx, documented statuses and bodies, invalid input rejected).
DESCRIBED_ONLY = ("/plan", "/plan/week")


@schemathesis.check
def osrm_positive_data_acceptance(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if case.operation.path in DESCRIBED_ONLY:
        return None
    status = response.status_code
    if status < 400 or status >= 500 or status == 404:
        return None  # 5xx: not_a_server_error's job; 404: an unknown resource
    try:
        body = json.loads(response.content)
        code, message = body.get("code", ""), body.get("message", "")
    except (ValueError, AttributeError):
        code, message = "", response.text[:200]
    if status == 400 and code in DATA_DEPENDENT:
        return None
    if status == 400 and code == "InvalidValue" and any(m in message for m in CROSS_FIELD):
        return None
    if status == 422 and code == "InvalidPlan":
        return None  # an infeasible plan: capacities, time windows, skills
    raise AssertionError(f"schema-valid request rejected: {status} {code}: {message}")
