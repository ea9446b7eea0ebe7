"""Sweeps on a Dask LocalCluster of 2 workers: the same plans as one after another."""

from __future__ import annotations

import pytest

from matcher.checker import check_plan
from matcher.policy.sweeps import (
    SweepTask,
    more_signals,
    one_more_consultant,
    run_serial,
    run_sweep,
)
from matcher.scenario.domain import Scenario


@pytest.fixture(scope="module")
def tasks(example: Scenario) -> list[SweepTask]:
    return [
        SweepTask("basis", example, 1.0, 1),
        SweepTask("+1 Fier", one_more_consultant(example, "fier"), 1.0, 1),
        SweepTask("+20% signalen", more_signals(example, 0.5, seed=2), 1.0, 1),
    ]


@pytest.fixture(scope="module")
def example() -> Scenario:  # module-scoped copy of the shared fixture
    from matcher.scenario.loader import load_scenario
    from tests.conftest import EXAMPLE

    return load_scenario(EXAMPLE)


def test_a_local_cluster_of_two_workers_gives_the_serial_plans(tasks: list[SweepTask]) -> None:
    seen: list[tuple[int, int]] = []
    parallel = run_sweep(tasks, n_workers=2, on_progress=lambda d, n: seen.append((d, n)))
    serial = run_serial(tasks)
    assert [r.name for r in parallel] == [t.name for t in tasks]
    assert [r.plan.visits for r in parallel] == [r.plan.visits for r in serial]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    for task, r in zip(tasks, parallel, strict=True):
        report = check_plan(task.scenario, r.plan)
        assert report.feasible and report.objective == r.objective


def test_variants(example: Scenario) -> None:
    plus = one_more_consultant(example, "xonar")
    assert len(plus.consultants) == len(example.consultants) + 1
    extra = plus.consultants[-1]
    assert extra.provider == "xonar" and extra.id.endswith("-EXTRA-1")
    more = more_signals(example, 0.5, seed=1)
    assert len(more.requests) == len(example.requests) + 3
    assert len({r.id for r in more.requests}) == len(more.requests)
    with pytest.raises(ValueError):
        one_more_consultant(example, "nobody")


def test_the_sweep_command_prints_a_bar_and_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    from matcher.cli.main import main
    from matcher.cli.sweep import progress_bar
    from tests.conftest import EXAMPLE

    assert progress_bar(1, 4, width=8) == "[##......] 1/4"
    args = ["sweep", str(EXAMPLE), "--variants", "basis,+consultant:fier", "--time-limit", "1"]
    assert main([*args, "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "2/2" in out and "+consultant:fier" in out and "objective" in out
    assert main(["sweep", str(EXAMPLE), "--variants", "basis,weird"]) == 2
