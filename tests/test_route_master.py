"""Tests of the integer route master (plans made of the route bound's columns).

Every plan is verified by the independent checker, not by the master's own value.
"""

from __future__ import annotations

import random

import pytest
from solver_checks import checked, child_plans

from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver import route_master
from matcher.solver.model import Instance, prepare
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_master import IntegerMaster, best_route_state, state_from_routes
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.search import SearchState, alns, construct
from matcher.travel import build_travel_matrix


@pytest.fixture(scope="module")
def joint_week() -> tuple[Scenario, Instance]:
    """40 requests with joint visits, weekly caps and pins (the generator's defaults)."""
    s = parse_scenario(generate_scenario(5, 40, 10), "<generated>")
    return s, prepare(s)


def _first_and_bound(inst: Instance) -> tuple[SearchState, RouteBound]:
    """A cheapest-insertion plan and the route bound seeded with it, run to convergence."""
    first = construct(inst)
    rb = RouteBound(inst, first.assignments())
    rb.run(60.0)
    assert rb.converged
    return first, rb


def test_master_plan_is_feasible_and_between_bound_and_hint(
    single_week: tuple[Scenario, Instance],
) -> None:
    s, inst = single_week
    first, rb = _first_and_bound(inst)
    st = best_route_state(rb, 30.0, first.assignments())
    assert st is not None
    got = checked(s, inst, st)
    assert rb.bound is not None and rb.bound <= got <= first.total()
    assert got < first.total()  # the columns the pricing found make a better plan


def test_the_master_keeps_the_cheapest_columns_up_to_its_limit(
    single_week: tuple[Scenario, Instance], monkeypatch: pytest.MonkeyPatch
) -> None:
    s, inst = single_week
    first, rb = _first_and_bound(inst)
    plan = first.assignments()
    whole = IntegerMaster(rb, plan)
    keep = len(IntegerMaster(rb, plan, max_columns=0).chosen)  # the incumbent's routes
    assert len(whole.chosen) > keep + 10
    monkeypatch.setattr(route_master, "MAX_COLUMNS", 10)
    capped = IntegerMaster(rb, plan)
    assert len(capped.chosen) == keep + 10
    assert set(capped.chosen) < set(whole.chosen)
    got = capped.solve(30.0)  # still a plan: the incumbent's routes are all there
    assert got is not None
    st, lost = state_from_routes(inst, got.routes)
    assert st is not None and not lost and checked(s, inst, st) <= first.total()


def test_single_visit_routes_are_rebuilt_exactly(single_week: tuple[Scenario, Instance]) -> None:
    s, inst = single_week
    first, rb = _first_and_bound(inst)
    plan = IntegerMaster(rb, first.assignments()).solve(30.0)
    assert plan is not None
    st, lost = state_from_routes(inst, plan.routes)
    assert st is not None and lost == []
    assert checked(s, inst, st) == plan.value


def test_joint_visits_meet_at_one_start(joint_week: tuple[Scenario, Instance]) -> None:
    s, inst = joint_week
    first, rb = _first_and_bound(inst)
    st = best_route_state(rb, 30.0, first.assignments())
    assert st is not None
    got = checked(s, inst, st)  # the checker fails joint visits that do not meet
    assert got <= first.total()
    joint = [a for a in st.assignments() if len(a.tours) > 1]
    assert joint


def test_forbid_removes_that_combination_of_routes(joint_week: tuple[Scenario, Instance]) -> None:
    _s, inst = joint_week
    first, rb = _first_and_bound(inst)
    master = IntegerMaster(rb, first.assignments())
    plan = master.solve(30.0)
    assert plan is not None
    joint = next(r for _t, seq in plan.routes for r in seq if inst.requests[r].n_roles > 1)
    holding = {(t, seq) for t, seq in plan.routes if joint in seq}
    master.forbid(plan, joint)
    again = master.solve(30.0)
    assert again is not None
    assert not holding <= set(again.routes)


def test_search_takes_a_better_incoming_plan(single_week: tuple[Scenario, Instance]) -> None:
    s, inst = single_week
    first, rb = _first_and_bound(inst)
    better = best_route_state(rb, 30.0, first.assignments())
    assert better is not None
    sent = [better]
    found = alns(
        first.copy(),
        random.Random(1),
        lambda it: it >= 3,
        incoming=lambda: sent.pop() if sent else None,
    )
    assert checked(s, inst, found) <= better.total()


def test_child_process_sends_feasible_plans(joint_week: tuple[Scenario, Instance]) -> None:
    s, inst = joint_week
    tm = build_travel_matrix(s)
    first = construct(inst)
    proc = RouteBoundProcess(s, tm, first.assignments(), 20.0)
    plans = child_plans(proc)
    assert plans
    for plan in plans:
        st = SearchState.from_assignments(inst, plan)
        assert checked(s, inst, st) <= first.total()


def test_a_day_neighbourhood_keeps_every_other_tour(
    joint_week: tuple[Scenario, Instance],
) -> None:
    s, inst = joint_week
    first, rb = _first_and_bound(inst)
    free = {t for t, ti in enumerate(inst.tours) if ti.day == 0}
    st = best_route_state(rb, 30.0, first.assignments(), free_tours=free)
    assert st is not None
    assert checked(s, inst, st) <= first.total()
    shared = {t for a in first.assignments() if len(a.tours) > 1 for t in a.tours}
    # Every other tour keeps its visits (perhaps in a cheaper order of the same set, plus
    # an open request the final greedy insertion puts there).
    moved = [
        t
        for t in range(len(inst.tours))
        if t not in free and t not in shared and not set(first.seq[t]) <= set(st.seq[t])
    ]
    assert moved == []
    assert any(set(st.seq[t]) != set(first.seq[t]) for t in free)  # the day did change
