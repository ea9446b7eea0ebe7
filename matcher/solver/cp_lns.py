"""Exact re-optimisation of a neighbourhood with CP-SAT, inside the neighbourhood search.

The insertion-based search (:mod:`matcher.solver.search`) moves a few visits at a time; some
better plans need many coordinated moves (several visits swapped between days and
consultants, to trade waiting for travel). Every so often the search therefore frees a
*neighbourhood*, the tours of one or two days (cut down to some consultants when that
would make a large model), and solves it exactly with the CP-SAT model of
:mod:`matcher.solver.model` (:class:`~matcher.solver.model.Scope`): the requests in those tours and
the
open requests that could go there are re-planned, everything else stays as it is (its
visits count against the caps, joint visits that reach outside stay fixed). The current
plan is the hint, so CP-SAT starts from it and only returns something better.

With one worker CP-SAT stops after a fixed deterministic time, so the search stays
reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matcher.solver.cpsat_run import clock_cut
from matcher.solver.model import Assignment, Scope, add_hint, build_model, extract, score
from matcher.solver.search import SearchState

__all__ = [
    "MAX_NEIGHBOURHOOD_ARCS",
    "NeighbourhoodResult",
    "improve_neighbourhood",
    "pick_neighbourhood",
]

MAX_NEIGHBOURHOOD_ARCS = 4_000
"""Largest neighbourhood model (arc literals, before time pruning) solved at once."""
DETERMINISTIC_WALL_FACTOR = 5
"""With a work limit, the wall-clock limit is this many times the work limit's seconds."""


def _arcs(st: SearchState, tours: set[int]) -> int:
    return sum(len(st.inst.options_by_tour[t]) ** 2 for t in tours)


def pick_neighbourhood(st: SearchState, rng: random.Random) -> set[int]:
    """The tours of one or two random days, cut to random consultants while too large.

    Empty when the cut leaves one consultant: on weeks whose tours each have too many
    candidates for a model of two consultants (most tours of 300 requests and more), the
    exact step would only re-order one consultant's tours, which the search does itself.
    Solving those took about a tenth of the search's time on 1 000 requests and found
    nothing measurable; without them, 60-s solves of gen-1000 seeds 11-13 ended at
    1.0012, 1.0004 and 1.0005 of the best-known against 1.0011, 1.0008 and 1.0007, and
    30-s solves of gen-300 (seeds 11-13, solver seeds 1-2) at a mean of 1.0005 against
    1.0006.
    """
    inst = st.inst
    n_days = len(inst.scenario.days)
    days = rng.sample(range(n_days), min(n_days, rng.choice((1, 2))))
    tours = {t.index for t in inst.tours if t.day in days}
    if _arcs(st, tours) > MAX_NEIGHBOURHOOD_ARCS:
        consultants = sorted({inst.tours[t].consultant for t in tours})
        rng.shuffle(consultants)
        chosen: set[int] = set()
        for c in consultants:
            mine = {t for t in tours if inst.tours[t].consultant == c}
            if chosen and _arcs(st, chosen | mine) > MAX_NEIGHBOURHOOD_ARCS:
                continue
            chosen |= mine
        if len({inst.tours[t].consultant for t in chosen}) < 2:
            return set()
        tours = chosen
    return tours


@dataclass(frozen=True)
class NeighbourhoodResult:
    """What one exact neighbourhood step found and what it cost.

    Attributes
    ----------
    plan
        The full list of assignments (inside and outside the neighbourhood) when it is
        better than the plan the step started from, else ``None``.
    deterministic_time
        CP-SAT's deterministic time (0 when no model was solved): reproducible, so a
        caller can count the step's work with it.
    clock_cut
        A work limit was set (``deterministic``) but CP-SAT's wall-clock safety net ended
        the solve before it, neither proven optimal nor infeasible: on another machine
        the step may find another plan.
    """

    plan: list[Assignment] | None
    deterministic_time: float = 0.0
    clock_cut: bool = False


def improve_neighbourhood(
    st: SearchState, tours: set[int], seconds: float, seed: int, deterministic: bool
) -> NeighbourhoodResult:
    """The plan with the ``tours`` re-optimised exactly, if that is better."""
    if not tours:
        return NeighbourhoodResult(None)
    inst = st.inst
    current = st.assignments()
    inside: list[Assignment] = []
    fixed: list[Assignment] = []
    outside: list[Assignment] = []
    for a in current:
        touched = [t in tours for t in a.tours]
        if all(touched):
            inside.append(a)
        elif any(touched):
            fixed.append(a)  # a joint visit reaching outside: stays as it is
        else:
            outside.append(a)
    free = {a.request for a in inside}
    free |= {
        r
        for r in range(len(inst.requests))
        if r not in st.assign and any(o.tour in tours for o in inst.requests[r].options)
    }
    if not free:
        return NeighbourhoodResult(None)
    scope = Scope(tours=set(tours), requests=free, fixed=fixed, kept=[*outside, *fixed])
    pm = build_model(inst, scope)
    add_hint(pm, inside)
    solver = cp_model.CpSolver()
    sp = solver.parameters
    sp.num_workers = 1
    sp.random_seed = seed
    sp.max_time_in_seconds = max(0.05, seconds)
    if deterministic:
        sp.max_deterministic_time = max(0.05, seconds)
        # The work limit decides; the wall clock is only a safety net (on a loaded
        # machine an equal wall limit would cut the solve short, and differently each time).
        sp.max_time_in_seconds = DETERMINISTIC_WALL_FACTOR * max(0.05, seconds)
    status = solver.solve(pm.model)
    spent = solver.deterministic_time
    cut = clock_cut(solver, status, sp.max_deterministic_time if deterministic else None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return NeighbourhoodResult(None, spent, cut)
    found = [*outside, *fixed, *extract(pm, solver)]
    if score(inst, found).total >= score(inst, current).total:
        return NeighbourhoodResult(None, spent, cut)
    return NeighbourhoodResult(found, spent, cut)
