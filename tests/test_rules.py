"""One case per hard rule (matcher/rules): a tiny scenario in which the rule decides the
outcome, solved through both solve paths (the CP-SAT model alone, and the construction
plus neighbourhood search alone), each plan verified by the independent checker; where the
rule blocks a request, the structured reason of that rule is asserted by its code.

A new rule adds one :class:`Case` to :data:`CASES` (README, "Adding a rule").
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from ortools.sat.python import cp_model
from test_model import MON, TUE, consultant, location, minutes, request, scenario, youth

from matcher.checker import check_plan
from matcher.explain.reasons import pin_clash_messages, unassigned_messages
from matcher.messages import Message
from matcher.rules import HARD_RULES, Rule, SearchHook
from matcher.rules.caps import CapCounts
from matcher.scenario.domain import Plan, Scenario, Visit
from matcher.solver.cpsat import build_model, extract
from matcher.solver.instance import Instance, prepare
from matcher.solver.search import alns, construct
from matcher.solver.solve import assemble_plan


@dataclass(frozen=True)
class Case:
    """A rule, its tiny scenario, what the rule forces in the plan, and the reason code of
    the request it blocks (``blocked``), if any."""

    rule: str
    build: Callable[[], Scenario]
    expect: Callable[[Plan], bool]
    blocked: str | None = None
    code: str | None = None


def _visit(plan: Plan, rid: str) -> Visit:
    return next(v for v in plan.visits if v.request == rid)


def _planned(plan: Plan) -> set[str]:
    return {v.request for v in plan.visits}


def _two(**kw: Any) -> list[dict[str, Any]]:
    """C1 near the locations, C2 with skill ``b`` as well; ``kw`` changes C1."""
    return [consultant("C1", **kw), consultant("C2", skills=["a", "b"])]


def _skills() -> Scenario:
    # R1 needs 'b' (only C2); R2 needs 'z' that nobody has.
    return scenario(
        _two(),
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [request("R1", "Y-1", skills=["b"]), request("R2", "Y-2", skills=["z"])],
    )


def _exclusions() -> Scenario:
    # Y-1 excludes C1 (R1 goes to C2); Y-2 excludes both.
    return scenario(
        _two(),
        [location("L1", 0.1)],
        [
            youth("Y-1", "L1", excluded_consultants=["C1"]),
            youth("Y-2", "L1", excluded_consultants=["C1", "C2"]),
        ],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )


def _dates() -> Scenario:
    # R1 may not be on Monday; R2's youth is signalled after its latest date.
    avail = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue")]
    return scenario(
        [consultant("C1", availability=avail)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1", signalled_on=TUE)],
        [request("R1", "Y-1", earliest=TUE), request("R2", "Y-2", latest=MON)],
        days=(MON, TUE),
    )


def _joint() -> Scenario:
    # R1 needs two consultants with 'a'; R2 needs two with 'b' and only C2 has it.
    return scenario(
        _two(),
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [
            request("R1", "Y-1", skills=None, roles=[["a"], ["a"]]),
            request("R2", "Y-2", skills=None, roles=[["b"], ["b"]]),
        ],
    )


def _windows() -> Scenario:
    # C1 works 13:00-17:00 only; C2 (skill b) does not work on Monday at all.
    return scenario(
        [
            consultant("C1", availability=[{"weekday": "mon", "start": "13:00", "end": "17:00"}]),
            consultant("C2", skills=["b"], availability=[]),
        ],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [request("R1", "Y-1"), request("R2", "Y-2", skills=["b"])],
    )


def _time_of_day() -> Scenario:
    tod = {"start": "14:00", "end": "16:00"}
    short = {"start": "10:00", "end": "10:30"}
    return scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [request("R1", "Y-1", time_of_day=tod), request("R2", "Y-2", time_of_day=short)],
    )


def _opening_hours() -> Scenario:
    # L1 opens 15:00-17:00; L2 only 07:00-08:00, before the tour starts.
    return scenario(
        [consultant("C1")],
        [
            location("L1", 0.1, open=[{"weekday": "mon", "start": "15:00", "end": "17:00"}]),
            location("L2", 0.1, open=[{"weekday": "mon", "start": "07:00", "end": "08:00"}]),
        ],
        [youth("Y-1", "L1"), youth("Y-2", "L2")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )


def _pins() -> Scenario:
    # R1 pinned to C2 at 11:00 (C1 would be as good). A pin that cannot hold makes the
    # whole model infeasible, so its reason is tested below (pin clashes), not here.
    return scenario(
        _two(),
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", pinned={"consultants": ["C2"], "date": MON, "start": "11:00"})],
    )


def _routes() -> Scenario:
    # A two-hour tour: R1 (more urgent) and R2 are 60 minutes each at places 30+ minutes
    # apart (22 minutes from the base), so only one fits with the drives.
    return scenario(
        [consultant("C1", availability=[{"weekday": "mon", "start": "09:00", "end": "11:00"}])],
        [location("L1", 0.0), location("L2", 0.15)],
        [youth("Y-1", "L1", urgency="high"), youth("Y-2", "L2")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )


def _caps() -> Scenario:
    return scenario(
        [consultant("C1", max_visits_per_day=1)],
        [location("L1", 0.1)],
        [youth("Y-1", "L1", urgency="high"), youth("Y-2", "L1")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )


def _published() -> Scenario:
    # Now is Monday 12:00: R1 starts after it; R2 must be on Monday, by 12:00.
    return scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1"), youth("Y-2", "L1")],
        [
            request("R1", "Y-1"),
            request("R2", "Y-2", time_of_day={"start": "09:00", "end": "12:00"}),
        ],
        now=f"{MON}T12:00",
    )


def _published_kept() -> Scenario:
    # R1 was published for 15:00 (after now): moving it would cost weights.change.
    return scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1")],
        now=f"{MON}T08:00",
        published=[{"request": "R1", "date": MON, "start": "15:00", "consultants": ["C1"]}],
    )


CASES = [
    Case(
        "skills", _skills, lambda p: _visit(p, "R1").consultants == ("C2",), "R2", "skill_missing"
    ),
    Case(
        "exclusions",
        _exclusions,
        lambda p: _visit(p, "R1").consultants == ("C2",),
        "R2",
        "excluded_only_many",
    ),
    Case(
        "dates",
        _dates,
        lambda p: _visit(p, "R1").date.isoformat() == TUE,
        "R2",
        "signalled_after_latest",
    ),
    Case(
        "joint",
        _joint,
        lambda p: set(_visit(p, "R1").consultants) == {"C1", "C2"},
        "R2",
        "joint_too_few_one",
    ),
    Case(
        "windows",
        _windows,
        lambda p: _visit(p, "R1").start >= minutes("13:00"),
        "R2",
        "not_available",
    ),
    Case(
        "time_of_day",
        _time_of_day,
        lambda p: minutes("14:00") <= _visit(p, "R1").start <= minutes("15:00"),
        "R2",
        "time_of_day_too_short",
    ),
    Case(
        "opening_hours",
        _opening_hours,
        lambda p: _visit(p, "R1").start >= minutes("15:00"),
        "R2",
        "outside_opening_hours",
    ),
    Case(
        "pins",
        _pins,
        lambda p: (_visit(p, "R1").consultants, _visit(p, "R1").start) == (("C2",), 660),
    ),
    Case("routes", _routes, lambda p: _planned(p) == {"R1"}, "R2", "capacity_taken"),
    Case("caps", _caps, lambda p: _planned(p) == {"R1"}, "R2", "capacity_taken"),
    Case(
        "published",
        _published,
        lambda p: _visit(p, "R1").start >= minutes("12:00"),
        "R2",
        "only_before_now",
    ),
    Case("published", _published_kept, lambda p: _visit(p, "R1").start == minutes("15:00")),
]


def _solve_cpsat(inst: Instance) -> list[Any]:
    pm = build_model(inst)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(pm.model)
    assert status == cp_model.OPTIMAL
    return extract(pm, solver)


def _solve_search(inst: Instance) -> list[Any]:
    st = construct(inst)
    return alns(st, random.Random(1), lambda it: it >= 30).assignments()


PATHS = {"cpsat": _solve_cpsat, "search": _solve_search}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_decides_the_plan(case: Case, path: str) -> None:
    s = case.build()
    inst = prepare(s)
    assignments = PATHS[path](inst)
    plan = assemble_plan(inst, assignments, "feasible", None, 0.0)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    assert report.objective == plan.solver.objective
    assert case.expect(plan), plan.visits
    if case.blocked is not None:
        assert [u.request for u in plan.unassigned] == [case.blocked]
        got = unassigned_messages(s, plan.visits, inst.travel, [case.blocked])[case.blocked]
        assert case.code in [m.code for m in got], [str(m) for m in got]
        assert all(isinstance(m, Message) for m in got)


def test_a_pin_that_cannot_hold_gives_the_reason_of_the_pins_rule() -> None:
    # The tour starts at 09:00 and the location is a drive away: a 09:00 start cannot hold.
    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1")],
        [request("R1", "Y-1", pinned={"consultants": ["C1"], "date": MON, "start": "09:00"})],
    )
    got = pin_clash_messages(s, prepare(s).travel)
    assert [m.code for m in got] == ["pin_of"]
    assert got[0].params["reason"].code == "pin_start_no_drive"
    assert "pins" in {r.name for r in HARD_RULES if "pin_start_no_drive" in r.codes}
    assert "09:00" in got[0].render("nl") and "vastzetting van R1" in got[0].render("nl")


def test_every_rule_has_a_case_and_its_codes_exist() -> None:
    """A rule without a case here, or a code of a rule without both texts (English and
    Dutch, with the same placeholders, the Dutch not the English), fails."""
    from matcher.messages import placeholders, table

    assert {r.name for r in HARD_RULES} == {c.rule for c in CASES}
    for r in HARD_RULES:
        assert r.codes, r.name
        for code, texts in r.texts.items():
            assert isinstance(texts, tuple) and len(texts) == 2, (r.name, code)
            en, nl = texts
            assert en.strip() and nl.strip() and en != nl, (r.name, code)
            assert placeholders(en) == placeholders(nl), (r.name, code)
            assert (table("en")[code], table("nl")[code]) == (en, nl), (r.name, code)
    for c in CASES:
        assert c.code is None or c.code in {code for r in HARD_RULES for code in r.codes}


def test_the_explanations_ask_every_rule_that_blocks_against_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule's ``blocks`` hook is all the explanations need against the plan: a made-up
    rule that closes every day turns "could be added" into its own phrase."""
    import matcher.explain.against_plan as against_plan
    from matcher.rules import PlanBlock, caps

    s = scenario(
        [consultant("C1")],
        [location("L1", 0.1)],
        [youth("Y-1", "L1", urgency="high"), youth("Y-2", "L1")],
        [request("R1", "Y-1"), request("R2", "Y-2")],
    )
    inst = prepare(s)
    r1 = [v for v in _solve_cpsat_plan(inst).visits if v.request == "R1"]
    free = unassigned_messages(s, r1, inst.travel, ["R2"])["R2"]
    assert [m.code for m in free] == ["could_be_added"]
    assert [h.__name__ for h in against_plan.plan_blocks()] == ["blocks"]  # the caps' hook

    def closed(ctx: object, req: object, c: str, d: object) -> PlanBlock:
        return PlanBlock("closed", ("R1",), lambda _days, _inner: caps.at_week_cap(c, 1), True)

    monkeypatch.setattr(against_plan, "plan_blocks", lambda: (closed,))
    got = unassigned_messages(s, r1, inst.travel, ["R2"])["R2"]
    assert [m.code for m in got] == ["capacity_taken"]
    assert str(got[0]) == "capacity taken by more urgent requests (C1 at max 1 visit per week)"


def _solve_cpsat_plan(inst: Instance) -> Plan:
    return assemble_plan(inst, _solve_cpsat(inst), "feasible", None, 0.0)


def test_cap_counts_follow_insertions_and_removals() -> None:
    """The caps' set of tours without room equals a recount after every move."""
    from matcher.scenario.generate import generate_scenario
    from matcher.scenario.loader import parse_scenario

    s = parse_scenario(generate_scenario(5, 40, 10), "<generated>")
    inst = prepare(s)
    st = construct(inst)
    rng = random.Random(3)
    for _ in range(30):
        for r in rng.sample(sorted(st.assign), min(4, len(st.assign))):
            if r in st.assign:
                st.remove(r)
        for r in range(len(inst.requests)):
            if r not in st.assign and (got := st.best_insertion(r)) is not None:
                st.insert(r, got[1], got[2])
        fresh = CapCounts(inst)
        for r, tours in st.assign.items():
            for t in tours:
                fresh.count(t, r, 1)
        assert st.no_room == fresh.no_room
        assert all(not st.room(t) for t in fresh.no_room)


class _NotR1(SearchHook):
    """A rule that forbids R1 in every tour, asked per request (``per_request``)."""

    per_request = True

    def __init__(self, inst: Instance) -> None:
        super().__init__()
        self.r1 = inst.request_index["R1"]
        self.asked = 0

    def copy(self) -> _NotR1:
        new = _NotR1.__new__(_NotR1)
        new.no_room, new.r1, new.asked = set(self.no_room), self.r1, self.asked
        return new

    def allows(self, request: int, tour: int) -> bool:
        self.asked += 1
        return request != self.r1


def test_a_new_rules_search_hook_is_asked_for_every_insertion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The search asks a rule's per-request hook (single and joint visits alike)."""
    import matcher.solver.search_state as search_state

    rule = Rule("not_r1", search=_NotR1)
    monkeypatch.setattr(search_state, "HARD_RULES", (*HARD_RULES, rule))
    s = _joint()  # R1 is a joint visit, R2 cannot be planned at all
    inst = prepare(s)
    st = construct(inst)
    assert st.assign == {}
    (hook,) = [h for h in st.hooks if isinstance(h, _NotR1)]
    assert hook.asked > 0
    s2 = _exclusions()  # R1 a single visit
    st2 = construct(prepare(s2))
    assert prepare(s2).request_index["R1"] not in st2.assign
