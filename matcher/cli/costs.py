"""``matcher costs``: what the stored plans cost, per responsible gemeente and period.

Prints one line per period and gemeente (plain numbers, euros with a dot decimal) and the
total; with ``--csv`` and ``--xlsx`` also writes the files of :mod:`matcher.policy.cost_export`.
Warnings (missing rates, overlapping rounds, visits outside every window) go to stderr.
Which rounds and plans are priced: see :mod:`matcher.policy.cost_rounds`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:  # the heavy imports wait until the command runs (fast ``matcher --help``)
    from matcher.policy.cost_rounds import CostReport
    from matcher.policy.costs import Period

__all__ = ["PERIOD_CHOICES", "add_costs_parser", "costs_command", "iso_date", "report_lines"]

PERIOD_CHOICES = ("week", "month", "quarter", "year")
"""The same as :data:`matcher.policy.costs.PERIODS`."""


def iso_date(text: str) -> dt.date:
    """An argparse type: ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; allowed: YYYY-MM-DD") from None


def add_costs_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``matcher costs`` on the command line's subparsers."""
    p = sub.add_parser(
        "costs",
        help="costs of the stored plans per responsible gemeente and period",
        description="Costs of the stored plans (the plan marked as sent, else the newest, of "
        "each round): consultant hours at the provider's hourly_rate plus the km of each tour "
        "at its km_rate, shared over the tour's visits. Without --round or --from/--to: "
        "every stored round.",
    )
    p.add_argument("--round", default=None, help="name or id of one planning round")
    p.add_argument("--from", dest="start", type=iso_date, default=None, help="first date")
    p.add_argument("--to", dest="end", type=iso_date, default=None, help="last date")
    p.add_argument("--by", choices=PERIOD_CHOICES, default="week", help="period (default week)")
    p.add_argument("--gemeente", default=None, help="only this responsible gemeente")
    p.add_argument("--csv", type=Path, default=None, help="write the rows as CSV")
    p.add_argument("--xlsx", type=Path, default=None, help="write an Excel workbook")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    return costs_command(
        round_name_or_id=args.round,
        start=args.start,
        end=args.end,
        by=args.by,
        gemeente=args.gemeente,
        csv_path=args.csv,
        xlsx_path=args.xlsx,
        database_url=args.database_url,
    )


def report_lines(report: CostReport, by: Period) -> list[str]:
    """The printed table: a header, one line per period (its key, e.g. ``2026-W48``) and
    gemeente, and the total."""
    from matcher.policy.cost_export import euros_plain

    rows = [("period", "gemeente", "visits", "hours", "hours_eur", "km", "km_eur", "total_eur")]
    for (p, g), t in report.by_period(by).items():
        rows.append(
            (
                p,
                g,
                str(t.visits),
                f"{t.minutes / 60:.2f}",
                euros_plain(t.hours_cents),
                f"{t.metres / 1000:.1f}",
                euros_plain(t.km_cents),
                euros_plain(t.total_cents),
            )
        )
    visits = len(report.visits)
    rows.append(("total", "", str(visits), "", "", "", "", euros_plain(report.total_cents)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _print_notes(report: CostReport) -> None:
    """The warnings of ``report`` (standard error) and the plan used of each round."""
    for m in report.missing_rates:
        what = " and ".join(
            n for n, gone in (("hourly_rate", m.hourly_rate), ("km_rate", m.km_rate)) if gone
        )
        print(
            f"warning: provider {m.provider} ({m.name}) has no {what}: counted as 0",
            file=sys.stderr,
        )
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for rc in report.rounds:
        which = (
            "no plan"
            if rc.plan_id is None
            else f"plan {rc.plan_id} ({'sent' if rc.sent else 'newest'})"
        )
        print(f"round {rc.round.id} {rc.round.name!r}: {which}")


def costs_command(
    *,
    round_name_or_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: Period = "week",
    gemeente: str | None = None,
    csv_path: Path | None = None,
    xlsx_path: Path | None = None,
    database_url: str | None = None,
) -> int:
    """Run ``matcher costs``; returns the exit code.

    Returns
    -------
    int
        0 on success; 2 for bad input (``--round`` with ``--from``/``--to``, an unknown
        round or gemeente, ``--from`` after ``--to``); 1 when the database fails or a
        round's plan cannot be priced (then no file is written).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from matcher.policy.cost_export import costs_csv_bytes, costs_excel_bytes
    from matcher.policy.cost_rounds import RoundNotFound, cost_report
    from matcher.policy.costs import same_gemeente
    from matcher.storage import StorageError
    from matcher.storage.engine import get_engine

    if round_name_or_id is not None and (start is not None or end is not None):
        print("costs: give --round or --from/--to, not both", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        engine = get_engine(database_url)
        try:
            report = cost_report(
                engine, round_name_or_id=round_name_or_id, start=start, end=end, gemeente=gemeente
            )
        finally:
            engine.dispose()
    except (RoundNotFound, ValueError) as exc:
        print(f"costs: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StorageError, SQLAlchemyError) as exc:
        print(f"costs failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if gemeente is not None and not any(same_gemeente(g, gemeente) for g in report.gemeenten):
        known = ", ".join(report.gemeenten) or "none"
        print(
            f"costs: --gemeente {gemeente!r} is responsible for no youth in the covered "
            f"rounds; allowed: {known}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if not report.rounds:
        print("costs: no planning rounds in the selection", file=sys.stderr)
    _print_notes(report)
    for line in report_lines(report, by):
        print(line)
    if report.unpriced:
        print(
            f"costs: {len(report.unpriced)} round(s) could not be priced (see the warnings); "
            "no file written",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if csv_path is not None:
        csv_path.write_bytes(costs_csv_bytes(report, by))
        print(f"wrote {csv_path}")
    if xlsx_path is not None:
        xlsx_path.write_bytes(costs_excel_bytes(report, by))
        print(f"wrote {xlsx_path}")
    return EXIT_OK
