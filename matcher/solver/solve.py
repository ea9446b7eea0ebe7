"""Solving a scenario: the Python API used by the CLI and the Streamlit app.

>>> result = solve(scenario, SolveParams(time_limit=10))      # doctest: +SKIP
>>> print(result.summary())                                    # doctest: +SKIP

How a plan is found
-------------------
1. :func:`matcher.solver.model.prepare` prunes every request's candidate tours (skills, exclusions,
   pins, dates, opening hours, time of day, the drive from and back to the base).
2. Pinned requests are placed alone, exactly, with CP-SAT; if that is infeasible the pins
   clash and the result is ``infeasible`` (the clashing pins are named).
3. Cheapest insertion (:mod:`matcher.solver.search`) builds a feasible plan around them at once.
4. Small scenarios (at most :data:`FULL_MODEL_MAX_ARCS` arcs): a short adaptive
   large-neighbourhood search (ALNS), then the route bound (:mod:`matcher.solver.route_bound`),
   which often proves that plan optimal at once; otherwise the whole CP-SAT model
   (:func:`matcher.solver.model.build_model`) with that plan as a complete hint proves optimality
   or improves the plan and the bound.
5. Larger scenarios: ALNS until the time limit. Bounds: a min-cost-flow relaxation
   (:func:`matcher.solver.bounds.cheap_bound`; with two or more workers the child process
   below computes it, so the search need not wait for it), then the route bound
   (:mod:`matcher.solver.route_bound`, column generation over tour routes): in a child
   process next to the search with two or more workers (it is sent the search's better
   plans as columns), after the search with one worker. If the child cannot be started,
   the assignment relaxation runs as a SCIP MIP in a second thread instead.
6. With two or more workers the child also solves the route master with binary variables
   over its columns (:mod:`matcher.solver.route_master`): the best plan made of the routes
   the pricing found and the routes the search went through (every route of every state
   it accepted, :mod:`matcher.solver.route_pool`, sent at most once a second), which often
   combines the good tours of different plans; the search goes on from it when it is
   better. Once the generation has converged
   (a few seconds on weeks of up to about a hundred requests) the child runs a search of
   its own with another seed, and each search goes on from the other's better plans.
   With one worker neither is run (the columns depend on how far the wall-clock-limited
   generation got, so the plan would depend on the machine's speed).

The reported objective is always recomputed from the plan's visits
(:func:`matcher.solver.model.score`)
and equals the objective of ``FORMAT.md``; the bound is a proven lower bound.

Reproducibility: with one worker the search stops after a fixed amount of work and CP-SAT
after a fixed deterministic time, so the same seed gives the same plan (the wall-clock
limit stays a safety net and can cut a search short on a very slow machine; the result then
says so, :attr:`Result.clock_cut`, and its summary warns that the plan may differ elsewhere).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from matcher.scenario.domain import Plan, Scenario
from matcher.solver.assemble import GENERIC_REASON, _infeasible_plan, _reasons, assemble_plan
from matcher.solver.bounds import (
    RELAXATION_MAX_OPTIONS,
    RelaxationBound,
    cheap_bound,
    flow_lower_bound,
    lower_bound,
    relaxation_bound,
)
from matcher.solver.cp_lns import improve_neighbourhood, pick_neighbourhood
from matcher.solver.cpsat_run import _arc_estimate, _place_pins, _run_cpsat
from matcher.solver.model import (
    Assignment,
    Instance,
    add_hint,
    build_model,
    prepare,
    score,
)
from matcher.solver.progress import (
    Clock,
    Progress,
    ProgressCallback,
    Reporter,
    SolveParams,
    format_progress,
    relative_gap,
)
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_master import best_route_state
from matcher.solver.route_pool import RoutePool
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.search import SearchState, alns, keep_published, repair_greedy
from matcher.travel import TravelMatrix, build_travel_matrix

FULL_MODEL_MAX_ARCS = 6_000
"""Above this many arc literals the whole-problem model is replaced by neighbourhood search."""
ROUTE_BOUND_INLINE_MAX_OPTIONS = 30_000
"""With one worker the route bound runs after the search only up to this many options
(building its master alone takes about a second per 30 000)."""
ROUTE_BOUND_MIN_SECONDS = 2.0
"""The route bound's child process is started only with at least this much time left."""


@dataclass
class Result:
    """The outcome of :func:`solve`.

    Attributes
    ----------
    plan
        The plan document (see ``FORMAT.md``).
    status
        ``optimal``, ``feasible``, ``infeasible`` or ``unknown``.
    objective
        The plan's objective (recomputed from the visits), ``None`` when there is no plan.
    bound
        A proven lower bound on the objective, or ``None``.
    seconds
        Wall-clock seconds used.
    method
        ``cp-sat`` (one model) or ``lns`` (neighbourhood search).
    clock_cut
        With one worker: the wall-clock limit ended the neighbourhood search before its
        work budget, or the whole-model CP-SAT solve before its deterministic-time limit
        (a machine too slow or too busy for the limit), so the same seed may give another
        plan elsewhere (:data:`WORK_PER_SECOND`, :data:`EXACT_WORK_SHARE`).
    """

    plan: Plan
    status: str
    objective: int | None
    bound: int | None
    seconds: float
    method: str = "cp-sat"
    history: list[Progress] = field(default_factory=list)
    clock_cut: bool = False

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    def summary(self) -> str:
        """One paragraph for a planner: planned, travel, waiting, status, gap, seconds."""
        k = self.plan.kpis
        gap = self.gap
        gap_s = f"{100 * gap:.2f}%" if gap is not None else "n/a"
        lines = [
            f"status {self.status}, objective {self.objective}, bound {self.bound}, "
            f"gap {gap_s}, {self.seconds:.1f} s ({self.method})",
            f"assigned {k.get('assigned', 0)}, unassigned {k.get('unassigned', 0)}, "
            f"travel {k.get('travel_minutes', 0)} min, waiting mean "
            f"{k.get('mean_waiting_days', 0)} d / max {k.get('max_waiting_days', 0)} d",
        ]
        if self.clock_cut:
            lines.append(
                "one worker: the time limit ended the search before its work budget, so "
                "this seed may give another plan on another machine"
            )
        return "\n".join(lines)


class Solver:
    """A solve that can be stopped from another thread.

    >>> s = Solver(scenario, SolveParams(time_limit=30))       # doctest: +SKIP
    >>> threading.Thread(target=s.run).start(); ...; s.stop()  # doctest: +SKIP
    >>> s.result                                               # doctest: +SKIP
    """

    def __init__(
        self,
        scenario: Scenario,
        params: SolveParams | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.scenario = scenario
        self.params = params or SolveParams()
        if self.params.stop is None:
            self.params.stop = threading.Event()
        self.on_progress = on_progress
        self.result: Result | None = None

    def stop(self) -> None:
        """Ask the running solve to stop; it returns its best plan soon after."""
        assert self.params.stop is not None
        self.params.stop.set()

    def run(self) -> Result:
        self.result = solve(self.scenario, self.params, self.on_progress)
        return self.result


# --------------------------------------------------------------------------------------
# solve()
# --------------------------------------------------------------------------------------


WORK_PER_SECOND = 250_000
"""Search work units (insertion positions examined) per second, measured conservatively
(with a second solve running on the 2-core development machine, December 2026: about
500 000 on a generated week of 300 requests, 380 000 on one of 80 with joint visits).

With one worker the neighbourhood search stops after ``WORK_PER_SECOND * seconds`` units
instead of at a wall-clock time, so the same seed gives the same plan on any machine (the
wall-clock limit still applies as a safety net)."""
EXACT_WORK_SHARE = 0.4
"""With one worker the whole-model CP-SAT solve of a small week stops after this share of
the time limit in deterministic time (CP-SAT's reproducible work measure)."""


def solve(
    scenario: Scenario,
    params: SolveParams | None = None,
    on_progress: ProgressCallback | None = None,
    travel: TravelMatrix | None = None,
) -> Result:
    """Plan ``scenario``: a feasible plan within ``params.time_limit`` seconds.

    Parameters
    ----------
    scenario
        The planning problem.
    params
        Time limit, workers, seed, logging, stop event.
    on_progress
        Called (from the solving thread) whenever the best plan or the bound improves.
    travel
        A precomputed travel matrix (built from the scenario when omitted).

    Returns
    -------
    Result
        The plan with status, objective, bound and seconds. Status ``infeasible`` means
        the pins (with the hard rules) cannot all hold; the plan then has no visits and the
        pinned requests that clash carry the reasons.
    """
    params = params or SolveParams()
    clock = Clock(params)
    reporter = Reporter(clock, on_progress)
    tm = travel if travel is not None else build_travel_matrix(scenario)
    inst = prepare(scenario, tm)
    margin = min(0.3 + 0.002 * len(inst.requests), 0.2 * params.time_limit)
    run = _Solve(scenario, inst, tm, params, clock, reporter, params.time_limit - margin)
    # 1. Pins first: place them alone (exactly), or show that they clash.
    pins = _place_pins(inst, max(0.1, min(2.0, 0.3 * run.deadline)), params.seed)
    if pins is None:
        return run.infeasible()
    # 2. A first plan at once by cheapest insertion around the pins.
    run.first_plan(pins)
    if _arc_estimate(inst) <= FULL_MODEL_MAX_ARCS:
        if not run.small():
            return run.infeasible()
    elif run.best is not None:
        run.large()
    return run.finish()


@dataclass
class _Solve:
    """One call of :func:`solve`: its instance, clock and reporter, and the best plan so far
    (``best``, ``status``, ``bound``, ``method``) as the steps improve it."""

    scenario: Scenario
    inst: Instance
    tm: TravelMatrix
    params: SolveParams
    clock: Clock
    reporter: Reporter
    deadline: float
    """Elapsed seconds by which the search steps end (the limit less a margin to finish)."""
    state: SearchState | None = None
    best: list[Assignment] | None = None
    status: str = "unknown"
    bound: int | None = None
    method: str = "cp-sat"
    clock_cut: bool = False
    """One worker: the wall clock, not the work budget, ended a search (:class:`Result`)."""

    @property
    def deterministic(self) -> bool:
        """One worker (or asked for): fixed amounts of work, so a seed gives one plan."""
        return self.params.deterministic or self.params.workers <= 1

    def infeasible(self) -> Result:
        plan = _infeasible_plan(self.inst, self.clock, self.tm)
        return Result(
            plan, "infeasible", None, None, self.clock.elapsed(), self.method, self.reporter.history
        )

    def first_plan(self, pins: list[Assignment]) -> None:
        """Cheapest insertion around the pins, keeping the published visits first."""
        inst = self.inst
        state = self.state = SearchState.from_assignments(inst, pins)
        keep_published(state)  # re-planning: start from what staff already have
        repair_greedy(state, [r.index for r in inst.requests if r.index not in state.assign])
        pins_ok = all(
            r.index in state.assign for r in inst.requests if r.request.pinned is not None
        )
        self.best = state.assignments() if pins_ok else None
        if self.best is not None:
            self.reporter.update(objective=score(inst, self.best).total, assigned=len(self.best))
        self.status = "feasible" if self.best is not None else "unknown"

    def small(self) -> bool:
        """3a. A short neighbourhood search, then the whole model exactly with that plan as
        hint; CP-SAT proves optimality or gives its bound. ``False``: the model is
        infeasible."""
        inst, clock, params, deadline = self.inst, self.clock, self.params, self.deadline
        assert self.state is not None
        if self.best is not None and len(inst.requests) > 1:
            n_iter = 30 * len(inst.requests)
            search_end = clock.elapsed() + 0.25 * max(0.0, deadline - clock.elapsed())

            def short_stop(it: int) -> bool:
                if it >= n_iter or clock.stopped():
                    return True
                if clock.elapsed() >= search_end:
                    self.clock_cut = self.deterministic
                    return True
                return False

            found = alns(
                self.state,
                random.Random(params.seed),
                short_stop,
                lambda st, cost: self.reporter.update(objective=cost, assigned=len(st.assign)),
            )
            self.best = found.assignments()
        # The route bound often proves the search's plan optimal at once (then CP-SAT is
        # skipped, except with one worker, where it still runs so the plan stays the same
        # whatever the timing).
        proven = False
        budget = min(0.15 * params.time_limit, deadline - clock.elapsed() - 0.5)
        if self.best is not None and budget > 0.05 and not clock.stopped():
            rb = _route_bound_inline(inst, self.best, clock, self.reporter, seconds=budget)
            if rb.converged and not self.deterministic:
                self._route_master(rb, min(0.1 * params.time_limit, deadline - clock.elapsed()))
            if (got := rb.bound) is not None:
                self.bound = got
                proven = got >= score(inst, self.best).total
        left = deadline - clock.elapsed()
        if proven and not self.deterministic:
            self.status = "optimal"
        elif left > 0.05 and not clock.stopped() and not self._exact(left):
            return False
        if self.status != "optimal" and self.best is not None and not clock.stopped():
            # CP-SAT could not prove optimality: add the cheap relaxations' bounds.
            cheap = max(lower_bound(inst), flow_lower_bound(inst, spread=1.0) or 0)
            if clock.elapsed() < deadline - 0.2:
                cheap = max(cheap, relaxation_bound(inst, 0.2, lp_only=True) or 0)
            self.bound = _stronger(self.bound, cheap)
        return True

    def _route_master(self, rb: RouteBound, seconds: float) -> None:
        """Take the best plan made of the route bound's columns if it is better (not with
        one worker: the columns depend on how far the generation got in its time)."""
        assert self.best is not None
        if seconds < 0.1 or self.clock.stopped():
            return
        found = best_route_state(rb, seconds, self.best, seed=self.params.seed)
        if found is not None and (cost := found.total()) < score(self.inst, self.best).total:
            self.best = found.assignments()
            self.reporter.update(objective=cost, assigned=len(found.assign))

    def _exact(self, left: float) -> bool:
        """The whole CP-SAT model with the best plan as hint; ``False`` when infeasible."""
        inst, params = self.inst, self.params
        pm = build_model(inst)
        if self.best is not None:
            add_hint(pm, self.best)
        # One worker: a work limit (deterministic time) so the same seed gives the same plan.
        det = EXACT_WORK_SHARE * params.time_limit if self.deterministic else None
        run = _run_cpsat(pm, left, params, self.reporter, seed=params.seed, deterministic_time=det)
        self.clock_cut = self.clock_cut or run.clock_cut
        if run.status == "infeasible":
            return False
        if run.assignments is not None:
            best = self.best
            if best is None or score(inst, run.assignments).total <= score(inst, best).total:
                self.best = run.assignments
            self.status = "optimal" if run.status == "optimal" else "feasible"
            self.bound = _stronger(self.bound, run.bound)
        return True

    def large(self) -> None:
        """3b. Adaptive large-neighbourhood search. Bounds: the flow relaxation at once,
        then the route bound (a child process next to the search with two or more workers,
        after the search with one), or the assignment relaxation when the child cannot be
        started."""
        inst, clock, deadline = self.inst, self.clock, self.deadline
        assert self.best is not None and self.state is not None
        self.method = "alns"
        # With a child process the cheap bounds are its first task (about 2.3 s on 1 000
        # requests that the search would otherwise wait for); without one they are computed
        # here.
        route_proc = self._route_process()
        bound: int | None = None
        if route_proc is None:
            bound = cheap_bound(inst, deadline - clock.elapsed())
            self.reporter.update(bound=bound)
        n_options = sum(len(r.options) for r in inst.requests)
        relax = None
        if route_proc is None and not self.deterministic and n_options <= RELAXATION_MAX_OPTIONS:
            relax = _RelaxationThread(inst, self.reporter, deadline - clock.elapsed(), self.params)
        stop = _SearchStop(self, route_proc, score(inst, self.best).total)
        polish = _polisher(clock, deadline, self.deterministic, self._clock_was_cut)
        found = alns(
            self.state,
            random.Random(self.params.seed),
            stop,
            stop.improved,
            polish,
            stop.incoming,
            stop.accepted if route_proc is not None else None,
        )
        self.best = found.assignments()
        if route_proc is not None:
            got = route_proc.stop(wait=max(0.05, min(0.3, deadline - clock.elapsed())))
            bound = _stronger(_stronger(bound, got), stop.fallback_bound)
        if relax is not None:
            bound = _stronger(bound, relax.join(clock, deadline))
        if (
            self.deterministic
            and n_options <= ROUTE_BOUND_INLINE_MAX_OPTIONS
            and deadline - clock.elapsed() > 0.2
            and not clock.stopped()
        ):
            # One worker: the route bound gets the time the search left, seeded with its plan.
            got = _route_bound_inline(inst, self.best, clock, self.reporter, until=deadline).bound
            bound = _stronger(bound, got)
        self.bound = bound

    def _clock_was_cut(self) -> None:
        self.clock_cut = True

    def _route_process(self) -> RouteBoundProcess | None:
        """The route bound in a child process (not with one worker, not when time is short)."""
        clock, deadline = self.clock, self.deadline
        if self.deterministic or deadline - clock.elapsed() <= ROUTE_BOUND_MIN_SECONDS:
            return None
        assert self.best is not None
        try:
            return RouteBoundProcess(
                self.scenario,
                self.tm,
                self.best,
                max(0.1, deadline - clock.elapsed() - 0.3),
                seed=self.params.seed + 1,
                cheap_bound=True,
            )
        except (OSError, RuntimeError, ValueError):
            return None

    def finish(self) -> Result:
        """The plan of the best assignments, with reasons for the requests left open."""
        inst, clock, best, status, bound = self.inst, self.clock, self.best, self.status, self.bound
        if best is None:
            plan = assemble_plan(inst, [], status, None, clock.elapsed(), with_objective=False)
            return Result(
                plan, status, None, None, clock.elapsed(), self.method, self.reporter.history
            )
        total = score(inst, best).total
        if bound is not None and bound >= total:
            status, bound = "optimal", total
        planned = {a.request for a in best}
        missing = [r.request.id for r in inst.requests if r.index not in planned]
        reasons: dict[str, list[str]] = {}
        if missing:
            pre = assemble_plan(inst, best, status, bound, clock.elapsed())
            reasons = _reasons(self.scenario, pre.visits, self.tm, missing)
        plan = assemble_plan(inst, best, status, bound, clock.elapsed(), reasons)
        return Result(
            plan,
            status,
            plan.solver.objective,
            plan.solver.bound,
            clock.elapsed(),
            self.method,
            self.reporter.history,
            self.clock_cut,
        )


def _stronger(bound: int | None, got: int | None) -> int | None:
    """The higher of two lower bounds, either of which may be unknown (``None``)."""
    if got is None:
        return bound
    return got if bound is None else max(bound, got)


class _SearchStop:
    """The large search's stop rule and improvement hook: stop at the deadline, on the
    stop event, when the route bound proves the plan optimal, or (one worker) after the
    work budget; send better plans to the route bound at most once a second."""

    def __init__(self, run: _Solve, route_proc: RouteBoundProcess | None, incumbent: int):
        self.run = run
        self.route_proc = route_proc
        self.incumbent = incumbent
        self.last_sent = run.clock.elapsed()
        self.pool = RoutePool()
        self._routes_sent = run.clock.elapsed()
        # With one worker the search stops after a fixed amount of work (reproducible).
        self.work_budget = WORK_PER_SECOND * max(0.0, 0.7 * run.params.time_limit - 0.5)
        self.fallback_bound: int | None = None
        """The cheap bounds computed here because the child ended without sending any."""

    def _child_lost(self) -> None:
        """The child process ended before its first bound (killed, out of memory): the
        search computes the cheap bounds itself, once, if there is time for them, and
        goes on without the child."""
        run = self.run
        self.route_proc = None
        left = run.deadline - run.clock.elapsed()
        if left > CHILD_LOST_MIN_SECONDS:
            self.fallback_bound = cheap_bound(run.inst, left - CHILD_LOST_MIN_SECONDS)
            run.reporter.update(bound=self.fallback_bound)

    def __call__(self, _it: int) -> bool:
        run = self.run
        proc = self.route_proc
        if proc is not None:
            got = proc.poll()
            if got is not None:
                run.reporter.update(bound=got)
                if got >= self.incumbent:
                    return True  # the plan is proven optimal
            elif proc.done:
                self._child_lost()
        if run.clock.stopped():
            return True
        assert run.state is not None
        if run.deterministic and run.state.work[0] >= self.work_budget:
            return True
        if run.clock.elapsed() >= run.deadline:
            run.clock_cut = run.deterministic
            return True
        return False

    def incoming(self) -> SearchState | None:
        """The best plan the route bound's integer master sent since the last call, if it
        beats the incumbent (the search then goes on from it)."""
        if self.route_proc is None:
            return None
        best: SearchState | None = None
        for plan in self.route_proc.take_plans():
            st = SearchState.from_assignments(self.run.inst, plan)
            if st.total() < (self.incumbent if best is None else best.total()):
                best = st
        return best

    def accepted(self, st: SearchState) -> None:
        """Pool the new routes of a state the search accepted; send them to the route
        bound at most once a second (they become columns of its integer master)."""
        self.pool.add(st)
        now = self.run.clock.elapsed()
        proc = self.route_proc
        if proc is not None and now - self._routes_sent >= 1.0 and (found := self.pool.take()):
            proc.offer_routes(found)
            self._routes_sent = now

    def improved(self, st: SearchState, cost: int) -> None:
        run = self.run
        self.incumbent = cost
        run.reporter.update(objective=cost, assigned=len(st.assign))
        if self.route_proc is not None and run.clock.elapsed() - self.last_sent >= 1.0:
            self.route_proc.offer_plan(st.assignments())
            self.last_sent = run.clock.elapsed()


class _RelaxationThread:
    """The assignment relaxation (a SCIP MIP) in a second thread, reporting its bound."""

    def __init__(self, inst: Instance, reporter: Reporter, left: float, params: SolveParams):
        self.relax = RelaxationBound(inst)
        seconds = max(0.1, left - 0.2)

        def run_relaxation() -> None:
            got = self.relax.run(seconds, params.seed)
            if got is not None:
                reporter.update(bound=got)

        self.thread = threading.Thread(target=run_relaxation, daemon=True)
        self.thread.start()

    def join(self, clock: Clock, deadline: float) -> int | None:
        """Wait for it until the deadline (interrupted when stopped); its bound, if any."""
        if clock.stopped() or clock.elapsed() >= deadline - 0.2:
            self.relax.interrupt()
        self.thread.join(max(0.05, deadline - clock.elapsed()))
        if self.thread.is_alive():
            self.relax.interrupt()
            self.thread.join(0.5)
        return self.relax.bound


CHILD_LOST_MIN_SECONDS = 1.0
"""With less time left the search does not make up for a lost child's cheap bounds. Their
first part (the shares and :func:`~matcher.solver.bounds.lower_bound`) has no time limit
and takes about 0.7 s on 1 000 requests on the development machine, so on a slower one a
child lost that late on such a week can make the search end after its deadline."""

POLISH_SECONDS = 0.3
"""CP-SAT (deterministic) time for one exact re-optimisation of a neighbourhood."""


def _polisher(
    clock: Clock, deadline: float, deterministic: bool, on_clock_cut: Callable[[], None]
) -> Callable[[SearchState, random.Random], SearchState | None]:
    """The search's exact step: a neighbourhood of one or two days solved with CP-SAT.

    Its time is counted in the search's work measure, so with one worker the search stays
    reproducible and within its budget; ``on_clock_cut`` is called when the wall-clock
    safety net, not that work limit, ended a step (the plan may then differ elsewhere).
    """

    def polish(st: SearchState, rng: random.Random) -> SearchState | None:
        if not deterministic and deadline - clock.elapsed() < 2 * POLISH_SECONDS:
            return None
        tours = pick_neighbourhood(st, rng)
        got = improve_neighbourhood(
            st, tours, POLISH_SECONDS, rng.randrange(1 << 30), deterministic
        )
        # CP-SAT's deterministic time (reproducible, at most POLISH_SECONDS), not the
        # limit: most neighbourhoods of a large week solve in milliseconds.
        st.work[0] += int(WORK_PER_SECOND * got.deterministic_time)
        if got.clock_cut:
            on_clock_cut()
        return None if got.plan is None else SearchState.from_assignments(st.inst, got.plan)

    return polish


def _route_bound_inline(
    inst: Instance,
    plan: list[Assignment],
    clock: Clock,
    reporter: Reporter,
    *,
    seconds: float | None = None,
    until: float | None = None,
) -> RouteBound:
    """Run the route bound here, seeded with ``plan``, reporting each better bound; returns
    it (its ``bound``, ``converged`` and columns).

    It runs for ``seconds``, or up to elapsed time ``until`` (counted after its master is
    built), and stops early when the stop event is set.
    """
    rb = RouteBound(inst, plan)
    left = until - clock.elapsed() if until is not None else (seconds or 0.0)

    def watch() -> None:
        if clock.stop is not None and clock.stop.wait(max(0.0, left)):
            rb.interrupt()

    threading.Thread(target=watch, daemon=True).start()
    rb.run(left, on_bound=lambda b: reporter.update(bound=b))
    return rb


__all__ = [
    "GENERIC_REASON",
    "Progress",
    "ProgressCallback",
    "Result",
    "SolveParams",
    "Solver",
    "assemble_plan",
    "format_progress",
    "solve",
]
