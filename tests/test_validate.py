"""Every validation rule has a failing example in tests/bad_scenarios/."""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import time
from pathlib import Path

import pytest

from matcher.scenario.domain import WEEKDAYS, Window
from matcher.scenario.loader import load_scenario, parse_scenario
from matcher.scenario.problems import ScenarioError, escape
from matcher.scenario.validate import _check_overlaps, _Checker, validate_document

CORPUS = Path(__file__).parent / "bad_scenarios"
SECRET_ADDRESS = "Nieuwstraat 74"  # planted in the hostile corpus files (make_corpus.py)
BAD_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))


def expectations(path: Path) -> list[tuple[str, str]]:
    """The ``# expect: path | text`` lines at the top of a corpus file (JSON: ``<name>.expect``)."""
    source = path.with_suffix(".expect") if path.suffix == ".json" else path
    out = []
    for line in source.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# expect: (.*?) \| (.*)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def test_corpus_is_large_and_annotated() -> None:
    assert len(BAD_FILES) >= 75
    for path in BAD_FILES:
        assert expectations(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_scenario_is_refused_with_a_precise_problem(path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    texts = [str(p) for p in problems]
    for field, fragment in expectations(path):
        assert any(escape(p.path).startswith(field) and fragment in str(p) for p in problems), (
            f"expected a problem at {field!r} mentioning {fragment!r}, got {texts}"
        )
    for p in problems:
        assert p.file == str(path), "every problem names the file"
        assert p.allowed, f"every problem says what is allowed: {p}"
        assert str(p).isprintable(), f"a control character is printed raw: {p!r}"
        assert SECRET_ADDRESS not in str(p), f"an address is repeated: {p}"


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_scenario_problems_render_in_dutch(path: Path) -> None:
    """Every problem is a code of the message tables: the Dutch text has no English frame."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    for p in info.value.problems:
        nl = p.text("nl")
        assert nl != str(p), f"{p.code} is not translated: {nl}"
        assert "; allowed:" not in nl and "toegestaan:" in nl
        assert nl.isprintable() and SECRET_ADDRESS not in nl


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


# Hostile input (issue 10) -------------------------------------------------------------------


def test_matrix_content_is_never_repeated() -> None:
    for name in ("matrix-not-a-matrix", "matrix-outside-folder", "matrix-huge-minutes"):
        with pytest.raises(ScenarioError) as info:
            load_scenario(CORPUS / f"{name}.yaml")
        text = str(info.value)
        assert "Adres" not in text and "root:" not in text and "99999" not in text, text


def test_matrix_symlink_out_of_the_folder_is_refused(tmp_path: Path, example_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,5\n")
    folder = tmp_path / "week"
    folder.mkdir()
    (folder / "m.csv").symlink_to(outside)
    text = example_path.read_text().replace("format: 1", "format: 1\ntravel: {matrix: m.csv}")
    (folder / "s.yaml").write_text(text)
    with pytest.raises(ScenarioError, match="leads outside the scenario's folder"):
        load_scenario(folder / "s.yaml")
    (folder / "sub").mkdir()
    (folder / "sub" / "m.csv").write_text(outside.read_text())
    (folder / "s.yaml").write_text(text.replace("m.csv", "sub/m.csv"))
    assert load_scenario(folder / "s.yaml").travel.overrides == (
        ("L-GH-VENLO", "L-RES-ROERMOND", 5),
    )


def test_matrix_larger_than_the_cap_is_not_read(
    tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matcher.travel

    monkeypatch.setattr(matcher.travel, "MAX_MATRIX_BYTES", 1000)
    (tmp_path / "m.csv").write_text("from,to,minutes\n" + "L-GH-VENLO,L-RES-ROERMOND,5\n" * 50)
    text = example_path.read_text().replace("format: 1", "format: 1\ntravel: {matrix: m.csv}")
    (tmp_path / "s.yaml").write_text(text)
    with pytest.raises(ScenarioError, match="is too large; allowed: a CSV file of at most"):
        load_scenario(tmp_path / "s.yaml")


def test_an_unfiled_document_reads_its_matrix_only_from_the_uploaded_files(
    example_path: Path,
) -> None:
    from matcher.scenario.loader import load_document

    doc = load_document(example_path)
    doc["travel"] = {"matrix": "week.travel.csv"}
    with pytest.raises(ScenarioError, match="the scenario is not a file"):
        validate_document(doc, "<upload>")
    with pytest.raises(ScenarioError, match="was not uploaded"):
        validate_document(doc, "week.yaml", files={})
    csv = b"from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,7\n"
    s = validate_document(doc, "week.yaml", files={"week.travel.csv": csv})
    assert s.travel.overrides == (("L-GH-VENLO", "L-RES-ROERMOND", 7),)
    assert s.travel.matrix is None


def test_an_empty_week_is_valid(example_path: Path) -> None:
    from matcher.scenario.loader import load_document

    doc = load_document(example_path)
    doc["requests"] = []
    assert validate_document(doc).requests == ()
    doc = load_document(example_path)
    doc["consultants"] = []
    for youth in doc["youths"]:
        youth.pop("previous_consultant", None)
        youth.pop("excluded_consultants", None)
    for req in doc["requests"]:
        req.pop("pinned", None)
    assert validate_document(doc).consultants == ()


def _overlapping_pairs(windows: list[tuple[int, Window]]) -> set[int]:
    """The windows listed after one they overlap on the same day (the pairwise definition)."""

    out = set()
    for a, (_, wa) in enumerate(windows):
        for ib, wb in windows[a + 1 :]:
            same = (
                (wa.date is not None and wa.date == wb.date)
                or (wa.weekday is not None and wa.weekday == wb.weekday)
                or (wa.date is not None and wb.weekday == WEEKDAYS[wa.date.weekday()])
                or (wb.date is not None and wa.weekday == WEEKDAYS[wb.date.weekday()])
            )
            if same and wa.start < wb.end and wb.start < wa.end:
                out.add(ib)
    return out


def test_overlap_check_finds_what_the_pairwise_check_finds() -> None:
    rng = random.Random(5)
    monday = dt.date(2026, 11, 23)
    for _ in range(2000):
        windows = []
        for i in range(rng.randint(0, 10)):
            start = rng.randint(0, 22) * 60
            end = min(1440, start + rng.randint(1, 6) * 60)
            if rng.random() < 0.5:
                day = monday + dt.timedelta(days=rng.randint(0, 9))
                windows.append((i, Window(start=start, end=end, date=day, weekday=None)))
            else:
                wd = rng.choice(WEEKDAYS[:3])
                windows.append((i, Window(start=start, end=end, date=None, weekday=wd)))
        checker = _Checker("f")
        _check_overlaps(checker, windows, "w")
        reported = {int(p.path[2:-1]) for p in checker.problems}
        assert reported == _overlapping_pairs(windows)


def test_twenty_thousand_dated_windows_validate_in_linear_time(example_path: Path) -> None:
    from matcher.scenario.loader import load_document

    doc = load_document(example_path)
    first = dt.date(2026, 1, 1)
    doc["consultants"][0]["availability"] = [
        {"date": (first + dt.timedelta(days=i)).isoformat(), "start": "09:00", "end": "17:00"}
        for i in range(20_000)
    ] + [{"weekday": "tue", "start": "17:00", "end": "18:00"}]
    doc["requests"] += [
        {
            "id": f"R-PIN-{i}",
            "youth": "Y-2026-011",
            "skills": ["emdr"],
            "duration_minutes": 30,
            "pinned": {"consultants": ["C-FIER-1"], "date": "2026-11-24", "start": "10:00"},
        }
        for i in range(2_000)
    ]
    t0 = time.perf_counter()
    s = validate_document(doc)
    took = time.perf_counter() - t0
    assert len(s.consultant("C-FIER-1").availability) == 20_001
    assert took < 10, f"{took:.1f} s (the pairwise check took 83 s)"


HOSTILE_VALUES: list[object] = [
    None,
    True,
    -1,
    0,
    1441,
    10**30,
    float("nan"),
    float("inf"),
    1e308,
    "",
    "\x00",
    "a\x1b[2J",
    "\ud800",
    [],
    {},
    [[]],
    {"a": 1},
    "2026-02-30",
    dt.date(1, 1, 1),
    dt.datetime(2026, 11, 24, 10),
    "24:00",
    "99:99",
    "mon",
    b"bytes",
    "C-XON-1",
    "2026-11-24",
    [["emdr"], ["lvb"]],
    {"consultants": ["C-XON-1"]},
    "../x.csv",
    "/dev/zero",
    "Europe",
]


def test_random_hostile_values_give_problems_never_a_crash(example_path: Path) -> None:
    from matcher.scenario.loader import load_document

    original = load_document(example_path)

    def paths(obj: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        out = [prefix] if prefix else []
        items = (
            obj.items()
            if isinstance(obj, dict)
            else enumerate(obj)
            if isinstance(obj, list)
            else ()
        )
        for key, value in items:
            out += paths(value, (*prefix, key))
        return out

    every = paths(original)
    rng = random.Random(10)
    for _ in range(500):
        doc = copy.deepcopy(original)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(every)
            target = doc
            try:
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change removed this path
        try:
            validate_document(doc, "x.yaml")
        except ScenarioError as exc:
            assert all(str(p).isprintable() and p.allowed for p in exc.problems)
