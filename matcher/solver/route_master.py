"""The integer route master: the best plan made of the routes the route bound knows.

Column generation (:mod:`matcher.solver.route_bound`) collects routes of every tour: the
routes its pricing found (those the LP duals say are worth having), the routes of every
plan the neighbourhood search sent it, and (with two or more workers) every route of every
state the search accepted (:mod:`matcher.solver.route_pool`). Solving the same master
with every variable binary (at most one route per tour, each request served by as many
routes as it has roles or left open, the daily and weekly caps, one day and distinct
consultants for a joint visit) picks the best combination of those routes, which often
combines the good tours of different plans into one better than any the search found
(price-and-branch, or the set-partitioning step of ILS-SP-like hybrids).

Only the columns whose reduced cost at the last LP duals is small enough can be part of a
plan close to the LP bound; the master keeps the :data:`COLUMNS_PER_TOUR` best of them per
tour, at most :data:`MAX_COLUMNS` in all (and the incumbent's routes, which are its hint),
so CP-SAT solves it within a second or two on a week of 80 requests.

The master does not time joint visits (it only knows each consultant's route), so
:func:`state_from_routes` rebuilds a search state: single visits in their route's order,
each joint visit at a common start in the tours the master gave it (or re-inserted where it
fits), and whatever then is still open inserted greedily. The caller compares the result's
objective with its own plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.solver.intervals import first_at_or_after, visit_windows
from matcher.solver.model import Assignment, Instance, routes
from matcher.solver.repair import repair_greedy
from matcher.solver.route_bound import RouteBound
from matcher.solver.search_state import SearchState

__all__ = [
    "COLUMNS_PER_TOUR",
    "MAX_COLUMNS",
    "IntegerMaster",
    "RoutePlan",
    "best_route_state",
    "state_from_routes",
]

COLUMNS_PER_TOUR = 20
"""Route columns in the integer master per tour (those of least reduced cost): more make
CP-SAT slower than they help (1 500 against 4 000 on the 80-request weeks with joint
visits, both given 3 s: 32 451 against 32 615 and 33 421 against 33 534)."""

MAX_COLUMNS = 2_600
"""Most route columns in one integer master besides the incumbent's: about 10 per tour on
the 300-request weeks, where CP-SAT did not finish the master of 20 per tour in its 5 s
(263 tours, 5 356 columns). On gen-300 seeds 11-13 at 30 s with solver seeds 1-4, 11 of 12
runs ended better than with 20 per tour and one equal (mean ours/ref 1.0012 against 1.0020,
the same session). The 80-request weeks have fewer columns than this anyway."""

LP_AT_EVERY_NODE_MAX_TOURS = 150
"""Up to this many free tours CP-SAT solves the LP at every node (:meth:`IntegerMaster.solve`)."""


@dataclass(frozen=True)
class RoutePlan:
    """An integer solution of the route master.

    Attributes
    ----------
    value
        Its master objective (the plan's objective when no joint visit needs re-timing
        and no published visit is changed).
    routes
        Per used tour: ``(tour, request indices in visiting order)``.
    """

    value: int
    routes: tuple[tuple[int, tuple[int, ...]], ...]


def _reduced_costs(rb: RouteBound, keys: list[tuple[int, tuple[int, ...]]]) -> np.ndarray:
    """Reduced cost of each column at the last LP duals (all zero before the first LP)."""
    duals = rb.lp_duals
    out = np.zeros(len(keys))
    if duals is None:
        return out
    for i, key in enumerate(keys):
        g = rb.graphs[key[0]]
        _var, cost, seq = rb._columns[key]
        out[i] = cost - duals[g.tour_row] - sum(duals[row] for j in seq for row in g.nodes[j].rows)
    return out


def _incumbent_keys(
    rb: RouteBound, plan: list[Assignment] | None
) -> set[tuple[int, tuple[int, ...]]]:
    """The column keys of ``plan``'s routes (those the master holds)."""
    out: set[tuple[int, tuple[int, ...]]] = set()
    if not plan:
        return out
    for t, lst in routes(rb.inst, plan).items():
        g = rb.graphs[t]
        if all(a.request in g.index_of for a in lst):
            key = rb.column_key(g, tuple(g.index_of[a.request] for a in lst))
            if key in rb._columns:
                out.add(key)
    return out


def _joint_windows(rb: RouteBound, key: tuple[int, tuple[int, ...]]) -> dict[int, tuple[int, int]]:
    """Per joint visit of column ``key``: its earliest and latest start in that route."""
    g = rb.graphs[key[0]]
    seq = rb._columns[key][2]
    nodes = [g.nodes[j] for j in seq]
    if all(rb.inst.requests[n.request].n_roles == 1 for n in nodes):
        return {}
    got = visit_windows(
        rb.inst.minutes, g.base, g.start, g.end, [(n.point, n.duration, n.intervals) for n in nodes]
    )
    assert got is not None  # the column is a drivable route
    early, late = got
    return {
        n.request: (early[i], late[i])
        for i, n in enumerate(nodes)
        if rb.inst.requests[n.request].n_roles > 1
    }


class IntegerMaster:
    """The route master with binary variables over (the best of) its columns.

    Parameters
    ----------
    rb
        A route bound whose master LP has been solved at least once.
    incumbent
        A plan whose routes are kept and given to CP-SAT as its hint.
    seed
        CP-SAT's random seed.
    max_columns
        Most route columns kept (least reduced cost first); by default the incumbent's
        and :data:`COLUMNS_PER_TOUR` per free tour, at most :data:`MAX_COLUMNS`.
    free_tours
        Only these tours (and those sharing a joint visit of ``incumbent`` with them) may
        change; every other tour keeps its route of ``incumbent``, and a column of a free
        tour may not hold a request those routes serve.

    Raises
    ------
    RuntimeError
        When OR-Tools' CP-SAT backend cannot load the model.
    """

    def __init__(
        self,
        rb: RouteBound,
        incumbent: list[Assignment] | None = None,
        *,
        seed: int = 0,
        max_columns: int | None = None,
        free_tours: set[int] | None = None,
    ) -> None:
        from ortools.linear_solver import linear_solver_pb2, pywraplp

        self.rb = rb
        self.seed = seed
        proto = linear_solver_pb2.MPModelProto()
        rb.solver.ExportModelToProto(proto)
        keep = _incumbent_keys(rb, incumbent)
        keys = list(rb._columns)
        fixed: set[tuple[int, tuple[int, ...]]] = set()
        if free_tours is not None:
            free_tours = _closed(rb, incumbent or [], free_tours)
            fixed = {k for k in keep if k[0] not in free_tours}
            taken = {rb.graphs[k[0]].nodes[j].request for k in fixed for j in k[1]}
            keys = [
                k
                for k in keys
                if k[0] in free_tours
                and all(rb.graphs[k[0]].nodes[j].request not in taken for j in k[1])
            ]
        order = np.argsort(_reduced_costs(rb, keys), kind="stable")
        chosen = set(keep)
        n_free = len(rb.graphs) if free_tours is None else len(free_tours)
        self.n_free = n_free
        if max_columns is None:
            max_columns = len(chosen) + min(COLUMNS_PER_TOUR * n_free, MAX_COLUMNS)
        for i in order:
            if len(chosen) >= max_columns:
                break
            chosen.add(keys[i])
        for key, (var, _cost, _seq) in rb._columns.items():
            if key in fixed:
                proto.variable[var.index()].lower_bound = 1.0
            elif key not in chosen:
                proto.variable[var.index()].upper_bound = 0.0
        for v in proto.variable:
            v.is_integer = True
        self.chosen = sorted(chosen)
        ip = pywraplp.Solver.CreateSolver("CP_SAT")
        if ip is None or ip.LoadModelFromProto(proto):
            raise RuntimeError("the CP-SAT backend of pywraplp cannot load the route master")
        self.ip = ip
        self.vars = ip.variables()
        self._add_joint_timing()
        if keep and incumbent:
            hint = [self._var(k) for k in self.chosen]
            values = [1.0 if k in keep else 0.0 for k in self.chosen]
            static = _static_hint(rb, incumbent)
            for v in rb._static_vars:
                hint.append(self.vars[v.index()])
                values.append(static[v.name()])
            ip.SetHint(hint, values)

    def _add_joint_timing(self) -> None:
        """Each route with a joint visit needs a route of another consultant with that
        visit whose start window overlaps (``x_c <= sum of the compatible x_c'``): the LP
        master alone pairs routes that cannot meet at one time."""
        rb = self.rb
        inst = rb.inst
        holders: dict[int, list[tuple[tuple[int, tuple[int, ...]], int, int, int, int]]] = {}
        for key in self.chosen:
            ti = inst.tours[key[0]]
            for r, (lo, hi) in _joint_windows(rb, key).items():
                holders.setdefault(r, []).append((key, ti.consultant, ti.day, lo, hi))
        for lst in holders.values():
            for key, c, d, lo, hi in lst:
                row = self.ip.Constraint(-self.ip.infinity(), 0.0)
                row.SetCoefficient(self._var(key), 1.0)
                for key2, c2, d2, lo2, hi2 in lst:
                    if c2 != c and d2 == d and lo <= hi2 and lo2 <= hi:
                        row.SetCoefficient(self._var(key2), -1.0)

    def _var(self, key: tuple[int, tuple[int, ...]]) -> Any:
        return self.vars[self.rb._columns[key][0].index()]

    def solve(self, seconds: float) -> RoutePlan | None:
        """The best integer solution CP-SAT finds (one worker) within ``seconds``; ``None``
        when it finds none."""
        from ortools.linear_solver import pywraplp

        ip = self.ip
        # The LP relaxation at every node (linearization level 2) solves the small masters
        # fast: on the 80-request weeks with joint visits it found the best combination in
        # about 1 s where the default search had not in 3 s; on 300 requests (263 tours) it
        # was slower than the default (30-s solves: 120 620 against 120 401, 117 717
        # against 117 608).
        params = f"num_workers: 1 random_seed: {self.seed}"
        if self.n_free <= LP_AT_EVERY_NODE_MAX_TOURS:
            params += " linearization_level: 2"
        ip.SetSolverSpecificParametersAsString(params)
        ip.SetTimeLimit(max(1, int(1000 * seconds)))
        status = ip.Solve()
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        rb = self.rb
        out: list[tuple[int, tuple[int, ...]]] = []
        for key in self.chosen:
            if self._var(key).solution_value() > 0.5:
                g = rb.graphs[key[0]]
                out.append((key[0], tuple(g.nodes[j].request for j in rb._columns[key][2])))
        value = round(ip.Objective().Value() + rb.constant + rb._extra)
        return RoutePlan(value, tuple(out))

    def forbid(self, plan: RoutePlan, request: int) -> None:
        """Forbid the routes of ``plan`` that hold joint visit ``request`` together (they
        cannot meet at one start)."""
        rb = self.rb
        keys = [
            rb.column_key(rb.graphs[t], tuple(rb.graphs[t].index_of[r] for r in seq))
            for t, seq in plan.routes
            if request in seq
        ]
        row = self.ip.Constraint(-self.ip.infinity(), len(keys) - 1.0)
        for key in keys:
            row.SetCoefficient(self._var(key), 1.0)


def best_route_state(
    rb: RouteBound,
    seconds: float,
    incumbent: list[Assignment] | None = None,
    *,
    seed: int = 0,
    rounds: int = 4,
    free_tours: set[int] | None = None,
) -> SearchState | None:
    """The best plan made of ``rb``'s routes, as a search state (or ``None``).

    Solves the :class:`IntegerMaster`; when a joint visit's routes cannot meet at one
    start, that combination is forbidden and the master solved again (at most ``rounds``
    times in all, within ``seconds``), keeping the best state rebuilt from any solution.
    With ``free_tours`` only those tours may change: every other tour keeps its route of
    ``incumbent`` (a neighbourhood of the master, for weeks too large to solve whole).
    """
    end = time.monotonic() + seconds
    rb.take_offers()
    try:
        master = IntegerMaster(rb, incumbent, seed=seed, free_tours=free_tours)
    except RuntimeError:
        return None
    best: SearchState | None = None
    for _ in range(rounds):
        left = end - time.monotonic()
        if left <= 0.05:
            break
        got = master.solve(left)
        if got is None:
            break
        st, lost = state_from_routes(rb.inst, got.routes)
        if st is not None and (best is None or st.total() < best.total()):
            best = st
        if not lost:
            break
        for r in lost:
            master.forbid(got, r)
    return best


def _closed(rb: RouteBound, plan: list[Assignment], tours: set[int]) -> set[int]:
    """``tours`` plus every tour of ``plan`` that shares a joint visit with one of them
    (a joint visit is either free in all its tours or fixed in all)."""
    out = set(tours)
    joint = [a.tours for a in plan if len(a.tours) > 1]
    grown = True
    while grown:
        grown = False
        for ts in joint:
            if any(t in out for t in ts) and not all(t in out for t in ts):
                out.update(ts)
                grown = True
    return out


def _static_hint(rb: RouteBound, plan: list[Assignment]) -> dict[str, float]:
    """Values of the master's non-route variables in ``plan`` (by variable name)."""
    inst = rb.inst
    out = {v.name(): 0.0 for v in rb._static_vars}
    for a in plan:
        out[f"planned_{a.request}"] = 1.0
        if len(a.tours) > 1:
            out[f"day_{a.request}_{inst.tours[a.tours[0]].day}"] = 1.0
            for k, t in enumerate(a.tours):
                out[f"role_{a.request}_{k}_{inst.tours[t].consultant}"] = 1.0
    return out


def state_from_routes(
    inst: Instance, plan_routes: tuple[tuple[int, tuple[int, ...]], ...]
) -> tuple[SearchState | None, list[int]]:
    """A search state holding ``plan_routes`` (see the module's docstring).

    Every route is taken whole; each joint visit gets the earliest start that all its
    routes allow (joint visits in order of their earliest start, so a fixed start moves the
    later ones). A joint visit that finds no common start leaves its routes, and whatever is
    open then is inserted greedily. Returns the state (``None`` when a pinned request
    stays open) and the joint visits whose routes could not meet.
    """
    st = SearchState(inst)
    seqs = {t: list(seq) for t, seq in plan_routes}
    tours_of: dict[int, list[int]] = {}
    for t, seq in seqs.items():
        for r in seq:
            if inst.requests[r].n_roles > 1:
                tours_of.setdefault(r, []).append(t)

    def earliest(r: int) -> int | None:
        """The earliest start of joint visit ``r`` that every one of its routes allows."""
        starts = []
        for t in tours_of[r]:
            got = st.schedule(t, seqs[t])
            if got is None:
                return None
            starts.append(got[seqs[t].index(r)])
        s = max(starts)
        for _ in range(8):  # the latest of the routes' next allowed starts, until stable
            nxt = [first_at_or_after(st.dom[r, t], s) for t in tours_of[r]]
            if any(x is None for x in nxt):
                return None
            s2 = max(x for x in nxt if x is not None)
            if s2 == s:
                return s
            s = s2
        return None

    lost: list[int] = []

    def drop(r: int) -> None:
        lost.append(r)
        for t in tours_of[r]:
            seqs[t].remove(r)
        st.fixed_start.pop(r, None)

    todo = sorted(tours_of, key=lambda r: (earliest(r) or 0, r))
    for r in todo:
        if len(tours_of[r]) != inst.requests[r].n_roles:
            drop(r)
            continue
        s = earliest(r)
        if s is None:
            drop(r)
            continue
        st.fixed_start[r] = s
        if any(st.schedule(t, seqs[t]) is None for t in tours_of[r]):
            drop(r)
    for t, seq in seqs.items():
        if not seq or st.schedule(t, seq) is None:
            for r in seq:
                st.fixed_start.pop(r, None)
            continue
        st.seq[t] = seq
        for r in seq:
            st._count(t, r, 1)
        ok = st._refresh(t)
        assert ok
    for t, seq in enumerate(st.seq):
        for r in seq:
            if inst.requests[r].n_roles == 1:
                st.assign[r] = (t,)
    for r, tours in tours_of.items():
        if all(r in st.seq[t] for t in tours) and r in st.fixed_start:
            roles = _role_order(st, r, tours)
            if roles is not None:
                st.assign[r] = roles
                continue
        for t in tours:
            if r in st.seq[t]:
                st.seq[t] = [q for q in st.seq[t] if q != r]
                st._count(t, r, -1)
                st._refresh(t)
        st.fixed_start.pop(r, None)
        if r not in lost:
            lost.append(r)
    st.recount()  # the routes were set directly
    repair_greedy(st, [r.index for r in inst.requests if r.index not in st.assign])
    if any(r.request.pinned is not None and r.index not in st.assign for r in inst.requests):
        return None, lost
    return st, lost


def _role_order(st: SearchState, r: int, tours: list[int]) -> tuple[int, ...] | None:
    """``tours`` in role order (tour of role 0 first): a matching of roles to tours whose
    option allows that role, or ``None``."""
    n = st.inst.requests[r].n_roles
    out: list[int | None] = [None] * n

    def place(i: int) -> bool:
        if i == len(tours):
            return True
        for k in st.roles[r, tours[i]]:
            if out[k] is None:
                out[k] = tours[i]
                if place(i + 1):
                    return True
                out[k] = None
        return False

    if not place(0):
        return None
    return tuple(t for t in out if t is not None)
