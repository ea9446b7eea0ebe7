"""Tests of ``matcher solve`` (:func:`matcher.solve_cli.solve_command`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.checker import check_plan
from matcher.loader import load_scenario
from matcher.plan_io import read_plan
from matcher.solve_cli import solve_command

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld-week-48.yaml"


def test_solve_command_writes_a_feasible_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    assert solve_command(EXAMPLE, out, time_limit=5, workers=1, seed=0) == 0
    plan = read_plan(out)
    report = check_plan(load_scenario(EXAMPLE), plan)
    assert report.feasible and plan.solver.objective == report.objective
    captured = capsys.readouterr()
    assert "objective" in captured.err  # progress lines
    assert "status optimal" in captured.out and "assigned 6" in captured.out


def test_solve_command_refuses_a_bad_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nname: x\n", encoding="utf-8")
    assert solve_command(bad, tmp_path / "plan.json", time_limit=2) == 2
    assert "problem" in capsys.readouterr().err
    assert not (tmp_path / "plan.json").exists()
