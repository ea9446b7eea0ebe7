"""``matcher validate``: check a scenario file and summarise it."""

from __future__ import annotations

import argparse
from pathlib import Path

from matcher.cli.common import EXIT_OK, print_problems
from matcher.scenario.problems import ScenarioError

__all__ = ["add_parser"]


def cmd_validate(args: argparse.Namespace) -> int:
    from matcher.scenario.loader import load_scenario

    try:
        s = load_scenario(args.scenario)
    except ScenarioError as exc:
        return print_problems(exc)
    joint = sum(1 for r in s.requests if r.is_joint)
    pins = sum(1 for r in s.requests if r.pinned is not None)
    span = f"{s.days[0].isoformat()}..{s.days[-1].isoformat()}"
    print(
        f"{args.scenario}: valid: '{s.name}', {len(s.days)} day(s) {span}, "
        f"{len(s.providers)} providers, {len(s.consultants)} consultants, "
        f"{len(s.locations)} locations, {len(s.youths)} youths, {len(s.requests)} requests "
        f"({joint} joint, {pins} pinned), {len(s.tours())} tours"
    )
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher validate`` to the subcommands ``sub``."""
    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("scenario", type=Path)
    p.set_defaults(func=cmd_validate)
