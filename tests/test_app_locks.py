"""Tests of matcher.app.locks: app locks told apart from the scenario's pins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from matcher.app.locks import app_locked, note_locks, split_locks
from matcher.scenario.domain import Pin
from matcher.storage.engine import get_engine


def test_split_keeps_scenario_pins_unless_included() -> None:
    split = split_locks(["R-3", "R-1", "R-2", "R-9"], ["R-2", "R-9", "R-77"])
    assert split.app == ("R-2", "R-9")
    assert split.scenario == ("R-1", "R-3")
    assert split.to_unlock() == ("R-2", "R-9")
    assert split.to_unlock(include_scenario=True) == ("R-2", "R-9", "R-1", "R-3")


def test_noted_locks_per_round(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    try:
        pin = Pin(consultants=("C-1",), date=dt.date(2026, 11, 30), start=600)
        assert app_locked(engine, 1) == frozenset()
        note_locks(engine, 1, {"R-1": pin, "R-2": pin})
        note_locks(engine, 2, {"R-1": pin})
        note_locks(engine, 1, {"R-2": None, "R-1": pin})
        assert app_locked(engine, 1) == frozenset({"R-1"})
        assert app_locked(engine, 2) == frozenset({"R-1"})
        note_locks(engine, 1, {})
        assert app_locked(engine, 1) == frozenset({"R-1"})
    finally:
        engine.dispose()
