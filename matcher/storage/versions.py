"""Versions of a round and its entities, the round lock, and the errors of concurrent edits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from matcher.scenario.domain import Scenario
from matcher.scenario.problems import Problem, ScenarioError
from matcher.storage.engine import session_scope
from matcher.storage.errors import NotFoundError, StorageError
from matcher.storage.rows import _read_scope, _require_round, _table
from matcher.storage.scenarios import _export
from matcher.storage.tables import (
    ConsultantRow,
    LocationRow,
    PlanningRound,
    RequestRow,
    SavedPlan,
    YouthRow,
)

KINDS: tuple[str, ...] = ("consultant", "location", "youth", "request")
"""The kinds of entity that carry a version (see :class:`Versions`)."""

_KIND_MODELS: dict[str, type[SQLModel]] = {
    "consultant": ConsultantRow,
    "location": LocationRow,
    "youth": YouthRow,
    "request": RequestRow,
}

Validator = Callable[[Scenario], Sequence[Problem]]
"""Checks a whole scenario; returns its problems (empty when valid)."""


@dataclass(frozen=True, slots=True)
class Versions:
    """The versions of a round and of its entities, read together with its scenario.

    Attributes
    ----------
    round
        The round's version: incremented by every write to anything in the round.
    entities
        ``(kind, key) -> version`` of every consultant, location, youth and request
        (kinds as in :data:`KINDS`). Every write to an entity increments its version.
    latest_plan
        Id of the round's newest saved plan (0 when there is none).
    """

    round: int
    entities: Mapping[tuple[str, str], int]
    latest_plan: int = 0

    def of(self, kind: str, key: str) -> int:
        """The version of entity ``key`` of ``kind``; 0 when it does not exist."""
        return self.entities.get((kind, key), 0)


@dataclass(frozen=True, slots=True)
class RoundSnapshot:
    """A round's scenario with the versions it was read at (one transaction)."""

    round_id: int
    scenario: Scenario
    versions: Versions


@dataclass(frozen=True, slots=True)
class Conflict:
    """One entity that changed since the snapshot an edit was made on.

    ``expected`` is the version the edit was based on, ``current`` the stored one; 0 means
    "does not exist" (an entity added by someone else has ``expected == 0``, one deleted
    meanwhile ``current == 0``). Kind ``plan`` is the round's newest saved plan: ``expected``
    and ``current`` are plan ids.
    """

    kind: str
    key: str
    expected: int
    current: int

    def __str__(self) -> str:
        if self.kind == "plan":
            return f"a newer plan was saved (#{self.current}, edit based on #{self.expected})"
        if self.current == 0:
            return f"{self.kind} {self.key} was deleted"
        if self.expected == 0:
            return f"{self.kind} {self.key} was added"
        return f"{self.kind} {self.key} changed (version {self.expected} -> {self.current})"


class StaleEditError(StorageError):
    """An edit was based on an outdated snapshot: someone else changed what it changes.

    Nothing was written. ``conflicts`` names every entity that changed; ``current`` is the
    round as stored when the conflict was found (scenario and versions), to show what
    changed or to merge the edit into it.
    """

    def __init__(self, conflicts: Sequence[Conflict], current: RoundSnapshot | None = None):
        self.conflicts = tuple(conflicts)
        self.current = current
        super().__init__(
            "changed by someone else since the edit was started: "
            + "; ".join(str(c) for c in self.conflicts)
        )


class InvalidEditError(StorageError):
    """The round would be invalid with the edit applied to its stored state; nothing written.

    ``problems`` are the validator's, about the whole round as it would be stored (it may
    include other users' edits saved after the snapshot the edit was made on).
    """

    def __init__(self, problems: Sequence[Problem], scenario: Scenario | None = None):
        self.problems = tuple(problems)
        self.scenario = scenario
        """The refused round (the stored state with the edit applied), to name entities."""
        super().__init__(
            f"the planning round would be invalid ({len(self.problems)} problem(s)): "
            + "; ".join(str(p) for p in self.problems[:5])
        )


def check_round(scenario: Scenario) -> tuple[Problem, ...]:
    """The loader's validator on a whole scenario: its problems (empty when valid)."""
    from matcher.scenario.validate import validate_document
    from matcher.scenario.writer import scenario_to_dict

    try:
        validate_document(scenario_to_dict(scenario), "<planningsronde>")
    except ScenarioError as exc:
        return tuple(exc.problems)
    return ()


def _entity_versions(
    session: Session, round_id: int, wanted: Iterable[tuple[str, str]] | None = None
) -> dict[tuple[str, str], int]:
    """``(kind, key) -> version`` in the round: all entities, or only ``wanted`` (one query
    per kind)."""
    by_kind: dict[str, set[str]] | None = None
    if wanted is not None:
        by_kind = defaultdict(set)
        for kind, key in wanted:
            by_kind[kind].add(key)
    out: dict[tuple[str, str], int] = {}
    for kind, model in _KIND_MODELS.items():
        table = _table(model)
        stmt = sa_select(table.c.key, table.c.version).where(table.c.round_id == round_id)
        if by_kind is not None:
            keys = by_kind.get(kind)
            if not keys:
                continue
            stmt = stmt.where(table.c.key.in_(sorted(keys)))
        for key, version in session.connection().execute(stmt):
            out[(kind, key)] = int(version)
    return out


NEWEST_PLAN_FIRST = (col(SavedPlan.created_at).desc(), col(SavedPlan.id).desc())
"""The order of a round's saved plans, newest first (ties by id)."""


def _latest_plan_id(session: Session, round_id: int) -> int:
    saved = session.exec(
        select(SavedPlan.id)
        .where(SavedPlan.round_id == round_id)
        .order_by(*NEWEST_PLAN_FIRST)
        .limit(1)
    ).first()
    return int(saved or 0)


def _plan_conflict(session: Session, round_id: int, based_on: int) -> Conflict | None:
    """The conflict of a plan made from plan ``based_on`` when another plan is newest now."""
    latest = _latest_plan_id(session, round_id)
    return None if latest == based_on else Conflict("plan", "", based_on, latest)


def _versions(session: Session, round_id: int) -> Versions:
    rnd = _require_round(session, round_id)
    return Versions(
        round=rnd.version,
        entities=MappingProxyType(_entity_versions(session, round_id)),
        latest_plan=_latest_plan_id(session, round_id),
    )


def _snapshot(session: Session, round_id: int) -> RoundSnapshot:
    return RoundSnapshot(round_id, _export(session, round_id), _versions(session, round_id))


def load_round(engine: Engine, round_id: int) -> RoundSnapshot:
    """The round's scenario with its versions, read in one consistent transaction.

    Edit the scenario and pass ``versions`` to :func:`write_edit` (or the
    ``expected_version`` of a single-entity function): an entity someone else changed in
    the meantime is then refused with :class:`StaleEditError` instead of overwritten.

    Raises
    ------
    NotFoundError
        No round with that id.
    """
    with _read_scope(engine) as session:
        return _snapshot(session, round_id)


def read_versions(engine: Engine, round_id: int) -> Versions:
    """Only the versions of :func:`load_round` (cheap: one query per kind)."""
    with _read_scope(engine) as session:
        return _versions(session, round_id)


@contextmanager
def _locked_round(engine: Engine, round_id: int) -> Iterator[Session]:
    """A write transaction holding the round's lock until it ends.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the round's row, so writers of one round queue
    up and each one reads (at ``READ COMMITTED``) everything its predecessors committed.
    SQLite: the database's write lock, taken at ``BEGIN IMMEDIATE``.
    """
    with session_scope(engine, write=True) as session:
        table = _table(PlanningRound)
        found = session.connection().execute(
            sa_select(table.c.id).where(table.c.id == round_id).with_for_update()
        )
        if found.first() is None:
            raise NotFoundError(f"no planning round with id {round_id}")
        yield session


def _bump_round(session: Session, round_id: int) -> None:
    table = _table(PlanningRound)
    session.connection().execute(
        update(table).where(table.c.id == round_id).values(version=table.c.version + 1)
    )
