"""Exclusions: a consultant in the youth's ``excluded_consultants`` never visits the youth.

- Pruning: ``consultant_ok`` drops the excluded consultants, so no option, no CP-SAT
  variable and no search move can use them.
"""

from __future__ import annotations

from matcher.rules.base import Rule
from matcher.scenario.domain import Consultant, Request, Scenario, Youth


def consultant_ok(scenario: Scenario, request: Request, youth: Youth, c: Consultant) -> bool:
    """The consultant is not excluded for the youth."""
    return c.id not in youth.excluded_consultants


RULE = Rule("exclusions", consultant_ok=consultant_ok)
