"""Costs of the stored planning rounds, per gemeente and period (week, month, quarter, year).

Which plan of a round is priced: the plan last marked as **sent** (exported as invites, see
:func:`matcher.storage.round_state.mark_exported`), because that is what the staff were asked to do;
when none is marked (or that plan is gone), the round's newest saved plan. A round without a
plan adds nothing.

Which rounds: one round (by name or id), or every round whose planning days meet a date
range (then only the visits dated inside the range count), or every stored round. Rounds
that plan the same day are both counted, and the report warns about it.

Every visit is priced with its whole plan (a tour's km cost is shared over all the tour's
visits, see :mod:`matcher.policy.costs`), and only then filtered to the range and the gemeente.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.policy.costs import (
    CostError,
    CostTotals,
    MissingRate,
    Period,
    PlanCosts,
    VisitCost,
    costs_by_gemeente,
    costs_by_period,
    plan_costs,
    same_gemeente,
)
from matcher.scenario.domain import Plan, Scenario

__all__ = [
    "CostReport",
    "RoundCosts",
    "RoundNotFound",
    "build_report",
    "chosen_plan",
    "cost_report",
    "price_round",
    "select_rounds",
    "sent_plan_id",
]


class RoundNotFound(LookupError):
    """No stored round has the name or id asked for."""


def sent_plan_id(engine: Engine, round_id: int) -> int | None:
    """The id of the plan marked as sent for the round, if the app marked one."""
    from matcher.storage.round_state import ROUND_STATE

    if not inspect(engine).has_table(ROUND_STATE.name):
        return None
    with engine.connect() as conn:
        value = conn.execute(
            select(ROUND_STATE.c.exported_plan_id).where(ROUND_STATE.c.round_id == round_id)
        ).scalar()
    return None if value is None else int(value)


def chosen_plan(engine: Engine, round_id: int) -> tuple[int, bool] | None:
    """``(plan id, sent)``: the sent plan if marked and still stored, else the newest."""
    plans = storage.list_plans(engine, round_id)
    if not plans:
        return None
    sent = sent_plan_id(engine, round_id)
    if sent is not None and any(p.id == sent for p in plans):
        return sent, True
    return plans[0].id, False


@dataclass(frozen=True)
class RoundCosts:
    """One round's priced plan (or why it could not be priced)."""

    round: storage.RoundInfo
    plan_id: int | None
    sent: bool
    """The priced plan is the one marked as sent (else the newest)."""
    costs: PlanCosts | None
    provider_names: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    days: frozenset[dt.date] = frozenset()
    """The round's planning days."""
    rates: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    """Provider id -> ``(hourly_rate, km_rate)`` as stored in the round."""
    gemeenten: frozenset[str] = frozenset()
    """The responsible gemeenten of the round's youths."""


def price_round(
    info: storage.RoundInfo,
    scenario: Scenario,
    plan: Plan | None,
    plan_id: int | None,
    sent: bool = False,
) -> RoundCosts:
    """Price one round's plan; a plan that no longer fits the data gives ``error``."""
    names = {p.id: p.name for p in scenario.providers}
    days = frozenset(scenario.days)
    rates = {p.id: (p.hourly_rate, p.km_rate) for p in scenario.providers}
    gemeenten = frozenset(y.gemeente for y in scenario.youths)
    if plan is None:
        return RoundCosts(info, None, False, None, names, None, days, rates, gemeenten)
    try:
        costs = plan_costs(scenario, plan)
    except CostError as exc:
        error = "; ".join(exc.problems)
        return RoundCosts(info, plan_id, sent, None, names, error, days, rates, gemeenten)
    return RoundCosts(info, plan_id, sent, costs, names, None, days, rates, gemeenten)


def _price_stored(engine: Engine, info: storage.RoundInfo) -> RoundCosts:
    chosen = chosen_plan(engine, info.id)
    scenario = storage.export_scenario(engine, info.id)
    if chosen is None:
        return price_round(info, scenario, None, None)
    plan_id, sent = chosen
    return price_round(info, scenario, storage.load_plan(engine, plan_id), plan_id, sent)


def select_rounds(
    rounds: Sequence[storage.RoundInfo],
    round_name_or_id: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[storage.RoundInfo]:
    """The rounds a report covers, oldest planning days first.

    Raises
    ------
    RoundNotFound
        ``round_name_or_id`` names no round (a name wins over an id).
    ValueError
        ``start`` is after ``end``.
    """
    if start is not None and end is not None and start > end:
        raise ValueError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    if round_name_or_id is not None:
        wanted = str(round_name_or_id)
        found = next((r for r in rounds if r.name == wanted), None)
        if found is None and wanted.isdigit():
            found = next((r for r in rounds if r.id == int(wanted)), None)
        if found is None:
            raise RoundNotFound(f"no planning round named or numbered {wanted!r}")
        return [found]
    out = []
    for r in rounds:
        if r.first_day is None or r.last_day is None:
            continue
        if start is not None and r.last_day < start:
            continue
        if end is not None and r.first_day > end:
            continue
        out.append(r)
    return sorted(out, key=lambda r: (r.first_day or dt.date.min, r.id))


@dataclass(frozen=True)
class CostReport:
    """Costs of the visits of some rounds, optionally only in a date range and one gemeente.

    ``visits`` holds only the selected visits; ``total_cents`` is their sum, and
    :meth:`by_gemeente` and :meth:`by_period` add up to it exactly.
    """

    rounds: tuple[RoundCosts, ...]
    visits: tuple[VisitCost, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    gemeente: str | None = None
    provider_names: dict[str, str] = field(default_factory=dict)
    missing_rates: tuple[MissingRate, ...] = ()
    """Providers without a rate (in any covered round), counted as 0."""
    warnings: tuple[str, ...] = ()
    """For the ketenregisseur: overlapping rounds, visits outside windows, unpriced plans."""

    @property
    def total_cents(self) -> int:
        return sum(v.total_cents for v in self.visits)

    def by_gemeente(self) -> dict[str, CostTotals]:
        return costs_by_gemeente(self.visits)

    def by_period(self, by: Period) -> dict[tuple[str, str], CostTotals]:
        return costs_by_period(self.visits, by)

    def provider_name(self, provider_id: str) -> str:
        return self.provider_names.get(provider_id, provider_id)

    @property
    def gemeenten(self) -> list[str]:
        """Every responsible gemeente of the covered rounds' youths (before the filter)."""
        return sorted({g for r in self.rounds for g in r.gemeenten})

    @property
    def unpriced(self) -> list[RoundCosts]:
        """Rounds whose plan could not be priced (the totals miss them)."""
        return [r for r in self.rounds if r.error is not None]


def _overlaps(priced: Sequence[RoundCosts]) -> list[str]:
    out = []
    for i, a in enumerate(priced):
        for b in priced[i + 1 :]:
            shared = a.days & b.days
            if shared and a.costs is not None and b.costs is not None:
                out.append(
                    f"rounds {a.round.name!r} and {b.round.name!r} both plan "
                    f"{min(shared).isoformat()}"
                    f"{' and more days' if len(shared) > 1 else ''}: both are counted"
                )
    return out


def build_report(
    priced: Sequence[RoundCosts],
    start: dt.date | None = None,
    end: dt.date | None = None,
    gemeente: str | None = None,
) -> CostReport:
    """Combine priced rounds into a report, keeping the visits in range and of ``gemeente``."""
    visits: list[VisitCost] = []
    names: dict[str, str] = {}
    missing: dict[str, MissingRate] = {}
    warnings = _overlaps(priced)
    for rc in priced:
        names.update(rc.provider_names)
        if rc.error is not None:
            warnings.append(f"round {rc.round.name!r}, plan {rc.plan_id}: not priced: {rc.error}")
        if rc.costs is None:
            continue
        warnings.extend(f"round {rc.round.name!r}: {w}" for w in rc.costs.warnings)
        for m in rc.costs.missing_rates:
            old = missing.get(m.provider)
            if old is None:
                missing[m.provider] = m
            else:
                missing[m.provider] = MissingRate(
                    m.provider, m.name, old.hourly_rate or m.hourly_rate, old.km_rate or m.km_rate
                )
        for v in rc.costs.visits:
            if start is not None and v.date < start:
                continue
            if end is not None and v.date > end:
                continue
            if gemeente is not None and not same_gemeente(v.gemeente, gemeente):
                continue
            visits.append(v)
    visits.sort(key=lambda v: (v.date, v.start, v.request))
    return CostReport(
        tuple(priced),
        tuple(visits),
        start,
        end,
        gemeente,
        names,
        tuple(sorted(missing.values(), key=lambda m: m.provider)),
        tuple(warnings),
    )


def cost_report(
    engine: Engine,
    *,
    round_name_or_id: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    gemeente: str | None = None,
) -> CostReport:
    """The costs of the stored rounds (see the module notes for which rounds and plans).

    Raises
    ------
    RoundNotFound
        ``round_name_or_id`` names no round.
    ValueError
        ``start`` is after ``end``.
    """
    rounds = select_rounds(storage.list_rounds(engine), round_name_or_id, start, end)
    priced = [_price_stored(engine, info) for info in rounds]
    return build_report(priced, start, end, gemeente)
