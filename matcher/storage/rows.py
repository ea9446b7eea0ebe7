"""Small helpers on the tables of a round: bulk inserts, Core reads, key lookups, counts.

Private to :mod:`matcher.storage` (the names keep their underscore).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Row, Table, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from matcher.storage.engine import session_scope
from matcher.storage.errors import NotFoundError
from matcher.storage.tables import ConsultantRow, PlanningRound


def _utcnow() -> dt.datetime:
    """Now in UTC as a naive datetime (how timestamps are stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _bulk_insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table with one Core executemany."""
    if rows:
        session.connection().execute(insert(_table(model)), rows)


def _insert_ids(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *key: str
) -> dict[Any, int]:
    """Bulk insert ``rows`` and map each row's ``key`` column value(s) to its new ``id``.

    With one key column the map's keys are that column's values, with several they are
    tuples. Uses Core ``INSERT ... RETURNING`` with SQLAlchemy's "insertmanyvalues" batching
    (a few statements for thousands of rows, on SQLite and PostgreSQL alike).
    """
    if not rows:
        return {}
    table = _table(model)
    stmt = insert(table).returning(table.c.id, *(table.c[k] for k in key))
    result = session.connection().execute(stmt, rows)
    if len(key) == 1:
        return {r[1]: r[0] for r in result}
    return {tuple(r[1:]): r[0] for r in result}


def _round_rows(session: Session, model: type[SQLModel], round_id: int) -> Sequence[Row[Any]]:
    """All rows of ``model`` in the round as Core rows, in ``pos`` order where there is one.

    Core rows (attribute access by column name) avoid building ORM objects: exporting a
    large round is several times faster this way.
    """
    table = _table(model)
    order = [table.c.pos] if "pos" in table.c else []
    stmt = sa_select(table).where(table.c.round_id == round_id).order_by(*order, table.c.id)
    return session.connection().execute(stmt).all()


def _require_round(session: Session, round_id: int) -> PlanningRound:
    rnd = session.get(PlanningRound, round_id)
    if rnd is None:
        raise NotFoundError(f"no planning round with id {round_id}")
    return rnd


def _keyed(
    session: Session, model: type[SQLModel], round_id: int, keys: Iterable[str] | None = None
) -> dict[str, int]:
    """Map keys of ``model`` rows in the round (all, or only ``keys``) to their ids."""
    stmt = select(col(model.key), col(model.id)).where(  # type: ignore[attr-defined]
        col(model.round_id) == round_id  # type: ignore[attr-defined]
    )
    if keys is not None:
        stmt = stmt.where(col(model.key).in_(sorted(set(keys))))  # type: ignore[attr-defined]
    return {k: i for k, i in session.exec(stmt)}


def _consultants(
    session: Session, round_id: int, keys: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Map consultant keys of the round to ``(consultant id, provider id)``."""
    stmt = select(ConsultantRow.key, ConsultantRow.id, ConsultantRow.provider_id).where(
        ConsultantRow.round_id == round_id
    )
    if keys is not None:
        stmt = stmt.where(col(ConsultantRow.key).in_(sorted(set(keys))))
    return {k: (i, p) for k, i, p in session.exec(stmt) if i is not None}


def _lookup(mapping: dict[str, Any], key: str, what: str, where: str) -> Any:
    try:
        return mapping[key]
    except KeyError:
        raise NotFoundError(f"{where}: {what} {key!r} is not in the planning round") from None


def _next_pos(session: Session, model: type[SQLModel], round_id: int) -> int:
    stmt = select(func.max(col(model.pos))).where(  # type: ignore[attr-defined]
        col(model.round_id) == round_id  # type: ignore[attr-defined]
    )
    current = session.exec(stmt).one()
    return 0 if current is None else int(current) + 1


@contextmanager
def _read_scope(engine: Engine) -> Iterator[Session]:
    """A transaction that reads one consistent state of the database.

    On PostgreSQL it runs at ``REPEATABLE READ`` (one snapshot for all its statements, so a
    round read with several queries never mixes two commits); a SQLite read transaction
    holds its shared lock to the end and is consistent as it is.
    """
    with session_scope(engine) as session:
        if engine.dialect.name != "sqlite":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session


def _counts(
    session: Session, model: type[SQLModel], group: str = "round_id", round_id: int | None = None
) -> dict[int, int]:
    """Row counts of ``model`` per value of column ``group`` (optionally in one round)."""
    table = _table(model)
    stmt = sa_select(table.c[group], func.count()).group_by(table.c[group])
    if round_id is not None:
        stmt = stmt.where(table.c.round_id == round_id)
    return {k: int(n) for k, n in session.connection().execute(stmt)}
