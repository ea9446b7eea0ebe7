"""Per role, every page, tab, download and error path of the app, through AppTest: no
confidential address, no exact point of a confidential location and no other provider's
data in anything rendered or downloadable. Also: the login gate, the lockout, the idle
timeout and the audit rows of case views.

Rendered text is every element of the page (its protobuf, which holds markdown, tables as
Arrow data, chart specs and widget options) plus every table's cells; downloads are the
bytes handed to ``st.download_button`` (zips and Excel files opened).
"""

from __future__ import annotations

import io
import logging
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from test_app import (  # the shared fixtures and helpers of the app tests
    APP,
    PASSWORD,
    add_test_accounts,
    db,
    errors,
    goto,
    log_in,
    main_title,
    open_app,
    open_tab,
    planned_db,
    round_id,
    scenario_of,
)

from matcher import storage
from matcher.scenario.domain import Plan, Scenario
from matcher.security import audit
from matcher.storage.engine import get_engine

__all__ = ["db", "planned_db"]  # fixtures used here

DOWNLOADS: list[tuple[str, bytes]] = []


@pytest.fixture(autouse=True)
def record_downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bytes]]]:
    """Keep every file the app hands to the browser (download buttons)."""
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: Any = None) -> str:
        if isinstance(path_or_data, bytes | str) and filename:
            data = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
            DOWNLOADS.append((str(filename), data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    DOWNLOADS.clear()
    yield DOWNLOADS
    DOWNLOADS.clear()


def file_text(name: str, data: bytes) -> str:
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(file_text(n, zf.read(n)) for n in zf.namelist())
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
        )
    return data.decode("utf-8", errors="replace")


def page_text(at: AppTest) -> str:
    """Everything the page rendered, as text."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        value = getattr(node, "value", None)
        if hasattr(value, "to_csv"):
            parts.append(value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


class Seen:
    """What one role's session rendered and downloaded."""

    def __init__(self) -> None:
        self.text: list[str] = []

    def add(self, at: AppTest) -> None:
        assert not at.exception, [e.value for e in at.exception]
        self.text.append(page_text(at))
        for name, data in DOWNLOADS:
            self.text.append(f"== {name}\n" + file_text(name, data))
        DOWNLOADS.clear()

    @property
    def all(self) -> str:
        return "\n".join(self.text)


def visit_everything(at: AppTest, pages: list[str], seen: Seen, scenario: Scenario) -> None:
    """Every page, every tab, every map day and every person's invites."""
    for page in pages:
        goto(at, page)
        seen.add(at)
        if page == "planning":
            for label in [t.label for t in at.tabs]:
                open_tab(at, "planning-tab", label)
                seen.add(at)
                if label == "Kaart":
                    for day in scenario.days:
                        at.selectbox(key="map-day").set_value(day)
                        at.run()
                        seen.add(at)
                if label == "Weekkalender":
                    for day in scenario.days:
                        at.session_state["gantt-day"] = day
                        at.run()
                        seen.add(at)
        if page == "aanvragen" and at.tabs:
            for label in [t.label for t in at.tabs]:
                open_tab(at, "requests-tab", label)
                seen.add(at)
        if page == "beschikbaarheid":
            for label in [t.label for t in at.tabs]:
                open_tab(at, "avail-tab", label)
                seen.add(at)
        if page == "kosten":  # the visits table is drawn only in its open expander
            at.session_state["cost-visits-open"] = True
            at.run()
            seen.add(at)
        if page == "export":
            people = at.selectbox(key="dl-person") if "dl-person" in keys(at) else None
            for who in list(people.options) if people is not None else []:
                at.selectbox(key="dl-person").set_value(who)
                at.run()
                seen.add(at)


def assert_not_offered(at: AppTest, page: str) -> None:
    """The role's navigation has no such page (a URL to it shows the role's own pages)."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"app_pages/{page}.py")


def keys(at: AppTest) -> set[str]:
    return {str(w.key) for w in at.selectbox}


def secrets(scenario: Scenario) -> tuple[list[str], list[str]]:
    """Confidential addresses, and the exact coordinates of confidential locations."""
    addresses = [loc.address for loc in scenario.locations if loc.confidential and loc.address]
    coords = [
        text
        for loc in scenario.locations
        if loc.confidential
        for text in (f"{loc.lat}", f"{loc.lon}")
    ]
    return addresses, coords


def assert_no_secrets(text: str, scenario: Scenario) -> None:
    addresses, coords = secrets(scenario)
    assert addresses and coords
    leaked = [a for a in addresses if a in text]
    assert not leaked, leaked[:3]
    points = [c for c in coords if c in text]
    assert not points, points[:5]


def full_plan(url: str) -> Plan:
    engine = get_engine(url)
    try:
        plan = storage.latest_plan(engine, round_id(url))
        assert plan is not None
        return plan
    finally:
        engine.dispose()


PROVIDER_PAGES = ["overzicht", "beschikbaarheid", "aanvragen", "planning", "export"]


@pytest.mark.parametrize(
    ("account", "provider", "consultant", "pages"),
    [
        ("planner-fier", "fier", None, PROVIDER_PAGES),
        ("planner-xonar", "xonar", None, PROVIDER_PAGES),
        (
            "consultant-fier-01",
            "fier",
            "C-FIER-01",
            ["overzicht", "beschikbaarheid", "planning", "export"],
        ),
    ],
)
def test_provider_roles_see_nothing_out_of_scope(
    db: str, account: str, provider: str, consultant: str | None, pages: list[str]
) -> None:
    scenario = scenario_of(db)
    plan = full_plan(db)
    at = open_app(account=account)
    seen = Seen()
    seen.add(at)
    visit_everything(at, pages, seen, scenario)
    # an error path: an invalid availability edit (of an own consultant)
    goto(at, "beschikbaarheid")
    open_tab(at, "avail-tab", "Tabellen")
    key = next(d.key for d in at.data_editor if d.key and d.key.startswith("avail-win-"))
    at.session_state[key] = {
        "edited_rows": {0: {"Tot": "07:00"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "ligt niet na de begintijd" in errors(at)
    seen.add(at)
    # the pages of other roles are not there
    for page in ("accounts", "auditlog", "kosten"):
        assert_not_offered(at, page)

    text = seen.all
    assert_no_secrets(text, scenario)
    own = {
        c.id
        for c in scenario.consultants
        if c.provider == provider and (consultant is None or c.id == consultant)
    }
    others = [c for c in scenario.consultants if c.id not in own]
    leaked_ids = sorted(c.id for c in others if c.id in text)
    assert not leaked_ids, leaked_ids[:5]
    partners = {
        cid
        for v in plan.visits
        if own.intersection(v.consultants)
        for cid in v.consultants
        if cid not in own
    }
    names = sorted(c.name for c in others if c.id not in partners and c.name in text)
    assert not names, names[:5]
    # the visits it does see: its own, with their case codes
    mine = {v.youth for v in plan.visits if own.intersection(v.consultants)}
    assert mine and all(code in text for code in mine)
    not_mine = {v.youth for v in plan.visits} - mine
    assert not [code for code in not_mine if code in text]


def test_gemeente_sees_its_cost_report_only(db: str) -> None:
    scenario = scenario_of(db)
    at = open_app(account="gemeente-venlo")
    assert main_title(at) == "Kosten"
    seen = Seen()
    seen.add(at)
    for page in ("planning", "overzicht", "export", "auditlog", "accounts"):
        assert_not_offered(at, page)
    text = seen.all
    assert_no_secrets(text, scenario)
    assert not [c.name for c in scenario.consultants if c.name in text]
    assert not [c.id for c in scenario.consultants if c.id in text]
    venlo = {y.id for y in scenario.youths if y.gemeente == "Venlo"}
    plan = full_plan(db)
    planned = {v.youth for v in plan.visits}
    assert venlo & planned and all(code in text for code in venlo & planned)
    assert not [y.id for y in scenario.youths if y.gemeente != "Venlo" and y.id in text]
    assert any(name.startswith("kosten-") for name in text.split("== ")[1:] for name in [name])


def test_privacy_officer_sees_the_audit_log_only(db: str) -> None:
    scenario = scenario_of(db)
    viewer = open_app("planning")  # the ketenregisseur looks at case data first
    open_tab(viewer, "planning-tab", "Bezoeken")
    at = open_app(account="privacy")
    assert main_title(at) == "Auditlog"
    assert any("keten is intact" in str(s.value) for s in at.success)
    frame = at.dataframe[0].value
    assert "view" in set(frame["Actie"]) and "regisseur" in set(frame["Account"])
    seen = Seen()
    seen.add(at)
    for page in ("planning", "overzicht", "export", "kosten", "accounts"):
        assert_not_offered(at, page)
    text = seen.all
    assert_no_secrets(text, scenario)
    assert not [c.name for c in scenario.consultants if c.name in text]


def test_admin_sees_accounts_and_no_case_data(db: str) -> None:
    scenario = scenario_of(db)
    at = open_app(account="beheer")
    assert main_title(at) == "Accounts"
    text = page_text(at)
    assert "planner-fier" in text
    assert "$argon2" not in text
    assert not [y.id for y in scenario.youths if y.id in text]
    bound = {"C-FIER-01"}  # the consultant an account is bound to: account data
    assert not [c.id for c in scenario.consultants if c.id in text and c.id not in bound]
    assert_no_secrets(text, scenario)
    for page in ("planning", "overzicht", "export", "kosten", "auditlog"):
        assert_not_offered(at, page)


def test_ketenregisseur_downloads_carry_addresses_only_after_confirmation(db: str) -> None:
    scenario = scenario_of(db)
    at = open_app("export")
    before = "\n".join(file_text(n, d) for n, d in DOWNLOADS)
    assert_no_secrets(before, scenario)  # invites and plan tables: never an address
    DOWNLOADS.clear()
    at.checkbox(key="confirm-scenario").check()
    at.run()
    names = [n for n, _ in DOWNLOADS]
    assert any(n.endswith(".yaml") for n in names)
    button = next(b for b in at.get("download_button") if b.label == "Scenario van deze week")
    assert "vertrouwelijke locaties" in button.help
    button.click()
    at.run()
    engine = get_engine(db)
    rows = [e for e in audit.entries(engine) if e.action == "download"]
    engine.dispose()
    assert rows and "vertrouwelijke adressen" in rows[-1].subject
    for entry in audit.entries(get_engine(db)):
        assert_no_secrets(str(entry), scenario)


def test_every_case_view_is_audited(
    db: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    at = open_app("planning")
    open_tab(at, "planning-tab", "Bezoeken")
    shown = set(at.dataframe[0].value["Casuscode"])
    goto(at, "aanvragen")
    for label in ("Jongeren", "Locaties"):
        open_tab(at, "requests-tab", label)
    goto(at, "overzicht")
    engine = get_engine(db)
    rows = [e for e in audit.entries(engine) if e.action == "view"]
    engine.dispose()
    subjects = {e.subject for e in rows}
    assert {
        "Planning · weekkalender",
        "Planning · bezoeken",
        "Aanvragen · aanvragen",
        "Aanvragen · jongeren",
        "Aanvragen · locaties",
        "Overzicht",
    } <= subjects
    visits = next(e for e in rows if e.subject == "Planning · bezoeken")
    assert set(visits.case_codes.split(",")) == shown
    assert visits.account == "regisseur" and visits.role == "ketenregisseur"
    assert all(e.at for e in rows)
    assert audit.verify(get_engine(db)).ok
    # the ketenregisseur saw the addresses; no log line and no console output holds one
    out, err = capfd.readouterr()
    assert_no_secrets(caplog.text + out + err + "\n".join(str(e) for e in rows), scenario_of(db))


def test_anonymous_session_gets_the_login_form_only(db: str) -> None:
    scenario = scenario_of(db)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    for page in ("planning", "export", "auditlog", "accounts"):
        assert_not_offered(at, page)
    for _ in range(2):
        at.run()
        assert main_title(at) == "Consultplanner"
        assert at.text_input(key="login-user") is not None
        assert not at.sidebar.selectbox
        text = page_text(at)
        assert not [y.id for y in scenario.youths if y.id in text]
        assert not [c.id for c in scenario.consultants if c.id in text]
        assert_no_secrets(text, scenario)
    assert not DOWNLOADS


def test_lockout_after_five_failures_in_the_app(db: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    for _ in range(4):
        log_in(at, "planner-sjsj", "verkeerd-wachtwoord")
        assert "onjuist wachtwoord" in errors(at)
    log_in(at, "planner-sjsj", "verkeerd-wachtwoord")
    assert "15 minuten geblokkeerd" in errors(at)
    log_in(at, "planner-sjsj", PASSWORD)
    assert "geblokkeerd" in errors(at)
    assert main_title(at) == "Consultplanner"
    engine = get_engine(db)
    failed = [e for e in audit.entries(engine) if e.action == "login-failed"]
    engine.dispose()
    assert len(failed) == 6 and {e.account for e in failed} == {"planner-sjsj"}


def test_idle_session_is_logged_out_and_logout_works(db: str) -> None:
    at = open_app()
    assert main_title(at).startswith("Overzicht")
    at.session_state["_last_active"] = time.time() - 31 * 60
    at.run()
    assert main_title(at) == "Consultplanner"
    assert any("zonder activiteit uitgelogd" in str(i.value) for i in at.info)
    log_in(at, "regisseur")
    assert main_title(at).startswith("Overzicht")
    at.sidebar.button(key="logout").click()
    at.run()
    assert main_title(at) == "Consultplanner"
    engine = get_engine(db)
    actions = [e.action for e in audit.entries(engine)]
    engine.dispose()
    assert actions.count("logout") == 2 and actions.count("login") == 2


def test_accounts_page_adds_an_account_that_can_log_in(db: str) -> None:
    at = open_app(account="beheer")
    at.text_input(key="acc-user").input("planner-nieuw")
    at.selectbox(key="acc-role").set_value("planner")
    at.text_input(key="acc-provider").input("fier")
    at.text_input(key="acc-password").input(PASSWORD)
    at.get("form")[0].button[0].click()
    at.run()
    assert not errors(at), errors(at)
    fresh = AppTest.from_file(str(APP), default_timeout=60)
    fresh.run()
    log_in(fresh, "planner-nieuw")
    assert main_title(fresh).startswith("Overzicht")


__all__ += ["add_test_accounts"]


def test_what_changed_shows_a_provider_only_its_own_visits(db: str) -> None:
    """A second plan moves every visit by 5 minutes: a provider sees only its changes."""
    import dataclasses

    engine = get_engine(db)
    rid = round_id(db)
    first = full_plan(db)
    moved = dataclasses.replace(
        first,
        visits=tuple(
            dataclasses.replace(v, start=v.start + 5, end=v.end + 5) for v in first.visits
        ),
    )
    storage.save_plan(engine, rid, moved, label="handmatig")
    engine.dispose()
    scenario = scenario_of(db)
    at = open_app(role="fier")
    text = page_text(at)
    assert "Ten opzichte van planning" in text
    own = {c.id for c in scenario.consultants if c.provider == "fier"}
    changes = [str(m.value) for m in at.markdown if str(m.value).startswith("- ")]
    assert changes
    assert not [c.id for c in scenario.consultants if c.id not in own and c.id in text]
    mine = [v for v in first.visits if own.intersection(v.consultants)]
    assert any(v.request in text for v in mine)
    theirs = [v.request for v in first.visits if not own.intersection(v.consultants)]
    assert not [r for r in theirs if f"{r} " in text or f"{r}:" in text]
