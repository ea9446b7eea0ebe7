"""State of the planning app kept beside the stored rounds: versions, exports, roles, demo.

The app caches derived data (the scenario of a round, its travel matrix, tables, charts)
keyed by a round's *version*. :func:`round_versions` reads it with one query: the round's
own ``version`` (incremented by every write of :mod:`matcher.storage`, whoever makes it:
this app, the CLI, another process), a counter the app can bump (:func:`bump_version`) and
a fingerprint of the round's rows (highest row ids and counts).

The app's own bookkeeping lives in one extra table, ``app_round_state`` (its own
``MetaData``, created by :func:`ensure_app_tables`): the version counter and which saved
plan was last exported as invites (with the invite state needed for cancellations and
``SEQUENCE`` numbers, see :mod:`matcher.export.invites`).

Roles: the ketenregisseur (:data:`PLANNER`) sees everything; a provider (its id) sees and
edits only its own consultants and their visits, and never the address of a confidential
location.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from matcher import storage
from matcher.resources import SCENARIOS_DIR
from matcher.scenario.domain import Consultant, Location, Plan, Scenario
from matcher.scenario.loader import load_scenario
from matcher.storage.tables import (
    ConsultantSkill,
    ConsultantUnavailability,
    ConsultantWindow,
    LocationRow,
    LocationWindow,
    PinRow,
    PlanningRound,
    RequestRole,
    RequestRow,
    SavedPlan,
    YouthExcludedConsultant,
    YouthRow,
)

__all__ = [
    "DEMO_SCENARIO",
    "PLANNER",
    "ROUND_STATE",
    "RoundVersions",
    "address_text",
    "bump_version",
    "consultants_in_scope",
    "ensure_app_tables",
    "ensure_demo",
    "exported_plan",
    "mark_exported",
    "plan_in_scope",
    "previous_plan_id",
    "role_label",
    "role_options",
    "round_versions",
    "shows_address",
]

DEMO_SCENARIO = SCENARIOS_DIR / "limburg-week.yaml"
"""The demo week imported into an empty database on the app's first start."""

PLANNER = "ketenregisseur"
"""The role that sees everything (any other role is a provider id)."""

CONFIDENTIAL_ADDRESS = "vertrouwelijk (adres in dossier)"

app_metadata = MetaData()
ROUND_STATE = Table(
    "app_round_state",
    app_metadata,
    Column("round_id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False, default=0),
    Column("exported_plan_id", Integer, nullable=True),
    Column("exported_state", JSON, nullable=True),
    Column("exported_at", DateTime(timezone=False), nullable=True),
)
"""Per round: the app's edit counter and the last plan exported as invites."""

_FINGERPRINT_TABLES = (
    ConsultantSkill,
    ConsultantWindow,
    ConsultantUnavailability,
    LocationRow,
    LocationWindow,
    YouthRow,
    YouthExcludedConsultant,
    RequestRow,
    RequestRole,
    PinRow,
)


def ensure_app_tables(engine: Engine) -> None:
    """Create the app's own table when missing (idempotent)."""
    app_metadata.create_all(engine, checkfirst=True)


def ensure_demo(engine: Engine, path: Path | str = DEMO_SCENARIO) -> int | None:
    """Import the demo scenario when the database holds no planning round yet.

    Returns
    -------
    int | None
        The newest round's id (the demo's when it was just imported); ``None`` when the
        database is empty and the demo file is missing.
    """
    ensure_app_tables(engine)
    rounds = storage.list_rounds(engine)
    if rounds:
        return rounds[0].id
    demo = Path(path)
    if not demo.exists():
        return None
    return storage.import_scenario(engine, load_scenario(demo), replace=False)


@dataclass(frozen=True, slots=True)
class RoundVersions:
    """Cache keys of one round.

    Attributes
    ----------
    scenario
        Changes whenever the round's scenario data changes.
    plan
        Id of the newest saved plan (0 when there is none).
    """

    scenario: tuple[int, ...]
    plan: int


def _max_id(model: Any, round_id: int) -> Any:
    return (
        select(func.coalesce(func.max(model.id), 0))
        .where(model.round_id == round_id)
        .scalar_subquery()
    )


def round_versions(engine: Engine, round_id: int) -> RoundVersions:
    """The cache keys of a round, read with one query."""
    version = (
        select(func.coalesce(func.max(ROUND_STATE.c.version), 0))
        .where(ROUND_STATE.c.round_id == round_id)
        .scalar_subquery()
    )
    n_requests = (
        select(func.count()).select_from(RequestRow).where(col(RequestRow.round_id) == round_id)
    ).scalar_subquery()
    round_version = (
        select(func.coalesce(func.max(PlanningRound.version), 0))
        .where(col(PlanningRound.id) == round_id)
        .scalar_subquery()
    )
    stmt = select(
        version,
        round_version,
        n_requests,
        *(_max_id(m, round_id) for m in _FINGERPRINT_TABLES),
        _max_id(SavedPlan, round_id),
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    values = tuple(int(v or 0) for v in row)
    return RoundVersions(scenario=values[:-1], plan=values[-1])


def _upsert_state(
    engine: Engine, round_id: int, changes: dict[str, Any], fresh: dict[str, Any]
) -> None:
    """Apply ``changes`` to the round's state row, or insert it with ``fresh`` values."""
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                done = conn.execute(
                    update(ROUND_STATE).where(ROUND_STATE.c.round_id == round_id).values(**changes)
                ).rowcount
                if not done:
                    conn.execute(insert(ROUND_STATE).values(round_id=round_id, **fresh))
            return
        except IntegrityError:  # another session inserted the row first: update it
            if attempt:
                raise


def bump_version(engine: Engine, round_id: int) -> int:
    """Count one edit of the round; return the new counter value."""
    _upsert_state(engine, round_id, {"version": ROUND_STATE.c.version + 1}, {"version": 1})
    with engine.connect() as conn:
        value = conn.execute(
            select(ROUND_STATE.c.version).where(ROUND_STATE.c.round_id == round_id)
        ).scalar_one()
    return int(value)


def exported_plan(engine: Engine, round_id: int) -> tuple[int, Plan] | None:
    """The plan last exported as invites, with its invite state in ``extra``.

    Returns ``None`` when nothing was exported yet or that plan no longer exists.
    """
    from matcher.export.invites import STATE_KEY

    with engine.connect() as conn:
        row = conn.execute(
            select(ROUND_STATE.c.exported_plan_id, ROUND_STATE.c.exported_state).where(
                ROUND_STATE.c.round_id == round_id
            )
        ).first()
    if row is None or row[0] is None:
        return None
    try:
        plan = storage.load_plan(engine, int(row[0]))
    except storage.NotFoundError:
        return None
    extra = dict(plan.extra)
    if row[1]:
        extra[STATE_KEY] = row[1]
    return int(row[0]), Plan(
        plan.scenario, plan.solver, plan.visits, plan.unassigned, dict(plan.kpis), extra
    )


def mark_exported(
    engine: Engine, round_id: int, plan_id: int, state: dict[str, Any] | None = None
) -> None:
    """Remember ``plan_id`` (and its invite state) as the round's exported plan."""
    values = {
        "exported_plan_id": plan_id,
        "exported_state": state,
        "exported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
    }
    _upsert_state(engine, round_id, values, {"version": 0, **values})


def previous_plan_id(engine: Engine, round_id: int, plan_id: int) -> int | None:
    """The id of the plan saved just before ``plan_id`` in the round, if any."""
    plans = storage.list_plans(engine, round_id)
    ids = [p.id for p in plans]
    if plan_id not in ids:
        return None
    pos = ids.index(plan_id)
    return ids[pos + 1] if pos + 1 < len(ids) else None


# Roles ---------------------------------------------------------------------------------


def role_options(scenario: Scenario) -> list[str]:
    """The roles to choose from: the ketenregisseur, then every provider id."""
    return [PLANNER, *(p.id for p in scenario.providers)]


def role_label(scenario: Scenario, role: str) -> str:
    """``Ketenregisseur`` or the provider's name."""
    if role == PLANNER:
        return "Ketenregisseur"
    for p in scenario.providers:
        if p.id == role:
            return p.name
    return role


def consultants_in_scope(scenario: Scenario, role: str) -> tuple[Consultant, ...]:
    """The consultants a role sees and may edit."""
    if role == PLANNER:
        return scenario.consultants
    return tuple(c for c in scenario.consultants if c.provider == role)


def plan_in_scope(scenario: Scenario, plan: Plan, role: str) -> Plan:
    """The part of ``plan`` a role may see.

    A provider sees the visits in which one of its consultants takes part (joint visits
    keep their other consultants' ids) and no unassigned requests; the ketenregisseur
    sees the whole plan.
    """
    if role == PLANNER:
        return plan
    mine = {c.id for c in consultants_in_scope(scenario, role)}
    visits = tuple(v for v in plan.visits if mine.intersection(v.consultants))
    return Plan(plan.scenario, plan.solver, visits, (), dict(plan.kpis), dict(plan.extra))


def shows_address(role: str, location: Location) -> bool:
    """Whether a role may see the location's address (confidential: planner only)."""
    return role == PLANNER or not location.confidential


def address_text(location: Location, role: str) -> str:
    """The address as a role may see it (empty when there is none)."""
    if not shows_address(role, location):
        return CONFIDENTIAL_ADDRESS
    return location.address or ""


def visible_consultant_ids(scenario: Scenario, role: str) -> list[str]:
    """Ids of :func:`consultants_in_scope`, in scenario order."""
    return [c.id for c in consultants_in_scope(scenario, role)]


def scope_ids(consultants: Sequence[Consultant]) -> frozenset[str]:
    return frozenset(c.id for c in consultants)
