"""Tests of matcher.messages.nl: Dutch dates, weeks, times and labels."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.messages.nl import (
    duration_text,
    nl_date,
    nl_datetime,
    nl_day,
    nl_float,
    nl_int,
    nl_number,
    parse_date,
    parse_hhmm,
    status_text,
    time_span,
    urgency_key,
    urgency_label,
    week_label,
    week_number,
    weekday_key,
)

MONDAY = dt.date(2026, 11, 30)


def test_dates_are_written_the_dutch_way() -> None:
    assert nl_date(MONDAY) == "30-11-2026"
    assert nl_day(MONDAY) == "ma 30 nov"
    assert nl_day(dt.date(2026, 12, 4)) == "vr 4 dec"
    assert nl_day(dt.date(2026, 3, 1)) == "zo 1 mrt"


def test_week_label_names_week_and_dates() -> None:
    assert week_number("2026-W49") == 49
    assert week_number(None, MONDAY) == 49
    assert week_number(None) is None
    assert week_label("2026-W49", MONDAY, dt.date(2026, 12, 4)) == (
        "week 49 (30-11-2026 – 04-12-2026)"
    )
    assert week_label("2026-W49") == "week 49"
    assert week_label(None, MONDAY, MONDAY) == "week 49 (30-11-2026)"


def test_timestamps_are_shown_in_amsterdam_time() -> None:
    winter = dt.datetime(2026, 11, 28, 19, 15, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 8, 0)  # naive counts as UTC
    assert nl_datetime(winter) == "28-11-2026 20:15"
    assert nl_datetime(summer) == "01-07-2026 10:00"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("09:00", 540), ("9:05", 545), ("17.30", 1050), ("24:00", 1440), (" 00:00 ", 0)],
)
def test_parse_hhmm_reads_times(text: str, minutes: int) -> None:
    assert parse_hhmm(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "12:60", "noon", "", "1200", None, 540])
def test_parse_hhmm_refuses_non_times(text: object) -> None:
    assert parse_hhmm(text) is None


def test_parse_hhmm_can_refuse_midnight_end() -> None:
    assert parse_hhmm("24:00", allow_2400=False) is None


def test_labels_and_durations() -> None:
    assert weekday_key("ma") == "mon"
    assert weekday_key("Vrijdag") == "fri"
    assert weekday_key("sun") == "sun"
    assert weekday_key("someday") is None
    assert urgency_label("crisis") == "crisis"
    assert urgency_label("high") == "hoog"
    assert urgency_label("custom") == "custom"
    assert duration_text(45) == "45 min"
    assert duration_text(125) == "2 u 05 min"
    assert time_span(540, 600) == "09:00–10:00"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("02-12-2026", dt.date(2026, 12, 2)),
        ("2-12-2026", dt.date(2026, 12, 2)),
        (" 2-3-2026 ", dt.date(2026, 3, 2)),
        ("02/12/2026", dt.date(2026, 12, 2)),
        ("2026-12-02", dt.date(2026, 12, 2)),
        ("2026-12-02T00:00:00", dt.date(2026, 12, 2)),
    ],
)
def test_parse_date_reads_dutch_and_iso_dates(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31-02-2026", "2026-13-01", "12-2026", "morgen", "", 5, None])
def test_parse_date_refuses_non_dates(text: object) -> None:
    assert parse_date(text) is None


def test_urgency_words_in_dutch_and_english() -> None:
    assert urgency_key("Hoog") == "high"
    assert urgency_key(" laag ") == "low"
    assert urgency_key("normal") == "normal"
    assert urgency_key("crisis") == "crisis"
    assert urgency_key("spoed") is None


def test_numbers_are_written_the_dutch_way() -> None:
    assert nl_int(40840) == "40.840"
    assert nl_int(1234567.4) == "1.234.567"
    assert nl_int(999) == "999"
    assert nl_float(40.7, 1) == "40,7"
    assert nl_float(1234.56, 2) == "1.234,56"
    assert nl_float(-0.04, 1) == "0,0"
    assert nl_float(-3.25, 1) == "-3,2"
    assert nl_number(0.5) == "0"


def test_solver_status_in_plain_dutch() -> None:
    assert status_text("optimal") == "bewezen de beste planning"
    assert status_text("feasible") == "goede planning, niet bewezen de beste"
    assert status_text("infeasible") == "geen planning mogelijk"
    assert status_text("other") == "onbekende status other"
