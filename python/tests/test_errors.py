"""Bad input raises the documented exception (never a crash), with the Rust message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kerb
from conftest import HELSINKI, REPO


@pytest.mark.parametrize(
    "lon, lat",
    [(float("nan"), 60.17), (24.94, float("inf")), (200.0, 60.17), (24.94, -91.0)],
)
def test_invalid_coordinates(graph: kerb.Graph, points: np.ndarray, lon: float, lat: float) -> None:
    with pytest.raises(kerb.InvalidCoordinateError) as e:
        graph.nearest(lon, lat)
    assert isinstance(e.value, ValueError) and isinstance(e.value, kerb.KerbError)
    assert "coordinate" in str(e.value)
    bad = np.vstack([points[:3], [[lon, lat]]])
    with pytest.raises(kerb.InvalidCoordinateError):
        graph.matrix(bad)
    with pytest.raises(kerb.InvalidCoordinateError):
        graph.snap(bad)
    with pytest.raises(kerb.InvalidCoordinateError):
        graph.route(points[0], (lon, lat))


@pytest.mark.parametrize(
    "bad",
    [np.zeros((4, 3)), np.zeros((2, 2, 2)), [[1.0, 2.0], [3.0]], "24.9,60.1", [[None, "x"]]],
)
def test_wrong_shapes_and_types(graph: kerb.Graph, bad: Any) -> None:
    with pytest.raises(kerb.InvalidInputError):
        graph.matrix(bad)


def test_wrong_arguments(graph: kerb.Graph, points: np.ndarray) -> None:
    with pytest.raises(kerb.InvalidInputError):
        graph.snap(points[:3, 0], points[:2, 1])
    with pytest.raises(kerb.InvalidInputError):
        graph.matrix(points[:3], metric="time")  # type: ignore[arg-type]
    with pytest.raises(kerb.InvalidInputError):
        graph.route(points[0], points[1], approach="left")  # type: ignore[arg-type]
    with pytest.raises(kerb.InvalidInputError):
        graph.route(points[:2], points[1])
    with pytest.raises(ValueError):
        graph.nearest(points[0][0], points[0][1], k=0)
    with pytest.raises(ValueError):
        graph.snap(points, radius_m=-5)
    with pytest.raises(TypeError):
        kerb.Graph(object())  # type: ignore[arg-type]


def test_point_far_from_roads(graph: kerb.Graph, points: np.ndarray) -> None:
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.route(points[0], (25.5, 60.5), radius_m=1000)
    assert isinstance(e.value, LookupError)
    assert "no road" in str(e.value)


def test_missing_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.osm.pbf"
    with pytest.raises(kerb.GraphFileNotFoundError) as e:
        kerb.Graph.from_pbf(missing)
    assert isinstance(e.value, FileNotFoundError) and isinstance(e.value, kerb.KerbError)
    with pytest.raises(FileNotFoundError):
        kerb.Graph.load(tmp_path / "nope.kerb")


def test_not_a_pbf_and_not_a_graph(tmp_path: Path) -> None:
    with pytest.raises(kerb.GraphFileError):
        kerb.Graph.from_pbf(REPO / "README.md")
    with pytest.raises(kerb.GraphFileError):  # a PBF is not a graph file: bad magic
        kerb.Graph.load(HELSINKI)


def test_truncated_and_corrupt_graph_files(graph_file: Path, tmp_path: Path) -> None:
    data = graph_file.read_bytes()
    cut = tmp_path / "cut.kerb"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(kerb.GraphFileError):
        kerb.Graph.load(cut)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    bad = tmp_path / "flipped.kerb"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(kerb.GraphFileError):
        kerb.Graph.load(bad)


def test_unknown_profile() -> None:
    with pytest.raises(kerb.ProfileError) as e:
        kerb.Graph.from_pbf(HELSINKI, profile="hovercraft")
    assert isinstance(e.value, ValueError)
    assert "hovercraft" in str(e.value)
    with pytest.raises(kerb.InvalidInputError):
        kerb.Graph.from_pbf(HELSINKI, profile=3)  # type: ignore[arg-type]


def test_bad_point_names_its_index(graph: kerb.Graph, points: np.ndarray) -> None:
    bad = np.vstack([points[:3], [[25.5, 60.5]], points[3:5]])
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.matrix(bad)
    assert e.value.index == 3 and "coordinate 3" in str(e.value)
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.snap(bad)
    assert e.value.index == 3
    nan = np.vstack([points[:2], [[float("nan"), 60.17]]])
    with pytest.raises(kerb.InvalidCoordinateError) as nan_error:
        graph.matrix(points[:2], nan)
    assert nan_error.value.index == 2


def test_coerce_gives_nan_rows(graph: kerb.Graph, points: np.ndarray) -> None:
    bad = np.vstack([points[:2], [[25.5, 60.5]], [[float("nan"), 60.17]], points[2:3]])
    s = graph.snap(bad, errors="coerce")
    assert list(s["edge"].iloc[2:4]) == [-1, -1] and s["lon"].iloc[2:4].isna().all()
    assert (s["edge"].iloc[[0, 1, 4]] >= 0).all()
    m = graph.matrix(bad, errors="coerce")
    good = graph.matrix(bad[[0, 1, 4]])
    assert m.shape == (5, 5)
    assert np.isnan(m[2]).all() and np.isnan(m[:, 3]).all()
    np.testing.assert_array_equal(m[np.ix_([0, 1, 4], [0, 1, 4])], good)
    with pytest.raises(kerb.InvalidInputError):
        graph.matrix(bad, errors="ignore")  # type: ignore[arg-type]


def test_swapped_lon_lat_hint(graph: kerb.Graph, points: np.ndarray) -> None:
    lon, lat = points[0]
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.route((lat, lon), points[1])
    assert "swapped" in str(e.value) and e.value.index == 0
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.nearest(lat, lon)
    assert "swapped" in str(e.value) and "nearest is" in str(e.value)
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.route(points[0], (25.5, 60.5))
    assert "swapped" not in str(e.value)


def test_nearest_max_distance(graph: kerb.Graph, points: np.ndarray) -> None:
    with pytest.raises(kerb.NoSegmentError) as e:
        graph.nearest(25.5, 60.5)
    assert e.value.index is None and "m away" in str(e.value)
    far = graph.nearest(25.5, 60.5, max_distance_m=float("inf"))
    assert far["distance_m"] > 1000
    assert graph.nearest(points[0][0], points[0][1], k=3, max_distance_m=5000)
    with pytest.raises(kerb.InvalidInputError):
        graph.nearest(*points[0], max_distance_m=0)


def test_missing_files_name_the_path(tmp_path: Path) -> None:
    import errno

    missing = tmp_path / "nope.kerb"
    with pytest.raises(FileNotFoundError) as e:
        kerb.Graph.load(missing)
    assert isinstance(e.value, kerb.GraphFileNotFoundError)
    assert e.value.errno == errno.ENOENT and e.value.filename == str(missing)
    assert str(missing) in str(e.value)
    with pytest.raises(kerb.GraphFileNotFoundError) as e:
        kerb.Graph.from_pbf(tmp_path / "nope.osm.pbf")
    assert e.value.errno == errno.ENOENT and e.value.filename.endswith("nope.osm.pbf")
    with pytest.raises(kerb.GraphFileNotFoundError) as e:
        kerb.plan_collection(kerb.Graph.__new__(kerb.Graph), tmp_path / "day.json")
    assert e.value.filename == str(tmp_path / "day.json")


def test_missing_and_empty_geometries(graph: kerb.Graph, points: np.ndarray) -> None:
    import geopandas as gpd
    import shapely

    geoms = [shapely.Point(*points[0]), None, shapely.Point(), shapely.Point(*points[1])]
    gdf = gpd.GeoDataFrame({"v": range(4)}, geometry=geoms, crs=4326, index=[10, 11, 12, 13])
    with pytest.raises(kerb.InvalidInputError) as e:
        graph.snap(gdf)
    msg = str(e.value)
    assert "2 missing or empty geometries" in msg and "[11, 12]" in msg and "'Point'" not in msg
    line = gpd.GeoSeries([shapely.Point(*points[0]), shapely.LineString(points[:2])], crs=4326)
    with pytest.raises(kerb.InvalidInputError, match=r"found \['LineString'\] at index \[1\]"):
        graph.matrix(line)


def test_route_coerce_gives_none(graph: kerb.Graph, points: np.ndarray) -> None:
    """A trip loop keeps going over points that fail: errors="coerce" gives None for them."""
    off_map = (25.5, 60.5)
    nan = (float("nan"), 60.17)
    for bad in (off_map, nan):
        with pytest.raises((kerb.NoSegmentError, kerb.InvalidCoordinateError)):
            graph.route(points[0], bad)
        assert graph.route(points[0], bad, errors="coerce") is None
        assert graph.route(bad, points[1], output="coords", errors="coerce") is None
    good = graph.route(points[0], points[1], errors="coerce")
    assert good is not None and good.duration_s == graph.route(points[0], points[1]).duration_s
    with pytest.raises(kerb.InvalidInputError):
        graph.route(points[0], points[1], errors="ignore")  # type: ignore[arg-type]
    # Invalid options are not coerced.
    with pytest.raises(kerb.InvalidInputError):
        graph.route(points[0], points[1], radius_m=-1, errors="coerce")
