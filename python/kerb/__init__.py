"""kerb: routing for service vehicles (refuse trucks) from Python.

Load an OpenStreetMap extract into a :class:`Graph`, snap points to roads, compute routes and
numpy travel-time matrices, and plan waste-collection days (:func:`plan_collection`: routes and
stops as GeoDataFrames). All routing runs in the Rust library, in parallel and without the
GIL; this package converts inputs (numpy arrays, lists of ``(lon, lat)``, GeoDataFrames) and
packages outputs (numpy, pandas, shapely/geopandas).
"""

from ._collect import (
    CollectionPlan,
    bins_from_frame,
    plan_collection,
    sample_day,
    streets_from_frame,
)
from ._coords import as_lonlat
from ._graph import (
    Aggregation,
    ApproachName,
    Errors,
    Graph,
    MatrixFrame,
    Metric,
    Route,
    RouteOutput,
    Weights,
)
from ._kerb import __version__, profiles
from .exceptions import (
    EmptyGraphError,
    GraphFileError,
    GraphFileNotFoundError,
    InvalidCoordinateError,
    InvalidInputError,
    KerbError,
    NoRouteError,
    NoSegmentError,
    PbfError,
    PlanError,
    PlanInputError,
    ProfileError,
)
from ._plan import plan
from ._week import WeekPlan, plan_week, sample_week
from . import exceptions

__all__ = [
    "Graph",
    "Route",
    # Option types of the Graph methods (typing.Literal), for annotating callers.
    "Metric",
    "ApproachName",
    "Errors",
    "RouteOutput",
    "MatrixFrame",
    "Aggregation",
    "Weights",
    "as_lonlat",
    "profiles",
    "__version__",
    "exceptions",
    # kerb.exceptions.__all__, spelled out so that type checkers see the re-exports.
    "KerbError",
    "InvalidCoordinateError",
    "InvalidInputError",
    "NoSegmentError",
    "NoRouteError",
    "GraphFileError",
    "GraphFileNotFoundError",
    "PbfError",
    "ProfileError",
    "EmptyGraphError",
    "PlanError",
    "PlanInputError",
    "plan",
    "plan_collection",
    "CollectionPlan",
    "sample_day",
    "bins_from_frame",
    "streets_from_frame",
    "plan_week",
    "sample_week",
    "WeekPlan",
]
