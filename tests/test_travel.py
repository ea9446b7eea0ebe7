"""Travel minutes per FORMAT.md, checked against distances between real towns."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from matcher.scenario.loader import load_scenario
from matcher.travel import (
    TravelMatrix,
    TravelMatrixError,
    build_travel_matrix,
    haversine_km,
    minutes_matrix,
    read_matrix_csv,
)

MAASTRICHT = (50.8514, 5.6910)
HEERLEN = (50.8882, 5.9795)
VENLO = (51.3704, 6.1724)


def law_of_cosines_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """An independent great-circle formula (spherical law of cosines), radius 6371.0 km."""
    p1, l1, p2, l2 = map(math.radians, (*a, *b))
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(l2 - l1)
    return 6371.0 * math.acos(min(1.0, c))


@pytest.mark.parametrize(
    ("a", "b", "km_low", "km_high"),
    [
        (MAASTRICHT, HEERLEN, 20.5, 21.0),
        (MAASTRICHT, VENLO, 66.5, 67.0),
        (HEERLEN, VENLO, 55.0, 56.0),
    ],
)
def test_haversine_matches_real_town_distances(
    a: tuple[float, float], b: tuple[float, float], km_low: float, km_high: float
) -> None:
    """Hand computation (equirectangular at mid-latitude) gives 20.6, 66.8 and 55.3 km."""
    km = haversine_km(*a, *b)
    assert km_low < km < km_high
    assert km == pytest.approx(law_of_cosines_km(a, b), abs=1e-6)


def test_minutes_are_rounded_up_with_detour_and_speed() -> None:
    km = law_of_cosines_km(MAASTRICHT, VENLO)
    expected = math.ceil(km * 1.3 / 60 * 60)
    m = minutes_matrix([MAASTRICHT[0], VENLO[0]], [MAASTRICHT[1], VENLO[1]], 60, 1.3)
    assert m[0, 1] == m[1, 0] == expected == 87
    slow = minutes_matrix([MAASTRICHT[0], VENLO[0]], [MAASTRICHT[1], VENLO[1]], 40, 1.5)
    assert slow[0, 1] == math.ceil(km * 1.5 / 40 * 60)


def test_same_coordinates_are_zero_apart() -> None:
    m = TravelMatrix.from_points(["a", "b"], [50.9, 50.9], [5.9, 5.9])
    assert m("a", "b") == 0 and m("b", "a") == 0 and m("a", "a") == 0


def test_example_scenario_matrix(example_path: Path) -> None:
    s = load_scenario(example_path)
    tm = build_travel_matrix(s)
    assert set(tm.ids) == {loc.id for loc in s.locations} | {f"base:{c.id}" for c in s.consultants}
    km = law_of_cosines_km(MAASTRICHT, (50.8390, 5.7470))
    assert tm("base:C-FIER-1", "L-JZP-CADIER") == math.ceil(km * 1.3)
    assert (np.diag(tm.minutes) == 0).all()


def test_overrides_apply_in_the_listed_direction_only(tmp_path: Path, example_path: Path) -> None:
    (tmp_path / "m.csv").write_text("from,to,minutes\nL-GH-VENLO,base:C-XON-2,42\n")
    text = example_path.read_text().replace("format: 1", "format: 1\ntravel: {matrix: m.csv}")
    (tmp_path / "s.yaml").write_text(text)
    s = load_scenario(tmp_path / "s.yaml")
    tm = build_travel_matrix(s)
    assert tm("L-GH-VENLO", "base:C-XON-2") == 42
    computed = build_travel_matrix(load_scenario(example_path))
    assert tm("base:C-XON-2", "L-GH-VENLO") == computed("base:C-XON-2", "L-GH-VENLO") != 42


def test_malformed_matrix_lists_every_bad_row(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("from,to,minutes\na,b,5\na,b,x\nc,d\ne,f,-1\n")
    with pytest.raises(TravelMatrixError) as info:
        read_matrix_csv(p)
    where = [w for w, _, _ in info.value.problems]
    assert where == ["line 3.minutes", "line 4", "line 5.minutes"]


def test_missing_matrix_file(tmp_path: Path) -> None:
    with pytest.raises(TravelMatrixError):
        read_matrix_csv(tmp_path / "nope.csv")


def test_two_thousand_points_vectorised_matches_scalar() -> None:
    rng = np.random.default_rng(7)
    lats = rng.uniform(50.7, 51.8, 2000)
    lons = rng.uniform(5.6, 6.2, 2000)
    m = minutes_matrix(lats, lons, 60, 1.3)
    assert m.shape == (2000, 2000)
    for i, j in [(0, 1), (5, 1999), (1234, 17)]:
        km = haversine_km(lats[i], lons[i], lats[j], lons[j])
        assert m[i, j] == math.ceil(km * 1.3)


def test_matrix_file_is_confined_to_the_folder(tmp_path: Path) -> None:
    import os

    from matcher.travel import matrix_file

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.csv").write_text("from,to,minutes\n")
    assert matrix_file("sub/m.csv", tmp_path) == (tmp_path / "sub" / "m.csv").resolve()
    assert matrix_file("sub/../sub/m.csv", tmp_path).name == "m.csv"
    os.mkfifo(tmp_path / "pipe.csv")
    for name, what in [
        ("/etc/passwd", "is an absolute path"),
        ("../m.csv", "leads outside the scenario's folder"),
        ("pipe.csv", "is not a regular file"),
        ("sub", "is not a regular file"),
        ("nope.csv", "no such file"),
    ]:
        with pytest.raises(TravelMatrixError) as info:
            matrix_file(name, tmp_path)
        assert str(info.value.problems[0][1]) == what, name
        assert info.value.problems[0][1].render("nl") != what, name


def test_matrix_problems_never_repeat_the_file() -> None:
    from matcher.travel import parse_matrix_csv

    with pytest.raises(TravelMatrixError) as info:
        parse_matrix_csv(b"root:x:0:0:root:/root:/bin/bash\n")
    assert "root" not in str(info.value)
    with pytest.raises(TravelMatrixError) as info:
        parse_matrix_csv(b"from,to,minutes\na,b,geheim\nc,d,1e9\n\x00")
    assert "geheim" not in str(info.value)
