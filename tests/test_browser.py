"""End-to-end test in a real headless browser (Debian's ``chromium`` through Playwright).

Starts ``streamlit run app.py`` on a free port with a temporary SQLite database holding an
account per role, logs in through the login form, then opens the planning page, runs a
solve, locks a visit, re-plans (the lock holds), edits a table cell, and downloads the
invites. A second test logs in as every other role and visits every page and tab it is
offered. Both record every request the browser makes and fail on any host but the app's
(no tile server, no font or icon server), and on any confidential address or exact point
of a confidential location in the rendered text or a downloaded file. A screenshot of
every page goes to ``artifacts/screenshots/``; page-switch and cell-edit timings go to
``artifacts/timings.json``.

No browser is downloaded: the test uses the system ``chromium``. Without it the test is
skipped, unless ``CI`` or ``REQUIRE_BROWSER`` is set: then a missing browser fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.browser_harness import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    PASSWORD,
    ROOT,
    VIEWPORT,
    Requests,
    app_server,
    chromium_path,
    ensure_plan,
    log_in,
    open_page,
    screenshot,
    settle,
)
from matcher import storage
from matcher.storage.engine import get_engine

pytestmark = pytest.mark.browser


def browser_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if browser_required():
            pytest.fail(
                "chromium is not installed, but CI/REQUIRE_BROWSER asks for the browser test"
            )
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if browser_required():
            pytest.fail("the playwright package is missing")
        pytest.skip("the playwright package is missing")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``(base url, database url)`` of a running app on a fresh SQLite database."""
    try:
        with app_server(tmp_path_factory.mktemp("browser")) as running:
            yield running
    except RuntimeError as exc:
        pytest.fail(str(exc))


def wait_for_new_plan(page, db_url: str, after: int, timeout: float = 90) -> int:  # type: ignore[no-untyped-def]
    engine = get_engine(db_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            rounds = storage.list_rounds(engine)
            plans = storage.list_plans(engine, rounds[0].id) if rounds else []
            if plans and plans[0].id > after:
                # the page reloads itself when the solve has saved its plan
                shown = re.compile(rf"Planning #{plans[0].id} \(solver\)")
                page.get_by_text(shown).first.wait_for(timeout=30_000)
                settle(page)
                return plans[0].id
            page.wait_for_timeout(500)
    finally:
        engine.dispose()
    raise AssertionError("the solve did not save a plan in time")


def test_plan_lock_replan_and_download_in_a_real_browser(
    chromium: str, server: tuple[str, str]
) -> None:
    from playwright.sync_api import sync_playwright

    base, db_url = server
    timings: dict[str, list[float]] = {"page_switch": [], "cell_edit": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = None
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="nl-NL"
            )
            page = context.new_page()
            requests = Requests(base)
            page.on("request", requests)
            # anonymous: the login form only, whatever page is asked for
            page.goto(f"{base}/planning", wait_until="domcontentloaded")
            page.get_by_label("Gebruikersnaam").wait_for(timeout=90_000)
            settle(page)
            assert "week 49" not in page.inner_text("body")
            icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
            assert not icon.startswith("http") or icon.startswith(base), icon
            log_in(page, base, "regisseur")
            page.get_by_role("heading", level=1).filter(has_text="Overzicht").wait_for(
                timeout=90_000
            )
            settle(page)
            assert page.get_by_text("week 49").first.is_visible()

            # Planning: solve with a short time limit ----------------------------------
            timings["page_switch"].append(open_page(page, "Planning"))
            limit = page.get_by_label("Rekentijd (seconden)")
            limit.fill("3")
            limit.press("Enter")
            settle(page)
            page.get_by_role("button", name="Plannen", exact=True).click()
            page.get_by_text("Bezig met plannen").first.wait_for(timeout=30_000)
            first = wait_for_new_plan(page, db_url, 0)
            assert page.get_by_text("Bezoeken").first.is_visible()
            screenshot(page, "planning-weekkalender")

            page.get_by_role("tab", name="Kaart").click()
            settle(page)
            page.wait_for_timeout(1500)  # let the map canvas draw
            screenshot(page, "planning-kaart")

            # Lock the first visit of the manual-edit tab -------------------------------
            page.get_by_role("tab", name="Aanpassen").click()
            settle(page)
            page.get_by_role("button", name="Vergrendelen", exact=True).click()
            page.get_by_text("is vergrendeld op").first.wait_for(timeout=30_000)
            settle(page)
            screenshot(page, "planning-aanpassen")
            engine = get_engine(db_url)
            rid = storage.list_rounds(engine)[0].id
            scenario = storage.export_scenario(engine, rid)
            locked = [r for r in scenario.requests if r.pinned is not None]
            assert locked, "locking stored no pin"
            # the demo ships with a pinned request; find the one this test just locked
            plan = storage.load_plan(engine, first)
            by_request = {v.request: v for v in plan.visits}
            mine = [
                r
                for r in locked
                if r.id in by_request
                and r.pinned is not None
                and r.pinned.start == by_request[r.id].start
                and r.pinned.date == by_request[r.id].date
            ]
            assert mine

            # Re-plan: the locked visits stay ----------------------------------------------
            page.get_by_role("button", name="Opnieuw plannen", exact=True).click()
            second = wait_for_new_plan(page, db_url, first)
            replanned = storage.load_plan(engine, second)
            kept = {v.request: v for v in replanned.visits}
            for r in mine:
                assert r.pinned is not None
                v = kept[r.id]
                assert (v.consultants, v.date, v.start) == (
                    r.pinned.consultants,
                    r.pinned.date,
                    r.pinned.start,
                )
            engine.dispose()

            # Every page, with timings ------------------------------------------------------
            for title, name in (
                ("Overzicht", "overzicht"),
                ("Beschikbaarheid", "beschikbaarheid"),
                ("Aanvragen", "aanvragen"),
                ("Export", "export"),
                ("Planning", "planning"),
            ):
                timings["page_switch"].append(open_page(page, title))
                screenshot(page, name)

            # Edit one cell: the availability editor validates it at once -------------------
            open_page(page, "Beschikbaarheid")
            page.get_by_role("tab", name="Tabellen").click()
            settle(page)
            grid = page.locator('.st-key-consultants-editor [data-testid="stDataFrame"]')
            grid.wait_for(timeout=30_000)
            grid.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            box = grid.bounding_box()
            assert box is not None
            # first data row, "Max per dag" column (keyboard: right from the first cell)
            page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
            page.wait_for_timeout(300)
            for _ in range(2):
                page.keyboard.press("ArrowRight")
            page.keyboard.type("2")
            page.wait_for_timeout(300)  # the cell editor opens on the first key
            start = time.perf_counter()
            page.keyboard.press("Enter")
            try:
                page.get_by_text("nog niet opgeslagen").first.wait_for(timeout=30_000)
            except Exception:
                screenshot(page, "failed-cell-edit")
                raise
            settle(page)
            timings["cell_edit"].append(time.perf_counter() - start)
            screenshot(page, "beschikbaarheid-bewerkt")

            # Download the invites ----------------------------------------------------------
            open_page(page, "Export")
            with page.expect_download() as info:
                page.get_by_role("button", name="Alle uitnodigingen (zip)").click()
            zipped = info.value
            data = Path(zipped.path()).read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
                assert any(n.endswith(".ics") for n in names)
                text = zf.read(next(n for n in names if n.endswith(".ics"))).decode()
                assert text.startswith("BEGIN:VCALENDAR")
            # The zip marks the plan as sent, and the page runs again with new buttons:
            # wait for that run, or the next click can land on a button being replaced.
            from playwright.sync_api import expect

            mark_sent = page.get_by_role("button", name="Markeer als verstuurd zonder zip")
            expect(mark_sent).to_be_disabled(timeout=30_000)
            settle(page)
            with page.expect_download() as info:
                page.get_by_role("button", name=re.compile(r"^Uitnodigingen C-")).first.click()
            single = Path(info.value.path()).read_text(encoding="utf-8")
            assert "METHOD:REQUEST" in single
            assert info.value.suggested_filename.endswith(".ics")
            assert requests.urls, "no request was recorded"
            assert not requests.foreign(), requests.foreign()
        except Exception:
            if page is not None:
                screenshot(page, "failure")
            raise
        finally:
            browser.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=1) + "\n")
    # Generous bounds against regressions; the measured values are in timings.json.
    assert max(timings["page_switch"]) < 10
    assert max(timings["cell_edit"]) < 10


def confidential(db_url: str) -> tuple[list[str], list[str]]:
    """Confidential addresses and the exact coordinates of confidential locations."""
    engine = get_engine(db_url)
    try:
        s = storage.export_scenario(engine, storage.list_rounds(engine)[0].id)
    finally:
        engine.dispose()
    addresses = [loc.address for loc in s.locations if loc.confidential and loc.address]
    coords = [f"{v}" for loc in s.locations if loc.confidential for v in (loc.lat, loc.lon)]
    return addresses, coords


OTHER_PAGE = {
    "planner-fier": "accounts",
    "consultant-fier-01": "aanvragen",
    "gemeente-venlo": "planning",
    "privacy": "kosten",
    "beheer": "auditlog",
}


def download_visible(page: Any, texts: list[str]) -> None:
    """Download every download button shown now and keep the file's text."""
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        if not buttons.nth(i).is_visible():
            continue  # in a tab or section that is not open: downloaded when it is
        with page.expect_download() as info:
            buttons.nth(i).click()
        texts.append(Path(info.value.path()).read_bytes().decode("latin-1"))
        settle(page)


ROLE_PAGES = {
    "planner-fier": ["Overzicht", "Beschikbaarheid", "Aanvragen", "Planning", "Export"],
    "consultant-fier-01": ["Overzicht", "Beschikbaarheid", "Planning", "Export"],
    "gemeente-venlo": ["Kosten"],
    "privacy": ["Auditlog"],
    "beheer": ["Accounts"],
}


def test_every_role_in_a_real_browser_leaks_nothing_and_asks_no_other_host(
    chromium: str, server: tuple[str, str]
) -> None:
    from playwright.sync_api import sync_playwright

    base, db_url = server
    ensure_plan(db_url)
    addresses, coords = confidential(db_url)
    assert addresses
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for account, titles in ROLE_PAGES.items():
                context = browser.new_context(
                    viewport={"width": 1400, "height": 900}, accept_downloads=True
                )
                page = context.new_page()
                requests = Requests(base)
                page.on("request", requests)
                log_in(page, base, account)
                texts: list[str] = []
                for title in titles:
                    if len(titles) > 1:
                        open_page(page, title)
                    else:
                        page.get_by_role("heading", level=1).filter(has_text=title).wait_for(
                            timeout=60_000
                        )
                    texts.append(page.inner_text("body"))
                    downloads = title in ("Export", "Kosten")
                    if downloads:
                        download_visible(page, texts)
                    tabs = page.get_by_role("tab")
                    for i in range(tabs.count()):
                        tabs.nth(i).click()
                        settle(page)
                        page.wait_for_timeout(300)
                        texts.append(page.inner_text("body"))
                        if downloads:  # the downloads of each tab, while it is open
                            download_visible(page, texts)
                    axe = axe_problems(page)
                    assert not axe, (account, title, axe)
                    screenshot(page, f"rol-{account}-{title.lower()}")
                # a page of another role is not reachable by its URL either (a new
                # session: the login form first, then the role's own default page)
                other = OTHER_PAGE[account]
                log_in(page, f"{base}/{other}", account)
                page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
                heading = page.get_by_role("heading", level=1).first.inner_text()
                assert other.title() not in heading, (account, other, heading)
                texts.append(page.inner_text("body"))
                text = "\n".join(texts)
                assert not [a for a in addresses if a in text], account
                assert not [c for c in coords if c in text], account
                assert not requests.foreign(), (account, requests.foreign())
                context.close()
        finally:
            browser.close()


WALK = {
    "regisseur": [
        "Overzicht",
        "Beschikbaarheid",
        "Aanvragen",
        "Planning",
        "Export",
        "Kosten",
        "Beleid",
        "Accounts",
    ],
    "planner-fier": ["Overzicht", "Beschikbaarheid", "Aanvragen", "Planning", "Export"],
}
"""The pages of the ketenregisseur and of a provider's planner, in the navigation's order."""
ENGLISH = ("Add row", "Browse files", "per file", "Drag and drop", "Choose an option", "No results")
"""Streamlit's own English control texts (the page translates them)."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_the_whole_week_of_the_ketenregisseur_and_a_provider_page_by_page_and_tab_by_tab(
    chromium: str, server: tuple[str, str]
) -> None:
    """Every page and every tab, one screenshot each (``week-<account>-<page>[-<tab>]``):
    each shows its heading, no error, no English control text and no serious or critical
    axe-core violation (WCAG 2.1 AA)."""
    from playwright.sync_api import sync_playwright

    base, db_url = server
    ensure_plan(db_url)
    taken: list[Path] = []
    problems: list[str] = []

    def check(page, name: str) -> None:  # type: ignore[no-untyped-def]
        body = page.inner_text('[data-testid="stMain"]')
        if "Er ging iets mis" in body or page.locator('[data-testid="stException"]').count():
            problems.append(f"{name}: error shown")
        problems.extend(f"{name}: English {e!r}" for e in ENGLISH if e in body)
        problems.extend(f"{name}: axe {v}" for v in axe_problems(page))
        taken.append(screenshot(page, name))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for account, titles in WALK.items():
                context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
                page = context.new_page()
                log_in(page, base, account)
                for title in titles:
                    open_page(page, title)
                    settle(page)
                    tabs = page.locator('[data-testid="stMain"]').get_by_role("tab")
                    if not tabs.count():
                        page.wait_for_timeout(500)  # charts draw after the run
                        check(page, f"week-{account}-{slug(title)}")
                        continue
                    for i in range(tabs.count()):
                        name = tabs.nth(i).inner_text().strip()
                        tabs.nth(i).click()
                        settle(page)
                        page.wait_for_timeout(800 if name == "Kaart" else 400)
                        check(page, f"week-{account}-{slug(title)}-{slug(name)}")
                context.close()
        finally:
            browser.close()
    assert not problems, problems
    tabs_seen = {p.name for p in taken}
    for expected in (
        "week-regisseur-planning-kaart.png",
        "week-regisseur-planning-aanpassen.png",
        "week-regisseur-aanvragen-importeren.png",
        "week-regisseur-beschikbaarheid-tabellen.png",
        "week-planner-fier-planning-weekkalender.png",
        "week-regisseur-accounts.png",
    ):
        assert expected in tabs_seen, sorted(tabs_seen)
    assert all(p.stat().st_size > 10_000 for p in taken)


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by ``npm ci`` (package.json); the accessibility check needs it."""
FOCUSED = (
    "() => { const e = document.activeElement; if (!e) return '';"
    " return (e.innerText || e.getAttribute('aria-label') || '').trim().split('\\n').pop(); }"
)


def tab_to(page, *texts: str, limit: int = 250) -> str:  # type: ignore[no-untyped-def]
    """Press Tab until the focused control is one of ``texts`` (its visible text or
    label); return which."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = str(page.evaluate(FOCUSED))
        if focused in texts:
            return focused
        seen.append(focused)
    raise AssertionError(f"{texts!r} cannot be reached with Tab; focus went: {seen[-40:]}")


SELECTED_TAB = (
    "() => { const t = document.querySelector('[role=tab][aria-selected=true]');"
    " return t ? t.innerText.trim() : ''; }"
)
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'


def arrow_to_tab(page, name: str, limit: int = 10) -> None:  # type: ignore[no-untyped-def]
    """From the focused tab, press ArrowRight until tab ``name`` is open and its run has
    finished. Each arrow opens a tab and reruns the page; the next arrow waits for that run
    (an arrow pressed during a run can be undone by the run's end: the tab list jumps back
    to the tab the run was for, and focus goes to the panel, so the tab is focused again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(limit):
        current = str(page.evaluate(SELECTED_TAB))
        if current == name:
            settle(page)
            if page.evaluate(SELECTED_TAB) == name:  # the run did not take it back
                return
            continue
        if page.evaluate(FOCUSED) != current:
            tab_to(page, current)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => ({SELECTED_TAB})() !== {current!r}", timeout=30_000)
        with contextlib.suppress(PlaywrightTimeout):  # the run may be over before we look
            page.wait_for_selector(RUNNING, timeout=2_000)
        settle(page)
    raise AssertionError(f"tab {name!r} not reached with {limit} arrows")


def saved_after(db_url: str, after: int, timeout: float = 90) -> int:
    """The id of the first plan saved after plan ``after`` (waits for the solve)."""
    engine = get_engine(db_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            rounds = storage.list_rounds(engine)
            plans = storage.list_plans(engine, rounds[0].id) if rounds else []
            if plans and plans[0].id > after:
                return plans[0].id
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise AssertionError("the solve did not save a plan in time")


def axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    """:func:`serious_violations` of the page when axe-core is installed (``npm ci``);
    without it the check fails under ``REQUIRE_AXE`` and is left out otherwise."""
    if not AXE.exists():
        if os.environ.get("REQUIRE_AXE"):
            pytest.fail("axe-core is missing: run `npm ci`")
        return []
    return serious_violations(page)


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations of the page (rule, count, first node)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): "
        f"{v['nodes'][0].get('failureSummary', '')[:300]} at {v['nodes'][0].get('html', '')[:300]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_dutch_page_keyboard_only_flow_and_accessibility(
    chromium: str, server: tuple[str, str]
) -> None:
    """``<html lang="nl">``; plan, lock and export with the keyboard only; no serious or
    critical axe-core violation on the pages of that flow."""
    from playwright.sync_api import sync_playwright

    base, db_url = server
    check_axe = AXE.exists()
    if not check_axe and os.environ.get("REQUIRE_AXE"):
        pytest.fail("axe-core is missing: run `npm ci`")
    found: dict[str, list[str]] = {}

    def audit(page, name: str) -> None:  # type: ignore[no-untyped-def]
        assert page.evaluate("document.documentElement.lang") == "nl", name
        if check_axe:
            problems = serious_violations(page)
            if problems:
                found[name] = problems

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = None
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="nl-NL"
            )
            page = context.new_page()
            page.goto(base, wait_until="domcontentloaded")
            page.get_by_label("Gebruikersnaam").wait_for(timeout=90_000)
            settle(page)
            audit(page, "inloggen")
            # log in with the keyboard: type, Tab, type, Enter
            page.get_by_label("Gebruikersnaam").focus()
            page.keyboard.type("regisseur")
            page.keyboard.press("Tab")
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Uitloggen").wait_for(timeout=60_000)
            settle(page)
            audit(page, "overzicht")

            tab_to(page, "Planning")
            page.keyboard.press("Enter")
            page.get_by_role("heading", level=1).filter(has_text="Planning").first.wait_for(
                timeout=60_000
            )
            settle(page)
            engine = get_engine(db_url)
            try:
                rid = storage.list_rounds(engine)[0].id
                plans = storage.list_plans(engine, rid)
            finally:
                engine.dispose()
            before = plans[0].id if plans else 0
            tab_to(page, "Opnieuw plannen" if plans else "Plannen")
            page.keyboard.press("Enter")
            if plans:  # a re-plan is saved as a proposal (Overzicht accepts it)
                saved_after(db_url, before)
                page.get_by_text("Planning klaar").first.wait_for(timeout=60_000)
                settle(page)
            else:
                wait_for_new_plan(page, db_url, before)
            page.wait_for_timeout(1000)
            audit(page, "planning")

            # the tabs: Tab to the open one, arrows to "Aanpassen"
            tab_to(page, "Weekkalender")
            arrow_to_tab(page, "Aanpassen")
            page.get_by_text("Bezoek of aanvraag").first.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
            audit(page, "planning-aanpassen")
            if tab_to(page, "Vergrendelen", "Ontgrendelen") == "Ontgrendelen":
                page.keyboard.press("Enter")  # locked before: unlock, then lock again
                page.get_by_text("is ontgrendeld").first.wait_for(timeout=30_000)
                settle(page)
                tab_to(page, "Vergrendelen")
            page.keyboard.press("Enter")
            page.get_by_text("is vergrendeld op").first.wait_for(timeout=30_000)
            settle(page)

            tab_to(page, "Export")
            page.keyboard.press("Enter")
            page.get_by_role("heading", level=1).filter(has_text="Export").first.wait_for(
                timeout=60_000
            )
            settle(page)
            audit(page, "export")
            tab_to(page, "Alle uitnodigingen (zip)")
            with page.expect_download() as info:
                page.keyboard.press("Enter")
            assert info.value.suggested_filename.endswith(".zip")

            # Streamlit's own control texts are Dutch (the uploader of the import tab)
            tab_to(page, "Aanvragen")
            page.keyboard.press("Enter")
            page.get_by_role("heading", level=1).filter(has_text="Aanvragen").first.wait_for(
                timeout=60_000
            )
            settle(page)
            audit(page, "aanvragen")
            page.get_by_role("tab", name="Importeren").click()
            settle(page)
            page.wait_for_timeout(500)
            body = page.inner_text("body")
            assert "Bestand kiezen" in body and "per bestand" in body
            assert "per file" not in body and "Upload\n" not in body
            audit(page, "aanvragen-importeren")
        except Exception:
            if page is not None:
                screenshot(page, "failure-keyboard")
            raise
        finally:
            browser.close()
    assert not found, found
