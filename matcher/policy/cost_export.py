"""Cost reports as rows, CSV and Excel, with Dutch number formatting for people.

Built from a :class:`~matcher.policy.cost_rounds.CostReport`. Nothing here names a staff member, an
address or a location: a row carries the date, the period, the youth's case code, the
responsible gemeente and the provider (organisation), with consultant hours, km and euros.
So the same files can go to a gemeente (restrict the report to it first).

* :func:`cost_lines`: one row per visit and provider (a joint visit of two providers gives
  two rows), raw integers (cents, metres, consultant minutes). The rows add up exactly to
  the report's total.
* :func:`costs_csv_text`: those rows for machines: English ``snake_case`` headers,
  comma-separated, UTF-8 (with BOM when written as bytes), plain numbers with a **dot**
  decimal and no thousands separator (euros with 2 decimals, km with 3), dates ISO.
* :func:`costs_excel_bytes`: a workbook for people with Dutch headers and numbers stored as
  numbers (formatted ``#,##0.00``, which Excel shows as ``1.234,56`` in a Dutch locale):
  totals per period and gemeente, per organisation, the rows, the rates, and how the
  costs are computed.
* :func:`nl_euro`, :func:`nl_number`: the Dutch notation used in the app (``€ 1.234,56``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from matcher.policy.cost_rounds import CostReport
from matcher.policy.costs import CostTotals, Period, period_key, period_label

__all__ = [
    "CSV_COLUMNS",
    "PERIOD_NAMES",
    "RULE_NL",
    "CostLine",
    "cost_lines",
    "costs_csv_bytes",
    "costs_csv_text",
    "costs_excel_bytes",
    "euros_plain",
    "nl_euro",
    "nl_number",
    "provider_totals",
]

PERIOD_NAMES: dict[str, str] = {
    "week": "week",
    "month": "maand",
    "quarter": "kwartaal",
    "year": "jaar",
}
"""Dutch names of the periods of :data:`matcher.policy.costs.PERIODS`."""

CSV_COLUMNS: tuple[str, ...] = (
    "period",
    "date",
    "iso_week",
    "request",
    "case_code",
    "gemeente",
    "provider_id",
    "provider",
    "consultants",
    "consult_minutes",
    "hours_cost_eur",
    "km",
    "km_cost_eur",
    "total_eur",
)

RULE_NL = (
    "Uren: per consultant de duur van het bezoek maal het uurtarief van de eigen organisatie "
    "(een gezamenlijk bezoek telt per consultant). Kilometers: de hemelsbrede afstand "
    "(haversine) maal de omrijfactor van het scenario, of uit de reistijdtabel: minuten maal "
    "de gemiddelde snelheid. Een rit is de ronde van één consultant binnen één "
    "beschikbaarheidsblok van een dag: standplaats, bezoeken, standplaats. De kilometerkosten "
    "van een rit worden over de bezoeken verdeeld naar verhouding van de afstand heen en terug "
    "tussen de standplaats en elk bezoek; resterende centen gaan naar de grootste resten "
    "(methode-Hamilton). Zo tellen de bezoeken, en dus de gemeenten, precies op tot het "
    "totaal van de planning. Een ontbrekend tarief telt als € 0,00."
)


# Dutch notation -----------------------------------------------------------------------------


def nl_number(value: float, decimals: int = 2) -> str:
    """``1.234,56``: a dot between thousands, a decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def nl_euro(cents: int) -> str:
    """``€ 1.234,56`` (``-€ 3,10`` for a negative amount)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def euros_plain(cents: int) -> str:
    """``1234.56``: euros for machines, exact from the cents."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def _km_plain(metres: int) -> str:
    km, rest = divmod(metres, 1000)
    return f"{km}.{rest:03d}"


# Rows --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostLine:
    """One visit's costs for one provider (raw integers)."""

    period: str
    """Period key, e.g. ``2026-W48``."""
    date: str
    iso_week: str
    request: str
    case_code: str
    gemeente: str
    provider_id: str
    provider: str
    consultants: int
    minutes: int
    """Consultant minutes of this provider."""
    hours_cents: int
    metres: int
    km_cents: int

    @property
    def total_cents(self) -> int:
        return self.hours_cents + self.km_cents


def cost_lines(report: CostReport, by: Period) -> list[CostLine]:
    """One row per visit and provider, in date order; they sum to ``report.total_cents``."""
    out: list[CostLine] = []
    for v in report.visits:
        per: dict[str, list[int]] = {}
        for line in v.lines:
            acc = per.setdefault(line.provider, [0, 0, 0, 0, 0])
            acc[0] += 1
            acc[1] += line.minutes
            acc[2] += line.hours_cents
            acc[3] += line.metres
            acc[4] += line.km_cents
        year, week, _ = v.date.isocalendar()
        for pid, (n, minutes, hours, metres, km) in per.items():
            out.append(
                CostLine(
                    period_key(v.date, by),
                    v.date.isoformat(),
                    f"{year}-W{week:02d}",
                    v.request,
                    v.case_code,
                    v.gemeente,
                    pid,
                    report.provider_name(pid),
                    n,
                    minutes,
                    hours,
                    metres,
                    km,
                )
            )
    return out


def _line_totals(lines: Iterable[CostLine]) -> CostTotals:
    t = CostTotals()
    for line in lines:
        t = t.add(CostTotals(0, line.minutes, line.hours_cents, line.metres, line.km_cents))
    return t


def provider_totals(lines: Iterable[CostLine]) -> dict[tuple[str, str], CostTotals]:
    """Totals per ``(gemeente, provider name)``; ``visits`` counts that provider's visits."""
    groups: dict[tuple[str, str], list[CostLine]] = defaultdict(list)
    for line in lines:
        groups[(line.gemeente, line.provider)].append(line)
    out = {}
    for key, group in sorted(groups.items()):
        t = _line_totals(group)
        out[key] = CostTotals(len(group), t.minutes, t.hours_cents, t.metres, t.km_cents)
    return out


# CSV ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def costs_csv_text(report: CostReport, by: Period) -> str:
    """The rows of :func:`cost_lines` as CSV text (see the module notes for the format)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in cost_lines(report, by):
        writer.writerow(
            [
                line.period,
                line.date,
                line.iso_week,
                _cell(line.request),
                _cell(line.case_code),
                _cell(line.gemeente),
                _cell(line.provider_id),
                _cell(line.provider),
                line.consultants,
                line.minutes,
                euros_plain(line.hours_cents),
                _km_plain(line.metres),
                euros_plain(line.km_cents),
                euros_plain(line.total_cents),
            ]
        )
    return buf.getvalue()


def costs_csv_bytes(report: CostReport, by: Period) -> bytes:
    """:func:`costs_csv_text` as UTF-8 with a byte-order mark."""
    return costs_csv_text(report, by).encode("utf-8-sig")


# Excel -------------------------------------------------------------------------------------

EURO_FORMAT = '"€ "#,##0.00'
HOURS_FORMAT = "#,##0.00"
KM_FORMAT = "#,##0.0"
_TOTALS_HEADER = ["Bezoeken", "Uren", "Uurkosten", "Km", "Reiskosten", "Totaal"]


def _totals_cells(t: CostTotals) -> list[object]:
    return [
        t.visits,
        t.minutes / 60,
        t.hours_cents / 100,
        t.metres / 1000,
        t.km_cents / 100,
        t.total_cents / 100,
    ]


def _sheet(
    wb: Workbook, title: str, header: list[str], rows: list[list[object]], formats: dict[str, str]
) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) if isinstance(v, str) else v for v in row])
    for i, name in enumerate(header, start=1):
        fmt = formats.get(name)
        letter = get_column_letter(i)
        if fmt is not None:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        width = max([len(name), *(len(str(r[i - 1])) for r in rows)]) if rows else len(name)
        ws.column_dimensions[letter].width = min(60, width + 3)
    ws.freeze_panes = "A2"


_FORMATS = {
    "Uren": HOURS_FORMAT,
    "Uurkosten": EURO_FORMAT,
    "Km": KM_FORMAT,
    "Reiskosten": EURO_FORMAT,
    "Totaal": EURO_FORMAT,
    "Uurtarief": EURO_FORMAT,
    "Kilometertarief": '"€ "#,##0.000',
}


def _bold_last_row(wb: Workbook, title: str) -> None:
    ws = wb[title]
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def costs_excel_bytes(report: CostReport, by: Period, title: str = "Kosten") -> bytes:
    """The report as an Excel workbook (see the module notes)."""
    lines = cost_lines(report, by)
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    period_name = PERIOD_NAMES[by].capitalize()
    _gemeente_sheet(wb, report, by, period_name)
    per_provider = [[g, p, *_totals_cells(t)] for (g, p), t in provider_totals(lines).items()]
    _sheet(
        wb, "Per organisatie", ["Gemeente", "Organisatie", *_TOTALS_HEADER], per_provider, _FORMATS
    )
    _visits_sheet(wb, lines, period_name)
    _rates_sheet(wb, report)
    _sheet(wb, "Toelichting", ["Onderdeel", "Waarde"], _notes_rows(report, title), {})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _gemeente_sheet(wb: Workbook, report: CostReport, by: Period, period_name: str) -> None:
    """Sheet "Per gemeente": totals per period and gemeente, and a bold grand total."""
    per_period = [
        [period_label(p), g, *_totals_cells(t)] for (p, g), t in report.by_period(by).items()
    ]
    total = CostTotals()
    for t in report.by_gemeente().values():
        total = total.add(t)
    per_period.append(["Totaal", "", *_totals_cells(total)])
    _sheet(wb, "Per gemeente", [period_name, "Gemeente", *_TOTALS_HEADER], per_period, _FORMATS)
    _bold_last_row(wb, "Per gemeente")


def _visits_sheet(wb: Workbook, lines: list[CostLine], period_name: str) -> None:
    """Sheet "Bezoeken": one row per visit and provider."""
    visit_rows: list[list[object]] = [
        [
            period_label(x.period),
            x.date,
            x.iso_week,
            x.case_code,
            x.gemeente,
            x.provider,
            x.consultants,
            x.minutes / 60,
            x.hours_cents / 100,
            x.metres / 1000,
            x.km_cents / 100,
            x.total_cents / 100,
        ]
        for x in lines
    ]
    _sheet(
        wb,
        "Bezoeken",
        [
            period_name,
            "Datum",
            "ISO-week",
            "Casuscode",
            "Gemeente",
            "Organisatie",
            "Consultants",
            "Uren",
            "Uurkosten",
            "Km",
            "Reiskosten",
            "Totaal",
        ],
        visit_rows,
        _FORMATS,
    )


def _rates_sheet(wb: Workbook, report: CostReport) -> None:
    """Sheet "Tarieven": each round's rates per provider, and which are missing."""
    rate_rows: list[list[object]] = []
    for rc in report.rounds:
        for pid, (hourly, per_km) in sorted(rc.rates.items()):
            missing = [
                n for n, r in (("uurtarief", hourly), ("kilometertarief", per_km)) if r is None
            ]
            rate_rows.append(
                [
                    rc.round.name,
                    rc.provider_names.get(pid, pid),
                    hourly if hourly is not None else "",
                    per_km if per_km is not None else "",
                    f"geen {' en '.join(missing)}: telt als € 0,00" if missing else "",
                ]
            )
    _sheet(
        wb,
        "Tarieven",
        ["Planningsweek", "Organisatie", "Uurtarief", "Kilometertarief", "Opmerking"],
        rate_rows,
        _FORMATS,
    )


def _notes_rows(report: CostReport, title: str) -> list[list[object]]:
    """Rows of sheet "Toelichting": the report's scope, its plans and the cost rule."""
    notes: list[list[object]] = [["Rapport", title]]
    if report.gemeente:
        notes.append(["Gemeente", report.gemeente])
    if report.start or report.end:
        span = f"{report.start.isoformat() if report.start else '…'} t/m "
        span += report.end.isoformat() if report.end else "…"
        notes.append(["Periode", span])
    for rc in report.rounds:
        if rc.plan_id is None:
            which = "nog geen planning"
        else:
            which = f"planning #{rc.plan_id} ({'verstuurd' if rc.sent else 'nieuwste'})"
        notes.append(["Planningsweek", f"{rc.round.name}: {which}"])
    notes.append(["Berekening", RULE_NL])
    return notes
