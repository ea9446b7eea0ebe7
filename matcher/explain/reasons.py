"""Explanations in planner language: why a request stays open, which pins clash, what a visit costs.

Everything here is computed from the scenario, the travel matrix and the plan's visits
alone, following ``FORMAT.md``; nothing is taken from the optimisation model, so the
explanations stay honest about what the solver did or did not find.

Unassigned requests are explained by a layered diagnostic. The request is first checked
*alone* (as if nothing else were planned), one rule after another:

1. skills, exclusions, enough distinct consultants for a joint visit, and the pin's
   consultants;
2. the allowed dates (``earliest``/``latest``, not before ``signalled_on``, the pinned date);
3. availability: a tour of a qualified consultant on an allowed day;
4. time: a tour that leaves room for the duration plus the drive from and to the base;
5. opening hours of the location and the request's time of day;
6. the pinned start.

The first rule that leaves no possibility gives the reasons. Only when the request alone
*is* feasible is it tried against the plan: every candidate tour is checked for the
cheapest feasible insertion (all hard rules, with travel times), and the reasons name why
each candidate is taken (caps, tours packed with more urgent visits) or, honestly, that an
insertion exists and what it would cost.

Times in messages are ``HH:MM``, dates ISO, weekdays English; the messages are English.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.explain import words
from matcher.explain.words import Reason, Text
from matcher.messages import Message
from matcher.rules import (
    caps,
    dates,
    exclusions,
    joint,
    opening_hours,
    pins,
    published,
    routes,
    skills,
    time_of_day,
    windows,
)
from matcher.scenario.domain import (
    DAY_MINUTES,
    Consultant,
    Location,
    Plan,
    Request,
    Scenario,
    Tour,
    Visit,
    Youth,
    base_point,
    format_time,
    open_windows_on,
)
from matcher.travel import TravelMatrix

__all__ = [
    "Insertion",
    "Reason",
    "TravelLeg",
    "VisitExplanation",
    "best_insertion",
    "explain_infeasible_pins",
    "explain_unassigned",
    "explain_visit",
    "plan_cost_breakdown",
]

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


# Request alone -------------------------------------------------------------------------------

Layer = dict[dt.date, dict[str, list[Slot]]]


@dataclass
class _Alone:
    """The outcome of checking one request alone against every rule."""

    reasons: list[Message]
    days: list[dt.date]
    cands: list[list[str]]
    final: Layer
    """Alone-feasible start slots per day and consultant (all rules applied)."""
    final_tours: dict[tuple[str, dt.date], set[int]]
    """Per consultant-day: indices of the tours holding an alone-feasible slot."""
    constraint_ranges: dict[dt.date, list[Range] | None]
    """Per allowed day: start ranges allowed by opening hours, time of day and pinned start."""


def _feasible(cands: Sequence[Sequence[str]], layer: Layer) -> bool:
    return any(_best_common(cands, per_c, first=True) is not None for per_c in layer.values())


def _role_ok(cands: Sequence[str], layer: Layer) -> bool:
    return any(per_c.get(c) for per_c in layer.values() for c in cands)


def _start_ranges(
    loc: Location, req: Request, day: dt.date, *, use_open: bool, use_tod: bool, use_pin: bool
) -> list[Range] | None:
    dur = req.duration_minutes
    ranges: list[Range] | None = None
    if use_open:
        windows = open_windows_on(loc, day)
        if windows is not None:
            ranges = [(s, e - dur) for s, e in windows if e - dur >= s]
    if use_tod and req.time_of_day is not None:
        tod = (req.time_of_day.start, req.time_of_day.end - dur)
        ranges = _intersect_ranges(ranges, [tod] if tod[0] <= tod[1] else [])
    if use_pin and req.pinned is not None and req.pinned.start is not None:
        ranges = _intersect_ranges(ranges, [(req.pinned.start, req.pinned.start)])
    return ranges


def _intersect_ranges(a: list[Range] | None, b: list[Range]) -> list[Range]:
    if a is None:
        return list(b)
    out = []
    for alo, ahi in a:
        for blo, bhi in b:
            lo, hi = max(alo, blo), min(ahi, bhi)
            if lo <= hi:
                out.append((lo, hi))
    return out


def _subject(ctx: _Ctx, req: Request, role_index: int | None = None) -> Text:
    """Who the message is about: the pinned consultants or the consultants with the skills."""
    if req.pinned is not None:
        return words.subject(req.pinned.consultants, None)
    if role_index is None or not req.is_joint:
        return words.subject(None, None)
    return words.subject(None, req.roles[role_index])


def _static_reasons(ctx: _Ctx, req: Request, youth: Youth) -> tuple[list[Message], list[list[str]]]:
    """Skills, exclusions, distinct consultants and the pin's consultants."""
    reasons: list[Message] = []
    every_skill = set().union(*(c.skills for c in ctx.s.consultants))
    allowed: list[list[str]] = []
    for role in req.roles:
        qual = ctx.qualified(role)
        ok = [c for c in qual if c not in youth.excluded_consultants]
        allowed.append(ok)
        if not qual:
            missing = [s for s in sorted(role) if s not in every_skill]
            if missing:
                reasons.append(skills.reason_missing(missing))
            else:
                reasons.append(skills.reason_not_together(role))
        elif not ok:
            reasons.append(exclusions.reason_excluded(qual, role))
    if not reasons and req.is_joint and not _has_matching(allowed):
        people = sorted({c for cands in allowed for c in cands})
        reasons.append(joint.reason_too_few(people, req.roles))
    pin = req.pinned
    if pin is None:
        return reasons, allowed
    pcs = list(dict.fromkeys(pin.consultants))
    unknown = [c for c in pcs if c not in ctx.cons]
    for c in unknown:
        reasons.append(pins.reason_unknown(c))
    if len(pcs) != len(req.roles):
        reasons.append(pins.reason_wrong_count(pcs, len(req.roles)))
    for c in pcs:
        if c in youth.excluded_consultants:
            reasons.append(pins.reason_excluded(c, youth.id))
    known = [c for c in pcs if c in ctx.cons]
    if not unknown and len(pcs) == len(req.roles):
        fits = [[c for c in known if ctx.cons[c].has_skills(role)] for role in req.roles]
        if not _has_matching(fits):
            if not req.is_joint:
                reasons.append(
                    pins.reason_lacks(known[0], req.roles[0] - ctx.cons[known[0]].skills)
                )
            else:
                useless = [c for c in known if not any(c in f for f in fits)]
                for c in useless:
                    reasons.append(pins.reason_no_role(c, req.roles))
                if not useless:
                    reasons.append(pins.reason_roles_unmatched(known, req.roles))
    cands = [[c for c in ok if c in known] for ok in allowed]
    return reasons, cands


def _date_reasons(ctx: _Ctx, req: Request, youth: Youth) -> tuple[list[Message], list[dt.date]]:
    lo = max(req.earliest, youth.signalled_on)
    days = [d for d in ctx.days if lo <= d <= req.latest]
    if not days:
        return [dates.reason_no_day(req, youth, lo)], []
    pin = req.pinned
    if pin is not None and pin.date is not None:
        if pin.date in days:
            return [], [pin.date]
        return [pins.reason_date(pin.date, pin.date in ctx.days, youth.signalled_on, days)], []
    return [], days


def _not_before_now(
    scenario: Scenario, day: dt.date, ranges: list[Range] | None
) -> list[Range] | None:
    """Start ranges on ``day`` cut to starts at or after the scenario's ``now``."""
    now = scenario.now
    if now is None or day > now.date():
        return ranges
    if day < now.date():
        return []
    return _intersect_ranges(ranges, [(now.hour * 60 + now.minute, DAY_MINUTES)])


def _tour_layer(
    ctx: _Ctx, req: Request, loc_idx: int, cands: list[list[str]], days: list[dt.date]
) -> Layer:
    """Start slots that fit a tour with the drive from and to the base (cost: round trip)."""
    dur = req.duration_minutes
    layer: Layer = {}
    people = sorted({c for cs in cands for c in cs})
    for d in days:
        per_c: dict[str, list[Slot]] = {}
        for c in people:
            if not ctx.has_tours(c, d):
                continue
            b = ctx.base[c]
            there, back = ctx.tm(b, loc_idx), ctx.tm(loc_idx, b)
            slots = [
                (t.start + there, t.end - back - dur, there + back)
                for t in ctx.tours[(c, d)]
                if t.start + there <= t.end - back - dur
            ]
            if slots:
                per_c[c] = slots
        layer[d] = per_c
    return layer


def _clip_layer(layer: Layer, ranges: dict[dt.date, list[Range] | None]) -> Layer:
    out: Layer = {}
    for d, per_c in layer.items():
        out[d] = {}
        for c, slots in per_c.items():
            clipped = _clip(slots, ranges[d])
            if clipped:
                out[d][c] = clipped
    return out


def _closest_tour(
    ctx: _Ctx, req: Request, loc_idx: int, people: Iterable[str], days: Iterable[dt.date]
) -> Text:
    best: tuple[int, Message] | None = None
    for d in days:
        for c in people:
            if not ctx.has_tours(c, d):
                continue
            b = ctx.base[c]
            there, back = ctx.tm(b, loc_idx), ctx.tm(loc_idx, b)
            for t in ctx.tours[(c, d)]:
                short = there + req.duration_minutes + back - (t.end - t.start)
                text = windows.closest(c, d, t.start, t.end, there, req.duration_minutes, back)
                if best is None or short < best[0]:
                    best = (short, text)
    return best[1] if best else ""


def _opening_summary(ctx: _Ctx, loc: Location, days: Sequence[dt.date]) -> Message:
    parts: list[Message] = []
    for d in days:
        open_ = open_windows_on(loc, d)
        if open_:
            parts.append(
                opening_hours.open_day(ctx.day_label(d), [_span_hm(s, e) for s, e in open_])
            )
    return opening_hours.summary(parts, list(days))


def _diagnose_alone(ctx: _Ctx, req: Request) -> _Alone:
    youth = ctx.youth(req)
    loc = ctx.location_of(req)
    loc_idx = ctx.pos[loc.id]
    dur = req.duration_minutes
    pin = req.pinned
    empty: Layer = {}

    def fail(reasons: list[Message]) -> _Alone:
        return _Alone(reasons, [], [], empty, {}, {})

    # (a, b, g) skills, exclusions, distinct consultants, pinned consultants
    reasons, cands = _static_reasons(ctx, req, youth)
    if reasons:
        return fail(reasons)
    # (c) dates
    reasons, days = _date_reasons(ctx, req, youth)
    if reasons:
        return fail(reasons)
    tod = req.time_of_day
    if tod is not None and tod.end - tod.start < dur:
        return fail([time_of_day.reason_too_short(tod.start, tod.end, dur)])
    # (d) availability: a tour at all
    avail = {d: {c: [(0, 0, 0)] for cs in cands for c in cs if ctx.has_tours(c, d)} for d in days}
    if not _feasible(cands, avail):
        out: list[Message] = []
        if pin is not None:
            for c in dict.fromkeys(pin.consultants):
                if not any(ctx.has_tours(c, d) for d in days):
                    if pin.date is not None:
                        out.append(pins.reason_unavailable_day(c, pin.date))
                    else:
                        out.append(pins.reason_not_available(c, days))
            if not out:
                out.append(pins.reason_not_same_day(list(pin.consultants), days))
        else:
            for i, cs in enumerate(cands):
                if not _role_ok(cs, avail):
                    out.append(windows.reason_not_available(_subject(ctx, req, i), days, cs))
            if not out:
                out.append(joint.reason_no_day(days, req.roles))
        return fail(list(dict.fromkeys(out)))
    # (e) time: duration plus travel inside a tour
    tour_layer = _tour_layer(ctx, req, loc_idx, cands, days)
    if not _feasible(cands, tour_layer):
        out = []
        for i, cs in enumerate(cands):
            if _role_ok(cs, tour_layer):
                continue
            detail = _closest_tour(ctx, req, loc_idx, cs, days)
            if pin is not None:
                out.append(pins.reason_no_room(cs, days, dur, detail))
            else:
                out.append(windows.reason_no_room(_subject(ctx, req, i), days, dur, detail))
        if not out:
            out.append(joint.reason_no_common_time(days, req.roles))
        return fail(list(dict.fromkeys(out)))

    # (f) opening hours and time of day
    def ranges(use_open: bool, use_tod: bool, use_pin: bool) -> dict[dt.date, list[Range] | None]:
        return {
            d: _start_ranges(loc, req, d, use_open=use_open, use_tod=use_tod, use_pin=use_pin)
            for d in days
        }

    open_layer = _clip_layer(tour_layer, ranges(True, False, False))
    tod_layer = _clip_layer(tour_layer, ranges(False, True, False))
    both_ranges = ranges(True, True, False)
    both_layer = _clip_layer(tour_layer, both_ranges)
    open_ok, tod_ok = _feasible(cands, open_layer), _feasible(cands, tod_layer)
    out = []
    if not open_ok:
        if all(_role_ok(cs, open_layer) for cs in cands):
            out.append(joint.reason_no_common_time(days, req.roles, location=loc.name))
        else:
            out.append(opening_hours.reason_outside(loc.name, _opening_summary(ctx, loc, days)))
    if not tod_ok and tod is not None:
        if all(_role_ok(cs, tod_layer) for cs in cands):
            out.append(
                joint.reason_no_common_time(
                    days, req.roles, time_of_day=_span_hm(tod.start, tod.end)
                )
            )
        else:
            subjects = [
                _subject(ctx, req, i) for i, cs in enumerate(cands) if not _role_ok(cs, tod_layer)
            ]
            for subj in dict.fromkeys(subjects):
                out.append(time_of_day.reason_no_tour(tod.start, tod.end, subj))
    if out:
        return fail(out)
    if not _feasible(cands, both_layer) and tod is not None:
        return fail(
            [
                time_of_day.reason_with_opening(
                    tod.start,
                    tod.end,
                    loc.name,
                    _subject(ctx, req),
                    _opening_summary(ctx, loc, days),
                )
            ]
        )
    # (g) pinned start
    final_ranges = ranges(True, True, True)
    final = _clip_layer(both_layer, final_ranges)
    if not _feasible(cands, final):
        assert pin is not None and pin.start is not None
        return fail(_pin_start_reasons(ctx, req, loc, loc_idx, days, tour_layer))
    # (h) not before now (FORMAT.md, re-planning)
    now = ctx.s.now
    if now is not None:
        final_ranges = {d: _not_before_now(ctx.s, d, r) for d, r in final_ranges.items()}
        final = _clip_layer(final, final_ranges)
        if not _feasible(cands, final):
            if days[-1] < now.date():
                return fail([published.reason_all_days_before_now(days[0], days[-1], now)])
            return fail([published.reason_only_before_now(now)])
    final_tours: dict[tuple[str, dt.date], set[int]] = {}
    for d, per_c in final.items():
        for c, slots in per_c.items():
            idx = {
                i
                for i, t in enumerate(ctx.tours[(c, d)])
                for lo, hi, _ in slots
                if t.start <= lo and hi + dur <= t.end
            }
            final_tours[(c, d)] = idx
    return _Alone([], days, cands, final, final_tours, final_ranges)


def _pin_start_reasons(
    ctx: _Ctx, req: Request, loc: Location, loc_idx: int, days: list[dt.date], tour_layer: Layer
) -> list[Message]:
    pin = req.pinned
    assert pin is not None and pin.start is not None
    s, e = pin.start, pin.start + req.duration_minutes
    when = pins.when(pin.date, days)
    out: list[Message] = []
    for c in dict.fromkeys(pin.consultants):
        containing = [
            (d, t) for d in days for t in ctx.tours.get((c, d), ()) if t.start <= s and e <= t.end
        ]
        if not containing or not ctx.has_tours(c, containing[0][0]):
            out.append(pins.reason_unavailable_at(c, s, e, when))
            continue
        if any(lo <= s <= hi for d in days for lo, hi, _ in tour_layer[d].get(c, ())):
            continue
        t = containing[0][1]
        b = ctx.base[c]
        there, back = ctx.tm(b, loc_idx), ctx.tm(loc_idx, b)
        if t.start + there > s:
            out.append(pins.reason_no_drive_there(s, c, there, t.start))
        else:
            out.append(pins.reason_no_drive_back(e, c, back, t.end))

    def is_open(d: dt.date) -> bool:
        windows = open_windows_on(loc, d)
        return windows is None or any(a <= s and e <= z for a, z in windows)

    if not any(is_open(d) for d in days):
        out.append(pins.reason_outside_opening(s, loc.name, _opening_summary(ctx, loc, days)))
    tod = req.time_of_day
    if tod is not None and not (tod.start <= s and e <= tod.end):
        out.append(pins.reason_outside_time_of_day(s, e, (tod.start, tod.end)))
    if not out:
        out.append(pins.reason_no_common_time(s, e, list(pin.consultants), when))
    return out


# Request against the plan -------------------------------------------------------------------


@dataclass(frozen=True)
class Insertion:
    """The cheapest way found to add one request to a plan without moving other visits.

    Attributes
    ----------
    travel_minutes
        Extra travel minutes (summed over the consultants) the insertion adds.
    waiting, continuity
        The request's waiting and continuity terms (already weighted).
    total
        The objective increase: ``travel_minute * travel_minutes + waiting + continuity``.
    """

    request: str
    date: dt.date
    start: int
    end: int
    consultants: tuple[str, ...]
    travel_minutes: int
    waiting: int
    continuity: int
    total: int

    def visit(self, scenario: Scenario) -> Visit:
        """The insertion as a plan :class:`~matcher.scenario.domain.Visit`."""
        req = scenario.request(self.request)
        return Visit(
            self.request,
            req.youth,
            scenario.location_of(req).id,
            self.consultants,
            self.date,
            self.start,
            self.end,
        )


def _plan_slots(
    ctx: _Ctx,
    req: Request,
    loc_idx: int,
    c: str,
    d: dt.date,
    ranges: list[Range] | None,
    tour_ids: set[int],
) -> list[tuple[int, int, int]]:
    """Feasible start slots of ``req`` for ``c`` on ``d`` between the plan's visits.

    The cost of a slot is the extra travel minutes of inserting the visit there.
    """
    dur = req.duration_minutes
    b = ctx.base[c]
    out: list[Slot] = []
    for i, pt in enumerate(ctx.placed.get((c, d), ())):
        if i not in tour_ids:
            continue
        n = len(pt.starts)
        for g in range(n + 1):
            prev_p = b if g == 0 else pt.points[g - 1]
            prev_end = pt.tour.start if g == 0 else pt.ends[g - 1]
            next_p = b if g == n else pt.points[g]
            next_start = pt.tour.end if g == n else pt.starts[g]
            there, on = ctx.tm(prev_p, loc_idx), ctx.tm(loc_idx, next_p)
            lo, hi = prev_end + there, next_start - on - dur
            if lo <= hi:
                out.append((lo, hi, there + on - ctx.tm(prev_p, next_p)))
    return _clip(out, ranges)


PlanSlots = dict[tuple[str, dt.date], list[Slot] | None]


def _cheapest_insertion(
    ctx: _Ctx, req: Request, alone: _Alone, cache: PlanSlots | None = None
) -> Insertion | None:
    """The cheapest insertion into the plan; ``cache`` receives the plan slots per
    consultant-day (``None`` where a cap is reached)."""
    cache = {} if cache is None else cache
    youth = ctx.youth(req)
    loc_idx = ctx.pos[ctx.location_of(req).id]
    w = ctx.s.weights
    uf = ctx.uf(req)
    prev = youth.previous_consultant
    best: Insertion | None = None
    for d in alone.days:
        per_c: dict[str, list[Slot]] = {}
        raw: dict[str, list[Slot]] = {}
        for c in alone.final.get(d, {}):
            cons = ctx.cons[c]
            if cons.max_visits_per_week is not None and ctx.week_count[c] >= (
                cons.max_visits_per_week
            ):
                cache[(c, d)] = None
                continue
            if cons.max_visits_per_day is not None and ctx.day_count[(c, d)] >= (
                cons.max_visits_per_day
            ):
                cache[(c, d)] = None
                continue
            slots = cache[(c, d)] = _plan_slots(
                ctx,
                req,
                loc_idx,
                c,
                d,
                alone.constraint_ranges[d],
                alone.final_tours.get((c, d), set()),
            )
            if slots:
                raw[c] = slots
                bonus = w.continuity if prev is not None and c == prev else 0
                per_c[c] = [(lo, hi, w.travel_minute * x - bonus) for lo, hi, x in slots]
        found = _best_common(alone.cands, per_c)
        if found is None:
            continue
        start, people, _ = found
        extra = sum(min(x for lo, hi, x in raw[c] if lo <= start <= hi) for c in people)
        waiting = w.waiting_day * uf * (d - youth.signalled_on).days
        cont = w.continuity if prev is not None and prev not in people else 0
        total = w.travel_minute * extra + waiting + cont
        if best is None or total < best.total:
            best = Insertion(
                req.id, d, start, start + req.duration_minutes, people, extra, waiting, cont, total
            )
    return best


@dataclass
class _Blocker:
    consultant: str
    kind: str  # "week", "day" or "packed"
    day: dt.date | None
    requests: list[str]


def _blockers(
    ctx: _Ctx, req: Request, alone: _Alone, cache: PlanSlots
) -> tuple[list[_Blocker], list[dt.date]]:
    """Why each alone-feasible candidate consultant-day is taken in the plan.

    Returns the blockers and the days on which every role has a consultant with free time
    (a joint visit that still does not fit lacks common free time on those days).
    """
    loc_idx = ctx.pos[ctx.location_of(req).id]
    people = sorted({c for cs in alone.cands for c in cs})
    out: list[_Blocker] = []
    week_done: set[str] = set()
    every_role_free: list[dt.date] = []
    for d in alone.days:
        free: set[str] = set()
        for c in people:
            if c not in alone.final.get(d, {}):
                continue
            cons = ctx.cons[c]
            if cons.max_visits_per_week is not None and ctx.week_count[c] >= (
                cons.max_visits_per_week
            ):
                if c not in week_done:
                    week_done.add(c)
                    out.append(_Blocker(c, "week", None, list(ctx.week_requests[c])))
                continue
            if cons.max_visits_per_day is not None and ctx.day_count[(c, d)] >= (
                cons.max_visits_per_day
            ):
                out.append(_Blocker(c, "day", d, list(ctx.day_requests[(c, d)])))
                continue
            tour_ids = alone.final_tours.get((c, d), set())
            slots = cache.get((c, d))
            if slots is None:
                slots = _plan_slots(ctx, req, loc_idx, c, d, alone.constraint_ranges[d], tour_ids)
            if slots:
                free.add(c)
                continue
            placed = ctx.placed.get((c, d), [])
            reqs = [r for i in sorted(tour_ids) for r in placed[i].requests]
            out.append(_Blocker(c, "packed", d, reqs))
        if all(any(c in free for c in cs) for cs in alone.cands):
            every_role_free.append(d)
    return out, every_role_free


def _blocker_lines(ctx: _Ctx, req: Request, blockers: list[_Blocker]) -> list[Message]:
    """Render blockers: one wrapper line for consultants taken by at-least-as-urgent requests,
    one line per consultant whose visits include less urgent requests."""
    mine = ctx.uf(req)
    order = {c.id: i for i, c in enumerate(ctx.s.consultants)}
    per_c: dict[str, list[_Blocker]] = defaultdict(list)
    for b in blockers:
        per_c[b.consultant].append(b)

    def phrases(c: str, bs: list[_Blocker], inner: bool) -> list[Message]:
        cons = ctx.cons[c]
        out: list[Message] = []
        for kind in ("week", "day", "packed"):
            days = sorted({b.day for b in bs if b.kind == kind and b.day is not None})
            if kind == "week" and any(b.kind == "week" for b in bs):
                out.append(caps.at_week_cap(c, cons.max_visits_per_week))
            elif kind == "day" and days:
                on = words.ids([ctx.day_label(d) for d in days])
                out.append(caps.full_at_day_cap(c, on, cons.max_visits_per_day, inner))
            elif kind == "packed" and days:
                out.append(routes.full_on(c, words.ids([ctx.day_label(d) for d in days])))
        return out

    urgent: list[Message] = []
    equal = False
    less_lines: list[Message] = []
    for c in sorted(per_c, key=lambda x: order.get(x, 0)):
        bs = per_c[c]
        reqs = list(dict.fromkeys(r for b in bs for r in b.requests))
        ufs = {r: ctx.uf_of_request_id(r) for r in reqs}
        lower = sorted((r for r in reqs if ufs[r] < mine), key=_natural)
        if reqs and not lower:
            urgent.extend(phrases(c, bs, True))
            equal = equal or any(u == mine for u in ufs.values())
            continue
        line = words.semi(phrases(c, bs, False))
        if lower:
            more = len(lower) - 3 if len(lower) > 3 else 0
            line = caps.including_less_urgent(line, lower[:3], more)
        less_lines.append(line)
    lines: list[Message] = []
    if urgent:
        shown = urgent[:MAX_PHRASES]
        lines.append(caps.reason_taken(shown, equal, len(urgent) - len(shown)))
    lines.extend(less_lines[:MAX_PHRASES])
    if len(less_lines) > MAX_PHRASES:
        lines.append(caps.reason_more_full(len(less_lines) - MAX_PHRASES))
    return lines


def _natural(rid: str) -> tuple[str, int, str]:
    """Sort key putting R-9 before R-10."""
    head = rid.rstrip("0123456789")
    tail = rid[len(head) :]
    return (head, int(tail) if tail else -1, rid)


def _insertion_text(ctx: _Ctx, ins: Insertion) -> Message:
    parts = [Message("part_travel", minutes=ins.travel_minutes)]
    if ins.waiting:
        parts.append(Message("part_waiting", cost=ins.waiting))
    if ins.continuity:
        parts.append(Message("part_continuity", cost=ins.continuity))
    return Message(
        "insertion",
        consultants=words.ids(ins.consultants),
        day=words.full_day(ins.date),
        time=_hm(ins.start),
        cost=ins.total,
        parts=parts,
    )


def _explain_one(ctx: _Ctx, req: Request) -> list[Message]:
    alone = _diagnose_alone(ctx, req)
    if alone.reasons:
        return alone.reasons
    penalty = ctx.s.weights.unassigned * ctx.uf(req)
    cache: PlanSlots = {}
    ins = _cheapest_insertion(ctx, req, alone, cache)
    if ins is not None and ins.total < penalty:
        return [
            Message(
                "could_be_added",
                consultants=words.ids(ins.consultants),
                day=words.full_day(ins.date),
                time=_hm(ins.start),
                cost=ins.total,
                penalty=penalty,
            )
        ]
    blockers, every_role_free = _blockers(ctx, req, alone, cache)
    lines: list[Message] = []
    if ins is not None:
        code = "costs_more_than_open" if ins.total > penalty else "costs_as_much_as_open"
        lines.append(Message(code, penalty=penalty, insertion=_insertion_text(ctx, ins)))
    lines.extend(_blocker_lines(ctx, req, blockers))
    if ins is None and req.is_joint and every_role_free:
        lines.append(joint.reason_no_common_free_time(req.roles, every_role_free))
    if not lines:
        lines.append(routes.reason_no_free_time())
    return lines


def best_insertion(
    scenario: Scenario, visits: Sequence[Visit], travel: TravelMatrix, request_id: str
) -> Insertion | None:
    """The cheapest feasible insertion of a request into a plan, other visits kept as they are.

    All hard rules of FORMAT.md hold for the result (skills, exclusions, dates, opening
    hours, time of day, pin, tours with travel, caps); ``None`` when there is none. A visit
    of the request itself in ``visits`` is ignored.
    """
    ctx = _Ctx(scenario, travel, [v for v in visits if v.request != request_id])
    req = scenario.request(request_id)
    alone = _diagnose_alone(ctx, req)
    if alone.reasons:
        return None
    return _cheapest_insertion(ctx, req, alone)


def unassigned_messages(
    scenario: Scenario,
    visits: Sequence[Visit],
    travel: TravelMatrix,
    request_ids: Sequence[str],
) -> dict[str, list[Message]]:
    """Why each request is not planned, as structured reasons (code plus parameters).

    Parameters
    ----------
    scenario
        The planning problem.
    visits
        The plan's visits (a visit of an explained request itself is ignored).
    travel
        The scenario's travel matrix.
    request_ids
        The requests to explain.

    Returns
    -------
    dict[str, list[Message]]
        Per request id at least one reason (render with ``str`` or ``.render("nl")``).
        Reasons of the request alone (skills, exclusions, dates, availability, time,
        opening hours, time of day, pin) come first; only a request that is feasible
        alone gets reasons from the plan (caps, tours packed with more urgent visits,
        insertion cost) or, honestly, the cheapest insertion that would have been better
        than leaving it open.

    Raises
    ------
    KeyError
        When a request id is not in the scenario.
    """
    ctx = _Ctx(scenario, travel, visits)
    ids = list(dict.fromkeys(request_ids))
    own = {v.request for v in visits} & set(ids)
    out: dict[str, list[Message]] = {}
    for rid in ids:
        req = scenario.request(rid)
        if rid in own:
            ctx.set_plan([v for v in visits if v.request != rid])
        out[rid] = _explain_one(ctx, req)
        if rid in own:
            ctx.set_plan(visits)
    return out


def explain_unassigned(
    scenario: Scenario,
    visits: Sequence[Visit],
    travel: TravelMatrix,
    request_ids: Sequence[str],
) -> dict[str, list[str]]:
    """:func:`unassigned_messages` in English: the reasons of the plan file and the CLI.

    Each reason is a :class:`Reason`, a string that keeps its message, so that a plan made
    in this process can be shown in Dutch without recomputing.
    """
    got = unassigned_messages(scenario, visits, travel, request_ids)
    return {rid: [Reason(m) for m in ms] for rid, ms in got.items()}


# Pins -------------------------------------------------------------------------------------


def _pin_schedule_ok(
    ctx: _Ctx, c: str, d: dt.date, items: Sequence[tuple[Request, list[Range] | None]]
) -> bool:
    """Whether ``c`` can do all these visits on ``d`` within the tours (small exact search).

    ``items`` holds each request with its allowed start ranges on ``d`` (opening hours, time
    of day, pinned start; ``None``: any). Tours follow FORMAT.md: leave the base at the
    window start at the earliest, drive between visits, be back by the window end.
    """
    tours = ctx.tours.get((c, d), [])
    b = ctx.base[c]
    locs = [ctx.pos[ctx.location_of(r).id] for r, _ in items]
    durs = [r.duration_minutes for r, _ in items]
    n = len(items)
    memo: dict[tuple[int, int, int, int], bool] = {}

    def earliest_start(j: int, t: Tour, time: int) -> int | None:
        given = items[j][1]
        ranges = given if given is not None else [(0, t.end)]
        best: int | None = None
        for lo, hi in ranges:
            s = max(lo, time)
            if s <= min(hi, t.end - durs[j]) and (best is None or s < best):
                best = s
        return best

    def rec(left: int, ti: int, time: int, point: int) -> bool:
        t = tours[ti]
        closable = point == b or time + ctx.tm(point, b) <= t.end
        if left == 0:
            return closable
        key = (left, ti, time, point)
        if key in memo:
            return memo[key]
        ok = False
        for j in range(n):
            if left & (1 << j):
                s = earliest_start(j, t, time + ctx.tm(point, locs[j]))
                if s is not None and rec(left & ~(1 << j), ti, s + durs[j], locs[j]):
                    ok = True
                    break
        if not ok and closable and ti + 1 < len(tours):
            ok = rec(left, ti + 1, tours[ti + 1].start, b)
        memo[key] = ok
        return ok

    if n == 0:
        return True
    if not tours:
        return False
    return rec((1 << n) - 1, 0, tours[0].start, b)


def pin_clash_messages(scenario: Scenario, travel: TravelMatrix) -> list[Message]:
    """Find the pins that cannot all hold, as structured reasons.

    Each pinned request is first checked alone (consultant lacks a skill, is excluded or not
    available, date outside the range, start outside opening hours / time of day or too early
    for the drive from the base, ...); messages are prefixed ``pin of R-x:``. Then pins
    that are fine alone are checked together, per consultant: more pinned visits than
    ``max_visits_per_week`` or, on one date, ``max_visits_per_day``; and the dated pins of
    one consultant-day that cannot all fit in the tours (with travel between them), reported
    as the smallest clashing pair or group found.

    Joint pins are checked per consultant (the shared start is not tied across consultants),
    so every clash reported is real, but a clash that only arises through that tie is not
    found. An empty list means no clash was found.
    """
    ctx = _Ctx(scenario, travel)
    pinned = [r for r in scenario.requests if r.pinned is not None]
    out: list[Message] = []
    fine: list[tuple[Request, _Alone]] = []
    for req in pinned:
        alone = _diagnose_alone(ctx, req)
        if alone.reasons:
            out.extend(pins.reason_of(req.id, r) for r in alone.reasons)
        else:
            fine.append((req, alone))
    by_c: dict[str, list[tuple[Request, _Alone]]] = defaultdict(list)
    for req, alone in fine:
        assert req.pinned is not None
        for c in dict.fromkeys(req.pinned.consultants):
            by_c[c].append((req, alone))
    for c, items in by_c.items():
        cons = ctx.cons[c]
        cap_w = cons.max_visits_per_week
        if cap_w is not None and len(items) > cap_w:
            out.append(pins.clash_week([r.id for r, _ in items], c, cap_w))
        dated: dict[dt.date, list[tuple[Request, _Alone]]] = defaultdict(list)
        for req, alone in items:
            assert req.pinned is not None
            if req.pinned.date is not None:
                dated[req.pinned.date].append((req, alone))
        for d, day_items in sorted(dated.items()):
            cap_d = cons.max_visits_per_day
            if cap_d is not None and len(day_items) > cap_d:
                out.append(pins.clash_day([r.id for r, _ in day_items], c, d, cap_d))
            if len(day_items) < 2:
                continue
            sched = [(r, a.constraint_ranges[d]) for r, a in day_items]
            out.extend(_pin_clashes(ctx, c, d, sched))
    return out


def explain_infeasible_pins(scenario: Scenario, travel: TravelMatrix) -> list[str]:
    """:func:`pin_clash_messages` in English (each a :class:`Reason`)."""
    return [Reason(m) for m in pin_clash_messages(scenario, travel)]


def _pin_clashes(
    ctx: _Ctx, c: str, d: dt.date, sched: list[tuple[Request, list[Range] | None]]
) -> list[Message]:
    """The smallest groups of pins of ``c`` on ``d`` that cannot all fit the tours."""
    if len(sched) > 10 or _pin_schedule_ok(ctx, c, d, sched):
        return []
    out: list[Message] = []
    found: list[set[str]] = []
    for size in range(2, len(sched) + 1):
        for group in itertools.combinations(sched, size):
            ids = {r.id for r, _ in group}
            if any(f <= ids for f in found):
                continue
            if not _pin_schedule_ok(ctx, c, d, group):
                found.append(ids)
                out.append(_clash_text(ctx, c, d, [r for r, _ in group]))
        if out:
            return out
    return out


def _clash_text(ctx: _Ctx, c: str, d: dt.date, reqs: Sequence[Request]) -> Message:
    ids = [r.id for r in reqs]
    fixed = [
        (r.pinned.start, r) for r in reqs if r.pinned is not None and r.pinned.start is not None
    ]
    if len(reqs) == 2 and len(fixed) == 2:
        (sa, a), (sb, b) = sorted(fixed, key=lambda x: (x[0], x[1].id))
        if sa == sb:
            return pins.clash_same_start(ids, c, d, sa)
        la, lb = ctx.location_of(a), ctx.location_of(b)
        drive = ctx.tm(ctx.pos[la.id], ctx.pos[lb.id])
        return pins.clash_drive(ids, c, la.name, sa + a.duration_minutes, lb.name, sb, d, drive)
    return pins.clash_tours(ids, c, d)


# Visit costs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TravelLeg:
    """The drive of one consultant to and from one visit.

    ``share`` is the part of the consultant's tour travel attributed to this visit: a leg
    from or to the base belongs wholly to its visit, a leg between two visits is split
    half and half. The shares of all visits sum to the plan's travel minutes exactly.
    """

    consultant: str
    came_from: str
    """Point id before the visit (``base:<id>`` or a location id)."""
    travel_in: int
    goes_to: str
    """Point id after the visit."""
    travel_out: int
    share: float


@dataclass(frozen=True)
class VisitExplanation:
    """The objective terms of one planned visit (FORMAT.md)."""

    request: str
    youth: str
    location: str
    location_name: str
    date: dt.date
    start: int
    end: int
    consultants: tuple[str, ...]
    legs: tuple[TravelLeg, ...]
    travel_minutes: float
    """Sum of the legs' shares."""
    travel_cost: float
    """``travel_minute`` times :attr:`travel_minutes`."""
    waiting_days: int
    waiting_weight: int
    """``weights.waiting_day``."""
    urgency: str
    urgency_factor: int
    waiting_cost: int
    previous_consultant: str | None
    previous_used: bool | None
    """Whether the previous consultant is among the visit's (``None``: there was none)."""
    continuity_cost: int
    point_names: dict[str, str]

    @property
    def total(self) -> float:
        return self.travel_cost + self.waiting_cost + self.continuity_cost

    def lines(self) -> list[str]:
        """The explanation as short English lines."""
        names = self.point_names
        out = [
            f"{self.request} ({self.youth}) at {self.location_name} on {_full_day(self.date)} "
            f"{_span_hm(self.start, self.end)} with {_ids(self.consultants)}"
        ]
        for leg in self.legs:
            out.append(
                f"travel {leg.consultant}: {leg.travel_in} min from "
                f"{names.get(leg.came_from, leg.came_from)}, {leg.travel_out} min to "
                f"{names.get(leg.goes_to, leg.goes_to)} (share {leg.share:g} min)"
            )
        out.append(f"travel cost: {self.travel_cost:g}")
        out.append(
            f"waiting: {self.waiting_days} days × urgency {self.urgency} "
            f"({self.urgency_factor}) × {self.waiting_weight} = {self.waiting_cost}"
        )
        if self.previous_consultant is None:
            out.append("continuity: no previous consultant, 0")
        elif self.previous_used:
            out.append(f"continuity: previous consultant {self.previous_consultant} visits, 0")
        else:
            out.append(
                f"continuity: previous consultant {self.previous_consultant} not used, "
                f"{self.continuity_cost}"
            )
        out.append(f"total: {self.total:g}")
        return out


def _tour_sequences(ctx: _Ctx, visits: Sequence[Visit]) -> list[tuple[str, list[Visit]]]:
    """Per consultant and tour window, the visits in start order.

    A visit outside every tour window is grouped with the other such visits of the
    consultant's day.
    """
    groups: dict[tuple[str, dt.date, int], list[Visit]] = defaultdict(list)
    for v in visits:
        for c in v.consultants:
            idx = -1
            for i, t in enumerate(ctx.tours.get((c, v.date), ())):
                if t.start <= v.start and v.end <= t.end:
                    idx = i
                    break
            groups[(c, v.date, idx)].append(v)
    return [
        (c, sorted(vs, key=lambda v: (v.start, v.end, v.request)))
        for (c, _d, _i), vs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
    ]


def _point_id(ctx: _Ctx, v: Visit) -> str:
    return ctx.s.location_of(ctx.s.request(v.request)).id


def _legs(ctx: _Ctx, visits: Sequence[Visit]) -> dict[tuple[str, str], TravelLeg]:
    """Travel legs keyed by ``(request, consultant)``."""
    out: dict[tuple[str, str], TravelLeg] = {}
    for c, seq in _tour_sequences(ctx, visits):
        base = base_point(c)
        points = [base, *(_point_id(ctx, v) for v in seq), base]
        for i, v in enumerate(seq):
            before, here, after = points[i], points[i + 1], points[i + 2]
            t_in = ctx.tm(ctx.pos[before], ctx.pos[here])
            t_out = ctx.tm(ctx.pos[here], ctx.pos[after])
            share = (t_in if i == 0 else t_in / 2) + (t_out if i == len(seq) - 1 else t_out / 2)
            out[(v.request, c)] = TravelLeg(c, before, t_in, after, t_out, share)
    return out


def explain_visit(
    scenario: Scenario, plan_visits: Sequence[Visit], travel: TravelMatrix, request_id: str
) -> VisitExplanation:
    """Explain the cost terms of the planned visit of ``request_id``.

    Parameters
    ----------
    scenario
        The planning problem.
    plan_visits
        All visits of the plan (needed for the travel before and after the visit).
    travel
        The scenario's travel matrix.
    request_id
        The request whose visit is explained.

    Returns
    -------
    VisitExplanation
        Travel to and from the visit per consultant (with its share of the tour travel),
        waiting days × urgency factor × weight, and the continuity penalty.

    Raises
    ------
    KeyError
        When the request has no visit in ``plan_visits``.
    """
    ctx = _Ctx(scenario, travel)
    visit = next((v for v in plan_visits if v.request == request_id), None)
    if visit is None:
        raise KeyError(f"request {request_id} has no visit in the plan")
    return _explain_visit(ctx, plan_visits, visit, _legs(ctx, plan_visits))


def _explain_visit(
    ctx: _Ctx, visits: Sequence[Visit], visit: Visit, legs: dict[tuple[str, str], TravelLeg]
) -> VisitExplanation:
    s = ctx.s
    req = s.request(visit.request)
    youth = s.youth(req.youth)
    loc = s.location_of(req)
    w = s.weights
    factor = s.urgency_factors[youth.urgency]
    days = (visit.date - youth.signalled_on).days
    mine = tuple(legs[(visit.request, c)] for c in visit.consultants)
    minutes = sum(leg.share for leg in mine)
    prev = youth.previous_consultant
    used = None if prev is None else prev in visit.consultants
    names = {base_point(c.id): f"base of {c.id}" for c in s.consultants}
    names.update({x.id: x.name for x in s.locations})
    return VisitExplanation(
        request=req.id,
        youth=youth.id,
        location=loc.id,
        location_name=loc.name,
        date=visit.date,
        start=visit.start,
        end=visit.end,
        consultants=visit.consultants,
        legs=mine,
        travel_minutes=minutes,
        travel_cost=w.travel_minute * minutes,
        waiting_days=days,
        waiting_weight=w.waiting_day,
        urgency=youth.urgency,
        urgency_factor=factor,
        waiting_cost=w.waiting_day * factor * days,
        previous_consultant=prev,
        previous_used=used,
        continuity_cost=w.continuity if used is False else 0,
        point_names=names,
    )


def plan_cost_breakdown(scenario: Scenario, plan: Plan, travel: TravelMatrix) -> dict[str, int]:
    """The objective of FORMAT.md split into its terms, recomputed from the plan.

    Returns
    -------
    dict[str, int]
        ``travel`` (weighted), ``waiting``, ``continuity``, ``unassigned`` (the four terms),
        plus ``travel_minutes`` (before weighting) and ``objective`` (their sum).
        Tours are taken per consultant and tour window, in start order; unassigned are the
        plan's ``unassigned`` entries (each request once).
    """
    ctx = _Ctx(scenario, travel)
    w = scenario.weights
    minutes = 0
    for c, seq in _tour_sequences(ctx, plan.visits):
        base = ctx.pos[base_point(c)]
        points = [base, *(ctx.pos[_point_id(ctx, v)] for v in seq), base]
        minutes += sum(ctx.tm(a, b) for a, b in itertools.pairwise(points))
    waiting = continuity = 0
    for v in plan.visits:
        req = scenario.request(v.request)
        youth = scenario.youth(req.youth)
        waiting += (
            w.waiting_day
            * scenario.urgency_factors[youth.urgency]
            * (v.date - youth.signalled_on).days
        )
        if youth.previous_consultant is not None and youth.previous_consultant not in (
            v.consultants
        ):
            continuity += w.continuity
    unassigned = sum(
        w.unassigned * scenario.urgency_factor(scenario.request(rid).youth)
        for rid in dict.fromkeys(u.request for u in plan.unassigned)
    )
    terms = {
        "travel": w.travel_minute * minutes,
        "waiting": waiting,
        "continuity": continuity,
        "unassigned": unassigned,
    }
    return {**terms, "travel_minutes": minutes, "objective": sum(terms.values())}
