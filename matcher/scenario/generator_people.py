"""The first half of a generation run: consultants with availability, locations and youths."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.scenario.domain import (
    DAY_MINUTES,
    subtract_interval,
)
from matcher.scenario.generator_data import (
    BG_NAMES,
    BIG_TOWNS,
    CONTACT_DOMAINS,
    DETOUR_FACTOR,
    FEMALE_NAMES,
    GEZINSHUIS_NAMES,
    GROUP_NAMES,
    JZP_NAMES,
    KINDS,
    LAST_NAMES,
    MALE_NAMES,
    PROVIDERS,
    SCHOOL_NAMES,
    SKILL_PROFILES,
    SPEED_KMH,
    STREETS,
    TIME_PROFILES,
    URGENCIES,
    Municipality,
    _Consultant,
    _Location,
    _Request,
    _slug,
    _weighted,
    _Youth,
    load_municipalities,
)
from matcher.travel import minutes_matrix


class _People:
    """One generation run's random stream and its people and places (see :class:`_Generator`)."""

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
                    wins = subtract_interval(wins, s, e)
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
