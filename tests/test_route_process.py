"""Tests of the route bound's child process: its own search once the generation converged.

Plans are verified by the independent checker, not by the search's own bookkeeping.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
from solver_checks import checked

from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver.model import Assignment, Instance, prepare
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_process import _ChildMaster, _ChildSearch
from matcher.solver.search import SearchState, alns, construct


class _Pipe:
    """Stands in for the connection to the parent: keeps what the child sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def send(self, msg: tuple[str, Any]) -> None:
        self.sent.append(msg)


@pytest.fixture(scope="module")
def week() -> tuple[Scenario, Instance, RouteBound, list[Assignment]]:
    """40 requests with joint visits, weekly caps and pins; a converged route bound."""
    s = parse_scenario(generate_scenario(5, 40, 10), "<generated>")
    inst = prepare(s)
    first = construct(inst).assignments()
    rb = RouteBound(inst, first)
    rb.run(60.0)
    assert rb.converged
    return s, inst, rb, first


def test_the_childs_own_search_sends_plans_better_than_the_one_it_started_from(
    week: tuple[Scenario, Instance, RouteBound, list[Assignment]],
) -> None:
    s, inst, rb, first = week
    pipe = _Pipe()
    master = _ChildMaster(rb, [first], pipe, 10.0)  # type: ignore[arg-type]
    start = checked(s, inst, first)
    _ChildSearch(master, threading.Event(), seed=1).run(time.monotonic() + 2.0)
    plans = [value for kind, value in pipe.sent if kind == "plan"]
    assert plans
    got = [checked(s, inst, p) for p in plans]
    assert got[-1] < start
    assert got == sorted(got, reverse=True)  # each one better than the last
    assert got[-1] == master.best_cost


def test_the_child_solves_the_master_again_only_for_a_better_plan_of_the_main_search(
    week: tuple[Scenario, Instance, RouteBound, list[Assignment]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _s, inst, rb, first = week
    master = _ChildMaster(rb, [first], _Pipe(), 10.0)  # type: ignore[arg-type]
    news = threading.Event()
    search = _ChildSearch(master, news, seed=1)
    sweeps: list[float] = []
    monkeypatch.setattr(master, "sweep", sweeps.append)
    current = SearchState.from_assignments(inst, first)
    better = alns(current.copy(), random.Random(3), lambda it: it >= 300)
    assert better.total() < current.total()
    until = time.monotonic() + 5.0

    search.master_on_news(current, until)  # no news: nothing to do
    assert sweeps == []
    news.set()
    master.latest[0] = master.best  # the main search sent back the child's own plan
    search.master_on_news(current, until)
    assert sweeps == [] and not news.is_set()
    news.set()
    master.latest[0] = better.assignments()  # the main search found a better plan
    search.master_on_news(current, until)
    assert sweeps == [until]
