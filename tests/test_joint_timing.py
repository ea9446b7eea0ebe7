"""Re-timing joint visits in the search (:mod:`matcher.solver.joint_timing`).

Every plan is verified by the independent checker (feasibility and the objective of
``FORMAT.md``), not by the search's own bookkeeping.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest
from solver_checks import checked

from matcher.checker import check_plan
from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.scenario.validate import validate_document
from matcher.solver.assemble import assemble_plan
from matcher.solver.joint_timing import (
    destroy_joint,
    insert_with_retime,
    shifted_insertion,
    start_window,
    with_shift,
)
from matcher.solver.model import Instance, prepare
from matcher.solver.repair import construct
from matcher.solver.search_state import SearchState

BASE = {"lat": 50.85, "lon": 5.69}


def _consultant(cid: str, skills: list[str]) -> dict[str, Any]:
    return {
        "id": cid,
        "provider": "p",
        "name": cid,
        "email": f"{cid.lower()}@x.example",
        "base": BASE,
        "skills": skills,
        "availability": [{"weekday": "mon", "start": "09:00", "end": "13:00"}],
    }


def _early_single_week(*, late_visit: bool) -> tuple[Scenario, Instance]:
    """One Monday, consultants A (emdr) and B; a joint visit J (A and B, one hour at L1)
    and S, an emdr visit (so only A) at L2 that must end by 10:30.

    At the first start that fits (09:05) J leaves S no room, before it or after it; a
    later start (up to 11:55) leaves room for S before it. With ``late_visit`` A also has
    Y, an emdr visit at L2 that starts at 11:00 exactly, which keeps J early (before about
    09:55), so that S fits only once Y has gone.
    """
    requests: list[dict[str, Any]] = [
        {"id": "J", "youth": "Y1", "roles": [[], []], "duration_minutes": 60},
        {
            "id": "S",
            "youth": "Y2",
            "skills": ["emdr"],
            "duration_minutes": 60,
            "time_of_day": {"start": "09:00", "end": "10:30"},
        },
    ]
    if late_visit:
        requests.append(
            {
                "id": "Y",
                "youth": "Y3",
                "skills": ["emdr"],
                "duration_minutes": 60,
                "time_of_day": {"start": "11:00", "end": "12:00"},
            }
        )
    doc = {
        "format": 1,
        "name": "early single",
        "days": ["2026-11-23"],
        "providers": [{"id": "p", "name": "P"}],
        "consultants": [_consultant("A", ["emdr"]), _consultant("B", [])],
        "locations": [
            {"id": "L1", "name": "L1", "kind": "gezinshuis", "gemeente": "Maastricht"}
            | {"lat": 50.88, "lon": 5.69},
            {"id": "L2", "name": "L2", "kind": "gezinshuis", "gemeente": "Maastricht"}
            | {"lat": 50.85, "lon": 5.73},
        ],
        "youths": [
            {
                "id": y,
                "location": loc,
                "gemeente": "Maastricht",
                "signalled_on": "2026-11-20",
            }
            for y, loc in (("Y1", "L1"), ("Y2", "L2"), ("Y3", "L2"))
        ],
        "requests": requests,
    }
    s = validate_document(doc, "<early single>")
    return s, prepare(s)


def _insert(st: SearchState, name: str) -> None:
    r = st.inst.request_index[name]
    ins = st.best_insertion(r)
    assert ins is not None, name
    st.insert(r, ins[1], ins[2])


def test_the_first_fitting_start_of_a_joint_visit_is_worse_than_a_later_one() -> None:
    s, inst = _early_single_week(late_visit=False)
    j, single = inst.request_index["J"], inst.request_index["S"]
    # The search inserts J at the latest common start: S still fits before it.
    st = SearchState(inst)
    _insert(st, "J")
    window = start_window(st, j)
    assert st.fixed_start[j] == window[-1][1] > window[0][0] + 60
    _insert(st, "S")
    best = checked(s, inst, st)
    assert set(st.assign) == {j, single} and best == st.total()
    # The first start that fits (the former choice) blocks S: a worse plan.
    first = SearchState(inst)
    ins = first.best_insertion(j)
    assert ins is not None
    first.insert(j, ins[1], window[0][0])
    assert first.best_insertion(single) is None
    blocked = checked(s, inst, first)
    assert blocked > best
    # Shifting J (re-timing) recovers the better plan, priced by the real objective delta.
    shifted, moved = with_shift(first, single, None)
    assert shifted is not None and set(moved) == set(first.assign[j])
    first.insert(single, shifted[1], shifted[2])
    assert checked(s, inst, first) == blocked - first.leave_out_cost(single) + shifted[0]
    assert checked(s, inst, first) == best


def test_re_timing_after_a_move_makes_room() -> None:
    s, inst = _early_single_week(late_visit=True)
    j, single, late = (inst.request_index[x] for x in ("J", "S", "Y"))
    st = SearchState(inst)
    _insert(st, "Y")
    _insert(st, "J")
    # Y (at 11:00) keeps J early: no start of J leaves room for S.
    assert with_shift(st, single, None) == (None, ())
    before = st.fixed_start[j]
    st.remove(late)  # the move: Y leaves J's tour; J stays where it was
    assert st.fixed_start[j] == before and st.best_insertion(single) is None
    ins, _ = with_shift(st, single, None)
    assert ins is not None
    st.insert(single, ins[1], ins[2])
    assert single in st.assign and st.fixed_start[j] > before
    assert checked(s, inst, st) == st.total()


def test_every_start_in_the_window_is_feasible_and_none_beyond_it() -> None:
    s, inst = _early_single_week(late_visit=True)
    j = inst.request_index["J"]
    st = SearchState(inst)
    _insert(st, "Y")
    _insert(st, "J")
    ((lo, hi),) = start_window(st, j)
    assert lo < hi
    for start in (lo, (lo + hi) // 2, hi):
        st.set_start(j, start)
        checked(s, inst, st)
    # One minute later J's tour (with Y at 11:00) breaks, says the checker.
    late = [dataclasses.replace(a, start=hi + 1) if a.request == j else a for a in st.assignments()]
    assert not check_plan(s, assemble_plan(inst, late, "feasible", None, 0.0)).feasible


@pytest.fixture(scope="module")
def joint_week() -> tuple[Scenario, Instance]:
    s = parse_scenario(generate_scenario(3, 60, 10, joint_share=0.3), "<generated>")
    return s, prepare(s)


def test_a_shifted_insertion_costs_what_the_checker_says(
    joint_week: tuple[Scenario, Instance],
) -> None:
    """On a generated week with many joint visits: take single visits out one by one;
    wherever a shift of a joint visit gives a place, the fast check agrees with the exact
    search over shifts (never cheaper than it) and the plan it gives is feasible, with the
    objective changed by exactly the insertion's price."""
    s, inst = joint_week
    st = construct(inst)
    singles = [r for r in sorted(st.assign) if inst.requests[r].n_roles == 1]
    found = 0
    for r in singles:
        if inst.requests[r].request.pinned is not None:
            continue
        trial = st.copy()
        trial.remove(r)
        base = trial.total()
        fast = shifted_insertion(trial, r, None)
        exact = insert_with_retime(trial, r, None)
        if fast is None:
            continue
        found += 1
        assert exact is not None and exact[0] <= fast[0]
        _, j, start, (cost, where, _) = fast
        assert start in range(start_window(trial, j)[0][0], start_window(trial, j)[-1][1] + 1)
        trial.set_start(j, start)
        trial.insert(r, where, None)
        assert checked(s, inst, trial) == base - trial.leave_out_cost(r) + cost
    assert found, "no single visit sat next to a joint visit"


def test_destroy_joint_takes_a_joint_visit_and_its_neighbours_in_all_its_tours(
    joint_week: tuple[Scenario, Instance],
) -> None:
    _, inst = joint_week
    st = construct(inst)
    out = destroy_joint(st, 6, random.Random(2))
    j = out[0]
    assert inst.requests[j].n_roles > 1 and len(out) == len(set(out)) <= 6
    near = {
        st.seq[t][k]
        for t in st.assign[j]
        for k in (st.seq[t].index(j) - 1, st.seq[t].index(j) + 1)
        if 0 <= k < len(st.seq[t])
    }
    pinned = {r for r in near if inst.requests[r].request.pinned is not None}
    assert near - pinned <= set(out) or len(out) == 6
    assert not any(inst.requests[r].request.pinned for r in out)
    assert destroy_joint(SearchState(inst), 6, random.Random(2)) == []
