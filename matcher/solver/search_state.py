"""The search's solution: request sequences per tour with caches for O(1) insertion checks.

Start times are not stored for single-role visits: each tour is scheduled *earliest first*
(leave the base at the tour's start, start every visit at the first allowed minute after
arriving), which is feasible whenever any schedule of that order is, because waiting is
allowed and every allowed-start set is a union of intervals. A joint visit gets one fixed
start, chosen when it is inserted (the latest that fits the tours of all its consultants
at the chosen places); it is a fixed-time node in each of them. Per tour the state keeps
the earliest end after every position and the latest start that keeps the rest feasible;
the rules' search hooks (:mod:`matcher.rules`) keep their own counters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matcher.rules import HARD_RULES, SearchHook
from matcher.solver.instance import Assignment, Instance, Option
from matcher.solver.intervals import Interval, intersect, visit_windows
from matcher.solver.objective import keeps_published


def cheapest_fit(
    st: SearchState,
    r: int,
    t: int,
    seq: Sequence[int],
    early: Sequence[int],
    late: Sequence[int],
    roles: tuple[int, ...] = (),
    out: list[_Gap] | None = None,
    dom: Sequence[Interval] | None = None,
) -> tuple[int, int] | None:
    """Where visit ``r`` fits into tour ``t`` holding ``seq`` with least extra travel:
    ``(gap, delta)``, or ``None``; with ``out`` every position where it fits is appended as
    a :class:`_Gap` (with its allowed starts, for the roles ``roles``).

    ``early[i]`` is the earliest end of ``seq[i]`` and ``late[i]`` its latest start (the
    state's own arrays, or those of a trial sequence, :mod:`matcher.solver.eject`).
    ``dom`` is the visit's allowed starts in the tour when the caller has them at hand
    (its :class:`~matcher.solver.instance.Option`'s intervals; looked up otherwise).
    """
    inst = st.inst
    ti = inst.tours[t]
    mins = inst.minutes
    point = st.point
    loc, dur = point[r], st.dur[r]
    if dom is None:
        dom = st.dom[r, t]
    from_loc = mins[loc]
    n = len(seq)
    best: tuple[int, int] | None = None
    prev_pt, prev_end = ti.base, ti.tour.start
    for g in range(n + 1):
        if g == n:
            next_pt, next_late = ti.base, ti.tour.end
        else:
            next_pt, next_late = point[seq[g]], late[g]
        to_loc = mins[prev_pt][loc]
        lo = prev_end + to_loc
        hi = next_late - from_loc[next_pt] - dur
        if lo <= hi:
            if out is not None:
                iv = intersect(dom, [(lo, hi)])
                ok = bool(iv)
            else:  # a loop, not any(): this is the search's hottest line
                ok = False
                for a, b in dom:
                    if a <= hi and b >= lo:
                        ok = True
                        break
            if ok:
                delta = to_loc + from_loc[next_pt] - mins[prev_pt][next_pt]
                if out is not None:
                    out.append(_Gap(t, g, iv, delta, roles))
                if best is None or delta < best[1]:
                    best = (g, delta)
        if g < n:
            prev_pt, prev_end = point[seq[g]], early[g]
    return best


_NO_COST = 1 << 62
"""Larger than any cost (no place found yet)."""

FEW_TOURS = 4
"""A set of tours at most a quarter of a request's options is looked up, not scanned
(:meth:`SearchState._priced_among`)."""

_Priced = tuple[int, int, tuple[Interval, ...], tuple[int, int] | None]
"""An option as the search's inner loop reads it: (waiting + continuity cost, tour,
allowed starts, :func:`cheapest_fit` in the empty tour)."""


@dataclass
class _Gap:
    """A place for a request in a tour (before position ``gap``) with allowed starts."""

    tour: int
    gap: int
    intervals: list[Interval]
    delta: int
    roles: tuple[int, ...]


class SearchState:
    """Routes as request sequences per tour, with caches for O(1) insertion checks."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        n_t = len(inst.tours)
        self.seq: list[list[int]] = [[] for _ in range(n_t)]
        self.fixed_start: dict[int, int] = {}
        self.assign: dict[int, tuple[int, ...]] = {}
        self.hooks: list[SearchHook] = [r.search(inst) for r in HARD_RULES if r.search]
        """The rules' own counters (:attr:`matcher.rules.Rule.search`), e.g. the caps."""
        self.no_room: set[int] = set().union(*(h.no_room for h in self.hooks))
        """Tours that some rule lets take no more visit (see :meth:`room`)."""
        self._allows = tuple(h.allows for h in self.hooks if h.per_request)
        self.dom: dict[tuple[int, int], tuple[Interval, ...]] = {}
        self.roles: dict[tuple[int, int], tuple[int, ...]] = {}
        for r in inst.requests:
            for o in r.options:
                self.dom[r.index, o.tour] = o.intervals
                self.roles[r.index, o.tour] = o.roles
        # Per tour: earliest end time after each position, latest start of each position.
        self.early_end: list[list[int]] = [[] for _ in range(n_t)]
        self.late_start: list[list[int]] = [[] for _ in range(n_t)]
        self.travel: list[int] = [0] * n_t
        self.point = [r.point for r in inst.requests]
        self.dur = [r.duration for r in inst.requests]
        self.tour_cd = [(t.consultant, t.day) for t in inst.tours]
        self.option_tours = [frozenset(o.tour for o in r.options) for r in inst.requests]
        self._sorted: dict[int, list[Option]] = {}
        self._by_day: dict[int, list[tuple[int, list[Option]]]] = {}
        self._least_wait: dict[int, int] = {}
        self._priced_cache: dict[int, list[_Priced]] = {}
        self._rank: dict[int, dict[int, int]] = {}
        self._least_cost: dict[int, int] = {}
        self.work = [0]
        """Insertion positions examined (shared by copies): the deterministic work measure."""
        self.w_cont = inst.scenario.weights.continuity
        self.needs_prev = [
            bool(inst.scenario.youth(r.request.youth).previous_consultant) and self.w_cont > 0
            for r in inst.requests
        ]
        self.keep = [r.keep for r in inst.requests]
        """Per request: the assignment that keeps its published visit, if possible."""
        self.change = [r.change_cost for r in inst.requests]
        """Per request: what not keeping its published visit costs (0 without one)."""
        self.wait = [r.wait_cost for r in inst.requests]
        self.leave = [
            r.unassigned_cost + c for r, c in zip(inst.requests, self.change, strict=True)
        ]
        """Per request: :meth:`leave_out_cost`."""
        self.all_leave = sum(self.leave)
        self.cost = self.all_leave
        """The objective of the plan held (:meth:`total`)."""
        self.costs: dict[int, int] = {}
        """Per planned request: :meth:`request_cost`."""
        self.special = [p or c > 0 for p, c in zip(self.needs_prev, self.change, strict=True)]
        """Per request: whether its cost has a continuity or change term."""

    # -- copying ---------------------------------------------------------------------
    def copy(self) -> SearchState:
        """A copy sharing the immutable caches and copying the routes and counters.

        The per-tour lists (visits, earliest ends, latest starts) are shared, not copied:
        the state never changes one in place but replaces it (:meth:`insert`,
        :meth:`remove`, :meth:`_refresh`), so a copy costs one list per kind, not one per
        tour (it was about a tenth of the search's time on 300 requests).
        """
        new = SearchState.__new__(SearchState)
        new.__dict__.update(self.__dict__)
        new.seq = list(self.seq)
        new.fixed_start = dict(self.fixed_start)
        new.assign = dict(self.assign)
        new.hooks = [h.copy() for h in self.hooks]
        new.no_room = set(self.no_room)
        new._allows = tuple(h.allows for h in new.hooks if h.per_request)
        new.early_end = list(self.early_end)
        new.late_start = list(self.late_start)
        new.travel = list(self.travel)
        new.costs = dict(self.costs)
        return new

    # -- schedules -------------------------------------------------------------------
    def _domain(self, r: int, t: int) -> Sequence[Interval]:
        s = self.fixed_start.get(r)
        if s is not None:
            return ((s, s),)
        return self.dom[r, t]

    def schedule(self, t: int, seq: Sequence[int] | None = None) -> list[int] | None:
        """Earliest start of every visit of tour ``t`` (or ``None`` if infeasible)."""
        got = self.windows(t, self.seq[t] if seq is None else seq)
        return None if got is None else got[0]

    def windows(self, t: int, seq: Sequence[int]) -> tuple[list[int], list[int]] | None:
        """Earliest and latest start of every visit if tour ``t`` held ``seq`` (joint
        visits at their fixed starts), or ``None`` if it cannot
        (:func:`~matcher.solver.intervals.visit_windows`)."""
        ti = self.inst.tours[t]
        point, dur = self.point, self.dur
        return visit_windows(
            self.inst.minutes,
            ti.base,
            ti.tour.start,
            ti.tour.end,
            [(point[r], dur[r], self._domain(r, t)) for r in seq],
        )

    def _refresh(self, t: int) -> bool:
        """Recompute the caches of tour ``t``; ``False`` if the tour became infeasible."""
        inst = self.inst
        seq = self.seq[t]
        ti = inst.tours[t]
        mins = inst.minutes
        got = self.windows(t, seq)
        if got is None:
            return False
        starts, self.late_start[t] = got
        self.early_end[t] = [s + self.dur[r] for s, r in zip(starts, seq, strict=True)]
        travel = 0
        prev = ti.base
        for r in seq:
            travel += mins[prev][self.point[r]]
            prev = self.point[r]
        travel = travel + mins[prev][ti.base] if seq else 0
        self.cost += inst.w_travel * (travel - self.travel[t])
        self.travel[t] = travel
        return True

    def sorted_options(self, r: int) -> list[Option]:
        """The request's options, cheapest waiting and continuity first (cached)."""
        got = self._sorted.get(r)
        if got is None:
            inst = self.inst
            req = inst.requests[r]
            got = sorted(
                req.options,
                key=lambda o: (
                    req.wait_cost[inst.tours[o.tour].day]
                    + self.cont(r, (inst.tours[o.tour].consultant,))
                ),
            )
            self._sorted[r] = got
        return got

    def _priced(self, r: int) -> list[_Priced]:
        """:meth:`sorted_options` as :data:`_Priced` tuples (cached): what the search's
        inner loop reads of each option."""
        got = self._priced_cache.get(r)
        if got is None:
            got = self._priced_cache[r] = [
                (
                    self.cost_in(r, o.tour) - self.change[r],
                    o.tour,
                    o.intervals,
                    cheapest_fit(self, r, o.tour, (), (), (), dom=o.intervals),
                )
                for o in self.sorted_options(r)
            ]
        return got

    def _priced_among(self, r: int, tours: set[int] | None) -> list[_Priced]:
        """:meth:`_priced` in ``tours`` (all without), in that order.

        A few tours (the regret repair asks again for the tours an insertion changed) are
        looked up by their rank rather than found by scanning all options: on 1 000
        requests the scan passed about 290 options per call for fewer than 20 fits.
        """
        got = self._priced(r)
        if tours is None:
            return got
        if FEW_TOURS * len(tours) >= len(got):
            return [p for p in got if p[1] in tours]
        rank = self._rank.get(r)
        if rank is None:
            rank = self._rank[r] = {p[1]: i for i, p in enumerate(got)}
        return [got[i] for i in sorted(rank[t] for t in tours if t in rank)]

    def least_wait(self, r: int) -> int:
        """The request's waiting cost on its cheapest day (cached)."""
        got = self._least_wait.get(r)
        if got is None:
            got = self._least_wait[r] = min(self.inst.requests[r].wait_cost.values())
        return got

    def cost_in(self, r: int, t: int) -> int:
        """Waiting, continuity and (a published visit's) change cost of ``r`` in tour ``t``
        (its travel aside)."""
        ti = self.inst.tours[t]
        return (
            self.inst.requests[r].wait_cost[ti.day]
            + self.cont(r, (ti.consultant,))
            + self.change[r]
        )

    def least_cost(self, r: int) -> int:
        """:meth:`cost_in` at the request's cheapest option (the first of
        :meth:`sorted_options`; cached)."""
        got = self._least_cost.get(r)
        if got is None:
            got = self._least_cost[r] = self.cost_in(r, self.sorted_options(r)[0].tour)
        return got

    # -- the rules' hooks ---------------------------------------------------------------
    def room(self, t: int) -> bool:
        """Whether every rule lets tour ``t`` take one more visit (e.g. the caps)."""
        return t not in self.no_room

    def fits(self, r: int, t: int) -> bool:
        """Whether every rule lets tour ``t`` take request ``r``: the one place where the
        search asks the rules' hooks (the single-visit loop of :meth:`_best_new_place`
        inlines it for speed)."""
        if t in self.no_room:
            return False
        return all(ok(r, t) for ok in self._allows)

    def _count(self, t: int, r: int, n: int) -> None:
        """Tell the rules' hooks of ``r`` added to (``n = 1``) or removed from tour ``t``."""
        hooks = self.hooks
        for h in hooks:
            for u in h.count(t, r, n):
                for g in hooks:  # loops, not any(): called on every insertion and removal
                    if u in g.no_room:
                        self.no_room.add(u)
                        break
                else:
                    self.no_room.discard(u)

    # -- insertion -------------------------------------------------------------------
    def gaps(self, r: int, t: int, roles: tuple[int, ...]) -> list[_Gap]:
        """Every position in tour ``t`` where request ``r`` fits, with its allowed starts."""
        out: list[_Gap] = []
        self._scan(r, t, roles, out)
        return out

    def _scan(
        self, r: int, t: int, roles: tuple[int, ...], out: list[_Gap] | None
    ) -> tuple[int, int] | None:
        """Every position of tour ``t`` where ``r`` fits: the cheapest ``(gap, delta)``,
        and with ``out`` each position as a :class:`_Gap` with its allowed starts."""
        seq = self.seq[t]
        self.work[0] += len(seq) + 1
        return cheapest_fit(self, r, t, seq, self.early_end[t], self.late_start[t], roles, out)

    def cont(self, r: int, consultants: Sequence[int]) -> int:
        """Continuity penalty of serving request ``r`` with ``consultants``."""
        req = self.inst.requests[r]
        if not self.needs_prev[r]:
            return 0
        return 0 if req.previous is not None and req.previous in consultants else self.w_cont

    def best_insertion(
        self, r: int, tours: set[int] | None = None, exclude: int | None = None
    ) -> tuple[int, list[tuple[int, int]], int | None] | None:
        """The cheapest way to insert ``r``: ``(cost, [(tour, gap), ...], fixed start)``.

        For a joint visit the tours are in role order and the start is fixed; for a single
        visit the start stays free (``None``). ``tours`` limits a single visit to those
        tours, and ``exclude`` keeps it out of that one tour (both are ignored for a joint
        visit's new place). A request with a published visit pays ``change`` unless it is
        inserted exactly there (then with that fixed start), which neither allows unless
        every published tour is among ``tours`` and none is ``exclude``.
        """
        best = self._best_new_place(r, tours, exclude)
        change = self.change[r]
        if not change:
            return best
        if best is not None:
            best = (best[0] + change, best[1], best[2])
        keep = self.keep[r]
        if (
            keep is not None
            and (tours is None or tours.issuperset(keep.tours))
            and (exclude is None or exclude not in keep.tours)
        ):
            kept = self.keep_insertion(r)
            if kept is not None and (best is None or kept[0] <= best[0]):
                return kept
        return best

    def keep_insertion(self, r: int) -> tuple[int, list[tuple[int, int]], int | None] | None:
        """Inserting ``r`` exactly as published (its tours, its start), if that still fits."""
        keep = self.keep[r]
        if keep is None:
            return None
        inst = self.inst
        where: list[tuple[int, int]] = []
        delta = 0
        for t in keep.tours:
            if not self.fits(r, t):
                return None
            fits = [
                g
                for g in self.gaps(r, t, self.roles[r, t])
                if any(lo <= keep.start <= hi for lo, hi in g.intervals)
            ]
            if not fits:
                return None
            g = min(fits, key=lambda g: g.delta)
            where.append((t, g.gap))
            delta += g.delta
        req = inst.requests[r]
        cost = (
            req.wait_cost[inst.tours[keep.tours[0]].day]
            + self.cont(r, [inst.tours[t].consultant for t in keep.tours])
            + inst.w_travel * delta
        )
        return cost, where, keep.start

    def is_kept(self, r: int) -> bool:
        """Whether planned request ``r`` keeps its published visit."""
        keep = self.keep[r]
        return (
            keep is not None
            and self.fixed_start.get(r) == keep.start
            and set(self.assign[r]) == set(keep.tours)
        )

    def leave_out_cost(self, r: int) -> int:
        """What leaving ``r`` unplanned costs (unassigned, plus change if published)."""
        return self.leave[r]

    def _best_new_place(
        self, r: int, tours: set[int] | None = None, exclude: int | None = None
    ) -> tuple[int, list[tuple[int, int]], int | None] | None:
        """:meth:`best_insertion` without the published visit (no change cost)."""
        inst = self.inst
        req = inst.requests[r]
        w = inst.w_travel
        best: tuple[int, list[tuple[int, int]], int | None] | None = None
        if req.n_roles == 1:
            # The search's inner loop: the scan (_scan without the gap list) and cont inlined.
            no_room, allows = self.no_room, self._allows
            seqs, early, late, work = self.seq, self.early_end, self.late_start, self.work
            for base_cost, t, dom, alone in self._priced_among(r, tours):
                if best is not None and base_cost >= best[0]:
                    break  # options are sorted by this cost: none further can win
                if t == exclude or t in no_room or (allows and not self.fits(r, t)):
                    continue
                seq = seqs[t]
                work[0] += len(seq) + 1
                if not seq:  # an empty tour: the fit is known in advance
                    found = alone
                else:
                    found = cheapest_fit(self, r, t, seq, early[t], late[t], dom=dom)
                if found is not None:
                    cost = base_cost + w * found[1]
                    if best is None or cost < best[0]:
                        best = (cost, [(t, found[0])], None)
            return best
        # Joint visit: day by day, cheapest waiting first; stop when waiting alone loses.
        for d, opts in self.options_by_day(r):
            wait = req.wait_cost[d]
            if best is not None and wait >= best[0]:
                break
            gaps: list[_Gap] = []
            for o in opts:
                if self.fits(r, o.tour):
                    gaps.extend(self.gaps(r, o.tour, o.roles))
            if gaps:
                best = self._best_joint(r, gaps, wait, best)
        return best

    def two_best_places(
        self, r: int, tours: set[int] | None = None
    ) -> tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]:
        """The two cheapest places of single visit ``r`` in two different tours (among
        ``tours``, all without): each ``(cost, tour, gap)`` or ``None``.

        Like :meth:`_best_new_place` it stops at the first option whose waiting and
        continuity cost alone reaches the second place found. No change cost: the caller
        adds it (a published visit is kept or moved as :meth:`best_insertion` decides).
        """
        w = self.inst.w_travel
        no_room, allows = self.no_room, self._allows
        seqs, early, late = self.seq, self.early_end, self.late_start
        # The two places as plain locals (cost, tour, gap): this is the search's inner loop.
        c1 = c2 = _NO_COST
        t1 = g1 = t2 = g2 = -1
        work = 0
        for base_cost, t, dom, alone in self._priced_among(r, tours):
            if base_cost >= c2:
                break  # options are sorted by this cost: none further can be second
            if t in no_room or (allows and not self.fits(r, t)):
                continue
            seq = seqs[t]
            work += len(seq) + 1
            found = alone if not seq else cheapest_fit(self, r, t, seq, early[t], late[t], dom=dom)
            if found is None:
                continue
            cost = base_cost + w * found[1]
            if cost < c1:
                c1, t1, g1, c2, t2, g2 = cost, t, found[0], c1, t1, g1
            elif cost < c2:
                c2, t2, g2 = cost, t, found[0]
        self.work[0] += work
        first = None if t1 < 0 else (c1, t1, g1)
        return first, None if t2 < 0 else (c2, t2, g2)

    def options_by_day(self, r: int) -> list[tuple[int, list[Option]]]:
        """The request's options grouped by day, cheapest waiting day first (cached)."""
        got = self._by_day.get(r)
        if got is None:
            inst = self.inst
            req = inst.requests[r]
            groups: dict[int, list[Option]] = {}
            for o in req.options:
                groups.setdefault(inst.tours[o.tour].day, []).append(o)
            got = sorted(groups.items(), key=lambda kv: (req.wait_cost[kv[0]], kv[0]))
            self._by_day[r] = got
        return got

    def _best_joint(
        self,
        r: int,
        gaps: list[_Gap],
        wait: int,
        best: tuple[int, list[tuple[int, int]], int | None] | None,
    ) -> tuple[int, list[tuple[int, int]], int | None] | None:
        """Best choice of one gap per role (distinct consultants, a common start) on a day.

        Depth-first over the roles with gaps sorted by extra travel, cut off as soon as the
        travel so far plus the cheapest rest cannot beat ``best``. Every common start of the
        chosen gaps costs the same (the objective has no time-of-day term); the visit gets
        the latest, which leaves the time before it to the single visits, which are
        scheduled earliest first (measured better than the earliest on the weeks with joint
        visits, see :mod:`matcher.solver.joint_timing`).
        """
        inst = self.inst
        w = inst.w_travel
        n_roles = inst.requests[r].n_roles
        per_role = [
            sorted((g for g in gaps if k in g.roles), key=lambda g: g.delta) for k in range(n_roles)
        ]
        if any(not lst for lst in per_role):
            return best
        min_rest = [0] * (n_roles + 1)
        for k in range(n_roles - 1, -1, -1):
            min_rest[k] = min_rest[k + 1] + w * per_role[k][0].delta
        chosen: list[_Gap] = []
        used: list[int] = []

        def dfs(k: int, partial: int, iv: list[Interval]) -> None:
            nonlocal best
            if k == n_roles:
                cost = partial + wait + self.cont(r, used)
                if best is None or cost < best[0]:
                    best = (cost, [(g.tour, g.gap) for g in chosen], iv[-1][1])
                return
            for g in per_role[k]:
                if best is not None and partial + w * g.delta + min_rest[k + 1] + wait >= best[0]:
                    break
                c = inst.tours[g.tour].consultant
                if c in used:
                    continue
                niv = g.intervals if k == 0 else intersect(iv, g.intervals)
                if not niv:
                    continue
                chosen.append(g)
                used.append(c)
                dfs(k + 1, partial + w * g.delta, niv)
                chosen.pop()
                used.pop()

        dfs(0, 0, [])
        return best

    def insert(self, r: int, where: list[tuple[int, int]], start: int | None) -> None:
        if start is not None:
            self.fixed_start[r] = start
        self.assign[r] = tuple(t for t, _ in where)
        for t, g in where:
            seq = self.seq[t]
            self.seq[t] = [*seq[:g], r, *seq[g:]]  # a new list: copies share the old one
            self._count(t, r, 1)
            ok = self._refresh(t)
            assert ok, "insertion broke a tour"
        self.costs[r] = cost = self._own_cost(r)
        self.cost += cost - self.leave[r]

    def set_start(self, r: int, start: int) -> None:
        """Move planned fixed-time visit ``r`` (a joint visit) to ``start``, keeping every
        tour's order; ``start`` must lie in its window
        (:func:`matcher.solver.joint_timing.start_window`)."""
        self.cost -= self.costs[r]
        self.fixed_start[r] = start
        self.costs[r] = cost = self._own_cost(r)
        self.cost += cost
        for t in self.assign[r]:
            self.work[0] += len(self.seq[t])
            ok = self._refresh(t)
            assert ok, "re-timing broke a tour"

    def remove(self, r: int) -> list[int]:
        """Remove ``r``; returns requests that had to go too (a tour broken by the removal)."""
        self.cost += self.leave[r] - self.costs.pop(r)
        tours = self.assign.pop(r)
        self.fixed_start.pop(r, None)
        extra: list[int] = []
        for t in tours:
            self.seq[t] = [q for q in self.seq[t] if q != r]  # a new list (see copy)
            self._count(t, r, -1)
            if not self._refresh(t):
                # Only possible when travel times break the triangle inequality.
                extra.extend(q for q in self.seq[t] if q in self.assign)
        for q in extra:
            if q in self.assign:
                extra.extend(self.remove(q))
        return extra

    # -- cost ------------------------------------------------------------------------
    def request_cost(self, r: int) -> int:
        """Waiting + continuity (+ change) of a planned request, its travel aside (kept by
        :meth:`insert`, :meth:`set_start` and :meth:`recount`)."""
        return self.costs[r]

    def _own_cost(self, r: int) -> int:
        """:meth:`request_cost` computed from the request's tours and start."""
        tours = self.assign[r]
        cost = self.wait[r][self.tour_cd[tours[0]][1]]
        if self.special[r]:
            cost += self.cont(r, [self.tour_cd[t][0] for t in tours])
            if self.change[r] and not self.is_kept(r):
                cost += self.change[r]
        return cost

    def total(self) -> int:
        """The plan's objective (kept up to date by :meth:`insert`, :meth:`remove`,
        :meth:`set_start` and the tours' refresh; see :meth:`recount`)."""
        return self.cost

    def recount(self) -> None:
        """Recompute :meth:`total` from the routes: travel, the leave-out cost of every
        request, and per planned request its own cost (:meth:`request_cost`) instead.
        Needed after the state's fields were set directly (:meth:`from_assignments`,
        :func:`matcher.solver.route_master.state_from_routes`)."""
        cost = self.inst.w_travel * sum(self.travel) + self.all_leave
        self.costs = {r: self._own_cost(r) for r in self.assign}
        for r, own in self.costs.items():
            cost += own - self.leave[r]
        self.cost = cost

    def assignments(self) -> list[Assignment]:
        out: dict[int, int] = {}
        for t, seq in enumerate(self.seq):
            if not seq:
                continue
            starts = self.schedule(t)
            assert starts is not None
            for r, s in zip(seq, starts, strict=True):
                out[r] = s
        return [Assignment(r, tours, out[r]) for r, tours in sorted(self.assign.items())]

    @classmethod
    def from_assignments(cls, inst: Instance, assignments: Sequence[Assignment]) -> SearchState:
        """Load a feasible plan (e.g. from CP-SAT) into a search state."""
        st = cls(inst)
        per_tour: dict[int, list[Assignment]] = {}
        for a in assignments:
            st.assign[a.request] = a.tours
            if len(a.tours) > 1 or keeps_published(inst, a):
                st.fixed_start[a.request] = a.start
            for t in a.tours:
                per_tour.setdefault(t, []).append(a)
                st._count(t, a.request, 1)
        for t, lst in per_tour.items():
            lst.sort(key=lambda a: a.start)
            st.seq[t] = [a.request for a in lst]
            ok = st._refresh(t)
            assert ok
        st.recount()
        return st
