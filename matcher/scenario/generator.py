"""The second half of a generation run: requests around witnesses, pins, previous
consultants, and the generated week as a :class:`~matcher.scenario.domain.Scenario`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

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
from matcher.scenario.generator_data import (
    DETOUR_FACTOR,
    DURATIONS,
    GRID,
    JOINT_DURATIONS,
    JOINT_NEEDS,
    PROVIDERS,
    SINGLE_NEEDS,
    SPEED_KMH,
    _grid_up,
    _Request,
    _weighted,
)
from matcher.scenario.generator_people import _People


class _Generator(_People):
    """One generation run; holds the random stream and the partial scenario."""

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

    def domain_consultants(self) -> tuple[Consultant, ...]:
        """The consultants as domain objects, by provider (in :data:`PROVIDERS` order) and id."""
        order = {pid: k for k, (pid, _, _) in enumerate(PROVIDERS)}
        return tuple(
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

    def scenario(self, name: str, week: str) -> Scenario:
        """The generated week as a :class:`~matcher.scenario.domain.Scenario`."""
        consultants = self.domain_consultants()
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
