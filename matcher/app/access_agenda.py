"""Saved calendar links ("connected calendars") and "Agenda's bijwerken", scoped.

Part of the app's only way in to case data (:mod:`matcher.app.access` re-exports these
functions). A provider planner saves, sees (masked), fetches and removes the links of its
own consultants only, a consultant its own, the ketenregisseur everyone's; anything else
raises :class:`~matcher.security.principal.AccessDenied`. The links themselves stay in
here and in :mod:`matcher.storage.agenda_links`: what the app gets back is the masked
form (:attr:`~matcher.storage.agenda_links.AgendaLink.masked`) and what was read.

The busy times of all fetched calendars are imported as one edit (:class:`AgendaRefresh`),
validated against the whole week and saved with
:func:`~matcher.app.access_availability.save_availability` like any availability edit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app.access_availability import _own_ids, _scoped_result, _week_for_own_consultant
from matcher.messages import Joined, Message
from matcher.scenario.agenda_refresh import AgendaFetch, fetch_agendas, later_note
from matcher.scenario.busy_ics import BusyImport, fetch_ics, plan_import
from matcher.scenario.domain import Scenario
from matcher.scenario.edit import EditResult, apply_availability, unavailable_frame
from matcher.security.principal import (
    CONSULTANT,
    KETENREGISSEUR,
    PROVIDER_PLANNER,
    AccessDenied,
    Principal,
)
from matcher.storage.agenda_links import AgendaLink, delete_link, get_links, put_link

__all__ = [
    "AgendaRefresh",
    "agenda_links",
    "fetch_saved_agendas",
    "iso_week",
    "later_round_weeks",
    "plan_agenda_refresh",
    "remove_agenda_link",
    "save_agenda_link",
]


def _full(engine: Engine, round_id: int, principal: Principal, base: Scenario | None) -> Scenario:
    principal.require(KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT)
    return base if base is not None else storage.export_scenario(engine, round_id)


def iso_week(scenario: Scenario) -> str:
    """The scenario's ISO week (``2026-W49``), from its first day when it names none."""
    if scenario.week:
        return scenario.week
    year, week, _ = scenario.days[0].isocalendar()
    return f"{year}-W{week:02d}"


def agenda_links(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultants: Iterable[str] | None = None,
    *,
    base: Scenario | None = None,
) -> dict[str, AgendaLink]:
    """The saved links of the principal's consultants in the round (or of those of
    ``consultants`` among them), by consultant id. Show them with ``.masked`` only."""
    full = _full(engine, round_id, principal, base)
    own = _own_ids(full, principal)
    if consultants is not None:
        wanted = set(consultants)
        own = [c for c in own if c in wanted]
    return get_links(engine, own)


def save_agenda_link(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultant_id: str,
    url: str,
    *,
    base: Scenario | None = None,
) -> AgendaLink:
    """Save (or replace) the shared calendar link of one of the principal's consultants.

    Raises
    ------
    AccessDenied
        Not the principal's consultant.
    matcher.scenario.ics_fetch.IcsError
        No ``https://``, ``http://`` or ``webcal://`` link (Dutch, naming the host only).
    """
    _week_for_own_consultant(engine, round_id, principal, consultant_id, base)
    return put_link(engine, consultant_id, url, principal.account)


def remove_agenda_link(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultant_id: str,
    *,
    base: Scenario | None = None,
) -> bool:
    """Remove the saved link of one of the principal's consultants; whether there was one."""
    _week_for_own_consultant(engine, round_id, principal, consultant_id, base)
    return delete_link(engine, consultant_id)


def later_round_weeks(engine: Engine, principal: Principal, week: str) -> list[str]:
    """The ISO weeks after ``week`` that exist as rounds in the database, in order."""
    rounds = storage.list_rounds(engine, principal=principal)
    return sorted({r.week for r in rounds if r.week and r.week > week})


def fetch_saved_agendas(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultants: Iterable[str] | None = None,
    *,
    base: Scenario | None = None,
    fetch: Callable[[str], bytes] = fetch_ics,
) -> list[AgendaFetch]:
    """Fetch and read the saved links of the principal's consultants (``consultants``:
    only those) for the round's week; a link that fails gives its consultant an error and
    the others go on. Busy periods in later weeks that exist as rounds are counted."""
    full = _full(engine, round_id, principal, base)
    links = agenda_links(engine, round_id, principal, consultants, base=full)
    week = iso_week(full)
    return fetch_agendas(
        {cid: (link.url, link.masked) for cid, link in links.items()},
        week,
        later_weeks=later_round_weeks(engine, principal, week),
        timezone=full.timezone,
        fetch=fetch,
    )


@dataclass(frozen=True)
class AgendaRefresh:
    """What importing several consultants' fetched calendars would do.

    Attributes
    ----------
    week
        The round's ISO week.
    fetched
        What each link gave.
    imports
        The planned import of each consultant whose calendar was read.
    result
        One validated edit adding the new absences of every consultant whose import is
        valid (save it with :func:`~matcher.app.access_availability.save_availability`).
    """

    week: str
    fetched: tuple[AgendaFetch, ...]
    imports: Mapping[str, BusyImport]
    result: EditResult

    @property
    def included(self) -> list[str]:
        """The consultants whose new absences are in :attr:`result`."""
        return [c for c, i in self.imports.items() if i.added and i.result.ok]

    @property
    def added(self) -> int:
        """The number of new absences in :attr:`result`."""
        return sum(len(self.imports[c].added) for c in self.included) if self.result.ok else 0

    @property
    def failed(self) -> list[AgendaFetch]:
        """The links that gave an error."""
        return [f for f in self.fetched if f.error]

    @property
    def refused(self) -> list[str]:
        """The consultants whose new absences do not fit the week (pins, for example)."""
        return [c for c, i in self.imports.items() if i.added and not i.result.ok]

    def outcome(self, fetched: AgendaFetch) -> Message:
        """One consultant's line."""
        if fetched.error:
            return fetched.error
        found = self.imports[fetched.consultant]
        week_no = int(self.week.split("-W")[1])
        if not fetched.periods:
            text = Message("agenda_week_empty", week=week_no)
        elif found.added and not found.result.ok:
            text = Message("agenda_refused")
        else:
            text = found.summary()
        later = later_note(fetched.later)
        return Message("agenda_with_later", text=text, later=later) if later else text

    def rows(self) -> list[dict[str, str]]:
        """A row per consultant for the app's table: ``Consultant``, ``Agenda`` (masked),
        ``Resultaat`` (in Dutch)."""
        return [
            {
                "Consultant": f.consultant,
                "Agenda": f.source,
                "Resultaat": self.outcome(f).render("nl"),
            }
            for f in self.fetched
        ]

    def summary(self) -> Message:
        """One sentence over all consultants."""
        n, read = self.added, len(self.fetched) - len(self.failed)
        parts = [
            Message("agenda_read", read=read, total=len(self.fetched)),
            Message("agenda_added_one") if n == 1 else Message("agenda_added", count=n),
        ]
        if self.failed:
            parts.append(Message("agenda_failed", count=len(self.failed)))
        if self.refused:
            parts.append(Message("agenda_refused_count", count=len(self.refused)))
        per_week: dict[str, int] = {}
        for f in self.fetched:
            for week, count in f.later:
                per_week[week] = per_week.get(week, 0) + count
        later = later_note(sorted(per_week.items()))
        if later:
            parts.append(later)
        return Message("sentence", parts=Joined(tuple(parts), "; "))


def plan_agenda_refresh(
    engine: Engine,
    round_id: int,
    principal: Principal,
    fetched: Iterable[AgendaFetch],
    *,
    base: Scenario | None = None,
) -> AgendaRefresh:
    """The absences the fetched calendars add to the principal's consultants, as one
    validated edit (``base``: the whole week the user looks at; default as stored now).

    Raises
    ------
    AccessDenied
        One of the calendars is of a consultant the principal may not edit.
    """
    full = _full(engine, round_id, principal, base)
    own = set(_own_ids(full, principal))
    items = tuple(fetched)
    imports: dict[str, BusyImport] = {}
    for f in items:
        if f.consultant not in own:
            raise AccessDenied(f"{f.consultant} is geen consultant die je mag bewerken.")
        if not f.error:
            imports[f.consultant] = plan_import(full, f.consultant, f.periods)
    good = [c for c, i in imports.items() if i.added and i.result.ok]
    if good:
        changed = [
            replace(c, unavailable=(*c.unavailable, *imports[c.id].added))
            for c in full.consultants
            if c.id in good
        ]
        result = apply_availability(full, good, unavailable=unavailable_frame(changed))
    else:
        result = EditResult(full, (), {"consultants": ()}, base=full)
    scoped = {
        c: dataclasses.replace(i, result=_scoped_result(i.result, principal))
        for c, i in imports.items()
    }
    return AgendaRefresh(iso_week(full), items, scoped, _scoped_result(result, principal))
