"""Tests of matcher.scenario.edit: table edits validated like scenario files, then saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.scenario.domain import Scenario
from matcher.scenario.edit import (
    EditResult,
    apply_availability,
    apply_locations,
    apply_requests,
    apply_youths,
    cell,
    consultants_frame,
    day_options,
    locations_frame,
    mark_unavailable,
    parse_roles,
    requests_frame,
    save_edit,
    unavailable_frame,
    windows_frame,
    youths_frame,
)
from matcher.storage.engine import get_engine
from matcher.storage.round_state import ensure_app_tables, round_versions

XON = ["C-XON-1", "C-XON-2"]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = get_engine(f"sqlite:///{tmp_path / 'edit.db'}")
    ensure_app_tables(eng)
    return eng


def xonar(s: Scenario) -> list:
    return [s.consultant(c) for c in XON]


def test_unchanged_tables_give_no_changes(example: Scenario) -> None:
    cons = xonar(example)
    result = apply_availability(
        example, XON, consultants_frame(example, cons), windows_frame(cons), unavailable_frame(cons)
    )
    assert result.ok
    assert not result.changed
    for frame, apply in (
        (requests_frame(example), apply_requests),
        (youths_frame(example), apply_youths),
        (locations_frame(example), apply_locations),
    ):
        outcome = apply(example, frame)
        assert outcome.ok, outcome.problems
        assert not outcome.changed


def test_end_before_start_is_refused_with_the_loaders_message(example: Scenario) -> None:
    frame = windows_frame(xonar(example))
    frame.loc[0, "Tot"] = "12:00"  # window 13:00-18:00
    result = apply_availability(example, XON, windows=frame)
    assert not result.ok and result.scenario is None
    (problem,) = result.problems
    assert (problem.table, problem.row, problem.column) == ("Beschikbaarheid", 1, "Tot")
    assert problem.code == "end_not_after_start"
    assert problem.what("en") == '"12:00" is not after start "13:00"'
    assert problem.what() == '"12:00" ligt niet na de begintijd "13:00"'
    assert problem.hint() == "een eindtijd na de begintijd"
    assert str(problem) == (
        "Beschikbaarheid, rij 1 (C-XON-1 elke dinsdag), Tot: "
        '"12:00" ligt niet na de begintijd "13:00" — toegestaan: een eindtijd na de begintijd'
    )


def test_overlapping_windows_are_refused(example: Scenario) -> None:
    frame = windows_frame(xonar(example))
    frame.loc[len(frame)] = ["C-XON-1", "elke dinsdag", "10:00", "14:00"]
    result = apply_availability(example, XON, windows=frame)
    assert not result.ok
    (problem,) = result.problems
    assert problem.row == len(frame)
    assert problem.code == "windows_overlap"
    assert "overlapt met rij 1" in problem.what()
    assert problem.hint() == "tijdvakken van één consultant op één dag die elkaar niet overlappen"


def test_bad_time_and_day_name_the_cell(example: Scenario) -> None:
    frame = windows_frame(xonar(example))
    frame.loc[1, "Van"] = "9 uur"
    frame.loc[2, "Dag"] = "someday"
    result = apply_availability(example, XON, windows=frame)
    where = {(p.row, p.column) for p in result.problems}
    assert (2, "Van") in where
    assert (3, "Dag") in where
    assert any('"9 uur" is geen geldige tijd' in p.what() for p in result.problems)


def test_rows_outside_the_scope_are_refused(example: Scenario) -> None:
    frame = windows_frame(xonar(example))
    frame.loc[0, "Consultant"] = "C-FIER-1"
    result = apply_availability(example, XON, windows=frame)
    assert not result.ok
    assert result.problems[0].column == "Consultant"


def test_valid_window_edit_is_saved(example: Scenario, engine: Engine) -> None:
    rid = storage.import_scenario(engine, example)
    before = round_versions(engine, rid)
    frame = windows_frame(xonar(example))
    frame.loc[len(frame)] = ["C-XON-2", "vr 27-11-2026", "09:00", "12:00"]
    result = apply_availability(example, XON, windows=frame)
    assert result.ok
    assert result.upserts == {"consultants": ("C-XON-2",)}
    assert save_edit(engine, rid, result) == 1
    stored = storage.export_scenario(engine, rid).consultant("C-XON-2")
    assert any(w.date == dt.date(2026, 11, 27) and w.start == 540 for w in stored.availability)
    assert round_versions(engine, rid).scenario != before.scenario


def test_caps_and_skills_are_edited(example: Scenario) -> None:
    frame = consultants_frame(example, xonar(example))
    frame.at[0, "Max per dag"] = 2
    frame.at[1, "Vaardigheden"] = ["loverboy-trauma", "vrouw", "emdr"]
    result = apply_availability(example, XON, consultants=frame)
    assert result.ok
    assert result.scenario is not None
    assert result.scenario.consultant("C-XON-1").max_visits_per_day == 2
    assert "emdr" in result.scenario.consultant("C-XON-2").skills
    assert set(result.upserts["consultants"]) == set(XON)
    frame.at[0, "Max per dag"] = -1
    bad = apply_availability(example, XON, consultants=frame)
    assert [(p.table, p.row, p.column) for p in bad.problems] == [("Consultants", 1, "Max per dag")]


def test_removing_a_skill_a_pin_needs_is_refused(example: Scenario) -> None:
    frame = consultants_frame(example, xonar(example))
    frame.at[0, "Vaardigheden"] = ["lvb"]  # R-6 is pinned to C-XON-1 and needs systeemtherapie
    result = apply_availability(example, XON, consultants=frame)
    assert not result.ok
    assert any(p.code == "pinned_lacks_skills" for p in result.problems)
    assert any(p.subject == "R-6" and p.table == "Aanvragen" for p in result.problems)


def test_mark_unavailable_adds_whole_days(example: Scenario) -> None:
    result = mark_unavailable(example, "C-XON-2", [dt.date(2026, 11, 23)])
    assert result.ok
    assert result.scenario is not None
    c = result.scenario.consultant("C-XON-2")
    assert any(
        u.date == dt.date(2026, 11, 23) and (u.start, u.end) == (0, 1440) for u in c.unavailable
    )
    again = mark_unavailable(result.scenario, "C-XON-2", [dt.date(2026, 11, 23)])
    assert again.ok and not again.changed


def test_mark_unavailable_on_a_pinned_day_is_refused(example: Scenario) -> None:
    # R-6 is pinned to C-XON-1 on Thursday 26 November
    result = mark_unavailable(example, "C-XON-1", [dt.date(2026, 11, 26)])
    assert not result.ok
    assert any("is die dag niet beschikbaar" in p.what() for p in result.problems)


def test_requests_can_be_added_changed_and_removed(example: Scenario, engine: Engine) -> None:
    rid = storage.import_scenario(engine, example)
    frame = requests_frame(example)
    frame = frame[frame["Id"] != "R-3"].reset_index(drop=True)
    frame.loc[0, "Duur (min)"] = 75
    new_row = {
        "Id": "R-9",
        "Jongere": "Y-2026-019",
        "Rollen": "lvb | loverboy-trauma, vrouw",
        "Duur (min)": 45,
        "Vanaf": dt.date(2026, 11, 24),
        "Tot en met": dt.date(2026, 11, 26),
        "Tijd van": "10:00",
        "Tijd tot": "16:00",
    }
    frame = pd.concat([frame, pd.DataFrame([new_row])], ignore_index=True)
    result = apply_requests(example, frame)
    assert result.ok, result.problems
    assert set(result.upserts["requests"]) == {"R-1", "R-9"}
    assert result.deletes == ("R-3",)
    save_edit(engine, rid, result)
    stored = storage.export_scenario(engine, rid)
    assert "R-3" not in {r.id for r in stored.requests}
    r9 = stored.request("R-9")
    assert r9.roles == (frozenset({"lvb"}), frozenset({"loverboy-trauma", "vrouw"}))
    assert r9.time_of_day is not None and r9.time_of_day.start == 600
    assert stored.request("R-1").duration_minutes == 75
    assert stored.request("R-6").pinned is not None  # pins are kept


def test_request_problems_name_row_and_column(example: Scenario) -> None:
    frame = requests_frame(example)
    frame.loc[1, "Jongere"] = "Y-NOPE"
    frame.loc[2, "Duur (min)"] = None
    frame.loc[3, "Tijd van"] = "25:00"
    frame.loc[3, "Tijd tot"] = "26:00"
    result = apply_requests(example, frame)
    where = {(p.row, p.column) for p in result.problems}
    assert {(2, "Jongere"), (3, "Duur (min)"), (4, "Tijd van")} <= where
    assert all(p.table == "Aanvragen" for p in result.problems)


def test_youths_cannot_be_removed_but_can_change(example: Scenario) -> None:
    frame = youths_frame(example)
    result = apply_youths(example, frame.iloc[1:])
    assert not result.ok
    assert result.problems[0].code == "edit_cannot_remove"
    assert "verwijderen kan hier niet" in str(result.problems[0])
    frame.loc[0, "Urgentie"] = "crisis"
    frame.at[0, "Uitgesloten consultants"] = ["C-XON-1"]
    changed = apply_youths(example, frame)
    assert changed.ok
    assert changed.scenario is not None
    y = changed.scenario.youth("Y-2026-011")
    assert y.urgency == "crisis" and y.excluded_consultants == frozenset({"C-XON-1"})
    frame.loc[1, "Urgentie"] = "dringend"
    bad = apply_youths(example, frame)
    assert [(p.row, p.column) for p in bad.problems] == [(2, "Urgentie")]


def test_locations_keep_opening_hours_and_check_contacts(example: Scenario) -> None:
    frame = locations_frame(example)
    idx = int(frame.index[frame["Id"] == "L-JZP-CADIER"][0])
    frame.loc[idx, "Adres"] = "Kasteelweg 3"
    result = apply_locations(example, frame)
    assert result.ok
    assert result.scenario is not None
    loc = result.scenario.location("L-JZP-CADIER")
    assert loc.address == "Kasteelweg 3"
    assert loc.open == example.location("L-JZP-CADIER").open
    frame.loc[0, "Contactpersoon"] = "Jan"  # e-mail missing
    bad = apply_locations(example, frame)
    assert any(p.column == "Contact e-mail" and p.row == 1 for p in bad.problems)


def test_an_invalid_edit_cannot_be_saved(engine: Engine, example: Scenario) -> None:
    rid = storage.import_scenario(engine, example)
    with pytest.raises(ValueError):
        save_edit(engine, rid, EditResult(None, ()))
    assert storage.export_scenario(engine, rid) == example


def test_cells_and_roles_are_read_forgivingly() -> None:
    assert cell(float("nan")) is None
    assert cell(pd.NaT) is None
    assert cell("  x ") == "x"
    assert cell(3.0) == 3
    assert cell(pd.Timestamp("2026-11-23 00:00")) == dt.date(2026, 11, 23)
    assert cell(dt.time(9, 5)) == "09:05"
    assert parse_roles(None) == [[]]
    assert parse_roles("emdr, vrouw | lvb") == [["emdr", "vrouw"], ["lvb"]]
    assert parse_roles("(geen eisen)") == [[]]


def test_day_options_cover_weekdays_and_dates(example: Scenario) -> None:
    options = day_options(example)
    assert options[:2] == ["elke maandag", "elke dinsdag"]
    assert "do 26-11-2026" in options
    assert "ma 23-11-2026" in options


def test_table_edits_read_dutch_dates_and_urgency_words(example: Scenario) -> None:
    frame = requests_frame(example)
    frame["Vanaf"] = frame["Vanaf"].astype(object)
    frame["Tot en met"] = frame["Tot en met"].astype(object)
    frame.loc[0, "Vanaf"] = "24-11-2026"
    frame.loc[0, "Tot en met"] = "2026-11-26"
    result = apply_requests(example, frame)
    assert result.ok, result.problems
    assert result.scenario is not None
    r = result.scenario.request(str(frame.loc[0, "Id"]))
    assert (r.earliest, r.latest) == (dt.date(2026, 11, 24), dt.date(2026, 11, 26))
    frame.loc[0, "Vanaf"] = "32-11-2026"
    bad = apply_requests(example, frame)
    [problem] = bad.problems
    assert (problem.row, problem.column) == (1, "Vanaf")
    assert "dd-mm-jjjj" in problem.hint()
    youths = youths_frame(example)
    youths["Gesignaleerd op"] = youths["Gesignaleerd op"].astype(object)
    youths.loc[0, "Urgentie"] = "Hoog"
    youths.loc[0, "Gesignaleerd op"] = "1-11-2026"
    changed = apply_youths(example, youths)
    assert changed.ok, changed.problems
    assert changed.scenario is not None
    y = changed.scenario.youth(str(youths.loc[0, "Casuscode"]))
    assert (y.urgency, y.signalled_on) == ("high", dt.date(2026, 11, 1))
