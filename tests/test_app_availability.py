"""AppTest of the Beschikbaarheid page's per-consultant view: fixed weekly hours, the
week's exceptions and the import of busy times from an agenda file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import (  # the shared fixtures and helpers of the app tests
    db,
    errors,
    open_app,
    planned_db,
    round_id,
    scenario_of,
)
from test_busy_ics import server  # a local http.server serving the agenda

from matcher import storage
from matcher.app.access import import_busy_times, save_availability
from matcher.scenario.busy_ics import BusyPeriod, busy_periods
from matcher.scenario.domain import Unavailability, Window
from matcher.security.principal import AccessDenied, Principal
from matcher.storage.engine import get_engine

__all__ = ["db", "planned_db", "server"]  # fixtures used by name

AGENDA = Path(__file__).resolve().parent / "data" / "agenda-week-49.ics"


def run(at: AppTest) -> None:
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def choose(at: AppTest, consultant: str) -> None:
    at.selectbox(key="cview-who").set_value(consultant)
    run(at)


def view_editor(at: AppTest, prefix: str) -> str:
    keys = [d.key for d in at.data_editor if d.key and d.key.startswith(prefix)]
    assert len(keys) == 1, keys
    return keys[0]


def preview_of(at: AppTest) -> pd.DataFrame:
    """The table of busy periods found in the agenda."""
    found = [d.value for d in at.dataframe if "Wordt" in d.value.columns]
    assert len(found) == 1, [d.value.columns for d in at.dataframe]
    return found[0]


def test_the_view_shows_one_consultants_weekly_hours_and_exceptions(db: str) -> None:
    at = open_app("beschikbaarheid")
    choose(at, "C-FIER-01")
    c = scenario_of(db).consultant("C-FIER-01")
    weekly = at.data_editor(key=view_editor(at, "cview-week-")).value
    assert len(weekly) == len([w for w in c.availability if w.weekday])
    assert weekly["Dag"].tolist()[0] == "elke maandag"
    exceptions = at.data_editor(key=view_editor(at, "cview-exc-")).value
    assert exceptions[["Soort", "Van", "Tot"]].values.tolist() == [["Afwezig", "", ""]]
    assert "Uitzonderingen in week 49" in "\n".join(str(m.value) for m in at.markdown)


def test_an_extra_day_is_saved_as_a_dated_window(db: str) -> None:
    at = open_app("beschikbaarheid")
    choose(at, "C-FIER-01")  # does not work on Thursday
    key = view_editor(at, "cview-exc-")
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [
            {"Datum": "2026-12-03", "Soort": "Extra werktijd", "Van": "09:00", "Tot": "12:00"}
        ],
        "deleted_rows": [],
    }
    run(at)
    assert not errors(at), errors(at)
    assert not at.button(key="cview-save").disabled
    at.button(key="cview-save").click()
    run(at)
    stored = scenario_of(db).consultant("C-FIER-01")
    assert Window(540, 720, date=dt.date(2026, 12, 3)) in stored.availability
    assert any("Opgeslagen: C-FIER-01" in str(s.value) for s in at.success)


def test_a_bad_exception_row_is_refused_naming_the_table(db: str) -> None:
    before = scenario_of(db)
    at = open_app("beschikbaarheid")
    choose(at, "C-FIER-01")
    key = view_editor(at, "cview-exc-")
    at.session_state[key] = {
        "edited_rows": {"0": {"Van": "12:00", "Tot": "10:00"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run(at)
    assert "Uitzonderingen, rij 1" in errors(at)
    assert at.button(key="cview-save").disabled
    assert scenario_of(db) == before


def test_undo_draws_the_consultants_tables_anew(db: str) -> None:
    """ "Ongedaan maken" drops the edit and gives the editors new keys (the browser grid
    would keep showing the edited value under the old one); nothing is saved."""
    before = scenario_of(db)
    at = open_app("beschikbaarheid")
    choose(at, "C-FIER-01")
    old = view_editor(at, "cview-exc-")
    at.session_state[old] = {
        "edited_rows": {"0": {"Van": "12:00", "Tot": "10:00"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run(at)
    assert "Uitzonderingen, rij 1" in errors(at)
    at.button(key="cview-reset").click()
    run(at)
    new = view_editor(at, "cview-exc-")
    assert new != old and old not in at.session_state
    assert not errors(at), errors(at)
    assert at.button(key="cview-reset").disabled
    assert at.data_editor(key=new).value[["Van", "Tot"]].values.tolist() == [["", ""]]
    assert scenario_of(db) == before


def test_importing_an_agenda_file_stores_the_busy_times_as_absences(db: str) -> None:
    at = open_app("beschikbaarheid", role="fier")
    choose(at, "C-FIER-02")
    at.file_uploader(key="ics-file-C-FIER-02").set_value(
        ("agenda.ics", AGENDA.read_bytes(), "text/calendar")
    )
    run(at)
    assert not errors(at), errors(at)
    preview = preview_of(at)
    assert preview.iloc[0].tolist() == ["30-11-2026", "ma", "09:00", "10:30", "nieuw"]
    assert ["02-12-2026", "wo", "hele dag", "", "nieuw"] in preview.values.tolist()
    # Friday 22:00: busy, but C-FIER-02 does not work on Fridays
    assert ["04-12-2026", "vr", "22:00", "24:00", "nieuw (buiten werktijd)"] in (
        preview.values.tolist()
    )
    assert "geen planningsdag" in preview["Wordt"].tolist()  # Saturday
    assert "geheim" not in preview.to_csv()
    at.button(key="ics-add-C-FIER-02").click()
    run(at)
    stored = scenario_of(db).consultant("C-FIER-02").unavailable
    expected = [
        p.as_unavailability()
        for p in busy_periods(AGENDA.read_bytes(), "2026-W49")
        if p.date <= dt.date(2026, 12, 4)
    ]
    assert set(expected) <= set(stored)
    assert Unavailability(dt.date(2026, 11, 30), 540, 630) in stored
    assert not any(u.date == dt.date(2026, 12, 5) for u in stored)
    assert any("uit de agenda toegevoegd (week 49)" in str(s.value) for s in at.success)
    # the same file again adds nothing
    at.file_uploader(key="ics-file-C-FIER-02").set_value(
        ("agenda.ics", AGENDA.read_bytes(), "text/calendar")
    )
    run(at)
    assert at.button(key="ics-add-C-FIER-02").disabled
    assert set(preview_of(at)["Wordt"]) <= {
        "al afwezig",
        "geen planningsdag",
    }


def test_a_file_that_is_no_agenda_is_refused_with_its_name(db: str) -> None:
    at = open_app("beschikbaarheid", role="fier")
    choose(at, "C-FIER-02")
    at.file_uploader(key="ics-file-C-FIER-02").set_value(
        ("rooster.ics", b"Naam;Dag\nAnna;ma\n", "text/calendar")
    )
    run(at)
    assert "rooster.ics: dit is geen iCalendar-bestand" in errors(at)


def test_a_provider_cannot_import_for_another_providers_consultant(db: str) -> None:
    at = open_app("beschikbaarheid", role="xonar")
    options = at.selectbox(key="cview-who").options
    assert options and all(str(o).startswith("C-XON-") for o in options), options
    engine = get_engine(db)
    try:
        rid = round_id(db)
        xonar = Principal("planner-xonar", "planner", "xonar")
        period = [BusyPeriod(dt.date(2026, 11, 30), 540, 600)]
        with pytest.raises(AccessDenied, match="C-FIER-02 is geen consultant"):
            import_busy_times(engine, rid, xonar, "C-FIER-02", period)
        # nor save one made by someone who may
        planner = Principal("regisseur", "ketenregisseur")
        found = import_busy_times(engine, rid, planner, "C-FIER-02", period)
        with pytest.raises(AccessDenied):
            save_availability(engine, rid, xonar, found.result)
        assert storage.export_scenario(engine, rid).consultant("C-FIER-02").unavailable == ()
    finally:
        engine.dispose()


def test_a_consultant_sees_and_imports_only_its_own_agenda(db: str) -> None:
    at = open_app("beschikbaarheid", account="consultant-fier-01")
    options = at.selectbox(key="cview-who").options
    assert [str(o).split(" · ")[0] for o in options] == ["C-FIER-01"]
    at.file_uploader(key="ics-file-C-FIER-01").set_value(
        ("mijn-agenda.ics", AGENDA.read_bytes(), "text/calendar")
    )
    run(at)
    assert not errors(at), errors(at)
    at.button(key="ics-add-C-FIER-01").click()
    run(at)
    stored = scenario_of(db).consultant("C-FIER-01").unavailable
    assert Unavailability(dt.date(2026, 11, 30), 540, 630) in stored


def test_an_agenda_link_is_fetched_and_previewed_and_a_file_link_refused(
    db: str, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULTPLANNER_ICS_PRIVATE", "1")  # the test server is local
    at = open_app("beschikbaarheid", role="fier")
    choose(at, "C-FIER-02")
    at.text_input(key="ics-url-C-FIER-02").input("file:///etc/passwd")
    run(at)
    at.button(key="ics-fetch-C-FIER-02").click()
    run(at)
    assert "alleen https://, http:// of webcal:// links" in errors(at)
    at.text_input(key="ics-url-C-FIER-02").input(f"{server}/agenda.ics?token=geheim")
    run(at)
    at.button(key="ics-fetch-C-FIER-02").click()
    run(at)
    assert not errors(at), errors(at)
    preview = preview_of(at)
    assert preview.iloc[0].tolist() == ["30-11-2026", "ma", "09:00", "10:30", "nieuw"]
    shown = "\n".join(str(c.value) for c in at.caption)
    assert "agenda-link (127.0.0.1): 6 afwezigheden toe te voegen" in shown
    assert "geheim" not in shown
