"""Saved plans: save (optionally checked against the newest plan), load, list, newest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matcher.scenario.domain import Plan, SolverInfo, Unassigned, Visit
from matcher.security.principal import CASE_ROLES, GEMEENTE, Principal, scope_plan, stand_ins
from matcher.storage.engine import session_scope
from matcher.storage.errors import NotFoundError
from matcher.storage.rows import _aware, _bulk_insert, _consultants, _counts, _insert_ids, _utcnow
from matcher.storage.scenarios import export_scenario
from matcher.storage.tables import PlanUnassigned, PlanVisit, PlanVisitConsultant, SavedPlan
from matcher.storage.versions import (
    NEWEST_PLAN_FIRST,
    StaleEditError,
    _locked_round,
    _plan_conflict,
)


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """Summary of a saved plan."""

    id: int
    round_id: int
    label: str
    created_at: dt.datetime
    """When the plan was saved (UTC, timezone-aware)."""
    status: str
    objective: int | None
    bound: int | None
    seconds: float
    visits: int
    unassigned: int
    kpis: dict[str, int | float] = field(default_factory=dict)


def save_plan(
    engine: Engine, round_id: int, plan: Plan, label: str = "", *, based_on: int | None = None
) -> int:
    """Save ``plan`` for round ``round_id``; return the new plan id.

    The plan is stored as given (a snapshot): visits keep the request, youth, location and
    consultant ids written in the plan. Consultants that are in the round are linked to
    their rows (and so to their provider).

    Parameters
    ----------
    based_on
        The id of the plan this one was made from by hand (0: none). When another plan
        was saved since (the round's newest plan is not ``based_on``), nothing is saved and
        :class:`StaleEditError` is raised, so a hand-made change never hides a plan saved
        meanwhile. ``None`` (the solver's plans): not checked.

    Raises
    ------
    NotFoundError
        No round with that id.
    StaleEditError
        ``based_on`` is not the newest plan any more.
    """
    with _locked_round(engine, round_id) as session:
        if based_on is not None and (conflict := _plan_conflict(session, round_id, based_on)):
            raise StaleEditError([conflict])
        return _save_plan(session, round_id, plan, label)


def _save_plan(session: Session, round_id: int, plan: Plan, label: str) -> int:
    """Insert ``plan`` (with its visits and unassigned requests); its new id."""
    saved = SavedPlan(
        round_id=round_id,
        label=label,
        created_at=_utcnow(),
        scenario_name=plan.scenario,
        status=plan.solver.status,
        objective=plan.solver.objective,
        bound=plan.solver.bound,
        seconds=plan.solver.seconds,
        kpis=dict(plan.kpis),
        extra=dict(plan.extra),
    )
    session.add(saved)
    session.flush()
    assert saved.id is not None
    visit_ids = _insert_ids(
        session,
        PlanVisit,
        [
            {
                "round_id": round_id,
                "plan_id": saved.id,
                "pos": i,
                "request_key": v.request,
                "youth_key": v.youth,
                "location_key": v.location,
                "date": v.date,
                "start": v.start,
                "end": v.end,
            }
            for i, v in enumerate(plan.visits)
        ],
        "pos",
    )
    consultants = _consultants(session, round_id, {c for v in plan.visits for c in v.consultants})
    link_rows = []
    for i, v in enumerate(plan.visits):
        for j, ckey in enumerate(v.consultants):
            cid, pid = consultants.get(ckey, (None, None))
            link_rows.append(
                {
                    "round_id": round_id,
                    "visit_id": visit_ids[i],
                    "pos": j,
                    "consultant_key": ckey,
                    "consultant_id": cid,
                    "provider_id": pid,
                }
            )
    _bulk_insert(session, PlanVisitConsultant, link_rows)
    _bulk_insert(
        session,
        PlanUnassigned,
        [
            {
                "round_id": round_id,
                "plan_id": saved.id,
                "pos": i,
                "request_key": u.request,
                "reasons": list(u.reasons),
            }
            for i, u in enumerate(plan.unassigned)
        ],
    )
    return saved.id


def _load_plan(session: Session, saved: SavedPlan) -> Plan:
    visits = session.exec(
        select(PlanVisit).where(PlanVisit.plan_id == saved.id).order_by(col(PlanVisit.pos))
    ).all()
    links = session.exec(
        select(PlanVisitConsultant.visit_id, PlanVisitConsultant.consultant_key)
        .join(PlanVisit, col(PlanVisit.id) == col(PlanVisitConsultant.visit_id))
        .where(PlanVisit.plan_id == saved.id)
        .order_by(col(PlanVisitConsultant.visit_id), col(PlanVisitConsultant.pos))
    ).all()
    by_visit: dict[int, list[str]] = defaultdict(list)
    for visit_id, ckey in links:
        by_visit[visit_id].append(ckey)
    unassigned = session.exec(
        select(PlanUnassigned)
        .where(PlanUnassigned.plan_id == saved.id)
        .order_by(col(PlanUnassigned.pos))
    ).all()
    return Plan(
        scenario=saved.scenario_name,
        solver=SolverInfo(
            status=saved.status,
            objective=saved.objective,
            bound=saved.bound,
            seconds=saved.seconds,
        ),
        visits=tuple(
            Visit(
                request=v.request_key,
                youth=v.youth_key,
                location=v.location_key,
                consultants=tuple(by_visit.get(v.id or 0, [])),
                date=v.date,
                start=v.start,
                end=v.end,
            )
            for v in visits
        ),
        unassigned=tuple(Unassigned(u.request_key, tuple(u.reasons)) for u in unassigned),
        kpis=dict(saved.kpis),
        extra=dict(saved.extra),
    )


def load_plan(engine: Engine, plan_id: int, *, principal: Principal | None = None) -> Plan:
    """The saved plan ``plan_id``; with a ``principal``, only the part it may see
    (:func:`matcher.security.principal.scope_plan`).

    Raises
    ------
    NotFoundError
        No plan with that id.
    AccessDenied
        The principal sees no planning data.
    """
    with session_scope(engine) as session:
        saved = session.get(SavedPlan, plan_id)
        if saved is None:
            raise NotFoundError(f"no saved plan with id {plan_id}")
        plan = _load_plan(session, saved)
        round_id = saved.round_id
    if principal is None or principal.full_access:
        return plan
    principal.require(*CASE_ROLES)
    return _scoped_plan(engine, round_id, plan, principal)


def _scoped_plan(engine: Engine, round_id: int, plan: Plan, principal: Principal) -> Plan:
    full = export_scenario(engine, round_id)
    provider_of = {c.id: c.provider for c in full.consultants}
    return scope_plan(plan, principal, provider_of, stand_ins(full))


def list_plans(
    engine: Engine, round_id: int, *, principal: Principal | None = None
) -> list[PlanInfo]:
    """The round's saved plans, newest first.

    For a principal other than the ketenregisseur without objective, bound, counts and
    week figures (they describe every provider's visits).
    """
    if principal is not None and not principal.full_access:
        principal.require(*CASE_ROLES, GEMEENTE)
        return [
            replace(p, objective=None, bound=None, visits=0, unassigned=0, kpis={})
            for p in list_plans(engine, round_id)
        ]
    with session_scope(engine) as session:
        plans = session.exec(
            select(SavedPlan).where(SavedPlan.round_id == round_id).order_by(*NEWEST_PLAN_FIRST)
        ).all()
        n_visits = _counts(session, PlanVisit, "plan_id", round_id)
        n_unassigned = _counts(session, PlanUnassigned, "plan_id", round_id)
        out = []
        for p in plans:
            assert p.id is not None
            out.append(
                PlanInfo(
                    id=p.id,
                    round_id=p.round_id,
                    label=p.label,
                    created_at=_aware(p.created_at),
                    status=p.status,
                    objective=p.objective,
                    bound=p.bound,
                    seconds=p.seconds,
                    visits=n_visits.get(p.id, 0),
                    unassigned=n_unassigned.get(p.id, 0),
                    kpis=dict(p.kpis),
                )
            )
        return out


def latest_plan(
    engine: Engine, round_id: int, *, principal: Principal | None = None
) -> Plan | None:
    """The round's most recently saved plan (scoped to ``principal``), or ``None``."""
    if principal is not None and not principal.full_access:
        principal.require(*CASE_ROLES)
        found = latest_plan(engine, round_id)
        return None if found is None else _scoped_plan(engine, round_id, found, principal)
    with session_scope(engine) as session:
        saved = session.exec(
            select(SavedPlan)
            .where(SavedPlan.round_id == round_id)
            .order_by(*NEWEST_PLAN_FIRST)
            .limit(1)
        ).first()
        return None if saved is None else _load_plan(session, saved)
