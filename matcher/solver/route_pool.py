"""The routes a neighbourhood search goes through: columns for the integer route master.

Set-partitioning hybrids (ILS-SP, HGS with a route pool) keep the routes of the solutions
their local search visits and now and then solve a set-partitioning model over that pool:
it combines good tours of different solutions into a plan better than any of them. Here
the pool is every route of every state :func:`~matcher.solver.search.alns` accepts as its
current one (``on_accept``); the route bound (:mod:`matcher.solver.route_bound`) takes
them as columns, and its integer master (:mod:`matcher.solver.route_master`) chooses
among them with those the pricing found.
"""

from __future__ import annotations

from matcher.solver.search_state import SearchState

__all__ = ["RoutePool"]

Route = tuple[int, tuple[int, ...]]
"""``(tour, request indices in visiting order)``."""


class RoutePool:
    """The distinct non-empty routes of the states shown to :meth:`add`, new ones kept
    until :meth:`take`.

    A state shares the route lists of the state it was copied from
    (:meth:`SearchState.copy`), so only the tours whose list is not that of the last state
    shown are looked at.
    """

    def __init__(self) -> None:
        self.seen: set[Route] = set()
        self._new: list[Route] = []
        self._last: list[list[int]] = []

    def add(self, st: SearchState) -> None:
        """Keep the routes of ``st`` not seen before."""
        last = self._last
        for t, seq in enumerate(st.seq):
            if seq and (t >= len(last) or seq is not last[t]):
                key = (t, tuple(seq))
                if key not in self.seen:
                    self.seen.add(key)
                    self._new.append(key)
        self._last = list(st.seq)

    def take(self) -> list[Route]:
        """The routes kept since the last call."""
        out, self._new = self._new, []
        return out
