"""Dutch text of the explanations for the planning app.

Reasons (why a request stays open, why pins clash) are messages
(:class:`~matcher.messages.Message`, a code plus parameters, built by the rule modules of
:mod:`matcher.rules`), rendered in Dutch from the message tables: :func:`reason_nl` renders
a :class:`~matcher.explain.words.Reason` (what the solver and the explanations put in a
plan) by its message. A plan read back from the database holds plain English strings;
:func:`with_messages` recomputes its reasons from the scenario (every code's English text is
a function of its message, so a recomputed message whose English equals the stored text is
its translation) and gives them their messages back. A text without a message (an old
plan, a reason of a changed scenario) is shown as it is.

The cost lines of one visit (:meth:`~matcher.explain.reasons.VisitExplanation.lines`) are
messages too (:func:`lines_nl`). Nothing here translates text.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

from matcher.explain.words import Reason
from matcher.messages import Message, placeholders
from matcher.scenario.domain import Plan, Scenario, Unassigned
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = ["lines_nl", "reason_nl", "reasons_nl", "with_messages"]

_LEARNED: dict[str, Message] = {}
"""English text -> its message, from every reason recomputed by :func:`with_messages`."""
_LEARNED_MAX = 20_000


@functools.cache
def _fixed() -> dict[str, Message]:
    """Every message without parameters (the solver's reasons, the hand edit's, the rules'
    such as ``no_free_time``), by its English text."""
    from matcher.messages import table

    return {text: Message(code) for code, text in table("en").items() if not placeholders(text)}


def message_of(text: str) -> Message | None:
    """The message of a reason text, if known (a :class:`Reason`, fixed or recomputed)."""
    if isinstance(text, Reason):
        return text.message
    return _LEARNED.get(text) or _fixed().get(text)


def reason_nl(text: str) -> str:
    """One reason in Dutch: by its message, else ``text`` unchanged."""
    msg = message_of(text)
    return msg.render("nl") if msg is not None else text


def reasons_nl(reasons: Sequence[str]) -> list[str]:
    """:func:`reason_nl` of every reason."""
    return [reason_nl(r) for r in reasons]


def with_messages(scenario: Scenario, plan: Plan, travel: TravelMatrix | None = None) -> Plan:
    """``plan`` with every reason that can be recomputed as a :class:`Reason`.

    Reasons that already are, or whose text is known, cost nothing; the others are
    recomputed once per text from ``scenario`` and the plan's visits (ids of requests no
    longer in the scenario are skipped).
    """
    todo = [
        u.request
        for u in plan.unassigned
        if any(message_of(r) is None for r in u.reasons)
        and any(q.id == u.request for q in scenario.requests)
    ]
    if todo:
        from matcher.explain.reasons import unassigned_messages

        tm = travel if travel is not None else build_travel_matrix(scenario)
        try:
            got = unassigned_messages(scenario, plan.visits, tm, todo)
        except Exception:  # a reason of another scenario: keep the stored text
            got = {}
        if len(_LEARNED) > _LEARNED_MAX:
            _LEARNED.clear()
        for msgs in got.values():
            for m in msgs:
                _LEARNED[m.render("en")] = m

    def wrap(text: str) -> str:
        msg = message_of(text)
        return Reason(msg) if msg is not None and not isinstance(text, Reason) else text

    unassigned = tuple(
        Unassigned(u.request, tuple(wrap(r) for r in u.reasons)) for u in plan.unassigned
    )
    return dataclasses.replace(plan, unassigned=unassigned)


def lines_nl(lines: Sequence[str]) -> list[str]:
    """The lines of :meth:`matcher.explain.reasons.VisitExplanation.lines` in Dutch (each
    by its message; a line without one is kept as it is)."""
    return [reason_nl(line) for line in lines]
