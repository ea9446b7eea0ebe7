"""Domain objects of a planning problem (a *scenario*) and its solution (a *plan*).

These are plain frozen dataclasses, independent of the database, the solver and the UI.
They mirror ``FORMAT.md`` version 1 with every default already applied. Times of day are
whole minutes since local midnight (``0..1440``); dates are :class:`datetime.date`.

The loader (:mod:`matcher.scenario.loader`) builds a :class:`Scenario` from a file;
:func:`tours_of` expands a consultant's availability into per-day tour windows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

FORMAT_VERSION = 1

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOCATION_KINDS: tuple[str, ...] = (
    "residentieel",
    "gezinshuis",
    "pleegzorg",
    "jeugdzorgplus",
    "behandelgroep",
    "ambulant",
    "school",
    "kantoor",
)
DEFAULT_URGENCY_FACTORS: dict[str, int] = {"low": 1, "normal": 2, "high": 4, "crisis": 8}
DAY_MINUTES = 24 * 60

PlanStatus = Literal["optimal", "feasible", "infeasible", "unknown"]
PLAN_STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown")


def format_time(minutes: int) -> str:
    """Format minutes since midnight as ``HH:MM`` (``1440`` becomes ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def base_point(consultant_id: str) -> str:
    """The travel-matrix point id of a consultant's base (``base:<id>``)."""
    return f"base:{consultant_id}"


@dataclass(frozen=True, slots=True)
class Point:
    """A place on the map, in WGS84 degrees."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Window:
    """A time window on one weekday or one date; exactly one of the two is set.

    Used for consultant availability and location opening hours.
    """

    start: int
    end: int
    date: dt.date | None = None
    weekday: str | None = None

    def applies_to(self, day: dt.date) -> bool:
        """Whether the window applies to ``day``."""
        if self.date is not None:
            return self.date == day
        return self.weekday == WEEKDAYS[day.weekday()]


@dataclass(frozen=True, slots=True)
class Unavailability:
    """Time removed from a consultant's windows on one date (whole day by default)."""

    date: dt.date
    start: int = 0
    end: int = DAY_MINUTES


@dataclass(frozen=True, slots=True)
class Tour:
    """One remaining availability window of one consultant on one date: one possible tour."""

    consultant: str
    date: dt.date
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Provider:
    """A care provider whose consultants travel to the youths.

    ``hourly_rate`` (euros per consultant per consult hour) and ``km_rate`` (euros per km
    driven) price a plan for the paying municipalities; they never enter the objective.
    """

    id: str
    name: str
    hourly_rate: float | None = None
    km_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Consultant:
    id: str
    provider: str
    name: str
    email: str
    base: Point
    skills: frozenset[str] = frozenset()
    max_visits_per_day: int | None = None
    max_visits_per_week: int | None = None
    availability: tuple[Window, ...] = ()
    unavailable: tuple[Unavailability, ...] = ()

    def has_skills(self, skills: Iterable[str]) -> bool:
        """Whether the consultant has every skill in ``skills``."""
        return self.skills.issuperset(skills)


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    kind: str
    gemeente: str
    lat: float
    lon: float
    address: str | None = None
    confidential: bool = True
    open: tuple[Window, ...] | None = None
    """Opening windows; ``None`` means always open."""
    contact: Contact | None = None

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Youth:
    id: str
    location: str
    gemeente: str
    signalled_on: dt.date
    urgency: str = "normal"
    previous_consultant: str | None = None
    excluded_consultants: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Pin:
    """A locked decision: exactly these consultants, and the date and start where given."""

    consultants: tuple[str, ...]
    date: dt.date | None = None
    start: int | None = None


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    youth: str
    roles: tuple[frozenset[str], ...]
    """One skill set per consultant needed; two or more roles make a joint visit."""
    duration_minutes: int
    earliest: dt.date
    latest: dt.date
    time_of_day: TimeOfDay | None = None
    pinned: Pin | None = None

    @property
    def is_joint(self) -> bool:
        return len(self.roles) > 1


@dataclass(frozen=True, slots=True)
class TravelSettings:
    speed_kmh: float = 60.0
    detour_factor: float = 1.3
    overrides: tuple[tuple[str, str, int], ...] = ()
    """``(from, to, minutes)`` rows of the ``matrix`` CSV, read by the loader."""
    matrix: Path | None = field(default=None, compare=False)
    """Where the overrides were read from (resolved against the scenario file), if anywhere."""


@dataclass(frozen=True, slots=True)
class Weights:
    travel_minute: int = 1
    waiting_day: int = 10
    continuity: int = 60
    unassigned: int = 1000
    change: int = 300


@dataclass(frozen=True, slots=True)
class PublishedVisit:
    """A visit that staff already have in their calendars (``published`` in FORMAT.md).

    The plan *keeps* it when it has a visit of the same request on the same date, at the
    same start, with the same set of consultants.
    """

    request: str
    date: dt.date
    start: int
    consultants: tuple[str, ...]

    def kept_by(self, visit: Visit) -> bool:
        """Whether ``visit`` keeps this published visit."""
        return (
            visit.request == self.request
            and visit.date == self.date
            and visit.start == self.start
            and set(visit.consultants) == set(self.consultants)
        )


def _frozen_map(m: Mapping[str, int]) -> MappingProxyType[str, int]:
    return MappingProxyType(dict(m))


def _rebuild_scenario(fields: dict[str, Any]) -> Scenario:
    """Unpickle a :class:`Scenario` (see ``Scenario.__reduce__``)."""
    return Scenario(**{**fields, "urgency_factors": _frozen_map(fields["urgency_factors"])})


@dataclass(frozen=True)
class Scenario:
    """A complete planning problem with every default applied."""

    name: str
    days: tuple[dt.date, ...]
    providers: tuple[Provider, ...]
    consultants: tuple[Consultant, ...]
    locations: tuple[Location, ...]
    youths: tuple[Youth, ...]
    requests: tuple[Request, ...]
    week: str | None = None
    timezone: str = "Europe/Amsterdam"
    travel: TravelSettings = field(default_factory=TravelSettings)
    weights: Weights = field(default_factory=Weights)
    urgency_factors: MappingProxyType[str, int] = field(
        default_factory=lambda: _frozen_map(DEFAULT_URGENCY_FACTORS)
    )
    now: dt.datetime | None = None
    """The moment of planning (naive local time in ``timezone``), if given."""
    published: tuple[PublishedVisit, ...] = ()
    """Visits already sent to staff (at most one per request)."""
    source: Path | None = field(default=None, compare=False)
    """The file the scenario was read from, if any (not part of the format)."""

    _providers: dict[str, Provider] = field(init=False, repr=False, compare=False)
    _consultants: dict[str, Consultant] = field(init=False, repr=False, compare=False)
    _locations: dict[str, Location] = field(init=False, repr=False, compare=False)
    _youths: dict[str, Youth] = field(init=False, repr=False, compare=False)
    _requests: dict[str, Request] = field(init=False, repr=False, compare=False)
    _published: dict[str, PublishedVisit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_published", {p.request: p for p in self.published})
        object.__setattr__(self, "_providers", {p.id: p for p in self.providers})
        object.__setattr__(self, "_consultants", {c.id: c for c in self.consultants})
        object.__setattr__(self, "_locations", {loc.id: loc for loc in self.locations})
        object.__setattr__(self, "_youths", {y.id: y for y in self.youths})
        object.__setattr__(self, "_requests", {r.id: r for r in self.requests})

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickle support (the solver sends scenarios to a child process)."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}
        fields["urgency_factors"] = dict(self.urgency_factors)
        return (_rebuild_scenario, (fields,))

    # Lookup helpers ---------------------------------------------------------------
    def provider(self, provider_id: str) -> Provider:
        return self._providers[provider_id]

    def consultant(self, consultant_id: str) -> Consultant:
        return self._consultants[consultant_id]

    def location(self, location_id: str) -> Location:
        return self._locations[location_id]

    def youth(self, youth_id: str) -> Youth:
        return self._youths[youth_id]

    def request(self, request_id: str) -> Request:
        return self._requests[request_id]

    def location_of(self, request: Request) -> Location:
        """The location where ``request`` takes place (the youth's placement)."""
        return self.location(self.youth(request.youth).location)

    def published_visit(self, request_id: str) -> PublishedVisit | None:
        """The published visit of a request, if any."""
        return self._published.get(request_id)

    def before_now(self, day: dt.date, start: int) -> bool:
        """Whether a visit starting at ``day`` ``start`` starts before :attr:`now`."""
        if self.now is None:
            return False
        return (day, start) < (self.now.date(), self.now.hour * 60 + self.now.minute)

    def forced(self, request_id: str) -> PublishedVisit | None:
        """The published visit of a request if it starts before ``now`` (it must be kept)."""
        p = self._published.get(request_id)
        return p if p is not None and self.before_now(p.date, p.start) else None

    def urgency_factor(self, youth_id: str) -> int:
        return self.urgency_factors[self.youth(youth_id).urgency]

    def tours(self) -> list[Tour]:
        """All tours of all consultants on the planning days, sorted."""
        out: list[Tour] = []
        for c in self.consultants:
            out.extend(tours_of(c, self.days))
        return out


def subtract_interval(
    windows: list[tuple[int, int]], cut_start: int, cut_end: int
) -> list[tuple[int, int]]:
    """Remove ``[cut_start, cut_end)`` from each ``(start, end)`` window, splitting where needed.

    Empty remainders are dropped.
    """
    out: list[tuple[int, int]] = []
    for start, end in windows:
        if cut_end <= start or cut_start >= end:
            out.append((start, end))
            continue
        if start < cut_start:
            out.append((start, cut_start))
        if cut_end < end:
            out.append((cut_end, end))
    return out


def tours_of(consultant: Consultant, days: Iterable[dt.date]) -> list[Tour]:
    """Expand a consultant's availability into tours on the given planning days.

    Windows that apply to a day (by date or weekday) are taken, the consultant's
    ``unavailable`` entries of that date are cut out (splitting a window where needed), and
    each non-empty remainder is one :class:`Tour`. Availability dated outside ``days`` is
    simply not used.
    """
    by_date: dict[dt.date, list[tuple[int, int]]] = {}
    by_weekday: dict[str | None, list[tuple[int, int]]] = {}
    for w in consultant.availability:  # grouped once: O(n log n) however many windows
        group = by_date.setdefault(w.date, []) if w.date else by_weekday.setdefault(w.weekday, [])
        group.append((w.start, w.end))
    cuts: dict[dt.date, list[tuple[int, int]]] = {}
    for u in consultant.unavailable:
        cuts.setdefault(u.date, []).append((u.start, u.end))
    tours: list[Tour] = []
    for day in sorted(set(days)):
        windows = sorted(by_date.get(day, []) + by_weekday.get(WEEKDAYS[day.weekday()], []))
        if day in cuts:
            windows = _subtract_all(windows, cuts[day])
        tours.extend(Tour(consultant.id, day, s, e) for s, e in windows if e > s)
    return tours


def _subtract_all(
    windows: list[tuple[int, int]], cuts: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """:func:`subtract_interval` of every cut, in one sweep (``windows`` sorted by start)."""
    merged: list[list[int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[int, int]] = []
    first = 0
    for start, end in windows:
        while first < len(merged) and merged[first][1] <= start:
            first += 1
        cur = start
        k = first
        while k < len(merged) and merged[k][0] < end:
            if merged[k][0] > cur:
                out.append((cur, merged[k][0]))
            cur = max(cur, merged[k][1])
            k += 1
        if cur < end:
            out.append((cur, end))
    return out


def open_windows_on(location: Location, day: dt.date) -> list[tuple[int, int]] | None:
    """The location's opening windows on ``day``; ``None`` when it is always open."""
    if location.open is None:
        return None
    return sorted((w.start, w.end) for w in location.open if w.applies_to(day))


# Plans ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visit:
    """One planned visit: a request served by its consultants at one date and time."""

    request: str
    youth: str
    location: str
    consultants: tuple[str, ...]
    date: dt.date
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Unassigned:
    request: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SolverInfo:
    status: str
    objective: int | None
    bound: int | None
    seconds: float


@dataclass(frozen=True)
class Plan:
    """A solution in the shape of the plan document of ``FORMAT.md``."""

    scenario: str
    solver: SolverInfo
    visits: tuple[Visit, ...]
    unassigned: tuple[Unassigned, ...]
    kpis: dict[str, int | float] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)
    """Keys outside the format that a plan document may carry (kept on round trips)."""
