"""Why a request cannot be planned even alone: the layered diagnostic.

The request is checked *alone* (as if nothing else were planned), one rule after another:

1. skills, exclusions, enough distinct consultants for a joint visit, and the pin's
   consultants;
2. the allowed dates (``earliest``/``latest``, not before ``signalled_on``, the pinned date);
3. availability: a tour of a qualified consultant on an allowed day;
4. time: a tour that leaves room for the duration plus the drive from and to the base;
5. opening hours of the location and the request's time of day;
6. the pinned start; 7. not before ``now``.

The first rule that leaves no possibility gives the reasons, built by that rule's
``reason_*`` functions (:mod:`matcher.rules`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.explain import words
from matcher.explain.context import Range, Slot, _best_common, _clip, _Ctx, _has_matching, _span_hm
from matcher.explain.words import Text
from matcher.messages import Message
from matcher.rules import (
    dates,
    exclusions,
    joint,
    opening_hours,
    pins,
    published,
    skills,
    time_of_day,
    windows,
)
from matcher.scenario.domain import (
    DAY_MINUTES,
    Location,
    Request,
    Scenario,
    Youth,
    open_windows_on,
)

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
    """The request alone against every rule, layer by layer (see the module); the first
    layer that leaves no possibility gives the reasons. (Long: the layers build on each
    other's start slots, so they are kept in one sequence.)"""
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
        return fail(_availability_reasons(ctx, req, cands, days, avail))
    # (e) time: duration plus travel inside a tour
    tour_layer = _tour_layer(ctx, req, loc_idx, cands, days)
    if not _feasible(cands, tour_layer):
        return fail(_tour_time_reasons(ctx, req, loc_idx, cands, days, tour_layer))

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
    out = _opening_and_time_of_day_reasons(ctx, req, cands, days, open_layer, tod_layer)
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


def _availability_reasons(
    ctx: _Ctx, req: Request, cands: list[list[str]], days: list[dt.date], avail: Layer
) -> list[Message]:
    """Layer (d): no tour of the (pinned) consultants on an allowed day."""
    out: list[Message] = []
    pin = req.pinned
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
    return list(dict.fromkeys(out))


def _tour_time_reasons(
    ctx: _Ctx,
    req: Request,
    loc_idx: int,
    cands: list[list[str]],
    days: list[dt.date],
    tour_layer: Layer,
) -> list[Message]:
    """Layer (e): no tour leaves room for the visit with the drive there and back."""
    out: list[Message] = []
    dur = req.duration_minutes
    for i, cs in enumerate(cands):
        if _role_ok(cs, tour_layer):
            continue
        detail = _closest_tour(ctx, req, loc_idx, cs, days)
        if req.pinned is not None:
            out.append(pins.reason_no_room(cs, days, dur, detail))
        else:
            out.append(windows.reason_no_room(_subject(ctx, req, i), days, dur, detail))
    if not out:
        out.append(joint.reason_no_common_time(days, req.roles))
    return list(dict.fromkeys(out))


def _opening_and_time_of_day_reasons(
    ctx: _Ctx,
    req: Request,
    cands: list[list[str]],
    days: list[dt.date],
    open_layer: Layer,
    tod_layer: Layer,
) -> list[Message]:
    """Layer (f): the opening hours alone, the time of day alone (empty: each fits)."""
    loc, tod = ctx.location_of(req), req.time_of_day
    out: list[Message] = []
    if not _feasible(cands, open_layer):
        if all(_role_ok(cs, open_layer) for cs in cands):
            out.append(joint.reason_no_common_time(days, req.roles, location=loc.name))
        else:
            out.append(opening_hours.reason_outside(loc.name, _opening_summary(ctx, loc, days)))
    if not _feasible(cands, tod_layer) and tod is not None:
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
    return out


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
