"""Tests of matcher.app.edit_conflicts and of saving table edits made on an outdated snapshot."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app.edit_conflicts import (
    conflict_lines,
    invalid_lines,
    merge_edit,
    resolve_conflict,
)
from matcher.scenario.domain import Pin, Scenario
from matcher.scenario.edit import (
    EditResult,
    apply_availability,
    apply_locations,
    apply_requests,
    consultants_frame,
    locations_frame,
    mark_unavailable,
    requests_frame,
    save_edit,
    save_pins,
    windows_frame,
)
from matcher.storage import Conflict, InvalidEditError, StaleEditError, load_round
from matcher.storage.engine import get_engine

XON2 = "C-XON-2"
MON, TUE = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return get_engine(f"sqlite:///{tmp_path / 'conflicts.db'}")


@pytest.fixture
def rid(engine: Engine, example: Scenario) -> int:
    return storage.import_scenario(engine, example)


def cap(s: Scenario, per_week: int) -> EditResult:
    frame = consultants_frame(s, [s.consultant(XON2)])
    frame.loc[0, "Max per week"] = per_week
    result = apply_availability(s, [XON2], consultants=frame)
    assert result.ok, result.problems
    return result


def add_window(s: Scenario, day: str, start: str, end: str) -> EditResult:
    frame = windows_frame([s.consultant(XON2)])
    frame.loc[len(frame)] = [XON2, day, start, end]
    result = apply_availability(s, [XON2], windows=frame)
    assert result.ok, result.problems
    return result


def stale(engine: Engine, rid: int, result: EditResult, versions: storage.Versions) -> Exception:
    with pytest.raises(StaleEditError) as caught:
        save_edit(engine, rid, result, versions)
    return caught.value


def test_absence_then_cap_change_from_one_snapshot_is_refused_then_merged(
    engine: Engine, rid: int
) -> None:
    """The issue's case: A saves an absence, B a cap change on the same snapshot."""
    snap = load_round(engine, rid)
    absence = mark_unavailable(snap.scenario, XON2, [TUE])
    assert save_edit(engine, rid, absence, snap.versions) == 1

    capped = cap(snap.scenario, 2)
    error = stale(engine, rid, capped, snap.versions)
    assert isinstance(error, StaleEditError)
    report = resolve_conflict(capped, error)
    assert report.message.startswith(
        "Iemand anders heeft consultant C-XON-2 intussen gewijzigd: afwezigheid."
    )
    assert "Je wijziging is niet opgeslagen." in report.message
    assert "samenvoegen" in report.message
    stored = storage.export_scenario(engine, rid).consultant(XON2)
    assert stored.max_visits_per_week is None  # refused: nothing written

    assert report.merged is not None and report.versions is not None
    save_edit(engine, rid, report.merged, report.versions)
    stored = storage.export_scenario(engine, rid).consultant(XON2)
    assert stored.max_visits_per_week == 2  # B's change
    assert any(u.date == TUE for u in stored.unavailable)  # A's absence is kept


def test_two_absences_added_at_once_both_stay_after_the_merge(engine: Engine, rid: int) -> None:
    snap = load_round(engine, rid)
    save_edit(engine, rid, mark_unavailable(snap.scenario, XON2, [MON], 9 * 60, 10 * 60))
    second = mark_unavailable(snap.scenario, XON2, [MON], 14 * 60, 15 * 60)
    error = stale(engine, rid, second, snap.versions)
    assert isinstance(error, StaleEditError)
    report = resolve_conflict(second, error)
    assert report.merged is not None and report.versions is not None
    save_edit(engine, rid, report.merged, report.versions)
    starts = {u.start for u in storage.export_scenario(engine, rid).consultant(XON2).unavailable}
    assert {9 * 60, 14 * 60} <= starts


def test_the_same_field_changed_twice_is_not_merged(engine: Engine, rid: int) -> None:
    snap = load_round(engine, rid)
    save_edit(engine, rid, cap(snap.scenario, 3), snap.versions)
    mine = cap(snap.scenario, 5)
    error = stale(engine, rid, mine, snap.versions)
    assert isinstance(error, StaleEditError)
    report = resolve_conflict(mine, error)
    assert report.merged is None
    assert "C-XON-2: max per week door jullie allebei gewijzigd" in report.message
    assert report.message.endswith("Herlaad de pagina en probeer het opnieuw.")
    assert storage.export_scenario(engine, rid).consultant(XON2).max_visits_per_week == 3


def test_a_merge_that_makes_the_round_invalid_is_not_offered(engine: Engine, rid: int) -> None:
    snap = load_round(engine, rid)
    save_edit(engine, rid, add_window(snap.scenario, "elke dinsdag", "09:00", "12:00"))
    mine = add_window(snap.scenario, "elke dinsdag", "11:00", "14:00")  # overlaps theirs
    error = stale(engine, rid, mine, snap.versions)
    assert isinstance(error, StaleEditError)
    merge = merge_edit(mine, error.current.scenario)  # type: ignore[union-attr]
    assert not merge.ok and merge.result is not None and merge.result.problems
    report = resolve_conflict(mine, error)
    assert report.merged is None
    assert "samen met de nieuwe gegevens is de week niet geldig" in report.message


def test_editing_a_request_deleted_meanwhile(engine: Engine, rid: int) -> None:
    snap = load_round(engine, rid)
    frame = requests_frame(snap.scenario)
    deleted = apply_requests(snap.scenario, frame[frame["Id"] != "R-3"].reset_index(drop=True))
    save_edit(engine, rid, deleted, snap.versions)
    frame.loc[frame["Id"] == "R-3", "Duur (min)"] = 75
    longer = apply_requests(snap.scenario, frame)
    error = stale(engine, rid, longer, snap.versions)
    assert isinstance(error, StaleEditError)
    report = resolve_conflict(longer, error)
    assert "Iemand anders heeft aanvraag R-3 intussen verwijderd." in report.message
    assert "aanvraag R-3 is intussen verwijderd" in report.message
    assert report.merged is None


def test_messages_name_fields_but_never_an_address(engine: Engine, rid: int) -> None:
    snap = load_round(engine, rid)
    secret = "Geheimstraat 12, Venlo"
    frame = locations_frame(snap.scenario)
    frame.loc[frame["Id"] == "L-GH-VENLO", "Adres"] = secret
    save_edit(engine, rid, apply_locations(snap.scenario, frame), snap.versions)
    frame = locations_frame(snap.scenario)
    frame.loc[frame["Id"] == "L-GH-VENLO", "Naam"] = "De Linde (nieuw)"
    renamed = apply_locations(snap.scenario, frame)
    error = stale(engine, rid, renamed, snap.versions)
    assert isinstance(error, StaleEditError)
    report = resolve_conflict(renamed, error)
    assert "locatie L-GH-VENLO intussen gewijzigd: adres." in report.message
    assert secret not in report.message and secret not in str(error)
    assert report.merged is not None  # name and address merge
    save_edit(engine, rid, report.merged, report.versions)
    stored = storage.export_scenario(engine, rid).location("L-GH-VENLO")
    assert (stored.name, stored.address) == ("De Linde (nieuw)", secret)


def test_a_pin_and_a_window_removal_each_valid_are_refused_together(
    engine: Engine, rid: int
) -> None:
    snap = load_round(engine, rid)
    save_pins(engine, rid, {"R-2": Pin((XON2,), MON, 10 * 60)}, snap.versions)
    frame = windows_frame([snap.scenario.consultant(XON2)])
    no_monday = apply_availability(
        snap.scenario, [XON2], windows=frame[frame["Dag"] != "elke maandag"]
    )
    assert no_monday.ok  # valid on the snapshot, which has no pin on Monday
    with pytest.raises(InvalidEditError) as caught:
        save_edit(engine, rid, no_monday, snap.versions)
    lines = invalid_lines(caught.value)
    assert any(
        line.startswith("aanvraag R-2.pinned") and "C-XON-2 is die dag niet beschikbaar" in line
        for line in lines
    ), lines
    stored = storage.export_scenario(engine, rid)
    assert storage.check_round(stored) == ()
    assert stored.request("R-2").pinned is not None


def test_plan_and_add_conflict_lines() -> None:
    lines = conflict_lines(
        [Conflict("plan", "", 7, 8), Conflict("request", "R-9", 0, 1)], None, None
    )
    assert lines == [
        "Er is intussen een nieuwere planning opgeslagen (#8); je wijziging was gemaakt op "
        "planning #7.",
        "Iemand anders heeft aanvraag R-9 intussen toegevoegd.",
    ]


def test_merge_without_base_is_refused(example: Scenario) -> None:
    result = dataclasses.replace(cap(example, 2), base=None)
    assert merge_edit(result, example).result is None
