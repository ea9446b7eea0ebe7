"""Changing a plan by hand: lock, move, plan or unplan a visit, checked by the plan checker.

A move is accepted only when the independent checker (:func:`matcher.checker.check_plan`)
finds no broken rule that the plan did not already have: every hard rule of FORMAT.md
(skills, exclusions, dates, opening hours, time of day, tours with travel, caps, pins) is
checked on the whole changed plan. The changed plan gets its objective and KPIs
recomputed from its visits, so it can be saved and exported like a solver's plan.

Locking a visit turns it into a pin of its request (consultants, date and start); the
solver keeps pins, so a re-plan keeps locked visits where they are. A locked visit that is
moved by hand stays locked at its new place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.checker import Violation, check_plan
from matcher.explain.reasons import best_insertion, explain_unassigned
from matcher.messages import Lang, Message
from matcher.scenario.domain import Pin, Plan, Scenario, SolverInfo, Unassigned, Visit
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = [
    "MANUAL_REASON",
    "EditOutcome",
    "as_reason",
    "lock_problems",
    "locks_problems",
    "move_visit",
    "pin_of",
    "rescore",
    "unplan_visit",
    "with_pin",
]

MANUAL_REASON = "taken out of the plan by hand by the planner"


@dataclass(frozen=True)
class EditOutcome:
    """The result of a manual change.

    Attributes
    ----------
    plan
        The changed plan (objective and KPIs recomputed), or ``None`` when refused.
    reasons
        Why the change is refused, as messages: this module's own refusals (no
        consultant chosen, a locked visit) and each rule the change would break.
    summary
        A short summary for the planner (``message`` is its Dutch text).
    pin
        The pin the request must get with this change (a locked visit that moved), or
        ``None`` when its pin stays as it is.
    """

    plan: Plan | None
    reasons: tuple[Message, ...] = ()
    summary: Message | None = None
    pin: Pin | None = None

    @property
    def ok(self) -> bool:
        return self.plan is not None

    @property
    def message(self) -> str:
        """The summary in Dutch (the app)."""
        return self.summary.render("nl") if self.summary is not None else ""

    @property
    def violations(self) -> tuple[str, ...]:
        """The reasons in English (logs, tests)."""
        return tuple(r.render("en") for r in self.reasons)

    def reasons_text(self, lang: Lang = "nl") -> list[str]:
        """The reasons in ``lang`` (the app shows them in Dutch)."""
        return [r.render(lang) for r in self.reasons]


def as_reason(rule: object) -> Message:
    """A broken rule as a message: a :class:`Message` as it is, a checker's
    :class:`~matcher.checker.Violation` as its message, any other code with parameters (a
    reason object with ``code`` and ``params``) as the message of that code; any other
    text (English words, e.g. a stored plan's old reason) wrapped in the code
    ``hand_move_rule``."""
    if isinstance(rule, Message):
        return rule
    if isinstance(rule, Violation):
        return rule.message
    code, params = getattr(rule, "code", None), getattr(rule, "params", None)
    if isinstance(code, str) and isinstance(params, Mapping):
        return Message(code, **params)
    return Message("hand_move_rule", rule=str(rule))


def _refused(reasons: Sequence[object], code: str, **params: Any) -> EditOutcome:
    return EditOutcome(None, tuple(as_reason(r) for r in reasons), Message(code, **params))


def pin_of(visit: Visit) -> Pin:
    """The pin that locks ``visit``: its consultants, date and start."""
    return Pin(consultants=tuple(visit.consultants), date=visit.date, start=visit.start)


def with_pin(scenario: Scenario, request_id: str, pin: Pin | None) -> Scenario:
    """``scenario`` with the pin of one request replaced (``None`` removes it)."""
    requests = tuple(
        dataclasses.replace(r, pinned=pin) if r.id == request_id else r for r in scenario.requests
    )
    return dataclasses.replace(scenario, requests=requests)


def rescore(
    scenario: Scenario,
    base: Plan,
    visits: Sequence[Visit],
    unassigned: Sequence[Unassigned],
    travel: TravelMatrix,
) -> tuple[Plan, list[str]]:
    """A plan with ``visits`` and ``unassigned``, objective and KPIs recomputed by the checker.

    Returns the plan and the checker's violations in English (status ``feasible`` when
    there are none, ``unknown`` otherwise; no bound, since a hand-made plan proves nothing).
    """
    plan, details = _rescore(scenario, base, visits, unassigned, travel)
    return plan, [v.text for v in details]


def _rescore(
    scenario: Scenario,
    base: Plan,
    visits: Sequence[Visit],
    unassigned: Sequence[Unassigned],
    travel: TravelMatrix,
) -> tuple[Plan, list[Violation]]:
    """:func:`rescore` with the checker's violations as they are (messages)."""
    ordered = tuple(sorted(visits, key=lambda v: (v.date, v.start, v.request)))
    draft = Plan(
        base.scenario,
        SolverInfo("unknown", None, None, base.solver.seconds),
        ordered,
        tuple(unassigned),
        {},
        dict(base.extra),
    )
    report = check_plan(scenario, draft, travel)
    waits = []
    for v in ordered:
        try:
            youth = scenario.youth(scenario.request(v.request).youth)
        except KeyError:
            continue
        waits.append((v.date - youth.signalled_on).days)
    kpis: dict[str, int | float] = {
        "travel_minutes": report.travel_minutes,
        "assigned": len(ordered),
        "unassigned": len(unassigned),
        "mean_waiting_days": round(sum(waits) / len(waits), 2) if waits else 0,
        "max_waiting_days": max(waits) if waits else 0,
        "waiting_cost": report.waiting_cost,
        "continuity_cost": report.continuity_cost,
        "unassigned_cost": report.unassigned_cost,
    }
    status = "feasible" if report.feasible else "unknown"
    plan = Plan(
        base.scenario,
        SolverInfo(status, report.objective, None, base.solver.seconds),
        ordered,
        tuple(unassigned),
        kpis,
        dict(base.extra),
    )
    return plan, list(report.details)


def _new_violations(
    scenario: Scenario, before: Plan, after: list[Violation], travel: TravelMatrix
) -> list[Violation]:
    """The violations of ``after`` that ``before`` did not have (compared by their words),
    without the plan's own figures (``solver.*``, ``kpis.*``)."""
    old = set(check_plan(scenario, before, travel).violations)
    return [v for v in after if v.text not in old and not v.text.startswith(("solver.", "kpis."))]


def move_visit(
    scenario: Scenario,
    plan: Plan,
    request_id: str,
    consultants: Sequence[str],
    day: dt.date,
    start: int | None = None,
    travel: TravelMatrix | None = None,
) -> EditOutcome:
    """Move (or plan) the visit of ``request_id`` to ``consultants`` on ``day``.

    Parameters
    ----------
    start
        The new start (minutes since midnight); ``None`` picks the cheapest start that
        keeps every rule, other visits staying where they are.

    Returns
    -------
    EditOutcome
        The changed plan, or the reasons it is refused. A request that was unassigned is
        planned; a pinned (locked) request gets a pin at its new place.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    try:
        req = scenario.request(request_id)
    except KeyError:
        why = Message("hand_move_unknown_request", request=request_id)
        return _refused([why], "hand_move_summary_unknown_request")
    people = tuple(dict.fromkeys(c for c in consultants if c))
    if not people:
        return _refused([Message("hand_move_no_consultant")], "hand_move_summary_no_consultant")
    locked = req.pinned is not None
    others = [v for v in plan.visits if v.request != request_id]
    target = with_pin(scenario, request_id, Pin(people, day, start))
    if start is None:
        found = best_insertion(target, others, tm, request_id)
        if found is None:
            reasons = explain_unassigned(target, others, tm, [request_id]).get(request_id, [])
            return _refused(
                list(reasons) or [Message("hand_move_no_start")],
                "hand_move_summary_does_not_fit",
                request=request_id,
                consultants=list(people),
                date=day,
            )
        start = found.start
    youth = scenario.youth(req.youth)
    visit = Visit(
        request=request_id,
        youth=youth.id,
        location=youth.location,
        consultants=people,
        date=day,
        start=start,
        end=start + req.duration_minutes,
    )
    new_pin = Pin(people, day, start) if locked else None
    check_scenario = with_pin(scenario, request_id, new_pin) if locked else scenario
    unassigned = [u for u in plan.unassigned if u.request != request_id]
    new_plan, violations = _rescore(check_scenario, plan, [*others, visit], unassigned, tm)
    fresh = _new_violations(check_scenario, plan, violations, tm)
    where = {
        "request": request_id,
        "consultants": list(people),
        "date": day,
        "window": (start, visit.end),
    }
    if fresh:
        return _refused(fresh, "hand_move_summary_refused", **where)
    return EditOutcome(new_plan, (), Message("hand_move_summary_moved", **where), new_pin)


def unplan_visit(
    scenario: Scenario, plan: Plan, request_id: str, travel: TravelMatrix | None = None
) -> EditOutcome:
    """Take the visit of ``request_id`` out of the plan (it becomes unassigned).

    Refused for a locked (pinned) request: unlock it first.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    if all(v.request != request_id for v in plan.visits):
        why = Message("hand_move_no_visit", request=request_id)
        return _refused([why], "hand_move_summary_no_visit")
    try:
        if scenario.request(request_id).pinned is not None:
            why = Message("hand_move_locked", request=request_id)
            return _refused([why], "hand_move_summary_locked", request=request_id)
    except KeyError:
        pass
    visits = [v for v in plan.visits if v.request != request_id]
    unassigned = [*plan.unassigned, Unassigned(request_id, (MANUAL_REASON,))]
    new_plan, violations = _rescore(scenario, plan, visits, unassigned, tm)
    fresh = _new_violations(scenario, plan, violations, tm)
    if fresh:
        return _refused(fresh, "hand_move_summary_cannot_unplan", request=request_id)
    return EditOutcome(new_plan, (), Message("hand_move_summary_unplanned", request=request_id))


def lock_problems(
    scenario: Scenario, request_id: str, pin: Pin | None, lang: Lang = "nl"
) -> tuple[str, ...]:
    """Why setting ``pin`` on a request would make the scenario invalid (empty when fine),
    in ``lang`` (the app's Dutch by default), each with its field path under the entity's
    name (``aanvraag R-1.pinned.date``).

    The scenario with the pin is validated by the loader's validator, so a lock can never
    store a pin that a scenario file could not hold (e.g. a consultant who is no longer
    available at the pinned time).
    """
    return locks_problems(scenario, {request_id: pin}, lang)


def locks_problems(
    scenario: Scenario, pins: Mapping[str, Pin | None], lang: Lang = "nl"
) -> tuple[str, ...]:
    """:func:`lock_problems` of many pins set together (``None`` removes one), with one
    validation of the week with all of them: locking a whole week costs one check, not one
    per visit."""
    from matcher.scenario.edit import describe_problem_path
    from matcher.scenario.problems import ScenarioError
    from matcher.scenario.validate import validate_document
    from matcher.scenario.writer import scenario_to_dict

    requests = tuple(
        dataclasses.replace(r, pinned=pins[r.id]) if r.id in pins else r for r in scenario.requests
    )
    doc = scenario_to_dict(dataclasses.replace(scenario, requests=requests))
    try:
        validate_document(doc, "<lock>")
    except ScenarioError as exc:
        return tuple(
            dataclasses.replace(p, path=describe_problem_path(doc, p.path)).text(lang, file=False)
            for p in exc.problems
        )
    return ()
