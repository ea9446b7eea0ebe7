"""Tests of matcher.app.export: the export page's files per role, without confidential data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matcher.app.export import (
    export_stem,
    invite_files,
    plan_csv_bytes,
    plan_excel_bytes,
    recipient_files,
    scenario_file,
    zip_bytes,
)
from matcher.scenario.domain import Contact, Plan, Scenario
from matcher.scenario.loader import load_scenario, parse_text
from matcher.scenario.plan_io import read_plan
from matcher.scenario.validate import validate_document
from matcher.storage.round_state import PLANNER

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
EXAMPLE_PLAN = Path(__file__).resolve().parent / "data" / "example-plan.json"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
SECRET = "Geheimstraat 7"


@pytest.fixture
def example() -> Scenario:
    """The example with a secret address and a contact on a confidential location."""
    s = load_scenario(EXAMPLE)
    locs = tuple(
        dataclasses.replace(
            loc, address=SECRET, contact=Contact("Groepsleider", "groep@example.org")
        )
        if loc.id == "L-GH-VENLO"
        else loc
        for loc in s.locations
    )
    return dataclasses.replace(s, locations=locs)


@pytest.fixture
def example_plan() -> Plan:
    return read_plan(EXAMPLE_PLAN)


def test_planner_gets_every_invite_provider_only_its_own(
    example: Scenario, example_plan: Plan
) -> None:
    everything = invite_files(example, example_plan, PLANNER, now=NOW)
    people = recipient_files(everything)
    assert {"C-FIER-1", "C-XON-1", "C-XON-2", "contact-L-GH-VENLO"} <= set(people)
    fier = invite_files(example, example_plan, "fier", now=NOW)
    assert set(recipient_files(fier)) == {"C-FIER-1"}
    assert all("C-XON" not in name and "contact" not in name for name in fier)
    assert any(name.startswith("visits/C-FIER-1/") for name in fier)
    for text in everything.values():
        assert SECRET not in text


def test_cancellations_against_the_previous_plan(example: Scenario, example_plan: Plan) -> None:
    dropped = dataclasses.replace(
        example_plan, visits=tuple(v for v in example_plan.visits if v.request != "R-4")
    )
    files = invite_files(example, dropped, PLANNER, previous=example_plan, now=NOW)
    assert "C-FIER-1-cancel.ics" in files
    assert "METHOD:CANCEL" in files["C-FIER-1-cancel.ics"]
    assert recipient_files(files)["C-FIER-1"] == ["C-FIER-1-cancel.ics", "C-FIER-1.ics"]


def test_zip_holds_every_file(example: Scenario, example_plan: Plan) -> None:
    files = invite_files(example, example_plan, PLANNER, now=NOW)
    data = zip_bytes(files)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted(files)
        name = sorted(files)[0]
        assert zf.read(name).decode() == files[name]
    assert zip_bytes(files) == data  # deterministic


def test_csv_and_excel_per_role(example: Scenario, example_plan: Plan) -> None:
    planner_csv = plan_csv_bytes(example, example_plan, PLANNER)
    assert planner_csv.startswith(b"\xef\xbb\xbf")
    text = planner_csv.decode("utf-8-sig")
    assert SECRET not in text
    assert "consultant_ids" in text.splitlines()[0]
    fier_csv = plan_csv_bytes(example, example_plan, "fier").decode("utf-8-sig")
    assert len(fier_csv.strip().splitlines()) == 1 + 2  # header + R-4, R-5
    wb = load_workbook(io.BytesIO(plan_excel_bytes(example, example_plan, PLANNER)))
    assert wb.sheetnames == ["Bezoeken", "Niet ingepland", "Samenvatting"]
    rows = list(wb["Bezoeken"].iter_rows(values_only=True))
    assert rows[0][0] == "Datum"
    assert len(rows) == 1 + len(example_plan.visits)
    assert all(SECRET not in str(cell) for row in rows for cell in row)
    fier_wb = load_workbook(io.BytesIO(plan_excel_bytes(example, example_plan, "fier")))
    assert fier_wb.sheetnames == ["Bezoeken", "Samenvatting"]
    assert fier_wb["Bezoeken"].max_row == 3
    summary = dict(wb["Samenvatting"].iter_rows(min_row=2, values_only=True))
    assert summary["Status"] in (
        "bewezen de beste planning",
        "goede planning, niet bewezen de beste",
    )
    assert summary["Score (doelfunctie; lager is beter)"] == example_plan.solver.objective


def test_excel_cells_never_become_formulas(example: Scenario, example_plan: Plan) -> None:
    locs = tuple(
        dataclasses.replace(loc, name='=HYPERLINK("x")') if loc.id == "L-GH-VENLO" else loc
        for loc in example.locations
    )
    s = dataclasses.replace(example, locations=locs)
    wb = load_workbook(io.BytesIO(plan_excel_bytes(s, example_plan, PLANNER)))
    cells = [c for row in wb["Bezoeken"].iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells
    assert all(c.data_type == "s" for c in cells)


def test_scenario_file_loads_back(example: Scenario) -> None:
    name, data, mime = scenario_file(example)
    assert name == f"{export_stem(example)}.yaml" == "voorbeeld-week-48.yaml"
    assert mime == "application/x-yaml"
    again = validate_document(parse_text(data.decode()), name)
    assert again == example


def test_excel_export_holds_names_with_control_characters(
    example: Scenario, example_plan: Plan
) -> None:
    locs = tuple(
        dataclasses.replace(loc, name="Linde\x1b[31m\x00\x07 rood")
        if loc.id == "L-GH-VENLO"
        else loc
        for loc in example.locations
    )
    s = dataclasses.replace(example, locations=locs)
    wb = load_workbook(io.BytesIO(plan_excel_bytes(s, example_plan, PLANNER)))
    names = {c.value for row in wb["Bezoeken"].iter_rows() for c in row}
    assert "Linde\ufffd[31m\ufffd\ufffd rood" in names
    long = dataclasses.replace(example, name="x" * 40_000)
    wb = load_workbook(io.BytesIO(plan_excel_bytes(long, example_plan, PLANNER)))
    assert wb["Samenvatting"]["B2"].value == "x" * 32_767
