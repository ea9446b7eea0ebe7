"""Time of day: the visit starts at or after ``time_of_day.start`` and ends by its end.

- Pruning: ``cut_starts``; the CP-SAT start domains and the search's allowed starts are
  the options' intervals (see :mod:`matcher.rules.windows`).
"""

from __future__ import annotations

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule, StartContext
from matcher.solver.intervals import Interval, cut


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Starts that keep the whole visit inside the request's time of day."""
    tod = ctx.request.time_of_day
    if tod is None:
        return iv
    return cut(iv, [(tod.start, tod.end - ctx.request.duration_minutes)])


# Reasons -------------------------------------------------------------------------


def reason_too_short(start: int, end: int, minutes: int) -> Message:
    return Message("time_of_day_too_short", time_of_day=words.span_hm(start, end), minutes=minutes)


def reason_no_tour(start: int, end: int, subject: words.Text) -> Message:
    return Message("time_of_day_no_tour", time_of_day=words.span_hm(start, end), subject=subject)


def reason_with_opening(
    start: int, end: int, location: str, subject: words.Text, summary: words.Text
) -> Message:
    """Time of day and opening hours each fit, but not together."""
    return Message(
        "time_of_day_and_opening",
        time_of_day=words.span_hm(start, end),
        location=location,
        subject=subject,
        summary=summary,
    )


TEXTS: dict[str, tuple[str, str]] = {
    "time_of_day_too_short": (
        "time of day {time_of_day} is shorter than the visit ({minutes} minutes)",
        "tijdvak {time_of_day} is korter dan het bezoek ({minutes} minuten)",
    ),
    "time_of_day_no_tour": (
        "time of day {time_of_day} does not fit any tour of {subject}",
        "tijdvak {time_of_day} past in geen enkele ronde van {subject}",
    ),
    "time_of_day_and_opening": (
        "time of day {time_of_day} and the opening hours of {location} leave no common time "
        "in the tours of {subject} ({summary})",
        "tijdvak {time_of_day} en de openingstijden van {location} laten geen gezamenlijke "
        "tijd over in de rondes van {subject} ({summary})",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_outside_time_of_day": (
        "{visit}: outside time of day {window}",
        "{visit}: buiten tijdvak {window}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "time_of_day",
    texts=TEXTS,
    cut_starts=cut_starts,
)
