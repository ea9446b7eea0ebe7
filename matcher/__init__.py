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

from matcher.checker import CheckReport, check_plan
from matcher.scenario.domain import Plan, Scenario, Visit
from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.scenario.plan_io import read_plan, write_plan
from matcher.scenario.problems import Problem, ScenarioError
from matcher.scenario.writer import write_scenario
from matcher.solver.solve import Progress, Result, SolveParams, solve
from matcher.travel import TravelMatrix, build_travel_matrix

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
