"""Saved calendar links of consultants (the ``agenda_link`` table).

A consultant (or their provider, or the ketenregisseur) can save the consultant's shared
calendar link once, as Cal.com and Outlook users know it from a "connected calendar"; the
busy times are then imported from it every week (:mod:`matcher.app.access_agenda`).

The link is a secret: whoever has it can read the calendar. It is stored as given (the
server must fetch it), but it never leaves this module in a form meant for people: an
:class:`AgendaLink` hides the URL from its ``repr`` (so it stays out of logs and
tracebacks), and :func:`mask_url` is how it is shown (host plus ``…``). Statement
parameters are hidden from SQL error messages by the engine (``hide_parameters``).
Access rules (who may save or see which consultant's link) are in
:mod:`matcher.app.access_agenda`; these functions do not check them.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from matcher.scenario.ics_fetch import fetch_url
from matcher.storage.engine import session_scope
from matcher.storage.security_tables import AgendaLinkRow

__all__ = ["AgendaLink", "delete_link", "get_links", "mask_url", "put_link"]


def mask_url(url: str) -> str:
    """How a saved link is shown: its host and ``…`` (``calendar.google.com/…``), never
    its path or query (they hold the private token)."""
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    return f"{host}/…" if host else "…"


@dataclass(frozen=True)
class AgendaLink:
    """A consultant's saved calendar link.

    Attributes
    ----------
    consultant
        The consultant's id.
    url
        The link itself: a secret, for fetching only (not in ``repr``).
    saved_by
        The account that saved it.
    saved_at
        When (naive UTC).
    """

    consultant: str
    url: str = field(repr=False)
    saved_by: str = ""
    saved_at: dt.datetime | None = None

    @property
    def masked(self) -> str:
        """The link as shown: host plus ``…`` (see :func:`mask_url`)."""
        return mask_url(self.url)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def get_links(engine: Engine, consultants: Iterable[str] | None = None) -> dict[str, AgendaLink]:
    """The saved links by consultant id (all, or those of ``consultants``)."""
    with session_scope(engine) as session:
        query = select(AgendaLinkRow).order_by(col(AgendaLinkRow.consultant))
        if consultants is not None:
            query = query.where(col(AgendaLinkRow.consultant).in_(list(consultants)))
        return {
            r.consultant: AgendaLink(r.consultant, r.url, r.saved_by, r.saved_at)
            for r in session.exec(query).all()
        }


def put_link(
    engine: Engine, consultant: str, url: str, saved_by: str, *, at: dt.datetime | None = None
) -> AgendaLink:
    """Save (or replace) ``consultant``'s link.

    Raises
    ------
    matcher.scenario.ics_fetch.IcsError
        The link is no ``https://``, ``http://`` or ``webcal://`` address with a server
        (the message names the host only); nothing is written.
    """
    url = url.strip()
    fetch_url(url)  # refuses file:, ftp:, no scheme, no host
    when = at or _now()
    with session_scope(engine, write=True) as session:
        row = session.exec(
            select(AgendaLinkRow).where(col(AgendaLinkRow.consultant) == consultant)
        ).first()
        if row is None:
            row = AgendaLinkRow(consultant=consultant, url=url, saved_by=saved_by, saved_at=when)
        else:
            row.url, row.saved_by, row.saved_at = url, saved_by, when
        session.add(row)
    return AgendaLink(consultant, url, saved_by, when)


def delete_link(engine: Engine, consultant: str) -> bool:
    """Remove ``consultant``'s link; whether there was one."""
    with session_scope(engine, write=True) as session:
        gone = session.exec(
            delete(AgendaLinkRow).where(col(AgendaLinkRow.consultant) == consultant)
        )
        return bool(gone.rowcount)
