"""Retention: purge cases closed longer ago than the retention period (and audit it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from matcher import storage
from matcher.cli.main import main
from matcher.scenario.domain import Plan, Scenario
from matcher.security import audit
from matcher.security.principal import SYSTEM, Principal
from matcher.security.retention import RetentionError, case_closed_on, earliest_cutoff, purge
from matcher.storage.engine import get_engine


def later_week(example: Scenario, keep: str) -> Scenario:
    """The same week two years later, holding only youth ``keep`` (still in care)."""
    youths = tuple(y for y in example.youths if y.id == keep)
    requests = tuple(r for r in example.requests if r.youth == keep)
    return dataclasses.replace(
        example,
        name="Later",
        days=tuple(d.replace(year=d.year + 2) for d in example.days),
        youths=youths,
        requests=requests,
    )


def test_earliest_cutoff_is_today_minus_the_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSULTPLANNER_RETENTION_MONTHS", raising=False)
    assert earliest_cutoff(dt.date(2026, 12, 1)) == dt.date(2024, 12, 1)
    assert earliest_cutoff(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    monkeypatch.setenv("CONSULTPLANNER_RETENTION_MONTHS", "12")
    assert earliest_cutoff(dt.date(2026, 12, 1)) == dt.date(2025, 12, 1)
    monkeypatch.setenv("CONSULTPLANNER_RETENTION_MONTHS", "x")
    with pytest.raises(RetentionError, match="whole number"):
        earliest_cutoff(dt.date(2026, 12, 1))


def test_purge_removes_closed_cases_keeps_active_ones_and_is_audited(
    example: Scenario, example_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONSULTPLANNER_RETENTION_MONTHS", raising=False)
    engine = get_engine("sqlite://")
    old = storage.import_scenario(engine, example)
    storage.save_plan(engine, old, example_plan)
    new = storage.import_scenario(engine, later_week(example, "Y-2026-011"))
    closed = case_closed_on(engine)
    assert closed["Y-2026-011"] == example.days[-1].replace(year=2028)
    assert closed["Y-2026-014"] == example.days[-1]
    today = dt.date(2030, 6, 1)  # cut-off 2028-06-01: the 2026 cases only
    with pytest.raises(RetentionError, match="within the retention period"):
        purge(engine, dt.date(2029, 1, 1), SYSTEM, today=today)
    with pytest.raises(RetentionError, match="only the ketenregisseur"):
        purge(engine, None, Principal("p", "privacy"), today=today)
    dry = purge(engine, None, SYSTEM, today=today, dry_run=True)
    assert len(storage.export_scenario(engine, old).youths) == 5  # nothing removed
    report = purge(engine, None, SYSTEM, today=today)
    assert report == dry
    assert set(report.cases) == {y.id for y in example.youths} - {"Y-2026-011"}
    assert report.rounds_changed == (example.name,) and report.rounds_deleted == ()
    kept = storage.export_scenario(engine, old)
    assert [y.id for y in kept.youths] == ["Y-2026-011"]
    assert {r.youth for r in kept.requests} == {"Y-2026-011"}
    plan = storage.latest_plan(engine, old)
    assert plan is not None and {v.youth for v in plan.visits} <= {"Y-2026-011"}
    assert not any(u.request in {"R-2", "R-3"} for u in plan.unassigned)
    assert [y.id for y in storage.export_scenario(engine, new).youths] == ["Y-2026-011"]
    rows = audit.entries(engine)
    assert rows[-1].action == "purge" and "Y-2026-014" in rows[-1].case_codes
    assert audit.verify(engine).ok
    # two years on, the last case is closed too: both weeks go
    final = purge(engine, None, SYSTEM, today=dt.date(2031, 1, 1))
    assert set(final.rounds_deleted) == {example.name, "Later"}
    assert storage.list_rounds(engine) == []


def test_purge_command(tmp_path: Path, example: Scenario, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = get_engine(url)
    storage.import_scenario(engine, example)
    engine.dispose()
    assert main(["purge", "--database-url", url, "--dry-run"]) == 0
    assert "would remove 0 case(s)" in capsys.readouterr().out
    assert main(["purge", "--database-url", url, "--closed-before", "2999-01-01"]) == 2
    assert "within the retention period" in capsys.readouterr().err
    assert main(["purge", "--database-url", url, "--closed-before", "gisteren"]) == 2


def old_example(example: Scenario) -> Scenario:
    """The example week six years earlier (same weekdays), all of its cases long closed."""
    import json

    from matcher.scenario.validate import validate_document
    from matcher.scenario.writer import scenario_to_dict

    text = json.dumps(scenario_to_dict(example), default=str).replace("2026-", "2020-")
    return validate_document(json.loads(text), "<old>")


def test_purge_command_asks_before_removing(
    tmp_path: Path,
    example: Scenario,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    monkeypatch.delenv("CONSULTPLANNER_RETENTION_MONTHS", raising=False)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = get_engine(url)
    rid = storage.import_scenario(engine, old_example(example))
    engine.dispose()
    n = len(example.youths)

    def youths() -> int:
        e = get_engine(url)
        try:
            return len(storage.export_scenario(e, rid).youths) if storage.list_rounds(e) else 0
        finally:
            e.dispose()

    # no terminal and no --yes: only the report, then a refusal
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["purge", "--database-url", url]) == 2
    captured = capsys.readouterr()
    assert f"would remove {n} case(s)" in captured.out and "--yes" in captured.err
    assert youths() == n

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("nee\n"))
    assert main(["purge", "--database-url", url]) == 1
    assert "nothing removed" in capsys.readouterr().out
    assert youths() == n
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    assert main(["purge", "--database-url", url]) == 0
    assert f"removed {n} case(s)" in capsys.readouterr().out
    assert youths() == 0


def test_purge_command_with_yes_does_not_ask(
    tmp_path: Path,
    example: Scenario,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    monkeypatch.delenv("CONSULTPLANNER_RETENTION_MONTHS", raising=False)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = get_engine(url)
    storage.import_scenario(engine, old_example(example))
    engine.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["purge", "--database-url", url, "--yes"]) == 0
    assert f"removed {len(example.youths)} case(s)" in capsys.readouterr().out
