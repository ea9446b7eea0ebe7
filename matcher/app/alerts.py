"""Alerts for the top of Overzicht: urgent requests left open, visits an absence broke.

An *alert* is something the ketenregisseur must act on today, not a line at the bottom of
a table: a request of urgency ``crisis`` or ``high`` that the plan leaves open (with the
plan's reasons), and a visit of the sent (published) plan that the scenario no longer
allows (its consultant reported an absence after the invites went out).
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.cycle.replanning import broken_visits
from matcher.scenario.domain import Plan, Scenario

__all__ = ["URGENT", "Alert", "alerts"]

URGENT = ("crisis", "high")
"""Urgencies whose open requests are alerts, most urgent first."""


@dataclass(frozen=True)
class Alert:
    """``kind`` is ``open_urgent`` or ``broken_visit``; ``reasons`` as in the plan."""

    kind: str
    request: str
    youth: str
    urgency: str
    reasons: tuple[str, ...]


def alerts(scenario: Scenario, plan: Plan, sent: Plan | None = None) -> list[Alert]:
    """The alerts of ``plan`` (and of the ``sent`` plan's broken visits), most urgent first."""
    out: list[Alert] = []
    for u in plan.unassigned:
        try:
            req = scenario.request(u.request)
        except KeyError:
            continue
        urgency = scenario.youth(req.youth).urgency
        if urgency in URGENT:
            out.append(Alert("open_urgent", u.request, req.youth, urgency, tuple(u.reasons)))
    if sent is not None:
        for rid, why in broken_visits(scenario, sent.visits).items():
            req = scenario.request(rid)
            youth = scenario.youth(req.youth)
            out.append(Alert("broken_visit", rid, youth.id, youth.urgency, tuple(why)))
    rank = {u: i for i, u in enumerate(URGENT)}
    out.sort(key=lambda a: (a.kind != "open_urgent", rank.get(a.urgency, len(URGENT)), a.request))
    return out
