"""kerb.plan_collection on the Helsinki collection day, checked here independently of Rust."""

from __future__ import annotations

from typing import Any, Dict

import json
import math
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kerb
from conftest import REPO

DAY = REPO / "data" / "helsinki-day.json"
# Deterministic and quick: an iteration limit, the time limit only as a guard.
FAST: Dict[str, Any] = dict(iterations=30, time_limit_s=120, threads=1)


@pytest.fixture(scope="module")
def day() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(DAY.read_text())
    return loaded


@pytest.fixture(scope="module")
def plan(graph: kerb.Graph) -> kerb.CollectionPlan:
    return kerb.plan_collection(graph, DAY, **FAST)


def small_day(day: Dict[str, Any], n: int = 40) -> Dict[str, Any]:
    """The first ``n`` bins of the day, without its streets."""
    d: Dict[str, Any] = json.loads(json.dumps(day))
    d["bins"] = d["bins"][:n]
    d["streets"] = []
    return d


def right_of(line: np.ndarray, p: np.ndarray) -> bool:
    """Is ``p`` right of the polyline ``line`` (lon, lat) where it passes closest to ``p``?"""
    coslat = math.cos(math.radians(p[1]))
    a = (line[:-1] - p) * [coslat, 1.0]
    d = (line[1:] - line[:-1]) * [coslat, 1.0]
    len2 = (d**2).sum(axis=1)
    t = np.clip(-(a * d).sum(axis=1) / np.where(len2 > 0, len2, 1.0), 0.0, 1.0)
    closest = a + t[:, None] * d
    k = int(np.argmin((closest**2).sum(axis=1)))
    # Cross product of the direction and (p - a): negative = p on the right.
    return bool(d[k, 0] * -a[k, 1] - d[k, 1] * -a[k, 0] < 0)


def test_every_bin_is_served_once_or_explained(plan: kerb.CollectionPlan, day: Dict[str, Any]) -> None:
    stops, routes, un = plan.stops, plan.routes, plan.unassigned
    # The sample day's streets are checked in test_streets_are_served_along_their_length.
    streets = {s["id"] for s in day["streets"]}
    un = un[~un["id"].isin(streets)]
    served = stops.loc[stops["kind"] == "bin", "id"].tolist()
    assert len(served) == len(set(served)), "a bin is collected twice"
    assert set(served).isdisjoint(un["id"])
    assert set(served) | set(un["id"]) == {b["id"] for b in day["bins"]}
    assert un["reason"].str.len().gt(10).all()
    assert len(served) >= 280, plan.unassigned
    t = plan.totals
    assert t["bins_served"] == len(served) and t["bins_unassigned"] == len(un)
    weight = {b["id"]: b["weight_kg"] for b in day["bins"]}
    # A street's waste is split evenly between its passes (served or not).
    passes = stops.loc[stops["kind"] == "street", "id"].value_counts()
    missing = plan.unassigned["id"].value_counts()
    street_kg = sum(
        s["weight_kg"] * passes.get(s["id"], 0) / (passes.get(s["id"], 0) + missing.get(s["id"], 0))
        for s in day["streets"]
        if passes.get(s["id"], 0)
    )
    assert t["collected"][0] == pytest.approx(sum(weight[i] for i in served) + street_kg)
    assert t["distance_m"] == pytest.approx(routes["distance_m"].sum())
    assert t["disposal_trips"] == routes["disposal_trips"].sum() >= 3
    # Unassigned bins carry their input position.
    assert un[["lon", "lat"]].notna().all().all()


def test_routes_and_stops_are_consistent_tables(plan: kerb.CollectionPlan, day: Dict[str, Any]) -> None:
    routes, stops = plan.routes, plan.stops
    assert routes.crs.to_epsg() == 4326 and stops.crs.to_epsg() == 4326
    assert (routes.geom_type == "LineString").all()
    assert list(routes.columns[:4]) == ["truck", "n_bins", "n_stops", "distance_m"]
    truck = day["trucks"][0]
    shift = truck["shift"]
    for _, r in routes.iterrows():
        s = stops[stops["truck"] == r["truck"]]
        assert s["seq"].tolist() == list(range(len(s))) and len(s) == r["n_stops"]
        assert s["kind"].iloc[0] == "start" and s["kind"].iloc[-1] == "end"
        assert (s["kind"] == "bin").sum() == r["n_bins"]
        assert (s["kind"] == "disposal").sum() == r["disposal_trips"]
        # Time runs forward within the shift; the break is taken.
        assert (s["arrival_s"].to_numpy()[1:] + 1e-6 >= s["departure_s"].to_numpy()[:-1]).all()
        assert s["departure_s"].iloc[0] >= shift[0] - 1e-6
        assert s["arrival_s"].iloc[-1] <= shift[1] + 1e-6
        assert (s["kind"] == "break").sum() == 1
        # Load never exceeds the truck, and the truck comes back empty.
        assert s["load_kg"].max() <= truck["capacity_kg"]
        assert s["load_l"].max() <= truck["capacity_l"]
        assert s["load_kg"].iloc[-1] == 0
        # The road geometry starts and ends at the depot's road position.
        line = np.asarray(r.geometry.coords)
        assert np.allclose(line[0], s.geometry.iloc[0].coords[0], atol=1e-6)
        assert np.allclose(line[-1], s.geometry.iloc[-1].coords[0], atol=1e-6)
        # Driving plus service/unload/break time is the working time.
        assert r["working_s"] == pytest.approx(s["arrival_s"].iloc[-1] - s["departure_s"].iloc[0])
    bins = stops[stops["kind"] == "bin"]
    assert bins["service"].isin(["kerbside", "zig_zag", "one_way", "either_side"]).all()
    assert bins["truck_side"].isin(["right", "left"]).all()


def test_kerbside_bins_are_on_the_right(plan: kerb.CollectionPlan, day: Dict[str, Any]) -> None:
    """Rust reports each bin's side of the truck; check it against the route geometry here."""
    where = {b["id"]: np.array([b["lon"], b["lat"]]) for b in day["bins"]}
    stops = plan.stops
    kerbside = stops[(stops["kind"] == "bin") & (stops["service"] == "kerbside")]
    assert len(kerbside) > 80
    assert (kerbside["truck_side"] == "right").all()
    checked = 0
    for _, r in plan.routes.iterrows():
        line = np.asarray(r.geometry.coords)
        pos = 0
        for _, s in stops[stops["truck"] == r["truck"]].iterrows():
            if s.geometry is None or s.geometry.is_empty:
                continue
            # Advance along the route to this stop (routes pass some places several times).
            p = np.asarray(s.geometry.coords[0])
            # The first pass through the stop's point (exact up to rounding), else the nearest.
            d2 = ((line[pos:] - p) ** 2).sum(axis=1)
            exact = np.flatnonzero(d2 < 1e-14)
            hit = pos + int(exact[0] if len(exact) else np.argmin(d2))
            if s["kind"] == "bin" and s["service"] == "kerbside":
                # The stop is the bin's projection on the road: the last piece driven before
                # it gives the direction of arrival.
                approach = line[max(hit - 5, 0) : hit + 1]
                approach = approach[np.r_[True, (np.diff(approach, axis=0) != 0).any(axis=1)]][-2:]
                if len(approach) == 2:
                    assert right_of(approach, where[s["id"]]), f"bin {s['id']} not on the right"
                    checked += 1
            pos = hit
    assert checked > 80


def test_input_forms_agree(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    d = small_day(day)
    from_dict = kerb.plan_collection(graph, d, **FAST)
    from_text = kerb.plan_collection(graph, json.dumps(d), **FAST)
    assert from_text.bin_order() == from_dict.bin_order()
    assert from_dict.totals["bins_served"] + len(from_dict.unassigned) == 40
    assert from_dict.totals["bins_served"] >= 38
    # Bins as a GeoDataFrame (point geometry, any CRS), the rest as keyword arguments.
    import geopandas as gpd

    bins = pd.DataFrame(d["bins"]).set_index("id")
    gdf = gpd.GeoDataFrame(
        bins.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(bins["lon"], bins["lat"]),
        crs="EPSG:4326",
    )
    kw = dict(depots=d["depots"], disposal_sites=d["disposal_sites"], trucks=d["trucks"])
    from_gdf = kerb.plan_collection(graph, gdf, options=d["options"], **kw, **FAST)
    assert from_gdf.bin_order() == from_dict.bin_order()
    assert from_gdf.routes["distance_m"].tolist() == from_dict.routes["distance_m"].tolist()
    # Projected coordinates are transformed back to lon/lat.
    metric = kerb.plan_collection(graph, bins=gdf.to_crs(3067), **kw, **FAST)
    assert set(metric.stops["id"]) == set(from_dict.stops["id"])
    # A plain DataFrame with lon/lat columns, CSV-style windows and a side column.
    df = pd.DataFrame(d["bins"]).drop(columns=["time_windows"])
    df["tw_start"], df["tw_end"] = "06:00", "13:00"
    df.loc[0, "side"] = "either"
    trucks = pd.DataFrame(d["trucks"])  # end_depot None -> NaN: left to the default
    from_df = kerb.plan_collection(graph, df, **{**kw, "trucks": trucks}, **FAST)
    assert from_df.totals["bins_served"] == from_dict.totals["bins_served"]
    first = from_df.stops[from_df.stops["id"] == d["bins"][0]["id"]]
    assert first["service"].iloc[0] in ("zig_zag", "one_way")
    assert (from_df.stops.loc[from_df.stops["kind"] == "bin", "arrival_s"] <= 13 * 3600).all()


def test_exports(plan: kerb.CollectionPlan, graph: kerb.Graph, tmp_path: Path) -> None:
    as_dict = json.loads(plan.to_json(tmp_path / "plan.json"))
    assert as_dict == plan.to_dict() == json.loads((tmp_path / "plan.json").read_text())
    assert [r["truck"] for r in as_dict["routes"]] == plan.routes["truck"].tolist()
    gj = plan.to_geojson(tmp_path / "plan.geojson")
    kinds = pd.Series([f["properties"]["kind"] for f in gj["features"]]).value_counts()
    assert kinds["route"] == len(plan.routes)
    assert kinds["bin"] == plan.totals["bins_served"]
    html = plan.to_html(tmp_path / "plan.html")
    assert html.count('class="route"') == len(plan.routes)
    assert (tmp_path / "plan.html").read_text() == html
    assert "295 bins" in repr(plan) or "bins served" in repr(plan)


def test_sample_day_is_the_committed_day(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    assert kerb.sample_day(graph, 300, 3, 42, streets=12) == day
    small = kerb.sample_day(graph, 25, trucks=2, seed=5)
    assert len(small["bins"]) == 25 and small["trucks"][0]["count"] == 2
    with pytest.raises(kerb.InvalidInputError):
        kerb.sample_day(graph, 10, trucks=0)


def test_bad_inputs_give_reasons(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    d = small_day(day, 20)
    sea, heavy = d["bins"][0]["id"], d["bins"][1]["id"]
    d["bins"][0].update(lon=24.95, lat=60.10)  # the Gulf of Finland
    d["bins"][1]["weight_kg"] = 9000.0  # more than a 5 t truck
    p = kerb.plan_collection(graph, d, **FAST)
    reasons = dict(zip(p.unassigned["id"], p.unassigned["reason"]))
    assert "no road" in reasons[sea]
    assert "capacity" in reasons[heavy]
    assert p.totals["bins_served"] == 18

    # A disposal site closed all day: trucks must end empty, so nothing can be collected.
    closed = small_day(day, 5)
    closed["disposal_sites"][0]["opening_hours"] = [[0, 60]]
    p = kerb.plan_collection(graph, closed, **FAST)
    assert p.totals["bins_served"] == 0 and len(p.unassigned) == 5
    assert p.routes.empty and p.stops.empty

    # A depot in the sea is an error naming the depot.
    off = small_day(day, 5)
    off["depots"][0]["lat"] = 60.10
    with pytest.raises(kerb.PlanInputError, match="depot"):
        kerb.plan_collection(graph, off, **FAST)


def test_malformed_days_raise(graph: kerb.Graph, day: Dict[str, Any], tmp_path: Path) -> None:
    d = small_day(day, 5)
    cases = [
        ({**d, "trucks": []}, "truck"),
        ({**d, "trucks": [{**d["trucks"][0], "depot": "nowhere"}]}, "unknown depot"),
        ({**d, "bins": [{**d["bins"][0], "weight_kg": -1}]}, "weight_kg"),
        ({**d, "bins": [d["bins"][0], d["bins"][0]]}, "duplicate bin"),
        ({**d, "bins": [{**d["bins"][0], "time_windows": [["12:00", "08:00"]]}]}, "ends before"),
        ({**d, "bins": [{**d["bins"][0], "time_windows": [["7h", "08:00"]]}]}, "time of day"),
        ({**d, "options": {"zigzag_road_classes": ["moat"]}}, "road class"),
    ]
    for bad, words in cases:
        with pytest.raises(kerb.PlanInputError, match=words) as e:
            kerb.plan_collection(graph, bad, **FAST)
        assert isinstance(e.value, ValueError) and isinstance(e.value, kerb.KerbError)
    with pytest.raises(kerb.PlanInputError, match="JSON"):
        kerb.plan_collection(graph, "{not json")
    with pytest.raises(kerb.PlanInputError, match="no trucks"):
        kerb.plan_collection(graph, {"bins": d["bins"], "depots": d["depots"]})
    with pytest.raises(kerb.PlanInputError, match="JSON-serialisable"):
        kerb.plan_collection(graph, d, options={"time_limit_s": float("nan")})
    nan_bins = pd.DataFrame(d["bins"])
    nan_bins.loc[0, "lon"] = float("inf")
    with pytest.raises(kerb.PlanInputError):
        kerb.plan_collection(graph, nan_bins, depots=d["depots"], trucks=d["trucks"])
    with pytest.raises(kerb.GraphFileNotFoundError) as missing:
        kerb.plan_collection(graph, tmp_path / "missing.json")
    assert isinstance(missing.value, FileNotFoundError)
    with pytest.raises(kerb.InvalidInputError):
        kerb.plan_collection(DAY, graph)  # type: ignore[arg-type]  # arguments swapped
    with pytest.raises(kerb.PlanInputError, match="bins"):
        kerb.plan_collection(graph, d, bins=42)


def test_planning_releases_the_gil(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (kerb.plan_collection(graph, day, **FAST), done.set())  # type: ignore[func-returns-value]
    )
    ticks = 0
    worker.start()
    start = time.perf_counter()
    while not done.is_set():
        time.sleep(0.005)
        ticks += 1
    worker.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole call this thread could not tick at all meanwhile.
    assert ticks > 10, f"{ticks} ticks in {elapsed:.2f} s"


def test_streets_are_served_along_their_length(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    """Street stretches (arc routing): two-way residential streets get one pass per kerb and
    the truck's road geometry runs along each of them, checked here with shapely."""
    edges = graph.edges_gdf()
    pairs = set(zip(edges["from"], edges["to"]))
    first = np.array([g.coords[0] for g in edges.geometry])
    lon, lat = first[:, 0], first[:, 1]
    centre = (lon > 24.93) & (lon < 24.96) & (lat > 60.16) & (lat < 60.18)
    two_way = edges[
        (edges["road_class"] == "residential")
        & edges["distance_m"].between(60, 250)
        & centre
        & np.array([(t, f) in pairs and f < t for f, t in zip(edges["from"], edges["to"])])
    ]
    chosen = two_way.iloc[:: max(1, len(two_way) // 4)].iloc[:4]
    assert len(chosen) == 4
    d = small_day(day, 10)
    d["streets"] = [
        {
            "id": f"street-{i}",
            "coordinates": [list(c) for c in g.coords],
            "weight_kg": 100,
            "service_s": 30,
        }
        for i, g in enumerate(chosen.geometry)
    ]
    p = kerb.plan_collection(graph, d, **FAST)
    # The same streets as a GeoDataFrame of LineStrings in a projected CRS plan the same.
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"id": [s["id"] for s in d["streets"]], "weight_kg": 100.0, "service_s": 30.0},
        geometry=list(chosen.geometry),
        crs="EPSG:4326",
    ).to_crs(3067)
    again = kerb.plan_collection(graph, small_day(day, 10), streets=frame, **FAST)
    assert again.stops[["kind", "id", "direction"]].equals(p.stops[["kind", "id", "direction"]])
    with pytest.raises(kerb.PlanInputError, match="LineString"):
        kerb.plan_collection(graph, d, streets=frame.set_geometry(frame.centroid), **FAST)
    streets = p.stops[p.stops["kind"] == "street"]
    # Snapping may leave a street out only with a reason.
    served = {s["id"] for s in d["streets"]} - set(p.unassigned["id"])
    assert len(served) >= 3, p.unassigned
    for sid in served:
        dirs = sorted(streets.loc[streets["id"] == sid, "direction"])
        assert dirs == ["backward", "forward"], (sid, dirs)
    assert p.totals["street_passes"] == len(streets) == 2 * len(served)
    assert p.routes["n_street_passes"].sum() == len(streets)
    # Every point of a served street lies on the road geometry of the truck that drove it.
    metric = p.routes.set_index("truck").to_crs(3067)
    coords = {x["id"]: np.array(x["coordinates"]) for x in d["streets"]}
    for _, s in streets.iterrows():
        c = coords[s["id"]]
        pts = gpd.GeoSeries(gpd.points_from_xy(c[:, 0], c[:, 1]), crs=4326).to_crs(3067)
        route = metric.loc[s["truck"], "geometry"]
        assert pts.distance(route).max() < 3.0, s["id"]


def test_integer_ids_stay_integers(graph: kerb.Graph, day: Dict[str, Any]) -> None:
    d = small_day(day)
    bins = pd.DataFrame(d["bins"])
    bins["id"] = np.arange(1000, 1000 + len(bins))
    kw = dict(depots=d["depots"], disposal_sites=d["disposal_sites"], trucks=d["trucks"])
    p = kerb.plan_collection(graph, bins, options=d["options"], **kw, **FAST)
    served = [i for order in p.bin_order().values() for i in order]
    assert served and all(type(i) is int for i in served)
    stop_ids = p.stops.loc[p.stops["kind"] == "bin", "id"]
    assert set(stop_ids) <= set(bins["id"]) and all(type(i) is int for i in stop_ids)
    assert all(type(i) is int for i in p.unassigned["id"])
