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
   :class:`~matcher.messages.Message` (a code of :attr:`Rule.texts` plus parameters) that
   :mod:`matcher.explain.reasons` gives when the rule blocks a request; a rule that
   blocks a request against the plan's other visits (the caps) has a ``blocks`` hook
   giving a :class:`PlanBlock`, which :mod:`matcher.explain.against_plan` asks of every
   rule.

The module declares the English and Dutch texts of every code it gives (its reasons and
the checker's violations of the rule) in ``TEXTS`` (code -> (en, nl)), handed to the
:class:`Rule` as ``texts``; :func:`matcher.messages.rule_texts` collects them into the
message tables on first render. A rule module imports OR-Tools only inside its ``add``
(or for type checking), so that reading its texts stays cheap.

The independent checker (:mod:`matcher.checker`) has its own code, one function per rule,
so that a mistake in a rule module cannot hide itself.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matcher.scenario.domain import Consultant, Request, Scenario, Tour, Youth
from matcher.solver.intervals import Interval

if TYPE_CHECKING:
    from matcher.explain.context import _Ctx as PlanContext
    from matcher.explain.words import Text
    from matcher.messages import Message
    from matcher.solver.cpsat import PlanningModel
    from matcher.solver.instance import Instance
    from matcher.solver.search_state import SearchState


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


class SearchHook:
    """A rule's state in the neighbourhood search (copied with the search state).

    The search tells every hook of each visit it adds or removes (:meth:`count`) and asks
    before an insertion: a tour in :attr:`no_room` takes no more visit (one set lookup,
    e.g. the caps); a hook with :attr:`per_request` set is also asked :meth:`allows` for
    the request and the tour (e.g. "at most two gemeenten per day"). The defaults allow
    everything.
    """

    per_request: bool = False
    """Whether :meth:`allows` must be asked (it costs a call per candidate tour)."""

    def __init__(self) -> None:
        self.no_room: set[int] = set()

    def copy(self) -> SearchHook:
        """An independent copy."""
        raise NotImplementedError

    def count(self, tour: int, request: int, n: int) -> Sequence[int]:
        """``request`` was added to (``n = 1``) or removed from (``n = -1``) ``tour``;
        returns the tours whose membership of :attr:`no_room` may have changed."""
        return ()

    def allows(self, request: int, tour: int) -> bool:
        """Whether ``tour`` may take ``request`` (asked only with :attr:`per_request`)."""
        return True

    def eject(self, st: SearchState, tour: int, q: int, rng: random.Random) -> list[int]:
        """Requests outside ``tour`` to free so that it gets room (may be empty)."""
        return []


@dataclass(frozen=True, slots=True)
class PlanBlock:
    """Why a consultant cannot take one more visit on a day of a plan (a ``blocks`` hook).

    Attributes
    ----------
    kind
        The rule's name for this block (e.g. ``"day"``); the blocks of one kind of one
        consultant make one phrase of the reason.
    requests
        The plan's visits that take the room (their urgency decides the wording).
    phrase
        ``phrase(days, inner)``: the phrase for the consultant, ``days`` the days of its
        blocks of this kind as one text, ``inner`` when it stands inside a list.
    whole_week
        The block holds on every day (given once per consultant, without days).
    """

    kind: str
    requests: tuple[str, ...]
    phrase: Callable[[Text, bool], Message]
    whole_week: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """One hard rule: its name, the message codes it gives and its hooks (see the module).

    Every hook is optional; a rule has those its meaning needs.
    """

    name: str
    texts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """The rule's message codes with their English and Dutch templates (code -> (en, nl)):
    its reasons and its checker violations; :mod:`matcher.messages` collects them."""
    consultant_ok: Callable[[Scenario, Request, Youth, Consultant], bool] | None = None
    day_ok: Callable[[Scenario, Request, Youth, dt.date], bool] | None = None
    cut_starts: Callable[[StartContext, list[Interval]], list[Interval]] | None = None
    add: Callable[[PlanningModel], None] | None = None
    search: Callable[[Instance], SearchHook] | None = None
    blocks: Callable[[PlanContext, Request, str, dt.date], PlanBlock | None] | None = None
    """Against a plan (:mod:`matcher.explain.against_plan`): why consultant ``c`` can take
    no more visit on day ``d`` with the plan's visits, or ``None`` when the rule allows it."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The message codes the rule declares (the keys of :attr:`texts`)."""
        return tuple(self.texts)
