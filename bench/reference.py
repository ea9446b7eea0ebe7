"""Long runs of our own solver: the best-known plans the benchmark compares against.

Run from the repository root::

    .venv/bin/python -m bench.reference                       # 600 s per run, all sizes
    .venv/bin/python -m bench.reference --sizes 40,80 --seeds 11,12,13 --solver-seeds 1 \\
        --workers 1 --time-limit 600 --full-sizes 80

Every instance is solved once per solver seed (``--solver-seeds``, default 1,2) with
``--time-limit`` seconds (default 600) and ``--workers`` CP-SAT workers, scored by the
checker, and merged into ``bench/reference.json`` (:mod:`bench.best_known`) right after the
run, so an interrupted session keeps what it found. The store is monotone: an entry only
changes when a run finds a strictly better objective or a stronger bound.

Two instance families, both with generator seeds :data:`REFERENCE_SEEDS` by default (not
seed 1, the seed of the benchmark's other generated weeks; bench.run uses the same seeds
for its 40- and 80-request weeks and the full family, so those rows get a ``ours/ref``):

- the peer-expressible weeks of :mod:`bench.run` (``--sizes``): :func:`bench.run.generated_case`,
  no joint visits or weekly caps, pins on the 40- and 80-request weeks;
- the full family (``--full-sizes``): :func:`bench.run.full_case`, the generator's defaults
  with joint visits, weekly caps and pins, which only our own reference can judge.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``matcher`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.best_known import REFERENCE_PATH, load_reference, record_result, save_reference
from bench.run import (
    DEFAULT_PIN_SHARES,
    REFERENCE_SEEDS,
    Case,
    _commit,
    _dirty,
    _ints,
    full_case,
    generated_case,
)
from matcher.checker import check_plan
from matcher.solver.solve import SolveParams, solve

__all__ = [
    "REFERENCE_SEEDS",
    "main",
    "reference_cases",
    "reference_run",
    "summary_table",
]

DEFAULT_SIZES: tuple[int, ...] = (40, 80, 300, 1000)
DEFAULT_FULL_SIZES: tuple[int, ...] = (80,)
META_NOTE = (
    "Best-known plans per instance: the lowest checker objective any run found (a new run "
    "replaces an entry only when strictly better) and the highest proven lower bound. "
    "Written by bench.reference (long runs) and bench.run (only when it beats the entry). "
    "See bench/README.md, 'Reference runs'."
)


def reference_cases(
    sizes: Sequence[int],
    full_sizes: Sequence[int],
    seeds: Sequence[int],
    time_limit: float,
) -> list[Case]:
    """The peer-expressible weeks for ``sizes``, then the full family for ``full_sizes``,
    each for every generator seed in ``seeds``."""
    cases = [
        generated_case(n, s, time_limit, DEFAULT_PIN_SHARES.get(n, 0.0))
        for n in sizes
        for s in seeds
    ]
    cases += [full_case(n, s, time_limit) for n in full_sizes for s in seeds]
    return cases


def reference_run(case: Case, solver_seed: int, workers: int) -> dict[str, Any]:
    """Solve ``case`` once (its time limit, ``workers``, ``solver_seed``); the result in the
    shape :func:`bench.best_known.merge_result` takes."""
    scenario = case.load()
    started = time.perf_counter()
    result = solve(
        scenario, SolveParams(time_limit=case.time_limit, workers=workers, seed=solver_seed)
    )
    seconds = time.perf_counter() - started
    report = check_plan(scenario, result.plan)
    return {
        "requests": len(scenario.requests),
        "objective": report.objective,
        "assigned": len(result.plan.visits),
        "bound": result.bound,
        "feasible": report.feasible,
        "status": result.status,
        "seconds": round(seconds, 1),
        "tool": "bench.reference",
        "solver_seed": solver_seed,
        "time_limit": case.time_limit,
        "workers": workers,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def summary_table(doc: dict[str, Any]) -> str:
    """The store as a Markdown table: one line per instance, best-known objective, assigned,
    bound, gap, the run that found it and how many runs there were."""
    lines = [
        "| instance | req | best-known obj | assigned | bound | gap | found by | runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, e in doc["instances"].items():
        obj, bound = e.get("objective"), e.get("bound")
        gap = "–" if obj in (None, 0) or bound is None else f"{100 * (obj - bound) / obj:.2f}%"
        src = e.get("found_by") or {}
        found = (
            f"{src.get('tool')} seed {src.get('solver_seed')}, {src.get('time_limit'):g} s, "
            f"{src.get('workers')} worker(s), {src.get('commit')}, {src.get('date')}"
            if src
            else "–"
        )
        secs = ", ".join(f"{r.get('seconds')} s" for r in e.get("runs", []))
        lines.append(
            f"| {name} | {e.get('requests')} | {obj} | {e.get('assigned')}/{e.get('requests')} "
            f"| {bound} | {gap} | {found} | {len(e.get('runs', []))} ({secs}) |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Command-line entry: run the reference solves and merge them into the store."""
    ap = argparse.ArgumentParser(
        prog="python -m bench.reference", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--time-limit", type=float, default=600.0, help="seconds per run")
    ap.add_argument(
        "--sizes",
        type=_ints,
        default=list(DEFAULT_SIZES),
        help="peer-expressible week sizes (default 40,80,300,1000; 'none' for none)",
    )
    ap.add_argument(
        "--full-sizes",
        type=_ints,
        default=list(DEFAULT_FULL_SIZES),
        help="full-family sizes, with joint visits and weekly caps (default 80; 'none')",
    )
    ap.add_argument(
        "--seeds",
        type=_ints,
        default=list(REFERENCE_SEEDS),
        help="generator seeds (default 11,12,13)",
    )
    ap.add_argument("--solver-seeds", type=_ints, default=[1, 2], help="solver seeds (default 1,2)")
    ap.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    ap.add_argument("--out", type=Path, default=REFERENCE_PATH, help="the store (JSON)")
    ap.add_argument(
        "--summary", action="store_true", help="print the store as a table and exit (no solving)"
    )
    args = ap.parse_args(argv)
    if args.summary:
        out(summary_table(load_reference(args.out)))
        return 0

    commit = _commit()
    dirty = _dirty(["matcher/solver", "matcher/rules"])
    if dirty and commit:
        commit += "+uncommitted"
    doc = load_reference(args.out)
    doc["meta"] = {**doc.get("meta", {}), "note": META_NOTE}
    save_reference(doc, args.out)
    cases = reference_cases(args.sizes, args.full_sizes, args.seeds, args.time_limit)
    out(
        f"{len(cases)} instance(s) x {len(args.solver_seeds)} solver seed(s) x "
        f"{args.time_limit:g} s, {args.workers} worker(s), commit {commit}"
    )
    for case in cases:
        for solver_seed in args.solver_seeds:
            res = reference_run(case, solver_seed, args.workers)
            res["commit"] = commit
            changed = record_result(case.name, res, path=args.out)
            best = load_reference(args.out)["instances"][case.name]
            out(
                f"{case.name} solver seed {solver_seed}: objective {res['objective']} "
                f"({res['assigned']}/{res['requests']}, feasible {res['feasible']}), bound "
                f"{res['bound']}, {res['status']}, {res['seconds']} s"
                + (" NEW BEST" if changed["objective"] else "")
                + (" new bound" if changed["bound"] else "")
                + f"; best-known {best['objective']} (bound {best['bound']})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
