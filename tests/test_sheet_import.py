"""Tests of matcher.scenario.sheet_import: CSV/Excel sheets with row-level errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from matcher.scenario.domain import Scenario
from matcher.scenario.loader import load_scenario
from matcher.scenario.sheet_import import (
    SheetError,
    detect_kind,
    import_sheet,
    read_sheet,
    template_csv,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"


@pytest.fixture
def example() -> Scenario:
    return load_scenario(EXAMPLE)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def test_request_sheet_is_added(example: Scenario) -> None:
    data = csv_bytes(
        "Id;Jongere;Rollen;Duur (min);Vanaf;Tot en met;Tijd van;Tijd tot\n"
        "R-10;Y-2026-019;lvb;60;2026-11-24;2026-11-27;;\n"
        "R-11;Y-2026-011;loverboy-trauma, vrouw | lvb;90;;;13:00;18:00\n"
    )
    frame = read_sheet(data, "nieuw.csv")
    assert detect_kind(frame) == "requests"
    outcome = import_sheet(example, frame)
    assert outcome.ok, outcome.problems
    assert outcome.added == ("R-10", "R-11")
    assert outcome.updated == ()
    assert outcome.result is not None and outcome.result.scenario is not None
    r11 = outcome.result.scenario.request("R-11")
    assert len(r11.roles) == 2
    assert r11.earliest == example.days[0]


def test_errors_name_the_sheet_row_and_column(example: Scenario) -> None:
    data = csv_bytes(
        "id,youth,skills,duration_minutes\n"
        "R-10,Y-2026-019,lvb,60\n"
        "R-11,Y-NOPE,lvb,60\n"
        "R-12,Y-2026-019,lvb,een uur\n"
    )
    outcome = import_sheet(example, read_sheet(data, "fout.csv"))
    assert not outcome.ok
    where = sorted((p.row, p.column) for p in outcome.problems)
    assert where == [(3, "Jongere"), (4, "Duur (min)")]
    assert all(p.table == "Blad" for p in outcome.problems)
    messages = " ".join(p.what() for p in outcome.problems)
    assert '"Y-NOPE" is geen casuscode van een jongere' in messages
    assert '"Y-NOPE" is not a youth id' in " ".join(p.what("en") for p in outcome.problems)


def test_existing_ids_are_updated(example: Scenario) -> None:
    data = csv_bytes("Casuscode,Urgentie\nY-2026-019,crisis\n")
    outcome = import_sheet(example, read_sheet(data, "urgentie.csv"), "youths")
    assert outcome.ok, outcome.problems
    assert outcome.updated == ("Y-2026-019",)
    assert outcome.result is not None and outcome.result.scenario is not None
    y = outcome.result.scenario.youth("Y-2026-019")
    assert y.urgency == "crisis"
    assert y.location == example.youth("Y-2026-019").location


def test_excel_sheet_with_dates_and_times(example: Scenario) -> None:
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Id", "Jongere", "Rollen", "Duur (min)", "Vanaf", "Tijd van", "Tijd tot"])
    ws.append(
        [
            "R-20",
            "Y-2026-022",
            "loverboy-trauma",
            60,
            dt.datetime(2026, 11, 24),
            dt.time(10),
            dt.time(12),
        ]
    )
    ws.append(["R-21", "Y-2026-022", "lvb", 30, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    outcome = import_sheet(example, read_sheet(buf.getvalue(), "aanvragen.xlsx"))
    assert outcome.ok, outcome.problems
    assert outcome.result is not None and outcome.result.scenario is not None
    r20 = outcome.result.scenario.request("R-20")
    assert r20.earliest == dt.date(2026, 11, 24)
    assert r20.time_of_day is not None and (r20.time_of_day.start, r20.time_of_day.end) == (
        600,
        720,
    )


def test_unknown_columns_and_kinds_are_reported(example: Scenario) -> None:
    frame = read_sheet(csv_bytes("Id,Duur (min),Kleur\nR-1,60,rood\n"), "x.csv")
    outcome = import_sheet(example, frame)
    assert not outcome.ok
    assert [p.column for p in outcome.problems] == ["Kleur"]
    assert outcome.problems[0].row == 1
    unclear = import_sheet(example, read_sheet(csv_bytes("a,b\n1,2\n"), "y.csv"))
    assert unclear.kind is None and not unclear.ok


def test_location_sheet_keeps_new_locations_confidential_by_default(example: Scenario) -> None:
    data = csv_bytes(
        "Id,Naam,Soort,Gemeente,Breedtegraad,Lengtegraad,Adres\n"
        "L-NEW,Gezinshuis Zon,gezinshuis,Venlo,51.37,6.17,Zonweg 1\n"
    )
    outcome = import_sheet(example, read_sheet(data, "loc.csv"))
    assert outcome.kind == "locations"
    assert outcome.ok, outcome.problems
    assert outcome.result is not None and outcome.result.scenario is not None
    assert outcome.result.scenario.location("L-NEW").confidential


def test_templates_import_cleanly_where_their_ids_exist(example: Scenario) -> None:
    for kind in ("requests", "youths", "locations"):
        frame = read_sheet(template_csv(kind).encode(), f"{kind}.csv")
        assert detect_kind(frame) == kind


def test_unreadable_files_raise_sheet_error() -> None:
    with pytest.raises(SheetError):
        read_sheet(b"x", "plan.pdf")
    with pytest.raises(SheetError):
        read_sheet(b"\xff\xfe\x00garbage", "bad.csv")
    with pytest.raises(SheetError):
        read_sheet(b"not a zip", "bad.xlsx")


def test_dutch_dates_and_urgency_words_are_read(example: Scenario) -> None:
    import datetime as dt

    requests = csv_bytes(
        "Id;Jongere;Rollen;Duur (min);Vanaf;Tot en met\n"
        "R-30;Y-2026-019;lvb;60;24-11-2026;2026-11-27\n"
        "R-31;Y-2026-019;lvb;60;23/11/2026;26-11-2026\n"
    )
    outcome = import_sheet(example, read_sheet(requests, "nl.csv"))
    assert outcome.ok, outcome.problems
    assert outcome.result is not None and outcome.result.scenario is not None
    r30 = outcome.result.scenario.request("R-30")
    assert (r30.earliest, r30.latest) == (dt.date(2026, 11, 24), dt.date(2026, 11, 27))
    r31 = outcome.result.scenario.request("R-31")
    assert (r31.earliest, r31.latest) == (dt.date(2026, 11, 23), dt.date(2026, 11, 26))
    youths = csv_bytes("Casuscode;Urgentie;Gesignaleerd op\nY-2026-019;Hoog;2-11-2026\n")
    outcome = import_sheet(example, read_sheet(youths, "jongeren.csv"), "youths")
    assert outcome.ok, outcome.problems
    assert outcome.result is not None and outcome.result.scenario is not None
    y = outcome.result.scenario.youth("Y-2026-019")
    assert (y.urgency, y.signalled_on) == ("high", dt.date(2026, 11, 2))


def test_bad_dutch_date_and_urgency_name_what_is_allowed(example: Scenario) -> None:
    youths = csv_bytes("Casuscode;Urgentie;Gesignaleerd op\nY-2026-019;spoed;31-02-2026\n")
    outcome = import_sheet(example, read_sheet(youths, "jongeren.csv"), "youths")
    assert not outcome.ok
    by_column = {p.column: p for p in outcome.problems}
    assert set(by_column) == {"Urgentie", "Gesignaleerd op"}
    assert by_column["Gesignaleerd op"].row == 2
    assert "31-02-2026" in by_column["Gesignaleerd op"].what()
    assert "dd-mm-jjjj" in by_column["Gesignaleerd op"].hint()
    assert "hoog" in by_column["Urgentie"].hint()
    assert "high" not in by_column["Urgentie"].hint()


def test_unknown_skill_is_a_problem_of_its_row(example: Scenario) -> None:
    data = csv_bytes(
        "Id;Jongere;Rollen;Duur (min)\n"
        "R-40;Y-2026-019;lvb;60\n"
        "R-41;Y-2026-019;lvb, paardrijden;60\n"
        "R-42;Y-2026-019;emdr | Vrouw;60\n"
    )
    outcome = import_sheet(example, read_sheet(data, "skills.csv"))
    assert not outcome.ok
    assert outcome.result is not None and outcome.result.scenario is None
    rows = sorted((p.row, p.column, p.subject) for p in outcome.problems)
    assert rows == [(3, "Rollen", "R-41"), (4, "Rollen", "R-42")]
    first = min(outcome.problems, key=lambda p: p.row or 0)
    assert first.code == "sheet_unknown_skill"
    assert "'paardrijden'" in first.what() and "'lvb'" not in first.what()
    for skill in ("emdr", "loverboy-trauma", "lvb", "systeemtherapie", "vrouw"):
        assert skill in first.hint()
