"""``matcher explain``: cost terms of each visit, reasons (and fixes) for open requests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matcher.cli.common import EXIT_BAD_INPUT, EXIT_OK

__all__ = ["add_parser"]


def cmd_explain(args: argparse.Namespace) -> int:
    from matcher.explain.reasons import explain_unassigned, explain_visit, plan_cost_breakdown
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan
    from matcher.travel import build_travel_matrix

    scenario = load_scenario(args.scenario)
    try:
        plan = read_plan(args.plan)
    except PlanFormatError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    travel = build_travel_matrix(scenario)
    wanted = set(args.request or [])
    for visit in plan.visits:
        if not wanted or visit.request in wanted:
            explanation = explain_visit(scenario, plan.visits, travel, visit.request)
            print(f"{visit.request}:")
            for line in explanation.lines():
                print(f"  {line}")
    open_ids = [u.request for u in plan.unassigned if not wanted or u.request in wanted]
    reasons = explain_unassigned(scenario, plan.visits, travel, open_ids) if open_ids else {}
    fixes = {}
    if open_ids and args.fixes > 0:
        from matcher.explain.remedies import describe, find_remedies

        fixes = find_remedies(scenario, plan, open_ids, seconds=args.fixes)
    for rid in open_ids:
        print(f"{rid}: not planned")
        for reason in reasons[rid]:
            print(f"  - {reason}")
        remedy = fixes.get(rid)
        if remedy is not None:
            print(f"  fix: {describe(remedy)}")
        elif rid in fixes:
            print("  fix: no small change found (longer tour, higher cap, later date, skill)")
    if not wanted:
        terms = plan_cost_breakdown(scenario, plan, travel)
        print(", ".join(f"{k} {v}" for k, v in terms.items()))
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher explain`` to the subcommands ``sub``."""
    p = sub.add_parser("explain", help="cost terms of each visit, reasons for open requests")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path)
    p.add_argument("--request", action="append", help="only this request (repeatable)")
    p.add_argument(
        "--fixes",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds to find the smallest change that plans each open request (0: skip)",
    )
    p.set_defaults(func=cmd_explain)
