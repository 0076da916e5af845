"""Type stubs of the compiled extension ``kerb._kerb`` (Rust, pyo3).

Users call :class:`kerb.Graph`, which wraps :class:`Graph` below and accepts richer inputs. All
methods raise subclasses of :class:`kerb.KerbError` (see :mod:`kerb.exceptions`).
"""

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

def profiles() -> List[str]:
    """Names of the built-in vehicle profiles (``"car"``, ``"truck"``, ``"refuse-7.5t"``,
    ``"refuse-32t"``)."""

class Graph:
    """Immutable road graph for one vehicle profile (Rust ``kerb_core::Graph``)."""

    @staticmethod
    def from_pbf(path: str, profile: str) -> "Graph":
        """Import an OSM PBF extract for ``profile`` (a preset name, a profile JSON file or
        profile JSON text); raises ``ProfileError``, ``PbfError``, ``GraphFileNotFoundError``."""
    @staticmethod
    def from_file(path: str, profile: str) -> "Graph":
        """Import ``.pbf``, ``.osm`` or ``.osm.gz`` (recognised by name, else by content)."""
    @staticmethod
    def open(path: str) -> "Graph":
        """Open a graph file; raises ``GraphFileError`` (bad magic, version, checksum, truncated)."""
    def customize(self, profile: str) -> "Graph":
        """The same roads for another profile (a preset name, a profile JSON file or profile
        JSON text): CH for the
        imported profile, a CCH customization otherwise."""
    @property
    def engine(self) -> str:
        """``"ch"``, ``"cch"`` or ``"dijkstra"``."""
    def save(self, path: str) -> None:
        """Write the versioned graph file."""
    @property
    def profile(self) -> str:
        """Profile name."""
    @property
    def profile_json(self) -> str:
        """The profile as profile JSON text."""
    @property
    def num_nodes(self) -> int:
        """Number of nodes."""
    @property
    def num_edges(self) -> int:
        """Number of directed edges."""
    @property
    def bbox(self) -> Tuple[float, float, float, float]:
        """``(min_lon, min_lat, max_lon, max_lat)``."""
    def info(self) -> Dict[str, Any]:
        """``profile``, ``num_nodes``, ``num_edges``, ``bbox``."""
    def nearest(
        self, lon: float, lat: float, k: int, max_distance_m: Optional[float] = None
    ) -> List[Dict[str, Any]]:
        """The ``k`` nearest distinct roads (dicts: edge, fraction, lon, lat, distance_m, side, name)
        within ``max_distance_m`` (default: the snapping radius); none raises ``NoSegmentError``."""
    def snap(
        self,
        lons: npt.NDArray[np.float64],
        lats: npt.NDArray[np.float64],
        radius_m: Optional[float],
        strict: bool,
    ) -> Dict[str, Any]:
        """Parallel snapping; column arrays ``edge`` (int64, -1 = none when not strict),
        ``fraction``, ``lon``, ``lat``, ``distance_m``, ``side`` (int8: 0 on, 1 left, 2 right)
        and ``name`` (list of str)."""
    def route(
        self,
        lons: npt.NDArray[np.float64],
        lats: npt.NDArray[np.float64],
        curb: bool,
        radius_m: Optional[float],
        weights: Optional[npt.NDArray[np.float64]] = None,
        depart_at: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Route through the points in order: ``distance_m``, ``duration_s``, ``weight`` (the
        cost under ``weights``, else None), ``coords`` (``(N, 2)`` float64 lon/lat), ``legs``
        (list of dicts), ``polyline`` (precision 5), per driven piece ``edge``, ``leg``,
        ``from_fraction``, ``to_fraction``, ``segment_distance_m``, ``segment_duration_s``,
        ``segment_osmid``, and the ``nodes`` / ``osm_nodes`` passed."""
    def match_trace(
        self,
        lons: npt.NDArray[np.float64],
        lats: npt.NDArray[np.float64],
        times: npt.NDArray[np.float64],
        accuracy_m: npt.NDArray[np.float64],
        radius_m: Optional[float],
        sigma_m: Optional[float],
        max_gap_s: Optional[float],
    ) -> Dict[str, Any]:
        """Match a GPS trace: edge passes (``edge``, ``matching``, ``from_fraction``,
        ``to_fraction``, ``distance_m``, ``duration_s``, ``enter_s``, ``exit_s``,
        ``geometry_lon/lat/offsets``), tracepoints (``tp_lon``, ``tp_lat``, ``tp_distance_m``,
        ``tp_matching``) and ``confidence`` per matching, as numpy arrays."""
    def matrix(
        self,
        src_lons: npt.NDArray[np.float64],
        src_lats: npt.NDArray[np.float64],
        dst_lons: npt.NDArray[np.float64],
        dst_lats: npt.NDArray[np.float64],
        curb: bool,
        radius_m: Optional[float],
        coerce: bool = False,
        weights: Optional[npt.NDArray[np.float64]] = None,
        depart_at: Optional[str] = None,
    ) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """``(durations_s, distances_m)``, each ``(len(src), len(dst))`` float64, inf = unreachable,
        NaN rows/columns for points that fail to snap when ``coerce``; with ``weights`` the
        first is the cost under them. Runs in parallel with the GIL released."""
    def pairwise(
        self,
        src_lons: npt.NDArray[np.float64],
        src_lats: npt.NDArray[np.float64],
        dst_lons: npt.NDArray[np.float64],
        dst_lats: npt.NDArray[np.float64],
        curb: bool,
        radius_m: Optional[float],
        coerce: bool = False,
    ) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """One-to-one trips ``src[i] -> dst[i]``: ``(durations_s, distances_m)``, inf = unreachable,
        NaN for a trip with an end that fails to snap when ``coerce``."""
    def aggregate(
        self,
        origin_lons: npt.NDArray[np.float64],
        origin_lats: npt.NDArray[np.float64],
        lons: npt.NDArray[np.float64],
        lats: npt.NDArray[np.float64],
        values: npt.NDArray[np.float64],
        within: float,
        how: str,
        weights: Optional[npt.NDArray[np.float64]],
        curb: bool,
        radius_m: Optional[float],
        coerce: bool,
    ) -> npt.NDArray[np.float64]:
        """Per origin, ``how`` of the values of the points reachable within ``within``."""
    def nearest_pois(
        self,
        origin_lons: npt.NDArray[np.float64],
        origin_lats: npt.NDArray[np.float64],
        lons: npt.NDArray[np.float64],
        lats: npt.NDArray[np.float64],
        k: int,
        max: float,
        weights: Optional[npt.NDArray[np.float64]],
        curb: bool,
        radius_m: Optional[float],
        coerce: bool,
    ) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """``(times, pois)``, each ``(origins, k)``: inf / -1 where fewer are in reach."""
    def isochrones(
        self, lon: float, lat: float, limits_s: List[float], curb: bool, radius_m: Optional[float]
    ) -> List[Dict[str, Any]]:
        """One dict per limit: ``limit_s``, ``area_km2``, ``road_km``, ``exterior`` ``(N, 2)``
        lon/lat ring and ``interiors`` (list of rings)."""
    def reachable(
        self, lon: float, lat: float, max_s: float, curb: bool, radius_m: Optional[float]
    ) -> Dict[str, npt.NDArray[Any]]:
        """Columns ``edge``, ``from_fraction``, ``to_fraction``, ``start_s``, ``end_s``."""
    def nodes(self) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Node longitudes and latitudes, indexed by node id."""
    def node_columns(self) -> Dict[str, npt.NDArray[np.int64]]:
        """Per node ``osmid`` (-1 without OSM ids) and ``street_count``."""
    def edges(self) -> Dict[str, Any]:
        """Edge columns ``from``, ``to``, ``distance_m``, ``duration_s``, ``name``,
        ``road_class``, ``routable``, ``osmid``, ``key``, ``oneway``, ``maxspeed`` (NaN untagged),
        ``lanes`` (0 untagged) and geometry flattened as ``geometry_lon``, ``geometry_lat``,
        ``geometry_offsets`` (edge ``i`` owns coordinates ``offsets[i]:offsets[i+1]``)."""

def plan(
    problem_json: str,
    graph: Optional[Graph] = None,
    curb: bool = False,
    radius_m: Optional[float] = None,
    iterations: Optional[int] = None,
    time_limit_s: Optional[float] = None,
    threads: Optional[int] = None,
    seed: Optional[int] = None,
) -> str:
    """Solve a VROOM-style problem (JSON text); returns VROOM-style output JSON. Coordinates
    are routed on ``graph``. ``None`` options take kerb-api's defaults (20,000 iterations
    unless a time limit is given, one thread, seed 1). Runs with the GIL released."""

class CollectionPlan:
    """A planned collection day (Rust ``kerb_collect::CollectionPlan``) with the day it answers.
    Wrapped by :class:`kerb.CollectionPlan`."""

    def to_json(self, pretty: bool = False) -> str:
        """The plan as JSON text (the ``kerb collect -o`` format)."""
    def to_geojson(self) -> str:
        """Routes and stops as a GeoJSON FeatureCollection (text)."""
    def day_json(self) -> str:
        """The validated collection day as JSON text, defaults filled in."""
    def to_html(self, graph: Graph) -> str:
        """Self-contained HTML map of the plan over ``graph``'s roads (GIL released)."""

def plan_collection(graph: Graph, day_json: str, graphs: List[Graph] = ...) -> CollectionPlan:
    """Plan a collection day given as kerb-collect JSON text on ``graph``, GIL released; a
    truck naming a profile is planned on the graph of that profile among ``graphs``.
    Raises ``PlanInputError`` for a malformed day (or a depot/disposal site off the roads),
    ``PlanError`` when the planner fails."""

def sample_day(graph: Graph, n_bins: int, trucks: int, seed: int, streets: int = 0) -> str:
    """A seeded sample collection day on ``graph`` as JSON text."""

def plan_week(
    graph: Graph,
    week_json: str,
    policy: str = "forecast",
    iterations: Optional[int] = None,
    time_limit_s: Optional[float] = None,
    threads: Optional[int] = None,
    seed: Optional[int] = None,
) -> str:
    """Plan a collection week (kerb-collect week JSON text) on ``graph``; the plan as JSON text.
    Raises ``PlanInputError`` for a malformed week or policy, ``PlanError`` when planning fails."""

def sample_week(graph: Graph, n_bins: int, trucks: int, seed: int) -> str:
    """A seeded sample collection week on ``graph`` as JSON text."""
