"""``kerb.plan``: vehicle routing with disposal trips, VROOM-style dicts in and out."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Union

from . import _kerb
from ._graph import Graph, _approach, _radius
from .exceptions import InvalidInputError, PlanInputError


def plan(
    problem: Union[Dict[str, Any], str],
    graph: Optional[Graph] = None,
    *,
    approach: str = "unrestricted",
    radius_m: Optional[float] = None,
    iterations: Optional[int] = None,
    time_limit_s: Optional[float] = None,
    threads: Optional[int] = None,
    seed: Optional[int] = None,
) -> Dict[str, Any]:
    """Plan routes for a fleet: VROOM input (a dict or JSON text) -> VROOM output dict.

    ``problem`` has ``vehicles`` and ``jobs`` as in VROOM, plus kerb's ``facilities`` (disposal
    sites; vehicles may set ``disposal_required_at_end``). Locations are either
    ``location_index`` into ``matrices`` given in the problem, or ``[lon, lat]`` coordinates,
    which are routed on ``graph`` (snapped with ``approach``/``radius_m``). The solver runs in
    Rust with the GIL released; it is deterministic for a given ``seed``, ``threads`` and
    ``iterations``. Options left ``None`` take the defaults every front end shares (kerb-api's:
    20,000 iterations per thread unless ``time_limit_s`` is given, one thread, seed 1), so
    ``kerb plan`` and ``POST /plan`` give the same plan for the same options. Raises :class:`~kerb.PlanInputError` for malformed problems,
    :class:`~kerb.PlanError` when infeasible, :class:`~kerb.NoRouteError` when the roads do
    not connect two locations.
    """
    if isinstance(problem, str):
        text = problem
    else:
        try:
            text = json.dumps(problem, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise PlanInputError(f"problem is not JSON-serialisable: {e}") from None
    if graph is not None and not isinstance(graph, Graph):
        raise InvalidInputError(f"graph must be a kerb.Graph, got {type(graph).__name__}")
    if iterations is not None and int(iterations) < 1:
        raise InvalidInputError(f"iterations must be >= 1, got {iterations!r}")
    out = _kerb.plan(
        text,
        graph._g if graph is not None else None,
        _approach(approach),
        _radius(radius_m),
        None if iterations is None else int(iterations),
        None if time_limit_s is None else float(time_limit_s),
        None if threads is None else int(threads),
        None if seed is None else int(seed),
    )
    return json.loads(out)
