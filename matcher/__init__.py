"""consultplanner: plans weekly consult rounds of specialists who visit youths in care.

The public API, in the order the data flow::

    scenario = load_scenario("scenarios/limburg-week.yaml")   # load + validate
    result = solve(scenario, SolveParams(time_limit=10))      # model + solve
    print(result.summary())
    report = check_plan(scenario, result.plan)                # independent checker
    write_plan(result.plan, "plan.json")

Everything else (storage, invites, explanations, the app's helpers) lives in its own
module and is imported from there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matcher.checker import CheckReport, check_plan
    from matcher.scenario.domain import Plan, Scenario, Visit
    from matcher.scenario.loader import load_scenario, parse_scenario
    from matcher.scenario.plan_io import read_plan, write_plan
    from matcher.scenario.problems import Problem, ScenarioError
    from matcher.scenario.writer import write_scenario
    from matcher.solver.solve import Progress, Result, SolveParams, solve
    from matcher.travel import TravelMatrix, build_travel_matrix

_HOME = {
    "CheckReport": "matcher.checker",
    "check_plan": "matcher.checker",
    "Plan": "matcher.scenario.domain",
    "Scenario": "matcher.scenario.domain",
    "Visit": "matcher.scenario.domain",
    "load_scenario": "matcher.scenario.loader",
    "parse_scenario": "matcher.scenario.loader",
    "read_plan": "matcher.scenario.plan_io",
    "write_plan": "matcher.scenario.plan_io",
    "Problem": "matcher.scenario.problems",
    "ScenarioError": "matcher.scenario.problems",
    "write_scenario": "matcher.scenario.writer",
    "Progress": "matcher.solver.solve",
    "Result": "matcher.solver.solve",
    "SolveParams": "matcher.solver.solve",
    "solve": "matcher.solver.solve",
    "TravelMatrix": "matcher.travel",
    "build_travel_matrix": "matcher.travel",
}
"""Where each public name lives. They are imported on first use (PEP 562), so that
``import matcher.scenario`` does not pull in OR-Tools or the solver."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "CheckReport",
    "Plan",
    "Problem",
    "Progress",
    "Result",
    "Scenario",
    "ScenarioError",
    "SolveParams",
    "TravelMatrix",
    "Visit",
    "build_travel_matrix",
    "check_plan",
    "load_scenario",
    "parse_scenario",
    "read_plan",
    "solve",
    "write_plan",
    "write_scenario",
]
