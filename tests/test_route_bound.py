"""Tests of the route bound (column generation over tour routes)."""

from __future__ import annotations

import importlib
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver import route_bound as route_bound_mod
from matcher.solver.bounds import flow_lower_bound, tour_visit_limits
from matcher.solver.model import Instance, prepare
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_labels import _drop_subset_dominated, _pareto
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.search import construct
from matcher.solver.solve import SolveParams, solve
from matcher.travel import build_travel_matrix


@pytest.fixture
def small() -> Scenario:
    """A generated week with 30 requests and 8 consultants (some joint visits)."""
    return parse_scenario(generate_scenario(11, 30, 8), "<generated>")


def _brute_min_reduced_cost(inst: Instance, rb: RouteBound, t: int, duals: np.ndarray) -> float:
    """The least reduced cost of any drivable route of tour ``t``, by enumeration.

    Written from the rules directly (travel from the base, the earliest allowed start of
    each visit, back before the tour ends, at most the tour's visit limit).
    """
    g = rb.graphs[t]
    m = inst.minutes
    limit = tour_visit_limits(inst)[t]
    node_rc = [nd.base_cost - sum(duals[row] for row in nd.rows) for nd in g.nodes]
    best = 0.0
    for k in range(1, limit + 1):
        for seq in itertools.permutations(range(len(g.nodes)), k):
            here, now, travel, ok = g.base, g.start, 0, True
            for j in seq:
                nd = g.nodes[j]
                arrive = now + m[here][nd.point]
                starts = [max(lo, arrive) for lo, hi in nd.intervals if hi >= arrive]
                if not starts:
                    ok = False
                    break
                travel += m[here][nd.point]
                now, here = starts[0] + nd.duration, nd.point
            if not ok or now + m[here][g.base] > g.end:
                continue
            travel += m[here][g.base]
            rc = inst.w_travel * travel + sum(node_rc[j] for j in seq) - duals[g.tour_row]
            best = min(best, rc)
    return best


def test_pricing_finds_the_least_reduced_cost_of_every_tour(small: Scenario) -> None:
    inst = prepare(small)
    rb = RouteBound(inst)
    rng = np.random.default_rng(3)
    # Duals near each request's own cost, so reduced costs are small and pruning matters.
    own: dict[int, list[float]] = {}
    for g in rb.graphs:
        for nd in g.nodes:
            own.setdefault(rb.cover[nd.request], []).append(nd.base_cost)
    checked = 0
    for spread in (20.0, 60.0, 150.0):
        duals = np.zeros(len(rb._rows))
        for row, costs in own.items():
            duals[row] = float(np.mean(costs)) + rng.uniform(-spread / 2, spread)
        duals[rb.row_upper] = -rng.uniform(0, spread / 4, size=int(rb.row_upper.sum()))
        for g in rb.graphs:
            if not 0 < len(g.nodes) <= 8:
                continue
            got, cols, complete = rb._price(g, duals, keep=3)
            assert complete
            want = _brute_min_reduced_cost(inst, rb, g.tour, duals)
            assert got == pytest.approx(want, abs=1e-6)
            if want < -1e-6:
                assert cols and cols[0][0] == pytest.approx(want, abs=1e-6)
            checked += 1
    assert checked >= 10


def test_pricing_on_large_tours_is_a_valid_bound_and_yields_elementary_routes(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the label limit a tour's pricing remembers only the nearest visits: routes may
    # return to a visit the recent ones do not remember, so the minimum may be lower than
    # the true one (never higher), and no such route may become a column.
    monkeypatch.setattr(route_bound_mod, "NG_SIZES", (None, 1))
    inst = prepare(small)
    rb = RouteBound(inst)
    rb._ng_level = {g.tour: 1 for g in rb.graphs}
    own: dict[int, list[float]] = {}
    for g in rb.graphs:
        for nd in g.nodes:
            own.setdefault(rb.cover[nd.request], []).append(nd.base_cost)
    duals = np.zeros(len(rb._rows))
    for row, costs in own.items():
        duals[row] = float(np.mean(costs)) + 60.0
    checked = 0
    for g in rb.graphs:
        if not 2 < len(g.nodes) <= 8:
            continue
        got, cols, complete = rb._price(g, duals, keep=5)
        assert complete
        assert got <= _brute_min_reduced_cost(inst, rb, g.tour, duals) + 1e-6
        for _rc, seq in cols:
            assert len(set(seq)) == len(seq)
        checked += 1
    assert checked >= 5


def test_a_tour_with_too_many_labels_moves_to_a_shorter_memory(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(route_bound_mod, "MAX_LABELS", 3)
    inst = prepare(small)
    rb = RouteBound(inst)
    duals = np.zeros(len(rb._rows))
    for g in rb.graphs:
        for nd in g.nodes:
            duals[rb.cover[nd.request]] = 5_000.0  # every visit pays: many labels
    for g in rb.graphs:
        _got, _cols, complete = rb._price(g, duals, keep=3)
        assert complete
    assert rb._ng_level and max(rb._ng_level.values()) == len(route_bound_mod.NG_SIZES) - 1


def test_a_tour_moves_to_a_shorter_memory_before_timing_too_many_extensions(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One label and more candidate nodes than the (patched) extension limit: the tour
    # moves on at once, so it computes exactly the start times of the shortest memory.
    calls = [0]
    real = route_bound_mod._earliest_start

    def counted(*args: np.ndarray) -> np.ndarray:
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(route_bound_mod, "_earliest_start", counted)
    monkeypatch.setattr(route_bound_mod, "MAX_LABELS", 1)
    monkeypatch.setattr(route_bound_mod, "CANDIDATE_FACTOR", 1)
    monkeypatch.setattr(route_bound_mod, "SUBSET_FACTOR", 10**6)
    inst = prepare(small)
    duals = np.zeros(len(RouteBound(inst)._rows))
    last = len(route_bound_mod.NG_SIZES) - 1
    fresh, preset = RouteBound(inst), RouteBound(inst)
    duals[list(fresh.cover.values())] = 5_000.0  # every visit pays
    g = max(fresh.graphs, key=lambda g: len(g.nodes))
    preset._ng_level[g.tour] = last
    calls[0] = 0
    want = preset._price(g, duals, keep=3)
    at_last = calls[0]
    calls[0] = 0
    got = fresh._price(fresh.graphs[g.tour], duals, keep=3)
    assert fresh._ng_level[g.tour] == last
    assert calls[0] == at_last > 0
    assert got[0] == pytest.approx(want[0])


def test_the_subset_check_is_not_run_on_labels_that_move_a_tour_on(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[tuple[int, int]] = []
    real = route_bound_mod._drop_subset_dominated
    rb_box: list[RouteBound] = []

    def recorded(
        masks: np.ndarray, last: np.ndarray, end: np.ndarray, cost: np.ndarray
    ) -> np.ndarray:
        sizes.append((max(rb_box[0]._ng_level.values(), default=0), len(last)))
        return real(masks, last, end, cost)

    monkeypatch.setattr(route_bound_mod, "_drop_subset_dominated", recorded)
    monkeypatch.setattr(route_bound_mod, "MAX_LABELS", 2)
    monkeypatch.setattr(route_bound_mod, "CANDIDATE_FACTOR", 10**6)
    monkeypatch.setattr(route_bound_mod, "SUBSET_FACTOR", 2)
    inst = prepare(small)
    rb = RouteBound(inst)
    rb_box.append(rb)
    duals = np.zeros(len(rb._rows))
    duals[list(rb.cover.values())] = 5_000.0
    g = max(rb.graphs, key=lambda g: len(g.nodes))
    rb._price(g, duals, keep=3)
    last = len(route_bound_mod.NG_SIZES) - 1
    assert rb._ng_level[g.tour] == last
    assert sizes and all(n <= 2 * 2 for level, n in sizes if level < last)
    assert any(n > 2 * 2 for level, n in sizes if level == last)


def test_converged_bound_is_the_lp_value_and_at_most_the_optimum(example: Scenario) -> None:
    result = solve(example, SolveParams(time_limit=10, workers=1))
    assert result.status == "optimal"
    inst = prepare(example)
    rb = RouteBound(inst)
    bound = rb.run(30.0)
    assert rb.converged
    assert bound is not None and rb.lp_value is not None
    assert bound == math.ceil(rb.lp_value - 1e-6)
    assert result.objective is not None and bound <= result.objective


def test_an_exact_round_cut_short_goes_on_from_the_tour_it_stopped_at(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst = prepare(small)
    plan = construct(inst)
    rb = RouteBound(inst, plan.assignments())
    priced: list[int] = []
    real = rb._price
    cut = len(rb.graphs) // 2
    cuts = [cut]

    def price(
        g: Any, duals: np.ndarray, keep: int, beam: int | None = None, end_time: Any = None
    ) -> tuple[float, list[tuple[float, tuple[int, ...]]], bool]:
        priced.append(g.tour)
        if cuts and g.tour == cuts[0]:
            cuts.pop()
            return 0.0, [], False  # as if the time ran out inside this tour
        return real(g, duals, keep, beam, end_time)

    monkeypatch.setattr(rb, "_price", price)
    assert rb.run(60.0, heuristic_beam=None) is None  # no round ended: no bound yet
    assert priced == list(range(cut + 1)) and rb.rounds == 1
    priced.clear()
    bound = rb.run(60.0, heuristic_beam=None)
    # The second call first ends the round where it stopped, without a new LP.
    assert priced[: len(rb.graphs) - cut] == list(range(cut, len(rb.graphs)))
    assert rb.converged and bound is not None and rb.lp_value is not None
    assert bound == math.ceil(rb.lp_value - 1e-6)
    assert bound <= plan.total()
    # Starting over gives the same converged bound.
    assert RouteBound(inst, plan.assignments()).run(60.0, heuristic_beam=None) == bound


def test_route_bound_is_stronger_than_the_flow_bound_when_routes_matter(small: Scenario) -> None:
    inst = prepare(small)
    plan = construct(inst).assignments()
    rb = RouteBound(inst, plan)
    bound = rb.run(60.0)
    flow = flow_lower_bound(inst, spread=1.0)
    assert rb.converged
    assert bound is not None and flow is not None
    assert bound > flow


def test_plans_offered_become_columns(small: Scenario) -> None:
    inst = prepare(small)
    plan = construct(inst).assignments()
    rb = RouteBound(inst)
    visits_per_tour: dict[int, int] = {}
    for a in plan:
        for t in a.tours:
            visits_per_tour[t] = visits_per_tour.get(t, 0) + 1
    # Routes of one visit are columns from the start; longer ones are new.
    longer = sum(1 for n in visits_per_tour.values() if n > 1)
    before = rb.columns
    assert longer > 0
    assert rb.add_plan(plan) == longer
    assert rb.columns == before + longer
    assert rb.add_plan(plan) == 0


def test_child_process_gives_the_same_bound(small: Scenario) -> None:
    tm = build_travel_matrix(small)
    inst = prepare(small, tm)
    plan = construct(inst).assignments()
    here = RouteBound(inst, plan)
    want = here.run(60.0)
    assert here.converged
    proc = RouteBoundProcess(small, tm, plan, 60.0)
    # After converging the child keeps waiting for plans until its time is up or it is
    # stopped; the bound it reached is sent at once.
    try:
        while not proc.done and proc.bound != want:
            proc._conn.poll(1.0)
            proc.poll()
    finally:
        got = proc.stop()
    assert got == want


def test_child_process_stops_on_request(small: Scenario) -> None:
    tm = build_travel_matrix(small)
    plan = construct(prepare(small, tm)).assignments()
    proc = RouteBoundProcess(small, tm, plan, 600.0)
    proc.stop(wait=0.1)
    assert proc.done
    assert proc._proc.returncode is not None


def test_labels_are_kept_unless_another_ends_no_later_at_no_higher_cost() -> None:
    masks = np.array([[0b011], [0b011], [0b011], [0b011], [0b101]], dtype=np.uint64)
    last = np.array([1, 1, 1, 0, 1])
    end = np.array([10.0, 5.0, 12.0, 12.0, 12.0])
    cost = np.array([5.0, 7.0, 6.0, 6.0, 6.0])
    kept = sorted(_pareto(masks, last, end, cost).tolist())
    # Label 2 is dominated by label 0 (earlier and cheaper); 3 and 4 differ in last or set.
    assert kept == [0, 1, 3, 4]


def test_a_label_is_dropped_when_a_cheaper_one_remembers_a_subset_and_ends_no_later() -> None:
    masks = np.array([[0b001], [0b011], [0b111], [0b011], [0b100], [0b111]], dtype=np.uint64)
    last = np.array([0, 0, 0, 0, 0, 1])
    end = np.array([10.0, 12.0, 12.0, 8.0, 5.0, 20.0])
    cost = np.array([5.0, 6.0, 7.0, 9.0, 4.0, 9.0])
    kept = sorted(_drop_subset_dominated(masks, last, end, cost).tolist())
    # 1 and 2 are dominated by 0 ({0} is a subset, cheaper, earlier); 3 ends earlier than
    # every cheaper label, 4 remembers a set no cheaper label's is part of, 5 ends elsewhere.
    assert kept == [0, 3, 4, 5]


def test_search_stops_once_the_route_bound_proves_its_plan_optimal(
    example: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.checker import check_plan

    solve_mod = importlib.import_module("matcher.solver.solve")
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)  # the search path, not CP-SAT
    result = solve(example, SolveParams(time_limit=60, workers=2))
    report = check_plan(example, result.plan)
    assert report.feasible, report.violations
    assert result.method == "alns"
    assert result.status == "optimal"
    assert result.objective == report.objective == result.bound
    # It stopped on the proof, long before the time limit.
    assert result.seconds < 30


def test_route_bound_run_in_the_solver_stops_on_the_stop_event() -> None:
    import threading

    from matcher.scenario.loader import load_scenario

    solve_mod = importlib.import_module("matcher.solver.solve")
    week = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "limburg-week.yaml")
    inst = prepare(week)
    plan = construct(inst).assignments()
    stop = threading.Event()
    stop.set()
    clock = solve_mod.Clock(SolveParams(time_limit=60, stop=stop))
    reporter = solve_mod.Reporter(clock, None)
    # Unstopped, 30 s is ample for a bound on this week; stopped, none comes.
    got = solve_mod._route_bound_inline(inst, plan, clock, reporter, seconds=30.0).bound
    assert got is None
    assert clock.elapsed() < 30
