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


TEXTS: dict[str, tuple[str, str]] = {
    "pin_unknown_consultant": (
        "pinned to unknown consultant {consultant}",
        "vastgezet op onbekende consultant {consultant}",
    ),
    "pin_wrong_count": (
        "pinned to {n} consultant(s) ({consultants}) but the visit needs {needed}",
        "vastgezet op {n} consultant(s) ({consultants}), maar het bezoek vraagt er {needed}",
    ),
    "pin_excluded": (
        "pinned to {consultant} who is excluded for {youth}",
        "vastgezet op {consultant}, die is uitgesloten voor {youth}",
    ),
    "pin_lacks_skills": (
        "pinned to {consultant} who lacks {skills}",
        "vastgezet op {consultant}, die de {skills} mist",
    ),
    "pin_no_role": (
        "pinned to {consultant} who has the skills of none of the roles {roles}",
        "vastgezet op {consultant}, die de vaardigheden van geen van de rollen {roles} heeft",
    ),
    "pin_roles_unmatched": (
        "pinned consultants {consultants} cannot fill the roles {roles} one to one",
        "vastgezette consultants {consultants} kunnen de rollen {roles} niet één op één vervullen",
    ),
    "pin_not_planning_day": (
        "pinned to {date}, which is not a planning day",
        "vastgezet op {date}, dat is geen planningsdag",
    ),
    "pin_before_signalled": (
        "pinned to {date}, before the youth was signalled ({signalled})",
        "vastgezet op {date}, vóór de signalering van de jongere ({signalled})",
    ),
    "pin_outside_dates": (
        "pinned to {date}, outside the allowed dates {first} to {last}",
        "vastgezet op {date}, buiten de toegestane data {first} t/m {last}",
    ),
    "pin_unavailable_day": (
        "pinned to {consultant} who is unavailable that day ({day})",
        "vastgezet op {consultant}, die die dag niet beschikbaar is ({day})",
    ),
    "pin_not_available": (
        "pinned to {consultant} who is not available {span}",
        "vastgezet op {consultant}, die {span} niet beschikbaar is",
    ),
    "pin_not_same_day": (
        "pinned consultants {consultants} are not available on the same day {span}",
        "vastgezette consultants {consultants} zijn {span} niet op dezelfde dag beschikbaar",
    ),
    "pin_no_room": (
        "pinned to {consultants} whose tours {span} leave no room for {minutes} minutes plus "
        "travel from and to the base{detail}",
        "vastgezet op {consultants}, maar hun rondes {span} laten geen ruimte voor {minutes} "
        "minuten plus reistijd van en naar de basis{detail}",
    ),
    "that_day": (
        "that day ({day})",
        "die dag ({day})",
    ),
    "pin_unavailable_at": (
        "pinned to {consultant} who is unavailable at {time} {when}",
        "vastgezet op {consultant}, die {when} om {time} niet beschikbaar is",
    ),
    "pin_start_no_drive": (
        "pinned start {start} leaves {consultant} no time to drive from the base ({minutes} "
        "minutes, the tour starts at {tour_start})",
        "vastgezette starttijd {start} laat {consultant} geen tijd om vanaf de basis te rijden "
        "({minutes} minuten, de ronde begint om {tour_start})",
    ),
    "pin_end_no_drive": (
        "pinned end {end} leaves {consultant} no time to drive back to the base ({minutes} "
        "minutes, the tour ends at {tour_end})",
        "vastgezette eindtijd {end} laat {consultant} geen tijd om terug te rijden naar de "
        "basis ({minutes} minuten, de ronde eindigt om {tour_end})",
    ),
    "pin_outside_opening": (
        "pinned start {start} is outside the opening hours of {location} ({summary})",
        "vastgezette starttijd {start} valt buiten de openingstijden van {location} ({summary})",
    ),
    "pin_outside_time_of_day": (
        "pinned time {time} is outside the time of day {time_of_day}",
        "vastgezette tijd {time} valt buiten tijdvak {time_of_day}",
    ),
    "pin_no_common_time": (
        "pinned time {time} fits no common tour time of {consultants} inside the opening "
        "hours and time of day {when}",
        "vastgezette tijd {time} past {when} in geen gezamenlijke rondetijd van {consultants} "
        "binnen de openingstijden en het tijdvak",
    ),
    "pin_of": (
        "pin of {request}: {reason}",
        "vastzetting van {request}: {reason}",
    ),
    "pins_clash_week": (
        "pins {requests} clash: they give {consultant} {n} visits, more than {cap}",
        "vastzettingen {requests} botsen: ze geven {consultant} {n} bezoeken, meer dan {cap}",
    ),
    "pins_clash_day": (
        "pins {requests} clash: they give {consultant} {n} visits on {day}, more than {cap}",
        "vastzettingen {requests} botsen: ze geven {consultant} {n} bezoeken op {day}, meer "
        "dan {cap}",
    ),
    "pins_clash_same_start": (
        "pins {requests} clash: both put {consultant} on {date} at {time}",
        "vastzettingen {requests} botsen: beide zetten {consultant} op {date} om {time} in",
    ),
    "pins_clash_drive": (
        "pins {requests} clash: {consultant} would be at {first} until {until} and at "
        "{second} at {at} on {date} ({minutes} minutes' drive)",
        "vastzettingen {requests} botsen: {consultant} zou op {date} tot {until} bij {first} "
        "zijn en om {at} bij {second} ({minutes} minuten rijden)",
    ),
    "pins_clash_tours": (
        "pins {requests} clash: they do not fit together in the tours of {consultant} on {day}",
        "vastzettingen {requests} botsen: ze passen niet samen in de rondes van {consultant} "
        "op {day}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_pin_consultants": (
        "{visit}: pinned to {consultants}, not kept",
        "{visit}: vastgezet op {consultants}, niet aangehouden",
    ),
    "check_pin_date": (
        "{visit}: pinned to {date}, not kept",
        "{visit}: vastgezet op {date}, niet aangehouden",
    ),
    "check_pin_start": (
        "{visit}: pinned to start {start}, not kept",
        "{visit}: vastgezet op begintijd {start}, niet aangehouden",
    ),
    "check_pin_not_planned": (
        "request {request} is pinned but not planned",
        "aanvraag {request} is vastgezet maar niet ingepland",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "pins",
    texts=TEXTS,
    consultant_ok=consultant_ok,
    day_ok=day_ok,
    cut_starts=cut_starts,
    add=add,
)
