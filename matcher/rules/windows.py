"""Tour windows: each consultant's part of a visit lies inside one of its tours (an
availability window less the unavailable time), leaving time to drive from the base after
the tour starts and back before it ends.

- Pruning: ``cut_starts`` gives the starts that fit the tour with the drive there and
  back (the first cut; the other rules narrow it).
- CP-SAT: :func:`add` forces the shared start into the serving tour's intervals (which
  hold every pruning rule: time of day, opening hours, pinned start, now).
- Search: an option's intervals are the allowed starts of its tour (no hook).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule, StartContext
from matcher.solver.intervals import Interval, cut, union

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Starts that leave the drive from the base and back inside the tour."""
    t = ctx.tour
    lo = t.start + ctx.to_loc
    hi = t.end - ctx.from_loc - ctx.request.duration_minutes
    return cut(iv, [(lo, hi)])


def add(pm: PlanningModel) -> None:
    """A serving tour forces the start into that tour's allowed intervals.

    The intervals (see :func:`start_intervals`) encode the tour window with travel from
    and back to the base, ``time_of_day`` and the location's opening windows of the date;
    dates (planning days, earliest/latest, signalled_on) were applied when the options were
    made.
    """
    from ortools.sat.python import cp_model  # here: the rule's texts are read without it

    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        all_iv = union(iv for o in pm.free_options(r) for iv in o.intervals)
        for o in pm.free_options(r):
            if list(o.intervals) == all_iv:
                continue
            dom = cp_model.Domain.from_intervals([list(iv) for iv in o.intervals])
            m.add_linear_expression_in_domain(pm.start[ri], dom).only_enforce_if(
                pm.serve[ri, o.tour]
            )


# Reasons -------------------------------------------------------------------------


def reason_not_available(subject: words.Text, days: list[dt.date], people: list[str]) -> Message:
    """The consultants of a role have no tour on an allowed day."""
    return Message(
        "not_available", subject=subject, span=words.span(days), consultants=words.ids(people)
    )


def reason_no_room(
    subject: words.Text, days: list[dt.date], minutes: int, detail: words.Text
) -> Message:
    """No tour is long enough for the visit with the drive from and back to the base."""
    return Message(
        "no_room_in_tour", subject=subject, span=words.span(days), minutes=minutes, detail=detail
    )


def closest(
    consultant: str, day: dt.date, start: int, end: int, there: int, dur: int, back: int
) -> Message:
    """The detail of :func:`reason_no_room`: the tour that comes closest."""
    return Message(
        "closest_tour",
        consultant=consultant,
        day=words.full_day(day),
        window=words.span_hm(start, end),
        there=there,
        duration=dur,
        back=back,
    )


TEXTS: dict[str, tuple[str, str]] = {
    "not_available": (
        "{subject} are not available {span} ({consultants})",
        "{subject} zijn {span} niet beschikbaar ({consultants})",
    ),
    "no_room_in_tour": (
        "no tour of {subject} {span} leaves room for {minutes} minutes plus travel from and "
        "to the base{detail}",
        "geen ronde van {subject} {span} laat ruimte voor {minutes} minuten plus reistijd van "
        "en naar de basis{detail}",
    ),
    "closest_tour": (
        " (closest: {consultant} on {day} {window} needs {there}+{duration}+{back} minutes)",
        " (dichtstbij: {consultant} op {day} {window} heeft {there}+{duration}+{back} "
        "minuten nodig)",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_unavailable": (
        "visit {request}: {consultant} is not available on {date} {window}",
        "bezoek {request}: {consultant} is niet beschikbaar op {date} {window}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "windows",
    texts=TEXTS,
    cut_starts=cut_starts,
    add=add,
)
