"""Tests of the route pool: the routes a search goes through, as master columns.

Plans are verified by the independent checker, not by the master's own value.
"""

from __future__ import annotations

import random

import pytest
from solver_checks import checked, child_plans

from matcher.scenario.domain import Scenario
from matcher.solver.model import Instance, routes
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_master import best_route_state
from matcher.solver.route_pool import RoutePool
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.search import SearchState, alns, construct
from matcher.travel import build_travel_matrix


@pytest.fixture(scope="module")
def searched(single_week: tuple[Scenario, Instance]) -> tuple[SearchState, SearchState, RoutePool]:
    """The first plan, the search's best from it, and the pool of the search's routes."""
    _, inst = single_week
    first = construct(inst)
    pool = RoutePool()
    pool.add(first)
    best = alns(first.copy(), random.Random(3), lambda it: it >= 200, on_accept=pool.add)
    return first, best, pool


def _route_set(inst: Instance, st: SearchState) -> set[tuple[int, tuple[int, ...]]]:
    return {(t, tuple(a.request for a in lst)) for t, lst in routes(inst, st.assignments()).items()}


def test_a_route_is_new_only_once(single_week: tuple[Scenario, Instance]) -> None:
    _, inst = single_week
    st = construct(inst)
    pool = RoutePool()
    pool.add(st)
    got = pool.take()
    assert set(got) == _route_set(inst, st) and len(got) == len(set(got))
    pool.add(st.copy())
    assert pool.take() == []
    changed = st.copy()
    t = next(t for t, seq in enumerate(changed.seq) if len(seq) >= 2)
    changed.remove(changed.seq[t][0])
    pool.add(changed)
    assert pool.take() == [(t, tuple(changed.seq[t]))]


def test_the_pool_holds_every_route_of_the_searchs_best_plan(
    single_week: tuple[Scenario, Instance], searched: tuple[SearchState, SearchState, RoutePool]
) -> None:
    s, inst = single_week
    first, best, pool = searched
    assert checked(s, inst, best) < first.total()
    assert _route_set(inst, best) <= pool.seen
    assert len(pool.seen) > len(_route_set(inst, best))  # it went through other routes


def test_the_master_combines_pooled_routes_into_a_plan(
    single_week: tuple[Scenario, Instance], searched: tuple[SearchState, SearchState, RoutePool]
) -> None:
    s, inst = single_week
    _, best, pool = searched
    alone = RouteBound(inst)  # one column per single visit only
    without = best_route_state(alone, 20.0)
    rb = RouteBound(inst)
    rb.offer_routes(sorted(pool.seen))
    assert rb.take_offers() > 0
    got = best_route_state(rb, 20.0)
    assert without is not None and got is not None
    assert checked(s, inst, got) <= best.total() < checked(s, inst, without)


def test_the_child_takes_routes_and_still_sends_feasible_plans(
    single_week: tuple[Scenario, Instance], searched: tuple[SearchState, SearchState, RoutePool]
) -> None:
    s, inst = single_week
    first, _, pool = searched
    proc = RouteBoundProcess(s, build_travel_matrix(s), first.assignments(), 20.0)
    proc.offer_routes(sorted(pool.seen))
    plans = child_plans(proc)
    assert plans
    for plan in plans:
        assert checked(s, inst, SearchState.from_assignments(inst, plan)) < first.total()
