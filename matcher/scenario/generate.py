"""Seeded generator of realistic scenarios (``FORMAT.md`` version 1).

:func:`generate_scenario` builds a plain scenario document (a ``dict`` with dates as
``"YYYY-MM-DD"`` and times as ``"HH:MM"`` strings) for a planning week: consultants of
Fier, Xonar and SJSJ with skills, part-time patterns, sick days and caps; care locations of
every kind spread over the municipalities of a region; youths with pseudonymous case codes;
requests with skills or joint roles, date ranges, school-hours windows and a few pins.

Every request is built around a *witness*: a consultant (two distinct ones for a joint
visit) who has the skills, is not excluded, and has a tour on a day in the request's range
in which the visit fits with the drive from and back to the base, inside the location's
opening hours and the request's ``time_of_day``. So each request is feasible on its own;
pins use their witness and are therefore feasible too (each consultant is pinned at most
once). The same seed and arguments always give the identical document.

:func:`write_scenario_yaml` writes a document as readable YAML with every time and date
quoted and a leading comment block; :func:`main_generate` is the ``matcher generate`` entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from matcher.resources import DATA_DIR
from matcher.scenario.domain import (
    DAY_MINUTES,
    WEEKDAYS,
    Consultant,
    Contact,
    Location,
    Pin,
    Point,
    Provider,
    Request,
    Scenario,
    TimeOfDay,
    TravelSettings,
    Unavailability,
    Window,
    Youth,
)
from matcher.scenario.writer import (
    scenario_to_dict,
    scenario_yaml_text,
    write_scenario_json,
    write_scenario_yaml,
)
from matcher.travel import minutes_matrix

__all__ = [
    "REGIONS",
    "Municipality",
    "describe",
    "generate_scenario",
    "load_municipalities",
    "main_generate",
    "scenario_yaml_text",
    "write_scenario_json",
    "write_scenario_yaml",
]

REGIONS: dict[str, str] = {"limburg": "limburg_gemeenten.csv", "nl": "nl_plaatsen.csv"}

SPEED_KMH = 60.0
DETOUR_FACTOR = 1.3
GRID = 15  # minutes; every generated time lies on this grid

PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("fier", "Fier", "FIER"),
    ("xonar", "Xonar", "XON"),
    ("sjsj", "SJSJ", "SJSJ"),
)

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


def _subtract(windows: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    for s, e in windows:
        if cut[1] <= s or cut[0] >= e:
            out.append((s, e))
            continue
        if s < cut[0]:
            out.append((s, cut[0]))
        if cut[1] < e:
            out.append((cut[1], e))
    return out


class _Generator:
    """One generation run; holds the random stream and the partial scenario."""

    def __init__(
        self,
        seed: int,
        region: str,
        week: str,
        *,
        weekly_caps: bool,
        part_time_share: float,
        week_cap_per_day: tuple[float, float],
        capped_share: float,
    ) -> None:
        self.rng = random.Random(seed)
        self.towns = load_municipalities(region)
        year, wk = (int(x) for x in re.fullmatch(r"(\d{4})-W(\d{2})", week).groups())  # type: ignore[union-attr]
        monday = dt.date.fromisocalendar(year, wk, 1)
        self.days = [monday + dt.timedelta(days=i) for i in range(5)]
        self.weekday_of = [d.weekday() for d in self.days]
        self.weekly_caps = weekly_caps
        self.part_time_share = part_time_share
        self.week_cap_per_day = week_cap_per_day
        self.capped_share = capped_share
        self.consultants: list[_Consultant] = []
        self.locations: list[_Location] = []
        self.youths: list[_Youth] = []
        self.requests: list[_Request] = []
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()
        self.used_location_names: set[str] = set()
        self.travel = np.zeros((0, 0), dtype=np.int64)

    # People -------------------------------------------------------------------------------
    def person(self, female: bool | None = None) -> tuple[str, bool]:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.72
        for _ in range(200):
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            name = f"{first} {rng.choice(LAST_NAMES)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name, female

    def email(self, name: str, domain: str) -> str:
        first, _, last = name.partition(" ")
        local = f"{first[0].lower()}.{_slug(last)}"
        candidate, k = f"{local}@{domain}", 2
        while candidate in self.used_emails:
            candidate, k = f"{local}{k}@{domain}", k + 1
        self.used_emails.add(candidate)
        return candidate

    def place(self, town: Municipality, spread: float = 1.0) -> tuple[float, float]:
        rng = self.rng
        lat = town.lat + rng.uniform(-0.015, 0.015) * spread
        lon = town.lon + rng.uniform(-0.025, 0.025) * spread
        return round(lat, 4), round(lon, 4)

    def town(self, towns: Sequence[Municipality] | None = None) -> Municipality:
        pool = towns if towns is not None else self.towns
        return self.rng.choices(pool, weights=[BIG_TOWNS.get(t.hoofdplaats, 1) for t in pool])[0]

    # Consultants --------------------------------------------------------------------------
    def make_consultants(self, n: int) -> None:
        rng = self.rng
        counters = {p: 0 for p, _, _ in PROVIDERS}
        width = max(2, len(str(math.ceil(n / len(PROVIDERS)))))
        for i in range(n):
            pid, _pname, code = PROVIDERS[i % len(PROVIDERS)]
            counters[pid] += 1
            name, female = self.person()
            email = self.email(name, f"{pid}.example")
            lat, lon = self.place(self.town(), spread=1.5)
            profile = SKILL_PROFILES[pid]
            skills = {s for s, p in sorted(profile.items()) if rng.random() < p}
            while len(skills) < 2:
                skills.add(rng.choice(sorted(profile)))
            if female:
                skills.add("vrouw")
            c = _Consultant(
                id=f"C-{code}-{counters[pid]:0{width}d}",
                provider=pid,
                name=name,
                email=email,
                female=female,
                lat=lat,
                lon=lon,
                skills=frozenset(skills),
                weekly=[],
                dated=[],
                off=[],
            )
            self.make_availability(c)
            self.consultants.append(c)

    def make_availability(self, c: _Consultant) -> None:
        rng = self.rng
        start = rng.choice([480, 510, 510, 540])
        end = rng.choice([990, 1020, 1020, 1050])
        all_days = list(range(len(self.days)))
        part_time = rng.random() < self.part_time_share
        workdays = sorted(rng.sample(all_days, rng.choice([3, 4, 4]))) if part_time else all_days
        windows = {d: (start, end) for d in workdays}
        if rng.random() < 0.25:  # one late shift, for visits after school
            windows[rng.choice(workdays)] = (12 * 60, 20 * 60)
        if part_time and rng.random() < 0.4:  # one half day
            d = rng.choice(workdays)
            windows[d] = (start, 12 * 60 + 30) if rng.random() < 0.5 else (13 * 60, end)
        c.weekly = sorted((self.weekday_of[d], s, e) for d, (s, e) in windows.items())
        if rng.random() < 0.15:  # an extra session on one date
            free = [d for d in all_days if d not in windows]
            if free:
                d = rng.choice(free)
                c.dated.append((d, 9 * 60, 13 * 60) if rng.random() < 0.5 else (d, 13 * 60, end))
            else:
                early = [d for d in workdays if windows[d][1] <= 17 * 60 + 30]
                if early:
                    c.dated.append((rng.choice(early), 18 * 60 + 30, 21 * 60))
        r = rng.random()
        if r < 0.12:  # sick for a day
            c.off.append((rng.choice(workdays), 0, DAY_MINUTES))
        elif r < 0.17:  # two days of leave
            d = rng.randrange(len(all_days) - 1)
            c.off.extend([(d, 0, DAY_MINUTES), (d + 1, 0, DAY_MINUTES)])
        elif r < 0.30:  # an appointment or training for part of a day
            d = rng.choice(workdays)
            s, e = windows[d]
            if e - s >= 300:
                if rng.random() < 0.5:
                    c.off.append((d, s, s + rng.choice([120, 180])))
                else:
                    c.off.append((d, s + 180, s + 300))
        c.tours = self.tours_of(c)
        if not c.tours:  # never leave a consultant without any tour
            c.off = []
            c.tours = self.tours_of(c)
        if rng.random() < self.capped_share:
            c.day_cap = rng.choice([3, 3, 4, 4, 4, 5])
        if self.weekly_caps and rng.random() < self.capped_share:
            days_worked = len({d for d, _, _ in c.tours})
            lo, hi = self.week_cap_per_day
            c.week_cap = max(2, round(days_worked * rng.uniform(lo, hi)))

    def tours_of(self, c: _Consultant) -> list[tuple[int, int, int]]:
        tours: list[tuple[int, int, int]] = []
        for d, wd in enumerate(self.weekday_of):
            wins = sorted(
                [(s, e) for w, s, e in c.weekly if w == wd]
                + [(s, e) for x, s, e in c.dated if x == d]
            )
            for x, s, e in c.off:
                if x == d:
                    wins = _subtract(wins, (s, e))
            tours.extend((d, s, e) for s, e in wins if e > s)
        return tours

    # Locations and youths -----------------------------------------------------------------
    def unique_name(self, make: Any) -> str:
        for _ in range(50):
            name = str(make())
            if name not in self.used_location_names:
                break
        k = 2
        base = name
        while name in self.used_location_names:
            name, k = f"{base} {k}", k + 1
        self.used_location_names.add(name)
        return name

    def make_location(self, towns: Sequence[Municipality]) -> _Location:
        rng = self.rng
        kind = _weighted(rng, [(k, v[1]) for k, v in KINDS.items()])
        code, _, (lo, hi) = KINDS[kind]
        town = self.town(towns)
        lat, lon = self.place(town)
        letter = town.hoofdplaats.lstrip("'s-")[0].upper()
        makers: dict[str, Any] = {
            "residentieel": lambda: f"Groep {rng.choice(GROUP_NAMES)}",
            "gezinshuis": lambda: f"Gezinshuis {rng.choice(GEZINSHUIS_NAMES)}",
            "pleegzorg": lambda: f"Pleeggezin {letter}-{rng.randint(1, 99):02d}",
            "jeugdzorgplus": lambda: f"Jeugdzorgplus {rng.choice(JZP_NAMES)}",
            "behandelgroep": lambda: f"Behandelgroep {rng.choice(BG_NAMES)}",
            "ambulant": lambda: f"Thuissituatie {letter}-{rng.randint(1, 99):02d}",
            "school": lambda: f"VSO {rng.choice(SCHOOL_NAMES)} {town.hoofdplaats}",
            "kantoor": lambda: f"Kantoor {rng.choice(PROVIDERS)[1]} {town.hoofdplaats}",
        }
        loc = _Location(
            id=f"L-{code}-{len(self.locations) + 1:03d}",
            name=self.unique_name(makers[kind]),
            kind=kind,
            gemeente=town.gemeente,
            lat=lat,
            lon=lon,
            room=rng.randint(lo, hi),
        )
        if (
            kind == "kantoor"
            or (kind == "school" and rng.random() < 0.5)
            or (kind == "behandelgroep" and rng.random() < 0.15)
        ):
            loc.confidential = False
        if not loc.confidential or rng.random() < 0.3:
            loc.address = f"{rng.choice(STREETS)} {rng.randint(1, 140)}, {town.hoofdplaats}"
        weekdays = sorted(set(self.weekday_of))
        if kind == "jeugdzorgplus":
            pattern = rng.choice(
                [[(600, 720), (810, 1020)], [(570, 990)], [(600, 960)], [(600, 720), (840, 1080)]]
            )
            loc.open = [(wd, s, e) for wd in weekdays for s, e in pattern]
        elif kind == "school":
            loc.open = [(wd, 510, 900) for wd in weekdays]
        elif kind == "kantoor":
            loc.open = [(wd, 510, 1020) for wd in weekdays]
        elif kind == "behandelgroep" and rng.random() < 0.3:
            loc.open = [(wd, 540, 1020) for wd in weekdays]
        if kind != "kantoor" and rng.random() < 0.7:
            name, _ = self.person()
            loc.contact = (name, self.email(name, CONTACT_DOMAINS[kind]))
        return loc

    def make_youths(self, n: int, monday: dt.date) -> None:
        rng = self.rng
        towns = self.reachable_towns()
        for _ in range(n):
            open_places = [i for i, loc in enumerate(self.locations) if loc.room > 0]
            if open_places and rng.random() < 0.45:
                li = rng.choice(open_places)
            else:
                self.locations.append(self.make_location(towns))
                li = len(self.locations) - 1
            loc = self.locations[li]
            loc.room -= 1
            urgency = _weighted(rng, URGENCIES)
            back = rng.randint(2, 9) if urgency == "crisis" else rng.randint(5, 28)
            gemeente = loc.gemeente if rng.random() < 0.75 else self.town().gemeente
            profile = (
                None if loc.kind in ("school", "jeugdzorgplus") else _weighted(rng, TIME_PROFILES)
            )
            excluded = []
            if rng.random() < 0.07:
                excluded = sorted(
                    {rng.choice(self.consultants).id for _ in range(rng.choice([1, 1, 2]))}
                )
            self.youths.append(
                _Youth(
                    number=0,
                    location=li,
                    gemeente=gemeente,
                    signalled_on=monday - dt.timedelta(days=back),
                    urgency=urgency,
                    time_profile=profile,
                    excluded=excluded,
                )
            )
        width = 4 if n < 9000 else len(str(n)) + 1
        numbers = sorted(rng.sample(range(1, 10**width), n))
        for y, number in zip(self.youths, numbers, strict=True):
            y.number = number
            y.code = f"Y-{self.days[0].year}-{number:0{width}d}"

    def reachable_towns(self) -> list[Municipality]:
        """Towns within two hours' drive of some consultant base (all of Limburg)."""
        if not self.consultants:
            return list(self.towns)
        lats = [t.lat for t in self.towns] + [c.lat for c in self.consultants]
        lons = [t.lon for t in self.towns] + [c.lon for c in self.consultants]
        m = minutes_matrix(lats, lons, SPEED_KMH, DETOUR_FACTOR)[
            : len(self.towns), len(self.towns) :
        ]
        near = [t for t, row in zip(self.towns, m, strict=True) if int(row.min()) <= 120]
        return near or list(self.towns)

    def compute_travel(self) -> None:
        nl = len(self.locations)
        lats = [loc.lat for loc in self.locations] + [c.lat for c in self.consultants]
        lons = [loc.lon for loc in self.locations] + [c.lon for c in self.consultants]
        self.travel = minutes_matrix(lats, lons, SPEED_KMH, DETOUR_FACTOR)[:nl, nl:]

    # Requests -----------------------------------------------------------------------------
    def intervals(
        self, ci: int, li: int, duration: int, first: int, last: int, tod: tuple[int, int] | None
    ) -> dict[int, list[tuple[int, int]]]:
        """Feasible visit starts ``[lo, hi]`` per day for consultant ``ci`` at location ``li``."""
        c = self.consultants[ci]
        loc = self.locations[li]
        t = int(self.travel[li, ci])
        ts, te = tod if tod is not None else (0, DAY_MINUTES)
        out: dict[int, list[tuple[int, int]]] = {}
        for d, s, e in c.tours:
            if d < first or d > last:
                continue
            opens = (
                [(0, DAY_MINUTES)]
                if loc.open is None
                else [(os_, oe) for wd, os_, oe in loc.open if wd == self.weekday_of[d]]
            )
            for os_, oe in opens:
                lo = max(s + t, os_, ts)
                hi = min(e - t - duration, oe - duration, te - duration)
                if lo <= hi:
                    out.setdefault(d, []).append((lo, hi))
        return out

    def candidates(self, skills: Sequence[str], excluded: Sequence[str]) -> list[int]:
        need = frozenset(skills)
        out = [
            i for i, c in enumerate(self.consultants) if need <= c.skills and c.id not in excluded
        ]
        self.rng.shuffle(out)
        return out

    def witness_single(
        self, yi: int, skills: Sequence[str], duration: int, first: int, last: int, tod: Any
    ) -> tuple[list[int], dict[int, list[tuple[int, int]]]] | None:
        y = self.youths[yi]
        for ci in self.candidates(skills, y.excluded):
            iv = self.intervals(ci, y.location, duration, first, last, tod)
            if iv:
                return [ci], iv
        return None

    def witness_joint(
        self,
        yi: int,
        roles: Sequence[Sequence[str]],
        duration: int,
        first: int,
        last: int,
        tod: Any,
    ) -> tuple[list[int], dict[int, list[tuple[int, int]]]] | None:
        y = self.youths[yi]
        lists = []
        for role in roles:
            found = []
            for ci in self.candidates(role, y.excluded)[:25]:
                iv = self.intervals(ci, y.location, duration, first, last, tod)
                if iv:
                    found.append((ci, iv))
            lists.append(found)
        for a, iva in lists[0]:
            for b, ivb in lists[1]:
                if a == b:
                    continue
                common: dict[int, list[tuple[int, int]]] = {}
                for d, xs in iva.items():
                    for lo1, hi1 in xs:
                        for lo2, hi2 in ivb.get(d, []):
                            lo, hi = max(lo1, lo2), min(hi1, hi2)
                            if lo <= hi:
                                common.setdefault(d, []).append((lo, hi))
                if common:
                    return [a, b], common
        return None

    def make_requests(self, n: int, joint_share: float, pin_share: float) -> None:
        rng = self.rng
        ny = len(self.youths)
        owners = list(range(ny)) + [rng.randrange(ny) for _ in range(n - ny)]
        owners.sort(key=lambda yi: self.youths[yi].number)
        joint_idx = set(rng.sample(range(n), round(joint_share * n))) if n else set()
        pin_idx = set(rng.sample(range(n), round(pin_share * n))) if n else set()
        pinned_consultants: set[int] = set()
        last_day = len(self.days) - 1
        for k, yi in enumerate(owners):
            y = self.youths[yi]
            loc = self.locations[y.location]
            first, last = 0, last_day
            r = rng.random()
            if y.urgency == "crisis" and r < 0.7:
                last = rng.choice([0, 1, 1, 2])
            elif r < 0.1:
                first = rng.randint(1, 3)
            elif r < 0.2:
                last = rng.randint(1, 3)
            elif r < 0.26:
                first = rng.randint(0, 2)
                last = rng.randint(first + 1, last_day)
            tod = y.time_profile
            if tod is None and loc.open is None and rng.random() < 0.04:
                tod = rng.choice([(9 * 60, 12 * 60), (13 * 60, 16 * 60 + 30)])
            found = None
            roles: list[tuple[str, ...]] = []
            duration = 60
            if k in joint_idx:
                for _ in range(4):
                    pair = _weighted(rng, JOINT_NEEDS)
                    roles = [tuple(sorted(r)) for r in pair]
                    duration = _weighted(rng, JOINT_DURATIONS)
                    for f, l_, t in ((first, last, tod), (first, last, None), (0, last_day, None)):
                        found = self.witness_joint(yi, roles, duration, f, l_, t)
                        if found:
                            first, last, tod = f, l_, t
                            break
                    if found:
                        break
            if not found:
                for attempt in range(5):
                    need = list(_weighted(rng, SINGLE_NEEDS))
                    if loc.kind == "jeugdzorgplus" and rng.random() < 0.5:
                        need = sorted({*need, "jeugdzorgplus"})
                    if attempt == 4:  # fall back to skills somebody actually has
                        cands = self.candidates([], y.excluded)
                        if cands:
                            own = sorted(self.consultants[cands[0]].skills - {"vrouw"})
                            need = own[:1]
                    roles = [tuple(sorted(need))]
                    duration = _weighted(rng, DURATIONS)
                    for f, l_, t in ((first, last, tod), (first, last, None), (0, last_day, None)):
                        found = self.witness_single(yi, roles[0], duration, f, l_, t)
                        if found:
                            first, last, tod = f, l_, t
                            break
                    if found:
                        break
            witness = found[0] if found else []
            req = _Request(yi, roles, duration, first, last, tod, witness)
            if found and k in pin_idx and not pinned_consultants.intersection(witness):
                req.pin = self.make_pin(found[0], found[1], duration)
                pinned_consultants.update(witness)
            self.requests.append(req)

    def make_pin(
        self, witness: list[int], iv: dict[int, list[tuple[int, int]]], duration: int
    ) -> Pin:
        rng = self.rng
        consultants = tuple(self.consultants[ci].id for ci in witness)
        day: dt.date | None = None
        start: int | None = None
        if rng.random() < 0.7:
            d = rng.choice(sorted(iv))
            day = self.days[d]
            if rng.random() < 0.6:
                lo, hi = rng.choice(iv[d])
                starts = list(range(_grid_up(lo), hi + 1, GRID)) or [lo]
                start = rng.choice(starts)
        return Pin(consultants, day, start)

    def set_previous(self) -> None:
        rng = self.rng
        first_req: dict[int, _Request] = {}
        for r in self.requests:
            first_req.setdefault(r.youth, r)
        for yi, y in enumerate(self.youths):
            if rng.random() >= 0.2:
                continue
            req = first_req.get(yi)
            if req and req.witness and rng.random() < 0.6:
                cid = self.consultants[rng.choice(req.witness)].id
            else:
                cid = rng.choice(self.consultants).id
            if cid not in y.excluded:
                y.previous = cid

    # Output -------------------------------------------------------------------------------
    def window(self, wd_or_day: int, s: int, e: int, dated: bool) -> Window:
        if dated:
            return Window(s, e, date=self.days[wd_or_day])
        return Window(s, e, weekday=WEEKDAYS[wd_or_day])

    def scenario(self, name: str, week: str) -> Scenario:
        """The generated week as a :class:`~matcher.scenario.domain.Scenario`."""
        order = {pid: k for k, (pid, _, _) in enumerate(PROVIDERS)}
        consultants = tuple(
            Consultant(
                id=c.id,
                provider=c.provider,
                name=c.name,
                email=c.email,
                base=Point(c.lat, c.lon),
                skills=c.skills,
                max_visits_per_day=c.day_cap,
                max_visits_per_week=c.week_cap,
                availability=tuple(
                    [self.window(w, s, e, False) for w, s, e in c.weekly]
                    + [self.window(d, s, e, True) for d, s, e in c.dated]
                ),
                unavailable=tuple(Unavailability(self.days[d], s, e) for d, s, e in c.off),
            )
            for c in sorted(self.consultants, key=lambda c: (order[c.provider], c.id))
        )
        used_locations = {y.location for y in self.youths}
        locations = tuple(
            Location(
                id=loc.id,
                name=loc.name,
                kind=loc.kind,
                gemeente=loc.gemeente,
                lat=loc.lat,
                lon=loc.lon,
                address=loc.address,
                confidential=loc.confidential,
                open=(
                    None
                    if loc.open is None
                    else tuple(self.window(wd, s, e, False) for wd, s, e in loc.open)
                ),
                contact=None if loc.contact is None else Contact(*loc.contact),
            )
            for i, loc in enumerate(self.locations)
            if i in used_locations
        )
        youths = tuple(
            sorted(
                (
                    Youth(
                        id=y.code,
                        location=self.locations[y.location].id,
                        gemeente=y.gemeente,
                        signalled_on=y.signalled_on,
                        urgency=y.urgency,
                        previous_consultant=y.previous,
                        excluded_consultants=frozenset(y.excluded),
                    )
                    for y in self.youths
                ),
                key=lambda y: y.id,
            )
        )
        width = max(3, len(str(len(self.requests))))
        requests = tuple(
            Request(
                id=f"R-{k:0{width}d}",
                youth=self.youths[r.youth].code,
                roles=tuple(frozenset(role) for role in r.roles),
                duration_minutes=r.duration,
                earliest=self.days[r.first],
                latest=self.days[r.last],
                time_of_day=None if r.time_of_day is None else TimeOfDay(*r.time_of_day),
                pinned=r.pin,
            )
            for k, r in enumerate(self.requests, start=1)
        )
        return Scenario(
            name=name,
            days=tuple(self.days),
            providers=tuple(Provider(p, n) for p, n, _ in PROVIDERS),
            consultants=consultants,
            locations=locations,
            youths=youths,
            requests=requests,
            week=week,
            travel=TravelSettings(speed_kmh=int(SPEED_KMH), detour_factor=DETOUR_FACTOR),
        )


def generate_scenario(
    seed: int,
    n_requests: int,
    n_consultants: int,
    region: str = "limburg",
    *,
    week: str = "2026-W49",
    joint_share: float = 0.1,
    pin_share: float = 0.03,
    weekly_caps: bool = True,
    part_time_share: float = 0.35,
    week_cap_per_day: tuple[float, float] = (1.8, 2.8),
    capped_share: float = 0.85,
    youths_per_request: float = 0.8,
    name: str | None = None,
) -> dict[str, Any]:
    """Generate a realistic, seeded scenario document (``FORMAT.md`` version 1).

    Parameters
    ----------
    seed
        Seed of the random stream; the same arguments always give the identical document.
    n_requests, n_consultants
        Exact numbers of requests and consultants (consultants are spread round-robin over
        Fier, Xonar and SJSJ).
    region
        ``"limburg"`` (31 municipalities) or ``"nl"`` (larger towns of all provinces).
    week
        ISO week ``YYYY-Www``; the planning days are its Monday to Friday.
    joint_share
        Share of requests made joint visits (two roles); ``0`` for none.
    pin_share
        Share of requests given a (feasible) pin; ``0`` for none.
    weekly_caps
        Whether consultants get ``max_visits_per_week``.
    part_time_share
        Share of consultants working three or four days.
    week_cap_per_day
        ``max_visits_per_week`` is the number of working days times a uniform draw from
        this range; lower values make the week tighter.
    capped_share
        Share of consultants with a ``max_visits_per_day`` (and, with ``weekly_caps``, a
        ``max_visits_per_week``); the others are unlimited.
    youths_per_request
        Number of youths as a share of the requests (the rest are second visits).
    name
        Scenario name; a Dutch default naming the region, week and seed.

    Returns
    -------
    dict
        A plain document: dates ``"YYYY-MM-DD"``, times ``"HH:MM"``.
    """
    if n_requests < 0 or n_consultants < 1:
        raise ValueError("need n_requests >= 0 and n_consultants >= 1")
    if not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise ValueError(f"week {week!r} is not an ISO week like 2026-W49")
    g = _Generator(
        seed,
        region,
        week,
        weekly_caps=weekly_caps,
        part_time_share=part_time_share,
        week_cap_per_day=week_cap_per_day,
        capped_share=capped_share,
    )
    g.make_consultants(n_consultants)
    n_youths = min(n_requests, max(1, round(n_requests * youths_per_request))) if n_requests else 0
    g.make_youths(n_youths, g.days[0])
    g.compute_travel()
    if n_requests:
        g.make_requests(n_requests, joint_share, pin_share)
    g.set_previous()
    if name is None:
        place = "Limburg" if region == "limburg" else "Nederland"
        name = f"{place} week {int(week[-2:])} (gegenereerd, seed {seed})"
    return scenario_to_dict(g.scenario(name, week), compact=True)


def describe(doc: dict[str, Any]) -> str:
    """One line of counts of a scenario document."""
    reqs = doc["requests"]
    joint = sum(1 for r in reqs if "roles" in r and len(r["roles"]) > 1)
    pins = sum(1 for r in reqs if "pinned" in r)
    return (
        f"{len(doc['consultants'])} consultants, {len(doc['locations'])} locations, "
        f"{len(doc['youths'])} youths, {len(reqs)} requests ({joint} joint, {pins} pinned)"
    )


def main_generate(seed: int, requests: int, consultants: int, region: str, out: Path | str) -> int:
    """Entry point of ``matcher generate``: write a generated scenario to ``out``.

    The format follows the extension: ``.yaml``/``.yml`` or ``.json``.

    Returns
    -------
    int
        ``0`` on success, ``2`` on bad arguments.
    """
    path = Path(out)
    ext = path.suffix.lower()
    if ext not in (".yaml", ".yml", ".json"):
        print(f"error: --out {path}: use a .yaml, .yml or .json file name", file=sys.stderr)
        return 2
    try:
        doc = generate_scenario(seed, requests, consultants, region)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if ext == ".json":
        write_scenario_json(doc, path)
    else:
        header = (
            f"Generated scenario: {doc['name']}.\n"
            f"Region {region}, {describe(doc)}.\n"
            "All names, case codes, addresses and e-mail addresses are invented.\n"
            f"Regenerate: matcher generate --seed {seed} --requests {requests} "
            f"--consultants {consultants} --region {region} --out {path.name}"
        )
        write_scenario_yaml(doc, path, header)
    print(f"{path}: {describe(doc)}")
    return 0
