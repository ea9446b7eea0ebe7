"""Busy times from a consultant's own calendar (an ``.ics`` file or a shared ICS URL).

A consultant's agenda says when they are busy; the planner needs those times as
``unavailable`` entries of the scenario (FORMAT.md, consultants). This module reads an
iCalendar text with :mod:`icalendar`, expands recurring events (``RRULE``, ``RDATE``,
``EXDATE``, moved occurrences) with :mod:`recurring_ical_events`, and returns the busy
periods of one ISO week in local time (Europe/Amsterdam by default):

* all-day events make the whole day busy; timed events count from their ``DTSTART`` to
  their ``DTEND`` (or ``DURATION``), with ``TZID``, UTC and floating (local) times;
* ``TRANSP:TRANSPARENT``, ``STATUS:CANCELLED`` and Outlook's ``FREE`` busy status are not
  busy;
* an event that crosses midnight is split per day, and everything is clipped to the week;
  seconds are rounded outwards to whole minutes;
* on the day of a clock change the local wall-clock span is widened so that it covers
  every local time the event was busy;
* free/busy data (``VFREEBUSY`` components, as a calendar server publishes them) count too:
  every period of a ``FREEBUSY`` property (start/end or start/duration, usually UTC) whose
  ``FBTYPE`` is ``BUSY``, ``BUSY-UNAVAILABLE``, ``BUSY-TENTATIVE`` or missing (RFC 5545:
  ``BUSY``) is busy; ``FREE`` is not.

Nothing here logs or repeats an event's summary, description, location or attendees (they
may hold private data): only times leave this module. A URL is named in messages by its
host only (a shared calendar link usually carries a private token).

Fetching a shared calendar link (:func:`fetch_ics`, :func:`fetch_url`, :func:`url_label`),
:class:`IcsError` and the size limit live in :mod:`matcher.scenario.ics_fetch` and are
importable from here as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from matcher.messages import Joined, Message
from matcher.messages.nl import WEEKDAY_LABELS, nl_date, time_span
from matcher.scenario.domain import Consultant, Scenario, Unavailability
from matcher.scenario.edit import EditResult, apply_availability, unavailable_frame
from matcher.scenario.ics_fetch import (
    FETCH_TIMEOUT,
    MAX_ICS_BYTES,
    IcsError,
    fetch_ics,
    fetch_url,
    link_label,
    size_mb,
    url_label,
)

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_ICS_BYTES",
    "BusyImport",
    "BusyPeriod",
    "IcsError",
    "busy_by_week",
    "busy_in_hours",
    "busy_periods",
    "describe",
    "fetch_ics",
    "fetch_url",
    "has_events",
    "in_days",
    "link_label",
    "merge_periods",
    "nothing_found",
    "plan_import",
    "url_label",
    "week_days",
]

DAY = 24 * 60
ZONE = "Europe/Amsterdam"


@dataclass(frozen=True, slots=True, order=True)
class BusyPeriod:
    """A busy span on one local date, in minutes since local midnight (``end`` up to
    1440)."""

    date: dt.date
    start: int
    end: int

    @property
    def whole_day(self) -> bool:
        return self.start == 0 and self.end == DAY

    def as_unavailability(self) -> Unavailability:
        return Unavailability(self.date, self.start, self.end)


def week_days(week: str) -> tuple[dt.date, ...]:
    """Monday to Sunday of an ISO week ``2026-W48``.

    Raises
    ------
    ValueError
        When ``week`` is no ISO week.
    """
    try:
        year_text, num_text = week.split("-W")
        monday = dt.date.fromisocalendar(int(year_text), int(num_text), 1)
    except ValueError as exc:
        raise ValueError(f"{week!r} is no ISO week like 2026-W48") from exc
    return tuple(monday + dt.timedelta(days=i) for i in range(7))


# Reading ---------------------------------------------------------------------------------


def _calendar(data: bytes, source: str | Message) -> Any:
    if len(data) > MAX_ICS_BYTES:
        size, limit = size_mb(len(data)), size_mb(MAX_ICS_BYTES)
        raise IcsError(Message("ics_file_too_large", source=source, size=size, limit=limit))
    text = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.upper().startswith(b"BEGIN:VCALENDAR"):
        raise IcsError(Message("ics_not_icalendar", source=source))
    try:
        return icalendar.Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises several types; its text may quote content
        raise IcsError(Message("ics_damaged", source=source, error=type(exc).__name__)) from None


def _value(component: Any, key: str) -> str:
    raw = component.get(key)
    return str(raw).strip().upper() if raw is not None else ""


def _busy(event: Any) -> bool:
    if _value(event, "STATUS") == "CANCELLED":
        return False
    if _value(event, "TRANSP") == "TRANSPARENT":
        return False
    return _value(event, "X-MICROSOFT-CDO-BUSYSTATUS") != "FREE"


def _freebusy(cal: Any, zone: ZoneInfo) -> Iterable[tuple[dt.datetime, dt.datetime]]:
    """The busy periods of the calendar's ``VFREEBUSY`` components as UTC spans.

    A ``FREEBUSY`` property may hold several periods (``start/end`` or
    ``start/duration``); its ``FBTYPE`` applies to all of them. Only ``FREE`` is not busy:
    RFC 5545 makes a missing or unknown type ``BUSY``.
    """
    for component in cal.walk("VFREEBUSY"):
        values = component.get("FREEBUSY")
        if values is None:
            continue
        for period in values if isinstance(values, list) else [values]:
            if not isinstance(period, icalendar.vPeriod):
                continue
            if str(period.params.get("FBTYPE", "BUSY")).strip().upper() == "FREE":
                continue
            first, other = period.dt
            last = first + other if isinstance(other, dt.timedelta) else other
            yield _aware(first, zone), _aware(last, zone)


def _aware(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A DTSTART/DTEND value as an aware UTC datetime (dates: local midnight; floating
    times: local time)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)


def _wall_minutes(moment: dt.datetime, offset: dt.timedelta, day: dt.date) -> float:
    """Minutes of ``moment`` (UTC) on the local wall clock at ``offset``, counted from the
    start of ``day`` (may lie outside 0..1440)."""
    wall = moment.replace(tzinfo=None) + offset
    return (wall - dt.datetime.combine(day, dt.time(0, 0))).total_seconds() / 60


def _split(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> Iterable[BusyPeriod]:
    """The local-date pieces of a busy span given in UTC."""
    day = start.astimezone(zone).date()
    while True:
        lo_day, hi_day = _local_midnight(day, zone), _local_midnight(day + dt.timedelta(1), zone)
        if lo_day >= end:
            return
        lo, hi = max(start, lo_day), min(end, hi_day)
        if lo < hi:
            if lo == lo_day and hi == hi_day:
                yield BusyPeriod(day, 0, DAY)
            else:
                offsets = {lo.astimezone(zone).utcoffset(), hi.astimezone(zone).utcoffset()}
                first = min(_wall_minutes(lo, o, day) for o in offsets if o is not None)
                last = max(_wall_minutes(hi, o, day) for o in offsets if o is not None)
                if lo == lo_day:
                    first = 0
                if hi == hi_day:
                    last = DAY
                a = max(0, min(DAY, int(first // 1)))
                b = max(0, min(DAY, -int(-last // 1)))
                if b > a:
                    yield BusyPeriod(day, a, b)
        day += dt.timedelta(1)


def merge_periods(periods: Iterable[BusyPeriod]) -> list[BusyPeriod]:
    """Overlapping or touching periods of the same date joined, sorted."""
    merged: list[BusyPeriod] = []
    for p in sorted(periods):
        last = merged[-1] if merged else None
        if last is not None and last.date == p.date and p.start <= last.end:
            merged[-1] = BusyPeriod(p.date, last.start, max(last.end, p.end))
        else:
            merged.append(p)
    return merged


def busy_periods(
    data: bytes, week: str, *, source: str | Message = "agenda", timezone: str = ZONE
) -> list[BusyPeriod]:
    """The busy periods of ``week`` (Monday to Sunday) in an iCalendar text, merged.

    Parameters
    ----------
    data
        The calendar as bytes (UTF-8; a byte-order mark is allowed).
    week
        ISO week, ``2026-W48``.
    source
        How messages name the calendar, e.g. the uploaded file's name.
    timezone
        The planner's zone: the dates and minutes of the result are local there.

    Returns
    -------
    list of BusyPeriod
        Sorted by date and start; may be empty when nothing is busy that week.

    Raises
    ------
    IcsError
        The data are too large, not iCalendar, or cannot be expanded.
    """
    return _week_periods(_calendar(data, source), week, source, ZoneInfo(timezone))


def busy_by_week(
    data: bytes, weeks: Iterable[str], *, source: str | Message = "agenda", timezone: str = ZONE
) -> dict[str, list[BusyPeriod]]:
    """:func:`busy_periods` of several ISO weeks, reading the calendar once.

    Raises
    ------
    IcsError
        As :func:`busy_periods`.
    """
    cal, zone = _calendar(data, source), ZoneInfo(timezone)
    return {week: _week_periods(cal, week, source, zone) for week in weeks}


def _week_periods(cal: Any, week: str, source: str | Message, zone: ZoneInfo) -> list[BusyPeriod]:
    days = week_days(week)
    week_start, week_end = (
        _local_midnight(days[0], zone),
        _local_midnight(days[-1] + dt.timedelta(1), zone),
    )
    # query a day wider on each side (floating times, all-day events) and clip exactly
    query_from = week_start.astimezone(zone) - dt.timedelta(days=1)
    query_to = week_end.astimezone(zone) + dt.timedelta(days=1)
    try:
        events = list(recurring_ical_events.of(cal).between(query_from, query_to))
    except Exception as exc:  # bad RRULE, bad dates: the library's text may quote content
        raise IcsError(
            Message("ics_recurrence_failed", source=source, error=type(exc).__name__)
        ) from None
    found: list[BusyPeriod] = []
    for event in events:
        if not _busy(event):
            continue
        try:
            start_value = event.start
        except Exception:  # no DTSTART
            continue
        try:
            end_value = event.end
        except Exception:  # an end before the start, or a bad DURATION
            end_value = start_value
        start, end = _aware(start_value, zone), _aware(end_value, zone)
        if end <= start and not isinstance(start_value, dt.datetime):
            end = _aware(start_value + dt.timedelta(days=1), zone)  # an all-day event
        if end <= start:
            continue  # an instant (DTSTART only) or an end before the start: not busy
        start, end = max(start, week_start), min(end, week_end)
        if start < end:
            found.extend(_split(start, end, zone))
    for start, end in _freebusy(cal, zone):
        start, end = max(start, week_start), min(end, week_end)
        if start < end:
            found.extend(_split(start, end, zone))
    return merge_periods(found)


def has_events(data: bytes, source: str | Message = "agenda") -> bool:
    """Whether the calendar holds any event or free/busy period at all (for a clearer
    empty-week message)."""
    cal = _calendar(data, source)
    return bool(cal.walk("VEVENT")) or any(c.get("FREEBUSY") for c in cal.walk("VFREEBUSY"))


def nothing_found(data: bytes, week: str, source: str | Message = "agenda") -> Message:
    """Why a calendar gave no busy period in ``week`` (named as ``week 48``)."""
    number = int(week.split("-W")[1])
    if has_events(data, source):
        return Message("ics_week_empty", source=source, week=number)
    return Message("ics_no_events", source=source)


def describe(period: BusyPeriod) -> str:
    """``ma 30-11-2026 09:00–10:30`` or ``ma 30-11-2026 hele dag``."""
    head = f"{WEEKDAY_LABELS[period.date.weekday()]} {nl_date(period.date)}"
    return (
        f"{head} hele dag" if period.whole_day else f"{head} {time_span(period.start, period.end)}"
    )


def busy_in_hours(consultant: Consultant, period: BusyPeriod) -> bool:
    """Whether ``period`` overlaps one of the consultant's availability windows of its
    date (busy time outside working hours changes no tour)."""
    return any(
        w.applies_to(period.date) and w.start < period.end and period.start < w.end
        for w in consultant.availability
    )


def in_days(periods: Sequence[BusyPeriod], days: Iterable[dt.date]) -> list[BusyPeriod]:
    """The periods on one of ``days``."""
    wanted = set(days)
    return [p for p in periods if p.date in wanted]


# Into the scenario -------------------------------------------------------------------------


@dataclass(frozen=True)
class BusyImport:
    """What importing busy periods as absences of one consultant would do.

    Attributes
    ----------
    consultant
        The consultant's id.
    added
        The new ``unavailable`` entries: busy time on planning days not yet covered by an
        absence (existing absences are kept as they are).
    covered
        Busy periods already wholly covered by an existing absence.
    outside
        Busy periods on days that are no planning day of the week (weekend): not imported.
    result
        The validated edit that adds ``added`` (see :mod:`matcher.scenario.edit`).
    """

    consultant: str
    added: tuple[Unavailability, ...]
    covered: tuple[BusyPeriod, ...]
    outside: tuple[BusyPeriod, ...]
    result: EditResult

    def summary(self) -> Message:
        """One sentence: what is added, what was there already, what is skipped."""
        n = len(self.added)
        parts = [
            Message("import_added_one", consultant=self.consultant)
            if n == 1
            else Message("import_added", count=n, consultant=self.consultant)
        ]
        if self.covered:
            parts.append(Message("import_covered", count=len(self.covered)))
        if self.outside:
            parts.append(Message("import_outside", count=len(self.outside)))
        return Message("sentence", parts=Joined(tuple(parts), ", "))


def _subtract(period: BusyPeriod, taken: Sequence[tuple[int, int]]) -> list[BusyPeriod]:
    """The parts of ``period`` outside the sorted, merged spans ``taken``."""
    pieces: list[BusyPeriod] = []
    at = period.start
    for lo, hi in taken:
        if hi <= at or lo >= period.end:
            continue
        if lo > at:
            pieces.append(BusyPeriod(period.date, at, lo))
        at = max(at, hi)
    if at < period.end:
        pieces.append(BusyPeriod(period.date, at, period.end))
    return pieces


def plan_import(
    scenario: Scenario, consultant_id: str, periods: Iterable[BusyPeriod]
) -> BusyImport:
    """The absences that ``periods`` add to ``consultant_id`` in ``scenario``, validated.

    Busy periods are merged first; time already covered by an absence is left out, so an
    import twice adds nothing the second time. Only planning days are imported.
    """
    consultant = scenario.consultant(consultant_id)
    days = set(scenario.days)
    merged = merge_periods(periods)
    outside = tuple(p for p in merged if p.date not in days)
    taken: dict[dt.date, list[tuple[int, int]]] = {}
    for span in merge_periods(BusyPeriod(u.date, u.start, u.end) for u in consultant.unavailable):
        taken.setdefault(span.date, []).append((span.start, span.end))
    added: list[Unavailability] = []
    covered: list[BusyPeriod] = []
    for p in merged:
        if p.date not in days:
            continue
        pieces = _subtract(p, taken.get(p.date, []))
        if not pieces:
            covered.append(p)
        added.extend(piece.as_unavailability() for piece in pieces)
    if added:
        frame = unavailable_frame(
            [replace(consultant, unavailable=(*consultant.unavailable, *added))]
        )
        result = apply_availability(scenario, [consultant_id], unavailable=frame)
    else:
        result = EditResult(scenario, (), {"consultants": ()}, base=scenario)
    return BusyImport(consultant_id, tuple(added), tuple(covered), outside, result)
