"""Solver tests: one tiny scenario per hard rule, plus objective, determinism, limits, pins.

Every plan is verified by the independent checker (:func:`matcher.checker.check_plan`), never
by the solver's own bookkeeping; each test then asserts what the rule forces in that scenario.
"""

from __future__ import annotations

import importlib
import itertools
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from matcher.checker import check_plan
from matcher.scenario.domain import Plan, Scenario, Visit
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.solver.model import build_model, prepare
from matcher.solver.route_process import RouteBoundProcess
from matcher.solver.solve import Progress, Result, SolveParams, Solver, solve

# The package re-exports the function ``solve``, which hides the submodule attribute.
solve_mod = importlib.import_module("matcher.solver.solve")
search_mod = importlib.import_module("matcher.solver.search")
cp_lns_mod = importlib.import_module("matcher.solver.cp_lns")

SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec"
EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld-week-48.yaml"

MON, TUE, WED = "2026-11-23", "2026-11-24", "2026-11-25"
# About 15 minutes' drive north of BASE (0.1 degree latitude is 11.1 km, x 1.3 at 60 km/h).
BASE = {"lat": 51.0, "lon": 5.9}


def consultant(cid: str, **kw: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "id": cid,
        "provider": "p",
        "name": f"Consultant {cid}",
        "email": f"{cid.lower()}@example.org",
        "base": dict(BASE),
        "skills": ["a"],
        "availability": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
    }
    c.update(kw)
    return c


def location(lid: str, north: float = 0.0, **kw: Any) -> dict[str, Any]:
    loc: dict[str, Any] = {
        "id": lid,
        "name": f"Locatie {lid}",
        "kind": "gezinshuis",
        "gemeente": "Roermond",
        "lat": BASE["lat"] + north,
        "lon": BASE["lon"],
    }
    loc.update(kw)
    return loc


def youth(yid: str, loc: str, **kw: Any) -> dict[str, Any]:
    y: dict[str, Any] = {"id": yid, "location": loc, "gemeente": "Roermond", "signalled_on": MON}
    y.update(kw)
    return y


def request(rid: str, yid: str, **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"id": rid, "youth": yid, "skills": ["a"], "duration_minutes": 60}
    r.update(kw)
    return {k: v for k, v in r.items() if v is not None}


def scenario(
    consultants: list[dict[str, Any]],
    locations: list[dict[str, Any]],
    youths: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    days: tuple[str, ...] = (MON,),
    **extra: Any,
) -> Scenario:
    doc: dict[str, Any] = {
        "format": 1,
        "name": "test",
        "days": list(days),
        "providers": [{"id": "p", "name": "P"}],
        "consultants": consultants,
        "locations": locations,
        "youths": youths,
        "requests": requests,
    }
    doc.update(extra)
    return parse_scenario(doc, "<test>")


def run(s: Scenario, **kw: Any) -> Result:
    params = SolveParams(time_limit=kw.pop("time_limit", 10.0), workers=kw.pop("workers", 1), **kw)
    result = solve(s, params)
    report = check_plan(s, result.plan)
    assert report.feasible, report.violations
    assert result.plan.solver.objective == report.objective
    assert result.plan.kpis["travel_minutes"] == report.travel_minutes
    planned = [v.request for v in result.plan.visits] + [u.request for u in result.plan.unassigned]
    assert sorted(planned) == sorted(r.id for r in s.requests)
    assert all(u.reasons for u in result.plan.unassigned)
    return result


def visit(plan: Plan, rid: str) -> Visit:
    return next(v for v in plan.visits if v.request == rid)


def minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


# --------------------------------------------------------------------------------------
# The worked example
# --------------------------------------------------------------------------------------


def test_example_all_planned_and_optimal() -> None:
    s = load_scenario(EXAMPLE if EXAMPLE.exists() else SPEC / "example-scenario.yaml")
    result = run(s)
    assert len(result.plan.visits) == 6
    assert result.status == "optimal"
    assert result.bound == result.objective
    # The spec's example plan scores 2174 and is feasible, so the optimum is no worse.
    assert result.objective is not None and result.objective <= 2174


# --------------------------------------------------------------------------------------
# One test per hard rule
# --------------------------------------------------------------------------------------


def test_roles_matched_one_to_one_to_distinct_skilled_consultants() -> None:
    # C1 can fill either role, C2 only role [a]; so C2 must take [a] and C1 [b].
    s = scenario(
        [consultant("C1", skills=["a", "b"]), consultant("C2", skills=["a"])],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", skills=None, roles=[["a"], ["b"]])],
    )
    v = visit(run(s).plan, "R1")
    assert sorted(v.consultants) == ["C1", "C2"]


def test_joint_visit_waits_for_the_later_consultant() -> None:
    # C2 lives 45 minutes further away; both start together, so not before C2 can arrive.
    far = {"lat": BASE["lat"] + 0.4, "lon": BASE["lon"]}
    s = scenario(
        [consultant("C1"), consultant("C2", skills=["b"], base=far)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", skills=None, roles=[["a"], ["b"]])],
    )
    tm = prepare(s).travel
    v = visit(run(s).plan, "R1")
    assert v.start >= 9 * 60 + tm("base:C2", "L1") > 9 * 60 + tm("base:C1", "L1")


def test_tour_window_includes_the_drive_from_and_back_to_base() -> None:
    # Window 09:00-11:00; the drive is d minutes each way, so a 60-minute visit must start in
    # [09:00 + d, 11:00 - d - 60].
    s = scenario(
        [consultant("C1", availability=[{"weekday": "mon", "start": "09:00", "end": "11:00"}])],
        [location("L1", 0.2)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1")],
    )
    d = prepare(s).travel("base:C1", "L1")
    v = visit(run(s).plan, "R1")
    assert 9 * 60 + d <= v.start <= 11 * 60 - d - 60


def test_tour_too_short_for_the_drive_leaves_request_open() -> None:
    s = scenario(
        [consultant("C1", availability=[{"weekday": "mon", "start": "09:00", "end": "10:30"}])],
        [location("L1", 0.3)],  # about 45 minutes each way: no room for 60 minutes
        [youth("Y-1", "L1")],
        [request("R1", "Y-1")],
    )
    result = run(s)
    assert [u.request for u in result.plan.unassigned] == ["R1"]
    assert result.plan.solver.objective == 1000 * 2


def test_travel_between_consecutive_visits() -> None:
    # Two visits far apart for one consultant with little slack: the second starts after the
    # first ends plus the drive.
    s = scenario(
        [consultant("C1", availability=[{"weekday": "mon", "start": "09:00", "end": "13:00"}])],
        [location("L1", 0.1), location("L2", -0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L2")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )
    tm = prepare(s).travel
    plan = run(s).plan
    a, b = sorted(plan.visits, key=lambda v: v.start)
    assert b.start >= a.end + tm(a.location, b.location)


def test_date_not_before_signalled_on() -> None:
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed")]
    s = scenario(
        [consultant("C1", availability=avail)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1", signalled_on=TUE)],
        [request("R1", "Y-1")],
        days=(MON, TUE, WED),
    )
    assert visit(run(s).plan, "R1").date.isoformat() == TUE  # Monday is free but too early


def test_dates_within_earliest_and_latest() -> None:
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed")]
    s = scenario(
        [consultant("C1", availability=avail, max_visits_per_day=1)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1", urgency="crisis")],
        [request("R1", "Y-1", earliest=WED), request("R2", "Y-2", latest=MON)],
        days=(MON, TUE, WED),
    )
    plan = run(s).plan
    assert visit(plan, "R1").date.isoformat() == WED
    assert visit(plan, "R2").date.isoformat() == MON


def test_time_of_day() -> None:
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", time_of_day={"start": "14:30", "end": "16:00"})],
    )
    v = visit(run(s).plan, "R1")
    assert minutes("14:30") <= v.start and v.end <= minutes("16:00")


def test_opening_hours_decide_the_day_and_time() -> None:
    # Open only on Tuesday 14:00-15:00: waiting would prefer Monday, the rule forces Tuesday.
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue")]
    s = scenario(
        [consultant("C1", availability=avail)],
        [location("L1", 0.1, open=[{"weekday": "tue", "start": "14:00", "end": "15:00"}])],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1")],
        days=(MON, TUE),
    )
    v = visit(run(s).plan, "R1")
    assert (v.date.isoformat(), v.start, v.end) == (TUE, 14 * 60, 15 * 60)


def test_visit_lies_wholly_inside_one_opening_window() -> None:
    # Two 45-minute windows with a gap: a 60-minute visit fits in neither.
    s = scenario(
        [consultant("C1")],
        [
            location(
                "L1",
                0.1,
                open=[
                    {"weekday": "mon", "start": "10:00", "end": "10:45"},
                    {"weekday": "mon", "start": "10:45", "end": "11:30"},
                ],
            )
        ],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1")],
    )
    assert [u.request for u in run(s).plan.unassigned] == ["R1"]


def test_excluded_consultant_is_never_used() -> None:
    far = {"lat": BASE["lat"] + 0.3, "lon": BASE["lon"]}
    s = scenario(
        [consultant("C1"), consultant("C2", base=far)],
        [location("L1", 0.0)],
        [youth("Y-1", "L1", excluded_consultants=["C1"])],
        [request("R1", "Y-1")],
    )
    assert visit(run(s).plan, "R1").consultants == ("C2",)


def test_pin_keeps_consultant_date_and_start() -> None:
    # Without the pin C1 (next door) on Monday is cheapest; the pin asks C2 on Tuesday 13:15.
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue")]
    far = {"lat": BASE["lat"] + 0.3, "lon": BASE["lon"]}
    s = scenario(
        [consultant("C1", availability=avail), consultant("C2", base=far, availability=avail)],
        [location("L1", 0.0)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [
            request("R1", "Y-1", pinned={"consultants": ["C2"], "date": TUE, "start": "13:15"}),
            request("R2", "Y-2"),
        ],
        days=(MON, TUE),
    )
    plan = run(s).plan
    v = visit(plan, "R1")
    assert (v.consultants, v.date.isoformat(), v.start) == (("C2",), TUE, 13 * 60 + 15)
    assert visit(plan, "R2").consultants == ("C1",) and visit(plan, "R2").date.isoformat() == MON


def test_max_visits_per_day_spreads_over_days() -> None:
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue")]
    s = scenario(
        [consultant("C1", availability=avail, max_visits_per_day=1)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
        days=(MON, TUE),
    )
    plan = run(s).plan
    assert sorted(v.date.isoformat() for v in plan.visits) == [MON, TUE]


def test_max_visits_per_week_leaves_the_cheaper_request_open() -> None:
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue")]
    s = scenario(
        [consultant("C1", availability=avail, max_visits_per_week=1)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1", urgency="low"), youth("Y-2", "L1", urgency="crisis")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
        days=(MON, TUE),
    )
    plan = run(s).plan
    assert [v.request for v in plan.visits] == ["R2"]
    assert [u.request for u in plan.unassigned] == ["R1"]


def test_visits_of_one_consultant_never_overlap() -> None:
    # Three visits at one place that all want the same 2-hour slot: they follow each other.
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth(f"Y-{i}", "L1") for i in range(3)],
        [
            request(
                f"R{i}",
                f"Y-{i}",
                duration_minutes=40,
                time_of_day={"start": "10:00", "end": "12:00"},
            )
            for i in range(3)
        ],
    )
    plan = run(s).plan
    spans = sorted((v.start, v.end) for v in plan.visits)
    assert len(spans) == 3
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_continuity_prefers_the_previous_consultant() -> None:
    # C2 lives further away (more travel) but saw the youth before: continuity (60) wins.
    near = {"lat": BASE["lat"] + 0.05, "lon": BASE["lon"]}
    s = scenario(
        [consultant("C1"), consultant("C2", base=near)],
        [location("L1", 0.0)],
        [youth("Y-1", "L1", previous_consultant="C2")],
        [request("R1", "Y-1")],
    )
    assert visit(run(s).plan, "R1").consultants == ("C2",)


# --------------------------------------------------------------------------------------
# Objective, determinism, limits, pins, stopping
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> Scenario:
    return parse_scenario(generate_scenario(7, 30, 8), "<generated>")


def test_objective_equals_checker_on_a_generated_week(generated: Scenario) -> None:
    result = run(generated, time_limit=3.0, workers=2)
    assert result.objective is not None
    assert result.bound is None or result.bound <= result.objective


def test_search_path_objective_equals_checker(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    result = run(generated, time_limit=2.0)
    assert result.method == "alns"
    assert result.bound is not None and result.objective is not None
    assert result.bound <= result.objective


def test_same_seed_one_worker_same_plan(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    monkeypatch.setattr(solve_mod, "WORK_PER_SECOND", 20_000)  # stops on work, not on time
    a = solve(generated, SolveParams(time_limit=5.0, workers=1, seed=3))
    b = solve(generated, SolveParams(time_limit=5.0, workers=1, seed=3))
    assert a.plan.visits == b.plan.visits
    assert a.objective == b.objective


def test_one_worker_tells_when_the_clock_not_the_work_ended_its_search(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    # No exact steps: each charges its CP-SAT time as WORK_PER_SECOND work units, so with
    # the budget below they would reach it themselves (three steps of 0.3 s).
    monkeypatch.setattr(solve_mod, "_polisher", lambda *_a: lambda _st, _rng: None)
    monkeypatch.setattr(solve_mod, "WORK_PER_SECOND", 10**12)  # a budget no machine reaches
    cut = solve(generated, SolveParams(time_limit=2.0, workers=1, seed=3))
    assert cut.clock_cut
    assert "another plan on another machine" in cut.summary()
    assert not solve(generated, SolveParams(time_limit=2.0, workers=2, seed=3)).clock_cut
    # stops on work, not on time: about the work budget of 2 s at 20 000 units a second
    # (18 200 units against 18 000), with the room of a 10-s limit for a slow or busy machine
    monkeypatch.setattr(solve_mod, "WORK_PER_SECOND", 2_800)
    done = solve(generated, SolveParams(time_limit=10.0, workers=1, seed=3))
    assert not done.clock_cut
    assert "another machine" not in done.summary()


def test_one_worker_tells_when_the_clock_ended_the_exact_model(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the small path (one CP-SAT model after a short search); this week's model is not
    # proven optimal within seconds, so its work limit or the clock ends it. The same
    # limit both times: only CP-SAT's work limit differs (0.25 s of deterministic time,
    # reached well in time even on a slow or busy machine).
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 10**9)
    monkeypatch.setattr(solve_mod, "EXACT_WORK_SHARE", 0.025)
    done = solve(generated, SolveParams(time_limit=10.0, workers=1, seed=3))
    assert done.method == "cp-sat" and done.status == "feasible"
    assert not done.clock_cut
    monkeypatch.setattr(solve_mod, "EXACT_WORK_SHARE", 10**6)  # work no machine does
    cut = solve(generated, SolveParams(time_limit=10.0, workers=1, seed=3))
    assert cut.method == "cp-sat" and cut.status == "feasible"
    assert cut.clock_cut
    assert "another plan on another machine" in cut.summary()


def test_same_seed_one_worker_same_plan_exact_model() -> None:
    s = load_scenario(EXAMPLE if EXAMPLE.exists() else SPEC / "example-scenario.yaml")
    a = solve(s, SolveParams(time_limit=5.0, workers=1, seed=1))
    b = solve(s, SolveParams(time_limit=5.0, workers=1, seed=1))
    assert a.plan.visits == b.plan.visits


def test_time_limit_is_respected() -> None:
    s = parse_scenario(generate_scenario(11, 120, 25), "<generated>")
    t0 = time.monotonic()
    result = solve(s, SolveParams(time_limit=2.0, workers=2))
    elapsed = time.monotonic() - t0
    assert elapsed < 2.0 + 1.5
    assert check_plan(s, result.plan).feasible
    assert result.plan.visits


def test_clashing_pins_give_status_infeasible() -> None:
    # Both requests pinned to C1 at the same start: they cannot both hold.
    pin = {"consultants": ["C1"], "date": MON, "start": "10:00"}
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1"), youth("Y-3", "L1")],
        [request("R1", "Y-1", pinned=pin), request("R2", "Y-2", pinned=pin), request("R3", "Y-3")],
    )
    result = solve(s, SolveParams(time_limit=5.0, workers=1))
    assert result.status == "infeasible"
    assert result.plan.solver.status == "infeasible"
    assert result.plan.visits == ()
    open_ids = {u.request: u.reasons for u in result.plan.unassigned}
    assert set(open_ids) == {"R1", "R2", "R3"}
    assert all(open_ids.values())
    assert result.plan.extra["infeasible_pins"] == ["R1", "R2"]


def test_pin_start_that_does_not_fit_the_tour_is_infeasible() -> None:
    # The tour ends at 17:00: a 60-minute visit pinned at 16:00 leaves no time to drive back.
    pin = {"consultants": ["C1"], "date": MON, "start": "16:00"}
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", pinned=pin)],
    )
    assert solve(s, SolveParams(time_limit=3.0, workers=1)).status == "infeasible"


def test_stop_event_returns_a_feasible_plan_early(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    solver = Solver(generated, SolveParams(time_limit=30.0, workers=2))
    worker = threading.Thread(target=solver.run)
    t0 = time.monotonic()
    worker.start()
    time.sleep(0.5)
    solver.stop()
    worker.join(10)
    assert not worker.is_alive()
    assert time.monotonic() - t0 < 5
    assert solver.result is not None
    assert check_plan(generated, solver.result.plan).feasible


def test_progress_reports_improvements(generated: Scenario) -> None:
    seen: list[Progress] = []
    result = solve(generated, SolveParams(time_limit=2.0, workers=2), on_progress=seen.append)
    assert seen
    objectives = [p.objective for p in seen if p.objective is not None]
    assert objectives == sorted(objectives, reverse=True)
    assert result.objective is not None and objectives[-1] >= result.objective


def test_unassigned_requests_carry_reasons() -> None:
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", skills=["emdr"])],
    )
    result = run(s)
    (u,) = result.plan.unassigned
    assert u.request == "R1" and u.reasons and all(isinstance(x, str) and x for x in u.reasons)


def test_model_has_one_circuit_per_tour_with_candidates(generated: Scenario) -> None:
    inst = prepare(generated)
    pm = build_model(inst)
    used = [t for t, opts in enumerate(inst.options_by_tour) if opts]
    assert sorted(pm.arcs) == used
    # Each request's options only name tours of consultants with the skills for some role.
    for r in inst.requests:
        for o in r.options:
            c = generated.consultants[inst.tours[o.tour].consultant]
            assert any(c.has_skills(role) for role in r.request.roles)


def test_one_worker_tells_when_the_clock_ended_an_exact_neighbourhood(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the large path, stopping on work; the search's exact steps come often. The work
    # budget (6 500 units) takes about 2 s here, so the 10-s limit leaves a slow or busy
    # machine room to finish it before the deadline (a 2-s limit did not on CI).
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    monkeypatch.setattr(solve_mod, "WORK_PER_SECOND", 1_000)
    monkeypatch.setattr(search_mod, "POLISH_WORK", 500)
    done = solve(generated, SolveParams(time_limit=10.0, workers=1, seed=3))
    assert not done.clock_cut
    # a wall-clock safety net far below the steps' work limit: the clock ends them
    monkeypatch.setattr(cp_lns_mod, "DETERMINISTIC_WALL_FACTOR", 1e-6)
    cut = solve(generated, SolveParams(time_limit=10.0, workers=1, seed=3))
    assert cut.clock_cut
    assert "another plan on another machine" in cut.summary()


def _counting_cheap_bound(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the seconds of every cheap-bound computation in this (the parent) process."""
    calls: list[float] = []
    real = solve_mod.cheap_bound

    def counted(inst: Any, seconds: float) -> int:
        calls.append(seconds)
        return int(real(inst, seconds))

    monkeypatch.setattr(solve_mod, "cheap_bound", counted)
    return calls


def test_two_workers_leave_the_cheap_bounds_to_the_child(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)  # the large path
    calls = _counting_cheap_bound(monkeypatch)
    result = run(generated, time_limit=5.0, workers=2)
    assert calls == []  # the search did not wait for them
    assert result.bound is not None  # the child sent them
    assert result.bound <= check_plan(generated, result.plan).objective


def test_the_search_makes_up_the_cheap_bounds_when_the_child_dies(
    generated: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DyingChild(RouteBoundProcess):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._proc.kill()  # before it could send anything

    monkeypatch.setattr(solve_mod, "FULL_MODEL_MAX_ARCS", 0)
    monkeypatch.setattr(solve_mod, "RouteBoundProcess", DyingChild)
    calls = _counting_cheap_bound(monkeypatch)
    result = run(generated, time_limit=5.0, workers=2)
    assert len(calls) == 1
    assert result.bound is not None
    assert result.bound <= check_plan(generated, result.plan).objective
