"""Proven lower bounds on the objective, for plans found by the neighbourhood search.

Three relaxations, each valid for every feasible plan (so the plan's gap to them is honest):

* :func:`lower_bound`: each request alone, its cheapest day, continuity and travel share;
* :func:`flow_lower_bound`: a min-cost flow that adds the daily and weekly caps;
* :func:`relaxation_bound`: a MIP (SCIP) or LP (GLOP) over the assignment of requests to
  tours with every rule except the order of visits; each tour's travel is bounded below by
  the round trip to its farthest visit (when travel times obey the triangle inequality) and
  by the visits' travel shares, and must fit in the tour together with the visits.

Bounds are rounded up only after subtracting a small tolerance, so floating-point noise in
the LP/MIP solvers cannot make them exceed the true optimum.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from matcher.solver.model import Instance, triangle_inequality_holds, unavoidable_change


def lower_bound(inst: Instance, shares: dict[tuple[int, int], int] | None = None) -> int:
    """A cheap proven lower bound on the objective, request by request.

    Every planned request costs at least its cheapest waiting day plus its unavoidable
    continuity penalty plus, per consultant, its smallest travel share
    (:func:`travel_shares2`); otherwise its unassigned cost. The smaller of the two per
    request (the first for a pinned request), summed.
    """
    w = inst.scenario.weights
    shares = travel_shares2(inst) if shares is None else shares
    total = 0.0
    for r in inst.requests:
        if not r.options:
            total += r.unassigned_cost + r.change_cost
            continue
        days = {inst.tours[o.tour].day for o in r.options}
        cons = {inst.tours[o.tour].consultant for o in r.options}
        cont = 0
        if inst.scenario.youth(r.request.youth).previous_consultant:
            cont = 0 if r.previous in cons else w.continuity
        share = min(shares[r.index, o.tour] for o in r.options) / 2
        planned = min(r.wait_cost[d] for d in days) + cont + w.travel_minute * r.n_roles * share
        if r.published and r.keep is None:
            planned += r.change_cost  # no option keeps its published visit
        left_out = r.unassigned_cost + r.change_cost
        total += min(planned, left_out) if not r.request.pinned else planned
    return math.ceil(total - 1e-6)


FLOW_MIN_SECONDS = 1.5
"""Least seconds left for :func:`cheap_bound` to add the flow relaxations."""


def cheap_bound(inst: Instance, seconds: float) -> int:
    """The cheap bounds at the start of a large solve: :func:`lower_bound`, and with more
    than :data:`FLOW_MIN_SECONDS` left (``seconds``) the better of it and the flow
    relaxation at spreads 1 and 0.5 (:func:`flow_lower_bound`).

    On 1 000 requests this takes about 2.3 s (the shares 0.7 s, each flow 0.7 s, measured
    December 2026), so with two or more workers the child process of the route bound
    computes it, not the search.
    """
    end = time.monotonic() + seconds
    shares = travel_shares2(inst)
    bound = lower_bound(inst, shares)
    for spread in (1.0, 0.5):
        if end - time.monotonic() > FLOW_MIN_SECONDS:
            bound = max(bound, flow_lower_bound(inst, shares, spread) or 0)
    return bound


def travel_shares2(inst: Instance) -> dict[tuple[int, int], int]:
    """Per (request, tour): twice a lower bound on the travel the visit adds to the tour.

    A tour's travel is split over its visits: an arc from or to the base goes wholly to its
    visit, an arc between two visits half to each. A visit's share is therefore at least
    ``min(base -> v, min over the tour's other candidates u of (u -> v) / 2)`` for the arc in,
    plus the same for the arc out.
    """
    import numpy as np

    m = inst.travel.minutes
    out: dict[tuple[int, int], int] = {}
    for t, opts in enumerate(inst.options_by_tour):
        if not opts:
            continue
        rs = [r for r, _ in opts]
        pts = np.array([inst.requests[r].point for r in rs])
        base = inst.tours[t].base
        sub = m[np.ix_(pts, pts)].astype(np.float64)
        np.fill_diagonal(sub, np.inf)
        best_in = np.minimum(2 * m[base, pts], sub.min(axis=0))
        best_out = np.minimum(2 * m[pts, base], sub.min(axis=1))
        for i, r in enumerate(rs):
            out[r, t] = int(best_in[i] + best_out[i])
    return out


def tour_visit_limits(inst: Instance) -> list[int]:
    """Per tour: at most how many visits it can hold (at least 1).

    The daily cap of its consultant, and how many of its candidates' shortest durations fit
    in the tour length minus the least a nonempty tour drives: the shortest round trip to a
    candidate when travel times obey the triangle inequality, otherwise the shortest drive
    out to a candidate plus the shortest drive back from one.
    """
    triangle = triangle_inequality_holds(inst)
    mins = inst.minutes
    out: list[int] = []
    for t, opts in enumerate(inst.options_by_tour):
        tinfo = inst.tours[t]
        length = tinfo.tour.end - tinfo.tour.start
        b = tinfo.base
        pts = [inst.requests[r].point for r, _ in opts]
        if triangle:
            least = min((mins[b][p] + mins[p][b] for p in pts), default=0)
        else:
            least = min((mins[b][p] for p in pts), default=0)
            least += min((mins[p][b] for p in pts), default=0)
        budget = length - least
        k = 0
        for d in sorted(inst.requests[r].duration for r, _ in opts):
            if budget < d:
                break
            budget -= d
            k += 1
        k = max(1, k)
        cap = inst.scenario.consultants[tinfo.consultant].max_visits_per_day
        out.append(k if cap is None else max(1, min(k, cap)))
    return out


def flow_lower_bound(
    inst: Instance,
    shares: dict[tuple[int, int], int] | None = None,
    spread: float = 0.0,
) -> int | None:
    """A proven lower bound from a min-cost flow relaxation (``None`` if it cannot be built).

    Each request (each role of a joint visit) is one unit of flow that either stays open
    (its unassigned cost) or goes to a (consultant, day) it could be served on, paying its
    waiting cost, continuity and the travel share of :func:`travel_shares2`; a
    (consultant, day) passes at most ``max_visits_per_day`` units and a consultant at most
    ``max_visits_per_week``. Dropped: tour lengths, the order of visits, one-to-one roles
    and joint visits' shared day. Costs are scaled and rounded down, so every plan maps to a
    flow of no larger cost and the flow optimum is a valid bound.

    With ``spread`` = ``s`` in ``(0, 1]`` (and travel times obeying the triangle inequality)
    a visit's travel cost is ``(1 - s) * share + s * round trip / k``: a tour drives at least
    the round trip to its farthest visit, which is at least the mean round trip of its at
    most ``k`` visits (``k``: the daily cap, or how many of its shortest visits fit).

    (About 100 lines: the network's nodes, arcs and scaled costs are built in one pass over
    the options; split up, the pieces would pass the same half-dozen tables around.)
    """
    from ortools.graph.python import min_cost_flow

    scale = 12
    shares = travel_shares2(inst) if shares is None else shares
    if spread and not triangle_inequality_holds(inst):
        spread = 0.0
    mins = inst.minutes
    max_visits = tour_visit_limits(inst)
    w = inst.scenario.weights
    mcf = min_cost_flow.SimpleMinCostFlow()
    n_req = len(inst.requests)
    n_units = sum(r.n_roles for r in inst.requests)
    source, sink = 0, 1
    nxt = 2
    unit_base: list[int] = []
    for r in inst.requests:
        unit_base.append(nxt)
        nxt += r.n_roles
    cd_node: dict[tuple[int, int], int] = {}
    for tour_info in inst.tours:
        if (tour_info.consultant, tour_info.day) not in cd_node:
            cd_node[tour_info.consultant, tour_info.day] = nxt
            nxt += 1
    c_node = {c: nxt + c for c in range(len(inst.scenario.consultants))}
    constant = 0
    big = n_units + 1
    for r in inst.requests:
        n = r.n_roles
        if not r.options:
            if r.request.pinned is not None:
                return None
            constant += scale * r.unassigned_cost
            continue
        needs_prev = bool(inst.scenario.youth(r.request.youth).previous_consultant)
        prev_can = r.previous is not None and any(
            inst.tours[o.tour].consultant == r.previous for o in r.options
        )
        for k in range(n):
            u = unit_base[r.index] + k
            mcf.add_arc_with_capacity_and_unit_cost(source, u, 1, 0)
            if r.request.pinned is None:
                mcf.add_arc_with_capacity_and_unit_cost(u, sink, 1, scale * r.unassigned_cost // n)
            best: dict[tuple[int, int], int] = {}
            for o in r.options:
                if k not in o.roles:
                    continue
                ti = inst.tours[o.tour]
                round_trip = mins[ti.base][r.point] + mins[r.point][ti.base]
                travel = (1 - spread) * shares[
                    r.index, o.tour
                ] / 2 + spread * round_trip / max_visits[o.tour]
                cost = scale * r.wait_cost[ti.day] // n + math.floor(
                    scale * w.travel_minute * travel + 1e-9
                )
                if needs_prev and w.continuity:
                    if n == 1 and ti.consultant != r.previous:
                        cost += scale * w.continuity
                    elif n > 1 and not prev_can:
                        cost += scale * w.continuity // n
                key = (ti.consultant, ti.day)
                if key not in best or cost < best[key]:
                    best[key] = cost
            for key, cost in best.items():
                mcf.add_arc_with_capacity_and_unit_cost(u, cd_node[key], 1, cost)
    for (c, _d), node in cd_node.items():
        cap = inst.scenario.consultants[c].max_visits_per_day
        mcf.add_arc_with_capacity_and_unit_cost(node, c_node[c], big if cap is None else cap, 0)
    for c, node in c_node.items():
        cap = inst.scenario.consultants[c].max_visits_per_week
        mcf.add_arc_with_capacity_and_unit_cost(node, sink, big if cap is None else cap, 0)
    supply = sum(r.n_roles for r in inst.requests if r.options)
    mcf.set_node_supply(source, supply)
    mcf.set_node_supply(sink, -supply)
    del n_req
    if mcf.solve() != mcf.OPTIMAL:
        return None
    return math.ceil((mcf.optimal_cost() + constant) / scale - 1e-9) + unavoidable_change(inst)


def window_cuts(
    inst: Instance, t: int, max_cuts: int = 150
) -> list[tuple[list[int], list[int], int]]:
    """Time-window packing cuts of tour ``t``: ``(requests, coefficients, rhs)`` triples.

    A visit of request ``v`` in the tour lies wholly inside ``[lo_v, hi_v + dur_v]`` (its
    option's range of starts, plus its duration). For a time span ``[A, B]``, the chosen
    visits ``S`` whose ranges lie in it are done one after another inside it, and between
    two consecutive ones the consultant first drives from the earlier one to its successor
    in the route, another visit of the tour: at least ``out_v``, the shortest drive from
    ``v`` to another candidate of the tour. Taken in time order ``v_1 .. v_k``,
    ``sum dur + sum_{i<k} out_{v_i} <= B - A``, so every plan keeps
    ``sum_{v in S} (dur_v + out_v) x_v <= B - A + max_{v in S} out_v`` (no triangle
    inequality needed). Returned: the cuts not implied by ``x <= 1``, one per distinct set
    with ``[A, B]`` its tightest span, at most ``max_cuts`` (those exceeding their right-hand
    side by the largest share).
    """
    opts = inst.options_by_tour[t]
    if len(opts) < 2:
        return []
    mins = inst.minutes
    pts = [inst.requests[r].point for r, _ in opts]
    rows: list[tuple[int, int, int, int, int]] = []  # (hi + dur, lo, request, coef, out)
    for i, (r, oi) in enumerate(opts):
        req = inst.requests[r]
        o = req.options[oi]
        row = mins[req.point]
        out = min(row[q] for j, q in enumerate(pts) if j != i)
        rows.append((o.hi + req.duration, o.lo, r, req.duration + out, out))
    rows.sort()
    found: dict[tuple[int, int], tuple[float, list[int], list[int], int]] = {}
    for a in sorted({row[1] for row in rows}):
        members = [row for row in rows if row[1] >= a]  # sorted by end
        total = 0
        max_out = 0
        lo = None
        for i, (end, start, _r, coef, out) in enumerate(members):
            total += coef
            max_out = max(max_out, out)
            lo = start if lo is None else min(lo, start)
            if i + 1 < len(members) and members[i + 1][0] == end:
                continue  # take every visit ending by ``end`` at once
            if i < 1:
                continue
            rhs = end - lo + max_out
            if total <= rhs or (lo, end) in found:
                continue
            chosen = members[: i + 1]
            found[lo, end] = (
                (total - rhs) / max(1, rhs),
                [m[2] for m in chosen],
                [m[3] for m in chosen],
                rhs,
            )
    best = sorted(found.values(), key=lambda c: -c[0])[:max_cuts]
    return [(rs, coefs, rhs) for _, rs, coefs, rhs in best]


def select_window_cuts(
    inst: Instance, budget: int = 100_000
) -> dict[int, list[tuple[list[int], list[int], int]]]:
    """Per tour, its strongest :func:`window_cuts`, at most ``budget`` coefficients in all.

    Taken in rounds (every tour's best cut, then every tour's second best, ...) so that the
    relaxation stays quick to build on big scenarios. Any subset of valid cuts is valid.
    """
    per_tour = {t: window_cuts(inst, t) for t in range(len(inst.tours))}
    out: dict[int, list[tuple[list[int], list[int], int]]] = {t: [] for t in per_tour}
    used = 0
    depth = max((len(c) for c in per_tour.values()), default=0)
    for i in range(depth):
        for t, cuts in per_tour.items():
            if i < len(cuts):
                if used + len(cuts[i][0]) > budget:
                    continue
                used += len(cuts[i][0])
                out[t].append(cuts[i])
    return out


RELAXATION_MAX_OPTIONS = 8_000
"""Above this many (request, tour) options the LP/MIP relaxation is not built (too slow)."""


class RelaxationBound:
    """The assignment relaxation as a MIP (or LP), solvable in a background thread.

    Call :meth:`run` (blocking, in any thread); :meth:`interrupt` stops it from another
    thread. :attr:`bound` is the proven bound afterwards (``None`` if none was found).
    """

    def __init__(self, inst: Instance, lp_only: bool = False, cut_budget: int = 100_000) -> None:
        from ortools.linear_solver import pywraplp

        self.inst = inst
        self.lp_only = lp_only
        self.cut_budget = cut_budget
        self.bound: int | None = None
        self._lock = threading.Lock()
        name = "GLOP" if lp_only else "SCIP"
        solver = pywraplp.Solver.CreateSolver(name)
        if solver is None:
            raise RuntimeError(f"{name} is not available in this OR-Tools build")
        self.solver = solver
        self._build()

    def _var(self, name: str) -> Any:
        return self.solver.NumVar(0, 1, name) if self.lp_only else self.solver.BoolVar(name)

    def _build(self) -> None:
        """Variables, constraints and objective of the relaxation, in one pass over the
        options (about 100 lines: its pieces share the same variable tables)."""
        inst, s = self.inst, self.solver
        scen = inst.scenario
        w = scen.weights
        mins = inst.minutes
        shares = travel_shares2(inst)
        triangle = triangle_inequality_holds(inst)
        obj_vars: list[Any] = []
        obj_coefs: list[float] = []
        const = 0
        x: dict[tuple[int, int], Any] = {}
        per_tour: dict[int, list[tuple[int, Any]]] = {}

        def add_obj(var: Any, coef: float) -> None:
            if coef:
                obj_vars.append(var)
                obj_coefs.append(coef)

        for r in inst.requests:
            const += r.unassigned_cost
            p = self._var(f"planned_{r.index}")
            add_obj(p, -r.unassigned_cost)
            if r.request.pinned is not None:
                s.Add(p == 1)
            if not r.options:
                s.Add(p == 0)
                continue
            needs_prev = bool(scen.youth(r.request.youth).previous_consultant)
            if needs_prev:
                add_obj(p, w.continuity)
            for o in r.options:
                v = self._var(f"serve_{r.index}_{o.tour}")
                x[r.index, o.tour] = v
                per_tour.setdefault(o.tour, []).append((r.index, v))
            by_c: dict[int, list[int]] = {}
            for o in r.options:
                by_c.setdefault(inst.tours[o.tour].consultant, []).append(o.tour)
            if r.n_roles == 1:
                s.Add(s.Sum([x[r.index, o.tour] for o in r.options]) == p)
                for o in r.options:
                    add_obj(x[r.index, o.tour], r.wait_cost[inst.tours[o.tour].day])
            else:
                roles_of: dict[int, set[int]] = {}
                for o in r.options:
                    roles_of.setdefault(inst.tours[o.tour].consultant, set()).update(o.roles)
                role_vars: dict[int, list[Any]] = {k: [] for k in range(r.n_roles)}
                for c, ks in roles_of.items():
                    zs = []
                    for k in sorted(ks):
                        z = self._var(f"role_{r.index}_{k}_{c}")
                        role_vars[k].append(z)
                        zs.append(z)
                    s.Add(s.Sum(zs) == s.Sum([x[r.index, t] for t in by_c[c]]))
                for k in range(r.n_roles):
                    s.Add(s.Sum(role_vars[k]) == p)
                days = sorted({inst.tours[o.tour].day for o in r.options})
                y = {d: self._var(f"day_{r.index}_{d}") for d in days}
                s.Add(s.Sum(list(y.values())) == p)
                for d in days:
                    add_obj(y[d], r.wait_cost[d])
                for _c, tours in by_c.items():
                    for d in days:
                        lits = [x[r.index, t] for t in tours if inst.tours[t].day == d]
                        if lits:
                            s.Add(s.Sum(lits) <= y[d])
            if needs_prev and r.previous is not None:
                for t in by_c.get(r.previous, []):
                    add_obj(x[r.index, t], -w.continuity)
        per_day: dict[tuple[int, int], list[Any]] = {}
        per_week: dict[int, list[Any]] = {}
        limits = tour_visit_limits(inst)
        cuts = select_window_cuts(inst, self.cut_budget)
        for t, lst in per_tour.items():
            ti = inst.tours[t]
            length = ti.tour.end - ti.tour.start
            travel = s.NumVar(0, length, f"travel_{t}")
            add_obj(travel, w.travel_minute)
            s.Add(2 * travel >= s.Sum([shares[ri, t] * v for ri, v in lst]))
            if triangle:
                trips = []
                for ri, v in lst:
                    pt = inst.requests[ri].point
                    trips.append((mins[ti.base][pt] + mins[pt][ti.base]) * v)
                    s.Add(travel >= trips[-1])
                # The farthest round trip is at least the mean of the (at most k) visits'.
                s.Add(limits[t] * travel >= s.Sum(trips))
            s.Add(s.Sum([inst.requests[ri].duration * v for ri, v in lst]) + travel <= length)
            xs = dict(lst)
            for members, coefs, rhs in cuts[t]:
                s.Add(s.Sum([c * xs[ri] for ri, c in zip(members, coefs, strict=True)]) <= rhs)
            for _r, v in lst:
                per_day.setdefault((ti.consultant, ti.day), []).append(v)
                per_week.setdefault(ti.consultant, []).append(v)
        for (c, _d), lits in per_day.items():
            cap = scen.consultants[c].max_visits_per_day
            if cap is not None:
                s.Add(s.Sum(lits) <= cap)
        for c, lits in per_week.items():
            cap = scen.consultants[c].max_visits_per_week
            if cap is not None:
                s.Add(s.Sum(lits) <= cap)
        Anyive = s.Objective()
        for var, coef in zip(obj_vars, obj_coefs, strict=True):
            Anyive.SetCoefficient(var, Anyive.GetCoefficient(var) + coef)
        Anyive.SetOffset(const)
        Anyive.SetMinimization()

    def run(self, seconds: float, seed: int = 0) -> int | None:
        """Solve for at most ``seconds``; returns (and stores) the proven bound."""
        from ortools.linear_solver import pywraplp

        s = self.solver
        s.SetTimeLimit(max(1, int(seconds * 1000)))
        if not self.lp_only:
            s.SetSolverSpecificParametersAsString(f"randomization/randomseedshift = {seed}\n")
        status = s.Solve()
        value: float | None = None
        if self.lp_only:
            if status == pywraplp.Solver.OPTIMAL:
                value = s.Objective().Value()
        elif status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            value = s.Objective().BestBound()
        if value is None or not math.isfinite(value):
            return None
        bound = max(0, math.ceil(value - 1e-6 * max(1.0, abs(value))))
        bound += unavoidable_change(self.inst)
        with self._lock:
            self.bound = bound
        return bound

    def interrupt(self) -> None:
        """Stop a running :meth:`run` soon (from another thread)."""
        self.solver.InterruptSolve()


def relaxation_bound(
    inst: Instance, seconds: float, lp_only: bool = False, seed: int = 0
) -> int | None:
    """The bound of :class:`RelaxationBound` (``None`` when too big or nothing proven)."""
    if sum(len(r.options) for r in inst.requests) > RELAXATION_MAX_OPTIONS:
        return None
    return RelaxationBound(inst, lp_only).run(seconds, seed)


__all__ = [
    "RelaxationBound",
    "flow_lower_bound",
    "lower_bound",
    "relaxation_bound",
    "travel_shares2",
]
