"""Tests of matcher.solver.kpis: the week's figures, recomputed from the plan."""

from __future__ import annotations

import dataclasses

import pytest

from matcher.checker import check_plan
from matcher.scenario.domain import Plan, Scenario, Unassigned, tours_of
from matcher.solver.kpis import utilisation_frame, waiting_frame, week_kpis
from matcher.travel import TravelMatrix


def test_full_week_figures(example: Scenario, example_plan: Plan, travel: TravelMatrix) -> None:
    k = week_kpis(example, example_plan, travel)
    assert k.visits == len(example_plan.visits) == 6
    assert k.requests == len(example.requests)
    assert k.waiting_total == 0
    assert list(k.waiting) == ["crisis", "high", "normal", "low"]
    assert k.travel_minutes == check_plan(example, example_plan, travel).travel_minutes
    assert k.travel_hours == pytest.approx(k.travel_minutes / 60)
    waits = [(v.date - example.youth(v.youth).signalled_on).days for v in example_plan.visits]
    assert k.mean_waiting_days == pytest.approx(sum(waits) / len(waits))
    assert k.max_waiting_days == max(waits)


def test_loads_are_bounded_and_count_visits(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    k = week_kpis(example, example_plan, travel)
    by_id = {x.consultant: x for x in k.loads}
    assert by_id["C-XON-1"].visits == 3  # R-5 (joint), R-3, R-6
    assert by_id["C-FIER-1"].visits == 2
    for x in k.loads:
        c = example.consultant(x.consultant)
        assert x.available_minutes == sum(t.end - t.start for t in tours_of(c, example.days))
        assert 0 <= x.utilisation <= 1
    assert 0 < k.utilisation < 1
    frame = utilisation_frame(example, k)
    assert len(frame) == 3
    assert frame["Bezetting"].between(0, 1).all()


def test_waiting_requests_by_urgency(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    plan = dataclasses.replace(
        example_plan,
        visits=tuple(v for v in example_plan.visits if v.request not in ("R-4", "R-3")),
        unassigned=(Unassigned("R-4", ("x",)), Unassigned("R-3", ("y",))),
    )
    k = week_kpis(example, plan, travel)
    assert k.waiting == {"crisis": 1, "high": 0, "normal": 0, "low": 1}
    assert k.visits == 4
    assert list(waiting_frame(k)["Urgentie"]) == ["crisis", "hoog", "normaal", "laag"]


def test_without_plan_everything_waits(example: Scenario, travel: TravelMatrix) -> None:
    k = week_kpis(example, None, travel)
    assert k.visits == 0
    assert k.waiting_total == len(example.requests)
    assert k.travel_minutes == 0
    assert k.utilisation == 0


def test_provider_view_counts_only_its_consultants(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    k = week_kpis(example, example_plan, travel, consultants=["C-FIER-1"])
    assert k.visits == 2
    assert [x.consultant for x in k.loads] == ["C-FIER-1"]
    assert k.waiting_total == 0
    full = week_kpis(example, example_plan, travel)
    assert k.travel_minutes < full.travel_minutes
