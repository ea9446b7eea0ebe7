"""The browser benchmark: how fast the app feels, in headless chromium, against a bare
Streamlit app measured in the same run.

Run from the repository root (Debian ``chromium`` and the ``playwright`` package needed)::

    .venv/bin/python -m bench.browser              # 6 passes (about 2 minutes)
    .venv/bin/python -m bench.browser --rounds 10

It starts ``streamlit run app.py`` on a temporary SQLite database with the demo week (and
a plan of it), logs in as the ketenregisseur and measures, as the user sees it (from the
click to the result shown and the run finished):

* **page switch**: every page of the navigation once per pass (a first round with cold
  caches is reported apart and not counted);
* **map tab**: the Kaart tab on Planning until its chart is drawn;
* **lock all**: "Alle bezoeken vergrendelen" until the note "... vergrendeld" (the visits
  are unlocked again after each);
* **cell edit**: a cell of the consultants' table on Beschikbaarheid until the edit is
  validated ("nog niet opgeslagen").

There are ``--rounds`` passes of every measure; the app's and the peer's passes take turns,
so both see the same load of the shared machine. The peer is :mod:`bench.browser_peer_app`:
a bare Streamlit page of the same version with one ``st.navigation`` of as many pages, a
table on each, lazy tabs with a chart, a button and a table editor; the same actions on it
are Streamlit's own floor, and ``ours / peer`` is our overhead above it. The table (targets
of issue 15, PASS/FAIL) is printed and written to ``bench/results-browser.md`` with the
machine's load before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import math
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``matcher`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser_harness import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    ROOT,
    VIEWPORT,
    app_server,
    chromium_path,
    ensure_plan,
    log_in,
    open_page,
    screenshot,
    settle,
    streamlit_server,
    wait_idle,
)

TITLES = [
    "Overzicht",
    "Beschikbaarheid",
    "Aanvragen",
    "Planning",
    "Export",
    "Kosten",
    "Beleid",
    "Accounts",
]
"""The ketenregisseur's pages, in the navigation's order."""
RESULTS = ROOT / "bench" / "results-browser.md"
LOCKED = re.compile(r"\d+ bezoek\(en\) vergrendeld\.")
UNLOCKED = re.compile(r"\d+ bezoek\(en\) ontgrendeld\.")


@dataclass
class Timings:
    """Seconds per measured action."""

    cold: list[float] = field(default_factory=list)
    page_switch: list[float] = field(default_factory=list)
    map_tab: list[float] = field(default_factory=list)
    lock_all: list[float] = field(default_factory=list)
    cell_edit: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    """The counted page switches by page."""


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    limits: tuple[tuple[str, float], ...]
    """``(statistic, seconds)`` pairs that must all hold."""


TARGETS = (
    Target("page_switch", "page switch", (("median", 0.5), ("p95", 1.0))),
    Target("map_tab", "map tab (Planning · Kaart)", (("median", 1.0),)),
    Target("lock_all", "lock all (Alle bezoeken vergrendelen)", (("median", 1.0),)),
    Target("cell_edit", "cell edit validated (Beschikbaarheid)", (("median", 0.5),)),
)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def stat(values: list[float], which: str) -> float:
    if not values:
        return float("nan")
    if which == "median":
        return statistics.median(values)
    if which == "p95":
        return p95(values)
    return max(values)


def timed(action: Callable[[], None], done: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start


def click_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def chart_drawn(page: Any) -> None:
    """The newest Vega-Lite chart has drawn (a canvas or svg) and the run has finished."""
    chart = page.locator('[data-testid="stVegaLiteChart"]').last
    chart.locator("canvas, svg").first.wait_for(timeout=60_000)
    wait_idle(page)


CONSULTANTS_GRID = '.st-key-consultants-editor [data-testid="stDataFrame"]'
"""The consultants' table of Beschikbaarheid (its container has a fixed key)."""
FIRST_GRID = '[data-testid="stDataFrame"]'


def edit_cell(page: Any, grid: str, column: int, value: str) -> None:
    """Open the first data row's cell ``column`` (0-based) of the first table that CSS
    selector ``grid`` finds and type ``value`` (Enter is left to the caller)."""
    grid = page.locator(grid).first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # header 35 px, rows 35 px
    page.wait_for_timeout(200)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.type(value)
    page.wait_for_timeout(300)  # the cell editor opens on the first key


def timed_edit(page: Any, grid: str, column: int, value: str) -> float:
    """Edit a cell (:func:`edit_cell`) and time Enter until the edit is validated ("nog
    niet opgeslagen" shown, the run finished). A click that did not open the cell (the
    grid was still drawing) is retried once."""
    for attempt in range(2):
        edit_cell(page, grid, column, value)
        start = time.perf_counter()
        page.keyboard.press("Enter")
        try:
            page.get_by_text("nog niet opgeslagen").first.wait_for(timeout=15_000)
        except Exception:
            if attempt:
                raise
            page.keyboard.press("Escape")
            settle(page)
            continue
        wait_idle(page)
        return time.perf_counter() - start
    raise AssertionError("unreachable")


def switch_pages(page: Any, times: list[float], per_page: dict[str, list[float]] | None) -> None:
    """One round over every page (from a page that is not the first)."""
    for title in TITLES:
        seconds = open_page(page, title, None)
        times.append(seconds)
        if per_page is not None:
            per_page.setdefault(title, []).append(seconds)


def timed_click_until(page: Any, button: str, text: re.Pattern[str]) -> float:
    """Seconds from clicking ``button`` until ``text`` is shown and the run has finished."""
    return timed(
        lambda: page.get_by_role("button", name=button).click(),
        lambda: (page.get_by_text(text).first.wait_for(timeout=60_000), wait_idle(page)),
    )


def app_pass(page: Any, t: Timings, edit_value: str) -> None:
    """Every measure once on the app (logged in as the ketenregisseur)."""
    switch_pages(page, t.page_switch, t.per_page)

    open_page(page, "Planning")
    click_tab(page, "Weekkalender")
    page.get_by_text("Blauw: bezoek").first.wait_for(timeout=60_000)
    settle(page)
    caption = page.get_by_text("De ondergrond (plaatsen)")
    t.map_tab.append(
        timed(
            lambda: click_tab(page, "Kaart"),
            lambda: (caption.first.wait_for(timeout=60_000), chart_drawn(page)),
        )
    )

    click_tab(page, "Aanpassen")
    settle(page)
    t.lock_all.append(timed_click_until(page, "Alle bezoeken vergrendelen", LOCKED))
    page.get_by_role("button", name="Alles ontgrendelen…").click()
    settle(page)
    page.get_by_role("button", name=re.compile(r"^Ja, \d+ ontgrendelen")).click()
    page.get_by_text(UNLOCKED).first.wait_for(timeout=60_000)
    settle(page)

    open_page(page, "Beschikbaarheid")
    click_tab(page, "Tabellen")
    settle(page)
    # the consultants' table, "Max per dag" (4 in the demo)
    t.cell_edit.append(timed_edit(page, CONSULTANTS_GRID, 2, edit_value))
    # leaving the page drops the unsaved edit (so the next pass edits the stored value)
    open_page(page, "Export")


def peer_pass(page: Any, t: Timings, edit_value: str) -> None:
    """The same actions on the bare Streamlit app."""
    switch_pages(page, t.page_switch, t.per_page)

    open_page(page, "Planning")
    click_tab(page, "Tabel")
    settle(page)
    t.map_tab.append(timed(lambda: click_tab(page, "Kaart"), lambda: chart_drawn(page)))

    click_tab(page, "Aanpassen")
    settle(page)
    t.lock_all.append(timed_click_until(page, "Alle bezoeken vergrendelen", LOCKED))

    open_page(page, "Beschikbaarheid")
    t.cell_edit.append(timed_edit(page, FIRST_GRID, 3, edit_value))  # "Max per dag"
    open_page(page, "Export")  # leaving the page drops the editor's edits


def run_bench(
    browser: Any, app: str, peer: str, rounds: int, ours: Timings, theirs: Timings
) -> None:
    """Log in, one cold round over every page on each side, then ``rounds`` passes of every
    measure, the app's and the peer's pass in turn (so both see the same machine load)."""
    pages: dict[str, Any] = {}
    contexts = []
    try:
        for name in ("app", "peer"):
            context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
            contexts.append(context)
            pages[name] = context.new_page()
        app_page, peer_page = pages["app"], pages["peer"]
        log_in(app_page, app, "regisseur")
        app_page.get_by_role("heading", level=1).filter(has_text="Overzicht").wait_for(
            timeout=90_000
        )
        peer_page.goto(peer, wait_until="domcontentloaded")
        peer_page.get_by_role("heading", level=1).filter(has_text="Overzicht").wait_for(
            timeout=90_000
        )
        for page, t in ((app_page, ours), (peer_page, theirs)):
            settle(page)
            open_page(page, "Export", None)
            switch_pages(page, t.cold, None)
            open_page(page, "Export", None)
        for r in range(rounds):
            value = str(7 + r % 2)
            app_pass(app_page, ours, value)
            peer_pass(peer_page, theirs, value)
    except Exception:
        for name, page in pages.items():
            print(f"failed: screenshot {screenshot(page, f'bench-{name}-failure', ARTIFACTS)}")
        raise
    finally:
        for context in contexts:
            context.close()


def fmt(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds:.3f}"


def report(ours: Timings, peer: Timings, meta: dict[str, str]) -> tuple[str, bool]:
    """The markdown table (and whether every target holds)."""
    lines = [
        "| measure | n | target | ours median | ours p95 | ours max | peer median | "
        "ours / peer | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    all_ok = True
    for target in TARGETS:
        mine: list[float] = getattr(ours, target.name)
        theirs: list[float] = getattr(peer, target.name)
        ok = bool(mine) and all(stat(mine, s) <= limit for s, limit in target.limits)
        all_ok = all_ok and ok
        wanted = ", ".join(f"{s} ≤ {limit:g} s" for s, limit in target.limits)
        ratio = stat(mine, "median") / stat(theirs, "median") if theirs else float("nan")
        lines.append(
            f"| {target.label} | {len(mine)} | {wanted} | {fmt(stat(mine, 'median'))} | "
            f"{fmt(stat(mine, 'p95'))} | {fmt(stat(mine, 'max'))} | "
            f"{fmt(stat(theirs, 'median'))} | {fmt(ratio)} | {'PASS' if ok else 'FAIL'} |"
        )
    lines.append(
        f"| first visit of each page (cold caches, not counted) | {len(ours.cold)} | – | "
        f"{fmt(stat(ours.cold, 'median'))} | {fmt(stat(ours.cold, 'p95'))} | "
        f"{fmt(stat(ours.cold, 'max'))} | {fmt(stat(peer.cold, 'median'))} | "
        f"{fmt(stat(ours.cold, 'median') / stat(peer.cold, 'median'))} | – |"
    )
    lines += [
        "",
        "Page switches by page (median seconds):",
        "",
        "| page | ours | peer | ours / peer |",
        "| --- | --- | --- | --- |",
    ]
    for title in TITLES:
        a = stat(ours.per_page.get(title, []), "median")
        b = stat(peer.per_page.get(title, []), "median")
        lines.append(f"| {title} | {fmt(a)} | {fmt(b)} | {fmt(a / b)} |")
    head = [
        "# Browser benchmark",
        "",
        f"Run {meta['started']} (commit {meta['commit']}"
        + (f" + uncommitted {meta['uncommitted']}" if meta["uncommitted"] else "")
        + f"), Streamlit {meta['streamlit']}, Playwright {meta['playwright']}, "
        f"{meta['chromium']}, {meta['rounds']} passes (each: one round over the "
        f"{len(TITLES)} pages and each action once; the app's and the peer's passes in "
        f"turn), {meta['seconds']} s in all.",
        "",
        f"Load before: `{meta['uptime_before']}`; after: `{meta['uptime_after']}`.",
        "",
        "Seconds from the click (or key) until the result is shown and the app's run has "
        "finished, in headless chromium on this machine. The peer is a bare Streamlit app "
        "(`bench/browser_peer_app.py`) of the same version doing the same actions; "
        "ours / peer is the ratio of the medians.",
        "",
    ]
    verdict = "All targets met." if all_ok else "Not every target is met (FAIL above)."
    return "\n".join([*head, *lines, "", verdict, ""]), all_ok


def chromium_version(path: str) -> str:
    import subprocess

    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "chromium"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__)
    parser.add_argument(
        "--rounds", type=int, default=6, help="passes (every page and every action once)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    from bench.run import _commit, _dirty, _uptime

    chromium = chromium_path()
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    meta = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit() or "?",
        "uncommitted": ", ".join(_dirty(["app.py", "app_pages", "matcher", "bench"])),
        "streamlit": importlib.metadata.version("streamlit"),
        "playwright": importlib.metadata.version("playwright"),
        "chromium": chromium_version(chromium),
        "rounds": str(args.rounds),
        "uptime_before": _uptime(),
    }
    began = time.monotonic()
    ours, theirs = Timings(), Timings()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        folder = Path(tmp)
        (folder / "app").mkdir()
        with (
            sync_playwright() as p,
            app_server(folder / "app") as (app, db_url),
            streamlit_server(ROOT / "bench" / "browser_peer_app.py", folder / "peer.log") as peer,
        ):
            ensure_plan(db_url)
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                run_bench(browser, app, peer, args.rounds, ours, theirs)
            finally:
                browser.close()
    meta["seconds"] = f"{time.monotonic() - began:.0f}"
    meta["uptime_after"] = _uptime()
    text, ok = report(ours, theirs, meta)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
