"""A peer for the benchmark: PyVRP 0.14 (``pyvrp==0.14.1``) on the same scenario.

:func:`solve_with_pyvrp` translates a :class:`~matcher.scenario.domain.Scenario` into PyVRP problem
data, solves it, converts PyVRP's best solution back into a matcher
:class:`~matcher.scenario.domain.Plan` and scores that plan with the independent checker
(:func:`matcher.checker.check_plan`), so every solver is judged by the objective of
``FORMAT.md``. Unlike :mod:`bench.vroom_peer`, PyVRP sees the *whole* objective: travel,
waiting, continuity, the unassigned cost and (with ``published``) the change cost, so the
PyVRP cost of a solution plus a constant offset (:attr:`PyvrpProblem.offset`) is exactly
the checker's objective of the plan read back from it.

Translation
-----------
- **Vehicle types**: one per tour (a consultant's availability window on one day), one
  vehicle each, starting and ending at the consultant's base (one depot per consultant);
  the shift ``tw_early``/``tw_late`` is the tour window in absolute minutes
  ``day_index * 1440 + minutes since midnight``.
- **Clients**: every request is copied once per allowed start window: the intersection of
  one allowed day (a planning day inside ``earliest``/``latest``, not before the youth's
  ``signalled_on``, not before ``now``), the location's opening window of that day and
  ``time_of_day``, its end shrunk by the duration (:func:`bench.vroom_peer.start_windows`;
  a pin's date and start narrow it). A copy is an optional client with
  ``service_duration = duration_minutes`` and that window as ``tw_early``/``tw_late``
  (PyVRP's windows bound the service start). The copies of one request form one mutually
  exclusive client group (``ClientGroup(required=False)``: at most one copy is visited); a
  request with a single copy needs no group.
- **Prizes**: a copy's prize is the unassigned cost ``weights.unassigned * urgency factor``
  *minus* the waiting cost of its day ``weights.waiting_day * urgency factor * days since
  signalled_on``. PyVRP charges the prize of every copy that is not visited, so among the
  copies of a group visiting copy *c* costs exactly its waiting cost more than leaving the
  request out would save, that is, PyVRP pays the waiting cost on the arc into the copy
  (see *Why prizes* below). Copies whose waiting costs at least the unassigned cost are
  left out: visiting them can never pay.
- **Routing profiles** carry skills, exclusions, pins and continuity. Each copy of a request
  sits at the request's own PyVRP location (the youth's coordinates; copies of one request
  share it). A consultant's profile gives every arc the scenario's travel minutes
  (:func:`matcher.travel.build_travel_matrix`) as duration and ``travel_minute * minutes``
  as distance (= cost, ``unit_distance_cost = 1``), plus ``weights.continuity`` on every
  arc into a request whose youth has a ``previous_consultant`` other than this consultant.
  Arcs into a request the consultant may not serve (a missing skill of its role, an
  exclusion, a pin to someone else) get the prohibitive distance and duration
  :data:`FORBIDDEN`, so that consultant's tours cannot reach it. Consultants whose arcs
  would be identical share a profile. Allowed days need no profile: a copy's time window
  lies on its day, so only the tours of that day can serve it.
- **Pins**: a pinned request may only be served by its consultant (profiles) at its date
  and start (windows), and its group (or single copy) is *required*.
- **Daily cap**: a vehicle-type capacity ``[cap]`` with ``delivery = [1]`` on every copy.
  PyVRP's capacity is per vehicle (= per tour) while ``max_visits_per_day`` is per
  consultant per day: with one tour that day the cap is exact; with several tours on one
  day it is split over them in proportion to their length, as in :mod:`bench.vroom_peer`
  (conservative: the plan keeps the cap, PyVRP may lose a little; the split is listed in
  the notes).
- **Re-planning** (``now``, ``published``): windows start no earlier than ``now``. A
  published visit that may still be kept gets one extra copy at its own location, reachable
  only by its consultant, at exactly its date and start, whose prize is ``weights.change``
  higher; a published visit that started before ``now`` is that one copy, required.

Why prizes
    The issue asks for the waiting cost "on the arcs into each copy". That needs one
    location per copy in every profile, so the matrices grow with the square of the number
    of copies (about five per request) times the number of profiles. Because exactly one arc
    enters a visited copy, a cost on every arc into the copy is the same as that cost taken
    off the copy's prize: every solution's PyVRP cost changes by the same constant, so the
    two models have the same optima and the same move evaluations. The continuity cost does
    depend on the consultant and stays on the arcs.

What PyVRP cannot express: joint visits (two consultants at one visit) and weekly caps (a
resource spanning several vehicles). :func:`inexpressible` names them, and also a problem
whose matrices would exceed ``max_matrix_bytes``: PyVRP keeps one full distance and one
full duration matrix (``int64``) per routing profile, so a week with many distinct
consultants (a 1 000-request week has about 180 profiles over 1 200 locations, 4 GB) does
not fit on a shared machine. The benchmark only compares on scenarios without them.

Solving and threads
-------------------
PyVRP 0.14's solver (``pyvrp.solve``: iterated local search with late acceptance; earlier
releases used a hybrid genetic search) runs in **one thread**. :func:`solve_with_pyvrp`
therefore runs ``processes`` independent searches with consecutive seeds in separate
processes at once (one per core; the benchmark passes its worker count, 2) and keeps the
best feasible solution. Each search stops at a wall-clock deadline ``time_limit`` seconds
after :func:`solve_with_pyvrp` was called (a stopping criterion like PyVRP's
``MaxRuntime``, which would only count the search loop), so building the data, starting
the processes and PyVRP's initial local search count against the same limit as our
solver's model building does; only PyVRP's initial local search cannot be interrupted.

Reading back
------------
Every visited copy becomes a :class:`~matcher.scenario.domain.Visit` of its request by the tour's
consultant on the tour's date, starting at PyVRP's service start
(``ScheduledActivity.start_time``). PyVRP schedules each route with the same durations the
checker uses and starts service at ``max(arrival, tw_early)``, so a route without time
warp already satisfies the checker's tour rules; the starts are used as they are (not
recomputed). Requests not visited are unassigned with a reason.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyvrp

from bench.vroom_peer import start_windows, tour_caps
from matcher.checker import CheckReport, check_plan
from matcher.scenario.domain import (
    DAY_MINUTES,
    Plan,
    Request,
    Scenario,
    SolverInfo,
    Tour,
    Unassigned,
    Visit,
    base_point,
)
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = [
    "FORBIDDEN",
    "MAX_MATRIX_BYTES",
    "NOT_PLANNED",
    "NO_CONSULTANT",
    "NO_WINDOW",
    "Copy",
    "PyvrpProblem",
    "PyvrpResult",
    "build_problem",
    "inexpressible",
    "matrix_bytes",
    "solve_with_pyvrp",
]

NOT_PLANNED = "not planned by PyVRP"
NO_WINDOW = "not planned by PyVRP: no allowed day and time for the visit"
NO_CONSULTANT = "not planned by PyVRP: no consultant may serve it"
FORBIDDEN = 10**8
"""Distance and duration of an arc into a request the profile's consultant may not serve
(far above any prize, far below PyVRP's ``MAX_VALUE``)."""
MAX_MATRIX_BYTES = 1 << 30
"""Default limit on the bytes of PyVRP's matrices of one problem (1 GiB)."""


def _qualified(scenario: Scenario, request: Request) -> set[str]:
    """Consultants who may serve a single-role request: skills, no exclusion, the pin."""
    youth = scenario.youth(request.youth)
    out = {
        c.id
        for c in scenario.consultants
        if c.has_skills(request.roles[0]) and c.id not in youth.excluded_consultants
    }
    if request.pinned is not None:
        out &= set(request.pinned.consultants)
    return out


@dataclass(frozen=True)
class Copy:
    """One client of the PyVRP problem: a request at one allowed start window.

    Attributes
    ----------
    request
        The request.
    date
        The planning day of the window.
    lo, hi
        Service-start window in absolute minutes (``day_index * 1440 + minutes``).
    waiting
        The waiting cost of a visit on ``date``.
    keeps_published
        Whether this is the copy that keeps the request's published visit.
    """

    request: Request
    date: dt.date
    lo: int
    hi: int
    waiting: int
    keeps_published: bool = False


@dataclass
class _Place:
    """A PyVRP location of copies: a request's location or a published visit's."""

    point: int  # index in the travel matrix
    request: Request
    allowed: set[str]
    copies: list[int] = field(default_factory=list)


def _now_minute(scenario: Scenario) -> int | None:
    """``now`` in absolute minutes of the planning days (``None`` without ``now``)."""
    if scenario.now is None:
        return None
    day = scenario.now.date()
    minute = scenario.now.hour * 60 + scenario.now.minute
    for d, date in enumerate(scenario.days):
        if date == day:
            return d * DAY_MINUTES + minute
        if date > day:
            return d * DAY_MINUTES
    return len(scenario.days) * DAY_MINUTES


def _plan_copies(
    scenario: Scenario,
) -> tuple[list[tuple[Request, list[Copy], Copy | None]], list[str]]:
    """Every single-role request with its ordinary copies and its keep-published copy."""
    w = scenario.weights
    now = _now_minute(scenario)
    day_index = {day: d for d, day in enumerate(scenario.days)}
    out: list[tuple[Request, list[Copy], Copy | None]] = []
    without: list[str] = []
    for r in scenario.requests:
        youth = scenario.youth(r.youth)
        per_day = w.waiting_day * scenario.urgency_factors[youth.urgency]

        def waiting(
            day: dt.date, per_day: int = per_day, since: dt.date = youth.signalled_on
        ) -> int:
            return per_day * max(0, (day - since).days)

        windows = start_windows(scenario, r)
        pub = scenario.published_visit(r.id)
        keep: Copy | None = None
        if pub is not None and pub.date in day_index:
            at = day_index[pub.date] * DAY_MINUTES + pub.start
            if scenario.forced(r.id) is not None or any(lo <= at <= hi for lo, hi in windows):
                keep = Copy(r, pub.date, at, at, waiting(pub.date), keeps_published=True)
        copies: list[Copy] = []
        if scenario.forced(r.id) is None:
            for lo, hi in windows:
                if now is not None:
                    lo = max(lo, now)
                if lo <= hi:
                    day = scenario.days[lo // DAY_MINUTES]
                    copies.append(Copy(r, day, lo, hi, waiting(day)))
        if copies or keep is not None:
            out.append((r, copies, keep))
        else:
            without.append(r.id)
    return out, without


def _profile_signatures(
    scenario: Scenario, places: Sequence[_Place], consultants: Sequence[str], n_bases: int
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Per consultant: (forbidden locations, locations with a continuity cost)."""
    sigs = []
    for cid in consultants:
        forbidden = frozenset(n_bases + i for i, p in enumerate(places) if cid not in p.allowed)
        cont = frozenset(
            n_bases + i
            for i, p in enumerate(places)
            if (prev := scenario.youth(p.request.youth).previous_consultant) is not None
            and prev != cid
        )
        sigs.append((forbidden, cont))
    return sigs


@dataclass
class _Layout:
    """What the PyVRP problem is made of, before any matrix is built."""

    tours: list[Tour]
    consultants: list[str]  # consultants with at least one tour, in scenario order
    places: list[_Place]
    copies: list[Copy]
    required: set[str]  # requests that must be planned (pins, forced published visits)
    without_window: list[str]
    signatures: list[tuple[frozenset[int], frozenset[int]]]
    profile_of: list[int]  # per consultant in ``consultants``
    n_profiles: int

    @property
    def n_locations(self) -> int:
        return len(self.consultants) + len(self.places)


def _layout(scenario: Scenario, tm: TravelMatrix) -> _Layout:
    tours = scenario.tours()
    consultants = [c.id for c in scenario.consultants if any(t.consultant == c.id for t in tours)]
    planned, without = _plan_copies(scenario)
    places: list[_Place] = []
    copies: list[Copy] = []
    required: set[str] = set()
    for r, ordinary, keep in planned:
        point = tm.index(scenario.location_of(r).id)
        allowed = _qualified(scenario, r)
        if r.pinned is not None or scenario.forced(r.id) is not None:
            required.add(r.id)
        if ordinary:
            place = _Place(point, r, allowed)
            for c in ordinary:
                place.copies.append(len(copies))
                copies.append(c)
            places.append(place)
        if keep is not None:
            pub = scenario.published_visit(r.id)
            assert pub is not None
            place = _Place(point, r, allowed & set(pub.consultants))
            place.copies.append(len(copies))
            copies.append(keep)
            places.append(place)
    sigs = _profile_signatures(scenario, places, consultants, len(consultants))
    ids: dict[tuple[frozenset[int], frozenset[int]], int] = {}
    profile_of = [ids.setdefault(s, len(ids)) for s in sigs]
    return _Layout(
        tours, consultants, places, copies, required, without, sigs, profile_of, len(ids)
    )


def matrix_bytes(scenario: Scenario, travel: TravelMatrix | None = None) -> tuple[int, int, int]:
    """``(bytes, profiles, locations)`` of PyVRP's distance and duration matrices.

    PyVRP holds one ``int64`` distance and one duration matrix over all locations per
    routing profile.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    lay = _layout(scenario, tm)
    n = lay.n_locations
    return 2 * 8 * lay.n_profiles * n * n, lay.n_profiles, n


def inexpressible(
    scenario: Scenario,
    travel: TravelMatrix | None = None,
    *,
    max_matrix_bytes: int | None = MAX_MATRIX_BYTES,
) -> list[str]:
    """What in ``scenario`` PyVRP cannot express (empty when it can express all of it).

    Joint visits and weekly caps cannot be expressed; pins, daily caps (see the module
    docstring), ``now`` and published visits can. With ``max_matrix_bytes`` set, a problem
    whose matrices would need more memory than that is refused too.
    """
    out: list[str] = []
    joint = sum(1 for r in scenario.requests if r.is_joint)
    if joint:
        out.append(f"{joint} joint visit(s)")
    weekly = sum(1 for c in scenario.consultants if c.max_visits_per_week is not None)
    if weekly:
        out.append(f"{weekly} weekly cap(s)")
    if not out and max_matrix_bytes is not None:
        size, profiles, locations = matrix_bytes(scenario, travel)
        if size > max_matrix_bytes:
            out.append(
                f"its {profiles} routing profiles over {locations} locations "
                f"({size / 2**30:.1f} GiB of matrices, limit {max_matrix_bytes / 2**30:.1f} GiB)"
            )
    return out


@dataclass
class PyvrpProblem:
    """PyVRP problem data plus what is needed to read a solution back.

    Attributes
    ----------
    data
        The problem data.
    tours
        ``tours[k]`` is the tour of vehicle type ``k``.
    copies
        ``copies[i]`` is what client ``i`` stands for.
    without_window
        Ids of requests without any copy (no allowed day and time).
    unservable
        Ids of requests no consultant may serve (their copies are unreachable).
    offset
        The checker's objective of a plan read back from a PyVRP solution is that
        solution's PyVRP cost (distance + uncollected prizes) plus ``offset``.
    profiles
        Number of routing profiles.
    notes
        Approximations made (e.g. a daily cap split over two tours), in words.
    """

    data: pyvrp.ProblemData
    tours: list[Tour]
    copies: list[Copy]
    without_window: list[str]
    unservable: list[str]
    offset: int
    profiles: int
    notes: list[str] = field(default_factory=list)


def build_problem(
    scenario: Scenario,
    travel: TravelMatrix | None = None,
    *,
    max_matrix_bytes: int | None = None,
) -> PyvrpProblem:
    """Translate ``scenario`` into PyVRP problem data (see the module docstring).

    Parameters
    ----------
    scenario
        A scenario without joint visits and weekly caps.
    travel
        Its travel matrix (built when omitted).
    max_matrix_bytes
        Refuse a problem whose matrices would need more bytes (``None``: no limit).

    Raises
    ------
    ValueError
        When :func:`inexpressible` names something.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    missing = inexpressible(scenario, tm, max_matrix_bytes=max_matrix_bytes)
    if missing:
        raise ValueError("PyVRP cannot express " + " and ".join(missing))
    lay = _layout(scenario, tm)
    if not lay.consultants:
        raise ValueError("PyVRP needs at least one tour (no consultant is available)")
    w = scenario.weights
    nb = len(lay.consultants)

    # Locations: one per consultant base (its depot), then one per place of copies.
    points = [tm.index(base_point(cid)) for cid in lay.consultants] + [p.point for p in lay.places]
    locations = []
    for cid in lay.consultants:
        home = scenario.consultant(cid).base
        locations.append(pyvrp.Location(x=home.lon, y=home.lat, name=base_point(cid)))
    for p in lay.places:
        loc = scenario.location_of(p.request)
        locations.append(pyvrp.Location(x=loc.lon, y=loc.lat, name=p.request.id))
    depots = [pyvrp.Depot(location=i, name=cid) for i, cid in enumerate(lay.consultants)]

    # Profiles: travel minutes as duration, travel_minute * minutes (+ continuity) as
    # distance; arcs into places the consultant may not serve are forbidden.
    minutes = np.ascontiguousarray(tm.minutes[np.ix_(points, points)], dtype=np.int64)
    distances: list[Any] = []
    durations: list[Any] = []
    first_of: dict[int, int] = {}
    for i, prof in enumerate(lay.profile_of):
        first_of.setdefault(prof, i)
    for prof in range(lay.n_profiles):
        forbidden, cont = lay.signatures[first_of[prof]]
        dist = w.travel_minute * minutes
        dur = minutes.copy()
        if cont:
            cols = sorted(cont)
            dist[:, cols] += w.continuity
        if forbidden:
            cols = sorted(forbidden)
            dist[:, cols] = FORBIDDEN
            dur[:, cols] = FORBIDDEN
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        distances.append(dist)
        durations.append(dur)

    # Vehicle types: one per tour of a consultant who has one.
    caps, notes = tour_caps(scenario, lay.tours)
    loaded = bool(caps)
    depot_of = {cid: i for i, cid in enumerate(lay.consultants)}
    day_index = {day: d for d, day in enumerate(scenario.days)}
    vehicle_types = []
    for k, t in enumerate(lay.tours):
        offset = day_index[t.date] * DAY_MINUTES
        d = depot_of[t.consultant]
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=[caps.get(k, len(lay.copies))] if loaded else [],
                start_depot=d,
                end_depot=d,
                tw_early=offset + t.start,
                tw_late=offset + t.end,
                profile=lay.profile_of[d],
                name=f"{t.consultant} {t.date.isoformat()} {t.start}-{t.end}",
            )
        )

    # Clients and groups. Per request r with base B_r (the unassigned cost plus, for a
    # published visit, the change cost), a copy's prize is B_r minus what visiting it costs
    # besides travel and continuity (waiting, and the change unless it keeps the published
    # visit); the checker's objective is then PyVRP's cost + sum(B_r) - sum(prizes).
    # Required requests need no prize for being visited: B_r is their largest such cost.
    place_of = {c: nb + i for i, p in enumerate(lay.places) for c in p.copies}
    by_request: dict[str, list[int]] = {}
    for i, c in enumerate(lay.copies):
        by_request.setdefault(c.request.id, []).append(i)
    offset_total = 0
    kept: list[tuple[int, int]] = []  # (copy index, prize)
    for r in scenario.requests:
        change = w.change if scenario.published_visit(r.id) is not None else 0
        own = {
            i: lay.copies[i].waiting + (0 if lay.copies[i].keeps_published else change)
            for i in by_request.get(r.id, [])
        }
        if r.id in lay.required and own:
            base = max(own.values())
            kept.extend((i, base - cost) for i, cost in own.items())
        else:
            base = w.unassigned * scenario.urgency_factor(r.youth) + change
            kept.extend((i, base - cost) for i, cost in own.items() if cost < base)
        offset_total += base
    kept.sort()
    copies = [lay.copies[i] for i, _ in kept]
    members: dict[str, list[int]] = {}
    for new, c in enumerate(copies):
        members.setdefault(c.request.id, []).append(new)
    groups: list[pyvrp.ClientGroup] = []
    group_of: dict[int, int] = {}
    for rid, mine in members.items():
        if len(mine) > 1:
            group_of.update(dict.fromkeys(mine, len(groups)))
            groups.append(pyvrp.ClientGroup(mine, required=rid in lay.required, name=rid))
    clients = []
    for new, (old, prize) in enumerate(kept):
        c = lay.copies[old]
        offset_total -= prize
        clients.append(
            pyvrp.Client(
                location=place_of[old],
                delivery=[1] if loaded else [],
                service_duration=c.request.duration_minutes,
                tw_early=c.lo,
                tw_late=c.hi,
                prize=prize,
                required=c.request.id in lay.required and new not in group_of,
                group=group_of.get(new),
                name=f"{c.request.id}@{c.date.isoformat()}"
                + (" (published)" if c.keeps_published else ""),
            )
        )
    data = pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, distances, durations, groups
    )
    servable = {p.request.id for p in lay.places if p.allowed & set(lay.consultants)}
    unservable = sorted({p.request.id for p in lay.places} - servable)
    if any(r.pinned is not None for r in scenario.requests):
        notes.append("pins expressed as profiles (only the pinned consultant) and windows")
    return PyvrpProblem(
        data, lay.tours, copies, lay.without_window, unservable, offset_total, lay.n_profiles, notes
    )


@dataclass
class PyvrpResult:
    """PyVRP's plan for a scenario, scored by the checker.

    Attributes
    ----------
    plan
        The plan (``solver.objective`` is the checker's objective).
    report
        The checker's report; ``report.feasible`` is False when PyVRP's plan breaks a rule.
    seconds
        Wall-clock seconds: building the data, solving and reading the routes back.
    solve_seconds
        Seconds from the start of the searches until the last one returned.
    pyvrp_cost
        PyVRP's own cost of the best solution (``None`` when nothing was solved).
    model_objective
        ``pyvrp_cost + offset``: the objective PyVRP's model gives the plan, equal to the
        checker's objective when the translation is exact.
    seed
        The seed of the search whose solution was kept.
    notes
        Approximations made in the translation.
    """

    plan: Plan
    report: CheckReport
    seconds: float
    solve_seconds: float
    pyvrp_cost: int | None
    model_objective: int | None
    seed: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return len(self.plan.visits)


class _Deadline:
    """Stopping criterion: stop at a wall-clock moment (``time.time()``), across processes."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, best_cost: int) -> bool:
        return time.time() >= self.deadline


_Routes = list[tuple[int, list[tuple[int, int]]]]
"""Per route: vehicle type and its ``(client index, service start)`` in order."""


def _search(data: pyvrp.ProblemData, seed: int, deadline: float) -> tuple[bool, int, _Routes]:
    """One PyVRP search (run in a worker process): feasible, cost, routes."""
    result = pyvrp.solve(data, _Deadline(deadline), seed=seed, collect_stats=False, display=False)
    best = result.best
    routes: _Routes = []
    for route in best.routes():
        stops = [(a.idx, int(a.start_time)) for a in route.schedule() if a.is_client()]
        routes.append((route.vehicle_type(), stops))
    return best.is_feasible(), int(result.cost()) if best.is_feasible() else -1, routes


def _child_main() -> None:
    """Worker process: read ``(scenario, travel, seed, deadline)``, write the outcome."""
    scenario, tm, seed, deadline = pickle.load(sys.stdin.buffer)
    problem = build_problem(scenario, tm)
    pickle.dump(_search(problem.data, seed, deadline), sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _search_in_processes(
    scenario: Scenario, tm: TravelMatrix, seeds: Sequence[int], deadline: float
) -> list[tuple[bool, int, _Routes, int]]:
    """One search per seed, each in a fresh Python process, all at once.

    The processes are started with ``python -c`` (not :mod:`multiprocessing`), so the
    caller's ``__main__`` is never re-imported; each rebuilds the same problem data from the
    pickled scenario (cheaper than sending the matrices).
    """
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    )
    code = "from bench.pyvrp_peer import _child_main; _child_main()"
    procs = []
    for s in seeds:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
            env=env,
        )
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps((scenario, tm, s, deadline)))
        proc.stdin.close()
        procs.append(proc)
    out: list[tuple[bool, int, _Routes, int]] = []
    for s, proc in zip(seeds, procs, strict=True):
        assert proc.stdout is not None
        raw = proc.stdout.read()
        if proc.wait() != 0 or not raw:
            raise RuntimeError(f"PyVRP search with seed {s} failed (exit code {proc.returncode})")
        feasible, cost, routes = pickle.loads(raw)
        out.append((feasible, cost, routes, s))
    return out


def _visits(scenario: Scenario, problem: PyvrpProblem, routes: _Routes) -> list[Visit]:
    day_index = {day: d for d, day in enumerate(scenario.days)}
    visits: list[Visit] = []
    for vt, stops in routes:
        tour = problem.tours[vt]
        offset = day_index[tour.date] * DAY_MINUTES
        for client, start in stops:
            req = problem.copies[client].request
            visits.append(
                Visit(
                    request=req.id,
                    youth=req.youth,
                    location=scenario.location_of(req).id,
                    consultants=(tour.consultant,),
                    date=tour.date,
                    start=start - offset,
                    end=start - offset + req.duration_minutes,
                )
            )
    return visits


def _cost(problem: PyvrpProblem, routes: _Routes) -> int:
    """PyVRP's cost of ``routes``: distance plus uncollected prizes."""
    data = problem.data
    sol = pyvrp.Solution(
        data, [pyvrp.Route(data, [c for c, _ in stops], vt) for vt, stops in routes]
    )
    return int(sol.distance_cost() + sol.uncollected_prizes())


def solve_with_pyvrp(
    scenario: Scenario,
    *,
    time_limit: float = 10.0,
    seed: int = 1,
    processes: int = 1,
    travel: TravelMatrix | None = None,
    max_matrix_bytes: int | None = MAX_MATRIX_BYTES,
) -> PyvrpResult:
    """Solve ``scenario`` with PyVRP and score the plan with the checker.

    Parameters
    ----------
    scenario
        A scenario PyVRP can express (see :func:`inexpressible`).
    time_limit
        Wall-clock seconds from this call until the searches stop (see the module docstring).
    seed
        Seed of the first search; search ``i`` uses ``seed + i``.
    processes
        Independent single-threaded searches run at once, each in its own process
        (``1``: one search in this process).
    travel
        The scenario's travel matrix (built when omitted).
    max_matrix_bytes
        Refuse problems whose matrices would need more memory (``None``: no limit).

    Returns
    -------
    PyvrpResult
        The plan (unplanned requests carry a reason starting "not planned by PyVRP"), the
        checker's report and the seconds used.
    """
    started = time.perf_counter()
    deadline = time.time() + time_limit
    tm = travel if travel is not None else build_travel_matrix(scenario)
    problem = build_problem(scenario, tm, max_matrix_bytes=max_matrix_bytes)
    t0 = time.perf_counter()
    outcomes: list[tuple[bool, int, _Routes, int]] = []
    if problem.copies and problem.tours:
        seeds = [seed + i for i in range(max(1, processes))]
        if len(seeds) == 1:
            outcomes.append((*_search(problem.data, seeds[0], deadline), seeds[0]))
        else:
            outcomes.extend(_search_in_processes(scenario, tm, seeds, deadline))
    solve_seconds = time.perf_counter() - t0
    routes: _Routes = []
    chosen: int | None = None
    cost: int | None = None
    if outcomes:
        # Feasible before infeasible, then the lowest cost, then the first seed.
        best = min(outcomes, key=lambda o: (not o[0], o[1], o[3]))
        routes, chosen = best[2], best[3]
        cost = _cost(problem, routes)
    elif problem.tours:
        cost = _cost(problem, [])
    visits = _visits(scenario, problem, routes)
    planned = {v.request for v in visits}
    reason_of = dict.fromkeys(problem.without_window, NO_WINDOW)
    reason_of.update(dict.fromkeys(problem.unservable, NO_CONSULTANT))
    unassigned = tuple(
        Unassigned(r.id, (reason_of.get(r.id, NOT_PLANNED),))
        for r in scenario.requests
        if r.id not in planned
    )
    order = {r.id: i for i, r in enumerate(scenario.requests)}
    visits.sort(key=lambda v: (v.date, v.consultants, v.start, order[v.request]))
    seconds = time.perf_counter() - started
    draft = Plan(
        scenario=scenario.name,
        solver=SolverInfo("feasible", None, None, seconds),
        visits=tuple(visits),
        unassigned=unassigned,
    )
    report = check_plan(scenario, draft, tm)
    plan = Plan(
        scenario=scenario.name,
        solver=SolverInfo(
            "feasible" if report.feasible else "unknown", report.objective, None, seconds
        ),
        visits=draft.visits,
        unassigned=unassigned,
        kpis={
            "travel_minutes": report.travel_minutes,
            "assigned": len(visits),
            "unassigned": len(unassigned),
        },
        extra={"peer": "pyvrp", "seed": chosen, "notes": list(problem.notes)},
    )
    model_objective = None if cost is None else cost + problem.offset
    return PyvrpResult(
        plan, report, seconds, solve_seconds, cost, model_objective, chosen, list(problem.notes)
    )
