"""Shared fixtures: the spec's worked example (scenario, plan, travel matrix) and paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matcher.domain import Plan, Scenario
from matcher.loader import load_scenario
from matcher.plan_io import read_plan
from matcher.travel import TravelMatrix, build_travel_matrix

# Cheap argon2 parameters for every test (the app's accounts, the users command).
os.environ.setdefault("CONSULTPLANNER_ARGON2", "fast")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
EXAMPLE = SCENARIOS / "voorbeeld-week-48.yaml"
SPEC = ROOT.parent / "shared" / "spec"
EXAMPLE_PLAN = ROOT / "tests" / "data" / "example-plan.json"


@pytest.fixture
def example_path() -> Path:
    """The spec's worked example, as shipped in scenarios/."""
    return EXAMPLE


@pytest.fixture
def example() -> Scenario:
    """The spec's worked example, loaded."""
    return load_scenario(EXAMPLE)


@pytest.fixture
def example_plan() -> Plan:
    """The spec's example plan (feasible, objective 2174)."""
    return read_plan(EXAMPLE_PLAN)


@pytest.fixture
def travel(example: Scenario) -> TravelMatrix:
    """The example's travel matrix."""
    return build_travel_matrix(example)
