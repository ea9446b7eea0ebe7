"""The hard rules of ``FORMAT.md``, one module each (see :mod:`matcher.rules.base`).

:data:`HARD_RULES` is the registry: the instance calls the pruning hooks of every rule,
the CP-SAT builder the ``add`` of every rule in this order, the search state makes the
``search`` hook of every rule that has one, the explanations ask every ``blocks`` hook
against a plan, and :func:`matcher.messages.rule_texts` collects every rule's ``texts``.
Adding a rule is writing its module and listing it here (README, "Adding a rule").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from matcher.rules import (
    caps,
    dates,
    exclusions,
    joint,
    opening_hours,
    pins,
    published,
    routes,
    skills,
    time_of_day,
    windows,
)
from matcher.rules.base import PlanBlock, Rule, SearchHook, StartContext
from matcher.scenario.domain import Consultant, Request, Scenario, Youth
from matcher.solver.intervals import Interval

if TYPE_CHECKING:
    from matcher.explain.context import _Ctx as PlanContext

__all__ = ["HARD_RULES", "PlanBlock", "Rule", "SearchHook", "StartContext"]

HARD_RULES: tuple[Rule, ...] = (
    skills.RULE,
    exclusions.RULE,
    dates.RULE,
    joint.RULE,
    windows.RULE,
    time_of_day.RULE,
    opening_hours.RULE,
    pins.RULE,
    routes.RULE,
    caps.RULE,
    published.RULE,
)
"""Every hard rule, in the order the CP-SAT model adds them (the order is part of the
model: CP-SAT with one worker is deterministic for one model, not for a reordered one)."""


@cache
def consultant_checks() -> tuple[Callable[[Scenario, Request, Youth, Consultant], bool], ...]:
    """The ``consultant_ok`` hooks of :data:`HARD_RULES`."""
    return tuple(r.consultant_ok for r in HARD_RULES if r.consultant_ok is not None)


@cache
def day_checks() -> tuple[Callable[[Scenario, Request, Youth, dt.date], bool], ...]:
    """The ``day_ok`` hooks of :data:`HARD_RULES`."""
    return tuple(r.day_ok for r in HARD_RULES if r.day_ok is not None)


@cache
def start_cuts() -> tuple[Callable[[StartContext, list[Interval]], list[Interval]], ...]:
    """The ``cut_starts`` hooks of :data:`HARD_RULES`, in order."""
    return tuple(r.cut_starts for r in HARD_RULES if r.cut_starts is not None)


@cache
def plan_blocks() -> tuple[Callable[[PlanContext, Request, str, dt.date], PlanBlock | None], ...]:
    """The ``blocks`` hooks of :data:`HARD_RULES`, in order."""
    return tuple(r.blocks for r in HARD_RULES if r.blocks is not None)
