"""Saved calendar links (matcher.storage.agenda_links), their access rules and "Agenda's
bijwerken" for several consultants at once (matcher.app.access_agenda,
matcher.scenario.agenda_refresh)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from test_busy_ics import WEEK49, calendar, server  # a local http.server serving the agenda

from matcher import storage
from matcher.app.access import (
    agenda_links,
    fetch_saved_agendas,
    plan_agenda_refresh,
    remove_agenda_link,
    save_agenda_link,
    save_availability,
)
from matcher.cycle.rounds import next_round
from matcher.scenario.agenda_refresh import AgendaFetch, fetch_agendas, later_note
from matcher.scenario.busy_ics import BusyPeriod, IcsError, busy_periods
from matcher.scenario.domain import Plan, Scenario, Unavailability
from matcher.security.principal import AccessDenied, Principal
from matcher.storage.agenda_links import AgendaLink, delete_link, get_links, mask_url, put_link
from matcher.storage.engine import get_engine

__all__ = ["server"]  # fixture used by name

TOKEN = "private-7f3a9c"
"""The secret part of a shared calendar link: never shown, logged or repeated."""
GOOGLE = f"https://calendar.google.com/calendar/ical/c.fier%40example.org/{TOKEN}/basic.ics"

FIER = Principal("planner-fier", "planner", "fier")
XONAR = Principal("planner-xonar", "planner", "xonar")
REGISSEUR = Principal("regisseur", "ketenregisseur")


# Storage and masking ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An empty database: in-memory SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "postgresql":
        yield request.getfixturevalue("empty_postgres")
        return
    engine = get_engine("sqlite://")
    try:
        yield engine
    finally:
        engine.dispose()


def test_a_link_is_stored_replaced_and_removed(any_engine: Engine) -> None:
    engine = any_engine
    assert get_links(engine) == {}
    when = dt.datetime(2026, 11, 20, 9, 30)
    saved = put_link(engine, "C-FIER-1", f"  {GOOGLE} ", "planner-fier", at=when)
    assert saved == AgendaLink("C-FIER-1", GOOGLE, "planner-fier", when)
    put_link(engine, "C-XON-1", "webcal://outlook.office365.com/owa/calendar/x/y.ics", "r")
    assert get_links(engine, ["C-FIER-1"]) == {"C-FIER-1": saved}
    assert set(get_links(engine)) == {"C-FIER-1", "C-XON-1"}
    # saved again: replaced, one link per consultant
    put_link(engine, "C-FIER-1", "https://cal.example.org/a.ics", "regisseur", at=when)
    again = get_links(engine)["C-FIER-1"]
    assert (again.url, again.saved_by) == ("https://cal.example.org/a.ics", "regisseur")
    assert delete_link(engine, "C-FIER-1") is True
    assert delete_link(engine, "C-FIER-1") is False
    assert set(get_links(engine)) == {"C-XON-1"}


def test_a_link_that_is_no_calendar_address_is_not_stored() -> None:
    engine = get_engine("sqlite://")
    try:
        for bad in ("file:///etc/passwd", "ftp://example.org/a.ics", "agenda.ics", "https://"):
            with pytest.raises(IcsError):
                put_link(engine, "C-FIER-1", bad, "planner-fier")
        assert get_links(engine) == {}
    finally:
        engine.dispose()


def test_a_link_is_shown_as_its_host_only_and_kept_out_of_repr() -> None:
    assert mask_url(GOOGLE) == "calendar.google.com/…"
    assert mask_url("webcal://p52-caldav.icloud.com/published/2/abc") == "p52-caldav.icloud.com/…"
    assert mask_url("https://user:pw@cal.example.org:8443/x?t=1") == "cal.example.org/…"
    assert mask_url("geen link") == "…"
    link = AgendaLink("C-FIER-1", GOOGLE, "planner-fier")
    assert link.masked == "calendar.google.com/…"
    assert TOKEN not in repr(link) and TOKEN not in str(link)


# Access ----------------------------------------------------------------------------------


@pytest.fixture
def stored(example_round: tuple[Engine, int]) -> tuple[Engine, int]:
    return example_round


def test_a_provider_saves_sees_and_removes_only_its_own_consultants_links(
    stored: tuple[Engine, int],
) -> None:
    engine, rid = stored
    with pytest.raises(AccessDenied, match="C-XON-2 is geen consultant die je mag bewerken"):
        save_agenda_link(engine, rid, FIER, "C-XON-2", GOOGLE)
    assert get_links(engine) == {}
    save_agenda_link(engine, rid, XONAR, "C-XON-2", GOOGLE)
    save_agenda_link(engine, rid, FIER, "C-FIER-1", "https://cal.example.org/fier.ics")
    assert set(agenda_links(engine, rid, FIER)) == {"C-FIER-1"}
    assert set(agenda_links(engine, rid, XONAR)) == {"C-XON-2"}
    assert set(agenda_links(engine, rid, REGISSEUR)) == {"C-FIER-1", "C-XON-2"}
    assert agenda_links(engine, rid, XONAR)["C-XON-2"].saved_by == "planner-xonar"
    with pytest.raises(AccessDenied):
        remove_agenda_link(engine, rid, FIER, "C-XON-2")
    with pytest.raises(AccessDenied):
        agenda_links(engine, rid, Principal("gemeente-venlo", "gemeente", gemeente="Venlo"))
    assert remove_agenda_link(engine, rid, REGISSEUR, "C-XON-2") is True
    assert set(get_links(engine)) == {"C-FIER-1"}


def test_a_provider_cannot_import_fetched_busy_times_of_another_providers_consultant(
    stored: tuple[Engine, int],
) -> None:
    engine, rid = stored
    fetched = [AgendaFetch("C-XON-2", "x.org/…", (BusyPeriod(dt.date(2026, 11, 23), 540, 600),))]
    with pytest.raises(AccessDenied, match="C-XON-2 is geen consultant"):
        plan_agenda_refresh(engine, rid, FIER, fetched)


# Fetching every saved link ----------------------------------------------------------------


def test_agendas_are_fetched_and_imported_together_and_a_failing_link_is_reported(
    stored: tuple[Engine, int],
    server: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine, rid = stored
    monkeypatch.setenv("CONSULTPLANNER_ICS_PRIVATE", "1")  # the test server is local
    caplog.set_level(logging.DEBUG)
    save_agenda_link(engine, rid, REGISSEUR, "C-FIER-1", f"{server}/agenda.ics?token={TOKEN}")
    save_agenda_link(engine, rid, REGISSEUR, "C-XON-2", f"{server}/agenda.ics?token={TOKEN}")
    save_agenda_link(engine, rid, REGISSEUR, "C-XON-1", f"{server}/weg.ics?token={TOKEN}")
    # a provider fetches its own consultants' links only
    assert [f.consultant for f in fetch_saved_agendas(engine, rid, FIER)] == ["C-FIER-1"]
    fetched = fetch_saved_agendas(engine, rid, REGISSEUR)
    by_id = {f.consultant: f for f in fetched}
    assert set(by_id) == {"C-FIER-1", "C-XON-1", "C-XON-2"}
    error = by_id["C-XON-1"].error
    assert error is not None
    assert error.render("nl") == "agenda-link (127.0.0.1): de server antwoordt met foutcode 404."
    assert error.render("en") == (
        "calendar link (127.0.0.1): the server answers with error code 404."
    )
    assert by_id["C-XON-1"].periods == ()
    week48 = tuple(busy_periods(WEEK49.read_bytes(), "2026-W48"))
    assert by_id["C-FIER-1"].periods == week48 and by_id["C-FIER-1"].source == "127.0.0.1/…"

    refresh = plan_agenda_refresh(engine, rid, REGISSEUR, fetched)
    assert refresh.result.ok, refresh.result.problems
    assert set(refresh.included) == {"C-FIER-1", "C-XON-2"}
    assert refresh.added == sum(len(refresh.imports[c].added) for c in refresh.included) > 0
    rows = {r["Consultant"]: r for r in refresh.rows()}
    assert rows["C-XON-1"]["Resultaat"].endswith("foutcode 404.")
    # Monday 09:00-10:30, Tuesday 13:00-14:00 and the leave of Friday; the weekend is skipped
    assert rows["C-FIER-1"]["Resultaat"] == (
        "3 afwezigheden toe te voegen voor C-FIER-1, 2 op een dag die geen planningsdag is."
    )
    assert (
        refresh.summary()
        .render("nl")
        .startswith(
            f"2 van 3 agenda's gelezen; {refresh.added} afwezigheden toe te voegen; "
            "1 niet op te halen of te lezen"
        )
    )
    shown = " ".join([refresh.summary().render("nl"), *(str(r) for r in refresh.rows())])
    assert TOKEN not in shown and TOKEN not in repr(fetched) and TOKEN not in caplog.text

    assert save_availability(engine, rid, REGISSEUR, refresh.result) == 2
    after = storage.export_scenario(engine, rid)
    for cid in ("C-FIER-1", "C-XON-2"):
        assert set(refresh.imports[cid].added) <= set(after.consultant(cid).unavailable)
    assert (
        Unavailability(dt.date(2026, 11, 23), 540, 630) in after.consultant("C-FIER-1").unavailable
    )
    # fetched again: nothing new
    again = plan_agenda_refresh(engine, rid, REGISSEUR, fetch_saved_agendas(engine, rid, REGISSEUR))
    assert again.added == 0 and not again.result.changed


def test_an_import_that_breaks_a_pin_is_left_out_and_the_others_go_on(
    stored: tuple[Engine, int],
) -> None:
    engine, rid = stored
    # R-6 is pinned to C-XON-1 on Thursday 26-11
    fetched = [
        AgendaFetch("C-XON-1", "a.org/…", (BusyPeriod(dt.date(2026, 11, 26), 0, 1440),)),
        AgendaFetch("C-XON-2", "b.org/…", (BusyPeriod(dt.date(2026, 11, 23), 540, 600),)),
    ]
    refresh = plan_agenda_refresh(engine, rid, XONAR, fetched)
    assert refresh.refused == ["C-XON-1"] and refresh.included == ["C-XON-2"]
    assert refresh.result.ok and refresh.added == 1
    assert refresh.result.upserts["consultants"] == ("C-XON-2",)
    assert "past niet in de week" in refresh.rows()[0]["Resultaat"]


def test_an_unexpected_fetch_failure_is_a_dutch_line_without_the_link() -> None:
    def broken(url: str) -> bytes:
        raise RuntimeError(f"boom while reading {url}")

    [got] = fetch_agendas({"C-FIER-1": (GOOGLE, mask_url(GOOGLE))}, "2026-W48", fetch=broken)
    assert got.error is not None
    assert got.error.render("nl") == (
        "calendar.google.com/…: de agenda kan niet worden opgehaald (RuntimeError)."
    )
    assert got.error.render("en") == (
        "calendar.google.com/…: the calendar cannot be fetched (RuntimeError)."
    )
    assert TOKEN not in repr(got)
    [bad] = fetch_agendas({"C-FIER-1": (GOOGLE, "x/…")}, "2026-W48", fetch=lambda _u: b"PK")
    assert bad.error is not None
    assert "dit is geen iCalendar-bestand" in bad.error.render("nl")
    assert "this is no iCalendar file" in bad.error.render("en")


# Busy times in later rounds (not imported, but said) --------------------------------------


def test_later_weeks_that_exist_as_rounds_are_counted_and_said(
    stored: tuple[Engine, int],
    example: Scenario,
    example_plan: Plan,
    server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, rid = stored
    week49 = next_round(example, example_plan).scenario
    empty = dataclasses.replace(example_plan, scenario=week49.name, visits=(), unassigned=())
    week50 = next_round(week49, empty).scenario
    assert (week49.week, week50.week) == ("2026-W49", "2026-W50")
    storage.import_scenario(engine, dataclasses.replace(week49, name="week 49"))
    storage.import_scenario(engine, dataclasses.replace(week50, name="week 50"))
    monkeypatch.setenv("CONSULTPLANNER_ICS_PRIVATE", "1")
    save_agenda_link(engine, rid, REGISSEUR, "C-FIER-1", f"{server}/agenda.ics?token={TOKEN}")
    [got] = fetch_saved_agendas(engine, rid, REGISSEUR)
    n49 = len(busy_periods(WEEK49.read_bytes(), "2026-W49"))
    n50 = len(busy_periods(WEEK49.read_bytes(), "2026-W50"))
    assert got.later == (("2026-W49", n49), ("2026-W50", n50))
    refresh = plan_agenda_refresh(engine, rid, REGISSEUR, [got])
    said = (
        f"{n49 + n50} drukke periodes in week 49 en 50 vallen buiten deze ronde en zijn niet "
        "overgenomen"
    )
    assert said in refresh.summary().render("nl")
    assert said in refresh.rows()[0]["Resultaat"]


def later_nl(later: list[tuple[str, int]]) -> str:
    note = later_note(later)
    return note.render("nl") if note else ""


def test_later_note_in_dutch_and_english() -> None:
    assert later_note([]) is None
    assert later_note([("2026-W50", 0)]) is None
    assert later_nl([("2026-W50", 1)]) == (
        "1 drukke periode in week 50 valt buiten deze ronde en is niet overgenomen"
    )
    assert later_nl([("2026-W50", 4)]) == (
        "4 drukke periodes in week 50 vallen buiten deze ronde en zijn niet overgenomen"
    )
    assert later_nl([("2026-W50", 5), ("2026-W51", 7)]) == (
        "12 drukke periodes in week 50 en 51 vallen buiten deze ronde en zijn niet overgenomen"
    )
    assert later_nl([("2026-W50", 1), ("2026-W51", 1), ("2027-W01", 1)]).startswith(
        "3 drukke periodes in week 50, 51 en 1 vallen"
    )
    two = later_note([("2026-W50", 5), ("2026-W51", 7)])
    assert two is not None and two.render("en") == (
        "12 busy periods in weeks 50 and 51 fall outside this round and were not imported"
    )


def test_an_agenda_with_nothing_in_the_week_says_so(stored: tuple[Engine, int]) -> None:
    engine, rid = stored
    data = calendar("DTSTART:20260101T090000Z\r\nDTEND:20260101T100000Z")
    [got] = fetch_agendas(
        {"C-FIER-1": ("https://a.org/x", "a.org/…")}, "2026-W48", fetch=lambda _u: data
    )
    refresh = plan_agenda_refresh(engine, rid, FIER, [got])
    assert refresh.rows()[0]["Resultaat"] == "geen bezette tijden in week 48."
    assert refresh.added == 0 and refresh.result.ok and not refresh.result.changed


def test_a_database_made_before_the_table_gets_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE agenda_link")
    engine.dispose()
    engine = get_engine(url)
    try:
        put_link(engine, "C-FIER-1", GOOGLE, "planner-fier")
        assert set(get_links(engine)) == {"C-FIER-1"}
    finally:
        engine.dispose()
