"""Checking a parsed scenario document against FORMAT.md and building the domain objects.

Every problem is collected, none stops the check early: the caller gets all of them at once,
each naming the file, the field path (``consultants[2].availability[0].end``), the bad value
and what is allowed. Defaults are applied exactly as FORMAT.md gives them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matcher.cycle.replanning import check_published_before_now
from matcher.scenario.domain import (
    DAY_MINUTES,
    DEFAULT_URGENCY_FACTORS,
    FORMAT_VERSION,
    LOCATION_KINDS,
    WEEKDAYS,
    Consultant,
    Contact,
    Location,
    Pin,
    Point,
    Provider,
    PublishedVisit,
    Request,
    Scenario,
    TimeOfDay,
    Tour,
    TravelSettings,
    Unavailability,
    Weights,
    Window,
    Youth,
    base_point,
    format_time,
    tours_of,
)
from matcher.scenario.overlaps import overlapping_windows
from matcher.scenario.problems import Problem, ScenarioError, show
from matcher.travel import TravelMatrixError, matrix_file, parse_matrix_csv, read_matrix_csv

T = TypeVar("T")

MAX_ROLES = 20
"""Most roles (consultants) of one joint visit."""
MAX_COUNT = 1_000_000
"""Largest whole number accepted for a count such as ``max_visits_per_week``."""
MAX_WEIGHT = 1_000_000
"""Largest objective weight (``weights.*``); with :data:`MAX_URGENCY_FACTOR` and a realistic
week the objective stays far inside 64 bits."""
MAX_URGENCY_FACTOR = 1_000
"""Largest urgency factor."""
MAX_OBJECTIVE = 2**53
"""Largest objective a week may reach in the worst case (every cost at its highest): beyond
it the solver's 64-bit sums and its floating-point bounds are no longer exact."""

_TEXT = "text without NUL characters (valid Unicode)"
_SURROGATE = re.compile("[\ud800-\udfff]")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_NOW_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$")

TOP_KEYS = {
    "format": True,
    "name": True,
    "week": False,
    "days": False,
    "timezone": False,
    "travel": False,
    "weights": False,
    "urgency_factors": False,
    "providers": True,
    "consultants": True,
    "locations": True,
    "youths": True,
    "requests": True,
    "now": False,
    "published": False,
}
PROVIDER_KEYS = {"id": True, "name": True, "hourly_rate": False, "km_rate": False}
PUBLISHED_KEYS = {"request": True, "date": True, "start": True, "consultants": True}
MAX_RATE = 1_000_000.0
"""Largest hourly or km rate accepted (euros)."""
CONSULTANT_KEYS = {
    "id": True,
    "provider": True,
    "name": True,
    "email": True,
    "base": True,
    "skills": False,
    "max_visits_per_day": False,
    "max_visits_per_week": False,
    "availability": False,
    "unavailable": False,
}
WINDOW_KEYS = {"date": False, "weekday": False, "start": True, "end": True}
UNAVAILABLE_KEYS = {"date": True, "start": False, "end": False}
POINT_KEYS = {"lat": True, "lon": True}
LOCATION_KEYS = {
    "id": True,
    "name": True,
    "kind": True,
    "gemeente": True,
    "lat": True,
    "lon": True,
    "address": False,
    "confidential": False,
    "open": False,
    "contact": False,
}
CONTACT_KEYS = {"name": True, "email": True}
YOUTH_KEYS = {
    "id": True,
    "location": True,
    "gemeente": True,
    "signalled_on": True,
    "urgency": False,
    "previous_consultant": False,
    "excluded_consultants": False,
}
REQUEST_KEYS = {
    "id": True,
    "youth": True,
    "roles": False,
    "skills": False,
    "duration_minutes": True,
    "earliest": False,
    "latest": False,
    "time_of_day": False,
    "pinned": False,
}
TIME_OF_DAY_KEYS = {"start": True, "end": True}
PIN_KEYS = {"consultants": True, "date": False, "start": False}
TRAVEL_KEYS = {"speed_kmh": False, "detour_factor": False, "matrix": False}
WEIGHT_KEYS = {
    "travel_minute": False,
    "waiting_day": False,
    "continuity": False,
    "unassigned": False,
    "change": False,
}

_TYPE_NAMES = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Checker:
    """Collects problems while reading one document."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, allowed: str = "") -> None:
        self.problems.append(Problem(self.file, path, message, allowed))

    # Structure -------------------------------------------------------------------
    def mapping(self, value: Any, path: str, keys: dict[str, bool]) -> dict[str, Any] | None:
        """Check a mapping: its type, unknown keys and missing required keys."""
        if not isinstance(value, dict):
            self.add(path, f"{show(value)} is {_type_name(value)}", "a mapping of keys to values")
            return None
        known = ", ".join(keys)
        for key in value:
            if key not in keys:
                self.add(_join(path, str(key)), f"unknown key {show(key)}", f"one of: {known}")
        for key, required in keys.items():
            if required and key not in value:
                self.add(_join(path, key), "missing required key", f"a value for {key!r}")
        return value

    def items(self, value: Any, path: str, *, required: bool = False) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.add(path, f"{show(value)} is {_type_name(value)}", "a list")
            return []
        return value

    # Scalars ----------------------------------------------------------------------
    def storable(self, value: str, path: str, *, private: bool = False) -> bool:
        """Whether ``value`` can be stored: no NUL character and no unpaired surrogate."""
        if "\x00" not in value and (value.isascii() or not _SURROGATE.search(value)):
            return True
        what = "the text" if private else show(value)
        self.add(path, f"{what} holds a NUL character or an unpaired surrogate", _TEXT)
        return False

    def ident(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path) else None
        self.add(path, f"{show(value)} is not an id", "a non-empty string")
        return None

    def text(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path) else None
        self.add(path, f"{show(value)} is {_type_name(value)}", "a non-empty string")
        return None

    def private_text(self, value: Any, path: str) -> str | None:
        """Like :meth:`text` for a field whose value never appears in a message (an address)."""
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path, private=True) else None
        self.add(path, f"the value is {_type_name(value)} (not shown)", "a non-empty string")
        return None

    def email(self, value: Any, path: str) -> str | None:
        text = self.text(value, path)
        if text is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", text):
            self.add(path, f"{show(text)} is not an e-mail address", "name@domain")
            return None
        return text

    def integer(
        self, value: Any, path: str, minimum: int | None = None, maximum: int = MAX_COUNT
    ) -> int | None:
        low = "" if minimum is None else f"from {minimum} "
        allowed = f"a whole number {low}to {maximum}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"{show(value)} is {_type_name(value)}", allowed)
            return None
        if minimum is not None and value < minimum:
            self.add(path, f"{show(value)} is too small", allowed)
            return None
        if value > maximum:
            self.add(path, f"{show(value)} is too large", allowed)
            return None
        return value

    def number(
        self, value: Any, path: str, low: float, high: float, *, open_low: bool = False
    ) -> float | None:
        bracket = "(" if open_low else "["
        allowed = f"a number in {bracket}{low}, {high}]"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, f"{show(value)} is {_type_name(value)}", allowed)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"{show(value)} is not a finite number", allowed)
            return None
        if value < low or value > high or (open_low and value == low):
            self.add(path, f"{show(value)} is out of range", allowed)
            return None
        return float(value)

    def boolean(self, value: Any, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.add(path, f"{show(value)} is {_type_name(value)}", "true or false")
        return None

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    return dt.date.fromisoformat(value)
            except ValueError:
                self.add(path, f"{show(value)} is not a real date", "a date YYYY-MM-DD")
                return None
        self.add(path, f"{show(value)} is not a date", "a date YYYY-MM-DD")
        return None

    def time(self, value: Any, path: str, *, allow_2400: bool = False) -> int | None:
        allowed = 'a time "HH:MM" (00:00-24:00), written in quotes'
        if isinstance(value, str):
            m = _TIME_RE.match(value.strip())
            if m:
                hours, minutes = int(m.group(1)), int(m.group(2))
                total = hours * 60 + minutes
                if minutes < 60 and (total < DAY_MINUTES or (allow_2400 and total == DAY_MINUTES)):
                    return total
            self.add(path, f"{show(value)} is not a valid time", allowed)
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            self.add(
                path,
                f"{value} is a number, not a time (an unquoted time may have been read as "
                "minutes by a YAML 1.1 parser)",
                allowed,
            )
            return None
        self.add(path, f"{show(value)} is {_type_name(value)}", allowed)
        return None

    def strings(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, f"{show(value)} is {_type_name(value)}", "a list of strings")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                if self.storable(item, f"{path}[{i}]"):
                    out.append(item)
            else:
                self.add(f"{path}[{i}]", f"{show(item)} is not a tag", "a non-empty string")
        return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _get(
    m: dict[str, Any],
    key: str,
    path: str,
    parse: Callable[..., T | None],
    *args: Any,
    **kw: Any,
) -> T | None:
    if key not in m:
        return None
    return parse(m[key], _join(path, key), *args, **kw)


def _check_unique(checker: _Checker, ids: Iterable[tuple[str | None, str]], kind: str) -> None:
    seen: dict[str, str] = {}
    for ident, path in ids:
        if ident is None:
            continue
        if ident in seen:
            checker.add(
                path,
                f"duplicate {kind} id {show(ident)} (also at {seen[ident]})",
                f"a {kind} id used once",
            )
        else:
            seen[ident] = path


# Sections ------------------------------------------------------------------------------


def _planning_days(c: _Checker, doc: dict[str, Any]) -> tuple[tuple[dt.date, ...], str | None]:
    week: str | None = None
    days: list[dt.date] = []
    if "week" in doc:
        raw = doc["week"]
        m = _WEEK_RE.match(raw) if isinstance(raw, str) else None
        if m is None:
            c.add("week", f"{show(raw)} is not an ISO week", 'an ISO week such as "2026-W48"')
        else:
            try:
                monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
                week = raw
                days = [monday + dt.timedelta(days=i) for i in range(5)]
            except ValueError:
                c.add("week", f"{show(raw)} does not exist", "an existing ISO week of that year")
    if "days" in doc:
        raw_days = c.items(doc["days"], "days")
        parsed = [c.date(d, f"days[{i}]") for i, d in enumerate(raw_days)]
        if not raw_days and isinstance(doc["days"], list):
            c.add("days", "the list is empty", "at least one planning date")
        seen: set[dt.date] = set()
        for i, d in enumerate(parsed):
            if d is not None and d in seen:
                c.add(f"days[{i}]", f"{d.isoformat()} is listed twice", "each date once")
            if d is not None:
                seen.add(d)
        days = sorted(seen)
    elif "week" not in doc:
        c.add("week", "missing: give `week` or `days`", 'an ISO week such as "2026-W48"')
    return tuple(days), week


def _window(c: _Checker, raw: Any, path: str, *, dated_ok: bool = True) -> Window | None:
    m = c.mapping(raw, path, WINDOW_KEYS)
    if m is None:
        return None
    start = _get(m, "start", path, c.time)
    end = _get(m, "end", path, c.time, allow_2400=True)
    date: dt.date | None = None
    weekday: str | None = None
    if ("date" in m) == ("weekday" in m):
        c.add(
            path,
            "give exactly one of `date` and `weekday`",
            "{date: D, start, end} or {weekday: mon..sun, start, end}",
        )
    elif "date" in m:
        date = c.date(m["date"], _join(path, "date"))
    else:
        wd = m["weekday"]
        if isinstance(wd, str) and wd.lower() in WEEKDAYS:
            weekday = wd.lower()
        else:
            c.add(_join(path, "weekday"), f"{show(wd)} is not a weekday", ", ".join(WEEKDAYS))
    if start is not None and end is not None and end <= start:
        c.add(
            _join(path, "end"),
            f'{show(format_time(end))} is not after start "{format_time(start)}"',
            "an end later than the start",
        )
        return None
    if start is None or end is None or (date is None and weekday is None):
        return None
    return Window(start=start, end=end, date=date, weekday=weekday)


def _windows(c: _Checker, raw: Any, path: str) -> list[Window]:
    out = []
    for i, item in enumerate(c.items(raw, path)):
        w = _window(c, item, f"{path}[{i}]")
        if w is not None:
            out.append(w)
    return out


def _check_overlaps(c: _Checker, windows: list[tuple[int, Window]], path: str) -> None:
    """Windows of one consultant on one day never overlap (see :mod:`matcher.scenario.overlaps`).

    A window is reported once, when it overlaps a window listed before it on the same day.
    """
    by_index = dict(windows)
    for ib, ia in overlapping_windows(windows).items():
        c.add(
            f"{path}[{ib}]",
            f"{_describe(by_index[ib])} overlaps {path}[{ia}] ({_describe(by_index[ia])})",
            "windows of one consultant on one day that do not overlap",
        )


def _describe(w: Window) -> str:
    day = w.date.isoformat() if w.date else w.weekday
    return f"{day} {format_time(w.start)}-{format_time(w.end)}"


def _consultant(c: _Checker, raw: Any, path: str) -> Consultant | None:
    m = c.mapping(raw, path, CONSULTANT_KEYS)
    if m is None:
        return None
    ident = _get(m, "id", path, c.ident)
    provider = _get(m, "provider", path, c.ident)
    name = _get(m, "name", path, c.text)
    email = _get(m, "email", path, c.email)
    base = None
    if "base" in m:
        bm = c.mapping(m["base"], _join(path, "base"), POINT_KEYS)
        if bm is not None:
            lat = _get(bm, "lat", _join(path, "base"), c.number, -90.0, 90.0)
            lon = _get(bm, "lon", _join(path, "base"), c.number, -180.0, 180.0)
            if lat is not None and lon is not None:
                base = Point(lat, lon)
    skills = c.strings(m.get("skills"), _join(path, "skills"))
    max_day = _get(m, "max_visits_per_day", path, c.integer, 0)
    max_week = _get(m, "max_visits_per_week", path, c.integer, 0)
    avail_path = _join(path, "availability")
    indexed: list[tuple[int, Window]] = []
    for i, item in enumerate(c.items(m.get("availability"), avail_path)):
        w = _window(c, item, f"{avail_path}[{i}]")
        if w is not None:
            indexed.append((i, w))
    _check_overlaps(c, indexed, avail_path)
    unavailable: list[Unavailability] = []
    un_path = _join(path, "unavailable")
    for i, item in enumerate(c.items(m.get("unavailable"), un_path)):
        p = f"{un_path}[{i}]"
        um = c.mapping(item, p, UNAVAILABLE_KEYS)
        if um is None:
            continue
        date = _get(um, "date", p, c.date)
        start = _get(um, "start", p, c.time) if "start" in um else 0
        end = _get(um, "end", p, c.time, allow_2400=True) if "end" in um else DAY_MINUTES
        if start is not None and end is not None and end <= start:
            c.add(
                _join(p, "end"),
                f'{show(format_time(end))} is not after start "{format_time(start)}"',
                "an end later than the start",
            )
            continue
        if date is not None and start is not None and end is not None:
            unavailable.append(Unavailability(date, start, end))
    if None in (ident, provider, name, email, base):
        return None
    assert ident and provider and name and email and base
    return Consultant(
        id=ident,
        provider=provider,
        name=name,
        email=email,
        base=base,
        skills=frozenset(skills),
        max_visits_per_day=max_day,
        max_visits_per_week=max_week,
        availability=tuple(w for _, w in indexed),
        unavailable=tuple(unavailable),
    )


def _location(c: _Checker, raw: Any, path: str) -> Location | None:
    if not isinstance(raw, dict):  # not echoed: the text may well be an address
        c.add(path, f"a location is {_type_name(raw)}", "a mapping of keys to values")
        return None
    m = c.mapping(raw, path, LOCATION_KEYS)
    if m is None:
        return None
    ident = _get(m, "id", path, c.ident)
    name = _get(m, "name", path, c.text)
    kind = m.get("kind")
    if "kind" in m and kind not in LOCATION_KINDS:
        c.add(
            _join(path, "kind"), f"{show(kind)} is not a location kind", ", ".join(LOCATION_KINDS)
        )
        kind = None
    gemeente = _get(m, "gemeente", path, c.text)
    lat = _get(m, "lat", path, c.number, -90.0, 90.0)
    lon = _get(m, "lon", path, c.number, -180.0, 180.0)
    address = _get(m, "address", path, c.private_text) if m.get("address") is not None else None
    confidential = _get(m, "confidential", path, c.boolean) if "confidential" in m else True
    opening = _windows(c, m["open"], _join(path, "open")) if "open" in m else None
    contact = None
    if "contact" in m and m["contact"] is not None:
        cp = _join(path, "contact")
        cm = c.mapping(m["contact"], cp, CONTACT_KEYS)
        if cm is not None:
            cname = _get(cm, "name", cp, c.text)
            cemail = _get(cm, "email", cp, c.email)
            if cname and cemail:
                contact = Contact(cname, cemail)
    if None in (ident, name, kind, gemeente, lat, lon, confidential):
        return None
    assert (
        ident
        and name
        and isinstance(kind, str)
        and gemeente
        and lat is not None
        and lon is not None
    )
    return Location(
        id=ident,
        name=name,
        kind=kind,
        gemeente=gemeente,
        lat=lat,
        lon=lon,
        address=address,
        confidential=bool(confidential),
        open=tuple(opening) if opening is not None else None,
        contact=contact,
    )


def _youth(c: _Checker, raw: Any, path: str, urgencies: Iterable[str]) -> Youth | None:
    m = c.mapping(raw, path, YOUTH_KEYS)
    if m is None:
        return None
    ident = _get(m, "id", path, c.ident)
    location = _get(m, "location", path, c.ident)
    gemeente = _get(m, "gemeente", path, c.text)
    signalled = _get(m, "signalled_on", path, c.date)
    urgency = m.get("urgency", "normal")
    allowed = list(urgencies)
    if urgency not in allowed:
        c.add(_join(path, "urgency"), f"{show(urgency)} is not a known urgency", ", ".join(allowed))
        urgency = None
    previous = (
        _get(m, "previous_consultant", path, c.ident)
        if m.get("previous_consultant") is not None
        else None
    )
    excluded = c.strings(m.get("excluded_consultants"), _join(path, "excluded_consultants"))
    if None in (ident, location, gemeente, signalled, urgency):
        return None
    assert ident and location and gemeente and signalled and isinstance(urgency, str)
    return Youth(ident, location, gemeente, signalled, urgency, previous, frozenset(excluded))


def _days_text(days: tuple[dt.date, ...]) -> str:
    shown = ", ".join(d.isoformat() for d in days[:10])
    return shown + (f", ... ({len(days)} days)" if len(days) > 10 else "")


def _request(
    c: _Checker, raw: Any, path: str, days: tuple[dt.date, ...], day_set: frozenset[dt.date]
) -> Request | None:
    m = c.mapping(raw, path, REQUEST_KEYS)
    if m is None:
        return None
    ident = _get(m, "id", path, c.ident)
    youth = _get(m, "youth", path, c.ident)
    roles: list[frozenset[str]] | None = None
    if "roles" in m and "skills" in m:
        c.add(path, "both `roles` and `skills` are given", "one of `roles` and `skills`")
    elif "roles" in m:
        raw_roles = m["roles"]
        rp = _join(path, "roles")
        if not isinstance(raw_roles, list) or not raw_roles:
            c.add(
                rp,
                f"{show(raw_roles)} is not a list of skill lists",
                "a non-empty list of skill lists, e.g. [[emdr], [lvb]]",
            )
        elif len(raw_roles) > MAX_ROLES:
            c.add(rp, f"{len(raw_roles)} roles", f"at most {MAX_ROLES} roles (consultants) a visit")
        else:
            roles = []
            for i, role in enumerate(raw_roles):
                if not isinstance(role, list):
                    c.add(
                        f"{rp}[{i}]",
                        f"{show(role)} is {_type_name(role)}",
                        "a list of skills, e.g. [emdr, vrouw]",
                    )
                    roles = None
                    break
                roles.append(frozenset(c.strings(role, f"{rp}[{i}]")))
    else:
        roles = [frozenset(c.strings(m.get("skills"), _join(path, "skills")))]
    duration = _get(m, "duration_minutes", path, c.integer, 1, DAY_MINUTES)
    earliest = _get(m, "earliest", path, c.date) if "earliest" in m else (days[0] if days else None)
    latest = _get(m, "latest", path, c.date) if "latest" in m else (days[-1] if days else None)
    if days:
        for key, value in (("earliest", earliest), ("latest", latest)):
            if key in m and value is not None and not days[0] <= value <= days[-1]:
                c.add(
                    _join(path, key),
                    f"{value.isoformat()} is outside the planning days",
                    f"a date from {days[0].isoformat()} to {days[-1].isoformat()}",
                )
    if earliest is not None and latest is not None and latest < earliest:
        c.add(
            _join(path, "latest"),
            f"{latest.isoformat()} is before earliest {earliest.isoformat()}",
            "a date on or after earliest",
        )
    tod = None
    if "time_of_day" in m:
        tp = _join(path, "time_of_day")
        tm = c.mapping(m["time_of_day"], tp, TIME_OF_DAY_KEYS)
        if tm is not None:
            ts = _get(tm, "start", tp, c.time)
            te = _get(tm, "end", tp, c.time, allow_2400=True)
            if ts is not None and te is not None:
                if te <= ts:
                    c.add(
                        _join(tp, "end"),
                        f'{show(format_time(te))} is not after start "{format_time(ts)}"',
                        "an end later than the start",
                    )
                else:
                    tod = TimeOfDay(ts, te)
    pin = None
    if "pinned" in m:
        pp = _join(path, "pinned")
        pm = c.mapping(m["pinned"], pp, PIN_KEYS)
        if pm is not None:
            consultants = (
                c.strings(pm.get("consultants"), _join(pp, "consultants"))
                if "consultants" in pm
                else []
            )
            if (
                "consultants" in pm
                and isinstance(pm["consultants"], list)
                and not pm["consultants"]
            ):
                c.add(
                    _join(pp, "consultants"), "the list is empty", "the consultant ids of the visit"
                )
            if len(set(consultants)) != len(consultants):
                c.add(
                    _join(pp, "consultants"),
                    f"{show(consultants)} names a consultant twice",
                    "distinct consultant ids",
                )
            pdate = _get(pm, "date", pp, c.date)
            if pdate is not None and days and pdate not in day_set:
                c.add(
                    _join(pp, "date"),
                    f"{pdate.isoformat()} is not a planning day",
                    _days_text(days),
                )
            pstart = _get(pm, "start", pp, c.time)
            if consultants:
                pin = Pin(tuple(consultants), pdate, pstart)
    if None in (ident, youth, roles, duration, earliest, latest):
        return None
    assert ident and youth and roles is not None and duration and earliest and latest
    return Request(ident, youth, tuple(roles), duration, earliest, latest, tod, pin)


def _travel(
    c: _Checker, raw: Any, source: Path | None, files: Mapping[str, bytes] | None
) -> TravelSettings:
    m = c.mapping(raw, "travel", TRAVEL_KEYS)
    if m is None:
        return TravelSettings()
    speed = _get(m, "speed_kmh", "travel", c.number, 1.0, 1000.0)
    detour = _get(m, "detour_factor", "travel", c.number, 0.0, 10.0, open_low=True)
    matrix_path: Path | None = None
    overrides: tuple[tuple[str, str, int], ...] = ()
    if "matrix" in m:
        rel = c.text(m["matrix"], "travel.matrix")
        if rel is not None:
            try:
                matrix_path, overrides = _read_matrix(rel, source, files)
            except TravelMatrixError as exc:
                for where, what, allowed in exc.problems:
                    inner = f" {where}" if where else ""
                    c.add("travel.matrix", f"{show(rel)}{inner}: {what}", allowed)
    defaults = TravelSettings()
    return TravelSettings(
        speed_kmh=speed if speed is not None else defaults.speed_kmh,
        detour_factor=detour if detour is not None else defaults.detour_factor,
        overrides=overrides,
        matrix=matrix_path,
    )


def _read_matrix(
    rel: str, source: Path | None, files: Mapping[str, bytes] | None
) -> tuple[Path | None, tuple[tuple[str, str, int], ...]]:
    """The matrix file's path (None for an upload) and its rows; see :func:`_travel`."""
    if files is not None:
        name = PurePath(rel).name
        if name not in files:
            raise TravelMatrixError(
                [("", "was not uploaded", f"the CSV file {name} uploaded with the scenario")]
            )
        return None, tuple(parse_matrix_csv(files[name]))
    if source is None:
        raise TravelMatrixError(
            [("", "cannot be read: the scenario is not a file", "a scenario read from a file")]
        )
    path = matrix_file(rel, source.parent)
    return path, tuple(read_matrix_csv(path))


def _weights(c: _Checker, raw: Any) -> Weights:
    m = c.mapping(raw, "weights", WEIGHT_KEYS)
    d = Weights()
    if m is None:
        return d
    values = {k: _get(m, k, "weights", c.integer, 0, MAX_WEIGHT) for k in WEIGHT_KEYS}
    return Weights(**{k: (v if v is not None else getattr(d, k)) for k, v in values.items()})


def _urgency_factors(c: _Checker, raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict) or not raw:
        c.add(
            "urgency_factors",
            f"{show(raw)} is not a mapping",
            "a mapping urgency -> whole factor, e.g. {low: 1, normal: 2}",
        )
        return dict(DEFAULT_URGENCY_FACTORS)
    out: dict[str, int] = {}
    for key, value in raw.items():
        factor = c.integer(value, f"urgency_factors.{key}", 0, MAX_URGENCY_FACTOR)
        if not isinstance(key, str) or not key:
            c.add(f"urgency_factors.{key}", f"{show(key)} is not a name", "a non-empty string")
        elif factor is not None:
            out[key] = factor
    return out


def _now(c: _Checker, raw: Any) -> dt.datetime | None:
    allowed = 'a local date and time "YYYY-MM-DDTHH:MM"'
    m = _NOW_RE.match(raw.strip()) if isinstance(raw, str) else None
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None, second=0, microsecond=0)
    if m is None:
        c.add("now", f"{show(raw)} is not a date and time", allowed)
        return None
    day = c.date(m.group(1), "now")
    minutes = c.time(m.group(2), "now")
    if day is None or minutes is None:
        return None
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def _published(
    c: _Checker,
    raw: Any,
    requests: list[Request],
) -> list[PublishedVisit]:
    """The ``published`` visits: a known request at most once, a date, a start, consultants.

    A consultant id that the scenario no longer has is allowed (such a visit cannot be kept
    unless it lies before ``now``, which the feasibility check then refuses).
    """
    out: list[PublishedVisit] = []
    known = {r.id for r in requests}
    seen: dict[str, str] = {}
    for i, item in enumerate(c.items(raw, "published")):
        path = f"published[{i}]"
        pm = c.mapping(item, path, PUBLISHED_KEYS)
        if pm is None:
            continue
        rid = _get(pm, "request", path, c.ident)
        day = _get(pm, "date", path, c.date)
        start = _get(pm, "start", path, c.time)
        people = c.strings(pm.get("consultants"), _join(path, "consultants"))
        if "consultants" in pm and isinstance(pm["consultants"], list) and not people:
            c.add(
                _join(path, "consultants"), "the list is empty", "the consultant ids of the visit"
            )
        if len(set(people)) != len(people):
            c.add(
                _join(path, "consultants"),
                f"{show(people)} names a consultant twice",
                "distinct consultant ids",
            )
        if rid is not None and rid not in known:
            c.add(
                _join(path, "request"),
                f"{show(rid)} is not a request id",
                _id_choices(dict.fromkeys(known)),
            )
            rid = None
        if rid is not None and rid in seen:
            c.add(
                _join(path, "request"),
                f"{show(rid)} is published twice (also at {seen[rid]})",
                "at most one published visit per request",
            )
            rid = None
        if rid is not None:
            seen[rid] = path
        if rid is not None and day is not None and start is not None and people:
            out.append(PublishedVisit(rid, day, start, tuple(people)))
    return out


# Cross references -----------------------------------------------------------------------


def _cross_check(
    c: _Checker,
    days: tuple[dt.date, ...],
    providers: dict[str, str],
    consultants: dict[str, tuple[str, Consultant | None]],
    locations: dict[str, str],
    youths: dict[str, tuple[str, Youth | None]],
    requests: list[tuple[str, Request]],
    raw_consultants: list[Any],
    overrides: tuple[tuple[str, str, int], ...],
) -> None:
    listed: dict[int, str] = {}  # each list of ids is sorted once, not once per problem
    tours: dict[str, dict[dt.date, list[Tour]]] = {}  # each consultant's tours, made once

    def _choices(known: dict[str, Any]) -> str:
        if id(known) not in listed:
            listed[id(known)] = _id_choices(known)
        return listed[id(known)]

    def tours_on(p: Consultant, day: dt.date) -> list[Tour]:
        if p.id not in tours:
            tours[p.id] = defaultdict(list)
            for t in tours_of(p, days):
                tours[p.id][t.date].append(t)
        return tours[p.id].get(day, [])

    day_set = frozenset(days)
    for i, raw in enumerate(raw_consultants):
        if (
            isinstance(raw, dict)
            and isinstance(raw.get("provider"), str)
            and raw["provider"] not in providers
        ):
            c.add(
                f"consultants[{i}].provider",
                f"{show(raw['provider'])} is not a provider id",
                _choices(providers),
            )
    for path, youth in youths.values():
        if youth is None:
            continue
        if youth.location not in locations:
            c.add(
                f"{path}.location",
                f"{show(youth.location)} is not a location id",
                _choices(locations),
            )
        if youth.previous_consultant is not None and youth.previous_consultant not in consultants:
            c.add(
                f"{path}.previous_consultant",
                f"{show(youth.previous_consultant)} is not a consultant id",
                _choices(consultants),
            )
        for cid in sorted(youth.excluded_consultants):
            if cid not in consultants:
                c.add(
                    f"{path}.excluded_consultants",
                    f"{show(cid)} is not a consultant id",
                    _choices(consultants),
                )
    known_points = set(locations) | {base_point(cid) for cid in consultants}
    for k, (a, b, _m) in enumerate(overrides):
        for column, point in (("from", a), ("to", b)):
            if point not in known_points:  # the file's text is not repeated
                c.add(
                    "travel.matrix",
                    f"row {k + 1}: the {column} point is not a point id of the scenario",
                    "a location id or base:<consultant id>",
                )
    for path, req in requests:
        youth_entry = youths.get(req.youth)
        if youth_entry is None:
            c.add(f"{path}.youth", f"{show(req.youth)} is not a youth id", _choices(youths))
        if req.pinned is None:
            continue
        pin = req.pinned
        pp = f"{path}.pinned"
        pinned = []
        for cid in pin.consultants:
            entry = consultants.get(cid)
            if entry is None:
                c.add(
                    f"{pp}.consultants",
                    f"{show(cid)} is not a consultant id",
                    _choices(consultants),
                )
            elif entry[1] is not None:
                pinned.append(entry[1])
        if len(pin.consultants) != len(req.roles):
            c.add(
                f"{pp}.consultants",
                f"{len(pin.consultants)} consultant(s) pinned for {len(req.roles)} role(s)",
                "one consultant per role",
            )
            continue
        if len(pinned) != len(pin.consultants):
            continue
        if not _roles_matchable(req.roles, pinned):
            need = " + ".join("[" + ", ".join(sorted(r)) + "]" for r in req.roles)
            have = "; ".join(
                f"{p.id}: {', '.join(sorted(p.skills)) or 'no skills'}" for p in pinned
            )
            c.add(
                f"{pp}.consultants",
                f"the pinned consultants lack the skills ({have})",
                f"consultants who together fill the roles {need}",
            )
        youth = youth_entry[1] if youth_entry else None
        if youth is not None:
            for p in pinned:
                if p.id in youth.excluded_consultants:
                    c.add(
                        f"{pp}.consultants",
                        f"{show(p.id)} is excluded for youth {youth.id}",
                        "consultants not excluded for this youth",
                    )
        if pin.date is not None and pin.date in day_set:
            for p in pinned:
                on_day = tours_on(p, pin.date)
                if not on_day:
                    c.add(
                        f"{pp}.date",
                        f"{pin.date.isoformat()}: {p.id} is not available that date",
                        "a date on which every pinned consultant is available",
                    )
                elif pin.start is not None and not any(
                    t.start <= pin.start and pin.start + req.duration_minutes <= t.end
                    for t in on_day
                ):
                    c.add(
                        f"{pp}.start",
                        f"{_span(pin.start, req.duration_minutes)}: {p.id} is not available then",
                        "a start inside the pinned consultants' availability that date",
                    )
        if pin.date is not None and not req.earliest <= pin.date <= req.latest:
            c.add(
                f"{pp}.date",
                f"{pin.date.isoformat()} is outside earliest/latest",
                f"{req.earliest.isoformat()}..{req.latest.isoformat()}",
            )


def _check_objective_range(
    c: _Checker,
    days: tuple[dt.date, ...],
    weights: Weights,
    factors: dict[str, int],
    consultants: list[Consultant],
    youths: dict[str, tuple[str, Youth | None]],
    requests: list[Request],
) -> None:
    """The worst objective any plan could have stays below :data:`MAX_OBJECTIVE`.

    Each weight and factor is capped on its own; this catches what only their product
    with the week's size or a very old ``signalled_on`` can overflow.
    """
    if not days:
        return
    travel = weights.travel_minute * DAY_MINUTES * len(days) * len(consultants)
    waiting = unassigned = 0
    for req in requests:
        entry = youths.get(req.youth)
        youth = entry[1] if entry else None
        if youth is None:
            continue
        factor = factors.get(youth.urgency, 0)
        waited = max(0, (days[-1] - youth.signalled_on).days)
        visit = weights.waiting_day * factor * waited + weights.continuity
        waiting += max(visit - weights.unassigned * factor, 0)
        unassigned += weights.unassigned * factor
    worst = travel + waiting + unassigned
    if worst <= MAX_OBJECTIVE:
        return
    blame = max(
        (travel, "weights.travel_minute"),
        (waiting, "weights.waiting_day"),
        (unassigned, "weights.unassigned"),
    )[1]
    c.add(
        blame,
        f"the objective could reach {worst:.2e} with these weights "
        f"({len(requests)} requests, {len(consultants)} consultants, waiting counted from "
        "each signalled_on)",
        f"weights and dates that keep the worst objective below {MAX_OBJECTIVE:.2e}",
    )


def _span(start: int, minutes: int) -> str:
    return f"{format_time(start)}-{format_time(start + minutes)}"


def _roles_matchable(roles: tuple[frozenset[str], ...], people: list[Consultant]) -> bool:
    """Whether the roles can be matched one-to-one to these consultants (bipartite matching)."""
    match: dict[int, int] = {}

    def augment(r: int, seen: set[int]) -> bool:
        for k, person in enumerate(people):
            if k in seen or not person.has_skills(roles[r]):
                continue
            seen.add(k)
            if k not in match or augment(match[k], seen):
                match[k] = r
                return True
        return False

    return len(roles) <= len(people) and all(augment(r, set()) for r in range(len(roles)))


def _id_choices(known: dict[str, Any]) -> str:
    ids = sorted(known)
    shown = ", ".join(ids[:8]) + (f", ... ({len(ids)} in all)" if len(ids) > 8 else "")
    return f"one of the ids: {shown}" if ids else "an id defined in the scenario"


# Entry point ----------------------------------------------------------------------------


def validate_document(
    doc: Any, source: Path | str = "<scenario>", *, files: Mapping[str, bytes] | None = None
) -> Scenario:
    """Check a parsed scenario document and build the :class:`Scenario`.

    Parameters
    ----------
    doc
        The parsed YAML/JSON document.
    source
        The file it came from (names the file in problems); a ``travel.matrix`` is read
        from its folder or below. A name in angle brackets (``<scenario>``) is no file.
    files
        Files uploaded with the document, by name (the app): a ``travel.matrix`` is then
        taken from here, never from disk.

    Raises
    ------
    ScenarioError
        With every problem found.
    """
    source_path = Path(source) if not str(source).startswith("<") else None
    c = _Checker(str(source))
    m = c.mapping(doc, "", TOP_KEYS)
    if m is None:
        raise ScenarioError(c.problems)
    if "format" in m and (isinstance(m["format"], bool) or m["format"] != FORMAT_VERSION):
        c.add(
            "format", f"{show(m['format'])} is not a supported format version", str(FORMAT_VERSION)
        )
    name = _get(m, "name", "", c.text)
    days, week = _planning_days(c, m)
    timezone = "Europe/Amsterdam"
    if "timezone" in m:
        tz = m["timezone"]
        try:
            if not isinstance(tz, str):
                raise ZoneInfoNotFoundError
            ZoneInfo(tz)
            timezone = tz
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, too long
            c.add(
                "timezone",
                f"{show(tz)} is not an IANA time zone",
                'a zone name such as "Europe/Amsterdam"',
            )
    travel = _travel(c, m["travel"], source_path, files) if "travel" in m else TravelSettings()
    weights = _weights(c, m["weights"]) if "weights" in m else Weights()
    factors = (
        _urgency_factors(c, m["urgency_factors"])
        if "urgency_factors" in m
        else dict(DEFAULT_URGENCY_FACTORS)
    )

    providers: list[Provider] = []
    provider_ids: dict[str, str] = {}
    ids: list[tuple[str | None, str]] = []
    for i, raw in enumerate(c.items(m.get("providers"), "providers", required=True)):
        path = f"providers[{i}]"
        pm = c.mapping(raw, path, PROVIDER_KEYS)
        if pm is None:
            continue
        pid = _get(pm, "id", path, c.ident)
        pname = _get(pm, "name", path, c.text)
        hourly = _get(pm, "hourly_rate", path, c.number, 0.0, MAX_RATE)
        per_km = _get(pm, "km_rate", path, c.number, 0.0, MAX_RATE)
        ids.append((pid, f"{path}.id"))
        if pid and pname:
            providers.append(Provider(pid, pname, hourly, per_km))
            provider_ids.setdefault(pid, path)
    _check_unique(c, ids, "provider")

    raw_consultants = c.items(m.get("consultants"), "consultants", required=True)
    consultants: list[Consultant] = []
    consultant_ids: dict[str, tuple[str, Consultant | None]] = {}
    ids = []
    for i, raw in enumerate(raw_consultants):
        path = f"consultants[{i}]"
        cons = _consultant(c, raw, path)
        cid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        ids.append((cid, f"{path}.id"))
        if cid is not None:
            consultant_ids.setdefault(cid, (path, cons))
        if cons is not None:
            consultants.append(cons)
    _check_unique(c, ids, "consultant")

    locations: list[Location] = []
    location_ids: dict[str, str] = {}
    ids = []
    for i, raw in enumerate(c.items(m.get("locations"), "locations", required=True)):
        path = f"locations[{i}]"
        loc = _location(c, raw, path)
        lid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        ids.append((lid, f"{path}.id"))
        if lid is not None:
            location_ids.setdefault(lid, path)
        if loc is not None:
            locations.append(loc)
    _check_unique(c, ids, "location")

    youths: list[Youth] = []
    youth_ids: dict[str, tuple[str, Youth | None]] = {}
    ids = []
    for i, raw in enumerate(c.items(m.get("youths"), "youths", required=True)):
        path = f"youths[{i}]"
        youth = _youth(c, raw, path, factors)
        yid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        ids.append((yid, f"{path}.id"))
        if yid is not None:
            youth_ids.setdefault(yid, (path, youth))
        if youth is not None:
            youths.append(youth)
    _check_unique(c, ids, "youth")

    requests: list[Request] = []
    indexed_requests: list[tuple[str, Request]] = []
    day_set = frozenset(days)
    ids = []
    for i, raw in enumerate(c.items(m.get("requests"), "requests", required=True)):
        path = f"requests[{i}]"
        req = _request(c, raw, path, days, day_set)
        rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        ids.append((rid, f"{path}.id"))
        if req is not None:
            requests.append(req)
            indexed_requests.append((path, req))
    _check_unique(c, ids, "request")

    now = _now(c, m["now"]) if "now" in m else None
    published = _published(c, m.get("published"), requests)

    _cross_check(
        c,
        days,
        provider_ids,
        consultant_ids,
        location_ids,
        youth_ids,
        indexed_requests,
        raw_consultants,
        travel.overrides,
    )
    if not c.problems:
        _check_objective_range(c, days, weights, factors, consultants, youth_ids, requests)
    if c.problems:
        raise ScenarioError(c.problems)
    assert name is not None
    scenario = Scenario(
        name=name,
        days=days,
        providers=tuple(providers),
        consultants=tuple(consultants),
        locations=tuple(locations),
        youths=tuple(youths),
        requests=tuple(requests),
        week=week,
        timezone=timezone,
        travel=travel,
        weights=weights,
        urgency_factors=MappingProxyType(factors),
        now=now,
        published=tuple(published),
        source=source_path,
    )
    problems = check_published_before_now(scenario, str(source))
    if problems:
        raise ScenarioError(problems)
    return scenario
