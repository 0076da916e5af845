"""``kerb.plan_week``: a collection week in (fill-level sensors, visit frequencies, working
days), per-day KPIs, stops and totals as pandas tables out.

The week is kerb-collect's week JSON (the one ``kerb plan-week`` and ``POST /plan/week`` read):
a collection-day template with every bin, per-bin capacity and frequency, sensor readings and
the working days. Forecasts, the choice of bins per day and the day plans all run in Rust with
the GIL released; this module assembles the JSON and builds the tables.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

from . import _kerb
from ._graph import Graph
from .exceptions import PlanInputError

__all__ = ["WeekPlan", "plan_week", "sample_week"]


def _timestamps(values: Any) -> list:
    """Unix seconds from numbers, datetimes or a pandas datetime column."""
    import pandas as pd

    s = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        if s.dt.tz is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return ((s - pd.Timestamp(0)) / pd.Timedelta(seconds=1)).tolist()
    return [float(v) for v in s]


def _readings(frame: Any) -> list:
    missing = {"bin_id", "timestamp", "fill_pct"} - set(frame.columns)
    if missing:
        raise PlanInputError(f"readings: missing columns {sorted(missing)}")
    return [
        {"bin_id": str(b), "timestamp": t, "fill_pct": float(f)}
        for b, t, f in zip(frame["bin_id"], _timestamps(frame["timestamp"]), frame["fill_pct"])
    ]


def _week_dict(week: Any) -> Dict[str, Any]:
    if isinstance(week, dict):
        return dict(week)
    if isinstance(week, (str, os.PathLike)) and not str(week).lstrip().startswith("{"):
        with open(week, encoding="utf-8") as f:
            return dict(json.load(f))
    if isinstance(week, str):
        return dict(json.loads(week))
    raise PlanInputError(
        f"week must be a dict, JSON text or a path to a week JSON file, got {type(week).__name__}"
    )


class WeekPlan:
    """A planned week: ``days`` (one row of KPIs per working day), ``stops`` (every stop of
    every day), ``totals`` (dict: ``distance_km``, ``working_h``, ``overflows``, balance and
    territory stability), ``territories`` (bin id -> truck) and ``json`` (the whole plan)."""

    def __init__(self, plan: Dict[str, Any]) -> None:
        self.json = plan
        self.totals: Dict[str, Any] = plan["totals"]
        self.policy: str = plan["policy"]

    @property
    def days(self) -> Any:
        """One row per working day: weekday and that day's KPIs."""
        import pandas as pd

        rows = [{"weekday": d["weekday"], **d["kpis"]} for d in self.json["days"]]
        return pd.DataFrame(rows).set_index("weekday")

    @property
    def stops(self) -> Any:
        """Every stop of every day: weekday, truck, kind, id, arrival and departure (s), lon, lat."""
        import pandas as pd

        rows = []
        for d in self.json["days"]:
            for r in d["routes"]:
                for s in r["stops"]:
                    lon, lat = s["location"]
                    rows.append(
                        {
                            "weekday": d["weekday"],
                            "truck": r["truck"],
                            "kind": s["type"],
                            "id": s.get("id"),
                            "arrival_s": s["arrival_s"],
                            "departure_s": s["departure_s"],
                            "lon": lon,
                            "lat": lat,
                        }
                    )
        return pd.DataFrame(rows)

    @property
    def territories(self) -> Any:
        """The truck each bin is pinned to for the week (a pandas Series by bin id)."""
        import pandas as pd

        return pd.Series(self.json["territories"], name="truck", dtype=object)

    def __repr__(self) -> str:
        t = self.totals
        return (
            f"<WeekPlan {self.policy}: {len(self.json['days'])} days, "
            f"{t['distance_km']:.1f} km, {t['working_h']:.1f} h, {t['overflows']} overflows>"
        )


def plan_week(
    graph: Graph,
    week: Any,
    policy: str = "forecast",
    readings: Any = None,
    iterations: Optional[int] = None,
    time_limit_s: Optional[float] = None,
    threads: Optional[int] = None,
    seed: Optional[int] = None,
) -> WeekPlan:
    """Plan a collection week on ``graph``.

    ``week``: a dict, JSON text or a path (kerb-collect's week format, e.g. from
    :func:`sample_week`). ``policy``: ``"forecast"`` (collect by fill forecast on the
    territories' zone days) or ``"fixed"`` (a rota). ``readings``: more sensor readings as a
    DataFrame with ``bin_id``, ``timestamp`` (Unix seconds or datetimes) and ``fill_pct``,
    appended to the week's. The solver options are kerb-api's (the time limit is the whole
    week's). Raises ``PlanInputError`` for a malformed week, policy or readings.
    """
    w = _week_dict(week)
    if readings is not None:
        w["readings"] = list(w.get("readings", [])) + _readings(readings)
    text = _kerb.plan_week(
        graph._g, json.dumps(w), policy, iterations, time_limit_s, threads, seed
    )
    return WeekPlan(json.loads(text))


def sample_week(graph: Graph, n_bins: int, trucks: int = 3, seed: int = 42) -> Dict[str, Any]:
    """A seeded sample collection week on ``graph`` (as ``kerb sample-week``), as a dict."""
    return dict(json.loads(_kerb.sample_week(graph._g, n_bins, trucks, seed)))
