"""Domain helpers: tour expansion, window arithmetic, lookups."""

from __future__ import annotations

import datetime as dt

from matcher.scenario.domain import (
    Consultant,
    Point,
    Unavailability,
    Window,
    format_time,
    subtract_interval,
    tours_of,
)

MON = dt.date(2026, 11, 23)
TUE = MON + dt.timedelta(days=1)


def consultant(*windows: Window, unavailable: tuple[Unavailability, ...] = ()) -> Consultant:
    return Consultant(
        "c", "p", "N", "n@x.example", Point(51, 6), availability=windows, unavailable=unavailable
    )


def test_subtract_interval_splits_and_drops() -> None:
    assert subtract_interval([(540, 1020)], 720, 780) == [(540, 720), (780, 1020)]
    assert subtract_interval([(540, 1020)], 0, 1440) == []
    assert subtract_interval([(540, 600)], 600, 700) == [(540, 600)]


def test_weekday_and_date_windows_make_tours() -> None:
    c = consultant(Window(540, 720, weekday="mon"), Window(780, 1020, date=MON))
    tours = tours_of(c, [MON, TUE])
    assert [(t.date, t.start, t.end) for t in tours] == [(MON, 540, 720), (MON, 780, 1020)]


def test_dated_availability_outside_days_is_unused() -> None:
    c = consultant(Window(540, 720, date=MON + dt.timedelta(days=7)))
    assert tours_of(c, [MON, TUE]) == []


def test_unavailable_whole_day_and_part() -> None:
    c = consultant(
        Window(540, 1020, weekday="mon"),
        Window(540, 1020, weekday="tue"),
        unavailable=(Unavailability(MON), Unavailability(TUE, 600, 660)),
    )
    tours = tours_of(c, [MON, TUE])
    assert [(t.start, t.end) for t in tours] == [(540, 600), (660, 1020)]


def test_format_time() -> None:
    assert (
        format_time(0) == "00:00" and format_time(545) == "09:05" and format_time(1440) == "24:00"
    )
