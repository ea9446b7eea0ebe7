"""Shared pieces of the browser test (``tests/test_browser.py``) and the browser benchmark
(``bench/browser.py``): the system chromium, a Streamlit server on a free port, the login
form, waiting for a run to finish, opening a page and taking a screenshot.

No browser is downloaded: Playwright drives Debian's ``chromium``. Nothing here needs
pytest; the test wraps these helpers in fixtures.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
SHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
"""The app has finished its current run."""
PASSWORD = "browser-wachtwoord-1"
ACCOUNTS: dict[str, dict[str, str]] = {
    "regisseur": {"role": "ketenregisseur"},
    "planner-fier": {"role": "planner", "provider": "fier"},
    "consultant-fier-01": {"role": "consultant", "provider": "fier", "consultant": "C-FIER-01"},
    "gemeente-venlo": {"role": "gemeente", "gemeente": "Venlo"},
    "privacy": {"role": "privacy"},
    "beheer": {"role": "admin"},
}
"""One account per role (all with :data:`PASSWORD`)."""
VIEWPORT = {"width": 1400, "height": 900}


def chromium_path() -> str | None:
    """The system chromium, or ``None`` when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_database(folder: Path, accounts_: Mapping[str, Mapping[str, str]] = ACCOUNTS) -> str:
    """A fresh SQLite database in ``folder`` with the demo week and the given accounts."""
    from matcher.security import accounts
    from matcher.storage.engine import get_engine
    from matcher.storage.round_state import ensure_demo

    os.environ.setdefault("CONSULTPLANNER_ARGON2", "fast")
    db_url = f"sqlite:///{folder / 'app.db'}"
    engine = get_engine(db_url)
    try:
        ensure_demo(engine)
        for name, spec in accounts_.items():
            accounts.create_account(engine, name, PASSWORD, **spec)
    finally:
        engine.dispose()
    return db_url


def ensure_plan(db_url: str, time_limit: float = 2) -> None:
    """Solve and save a plan for the first round unless it has one."""
    from matcher import storage
    from matcher.solver.solve import SolveParams, solve
    from matcher.storage.engine import get_engine

    engine = get_engine(db_url)
    try:
        rid = storage.list_rounds(engine)[0].id
        if not storage.list_plans(engine, rid):
            result = solve(
                storage.export_scenario(engine, rid),
                SolveParams(time_limit=time_limit, workers=1),
            )
            storage.save_plan(engine, rid, result.plan, label="solver")
    finally:
        engine.dispose()


@contextmanager
def streamlit_server(
    script: Path, log: Path, env: Mapping[str, str] | None = None, timeout: float = 90
) -> Iterator[str]:
    """Run ``streamlit run script`` on a free port; yield its base URL, stop it after.

    Raises ``RuntimeError`` with the end of the server log when it does not start.
    """
    port = free_port()
    full_env = dict(os.environ, **(env or {}))
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--client.toolbarMode",
                "minimal",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def app_server(folder: Path) -> Iterator[tuple[str, str]]:
    """``(base url, database url)`` of the app on a fresh demo database in ``folder``."""
    db_url = demo_database(folder)
    env = {"DATABASE_URL": db_url, "CONSULTPLANNER_ARGON2": "fast"}
    with streamlit_server(ROOT / "app.py", folder / "streamlit.log", env) as base:
        yield base, db_url


class Requests:
    """Every URL the browser asks for (``page.on("request")``)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.urls: list[str] = []

    def __call__(self, request: Any) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        """Requests to any host but the app's (``data:`` and ``blob:`` stay in the page)."""
        local = ("data:", "blob:", "about:", self.base + "/", self.base.replace("http", "ws") + "/")
        return sorted({u for u in self.urls if not u.startswith(local) and u != self.base})


def settle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the app has finished its current run."""
    page.wait_for_timeout(200)
    page.wait_for_selector(IDLE, timeout=timeout)


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the app has finished its current run, without a fixed pause first (for
    timings: call it only once the run's result is visible)."""
    page.wait_for_selector(IDLE, timeout=timeout)


def log_in(page: Any, url: str, username: str) -> None:
    """Open the app at ``url`` (a new session) and log in through the login form."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("Gebruikersnaam").wait_for(timeout=90_000)
    settle(page)
    dialog = page.get_by_role("dialog")
    if dialog.count():  # "page not found" for a URL outside the login page: close it
        texts = dialog.first.inner_text()
        assert "not found" in texts.lower() or "niet gevonden" in texts.lower(), texts
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="hidden", timeout=10_000)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.get_by_role("button", name="Uitloggen").wait_for(timeout=60_000)
    settle(page)


def screenshot(page: Any, name: str, folder: Path = SHOTS) -> Path:
    """A screenshot of the whole page (the main area scrolls inside the viewport)."""
    folder.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": 1400, "height": min(max(900, int(height) + 40), 6000)})
    page.wait_for_timeout(400)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, timeout=120_000)
    page.set_viewport_size(VIEWPORT)
    return path


def open_page(page: Any, title: str, shots: Path | None = SHOTS) -> float:
    """Click a page in the navigation; return the seconds until it has rendered (its
    heading shown and the run finished). On a timeout a screenshot goes to ``shots``."""
    start = time.perf_counter()
    page.get_by_role("link", name=title, exact=True).first.click()
    try:
        page.get_by_role("heading", level=1).filter(has_text=title).first.wait_for(timeout=60_000)
        wait_idle(page)
    except Exception:
        if shots is not None:
            screenshot(page, f"failed-open-{title.lower()}", shots)
        raise
    return time.perf_counter() - start
