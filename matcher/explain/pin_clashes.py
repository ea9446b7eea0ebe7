"""Pins that cannot all hold: each pin alone, then per consultant (caps, tours)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence

from matcher.explain.alone import _Alone, _diagnose_alone
from matcher.explain.context import Range, _Ctx
from matcher.explain.words import Reason
from matcher.messages import Message
from matcher.rules import (
    pins,
)
from matcher.scenario.domain import (
    Request,
    Scenario,
    Tour,
)
from matcher.travel import TravelMatrix

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
