"""``matcher generate``: write a seeded, realistic random scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_parser"]


def cmd_generate(args: argparse.Namespace) -> int:
    from matcher.scenario.generate import main_generate

    return main_generate(args.seed, args.requests, args.consultants, args.region, args.out)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher generate`` to the subcommands ``sub``."""
    p = sub.add_parser("generate", help="write a seeded, realistic random scenario")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--requests", type=int, default=80)
    p.add_argument("--consultants", type=int, default=18)
    p.add_argument("--region", choices=["limburg", "nl"], default="limburg")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_generate)
