"""Tests of the ejection moves (matcher/solver/eject.py), plans verified by the checker.

Each fixture is a tiny week built so that the move is the only way to the better plan: a
crisis request that fits its one possible tour only when visits of lower urgency leave it.
"""

from __future__ import annotations

import random
from typing import Any

from matcher.checker import check_plan
from matcher.scenario.domain import Scenario
from matcher.scenario.validate import validate_document
from matcher.solver.eject import destroy_eject, destroy_replace
from matcher.solver.model import Instance, prepare, score
from matcher.solver.repair import repair_greedy, repair_regret
from matcher.solver.search import SearchState, alns
from matcher.solver.solve import assemble_plan

MON, TUE = "2026-11-23", "2026-11-24"


def _consultant(cid: str, windows: list[tuple[str, str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "provider": "p",
        "name": cid,
        "email": f"{cid.lower()}@x.example",
        "base": {"lat": 50.85, "lon": 5.69},
        "availability": [{"weekday": d, "start": a, "end": b} for d, a, b in windows],
        **extra,
    }


def _week(
    consultants: list[dict[str, Any]], requests: list[dict[str, Any]], name: str
) -> tuple[Scenario, Instance]:
    """A week of Monday and Tuesday with every youth at one location by the bases (no
    travel), so that only time, skills and caps decide what fits."""
    youths = []
    for r in requests:
        y = {
            "id": f"Y-{r['id']}",
            "location": "L1",
            "gemeente": "Maastricht",
            "signalled_on": MON,
            "urgency": r.pop("urgency"),
        }
        if "previous" in r:
            y["previous_consultant"] = r.pop("previous")
        youths.append(y)
        r["youth"] = y["id"]
    doc = {
        "format": 1,
        "name": name,
        "days": [MON, TUE],
        "providers": [{"id": "p", "name": "P"}],
        "consultants": consultants,
        "locations": [
            {
                "id": "L1",
                "name": "L1",
                "kind": "gezinshuis",
                "gemeente": "Maastricht",
                "lat": 50.85,
                "lon": 5.69,
            }
        ],
        "youths": youths,
        "requests": requests,
    }
    s = validate_document(doc, f"<{name}>")
    return s, prepare(s)


def _check(s: Scenario, inst: Instance, st: SearchState) -> int:
    """The checker's objective of the state's plan (which must be feasible)."""
    plan = assemble_plan(inst, st.assignments(), "feasible", None, 0.0)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    assert report.objective == score(inst, st.assignments()).total
    return report.objective


def _place(st: SearchState, r: int, consultant: str, day: int) -> None:
    """Insert ``r`` into ``consultant``'s tour of ``day`` (a hand-made starting plan)."""
    inst = st.inst
    tours = {
        o.tour
        for o in inst.requests[r].options
        if inst.tours[o.tour].day == day and inst.tours[o.tour].tour.consultant == consultant
    }
    ins = st.best_insertion(r, tours)
    assert ins is not None, (r, consultant, day)
    st.insert(r, ins[1], ins[2])


def _two_in_the_way() -> tuple[Scenario, Instance]:
    """C1 (the only one with skill ``emdr``) works Monday 09:00-11:00; two low-urgency
    hour visits whose youths C1 saw before fill it. The crisis request needs C1 for two
    hours on Monday. C2 works Monday too: both low visits can move there (at a
    continuity cost), and only ejecting both lets the crisis request in."""
    consultants = [
        _consultant("C1", [("mon", "09:00", "11:00")], skills=["emdr"]),
        _consultant("C2", [("mon", "09:00", "11:00")]),
    ]
    requests = [
        {"id": "R-A", "urgency": "low", "duration_minutes": 60, "previous": "C1"},
        {"id": "R-B", "urgency": "low", "duration_minutes": 60, "previous": "C1"},
        {"id": "R-X", "urgency": "crisis", "duration_minutes": 120, "skills": ["emdr"]},
    ]
    return _week(consultants, requests, "two-in-the-way")


def _blocked_state(inst: Instance) -> SearchState:
    st = SearchState(inst)
    for rid in ("R-A", "R-B"):
        _place(st, inst.request_index[rid], "C1", 0)
    return st


def test_two_in_the_way_needs_both_ejected() -> None:
    """The fixture is what it claims: the crisis request fits with neither or only one of
    the low visits gone, and the plain repair leaves it open."""
    _, inst = _two_in_the_way()
    st = _blocked_state(inst)
    a, b, x = (inst.request_index[k] for k in ("R-A", "R-B", "R-X"))
    assert st.best_insertion(x) is None
    for r in (a, b):
        one = st.copy()
        one.remove(r)
        assert one.best_insertion(x) is None
    repair_greedy(st, [x])
    repair_regret(st, [x])
    assert x not in st.assign


def test_destroy_eject_ejects_both_and_the_repair_moves_them() -> None:
    s, inst = _two_in_the_way()
    st = _blocked_state(inst)
    a, b, x = (inst.request_index[k] for k in ("R-A", "R-B", "R-X"))
    before = _check(s, inst, st)
    assert destroy_eject(st, 2, random.Random(0)) == []
    # The crisis request is in, and the move re-planned the two low visits elsewhere.
    assert set(st.assign) == {a, b, x}
    c2 = inst.scenario.consultants[1].id
    plan = assemble_plan(inst, st.assignments(), "feasible", None, 0.0)
    by_request = {v.request: v.consultants for v in plan.visits}
    assert by_request["R-A"] == by_request["R-B"] == (c2,)
    after = _check(s, inst, st)
    # 8000 for the open crisis request against two continuity misses of 60.
    assert after == before - 8000 + 2 * 60


def test_alns_plans_all_three_from_the_blocked_plan() -> None:
    s, inst = _two_in_the_way()
    st = _blocked_state(inst)
    best = alns(st, random.Random(3), lambda it: it >= 30)
    assert len(best.assign) == 3
    _check(s, inst, best)


def test_destroy_replace_drops_cheaper_visits_when_they_cannot_move() -> None:
    """Without C2 the low visits have nowhere else to go: the crisis request takes their
    place and they stay open (2 x 1000 instead of 8000)."""
    consultants = [_consultant("C1", [("mon", "09:00", "11:00")], skills=["emdr"])]
    requests = [
        {"id": "R-A", "urgency": "low", "duration_minutes": 60},
        {"id": "R-B", "urgency": "low", "duration_minutes": 60},
        {"id": "R-X", "urgency": "crisis", "duration_minutes": 120, "skills": ["emdr"]},
    ]
    s, inst = _week(consultants, requests, "replace")
    st = _blocked_state(inst)
    a, b, x = (inst.request_index[k] for k in ("R-A", "R-B", "R-X"))
    before = _check(s, inst, st)
    assert destroy_replace(st, 2, random.Random(0)) == []
    repair_greedy(st, [a, b])
    assert set(st.assign) == {x}
    after = _check(s, inst, st)
    assert after == before - 8 * 1000 + 2 * 1000


def test_destroy_eject_frees_a_weekly_cap_with_a_visit_on_another_day() -> None:
    """C1 (weekly cap 2, the only ``emdr`` consultant) has a pinned visit on Monday and a
    low one on Tuesday; the crisis request fits Monday's time but not the cap. Ejecting
    the Tuesday visit (C2 can take it) lets it in."""
    consultants = [
        _consultant(
            "C1",
            [("mon", "09:00", "12:00"), ("tue", "09:00", "12:00")],
            skills=["emdr"],
            max_visits_per_week=2,
        ),
        _consultant("C2", [("tue", "09:00", "12:00")]),
    ]
    requests = [
        {
            "id": "R-P",
            "urgency": "normal",
            "duration_minutes": 60,
            "pinned": {"consultants": ["C1"], "date": MON, "start": "09:00"},
        },
        {"id": "R-B", "urgency": "low", "duration_minutes": 60, "previous": "C1"},
        {
            "id": "R-X",
            "urgency": "crisis",
            "duration_minutes": 60,
            "skills": ["emdr"],
            "latest": MON,
        },
    ]
    s, inst = _week(consultants, requests, "weekly-cap")
    p, b, x = (inst.request_index[k] for k in ("R-P", "R-B", "R-X"))
    st = SearchState(inst)
    _place(st, p, "C1", 0)
    _place(st, b, "C1", 1)
    assert st.best_insertion(x) is None  # at the cap
    before = _check(s, inst, st)
    destroy_eject(st, 2, random.Random(0))
    assert set(st.assign) == {p, b, x}
    c2 = inst.scenario.consultants[1].id
    plan = assemble_plan(inst, st.assignments(), "feasible", None, 0.0)
    assert {v.request: v.consultants for v in plan.visits}["R-B"] == (c2,)
    assert _check(s, inst, st) < before


def test_destroy_eject_is_reproducible_and_uses_only_its_rng() -> None:
    _, inst = _two_in_the_way()
    runs = []
    for _ in range(2):
        st = _blocked_state(inst)
        destroy_eject(st, 2, random.Random(5))
        repair_greedy(st, [r.index for r in inst.requests], random.Random(5))
        runs.append(st.assignments())
    assert runs[0] == runs[1]
