"""The Python face of :class:`kerb.Graph`: argument conversion and result packaging only.

Every computation (import, snapping, shortest paths, matrices) happens in the Rust extension
``kerb._kerb``; heavy calls release the GIL there and run in parallel.
"""

from __future__ import annotations

import datetime
import json
import os
import pickle
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import _kerb
from ._coords import as_lonlat
from .exceptions import InvalidCoordinateError, InvalidInputError, NoRouteError, NoSegmentError

PathLike = Union[str, "os.PathLike[str]"]
#: ``metric=`` of :meth:`Graph.matrix` and :meth:`Graph.pairwise`.
Metric = Literal["duration", "distance", "both"]
#: ``approach=``: ``"curb"`` arrives and leaves with the point on the driving side.
ApproachName = Literal["unrestricted", "curb"]
#: ``errors=``: raise on the first bad point, or give NaN / -1 for it.
Errors = Literal["raise", "coerce"]
#: ``as_frame=`` of :meth:`Graph.matrix`: ``None`` follows the input (labelled inputs give a
#: DataFrame), ``True``/``False`` force a DataFrame or an ndarray, ``"xarray"`` an
#: ``xarray.DataArray`` with ``origin``/``destination`` dimensions.
MatrixFrame = Union[bool, Literal["xarray"], None]
#: ``output=`` of :meth:`Graph.route`.
RouteOutput = Literal["route", "coords", "edges", "nodes", "osm_nodes"]
#: ``func=`` of :meth:`Graph.aggregate` (pandana's ``type``; ``"ave"`` is accepted too).
Aggregation = Literal["sum", "count", "mean", "ave", "min", "max", "std", "median"]
#: Custom edge weights: one number per directed edge (array or Series indexed by edge), or
#: the name of an :meth:`Graph.edges_gdf` cost column (``"length"``, ``"travel_time"``).
Weights = Union[str, "npt.ArrayLike", None]
#: A departure time: a ``datetime`` (local wall-clock time at the map; seconds are dropped)
#: or kerb's text (``"2026-12-07T06:30"``, or a weekday and time ``"Mo 06:30"``).
DepartAt = Union[str, "datetime.datetime", None]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_SIDES = np.array(["on", "left", "right"], dtype=object)
_APPROACHES = ("unrestricted", "curb")


def _approach(approach: str) -> bool:
    if approach not in _APPROACHES:
        raise InvalidInputError(f"approach must be one of {_APPROACHES}, got {approach!r}")
    return approach == "curb"


def _depart_at(depart_at: DepartAt) -> Optional[str]:
    if depart_at is None or isinstance(depart_at, str):
        return depart_at
    if isinstance(depart_at, datetime.datetime):
        return depart_at.strftime("%Y-%m-%dT%H:%M")
    raise InvalidInputError(
        f"depart_at must be a datetime or text like '2026-12-07T06:30', got {depart_at!r}"
    )


def _radius(radius_m: Optional[float]) -> Optional[float]:
    if radius_m is None:
        return None
    r = float(radius_m)
    if not r > 0:
        raise InvalidInputError(f"radius_m must be positive, got {radius_m!r}")
    return r


def _max_distance(max_distance_m: float) -> float:
    d = float(max_distance_m)
    if not d > 0:
        raise InvalidInputError(f"max_distance_m must be positive, got {max_distance_m!r}")
    return d


def _errors(errors: str) -> bool:
    """``True`` for ``errors="coerce"``."""
    if errors not in ("raise", "coerce"):
        raise InvalidInputError(f"errors must be 'raise' or 'coerce', got {errors!r}")
    return errors == "coerce"


def _data_array(values: FloatArray, rows: Any, cols: Any, name: str, unit: str) -> Any:
    """A matrix as an ``xarray.DataArray`` (``origin`` x ``destination``), labelled like a frame."""
    try:
        import xarray as xr
    except ImportError as e:
        raise ImportError('as_frame="xarray" needs xarray (pip install xarray)') from e
    n, m = values.shape
    origin = np.arange(n) if rows is None else np.asarray(rows)
    destination = np.arange(m) if cols is None else np.asarray(cols)
    return xr.DataArray(
        values,
        dims=("origin", "destination"),
        coords={"origin": origin, "destination": destination},
        name=name,
        attrs={"units": unit},
    )


def _labels(points: Any) -> Any:
    """The pandas index of a labelled point container (DataFrame, GeoDataFrame, GeoSeries),
    else ``None``."""
    index = getattr(points, "index", None)
    if index is None or callable(index):  # list.index / tuple.index, not a pandas index
        return None
    return index


def _with_input_columns(frame: Any, snapped: Any) -> Any:
    """The input frame's columns (not its geometry) followed by the snap columns; an input
    column named like a snap column is kept as ``input_<name>`` (``lon``/``lat``, already
    there as ``input_lon``/``input_lat``, are not repeated)."""
    import pandas as pd

    geometry = getattr(frame, "_geometry_column_name", None)
    kept = {}
    for c in frame.columns:
        if c == geometry:
            continue
        name = f"input_{c}" if c in snapped.columns else c
        if name in snapped.columns:
            continue
        kept[name] = frame[c].to_numpy()
    if not kept:
        return snapped
    return pd.concat([pd.DataFrame(kept, index=snapped.index), snapped], axis=1)


def _metric(metric: str) -> None:
    if metric not in ("duration", "distance", "both"):
        raise InvalidInputError(
            f"metric must be 'duration', 'distance' or 'both', got {metric!r}"
        )


def _linestring(coords: np.ndarray) -> Any:
    try:
        import shapely
    except ImportError:
        return {"type": "LineString", "coordinates": coords.tolist()}
    return shapely.LineString(coords)


@dataclass(frozen=True)
class Route:
    """A route through two or more waypoints, as returned by :meth:`Graph.route`.

    ``geometry`` is a shapely ``LineString`` (lon, lat), or a GeoJSON dict when shapely is not
    installed. ``legs`` holds one dict per pair of consecutive waypoints.
    """

    distance_m: float
    duration_s: float
    geometry: Any
    coords: np.ndarray = field(repr=False)
    legs: List[Dict[str, float]] = field(repr=False)
    polyline: str = field(repr=False)
    #: The driven pieces of edges in order: a DataFrame with ``edge`` (as in
    #: :meth:`Graph.edges_gdf`), ``leg``, ``from_fraction``, ``to_fraction``, ``distance_m``,
    #: ``duration_s`` and ``osmid`` (the OSM way).
    edges: Any = field(default=None, repr=False)
    #: The graph nodes passed, in order (OSMnx's ``shortest_path`` node list; ids as in
    #: :meth:`Graph.nodes_gdf`).
    nodes: Any = field(default=None, repr=False)
    #: The OSM node ids along the route (OSRM's ``annotations=nodes``).
    osm_nodes: Any = field(default=None, repr=False)
    #: The cost under the custom ``weights`` the route was computed with, else ``None``.
    weight: Optional[float] = None

    def to_geojson(self) -> Dict[str, Any]:
        """The route as a GeoJSON Feature with ``distance_m`` and ``duration_s`` properties."""
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": self.coords.tolist()},
            "properties": {"distance_m": self.distance_m, "duration_s": self.duration_s},
        }

    def as_dict(self) -> Dict[str, Any]:
        """``distance_m``, ``duration_s``, ``geometry``, ``legs`` and ``polyline`` as a dict."""
        return {
            "distance_m": self.distance_m,
            "duration_s": self.duration_s,
            "geometry": self.geometry,
            "legs": self.legs,
            "polyline": self.polyline,
        }


ProfileSpec = Union[str, "os.PathLike[str]", Mapping[str, Any]]
"""A vehicle profile as the front ends take it: a preset name, a profile file or a dict."""


def _profile_spec(profile: Any) -> str:
    """``profile`` as the text Rust's ``Profile::resolve`` reads (a name, a path or JSON): the
    one place a front end's profile argument is resolved is kerb-core."""
    if isinstance(profile, Mapping):
        try:
            return json.dumps(dict(profile), allow_nan=False)
        except (TypeError, ValueError) as e:
            raise InvalidInputError(f"profile dict is not JSON: {e}") from None
    if isinstance(profile, (str, os.PathLike)):
        return os.fspath(profile)
    raise InvalidInputError(
        f"profile must be a preset name {_kerb.profiles()}, a profile JSON file or a dict, "
        f"got {profile!r}"
    )


class Graph:
    """A road network for one vehicle profile, built from OpenStreetMap or loaded from a file.

    Create with :meth:`from_pbf` or :meth:`load`. The graph is immutable and safe to share
    between threads.
    """

    __slots__ = ("_g", "_path", "_profile_json")

    def __init__(
        self, inner: "_kerb.Graph", path: Optional[str] = None, profile_json: Optional[str] = None
    ) -> None:
        if not isinstance(inner, _kerb.Graph):
            raise TypeError("use kerb.Graph.from_pbf(path) or kerb.Graph.load(path)")
        self._g = inner
        self._path = path
        self._profile_json = profile_json

    def __reduce__(self) -> Any:
        """Pickle by file path: a worker process (Dask, Ray, multiprocessing) reopens the graph
        file, memory-mapped and cached per process, instead of receiving a copy of the graph."""
        if self._path is None:
            raise pickle.PicklingError(
                "a kerb.Graph pickles by its file path: call graph.save(path) (or load it with "
                "kerb.Graph.load) before sending it to other processes"
            )
        if self._profile_json is not None:
            return (_open_customized, (self._path, self._profile_json))
        return (_open_cached, (self._path,))

    @property
    def path(self) -> Optional[str]:
        """The graph file this graph was loaded from or last saved to (``None`` if neither)."""
        return self._path

    # ---- construction and files -------------------------------------------------------------
    @classmethod
    def from_pbf(cls, path: PathLike, profile: ProfileSpec = "truck") -> "Graph":
        """Import an OSM PBF extract for ``profile``: a preset name (``"car"``, ``"truck"``,
        ``"refuse-7.5t"``, ``"refuse-32t"``; see :func:`kerb.profiles`), the path of a profile
        JSON file (``profiles/README.md`` documents the format) or a profile dict. A bad
        profile raises :class:`~kerb.InvalidInputError` naming the file and the key."""
        return cls(_kerb.Graph.from_pbf(os.fspath(path), _profile_spec(profile)))

    @classmethod
    def from_file(cls, path: PathLike, profile: ProfileSpec = "truck") -> "Graph":
        """Import an OSM extract in any usual format: PBF (``.pbf``), OSM XML (``.osm``) or
        gzip-compressed OSM XML (``.osm.gz``, as OSMnx and JOSM save them); other names are
        recognised by their first bytes. Both formats give the same graph. ``profile`` as for
        :meth:`from_pbf`."""
        return cls(_kerb.Graph.from_file(os.fspath(path), _profile_spec(profile)))

    @classmethod
    def load(cls, path: PathLike) -> "Graph":
        """Open a graph file written by :meth:`save` (or ``kerb build``)."""
        p = os.path.abspath(os.fspath(path))
        return cls(_kerb.Graph.open(p), p)

    open = load

    def customize(self, profile: ProfileSpec) -> "Graph":
        """The same roads routed for another vehicle ``profile``: a preset name (``"car"``,
        ``"truck"``, ...), a profile JSON file (as ``kerb build --profile``) or a profile dict.

        The profile the graph was imported for keeps its contraction hierarchy; any other one
        routes on a customization of the map's customizable contraction hierarchy (the one
        ``kerb customize`` stored in the file, else made now: about a second on a city), so a
        new vehicle costs no re-import. Only weights change (speeds by road class, turn costs,
        U-turn rule, classes not driven); access rules (vehicle dimensions, access tags) are
        those of the import. :attr:`engine` says which search answers.
        """
        customized = self._g.customize(_profile_spec(profile))
        return Graph(customized, self._path, customized.profile_json)

    @property
    def engine(self) -> str:
        """The search routes and matrices use: ``"ch"`` (the contraction hierarchy of the
        imported profile), ``"cch"`` (a customization for another profile) or ``"dijkstra"``."""
        return self._g.engine

    def save(self, path: PathLike) -> None:
        """Write the graph to a versioned, checksummed file that :meth:`load` opens quickly."""
        p = os.path.abspath(os.fspath(path))
        self._g.save(p)
        self._path = p

    # ---- description ------------------------------------------------------------------------
    def info(self) -> Dict[str, Any]:
        """Profile name, node/edge counts and bounding box ``(min_lon, min_lat, max_lon, max_lat)``."""
        return dict(self._g.info())

    @property
    def profile(self) -> str:
        """Name of the vehicle profile the graph was built for."""
        return self._g.profile

    @property
    def num_nodes(self) -> int:
        """Number of road nodes (junctions and geometry ends)."""
        return self._g.num_nodes

    @property
    def num_edges(self) -> int:
        """Number of directed road edges."""
        return self._g.num_edges

    @property
    def bbox(self) -> Tuple[float, float, float, float]:
        """``(min_lon, min_lat, max_lon, max_lat)`` of the nodes."""
        return tuple(self._g.bbox)  # type: ignore[return-value]

    def __repr__(self) -> str:
        return (
            f"<kerb.Graph profile={self.profile!r} nodes={self.num_nodes} edges={self.num_edges}>"
        )

    def _weights(self, weights: Weights) -> Optional[FloatArray]:
        """Custom weights as a float64 array over the edges (``None`` for travel times)."""
        if weights is None:
            return None
        if isinstance(weights, str):
            columns = {"length": "distance_m", "travel_time": "duration_s"}
            if weights not in columns:
                raise InvalidInputError(
                    f"weights must be an array over the edges or one of {sorted(columns)}, "
                    f"got {weights!r}"
                )
            return np.ascontiguousarray(self._g.edges()[columns[weights]], dtype=np.float64)
        index = getattr(weights, "index", None)
        if index is not None and not callable(index):  # a Series indexed by edge id
            weights = weights.reindex(range(self.num_edges))  # type: ignore[union-attr]
        try:
            w = np.ascontiguousarray(weights, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise InvalidInputError(f"weights must be numbers: {e}") from None
        if w.shape != (self.num_edges,):
            raise InvalidInputError(
                f"weights must have one value per edge ({self.num_edges}), got shape {w.shape}"
            )
        return w

    # ---- snapping ---------------------------------------------------------------------------
    def nearest(
        self,
        lon: float,
        lat: float,
        k: Optional[int] = None,
        *,
        max_distance_m: Optional[float] = None,
    ) -> Any:
        """The nearest road to ``(lon, lat)`` as a dict, or the ``k`` nearest distinct roads as a list.

        Each dict has ``edge``, ``fraction`` (0..1 along the edge), ``lon``/``lat`` of the projected
        point, ``distance_m``, ``side`` (``"left"``/``"right"``/``"on"`` of the edge direction)
        and the road ``name``. Only roads within ``max_distance_m`` count (default: the snapping
        radius, 1000 m; ``math.inf`` for no limit); when there is none,
        :class:`~kerb.NoSegmentError` says how far the nearest road is. Roads of islands too
        small to route on (fewer than 1000 directed edges, OSRM's tiny components) are left
        out, as :meth:`snap` leaves them out.
        """
        limit = None if max_distance_m is None else _max_distance(max_distance_m)
        if k is None:
            return self._g.nearest(float(lon), float(lat), 1, limit)[0]
        if int(k) < 1:
            raise InvalidInputError(f"k must be >= 1, got {k!r}")
        return self._g.nearest(float(lon), float(lat), int(k), limit)

    def snap(
        self,
        points: Any,
        lats: Optional[Any] = None,
        *,
        radius_m: Optional[float] = None,
        errors: str = "raise",
    ) -> Any:
        """Snap many points to their nearest road, in parallel.

        ``g.snap(lons, lats)`` or ``g.snap(points)`` with any point container (see
        :func:`kerb.as_lonlat`). Returns a pandas DataFrame, one row per point, with columns
        ``edge, fraction, lon, lat, distance_m, side, name, input_lon, input_lat`` (``lon``/``lat``
        of the snapped point in degrees), after the input's own columns when the input was a
        DataFrame (one named like a snap column becomes ``input_<name>``), with the input's index;
        a GeoDataFrame (geometry = snapped point, in the input's CRS) when the input was a
        GeoSeries/GeoDataFrame.
        The first point that fails raises, with its position in the input as the exception's
        ``index`` (:class:`~kerb.NoSegmentError` when no road lies within ``radius_m``,
        :class:`~kerb.InvalidCoordinateError` for NaN or out-of-range values). With
        ``errors="coerce"`` such points get ``edge == -1`` and NaN instead.
        """
        import pandas as pd

        coerce = _errors(errors)
        x, y = as_lonlat(points, lats)
        r = self._g.snap(x, y, _radius(radius_m), not coerce)
        index = _labels(points) if lats is None else None
        df = pd.DataFrame(
            {
                "edge": r["edge"],
                "fraction": r["fraction"],
                "lon": r["lon"],
                "lat": r["lat"],
                "distance_m": r["distance_m"],
                "side": pd.Categorical(_SIDES[r["side"]], categories=list(_SIDES)),
                "name": r["name"],
                "input_lon": x,
                "input_lat": y,
            },
            index=index,
        )
        if index is not None and hasattr(points, "columns"):
            df = _with_input_columns(points, df)
        if index is not None and hasattr(points, "crs"):
            import geopandas as gpd

            crs = points.crs
            out = gpd.GeoDataFrame(
                df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326"
            )
            return out if crs is None or crs.equals("EPSG:4326") else out.to_crs(crs)
        return df

    # ---- routing ----------------------------------------------------------------------------
    def route(
        self,
        origin: Any,
        destination: Any,
        *,
        via: Optional[Sequence[Any]] = None,
        approach: ApproachName = "unrestricted",
        radius_m: Optional[float] = None,
        weights: Weights = None,
        output: RouteOutput = "route",
        errors: Errors = "raise",
        depart_at: DepartAt = None,
    ) -> Any:
        """Fastest route from ``origin`` to ``destination`` (through ``via`` points in order).

        Points are ``(lon, lat)`` pairs or shapely Points. ``approach="curb"`` arrives and leaves
        with each point on the driving side (right-hand kerb), as a refuse truck must.
        ``weights`` (one value per edge, or ``"length"``) makes it the cheapest route under
        those costs instead (turn restrictions still hold; ``Route.weight`` is the cost).
        ``output`` picks what is returned: the :class:`Route` (default), its ``"coords"``
        (``(N, 2)`` lon/lat), ``"edges"`` (a DataFrame of the driven edges with OSM way ids),
        ``"nodes"`` (graph node ids passed, like OSMnx's ``shortest_path``) or ``"osm_nodes"``.
        ``depart_at`` (a ``datetime`` or text: ``"2026-12-07T06:30"``, ``"Mo 06:30"``, local
        time at the map) applies the graph's ``*:conditional`` rules (the Plöck closed to heavy
        trucks 7:30-19:00, pedestrian streets open for deliveries 06:00-11:00, ...) to each road
        at the time the truck reaches it; without it they are ignored.
        Raises :class:`~kerb.NoRouteError` when the roads do not connect the points; a point
        that fails to snap (no road within the radius, NaN or out-of-range coordinates) raises
        with ``index`` = its position in ``[origin, *via, destination]``. With
        ``errors="coerce"`` both give ``None`` instead, so a loop over many trips keeps going;
        invalid options still raise.
        """
        import pandas as pd

        if output not in ("route", "coords", "edges", "nodes", "osm_nodes"):
            raise InvalidInputError(
                "output must be 'route', 'coords', 'edges', 'nodes' or 'osm_nodes', "
                f"got {output!r}"
            )
        pts = [origin, *(via or []), destination]
        xs, ys = [], []
        for p in pts:
            x, y = as_lonlat(p)
            if len(x) != 1:
                raise InvalidInputError(f"each waypoint must be one (lon, lat) point, got {len(x)}")
            xs.append(x[0])
            ys.append(y[0])
        coerce = _errors(errors)
        curb, radius, w = _approach(approach), _radius(radius_m), self._weights(weights)
        depart = _depart_at(depart_at)
        try:
            r = self._g.route(
                np.array(xs, dtype=np.float64),
                np.array(ys, dtype=np.float64),
                curb,
                radius,
                w,
                depart,
            )
        except (NoSegmentError, NoRouteError, InvalidCoordinateError):
            if coerce:
                return None
            raise
        coords = r["coords"]
        edges = pd.DataFrame(
            {
                "edge": r["edge"],
                "leg": r["leg"],
                "from_fraction": r["from_fraction"],
                "to_fraction": r["to_fraction"],
                "distance_m": r["segment_distance_m"],
                "duration_s": r["segment_duration_s"],
                "osmid": r["segment_osmid"],
            }
        )
        route = Route(
            distance_m=r["distance_m"],
            duration_s=r["duration_s"],
            geometry=_linestring(coords),
            coords=coords,
            legs=r["legs"],
            polyline=r["polyline"],
            edges=edges,
            nodes=r["nodes"],
            osm_nodes=r["osm_nodes"],
            weight=r["weight"],
        )
        if output == "route":
            return route
        return getattr(route, output)

    def matrix(
        self,
        origins: Any,
        destinations: Optional[Any] = None,
        *,
        metric: Metric = "duration",
        approach: ApproachName = "unrestricted",
        radius_m: Optional[float] = None,
        errors: Errors = "raise",
        weights: Weights = None,
        as_frame: MatrixFrame = None,
        depart_at: DepartAt = None,
    ) -> Any:
        """Travel-time (s) or distance (m) matrix, ``float64`` of shape ``(len(origins), len(destinations))``.

        ``destinations=None`` means the origins themselves. ``metric`` is ``"duration"``,
        ``"distance"`` or ``"both"`` (a ``(durations, distances)`` tuple). Unreachable pairs are
        ``inf``. For a labelled input (a DataFrame, GeoDataFrame or GeoSeries) the result is a
        pandas DataFrame indexed by the origins' index, with the destinations' index as columns;
        arrays and lists give an ndarray (``as_frame=True``/``False`` forces either way;
        ``as_frame="xarray"`` gives an ``xarray.DataArray`` with dimensions ``origin`` and
        ``destination``, their coordinates the inputs' labels or positions, and the unit in
        ``attrs``; xarray must be installed).
        A point that fails to snap raises (the exception's ``index`` is its position
        among the origins or destinations); with ``errors="coerce"`` its row and column are
        NaN instead. With ``weights`` (one value per edge, or ``"length"``) the ``"duration"``
        matrix holds the cheapest cost under those weights and ``"distance"`` the length of
        those cheapest paths. ``depart_at`` applies the graph's conditional rules with every
        origin leaving then, as in :meth:`route`. Computed in Rust on all cores with the GIL
        released.
        """
        _metric(metric)
        coerce = _errors(errors)
        if as_frame not in (None, True, False, "xarray"):
            raise InvalidInputError(
                f'as_frame must be None, True, False or "xarray", got {as_frame!r}'
            )
        sx, sy = as_lonlat(origins)
        dx, dy = (sx, sy) if destinations is None else as_lonlat(destinations)
        dur: Any
        dist: Any
        dur, dist = self._g.matrix(
            sx,
            sy,
            dx,
            dy,
            _approach(approach),
            _radius(radius_m),
            coerce,
            self._weights(weights),
            _depart_at(depart_at),
        )
        rows = _labels(origins)
        cols = rows if destinations is None else _labels(destinations)
        labelled = rows is not None or cols is not None
        if as_frame == "xarray":
            dur = _data_array(dur, rows, cols, "duration", "s")
            dist = _data_array(dist, rows, cols, "distance", "m")
        elif as_frame if as_frame is not None else labelled:
            import pandas as pd

            dur = pd.DataFrame(dur, index=rows, columns=cols)
            dist = pd.DataFrame(dist, index=rows, columns=cols)
        if metric == "duration":
            return dur
        if metric == "distance":
            return dist
        return dur, dist

    def pairwise(
        self,
        origins: Any,
        destinations: Any,
        *,
        metric: Metric = "duration",
        approach: ApproachName = "unrestricted",
        radius_m: Optional[float] = None,
        errors: Errors = "raise",
    ) -> Any:
        """Travel time (s) or distance (m) of many independent trips ``origins[i] -> destinations[i]``.

        The vectorised counterpart of :meth:`route` (pandana's ``shortest_path_lengths``): a 1-D
        ``float64`` array, ``inf`` where unreachable; ``metric="both"`` gives a
        ``(durations, distances)`` tuple. A point that fails to snap raises with ``index`` = its
        position among the origins or destinations; with ``errors="coerce"`` its trip is NaN.
        Runs in Rust on all cores with the GIL released.
        """
        _metric(metric)
        coerce = _errors(errors)
        sx, sy = as_lonlat(origins)
        dx, dy = as_lonlat(destinations)
        if len(sx) != len(dx):
            raise InvalidInputError(
                f"pairwise needs as many origins as destinations, got {len(sx)} and {len(dx)}"
            )
        dur, dist = self._g.pairwise(
            sx, sy, dx, dy, _approach(approach), _radius(radius_m), coerce
        )
        if metric == "duration":
            return dur
        if metric == "distance":
            return dist
        return dur, dist

    # ---- accessibility (pandana) ------------------------------------------------------------
    def aggregate(
        self,
        points: Any,
        values: Any = None,
        within_s: float = 600.0,
        func: Aggregation = "sum",
        *,
        origins: Any = None,
        weights: Weights = None,
        approach: ApproachName = "unrestricted",
        radius_m: Optional[float] = None,
        errors: Errors = "raise",
    ) -> Any:
        """For each origin, ``func`` of the ``values`` of the ``points`` reachable within
        ``within_s`` seconds by road (pandana's ``Network.aggregate``; ``values=None`` counts).

        ``origins`` defaults to the points themselves; ``func`` is ``"sum"``, ``"count"``,
        ``"mean"`` (``"ave"``), ``"min"``, ``"max"``, ``"std"`` or ``"median"`` (NaN where
        nothing is in reach, 0 for sum/count). ``values`` is an array or the name of a column
        of ``points``. With ``weights`` (one per edge, or ``"length"``) ``within_s`` is in the
        weights' unit (e.g. metres). Points keep their position along their road (pandana
        moves them to the nearest node); one bounded turn-aware search per origin, on all
        cores. Returns a float64 array, or a Series by the origins' index when labelled.
        A point or origin that fails to snap raises; ``errors="coerce"`` leaves such points
        out (origins must snap).
        """
        px, py = as_lonlat(points)
        if values is None:
            vals = np.ones(len(px))
        elif isinstance(values, str):
            if values not in getattr(points, "columns", []):
                raise InvalidInputError(f"points have no column {values!r}")
            vals = points[values].to_numpy(dtype=np.float64)
        else:
            vals = np.ascontiguousarray(values, dtype=np.float64)
        if vals.shape != (len(px),):
            raise InvalidInputError(
                f"values must have one number per point ({len(px)}), got shape {vals.shape}"
            )
        src = points if origins is None else origins
        ox, oy = (px, py) if origins is None else as_lonlat(origins)
        out = self._g.aggregate(
            ox,
            oy,
            px,
            py,
            np.ascontiguousarray(vals),
            float(within_s),
            str(func),
            self._weights(weights),
            _approach(approach),
            _radius(radius_m),
            _errors(errors),
        )
        index = _labels(src)
        if index is not None:
            import pandas as pd

            return pd.Series(out, index=index, name=f"{func}_within_{within_s:g}")
        return out

    def nearest_pois(
        self,
        points: Any,
        pois: Any,
        k: int = 1,
        *,
        max_s: float = 1800.0,
        weights: Weights = None,
        approach: ApproachName = "unrestricted",
        radius_m: Optional[float] = None,
        errors: Errors = "raise",
    ) -> Any:
        """The ``k`` points of interest reached first from each point, by travel time
        (pandana's ``nearest_pois`` with ``include_poi_ids``).

        A DataFrame indexed like ``points``: columns ``1`` .. ``k`` hold the times (s; ``inf``
        when fewer than ``k`` are reached within ``max_s``) and ``poi1`` .. ``poi<k>`` the
        POIs' labels (their index when ``pois`` is labelled, else positions; -1/None where
        missing). With ``weights`` times and ``max_s`` are in the weights' unit. POIs that
        fail to snap raise, or with ``errors="coerce"`` are left out.
        """
        import pandas as pd

        if int(k) < 1:
            raise InvalidInputError(f"k must be >= 1, got {k!r}")
        k = int(k)
        ox, oy = as_lonlat(points)
        px, py = as_lonlat(pois)
        times, ids = self._g.nearest_pois(
            ox,
            oy,
            px,
            py,
            k,
            float(max_s),
            self._weights(weights),
            _approach(approach),
            _radius(radius_m),
            _errors(errors),
        )
        data: Dict[Any, Any] = {j + 1: times[:, j] for j in range(k)}
        labels = _labels(pois)
        for j in range(k):
            col = ids[:, j]
            if labels is None:
                data[f"poi{j + 1}"] = col
            else:
                found = col >= 0
                values = np.full(len(col), None, dtype=object)
                values[found] = np.asarray(labels)[col[found]]
                data[f"poi{j + 1}"] = np.asarray(labels)[col] if found.all() else values
        return pd.DataFrame(data, index=_labels(points))

    # ---- reachability -----------------------------------------------------------------------
    def isochrones(
        self,
        origin: Any,
        minutes: Any,
        *,
        approach: str = "unrestricted",
        radius_m: Optional[float] = None,
    ) -> Any:
        """Isochrones around ``origin``: a GeoDataFrame with one Polygon per time budget.

        ``minutes`` is a number or a list of numbers. Columns: ``minutes``, ``limit_s``,
        ``area_km2``, ``road_km`` (directed road length reached) and ``geometry`` (EPSG:4326),
        largest budget first so that plotting in order keeps the small ones visible. The same
        turn rules as routes apply; ``approach="curb"`` leaves with the origin on the kerb side.
        """
        gpd = _geopandas()
        import shapely

        x, y = as_lonlat(origin)
        if len(x) != 1:
            raise InvalidInputError(f"origin must be one (lon, lat) point, got {len(x)}")
        mins = [float(m) for m in np.atleast_1d(np.asarray(minutes, dtype=np.float64))]
        isos = self._g.isochrones(
            float(x[0]), float(y[0]), [m * 60.0 for m in mins], _approach(approach), _radius(radius_m)
        )
        isos.sort(key=lambda i: -i["limit_s"])
        return gpd.GeoDataFrame(
            {
                "minutes": [i["limit_s"] / 60.0 for i in isos],
                "limit_s": [i["limit_s"] for i in isos],
                "area_km2": [i["area_km2"] for i in isos],
                "road_km": [i["road_km"] for i in isos],
            },
            geometry=[shapely.Polygon(i["exterior"], i["interiors"]) for i in isos],
            crs="EPSG:4326",
        )

    def reachable(
        self,
        origin: Any,
        max_s: float,
        *,
        approach: str = "unrestricted",
        radius_m: Optional[float] = None,
    ) -> Any:
        """Every piece of road reachable from ``origin`` within ``max_s`` seconds.

        A pandas DataFrame, one row per reached directed edge: ``edge``, ``from_fraction``,
        ``to_fraction`` (the reached part of the edge), ``start_s`` and ``end_s`` (times at
        those fractions). Join with :meth:`edges_gdf` on ``edge`` for geometry.
        """
        import pandas as pd

        x, y = as_lonlat(origin)
        if len(x) != 1:
            raise InvalidInputError(f"origin must be one (lon, lat) point, got {len(x)}")
        r = self._g.reachable(
            float(x[0]), float(y[0]), float(max_s), _approach(approach), _radius(radius_m)
        )
        return pd.DataFrame(r)

    # ---- tables -----------------------------------------------------------------------------
    # ---- map matching ------------------------------------------------------------------------
    def match(
        self,
        trace: Any,
        *,
        time: Optional[str] = "time",
        accuracy: Optional[str] = None,
        radius_m: Optional[float] = None,
        sigma_m: Optional[float] = None,
        max_gap_s: Optional[float] = None,
    ) -> Any:
        """Match a GPS trace onto the roads (kerb-match's HMM, as ``kerb match``).

        ``trace`` is a DataFrame with lon/lat columns or a GeoDataFrame of points, in driving
        order. Its ``time`` column (seconds, or datetimes) and ``accuracy`` column (metres, one
        standard deviation) are used when present. Returns a GeoDataFrame (EPSG:4326) of the
        driven edge passes in order: ``matching``, ``edge`` (directed edge id, as in
        :meth:`edges_gdf`), ``from_fraction``, ``to_fraction``, ``distance_m``, ``duration_s``
        (the profile's time), ``enter_s``/``exit_s`` (trace clock, NaN without times; plus
        ``enter_time``/``exit_time`` when the times were datetimes) and the driven ``geometry``.
        ``result.attrs["tracepoints"]`` holds one row per fix (``lon``, ``lat`` on the road,
        ``distance_m`` from the fix, ``matching``; NaN / -1 when unmatched) and
        ``result.attrs["confidence"]`` one value per matching. Raises
        :class:`~kerb.NoRouteError` when nothing could be matched.
        """
        gpd = _geopandas()
        import pandas as pd
        import shapely

        lons, lats = as_lonlat(trace)
        datetimes = False
        times = np.empty(0, dtype=np.float64)
        cols = getattr(trace, "columns", [])
        if time is not None and time in cols:
            t = trace[time]
            if pd.api.types.is_datetime64_any_dtype(t):
                datetimes = True
                t = pd.to_datetime(t, utc=True)
                times = ((t - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)).to_numpy(
                    dtype=np.float64
                )
            else:
                times = t.to_numpy(dtype=np.float64)
        acc = np.empty(0, dtype=np.float64)
        if accuracy is not None:
            if accuracy not in cols:
                raise InvalidInputError(f"trace has no accuracy column {accuracy!r}")
            acc = trace[accuracy].to_numpy(dtype=np.float64)
        r = self._g.match_trace(
            lons,
            lats,
            np.ascontiguousarray(times),
            np.ascontiguousarray(acc),
            _radius(radius_m),
            sigma_m,
            max_gap_s,
        )
        counts = np.diff(r["geometry_offsets"])
        coords = np.column_stack([r["geometry_lon"], r["geometry_lat"]])
        lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts))
        data = {
            k: r[k]
            for k in (
                "matching",
                "edge",
                "from_fraction",
                "to_fraction",
                "distance_m",
                "duration_s",
                "enter_s",
                "exit_s",
            )
        }
        if datetimes:
            for k in ("enter", "exit"):
                data[f"{k}_time"] = pd.to_datetime(r[f"{k}_s"], unit="s", utc=True)
        out = gpd.GeoDataFrame(data, geometry=lines, crs="EPSG:4326")
        out.attrs["tracepoints"] = pd.DataFrame(
            {
                "lon": r["tp_lon"],
                "lat": r["tp_lat"],
                "distance_m": r["tp_distance_m"],
                "matching": r["tp_matching"],
            }
        )
        out.attrs["confidence"] = [float(c) for c in r["confidence"]]
        return out

    def nodes_gdf(self) -> Any:
        """Nodes as a GeoDataFrame (index ``node``), with OSMnx's column names.

        Columns: ``lon``, ``lat`` and their OSMnx names ``x``, ``y``; ``osmid`` (the OSM node,
        -1 in graph files without OSM ids; the two sides of a split barrier share one);
        ``street_count`` (streets meeting at the node, as OSMnx counts them) and ``geometry``
        (EPSG:4326).
        """
        gpd = _geopandas()
        lon, lat = self._g.nodes()
        extra = self._g.node_columns()
        df = gpd.GeoDataFrame(
            {
                "lon": lon,
                "lat": lat,
                "x": lon,
                "y": lat,
                "osmid": extra["osmid"],
                "street_count": extra["street_count"],
            },
            geometry=gpd.points_from_xy(lon, lat),
            crs="EPSG:4326",
        )
        df.index.name = "node"
        return df

    def _edge_columns(self) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """The edge table's columns (kerb and OSMnx names) and the raw Rust dict."""
        import pandas as pd

        e = self._g.edges()
        lanes = pd.array(e["lanes"], dtype="Int64")
        lanes[e["lanes"] == 0] = pd.NA
        cols = {
            "from": e["from"],
            "to": e["to"],
            "distance_m": e["distance_m"],
            "duration_s": e["duration_s"],
            "name": e["name"],
            "road_class": e["road_class"],
            "routable": e["routable"],
            "u": e["from"],
            "v": e["to"],
            "key": e["key"],
            "osmid": e["osmid"],
            "length": e["distance_m"],
            "travel_time": e["duration_s"],
            "highway": e["road_class"],
            "oneway": e["oneway"],
            "maxspeed": e["maxspeed"],
            "lanes": lanes,
        }
        return cols, e

    def edges_gdf(self) -> Any:
        """Directed edges as a GeoDataFrame (index ``edge``), OSMnx-style.

        kerb's columns: ``from``, ``to`` (node ids), ``distance_m``, ``duration_s``, ``name``,
        ``road_class``, ``routable`` (False on islands too small to route on, which
        :meth:`snap` and :meth:`nearest` leave out); the same under OSMnx's names and OSMnx's
        extra columns: ``u``, ``v``, ``key`` (0, 1, ... among parallel edges), ``osmid`` (the
        OSM way, -1 in graph files without OSM ids), ``length`` (m), ``travel_time`` (s),
        ``highway``, ``oneway`` (no edge runs the other way), ``maxspeed`` (posted, km/h; NaN
        when untagged, inf for no limit), ``lanes`` (nullable integer); and the edge
        ``geometry`` (LineString, EPSG:4326).
        """
        gpd = _geopandas()
        import shapely

        cols, e = self._edge_columns()
        offsets = e["geometry_offsets"]
        counts = np.diff(offsets)
        line_of_coord = np.repeat(np.arange(len(counts)), counts)
        coords = np.column_stack([e["geometry_lon"], e["geometry_lat"]])
        lines = shapely.linestrings(coords, indices=line_of_coord)
        df = gpd.GeoDataFrame(cols, geometry=lines, crs="EPSG:4326")
        df.index.name = "edge"
        return df

    def to_networkx(self, *, geometry: bool = False) -> Any:
        """The road graph as a networkx ``MultiDiGraph`` with OSMnx's attribute names.

        Nodes are kerb node ids (as in :meth:`nodes_gdf`) with ``x``, ``y`` (lon/lat),
        ``osmid`` and ``street_count``; each directed edge ``(u, v, key)`` has ``osmid`` (OSM
        way), ``length`` (m), ``travel_time`` (s), ``name``, ``highway``, ``oneway``,
        ``maxspeed``, ``lanes``, ``routable`` and kerb's ``edge`` id (plus a shapely
        ``geometry`` with ``geometry=True``). The graph attribute ``crs`` is ``"EPSG:4326"``,
        so OSMnx functions (``ox.plot_graph``, ``ox.graph_to_gdfs``,
        ``ox.shortest_path``) accept it. Turn restrictions and turn costs have no place in a
        node graph: kerb's own routes respect them, networkx paths on this graph do not.
        """
        try:
            import networkx as nx
        except ImportError:
            raise ImportError("to_networkx needs networkx: pip install networkx") from None
        cols, e = self._edge_columns()
        lon, lat = self._g.nodes()
        extra = self._g.node_columns()
        G = nx.MultiDiGraph(crs="EPSG:4326", name=f"kerb {self.profile}")
        G.add_nodes_from(
            (
                int(n),
                {"x": float(x), "y": float(y), "osmid": int(o), "street_count": int(c)},
            )
            for n, (x, y, o, c) in enumerate(
                zip(lon, lat, extra["osmid"], extra["street_count"])
            )
        )
        names = ("osmid", "length", "travel_time", "name", "highway", "oneway", "maxspeed")
        raw_lanes = e["lanes"].tolist()
        lines: Any = None
        if geometry:
            import shapely

            counts = np.diff(e["geometry_offsets"])
            coords = np.column_stack([e["geometry_lon"], e["geometry_lat"]])
            lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts))
        values = [np.asarray(cols[n]).tolist() for n in names]
        routable = np.asarray(cols["routable"]).tolist()
        u, v, key = cols["u"].tolist(), cols["v"].tolist(), cols["key"].tolist()
        for i in range(len(u)):
            attrs = {n: values[j][i] for j, n in enumerate(names)}
            attrs["lanes"] = raw_lanes[i] or None
            attrs["routable"] = routable[i]
            attrs["edge"] = i
            if lines is not None:
                attrs["geometry"] = lines[i]
            G.add_edge(u[i], v[i], key=key[i], **attrs)
        return G


_OPEN: Dict[Tuple[str, int], "Graph"] = {}


def _open_customized(path: str, profile_json: str) -> "Graph":
    """Unpickle a customized graph: the file opened once per process, then customized."""
    return _open_cached(path).customize(json.loads(profile_json) if profile_json.startswith("{") else profile_json)


def _open_cached(path: str) -> "Graph":
    """Open a graph file once per process (keyed by path and modification time)."""
    key = (path, os.stat(path).st_mtime_ns)
    g = _OPEN.get(key)
    if g is None:
        g = Graph.load(path)
        _OPEN[key] = g
    return g


def _geopandas() -> Any:
    try:
        import geopandas
    except ImportError:
        raise ImportError(
            "this method needs geopandas: pip install 'kerb[geo]' (geopandas, shapely)"
        ) from None
    return geopandas
