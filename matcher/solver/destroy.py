"""Destroy operators of the search: which planned requests to take out in one iteration."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from matcher.solver.eject import destroy_eject, destroy_replace
from matcher.solver.search_state import SearchState


def _removable(st: SearchState) -> list[int]:
    inst = st.inst
    return [r for r in st.assign if inst.requests[r].request.pinned is None]


def destroy_random(st: SearchState, q: int, rng: random.Random) -> list[int]:
    cand = _removable(st)
    return rng.sample(cand, min(q, len(cand)))


def destroy_related(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """A seed request and those nearest to it in place and day (Shaw removal)."""
    inst = st.inst
    cand = _removable(st)
    if not cand:
        return []
    seed = rng.choice(cand)
    sp = inst.requests[seed].point
    sd = inst.tours[st.assign[seed][0]].day
    mins = inst.minutes

    def rel(r: int) -> float:
        d = inst.tours[st.assign[r][0]].day
        return mins[sp][inst.requests[r].point] + 30 * abs(d - sd) + 10 * rng.random()

    return sorted(cand, key=rel)[:q]


def destroy_worst(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """Requests whose current place costs most above their cheapest possible waiting day."""
    inst = st.inst
    mins, point = inst.minutes, st.point
    # Per planned visit the travel its tours would save without it, one pass per tour.
    saving: dict[int, int] = {}
    for t, seq in enumerate(st.seq):
        if not seq:
            continue
        base = inst.tours[t].base
        prev, last = base, len(seq) - 1
        for i, r in enumerate(seq):
            p = point[r]
            nxt = base if i == last else point[seq[i + 1]]
            saving[r] = saving.get(r, 0) + mins[prev][p] + mins[p][nxt] - mins[prev][nxt]
            prev = p
    w = inst.w_travel
    scored = []
    for r in _removable(st):
        extra = st.request_cost(r) - st.least_wait(r) + w * saving[r]
        scored.append((extra * (0.7 + 0.6 * rng.random()), r))
    scored.sort(reverse=True)
    return [r for _, r in scored[:q]]


def destroy_tours(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """Empty whole tours: a random used tour and others of the same day or consultant."""
    inst = st.inst
    used = [t for t, s in enumerate(st.seq) if s]
    if not used:
        return []
    t0 = rng.choice(used)
    ti0 = inst.tours[t0]
    same = [
        t
        for t in used
        if inst.tours[t].day == ti0.day or inst.tours[t].consultant == ti0.consultant
    ]
    rng.shuffle(same)
    out: list[int] = []
    for t in [t0, *same]:
        for r in st.seq[t]:
            if r not in out and inst.requests[r].request.pinned is None:
                out.append(r)
        if len(out) >= q:
            break
    return out[: max(q, 1)]


def destroy_blocking(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """A request waiting longer than it must, and the visits in the tours it could use then.

    Frees the earliest day's tours of a delayed request so that it, and the visits that
    blocked it, can be re-planned together (who gets the scarce early slots).
    """
    inst = st.inst
    delayed = []
    for r in _removable(st):
        req = inst.requests[r]
        day = inst.tours[st.assign[r][0]].day
        best_day = min(req.wait_cost, key=lambda d: req.wait_cost[d])
        if req.wait_cost[day] > req.wait_cost[best_day]:
            delayed.append(r)
    if not delayed:
        return destroy_worst(st, q, rng)
    r0 = rng.choice(delayed)
    req = inst.requests[r0]
    cur = inst.tours[st.assign[r0][0]].day
    earlier = sorted(d for d in req.wait_cost if req.wait_cost[d] < req.wait_cost[cur])
    if not earlier:
        return [r0]
    day = rng.choice(earlier[:2])
    tours = [o.tour for o in req.options if inst.tours[o.tour].day == day and st.seq[o.tour]]
    rng.shuffle(tours)
    out = [r0]
    for t in tours:
        for r in st.seq[t]:
            if r not in out and inst.requests[r].request.pinned is None:
                out.append(r)
        if len(out) >= q:
            break
    return out


def destroy_for_open(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """Make room for an open request: the visits in the tours it could take (ejection).

    Picks an open request (the costlier to leave open, the likelier), then frees one or two
    of its candidate tours (for a joint visit: one tour per role on one day) of their less
    urgent visits; when the tour's consultant is at a
    cap, also visits of that consultant on other days (weekly cap) or in other tours of the
    day (daily cap). The repair then inserts the open request first (it is the costliest
    to leave out) and re-plans the ejected ones where they fit.
    """
    inst = st.inst
    open_ = [
        r for r in range(len(inst.requests)) if r not in st.assign and inst.requests[r].options
    ]
    if not open_:
        return destroy_worst(st, q, rng)
    r0 = rng.choices(open_, [st.leave_out_cost(r) for r in open_])[0]
    cost0 = st.leave_out_cost(r0)
    req0 = inst.requests[r0]
    if req0.n_roles > 1:
        # A joint visit needs a common time of one consultant per role on one day: free
        # one tour per role on one of its cheapest days.
        days = st.options_by_day(r0)[:3]
        _, opts = rng.choice(days)
        tours = []
        for k in range(req0.n_roles):
            able = [o.tour for o in opts if k in o.roles and o.tour not in tours]
            if able:
                tours.append(rng.choice(able))
    else:
        tours = [o.tour for o in st.sorted_options(r0)[:6]]
        rng.shuffle(tours)
        tours = tours[:2]
    out: list[int] = []

    def take(rs: Sequence[int]) -> None:
        for r in rs:
            if (
                r not in out
                and inst.requests[r].request.pinned is None
                and st.leave_out_cost(r) <= cost0
            ):
                out.append(r)

    for t in tours:
        take(st.seq[t])
        for h in st.hooks:
            take(h.eject(st, t, q, rng))
        if len(out) >= q:
            break
    return out[: max(q, 1)]


DESTROY: tuple[Callable[[SearchState, int, random.Random], list[int]], ...] = (
    destroy_random,
    destroy_related,
    destroy_worst,
    destroy_tours,
    destroy_blocking,
    destroy_for_open,
    destroy_eject,
    destroy_replace,
)
