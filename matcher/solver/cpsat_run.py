"""Running CP-SAT for the solve: a model with progress and the stop event; the pins alone."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matcher.solver.model import (
    Assignment,
    Instance,
    PlanningModel,
    Scope,
    build_model,
    extract,
)
from matcher.solver.progress import (
    Reporter,
    SolveParams,
)

# --------------------------------------------------------------------------------------
# CP-SAT runs
# --------------------------------------------------------------------------------------

WORK_LIMIT_REACHED = 0.999
"""A solve whose deterministic time is below this share of its work limit was ended by
something else (CP-SAT stops once the limit is reached)."""


def clock_cut(
    solver: cp_model.CpSolver, status: cp_model.CpSolverStatus, work_limit: float | None
) -> bool:
    """Whether the wall clock, not the deterministic-time limit ``work_limit``, ended a
    solve that is neither proven (optimal, infeasible) nor invalid: its result may then
    differ on another machine. ``False`` when no work limit was set."""
    return (
        work_limit is not None
        and status in (cp_model.FEASIBLE, cp_model.UNKNOWN)
        and solver.deterministic_time < WORK_LIMIT_REACHED * work_limit
    )


class _Callback(cp_model.CpSolverSolutionCallback):
    """Forwards every new CP-SAT solution's objective to the reporter."""

    def __init__(self, pm: PlanningModel, reporter: Reporter | None) -> None:
        super().__init__()
        self.pm = pm
        self.reporter = reporter

    def on_solution_callback(self) -> None:
        if self.reporter is None:
            return
        obj = round(self.objective_value)
        assigned = sum(1 for lit in self.pm.present.values() if self.boolean_value(lit))
        self.reporter.update(objective=obj, assigned=assigned)


def _bound_of(solver: cp_model.CpSolver) -> int:
    """CP-SAT's best bound, rounded up to an integer without ever exceeding the true bound."""
    return math.ceil(solver.best_objective_bound - 1e-6)


@dataclass
class _Run:
    status: str
    assignments: list[Assignment] | None
    bound: int | None
    clock_cut: bool = False
    """A work limit was given, but the wall clock ended the solve before it (not proven
    optimal or infeasible, not stopped): the result may differ on another machine."""


def _run_cpsat(
    pm: PlanningModel,
    time_limit: float,
    params: SolveParams,
    reporter: Reporter | None,
    seed: int,
    deterministic_time: float | None = None,
) -> _Run:
    """Solve ``pm`` with CP-SAT, reporting progress and honouring the stop event."""
    solver = cp_model.CpSolver()
    sp = solver.parameters
    sp.max_time_in_seconds = max(0.05, time_limit)
    if deterministic_time is not None:
        sp.max_deterministic_time = deterministic_time
    sp.num_workers = max(1, params.workers)
    sp.random_seed = seed
    sp.log_search_progress = params.log
    cb = _Callback(pm, reporter)
    if reporter is not None:
        rep = reporter

        def on_bound(b: float) -> None:
            rep.update(bound=math.ceil(b - 1e-6))

        solver.best_bound_callback = on_bound
    watcher_done = threading.Event()
    if params.stop is not None:
        stop_event = params.stop

        def watch() -> None:
            while not watcher_done.is_set():
                if stop_event.wait(0.05):
                    solver.stop_search()
                    return

        threading.Thread(target=watch, daemon=True).start()
    try:
        st = solver.solve(pm.model, cb)
    finally:
        watcher_done.set()
    cut = clock_cut(solver, st, deterministic_time) and not (
        params.stop is not None and params.stop.is_set()
    )
    if st == cp_model.OPTIMAL:
        return _Run("optimal", extract(pm, solver), _bound_of(solver))
    if st == cp_model.FEASIBLE:
        return _Run("feasible", extract(pm, solver), _bound_of(solver), cut)
    if st == cp_model.INFEASIBLE:
        return _Run("infeasible", None, None)
    if st == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error, invalid CP-SAT model: {pm.model.validate()}")
    return _Run("unknown", None, None, cut)


def _pin_core(inst: Instance, seconds: float) -> list[int]:
    """Pinned requests that together cannot be kept (a CP-SAT core; may not be minimal)."""
    pinned = {r.index for r in inst.requests if r.request.pinned is not None}
    pm = build_model(inst, Scope(requests=pinned), pin_assumptions=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = 1
    pm.model.add_assumptions(list(pm.pin_literals.values()))
    if solver.solve(pm.model) != cp_model.INFEASIBLE:
        return []
    lits = set(solver.sufficient_assumptions_for_infeasibility())
    return sorted(r for r, lit in pm.pin_literals.items() if lit.index in lits)


def _arc_estimate(inst: Instance) -> int:
    """Arc literals of the whole-problem model (before time pruning)."""
    return sum(len(o) * len(o) + 2 * len(o) for o in inst.options_by_tour)


def _place_pins(inst: Instance, seconds: float, seed: int) -> list[Assignment] | None:
    """A placement of all pinned requests alone (``None`` if the pins clash).

    Solved exactly with CP-SAT on the pinned requests only, so the search never starts from
    a plan that breaks a pin. Returns ``[]`` when nothing is pinned.
    """
    pinned = {r.index for r in inst.requests if r.request.pinned is not None}
    if not pinned:
        return []
    pm = build_model(inst, Scope(requests=pinned))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    st = solver.solve(pm.model)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return extract(pm, solver)
    if st == cp_model.INFEASIBLE:
        return None
    return []
