"""What the command groups of :mod:`matcher.cli` share: exit codes and printing problems."""

from __future__ import annotations

import sys

from matcher.scenario.problems import ScenarioError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def print_problems(exc: ScenarioError) -> None:
    print(f"{len(exc.problems)} problem(s):", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
