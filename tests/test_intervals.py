"""Allowed-start intervals and the windows of a route's visits (matcher.solver.intervals)."""

from __future__ import annotations

import random

import pytest

from matcher.solver.intervals import Interval, cut, union, visit_windows

Visit = tuple[int, int, list[Interval]]


@pytest.fixture
def minutes() -> list[list[int]]:
    """Travel between the base (0) and two places (1, 2)."""
    return [[0, 5, 7], [5, 0, 3], [7, 3, 0]]


def _brute_windows(
    minutes: list[list[int]], start: int, end: int, visits: list[Visit]
) -> tuple[list[int], list[int]] | None:
    """Per visit the least and the greatest start over every schedule, found by trying
    every start minute (waiting allowed), independently of the function under test."""
    seen: list[set[int]] = [set() for _ in visits]

    def go(i: int, here: int, free: int, starts: list[int]) -> None:
        if i == len(visits):
            if free + minutes[here][0] <= end:
                for k, s in enumerate(starts):
                    seen[k].add(s)
            return
        point, duration, allowed = visits[i]
        for s in range(free + minutes[here][point], end + 1):
            if any(a <= s <= b for a, b in allowed):
                go(i + 1, point, s + duration, [*starts, s])

    go(0, 0, start, [])
    if not seen[0]:
        return None
    return [min(x) for x in seen], [max(x) for x in seen]


def test_the_windows_of_a_route_are_its_earliest_and_latest_starts(
    minutes: list[list[int]],
) -> None:
    visits: list[Visit] = [(1, 10, [(0, 8), (20, 30)]), (2, 5, [(10, 40)])]
    got = visit_windows(minutes, 0, 0, 60, visits)
    # Leave at 0, arrive at place 1 at 5, start at once, end 15, arrive at place 2 at 18.
    # Back by 60: place 2 starts at the latest at 60 - 7 - 5 = 48, but its window ends at
    # 40; so place 1 must end by 37 and starts at the latest at 27.
    assert got == ([5, 18], [27, 40])


def test_a_route_that_cannot_be_back_in_time_has_no_windows(minutes: list[list[int]]) -> None:
    assert visit_windows(minutes, 0, 0, 20, [(1, 10, [(0, 60)]), (2, 5, [(0, 60)])]) is None
    assert visit_windows(minutes, 0, 0, 60, [(1, 10, [(0, 3)])]) is None  # arrives at 5
    # Earliest end 15, back at 20 > 18 (the latest start alone, 3, would still exist).
    assert visit_windows(minutes, 0, 0, 18, [(1, 10, [(0, 60)])]) is None


def test_the_windows_agree_with_trying_every_schedule(minutes: list[list[int]]) -> None:
    rng = random.Random(7)
    tried = 0
    for _ in range(300):
        visits: list[Visit] = []
        for _k in range(rng.randint(1, 3)):
            a = rng.randint(0, 40)
            allowed = [(a, a + rng.randint(0, 8))]
            if rng.random() < 0.5:
                b = allowed[0][1] + rng.randint(2, 10)
                allowed.append((b, b + rng.randint(0, 8)))
            visits.append((rng.randint(1, 2), rng.randint(1, 10), allowed))
        end = rng.randint(30, 70)
        want = _brute_windows(minutes, 0, end, visits)
        assert visit_windows(minutes, 0, 0, end, visits) == want, (visits, end)
        tried += want is not None
    assert tried > 50  # enough of the random routes could be driven


def _minutes(intervals: list[Interval]) -> set[int]:
    return {m for lo, hi in intervals for m in range(lo, hi + 1)}


def test_a_cut_keeps_exactly_the_minutes_in_both_in_canonical_form() -> None:
    rng = random.Random(7)
    for _ in range(500):
        # one range (the tour window) or several; ranges to cut with unsorted, overlapping
        a = union(
            (lo, lo + rng.randint(0, 40)) for lo in rng.sample(range(0, 200), rng.randint(1, 3))
        )
        b = [(lo, lo + rng.randint(0, 60)) for lo in rng.sample(range(0, 220), rng.randint(0, 4))]
        got = cut(a, b)
        assert _minutes(got) == _minutes(a) & _minutes(b)
        assert got == union(got)  # sorted, disjoint, touching ranges merged
