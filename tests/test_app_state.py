"""Tests of matcher.storage.round_state: demo import, round versions, export bookkeeping, roles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.export.invites import STATE_KEY
from matcher.scenario.domain import Pin, Plan, Scenario
from matcher.storage.engine import get_engine
from matcher.storage.round_state import (
    PLANNER,
    address_text,
    bump_version,
    consultants_in_scope,
    ensure_app_tables,
    ensure_demo,
    exported_plan,
    mark_exported,
    plan_in_scope,
    previous_plan_id,
    role_label,
    role_options,
    round_versions,
    shows_address,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = get_engine(f"sqlite:///{tmp_path / 'app.db'}")
    ensure_app_tables(eng)
    return eng


def test_ensure_demo_imports_once(engine: Engine) -> None:
    first = ensure_demo(engine, EXAMPLE)
    assert first is not None
    rounds = storage.list_rounds(engine)
    assert [r.name for r in rounds] == ["Voorbeeld week 48"]
    assert ensure_demo(engine, EXAMPLE) == first
    assert len(storage.list_rounds(engine)) == 1


def test_ensure_demo_without_file_leaves_database_empty(engine: Engine, tmp_path: Path) -> None:
    assert ensure_demo(engine, tmp_path / "missing.yaml") is None
    assert storage.list_rounds(engine) == []


def test_versions_change_with_every_kind_of_edit(
    engine: Engine, example: Scenario, example_plan: Plan
) -> None:
    rid = storage.import_scenario(engine, example)
    v0 = round_versions(engine, rid)
    assert v0.plan == 0
    assert bump_version(engine, rid) == 1
    v1 = round_versions(engine, rid)
    assert v1.scenario != v0.scenario
    assert bump_version(engine, rid) == 2
    # edits made outside the app (no bump) change the fingerprint too
    storage.set_pin(engine, rid, "R-1", Pin(("C-XON-2",)))
    v2 = round_versions(engine, rid)
    assert round_versions(engine, rid) == v2  # reading does not change it
    assert v2.scenario != v1.scenario
    storage.delete_request(engine, rid, "R-3")
    v3 = round_versions(engine, rid)
    assert v3.scenario != v2.scenario
    pid = storage.save_plan(engine, rid, example_plan)
    v4 = round_versions(engine, rid)
    assert v4.plan == pid
    assert v4.scenario == v3.scenario


def test_versions_of_two_rounds_are_independent(engine: Engine, example: Scenario) -> None:
    a = storage.import_scenario(engine, example)
    b = storage.import_scenario(engine, dataclasses.replace(example, name="Andere week"))
    before = round_versions(engine, b)
    bump_version(engine, a)
    assert round_versions(engine, b) == before


def test_exported_plan_keeps_invite_state(
    engine: Engine, example: Scenario, example_plan: Plan
) -> None:
    rid = storage.import_scenario(engine, example)
    assert exported_plan(engine, rid) is None
    pid = storage.save_plan(engine, rid, example_plan)
    state = {"R-1": {"uid": "x@consultplanner", "sequence": 2}}
    mark_exported(engine, rid, pid, state)
    found = exported_plan(engine, rid)
    assert found is not None
    assert found[0] == pid
    assert found[1].visits == example_plan.visits
    assert found[1].extra[STATE_KEY] == state
    # marking again replaces it; a vanished plan counts as never exported
    mark_exported(engine, rid, 999_999, None)
    assert exported_plan(engine, rid) is None


def test_previous_plan_id_walks_back_in_time(
    engine: Engine, example: Scenario, example_plan: Plan
) -> None:
    rid = storage.import_scenario(engine, example)
    p1 = storage.save_plan(engine, rid, example_plan)
    p2 = storage.save_plan(engine, rid, example_plan)
    assert previous_plan_id(engine, rid, p2) == p1
    assert previous_plan_id(engine, rid, p1) is None
    assert previous_plan_id(engine, rid, 12345) is None


def test_roles_scope_consultants_and_visits(example: Scenario, example_plan: Plan) -> None:
    assert role_options(example) == [PLANNER, "fier", "xonar"]
    assert role_label(example, PLANNER) == "Ketenregisseur"
    assert role_label(example, "xonar") == "Xonar"
    assert [c.id for c in consultants_in_scope(example, "fier")] == ["C-FIER-1"]
    assert len(consultants_in_scope(example, PLANNER)) == 3
    fier = plan_in_scope(example, example_plan, "fier")
    assert {v.request for v in fier.visits} == {"R-4", "R-5"}  # R-5 is joint with Xonar
    assert fier.unassigned == ()
    assert plan_in_scope(example, example_plan, PLANNER) is example_plan


def test_confidential_addresses_only_for_the_planner(example: Scenario) -> None:
    loc = dataclasses.replace(example.locations[0], address="Kerkstraat 1, Venlo")
    open_loc = dataclasses.replace(loc, confidential=False)
    assert shows_address(PLANNER, loc)
    assert not shows_address("fier", loc)
    assert address_text(loc, PLANNER) == "Kerkstraat 1, Venlo"
    assert "Kerkstraat" not in address_text(loc, "fier")
    assert address_text(open_loc, "fier") == "Kerkstraat 1, Venlo"


def test_tables_are_sized_to_their_content() -> None:
    """Short tables are shown whole; long ones scroll in a box of TABLE_ROWS rows (not
    Streamlit's default of about ten)."""
    from app_pages.common import HEADER_PX, ROW_PX, TABLE_ROWS, table_height

    assert table_height(3) == "content"
    assert table_height(TABLE_ROWS) == "content"
    tall = table_height(TABLE_ROWS + 1)
    assert isinstance(tall, int) and tall >= HEADER_PX + ROW_PX * TABLE_ROWS
    assert TABLE_ROWS >= 15
