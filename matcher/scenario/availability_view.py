"""One consultant's availability as providers know it: fixed weekly hours plus the
exceptions of the week.

The scenario format (FORMAT.md, consultants) holds a consultant's availability as windows
on a weekday (``{weekday, start, end}``: every week) or on a date (``{date, start, end}``),
and ``unavailable`` times (``{date, start?, end?}``). This module shows them as two tables:

* **Vaste werktijden**: the weekday windows, one row per window (``elke maandag``).
* **Uitzonderingen**: per date either *Afwezig* (sick, leave, an appointment: an
  ``unavailable`` entry, empty times = the whole day) or *Extra werktijd* (an extra day or
  extra hours: a dated availability window). The format has no field for the reason of an
  absence, so sick and leave are both *Afwezig*.

:func:`apply_consultant_view` puts the edited tables back into the scenario and validates
the result with the loader's validator (:func:`matcher.scenario.edit.apply_availability`);
problems name these tables and their rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from matcher.messages import Message
from matcher.scenario.domain import WEEKDAYS, Consultant, Scenario, format_time
from matcher.scenario.edit import (
    T_UNAVAILABLE,
    T_WINDOWS,
    UNAVAILABLE_COLUMNS,
    WINDOW_COLUMNS,
    EditProblem,
    EditResult,
    apply_availability,
    cell,
    day_label,
)

__all__ = [
    "ABSENT",
    "EXCEPTION_COLUMNS",
    "EXTRA",
    "KINDS",
    "T_EXCEPTIONS",
    "T_WEEKLY",
    "WEEKLY_COLUMNS",
    "apply_consultant_view",
    "exceptions_frame",
    "weekly_frame",
]

T_WEEKLY = "Vaste werktijden"
T_EXCEPTIONS = "Uitzonderingen"
ABSENT = "Afwezig"
"""Sick, leave, an appointment: an ``unavailable`` entry."""
EXTRA = "Extra werktijd"
"""An extra day or extra hours on a date: a dated availability window."""
KINDS = (ABSENT, EXTRA)
WEEKLY_COLUMNS = ("Consultant", "Dag", "Van", "Tot")
EXCEPTION_COLUMNS = ("Consultant", "Datum", "Soort", "Van", "Tot")


def weekly_frame(consultant: Consultant) -> pd.DataFrame:
    """The consultant's weekday windows, Monday first."""
    windows = sorted(
        (w for w in consultant.availability if w.weekday is not None),
        key=lambda w: (WEEKDAYS.index(w.weekday or "mon"), w.start),
    )
    rows = [
        {
            "Consultant": consultant.id,
            "Dag": day_label(w),
            "Van": format_time(w.start),
            "Tot": format_time(w.end),
        }
        for w in windows
    ]
    return pd.DataFrame(rows, columns=list(WEEKLY_COLUMNS))


def exceptions_frame(consultant: Consultant) -> pd.DataFrame:
    """The consultant's absences and dated windows, by date and time."""
    rows: list[dict[str, Any]] = [
        {
            "Consultant": consultant.id,
            "Datum": w.date,
            "Soort": EXTRA,
            "Van": format_time(w.start),
            "Tot": format_time(w.end),
            "_key": (w.date, w.start, 1),
        }
        for w in consultant.availability
        if w.date is not None
    ]
    rows += [
        {
            "Consultant": consultant.id,
            "Datum": u.date,
            "Soort": ABSENT,
            "Van": "" if u.start == 0 else format_time(u.start),
            "Tot": "" if u.end == 24 * 60 else format_time(u.end),
            "_key": (u.date, u.start, 0),
        }
        for u in consultant.unavailable
    ]
    rows.sort(key=lambda r: r["_key"])
    for r in rows:
        del r["_key"]
    return pd.DataFrame(rows, columns=list(EXCEPTION_COLUMNS))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict(orient="records")]


def _blank(row: Mapping[str, Any], columns: tuple[str, ...]) -> bool:
    return all(cell(row.get(c)) is None for c in columns)


@dataclass
class _Rows:
    """Rows of one combined table (as :func:`apply_availability` numbers them) and where
    each came from: (shown table, shown row, column renames)."""

    rows: list[dict[str, Any]]
    origin: dict[int, tuple[str, int, dict[str, str]]]

    def add(self, row: dict[str, Any], table: str, n: int, renames: dict[str, str]) -> None:
        self.rows.append(row)
        self.origin[len(self.rows)] = (table, n, renames)


def apply_consultant_view(
    scenario: Scenario,
    consultant_id: str,
    weekly: pd.DataFrame | None = None,
    exceptions: pd.DataFrame | None = None,
) -> EditResult:
    """Put edited *Vaste werktijden* and *Uitzonderingen* tables of one consultant back
    into ``scenario`` and validate it.

    A table given as ``None`` keeps what the consultant has. The ``Consultant`` column is
    ignored (the tables are of ``consultant_id``). A row of *Uitzonderingen* needs a
    ``Soort`` (:data:`ABSENT` or :data:`EXTRA`); an *Afwezig* row with empty times is the
    whole day. Problems name the table (``Vaste werktijden``, ``Uitzonderingen``), the
    row and the column.
    """
    consultant = scenario.consultant(consultant_id)
    weekly = weekly_frame(consultant) if weekly is None else weekly
    exceptions = exceptions_frame(consultant) if exceptions is None else exceptions
    wins = _Rows([], {})
    absences = _Rows([], {})
    problems: list[EditProblem] = []
    for n, row in enumerate(_records(weekly), start=1):
        if _blank(row, ("Dag", "Van", "Tot")):
            continue
        item = {"Consultant": consultant_id, "Dag": row.get("Dag")}
        item |= {"Van": row.get("Van"), "Tot": row.get("Tot")}
        wins.add(item, T_WEEKLY, n, {})
    for n, row in enumerate(_records(exceptions), start=1):
        if _blank(row, ("Datum", "Soort", "Van", "Tot")):
            continue
        kind = cell(row.get("Soort"))
        if kind == EXTRA:
            item = {"Consultant": consultant_id, "Dag": row.get("Datum")}
            item |= {"Van": row.get("Van"), "Tot": row.get("Tot")}
            wins.add(item, T_EXCEPTIONS, n, {"Dag": "Datum"})
        elif kind == ABSENT:
            item = {"Consultant": consultant_id, "Datum": row.get("Datum")}
            item |= {"Van": row.get("Van"), "Tot": row.get("Tot")}
            absences.add(item, T_EXCEPTIONS, n, {})
        else:
            bad = (
                Message("exception_kind_missing")
                if kind is None
                else Message("exception_kind_unknown", value=repr(kind))
            )
            allowed = Message("exception_kinds", absent=ABSENT, extra=EXTRA)
            problems.append(EditProblem(T_EXCEPTIONS, n, "Soort", bad, allowed))
        if kind in KINDS and cell(row.get("Datum")) is None:
            problems.append(
                EditProblem(
                    T_EXCEPTIONS,
                    n,
                    "Datum",
                    Message("exception_date_missing"),
                    Message("allow_table_date"),
                )
            )
    if problems:
        return EditResult(None, tuple(problems), base=scenario)
    result = apply_availability(
        scenario,
        [consultant_id],
        windows=pd.DataFrame(wins.rows, columns=list(WINDOW_COLUMNS.values())),
        unavailable=pd.DataFrame(absences.rows, columns=list(UNAVAILABLE_COLUMNS.values())),
    )
    if result.ok:
        return result
    located = {T_WINDOWS: wins, T_UNAVAILABLE: absences}
    return replace(
        result, problems=tuple(_relocate(p, located) for p in result.problems), base=scenario
    )


def _relocate(problem: EditProblem, located: Mapping[str, _Rows]) -> EditProblem:
    """A problem of the combined tables told in terms of the two shown tables."""
    rows = located.get(problem.table)
    if rows is None or problem.row is None or problem.row not in rows.origin:
        return problem
    table, n, renames = rows.origin[problem.row]

    def row_ref(value: Any) -> Any:
        """A row of the combined tables (an ``edit_row`` parameter) as a shown table's row."""
        if not (isinstance(value, Message) and value.code == "edit_row"):
            return value
        found = rows.origin.get(value.params["row"])
        if found is None:
            return value
        if found[0] == table:
            return Message("edit_row", row=found[1])
        return Message("edit_table_row", table=found[0], row=found[1])

    message = problem.message
    message = Message(message.code, **{k: row_ref(v) for k, v in message.params.items()})
    column = renames.get(problem.column, problem.column)
    return EditProblem(table, n, column, message, problem.allowed, problem.subject)
