"""Tests of matcher.policy.cost_rounds: which rounds and plans are priced, periods across rounds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.policy.cost_rounds import RoundNotFound, cost_report, select_rounds, sent_plan_id
from matcher.policy.costs import plan_costs
from matcher.scenario.domain import Plan, Scenario
from matcher.scenario.loader import load_scenario
from matcher.storage.engine import get_engine
from matcher.storage.round_state import ensure_app_tables, mark_exported

RATES = {"fier": (95.0, 0.23), "xonar": (87.5, 0.21)}


def rated(scenario: Scenario) -> Scenario:
    providers = tuple(
        dataclasses.replace(p, hourly_rate=RATES[p.id][0], km_rate=RATES[p.id][1])
        for p in scenario.providers
    )
    return dataclasses.replace(scenario, providers=providers)


def week_49(example_path: Path, tmp_path: Path) -> Scenario:
    """The example one week later (every date moved 7 days), as another round."""
    text = example_path.read_text(encoding="utf-8")
    for old, new in (
        ("2026-W48", "2026-W49"),
        ("2026-11-26", "2026-12-03"),
        ("2026-11-25", "2026-12-02"),
        ("2026-11-24", "2026-12-01"),
        ("Voorbeeld week 48", "Voorbeeld week 49"),
    ):
        text = text.replace(old, new)
    path = tmp_path / "week49.yaml"
    path.write_text(text, encoding="utf-8")
    return rated(load_scenario(path))


def shifted(plan: Plan, days: int) -> Plan:
    visits = tuple(
        dataclasses.replace(v, date=v.date + dt.timedelta(days=days)) for v in plan.visits
    )
    return dataclasses.replace(plan, visits=visits)


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = get_engine("sqlite://")
    yield eng
    eng.dispose()


@pytest.fixture
def two_weeks(
    engine: Engine, example_path: Path, example: Scenario, example_plan: Plan, tmp_path: Path
) -> tuple[int, int]:
    """Week 48 with two plans (the newest lacks R-6) and week 49 with the plan moved."""
    r48 = storage.import_scenario(engine, rated(example))
    storage.save_plan(engine, r48, example_plan, label="solver")
    fewer = dataclasses.replace(
        example_plan, visits=tuple(v for v in example_plan.visits if v.request != "R-6")
    )
    storage.save_plan(engine, r48, fewer, label="handmatig")
    r49 = storage.import_scenario(engine, week_49(example_path, tmp_path))
    storage.save_plan(engine, r49, shifted(example_plan, 7))
    return r48, r49


def test_the_newest_plan_is_priced_unless_one_is_marked_sent(
    engine: Engine, two_weeks: tuple[int, int], example: Scenario, example_plan: Plan
) -> None:
    r48, _ = two_weeks
    newest = cost_report(engine, round_name_or_id=r48)
    assert [v.request for v in newest.visits if v.request == "R-6"] == []
    assert newest.rounds[0].sent is False
    assert sent_plan_id(engine, r48) is None  # the app's table does not even exist yet
    ensure_app_tables(engine)
    first = storage.list_plans(engine, r48)[-1].id
    mark_exported(engine, r48, first)
    sent = cost_report(engine, round_name_or_id="Voorbeeld week 48")
    assert sent.rounds[0].plan_id == first and sent.rounds[0].sent
    assert sent.total_cents == plan_costs(rated(example), example_plan).total_cents
    assert "R-6" in {v.request for v in sent.visits}


def test_periods_across_rounds_add_up_to_both_plans(
    engine: Engine,
    two_weeks: tuple[int, int],
    example_path: Path,
    example: Scenario,
    example_plan: Plan,
    tmp_path: Path,
) -> None:
    report = cost_report(engine)
    assert [r.round.name for r in report.rounds] == ["Voorbeeld week 48", "Voorbeeld week 49"]
    fewer = dataclasses.replace(
        example_plan, visits=tuple(v for v in example_plan.visits if v.request != "R-6")
    )
    w48 = plan_costs(rated(example), fewer).total_cents
    w49 = plan_costs(week_49(example_path, tmp_path), shifted(example_plan, 7)).total_cents
    assert report.total_cents == w48 + w49
    weeks = report.by_period("week")
    assert {p for p, _ in weeks} == {"2026-W48", "2026-W49"}
    assert sum(t.total_cents for (p, _), t in weeks.items() if p == "2026-W48") == w48
    months = report.by_period("month")
    # week 49 runs from Monday 30 November: its Monday visits fall in November
    assert {p for p, _ in months} == {"2026-11", "2026-12"}
    nov_49 = sum(v.total_cents for v in report.visits if v.date == dt.date(2026, 11, 30))
    assert sum(t.total_cents for (p, _), t in months.items() if p == "2026-11") == w48 + nov_49
    for by in ("quarter", "year"):
        (key,) = {p for p, _ in report.by_period(by)}
        assert key in ("2026-Q4", "2026")
    assert sum(t.total_cents for t in report.by_gemeente().values()) == report.total_cents
    assert report.warnings == ()


def test_a_date_range_takes_the_rounds_and_visits_inside_it(
    engine: Engine, two_weeks: tuple[int, int]
) -> None:
    everything = cost_report(engine)
    december = cost_report(engine, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
    assert [r.round.name for r in december.rounds] == ["Voorbeeld week 49"]
    assert all(v.date.month == 12 for v in december.visits)
    expected = sum(v.total_cents for v in everything.visits if v.date.month == 12)
    assert december.total_cents == expected > 0
    assert cost_report(engine, end=dt.date(2026, 11, 1)).rounds == ()


def test_a_gemeente_sees_only_its_own_youths(engine: Engine, two_weeks: tuple[int, int]) -> None:
    everything = cost_report(engine)
    leudal = cost_report(engine, gemeente=" leudal ")
    assert {v.gemeente for v in leudal.visits} == {"Leudal"}
    assert leudal.total_cents == everything.by_gemeente()["Leudal"].total_cents
    assert "Venlo" in leudal.gemeenten  # the gemeenten the rounds know, for a picker


def test_overlapping_rounds_and_unpriceable_plans_are_reported(
    engine: Engine, two_weeks: tuple[int, int], example: Scenario, example_plan: Plan
) -> None:
    copy = storage.import_scenario(engine, dataclasses.replace(example, name="Kopie week 48"))
    storage.save_plan(engine, copy, example_plan)
    report = cost_report(engine)
    assert any("both plan 2026-11-23" in w for w in report.warnings)
    assert report.missing_rates[0].provider == "fier"  # the copy has no rates
    storage.delete_request(engine, copy, "R-3")
    broken = cost_report(engine, round_name_or_id="Kopie week 48")
    assert broken.unpriced and "R-3" in (broken.unpriced[0].error or "")
    assert broken.visits == ()


def test_select_rounds_errors(engine: Engine, two_weeks: tuple[int, int]) -> None:
    rounds = storage.list_rounds(engine)
    with pytest.raises(RoundNotFound, match="'nope'"):
        select_rounds(rounds, "nope")
    with pytest.raises(ValueError, match="after"):
        select_rounds(rounds, start=dt.date(2026, 12, 2), end=dt.date(2026, 12, 1))
    r48, _ = two_weeks
    assert [r.id for r in select_rounds(rounds, str(r48))] == [r48]
