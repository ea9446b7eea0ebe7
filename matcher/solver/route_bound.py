"""A route-based lower bound: the set-partitioning LP solved by column generation.

Each column is one route of one tour: an ordered set of visits the tour can drive (travel
from the base, the visits' allowed start times, the daily cap and the way back), costing
its travel plus the waiting and continuity terms of its visits. The master LP picks at
most one route per tour, serves every request with as many visits as it has roles (or
leaves it open at its unassigned cost), keeps the weekly and daily caps, and, for joint
visits, one day for all roles, distinct consultants and a one-to-one role matching.

Every feasible plan is an integer solution of this master, so its LP optimum is a lower
bound. Routes are priced per tour by an exact labelling algorithm (elementary paths,
bounded by the tour's visit limit); after every round the Lagrangian bound ``LP value +
sum over tours of min(0, best reduced cost)`` is valid, so the bound improves while the
generation runs and is proven even when it is stopped early.

This relaxation keeps the order of visits and the travel between them, which the
assignment relaxation of :mod:`matcher.solver.bounds` drops; on weeks where routes of two or three
visits carry most of the travel it is much stronger.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.solver.bounds import tour_visit_limits
from matcher.solver.intervals import first_at_or_after
from matcher.solver.model import Assignment, Instance, routes, unavoidable_change
from matcher.solver.route_labels import (
    CANDIDATE_FACTOR,
    EPS,
    MAX_LABELS,
    NG_SIZES,
    SUBSET_FACTOR,
    _drop_subset_dominated,
    _earliest_start,
    _Node,
    _pareto,
    _TourArrays,
    _TourGraph,
)

__all__ = ["RouteBound"]


@dataclass
class _ExactRound:
    """An exact pricing round: its duals and what the tours priced so far gave.

    ``lp_duals`` and ``lp`` are those of the master LP the round started from; ``alpha`` is
    the smoothing used (0: the LP duals themselves).
    """

    duals: np.ndarray
    lp_duals: np.ndarray
    lp: float
    alpha: float
    next_tour: int = 0
    total_rc: float = 0.0
    added: int = 0


class RouteBound:
    """Column generation over tour routes; :attr:`bound` is the best proven bound so far.

    Parameters
    ----------
    inst
        The prepared instance.
    initial
        Assignments of a known plan; their routes seed the master.
    """

    def __init__(self, inst: Instance, initial: list[Assignment] | None = None) -> None:
        from ortools.linear_solver import pywraplp

        self.inst = inst
        self.bound: int | None = None
        self._extra = unavoidable_change(inst)
        """Change cost no plan avoids (the master leaves ``weights.change`` out)."""
        self.lp_value: float | None = None
        self.rounds = 0
        self.converged = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:
            raise RuntimeError("GLOP is not available in this OR-Tools build")
        # Presolve would redo its work on every re-solve; without it GLOP starts from the
        # previous basis when columns are added.
        solver.SetSolverSpecificParametersAsString("use_preprocessing: false")
        self.solver = solver
        self._rows: list[Any] = []
        self._columns: dict[tuple[int, tuple[int, ...]], tuple[Any, float, tuple[int, ...]]] = {}
        """Per (tour, sorted visits): the master variable, its cost and the cheapest known
        order of the visits (node numbers of the tour's graph)."""
        self.lp_duals: np.ndarray | None = None
        """The duals of the last master LP solved (for the integer master's column choice)."""
        self._arrays_cache: dict[int, _TourArrays] = {}
        self._static_vars: list[Any] = []
        self._beam_phase: bool | None = None
        self._ng_level: dict[int, int] = {}
        self._pending: list[list[Assignment]] = []
        self._pending_routes: list[tuple[int, tuple[int, ...]]] = []
        self._centre: np.ndarray | None = None
        self._centre_value = -math.inf
        self._round: _ExactRound | None = None
        """The exact pricing round under way, if a call of :meth:`run` ended inside one."""
        self._static_lo: list[float] = []
        self._static_cost: list[float] = []
        self._static_entries: list[tuple[int, int, float]] = []
        self._build_master()
        self._build_graphs()
        inf = solver.infinity()
        self.row_rhs = np.array(
            [row.ub() if row.ub() < inf else 0.0 for row in self._rows], dtype=np.float64
        )
        self.row_upper = np.array([row.lb() <= -inf for row in self._rows], dtype=bool)
        # Every single visit is a route from the start: the first duals are then sensible.
        for r in inst.requests:
            for o in r.options:
                g = self.graphs[o.tour]
                self._add_route(g, (g.index_of[r.index],))
        if initial:
            self.add_plan(initial)

    @property
    def columns(self) -> int:
        """How many routes the master holds."""
        return len(self._columns)

    # -- master ------------------------------------------------------------------------

    def _row(self, lo: float, hi: float) -> int:
        self._rows.append(self.solver.Constraint(lo, hi))
        return len(self._rows) - 1

    def _static(self, lo: float, cost: float, name: str) -> int:
        """A master variable in ``[lo, 1]`` other than a route; returns its number."""
        v = self.solver.NumVar(lo, 1.0, name)
        self.solver.Objective().SetCoefficient(v, cost)
        self._static_vars.append(v)
        self._static_lo.append(lo)
        self._static_cost.append(cost)
        return len(self._static_vars) - 1

    def _set(self, row: int, var: int, coef: float) -> None:
        self._rows[row].SetCoefficient(self._static_vars[var], coef)
        self._static_entries.append((row, var, coef))

    def _build_master(self) -> None:
        inst, s = self.inst, self.solver
        scen = inst.scenario
        w = scen.weights
        inf = s.infinity()
        obj = s.Objective()
        self.constant = 0.0
        self.cover: dict[int, int] = {}
        self.joint_rows: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self.week_row: dict[int, int] = {}
        self.day_row: dict[tuple[int, int], int] = {}
        self.node_cost: dict[tuple[int, int], float] = {}
        for r in inst.requests:
            self.constant += r.unassigned_cost
            if not r.options:
                continue
            needs_prev = bool(scen.youth(r.request.youth).previous_consultant)
            p = self._static(
                1.0 if r.request.pinned is not None else 0.0,
                -r.unassigned_cost + (w.continuity if needs_prev else 0),
                f"planned_{r.index}",
            )
            cov = self._row(0, 0)
            self._set(cov, p, -r.n_roles)
            self.cover[r.index] = cov
            for o in r.options:
                ti = inst.tours[o.tour]
                c = 0.0
                if r.n_roles == 1:
                    c += r.wait_cost[ti.day]
                if needs_prev and ti.consultant == r.previous:
                    c -= w.continuity
                self.node_cost[r.index, o.tour] = c
            if r.n_roles == 1:
                continue
            days = sorted({inst.tours[o.tour].day for o in r.options})
            day_rows: dict[int, int] = {}
            ysum = self._row(0, 0)
            self._set(ysum, p, -1)
            for d in days:
                y = self._static(0.0, r.wait_cost[d], f"day_{r.index}_{d}")
                day_rows[d] = self._row(0, 0)
                self._set(day_rows[d], y, -r.n_roles)
                self._set(ysum, y, 1)
            roles_of: dict[int, set[int]] = {}
            for o in r.options:
                roles_of.setdefault(inst.tours[o.tour].consultant, set()).update(o.roles)
            role_rows = [self._row(0, 0) for _ in range(r.n_roles)]
            for k in range(r.n_roles):
                self._set(role_rows[k], p, -1)
            for c_i, ks in roles_of.items():
                dist = self._row(-inf, 0)
                self._set(dist, p, -1)
                link = self._row(0, 0)
                for k in ks:
                    z = self._static(0.0, 0.0, f"role_{r.index}_{k}_{c_i}")
                    self._set(link, z, -1)
                    self._set(role_rows[k], z, 1)
                for d, row in day_rows.items():
                    self.joint_rows[r.index, c_i, d] = (dist, link, row)
        n_tours_per_day: dict[tuple[int, int], int] = {}
        for ti in inst.tours:
            key = (ti.consultant, ti.day)
            n_tours_per_day[key] = n_tours_per_day.get(key, 0) + 1
        for c_i, cons in enumerate(scen.consultants):
            if cons.max_visits_per_week is not None:
                self.week_row[c_i] = self._row(-inf, cons.max_visits_per_week)
        for (c_i, d), n in n_tours_per_day.items():
            cap = scen.consultants[c_i].max_visits_per_day
            if cap is not None and n > 1:
                self.day_row[c_i, d] = self._row(-inf, cap)
        obj.SetMinimization()
        ent = np.array(self._static_entries, dtype=np.float64).reshape(-1, 3)
        self._ent_row = ent[:, 0].astype(np.int64)
        self._ent_var = ent[:, 1].astype(np.int64)
        self._ent_coef = ent[:, 2]

    def _build_graphs(self) -> None:
        inst = self.inst
        limits = tour_visit_limits(inst)
        self.graphs: list[_TourGraph] = []
        for t, ti in enumerate(inst.tours):
            g = _TourGraph(
                tour=t,
                base=ti.base,
                start=ti.tour.start,
                end=ti.tour.end,
                limit=limits[t],
                nodes=[],
                tour_row=self._row(-self.solver.infinity(), 1),
            )
            for r_i, oi in inst.options_by_tour[t]:
                r = inst.requests[r_i]
                o = r.options[oi]
                rows = [self.cover[r_i]]
                if r.n_roles > 1:
                    rows.extend(self.joint_rows[r_i, ti.consultant, ti.day])
                if ti.consultant in self.week_row:
                    rows.append(self.week_row[ti.consultant])
                if (ti.consultant, ti.day) in self.day_row:
                    rows.append(self.day_row[ti.consultant, ti.day])
                g.index_of[r_i] = len(g.nodes)
                g.nodes.append(
                    _Node(
                        r_i,
                        r.point,
                        r.duration,
                        o.intervals,
                        self.node_cost[r_i, t],
                        tuple(rows),
                    )
                )
            self.graphs.append(g)

    def _route_time(self, g: _TourGraph, seq: tuple[int, ...]) -> int | None:
        """Travel minutes of ``seq`` in tour ``g`` if it can be driven, else ``None``."""
        m = self.inst.minutes
        here, now, travel = g.base, g.start, 0
        for j in seq:
            n = g.nodes[j]
            travel += m[here][n.point]
            st = first_at_or_after(n.intervals, now + m[here][n.point])
            if st is None:
                return None
            now, here = st + n.duration, n.point
        travel += m[here][g.base]
        if now + m[here][g.base] > g.end:
            return None
        return travel

    def column_key(self, g: _TourGraph, seq: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        """The column of route ``seq``: one per set of visits (the cheapest order kept),
        but one per order when a joint visit is among them (the order decides when the
        joint visit can start, which the integer master needs, :mod:`.route_master`)."""
        if any(self.inst.requests[g.nodes[j].request].n_roles > 1 for j in seq):
            return (g.tour, tuple(seq))
        return (g.tour, tuple(sorted(seq)))

    def _add_route(self, g: _TourGraph, seq: tuple[int, ...]) -> bool:
        """Add route ``seq`` of tour ``g`` as a column (or cheapen the column of its set)."""
        key = self.column_key(g, seq)
        old = self._columns.get(key)
        travel = self._route_time(g, seq)
        if travel is None:
            return False
        cost = self.inst.w_travel * travel + sum(g.nodes[j].base_cost for j in seq)
        if old is not None:
            if cost >= old[1] - EPS:
                return False
            self.solver.Objective().SetCoefficient(old[0], cost)
            self._columns[key] = (old[0], cost, seq)
            return True
        v = self.solver.NumVar(0, 1, f"route_{g.tour}_{len(self._columns)}")
        self._columns[key] = (v, cost, seq)
        self.solver.Objective().SetCoefficient(v, cost)
        coef: dict[int, float] = {g.tour_row: 1.0}
        for j in seq:
            for row in g.nodes[j].rows:
                coef[row] = coef.get(row, 0.0) + 1.0
        for row, a in coef.items():
            self._rows[row].SetCoefficient(v, a)
        return True

    # -- pricing -----------------------------------------------------------------------

    def _arrays(self, g: _TourGraph) -> _TourArrays:
        arr = self._arrays_cache.get(g.tour)
        if arr is None:
            arr = _TourArrays.of(self.inst, g)
            self._arrays_cache[g.tour] = arr
        return arr

    def _price_shorter(
        self, g: _TourGraph, duals: np.ndarray, keep: int, end_time: float | None
    ) -> tuple[float, list[tuple[float, tuple[int, ...]]], bool]:
        """Too many labels: tour ``g`` remembers fewer visits from now on; price it again
        (exact pricing only, :meth:`_price`)."""
        self._ng_level[g.tour] = self._ng_level.get(g.tour, 0) + 1
        return self._price(g, duals, keep, None, end_time)

    def _price(
        self,
        g: _TourGraph,
        duals: np.ndarray,
        keep: int,
        beam: int | None = None,
        end_time: float | None = None,
    ) -> tuple[float, list[tuple[float, tuple[int, ...]]], bool]:
        """A lower bound on the least reduced cost of a route of ``g`` (at most 0), the best
        routes found, and whether the search finished (before ``end_time``).

        A labelling algorithm, one depth (number of visits) at a time, vectorised over
        labels and nodes. Routes are elementary, unless the tour has moved on to an
        ng-route memory (:data:`NG_SIZES`): then a route may return to a visit that the
        visits since do not remember, the minimum is a relaxation (still a valid bound),
        and only elementary routes become columns. A label is dropped when even its
        cheapest completion (:meth:`_TourArrays.completion`) cannot beat the best route
        found so far, or when another label with the same remembered set and last visit
        ends no later at no higher cost. With ``beam``, only that many most promising
        labels are kept per depth: a quick heuristic whose minimum is not proven.

        (About 120 lines: the labelling's loop works on local numpy arrays of one depth at
        a time; split into functions it would pass and copy them at every depth.)
        """
        ta = self._arrays(g)
        n = ta.n
        if n == 0:
            return 0.0, [], True
        complete = True
        level = self._ng_level.get(g.tour, 0)
        escalate = beam is None and level + 1 < len(NG_SIZES)
        ng = ta.ng[level]
        mu = float(duals[g.tour_row])
        nc = ta.base_cost - np.bincount(ta.row_node, weights=duals[ta.row_idx], minlength=n)
        # The heuristic (beam) search prunes nothing and proves nothing, so it needs no
        # completion costs (the way back only ranks its labels).
        completion = ta.completion(nc, ta.limit if beam is None else 0)
        best_rc = 0.0
        found_rc: list[np.ndarray] = []
        found_ref: list[tuple[int, np.ndarray, np.ndarray]] = []
        # Per depth: parent label index and node of each label (to rebuild sequences).
        parents: list[np.ndarray] = []
        nodes_at: list[np.ndarray] = []
        cost = np.array([-mu])
        now = np.array([float(g.start)])
        masks = np.zeros((1, ta.words), dtype=np.uint64)
        travel_in = ta.base_out[None, :]
        wback = ta.wt * ta.back
        # Least cost of going on from each node at any time (completion is monotone in
        # time, so bucket 0 is the most optimistic): pairs that cannot reach a negative
        # reduced cost are dropped before any timing is computed.
        if beam is None:
            optimistic = [np.minimum(wback, comp[:, 0]) for comp in completion]
        else:
            optimistic = [np.full(n, -np.inf)] * (g.limit + 1)
        for depth in range(g.limit):
            if end_time is not None and (self._stop.is_set() or time.monotonic() >= end_time):
                complete = False
                break
            if escalate and cost.size > MAX_LABELS:
                return self._price_shorter(g, duals, keep, end_time)
            remaining = g.limit - depth - 1
            c2 = cost[:, None] + ta.wt * travel_in + nc[None, :]
            li, nj = np.nonzero(c2 + optimistic[remaining][None, :] < -EPS)
            if li.size == 0:
                break
            if escalate and li.size > CANDIDATE_FACTOR * MAX_LABELS:
                return self._price_shorter(g, duals, keep, end_time)  # before the timing
            start = _earliest_start(now[li] + travel_in[li, nj], ta.lo[nj], ta.hi[nj])
            end = start + ta.dur[nj]
            ok = end + ta.back[nj] <= g.end
            ok &= ((masks[li, ta.word[nj]] >> ta.bit[nj]) & np.uint64(1)) == 0
            li, nj, end = li[ok], nj[ok], end[ok]
            cc = c2[li, nj]
            close = cc + wback[nj]
            neg = np.nonzero(close < -EPS)[0]
            if neg.size:
                if neg.size > 4 * keep:
                    neg = neg[np.argpartition(close[neg], 4 * keep)[: 4 * keep]]
                best_rc = min(best_rc, float(close[neg].min()))
                found_rc.append(close[neg])
                found_ref.append((depth, li[neg], nj[neg]))
            if remaining <= 0:
                break
            if beam is None:
                ahead = completion[remaining][nj, ta.bucket(end)]
                promising = np.nonzero(cc + ahead < best_rc - EPS)[0]
                li, nj, end, cc = li[promising], nj[promising], end[promising], cc[promising]
            if li.size == 0:
                break
            new_cost = cc
            new_end = end
            new_masks = masks[li] & ng[nj]
            new_masks[np.arange(li.size), ta.word[nj]] |= np.uint64(1) << ta.bit[nj]
            keep_idx = _pareto(new_masks, nj, new_end, new_cost)
            if escalate and keep_idx.size > SUBSET_FACTOR * MAX_LABELS:
                return self._price_shorter(g, duals, keep, end_time)  # before the subset check
            if beam is None:
                keep_idx = keep_idx[
                    _drop_subset_dominated(
                        new_masks[keep_idx], nj[keep_idx], new_end[keep_idx], new_cost[keep_idx]
                    )
                ]
            if beam is not None and keep_idx.size > beam:
                promise = new_cost[keep_idx] + wback[nj[keep_idx]]
                keep_idx = keep_idx[np.argpartition(promise, beam)[:beam]]
            li, nj = li[keep_idx], nj[keep_idx]
            parents.append(li)
            nodes_at.append(nj)
            cost = new_cost[keep_idx]
            now = new_end[keep_idx]
            masks = new_masks[keep_idx]
            travel_in = ta.travel[nj]
        if not found_rc:
            return best_rc, [], complete
        all_rc = np.concatenate(found_rc)
        order = np.argsort(all_rc, kind="stable")
        offsets = np.cumsum([0] + [len(x) for x in found_rc])
        out: list[tuple[float, tuple[int, ...]]] = []
        seen: set[tuple[int, ...]] = set()
        for pos in order[: 4 * keep]:
            part = int(np.searchsorted(offsets, pos, side="right") - 1)
            depth, li, nj = found_ref[part]
            i = int(pos - offsets[part])
            seq = [int(nj[i])]
            label = int(li[i])
            for d in range(depth - 1, -1, -1):
                seq.append(int(nodes_at[d][label]))
                label = int(parents[d][label])
            seq.reverse()
            key = tuple(sorted(seq))
            if key in seen or len(set(key)) < len(key):
                continue
            seen.add(key)
            out.append((float(all_rc[pos]), tuple(seq)))
            if len(out) >= keep:
                break
        return best_rc, out, complete

    # -- driver ------------------------------------------------------------------------

    def _static_part(self, duals: np.ndarray) -> float:
        """``constant + duals . rhs + sum over non-route variables of min(rc * x)``."""
        rc = np.array(self._static_cost, dtype=np.float64)
        np.subtract.at(rc, self._ent_var, self._ent_coef * duals[self._ent_row])
        lo = np.array(self._static_lo)
        return float(self.constant + duals @ self.row_rhs + np.minimum(rc * lo, rc).sum())

    def _price_all(
        self, duals: np.ndarray, keep: int, beam: int | None, end: float, first: int = 0
    ) -> tuple[float, int, int | None]:
        """Price the tours from number ``first`` on: (sum of negative minima, columns added,
        the tour to go on from when time ran out before all were priced, else ``None``).

        Exact pricing (no ``beam``) stops at the first tour it could not finish; the beam
        heuristic goes on to the next tour.
        """
        total_rc = 0.0
        added = 0
        for g in self.graphs[first:]:
            if self._stop.is_set() or time.monotonic() >= end:
                return total_rc, added, g.tour
            best, cols, complete = self._price(g, duals, keep, beam, end)
            total_rc += min(0.0, best)
            for _rc, seq in cols:
                added += self._add_route(g, seq)
            if not complete and beam is None:
                return total_rc, added, g.tour
        return total_rc, added, None

    def add_plan(self, assignments: list[Assignment]) -> int:
        """Add the routes of a plan as columns; returns how many were new."""
        found = routes(self.inst, assignments).items()
        return self.add_routes([(t, tuple(a.request for a in lst)) for t, lst in found])

    def add_routes(self, found: list[tuple[int, tuple[int, ...]]]) -> int:
        """Add routes ``(tour, request indices in order)`` as columns; how many were new."""
        added = 0
        for t, seq in found:
            g = self.graphs[t]
            if all(r in g.index_of for r in seq):
                added += self._add_route(g, tuple(g.index_of[r] for r in seq))
        return added

    def take_offers(self) -> int:
        """Add the routes of the plans and routes offered so far as columns; how many
        were new."""
        with self._lock:
            pending, self._pending = self._pending, []
            found, self._pending_routes = self._pending_routes, []
        return sum(self.add_plan(plan) for plan in pending) + self.add_routes(found)

    def offer_routes(self, found: list[tuple[int, tuple[int, ...]]]) -> None:
        """Add routes ``(tour, request indices in order)`` as columns at the next round
        (thread-safe)."""
        with self._lock:
            self._pending_routes.extend(found)

    def offer_plan(self, assignments: list[Assignment]) -> None:
        """Add a plan's routes as columns at the next round (thread-safe)."""
        with self._lock:
            self._pending.append(assignments)

    def run(
        self,
        seconds: float,
        keep: int = 8,
        alpha: float = 0.5,
        heuristic_beam: int | None = 64,
        on_bound: Callable[[int], None] | None = None,
    ) -> int | None:
        """Generate columns for at most ``seconds``; returns (and stores) the proven bound.

        First rounds price heuristically (a beam of ``heuristic_beam`` labels per depth)
        while that still finds many columns and moves the LP, for at most 40% of the
        time. Then pricing is exact and the duals are smoothed (Wentges): routes are priced
        at ``alpha * centre + (1 - alpha) * LP duals``, the centre being the duals with the
        best Lagrangian bound so far. Every exact round gives a valid bound (passed to
        ``on_bound`` when it improves).
        """
        from ortools.linear_solver import pywraplp

        begin = time.monotonic()
        end = begin + seconds
        s = self.solver
        if self._beam_phase is None:
            self._beam_phase = heuristic_beam is not None
        last_lp = math.inf
        if self._round is not None and self._finish_round(keep, end, on_bound):
            return self.bound
        while not self._stop.is_set() and time.monotonic() < end and self._round is None:
            self.take_offers()
            s.SetTimeLimit(max(1, int((end - time.monotonic()) * 1000)))
            if s.Solve() != pywraplp.Solver.OPTIMAL:
                break
            lp = s.Objective().Value() + self.constant
            self.lp_value = lp
            lp_duals = np.array([row.dual_value() for row in self._rows], dtype=np.float64)
            # Duals of <= rows must be <= 0 for the Lagrangian bound; clip solver noise.
            lp_duals[self.row_upper] = np.minimum(lp_duals[self.row_upper], 0.0)
            self.lp_duals = lp_duals
            self.rounds += 1
            if self._beam_phase:
                _rc, added, _stopped = self._price_all(lp_duals, keep, heuristic_beam, end)
                moved = last_lp - lp > 1e-3 * max(1.0, abs(lp))
                last_lp = lp
                early = time.monotonic() < begin + 0.4 * seconds
                self._beam_phase = added >= max(1, len(self.graphs) // 10) and moved and early
                continue
            a = alpha if self._centre is not None else 0.0
            centre = self._centre
            duals = lp_duals if centre is None else a * centre + (1 - a) * lp_duals
            self._round = _ExactRound(duals, lp_duals, lp, a)
            if self._finish_round(keep, end, on_bound):
                break
        return self.bound

    def _finish_round(self, keep: int, end: float, on_bound: Callable[[int], None] | None) -> bool:
        """Price the exact round under way to its end (at the LP duals again when the
        smoothed duals found nothing new); whether the generation has converged.

        When time runs out first, the round stays under way (:attr:`_round`) and the next
        :meth:`run` goes on with it from the tour it stopped at, so a round longer than one
        call still ends in a bound (the child process runs the generation in slices between
        integer masters).
        """
        while (rnd := self._round) is not None:
            total_rc, added, stopped = self._price_all(rnd.duals, keep, None, end, rnd.next_tour)
            rnd.total_rc += total_rc
            rnd.added += added
            if stopped is not None:
                rnd.next_tour = stopped
                return False
            self._round = None
            value = self._static_part(rnd.duals) + rnd.total_rc
            if self._offer(value) and on_bound is not None and self.bound is not None:
                on_bound(self.bound)
            if value > self._centre_value:
                self._centre, self._centre_value = rnd.duals, value
            if not rnd.added and rnd.alpha != 0.0:
                # Mispricing: nothing new at the smoothed duals; price at the LP's.
                self._round = _ExactRound(rnd.lp_duals, rnd.lp_duals, rnd.lp, 0.0)
                continue
            if rnd.added == 0 or (
                self.bound is not None and self.bound >= math.ceil(rnd.lp + self._extra - 1e-6)
            ):
                self.converged = True
                return True
        return False

    def _offer(self, value: float) -> bool:
        """Keep ``value`` (rounded up, less a tolerance) if it is the best bound yet."""
        if not math.isfinite(value):
            return False
        value += self._extra
        b = max(0, math.ceil(value - 1e-6 * max(1.0, abs(value))))
        with self._lock:
            if self.bound is None or b > self.bound:
                self.bound = b
                return True
        return False

    def interrupt(self) -> None:
        """Stop a running :meth:`run` soon (from another thread)."""
        self._stop.set()
        self.solver.InterruptSolve()
