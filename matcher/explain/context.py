"""Shared lookups of the explanations: the plan's tours, travel, start slots and role matchings.

Everything is computed from the scenario, the travel matrix and the plan's visits alone
(FORMAT.md), never from the optimisation model.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.explain import words
from matcher.messages import Message
from matcher.scenario.domain import (
    Consultant,
    Location,
    Request,
    Scenario,
    Tour,
    Visit,
    Youth,
    base_point,
    format_time,
)
from matcher.travel import TravelMatrix

WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# A slot is a range of possible start minutes [lo, hi] (both inclusive) with a cost.
Slot = tuple[int, int, int]
Range = tuple[int, int]
MAX_PHRASES = 8  # consultant phrases per capacity line before "and N more"


# Small text helpers ------------------------------------------------------------------------


def _hm(minutes: int) -> str:
    return format_time(minutes)


def _span_hm(start: int, end: int) -> str:
    return f"{_hm(start)}–{_hm(end)}"


def _full_day(day: dt.date) -> str:
    """``Monday 2026-11-23`` in English (visit explanations)."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.isoformat()}"


def _ids(ids: Iterable[str]) -> str:
    items = list(ids)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Shared context ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PlacedTour:
    """One tour window of one consultant on one day, with the plan's visits inside it."""

    tour: Tour
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    points: tuple[int, ...]
    requests: tuple[str, ...]


class _Ctx:
    """Lookups shared by all explanations of one call (travel as nested lists, tours, plan)."""

    def __init__(self, scenario: Scenario, travel: TravelMatrix, visits: Sequence[Visit] = ()):
        self.s = scenario
        self.mins: list[list[int]] = travel.minutes.tolist()
        self.pos = {p: i for i, p in enumerate(travel.ids)}
        self.days: tuple[dt.date, ...] = tuple(sorted(set(scenario.days)))
        self.unique_weekdays = len({d.weekday() for d in self.days}) == len(self.days)
        self.cons: dict[str, Consultant] = {c.id: c for c in scenario.consultants}
        self.base = {c.id: self.pos[base_point(c.id)] for c in scenario.consultants}
        self.tours: dict[tuple[str, dt.date], list[Tour]] = defaultdict(list)
        for t in scenario.tours():
            self.tours[(t.consultant, t.date)].append(t)
        for key in self.tours:
            self.tours[key].sort(key=lambda t: t.start)
        self._qual: dict[frozenset[str], list[str]] = {}
        self.set_plan(visits)

    # plan -------------------------------------------------------------------------------
    def set_plan(self, visits: Sequence[Visit]) -> None:
        self.visits = tuple(visits)
        self.day_count: dict[tuple[str, dt.date], int] = defaultdict(int)
        self.week_count: dict[str, int] = defaultdict(int)
        self.day_requests: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
        self.week_requests: dict[str, list[str]] = defaultdict(list)
        inside: dict[tuple[str, dt.date, int], list[Visit]] = defaultdict(list)
        for v in self.visits:
            for c in v.consultants:
                self.day_count[(c, v.date)] += 1
                self.week_count[c] += 1
                self.day_requests[(c, v.date)].append(v.request)
                self.week_requests[c].append(v.request)
                for i, t in enumerate(self.tours.get((c, v.date), ())):
                    if t.start <= v.start and v.end <= t.end:
                        inside[(c, v.date, i)].append(v)
                        break
        self.placed: dict[tuple[str, dt.date], list[_PlacedTour]] = {}
        for (c, d), tours in self.tours.items():
            out = []
            for i, t in enumerate(tours):
                vs = sorted(inside.get((c, d, i), ()), key=lambda v: (v.start, v.end))
                out.append(
                    _PlacedTour(
                        t,
                        tuple(v.start for v in vs),
                        tuple(v.end for v in vs),
                        tuple(self.point_of_visit(v) for v in vs),
                        tuple(v.request for v in vs),
                    )
                )
            self.placed[(c, d)] = out

    def point_of_visit(self, v: Visit) -> int:
        try:
            return self.pos[self.location_of(self.s.request(v.request)).id]
        except KeyError:
            return self.pos[v.location]

    # lookups ----------------------------------------------------------------------------
    def tm(self, a: int, b: int) -> int:
        return self.mins[a][b]

    def youth(self, req: Request) -> Youth:
        return self.s.youth(req.youth)

    def location_of(self, req: Request) -> Location:
        return self.s.location_of(req)

    def uf(self, req: Request) -> int:
        return self.s.urgency_factor(req.youth)

    def uf_of_request_id(self, rid: str) -> int:
        try:
            return self.uf(self.s.request(rid))
        except KeyError:
            return 0

    def qualified(self, role: frozenset[str]) -> list[str]:
        if role not in self._qual:
            self._qual[role] = [c.id for c in self.s.consultants if c.has_skills(role)]
        return self._qual[role]

    def day_label(self, day: dt.date) -> Message:
        """``Tuesday`` when weekdays are unique among the planning days, else with the date."""
        return words.day_label(day, self.unique_weekdays)

    def has_tours(self, cid: str, day: dt.date) -> bool:
        c = self.cons[cid]
        if c.max_visits_per_day == 0 or c.max_visits_per_week == 0:
            return False
        return bool(self.tours.get((cid, day)))


# Ranges and matching -----------------------------------------------------------------------


def _clip(slots: Sequence[Slot], ranges: Sequence[Range] | None) -> list[Slot]:
    """Intersect start slots with allowed start ranges (``None``: no restriction)."""
    if ranges is None:
        return list(slots)
    out: list[Slot] = []
    for lo, hi, cost in slots:
        for rlo, rhi in ranges:
            a, b = max(lo, rlo), min(hi, rhi)
            if a <= b:
                out.append((a, b, cost))
    return out


def _min_matching(
    role_cands: Sequence[Sequence[str]], avail: dict[str, int]
) -> tuple[tuple[str, ...], int] | None:
    """Cheapest one-to-one filling of the roles by available consultants (cost per person)."""
    k = len(role_cands)
    # Only the k cheapest available candidates of a role can be needed in an optimal matching.
    short = [sorted((avail[c], c) for c in cands if c in avail)[:k] for cands in role_cands]
    if any(not s for s in short):
        return None
    best: tuple[tuple[str, ...], int] | None = None
    for combo in itertools.product(*short):
        people = [c for _, c in combo]
        if len(set(people)) < k:
            continue
        cost = sum(x for x, _ in combo)
        if best is None or cost < best[1]:
            best = (tuple(people), cost)
    return best


def _has_matching(role_cands: Sequence[Sequence[str]]) -> bool:
    return _min_matching(role_cands, {c: 0 for cands in role_cands for c in cands}) is not None


def _best_common(
    role_cands: Sequence[Sequence[str]], slots: dict[str, list[Slot]], *, first: bool = False
) -> tuple[int, tuple[str, ...], int] | None:
    """Cheapest ``(start, consultants, cost)`` with every role filled at the same start.

    With ``first`` the first one found is returned (enough to know that one exists).
    """
    if len(role_cands) == 1:
        found: tuple[int, tuple[str, ...], int] | None = None
        for c in role_cands[0]:
            for lo, _hi, cost in slots.get(c, ()):
                if found is None or (cost, lo) < (found[2], found[0]):
                    found = (lo, (c,), cost)
                    if first:
                        return found
        return found
    people = {c for cands in role_cands for c in cands}
    events = sorted((lo, hi, cost, c) for c in people for lo, hi, cost in slots.get(c, ()))
    best: tuple[int, tuple[str, ...], int] | None = None
    active: dict[str, list[tuple[int, int]]] = defaultdict(list)  # person -> (hi, cost)
    i = 0
    while i < len(events):
        s = events[i][0]
        while i < len(events) and events[i][0] == s:
            _, hi, cost, c = events[i]
            active[c].append((hi, cost))
            i += 1
        avail: dict[str, int] = {}
        for c, spans in active.items():
            spans[:] = [x for x in spans if x[0] >= s]
            if spans:
                avail[c] = min(cost for _, cost in spans)
        m = _min_matching(role_cands, avail)
        if m is not None and (best is None or m[1] < best[2]):
            best = (s, m[0], m[1])
            if first:
                return best
    return best
