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
    assert markdown_table([row]).count("n/a") == 18


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
    cases = default_cases(shipped=[])
    names = [c.name for c in cases]
    assert "gen-40+pins (seed 1)" in names and "gen-80+pins (seed 1)" in names
    limits = {c.name: c.time_limit for c in cases}
    assert limits["gen-40+pins (seed 1)"] == limits["gen-80+pins (seed 1)"] == 10.0
    assert limits["gen-300 (seed 1)"] == 30.0 and limits["gen-1000 (seed 1)"] == 60.0
