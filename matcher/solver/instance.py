"""The scenario in index form: tours, requests and their pruned candidate options.

:func:`prepare` turns a :class:`~matcher.scenario.domain.Scenario` into an :class:`Instance`:
integer indices, the travel matrix, every tour, and per request the *options*: the
(consultant tour, allowed start intervals) pairs that could serve it. Every rule that
concerns one request and one tour is applied here, through the pruning hooks of the rule
modules in :data:`matcher.rules.HARD_RULES` (skills, exclusions, pins, dates,
``signalled_on``, ``time_of_day``, opening hours, leaving from and returning to the base,
not before ``now``), so neither the CP-SAT model nor the search sees an option that breaks
one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matcher import rules
from matcher.rules import joint, published, skills
from matcher.rules.base import StartContext
from matcher.scenario.domain import Request, Scenario, Tour, Visit, base_point
from matcher.solver.intervals import Interval, union
from matcher.travel import TravelMatrix, build_travel_matrix


@dataclass(frozen=True, slots=True)
class TourInfo:
    """One tour with its indices.

    Attributes
    ----------
    index
        Position in :attr:`Instance.tours`.
    tour
        The domain tour (consultant, date, start, end).
    consultant
        Index of the consultant in ``scenario.consultants``.
    day
        Index of the date in ``scenario.days``.
    base
        Travel-matrix row of the consultant's base.
    """

    index: int
    tour: Tour
    consultant: int
    day: int
    base: int


@dataclass(frozen=True, slots=True)
class Option:
    """One tour that could serve a request, with the start times allowed in it.

    Attributes
    ----------
    tour
        Index into :attr:`Instance.tours`.
    intervals
        Sorted disjoint inclusive ranges of start minutes such that the visit fits the tour
        (including travel from and back to the base), the ``time_of_day`` and one opening
        window of the location on that date, and the pinned start if any.
    roles
        Indices of the request's roles that the tour's consultant can fill.
    """

    tour: int
    intervals: tuple[Interval, ...]
    roles: tuple[int, ...]

    @property
    def lo(self) -> int:
        return self.intervals[0][0]

    @property
    def hi(self) -> int:
        return self.intervals[-1][1]


@dataclass(slots=True)
class RequestInfo:
    """A request with every number the model needs.

    Attributes
    ----------
    index
        Position in :attr:`Instance.requests` (the scenario's order).
    request
        The domain request.
    point
        Travel-matrix row of the request's location.
    duration
        Visit length in minutes.
    unassigned_cost
        ``weights.unassigned * urgency_factor``.
    wait_cost
        Per day index: ``weights.waiting_day * urgency_factor * (date - signalled_on)``.
    previous
        Consultant index of the youth's previous consultant, if any.
    options
        Candidate tours (see :class:`Option`); empty when nothing can serve the request.
    pinned
        Consultant indices of the pin (empty when not pinned).
    """

    index: int
    request: Request
    point: int
    duration: int
    unassigned_cost: int
    wait_cost: dict[int, int]
    previous: int | None
    options: list[Option]
    pinned: tuple[int, ...] = ()
    published: bool = False
    """Whether the request has a published visit."""
    change_cost: int = 0
    """``weights.change`` when the request has a published visit (paid unless kept)."""
    keep: Assignment | None = None
    """The assignment that keeps the published visit (tours in role order), when one of
    the request's options allows it."""

    @property
    def n_roles(self) -> int:
        return len(self.request.roles)


@dataclass
class Instance:
    """A scenario in index form, with pruned candidate options per request."""

    scenario: Scenario
    travel: TravelMatrix
    minutes: list[list[int]]
    tours: list[TourInfo]
    requests: list[RequestInfo]
    consultant_index: dict[str, int]
    request_index: dict[str, int]
    tours_by_consultant: list[list[int]]
    options_by_tour: list[list[tuple[int, int]]]
    """Per tour: ``(request index, option index)`` pairs of requests it could serve."""
    w_travel: int = 1

    def tt(self, a: int, b: int) -> int:
        """Travel minutes between two matrix rows."""
        return self.minutes[a][b]

    def option_of(self, r: int, t: int) -> Option | None:
        for o in self.requests[r].options:
            if o.tour == t:
                return o
        return None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A planned request: the tour of each role's consultant (role order) and the start."""

    request: int
    tours: tuple[int, ...]
    start: int


def allowed_days(scenario: Scenario, request: Request) -> list[int]:
    """Indices of planning days the request may take place on (the rules' ``day_ok``)."""
    youth = scenario.youth(request.youth)
    checks = rules.day_checks()
    return [
        d
        for d, day in enumerate(scenario.days)
        if all(ok(scenario, request, youth, day) for ok in checks)
    ]


def start_intervals(
    scenario: Scenario,
    request: Request,
    tour: Tour,
    to_loc: int,
    from_loc: int,
    forced: bool = False,
) -> list[Interval]:
    """Allowed start minutes of ``request`` in ``tour`` (the rules' ``cut_starts``).

    ``to_loc`` and ``from_loc`` are the travel minutes base -> location and back; ``forced``
    says that the request is pinned to a published visit that began before ``now``. Each
    rule narrows the set in turn (the tour window with the drive from and back to the base,
    ``time_of_day``, the opening windows of the date, the pinned start, not before ``now``).
    """
    ctx = StartContext(scenario, request, tour, to_loc, from_loc, forced)
    iv: list[Interval] = [(0, 24 * 60)]
    for cut in rules.start_cuts():
        iv = cut(ctx, iv)
        if not iv:
            return []
    return iv if len(iv) == 1 else union(iv)


def prepare(scenario: Scenario, travel: TravelMatrix | None = None) -> Instance:
    """Index the scenario and prune every request's candidate tours.

    A tour is an option for a request when every rule's ``consultant_ok`` accepts its
    consultant (exclusions, the pin's consultants), the consultant has every skill of at
    least one role, every ``day_ok`` accepts the tour's date (planning days,
    ``earliest``/``latest``, ``signalled_on``, pinned date) and at least one start time
    survives every ``cut_starts`` (see :func:`start_intervals`). For joint visits the
    options of each day are further cut to start times that every role can reach, and days
    where the roles cannot be matched to distinct consultants are dropped
    (:func:`matcher.rules.joint.prune`).
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    minutes: list[list[int]] = tm.minutes.tolist()
    consultant_index = {c.id: i for i, c in enumerate(scenario.consultants)}
    day_index = {d: i for i, d in enumerate(scenario.days)}
    tours: list[TourInfo] = []
    tours_by_consultant: list[list[int]] = [[] for _ in scenario.consultants]
    for t in scenario.tours():
        if t.date not in day_index:
            continue
        ci = consultant_index[t.consultant]
        info = TourInfo(len(tours), t, ci, day_index[t.date], tm.index(base_point(t.consultant)))
        tours.append(info)
        tours_by_consultant[ci].append(info.index)
    w = scenario.weights
    requests: list[RequestInfo] = []
    for ri, req0 in enumerate(scenario.requests):
        req = published.with_forced_pin(scenario, req0)
        youth = scenario.youth(req.youth)
        uf = scenario.urgency_factor(req.youth)
        loc = tm.index(youth.location)
        days = allowed_days(scenario, req)
        wait = {d: w.waiting_day * uf * (scenario.days[d] - youth.signalled_on).days for d in days}
        pinned = (
            tuple(consultant_index[c] for c in req.pinned.consultants if c in consultant_index)
            if req.pinned
            else ()
        )
        prev = consultant_index.get(youth.previous_consultant or "")
        options = _options(
            scenario, req, req is not req0, loc, set(days), tours, tours_by_consultant, minutes
        )
        info_r = RequestInfo(
            index=ri,
            request=req,
            point=loc,
            duration=req.duration_minutes,
            unassigned_cost=w.unassigned * uf,
            wait_cost=wait,
            previous=prev,
            options=options,
            pinned=pinned,
        )
        if len(req.roles) > 1:
            info_r.options = joint.prune(info_r, tours)
        pub = scenario.published_visit(req.id)
        if pub is not None:
            info_r.published = True
            info_r.change_cost = w.change
            info_r.keep = assignment_at(
                info_r, tours, consultant_index, day_index, pub.date, pub.start, pub.consultants
            )
        requests.append(info_r)
    options_by_tour: list[list[tuple[int, int]]] = [[] for _ in tours]
    for r in requests:
        for oi, o in enumerate(r.options):
            options_by_tour[o.tour].append((r.index, oi))
    return Instance(
        scenario=scenario,
        travel=tm,
        minutes=minutes,
        tours=tours,
        requests=requests,
        consultant_index=consultant_index,
        request_index={r.request.id: r.index for r in requests},
        tours_by_consultant=tours_by_consultant,
        options_by_tour=options_by_tour,
        w_travel=w.travel_minute,
    )


def _options(
    scenario: Scenario,
    req: Request,
    forced: bool,
    loc: int,
    days: set[int],
    tours: list[TourInfo],
    tours_by_consultant: list[list[int]],
    minutes: list[list[int]],
) -> list[Option]:
    """The tours that could serve ``req`` (consultant order, then tour order), with the
    starts every rule allows there (see :func:`prepare`)."""
    youth = scenario.youth(req.youth)
    consultant_checks = rules.consultant_checks()
    options: list[Option] = []
    for ci, cons in enumerate(scenario.consultants):
        if not all(ok(scenario, req, youth, cons) for ok in consultant_checks):
            continue
        roles = skills.roles_filled(req, cons)
        if not roles:
            continue
        for ti in tours_by_consultant[ci]:
            tinfo = tours[ti]
            if tinfo.day not in days:
                continue
            iv = start_intervals(
                scenario,
                req,
                tinfo.tour,
                minutes[tinfo.base][loc],
                minutes[loc][tinfo.base],
                forced,
            )
            if iv:
                options.append(Option(ti, tuple(iv), roles))
    return options


def assignment_at(
    r: RequestInfo,
    tours: Sequence[TourInfo],
    consultant_index: dict[str, int],
    day_index: dict[dt.date, int],
    day: dt.date,
    start: int,
    consultants: Sequence[str],
) -> Assignment | None:
    """The assignment of ``r`` by exactly ``consultants`` on ``day`` at ``start``, tours in
    role order, if the request's options allow it (a published visit kept, a plan's visit
    loaded into an instance)."""
    d = day_index.get(day)
    people = [consultant_index.get(c) for c in consultants]
    if d is None or None in people or len(set(people)) != r.n_roles:
        return None
    tour_of: dict[int, tuple[int, tuple[int, ...]]] = {}
    for o in r.options:
        ti = tours[o.tour]
        if ti.day == d and any(lo <= start <= hi for lo, hi in o.intervals):
            tour_of[ti.consultant] = (o.tour, o.roles)
    if not all(c in tour_of for c in people):
        return None
    role_sets = {c: set(tour_of[c][1]) for c in people if c is not None}
    match = next(iter(joint.role_matchings(r.n_roles, role_sets)), None)
    if match is None:
        return None
    return Assignment(r.index, tuple(tour_of[c][0] for c in match), start)


def assignments_from_visits(inst: Instance, visits: Iterable[Visit]) -> list[Assignment]:
    """The plan's visits as assignments of ``inst`` (a warm start for a changed scenario).

    Each visit is mapped to the tour of each of its consultants that holds it on its date,
    the tours in role order; a visit that no option of ``inst`` can hold is left out.
    """
    day_index = {d: i for i, d in enumerate(inst.scenario.days)}
    out: list[Assignment] = []
    for v in visits:
        ri = inst.request_index.get(v.request)
        if ri is None:
            continue
        a = assignment_at(
            inst.requests[ri],
            inst.tours,
            inst.consultant_index,
            day_index,
            v.date,
            v.start,
            v.consultants,
        )
        if a is not None:
            out.append(a)
    return out


def triangle_inequality_holds(inst: Instance) -> bool:
    """Whether ``travel(a, c) <= travel(a, b) + travel(b, c)`` for all points.

    Computed minutes always satisfy it (great-circle distance is a metric and rounding up
    keeps it); a travel matrix CSV may break it.
    """
    m = inst.travel.minutes
    n = m.shape[0]
    return not any((m[:, b : b + 1] + m[b : b + 1, :] < m).any() for b in range(n))
