"""Dates: a visit is on a planning day inside the request's ``earliest``/``latest`` and
not before the youth's ``signalled_on``.

- Pruning: ``day_ok`` (tours of other days are no options; the instance has tours of the
  planning days only).
"""

from __future__ import annotations

import datetime as dt

from matcher.messages import Message
from matcher.rules.base import Rule
from matcher.scenario.domain import Request, Scenario, Youth


def day_ok(scenario: Scenario, request: Request, youth: Youth, day: dt.date) -> bool:
    """``day`` lies in ``earliest``..``latest`` and not before ``signalled_on``."""
    return request.earliest <= day <= request.latest and day >= youth.signalled_on


# Reasons -------------------------------------------------------------------------


def reason_no_day(request: Request, youth: Youth, first: dt.date) -> Message:
    """No planning day is allowed (``first``: the later of earliest and signalled_on)."""
    if request.earliest > request.latest:
        return Message("earliest_after_latest", earliest=request.earliest, latest=request.latest)
    if youth.signalled_on > request.latest:
        return Message(
            "signalled_after_latest", signalled=youth.signalled_on, latest=request.latest
        )
    return Message("no_planning_day", first=first, last=request.latest)


RULE = Rule(
    "dates",
    codes=(
        "earliest_after_latest",
        "signalled_after_latest",
        "no_planning_day",
    ),
    day_ok=day_ok,
)
