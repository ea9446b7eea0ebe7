"""CSV export of a plan, e.g. for municipalities (billing) and providers.

One row per visit, in date and start order. The address column is filled only for a
location with ``confidential: false``; a confidential address never appears, in either
variant. Youths appear by case code only.

Columns (third parties): ``date, iso_week, start, end, request, case_code, location,
gemeente, consultants, providers, address``; ``gemeente`` is the youth's *responsible*
municipality (who pays). The internal variant (``for_third_parties=False``) adds
``duration_minutes, joint, location_id, location_kind, location_gemeente,
consultant_ids``.

The file is UTF-8 with a byte-order mark (so Excel shows "ë" right), comma-separated.
Cells that a spreadsheet would read as a formula (starting with ``= + - @``, also after
leading spaces or line breaks, or starting with a tab, CR or LF) are prefixed with an
apostrophe (CSV injection); the rows returned by :func:`plan_to_rows` are the raw values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from matcher.scenario.domain import Location, Plan, Scenario, Visit, format_time

THIRD_PARTY_COLUMNS: tuple[str, ...] = (
    "date",
    "iso_week",
    "start",
    "end",
    "request",
    "case_code",
    "location",
    "gemeente",
    "consultants",
    "providers",
    "address",
)
INTERNAL_COLUMNS: tuple[str, ...] = (
    *THIRD_PARTY_COLUMNS,
    "duration_minutes",
    "joint",
    "location_id",
    "location_kind",
    "location_gemeente",
    "consultant_ids",
)
_FORMULA_START = ("=", "+", "-", "@")
_LEADING_BLANKS = " \t\r\n"


class CsvExportError(ValueError):
    """The plan names requests, consultants or locations the scenario does not know."""


def public_address(location: Location) -> str:
    """The address to show others: empty for a confidential location (or none known)."""
    if location.confidential or not location.address:
        return ""
    return location.address


def _location(scenario: Scenario, visit: Visit) -> Location:
    try:
        if visit.location:
            return scenario.location(visit.location)
        return scenario.location_of(scenario.request(visit.request))
    except KeyError as exc:
        raise CsvExportError(
            f"visit of {visit.request!r}: location {visit.location!r} is not in the scenario"
        ) from exc


def plan_to_rows(
    scenario: Scenario, plan: Plan, *, for_third_parties: bool = True
) -> list[dict[str, str | int]]:
    """One dict per visit (date/start order), keys as in the module notes.

    Raises
    ------
    CsvExportError
        When a visit names an unknown request, youth, consultant or location.
    """
    rows: list[dict[str, str | int]] = []
    for v in sorted(plan.visits, key=lambda v: (v.date, v.start, v.end, v.request)):
        try:
            request = scenario.request(v.request)
            youth = scenario.youth(request.youth)
            consultants = [scenario.consultant(c) for c in v.consultants]
        except KeyError as exc:
            raise CsvExportError(f"visit of {v.request!r}: unknown id {exc}") from exc
        location = _location(scenario, v)
        providers: list[str] = []
        for c in consultants:
            try:
                name = scenario.provider(c.provider).name
            except KeyError:
                name = c.provider
            if name not in providers:
                providers.append(name)
        year, week, _ = v.date.isocalendar()
        row: dict[str, str | int] = {
            "date": v.date.isoformat(),
            "iso_week": f"{year}-W{week:02d}",
            "start": format_time(v.start),
            "end": format_time(v.end),
            "request": request.id,
            "case_code": youth.id,
            "location": location.name,
            "gemeente": youth.gemeente,
            "consultants": "; ".join(c.name for c in consultants),
            "providers": "; ".join(providers),
            "address": public_address(location),
        }
        if not for_third_parties:
            row.update(
                {
                    "duration_minutes": v.end - v.start,
                    "joint": "ja" if len(v.consultants) > 1 else "nee",
                    "location_id": location.id,
                    "location_kind": location.kind,
                    "location_gemeente": location.gemeente,
                    "consultant_ids": "; ".join(v.consultants),
                }
            )
        rows.append(row)
    return rows


def formula_safe(value: str | int) -> str:
    """The cell text, with an apostrophe first when a spreadsheet could run it as a formula."""
    text = str(value)
    if text[:1] in ("\t", "\r", "\n") or text.lstrip(_LEADING_BLANKS).startswith(_FORMULA_START):
        return "'" + text
    return text


def plan_csv_text(scenario: Scenario, plan: Plan, *, for_third_parties: bool = True) -> str:
    """The CSV document as text (header + rows, CRLF line ends, formula-safe cells)."""
    columns = THIRD_PARTY_COLUMNS if for_third_parties else INTERNAL_COLUMNS
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in plan_to_rows(scenario, plan, for_third_parties=for_third_parties):
        writer.writerow([formula_safe(row[c]) for c in columns])
    return buf.getvalue()


def write_plan_csv(
    scenario: Scenario, plan: Plan, path: Path | str, *, for_third_parties: bool = True
) -> Path:
    """Write the CSV (UTF-8 with BOM) to ``path`` and return it."""
    p = Path(path)
    text = plan_csv_text(scenario, plan, for_third_parties=for_third_parties)
    p.write_bytes(text.encode("utf-8-sig"))
    return p
