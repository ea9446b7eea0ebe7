"""Storing trajectories (a youth's series of consults) between rounds.

The rules of a trajectory live in :mod:`matcher.cycle.rounds`; this module reads and writes them
(table ``trajectory``, one row per youth's case code) and checks a trajectory before it is
saved, naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, delete, select

from matcher.cycle.rounds import Trajectory
from matcher.storage.engine import session_scope
from matcher.storage.tables import TrajectoryRow

__all__ = [
    "delete_trajectory",
    "list_trajectories",
    "save_trajectories",
    "trajectories_frame",
    "trajectories_from_frame",
    "trajectory_problems",
]


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


# The Trajecten table of the app ----------------------------------------------------------

TABLE_COLUMNS = (
    "Casuscode",
    "Consulten",
    "Gehad",
    "Min. dagen ertussen",
    "Max. dagen ertussen",
    "Duur (min)",
    "Rollen",
    "Voorkeursconsultant",
    "Laatste consult",
)


def trajectories_frame(trajectories: Iterable[Trajectory]) -> Any:
    """The trajectories as the app's table (Dutch column names)."""
    import pandas as pd

    from matcher.explain.plan_views import roles_text

    rows = [
        {
            "Casuscode": t.youth,
            "Consulten": t.consults,
            "Gehad": t.done,
            "Min. dagen ertussen": t.min_gap_days,
            "Max. dagen ertussen": t.max_gap_days,
            "Duur (min)": t.duration_minutes,
            "Rollen": roles_text(t.roles),
            "Voorkeursconsultant": t.preferred_consultant,
            "Laatste consult": t.last_visit,
        }
        for t in trajectories
    ]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def trajectories_from_frame(
    frame: Any, known_youths: Iterable[str], known_consultants: Iterable[str]
) -> tuple[list[Trajectory], list[str]]:
    """Trajectories from the edited table, and the problems per row (Dutch).

    Nothing is returned as valid while any row has a problem.
    """
    import math

    from matcher.scenario.edit import parse_roles

    youths, consultants = set(known_youths), set(known_consultants)
    out: list[Trajectory] = []
    problems: list[str] = []
    labels = {
        "youth": "Casuscode",
        "consults": "Consulten",
        "done": "Gehad",
        "min_gap_days": "Min. dagen ertussen",
        "max_gap_days": "Max. dagen ertussen",
        "duration_minutes": "Duur (min)",
        "roles": "Rollen",
    }

    def number(value: Any, default: int = 0) -> int:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return default
        return int(value)

    for i, row in enumerate(frame.to_dict("records"), start=1):
        youth = str(row.get("Casuscode") or "").strip()
        if youth not in youths:
            problems.append(f"rij {i}: casuscode {youth or '(leeg)'} is geen jongere van deze week")
            continue
        preferred = row.get("Voorkeursconsultant")
        preferred = str(preferred).strip() if isinstance(preferred, str) and preferred else None
        if preferred is not None and preferred not in consultants:
            problems.append(f"rij {i}: voorkeursconsultant {preferred} bestaat niet")
            continue
        last = row.get("Laatste consult")
        try:
            t = Trajectory(
                youth=youth,
                consults=number(row.get("Consulten"), 1),
                done=number(row.get("Gehad")),
                min_gap_days=number(row.get("Min. dagen ertussen")),
                max_gap_days=number(row.get("Max. dagen ertussen")),
                duration_minutes=number(row.get("Duur (min)"), 60),
                roles=tuple(frozenset(r) for r in parse_roles(row.get("Rollen"))),
                preferred_consultant=preferred,
                last_visit=last if isinstance(last, dt.date) else None,
            )
        except (TypeError, ValueError):
            problems.append(f"rij {i}: getallen ontbreken of zijn geen hele getallen")
            continue
        for field, what, allowed in trajectory_problems(t):
            problems.append(f"rij {i}: {labels.get(field, field)} {what} (toegestaan: {allowed})")
        out.append(t)
    return (out if not problems else []), problems
