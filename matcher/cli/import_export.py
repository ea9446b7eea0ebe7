"""``matcher import`` and ``matcher export``: scenario files into and out of the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matcher.cli.common import EXIT_OK

__all__ = ["add_parser"]


def cmd_import(args: argparse.Namespace) -> int:
    from matcher.storage import import_command

    return import_command(args.scenario, args.database_url)


def cmd_export(args: argparse.Namespace) -> int:
    from matcher.storage import export_command

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
