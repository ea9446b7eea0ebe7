"""The SMTP settings of the invite mails, read from ``CONSULTPLANNER_SMTP_*`` and checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from matcher.export.invites import (
    InviteError,
    parse_organizer,
)

ENV_HOST = "CONSULTPLANNER_SMTP_HOST"
ENV_PORT = "CONSULTPLANNER_SMTP_PORT"
ENV_STARTTLS = "CONSULTPLANNER_SMTP_STARTTLS"
ENV_USERNAME = "CONSULTPLANNER_SMTP_USERNAME"
ENV_PASSWORD = "CONSULTPLANNER_SMTP_PASSWORD"
ENV_FROM = "CONSULTPLANNER_MAIL_FROM"
ENV_CAFILE = "CONSULTPLANNER_SMTP_CAFILE"
ENV_TIMEOUT = "CONSULTPLANNER_SMTP_TIMEOUT"

_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nee", "off"}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


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
