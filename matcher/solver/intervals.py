"""Sorted disjoint inclusive ranges of start minutes, the currency of candidate pruning.

An allowed-start set is a list of ``(lo, hi)`` pairs (both inclusive), sorted and
disjoint; :func:`union` makes any list of pairs canonical (touching ranges merged), so two
sets of the same minutes compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Interval = tuple[int, int]
"""Inclusive range ``(lo, hi)`` of allowed start minutes."""


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The minutes in both ``a`` and ``b`` (both sorted and disjoint)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def cut(a: Sequence[Interval], b: Iterable[Interval]) -> list[Interval]:
    """The minutes of ``a`` inside any range of ``b`` (``b`` may be unsorted or overlap)."""
    if len(a) == 1:  # the common case when pruning (one tour window): no pairs, no sort
        alo, ahi = a[0]
        one: list[Interval] = []
        for blo, bhi in b:
            lo = alo if alo > blo else blo
            hi = ahi if ahi < bhi else bhi
            if lo <= hi:
                one.append((lo, hi))
        return one if len(one) < 2 else union(one)
    out = [
        (max(alo, blo), min(ahi, bhi))
        for blo, bhi in b
        for alo, ahi in a
        if max(alo, blo) <= min(ahi, bhi)
    ]
    return union(out)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The canonical form: sorted, disjoint, touching ranges merged."""
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def first_at_or_after(intervals: Sequence[Interval], t: int) -> int | None:
    """The smallest allowed start ``>= t`` in ``intervals``, or ``None``."""
    for lo, hi in intervals:
        if hi >= t:
            return max(lo, t)
    return None


def last_at_or_before(intervals: Sequence[Interval], t: int) -> int | None:
    """The largest allowed start ``<= t`` in ``intervals``, or ``None``."""
    for lo, hi in reversed(intervals):
        if lo <= t:
            return min(hi, t)
    return None


def visit_windows(
    minutes: Sequence[Sequence[int]],
    base: int,
    start: int,
    end: int,
    visits: Sequence[tuple[int, int, Sequence[Interval]]],
) -> tuple[list[int], list[int]] | None:
    """Earliest and latest start of every visit of a route, or ``None`` if none can be driven.

    The route leaves point ``base`` at ``start`` and must be back by ``end``; each visit is
    ``(point, duration, allowed starts)``, in visiting order, and ``minutes`` the travel
    matrix. The earliest starts come from leaving at once and starting every visit as soon
    as allowed; the latest from coming back at ``end`` and starting every visit as late as
    the rest allows. Any schedule of the route starts each visit between the two.
    """
    early: list[int] = []
    now, here = start, base
    for point, duration, allowed in visits:
        s = first_at_or_after(allowed, now + minutes[here][point])
        if s is None:
            return None
        early.append(s)
        now, here = s + duration, point
    if now + minutes[here][base] > end:
        return None
    late = [0] * len(visits)
    nxt, nxt_late = base, end
    for i in range(len(visits) - 1, -1, -1):
        point, duration, allowed = visits[i]
        s = last_at_or_before(allowed, nxt_late - minutes[point][nxt] - duration)
        if s is None:  # pragma: no cover - not after a feasible earliest schedule
            return None
        late[i] = s
        nxt, nxt_late = point, s
    return early, late
