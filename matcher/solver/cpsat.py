"""The CP-SAT model: variables, the rules' constraints, the objective, hints and reading.

:func:`build_model` creates the CP-SAT variables (presence per request, one start time per
request shared by all its consultants, serve literals per option), then calls the ``add``
hook of every rule of :data:`matcher.rules.HARD_RULES` (role literals, day literals, arc
literals per tour, ...), then adds the objective (:func:`matcher.solver.objective.add_objective`).

The same builder also serves sub-problems: a :class:`Scope` names the free tours and
requests and the visits that stay fixed (:mod:`matcher.solver.solve` uses it to place the
pinned requests alone and to find clashing pins, :mod:`matcher.solver.cp_lns` to
re-optimise a neighbourhood).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from ortools.sat.python import cp_model

from matcher.rules import HARD_RULES
from matcher.rules.routes import Node
from matcher.solver.instance import Assignment, Instance, Option, RequestInfo
from matcher.solver.intervals import union
from matcher.solver.objective import add_objective, keeps_published, routes


@dataclass
class Scope:
    """Which part of the problem a model covers (the whole problem by default).

    Attributes
    ----------
    tours
        Free tours (``None``: all).
    requests
        Requests that may be planned or left out (``None``: all). Their options are cut to
        the free tours.
    fixed
        Assignments that stay exactly as they are but share a free tour (a joint visit
        whose other consultant is outside the neighbourhood): nodes with a fixed start.
    kept
        Every assignment that stays as it is (``fixed`` among them): a rule that counts
        visits across tours (the caps) counts their parts outside the free tours.
    """

    tours: set[int] | None = None
    requests: set[int] | None = None
    fixed: list[Assignment] = field(default_factory=list)
    kept: list[Assignment] = field(default_factory=list)


@dataclass
class PlanningModel:
    """The CP-SAT model with handles to its variables."""

    inst: Instance
    scope: Scope
    model: cp_model.CpModel
    present: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    serve: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, tour)`` -> literal."""
    role: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, role, consultant)`` -> literal (joint visits only)."""
    on_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, day)`` -> literal (joint visits only)."""
    nodes: dict[int, list[Node]] = field(default_factory=dict)
    arcs: dict[int, list[tuple[int, int, cp_model.LiteralT]]] = field(default_factory=dict)
    """Per tour: ``(from node, to node, literal)``; node 0 is the base."""
    tour_used: dict[int, cp_model.IntVar] = field(default_factory=dict)
    travel_terms: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)
    objective_offset: int = 0
    free_requests: list[int] = field(default_factory=list)
    pin_literals: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start_lo: dict[int, int] = field(default_factory=dict)
    """Smallest allowed start of each free request with options (for hints)."""
    kept: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Request -> literal: the plan keeps its published visit."""
    pin_assumptions: bool = False
    """Pins as solver assumptions (see :func:`matcher.rules.pins.add`)."""

    @property
    def n_arcs(self) -> int:
        return sum(len(a) for a in self.arcs.values())

    def free_options(self, r: RequestInfo) -> list[Option]:
        """The request's options in the scope's free tours."""
        tours = self.scope.tours
        return [o for o in r.options if tours is None or o.tour in tours]

    def serve_by_consultant(self, r: RequestInfo) -> dict[int, list[cp_model.IntVar]]:
        """The request's serve literals per consultant (free options only)."""
        out: dict[int, list[cp_model.IntVar]] = {}
        for o in self.free_options(r):
            out.setdefault(self.inst.tours[o.tour].consultant, []).append(
                self.serve[r.index, o.tour]
            )
        return out


def build_model(
    inst: Instance,
    scope: Scope | None = None,
    pin_assumptions: bool = False,
) -> PlanningModel:
    """Build the CP-SAT model of ``inst`` (or of the part named by ``scope``).

    The variables come first (:func:`add_request_variables`), then the constraints of
    every rule of :data:`matcher.rules.HARD_RULES` in order, then the objective. With
    ``pin_assumptions`` every pinned request gets a literal that forces it to be
    planned; the literals are meant as solver assumptions to find clashing pins.
    """
    scope = scope or Scope()
    pm = PlanningModel(inst, scope, cp_model.CpModel(), pin_assumptions=pin_assumptions)
    add_request_variables(pm)
    for rule in HARD_RULES:
        if rule.add is not None:
            rule.add(pm)
    add_objective(pm)
    return pm


def add_request_variables(pm: PlanningModel) -> None:
    """Presence, start and serve literals of every free request.

    A request's single start variable is shared by all its consultants, so a joint visit
    starts (and, having one duration, ends) at the same time for everyone.
    """
    inst, m = pm.inst, pm.model
    free = pm.scope.requests
    for r in inst.requests:
        if free is not None and r.index not in free:
            continue
        rid = r.request.id
        opts = pm.free_options(r)
        pm.free_requests.append(r.index)
        present = m.new_bool_var(f"planned[{rid}]")
        pm.present[r.index] = present
        ivs = union(iv for o in opts for iv in o.intervals)
        if not ivs:
            m.add(present == 0)
            pm.start[r.index] = m.new_constant(0)
            continue
        pm.start_lo[r.index] = ivs[0][0]
        pm.start[r.index] = m.new_int_var_from_domain(
            cp_model.Domain.from_intervals([list(iv) for iv in ivs]), f"start[{rid}]"
        )
        for o in opts:
            t = inst.tours[o.tour].tour
            pm.serve[r.index, o.tour] = m.new_bool_var(
                f"serve[{rid},{t.consultant},{t.date.isoformat()},{t.start}]"
            )


def extract(pm: PlanningModel, value: object) -> list[Assignment]:
    """Read the free requests' assignments from a solver or solution callback.

    ``value`` is anything with ``boolean_value(lit)`` and ``value(var)`` (a
    :class:`cp_model.CpSolver` or a :class:`cp_model.CpSolverSolutionCallback`).
    """
    inst = pm.inst
    bv = value.boolean_value  # type: ignore[attr-defined]
    iv = value.value  # type: ignore[attr-defined]
    out: list[Assignment] = []
    for ri in pm.free_requests:
        if not bv(pm.present[ri]):
            continue
        r = inst.requests[ri]
        served = [t for (rr, t), lit in _serve_items(pm, ri) if bv(lit)]
        tours: tuple[int, ...]
        if r.n_roles == 1:
            tours = (served[0],)
        else:
            by_c = {inst.tours[t].consultant: t for t in served}
            tours_l = []
            for k in range(r.n_roles):
                c = next(c for c in by_c if (ri, k, c) in pm.role and bv(pm.role[ri, k, c]))
                tours_l.append(by_c[c])
            tours = tuple(tours_l)
        out.append(Assignment(ri, tours, int(iv(pm.start[ri]))))
    return out


def _serve_items(pm: PlanningModel, ri: int) -> list[tuple[tuple[int, int], cp_model.IntVar]]:
    r = pm.inst.requests[ri]
    return [((ri, o.tour), pm.serve[ri, o.tour]) for o in pm.free_options(r)]


def add_hint(pm: PlanningModel, assignments: Iterable[Assignment]) -> None:
    """Hint a complete solution (every variable) from assignments of the free requests.

    Fixed visits of the scope are part of the routes. The hint must be feasible for the
    model; :mod:`matcher.solver.solve` builds it with the greedy insertion or the incumbent.
    """
    inst, m = pm.inst, pm.model
    m.clear_hints()
    by_req = {a.request: a for a in assignments if a.request in pm.present}
    for ri in pm.free_requests:
        a = by_req.get(ri)
        m.add_hint(pm.present[ri], a is not None)
        start = pm.start[ri]
        if a is not None:
            m.add_hint(start, a.start)
        elif ri in pm.start_lo:
            m.add_hint(start, pm.start_lo[ri])
        r = inst.requests[ri]
        chosen = set(a.tours) if a else set()
        for o in pm.free_options(r):
            m.add_hint(pm.serve[ri, o.tour], o.tour in chosen)
        if r.n_roles > 1:
            role_c = {}
            if a is not None:
                for k, t in enumerate(a.tours):
                    role_c[k] = inst.tours[t].consultant
            for (rj, k, c), lit in pm.role.items():
                if rj == ri:
                    m.add_hint(lit, role_c.get(k) == c)
            day = inst.tours[a.tours[0]].day if a else None
            for (rj, d), lit in pm.on_day.items():
                if rj == ri:
                    m.add_hint(lit, d == day)
        if ri in pm.kept:
            m.add_hint(pm.kept[ri], a is not None and keeps_published(inst, a))
    # Routes.
    all_assign = list(by_req.values()) + list(pm.scope.fixed)
    rts = routes(inst, all_assign)
    for ti, arcs in pm.arcs.items():
        nodes = pm.nodes[ti]
        pos = {n.request: i for i, n in enumerate(nodes, start=1)}
        seq = [pos[a.request] for a in rts.get(ti, [])]
        chosen_arcs: set[tuple[int, int]] = set()
        if seq:
            path = [0, *seq, 0]
            chosen_arcs = set(itertools.pairwise(path))
        for i, j, arc_lit in arcs:
            if i != j:  # self-loops are negations of serve / tour_used, hinted elsewhere
                m.add_hint(cast(cp_model.IntVar, arc_lit), (i, j) in chosen_arcs)
        m.add_hint(pm.tour_used[ti], bool(seq))


def day_of(inst: Instance, a: Assignment) -> dt.date:
    return inst.tours[a.tours[0]].tour.date
