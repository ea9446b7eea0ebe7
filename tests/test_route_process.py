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
from matcher.solver.bounds import cheap_bound
from matcher.solver.model import Assignment, Instance, prepare
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_process import RouteBoundProcess, _ChildMaster, _ChildSearch, _Inbox
from matcher.solver.search import SearchState, alns, construct
from matcher.travel import build_travel_matrix


class _Pipe:
    """Stands in for the connection to the parent: keeps what the child sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def send(self, msg: tuple[str, Any]) -> None:
        self.sent.append(msg)


class _Messages:
    """Stands in for the connection from the parent: hands out the given messages."""

    def __init__(self, msgs: list[Any]) -> None:
        self.msgs = list(msgs)

    def recv(self) -> Any:
        return self.msgs.pop(0)


class _Bound:
    """Stands in for the route bound: notes what it is handed."""

    def __init__(self) -> None:
        self.got: list[tuple[str, Any]] = []

    def offer_plan(self, plan: Any) -> None:
        self.got.append(("plan", plan))

    def offer_routes(self, routes: Any) -> None:
        self.got.append(("routes", routes))

    def interrupt(self) -> None:
        self.got.append(("interrupt", None))


def test_the_child_reads_the_parent_before_its_route_bound_exists_and_hands_it_over() -> None:
    plan = [Assignment(0, (1,), 600)]
    routes = [(1, (0,))]
    latest: list[Any] = [[]]
    news = threading.Event()
    inbox = _Inbox(latest, news)
    # The whole conversation, the stop (None) included, is read before the bound exists:
    # the parent never waits on a full pipe while the child sets up.
    inbox.listen(_Messages([plan, ("routes", routes), None]))  # type: ignore[arg-type]
    assert inbox.gone and inbox.early == [plan, ("routes", routes)]
    rb = _Bound()
    inbox.attach(rb)  # type: ignore[arg-type]
    assert rb.got == [("plan", plan), ("routes", routes), ("interrupt", None)]
    assert latest[0] is plan and news.is_set() and inbox.early == []
    later = _Bound()
    inbox2 = _Inbox([[]], threading.Event())
    inbox2.attach(later)  # type: ignore[arg-type]
    inbox2.listen(_Messages([("routes", routes), None]))  # type: ignore[arg-type]
    assert later.got == [("routes", routes), ("interrupt", None)]  # after: at once


def test_a_child_asked_for_the_cheap_bound_sends_it_before_anything_else(
    week: tuple[Scenario, Instance, RouteBound, list[Assignment]],
) -> None:
    s, _inst, _rb, first = week
    tm = build_travel_matrix(s)
    want = cheap_bound(prepare(s, tm), 60.0)
    proc = RouteBoundProcess(s, tm, first, 60.0, cheap_bound=True)
    try:
        assert proc._conn.poll(30.0)
        assert proc._conn.recv() == ("bound", want)
    finally:
        proc.stop(wait=0.1)


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
