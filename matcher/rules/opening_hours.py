"""Opening hours: a visit lies wholly inside one opening window of its location that day.

- Pruning: ``cut_starts`` (a location without ``open`` is always open); the CP-SAT model
  and the search use the options' intervals (see :mod:`matcher.rules.windows`).
"""

from __future__ import annotations

import datetime as dt

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule, StartContext
from matcher.scenario.domain import open_windows_on
from matcher.solver.intervals import Interval, cut


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Starts that keep the whole visit inside one opening window of the date."""
    windows = open_windows_on(ctx.scenario.location_of(ctx.request), ctx.tour.date)
    if windows is None:
        return iv
    dur = ctx.request.duration_minutes
    return cut(iv, [(ws, we - dur) for ws, we in windows])


# Reasons -------------------------------------------------------------------------


def reason_outside(location: str, summary: words.Text) -> Message:
    return Message("outside_opening_hours", location=location, summary=summary)


def summary(parts: list[Message], days: list[dt.date]) -> Message:
    """``open Monday 09:00–12:00; Tuesday ...`` or ``closed on ...``."""
    if not parts:
        return Message("closed_summary", span=words.span(days))
    return Message("open_summary", days=words.semi(parts))


def open_day(day: words.Text, spans: list[str]) -> Message:
    return Message("open_day", day=day, spans=spans)


TEXTS: dict[str, tuple[str, str]] = {
    "outside_opening_hours": (
        "only outside the opening hours of {location} ({summary})",
        "alleen buiten de openingstijden van {location} ({summary})",
    ),
    "closed_summary": (
        "closed {span}",
        "gesloten {span}",
    ),
    "open_summary": (
        "open {days}",
        "geopend {days}",
    ),
    "open_day": (
        "{day} {spans}",
        "{day} van {spans}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_outside_opening": (
        "{visit}: outside the opening hours of {location}",
        "{visit}: buiten de openingstijden van {location}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "opening_hours",
    texts=TEXTS,
    cut_starts=cut_starts,
)
