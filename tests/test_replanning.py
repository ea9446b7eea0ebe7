"""Re-planning against published visits (FORMAT.md): loading, validation, checker, solver."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import textwrap
from pathlib import Path

import pytest

from matcher.checker import check_plan
from matcher.cycle.replan_generate import make_replan
from matcher.cycle.replanning import changed_visits, published_as_visits
from matcher.explain.reasons import explain_unassigned
from matcher.scenario.domain import Plan, PublishedVisit, Scenario, Unavailability, Visit
from matcher.scenario.loader import load_scenario, parse_text
from matcher.scenario.problems import ScenarioError
from matcher.scenario.validate import validate_document
from matcher.scenario.writer import scenario_to_dict
from matcher.solver.assemble import assemble_plan
from matcher.solver.model import Assignment, keeps_published, prepare
from matcher.solver.solve import SolveParams
from matcher.travel import build_travel_matrix

solve_module = importlib.import_module("matcher.solver.solve")


def _published(plan: Plan) -> tuple[PublishedVisit, ...]:
    return tuple(PublishedVisit(v.request, v.date, v.start, v.consultants) for v in plan.visits)


def _reload(s: Scenario) -> Scenario:
    """Through the document and the validator, as a file would come in."""
    return validate_document(scenario_to_dict(s), "<replan>")


def _solve(s: Scenario, seconds: float = 5.0) -> Plan:
    return solve_module.solve(s, SolveParams(time_limit=seconds, workers=1, seed=1)).plan


@pytest.fixture
def optimal_plan(example: Scenario) -> Plan:
    """The example solved to optimality (small: the exact path proves it)."""
    plan = _solve(example)
    assert plan.solver.status == "optimal"
    return plan


@pytest.fixture
def republished(example: Scenario, optimal_plan: Plan) -> Scenario:
    """The example with its optimal plan published and ``now`` on Tuesday at noon."""
    return _reload(
        dataclasses.replace(
            example,
            published=_published(optimal_plan),
            now=dt.datetime(2026, 11, 24, 12, 0),
        )
    )


# Loading and validation ---------------------------------------------------------------------


def _doc(extra: str) -> str:
    text = (Path(__file__).parent.parent / "scenarios" / "voorbeeld-week-48.yaml").read_text()
    return text + "\n" + textwrap.dedent(extra)


def test_now_published_change_and_rates_load_and_round_trip(example: Scenario) -> None:
    s = dataclasses.replace(
        example,
        providers=tuple(
            dataclasses.replace(p, hourly_rate=95.5, km_rate=0.23) for p in example.providers
        ),
        weights=dataclasses.replace(example.weights, change=250),
        now=dt.datetime(2026, 11, 24, 8, 0),
        published=(PublishedVisit("R-1", dt.date(2026, 11, 24), 600, ("C-FIER-1",)),),
    )
    back = _reload(s)
    assert back == s
    assert back.weights.change == 250
    assert back.providers[0].hourly_rate == 95.5 and back.providers[0].km_rate == 0.23
    assert back.published_visit("R-1") == s.published[0]
    assert back.forced("R-1") is None  # starts after now


def test_defaults_without_published() -> None:
    s = validate_document(parse_text(_doc("")), "<x>")
    assert s.now is None and s.published == () and s.weights.change == 300


def test_published_problems_are_all_reported_with_paths() -> None:
    doc = parse_text(
        _doc(
            """
            now: "2026-11-24 12:00"
            published:
              - {request: R-404, date: 2026-11-24, start: "10:00", consultants: [C-FIER-1]}
              - {request: R-1, date: 2026-11-24, start: "10:00", consultants: [C-FIER-1]}
              - {request: R-1, date: 2026-11-25, start: "10:00", consultants: [C-FIER-1]}
              - {request: R-2, date: 2026-11-24, start: "25:00", consultants: []}
              - {request: R-3, date: 2026-11-24, start: "10:00", people: [C-FIER-1]}
            """
        )
    )
    with pytest.raises(ScenarioError) as err:
        validate_document(doc, "week.yaml")
    paths = {p.path for p in err.value.problems}
    assert {
        "now",
        "published[0].request",
        "published[2].request",
        "published[3].start",
        "published[3].consultants",
        "published[4].people",
        "published[4].consultants",
    } <= paths
    assert all(p.file == "week.yaml" for p in err.value.problems)


def test_a_visit_before_now_that_breaks_a_rule_is_refused(
    republished: Scenario, optimal_plan: Plan
) -> None:
    # A Tuesday-morning visit has taken place; its consultant is now marked sick then.
    past = next(
        (i, p)
        for i, p in enumerate(republished.published)
        if republished.forced(p.request) is not None
    )
    i, p = past
    sick = p.consultants[0]
    consultants = tuple(
        dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(p.date)))
        if c.id == sick
        else c
        for c in republished.consultants
    )
    with pytest.raises(ScenarioError) as err:
        _reload(dataclasses.replace(republished, consultants=consultants))
    problems = [x for x in err.value.problems if x.path == f"published[{i}]"]
    assert problems, err.value.problems
    assert sick in problems[0].what() and "before now" in problems[0].hint()
    assert problems[0].code == "published_breaks_rule"


def test_a_visit_after_now_may_break_a_rule(republished: Scenario) -> None:
    future = [p for p in republished.published if republished.forced(p.request) is None]
    assert future
    p = future[0]
    consultants = tuple(
        dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(p.date)))
        if c.id in p.consultants
        else c
        for c in republished.consultants
    )
    s = _reload(dataclasses.replace(republished, consultants=consultants))
    assert s.published_visit(p.request) == p


# The checker --------------------------------------------------------------------------------


def test_checker_counts_changed_visits_and_their_cost(
    republished: Scenario, optimal_plan: Plan
) -> None:
    travel = build_travel_matrix(republished)
    same = check_plan(republished, optimal_plan, travel)
    assert same.feasible, same.violations
    assert same.changed == 0 and same.objective == optimal_plan.solver.objective
    # Move one visit that starts after now by one minute: one published visit not kept.
    visits = list(optimal_plan.visits)
    k = next(i for i, v in enumerate(visits) if republished.forced(v.request) is None)
    v = visits[k]
    visits[k] = dataclasses.replace(v, start=v.start + 1, end=v.end + 1)
    moved = dataclasses.replace(
        optimal_plan,
        visits=tuple(visits),
        solver=dataclasses.replace(optimal_plan.solver, objective=None),
    )
    report = check_plan(republished, moved, travel)
    assert report.changed == 1
    assert report.change_cost == republished.weights.change
    assert [p.request for p in changed_visits(republished, moved)] == [v.request]
    # travel is unchanged by a one-minute shift unless it breaks the tour
    assert report.objective == same.objective + 300 or not report.feasible


def _unscored(plan: Plan, visits: tuple[Visit, ...] | None = None) -> Plan:
    """The plan (or other visits) without a claimed objective, for the checker to score."""
    solver = dataclasses.replace(plan.solver, objective=None, bound=None)
    return dataclasses.replace(
        plan, visits=plan.visits if visits is None else visits, solver=solver
    )


def test_checker_refuses_visits_before_now(republished: Scenario, optimal_plan: Plan) -> None:
    travel = build_travel_matrix(republished)
    forced = next(v for v in optimal_plan.visits if republished.forced(v.request) is not None)
    # Not keeping a visit that has taken place is a violation ...
    moved = dataclasses.replace(forced, start=forced.start + 5, end=forced.end + 5)
    visits = tuple(moved if v is forced else v for v in optimal_plan.visits)
    report = check_plan(republished, _unscored(optimal_plan, visits), travel)
    assert any(
        forced.request in v.requests and "started before now" in v.text for v in report.details
    )
    # ... and so is a new visit placed before now.
    unpublished = dataclasses.replace(
        republished,
        published=tuple(p for p in republished.published if p.request != forced.request),
    )
    report = check_plan(unpublished, _unscored(optimal_plan), travel)
    assert any(forced.request in v.requests and "before now" in v.text for v in report.details)


def test_now_alone_forbids_earlier_starts(example: Scenario, optimal_plan: Plan) -> None:
    late = dataclasses.replace(example, now=dt.datetime(2026, 11, 27, 23, 0))
    report = check_plan(late, optimal_plan)
    assert len([t for t in report.violations if "before now" in t]) == len(optimal_plan.visits)


# The solver (both paths) and the explanations -------------------------------------------------


@pytest.fixture(params=["exact", "search"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the solver through the exact CP-SAT path or the neighbourhood-search path."""
    if request.param == "search":
        monkeypatch.setattr(solve_module, "FULL_MODEL_MAX_ARCS", 0)
    return str(request.param)


def test_nothing_changed_keeps_every_visit(
    republished: Scenario, optimal_plan: Plan, path: str
) -> None:
    plan = _solve(republished)
    report = check_plan(republished, plan)
    assert report.feasible, report.violations
    assert report.changed == 0 and plan.kpis["changed"] == 0
    assert plan.solver.objective == optimal_plan.solver.objective == report.objective


def test_a_kept_joint_visit_keeps_its_published_order_of_consultants(
    republished: Scenario,
) -> None:
    inst = prepare(republished)
    (joint,) = [r for r in inst.requests if r.n_roles > 1]
    assert joint.keep is not None and len(joint.keep.tours) == 2
    # The same consultants at the same start in the other roles: kept (FORMAT.md asks for
    # the same set), and the plan shows them in the published order.
    swapped = Assignment(joint.index, tuple(reversed(joint.keep.tours)), joint.keep.start)
    assert keeps_published(inst, swapped)
    (visit,) = assemble_plan(inst, [swapped], "feasible", None, 0.0).visits
    (published,) = [p for p in republished.published if p.request == joint.request.id]
    assert visit.consultants == published.consultants


def test_sick_consultant_moves_only_what_it_must(
    example: Scenario, optimal_plan: Plan, path: str
) -> None:
    s = _reload(make_replan(example, optimal_plan, seed=3, sick=1, now_day=1, now_minutes=12 * 60))
    plan = _solve(s)
    report = check_plan(s, plan)
    assert report.feasible, report.violations
    assert plan.solver.objective == report.objective
    assert plan.kpis["changed"] == report.changed
    # Every visit that is not a kept published visit starts at or after now.
    kept = {p.request for p in s.published} - {p.request for p in changed_visits(s, plan)}
    for v in plan.visits:
        assert v.request in kept or not s.before_now(v.date, v.start)
    # What the absence broke must move; what still holds stays (a move costs 300).
    sick = {c.id: c for c, c0 in zip(s.consultants, example.consultants, strict=False) if c != c0}
    broken = {
        p.request
        for p in s.published
        if any(
            u.date == p.date for cid in p.consultants if cid in sick for u in sick[cid].unavailable
        )
    }
    assert broken, "the case should break at least one published visit"
    changed = {p.request for p in changed_visits(s, plan)}
    assert broken <= changed
    assert len(changed) <= len(broken) + 1
    # Never worse than keeping everything that holds and leaving the rest open.
    holding = tuple(v for v in published_as_visits(s) if v.request not in broken)
    left = (
        tuple(
            dataclasses.replace(plan.unassigned[0], request=r.id, reasons=("open",))
            for r in s.requests
            if r.id not in {v.request for v in holding}
        )
        if plan.unassigned
        else ()
    )
    if len(left) == len(s.requests) - len(holding):
        trivial = check_plan(s, dataclasses.replace(_unscored(plan, holding), unassigned=left))
        assert trivial.feasible, trivial.violations
        assert report.objective <= trivial.objective


def test_a_request_only_possible_before_now_is_explained(example: Scenario) -> None:
    unpinned = tuple(dataclasses.replace(r, pinned=None) for r in example.requests)
    late = _reload(
        dataclasses.replace(example, requests=unpinned, now=dt.datetime(2026, 11, 27, 23, 0))
    )
    plan = _solve(late, 2.0)
    assert plan.visits == ()
    reasons = {u.request: u.reasons for u in plan.unassigned}
    assert all(any("before now" in r for r in rs) for rs in reasons.values()), reasons
    direct = explain_unassigned(late, (), build_travel_matrix(late), [r.id for r in late.requests])
    assert all(any("before now" in r for r in rs) for rs in direct.values())


def test_a_pin_before_now_that_is_not_published_makes_the_pins_infeasible(
    example: Scenario,
) -> None:
    late = _reload(dataclasses.replace(example, now=dt.datetime(2026, 11, 27, 23, 0)))
    plan = _solve(late, 2.0)
    assert plan.solver.status == "infeasible"
    pinned = {r.id for r in late.requests if r.pinned is not None}
    assert pinned and set(plan.extra["infeasible_pins"]) == pinned


def test_replan_of_a_generated_week_is_feasible_and_first_plan_keeps_published() -> None:
    week = load_scenario(Path(__file__).parent.parent / "scenarios" / "limburg-week.yaml")
    base = solve_module.solve(week, SolveParams(time_limit=3, workers=1, seed=2)).plan
    s = _reload(make_replan(week, base, seed=5, sick=2))
    result = solve_module.solve(s, SolveParams(time_limit=3, workers=1, seed=2))
    report = check_plan(s, result.plan)
    assert report.feasible, report.violations[:5]
    assert result.history and result.history[0].elapsed < 2.0
    # The first plan already keeps what holds: at most the broken visits and a few more move.
    assert report.changed <= len(s.published) // 4


def test_bounds_stay_below_the_optimum_and_count_unavoidable_change(
    example: Scenario, optimal_plan: Plan
) -> None:
    from matcher.solver.bounds import flow_lower_bound, lower_bound, relaxation_bound
    from matcher.solver.model import prepare, unavoidable_change
    from matcher.solver.route_bound import RouteBound
    from matcher.solver.search import construct

    s = _reload(make_replan(example, optimal_plan, seed=3, sick=1, crisis=False))
    result = solve_module.solve(s, SolveParams(time_limit=10, workers=1, seed=1))
    assert result.status == "optimal"
    optimum = check_plan(s, result.plan).objective
    inst = prepare(s)
    forced_out = unavoidable_change(inst)
    assert forced_out >= s.weights.change  # the sick consultant's visit cannot be kept
    bounds = [
        lower_bound(inst),
        flow_lower_bound(inst, spread=1.0),
        relaxation_bound(inst, 5.0, lp_only=True),
        RouteBound(inst, construct(inst).assignments()).run(5.0),
    ]
    for b in bounds:
        assert b is not None and forced_out <= b <= optimum
    # Without the change weight the same relaxations are lower by exactly that constant.
    free = prepare(dataclasses.replace(s, weights=dataclasses.replace(s.weights, change=0)))
    assert flow_lower_bound(free, spread=1.0) == bounds[1] - forced_out  # type: ignore[operator]
    assert lower_bound(free) <= bounds[0] - forced_out


def test_replan_scenario_from_a_sent_plan_at_a_moment(
    example: Scenario, optimal_plan: Plan
) -> None:
    from zoneinfo import ZoneInfo

    from matcher.cycle.replanning import replan_scenario

    # 11:00 UTC on Tuesday is 12:00 in Amsterdam (winter time).
    moment = dt.datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("UTC"))
    s = replan_scenario(example, optimal_plan, moment)
    assert s.now == dt.datetime(2026, 11, 24, 12, 0)
    assert [p.request for p in s.published] == [v.request for v in optimal_plan.visits]
    plan = _solve(s)
    assert check_plan(s, plan).changed == 0
    # A consultant reported sick for a visit that has taken place: refused, naming it.
    past = next(v for v in optimal_plan.visits if s.forced(v.request) is not None)
    consultants = tuple(
        dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(past.date)))
        if c.id in past.consultants
        else c
        for c in example.consultants
    )
    with pytest.raises(ScenarioError) as err:
        replan_scenario(dataclasses.replace(example, consultants=consultants), optimal_plan, moment)
    assert all(p.path.startswith("published[") for p in err.value.problems)
