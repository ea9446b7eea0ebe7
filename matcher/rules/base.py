"""What a rule module provides: the hooks of :class:`Rule`.

A hard rule of ``FORMAT.md`` acts in up to four places, and its module holds all four:

1. **Candidate pruning** (:func:`matcher.solver.instance.prepare`): ``consultant_ok`` drops a
   consultant for a request, ``day_ok`` a planning day, ``cut_starts`` narrows the start
   minutes of a request in one tour. A rule that depends only on one request and one tour
   is fully enforced here: neither the CP-SAT model nor the search ever sees an option
   that breaks it.
2. **The CP-SAT model** (:func:`matcher.solver.cpsat.build_model`): ``add(pm)`` adds the
   rule's constraints; the builder calls it for every rule of
   :data:`matcher.rules.HARD_RULES` in order (the order is part of the model: keep it).
3. **The neighbourhood search** (:class:`matcher.solver.search.SearchState`): ``search(inst)``
   makes a :class:`SearchHook`, the rule's own counters with ``no_room`` (the tours that
   may take no more visit) and ``eject`` (which visits to free so that one may).
4. **Reasons**: the module's ``reason_*`` functions return a
   :class:`~matcher.messages.Message` (a code of :attr:`Rule.codes` plus parameters) that
   :mod:`matcher.explain.reasons` gives when the rule blocks a request.

The independent checker (:mod:`matcher.checker`) has its own code, one function per rule,
so that a mistake in a rule module cannot hide itself.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from matcher.scenario.domain import Consultant, Request, Scenario, Tour, Youth
from matcher.solver.intervals import Interval

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel
    from matcher.solver.instance import Instance
    from matcher.solver.search import SearchState


@dataclass(frozen=True, slots=True)
class StartContext:
    """What a ``cut_starts`` hook may look at: one request in one tour.

    Attributes
    ----------
    scenario, request, tour
        The request (with a pin forced by a published visit that began, see
        :mod:`matcher.rules.published`) and the consultant's tour.
    to_loc, from_loc
        Travel minutes from the consultant's base to the location and back.
    forced
        The request is pinned to a published visit that started before ``now``.
    """

    scenario: Scenario
    request: Request
    tour: Tour
    to_loc: int
    from_loc: int
    forced: bool


class SearchHook(Protocol):
    """A rule's state in the neighbourhood search (copied with the search state).

    ``no_room`` is the set of tours that may take no more visit under the rule; the search
    keeps the union over the rules and checks it with one set lookup per candidate.
    """

    no_room: set[int]

    def copy(self) -> SearchHook:
        """An independent copy."""
        ...

    def count(self, tour: int, n: int) -> Sequence[int]:
        """A visit was added to (``n = 1``) or removed from (``n = -1``) ``tour``; returns
        the tours whose membership of ``no_room`` may have changed."""
        ...

    def eject(self, st: SearchState, tour: int, q: int, rng: random.Random) -> list[int]:
        """Requests outside ``tour`` to free so that it gets room (may be empty)."""
        ...


@dataclass(frozen=True, slots=True)
class Rule:
    """One hard rule: its name, the message codes it gives and its hooks (see the module).

    Every hook is optional; a rule has those its meaning needs.
    """

    name: str
    codes: tuple[str, ...] = ()
    consultant_ok: Callable[[Scenario, Request, Youth, Consultant], bool] | None = None
    day_ok: Callable[[Scenario, Request, Youth, dt.date], bool] | None = None
    cut_starts: Callable[[StartContext, list[Interval]], list[Interval]] | None = None
    add: Callable[[PlanningModel], None] | None = None
    search: Callable[[Instance], SearchHook] | None = None
