"""Validation problems: what is wrong, where, and what is allowed instead.

Messages are safe to print, log or show: a control character (CR, LF, ESC, ...) or an
invisible formatting character from a scenario file is shown escaped (``\\r``, ``\\x1b``,
``\\u202e``), so a name can never forge a log or terminal line; bad values are shortened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher.messages import Lang, Message

MAX_SHOWN = 80
"""Longest rendering of a bad value in a message (longer ones end in ``...``)."""


def escape(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\n``, ``\\x1b``, ``\\u202e``)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~$])")  # what makes emphasis, links, code, math


def markdown_safe(text: str) -> str:
    """``text`` escaped for a Markdown box (``st.error``): shown as written, never as a link,
    emphasis or HTML, and with control characters escaped as in :func:`escape`."""
    return _MARKDOWN.sub(r"\\\1", escape(text))


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _render(value: Any, budget: int) -> str:
    """A repr of ``value`` that stops after about ``budget`` characters.

    Containers are walked only as far as the budget reaches, so a huge or deeply nested
    value (a YAML alias bomb, 100 000 nested lists) costs no more than a small one.
    """
    if budget <= 0:
        return "..."
    if isinstance(value, str):
        return '"' + escape(value[: budget + 1]) + '"'
    if isinstance(value, dict):
        opening, closing, items = "{", "}", value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        items = value  # type: ignore[assignment]
    else:
        try:
            return escape(repr(value)[: budget + 1])
        except ValueError:  # an int too long to convert to text
            return "a very long number"
    parts: list[str] = []
    used = 1
    for item in items:
        if used > budget:
            parts.append("...")
            break
        if isinstance(value, dict):
            key, val = item
            text = _render(key, budget - used) + ": " + _render(val, budget - used)
        else:
            text = _render(item, budget - used)
        parts.append(text)
        used += len(text) + 2
    return opening + ", ".join(parts) + closing


def show(value: Any) -> str:
    """Render a bad value for a message: strings quoted, escaped and long values shortened."""
    return _shorten(_render(value, MAX_SHOWN))


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: a message code with parameters, where it is, what is allowed.

    Rendered in English by ``str()`` (the CLI, logs) and in Dutch by ``text("nl")`` (the
    app), both from the message tables (:mod:`matcher.messages`).

    Attributes
    ----------
    file
        The file the problem is in (or a name such as ``<scenario>``).
    path
        The field path inside the document, e.g. ``requests[3].roles``.
    message
        What is wrong, naming the bad value (never the value of an address field).
    allowed
        What is allowed instead.
    """

    file: str
    path: str
    message: Message
    allowed: Message | None = None

    @property
    def code(self) -> str:
        """The code of what is wrong (a key of the message tables)."""
        return self.message.code

    @property
    def params(self) -> Mapping[str, Any]:
        """The parameters of :attr:`code`."""
        return self.message.params

    def what(self, lang: Lang = "en") -> str:
        """What is wrong, in ``lang`` (control characters escaped)."""
        return escape(self.message.render(lang))

    def hint(self, lang: Lang = "en") -> str:
        """What is allowed instead, in ``lang`` (empty when nothing is said)."""
        return escape(self.allowed.render(lang)) if self.allowed is not None else ""

    def text(self, lang: Lang = "en", *, file: bool = True) -> str:
        """The whole problem in ``lang``: file (unless ``file=False``), path, what, allowed."""
        parts = [self.file] if file else []
        if self.path:
            parts.append(self.path)
        where = ": ".join(parts)
        what = self.message.render(lang)
        if self.allowed is None:
            line = Message("problem_line", where=where, what=what) if where else self.message
        else:
            code = "problem_line_allowed" if where else "problem_allowed"
            line = Message(code, where=where, what=what, allowed=self.allowed)
        return escape(line.render(lang))

    def __str__(self) -> str:
        return self.text("en")


class ScenarioError(ValueError):
    """A scenario could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the scenario:\n{lines}")
