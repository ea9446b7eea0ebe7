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


TEXTS: dict[str, tuple[str, str]] = {
    "earliest_after_latest": (
        "earliest date {earliest} is after the latest date {latest}",
        "vroegste datum {earliest} ligt na de laatste datum {latest}",
    ),
    "signalled_after_latest": (
        "signalled on {signalled}, after the latest date {latest}",
        "gesignaleerd op {signalled}, na de laatste datum {latest}",
    ),
    "no_planning_day": (
        "no planning day between {first} and {last}",
        "geen planningsdag tussen {first} en {last}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_not_planning_day": (
        "{visit}: {date} is not a planning day",
        "{visit}: {date} is geen planningsdag",
    ),
    "check_outside_dates": (
        "{visit}: date outside {first}..{last}",
        "{visit}: datum buiten {first} t/m {last}",
    ),
    "check_before_signalled": (
        "{visit}: before the youth was signalled ({signalled})",
        "{visit}: voordat de jongere gesignaleerd was ({signalled})",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "dates",
    texts=TEXTS,
    day_ok=day_ok,
)
