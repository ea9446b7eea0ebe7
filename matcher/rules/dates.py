"""Dates: a visit is on a planning day inside the request's ``earliest``/``latest`` and
not before the youth's ``signalled_on``.

- Pruning: ``day_ok`` (tours of other days are no options; the instance has tours of the
  planning days only).
"""

from __future__ import annotations

import datetime as dt

from matcher.rules.base import Rule
from matcher.scenario.domain import Request, Scenario, Youth


def day_ok(scenario: Scenario, request: Request, youth: Youth, day: dt.date) -> bool:
    """``day`` lies in ``earliest``..``latest`` and not before ``signalled_on``."""
    return request.earliest <= day <= request.latest and day >= youth.signalled_on


RULE = Rule("dates", day_ok=day_ok)
