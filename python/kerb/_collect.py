"""``kerb.plan_collection``: a waste-collection day in, routes and stops as GeoDataFrames out.

The day is kerb-collect's JSON format (the one ``kerb collect`` and ``POST /plan`` read). This
module only assembles that JSON from Python objects (dicts, files, DataFrames, GeoDataFrames)
and turns the Rust plan into pandas/geopandas tables; snapping, matrix, planning and geometry
all run in ``kerb_collect`` with the GIL released.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import math
import numbers
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from . import _kerb
from ._coords import as_lonlat
from ._graph import Graph, PathLike, _geopandas
from .exceptions import (
    GraphFileError,
    GraphFileNotFoundError,
    InvalidInputError,
    PlanInputError,
)

__all__ = ["CollectionPlan", "bins_from_frame", "plan_collection", "sample_day"]

# Optional per-bin columns, named as in the JSON format (and the CSV of ``kerb collect --bins``).
_BIN_NUMBERS = ("weight_kg", "volume_l", "service_s")


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "iterrows")


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, pd.NA, NaT
    except (TypeError, ValueError):
        return False


def _time(v: Any) -> Any:
    """A time of day as the JSON format takes it: seconds since midnight or ``"HH:MM[:SS]"``."""
    if isinstance(v, str):
        return v
    if isinstance(v, _dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    if isinstance(v, _dt.timedelta) or hasattr(v, "total_seconds"):
        return float(v.total_seconds())
    if isinstance(v, numbers.Real):
        return float(v)
    raise PlanInputError(
        f"time of day must be seconds since midnight, 'HH:MM' or a datetime.time, got {v!r}"
    )


def _windows(v: Any, what: str) -> List[List[Any]]:
    try:
        return [[_time(a), _time(b)] for a, b in v]
    except (TypeError, ValueError):
        raise PlanInputError(f"{what}: time windows must be a list of [start, end] pairs") from None


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (_dt.time, _dt.timedelta)):
        return _time(o)
    raise TypeError(f"{type(o).__name__} is not JSON-serialisable")


def _ids(frame: Any, prefix: str) -> List[str]:
    if "id" in frame.columns:
        ids = frame["id"]
        if ids.isna().any():
            raise PlanInputError(f"{prefix}: the id column has missing values")
        return [str(i) for i in ids]
    return [str(i) for i in frame.index]


def _original_ids(frame: Any) -> Dict[str, Any]:
    """The frame's ids (``id`` column, else index) that are not strings, by their JSON text, so
    that plan tables give back the caller's integer ids."""
    ids = frame["id"] if "id" in frame.columns else frame.index
    out: Dict[str, Any] = {}
    for i in ids:
        if not isinstance(i, str):
            out[str(i)] = i.item() if isinstance(i, np.generic) else i
    return out


def bins_from_frame(frame: Any) -> List[Dict[str, Any]]:
    """Bins of the JSON format from a (Geo)DataFrame.

    Position: point ``geometry`` (any CRS) or ``lon``/``lat`` (``x``/``y``) columns. Id: the
    ``id`` column, else the index. Optional columns: ``weight_kg``, ``volume_l``,
    ``service_s``, ``side`` (``auto``/``either``), and either ``time_windows`` (list of
    ``[start, end]``) or ``tw_start``/``tw_end``; missing values take the format's defaults.
    """
    lons, lats = as_lonlat(frame)
    ids = _ids(frame, "bins")
    cols = set(frame.columns)
    out: List[Dict[str, Any]] = []
    for k, (i, lon, lat) in enumerate(zip(ids, lons.tolist(), lats.tolist())):
        b: Dict[str, Any] = {"id": i, "lon": lon, "lat": lat}
        for c in _BIN_NUMBERS:
            if c in cols:
                v = frame[c].iloc[k]
                if not _missing(v):
                    b[c] = v
        if "side" in cols and not _missing(frame["side"].iloc[k]):
            b["side"] = str(frame["side"].iloc[k])
        tw = _windows_of_row(frame, k, f"bin {i!r}")
        if tw is not None:
            b["time_windows"] = tw
        out.append(b)
    return out


def _windows_of_row(frame: Any, k: int, what: str) -> Optional[List[List[Any]]]:
    """``time_windows`` (list of ``[start, end]``) or ``tw_start``/``tw_end`` of row ``k``."""
    cols = set(frame.columns)
    if "time_windows" in cols:
        tw = frame["time_windows"].iloc[k]
        if not (np.isscalar(tw) and _missing(tw)) and tw is not None:
            return _windows(tw, what)
    elif "tw_start" in cols or "tw_end" in cols:
        a = frame["tw_start"].iloc[k] if "tw_start" in cols else None
        z = frame["tw_end"].iloc[k] if "tw_end" in cols else None
        if _missing(a) != _missing(z):
            raise PlanInputError(f"{what}: tw_start and tw_end go together")
        if not _missing(a):
            return [[_time(a), _time(z)]]
    return None


def streets_from_frame(frame: Any) -> List[Dict[str, Any]]:
    """Street stretches of the JSON format from a GeoDataFrame of LineStrings (any CRS).

    Each row is a stretch the truck drives from end to end, serving it along its length. Id:
    the ``id`` column, else the index. Optional columns: ``weight_kg``, ``volume_l``,
    ``service_s``, ``sides`` (``auto``, ``both``: one pass per kerb, ``once``), and
    ``time_windows`` or ``tw_start``/``tw_end`` as for bins.
    """
    gpd = _geopandas()
    if not isinstance(frame, gpd.GeoDataFrame):
        raise PlanInputError("streets must be a GeoDataFrame of LineStrings or a list of dicts")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    ids = _ids(frame, "streets")
    cols = set(frame.columns)
    out: List[Dict[str, Any]] = []
    for k, (i, geom) in enumerate(zip(ids, frame.geometry)):
        if geom is None or geom.geom_type != "LineString":
            kind = "nothing" if geom is None else geom.geom_type
            raise PlanInputError(f"street {i!r}: geometry must be a LineString, got {kind}")
        st: Dict[str, Any] = {"id": i, "coordinates": [[c[0], c[1]] for c in geom.coords]}
        for c in _BIN_NUMBERS:
            if c in cols and not _missing(frame[c].iloc[k]):
                st[c] = float(frame[c].iloc[k])
        if "sides" in cols and not _missing(frame["sides"].iloc[k]):
            st["sides"] = str(frame["sides"].iloc[k])
        tw = _windows_of_row(frame, k, f"street {i!r}")
        if tw is not None:
            st["time_windows"] = tw
        out.append(st)
    return out


def _sites(value: Any, what: str) -> List[Dict[str, Any]]:
    """Depots or disposal sites: a dict, a list of dicts, or a (Geo)DataFrame with ids."""
    if isinstance(value, Mapping):
        return [dict(value)]
    if _is_frame(value):
        lons, lats = as_lonlat(value)
        ids = _ids(value, what)
        rows = []
        for k, (i, lon, lat) in enumerate(zip(ids, lons.tolist(), lats.tolist())):
            row = {"id": i, "lon": lon, "lat": lat}
            for c in value.columns:
                if c in ("id", "geometry", "lon", "lat", "x", "y"):
                    continue
                v = value[c].iloc[k]
                if isinstance(v, (list, tuple, np.ndarray)) or not _missing(v):
                    row[str(c)] = v
            if "opening_hours" in row:
                row["opening_hours"] = _windows(row["opening_hours"], f"{what} {i!r}")
            rows.append(row)
        return rows
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if all(isinstance(v, Mapping) for v in value):
            return [dict(v) for v in value]
    raise PlanInputError(f"{what} must be a dict, a list of dicts or a DataFrame")


def _read_day(day: Any) -> Dict[str, Any]:
    if isinstance(day, Mapping):
        return json.loads(json.dumps(day, default=_json_default))  # a deep copy
    if isinstance(day, str) and day.lstrip().startswith("{"):
        text = day
    elif isinstance(day, (str, os.PathLike)):
        path = os.fspath(day)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            raise GraphFileNotFoundError(
                errno.ENOENT, "collection day: no such file or directory", path
            ) from None
        except OSError as e:
            raise GraphFileError(f"collection day {path}: {e}") from None
    else:
        raise PlanInputError(
            "day must be a dict, JSON text, a path to a JSON file, or a DataFrame of bins; "
            f"got {type(day).__name__}"
        )
    try:
        out = json.loads(text)
    except json.JSONDecodeError as e:
        raise PlanInputError(f"collection day JSON: {e}") from None
    if not isinstance(out, dict):
        raise PlanInputError("collection day JSON must be an object")
    return out


class CollectionPlan:
    """The plan for a collection day, as returned by :func:`plan_collection`.

    Tables (built on first access): :attr:`routes` (one row per truck used), :attr:`stops`
    (one row per stop, in order), :attr:`unassigned` (bins left out and why). Plain data:
    :attr:`totals`, :attr:`timings`, :attr:`name`, :attr:`day` (the validated input).
    Exports: :meth:`to_json` / :meth:`to_dict` (the ``kerb collect -o`` format),
    :meth:`to_geojson` and :meth:`to_html` (the same map as ``kerb collect --html``).
    """

    def __init__(
        self,
        inner: "_kerb.CollectionPlan",
        graph: Graph,
        ids: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._p = inner
        self._graph = graph
        # The JSON format's ids are strings; these are the caller's own (e.g. integer) ids.
        self._ids: Dict[str, Any] = dict(ids or {})
        self._dict: Dict[str, Any] = json.loads(inner.to_json())
        self._cache: Dict[str, Any] = {}

    # ---- plain data ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The day's name."""
        return self._dict["name"]

    @property
    def totals(self) -> Dict[str, Any]:
        """``trucks_used``, ``bins_served``, ``bins_unassigned``, ``distance_m``, ``driving_s``,
        ``disposal_trips`` and ``collected`` (``[kg, litres]``)."""
        return dict(self._dict["totals"])

    @property
    def timings(self) -> Dict[str, float]:
        """Wall-clock seconds per stage: ``snap_s``, ``matrix_s``, ``plan_s``, ``geometry_s``."""
        return dict(self._dict["timings"])

    @property
    def day(self) -> Dict[str, Any]:
        """The collection day that was planned, validated, with defaults filled in."""
        if "day" not in self._cache:
            self._cache["day"] = json.loads(self._p.day_json())
        return self._cache["day"]

    # ---- tables -------------------------------------------------------------------------------
    @property
    def routes(self) -> Any:
        """GeoDataFrame, one row per truck used: ``truck``, ``n_bins``, ``n_stops`` (all stops,
        start and end included), ``distance_m``, ``driving_s``, ``working_s``,
        ``disposal_trips``, ``start_s``, ``end_s``, ``n_street_passes`` (drives along street
        stretches) and the road ``geometry`` (LineString, EPSG:4326)."""
        if "routes" not in self._cache:
            gpd = _geopandas()
            import shapely

            rows, lines = [], []
            for r in self._dict["routes"]:
                stops = r["stops"]
                rows.append(
                    {
                        "truck": r["truck"],
                        "n_bins": sum(1 for s in stops if s["type"] == "bin"),
                        "n_street_passes": sum(1 for s in stops if s["type"] == "street"),
                        "n_stops": len(stops),
                        "distance_m": r["distance_m"],
                        "driving_s": r["driving_s"],
                        "working_s": r["working_s"],
                        "disposal_trips": r["disposal_trips"],
                        "start_s": stops[0]["departure_s"] if stops else math.nan,
                        "end_s": stops[-1]["arrival_s"] if stops else math.nan,
                    }
                )
                g = r["geometry"]
                lines.append(shapely.LineString(g) if len(g) >= 2 else None)
            cols = ["truck", "n_bins", "n_stops", "distance_m", "driving_s", "working_s"]
            cols += ["disposal_trips", "start_s", "end_s", "n_street_passes"]
            import pandas as pd

            df = pd.DataFrame(rows, columns=cols)
            self._cache["routes"] = gpd.GeoDataFrame(df, geometry=lines, crs="EPSG:4326")
        return self._cache["routes"]

    @property
    def stops(self) -> Any:
        """GeoDataFrame, one row per stop in driving order: ``truck``, ``seq`` (0 = start),
        ``kind`` (``start``, ``bin``, ``street``, ``disposal``, ``break``, ``end``), ``id`` (bin,
        street, depot or disposal-site id), ``arrival_s``, ``departure_s`` (seconds since midnight),
        ``load_kg``, ``load_l`` (after the stop), ``service`` (bins: ``kerbside``,
        ``zig_zag``, ``one_way`` or ``either_side``), ``truck_side`` (bins: ``right``/``left``
        of the truck), ``direction`` (streets: ``forward`` or ``backward`` relative to the
        drawing order of the street's coordinates) and ``geometry`` (the point on the road,
        for a street the start of the pass; empty for breaks)."""
        if "stops" not in self._cache:
            gpd = _geopandas()
            import pandas as pd
            import shapely

            rows, points = [], []
            for r in self._dict["routes"]:
                for seq, s in enumerate(r["stops"]):
                    rows.append(
                        {
                            "truck": r["truck"],
                            "seq": seq,
                            "kind": s["type"],
                            "id": self._id(s["id"]),
                            "arrival_s": s["arrival_s"],
                            "departure_s": s["departure_s"],
                            "load_kg": s["load"][0],
                            "load_l": s["load"][1],
                            "service": s.get("service"),
                            "truck_side": s.get("truck_side"),
                            "direction": s.get("direction"),
                        }
                    )
                    loc = s.get("location")
                    points.append(shapely.Point(loc) if loc else None)
            cols = ["truck", "seq", "kind", "id", "arrival_s", "departure_s", "load_kg"]
            cols += ["load_l", "service", "truck_side", "direction"]
            df = pd.DataFrame(rows, columns=cols)
            self._cache["stops"] = gpd.GeoDataFrame(df, geometry=points, crs="EPSG:4326")
        return self._cache["stops"]

    @property
    def unassigned(self) -> Any:
        """DataFrame of bins and streets left out: ``id``, ``reason``, and the input ``lon``/``lat``
        (a street's first coordinate)."""
        if "unassigned" not in self._cache:
            import pandas as pd

            where = {b["id"]: (b["lon"], b["lat"]) for b in self.day["bins"]}
            # A street is placed at its first coordinate.
            where.update({s["id"]: tuple(s["coordinates"][0]) for s in self.day.get("streets", [])})
            rows = [
                {
                    "id": self._id(u["id"]),
                    "reason": u["reason"],
                    "lon": where.get(u["id"], (math.nan, math.nan))[0],
                    "lat": where.get(u["id"], (math.nan, math.nan))[1],
                }
                for u in self._dict["unassigned"]
            ]
            self._cache["unassigned"] = pd.DataFrame(rows, columns=["id", "reason", "lon", "lat"])
        return self._cache["unassigned"]

    def _id(self, text: str) -> Any:
        """The caller's id for the plan's id ``text`` (an integer id stays an integer)."""
        return self._ids.get(text, text)

    def bin_order(self) -> Dict[str, List[Any]]:
        """Truck id -> the bin ids it collects, in order."""
        return {
            r["truck"]: [self._id(s["id"]) for s in r["stops"] if s["type"] == "bin"]
            for r in self._dict["routes"]
        }

    # ---- exports ------------------------------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        """The plan as a dict: ``name``, ``totals``, ``routes`` (with stops and geometry),
        ``unassigned`` and ``timings`` — the JSON of ``kerb collect -o``."""
        return json.loads(self._p.to_json())

    def to_json(self, path: Optional[PathLike] = None, *, pretty: bool = True) -> str:
        """The plan as JSON text (the ``kerb collect -o`` format); also written to ``path``."""
        text = self._p.to_json(pretty)
        if path is not None:
            _write(path, text)
        return text

    def to_geojson(self, path: Optional[PathLike] = None) -> Dict[str, Any]:
        """Routes (LineStrings) and stops (Points) as a GeoJSON FeatureCollection dict, as
        ``kerb collect --geojson`` writes it; also written to ``path`` if given."""
        text = self._p.to_geojson()
        if path is not None:
            _write(path, text)
        return json.loads(text)

    def to_html(self, path: Optional[PathLike] = None) -> str:
        """A self-contained HTML map (roads, bins coloured by truck, depots, disposal sites,
        routes), as ``kerb collect --html``; also written to ``path`` if given."""
        html = self._p.to_html(self._graph._g)
        if path is not None:
            _write(path, html)
        return html

    def __repr__(self) -> str:
        t = self._dict["totals"]
        return (
            f"<kerb.CollectionPlan {self.name!r}: {t['trucks_used']} trucks, "
            f"{t['bins_served']} bins served, {t['bins_unassigned']} unassigned, "
            f"{t['distance_m'] / 1000:.1f} km>"
        )


def _write(path: PathLike, text: str) -> None:
    with open(os.fspath(path), "w", encoding="utf-8") as f:
        f.write(text)


def plan_collection(
    graph: Graph,
    day: Any = None,
    *,
    bins: Any = None,
    streets: Any = None,
    depots: Any = None,
    disposal_sites: Any = None,
    trucks: Any = None,
    options: Optional[Mapping[str, Any]] = None,
    name: Optional[str] = None,
    iterations: Optional[int] = None,
    time_limit_s: Optional[float] = None,
    threads: Optional[int] = None,
    seed: Optional[int] = None,
    graphs: Optional[Mapping[str, Graph]] = None,
) -> CollectionPlan:
    """Plan a waste-collection day on ``graph`` (build it with the ``truck`` profile).

    A mixed fleet: ``graphs`` maps profile names to the graphs built for them
    (``{"refuse-7.5t": Graph.from_pbf(pbf, "refuse-7.5t"), ...}``); each truck whose
    ``profile`` names one of them is planned on it (matrix and route), trucks naming none on
    ``graph``. A bin only some trucks' graphs reach goes to those trucks.

    ``day`` is a collection day in kerb-collect's JSON format — a dict, JSON text or the path
    of a JSON file (``data/helsinki-day.json``) — or a (Geo)DataFrame of bins (see
    :func:`bins_from_frame` for its columns). The keyword arguments mirror the format's keys
    and replace the day's: ``bins`` (a DataFrame/GeoDataFrame or list of dicts), ``streets``
    (stretches served along their length: a GeoDataFrame of LineStrings, see
    :func:`streets_from_frame`, or list of dicts), ``depots``
    and ``disposal_sites`` (dicts with ``id``, ``lon``, ``lat``, ... or DataFrames),
    ``trucks`` (dicts with ``id``, ``depot``, ``capacity_kg``, ``shift``, ...), ``options``
    (merged into the day's), and the solver shortcuts ``iterations``, ``time_limit_s``,
    ``threads``, ``seed``. With ``iterations`` set and ``threads=1`` the plan is
    deterministic, and identical to ``kerb collect`` and ``POST /plan`` on the same graph.

    Bins with no truck road within ``options.max_snap_m``, heavier than every truck, or that
    no route can serve appear in :attr:`CollectionPlan.unassigned` with the reason. A
    malformed day raises :class:`~kerb.PlanInputError` (a ``ValueError``); a depot or
    disposal site off the network too. Planning runs in Rust with the GIL released.
    """
    if not isinstance(graph, Graph):
        raise InvalidInputError(
            f"graph must be a kerb.Graph (first argument), got {type(graph).__name__}"
        )
    if day is None:
        d: Dict[str, Any] = {}
    elif _is_frame(day):
        if bins is not None:
            raise PlanInputError("bins given twice: as the day and as bins=")
        d, bins = {}, day
    else:
        d = _read_day(day)
    ids: Dict[str, Any] = {}
    for frame in (bins, streets, depots, disposal_sites):
        if _is_frame(frame):
            ids.update(_original_ids(frame))
    if bins is not None:
        if _is_frame(bins):
            d["bins"] = bins_from_frame(bins)
        elif isinstance(bins, Sequence) and all(isinstance(b, Mapping) for b in bins):
            d["bins"] = [dict(b) for b in bins]
        else:
            raise PlanInputError("bins must be a DataFrame, a GeoDataFrame or a list of dicts")
    if streets is not None:
        if _is_frame(streets):
            d["streets"] = streets_from_frame(streets)
        elif isinstance(streets, Sequence) and all(isinstance(x, Mapping) for x in streets):
            d["streets"] = [dict(x) for x in streets]
        else:
            raise PlanInputError("streets must be a GeoDataFrame of LineStrings or a list of dicts")
    if depots is not None:
        d["depots"] = _sites(depots, "depots")
    if disposal_sites is not None:
        d["disposal_sites"] = _sites(disposal_sites, "disposal_sites")
    if trucks is not None:
        d["trucks"] = [dict(trucks)] if isinstance(trucks, Mapping) else _sites_plain(trucks)
    if name is not None:
        d["name"] = str(name)
    opts = dict(d.get("options") or {})
    if options is not None:
        opts.update(options)
    for key, v in (
        ("iterations", iterations),
        ("time_limit_s", time_limit_s),
        ("threads", threads),
        ("seed", seed),
    ):
        if v is not None:
            opts[key] = v
    if opts:
        d["options"] = opts
    for key in ("bins", "depots", "trucks"):
        if key not in d:
            raise PlanInputError(f"the collection day has no {key}: pass {key}=")
    d.setdefault("disposal_sites", [])
    try:
        text = json.dumps(d, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise PlanInputError(f"collection day is not JSON-serialisable: {e}") from None
    fleet = []
    for key, g in (graphs or {}).items():
        if not isinstance(g, Graph):
            raise InvalidInputError(f"graphs[{key!r}] must be a kerb.Graph, got {type(g).__name__}")
        if g.profile != key:
            raise InvalidInputError(
                f"graphs[{key!r}] is a graph for profile {g.profile!r}: key each graph by its profile"
            )
        fleet.append(g._g)
    return CollectionPlan(_kerb.plan_collection(graph._g, text, fleet), graph, ids)


def _sites_plain(value: Any) -> List[Dict[str, Any]]:
    if _is_frame(value):
        return [
            {str(k): v for k, v in row.items() if not (np.isscalar(v) and _missing(v))}
            for _, row in value.iterrows()
        ]
    if isinstance(value, Sequence) and all(isinstance(v, Mapping) for v in value):
        return [dict(v) for v in value]
    raise PlanInputError("trucks must be a dict, a list of dicts or a DataFrame")


def sample_day(
    graph: Graph, n: int = 300, trucks: int = 3, seed: int = 42, streets: int = 0
) -> Dict[str, Any]:
    """A seeded sample collection day on ``graph`` (``kerb sample-day``): ``n`` bins along
    residential streets near the centre of the network, 6 m off the road on either side,
    ``streets`` street stretches served along their length, one depot and one disposal site,
    ``trucks`` trucks of 5 t. ``sample_day(g, 300, 3, 42, streets=12)`` on the Helsinki truck
    graph is ``data/helsinki-day.json``."""
    if not isinstance(graph, Graph):
        raise InvalidInputError(f"graph must be a kerb.Graph, got {type(graph).__name__}")
    if int(n) < 0 or int(trucks) < 1 or int(seed) < 0 or int(streets) < 0:
        raise InvalidInputError(
            "need n >= 0, trucks >= 1, seed >= 0 and streets >= 0, got "
            f"n={n!r}, trucks={trucks!r}, seed={seed!r}, streets={streets!r}"
        )
    return json.loads(_kerb.sample_day(graph._g, int(n), int(trucks), int(seed), int(streets)))

