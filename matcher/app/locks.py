"""Which pins of a round were set in the app (locks) and which came with the scenario.

A scenario can bring fixed appointments (``pinned`` requests); the planner also locks
visits in the app, which stores them as pins as well. To let "unlock all" remove only the
app's locks, the app notes every request it locked or unlocked in its own table
``app_lock`` (:data:`APP_LOCK`, part of the app's tables, see
:func:`matcher.storage.round_state.ensure_app_tables`). A pin that is not noted there is a fixed
appointment of the scenario (imported, or set through a table or sheet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Column, Integer, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from matcher.scenario.domain import Pin
from matcher.storage.round_state import app_metadata, ensure_app_tables

__all__ = ["APP_LOCK", "LockSplit", "app_locked", "note_locks", "split_locks"]

APP_LOCK = Table(
    "app_lock",
    app_metadata,
    Column("round_id", Integer, primary_key=True, autoincrement=False),
    Column("request", String, primary_key=True),
)
"""Per round: the requests whose pin was set in the app."""


def note_locks(engine: Engine, round_id: int, pins: Mapping[str, Pin | None]) -> None:
    """Note locks set (a pin) and removed (``None``) in the app for ``round_id``."""
    ensure_app_tables(engine)
    if not pins:
        return
    with engine.begin() as conn:
        conn.execute(
            delete(APP_LOCK).where(
                APP_LOCK.c.round_id == round_id, APP_LOCK.c.request.in_(list(pins))
            )
        )
        added = [{"round_id": round_id, "request": r} for r, p in pins.items() if p is not None]
        if added:
            conn.execute(insert(APP_LOCK), added)


def app_locked(engine: Engine, round_id: int) -> frozenset[str]:
    """The requests of ``round_id`` that were locked in the app (and not unlocked since)."""
    ensure_app_tables(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(APP_LOCK.c.request).where(APP_LOCK.c.round_id == round_id))
        return frozenset(str(r[0]) for r in rows)


@dataclass(frozen=True)
class LockSplit:
    """The pinned requests of a round, split by origin.

    Attributes
    ----------
    app
        Locked in the app (sorted).
    scenario
        Fixed appointments of the scenario (sorted).
    """

    app: tuple[str, ...]
    scenario: tuple[str, ...]

    def to_unlock(self, *, include_scenario: bool = False) -> tuple[str, ...]:
        """The requests "unlock all" removes: the app's locks, and the scenario's fixed
        appointments only when asked for explicitly."""
        return self.app + self.scenario if include_scenario else self.app


def split_locks(pinned: Iterable[str], noted: Iterable[str]) -> LockSplit:
    """Split the pinned requests into the app's locks (``noted``) and the scenario's pins."""
    app = frozenset(noted)
    ids = sorted(set(pinned))
    return LockSplit(tuple(r for r in ids if r in app), tuple(r for r in ids if r not in app))
