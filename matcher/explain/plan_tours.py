"""A plan's tours and labels as the app shows them: consultant labels and colours, the
map's base layer of towns, and per consultant and availability window the visits in start
order with the drives between them (:func:`tour_runs`, grouped like the checker does)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from matcher.messages.nl import nl_day
from matcher.resources import DATA_DIR
from matcher.scenario.domain import Scenario, Visit, base_point, format_time, tours_of
from matcher.travel import TravelMatrix

PALETTE: tuple[tuple[int, int, int], ...] = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (57, 59, 121),
    (173, 73, 74),
    (99, 121, 57),
    (140, 109, 49),
    (123, 65, 115),
    (82, 84, 163),
    (231, 150, 156),
    (107, 110, 207),
    (206, 109, 189),
    (156, 158, 222),
)
"""Distinct colours for consultants (RGB), repeated when there are more consultants."""

PLACE_FILES = ("limburg_gemeenten.csv", "nl_plaatsen.csv")
"""Base layer of the map: towns with names, shipped in ``data/``."""


def roles_text(roles: Sequence[frozenset[str]]) -> str:
    """Roles as planners write them: skills joined by ``, ``, roles by `` | ``."""
    return " | ".join(", ".join(sorted(r)) if r else "(geen eisen)" for r in roles)


def consultant_label(scenario: Scenario, consultant_id: str) -> str:
    """``C-FIER-01 · Silke Dassen``."""
    try:
        return f"{consultant_id} · {scenario.consultant(consultant_id).name}"
    except KeyError:
        return consultant_id


def consultant_colors(scenario: Scenario) -> dict[str, tuple[int, int, int]]:
    """A colour per consultant, in scenario order."""
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(scenario.consultants)}


def visit_label(scenario: Scenario, v: Visit) -> str:
    """``R-012 · ma 30 nov 09:00–10:00 · C-FIER-01``."""
    return (
        f"{v.request} · {nl_day(v.date)} {format_time(v.start)}–{format_time(v.end)} · "
        f"{', '.join(v.consultants)}"
    )


@functools.cache
def _all_places() -> tuple[tuple[str, float, float], ...]:
    seen: dict[str, tuple[str, float, float]] = {}
    for name in PLACE_FILES:
        path = DATA_DIR / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                town = row["hoofdplaats"].strip()
                seen.setdefault(town, (town, float(row["lat"]), float(row["lon"])))
    return tuple(seen.values())


def base_places(
    lat0: float, lat1: float, lon0: float, lon1: float, margin: float = 0.12
) -> pd.DataFrame:
    """Towns (``naam``, ``lat``, ``lon``) inside the box plus ``margin`` degrees: the map's
    base layer, from the project's ``data/`` files."""
    rows = [
        {"naam": n, "lat": la, "lon": lo}
        for n, la, lo in _all_places()
        if lat0 - margin <= la <= lat1 + margin and lon0 - margin <= lo <= lon1 + margin
    ]
    return pd.DataFrame(rows, columns=["naam", "lat", "lon"])


# Tours ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leg:
    """One drive of a consultant: from a point to the next, with clock times."""

    consultant: str
    date: dt.date
    from_point: str
    to_point: str
    depart: int
    arrive: int
    minutes: int


@dataclass(frozen=True, slots=True)
class TourRun:
    """The visits of one consultant in one availability window of a day, in start order.

    ``window`` is ``None`` for visits outside every window (a plan that no longer fits).
    """

    consultant: str
    date: dt.date
    window: tuple[int, int] | None
    visits: tuple[Visit, ...]
    legs: tuple[Leg, ...]

    @property
    def travel_minutes(self) -> int:
        return sum(leg.minutes for leg in self.legs)

    @property
    def visit_minutes(self) -> int:
        return sum(v.end - v.start for v in self.visits)


def _location_of_visit(scenario: Scenario, v: Visit) -> str:
    try:
        return scenario.location_of(scenario.request(v.request)).id
    except KeyError:
        return v.location


def tour_runs(
    scenario: Scenario,
    visits: Iterable[Visit],
    travel: TravelMatrix,
    consultants: Collection[str] | None = None,
) -> list[TourRun]:
    """Group visits into tours (consultant, day, window) with their travel legs.

    Parameters
    ----------
    consultants
        Only the tours of these consultants (all when ``None``).
    """
    known = {c.id: c for c in scenario.consultants}
    groups: dict[tuple[str, dt.date, tuple[int, int] | None], list[Visit]] = defaultdict(list)
    for v in visits:
        for cid in v.consultants:
            if cid not in known or (consultants is not None and cid not in consultants):
                continue
            window = next(
                (
                    (t.start, t.end)
                    for t in tours_of(known[cid], [v.date])
                    if t.start <= v.start and v.end <= t.end
                ),
                None,
            )
            groups[(cid, v.date, window)].append(v)
    runs: list[TourRun] = []
    for (cid, day, window), group in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or (-1, -1))
    ):
        seq = sorted(group, key=lambda v: (v.start, v.end, v.request))
        base = base_point(cid)
        points = [base, *(_location_of_visit(scenario, v) for v in seq), base]
        legs: list[Leg] = []
        for i in range(len(points) - 1):
            a, b = points[i], points[i + 1]
            minutes = travel(a, b)
            if i == 0:
                depart, arrive = seq[0].start - minutes, seq[0].start
            else:
                depart = seq[i - 1].end
                arrive = depart + minutes
            legs.append(Leg(cid, day, a, b, depart, arrive, minutes))
        runs.append(TourRun(cid, day, window, tuple(seq), tuple(legs)))
    return runs
