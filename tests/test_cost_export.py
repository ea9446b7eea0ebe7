"""Tests of matcher.policy.cost_export and matcher.app.cost_views: rows, CSV, Excel, Dutch
tables."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matcher import storage
from matcher.app.cost_views import (
    cost_chart,
    cost_chart_frame,
    gemeente_table,
    missing_rates_nl,
    period_table,
    provider_table,
    visits_table,
)
from matcher.policy.cost_export import (
    CSV_COLUMNS,
    cost_lines,
    costs_csv_bytes,
    costs_csv_text,
    costs_excel_bytes,
    euros_plain,
    nl_euro,
    nl_number,
)
from matcher.policy.cost_rounds import CostReport, build_report, price_round
from matcher.scenario.domain import Plan, Scenario


def rated(scenario: Scenario, xonar_km: float | None = 0.21) -> Scenario:
    rates = {"fier": (95.0, 0.23), "xonar": (87.5, xonar_km)}
    providers = tuple(
        dataclasses.replace(p, hourly_rate=rates[p.id][0], km_rate=rates[p.id][1])
        for p in scenario.providers
    )
    return dataclasses.replace(scenario, providers=providers)


def report_of(scenario: Scenario, plan: Plan, gemeente: str | None = None) -> CostReport:
    info = storage.RoundInfo(
        1, scenario.name, scenario.week, scenario.days[0], scenario.days[-1],
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC), 5, 2, 3, 4, 5, 6, 1,
    )  # fmt: skip
    return build_report([price_round(info, scenario, plan, 7, sent=True)], gemeente=gemeente)


@pytest.fixture
def report(example: Scenario, example_plan: Plan) -> CostReport:
    return report_of(rated(example), example_plan)


def secrets(scenario: Scenario) -> set[str]:
    """Texts a cost report must never contain: staff names and ids, e-mails, addresses,
    location names."""
    out = {c.name for c in scenario.consultants} | {c.id for c in scenario.consultants}
    out |= {c.email for c in scenario.consultants}
    out |= {loc.name for loc in scenario.locations} | {loc.id for loc in scenario.locations}
    out |= {loc.address for loc in scenario.locations if loc.address}
    return out


def test_dutch_notation() -> None:
    assert nl_euro(123456) == "€ 1.234,56"
    assert nl_euro(5) == "€ 0,05"
    assert nl_euro(-310) == "-€ 3,10"
    assert nl_euro(100_000_000) == "€ 1.000.000,00"
    assert nl_number(1234.5, 1) == "1.234,5"
    assert nl_number(2.25) == "2,25"
    assert euros_plain(123456) == "1234.56" and euros_plain(-7) == "-0.07"


def test_lines_split_joint_visits_by_provider_and_add_up(report: CostReport) -> None:
    lines = cost_lines(report, "week")
    assert len(lines) == 7  # six visits, the joint R-5 has a Fier and a Xonar line
    assert [x.provider for x in lines if x.request == "R-5"] == ["Fier", "Xonar"]
    assert sum(x.total_cents for x in lines) == report.total_cents
    assert {x.period for x in lines} == {"2026-W48"}


def test_csv_for_machines_has_plain_numbers_that_add_up(
    report: CostReport, example: Scenario
) -> None:
    text = costs_csv_text(report, "month")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sum(Decimal(r["total_eur"]) for r in rows) == Decimal(report.total_cents) / 100
    for r in rows:
        assert Decimal(r["hours_cost_eur"]) + Decimal(r["km_cost_eur"]) == Decimal(r["total_eur"])
        assert "," not in r["total_eur"] and r["period"] == "2026-11"
    r6 = next(r for r in rows if r["request"] == "R-6")
    assert (r6["consult_minutes"], r6["hours_cost_eur"], r6["km"]) == ("45", "65.63", "88.478")
    assert not any(s in text for s in secrets(example))
    assert costs_csv_bytes(report, "month").startswith(b"\xef\xbb\xbf")


def test_csv_cells_cannot_become_formulas(example: Scenario, example_plan: Plan) -> None:
    youths = tuple(
        dataclasses.replace(y, gemeente="=HYPERLINK(1)") if y.id == "Y-2026-011" else y
        for y in example.youths
    )
    text = costs_csv_text(
        report_of(dataclasses.replace(example, youths=youths), example_plan), "week"
    )
    assert ",'=HYPERLINK(1)," in text
    assert ",=HYPERLINK" not in text


def test_excel_workbook_holds_numbers_with_formats_and_no_names(
    report: CostReport, example: Scenario
) -> None:
    wb = load_workbook(io.BytesIO(costs_excel_bytes(report, "quarter")))
    assert wb.sheetnames == [
        "Per gemeente",
        "Per organisatie",
        "Bezoeken",
        "Tarieven",
        "Toelichting",
    ]
    ws = wb["Per gemeente"]
    header = [c.value for c in ws[1]]
    assert header == [
        "Kwartaal",
        "Gemeente",
        "Bezoeken",
        "Uren",
        "Uurkosten",
        "Km",
        "Reiskosten",
        "Totaal",
    ]
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert body[-1][0] == "Totaal"
    total_col = header.index("Totaal")
    assert round(sum(float(r[total_col]) for r in body[:-1]), 2) == report.total_cents / 100
    assert body[-1][total_col] == report.total_cents / 100
    assert ws.cell(row=2, column=total_col + 1).number_format == '"€ "#,##0.00'
    assert isinstance(ws.cell(row=2, column=total_col + 1).value, float)
    assert {r[0] for r in body[:-1]} == {"K4 2026"}
    every = " ".join(
        str(v) for sheet in wb for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    assert not any(s in every for s in secrets(example))
    notes = dict(wb["Toelichting"].iter_rows(min_row=2, values_only=True))
    assert "Hamilton" in str(notes["Berekening"])
    assert "planning #7 (verstuurd)" in str(notes["Planningsweek"])


def test_excel_notes_missing_rates(example: Scenario, example_plan: Plan) -> None:
    report = report_of(rated(example, xonar_km=None), example_plan)
    wb = load_workbook(io.BytesIO(costs_excel_bytes(report, "week")))
    rates = {r[1]: r for r in wb["Tarieven"].iter_rows(min_row=2, values_only=True)}
    assert rates["Xonar"][3] in ("", None)
    assert "geen kilometertarief" in str(rates["Xonar"][4])
    assert rates["Fier"][4] in ("", None)
    text = missing_rates_nl(report.missing_rates)
    assert text is not None and "kilometertarief voor Xonar" in text
    assert "uurtarief" not in text.split(".")[0]
    assert missing_rates_nl(()) is None


def test_tables_are_dutch_and_add_up(report: CostReport, example: Scenario) -> None:
    per = gemeente_table(report)
    assert per.iloc[-1]["Gemeente"] == "Totaal"
    assert per.iloc[-1]["Totaal"] == nl_euro(report.total_cents)
    assert per.iloc[-1]["Bezoeken"] == 6
    leudal = per[per["Gemeente"] == "Leudal"].iloc[0]
    assert leudal["Uren"] == "2,25"  # 90 + 45 minutes
    periods = period_table(report, "week")
    assert set(periods["Periode"]) == {"week 48 2026"}
    providers = provider_table(report, "week")
    heerlen = providers[providers["Gemeente"] == "Heerlen"]
    assert list(heerlen["Organisatie"]) == ["Fier", "Xonar"]
    visits = visits_table(report, "week")
    assert list(visits.columns[:5]) == ["Periode", "Datum", "Casuscode", "Gemeente", "Organisatie"]
    assert visits.iloc[0]["Datum"] == "23-11-2026"
    shown = " ".join(
        str(v) for frame in (per, periods, providers, visits) for v in frame.to_numpy().ravel()
    )
    assert not any(s in shown for s in secrets(example))


def test_chart_is_a_stacked_bar_with_a_dutch_locale(report: CostReport) -> None:
    frame = cost_chart_frame(report, "week")
    assert round(frame["Euro"].sum() * 100) == report.total_cents
    spec = cost_chart(frame).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["field"] == "Gemeente"
    assert spec["encoding"]["color"]["field"] == "Periode"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "url" not in str(spec["data"])  # inline data, nothing fetched


def test_a_gemeente_report_holds_only_its_visits(example: Scenario, example_plan: Plan) -> None:
    report = report_of(rated(example), example_plan, gemeente="Heerlen")
    assert {x.gemeente for x in cost_lines(report, "week")} == {"Heerlen"}
    assert set(gemeente_table(report)["Gemeente"]) == {"Heerlen"}
    text = costs_csv_text(report, "week")
    assert "Y-2026-022" in text and "Y-2026-011" not in text
