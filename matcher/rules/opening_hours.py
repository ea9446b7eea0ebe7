"""Opening hours: a visit lies wholly inside one opening window of its location that day.

- Pruning: ``cut_starts`` (a location without ``open`` is always open); the CP-SAT model
  and the search use the options' intervals (see :mod:`matcher.rules.windows`).
"""

from __future__ import annotations

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


RULE = Rule("opening_hours", cut_starts=cut_starts)
