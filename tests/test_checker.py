"""The independent checker finds each broken rule of FORMAT.md and recomputes the objective."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from matcher.checker import check_plan
from matcher.scenario.domain import Plan, Scenario, Unassigned
from matcher.scenario.loader import load_scenario
from matcher.scenario.plan_io import read_plan

SPEC_PLAN = Path(__file__).resolve().parent / "data" / "example-plan.json"


@pytest.fixture
def scenario(example_path: Path) -> Scenario:
    return load_scenario(example_path)


@pytest.fixture
def plan() -> Plan:
    """The spec's example plan: feasible, objective 2174, travel 234."""
    return read_plan(SPEC_PLAN)


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def with_visit(plan: Plan, request: str, **changes: object) -> Plan:
    visits = tuple(
        dataclasses.replace(v, **changes) if v.request == request else v  # type: ignore[arg-type]
        for v in plan.visits
    )
    return dataclasses.replace(plan, visits=visits)


def violations(scenario: Scenario, plan: Plan) -> str:
    return "\n".join(check_plan(scenario, plan).violations)


def test_example_plan_is_feasible_with_the_spec_objective(scenario: Scenario, plan: Plan) -> None:
    report = check_plan(scenario, plan)
    assert report.violations == []
    assert report.objective == 2174 and report.travel_minutes == 234
    assert report.waiting_cost + report.continuity_cost == 2174 - 234


def test_objective_terms_by_hand(scenario: Scenario, plan: Plan) -> None:
    """Waiting: R-2 (Y-014 normal, 11-18 -> 11-23: 5 d) = 10*2*5 = 100, and so on."""
    by_hand_waiting = (
        10 * 2 * 5  # R-2 Y-2026-014 normal, 5 days
        + 10 * 4 * 7  # R-1 Y-2026-011 high, 7 days
        + 10 * 8 * 15  # R-4 Y-2026-021 crisis, 15 days
        + 10 * 2 * 5  # R-5 Y-2026-022 normal, 5 days
        + 10 * 1 * 4  # R-3 Y-2026-019 low, 4 days
        + 10 * 2 * 8  # R-6 Y-2026-014 normal, 8 days
    )
    report = check_plan(scenario, plan)
    assert report.waiting_cost == by_hand_waiting
    assert report.continuity_cost == 60  # R-6 by C-XON-1, previous C-XON-2


def test_unassigned_cost_and_reason(scenario: Scenario, plan: Plan) -> None:
    dropped = dataclasses.replace(
        plan,
        visits=tuple(v for v in plan.visits if v.request != "R-3"),
        unassigned=(Unassigned("R-3", ("test",)),),
        solver=dataclasses.replace(plan.solver, objective=None),
        kpis={},
    )
    report = check_plan(scenario, dropped)
    assert report.unassigned_cost == 1000 * 1
    assert report.violations == []
    no_reason = dataclasses.replace(dropped, unassigned=(Unassigned("R-3", ()),))
    assert "carries no reason" in violations(scenario, no_reason)


@pytest.mark.parametrize(
    ("request_id", "changes", "fragment"),
    [
        ("R-2", {"end": hm("10:05")}, "lasts 60 min, the request needs 90"),
        ("R-2", {"date": dt.date(2026, 11, 28)}, "not a planning day"),
        ("R-3", {"date": dt.date(2026, 11, 23)}, "date outside 2026-11-24..2026-11-27"),
        ("R-1", {"start": hm("12:00"), "end": hm("13:00")}, "outside time of day 13:00-18:00"),
        ("R-4", {"start": hm("09:30"), "end": hm("11:00")}, "outside the opening hours"),
        ("R-4", {"consultants": ("C-XON-1",)}, "do not have the skills"),
        ("R-5", {"consultants": ("C-FIER-1",)}, "1 consultant(s) for 2 role(s)"),
        ("R-5", {"consultants": ("C-FIER-1", "C-FIER-1")}, "named twice"),
        ("R-6", {"consultants": ("C-XON-2",)}, "pinned to C-XON-1, not kept"),
        ("R-6", {"consultants": ("C-XON-2",)}, "C-XON-2 is not available on 2026-11-26"),
        ("R-3", {"start": hm("14:30"), "end": hm("15:30")}, "needs 26 min to the next"),
        ("R-2", {"start": hm("08:40"), "end": hm("10:10")}, "cannot start at 08:40"),
        ("R-1", {"start": hm("15:29"), "end": hm("16:29")}, "after the window ends at 16:30"),
        ("R-2", {"consultants": ("C-NOPE",)}, "consultant C-NOPE does not exist"),
    ],
)
def test_each_broken_rule_is_named(
    scenario: Scenario, plan: Plan, request_id: str, changes: dict[str, object], fragment: str
) -> None:
    assert fragment in violations(scenario, with_visit(plan, request_id, **changes))


def test_signalled_on(scenario: Scenario, plan: Plan) -> None:
    later = dataclasses.replace(
        scenario,
        youths=tuple(
            dataclasses.replace(y, signalled_on=dt.date(2026, 11, 24))
            if y.id == "Y-2026-014"
            else y
            for y in scenario.youths
        ),
    )
    assert "before the youth was signalled" in violations(later, plan)


def test_excluded_consultant(scenario: Scenario, plan: Plan) -> None:
    fier = scenario.consultant("C-FIER-1")
    excluding = dataclasses.replace(
        scenario,
        youths=tuple(
            dataclasses.replace(y, excluded_consultants=frozenset({fier.id}))
            if y.id == "Y-2026-022"
            else y
            for y in scenario.youths
        ),
    )
    assert "C-FIER-1 is excluded for youth Y-2026-022" in violations(excluding, plan)


def test_daily_and_weekly_caps(scenario: Scenario, plan: Plan) -> None:
    tight = dataclasses.replace(
        scenario,
        consultants=tuple(
            dataclasses.replace(c, max_visits_per_day=1, max_visits_per_week=2)
            if c.id == "C-XON-1"
            else c
            for c in scenario.consultants
        ),
    )
    text = violations(tight, plan)
    assert "C-XON-1 has 2 visits on 2026-11-24, more than max 1 a day" in text
    assert "C-XON-1 has 3 visits, more than max 2 a week" in text


def test_every_request_exactly_once(scenario: Scenario, plan: Plan) -> None:
    missing = dataclasses.replace(plan, visits=plan.visits[1:])
    assert "request R-2 is missing from the plan" in violations(scenario, missing)
    twice = dataclasses.replace(plan, unassigned=(Unassigned("R-2", ("x",)),))
    assert "request R-2 appears 2 times" in violations(scenario, twice)
    ghost = dataclasses.replace(plan, unassigned=(Unassigned("R-99", ("x",)),))
    assert "R-99 in the plan does not exist" in violations(scenario, ghost)


def test_pinned_request_must_be_planned(scenario: Scenario, plan: Plan) -> None:
    dropped = dataclasses.replace(
        plan,
        visits=tuple(v for v in plan.visits if v.request != "R-6"),
        unassigned=(Unassigned("R-6", ("x",)),),
    )
    assert "R-6 is pinned but not planned" in violations(scenario, dropped)


def test_the_plans_own_figures_must_match(scenario: Scenario, plan: Plan) -> None:
    wrong = dataclasses.replace(
        plan,
        solver=dataclasses.replace(plan.solver, objective=2000, bound=2500),
        kpis={"travel_minutes": 200},
    )
    text = violations(scenario, wrong)
    assert "solver.objective is 2000, recomputed per FORMAT.md it is 2174" in text
    assert "kpis.travel_minutes is 200" in text
    assert "solver.bound 2500 is above the objective" in text


def test_unavailability_cuts_tours(scenario: Scenario, plan: Plan) -> None:
    moved = with_visit(plan, "R-1", date=dt.date(2026, 11, 25))
    moved = with_visit(moved, "R-2", date=dt.date(2026, 11, 25))
    assert "C-XON-2 is not available on 2026-11-25" in violations(scenario, moved)


def test_violations_are_messages_in_both_languages(scenario: Scenario, plan: Plan) -> None:
    """A violation is a code with parameters: English as before for the CLI, Dutch for the
    app (the hand moves), with the rule's code declared in its rule module."""
    from matcher.messages import rule_texts

    moved = with_visit(plan, "R-1", start=hm("03:00"), end=hm("04:00"))
    report = check_plan(scenario, moved)
    (gone,) = [v for v in report.details if v.message.code == "check_unavailable"]
    assert gone.text == str(gone.message) == gone.message.render("en")
    assert "is not available on" in gone.text and gone.requests == ("R-1",)
    dutch = gone.message.render("nl")
    assert "is niet beschikbaar op" in dutch and "03:00-04:00" in dutch
    assert "check_unavailable" in rule_texts()  # the windows rule's text
    assert report.messages == [v.message for v in report.details]


def test_the_checker_names_codes_but_imports_no_rule() -> None:
    """The checker stays independent: it imports neither the rules nor the model, and every
    code it names has an English and a Dutch text."""
    import ast
    import re

    from matcher import checker
    from matcher.messages import table

    source = Path(checker.__file__).read_text(encoding="utf-8")
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert "matcher.messages" in imported
    assert not [m for m in imported if m and m.startswith(("matcher.rules", "matcher.solver"))]
    codes = set(re.findall(r'Message\(\s*"(check_[a-z_]+)"', source))
    assert len(codes) > 30
    assert sorted(codes - set(table("en"))) == [] and sorted(codes - set(table("nl"))) == []
