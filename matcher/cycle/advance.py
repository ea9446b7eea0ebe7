"""Advancing a stored round to the next week (``matcher round next``, "Nieuwe week").

The rules are in :mod:`matcher.cycle.rounds`; this module reads the current round, the plan that
staff carried out (the round's exported plan, else its latest plan) and the youths'
trajectories from the database, and stores the next round and the updated trajectories.
"""

from __future__ import annotations

import sys

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from matcher import storage
from matcher.cycle.rounds import NextRound, next_round
from matcher.scenario.domain import Plan, SolverInfo
from matcher.storage.trajectories import list_trajectories, save_trajectories

__all__ = ["advance_round", "carried_out_plan", "round_next_command"]


def carried_out_plan(engine: Engine, round_id: int) -> Plan:
    """The plan staff carried out: the exported (sent) plan, else the latest, else empty."""
    from matcher.storage.round_state import ensure_app_tables, exported_plan

    ensure_app_tables(engine)
    sent = exported_plan(engine, round_id)
    if sent is not None:
        return sent[1]
    latest = storage.latest_plan(engine, round_id)
    if latest is not None:
        return latest
    scenario = storage.export_scenario(engine, round_id)
    return Plan(scenario.name, SolverInfo("unknown", None, None, 0.0), (), ())


def advance_round(
    engine: Engine, round_id: int, *, name: str | None = None
) -> tuple[int, NextRound]:
    """Store the round after ``round_id``; returns its id and what was carried and created.

    Raises
    ------
    storage.RoundExistsError
        A round with the new name exists already (nothing is written).
    """
    scenario = storage.export_scenario(engine, round_id)
    plan = carried_out_plan(engine, round_id)
    trajectories = list_trajectories(engine, (y.id for y in scenario.youths))
    nxt = next_round(scenario, plan, trajectories, name=name)
    new_id = storage.import_scenario(engine, nxt.scenario, replace=False)
    save_trajectories(engine, nxt.trajectories)
    return new_id, nxt


def round_next_command(
    round_name_or_id: str | None, name: str | None, database_url: str | None
) -> int:
    """``matcher round next``: make the next week's round from a stored one.

    Returns 0 on success, 2 when there is no such round or the new name is taken, 1 when
    the database fails.
    """
    from matcher.storage.engine import get_engine

    try:
        engine = get_engine(database_url)
    except SQLAlchemyError as exc:
        print(f"database error: {exc.__class__.__name__}", file=sys.stderr)
        return 1
    try:
        info = storage._resolve_round(engine, round_name_or_id)
        if info is None:
            print(f"no planning round {round_name_or_id or ''!s}".strip(), file=sys.stderr)
            return 2
        new_id, nxt = advance_round(engine, info.id, name=name)
    except storage.RoundExistsError as exc:
        print(f"{exc}; give another --name", file=sys.stderr)
        return 2
    except (storage.StorageError, SQLAlchemyError) as exc:
        print(f"round next failed: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    s = nxt.scenario
    print(
        f"made round {new_id} {s.name!r} ({s.week}): {len(nxt.carried)} open request(s) "
        f"carried over, {len(nxt.created)} trajectory request(s) created, "
        f"{len(s.requests)} request(s) in all"
    )
    return 0
