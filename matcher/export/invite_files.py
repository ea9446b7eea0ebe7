"""The invite files of a plan (:func:`build_invites`), the plan stamped with its invite state,
the output folder and its zip, and ``matcher ics``.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.export.attendees import Organizer, organizer_from_env, parse_organizer
from matcher.export.calendar_events import VISITS_DIR, VisitInvite, _assemble
from matcher.export.invite_errors import InviteError
from matcher.export.invite_state import STATE_KEY, _prepare
from matcher.scenario.domain import Plan, Scenario

if TYPE_CHECKING:  # mail imports this package
    from matcher.export.mail import OutgoingMail, SmtpSettings

ZIP_NAME = "invites.zip"


def build_invites(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
    per_visit: bool = True,
) -> dict[str, str]:
    """Build every invite file of ``plan``.

    Parameters
    ----------
    scenario
        The scenario the plan solves (names, e-mails, locations, time zone).
    plan
        The plan to send.
    previous
        The plan whose invites were sent before (ideally the plan returned by
        :func:`stamp_plan` then). Visits that changed get a higher SEQUENCE; visits dropped
        or moved away from a person produce ``METHOD:CANCEL`` files.
    organizer
        The ketenregisseur; default :func:`organizer_from_env`.
    now
        ``DTSTAMP`` (timezone-aware); default the current time.
    per_visit
        Also write one file per person and visit under ``visits/`` (for Outlook mail).

    Returns
    -------
    dict[str, str]
        Relative file path -> iCalendar text (CRLF line ends, folded at 75 octets), sorted
        by path.

    Raises
    ------
    InviteError
        When the plan names requests, consultants or locations the scenario does not know,
        plans a request twice, or the time zone is unknown.
    """
    files, _ = _assemble(scenario, plan, previous, organizer, now, per_visit)
    return files


def visit_invites(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
) -> list[VisitInvite]:
    """Every per-visit invite of ``plan`` (the ``visits/`` files of :func:`build_invites`).

    Same parameters and errors as :func:`build_invites`. Ordered by recipient key, then
    requests before cancels, each in time order. ``changed`` marks the invites that differ
    from the previous sending: with ``previous``, a visit whose fingerprint differs from the
    one stored there (or that is new), and every cancel; without ``previous``, a visit that
    ``plan``'s own invite state does not record as sent in this form (so every visit of a
    plan that carries no state).
    """
    _, invites = _assemble(scenario, plan, previous, organizer, now, per_visit=True)
    return invites


def invite_state(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
) -> dict[str, dict[str, Any]]:
    """The state to store with ``plan`` once its invites are sent (see the module notes)."""
    org = organizer or organizer_from_env()
    prepared = _prepare(scenario, plan, previous, org)
    return {req: prepared.state[req].to_json() for req in sorted(prepared.state)}


def stamp_plan(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
) -> Plan:
    """``plan`` with its invite state under ``extra[STATE_KEY]``: keep it as the next
    ``previous``."""
    state = invite_state(scenario, plan, previous=previous, organizer=organizer)
    extra = dict(plan.extra)
    extra[STATE_KEY] = state
    return Plan(plan.scenario, plan.solver, plan.visits, plan.unassigned, dict(plan.kpis), extra)


def write_zip(files: Mapping[str, str], path: Path) -> Path:
    """Write ``files`` into a deterministic zip (sorted names, fixed time stamps/modes)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name].encode("utf-8"))
    return path


def write_invites(
    scenario: Scenario,
    plan: Plan,
    out_dir: Path | str,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
    per_visit: bool = True,
) -> list[Path]:
    """Write the files of :func:`build_invites` plus ``invites.zip`` into ``out_dir``.

    ``.ics`` files in ``out_dir`` (and its ``visits/`` tree) that this export does not
    produce are removed first, so an old cancel or request can never be sent again by
    mistake. Files are written byte for byte (CRLF kept).

    Returns
    -------
    list[Path]
        The written paths, the zip last.
    """
    files = build_invites(
        scenario, plan, previous=previous, organizer=organizer, now=now, per_visit=per_visit
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {(out / name).resolve() for name in files}
    for old in [*out.glob("*.ics"), *out.glob(f"{VISITS_DIR}/*/*.ics")]:
        if old.resolve() not in wanted:
            old.unlink()
    for d in sorted(out.glob(f"{VISITS_DIR}/*"), reverse=True):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    written: list[Path] = []
    for name, text in files.items():
        p = out / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text.encode("utf-8"))
        written.append(p)
    written.append(write_zip(files, out / ZIP_NAME))
    return written


def _mail(
    mails: Sequence[OutgoingMail],
    settings: SmtpSettings,
    eml_dir: Path | str | None,
    *,
    first: bool,
    sent: Path,
) -> bool:
    """Send ``mails`` (or with ``eml_dir`` write them there); whether all went out."""
    from matcher.export.mail import MailError, send_mails, write_eml

    n_cancel = sum(1 for m in mails if m.invite.method == "CANCEL")
    what = f"{len(mails)} message(s) ({n_cancel} cancel) for the "
    what += (
        "visits changed since the previous sending" if not first else "first sending (every visit)"
    )
    if eml_dir is not None:
        write_eml(mails, eml_dir)
        print(f"dry run: {what} written to {eml_dir} (nothing sent)")
        return True
    try:
        report = send_mails(mails, settings)
    except MailError as exc:
        print(
            f"error: {exc}; nothing more was sent and {sent} is not written",
            file=sys.stderr,
        )
        return False
    for mail, reason in report.failed:
        print(f"error: {mail.invite.path}: {reason}", file=sys.stderr)
    if report.failed:
        print(
            f"{len(report.sent)} of {len(mails)} message(s) sent; {sent} is not "
            "written, so the next run sends the changed visits again",
            file=sys.stderr,
        )
        return False
    print(f"sent {what}")
    return True


def _warn_other_scenario(scenario: Scenario, plan: Plan, previous: Plan | None) -> None:
    for label, p in (("plan", plan), ("previous plan", previous)):
        if p is not None and p.scenario and p.scenario != scenario.name:
            print(
                f"warning: {label} is for scenario {p.scenario!r}, not {scenario.name!r}",
                file=sys.stderr,
            )


def _prepare_mails(
    scenario: Scenario,
    plan: Plan,
    previous: Plan | None,
    organizer: Organizer,
    now: dt.datetime,
    send: bool,
    environ: Mapping[str, str] | None,
) -> tuple[list[OutgoingMail], SmtpSettings] | None:
    """The messages to mail and the SMTP settings; ``None`` (the reason printed) when the
    settings are unusable (checked only for ``send``) or a message cannot be built."""
    from matcher.export.mail import MailError, SmtpSettings, build_mails

    try:
        settings = SmtpSettings.from_env(environ)
        if send:
            settings.check()
        sender = (
            parse_organizer(settings.sender, default_name=organizer.name)
            if settings.sender
            else None
        )
        mails = build_mails(
            scenario, plan, previous=previous, organizer=organizer, sender=sender, now=now
        )
    except MailError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return mails, settings


def ics_command(
    scenario_path: Path | str,
    plan_path: Path | str,
    out_dir: Path | str,
    previous_path: Path | str | None = None,
    organizer_email: str | None = None,
    *,
    send: bool = False,
    eml_dir: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """``matcher ics SCENARIO PLAN --out DIR [--previous OLD_PLAN] [--organizer ADDR]
    [--send | --dry-run-eml EML_DIR]``.

    Writes the invites and ``invites.zip`` into ``DIR`` and ``DIR/sent-plan.json``: the plan
    with its invite state, to pass as ``--previous`` at the next re-plan. ``organizer_email``
    is ``"Name <email>"`` or an address (default: ``$CONSULTPLANNER_ORGANIZER``, else the
    built-in ketenregisseur).

    With ``send``, the visits whose invite changed since ``previous`` (and every cancel)
    are also mailed, one message per visit per recipient (:mod:`matcher.export.mail`, settings
    from ``environ``); ``sent-plan.json`` is then written only when the server took every
    message. With ``eml_dir``, those messages are written there as ``.eml`` files instead.

    Returns 0 on success, 1 when the server refused a message or could not be used, 2 on
    bad input (nothing is sent or written then).
    """
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan, write_plan
    from matcher.scenario.problems import ScenarioError

    if send and eml_dir is not None:
        print("error: --send and --dry-run-eml exclude each other", file=sys.stderr)
        return 2
    mailing = send or eml_dir is not None
    try:
        scenario = load_scenario(scenario_path)
        plan = read_plan(plan_path)
        previous = read_plan(previous_path) if previous_path is not None else None
        organizer = parse_organizer(organizer_email) if organizer_email else organizer_from_env()
        _warn_other_scenario(scenario, plan, previous)
        now = dt.datetime.now(dt.UTC)
        if mailing:
            prepared = _prepare_mails(scenario, plan, previous, organizer, now, send, environ)
            if prepared is None:
                return 2
            mails, settings = prepared
        written = write_invites(
            scenario, plan, out_dir, previous=previous, organizer=organizer, now=now
        )
        stamped = stamp_plan(scenario, plan, previous=previous, organizer=organizer)
    except ScenarioError as exc:
        print(f"{scenario_path}: {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (PlanFormatError, InviteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ics_files = [p for p in written if p.suffix == ".ics"]
    cancels = sum(1 for p in ics_files if p.name.endswith("-cancel.ics"))
    print(f"{len(ics_files)} invite file(s) ({cancels} cancel) and {written[-1].name} in {out_dir}")
    sent = Path(out_dir) / "sent-plan.json"
    if mailing and not _mail(mails, settings, eml_dir, first=previous is None, sent=sent):
        return 1
    write_plan(stamped, sent)
    print(f"keep {sent} and pass it as --previous at the next re-plan")
    return 0
