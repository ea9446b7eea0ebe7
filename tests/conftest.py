"""Shared fixtures: the spec's worked example (scenario, plan, travel matrix), a generated
40-request week of single visits, paths, and the PostgreSQL server of the database tests.

PostgreSQL: ``TEST_DATABASE_URL`` names the server (schema recreated once per run, every
table emptied before each test that asks for ``empty_postgres``). Without that variable the
PostgreSQL variants are skipped, unless ``REQUIRE_POSTGRES=1``: then a missing or
unreachable server fails them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from matcher.scenario.domain import Plan, Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.scenario.plan_io import read_plan
from matcher.solver.model import Instance, prepare
from matcher.storage.engine import get_engine
from matcher.storage.tables import metadata
from matcher.travel import TravelMatrix, build_travel_matrix

# Cheap argon2 parameters for every test (the app's accounts, the users command).
os.environ.setdefault("CONSULTPLANNER_ARGON2", "fast")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
EXAMPLE = SCENARIOS / "voorbeeld-week-48.yaml"
SPEC = ROOT.parent / "shared" / "spec"
EXAMPLE_PLAN = ROOT / "tests" / "data" / "example-plan.json"


@pytest.fixture
def example_path() -> Path:
    """The spec's worked example, as shipped in scenarios/."""
    return EXAMPLE


@pytest.fixture
def example() -> Scenario:
    """The spec's worked example, loaded."""
    return load_scenario(EXAMPLE)


@pytest.fixture
def example_plan() -> Plan:
    """The spec's example plan (feasible, objective 2174)."""
    return read_plan(EXAMPLE_PLAN)


@pytest.fixture
def travel(example: Scenario) -> TravelMatrix:
    """The example's travel matrix."""
    return build_travel_matrix(example)


# PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def single_week() -> tuple[Scenario, Instance]:
    """40 requests, one consultant each, daily caps, no weekly caps."""
    s = parse_scenario(
        generate_scenario(11, 40, 10, joint_share=0, weekly_caps=False), "<generated>"
    )
    return s, prepare(s)


def _postgres_url() -> str:
    """TEST_DATABASE_URL; skip without it, or fail when REQUIRE_POSTGRES=1."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        _unavailable("TEST_DATABASE_URL is not set")
    return url


def _unavailable(problem: str) -> None:
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """One engine on TEST_DATABASE_URL for the run, its schema dropped and recreated once."""
    url = _postgres_url()
    try:
        eng = get_engine(url)
        metadata.drop_all(eng)
        metadata.create_all(eng)
    except SQLAlchemyError as exc:
        _unavailable(f"TEST_DATABASE_URL does not answer: {exc.__class__.__name__}: {exc}")
        raise  # not reached
    yield eng
    metadata.drop_all(eng)
    eng.dispose()


def _fresh(engine: Engine) -> Engine:
    """Empty every table, so each test starts from an empty database.

    The schema itself is recreated once per run (``postgres_engine``): a ``drop_all`` /
    ``create_all`` of the 22 tables costs about 1-2 s per test on PostgreSQL, emptying them
    a few milliseconds.
    """
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return engine


@pytest.fixture
def empty_postgres(postgres_engine: Engine) -> Engine:
    """The PostgreSQL engine with every table emptied."""
    return _fresh(postgres_engine)


_MAIN_MODULE = sys.modules["__main__"]
_MAIN_FILE = getattr(_MAIN_MODULE, "__file__", None)


@pytest.fixture(autouse=True)
def _restore_main_module() -> Iterator[None]:
    """Put back the interpreter's ``__main__`` after each test.

    ``streamlit.testing`` runs ``app.py`` as ``__main__``; a process started by the spawn
    method afterwards (a Dask worker, a ``ProcessPoolExecutor``) would re-run that file.
    """
    yield
    sys.modules["__main__"] = _MAIN_MODULE
    if _MAIN_FILE is not None and getattr(_MAIN_MODULE, "__file__", None) != _MAIN_FILE:
        _MAIN_MODULE.__file__ = _MAIN_FILE


@pytest.fixture
def example_round(example: Scenario, tmp_path: Path) -> Iterator[tuple[Engine, int]]:
    """The example week imported into a fresh SQLite database: ``(engine, round id)``."""
    from matcher import storage

    engine = get_engine(f"sqlite:///{tmp_path / 'example.db'}")
    rid = storage.import_scenario(engine, example)
    try:
        yield engine, rid
    finally:
        engine.dispose()
