"""Building blocks of reasons: lists, skills, days, spans and caps as messages.

Each helper returns a :class:`~matcher.messages.Message` (or a plain string for text that
is the same in every language, such as an id or a clock time), so a reason composed of
them renders in English for the CLI and the plan file and in Dutch for the app. The codes
are in the block "reasons" of :mod:`matcher.messages.text_en` and
:mod:`matcher.messages.text_nl`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from matcher.messages import Lang, Message
from matcher.messages.nl import nl_int
from matcher.scenario.domain import format_time

Text = str | Message
"""A part of a reason: a language-neutral string (ids, times) or a message."""

WEEKDAY_CODES: tuple[str, ...] = (  # "full_day_mon" ...: the weekday with the date
    "weekday_mon",
    "weekday_tue",
    "weekday_wed",
    "weekday_thu",
    "weekday_fri",
    "weekday_sat",
    "weekday_sun",
)


def ids(items: Iterable[Text]) -> Text:
    """``a``, ``a and b``, ``a, b and c`` (``en`` in Dutch)."""
    got = list(items)
    if len(got) == 1:
        return got[0]
    if not got:
        return ""
    return Message("and_list", items=got[:-1], last=got[-1])


def and_chain(items: Sequence[Text]) -> Text:
    """``a and b and c``: every pair joined by the word."""
    out = items[0]
    for x in items[1:]:
        out = Message("and_pair", a=out, b=x)
    return out


def semi(items: Sequence[Message]) -> Message:
    """``a; b; c`` (the same in every language)."""
    out = items[0]
    for x in items[1:]:
        out = Message("semi_pair", a=out, b=x)
    return out


def quoted(skill: str) -> str:
    return f"'{skill}'"


def skills(names: Iterable[str]) -> Message:
    """``skill 'a'``, ``skills 'a', 'b'`` or ``no particular skill``."""
    s = sorted(names)
    if not s:
        return Message("skill_none")
    if len(s) == 1:
        return Message("skill_one", skill=quoted(s[0]))
    return Message("skill_many", skills=[quoted(x) for x in s])


def roles(role_list: Sequence[frozenset[str]]) -> Text:
    """``'a' and 'b'+'c'`` (``'any'`` for a role without skills)."""
    return and_chain(["+".join(quoted(s) for s in sorted(r)) or "'any'" for r in role_list])


def visits(n: int | None) -> Message:
    return Message("visits_one" if n == 1 else "visits_many", n=n)


def cap_per_day(n: int | None) -> Message:
    return Message("cap_per_day", visits=visits(n))


def cap_per_week(n: int | None) -> Message:
    return Message("cap_per_week", visits=visits(n))


def hm(minutes: int) -> str:
    return format_time(minutes)


def span_hm(start: int, end: int) -> str:
    return f"{hm(start)}–{hm(end)}"


def weekday(day: dt.date) -> Message:
    return Message(WEEKDAY_CODES[day.weekday()])


def full_day(day: dt.date) -> Message:
    """``Monday 2026-11-23`` (``maandag 23-11-2026``)."""
    return Message("full_day_" + WEEKDAY_CODES[day.weekday()].removeprefix("weekday_"), date=day)


def day_label(day: dt.date, unique_weekdays: bool) -> Message:
    """The weekday alone when weekdays are unique among the planning days, else with the date."""
    return weekday(day) if unique_weekdays else full_day(day)


def subject(pinned: Sequence[str] | None, role: frozenset[str] | None) -> Text:
    """Who a reason is about: the pinned consultants, or those with the (role's) skills."""
    if pinned is not None:
        return ids(pinned)
    if role is None:
        return Message("subject_skills")
    return Message("subject_role", skills=skills(role))


def span(days: Sequence[dt.date]) -> Message:
    """``on Monday 2026-11-23`` or ``between 2026-11-23 and 2026-11-27``."""
    if len(days) == 1:
        return Message("span_on", day=full_day(days[0]))
    return Message("span_between", first=days[0], last=days[-1])


class Number(Message):
    """A number in a message, written per language: ``1045.5`` (English, as ``{:g}``),
    ``1.045,5`` (Dutch: decimal comma, thousands separators). It renders itself, so it
    has no entry in the message tables."""

    def __init__(self, value: float) -> None:
        super().__init__("number", value=value)

    def render(self, lang: Lang = "en") -> str:
        value = self.params["value"]
        text = f"{value:g}" if isinstance(value, float) else str(value)
        if lang != "nl" or "e" in text:
            return text
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, _, frac = digits.partition(".")
        return sign + nl_int(int(whole)) + ("," + frac if frac else "")


class Reason(str):
    """A reason as English text (what the plan file stores) that keeps its :class:`Message`.

    ``Reason(msg) == str(msg)``; :attr:`message` renders it in another language.
    """

    message: Message

    def __new__(cls, message: Message) -> Reason:
        obj = super().__new__(cls, message.render("en"))
        obj.message = message
        return obj

    def __reduce__(self) -> tuple[type[Reason], tuple[Message]]:
        return (Reason, (self.message,))
