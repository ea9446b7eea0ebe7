"""AppTest tests of the Streamlit app: every page, both roles, and the main interactions.

Each test points ``DATABASE_URL`` at its own temporary SQLite file (never the default
``data/consultplanner.db``). A database with the demo week and one solved plan is built
once per module and copied for tests that change it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from matcher import storage
from matcher.checker import check_plan
from matcher.security import accounts
from matcher.solver.solve import SolveParams, solve
from matcher.storage.engine import get_engine
from matcher.storage.round_state import ensure_demo, exported_plan

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
PAGES = ("overzicht", "beschikbaarheid", "aanvragen", "planning", "export")
TITLES = {
    "overzicht": "Overzicht",
    "beschikbaarheid": "Beschikbaarheid",
    "aanvragen": "Aanvragen",
    "planning": "Planning",
    "export": "Export",
}


PASSWORD = "test-wachtwoord-123"
"""The password of every test account (argon2 with cheap parameters, see conftest)."""
ACCOUNTS: dict[str, dict[str, str]] = {
    "regisseur": {"role": "ketenregisseur"},
    "planner-fier": {"role": "planner", "provider": "fier"},
    "planner-xonar": {"role": "planner", "provider": "xonar"},
    "planner-sjsj": {"role": "planner", "provider": "sjsj"},
    "consultant-fier-01": {"role": "consultant", "provider": "fier", "consultant": "C-FIER-01"},
    "gemeente-venlo": {"role": "gemeente", "gemeente": "Venlo"},
    "privacy": {"role": "privacy"},
    "beheer": {"role": "admin"},
}
ROLE_ACCOUNT = {
    None: "regisseur",
    "ketenregisseur": "regisseur",
    "fier": "planner-fier",
    "xonar": "planner-xonar",
    "sjsj": "planner-sjsj",
}


def add_test_accounts(url: str) -> None:
    engine = get_engine(url)
    try:
        for name, spec in ACCOUNTS.items():
            accounts.create_account(engine, name, PASSWORD, display_name=name.title(), **spec)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def planned_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo week, one solved plan and an account per role."""
    path = tmp_path_factory.mktemp("app") / "planned.db"
    engine = get_engine(f"sqlite:///{path}")
    try:
        rid = ensure_demo(engine)
        assert rid is not None
        scenario = storage.export_scenario(engine, rid)
        result = solve(scenario, SolveParams(time_limit=2, workers=1))
        storage.save_plan(engine, rid, result.plan, label="solver")
    finally:
        engine.dispose()
    add_test_accounts(f"sqlite:///{path}")
    return path


@pytest.fixture
def db(planned_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the planned database, selected with ``DATABASE_URL``."""
    path = tmp_path / "app.db"
    shutil.copy(planned_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


def log_in(at: AppTest, username: str, password: str = PASSWORD) -> None:
    """Fill in and submit the login form."""
    at.text_input(key="login-user").input(username)
    at.text_input(key="login-password").input(password)
    at.button(key="login-submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def open_app(
    page: str = "overzicht", role: str | None = None, account: str | None = None
) -> AppTest:
    """The app after logging in as the account of ``role`` (a provider id, or the
    ketenregisseur by default) or as ``account``."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    log_in(at, account or ROLE_ACCOUNT[role])
    assert not errors(at), errors(at)
    if page != "overzicht":
        goto(at, page)
    return at


def open_avail_tables(role: str | None = None) -> AppTest:
    """Beschikbaarheid with its "Tabellen" tab open (all consultants' editors)."""
    at = open_app("beschikbaarheid", role=role)
    open_tab(at, "avail-tab", "Tabellen")
    return at


def goto(at: AppTest, page: str) -> None:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def open_tab(at: AppTest, key: str, label: str) -> None:
    """Select a tab (tabs run only their open content)."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def main_title(at: AppTest) -> str:
    return str(at.main.title[0].value)


def errors(at: AppTest) -> str:
    """The error boxes' text as shown (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in at.error))


def editor_key(at: AppTest, prefix: str) -> str:
    keys = [d.key for d in at.data_editor if d.key and d.key.startswith(prefix)]
    assert len(keys) == 1, keys
    return keys[0]


def edit(at: AppTest, key: str, rows: dict[int, dict[str, object]]) -> None:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def round_id(url: str) -> int:
    engine = get_engine(url)
    try:
        return storage.list_rounds(engine)[0].id
    finally:
        engine.dispose()


def scenario_of(url: str):  # type: ignore[no-untyped-def]
    engine = get_engine(url)
    try:
        return storage.export_scenario(engine, round_id(url))
    finally:
        engine.dispose()


# Pages ------------------------------------------------------------------------------------------


def test_first_start_imports_the_demo_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'first.db'}")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    # no account yet: the one-time setup form, with the token printed on the console
    assert at.text_input(key="setup-token") is not None
    at.text_input(key="setup-token").input("wrong")
    at.text_input(key="setup-user").input("eerste")
    at.text_input(key="setup-password").input(PASSWORD)
    at.text_input(key="setup-password2").input(PASSWORD)
    at.button(key="setup-submit").click()
    at.run()
    assert "insteltoken klopt niet" in errors(at)
    at.text_input(key="setup-token").input(accounts.setup_token())
    at.button(key="setup-submit").click()
    at.run()
    assert not at.exception, at.exception
    assert main_title(at) == "Overzicht · week 49 (30-11-2026 – 04-12-2026)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Bezoeken gepland"] == "0"
    assert metrics["Wachtend"] == "80"
    assert at.sidebar.selectbox(key="round_id").value is not None
    assert (tmp_path / "first.db").exists()


@pytest.mark.parametrize("role", ["ketenregisseur", "fier"])
def test_every_page_renders_without_exceptions(db: str, role: str) -> None:
    at = open_app(role=role)
    for page in PAGES:
        goto(at, page)
        assert main_title(at).startswith(TITLES[page])
        assert not errors(at), errors(at)
        tab_key = {"planning": "planning-tab", "aanvragen": "requests-tab"}.get(page)
        if tab_key is None:
            continue
        for label in [t.label for t in at.tabs]:
            open_tab(at, tab_key, label)
            assert not errors(at), (page, label, errors(at))


def test_overview_shows_the_plans_figures(db: str) -> None:
    at = open_app()
    metrics = {m.label: m.value for m in at.metric}
    plan = storage.latest_plan(get_engine(db), round_id(db))
    assert plan is not None
    assert metrics["Bezoeken gepland"] == str(len(plan.visits))
    assert metrics["Wachtend"] == str(len(plan.unassigned))
    assert metrics["Bezetting"].endswith("%")


def test_provider_sees_only_its_own_consultants(db: str) -> None:
    at = open_app("beschikbaarheid", role="xonar")
    frames = list(at.data_editor)
    open_tab(at, "avail-tab", "Tabellen")
    frames += list(at.data_editor)
    assert any(str(f.key).startswith("avail-cons-") for f in frames)
    for frame in frames:
        ids = frame.value.iloc[:, 0].tolist()
        if not str(frame.key).startswith("cview-"):  # one consultant's view may be empty
            assert ids, "editor is empty"
        assert all(str(i).startswith("C-XON-") for i in ids), ids
    goto(at, "planning")
    assert [t.label for t in at.tabs] == ["Weekkalender", "Kaart", "Bezoeken"]
    assert "solve" not in [b.key for b in at.button]
    open_tab(at, "planning-tab", "Bezoeken")
    table = at.dataframe[0].value
    assert len(table) > 0
    assert table["Consultants"].str.contains("C-XON-").all()
    scenario = scenario_of(db)
    secret = {loc.address for loc in scenario.locations if loc.confidential and loc.address}
    assert secret, "the demo has confidential addresses"
    assert not set(table["Adres"]) & secret


def test_visits_tables_show_who_goes_before_the_place_columns(db: str) -> None:
    """The visits tables show Consultants right after the times (not scrolled out of view
    behind the location and address columns)."""
    at = open_app("planning")
    open_tab(at, "planning-tab", "Bezoeken")
    shown = list(at.dataframe[0].proto.column_order)
    assert shown[:4] == ["Dag", "Begin", "Eind", "Consultants"], shown
    assert shown.index("Consultants") < shown.index("Locatie") < shown.index("Adres")
    assert set(shown) <= set(at.dataframe[0].value.columns)
    at = open_app("aanvragen", role="xonar")
    assert list(at.dataframe[0].proto.column_order)[:4] == ["Dag", "Begin", "Eind", "Consultants"]


def test_the_demo_weeks_costs_have_tariffs_and_a_week_without_shows_no_empty_chart(
    db: str,
) -> None:
    """The demo week has provider tariffs: its costs are amounts with a chart. A week
    without tariffs costs 0 everywhere: no chart of zeros, but a note."""
    at = open_app("kosten")
    assert main_title(at) == "Kosten"
    assert "geen uurtarief" not in " ".join(str(w.value) for w in at.warning).lower()
    total = next(m for m in at.metric if m.label == "Totaal")
    assert str(total.value) not in ("€ 0,00", "€\xa00,00"), total.value
    assert at.get("vega_lite_chart")

    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import read_plan

    engine = get_engine(db)
    try:
        bare = storage.import_scenario(engine, load_scenario(EXAMPLE))
        storage.save_plan(engine, bare, read_plan(ROOT / "tests" / "data" / "example-plan.json"))
    finally:
        engine.dispose()
    at.run()
    at.selectbox(key="cost-round").set_value(bare)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "geen uurtarief" in " ".join(str(w.value) for w in at.warning).lower()
    assert not at.get("vega_lite_chart")
    assert any("Geen grafiek" in str(c.value) for c in at.caption)
    assert at.dataframe, "the tables are still shown"


# Beschikbaarheid ----------------------------------------------------------------------------


def test_invalid_availability_edit_is_refused_and_not_saved(db: str) -> None:
    before = scenario_of(db)
    at = open_avail_tables()
    edit(at, editor_key(at, "avail-win-"), {0: {"Tot": "07:00"}})
    assert '"07:00" ligt niet na de begintijd "08:30"' in errors(at)
    assert "Beschikbaarheid, rij 1" in errors(at)
    assert at.button(key="avail-save").disabled
    assert scenario_of(db) == before


def test_overlapping_window_is_refused(db: str) -> None:
    at = open_avail_tables()
    key = editor_key(at, "avail-win-")
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [
            {"Consultant": "C-FIER-01", "Dag": "elke maandag", "Van": "12:00", "Tot": "13:00"}
        ],
        "deleted_rows": [],
    }
    at.run()
    assert "overlapt met rij 1" in errors(at)
    assert at.button(key="avail-save").disabled


def test_valid_availability_edit_is_saved(db: str) -> None:
    at = open_avail_tables()
    edit(at, editor_key(at, "avail-cons-"), {0: {"Max per dag": 2}})
    assert not errors(at)
    assert not at.button(key="avail-save").disabled
    at.button(key="avail-save").click()
    at.run()
    assert not at.exception
    assert scenario_of(db).consultant("C-FIER-01").max_visits_per_day == 2
    assert any("Opgeslagen" in str(s.value) for s in at.success)
    # the editor shows the stored value and no pending change
    assert at.button(key="avail-save").disabled


def test_undo_draws_the_tables_anew_with_the_stored_values(db: str) -> None:
    """ "Wijzigingen ongedaan maken" drops the edit and gives the editors new keys, so the
    grid in the browser shows the stored values again (it keeps its own edits otherwise)."""
    before = scenario_of(db)
    at = open_avail_tables()
    assert not [m for m in at.markdown if "Session state" in str(m.value)], "no code notes"
    old = editor_key(at, "avail-cons-")
    edit(at, old, {0: {"Max per dag": 2}})
    assert any("nog niet opgeslagen" in str(i.value) for i in at.info)
    at.button(key="avail-reset").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    new = editor_key(at, "avail-cons-")
    assert new != old, "a new editor, not the edited one"
    assert old not in at.session_state
    assert not any("nog niet opgeslagen" in str(i.value) for i in at.info)
    assert at.button(key="avail-reset").disabled and at.button(key="avail-save").disabled
    shown = at.data_editor(key=new).value
    assert shown.loc[0, "Max per dag"] == before.consultant(shown.loc[0, "Id"]).max_visits_per_day
    assert scenario_of(db) == before


def test_absence_form_marks_a_consultant_sick(db: str) -> None:
    scenario = scenario_of(db)
    at = open_avail_tables()
    form = at.get("form")[0]
    form.selectbox[0].set_value("C-SJSJ-04")
    form.multiselect[0].set_value([scenario.days[0]])
    form.button[0].click()
    at.run()
    assert not at.exception
    stored = scenario_of(db).consultant("C-SJSJ-04")
    assert any(u.date == scenario.days[0] and u.start == 0 for u in stored.unavailable)


def someone_else_marks_absent(url: str, consultant: str) -> dt.date:
    """Another session saves an absence of ``consultant`` on the first day of the week."""
    from matcher.scenario.edit import mark_unavailable, save_edit

    engine = get_engine(url)
    try:
        snap = storage.load_round(engine, round_id(url))
        day = snap.scenario.days[0]
        assert not any(u.date == day for u in snap.scenario.consultant(consultant).unavailable)
        result = mark_unavailable(snap.scenario, consultant, [day])
        assert save_edit(engine, snap.round_id, result, snap.versions) == 1
    finally:
        engine.dispose()
    return day


def warnings(at: AppTest) -> str:
    return "\n".join(str(w.value) for w in at.warning)


def test_a_save_made_on_outdated_data_is_refused_explained_and_merged(db: str) -> None:
    """B edits a cap while A saves an absence of the same consultant: B's save is refused
    with a Dutch message naming what A changed; merging keeps both changes."""
    at = open_avail_tables()
    edit(at, editor_key(at, "avail-cons-"), {0: {"Max per week": 3}})
    day = someone_else_marks_absent(db, "C-FIER-01")
    at.run()  # the page notices the change but keeps the pending edit
    assert "Je bewerkt nog de gegevens van toen je begon" in "\n".join(
        str(i.value) for i in at.info
    )
    at.button(key="avail-save").click()
    at.run()
    assert not at.exception
    text = warnings(at)
    assert "Iemand anders heeft consultant C-FIER-01 intussen gewijzigd: afwezigheid." in text
    assert "Je wijziging is niet opgeslagen." in text
    stored = scenario_of(db).consultant("C-FIER-01")
    assert stored.max_visits_per_week == 8  # nothing written
    assert any(u.date == day for u in stored.unavailable)  # A's absence is there

    at.button(key="merge-avail").click()
    at.run()
    assert not at.exception
    assert any("Opgeslagen: 1 consultant" in str(s.value) for s in at.success)
    assert not warnings(at)
    stored = scenario_of(db).consultant("C-FIER-01")
    assert stored.max_visits_per_week == 3
    assert any(u.date == day for u in stored.unavailable)


def test_a_refused_save_can_be_discarded(db: str) -> None:
    at = open_avail_tables()
    edit(at, editor_key(at, "avail-cons-"), {0: {"Max per week": 3}})
    someone_else_marks_absent(db, "C-FIER-01")
    at.run()
    at.button(key="avail-save").click()
    at.run()
    assert "intussen gewijzigd" in warnings(at)
    at.button(key="drop-avail").click()
    at.run()
    assert not warnings(at)
    assert scenario_of(db).consultant("C-FIER-01").max_visits_per_week == 8


def test_an_edit_of_another_consultant_is_saved_over_a_concurrent_change(db: str) -> None:
    at = open_avail_tables()
    edit(at, editor_key(at, "avail-cons-"), {0: {"Max per week": 3}})  # C-FIER-01
    day = someone_else_marks_absent(db, "C-SJSJ-04")
    at.run()
    at.button(key="avail-save").click()
    at.run()
    assert not warnings(at)
    stored = scenario_of(db)
    assert stored.consultant("C-FIER-01").max_visits_per_week == 3
    assert any(u.date == day for u in stored.consultant("C-SJSJ-04").unavailable)


# Aanvragen ------------------------------------------------------------------------------------


def test_request_edit_is_validated_then_saved(db: str) -> None:
    at = open_app("aanvragen")
    key = editor_key(at, "edit-requests-")
    edit(at, key, {0: {"Tijd van": "25:00"}})
    assert '"25:00" is geen geldige tijd' in errors(at)
    assert "Aanvragen, rij 1" in errors(at)
    assert at.button(key="save-requests").disabled
    edit(at, key, {0: {"Duur (min)": 45}})
    assert not errors(at)
    at.button(key="save-requests").click()
    at.run()
    assert scenario_of(db).request("R-001").duration_minutes == 45


def test_wide_tables_show_their_main_columns_and_the_rest_behind_a_toggle(db: str) -> None:
    """The requests and locations tables fit a 1400 px window (main columns with set
    widths); "Alle kolommen" shows the rest; an undo draws the table anew."""
    import json

    def order(at: AppTest, prefix: str) -> list[str]:
        return list(at.data_editor(key=editor_key(at, prefix)).proto.column_order)

    def widths(at: AppTest, prefix: str) -> dict[str, int]:
        config = json.loads(at.data_editor(key=editor_key(at, prefix)).proto.columns)
        return {name: c.get("width") for name, c in config.items()}

    at = open_app("aanvragen")
    assert not [m for m in at.markdown if "Session state" in str(m.value)], "no code notes"
    main = order(at, "edit-requests-")
    assert "Vastgezet" not in main and {"Id", "Jongere", "Rollen", "Urgentie"} <= set(main)
    sizes = widths(at, "edit-requests-")
    assert all(isinstance(sizes.get(c), int) for c in main), sizes
    assert sum(sizes[c] for c in main) <= 1000, "fits next to the sidebar at 1400 px"
    at.toggle(key="all-columns-requests").set_value(True)
    at.run()
    assert {"Tijd van", "Tijd tot", "Vastgezet"} <= set(order(at, "edit-requests-"))

    old = editor_key(at, "edit-requests-")
    edit(at, old, {0: {"Duur (min)": 45}})
    at.button(key="reset-requests").click()
    at.run()
    assert editor_key(at, "edit-requests-") != old
    assert at.button(key="save-requests").disabled

    open_tab(at, "requests-tab", "Locaties")
    main = order(at, "edit-locations-")
    assert "Breedtegraad" not in main and {"Naam", "Adres", "Vertrouwelijk"} <= set(main)
    sizes = widths(at, "edit-locations-")
    assert sum(sizes[c] for c in main) <= 1000
    at.toggle(key="all-columns-locations").set_value(True)
    at.run()
    assert {"Breedtegraad", "Lengtegraad", "Open"} <= set(order(at, "edit-locations-"))


def test_an_empty_trajectories_tab_says_what_a_trajectory_is_and_how_to_add_one(
    db: str,
) -> None:
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Trajecten")
    hint = " ".join(str(i.value) for i in at.info)
    assert "nog geen trajecten" in hint and "Trajecten opslaan" in hint
    assert "reeks consulten" in " ".join(str(c.value) for c in at.caption)


def test_sheet_import_reports_rows_and_adds_valid_rows(db: str) -> None:
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Importeren")
    bad = b"Id,Jongere,Rollen,Duur (min)\nR-900,Y-2026-0522,emdr,60\nR-901,Y-NOPE,emdr,60\n"
    at.file_uploader(key="upload-sheet").set_value(("fout.csv", bad, "text/csv"))
    at.run()
    assert "Blad, rij 3" in errors(at)
    assert '"Y-NOPE" is geen casuscode van een jongere' in errors(at)
    good = b"Id,Jongere,Rollen,Duur (min)\nR-900,Y-2026-0522,emdr,60\n"
    at.file_uploader(key="upload-sheet").set_value(("goed.csv", good, "text/csv"))
    at.run()
    assert not errors(at)
    at.button(key="import-sheet").click()
    at.run()
    assert scenario_of(db).request("R-900").duration_minutes == 60


def test_scenario_file_import_adds_a_week(db: str) -> None:
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Importeren")
    at.file_uploader(key="upload-scenario").set_value(
        ("voorbeeld.yaml", EXAMPLE.read_bytes(), "application/x-yaml")
    )
    at.run()
    assert not errors(at)
    at.button(key="import-scenario").click()
    at.run()
    assert not at.exception
    names = {r.name for r in storage.list_rounds(get_engine(db))}
    assert "Voorbeeld week 48" in names
    assert main_title(at) == "Aanvragen"
    broken = EXAMPLE.read_text().replace('end: "17:00"', 'end: "08:00"', 1)
    at.file_uploader(key="upload-scenario").set_value(("kapot.yaml", broken.encode(), "text/yaml"))
    at.run()
    assert "is niet geldig" in errors(at)
    assert "ligt niet na de begintijd" in errors(at)


# Planning ---------------------------------------------------------------------------------------


def wait_for_plan(at: AppTest, old_plan: int | None, url: str, timeout: float = 40) -> int:
    """Rerun the page until a newer plan is stored; return its id."""
    engine = get_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            time.sleep(0.5)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            plans = storage.list_plans(engine, round_id(url))
            if (
                plans
                and plans[0].id != old_plan
                and not any(m.label == "Verstreken" for m in at.metric)
            ):
                return plans[0].id
    finally:
        engine.dispose()
    raise AssertionError("no new plan within the timeout")


def test_solve_lock_move_and_replan(db: str) -> None:
    engine = get_engine(db)
    rid = round_id(db)
    first = storage.list_plans(engine, rid)[0].id
    at = open_app("planning")
    at.number_input(key="time-limit").set_value(2)
    at.button(key="solve").click()
    at.run()
    progress = {m.label for m in at.metric}
    assert "Beste score" in progress or "Bezoeken" in progress
    solved = wait_for_plan(at, first, db)
    plan = storage.load_plan(engine, solved)
    scenario = storage.export_scenario(engine, rid)
    assert check_plan(scenario, plan).feasible
    open_tab(at, "planning-tab", "Aanpassen")

    # lock the first visit shown
    chosen = at.selectbox(key="edit-request").value
    visit = next(v for v in plan.visits if v.request == chosen)
    at.button(key="lock").click()
    at.run()
    pin = storage.export_scenario(engine, rid).request(chosen).pinned
    assert pin is not None
    assert (pin.consultants, pin.date, pin.start) == (visit.consultants, visit.date, visit.start)

    # move another visit by hand to another day (the page searches a start)
    other = next(v for v in plan.visits if v.request != chosen and len(v.consultants) == 1)
    at.selectbox(key="edit-request").set_value(other.request)
    at.run()
    form = at.get("form")[0]
    days = list(scenario.days)
    ok = False
    for day in days:
        if day == other.date:
            continue
        form.selectbox[0].set_value(day)
        form.button[0].click()
        at.run()
        if any("staat nu bij" in str(s.value) for s in at.success):
            ok = True
            break
        form = at.get("form")[0]
    if ok:
        manual = storage.list_plans(engine, rid)[0]
        assert manual.label == "handmatig"
        moved = storage.load_plan(engine, manual.id)
        assert check_plan(storage.export_scenario(engine, rid), moved).feasible
    else:  # every other day refused: the refusal names broken rules
        assert errors(at)

    # re-plan: the locked visit stays where it was
    latest = storage.list_plans(engine, rid)[0].id
    at.button(key="solve").click()
    at.run()
    replanned = storage.load_plan(engine, wait_for_plan(at, latest, db))
    kept = next(v for v in replanned.visits if v.request == chosen)
    assert (kept.consultants, kept.date, kept.start) == (visit.consultants, visit.date, visit.start)
    assert check_plan(storage.export_scenario(engine, rid), replanned).feasible
    engine.dispose()


def test_unplan_and_unlock(db: str) -> None:
    engine = get_engine(db)
    rid = round_id(db)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    chosen = at.selectbox(key="edit-request").value
    at.button(key="unplan").click()
    at.run()
    plan = storage.latest_plan(engine, rid)
    assert plan is not None
    assert chosen in {u.request for u in plan.unassigned}
    assert any("uit de planning gehaald" in str(s.value) for s in at.success)
    engine.dispose()


def test_locking_a_visit_someone_else_changed_is_refused_with_a_message(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another planner saves the request between this run's read and its write."""
    import matcher.app.access
    from matcher.app.manual_edit import pin_of

    engine = get_engine(db)
    rid = round_id(db)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    chosen = at.selectbox(key="edit-request").value
    plan = storage.latest_plan(engine, rid)
    assert plan is not None
    visit = next(v for v in plan.visits if v.request == chosen)
    real = matcher.app.access.save_pins

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(matcher.app.access, "save_pins", real)
        request = scenario_of(db).request(chosen)
        longer = dataclasses.replace(request, duration_minutes=request.duration_minutes + 15)
        storage.upsert_request(engine, rid, longer)
        return real(*args, **kwargs)

    monkeypatch.setattr(matcher.app.access, "save_pins", meanwhile)
    at.button(key="lock").click()
    at.run()
    assert not at.exception
    text = warnings(at)
    assert f"Iemand anders heeft aanvraag {chosen} intussen gewijzigd: duur." in text, text
    assert "Je wijziging is niet opgeslagen" in text
    assert storage.export_scenario(engine, rid).request(chosen).pinned is None
    # the page now shows the new data: locking again works
    at.button(key="lock").click()
    at.run()
    assert storage.export_scenario(engine, rid).request(chosen).pinned == pin_of(visit)
    engine.dispose()


def test_a_hand_made_plan_does_not_hide_a_plan_saved_meanwhile(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A solve ends between this run's read of the plan and the save of the hand-made one."""
    engine = get_engine(db)
    rid = round_id(db)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    plan = storage.latest_plan(engine, rid)
    assert plan is not None
    real = storage.save_plan
    newer: list[int] = []

    def meanwhile(*args: Any, **kwargs: Any) -> int:
        monkeypatch.setattr(storage, "save_plan", real)
        newer.append(real(engine, rid, plan, label="solver"))
        return real(*args, **kwargs)

    monkeypatch.setattr(storage, "save_plan", meanwhile)
    at.button(key="unplan").click()
    at.run()
    assert newer
    assert f"Er is intussen een nieuwere planning opgeslagen (#{newer[0]})" in warnings(at)
    assert storage.list_plans(engine, rid)[0].id == newer[0]  # the solver's plan is newest
    engine.dispose()


# Export ---------------------------------------------------------------------------------------


def test_export_offers_every_download_and_the_zip_marks_as_sent(db: str) -> None:
    at = open_app("export")
    labels = [b.label for b in at.get("download_button")]
    assert "Alle uitnodigingen (zip)" in labels
    assert "Planning (CSV)" in labels
    assert "Planning (Excel)" in labels
    # the scenario file carries confidential addresses: only after a confirmation
    assert "Scenario van deze week" not in labels
    at.checkbox(key="confirm-scenario").check()
    at.run()
    labels = [b.label for b in at.get("download_button")]
    assert "Scenario van deze week" in labels
    assert any(label.startswith("Uitnodigingen C-") for label in labels)
    engine = get_engine(db)
    assert exported_plan(engine, round_id(db)) is None
    # per-person downloads do not count as sending the whole plan
    next(b for b in at.get("download_button") if b.label.startswith("Uitnodigingen C-")).click()
    at.run()
    assert exported_plan(engine, round_id(db)) is None
    # downloading the zip marks the plan as sent
    at.get("download_button")[0].click()
    at.run()
    assert not at.exception
    sent = exported_plan(engine, round_id(db))
    assert sent is not None
    assert sent[0] == storage.list_plans(engine, round_id(db))[0].id
    engine.dispose()
    assert at.button(key="mark-sent").disabled


def test_provider_export_has_no_scenario_file(db: str) -> None:
    at = open_app("export", role="sjsj")
    labels = [b.label for b in at.get("download_button")]
    assert "Scenario van deze week" not in labels
    assert "Planning (CSV)" in labels
    person = at.selectbox(key="dl-person")
    assert all(str(o).startswith("C-SJSJ") for o in person.options)


def test_a_running_solve_does_not_block_other_sessions(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    planner = open_app("planning")
    monkeypatch.syspath_prepend(str(ROOT))
    from app_pages.common import jobs  # the module the app runs (already imported)

    planner.number_input(key="time-limit").set_value(30)
    planner.button(key="solve").click()
    planner.run()
    job = jobs().get(round_id(db))
    assert job is not None and job.running
    try:
        other = open_app(role="fier")
        for page in PAGES:
            start = time.perf_counter()
            goto(other, page)
            assert time.perf_counter() - start < 5
            assert job.running  # the solve was still going while the page answered
        # the planner's own page polls the progress without waiting for the solve
        start = time.perf_counter()
        planner.run()
        assert time.perf_counter() - start < 5
        assert "Beste score" in {m.label for m in planner.metric}
    finally:
        job.stop()
        assert job.wait(30)
    assert job.snapshot().stopped


# Unexpected errors (issue 10) -------------------------------------------------------------------

DUTCH_ERROR = "Er ging iets mis (melding "


def boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("kapot bij Nieuwstraat 74")  # an error text that holds an address


def no_traceback(at: AppTest, caplog: pytest.LogCaptureFixture) -> str:
    """The page shows the Dutch message with a reference that names the log entry."""
    assert not at.exception, [e.value for e in at.exception]
    text = errors(at)
    assert DUTCH_ERROR in text and "Traceback" not in text and "Nieuwstraat" not in text
    ref = text.split(DUTCH_ERROR, 1)[1][:8]
    assert f"unexpected error {ref}" in caplog.text and "RuntimeError" in caplog.text
    assert "Nieuwstraat" not in caplog.text
    return ref


def test_a_failing_action_shows_a_dutch_message_not_a_traceback(
    db: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Importeren")
    at.file_uploader(key="upload-scenario").set_value(
        ("voorbeeld.yaml", EXAMPLE.read_bytes(), "application/x-yaml")
    )
    at.run()
    monkeypatch.setattr(storage, "import_scenario", boom)
    at.button(key="import-scenario").click()
    at.run()
    no_traceback(at, caplog)
    assert main_title(at) == "Aanvragen"  # the rest of the page is still there


def test_a_failing_page_and_a_failing_callback_show_the_dutch_message(
    db: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import app_pages.common

    monkeypatch.setattr("matcher.app.access.mark_exported", boom)  # what marking as sent calls
    at = open_app("export")
    at.button(key="mark-sent").click()
    at.run()
    first = no_traceback(at, caplog)
    monkeypatch.setattr(app_pages.common, "plan_caption", boom)
    at.run()
    assert no_traceback(at, caplog) != first  # each error has its own reference


def test_the_app_is_configured_to_show_no_error_details() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_the_app_skips_streamlits_full_garbage_collection_after_every_run() -> None:
    # gc.collect(2) after each run held the server for 250-400 ms per click (bench.browser)
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_scenario_with_a_matrix_reads_only_the_uploaded_csv(db: str) -> None:
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Importeren")
    text = EXAMPLE.read_text().replace("format: 1", "format: 1\ntravel: {matrix: week.csv}")
    at.file_uploader(key="upload-scenario").set_value(("week.yaml", text.encode(), "text/yaml"))
    at.run()
    assert "is niet meegestuurd" in errors(at)
    csv = b"from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,7\n"
    at.file_uploader(key="upload-matrix").set_value(("week.csv", csv, "text/csv"))
    at.run()
    assert not errors(at)
    at.button(key="import-scenario").click()
    at.run()
    engine = get_engine(db)
    try:
        rid = storage.find_round(engine, "Voorbeeld week 48")
        assert rid is not None
        overrides = storage.export_scenario(engine, rid).travel.overrides
    finally:
        engine.dispose()
    assert overrides == (("L-GH-VENLO", "L-RES-ROERMOND", 7),)
