"""Writing scenarios back: load(write(s)) == s, times always quoted."""

from __future__ import annotations

import re
from pathlib import Path

from matcher.scenario.loader import load_scenario
from matcher.scenario.writer import dump_scenario, write_scenario


def test_round_trip_yaml_and_json(tmp_path: Path, example_path: Path) -> None:
    s = load_scenario(example_path)
    for name in ("s.yaml", "s.json"):
        write_scenario(s, tmp_path / name)
        assert load_scenario(tmp_path / name) == s


def test_times_are_quoted(example_path: Path) -> None:
    text = dump_scenario(load_scenario(example_path))
    assert not re.search(r":\s\d{1,2}:\d{2}\s*$", text, re.M), "an unquoted time was written"
    assert 'start: "09:00"' in text


def test_overrides_are_written_beside(tmp_path: Path, example_path: Path) -> None:
    (tmp_path / "m.csv").write_text("from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,33\n")
    text = example_path.read_text().replace("format: 1", "format: 1\ntravel: {matrix: m.csv}")
    (tmp_path / "in.yaml").write_text(text)
    s = load_scenario(tmp_path / "in.yaml")
    out = tmp_path / "out"
    out.mkdir()
    written = write_scenario(s, out / "copy.yaml", header="copy")
    assert [p.name for p in written] == ["copy.yaml", "copy.travel.csv"]
    assert (out / "copy.yaml").read_text().startswith("# copy\n")
    again = load_scenario(out / "copy.yaml")
    assert again == s and again.travel.overrides == (("L-GH-VENLO", "L-RES-ROERMOND", 33),)


def test_compact_leaves_out_only_what_the_loader_fills_in(example_path: Path) -> None:
    from matcher.scenario.generate import generate_scenario
    from matcher.scenario.loader import parse_scenario
    from matcher.scenario.writer import scenario_to_dict

    generated = parse_scenario(generate_scenario(5, 30, 6, pin_share=0.3, joint_share=0.3))
    for s in (load_scenario(example_path), generated):
        full, compact = scenario_to_dict(s), scenario_to_dict(s, compact=True)
        assert parse_scenario(compact) == s
        assert len(str(compact)) < len(str(full))  # something was left out
    written = scenario_to_dict(generated, compact=True)["locations"]
    assert [("confidential" in d) for d in written] == [
        not x.confidential for x in generated.locations
    ]
