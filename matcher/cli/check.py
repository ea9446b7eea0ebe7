"""``matcher check``: check a plan against its scenario, independently."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matcher.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, print_problems
from matcher.scenario.problems import ScenarioError

__all__ = ["add_parser"]


def cmd_check(args: argparse.Namespace) -> int:
    from matcher.checker import check_plan
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        return print_problems(exc)
    try:
        plan = read_plan(args.plan)
    except PlanFormatError as exc:
        print(f"{exc.source}: the plan is malformed:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = check_plan(scenario, plan)
    for violation in report.violations:
        print(f"VIOLATION: {violation}")
    print(f"{args.plan}: {report.summary()}")
    return EXIT_OK if report.feasible else EXIT_FAILED


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher check`` to the subcommands ``sub``."""
    p = sub.add_parser("check", help="check a plan against its scenario, independently")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path)
    p.set_defaults(func=cmd_check)
