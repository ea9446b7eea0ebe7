"""Tests of the repair operators (insertion order checked by brute force)."""

from __future__ import annotations

import pytest
from solver_checks import brute_force_places

from matcher.checker import check_plan
from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver.model import Instance, prepare, score
from matcher.solver.repair import construct, repair_regret2
from matcher.solver.search_state import SearchState
from matcher.solver.solve import assemble_plan


@pytest.fixture(scope="module", params=["seed-5", "seed-9", "tight-caps"])
def week(request: pytest.FixtureRequest) -> tuple[Scenario, Instance]:
    """Generated weeks of 40 requests; on the last every consultant has a weekly cap of
    about one visit a day, so that an insertion often leaves a consultant's other tours
    without room."""
    if request.param == "tight-caps":
        doc = generate_scenario(7, 40, 10, week_cap_per_day=(0.6, 1.0), capped_share=1.0)
    else:
        doc = generate_scenario(int(request.param[5:]), 40, 10)
    s = parse_scenario(doc, "<generated>")
    return s, prepare(s)


def _regret(st: SearchState, r: int) -> tuple[int, int] | None:
    """(best - second best or leave-out, best) of ``r``, or ``None`` when it stays out."""
    got = sorted(brute_force_places(st, r, st.option_tours[r]).values())
    leave = st.leave_out_cost(r)
    if not got or got[0] >= leave:
        return None
    alt = min(got[1], leave) if len(got) > 1 else leave
    return got[0] - alt, got[0]


def test_regret2_inserts_the_request_that_loses_most_at_its_cheapest_place(
    week: tuple[Scenario, Instance],
) -> None:
    s, inst = week
    st = construct(inst)
    pool = [
        r
        for r in sorted(st.assign)
        if inst.requests[r].n_roles == 1
        and inst.requests[r].request.pinned is None
        and not st.change[r]
    ][:30]
    for r in pool:
        st.remove(r)
    steps = []
    insert = st.insert

    def checked_insert(r: int, where: list[tuple[int, int]], start: int | None) -> None:
        todo = [q for q in pool if q not in st.assign]
        regrets = {q: got for q in todo if (got := _regret(st, q)) is not None}
        # The request inserted has the largest regret, and goes to its cheapest place.
        assert r in regrets, r
        assert regrets[r][0] == min(g[0] for g in regrets.values()), (r, regrets)
        before = st.total()
        insert(r, where, start)
        assert st.total() - before + st.leave_out_cost(r) == regrets[r][1]
        steps.append(r)

    st.insert = checked_insert  # type: ignore[method-assign]
    repair_regret2(st, pool)
    assert len(steps) >= 10
    # Whatever is left open had no place cheaper than leaving it out.
    assert all(_regret(st, q) is None for q in pool if q not in st.assign)
    plan = assemble_plan(inst, st.assignments(), "feasible", None, 0.0)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    assert report.objective == st.total() == score(inst, st.assignments()).total
