"""``matcher purge [--closed-before DATE] [--dry-run] [--yes]``: apply the retention period.

A purge deletes cases for good, so it first reports what it would remove and asks for
``yes`` on the terminal; without a terminal (cron, scripts) it needs ``--yes``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from matcher.security.principal import SYSTEM
from matcher.security.retention import PurgeReport, RetentionError, purge, retention_months
from matcher.storage.engine import get_engine


def cmd_purge(args: argparse.Namespace) -> int:
    try:
        cutoff = dt.date.fromisoformat(args.closed_before) if args.closed_before else None
    except ValueError:
        print(
            f"error: --closed-before {args.closed_before!r} is not a date (YYYY-MM-DD)",
            file=sys.stderr,
        )
        return 2
    engine = get_engine(args.database_url)
    try:
        if not args.dry_run and not args.yes:
            preview = purge(engine, cutoff, SYSTEM, dry_run=True, client="cli")
            print(_summary("would remove", preview))
            if not preview.cases:
                return 0
            if not sys.stdin.isatty():
                print(
                    "error: a purge deletes these cases for good; run again with --yes "
                    "to confirm (or --dry-run to only report)",
                    file=sys.stderr,
                )
                return 2
            answer = input(f"Remove these {len(preview.cases)} case(s) for good? Type yes: ")
            if answer.strip().lower() not in ("yes", "ja"):
                print("nothing removed")
                return 1
            cutoff = preview.cutoff
        report = purge(engine, cutoff, SYSTEM, dry_run=args.dry_run, client="cli")
    except RetentionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(_summary("would remove" if args.dry_run else "removed", report))
    return 0


def _summary(verb: str, report: PurgeReport) -> str:
    return (
        f"{verb} {len(report.cases)} case(s) closed before {report.cutoff.isoformat()} "
        f"(retention {retention_months()} months): {len(report.rounds_deleted)} week(s) "
        f"deleted, {len(report.rounds_changed)} changed"
    )


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("purge", help="remove cases closed longer ago than the retention period")
    p.add_argument(
        "--closed-before",
        default=None,
        help="YYYY-MM-DD (default and latest allowed: today minus the period)",
    )
    p.add_argument("--dry-run", action="store_true", help="only report what would go")
    p.add_argument(
        "--yes", action="store_true", help="purge without asking (needed without a terminal)"
    )
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_purge)
