"""Shared fixtures: paths of the shipped example and scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
EXAMPLE = SCENARIOS / "voorbeeld-week-48.yaml"
SPEC = ROOT.parent / "shared" / "spec"


@pytest.fixture
def example_path() -> Path:
    """The spec's worked example, as shipped in scenarios/."""
    return EXAMPLE
