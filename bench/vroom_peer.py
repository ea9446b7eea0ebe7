"""A peer for the benchmark: the VROOM engine (``pyvroom``) on the same scenario.

:func:`solve_with_vroom` translates a :class:`~matcher.scenario.domain.Scenario` into a VROOM
problem,
solves it, converts VROOM's routes back into a matcher :class:`~matcher.scenario.domain.Plan` and
scores that plan with the independent checker (:func:`matcher.checker.check_plan`), so both
solvers are judged by the same objective of ``FORMAT.md``.

Translation
-----------
- **Vehicles**: one per tour (a consultant's availability window on one day), starting and
  ending at the consultant's base, time window in absolute minutes
  ``day_index * 1440 + minutes since midnight``.
- **Jobs**: one per request, at the youth's location, ``service = duration_minutes``. VROOM
  time windows bound the *service start*, so each window is the intersection of one allowed
  day (planning day inside ``earliest``/``latest``, not before ``signalled_on``), the
  location's opening window of that day and ``time_of_day``, with its end shrunk by the
  duration. A request without any such window is not given to VROOM.
- **Skills** are integers: one per skill string of the request's role; a per-youth "allowed"
  skill, held by every consultant who is not excluded, for youths with exclusions; and a
  per-request "pin" skill held only by the pinned consultant. A pin's date and start
  restrict the time windows. Single-role pins are thus expressed exactly.
- **Priority** is the youth's urgency factor (scaled into VROOM's ``0..100`` when larger), so
  VROOM, which first maximises the summed priority of planned jobs, prefers urgent requests
  just as the ``unassigned`` term of the objective does.
- **Travel**: the scenario's own travel matrix (:func:`matcher.travel.build_travel_matrix`),
  in minutes, as the duration matrix, and ``travel_minute`` times it as the cost matrix.
- **Waiting** (only with ``waiting_aware=True``, a stronger peer than the plain
  translation): every job gets its own matrix point and every planning day its own VROOM
  profile whose cost of each arc into a job adds that job's waiting cost on that day
  (``waiting_day * urgency factor * days since signalled_on``), so VROOM minimises travel
  plus waiting exactly as the objective counts them.
- **Daily cap**: VROOM's ``max_tasks`` is per vehicle (= per tour) while
  ``max_visits_per_day`` is per consultant per day. With one tour that day the cap is
  exact; when a consultant has several tours on a day, the cap is split over them in
  proportion to their length (largest remainder, so the shares add up to the cap). This
  is conservative: VROOM's plan always keeps the cap, but VROOM may lose a little.

What VROOM cannot express: joint visits (two consultants at one visit) and weekly caps
(a resource spanning several vehicles). :func:`inexpressible` names them; the benchmark only
compares on scenarios without them. VROOM does not see the continuity term (nor, in the
plain translation, the waiting term); the checker adds them to VROOM's plan all the same.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import vroom

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
    open_windows_on,
)
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = [
    "NOT_PLANNED",
    "NO_WINDOW",
    "VroomProblem",
    "VroomResult",
    "build_problem",
    "inexpressible",
    "solve_with_vroom",
]

NOT_PLANNED = "not planned by VROOM"
NO_WINDOW = "not planned by VROOM: no allowed day and time for the visit"
PROFILE = "car"


def inexpressible(scenario: Scenario) -> list[str]:
    """What in ``scenario`` VROOM cannot express (empty when it can express all of it).

    Joint visits and weekly caps cannot be expressed; pins of single-role requests can.
    """
    out: list[str] = []
    joint = sum(1 for r in scenario.requests if r.is_joint)
    if joint:
        out.append(f"{joint} joint visit(s)")
    weekly = sum(1 for c in scenario.consultants if c.max_visits_per_week is not None)
    if weekly:
        out.append(f"{weekly} weekly cap(s)")
    return out


@dataclass
class VroomProblem:
    """A VROOM input plus what is needed to read its solution back.

    Attributes
    ----------
    input
        The VROOM problem (vehicles, jobs, matrices set).
    tours
        ``tours[k]`` is the tour of vehicle id ``k``.
    requests
        ``requests[j]`` is the request of job id ``j`` (only requests given to VROOM).
    without_window
        Ids of requests not given to VROOM because no day and time is allowed for them.
    notes
        Approximations made (e.g. a daily cap split over two tours), in words.
    """

    input: vroom.Input
    tours: list[Tour]
    requests: list[Request]
    without_window: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class VroomResult:
    """VROOM's plan for a scenario, scored by the checker.

    Attributes
    ----------
    plan
        The plan (``solver.objective`` is the checker's objective).
    report
        The checker's report; ``report.feasible`` is False when VROOM's plan breaks a rule.
    seconds
        Wall-clock seconds: building the input, solving and reading the routes back.
    solve_seconds
        Seconds inside VROOM's ``solve`` alone.
    notes
        Approximations made in the translation.
    """

    plan: Plan
    report: CheckReport
    seconds: float
    solve_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return len(self.plan.visits)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or touching ``[lo, hi]`` windows."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def start_windows(scenario: Scenario, request: Request) -> list[tuple[int, int]]:
    """Allowed service-start windows of a single-role request in absolute minutes.

    Each window is ``[lo, hi]`` with ``lo``/``hi`` = ``day_index * 1440 + minutes``; a visit
    starting in it lies on an allowed day, inside the opening hours and ``time_of_day``.
    """
    youth = scenario.youth(request.youth)
    loc = scenario.location_of(request)
    pin = request.pinned
    tod = request.time_of_day
    out: list[tuple[int, int]] = []
    for d, day in enumerate(scenario.days):
        if not request.earliest <= day <= request.latest or day < youth.signalled_on:
            continue
        if pin is not None and pin.date is not None and pin.date != day:
            continue
        opens = open_windows_on(loc, day)
        for s, e in opens if opens is not None else [(0, DAY_MINUTES)]:
            lo, hi = s, e
            if tod is not None:
                lo, hi = max(lo, tod.start), min(hi, tod.end)
            hi -= request.duration_minutes
            if pin is not None and pin.start is not None:
                if not lo <= pin.start <= hi:
                    continue
                lo = hi = pin.start
            if lo <= hi:
                out.append((d * DAY_MINUTES + lo, d * DAY_MINUTES + hi))
    return _merge(out)


def _split_cap(cap: int, lengths: list[int]) -> list[int]:
    """Split ``cap`` over tours of the given lengths, proportionally, by largest remainder."""
    total = sum(lengths)
    exact = [cap * n / total for n in lengths]
    shares = [int(x) for x in exact]
    order = sorted(range(len(lengths)), key=lambda i: (shares[i] - exact[i], -lengths[i]))
    for i in order[: cap - sum(shares)]:
        shares[i] += 1
    return shares


def tour_caps(scenario: Scenario, tours: list[Tour]) -> tuple[dict[int, int], list[str]]:
    """Capacity per tour index from ``max_visits_per_day``, split over a day's tours in
    proportion to their length (:func:`_split_cap`), with a note for each split."""
    caps: dict[int, int] = {}
    notes: list[str] = []
    by_day: dict[tuple[str, dt.date], list[int]] = {}
    for k, t in enumerate(tours):
        by_day.setdefault((t.consultant, t.date), []).append(k)
    for (cid, day), ks in sorted(by_day.items()):
        cap = scenario.consultant(cid).max_visits_per_day
        if cap is None:
            continue
        if len(ks) == 1:
            caps[ks[0]] = cap
            continue
        shares = _split_cap(cap, [tours[k].end - tours[k].start for k in ks])
        for k, share in zip(ks, shares, strict=True):
            caps[k] = share
        notes.append(
            f"daily cap {cap} of {cid} on {day.isoformat()} split over {len(ks)} tours as "
            + "+".join(str(s) for s in shares)
        )
    return caps, notes


def _priority(factor: int, top: int) -> int:
    return factor if top <= 100 else max(1, round(100 * factor / top))


def build_problem(
    scenario: Scenario, travel: TravelMatrix | None = None, *, waiting_aware: bool = False
) -> VroomProblem:
    """Translate ``scenario`` into a VROOM problem (see the module docstring).

    Parameters
    ----------
    scenario
        A scenario without joint visits and weekly caps.
    travel
        Its travel matrix (built when omitted).
    waiting_aware
        Also let VROOM see the waiting term of the objective: every job gets its own matrix
        point and every planning day its own profile whose arc costs into a job include
        ``waiting_day * urgency factor * days waited`` for that day.

    Raises
    ------
    ValueError
        When the scenario has joint visits or weekly caps (see :func:`inexpressible`).
    """
    missing = inexpressible(scenario)
    if missing:
        raise ValueError("VROOM cannot express " + " and ".join(missing))
    tm = travel if travel is not None else build_travel_matrix(scenario)
    problem = vroom.Input()

    skill_ids: dict[str, int] = {}

    def skill(key: str) -> int:
        return skill_ids.setdefault(key, len(skill_ids) + 1)

    # Skills of the consultants: role skills, "allowed" per youth with exclusions, pins.
    held: dict[str, set[int]] = {c.id: set() for c in scenario.consultants}
    for c in scenario.consultants:
        held[c.id].update(skill(f"skill:{s}") for s in c.skills)
    for y in scenario.youths:
        if y.excluded_consultants:
            sid = skill(f"allowed:{y.id}")
            for c in scenario.consultants:
                if c.id not in y.excluded_consultants:
                    held[c.id].add(sid)
    for r in scenario.requests:
        if r.pinned is not None:
            sid = skill(f"pin:{r.id}")
            for cid in r.pinned.consultants:
                held[cid].add(sid)

    # Vehicles: one per tour.
    tours = scenario.tours()
    day_index = {day: d for d, day in enumerate(scenario.days)}
    caps, notes = tour_caps(scenario, tours)
    # Jobs: one per request with at least one allowed start window.
    top = max(scenario.urgency_factors.values(), default=1)
    requests: list[Request] = []
    windows_of: list[list[tuple[int, int]]] = []
    without_window: list[str] = []
    for r in scenario.requests:
        windows = start_windows(scenario, r)
        if windows:
            requests.append(r)
            windows_of.append(windows)
        else:
            without_window.append(r.id)

    # Matrices. Plain: the scenario's matrix as durations and travel_minute * minutes as
    # costs. Waiting-aware: one point per base and one per job, one profile per day whose
    # costs add the job's waiting cost of that day to every arc into the job.
    w = scenario.weights
    if waiting_aware:
        bases = [base_point(c.id) for c in scenario.consultants]
        idx = [tm.index(b) for b in bases] + [
            tm.index(scenario.location_of(r).id) for r in requests
        ]
        point_of_base = {b: i for i, b in enumerate(bases)}
        point_of_job = [len(bases) + j for j in range(len(requests))]
        minutes = np.ascontiguousarray(tm.minutes[np.ix_(idx, idx)], dtype=np.int64)
        for d, day in enumerate(scenario.days):
            wait = np.zeros(len(idx), dtype=np.int64)
            for j, r in enumerate(requests):
                youth = scenario.youth(r.youth)
                days = max(0, (day - youth.signalled_on).days)
                factor = scenario.urgency_factors[youth.urgency]
                wait[point_of_job[j]] = w.waiting_day * factor * days
            costs = w.travel_minute * minutes + wait[None, :]
            problem.set_durations_matrix(f"day{d}", minutes.astype(np.uint32))
            problem.set_costs_matrix(f"day{d}", costs.astype(np.uint32))
        notes.append("costs include each visit's waiting cost (one VROOM profile per day)")
    else:
        point_of_base = {base_point(c.id): tm.index(base_point(c.id)) for c in scenario.consultants}
        point_of_job = [tm.index(scenario.location_of(r).id) for r in requests]
        minutes = np.ascontiguousarray(tm.minutes, dtype=np.int64)
        problem.set_durations_matrix(PROFILE, minutes.astype(np.uint32))
        problem.set_costs_matrix(PROFILE, (w.travel_minute * minutes).astype(np.uint32))

    vehicles = []
    for k, t in enumerate(tours):
        offset = day_index[t.date] * DAY_MINUTES
        base = point_of_base[base_point(t.consultant)]
        kwargs: dict[str, object] = {}
        if k in caps:
            kwargs["max_tasks"] = caps[k]
        vehicles.append(
            vroom.Vehicle(
                id=k,
                start=base,
                end=base,
                profile=f"day{day_index[t.date]}" if waiting_aware else PROFILE,
                skills=held[t.consultant],
                time_window=vroom.TimeWindow(offset + t.start, offset + t.end),
                **kwargs,
            )
        )
    if vehicles:
        problem.add_vehicle(vehicles)

    jobs = []
    for j, (r, windows) in enumerate(zip(requests, windows_of, strict=True)):
        youth = scenario.youth(r.youth)
        need = {skill(f"skill:{s}") for s in r.roles[0]}
        if youth.excluded_consultants:
            need.add(skill(f"allowed:{youth.id}"))
        if r.pinned is not None:
            need.add(skill(f"pin:{r.id}"))
        jobs.append(
            vroom.Job(
                id=j,
                location=point_of_job[j],
                default_service=r.duration_minutes,
                skills=need,
                priority=_priority(scenario.urgency_factors[youth.urgency], top),
                time_windows=[vroom.TimeWindow(lo, hi) for lo, hi in windows],
            )
        )
    if jobs:
        problem.add_job(jobs)
    if any(r.pinned is not None for r in scenario.requests):
        notes.append("pins expressed as a pin skill and restricted time windows")
    return VroomProblem(problem, tours, requests, without_window, notes)


def _visits_from_solution(
    scenario: Scenario, vp: VroomProblem, solution: dict[str, object]
) -> list[Visit]:
    visits: list[Visit] = []
    for route in solution.get("routes", []):  # type: ignore[attr-defined]
        tour = vp.tours[int(route["vehicle"])]
        offset = scenario.days.index(tour.date) * DAY_MINUTES
        for step in route["steps"]:
            if step["type"] != "job":
                continue
            req = vp.requests[int(step["id"])]
            start = int(step["arrival"]) + int(step.get("waiting_time", 0))
            start += int(step.get("setup", 0)) - offset
            visits.append(
                Visit(
                    request=req.id,
                    youth=req.youth,
                    location=scenario.location_of(req).id,
                    consultants=(tour.consultant,),
                    date=tour.date,
                    start=start,
                    end=start + req.duration_minutes,
                )
            )
    return visits


def solve_with_vroom(
    scenario: Scenario,
    *,
    threads: int = 2,
    exploration_level: int = 5,
    timeout: float | None = None,
    travel: TravelMatrix | None = None,
    waiting_aware: bool = False,
) -> VroomResult:
    """Solve ``scenario`` with VROOM and score the plan with the checker.

    Parameters
    ----------
    scenario
        A scenario without joint visits and weekly caps (see :func:`inexpressible`).
    threads
        VROOM's ``nb_threads``.
    exploration_level
        VROOM's search depth, ``1..5``.
    timeout
        Seconds after which VROOM stops searching (``None``: no limit).
    travel
        The scenario's travel matrix (built when omitted).
    waiting_aware
        Let VROOM see the waiting cost too (see :func:`build_problem`).

    Returns
    -------
    VroomResult
        The plan (unplanned requests carry the reason "not planned by VROOM"), the
        checker's report and the seconds used.
    """
    started = time.perf_counter()
    tm = travel if travel is not None else build_travel_matrix(scenario)
    vp = build_problem(scenario, tm, waiting_aware=waiting_aware)
    t0 = time.perf_counter()
    if vp.requests and vp.tours:
        kwargs: dict[str, object] = {}
        if timeout is not None:
            kwargs["timeout"] = timedelta(seconds=timeout)
        solution = vp.input.solve(
            exploration_level=exploration_level,
            nb_threads=threads,
            **kwargs,
        ).to_dict()
    else:
        solution = {"routes": []}
    solve_seconds = time.perf_counter() - t0
    visits = _visits_from_solution(scenario, vp, solution)
    planned = {v.request for v in visits}
    no_window = set(vp.without_window)
    unassigned = tuple(
        Unassigned(r.id, (NO_WINDOW if r.id in no_window else NOT_PLANNED,))
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
    status = "feasible" if report.feasible else "unknown"
    plan = Plan(
        scenario=scenario.name,
        solver=SolverInfo(status, report.objective, None, seconds),
        visits=draft.visits,
        unassigned=unassigned,
        kpis={
            "travel_minutes": report.travel_minutes,
            "assigned": len(visits),
            "unassigned": len(unassigned),
        },
        extra={"peer": "vroom", "notes": list(vp.notes)},
    )
    return VroomResult(plan, report, seconds, solve_seconds, list(vp.notes))
