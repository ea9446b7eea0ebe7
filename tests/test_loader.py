"""Reading YAML and JSON: unquoted times, malformed files, duplicate keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.loader import load_document, load_scenario, parse_text
from matcher.problems import ScenarioError


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
