"""Smoke tests of the benchmark: the VROOM adapter and one benchmark row."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``bench`` is not an installed package
    sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    COLUMNS,
    Case,
    _ints,
    bound_seconds,
    default_cases,
    generated_case,
    markdown_table,
    replan_case,
    run_case,
    verdict,
)
from bench.vroom_peer import (  # noqa: E402
    NOT_PLANNED,
    _split_cap,
    build_problem,
    inexpressible,
    solve_with_vroom,
    start_windows,
)
from matcher.checker import check_plan  # noqa: E402
from matcher.scenario.domain import DAY_MINUTES, Scenario  # noqa: E402
from matcher.scenario.generate import generate_scenario  # noqa: E402
from matcher.scenario.loader import parse_scenario  # noqa: E402


def _tiny(seed: int = 3, n: int = 6, **kw: float) -> Scenario:
    opts = {"joint_share": 0.0, "weekly_caps": False, "pin_share": 0.0} | kw
    return parse_scenario(generate_scenario(seed, n, 2, **opts), "<tiny>")  # type: ignore[arg-type]


@pytest.mark.parametrize("waiting_aware", [False, True])
def test_vroom_plan_is_accepted_by_the_checker(waiting_aware: bool) -> None:
    scenario = _tiny()
    result = solve_with_vroom(scenario, threads=1, waiting_aware=waiting_aware)
    report = check_plan(scenario, result.plan)
    assert report.violations == []
    assert result.plan.visits, "VROOM planned nothing on a feasible 6-request instance"
    assert result.plan.solver.objective == report.objective
    assert result.plan.kpis["travel_minutes"] == report.travel_minutes
    for u in result.plan.unassigned:
        assert u.reasons[0].startswith(NOT_PLANNED)


def test_vroom_keeps_pins() -> None:
    scenario = _tiny(seed=5, pin_share=0.5)
    pinned = [r.id for r in scenario.requests if r.pinned is not None]
    assert pinned and not inexpressible(scenario)
    result = solve_with_vroom(scenario, threads=1)
    assert check_plan(scenario, result.plan).violations == []
    assert set(pinned) <= {v.request for v in result.plan.visits}


def test_joint_visits_and_weekly_caps_are_refused() -> None:
    scenario = _tiny(joint_share=1.0, weekly_caps=True)
    missing = inexpressible(scenario)
    assert any("joint" in m for m in missing) and any("weekly" in m for m in missing)
    with pytest.raises(ValueError, match="cannot express"):
        build_problem(scenario)


def test_start_windows_leave_room_for_the_whole_visit() -> None:
    scenario = _tiny(seed=7, n=30)
    timed = [r for r in scenario.requests if r.time_of_day is not None]
    assert timed
    for r in timed:
        assert r.time_of_day is not None
        for lo, hi in start_windows(scenario, r):
            assert lo // DAY_MINUTES == hi // DAY_MINUTES
            assert r.time_of_day.start <= lo % DAY_MINUTES
            assert hi % DAY_MINUTES + r.duration_minutes <= r.time_of_day.end


@pytest.mark.parametrize(("cap", "lengths"), [(4, [480, 150]), (1, [240, 240]), (5, [60])])
def test_split_cap_adds_up(cap: int, lengths: list[int]) -> None:
    shares = _split_cap(cap, lengths)
    assert sum(shares) == cap and len(shares) == len(lengths)
    assert all(s >= 0 for s in shares)


def test_run_case_gives_a_full_row() -> None:
    row = run_case(generated_case(6, 3, 2.0), workers=1, peers=("plain",))
    assert set(row) == set(COLUMNS)
    assert row["requests"] == 6
    assert row["ours_feasible"] and row["vroom_feasible"]
    assert row["ratio"] == pytest.approx(row["ours_objective"] / row["vroom_objective"], abs=1e-4)
    assert row["vroomw_objective"] is None  # that peer was not asked for
    if row["ours_bound"] is not None:
        assert 0 <= row["ours_bound_seconds"] <= row["ours_seconds"]
    table = markdown_table([row])
    assert "gen-6 (seed 3)" in table and table.count("\n") == 2
    assert any("VROOM (plain)" in line for line in verdict([row]))


def test_bound_seconds_is_when_the_final_bound_first_came() -> None:
    from matcher.solver.progress import Progress

    history = [Progress(0.1, 50, None, 3), Progress(0.4, 48, 40, 3), Progress(1.2, 47, 45, 3)]
    history.append(Progress(2.0, 46, 45, 3))
    assert bound_seconds(history, 45) == 1.2
    assert bound_seconds(history, 40) == 0.4
    assert bound_seconds(history, None) is None
    assert bound_seconds(history[:1], 45) is None


def test_run_case_with_pyvrp_gives_its_columns_and_ratio() -> None:
    row = run_case(generated_case(6, 3, 2.0, pin_share=0.3), workers=1, peers=("pyvrp",))
    assert set(row) == set(COLUMNS)
    assert row["instance"] == "gen-6+pins (seed 3)"
    assert row["ours_feasible"] and row["pyvrp_feasible"]
    assert row["pyvrp_skipped"] is None and row["vroom_objective"] is None
    assert row["ratio_p"] == pytest.approx(row["ours_objective"] / row["pyvrp_objective"], abs=1e-4)
    table = markdown_table([row])
    assert "ours/PyVRP" in table and f"{row['ratio_p']:.3f}" in table
    assert any("PyVRP" in line for line in verdict([row]))


def test_pyvrp_is_skipped_where_it_cannot_express_the_week() -> None:
    case = Case("joint", lambda: _tiny(joint_share=1.0), 1.0)
    row = run_case(case, workers=1, peers=("pyvrp",))
    assert row["pyvrp_skipped"] and "joint" in row["pyvrp_skipped"]
    assert row["pyvrp_objective"] is None and row["ratio_p"] is None
    assert markdown_table([row]).count("n/a") == 21


def test_a_replan_case_is_timed_from_the_published_visits() -> None:
    case = replan_case(16, 2, 2.0, sick=1)
    scenario = case.load()
    assert scenario.published and scenario.now is not None
    row = run_case(case, workers=1, peers=())
    assert row["ours_feasible"]
    assert row["ours_first_seconds"] is not None
    assert 0 <= row["ours_first_seconds"] <= row["ours_seconds"]
    assert "replan-16 (seed 2)" in markdown_table([row])
    lines = verdict([{**row, "instance": "replan-300 (seed 2)"}])
    assert any(line.startswith("- re-planning from the published visits") for line in lines)
    slow = verdict([{**row, "instance": "replan-300 (seed 2)", "ours_first_seconds": 2.5}])
    assert any("re-planning" in line and "FAIL" in line for line in slow)


def test_default_cases_have_the_40_and_80_request_weeks_with_pins() -> None:
    cases = default_cases(shipped=[], full_sizes=[80])
    names = [c.name for c in cases]
    for seed in (11, 12, 13):  # the reference's seeds at the issue-13 sizes
        assert f"gen-40+pins (seed {seed})" in names and f"gen-80+pins (seed {seed})" in names
        assert f"gen-80+joint (seed {seed})" in names
    assert "gen-40+pins (seed 1)" not in names and "gen-30 (seed 1)" in names
    limits = {c.name: c.time_limit for c in cases}
    assert limits["gen-40+pins (seed 11)"] == limits["gen-80+pins (seed 12)"] == 10.0
    assert limits["gen-80+joint (seed 13)"] == 10.0
    assert limits["gen-300 (seed 1)"] == 30.0 and limits["gen-1000 (seed 1)"] == 60.0
    assert [c.name for c in default_cases([40], seeds=[1], shipped=[])] == ["gen-40+pins (seed 1)"]


# Best-known reference: merge, ratio columns and verdicts, on fake rows (no solving) ------


def _result(objective: int, bound: int | None = None, feasible: bool = True, seed: int = 1):
    return {
        "requests": 80,
        "objective": objective,
        "assigned": 79,
        "bound": bound,
        "feasible": feasible,
        "status": "feasible",
        "seconds": 600.0,
        "tool": "bench.reference",
        "solver_seed": seed,
        "time_limit": 600.0,
        "workers": 1,
        "commit": "abc1234",
        "date": "2026-12-02T01:00:00+00:00",
    }


def test_best_known_is_monotone() -> None:
    from bench.best_known import merge_result

    name = "gen-80+pins (seed 11)"
    entries, changed = merge_result({}, name, _result(1000, 900))
    assert changed == {"objective": True, "bound": True}
    assert entries[name]["objective"] == 1000 and entries[name]["found_by"]["solver_seed"] == 1
    worse, changed = merge_result(entries, name, _result(1010, 950, seed=2))
    assert changed == {"objective": False, "bound": True}
    assert worse[name]["objective"] == 1000 and worse[name]["found_by"]["solver_seed"] == 1
    assert worse[name]["bound"] == 950 and worse[name]["bound_by"]["solver_seed"] == 2
    assert len(worse[name]["runs"]) == 2 and len(entries[name]["runs"]) == 1  # input untouched
    infeasible, changed = merge_result(worse, name, _result(10, feasible=False, seed=3))
    assert not changed["objective"] and infeasible[name]["objective"] == 1000
    tie, changed = merge_result(worse, name, _result(1000, 800, seed=4))
    assert changed == {"objective": False, "bound": False}
    assert tie[name]["found_by"]["solver_seed"] == 1 and tie[name]["bound"] == 950
    better, changed = merge_result(worse, name, _result(990, seed=5), log_run=False)
    assert changed["objective"] and better[name]["objective"] == 990
    assert better[name]["found_by"]["solver_seed"] == 5 and better[name]["bound"] == 950


def test_record_result_writes_only_what_changed(tmp_path: Path) -> None:
    from bench.best_known import load_reference, record_result

    store = tmp_path / "reference.json"
    assert load_reference(store) == {"meta": {}, "instances": {}}
    assert record_result("a", _result(50, 40), path=store)["objective"]
    before = store.read_text(encoding="utf-8")
    assert not record_result("a", _result(60, 30), path=store, log_run=False)["objective"]
    assert store.read_text(encoding="utf-8") == before
    record_result("a", _result(45), path=store, log_run=False)
    assert load_reference(store)["instances"]["a"]["objective"] == 45


def _fake_row(name: str = "gen-80+pins (seed 11)", ours: int = 1030, **kw: object) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(
        instance=name,
        requests=80,
        consultants=16,
        limit=10.0,
        ours_objective=ours,
        ours_travel=500,
        ours_assigned=79,
        ours_seconds=10.1,
        ours_status="feasible",
        ours_method="cp+lns",
        ours_bound=900,
        ours_gap=0.1,
        ours_feasible=True,
        ours_violations=[],
        ours_overrun=False,
        notes=[],
    )
    row.update(kw)
    return row


def test_run_compares_with_the_best_known_and_records_a_new_best(tmp_path: Path) -> None:
    from bench.best_known import load_reference, record_result
    from bench.run import _compare_reference

    store = tmp_path / "reference.json"
    record_result("gen-80+pins (seed 11)", _result(1000, 950), path=store)
    row = _fake_row(ours=1030)
    _compare_reference(row, store, True, 2, {"commit": "def5678"})
    assert row["ref_objective"] == 1000 and row["ratio_ref"] == 1.03 and row["ref_bound"] == 950
    assert not row["ref_new_best"] and row["notes"] == []
    assert load_reference(store)["instances"]["gen-80+pins (seed 11)"]["objective"] == 1000
    row = _fake_row(ours=990)
    _compare_reference(row, store, True, 2, {"commit": "def5678"})
    assert row["ratio_ref"] == 0.99 and row["ref_new_best"]
    assert any(n.startswith("new best") for n in row["notes"])
    entry = load_reference(store)["instances"]["gen-80+pins (seed 11)"]
    assert entry["objective"] == 990 and entry["found_by"]["tool"] == "bench.run"
    assert entry["found_by"]["commit"] == "def5678" and entry["bound"] == 950
    assert "(new best)" in markdown_table([row])
    assert any("new best-known" in line for line in verdict([row]))
    other = _fake_row("gen-40+pins (seed 11)", ours=10)  # not in the store: left alone
    _compare_reference(other, store, True, 2, {})
    assert other["ratio_ref"] is None
    assert "gen-40+pins (seed 11)" not in load_reference(store)["instances"]


def test_bound_over_peer_says_when_the_peer_target_is_unreachable() -> None:
    from bench.run import add_bound_ratios

    # ours 1002 vs PyVRP 1000; our bound 985: even a plan at the bound would be 0.985
    unreachable = _fake_row("gen-80+pins (seed 11)", ours=1002, ours_bound=985)
    # ours 990 vs PyVRP 1000 with bound 900: 0.97 is not excluded, the target is just missed
    missed = _fake_row("gen-80+pins (seed 12)", ours=990, ours_bound=900)
    # reaches the target
    good = _fake_row("gen-80+pins (seed 13)", ours=960, ours_bound=900, ref_bound=950)
    for row in (unreachable, missed, good):
        row.update(pyvrp_objective=1000, pyvrp_feasible=True, pyvrp_assigned=80)
        row.update(pyvrp_seconds=10.0, pyvrp_travel=400, pyvrp_violations=[])
        row["ratio_p"] = round(row["ours_objective"] / 1000, 4)
        add_bound_ratios(row)
    assert unreachable["bound_ratio_p"] == 0.985 and missed["bound_ratio_p"] == 0.9
    assert good["bound_ratio_p"] == 0.95  # the reference's stronger bound counts
    assert unreachable["bound_ratio"] is None  # no VROOM plan: no ratio
    (line,) = [v for v in verdict([unreachable, missed, good]) if "ours/PyVRP <=" in v]
    assert "FAIL on 2" in line
    assert "Provably unreachable on 1 of them" in line
    assert "gen-80+pins (seed 11): bound/PyVRP 0.985, actual ours/PyVRP 1.002" in line
    assert "not proven unreachable on 1: gen-80+pins (seed 12): ours/PyVRP 0.990" in line
    table = markdown_table([unreachable, good])
    assert "bound/PyVRP" in table and "0.985 (> 0.97)" in table and "0.950 |" in table
    (ok,) = [v for v in verdict([good]) if "ours/PyVRP <=" in v]
    assert "PASS" in ok and "unreachable" not in ok


def test_reference_verdict_takes_the_median_and_every_seed() -> None:
    rows = [
        _fake_row(f"gen-80+pins (seed {s})", ratio_ref=r)
        for s, r in ((11, 0.998), (12, 1.0), (13, 1.009))
    ]
    (line,) = [v for v in verdict(rows) if v.startswith("- ours/best-known on")]
    assert "80-request weeks, peer-expressible" in line and "median 1.0000" in line
    assert "PASS" in line and "fewer than 3" not in line
    rows[2]["ratio_ref"] = 1.012  # one seed over 1.01 fails although the median is 1.00
    (line,) = [v for v in verdict(rows) if v.startswith("- ours/best-known on")]
    assert "FAIL" in line and "1.0120 **> 1.01**" in line
    rows = [
        _fake_row(f"gen-80+joint (seed {s})", ratio_ref=1.004, ref_objective=1) for s in (11, 12)
    ]
    (line,) = [v for v in verdict(rows) if v.startswith("- ours/best-known on")]
    assert "full (joint visits" in line and "FAIL" in line and "fewer than 3" in line
    unjudged = [v for v in verdict(rows) if "not judged" in v]
    assert unjudged == []
    rows.append(_fake_row("gen-80+joint (seed 13)"))  # no best-known entry
    (line,) = [v for v in verdict(rows) if "not judged" in v]
    assert line.endswith(": gen-80+joint (seed 13)")


def test_reference_cases_are_the_two_families() -> None:
    from bench.reference import reference_cases

    names = [c.name for c in reference_cases([40, 300], [80], [11, 12], 600.0)]
    assert names == [
        "gen-40+pins (seed 11)",
        "gen-40+pins (seed 12)",
        "gen-300 (seed 11)",
        "gen-300 (seed 12)",
        "gen-80+joint (seed 11)",
        "gen-80+joint (seed 12)",
    ]
    full = reference_cases([], [40], [11], 1.0)[0].load()
    assert any(r.is_joint for r in full.requests)
    assert any("weekly cap" in m for m in inexpressible(full))
    assert not inexpressible(reference_cases([40], [], [11], 1.0)[0].load())


def test_reference_summary_prints_the_store_without_solving(tmp_path: Path) -> None:
    from bench.best_known import record_result
    from bench.reference import main

    store = tmp_path / "reference.json"
    record_result("gen-80+pins (seed 11)", _result(1000, 990), path=store)
    record_result("gen-80+pins (seed 11)", _result(1005, seed=2), path=store)
    lines: list[str] = []
    assert main(["--summary", "--out", str(store)], out=lines.append) == 0
    (table,) = lines
    assert "| gen-80+pins (seed 11) | 80 | 1000 | 79/80 | 990 | 1.00% |" in table
    assert "bench.reference seed 1, 600 s, 1 worker(s), abc1234" in table
    assert "| 2 (600.0 s, 600.0 s) |" in table


def test_size_lists_on_the_command_line_accept_none() -> None:
    assert _ints("40,80, 300") == [40, 80, 300]
    assert _ints("none") == [] and _ints("None") == [] and _ints("") == []
    with pytest.raises(ValueError):
        _ints("40,x")
