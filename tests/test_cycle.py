"""``matcher round next`` on a stored round: three weeks in a row, trajectories stored."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest

from matcher import storage
from matcher.cli.main import main
from matcher.cycle.advance import advance_round, carried_out_plan
from matcher.cycle.rounds import Trajectory, trajectory_request
from matcher.scenario.domain import Scenario
from matcher.solver.solve import SolveParams
from matcher.storage.engine import get_engine
from matcher.storage.round_state import ensure_app_tables, mark_exported
from matcher.storage.trajectories import (
    delete_trajectory,
    list_trajectories,
    save_trajectories,
    trajectory_problems,
)

solve_module = importlib.import_module("matcher.solver.solve")

SERIES = Trajectory(
    youth="Y-2026-011",
    consults=3,
    min_gap_days=5,
    max_gap_days=9,
    duration_minutes=60,
    roles=(frozenset({"loverboy-trauma"}),),
)


def _plan_and_send(engine: object, round_id: int) -> None:
    s = storage.export_scenario(engine, round_id)  # type: ignore[arg-type]
    plan = solve_module.solve(s, SolveParams(time_limit=3, workers=1, seed=1)).plan
    plan_id = storage.save_plan(engine, round_id, plan)  # type: ignore[arg-type]
    mark_exported(engine, round_id, plan_id)  # type: ignore[arg-type]


def test_three_weeks_through_the_database_and_the_cli(tmp_path: Path, example: Scenario) -> None:
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    engine = get_engine(url)
    ensure_app_tables(engine)
    first = trajectory_request(SERIES, example.days)
    assert first is not None
    r1 = storage.import_scenario(
        engine, dataclasses.replace(example, requests=(*example.requests, first))
    )
    save_trajectories(engine, [SERIES])
    _plan_and_send(engine, r1)
    assert first.id in {v.request for v in carried_out_plan(engine, r1).visits}

    assert main(["round", "next", "--round", str(r1), "--database-url", url]) == 0
    rounds = {r.name: r.id for r in storage.list_rounds(engine)}
    r2 = rounds["Voorbeeld week 49"]
    (t,) = list_trajectories(engine)
    assert t.done == 1 and t.last_visit is not None
    s2 = storage.export_scenario(engine, r2)
    assert s2.week == "2026-W49" and t.request_id() in {r.id for r in s2.requests}

    _plan_and_send(engine, r2)
    r3, nxt = advance_round(engine, r2)
    (t,) = list_trajectories(engine)
    assert t.done == 2
    assert storage.export_scenario(engine, r3).week == "2026-W50"
    assert nxt.trajectories[0] == t
    # The same name twice is refused (exit 2) and writes nothing.
    before = len(storage.list_rounds(engine))
    assert main(["round", "next", "--round", str(r2), "--database-url", url]) == 2
    assert len(storage.list_rounds(engine)) == before
    engine.dispose()


def test_trajectories_are_checked_before_they_are_saved(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 't.db'}")
    bad = dataclasses.replace(SERIES, consults=0, max_gap_days=2)
    fields = {f for f, _, _ in trajectory_problems(bad)}
    assert {"consults", "max_gap_days"} <= fields
    with pytest.raises(ValueError, match="consults"):
        save_trajectories(engine, [bad])
    assert list_trajectories(engine) == []
    save_trajectories(engine, [SERIES])
    save_trajectories(engine, [dataclasses.replace(SERIES, done=1)])  # update by case code
    assert [t.done for t in list_trajectories(engine)] == [1]
    assert delete_trajectory(engine, SERIES.youth) and not delete_trajectory(engine, "Y-X")
    engine.dispose()
