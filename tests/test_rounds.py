"""The rolling weekly cycle: three consecutive rounds with a trajectory."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib

import pytest

from matcher.checker import check_plan
from matcher.cycle.rounds import Trajectory, next_round, next_week, round_name, trajectory_request
from matcher.scenario.domain import Plan, Scenario
from matcher.solver.solve import SolveParams

solve_module = importlib.import_module("matcher.solver.solve")

YOUTH = "Y-2026-011"  # placed in Venlo, seen by C-XON-2 in the example


def _solve(s: Scenario) -> Plan:
    plan = solve_module.solve(s, SolveParams(time_limit=3, workers=1, seed=1)).plan
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    return plan


@pytest.fixture
def series() -> Trajectory:
    return Trajectory(
        youth=YOUTH,
        consults=3,
        min_gap_days=5,
        max_gap_days=9,
        duration_minutes=60,
        roles=(frozenset({"loverboy-trauma"}),),
        preferred_consultant="C-XON-2",
    )


def test_next_week_and_names() -> None:
    assert next_week("2026-W48", ())[0] == "2026-W49"
    assert next_week("2026-W53", ())[0] == "2027-W01"
    week, days = next_week(None, (dt.date(2026, 12, 30),))
    assert week == "2027-W01" and days[0] == dt.date(2027, 1, 4) and len(days) == 5
    assert round_name("Voorbeeld week 48", "2026-W48", "2026-W49") == "Voorbeeld week 49"
    assert round_name("Limburg", "2026-W48", "2026-W49") == "Limburg (week 49)"


def test_three_rounds_carry_over_and_continue_the_trajectory(
    example: Scenario, series: Trajectory
) -> None:
    first = trajectory_request(series, example.days)
    assert first is not None
    r1 = dataclasses.replace(example, requests=(*example.requests, first))
    # A request nobody can serve stays open and must be carried over with its waiting.
    impossible = dataclasses.replace(
        example.requests[0], id="R-OPEN", roles=(frozenset({"nobody-has-this"}),), pinned=None
    )
    r1 = dataclasses.replace(r1, requests=(*r1.requests, impossible))
    p1 = _solve(r1)
    assert first.id in {v.request for v in p1.visits}
    v1 = next(v for v in p1.visits if v.request == first.id)

    n2 = next_round(r1, p1, [series])
    r2 = n2.scenario
    assert r2.week == "2026-W49" and r2.name == "Voorbeeld week 49"
    assert r2.days[0] == dt.date(2026, 11, 30) and r2.published == () and r2.now is None
    (t2,) = n2.trajectories
    assert t2.done == 1 and t2.last_visit == v1.date
    # Open requests carry over, dates widened, signalled_on unchanged (waiting counts on).
    assert "R-OPEN" in n2.carried
    carried = r2.request("R-OPEN")
    assert (carried.earliest, carried.latest) == (r2.days[0], r2.days[-1])
    assert r2.youth(carried.youth).signalled_on == example.youth(carried.youth).signalled_on
    # Planned requests are done.
    assert not {v.request for v in p1.visits} & {r.id for r in r2.requests}
    # The next consult lies in the gap after the last one.
    second = r2.request(t2.request_id())
    assert second.id in n2.created
    assert second.earliest >= max(r2.days[0], v1.date + dt.timedelta(days=5))
    assert second.latest <= v1.date + dt.timedelta(days=9)
    # Weekday availability carries over; dated windows and absences of the old week do not.
    for c, old in zip(r2.consultants, example.consultants, strict=True):
        assert [w for w in c.availability if w.weekday] == [
            w for w in old.availability if w.weekday
        ]
        assert all(w.date is None or w.date in r2.days for w in c.availability)
        assert all(u.date in r2.days for u in c.unavailable)
    # previous_consultant: the preferred consultant of the trajectory.
    assert r2.youth(YOUTH).previous_consultant == "C-XON-2"

    p2 = _solve(r2)
    v2 = next(v for v in p2.visits if v.request == second.id)
    n3 = next_round(r2, p2, n2.trajectories)
    (t3,) = n3.trajectories
    assert t3.done == 2 and t3.last_visit == v2.date
    r3 = n3.scenario
    assert r3.week == "2026-W50"
    third_id = t3.request_id()
    if v2.date + dt.timedelta(days=5) <= r3.days[-1]:
        third = r3.request(third_id)
        assert third.earliest >= v2.date + dt.timedelta(days=5)
    else:  # not due yet this week
        assert third_id not in {r.id for r in r3.requests}
    assert "R-OPEN" in n3.carried

    # A finished series creates nothing more.
    done = dataclasses.replace(t3, done=3)
    assert not next_round(r3, _solve(r3), [done]).created


def test_a_youth_seen_this_week_gets_that_consultant_as_previous(example: Scenario) -> None:
    # Y-2026-014 has two requests; one cannot be served, so the youth stays in the cycle.
    requests = tuple(
        dataclasses.replace(r, roles=(frozenset({"nobody-has-this"}),), pinned=None)
        if r.id == "R-6"
        else r
        for r in example.requests
    )
    s = dataclasses.replace(example, requests=requests)
    plan = _solve(s)
    seen = next(v for v in plan.visits if v.request == "R-2")
    nxt = next_round(s, plan)
    assert nxt.carried == ("R-6",)
    assert nxt.scenario.youth("Y-2026-014").previous_consultant == seen.consultants[0]
    assert [y.id for y in nxt.scenario.youths] == ["Y-2026-014"]
