"""Tests of the PyVRP peer of the benchmark (bench/pyvrp_peer.py) on tiny generated weeks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``bench`` is not an installed package
    sys.path.insert(0, str(ROOT))

from bench.pyvrp_peer import (  # noqa: E402
    FORBIDDEN,
    NO_CONSULTANT,
    NOT_PLANNED,
    build_problem,
    inexpressible,
    solve_with_pyvrp,
)
from matcher.checker import check_plan  # noqa: E402
from matcher.scenario.domain import PublishedVisit, Scenario  # noqa: E402
from matcher.scenario.generate import generate_scenario  # noqa: E402
from matcher.scenario.loader import parse_scenario  # noqa: E402


def _tiny(seed: int = 3, n: int = 6, **kw: float) -> Scenario:
    opts = {"joint_share": 0.0, "weekly_caps": False, "pin_share": 0.0} | kw
    return parse_scenario(generate_scenario(seed, n, 2, **opts), "<tiny>")  # type: ignore[arg-type]


def _replace_request(scenario: Scenario, rid: str, **changes: object) -> Scenario:
    requests = tuple(
        dataclasses.replace(r, **changes) if r.id == rid else r  # type: ignore[arg-type]
        for r in scenario.requests
    )
    return dataclasses.replace(scenario, requests=requests)


def test_pyvrp_plan_is_feasible_and_its_model_objective_is_the_checkers() -> None:
    scenario = _tiny()
    result = solve_with_pyvrp(scenario, time_limit=1.0)
    report = check_plan(scenario, result.plan)
    assert report.violations == []
    assert result.plan.visits, "PyVRP planned nothing on a feasible 6-request instance"
    assert result.plan.solver.objective == report.objective
    assert result.plan.kpis["travel_minutes"] == report.travel_minutes
    # PyVRP sees the whole objective: its own cost plus the offset is the checker's.
    assert result.model_objective == report.objective
    for u in result.plan.unassigned:
        assert u.reasons[0].startswith(NOT_PLANNED)


def test_every_request_is_copied_per_allowed_window_in_one_exclusive_group() -> None:
    scenario = _tiny(seed=7, n=12)
    problem = build_problem(scenario)
    data = problem.data
    by_request: dict[str, list[int]] = {}
    for i, c in enumerate(problem.copies):
        by_request.setdefault(c.request.id, []).append(i)
    assert any(len(v) > 1 for v in by_request.values())
    for rid, idx in by_request.items():
        clients = [data.client(i) for i in idx]
        assert len({c.location for c in clients}) == 1, f"copies of {rid} share one location"
        assert all(not c.required for c in clients)
        if len(idx) > 1:
            group = data.group(clients[0].group)
            assert sorted(group.clients) == idx and not group.required
    assert len(problem.tours) == data.num_vehicle_types


def test_a_request_whose_only_qualified_consultant_is_excluded_is_not_served() -> None:
    base = _tiny()
    first = solve_with_pyvrp(base, time_limit=1.0)
    visit = first.plan.visits[0]
    rid, cid = visit.request, visit.consultants[0]
    # Only ``cid`` has the skill "uniek"; the request needs it.
    consultants = tuple(
        dataclasses.replace(c, skills=c.skills | {"uniek"}) if c.id == cid else c
        for c in base.consultants
    )
    needs = _replace_request(
        dataclasses.replace(base, consultants=consultants), rid, roles=(frozenset({"uniek"}),)
    )
    allowed = solve_with_pyvrp(needs, time_limit=1.0)
    assert rid in {v.request for v in allowed.plan.visits}, "cid can serve it when not excluded"

    youth = needs.request(rid).youth
    youths = tuple(
        dataclasses.replace(y, excluded_consultants=frozenset({cid})) if y.id == youth else y
        for y in needs.youths
    )
    excluded = dataclasses.replace(needs, youths=youths)
    problem = build_problem(excluded)
    # The consultant's tours cannot reach the request's copies.
    for k, tour in enumerate(problem.tours):
        if tour.consultant != cid:
            continue
        profile = problem.data.vehicle_type(k).profile
        dist = problem.data.distance_matrix(profile)
        dur = problem.data.duration_matrix(profile)
        for i, c in enumerate(problem.copies):
            loc = problem.data.client(i).location
            if c.request.id == rid:
                assert (dist[:loc, loc] == FORBIDDEN).all() and (dur[:loc, loc] == FORBIDDEN).all()
    result = solve_with_pyvrp(excluded, time_limit=1.0)
    assert check_plan(excluded, result.plan).violations == []
    assert rid not in {v.request for v in result.plan.visits}
    reasons = {u.request: u.reasons for u in result.plan.unassigned}
    assert reasons[rid] == (NO_CONSULTANT,)


def test_pins_are_kept() -> None:
    scenario = _tiny(seed=5, pin_share=0.5)
    pinned = [r.id for r in scenario.requests if r.pinned is not None]
    assert pinned and not inexpressible(scenario)
    result = solve_with_pyvrp(scenario, time_limit=1.0)
    report = check_plan(scenario, result.plan)
    assert report.violations == []
    assert set(pinned) <= {v.request for v in result.plan.visits}
    assert result.model_objective == report.objective


def test_published_visits_and_now_are_modelled_exactly() -> None:
    base = _tiny()
    plan = solve_with_pyvrp(base, time_limit=1.0).plan
    first = min(plan.visits, key=lambda v: (v.date, v.start))
    last = max(plan.visits, key=lambda v: (v.date, v.start))
    published = tuple(
        PublishedVisit(v.request, v.date, v.start, v.consultants) for v in (first, last)
    )
    # ``now`` after the first published visit: that one must be kept, the other may move.
    now = dt.datetime.combine(first.date, dt.time()) + dt.timedelta(minutes=first.start + 1)
    scenario = dataclasses.replace(base, published=published, now=now)
    result = solve_with_pyvrp(scenario, time_limit=1.0)
    report = check_plan(scenario, result.plan)
    assert report.violations == []
    assert any(published[0].kept_by(v) for v in result.plan.visits)
    assert result.model_objective == report.objective


def test_two_searches_in_parallel_processes() -> None:
    scenario = _tiny(seed=4, n=10)
    result = solve_with_pyvrp(scenario, time_limit=2.0, processes=2, seed=11)
    report = check_plan(scenario, result.plan)
    assert report.violations == []
    assert result.seed in (11, 12)
    assert result.model_objective == report.objective


def test_joint_visits_weekly_caps_and_huge_matrices_are_refused() -> None:
    scenario = _tiny(joint_share=1.0, weekly_caps=True)
    missing = inexpressible(scenario)
    assert any("joint" in m for m in missing) and any("weekly" in m for m in missing)
    with pytest.raises(ValueError, match="cannot express"):
        build_problem(scenario)
    small = _tiny()
    assert inexpressible(small) == []
    assert any("routing profiles" in m for m in inexpressible(small, max_matrix_bytes=1))
