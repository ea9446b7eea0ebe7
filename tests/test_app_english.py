"""The app shows no English sentence: every page and tab, for the ketenregisseur and a
provider's planner, with validation problems, a refused hand move and an open request on
screen, is scanned for the English message fragments (issue 9 item 3).

The fragments come from the English message table itself (the fixed words of every
template between its placeholders, three words or more) plus a few English words a Dutch
screen never has ("is not", "allowed", "status feasible", "not available").
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from matcher import storage
from matcher.messages import table
from matcher.storage.engine import get_engine
from tests.test_app import (  # noqa: F401
    APP,
    PAGES,
    db,
    edit,
    editor_key,
    goto,
    open_app,
    open_tab,
    planned_db,
    round_id,
)

EN, NL = table("en"), table("nl")
"""The whole tables: the messages package's own and every rule's texts."""

KNOWN_ENGLISH = (
    r"\bis not\b",
    r"\ballowed\b",
    r"\bstatus (?:optimal|feasible|infeasible|unknown)\b",
    r"\bnot available\b",
    r"\bproblem\(s\)",
)
"""English words that no Dutch screen has (besides the table's own fragments)."""

TABS = {"planning": "planning-tab", "aanvragen": "requests-tab", "beschikbaarheid": "avail-tab"}
KETENREGISSEUR_PAGES = (*PAGES, "kosten", "beleid", "accounts")
"""Every page of the ketenregisseur (app.py's navigation); a provider's planner has
:data:`~tests.test_app.PAGES`."""


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]+", text))


def english_fragments() -> list[str]:
    """The fixed text of every English template, split at its placeholders, that has three
    words or more and is not also part of a Dutch template (``date: D, start, end``)."""
    dutch = " ".join(NL.values()).lower()
    found: set[str] = set()
    for template in EN.values():
        for literal, _name, _spec, _conv in string.Formatter().parse(template):
            piece = literal.strip(" \t\n.,;:()[]\"'`-")
            if _words(piece) >= 3 and piece.lower() not in dutch:
                found.add(piece)
    return sorted(found)


FRAGMENTS = english_fragments()
PATTERNS = [re.compile(re.escape(f), re.IGNORECASE) for f in FRAGMENTS] + [
    re.compile(p, re.IGNORECASE) for p in KNOWN_ENGLISH
]


def test_the_fragments_come_from_the_table() -> None:
    assert len(FRAGMENTS) > 100
    assert "is not after start" in FRAGMENTS
    assert "no start keeps every rule" in FRAGMENTS
    assert "the pinned consultants lack the skills" in FRAGMENTS
    assert all(_words(f) >= 3 for f in FRAGMENTS)
    assert "date: D, start, end" not in FRAGMENTS  # the format's keys, in the Dutch text too


def english_in(texts: Iterable[tuple[str, str]]) -> list[str]:
    """``where: text`` for every shown text that holds an English fragment."""
    hits = []
    for where, text in texts:
        for pattern in PATTERNS:
            m = pattern.search(text)
            if m:
                hits.append(f"{where}: {m.group(0)!r} in {text[:200]!r}")
                break
    return hits


def test_the_scan_finds_english() -> None:
    assert english_in([("x", 'Tot: "07:00" is not after start "08:30"')])
    assert english_in([("x", "Planning klaar: status feasible.")])
    assert not english_in([("x", 'Tot: "07:00" ligt niet na de begintijd "08:30"')])


def _frame_texts(frame: object) -> Iterator[str]:
    if isinstance(frame, pd.DataFrame):
        yield " ".join(str(c) for c in frame.columns)
        for row in frame.astype(str).itertuples(index=False):
            yield " ".join(str(v) for v in row)


def shown(at: AppTest, where: str) -> list[tuple[str, str]]:
    """Every text on the screen: titles, markdown, captions, boxes, metrics, tables, and
    the labels, help and options of widgets."""
    out: list[tuple[str, str]] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "error",
        "warning",
        "info",
        "success",
        "exception",
        "toast",
    ):
        for el in at.get(kind):
            out.append((f"{where} {kind}", str(getattr(el, "value", ""))))
    for el in at.metric:
        out.append((f"{where} metric", f"{el.label} {el.value} {getattr(el, 'help', '') or ''}"))
    for kind in ("dataframe", "table", "arrow_data_frame", "arrow_table"):
        for el in at.get(kind):
            for text in _frame_texts(getattr(el, "value", None)):
                out.append((f"{where} {kind}", text))
    for el in at.data_editor if hasattr(at, "data_editor") else []:
        for text in _frame_texts(getattr(el, "value", None)):
            out.append((f"{where} data_editor", text))
    for kind in (
        "button",
        "selectbox",
        "multiselect",
        "radio",
        "checkbox",
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "toggle",
        "expander",
        "tab",
    ):
        for el in at.get(kind):
            parts = [
                getattr(el, "label", ""),
                getattr(el, "help", ""),
                getattr(el, "placeholder", ""),
            ]
            options = getattr(el, "options", None) or []
            parts += [str(o) for o in options]
            out.append((f"{where} {kind}", " ".join(str(p) for p in parts if p)))
    return out


def every_page(
    at: AppTest, who: str, pages: Iterable[str] = KETENREGISSEUR_PAGES
) -> list[tuple[str, str]]:
    """The texts of every page and every tab."""
    texts: list[tuple[str, str]] = []
    for page in pages:
        goto(at, page)
        texts += shown(at, f"{who} {page}")
        key = TABS.get(page)
        if key is None:
            continue
        for label in [t.label for t in at.tabs]:
            open_tab(at, key, label)
            texts += shown(at, f"{who} {page}/{label}")
    return texts


def form_with(at: AppTest, *labels: str) -> Any:
    """The form whose submit button has one of ``labels``."""
    return next(f for f in at.get("form") if any(b.label in labels for b in f.button))


def _validation_problems(at: AppTest) -> list[tuple[str, str]]:
    """Refused edits: an availability window that ends before it starts, a request time
    that is no time, a bad sheet and a broken scenario file, a new request that ends before
    it begins."""
    texts: list[tuple[str, str]] = []
    goto(at, "beschikbaarheid")
    open_tab(at, "avail-tab", "Tabellen")
    edit(at, editor_key(at, "avail-win-"), {0: {"Tot": "07:00"}})
    assert at.error, "the bad window is refused"
    texts += shown(at, "availability edit")
    goto(at, "aanvragen")
    edit(at, editor_key(at, "edit-requests-"), {0: {"Tijd van": "25:00"}})
    assert at.error, "the bad request is refused"
    texts += shown(at, "request edit")
    open_tab(at, "requests-tab", "Importeren")
    sheet = (
        b"Id;Jongere;Rollen;Duur (min);Vanaf;Kleur\n"
        b"R-950;Y-NOPE;paardrijden;een uur;31-02-2026;rood\n"
    )
    at.file_uploader(key="upload-sheet").set_value(("fout.csv", sheet, "text/csv"))
    at.run()
    assert at.error
    texts += shown(at, "sheet with an unknown column")
    sheet = b"Id;Jongere;Rollen;Duur (min);Vanaf\nR-950;Y-NOPE;paardrijden;een uur;31-02-2026\n"
    at.file_uploader(key="upload-sheet").set_value(("fout.csv", sheet, "text/csv"))
    at.run()
    assert at.error
    texts += shown(at, "sheet with bad rows")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="upload-sheet").set_value(("kapot.xlsx", b"geen excel", xlsx))
    at.run()
    assert at.error
    texts += shown(at, "sheet that cannot be read")
    broken = (
        b"format: 1\nname: kapot\nweek: 2026-W99\nproviders: x\nconsultants: []\n"
        b"locations: []\nyouths: []\nrequests: [{id: R-1, youth: Y, duration_minutes: 0}]\n"
    )
    at.file_uploader(key="upload-scenario").set_value(("kapot.yaml", broken, "text/yaml"))
    at.run()
    assert at.error
    texts += shown(at, "broken scenario file")
    open_tab(at, "requests-tab", "Aanvragen")
    form = form_with(at, "Controleren")
    at.date_input(key="new-from").set_value(pd.Timestamp("2026-12-04").date())
    at.date_input(key="new-to").set_value(pd.Timestamp("2026-11-30").date())
    form.button[0].click()
    at.run()
    assert at.error, "a new request that ends before it begins is refused"
    texts += shown(at, "new request")
    return texts


def _hand_moves(at: AppTest) -> list[tuple[str, str]]:
    """A refused hand move (no consultant chosen) and an open request (a visit taken out
    of the plan), then the pages that show them."""
    texts: list[tuple[str, str]] = []
    goto(at, "planning")
    open_tab(at, "planning-tab", "Aanpassen")
    at.button(key="unplan").click()
    at.run()
    assert at.success, "the visit is taken out of the plan"
    texts += shown(at, "unplanned")
    form = form_with(at, "Verplaatsen", "Inplannen")
    form.multiselect[0].set_value([])
    form.button[0].click()
    at.run()
    assert at.error, "a move without a consultant is refused"
    texts += shown(at, "refused hand move")
    return texts


def test_no_english_on_the_login_page(db: str) -> None:  # noqa: F811
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.text_input(key="login-user").input("regisseur")
    at.text_input(key="login-password").input("fout")
    at.button(key="login-submit").click()
    at.run()
    assert at.error, "a wrong password is refused"
    hits = english_in(shown(at, "login"))
    assert not hits, "\n".join(hits)


def test_no_english_on_any_page_for_the_ketenregisseur(db: str) -> None:  # noqa: F811
    at = open_app()
    texts = every_page(at, "ketenregisseur")
    texts += _validation_problems(at)
    texts += _hand_moves(at)
    engine = get_engine(db)
    try:
        plan = storage.latest_plan(engine, round_id(db))
    finally:
        engine.dispose()
    assert plan is not None and plan.unassigned, "an open request is on screen"
    texts += every_page(at, "ketenregisseur, with an open request")
    assert len(texts) > 200
    hits = english_in(texts)
    assert not hits, "\n".join(hits[:20])


def test_no_english_on_any_page_for_a_provider(db: str) -> None:  # noqa: F811
    at = open_app(role="fier")
    texts = every_page(at, "fier", PAGES)
    goto(at, "beschikbaarheid")
    open_tab(at, "avail-tab", "Tabellen")
    edit(at, editor_key(at, "avail-win-"), {0: {"Tot": "07:00"}})
    assert at.error
    texts += shown(at, "fier availability edit")
    hits = english_in(texts)
    assert not hits, "\n".join(hits[:20])


def test_a_move_the_checker_refuses_is_dutch(db: str) -> None:  # noqa: F811
    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    refused = False
    texts: list[tuple[str, str]] = []
    for start in ("03:00", "23:00"):
        form = form_with(at, "Verplaatsen", "Inplannen")
        form.text_input[0].input(start)
        form.button[0].click()
        at.run()
        if at.error:
            refused = True
            texts += shown(at, f"move to {start}")
    assert refused
    hits = english_in(texts)
    assert not hits, "\n".join(hits[:20])
