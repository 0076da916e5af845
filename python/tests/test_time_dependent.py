"""``depart_at`` on routes and matrices: the shared Heidelberg extract's Plöck (way 83188867,
``access:conditional=no @ (7:30-19:00 AND weight>7.5)``) is closed to the 26 t truck at 09:00
only, so the short way along it is taken at 06:30 and 20:00 and a detour at 09:00."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

import kerb

from conftest import shared_data

WEST, EAST = (8.69540, 49.40886), (8.69812, 49.40907)


@pytest.fixture(scope="module")
def heidelberg() -> kerb.Graph:
    path = shared_data() / "osm" / "ors_heidelberg.osm.pbf"
    if not path.exists():
        pytest.skip("shared Heidelberg extract absent")
    return kerb.Graph.from_pbf(path, profile="truck")


def test_route_follows_the_rules_at_the_departure_time(heidelberg: kerb.Graph) -> None:
    plain = heidelberg.route(WEST, EAST)
    early = heidelberg.route(WEST, EAST, depart_at="2026-12-07T06:30")
    nine = heidelberg.route(WEST, EAST, depart_at=datetime.datetime(2026, 12, 7, 9, 0))
    late = heidelberg.route(WEST, EAST, depart_at="Mo 20:00")
    assert early.duration_s == pytest.approx(plain.duration_s)
    assert late.duration_s == pytest.approx(plain.duration_s)
    assert 83188867 in set(early.edges["osmid"])
    assert 83188867 not in set(nine.edges["osmid"])
    assert nine.duration_s > plain.duration_s + 60


def test_matrix_and_bad_times(heidelberg: kerb.Graph) -> None:
    pts = [WEST, EAST]
    early = heidelberg.matrix(pts, depart_at="2026-12-07T06:30")
    nine = heidelberg.matrix(pts, depart_at="2026-12-07T09:00")
    assert isinstance(nine, np.ndarray)
    assert nine[0, 1] > early[0, 1] + 60
    with pytest.raises(kerb.InvalidInputError):
        heidelberg.route(WEST, EAST, depart_at="tomorrow morning")
    with pytest.raises(kerb.InvalidInputError):
        heidelberg.matrix(pts, depart_at=7)  # type: ignore[arg-type]
