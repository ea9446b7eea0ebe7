"""Seeded re-planning cases: a planned week, published, then disrupted.

:func:`make_replan` turns a scenario and a plan of it into the scenario of the re-plan that a
ketenregisseur faces mid-week: the plan's visits are ``published`` (staff have them), ``now``
is a moment inside the week, some consultants fall sick for a day after ``now``, and one new
crisis request arrives. Used by the tests and by the re-planning benchmark.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from matcher.scenario.domain import (
    Consultant,
    Plan,
    PublishedVisit,
    Request,
    Scenario,
    Unavailability,
    Youth,
)

__all__ = ["make_replan"]


def make_replan(
    scenario: Scenario,
    plan: Plan,
    *,
    seed: int = 0,
    sick: int = 2,
    now_day: int = 1,
    now_minutes: int = 12 * 60,
    crisis: bool = True,
) -> Scenario:
    """The re-plan of ``scenario`` after ``plan`` was sent to staff.

    Parameters
    ----------
    scenario, plan
        The week and its plan; every visit of the plan becomes a published visit.
    seed
        Chooses the sick consultants, their day and the crisis youth.
    sick
        How many consultants fall sick on a day on which they have published visits still
        to come (never a day with a pin of theirs): for the rest of that day from ``now`` on
        ``now``'s date, for the whole day later in the week.
    now_day, now_minutes
        ``now`` is planning day ``now_day`` (index) at ``now_minutes`` after midnight.
    crisis
        Add one new crisis request: a new youth placed at the location of an existing one,
        signalled on ``now``'s date, who needs a visit of the longest duration in the week.
    """
    rng = random.Random(seed)
    days = scenario.days
    now = dt.datetime.combine(days[now_day], dt.time(now_minutes // 60, now_minutes % 60))
    published = tuple(
        PublishedVisit(v.request, v.date, v.start, v.consultants) for v in plan.visits
    )
    later_days = [d for d in days if d >= now.date()]
    coming = _days_with_visits_to_come(scenario, plan, now)
    consultants = _fall_sick(scenario, rng, coming, sick, now)
    youths = list(scenario.youths)
    requests = list(scenario.requests)
    urgency = (
        "crisis"
        if "crisis" in scenario.urgency_factors
        else max(scenario.urgency_factors, key=lambda k: scenario.urgency_factors[k])
    )
    if crisis and requests and later_days:
        _add_crisis(rng, scenario, now, urgency, youths, requests)
    return dataclasses.replace(
        scenario,
        name=f"{scenario.name} (herplanning)",
        consultants=tuple(consultants),
        youths=tuple(youths),
        requests=tuple(requests),
        now=now,
        published=published,
    )


def _days_with_visits_to_come(
    scenario: Scenario, plan: Plan, now: dt.datetime
) -> dict[str, set[dt.date]]:
    """Per consultant, the days with visits still to come after ``now``.

    Days with a pin of theirs are left out, and so is ``now``'s date for a consultant who has
    set out already (a visit of theirs began before ``now`` that day).
    """
    now_minutes = now.hour * 60 + now.minute
    pinned_days = {
        (cid, r.pinned.date)
        for r in scenario.requests
        if r.pinned is not None
        for cid in r.pinned.consultants
    }
    begun = {
        (cid, v.date)
        for v in plan.visits
        if (v.date, v.start) < (now.date(), now_minutes)
        for cid in v.consultants
    }
    coming: dict[str, set[dt.date]] = {}
    for v in plan.visits:
        if scenario.before_now(v.date, v.start) or (v.date, v.start) < (now.date(), now_minutes):
            continue
        for cid in v.consultants:
            if (cid, v.date) not in pinned_days and (cid, v.date) not in begun:
                coming.setdefault(cid, set()).add(v.date)
    return coming


def _fall_sick(
    scenario: Scenario,
    rng: random.Random,
    coming: dict[str, set[dt.date]],
    sick: int,
    now: dt.datetime,
) -> list[Consultant]:
    """The consultants, ``sick`` of them (chosen by ``rng``) absent on one of their ``coming``
    days: from ``now`` on ``now``'s date, else the whole day."""
    now_minutes = now.hour * 60 + now.minute
    chosen = rng.sample(sorted(coming), min(sick, len(coming)))
    consultants = []
    for c in scenario.consultants:
        if c.id in chosen:
            day = rng.choice(sorted(coming[c.id]))
            start = now_minutes if day == now.date() else 0
            c = dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(day, start)))
        consultants.append(c)
    return consultants


def _add_crisis(
    rng: random.Random,
    scenario: Scenario,
    now: dt.datetime,
    urgency: str,
    youths: list[Youth],
    requests: list[Request],
) -> None:
    """Append a new crisis youth and their request to ``youths`` and ``requests``.

    The youth is placed where the youth of a request chosen by ``rng`` is, and needs one
    consultant of that request's first role for its duration, from ``now``'s date on.
    """
    template = rng.choice(requests)
    placed = scenario.youth(template.youth)
    youth = Youth(
        id=_fresh_id({y.id for y in youths}, "Y-CRISIS"),
        location=placed.location,
        gemeente=placed.gemeente,
        signalled_on=now.date(),
        urgency=urgency,
    )
    youths.append(youth)
    requests.append(
        Request(
            id=_fresh_id({r.id for r in requests}, "R-CRISIS"),
            youth=youth.id,
            roles=(template.roles[0],),
            duration_minutes=template.duration_minutes,
            earliest=now.date(),
            latest=scenario.days[-1],
        )
    )


def _fresh_id(taken: set[str], stem: str) -> str:
    k = 1
    while f"{stem}-{k}" in taken:
        k += 1
    return f"{stem}-{k}"
