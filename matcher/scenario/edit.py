"""Editing a round's scenario through tables, validated exactly like a scenario file.

The app shows consultants, availability windows, unavailable times (sick, leave),
requests, youths and locations as editable tables (``st.data_editor``). An edit is
applied by building the changed scenario *document*
(:func:`matcher.scenario.writer.scenario_to_dict`,
then the table rows put back in) and running the loader's validator
(:func:`matcher.scenario.validate.validate_document`) on it. Every problem comes back as an
:class:`EditProblem` naming the table, the row and the column, with the loader's own
message text; only a valid result is saved (:func:`save_edit`): in one transaction that
locks the round, refuses entities someone else changed since the tables were read (pass
the snapshot's versions) and validates the whole stored round again before committing.

Table cells are forgiving about types (``None``, ``NaN``, ``NaT``, numpy scalars, pandas
timestamps, ISO strings) but never guess: a value that is not what the format allows is
passed to the validator as written, which names it in its message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.messages.nl import (
    DATE_HINT,
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
    Pin,
    Plan,
    Request,
    Scenario,
    Unavailability,
    Window,
    format_time,
)
from matcher.scenario.problems import Problem, ScenarioError
from matcher.scenario.validate import validate_document
from matcher.scenario.writer import scenario_to_dict

__all__ = [
    "CONSULTANT_COLUMNS",
    "LOCATION_COLUMNS",
    "REQUEST_COLUMNS",
    "UNAVAILABLE_COLUMNS",
    "WINDOW_COLUMNS",
    "YOUTH_COLUMNS",
    "EditProblem",
    "EditResult",
    "apply_availability",
    "apply_locations",
    "apply_requests",
    "apply_youths",
    "cell",
    "consultants_frame",
    "day_label",
    "day_options",
    "edit_of",
    "locations_frame",
    "mark_unavailable",
    "parse_roles",
    "requests_frame",
    "save_edit",
    "save_pins",
    "unavailable_frame",
    "urgency_options",
    "validated_edit",
    "windows_frame",
    "youths_frame",
]

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

# Which column a document field is shown in, per table.
_FIELD_COLUMNS: dict[str, dict[str, str]] = {
    T_CONSULTANTS: {
        "id": "Id",
        "name": "Naam",
        "email": "E-mail",
        "provider": "Organisatie",
        "skills": "Vaardigheden",
        "max_visits_per_day": "Max per dag",
        "max_visits_per_week": "Max per week",
    },
    T_WINDOWS: {"start": "Van", "end": "Tot", "date": "Dag", "weekday": "Dag", "": "Dag"},
    T_UNAVAILABLE: {"start": "Van", "end": "Tot", "date": "Datum"},
    T_REQUESTS: {
        "id": "Id",
        "youth": "Jongere",
        "roles": "Rollen",
        "skills": "Rollen",
        "duration_minutes": "Duur (min)",
        "earliest": "Vanaf",
        "latest": "Tot en met",
        "time_of_day.start": "Tijd van",
        "time_of_day.end": "Tijd tot",
        "time_of_day": "Tijd van",
        "pinned": "Vastgezet",
    },
    T_YOUTHS: {
        "id": "Casuscode",
        "location": "Locatie",
        "gemeente": "Gemeente",
        "signalled_on": "Gesignaleerd op",
        "urgency": "Urgentie",
        "previous_consultant": "Vorige consultant",
        "excluded_consultants": "Uitgesloten consultants",
    },
    T_LOCATIONS: {
        "id": "Id",
        "name": "Naam",
        "kind": "Soort",
        "gemeente": "Gemeente",
        "lat": "Breedtegraad",
        "lon": "Lengtegraad",
        "address": "Adres",
        "confidential": "Vertrouwelijk",
        "contact.name": "Contactpersoon",
        "contact.email": "Contact e-mail",
        "contact": "Contactpersoon",
        "open": "Open",
    },
}


@dataclass(frozen=True, slots=True)
class EditProblem:
    """One reason an edit is refused.

    Attributes
    ----------
    table
        The table the problem is in (``Beschikbaarheid``, ``Aanvragen``, ...).
    row
        1-based row number in that table as shown, or ``None`` when the problem is not
        about one row.
    column
        The column (empty when not about one column).
    message, allowed
        The validator's own text (what is wrong; what is allowed instead).
    subject
        A short description of the row, e.g. ``C-FIER-01 elke maandag``.
    """

    table: str
    row: int | None
    column: str
    message: str
    allowed: str = ""
    subject: str = ""

    def __str__(self) -> str:
        where = self.table
        if self.row is not None:
            where += f", rij {self.row}"
        if self.subject:
            where += f" ({self.subject})"
        if self.column:
            where += f", {self.column}"
        tail = f" — toegestaan: {self.allowed}" if self.allowed else ""
        return f"{where}: {self.message}{tail}"


@dataclass(frozen=True)
class EditResult:
    """The outcome of applying table edits.

    Attributes
    ----------
    scenario
        The validated new scenario, or ``None`` when there are problems.
    problems
        Every problem found (empty when valid).
    upserts
        Ids per kind (``consultants``, ``locations``, ``youths``, ``requests``) whose entity
        is new or changed.
    deletes
        Request ids to delete.
    base
        The scenario the tables were edited on.
    """

    scenario: Scenario | None
    problems: tuple[EditProblem, ...] = ()
    upserts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deletes: tuple[str, ...] = ()
    base: Scenario | None = None
    """The scenario the edit was made on (to tell and merge what others changed since)."""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems

    @property
    def changed(self) -> bool:
        return any(self.upserts.values()) or bool(self.deletes)


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


def _date_value(value: Any) -> Any:
    """A date cell for the document: ISO text, or the raw value for the validator to name.

    Dutch dates (``02-12-2026``, ``2-12-2026``) and ISO dates are both accepted."""
    v = cell(value)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        day = parse_date(v)
        return day.isoformat() if day is not None else v
    return v


def _text(value: Any) -> Any:
    v = cell(value)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return v


def _number(value: Any) -> Any:
    v = cell(value)
    if isinstance(v, str):
        try:
            f = float(v.replace(",", "."))
        except ValueError:
            return v
        return int(f) if f.is_integer() else f
    return v


def _strings(value: Any) -> list[str]:
    """A list cell: a list, or text separated by commas/semicolons."""
    v = cell(value)
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x) for x in v]
    return [p.strip() for p in re.split(r"[;,]", str(v)) if p.strip()]


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
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


def _day_keys(label: Any) -> dict[str, Any]:
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


def _urgency_key(value: Any) -> Any:
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


# Validation and problem mapping ---------------------------------------------------------------


@dataclass
class _Origins:
    """Where each part of the built document came from (document path -> table row)."""

    rows: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    """Per path: the table whose column names apply (when it differs from the shown one)."""

    def add(self, path: str, table: str, row: int, subject: str, columns: str = "") -> None:
        self.rows[path] = (table, row, subject)
        if columns:
            self.columns[path] = columns

    def locate(self, problem: Problem, default_table: str) -> EditProblem:
        path = problem.path
        best = ""
        for prefix in self.rows:
            inside = path == prefix or path.startswith((prefix + ".", prefix + "["))
            if inside and len(prefix) > len(best):
                best = prefix
        if best:
            table, row, subject = self.rows[best]
            rest = path[len(best) :].lstrip(".")
            rest = re.sub(r"\[\d+\]", "", rest)
            columns = _FIELD_COLUMNS.get(self.columns.get(best, table), {})
            column = columns.get(rest, columns.get(rest.split(".")[0], rest))
            return EditProblem(
                table, row, column, self.rename(problem.message), problem.allowed, subject
            )
        return EditProblem(default_table, None, path, self.rename(problem.message), problem.allowed)

    def rename(self, message: str) -> str:
        """Replace document paths in a message by the table rows they came from."""

        def row_of(m: re.Match[str]) -> str:
            found = self.rows.get(m.group(0))
            return f"rij {found[1]}" if found and found[1] else m.group(0)

        return re.sub(r"\b[a-z_]+\[\d+\](?:\.[a-z_]+\[\d+\])*", row_of, message)


def _validate(
    doc: dict[str, Any], origins: _Origins, default_table: str
) -> tuple[Scenario | None, list[EditProblem]]:
    try:
        scenario = validate_document(doc, "<bewerking>")
    except ScenarioError as exc:
        return None, [origins.locate(p, default_table) for p in exc.problems]
    return scenario, []


def _describe_path(doc: dict[str, Any], path: str) -> str:
    """Name the entity of a document path, e.g. ``requests[3].pinned`` -> ``aanvraag R-4``."""
    m = re.match(r"^(requests|youths|locations|consultants)\[(\d+)\]", path)
    if not m:
        return path
    kind, idx = m.group(1), int(m.group(2))
    items = doc.get(kind) or []
    ident = items[idx].get("id") if idx < len(items) and isinstance(items[idx], dict) else idx
    names = {
        "requests": "aanvraag",
        "youths": "jongere",
        "locations": "locatie",
        "consultants": "consultant",
    }
    return f"{names[kind]} {ident}{path[m.end() :]}"


def _entity_origins(doc: dict[str, Any], origins: _Origins, skip: str) -> None:
    """Let problems in entities not shown in the edited table name the entity."""
    labels = {
        "requests": T_REQUESTS,
        "youths": T_YOUTHS,
        "locations": T_LOCATIONS,
        "consultants": T_CONSULTANTS,
    }
    for kind, table in labels.items():
        if kind == skip:
            continue
        for i, item in enumerate(doc.get(kind) or []):
            ident = item.get("id") if isinstance(item, dict) else None
            origins.add(f"{kind}[{i}]", table, 0, str(ident))


def _changed_ids(old: Iterable[Any], new: Iterable[Any]) -> tuple[str, ...]:
    before = {x.id: x for x in old}
    return tuple(x.id for x in new if before.get(x.id) != x)


def _fix_rows(problems: list[EditProblem]) -> tuple[EditProblem, ...]:
    """Problems located at row 0 are about entities outside the edited table: no row.

    The validator's hints are given in the tables' terms: dates may be Dutch, urgencies
    are the Dutch words."""
    fixed = []
    for p in problems:
        allowed = _table_hint(p.allowed)
        fixed.append(
            EditProblem(
                p.table, None if p.row == 0 else p.row, p.column, p.message, allowed, p.subject
            )
        )
    return tuple(fixed)


def _table_hint(allowed: str) -> str:
    """The validator's ``allowed`` text as a table editor reads it."""
    if allowed == "a date YYYY-MM-DD":
        return DATE_HINT
    words = [w.strip() for w in allowed.split(",")]
    if words and all(w in URGENCY_LABELS for w in words):
        return ", ".join(URGENCY_LABELS[w] for w in words)
    return allowed


# Availability ---------------------------------------------------------------------------------


def _rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None:
        return []
    return [dict(r) for r in frame.to_dict(orient="records")]


def _blank(row: Mapping[str, Any]) -> bool:
    return all(cell(v) in (None, []) for v in row.values())


def apply_availability(
    scenario: Scenario,
    scope: Sequence[str],
    consultants: pd.DataFrame | None = None,
    windows: pd.DataFrame | None = None,
    unavailable: pd.DataFrame | None = None,
) -> EditResult:
    """Apply edited consultant, window and unavailability tables for the consultants in
    ``scope`` (a provider's, or all).

    A table given as ``None`` keeps the current data. Rows naming a consultant outside the
    scope are refused. Returns the validated scenario and the ids of changed consultants.
    """
    doc = scenario_to_dict(scenario)
    allowed = list(scope)
    index = {c["id"]: i for i, c in enumerate(doc["consultants"])}
    origins = _Origins()
    problems: list[EditProblem] = []

    def out_of_scope(table: str, row: int, column: str, cid: object) -> EditProblem:
        return EditProblem(
            table,
            row,
            column,
            f"{cid!r} is not one of the consultants you may edit",
            ", ".join(allowed),
        )

    if consultants is not None:
        for n, row in enumerate(_rows(consultants), start=1):
            if _blank(row):
                continue
            cid = cell(row.get("Id"))
            if cid not in allowed or cid not in index:
                problems.append(out_of_scope(T_CONSULTANTS, n, "Id", cid))
                continue
            i = index[cid]
            entry = doc["consultants"][i]
            origins.add(f"consultants[{i}]", T_CONSULTANTS, n, str(cid))
            for key, col, convert in (
                ("name", "Naam", _text),
                ("email", "E-mail", _text),
                ("max_visits_per_day", "Max per dag", _number),
                ("max_visits_per_week", "Max per week", _number),
            ):
                if col in row:
                    value = convert(row[col])
                    if value is None:
                        entry.pop(key, None)
                    else:
                        entry[key] = value
            if "Vaardigheden" in row:
                entry["skills"] = _strings(row["Vaardigheden"])

    def rebuild(frame: pd.DataFrame, key: str, table: str, build: Any) -> None:
        lists: dict[str, list[dict[str, Any]]] = {cid: [] for cid in allowed}
        for n, row in enumerate(_rows(frame), start=1):
            if _blank(row):
                continue
            cid = cell(row.get("Consultant"))
            if cid not in lists or cid not in index:
                problems.append(out_of_scope(table, n, "Consultant", cid))
                continue
            item, subject = build(row, cid)
            i = index[cid]
            origins.add(f"consultants[{i}].{key}[{len(lists[cid])}]", table, n, subject)
            lists[cid].append(item)
        for cid, items in lists.items():
            if cid in index:
                doc["consultants"][index[cid]][key] = items

    def window(row: Mapping[str, Any], cid: str) -> tuple[dict[str, Any], str]:
        item = _day_keys(row.get("Dag"))
        _put(item, "start", _text(row.get("Van")))
        _put(item, "end", _text(row.get("Tot")))
        return item, f"{cid} {cell(row.get('Dag')) or ''}".strip()

    def absence(row: Mapping[str, Any], cid: str) -> tuple[dict[str, Any], str]:
        item: dict[str, Any] = {}
        _put(item, "date", _date_value(row.get("Datum")))
        _put(item, "start", _text(row.get("Van")))
        _put(item, "end", _text(row.get("Tot")))
        return item, f"{cid} {item.get('date', '')}".strip()

    if windows is not None:
        rebuild(windows, "availability", T_WINDOWS, window)
    if unavailable is not None:
        rebuild(unavailable, "unavailable", T_UNAVAILABLE, absence)
    if problems:
        return EditResult(None, tuple(problems))
    _entity_origins(doc, origins, "consultants")
    new, found = _validate(doc, origins, T_WINDOWS)
    if new is None:
        return EditResult(None, _fix_rows(found))
    changed = tuple(cid for cid in _changed_ids(scenario.consultants, new.consultants))
    return EditResult(new, (), {"consultants": changed}, base=scenario)


def mark_unavailable(
    scenario: Scenario,
    consultant_id: str,
    dates: Sequence[dt.date],
    start: int | None = None,
    end: int | None = None,
) -> EditResult:
    """Add an unavailable time (whole days by default) for one consultant on ``dates``.

    Validated like any other availability edit (a pinned visit on such a day is refused).
    """
    c = scenario.consultant(consultant_id)
    extra = [
        Unavailability(d, 0 if start is None else start, 24 * 60 if end is None else end)
        for d in dates
    ]
    fresh = [u for u in extra if u not in c.unavailable]
    frame = unavailable_frame([replace(c, unavailable=(*c.unavailable, *fresh))])
    return apply_availability(scenario, [consultant_id], unavailable=frame)


# Requests, youths, locations ---------------------------------------------------------------


def _request_doc(row: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "id", _text(row.get("Id")))
    _put(item, "youth", _text(row.get("Jongere")))
    item["roles"] = parse_roles(row.get("Rollen"))
    _put(item, "duration_minutes", _number(row.get("Duur (min)")))
    _put(item, "earliest", _date_value(row.get("Vanaf")))
    _put(item, "latest", _date_value(row.get("Tot en met")))
    start, end = _text(row.get("Tijd van")), _text(row.get("Tijd tot"))
    if start is not None or end is not None:
        tod: dict[str, Any] = {}
        _put(tod, "start", start)
        _put(tod, "end", end)
        item["time_of_day"] = tod
    return item


def _youth_doc(row: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "id", _text(row.get("Casuscode")))
    _put(item, "location", _text(row.get("Locatie")))
    _put(item, "gemeente", _text(row.get("Gemeente")))
    _put(item, "signalled_on", _date_value(row.get("Gesignaleerd op")))
    _put(item, "urgency", _urgency_key(row.get("Urgentie")))
    _put(item, "previous_consultant", _text(row.get("Vorige consultant")))
    excluded = _strings(row.get("Uitgesloten consultants"))
    if excluded:
        item["excluded_consultants"] = excluded
    return item


def _bool(value: Any) -> Any:
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


def _location_doc(row: Mapping[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "id", _text(row.get("Id")))
    _put(item, "name", _text(row.get("Naam")))
    _put(item, "kind", _text(row.get("Soort")))
    _put(item, "gemeente", _text(row.get("Gemeente")))
    _put(item, "lat", _number(row.get("Breedtegraad")))
    _put(item, "lon", _number(row.get("Lengtegraad")))
    _put(item, "address", _text(row.get("Adres")))
    confidential = _bool(row.get("Vertrouwelijk"))
    item["confidential"] = True if confidential is None else confidential
    name, email = _text(row.get("Contactpersoon")), _text(row.get("Contact e-mail"))
    if name is not None or email is not None:
        contact: dict[str, Any] = {}
        _put(contact, "name", name)
        _put(contact, "email", email)
        item["contact"] = contact
    if old is not None and "open" in old:
        item["open"] = old["open"]
    return item


def _apply_list(
    scenario: Scenario,
    frame: pd.DataFrame,
    kind: str,
    table: str,
    id_column: str,
    build: Any,
    *,
    may_delete: bool,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    doc = scenario_to_dict(scenario)
    old_items = {item["id"]: item for item in doc[kind]}
    origins = _Origins()
    items: list[dict[str, Any]] = []
    problems: list[EditProblem] = []
    seen: set[str] = set()
    for n, row in enumerate(_rows(frame), start=1):
        if _blank(row):
            continue
        item = build(row, old_items.get(_text(row.get(id_column)) or ""))
        ident = item.get("id")
        if isinstance(ident, str):
            seen.add(ident)
        where, number = labels[n - 1] if labels is not None else (table, n)
        origins.add(f"{kind}[{len(items)}]", where, number, str(ident or ""), table)
        items.append(item)
    missing = [i for i in old_items if i not in seen]
    if missing and not may_delete:
        problems.append(
            EditProblem(
                table,
                None,
                id_column,
                f"removing {', '.join(missing)} is not possible here",
                "keep every existing row; change it instead",
            )
        )
        return EditResult(None, tuple(problems))
    doc[kind] = items
    _entity_origins(doc, origins, kind)
    new, found = _validate(doc, origins, table)
    if new is None:
        return EditResult(None, _fix_rows(found))
    old_entities = {"requests": scenario.requests, "youths": scenario.youths}.get(
        kind, scenario.locations
    )
    new_entities = {"requests": new.requests, "youths": new.youths}.get(kind, new.locations)
    changed = _changed_ids(old_entities, new_entities)
    return EditResult(new, (), {kind: changed}, tuple(missing) if may_delete else (), base=scenario)


def apply_requests(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited requests table (rows may be added, changed and removed).

    A request keeps its pin (pins are set by locking visits on the planning page).
    """
    pins = {r["id"]: r.get("pinned") for r in scenario_to_dict(scenario)["requests"]}

    def build(row: Mapping[str, Any], _old: Any) -> dict[str, Any]:
        item = _request_doc(row)
        pin = pins.get(item.get("id") or "")
        if pin is not None:
            item["pinned"] = pin
        return item

    return _apply_list(
        scenario, frame, "requests", T_REQUESTS, "Id", build, may_delete=True, labels=labels
    )


def apply_youths(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited youths table (rows may be added and changed, not removed)."""
    return _apply_list(
        scenario,
        frame,
        "youths",
        T_YOUTHS,
        "Casuscode",
        lambda row, _old: _youth_doc(row),
        may_delete=False,
        labels=labels,
    )


def apply_locations(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited locations table (rows may be added and changed, not removed).

    Opening hours are kept as they are.
    """
    return _apply_list(
        scenario,
        frame,
        "locations",
        T_LOCATIONS,
        "Id",
        _location_doc,
        may_delete=False,
        labels=labels,
    )


# Saving ---------------------------------------------------------------------------------------


def edit_of(result: EditResult) -> storage.RoundEdit:
    """The storage edit that saves a valid result (its changed entities and deletes)."""
    if not result.ok or result.scenario is None:
        raise ValueError("an edit with problems cannot be saved")
    s = result.scenario
    return storage.RoundEdit(
        consultants=tuple(s.consultant(c) for c in result.upserts.get("consultants", ())),
        locations=tuple(s.location(x) for x in result.upserts.get("locations", ())),
        youths=tuple(s.youth(y) for y in result.upserts.get("youths", ())),
        requests=tuple(s.request(r) for r in result.upserts.get("requests", ())),
        deleted_requests=tuple(result.deletes),
    )


def save_edit(
    engine: Engine, round_id: int, result: EditResult, versions: storage.Versions | None = None
) -> int:
    """Store a valid edit in one transaction: changed consultants, locations, youths and
    requests, then deleted requests (:func:`matcher.storage.write_edit`).

    The round is locked while the edit is written and the whole stored round is validated
    before the commit, so an edit that is valid on its snapshot but not together with what
    others saved meanwhile is refused.

    Parameters
    ----------
    versions
        The versions of the snapshot the tables were edited on
        (:attr:`matcher.storage.RoundSnapshot.versions`). An entity someone else changed
        since is then refused (:class:`~matcher.storage.StaleEditError`; see
        :func:`matcher.app.edit_conflicts.resolve_conflict`) instead of overwritten. ``None``:
        not checked (last writer wins).

    Returns
    -------
    int
        The number of entities written.

    Raises
    ------
    ValueError
        When the result is not valid (nothing is written).
    matcher.storage.StaleEditError, matcher.storage.InvalidEditError
        As above; nothing is written.
    """
    edit = edit_of(result)
    n = len(edit.touched())
    if n:
        storage.write_edit(engine, round_id, edit, versions, validate=storage.check_round)
    return n


def save_pins(
    engine: Engine,
    round_id: int,
    pins: Mapping[str, Pin | None],
    versions: storage.Versions | None = None,
    *,
    plan: Plan | None = None,
    plan_based_on: int | None = None,
) -> storage.Versions:
    """Set or remove pins (lock/unlock visits), optionally saving a hand-made plan with
    them, in one validated transaction (see :func:`save_edit` for ``versions``).

    ``plan`` is saved with label ``handmatig``; ``plan_based_on`` is the plan it was made
    from (a newer plan saved meanwhile makes the save conflict).
    """
    edit = storage.RoundEdit(
        pins=dict(pins), plan=plan, plan_label="handmatig", plan_based_on=plan_based_on
    )
    return storage.write_edit(engine, round_id, edit, versions, validate=storage.check_round)


def validated_edit(base: Scenario, scenario: Scenario, deletes: Sequence[str] = ()) -> EditResult:
    """``scenario`` as an edit of ``base``, validated by the loader's validator.

    Returns the result with the changed entities per kind (problems, naming the entity,
    when the scenario is not valid).
    """
    doc = scenario_to_dict(scenario)
    try:
        new = validate_document(doc, "<bewerking>")
    except ScenarioError as exc:
        return EditResult(
            None,
            tuple(
                EditProblem("", None, _describe_path(doc, p.path), p.message, p.allowed)
                for p in exc.problems
            ),
            base=base,
        )
    upserts = {
        "consultants": _changed_ids(base.consultants, new.consultants),
        "locations": _changed_ids(base.locations, new.locations),
        "youths": _changed_ids(base.youths, new.youths),
        "requests": _changed_ids(base.requests, new.requests),
    }
    return EditResult(new, (), {k: v for k, v in upserts.items() if v}, tuple(deletes), base)


def describe_problem_path(doc: dict[str, Any], path: str) -> str:
    """Public wrapper of the entity naming used in messages (for imports)."""
    return _describe_path(doc, path)
