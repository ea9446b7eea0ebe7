"""Database connection: URL resolution, engine creation and a transactional session scope.

The database is SQLite by default (a file ``data/consultplanner.db`` in the project folder,
next to the ``matcher`` package) or whatever ``DATABASE_URL`` names, e.g.
``postgresql+psycopg://user:password@localhost:5432/consultplanner``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from matcher.storage import security_tables as _security_tables  # noqa: F401  (registers the tables)
from matcher.storage.migrate import add_missing_columns
from matcher.storage.tables import metadata

ENV_VAR = "DATABASE_URL"
PROJECT_DIR = Path(__file__).resolve().parents[2]
"""The folder that holds the ``matcher`` package (the checkout, or site-packages)."""


def _default_db_path() -> Path:
    """``data/consultplanner.db`` of the checkout, or of the working folder when installed.

    An installed package never writes into site-packages: outside a checkout (no
    ``pyproject.toml`` beside the package) the file goes to ``./data/`` of the folder the
    command runs in. ``DATABASE_URL`` overrides both.
    """
    root = PROJECT_DIR if (PROJECT_DIR / "pyproject.toml").is_file() else Path.cwd()
    return root / "data" / "consultplanner.db"


DEFAULT_DB_PATH = _default_db_path()
WRITE_LOCK = "consultplanner_write_lock"
"""Execution option of a connection whose transactions write: on SQLite they start with
``BEGIN IMMEDIATE`` (the database's write lock is taken at once, so two writers queue up
instead of one failing with "database is locked" when it upgrades a read lock)."""
SQLITE_BUSY_TIMEOUT = 30.0
"""Seconds a SQLite connection waits for another writer's lock before giving up."""


def database_url() -> str:
    """The database URL: env ``DATABASE_URL``, else the default SQLite file.

    Returns
    -------
    str
        A SQLAlchemy URL. The default is ``sqlite:///<project>/data/consultplanner.db``;
        the file and its folder are created by :func:`get_engine` on first use.
    """
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    return f"sqlite:///{DEFAULT_DB_PATH}"


def normalise_url(url: str) -> URL:
    """Parse ``url``; plain ``postgresql://`` / ``postgres://`` use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Switch foreign keys on and hand transaction control to SQLAlchemy.

    pysqlite on its own opens transactions only before DML and commits DDL at once; with
    ``isolation_level = None`` plus an explicit ``BEGIN`` (:func:`_sqlite_on_begin`) every
    SQLAlchemy transaction is one real SQLite transaction, DDL and reads included.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(WRITE_LOCK):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default :func:`database_url`) and create missing tables.

    Parameters
    ----------
    url
        A SQLAlchemy URL. ``sqlite://`` (or ``sqlite:///:memory:``) is an in-memory database
        shared by all sessions of the returned engine (``StaticPool``), meant for tests.
        ``postgresql://`` URLs use the psycopg 3 driver.

    Returns
    -------
    Engine
        A new engine; keep it for the lifetime of the process (each call makes a new one).
        On SQLite, foreign keys are switched on for every connection, each transaction is a
        real SQLite transaction (DDL and reads included), and the folder of a database file
        is created if missing. Statement parameters are hidden from error messages and logs
        (``hide_parameters``), so no confidential address ends up in a traceback. Columns
        added to the tables since the database was made are added to it
        (:func:`matcher.storage.migrate.add_missing_columns`).
    """
    parsed = normalise_url(url if url is not None else database_url())
    # Values never appear in SQL error messages or logs: they may hold confidential addresses.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT}
        if _is_memory_sqlite(parsed):
            kwargs["poolclass"] = StaticPool
        else:
            assert parsed.database is not None
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    metadata.create_all(engine)
    add_missing_columns(engine, metadata)
    return engine


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose work is one transaction: committed at the end, rolled back on error.

    Objects stay usable after the commit (``expire_on_commit=False``). With ``write`` the
    transaction takes the database's write lock at its start on SQLite (``BEGIN
    IMMEDIATE``, see :data:`WRITE_LOCK`); on PostgreSQL it is an ordinary transaction (lock
    rows with ``SELECT ... FOR UPDATE`` where needed).
    """
    session = Session(engine, expire_on_commit=False)
    try:
        if write:
            session.connection(execution_options={WRITE_LOCK: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
