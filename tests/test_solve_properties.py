"""Property tests of the solver on tiny random scenarios, against a brute-force optimum.

Hypothesis builds scenarios with 2-4 requests (at most one joint visit), 1-3 consultants and
1-2 days, with opening hours, times of day, caps, exclusions, date ranges and previous
consultants. The plan must always pass the independent checker; its objective must equal
the optimum found by the small enumerator below, which shares no code with the solver:
it tries every assignment of requests to (consultant, tour) per role and every visiting
order per tour, with each visit at its earliest feasible start (the objective does not
depend on start times except through feasibility, and starting earlier never hurts what
comes after). A joint visit starts at the earliest time all its consultants can be there.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.checker import check_plan
from matcher.scenario.domain import Request, Scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver.bounds import (
    flow_lower_bound,
    lower_bound,
    relaxation_bound,
    tour_visit_limits,
    window_cuts,
)
from matcher.solver.model import prepare
from matcher.solver.route_bound import RouteBound
from matcher.solver.solve import SolveParams, solve
from matcher.travel import TravelMatrix, build_travel_matrix

# The package re-exports the function ``solve``, which hides the submodule attribute.
solve_mod = importlib.import_module("matcher.solver.solve")

DAYS = (dt.date(2026, 11, 23), dt.date(2026, 11, 24))
WINDOWS = [("08:00", "12:00"), ("09:00", "17:00"), ("12:00", "16:00"), ("09:00", "11:00")]
OPEN = [("09:00", "12:00"), ("10:00", "15:00"), ("13:00", "17:00")]
TOD = [("09:00", "12:00"), ("13:00", "17:00"), ("10:00", "16:00")]
NORTH = [0.0, 0.05, 0.1, 0.2]


def _m(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


@st.composite
def tiny_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_days = draw(st.integers(1, 2))
    days = DAYS[:n_days]
    locations = []
    for i in range(2):
        loc: dict[str, Any] = {
            "id": f"L{i}",
            "name": f"Locatie {i}",
            "kind": "residentieel",
            "gemeente": "Venlo",
            "lat": 51.0 + draw(st.sampled_from(NORTH)),
            "lon": 5.9 + draw(st.sampled_from(NORTH)) / 2,
        }
        if draw(st.booleans()):
            ws, we = draw(st.sampled_from(OPEN))
            loc["open"] = [{"date": d.isoformat(), "start": ws, "end": we} for d in days]
        locations.append(loc)
    n_cons = draw(st.integers(1, 3))
    consultants = []
    for i in range(n_cons):
        avail = []
        for d in days:
            if draw(st.integers(0, 4)) > 0:
                ws, we = draw(st.sampled_from(WINDOWS))
                avail.append({"date": d.isoformat(), "start": ws, "end": we})
        c: dict[str, Any] = {
            "id": f"C{i}",
            "provider": "p",
            "name": f"Consultant {i}",
            "email": f"c{i}@example.org",
            "base": {"lat": 51.0 + draw(st.sampled_from(NORTH)), "lon": 5.9},
            "skills": draw(st.sampled_from([["a"], ["b"], ["a", "b"]])),
            "availability": avail,
        }
        cap_day = draw(st.sampled_from([None, None, 1, 2]))
        cap_week = draw(st.sampled_from([None, None, 1, 2, 3]))
        if cap_day is not None:
            c["max_visits_per_day"] = cap_day
        if cap_week is not None:
            c["max_visits_per_week"] = cap_week
        consultants.append(c)
    n_req = draw(st.integers(2, 4))
    youths, requests = [], []
    joint_used = False
    for i in range(n_req):
        y: dict[str, Any] = {
            "id": f"Y-2026-{i:03d}",
            "location": f"L{draw(st.integers(0, 1))}",
            "gemeente": "Venlo",
            "signalled_on": (DAYS[0] - dt.timedelta(days=draw(st.integers(-1, 6)))).isoformat(),
            "urgency": draw(st.sampled_from(["low", "normal", "high", "crisis"])),
        }
        prev = draw(st.sampled_from([None, *range(n_cons)]))
        if prev is not None:
            y["previous_consultant"] = f"C{prev}"
        excl = draw(st.sampled_from([None, *range(n_cons)]))
        if excl is not None and excl != prev:
            y["excluded_consultants"] = [f"C{excl}"]
        youths.append(y)
        r: dict[str, Any] = {
            "id": f"R{i}",
            "youth": y["id"],
            "duration_minutes": draw(st.sampled_from([30, 60, 90, 120])),
        }
        if not joint_used and n_cons >= 2 and draw(st.integers(0, 3)) == 0:
            joint_used = True
            r["roles"] = [["a"], draw(st.sampled_from([["a"], ["b"]]))]
        else:
            r["skills"] = draw(st.sampled_from([[], ["a"], ["b"]]))
        if n_days == 2 and draw(st.integers(0, 3)) == 0:
            key = draw(st.sampled_from(["earliest", "latest"]))
            r[key] = DAYS[1 if key == "earliest" else 0].isoformat()
        if draw(st.integers(0, 2)) == 0:
            ts, te = draw(st.sampled_from(TOD))
            r["time_of_day"] = {"start": ts, "end": te}
        requests.append(r)
    return {
        "format": 1,
        "name": "property",
        "days": [d.isoformat() for d in days],
        "providers": [{"id": "p", "name": "P"}],
        "consultants": consultants,
        "locations": locations,
        "youths": youths,
        "requests": requests,
    }


# --------------------------------------------------------------------------------------
# The independent brute-force optimum
# --------------------------------------------------------------------------------------

Tour = tuple[str, dt.date, int, int, str]  # consultant, date, start, end, base point


def _tours(s: Scenario) -> list[Tour]:
    out: list[Tour] = []
    for c in s.consultants:
        for w in c.availability:  # the property scenarios use dated windows only
            if w.date in s.days:
                out.append((c.id, w.date, w.start, w.end, f"base:{c.id}"))
    return out


def _earliest_valid(s: Scenario, r: Request, day: dt.date, t: int) -> int | None:
    loc = s.location(s.youth(r.youth).location)
    dur = r.duration_minutes
    windows = [(w.start, w.end) for w in loc.open if w.applies_to(day)] if loc.open else None
    cands = {t}
    if windows:
        cands |= {ws for ws, _ in windows if ws > t}
    if r.time_of_day and r.time_of_day.start > t:
        cands.add(r.time_of_day.start)
    for c in sorted(cands):
        if r.time_of_day and not (r.time_of_day.start <= c and c + dur <= r.time_of_day.end):
            continue
        if windows is not None and not any(ws <= c and c + dur <= we for ws, we in windows):
            continue
        return c
    return None


def _simulate(
    s: Scenario,
    tm: TravelMatrix,
    tour: Tour,
    order: tuple[Request, ...],
    fixed: dict[str, int],
) -> tuple[int, dict[str, int]] | None:
    """Earliest schedule of ``order`` in ``tour``: (travel, arrival per request) or None."""
    _, day, t_start, t_end, base = tour
    now, prev, travel = t_start, base, 0
    arrivals: dict[str, int] = {}
    for r in order:
        loc = s.youth(r.youth).location
        arr = now + tm(prev, loc)
        travel += tm(prev, loc)
        arrivals[r.id] = arr
        if r.id in fixed:
            start: int | None = fixed[r.id] if arr <= fixed[r.id] else None
        else:
            start = _earliest_valid(s, r, day, arr)
        if start is None:
            return None
        now, prev = start + r.duration_minutes, loc
    travel += tm(prev, base)
    if now + tm(prev, base) > t_end:
        return None
    return travel, arrivals


def _arrival(
    s: Scenario, tm: TravelMatrix, tour: Tour, prefix: tuple[Request, ...], r: Request
) -> int | None:
    """Earliest arrival at ``r`` after visiting ``prefix`` at earliest starts (None: infeasible)."""
    _, day, t_start, _, base = tour
    now, prev = t_start, base
    for q in prefix:
        loc = s.youth(q.youth).location
        start = _earliest_valid(s, q, day, now + tm(prev, loc))
        if start is None:
            return None
        now, prev = start + q.duration_minutes, loc
    return now + tm(prev, s.youth(r.youth).location)


def _best_tour_travel(
    s: Scenario, tm: TravelMatrix, tour: Tour, reqs: list[Request], fixed: dict[str, int]
) -> int | None:
    best = None
    for order in itertools.permutations(reqs):
        got = _simulate(s, tm, tour, order, fixed)
        if got is not None and (best is None or got[0] < best):
            best = got[0]
    return best


def _travel_of(
    s: Scenario,
    tm: TravelMatrix,
    per_tour: dict[Tour, list[Request]],
    joint: dict[str, tuple[Tour, ...]],
) -> int | None:
    """Least total travel over all visiting orders (None if no order is feasible)."""
    joint_tours = {t for ts in joint.values() for t in ts}
    total = 0
    for tour, reqs in per_tour.items():
        if tour in joint_tours:
            continue
        got = _best_tour_travel(s, tm, tour, reqs, {})
        if got is None:
            return None
        total += got
    if not joint:
        return total
    ((jid, jtours),) = joint.items()
    jreq = s.request(jid)
    best = None
    orders = [list(itertools.permutations(per_tour[t])) for t in jtours]
    for combo in itertools.product(*orders):
        arrivals = []
        for tour, order in zip(jtours, combo, strict=True):
            prefix = order[: [r.id for r in order].index(jid)]
            arrival = _arrival(s, tm, tour, prefix, jreq)
            if arrival is None:
                break
            arrivals.append(arrival)
        else:
            start = _earliest_valid(s, jreq, jtours[0][1], max(arrivals))
            if start is None:
                continue
            travel = 0
            for tour, order in zip(jtours, combo, strict=True):
                sim = _simulate(s, tm, tour, order, {jid: start})
                if sim is None:
                    break
                travel += sim[0]
            else:
                if best is None or travel < best:
                    best = travel
    return None if best is None else total + best


def brute_force_optimum(s: Scenario) -> int:
    """The least objective of FORMAT.md over every feasible plan of a tiny scenario."""
    tm = build_travel_matrix(s)
    tours = _tours(s)
    w = s.weights
    options: list[list[tuple[Tour, ...] | None]] = []
    for r in s.requests:
        y = s.youth(r.youth)
        opts: list[tuple[Tour, ...] | None] = [None]
        for combo in itertools.product(tours, repeat=len(r.roles)):
            cons = [t[0] for t in combo]
            day = combo[0][1]
            if len(set(cons)) != len(cons) or any(t[1] != day for t in combo):
                continue
            if not (r.earliest <= day <= r.latest) or day < y.signalled_on:
                continue
            if any(c in y.excluded_consultants for c in cons):
                continue
            if not all(
                s.consultant(t[0]).has_skills(role) for t, role in zip(combo, r.roles, strict=True)
            ):
                continue
            opts.append(combo)
        options.append(opts)
    best: int | None = None
    for choice in itertools.product(*options):
        fixed_cost = 0
        per_day: dict[tuple[str, dt.date], int] = {}
        per_week: dict[str, int] = {}
        per_tour: dict[Tour, list[Request]] = {}
        joint: dict[str, tuple[Tour, ...]] = {}
        for r, picked in zip(s.requests, choice, strict=True):
            y = s.youth(r.youth)
            uf = s.urgency_factors[y.urgency]
            if picked is None:
                fixed_cost += w.unassigned * uf
                continue
            day = picked[0][1]
            fixed_cost += w.waiting_day * uf * (day - y.signalled_on).days
            cons = [t[0] for t in picked]
            if y.previous_consultant and y.previous_consultant not in cons:
                fixed_cost += w.continuity
            for t in picked:
                per_day[t[0], day] = per_day.get((t[0], day), 0) + 1
                per_week[t[0]] = per_week.get(t[0], 0) + 1
                per_tour.setdefault(t, []).append(r)
            if len(picked) > 1:
                joint[r.id] = picked
        if best is not None and fixed_cost >= best:
            continue
        if any(
            (cap := s.consultant(c).max_visits_per_day) is not None and n > cap
            for (c, _), n in per_day.items()
        ):
            continue
        if any(
            (cap := s.consultant(c).max_visits_per_week) is not None and n > cap
            for c, n in per_week.items()
        ):
            continue
        travel = _travel_of(s, tm, per_tour, joint)
        if travel is None:
            continue
        total = fixed_cost + w.travel_minute * travel
        if best is None or total < best:
            best = total
    assert best is not None  # leaving everything open is always feasible
    return best


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


@SETTINGS
@given(tiny_scenarios())
def test_exact_model_finds_the_brute_force_optimum(doc: dict[str, Any]) -> None:
    s = parse_scenario(doc, "<property>")
    result = solve(s, SolveParams(time_limit=10.0, workers=1))
    report = check_plan(s, result.plan)
    assert report.feasible, report.violations
    assert result.objective == report.objective
    optimum = brute_force_optimum(s)
    assert result.status == "optimal"
    assert result.objective == optimum
    assert result.bound == optimum


@SETTINGS
@given(tiny_scenarios(), st.sampled_from([1, 2]))
def test_search_plan_is_feasible_and_bound_is_valid(doc: dict[str, Any], workers: int) -> None:
    s = parse_scenario(doc, "<property>")
    with mock.patch.object(solve_mod, "FULL_MODEL_MAX_ARCS", 0):
        result = solve(s, SolveParams(time_limit=1.0, workers=workers))
    report = check_plan(s, result.plan)
    assert report.feasible, report.violations
    assert result.objective == report.objective
    optimum = brute_force_optimum(s)
    assert result.objective is not None and result.objective >= optimum
    assert result.bound is not None and result.bound <= optimum
    if result.status == "optimal":
        assert result.objective == optimum


@SETTINGS
@given(tiny_scenarios())
def test_every_lower_bound_is_at_most_the_optimum(doc: dict[str, Any]) -> None:
    s = parse_scenario(doc, "<property>")
    inst = prepare(s)
    optimum = brute_force_optimum(s)
    assert lower_bound(inst) <= optimum
    for spread in (0.0, 0.5, 1.0):
        flow = flow_lower_bound(inst, spread=spread)
        assert flow is not None and flow <= optimum
    lp = relaxation_bound(inst, 5.0, lp_only=True)
    mip = relaxation_bound(inst, 5.0)
    assert lp is not None and lp <= optimum
    assert mip is not None and mip <= optimum
    routes = RouteBound(inst)
    route = routes.run(30.0)
    assert routes.converged
    assert route is not None and route <= optimum


@SETTINGS
@given(tiny_scenarios())
def test_window_cuts_and_visit_limits_hold_for_every_tour_of_a_plan(doc: dict[str, Any]) -> None:
    # Any feasible plan (here: the solver's, checked independently) keeps every cut.
    s = parse_scenario(doc, "<property>")
    result = solve(s, SolveParams(time_limit=5.0, workers=1))
    report = check_plan(s, result.plan)
    assert report.feasible, report.violations
    inst = prepare(s)
    by_tour: dict[int, set[int]] = {}
    for v in result.plan.visits:
        for cid in v.consultants:
            c = inst.consultant_index[cid]
            (t,) = [
                t
                for t in inst.tours_by_consultant[c]
                if inst.tours[t].tour.date == v.date
                and inst.tours[t].tour.start <= v.start
                and v.end <= inst.tours[t].tour.end
            ]
            by_tour.setdefault(t, set()).add(inst.request_index[v.request])
    limits = tour_visit_limits(inst)
    for t, chosen in by_tour.items():
        assert len(chosen) <= limits[t]
        for members, coefs, rhs in window_cuts(inst, t):
            lhs = sum(c for r, c in zip(members, coefs, strict=True) if r in chosen)
            assert lhs <= rhs
