"""Caps: every consultant keeps ``max_visits_per_day`` and ``max_visits_per_week``.

- CP-SAT: :func:`add` (visits of a sub-problem's fixed part are subtracted, see
  :class:`~matcher.solver.cpsat.Scope`).
- Search: :class:`CapCounts` counts each consultant's visits per day and per week;
  ``no_room`` holds the tours whose consultant may take no more, ``eject`` says which of
  its visits elsewhere to free when a cap is reached.
- Against a plan: :func:`blocks` names the consultant-days a cap closes, with the
  phrases of the reason (:mod:`matcher.explain.against_plan`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import PlanBlock, Rule, SearchHook

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from matcher.explain.context import _Ctx as PlanContext
    from matcher.scenario.domain import Request
    from matcher.solver.cpsat import PlanningModel
    from matcher.solver.instance import Instance
    from matcher.solver.search_state import SearchState


def add(pm: PlanningModel) -> None:
    """Every consultant keeps ``max_visits_per_day`` and ``max_visits_per_week``.

    In a sub-problem the visits the scope keeps outside its free tours count too.
    """
    inst, m = pm.inst, pm.model
    per_day: dict[tuple[int, int], list[cp_model.IntVar | int]] = {}
    per_week: dict[int, list[cp_model.IntVar | int]] = {}
    for ti, nodes in pm.nodes.items():
        tinfo = inst.tours[ti]
        for n in nodes:
            per_day.setdefault((tinfo.consultant, tinfo.day), []).append(n.serve)
            per_week.setdefault(tinfo.consultant, []).append(n.serve)
    used_day, used_week = _used_outside(pm)
    for (c, d), lits in per_day.items():
        cap = inst.scenario.consultants[c].max_visits_per_day
        if cap is not None:
            m.add(sum(lits) <= cap - used_day.get((c, d), 0))
    for c, lits in per_week.items():
        cap = inst.scenario.consultants[c].max_visits_per_week
        if cap is not None:
            m.add(sum(lits) <= cap - used_week.get(c, 0))


def _used_outside(pm: PlanningModel) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """Visits per (consultant, day) and per consultant that the scope keeps outside its
    free tours (a kept joint visit's part in a free tour is a node of that tour)."""
    free = pm.scope.tours
    used_day: dict[tuple[int, int], int] = {}
    used_week: dict[int, int] = {}
    for a in pm.scope.kept:
        for t in a.tours:
            if free is not None and t in free:
                continue
            ti = pm.inst.tours[t]
            used_day[ti.consultant, ti.day] = used_day.get((ti.consultant, ti.day), 0) + 1
            used_week[ti.consultant] = used_week.get(ti.consultant, 0) + 1
    return used_day, used_week


class CapCounts(SearchHook):
    """Visits per (consultant, day) and per consultant in a search state.

    :attr:`no_room` holds the tours whose consultant is at a cap; it changes only when a
    count reaches or leaves a cap, so the search's check is one set lookup.
    """

    __slots__ = (
        "caps_day",
        "caps_week",
        "day_count",
        "no_room",
        "tour_cd",
        "tours_of_c",
        "tours_of_cd",
        "week_count",
    )

    def __init__(self, inst: Instance) -> None:
        super().__init__()
        self.caps_day = [c.max_visits_per_day for c in inst.scenario.consultants]
        self.caps_week = [c.max_visits_per_week for c in inst.scenario.consultants]
        self.tour_cd = [(t.consultant, t.day) for t in inst.tours]
        self.tours_of_c = inst.tours_by_consultant
        self.tours_of_cd: dict[tuple[int, int], list[int]] = {}
        for t, key in enumerate(self.tour_cd):
            self.tours_of_cd.setdefault(key, []).append(t)
        self.day_count: dict[tuple[int, int], int] = {}
        self.week_count: dict[int, int] = {}
        self.no_room: set[int] = {
            t
            for t, (c, _) in enumerate(self.tour_cd)
            if self.caps_day[c] == 0 or self.caps_week[c] == 0
        }

    def copy(self) -> CapCounts:
        new = CapCounts.__new__(CapCounts)
        new.caps_day, new.caps_week, new.tour_cd = self.caps_day, self.caps_week, self.tour_cd
        new.tours_of_c, new.tours_of_cd = self.tours_of_c, self.tours_of_cd
        new.day_count = dict(self.day_count)
        new.week_count = dict(self.week_count)
        new.no_room = set(self.no_room)
        return new

    def _full(self, c: int, d: int) -> bool:
        cap = self.caps_day[c]
        if cap is not None and self.day_count.get((c, d), 0) >= cap:
            return True
        cap = self.caps_week[c]
        return cap is not None and self.week_count.get(c, 0) >= cap

    def count(self, tour: int, request: int, n: int) -> list[int]:
        key = self.tour_cd[tour]
        c = key[0]
        day = self.day_count[key] = self.day_count.get(key, 0) + n
        week = self.week_count[c] = self.week_count.get(c, 0) + n
        cap_d, cap_w = self.caps_day[c], self.caps_week[c]
        # A status changes only when a count reaches its cap or falls below it.
        if cap_w is not None and week in (cap_w, cap_w - 1):
            touched = self.tours_of_c[c]
        elif cap_d is not None and day in (cap_d, cap_d - 1):
            touched = self.tours_of_cd[key]
        else:
            return []
        for t in touched:
            if self._full(*self.tour_cd[t]):
                self.no_room.add(t)
            else:
                self.no_room.discard(t)
        return touched

    def eject(self, st: SearchState, tour: int, q: int, rng: random.Random) -> list[int]:
        """At a daily cap: the consultant's visits in the day's other tours; at a weekly
        cap: up to ``q // 2`` (at least one) of its visits on any day, at random."""
        inst = st.inst
        c, d = self.tour_cd[tour]
        out: list[int] = []
        cap_day, cap_week = self.caps_day[c], self.caps_week[c]
        if cap_day is not None and self.day_count.get((c, d), 0) >= cap_day:
            out.extend(
                r for u in inst.tours_by_consultant[c] if self.tour_cd[u][1] == d for r in st.seq[u]
            )
        if cap_week is not None and self.week_count.get(c, 0) >= cap_week:
            others = [r for u in inst.tours_by_consultant[c] for r in st.seq[u]]
            rng.shuffle(others)
            out.extend(others[: max(1, q // 2)])
        return out


# Reasons -------------------------------------------------------------------------


def at_week_cap(consultant: str, cap: int | None) -> Message:
    """``C1 at max 3 visits per week``: a phrase of :func:`reason_taken`."""
    return Message("at_week_cap", consultant=consultant, cap=words.cap_per_week(cap))


def full_at_day_cap(consultant: str, days: words.Text, cap: int | None, inner: bool) -> Message:
    """``C1 full on Monday, max 2 visits per day`` (inside a list: with a comma)."""
    code = "full_at_day_cap_inner" if inner else "full_at_day_cap"
    return Message(code, consultant=consultant, days=days, cap=words.cap_per_day(cap))


def reason_taken(phrases: list[Message], equal: bool, more: int) -> Message:
    """The consultants who could do it are full with (more or equally) urgent requests."""
    tail: words.Text = Message("and_n_more_semi", n=more) if more else ""
    code = "capacity_taken_equal" if equal else "capacity_taken"
    return Message(code, phrases=words.semi(phrases), tail=tail)


def including_less_urgent(line: Message, requests: list[str], more: int) -> Message:
    """``line, including less urgent requests R-3, R-4 and 2 more``."""
    code = "including_less_urgent_one" if len(requests) == 1 else "including_less_urgent"
    listed: words.Text = (
        Message("list_and_more", items=requests, n=more) if more else words.ids(requests)
    )
    return Message(code, line=line, requests=listed)


def blocks(ctx: PlanContext, req: Request, c: str, d: dt.date) -> PlanBlock | None:
    """Against a plan: ``c`` at its weekly cap (every day) or at its daily cap on ``d``."""
    cons = ctx.cons[c]
    week = cons.max_visits_per_week
    if week is not None and ctx.week_count[c] >= week:
        return PlanBlock(
            "week", tuple(ctx.week_requests[c]), lambda _d, _i: at_week_cap(c, week), True
        )
    day = cons.max_visits_per_day
    if day is not None and ctx.day_count[(c, d)] >= day:
        return PlanBlock(
            "day",
            tuple(ctx.day_requests[(c, d)]),
            lambda days, inner: full_at_day_cap(c, days, day, inner),
        )
    return None


def reason_more_full(n: int) -> Message:
    return Message("more_consultants_full_one" if n == 1 else "more_consultants_full", n=n)


TEXTS: dict[str, tuple[str, str]] = {
    "at_week_cap": (
        "{consultant} at {cap}",
        "{consultant} zit aan {cap}",
    ),
    "full_at_day_cap_inner": (
        "{consultant} full on {days}, {cap}",
        "{consultant} vol op {days}, {cap}",
    ),
    "full_at_day_cap": (
        "{consultant} full on {days} ({cap})",
        "{consultant} vol op {days} ({cap})",
    ),
    "capacity_taken": (
        "capacity taken by more urgent requests ({phrases}{tail})",
        "capaciteit bezet door urgentere aanvragen ({phrases}{tail})",
    ),
    "capacity_taken_equal": (
        "capacity taken by more or equally urgent requests ({phrases}{tail})",
        "capaciteit bezet door even of meer urgente aanvragen ({phrases}{tail})",
    ),
    "including_less_urgent_one": (
        "{line}, including less urgent request {requests}",
        "{line}, waaronder minder urgente aanvraag {requests}",
    ),
    "including_less_urgent": (
        "{line}, including less urgent requests {requests}",
        "{line}, waaronder minder urgente aanvragen {requests}",
    ),
    "more_consultants_full_one": (
        "1 more consultant is full, partly with less urgent requests",
        "nog 1 consultant is vol, deels met minder urgente aanvragen",
    ),
    "more_consultants_full": (
        "{n} more consultants are full, partly with less urgent requests",
        "nog {n} consultants zijn vol, deels met minder urgente aanvragen",
    ),
    "and_n_more_semi": (
        "; and {n} more",
        "; en nog {n}",
    ),
    "list_and_more": (
        "{items} and {n} more",
        "{items} en nog {n}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_cap_week": (
        "{consultant} has {n} visits, more than max {cap} a week",
        "{consultant} heeft {n} bezoeken, meer dan max. {cap} per week",
    ),
    "check_cap_day": (
        "{consultant} has {n} visits on {date}, more than max {cap} a day",
        "{consultant} heeft {n} bezoeken op {date}, meer dan max. {cap} per dag",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "caps",
    texts=TEXTS,
    add=add,
    search=CapCounts,
    blocks=blocks,
)
