"""Exact re-optimisation of a neighbourhood inside the search (checked by the checker)."""

from __future__ import annotations

import importlib
import random

import pytest

from matcher.checker import check_plan
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver.cp_lns import improve_neighbourhood, pick_neighbourhood
from matcher.solver.model import prepare, score
from matcher.solver.search import construct
from matcher.solver.solve import SolveParams, assemble_plan

solve_module = importlib.import_module("matcher.solver.solve")
cp_lns_mod = importlib.import_module("matcher.solver.cp_lns")


def _week(seed: int = 2, n: int = 40):  # type: ignore[no-untyped-def]
    return parse_scenario(
        generate_scenario(seed, n, n // 5, joint_share=0.1, pin_share=0.05), "<generated>"
    )


def test_a_neighbourhood_solved_exactly_improves_a_greedy_plan_and_stays_feasible() -> None:
    s = _week()
    inst = prepare(s)
    st = construct(inst)
    start = score(inst, st.assignments()).total
    rng = random.Random(1)
    improved = 0
    for _ in range(8):
        tours = pick_neighbourhood(st, rng)
        got = improve_neighbourhood(st, tours, 0.5, 1, deterministic=True)
        assert 0 <= got.deterministic_time <= 0.55  # its work limit (checked between steps)
        found = got.plan
        if found is None:
            continue
        improved += 1
        total = score(inst, found).total
        assert total < start
        report = check_plan(s, assemble_plan(inst, found, "feasible", None, 0.0, {}))
        assert report.feasible, report.violations[:3]
        assert report.objective == total
        # everything outside the neighbourhood is unchanged
        outside = {a for a in st.assignments() if not set(a.tours) & tours}
        assert outside <= set(found)
        from matcher.solver.search import SearchState

        st = SearchState.from_assignments(inst, found)
        start = total
    assert improved >= 1


def test_with_one_worker_the_same_seed_gives_the_same_plan() -> None:
    s = _week(3, 60)
    runs = [
        solve_module.solve(s, SolveParams(time_limit=4, workers=1, seed=5)).plan.visits
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_a_step_tells_when_the_wall_clock_not_its_work_limit_ended_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = prepare(_week())
    st = construct(inst)
    tours = pick_neighbourhood(st, random.Random(1))
    assert not improve_neighbourhood(st, tours, 0.5, 1, deterministic=True).clock_cut
    monkeypatch.setattr(cp_lns_mod, "DETERMINISTIC_WALL_FACTOR", 1e-6)
    assert improve_neighbourhood(st, tours, 0.5, 1, deterministic=True).clock_cut
    # without a work limit the wall clock is the limit itself: no cut to tell
    assert not improve_neighbourhood(st, tours, 1e-6, 1, deterministic=False).clock_cut


def test_a_neighbourhood_cut_to_one_consultant_is_left_to_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = prepare(_week())
    st = construct(inst)
    rng = random.Random(4)
    # The 40-request week's tours are small: each neighbourhood holds several consultants.
    for _ in range(6):
        tours = pick_neighbourhood(st, rng)
        assert len({inst.tours[t].consultant for t in tours}) >= 2
    # Every tour too large for the model: the cut would leave one consultant, so none.
    monkeypatch.setattr(cp_lns_mod, "MAX_NEIGHBOURHOOD_ARCS", 1)
    assert all(pick_neighbourhood(st, rng) == set() for _ in range(6))
    empty = improve_neighbourhood(st, set(), 0.5, 1, deterministic=True)
    assert empty.plan is None and empty.deterministic_time == 0.0
