"""Tests of matcher.storage (and the tables behind it) on SQLite and, when configured, PostgreSQL.

Every test taking ``engine`` or ``db_url`` runs against an in-memory/file SQLite database and
against the PostgreSQL server named by ``TEST_DATABASE_URL`` (schema recreated once per run,
every table emptied before each test). Without
that variable the PostgreSQL variants are skipped, unless ``REQUIRE_POSTGRES=1``: then a
missing or unreachable server fails them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.cli import import_export
from matcher.scenario.domain import (
    Contact,
    Location,
    Pin,
    Plan,
    Point,
    PublishedVisit,
    Request,
    Scenario,
    SolverInfo,
    TimeOfDay,
    TravelSettings,
    Unassigned,
    Unavailability,
    Weights,
    Window,
    Youth,
)
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.scenario.plan_io import read_plan
from matcher.scenario.writer import write_scenario
from matcher.storage.engine import get_engine, session_scope
from matcher.storage.tables import (
    ConsultantRow,
    ConsultantSkill,
    ConsultantUnavailability,
    ConsultantWindow,
    PinConsultant,
    PlanVisitConsultant,
    metadata,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
EXAMPLE_PLAN = Path(__file__).resolve().parent / "data" / "example-plan.json"
DEMO_SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
BUSY = ROOT / "scenarios" / "limburg-busy.yaml"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# Backends ----------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An empty database with all tables: in-memory SQLite or PostgreSQL."""
    if request.param == "sqlite":
        eng = get_engine("sqlite://")
        yield eng
        eng.dispose()
    else:
        yield request.getfixturevalue("empty_postgres")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL with empty tables, for the CLI functions that connect by URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.db'}"
    eng = request.getfixturevalue("empty_postgres")
    return eng.url.render_as_string(hide_password=False)


# Scenarios and plans -------------------------------------------------------------------------


@pytest.fixture
def example() -> Scenario:
    """The spec's worked example."""
    return load_scenario(EXAMPLE)


@pytest.fixture
def example_plan() -> Plan:
    """The spec's worked example plan."""
    return read_plan(EXAMPLE_PLAN)


def _rich(s: Scenario) -> Scenario:
    """The example with every optional feature set in an unusual way."""
    c0, c1, c2 = s.consultants
    c1 = dataclasses.replace(
        c1,
        max_visits_per_day=2,
        availability=(
            Window(start=13 * 60, end=18 * 60, weekday="tue"),
            Window(start=8 * 60, end=12 * 60, date=dt.date(2026, 11, 26)),
            Window(start=13 * 60, end=17 * 60, date=dt.date(2026, 11, 26)),
        ),
        unavailable=(
            Unavailability(date=dt.date(2026, 11, 26), start=10 * 60, end=11 * 60),
            Unavailability(date=dt.date(2026, 11, 27)),
        ),
    )
    l0, l1, l2, l3 = s.locations
    l0 = dataclasses.replace(
        l0,
        address="Lindelaan 1, Venlo",
        confidential=False,
        contact=Contact("groepsleider G-7", "g7@delinde.example"),
    )
    l1 = dataclasses.replace(l1, open=())  # listed but never open: not the same as None
    y = list(s.youths)
    y[3] = dataclasses.replace(y[3], excluded_consultants=frozenset({"C-XON-1", "C-XON-2"}))
    r = list(s.requests)
    r[0] = dataclasses.replace(r[0], roles=(frozenset(),))  # a role without skills
    r[1] = dataclasses.replace(
        r[1], roles=(frozenset({"loverboy-trauma"}), frozenset(), frozenset({"lvb"}))
    )
    r[4] = dataclasses.replace(
        r[4],
        roles=(frozenset({"loverboy-trauma", "vrouw"}), frozenset({"lvb"})),
        pinned=Pin(("C-FIER-1", "C-XON-1"), dt.date(2026, 11, 26), 11 * 60),
        time_of_day=TimeOfDay(9 * 60, 12 * 60),
    )
    return dataclasses.replace(
        s,
        name="Rijk scenario",
        week=None,
        days=tuple(dt.date(2026, 11, d) for d in (23, 24, 26, 27)),
        timezone="Europe/Brussels",
        consultants=(c2, c0, c1),
        locations=(l3, l1, l0, l2),
        youths=tuple(y),
        requests=tuple(reversed(r)),
        travel=TravelSettings(
            speed_kmh=52.5,
            detour_factor=1.41,
            overrides=(
                ("L-GH-VENLO", "base:C-XON-2", 7),
                ("base:C-XON-2", "L-GH-VENLO", 9),
                ("L-GH-VENLO", "base:C-XON-2", 8),
            ),
        ),
        weights=Weights(travel_minute=2, waiting_day=0, continuity=75, unassigned=5000),
        urgency_factors=MappingProxyType({"crisis": 9, "high": 5, "normal": 2, "low": 1}),
    )


@pytest.fixture
def rich(example: Scenario) -> Scenario:
    """A scenario using every optional part of the format, in an unusual order."""
    return _rich(example)


@pytest.fixture
def rich_plan(example_plan: Plan) -> Plan:
    """A plan with unassigned requests, a bound, float KPIs, extra keys and unknown staff."""
    v = example_plan.visits
    return dataclasses.replace(
        example_plan,
        solver=SolverInfo("optimal", 123456789012, 123456789000, 12.345678),
        visits=(*v[:4], dataclasses.replace(v[4], consultants=("C-EX-9", "C-FIER-1"))),
        unassigned=(
            Unassigned("R-6", ("pin cannot hold", "no consultant has skill 'emdr'")),
            Unassigned("R-9", ("verzoek bestaat niet meer",)),
        ),
        kpis={"travel_minutes": 234, "assigned": 5, "unassigned": 2, "utilisation": 0.4375},
        extra={"notes": ["a", "b"], "run": {"seed": 3, "ok": True, "gap": None}},
    )


def _generated(n_requests: int, n_consultants: int, seed: int = 7) -> Scenario:
    doc = generate_scenario(seed, n_requests, n_consultants)
    return parse_scenario(doc, f"<generated seed {seed}>")


def _busy() -> Scenario:
    """limburg-busy when shipped, else a generated scenario of the same size."""
    if BUSY.exists():
        return load_scenario(BUSY)
    return _generated(300, 60, seed=48)


def _table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in metadata.tables.items()
        }


# Import / export ---------------------------------------------------------------------------


def test_example_round_trips(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    assert storage.export_scenario(engine, round_id) == example


def test_rich_scenario_round_trips(engine: Engine, rich: Scenario) -> None:
    rich = dataclasses.replace(rich, days=tuple(reversed(rich.days)))  # order is kept too
    round_id = storage.import_scenario(engine, rich)
    back = storage.export_scenario(engine, round_id)
    assert back == rich
    # Orders that equality of tuples checks, and the None/() distinction of ``open``.
    assert back.days == rich.days
    assert [loc.open for loc in back.locations] == [loc.open for loc in rich.locations]
    assert list(back.urgency_factors) == ["crisis", "high", "normal", "low"]


@pytest.mark.parametrize("path", DEMO_SCENARIOS, ids=[p.stem for p in DEMO_SCENARIOS])
def test_demo_scenarios_round_trip(engine: Engine, path: Path) -> None:
    scenario = load_scenario(path)
    round_id = storage.import_scenario(engine, scenario)
    assert storage.export_scenario(engine, round_id) == scenario


def test_generated_scenario_round_trips(engine: Engine) -> None:
    scenario = _generated(60, 12)
    round_id = storage.import_scenario(engine, scenario)
    assert storage.export_scenario(engine, round_id) == scenario


def test_failed_import_leaves_database_unchanged(
    engine: Engine, example: Scenario, rich: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_id = storage.import_scenario(engine, example)
    storage.save_plan(engine, old_id, read_plan(EXAMPLE_PLAN))
    before = _table_counts(engine)
    rounds_before = storage.list_rounds(engine)

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full (simulated)")

    # Fails after the old round was deleted and providers..youths of the new one written.
    monkeypatch.setattr(storage.scenarios, "_insert_request_children", boom)
    replacement = dataclasses.replace(rich, name=example.name)
    with pytest.raises(RuntimeError, match="simulated"):
        storage.import_scenario(engine, replacement, replace=True)
    with pytest.raises(RuntimeError, match="simulated"):
        storage.import_scenario(engine, rich)

    assert _table_counts(engine) == before
    assert storage.list_rounds(engine) == rounds_before
    assert storage.export_scenario(engine, old_id) == example
    assert storage.latest_plan(engine, old_id) == read_plan(EXAMPLE_PLAN)


def test_import_with_dangling_reference_writes_nothing(engine: Engine, example: Scenario) -> None:
    youths = (dataclasses.replace(example.youths[0], location="L-NOWHERE"), *example.youths[1:])
    broken = dataclasses.replace(example, youths=youths)
    with pytest.raises(storage.NotFoundError, match="L-NOWHERE"):
        storage.import_scenario(engine, broken)
    assert sum(_table_counts(engine).values()) == 0


def test_import_without_replace_refuses_a_taken_name(engine: Engine, example: Scenario) -> None:
    storage.import_scenario(engine, example)
    with pytest.raises(storage.RoundExistsError):
        storage.import_scenario(engine, example, replace=False)
    assert len(storage.list_rounds(engine)) == 1


def test_import_with_replace_replaces_the_round_and_its_plans(
    engine: Engine, example: Scenario, example_plan: Plan
) -> None:
    old_id = storage.import_scenario(engine, example)
    storage.save_plan(engine, old_id, example_plan)
    changed = dataclasses.replace(example, requests=example.requests[:2])
    new_id = storage.import_scenario(engine, changed, replace=True)
    assert new_id != old_id
    assert storage.find_round(engine, example.name) == new_id
    assert storage.export_scenario(engine, new_id) == changed
    assert storage.list_plans(engine, new_id) == []
    with pytest.raises(storage.NotFoundError):
        storage.export_scenario(engine, old_id)


# Rounds ------------------------------------------------------------------------------------


def test_list_rounds_counts_what_was_imported(
    engine: Engine, example: Scenario, rich: Scenario, example_plan: Plan
) -> None:
    first = storage.import_scenario(engine, example)
    second = storage.import_scenario(engine, rich)
    storage.save_plan(engine, first, example_plan)
    infos = {info.id: info for info in storage.list_rounds(engine)}
    assert set(infos) == {first, second}
    for rid, s, plans in ((first, example, 1), (second, rich, 0)):
        info = infos[rid]
        assert (info.name, info.week) == (s.name, s.week)
        assert (info.first_day, info.last_day) == (min(s.days), max(s.days))
        assert info.days == len(s.days)
        assert info.providers == len(s.providers)
        assert info.consultants == len(s.consultants)
        assert info.locations == len(s.locations)
        assert info.youths == len(s.youths)
        assert info.requests == len(s.requests)
        assert info.plans == plans
        assert info.created_at.tzinfo is not None


def test_find_round(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    assert storage.find_round(engine, example.name) == round_id
    assert storage.find_round(engine, example.name + " (kopie)") is None


def test_delete_round_removes_every_row(
    engine: Engine, example: Scenario, rich: Scenario, rich_plan: Plan
) -> None:
    keep = storage.import_scenario(engine, example)
    keep_counts = _table_counts(engine)
    gone = storage.import_scenario(engine, rich)
    storage.save_plan(engine, gone, rich_plan)
    assert storage.delete_round(engine, gone) is True
    assert storage.delete_round(engine, gone) is False
    assert _table_counts(engine) == keep_counts
    assert storage.export_scenario(engine, keep) == example


def test_round_ids_are_not_reused(engine: Engine, example: Scenario) -> None:
    first = storage.import_scenario(engine, example)
    storage.delete_round(engine, first)
    assert storage.import_scenario(engine, example) != first


# Plans -------------------------------------------------------------------------------------


def test_plan_round_trips(engine: Engine, example: Scenario, example_plan: Plan) -> None:
    round_id = storage.import_scenario(engine, example)
    plan_id = storage.save_plan(engine, round_id, example_plan, label="eerste")
    assert storage.load_plan(engine, plan_id) == example_plan


def test_rich_plan_round_trips(engine: Engine, example: Scenario, rich_plan: Plan) -> None:
    round_id = storage.import_scenario(engine, example)
    plan_id = storage.save_plan(engine, round_id, rich_plan)
    back = storage.load_plan(engine, plan_id)
    assert back == rich_plan
    assert isinstance(back.kpis["utilisation"], float)
    assert isinstance(back.kpis["assigned"], int)


def test_saved_plan_is_a_snapshot(engine: Engine, example: Scenario, example_plan: Plan) -> None:
    round_id = storage.import_scenario(engine, example)
    plan_id = storage.save_plan(engine, round_id, example_plan)
    assert storage.delete_request(engine, round_id, example_plan.visits[0].request)
    assert storage.load_plan(engine, plan_id) == example_plan


def test_list_plans_and_latest(
    engine: Engine, example: Scenario, example_plan: Plan, rich_plan: Plan
) -> None:
    round_id = storage.import_scenario(engine, example)
    assert storage.latest_plan(engine, round_id) is None
    first = storage.save_plan(engine, round_id, example_plan, label="a")
    second = storage.save_plan(engine, round_id, rich_plan, label="b")
    infos = storage.list_plans(engine, round_id)
    assert [i.id for i in infos] == [second, first]
    assert [i.label for i in infos] == ["b", "a"]
    newest = infos[0]
    assert newest.visits == len(rich_plan.visits)
    assert newest.unassigned == len(rich_plan.unassigned)
    assert (newest.status, newest.objective, newest.bound) == (
        rich_plan.solver.status,
        rich_plan.solver.objective,
        rich_plan.solver.bound,
    )
    assert newest.kpis == rich_plan.kpis
    assert storage.latest_plan(engine, round_id) == rich_plan


def test_load_plan_unknown_id(engine: Engine) -> None:
    with pytest.raises(storage.NotFoundError):
        storage.load_plan(engine, 4242)


def test_save_plan_needs_the_round(engine: Engine, example_plan: Plan) -> None:
    with pytest.raises(storage.NotFoundError):
        storage.save_plan(engine, 4242, example_plan)
    assert sum(_table_counts(engine).values()) == 0


# Provider scoping --------------------------------------------------------------------------


def test_consultant_rows_carry_their_consultants_provider(
    engine: Engine, rich: Scenario, rich_plan: Plan
) -> None:
    round_id = storage.import_scenario(engine, rich)
    storage.save_plan(engine, round_id, rich_plan)
    # Move a consultant to another provider: every copy of provider_id must follow.
    moved = dataclasses.replace(rich.consultant("C-FIER-1"), provider="xonar")
    storage.update_consultant(engine, round_id, moved)
    with session_scope(engine) as session:
        provider_of = {c.id: c.provider_id for c in session.exec(select(ConsultantRow)).scalars()}
        checked = 0
        for model in (
            ConsultantSkill,
            ConsultantWindow,
            ConsultantUnavailability,
            PinConsultant,
            PlanVisitConsultant,
        ):
            for row in session.exec(select(model)).scalars():
                if row.consultant_id is None:
                    assert row.provider_id is None
                    continue
                assert row.provider_id == provider_of[row.consultant_id], model.__name__
                checked += 1
        unknown = session.exec(
            select(PlanVisitConsultant).where(PlanVisitConsultant.consultant_key == "C-EX-9")
        ).scalars()
        assert [(u.consultant_id, u.provider_id) for u in unknown] == [(None, None)]
    assert checked > 10


# Fine-grained edits ------------------------------------------------------------------------


def _replace_in(items: tuple[Any, ...], new: Any) -> tuple[Any, ...]:
    return tuple(new if x.id == new.id else x for x in items)


def test_replace_consultant_availability(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    windows = [Window(600, 900, weekday="fri"), Window(480, 720, date=dt.date(2026, 11, 23))]
    off = [Unavailability(dt.date(2026, 11, 27), 700, 760)]
    storage.replace_consultant_availability(engine, round_id, "C-XON-2", windows, off)
    changed = dataclasses.replace(
        example.consultant("C-XON-2"), availability=tuple(windows), unavailable=tuple(off)
    )
    expected = dataclasses.replace(example, consultants=_replace_in(example.consultants, changed))
    assert storage.export_scenario(engine, round_id) == expected


def test_replace_availability_of_unknown_consultant(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    with pytest.raises(storage.NotFoundError, match="C-NOBODY"):
        storage.replace_consultant_availability(engine, round_id, "C-NOBODY", [], [])
    assert storage.export_scenario(engine, round_id) == example


def test_update_consultant(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    new = dataclasses.replace(
        example.consultant("C-FIER-1"),
        provider="xonar",
        name="A. Jansen-Smit",
        email="a.smit@xonar.example",
        base=Point(50.9, 5.8),
        skills=frozenset({"emdr", "lvb"}),
        max_visits_per_day=None,
        max_visits_per_week=3,
        availability=(Window(540, 600, weekday="mon"),),
        unavailable=(Unavailability(dt.date(2026, 11, 23)),),
    )
    storage.update_consultant(engine, round_id, new)
    expected = dataclasses.replace(example, consultants=_replace_in(example.consultants, new))
    assert storage.export_scenario(engine, round_id) == expected


def test_update_consultant_refuses_unknowns(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    stranger = dataclasses.replace(example.consultants[0], id="C-NEW")
    with pytest.raises(storage.NotFoundError, match="C-NEW"):
        storage.update_consultant(engine, round_id, stranger)
    bad_provider = dataclasses.replace(example.consultants[0], provider="sjsj", name="X")
    with pytest.raises(storage.NotFoundError, match="sjsj"):
        storage.update_consultant(engine, round_id, bad_provider)
    assert storage.export_scenario(engine, round_id) == example


def test_upsert_request_updates_and_appends(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    changed = dataclasses.replace(
        example.request("R-6"),
        roles=(frozenset({"lvb"}), frozenset({"vrouw"})),
        pinned=None,
        duration_minutes=30,
        latest=dt.date(2026, 11, 25),
    )
    added = Request(
        id="R-7",
        youth="Y-2026-019",
        roles=(frozenset({"emdr"}),),
        duration_minutes=45,
        earliest=dt.date(2026, 11, 24),
        latest=dt.date(2026, 11, 26),
        time_of_day=TimeOfDay(600, 840),
        pinned=Pin(("C-FIER-1",), None, None),
    )
    storage.upsert_request(engine, round_id, changed)
    storage.upsert_request(engine, round_id, added)
    expected = dataclasses.replace(
        example, requests=(*_replace_in(example.requests, changed), added)
    )
    assert storage.export_scenario(engine, round_id) == expected


def test_upsert_request_refuses_dangling_references(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    orphan = dataclasses.replace(example.request("R-1"), youth="Y-0000-000")
    with pytest.raises(storage.NotFoundError, match="Y-0000-000"):
        storage.upsert_request(engine, round_id, orphan)
    bad_pin = dataclasses.replace(example.request("R-1"), pinned=Pin(("C-GHOST",)))
    with pytest.raises(storage.NotFoundError, match="C-GHOST"):
        storage.upsert_request(engine, round_id, bad_pin)
    assert storage.export_scenario(engine, round_id) == example


def test_delete_request(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    assert storage.delete_request(engine, round_id, "R-6") is True
    assert storage.delete_request(engine, round_id, "R-6") is False
    expected = dataclasses.replace(
        example, requests=tuple(r for r in example.requests if r.id != "R-6")
    )
    assert storage.export_scenario(engine, round_id) == expected


def test_upsert_youth(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    changed = dataclasses.replace(
        example.youth("Y-2026-021"),
        location="L-GH-VENLO",
        urgency="high",
        previous_consultant="C-FIER-1",
        excluded_consultants=frozenset({"C-XON-2"}),
    )
    added = Youth("Y-2026-030", "L-PZ-SITTARD", "Beek", dt.date(2026, 11, 21))
    storage.upsert_youth(engine, round_id, changed)
    storage.upsert_youth(engine, round_id, added)
    expected = dataclasses.replace(example, youths=(*_replace_in(example.youths, changed), added))
    assert storage.export_scenario(engine, round_id) == expected


def test_upsert_youth_refuses_dangling_references(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    nowhere = dataclasses.replace(example.youths[0], location="L-NOWHERE")
    with pytest.raises(storage.NotFoundError, match="L-NOWHERE"):
        storage.upsert_youth(engine, round_id, nowhere)
    excluded = dataclasses.replace(example.youths[0], excluded_consultants=frozenset({"C-X"}))
    with pytest.raises(storage.NotFoundError, match="C-X"):
        storage.upsert_youth(engine, round_id, excluded)
    assert storage.export_scenario(engine, round_id) == example


def test_upsert_location(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    changed = dataclasses.replace(
        example.location("L-JZP-CADIER"),
        open=None,
        address="Kasteelweg 3",
        contact=Contact("mentor M-2", "m2@kasteel.example"),
    )
    added = Location(
        "L-SCHOOL-HEERLEN",
        "School Heerlen",
        "school",
        "Heerlen",
        50.88,
        5.98,
        open=(Window(510, 900, weekday="mon"), Window(510, 720, date=dt.date(2026, 11, 25))),
    )
    storage.upsert_location(engine, round_id, changed)
    storage.upsert_location(engine, round_id, added)
    expected = dataclasses.replace(
        example, locations=(*_replace_in(example.locations, changed), added)
    )
    assert storage.export_scenario(engine, round_id) == expected


def test_set_pin(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    pin = Pin(("C-XON-2", "C-FIER-1"), dt.date(2026, 11, 23), 10 * 60)
    storage.set_pin(engine, round_id, "R-5", pin)
    storage.set_pin(engine, round_id, "R-6", None)
    expected = dataclasses.replace(
        example,
        requests=_replace_in(
            _replace_in(example.requests, dataclasses.replace(example.request("R-5"), pinned=pin)),
            dataclasses.replace(example.request("R-6"), pinned=None),
        ),
    )
    assert storage.export_scenario(engine, round_id) == expected


def test_set_pin_refuses_unknowns(engine: Engine, example: Scenario) -> None:
    round_id = storage.import_scenario(engine, example)
    with pytest.raises(storage.NotFoundError, match="C-GHOST"):
        storage.set_pin(engine, round_id, "R-6", Pin(("C-GHOST",)))
    with pytest.raises(storage.NotFoundError, match="R-99"):
        storage.set_pin(engine, round_id, "R-99", None)
    assert storage.export_scenario(engine, round_id) == example


def test_edits_need_the_round(engine: Engine, example: Scenario) -> None:
    with pytest.raises(storage.NotFoundError):
        storage.upsert_location(engine, 4242, example.locations[0])
    with pytest.raises(storage.NotFoundError):
        storage.update_consultant(engine, 4242, example.consultants[0])


# Performance -------------------------------------------------------------------------------


def _count_statements(engine: Engine) -> list[str]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return statements


def test_export_uses_a_fixed_number_of_queries(engine: Engine, example: Scenario) -> None:
    small = storage.import_scenario(engine, example)
    big = storage.import_scenario(engine, _generated(120, 24))
    statements = _count_statements(engine)
    storage.export_scenario(engine, small)
    n_small = len(statements)
    statements.clear()
    storage.export_scenario(engine, big)
    assert len(statements) == n_small  # no query per row (N+1)
    assert n_small < 30


def test_busy_scenario_round_trips_beside_another_round() -> None:
    """Timings of this are measured in bench/micro.py, not asserted here."""
    scenario = _busy()
    assert len(scenario.requests) >= 300 and len(scenario.consultants) >= 60
    engine = get_engine("sqlite://")
    storage.import_scenario(engine, dataclasses.replace(scenario, name="warm-up"))
    round_id = storage.import_scenario(engine, scenario)
    assert storage.export_scenario(engine, round_id) == scenario


# Command-line functions --------------------------------------------------------------------


def test_import_command_refuses_a_bad_scenario(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    text_ = EXAMPLE.read_text(encoding="utf-8")
    bad.write_text(
        text_.replace("provider: fier", "provider: fierr").replace(
            "duration_minutes: 90", "duration_minutes: -5"
        ),
        encoding="utf-8",
    )
    assert import_export.import_command(bad, db_url) == 2
    err = capsys.readouterr().err
    assert "fierr" in err
    assert "duration_minutes" in err
    assert storage.list_rounds(get_engine(db_url)) == []


def test_import_then_export_command(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_export.import_command(EXAMPLE, db_url) == 0
    out = tmp_path / "out" / "export.yaml"
    out.parent.mkdir()
    assert import_export.export_command(out, "Voorbeeld week 48", db_url) == 0
    assert load_scenario(out) == load_scenario(EXAMPLE)
    assert not list(out.parent.glob("*.csv"))  # no overrides, no CSV


def test_export_command_writes_overrides_beside_the_output(
    db_url: str, tmp_path: Path, rich: Scenario
) -> None:
    source = tmp_path / "rijk.yaml"
    write_scenario(rich, source)
    assert import_export.import_command(source, db_url) == 0
    out = tmp_path / "back.json"
    round_id = storage.find_round(get_engine(db_url), rich.name)
    assert import_export.export_command(out, str(round_id), db_url) == 0
    csv_file = tmp_path / "back.travel.csv"
    assert csv_file.exists()
    assert "back.travel.csv" in out.read_text(encoding="utf-8")
    back = load_scenario(out)
    assert back == rich
    assert back.travel.overrides == rich.travel.overrides


def test_export_command_defaults_to_newest_round(
    db_url: str, tmp_path: Path, rich: Scenario
) -> None:
    source = tmp_path / "rijk.yaml"
    write_scenario(rich, source)
    assert import_export.import_command(EXAMPLE, db_url) == 0
    assert import_export.import_command(source, db_url) == 0
    out = tmp_path / "newest.yaml"
    assert import_export.export_command(out, None, db_url) == 0
    assert load_scenario(out).name == rich.name


def test_export_command_unknown_round(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_export.export_command(tmp_path / "x.yaml", "Week 99", db_url) == 2
    assert "Week 99" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


def test_replanning_fields_and_rates_round_trip(engine: Engine, example: Scenario) -> None:
    replan = dataclasses.replace(
        example,
        providers=tuple(
            dataclasses.replace(p, hourly_rate=92.5 + i, km_rate=0.31)
            for i, p in enumerate(example.providers)
        ),
        weights=dataclasses.replace(example.weights, change=450),
        now=dt.datetime(2026, 11, 24, 12, 30),
        published=(
            PublishedVisit("R-2", dt.date(2026, 11, 23), 541, ("C-XON-2",)),
            PublishedVisit("R-5", dt.date(2026, 11, 24), 803, ("C-FIER-1", "C-GONE")),
        ),
    )
    round_id = storage.import_scenario(engine, replan)
    back = storage.export_scenario(engine, round_id)
    assert back == replan
    assert back.published == replan.published and back.now == replan.now
    assert back.weights.change == 450 and back.providers[1].hourly_rate == 93.5


def test_values_the_database_cannot_hold_are_refused_by_validation(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "huge.yaml"
    text_ = EXAMPLE.read_text(encoding="utf-8")
    bad.write_text(
        text_.replace("max_visits_per_day: 3", "max_visits_per_day: 100000000000000000000"),
        encoding="utf-8",
    )
    assert import_export.import_command(bad, db_url) == 2
    err = capsys.readouterr().err
    assert "consultants[0].max_visits_per_day" in err and "too large" in err
    assert "Traceback" not in err
    assert storage.list_rounds(get_engine(db_url)) == []


def test_a_database_error_is_one_line_and_exit_2(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kw: object) -> int:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(import_export, "import_scenario", fail)
    assert import_export.import_command(EXAMPLE, db_url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "OverflowError: Python int too large" in err


def test_database_error_line_leaves_out_the_statement_and_its_parameters() -> None:
    from sqlalchemy.exc import DataError

    exc = DataError(
        "INSERT INTO location (address) VALUES (?)",
        ("Nieuwstraat 74",),
        ValueError("integer out of range\nDETAIL: more"),
    )
    assert import_export.database_error_line(exc) == "ValueError: integer out of range"
