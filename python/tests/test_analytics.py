"""Graph analytics as OSMnx and pandana users expect them, on real extracts: OSM ids and tags
in the tables, route node/edge lists, networkx export checked against networkx's own
shortest paths, custom edge weights, accessibility aggregates and nearest POIs checked
against the matrix, and OSM XML input."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import kerb
from conftest import shared_data


def krems(suffix: str) -> Path:
    path = shared_data() / "osm" / f"graphhopper_krems.{suffix}"
    if not path.exists():
        pytest.skip(f"{path} is absent (shared data)")
    return path


@pytest.fixture(scope="module")
def krems_car() -> kerb.Graph:
    return kerb.Graph.from_file(krems("osm.pbf"), profile="car")


def test_osm_xml_gz_and_plain_give_the_pbf_graph(krems_car: kerb.Graph, tmp_path: Path) -> None:
    from_gz = kerb.Graph.from_file(krems("osm.gz"), profile="car")
    plain = tmp_path / "krems.osm"
    with gzip.open(krems("osm.gz"), "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    from_xml = kerb.Graph.from_file(plain, profile="car")
    # A name the reader does not know is recognised by its first bytes.
    odd = tmp_path / "krems.download"
    shutil.copy(plain, odd)
    from_odd = kerb.Graph.from_file(odd, profile="car")
    ref = krems_car.edges_gdf()
    for g in (from_gz, from_xml, from_odd):
        assert (g.num_nodes, g.num_edges) == (krems_car.num_nodes, krems_car.num_edges)
        e = g.edges_gdf()
        for col in ("osmid", "u", "v", "length", "travel_time", "name", "maxspeed", "oneway"):
            pd.testing.assert_series_equal(e[col], ref[col])
    # Not OSM at all: a typed error that names the file.
    bad = tmp_path / "notes.osm"
    bad.write_text("<html>not a map</html>")
    with pytest.raises(kerb.PbfError, match="notes.osm"):
        kerb.Graph.from_file(bad)
    with pytest.raises(FileNotFoundError) as e:
        kerb.Graph.from_file(tmp_path / "missing.osm.gz")
    assert e.value.filename and e.value.filename.endswith("missing.osm.gz")


def test_edges_gdf_has_osmnx_columns(graph: kerb.Graph) -> None:
    e = graph.edges_gdf()
    for col in ("osmid", "u", "v", "key", "length", "travel_time", "name", "highway"):
        assert col in e.columns
    for col in ("maxspeed", "oneway", "lanes"):
        assert col in e.columns
    assert (e["osmid"] > 0).all()
    assert (e["u"] == e["from"]).all() and (e["v"] == e["to"]).all()
    assert (e["length"] == e["distance_m"]).all() and (e["travel_time"] == e["duration_s"]).all()
    assert (e["highway"] == e["road_class"]).all()
    # key numbers the parallel edges of each (u, v) pair from 0.
    assert not e.duplicated(["u", "v", "key"]).any()
    assert (e.groupby(["u", "v"])["key"].max() + 1 == e.groupby(["u", "v"]).size()).all()
    # The tags are the way's: every edge cut from one way carries the same ones.
    per_way = e.groupby("osmid")[["name", "highway", "maxspeed"]].nunique(dropna=False)
    assert (per_way <= 1).all().all()
    assert e["maxspeed"].notna().mean() > 0.2 and (e["maxspeed"].dropna() > 0).all()
    assert str(e["lanes"].dtype) == "Int64" and (e["lanes"].dropna() >= 1).all()
    assert e["lanes"].notna().any()
    # oneway: an edge without a reverse (a two-way street appears as two edges).
    assert e["oneway"].dtype == bool and 0 < e["oneway"].mean() < 1
    two_way = e[~e["oneway"]]
    pairs = set(zip(two_way["u"], two_way["v"]))
    assert all((v, u) in pairs for u, v in pairs)


def test_nodes_gdf_has_osmids_and_street_counts(graph: kerb.Graph) -> None:
    n = graph.nodes_gdf()
    e = graph.edges_gdf()
    assert (n["x"] == n["lon"]).all() and (n["y"] == n["lat"]).all()
    assert (n["osmid"] > 0).all()
    # Every street end meets a node: the counts add up to twice the streets.
    streets = e["oneway"].sum() + (~e["oneway"]).sum() / 2
    assert n["street_count"].sum() == 2 * streets
    assert (n["street_count"] >= 1).all() and n["street_count"].max() >= 4
    # A route's OSM nodes are OSM ids of the graph's nodes or their geometry.
    pts = n.sample(2, random_state=1)[["x", "y"]].to_numpy()
    osm_nodes = graph.route(pts[0], pts[1], output="osm_nodes")
    assert set(n["osmid"]) & set(osm_nodes)


def test_to_networkx_shortest_paths_match_networkx(krems_car: kerb.Graph) -> None:
    nx = pytest.importorskip("networkx")
    G = krems_car.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    assert G.graph["crs"] == "EPSG:4326"
    assert (G.number_of_nodes(), G.number_of_edges()) == (
        krems_car.num_nodes,
        krems_car.num_edges,
    )
    u, v, k, data = next(iter(G.edges(keys=True, data=True)))
    assert {"osmid", "length", "travel_time", "name", "highway", "oneway", "edge"} <= set(data)
    assert {"x", "y", "osmid", "street_count"} <= set(G.nodes[u])
    nodes = krems_car.nodes_gdf()
    edges = krems_car.edges_gdf()
    junctions = nodes[nodes["street_count"] >= 3].sample(40, random_state=7)
    # Only junctions whose coordinate snaps onto the node itself (not onto a road crossing
    # there without meeting it, such as a bridge), so both searches start at the same place.
    s = krems_car.snap(junctions)
    at_start = (edges.loc[s["edge"], "u"].to_numpy() == junctions.index) & (s["fraction"] < 1e-6)
    at_end = (edges.loc[s["edge"], "v"].to_numpy() == junctions.index) & (s["fraction"] > 1 - 1e-6)
    junctions = junctions[(at_start | at_end).to_numpy()].iloc[:25]
    assert len(junctions) == 25
    pts = junctions[["x", "y"]].to_numpy()
    ours = krems_car.matrix(pts, weights="length")
    exact = agree = 0
    for i, s in enumerate(junctions.index):
        lengths = nx.single_source_dijkstra_path_length(G, int(s), weight="length")
        for j, t in enumerate(junctions.index):
            theirs = lengths.get(int(t), np.inf)
            mine = ours[i, j]
            if np.isinf(theirs):
                continue
            # networkx knows no turn restrictions: its paths can only be shorter.
            assert mine >= theirs - 0.05, (s, t, mine, theirs)
            exact += 1
            agree += bool(abs(mine - theirs) <= 0.05 + 1e-4 * theirs)
    assert exact > 400
    assert agree / exact > 0.9, f"{agree} of {exact} equal to networkx"
    # A route's node list is a path of the networkx graph with the route's length.
    path = krems_car.route(pts[0], pts[1], weights="length", output="nodes")
    assert all(G.has_edge(a, b) for a, b in zip(path[:-1], path[1:]))
    along = sum(min(d["length"] for d in G[a][b].values()) for a, b in zip(path[:-1], path[1:]))
    route = krems_car.route(pts[0], pts[1], weights="length")
    assert route.weight == pytest.approx(along, abs=0.5)
    assert route.distance_m == pytest.approx(along, abs=0.5)


def test_route_edges_carry_osm_ways(graph: kerb.Graph, points: np.ndarray) -> None:
    r = graph.route(points[0], points[1], via=[points[2]])
    e = graph.edges_gdf()
    assert list(r.edges.columns) == [
        "edge",
        "leg",
        "from_fraction",
        "to_fraction",
        "distance_m",
        "duration_s",
        "osmid",
    ]
    assert set(r.edges["leg"]) == {0, 1}
    assert (r.edges["osmid"].to_numpy() == e.loc[r.edges["edge"], "osmid"].to_numpy()).all()
    assert r.edges["distance_m"].sum() == pytest.approx(r.distance_m, rel=1e-6)
    # Consecutive pieces connect: each starts at the node the previous one ended on, or
    # continues the same edge past the via point.
    ids = r.edges["edge"].to_numpy()
    ends = e.loc[ids[:-1], "to"].to_numpy()
    starts = e.loc[ids[1:], "from"].to_numpy()
    assert ((ends == starts) | (ids[:-1] == ids[1:])).all()
    assert len(ids) > 3
    # The nodes passed are the joints of consecutive edges.
    assert set(ends[ids[:-1] != ids[1:]]) <= set(r.nodes)
    np.testing.assert_array_equal(graph.route(points[0], points[1], output="coords"),
                                  graph.route(points[0], points[1]).coords)
    with pytest.raises(kerb.InvalidInputError, match="output"):
        graph.route(points[0], points[1], output="geometry")  # type: ignore[arg-type]


def test_custom_weights(graph: kerb.Graph, points: np.ndarray) -> None:
    pts = points[:15]
    fastest = graph.matrix(pts, metric="distance")
    shortest = graph.matrix(pts, weights="length")
    shortest_len = graph.matrix(pts, weights="length", metric="distance")
    np.testing.assert_allclose(shortest, shortest_len, atol=0.05)
    assert (shortest <= fastest + 0.05).all()
    assert (shortest < fastest - 1).any()
    edges = graph.edges_gdf()
    # An array, or a Series by edge id, are the same weights.
    as_series = edges["length"].sample(frac=1.0, random_state=3)
    np.testing.assert_array_equal(graph.matrix(pts[:5], weights=as_series), shortest[:5, :5])
    # Closing every primary road (inf) keeps routes off them.
    closed = np.where(edges["highway"] == "primary", np.inf, edges["travel_time"])
    a, b = pts[0], pts[5]
    driven = graph.route(a, b, weights=closed).edges
    starts_or_ends = driven["edge"].iloc[[0, -1]]
    inner = driven[~driven["edge"].isin(starts_or_ends)]
    assert not (edges.loc[inner["edge"], "highway"] == "primary").any()
    with pytest.raises(kerb.InvalidInputError, match="one value per edge"):
        graph.matrix(pts, weights=np.ones(3))
    bad = edges["length"].to_numpy().copy()
    bad[17] = -1
    with pytest.raises(kerb.InvalidInputError, match="edge 17"):
        graph.matrix(pts, weights=bad)
    with pytest.raises(kerb.InvalidInputError, match="weights must be"):
        graph.matrix(pts, weights="lenght")


def test_aggregate_and_nearest_pois_agree_with_the_matrix(
    graph: kerb.Graph, points: np.ndarray
) -> None:
    pts = points[:40]
    m = graph.matrix(pts)
    values = np.arange(len(pts), dtype=float)
    within = 240.0
    # Leave out pairs within a millisecond of the budget, where rounding decides.
    assert not (np.abs(m - within) < 1e-3).any()
    reach = m <= within
    np.testing.assert_array_equal(
        graph.aggregate(pts, within_s=within, func="count"), reach.sum(axis=1)
    )
    np.testing.assert_allclose(
        graph.aggregate(pts, values, within, "sum"), (reach * values).sum(axis=1)
    )
    mean = graph.aggregate(pts, values, within, "ave")
    np.testing.assert_allclose(mean, (reach * values).sum(axis=1) / reach.sum(axis=1))
    mx = graph.aggregate(pts, values, within, "max")
    np.testing.assert_allclose(mx, np.where(reach, values, -np.inf).max(axis=1))
    # nearest_pois: the k smallest entries of each matrix row, with the POIs' positions.
    k = 4
    near = graph.nearest_pois(pts, pts, k, max_s=3600)
    order = np.argsort(m, axis=1, kind="stable")[:, :k]
    np.testing.assert_allclose(near[[1, 2, 3, 4]].to_numpy(), np.sort(m, axis=1)[:, :k], atol=2e-3)
    times_of_ids = np.take_along_axis(m, near[[f"poi{j}" for j in range(1, k + 1)]].to_numpy(), 1)
    np.testing.assert_allclose(times_of_ids, np.take_along_axis(m, order, 1), atol=2e-3)
    with pytest.raises(kerb.InvalidInputError, match="aggregation"):
        graph.aggregate(pts, values, within, "total")  # type: ignore[arg-type]
    with pytest.raises(kerb.InvalidInputError, match="one number per point"):
        graph.aggregate(pts, values[:3], within)


def test_accessibility_keeps_labels_and_coerces(graph: kerb.Graph, points: np.ndarray) -> None:
    gpd = pytest.importorskip("geopandas")
    bins = gpd.GeoDataFrame(
        {"fill": np.linspace(0, 1, 30)},
        geometry=gpd.points_from_xy(points[:30, 0], points[:30, 1]),
        index=pd.Index([f"bin-{i}" for i in range(30)], name="bin"),
        crs=4326,
    )
    full = graph.aggregate(bins, "fill", 300, "sum")
    assert isinstance(full, pd.Series) and list(full.index) == list(bins.index)
    depots = bins.iloc[:3]
    near = graph.nearest_pois(depots, bins, 2)
    assert list(near.index) == list(depots.index)
    assert set(near["poi1"]) <= set(bins.index)
    assert (near[1] == 0).all() and (near["poi1"] == near.index).all()
    # A bin off the map: raises with its position, or is left out with errors="coerce".
    off = np.vstack([points[:10], [[0.0, 0.0]]])
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.aggregate(off, within_s=300, origins=points[:2])
    assert e.value.index == 10
    counts = graph.aggregate(off, within_s=300, origins=points[:2], errors="coerce")
    np.testing.assert_array_equal(counts, graph.aggregate(points[:10], within_s=300, origins=points[:2]))


def test_pairwise_coerce_and_matrix_as_frame(graph: kerb.Graph, points: np.ndarray) -> None:
    src = points[:4].copy()
    src[2] = [np.nan, np.nan]
    dur = graph.pairwise(src, points[4:8], errors="coerce")
    assert np.isnan(dur[2]) and np.isfinite(dur[[0, 1, 3]]).all()
    np.testing.assert_array_equal(dur[[0, 1, 3]], graph.pairwise(points[[0, 1, 3]], points[[4, 5, 7]]))
    with pytest.raises(kerb.InvalidCoordinateError) as e:
        graph.pairwise(src, points[4:8])
    assert e.value.index == 2
    frame: Any = graph.matrix(points[:3], as_frame=True)
    assert isinstance(frame, pd.DataFrame) and frame.shape == (3, 3)


def test_matrix_as_xarray_keeps_labels(graph: kerb.Graph, points: np.ndarray) -> None:
    xr = pytest.importorskip("xarray")
    frame = pd.DataFrame({"lon": points[:4, 0], "lat": points[:4, 1]}, index=["a", "b", "c", "d"])
    da: Any = graph.matrix(frame, points[4:7], as_frame="xarray")
    assert isinstance(da, xr.DataArray)
    assert da.dims == ("origin", "destination") and da.shape == (4, 3)
    assert list(da["origin"].values) == ["a", "b", "c", "d"]
    assert list(da["destination"].values) == [0, 1, 2]
    assert da.attrs["units"] == "s" and da.name == "duration"
    np.testing.assert_array_equal(da.values, graph.matrix(points[:4], points[4:7]))
    dur, dist = graph.matrix(points[:2], metric="both", as_frame="xarray")
    assert dist.attrs["units"] == "m" and float(dur.sel(origin=0, destination=0)) == 0.0
    with pytest.raises(kerb.InvalidInputError):
        graph.matrix(points[:2], as_frame="pandas")  # type: ignore[arg-type]
