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
still translated by :func:`lines_nl` with regular expressions (not yet messages).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence

from matcher.explain.words import Reason
from matcher.messages import Message, placeholders
from matcher.messages.nl import URGENCY_LABELS, nl_int
from matcher.scenario.domain import Plan, Scenario, Unassigned
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = ["lines_nl", "reason_nl", "reasons_nl", "with_messages"]

_LEARNED: dict[str, Message] = {}
"""English text -> its message, from every reason recomputed by :func:`with_messages`."""
_LEARNED_MAX = 20_000


@functools.cache
def _fixed() -> dict[str, Message]:
    """The reasons without parameters (the solver's, the hand edit's), by English text."""
    from matcher.messages.text_en import TEXT

    start = list(TEXT).index("and_list")
    return {
        text: Message(code) for code, text in list(TEXT.items())[start:] if not placeholders(text)
    }


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


# Visit cost lines -----------------------------------------------------------------------

_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NL_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _frag(text: str) -> str:
    """Dates, weekdays and ``and`` inside one captured part of a line."""
    text = re.sub(
        r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])",
        lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}",
        text,
    )
    for en, nl in zip(_EN_DAYS, _NL_DAYS, strict=True):
        text = re.sub(rf"\b{en}\b", nl, text)
    return text.replace(" and ", " en ")


def _t(template: str) -> Callable[[re.Match[str]], str]:
    """A Dutch template filled with the match's groups: ``name*`` kept, others translated."""

    def fill(m: re.Match[str]) -> str:
        groups = {
            k: (v if k.startswith("name") else _frag(v)) for k, v in m.groupdict(default="").items()
        }
        return template.format(**groups)

    return fill


def _point_nl(name: str) -> str:
    m = re.fullmatch(r"base of (\S+)", name)
    return f"basis van {m.group(1)}" if m else name


def _urgency(m: re.Match[str]) -> str:
    u = m.group("u")
    return (
        f"wachten: {m.group('d')} dagen × urgentie {URGENCY_LABELS.get(u, u)} ({m.group('f')}) "
        f"× {m.group('w')} = {m.group('c')}"
    )


_LINES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"(?P<rid>\S+) \((?P<y>\S+)\) at (?P<name>.+) on (?P<day>\S+ \S+) (?P<span>\S+) "
            r"with (?P<ids>.+)"
        ),
        _t("{rid} ({y}) bij {name} op {day} {span} met {ids}"),
    ),
    (
        re.compile(
            r"travel (?P<c>\S+): (?P<a>\d+) min from (?P<p1>.+), (?P<b>\d+) min to (?P<p2>.+) "
            r"\(share (?P<s>\S+) min\)"
        ),
        lambda m: (
            f"reistijd {m.group('c')}: {m.group('a')} min vanaf {_point_nl(m.group('p1'))}, "
            f"{m.group('b')} min naar {_point_nl(m.group('p2'))} (aandeel {m.group('s')} min)"
        ),
    ),
    (re.compile(r"travel cost: (?P<x>\S+)"), _t("reiskosten: {x}")),
    (
        re.compile(
            r"waiting: (?P<d>\d+) days × urgency (?P<u>\S+) \((?P<f>\d+)\) × (?P<w>\d+) "
            r"= (?P<c>\S+)"
        ),
        _urgency,
    ),
    (
        re.compile(r"continuity: no previous consultant, 0"),
        _t("continuïteit: geen vorige consultant, 0"),
    ),
    (
        re.compile(r"continuity: previous consultant (?P<c>\S+) visits, 0"),
        _t("continuïteit: vorige consultant {c} komt langs, 0"),
    ),
    (
        re.compile(r"continuity: previous consultant (?P<c>\S+) not used, (?P<x>\S+)"),
        _t("continuïteit: vorige consultant {c} niet ingezet, {x}"),
    ),
    (re.compile(r"total: (?P<x>\S+)"), _t("totaal: {x}")),
]


def lines_nl(lines: list[str]) -> list[str]:
    """The lines of :meth:`matcher.explain.reasons.VisitExplanation.lines` in Dutch.

    Parameters
    ----------
    lines
        English explanation lines.

    Returns
    -------
    list[str]
        One Dutch line per line; a line no template matches is kept unchanged.
    """
    out = []
    for line in lines:
        for pattern, render in _LINES:
            m = pattern.fullmatch(line)
            if m is not None:
                out.append(_nl_numbers(render(m)))
                break
        else:
            out.append(line)
    return out


_DECIMAL = re.compile(r"(?<![\w.,:-])(\d+)\.(\d+)(?![\w.,:-])")
_LONG_INT = re.compile(r"(?<![\w.,:-])\d{4,}(?![\w.,:-])")


def _nl_numbers(text: str) -> str:
    """Numbers the Dutch way (``45.5`` -> ``45,5``, ``1234`` -> ``1.234``); dates, times
    and ids (``23-11-2026``, ``09:00``, ``Y-2026-014``) stay as they are."""
    text = _DECIMAL.sub(lambda m: f"{nl_int(int(m.group(1)))},{m.group(2)}", text)
    return _LONG_INT.sub(lambda m: nl_int(int(m.group(0))), text)
