"""Re-planning against published visits (FORMAT.md, "Re-planning against published visits").

A scenario may carry ``published`` (the visits staff already have) and ``now``. This module
holds what that section adds outside the solver:

- :func:`check_published_before_now`: a published visit that starts before ``now`` has
  begun or taken place, so every plan must keep it; a scenario in which such visits break
  a rule of Feasibility (alone or together) is invalid, and each problem names the
  ``published[i]`` entry. The rules are those of the independent checker.
- :func:`published_as_visits`: published entries as plan visits (to warm-start a solve, to
  show staff what they have, to diff a re-plan against).
- :func:`changed_visits`: which published visits a plan does not keep.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from matcher.checker import CheckReport, check_visits
from matcher.messages import Message
from matcher.scenario.domain import Plan, PublishedVisit, Scenario, Visit
from matcher.scenario.problems import Problem, ScenarioError
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = [
    "broken_visits",
    "changed_visits",
    "check_published_before_now",
    "planning_now",
    "published_as_visits",
    "replan_scenario",
]


def published_as_visits(
    scenario: Scenario, published: Iterable[PublishedVisit] | None = None
) -> list[Visit]:
    """The published visits (all, or the given ones) as plan visits with their end times."""
    out: list[Visit] = []
    for p in scenario.published if published is None else published:
        req = scenario.request(p.request)
        youth = scenario.youth(req.youth)
        out.append(
            Visit(
                p.request,
                youth.id,
                youth.location,
                p.consultants,
                p.date,
                p.start,
                p.start + req.duration_minutes,
            )
        )
    return out


def changed_visits(scenario: Scenario, plan: Plan | Sequence[Visit]) -> list[PublishedVisit]:
    """The published visits that ``plan`` does not keep, in ``published`` order."""
    visits = plan.visits if isinstance(plan, Plan) else plan
    by_request = {v.request: v for v in visits}
    return [
        p
        for p in scenario.published
        if (v := by_request.get(p.request)) is None or not p.kept_by(v)
    ]


def check_published_before_now(
    scenario: Scenario, file: str, travel: TravelMatrix | None = None
) -> list[Problem]:
    """Problems with the published visits that start before ``now`` (empty when they hold).

    Those visits are checked together, as the start of every plan, against every rule of
    FORMAT.md's Feasibility section (consultants and skills, dates, opening hours, the pin,
    each consultant's tour windows and drives, the caps).
    """
    forced = [p for p in scenario.published if scenario.forced(p.request) is not None]
    if not forced:
        return []
    index = {p.request: i for i, p in enumerate(scenario.published)}
    tm = travel if travel is not None else build_travel_matrix(scenario)
    report = CheckReport()
    check_visits(scenario, published_as_visits(scenario, forced), tm, report)
    now = scenario.now.strftime("%Y-%m-%dT%H:%M") if scenario.now else ""
    allowed = Message("allow_published_before_now", now=now)
    problems: list[Problem] = []
    for violation in report.details:
        for rid in violation.requests or tuple(index):
            if rid in index:
                what = Message("published_breaks_rule", rule=violation.message)
                problems.append(Problem(file, f"published[{index[rid]}]", what, allowed))
    return problems


def broken_visits(
    scenario: Scenario, visits: Sequence[Visit], travel: TravelMatrix | None = None
) -> dict[str, list[str]]:
    """Visits (of a published or current plan) that the scenario no longer allows, with why.

    Typically an absence entered after the plan was sent: the consultant is no longer
    available then. Checked with the independent checker's rules, visit by visit's
    requests; returns ``{request id: [violations]}``.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    report = CheckReport()
    known = [v for v in visits if v.request in {r.id for r in scenario.requests}]
    check_visits(scenario, known, tm, report)
    out: dict[str, list[str]] = {}
    for violation in report.details:
        for rid in violation.requests:
            out.setdefault(rid, []).append(violation.text)
    return out


def replan_scenario(scenario: Scenario, base: Plan, now: dt.datetime) -> Scenario:
    """The scenario of a re-plan against ``base`` (what staff have) at moment ``now``.

    ``published`` becomes the visits of ``base`` whose requests are still in the scenario
    (one per request), ``now`` the given moment in the scenario's time zone (an aware
    ``now`` is converted; a naive one is taken as local time).

    Raises
    ------
    ScenarioError
        A visit that has begun or taken place (before ``now``) breaks a rule of the
        scenario as it is now; each problem names the ``published[i]`` entry.
    """
    if now.tzinfo is not None:
        now = now.astimezone(ZoneInfo(scenario.timezone)).replace(tzinfo=None)
    now = now.replace(second=0, microsecond=0)
    known = {r.id for r in scenario.requests}
    seen: set[str] = set()
    published: list[PublishedVisit] = []
    for v in base.visits:
        if v.request in known and v.request not in seen:
            seen.add(v.request)
            published.append(PublishedVisit(v.request, v.date, v.start, tuple(v.consultants)))
    out = dataclasses.replace(scenario, now=now, published=tuple(published))
    problems = check_published_before_now(out, "<plan>")
    if problems:
        raise ScenarioError(problems)
    return out


NOW_ENV = "CONSULTPLANNER_NOW"
"""Environment variable that fixes the planning moment (``YYYY-MM-DDTHH:MM``, local time)
for tests and demonstrations."""


def planning_now(timezone: str, environ: dict[str, str] | None = None) -> dt.datetime:
    """The moment of planning as naive local time in ``timezone`` (minutes only).

    ``$CONSULTPLANNER_NOW`` fixes it (tests use a fixed clock); otherwise the current time.
    """
    import os

    text = (environ if environ is not None else dict(os.environ)).get(NOW_ENV, "").strip()
    if text:
        return dt.datetime.fromisoformat(text).replace(second=0, microsecond=0, tzinfo=None)
    return dt.datetime.now(ZoneInfo(timezone)).replace(second=0, microsecond=0, tzinfo=None)
