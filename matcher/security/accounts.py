"""Accounts of the planning app: argon2id password hashes, lockout, idle timeout, setup.

Accounts live in the project's database (table ``app_account``, see
:mod:`matcher.storage.security_tables`) and are managed with ``matcher users ...``
(:mod:`matcher.cli.users`) or, for the very first one, on the app's one-time setup screen
that asks for the token printed on the server console (:func:`setup_token`). There is no
default account and no default password.

Rules
-----
* Passwords are hashed with argon2id (``argon2-cffi``); the parameters are argon2-cffi's
  defaults (RFC 9106 low-memory profile), or cheap ones when ``CONSULTPLANNER_ARGON2=fast``
  (tests only).
* :data:`LOCK_AFTER` failed logins in a row lock the account for :data:`LOCK_MINUTES`
  minutes; a successful login resets the count. A wrong user name costs as much time as a
  wrong password and gets the same message.
* A session that has been idle for :func:`idle_minutes` (default 30) is logged out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hmac
import os
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matcher.security.principal import (
    ADMIN,
    CONSULTANT,
    GEMEENTE,
    KETENREGISSEUR,
    PROVIDER_PLANNER,
    ROLES,
    Principal,
)
from matcher.storage.security_tables import AccountRow

__all__ = [
    "LOCK_AFTER",
    "LOCK_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "Account",
    "AccountError",
    "LoginResult",
    "authenticate",
    "create_account",
    "create_first_account",
    "get_account",
    "idle_minutes",
    "is_idle",
    "list_accounts",
    "needs_setup",
    "set_active",
    "set_password",
    "setup_token",
    "sso_account",
]

LOCK_AFTER = 5
"""Failed logins in a row that lock an account."""
LOCK_MINUTES = 15
"""How long a locked account stays locked."""
MIN_PASSWORD_LENGTH = 12
ARGON2_ENV = "CONSULTPLANNER_ARGON2"
IDLE_ENV = "CONSULTPLANNER_IDLE_MINUTES"
BAD_LOGIN = "Onbekende gebruikersnaam of onjuist wachtwoord."


class AccountError(ValueError):
    """A refused account operation (the message is safe to show)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@functools.cache
def _hasher(profile: str) -> PasswordHasher:
    if profile == "fast":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hasher() -> PasswordHasher:
    """The argon2id hasher of the current settings (``CONSULTPLANNER_ARGON2``)."""
    return _hasher(os.environ.get(ARGON2_ENV, "").strip().lower())


@functools.cache
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash(secrets.token_urlsafe(16))


def idle_minutes() -> float:
    """Minutes of inactivity after which a session is logged out (default 30)."""
    try:
        return float(os.environ.get(IDLE_ENV, "") or 30)
    except ValueError:
        return 30.0


def is_idle(last_active: float, now: float, minutes: float | None = None) -> bool:
    """Whether a session last active at ``last_active`` (seconds) has timed out at ``now``."""
    limit = idle_minutes() if minutes is None else minutes
    return now - last_active > limit * 60


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the app and the CLI see it (never the hash)."""

    username: str
    display_name: str
    role: str
    provider: str | None
    gemeente: str | None
    consultant: str | None
    sso_email: str | None
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    has_password: bool

    def principal(self) -> Principal:
        return Principal(self.username, self.role, self.provider, self.gemeente, self.consultant)

    def locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or _now())


def _account(row: AccountRow) -> Account:
    return Account(
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        provider=row.provider,
        gemeente=row.gemeente,
        consultant=row.consultant,
        sso_email=row.sso_email,
        active=row.active,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        has_password=bool(row.password_hash),
    )


def check_password(password: str, username: str) -> None:
    """Raise :class:`AccountError` for a password that is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")
    if password.strip().casefold() == username.strip().casefold():
        raise AccountError("Het wachtwoord mag niet gelijk zijn aan de gebruikersnaam.")


def _clean_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise AccountError(
            f"gebruikersnaam {username!r}: 1 tot 64 tekens zonder spaties is toegestaan"
        )
    return name


def create_account(
    engine: Engine,
    username: str,
    password: str | None,
    role: str,
    *,
    display_name: str = "",
    provider: str | None = None,
    gemeente: str | None = None,
    consultant: str | None = None,
    sso_email: str | None = None,
) -> Account:
    """Add an account. ``password`` may be ``None`` only with ``sso_email`` (SSO only).

    Raises
    ------
    AccountError
        A taken user name, an unknown role, a missing scope (provider for ``planner`` and
        ``consultant``, consultant id, gemeente) or a weak password; nothing is written.
    """
    name = _clean_username(username)
    if role not in ROLES:
        raise AccountError(f"rol {role!r} bestaat niet; toegestaan: {', '.join(ROLES)}")
    try:
        Principal(name, role, provider, gemeente, consultant)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    if role not in (PROVIDER_PLANNER, CONSULTANT):
        provider = None
    if role != CONSULTANT:
        consultant = None
    if role != GEMEENTE:
        gemeente = None
    if password is None and not sso_email:
        raise AccountError("een account zonder wachtwoord kan alleen met single sign-on inloggen")
    if password is not None:
        check_password(password, name)
    row = AccountRow(
        username=name,
        display_name=display_name.strip(),
        role=role,
        provider=provider,
        gemeente=gemeente,
        consultant=consultant,
        password_hash=hasher().hash(password) if password is not None else None,
        sso_email=sso_email.strip().lower() if sso_email else None,
        created_at=_now(),
    )
    try:
        with Session(engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
    except IntegrityError:
        raise AccountError(f"gebruikersnaam {name!r} of dit SSO-adres bestaat al") from None
    return _account(row)


def _row(session: Session, username: str) -> AccountRow | None:
    return session.exec(select(AccountRow).where(AccountRow.username == username.strip())).first()


def get_account(engine: Engine, username: str) -> Account | None:
    with Session(engine) as session:
        row = _row(session, username)
        return _account(row) if row is not None else None


def list_accounts(engine: Engine) -> list[Account]:
    with Session(engine) as session:
        rows = session.exec(select(AccountRow).order_by(col(AccountRow.username))).all()
        return [_account(r) for r in rows]


def _change(engine: Engine, username: str, **values: object) -> Account:
    with Session(engine, expire_on_commit=False) as session:
        row = _row(session, username)
        if row is None:
            raise AccountError(f"gebruiker {username!r} bestaat niet")
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.commit()
        return _account(row)


def set_password(engine: Engine, username: str, password: str) -> Account:
    """Set a new password; also lifts a lockout."""
    check_password(password, username)
    return _change(
        engine,
        username,
        password_hash=hasher().hash(password),
        failed_logins=0,
        locked_until=None,
    )


def set_active(engine: Engine, username: str, active: bool) -> Account:
    """Enable or disable an account (a disabled account cannot log in)."""
    return _change(engine, username, active=active, failed_logins=0, locked_until=None)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of :func:`authenticate`: the account, or a message to show."""

    account: Account | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.account is not None


def authenticate(
    engine: Engine, username: str, password: str, now: dt.datetime | None = None
) -> LoginResult:
    """Check a user name and password, counting failures and locking after
    :data:`LOCK_AFTER` of them in a row."""
    when = now or _now()
    profile = os.environ.get(ARGON2_ENV, "").strip().lower()
    with Session(engine) as session:
        row = _row(session, username) if username.strip() else None
        if row is None or not row.password_hash:
            # the same work as a real check, so timing does not tell which names exist
            with contextlib.suppress(VerificationError):
                _hasher(profile).verify(_dummy_hash(profile), password or "x")
            return LoginResult(None, BAD_LOGIN)
        if row.locked_until is not None and row.locked_until > when:
            minutes = max(1, int((row.locked_until - when).total_seconds() // 60) + 1)
            return LoginResult(
                None,
                f"Dit account is tijdelijk geblokkeerd na {LOCK_AFTER} mislukte pogingen; "
                f"probeer het over {minutes} minuten opnieuw.",
            )
        ok: bool
        try:
            ok = _hasher(profile).verify(row.password_hash, password)
        except (VerifyMismatchError, InvalidHashError, VerificationError):
            ok = False
        if not ok:
            failures = row.failed_logins + 1
            values: dict[str, object] = {"failed_logins": AccountRow.failed_logins + 1}
            if failures >= LOCK_AFTER:
                values = {
                    "failed_logins": 0,
                    "locked_until": when + dt.timedelta(minutes=LOCK_MINUTES),
                }
            session.execute(update(AccountRow).where(col(AccountRow.id) == row.id).values(**values))
            session.commit()
            if failures >= LOCK_AFTER:
                return LoginResult(
                    None,
                    f"Te veel mislukte pogingen: dit account is {LOCK_MINUTES} minuten "
                    "geblokkeerd.",
                )
            return LoginResult(None, BAD_LOGIN)
        if not row.active:
            return LoginResult(None, "Dit account is uitgeschakeld. Vraag de beheerder.")
        changes: dict[str, object] = {
            "failed_logins": 0,
            "locked_until": None,
            "last_login_at": when,
        }
        if hasher().check_needs_rehash(row.password_hash):
            changes["password_hash"] = hasher().hash(password)
        session.execute(update(AccountRow).where(col(AccountRow.id) == row.id).values(**changes))
        session.commit()
        session.refresh(row)
        return LoginResult(_account(row))


def sso_account(engine: Engine, email: str | None) -> Account | None:
    """The active account an OIDC identity with this e-mail maps to, if any."""
    if not email:
        return None
    with Session(engine) as session:
        row = session.exec(
            select(AccountRow).where(func.lower(AccountRow.sso_email) == email.strip().lower())
        ).first()
        if row is None or not row.active:
            return None
        row.last_login_at = _now()
        session.add(row)
        session.commit()
        session.refresh(row)
        return _account(row)


# First account ---------------------------------------------------------------------------

TOKEN_ENV = "CONSULTPLANNER_SETUP_TOKEN"
"""A setup token handed to the server by its start script (``scripts/run.sh`` prints it)."""
_token_lock = threading.Lock()
_token: str | None = None
_env_token_used = False


def needs_setup(engine: Engine) -> bool:
    """Whether no active ketenregisseur or admin account exists yet."""
    with Session(engine) as session:
        found = session.exec(
            select(AccountRow.id).where(
                col(AccountRow.role).in_((KETENREGISSEUR, ADMIN)), col(AccountRow.active)
            )
        ).first()
    return found is None


def setup_token() -> str:
    """The one-time setup token of this server process: ``CONSULTPLANNER_SETUP_TOKEN``
    when the start script set one (16 characters or more), else made on first call."""
    global _token
    with _token_lock:
        if _token is None:
            given = os.environ.get(TOKEN_ENV, "").strip()
            _token = (
                given if len(given) >= 16 and not _env_token_used else secrets.token_urlsafe(18)
            )
        return _token


def create_first_account(
    engine: Engine, token: str, username: str, password: str, display_name: str = ""
) -> Account:
    """Make the first ketenregisseur account on the setup screen.

    Raises
    ------
    AccountError
        When an account that can manage others already exists, the token is wrong, or the
        account itself is refused.
    """
    global _token
    if not needs_setup(engine):
        raise AccountError("Er is al een account; log in.")
    if not hmac.compare_digest(token.strip().encode(), setup_token().encode()):
        raise AccountError("De insteltoken klopt niet (zie de console van de server).")
    account = create_account(engine, username, password, KETENREGISSEUR, display_name=display_name)
    global _env_token_used
    with _token_lock:
        _token = None  # used: a later setup (after disabling every account) needs a new one
        _env_token_used = True
    return account
