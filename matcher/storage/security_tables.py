"""Tables of accounts and the audit log (kept apart from the scenario tables of
:mod:`matcher.storage.tables`, on the same ``MetaData`` so ``create_all`` makes them too).

* ``app_account``: one login per person: an argon2id password hash (never the password),
  the role and its scope (provider, gemeente or consultant key), the lockout counters and
  an optional single-sign-on e-mail that maps an OIDC identity to the account.
* ``audit_log``: append-only, hash-chained (NEN 7513): every row holds the SHA-256 of its
  own content and of the row before it (``prev_hash``), and a gap-free ``seq``.
  ``audit_head`` holds the newest ``seq`` and hash, so a deleted last row is found too.
  See :mod:`matcher.security.audit`.
* ``agenda_link``: a consultant's shared calendar link (ICS URL), saved once so that its
  busy times can be imported every week. The URL is a secret (it gives read access to
  someone's calendar): see :mod:`matcher.storage.agenda_links`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Text
from sqlmodel import Field, SQLModel


class AccountRow(SQLModel, table=True):
    """A user account of the planning app."""

    __tablename__ = "app_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    display_name: str = ""
    role: str
    provider: str | None = None
    """Provider key (``fier``) of a provider planner or consultant."""
    gemeente: str | None = None
    """Municipality name of a gemeente account."""
    consultant: str | None = None
    """Consultant key (``C-FIER-01``) of a consultant account."""
    password_hash: str | None = None
    sso_email: str | None = Field(default=None, unique=True, index=True)
    """Lower-case e-mail an OIDC identity must carry to log in as this account."""
    active: bool = True
    failed_logins: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    """Naive UTC."""
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    last_login_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))


class AuditRow(SQLModel, table=True):
    """One audited access to case data (or an account event)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    at: dt.datetime = Field(sa_type=DateTime(timezone=False), index=True)
    """Naive UTC."""
    account: str
    role: str
    action: str
    subject: str = ""
    """What was touched (page, tab, file name)."""
    round_id: int | None = None
    case_codes: str = Field(default="", sa_type=Text)
    locations: str = Field(default="", sa_type=Text)
    consultants: str = Field(default="", sa_type=Text)
    client: str = ""
    """The network address of the user's browser (or ``cli``)."""
    detail: str = Field(default="", sa_type=Text)
    prev_hash: str
    hash: str


class AuditHead(SQLModel, table=True):
    """The newest row of the chain (a single row, ``id = 1``)."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = ""


class AgendaLinkRow(SQLModel, table=True):
    """A consultant's saved calendar link (one per consultant, across rounds)."""

    __tablename__ = "agenda_link"

    id: int | None = Field(default=None, primary_key=True)
    consultant: str = Field(unique=True, index=True)
    """Consultant key (``C-FIER-01``)."""
    url: str = Field(sa_type=Text)
    """The link as given (``https://``, ``http://`` or ``webcal://``): a secret."""
    saved_by: str = ""
    """The account that saved it."""
    saved_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    """Naive UTC."""


SECURITY_TABLES: tuple[type[SQLModel], ...] = (AccountRow, AuditRow, AuditHead, AgendaLinkRow)
