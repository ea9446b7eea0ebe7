"""``matcher sweep``: sensitivity runs of one week on a Dask cluster, with a progress bar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "progress_bar"]


def progress_bar(done: int, total: int, width: int = 30) -> str:
    """``[#########.....]  3/10`` (plain ASCII, for any terminal)."""
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def _variants(spec: str) -> list[str]:
    return [v.strip() for v in spec.split(",") if v.strip()]


def cmd_sweep(args: argparse.Namespace) -> int:
    from matcher.policy.sweeps import (
        SweepTask,
        more_signals,
        one_more_consultant,
        run_serial,
        run_sweep,
    )
    from matcher.scenario.loader import load_scenario

    scenario = load_scenario(args.scenario)
    tasks = []
    for name in _variants(args.variants):
        if name == "basis":
            s = scenario
        elif name.startswith("+consultant:"):
            s = one_more_consultant(scenario, name.split(":", 1)[1])
        elif name.startswith("+signals:"):
            s = more_signals(scenario, float(name.split(":", 1)[1]) / 100, seed=args.seed)
        else:
            print(
                f"unknown variant {name!r}; allowed: basis, +consultant:PROVIDER, +signals:PCT",
                file=sys.stderr,
            )
            return 2
        tasks.append(SweepTask(name, s, args.time_limit, args.seed))

    def show(done: int, total: int) -> None:
        print(f"\r{progress_bar(done, total)}", end="" if done < total else "\n", flush=True)

    if args.workers <= 1 and args.scheduler is None:
        results = run_serial(tasks, on_progress=show)
    else:
        results = run_sweep(
            tasks, scheduler=args.scheduler, n_workers=args.workers, on_progress=show
        )
    base = results[0].objective if results else 0
    head = ("variant", "objective", "vs first", "planned", "open", "travel")
    print(f"{head[0]:<24} {head[1]:>10} {head[2]:>9} {head[3]:>8} {head[4]:>5} {head[5]:>7}")
    for r in results:
        diff = r.objective - base
        print(
            f"{r.name:<24} {r.objective:>10} {diff:>+9} {r.planned:>8} {r.open:>5} "
            f"{r.travel_minutes:>7}"
        )
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher sweep`` to the command line."""
    p = sub.add_parser("sweep", help="sensitivity runs of a week on a Dask cluster")
    p.add_argument("scenario", type=Path)
    p.add_argument(
        "--variants",
        default="basis,+signals:20",
        help="comma-separated: basis, +consultant:PROVIDER, +signals:PCT",
    )
    p.add_argument("--workers", type=int, default=2, help="local Dask workers (1: no cluster)")
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler to use instead")
    p.add_argument("--time-limit", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_sweep)
