"""Turn the many ways a user holds points into two float64 arrays (lon, lat).

Accepted everywhere kerb takes coordinates: a ``(lon, lat)`` pair, an ``(N, 2)`` array-like or a
list of pairs, a shapely ``Point`` or sequence of them, a GeoSeries / GeoDataFrame of points (any
CRS: it is transformed to EPSG:4326), or a DataFrame with lon/lat (or x/y, lng, longitude/latitude)
columns. Values are not range-checked here: the Rust library does that and raises
:class:`~kerb.InvalidCoordinateError`.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from .exceptions import InvalidInputError

_LON_NAMES = ("lon", "lng", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")


def _is_geoseries(obj: Any) -> bool:
    return hasattr(obj, "crs") and hasattr(obj, "geom_type") and hasattr(obj, "to_crs")


def _geoseries_lonlat(gs: Any) -> Tuple[np.ndarray, np.ndarray]:
    missing = gs.isna() | gs.is_empty
    if missing.any():
        labels = list(gs.index[missing.to_numpy()][:5])
        raise InvalidInputError(
            f"{int(missing.sum())} missing or empty geometries (None, NaN or POINT EMPTY) at "
            f"index {labels}{' ...' if missing.sum() > 5 else ''}: every row needs a Point; "
            "drop them first (e.g. gdf[~gdf.geometry.is_empty & gdf.geometry.notna()])"
        )
    kinds = gs.geom_type
    other = kinds != "Point"
    if other.any():
        labels = list(gs.index[other.to_numpy()][:5])
        raise InvalidInputError(
            f"expected only Point geometries, found {sorted(set(map(str, kinds[other])))} at "
            f"index {labels}{' ...' if other.sum() > 5 else ''}"
        )
    if gs.crs is not None and not gs.crs.equals("EPSG:4326"):
        gs = gs.to_crs(4326)
    return _pair(gs.x.to_numpy(), gs.y.to_numpy())


def _pair(lons: Any, lats: Any) -> Tuple[np.ndarray, np.ndarray]:
    try:
        x = np.ascontiguousarray(lons, dtype=np.float64)
        y = np.ascontiguousarray(lats, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InvalidInputError(f"coordinates must be numbers: {e}") from None
    if x.ndim == 0:
        x, y = x.reshape(1), y.reshape(1)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise InvalidInputError(
            f"lons and lats must be 1-D arrays of equal length, got shapes {x.shape} and {y.shape}"
        )
    return x, y


def as_lonlat(points: Any, lats: Optional[Any] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Return ``(lons, lats)`` as contiguous float64 1-D arrays of equal length.

    With ``lats`` given, ``points`` holds the longitudes (pandana's ``x, y`` style).
    """
    if lats is not None:
        return _pair(points, lats)
    if hasattr(points, "geometry") and _is_geoseries(getattr(points, "geometry", None)):
        return _geoseries_lonlat(points.geometry)
    if _is_geoseries(points):
        return _geoseries_lonlat(points)
    if getattr(points, "geom_type", None) == "Point":  # a single shapely Point
        return _pair(points.x, points.y)
    if hasattr(points, "columns"):  # a plain DataFrame with coordinate columns
        cols = {str(c).lower(): c for c in points.columns}
        lon = next((cols[n] for n in _LON_NAMES if n in cols), None)
        lat = next((cols[n] for n in _LAT_NAMES if n in cols), None)
        if lon is None or lat is None:
            raise InvalidInputError(
                f"DataFrame needs lon/lat (or x/y) columns, has {list(points.columns)}"
            )
        return _pair(points[lon].to_numpy(), points[lat].to_numpy())
    try:
        arr = np.asarray(points)
    except ValueError as e:  # ragged nested lists
        raise InvalidInputError(f"points must be an (N, 2) array of (lon, lat): {e}") from None
    if arr.dtype == object:
        return _object_points(arr)
    if arr.ndim == 1 and arr.shape[0] == 2:
        arr = arr.reshape(1, 2)
    if arr.ndim == 2 and arr.shape[0] == 0:
        arr = arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InvalidInputError(
            f"points must be an (N, 2) array of (lon, lat), got shape {arr.shape}"
        )
    return _pair(arr[:, 0], arr[:, 1])


def _object_points(arr: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    flat = arr.ravel()
    if len(flat) and all(getattr(p, "geom_type", None) == "Point" for p in flat):
        return _pair([p.x for p in flat], [p.y for p in flat])
    raise InvalidInputError("points must be (lon, lat) numbers or shapely Points")
