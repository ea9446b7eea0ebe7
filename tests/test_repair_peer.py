"""The re-planning benchmark's peer: a human-style repair, checked independently."""

from __future__ import annotations

import importlib

from bench.repair_peer import repair_plan
from matcher.checker import check_plan
from matcher.cycle.replan_generate import make_replan
from matcher.cycle.replanning import changed_visits
from matcher.scenario.domain import Scenario
from matcher.scenario.validate import validate_document
from matcher.scenario.writer import scenario_to_dict
from matcher.solver.solve import SolveParams

solve_module = importlib.import_module("matcher.solver.solve")


def test_repair_keeps_what_holds_and_moves_the_rest_from_the_next_day(example: Scenario) -> None:
    base = solve_module.solve(example, SolveParams(time_limit=3, workers=1)).plan
    s = validate_document(scenario_to_dict(make_replan(example, base, seed=3, sick=1)), "<r>")
    plan = repair_plan(s)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    published = {p.request: p for p in s.published}
    changed = {p.request for p in changed_visits(s, plan)}
    assert changed, "the sick consultant's visit cannot stay"
    assert s.now is not None
    for v in plan.visits:
        if v.request in changed or v.request not in published:
            assert v.date > s.now.date()  # moved or new: from the next day on
    ours = solve_module.solve(s, SolveParams(time_limit=3, workers=1)).plan
    assert check_plan(s, ours).objective <= report.objective
