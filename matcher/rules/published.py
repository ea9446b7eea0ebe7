"""Not before ``now``, and published visits: re-planning against visits already sent.

- A published visit that started before ``now`` has begun or taken place: the request is
  pinned to it (:func:`with_forced_pin`, used by the instance), so every rule of pins
  applies.
- Pruning: every other visit starts at or after ``now`` (``cut_starts``).
- CP-SAT: :func:`add` gives each keepable published visit a literal (not keeping it costs
  ``weights.change`` in the objective).
- Search: a published visit is re-inserted exactly where it was when that is cheaper
  (:meth:`matcher.solver.search.SearchState.keep_insertion`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from matcher.messages import Message
from matcher.rules.base import Rule, StartContext
from matcher.scenario.domain import DAY_MINUTES, Pin, Request, Scenario
from matcher.solver.intervals import Interval, intersect

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel


def with_forced_pin(scenario: Scenario, req: Request) -> Request:
    """The request, pinned to its published visit when that started before ``now``.

    Such a visit has begun or taken place, so every plan keeps it exactly; the validator
    has checked that it still keeps every rule (including the request's own pin).
    """
    pub = scenario.forced(req.id)
    if pub is None:
        return req
    return dataclasses.replace(req, pinned=Pin(pub.consultants, pub.date, pub.start))


def not_before_now(scenario: Scenario, day: dt.date, intervals: list[Interval]) -> list[Interval]:
    """Cut start intervals on ``day`` to starts at or after the scenario's ``now``."""
    now = scenario.now
    if now is None or day > now.date():
        return intervals
    if day < now.date():
        return []
    return intersect(intervals, [(now.hour * 60 + now.minute, DAY_MINUTES)])


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Starts at or after ``now``, unless the request keeps a visit that began."""
    if ctx.forced:
        return iv
    return not_before_now(ctx.scenario, ctx.tour.date, iv)


def add(pm: PlanningModel) -> None:
    """A literal per published visit that the plan may keep (soft: not keeping it costs
    ``weights.change``).

    Kept forces the request to be planned, at the published start, by the published
    consultants (each serving in its tour of that date); the role matching then makes
    them exactly the visit's consultants.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        keep = inst.requests[ri].keep
        if keep is None or any((ri, t) not in pm.serve for t in keep.tours):
            continue
        lit = m.new_bool_var(f"kept[{inst.requests[ri].request.id}]")
        pm.kept[ri] = lit
        m.add_implication(lit, pm.present[ri])
        m.add(pm.start[ri] == keep.start).only_enforce_if(lit)
        for t in keep.tours:
            m.add_implication(lit, pm.serve[ri, t])


# Reasons -------------------------------------------------------------------------


def reason_all_days_before_now(first: dt.date, last: dt.date, now: dt.datetime) -> Message:
    return Message("all_days_before_now", first=first, last=last, now=now)


def reason_only_before_now(now: dt.datetime) -> Message:
    return Message("only_before_now", now=now)


TEXTS: dict[str, tuple[str, str]] = {
    "all_days_before_now": (
        "every allowed day ({first} to {last}) is before now ({now})",
        "elke toegestane dag ({first} t/m {last}) ligt vóór nu ({now})",
    ),
    "only_before_now": (
        "the only times that fit are before now ({now})",
        "de enige tijden die passen liggen vóór nu ({now})",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_before_now": (
        "{visit}: starts before now ({now}) and is not a kept published visit",
        "{visit}: begint voor nu ({now}) en is geen aangehouden verstuurd bezoek",
    ),
    "check_published_not_kept": (
        "published visit {request} ({date} {start}, {consultants}) started before now ({now}) and "
        "is not kept",
        "verstuurd bezoek {request} ({date} {start}, {consultants}) begon voor nu ({now}) en is "
        "niet aangehouden",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "published",
    texts=TEXTS,
    cut_starts=cut_starts,
    add=add,
)
