"""Exceptions raised by kerb.

Every error of the Rust library reaches Python as a subclass of :class:`KerbError`, carrying the
Rust message. The subclasses also inherit the built-in exception a Python user would reach for
(``ValueError`` for bad input, ``OSError``/``FileNotFoundError`` for files, ``LookupError`` when
nothing is found), so ``except ValueError`` keeps working in code that does not know kerb.

The class of an error is chosen in one place, from the error's ``kerb_api::ErrorKind`` (the kind
the HTTP server maps to a status): ``exception_name`` in ``python/src/lib.rs``.
"""

from __future__ import annotations

__all__ = [
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
]


class KerbError(Exception):
    """Base class of every error raised by kerb.

    ``index`` is the position of the offending point in the input when the error is about one
    point (it fails to snap, or its coordinates are invalid), else ``None``.
    """

    index: "int | None" = None


class InvalidInputError(KerbError, ValueError):
    """An argument has the wrong shape, type or value (e.g. a ``(N, 3)`` array of points)."""


class InvalidCoordinateError(InvalidInputError):
    """A coordinate is NaN, infinite, or outside longitude [-180, 180] / latitude [-90, 90]."""


class NoSegmentError(KerbError, LookupError):
    """No routable road lies within the snapping radius of a point (OSRM's ``NoSegment``)."""


class NoRouteError(KerbError):
    """The road network does not connect the waypoints (OSRM's ``NoRoute``)."""


class GraphFileError(KerbError, OSError):
    """A graph file, OSM PBF or input file (a collection day) cannot be read: I/O error, wrong
    format, version or checksum."""


class GraphFileNotFoundError(GraphFileError, FileNotFoundError):
    """The graph file, OSM PBF or input file does not exist."""


class PbfError(GraphFileError):
    """The input is not a valid OSM PBF file."""


class ProfileError(KerbError, ValueError):
    """Unknown vehicle profile name, or a graph built for another profile than requested."""


class EmptyGraphError(KerbError, ValueError):
    """The extract contains no road the profile may use."""


class PlanError(KerbError):
    """The planner rejected the problem (malformed or infeasible input)."""


class PlanInputError(PlanError, ValueError):
    """The planning problem is malformed or uses an unsupported feature (e.g. VROOM setup times)."""
