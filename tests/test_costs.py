"""Tests of matcher.policy.costs: the km rule, the Hamilton split, exact totals and periods."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.policy.costs import (
    CostError,
    Distances,
    apportion,
    costs_by_gemeente,
    costs_by_period,
    costs_by_provider,
    hours_cents,
    km_cents,
    period_key,
    period_label,
    plan_costs,
    visit_costs,
)
from matcher.scenario.domain import Plan, Provider, Scenario, SolverInfo, TravelSettings, Visit
from matcher.scenario.loader import load_scenario

FIER = {"hourly_rate": 95.0, "km_rate": 0.23}
XONAR = {"hourly_rate": 87.5, "km_rate": 0.21}


def with_rates(scenario: Scenario, **rates: Mapping[str, float | None]) -> Scenario:
    """The scenario with the given providers' rates replaced (others unchanged)."""
    providers = tuple(
        dataclasses.replace(p, **rates[p.id]) if p.id in rates else p  # type: ignore[arg-type]
        for p in scenario.providers
    )
    return dataclasses.replace(scenario, providers=providers)


def independent_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine written out again (R = 6371.0 km), times the example's detour 1.3."""
    f1, f2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((f2 - f1) / 2) ** 2
        + math.cos(f1) * math.cos(f2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h)) * 1.3


def plan_of(visits: list[Visit]) -> Plan:
    return Plan("t", SolverInfo("feasible", None, None, 0.0), tuple(visits), ())


# Apportionment -------------------------------------------------------------------------------


def test_apportion_gives_leftover_cents_to_the_largest_remainders() -> None:
    # 10 * 1/3 = 3.33 each: one cent left, tie -> the first
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    # quotas 1.5, 2.5, 1.0 of 5: floors 1, 2, 1 (=4); remainders .5, .5, 0 -> the first
    assert apportion(5, [3, 5, 2]) == [2, 2, 1]
    # quotas 6.6 and 3.4 of 10 -> 6 + 3, the .6 remainder gets the cent
    assert apportion(10, [66, 34]) == [7, 3]
    assert apportion(7, [0, 0]) == [4, 3]  # all weights 0: equal shares
    assert apportion(0, [5, 1]) == [0, 0]
    with pytest.raises(ValueError, match=">= 0"):
        apportion(3, [1, -1])
    with pytest.raises(ValueError, match="at least one"):
        apportion(3, [])


@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12),
)
def test_apportion_is_exact_and_within_one_of_each_quota(total: int, weights: list[int]) -> None:
    shares = apportion(total, weights)
    assert sum(shares) == total
    ws = weights if any(weights) else [1] * len(weights)
    for share, w in zip(shares, ws, strict=True):
        quota = Fraction(total * w, sum(ws))
        assert math.floor(quota) <= share <= math.ceil(quota)


def test_rounding_of_hours_and_km_is_half_up_in_cents() -> None:
    assert hours_cents(45, 87.5) == 6563  # 45/60 * 87.50 = 65.625 -> 65.63
    assert hours_cents(60, None) == 0
    assert hours_cents(50, 100.0) == 8333  # 83.333...
    assert km_cents(61450, 0.21) == 1290  # 61.45 km * 0.21 = 12.9045
    assert km_cents(1000, 0.35) == 35  # 0.35 is read as written, not as 0.3499999...
    assert km_cents(5, 0.3) == 0  # 0.0015 euro


# Distances -------------------------------------------------------------------------------------


def test_km_follow_the_haversine_and_detour_rule(example: Scenario) -> None:
    d = Distances(example)
    venlo = example.location("L-GH-VENLO")
    base = example.consultant("C-XON-2").base
    expected = independent_km(base.lat, base.lon, venlo.lat, venlo.lon)
    assert d.km("base:C-XON-2", "L-GH-VENLO") == pytest.approx(expected, rel=1e-12)
    assert d.metres("base:C-XON-2", "L-GH-VENLO") == round(expected * 1000)
    assert d.km("L-JZP-CADIER", "L-JZP-CADIER") == 0.0


def test_matrix_overrides_give_km_from_minutes_and_speed(example: Scenario) -> None:
    travel = TravelSettings(speed_kmh=48.0, overrides=(("base:C-XON-2", "L-GH-VENLO", 25),))
    d = Distances(dataclasses.replace(example, travel=travel))
    assert d.km("base:C-XON-2", "L-GH-VENLO") == pytest.approx(20.0)  # 25 min * 48 km/h / 60
    # the other direction is not listed: computed (detour 1.3 by default)
    assert d.km("L-GH-VENLO", "base:C-XON-2") == pytest.approx(
        Distances(example).km("L-GH-VENLO", "base:C-XON-2")
    )


# The spec example, by hand ---------------------------------------------------------------------


def test_spec_example_priced_by_hand(example: Scenario, example_plan: Plan) -> None:
    """Fier 95.00/h and 0.23/km, Xonar 87.50/h and 0.21/km; legs in metres checked
    against an independent haversine, then every figure below follows from them."""
    s = with_rates(example, fier=FIER, xonar=XONAR)
    pts = {loc.id: (loc.lat, loc.lon) for loc in s.locations}
    pts |= {f"base:{c.id}": (c.base.lat, c.base.lon) for c in s.consultants}

    def m(a: str, b: str) -> int:
        return round(independent_km(*pts[a], *pts[b]) * 1000)

    legs = {
        ("base:C-XON-2", "L-RES-ROERMOND"): 30492,
        ("L-RES-ROERMOND", "L-GH-VENLO"): 28925,
        ("L-GH-VENLO", "base:C-XON-2"): 2033,
        ("base:C-FIER-1", "L-JZP-CADIER"): 5417,
        ("base:C-XON-1", "L-JZP-CADIER"): 22373,
        ("L-JZP-CADIER", "L-PZ-SITTARD"): 25923,
        ("L-PZ-SITTARD", "base:C-XON-1"): 19161,
        ("base:C-XON-1", "L-RES-ROERMOND"): 44239,
    }
    for (a, b), metres in legs.items():
        assert m(a, b) == metres, (a, b)
    costs = plan_costs(s, example_plan)
    tours = {(t.consultant, t.date.day): t for t in costs.tours}
    # C-XON-2 Monday: base -> Roermond (R-2) -> Venlo (R-1) -> base
    # 30492 + 28925 + 2033 = 61450 m; 61.450 * 0.21 = 12.9045 -> 1290 cents
    assert (tours["C-XON-2", 23].metres, tours["C-XON-2", 23].km_cents) == (61450, 1290)
    # weights: R-2 2*30492 = 60984, R-1 2*2033 = 4066 (sum 65050)
    # quotas 1290*60984/65050 = 1209.36, 1290*4066/65050 = 80.63 -> 1209 + 80, cent to R-1
    by = {v.request: v for v in costs.visits}
    assert (by["R-2"].km_cents, by["R-1"].km_cents) == (1209, 81)
    # C-FIER-1 Tuesday: base -> Cadier (R-4) -> Cadier (R-5) -> base = 2*5417 = 10834 m
    # 10.834 * 0.23 = 2.49182 -> 249; equal weights: 124.5 each -> 125 to R-4 (first), 124
    assert tours["C-FIER-1", 24].km_cents == 249
    # C-XON-1 Tuesday: 22373 + 25923 + 19161 = 67457 m; 67.457 * 0.21 = 14.16597 -> 1417
    # weights R-5 2*22373 = 44746, R-3 2*19161 = 38322: 763.32 and 653.68 -> 763 + 654
    assert tours["C-XON-1", 24].km_cents == 1417
    # C-XON-1 Thursday: 2*44239 = 88478 m; 88.478 * 0.21 = 18.58038 -> 1858, all to R-6
    assert tours["C-XON-1", 26].km_cents == 1858
    fier_r5, xonar_r5 = by["R-5"].lines
    assert (fier_r5.km_cents, xonar_r5.km_cents) == (124, 763)
    # hours: R-5 is joint: 60 min at 95.00 (Fier) + 60 min at 87.50 (Xonar)
    assert (fier_r5.hours_cents, xonar_r5.hours_cents) == (9500, 8750)
    assert by["R-4"].total_cents == 14250 + 125  # 90 min * 95.00 + km share
    assert by["R-6"].total_cents == 6563 + 1858  # 45 min * 87.50 = 65.625 -> 65.63
    totals = costs_by_gemeente(costs.visits)
    assert totals["Leudal"].total_cents == (13125 + 1209) + (6563 + 1858)  # R-2 + R-6
    assert totals["Heerlen"].total_cents == 9500 + 124 + 8750 + 763
    assert totals["Venlo"].total_cents == 8750 + 81
    assert totals["Sittard-Geleen"].total_cents == 8750 + 654
    assert totals["Maastricht"].total_cents == 14250 + 125
    # the plan's total: every tour's km cost plus every consultant's hours
    hours = 13125 + 8750 + 14250 + 9500 + 8750 + 8750 + 6563
    assert costs.total_cents == 1290 + 249 + 1417 + 1858 + hours
    assert sum(t.total_cents for t in totals.values()) == costs.total_cents
    assert costs.missing_rates == ()


def test_missing_rates_count_as_zero_and_are_reported(
    example: Scenario, example_plan: Plan
) -> None:
    s = with_rates(example, fier={"hourly_rate": 95.0, "km_rate": None})
    costs = plan_costs(s, example_plan)
    missing = {m.provider: (m.hourly_rate, m.km_rate) for m in costs.missing_rates}
    assert missing == {"fier": (False, True), "xonar": (True, True)}
    assert all(line.km_cents == 0 for v in costs.visits for line in v.lines)
    assert costs.total_cents == sum(
        line.hours_cents for v in costs.visits for line in v.lines if line.provider == "fier"
    )
    assert costs.total_cents == 95_00 * (90 + 60) // 60


def test_providers_split_a_joint_visit(example: Scenario, example_plan: Plan) -> None:
    s = with_rates(example, fier=FIER, xonar=XONAR)
    costs = plan_costs(s, example_plan)
    per = costs_by_provider(v for v in costs.visits if v.request == "R-5")
    assert per["fier"].hours_cents == 9500 and per["xonar"].hours_cents == 8750
    assert per["fier"].visits == per["xonar"].visits == 1
    every = costs_by_provider(costs.visits)
    assert sum(t.total_cents for t in every.values()) == costs.total_cents
    assert every["xonar"].visits == 5


def test_unknown_ids_are_all_reported(example: Scenario, example_plan: Plan) -> None:
    bad = dataclasses.replace(example_plan.visits[0], request="R-404")
    worse = dataclasses.replace(example_plan.visits[1], consultants=("C-NOPE",))
    with pytest.raises(CostError) as err:
        plan_costs(example, plan_of([bad, worse, *example_plan.visits[2:]]))
    assert len(err.value.problems) == 2
    assert "R-404" in str(err.value) and "C-NOPE" in str(err.value)


def test_a_visit_outside_every_window_is_priced_and_warned(example: Scenario) -> None:
    s = with_rates(example, xonar=XONAR)
    # C-XON-2 works Mon and Wed; Friday is no window
    v = Visit("R-1", "Y-2026-011", "L-GH-VENLO", ("C-XON-2",), dt.date(2026, 11, 27), 600, 660)
    costs = plan_costs(s, plan_of([v]))
    assert costs.tours[0].window is None
    assert costs.tours[0].metres == 2 * 2033
    assert "no availability window" in costs.warnings[0]
    assert costs.total_cents == 8750 + km_cents(4066, 0.21)


# Exact totals on random plans ------------------------------------------------------------------

rate = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=250, places=2).map(lambda d: float(d))
)


@st.composite
def priced_plans(draw: st.DrawFn, scenario: Scenario) -> tuple[Scenario, Plan]:
    providers = tuple(Provider(p.id, p.name, draw(rate), draw(rate)) for p in scenario.providers)
    s = dataclasses.replace(scenario, providers=providers)
    ids = [c.id for c in s.consultants]
    visits = []
    for r in draw(st.lists(st.sampled_from(s.requests), min_size=1, max_size=12)):
        who = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        day = draw(st.sampled_from(s.days))
        start = draw(st.integers(min_value=8 * 60, max_value=16 * 60))
        youth = s.youth(r.youth)
        visits.append(
            Visit(
                r.id, youth.id, youth.location, tuple(who), day, start, start + r.duration_minutes
            )
        )
    return s, plan_of(visits)


EXAMPLE = load_scenario(
    Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld-week-48.yaml"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(priced_plans(EXAMPLE))
def test_gemeente_and_period_totals_add_up_to_the_plan_total_exactly(
    case: tuple[Scenario, Plan],
) -> None:
    s, plan = case
    costs = plan_costs(s, plan)
    total = costs.total_cents
    # each tour's shares add up to the tour
    for t in costs.tours:
        shares = [
            line
            for v in costs.visits
            for line in v.lines
            if line.consultant == t.consultant and v.date == t.date
        ]
        assert sum(x.km_cents for x in shares) == sum(
            u.km_cents for u in costs.tours if (u.consultant, u.date) == (t.consultant, t.date)
        )
    assert sum(v.total_cents for v in costs.visits) == total
    assert sum(t.total_cents for t in costs_by_gemeente(costs.visits).values()) == total
    assert sum(t.total_cents for t in costs_by_provider(costs.visits).values()) == total
    for by in ("week", "month", "quarter", "year"):
        assert sum(t.total_cents for t in costs_by_period(costs.visits, by).values()) == total
    assert sum(v.metres for v in costs.visits) == sum(t.metres for t in costs.tours)
    assert [v.request for v in visit_costs(s, plan)] == [v.request for v in plan.visits]
    # an independent total: hours from the rates, km cost per tour from its metres
    rates = {p.id: p for p in s.providers}
    owner = {c.id: c.provider for c in s.consultants}
    hours = sum(
        hours_cents(v.end - v.start, rates[owner[c]].hourly_rate)
        for v in plan.visits
        for c in v.consultants
    )
    km = sum(km_cents(t.metres, rates[t.provider].km_rate) for t in costs.tours)
    assert total == hours + km


# Periods ---------------------------------------------------------------------------------------


def test_period_keys_and_labels() -> None:
    day = dt.date(2026, 11, 24)
    assert [period_key(day, by) for by in ("week", "month", "quarter", "year")] == [
        "2026-W48",
        "2026-11",
        "2026-Q4",
        "2026",
    ]
    # 1 January 2027 lies in ISO week 53 of 2026, but in the month, quarter and year of 2027
    new_year = dt.date(2027, 1, 1)
    assert period_key(new_year, "week") == "2026-W53"
    assert period_key(new_year, "quarter") == "2027-Q1"
    assert [period_label(k) for k in ("2026-W48", "2026-11", "2026-Q4", "2026")] == [
        "week 48 2026",
        "nov 2026",
        "K4 2026",
        "2026",
    ]
    with pytest.raises(ValueError, match="not one of"):
        period_key(day, "day")  # type: ignore[arg-type]
