"""The what-if of the policy note: expertise on site against one central centre.

The note on loverboy victims in Limburg (2017) weighs two ways of helping them: bring extra
expertise to the place where the youth already lives and is treated (what the planner does
today), or move every victim to one central shelter where they are treated, paid for by all
gemeenten together. This module compares the two on the same demand.

The demand is a list of weekly scenarios: stored rounds (:func:`matcher.storage.export_scenario`)
or a generated year (:func:`generate_weeks`: per week a Poisson number of new requests per
gemeente, with rates proportional to the population by default). Every week is planned twice
by :func:`plan_weeks` (the single place that solves):

(a) **on site**: the scenario as it is;
(b) **central**: the scenario of :func:`centralise`: every youth lives at one centre
    (``kind: residentieel``, confidential, always open) at the coordinates the user chose.

The figures of each side (:class:`SideFigures`):

* consultant **travel** minutes (as the app's KPIs count them,
:func:`matcher.solver.kpis.week_kpis`)
  and **km** (the tours' metres of :func:`matcher.policy.costs.plan_costs`: haversine x detour);
* **waiting days** of the planned visits (visit date minus ``signalled_on``), sum and mean,
  and the number of requests left unplanned;
* **youths who must move**: on site none; central every youth not already placed at the
  centre's coordinates (distinct case codes over the weeks);
* the **largest number of victims at one address** in one week: on site the most youths of
  a week at one point (same coordinates); central every youth of the week;
* the **pay-per-use cost per gemeente** (:func:`matcher.policy.costs.costs_by_gemeente`, exact
  cents), extrapolated to a year as ``cents * 52 / weeks`` (half up) when the weeks are not
  a year.

Funding (:class:`GemeenteRow`): on site every gemeente pays for the visits to its own youths
(pay per use); the centre costs a fixed yearly budget (``centre_cost_eur``, default
:data:`DEFAULT_CENTRE_COST_EUR`, an assumption: the note gives no amount) split over all 31
gemeenten by population share or in equal shares (:func:`fixed_contributions`, largest
remainder, so the shares add up to the budget to the cent), plus the consultants' visits at
the centre, again per use.

The reference data and the centre are in :mod:`matcher.policy.whatif_places`, the weeks and
their planning in :mod:`matcher.policy.whatif_weeks`; this module compares the figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from matcher.policy.costs import apportion, costs_by_gemeente, plan_costs
from matcher.policy.whatif_places import (
    CENTRE_ID,
    POPULATION_FILE,
    Centre,
    WhatIfError,
    centre_at_town,
    load_population,
    load_rates,
    make_centre,
    nearest_gemeente,
)
from matcher.policy.whatif_weeks import (
    DEFAULT_HOURLY_RATE,
    DEFAULT_KM_RATE,
    ProgressCallback,
    centralise,
    generate_weeks,
    plan_weeks,
    round_scenarios,
)
from matcher.scenario.domain import Plan, Scenario

__all__ = [
    "CENTRE_ID",
    "CONTRIBUTIONS",
    "DEFAULT_CENTRE_COST_EUR",
    "DEFAULT_HOURLY_RATE",
    "DEFAULT_KM_RATE",
    "POPULATION_FILE",
    "WEEKS_PER_YEAR",
    "Centre",
    "Comparison",
    "Contribution",
    "GemeenteRow",
    "SideFigures",
    "WhatIfError",
    "centralise",
    "centre_at_town",
    "compare",
    "compare_plans",
    "fixed_contributions",
    "generate_weeks",
    "load_population",
    "load_rates",
    "make_centre",
    "nearest_gemeente",
    "plan_weeks",
    "round_scenarios",
    "yearly",
]

Contribution = Literal["population", "equal"]
CONTRIBUTIONS: tuple[Contribution, ...] = ("population", "equal")
WEEKS_PER_YEAR = 52
DEFAULT_CENTRE_COST_EUR = 1_500_000
"""Yearly budget of the central centre in euros: an assumption (about eight residential
places with treatment at roughly 500 euros a day), not a figure from the note."""


# Figures ---------------------------------------------------------------------------------------


def yearly(cents: int, weeks: int) -> int:
    """``cents`` of ``weeks`` weeks scaled to a year of 52 weeks (half up)."""
    if weeks <= 0:
        raise WhatIfError(f"weeks {weeks}: allowed >= 1")
    return (2 * cents * WEEKS_PER_YEAR + weeks) // (2 * weeks)


@dataclass(frozen=True)
class SideFigures:
    """The summed figures of one side (on site or central) over all weeks."""

    weeks: int
    requests: int
    visits: int
    unplanned: int
    travel_minutes: int
    metres: int
    waiting_days: int
    """Sum over the planned visits of (visit date - signalled_on) in days."""
    youths: int
    """Distinct case codes with a request."""
    moved: int
    """Youths who must move to another address for this option."""
    max_at_address: int
    """The most youths of one week at one address."""
    cost_cents: dict[str, int] = field(default_factory=dict)
    """Pay-per-use cost of the weeks per paying gemeente (not scaled)."""

    @property
    def travel_hours(self) -> float:
        return self.travel_minutes / 60

    @property
    def km(self) -> float:
        return self.metres / 1000

    @property
    def mean_waiting_days(self) -> float:
        return self.waiting_days / self.visits if self.visits else 0.0

    @property
    def total_cents(self) -> int:
        return sum(self.cost_cents.values())


def _side(
    scenarios: Sequence[Scenario], plans: Sequence[Plan], moved_ids: set[str]
) -> tuple[SideFigures, list[str]]:
    from matcher.solver.kpis import week_kpis
    from matcher.travel import build_travel_matrix

    requests = visits = unplanned = minutes = metres = waiting = most = 0
    youths: set[str] = set()
    cost: Counter[str] = Counter()
    warnings: list[str] = []
    for s, p in zip(scenarios, plans, strict=True):
        requests += len(s.requests)
        visits += len(p.visits)
        unplanned += len(s.requests) - len({v.request for v in p.visits})
        minutes += week_kpis(s, p, build_travel_matrix(s)).travel_minutes
        priced = plan_costs(s, p)
        metres += sum(t.metres for t in priced.tours)
        for g, t in costs_by_gemeente(priced.visits).items():
            cost[g] += t.total_cents
        for m in priced.missing_rates:
            warnings.append(f"{s.name}: provider {m.provider} has no rate (counted as 0)")
        for v in p.visits:
            youth = s.youth(s.request(v.request).youth)
            waiting += (v.date - youth.signalled_on).days
        with_request = {r.youth for r in s.requests}
        youths |= with_request
        at = Counter(s.location(s.youth(y).location).point for y in with_request)
        most = max(most, max(at.values(), default=0))
    side = SideFigures(
        weeks=len(scenarios),
        requests=requests,
        visits=visits,
        unplanned=unplanned,
        travel_minutes=minutes,
        metres=metres,
        waiting_days=waiting,
        youths=len(youths),
        moved=len(moved_ids),
        max_at_address=most,
        cost_cents=dict(sorted(cost.items())),
    )
    return side, warnings


def fixed_contributions(
    total_cents: int, population: dict[str, int], rule: Contribution
) -> dict[str, int]:
    """Split ``total_cents`` over the gemeenten of ``population`` (largest remainder).

    ``population``: shares proportional to the inhabitants; ``equal``: the same for all (the
    leftover cents to the first names). The shares add up to ``total_cents`` exactly.

    Raises
    ------
    WhatIfError
        An unknown rule, or no gemeenten.
    """
    if rule not in CONTRIBUTIONS:
        raise WhatIfError(f"contribution {rule!r}; allowed: {', '.join(CONTRIBUTIONS)}")
    if not population:
        raise WhatIfError("contribution: no gemeenten to share the centre's cost")
    names = sorted(population)
    weights = [population[g] if rule == "population" else 1 for g in names]
    return dict(zip(names, apportion(total_cents, weights), strict=True))


@dataclass(frozen=True, slots=True)
class GemeenteRow:
    """One gemeente's yearly cost under both options (cents)."""

    gemeente: str
    inwoners: int
    onsite_cents: int
    """On site: pay per use of the visits to its youths (per year)."""
    contribution_cents: int
    """Central: its fixed share of the centre's budget."""
    central_use_cents: int
    """Central: the consultants' visits to its youths at the centre (per year)."""

    @property
    def central_cents(self) -> int:
        return self.contribution_cents + self.central_use_cents

    @property
    def difference_cents(self) -> int:
        """Central minus on site (positive: the centre costs the gemeente more)."""
        return self.central_cents - self.onsite_cents


@dataclass(frozen=True)
class Comparison:
    """Both options side by side."""

    centre: Centre
    contribution: Contribution
    centre_cost_cents: int
    onsite: SideFigures
    central: SideFigures
    rows: tuple[GemeenteRow, ...]
    week_names: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def weeks(self) -> int:
        return len(self.week_names)


def compare_plans(
    scenarios: Sequence[Scenario],
    onsite_plans: Sequence[Plan],
    central_scenarios: Sequence[Scenario],
    central_plans: Sequence[Plan],
    centre: Centre,
    *,
    contribution: Contribution = "population",
    centre_cost_eur: float = DEFAULT_CENTRE_COST_EUR,
    population: dict[str, int] | None = None,
) -> Comparison:
    """The comparison of already planned weeks (see the module docstring).

    Raises
    ------
    WhatIfError
        No weeks, a negative centre cost, an unknown contribution rule, or different numbers
        of scenarios and plans.
    """
    n = len(scenarios)
    if n == 0:
        raise WhatIfError("no weeks to compare: give stored rounds or generated weeks")
    if not (len(onsite_plans) == len(central_scenarios) == len(central_plans) == n):
        raise WhatIfError("every week needs an on-site plan, a central scenario and its plan")
    if not centre_cost_eur >= 0:
        raise WhatIfError(f"centre cost {centre_cost_eur}; allowed: euros >= 0")
    pop = population if population is not None else load_population()
    moved: set[str] = set()
    for s in scenarios:
        for r in s.requests:
            y = s.youth(r.youth)
            if s.location(y.location).point != centre.point:
                moved.add(y.id)
    onsite, w1 = _side(scenarios, onsite_plans, set())
    central, w2 = _side(central_scenarios, central_plans, moved)
    cost_cents = round(centre_cost_eur * 100)
    shares = fixed_contributions(cost_cents, pop, contribution)
    names = sorted(set(pop) | set(onsite.cost_cents) | set(central.cost_cents))
    rows = tuple(
        GemeenteRow(
            gemeente=g,
            inwoners=pop.get(g, 0),
            onsite_cents=yearly(onsite.cost_cents.get(g, 0), n),
            contribution_cents=shares.get(g, 0),
            central_use_cents=yearly(central.cost_cents.get(g, 0), n),
        )
        for g in names
    )
    extra = [g for g in names if g not in pop]
    warnings = list(dict.fromkeys(w1 + w2))
    if extra:
        warnings.append(
            f"gemeente(n) {', '.join(extra)} not in the population data: no fixed contribution"
        )
    return Comparison(
        centre=centre,
        contribution=contribution,
        centre_cost_cents=cost_cents,
        onsite=onsite,
        central=central,
        rows=rows,
        week_names=tuple(s.week or s.name for s in scenarios),
        warnings=tuple(warnings),
    )


def compare(
    scenarios: Sequence[Scenario],
    centre: Centre,
    *,
    time_limit: float = 5.0,
    contribution: Contribution = "population",
    centre_cost_eur: float = DEFAULT_CENTRE_COST_EUR,
    population: dict[str, int] | None = None,
    on_progress: ProgressCallback | None = None,
    n_workers: int = 1,
    scheduler: str | None = None,
) -> Comparison:
    """Plan every week on site and central (:func:`plan_weeks`, in parallel on Dask with
    ``n_workers`` > 1 or a ``scheduler``) and compare them."""
    if not scenarios:
        raise WhatIfError("no weeks to compare: give stored rounds or generated weeks")
    central = [centralise(s, centre) for s in scenarios]
    plans = plan_weeks(
        [*scenarios, *central],
        time_limit,
        on_progress,
        n_workers=n_workers,
        scheduler=scheduler,
    )
    n = len(scenarios)
    return compare_plans(
        scenarios,
        plans[:n],
        central,
        plans[n:],
        centre,
        contribution=contribution,
        centre_cost_eur=centre_cost_eur,
        population=population,
    )
