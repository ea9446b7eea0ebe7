"""What the command groups of :mod:`matcher.cli` share: exit codes and printing problems."""

from __future__ import annotations

import sys

from matcher.scenario.problems import ScenarioError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
"""The exit code of a command refused for bad input."""


def print_problems(exc: ScenarioError, heading: str = "") -> int:
    """Print every problem of ``exc`` to stderr in English (file, field path, bad value,
    what is allowed), under ``heading`` (default ``N problem(s):``); returns
    :data:`EXIT_BAD_INPUT`."""
    print(heading or f"{len(exc.problems)} problem(s):", file=sys.stderr)
    for problem in exc.problems:
        print(f"  - {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT
