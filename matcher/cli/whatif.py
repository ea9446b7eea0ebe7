"""``matcher whatif``: on-site expertise against one central centre (see
:mod:`matcher.policy.whatif`).

The weeks are stored rounds (``--rounds all`` or names/ids) or a generated year
(``--generate-weeks N --seed S``). Prints the figures side by side and the yearly cost per
gemeente; ``--xlsx`` and ``--pdf`` write the report files of :mod:`matcher.policy.whatif_export`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from matcher.policy.whatif import Centre, Comparison
    from matcher.scenario.domain import Scenario

__all__ = ["add_parser", "centre_arg", "whatif_command"]


def centre_arg(text: str) -> tuple[float, float]:
    """An argparse type: ``LAT,LON`` in WGS84 degrees."""
    parts = text.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a position; allowed: LAT,LON in degrees, e.g. 51.19,5.99"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(
            f"{text!r}: allowed latitude -90..90 and longitude -180..180"
        )
    return lat, lon


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``matcher whatif`` on the command line's subparsers."""
    from matcher.policy.whatif import DEFAULT_CENTRE_COST_EUR

    p = sub.add_parser(
        "whatif",
        help="compare on-site expertise with one central centre on the same weeks",
        description="Plan every week twice, on site (as today) and with every youth moved "
        "to one centre at --centre, and compare travel hours and km, waiting days, youths "
        "who must move, the most victims at one address and the yearly cost per gemeente "
        "(pay per use against a fixed contribution to the centre's budget).",
    )
    weeks = p.add_mutually_exclusive_group(required=True)
    weeks.add_argument(
        "--rounds", default=None, help="'all' or comma-separated names/ids of stored rounds"
    )
    weeks.add_argument(
        "--generate-weeks", type=int, default=None, metavar="N", help="generate N weeks"
    )
    p.add_argument("--seed", type=int, default=1, help="seed of the generated weeks")
    p.add_argument(
        "--requests-per-week",
        type=float,
        default=15.0,
        help="mean new requests a week over Limburg, shared by population (default 15)",
    )
    p.add_argument("--consultants", type=int, default=8, help="consultants of a generated week (8)")
    p.add_argument(
        "--rates",
        type=Path,
        default=None,
        metavar="CSV",
        help="mean new requests a week per gemeente (columns gemeente,per_week) instead of "
        "--requests-per-week shared by population",
    )
    p.add_argument("--centre", type=centre_arg, required=True, metavar="LAT,LON")
    p.add_argument(
        "--contribution",
        choices=("population", "equal"),
        default="population",
        help="split of the centre's budget (default population)",
    )
    p.add_argument(
        "--centre-cost",
        type=float,
        default=float(DEFAULT_CENTRE_COST_EUR),
        metavar="EUR",
        help=f"the centre's yearly budget in euros (default {DEFAULT_CENTRE_COST_EUR})",
    )
    p.add_argument("--time-limit", type=float, default=5.0, help="seconds per solve (5)")
    p.add_argument(
        "--workers", type=int, default=1, help="parallel solves on a local Dask cluster (1: none)"
    )
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler to use instead")
    p.add_argument("--xlsx", type=Path, default=None, help="write an Excel workbook")
    p.add_argument("--pdf", type=Path, default=None, help="write a PDF report")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    return whatif_command(args)


def _weeks(args: argparse.Namespace) -> list[Scenario]:
    """The stored rounds named by ``--rounds``, else the generated weeks."""
    from matcher.policy.whatif import generate_weeks, load_rates, round_scenarios

    if args.rounds is not None:
        from matcher.storage.engine import get_engine

        names = (
            None
            if args.rounds.strip() == "all"
            else [n.strip() for n in args.rounds.split(",") if n.strip()]
        )
        engine = get_engine(args.database_url)
        try:
            return round_scenarios(engine, names)
        finally:
            engine.dispose()
    return generate_weeks(
        args.seed,
        args.generate_weeks,
        requests_per_week=args.requests_per_week,
        n_consultants=args.consultants,
        rates=load_rates(args.rates) if args.rates is not None else None,
    )


def _print_result(result: Comparison, centre: Centre) -> None:
    """The warnings, the summary and the table per gemeente, on standard output."""
    from matcher.policy.cost_export import nl_euro
    from matcher.policy.whatif_export import summary_rows

    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(
        f"centre {centre.lat:.4f},{centre.lon:.4f} ({centre.gemeente}); {result.weeks} week(s); "
        f"budget {nl_euro(result.centre_cost_cents)} split by {result.contribution}"
    )
    rows: list[tuple[str, ...]] = [("", "on site", "central")]
    rows += [(s.label, s.text(s.onsite), s.text(s.central)) for s in summary_rows(result)]
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print(f"{r[0].ljust(width[0])}  {r[1].rjust(width[1])}  {r[2].rjust(width[2])}")
    print()
    table: list[tuple[str, ...]] = [
        ("gemeente", "on site/yr", "contribution", "central use", "central/yr")
    ]
    table += [
        (
            r.gemeente,
            nl_euro(r.onsite_cents),
            nl_euro(r.contribution_cents),
            nl_euro(r.central_use_cents),
            nl_euro(r.central_cents),
        )
        for r in result.rows
    ]
    width = [max(len(r[i]) for r in table) for i in range(5)]
    for r in table:
        print(
            "  ".join(
                [r[0].ljust(width[0]), *(c.rjust(w) for c, w in zip(r[1:], width[1:], strict=True))]
            )
        )


def whatif_command(args: argparse.Namespace) -> int:
    """Run ``matcher whatif``; returns the exit code (2 for bad input, 1 for a failure)."""
    from sqlalchemy.exc import SQLAlchemyError

    from matcher.policy.whatif import (
        WhatIfError,
        compare,
        make_centre,
    )
    from matcher.policy.whatif_export import whatif_excel_bytes, whatif_pdf_bytes
    from matcher.storage import StorageError

    problems = []
    if args.generate_weeks is not None and args.generate_weeks < 1:
        problems.append(f"--generate-weeks {args.generate_weeks}: allowed a whole number >= 1")
    if args.time_limit <= 0:
        problems.append(f"--time-limit {args.time_limit}: allowed seconds > 0")
    if not args.centre_cost >= 0:
        problems.append(f"--centre-cost {args.centre_cost}: allowed euros >= 0")
    if args.consultants < 1:
        problems.append(f"--consultants {args.consultants}: allowed >= 1")
    if args.requests_per_week < 0:
        problems.append(f"--requests-per-week {args.requests_per_week}: allowed >= 0")
    if problems:
        for p in problems:
            print(f"whatif: {p}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        centre = make_centre(*args.centre)
        scenarios = _weeks(args)
        if args.rounds is not None and not scenarios:
            print("whatif: no stored rounds to compare", file=sys.stderr)
            return EXIT_BAD_INPUT

        from matcher.cli.sweep import progress_bar

        def progress(done: int, total: int) -> None:
            end = "\n" if done == total else ""
            print(f"\r{progress_bar(done, total)}", end=end, file=sys.stderr, flush=True)

        result = compare(
            scenarios,
            centre,
            time_limit=args.time_limit,
            contribution=args.contribution,
            centre_cost_eur=args.centre_cost,
            on_progress=progress,
            n_workers=args.workers,
            scheduler=args.scheduler,
        )
    except WhatIfError as exc:
        print(f"whatif: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"whatif: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StorageError, SQLAlchemyError) as exc:
        print(f"whatif failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    _print_result(result, centre)
    if args.xlsx is not None:
        args.xlsx.write_bytes(whatif_excel_bytes(result))
        print(f"wrote {args.xlsx}")
    if args.pdf is not None:
        args.pdf.write_bytes(whatif_pdf_bytes(result))
        print(f"wrote {args.pdf}")
    return EXIT_OK
