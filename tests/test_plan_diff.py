"""Tests of matcher.explain.plan_diff: what changed between two plans."""

from __future__ import annotations

import datetime as dt

from matcher.explain.plan_diff import describe_change, diff_plans
from matcher.scenario.domain import Plan, SolverInfo, Unassigned, Visit

DAY = dt.date(2026, 11, 24)


def visit(
    request: str, consultants: tuple[str, ...], day: dt.date = DAY, start: int = 600
) -> Visit:
    return Visit(request, "Y-1", "L-1", consultants, day, start, start + 60)


def plan(*visits: Visit, objective: int = 100, travel: int = 50) -> Plan:
    return Plan(
        "week",
        SolverInfo("feasible", objective, None, 1.0),
        tuple(visits),
        (Unassigned("R-X", ("reason",)),),
        {"travel_minutes": travel},
    )


def test_each_kind_of_change_is_found() -> None:
    old = plan(
        visit("R-1", ("C-1",)),
        visit("R-2", ("C-1",)),
        visit("R-3", ("C-2",)),
        visit("R-4", ("C-2",)),
        visit("R-5", ("C-3",)),
    )
    new = plan(
        visit("R-1", ("C-1",)),  # unchanged
        visit("R-2", ("C-1",), start=720),  # moved
        visit("R-3", ("C-3",)),  # reassigned
        visit("R-4", ("C-1",), day=DAY + dt.timedelta(days=1)),  # both
        visit("R-6", ("C-2",)),  # new; R-5 dropped
        objective=90,
        travel=65,
    )
    diff = diff_plans(old, new)
    kinds = {c.request: c.kind for c in diff.changes}
    assert kinds == {
        "R-2": "moved",
        "R-3": "reassigned",
        "R-4": "moved+reassigned",
        "R-6": "new",
        "R-5": "dropped",
    }
    assert diff.unchanged == 1
    assert diff.objective_delta == -10
    assert diff.travel_delta == 15
    assert diff.counts() == {
        "new": 1,
        "moved+reassigned": 1,
        "moved": 1,
        "reassigned": 1,
        "dropped": 1,
    }
    assert diff.changes[0].kind == "new"
    assert diff.changes[-1].kind == "dropped"


def test_same_consultants_in_another_order_is_no_change() -> None:
    diff = diff_plans(plan(visit("R-1", ("C-1", "C-2"))), plan(visit("R-1", ("C-2", "C-1"))))
    assert diff.empty
    assert diff.unchanged == 1


def test_without_old_plan_everything_is_new() -> None:
    diff = diff_plans(None, plan(visit("R-1", ("C-1",)), visit("R-2", ("C-2",))))
    assert diff.count("new") == 2
    assert diff.objective_delta is None
    assert diff.travel_delta is None


def test_descriptions_are_dutch_lines() -> None:
    old = plan(visit("R-1", ("C-1",)), visit("R-2", ("C-1",)))
    new = plan(visit("R-1", ("C-2",), start=660), visit("R-3", ("C-1",)))
    lines = [describe_change(c) for c in diff_plans(old, new).changes]
    assert lines[0] == "R-3 nieuw ingepland: di 24 nov 10:00–11:00 (C-1)"
    assert lines[1] == (
        "R-1 verplaatst en andere consultant: di 24 nov 10:00–11:00 (C-1) → "
        "di 24 nov 11:00–12:00 (C-2)"
    )
    assert lines[2] == "R-2 vervallen: was di 24 nov 10:00–11:00 (C-1)"
