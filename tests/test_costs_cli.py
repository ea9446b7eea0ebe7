"""Tests of ``matcher costs`` (matcher.cli.costs) on a SQLite file."""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matcher import storage
from matcher.cli.costs import PERIOD_CHOICES
from matcher.cli.main import main
from matcher.policy.costs import PERIODS, plan_costs
from matcher.scenario.domain import Plan, Scenario
from matcher.storage.engine import get_engine


def rated(scenario: Scenario) -> Scenario:
    rates = {"fier": (95.0, 0.23), "xonar": (87.5, None)}
    providers = tuple(
        dataclasses.replace(p, hourly_rate=rates[p.id][0], km_rate=rates[p.id][1])
        for p in scenario.providers
    )
    return dataclasses.replace(scenario, providers=providers)


@pytest.fixture
def url(tmp_path: Path, example: Scenario, example_plan: Plan) -> str:
    url = f"sqlite:///{tmp_path / 'costs.db'}"
    engine = get_engine(url)
    try:
        rid = storage.import_scenario(engine, rated(example))
        storage.save_plan(engine, rid, example_plan)
    finally:
        engine.dispose()
    return url


def test_period_choices_are_the_library_periods() -> None:
    assert PERIOD_CHOICES == PERIODS


def test_costs_prints_totals_and_writes_csv_and_excel(
    url: str,
    tmp_path: Path,
    example: Scenario,
    example_plan: Plan,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_csv, out_xlsx = tmp_path / "k.csv", tmp_path / "k.xlsx"
    code = main(
        [
            "costs",
            "--database-url",
            url,
            "--by",
            "month",
            "--csv",
            str(out_csv),
            "--xlsx",
            str(out_xlsx),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    expected = plan_costs(rated(example), example_plan).total_cents
    lines = captured.out.splitlines()
    assert "plan 1 (newest)" in lines[0]
    total_line = next(line for line in lines if line.startswith("total"))
    assert total_line.split()[-1] == f"{expected // 100}.{expected % 100:02d}"
    assert sum(1 for line in lines if line.startswith("2026-11 ")) == 5  # five gemeenten
    assert "provider xonar (Xonar) has no km_rate: counted as 0" in captured.err
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert sum(Decimal(r["total_eur"]) for r in rows) * 100 == expected
    wb = load_workbook(out_xlsx)
    assert wb["Per gemeente"].cell(row=1, column=1).value == "Maand"


def test_costs_for_one_gemeente_and_a_range(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "costs",
            "--database-url",
            url,
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-30",
            "--gemeente",
            "LEUDAL",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    body = [line for line in out.splitlines() if line.startswith("2026-W")]
    assert len(body) == 1 and "Leudal" in body[0]
    # only R-6 (26 Nov, 45 min at 87.50 = 65.63, no km rate); R-2 on 23 Nov is outside
    assert body[0].split()[-1] == "65.63"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "nope"], "no planning round named or numbered 'nope'"),
        (["--round", "1", "--from", "2026-11-01"], "not both"),
        (["--from", "2026-12-01", "--to", "2026-11-01"], "is after"),
        (["--gemeente", "Utrecht"], "allowed: Heerlen, Leudal, Maastricht"),
    ],
)
def test_costs_refuses_bad_input(
    url: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["costs", "--database-url", url, *args]) == 2
    assert message in capsys.readouterr().err


def test_costs_refuses_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["costs", "--from", "2026-13-01"])
    assert exit_info.value.code == 2
    assert "'2026-13-01' is not a date; allowed: YYYY-MM-DD" in capsys.readouterr().err


def test_costs_writes_nothing_when_a_plan_cannot_be_priced(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = get_engine(url)
    try:
        storage.delete_request(engine, storage.list_rounds(engine)[0].id, "R-3")
    finally:
        engine.dispose()
    out_csv = tmp_path / "k.csv"
    assert main(["costs", "--database-url", url, "--csv", str(out_csv)]) == 1
    err = capsys.readouterr().err
    assert "R-3" in err and "no file written" in err
    assert not out_csv.exists()
