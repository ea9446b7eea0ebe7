"""Checks shared by the solver's test modules: a plan judged by the independent checker,
the cheapest places of a visit by brute force, and the plans a route-bound child sends."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from matcher.checker import check_plan
from matcher.scenario.domain import Scenario
from matcher.solver.assemble import assemble_plan
from matcher.solver.model import Assignment, Instance, score
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.search_state import SearchState


def checked(s: Scenario, inst: Instance, got: SearchState | list[Assignment]) -> int:
    """The checker's objective of ``got``'s plan; fails on any violation, and (for a search
    state) when the state's own running total or the model's score disagree with it."""
    plan = got.assignments() if isinstance(got, SearchState) else got
    report = check_plan(s, assemble_plan(inst, plan, "feasible", None, 0.0))
    assert report.feasible, report.violations
    assert report.objective is not None
    if isinstance(got, SearchState):
        assert report.objective == got.total() == score(inst, plan).total
    return report.objective


def brute_force_places(st: SearchState, r: int, tours: Iterable[int]) -> dict[int, int]:
    """Per tour of ``tours`` that the rules let take single visit ``r``, its cheapest cost
    there: every position tried by scheduling the whole new sequence (no search caches)."""
    inst = st.inst
    mins = inst.minutes

    def travel(t: int, seq: list[int]) -> int:
        base = inst.tours[t].base
        pts = [base, *(inst.requests[q].point for q in seq), base]
        return sum(mins[a][b] for a, b in itertools.pairwise(pts)) if seq else 0

    out: dict[int, int] = {}
    for t in tours:
        if not st.fits(r, t):
            continue
        seq = st.seq[t]
        costs = [
            st.cost_in(r, t) + inst.w_travel * (travel(t, new) - travel(t, seq))
            for g in range(len(seq) + 1)
            if st.windows(t, new := [*seq[:g], r, *seq[g:]]) is not None
        ]
        if costs:
            out[t] = min(costs)
    return out


def child_plans(proc: RouteBoundProcess) -> list[list[Assignment]]:
    """The first plans ``proc`` sends (waiting until some come or the child is done); the
    child is stopped afterwards."""
    plans: list[list[Assignment]] = []
    try:
        while not plans and not proc.done:
            proc.poll(1.0)
            plans.extend(proc.take_plans())
    finally:
        proc.stop()
    return plans
