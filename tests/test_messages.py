"""The message tables: every code in both languages, rendered with sample parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.messages import Message, placeholders, render
from matcher.messages.text_en import TEXT as EN
from matcher.messages.text_nl import TEXT as NL

#: Codes whose Dutch text may equal the English one (ids or numbers only).
SAME_IN_BOTH: set[str] = {"semi_pair"}  # "a; b" joins two parts of a reason


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
