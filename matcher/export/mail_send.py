"""Sending the invite mails over SMTP: one connection, a report of what was sent and refused."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matcher.export.invites import (
    clean_text,
)
from matcher.export.mail_settings import MailError, SmtpSettings

if TYPE_CHECKING:  # mail imports this module
    from matcher.export.mail import OutgoingMail


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


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
