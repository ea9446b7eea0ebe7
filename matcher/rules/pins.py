"""Pins: a pinned request is planned with exactly its pinned consultants, and on the
pinned date and start where given.

- Pruning: only the pinned consultants (``consultant_ok``), the pinned date (``day_ok``),
  the pinned start (``cut_starts``).
- CP-SAT: :func:`add` forces the request to be planned by every pinned consultant (as
  solver assumptions when :attr:`~matcher.solver.cpsat.PlanningModel.pin_assumptions` is
  set, to find clashing pins).
- Search: pinned requests are inserted first and never removed (in
  :mod:`matcher.solver.search`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from matcher.rules.base import Rule, StartContext
from matcher.scenario.domain import Consultant, Request, Scenario, Youth
from matcher.solver.intervals import Interval, cut

if TYPE_CHECKING:
    from matcher.solver.cpsat import PlanningModel


def consultant_ok(scenario: Scenario, request: Request, youth: Youth, c: Consultant) -> bool:
    """Only a pinned consultant may serve a pinned request."""
    pin = request.pinned
    return pin is None or c.id in pin.consultants


def day_ok(scenario: Scenario, request: Request, youth: Youth, day: dt.date) -> bool:
    """Only the pinned date, when the pin has one."""
    pin = request.pinned
    return pin is None or pin.date is None or day == pin.date


def cut_starts(ctx: StartContext, iv: list[Interval]) -> list[Interval]:
    """Only the pinned start, when the pin has one."""
    pin = ctx.request.pinned
    if pin is None or pin.start is None:
        return iv
    return cut(iv, [(pin.start, pin.start)])


def add(pm: PlanningModel) -> None:
    """A pinned request is planned with exactly its pinned consultants.

    Options were already cut to the pinned consultants, date and start; here the request
    is forced to be planned and every pinned consultant to serve it.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        pin = r.request.pinned
        if pin is None:
            continue
        if pm.pin_assumptions:
            lit = m.new_bool_var(f"pin[{r.request.id}]")
            pm.pin_literals[ri] = lit
            m.add(pm.present[ri] == 1).only_enforce_if(lit)
        else:
            m.add(pm.present[ri] == 1)
        by_c = pm.serve_by_consultant(r)
        unknown = len(r.pinned) != len(pin.consultants) or len(set(pin.consultants)) != r.n_roles
        for c in set(r.pinned):
            lits = by_c.get(c, [])
            if not lits:
                unknown = True
            elif pm.pin_assumptions:
                m.add(sum(lits) == 1).only_enforce_if(pm.pin_literals[ri])
            else:
                m.add(sum(lits) == 1)
        if unknown:
            if pm.pin_assumptions:
                m.add_bool_or([pm.pin_literals[ri].Not()])
            else:
                m.add(pm.present[ri] == 0)


RULE = Rule("pins", consultant_ok=consultant_ok, day_ok=day_ok, cut_starts=cut_starts, add=add)
