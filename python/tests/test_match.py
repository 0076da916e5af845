"""Graph.match: GPS traces along real Helsinki routes matched back onto the roads."""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np
import pandas as pd
import pytest
import shapely

import kerb


def _trace(graph: kerb.Graph, noise_m: float = 5.0, step_m: float = 40.0) -> Tuple[Any, ...]:
    route = graph.route((24.9384, 60.1699), (24.9500, 60.1750))
    line = route.geometry
    # Distances along the route in degrees of the line, every ~step_m metres.
    n = max(3, int(route.distance_m / step_m))
    pts = [line.interpolate(f, normalized=True) for f in np.linspace(0.0, 1.0, n)]
    rng = np.random.default_rng(3)
    lon = np.array([p.x for p in pts]) + rng.normal(0, noise_m / 55_000.0, n)
    lat = np.array([p.y for p in pts]) + rng.normal(0, noise_m / 111_000.0, n)
    times = np.arange(n, dtype=np.float64) * 5.0
    return route, pd.DataFrame({"lon": lon, "lat": lat, "time": times})


def test_match_returns_driven_edges_with_times(graph: kerb.Graph) -> None:
    route, df = _trace(graph)
    m = graph.match(df)
    assert len(m) > 0
    assert m.crs.to_epsg() == 4326
    assert set(m["matching"]) == {0}
    assert abs(m["distance_m"].sum() - route.distance_m) < 0.1 * route.distance_m
    assert (m["exit_s"] >= m["enter_s"]).all()
    assert (np.diff(m["enter_s"].to_numpy()) >= -1e-9).all()
    assert m["enter_s"].iloc[0] >= 0 and m["exit_s"].iloc[-1] <= df["time"].iloc[-1] + 1e-9
    # Edge ids are the graph's directed edges, with geometries along them.
    edges = graph.edges_gdf()
    assert m["edge"].isin(edges.index).all()
    assert all(g.geom_type == "LineString" for g in m.geometry)
    tp = m.attrs["tracepoints"]
    assert len(tp) == len(df)
    assert (tp["matching"] == 0).sum() >= len(df) - 2
    assert tp["distance_m"].max() < 40
    assert 0 < m.attrs["confidence"][0] <= 1


def test_match_accepts_geodataframes_and_datetimes(graph: kerb.Graph) -> None:
    import geopandas as gpd

    _, df = _trace(graph)
    gdf = gpd.GeoDataFrame(
        {"time": pd.Timestamp("2026-03-02 07:00", tz="UTC") + pd.to_timedelta(df["time"], "s")},
        geometry=gpd.points_from_xy(df["lon"], df["lat"]),
        crs="EPSG:4326",
    ).to_crs("EPSG:3067")
    m = graph.match(gdf)
    assert str(m["enter_time"].dt.tz) == "UTC"
    assert m["enter_time"].iloc[0] >= pd.Timestamp("2026-03-02 07:00", tz="UTC")
    plain = graph.match(df)
    assert list(m["edge"]) == list(plain["edge"])


def test_match_errors_are_typed(graph: kerb.Graph) -> None:
    _, df = _trace(graph)
    with pytest.raises(kerb.InvalidInputError):
        graph.match(df, accuracy="hdop")
    with pytest.raises(kerb.InvalidInputError):
        graph.match(df.iloc[:1])
    sea = pd.DataFrame({"lon": [25.3, 25.301], "lat": [59.9, 59.9]})
    with pytest.raises(kerb.NoRouteError):
        graph.match(sea)
    backwards = df.assign(time=df["time"][::-1].to_numpy())
    with pytest.raises(kerb.InvalidInputError, match="before the previous one"):
        graph.match(backwards)
