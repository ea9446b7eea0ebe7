"""Turning assignments into a plan document: visits, reasons, KPIs; the infeasible plan."""

from __future__ import annotations

import re
from collections.abc import Sequence

from matcher.explain.words import Reason
from matcher.messages import Message
from matcher.scenario.domain import Plan, Scenario, SolverInfo, Unassigned, Visit
from matcher.solver.cpsat_run import _pin_core
from matcher.solver.model import (
    Assignment,
    Instance,
    keeps_published,
    score,
)
from matcher.solver.progress import (
    Clock,
)
from matcher.travel import TravelMatrix

GENERIC_REASON: str = Reason(Message("no_slot_in_time"))
"""The reason of a request the solver did not plan and the explanation could not explain."""


# --------------------------------------------------------------------------------------
# Plan assembly
# --------------------------------------------------------------------------------------


def _reasons(
    scenario: Scenario,
    visits: Sequence[Visit],
    travel: TravelMatrix,
    request_ids: Sequence[str],
) -> dict[str, list[str]]:
    try:
        from matcher.explain.reasons import explain_unassigned  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    try:
        out: dict[str, list[str]] = explain_unassigned(scenario, visits, travel, request_ids)
        return out
    except Exception:
        return {}


def assemble_plan(
    inst: Instance,
    assignments: Sequence[Assignment],
    status: str,
    bound: int | None,
    seconds: float,
    reasons: dict[str, list[str]] | None = None,
    with_objective: bool = True,
) -> Plan:
    """Turn assignments into a :class:`~matcher.scenario.domain.Plan` with KPIs."""
    scen = inst.scenario
    visits: list[Visit] = []
    for a in sorted(
        assignments, key=lambda a: (inst.tours[a.tours[0]].tour.date, a.start, a.request)
    ):
        r = inst.requests[a.request]
        youth = scen.youth(r.request.youth)
        # A kept published visit keeps its published order of consultants (roles) too;
        # kept only asks for the same set (FORMAT.md), so a solver may swap two roles.
        tours = r.keep.tours if r.keep is not None and keeps_published(inst, a) else a.tours
        visits.append(
            Visit(
                request=r.request.id,
                youth=youth.id,
                location=youth.location,
                consultants=tuple(inst.tours[t].tour.consultant for t in tours),
                date=inst.tours[a.tours[0]].tour.date,
                start=a.start,
                end=a.start + r.duration,
            )
        )
    planned = {a.request for a in assignments}
    missing = [r.request.id for r in inst.requests if r.index not in planned]
    got = reasons if reasons is not None else {}
    unassigned = tuple(Unassigned(rid, tuple(got.get(rid) or [GENERIC_REASON])) for rid in missing)
    sc = score(inst, assignments)
    waits = [
        (
            inst.tours[a.tours[0]].tour.date
            - scen.youth(inst.requests[a.request].request.youth).signalled_on
        ).days
        for a in assignments
    ]
    kpis: dict[str, int | float] = {
        "travel_minutes": sc.travel_minutes,
        "assigned": len(assignments),
        "unassigned": len(missing),
        "mean_waiting_days": round(sum(waits) / len(waits), 2) if waits else 0,
        "max_waiting_days": max(waits) if waits else 0,
        "waiting_cost": sc.waiting,
        "continuity_cost": sc.continuity,
        "unassigned_cost": sc.unassigned,
    }
    if scen.published:
        kpis["changed"] = sc.changed
        kpis["change_cost"] = sc.change
    objective = sc.total if with_objective else None
    if bound is not None and objective is not None:
        bound = min(bound, objective)
    return Plan(
        scenario=scen.name,
        solver=SolverInfo(
            status=status, objective=objective, bound=bound, seconds=round(seconds, 3)
        ),
        visits=tuple(visits),
        unassigned=unassigned,
        kpis=kpis,
    )


def _infeasible_plan(inst: Instance, clock: Clock, travel: TravelMatrix) -> Plan:
    """No visits; the pinned requests that clash say why, the others that pins block them."""
    core = _pin_core(inst, min(3.0, max(0.1, clock.left() - 0.5)))
    messages: list[str] = []
    try:
        from matcher.explain.reasons import explain_infeasible_pins

        messages = list(explain_infeasible_pins(inst.scenario, travel))
    except Exception:
        messages = []
    core_ids = [inst.requests[c].request.id for c in core]
    unassigned = []
    for r in inst.requests:
        rid = r.request.id
        if r.request.pinned is not None and (not core or r.index in core):
            own = [m for m in messages if re.search(rf"(?<![\w-]){re.escape(rid)}(?![\w-])", m)]
            if not own:
                others = [c for c in core_ids if c != rid]
                own = [
                    Reason(Message("pin_cannot_be_kept_with", requests=others))
                    if others
                    else Reason(Message("pin_cannot_be_kept"))
                ]
            unassigned.append(Unassigned(rid, tuple(own)))
        else:
            unassigned.append(Unassigned(rid, (Reason(Message("pins_cannot_all_be_kept")),)))
    return Plan(
        scenario=inst.scenario.name,
        solver=SolverInfo("infeasible", None, None, round(clock.elapsed(), 3)),
        visits=(),
        unassigned=tuple(unassigned),
        kpis={"travel_minutes": 0, "assigned": 0, "unassigned": len(inst.requests)},
        extra={"infeasible_pins": core_ids, "pin_problems": messages},
    )
