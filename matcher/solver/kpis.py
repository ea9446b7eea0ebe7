"""Key figures of a planning week: planned visits, waiting requests, travel and utilisation.

All figures are recomputed from the scenario and the plan's visits (never taken from the
solver), so they also hold for a plan edited by hand.

Utilisation of a consultant is the share of the availability that the plan fills:
``(visit minutes + travel minutes) / available minutes``, where available minutes are the
consultant's tour windows on the planning days (availability minus unavailability).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from matcher.explain.plan_views import tour_runs
from matcher.messages.nl import urgency_label
from matcher.scenario.domain import Plan, Scenario, tours_of
from matcher.travel import TravelMatrix

__all__ = ["ConsultantLoad", "WeekKpis", "utilisation_frame", "week_kpis"]


@dataclass(frozen=True, slots=True)
class ConsultantLoad:
    """How full one consultant's week is."""

    consultant: str
    provider: str
    visits: int
    max_visits_per_week: int | None
    available_minutes: int
    visit_minutes: int
    travel_minutes: int

    @property
    def busy_minutes(self) -> int:
        return self.visit_minutes + self.travel_minutes

    @property
    def utilisation(self) -> float:
        """``busy / available`` (0 when the consultant is not available at all)."""
        if self.available_minutes <= 0:
            return 0.0
        return self.busy_minutes / self.available_minutes


@dataclass(frozen=True)
class WeekKpis:
    """The figures of the overview page.

    Attributes
    ----------
    requests
        Requests in scope (all, or those a provider's visits serve).
    visits
        Planned visits.
    waiting
        Requests not planned this week, per urgency key, most urgent first.
    travel_minutes
        Minutes driven, summed over consultants and tours.
    mean_waiting_days, max_waiting_days
        Days between signalling and the visit, over the planned visits.
    loads
        Per consultant in scope.
    """

    requests: int
    visits: int
    waiting: dict[str, int]
    travel_minutes: int
    mean_waiting_days: float
    max_waiting_days: int
    loads: tuple[ConsultantLoad, ...] = field(default_factory=tuple)

    @property
    def travel_hours(self) -> float:
        return self.travel_minutes / 60.0

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting.values())

    @property
    def utilisation(self) -> float:
        """Busy minutes over available minutes of all consultants in scope."""
        available = sum(x.available_minutes for x in self.loads)
        if available <= 0:
            return 0.0
        return sum(x.busy_minutes for x in self.loads) / available


def week_kpis(
    scenario: Scenario,
    plan: Plan | None,
    travel: TravelMatrix,
    consultants: Collection[str] | None = None,
) -> WeekKpis:
    """Compute the week's figures.

    Parameters
    ----------
    plan
        The current plan; ``None`` counts every request as waiting.
    consultants
        Restrict visits, travel and loads to these consultants (a provider's view); all
        consultants when ``None``. Waiting requests are counted only for the full view.
    """
    scope = set(consultants) if consultants is not None else {c.id for c in scenario.consultants}
    full = consultants is None
    known_requests = {r.id for r in scenario.requests}
    visits = [] if plan is None else [v for v in plan.visits if v.request in known_requests]
    if not full:
        visits = [v for v in visits if scope.intersection(v.consultants)]
    planned = {v.request for v in visits}
    waiting: Counter[str] = Counter()
    if full:
        for r in scenario.requests:
            if r.id not in planned:
                waiting[scenario.youth(r.youth).urgency] += 1
    order = sorted(scenario.urgency_factors, key=lambda k: -scenario.urgency_factors[k])
    waiting_by = {k: waiting.get(k, 0) for k in order}

    waits = [
        (v.date - scenario.youth(scenario.request(v.request).youth).signalled_on).days
        for v in visits
    ]
    runs = tour_runs(scenario, visits, travel, scope)
    per_visits: Counter[str] = Counter()
    per_visit_minutes: Counter[str] = Counter()
    per_travel: Counter[str] = Counter()
    for run in runs:
        per_visits[run.consultant] += len(run.visits)
        per_visit_minutes[run.consultant] += run.visit_minutes
        per_travel[run.consultant] += run.travel_minutes
    loads = tuple(
        ConsultantLoad(
            consultant=c.id,
            provider=c.provider,
            visits=per_visits[c.id],
            max_visits_per_week=c.max_visits_per_week,
            available_minutes=sum(t.end - t.start for t in tours_of(c, scenario.days)),
            visit_minutes=per_visit_minutes[c.id],
            travel_minutes=per_travel[c.id],
        )
        for c in scenario.consultants
        if c.id in scope
    )
    return WeekKpis(
        requests=len(scenario.requests) if full else len(planned),
        visits=len(visits),
        waiting=waiting_by,
        travel_minutes=sum(per_travel.values()),
        mean_waiting_days=(sum(waits) / len(waits)) if waits else 0.0,
        max_waiting_days=max(waits) if waits else 0,
        loads=loads,
    )


def utilisation_frame(scenario: Scenario, kpis: WeekKpis) -> pd.DataFrame:
    """Per consultant: visits, cap, available/busy hours and utilisation (0..1)."""
    names = {p.id: p.name for p in scenario.providers}
    rows = [
        {
            "Consultant": f"{x.consultant} · {scenario.consultant(x.consultant).name}",
            "Organisatie": names.get(x.provider, x.provider),
            "Bezoeken": x.visits,
            "Max per week": x.max_visits_per_week,
            "Beschikbaar (u)": round(x.available_minutes / 60, 1),
            "Bezoeken (u)": round(x.visit_minutes / 60, 1),
            "Reistijd (u)": round(x.travel_minutes / 60, 1),
            "Bezetting": round(x.utilisation, 3),
        }
        for x in kpis.loads
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Consultant",
            "Organisatie",
            "Bezoeken",
            "Max per week",
            "Beschikbaar (u)",
            "Bezoeken (u)",
            "Reistijd (u)",
            "Bezetting",
        ],
    )


def waiting_frame(kpis: WeekKpis) -> pd.DataFrame:
    """Waiting requests per urgency (Dutch labels), most urgent first."""
    return pd.DataFrame(
        [{"Urgentie": urgency_label(k), "Wachtend": n} for k, n in kpis.waiting.items()],
        columns=["Urgentie", "Wachtend"],
    )
