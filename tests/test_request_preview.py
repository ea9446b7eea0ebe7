"""Adding a request: checked at once, with the cheapest place in the plan or the reasons."""

from __future__ import annotations

from matcher.app.request_preview import new_request_id, preview_request
from matcher.checker import check_plan
from matcher.scenario.domain import Plan, Scenario


def test_a_crisis_request_for_an_existing_youth_gets_its_cheapest_place(
    example: Scenario, example_plan: Plan
) -> None:
    youth = example.youths[0]
    got = preview_request(
        example,
        example_plan,
        youth=youth.id,
        urgency="crisis",
        roles=[["loverboy-trauma"]],
        duration_minutes=60,
        earliest=example.days[0],
        latest=example.days[-1],
    )
    assert got.ok and got.scenario is not None and got.request is not None
    assert got.request.id == new_request_id(example)
    assert got.scenario.youth(youth.id).urgency == "crisis"  # raised in the same step
    ins = got.insertion
    assert ins is not None
    # the place it names really fits: the plan plus that visit passes the checker
    planned = Plan(
        example_plan.scenario,
        example_plan.solver.__class__("feasible", None, None, 0.0),
        (*example_plan.visits, ins.visit(got.scenario)),
        example_plan.unassigned,
    )
    assert check_plan(got.scenario, planned).feasible


def test_an_impossible_request_says_why_and_a_bad_one_lists_its_problems(
    example: Scenario, example_plan: Plan
) -> None:
    youth = example.youths[0].id
    nobody = preview_request(
        example,
        example_plan,
        youth=youth,
        urgency="high",
        roles=[["nobody-has-this"]],
        duration_minutes=60,
        earliest=example.days[0],
        latest=example.days[-1],
    )
    assert nobody.ok and nobody.insertion is None
    assert any("nobody-has-this" in r for r in nobody.reasons)
    bad = preview_request(
        example,
        example_plan,
        youth=youth,
        urgency="high",
        roles=[[]],
        duration_minutes=60,
        earliest=example.days[-1],
        latest=example.days[0],
    )
    assert not bad.ok and any(p.code == "latest_before_earliest" for p in bad.problems)
    shown = [p.text("nl", file=False) for p in bad.problems]
    assert any(t.startswith("aanvraag R-") and "ligt voor de vroegste datum" in t for t in shown)
