"""The rolling weekly cycle: the next consult round made from the current one.

:func:`next_round` is what "Nieuwe week" (and ``matcher round next``) does with the current
round and the plan that staff carried out (the round's published plan):

- the planning days become the next ISO week's Monday to Friday;
- availability: weekday windows carry over; dated windows and absences stay only where
  they fall inside the new week (absences entered ahead of time);
- requests that the plan left open carry over (dates widened to the new week, pins
  dropped), with the youth's ``signalled_on`` unchanged, so waiting keeps counting;
- ``previous_consultant`` of each youth becomes a consultant of the youth's last visit;
- trajectories continue: a youth's series of consults (:class:`Trajectory`) gets its next
  request when a visit of it has taken place, inside the gap the trajectory allows;
- youths and locations that nothing refers to any more are left out.

The function is pure (a scenario and a plan in, a scenario and the updated trajectories
out); :mod:`matcher.storage.trajectories` stores trajectories between rounds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher.scenario.domain import (
    Plan,
    Request,
    Scenario,
    Unavailability,
    Visit,
    Window,
    Youth,
)

__all__ = ["NextRound", "Trajectory", "next_round", "next_week", "round_name", "trajectory_request"]


@dataclass(frozen=True)
class Trajectory:
    """A youth's series of consults.

    Attributes
    ----------
    youth
        The youth's case code.
    consults
        How many consults the series has in all.
    done
        How many have taken place.
    min_gap_days, max_gap_days
        Days between two consults (the next one lies in this gap after the last).
    duration_minutes, roles
        Of each consult (one skill set per consultant).
    preferred_consultant
        Who should see the youth, if anyone (becomes ``previous_consultant``).
    last_visit
        Date of the last consult that took place, if any.
    """

    youth: str
    consults: int
    min_gap_days: int
    max_gap_days: int
    duration_minutes: int
    roles: tuple[frozenset[str], ...] = (frozenset(),)
    preferred_consultant: str | None = None
    done: int = 0
    last_visit: dt.date | None = None

    @property
    def finished(self) -> bool:
        return self.done >= self.consults

    def request_id(self) -> str:
        """The id of the request of its next consult (stable: case code and number)."""
        return f"T-{self.youth}-{self.done + 1}"


@dataclass(frozen=True)
class NextRound:
    """The next round and what changed for the trajectories."""

    scenario: Scenario
    trajectories: tuple[Trajectory, ...]
    carried: tuple[str, ...]
    """Ids of the open requests carried over."""
    created: tuple[str, ...]
    """Ids of the trajectory requests created."""


def next_week(week: str | None, days: Sequence[dt.date]) -> tuple[str, tuple[dt.date, ...]]:
    """The ISO week after ``week`` (or after the last planning day) and its Monday-Friday."""
    if week is not None:
        year, num = (int(x) for x in week.split("-W"))
        monday = dt.date.fromisocalendar(year, num, 1) + dt.timedelta(days=7)
    else:
        last = max(days)
        monday = last - dt.timedelta(days=last.weekday()) + dt.timedelta(days=7)
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", tuple(monday + dt.timedelta(days=i) for i in range(5))


def round_name(name: str, old_week: str | None, new_week: str) -> str:
    """The new round's name: the week number in the old name replaced, else appended."""
    new_num = int(new_week.split("-W")[1])
    if old_week is not None:
        old_num = int(old_week.split("-W")[1])
        pattern = re.compile(rf"(?i)(week\s*){old_num}\b")
        if pattern.search(name):
            return pattern.sub(lambda m: f"{m.group(1)}{new_num}", name, count=1)
    return f"{name} (week {new_num})"


def _within(days: Sequence[dt.date], day: dt.date | None) -> bool:
    return day is not None and days[0] <= day <= days[-1]


def _carry_availability(windows: Iterable[Window], days: Sequence[dt.date]) -> tuple[Window, ...]:
    return tuple(w for w in windows if w.date is None or _within(days, w.date))


def _carry_absences(
    absences: Iterable[Unavailability], days: Sequence[dt.date]
) -> tuple[Unavailability, ...]:
    return tuple(u for u in absences if _within(days, u.date))


def next_round(
    scenario: Scenario,
    plan: Plan,
    trajectories: Iterable[Trajectory] = (),
    *,
    name: str | None = None,
) -> NextRound:
    """The round after ``scenario``, given the ``plan`` that was carried out.

    Parameters
    ----------
    scenario
        The current round.
    plan
        Its published (carried out) plan: its visits took place, its open requests wait.
    trajectories
        The youths' series of consults (updated and returned).
    name
        The new round's name (default: :func:`round_name`).
    """
    week, days = next_week(scenario.week, scenario.days)
    visits_by_youth: dict[str, list[Visit]] = {}
    for v in plan.visits:
        visits_by_youth.setdefault(v.youth, []).append(v)
    updated, created = _continue_trajectories(scenario, plan, trajectories, visits_by_youth, days)
    planned = {v.request for v in plan.visits}
    carried = [
        dataclasses.replace(r, earliest=days[0], latest=days[-1], pinned=None)
        for r in scenario.requests
        if r.id not in planned
    ]
    carried_ids = {r.id for r in carried}
    requests = carried + [r for r in created if r.id not in carried_ids]
    youths = _next_youths(scenario, requests, updated, visits_by_youth)
    youth_ids = {y.id for y in youths}
    requests = [r for r in requests if r.youth in youth_ids]
    needed_locations = {y.location for y in youths}
    consultants = tuple(
        dataclasses.replace(
            c,
            availability=_carry_availability(c.availability, days),
            unavailable=_carry_absences(c.unavailable, days),
        )
        for c in scenario.consultants
    )
    new = dataclasses.replace(
        scenario,
        name=name or round_name(scenario.name, scenario.week, week),
        week=week,
        days=days,
        consultants=consultants,
        locations=tuple(loc for loc in scenario.locations if loc.id in needed_locations),
        youths=tuple(youths),
        requests=tuple(requests),
        now=None,
        published=(),
        source=None,
    )
    return NextRound(
        new,
        tuple(updated),
        tuple(r.id for r in carried if r.youth in youth_ids),
        tuple(r.id for r in created if r.youth in youth_ids),
    )


def _continue_trajectories(
    scenario: Scenario,
    plan: Plan,
    trajectories: Iterable[Trajectory],
    visits_by_youth: dict[str, list[Visit]],
    days: Sequence[dt.date],
) -> tuple[list[Trajectory], list[Request]]:
    """Count the consults of each trajectory that took place, then create the next ones.

    Returns the updated trajectories and the new requests (one per trajectory at most: none
    while its next consult is still waiting in ``scenario`` or it is finished).
    """
    traj_requests = {r.id for r in scenario.requests if r.id.startswith("T-")}
    updated: list[Trajectory] = []
    created: list[Request] = []
    for t in trajectories:
        held = [
            v
            for v in visits_by_youth.get(t.youth, [])
            if v.request in traj_requests and v.request.startswith(f"T-{t.youth}-")
        ]
        if held:
            t = dataclasses.replace(
                t, done=t.done + len(held), last_visit=max(v.date for v in held)
            )
        pending = f"T-{t.youth}-{t.done + 1}"
        waiting = any(r.id == pending for r in scenario.requests) and pending not in {
            v.request for v in plan.visits
        }
        if not t.finished and not waiting:
            req = trajectory_request(t, days)
            if req is not None:
                created.append(req)
        updated.append(t)
    return updated, created


def _next_youths(
    scenario: Scenario,
    requests: Sequence[Request],
    trajectories: Sequence[Trajectory],
    visits_by_youth: dict[str, list[Visit]],
) -> list[Youth]:
    """The youths the new round still needs, with their ``previous_consultant`` updated.

    A youth stays with a request or an unfinished trajectory. Their previous consultant
    becomes the first consultant of their last visit, or the trajectory's preferred
    consultant when the scenario has that consultant.
    """
    last_visit = {y: max(vs, key=lambda v: (v.date, v.start)) for y, vs in visits_by_youth.items()}
    needed_youths = {r.youth for r in requests} | {t.youth for t in trajectories if not t.finished}
    preferred = {t.youth: t.preferred_consultant for t in trajectories if t.preferred_consultant}
    consultant_ids = {c.id for c in scenario.consultants}
    youths: list[Youth] = []
    for y in scenario.youths:
        if y.id not in needed_youths:
            continue
        prev = y.previous_consultant
        if y.id in last_visit:
            prev = last_visit[y.id].consultants[0]
        if preferred.get(y.id) in consultant_ids:
            prev = preferred[y.id]
        youths.append(dataclasses.replace(y, previous_consultant=prev))
    return youths


def trajectory_request(t: Trajectory, days: Sequence[dt.date]) -> Request | None:
    """The request of ``t``'s next consult if its gap reaches into ``days``.

    The first consult may take place on any day; a later one from ``last_visit +
    min_gap_days`` to ``last_visit + max_gap_days``. An overdue consult (the gap ended
    before the week) is asked for on any day of the week.
    """
    first, last = days[0], days[-1]
    if t.last_visit is None:
        lo, hi = first, last
    else:
        lo = t.last_visit + dt.timedelta(days=t.min_gap_days)
        hi = t.last_visit + dt.timedelta(days=t.max_gap_days)
        if lo > last:
            return None  # not yet
        lo, hi = max(lo, first), min(hi, last) if hi >= first else last
    return Request(
        id=t.request_id(),
        youth=t.youth,
        roles=t.roles,
        duration_minutes=t.duration_minutes,
        earliest=lo,
        latest=hi,
    )
