"""Importing requests, youths or locations from a CSV or Excel sheet, with row-level errors.

A sheet has a header row and one entity per row. Column names may be the app's Dutch
names (``Duur (min)``, ``Gesignaleerd op``) or the format's keys (``duration_minutes``,
``signalled_on``), in any case; unknown columns are reported, not silently dropped. The
kind of sheet (requests, youths or locations) is recognised from its columns.

Rows whose id exists in the round replace that entity; other rows are added. The merged
scenario is validated by the loader's validator, and every problem names the sheet row
(the header is row 1, as in a spreadsheet program) and column. Nothing is saved unless the
whole sheet is valid (:func:`matcher.scenario.edit.save_edit`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import pandas as pd

from matcher.messages import Message
from matcher.scenario.domain import Scenario
from matcher.scenario.edit import (
    LOCATION_COLUMNS,
    REQUEST_COLUMNS,
    YOUTH_COLUMNS,
    EditProblem,
    EditResult,
    apply_locations,
    apply_requests,
    apply_youths,
    cell,
    locations_frame,
    parse_roles,
    requests_frame,
    youths_frame,
)

__all__ = [
    "SHEET_KINDS",
    "SheetError",
    "SheetImport",
    "detect_kind",
    "import_sheet",
    "normalise_columns",
    "read_sheet",
    "template_csv",
]

SHEET = "Blad"
SHEET_KINDS: dict[str, str] = {
    "requests": "aanvragen",
    "youths": "jongeren",
    "locations": "locaties",
}

_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "requests": {
        "Id": ("id", "aanvraag", "request", "aanvraag id"),
        "Jongere": ("jongere", "youth", "casuscode", "case code"),
        "Rollen": ("rollen", "roles", "rol", "skills", "vaardigheden"),
        "Duur (min)": ("duur (min)", "duur", "duration_minutes", "duration", "minuten"),
        "Vanaf": ("vanaf", "earliest", "van datum"),
        "Tot en met": ("tot en met", "t/m", "latest", "tot datum"),
        "Tijd van": ("tijd van", "time_of_day.start", "time_start", "tijd start"),
        "Tijd tot": ("tijd tot", "time_of_day.end", "time_end", "tijd eind"),
    },
    "youths": {
        "Casuscode": ("casuscode", "id", "youth", "jongere", "case code"),
        "Locatie": ("locatie", "location", "plaatsing"),
        "Gemeente": ("gemeente", "verantwoordelijke gemeente"),
        "Gesignaleerd op": ("gesignaleerd op", "signalled_on", "signalering", "gesignaleerd"),
        "Urgentie": ("urgentie", "urgency"),
        "Vorige consultant": ("vorige consultant", "previous_consultant"),
        "Uitgesloten consultants": (
            "uitgesloten consultants",
            "uitgesloten",
            "excluded_consultants",
        ),
    },
    "locations": {
        "Id": ("id", "locatie", "location"),
        "Naam": ("naam", "name"),
        "Soort": ("soort", "kind", "type"),
        "Gemeente": ("gemeente",),
        "Breedtegraad": ("breedtegraad", "lat", "latitude"),
        "Lengtegraad": ("lengtegraad", "lon", "lng", "longitude"),
        "Adres": ("adres", "address"),
        "Vertrouwelijk": ("vertrouwelijk", "confidential"),
        "Contactpersoon": ("contactpersoon", "contact_name", "contact.name", "contact"),
        "Contact e-mail": ("contact e-mail", "contact_email", "contact.email", "e-mail"),
    },
}
# Columns that only one kind has (used to recognise the sheet).
_MARKERS: dict[str, tuple[str, ...]] = {
    "requests": ("Duur (min)", "Rollen", "Vanaf", "Tot en met"),
    "youths": ("Gesignaleerd op", "Urgentie", "Vorige consultant", "Uitgesloten consultants"),
    "locations": ("Soort", "Breedtegraad", "Lengtegraad", "Adres", "Vertrouwelijk"),
}


class SheetError(ValueError):
    """The file cannot be read as a sheet (wrong type, unreadable, no header).

    ``message`` says why (a message code); ``str()`` is its English text, the app shows
    ``message.render("nl")``.
    """

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.render("en"))


@dataclass(frozen=True)
class SheetImport:
    """The outcome of importing a sheet.

    Attributes
    ----------
    kind
        ``requests``, ``youths`` or ``locations`` (``None`` when not recognised).
    rows
        Data rows read.
    added, updated
        Ids that are new to the round / replace an existing entity.
    result
        The validated edit to save (see :func:`matcher.scenario.edit.save_edit`).
    problems
        Every problem, with the sheet row (header = row 1) and column.
    """

    kind: str | None
    rows: int
    added: tuple[str, ...]
    updated: tuple[str, ...]
    result: EditResult | None
    problems: tuple[EditProblem, ...]

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok and not self.problems


def _norm(name: object) -> str:
    return re.sub(r"\s+", " ", str(name).strip().lower().replace("_", "_"))


def read_sheet(data: bytes, filename: str) -> pd.DataFrame:
    """Read a CSV (comma or semicolon separated, UTF-8) or Excel (``.xlsx``) sheet.

    All cells are read as they are written (text for CSV, cell values for Excel); empty
    cells become ``None``.

    Raises
    ------
    SheetError
        An unsupported file type, or a file that cannot be read.
    """
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            text = data.decode("utf-8-sig")
            try:
                dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", ",;\t")
                sep = dialect.delimiter
            except csv.Error:
                sep = ","
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True
            )
        else:
            raise SheetError(
                Message("sheet_type_not_supported", file=filename, suffix=suffix or "(-)")
            )
    except SheetError:
        raise
    except UnicodeDecodeError:
        raise SheetError(Message("sheet_not_utf8", file=filename)) from None
    except Exception as exc:  # pandas/openpyxl raise many types for broken files
        raise SheetError(  # the library's reason is English, kept for the log
            Message("sheet_unreadable", file=filename, reason=type(exc).__name__)
        ) from None
    frame = frame.dropna(how="all")
    frame = frame.loc[:, [not str(c).startswith("Unnamed:") for c in frame.columns]]
    return frame.astype(object).where(pd.notna(frame), None)


def normalise_columns(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[str]]:
    """Rename the sheet's columns to the app's names; return the frame and unknown columns."""
    lookup = {alias: target for target, aliases in _ALIASES[kind].items() for alias in aliases}
    for target in _ALIASES[kind]:
        lookup.setdefault(_norm(target), target)
    renamed: dict[str, str] = {}
    unknown: list[str] = []
    for column in frame.columns:
        found = lookup.get(_norm(column))
        if found is None or found in renamed.values():
            unknown.append(str(column))
        else:
            renamed[str(column)] = found
    return frame.rename(columns=renamed)[list(renamed.values())], unknown


def detect_kind(frame: pd.DataFrame) -> str | None:
    """``requests``, ``youths`` or ``locations``, from the columns; ``None`` when unclear."""
    scores = {}
    for kind in _ALIASES:
        renamed, _ = normalise_columns(frame, kind)
        scores[kind] = sum(1 for m in _MARKERS[kind] if m in renamed.columns)
    best = max(scores.values())
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _current(scenario: Scenario, kind: str) -> tuple[pd.DataFrame, str]:
    if kind == "requests":
        return requests_frame(scenario), "Id"
    if kind == "youths":
        return youths_frame(scenario), "Casuscode"
    return locations_frame(scenario), "Id"


def import_sheet(scenario: Scenario, frame: pd.DataFrame, kind: str | None = None) -> SheetImport:
    """Merge a sheet into the scenario and validate the result.

    Parameters
    ----------
    frame
        The sheet as read by :func:`read_sheet`.
    kind
        The kind of rows; recognised from the columns when ``None``.
    """
    kind = kind or detect_kind(frame)
    if kind is None:
        return SheetImport(
            None,
            len(frame),
            (),
            (),
            None,
            (
                EditProblem(
                    SHEET, 1, "", Message("sheet_kind_unknown"), Message("allow_sheet_header")
                ),
            ),
        )
    sheet, unknown = normalise_columns(frame, kind)
    header_problems = [
        EditProblem(
            SHEET,
            1,
            column,
            Message("sheet_unknown_column", column=repr(column)),
            Message("allow_one_of", choices=list(_ALIASES[kind])),
        )
        for column in unknown
    ]
    if header_problems:
        return SheetImport(kind, len(sheet), (), (), None, tuple(header_problems))
    current, id_column = _current(scenario, kind)
    columns = {
        "requests": list(REQUEST_COLUMNS.values()),
        "youths": list(YOUTH_COLUMNS.values()),
        "locations": list(LOCATION_COLUMNS.values()),
    }[kind]
    existing = {str(r[id_column]): dict(r) for r in current.to_dict(orient="records")}
    order = list(existing)
    labels: dict[str, tuple[str, int]] = {key: (SHEET, 0) for key in order}
    added: list[str] = []
    updated: list[str] = []
    extra_rows: list[tuple[dict[str, Any], tuple[str, int]]] = []
    for n, row in enumerate(sheet.to_dict(orient="records"), start=2):
        values: Mapping[str, Any] = {k: cell(v) for k, v in row.items()}
        ident = values.get(id_column)
        key = str(ident) if ident is not None else None
        if key is not None and key in existing:
            merged = dict(existing[key])
            if kind == "requests":  # pins stay; urgency is a youth's
                merged = {**merged, "Vastgezet": existing[key].get("Vastgezet")}
            merged.update({k: v for k, v in values.items() if k in merged})
            existing[key] = merged
            labels[key] = (SHEET, n)
            updated.append(key)
        else:
            if key is not None:
                added.append(key)
            extra_rows.append(({c: values.get(c) for c in columns}, (SHEET, n)))
    rows = [existing[k] for k in order] + [r for r, _ in extra_rows]
    row_labels = [labels[k] for k in order] + [lab for _, lab in extra_rows]
    merged_frame = pd.DataFrame(rows, columns=columns)
    apply = {"requests": apply_requests, "youths": apply_youths, "locations": apply_locations}
    result = apply[kind](scenario, merged_frame, row_labels)
    problems = list(result.problems)
    if kind == "requests":
        skill_problems = _unknown_skills(scenario, rows, row_labels)
        problems += skill_problems
        if skill_problems:
            result = EditResult(None, tuple(problems), base=result.base)
    return SheetImport(kind, len(sheet), tuple(added), tuple(updated), result, tuple(problems))


def _unknown_skills(
    scenario: Scenario, rows: list[dict[str, Any]], labels: list[tuple[str, int]]
) -> list[EditProblem]:
    """A problem per sheet row that asks for a skill no consultant has.

    Such a request could never be planned; the problem lists the skills that exist."""
    known = sorted({s for c in scenario.consultants for s in c.skills})
    problems: list[EditProblem] = []
    for row, (where, number) in zip(rows, labels, strict=True):
        if number < 2:  # a row of the round, not of the sheet
            continue
        asked = [s for role in parse_roles(row.get("Rollen")) for s in role]
        unknown = sorted({s for s in asked if s not in known})
        if unknown:
            problems.append(
                EditProblem(
                    where,
                    number,
                    "Rollen",
                    Message("sheet_unknown_skill", skills=[repr(s) for s in unknown]),
                    Message("allow_one_of", choices=known)
                    if known
                    else Message("allow_no_skills_known"),
                    str(row.get("Id") or ""),
                )
            )
    return problems


_TEMPLATES: dict[str, list[list[str]]] = {
    "requests": [
        ["Id", "Jongere", "Rollen", "Duur (min)", "Vanaf", "Tot en met", "Tijd van", "Tijd tot"],
        [
            "R-900",
            "Y-2026-0522",
            "loverboy-trauma, vrouw",
            "60",
            "2026-11-30",
            "2026-12-04",
            "",
            "",
        ],
        ["R-901", "Y-2026-0533", "emdr | lvb", "90", "", "", "13:00", "17:00"],
    ],
    "youths": [
        [
            "Casuscode",
            "Locatie",
            "Gemeente",
            "Gesignaleerd op",
            "Urgentie",
            "Vorige consultant",
            "Uitgesloten consultants",
        ],
        ["Y-2026-9001", "L-BG-001", "Maastricht", "2026-11-20", "hoog", "", ""],
    ],
    "locations": [
        [
            "Id",
            "Naam",
            "Soort",
            "Gemeente",
            "Breedtegraad",
            "Lengtegraad",
            "Adres",
            "Vertrouwelijk",
            "Contactpersoon",
            "Contact e-mail",
        ],
        [
            "L-NEW-001",
            "Gezinshuis De Linde",
            "gezinshuis",
            "Venlo",
            "51.37",
            "6.17",
            "",
            "ja",
            "",
            "",
        ],
    ],
}


def template_csv(kind: str) -> str:
    """A CSV template (header plus example rows) for a sheet of ``kind``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(_TEMPLATES[kind])
    return buf.getvalue()
