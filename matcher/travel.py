"""Travel times between points: consultant bases and locations.

Minutes follow ``FORMAT.md`` exactly: haversine great-circle distance on a sphere of radius
6371.0 km, times the detour factor, divided by the speed, times 60, rounded **up** to a
whole minute. Two points with the same id or the same coordinates are 0 minutes apart. An
optional CSV ``from,to,minutes`` overrides listed pairs, in the listed direction only.

Point ids are location ids and ``base:<consultant id>`` (see
:func:`matcher.scenario.domain.base_point`).
"""

from __future__ import annotations

import csv
import math
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matcher.messages import Message
from matcher.scenario.domain import DAY_MINUTES, Scenario, base_point

EARTH_RADIUS_KM = 6371.0


MAX_MATRIX_BYTES = 64 * 1024 * 1024
"""Largest travel matrix CSV read (a full matrix of 1 000 points is about 30 MB)."""
MAX_MATRIX_MINUTES = 7 * DAY_MINUTES
"""Largest travel time accepted in the CSV (a week; any drive over a day fits no tour)."""


class TravelMatrixError(ValueError):
    """The travel matrix CSV is missing, not allowed or malformed.

    ``problems`` lists every issue as ``(where in the file, what is wrong, what is
    allowed)``, the last two as message codes (:mod:`matcher.messages`; ``str()`` is their
    English). No text of the file is ever repeated: a matrix path could point at a file
    that is not a matrix at all, and its content must not end up in a message.
    """

    def __init__(self, problems: list[tuple[str, Message, Message]]):
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}: {a}" if p else f"{m}: {a}" for p, m, a in problems))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (scalar version)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def minutes_matrix(
    lats: npt.ArrayLike, lons: npt.ArrayLike, speed_kmh: float, detour_factor: float
) -> npt.NDArray[np.int64]:
    """Travel minutes between all pairs of points, vectorised (``n x n`` int64).

    Identical coordinates give 0 on and off the diagonal.
    """
    lat = np.radians(np.asarray(lats, dtype=np.float64))
    lon = np.radians(np.asarray(lons, dtype=np.float64))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    minutes = np.ceil(km * detour_factor / speed_kmh * 60.0)
    return minutes.astype(np.int64)


def travel_minutes(km: float, speed_kmh: float, detour_factor: float) -> int:
    """Minutes for a great-circle distance, rounded up (scalar twin of :func:`minutes_matrix`)."""
    return math.ceil(km * detour_factor / speed_kmh * 60.0)


def matrix_file(name: str, folder: Path) -> Path:
    """The matrix file ``name`` (as written in ``travel.matrix``), confined to ``folder``.

    Only a regular file in ``folder`` or below it is allowed: no absolute path, no way out
    with ``..`` or a symbolic link, no device or pipe (``/dev/zero``), nothing larger than
    :data:`MAX_MATRIX_BYTES`.

    Raises
    ------
    TravelMatrixError
        When the path is not allowed, missing or too large.
    """
    inside = Message("allow_matrix_inside")
    rel = Path(name)
    if rel.is_absolute() or rel.drive or rel.anchor:
        raise TravelMatrixError([("", Message("matrix_absolute"), inside)])
    root = folder.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root):
        raise TravelMatrixError([("", Message("matrix_outside"), inside)])
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TravelMatrixError([("", Message("matrix_no_file"), _EXISTING)]) from None
    except OSError as exc:  # the system's reason (English) is passed on as it is
        what = Message("matrix_unreadable", reason=exc.strerror or "")
        raise TravelMatrixError([("", what, inside)]) from None
    if not stat.S_ISREG(info.st_mode):
        raise TravelMatrixError([("", Message("matrix_not_regular"), inside)])
    if info.st_size > MAX_MATRIX_BYTES:
        raise TravelMatrixError([("", Message("matrix_too_large"), _size_allowed())])
    return path


_EXISTING = Message("allow_matrix_existing")
_CSV = Message("allow_matrix_csv")


def _size_allowed() -> Message:
    return Message("allow_matrix_size", mb=MAX_MATRIX_BYTES // (1024 * 1024))


def read_matrix_csv(path: Path, folder: Path | None = None) -> list[tuple[str, str, int]]:
    """Read a ``from,to,minutes`` CSV; raise :class:`TravelMatrixError` listing every bad row.

    With ``folder``, ``path`` is taken relative to it and confined to it (see
    :func:`matrix_file`).
    """
    if folder is not None:
        path = matrix_file(str(path), folder)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_MATRIX_BYTES + 1)
    except FileNotFoundError:
        raise TravelMatrixError([("", Message("matrix_no_file"), _EXISTING)]) from None
    except OSError as exc:  # the system's reason (English) is passed on as it is
        what = Message("matrix_unreadable", reason=exc.strerror or "")
        raise TravelMatrixError([("", what, Message("allow_readable_file"))]) from None
    return parse_matrix_csv(data)


_MINUTES_RE = re.compile(r"\d+")


def parse_matrix_csv(data: bytes) -> list[tuple[str, str, int]]:
    """Parse the bytes of a ``from,to,minutes`` CSV (UTF-8, a byte-order mark allowed).

    Raises
    ------
    TravelMatrixError
        Listing every bad row by line and column, without repeating its text.
    """
    if len(data) > MAX_MATRIX_BYTES:
        raise TravelMatrixError([("", Message("matrix_too_large"), _size_allowed())])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8 = Message("allow_matrix_utf8")
        raise TravelMatrixError([(f"byte {exc.start}", Message("not_utf8"), utf8)]) from None
    if "\x00" in text:
        raise TravelMatrixError([("", Message("matrix_not_text"), _CSV)])
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error:
        raise TravelMatrixError([("", Message("matrix_not_csv"), _CSV)]) from None
    problems: list[tuple[str, Message, Message]] = []
    if not rows or [c.strip() for c in rows[0]] != ["from", "to", "minutes"]:
        problems.append(("line 1", Message("matrix_bad_header"), Message("allow_matrix_header")))
        return _raise_or(problems, [])
    out: list[tuple[str, str, int]] = []
    whole = Message("allow_matrix_minutes", max=MAX_MATRIX_MINUTES)
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 3:
            what = Message("matrix_columns", count=len(row))
            problems.append((f"line {lineno}", what, Message("allow_matrix_columns")))
            continue
        a, b, m = (c.strip() for c in row)
        if not a or not b:
            what, allowed = Message("matrix_empty_point"), Message("allow_matrix_points")
            problems.append((f"line {lineno}", what, allowed))
            continue
        if not _MINUTES_RE.fullmatch(m):
            problems.append((f"line {lineno}.minutes", Message("matrix_not_minutes"), whole))
            continue
        minutes = int(m) if len(m) <= 9 else MAX_MATRIX_MINUTES + 1
        if minutes > MAX_MATRIX_MINUTES:
            problems.append((f"line {lineno}.minutes", Message("matrix_minutes_too_large"), whole))
            continue
        out.append((a, b, minutes))
    return _raise_or(problems, out)


def _raise_or(
    problems: list[tuple[str, Message, Message]], rows: list[tuple[str, str, int]]
) -> list[tuple[str, str, int]]:
    if problems:
        raise TravelMatrixError(problems)
    return rows


@dataclass(frozen=True)
class TravelMatrix:
    """Whole travel minutes between named points.

    Attributes
    ----------
    ids
        Point ids in matrix order.
    minutes
        ``len(ids) x len(ids)`` int64 array; ``minutes[i, j]`` is the drive from ``ids[i]``
        to ``ids[j]``.
    """

    ids: tuple[str, ...]
    minutes: npt.NDArray[np.int64]
    _pos: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pos", {p: i for i, p in enumerate(self.ids)})

    def index(self, point: str) -> int:
        return self._pos[point]

    def __call__(self, a: str, b: str) -> int:
        """Minutes from point ``a`` to point ``b``."""
        return int(self.minutes[self._pos[a], self._pos[b]])

    @classmethod
    def from_points(
        cls,
        ids: Sequence[str],
        lats: Sequence[float],
        lons: Sequence[float],
        speed_kmh: float = 60.0,
        detour_factor: float = 1.3,
        overrides: Sequence[tuple[str, str, int]] = (),
    ) -> TravelMatrix:
        """Compute the matrix for the given points, then apply ``overrides``.

        Overrides naming unknown points are ignored (the loader reports them).
        """
        m = minutes_matrix(lats, lons, speed_kmh, detour_factor)
        np.fill_diagonal(m, 0)
        matrix = cls(tuple(ids), m)
        pos = matrix._pos
        for a, b, minutes in overrides:
            if a in pos and b in pos:
                m[pos[a], pos[b]] = minutes
        return matrix


def scenario_points(scenario: Scenario) -> tuple[list[str], list[float], list[float]]:
    """Point ids with coordinates: every location, then every consultant base."""
    ids = [loc.id for loc in scenario.locations]
    lats = [loc.lat for loc in scenario.locations]
    lons = [loc.lon for loc in scenario.locations]
    for c in scenario.consultants:
        ids.append(base_point(c.id))
        lats.append(c.base.lat)
        lons.append(c.base.lon)
    return ids, lats, lons


def build_travel_matrix(scenario: Scenario) -> TravelMatrix:
    """The scenario's travel matrix, with the overrides read from ``travel.matrix`` applied."""
    ids, lats, lons = scenario_points(scenario)
    return TravelMatrix.from_points(
        ids,
        lats,
        lons,
        scenario.travel.speed_kmh,
        scenario.travel.detour_factor,
        scenario.travel.overrides,
    )
