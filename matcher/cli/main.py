"""The ``matcher`` command line: validate, generate, import/export, solve, check, ics (+ mail).

Exit codes: 0 success, 1 a plan with violations (``check``) or a failed run, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from matcher.cli.problems import print_problems
from matcher.scenario.problems import ScenarioError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


_print_problems = print_problems


def cmd_validate(args: argparse.Namespace) -> int:
    from matcher.scenario.loader import load_scenario

    try:
        s = load_scenario(args.scenario)
    except ScenarioError as exc:
        _print_problems(exc)
        return EXIT_BAD_INPUT
    joint = sum(1 for r in s.requests if r.is_joint)
    pins = sum(1 for r in s.requests if r.pinned is not None)
    span = f"{s.days[0].isoformat()}..{s.days[-1].isoformat()}"
    print(
        f"{args.scenario}: valid: '{s.name}', {len(s.days)} day(s) {span}, "
        f"{len(s.providers)} providers, {len(s.consultants)} consultants, "
        f"{len(s.locations)} locations, {len(s.youths)} youths, {len(s.requests)} requests "
        f"({joint} joint, {pins} pinned), {len(s.tours())} tours"
    )
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from matcher.scenario.generate import main_generate

    return main_generate(args.seed, args.requests, args.consultants, args.region, args.out)


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


def cmd_solve(args: argparse.Namespace) -> int:
    from matcher.cli.solve import solve_command

    return solve_command(args.scenario, args.out, args.time_limit, args.workers, args.seed)


def cmd_check(args: argparse.Namespace) -> int:
    from matcher.checker import check_plan
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        _print_problems(exc)
        return EXIT_BAD_INPUT
    try:
        plan = read_plan(args.plan)
    except PlanFormatError as exc:
        print(f"{exc.source}: the plan is malformed:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = check_plan(scenario, plan)
    for violation in report.violations:
        print(f"VIOLATION: {violation}")
    print(f"{args.plan}: {report.summary()}")
    return EXIT_OK if report.feasible else EXIT_FAILED


def cmd_explain(args: argparse.Namespace) -> int:
    from matcher.explain.reasons import explain_unassigned, explain_visit, plan_cost_breakdown
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan
    from matcher.travel import build_travel_matrix

    scenario = load_scenario(args.scenario)
    try:
        plan = read_plan(args.plan)
    except PlanFormatError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    travel = build_travel_matrix(scenario)
    wanted = set(args.request or [])
    for visit in plan.visits:
        if not wanted or visit.request in wanted:
            explanation = explain_visit(scenario, plan.visits, travel, visit.request)
            print(f"{visit.request}:")
            for line in explanation.lines():
                print(f"  {line}")
    open_ids = [u.request for u in plan.unassigned if not wanted or u.request in wanted]
    reasons = explain_unassigned(scenario, plan.visits, travel, open_ids) if open_ids else {}
    fixes = {}
    if open_ids and args.fixes > 0:
        from matcher.explain.remedies import describe, find_remedies

        fixes = find_remedies(scenario, plan, open_ids, seconds=args.fixes)
    for rid in open_ids:
        print(f"{rid}: not planned")
        for reason in reasons[rid]:
            print(f"  - {reason}")
        remedy = fixes.get(rid)
        if remedy is not None:
            print(f"  fix: {describe(remedy)}")
        elif rid in fixes:
            print("  fix: no small change found (longer tour, higher cap, later date, skill)")
    if not wanted:
        terms = plan_cost_breakdown(scenario, plan, travel)
        print(", ".join(f"{k} {v}" for k, v in terms.items()))
    return EXIT_OK


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


def cmd_round_next(args: argparse.Namespace) -> int:
    from matcher.cycle.advance import round_next_command

    return round_next_command(args.round, args.name, args.database_url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matcher",
        description="Plan weekly consult rounds: specialists visit youths where they live.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("scenario", type=Path)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("generate", help="write a seeded, realistic random scenario")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--requests", type=int, default=80)
    p.add_argument("--consultants", type=int, default=18)
    p.add_argument("--region", choices=["limburg", "nl"], default="limburg")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("import", help="store a scenario file in the database")
    p.add_argument("scenario", type=Path)
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a stored scenario to a file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--round", default=None, help="name or id of the planning round")
    p.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("solve", help="plan the week and write the plan (JSON)")
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("check", help="check a plan against its scenario, independently")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("explain", help="cost terms of each visit, reasons for open requests")
    p.add_argument("scenario", type=Path)
    p.add_argument("plan", type=Path)
    p.add_argument("--request", action="append", help="only this request (repeatable)")
    p.add_argument(
        "--fixes",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds to find the smallest change that plans each open request (0: skip)",
    )
    p.set_defaults(func=cmd_explain)

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

    p = sub.add_parser("round", help="the weekly cycle of planning rounds")
    round_sub = p.add_subparsers(dest="round_command", required=True, metavar="ACTION")
    q = round_sub.add_parser(
        "next", help="make next week's round: open requests, availability, trajectories"
    )
    q.add_argument("--round", default=None, help="name or id of the current round (default newest)")
    q.add_argument("--name", default=None, help="name of the new round")
    q.add_argument("--database-url", default=None, help="default: $DATABASE_URL or SQLite")
    q.set_defaults(func=cmd_round_next)

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
        _print_problems(exc)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
