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


TEXTS: dict[str, tuple[str, str]] = {
    "excluded_only_one": (
        "excluded consultant {consultant}: only {consultant} has {skills}",
        "consultant {consultant} is uitgesloten: alleen {consultant} heeft de {skills}",
    ),
    "excluded_only_many": (
        "excluded consultants {consultants}: only they have {skills}",
        "consultants {consultants} zijn uitgesloten: alleen zij hebben de {skills}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_excluded": (
        "{visit}: consultant {consultant} is excluded for youth {youth}",
        "{visit}: consultant {consultant} is uitgesloten voor jongere {youth}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "exclusions",
    texts=TEXTS,
    consultant_ok=consultant_ok,
)
