"""The optimisation model: candidate pruning, the CP-SAT model and the objective.

The model follows ``FORMAT.md`` rule by rule. It is built in clear steps:

1. :func:`prepare` turns a :class:`~matcher.scenario.domain.Scenario` into an :class:`Instance`:
   integer indices, the travel matrix, every tour, and per request the *options*: the
   (consultant tour, allowed start intervals) pairs that could serve it. All rules that
   concern one request and one tour are applied here (skills, exclusions, pins, dates,
   ``signalled_on``, ``time_of_day``, opening hours, leaving from and returning to the base).
2. :func:`build_model` creates the CP-SAT variables (presence per request, one start time
   per request shared by all its consultants, serve literals per option, role literals,
   day literals, arc literals per tour) and adds one function per hard rule, named after
   the rule (``add_roles_matched_one_to_one``, ``add_tour_routes``, ...).
3. :func:`add_objective` adds the soft terms exactly as ``FORMAT.md`` scores a plan:
   travel minutes per used tour, waiting days times urgency factor, continuity and
   unassigned requests times urgency factor.

The same builder also serves sub-problems: a :class:`Scope` names the free tours and
requests and the visits that stay fixed (:mod:`matcher.solver.solve` uses it to place the pinned
requests alone and to find clashing pins). :func:`score` recomputes the objective of a set
of assignments independently of CP-SAT; the plan's ``solver.objective`` is that number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from ortools.sat.python import cp_model

from matcher.scenario.domain import (
    DAY_MINUTES,
    Pin,
    Request,
    Scenario,
    Tour,
    Visit,
    base_point,
    open_windows_on,
)
from matcher.travel import TravelMatrix, build_travel_matrix

Interval = tuple[int, int]
"""Inclusive range ``(lo, hi)`` of allowed start minutes."""


# --------------------------------------------------------------------------------------
# Instance: indices and candidate options
# --------------------------------------------------------------------------------------


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


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def first_start_at_or_after(intervals: Sequence[Interval], t: int) -> int | None:
    """The smallest allowed start ``>= t`` in ``intervals``, or ``None``."""
    for lo, hi in intervals:
        if hi >= t:
            return max(lo, t)
    return None


def allowed_days(scenario: Scenario, request: Request) -> list[int]:
    """Indices of planning days the request may take place on (dates, signalled_on, pin)."""
    youth = scenario.youth(request.youth)
    out: list[int] = []
    for d, day in enumerate(scenario.days):
        if not (request.earliest <= day <= request.latest):
            continue
        if day < youth.signalled_on:
            continue
        pin = request.pinned
        if pin is not None and pin.date is not None and day != pin.date:
            continue
        out.append(d)
    return out


def start_intervals(
    scenario: Scenario, request: Request, tour: Tour, to_loc: int, from_loc: int
) -> list[Interval]:
    """Allowed start minutes of ``request`` in ``tour``.

    ``to_loc`` and ``from_loc`` are the travel minutes base -> location and back. The visit
    must leave time to drive from the base after the tour starts and back before it ends,
    respect ``time_of_day``, lie wholly inside one opening window of that date, and start at
    the pinned start if one is given.
    """
    dur = request.duration_minutes
    lo = tour.start + to_loc
    hi = tour.end - from_loc - dur
    if request.time_of_day is not None:
        lo = max(lo, request.time_of_day.start)
        hi = min(hi, request.time_of_day.end - dur)
    location = scenario.location_of(request)
    windows = open_windows_on(location, tour.date)
    if windows is None:
        windows = [(0, DAY_MINUTES)]
    out: list[Interval] = []
    for ws, we in windows:
        a, b = max(lo, ws), min(hi, we - dur)
        if a <= b:
            out.append((a, b))
    pin = request.pinned
    if pin is not None and pin.start is not None:
        out = _intersect(out, [(pin.start, pin.start)])
    return _union(out)


def prepare(scenario: Scenario, travel: TravelMatrix | None = None) -> Instance:
    """Index the scenario and prune every request's candidate tours.

    A tour is an option for a request when its consultant has every skill of at least one
    role, is not excluded for the youth, is among the pinned consultants (if pinned), the
    tour's date is allowed (planning days, ``earliest``/``latest``, ``signalled_on``, pinned
    date) and at least one start time fits (see :func:`start_intervals`). For joint visits the
    options of each day are further cut to start times that every role can reach, and days
    where the roles cannot be matched to distinct consultants are dropped.
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
        req = _with_forced_pin(scenario, req0)
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
        options: list[Option] = []
        day_set = set(days)
        for ci, cons in enumerate(scenario.consultants):
            if cons.id in youth.excluded_consultants:
                continue
            if req.pinned is not None and ci not in pinned:
                continue
            roles = tuple(k for k, skills in enumerate(req.roles) if cons.has_skills(skills))
            if not roles:
                continue
            for ti in tours_by_consultant[ci]:
                tinfo = tours[ti]
                if tinfo.day not in day_set:
                    continue
                iv = start_intervals(
                    scenario, req, tinfo.tour, minutes[tinfo.base][loc], minutes[loc][tinfo.base]
                )
                if iv and req is req0:
                    iv = not_before_now(scenario, tinfo.tour.date, iv)
                if iv:
                    options.append(Option(ti, tuple(iv), roles))
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
            info_r.options = _prune_joint(info_r, tours, len(scenario.consultants))
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


def _with_forced_pin(scenario: Scenario, req: Request) -> Request:
    """The request, pinned to its published visit when that started before ``now``.

    Such a visit has begun or taken place, so every plan keeps it exactly; the validator
    has checked that it still keeps every rule (including the request's own pin).
    """
    pub = scenario.forced(req.id)
    if pub is None:
        return req
    return dataclasses.replace(req, pinned=Pin(pub.consultants, pub.date, pub.start))


def not_before_now(scenario: Scenario, day: dt.date, intervals: list[Interval]) -> list[Interval]:
    """Cut start intervals on ``day`` to starts at or after the scenario's ``now``."""
    now = scenario.now
    if now is None or day > now.date():
        return intervals
    if day < now.date():
        return []
    return _intersect(intervals, [(now.hour * 60 + now.minute, DAY_MINUTES)])


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
    match = next(iter(role_matchings(r.n_roles, role_sets)), None)
    if match is None:
        return None
    return Assignment(r.index, tuple(tour_of[c][0] for c in match), start)


def role_matchings(n_roles: int, role_sets: dict[int, set[int]]) -> Iterable[tuple[int, ...]]:
    """All ways to give each role a distinct consultant.

    ``role_sets`` maps consultant index -> roles the consultant can fill. Yields tuples of
    consultant indices in role order.
    """
    per_role = [[c for c, ks in role_sets.items() if k in ks] for k in range(n_roles)]
    for combo in itertools.product(*per_role):
        if len(set(combo)) == n_roles:
            yield combo


def _prune_joint(r: RequestInfo, tours: list[TourInfo], n_consultants: int) -> list[Option]:
    """Cut a joint request's options to days and start times that all roles can share."""
    by_day: dict[int, list[Option]] = {}
    for o in r.options:
        by_day.setdefault(tours[o.tour].day, []).append(o)
    kept: list[Option] = []
    for opts in by_day.values():
        # Start times each role can reach on this day (union over consultants able to fill it).
        role_iv: list[list[Interval]] = [
            _union(iv for o in opts if k in o.roles for iv in o.intervals) for k in range(r.n_roles)
        ]
        common = role_iv[0]
        for iv in role_iv[1:]:
            common = _intersect(common, iv)
        if not common:
            continue
        cut = [
            Option(o.tour, tuple(x), o.roles)
            for o in opts
            if (x := _intersect(o.intervals, common))
        ]
        role_sets: dict[int, set[int]] = {}
        for o in cut:
            role_sets.setdefault(tours[o.tour].consultant, set()).update(o.roles)
        if r.pinned and not set(r.pinned) <= set(role_sets):
            continue
        if next(iter(role_matchings(r.n_roles, role_sets)), None) is None:
            continue
        kept.extend(cut)
    kept.sort(key=lambda o: o.tour)
    return kept


# --------------------------------------------------------------------------------------
# Assignments and the objective recomputed from them
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """A planned request: the tour of each role's consultant (role order) and the start."""

    request: int
    tours: tuple[int, ...]
    start: int


@dataclass(frozen=True, slots=True)
class Score:
    """The objective of ``FORMAT.md`` split into its terms (weights applied).

    ``travel_minutes`` is the travel term before weighting.
    """

    travel_minutes: int
    travel: int
    waiting: int
    continuity: int
    unassigned: int
    change: int = 0
    changed: int = 0
    """Published visits not kept (``change`` is their cost)."""

    @property
    def total(self) -> int:
        return self.travel + self.waiting + self.continuity + self.unassigned + self.change


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


def routes(inst: Instance, assignments: Iterable[Assignment]) -> dict[int, list[Assignment]]:
    """Per tour, its assignments in start order."""
    out: dict[int, list[Assignment]] = {}
    for a in assignments:
        for t in a.tours:
            out.setdefault(t, []).append(a)
    for lst in out.values():
        lst.sort(key=lambda a: a.start)
    return out


def route_travel(inst: Instance, tour: int, points: Sequence[int]) -> int:
    """Travel minutes of a tour visiting ``points`` in order (base -> ... -> base)."""
    if not points:
        return 0
    base = inst.tours[tour].base
    total = inst.minutes[base][points[0]] + inst.minutes[points[-1]][base]
    for a, b in itertools.pairwise(points):
        total += inst.minutes[a][b]
    return total


def score(inst: Instance, assignments: Iterable[Assignment]) -> Score:
    """Recompute the ``FORMAT.md`` objective of a set of assignments."""
    assignments = list(assignments)
    w = inst.scenario.weights
    travel = 0
    for t, lst in routes(inst, assignments).items():
        travel += route_travel(inst, t, [inst.requests[a.request].point for a in lst])
    waiting = continuity = 0
    planned = set()
    kept = 0
    for a in assignments:
        r = inst.requests[a.request]
        planned.add(a.request)
        waiting += r.wait_cost[inst.tours[a.tours[0]].day]
        continuity += continuity_cost(inst, r, (inst.tours[t].consultant for t in a.tours))
        kept += keeps_published(inst, a)
    unassigned = sum(r.unassigned_cost for r in inst.requests if r.index not in planned)
    changed = sum(1 for r in inst.requests if r.published) - kept
    return Score(
        travel,
        w.travel_minute * travel,
        waiting,
        continuity,
        unassigned,
        changed * w.change,
        changed,
    )


def unavoidable_change(inst: Instance) -> int:
    """The change cost every plan pays: published visits that no option can keep.

    Bounds that leave ``weights.change`` out stay valid when they add this constant.
    """
    return sum(r.change_cost for r in inst.requests if r.published and r.keep is None)


def keeps_published(inst: Instance, a: Assignment) -> bool:
    """Whether ``a`` keeps its request's published visit.

    Kept means the same date, start and set of consultants (FORMAT.md).
    """
    keep = inst.requests[a.request].keep
    if keep is None or a.start != keep.start:
        return False
    return {inst.tours[t].consultant for t in a.tours} == {
        inst.tours[t].consultant for t in keep.tours
    } and inst.tours[a.tours[0]].day == inst.tours[keep.tours[0]].day


def continuity_cost(inst: Instance, r: RequestInfo, consultants: Iterable[int]) -> int:
    """Continuity penalty of serving ``r`` with ``consultants``."""
    if inst.scenario.youth(r.request.youth).previous_consultant is None:
        return 0
    if r.previous is not None and r.previous in set(consultants):
        return 0
    return inst.scenario.weights.continuity


# --------------------------------------------------------------------------------------
# The CP-SAT model
# --------------------------------------------------------------------------------------


@dataclass
class Scope:
    """Which part of the problem a model covers (the whole problem by default).

    Attributes
    ----------
    tours
        Free tours (``None``: all).
    requests
        Requests that may be planned or left out (``None``: all). Their options are cut to
        the free tours.
    fixed
        Assignments that stay exactly as they are but share a free tour (a joint visit
        whose other consultant is outside the neighbourhood): nodes with a fixed start.
    used_day, used_week
        Visits each consultant already has outside the free tours, per (consultant, day)
        and in total; subtracted from the caps.
    """

    tours: set[int] | None = None
    requests: set[int] | None = None
    fixed: list[Assignment] = field(default_factory=list)
    used_day: dict[tuple[int, int], int] = field(default_factory=dict)
    used_week: dict[int, int] = field(default_factory=dict)


@dataclass
class Node:
    """A request as a node of one tour's circuit."""

    request: int
    serve: cp_model.IntVar | int
    """Literal: the tour's consultant serves the request (``1`` for a fixed visit)."""
    lo: int
    hi: int


@dataclass
class PlanningModel:
    """The CP-SAT model with handles to its variables."""

    inst: Instance
    scope: Scope
    model: cp_model.CpModel
    present: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    serve: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, tour)`` -> literal."""
    role: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, role, consultant)`` -> literal (joint visits only)."""
    on_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """``(request, day)`` -> literal (joint visits only)."""
    nodes: dict[int, list[Node]] = field(default_factory=dict)
    arcs: dict[int, list[tuple[int, int, cp_model.LiteralT]]] = field(default_factory=dict)
    """Per tour: ``(from node, to node, literal)``; node 0 is the base."""
    tour_used: dict[int, cp_model.IntVar] = field(default_factory=dict)
    travel_terms: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)
    objective_offset: int = 0
    free_requests: list[int] = field(default_factory=list)
    pin_literals: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start_lo: dict[int, int] = field(default_factory=dict)
    """Smallest allowed start of each free request with options (for hints)."""
    kept: dict[int, cp_model.IntVar] = field(default_factory=dict)
    """Request -> literal: the plan keeps its published visit."""

    @property
    def n_arcs(self) -> int:
        return sum(len(a) for a in self.arcs.values())


def build_model(
    inst: Instance,
    scope: Scope | None = None,
    pin_assumptions: bool = False,
) -> PlanningModel:
    """Build the CP-SAT model of ``inst`` (or of the part named by ``scope``).

    With ``pin_assumptions`` every pinned request gets a literal that forces it to be
    planned; the literals are meant as solver assumptions to find clashing pins.
    """
    scope = scope or Scope()
    pm = PlanningModel(inst, scope, cp_model.CpModel())
    add_request_variables(pm)
    add_roles_matched_one_to_one(pm)
    add_joint_visits_share_day_and_start(pm)
    add_visit_windows(pm)
    add_pins(pm, pin_assumptions)
    add_tour_routes(pm)
    add_max_visits_per_day_and_week(pm)
    add_published_visits_kept(pm)
    add_objective(pm)
    return pm


def _free_options(pm: PlanningModel, r: RequestInfo) -> list[Option]:
    tours = pm.scope.tours
    return [o for o in r.options if tours is None or o.tour in tours]


def add_request_variables(pm: PlanningModel) -> None:
    """Presence, start and serve literals of every free request.

    A request's single start variable is shared by all its consultants, so a joint visit
    starts (and, having one duration, ends) at the same time for everyone.
    """
    inst, m = pm.inst, pm.model
    free = pm.scope.requests
    for r in inst.requests:
        if free is not None and r.index not in free:
            continue
        rid = r.request.id
        opts = _free_options(pm, r)
        pm.free_requests.append(r.index)
        present = m.new_bool_var(f"planned[{rid}]")
        pm.present[r.index] = present
        ivs = _union(iv for o in opts for iv in o.intervals)
        if not ivs:
            m.add(present == 0)
            pm.start[r.index] = m.new_constant(0)
            continue
        pm.start_lo[r.index] = ivs[0][0]
        pm.start[r.index] = m.new_int_var_from_domain(
            cp_model.Domain.from_intervals([list(iv) for iv in ivs]), f"start[{rid}]"
        )
        for o in opts:
            t = inst.tours[o.tour].tour
            pm.serve[r.index, o.tour] = m.new_bool_var(
                f"serve[{rid},{t.consultant},{t.date.isoformat()},{t.start}]"
            )


def _serve_lits_by_consultant(
    pm: PlanningModel, r: RequestInfo
) -> dict[int, list[cp_model.IntVar]]:
    out: dict[int, list[cp_model.IntVar]] = {}
    for o in _free_options(pm, r):
        out.setdefault(pm.inst.tours[o.tour].consultant, []).append(pm.serve[r.index, o.tour])
    return out


def add_roles_matched_one_to_one(pm: PlanningModel) -> None:
    """Each role of a planned request gets exactly one distinct consultant with its skills.

    Single-role requests: exactly one serving tour when planned. Joint visits: a role
    literal per (role, able consultant); each role exactly one consultant, each consultant
    at most one role, and a consultant serves (in one of its tours) iff it fills a role.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        by_c = _serve_lits_by_consultant(pm, r)
        present = pm.present[ri]
        if r.n_roles == 1:
            m.add(sum(lit for lits in by_c.values() for lit in lits) == present)
            continue
        role_lits: dict[int, list[cp_model.IntVar]] = {k: [] for k in range(r.n_roles)}
        roles_of: dict[int, set[int]] = {}
        for o in _free_options(pm, r):
            roles_of.setdefault(inst.tours[o.tour].consultant, set()).update(o.roles)
        for c, ks in roles_of.items():
            cid = inst.scenario.consultants[c].id
            lits = []
            for k in sorted(ks):
                lit = m.new_bool_var(f"role[{r.request.id},{k},{cid}]")
                pm.role[ri, k, c] = lit
                role_lits[k].append(lit)
                lits.append(lit)
            m.add(sum(lits) == sum(by_c[c]))
        for k in range(r.n_roles):
            m.add(sum(role_lits[k]) == present)


def add_joint_visits_share_day_and_start(pm: PlanningModel) -> None:
    """All consultants of a joint visit serve it on the same day (and share its start).

    The shared start is by construction (one start variable per request); here a day
    literal per allowed day ties every consultant's tour to that day.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        if r.n_roles == 1:
            continue
        opts = _free_options(pm, r)
        days = sorted({inst.tours[o.tour].day for o in opts})
        day_lits = {}
        for d in days:
            lit = m.new_bool_var(f"on_day[{r.request.id},{inst.scenario.days[d].isoformat()}]")
            day_lits[d] = lit
            pm.on_day[ri, d] = lit
        m.add(sum(day_lits.values()) == pm.present[ri])
        per_cd: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for o in opts:
            ti = inst.tours[o.tour]
            per_cd.setdefault((ti.consultant, ti.day), []).append(pm.serve[ri, o.tour])
        for (_, d), lits in per_cd.items():
            m.add(sum(lits) <= day_lits[d])


def add_visit_windows(pm: PlanningModel) -> None:
    """A serving tour forces the start into that tour's allowed intervals.

    The intervals (see :func:`start_intervals`) encode the tour window with travel from
    and back to the base, ``time_of_day`` and the location's opening windows of the date;
    dates (planning days, earliest/latest, signalled_on) were applied when the options were
    made.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        all_iv = _union(iv for o in _free_options(pm, r) for iv in o.intervals)
        for o in _free_options(pm, r):
            if list(o.intervals) == all_iv:
                continue
            dom = cp_model.Domain.from_intervals([list(iv) for iv in o.intervals])
            m.add_linear_expression_in_domain(pm.start[ri], dom).only_enforce_if(
                pm.serve[ri, o.tour]
            )


def add_pins(pm: PlanningModel, assumptions: bool = False) -> None:
    """A pinned request is planned with exactly its pinned consultants.

    Options were already cut to the pinned consultants, date and start; here the request
    is forced to be planned and every pinned consultant to serve it.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        pin = r.request.pinned
        if pin is None:
            continue
        if assumptions:
            lit = m.new_bool_var(f"pin[{r.request.id}]")
            pm.pin_literals[ri] = lit
            m.add(pm.present[ri] == 1).only_enforce_if(lit)
        else:
            m.add(pm.present[ri] == 1)
        by_c = _serve_lits_by_consultant(pm, r)
        unknown = len(r.pinned) != len(pin.consultants) or len(set(pin.consultants)) != r.n_roles
        for c in set(r.pinned):
            lits = by_c.get(c, [])
            if not lits:
                unknown = True
            elif assumptions:
                m.add(sum(lits) == 1).only_enforce_if(pm.pin_literals[ri])
            else:
                m.add(sum(lits) == 1)
        if unknown:
            if assumptions:
                m.add_bool_or([pm.pin_literals[ri].Not()])
            else:
                m.add(pm.present[ri] == 0)


def add_tour_routes(pm: PlanningModel) -> None:
    """Every tour is a circuit base -> visits -> base that fits its window.

    Per tour, a circuit over the base (node 0) and the requests the tour may serve;
    a skipped request takes its self-loop (``not serve``), an unused tour the base's
    self-loop. An arc ``i -> j`` forces ``start_j >= start_i + duration_i + travel(i, j)``,
    so a consultant's visits never overlap and leave time to drive; arcs that can never
    be kept in time are not created. The window itself (leave the base after the tour
    starts, be back before it ends) is in each option's start intervals. A redundant
    time-budget constraint per tour (durations + travel <= tour length) tightens the bound.
    """
    inst, m = pm.inst, pm.model
    free_tours = pm.scope.tours if pm.scope.tours is not None else set(range(len(inst.tours)))
    fixed_by_tour: dict[int, list[Assignment]] = {}
    for a in pm.scope.fixed:
        for t in a.tours:
            if t in free_tours:
                fixed_by_tour.setdefault(t, []).append(a)
    for ti in sorted(free_tours):
        tinfo = inst.tours[ti]
        nodes: list[Node] = []
        for a in fixed_by_tour.get(ti, []):
            if a.request not in pm.start:
                pm.start[a.request] = m.new_constant(a.start)
            nodes.append(Node(a.request, 1, a.start, a.start))
        for ri, oi in inst.options_by_tour[ti]:
            if (ri, ti) not in pm.serve:
                continue
            o = inst.requests[ri].options[oi]
            nodes.append(Node(ri, pm.serve[ri, ti], o.lo, o.hi))
        pm.nodes[ti] = nodes
        if not nodes:
            continue
        tname = f"{tinfo.tour.consultant},{tinfo.tour.date.isoformat()},{tinfo.tour.start}"
        used = m.new_bool_var(f"tour_used[{tname}]")
        pm.tour_used[ti] = used
        arcs: list[tuple[int, int, cp_model.LiteralT]] = [(0, 0, used.Not())]
        travel_terms: list[tuple[cp_model.IntVar, int]] = []
        base = tinfo.base
        reqs = inst.requests
        for i, n in enumerate(nodes, start=1):
            r = reqs[n.request]
            serve = n.serve
            if isinstance(serve, int):
                m.add(used == 1)
            else:
                arcs.append((i, i, serve.Not()))
                m.add_implication(serve, used)
            lit = m.new_bool_var(f"arc[{tname}:base->{r.request.id}]")
            arcs.append((0, i, lit))
            travel_terms.append((lit, inst.minutes[base][r.point]))
            lit = m.new_bool_var(f"arc[{tname}:{r.request.id}->base]")
            arcs.append((i, 0, lit))
            travel_terms.append((lit, inst.minutes[r.point][base]))
        for i, ni in enumerate(nodes, start=1):
            ri_ = reqs[ni.request]
            for j, nj in enumerate(nodes, start=1):
                if i == j:
                    continue
                rj = reqs[nj.request]
                tt = inst.minutes[ri_.point][rj.point]
                if ni.lo + ri_.duration + tt > nj.hi:
                    continue
                lit = m.new_bool_var(f"arc[{tname}:{ri_.request.id}->{rj.request.id}]")
                arcs.append((i, j, lit))
                travel_terms.append((lit, tt))
                if ni.hi + ri_.duration + tt > nj.lo:
                    m.add(
                        pm.start[nj.request] >= pm.start[ni.request] + ri_.duration + tt
                    ).only_enforce_if(lit)
        m.add_circuit(arcs)
        pm.arcs[ti] = arcs
        pm.travel_terms.extend(travel_terms)
        # Redundant: the visits and the driving fit in the tour's length.
        length = tinfo.tour.end - tinfo.tour.start
        m.add(
            sum(reqs[n.request].duration * n.serve for n in nodes)
            + sum(lit * c for lit, c in travel_terms)
            <= length
        )


def triangle_inequality_holds(inst: Instance) -> bool:
    """Whether ``travel(a, c) <= travel(a, b) + travel(b, c)`` for all points.

    Computed minutes always satisfy it (great-circle distance is a metric and rounding up
    keeps it); a travel matrix CSV may break it.
    """
    m = inst.travel.minutes
    n = m.shape[0]
    return not any((m[:, b : b + 1] + m[b : b + 1, :] < m).any() for b in range(n))


def add_max_visits_per_day_and_week(pm: PlanningModel) -> None:
    """Every consultant keeps ``max_visits_per_day`` and ``max_visits_per_week``."""
    inst, m = pm.inst, pm.model
    per_day: dict[tuple[int, int], list[cp_model.IntVar | int]] = {}
    per_week: dict[int, list[cp_model.IntVar | int]] = {}
    for ti, nodes in pm.nodes.items():
        tinfo = inst.tours[ti]
        for n in nodes:
            per_day.setdefault((tinfo.consultant, tinfo.day), []).append(n.serve)
            per_week.setdefault(tinfo.consultant, []).append(n.serve)
    for (c, d), lits in per_day.items():
        cap = inst.scenario.consultants[c].max_visits_per_day
        if cap is not None:
            m.add(sum(lits) <= cap - pm.scope.used_day.get((c, d), 0))
    for c, lits in per_week.items():
        cap = inst.scenario.consultants[c].max_visits_per_week
        if cap is not None:
            m.add(sum(lits) <= cap - pm.scope.used_week.get(c, 0))


def add_published_visits_kept(pm: PlanningModel) -> None:
    """A literal per published visit that the plan may keep (soft: not keeping it costs
    ``weights.change``).

    Kept forces the request to be planned, at the published start, by the published
    consultants (each serving in its tour of that date); the role matching then makes
    them exactly the visit's consultants.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        keep = inst.requests[ri].keep
        if keep is None or any((ri, t) not in pm.serve for t in keep.tours):
            continue
        lit = m.new_bool_var(f"kept[{inst.requests[ri].request.id}]")
        pm.kept[ri] = lit
        m.add_implication(lit, pm.present[ri])
        m.add(pm.start[ri] == keep.start).only_enforce_if(lit)
        for t in keep.tours:
            m.add_implication(lit, pm.serve[ri, t])


def add_objective(pm: PlanningModel) -> None:
    """Minimise the ``FORMAT.md`` objective (restricted to the scope's free part).

    ``travel_minute * travel + waiting_day * urgency * days waited + continuity * [previous
    consultant not in the visit] + unassigned * urgency * [not planned] + change * [published
    visit not kept]``. Constants (the unassigned and change cost of every free request) go
    to the offset so the model's objective is the plan's objective for the free part.
    """
    inst, m = pm.inst, pm.model
    w = inst.scenario.weights
    terms: list[tuple[cp_model.IntVar, int]] = [
        (lit, w.travel_minute * c) for lit, c in pm.travel_terms if c
    ]
    offset = 0
    for ri in pm.free_requests:
        r = inst.requests[ri]
        present = pm.present[ri]
        # Unassigned: cost * (1 - present).
        offset += r.unassigned_cost
        terms.append((present, -r.unassigned_cost))
        # Waiting: by the chosen day.
        if r.n_roles == 1:
            for o in _free_options(pm, r):
                cost = r.wait_cost[inst.tours[o.tour].day]
                if cost:
                    terms.append((pm.serve[ri, o.tour], cost))
        else:
            for (rj, d), lit in pm.on_day.items():
                if rj == ri and r.wait_cost[d]:
                    terms.append((lit, r.wait_cost[d]))
        # Continuity: planned without the previous consultant.
        if inst.scenario.youth(r.request.youth).previous_consultant and w.continuity:
            terms.append((present, w.continuity))
            if r.previous is not None:
                for o in _free_options(pm, r):
                    if inst.tours[o.tour].consultant == r.previous:
                        terms.append((pm.serve[ri, o.tour], -w.continuity))
        # Published visits: change * (1 - kept).
        if r.published and r.change_cost:
            offset += r.change_cost
            if ri in pm.kept:
                terms.append((pm.kept[ri], -r.change_cost))
    pm.objective_offset = offset
    m.minimize(
        cp_model.LinearExpr.weighted_sum([t[0] for t in terms], [t[1] for t in terms]) + offset
    )


def extract(pm: PlanningModel, value: object) -> list[Assignment]:
    """Read the free requests' assignments from a solver or solution callback.

    ``value`` is anything with ``boolean_value(lit)`` and ``value(var)`` (a
    :class:`cp_model.CpSolver` or a :class:`cp_model.CpSolverSolutionCallback`).
    """
    inst = pm.inst
    bv = value.boolean_value  # type: ignore[attr-defined]
    iv = value.value  # type: ignore[attr-defined]
    out: list[Assignment] = []
    for ri in pm.free_requests:
        if not bv(pm.present[ri]):
            continue
        r = inst.requests[ri]
        served = [t for (rr, t), lit in _serve_items(pm, ri) if bv(lit)]
        tours: tuple[int, ...]
        if r.n_roles == 1:
            tours = (served[0],)
        else:
            by_c = {inst.tours[t].consultant: t for t in served}
            tours_l = []
            for k in range(r.n_roles):
                c = next(c for c in by_c if (ri, k, c) in pm.role and bv(pm.role[ri, k, c]))
                tours_l.append(by_c[c])
            tours = tuple(tours_l)
        out.append(Assignment(ri, tours, int(iv(pm.start[ri]))))
    return out


def _serve_items(pm: PlanningModel, ri: int) -> list[tuple[tuple[int, int], cp_model.IntVar]]:
    r = pm.inst.requests[ri]
    return [((ri, o.tour), pm.serve[ri, o.tour]) for o in _free_options(pm, r)]


def add_hint(pm: PlanningModel, assignments: Iterable[Assignment]) -> None:
    """Hint a complete solution (every variable) from assignments of the free requests.

    Fixed visits of the scope are part of the routes. The hint must be feasible for the
    model; :mod:`matcher.solver.solve` builds it with the greedy insertion or the incumbent.
    """
    inst, m = pm.inst, pm.model
    m.clear_hints()
    by_req = {a.request: a for a in assignments if a.request in pm.present}
    for ri in pm.free_requests:
        a = by_req.get(ri)
        m.add_hint(pm.present[ri], a is not None)
        start = pm.start[ri]
        if a is not None:
            m.add_hint(start, a.start)
        elif ri in pm.start_lo:
            m.add_hint(start, pm.start_lo[ri])
        r = inst.requests[ri]
        chosen = set(a.tours) if a else set()
        for o in _free_options(pm, r):
            m.add_hint(pm.serve[ri, o.tour], o.tour in chosen)
        if r.n_roles > 1:
            role_c = {}
            if a is not None:
                for k, t in enumerate(a.tours):
                    role_c[k] = inst.tours[t].consultant
            for (rj, k, c), lit in pm.role.items():
                if rj == ri:
                    m.add_hint(lit, role_c.get(k) == c)
            day = inst.tours[a.tours[0]].day if a else None
            for (rj, d), lit in pm.on_day.items():
                if rj == ri:
                    m.add_hint(lit, d == day)
        if ri in pm.kept:
            m.add_hint(pm.kept[ri], a is not None and keeps_published(inst, a))
    # Routes.
    all_assign = list(by_req.values()) + list(pm.scope.fixed)
    rts = routes(inst, all_assign)
    for ti, arcs in pm.arcs.items():
        nodes = pm.nodes[ti]
        pos = {n.request: i for i, n in enumerate(nodes, start=1)}
        seq = [pos[a.request] for a in rts.get(ti, [])]
        chosen_arcs: set[tuple[int, int]] = set()
        if seq:
            path = [0, *seq, 0]
            chosen_arcs = set(itertools.pairwise(path))
        for i, j, arc_lit in arcs:
            if i != j:  # self-loops are negations of serve / tour_used, hinted elsewhere
                m.add_hint(cast(cp_model.IntVar, arc_lit), (i, j) in chosen_arcs)
        m.add_hint(pm.tour_used[ti], bool(seq))


def day_of(inst: Instance, a: Assignment) -> dt.date:
    return inst.tours[a.tours[0]].tour.date
