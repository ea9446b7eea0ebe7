"""Joint visits: two or more roles, one consultant each, all starting and ending together.

- Pruning: :func:`prune` cuts a joint request's options to the days and start times that
  every role can reach, and drops days on which the roles cannot be matched to distinct
  consultants (:func:`role_matchings`).
- CP-SAT: one start variable per request is shared by all its consultants; :func:`add`
  ties every consultant's tour to one day.
- Search: a joint visit is inserted with one fixed start that fits every consultant's
  tour (:meth:`matcher.solver.search.SearchState.best_insertion`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule
from matcher.solver.intervals import Interval, intersect, union

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from matcher.solver.cpsat import PlanningModel
    from matcher.solver.instance import Option, RequestInfo, TourInfo


def role_matchings(n_roles: int, role_sets: dict[int, set[int]]) -> Iterable[tuple[int, ...]]:
    """All ways to give each role a distinct consultant.

    ``role_sets`` maps consultant index -> roles the consultant can fill. Yields tuples of
    consultant indices in role order.
    """
    per_role = [[c for c, ks in role_sets.items() if k in ks] for k in range(n_roles)]
    for combo in itertools.product(*per_role):
        if len(set(combo)) == n_roles:
            yield combo


def prune(r: RequestInfo, tours: list[TourInfo]) -> list[Option]:
    """Cut a joint request's options to days and start times that all roles can share."""
    by_day: dict[int, list[Option]] = {}
    for o in r.options:
        by_day.setdefault(tours[o.tour].day, []).append(o)
    kept: list[Option] = []
    for opts in by_day.values():
        # Start times each role can reach on this day (union over consultants able to fill it).
        role_iv: list[list[Interval]] = [
            union(iv for o in opts if k in o.roles for iv in o.intervals) for k in range(r.n_roles)
        ]
        common = role_iv[0]
        for iv in role_iv[1:]:
            common = intersect(common, iv)
        if not common:
            continue
        cut = [
            dataclasses.replace(o, intervals=tuple(x))
            for o in opts
            if (x := intersect(o.intervals, common))
        ]
        role_sets: dict[int, set[int]] = {}
        for o in cut:
            role_sets.setdefault(tours[o.tour].consultant, set()).update(o.roles)
        if r.pinned and not set(r.pinned) <= set(role_sets):
            continue
        if next(iter(role_matchings(r.n_roles, role_sets)), None) is None:
            continue
        kept.extend(cut)
    kept.sort(key=lambda o: o.tour)
    return kept


def add(pm: PlanningModel) -> None:
    """All consultants of a joint visit serve it on the same day (and share its start).

    The shared start is by construction (one start variable per request); here a day
    literal per allowed day ties every consultant's tour to that day.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        if r.n_roles == 1:
            continue
        opts = pm.free_options(r)
        days = sorted({inst.tours[o.tour].day for o in opts})
        day_lits = {}
        for d in days:
            lit = m.new_bool_var(f"on_day[{r.request.id},{inst.scenario.days[d].isoformat()}]")
            day_lits[d] = lit
            pm.on_day[ri, d] = lit
        m.add(sum(day_lits.values()) == pm.present[ri])
        per_cd: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for o in opts:
            ti = inst.tours[o.tour]
            per_cd.setdefault((ti.consultant, ti.day), []).append(pm.serve[ri, o.tour])
        for (_, d), lits in per_cd.items():
            m.add(sum(lits) <= day_lits[d])


# Reasons -------------------------------------------------------------------------


def reason_too_few(people: list[str], role_list: tuple[frozenset[str], ...]) -> Message:
    """Fewer distinct qualified consultants than roles."""
    code = "joint_too_few_one" if len(people) == 1 else "joint_too_few"
    return Message(code, roles=words.roles(role_list), consultants=words.ids(people))


def reason_no_day(days: list[dt.date], role_list: tuple[frozenset[str], ...]) -> Message:
    """No day on which a consultant per role is available."""
    return Message(
        "joint_no_day", span=words.span(days), n=len(role_list), roles=words.roles(role_list)
    )


def reason_no_common_time(
    days: list[dt.date],
    role_list: tuple[frozenset[str], ...],
    location: str | None = None,
    time_of_day: str | None = None,
) -> Message:
    """No common time of a consultant per role (inside the opening hours, the time of day)."""
    kw: dict[str, object] = {}
    code = "joint_no_common_time"
    if location is not None:
        code, kw = "joint_no_common_time_open", {"location": location}
    elif time_of_day is not None:
        code, kw = "joint_no_common_time_tod", {"time_of_day": time_of_day}
    return Message(
        code, span=words.span(days), n=len(role_list), roles=words.roles(role_list), **kw
    )


def reason_no_common_free_time(
    role_list: tuple[frozenset[str], ...], days: list[dt.date]
) -> Message:
    """Each role has free time in the plan, but not at the same time."""
    return Message(
        "joint_no_common_free_time",
        roles=words.roles(role_list),
        days=words.ids([words.full_day(d) for d in days]),
    )


TEXTS: dict[str, tuple[str, str]] = {
    "joint_too_few_one": (
        "not enough distinct consultants for the roles {roles}: only {consultants} qualifies",
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {consultants} "
        "komt in aanmerking",
    ),
    "joint_too_few": (
        "not enough distinct consultants for the roles {roles}: only {consultants} qualify",
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {consultants} "
        "komen in aanmerking",
    ),
    "joint_no_day": (
        "no day {span} on which {n} different consultants for the roles {roles} are available",
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} "
        "beschikbaar zijn",
    ),
    "joint_no_common_time": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time",
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn",
    ),
    "joint_no_common_time_open": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time inside the opening hours of {location}",
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen de openingstijden van {location}",
    ),
    "joint_no_common_time_tod": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time within time of day {time_of_day}",
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen tijdvak {time_of_day}",
    ),
    "joint_no_common_free_time": (
        "the consultants for the roles {roles} have no common free time on {days}",
        "de consultants voor de rollen {roles} hebben geen gezamenlijke vrije tijd op {days}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "joint",
    texts=TEXTS,
    add=add,
)
