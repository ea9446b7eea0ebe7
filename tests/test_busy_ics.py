"""Busy periods from iCalendar files and links (matcher.scenario.busy_ics), and their import as
absences of one consultant."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app.access import import_busy_times, save_availability
from matcher.scenario.busy_ics import (
    BusyPeriod,
    IcsError,
    busy_periods,
    describe,
    fetch_ics,
    fetch_url,
    merge_periods,
    nothing_found,
    plan_import,
)
from matcher.scenario.domain import Scenario, Unavailability
from matcher.security.principal import AccessDenied, Principal

DATA = Path(__file__).resolve().parent / "data"
WEEK49 = DATA / "agenda-week-49.ics"
"""A consultant's agenda around the demo week 49 (2026-11-30 .. 2026-12-06)."""
SECRET = "Y-017 geheim"
"""Text in the fixture's summaries and descriptions: must never appear in a message."""


def calendar(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{i}@test\r\n{e.strip()}\r\nEND:VEVENT\r\n"
        for i, e in enumerate(events)
    )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n" + body + "END:VCALENDAR\r\n"
    ).encode()


def d(day: int, month: int = 12) -> dt.date:
    return dt.date(2026, month, day)


# The week-49 fixture --------------------------------------------------------------------


@pytest.fixture(scope="module")
def week49() -> list[BusyPeriod]:
    return busy_periods(WEEK49.read_bytes(), "2026-W49", source="agenda-week-49.ics")


def test_a_weekly_event_is_busy_every_week_but_not_on_its_exdate(
    week49: list[BusyPeriod],
) -> None:
    # Monday 09:00-10:30 every week (TZID); Tuesday 13:00-14:00 every week except 01-12
    assert BusyPeriod(d(30, 11), 9 * 60, 10 * 60 + 30) in week49
    assert not [p for p in week49 if p.date == d(1)]
    week50 = busy_periods(WEEK49.read_bytes(), "2026-W50")
    assert BusyPeriod(d(7), 9 * 60, 10 * 60 + 30) in week50
    assert BusyPeriod(d(8), 13 * 60, 14 * 60) in week50  # the Tuesday after the EXDATE


def test_an_rdate_adds_an_occurrence(week49: list[BusyPeriod]) -> None:
    assert BusyPeriod(d(3), 15 * 60, 16 * 60) in week49


def test_an_all_day_event_makes_the_whole_day_busy(week49: list[BusyPeriod]) -> None:
    wednesday = [p for p in week49 if p.date == d(2)]
    assert wednesday == [BusyPeriod(d(2), 0, 24 * 60)]
    assert wednesday[0].whole_day


def test_utc_and_floating_times_are_local_times(week49: list[BusyPeriod]) -> None:
    # 08:00Z-09:15Z in winter time is 09:00-10:15 in Amsterdam; floating 14:00 is local
    assert BusyPeriod(d(3), 9 * 60, 10 * 60 + 15) in week49
    assert BusyPeriod(d(4), 14 * 60, 15 * 60) in week49


def test_transparent_and_cancelled_events_are_not_busy(week49: list[BusyPeriod]) -> None:
    thursday = [p for p in week49 if p.date == d(3)]
    assert all(not (p.start < 13 * 60 and p.end > 12 * 60) for p in thursday)  # TRANSPARENT
    friday = [p for p in week49 if p.date == d(4)]
    assert all(not (p.start < 10 * 60 and p.end > 9 * 60) for p in friday)  # CANCELLED


def test_an_event_across_midnight_is_split_per_day(week49: list[BusyPeriod]) -> None:
    assert BusyPeriod(d(4), 22 * 60, 24 * 60) in week49
    assert BusyPeriod(d(5), 0, 2 * 60) in week49


def test_everything_is_clipped_to_the_week(week49: list[BusyPeriod]) -> None:
    assert week49, "the fixture has busy times in week 49"
    assert all(d(30, 11) <= p.date <= d(6) for p in week49)
    # the leave of 27-11 up to 30-11 (all-day, DTEND exclusive) is in week 48 only
    week48 = busy_periods(WEEK49.read_bytes(), "2026-W48")
    for day in (27, 28, 29):
        assert BusyPeriod(d(day, 11), 0, 24 * 60) in week48
    assert all(p.date <= d(29, 11) for p in week48)
    assert not any(p.whole_day for p in week49 if p.date == d(30, 11))


def test_no_summary_or_description_leaves_the_module(week49: list[BusyPeriod]) -> None:
    assert SECRET in WEEK49.read_text(encoding="utf-8")
    assert SECRET not in repr(week49)
    assert SECRET not in " ".join(describe(p) for p in week49)
    broken = WEEK49.read_bytes().replace(b"RRULE:FREQ=WEEKLY;COUNT=10", b"RRULE:FREQ=OFTEN")
    with pytest.raises(IcsError) as exc:
        busy_periods(broken, "2026-W49", source="kapot.ics")
    assert "kapot.ics" in str(exc.value)
    assert SECRET not in str(exc.value)


def test_a_moved_occurrence_is_busy_at_its_new_time_only() -> None:
    series = (
        "BEGIN:VEVENT\r\nUID:serie@test\r\n"
        "DTSTART;TZID=Europe/Amsterdam:20261102T090000\r\n"
        "DTEND;TZID=Europe/Amsterdam:20261102T100000\r\nRRULE:FREQ=WEEKLY;COUNT=8\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:serie@test\r\n"
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20261130T090000\r\n"
        "DTSTART;TZID=Europe/Amsterdam:20261201T140000\r\n"
        "DTEND;TZID=Europe/Amsterdam:20261201T153000\r\nEND:VEVENT\r\n"
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n{series}END:VCALENDAR\r\n".encode()
    assert busy_periods(data, "2026-W49") == [BusyPeriod(d(1), 14 * 60, 15 * 60 + 30)]
    assert busy_periods(data, "2026-W50") == [BusyPeriod(d(7), 9 * 60, 10 * 60)]


def test_an_all_day_event_without_a_proper_end_is_one_day_and_an_instant_is_not_busy() -> None:
    for event in (
        "DTSTART;VALUE=DATE:20261201",
        "DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261201",
    ):
        assert busy_periods(calendar(event), "2026-W49") == [BusyPeriod(d(1), 0, 1440)]
    assert busy_periods(calendar("DTSTART:20261201T090000Z"), "2026-W49") == []


def test_describe_is_dutch() -> None:
    assert describe(BusyPeriod(d(30, 11), 540, 630)) == "ma 30-11-2026 09:00–10:30"
    assert describe(BusyPeriod(d(2), 0, 1440)) == "wo 02-12-2026 hele dag"


def test_merge_joins_overlapping_and_touching_periods_per_day() -> None:
    merged = merge_periods(
        [
            BusyPeriod(d(1), 600, 660),
            BusyPeriod(d(1), 540, 610),
            BusyPeriod(d(1), 660, 700),
            BusyPeriod(d(1), 800, 900),
            BusyPeriod(d(2), 540, 600),
        ]
    )
    assert merged == [
        BusyPeriod(d(1), 540, 700),
        BusyPeriod(d(1), 800, 900),
        BusyPeriod(d(2), 540, 600),
    ]


# Daylight saving time: the EU clock change on Sunday 2026-10-25 --------------------------


LOCAL = calendar(  # every Friday and Sunday 09:00-10:00 Amsterdam time, from before the change
    "DTSTART;TZID=Europe/Amsterdam:20261016T090000\r\n"
    "DTEND;TZID=Europe/Amsterdam:20261016T100000\r\nRRULE:FREQ=WEEKLY;BYDAY=FR,SU"
)
UTC = calendar(  # the same days at 07:00-08:00 UTC
    "DTSTART:20261016T070000Z\r\nDTEND:20261016T080000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=FR,SU"
)
NIGHT = calendar(  # one hour of real time over the change: 02:30 summer .. 02:30 winter time
    "DTSTART:20261025T003000Z\r\nDTEND:20261025T013000Z"
)


def test_a_local_weekly_event_stays_at_nine_across_the_clock_change() -> None:
    before, after = busy_periods(LOCAL, "2026-W43"), busy_periods(LOCAL, "2026-W44")
    assert before == [
        BusyPeriod(dt.date(2026, 10, 23), 540, 600),  # Friday, summer time
        BusyPeriod(dt.date(2026, 10, 25), 540, 600),  # Sunday of the change, winter time
    ]
    assert after == [
        BusyPeriod(dt.date(2026, 10, 30), 540, 600),
        BusyPeriod(dt.date(2026, 11, 1), 540, 600),
    ]


def test_a_utc_event_moves_one_hour_in_local_time_across_the_clock_change() -> None:
    before, after = busy_periods(UTC, "2026-W43"), busy_periods(UTC, "2026-W44")
    assert before == [
        BusyPeriod(dt.date(2026, 10, 23), 540, 600),  # 07:00Z = 09:00 CEST
        BusyPeriod(dt.date(2026, 10, 25), 480, 540),  # 07:00Z = 08:00 CET
    ]
    assert after == [
        BusyPeriod(dt.date(2026, 10, 30), 480, 540),
        BusyPeriod(dt.date(2026, 11, 1), 480, 540),
    ]


def test_an_event_during_the_repeated_hour_covers_every_local_time_it_was_busy() -> None:
    night = busy_periods(NIGHT, "2026-W43")
    assert len(night) == 1 and night[0].date == dt.date(2026, 10, 25)
    # busy 02:30-03:00 summer time and 02:00-02:30 winter time: all of 02:00-03:00 local
    assert night[0].start <= 120 and night[0].end >= 180
    assert night[0].end - night[0].start <= 120


def test_an_all_day_event_on_the_day_of_the_change_is_one_whole_day() -> None:
    allday = calendar("DTSTART;VALUE=DATE:20261025\r\nDTEND;VALUE=DATE:20261026")
    assert busy_periods(allday, "2026-W43") == [BusyPeriod(dt.date(2026, 10, 25), 0, 1440)]
    assert busy_periods(allday, "2026-W44") == []


# Free/busy data (VFREEBUSY) --------------------------------------------------------------


def freebusy(*lines: str) -> bytes:
    """A calendar with one VFREEBUSY component holding ``lines`` (FREEBUSY properties)."""
    body = "".join(f"{line}\r\n" for line in lines)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\nMETHOD:PUBLISH\r\n"
        "BEGIN:VFREEBUSY\r\nUID:fb@test\r\nDTSTAMP:20261125T120000Z\r\n"
        "DTSTART:20261130T000000Z\r\nDTEND:20261207T000000Z\r\n"
        f"{body}END:VFREEBUSY\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_every_period_of_a_freebusy_property_is_busy_in_local_time() -> None:
    data = freebusy(
        # two periods in one property: start/end and start/duration
        "FREEBUSY;FBTYPE=BUSY:20261130T080000Z/20261130T093000Z,20261201T123000Z/PT1H45M",
        "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20261202T000000Z/20261202T230000Z",
        "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261203T140000Z/PT30M",
    )
    assert busy_periods(data, "2026-W49") == [
        BusyPeriod(d(30, 11), 9 * 60, 10 * 60 + 30),  # 08:00Z-09:30Z = 09:00-10:30 CET
        BusyPeriod(d(1), 13 * 60 + 30, 15 * 60 + 15),
        BusyPeriod(d(2), 60, 24 * 60),  # 00:00Z is 01:00 local; 23:00Z is midnight
        BusyPeriod(d(3), 15 * 60, 15 * 60 + 30),
    ]


def test_a_freebusy_without_fbtype_is_busy_and_a_free_period_is_not() -> None:
    data = freebusy(
        "FREEBUSY:20261201T080000Z/20261201T090000Z",
        "FREEBUSY;FBTYPE=FREE:20261202T080000Z/20261202T160000Z,20261203T080000Z/PT8H",
    )
    assert busy_periods(data, "2026-W49") == [BusyPeriod(d(1), 9 * 60, 10 * 60)]
    only_free = freebusy("FREEBUSY;FBTYPE=FREE:20261202T080000Z/20261202T160000Z")
    assert busy_periods(only_free, "2026-W49") == []


def test_freebusy_periods_follow_the_clock_change_and_are_clipped_to_the_week() -> None:
    data = freebusy(
        # Friday 23-10 summer time, Sunday 25-10 winter time, Monday 26-10 is week 44
        "FREEBUSY:20261023T070000Z/PT1H,20261025T070000Z/PT1H,20261026T070000Z/PT1H",
        # 02:30 summer .. 02:30 winter time: one hour of real time over the change
        "FREEBUSY;FBTYPE=BUSY:20261025T003000Z/20261025T013000Z",
    )
    week43 = busy_periods(data, "2026-W43")
    assert week43[0] == BusyPeriod(dt.date(2026, 10, 23), 9 * 60, 10 * 60)
    sunday = [p for p in week43 if p.date == dt.date(2026, 10, 25)]
    assert sunday[-1] == BusyPeriod(dt.date(2026, 10, 25), 8 * 60, 9 * 60)  # 07:00Z = 08:00 CET
    assert sunday[0].start <= 120 and sunday[0].end >= 180  # all of 02:00-03:00 local
    assert busy_periods(data, "2026-W44") == [BusyPeriod(dt.date(2026, 10, 26), 480, 540)]


def test_freebusy_and_events_are_read_together() -> None:
    event = (
        "BEGIN:VEVENT\r\nUID:e@test\r\nDTSTART:20261204T080000Z\r\n"
        "DTEND:20261204T090000Z\r\nEND:VEVENT\r\n"
    )
    data = freebusy("FREEBUSY:20261201T080000Z/PT1H").replace(
        b"END:VCALENDAR", event.encode() + b"END:VCALENDAR"
    )
    assert busy_periods(data, "2026-W49") == [
        BusyPeriod(d(1), 540, 600),
        BusyPeriod(d(4), 540, 600),
    ]
    only_later = freebusy("FREEBUSY:20261208T080000Z/PT1H")
    said = nothing_found(only_later, "2026-W49", "fb.ics").render("nl")
    assert "geen bezette tijden in week 49" in said


# Bad input ------------------------------------------------------------------------------


def test_a_file_that_is_no_icalendar_is_refused_with_its_name() -> None:
    with pytest.raises(IcsError, match=r"rooster\.xlsx: dit is geen iCalendar-bestand"):
        busy_periods(b"PK\x03\x04 not a calendar", "2026-W49", source="rooster.xlsx")


def test_a_damaged_calendar_is_refused_without_quoting_it() -> None:
    data = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:" + SECRET.encode() + b"\r\n"
    with pytest.raises(IcsError) as exc:
        busy_periods(data, "2026-W49", source="half.ics")
    assert str(exc.value).startswith("half.ics: ")
    assert SECRET not in str(exc.value)


def test_a_calendar_over_5_mb_is_refused() -> None:
    big = calendar("DTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\nSUMMARY:" + "x" * 70)
    big = big.replace(b"END:VCALENDAR", b"X-PAD:" + b"a" * (5 * 1024 * 1024) + b"\r\nEND:VCALENDAR")
    with pytest.raises(IcsError, match=r"groot\.ics: het bestand is 5 MB; .*hoogstens 5 MB"):
        busy_periods(big, "2026-W49", source="groot.ics")
    with pytest.raises(IcsError) as exc:
        busy_periods(big, "2026-W49", source="groot.ics")
    assert exc.value.message.render("en") == (
        "groot.ics: the file is 5 MB; a calendar may be at most 5 MB."
    )


def test_a_week_without_busy_time_says_so() -> None:
    data = calendar("DTSTART:20260101T090000Z\r\nDTEND:20260101T100000Z")
    assert busy_periods(data, "2026-W49") == []
    said = nothing_found(data, "2026-W49", "a.ics")
    assert "geen bezette tijden in week 49" in said.render("nl")
    assert "no busy times in week 49" in said.render("en")
    empty = calendar()
    assert nothing_found(empty, "2026-W49", "leeg.ics").render("nl") == (
        "leeg.ics: de agenda bevat geen afspraken."
    )


# Fetching a link ---------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/agenda.ics"):
            body = WEEK49.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path in ("/naar-bestand", "/naar-ftp"):
            self.send_response(302)
            where = "file:///etc/passwd" if self.path == "/naar-bestand" else "ftp://127.0.0.1/a"
            self.send_header("Location", where)
            self.end_headers()
        elif self.path == "/traag":
            time.sleep(1.5)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_link_is_fetched_and_read(server: str) -> None:
    data = fetch_ics(f"{server}/agenda.ics?token=geheim", allow_private=True)
    assert data == WEEK49.read_bytes()
    assert busy_periods(data, "2026-W49") == busy_periods(WEEK49.read_bytes(), "2026-W49")


def test_a_link_to_the_servers_own_network_is_refused_by_default(server: str) -> None:
    with pytest.raises(IcsError, match="intern netwerkadres") as exc:
        fetch_ics(f"{server}/agenda.ics?token=geheim")
    assert "geheim" not in str(exc.value)
    assert "127.0.0.1" in str(exc.value)


def test_other_schemes_are_refused_and_webcal_is_https() -> None:
    assert fetch_url("webcal://agenda.example.org/u/1.ics") == "https://agenda.example.org/u/1.ics"
    assert fetch_url(" HTTP://example.org/a.ics#x ") == "http://example.org/a.ics"
    for bad in ("file:///etc/passwd", "ftp://example.org/a.ics", "agenda.ics"):
        with pytest.raises(IcsError, match="alleen https://, http:// of webcal://"):
            fetch_ics(bad)


@pytest.mark.parametrize("path", ["/naar-bestand", "/naar-ftp"])
def test_a_redirect_to_a_file_or_ftp_is_refused(server: str, path: str) -> None:
    with pytest.raises(IcsError, match="verwijst door naar een ander soort adres"):
        fetch_ics(f"{server}{path}", allow_private=True)


def test_http_errors_size_and_time_limits(server: str) -> None:
    with pytest.raises(IcsError, match="foutcode 404"):
        fetch_ics(f"{server}/weg.ics", allow_private=True)
    with pytest.raises(IcsError, match="groter dan"):
        fetch_ics(f"{server}/agenda.ics", allow_private=True, max_bytes=1000)
    started = time.monotonic()
    with pytest.raises(IcsError, match="langer dan 0,3 seconden"):
        fetch_ics(f"{server}/traag", allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 1.4


# Into the scenario ---------------------------------------------------------------------------


def test_import_adds_absences_keeps_existing_ones_and_skips_the_weekend(
    example: Scenario,
) -> None:
    # C-XON-2 is away all of Wednesday 25-11 already
    periods = [
        BusyPeriod(dt.date(2026, 11, 23), 540, 600),
        BusyPeriod(dt.date(2026, 11, 23), 590, 660),  # overlaps the one before
        BusyPeriod(dt.date(2026, 11, 25), 600, 700),  # within the existing absence
        BusyPeriod(dt.date(2026, 11, 29), 0, 1440),  # Sunday: no planning day
    ]
    found = plan_import(example, "C-XON-2", periods)
    assert found.result.ok, found.result.problems
    assert found.added == (Unavailability(dt.date(2026, 11, 23), 540, 660),)
    assert found.covered == (BusyPeriod(dt.date(2026, 11, 25), 600, 700),)
    assert found.outside == (BusyPeriod(dt.date(2026, 11, 29), 0, 1440),)
    assert found.result.scenario is not None
    after = found.result.scenario.consultant("C-XON-2").unavailable
    assert set(after) == {*example.consultant("C-XON-2").unavailable, *found.added}
    assert found.result.upserts["consultants"] == ("C-XON-2",)
    assert found.summary().render("nl") == (
        "1 afwezigheid toe te voegen voor C-XON-2, 1 al afwezig, "
        "1 op een dag die geen planningsdag is."
    )
    # importing again on the result adds nothing
    again = plan_import(found.result.scenario, "C-XON-2", periods)
    assert again.added == () and not again.result.changed


def test_import_partly_covered_keeps_only_the_new_part(example: Scenario) -> None:
    base = plan_import(example, "C-FIER-1", [BusyPeriod(dt.date(2026, 11, 24), 600, 660)])
    assert base.result.scenario is not None
    more = plan_import(
        base.result.scenario, "C-FIER-1", [BusyPeriod(dt.date(2026, 11, 24), 540, 720)]
    )
    assert more.added == (
        Unavailability(dt.date(2026, 11, 24), 540, 600),
        Unavailability(dt.date(2026, 11, 24), 660, 720),
    )


def test_import_that_breaks_a_pin_is_refused(example: Scenario) -> None:
    # R-6 is pinned to C-XON-1 on Thursday 26-11
    found = plan_import(example, "C-XON-1", [BusyPeriod(dt.date(2026, 11, 26), 0, 1440)])
    assert not found.result.ok
    assert found.result.problems


@pytest.fixture
def stored(example_round: tuple[Engine, int]) -> tuple[Engine, int]:
    return example_round


def test_a_provider_imports_only_for_its_own_consultants(
    stored: tuple[Engine, int],
) -> None:
    engine, rid = stored
    fier = Principal("planner-fier", "planner", "fier")
    period = [BusyPeriod(dt.date(2026, 11, 23), 540, 600)]
    with pytest.raises(AccessDenied, match="C-XON-2 is geen consultant die je mag bewerken"):
        import_busy_times(engine, rid, fier, "C-XON-2", period)
    xonar = Principal("planner-xonar", "planner", "xonar")
    found = import_busy_times(engine, rid, xonar, "C-XON-2", period)
    assert found.result.ok
    assert save_availability(engine, rid, xonar, found.result) == 1
    stored_now = storage.export_scenario(engine, rid).consultant("C-XON-2")
    assert Unavailability(dt.date(2026, 11, 23), 540, 600) in stored_now.unavailable
