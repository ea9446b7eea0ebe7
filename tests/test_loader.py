"""Reading YAML and JSON: unquoted times, malformed files, duplicate keys."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from matcher.scenario.loader import load_document, load_scenario, parse_text
from matcher.scenario.problems import ScenarioError


def test_unquoted_times_are_read_as_written(tmp_path: Path, example_path: Path) -> None:
    text = example_path.read_text().replace('"09:00"', "09:00").replace('"13:00"', "13:00")
    assert "start: 09:00" in text
    (tmp_path / "s.yaml").write_text(text)
    s = load_scenario(tmp_path / "s.yaml")
    fier = s.consultant("C-FIER-1")
    assert fier.availability[0].start == 9 * 60
    assert fier.availability[1].end == 13 * 60


def test_unquoted_single_digit_hour_is_a_time_not_base_60() -> None:
    assert parse_text("t: 9:30") == {"t": "9:30"}
    assert parse_text("n: 12") == {"n": 12}
    assert parse_text("f: 1.5") == {"f": 1.5}


def test_json_and_yaml_give_the_same_scenario(tmp_path: Path, example_path: Path) -> None:
    doc = load_document(example_path)
    (tmp_path / "s.json").write_text(json.dumps(doc, default=str))
    assert load_scenario(tmp_path / "s.json") == load_scenario(example_path)


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("format: 1\nname: [oops\nweek: 2026-W48\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "bad.yaml")
    (problem,) = info.value.problems
    assert problem.file.endswith("bad.yaml")
    assert problem.path.startswith("line 3, column")


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{\n "format": 1,\n "name": "x",\n}\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "bad.json")
    assert info.value.problems[0].path == "line 4, column 1"


def test_duplicate_yaml_key_is_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_text("name: a\nname: b\n", "d.yaml")
    assert "appears twice" in str(info.value)
    assert "line 2" in info.value.problems[0].path


def test_missing_file() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("/no/such/file.yaml")
    assert "file not found" in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "x.yaml")
    assert "UTF-8" in str(info.value)


# Hostile input (issue 10) -------------------------------------------------------------------

CORPUS = Path(__file__).parent / "bad_scenarios"
ABUSE = [
    "alias-bomb.yaml",
    "recursive-alias.yaml",
    "deep-nesting.yaml",
    "deep-nesting.json",
    "list-as-key.yaml",
    "impossible-date-unquoted.yaml",
    "duplicate-key.json",
    "huge-number.json",
]


@pytest.mark.parametrize("name", ABUSE)
def test_parser_abuse_is_refused_quickly_and_in_little_memory(name: str) -> None:
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(ScenarioError) as info:
            load_scenario(CORPUS / name)
        took = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert took < 2.0, f"{took:.2f} s"
    assert peak < 500 * 2**20, f"{peak / 2**20:.0f} MB"
    where = info.value.problems[0].path
    assert where.startswith("line ") or "." in where, f"no line or field path: {where!r}"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_hundred_thousand_deep_nesting_names_the_line(tmp_path: Path, suffix: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = f'{{"format": 1, "name": {deep}}}' if suffix == ".json" else f"format: 1\nname: {deep}\n"
    (tmp_path / f"deep{suffix}").write_text(text)
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_document(tmp_path / f"deep{suffix}")
    assert time.perf_counter() - t0 < 2.0
    (problem,) = info.value.problems
    assert problem.path.startswith("line 1, column " if suffix == ".json" else "line 2, column ")
    assert "nested more than 100 levels deep" in problem.what()
    assert problem.code in ("nested_too_deep", "json_nested_too_deep")


def test_duplicate_json_key_names_key_and_line() -> None:
    text = '{\n "a": 1,\n "b": {"c": true,\n       "c": false}\n}'
    with pytest.raises(ScenarioError) as info:
        parse_text(text, "x.json", is_json=True)
    (problem,) = info.value.problems
    assert problem.path == "line 4, column 8"
    assert 'the key "c" appears twice' in problem.what()
    assert problem.code == "duplicate_key"
    assert 'de sleutel "c" komt twee keer voor' in problem.what("nl")
    same_key_apart = '{"x": {"c": 1}, "y": {"c": 2}, "c": 3}'
    assert parse_text(same_key_apart, is_json=True)["y"] == {"c": 2}


def test_escaped_duplicate_json_key_is_found() -> None:
    with pytest.raises(ScenarioError, match='the key "ab" appears twice'):
        parse_text('{"ab": 1, "a\\u0062": 2}', is_json=True)


def test_aliases_within_reason_are_accepted() -> None:
    doc = parse_text("w: &w {start: '09:00', end: '17:00'}\nx: [*w, *w, *w]\n")
    assert doc["x"][2] == {"start": "09:00", "end": "17:00"}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_byte_order_mark_is_accepted(tmp_path: Path, example_path: Path, suffix: str) -> None:
    doc = load_document(example_path)
    body = json.dumps(doc, default=str) if suffix == ".json" else example_path.read_text()
    (tmp_path / f"s{suffix}").write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert load_scenario(tmp_path / f"s{suffix}") == load_scenario(example_path)


def test_file_larger_than_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matcher.scenario.loader

    monkeypatch.setattr(matcher.scenario.loader, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.yaml").write_text("name: " + "x" * 200)
    with pytest.raises(ScenarioError, match="larger than"):
        load_document(tmp_path / "big.yaml")
