"""The validator's checks across entities: references, pins and the objective's range.

Run once every entity has been read (:mod:`matcher.scenario.entities`): every reference
names a defined id, a pin fits its request (one consultant per role, the skills, no
exclusion, available at the pinned date and start, inside earliest/latest), and the worst
objective any plan could have stays exact in 64 bits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from matcher.messages import Joined, Message
from matcher.scenario.domain import (
    DAY_MINUTES,
    Consultant,
    Request,
    Tour,
    Weights,
    Youth,
    base_point,
    tours_of,
)
from matcher.scenario.field_checks import FieldChecker, id_choices
from matcher.scenario.problems import show
from matcher.scenario.schema import MAX_OBJECTIVE


@dataclass
class Known:
    """The ids a document defines, each with the path of its entity (and the entity, when
    it could be read)."""

    days: tuple[dt.date, ...]
    providers: dict[str, str]
    consultants: dict[str, tuple[str, Consultant | None]]
    locations: dict[str, str]
    youths: dict[str, tuple[str, Youth | None]]
    _choices: dict[int, Message] = field(default_factory=dict)
    _tours: dict[str, dict[dt.date, list[Tour]]] = field(default_factory=dict)

    def choices(self, known: dict[str, Any]) -> Message:
        """What is allowed for a reference into ``known`` (each list sorted once)."""
        if id(known) not in self._choices:
            self._choices[id(known)] = id_choices(known)
        return self._choices[id(known)]

    def tours_on(self, p: Consultant, day: dt.date) -> list[Tour]:
        """The consultant's tours on ``day`` (each consultant's tours made once)."""
        if p.id not in self._tours:
            self._tours[p.id] = defaultdict(list)
            for t in tours_of(p, self.days):
                self._tours[p.id][t.date].append(t)
        return self._tours[p.id].get(day, [])


def cross_check(
    c: FieldChecker,
    known: Known,
    requests: list[tuple[str, Request]],
    raw_consultants: list[Any],
    overrides: tuple[tuple[str, str, int], ...],
) -> None:
    """Every reference between entities, and every pin against its request."""
    for i, raw in enumerate(raw_consultants):
        if (
            isinstance(raw, dict)
            and isinstance(raw.get("provider"), str)
            and raw["provider"] not in known.providers
        ):
            c.add(
                f"consultants[{i}].provider",
                "not_a_provider_id",
                known.choices(known.providers),
                value=show(raw["provider"]),
            )
    _check_youths(c, known)
    known_points = set(known.locations) | {base_point(cid) for cid in known.consultants}
    for k, (a, b, _m) in enumerate(overrides):
        for column, point in (("from", a), ("to", b)):
            if point not in known_points:  # the file's text is not repeated
                c.add(
                    "travel.matrix",
                    f"matrix_unknown_{column}_point",
                    "allow_point_id",
                    row=k + 1,
                )
    for path, req in requests:
        youth_entry = known.youths.get(req.youth)
        if youth_entry is None:
            c.add(
                f"{path}.youth",
                "not_a_youth_id",
                known.choices(known.youths),
                value=show(req.youth),
            )
        if req.pinned is not None:
            _check_pin(c, known, path, req, youth_entry[1] if youth_entry else None)


def _check_youths(c: FieldChecker, known: Known) -> None:
    consultants = known.consultants
    for path, youth in known.youths.values():
        if youth is None:
            continue
        if youth.location not in known.locations:
            c.add(
                f"{path}.location",
                "not_a_location_id",
                known.choices(known.locations),
                value=show(youth.location),
            )
        if youth.previous_consultant is not None and youth.previous_consultant not in consultants:
            c.add(
                f"{path}.previous_consultant",
                "not_a_consultant_id",
                known.choices(consultants),
                value=show(youth.previous_consultant),
            )
        for cid in sorted(youth.excluded_consultants):
            if cid not in consultants:
                c.add(
                    f"{path}.excluded_consultants",
                    "not_a_consultant_id",
                    known.choices(consultants),
                    value=show(cid),
                )


def _check_pin(c: FieldChecker, known: Known, path: str, req: Request, youth: Youth | None) -> None:
    assert req.pinned is not None
    pin = req.pinned
    pp = f"{path}.pinned"
    pinned = []
    for cid in pin.consultants:
        entry = known.consultants.get(cid)
        if entry is None:
            c.add(
                f"{pp}.consultants",
                "not_a_consultant_id",
                known.choices(known.consultants),
                value=show(cid),
            )
        elif entry[1] is not None:
            pinned.append(entry[1])
    if len(pin.consultants) != len(req.roles):
        c.add(
            f"{pp}.consultants",
            "pin_count_mismatch",
            "allow_one_per_role",
            count=len(pin.consultants),
            roles=len(req.roles),
        )
        return
    if len(pinned) != len(pin.consultants):
        return
    if not roles_matchable(req.roles, pinned):
        have = [
            Message("consultant_skills", consultant=p.id, skills=sorted(p.skills))
            if p.skills
            else Message("consultant_no_skills", consultant=p.id)
            for p in pinned
        ]
        need = " + ".join("[" + ", ".join(sorted(r)) + "]" for r in req.roles)
        c.add(
            f"{pp}.consultants",
            "pinned_lacks_skills",
            Message("allow_fill_roles", roles=need),
            have=Joined(tuple(have)),
        )
    if youth is not None:
        for p in pinned:
            if p.id in youth.excluded_consultants:
                c.add(
                    f"{pp}.consultants",
                    "pinned_excluded",
                    "allow_not_excluded",
                    value=show(p.id),
                    youth=youth.id,
                )
    _check_pin_times(c, known, pp, req, pinned)


def _check_pin_times(
    c: FieldChecker, known: Known, pp: str, req: Request, pinned: list[Consultant]
) -> None:
    assert req.pinned is not None
    pin = req.pinned
    if pin.date is not None and pin.date in known.days:
        for p in pinned:
            on_day = known.tours_on(p, pin.date)
            if not on_day:
                c.add(
                    f"{pp}.date",
                    "pin_consultant_unavailable_date",
                    "allow_pin_date",
                    date=pin.date,
                    consultant=p.id,
                )
            elif pin.start is not None and not any(
                t.start <= pin.start and pin.start + req.duration_minutes <= t.end for t in on_day
            ):
                c.add(
                    f"{pp}.start",
                    "pin_consultant_unavailable_time",
                    "allow_pin_start",
                    window=(pin.start, pin.start + req.duration_minutes),
                    consultant=p.id,
                )
    if pin.date is not None and not req.earliest <= pin.date <= req.latest:
        c.add(
            f"{pp}.date",
            "pinned_outside_dates",
            Message("allow_dates_between", first=req.earliest, last=req.latest),
            date=pin.date,
        )


def check_objective_range(
    c: FieldChecker,
    days: tuple[dt.date, ...],
    weights: Weights,
    factors: dict[str, int],
    consultants: list[Consultant],
    youths: dict[str, tuple[str, Youth | None]],
    requests: list[Request],
) -> None:
    """The worst objective any plan could have stays below :data:`MAX_OBJECTIVE`.

    Each weight and factor is capped on its own; this catches what only their product
    with the week's size or a very old ``signalled_on`` can overflow.
    """
    if not days:
        return
    travel = weights.travel_minute * DAY_MINUTES * len(days) * len(consultants)
    waiting = unassigned = 0
    for req in requests:
        entry = youths.get(req.youth)
        youth = entry[1] if entry else None
        if youth is None:
            continue
        factor = factors.get(youth.urgency, 0)
        waited = max(0, (days[-1] - youth.signalled_on).days)
        visit = weights.waiting_day * factor * waited + weights.continuity
        waiting += max(visit - weights.unassigned * factor, 0)
        unassigned += weights.unassigned * factor
    worst = travel + waiting + unassigned
    if worst <= MAX_OBJECTIVE:
        return
    blame = max(
        (travel, "weights.travel_minute"),
        (waiting, "weights.waiting_day"),
        (unassigned, "weights.unassigned"),
    )[1]
    c.add(
        blame,
        "objective_too_large",
        Message("allow_objective_below", max=f"{MAX_OBJECTIVE:.2e}"),
        worst=f"{worst:.2e}",
        requests=len(requests),
        consultants=len(consultants),
    )


def roles_matchable(roles: Iterable[frozenset[str]], people: list[Consultant]) -> bool:
    """Whether the roles can be matched one-to-one to these consultants (bipartite matching)."""
    wanted = list(roles)
    match: dict[int, int] = {}

    def augment(r: int, seen: set[int]) -> bool:
        for k, person in enumerate(people):
            if k in seen or not person.has_skills(wanted[r]):
                continue
            seen.add(k)
            if k not in match or augment(match[k], seen):
                match[k] = r
                return True
        return False

    return len(wanted) <= len(people) and all(augment(r, set()) for r in range(len(wanted)))
