"""Tests of the construction and neighbourhood search (plans verified by the checker)."""

from __future__ import annotations

import random

import pytest

from matcher.checker import check_plan
from matcher.domain import Scenario
from matcher.generate import generate_scenario
from matcher.loader import parse_scenario
from matcher.model import Instance, prepare, score
from matcher.search import SearchState, alns, construct
from matcher.solve import assemble_plan


@pytest.fixture(scope="module")
def week() -> tuple[Scenario, Instance]:
    s = parse_scenario(generate_scenario(5, 40, 10), "<generated>")
    return s, prepare(s)


def _check(s: Scenario, inst: Instance, st: SearchState) -> int:
    plan = assemble_plan(inst, st.assignments(), "feasible", None, 0.0)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    assert report.objective == st.total() == score(inst, st.assignments()).total
    return report.objective


def test_construct_gives_a_feasible_plan(week: tuple[Scenario, Instance]) -> None:
    s, inst = week
    st = construct(inst)
    assert st.assign
    _check(s, inst, st)


def test_alns_never_worsens_and_stays_feasible(week: tuple[Scenario, Instance]) -> None:
    s, inst = week
    st = construct(inst)
    start = st.total()
    best = alns(st.copy(), random.Random(1), lambda it: it >= 150)
    assert _check(s, inst, best) <= start


def test_alns_is_reproducible_with_a_seed(week: tuple[Scenario, Instance]) -> None:
    _, inst = week
    runs = [alns(construct(inst), random.Random(4), lambda it: it >= 60) for _ in range(2)]
    assert runs[0].assignments() == runs[1].assignments()


def test_removal_and_reinsertion_keep_caches_consistent(week: tuple[Scenario, Instance]) -> None:
    s, inst = week
    st = construct(inst)
    for r in sorted(st.assign)[:10]:
        if inst.requests[r].request.pinned is None:
            st.remove(r)
    again = SearchState.from_assignments(inst, st.assignments())
    assert again.total() == st.total()
    assert again.late_start == st.late_start and again.early_end == st.early_end
    _check(s, inst, st)
