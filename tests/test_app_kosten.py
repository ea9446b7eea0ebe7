"""AppTest tests of the Kosten page: totals, periods, downloads and the gemeente restriction.

The database holds the spec's example week 48 with rates (Fier 95.00/h and 0.23/km, Xonar
87.50/h without a km rate) and its example plan, and the same week moved to week 49.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from matcher import storage
from matcher.policy.cost_export import nl_euro
from matcher.policy.cost_rounds import CostReport, cost_report
from matcher.scenario.domain import Plan, Scenario
from matcher.scenario.loader import load_scenario
from matcher.scenario.plan_io import read_plan
from matcher.security import accounts
from matcher.storage.engine import get_engine

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
EXAMPLE_PLAN = ROOT / "tests" / "data" / "example-plan.json"
PASSWORD = "test-wachtwoord-123"
GEMEENTEN = ("Leudal", "Heerlen")
"""Gemeenten with an account of their own (role gemeente) in the test database."""


def rated(scenario: Scenario) -> Scenario:
    rates = {"fier": (95.0, 0.23), "xonar": (87.5, None)}
    providers = tuple(
        dataclasses.replace(p, hourly_rate=rates[p.id][0], km_rate=rates[p.id][1])
        for p in scenario.providers
    )
    return dataclasses.replace(scenario, providers=providers)


def week_49(tmp: Path) -> Scenario:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in (
        ("2026-W48", "2026-W49"),
        ("2026-11-26", "2026-12-03"),
        ("2026-11-25", "2026-12-02"),
        ("2026-11-24", "2026-12-01"),
        ("Voorbeeld week 48", "Voorbeeld week 49"),
    ):
        text = text.replace(old, new)
    (tmp / "w49.yaml").write_text(text, encoding="utf-8")
    return rated(load_scenario(tmp / "w49.yaml"))


def moved(plan: Plan, days: int) -> Plan:
    return dataclasses.replace(
        plan,
        visits=tuple(
            dataclasses.replace(v, date=v.date + dt.timedelta(days=days)) for v in plan.visits
        ),
    )


@pytest.fixture(scope="module")
def costed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("kosten")
    path = tmp / "kosten.db"
    engine = get_engine(f"sqlite:///{path}")
    try:
        plan = read_plan(EXAMPLE_PLAN)
        r48 = storage.import_scenario(engine, rated(load_scenario(EXAMPLE)))
        storage.save_plan(engine, r48, plan)
        r49 = storage.import_scenario(engine, week_49(tmp))
        storage.save_plan(engine, r49, moved(plan, 7))
        accounts.create_account(engine, "regisseur", PASSWORD, role="ketenregisseur")
        for g in GEMEENTEN:
            accounts.create_account(
                engine, f"gemeente-{g.lower()}", PASSWORD, role="gemeente", gemeente=g
            )
    finally:
        engine.dispose()
    return path


@pytest.fixture
def db(costed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "app.db"
    shutil.copy(costed_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


def open_kosten(only: str | None = None) -> AppTest:
    """The Kosten page, logged in as the ketenregisseur or as the account of gemeente
    ``only`` (whose only page it is)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="login-user").input(f"gemeente-{only.lower()}" if only else "regisseur")
    at.text_input(key="login-password").input(PASSWORD)
    at.button(key="login-submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if only is None:
        at.switch_page("app_pages/kosten.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def shown_text(at: AppTest) -> str:
    return " ".join(str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel())


def report_for(url: str, **kwargs: Any) -> CostReport:
    engine = get_engine(url)
    try:
        return cost_report(engine, **kwargs)
    finally:
        engine.dispose()


def staff_and_places() -> set[str]:
    s = load_scenario(EXAMPLE)
    out = {c.name for c in s.consultants} | {c.id for c in s.consultants}
    return out | {loc.name for loc in s.locations} | {loc.id for loc in s.locations}


def test_the_planner_sees_the_selected_weeks_costs(db: str) -> None:
    at = open_kosten()
    assert at.main.title[0].value == "Kosten"
    assert at.main.children[0].type == "title", "nothing may be written above the title"
    selected = at.sidebar.selectbox(key="round_id").value
    assert at.selectbox(key="cost-round").value == selected
    expected = report_for(db, round_name_or_id=selected)
    assert metrics(at)["Totaal"] == nl_euro(expected.total_cents)
    assert metrics(at)["Bezoeken"] == "6"
    assert "geen kilometertarief voor Xonar" in " ".join(str(w.value) for w in at.warning)
    assert {"Kosten (Excel)", "Kosten (CSV)"} <= {
        getattr(b, "label", "") for b in at.get("download_button")
    }
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1  # the bar chart, built locally (data inline, nothing fetched)
    assert '"bar"' in charts[0].proto.spec
    assert not any(s in shown_text(at) for s in staff_and_places())


def test_all_weeks_by_month_add_up(db: str) -> None:
    at = open_kosten()
    at.selectbox(key="cost-scope").set_value("Alle weken")
    at.selectbox(key="cost-by").set_value("month")
    at.run()
    assert not at.exception
    everything = report_for(db)
    assert metrics(at)["Totaal"] == nl_euro(everything.total_cents)
    periods = at.dataframe[0].value
    assert set(periods["Periode"]) == {"nov 2026", "dec 2026"}
    per_gemeente = at.dataframe[1].value
    assert per_gemeente.iloc[-1]["Totaal"] == nl_euro(everything.total_cents)


def test_a_date_range_limits_the_visits(db: str) -> None:
    at = open_kosten()
    at.selectbox(key="cost-scope").set_value("Datumbereik")
    at.run()
    at.date_input(key="cost-range").set_value((dt.date(2026, 12, 1), dt.date(2026, 12, 31)))
    at.run()
    assert not at.exception
    december = report_for(db, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
    assert metrics(at)["Totaal"] == nl_euro(december.total_cents)
    assert metrics(at)["Bezoeken"] == str(len(december.visits)) == "4"


def test_a_gemeente_sees_only_its_own_youths(db: str) -> None:
    at = open_kosten(only="Leudal")
    at.selectbox(key="cost-scope").set_value("Alle weken")
    at.run()
    assert not at.exception
    assert "cost-gemeente" not in [s.key for s in at.selectbox]
    leudal = report_for(db, gemeente="Leudal")
    assert metrics(at)["Totaal"] == nl_euro(leudal.total_cents)
    for frame in at.dataframe:
        if "Gemeente" in frame.value.columns:
            assert set(frame.value["Gemeente"]) <= {"Leudal", "Totaal"}
    assert len(at.dataframe) == 3, "the visits table is drawn only when opened"
    at.session_state["cost-visits-open"] = True
    at.run()
    visits = at.dataframe[3].value
    assert set(visits["Casuscode"]) == {"Y-2026-014"}
    assert not any(s in shown_text(at) for s in staff_and_places())
    assert not [e for e in at.expander if "waarschuwing" in str(e.label)]


def test_a_gemeente_picks_another_week(db: str) -> None:
    at = open_kosten(only="Heerlen")
    engine = get_engine(db)
    try:
        r48 = storage.find_round(engine, "Voorbeeld week 48")
    finally:
        engine.dispose()
    at.selectbox(key="cost-round").set_value(r48)
    at.run()
    assert not at.exception
    week48 = report_for(db, round_name_or_id="Voorbeeld week 48", gemeente="Heerlen")
    assert metrics(at)["Totaal"] == nl_euro(week48.total_cents)
    assert set(at.dataframe[0].value["Periode"]) == {"week 48 2026"}


def test_a_provider_gets_no_cost_report(db: str) -> None:
    engine = get_engine(db)
    accounts.create_account(engine, "planner-fier", PASSWORD, role="planner", provider="fier")
    engine.dispose()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.text_input(key="login-user").input("planner-fier")
    at.text_input(key="login-password").input(PASSWORD)
    at.button(key="login-submit").click()
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="kosten"):  # not among a provider's pages
        at.switch_page("app_pages/kosten.py")


def test_the_excel_file_is_built_once_per_report(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the Excel file costs more than the rest of the page: a rerun of the same
    report reuses it; another report (here per month), or another gemeente, gets its own."""
    import matcher.policy.cost_export

    at = open_kosten()
    calls: list[str] = []
    build = matcher.policy.cost_export.costs_excel_bytes

    def counted(*args: Any, **kwargs: Any) -> bytes:
        calls.append(str(kwargs.get("title", "")))
        return build(*args, **kwargs)

    monkeypatch.setattr(matcher.policy.cost_export, "costs_excel_bytes", counted)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == []
    at.selectbox(key="cost-by").set_value("month")
    at.run()
    assert len(calls) == 1
    leudal = open_kosten("Leudal")
    leudal.selectbox(key="cost-scope").set_value("Alle weken")
    leudal.run()
    assert not leudal.exception
    assert calls[-1] == "Kosten gemeente Leudal"


def test_a_gemeentes_view_of_its_case_codes_is_in_the_audit_log(db: str) -> None:
    """The visits table shows case codes: opening it records a view per week with those
    codes, once per few minutes (a rerun adds none)."""
    from matcher.security import audit

    def views() -> list[audit.AuditEntry]:
        engine = get_engine(db)
        try:
            return [
                e
                for e in audit.entries(engine, account="gemeente-leudal")
                if e.action == "view" and e.subject.startswith("Kosten")
            ]
        finally:
            engine.dispose()

    at = open_kosten(only="Leudal")
    at.selectbox(key="cost-scope").set_value("Alle weken")
    at.run()
    assert views() == [], "no case code shown yet: the visits table is closed"
    at.session_state["cost-visits-open"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = set(at.dataframe[3].value["Casuscode"])
    seen = views()
    assert {e.round_id for e in seen} == {r.round.id for r in report_for(db).rounds}
    assert all(set(e.case_codes.split(",")) <= shown for e in seen)
    assert {c for e in seen for c in e.case_codes.split(",")} == shown == {"Y-2026-014"}
    at.run()
    assert len(views()) == len(seen)


def test_a_gemeentes_cost_downloads_are_in_the_audit_log(db: str) -> None:
    """The CSV and Excel files hold the case codes of their visits: each download records
    one row with those codes and the weeks (the page view alone records none)."""
    from matcher.security import audit

    def downloads() -> list[audit.AuditEntry]:
        engine = get_engine(db)
        try:
            return [
                e
                for e in audit.entries(engine, account="gemeente-leudal")
                if e.action == "download"
            ]
        finally:
            engine.dispose()

    at = open_kosten(only="Leudal")
    at.selectbox(key="cost-scope").set_value("Alle weken")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert downloads() == []
    report = report_for(db, gemeente="Leudal")
    codes = {v.case_code for v in report.visits}
    assert codes == {"Y-2026-014"}
    weeks = "weken: " + ", ".join(str(rc.round.id) for rc in report.rounds)
    for label, subject in (("Kosten (CSV)", "Kosten (CSV)"), ("Kosten (Excel)", "Kosten (Excel)")):
        button = next(b for b in at.get("download_button") if b.label == label)
        button.click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        last = downloads()[-1]
        assert (last.subject, last.role) == (subject, "gemeente")
        assert set(last.case_codes.split(",")) == codes
        assert last.detail == weeks
        assert last.round_id is None  # two weeks: named in the detail
    assert [e.subject for e in downloads()] == ["Kosten (CSV)", "Kosten (Excel)"]
