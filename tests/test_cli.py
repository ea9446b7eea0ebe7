"""The matcher command line: validate and check (other commands are tested with their modules)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SPEC_PLAN = ROOT / "tests" / "data" / "example-plan.json"
BAD = ROOT / "tests" / "bad_scenarios"


def test_validate_ok(example_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(example_path)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "6 requests (1 joint, 1 pinned)" in out
    assert len(out.strip().splitlines()) == 1


def test_validate_reports_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BAD / "many-errors.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("4 problem(s):")
    assert "requests[1].duration_minutes" in err and "Traceback" not in err


def test_check_ok_and_violation(
    tmp_path: Path, example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(example_path), str(SPEC_PLAN)]) == 0
    assert "objective 2174" in capsys.readouterr().out
    doc = json.loads(SPEC_PLAN.read_text())
    doc["visits"][0]["end"] = "10:00"
    (tmp_path / "p.json").write_text(json.dumps(doc))
    assert main(["check", str(example_path), str(tmp_path / "p.json")]) == 1
    assert "VIOLATION: visit R-2" in capsys.readouterr().out


def test_check_malformed_plan(tmp_path: Path, example_path: Path) -> None:
    (tmp_path / "p.json").write_text("[")
    assert main(["check", str(example_path), str(tmp_path / "p.json")]) == 2


def test_python_dash_m(example_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "matcher", "validate", str(BAD / "malformed-yaml.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "line 13, column 5" in done.stderr and "Traceback" not in done.stderr


def test_explain_prints_cost_terms_and_breakdown(
    example_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(example_path), str(SPEC_PLAN), "--request", "R-4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("R-4:") and "15 days × urgency crisis (8) × 10 = 1200" in out
    assert "R-2:" not in out
    assert main(["explain", str(example_path), str(SPEC_PLAN)]) == 0
    assert "objective 2174" in capsys.readouterr().out


def test_explain_offers_the_smallest_fix_for_an_open_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    from matcher.scenario.plan_io import write_plan
    from matcher.solver.solve import SolveParams
    from tests.test_remedies import _case

    scenario = _case()  # two one-hour visits, one one-hour tour: one stays open
    from matcher.scenario.writer import write_scenario

    write_scenario(scenario, tmp_path / "s.yaml")
    plan = (
        importlib.import_module("matcher.solver.solve")
        .solve(scenario, SolveParams(time_limit=2))
        .plan
    )
    write_plan(plan, tmp_path / "p.json")
    assert main(["explain", str(tmp_path / "s.yaml"), str(tmp_path / "p.json")]) == 0
    out = capsys.readouterr().out
    assert "not planned" in out and "fix: with 1 hour more (later)" in out
    assert (
        main(["explain", str(tmp_path / "s.yaml"), str(tmp_path / "p.json"), "--fixes", "0"]) == 0
    )
    assert "fix:" not in capsys.readouterr().out
