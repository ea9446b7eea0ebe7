"""Fetching and reading the saved calendar links of several consultants at once.

"Agenda's bijwerken" fetches every saved link (:mod:`matcher.storage.agenda_links`) of the
consultants in a user's scope, a few at a time, and reads the busy periods of the round's
ISO week from each (:mod:`matcher.scenario.busy_ics`). A link that fails gives that
consultant a :class:`~matcher.messages.Message` (naming the host only, never the link or a
stack trace); the
others go on. Busy periods in later weeks that exist as rounds are counted, so the summary
can say they were not imported.

Nothing here touches the database or checks access: :mod:`matcher.app.access_agenda`
does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from matcher.messages import Message
from matcher.scenario.busy_ics import ZONE, BusyPeriod, IcsError, busy_by_week, fetch_ics

__all__ = ["AgendaFetch", "fetch_agendas", "later_note", "read_agenda"]

FETCH_WORKERS = 4
"""Links fetched at the same time (each within the fetch's own time limit)."""


@dataclass(frozen=True)
class AgendaFetch:
    """What one consultant's saved link gave.

    Attributes
    ----------
    consultant
        The consultant's id.
    source
        How the link is shown (host plus ``…``).
    periods
        The busy periods of the round's week (empty on an error).
    error
        Why the link gave nothing (``None`` when it was read).
    later
        ``(week, number of busy periods)`` of later weeks that exist as rounds.
    """

    consultant: str
    source: str
    periods: tuple[BusyPeriod, ...] = ()
    error: Message | None = None
    later: tuple[tuple[str, int], ...] = ()


def _week_no(week: str) -> str:
    return str(int(week.split("-W")[1]))


def later_note(later: Sequence[tuple[str, int]]) -> Message | None:
    """``12 busy periods in weeks 50 and 51 fall outside this round and were not imported``
    (``None`` when there are none)."""
    counted = [(w, n) for w, n in later if n]
    if not counted:
        return None
    total = sum(n for _, n in counted)
    numbers = [_week_no(w) for w, _ in counted]
    if len(numbers) > 1:
        weeks = Message("and_list", items=numbers[:-1], last=numbers[-1])
        return Message("agenda_later_weeks", count=total, weeks=weeks)
    if total == 1:
        return Message("agenda_later_one", week=numbers[0])
    return Message("agenda_later_week", count=total, week=numbers[0])


def read_agenda(
    consultant: str,
    source: str,
    data: bytes,
    week: str,
    *,
    later_weeks: Sequence[str] = (),
    timezone: str = ZONE,
) -> AgendaFetch:
    """The busy periods of ``week`` in one fetched calendar (and the count of those in
    ``later_weeks``); a calendar that cannot be read gives an :attr:`AgendaFetch.error`."""
    try:
        found = busy_by_week(data, [week, *later_weeks], source=source, timezone=timezone)
    except IcsError as exc:
        return AgendaFetch(consultant, source, error=exc.message)
    later = tuple((w, len(found[w])) for w in later_weeks if found[w])
    return AgendaFetch(consultant, source, tuple(found[week]), later=later)


def _fetch_one(
    consultant: str,
    url: str,
    source: str,
    week: str,
    later_weeks: Sequence[str],
    timezone: str,
    fetch: Callable[[str], bytes],
) -> AgendaFetch:
    try:
        data = fetch(url)
    except IcsError as exc:
        return AgendaFetch(consultant, source, error=exc.message)
    except Exception as exc:  # never the exception's text: it may quote the link
        error = Message("ics_unreachable_because", source=source, error=type(exc).__name__)
        return AgendaFetch(consultant, source, error=error)
    return read_agenda(consultant, source, data, week, later_weeks=later_weeks, timezone=timezone)


def fetch_agendas(
    links: Mapping[str, tuple[str, str]],
    week: str,
    *,
    later_weeks: Sequence[str] = (),
    timezone: str = ZONE,
    fetch: Callable[[str], bytes] = fetch_ics,
) -> list[AgendaFetch]:
    """Fetch and read every link, :data:`FETCH_WORKERS` at a time.

    Parameters
    ----------
    links
        ``consultant id -> (url, how the link is shown)``.
    week
        The round's ISO week (``2026-W49``): its busy periods are read.
    later_weeks
        Later weeks that exist as rounds: their busy periods are counted only.
    fetch
        Fetches one URL (default :func:`matcher.scenario.ics_fetch.fetch_ics`).

    Returns
    -------
    list of AgendaFetch
        One per consultant, in the order of ``links``.
    """
    if not links:
        return []
    items = list(links.items())
    with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(items))) as pool:
        futures = [
            pool.submit(_fetch_one, cid, url, source, week, later_weeks, timezone, fetch)
            for cid, (url, source) in items
        ]
        return [f.result() for f in futures]
