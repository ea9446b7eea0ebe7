"""Tests of matcher.export.csv: columns, order, privacy, CSV injection."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest

from matcher.export.csv import (
    INTERNAL_COLUMNS,
    THIRD_PARTY_COLUMNS,
    CsvExportError,
    plan_csv_text,
    plan_to_rows,
    write_plan_csv,
)
from matcher.scenario.domain import (
    Consultant,
    Location,
    Plan,
    Point,
    Provider,
    Request,
    Scenario,
    SolverInfo,
    Visit,
    Youth,
)
from matcher.scenario.loader import load_scenario
from matcher.scenario.plan_io import read_plan

DAY = dt.date(2026, 11, 24)
SECRET = "Geheimstraat 7, 5911 AB Venlo"
OPEN = "Stationsplein 1, Roermond"


@pytest.fixture
def scenario() -> Scenario:
    one = (frozenset[str](),)
    return Scenario(
        name="CSV test",
        days=(DAY,),
        providers=(Provider("fier", "Fier"), Provider("xonar", "Xonar")),
        consultants=(
            Consultant("C-1", "fier", "Anouk Jansen", "a@f.example", Point(50.85, 5.69)),
            Consultant("C-2", "xonar", "=HYPERLINK(1)", "b@x.example", Point(50.89, 5.98)),
        ),
        locations=(
            Location("L-S", "Gezinshuis De Linde", "gezinshuis", "Venlo", 51.366, 6.151, SECRET),
            Location(
                "L-O", "Mentorpunt", "school", "Roermond", 51.19, 5.98, OPEN, confidential=False
            ),
        ),
        youths=(
            Youth("Y-1", "L-S", "Venlo", DAY),
            Youth("Y-2", "L-O", "Leudal", DAY),
        ),
        requests=(
            Request("R-1", "Y-1", one, 60, DAY, DAY),
            Request("R-2", "Y-2", one * 2, 45, DAY, DAY),
        ),
    )


@pytest.fixture
def plan() -> Plan:
    return Plan(
        "CSV test",
        SolverInfo("feasible", 0, None, 0.0),
        (
            Visit("R-2", "Y-2", "L-O", ("C-1", "C-2"), DAY, 13 * 60, 13 * 60 + 45),
            Visit("R-1", "Y-1", "L-S", ("C-1",), DAY, 9 * 60, 10 * 60),
        ),
        (),
    )


def test_rows_in_time_order_with_the_third_party_columns(scenario: Scenario, plan: Plan) -> None:
    rows = plan_to_rows(scenario, plan)
    assert [tuple(r) for r in rows] == [THIRD_PARTY_COLUMNS] * 2
    assert [r["request"] for r in rows] == ["R-1", "R-2"]
    r1, r2 = rows
    assert r1 == {
        "date": "2026-11-24",
        "iso_week": "2026-W48",
        "start": "09:00",
        "end": "10:00",
        "request": "R-1",
        "case_code": "Y-1",
        "location": "Gezinshuis De Linde",
        "gemeente": "Venlo",
        "consultants": "Anouk Jansen",
        "providers": "Fier",
        "address": "",
    }
    assert r2["gemeente"] == "Leudal"  # the youth's responsible municipality, not Roermond
    assert r2["providers"] == "Fier; Xonar"
    assert r2["address"] == OPEN


def test_internal_variant_adds_columns(scenario: Scenario, plan: Plan) -> None:
    rows = plan_to_rows(scenario, plan, for_third_parties=False)
    assert tuple(rows[1]) == INTERNAL_COLUMNS
    assert rows[1]["joint"] == "ja"
    assert rows[1]["duration_minutes"] == 45
    assert rows[1]["consultant_ids"] == "C-1; C-2"
    assert rows[0]["location_gemeente"] == "Venlo"


@pytest.mark.parametrize("third", [True, False])
def test_no_confidential_address_in_either_variant(
    scenario: Scenario, plan: Plan, tmp_path: Path, third: bool
) -> None:
    text = plan_csv_text(scenario, plan, for_third_parties=third)
    path = write_plan_csv(scenario, plan, tmp_path / "plan.csv", for_third_parties=third)
    on_disk = path.read_bytes().decode("utf-8-sig")
    assert on_disk == text
    for doc in (text, str(plan_to_rows(scenario, plan, for_third_parties=third))):
        assert SECRET not in doc
        assert "Geheimstraat" not in doc
        assert "51.366" not in doc
        assert OPEN in doc  # the non-confidential address is there


def test_csv_parses_back_and_defuses_formulas(scenario: Scenario, plan: Plan) -> None:
    text = plan_csv_text(scenario, plan)
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["request"] for r in rows] == ["R-1", "R-2"]
    assert rows[1]["consultants"] == "Anouk Jansen; =HYPERLINK(1)"  # not at cell start: kept
    solo = dataclasses.replace(
        plan, visits=(dataclasses.replace(plan.visits[0], consultants=("C-2", "C-1")),)
    )
    row = next(csv.DictReader(io.StringIO(plan_csv_text(scenario, solo))))
    assert row["consultants"] == "'=HYPERLINK(1); Anouk Jansen"


def test_bom_for_excel(scenario: Scenario, plan: Plan, tmp_path: Path) -> None:
    raw = write_plan_csv(scenario, plan, tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + b"date,iso_week,")


def test_unknown_ids_are_an_error(scenario: Scenario, plan: Plan) -> None:
    bad = dataclasses.replace(
        plan, visits=(dataclasses.replace(plan.visits[0], consultants=("C-9",)),)
    )
    with pytest.raises(CsvExportError, match="C-9"):
        plan_to_rows(scenario, bad)


def test_example_plan(example_path: Path) -> None:
    s = load_scenario(example_path)
    p = read_plan(Path(__file__).parent / "data" / "example-plan.json")
    rows = plan_to_rows(s, p)
    assert len(rows) == len(p.visits)
    assert {r["request"] for r in rows} == {v.request for v in p.visits}
    assert all(r["address"] == "" for r in rows)  # every example location is confidential


@pytest.mark.parametrize(
    "name",
    ["=1+1", "  =HYPERLINK(1)", "\n=cmd", "\r\n+1", "\t-1", " \t@SUM(A1)", "\nplain"],
)
def test_formula_after_blanks_or_a_line_break_is_defused(
    scenario: Scenario, plan: Plan, name: str
) -> None:
    locs = tuple(dataclasses.replace(loc, name=name) for loc in scenario.locations)
    s = dataclasses.replace(scenario, locations=locs)
    rows = list(csv.DictReader(io.StringIO(plan_csv_text(s, plan))))
    assert rows and all(r["location"] == "'" + name for r in rows)


def test_harmless_text_is_left_alone() -> None:
    from matcher.export.csv import formula_safe

    assert formula_safe("Gezinshuis = thuis") == "Gezinshuis = thuis"
    assert formula_safe("  Mentorpunt") == "  Mentorpunt"
    assert formula_safe(45) == "45"
    assert formula_safe("") == ""
