"""Tests of matcher.scenario.problems: messages are safe to print, log and show."""

from __future__ import annotations

import time

from matcher.messages import Message
from matcher.scenario.problems import Problem, markdown_safe, show


def test_control_characters_are_escaped_everywhere() -> None:
    p = Problem(
        "a\nb.yaml",
        "requests[0].id\x1b",
        Message("not_an_id", value='bad "R-1\r\nINFO forged"'),
        Message("allow_fill_roles", roles="x\u202ey"),
    )
    for text in (str(p), p.text("nl")):
        assert text.isprintable()
        assert "a\\nb.yaml" in text and "\\x1b" in text and "\\r\\n" in text and "\\u202e" in text
    assert p.what("nl").isprintable() and p.hint("nl").isprintable()


def test_a_problem_is_a_code_rendered_in_english_and_dutch() -> None:
    p = Problem(
        "s.yaml", "requests[3].earliest", Message("not_a_date", value='"x"'), Message("allow_date")
    )
    assert p.code == "not_a_date" and p.params == {"value": '"x"'}
    assert str(p) == 's.yaml: requests[3].earliest: "x" is not a date; allowed: a date YYYY-MM-DD'
    assert p.text("nl") == (
        's.yaml: requests[3].earliest: "x" is geen datum; toegestaan: een datum JJJJ-MM-DD'
    )
    assert p.text("nl", file=False).startswith("requests[3].earliest: ")


def test_show_quotes_escapes_and_shortens() -> None:
    assert show("R-1") == '"R-1"'
    assert show("a\x1b[2Jb") == '"a\\x1b[2Jb"'
    assert len(show("x" * 500)) == 80 and show("x" * 500).endswith("...")
    assert show([1, "a", {"k": None}]) == '[1, "a", {"k": None}]'


def test_show_of_a_huge_shared_structure_is_quick() -> None:
    value: list[object] = ["lol"] * 10
    for _ in range(30):  # 10**30 leaves when expanded, as a YAML alias bomb builds it
        value = [value] * 10
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    t0 = time.perf_counter()
    assert show(value).startswith("[[[[")
    assert len(show(deep)) <= 80
    assert time.perf_counter() - t0 < 0.1


def test_markdown_safe_shows_text_as_written() -> None:
    assert markdown_safe("[klik](https://x) *vet* <b>") == "\\[klik\\](https://x) \\*vet\\* \\<b\\>"
    assert markdown_safe("requests[0].youth: a_b") == "requests\\[0\\].youth: a\\_b"
