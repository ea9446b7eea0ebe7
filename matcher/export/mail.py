"""Delivery of the calendar invites by e-mail (iMIP, RFC 6047) through SMTP.

One message per visit per recipient, for the visits whose invite changed since the last
sending (:func:`matcher.export.invites.visit_invites`, ``changed``) and every cancellation. The
message is what Outlook and Gmail need to show an invite with its accept/decline buttons::

    multipart/mixed
      multipart/alternative
        text/plain; charset="utf-8"                  short Dutch note (what, when, where)
        text/calendar; charset="utf-8"; method=REQUEST   (or CANCEL) the invite itself
      application/ics; name="invite.ics"            the same invite as an attachment

The calendar parts are the per-visit files of :func:`matcher.export.invites.build_invites`, byte
for byte (base64, so CRLF line ends and folding survive every mail server). Outlook reads
only the first ``VEVENT`` of a mailed invite, hence one visit per message.

Privacy: the note says only what the invite itself says: the summary (case code and request
id), the time and the ``LOCATION`` text, which for a confidential location is its alias with
"adres in dossier" and never its address.

Settings (environment variables, read by :meth:`SmtpSettings.from_env`):

``CONSULTPLANNER_SMTP_HOST``
    SMTP server (required to send).
``CONSULTPLANNER_SMTP_PORT``
    Port; default 587 with STARTTLS, 25 without.
``CONSULTPLANNER_SMTP_STARTTLS``
    ``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``ja``/``nee``, ``on``/``off``);
    default ``true``. Without it a password is only sent to a server on this machine.
``CONSULTPLANNER_SMTP_USERNAME``, ``CONSULTPLANNER_SMTP_PASSWORD``
    Account to log in with (optional; no login without a user name).
``CONSULTPLANNER_MAIL_FROM``
    ``"Name <address>"`` or an address for ``From``; default the organizer
    (``$CONSULTPLANNER_ORGANIZER``). When it differs from the organizer, ``Reply-To`` is
    the organizer.
``CONSULTPLANNER_SMTP_CAFILE``
    PEM file of the certificate authorities to trust for STARTTLS (default: the system's).
``CONSULTPLANNER_SMTP_TIMEOUT``
    Seconds to wait for the server; default 30.

The settings are in :mod:`matcher.export.mail_settings`, the sending in
:mod:`matcher.export.mail_send`; this module builds the messages and re-exports the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from matcher.export.invites import (
    VISITS_DIR,
    Organizer,
    VisitInvite,
    organizer_from_env,
    visit_invites,
)
from matcher.export.mail_send import SendReport, _one_line, send_mails
from matcher.export.mail_settings import (
    ENV_CAFILE,
    ENV_FROM,
    ENV_HOST,
    ENV_PASSWORD,
    ENV_PORT,
    ENV_STARTTLS,
    ENV_TIMEOUT,
    ENV_USERNAME,
    MailError,
    SmtpSettings,
)
from matcher.messages.nl import WEEKDAY_NAMES, nl_date, nl_day, time_span
from matcher.scenario.domain import Plan, Scenario

__all__ = [
    "ATTACHMENT_NAME",
    "ENV_CAFILE",
    "ENV_FROM",
    "ENV_HOST",
    "ENV_PASSWORD",
    "ENV_PORT",
    "ENV_STARTTLS",
    "ENV_TIMEOUT",
    "ENV_USERNAME",
    "POLICY",
    "MailError",
    "OutgoingMail",
    "SendReport",
    "SmtpSettings",
    "body",
    "build_mails",
    "build_message",
    "send_mails",
    "subject",
    "valid_address",
    "write_eml",
]

ATTACHMENT_NAME = "invite.ics"
_ADDR_CHAR = r"[^\s@<>()\[\]\\,;:\"\x00-\x1f\x7f]"
_ADDRESS = re.compile(rf"{_ADDR_CHAR}+@{_ADDR_CHAR}+\.{_ADDR_CHAR}+")


# ---------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------


class _MailPolicy(EmailPolicy):
    """The SMTP policy (CRLF), but a calendar part's ``Content-Type`` is kept as written.

    The standard policy re-renders every parameter quoted (``method="REQUEST"``); this
    writes ``method=REQUEST`` as Outlook's and Google's own invites do.
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if (
            name.lower() == "content-type"
            and isinstance(value, str)
            and value.startswith("text/calendar;")
        ):
            return (name, value)
        return super().header_store_parse(name, value)


POLICY = _MailPolicy(linesep="\r\n")


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One message: the invite of one visit for one recipient."""

    invite: VisitInvite
    message: EmailMessage

    @property
    def eml_name(self) -> str:
        """File name in a dry run: ``<person>/<request>[-cancel].eml``."""
        return self.invite.path.removeprefix(f"{VISITS_DIR}/").removesuffix(".ics") + ".eml"


def valid_address(email: str) -> bool:
    """A plain ``local@domain.tld`` address (no display name, spaces or controls)."""
    if not _ADDRESS.fullmatch(email):
        return False
    try:
        Address(addr_spec=email)
    except (ValueError, IndexError):
        return False
    return True


def _address(name: str, email: str) -> Address:
    return Address(display_name=_one_line(name), addr_spec=email)


def _when(invite: VisitInvite) -> str:
    day = invite.day
    week = day.isocalendar().week
    return (
        f"{WEEKDAY_NAMES[day.weekday()]} {nl_date(day)} (week {week}), "
        f"{time_span(invite.start, invite.end)}"
    )


def subject(invite: VisitInvite) -> str:
    """``Uitnodiging|Gewijzigd|Geannuleerd|Afgemeld: <summary> – ma 30 nov 09:00–10:00``."""
    if invite.method == "REQUEST":
        head = "Gewijzigd" if invite.update else "Uitnodiging"
    else:
        head = "Geannuleerd" if invite.whole else "Afgemeld"
    when = f"{nl_day(invite.day)} {time_span(invite.start, invite.end)}"
    return f"{head}: {_one_line(invite.title)} – {when}"


def body(invite: VisitInvite, organizer: Organizer) -> str:
    """The short Dutch text part: what, when and where, as the invite itself says it."""
    if invite.method == "REQUEST" and not invite.update:
        intro = "U bent uitgenodigd voor dit consult:"
        when_label = "Wanneer"
    elif invite.method == "REQUEST":
        intro = "Dit consult in uw agenda is gewijzigd; deze uitnodiging vervangt de eerdere:"
        when_label = "Wanneer"
    elif invite.whole:
        intro = "Dit consult is vervallen en kan uit uw agenda:"
        when_label = "Was gepland"
    else:
        intro = "U bent afgemeld voor dit consult; het gaat door zonder u:"
        when_label = "Was gepland"
    name = _one_line(invite.recipient.name) or invite.recipient.email
    where = _one_line(invite.location) if invite.location else "zie de uitnodiging"
    if invite.method == "REQUEST":
        action = "Accepteer of weiger de uitnodiging in uw agenda."
    else:
        action = "Verwerk de annulering in uw agenda."
    lines = [
        f"Beste {name},",
        "",
        intro,
        "",
        f"Wat: {_one_line(invite.title)}",
        f"{when_label}: {_when(invite)}",
        f"Waar: {where}",
        "",
        action,
        f"De details staan in de agenda-uitnodiging (ook als bijlage {ATTACHMENT_NAME}).",
        "",
        "Met vriendelijke groet,",
        _one_line(organizer.name),
        "",
    ]
    return "\n".join(lines)


def build_message(
    invite: VisitInvite,
    *,
    organizer: Organizer,
    sender: Organizer | None = None,
    now: dt.datetime,
    timezone: str = "Europe/Amsterdam",
) -> EmailMessage:
    """The e-mail of one per-visit invite (see the module notes for its structure).

    Raises
    ------
    MailError
        When the recipient's address is not a plain e-mail address.
    """
    r = invite.recipient
    if not valid_address(r.email):
        raise MailError(f"{invite.path}: recipient {r.key}: {r.email!r} is not an e-mail address")
    frm = sender or organizer
    msg = EmailMessage(policy=POLICY)
    msg["From"] = _address(frm.name, frm.email)
    msg["To"] = _address(r.name, r.email)
    if frm.email.lower() != organizer.email.lower():
        msg["Reply-To"] = _address(organizer.name, organizer.email)
    msg["Subject"] = subject(invite)
    msg["Date"] = format_datetime(now.astimezone(ZoneInfo(timezone)))
    msg["Message-ID"] = make_msgid("consultplanner", domain=frm.email.rsplit("@", 1)[-1])
    msg.set_content(body(invite, organizer), cte="quoted-printable")
    msg.add_alternative(invite.calendar, subtype="calendar", charset="utf-8", cte="base64")
    calendar_part = list(msg.iter_parts())[1]
    calendar_part.replace_header(
        "Content-Type", f'text/calendar; charset="utf-8"; method={invite.method}'
    )
    del calendar_part["MIME-Version"]
    msg.add_attachment(
        invite.calendar.encode("utf-8"),
        maintype="application",
        subtype="ics",
        filename=ATTACHMENT_NAME,
        params={"name": ATTACHMENT_NAME},
    )
    for part in msg.iter_parts():
        del part["MIME-Version"]
    return msg


def build_mails(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    sender: Organizer | None = None,
    now: dt.datetime | None = None,
    only_changed: bool = True,
) -> list[OutgoingMail]:
    """The messages to send for ``plan``: one per visit per recipient.

    Parameters
    ----------
    scenario, plan, previous, organizer, now
        As for :func:`matcher.export.invites.build_invites`; ``previous`` is the plan sent last
        (``sent-plan.json``).
    sender
        ``From``; default the organizer.
    only_changed
        Only visits whose invite changed since the previous sending, and the cancels
        (default); ``False``: every visit.

    Raises
    ------
    MailError
        Listing every recipient whose address is unusable (nothing is built then).
    InviteError
        As :func:`matcher.export.invites.build_invites`.
    """
    org = organizer or organizer_from_env()
    stamp = now or dt.datetime.now(dt.UTC)
    invites = visit_invites(scenario, plan, previous=previous, organizer=org, now=stamp)
    chosen = [i for i in invites if i.changed or not only_changed]
    bad = sorted(
        {
            f"recipient {i.recipient.key}: {i.recipient.email!r}"
            for i in chosen
            if not valid_address(i.recipient.email)
        }
    )
    if bad:
        raise MailError("not an e-mail address: " + "; ".join(bad))
    if sender is not None and not valid_address(sender.email):
        raise MailError(f"sender: {sender.email!r} is not an e-mail address")
    return [
        OutgoingMail(
            i,
            build_message(i, organizer=org, sender=sender, now=stamp, timezone=scenario.timezone),
        )
        for i in chosen
    ]


def write_eml(mails: Sequence[OutgoingMail], out_dir: Path | str) -> list[Path]:
    """Dry run: write each message as ``<person>/<request>[-cancel].eml`` under ``out_dir``.

    ``.eml`` files there that this run does not produce are removed first, so an old
    message cannot be sent by mistake. Returns the written paths.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {(out / m.eml_name).resolve() for m in mails}
    for old in [*out.glob("*.eml"), *out.glob("*/*.eml")]:
        if old.resolve() not in wanted:
            old.unlink()
    for d in sorted(out.iterdir()):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    written = []
    for m in mails:
        p = out / m.eml_name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(m.message.as_bytes())
        written.append(p)
    return written
