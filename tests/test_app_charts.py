"""Tests of matcher.app.charts: the Gantt, map and utilisation charts are well-formed."""

from __future__ import annotations

import json

import pandas as pd

from matcher.app.charts import gantt_chart, tour_map_chart, utilisation_chart
from matcher.explain.plan_views import gantt_frame, map_data
from matcher.messages.nl import nl_day
from matcher.scenario.domain import Plan, Scenario
from matcher.solver.kpis import utilisation_frame, week_kpis
from matcher.travel import TravelMatrix


def test_week_gantt_is_faceted_by_day(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    frame = gantt_frame(example, example_plan, travel, [c.id for c in example.consultants], {"R-6"})
    spec = gantt_chart(frame, [nl_day(d) for d in example.days]).to_dict()
    assert spec["facet"]["column"]["field"] == "dag"
    assert spec["facet"]["column"]["sort"][0] == "ma 23 nov"
    layers = spec["spec"]["layer"]
    assert len(layers) == 3
    values = spec["datasets"][next(iter(spec["datasets"]))]
    kinds = {row["legenda"] for row in values}
    assert {"beschikbaar", "bezoek", "bezoek (vergrendeld)", "reistijd"} <= kinds


def test_day_gantt_is_one_chart(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    frame = gantt_frame(example, example_plan, travel, [c.id for c in example.consultants])
    day = frame[frame["dag"] == "di 24 nov"]
    spec = gantt_chart(day, ["di 24 nov"]).to_dict()
    assert "facet" not in spec
    assert spec["layer"][0]["encoding"]["y"]["sort"][0].startswith("C-FIER-1")


def test_tour_map_has_a_local_base_layer_and_fetches_nothing(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    data = map_data(
        example, example_plan, travel, example.days[1], {c.id for c in example.consultants}
    )
    spec = tour_map_chart(data).to_dict()
    assert spec["projection"]["type"] == "mercator"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["circle", "text", "line", "circle", "text"]
    datasets = spec["datasets"].values()
    names = {row.get("naam") for rows in datasets for row in rows}
    assert len(data.places) >= 3
    assert set(data.places["naam"]) <= names  # the shipped base layer has place names
    labels = spec["layer"][4]
    assert labels["encoding"]["text"]["field"] == "consultant"
    spec.pop("$schema")  # an identifier, never fetched
    text = json.dumps(spec)
    assert "http://" not in text and "https://" not in text  # no tiles, no remote data


def test_utilisation_chart(example: Scenario, example_plan: Plan, travel: TravelMatrix) -> None:
    frame = utilisation_frame(example, week_kpis(example, example_plan, travel))
    spec = utilisation_chart(frame).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert len(rows) == 3
    assert all(0 <= r["Bezetting %"] <= 100 for r in rows)


def test_utilisation_chart_keeps_room_per_bar_beside_its_axis(
    example: Scenario, example_plan: Plan, travel: TravelMatrix
) -> None:
    """The chart is fitted to its container axis included, so its height is the bars' room
    (22 px each) plus the axis: a few consultants are not squeezed into a strip."""
    frame = utilisation_frame(example, week_kpis(example, example_plan, travel))
    for n in (1, 3):
        height = utilisation_chart(frame.head(n)).to_dict()["height"]
        assert height >= max(80, 22 * n) + 40, (n, height)
    big = pd.concat([frame] * 10, ignore_index=True)
    big["Consultant"] = [f"C-{i}" for i in range(len(big))]
    assert utilisation_chart(big).to_dict()["height"] >= 22 * len(big) + 40
