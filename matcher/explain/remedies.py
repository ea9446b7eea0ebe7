"""The smallest change that plans an open request (issue: "what would fix it").

For each request the plan leaves open, :func:`find_remedies` tries small changes to the
scenario, smallest first, and *proves* each by planning with it: the current plan is loaded
as a warm start into the changed scenario, the open request is inserted at its cheapest
place (or, when the change leaves no free place, a neighbourhood search rearranges the
plan), and the independent checker confirms the plan. Everything else stays as planned, so
the reported cost is the change's own effect. The changes tried:

1. ``extend``: one consultant's tour on one day made 30, 60 or 90 minutes longer (later end,
   or earlier start);
2. ``cap``: one more visit allowed in a consultant's daily or weekly cap;
3. ``latest``: the request's ``latest`` one or two planning days later;
4. ``skill``: a consultant of a provider that has the request's other skills given the
   missing one.

A remedy is reported with the objective before and after (``delta``); the rendering in
words is a :class:`~matcher.messages.Message` (:func:`message`), rendered by :func:`describe`
(English) and :func:`describe_nl` (Dutch), from the structured :class:`Change`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.checker import check_plan
from matcher.explain import words
from matcher.messages import Message
from matcher.scenario.domain import Consultant, Plan, Scenario, Window, tours_of
from matcher.solver.model import Instance, assignments_from_visits, prepare, score
from matcher.solver.search import SearchState, alns

__all__ = ["Change", "Remedy", "describe", "describe_nl", "find_remedies", "message"]

EXTENSIONS = (30, 60, 90)
"""Minutes a tour may be made longer, smallest first."""
REARRANGE_SECONDS = 0.3
"""Longest search that makes room for one candidate change."""
REARRANGE_ITERATIONS = 240
"""Neighbourhood-search iterations that may rearrange the plan to make room for a request."""


@dataclass(frozen=True)
class Change:
    """One small change to the scenario.

        ``kind`` is ``none`` (the request fits as the plan stands), ``extend`` (``consultant``,
        ``date``, ``minutes``, ``side`` "end" or
    "start"), ``cap_day`` / ``cap_week`` (``consultant``, ``date`` for the day cap),
        ``latest`` (``days``) or ``skill`` (``consultant``, ``skill``).
    """

    kind: str
    request: str
    consultant: str | None = None
    date: dt.date | None = None
    minutes: int = 0
    side: str = "end"
    days: int = 0
    skill: str | None = None

    @property
    def size(self) -> tuple[int, int]:
        """Ordering: smaller changes first."""
        rank = {"none": -1, "extend": 0, "cap_day": 1, "cap_week": 2, "latest": 3, "skill": 4}
        return rank[self.kind], self.minutes + self.days


@dataclass(frozen=True)
class Remedy:
    """A change proven to plan its request, with the objective before and after."""

    change: Change
    objective_before: int
    objective_after: int
    plan: Plan

    @property
    def delta(self) -> int:
        return self.objective_after - self.objective_before


# Applying a change ---------------------------------------------------------------------------


def _dated(c: Consultant, days: Sequence[dt.date]) -> list[Window]:
    """The consultant's tours on the planning days as dated windows (the same availability)."""
    return [Window(t.start, t.end, date=t.date) for t in tours_of(c, days)]


def apply_change(scenario: Scenario, change: Change) -> Scenario:
    """The scenario with ``change`` made."""
    s = scenario
    if change.kind == "none":
        return s
    if change.kind == "latest":
        req = s.request(change.request)
        later = [d for d in s.days if d > req.latest][: change.days]
        if len(later) < change.days:
            raise ValueError("no planning day that late")
        requests = tuple(
            dataclasses.replace(r, latest=later[-1]) if r.id == req.id else r for r in s.requests
        )
        return dataclasses.replace(s, requests=requests)
    consultants = []
    for c in s.consultants:
        if c.id == change.consultant:
            c = _changed_consultant(s, c, change)
        consultants.append(c)
    return dataclasses.replace(s, consultants=tuple(consultants))


def _changed_consultant(s: Scenario, c: Consultant, change: Change) -> Consultant:
    if change.kind == "skill":
        assert change.skill is not None
        return dataclasses.replace(c, skills=c.skills | {change.skill})
    if change.kind == "cap_day":
        assert c.max_visits_per_day is not None
        return dataclasses.replace(c, max_visits_per_day=c.max_visits_per_day + 1)
    if change.kind == "cap_week":
        assert c.max_visits_per_week is not None
        return dataclasses.replace(c, max_visits_per_week=c.max_visits_per_week + 1)
    # extend: the day's tours as dated windows, the one that serves best made longer.
    windows = _dated(c, s.days)
    day = [w for w in windows if w.date == change.date]
    others = [w for w in windows if w.date != change.date]
    if not day:
        return c
    if change.side == "end":
        last = day[-1]
        new_end = min(24 * 60, last.end + change.minutes)
        day[-1] = Window(last.start, new_end, date=last.date)
    else:
        first = day[0]
        new_start = max(0, first.start - change.minutes)
        day[0] = Window(new_start, first.end, date=first.date)
    return dataclasses.replace(c, availability=tuple(others + day), unavailable=())


# Candidates ------------------------------------------------------------------------------------


def _qualified(s: Scenario, rid: str) -> list[Consultant]:
    req = s.request(rid)
    youth = s.youth(req.youth)
    return [
        c
        for c in s.consultants
        if c.id not in youth.excluded_consultants and any(c.has_skills(role) for role in req.roles)
    ]


def candidates(scenario: Scenario, plan: Plan, rid: str, limit: int = 8) -> list[Change]:
    """Small changes that might plan ``rid``, smallest first (at most ``limit`` per kind).

    Consultants closest to the youth's placement come first.
    """
    s = scenario
    req = s.request(rid)
    youth = s.youth(req.youth)
    loc = s.location(youth.location)
    allowed = [d for d in s.days if req.earliest <= d <= req.latest and d >= youth.signalled_on]
    qualified = sorted(
        _qualified(s, rid),
        key=lambda c: (c.base.lat - loc.lat) ** 2 + (c.base.lon - loc.lon) ** 2,
    )
    per_day: dict[tuple[str, dt.date], int] = {}
    per_week: dict[str, int] = {}
    for v in plan.visits:
        for cid in v.consultants:
            per_day[cid, v.date] = per_day.get((cid, v.date), 0) + 1
            per_week[cid] = per_week.get(cid, 0) + 1
    out: list[Change] = []
    extend: list[Change] = []
    caps: list[Change] = []
    for c in qualified:
        tours = {t.date for t in tours_of(c, allowed)}
        for d in allowed:
            if d not in tours:
                continue
            for minutes in EXTENSIONS:
                for side in ("end", "start"):
                    extend.append(Change("extend", rid, c.id, d, minutes, side))
            cap = c.max_visits_per_day
            if cap is not None and per_day.get((c.id, d), 0) >= cap:
                caps.append(Change("cap_day", rid, c.id, d))
        cap = c.max_visits_per_week
        if cap is not None and per_week.get(c.id, 0) >= cap and tours:
            caps.append(Change("cap_week", rid, c.id))
    # The smallest extensions of the nearest consultants first.
    extend.sort(key=lambda ch: ch.minutes)
    out.extend(extend[: limit * 2])
    out.extend(caps[:limit])
    later = [d for d in s.days if d > req.latest]
    out.extend(Change("latest", rid, days=k) for k in (1, 2) if len(later) >= k)
    for role in req.roles:
        if any(c.has_skills(role) for c in qualified):
            continue
        for c in s.consultants:
            missing = sorted(role - c.skills)
            if len(missing) == 1 and c.id not in youth.excluded_consultants:
                out.append(Change("skill", rid, c.id, skill=missing[0]))
    return sorted(out, key=lambda ch: ch.size)


# Proof -------------------------------------------------------------------------------------------


def _warm(scenario: Scenario, plan: Plan, change: Change) -> tuple[Instance, Scenario, SearchState]:
    """The changed scenario, its instance and the current plan loaded into it."""
    changed = apply_change(scenario, change)
    inst = prepare(changed)
    st = SearchState.from_assignments(inst, assignments_from_visits(inst, plan.visits))
    return inst, changed, st


FORCE_FACTOR = 1_000
"""While making room, leaving the request, or a request already planned, open costs this
many times its penalty: the search looks for a plan that holds them all."""


def _prove(
    scenario: Scenario,
    plan: Plan,
    change: Change,
    seed: int,
    *,
    before: int,
    rearrange: bool,
    until: float | None = None,
) -> Remedy | None:
    """Plan with ``change``: warm start, insert the request (or, with ``rearrange``, let a
    neighbourhood search make room for it until ``until``), then the independent checker.
    ``before`` is the objective of ``plan``.

    A plan that gets the request in only by leaving another one open is no remedy; the
    reported cost is the objective of the plan under the real weights.
    """
    from matcher.solver.solve import assemble_plan

    inst, changed, st = _warm(scenario, plan, change)
    ri = inst.request_index[change.request]
    if not inst.requests[ri].options:
        return None  # the change does not even give the request a possible tour
    got = st.best_insertion(ri)
    if got is not None:
        st.insert(ri, got[1], got[2])  # the plan as it stands, plus the request
        assignments = st.assignments()
    elif not rearrange:
        return None
    else:
        keep = {ri, *st.assign}  # the request and every visit already planned
        pushed = dataclasses.replace(
            inst,
            requests=[
                dataclasses.replace(r, unassigned_cost=FORCE_FACTOR * r.unassigned_cost)
                if r.index in keep
                else r
                for r in inst.requests
            ],
        )
        start = SearchState.from_assignments(pushed, st.assignments())
        end = time.monotonic() + REARRANGE_SECONDS
        if until is not None:
            end = min(end, until)
        best = alns(
            start,
            random.Random(seed),
            lambda it: it >= REARRANGE_ITERATIONS or time.monotonic() >= end,
        )
        if ri not in best.assign or len(best.assign) <= len(st.assign):
            return None  # planned only by leaving another request open: no remedy
        assignments = best.assignments()
    new_plan = assemble_plan(inst, assignments, "feasible", None, 0.0, {})
    if not check_plan(changed, new_plan, inst.travel).feasible:
        return None
    return Remedy(change, before, score(inst, assignments).total, new_plan)


def _room_first(change: Change) -> tuple[int, int]:
    rank = {"cap_week": 0, "cap_day": 1, "extend": 2, "latest": 3, "skill": 4, "none": 5}
    return rank[change.kind], -change.minutes


def find_remedies(
    scenario: Scenario,
    plan: Plan,
    requests: Iterable[str] | None = None,
    *,
    seconds: float = 10.0,
    seed: int = 0,
) -> dict[str, Remedy | None]:
    """The smallest proven change per open request (``None``: none found in time).

    ``requests`` defaults to every open request of ``plan``; the time is shared between
    them (most urgent first). Per request, the candidate changes are first screened by
    whether the request then fits into the plan as it stands (cheap); the smallest that
    fits is proven. Only when none fits are the smallest candidates proven by a longer
    search that may rearrange the plan, in the time left.
    """
    deadline = time.monotonic() + 0.95 * seconds  # leave room to return within ``seconds``
    wanted = list(requests) if requests is not None else [u.request for u in plan.unassigned]
    wanted.sort(key=lambda rid: -scenario.urgency_factor(scenario.request(rid).youth))
    out: dict[str, Remedy | None] = {}
    before = check_plan(scenario, plan).objective
    for k, rid in enumerate(wanted):
        out[rid] = None
        share = (deadline - time.monotonic()) / max(1, len(wanted) - k)
        stop = time.monotonic() + share
        changes = [Change("none", rid), *candidates(scenario, plan, rid)]
        for rearrange in (False, True):
            # Making room is slow: then the changes that free most room come first (caps,
            # the longest extensions), the smallest of each kind before larger ones.
            order = sorted(changes, key=_room_first) if rearrange else changes
            for change in order:
                if time.monotonic() >= stop:
                    break
                remedy = _prove(
                    scenario, plan, change, seed, before=before, rearrange=rearrange, until=stop
                )
                if remedy is not None:
                    out[rid] = remedy
                    break
            if out[rid] is not None or time.monotonic() >= stop:
                break
    return out


# Words -----------------------------------------------------------------------------------------


def _hours(minutes: int) -> Message:
    if minutes == 60:
        return Message("hours_one")
    if minutes < 60:
        return Message("minutes_n", n=minutes)
    return Message("hours_n", hours=minutes / 60)


def message(remedy: Remedy) -> Message:
    """The remedy as a message: English for ``matcher explain``, Dutch for the app."""
    ch = remedy.change
    sign = f"{remedy.delta:+d}"
    if ch.kind == "none":
        return Message("remedy_none", request=ch.request, cost=sign)
    what: Message
    if ch.kind == "extend":
        assert ch.date is not None
        code = "change_extend_later" if ch.side == "end" else "change_extend_earlier"
        what = Message(
            code, hours=_hours(ch.minutes), day=words.full_day(ch.date), consultant=ch.consultant
        )
    elif ch.kind == "cap_day":
        assert ch.date is not None
        what = Message("change_cap_day", consultant=ch.consultant, date=ch.date)
    elif ch.kind == "cap_week":
        what = Message("change_cap_week", consultant=ch.consultant)
    elif ch.kind == "latest":
        what = Message("change_latest_one" if ch.days == 1 else "change_latest", days=ch.days)
    else:
        what = Message("change_skill", skill=ch.skill, consultant=ch.consultant)
    return Message("remedy_planned", change=what, request=ch.request, cost=sign)


def describe(remedy: Remedy) -> str:
    """The remedy in English, for ``matcher explain``."""
    return message(remedy).render("en")


def describe_nl(remedy: Remedy) -> str:
    """The remedy in Dutch, for the app."""
    return message(remedy).render("nl")
