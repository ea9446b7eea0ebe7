"""Reference data of the what-if: population and rates per gemeente, and the central centre
(where it stands, the nearest gemeente).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from matcher.scenario.domain import Point
from matcher.scenario.generate import DATA_DIR, load_municipalities
from matcher.travel import haversine_km

CENTRE_ID = "centrale-opvang"
POPULATION_FILE = DATA_DIR / "limburg_bevolking.csv"


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
