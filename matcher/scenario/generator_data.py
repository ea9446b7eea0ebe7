"""Reference data and the internal model of the scenario generator: providers and their skill
profiles, needs, kinds of location, names, streets, the municipalities of a region.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from matcher.resources import DATA_DIR
from matcher.scenario.domain import (
    Pin,
)

REGIONS: dict[str, str] = {"limburg": "limburg_gemeenten.csv", "nl": "nl_plaatsen.csv"}

SPEED_KMH = 60.0
DETOUR_FACTOR = 1.3
GRID = 15  # minutes; every generated time lies on this grid

PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("fier", "Fier", "FIER"),
    ("xonar", "Xonar", "XON"),
    ("sjsj", "SJSJ", "SJSJ"),
)

DEMO_RATES: dict[str, tuple[float | None, float | None]] = {
    "fier": (95.0, 0.23),
    "xonar": (87.5, 0.23),
    "sjsj": (82.5, 0.21),
}
"""Invented tariffs of the shipped demo weeks, per provider ``(hourly_rate, km_rate)`` in
euros (``FORMAT.md`` providers), so that their cost reports show amounts."""

# Probability that a consultant of a provider has a skill (``vrouw`` follows the person).
SKILL_PROFILES: dict[str, dict[str, float]] = {
    "fier": {
        "loverboy-trauma": 0.95,
        "emdr": 0.45,
        "jeugdzorgplus": 0.4,
        "lvb": 0.25,
        "online-uitbuiting": 0.3,
        "psycho-educatie": 0.3,
        "systeemtherapie": 0.15,
        "verslaving": 0.1,
        "jongens": 0.1,
    },
    "xonar": {
        "loverboy-trauma": 0.6,
        "systeemtherapie": 0.6,
        "lvb": 0.5,
        "psycho-educatie": 0.5,
        "emdr": 0.15,
        "jeugdzorgplus": 0.2,
        "verslaving": 0.2,
        "jongens": 0.2,
        "online-uitbuiting": 0.2,
    },
    "sjsj": {
        "loverboy-trauma": 0.8,
        "verslaving": 0.45,
        "jongens": 0.4,
        "online-uitbuiting": 0.45,
        "psycho-educatie": 0.4,
        "lvb": 0.3,
        "emdr": 0.2,
        "systeemtherapie": 0.25,
        "jeugdzorgplus": 0.25,
    },
}

# Skill sets asked for by single requests, with weights.
SINGLE_NEEDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("loverboy-trauma",), 20),
    (("loverboy-trauma", "vrouw"), 14),
    (("emdr",), 7),
    (("emdr", "vrouw"), 3),
    (("lvb",), 6),
    (("loverboy-trauma", "lvb"), 5),
    (("systeemtherapie",), 8),
    (("verslaving",), 5),
    (("jongens",), 4),
    (("online-uitbuiting",), 5),
    (("psycho-educatie",), 6),
    ((), 3),
)
# Role pairs of joint visits, with weights.
JOINT_NEEDS: tuple[tuple[tuple[tuple[str, ...], tuple[str, ...]], int], ...] = (
    ((("loverboy-trauma",), ("systeemtherapie",)), 6),
    ((("loverboy-trauma", "vrouw"), ("lvb",)), 3),
    ((("emdr",), ("systeemtherapie",)), 2),
    ((("verslaving",), ("loverboy-trauma",)), 2),
    ((("loverboy-trauma",), ("psycho-educatie",)), 3),
    ((("jeugdzorgplus",), ("systeemtherapie",)), 2),
    ((("online-uitbuiting",), ("lvb",)), 1),
)

# kind -> (id code, weight of a new placement, (min, max) youths placed there)
KINDS: dict[str, tuple[str, int, tuple[int, int]]] = {
    "residentieel": ("RES", 18, (2, 5)),
    "gezinshuis": ("GH", 14, (1, 3)),
    "pleegzorg": ("PZ", 20, (1, 2)),
    "jeugdzorgplus": ("JZP", 9, (2, 6)),
    "behandelgroep": ("BG", 10, (2, 4)),
    "ambulant": ("AMB", 14, (1, 1)),
    "school": ("SCH", 7, (1, 3)),
    "kantoor": ("KAN", 8, (1, 4)),
}
CONTACT_DOMAINS: dict[str, str] = {
    "residentieel": "jeugdzorg-wonen.example",
    "gezinshuis": "gezinshuizen.example",
    "pleegzorg": "pleegzorg.example",
    "jeugdzorgplus": "jeugdzorgplus.example",
    "behandelgroep": "behandeling.example",
    "ambulant": "ambulant-team.example",
    "school": "vso-school.example",
}
URGENCIES: tuple[tuple[str, int], ...] = (("low", 20), ("normal", 50), ("high", 22), ("crisis", 8))
DURATIONS: tuple[tuple[int, int], ...] = ((45, 2), (60, 6), (75, 2), (90, 4), (120, 2))
JOINT_DURATIONS: tuple[tuple[int, int], ...] = ((60, 3), (90, 3), (120, 1))
# time_of_day profile of a youth: (start, end) or None, with weights
TIME_PROFILES: tuple[tuple[tuple[int, int] | None, int], ...] = (
    (None, 62),
    ((15 * 60, 19 * 60), 16),  # school-going: after school
    ((15 * 60 + 30, 19 * 60), 6),
    ((9 * 60, 12 * 60), 10),  # mornings only (e.g. afternoon school or day programme)
    ((13 * 60, 17 * 60), 6),
)
BIG_TOWNS: dict[str, int] = {
    "Maastricht": 4,
    "Heerlen": 3,
    "Venlo": 3,
    "Sittard": 3,
    "Roermond": 2,
    "Weert": 2,
    "Kerkrade": 2,
    "Venray": 2,
    "Amsterdam": 3,
    "Rotterdam": 3,
    "Den Haag": 3,
    "Utrecht": 3,
    "Eindhoven": 2,
}

FEMALE_NAMES = (  # noqa: SIM905
    "Anouk Sanne Lotte Femke Iris Eva Lisa Maud Noor Roos Esther Marieke Judith Mirjam "
    "Ingrid Petra Karin Linda Sandra Yvonne Nicole Chantal Joyce Kim Fleur Lieke Silke Ilse "
    "Marloes Bianca Daphne Nadia Samira Fatima Yasmina Leonie Britt Jolien Evi Manon Mieke "
    "Loes Hanneke"
).split()
MALE_NAMES = (  # noqa: SIM905
    "Bram Tom Luuk Stijn Niels Joost Ruud Sjoerd Mark Rik Thijs Koen Bas Jeroen Pieter Erik "
    "Frank Youssef Mehmet Sven Daan Jules Mathieu Sjef Huub Roel Wim Jos"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Jansen|Peeters|Hendriks|Janssen|Smeets|Willems|Vossen|Dassen|Lemmens|Geurts|Bongers|"
    "Coenen|Hermans|Schreurs|Wijnen|Kurvers|Frissen|Leenders|Houben|Thijssen|Muijrers|"
    "Ramakers|Savelberg|Pluijmen|Stevens|Meertens|Gerards|Bemelmans|Claessens|Ummels|"
    "Vliegen|Hanssen|Dirix|Moonen|Rutten|Crombach|Beckers|Knops|Philipsen|Op den Camp|"
    "van der Linden|de Groot|Bakker|Visser|Mulder|de Vries|van Dijk|Bos|El Amrani|Yilmaz|"
    "Demir|Heijnen|Driessen"
).split("|")
GROUP_NAMES = (
    "Maasoever",
    "De Kei",
    "Het Anker",
    "De Wissel",
    "De Brug",
    "Horizon",
    "Kompas",
    "Het Baken",
    "De Steiger",
    "De Oever",
    "De Haven",
    "Het Veer",
    "De Molen",
    "De Schans",
    "De Kering",
    "De Geul",
    "De Vaart",
    "De Heuvel",
    "De Terp",
    "De Vlinder",
)
GEZINSHUIS_NAMES = (
    "De Linde",
    "De Eik",
    "De Hazelaar",
    "De Wilg",
    "De Beuk",
    "De Kastanje",
    "De Vlier",
    "De Meidoorn",
    "Het Vlinderhuis",
    "De Zonnebloem",
    "De Notelaar",
    "De Es",
)
JZP_NAMES = ("Kasteel", "De Hoeve", "Het Bolwerk", "Heideheuvel", "De Bocht", "Bosrand", "Via")
BG_NAMES = ("Horizon", "De Overstap", "Het Kompas", "Nieuwe Kans", "De Sprong", "Opstap", "Koers")
SCHOOL_NAMES = ("De Wending", "Het Palet", "De Brug", "Maaskant", "De Horst", "Het Kader")
STREETS = (
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Dorpstraat",
    "Stationsstraat",
    "Beekstraat",
    "Lindelaan",
    "Heuvelweg",
    "Nieuwstraat",
    "Parklaan",
    "Kapelstraat",
    "Veldweg",
)


@dataclass(frozen=True, slots=True)
class Municipality:
    """One row of a region file: a municipality (or town) with its main town's coordinates."""

    gemeente: str
    hoofdplaats: str
    lat: float
    lon: float
    regio: str


def load_municipalities(region: str) -> list[Municipality]:
    """The municipalities (``limburg``) or larger towns (``nl``) of a region.

    Parameters
    ----------
    region
        A key of :data:`REGIONS`.

    Raises
    ------
    ValueError
        For an unknown region.
    """
    return list(_load_municipalities(region))


@cache
def _load_municipalities(region: str) -> tuple[Municipality, ...]:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; use one of {', '.join(sorted(REGIONS))}")
    path = DATA_DIR / REGIONS[region]
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Municipality(
                row["gemeente"],
                row["hoofdplaats"],
                float(row["lat"]),
                float(row["lon"]),
                row["regio"],
            )
            for row in csv.DictReader(fh)
        )


# Internal model ------------------------------------------------------------------------


@dataclass
class _Consultant:
    id: str
    provider: str
    name: str
    email: str
    female: bool
    lat: float
    lon: float
    skills: frozenset[str]
    weekly: list[tuple[int, int, int]]  # (weekday 0..6, start, end)
    dated: list[tuple[int, int, int]]  # (day index, start, end)
    off: list[tuple[int, int, int]]  # (day index, start, end)
    tours: list[tuple[int, int, int]] = field(default_factory=list)  # (day index, start, end)
    day_cap: int | None = None
    week_cap: int | None = None


@dataclass
class _Location:
    id: str
    name: str
    kind: str
    gemeente: str
    lat: float
    lon: float
    room: int  # places left for youths
    address: str | None = None
    confidential: bool = True
    open: list[tuple[int, int, int]] | None = None  # (weekday, start, end)
    contact: tuple[str, str] | None = None


@dataclass
class _Youth:
    number: int
    location: int  # index into locations
    gemeente: str
    signalled_on: dt.date
    urgency: str
    time_profile: tuple[int, int] | None
    excluded: list[str]
    previous: str | None = None
    code: str = ""


@dataclass
class _Request:
    youth: int
    roles: list[tuple[str, ...]]
    duration: int
    first: int  # day index
    last: int
    time_of_day: tuple[int, int] | None
    witness: list[int]  # consultant indices
    pin: Pin | None = None


def _weighted(rng: random.Random, items: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _grid_up(minutes: int) -> int:
    return -(-minutes // GRID) * GRID


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())
