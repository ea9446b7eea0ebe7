"""The shipped scenarios still give the recorded plans (one worker, seed 1).

The reference in ``tests/data/plan_digests.json`` was recorded before the modules were
moved into subpackages; ``scripts/identical_plans.py`` runs all cases (incl. limburg-busy).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "identical_plans", ROOT / "scripts" / "identical_plans.py"
)
assert _spec and _spec.loader
identical_plans = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(identical_plans)


@pytest.mark.parametrize("name", ["voorbeeld-week-48", "limburg-week-matrix"])
def test_shipped_scenario_gives_the_recorded_plan(name: str) -> None:
    want = json.loads((ROOT / "tests" / "data" / "plan_digests.json").read_text())[name]
    assert identical_plans.plan_digest(name) == want
