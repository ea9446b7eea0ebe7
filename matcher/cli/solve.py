"""``matcher solve``: solve a scenario file and write the plan JSON, printing progress.

Progress lines (elapsed seconds, best objective, bound, gap, planned requests) go to
standard error as the solver improves; the final summary goes to standard output. Exit
codes: 0 a plan was written (``optimal`` or ``feasible``), 1 no feasible plan (``infeasible``
or ``unknown``; the plan is still written, with the reasons), 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.cli.common import EXIT_BAD_INPUT, print_problems
from matcher.scenario.problems import ScenarioError, escape
from matcher.travel import TravelMatrixError

if TYPE_CHECKING:
    from matcher.solver.solve import Progress

EXIT_OK = 0
EXIT_FAILED = 1
MIN_SOLVE_SECONDS = 0.1
"""Seconds the solver always gets, even when loading used up the time limit."""


def solve_command(
    scenario_path: Path | str,
    out_path: Path | str,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
) -> int:
    """Solve ``scenario_path`` and write the plan to ``out_path``.

    Parameters
    ----------
    scenario_path
        A scenario file (YAML or JSON, ``FORMAT.md``).
    out_path
        Where the plan JSON goes.
    time_limit
        Seconds for the whole command: reading and checking the scenario, building the
        model and the search. The solver gets what loading left (at least
        :data:`MIN_SOLVE_SECONDS`, enough for the first plan by cheapest insertion).
    workers
        CP-SAT workers.
    seed
        Random seed (one worker and one seed give the same plan).

    Returns
    -------
    int
        Exit code: 0 a feasible plan, 1 none found (infeasible pins or unknown), 2 bad input.
    """
    t0 = time.monotonic()  # the time limit covers loading and checking the scenario too
    if time_limit <= 0 or workers < 1:
        print("time limit must be > 0 and workers >= 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import write_plan
    from matcher.solver.solve import SolveParams, format_progress, solve

    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        return print_problems(exc)
    except TravelMatrixError as exc:
        print(escape(f"{scenario_path}: travel matrix: {exc}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    loaded = time.monotonic() - t0

    def show(p: Progress) -> None:
        print(format_progress(p), file=sys.stderr, flush=True)

    print(
        f"solving '{scenario.name}': {len(scenario.requests)} requests, "
        f"{len(scenario.consultants)} consultants, {len(scenario.days)} days "
        f"(time limit {time_limit:g} s, {workers} worker(s), seed {seed}; "
        f"read and checked in {loaded:.2f} s)",
        file=sys.stderr,
    )
    left = max(MIN_SOLVE_SECONDS, time_limit - (time.monotonic() - t0))
    result = solve(
        scenario, SolveParams(time_limit=left, workers=workers, seed=seed), on_progress=show
    )
    try:
        write_plan(result.plan, out_path)
    except OSError as exc:
        print(f"{out_path}: cannot write the plan: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print(result.summary())
    for u in result.plan.unassigned:
        print(f"  open {u.request}: {'; '.join(u.reasons)}")
    print(f"plan written to {out_path}")
    return EXIT_OK if result.status in ("optimal", "feasible") else EXIT_FAILED


def cmd_solve(args: argparse.Namespace) -> int:
    return solve_command(args.scenario, args.out, args.time_limit, args.workers, args.seed)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher solve`` to the subcommands ``sub``."""
    p = sub.add_parser("solve", help="plan the week and write the plan (JSON)")
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_solve)
