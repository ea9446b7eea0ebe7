"""A request that fits alone, against the plan: the cheapest insertion and what blocks it.

Every candidate tour is checked for the cheapest feasible insertion (all hard rules, with
travel times); the reasons name why each candidate is taken (caps, tours packed with more
urgent visits) or, honestly, that an insertion exists and what it would cost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from matcher.explain import words
from matcher.explain.alone import _Alone, _diagnose_alone
from matcher.explain.context import MAX_PHRASES, Range, Slot, _best_common, _clip, _Ctx, _hm
from matcher.messages import Message
from matcher.rules import PlanBlock, caps, joint, plan_blocks, routes
from matcher.scenario.domain import (
    Request,
    Scenario,
    Visit,
)

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
            if _plan_block(ctx, req, c, d) is not None:
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


def _plan_block(ctx: _Ctx, req: Request, c: str, d: dt.date) -> PlanBlock | None:
    """The first rule (of :data:`~matcher.rules.HARD_RULES`) that closes ``c`` on ``d``."""
    for hook in plan_blocks():
        block = hook(ctx, req, c, d)
        if block is not None:
            return block
    return None


@dataclass
class _Blocker:
    consultant: str
    kind: str  # a rule's PlanBlock.kind, or "packed" (no free time in the tours)
    day: dt.date | None
    requests: list[str]
    block: PlanBlock | None = None


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
    week_done: set[tuple[str, str]] = set()
    every_role_free: list[dt.date] = []
    for d in alone.days:
        free: set[str] = set()
        for c in people:
            if c not in alone.final.get(d, {}):
                continue
            block = _plan_block(ctx, req, c, d)
            if block is not None:
                if not block.whole_week:
                    out.append(_Blocker(c, block.kind, d, list(block.requests), block))
                elif (c, block.kind) not in week_done:  # once per consultant
                    week_done.add((c, block.kind))
                    out.append(_Blocker(c, block.kind, None, list(block.requests), block))
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
        """The rules' phrases (one per kind, in order of appearance), then the packed days."""
        out: list[Message] = []
        for kind in dict.fromkeys(b.kind for b in bs if b.block is not None):
            group = [b for b in bs if b.kind == kind and b.block is not None]
            days = sorted({b.day for b in group if b.day is not None})
            first = group[0].block
            assert first is not None
            out.append(first.phrase(words.ids([ctx.day_label(d) for d in days]), inner))
        packed = sorted({b.day for b in bs if b.block is None and b.day is not None})
        if packed:
            out.append(routes.full_on(c, words.ids([ctx.day_label(d) for d in packed])))
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
