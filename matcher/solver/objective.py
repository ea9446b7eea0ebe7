"""The objective of ``FORMAT.md``: recomputed from assignments (:func:`score`) and as
the CP-SAT objective (:func:`add_objective`).

The soft terms: travel minutes per used tour, waiting days times urgency factor,
continuity, unassigned requests times urgency factor, and published visits not kept.
:func:`score` recomputes them independently of CP-SAT; a plan's ``solver.objective`` is
that number.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from matcher.solver.instance import Assignment, Instance, RequestInfo

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel


@dataclass(frozen=True, slots=True)
class Score:
    """The objective of ``FORMAT.md`` split into its terms (weights applied).

    ``travel_minutes`` is the travel term before weighting.
    """

    travel_minutes: int
    travel: int
    waiting: int
    continuity: int
    unassigned: int
    change: int = 0
    changed: int = 0
    """Published visits not kept (``change`` is their cost)."""

    @property
    def total(self) -> int:
        return self.travel + self.waiting + self.continuity + self.unassigned + self.change


def routes(inst: Instance, assignments: Iterable[Assignment]) -> dict[int, list[Assignment]]:
    """Per tour, its assignments in start order."""
    out: dict[int, list[Assignment]] = {}
    for a in assignments:
        for t in a.tours:
            out.setdefault(t, []).append(a)
    for lst in out.values():
        lst.sort(key=lambda a: a.start)
    return out


def route_travel(inst: Instance, tour: int, points: Sequence[int]) -> int:
    """Travel minutes of a tour visiting ``points`` in order (base -> ... -> base)."""
    if not points:
        return 0
    base = inst.tours[tour].base
    total = inst.minutes[base][points[0]] + inst.minutes[points[-1]][base]
    for a, b in itertools.pairwise(points):
        total += inst.minutes[a][b]
    return total


def score(inst: Instance, assignments: Iterable[Assignment]) -> Score:
    """Recompute the ``FORMAT.md`` objective of a set of assignments."""
    assignments = list(assignments)
    w = inst.scenario.weights
    travel = 0
    for t, lst in routes(inst, assignments).items():
        travel += route_travel(inst, t, [inst.requests[a.request].point for a in lst])
    waiting = continuity = 0
    planned = set()
    kept = 0
    for a in assignments:
        r = inst.requests[a.request]
        planned.add(a.request)
        waiting += r.wait_cost[inst.tours[a.tours[0]].day]
        continuity += continuity_cost(inst, r, (inst.tours[t].consultant for t in a.tours))
        kept += keeps_published(inst, a)
    unassigned = sum(r.unassigned_cost for r in inst.requests if r.index not in planned)
    changed = sum(1 for r in inst.requests if r.published) - kept
    return Score(
        travel,
        w.travel_minute * travel,
        waiting,
        continuity,
        unassigned,
        changed * w.change,
        changed,
    )


def unavoidable_change(inst: Instance) -> int:
    """The change cost every plan pays: published visits that no option can keep.

    Bounds that leave ``weights.change`` out stay valid when they add this constant.
    """
    return sum(r.change_cost for r in inst.requests if r.published and r.keep is None)


def keeps_published(inst: Instance, a: Assignment) -> bool:
    """Whether ``a`` keeps its request's published visit.

    Kept means the same date, start and set of consultants (FORMAT.md).
    """
    keep = inst.requests[a.request].keep
    if keep is None or a.start != keep.start:
        return False
    return {inst.tours[t].consultant for t in a.tours} == {
        inst.tours[t].consultant for t in keep.tours
    } and inst.tours[a.tours[0]].day == inst.tours[keep.tours[0]].day


def continuity_cost(inst: Instance, r: RequestInfo, consultants: Iterable[int]) -> int:
    """Continuity penalty of serving ``r`` with ``consultants``."""
    if inst.scenario.youth(r.request.youth).previous_consultant is None:
        return 0
    if r.previous is not None and r.previous in set(consultants):
        return 0
    return inst.scenario.weights.continuity


def add_objective(pm: PlanningModel) -> None:
    """Minimise the ``FORMAT.md`` objective (restricted to the scope's free part).

    ``travel_minute * travel + waiting_day * urgency * days waited + continuity * [previous
    consultant not in the visit] + unassigned * urgency * [not planned] + change * [published
    visit not kept]``. Constants (the unassigned and change cost of every free request) go
    to the offset so the model's objective is the plan's objective for the free part.
    """
    inst, m = pm.inst, pm.model
    w = inst.scenario.weights
    terms: list[tuple[cp_model.IntVar, int]] = [
        (lit, w.travel_minute * c) for lit, c in pm.travel_terms if c
    ]
    offset = 0
    for ri in pm.free_requests:
        r = inst.requests[ri]
        present = pm.present[ri]
        # Unassigned: cost * (1 - present).
        offset += r.unassigned_cost
        terms.append((present, -r.unassigned_cost))
        # Waiting: by the chosen day.
        if r.n_roles == 1:
            for o in pm.free_options(r):
                cost = r.wait_cost[inst.tours[o.tour].day]
                if cost:
                    terms.append((pm.serve[ri, o.tour], cost))
        else:
            for (rj, d), lit in pm.on_day.items():
                if rj == ri and r.wait_cost[d]:
                    terms.append((lit, r.wait_cost[d]))
        # Continuity: planned without the previous consultant.
        if inst.scenario.youth(r.request.youth).previous_consultant and w.continuity:
            terms.append((present, w.continuity))
            if r.previous is not None:
                for o in pm.free_options(r):
                    if inst.tours[o.tour].consultant == r.previous:
                        terms.append((pm.serve[ri, o.tour], -w.continuity))
        # Published visits: change * (1 - kept).
        if r.published and r.change_cost:
            offset += r.change_cost
            if ri in pm.kept:
                terms.append((pm.kept[ri], -r.change_cost))
    pm.objective_offset = offset
    m.minimize(
        cp_model.LinearExpr.weighted_sum([t[0] for t in terms], [t[1] for t in terms]) + offset
    )
