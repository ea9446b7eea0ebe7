"""What one planned visit costs (travel share, waiting, continuity) and the plan's terms."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.explain import words
from matcher.explain.context import _Ctx, _span_hm
from matcher.explain.words import Reason, Text
from matcher.messages import Message
from matcher.scenario.domain import (
    Plan,
    Scenario,
    Visit,
    base_point,
)
from matcher.travel import TravelMatrix

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
    """Location id -> name (a consultant's base is named by :meth:`messages`)."""

    @property
    def total(self) -> float:
        return self.travel_cost + self.waiting_cost + self.continuity_cost

    def messages(self) -> list[Message]:
        """The explanation as short lines, each a message (English for the CLI, Dutch for
        the app)."""
        names = self.point_names

        def point(pid: str) -> Text:
            if pid.startswith("base:"):
                return Message("base_of", consultant=pid.removeprefix("base:"))
            return names.get(pid, pid)

        out = [
            Message(
                "visit_line",
                request=self.request,
                youth=self.youth,
                location=self.location_name,
                day=words.full_day(self.date),
                time=_span_hm(self.start, self.end),
                consultants=words.ids(self.consultants),
            )
        ]
        for leg in self.legs:
            out.append(
                Message(
                    "visit_leg",
                    consultant=leg.consultant,
                    minutes_in=leg.travel_in,
                    came_from=point(leg.came_from),
                    minutes_out=leg.travel_out,
                    goes_to=point(leg.goes_to),
                    share=words.Number(leg.share),
                )
            )
        out.append(Message("visit_travel_cost", cost=words.Number(self.travel_cost)))
        urgency: Text = self.urgency
        if self.urgency in ("low", "normal", "high"):
            urgency = Message(f"urgency_{self.urgency}")
        out.append(
            Message(
                "visit_waiting",
                days=self.waiting_days,
                urgency=urgency,
                factor=self.urgency_factor,
                weight=words.Number(self.waiting_weight),
                cost=words.Number(self.waiting_cost),
            )
        )
        if self.previous_consultant is None:
            out.append(Message("visit_continuity_none"))
        elif self.previous_used:
            out.append(Message("visit_continuity_kept", consultant=self.previous_consultant))
        else:
            out.append(
                Message(
                    "visit_continuity_missed",
                    consultant=self.previous_consultant,
                    cost=words.Number(self.continuity_cost),
                )
            )
        out.append(Message("visit_total", total=words.Number(self.total)))
        return out

    def lines(self) -> list[str]:
        """:meth:`messages` in English (each a :class:`~matcher.explain.words.Reason`)."""
        return [Reason(m) for m in self.messages()]


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
    names = {x.id: x.name for x in s.locations}
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
