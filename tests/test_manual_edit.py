"""Tests of matcher.app.manual_edit: hand-made changes checked by the independent checker."""

from __future__ import annotations

import datetime as dt

from matcher.app.manual_edit import (
    MANUAL_REASON,
    lock_problems,
    locks_problems,
    move_visit,
    pin_of,
    unplan_visit,
    with_pin,
)
from matcher.checker import check_plan
from matcher.scenario.domain import Pin, Plan, Scenario
from matcher.travel import TravelMatrix

MON, TUE, WED, THU = (dt.date(2026, 11, 23 + i) for i in range(4))


def visit_of(plan: Plan, request: str):  # type: ignore[no-untyped-def]
    return next(v for v in plan.visits if v.request == request)


def assert_consistent(scenario: Scenario, plan: Plan, travel: TravelMatrix) -> None:
    report = check_plan(scenario, plan, travel)
    assert report.feasible, report.violations
    assert plan.solver.objective == report.objective
    assert plan.kpis["travel_minutes"] == report.travel_minutes


def test_move_to_another_day_finds_a_start(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    outcome = move_visit(example, example_plan, "R-4", ["C-FIER-1"], THU, None, travel)
    assert outcome.ok, outcome.violations
    assert outcome.plan is not None
    moved = visit_of(outcome.plan, "R-4")
    assert (moved.date, moved.consultants) == (THU, ("C-FIER-1",))
    assert moved.end - moved.start == 90
    assert outcome.pin is None
    assert_consistent(example, outcome.plan, travel)
    assert len(outcome.plan.visits) == len(example_plan.visits)


def test_move_to_a_consultant_without_the_skill_is_refused(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    auto = move_visit(example, example_plan, "R-4", ["C-XON-2"], MON, None, travel)
    assert not auto.ok
    assert auto.violations
    fixed = move_visit(example, example_plan, "R-4", ["C-XON-2"], MON, 15 * 60, travel)
    assert not fixed.ok
    assert any("skills" in v for v in fixed.violations)


def test_move_onto_another_visit_is_refused(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    outcome = move_visit(example, example_plan, "R-2", ["C-XON-2"], MON, 12 * 60, travel)
    assert not outcome.ok
    assert any("R-2" in v and "R-1" in v for v in outcome.violations)
    # The checker's refusals are its messages, so the app shows them in Dutch.
    codes = {r.code for r in outcome.reasons}
    assert codes and all(c.startswith("check_") for c in codes), codes
    dutch = outcome.reasons_text("nl")
    assert any("R-2" in t and "R-1" in t and "bezoeken" in t for t in dutch), dutch
    assert not any("visit" in t or "needs" in t for t in dutch), dutch


def test_moving_a_locked_visit_keeps_it_locked(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    outcome = move_visit(example, example_plan, "R-6", ["C-XON-1"], THU, 11 * 60, travel)
    assert outcome.ok, outcome.violations
    assert outcome.pin == Pin(("C-XON-1",), THU, 660)
    assert outcome.plan is not None
    assert_consistent(with_pin(example, "R-6", outcome.pin), outcome.plan, travel)


def test_unplan_and_plan_again_by_hand(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    out = unplan_visit(example, example_plan, "R-3", travel)
    assert out.ok and out.plan is not None
    assert [u.request for u in out.plan.unassigned] == ["R-3"]
    assert out.plan.unassigned[0].reasons == (MANUAL_REASON,)
    assert out.plan.kpis["unassigned"] == 1
    assert_consistent(example, out.plan, travel)
    assert out.plan.solver.objective is not None and example_plan.solver.objective is not None
    assert out.plan.solver.objective > example_plan.solver.objective
    back = move_visit(example, out.plan, "R-3", ["C-XON-1"], TUE, None, travel)
    assert back.ok and back.plan is not None
    assert back.plan.unassigned == ()
    assert_consistent(example, back.plan, travel)


def test_locked_visits_cannot_be_unplanned(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    out = unplan_visit(example, example_plan, "R-6", travel)
    assert not out.ok
    assert out.plan is None
    assert not unplan_visit(example, example_plan, "R-404", travel).ok


def test_lock_problems_use_the_validator(example: Scenario, example_plan: Plan) -> None:
    assert lock_problems(example, "R-1", pin_of(visit_of(example_plan, "R-1"))) == ()
    bad = lock_problems(example, "R-1", Pin(("C-XON-1",), MON, 13 * 60))
    assert any("missen vaardigheden" in p for p in bad), bad
    assert any(
        "lack the skills" in p
        for p in lock_problems(example, "R-1", Pin(("C-XON-1",), MON, 13 * 60), "en")
    )
    sick = lock_problems(example, "R-2", Pin(("C-XON-2",), WED, 9 * 60))
    assert any("is die dag niet beschikbaar" in p for p in sick)
    assert all(p.startswith("aanvraag R-2.pinned") for p in sick), sick


def test_many_locks_are_checked_together(example: Scenario, example_plan: Plan) -> None:
    pins = {v.request: pin_of(v) for v in example_plan.visits}
    assert locks_problems(example, pins) == ()
    bad = locks_problems(
        example,
        {**pins, "R-1": Pin(("C-XON-1",), MON, 13 * 60), "R-2": Pin(("C-XON-2",), WED, 9 * 60)},
    )
    # every bad pin is reported, each at its own request
    assert any("missen vaardigheden" in p for p in bad), bad
    assert any("is die dag niet beschikbaar" in p for p in bad), bad
    assert sorted(bad) == sorted(
        [
            *lock_problems(example, "R-1", Pin(("C-XON-1",), MON, 13 * 60)),
            *lock_problems(example, "R-2", Pin(("C-XON-2",), WED, 9 * 60)),
        ]
    )


def test_unknown_request_or_no_consultant(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    unknown = move_visit(example, example_plan, "R-404", ["C-XON-1"], TUE, None, travel)
    assert not unknown.ok
    assert [r.code for r in unknown.reasons] == ["hand_move_unknown_request"]
    nobody = move_visit(example, example_plan, "R-3", [], TUE, None, travel)
    assert not nobody.ok
    assert nobody.message == "Kies minstens één consultant."
    assert nobody.reasons_text() == ["geen consultant gekozen"]
    assert nobody.violations == ("no consultant chosen",)


def test_refusals_are_codes_rendered_in_dutch(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    locked = unplan_visit(example, example_plan, "R-6", travel)
    assert [r.code for r in locked.reasons] == ["hand_move_locked"]
    assert locked.reasons_text() == ["aanvraag R-6 is vastgezet (vergrendeld)"]
    assert locked.message == "R-6 is vergrendeld; ontgrendel het bezoek eerst."
    moved = move_visit(example, example_plan, "R-6", ["C-XON-1"], THU, 11 * 60, travel)
    assert moved.summary is not None and moved.summary.code == "hand_move_summary_moved"
    assert moved.message == "R-6 staat nu bij C-XON-1 op 26-11-2026 11:00-11:45."


def test_a_reason_object_with_a_code_becomes_its_message() -> None:
    from dataclasses import dataclass

    from matcher.app.manual_edit import as_reason
    from matcher.messages import Message

    @dataclass
    class Reason:
        code: str
        params: dict[str, object]

    assert as_reason(Reason("hand_move_locked", {"request": "R-1"})) == Message(
        "hand_move_locked", request="R-1"
    )
    assert as_reason("visit R-1: overlap").render("nl") == "regel overtreden: visit R-1: overlap"
