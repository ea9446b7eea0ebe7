"""Adding a request: the new request checked at once, with where it would fit.

:func:`preview_request` builds the week with the new request (and the youth's urgency set
or raised in the same step), checks it with the loader's validator, and finds the cheapest
place for it in the current plan without moving any other visit
(:func:`matcher.explain.reasons.best_insertion`), or the reasons why there is none
(:func:`matcher.explain.reasons.explain_unassigned`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.explain.reasons import Insertion, best_insertion, explain_unassigned
from matcher.messages.nl import urgency_key
from matcher.scenario.domain import Plan, Request, Scenario
from matcher.scenario.edit import describe_problem_path
from matcher.scenario.problems import Problem, ScenarioError
from matcher.scenario.validate import validate_document
from matcher.scenario.writer import scenario_to_dict
from matcher.travel import build_travel_matrix

__all__ = ["Preview", "new_request_id", "preview_request"]


@dataclass(frozen=True)
class Preview:
    """The week with the new request, and where it fits (or why not, or its problems)."""

    scenario: Scenario | None
    request: Request | None
    insertion: Insertion | None
    reasons: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    """The validator's problems, each path naming its entity (``aanvraag R-007.latest``);
    the app shows ``p.text("nl", file=False)``."""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems


def new_request_id(scenario: Scenario) -> str:
    """The next free id ``R-NNN`` (one more than the highest number in use)."""
    numbers = [int(r.id.split("-")[-1]) for r in scenario.requests if r.id.split("-")[-1].isdigit()]
    taken = {r.id for r in scenario.requests}
    k = max(numbers, default=0) + 1
    while f"R-{k:03d}" in taken:
        k += 1
    return f"R-{k:03d}"


def preview_request(
    scenario: Scenario,
    plan: Plan | None,
    *,
    youth: str,
    urgency: str,
    roles: Sequence[Sequence[str]],
    duration_minutes: int,
    earliest: dt.date,
    latest: dt.date,
    request_id: str | None = None,
) -> Preview:
    """Check a new request for ``youth`` (urgency set to ``urgency``, a key such as
    ``high`` or its Dutch word ``hoog`` as the form shows it) and find its place."""
    rid = request_id or new_request_id(scenario)
    urgency = urgency_key(urgency) or urgency
    youths = tuple(
        dataclasses.replace(y, urgency=urgency) if y.id == youth else y for y in scenario.youths
    )
    request = Request(
        id=rid,
        youth=youth,
        roles=tuple(frozenset(r) for r in roles) or (frozenset(),),
        duration_minutes=duration_minutes,
        earliest=earliest,
        latest=latest,
    )
    week = dataclasses.replace(scenario, youths=youths, requests=(*scenario.requests, request))
    doc = scenario_to_dict(week)
    try:
        checked = validate_document(doc, "<nieuwe aanvraag>")
    except ScenarioError as exc:
        problems = tuple(
            dataclasses.replace(p, path=describe_problem_path(doc, p.path)) for p in exc.problems
        )
        return Preview(None, None, None, problems=problems)
    travel = build_travel_matrix(checked)
    visits = plan.visits if plan is not None else ()
    found = best_insertion(checked, visits, travel, rid)
    reasons: tuple[str, ...] = ()
    if found is None:
        reasons = tuple(explain_unassigned(checked, visits, travel, [rid]).get(rid, []))
    return Preview(checked, checked.request(rid), found, reasons)
