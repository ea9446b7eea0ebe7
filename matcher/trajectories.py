"""Storing trajectories (a youth's series of consults) between rounds.

The rules of a trajectory live in :mod:`matcher.rounds`; this module reads and writes them
(table ``trajectory``, one row per youth's case code) and checks a trajectory before it is
saved, naming the field and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine
from sqlmodel import col, delete, select

from matcher.db.engine import session_scope
from matcher.db.tables import TrajectoryRow
from matcher.rounds import Trajectory

__all__ = ["delete_trajectory", "list_trajectories", "save_trajectories", "trajectory_problems"]


def trajectory_problems(t: Trajectory) -> list[tuple[str, str, str]]:
    """``(field, what is wrong, what is allowed)`` for each problem of ``t`` (empty: fine)."""
    out: list[tuple[str, str, str]] = []
    if not t.youth.strip():
        out.append(("youth", "empty", "a case code"))
    if t.consults < 1:
        out.append(("consults", f"{t.consults} is too small", "at least 1"))
    if t.min_gap_days < 0:
        out.append(("min_gap_days", f"{t.min_gap_days} is negative", "0 or more days"))
    if t.max_gap_days < t.min_gap_days:
        out.append(
            ("max_gap_days", f"{t.max_gap_days} is below the minimum", f">= {t.min_gap_days}")
        )
    if not 1 <= t.duration_minutes <= 24 * 60:
        out.append(("duration_minutes", f"{t.duration_minutes}", "1..1440 minutes"))
    if not t.roles:
        out.append(("roles", "no role", "one skill list per consultant"))
    if not 0 <= t.done <= t.consults:
        out.append(("done", f"{t.done}", f"0..{t.consults}"))
    return out


def _to_domain(row: TrajectoryRow) -> Trajectory:
    return Trajectory(
        youth=row.youth,
        consults=row.consults,
        min_gap_days=row.min_gap_days,
        max_gap_days=row.max_gap_days,
        duration_minutes=row.duration_minutes,
        roles=tuple(frozenset(r) for r in row.roles),
        preferred_consultant=row.preferred_consultant,
        done=row.done,
        last_visit=row.last_visit,
    )


def list_trajectories(engine: Engine, youths: Iterable[str] | None = None) -> list[Trajectory]:
    """Every stored trajectory (or those of the given case codes), by case code."""
    with session_scope(engine) as session:
        query = select(TrajectoryRow).order_by(col(TrajectoryRow.youth))
        if youths is not None:
            query = query.where(col(TrajectoryRow.youth).in_(list(youths)))
        return [_to_domain(r) for r in session.exec(query).all()]


def save_trajectories(engine: Engine, trajectories: Iterable[Trajectory]) -> None:
    """Insert or update trajectories by case code, in one transaction.

    Raises
    ------
    ValueError
        A trajectory has problems (see :func:`trajectory_problems`); nothing is written.
    """
    items = list(trajectories)
    for t in items:
        problems = trajectory_problems(t)
        if problems:
            text = "; ".join(f"{f}: {what} (allowed: {allowed})" for f, what, allowed in problems)
            raise ValueError(f"trajectory of {t.youth}: {text}")
    with session_scope(engine) as session:
        existing = {
            r.youth: r
            for r in session.exec(
                select(TrajectoryRow).where(col(TrajectoryRow.youth).in_([t.youth for t in items]))
            ).all()
        }
        for t in items:
            row = existing.get(t.youth) or TrajectoryRow(
                youth=t.youth,
                consults=t.consults,
                min_gap_days=t.min_gap_days,
                max_gap_days=t.max_gap_days,
                duration_minutes=t.duration_minutes,
                roles=[],
            )
            row.consults = t.consults
            row.done = t.done
            row.min_gap_days = t.min_gap_days
            row.max_gap_days = t.max_gap_days
            row.duration_minutes = t.duration_minutes
            row.roles = [sorted(r) for r in t.roles]
            row.preferred_consultant = t.preferred_consultant
            row.last_visit = t.last_visit
            session.add(row)


def delete_trajectory(engine: Engine, youth: str) -> bool:
    """Remove the trajectory of ``youth``; ``False`` when there was none."""
    with session_scope(engine) as session:
        result = session.exec(delete(TrajectoryRow).where(col(TrajectoryRow.youth) == youth))
        return bool(result.rowcount)
