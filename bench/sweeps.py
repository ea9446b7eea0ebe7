"""Benchmark: a sweep of independent solves on 1 and on 2 Dask workers, in one run.

Run from the repository root::

    .venv/bin/python -m bench.sweeps              # 6 variants of limburg-week, 5 s each
    .venv/bin/python -m bench.sweeps --quick      # 4 variants of the example, 1 s each

The same tasks (one CP-SAT worker and a fixed seed each, so the plans are identical) run
first one after another in this process (the peer: no cluster), then on a ``LocalCluster``
of 2 single-threaded worker processes. The table gives both wall times, the speed-up and
whether both runs gave the same plans.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher.policy.sweeps import (
    SweepTask,
    more_signals,
    one_more_consultant,
    run_serial,
    run_sweep,
)
from matcher.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def tasks(quick: bool) -> list[SweepTask]:
    path = ROOT / "scenarios" / ("voorbeeld-week-48.yaml" if quick else "limburg-week.yaml")
    week = load_scenario(path)
    limit = 1.0 if quick else 5.0
    variants = [("basis", week)]
    variants += [(f"+1 {p.id}", one_more_consultant(week, p.id)) for p in week.providers]
    variants += [("+20% signalen", more_signals(week, 0.2, seed=1))]
    variants += [("+40% signalen", more_signals(week, 0.4, seed=2))]
    return [SweepTask(name, s, limit, seed=1) for name, s in variants[: 4 if quick else 6]]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sweeps")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    work = tasks(args.quick)
    t0 = time.monotonic()
    serial = run_serial(work)
    one = time.monotonic() - t0
    t0 = time.monotonic()
    parallel = run_sweep(work, n_workers=2)
    two = time.monotonic() - t0
    same = [a.plan.visits == b.plan.visits for a, b in zip(serial, parallel, strict=True)]
    print("| tasks | limit s | 1 worker s | 2 workers s | speed-up | same plans |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(work)} | {work[0].time_limit:g} | {one:.1f} | {two:.1f} | {one / two:.2f} | "
        f"{all(same)} |"
    )
    return 0 if all(same) else 1


if __name__ == "__main__":
    raise SystemExit(main())
