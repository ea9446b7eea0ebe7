"""``matcher audit verify|export``: check the hash chain, export rows for a period."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from matcher.cli.common import EXIT_BAD_INPUT
from matcher.security.audit import entries, export_csv, record, verify
from matcher.security.principal import SYSTEM
from matcher.storage.engine import get_engine

EXIT_OK = 0
EXIT_FAILED = 1
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _utc_bound(text: str | None, what: str) -> dt.datetime | None:
    """A local date (``2026-12-01``) or date-time, as naive UTC; ``--to`` dates are inclusive."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--{what} {text!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)"
        ) from None
    if what == "to" and len(text) <= 10:
        value += dt.timedelta(days=1)
    if value.tzinfo is None:
        value = value.replace(tzinfo=AMSTERDAM)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def cmd_audit(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    try:
        if args.audit_command == "verify":
            report = verify(engine)
            if report.ok:
                print(f"audit log intact: {report.rows} row(s), head {report.head}")
                return EXIT_OK
            print(f"audit log NOT intact: {report.problem}", file=sys.stderr)
            return EXIT_FAILED
        try:
            start = _utc_bound(args.from_, "from")
            end = _utc_bound(args.to, "to")
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        rows = entries(engine, start, end)
        text = export_csv(rows)
        record(
            engine,
            SYSTEM,
            "audit-export",
            client="cli",
            detail=f"{len(rows)} rij(en) {args.from_ or ''}..{args.to or ''}",
        )
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
            print(f"{args.out}: {len(rows)} row(s)")
        return EXIT_OK
    finally:
        engine.dispose()


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``audit`` command group."""
    p = sub.add_parser("audit", help="the audit log: verify the hash chain, export rows")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    audit = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit.add_parser("verify", help="report the first changed, inserted or deleted row")
    e = audit.add_parser("export", help="rows of a period as CSV")
    e.add_argument("--from", dest="from_", help="first day (Europe/Amsterdam), YYYY-MM-DD")
    e.add_argument("--to", help="last day, inclusive, YYYY-MM-DD")
    e.add_argument("--out", type=Path, default=None, help="file (default: standard output)")
    p.set_defaults(func=cmd_audit)
