"""Tests of the construction and neighbourhood search (plans verified by the checker)."""

from __future__ import annotations

import random

import pytest
from solver_checks import brute_force_places

from matcher.checker import check_plan
from matcher.scenario.domain import Scenario
from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import parse_scenario
from matcher.solver.model import Instance, prepare, score
from matcher.solver.search import SearchState, alns, construct
from matcher.solver.solve import assemble_plan


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


def test_the_running_total_is_the_objective_after_every_change(
    week: tuple[Scenario, Instance],
) -> None:
    _, inst = week
    st = construct(inst)
    rng = random.Random(7)
    copies = []
    for step in range(200):
        planned = [r for r in st.assign if inst.requests[r].request.pinned is None]
        open_ = [r for r in range(len(inst.requests)) if r not in st.assign]
        if planned and (not open_ or rng.random() < 0.5):
            st.remove(rng.choice(planned))
        elif (got := st.best_insertion(r := rng.choice(open_))) is not None:
            st.insert(r, got[1], got[2])
        assert st.total() == score(inst, st.assignments()).total
        if step % 50 == 0:
            copies.append((st.copy(), st.total()))
            # Each planned request's own cost, kept by insert and remove, is what a state
            # loaded from the same plan computes.
            fresh = SearchState.from_assignments(inst, st.assignments())
            assert {r: st.request_cost(r) for r in st.assign} == {
                r: fresh.request_cost(r) for r in fresh.assign
            }
    # Copies keep their own total (the per-tour lists they share are never changed), and
    # go on correctly from there.
    for cp, total in copies:
        assert cp.total() == total == score(inst, cp.assignments()).total
        for r in [r for r in cp.assign if inst.requests[r].request.pinned is None][:5]:
            cp.remove(r)
            assert cp.total() == score(inst, cp.assignments()).total


def _crowded_week() -> tuple[Scenario, Instance]:
    """One consultant, room for one visit on Monday; a normal request holds it, and a crisis
    request that can only be on Monday arrives. Only ejecting the normal one (to Tuesday)
    plans both."""
    from matcher.scenario.validate import validate_document

    doc = {
        "format": 1,
        "name": "crowded",
        "days": ["2026-11-23", "2026-11-24"],
        "providers": [{"id": "p", "name": "P"}],
        "consultants": [
            {
                "id": "C1",
                "provider": "p",
                "name": "A",
                "email": "a@x.example",
                "base": {"lat": 50.85, "lon": 5.69},
                "availability": [
                    {"weekday": "mon", "start": "09:00", "end": "11:00"},
                    {"weekday": "tue", "start": "09:00", "end": "11:00"},
                ],
                "max_visits_per_day": 1,
            }
        ],
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
        "youths": [
            {
                "id": "Y1",
                "location": "L1",
                "gemeente": "Maastricht",
                "signalled_on": "2026-11-23",
                "urgency": "low",
            },
            {
                "id": "Y2",
                "location": "L1",
                "gemeente": "Maastricht",
                "signalled_on": "2026-11-23",
                "urgency": "crisis",
            },
        ],
        "requests": [
            {"id": "R-LOW", "youth": "Y1", "duration_minutes": 60},
            {"id": "R-CRISIS", "youth": "Y2", "duration_minutes": 60, "latest": "2026-11-23"},
        ],
    }
    s = validate_document(doc, "<crowded>")
    return s, prepare(s)


def test_destroy_for_open_ejects_the_visit_that_blocks_an_open_request() -> None:
    from matcher.solver.search import destroy_for_open

    s, inst = _crowded_week()
    st = SearchState(inst)
    low, crisis = inst.request_index["R-LOW"], inst.request_index["R-CRISIS"]
    ins = st.best_insertion(
        low, {o.tour for o in inst.requests[low].options if inst.tours[o.tour].day == 0}
    )
    assert ins is not None
    st.insert(low, ins[1], ins[2])  # the low request takes Monday
    assert st.best_insertion(crisis) is None  # the crisis request is blocked
    assert destroy_for_open(st, 3, random.Random(0)) == [low]
    best = alns(st, random.Random(0), lambda it: it >= 40)
    assert set(best.assign) == {low, crisis}
    _check(s, inst, best)


def test_a_polished_state_keeps_counting_the_search_work(
    week: tuple[Scenario, Instance], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A state that ``polish`` returns (built afresh, with its own work counter) carries on
    the search's work count, so a work budget still ends the search (one worker: the
    same seed gives the same plan, whatever the machine's speed)."""
    _, inst = week
    good = alns(construct(inst), random.Random(2), lambda it: it >= 600)
    adopted: list[SearchState] = []

    def polish(best: SearchState, _rng: random.Random) -> SearchState | None:
        if adopted or good.total() >= best.total():
            return None
        fresh = SearchState.from_assignments(inst, good.assignments())
        adopted.append(fresh)
        return fresh

    monkeypatch.setattr("matcher.solver.search.POLISH_WORK", 2_000)  # polish early
    st = construct(inst)
    budget = st.work[0] + 100_000
    iterations = [0]

    def stop(it: int) -> bool:
        iterations[0] = it
        return st.work[0] >= budget or it >= 20_000

    best = alns(st, random.Random(1), stop, polish=polish)
    assert adopted, "the fixture's polish never found a better plan"
    assert st.work[0] >= budget and iterations[0] < 20_000
    assert best.total() <= good.total()


class _Half(random.Random):
    """A generator whose ``random()`` is always 0.5 (destroy_worst's noise factor 1)."""

    def random(self) -> float:
        return 0.5


def test_destroy_worst_takes_the_visits_that_cost_most_above_their_cheapest_day(
    week: tuple[Scenario, Instance],
) -> None:
    from matcher.solver.search import destroy_worst

    _s, inst = week
    st = construct(inst)
    # Independently: what each removal saves, plus its leave-out cost, less its least
    # waiting cost, is the visit's cost above its cheapest day (travel share included).
    expected = []
    for r in st.assign:
        if inst.requests[r].request.pinned is not None:
            continue
        without = st.copy()
        assert not without.remove(r)
        extra = st.total() - without.total() + st.leave_out_cost(r)
        extra -= min(inst.requests[r].wait_cost.values())
        expected.append((float(extra), r))
    expected.sort(reverse=True)
    q = 7
    assert destroy_worst(st, q, _Half()) == [r for _, r in expected[:q]]


def _brute_force_place(st: SearchState, r: int, tours: set[int]) -> int | None:
    """The cheapest cost of single visit ``r`` in ``tours`` (brute force)."""
    return min(brute_force_places(st, r, tours).values(), default=None)


def _open_singles(inst: Instance, k: int) -> tuple[SearchState, list[int]]:
    """A constructed plan with its first ``k`` planned single, unpinned visits taken out."""
    st = construct(inst)
    singles = [
        r
        for r in sorted(st.assign)
        if inst.requests[r].n_roles == 1 and inst.requests[r].request.pinned is None
    ][:k]
    for r in singles:
        st.remove(r)
    return st, singles


def test_best_insertion_in_a_few_tours_or_many_is_the_cheapest_place(
    week: tuple[Scenario, Instance],
) -> None:
    _s, inst = week
    st, singles = _open_singles(inst, 12)
    rng = random.Random(3)
    checked = 0
    for r in singles:
        tours = sorted(st.option_tours[r])
        # One or two tours (looked up by rank), half of them (scanned), and all.
        for subset in (
            set(rng.sample(tours, 1)),
            set(rng.sample(tours, min(2, len(tours)))),
            set(rng.sample(tours, len(tours) // 2)),
            None,
        ):
            got = st.best_insertion(r, subset)
            expected = _brute_force_place(st, r, set(tours) if subset is None else subset)
            assert (got and got[0]) == expected, (r, subset)
            if got is not None:
                assert subset is None or got[1][0][0] in subset
                checked += 1
        # Kept out of the tour of its best place: the best of the other tours.
        best = st.best_insertion(r)
        if best is not None:
            ((t0, _gap),) = best[1]
            got = st.best_insertion(r, exclude=t0)
            assert (got and got[0]) == _brute_force_place(st, r, set(tours) - {t0}), r
            assert got is None or got[1][0][0] != t0
            checked += 1
    assert checked >= 24


def test_two_best_places_are_the_cheapest_places_of_two_different_tours(
    week: tuple[Scenario, Instance],
) -> None:
    _s, inst = week
    st, singles = _open_singles(inst, 12)
    rng = random.Random(5)
    checked = 0
    for r in singles:
        tours = sorted(st.option_tours[r])
        for subset in (set(rng.sample(tours, min(2, len(tours)))), None):
            among = set(tours) if subset is None else subset
            per_tour = sorted(brute_force_places(st, r, among).values())
            first, second = st.two_best_places(r, subset)
            assert (first and first[0]) == (per_tour[0] if per_tour else None), (r, subset)
            assert (second and second[0]) == (per_tour[1] if len(per_tour) > 1 else None)
            if first is not None and second is not None:
                assert first[1] != second[1]
                assert first[0] == _brute_force_place(st, r, {first[1]})
                assert second[0] == _brute_force_place(st, r, {second[1]})
                checked += 1
    assert checked >= 12
