"""The tables of the round editor: their Dutch column names, the frames of the current
data, the forgiving reading of table cells, and the rows turned back into items of the
scenario document (requests, youths, locations).

Table cells are forgiving about types (``None``, ``NaN``, ``NaT``, numpy scalars, pandas
timestamps, ISO strings) but never guess: a value that is not what the format allows is
passed to the validator as written, which names it in its problem
(see :mod:`matcher.scenario.edit`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from matcher.messages.nl import (
    URGENCY_LABELS,
    WEEKDAY_LABELS,
    WEEKDAY_NAMES,
    nl_date,
    nl_day,
    parse_date,
    urgency_key,
)
from matcher.scenario.domain import (
    WEEKDAYS,
    Consultant,
    Location,
    Request,
    Scenario,
    Window,
    format_time,
)

# Column names of the tables (Dutch, as shown) -----------------------------------------------

CONSULTANT_COLUMNS = {
    "id": "Id",
    "name": "Naam",
    "email": "E-mail",
    "provider": "Organisatie",
    "skills": "Vaardigheden",
    "max_visits_per_day": "Max per dag",
    "max_visits_per_week": "Max per week",
}
WINDOW_COLUMNS = {"consultant": "Consultant", "day": "Dag", "start": "Van", "end": "Tot"}
UNAVAILABLE_COLUMNS = {"consultant": "Consultant", "date": "Datum", "start": "Van", "end": "Tot"}
REQUEST_COLUMNS = {
    "id": "Id",
    "youth": "Jongere",
    "roles": "Rollen",
    "duration_minutes": "Duur (min)",
    "earliest": "Vanaf",
    "latest": "Tot en met",
    "tod_start": "Tijd van",
    "tod_end": "Tijd tot",
    "urgency": "Urgentie",
    "pinned": "Vastgezet",
}
YOUTH_COLUMNS = {
    "id": "Casuscode",
    "location": "Locatie",
    "gemeente": "Gemeente",
    "signalled_on": "Gesignaleerd op",
    "urgency": "Urgentie",
    "previous_consultant": "Vorige consultant",
    "excluded_consultants": "Uitgesloten consultants",
}
LOCATION_COLUMNS = {
    "id": "Id",
    "name": "Naam",
    "kind": "Soort",
    "gemeente": "Gemeente",
    "lat": "Breedtegraad",
    "lon": "Lengtegraad",
    "address": "Adres",
    "confidential": "Vertrouwelijk",
    "contact_name": "Contactpersoon",
    "contact_email": "Contact e-mail",
    "open": "Open",
}

# Table names used in problems.
T_CONSULTANTS = "Consultants"
T_WINDOWS = "Beschikbaarheid"
T_UNAVAILABLE = "Afwezigheid"
T_REQUESTS = "Aanvragen"
T_YOUTHS = "Jongeren"
T_LOCATIONS = "Locaties"

# Cells ----------------------------------------------------------------------------------


def cell(value: Any) -> Any:
    """A table cell as plain Python: missing values become ``None``, strings are stripped,
    numpy scalars become Python numbers, timestamps become dates."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, list | tuple):
        return [cell(v) for v in value if cell(v) is not None]
    if hasattr(value, "tolist") and not isinstance(value, pd.Timestamp):  # numpy scalar/array
        return cell(value.tolist())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def date_value(value: Any) -> Any:
    """A date cell for the document: ISO text, or the raw value for the validator to name.

    Dutch dates (``02-12-2026``, ``2-12-2026``) and ISO dates are both accepted."""
    v = cell(value)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        day = parse_date(v)
        return day.isoformat() if day is not None else v
    return v


def text_value(value: Any) -> Any:
    v = cell(value)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return v


def number_value(value: Any) -> Any:
    v = cell(value)
    if isinstance(v, str):
        try:
            f = float(v.replace(",", "."))
        except ValueError:
            return v
        return int(f) if f.is_integer() else f
    return v


def strings_value(value: Any) -> list[str]:
    """A list cell: a list, or text separated by commas/semicolons."""
    v = cell(value)
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [p.strip() for p in re.split(r"[;,]", str(v)) if p.strip()]


def put(doc: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        doc[key] = value


def parse_roles(value: Any) -> list[list[str]]:
    """Roles as planners write them: ``emdr, vrouw | lvb`` is two roles.

    An empty cell (or ``(geen eisen)``) is one role without skill requirements.
    """
    v = cell(value)
    if v is None:
        return [[]]
    if isinstance(v, list):
        return [[str(x) for x in v]]
    roles: list[list[str]] = []
    for part in str(v).split("|"):
        part = part.strip()
        if part in ("", "(geen eisen)"):
            roles.append([])
        else:
            roles.append([s.strip() for s in re.split(r"[;,+]", part) if s.strip()])
    return roles


# Days of availability windows --------------------------------------------------------------


def day_label(window: Window) -> str:
    """``elke maandag`` for a weekday window, ``ma 30-11-2026`` for a dated one."""
    if window.date is not None:
        return f"{WEEKDAY_LABELS[window.date.weekday()]} {nl_date(window.date)}"
    assert window.weekday is not None
    return f"elke {WEEKDAY_NAMES[WEEKDAYS.index(window.weekday)]}"


def day_options(scenario: Scenario) -> list[str]:
    """Choices for the ``Dag`` column: every weekday, then every planning date and every
    date used by a window."""
    dates = set(scenario.days)
    for c in scenario.consultants:
        dates.update(w.date for w in c.availability if w.date is not None)
    weekdays = [f"elke {n}" for n in WEEKDAY_NAMES]
    return weekdays + [f"{WEEKDAY_LABELS[d.weekday()]} {nl_date(d)}" for d in sorted(dates)]


_DATED = re.compile(r"^(?:[a-z]{2}\s+)?(\d{1,2})-(\d{1,2})-(\d{4})$")


def day_keys(label: Any) -> dict[str, Any]:
    """``{"weekday": "mon"}`` or ``{"date": "2026-11-30"}`` of a ``Dag`` cell; anything
    else is passed on as a weekday for the validator to name."""
    v = cell(label)
    if v is None:
        return {}
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    text = str(v).strip().lower()
    if text.startswith("elke "):
        text = text[5:]
    for i, (short, full) in enumerate(zip(WEEKDAY_LABELS, WEEKDAY_NAMES, strict=True)):
        if text in (short, full, WEEKDAYS[i]):
            return {"weekday": WEEKDAYS[i]}
    m = _DATED.match(text)
    if m:
        try:
            return {"date": dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()}
        except ValueError:
            return {"date": str(v)}
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return {"date": text}
    return {"weekday": str(v)}


# Frames of the current data -----------------------------------------------------------------


def consultants_frame(scenario: Scenario, consultants: Sequence[Consultant]) -> pd.DataFrame:
    """One row per consultant: id, name, e-mail, provider, skills, caps."""
    names = {p.id: p.name for p in scenario.providers}
    rows = [
        {
            "Id": c.id,
            "Naam": c.name,
            "E-mail": c.email,
            "Organisatie": names.get(c.provider, c.provider),
            "Vaardigheden": sorted(c.skills),
            "Max per dag": c.max_visits_per_day,
            "Max per week": c.max_visits_per_week,
        }
        for c in consultants
    ]
    frame = pd.DataFrame(rows, columns=list(CONSULTANT_COLUMNS.values()))
    for col in ("Max per dag", "Max per week"):
        frame[col] = frame[col].astype("Int64")
    return frame


def windows_frame(consultants: Sequence[Consultant]) -> pd.DataFrame:
    """One row per availability window of the consultants."""
    rows = [
        {
            "Consultant": c.id,
            "Dag": day_label(w),
            "Van": format_time(w.start),
            "Tot": format_time(w.end),
        }
        for c in consultants
        for w in c.availability
    ]
    return pd.DataFrame(rows, columns=list(WINDOW_COLUMNS.values()))


def unavailable_frame(consultants: Sequence[Consultant]) -> pd.DataFrame:
    """One row per unavailable time (sick, leave, appointment) of the consultants."""
    rows = [
        {
            "Consultant": c.id,
            "Datum": u.date,
            "Van": "" if u.start == 0 else format_time(u.start),
            "Tot": "" if u.end == 24 * 60 else format_time(u.end),
        }
        for c in consultants
        for u in c.unavailable
    ]
    return pd.DataFrame(rows, columns=list(UNAVAILABLE_COLUMNS.values()))


def _pin_text(req: Request) -> str:
    if req.pinned is None:
        return ""
    p = req.pinned
    parts = [", ".join(p.consultants)]
    if p.date is not None:
        parts.append(nl_day(p.date))
    if p.start is not None:
        parts.append(format_time(p.start))
    return " · ".join(parts)


def requests_frame(scenario: Scenario) -> pd.DataFrame:
    """One row per request (urgency and pin shown, not edited here)."""
    from matcher.explain.plan_views import roles_text

    rows = []
    for r in scenario.requests:
        youth = scenario.youth(r.youth)
        rows.append(
            {
                "Id": r.id,
                "Jongere": r.youth,
                "Rollen": roles_text(r.roles),
                "Duur (min)": r.duration_minutes,
                "Vanaf": r.earliest,
                "Tot en met": r.latest,
                "Tijd van": format_time(r.time_of_day.start) if r.time_of_day else "",
                "Tijd tot": format_time(r.time_of_day.end) if r.time_of_day else "",
                "Urgentie": URGENCY_LABELS.get(youth.urgency, youth.urgency),
                "Vastgezet": _pin_text(r),
            }
        )
    frame = pd.DataFrame(rows, columns=list(REQUEST_COLUMNS.values()))
    frame["Duur (min)"] = frame["Duur (min)"].astype("Int64")
    return frame


def urgency_options(scenario: Scenario) -> list[str]:
    """Urgency choices in Dutch where known (``laag``, ``normaal``, ...), least urgent first."""
    keys = sorted(scenario.urgency_factors, key=lambda k: scenario.urgency_factors[k])
    return [URGENCY_LABELS.get(k, k) for k in keys]


def urgency_value(value: Any) -> Any:
    v = cell(value)
    if v is None:
        return None
    return urgency_key(str(v)) or v


def youths_frame(scenario: Scenario) -> pd.DataFrame:
    """One row per youth (case code, placement, responsible gemeente, continuity)."""
    rows = [
        {
            "Casuscode": y.id,
            "Locatie": y.location,
            "Gemeente": y.gemeente,
            "Gesignaleerd op": y.signalled_on,
            "Urgentie": URGENCY_LABELS.get(y.urgency, y.urgency),
            "Vorige consultant": y.previous_consultant,
            "Uitgesloten consultants": sorted(y.excluded_consultants),
        }
        for y in scenario.youths
    ]
    return pd.DataFrame(rows, columns=list(YOUTH_COLUMNS.values()))


def _open_text(loc: Location) -> str:
    if loc.open is None:
        return "altijd"
    return "; ".join(
        f"{day_label(w)} {format_time(w.start)}–{format_time(w.end)}" for w in loc.open
    )


def locations_frame(scenario: Scenario, *, show_confidential: bool = True) -> pd.DataFrame:
    """One row per location; confidential addresses blanked unless ``show_confidential``."""
    rows = []
    for loc in scenario.locations:
        hidden = loc.confidential and not show_confidential
        rows.append(
            {
                "Id": loc.id,
                "Naam": loc.name,
                "Soort": loc.kind,
                "Gemeente": loc.gemeente,
                "Breedtegraad": None if hidden else loc.lat,
                "Lengtegraad": None if hidden else loc.lon,
                "Adres": "vertrouwelijk" if hidden else (loc.address or ""),
                "Vertrouwelijk": loc.confidential,
                "Contactpersoon": loc.contact.name if loc.contact else "",
                "Contact e-mail": loc.contact.email if loc.contact else "",
                "Open": _open_text(loc),
            }
        )
    return pd.DataFrame(rows, columns=list(LOCATION_COLUMNS.values()))


# Rows into document items ---------------------------------------------------------------


def frame_rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The rows of an edited table as dicts (none for ``None``)."""
    if frame is None:
        return []
    return [dict(r) for r in frame.to_dict(orient="records")]


def blank_row(row: Mapping[str, Any]) -> bool:
    """Whether every cell of a row is empty (a row the editor added and left empty)."""
    return all(cell(v) in (None, []) for v in row.values())


def request_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """A request of the document from a row of the requests table."""
    item: dict[str, Any] = {}
    put(item, "id", text_value(row.get("Id")))
    put(item, "youth", text_value(row.get("Jongere")))
    item["roles"] = parse_roles(row.get("Rollen"))
    put(item, "duration_minutes", number_value(row.get("Duur (min)")))
    put(item, "earliest", date_value(row.get("Vanaf")))
    put(item, "latest", date_value(row.get("Tot en met")))
    start, end = text_value(row.get("Tijd van")), text_value(row.get("Tijd tot"))
    if start is not None or end is not None:
        tod: dict[str, Any] = {}
        put(tod, "start", start)
        put(tod, "end", end)
        item["time_of_day"] = tod
    return item


def youth_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """A youth of the document from a row of the youths table."""
    item: dict[str, Any] = {}
    put(item, "id", text_value(row.get("Casuscode")))
    put(item, "location", text_value(row.get("Locatie")))
    put(item, "gemeente", text_value(row.get("Gemeente")))
    put(item, "signalled_on", date_value(row.get("Gesignaleerd op")))
    put(item, "urgency", urgency_value(row.get("Urgentie")))
    put(item, "previous_consultant", text_value(row.get("Vorige consultant")))
    excluded = strings_value(row.get("Uitgesloten consultants"))
    if excluded:
        item["excluded_consultants"] = excluded
    return item


def bool_value(value: Any) -> Any:
    """A yes/no cell (``ja``, ``nee``, ``x``, 1, 0, ...) as a bool; anything else as written."""
    v = cell(value)
    if isinstance(v, str):
        low = v.lower()
        if low in ("ja", "j", "yes", "y", "true", "waar", "1", "x"):
            return True
        if low in ("nee", "n", "no", "false", "onwaar", "0"):
            return False
    if isinstance(v, int) and not isinstance(v, bool) and v in (0, 1):
        return bool(v)
    return v


def location_item(row: Mapping[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """A location of the document from a row of the locations table (``old``: the stored
    one, whose opening hours are kept)."""
    item: dict[str, Any] = {}
    put(item, "id", text_value(row.get("Id")))
    put(item, "name", text_value(row.get("Naam")))
    put(item, "kind", text_value(row.get("Soort")))
    put(item, "gemeente", text_value(row.get("Gemeente")))
    put(item, "lat", number_value(row.get("Breedtegraad")))
    put(item, "lon", number_value(row.get("Lengtegraad")))
    put(item, "address", text_value(row.get("Adres")))
    confidential = bool_value(row.get("Vertrouwelijk"))
    item["confidential"] = True if confidential is None else confidential
    name, email = text_value(row.get("Contactpersoon")), text_value(row.get("Contact e-mail"))
    if name is not None or email is not None:
        contact: dict[str, Any] = {}
        put(contact, "name", name)
        put(contact, "email", email)
        item["contact"] = contact
    if old is not None and "open" in old:
        item["open"] = old["open"]
    return item
