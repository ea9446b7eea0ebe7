"""Downloads of the export page: invites, plan CSV/Excel and the week's scenario file.

Role rules (see :mod:`matcher.storage.round_state`): a provider gets only the invites of its own
consultants and only the visits of its consultants in the plan files; location contacts'
invites, unassigned requests and the scenario file are for the ketenregisseur. A
confidential address is never written in any of these files (the invites and the CSV
rows leave it out by construction, see :mod:`matcher.export.invites` and
:mod:`matcher.export.csv`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from matcher.explain.nl import reasons_nl
from matcher.explain.plan_views import roles_text
from matcher.export.csv import plan_csv_text, plan_to_rows
from matcher.export.invites import Organizer, build_invites, safe_stem
from matcher.messages.nl import nl_day, status_text, urgency_label
from matcher.scenario.domain import Plan, Scenario
from matcher.scenario.writer import dump_scenario, overrides_csv
from matcher.storage.round_state import PLANNER, consultants_in_scope, plan_in_scope

__all__ = [
    "export_stem",
    "invite_files",
    "plan_csv_bytes",
    "plan_excel_bytes",
    "recipient_files",
    "scenario_file",
    "zip_bytes",
]

EXCEL_HEADERS: dict[str, str] = {
    "date": "Datum",
    "iso_week": "Week",
    "start": "Begin",
    "end": "Eind",
    "request": "Aanvraag",
    "case_code": "Casuscode",
    "location": "Locatie",
    "gemeente": "Gemeente (verantwoordelijk)",
    "consultants": "Consultants",
    "providers": "Organisaties",
    "address": "Adres",
    "duration_minutes": "Duur (min)",
    "joint": "Gezamenlijk",
    "location_id": "Locatie-id",
    "location_kind": "Soort locatie",
    "location_gemeente": "Gemeente locatie",
    "consultant_ids": "Consultant-ids",
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_stem(scenario: Scenario) -> str:
    """A file-name stem for the week, e.g. ``limburg-week-49``."""
    return re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-") or "planning"


def _file_owner(name: str) -> str:
    """The recipient stem a file of :func:`matcher.export.invites.build_invites` belongs to."""
    if name.startswith("visits/"):
        return name.split("/")[1]
    stem = name.rsplit("/", 1)[-1].removesuffix(".ics")
    return stem.removesuffix("-cancel")


def invite_files(
    scenario: Scenario,
    plan: Plan,
    role: str = PLANNER,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """The invite files a role may download (path -> iCalendar text).

    Cancellations are computed against ``previous`` (the plan last exported). A provider
    gets only its consultants' files.
    """
    files = build_invites(scenario, plan, previous=previous, organizer=organizer, now=now)
    if role == PLANNER:
        return files
    mine = {safe_stem(c.id) for c in consultants_in_scope(scenario, role)}
    return {name: text for name, text in files.items() if _file_owner(name) in mine}


def recipient_files(files: Mapping[str, str]) -> dict[str, list[str]]:
    """Top-level files per recipient stem (``C-1`` -> ``["C-1.ics", "C-1-cancel.ics"]``)."""
    out: dict[str, list[str]] = {}
    for name in sorted(files):
        if "/" in name:
            continue
        out.setdefault(_file_owner(name), []).append(name)
    return out


def zip_bytes(files: Mapping[str, str]) -> bytes:
    """A deterministic zip of text files (sorted names, fixed time stamps)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name].encode("utf-8"))
    return buf.getvalue()


def plan_csv_bytes(scenario: Scenario, plan: Plan, role: str = PLANNER) -> bytes:
    """The plan CSV (UTF-8 with BOM) a role may download.

    The ketenregisseur gets the internal columns, a provider the third-party columns of
    its own visits.
    """
    scoped = plan_in_scope(scenario, plan, role)
    text = plan_csv_text(scenario, scoped, for_third_parties=role != PLANNER)
    return text.encode("utf-8-sig")


EXCEL_MAX_TEXT = 32_767
"""Most characters an Excel cell holds."""


def excel_value(value: object) -> object:
    """A value Excel can hold: characters it cannot store (control characters such as ESC)
    become U+FFFD, and text is cut at :data:`EXCEL_MAX_TEXT` characters."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:EXCEL_MAX_TEXT]


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(title)
    ws.append([excel_value(v) for v in header])
    for row in rows:
        ws.append([excel_value(v) for v in row])
    for cells in ws.iter_rows(min_row=2):
        for c in cells:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # text, never a formula
    for i, name in enumerate(header, start=1):
        width = max([len(str(name)), *(len(str(r[i - 1])) for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    ws.freeze_panes = "A2"


def plan_excel_bytes(scenario: Scenario, plan: Plan, role: str = PLANNER) -> bytes:
    """The plan as an Excel workbook: visits, unassigned requests (ketenregisseur only)
    and a summary."""
    scoped = plan_in_scope(scenario, plan, role)
    rows = plan_to_rows(scenario, scoped, for_third_parties=role != PLANNER)
    keys = list(rows[0]) if rows else [k for k in EXCEL_HEADERS if k in ("date", "request")]
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    _sheet(
        wb,
        "Bezoeken",
        [EXCEL_HEADERS.get(k, k) for k in keys],
        [[r.get(k, "") for k in keys] for r in rows],
    )
    if role == PLANNER:
        unassigned: list[list[object]] = []
        for u in plan.unassigned:
            try:
                req = scenario.request(u.request)
                youth = scenario.youth(req.youth)
                unassigned.append(
                    [
                        u.request,
                        youth.id,
                        urgency_label(youth.urgency),
                        roles_text(req.roles),
                        "; ".join(reasons_nl(u.reasons)),
                    ]
                )
            except KeyError:
                unassigned.append([u.request, "", "", "", "; ".join(reasons_nl(u.reasons))])
        _sheet(
            wb,
            "Niet ingepland",
            ["Aanvraag", "Casuscode", "Urgentie", "Rollen", "Redenen"],
            unassigned,
        )
    summary: list[list[object]] = [
        ["Week", scenario.name],
        ["Dagen", ", ".join(nl_day(d) for d in scenario.days)],
        ["Bezoeken", len(scoped.visits)],
        ["Reistijd (min)", plan.kpis.get("travel_minutes", "") if role == PLANNER else ""],
        ["Status", status_text(plan.solver.status)],
    ]
    if role == PLANNER:
        summary += [
            ["Niet ingepland", len(plan.unassigned)],
            [
                "Score (doelfunctie; lager is beter)",
                plan.solver.objective if plan.solver.objective is not None else "",
            ],
        ]
    _sheet(wb, "Samenvatting", ["Onderdeel", "Waarde"], summary)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def scenario_file(scenario: Scenario) -> tuple[str, bytes, str]:
    """The week's scenario file: ``(file name, content, MIME type)``.

    YAML per FORMAT.md; with travel overrides a zip of the YAML and its ``travel.csv``.
    """
    stem = export_stem(scenario)
    if not scenario.travel.overrides:
        text = dump_scenario(scenario, header=f"{scenario.name} (export uit de planningsapp)")
        return f"{stem}.yaml", text.encode("utf-8"), "application/x-yaml"
    matrix = f"{stem}.travel.csv"
    text = dump_scenario(scenario, matrix_file=matrix)
    data = zip_bytes({f"{stem}.yaml": text, matrix: overrides_csv(scenario)})
    return f"{stem}.zip", data, "application/zip"
