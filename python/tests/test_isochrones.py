"""Isochrones and reachability: polygons that grow with the budget, reach times that agree with
routes, and typed errors for bad budgets."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import kerb

ORIGIN = (24.9384, 60.1699)


def test_isochrones_are_polygons_growing_with_the_budget(graph: kerb.Graph) -> None:
    iso = graph.isochrones(ORIGIN, [2, 5, 10])
    assert isinstance(iso, gpd.GeoDataFrame) and iso.crs.to_epsg() == 4326
    assert list(iso["minutes"]) == [10.0, 5.0, 2.0]  # largest first
    assert all(g.geom_type == "Polygon" and g.is_valid for g in iso.geometry)
    assert iso["road_km"].is_monotonic_decreasing and iso["area_km2"].is_monotonic_decreasing
    # The origin's road lies inside (or on the outline of) every polygon.
    snapped = graph.nearest(*ORIGIN)
    p = shapely.Point(snapped["lon"], snapped["lat"])
    assert all(g.intersects(p) for g in iso.geometry)
    one = graph.isochrones(ORIGIN, 5)
    assert len(one) == 1 and one["road_km"].iloc[0] == pytest.approx(iso["road_km"].iloc[1])


def test_reach_times_agree_with_routes(graph: kerb.Graph) -> None:
    r = graph.reachable(ORIGIN, 300.0)
    assert len(r) > 50
    assert (r["start_s"] <= 300.0 + 1e-6).all() and (r["from_fraction"] <= r["to_fraction"]).all()
    edges = graph.edges_gdf()
    # Edges of the main network only: a route's end snaps to it in preference to a nearer
    # trap or island (an edge reached but not left), which would end the route elsewhere.
    main = edges["routable"].to_numpy()[r["edge"].to_numpy()]
    full = r[(r["to_fraction"] == 1.0) & (r["end_s"] < 280.0) & main].sample(15, random_state=1)
    for _, row in full.iterrows():
        # A point just before the end of a fully reached edge: the route there takes at most
        # the reach time (the reverse direction of a two-way road may be quicker).
        line = edges.geometry.iloc[int(row["edge"])]
        q = line.interpolate(0.999, normalized=True)
        route = graph.route(ORIGIN, (q.x, q.y))
        assert route.duration_s <= row["end_s"] + 0.5


def test_bad_budgets_raise(graph: kerb.Graph) -> None:
    with pytest.raises(kerb.InvalidInputError, match="time limit"):
        graph.reachable(ORIGIN, 0.0)
    with pytest.raises(kerb.InvalidInputError):
        graph.isochrones(ORIGIN, [5, -1])
    with pytest.raises(kerb.InvalidInputError):
        graph.isochrones(ORIGIN, [])
    with pytest.raises(kerb.NoSegmentError):
        graph.isochrones((10.0, 10.0), 5)
