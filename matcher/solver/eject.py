"""Ejection moves of the search: make room in one tour for a request that needs it.

A request left open (or planned on a dearer day than it could have) often fits a tour only
once one to three of that tour's visits are taken out; those visits may well fit elsewhere.
The ordinary destroy operators find such a move only by luck. The two operators here look
for it directly, tour by tour (the idea of VROOM's unassigned-exchange and priority-replace
moves and of PyVRP's optional-client replacement, made for this search's tours):

:func:`destroy_eject` (a short ejection chain)
    Target requests ``R``: the open single visits, costliest to leave open first, and
    planned ones whose cheapest option is cheaper than their present place (drawn by that
    saving; the open ones usually come first). For each of ``R``'s cheapest candidate
    tours, every set ``S`` of at most :data:`MAX_EJECT` of the tour's single, unpinned
    visits (minimal sets only: no superset of a set that already makes room) is checked
    exactly without changing the state: does ``R`` fit the tour without ``S``? When the
    tour is at a rule's limit (a cap), ``S`` must hold a visit of the tour or one that the
    rule names outside it (e.g. the consultant's visit on another day). Each fitting move
    is estimated: ``R``'s change of cost, the tours' travel, and for each ejected visit its
    cheapest place elsewhere (or its unassigned cost) instead of its present cost. The
    :data:`EXACT_MOVES` best estimates are tried on copies with a regret repair of the
    ejected visits and the cheapest result is made; an ejected visit that still finds no
    place becomes the next target (at most :data:`MAX_CHAIN` moves). The search's repair
    then re-plans what is open, and its acceptance rule decides.
:func:`destroy_replace` (in the manner of a priority replacement)
    An open request takes the place of a run of consecutive visits of a tour whose
    unassigned costs together are below its own, when that pays even if none of them is
    planned again (the repair then tries to); otherwise :func:`destroy_eject`.

Both count their checks and copies in the state's work measure and use no randomness but
the ``rng`` they are given, so one worker and one seed still give one plan. Joint visits
are neither ejected nor targeted here (:func:`~matcher.solver.destroy.destroy_for_open`
frees whole tours for them).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from matcher.solver.repair import repair_regret
from matcher.solver.search_state import SearchState, cheapest_fit

MAX_EJECT = 3
"""Most visits ejected from one tour for one target request."""
MAX_TOURS = 8
"""Candidate tours examined per target request (its cheapest by waiting and continuity)."""
MAX_RUN = 4
"""Longest run of consecutive visits that :func:`destroy_replace` replaces."""
MAX_TARGETS = 3
"""Target requests of each kind (open, planned) tried in one call before giving up."""
MAX_CHAIN = 2
"""Most ejection moves chained in one call of :func:`destroy_eject`."""
EXACT_MOVES = 3
"""Best estimated moves that :func:`destroy_eject` tries out exactly before choosing."""
OPEN_FIRST = 0.7
"""How often open requests are tried before planned ones (when there are both)."""


def _fit(st: SearchState, t: int, seq: Sequence[int], r: int) -> tuple[int, int] | None:
    """Where request ``r`` fits into tour ``t`` if the tour held ``seq``: ``(gap, delta)``.

    ``delta`` is the extra travel of the cheapest position; ``None`` when ``r`` fits
    nowhere (or ``seq`` itself is not a possible tour). The state is not changed.
    """
    st.work[0] += 2 * len(seq) + 1
    got = st.windows(t, seq)
    if got is None:
        return None
    starts, late = got
    early = [s + st.dur[q] for s, q in zip(starts, seq, strict=True)]
    return cheapest_fit(st, r, t, seq, early, late)


def _travel(st: SearchState, t: int, seq: Sequence[int]) -> int:
    """Travel minutes of tour ``t`` holding ``seq`` (0 when empty)."""
    if not seq:
        return 0
    inst = st.inst
    mins = inst.minutes
    base = inst.tours[t].base
    prev, total = base, 0
    for q in seq:
        total += mins[prev][st.point[q]]
        prev = st.point[q]
    return total + mins[prev][base]


def _ejectable(st: SearchState, q: int) -> bool:
    """Whether planned request ``q`` may be taken out here (single visit, not pinned)."""
    req = st.inst.requests[q]
    return req.n_roles == 1 and req.request.pinned is None


def _current_cost(st: SearchState, r: int) -> int:
    """What ``r`` costs now: its unassigned cost, or its own cost plus its share of travel."""
    if r not in st.assign:
        return st.leave_out_cost(r)
    inst = st.inst
    (t,) = st.assign[r]
    seq = st.seq[t]
    rest = [q for q in seq if q != r]
    return st.request_cost(r) + inst.w_travel * (st.travel[t] - _travel(st, t, rest))


def _targets(st: SearchState, rng: random.Random) -> list[int]:
    """Target requests, most promising first: open single visits by unassigned cost, and
    planned single visits whose cheapest option is cheaper than their present place
    (drawn by that saving); the open ones first, except now and then."""
    inst = st.inst
    open_ = [
        r.index for r in inst.requests if r.index not in st.assign and r.options and r.n_roles == 1
    ]
    open_.sort(key=lambda r: (-st.leave_out_cost(r), rng.random()))
    open_ = open_[:MAX_TARGETS]
    delayed: list[tuple[int, int]] = []
    st.work[0] += len(inst.requests)
    for r, tours in st.assign.items():
        req = inst.requests[r]
        if len(tours) != 1 or req.request.pinned is not None or not req.options:
            continue
        saving = st.request_cost(r) - st.least_cost(r)
        if saving > 0:
            delayed.append((saving, r))
    delayed.sort()
    picked: list[int] = []
    for _ in range(min(MAX_TARGETS, len(delayed))):
        i = rng.choices(range(len(delayed)), [s for s, _ in delayed])[0]
        picked.append(delayed.pop(i)[1])
    if open_ and (not picked or rng.random() < OPEN_FIRST):
        return open_ + picked
    return picked + open_


def _reinsert_estimate(st: SearchState, q: int, t: int, cache: dict[int, int]) -> int:
    """The cheapest cost of planned visit ``q`` in a tour other than ``t`` (as the state is
    now), at most its unassigned cost."""
    got = cache.get(q)
    if got is None:
        options = st.option_tours[q]
        ins = st.best_insertion(q, exclude=t) if len(options) > (t in options) else None
        got = st.leave_out_cost(q) if ins is None else min(ins[0], st.leave_out_cost(q))
        cache[q] = got
    return got


def _room_candidates(st: SearchState, t: int, r: int, rng: random.Random) -> list[int]:
    """Visits outside tour ``t`` whose ejection may give ``t`` room (e.g. the consultant's
    visits on other days at a weekly cap): what the rules' hooks name, for a tour that
    some rule lets take no more visit; empty otherwise."""
    if st.room(t):
        return []
    inside = set(st.seq[t])
    n = 2 * len(st.assign) + 2
    out: list[int] = []
    for h in st.hooks:
        for x in h.eject(st, t, n, rng):
            if x not in inside and x != r and x not in out and _ejectable(st, x):
                out.append(x)
    return sorted(out)


def _eject_moves(
    st: SearchState, r: int, rng: random.Random
) -> list[tuple[float, int, tuple[int, ...]]]:
    """Every minimal ejection that lets ``r`` into one of its candidate tours, estimated:
    ``(estimated change of the objective, tour, ejected requests)``.

    The ejected visits are of the tour itself, plus at most one outside it when the tour
    is at a limit of some rule (:func:`_room_candidates`); a tour at such a limit needs at
    least one ejection.
    """
    inst = st.inst
    w = inst.w_travel
    current = _current_cost(st, r)
    here = st.assign.get(r, ())
    cache: dict[int, int] = {}
    moves: list[tuple[float, int, tuple[int, ...]]] = []
    for o in st.sorted_options(r)[:MAX_TOURS]:
        t = o.tour
        if t in here:
            continue
        base = st.cost_in(r, t)
        if base >= current:
            break  # options are sorted by this cost: none further can pay
        if st._allows and not all(ok(r, t) for ok in st._allows):
            continue
        seq = st.seq[t]
        cand = [q for q in seq if _ejectable(st, q)]
        full = not st.room(t)
        outside: list[int | None] = [None, *_room_candidates(st, t, r, rng)]
        fitting: list[frozenset[int]] = []
        for x in outside:
            extra = 0
            if x is not None:
                (u,) = st.assign[x]
                rest_u = [y for y in st.seq[u] if y != x]
                extra = w * (_travel(st, u, rest_u) - st.travel[u])
                extra += _reinsert_estimate(st, x, u, cache) - st.request_cost(x)
            kmin = 1 if (full and x is None) or (r not in st.assign and x is None) else 0
            for k in range(kmin, MAX_EJECT + 1 - (x is not None)):
                for out in itertools.combinations(cand, k):
                    s_out = frozenset(out) if x is None else frozenset((*out, x))
                    if any(f <= s_out for f in fitting):
                        continue  # not minimal
                    rest = [q for q in seq if q not in s_out]
                    got = _fit(st, t, rest, r)
                    if got is None:
                        continue
                    fitting.append(s_out)
                    est = base - current + extra
                    est += w * (_travel(st, t, rest) + got[1] - st.travel[t])
                    for q in out:
                        est += _reinsert_estimate(st, q, t, cache) - st.request_cost(q)
                    moves.append((est, t, out if x is None else (*out, x)))
    return moves


def _apply(st: SearchState, r: int, t: int, out: Sequence[int]) -> list[int]:
    """Take ``out`` (and ``r``, if planned) out, put ``r`` into tour ``t``; returns the
    requests now open that were planned (the ejected ones), for the repair."""
    freed: list[int] = []
    for q in out:
        if q in st.assign:
            freed.append(q)
            freed.extend(st.remove(q))
    if r in st.assign:
        freed.extend(st.remove(r))
    ins = st.best_insertion(r, {t})
    if ins is not None:
        st.insert(r, ins[1], ins[2])
    return freed


def _pick(moves: list[tuple[float, int, tuple[int, ...]]], rng: random.Random) -> int:
    """Index of the move to make: the best estimate most often, now and then a near one."""
    return int(len(moves) * rng.random() ** 4)


def _best_of(
    st: SearchState, r: int, moves: list[tuple[float, int, tuple[int, ...]]], rng: random.Random
) -> tuple[float, int, tuple[int, ...]]:
    """Of the :data:`EXACT_MOVES` best estimated moves (after one :func:`_pick`), the one
    whose result after a regret repair of the ejected visits costs least (tried on
    copies)."""
    first = _pick(moves, rng)
    cands = [moves[first], *(m for i, m in enumerate(moves) if i != first)][:EXACT_MOVES]
    if len(cands) == 1:
        return cands[0]
    best: tuple[int, int] | None = None
    for i, (_, t, out) in enumerate(cands):
        st.work[0] += len(st.seq) + len(st.inst.requests)  # the copy and its total
        trial = st.copy()
        freed = _apply(trial, r, t, out)
        repair_regret(trial, freed)
        key = (trial.total(), i)
        if best is None or key < best:
            best = key
    assert best is not None
    return cands[best[1]]


def destroy_eject(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """Eject one to three visits so that a target request fits a tour (see the module);
    the target is inserted at once. An ejected visit that the regret repair cannot plan
    again becomes the next target (a chain of at most :data:`MAX_CHAIN` moves); what is
    left open is left to the search's repair. Returns no further requests to remove (the
    ALNS loop re-plans all open ones)."""
    del q  # the move decides how many visits go
    targets = _targets(st, rng)
    for depth in range(MAX_CHAIN):
        freed: list[int] | None = None
        for r in targets:
            moves = _eject_moves(st, r, rng)
            if moves:
                moves.sort()
                _, t, out = _best_of(st, r, moves, rng)
                freed = _apply(st, r, t, out)
                break
        if not freed or depth == MAX_CHAIN - 1:
            break
        repair_regret(st, freed)
        targets = sorted(
            (x for x in freed if x not in st.assign and st.inst.requests[x].n_roles == 1),
            key=lambda x: (-st.leave_out_cost(x), x),
        )
        if not targets:
            break
    return []


def _replace_moves(
    st: SearchState, r: int, rng: random.Random
) -> list[tuple[float, int, tuple[int, ...]]]:
    """Runs of consecutive visits whose place ``r`` can take and whose unassigned costs sum
    to less than ``r``'s: ``(change of the objective if none is planned again, tour, run)``."""
    inst = st.inst
    w = inst.w_travel
    loc = st.leave_out_cost(r)
    moves: list[tuple[float, int, tuple[int, ...]]] = []
    for o in st.sorted_options(r)[:MAX_TOURS]:
        t = o.tour
        base = st.cost_in(r, t)
        if base >= loc:
            break
        seq = st.seq[t]
        for i in range(len(seq)):
            for j in range(i + 1, min(len(seq), i + MAX_RUN) + 1):
                run = tuple(seq[i:j])
                if not all(_ejectable(st, x) for x in run):
                    break
                lost = sum(st.leave_out_cost(x) - st.request_cost(x) for x in run)
                if lost + base >= loc:
                    break
                rest = seq[:i] + seq[j:]
                got = _fit(st, t, rest, r)
                if got is None:
                    continue
                est = base - loc + lost + w * (_travel(st, t, rest) + got[1] - st.travel[t])
                if est < 0:
                    moves.append((est, t, run))
                break  # a longer run only loses more
    return moves


def destroy_replace(st: SearchState, q: int, rng: random.Random) -> list[int]:
    """Let an open request take the place of a run of cheaper visits when that pays even if
    they stay open (see the module); the repair then re-plans them. Falls back to
    :func:`destroy_eject` when no such replacement exists."""
    for r in _targets(st, rng):
        if r in st.assign:
            continue  # a planned target: nothing to replace for
        moves = _replace_moves(st, r, rng)
        if moves:
            moves.sort()
            _, t, run = moves[_pick(moves, rng)]
            _apply(st, r, t, run)
            return []
    return destroy_eject(st, q, rng)
