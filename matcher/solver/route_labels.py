"""The pricing data of the route bound: per tour, its candidate nodes as numpy arrays, and
the vectorised steps of the labelling (Pareto filter, earliest starts, ng-route memories).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.solver.model import Instance

EPS = 1e-6
BUCKET = 10
"""Least minutes per time bucket of the completion bound used to prune labels."""
NG_SIZES = (None, 8, 3)
"""Memory of a visit in the pricing of a tour: every candidate (elementary routes) at
first; a tour whose labels outgrow :data:`MAX_LABELS` moves on to remembering only its 8,
then 3, nearest candidates (the ng-route relaxation: a valid bound, found much faster)."""
MAX_LABELS = 2_000
"""Labels per depth above which a tour's pricing moves to the next of :data:`NG_SIZES`.

On a 300-request week a few tours with many candidates take most of an exact pricing
round, and their 8-visit memory almost always gives the same least reduced cost: at the
same duals, a round of gen-300 seeds 11 and 13 took 8.8 s and 6.2 s with 2 000 (42 and 28
tours moved on) against 19.8 s and 14.0 s with 20 000, its Lagrangian bound 0.24 % and
0.11 % weaker; the 80-request weeks with joint visits converge to the same bound (one
point lower on seed 11)."""
CANDIDATE_FACTOR = 50
"""A tour also moves on when one depth's extensions exceed this many times
:data:`MAX_LABELS` (before their times are computed)."""
SUBSET_FACTOR = 4
"""... or when the labels left after the equal-set filter exceed this many times
:data:`MAX_LABELS` (before the subset check, which would take long on them)."""
BUCKET_CELLS = 60_000
"""At most this many (node, node, bucket) cells per tour: big tours get coarser buckets."""


@dataclass(frozen=True, slots=True)
class _Node:
    """A candidate visit of one tour."""

    request: int
    point: int
    duration: int
    intervals: tuple[tuple[int, int], ...]
    base_cost: float
    rows: tuple[int, ...]


@dataclass(slots=True)
class _TourGraph:
    """The pricing problem of one tour."""

    tour: int
    base: int
    start: int
    end: int
    limit: int
    nodes: list[_Node]
    tour_row: int
    index_of: dict[int, int] = field(default_factory=dict)


def _pareto(masks: np.ndarray, last: np.ndarray, end: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Indices of the labels not dominated by another with the same set and last visit."""
    keys = [cost, end, last] + [masks[:, w] for w in range(masks.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys)
    m, la = masks[order], last[order]
    same = np.ones(len(order), dtype=bool)
    same[0] = False
    same[1:] = (la[1:] == la[:-1]) & np.all(m[1:] == m[:-1], axis=1)
    group = np.cumsum(~same)
    c = cost[order]
    span = float(np.abs(c).max()) + 1.0 if len(c) else 1.0
    shifted = c - group * (4 * span)
    running = np.minimum.accumulate(shifted)
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = shifted[1:] < running[:-1] - EPS * (1 + np.abs(c[1:]))
    return np.asarray(order[keep])


SUBSET_CHECK = 64
"""Per label, how many of the cheapest labels with the same last visit
:func:`_drop_subset_dominated` tries as its dominator."""


def _drop_subset_dominated(
    masks: np.ndarray, last: np.ndarray, end: np.ndarray, cost: np.ndarray
) -> np.ndarray:
    """Indices of the labels that no cheaper label dominates.

    Label ``a`` dominates ``b`` when both end at the same visit, ``a`` costs no more, ends
    no later and remembers a subset of ``b``'s visits: every way ``b`` can go on, ``a``
    can too, at no higher cost (so dropping ``b`` keeps the least reduced cost exact).
    Only the :data:`SUBSET_CHECK` cheapest labels of each last visit are tried as
    dominators, which keeps this linear in the labels; missing a dominator only keeps
    a label.
    """
    n = len(last)
    if n < 2:
        return np.arange(n)
    order = np.lexsort((cost, last))
    la = last[order]
    first = np.ones(n, dtype=bool)
    first[1:] = la[1:] != la[:-1]
    group_start = np.flatnonzero(first)[np.cumsum(first) - 1]
    # Position p is tried against the positions group_start[p] .. before p (cheaper).
    tries = np.minimum(np.arange(n) - group_start, SUBSET_CHECK)
    total = int(tries.sum())
    if total == 0:
        return np.arange(n)
    b_pos = np.repeat(np.arange(n), tries)
    a_pos = group_start[b_pos] + (np.arange(total) - np.repeat(np.cumsum(tries) - tries, tries))
    a, b = order[a_pos], order[b_pos]
    hit = end[a] <= end[b]
    a, b = a[hit], b[hit]
    hit = np.all((masks[a] & ~masks[b]) == 0, axis=1)
    dominated = np.zeros(n, dtype=bool)
    dominated[b[hit]] = True
    return np.flatnonzero(~dominated)


def _earliest_start(arrive: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Earliest allowed start at or after ``arrive`` (``inf`` where there is none).

    ``lo`` and ``hi`` hold the sorted allowed intervals on their last axis; the rest of
    their shape broadcasts against ``arrive``.
    """
    start = np.full(arrive.shape, np.inf)
    for k in range(lo.shape[-1] - 1, -1, -1):
        start = np.where(arrive <= hi[..., k], np.maximum(arrive, lo[..., k]), start)
    return start


def _ng_masks(travel: np.ndarray, size: int | None) -> np.ndarray:
    """Per node, a bit mask (in 64-bit words) of itself and its ``size`` nearest nodes
    (every node when ``size`` is ``None``)."""
    n = travel.shape[0]
    words = max(1, (n + 63) // 64)
    if size is None or size + 1 >= n:
        return np.full((n, words), np.iinfo(np.uint64).max, dtype=np.uint64)
    out = np.zeros((n, words), dtype=np.uint64)
    near = np.argsort(travel + travel.T, axis=1, kind="stable")[:, : size + 1]
    for j in range(n):
        for i in (j, *near[j].tolist()):
            out[j, i // 64] |= np.uint64(1) << np.uint64(i % 64)
    return out


@dataclass(slots=True)
class _TourArrays:
    """The constant arrays of one tour's pricing problem."""

    n: int
    words: int
    word: np.ndarray
    bit: np.ndarray
    travel: np.ndarray
    base_out: np.ndarray
    back: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    dur: np.ndarray
    base_cost: np.ndarray
    row_idx: np.ndarray
    row_node: np.ndarray
    wt: float
    limit: int
    t0: float
    n_buckets: int
    width: float
    back_ok: np.ndarray
    next_bucket: np.ndarray
    ng: list[np.ndarray]

    @classmethod
    def of(cls, inst: Instance, g: _TourGraph) -> _TourArrays:
        m = inst.travel.minutes
        n = len(g.nodes)
        pts = np.array([nd.point for nd in g.nodes], dtype=np.int64)
        travel = m[np.ix_(pts, pts)].astype(np.float64) if n else np.zeros((0, 0))
        n_iv = max((len(nd.intervals) for nd in g.nodes), default=1)
        lo = np.full((n, n_iv), np.inf)
        hi = np.full((n, n_iv), -np.inf)
        for j, nd in enumerate(g.nodes):
            for k, (a, b) in enumerate(nd.intervals):
                lo[j, k], hi[j, k] = a, b
        row_idx = np.array([row for nd in g.nodes for row in nd.rows], dtype=np.int64)
        row_node = np.array([j for j, nd in enumerate(g.nodes) for _ in nd.rows], dtype=np.int64)
        idx = np.arange(n)
        dur = np.array([nd.duration for nd in g.nodes], dtype=np.float64)
        back = m[pts, g.base].astype(np.float64) if n else np.zeros(0)
        span = g.end - g.start
        n_buckets = max(1, min(span // BUCKET + 1, BUCKET_CELLS // max(1, n * n)))
        width = max(BUCKET, -(-(span + 1) // n_buckets))
        times = g.start + width * np.arange(n_buckets, dtype=np.float64)
        back_ok = times[None, :] + back[:, None] <= g.end
        # next_bucket[j, i, b]: bucket in which a visit to i ends when it follows a visit to
        # j that ends at the start of bucket b (-1 when i cannot follow then).
        arrive = times[None, None, :] + travel[:, :, None]
        start = _earliest_start(arrive, lo[None, :, None, :], hi[None, :, None, :])
        end = start + dur[None, :, None]
        fits = np.isfinite(end) & (end + back[None, :, None] <= g.end)
        if n:
            fits &= ~np.eye(n, dtype=bool)[:, :, None]
        nb = np.where(fits, (np.where(fits, end, g.start) - g.start) // width, -1)
        nb = np.minimum(nb, n_buckets - 1)
        return cls(
            n=n,
            words=max(1, (n + 63) // 64),
            word=idx // 64,
            bit=(idx % 64).astype(np.uint64),
            travel=travel,
            base_out=m[g.base, pts].astype(np.float64) if n else np.zeros(0),
            back=back,
            lo=lo,
            hi=hi,
            dur=dur,
            base_cost=np.array([nd.base_cost for nd in g.nodes], dtype=np.float64),
            row_idx=row_idx,
            row_node=row_node,
            wt=float(inst.w_travel),
            limit=g.limit,
            t0=float(g.start),
            n_buckets=int(n_buckets),
            back_ok=back_ok,
            width=float(width),
            next_bucket=nb.astype(np.int16),
            ng=[_ng_masks(travel, size) for size in NG_SIZES],
        )

    def completion(self, nc: np.ndarray, depth: int) -> list[np.ndarray]:
        """Per k: an ``(n, buckets)`` array of the least cost of going on from a node.

        ``out[k][j, b]``: a lower bound on the cost of at most ``k`` more visits and the way
        back to the base, after a visit to ``j`` that ends at a time in bucket ``b``. Visits
        may repeat and every time is rounded down to its bucket's start, so this is a
        relaxation (valid for pruning labels).
        """
        back = np.where(self.back_ok, self.wt * self.back[:, None], np.inf)
        out = [back]
        if depth == 0:
            return out
        step = self.wt * self.travel[:, :, None] + nc[None, :, None]
        rows = np.arange(self.n)[None, :, None]
        for _k in range(depth):
            prev = out[-1]
            nxt = np.where(self.next_bucket >= 0, step + prev[rows, self.next_bucket], np.inf)
            out.append(np.minimum(back, nxt.min(axis=1)))
            if np.array_equal(out[-1], prev):
                # A fixpoint: more visits allowed change nothing.
                out.extend([out[-1]] * (depth + 1 - len(out)))
                break
        return out

    def bucket(self, t: np.ndarray) -> np.ndarray:
        """The bucket of end times ``t`` (rounded down)."""
        t = np.where(np.isfinite(t), t, self.t0)
        return np.clip(((t - self.t0) // self.width).astype(np.int64), 0, self.n_buckets - 1)
