"""Tests of matcher.app.solve_jobs: background solves with progress, one per round."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from matcher.app.solve_jobs import NICE, JobRegistry, JobRunningError, SolveJob
from matcher.checker import check_plan
from matcher.scenario.domain import Plan, Scenario
from matcher.scenario.loader import load_scenario
from matcher.solver.solve import SolveParams

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
DEMO = ROOT / "scenarios" / "limburg-week.yaml"


@pytest.fixture
def example() -> Scenario:
    return load_scenario(EXAMPLE)


def test_job_solves_in_the_background_and_saves(example: Scenario) -> None:
    saved: list[Plan] = []

    def save(plan: Plan) -> int:
        saved.append(plan)
        return 42

    job = SolveJob(7, example, SolveParams(time_limit=5, workers=1), save).start()
    assert job.wait(30)
    snap = job.snapshot()
    assert snap.state == "done"
    assert snap.plan_id == 42
    assert snap.fraction == 1.0
    assert len(saved) == 1
    report = check_plan(example, saved[0])
    assert report.feasible, report.violations
    assert snap.objective == report.objective
    assert snap.assigned == len(saved[0].visits)


def test_registry_allows_one_running_job_per_round() -> None:
    demo = load_scenario(DEMO)
    registry = JobRegistry()
    job = registry.start(1, demo, SolveParams(time_limit=20, workers=1))
    try:
        assert registry.running() == [1]
        with pytest.raises(JobRunningError):
            registry.start(1, demo, SolveParams(time_limit=1, workers=1))
        assert registry.get(1) is job
        # progress arrives while it runs
        deadline = time.monotonic() + 10
        while job.snapshot().objective is None and time.monotonic() < deadline:
            time.sleep(0.05)
        running = job.snapshot()
        assert running.running
        if hasattr(os, "getpriority") and job.thread_id is not None:
            assert os.getpriority(os.PRIO_PROCESS, job.thread_id) >= NICE
        assert running.objective is not None
        assert 0.0 <= running.fraction < 1.0
    finally:
        job.stop()
    assert job.wait(15)
    snap = job.snapshot()
    assert snap.state == "done"
    assert snap.stopped
    assert snap.elapsed < 15
    assert registry.running() == []
    registry.forget(1)
    assert registry.get(1) is None


def test_failed_save_is_reported_by_reference(
    example: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    def save(plan: Plan) -> int:
        raise RuntimeError("database is gone at Nieuwstraat 74")

    job = SolveJob(1, example, SolveParams(time_limit=3, workers=1), save).start()
    assert job.wait(30)
    snap = job.snapshot()
    assert snap.state == "failed"
    assert snap.error is not None and re.fullmatch(r"[0-9a-f]{8}", snap.error)
    logged = caplog.text
    assert snap.error in logged and "RuntimeError" in logged
    assert "Nieuwstraat" not in logged  # the exception's text (it may hold an address) is not
