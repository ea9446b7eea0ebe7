"""Tests of matcher.storage.engine: URL resolution, engine creation, foreign keys, sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import matcher
from matcher.storage import engine as db_engine
from matcher.storage.engine import database_url, get_engine, normalise_url, session_scope
from matcher.storage.tables import PlanningRound, ProviderRow, metadata


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """DATABASE_URL unset."""
    monkeypatch.delenv("DATABASE_URL", raising=False)


def _count_rounds(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(PlanningRound)).one())


def _round(name: str = "Week 48") -> PlanningRound:
    return PlanningRound(name=name, created_at=dt.datetime(2026, 11, 28, 12, 0))


def test_default_url_is_a_sqlite_file_next_to_the_package(no_env: None) -> None:
    package_dir = Path(matcher.__file__).resolve().parent
    expected = package_dir.parent / "data" / "consultplanner.db"
    assert database_url() == f"sqlite:///{expected}"


def test_env_overrides_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db.example:5432/cp")
    assert database_url() == "postgresql+psycopg://u:p@db.example:5432/cp"


def test_blank_env_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert database_url().startswith("sqlite:///")
    assert database_url().endswith("consultplanner.db")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:p@localhost/cp",
        "postgres://u:p@localhost/cp",
        "postgresql+psycopg://u:p@localhost/cp",
    ],
)
def test_postgres_urls_use_psycopg3(url: str) -> None:
    parsed = normalise_url(url)
    assert parsed.drivername == "postgresql+psycopg"
    assert (parsed.username, parsed.host, parsed.database) == ("u", "localhost", "cp")


def test_sqlite_file_and_folder_are_created_on_first_use(tmp_path: Path) -> None:
    db_file = tmp_path / "nested" / "folder" / "cp.db"
    engine = get_engine(f"sqlite:///{db_file}")
    try:
        assert db_file.exists()
        assert set(inspect(engine).get_table_names()) == set(metadata.tables)
    finally:
        engine.dispose()


def test_default_engine_follows_the_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_file = tmp_path / "from-env.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_file}")
    engine = get_engine()
    try:
        assert Path(str(engine.url.database)) == db_file
        assert db_file.exists()
    finally:
        engine.dispose()


def test_default_path_is_used_without_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    target = tmp_path / "data" / "consultplanner.db"
    monkeypatch.setattr(db_engine, "DEFAULT_DB_PATH", target)
    engine = get_engine()
    try:
        assert target.exists()
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_sqlite_foreign_keys_are_on(kind: str, tmp_path: Path) -> None:
    url = "sqlite://" if kind == "memory" else f"sqlite:///{tmp_path / 'fk.db'}"
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        with pytest.raises(IntegrityError), session_scope(engine) as session:
            session.add(ProviderRow(round_id=999, key="fier", pos=0, name="Fier"))
    finally:
        engine.dispose()


def test_sqlite_cascade_delete_works(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'cascade.db'}")
    try:
        with session_scope(engine) as session:
            rnd = _round()
            session.add(rnd)
            session.flush()
            assert rnd.id is not None
            session.add(ProviderRow(round_id=rnd.id, key="fier", pos=0, name="Fier"))
        with session_scope(engine) as session:
            session.delete(session.get(PlanningRound, rnd.id))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM provider")).scalar_one() == 0
    finally:
        engine.dispose()


def test_in_memory_database_is_shared_by_sessions() -> None:
    engine = get_engine("sqlite://")
    with session_scope(engine) as session:
        session.add(_round())
    with session_scope(engine) as session:
        assert _count_rounds(session) == 1
    other = get_engine("sqlite://")
    with session_scope(other) as session:
        assert _count_rounds(session) == 0  # each engine is its own database


def test_session_scope_commits() -> None:
    engine = get_engine("sqlite://")
    with session_scope(engine) as session:
        session.add(_round("A"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM planning_round")).scalars().all() == ["A"]


def test_session_scope_rolls_back_on_error() -> None:
    engine = get_engine("sqlite://")
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(_round("B"))
        session.flush()  # written inside the transaction ...
        raise RuntimeError("boom")
    with engine.connect() as conn:  # ... and gone after the rollback
        assert conn.execute(text("SELECT count(*) FROM planning_round")).scalar_one() == 0


def test_get_engine_is_idempotent_on_an_existing_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    first = get_engine(url)
    with session_scope(first) as session:
        session.add(_round("kept"))
    first.dispose()
    second = get_engine(url)
    try:
        with second.connect() as conn:
            assert conn.execute(text("SELECT name FROM planning_round")).scalars().all() == ["kept"]
    finally:
        second.dispose()


def test_sql_errors_do_not_show_values() -> None:
    engine = get_engine("sqlite://")
    with pytest.raises(IntegrityError) as caught, session_scope(engine) as session:
        session.add(ProviderRow(round_id=999, key="fier", pos=0, name="Geheimstraat 12"))
    assert "Geheimstraat" not in str(caught.value)
    assert "hidden" in str(caught.value)


def test_write_sessions_take_the_sqlite_write_lock_at_begin(tmp_path: Path) -> None:
    from sqlalchemy import event

    eng = get_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    seen: list[str] = []
    event.listen(eng, "before_cursor_execute", lambda *args: seen.append(args[2]))
    with session_scope(eng, write=True) as session:
        session.exec(select(func.count()).select_from(PlanningRound))
    with session_scope(eng) as session:
        session.exec(select(func.count()).select_from(PlanningRound))
    begins = [s for s in seen if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]
    eng.dispose()


VERSIONED = ("planning_round", "consultant", "location", "youth", "request")


def test_an_old_database_gets_the_version_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    eng = get_engine(f"sqlite:///{path}")
    with session_scope(eng) as session:
        session.add(_round())
    with eng.begin() as conn:  # make it look like a database of the previous schema
        for table in VERSIONED:
            conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN version')
    eng.dispose()
    plain = create_engine(f"sqlite:///{path}")  # no create_all, no migration
    assert "version" not in {c["name"] for c in inspect(plain).get_columns("consultant")}
    plain.dispose()

    again = get_engine(f"sqlite:///{path}")
    for table in VERSIONED:
        assert "version" in {c["name"] for c in inspect(again).get_columns(table)}, table
    with session_scope(again) as session:
        (rnd,) = session.exec(select(PlanningRound)).all()
        assert rnd.version == 1  # existing rows get the default
    again.dispose()


def test_a_missing_column_without_default_is_reported(tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    from matcher.storage.migrate import MigrationError, add_missing_columns

    eng = get_engine(f"sqlite:///{tmp_path / 'm.db'}")
    md = MetaData()
    Table("planning_round", md, Column("id", Integer, primary_key=True))
    Table(
        "planning_round",
        md,
        Column("needs_value", Integer, nullable=False),
        Column("optional", Integer, nullable=True),
        extend_existing=True,
    )
    with pytest.raises(MigrationError, match=r"planning_round\.needs_value"):
        add_missing_columns(eng, md)
    assert "optional" not in {c["name"] for c in inspect(eng).get_columns("planning_round")}
    eng.dispose()
