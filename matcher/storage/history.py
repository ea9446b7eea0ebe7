"""Plan history per round: which plan was accepted, by whom and when; compare; restore.

Every solve or hand edit saves a plan (:func:`matcher.storage.save_plan`); a plan becomes
the round's plan only when someone accepts it. Accepting appends a row (who, when) to the
round's history; restoring an older plan accepts it again and records which plan it
replaced, so nothing is ever overwritten. :func:`compare` says what changed between any two
saved plans (visits moved, consultants changed, cancellations).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from matcher import storage
from matcher.explain.plan_diff import PlanDiff, diff_plans
from matcher.scenario.domain import Plan
from matcher.storage.engine import session_scope
from matcher.storage.rows import _utcnow
from matcher.storage.tables import PlanAcceptance, SavedPlan

__all__ = [
    "Acceptance",
    "accept_plan",
    "accepted_plan",
    "accepted_plan_id",
    "compare",
    "current_plan_id",
    "discard_plan",
    "ensure_accepted",
    "history",
    "proposal_id",
    "restore_plan",
]


@dataclass(frozen=True)
class Acceptance:
    """One entry of a round's plan history."""

    plan_id: int
    accepted_by: str
    accepted_at: dt.datetime
    """Aware UTC."""
    restored_from: int | None
    objective: int | None
    visits: int


def accept_plan(
    engine: Engine, round_id: int, plan_id: int, by: str, *, restored_from: int | None = None
) -> Acceptance:
    """Make saved plan ``plan_id`` the round's plan, recording who accepted it.

    Raises
    ------
    storage.NotFoundError
        The plan does not exist or belongs to another round.
    """
    if not by.strip():
        raise ValueError("accepted_by must name the account that accepts")
    with session_scope(engine) as session:
        saved = session.get(SavedPlan, plan_id)
        if saved is None or saved.round_id != round_id:
            raise storage.NotFoundError(f"no saved plan {plan_id} in round {round_id}")
        row = PlanAcceptance(
            round_id=round_id,
            plan_id=plan_id,
            accepted_by=by,
            accepted_at=_utcnow(),
            restored_from=restored_from,
        )
        session.add(row)
    return history(engine, round_id)[0]


def history(engine: Engine, round_id: int) -> list[Acceptance]:
    """The round's accepted plans, newest first."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(PlanAcceptance, SavedPlan)
            .join(SavedPlan, col(SavedPlan.id) == col(PlanAcceptance.plan_id))
            .where(col(PlanAcceptance.round_id) == round_id)
            .order_by(col(PlanAcceptance.id).desc())
        ).all()
        return [
            Acceptance(
                a.plan_id,
                a.accepted_by,
                a.accepted_at.replace(tzinfo=dt.UTC),
                a.restored_from,
                p.objective,
                int(p.kpis.get("assigned", 0)) if isinstance(p.kpis, dict) else 0,
            )
            for a, p in rows
        ]


def accepted_plan_id(engine: Engine, round_id: int) -> int | None:
    """The id of the last accepted plan, or ``None`` when nothing was accepted."""
    with session_scope(engine) as session:
        return session.exec(
            select(PlanAcceptance.plan_id)
            .where(col(PlanAcceptance.round_id) == round_id)
            .order_by(col(PlanAcceptance.id).desc())
            .limit(1)
        ).first()


def accepted_plan(engine: Engine, round_id: int) -> tuple[int, Plan] | None:
    """The round's current plan (the last one accepted), or ``None``."""
    plan_id = accepted_plan_id(engine, round_id)
    return None if plan_id is None else (plan_id, storage.load_plan(engine, plan_id))


def current_plan_id(engine: Engine, round_id: int, newest: int | None = None) -> int | None:
    """The round's plan: the last one accepted, else (before any acceptance) the newest.

    ``newest``: the newest saved plan's id when the caller knows it (saves a query).
    """
    accepted = accepted_plan_id(engine, round_id)
    if accepted is not None or newest is not None:
        return accepted if accepted is not None else newest
    plans = storage.list_plans(engine, round_id)
    return plans[0].id if plans else None


def proposal_id(engine: Engine, round_id: int) -> int | None:
    """A plan saved after the accepted one and never accepted (a re-plan to review)."""
    entries = history(engine, round_id)
    if not entries:
        return None  # nothing accepted yet: the newest plan is the plan itself
    plans = storage.list_plans(engine, round_id)
    newest = plans[0].id if plans else None
    accepted = {e.plan_id for e in entries}
    if newest is None or newest in accepted or newest <= entries[0].plan_id:
        return None
    return newest


def discard_plan(engine: Engine, round_id: int, plan_id: int) -> bool:
    """Delete a proposal that was never accepted; ``False`` if it was accepted or unknown."""
    if plan_id in {e.plan_id for e in history(engine, round_id)}:
        return False
    with session_scope(engine) as session:
        saved = session.get(SavedPlan, plan_id)
        if saved is None or saved.round_id != round_id:
            return False
        session.delete(saved)
    return True


def ensure_accepted(engine: Engine, round_id: int, plan_id: int, by: str) -> bool:
    """Accept ``plan_id`` unless it is already the round's accepted plan; whether it was."""
    if accepted_plan_id(engine, round_id) == plan_id:
        return False
    accept_plan(engine, round_id, plan_id, by)
    return True


def restore_plan(engine: Engine, round_id: int, plan_id: int, by: str) -> Acceptance:
    """Make an earlier saved plan current again (a new history entry; nothing is lost)."""
    current = accepted_plan_id(engine, round_id)
    return accept_plan(engine, round_id, plan_id, by, restored_from=current)


def compare(engine: Engine, old_plan_id: int, new_plan_id: int) -> PlanDiff:
    """What changed from one saved plan to another."""
    return diff_plans(
        storage.load_plan(engine, old_plan_id), storage.load_plan(engine, new_plan_id)
    )
