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
