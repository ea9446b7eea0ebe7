"""Plan documents: read, write, round trip, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.scenario.plan_io import PlanFormatError, plan_to_dict, read_plan, write_plan

SPEC_PLAN = Path(__file__).resolve().parent / "data" / "example-plan.json"


def test_round_trip(tmp_path: Path) -> None:
    plan = read_plan(SPEC_PLAN)
    write_plan(plan, tmp_path / "p.json")
    assert read_plan(tmp_path / "p.json") == plan
    doc = json.loads((tmp_path / "p.json").read_text())
    assert list(doc)[:6] == ["format", "scenario", "solver", "visits", "unassigned", "kpis"]
    assert doc["visits"][0]["start"] == "09:05"


def test_extra_keys_are_kept(tmp_path: Path) -> None:
    doc = json.loads(SPEC_PLAN.read_text())
    doc["note"] = "kept"
    (tmp_path / "p.json").write_text(json.dumps(doc))
    assert plan_to_dict(read_plan(tmp_path / "p.json"))["note"] == "kept"


def test_every_problem_is_listed(tmp_path: Path) -> None:
    doc = json.loads(SPEC_PLAN.read_text())
    doc["visits"][0]["start"] = "9h05"
    doc["visits"][1]["date"] = "2026-13-01"
    del doc["visits"][2]["consultants"]
    (tmp_path / "p.json").write_text(json.dumps(doc))
    with pytest.raises(PlanFormatError) as info:
        read_plan(tmp_path / "p.json")
    text = "\n".join(info.value.problems)
    assert "visits[0].start" in text and "visits[1].date" in text and "visits[2]" in text


def test_malformed_json(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"format": 1,,}')
    with pytest.raises(PlanFormatError, match="line 1, column"):
        read_plan(tmp_path / "p.json")
