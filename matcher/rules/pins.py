"""Pins: a pinned request is planned with exactly its pinned consultants, and on the
pinned date and start where given.

- Pruning: only the pinned consultants (``consultant_ok``), the pinned date (``day_ok``),
  the pinned start (``cut_starts``).
- CP-SAT: :func:`add` forces the request to be planned by every pinned consultant (as
  solver assumptions when :attr:`~matcher.solver.cpsat.PlanningModel.pin_assumptions` is
  set, to find clashing pins).
- Search: pinned requests are inserted first and never removed (in
  :mod:`matcher.solver.search`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule, StartContext
from matcher.scenario.domain import Consultant, Request, Scenario, Youth
from matcher.solver.intervals import Interval, cut

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel


def consultant_ok(scenario: Scenario, request: Request, youth: Youth, c: Consultant) -> bool:
    """Only a pinned consultant may serve a pinned request."""
    pin = request.pinned
    return pin is None or c.id in pin.consultants


def day_ok(scenario: Scenario, request: Request, youth: Youth, day: dt.date) -> bool:
    """Only the pinned date, when the pin has one."""
    pin = request.pinned
    return pin is None or pin.date is None or day == pin.date


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Only the pinned start, when the pin has one."""
    pin = ctx.request.pinned
    if pin is None or pin.start is None:
        return iv
    return cut(iv, [(pin.start, pin.start)])


def add(pm: PlanningModel) -> None:
    """A pinned request is planned with exactly its pinned consultants.

    Options were already cut to the pinned consultants, date and start; here the request
    is forced to be planned and every pinned consultant to serve it.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        pin = r.request.pinned
        if pin is None:
            continue
        if pm.pin_assumptions:
            lit = m.new_bool_var(f"pin[{r.request.id}]")
            pm.pin_literals[ri] = lit
            m.add(pm.present[ri] == 1).only_enforce_if(lit)
        else:
            m.add(pm.present[ri] == 1)
        by_c = pm.serve_by_consultant(r)
        unknown = len(r.pinned) != len(pin.consultants) or len(set(pin.consultants)) != r.n_roles
        for c in set(r.pinned):
            lits = by_c.get(c, [])
            if not lits:
                unknown = True
            elif pm.pin_assumptions:
                m.add(sum(lits) == 1).only_enforce_if(pm.pin_literals[ri])
            else:
                m.add(sum(lits) == 1)
        if unknown:
            if pm.pin_assumptions:
                m.add_bool_or([pm.pin_literals[ri].Not()])
            else:
                m.add(pm.present[ri] == 0)


# Reasons -------------------------------------------------------------------------


def reason_unknown(consultant: str) -> Message:
    return Message("pin_unknown_consultant", consultant=consultant)


def reason_wrong_count(people: list[str], needed: int) -> Message:
    return Message("pin_wrong_count", n=len(people), consultants=words.ids(people), needed=needed)


def reason_excluded(consultant: str, youth: str) -> Message:
    return Message("pin_excluded", consultant=consultant, youth=youth)


def reason_lacks(consultant: str, lacking: frozenset[str]) -> Message:
    return Message("pin_lacks_skills", consultant=consultant, skills=words.skills(lacking))


def reason_no_role(consultant: str, role_list: tuple[frozenset[str], ...]) -> Message:
    return Message("pin_no_role", consultant=consultant, roles=words.roles(role_list))


def reason_roles_unmatched(people: list[str], role_list: tuple[frozenset[str], ...]) -> Message:
    return Message(
        "pin_roles_unmatched", consultants=words.ids(people), roles=words.roles(role_list)
    )


def reason_date(
    pin_date: dt.date, planning: bool, signalled: dt.date, allowed: list[dt.date]
) -> Message:
    """The pinned date is not a planning day, before signalled_on, or outside the dates."""
    if not planning:
        return Message("pin_not_planning_day", date=pin_date)
    if pin_date < signalled:
        return Message("pin_before_signalled", date=pin_date, signalled=signalled)
    return Message("pin_outside_dates", date=pin_date, first=allowed[0], last=allowed[-1])


def reason_unavailable_day(consultant: str, day: dt.date) -> Message:
    return Message("pin_unavailable_day", consultant=consultant, day=words.full_day(day))


def reason_not_available(consultant: str, days: list[dt.date]) -> Message:
    return Message("pin_not_available", consultant=consultant, span=words.span(days))


def reason_not_same_day(people: list[str], days: list[dt.date]) -> Message:
    return Message("pin_not_same_day", consultants=words.ids(people), span=words.span(days))


def reason_no_room(
    people: list[str], days: list[dt.date], minutes: int, detail: words.Text
) -> Message:
    return Message(
        "pin_no_room",
        consultants=words.ids(people),
        span=words.span(days),
        minutes=minutes,
        detail=detail,
    )


def when(pin_date: dt.date | None, days: list[dt.date]) -> Message:
    """``that day (Monday 2026-11-23)`` for a dated pin, else the span of the days."""
    if pin_date is not None:
        return Message("that_day", day=words.full_day(pin_date))
    return words.span(days)


def reason_unavailable_at(consultant: str, start: int, end: int, at: words.Text) -> Message:
    return Message(
        "pin_unavailable_at", consultant=consultant, time=words.span_hm(start, end), when=at
    )


def reason_no_drive_there(start: int, consultant: str, minutes: int, tour_start: int) -> Message:
    return Message(
        "pin_start_no_drive",
        start=words.hm(start),
        consultant=consultant,
        minutes=minutes,
        tour_start=words.hm(tour_start),
    )


def reason_no_drive_back(end: int, consultant: str, minutes: int, tour_end: int) -> Message:
    return Message(
        "pin_end_no_drive",
        end=words.hm(end),
        consultant=consultant,
        minutes=minutes,
        tour_end=words.hm(tour_end),
    )


def reason_outside_opening(start: int, location: str, summary: words.Text) -> Message:
    return Message("pin_outside_opening", start=words.hm(start), location=location, summary=summary)


def reason_outside_time_of_day(start: int, end: int, tod: tuple[int, int]) -> Message:
    return Message(
        "pin_outside_time_of_day",
        time=words.span_hm(start, end),
        time_of_day=words.span_hm(*tod),
    )


def reason_no_common_time(start: int, end: int, people: list[str], at: words.Text) -> Message:
    return Message(
        "pin_no_common_time",
        time=words.span_hm(start, end),
        consultants=words.ids(people),
        when=at,
    )


def reason_of(request: str, reason: Message) -> Message:
    """A pinned request's own reason, as a clash of the pins."""
    return Message("pin_of", request=request, reason=reason)


def clash_week(requests: list[str], consultant: str, cap: int) -> Message:
    return Message(
        "pins_clash_week",
        requests=words.ids(requests),
        consultant=consultant,
        n=len(requests),
        cap=words.cap_per_week(cap),
    )


def clash_day(requests: list[str], consultant: str, day: dt.date, cap: int) -> Message:
    return Message(
        "pins_clash_day",
        requests=words.ids(requests),
        consultant=consultant,
        n=len(requests),
        day=words.full_day(day),
        cap=words.cap_per_day(cap),
    )


def clash_same_start(requests: list[str], consultant: str, day: dt.date, start: int) -> Message:
    return Message(
        "pins_clash_same_start",
        requests=words.ids(requests),
        consultant=consultant,
        date=day,
        time=words.hm(start),
    )


def clash_drive(
    requests: list[str],
    consultant: str,
    first: str,
    until: int,
    second: str,
    at: int,
    day: dt.date,
    minutes: int,
) -> Message:
    return Message(
        "pins_clash_drive",
        requests=words.ids(requests),
        consultant=consultant,
        first=first,
        until=words.hm(until),
        second=second,
        at=words.hm(at),
        date=day,
        minutes=minutes,
    )


def clash_tours(requests: list[str], consultant: str, day: dt.date) -> Message:
    return Message(
        "pins_clash_tours",
        requests=words.ids(requests),
        consultant=consultant,
        day=words.full_day(day),
    )


RULE = Rule(
    "pins",
    codes=(
        "pin_unknown_consultant",
        "pin_wrong_count",
        "pin_excluded",
        "pin_lacks_skills",
        "pin_no_role",
        "pin_roles_unmatched",
        "pin_not_planning_day",
        "pin_before_signalled",
        "pin_outside_dates",
        "pin_unavailable_day",
        "pin_not_available",
        "pin_not_same_day",
        "pin_no_room",
        "that_day",
        "pin_unavailable_at",
        "pin_start_no_drive",
        "pin_end_no_drive",
        "pin_outside_opening",
        "pin_outside_time_of_day",
        "pin_no_common_time",
        "pin_of",
        "pins_clash_week",
        "pins_clash_day",
        "pins_clash_same_start",
        "pins_clash_drive",
        "pins_clash_tours",
    ),
    consultant_ok=consultant_ok,
    day_ok=day_ok,
    cut_starts=cut_starts,
    add=add,
)
