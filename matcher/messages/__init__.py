"""Messages for people: a code plus parameters, rendered from an English or a Dutch table.

Reasons (why a request stays open, why a pin clashes, why a hand move is refused),
validation problems and solver states are :class:`Message` objects, never free sentences.
The CLI and the plan file render them in English, the app in Dutch; nothing is translated
afterwards. A new message is one entry in :data:`~matcher.messages.text_en.TEXT` and one
in :data:`~matcher.messages.text_nl.TEXT`, with the same ``{placeholders}``; a hard rule
declares its own codes in its module instead (``TEXTS``, code -> (en, nl), see
:mod:`matcher.rules.base`), and :func:`table` joins both::

    msg = Message("consultant_unavailable", consultant="C-XON-06", date=day, window=(600, 690))
    msg.render("en")  # 'C-XON-06 is not available on 2026-12-02 10:00-11:30'
    msg.render("nl")  # 'C-XON-06 is niet beschikbaar op 02-12-2026 10:00-11:30'

Parameters are formatted per language by their type: a ``datetime.date`` as ISO
(``2026-12-02``) or Dutch (``02-12-2026``), a ``(start, end)`` pair of minutes as
``10:00-11:30``, a :class:`Message` by rendering it, a list or tuple joined with ", "
(each item formatted the same way), a float with a decimal point or comma. Other values
are shown with ``str``.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

__all__ = [
    "LANGUAGES",
    "Joined",
    "Lang",
    "Message",
    "placeholders",
    "render",
    "rule_texts",
    "table",
]

Lang = Literal["en", "nl"]
LANGUAGES: tuple[Lang, ...] = ("en", "nl")


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """A message code with its parameters; rendered with :meth:`render`.

    Parameters
    ----------
    code
        A key of the message tables (:func:`table`).
    **params
        The values of the code's ``{placeholders}``.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, code: str, /, **params: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", dict(params))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def render(self, lang: Lang = "en") -> str:
        """The message in ``lang``; raises ``KeyError`` for an unknown code."""
        return render(self, lang)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True, slots=True)
class Joined:
    """A parameter value: ``items`` (each formatted per language) joined with ``sep``.

    For a list whose items hold commas themselves, e.g. ``C-1: emdr, vrouw; C-2: lvb``.
    """

    items: tuple[Any, ...]
    sep: str = "; "


@cache
def rule_texts() -> Mapping[str, tuple[str, str]]:
    """The codes every hard rule declares (``TEXTS`` of its module): code -> (en, nl).

    :mod:`matcher.rules` is imported here, on first use, not when this package is
    imported (the rules reach the solver's types).

    Raises
    ------
    ValueError
        A code declared by two rules, or by a rule and this package's own tables.
    """
    from matcher.messages.text_en import TEXT as EN
    from matcher.rules import HARD_RULES

    out: dict[str, tuple[str, str]] = {}
    owner: dict[str, str] = {}
    for rule in HARD_RULES:
        for code, texts in rule.texts.items():
            if code in EN or code in out:
                where = f"rule {owner[code]}" if code in owner else "matcher/messages/text_en.py"
                raise ValueError(f"message code {code!r} of rule {rule.name} is also in {where}")
            out[code], owner[code] = texts, rule.name
    return out


@cache
def table(lang: Lang) -> Mapping[str, str]:
    """Every template of ``lang``: this package's table plus the rules' texts."""
    from matcher.messages import text_en, text_nl

    own = text_nl.TEXT if lang == "nl" else text_en.TEXT
    i = LANGUAGES.index(lang)
    return {**own, **{code: texts[i] for code, texts in rule_texts().items()}}


def _table(lang: Lang) -> Mapping[str, str]:
    return table(lang)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_value(value: Any, lang: Lang) -> str:
    """One parameter value as text in ``lang`` (see the module docstring)."""
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, Joined):
        return value.sep.join(format_value(v, lang) for v in value.items)
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if lang == "nl" else value.isoformat()
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return f"{_hhmm(value[0])}-{_hhmm(value[1])}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(format_value(v, lang) for v in items)
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "nl" else text
    return str(value)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(msg: Message, lang: Lang = "en") -> str:
    """``msg`` in ``lang``, its parameters formatted per language.

    Raises
    ------
    KeyError
        The code is not in the table of ``lang``, or a placeholder has no parameter.
    """
    template = _table(lang)[msg.code]
    values = {k: format_value(v, lang) for k, v in msg.params.items()}
    return template.format_map(values)
