"""The smallest change that plans an open request, proven by planning with it."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import pytest

from matcher.checker import check_plan
from matcher.explain.remedies import apply_change, candidates, describe, describe_nl, find_remedies
from matcher.scenario.domain import Scenario
from matcher.scenario.validate import validate_document
from matcher.solver.solve import SolveParams

solve_module = importlib.import_module("matcher.solver.solve")

BASE: dict[str, Any] = {
    "format": 1,
    "name": "tiny",
    "days": ["2026-11-23", "2026-11-24"],
    "providers": [{"id": "p", "name": "P"}],
    "consultants": [
        {
            "id": "C1",
            "provider": "p",
            "name": "A",
            "email": "a@x.example",
            "base": {"lat": 50.85, "lon": 5.69},
            "skills": ["emdr"],
            "availability": [{"date": "2026-11-23", "start": "09:00", "end": "10:00"}],
        }
    ],
    "locations": [
        {
            "id": "L1",
            "name": "L1",
            "kind": "gezinshuis",
            "gemeente": "Maastricht",
            "lat": 50.85,
            "lon": 5.69,
        }
    ],
    "youths": [
        {
            "id": f"Y{k}",
            "location": "L1",
            "gemeente": "Maastricht",
            "signalled_on": "2026-11-23",
            "urgency": "high",
        }
        for k in (1, 2)
    ],
    "requests": [
        {"id": f"R{k}", "youth": f"Y{k}", "duration_minutes": 60, "latest": "2026-11-23"}
        for k in (1, 2)
    ],
}


def _case(**changes: Any) -> Scenario:
    doc = copy.deepcopy(BASE)
    for path, value in changes.items():
        where: Any = doc
        *head, last = path.split("__")
        for key in head:
            where = where[int(key)] if key.isdigit() else where[key]
        where[last] = value
    return validate_document(doc, "<tiny>")


def _open_and_fix(s: Scenario) -> tuple[str, Any]:
    plan = solve_module.solve(s, SolveParams(time_limit=2, workers=1)).plan
    assert len(plan.unassigned) == 1
    rid = plan.unassigned[0].request
    remedy = find_remedies(s, plan, seconds=5)[rid]
    assert remedy is not None
    changed = apply_change(s, remedy.change)
    report = check_plan(changed, remedy.plan)
    assert report.feasible, report.violations
    assert rid in {v.request for v in remedy.plan.visits}
    assert remedy.objective_after == report.objective
    assert remedy.delta < 0  # planning a high request saves its unassigned cost
    return rid, remedy


def test_a_tour_one_hour_too_short_is_extended_by_one_hour() -> None:
    rid, remedy = _open_and_fix(_case())
    ch = remedy.change
    assert (ch.kind, ch.consultant, ch.minutes) == ("extend", "C1", 60)  # 30 is not enough
    assert f"wordt {rid} ingepland" in describe_nl(remedy) and "1 uur extra" in describe_nl(remedy)
    assert describe(remedy).startswith("with 1 hour more")


def test_a_full_day_cap_gets_one_more_visit() -> None:
    s = _case(
        consultants__0__availability=[{"date": "2026-11-23", "start": "09:00", "end": "17:00"}],
        consultants__0__max_visits_per_day=1,
    )
    _, remedy = _open_and_fix(s)
    assert remedy.change.kind == "cap_day"


def test_a_missing_skill_is_given_to_a_consultant() -> None:
    s = _case(
        consultants__0__availability=[{"date": "2026-11-23", "start": "09:00", "end": "17:00"}],
        requests__1__skills=["emdr", "lvb"],
    )
    rid, remedy = _open_and_fix(s)
    assert rid == "R2" and (remedy.change.kind, remedy.change.skill) == ("skill", "lvb")


def test_a_later_latest_date() -> None:
    s = _case(
        consultants__0__availability=[
            {"date": "2026-11-23", "start": "09:00", "end": "10:00"},
            {"date": "2026-11-24", "start": "09:00", "end": "10:00"},
        ],
        consultants__0__max_visits_per_day=1,
    )
    plan = solve_module.solve(s, SolveParams(time_limit=2, workers=1)).plan
    kinds = [c.kind for c in candidates(s, plan, plan.unassigned[0].request)]
    assert "latest" in kinds and kinds.index("extend") < kinds.index("latest")


def test_no_remedy_when_nothing_small_helps() -> None:
    s = _case(requests__1__skills=["nobody-is-close-to-this", "nor-this"])
    plan = solve_module.solve(s, SolveParams(time_limit=2, workers=1)).plan
    assert find_remedies(s, plan, ["R2"], seconds=2) == {"R2": None}


@pytest.mark.parametrize("minutes", [30, 60, 90])
def test_extensions_keep_the_rest_of_the_availability(minutes: int, example: Scenario) -> None:
    from matcher.explain.remedies import Change

    c = example.consultants[0]
    day = example.days[1]
    changed = apply_change(example, Change("extend", "R-1", c.id, day, minutes, "end"))
    before = {t.date: (t.start, t.end) for t in example.tours() if t.consultant == c.id}
    after = {t.date: (t.start, t.end) for t in changed.tours() if t.consultant == c.id}
    assert after[day] == (before[day][0], before[day][1] + minutes)
    assert {d: v for d, v in after.items() if d != day} == {
        d: v for d, v in before.items() if d != day
    }


def test_a_request_that_fits_as_it_is_needs_no_change(example: Scenario) -> None:
    import dataclasses

    plan = solve_module.solve(example, SolveParams(time_limit=2, workers=1)).plan
    v = next(v for v in plan.visits if v.request != "R-6")  # R-6 is pinned
    from matcher.scenario.domain import Unassigned

    dropped = dataclasses.replace(
        plan,
        visits=tuple(x for x in plan.visits if x is not v),
        unassigned=(*plan.unassigned, Unassigned(v.request, ("removed by hand",))),
    )
    remedy = find_remedies(example, dropped, seconds=3)[v.request]
    assert remedy is not None and remedy.change.kind == "none"
    assert "past zonder wijziging" in describe_nl(remedy) and remedy.delta < 0
