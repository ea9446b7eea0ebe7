"""``matcher whatif`` on generated weeks and on stored rounds (SQLite file)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matcher import storage
from matcher.cli.main import main
from matcher.scenario.domain import Scenario
from matcher.storage.engine import get_engine


def test_generated_weeks_print_write_and_are_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "whatif",
        "--generate-weeks",
        "2",
        "--seed",
        "4",
        "--requests-per-week",
        "6",
        "--consultants",
        "3",
        "--centre",
        "51.19,5.99",
        "--contribution",
        "equal",
        "--centre-cost",
        "310",
        "--time-limit",
        "1",
    ]
    xlsx, pdf = tmp_path / "w.xlsx", tmp_path / "w.pdf"
    assert main([*args, "--xlsx", str(xlsx), "--pdf", str(pdf)]) == 0
    first = capsys.readouterr().out
    assert "centre 51.1900,5.9900 (Roermond); 2 week(s)" in first
    # 310 euros in equal shares over 31 gemeenten: 10 euros each
    assert "Vaals" in first and first.count("€ 10,00") >= 31
    assert pdf.read_bytes().startswith(b"%PDF")
    wb = load_workbook(xlsx)
    rows = {r[0]: r[1:] for r in wb["Vergelijking"].iter_rows(min_row=2, values_only=True)}
    assert rows["Jongeren die moeten verhuizen"][0] == 0
    assert rows["Jongeren die moeten verhuizen"][1] == rows["Aanvragen"][1]


def test_stored_rounds(
    tmp_path: Path, example: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = get_engine(url)
    try:
        rated = dataclasses.replace(
            example,
            providers=tuple(
                dataclasses.replace(p, hourly_rate=60.0, km_rate=0.0) for p in example.providers
            ),
        )
        storage.import_scenario(engine, rated)
    finally:
        engine.dispose()
    base = ["whatif", "--centre", "51.1942,5.987", "--time-limit", "1", "--database-url", url]
    assert main([*base, "--rounds", "all"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Jongeren die moeten verhuizen"))
    assert line.split()[-2:] == ["0", "4"]
    line = next(x for x in out.splitlines() if x.startswith("Meeste slachtoffers"))
    assert line.split()[-2:] == ["2", "5"]
    assert main([*base, "--rounds", example.name]) == 0
    capsys.readouterr()
    assert main([*base, "--rounds", "nope,other"]) == 2
    err = capsys.readouterr().err
    assert "'nope', 'other'" in err and example.name in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--generate-weeks", "0"], "--generate-weeks 0: allowed a whole number >= 1"),
        (["--generate-weeks", "1", "--centre-cost", "-5"], "--centre-cost -5.0: allowed"),
        (["--generate-weeks", "1", "--time-limit", "0"], "--time-limit 0.0: allowed"),
    ],
)
def test_bad_input_is_refused(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["whatif", "--centre", "51.19,5.99", *extra]) == 2
    assert message in capsys.readouterr().err


def test_bad_centre_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["whatif", "--generate-weeks", "1", "--centre", "Roermond"])
    assert exc.value.code == 2
    assert "allowed: LAT,LON" in capsys.readouterr().err


def test_rates_file_sets_the_demand_per_gemeente(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("gemeente,per_week\nVenlo,3\nVaals,0\n", encoding="utf-8")
    xlsx = tmp_path / "r.xlsx"
    base = ["whatif", "--generate-weeks", "2", "--centre", "51.37,6.17", "--time-limit", "1"]
    assert main([*base, "--rates", str(rates), "--consultants", "3", "--xlsx", str(xlsx)]) == 0
    body = list(load_workbook(xlsx)["Per gemeente"].iter_rows(min_row=2, values_only=True))
    paying = {r[0] for r in body[:-1] if r[2] or r[4]}
    assert paying == {"Venlo"}
    capsys.readouterr()
    rates.write_text("gemeente,per_week\nAtlantis,3\nVenlo,veel\n", encoding="utf-8")
    assert main([*base, "--rates", str(rates)]) == 2
    err = capsys.readouterr().err
    assert "rates.csv line 2: gemeente 'Atlantis' is not a Limburg gemeente" in err
    assert "line 3: per_week 'veel'; allowed: a number 0..10000" in err
    assert main([*base, "--rates", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
