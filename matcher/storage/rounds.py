"""Stored planning rounds: their summaries, lookup by name and deletion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from matcher.security.principal import CASE_ROLES, GEMEENTE, Principal
from matcher.storage.engine import session_scope
from matcher.storage.rows import _aware, _counts
from matcher.storage.tables import (
    ConsultantRow,
    LocationRow,
    PlanningDay,
    PlanningRound,
    ProviderRow,
    RequestRow,
    SavedPlan,
    YouthRow,
)


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """Summary of a stored planning round."""

    id: int
    name: str
    week: str | None
    first_day: dt.date | None
    last_day: dt.date | None
    created_at: dt.datetime
    """When the round was imported (UTC, timezone-aware)."""
    days: int
    providers: int
    consultants: int
    locations: int
    youths: int
    requests: int
    plans: int


def list_rounds(engine: Engine, *, principal: Principal | None = None) -> list[RoundInfo]:
    """Every stored round with its counts, newest first (not for the privacy officer or
    the accounts admin: :class:`~matcher.security.principal.AccessDenied`)."""
    if principal is not None:
        principal.require(*CASE_ROLES, GEMEENTE)
    with session_scope(engine) as session:
        rounds = session.exec(
            select(PlanningRound).order_by(
                col(PlanningRound.created_at).desc(), col(PlanningRound.id).desc()
            )
        ).all()
        counts = {
            m: _counts(session, m)
            for m in (
                PlanningDay,
                ProviderRow,
                ConsultantRow,
                LocationRow,
                YouthRow,
                RequestRow,
                SavedPlan,
            )
        }
        span_stmt = select(
            PlanningDay.round_id, func.min(PlanningDay.date), func.max(PlanningDay.date)
        ).group_by(col(PlanningDay.round_id))
        spans = {rid: (lo, hi) for rid, lo, hi in session.exec(span_stmt)}
        out = []
        for r in rounds:
            assert r.id is not None
            first, last = spans.get(r.id, (None, None))
            out.append(
                RoundInfo(
                    id=r.id,
                    name=r.name,
                    week=r.week,
                    first_day=first,
                    last_day=last,
                    created_at=_aware(r.created_at),
                    days=counts[PlanningDay].get(r.id, 0),
                    providers=counts[ProviderRow].get(r.id, 0),
                    consultants=counts[ConsultantRow].get(r.id, 0),
                    locations=counts[LocationRow].get(r.id, 0),
                    youths=counts[YouthRow].get(r.id, 0),
                    requests=counts[RequestRow].get(r.id, 0),
                    plans=counts[SavedPlan].get(r.id, 0),
                )
            )
        return out


def find_round(engine: Engine, name: str) -> int | None:
    """The id of the round named ``name``, or ``None``."""
    with session_scope(engine) as session:
        return session.exec(select(PlanningRound.id).where(PlanningRound.name == name)).first()


def delete_round(engine: Engine, round_id: int) -> bool:
    """Delete a round with everything in it (saved plans too); whether it existed."""
    with session_scope(engine, write=True) as session:
        result = session.exec(delete(PlanningRound).where(col(PlanningRound.id) == round_id))
        return bool(result.rowcount)


def _resolve_round(engine: Engine, round_name_or_id: str | int | None) -> RoundInfo | None:
    """The round named ``round_name_or_id``, else with that id; the newest round for ``None``."""
    rounds = list_rounds(engine)
    if round_name_or_id is None:
        return rounds[0] if rounds else None
    wanted = str(round_name_or_id)
    for r in rounds:
        if r.name == wanted:
            return r
    for r in rounds:
        if wanted.isdigit() and r.id == int(wanted):
            return r
    return None
