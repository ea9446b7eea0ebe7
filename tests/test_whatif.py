"""The what-if comparison: on-site expertise against one central centre."""

from __future__ import annotations

import csv
import dataclasses
import importlib

import pytest

from matcher.policy.whatif import (
    CENTRE_ID,
    Centre,
    WhatIfError,
    centralise,
    centre_at_town,
    compare,
    compare_plans,
    fixed_contributions,
    generate_weeks,
    load_population,
    make_centre,
    plan_weeks,
    yearly,
)
from matcher.scenario.domain import Scenario
from matcher.scenario.generate import DATA_DIR

solve = importlib.import_module("matcher.solver.solve").solve

# The example's residential group in Roermond: the one youth placed there need not move.
ROERMOND = Centre(51.1942, 5.987, "Centrale opvang", "Roermond")


def _priced(s: Scenario) -> Scenario:
    """The example with 60 euros an hour (1 euro a consultant minute) and no km cost."""
    providers = tuple(dataclasses.replace(p, hourly_rate=60.0, km_rate=0.0) for p in s.providers)
    return dataclasses.replace(s, providers=providers)


def test_population_covers_every_gemeente_with_a_plausible_total() -> None:
    with (DATA_DIR / "limburg_gemeenten.csv").open(encoding="utf-8", newline="") as fh:
        names = {row["gemeente"] for row in csv.DictReader(fh)}
    pop = load_population()
    assert len(names) == 31
    assert set(pop) == names
    assert all(n > 5000 for n in pop.values())
    assert 1_050_000 < sum(pop.values()) < 1_200_000
    assert max(pop, key=lambda g: pop[g]) == "Maastricht"


def test_population_file_errors_name_the_line(tmp_path) -> None:
    bad = tmp_path / "pop.csv"
    bad.write_text("gemeente,inwoners\nA,12\nB,-3\nA,4\n", encoding="utf-8")
    with pytest.raises(WhatIfError) as err:
        load_population(bad)
    text = str(err.value)
    assert "pop.csv line 3: inwoners '-3' of 'B'" in text
    assert "line 4: gemeente 'A' appears twice" in text


def test_fixed_contributions_sum_exactly_and_follow_population_shares() -> None:
    pop = {"A": 1, "B": 2, "C": 3}
    # quotas 16.67, 33.33, 50: floors 16+33+50 = 99, the cent left goes to A (.67)
    assert fixed_contributions(100, pop, "population") == {"A": 17, "B": 33, "C": 50}
    assert fixed_contributions(100, pop, "equal") == {"A": 34, "B": 33, "C": 33}
    real = load_population()
    shares = fixed_contributions(150_000_000, real, "population")
    assert sum(shares.values()) == 150_000_000
    total = sum(real.values())
    for g, cents in shares.items():
        assert abs(cents - 150_000_000 * real[g] / total) < 1
    assert shares["Maastricht"] > shares["Vaals"] * 10
    with pytest.raises(WhatIfError, match="allowed: population, equal"):
        fixed_contributions(100, pop, "usage")  # type: ignore[arg-type]


def test_yearly_scales_half_up() -> None:
    assert yearly(100, 52) == 100
    assert yearly(100, 2) == 2600
    assert yearly(1, 104) == 1  # 0.5 rounds up
    assert yearly(1, 105) == 0


def test_centre_from_town_or_coordinates() -> None:
    c = centre_at_town("Roermond")
    assert (c.lat, c.lon, c.gemeente) == (51.1942, 5.987, "Roermond")
    assert centre_at_town("Nuth").gemeente == "Beekdaelen"
    assert make_centre(50.85, 5.69).gemeente == "Maastricht"
    with pytest.raises(WhatIfError, match=r"allowed: .*Venlo"):
        centre_at_town("Amsterdam")
    with pytest.raises(WhatIfError, match="latitude"):
        make_centre(95, 5)


def test_centralise_moves_every_youth_to_one_residential_location(example: Scenario) -> None:
    c = centralise(example, ROERMOND)
    assert [loc.id for loc in c.locations] == [CENTRE_ID]
    loc = c.locations[0]
    assert (loc.kind, loc.confidential, loc.open, loc.lat, loc.lon) == (
        "residentieel",
        True,
        None,
        51.1942,
        5.987,
    )
    assert {y.location for y in c.youths} == {CENTRE_ID}
    assert [y.gemeente for y in c.youths] == [y.gemeente for y in example.youths]
    assert c.requests == example.requests
    assert c.consultants == example.consultants


def test_compare_by_hand_on_the_example(example: Scenario) -> None:
    s = _priced(example)
    result = compare([s], ROERMOND, time_limit=2, contribution="equal", centre_cost_eur=31.0)
    on, cen = result.onsite, result.central
    # five youths; only Y-2026-014 already lives at the Roermond group
    assert (on.youths, on.moved, cen.moved) == (5, 0, 4)
    # on site two youths share the Cadier address; central all five are together
    assert (on.max_at_address, cen.max_at_address) == (2, 5)
    assert on.requests == cen.requests == 6
    # at 60 km/h a km is a minute: the km (costs.py legs) and the travel minutes agree
    # up to the rounding of each leg (at most one minute a leg, a dozen legs here)
    assert abs(on.km - on.travel_minutes) < 12 and abs(cen.km - cen.travel_minutes) < 12
    assert on.km > 0 and cen.km > 0
    # 31 euros over 31 gemeenten in equal shares: one euro each, exactly
    contributions = [r.contribution_cents for r in result.rows]
    assert len(contributions) == 31 and set(contributions) == {100}
    for row in result.rows:
        assert row.central_cents == row.contribution_cents + row.central_use_cents
        assert row.difference_cents == row.central_cents - row.onsite_cents


def test_pay_per_use_is_the_consult_minutes_when_km_are_free(example: Scenario) -> None:
    s = _priced(example)
    c = centralise(s, ROERMOND)
    on_plan, cen_plan = plan_weeks([s, c], 2)
    result = compare_plans([s], [on_plan], [c], [cen_plan], ROERMOND, centre_cost_eur=0)
    for plan, side in ((on_plan, result.onsite), (cen_plan, result.central)):
        expected: dict[str, int] = {}
        waiting = 0
        for v in plan.visits:
            youth = s.youth(s.request(v.request).youth)
            minutes = (v.end - v.start) * len(v.consultants)
            expected[youth.gemeente] = expected.get(youth.gemeente, 0) + minutes * 100
            waiting += (v.date - youth.signalled_on).days
        assert side.cost_cents == dict(sorted(expected.items()))
        assert side.waiting_days == waiting
        assert side.visits == len(plan.visits)
        assert side.unplanned == 6 - len({v.request for v in plan.visits})
    row = {r.gemeente: r for r in result.rows}
    venlo = result.onsite.cost_cents.get("Venlo", 0)
    assert row["Venlo"].onsite_cents == venlo * 52  # one week -> a year
    assert all(r.contribution_cents == 0 for r in result.rows)


def test_generated_weeks_are_seeded_and_follow_the_rates() -> None:
    pop = load_population()
    a = generate_weeks(3, 2, requests_per_week=8, n_consultants=3)
    b = generate_weeks(3, 2, requests_per_week=8, n_consultants=3)
    assert [w.requests for w in a] == [w.requests for w in b]
    assert [w.week for w in a] == ["2027-W01", "2027-W02"]
    codes = [y.id for w in a for y in w.youths]
    assert len(codes) == len(set(codes))
    assert all(y.gemeente in pop for w in a for y in w.youths)
    assert all(p.hourly_rate and p.km_rate for w in a for p in w.providers)
    only = generate_weeks(5, 3, rates={"Venlo": 4.0}, n_consultants=3)
    assert {y.gemeente for w in only for y in w.youths} == {"Venlo"}
    assert sum(len(w.requests) for w in only) > 0
    with pytest.raises(WhatIfError, match="Atlantis"):
        generate_weeks(5, 1, rates={"Atlantis": 1.0})
    with pytest.raises(WhatIfError, match="weeks 0"):
        generate_weeks(5, 0)


def test_both_plans_pass_the_independent_checker(example: Scenario) -> None:
    from matcher.checker import check_plan

    weeks = [example, *generate_weeks(2, 1, requests_per_week=8, n_consultants=3)]
    central = [centralise(w, ROERMOND) for w in weeks]
    plans = plan_weeks([*weeks, *central], 1)
    for scenario, plan in zip([*weeks, *central], plans, strict=True):
        report = check_plan(scenario, plan)
        assert report.feasible, report
        assert plan.visits
    for plan in plans[len(weeks) :]:
        assert {v.location for v in plan.visits} == {CENTRE_ID}


def test_progress_is_reported_per_solve(example: Scenario) -> None:
    seen: list[tuple[int, int]] = []
    plan_weeks([example, example], 1, lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_compare_refuses_no_weeks_and_a_negative_budget(example: Scenario) -> None:
    with pytest.raises(WhatIfError, match="no weeks"):
        compare([], ROERMOND)
    with pytest.raises(WhatIfError, match="centre cost -1"):
        compare([example], ROERMOND, time_limit=1, centre_cost_eur=-1)


def test_weeks_planned_on_dask_give_the_serial_plans() -> None:
    """The comparison's solves on a LocalCluster of 2 workers equal the serial ones."""
    from matcher.policy.whatif import plan_weeks
    from matcher.scenario.loader import load_scenario
    from tests.conftest import EXAMPLE

    week = load_scenario(EXAMPLE)
    weeks = [week, dataclasses.replace(week, name="Voorbeeld b")]
    seen: list[int] = []
    parallel = plan_weeks(weeks, 1.0, lambda d, n: seen.append(d), n_workers=2)
    serial = plan_weeks(weeks, 1.0)
    assert [p.visits for p in parallel] == [p.visits for p in serial]
    assert sorted(seen) == [1, 2]
