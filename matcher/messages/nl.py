"""Dutch wording for the planning app: dates, weeks, times, urgencies and minutes.

Every function here is pure; the Streamlit pages use them so that the same date is written
the same way everywhere ("ma 30 nov", "30-11-2026", "week 49"). Clock times shown to users
are local times of the scenario's zone (``Europe/Amsterdam`` by default).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from matcher.messages import Message
from matcher.messages.text_nl import TEXT as _NL_TEXT
from matcher.scenario.domain import WEEKDAYS, format_time

__all__ = [
    "BOUND_HELP",
    "DATE_HINT",
    "GAP_HELP",
    "MONTHS",
    "SCORE_HELP",
    "STATUS_LABELS",
    "URGENCY_LABELS",
    "WEEKDAY_LABELS",
    "WEEKDAY_NAMES",
    "duration_text",
    "nl_date",
    "nl_datetime",
    "nl_day",
    "nl_float",
    "nl_int",
    "nl_number",
    "parse_date",
    "parse_hhmm",
    "status_text",
    "time_span",
    "urgency_key",
    "urgency_label",
    "week_label",
    "week_number",
    "weekday_key",
]

WEEKDAY_LABELS: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
"""Short Dutch weekday names, Monday first (index = ``date.weekday()``)."""
WEEKDAY_NAMES: tuple[str, ...] = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)
MONTHS: tuple[str, ...] = (
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)
URGENCY_LABELS: dict[str, str] = {
    "low": "laag",
    "normal": "normaal",
    "high": "hoog",
    "crisis": "crisis",
}
AMSTERDAM = "Europe/Amsterdam"
STATUS_LABELS: dict[str, str] = {
    status: _NL_TEXT[f"solver_status_{status}"]
    for status in ("optimal", "feasible", "infeasible", "unknown")
}
"""Plain Dutch for the solver's status of a plan (the ``solver_status_*`` messages)."""
SCORE_HELP = (
    "De doelfunctie: één getal dat wachttijd (gewogen naar urgentie), reistijd en "
    "niet-ingeplande aanvragen samen telt. Lager is beter."
)
BOUND_HELP = (
    "Lager dan dit getal kan de score niet worden: de rekenmethode heeft bewezen dat geen "
    "planning beter is."
)
GAP_HELP = (
    "Hoeveel procent de beste score nog boven de ondergrens ligt. 0% betekent: bewezen de "
    "beste planning; bij een klein getal is verder rekenen weinig zinvol."
)

_HHMM = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_NL_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")
DATE_HINT = _NL_TEXT["allow_table_date"]
"""What a date cell may hold, for error messages (the ``allow_table_date`` message)."""


def nl_date(day: dt.date) -> str:
    """``30-11-2026``."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def parse_date(text: object) -> dt.date | None:
    """The date of ``02-12-2026``, ``2-12-2026``, ``02/12/2026`` or ISO ``2026-12-02``.

    Returns ``None`` when the text is no date (or no real date, such as ``31-02-2026``).
    An ISO date followed by a time (``2026-12-02T00:00``) counts as that date.
    """
    if not isinstance(text, str):
        return None
    m = _NL_DATE.match(text)
    if m is not None:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _ISO_DATE.match(text)
        if m is None:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def urgency_key(text: object) -> str | None:
    """The format's urgency key of a Dutch or English word (``Hoog`` -> ``high``)."""
    if not isinstance(text, str):
        return None
    low = text.strip().lower()
    for key, label in URGENCY_LABELS.items():
        if low in (key, label):
            return key
    return None


def nl_number(value: float, decimals: int = 0) -> str:
    """A number the Dutch way: ``.`` between thousands, ``,`` before decimals.

    ``nl_number(40840) == "40.840"``, ``nl_number(1234.5, 1) == "1.234,5"``,
    ``nl_number(-0.04, 1) == "0,0"`` (no negative zero).
    """
    text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text.translate(str.maketrans(",.", ".,"))


def nl_int(value: float) -> str:
    """A whole number with Dutch thousands separators: ``40.840``."""
    return nl_number(value, 0)


def nl_float(value: float, decimals: int = 1) -> str:
    """A decimal number with a Dutch decimal comma: ``40,7``."""
    return nl_number(value, decimals)


def nl_day(day: dt.date) -> str:
    """``ma 30 nov``."""
    return f"{WEEKDAY_LABELS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def weekday_key(label: str) -> str | None:
    """The format's weekday key (``mon``) of a Dutch label (``ma`` or ``maandag``)."""
    text = label.strip().lower()
    for i, (short, full) in enumerate(zip(WEEKDAY_LABELS, WEEKDAY_NAMES, strict=True)):
        if text in (short, full, WEEKDAYS[i]):
            return WEEKDAYS[i]
    return None


def nl_datetime(moment: dt.datetime, zone: str = AMSTERDAM) -> str:
    """A timestamp in local time: ``28-11-2026 20:15`` (naive input counts as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    local = aware.astimezone(ZoneInfo(zone))
    return f"{nl_date(local.date())} {local.hour:02d}:{local.minute:02d}"


def week_number(week: str | None, first_day: dt.date | None = None) -> int | None:
    """The ISO week number of ``2026-W49`` (or of ``first_day`` when there is no week)."""
    if week:
        m = _WEEK.match(week)
        if m:
            return int(m.group(2))
    if first_day is not None:
        return first_day.isocalendar().week
    return None


def week_label(
    week: str | None, first_day: dt.date | None = None, last_day: dt.date | None = None
) -> str:
    """``week 49 (30-11-2026 – 04-12-2026)``; without dates just ``week 49``."""
    num = week_number(week, first_day)
    head = f"week {num}" if num is not None else "losse dagen"
    if first_day is None:
        return head
    if last_day is None or last_day == first_day:
        return f"{head} ({nl_date(first_day)})"
    return f"{head} ({nl_date(first_day)} – {nl_date(last_day)})"


def parse_hhmm(text: object, *, allow_2400: bool = True) -> int | None:
    """Minutes since midnight of ``HH:MM`` (or ``HH.MM``); ``None`` when it is no time."""
    if not isinstance(text, str):
        return None
    m = _HHMM.match(text)
    if m is None:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    total = hours * 60 + minutes
    if minutes >= 60 or total > 24 * 60 or (total == 24 * 60 and not allow_2400):
        return None
    return total


def status_text(status: str) -> str:
    """Plain Dutch for a solver status (``optimal`` -> ``bewezen de beste planning``), from
    the message tables (code ``solver_status_<status>``); an unknown status is shown as
    ``status <status>`` in Dutch."""
    if status in STATUS_LABELS:
        return Message(f"solver_status_{status}").render("nl")
    return Message("solver_status_other", status=status).render("nl")


def urgency_label(urgency: str) -> str:
    """Dutch name of an urgency key (unknown keys are shown as they are)."""
    return URGENCY_LABELS.get(urgency, urgency)


def duration_text(minutes: float) -> str:
    """``2 u 05 min``, ``45 min``."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if hours == 0:
        return f"{rest} min"
    return f"{hours} u {rest:02d} min"


def time_span(start: int, end: int) -> str:
    """``09:00–10:30``."""
    return f"{format_time(start)}–{format_time(end)}"
