"""The ``matcher`` command line: validate, generate, import/export, solve, check, ics (+ mail).

Exit codes: 0 success, 1 a plan with violations (``check``) or a failed run, 2 bad input.
This module builds the parser and dispatches; each command group is a module of
:mod:`matcher.cli` with an ``add_parser`` and its ``cmd_*`` functions.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from matcher.cli import check, explain, generate, ics, import_export, rounds, solve, validate
from matcher.cli.common import print_problems
from matcher.scenario.problems import ScenarioError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matcher",
        description="Plan weekly consult rounds: specialists visit youths where they live.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (validate, generate, import_export, solve, check, explain, ics, rounds):
        group.add_parser(sub)

    from matcher.cli.costs import add_costs_parser

    add_costs_parser(sub)

    from matcher.cli import sweep as sweeps_cli

    sweeps_cli.add_parser(sub)

    from matcher.cli import whatif as whatif_cli

    whatif_cli.add_parser(sub)

    from matcher.cli import audit as audit_cli
    from matcher.cli import purge as retention_cli
    from matcher.cli import users as users_cli

    users_cli.add_parser(sub)
    audit_cli.add_parser(sub)
    retention_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        return print_problems(exc)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
