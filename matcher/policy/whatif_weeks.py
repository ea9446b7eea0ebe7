"""The weeks of the what-if: generated or stored weeks, the same weeks centralised (every youth
moved to the centre), and planning them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy.engine import Engine

from matcher.policy.whatif_places import (
    CENTRE_ID,
    Centre,
    WhatIfError,
    load_population,
    nearest_gemeente,
)
from matcher.scenario.domain import Location, Plan, Scenario
from matcher.scenario.generate import generate_scenario

DEFAULT_HOURLY_RATE = 95.0
"""Euros per consultant hour for generated weeks (they carry no rates of their own)."""
DEFAULT_KM_RATE = 0.23
"""Euros per km for generated weeks."""

ProgressCallback = Callable[[int, int], None]
"""Called with ``(weeks planned, weeks in all)`` after each solve."""


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
