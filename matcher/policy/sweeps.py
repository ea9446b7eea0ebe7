"""Sweeps: many independent solves (what-if and sensitivity runs) on a Dask cluster.

A what-if compares weeks planned under other assumptions: one more consultant at a
provider, 20 % more signals, another centre location, a year of weeks. Each is an
independent solve, so they run in parallel on ``dask.distributed``: by default a
``LocalCluster`` on this machine (one single-threaded worker process per core, no
dashboard), or the cluster of a scheduler address. Both take the same code path: the
tasks are submitted with ``Client.map`` and collected as they complete, which drives the
progress callback (a bar in the CLI and the app).

Every solve runs with one CP-SAT worker and a fixed seed, so a task gives the same plan on
any worker, serial or parallel (the tests check that).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.scenario.domain import Consultant, Plan, Request, Scenario, Youth

__all__ = [
    "SweepResult",
    "SweepTask",
    "more_signals",
    "one_more_consultant",
    "run_serial",
    "run_sweep",
    "solve_task",
]

ProgressCallback = Callable[[int, int], None]
"""Called with (tasks done, tasks in all) after each task."""


@dataclass(frozen=True)
class SweepTask:
    """One solve of a sweep: a named scenario, a time limit and a seed."""

    name: str
    scenario: Scenario
    time_limit: float = 5.0
    seed: int = 0


@dataclass(frozen=True)
class SweepResult:
    """The plan of one task and its headline figures (objective recomputed by the checker)."""

    name: str
    plan: Plan
    objective: int
    travel_minutes: int
    planned: int
    open: int
    seconds: float


def solve_task(task: SweepTask) -> SweepResult:
    """Solve one task (runs on a Dask worker or here): one CP-SAT worker, the task's seed."""
    import importlib
    import time

    from matcher.checker import check_plan
    from matcher.solver.solve import SolveParams

    solve = importlib.import_module("matcher.solver.solve").solve
    t0 = time.monotonic()
    result = solve(
        task.scenario, SolveParams(time_limit=task.time_limit, workers=1, seed=task.seed)
    )
    report = check_plan(task.scenario, result.plan)
    return SweepResult(
        task.name,
        result.plan,
        report.objective,
        report.travel_minutes,
        len(result.plan.visits),
        len(result.plan.unassigned),
        round(time.monotonic() - t0, 3),
    )


def run_serial(
    tasks: Sequence[SweepTask], on_progress: ProgressCallback | None = None
) -> list[SweepResult]:
    """The tasks one after another in this process (the 1-worker reference)."""
    out = []
    for k, task in enumerate(tasks, start=1):
        out.append(solve_task(task))
        if on_progress is not None:
            on_progress(k, len(tasks))
    return out


def run_sweep(
    tasks: Sequence[SweepTask],
    *,
    scheduler: str | None = None,
    n_workers: int = 2,
    on_progress: ProgressCallback | None = None,
) -> list[SweepResult]:
    """Solve every task on a Dask cluster; results in the order of ``tasks``.

    Parameters
    ----------
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); ``None`` starts a
        ``LocalCluster`` of ``n_workers`` single-threaded worker processes on this machine
        (listening on 127.0.0.1 only, no dashboard) and stops it afterwards.
    on_progress
        Called with (done, total) each time a task completes.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(1, n_workers),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = client.map(solve_task, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[SweepResult | None] = [None] * len(futures)
        for done, future in enumerate(as_completed(futures), start=1):
            results[index[future.key]] = future.result()
            if on_progress is not None:
                on_progress(done, len(futures))
        return [r for r in results if r is not None]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# Sensitivity variants ------------------------------------------------------------------------


def one_more_consultant(scenario: Scenario, provider: str) -> Scenario:
    """The week with one more consultant at ``provider``: a copy of its most skilled one."""
    own = [c for c in scenario.consultants if c.provider == provider]
    if not own:
        raise ValueError(f"provider {provider!r} has no consultant to copy")
    model = max(own, key=lambda c: (len(c.skills), c.id))
    taken = {c.id for c in scenario.consultants}
    k = 1
    while f"{model.id}-EXTRA-{k}" in taken:
        k += 1
    extra: Consultant = dataclasses.replace(
        model,
        id=f"{model.id}-EXTRA-{k}",
        name=f"Extra consultant {k} ({provider})",
        email=f"extra{k}.{provider}@consultplanner.example",
        unavailable=(),
    )
    return dataclasses.replace(scenario, consultants=(*scenario.consultants, extra))


def more_signals(scenario: Scenario, share: float = 0.2, seed: int = 0) -> Scenario:
    """The week with ``share`` more requests: new youths placed like existing ones, each
    with a copy of an existing request (same roles, duration and dates)."""
    rng = random.Random(seed)
    n = round(len(scenario.requests) * share)
    youths: list[Youth] = list(scenario.youths)
    requests: list[Request] = list(scenario.requests)
    for k in range(1, n + 1):
        template = rng.choice(scenario.requests)
        placed = scenario.youth(template.youth)
        youth = dataclasses.replace(
            placed,
            id=f"{placed.id}-S{k}",
            previous_consultant=None,
            excluded_consultants=frozenset(),
        )
        youths.append(youth)
        requests.append(
            dataclasses.replace(template, id=f"{template.id}-S{k}", youth=youth.id, pinned=None)
        )
    return dataclasses.replace(scenario, youths=tuple(youths), requests=tuple(requests))
