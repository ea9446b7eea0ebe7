"""The message tables: every code in both languages, rendered with sample parameters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from matcher.messages import Message, placeholders, render, rule_texts, table
from matcher.messages.text_en import TEXT as OWN_EN
from matcher.messages.text_nl import TEXT as OWN_NL

EN, NL = table("en"), table("nl")
ROOT = Path(__file__).resolve().parent.parent

#: Codes whose Dutch text may equal the English one (ids or numbers only).
SAME_IN_BOTH: set[str] = {
    "semi_pair",  # "a; b" joins two parts of a reason
    "problem_line",  # "{where}: {what}"
    "consultant_skills",  # "{consultant}: {skills}"
    "entity_consultant",  # "consultant {id}"
    "entity_other",  # "{kind} {id}"
    "urgency_crisis",  # "crisis" is Dutch too
    "agenda_with_later",  # "{text} {later}." joins two messages
    "sentence",  # "{parts}." ends a joined list of messages
}


def test_both_tables_have_the_same_codes() -> None:
    assert sorted(set(OWN_EN) - set(OWN_NL)) == [], "codes without a Dutch text"
    assert sorted(set(OWN_NL) - set(OWN_EN)) == [], "Dutch texts without an English code"
    assert set(EN) == set(NL) == set(OWN_EN) | set(rule_texts())


def test_the_rules_texts_are_in_the_tables() -> None:
    texts = rule_texts()
    assert len(texts) > 50 and "at_week_cap" in texts and "at_week_cap" not in OWN_EN
    for code, (en, nl) in texts.items():
        assert (EN[code], NL[code]) == (en, nl)
        assert en.strip() and nl.strip(), f"{code}: a text is empty"


def test_importing_the_messages_does_not_import_the_solver_or_ortools(tmp_path: Path) -> None:
    """Rendering reads the rules' texts (importing :mod:`matcher.rules`), not OR-Tools."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import matcher.messages as m\n"
        "before = sorted(x for x in ('ortools', 'matcher.solver', 'matcher.rules') "
        "if x in sys.modules)\n"
        "text = m.Message('skill_missing', skills='emdr').render('nl')\n"
        "print(before, 'ortools' in sys.modules, text)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[] False geen consultant heeft de emdr"


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


def _declared(path: Path, name: str) -> list[str]:
    """The keys of the dict literal assigned to ``name`` in the module at ``path``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    (table,) = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign | ast.AnnAssign)
        and isinstance(n.value, ast.Dict)
        and name
        in [
            t.id
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Name)
        ]
    ]
    keys = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(table.keys), f"{path.name}: every key is a literal"
    return keys


RULE_MODULES = sorted(
    p for p in (ROOT / "matcher" / "rules").glob("*.py") if p.stem not in {"__init__", "base"}
)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_code_is_written_twice(lang: str) -> None:
    """A dict literal keeps the last of two equal keys silently (two blocks, one code); a
    code in a rule module's ``TEXTS`` and in a table, or in two rule modules, is written
    twice too."""
    own = _declared(ROOT / "matcher" / "messages" / f"text_{lang}.py", "TEXT")
    assert len(own) > 100
    keys = list(own)
    for path in RULE_MODULES:
        declared = _declared(path, "TEXTS")
        assert declared, f"{path.name} declares no TEXTS"
        keys += declared
    assert len(keys) >= len(own) + 50
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_a_code_declared_twice_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collection refuses a rule code that a table or another rule has too."""
    import dataclasses

    import matcher.rules as rules

    caps = next(r for r in rules.HARD_RULES if r.name == "caps")
    twice = dataclasses.replace(caps, name="twice", texts={"at_week_cap": ("a", "b")})
    monkeypatch.setattr(rules, "HARD_RULES", (*rules.HARD_RULES, twice))
    with pytest.raises(ValueError, match=r"at_week_cap.*rule twice.*rule caps"):
        rule_texts.__wrapped__()
    in_table = dataclasses.replace(caps, name="own", texts={"not_a_date": ("a", "b")})
    monkeypatch.setattr(rules, "HARD_RULES", (in_table,))
    with pytest.raises(ValueError, match=r"not_a_date.*text_en"):
        rule_texts.__wrapped__()
