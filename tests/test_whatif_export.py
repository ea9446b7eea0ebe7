"""Excel and PDF of the what-if comparison."""

from __future__ import annotations

import dataclasses
import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from matcher.policy.whatif import Centre, Comparison, compare
from matcher.policy.whatif_export import (
    GEMEENTE_HEADER,
    summary_rows,
    whatif_excel_bytes,
    whatif_pdf_bytes,
)
from matcher.scenario.domain import Scenario

CENTRE = Centre(51.1942, 5.987, "Centrale opvang Roermond", "Roermond")


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    from matcher.scenario.loader import load_scenario
    from tests.conftest import EXAMPLE

    s: Scenario = load_scenario(EXAMPLE)
    s = dataclasses.replace(
        s,
        providers=tuple(
            dataclasses.replace(p, hourly_rate=90.0, km_rate=0.25) for p in s.providers
        ),
    )
    return compare([s], CENTRE, time_limit=2, centre_cost_eur=1_000_000.0)


def _pdf_text(data: bytes) -> bytes:
    """Every content stream, inflated, joined."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return b"\n".join(out)


def test_excel_has_the_figures(comparison: Comparison) -> None:
    wb = load_workbook(io.BytesIO(whatif_excel_bytes(comparison)))
    assert wb.sheetnames[:3] == ["Vergelijking", "Per gemeente", "Uitgangspunten"]
    ws = wb["Vergelijking"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Jongeren die moeten verhuizen"] == (0, 4)
    assert rows["Meeste slachtoffers op één adres"] == (2, 5)
    km = rows["Gereden km"]
    assert km == (comparison.onsite.km, comparison.central.km)
    per = wb["Per gemeente"]
    assert [c.value for c in per[1]] == GEMEENTE_HEADER
    body = list(per.iter_rows(min_row=2, values_only=True))
    assert len(body) == 32 and body[-1][0] == "Totaal"
    # the fixed contributions add up to the budget; euros stored as numbers with the format
    assert sum(r[3] for r in body[:-1]) == pytest.approx(1_000_000.0)
    assert body[-1][3] == pytest.approx(1_000_000.0)
    assert per["D2"].number_format == '"€ "#,##0.00'
    venlo = next(r for r in body if r[0] == "Venlo")
    row = next(r for r in comparison.rows if r.gemeente == "Venlo")
    assert venlo[2] == row.onsite_cents / 100 and venlo[2] > 0
    assumptions = dict(wb["Uitgangspunten"].iter_rows(min_row=2, values_only=True))
    assert assumptions["Vaste bijdrage verdeeld"] == "naar inwonertal"


def test_pdf_opens_with_three_pages_the_figures_and_no_embedded_font(
    comparison: Comparison,
) -> None:
    data = whatif_pdf_bytes(comparison)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 3
    assert b"/FontFile" not in data  # core fonts only, nothing embedded
    assert b"/BaseFont /Helvetica" in data
    text = _pdf_text(data)
    assert b"Wat als: expertise ter plekke of centrale opvang" in text
    assert b"Kosten per gemeente per jaar" in text
    moved = next(s for s in summary_rows(comparison) if s.label.startswith("Jongeren"))
    assert moved.central == 4
    assert b"Jongeren die moeten verhuizen" in text
    assert b"Sittard-Geleen" in text and b"Maastricht" in text


def test_no_case_code_address_or_staff_name_in_the_files(comparison: Comparison) -> None:
    from matcher.scenario.loader import load_scenario
    from tests.conftest import EXAMPLE

    s = load_scenario(EXAMPLE)
    secrets = [y.id for y in s.youths]
    secrets += [loc.name for loc in s.locations] + [loc.id for loc in s.locations]
    secrets += [loc.address for loc in s.locations if loc.address]
    secrets += [c.name for c in s.consultants] + [c.id for c in s.consultants]
    wb = load_workbook(io.BytesIO(whatif_excel_bytes(comparison)))
    cells = " ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )
    text = _pdf_text(whatif_pdf_bytes(comparison)).decode("latin-1")
    for secret in secrets:
        assert secret not in cells, secret
        assert secret not in text, secret
