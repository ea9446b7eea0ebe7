"""Validation problems: what is wrong, where, and what is allowed instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_MISSING = object()


def show(value: Any) -> str:
    """Render a bad value for a message: strings quoted, long values shortened."""
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem.

    Attributes
    ----------
    file
        The file the problem is in (or a name such as ``<scenario>``).
    path
        The field path inside the document, e.g. ``requests[3].roles``.
    message
        What is wrong, naming the bad value.
    allowed
        What is allowed instead.
    """

    file: str
    path: str
    message: str
    allowed: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        tail = f"; allowed: {self.allowed}" if self.allowed else ""
        return f"{where}: {self.message}{tail}"


class ScenarioError(ValueError):
    """A scenario could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the scenario:\n{lines}")
