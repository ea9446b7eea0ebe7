"""Repair operators of the search: insert open requests greedily or by regret."""

from __future__ import annotations

import random

from matcher.solver.instance import Instance
from matcher.solver.search_state import SearchState


def insertion_priority(inst: Instance, r: int) -> tuple[bool, int, bool, int, int]:
    """Pinned first, then costliest to leave out, joint before single, fewest options."""
    req = inst.requests[r]
    return (req.request.pinned is None, -req.unassigned_cost, req.n_roles == 1, len(req.options), r)


def repair_greedy(st: SearchState, pool: list[int], rng: random.Random | None = None) -> None:
    """Insert the requests of ``pool`` one by one at their cheapest place."""
    inst = st.inst
    order = sorted(pool, key=lambda r: insertion_priority(inst, r))
    if rng is not None and rng.random() < 0.5:
        # Perturb: shuffle within equal urgency.
        order.sort(key=lambda r: (-inst.requests[r].unassigned_cost, rng.random()))
    for r in order:
        if r in st.assign:
            continue
        best = st.best_insertion(r)
        if best is None:
            continue
        cost, where, start = best
        if cost < st.leave_out_cost(r) or inst.requests[r].request.pinned:
            st.insert(r, where, start)


def keep_published(st: SearchState) -> None:
    """Warm start: put every published visit that still fits back exactly where it was.

    In the order of the published starts, each visit is inserted at its published tours and
    start when that is cheaper than leaving it out; the rest is left to the repair.
    """
    inst = st.inst
    todo = [
        (inst.tours[keep.tours[0]].day, keep.start, r)
        for r, keep in enumerate(st.keep)
        if keep is not None and r not in st.assign
    ]
    for _day, _start, r in sorted(todo):
        got = st.keep_insertion(r)
        if got is not None and got[0] < st.leave_out_cost(r):
            st.insert(r, got[1], got[2])


def repair_regret(st: SearchState, pool: list[int]) -> None:
    """Regret-style insertion: next the request with the largest saving per option left.

    Best insertions are cached and, after each insertion, recomputed only where the
    changed tours (and the consultant's caps) can matter.
    """
    inst = st.inst
    todo = [r for r in pool if r not in st.assign]
    cache: dict[int, tuple[int, list[tuple[int, int]], int | None] | None] = {
        r: st.best_insertion(r) for r in todo
    }
    while todo:
        best_r = None
        best_key: tuple[float, int] | None = None
        for r in todo:
            ins = cache[r]
            if ins is None:
                continue
            uc = st.leave_out_cost(r)
            if ins[0] >= uc and not inst.requests[r].request.pinned:
                continue
            regret = (uc - ins[0]) / (1 + len(inst.requests[r].options))
            key = (-regret, r)
            if best_key is None or key < best_key:
                best_key, best_r = key, r
        if best_r is None:
            return
        ins = cache.pop(best_r)
        assert ins is not None
        st.insert(best_r, ins[1], ins[2])
        todo.remove(best_r)
        changed = {t for t, _ in ins[1]}
        consultants = {inst.tours[t].consultant for t in changed}
        for r in todo:
            old = cache[r]
            req = inst.requests[r]
            if old is None:
                continue  # an insertion never makes room elsewhere: still impossible
            if any(inst.tours[t].consultant in consultants for t, _ in old[1]):
                cache[r] = st.best_insertion(r)
            elif not changed.isdisjoint(st.option_tours[r]):
                if req.n_roles > 1:
                    cache[r] = st.best_insertion(r)
                else:
                    new = st.best_insertion(r, changed)
                    if new is not None and new[0] < old[0]:
                        cache[r] = new


_Two = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]


def _merge(old: _Two, new: _Two) -> _Two:
    """The two cheapest places (in different tours) of two such pairs."""
    got = sorted({p for p in (*old, *new) if p is not None})
    first = got[0] if got else None
    second = next((p for p in got[1:] if first is None or p[1] != first[1]), None)
    return first, second


def repair_regret2(st: SearchState, pool: list[int]) -> None:
    """Regret-2 insertion: next the request that loses most when it misses its cheapest
    place (second cheapest place in another tour, or leaving it out, minus the cheapest).

    Joint visits and published visits go first, each at :meth:`SearchState.best_insertion`
    (their second place is not tracked); single visits keep their two best places cached,
    recomputed after an insertion only from the tours it changed, unless one of the two
    was in a changed tour or the consultant's caps may have moved.
    """
    inst = st.inst
    todo = [r for r in pool if r not in st.assign]
    first = [r for r in todo if inst.requests[r].n_roles > 1 or st.change[r]]
    first.sort(key=lambda r: insertion_priority(inst, r))
    for r in first:
        if r not in st.assign:
            best = st.best_insertion(r)
            if best is not None and (
                best[0] < st.leave_out_cost(r) or inst.requests[r].request.pinned
            ):
                st.insert(r, best[1], best[2])
    todo = [r for r in todo if r not in st.assign and r not in first]
    cache: dict[int, _Two] = {r: st.two_best_places(r) for r in todo}
    while todo:
        best_r = None
        best_key: tuple[int, int, int] | None = None
        for r in todo:
            one, two = cache[r]
            if one is None:
                continue
            uc = st.leave_out_cost(r)
            pinned = inst.requests[r].request.pinned is not None
            if one[0] >= uc and not pinned:
                continue
            alt = uc if two is None else min(two[0], uc)
            key = (-(1 << 40) if pinned else one[0] - alt, one[0], r)
            if best_key is None or key < best_key:
                best_key, best_r = key, r
        if best_r is None:
            return
        one = cache.pop(best_r)[0]
        assert one is not None
        st.insert(best_r, [(one[1], one[2])], None)
        todo.remove(best_r)
        t0 = one[1]
        no_room, per_request = st.no_room, bool(st._allows)
        for r in todo:
            old = cache[r]
            if old[0] is None:
                continue  # an insertion never makes room elsewhere: still impossible
            if per_request or any(p is not None and (p[1] == t0 or p[1] in no_room) for p in old):
                cache[r] = st.two_best_places(r)
            elif t0 in st.option_tours[r]:
                cache[r] = _merge(old, st.two_best_places(r, {t0}))


def construct(inst: Instance) -> SearchState:
    """A first feasible plan by cheapest insertion in :func:`insertion_priority` order."""
    st = SearchState(inst)
    repair_greedy(st, list(range(len(inst.requests))))
    return st
