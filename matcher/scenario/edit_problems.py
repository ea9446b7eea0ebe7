"""The problems of a table edit: each names the table, the row and the column.

The validator's :class:`~matcher.scenario.problems.Problem` objects are located in the
tables the document was built from (:class:`Origins`); the message code and parameters
are kept, so the problem is rendered in Dutch from the message tables like any other
(:mod:`matcher.messages`). Hints are given in the tables' terms: a date may be written
the Dutch way, an urgency is a Dutch word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from matcher.messages import Lang, Message
from matcher.scenario.domain import Scenario
from matcher.scenario.edit_tables import (
    T_CONSULTANTS,
    T_LOCATIONS,
    T_REQUESTS,
    T_UNAVAILABLE,
    T_WINDOWS,
    T_YOUTHS,
)
from matcher.scenario.problems import Problem, ScenarioError
from matcher.scenario.validate import validate_document

_PATH = re.compile(r"^[a-z_]+\[\d+\](?:\.[a-z_]+\[\d+\])*$")

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
        What is wrong and what is allowed instead: the validator's message codes.
    subject
        A short description of the row, e.g. ``C-FIER-01 elke maandag``.
    """

    table: str
    row: int | None
    column: str
    message: Message
    allowed: Message | None = None
    subject: str = ""

    @property
    def code(self) -> str:
        """The code of what is wrong."""
        return self.message.code

    def what(self, lang: Lang = "nl") -> str:
        """What is wrong, in ``lang``."""
        return self.message.render(lang)

    def hint(self, lang: Lang = "nl") -> str:
        """What is allowed instead, in ``lang`` (empty when nothing is said)."""
        return self.allowed.render(lang) if self.allowed is not None else ""

    def text(self, lang: Lang = "nl") -> str:
        """The whole problem: table, row, subject, column, what is wrong and what is allowed."""
        where = self.table
        if self.row is not None:
            where = Message("edit_where_row", table=self.table, row=self.row).render(lang)
        if self.subject:
            where += f" ({self.subject})"
        if self.column:
            where += f", {self.column}" if where else self.column
        what = self.message.render(lang)
        if self.allowed is None:
            return f"{where}: {what}" if where else what
        code = "edit_problem_allowed" if where else "problem_allowed"
        return Message(code, where=where, what=what, allowed=self.allowed).render(lang)

    def __str__(self) -> str:
        """The problem in Dutch (an edit's problems are shown in the app)."""
        return self.text("nl")


# Validation and problem mapping ---------------------------------------------------------------


@dataclass
class Origins:
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

    def rename(self, message: Message) -> Message:
        """The message with each parameter that is a document path (``consultants[2].
        availability[0]``) replaced by the table row it came from."""
        params: dict[str, Any] = {}
        for key, value in message.params.items():
            found = self.rows.get(value) if isinstance(value, str) and _PATH.match(value) else None
            params[key] = Message("edit_row", row=found[1]) if found and found[1] else value
        return Message(message.code, **params)


def validate(
    doc: dict[str, Any], origins: Origins, default_table: str
) -> tuple[Scenario | None, list[EditProblem]]:
    try:
        scenario = validate_document(doc, "<bewerking>")
    except ScenarioError as exc:
        return None, [origins.locate(p, default_table) for p in exc.problems]
    return scenario, []


def describe_path(doc: dict[str, Any], path: str) -> str:
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


def entity_origins(doc: dict[str, Any], origins: Origins, skip: str) -> None:
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


def fix_rows(problems: list[EditProblem]) -> tuple[EditProblem, ...]:
    """Problems located at row 0 are about entities outside the edited table: no row.

    The validator's hints are given in the tables' terms: dates may be Dutch, urgencies
    are the Dutch words (the ``urgency_*`` messages)."""
    fixed = []
    for p in problems:
        fixed.append(
            EditProblem(
                p.table,
                None if p.row == 0 else p.row,
                p.column,
                p.message,
                table_hint(p.allowed),
                p.subject,
            )
        )
    return tuple(fixed)


def table_hint(allowed: Message | None) -> Message | None:
    """The validator's ``allowed`` message as a table editor reads it."""
    if allowed is None:
        return None
    if allowed.code == "allow_date":
        return Message("allow_table_date")
    return allowed
