"""Fast construction and adaptive large-neighbourhood search over tour sequences.

A solution is a sequence of requests per tour. Start times are not stored for single-role
visits: each tour is scheduled *earliest first* (leave the base at the tour's start, start
every visit at the first allowed minute after arriving), which is feasible whenever any
schedule of that order is, because waiting is allowed and every allowed-start set is a union
of intervals. A joint visit gets one fixed start, chosen when it is inserted, that fits the
tours of all its consultants; it is a fixed-time node in each of them.

:class:`SearchState` keeps per tour the earliest end after every position and the latest
start that keeps the rest of the tour feasible, so an insertion is checked in ``O(1)``.
:func:`construct` inserts requests cheapest-first; :func:`alns` repeatedly removes a group
of requests (random; related by place and day; worst placed; whole tours; the visits blocking
a delayed request's earlier day; ejection moves that make room for an open or delayed
request, :mod:`matcher.solver.eject`) and re-inserts the open requests, mostly by regret-2
(the request that loses most when it misses its cheapest place goes first), sometimes
greedily or by saving per option, accepting by simulated annealing, with destroy operator
weights adapted to their success.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from matcher.solver.destroy import (
    DESTROY,
    destroy_blocking,
    destroy_for_open,
    destroy_random,
    destroy_related,
    destroy_tours,
    destroy_worst,
)
from matcher.solver.repair import (
    construct,
    insertion_priority,
    keep_published,
    repair_greedy,
    repair_regret,
    repair_regret2,
)
from matcher.solver.search_state import SearchState

__all__ = [
    "DESTROY",
    "SearchState",
    "alns",
    "construct",
    "destroy_blocking",
    "destroy_for_open",
    "destroy_random",
    "destroy_related",
    "destroy_tours",
    "destroy_worst",
    "insertion_priority",
    "keep_published",
    "repair_greedy",
    "repair_regret",
    "repair_regret2",
    "time_budget",
]


TEMP0 = 0.002
"""Initial simulated-annealing temperature as a share of the first plan's objective."""
COOLING = 0.997
"""Temperature factor per iteration."""
MAX_REMOVE = 45
"""Most requests removed in one iteration (also at most a quarter of all requests, or
half up to :data:`SMALL_MAX_REMOVE`, so it matters from about 180 requests on). With the
regret-2 repair, 45 ended lower than 30 at the same CPU time on generated weeks of 300
requests (3 seeds each: 120 433 against 120 453 and 117 777 against 117 829; 20, 60 and
80 did worse) and of 1 000 (2 seeds: 390 463 against 390 566 and 394 704 against 394 849;
60 was mixed)."""
SMALL_MAX_REMOVE = 20
"""On small weeks up to half of the requests, but at most this many, are removed in one
iteration (a quarter before: 10 on 40 requests). Measured at 10 s on 2 workers: gen-40
with pins seed 13 went from 17 812 (every run; 20 s and 60 s too) to 17 786, below the
best-known 17 790, on two solver seeds; half of 80 requests (40) was worse on the
80-request weeks with joint visits (seed 12: 1.0029 of the best-known against 1.0013
over four solver seeds), so 80 requests keep a quarter (20)."""
GREEDY_SHARE = 0.05
"""Share of the iterations repaired by :func:`repair_greedy`."""
SAVING_SHARE = 0.05
"""Share repaired by :func:`repair_regret` (largest saving per option first); the rest
(0.9) by :func:`repair_regret2`. Half greedy and half by saving was the rule before
regret-2 came: at the same CPU time (the search alone, after construction) regret-2 in
0.9 of the iterations ended 0.07-0.16 % lower on generated weeks of 300 and 1 000
requests than half-and-half, and lower than a third each or 0.5 and 0.7 regret-2."""


POLISH_WORK = 150_000
"""Search work (insertion positions examined) between two exact re-optimisations of a
neighbourhood (``polish``): about a second of search."""


def alns(
    st: SearchState,
    rng: random.Random,
    should_stop: Callable[[int], bool],
    on_improve: Callable[[SearchState, int], None] | None = None,
    polish: Callable[[SearchState, random.Random], SearchState | None] | None = None,
    incoming: Callable[[], SearchState | None] | None = None,
    on_accept: Callable[[SearchState], None] | None = None,
) -> SearchState:
    """Adaptive large-neighbourhood search from ``st``; returns the best state found.

    ``should_stop(iteration)`` ends the search. Destroy operators are chosen with adaptive
    weights; the open requests are re-inserted (:data:`GREEDY_SHARE`,
    :data:`SAVING_SHARE`, the rest by regret-2); a worse result is
    accepted with the simulated-annealing probability (temperature falls with iterations).
    After every :data:`POLISH_WORK` units of work ``polish`` (if given) may return a better
    state from the best one, e.g. a neighbourhood re-optimised exactly
    (:mod:`matcher.solver.cp_lns`); counting work, not iterations or seconds, keeps it
    reproducible. ``incoming`` (if given) is asked every iteration for a plan found
    elsewhere (the integer route master, :mod:`matcher.solver.route_master`); a better one
    becomes the best and the current state. ``on_accept`` (if given) sees every state the
    search accepts as its current one (for a pool of routes, :mod:`.route_pool`).
    """
    inst = st.inst
    best = st.copy()
    best_cost = cur_cost = st.total()
    cur = st
    n = len(inst.requests)
    weights = [1.0] * len(DESTROY)
    temp0 = max(1.0, TEMP0 * best_cost)
    temp = temp0
    it = 0
    next_polish = st.work[0] + POLISH_WORK
    max_remove = max(3, min(MAX_REMOVE, max(n // 4, min(SMALL_MAX_REMOVE, n // 2))))
    while not should_stop(it):
        it += 1
        trial = cur.copy()
        k = rng.choices(range(len(DESTROY)), weights)[0]
        q = rng.randint(2, max_remove)
        removed = DESTROY[k](trial, q, rng)
        pool: list[int] = []
        for r in removed:
            if r in trial.assign:
                pool.append(r)
                pool.extend(trial.remove(r))
        pool.extend(
            r.index for r in inst.requests if r.index not in trial.assign and r.index not in pool
        )
        u = rng.random()
        if u < GREEDY_SHARE:
            repair_greedy(trial, pool, rng)
        elif u < GREEDY_SHARE + SAVING_SHARE:
            repair_regret(trial, pool)
        else:
            repair_regret2(trial, pool)
        cost = trial.total()
        reward = 0.0
        before = cur
        if cost < best_cost:
            best, best_cost = trial.copy(), cost
            reward = 3.0
            if on_improve is not None:
                on_improve(best, best_cost)
        if cost < cur_cost:
            cur, cur_cost = trial, cost
            reward = max(reward, 1.0)
        elif cost > cur_cost and rng.random() < math.exp(-(cost - cur_cost) / temp):
            cur, cur_cost = trial, cost
            reward = max(reward, 0.3)
        elif cost == cur_cost:
            cur = trial
        if on_accept is not None and cur is not before:
            on_accept(cur)
        weights[k] = 0.9 * weights[k] + 0.1 * (0.2 + reward)
        temp = max(0.5, temp * COOLING)
        if polish is not None and st.work[0] >= next_polish and not should_stop(it):
            next_polish = st.work[0] + POLISH_WORK
            better = polish(best, rng)
            if better is not None:
                better.work = st.work  # one work counter for the whole search
            if better is not None and (cost := better.total()) < best_cost:
                best, best_cost = better, cost
                cur, cur_cost = better.copy(), cost
                if on_improve is not None:
                    on_improve(best, best_cost)
        if incoming is not None and (got := incoming()) is not None:
            got.work = st.work
            if (cost := got.total()) < best_cost:
                best, best_cost = got, cost
                cur, cur_cost = got.copy(), cost
                if on_improve is not None:
                    on_improve(best, best_cost)
        if it % 200 == 0 and cur_cost > best_cost:
            cur, cur_cost = best.copy(), best_cost
    return best


def time_budget(deadline: float) -> Callable[[int], bool]:
    """A stop rule: past ``deadline`` (a :func:`time.monotonic` value)."""
    return lambda _it: time.monotonic() >= deadline
