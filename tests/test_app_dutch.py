"""AppTest tests of the Dutch wording and the confirmations of the planning app."""

from __future__ import annotations

import pytest

from matcher import storage
from matcher.app.locks import app_locked
from matcher.storage.engine import get_engine
from tests.test_app import db, open_app, open_tab, planned_db, round_id  # noqa: F401


def pinned(url: str) -> set[str]:
    engine = get_engine(url)
    try:
        s = storage.export_scenario(engine, round_id(url))
        return {r.id for r in s.requests if r.pinned is not None}
    finally:
        engine.dispose()


def test_unlock_all_asks_and_keeps_the_scenarios_fixed_appointments(db: str) -> None:  # noqa: F811
    fixed = pinned(db)
    assert len(fixed) == 3  # the demo week's own pinned appointments
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    at.button(key="lock-all").click()
    at.run()
    locked = pinned(db)
    assert fixed < locked
    engine = get_engine(db)
    try:
        assert app_locked(engine, round_id(db)) == locked - fixed
    finally:
        engine.dispose()

    at.button(key="unlock-all").click()
    at.run()
    assert pinned(db) == locked  # nothing removed before the confirmation
    text = " ".join(str(m.value) for m in at.markdown)
    assert f"**{len(locked - fixed)}**" in text
    assert any(sorted(fixed)[0] in str(c.value) for c in at.caption)
    at.button(key="unlock-all-no").click()
    at.run()
    assert pinned(db) == locked
    assert not [b for b in at.button if b.key == "unlock-all-yes"]

    at.button(key="unlock-all").click()
    at.run()
    at.button(key="unlock-all-yes").click()
    at.run()
    assert not at.exception
    assert pinned(db) == fixed  # the app's locks are gone, the scenario's pins stay
    assert any(f"{len(locked - fixed)} bezoek(en) ontgrendeld" in str(s.value) for s in at.success)

    at.button(key="unlock-all").click()
    at.run()
    at.checkbox(key="unlock-all-scenario").check()
    at.run()
    at.button(key="unlock-all-yes").click()
    at.run()
    assert pinned(db) == set()


def test_planning_controls_use_plain_words_and_dutch_numbers(db: str) -> None:  # noqa: F811
    at = open_app("planning")
    labels = {n.label: n for n in at.number_input}
    assert {"Processorkernen", "Variant (startgetal)"} <= set(labels)
    assert "Startwaarde" not in labels and "Rekenkernen" not in labels
    assert labels["Variant (startgetal)"].help
    assert labels["Processorkernen"].help
    travel = next(m for m in at.metric if m.label == "Reistijd")
    assert "," in str(travel.value) and "." not in str(travel.value)
    captions = " ".join(str(c.value) for c in at.caption)
    assert "doelfunctie" not in captions and "status feasible" not in captions
    sidebar = " ".join(str(c.value) for c in at.sidebar.caption)
    assert "Database: SQLite" in sidebar
    assert ".db" not in sidebar and "/" not in sidebar.split("Database:")[1]


def test_deleting_a_request_asks_first(db: str) -> None:  # noqa: F811
    at = open_app("aanvragen")
    key = next(d.key for d in at.data_editor if d.key and d.key.startswith("edit-requests-"))
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.exception
    [confirm] = [c for c in at.checkbox if c.key == "confirm-delete-requests"]
    assert "R-001" in str(confirm.label)
    assert at.button(key="save-requests").disabled
    confirm.check()
    at.run()
    assert not at.button(key="save-requests").disabled
    at.button(key="save-requests").click()
    at.run()
    assert not at.exception
    engine = get_engine(db)
    try:
        ids = {r.id for r in storage.export_scenario(engine, round_id(db)).requests}
    finally:
        engine.dispose()
    assert "R-001" not in ids


def test_sheet_with_dutch_dates_and_an_unknown_skill(db: str) -> None:  # noqa: F811
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Importeren")
    sheet = (
        b"Id;Jongere;Rollen;Duur (min);Vanaf;Tot en met\n"
        b"R-950;Y-2026-0522;emdr;60;01-12-2026;3-12-2026\n"
        b"R-951;Y-2026-0522;paardrijden;60;;\n"
    )
    uploader = at.file_uploader(key="upload-sheet")
    assert "dd-mm-jjjj" in str(uploader.help) and "hoog" in str(uploader.help)
    uploader.set_value(("nl.csv", sheet, "text/csv"))
    at.run()
    shown = " ".join(str(e.value) for e in at.error)
    assert "rij 3" in shown and "paardrijden" in shown and "emdr" in shown
    assert "rij 2" not in shown  # the Dutch dates are fine


def test_overview_figures_are_written_the_dutch_way(db: str) -> None:  # noqa: F811
    at = open_app("overzicht")
    shown = {m.label: str(m.value) for m in at.metric}
    for label in ("Reistijd", "Gem. wachttijd"):
        number = shown[label].split()[0]
        assert "," in number and "." not in number, shown[label]


def test_deleting_working_hours_asks_first(db: str) -> None:  # noqa: F811
    at = open_app("beschikbaarheid")
    open_tab(at, "avail-tab", "Tabellen")
    key = next(d.key for d in at.data_editor if d.key and d.key.startswith("avail-win-"))
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.exception
    [confirm] = [c for c in at.checkbox if c.key == "avail-confirm-delete"]
    assert "1 werktijd(en)" in str(confirm.label)
    assert at.button(key="avail-save").disabled
    confirm.check()
    at.run()
    assert not at.button(key="avail-save").disabled


def test_lock_all_saves_before_the_page_runs_and_shows_it_at_once(
    db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Alle bezoeken vergrendelen" is a callback: the one run after the click already shows
    the note and the locked count; a lock the validator refuses saves nothing and its
    problems show in the tab."""
    import app_pages.common

    fixed = pinned(db)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    runs: list[object] = []
    sidebar = app_pages.common.sidebar
    monkeypatch.setattr(app_pages.common, "sidebar", lambda p: runs.append(p) or sidebar(p))
    at.button(key="lock-all").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(runs) == 1, "the click should cost one run of the page, not a second rerun"
    locked = pinned(db)
    assert fixed < locked
    assert any(f"{len(locked - fixed)} bezoek(en) vergrendeld" in str(s.value) for s in at.success)
    shown = next(m for m in at.metric if m.label == "Vergrendeld")
    assert str(shown.value) == str(len(locked)), shown.value

    # unlock through the confirmation, then a refused lock-all saves nothing
    at.button(key="unlock-all").click()
    at.run()
    at.button(key="unlock-all-yes").click()
    at.run()
    assert pinned(db) == fixed
    monkeypatch.setattr(
        "matcher.app.manual_edit.locks_problems", lambda *a, **k: ("requests[0].pinned: bezet",)
    )
    at.run()  # the callback of the button is the one of the last run: take the patch
    at.button(key="lock-all").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert pinned(db) == fixed
    text = " ".join(str(e.value) for e in at.error)
    assert "Niet alle bezoeken kunnen worden vergrendeld" in text and "bezet" in text


def test_lock_unlock_unplan_and_a_hand_move_each_cost_one_run(
    db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A single lock, an unlock, unlock-all, taking a visit out and a hand move save in a
    callback: the one run after the click already shows the result and its note."""
    import app_pages.common

    engine = get_engine(db)
    rid = round_id(db)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    runs: list[object] = []
    sidebar = app_pages.common.sidebar
    monkeypatch.setattr(app_pages.common, "sidebar", lambda p: runs.append(p) or sidebar(p))

    def click(key: str) -> None:
        runs.clear()
        at.button(key=key).click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert len(runs) == 1, f"{key}: {len(runs)} runs of the page, not one"

    def locked_metric() -> str:
        return str(next(m for m in at.metric if m.label == "Vergrendeld").value)

    chosen = at.selectbox(key="edit-request").value
    before = pinned(db)
    click("lock")
    assert pinned(db) == before | {chosen}
    assert any(f"{chosen} is vergrendeld" in str(s.value) for s in at.success)
    assert locked_metric() == str(len(before | {chosen}))
    click("unlock")
    assert pinned(db) == before
    assert any(f"{chosen} is ontgrendeld" in str(s.value) for s in at.success)

    click("lock")
    at.button(key="unlock-all").click()
    at.run()
    click("unlock-all-yes")
    assert pinned(db) == before  # the scenario's own fixed appointments stay
    assert any("bezoek(en) ontgrendeld" in str(s.value) for s in at.success)

    click("unplan")
    plan = storage.latest_plan(engine, rid)
    assert plan is not None and chosen in {u.request for u in plan.unassigned}
    assert any("uit de planning gehaald" in str(s.value) for s in at.success)

    # plan it again by hand, with the consultants of the first plan
    first = storage.load_plan(engine, storage.list_plans(engine, rid)[-1].id)
    visit = next(v for v in first.visits if v.request == chosen)
    form = at.get("form")[0]
    form.multiselect[0].set_value(list(visit.consultants))
    form.selectbox[0].set_value(visit.date)
    runs.clear()
    form.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(runs) == 1, f"hand move: {len(runs)} runs of the page, not one"
    newest = storage.latest_plan(engine, rid)
    assert newest is not None and chosen in {v.request for v in newest.visits}
    assert storage.list_plans(engine, rid)[0].label == "handmatig"
    assert at.success, "the note of the hand move shows in the same run"
    engine.dispose()
