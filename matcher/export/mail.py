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
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from matcher.export.invites import (
    VISITS_DIR,
    InviteError,
    Organizer,
    VisitInvite,
    clean_text,
    organizer_from_env,
    parse_organizer,
    visit_invites,
)
from matcher.messages.nl import WEEKDAY_NAMES, nl_date, nl_day, time_span
from matcher.scenario.domain import Plan, Scenario

ENV_HOST = "CONSULTPLANNER_SMTP_HOST"
ENV_PORT = "CONSULTPLANNER_SMTP_PORT"
ENV_STARTTLS = "CONSULTPLANNER_SMTP_STARTTLS"
ENV_USERNAME = "CONSULTPLANNER_SMTP_USERNAME"
ENV_PASSWORD = "CONSULTPLANNER_SMTP_PASSWORD"
ENV_FROM = "CONSULTPLANNER_MAIL_FROM"
ENV_CAFILE = "CONSULTPLANNER_SMTP_CAFILE"
ENV_TIMEOUT = "CONSULTPLANNER_SMTP_TIMEOUT"
ATTACHMENT_NAME = "invite.ics"

_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nee", "off"}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_ADDR_CHAR = r"[^\s@<>()\[\]\\,;:\"\x00-\x1f\x7f]"
_ADDRESS = re.compile(rf"{_ADDR_CHAR}+@{_ADDR_CHAR}+\.{_ADDR_CHAR}+")


class MailError(ValueError):
    """Settings are incomplete, an address is unusable, or the server refuses us.

    The message never contains the password.
    """


# ---------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the SMTP server (see the module notes for the environment variables)."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    """``"Name <address>"`` or an address for ``From``; empty: the organizer."""
    cafile: str = ""
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read the settings from the environment.

        Raises
        ------
        MailError
            Naming every variable with a bad value, the value and what is allowed.
        """
        import os

        env = os.environ if environ is None else environ
        problems: list[str] = []

        def get(name: str) -> str:
            return env.get(name, "").strip()

        starttls = True
        raw_tls = get(ENV_STARTTLS)
        if raw_tls:
            if raw_tls.lower() in _TRUE:
                starttls = True
            elif raw_tls.lower() in _FALSE:
                starttls = False
            else:
                problems.append(
                    f"{ENV_STARTTLS}: {raw_tls!r} is not a yes/no value "
                    "(allowed: true/false, 1/0, yes/no, ja/nee, on/off)"
                )
        port = 587 if starttls else 25
        raw_port = get(ENV_PORT)
        if raw_port:
            if raw_port.isdigit() and 1 <= int(raw_port) <= 65535:
                port = int(raw_port)
            else:
                problems.append(f"{ENV_PORT}: {raw_port!r} is not a port number (1-65535)")
        timeout = 30.0
        raw_timeout = get(ENV_TIMEOUT)
        if raw_timeout:
            try:
                timeout = float(raw_timeout)
            except ValueError:
                timeout = -1.0
            if not 0 < timeout <= 3600:
                problems.append(
                    f"{ENV_TIMEOUT}: {raw_timeout!r} is not a number of seconds (0-3600)"
                )
        sender = get(ENV_FROM)
        if sender:
            try:
                parse_organizer(sender)
            except InviteError:
                problems.append(
                    f"{ENV_FROM}: {sender!r} is not 'Name <address>' or an e-mail address"
                )
        cafile = get(ENV_CAFILE)
        if cafile and not Path(cafile).is_file():
            problems.append(f"{ENV_CAFILE}: {cafile!r} is not a file")
        if problems:
            raise MailError("mail settings: " + "; ".join(problems))
        return cls(
            host=get(ENV_HOST),
            port=port,
            starttls=starttls,
            username=get(ENV_USERNAME),
            password=env.get(ENV_PASSWORD, ""),
            sender=sender,
            cafile=cafile,
            timeout=timeout,
        )

    def problems(self) -> list[str]:
        """What keeps these settings from sending (empty when they can)."""
        out = []
        if not self.host:
            out.append(f"{ENV_HOST} is not set: no SMTP server to send through")
        if self.password and not self.username:
            out.append(f"{ENV_PASSWORD} is set but {ENV_USERNAME} is not")
        if self.username and not self.starttls and self.host.lower() not in _LOOPBACK:
            out.append(
                f"{ENV_USERNAME} is set but STARTTLS is off: the password would cross the "
                f"network unencrypted (set {ENV_STARTTLS}=true)"
            )
        return out

    def check(self) -> None:
        """Raise :class:`MailError` listing :meth:`problems`, if any."""
        problems = self.problems()
        if problems:
            raise MailError("mail settings: " + "; ".join(problems))


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


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


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


# ---------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class SendReport:
    """What one sending did: the messages the server accepted and those it refused."""

    sent: list[OutgoingMail] = field(default_factory=list)
    failed: list[tuple[OutgoingMail, str]] = field(default_factory=list)


def _reply_text(code: object, text: object) -> str:
    message = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {_one_line(message)}"


def _reply(exc: smtplib.SMTPException) -> str:
    """The server's reply in an SMTP exception: ``535 5.7.8 ...``, else the error text."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_text(exc.smtp_code, exc.smtp_error)
    return _one_line(str(exc))


def send_mails(mails: Sequence[OutgoingMail], settings: SmtpSettings) -> SendReport:
    """Send ``mails`` over one SMTP connection (STARTTLS and login as configured).

    Each message goes to its one recipient, from its ``From`` address (the envelope sender).
    A recipient the server refuses is recorded in the report and the others are still sent.

    Raises
    ------
    MailError
        When the settings cannot send, the server cannot be reached, offers no STARTTLS
        while it is configured, refuses the login or the sender, or the connection fails
        (messages accepted before that were sent).
    """
    settings.check()
    report = SendReport()
    if not mails:
        return report
    where = f"SMTP server {settings.host}:{settings.port}"
    try:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{where}: cannot connect ({exc})") from exc
    try:
        smtp.ehlo()
        if settings.starttls:
            if not smtp.has_extn("starttls"):
                raise MailError(f"{where} does not offer STARTTLS")
            context = ssl.create_default_context(cafile=settings.cafile or None)
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.username:
            try:
                smtp.login(settings.username, settings.password)
            except smtplib.SMTPException as exc:
                raise MailError(
                    f"{where}: login as {settings.username!r} refused ({_reply(exc)})"
                ) from exc
        for i, mail in enumerate(mails):
            envelope_from = str(mail.message["From"].addresses[0].addr_spec)
            try:
                smtp.send_message(
                    mail.message, from_addr=envelope_from, to_addrs=[mail.invite.recipient.email]
                )
            except smtplib.SMTPServerDisconnected as exc:
                for rest in mails[i:]:
                    report.failed.append((rest, f"connection closed ({exc})"))
                break
            except smtplib.SMTPSenderRefused as exc:
                raise MailError(
                    f"{where} refuses the sender {envelope_from!r} ({_reply(exc)})"
                ) from exc
            except smtplib.SMTPRecipientsRefused as exc:
                reasons = [_reply_text(code, text) for code, text in exc.recipients.values()]
                report.failed.append((mail, "recipient refused: " + "; ".join(reasons)))
            except smtplib.SMTPResponseException as exc:
                report.failed.append((mail, f"refused: {_reply(exc)}"))
            else:
                report.sent.append(mail)
    except ssl.SSLError as exc:
        raise MailError(f"{where}: STARTTLS failed ({exc})") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{where}: {exc}") from exc
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report
