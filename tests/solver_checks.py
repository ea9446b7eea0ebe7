"""Checks shared by the solver's test modules: a plan judged by the independent checker,
and the plans a route-bound child sends."""

from __future__ import annotations

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
