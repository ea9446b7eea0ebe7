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
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from sqlalchemy.engine import Engine

from matcher.policy.costs import apportion, costs_by_gemeente, plan_costs
from matcher.scenario.domain import Location, Plan, Point, Scenario
from matcher.scenario.generate import DATA_DIR, generate_scenario, load_municipalities
from matcher.travel import haversine_km

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
CENTRE_ID = "centrale-opvang"
POPULATION_FILE = DATA_DIR / "limburg_bevolking.csv"
WEEKS_PER_YEAR = 52
DEFAULT_CENTRE_COST_EUR = 1_500_000
"""Yearly budget of the central centre in euros: an assumption (about eight residential
places with treatment at roughly 500 euros a day), not a figure from the note."""
DEFAULT_HOURLY_RATE = 95.0
"""Euros per consultant hour for generated weeks (they carry no rates of their own)."""
DEFAULT_KM_RATE = 0.23
"""Euros per km for generated weeks."""

ProgressCallback = Callable[[int, int], None]
"""Called with ``(weeks planned, weeks in all)`` after each solve."""


class WhatIfError(ValueError):
    """Bad input for the comparison; the message names what is wrong and what is allowed."""


# Reference data -------------------------------------------------------------------------------


def load_population(path: Path = POPULATION_FILE) -> dict[str, int]:
    """Inhabitants per gemeente from ``gemeente,inwoners`` CSV (sorted by name).

    Raises
    ------
    WhatIfError
        A row without a positive whole number, or a name twice (every bad row is named).
    """
    out: dict[str, int] = {}
    problems: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            name = (row.get("gemeente") or "").strip()
            text = (row.get("inwoners") or "").strip()
            if not name:
                problems.append(f"{path.name} line {i}: gemeente is empty")
                continue
            if name in out:
                problems.append(f"{path.name} line {i}: gemeente {name!r} appears twice")
            if not text.isdigit() or int(text) <= 0:
                problems.append(
                    f"{path.name} line {i}: inwoners {text!r} of {name!r}; allowed: a whole "
                    "number > 0"
                )
                continue
            out[name] = int(text)
    if problems:
        raise WhatIfError("; ".join(problems))
    return dict(sorted(out.items()))


def load_rates(path: Path, population: dict[str, int] | None = None) -> dict[str, float]:
    """Mean new requests a week per gemeente from ``gemeente,per_week`` CSV.

    Gemeenten not in the file get rate 0.

    Raises
    ------
    WhatIfError
        A gemeente not in the population data, a rate that is not a number >= 0, or a
        name twice (every bad row is named).
    """
    pop = population if population is not None else load_population()
    out: dict[str, float] = {}
    problems: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"gemeente", "per_week"} <= set(reader.fieldnames):
            raise WhatIfError(f"{path.name}: the header must be gemeente,per_week")
        for i, row in enumerate(reader, start=2):
            name = (row.get("gemeente") or "").strip()
            text = (row.get("per_week") or "").strip()
            where = f"{path.name} line {i}"
            if name not in pop:
                problems.append(f"{where}: gemeente {name!r} is not a Limburg gemeente")
                continue
            if name in out:
                problems.append(f"{where}: gemeente {name!r} appears twice")
            try:
                rate = float(text)
            except ValueError:
                rate = -1.0
            if not 0 <= rate < 1e4:
                problems.append(f"{where}: per_week {text!r}; allowed: a number 0..10000")
                continue
            out[name] = rate
    if problems:
        raise WhatIfError("; ".join(problems))
    return {g: out.get(g, 0.0) for g in pop}


@dataclass(frozen=True, slots=True)
class Centre:
    """Where the central centre would be."""

    lat: float
    lon: float
    name: str = "Centrale opvang"
    gemeente: str = ""
    """The gemeente it lies in (the nearest hoofdplaats when not given)."""

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


def nearest_gemeente(lat: float, lon: float) -> str:
    """The Limburg gemeente whose hoofdplaats is nearest to the point."""
    towns = load_municipalities("limburg")
    return min(towns, key=lambda t: haversine_km(lat, lon, t.lat, t.lon)).gemeente


def make_centre(lat: float, lon: float, name: str = "Centrale opvang") -> Centre:
    """A centre at ``lat, lon`` in the nearest gemeente.

    Raises
    ------
    WhatIfError
        Coordinates outside -90..90 / -180..180.
    """
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise WhatIfError(
            f"centre {lat},{lon}: allowed latitude -90..90 and longitude -180..180 (WGS84)"
        )
    return Centre(lat, lon, name, nearest_gemeente(lat, lon))


def centre_at_town(town: str) -> Centre:
    """A centre at the coordinates of a hoofdplaats (or gemeente) of limburg_gemeenten.csv.

    Raises
    ------
    WhatIfError
        The town is not in the file (the allowed names are listed).
    """
    towns = load_municipalities("limburg")
    key = town.strip().casefold()
    for t in towns:
        if key in (t.hoofdplaats.casefold(), t.gemeente.casefold()):
            return Centre(t.lat, t.lon, f"Centrale opvang {t.hoofdplaats}", t.gemeente)
    names = ", ".join(sorted(t.hoofdplaats for t in towns))
    raise WhatIfError(f"centre town {town!r} is not in limburg_gemeenten.csv; allowed: {names}")


# Scenarios ------------------------------------------------------------------------------------


def centralise(scenario: Scenario, centre: Centre) -> Scenario:
    """The scenario with every youth living at ``centre`` (one residential location).

    Travel overrides that name a location that is gone are dropped; everything else (days,
    consultants, requests, pins, published visits) stays.
    """
    loc = Location(
        id=CENTRE_ID,
        name=centre.name,
        kind="residentieel",
        gemeente=centre.gemeente or nearest_gemeente(centre.lat, centre.lon),
        lat=centre.lat,
        lon=centre.lon,
        confidential=True,
        open=None,
    )
    gone = {x.id for x in scenario.locations} - {CENTRE_ID}
    travel = dataclasses.replace(
        scenario.travel,
        overrides=tuple(
            o for o in scenario.travel.overrides if o[0] not in gone and o[1] not in gone
        ),
    )
    youths = tuple(dataclasses.replace(y, location=CENTRE_ID) for y in scenario.youths)
    return dataclasses.replace(
        scenario,
        name=f"{scenario.name} (centraal)",
        locations=(loc,),
        youths=youths,
        travel=travel,
        source=None,
    )


def _iso_week(first: str, offset: int) -> str:
    year, week = first.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1) + dt.timedelta(weeks=offset)
    y, w, _ = monday.isocalendar()
    return f"{y}-W{w:02d}"


def generate_weeks(
    seed: int,
    weeks: int,
    *,
    requests_per_week: float = 15.0,
    n_consultants: int = 8,
    population: dict[str, int] | None = None,
    rates: dict[str, float] | None = None,
    first_week: str = "2027-W01",
    hourly_rate: float = DEFAULT_HOURLY_RATE,
    km_rate: float = DEFAULT_KM_RATE,
) -> list[Scenario]:
    """A seeded series of weekly scenarios of new demand.

    Each week draws the number of new requests of every gemeente from a Poisson
    distribution with mean ``rates[g]`` (default: ``requests_per_week`` shared by population)
    and builds the week with :func:`matcher.scenario.generate.generate_scenario` (one youth per
    request, so the youths' paying gemeenten are exactly the drawn ones; where they are
    placed is the generator's choice). Case codes get the week's number (``-W05``) so a
    youth of one week is not mistaken for one of another. Providers get ``hourly_rate`` and
    ``km_rate``.

    Raises
    ------
    WhatIfError
        ``weeks`` below 1, a negative rate, or a rate for a gemeente not in the population.
    """
    from matcher.scenario.loader import parse_scenario

    if weeks < 1:
        raise WhatIfError(f"weeks {weeks}: allowed a whole number >= 1")
    pop = population if population is not None else load_population()
    if rates is None:
        total = sum(pop.values())
        rates = {g: requests_per_week * n / total for g, n in pop.items()}
    bad = [f"{g}: {r}" for g, r in rates.items() if r < 0 or g not in pop]
    if bad:
        raise WhatIfError(f"rates {', '.join(bad)}; allowed: rates >= 0 for gemeenten of the data")
    names = sorted(rates)
    rng = np.random.default_rng(seed)
    out: list[Scenario] = []
    for w in range(weeks):
        counts = rng.poisson([rates[g] for g in names])
        drawn = [g for g, n in zip(names, counts, strict=True) for _ in range(int(n))]
        rng.shuffle(drawn)
        week = _iso_week(first_week, w)
        tag = week.split("-")[1]
        doc = generate_scenario(
            int(rng.integers(0, 2**31 - 1)),
            len(drawn),
            n_consultants,
            week=week,
            youths_per_request=1.0,
            name=f"Gegenereerd {week}",
        )
        for p in doc["providers"]:
            p["hourly_rate"] = hourly_rate
            p["km_rate"] = km_rate
        codes = {}
        for youth, gemeente in zip(doc["youths"], drawn, strict=True):
            codes[youth["id"]] = f"{youth['id']}-{tag}"
            youth["id"] = codes[youth["id"]]
            youth["gemeente"] = gemeente
        for r in doc["requests"]:
            r["youth"] = codes[r["youth"]]
        out.append(parse_scenario(doc, f"<whatif {week}>"))
    return out


def round_scenarios(engine: Engine, names: Sequence[str] | None = None) -> list[Scenario]:
    """The stored rounds' scenarios, oldest planning days first (every round for ``None``).

    ``names`` are round names or ids (a name wins over an id). The server's view: use it
    from the command line or for the ketenregisseur only.

    Raises
    ------
    WhatIfError
        A name that is no stored round (all such names, with the stored ones).
    """
    from matcher import storage

    rounds = sorted(storage.list_rounds(engine), key=lambda r: (r.first_day or dt.date.max, r.id))
    if names is None:
        chosen = list(rounds)
    else:
        chosen, missing = [], []
        for name in names:
            found = next((r for r in rounds if r.name == name), None)
            if found is None and name.isdigit():
                found = next((r for r in rounds if r.id == int(name)), None)
            if found is None:
                missing.append(name)
            elif found not in chosen:
                chosen.append(found)
        if missing:
            known = ", ".join(r.name for r in rounds) or "none stored"
            raise WhatIfError(
                f"--rounds: no stored round named or numbered {', '.join(map(repr, missing))}; "
                f"allowed: all, or names of {known}"
            )
    return [storage.export_scenario(engine, r.id) for r in chosen]


# Solving ----------------------------------------------------------------------------------


def plan_weeks(
    scenarios: Sequence[Scenario],
    limit: float,
    on_progress: ProgressCallback | None = None,
    *,
    n_workers: int = 1,
    scheduler: str | None = None,
) -> list[Plan]:
    """Plan every scenario (``limit`` s each, one CP-SAT worker, seed 0).

    The only place of the comparison that solves. With ``n_workers`` > 1 or a Dask
    ``scheduler`` address the weeks run in parallel on Dask
    (:func:`matcher.policy.sweeps.run_sweep`);
    otherwise one after another here. Both give the same plans.
    """
    from matcher.policy.sweeps import SweepTask, run_serial, run_sweep

    tasks = [SweepTask(str(i), s, limit, 0) for i, s in enumerate(scenarios)]
    if n_workers > 1 or scheduler is not None:
        results = run_sweep(
            tasks, scheduler=scheduler, n_workers=n_workers, on_progress=on_progress
        )
    else:
        results = run_serial(tasks, on_progress=on_progress)
    return [r.plan for r in results]


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
