"""The message tables: every code in both languages, rendered with sample parameters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from matcher.messages import Message, placeholders, render
from matcher.messages.text_en import TEXT as EN
from matcher.messages.text_nl import TEXT as NL

#: Codes whose Dutch text may equal the English one (ids or numbers only).
SAME_IN_BOTH: set[str] = {
    "semi_pair",  # "a; b" joins two parts of a reason
    "problem_line",  # "{where}: {what}"
    "consultant_skills",  # "{consultant}: {skills}"
    "entity_consultant",  # "consultant {id}"
    "entity_other",  # "{kind} {id}"
    "urgency_crisis",  # "crisis" is Dutch too
}


def test_both_tables_have_the_same_codes() -> None:
    assert sorted(set(EN) - set(NL)) == [], "codes without a Dutch text"
    assert sorted(set(NL) - set(EN)) == [], "Dutch texts without an English code"


@pytest.mark.parametrize("code", sorted(EN))
def test_every_code_renders_in_both_languages(code: str) -> None:
    names = placeholders(EN[code])
    assert placeholders(NL.get(code, "")) == names, f"{code}: placeholders differ"
    msg = Message(code, **{name: f"<{name}>" for name in names})
    en, nl = render(msg, "en"), render(msg, "nl")
    assert en and nl
    for name in names:
        assert f"<{name}>" in en and f"<{name}>" in nl
    if code not in SAME_IN_BOTH:
        assert en != nl, f"{code}: the Dutch text is the English one"


def test_values_are_formatted_per_language() -> None:
    msg = Message("x", date=dt.date(2026, 12, 2), window=(600, 690), hours=40.5, ids=["A", "B"])
    table = {"x": "{date} {window} {hours} {ids}"}
    import matcher.messages as m

    original = m._table
    m._table = lambda lang: table  # type: ignore[assignment]
    try:
        assert render(msg, "en") == "2026-12-02 10:00-11:30 40.5 A, B"
        assert render(msg, "nl") == "02-12-2026 10:00-11:30 40,5 A, B"
    finally:
        m._table = original  # type: ignore[assignment]


def test_an_unknown_code_is_an_error() -> None:
    with pytest.raises(KeyError):
        Message("no_such_code").render("nl")


def test_messages_are_values() -> None:
    a, b = Message("solver_status_feasible"), Message("solver_status_feasible")
    assert a == b and hash(a) == hash(b)
    assert str(a) == EN["solver_status_feasible"]


def _codes_in_source() -> set[str]:
    """The message codes written as literals in the package's source."""
    root = Path(__file__).resolve().parent.parent / "matcher"
    patterns = (
        r'Message\(\s*"([a-z0-9_]*[a-z0-9])"',  # "full_day_" + a weekday is built from a name
        r'\b_nl\(\s*"([a-z0-9_]+)"',
        r'\b_refused\([^,]+,\s*"([a-z0-9_]+)"',
        r'\.add\(\s*[^,()]+,\s*"([a-z0-9_]+)"',
        r'"(allow_[a-z0-9_]+)"',
    )
    used: set[str] = set()
    for path in root.rglob("*.py"):
        if path == root / "messages" / "__init__.py":
            continue  # its docstring's example is a reason code of the rules
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            used.update(re.findall(pattern, text))
    return used


def test_every_code_the_source_uses_is_in_the_tables() -> None:
    used = _codes_in_source()
    assert len(used) > 150, "the scan finds the codes"
    assert "not_a_date" in used and "hand_move_no_consultant" in used
    assert sorted(used - set(EN)) == []


@pytest.mark.parametrize(
    "code",
    [f"duplicate_{k}_id" for k in ("provider", "consultant", "location", "youth", "request")]
    + [f"allow_{k}_id_once" for k in ("provider", "consultant", "location", "youth", "request")]
    + ["matrix_unknown_from_point", "matrix_unknown_to_point"]
    + [f"entity_{k}" for k in ("consultant", "location", "youth", "request")]
    + [f"solver_status_{s}" for s in ("optimal", "feasible", "infeasible", "unknown")]
    + [f"urgency_{u}" for u in ("low", "normal", "high", "crisis")]
    + [f"weekday_key_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    + [f"weekday_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    + [f"full_day_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
)
def test_codes_built_from_a_name_are_in_the_tables(code: str) -> None:
    assert code in EN and code in NL


@pytest.mark.parametrize("module", ["text_en", "text_nl"])
def test_no_code_is_written_twice(module: str) -> None:
    """A dict literal keeps the last of two equal keys silently (two blocks, one code)."""
    import ast

    path = Path(__file__).resolve().parent.parent / "matcher" / "messages" / f"{module}.py"
    (table,) = [
        n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Dict)
    ]
    keys = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(table.keys) > 100
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
