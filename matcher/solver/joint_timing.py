"""Timing of joint visits in the neighbourhood search: windows, shifts, joint neighbourhoods.

A joint visit is a fixed-time node in the tours of all its consultants
(:class:`~matcher.solver.search_state.SearchState`): its start is chosen when it is inserted
(the latest start that fits every tour of the cheapest choice of gaps; the search tries
every combination of gaps per role) and then stays put while single visits around it
come and go. The objective of ``FORMAT.md`` has no time-of-day term, so all starts of one
choice of gaps cost the same; what the start decides is *room*: a joint visit fixed early
in its window blocks a visit that would fit just before it, one fixed late blocks the
visits after it. This module lets the search move those starts:

- :func:`start_window`: the starts a planned joint visit can take without changing the
  order of any of its tours (within the slack of all of them at once);
- :func:`insert_with_retime`: the exact cheapest insertion of a request when one joint
  visit in the tours it could use may first move to the earliest or the latest start of a
  piece of its window (every insertion is re-evaluated: slow, the reference);
- :func:`shifted_insertion` and :func:`with_shift`: the fast form for single visits, the
  place right before a joint visit moved as late as it can go or right after one moved as
  early as it can, checked in ``O(1)`` from the tour caches and priced by the objective;
- :func:`destroy_joint`: a destroy operator that removes a joint visit together with its
  neighbours in every one of its tours.

Measured with one worker and seeds 1-3 on the shipped and generated weeks with joint
visits (40, 80 and 300 requests), only the choice of the *latest* common start at
insertion (:meth:`~matcher.solver.search_state.SearchState._best_joint`, instead of the
first) improved the plans; the shifts (:func:`with_shift` in every insertion or only for
requests left open, :func:`insert_with_retime`) and :func:`destroy_joint` left the median
objective unchanged or worse, so they are not wired into :func:`matcher.solver.search.alns`
or the repairs. The search's exact step (:mod:`matcher.solver.cp_lns`) re-times the joint
visits of the days it re-optimises.

Everything is deterministic: only the random stream passed in is used.
"""

from __future__ import annotations

import random

from matcher.solver.intervals import Interval, intersect
from matcher.solver.search_state import SearchState

Insertion = tuple[int, list[tuple[int, int]], int | None]
"""``(cost, [(tour, gap), ...], fixed start)`` as returned by
:meth:`~matcher.solver.search_state.SearchState.best_insertion`."""


def is_joint(st: SearchState, r: int) -> bool:
    """Whether request ``r`` needs two or more consultants."""
    return st.inst.requests[r].n_roles > 1


def start_window(st: SearchState, r: int) -> list[Interval]:
    """The starts planned joint visit ``r`` can take keeping every one of its tours' order.

    In each of its tours the visit must start after the earliest end of the visit before
    it plus the drive, and early enough for the latest start of the visit after it (or
    the tour's end); intersected with its allowed starts in that tour, and over its tours.
    """
    inst = st.inst
    mins = inst.minutes
    p, dur = st.point[r], st.dur[r]
    out: list[Interval] | None = None
    for t in st.assign[r]:
        seq = st.seq[t]
        i = seq.index(r)
        ti = inst.tours[t]
        if i == 0:
            prev_pt, prev_end = ti.base, ti.tour.start
        else:
            prev_pt, prev_end = st.point[seq[i - 1]], st.early_end[t][i - 1]
        if i == len(seq) - 1:
            next_pt, next_late = ti.base, ti.tour.end
        else:
            next_pt, next_late = st.point[seq[i + 1]], st.late_start[t][i + 1]
        lo = prev_end + mins[prev_pt][p]
        hi = next_late - mins[p][next_pt] - dur
        if lo > hi:
            return []
        got = intersect(st.dom[r, t], [(lo, hi)])
        out = got if out is None else intersect(out, got)
        if not out:
            return []
    return out or []


def movable(st: SearchState, r: int) -> bool:
    """Whether planned request ``r`` is a joint visit whose start the search may shift.

    A joint visit that keeps its published visit stays (moving it would cost the change).
    """
    return is_joint(st, r) and r in st.fixed_start and not st.is_kept(r)


def candidate_starts(st: SearchState, r: int) -> list[int]:
    """The other starts worth trying for planned joint visit ``r``: each end of every
    piece of its window (the earliest start frees the time after it, the latest the time
    before it), without its current start."""
    cur = st.fixed_start[r]
    out: list[int] = []
    for lo, hi in start_window(st, r):
        for s in (lo, hi):
            if s != cur and s not in out:
                out.append(s)
    return out


def insert_with_retime(
    st: SearchState, r: int, limit: int | None
) -> tuple[int, int, int, Insertion] | None:
    """The cheapest insertion of ``r`` after shifting one joint visit, if below ``limit``.

    Tries every movable joint visit that shares a tour with an option of ``r`` (on a day
    that could still beat ``limit``) at each of its :func:`candidate_starts`, and asks for
    the best insertion of ``r`` there; the state is left as it was. Returns
    ``(cost, joint visit, new start, insertion)`` or ``None`` when no shift gives an
    insertion cheaper than ``limit`` (``None``: any insertion).
    """
    inst = st.inst
    req = inst.requests[r]
    options = st.option_tours[r]
    joints: list[int] = []
    for o in req.options:
        if limit is not None and req.wait_cost[inst.tours[o.tour].day] >= limit:
            continue
        for j in st.seq[o.tour]:
            if j not in joints and movable(st, j):
                joints.append(j)
    best: tuple[int, int, int, Insertion] | None = None
    for j in joints:
        cur = st.fixed_start[j]
        near = None if is_joint(st, r) else set(st.assign[j]) & options
        for s in candidate_starts(st, j):
            st.set_start(j, s)
            got = st.best_insertion(r, near)
            better = got is not None and (limit is None or got[0] < limit)
            if got is not None and better and (best is None or got[0] < best[0]):
                best = (got[0], j, s, got)
            st.set_start(j, cur)
    return best


def shifted_insertion(
    st: SearchState, r: int, limit: int | None
) -> tuple[int, int, int, Insertion] | None:
    """The cheapest insertion of single visit ``r`` right next to a joint visit that is
    shifted to make room, if cheaper than ``limit``: the fast form of
    :func:`insert_with_retime`.

    For every movable joint visit ``j`` in a tour that may take ``r``: ``r`` just before
    ``j`` with ``j`` at the latest start of its window, and just after ``j`` with ``j`` at
    the earliest; each is checked in ``O(1)`` with the tour's caches and priced by the
    objective (waiting, continuity, the change of a published visit, the extra travel).
    Returns ``(cost, j, new start of j, insertion)`` or ``None``.
    """
    inst = st.inst
    req = inst.requests[r]
    if req.n_roles != 1:
        return None
    mins = inst.minutes
    loc, dur = st.point[r], st.dur[r]
    w = inst.w_travel
    change = st.change[r]
    best: tuple[int, int, int, Insertion] | None = None
    for o in req.options:
        t = o.tour
        seq = st.seq[t]
        if not any(movable(st, j) for j in seq):
            continue
        c, d = st.tour_cd[t]
        base_cost = req.wait_cost[d] + st.cont(r, (c,)) + change
        if (limit is not None and base_cost >= limit) or not st.fits(r, t):
            continue
        ti = inst.tours[t]
        dom = st.dom[r, t]
        n = len(seq)
        st.work[0] += n
        for i, j in enumerate(seq):
            if not movable(st, j):
                continue
            win = start_window(st, j)
            if not win:
                continue
            pj, cur = st.point[j], st.fixed_start[j]
            # r before j, j as late as it can go.
            late_j = win[-1][1]
            if late_j > cur:
                prev_pt, prev_end = (
                    (ti.base, ti.tour.start)
                    if i == 0
                    else (st.point[seq[i - 1]], st.early_end[t][i - 1])
                )
                lo = prev_end + mins[prev_pt][loc]
                hi = late_j - mins[loc][pj] - dur
                if lo <= hi and intersect(dom, [(lo, hi)]):
                    delta = mins[prev_pt][loc] + mins[loc][pj] - mins[prev_pt][pj]
                    cost = base_cost + w * delta
                    if (limit is None or cost < limit) and (best is None or cost < best[0]):
                        best = (cost, j, late_j, (cost, [(t, i)], None))
            # r after j, j as early as it can go.
            early_j = win[0][0]
            if early_j < cur:
                next_pt, next_late = (
                    (ti.base, ti.tour.end)
                    if i == n - 1
                    else (st.point[seq[i + 1]], st.late_start[t][i + 1])
                )
                lo = early_j + st.dur[j] + mins[pj][loc]
                hi = next_late - mins[loc][next_pt] - dur
                if lo <= hi and intersect(dom, [(lo, hi)]):
                    delta = mins[pj][loc] + mins[loc][next_pt] - mins[pj][next_pt]
                    cost = base_cost + w * delta
                    if (limit is None or cost < limit) and (best is None or cost < best[0]):
                        best = (cost, j, early_j, (cost, [(t, i + 1)], None))
    return best


def with_shift(
    st: SearchState, r: int, best: Insertion | None
) -> tuple[Insertion | None, tuple[int, ...]]:
    """``best`` (the best insertion of ``r``), or a cheaper one right next to a shifted
    joint visit (:func:`shifted_insertion`), which is then shifted in ``st``.

    Without a pin the shift must also beat leaving ``r`` open. Returns the insertion and
    the tours whose schedule the shift changed (none when nothing moved).
    """
    if not st.fixed_start:
        return best, ()
    limit = None if best is None else best[0]
    if st.inst.requests[r].request.pinned is None:
        out = st.leave_out_cost(r)
        limit = out if limit is None else min(limit, out)
    got = shifted_insertion(st, r, limit)
    if got is None:
        return best, ()
    _, j, s, ins = got
    st.set_start(j, s)
    return ins, st.assign[j]


def destroy_joint(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """A random planned joint visit and its neighbours in all its tours (up to ``q``).

    Takes the joint visit, then the visits next to it in each of its tours, nearest
    positions first, so that the repair re-plans the joint visit (it goes first: joint
    before single at equal urgency) and the single visits around it together. Nothing
    when no unpinned joint visit is planned.
    """
    inst = st.inst
    joints = [r for r in st.assign if is_joint(st, r) and inst.requests[r].request.pinned is None]
    if not joints:
        return []
    j = rng.choice(sorted(joints))
    out = [j]
    ring: list[tuple[int, int]] = []
    for t in st.assign[j]:
        seq = st.seq[t]
        i = seq.index(j)
        for k, r in enumerate(seq):
            if r != j:
                ring.append((abs(k - i), r))
    ring.sort(key=lambda x: (x[0], rng.random()))
    for _, r in ring:
        if len(out) >= max(q, 1):
            break
        if r not in out and inst.requests[r].request.pinned is None:
            out.append(r)
    return out
