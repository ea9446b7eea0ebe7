"""``matcher users add|disable|enable|reset-password|list``: accounts of the planning app.

Passwords are read from the terminal without echo (twice), or from standard input with
``--password-stdin`` (one line, for scripts). Every change is written to the audit log as
done by ``cli`` from the server's console.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from matcher.cli.common import EXIT_BAD_INPUT
from matcher.security.accounts import (
    AccountError,
    create_account,
    list_accounts,
    set_active,
    set_password,
)
from matcher.security.audit import record
from matcher.security.principal import ROLES, SYSTEM
from matcher.storage.engine import get_engine

EXIT_OK = 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    second = getpass.getpass("Nogmaals: ")
    if first != second:
        raise AccountError("de twee wachtwoorden zijn niet gelijk")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    engine = get_engine(args.database_url)
    try:
        if args.users_command == "list":
            accounts = list_accounts(engine)
            for a in accounts:
                scope = a.provider or a.gemeente or ""
                if a.consultant:
                    scope = f"{scope}/{a.consultant}"
                state = "actief" if a.active else "uitgeschakeld"
                if a.locked():
                    state += ", geblokkeerd"
                sso = f" sso={a.sso_email}" if a.sso_email else ""
                print(f"{a.username}\t{a.role}\t{scope or '-'}\t{state}{sso}")
            print(f"{len(accounts)} account(s)")
            return EXIT_OK
        if args.users_command == "add":
            password = None if args.sso_only else _read_password(args)
            account = create_account(
                engine,
                args.username,
                password,
                args.role,
                display_name=args.name or "",
                provider=args.provider,
                gemeente=args.gemeente,
                consultant=args.consultant,
                sso_email=args.sso_email,
            )
            record(
                engine,
                SYSTEM,
                "account-add",
                subject=account.username,
                client="cli",
                detail=f"rol {account.role}",
            )
            print(f"account {account.username!r} ({account.role}) added")
            return EXIT_OK
        if args.users_command in ("disable", "enable"):
            active = args.users_command == "enable"
            set_active(engine, args.username, active)
            record(
                engine, SYSTEM, f"account-{args.users_command}", subject=args.username, client="cli"
            )
            print(f"account {args.username!r} {'enabled' if active else 'disabled'}")
            return EXIT_OK
        if args.users_command == "reset-password":
            set_password(engine, args.username, _read_password(args))
            record(engine, SYSTEM, "account-reset-password", subject=args.username, client="cli")
            print(f"password of {args.username!r} reset (lockout lifted)")
            return EXIT_OK
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    raise AssertionError(args.users_command)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``users`` command group."""
    p = sub.add_parser("users", help="accounts of the planning app (add, disable, list, ...)")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    a = users.add_parser("add", help="add an account (asks for the password)")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--name", help="display name")
    a.add_argument("--provider", help="provider id (planner, consultant), e.g. fier")
    a.add_argument("--consultant", help="consultant id (consultant), e.g. C-FIER-01")
    a.add_argument("--gemeente", help="municipality (gemeente), e.g. Venlo")
    a.add_argument("--sso-email", help="e-mail of the single-sign-on identity of this account")
    a.add_argument("--sso-only", action="store_true", help="no password: log in by SSO only")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    for name, text in (("disable", "disable an account"), ("enable", "enable it again")):
        d = users.add_parser(name, help=text)
        d.add_argument("username")

    r = users.add_parser("reset-password", help="set a new password (lifts a lockout)")
    r.add_argument("username")
    r.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    users.add_parser("list", help="list the accounts")
    p.set_defaults(func=cmd_users)
