"""Alerts: urgent open requests and visits that an absence broke."""

from __future__ import annotations

import dataclasses

from matcher.app.alerts import alerts
from matcher.cycle.replanning import broken_visits
from matcher.scenario.domain import Plan, Scenario, Unassigned, Unavailability


def test_urgent_open_requests_and_broken_visits(example: Scenario, example_plan: Plan) -> None:
    visit = example_plan.visits[0]
    youths = tuple(
        dataclasses.replace(y, urgency="crisis") if y.id == visit.youth else y
        for y in example.youths
    )
    s = dataclasses.replace(example, youths=youths)
    # The plan leaves the crisis youth's request open; a low one is no alert.
    open_plan = dataclasses.replace(
        example_plan,
        visits=example_plan.visits[1:],
        unassigned=(Unassigned(visit.request, ("no tour left",)),),
    )
    got = alerts(s, open_plan)
    assert [(a.kind, a.request, a.urgency, a.reasons) for a in got] == [
        ("open_urgent", visit.request, "crisis", ("no tour left",))
    ]
    # The consultant of a sent visit reports sick that day: the visit is broken.
    sick = visit.consultants[0]
    consultants = tuple(
        dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(visit.date)))
        if c.id == sick
        else c
        for c in s.consultants
    )
    s2 = dataclasses.replace(s, consultants=consultants)
    broken = broken_visits(s2, example_plan.visits)
    assert visit.request in broken and any(sick in t for t in broken[visit.request])
    assert broken_visits(example, example_plan.visits) == {}
    kinds = [a.kind for a in alerts(s2, open_plan, sent=example_plan)]
    assert kinds[0] == "open_urgent" and "broken_visit" in kinds
