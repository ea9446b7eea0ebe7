"""Tests of matcher.explain.plan_views: tours, tables, Gantt bars and map data of a plan."""

from __future__ import annotations

import dataclasses

from matcher.checker import check_plan
from matcher.explain.plan_views import (
    availability_grid,
    gantt_frame,
    map_data,
    roles_text,
    tour_runs,
    unassigned_frame,
    visit_label,
    visits_frame,
)
from matcher.scenario.domain import Plan, Scenario, Unassigned
from matcher.security.principal import gemeente_point
from matcher.storage.round_state import PLANNER
from matcher.travel import TravelMatrix


def test_tour_travel_adds_up_to_the_checker(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    runs = tour_runs(example, example_plan.visits, travel)
    assert (
        sum(r.travel_minutes for r in runs)
        == check_plan(example, example_plan, travel).travel_minutes
    )
    for run in runs:
        assert len(run.legs) == len(run.visits) + 1
        assert run.legs[0].from_point == f"base:{run.consultant}"
        assert run.legs[-1].to_point == f"base:{run.consultant}"
        assert run.legs[0].arrive == run.visits[0].start
        assert run.window is not None
        assert run.window[0] <= run.legs[0].depart
        assert run.legs[-1].arrive <= run.window[1]
        starts = [v.start for v in run.visits]
        assert starts == sorted(starts)


def test_tour_runs_can_be_limited_to_consultants(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    runs = tour_runs(example, example_plan.visits, travel, {"C-FIER-1"})
    assert {r.consultant for r in runs} == {"C-FIER-1"}
    assert sorted(v.request for r in runs for v in r.visits) == ["R-4", "R-5"]


def test_visits_frame_hides_confidential_addresses_from_providers(
    example: Scenario, example_plan: Plan
) -> None:
    locs = tuple(
        dataclasses.replace(loc, address=f"Straat {i}, {loc.gemeente}")
        for i, loc in enumerate(example.locations)
    )
    s = dataclasses.replace(example, locations=locs)
    planner = visits_frame(s, example_plan, PLANNER, locked={"R-6"})
    provider = visits_frame(s, example_plan, "xonar")
    assert len(planner) == len(example_plan.visits)
    assert planner["Adres"].str.startswith("Straat").all()
    assert not provider["Adres"].str.contains("Straat").any()
    assert planner.set_index("Aanvraag").loc["R-6", "Vergrendeld"]
    assert not planner.set_index("Aanvraag").loc["R-1", "Vergrendeld"]
    assert list(planner["Datum"]) == sorted(planner["Datum"])
    assert "Y-2026-011" in set(planner["Casuscode"])


def test_unassigned_frame_sorts_by_urgency(example: Scenario, example_plan: Plan) -> None:
    plan = dataclasses.replace(
        example_plan,
        visits=(),
        unassigned=(Unassigned("R-3", ("low reason",)), Unassigned("R-4", ("crisis reason",))),
    )
    frame = unassigned_frame(example, plan)
    assert list(frame["Aanvraag"]) == ["R-4", "R-3"]
    assert list(frame["Urgentie"]) == ["crisis", "laag"]
    assert frame.loc[0, "Redenen"] == "crisis reason"


def test_gantt_frame_has_availability_visits_and_travel(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    ids = [c.id for c in example.consultants]
    frame = gantt_frame(example, example_plan, travel, ids, locked={"R-6"})
    visits = frame[frame["soort"] == "bezoek"]
    # one bar per visit and consultant (the joint visit R-5 has two)
    assert len(visits) == sum(len(v.consultants) for v in example_plan.visits)
    assert visits[visits["omschrijving"].str.startswith("R-6")]["vergrendeld"].all()
    legs = frame[frame["soort"] == "reistijd"]
    assert (legs["eind"] > legs["start"]).all()
    avail = frame[frame["soort"] == "beschikbaar"]
    assert set(avail["consultant_id"]) == set(ids)
    # Sanne Hendriks is sick on Wednesday: no availability bar that day
    sick = avail[(avail["consultant_id"] == "C-XON-2") & (avail["dag"] == "wo 25 nov")]
    assert sick.empty


def test_map_data_draws_each_tour_and_blurs_confidential_places_for_providers(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    day = example_plan.visits[0].date
    ids = {c.id for c in example.consultants}
    planner = map_data(example, example_plan, travel, day, ids, PLANNER)
    assert len(planner.paths) == 1  # only C-XON-2 works on Monday
    path = planner.paths.iloc[0]["pad"]
    assert path[0] == path[-1]  # back at the base
    venlo = example.location("L-GH-VENLO")
    assert [venlo.lon, venlo.lat] in path
    provider = map_data(example, example_plan, travel, day, ids, "xonar")
    assert [venlo.lon, venlo.lat] not in provider.paths.iloc[0]["pad"]
    lat, lon = gemeente_point(venlo.gemeente, venlo.lat, venlo.lon)
    assert (lat, lon) != (venlo.lat, venlo.lon)
    assert [lon, lat] in provider.paths.iloc[0]["pad"]
    assert abs(lat - venlo.lat) <= 0.2 and abs(lon - venlo.lon) <= 0.2
    assert not planner.places.empty and "Venlo" in set(planner.places["naam"])
    centre_lat, centre_lon, zoom = planner.view()
    assert 50 < centre_lat < 52 and 5 < centre_lon < 7 and 5 <= zoom <= 13
    assert map_data(example, example_plan, travel, example.days[-1], ids).empty


def test_availability_grid_marks_absence(example: Scenario) -> None:
    grid = availability_grid(example, [c.id for c in example.consultants]).set_index("Consultant")
    assert grid.loc["C-XON-2 · Sanne Hendriks", "wo 25 nov"] == "afwezig"
    assert grid.loc["C-XON-2 · Sanne Hendriks", "ma 23 nov"] == "08:30–16:30"
    assert grid.loc["C-FIER-1 · Anouk Jansen", "ma 23 nov"] == "—"
    assert grid.loc["C-XON-1 · Bram Peeters", "do 26 nov"] == "09:00–17:00"


def test_text_helpers(example: Scenario, example_plan: Plan) -> None:
    assert roles_text(example.request("R-5").roles) == "loverboy-trauma | systeemtherapie"
    assert roles_text((frozenset(),)) == "(geen eisen)"
    v = example_plan.visits[0]
    assert visit_label(example, v) == "R-2 · ma 23 nov 09:05–10:35 · C-XON-2"


def test_gantt_marks_visits_that_no_longer_fit(example, example_plan, travel) -> None:  # type: ignore[no-untyped-def]
    from matcher.app.charts import gantt_chart
    from matcher.explain.plan_views import gantt_frame

    v = example_plan.visits[0]
    ids = [c.id for c in example.consultants]
    frame = gantt_frame(example, example_plan, travel, ids, broken={v.request})
    flagged = frame[frame["vervallen"]]
    assert set(flagged["omschrijving"].str.split(" · ").str[0]) == {v.request}
    assert "past niet meer" in flagged["omschrijving"].iloc[0]
    spec = gantt_chart(frame).to_dict()
    assert "bezoek dat niet meer past" in str(spec)
