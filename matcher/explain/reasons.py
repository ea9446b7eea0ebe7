"""Explanations in planner language: why a request stays open, which pins clash, what a visit costs.

Everything here is computed from the scenario, the travel matrix and the plan's visits
alone, following ``FORMAT.md``; nothing is taken from the optimisation model, so the
explanations stay honest about what the solver did or did not find. Reasons are
:class:`~matcher.messages.Message` objects built by the rule modules (:mod:`matcher.rules`);
the English text of the plan file and the CLI is their rendering.

The work is split along its steps: :mod:`matcher.explain.alone` (the request alone, rule
by rule), :mod:`matcher.explain.against_plan` (the cheapest insertion and the blockers),
:mod:`matcher.explain.pin_clashes`, :mod:`matcher.explain.visit_costs`; the shared lookups
are in :mod:`matcher.explain.context`. This module is the entry point.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher.explain.against_plan import Insertion, _cheapest_insertion, _explain_one
from matcher.explain.alone import _diagnose_alone
from matcher.explain.context import _Ctx
from matcher.explain.pin_clashes import explain_infeasible_pins, pin_clash_messages
from matcher.explain.visit_costs import (
    TravelLeg,
    VisitExplanation,
    explain_visit,
    plan_cost_breakdown,
)
from matcher.explain.words import Reason
from matcher.messages import Message
from matcher.scenario.domain import (
    Scenario,
    Visit,
)
from matcher.travel import TravelMatrix

__all__ = [
    "Insertion",
    "Reason",
    "TravelLeg",
    "VisitExplanation",
    "best_insertion",
    "explain_infeasible_pins",
    "explain_unassigned",
    "explain_visit",
    "pin_clash_messages",
    "plan_cost_breakdown",
    "unassigned_messages",
]


def best_insertion(
    scenario: Scenario, visits: Sequence[Visit], travel: TravelMatrix, request_id: str
) -> Insertion | None:
    """The cheapest feasible insertion of a request into a plan, other visits kept as they are.

    All hard rules of FORMAT.md hold for the result (skills, exclusions, dates, opening
    hours, time of day, pin, tours with travel, caps); ``None`` when there is none. A visit
    of the request itself in ``visits`` is ignored.
    """
    ctx = _Ctx(scenario, travel, [v for v in visits if v.request != request_id])
    req = scenario.request(request_id)
    alone = _diagnose_alone(ctx, req)
    if alone.reasons:
        return None
    return _cheapest_insertion(ctx, req, alone)


def unassigned_messages(
    scenario: Scenario,
    visits: Sequence[Visit],
    travel: TravelMatrix,
    request_ids: Sequence[str],
) -> dict[str, list[Message]]:
    """Why each request is not planned, as structured reasons (code plus parameters).

    Parameters
    ----------
    scenario
        The planning problem.
    visits
        The plan's visits (a visit of an explained request itself is ignored).
    travel
        The scenario's travel matrix.
    request_ids
        The requests to explain.

    Returns
    -------
    dict[str, list[Message]]
        Per request id at least one reason (render with ``str`` or ``.render("nl")``).
        Reasons of the request alone (skills, exclusions, dates, availability, time,
        opening hours, time of day, pin) come first; only a request that is feasible
        alone gets reasons from the plan (caps, tours packed with more urgent visits,
        insertion cost) or, honestly, the cheapest insertion that would have been better
        than leaving it open.

    Raises
    ------
    KeyError
        When a request id is not in the scenario.
    """
    ctx = _Ctx(scenario, travel, visits)
    ids = list(dict.fromkeys(request_ids))
    own = {v.request for v in visits} & set(ids)
    out: dict[str, list[Message]] = {}
    for rid in ids:
        req = scenario.request(rid)
        if rid in own:
            ctx.set_plan([v for v in visits if v.request != rid])
        out[rid] = _explain_one(ctx, req)
        if rid in own:
            ctx.set_plan(visits)
    return out


def explain_unassigned(
    scenario: Scenario,
    visits: Sequence[Visit],
    travel: TravelMatrix,
    request_ids: Sequence[str],
) -> dict[str, list[str]]:
    """:func:`unassigned_messages` in English: the reasons of the plan file and the CLI.

    Each reason is a :class:`Reason`, a string that keeps its message, so that a plan made
    in this process can be shown in Dutch without recomputing.
    """
    got = unassigned_messages(scenario, visits, travel, request_ids)
    return {rid: [Reason(m) for m in ms] for rid, ms in got.items()}
