"""The what-if comparison (:mod:`matcher.policy.whatif`) as rows, an Excel workbook and a PDF
report.

Nothing here names a youth, a staff member or an address: only totals, gemeenten and the
centre's chosen coordinates (a hypothetical site, not a care location).

* :func:`summary_rows`: the side-by-side figures with Dutch labels (also used by the app);
* :func:`gemeente_table`: one row per gemeente with the yearly amounts in cents;
* :func:`whatif_excel_bytes`: sheets ``Vergelijking``, ``Per gemeente`` and
  ``Uitgangspunten`` with Dutch headers, numbers stored as numbers (euro format
  ``"€ "#,##0.00`` as in :mod:`matcher.policy.cost_export`);
* :func:`whatif_pdf_bytes`: an A4 report of three pages (the figures, the table per gemeente,
  a bar chart per gemeente), drawn with matplotlib figures (no pyplot, so no global figure
  state shared by the app's threads) in the PDF core font Helvetica (no font is embedded or
  fetched).
"""

from __future__ import annotations

import io
import logging
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from matcher.policy.cost_export import EURO_FORMAT, nl_euro, nl_number
from matcher.policy.whatif import Comparison, GemeenteRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CONTRIBUTION_NL",
    "GEMEENTE_HEADER",
    "SummaryRow",
    "gemeente_table",
    "summary_rows",
    "whatif_excel_bytes",
    "whatif_pdf_bytes",
]

CONTRIBUTION_NL = {"population": "naar inwonertal", "equal": "in gelijke delen"}
GEMEENTE_HEADER = [
    "Gemeente",
    "Inwoners",
    "Ter plekke (per gebruik)",
    "Centraal: vaste bijdrage",
    "Centraal: consulten",
    "Centraal totaal",
    "Verschil",
]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One figure of both options; ``kind`` says how to show it."""

    label: str
    onsite: float | int
    central: float | int
    kind: str
    """``int``, ``hours``, ``km``, ``days`` (one decimal) or ``cents``."""

    def text(self, value: float | int) -> str:
        """The value in Dutch notation."""
        if self.kind == "cents":
            return nl_euro(int(value))
        if self.kind == "int":
            return nl_number(value, 0)
        return nl_number(value, 1)


def summary_rows(c: Comparison) -> list[SummaryRow]:
    """The side-by-side figures, in the order of the report."""
    on, cen = c.onsite, c.central
    rows = c.rows
    return [
        SummaryRow("Aanvragen", on.requests, cen.requests, "int"),
        SummaryRow("Geplande bezoeken", on.visits, cen.visits, "int"),
        SummaryRow("Niet ingepland", on.unplanned, cen.unplanned, "int"),
        SummaryRow("Reisuren consulenten", on.travel_hours, cen.travel_hours, "hours"),
        SummaryRow("Gereden km", on.km, cen.km, "km"),
        SummaryRow("Wachtdagen (som)", on.waiting_days, cen.waiting_days, "int"),
        SummaryRow("Wachtdagen (gemiddeld)", on.mean_waiting_days, cen.mean_waiting_days, "days"),
        SummaryRow("Jongeren die moeten verhuizen", on.moved, cen.moved, "int"),
        SummaryRow(
            "Meeste slachtoffers op één adres", on.max_at_address, cen.max_at_address, "int"
        ),
        SummaryRow(
            "Kosten per jaar, alle gemeenten",
            sum(r.onsite_cents for r in rows),
            sum(r.central_cents for r in rows),
            "cents",
        ),
    ]


def gemeente_table(c: Comparison) -> list[list[object]]:
    """Rows of :data:`GEMEENTE_HEADER` (cents as ints) with a total row last."""
    out: list[list[object]] = []
    for r in c.rows:
        out.append(_row(r))
    out.append(
        [
            "Totaal",
            sum(r.inwoners for r in c.rows),
            sum(r.onsite_cents for r in c.rows),
            sum(r.contribution_cents for r in c.rows),
            sum(r.central_use_cents for r in c.rows),
            sum(r.central_cents for r in c.rows),
            sum(r.difference_cents for r in c.rows),
        ]
    )
    return out


def _row(r: GemeenteRow) -> list[object]:
    return [
        r.gemeente,
        r.inwoners,
        r.onsite_cents,
        r.contribution_cents,
        r.central_use_cents,
        r.central_cents,
        r.difference_cents,
    ]


def assumptions(c: Comparison) -> list[tuple[str, str]]:
    """What the comparison assumed, as ``(label, value)`` in Dutch."""
    weeks = ", ".join(c.week_names)
    return [
        ("Centrum", c.centre.name),
        ("Gemeente van het centrum", c.centre.gemeente),
        ("Coördinaten (WGS84)", f"{c.centre.lat:.4f}, {c.centre.lon:.4f}"),
        ("Jaarbudget centrum", nl_euro(c.centre_cost_cents)),
        ("Vaste bijdrage verdeeld", CONTRIBUTION_NL[c.contribution]),
        ("Aantal weken", str(c.weeks)),
        ("Weken", weeks),
        (
            "Per jaar",
            "kosten per gebruik van de weken x 52 / aantal weken (afgerond op centen)",
        ),
        (
            "Ter plekke",
            "de consulenten bezoeken de jongere op de plek waar die nu woont (planning als nu)",
        ),
        (
            "Centraal",
            "elke jongere woont in het centrum (residentieel, vertrouwelijk adres, altijd "
            "open) en wordt daar bezocht; de gemeenten betalen samen het jaarbudget",
        ),
        (
            "Eén adres",
            "het grootste aantal jongeren met een aanvraag in dezelfde week op hetzelfde adres",
        ),
        (
            "Km",
            "hemelsbrede afstand (haversine) x omrijfactor per rit, zoals bij Kosten",
        ),
    ]


# Excel -----------------------------------------------------------------------------------------


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([("'" + v if v[:1] in "=+-@" else v) if isinstance(v, str) else v for v in row])
    for i, name in enumerate(header, start=1):
        width = max([len(name), *(len(str(r[i - 1])) for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(70, width + 3)
    ws.freeze_panes = "A2"


def whatif_excel_bytes(c: Comparison) -> bytes:
    """The comparison as an Excel workbook (see the module notes)."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    summary = summary_rows(c)
    _sheet(
        wb,
        "Vergelijking",
        ["Maatstaf", "Ter plekke", "Centraal"],
        [
            [
                s.label,
                *(v / 100 if s.kind == "cents" else v for v in (s.onsite, s.central)),
            ]
            for s in summary
        ],
    )
    ws = wb["Vergelijking"]
    for i, s in enumerate(summary, start=2):
        fmt = {"cents": EURO_FORMAT, "int": "#,##0"}.get(s.kind, "#,##0.0")
        for col in (2, 3):
            ws.cell(row=i, column=col).number_format = fmt
    table = gemeente_table(c)
    _sheet(
        wb,
        "Per gemeente",
        GEMEENTE_HEADER,
        [[r[0], r[1], *(int(str(v)) / 100 for v in r[2:])] for r in table],
    )
    ws = wb["Per gemeente"]
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "#,##0"
        for cell in row[2:]:
            cell.number_format = EURO_FORMAT
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    _sheet(wb, "Uitgangspunten", ["Uitgangspunt", "Waarde"], [list(a) for a in assumptions(c)])
    if c.warnings:
        _sheet(wb, "Waarschuwingen", ["Waarschuwing"], [[w] for w in c.warnings])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# PDF -------------------------------------------------------------------------------------------

A4 = (8.27, 11.69)


def whatif_pdf_bytes(c: Comparison) -> bytes:
    """The comparison as a three-page A4 PDF (figures, table per gemeente, bar chart)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    style: dict[str, Any] = {
        "pdf.use14corefonts": True,
        "font.family": "sans-serif",
        "font.sans-serif": ["Helvetica"],
        "axes.unicode_minus": False,
        "pdf.compression": 6,
    }
    buf = io.BytesIO()
    with (
        matplotlib.rc_context(style),  # type: ignore[arg-type]
        PdfPages(buf, metadata={"Title": "Wat als: centrale opvang"}) as pdf,
    ):
        for page in (_figures_page, _gemeente_table_page, _bar_chart_page):
            pdf.savefig(page(c))
    return buf.getvalue()


def _figures_page(c: Comparison) -> Figure:
    """Page 1: the figures side by side, and the assumptions."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.08, 0.94, "Wat als: expertise ter plekke of centrale opvang", size=16, weight="bold")
    fig.text(
        0.08,
        0.91,
        f"{c.weeks} week/weken, centrum: {c.centre.name} ({c.centre.gemeente}), "
        f"bijdrage {CONTRIBUTION_NL[c.contribution]}",
        size=9,
    )
    ax = fig.add_axes((0.08, 0.52, 0.84, 0.36))
    ax.axis("off")
    summary = summary_rows(c)
    t = ax.table(
        cellText=[[s.label, s.text(s.onsite), s.text(s.central)] for s in summary],
        colLabels=["Maatstaf", "Ter plekke", "Centraal"],
        colWidths=[0.44, 0.28, 0.28],
        loc="upper left",
    )
    t.auto_set_font_size(False)
    t.set_fontsize(9)
    t.scale(1, 1.5)
    y = 0.46
    for label, value in assumptions(c):
        fig.text(0.08, y, f"{label}:", size=8, weight="bold")
        for part in textwrap.wrap(value, 80) or [""]:
            fig.text(0.36, y, part, size=8)
            y -= 0.018
        y -= 0.008
    return fig


def _gemeente_table_page(c: Comparison) -> Figure:
    """Page 2: the table per gemeente."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.05, 0.95, "Kosten per gemeente per jaar", size=14, weight="bold")
    ax = fig.add_axes((0.03, 0.04, 0.94, 0.88))
    ax.axis("off")
    table = gemeente_table(c)
    cells = [
        [str(r[0]), nl_number(float(str(r[1])), 0), *(nl_euro(int(str(v))) for v in r[2:])]
        for r in table
    ]
    header = [
        "Gemeente",
        "Inwoners",
        "Ter plekke",
        "Bijdrage",
        "Consulten",
        "Centraal",
        "Verschil",
    ]
    t = ax.table(cellText=cells, colLabels=header, loc="upper center")
    t.auto_set_font_size(False)
    t.set_fontsize(6.5)
    t.scale(1, 1.1)
    return fig


def _bar_chart_page(c: Comparison) -> Figure:
    """Page 3: a bar chart per gemeente, both options."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.05, 0.95, "Kosten per gemeente per jaar (euro)", size=14, weight="bold")
    ax = fig.add_axes((0.3, 0.06, 0.65, 0.86))
    names = [r.gemeente for r in c.rows]
    pos = list(range(len(names)))
    ax.barh(
        [p - 0.2 for p in pos],
        [r.onsite_cents / 100 for r in c.rows],
        0.4,
        label="Ter plekke (per gebruik)",
    )
    ax.barh(
        [p + 0.2 for p in pos],
        [r.central_cents / 100 for r in c.rows],
        0.4,
        label="Centraal (bijdrage + consulten)",
    )
    ax.set_yticks(pos, names, fontsize=7)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_formatter(lambda x, _pos: nl_number(x, 0))
    ax.legend(fontsize=8, loc="lower right")
    return fig
