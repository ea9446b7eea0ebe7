"""``matcher import`` and ``matcher export``: scenario files into and out of the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from matcher.cli.common import EXIT_OK, print_problems
from matcher.scenario.problems import ScenarioError, escape
from matcher.storage.errors import StorageError
from matcher.storage.rounds import _resolve_round
from matcher.storage.scenarios import export_scenario, import_scenario

__all__ = ["add_parser", "database_error_line", "export_command", "import_command"]


def import_command(scenario_path: Path | str, database_url: str | None = None) -> int:
    """``matcher import``: validate a scenario file and store it (replacing a same-named round).

    Returns
    -------
    int
        0 on success; 2 when the scenario has problems (each is printed) or the database
        refuses it (one line, no traceback); nothing is written then.
    """
    from matcher.scenario.loader import load_scenario
    from matcher.storage.engine import get_engine

    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        heading = f"{scenario_path}: {len(exc.problems)} problem(s); nothing imported"
        return print_problems(exc, heading)
    try:
        engine = get_engine(database_url)
        try:
            round_id = import_scenario(engine, scenario, replace=True)
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError, ArithmeticError, ValueError) as exc:
        print(f"import failed, nothing written: {database_error_line(exc)}", file=sys.stderr)
        return 2
    print(
        f"imported {scenario.name!r} as planning round {round_id}: "
        f"{len(scenario.consultants)} consultants, {len(scenario.locations)} locations, "
        f"{len(scenario.youths)} youths, {len(scenario.requests)} requests"
    )
    return 0


def database_error_line(exc: BaseException) -> str:
    """One safe line for a database error: the driver's error type and first line.

    SQLAlchemy's own text of an error lists the SQL statement and its parameters (which may
    hold an address); the driver's first line names only the rule broken.
    """
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return escape(f"{type(orig).__name__}: {lines[0] if lines else 'no details'}"[:300])


def export_command(
    out_path: Path | str,
    round_name_or_id: str | int | None = None,
    database_url: str | None = None,
) -> int:
    """``matcher export``: write a stored round as a scenario file (YAML, or JSON by extension).

    Travel overrides go to a CSV beside the output (``<stem>.travel.csv``), referenced from
    the document. Without ``round_name_or_id`` the newest round is exported.

    Returns
    -------
    int
        0 on success; 2 when there is no such round; 1 when the database fails.
    """
    from matcher.scenario.writer import write_scenario
    from matcher.storage.engine import get_engine

    try:
        engine = get_engine(database_url)
        try:
            info = _resolve_round(engine, round_name_or_id)
            if info is None:
                what = (
                    "no planning rounds stored"
                    if round_name_or_id is None
                    else (f"no planning round named or numbered {str(round_name_or_id)!r}")
                )
                print(f"export: {what}", file=sys.stderr)
                return 2
            scenario = export_scenario(engine, info.id)
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError) as exc:
        print(f"export failed: {database_error_line(exc)}", file=sys.stderr)
        return 1
    written = write_scenario(scenario, out_path)
    print(f"exported planning round {info.id} ({info.name!r}) to " + ", ".join(map(str, written)))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    return import_command(args.scenario, args.database_url)


def cmd_export(args: argparse.Namespace) -> int:
    code = export_command(args.out, args.round, args.database_url)
    if code == EXIT_OK:
        from matcher.security.audit import record
        from matcher.security.principal import SYSTEM
        from matcher.storage.engine import get_engine

        print(
            f"note: {args.out} holds the addresses of confidential locations (on purpose, "
            "to plan the week elsewhere): keep it on a protected disk, never send it on",
            file=sys.stderr,
        )
        engine = get_engine(args.database_url)
        try:
            record(
                engine,
                SYSTEM,
                "export",
                subject=f"matcher export {Path(args.out).name} (met vertrouwelijke adressen)",
                client="cli",
                detail=f"week {args.round or 'nieuwste'}",
            )
        finally:
            engine.dispose()
    return code


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher import`` and ``matcher export`` to the subcommands ``sub``."""
    p = sub.add_parser("import", help="store a scenario file in the database")
    p.add_argument("scenario", type=Path)
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a stored scenario to a file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--round", default=None, help="name or id of the planning round")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_export)
