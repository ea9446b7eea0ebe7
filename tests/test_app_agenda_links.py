"""AppTest of saved agenda links on Beschikbaarheid's per-consultant section: saving a
consultant's shared ICS link (shown masked), "Agenda's bijwerken" for every consultant with
a link (a failing link named per consultant), confirming, and removing a link."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import db, errors, open_app, planned_db, round_id, scenario_of
from test_app_availability import choose, run
from test_busy_ics import WEEK49, server  # a local http.server serving the agenda

from matcher import storage
from matcher.cycle.rounds import next_round
from matcher.scenario.busy_ics import busy_periods
from matcher.scenario.domain import Unavailability
from matcher.security import audit
from matcher.storage.agenda_links import get_links
from matcher.storage.engine import get_engine

__all__ = ["db", "planned_db", "server"]  # fixtures used by name

TOKEN = "private-7f3a9c"


def screen(at: AppTest) -> str:
    """Every text on screen, the values of text fields and tables included."""
    parts = [
        str(e.value)
        for kind in (at.markdown, at.caption, at.success, at.error, at.info, at.warning)
        for e in kind
    ]
    parts += [str(t.value) for t in at.text_input]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def refresh_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "Resultaat" in d.value.columns]
    assert len(found) == 1, [d.value.columns for d in at.dataframe]
    return found[0].set_index("Consultant")


def links_in(url: str) -> dict[str, str]:
    engine = get_engine(url)
    try:
        return {c: link.url for c, link in get_links(engine).items()}
    finally:
        engine.dispose()


def save_link(at: AppTest, who: str, link: str) -> None:
    choose(at, who)
    at.text_input(key=f"ics-url-{who}").input(link)
    run(at)
    at.button(key=f"ics-save-{who}").click()
    run(at)


def test_saved_links_are_masked_refreshed_together_confirmed_and_removable(
    db: str, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULTPLANNER_ICS_PRIVATE", "1")  # the test server is local
    before = scenario_of(db).consultant("C-FIER-01").unavailable
    at = open_app("beschikbaarheid", role="fier")
    assert "Nog geen gekoppelde agenda's" in screen(at)
    good, bad = f"{server}/agenda.ics?token={TOKEN}", f"{server}/weg.ics?token={TOKEN}"
    save_link(at, "C-FIER-02", good)
    assert not errors(at), errors(at)
    assert "Agenda-link van C-FIER-02 bewaard (127.0.0.1/…)" in screen(at)
    assert "Gekoppelde agenda: 127.0.0.1/… (bewaard door planner-fier" in screen(at)
    assert at.text_input(key="ics-url-C-FIER-02").value == ""  # the field is emptied
    save_link(at, "C-FIER-01", bad)
    assert links_in(db) == {"C-FIER-01": bad, "C-FIER-02": good}
    assert "2 consultants met een agenda-link" in screen(at)
    assert TOKEN not in screen(at)

    at.button(key="agendas-refresh").click()
    run(at)
    table = refresh_table(at)
    assert table.loc["C-FIER-01", "Agenda"] == "127.0.0.1/…"
    assert table.loc["C-FIER-01", "Resultaat"] == (
        "agenda-link (127.0.0.1): de server antwoordt met foutcode 404."
    )
    assert table.loc["C-FIER-02", "Resultaat"].startswith(
        "6 afwezigheden toe te voegen voor C-FIER-02"
    )
    assert "1 niet op te halen of te lezen" in screen(at)
    assert TOKEN not in screen(at) and not errors(at)
    assert not at.button(key="agendas-add").disabled
    at.button(key="agendas-add").click()
    run(at)
    assert any(
        "6 afwezigheden uit 1 agenda toegevoegd (week 49)" in str(s.value) for s in at.success
    )
    stored = scenario_of(db).consultant("C-FIER-02").unavailable
    expected = [
        p.as_unavailability()
        for p in busy_periods(WEEK49.read_bytes(), "2026-W49")
        if p.date <= dt.date(2026, 12, 4)
    ]
    assert set(expected) <= set(stored)
    assert Unavailability(dt.date(2026, 11, 30), 540, 630) in stored
    assert scenario_of(db).consultant("C-FIER-01").unavailable == before  # its link failed
    assert not [d for d in at.dataframe if "Resultaat" in d.value.columns]  # preview closed

    # the audit log names the host only
    engine = get_engine(db)
    try:
        rows = [e for e in audit.entries(engine) if e.action.startswith("agenda")]
    finally:
        engine.dispose()
    assert {e.action for e in rows} >= {"agenda-link-save", "agenda-fetch"}
    assert all(TOKEN not in str(e.as_dict()) for e in rows)
    assert any(e.detail == "127.0.0.1/…" for e in rows)

    choose(at, "C-FIER-02")
    at.button(key="ics-remove-C-FIER-02").click()
    run(at)
    assert "Agenda-link van C-FIER-02 verwijderd." in screen(at)
    assert links_in(db) == {"C-FIER-01": bad}
    assert "1 consultant met een agenda-link: C-FIER-01 (127.0.0.1/…)" in screen(at)


def test_a_provider_sees_and_refreshes_only_its_own_consultants_links(
    db: str, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULTPLANNER_ICS_PRIVATE", "1")
    fier = open_app("beschikbaarheid", role="fier")
    save_link(fier, "C-FIER-02", f"{server}/agenda.ics?token={TOKEN}")
    assert links_in(db).keys() == {"C-FIER-02"}
    xonar = open_app("beschikbaarheid", role="xonar")
    assert "Nog geen gekoppelde agenda's" in screen(xonar)
    assert "C-FIER-02" not in screen(xonar)
    assert "agendas-refresh" not in [b.key for b in xonar.button]


def test_busy_times_in_a_later_round_are_said_not_silently_dropped(db: str) -> None:
    engine = get_engine(db)
    try:
        rid = round_id(db)
        week49 = storage.export_scenario(engine, rid)
        plan = storage.load_plan(engine, storage.list_plans(engine, rid)[0].id)
        week50 = next_round(week49, plan).scenario
        assert week50.week == "2026-W50"
        storage.import_scenario(engine, week50)
    finally:
        engine.dispose()
    at = open_app("beschikbaarheid", role="fier")
    at.selectbox(key="round_id").set_value(rid)  # the newest week is shown first
    run(at)
    choose(at, "C-FIER-02")
    at.file_uploader(key="ics-file-C-FIER-02").set_value(
        ("agenda.ics", WEEK49.read_bytes(), "text/calendar")
    )
    run(at)
    n50 = len(busy_periods(WEEK49.read_bytes(), "2026-W50"))
    assert n50 > 1
    shown = "\n".join(str(c.value) for c in at.caption)
    assert "agenda.ics: 6 afwezigheden toe te voegen voor C-FIER-02" in shown
    assert (
        f"{n50} drukke periodes in week 50 vallen buiten deze ronde en zijn niet overgenomen."
    ) in shown
