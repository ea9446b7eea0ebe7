"""Exclusions: a consultant in the youth's ``excluded_consultants`` never visits the youth.

- Pruning: ``consultant_ok`` drops the excluded consultants, so no option, no CP-SAT
  variable and no search move can use them.
"""

from __future__ import annotations

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule
from matcher.scenario.domain import Consultant, Request, Scenario, Youth


def consultant_ok(scenario: Scenario, request: Request, youth: Youth, c: Consultant) -> bool:
    """The consultant is not excluded for the youth."""
    return c.id not in youth.excluded_consultants


# Reasons -------------------------------------------------------------------------


def reason_excluded(qualified: list[str], role: frozenset[str]) -> Message:
    """Every consultant with the role's skills is excluded for the youth."""
    if len(qualified) == 1:
        return Message("excluded_only_one", consultant=qualified[0], skills=words.skills(role))
    return Message(
        "excluded_only_many", consultants=words.ids(qualified), skills=words.skills(role)
    )


RULE = Rule(
    "exclusions",
    codes=(
        "excluded_only_one",
        "excluded_only_many",
    ),
    consultant_ok=consultant_ok,
)
