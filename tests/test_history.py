"""Plan history: accept, list, compare, restore (SQLite in memory)."""

from __future__ import annotations

import dataclasses

import pytest

from matcher import storage
from matcher.scenario.domain import Plan, Scenario
from matcher.storage.engine import get_engine
from matcher.storage.history import accept_plan, accepted_plan, compare, history, restore_plan


def test_accept_compare_and_restore(example: Scenario, example_plan: Plan) -> None:
    engine = get_engine("sqlite://")
    rid = storage.import_scenario(engine, example)
    first = storage.save_plan(engine, rid, example_plan)
    assert accepted_plan(engine, rid) is None
    accept_plan(engine, rid, first, "planner@ketenregie")
    # A re-plan moves one visit; it is only a proposal until accepted.
    v = example_plan.visits[0]
    moved = dataclasses.replace(
        example_plan,
        visits=(
            dataclasses.replace(v, start=v.start + 30, end=v.end + 30),
            *example_plan.visits[1:],
        ),
    )
    second = storage.save_plan(engine, rid, moved)
    got = accepted_plan(engine, rid)
    assert got is not None and got[0] == first
    accept_plan(engine, rid, second, "tweede@ketenregie")
    diff = compare(engine, first, second)
    assert [c.request for c in diff.changes] == [v.request] and diff.changes[0].kind == "moved"
    # Restore the first: a new entry that says what it replaced; the history keeps all.
    restore_plan(engine, rid, first, "planner@ketenregie")
    entries = history(engine, rid)
    assert [e.plan_id for e in entries] == [first, second, first]
    assert entries[0].restored_from == second and entries[0].accepted_by == "planner@ketenregie"
    assert entries[0].accepted_at >= entries[1].accepted_at >= entries[2].accepted_at
    assert entries[0].accepted_at.tzinfo is not None
    assert accepted_plan(engine, rid)[0] == first  # type: ignore[index]


def test_a_plan_of_another_round_cannot_be_accepted(example: Scenario, example_plan: Plan) -> None:
    engine = get_engine("sqlite://")
    a = storage.import_scenario(engine, example)
    b = storage.import_scenario(engine, dataclasses.replace(example, name="Andere ronde"))
    plan_b = storage.save_plan(engine, b, example_plan)
    with pytest.raises(storage.NotFoundError):
        accept_plan(engine, a, plan_b, "x")
    with pytest.raises(ValueError):
        accept_plan(engine, b, plan_b, "  ")
    assert history(engine, a) == [] and history(engine, b) == []


def test_a_replan_is_a_proposal_until_accepted_or_discarded(
    example: Scenario, example_plan: Plan
) -> None:
    from matcher.storage.history import current_plan_id, discard_plan, proposal_id

    engine = get_engine("sqlite://")
    rid = storage.import_scenario(engine, example)
    first = storage.save_plan(engine, rid, example_plan)
    assert current_plan_id(engine, rid) == first and proposal_id(engine, rid) is None
    accept_plan(engine, rid, first, "planner")
    second = storage.save_plan(engine, rid, example_plan, label="herplanning")
    assert current_plan_id(engine, rid) == first and proposal_id(engine, rid) == second
    assert not discard_plan(engine, rid, first)  # accepted plans stay
    assert discard_plan(engine, rid, second)
    assert proposal_id(engine, rid) is None
    assert [p.id for p in storage.list_plans(engine, rid)] == [first]
