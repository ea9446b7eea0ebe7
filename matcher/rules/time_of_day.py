"""Time of day: the visit starts at or after ``time_of_day.start`` and ends by its end.

- Pruning: ``cut_starts``; the CP-SAT start domains and the search's allowed starts are
  the options' intervals (see :mod:`matcher.rules.windows`).
"""

from __future__ import annotations

from matcher.rules.base import Rule, StartContext
from matcher.solver.intervals import Interval, cut


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Starts that keep the whole visit inside the request's time of day."""
    tod = ctx.request.time_of_day
    if tod is None:
        return iv
    return cut(iv, [(tod.start, tod.end - ctx.request.duration_minutes)])


RULE = Rule("time_of_day", cut_starts=cut_starts)
