"""Tests of the lower bounds (their validity on random tiny scenarios is a property test in
``test_solve_properties.py``, against a brute-force optimum)."""

from __future__ import annotations

from pathlib import Path

from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.solver.bounds import (
    RelaxationBound,
    cheap_bound,
    flow_lower_bound,
    lower_bound,
    relaxation_bound,
    select_window_cuts,
    tour_visit_limits,
    travel_shares2,
    window_cuts,
)
from matcher.solver.model import prepare, triangle_inequality_holds
from matcher.solver.solve import SolveParams, solve

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld-week-48.yaml"


def test_bounds_on_the_example_stay_below_the_proven_optimum() -> None:
    s = load_scenario(EXAMPLE)
    inst = prepare(s)
    optimum = solve(s, SolveParams(time_limit=10, workers=1))
    assert optimum.status == "optimal" and optimum.objective is not None
    triv = lower_bound(inst)
    flow = flow_lower_bound(inst)
    lp = relaxation_bound(inst, 5.0, lp_only=True)
    mip = relaxation_bound(inst, 5.0)
    assert flow is not None and lp is not None and mip is not None
    assert triv <= optimum.objective
    assert flow <= optimum.objective
    assert lp <= mip <= optimum.objective
    assert mip > triv  # the relaxation sees caps and round trips


def _doc(week_cap: int | None) -> dict[str, object]:
    consultant: dict[str, object] = {
        "id": "C1",
        "provider": "p",
        "name": "C",
        "email": "c@example.org",
        "base": {"lat": 51.0, "lon": 5.9},
        "skills": ["a"],
        "availability": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
    }
    if week_cap is not None:
        consultant["max_visits_per_week"] = week_cap
    return {
        "format": 1,
        "name": "caps",
        "days": ["2026-11-23"],
        "providers": [{"id": "p", "name": "P"}],
        "consultants": [consultant],
        "locations": [
            {
                "id": "L1",
                "name": "L",
                "kind": "school",
                "gemeente": "Venlo",
                "lat": 51.1,
                "lon": 5.9,
            }
        ],
        "youths": [
            {"id": f"Y-{i}", "location": "L1", "gemeente": "Venlo", "signalled_on": "2026-11-23"}
            for i in range(3)
        ],
        "requests": [
            {"id": f"R{i}", "youth": f"Y-{i}", "skills": ["a"], "duration_minutes": 60}
            for i in range(3)
        ],
    }


def test_flow_bound_counts_the_weekly_cap() -> None:
    # One visit a week for three requests: two stay open (2 x 2000) whatever the plan.
    capped = prepare(parse_scenario(_doc(1), "<caps>"))
    free = prepare(parse_scenario(_doc(None), "<caps>"))
    flow = flow_lower_bound(capped)
    assert flow is not None and flow >= 2 * 2000
    assert lower_bound(capped) < 2 * 2000  # the request-by-request bound cannot see the cap
    assert (flow_lower_bound(free) or 0) < 2000


def test_the_cheap_bound_adds_the_flow_relaxations_only_when_there_is_time() -> None:
    capped = prepare(parse_scenario(_doc(1), "<caps>"))
    flows = [flow_lower_bound(capped, spread=s) or 0 for s in (1.0, 0.5)]
    assert cheap_bound(capped, 60.0) == max(lower_bound(capped), *flows)
    assert cheap_bound(capped, 60.0) >= 2 * 2000  # the flow sees the weekly cap
    assert cheap_bound(capped, 1.0) == lower_bound(capped) < 2 * 2000


def test_travel_share_is_the_round_trip_for_a_lonely_visit() -> None:
    doc = _doc(None)
    doc["requests"] = [{"id": "R0", "youth": "Y-0", "skills": ["a"], "duration_minutes": 60}]
    inst = prepare(parse_scenario(doc, "<one>"))
    ((key, share2),) = travel_shares2(inst).items()
    base = inst.tours[key[1]].base
    point = inst.requests[key[0]].point
    assert share2 == 2 * (inst.minutes[base][point] + inst.minutes[point][base])


def test_bounds_stay_valid_when_a_travel_matrix_breaks_the_triangle_inequality() -> None:
    # The shipped matrix scenario overrides travel times; round-trip arguments must then be
    # switched off, and every bound must stay below the proven optimum.
    path = EXAMPLE.parent / "limburg-week-matrix.yaml"
    s = load_scenario(path)
    inst = prepare(s)
    assert not triangle_inequality_holds(inst)
    optimum = solve(s, SolveParams(time_limit=20, workers=1))
    assert optimum.status == "optimal" and optimum.objective is not None
    for spread in (0.0, 1.0):
        flow = flow_lower_bound(inst, spread=spread)
        assert flow is not None and flow <= optimum.objective
    mip = relaxation_bound(inst, 5.0)
    assert mip is not None and mip <= optimum.objective


def _two_in_one_slot(day_cap: int | None = None) -> dict[str, object]:
    # Two 60-minute visits that must both lie in 10:00-11:30 on the only day: one tour can
    # hold only one of them, although the tour (09:00-17:00) has time for both.
    doc = _doc(None)
    consultant = doc["consultants"][0]  # type: ignore[index]
    if day_cap is not None:
        consultant["max_visits_per_day"] = day_cap
    doc["requests"] = [
        {
            "id": f"R{i}",
            "youth": f"Y-{i}",
            "skills": ["a"],
            "duration_minutes": 60,
            "time_of_day": {"start": "10:00", "end": "11:30"},
        }
        for i in range(2)
    ]
    return doc


def test_window_cut_keeps_two_visits_of_one_slot_apart() -> None:
    s = parse_scenario(_two_in_one_slot(), "<slot>")
    inst = prepare(s)
    ((members, coefs, rhs),) = window_cuts(inst, 0)
    assert sorted(members) == [0, 1]
    assert sum(coefs) > rhs  # both together break the cut
    assert all(c <= rhs for c in coefs)  # either alone keeps it
    optimum = solve(s, SolveParams(time_limit=10, workers=1))
    assert optimum.status == "optimal" and optimum.objective is not None
    assert optimum.plan.kpis["unassigned"] == 1
    with_cuts = RelaxationBound(inst).run(5.0)
    without = RelaxationBound(inst, cut_budget=0).run(5.0)
    assert with_cuts is not None and without is not None
    assert without < 2000 <= with_cuts <= optimum.objective


def test_window_cuts_respect_the_coefficient_budget() -> None:
    inst = prepare(load_scenario(EXAMPLE.parent / "limburg-week.yaml"))
    everything = select_window_cuts(inst, budget=10**9)
    total = sum(len(m) for cuts in everything.values() for m, _, _ in cuts)
    assert total > 0
    some = select_window_cuts(inst, budget=total // 2)
    assert 0 < sum(len(m) for cuts in some.values() for m, _, _ in cuts) <= total // 2


def test_visit_limits_count_the_daily_cap_and_the_durations_that_fit() -> None:
    doc = _doc(None)
    doc["requests"] = [
        {"id": f"R{i}", "youth": f"Y-{i}", "skills": ["a"], "duration_minutes": 180}
        for i in range(3)
    ]
    # 480 minutes minus the round trip hold two visits of 180 minutes, not three.
    assert tour_visit_limits(prepare(parse_scenario(doc, "<fit>"))) == [2]
    doc["consultants"][0]["max_visits_per_day"] = 1  # type: ignore[index]
    assert tour_visit_limits(prepare(parse_scenario(doc, "<cap>"))) == [1]
