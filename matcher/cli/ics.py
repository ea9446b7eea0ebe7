"""``matcher ics``: calendar invites per consultant and location contact (and e-mail)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_parser"]


def cmd_ics(args: argparse.Namespace) -> int:
    from matcher.export.invites import ics_command

    return ics_command(
        args.scenario,
        args.plan,
        args.out,
        args.previous,
        args.organizer,
        send=args.send,
        eml_dir=args.dry_run_eml,
    )


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``matcher ics`` to the subcommands ``sub``."""
    p = sub.add_parser("ics", help="calendar invites (.ics) per consultant and location contact")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument(
        "--previous", type=Path, default=None, help="plan sent before (use DIR/sent-plan.json)"
    )
    p.add_argument(
        "--organizer", default=None, help='"Name <email>" (default $CONSULTPLANNER_ORGANIZER)'
    )
    mail = p.add_mutually_exclusive_group()
    mail.add_argument(
        "--send",
        action="store_true",
        help="also e-mail the changed visits, one message per visit and recipient "
        "(SMTP settings from $CONSULTPLANNER_SMTP_*)",
    )
    mail.add_argument(
        "--dry-run-eml",
        type=Path,
        default=None,
        metavar="DIR",
        help="write those messages as .eml files into DIR instead of sending them",
    )
    p.set_defaults(func=cmd_ics)
