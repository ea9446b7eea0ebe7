"""Tests of ``matcher solve`` (:func:`matcher.cli.solve.solve_command`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matcher.checker import check_plan
from matcher.cli.solve import solve_command
from matcher.scenario.loader import load_scenario
from matcher.scenario.loader import parse_text as matcher_load
from matcher.scenario.plan_io import read_plan

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


def test_the_time_limit_counts_loading_and_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import time

    import matcher.scenario.loader

    solve_module = importlib.import_module(
        "matcher.solver.solve"
    )  # `matcher.solver.solve` is the function
    real_load = matcher.scenario.loader.load_scenario
    given: list[float] = []
    real_solve = solve_module.solve

    def slow_load(path: Path | str) -> object:
        time.sleep(1.0)
        return real_load(path)

    def spy(scenario: object, params: Any, **kw: object) -> object:
        given.append(params.time_limit)
        return real_solve(scenario, params, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher.scenario.loader, "load_scenario", slow_load)
    monkeypatch.setattr(solve_module, "solve", spy)
    assert solve_command(EXAMPLE, tmp_path / "plan.json", time_limit=3, workers=1) == 0
    assert given and given[0] <= 2.0, given
    given.clear()
    assert solve_command(EXAMPLE, tmp_path / "plan.json", time_limit=0.5, workers=1) == 0
    assert given == [pytest.approx(0.1)]  # loading used it all: the first plan still comes
    assert read_plan(tmp_path / "plan.json").solver.status in ("optimal", "feasible")


@pytest.mark.parametrize("emptied", ["requests", "consultants"])
def test_an_empty_week_is_planned_as_empty(tmp_path: Path, emptied: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = matcher_load(text)
    doc[emptied] = []
    if emptied == "consultants":
        for youth in doc["youths"]:
            youth.pop("previous_consultant", None)
            youth.pop("excluded_consultants", None)
        for req in doc["requests"]:
            req.pop("pinned", None)
    path = tmp_path / "empty.json"
    path.write_text(json.dumps(doc, default=str), encoding="utf-8")
    out = tmp_path / "plan.json"
    assert solve_command(path, out, time_limit=3, workers=1) == 0
    plan = read_plan(out)
    assert plan.visits == ()
    assert len(plan.unassigned) == len(doc["requests"])
    assert check_plan(load_scenario(path), plan).feasible
