"""Snapping, routes and matrices: shapes, dtypes, input containers and self-consistency."""

from __future__ import annotations

import threading
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import kerb


def test_nearest_returns_the_closest_road(graph: kerb.Graph, points: np.ndarray) -> None:
    lon, lat = points[0]
    s = graph.nearest(lon, lat)
    assert set(s) >= {"edge", "fraction", "lon", "lat", "distance_m", "side", "name"}
    assert 0.0 <= s["fraction"] <= 1.0
    assert s["side"] in ("left", "right", "on")
    several = graph.nearest(lon, lat, k=3)
    assert len(several) == 3
    d = [x["distance_m"] for x in several]
    assert d == sorted(d) and d[0] == pytest.approx(s["distance_m"])


def test_vectorised_snap_equals_nearest(graph: kerb.Graph, points: np.ndarray) -> None:
    df = graph.snap(points[:, 0], points[:, 1])
    assert isinstance(df, pd.DataFrame) and len(df) == len(points)
    assert df["edge"].dtype == np.int64 and df["distance_m"].dtype == np.float64
    for i in range(0, len(points), 7):
        one = graph.nearest(*points[i])
        assert df["distance_m"].iloc[i] == pytest.approx(one["distance_m"], abs=1e-6)
        assert (df["lon"].iloc[i], df["lat"].iloc[i]) == pytest.approx((one["lon"], one["lat"]))
    np.testing.assert_array_equal(df["input_lon"], points[:, 0])


def test_snap_accepts_every_point_container(graph: kerb.Graph, points: np.ndarray) -> None:
    p = points[:15]
    ref = graph.snap(p)["distance_m"].to_numpy()
    tuples = [tuple(x) for x in p]
    frame = pd.DataFrame({"lon": p[:, 0], "lat": p[:, 1]}, index=range(100, 115))
    geo = gpd.GeoDataFrame(geometry=gpd.points_from_xy(p[:, 0], p[:, 1]), crs=4326)
    for container in (tuples, frame, geo, geo.geometry, list(geo.geometry), geo.to_crs(3067)):
        got = graph.snap(container)
        np.testing.assert_allclose(got["distance_m"].to_numpy(), ref, atol=1e-3)
    assert list(graph.snap(frame).index) == list(range(100, 115))
    out = graph.snap(geo.to_crs(3067))
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 3067


def test_snap_keeps_input_columns_and_crs(graph: kerb.Graph, points: np.ndarray) -> None:
    p = points[:5]
    frame = pd.DataFrame(
        {"bin": list("abcde"), "lon": p[:, 0], "lat": p[:, 1], "name": ["x"] * 5},
        index=range(10, 15),
    )
    out = graph.snap(frame)
    assert list(out.columns[:2]) == ["bin", "input_name"]
    assert list(out["bin"]) == list("abcde") and list(out.index) == list(range(10, 15))
    np.testing.assert_array_equal(out["input_lon"], p[:, 0])
    geo = gpd.GeoDataFrame(
        {"weight_kg": [1.0, 2, 3, 4, 5]}, geometry=gpd.points_from_xy(p[:, 0], p[:, 1]), crs=4326
    ).to_crs(3067)
    got = graph.snap(geo)
    assert got.crs.to_epsg() == 3067 and list(got["weight_kg"]) == [1.0, 2, 3, 4, 5]
    back = got.to_crs(4326).geometry
    np.testing.assert_allclose(back.x, got["lon"], atol=1e-7)
    np.testing.assert_allclose(back.y, got["lat"], atol=1e-7)


def test_matrix_of_labelled_frames_is_labelled(graph: kerb.Graph, points: np.ndarray) -> None:
    src = pd.DataFrame({"lon": points[:3, 0], "lat": points[:3, 1]}, index=["a", "b", "c"])
    dst = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(points[3:7, 0], points[3:7, 1]), crs=4326, index=[7, 8, 9, 10]
    )
    m = graph.matrix(src, dst)
    assert isinstance(m, pd.DataFrame)
    assert list(m.index) == ["a", "b", "c"]
    assert list(m.columns) == [7, 8, 9, 10]  # type: ignore[comparison-overlap]
    np.testing.assert_array_equal(m.to_numpy(), graph.matrix(points[:3], points[3:7]))
    square = graph.matrix(src, metric="both")
    assert all(list(x.columns) == ["a", "b", "c"] for x in square)
    assert isinstance(graph.matrix(points[:3]), np.ndarray)


def test_snap_coerce_marks_points_without_road(graph: kerb.Graph, points: np.ndarray) -> None:
    far = np.array([[25.5, 60.5]])  # ~40 km from the extract
    both = np.vstack([points[:2], far])
    df = graph.snap(both, radius_m=500, errors="coerce")
    assert list(df["edge"] >= 0) == [True, True, False]
    assert np.isnan(df["distance_m"].iloc[2])
    with pytest.raises(kerb.NoSegmentError):
        graph.snap(both, radius_m=500)


def test_route_object(graph: kerb.Graph, points: np.ndarray) -> None:
    a, b, c = points[0], points[1], points[2]
    r = graph.route(a, b)
    assert r.distance_m > 0 and r.duration_s > 0
    assert isinstance(r.geometry, shapely.LineString)
    assert r.coords.shape[1] == 2 and r.coords.dtype == np.float64
    gj = r.to_geojson()
    assert gj["geometry"]["type"] == "LineString"
    assert gj["properties"]["distance_m"] == r.distance_m
    assert isinstance(r.polyline, str) and len(r.polyline) > 4
    via = graph.route(a, c, via=[b])
    assert len(via.legs) == 2
    assert sum(leg["duration_s"] for leg in via.legs) == pytest.approx(via.duration_s)
    # Going through b is never faster than going straight.
    assert via.duration_s >= graph.route(a, c).duration_s - 1e-6
    assert graph.route(shapely.Point(a), shapely.Point(b)).distance_m == r.distance_m


def test_curb_approach_is_never_shorter(graph: kerb.Graph, points: np.ndarray) -> None:
    for i in range(0, 10, 2):
        free = graph.route(points[i], points[i + 1])
        curb = graph.route(points[i], points[i + 1], approach="curb")
        assert curb.duration_s >= free.duration_s - 1e-6


def test_matrix_shape_dtype_and_route_agreement(graph: kerb.Graph, points: np.ndarray) -> None:
    src, dst = points[:12], points[12:20]
    dur = graph.matrix(src, dst)
    assert dur.shape == (12, 8) and dur.dtype == np.float64
    dist = graph.matrix(src, dst, metric="distance")
    both = graph.matrix(src, dst, metric="both")
    np.testing.assert_array_equal(both[0], dur)
    np.testing.assert_array_equal(both[1], dist)
    finite = np.isfinite(dur)
    assert finite.mean() > 0.8
    for i, j in zip(*np.nonzero(finite)):
        if (i + j) % 5:
            continue
        r = graph.route(src[i], dst[j])
        assert dur[i, j] == pytest.approx(r.duration_s, rel=1e-6, abs=1e-3)
        assert dist[i, j] == pytest.approx(r.distance_m, rel=1e-5, abs=0.05)  # matrix keeps cm


def test_square_matrix_defaults_to_origins(graph: kerb.Graph, points: np.ndarray) -> None:
    m = graph.matrix(points[:10])
    assert m.shape == (10, 10)
    np.testing.assert_allclose(np.diag(m), 0.0, atol=1e-9)
    np.testing.assert_array_equal(m, graph.matrix(points[:10], points[:10]))


def test_matrix_releases_the_gil(graph: kerb.Graph, points: np.ndarray) -> None:
    pts = np.tile(points, (6, 1))  # 360 x 360
    t0 = time.perf_counter()
    graph.matrix(pts)
    serial = time.perf_counter() - t0
    done = threading.Event()
    worker = threading.Thread(target=lambda: (graph.matrix(pts), done.set()))  # type: ignore[func-returns-value]
    ticks = []
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    # With the GIL held for the whole call this thread could not tick at all meanwhile.
    gaps = np.diff(ticks) if len(ticks) > 1 else np.array([serial])
    assert len(ticks) > 3 and gaps.max() < max(0.6 * serial, 0.05), (serial, gaps.max())


def test_pairwise_equals_one_route_per_pair(graph: kerb.Graph, points: np.ndarray) -> None:
    a, b = points[:30], points[30:60]
    dur, dist = graph.pairwise(a, b, metric="both")
    assert dur.shape == (30,) and dur.dtype == np.float64
    for i in range(0, 30, 3):
        r = graph.route(tuple(a[i]), tuple(b[i]))
        assert dur[i] == pytest.approx(r.duration_s, abs=1e-6)
        assert dist[i] == pytest.approx(r.distance_m, abs=1e-3)
    np.testing.assert_array_equal(graph.pairwise(a, b), dur)
    with pytest.raises(kerb.InvalidInputError, match="as many"):
        graph.pairwise(a, b[:5])
