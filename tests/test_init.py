"""The public API listed in matcher/__init__.py works as its docstring shows."""

from __future__ import annotations

from pathlib import Path

import matcher


def test_every_public_name_exists() -> None:
    for name in matcher.__all__:
        assert getattr(matcher, name) is not None, name


def test_load_solve_check_write(tmp_path: Path, example_path: Path) -> None:
    scenario = matcher.load_scenario(example_path)
    result = matcher.solve(scenario, matcher.SolveParams(time_limit=5, workers=1))
    report = matcher.check_plan(scenario, result.plan)
    assert report.feasible, report.violations
    assert report.objective == result.plan.solver.objective
    matcher.write_plan(result.plan, tmp_path / "plan.json")
    assert matcher.read_plan(tmp_path / "plan.json") == result.plan
