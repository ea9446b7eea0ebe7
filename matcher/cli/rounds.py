"""``matcher round``: the weekly cycle of planning rounds."""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def cmd_round_next(args: argparse.Namespace) -> int:
    from matcher.cycle.advance import round_next_command

    return round_next_command(args.round, args.name, args.database_url)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher round`` to the subcommands ``sub``."""
    p = sub.add_parser("round", help="the weekly cycle of planning rounds")
    round_sub = p.add_subparsers(dest="round_command", required=True, metavar="ACTION")
    q = round_sub.add_parser(
        "next", help="make next week's round: open requests, availability, trajectories"
    )
    q.add_argument("--round", default=None, help="name or id of the current round (default newest)")
    q.add_argument("--name", default=None, help="name of the new round")
    q.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    q.set_defaults(func=cmd_round_next)
