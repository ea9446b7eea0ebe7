"""``matcher purge [--closed-before DATE] [--dry-run]``: apply the retention period."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from matcher.db.engine import get_engine
from matcher.principal import SYSTEM
from matcher.retention import RetentionError, purge, retention_months


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
        report = purge(engine, cutoff, SYSTEM, dry_run=args.dry_run, client="cli")
    except RetentionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    verb = "would remove" if args.dry_run else "removed"
    print(
        f"{verb} {len(report.cases)} case(s) closed before {report.cutoff.isoformat()} "
        f"(retention {retention_months()} months): {len(report.rounds_deleted)} week(s) "
        f"deleted, {len(report.rounds_changed)} changed"
    )
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("purge", help="remove cases closed longer ago than the retention period")
    p.add_argument(
        "--closed-before",
        default=None,
        help="YYYY-MM-DD (default and latest allowed: today minus the period)",
    )
    p.add_argument("--dry-run", action="store_true", help="only report what would go")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_purge)
