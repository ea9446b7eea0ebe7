"""The optimisation model, in three modules that this one gathers for its importers:

1. :mod:`matcher.solver.instance`: :func:`prepare` turns a scenario into an
   :class:`Instance` (indices, travel, tours, every request's pruned candidate options,
   through the pruning hooks of :mod:`matcher.rules`);
2. :mod:`matcher.solver.cpsat`: :func:`build_model`, the CP-SAT variables and the
   constraints of every rule of :data:`matcher.rules.HARD_RULES`, hints and reading a
   solution;
3. :mod:`matcher.solver.objective`: the ``FORMAT.md`` objective recomputed from
   assignments (:func:`score`) and as the CP-SAT objective.
"""

from __future__ import annotations

from matcher.rules.published import not_before_now
from matcher.rules.routes import Node
from matcher.solver.cpsat import (
    PlanningModel,
    Scope,
    add_hint,
    add_request_variables,
    build_model,
    day_of,
    extract,
)
from matcher.solver.instance import (
    Assignment,
    Instance,
    Option,
    RequestInfo,
    TourInfo,
    allowed_days,
    assignment_at,
    assignments_from_visits,
    prepare,
    start_intervals,
    triangle_inequality_holds,
)
from matcher.solver.intervals import Interval
from matcher.solver.objective import (
    Score,
    add_objective,
    continuity_cost,
    keeps_published,
    route_travel,
    routes,
    score,
    unavoidable_change,
)

__all__ = [
    "Assignment",
    "Instance",
    "Interval",
    "Node",
    "Option",
    "PlanningModel",
    "RequestInfo",
    "Scope",
    "Score",
    "TourInfo",
    "add_hint",
    "add_objective",
    "add_request_variables",
    "allowed_days",
    "assignment_at",
    "assignments_from_visits",
    "build_model",
    "continuity_cost",
    "day_of",
    "extract",
    "keeps_published",
    "not_before_now",
    "prepare",
    "route_travel",
    "routes",
    "score",
    "start_intervals",
    "triangle_inequality_holds",
    "unavoidable_change",
]
