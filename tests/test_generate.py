"""Tests of the scenario generator, the region data and the shipped scenario files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from matcher.scenario.generate import (
    DEMO_RATES,
    generate_scenario,
    load_municipalities,
    main_generate,
    scenario_yaml_text,
    write_scenario_yaml,
)
from matcher.scenario.loader import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
SHIPPED = sorted(SCENARIO_DIR.glob("*.yaml"))
GENERATED_FILES = [p for p in SHIPPED if p.name.startswith("limburg-")]
YOUTH_KEYS = {
    "id",
    "location",
    "gemeente",
    "signalled_on",
    "urgency",
    "previous_consultant",
    "excluded_consultants",
}
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a plain YAML 1.1 parser
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture(scope="module")
def week80() -> dict[str, Any]:
    """A generated week like the shipped one: 80 requests, 18 consultants."""
    return generate_scenario(7, 80, 18)


# An independent one-by-one feasibility check, written against FORMAT.md only --------------


def _hm(text: str) -> int:
    h, m = str(text).split(":")
    return int(h) * 60 + int(m)


def _drive(a: tuple[float, float], b: tuple[float, float], speed: float, detour: float) -> int:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
    return math.ceil(km * detour / speed * 60)


def _days(doc: dict[str, Any]) -> list[dt.date]:
    year, week = str(doc["week"]).split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return [monday + dt.timedelta(days=i) for i in range(5)]


def _windows(entries: list[dict[str, Any]], day: dt.date) -> list[tuple[int, int]]:
    out = []
    for w in entries:
        applies = (
            str(w["date"]) == day.isoformat()
            if "date" in w
            else w["weekday"] == WEEKDAYS[day.weekday()]
        )
        if applies:
            out.append((_hm(w["start"]), _hm(w["end"])))
    return sorted(out)


def _tour_windows(c: dict[str, Any], day: dt.date) -> list[tuple[int, int]]:
    wins = _windows(c.get("availability", []), day)
    for u in c.get("unavailable", []):
        if str(u["date"]) != day.isoformat():
            continue
        cut = (_hm(u.get("start", "00:00")), _hm(u.get("end", "24:00")))
        kept = []
        for s, e in wins:
            if cut[1] <= s or cut[0] >= e:
                kept.append((s, e))
                continue
            if s < cut[0]:
                kept.append((s, cut[0]))
            if cut[1] < e:
                kept.append((cut[1], e))
        wins = kept
    return wins


def _start_ranges(
    doc: dict[str, Any], req: dict[str, Any], c: dict[str, Any], youth: dict[str, Any]
) -> list[tuple[dt.date, int, int]]:
    """(day, earliest start, latest start) at which ``c`` alone could do ``req``."""
    loc = next(loc for loc in doc["locations"] if loc["id"] == youth["location"])
    travel = doc.get("travel", {})
    t = _drive(
        (c["base"]["lat"], c["base"]["lon"]),
        (loc["lat"], loc["lon"]),
        travel.get("speed_kmh", 60),
        travel.get("detour_factor", 1.3),
    )
    days = _days(doc)
    first = dt.date.fromisoformat(str(req.get("earliest", days[0])))
    last = dt.date.fromisoformat(str(req.get("latest", days[-1])))
    signalled = dt.date.fromisoformat(str(youth["signalled_on"]))
    tod = req.get("time_of_day")
    ts, te = (_hm(tod["start"]), _hm(tod["end"])) if tod else (0, 1440)
    pin = req.get("pinned") or {}
    dur = req["duration_minutes"]
    out = []
    for day in days:
        if not (first <= day <= last) or day < signalled:
            continue
        if "date" in pin and str(pin["date"]) != day.isoformat():
            continue
        opens = _windows(loc["open"], day) if "open" in loc else [(0, 1440)]
        for s, e in _tour_windows(c, day):
            for os_, oe in opens:
                lo, hi = max(s + t, os_, ts), min(e - t, oe, te) - dur
                if "start" in pin:
                    lo, hi = max(lo, _hm(pin["start"])), min(hi, _hm(pin["start"]))
                if lo <= hi:
                    out.append((day, lo, hi))
    return out


def feasible_alone(doc: dict[str, Any], req: dict[str, Any]) -> bool:
    """Whether some consultants could do ``req`` if it were the only request."""
    roles = req["roles"] if "roles" in req else [req.get("skills", [])]
    youth = next(y for y in doc["youths"] if y["id"] == req["youth"])
    excluded = set(youth.get("excluded_consultants", []))
    pinned = (req.get("pinned") or {}).get("consultants")
    people = [
        c
        for c in doc["consultants"]
        if c["id"] not in excluded and (pinned is None or c["id"] in pinned)
    ]
    per_role = [
        [
            (c["id"], _start_ranges(doc, req, c, youth))
            for c in people
            if set(role) <= set(c["skills"])
        ]
        for role in roles
    ]
    if len(roles) == 1:
        return any(ranges for _, ranges in per_role[0])
    assert len(roles) == 2, "the generator makes joint visits of two roles"
    for a, ra in per_role[0]:
        for b, rb in per_role[1]:
            if a == b:
                continue
            for d1, lo1, hi1 in ra:
                if any(d1 == d2 and max(lo1, lo2) <= min(hi1, hi2) for d2, lo2, hi2 in rb):
                    return True
    return False


def _feasible_share(doc: dict[str, Any]) -> float:
    reqs = doc["requests"]
    return sum(feasible_alone(doc, r) for r in reqs) / len(reqs)


# Determinism and sizes ---------------------------------------------------------------------


def test_same_seed_gives_identical_document() -> None:
    a = generate_scenario(11, 40, 9)
    b = generate_scenario(11, 40, 9)
    assert a == b
    assert scenario_yaml_text(a, "x") == scenario_yaml_text(b, "x")


def test_rates_price_the_providers_and_change_nothing_else() -> None:
    plain = generate_scenario(11, 40, 9)
    rated = generate_scenario(11, 40, 9, rates=DEMO_RATES)
    assert {p["id"]: (p["hourly_rate"], p["km_rate"]) for p in rated["providers"]} == DEMO_RATES
    assert all("hourly_rate" not in p for p in plain["providers"])
    assert {k: v for k, v in rated.items() if k != "providers"} == {
        k: v for k, v in plain.items() if k != "providers"
    }
    scenario = parse_scenario(rated)
    assert scenario.providers[0].hourly_rate == DEMO_RATES[scenario.providers[0].id][0]
    with pytest.raises(ValueError, match="unknown provider"):
        generate_scenario(11, 4, 3, rates={"nope": (1.0, None)})


def test_different_seed_gives_different_document() -> None:
    a = generate_scenario(11, 40, 9)
    b = generate_scenario(12, 40, 9)
    assert a["consultants"] != b["consultants"]
    assert a["requests"] != b["requests"]


@pytest.mark.parametrize(
    ("n_requests", "n_consultants", "region"),
    [(1, 1, "limburg"), (30, 8, "limburg"), (200, 40, "limburg"), (60, 12, "nl")],
)
def test_sizes_are_honoured(n_requests: int, n_consultants: int, region: str) -> None:
    doc = generate_scenario(3, n_requests, n_consultants, region)
    assert len(doc["requests"]) == n_requests
    assert len(doc["consultants"]) == n_consultants
    per_provider = [
        sum(c["provider"] == p["id"] for c in doc["consultants"]) for p in doc["providers"]
    ]
    assert max(per_provider) - min(per_provider) <= 1
    assert {p["name"] for p in doc["providers"]} == {"Fier", "Xonar", "SJSJ"}
    towns = {m.gemeente for m in load_municipalities(region)}
    assert {loc["gemeente"] for loc in doc["locations"]} <= towns


def test_generating_1000_requests() -> None:
    """Its speed is measured in bench/micro.py, not asserted here."""
    doc = generate_scenario(5, 1000, 200)
    assert len(doc["requests"]) == 1000


def test_switches_for_a_plain_vrp_comparison() -> None:
    doc = generate_scenario(4, 120, 24, joint_share=0, weekly_caps=False, pin_share=0)
    assert all("roles" not in r for r in doc["requests"])
    assert all("pinned" not in r for r in doc["requests"])
    assert all("max_visits_per_week" not in c for c in doc["consultants"])


def test_default_shares_give_joint_visits_and_pins() -> None:
    doc = generate_scenario(4, 200, 40)
    joint = [r for r in doc["requests"] if len(r.get("roles", [])) == 2]
    pins = [r for r in doc["requests"] if "pinned" in r]
    assert 14 <= len(joint) <= 20  # 10 % of 200, a few may fall back to one role
    assert 3 <= len(pins) <= 6  # 3 % of 200
    assert any("max_visits_per_week" in c for c in doc["consultants"])


# Content -------------------------------------------------------------------------------------


def test_generated_documents_load(tmp_path: Path) -> None:
    for k, (n, c, region) in enumerate([(30, 8, "limburg"), (120, 24, "limburg"), (60, 12, "nl")]):
        doc = generate_scenario(20 + k, n, c, region)
        scenario = parse_scenario(doc)
        assert len(scenario.requests) == n
        assert scenario.tours(), "consultants have tours"
        path = tmp_path / f"s{k}.yaml"
        write_scenario_yaml(doc, path, "a test scenario")
        assert load_scenario(path) == scenario
        jpath = tmp_path / f"s{k}.json"
        jpath.write_text(json.dumps(doc), encoding="utf-8")
        assert load_scenario(jpath) == scenario


def test_youths_carry_case_codes_and_no_names(week80: dict[str, Any]) -> None:
    for y in week80["youths"]:
        assert set(y) <= YOUTH_KEYS
        assert not any("name" in key for key in y)
        assert re.fullmatch(r"Y-2026-\d{4}", y["id"])
    text = scenario_yaml_text(week80, "header")
    youth_block = text[text.index("\nyouths:") : text.index("\nrequests:")]
    assert "name" not in youth_block


def test_realistic_mix() -> None:
    doc = generate_scenario(8, 300, 60)
    locs = doc["locations"]
    assert {loc["kind"] for loc in locs} == {
        "residentieel",
        "gezinshuis",
        "pleegzorg",
        "jeugdzorgplus",
        "behandelgroep",
        "ambulant",
        "school",
        "kantoor",
    }
    assert all("open" in loc for loc in locs if loc["kind"] == "jeugdzorgplus")
    non_conf = [loc for loc in locs if loc.get("confidential", True) is False]
    assert non_conf and len(non_conf) < len(locs) / 3
    assert all("address" in loc for loc in non_conf)
    placed: dict[str, int] = {}
    for y in doc["youths"]:
        placed[y["location"]] = placed.get(y["location"], 0) + 1
    assert max(placed.values()) >= 3, "several youths share a placement"
    assert {y["urgency"] for y in doc["youths"]} == {"low", "normal", "high", "crisis"}
    assert any("unavailable" in c for c in doc["consultants"])
    monday = _days(doc)[0]
    for y in doc["youths"]:
        back = (monday - dt.date.fromisoformat(y["signalled_on"])).days
        assert 1 <= back <= 28
    tods = [r["time_of_day"] for r in doc["requests"] if "time_of_day" in r]
    assert any(t["start"] >= "15:00" for t in tods), "after-school windows"
    emails = [c["email"] for c in doc["consultants"]]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith(".example") for e in emails)


@pytest.mark.parametrize(("n_requests", "n_consultants"), [(30, 8), (200, 40)])
def test_requests_are_mostly_feasible_one_by_one(n_requests: int, n_consultants: int) -> None:
    for seed in (1, 2):
        doc = generate_scenario(seed, n_requests, n_consultants)
        assert _feasible_share(doc) >= 0.95
        for r in doc["requests"]:
            if "pinned" in r:
                assert feasible_alone(doc, r), f"pin of {r['id']} cannot be kept"


def test_independent_check_rejects_an_impossible_request(week80: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(week80))
    req = doc["requests"][0]
    req.pop("roles", None)
    req.pop("pinned", None)
    req["skills"] = ["no-such-skill"]
    assert not feasible_alone(doc, req)
    req["skills"] = []
    req["time_of_day"] = {"start": "02:00", "end": "04:00"}
    assert not feasible_alone(doc, req)


# Writing -------------------------------------------------------------------------------------

_TIME_OR_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b")


def _unquoted_times(text: str) -> list[str]:
    bad = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in _TIME_OR_DATE.finditer(line):
            before = line[m.start() - 1] if m.start() else ""
            after = line[m.end()] if m.end() < len(line) else ""
            if before != '"' or after != '"':
                bad.append(line)
    return bad


def test_yaml_quotes_every_time_and_date(week80: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    write_scenario_yaml(week80, path, "Line one\nline two")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Line one\n# line two\n")
    assert re.search(r'"\d{2}:\d{2}"', text)
    assert _unquoted_times(text) == []
    assert yaml.safe_load(text) == week80  # even a plain YAML 1.1 parser reads it right


def test_quoting_check_sees_unquoted_times() -> None:
    assert _unquoted_times('- {weekday: mon, start: 09:00, end: "17:00"}')
    assert _unquoted_times("signalled_on: 2026-11-20")


def test_main_generate_writes_by_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("g.yaml", "g.json"):
        assert main_generate(3, 25, 6, "limburg", tmp_path / name) == 0
        s = load_scenario(tmp_path / name)
        assert len(s.requests) == 25 and len(s.consultants) == 6
    assert load_scenario(tmp_path / "g.yaml") == load_scenario(tmp_path / "g.json")
    assert (tmp_path / "g.yaml").read_text(encoding="utf-8").startswith("#")
    assert main_generate(3, 25, 6, "limburg", tmp_path / "g.txt") == 2
    assert main_generate(3, 25, 6, "mars", tmp_path / "h.yaml") == 2
    assert not (tmp_path / "h.yaml").exists()
    assert "mars" in capsys.readouterr().err


# Region data ---------------------------------------------------------------------------------


def test_limburg_has_31_municipalities_in_three_regions() -> None:
    rows = load_municipalities("limburg")
    assert len(rows) == 31 == len({r.gemeente for r in rows})
    counts = {r: sum(m.regio == r for m in rows) for r in {m.regio for m in rows}}
    assert counts == {"Noord-Limburg": 8, "Midden-Limburg": 7, "Zuid-Limburg": 16}
    for m in rows:
        assert 50.74 <= m.lat <= 51.78 and 5.55 <= m.lon <= 6.25, m
    assert {"Beekdaelen", "Bergen (L.)", "Eijsden-Margraten", "Mook en Middelaar"} <= {
        m.gemeente for m in rows
    }


def test_nl_towns_cover_all_provinces() -> None:
    rows = load_municipalities("nl")
    assert 35 <= len(rows) <= 50
    assert len({m.regio for m in rows}) == 12
    for m in rows:
        assert 50.7 <= m.lat <= 53.6 and 3.3 <= m.lon <= 7.3, m


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="region"):
        load_municipalities("mars")


# Shipped scenarios ---------------------------------------------------------------------------


def test_shipped_scenarios_exist() -> None:
    names = {p.name for p in SHIPPED}
    assert {"voorbeeld-week-48.yaml", "limburg-week.yaml", "limburg-busy.yaml"} <= names


def test_example_is_a_byte_copy_of_the_spec_example() -> None:
    spec = (
        Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "example-scenario.yaml"
    )
    assert spec.exists(), "../shared/spec is beside the project root (as in CI)"
    assert (SCENARIO_DIR / "voorbeeld-week-48.yaml").read_bytes() == spec.read_bytes()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_loads_and_starts_with_a_comment(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.requests
    assert path.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("path", GENERATED_FILES, ids=lambda p: p.name)
def test_shipped_generated_scenario_is_quoted_and_feasible(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _unquoted_times(text) == []
    doc = yaml.load(text, Loader=FAST_LOADER)
    assert _feasible_share(doc) >= 0.95
    for r in doc["requests"]:
        if "pinned" in r:
            assert feasible_alone(doc, r), r["id"]


def test_shipped_week_has_the_promised_shape() -> None:
    doc = yaml.load((SCENARIO_DIR / "limburg-week.yaml").read_text(encoding="utf-8"), FAST_LOADER)
    assert doc["week"] == "2026-W49"
    assert 70 <= len(doc["requests"]) <= 90
    providers = [c["provider"] for c in doc["consultants"]]
    assert {p: providers.count(p) for p in set(providers)} == {"fier": 6, "xonar": 6, "sjsj": 6}
    reqs = doc["requests"]
    assert any("roles" in r for r in reqs) and any("pinned" in r for r in reqs)
    assert any("time_of_day" in r for r in reqs)
    assert any(loc["kind"] == "jeugdzorgplus" and "open" in loc for loc in doc["locations"])
    assert any("unavailable" in c for c in doc["consultants"])


def test_generation_does_not_depend_on_string_hashing() -> None:
    code = (
        "import hashlib, json; from matcher.scenario.generate import generate_scenario; "
        "print(hashlib.sha256(json.dumps(generate_scenario(5, 60, 12)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_make_scenarios_reproduces_the_shipped_files() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_scenarios", ROOT / "scripts/make_scenarios.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for make in (module.make_week, module.make_busy):
        name, doc, header = make()
        assert scenario_yaml_text(doc, header) == (SCENARIO_DIR / name).read_text(encoding="utf-8")
    name, doc, header, csv_text = module.make_matrix()
    assert scenario_yaml_text(doc, header) == (SCENARIO_DIR / name).read_text(encoding="utf-8")
    assert csv_text == (SCENARIO_DIR / "limburg-week-matrix.csv").read_text(encoding="utf-8")
