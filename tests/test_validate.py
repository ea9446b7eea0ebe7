"""Every validation rule has a failing example in tests/bad_scenarios/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from matcher.loader import load_scenario, parse_scenario
from matcher.problems import ScenarioError
from matcher.validate import validate_document

CORPUS = Path(__file__).parent / "bad_scenarios"
BAD_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))


def expectations(path: Path) -> list[tuple[str, str]]:
    """The ``# expect: path | text`` lines at the top of a corpus file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# expect: (.*?) \| (.*)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def test_corpus_is_large_and_annotated() -> None:
    assert len(BAD_FILES) >= 45
    for path in BAD_FILES:
        if path.suffix == ".yaml":
            assert expectations(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_scenario_is_refused_with_a_precise_problem(path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    texts = [str(p) for p in problems]
    for field, fragment in expectations(path):
        assert any(p.path.startswith(field) and fragment in str(p) for p in problems), (
            f"expected a problem at {field!r} mentioning {fragment!r}, got {texts}"
        )
    for p in problems:
        assert p.file == str(path), "every problem names the file"
        assert p.allowed, f"every problem says what is allowed: {p}"


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(CORPUS / "many-errors.yaml")
    assert len(info.value.problems) == 4


def test_problem_names_file_path_value_and_allowed() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(CORPUS / "end-before-start.yaml")
    (problem,) = info.value.problems
    text = str(problem)
    assert text.startswith(str(CORPUS / "end-before-start.yaml"))
    assert "consultants[2].availability[0].end" in text
    assert '"08:00"' in text and "allowed:" in text


def test_example_loads_with_defaults(example_path: Path) -> None:
    s = load_scenario(example_path)
    assert s.days == tuple(dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5))
    assert s.timezone == "Europe/Amsterdam"
    assert s.travel.speed_kmh == 60 and s.travel.detour_factor == 1.3
    assert dict(s.urgency_factors) == {"low": 1, "normal": 2, "high": 4, "crisis": 8}
    r1 = s.request("R-1")
    assert r1.roles == (frozenset({"loverboy-trauma", "vrouw"}),)
    assert (r1.earliest, r1.latest) == (s.days[0], s.days[-1])
    assert s.request("R-3").earliest == dt.date(2026, 11, 24)
    assert s.request("R-5").is_joint
    assert s.youth("Y-2026-014").urgency == "normal"
    assert s.location("L-GH-VENLO").confidential is True
    assert s.location("L-GH-VENLO").open is None
    assert s.consultant("C-XON-2").max_visits_per_day is None


def minimal(**over: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "format": 1,
        "name": "t",
        "week": "2026-W48",
        "providers": [{"id": "p", "name": "P"}],
        "consultants": [],
        "locations": [],
        "youths": [],
        "requests": [],
    }
    doc.update(over)
    return doc


def test_days_override_week() -> None:
    s = validate_document(minimal(days=["2026-11-25", "2026-11-23"]))
    assert s.days == (dt.date(2026, 11, 23), dt.date(2026, 11, 25))


def test_skills_shorthand_defaults_to_one_role_without_skills() -> None:
    doc = minimal(
        consultants=[
            {
                "id": "c",
                "provider": "p",
                "name": "N",
                "email": "n@x.example",
                "base": {"lat": 51, "lon": 6},
            }
        ],
        locations=[
            {"id": "l", "name": "L", "kind": "ambulant", "gemeente": "Venlo", "lat": 51, "lon": 6}
        ],
        youths=[{"id": "y", "location": "l", "gemeente": "Venlo", "signalled_on": "2026-11-20"}],
        requests=[{"id": "r", "youth": "y", "duration_minutes": 30}],
    )
    s = validate_document(doc)
    assert s.request("r").roles == (frozenset(),)


def test_unavailable_defaults_to_whole_day_and_splits_windows() -> None:
    doc = minimal(
        consultants=[
            {
                "id": "c",
                "provider": "p",
                "name": "N",
                "email": "n@x.example",
                "base": {"lat": 51, "lon": 6},
                "availability": [
                    {"weekday": "mon", "start": "09:00", "end": "17:00"},
                    {"weekday": "tue", "start": "09:00", "end": "17:00"},
                ],
                "unavailable": [
                    {"date": "2026-11-23"},
                    {"date": "2026-11-24", "start": "12:00", "end": "13:00"},
                ],
            }
        ]
    )
    s = validate_document(doc)
    tours = [(t.date.day, t.start, t.end) for t in s.tours()]
    assert tours == [(24, 540, 720), (24, 780, 1020)]


def test_parse_scenario_reports_source_name() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario({"format": 1}, "memo.yaml")
    assert all(p.file == "memo.yaml" for p in info.value.problems)
    paths = {p.path for p in info.value.problems}
    assert {"name", "providers", "consultants", "locations", "youths", "requests"} <= paths


def test_not_a_mapping() -> None:
    with pytest.raises(ScenarioError) as info:
        validate_document(["a", "list"], "x.yaml")
    assert "a mapping" in str(info.value)
