"""The gemeente's cost report of consultant hours, from the case data of one principal.

Part of the app's only way in to case data (:mod:`matcher.app.access` re-exports
:func:`cost_report`): a gemeente sees only the youths it pays for, and no addresses,
locations or staff names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.security.principal import GEMEENTE, KETENREGISSEUR, Principal

__all__ = ["COST_COLUMNS", "cost_report"]

COST_COLUMNS = (
    "Datum",
    "Week",
    "Casuscode",
    "Gemeente",
    "Organisatie",
    "Consultants",
    "Duur (min)",
    "Uren",
    "Kosten (EUR)",
)


def _rate(provider: Any) -> float | None:
    value = getattr(provider, "hourly_rate", None)
    return float(value) if isinstance(value, int | float) else None


def cost_report(
    engine: Engine, round_id: int, principal: Principal, plan_id: int | None = None
) -> pd.DataFrame:
    """Consultant hours per visit of the youths a gemeente pays for (the ketenregisseur:
    of every gemeente), from the newest plan (or ``plan_id``).

    One row per visit and organisation: date, ISO week, case code, paying gemeente,
    organisation, number of its consultants, visit minutes, consultant hours and, when the
    provider has an ``hourly_rate``, the cost. No addresses, no locations, no staff names.
    """
    principal.require(GEMEENTE, KETENREGISSEUR)
    scenario = storage.export_scenario(engine, round_id)
    if plan_id is None:
        plans = storage.list_plans(engine, round_id)
        plan_id = plans[0].id if plans else None
    rows: list[dict[str, object]] = []
    if plan_id is not None:
        plan = storage.load_plan(engine, plan_id)
        providers: Mapping[str, Any] = {p.id: p for p in scenario.providers}
        owner = {c.id: c.provider for c in scenario.consultants}
        wanted = (principal.gemeente or "").strip().casefold()
        for v in sorted(plan.visits, key=lambda v: (v.date, v.start, v.request)):
            try:
                youth = scenario.youth(scenario.request(v.request).youth)
            except KeyError:
                continue
            if principal.role == GEMEENTE and youth.gemeente.strip().casefold() != wanted:
                continue
            per_org: dict[str, int] = {}
            for cid in v.consultants:
                org = owner.get(cid, "")
                per_org[org] = per_org.get(org, 0) + 1
            year, week, _ = v.date.isocalendar()
            for org, n in per_org.items():
                provider = providers.get(org)
                hours = n * (v.end - v.start) / 60
                rate = _rate(provider)
                rows.append(
                    {
                        "Datum": v.date,
                        "Week": f"{year}-W{week:02d}",
                        "Casuscode": youth.id,
                        "Gemeente": youth.gemeente,
                        "Organisatie": provider.name if provider is not None else org,
                        "Consultants": n,
                        "Duur (min)": v.end - v.start,
                        "Uren": round(hours, 2),
                        "Kosten (EUR)": round(hours * rate, 2) if rate is not None else None,
                    }
                )
    return pd.DataFrame(rows, columns=list(COST_COLUMNS))
