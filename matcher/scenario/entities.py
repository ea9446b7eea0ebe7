"""Reading the entities of a scenario document: consultants (with their availability),
locations, youths and requests.

Each reader checks one list item with a :class:`~matcher.scenario.field_checks.FieldChecker`
and returns the domain object, or ``None`` when the item has a problem (the problems are
collected, never raised here). References between entities are checked afterwards
(:mod:`matcher.scenario.cross_check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from matcher.messages import Message
from matcher.scenario.domain import (
    DAY_MINUTES,
    LOCATION_KINDS,
    WEEKDAYS,
    Consultant,
    Contact,
    Location,
    Pin,
    Point,
    Request,
    TimeOfDay,
    Unavailability,
    Window,
    Youth,
    format_time,
)
from matcher.scenario.field_checks import FieldChecker, allow, get, join, type_name
from matcher.scenario.overlaps import overlapping_windows
from matcher.scenario.problems import show
from matcher.scenario.schema import (
    CONSULTANT_KEYS,
    CONTACT_KEYS,
    LOCATION_KEYS,
    MAX_ROLES,
    PIN_KEYS,
    POINT_KEYS,
    REQUEST_KEYS,
    TIME_OF_DAY_KEYS,
    UNAVAILABLE_KEYS,
    WINDOW_KEYS,
    YOUTH_KEYS,
)


def end_not_after_start(c: FieldChecker, path: str, start: int, end: int) -> None:
    """The problem of an end at or before its start."""
    c.add(
        join(path, "end"),
        "end_not_after_start",
        "allow_end_after_start",
        value=show(format_time(end)),
        start=format_time(start),
    )


def window(c: FieldChecker, raw: Any, path: str) -> Window | None:
    """One availability or opening window: a date or a weekday, a start and an end."""
    m = c.mapping(raw, path, WINDOW_KEYS)
    if m is None:
        return None
    start = get(m, "start", path, c.time)
    end = get(m, "end", path, c.time, allow_2400=True)
    date: dt.date | None = None
    weekday: str | None = None
    if ("date" in m) == ("weekday" in m):
        c.add(path, "date_or_weekday", "allow_window")
    elif "date" in m:
        date = c.date(m["date"], join(path, "date"))
    else:
        wd = m["weekday"]
        if isinstance(wd, str) and wd.lower() in WEEKDAYS:
            weekday = wd.lower()
        else:
            choices = allow("allow_one_of_list", choices=list(WEEKDAYS))
            c.add(join(path, "weekday"), "not_a_weekday", choices, value=show(wd))
    if start is not None and end is not None and end <= start:
        end_not_after_start(c, path, start, end)
        return None
    if start is None or end is None or (date is None and weekday is None):
        return None
    return Window(start=start, end=end, date=date, weekday=weekday)


def windows(c: FieldChecker, raw: Any, path: str) -> list[Window]:
    """A list of windows (a location's opening hours)."""
    out = []
    for i, item in enumerate(c.items(raw, path)):
        w = window(c, item, f"{path}[{i}]")
        if w is not None:
            out.append(w)
    return out


def check_overlaps(c: FieldChecker, indexed: list[tuple[int, Window]], path: str) -> None:
    """Windows of one consultant on one day never overlap (see :mod:`matcher.scenario.overlaps`).

    A window is reported once, when it overlaps a window listed before it on the same day.
    """
    by_index = dict(indexed)
    for ib, ia in overlapping_windows(indexed).items():
        c.add(
            f"{path}[{ib}]",
            "windows_overlap",
            "allow_no_overlap",
            window=_describe(by_index[ib]),
            other=f"{path}[{ia}]",
            other_window=_describe(by_index[ia]),
        )


def _describe(w: Window) -> Message:
    if w.date is not None:
        return Message("window_on_date", date=w.date, window=(w.start, w.end))
    return Message(
        "window_on_weekday", weekday=Message(f"weekday_key_{w.weekday}"), window=(w.start, w.end)
    )


def _unavailable(c: FieldChecker, raw: Any, path: str) -> list[Unavailability]:
    out: list[Unavailability] = []
    for i, item in enumerate(c.items(raw, path)):
        p = f"{path}[{i}]"
        um = c.mapping(item, p, UNAVAILABLE_KEYS)
        if um is None:
            continue
        date = get(um, "date", p, c.date)
        start = get(um, "start", p, c.time) if "start" in um else 0
        end = get(um, "end", p, c.time, allow_2400=True) if "end" in um else DAY_MINUTES
        if start is not None and end is not None and end <= start:
            end_not_after_start(c, p, start, end)
            continue
        if date is not None and start is not None and end is not None:
            out.append(Unavailability(date, start, end))
    return out


def consultant(c: FieldChecker, raw: Any, path: str) -> Consultant | None:
    """One consultant with their base, skills, caps, availability and absences."""
    m = c.mapping(raw, path, CONSULTANT_KEYS)
    if m is None:
        return None
    ident = get(m, "id", path, c.ident)
    provider = get(m, "provider", path, c.ident)
    name = get(m, "name", path, c.text)
    email = get(m, "email", path, c.email)
    base = None
    if "base" in m:
        bm = c.mapping(m["base"], join(path, "base"), POINT_KEYS)
        if bm is not None:
            lat = get(bm, "lat", join(path, "base"), c.number, -90.0, 90.0)
            lon = get(bm, "lon", join(path, "base"), c.number, -180.0, 180.0)
            if lat is not None and lon is not None:
                base = Point(lat, lon)
    skills = c.strings(m.get("skills"), join(path, "skills"))
    max_day = get(m, "max_visits_per_day", path, c.integer, 0)
    max_week = get(m, "max_visits_per_week", path, c.integer, 0)
    avail_path = join(path, "availability")
    indexed: list[tuple[int, Window]] = []
    for i, item in enumerate(c.items(m.get("availability"), avail_path)):
        w = window(c, item, f"{avail_path}[{i}]")
        if w is not None:
            indexed.append((i, w))
    check_overlaps(c, indexed, avail_path)
    unavailable = _unavailable(c, m.get("unavailable"), join(path, "unavailable"))
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


def location(c: FieldChecker, raw: Any, path: str) -> Location | None:
    """One location (the address is never repeated in a problem)."""
    if not isinstance(raw, dict):  # not echoed: the text may well be an address
        c.add(path, "location_wrong_type", "allow_mapping", kind=type_name(raw))
        return None
    m = c.mapping(raw, path, LOCATION_KEYS)
    if m is None:
        return None
    ident = get(m, "id", path, c.ident)
    name = get(m, "name", path, c.text)
    kind = m.get("kind")
    if "kind" in m and kind not in LOCATION_KINDS:
        choices = allow("allow_one_of_list", choices=list(LOCATION_KINDS))
        c.add(join(path, "kind"), "not_a_location_kind", choices, value=show(kind))
        kind = None
    gemeente = get(m, "gemeente", path, c.text)
    lat = get(m, "lat", path, c.number, -90.0, 90.0)
    lon = get(m, "lon", path, c.number, -180.0, 180.0)
    address = get(m, "address", path, c.private_text) if m.get("address") is not None else None
    confidential = get(m, "confidential", path, c.boolean) if "confidential" in m else True
    opening = windows(c, m["open"], join(path, "open")) if "open" in m else None
    contact = None
    if "contact" in m and m["contact"] is not None:
        cp = join(path, "contact")
        cm = c.mapping(m["contact"], cp, CONTACT_KEYS)
        if cm is not None:
            cname = get(cm, "name", cp, c.text)
            cemail = get(cm, "email", cp, c.email)
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


def youth(c: FieldChecker, raw: Any, path: str, urgencies: Iterable[str]) -> Youth | None:
    """One youth (a case code, never a name)."""
    m = c.mapping(raw, path, YOUTH_KEYS)
    if m is None:
        return None
    ident = get(m, "id", path, c.ident)
    location_id = get(m, "location", path, c.ident)
    gemeente = get(m, "gemeente", path, c.text)
    signalled = get(m, "signalled_on", path, c.date)
    urgency = m.get("urgency", "normal")
    allowed = list(urgencies)
    if urgency not in allowed:
        choices = allow("allow_urgency", choices=[_urgency(u) for u in allowed])
        c.add(join(path, "urgency"), "not_an_urgency", choices, value=show(urgency))
        urgency = None
    previous = (
        get(m, "previous_consultant", path, c.ident)
        if m.get("previous_consultant") is not None
        else None
    )
    excluded = c.strings(m.get("excluded_consultants"), join(path, "excluded_consultants"))
    if None in (ident, location_id, gemeente, signalled, urgency):
        return None
    assert ident and location_id and gemeente and signalled and isinstance(urgency, str)
    return Youth(ident, location_id, gemeente, signalled, urgency, previous, frozenset(excluded))


def _urgency(key: str) -> Message | str:
    """An urgency for a message: a known one in the message's language, others as named."""
    return Message(f"urgency_{key}") if key in ("low", "normal", "high", "crisis") else key


def planning_days_hint(days: tuple[dt.date, ...]) -> Message:
    """What is allowed for a date that must be a planning day: the first ten of them."""
    if len(days) > 10:
        return Message("allow_many_days", days=list(days[:10]), count=len(days))
    return Message("allow_days", days=list(days))


def _roles(c: FieldChecker, m: dict[str, Any], path: str) -> list[frozenset[str]] | None:
    """A request's roles: ``roles`` (a list of skill lists) or ``skills`` (one role)."""
    if "roles" in m and "skills" in m:
        c.add(path, "roles_and_skills", "allow_roles_or_skills")
        return None
    if "roles" not in m:
        return [frozenset(c.strings(m.get("skills"), join(path, "skills")))]
    raw_roles = m["roles"]
    rp = join(path, "roles")
    if not isinstance(raw_roles, list) or not raw_roles:
        c.add(rp, "not_skill_lists", "allow_skill_lists", value=show(raw_roles))
        return None
    if len(raw_roles) > MAX_ROLES:
        c.add(rp, "too_many_roles", allow("allow_max_roles", max=MAX_ROLES), count=len(raw_roles))
        return None
    roles = []
    for i, role in enumerate(raw_roles):
        if not isinstance(role, list):
            c.wrong_type(f"{rp}[{i}]", role, "allow_skill_list")
            return None
        roles.append(frozenset(c.strings(role, f"{rp}[{i}]")))
    return roles


def _time_of_day(c: FieldChecker, raw: Any, tp: str) -> TimeOfDay | None:
    tm = c.mapping(raw, tp, TIME_OF_DAY_KEYS)
    if tm is None:
        return None
    ts = get(tm, "start", tp, c.time)
    te = get(tm, "end", tp, c.time, allow_2400=True)
    if ts is None or te is None:
        return None
    if te <= ts:
        end_not_after_start(c, tp, ts, te)
        return None
    return TimeOfDay(ts, te)


def _pin(
    c: FieldChecker, raw: Any, pp: str, days: tuple[dt.date, ...], day_set: frozenset[dt.date]
) -> Pin | None:
    pm = c.mapping(raw, pp, PIN_KEYS)
    if pm is None:
        return None
    cp = join(pp, "consultants")
    people = c.strings(pm.get("consultants"), cp) if "consultants" in pm else []
    if "consultants" in pm and isinstance(pm["consultants"], list) and not pm["consultants"]:
        c.add(cp, "empty_list", "allow_visit_consultants")
    if len(set(people)) != len(people):
        c.add(cp, "consultant_twice", "allow_distinct_consultants", value=show(people))
    pdate = get(pm, "date", pp, c.date)
    if pdate is not None and days and pdate not in day_set:
        c.add(join(pp, "date"), "not_a_planning_day", planning_days_hint(days), date=pdate)
    pstart = get(pm, "start", pp, c.time)
    return Pin(tuple(people), pdate, pstart) if people else None


def request(
    c: FieldChecker, raw: Any, path: str, days: tuple[dt.date, ...], day_set: frozenset[dt.date]
) -> Request | None:
    """One request: its youth, roles, duration, dates, time of day and pin."""
    m = c.mapping(raw, path, REQUEST_KEYS)
    if m is None:
        return None
    ident = get(m, "id", path, c.ident)
    youth_id = get(m, "youth", path, c.ident)
    roles = _roles(c, m, path)
    duration = get(m, "duration_minutes", path, c.integer, 1, DAY_MINUTES)
    earliest = get(m, "earliest", path, c.date) if "earliest" in m else (days[0] if days else None)
    latest = get(m, "latest", path, c.date) if "latest" in m else (days[-1] if days else None)
    if days:
        for key, value in (("earliest", earliest), ("latest", latest)):
            if key in m and value is not None and not days[0] <= value <= days[-1]:
                c.add(
                    join(path, key),
                    "outside_planning_days",
                    allow("allow_date_range", first=days[0], last=days[-1]),
                    date=value,
                )
    if earliest is not None and latest is not None and latest < earliest:
        c.add(
            join(path, "latest"),
            "latest_before_earliest",
            "allow_on_or_after_earliest",
            date=latest,
            earliest=earliest,
        )
    tod = (
        _time_of_day(c, m["time_of_day"], join(path, "time_of_day")) if "time_of_day" in m else None
    )
    pin = _pin(c, m["pinned"], join(path, "pinned"), days, day_set) if "pinned" in m else None
    if None in (ident, youth_id, roles, duration, earliest, latest):
        return None
    assert ident and youth_id and roles is not None and duration and earliest and latest
    return Request(ident, youth_id, tuple(roles), duration, earliest, latest, tod, pin)
