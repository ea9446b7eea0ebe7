"""The independent plan checker: feasibility and objective recomputed from the plan alone.

It follows FORMAT.md line by line and shares no code with the optimisation model beyond the
loader (the :class:`~matcher.scenario.domain.Scenario` it builds) and the travel matrix. Even the
tour
windows are expanded here again from the raw availability, so that a bug in the model's
expansion cannot hide itself.

Each rule of FORMAT.md's Feasibility section is one function (``_check_...``, named after
the rule module of :mod:`matcher.rules` it checks) that adds a :class:`Violation` per
breach, naming the requests involved; the objective is summed term by term in
:func:`check_plan`. It never imports the rules or the model. A violation is a
:class:`~matcher.messages.Message` (code plus parameters; ``str()`` gives the English the
CLI prints): the checker names the codes, the rule modules declare their texts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import permutations

from matcher.messages import Message
from matcher.scenario.domain import (
    WEEKDAYS,
    Consultant,
    Location,
    Plan,
    Request,
    Scenario,
    Visit,
    Window,
    Youth,
)
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = ["CheckReport", "Violation", "check_plan", "check_visits"]


@dataclass(frozen=True)
class Violation:
    """One broken rule: a message (code and parameters) and the requests it concerns.

    The codes of a rule's violations (``check_*``) are declared with the rule's other texts
    in its module (:mod:`matcher.rules`), those of the plan as a whole in the message
    tables; the checker only names them, so it stays independent of the rules' code.
    """

    message: Message
    requests: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The violation in English (the CLI, logs, tests)."""
        return self.message.render("en")


@dataclass
class CheckReport:
    """What the checker found.

    Attributes
    ----------
    details
        Every broken rule with the requests it concerns; empty when the plan is feasible.
    objective
        The objective recomputed per FORMAT.md from the visits and unassigned requests.
    travel_minutes, waiting_cost, continuity_cost, unassigned_cost, change_cost
        The objective's terms (travel before weighting).
    changed
        Published visits that the plan does not keep.
    """

    details: list[Violation] = field(default_factory=list)
    objective: int = 0
    travel_minutes: int = 0
    waiting_cost: int = 0
    continuity_cost: int = 0
    unassigned_cost: int = 0
    change_cost: int = 0
    changed: int = 0

    @property
    def violations(self) -> list[str]:
        """Every broken rule, in words."""
        return [v.text for v in self.details]

    @property
    def feasible(self) -> bool:
        return not self.details

    @property
    def messages(self) -> list[Message]:
        """Every broken rule as a message (the app renders them in Dutch)."""
        return [v.message for v in self.details]

    def add(self, message: Message, *requests: str) -> None:
        self.details.append(Violation(message, requests))

    def summary(self) -> str:
        head = "feasible" if self.feasible else f"{len(self.details)} violation(s)"
        change = f" + changed {self.change_cost}" if self.change_cost else ""
        return (
            f"{head}; objective {self.objective} = travel {self.travel_minutes} min "
            f"(weighted) + waiting {self.waiting_cost} + continuity {self.continuity_cost} "
            f"+ unassigned {self.unassigned_cost}{change}"
        )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _windows_on(windows: tuple[Window, ...], day: dt.date) -> list[tuple[int, int]]:
    name = WEEKDAYS[day.weekday()]
    return sorted(
        (w.start, w.end) for w in windows if (w.date == day if w.date else w.weekday == name)
    )


def _tour_windows(consultant: Consultant, day: dt.date) -> list[tuple[int, int]]:
    """The consultant's tour windows on ``day``: availability minus unavailability."""
    windows = _windows_on(consultant.availability, day)
    for u in consultant.unavailable:
        if u.date != day:
            continue
        cut: list[tuple[int, int]] = []
        for s, e in windows:
            if u.end <= s or u.start >= e:
                cut.append((s, e))
                continue
            if s < u.start:
                cut.append((s, u.start))
            if u.end < e:
                cut.append((u.end, e))
        windows = cut
    return [(s, e) for s, e in windows if e > s]


def _can_match(roles: list[frozenset[str]], people: list[Consultant]) -> bool:
    """Whether the roles can be filled one-to-one by these people (tiny brute force)."""
    if len(roles) != len(people):
        return False
    return any(
        all(p.skills.issuperset(r) for p, r in zip(order, roles, strict=True))
        for order in permutations(people)
    )


def _before_now(scenario: Scenario, day: dt.date, start: int) -> bool:
    now = scenario.now
    return now is not None and (day, start) < (now.date(), now.hour * 60 + now.minute)


def _kept(scenario: Scenario, visits: Sequence[Visit]) -> set[str]:
    """Requests whose published visit the plan keeps (same date, start, consultant set)."""
    out: set[str] = set()
    for v in visits:
        p = scenario.published_visit(v.request)
        if (
            p is not None
            and p.date == v.date
            and p.start == v.start
            and set(p.consultants) == set(v.consultants)
        ):
            out.add(v.request)
    return out


@dataclass
class _Ctx:
    scenario: Scenario
    report: CheckReport
    consultants: dict[str, Consultant]
    requests: dict[str, Request]
    youths: dict[str, Youth]
    locations: dict[str, Location]


# Rules on the plan as a whole --------------------------------------------------------------


def _check_every_request_once(ctx: _Ctx, plan: Plan) -> None:
    seen: dict[str, int] = defaultdict(int)
    for v in plan.visits:
        seen[v.request] += 1
    for u in plan.unassigned:
        seen[u.request] += 1
        if not u.reasons or not all(str(r).strip() for r in u.reasons):
            ctx.report.add(Message("check_no_reason", request=u.request), u.request)
    for rid, n in seen.items():
        if rid not in ctx.requests:
            ctx.report.add(Message("check_unknown_request", request=rid), rid)
        elif n > 1:
            ctx.report.add(Message("check_request_twice", request=rid, n=n), rid)
    for rid in ctx.requests:
        if rid not in seen:
            ctx.report.add(Message("check_request_missing", request=rid), rid)


# Rules on each visit ------------------------------------------------------------------------


def _tag(v: Visit) -> Message:
    return Message("check_visit", request=v.request, date=v.date, window=(v.start, v.end))


def _check_skills(ctx: _Ctx, v: Visit, req: Request) -> None:
    """Rule ``skills`` (and ``joint``): distinct consultants, one per role, with its skills."""
    add, tag = ctx.report.add, _tag(v)
    people = [ctx.consultants[c] for c in v.consultants if c in ctx.consultants]
    for c in v.consultants:
        if c not in ctx.consultants:
            add(Message("check_unknown_consultant", visit=tag, consultant=c), v.request)
    if len(set(v.consultants)) != len(v.consultants):
        add(Message("check_consultant_twice", visit=tag), v.request)
    if len(v.consultants) != len(req.roles):
        n, roles = len(v.consultants), len(req.roles)
        add(Message("check_role_count", visit=tag, n=n, roles=roles), v.request)
    elif len(people) == len(v.consultants) and not _can_match(list(req.roles), people):
        add(Message("check_skills", visit=tag), v.request)


def _check_duration(ctx: _Ctx, v: Visit, req: Request) -> None:
    """The visit lasts the request's duration, within one day."""
    add, tag = ctx.report.add, _tag(v)
    if v.end - v.start != req.duration_minutes:
        lasts, needs = v.end - v.start, req.duration_minutes
        add(Message("check_duration", visit=tag, minutes=lasts, needed=needs), v.request)
    if v.start < 0 or v.end > 24 * 60 or v.end <= v.start:
        add(Message("check_not_a_time_span", visit=tag), v.request)


def _check_dates(ctx: _Ctx, v: Visit, req: Request, youth: Youth) -> None:
    """Rule ``dates``: a planning day in earliest..latest, not before signalled_on."""
    add, tag = ctx.report.add, _tag(v)
    if v.date not in ctx.scenario.days:
        add(Message("check_not_planning_day", visit=tag, date=v.date), v.request)
    if not req.earliest <= v.date <= req.latest:
        outside = Message("check_outside_dates", visit=tag, first=req.earliest, last=req.latest)
        add(outside, v.request)
    if v.date < youth.signalled_on:
        add(Message("check_before_signalled", visit=tag, signalled=youth.signalled_on), v.request)


def _check_time_of_day(ctx: _Ctx, v: Visit, req: Request) -> None:
    """Rule ``time_of_day``."""
    tod = req.time_of_day
    if tod is not None and not (tod.start <= v.start and v.end <= tod.end):
        window = (tod.start, tod.end)
        ctx.report.add(
            Message("check_outside_time_of_day", visit=_tag(v), window=window), v.request
        )


def _check_opening_hours(ctx: _Ctx, v: Visit, loc: Location) -> None:
    """Rule ``opening_hours``: wholly inside one opening window of the date."""
    add, tag = ctx.report.add, _tag(v)
    if loc.open is not None and not any(
        s <= v.start and v.end <= e for s, e in _windows_on(loc.open, v.date)
    ):
        add(Message("check_outside_opening", visit=tag, location=loc.name), v.request)


def _check_exclusions(ctx: _Ctx, v: Visit, youth: Youth) -> None:
    """Rule ``exclusions``."""
    for c in v.consultants:
        if c in youth.excluded_consultants:
            excluded = Message("check_excluded", visit=_tag(v), consultant=c, youth=youth.id)
            ctx.report.add(excluded, v.request)


def _check_pin(ctx: _Ctx, v: Visit, req: Request) -> None:
    """Rule ``pins`` on a visit: the pinned consultants, date and start are kept."""
    add, tag = ctx.report.add, _tag(v)
    pin = req.pinned
    if pin is None:
        return
    if set(pin.consultants) != set(v.consultants):
        pinned = list(pin.consultants)
        add(Message("check_pin_consultants", visit=tag, consultants=pinned), v.request)
    if pin.date is not None and pin.date != v.date:
        add(Message("check_pin_date", visit=tag, date=pin.date), v.request)
    if pin.start is not None and pin.start != v.start:
        add(Message("check_pin_start", visit=tag, start=_hhmm(pin.start)), v.request)


def _check_pins_planned(ctx: _Ctx, plan: Plan) -> None:
    """Rule ``pins`` on the plan: every pinned request is planned."""
    planned = {v.request for v in plan.visits}
    for r in ctx.scenario.requests:
        if r.pinned is not None and r.id not in planned:
            ctx.report.add(Message("check_pin_not_planned", request=r.id), r.id)


def _check_not_before_now(ctx: _Ctx, visits: Sequence[Visit], kept: set[str]) -> None:
    """Rule ``published``: every visit that is not a kept published visit starts at or
    after ``now``; every published visit that starts before ``now`` is kept."""
    s = ctx.scenario
    if s.now is None:
        return
    now = s.now.strftime("%Y-%m-%dT%H:%M")
    for v in visits:
        if v.request not in kept and _before_now(s, v.date, v.start):
            ctx.report.add(Message("check_before_now", visit=_tag(v), now=now), v.request)
    for p in s.published:
        if _before_now(s, p.date, p.start) and p.request not in kept:
            not_kept = Message(
                "check_published_not_kept",
                request=p.request,
                date=p.date,
                start=_hhmm(p.start),
                consultants=list(p.consultants),
                now=now,
            )
            ctx.report.add(not_kept, p.request)


# Rules on tours and caps ----------------------------------------------------------------


def _check_tours_and_caps(
    ctx: _Ctx, per_consultant: dict[str, list[Visit]], tm: TravelMatrix
) -> int:
    """Tour windows, the drives between visits and the caps; returns the travel minutes."""
    travel_total = 0
    for cid, visits in sorted(per_consultant.items()):
        cons = ctx.consultants[cid]
        by_day: dict[dt.date, list[Visit]] = defaultdict(list)
        for v in visits:
            by_day[v.date].append(v)
        _check_cap_per_week(ctx, cons, visits)
        for day, day_visits in sorted(by_day.items()):
            _check_cap_per_day(ctx, cons, day, day_visits)
            travel_total += _check_tours_of_day(ctx, cons, day, day_visits, tm)
    return travel_total


def _check_cap_per_week(ctx: _Ctx, cons: Consultant, visits: list[Visit]) -> None:
    """Rule ``caps``: ``max_visits_per_week``."""
    if cons.max_visits_per_week is not None and len(visits) > cons.max_visits_per_week:
        cap = cons.max_visits_per_week
        too_many = Message("check_cap_week", consultant=cons.id, n=len(visits), cap=cap)
        ctx.report.add(too_many, *(v.request for v in visits))


def _check_cap_per_day(ctx: _Ctx, cons: Consultant, day: dt.date, visits: list[Visit]) -> None:
    """Rule ``caps``: ``max_visits_per_day``."""
    if cons.max_visits_per_day is not None and len(visits) > cons.max_visits_per_day:
        too_many = Message(
            "check_cap_day",
            consultant=cons.id,
            n=len(visits),
            date=day,
            cap=cons.max_visits_per_day,
        )
        ctx.report.add(too_many, *(v.request for v in visits))


def _check_tours_of_day(
    ctx: _Ctx, cons: Consultant, day: dt.date, day_visits: list[Visit], tm: TravelMatrix
) -> int:
    """Rules ``windows`` (each visit inside a tour window) and ``routes`` (the drives from
    the base, between visits and back fit); returns the day's travel minutes."""
    add = ctx.report.add
    cid, base = cons.id, f"base:{cons.id}"
    tours: dict[tuple[int, int], list[Visit]] = defaultdict(list)
    windows = _tour_windows(cons, day)
    for v in day_visits:
        window = next(((s, e) for s, e in windows if s <= v.start and v.end <= e), None)
        if window is None:
            add(
                Message(
                    "check_unavailable",
                    request=v.request,
                    consultant=cid,
                    date=day,
                    window=(v.start, v.end),
                ),
                v.request,
            )
            continue
        tours[window].append(v)
    total = 0
    for (ws, we), tour in sorted(tours.items()):
        tour.sort(key=lambda x: (x.start, x.end, x.request))
        stops = [ctx.youths[ctx.requests[v.request].youth].location for v in tour]
        first = tm(base, stops[0])
        if ws + first > tour[0].start:
            add(
                Message(
                    "check_no_drive_from_base",
                    request=tour[0].request,
                    consultant=cid,
                    leaves=_hhmm(ws),
                    minutes=first,
                    start=_hhmm(tour[0].start),
                ),
                tour[0].request,
            )
        legs = first
        for prev, nxt, a, b in zip(tour, tour[1:], stops, stops[1:], strict=False):
            leg = tm(a, b)
            legs += leg
            if prev.end + leg > nxt.start:
                add(
                    Message(
                        "check_no_drive_between",
                        first=prev.request,
                        second=nxt.request,
                        consultant=cid,
                        ends=_hhmm(prev.end),
                        minutes=leg,
                        starts=_hhmm(nxt.start),
                    ),
                    prev.request,
                    nxt.request,
                )
        back = tm(stops[-1], base)
        legs += back
        if tour[-1].end + back > we:
            add(
                Message(
                    "check_back_late",
                    request=tour[-1].request,
                    consultant=cid,
                    back=_hhmm(tour[-1].end + back),
                    end=_hhmm(we),
                ),
                tour[-1].request,
            )
        total += legs
    return total


# The plan's own figures -------------------------------------------------------------------


def _check_reported_figures(ctx: _Ctx, plan: Plan) -> None:
    add, report = ctx.report.add, ctx.report
    if plan.solver.status not in ("optimal", "feasible", "infeasible", "unknown"):
        add(Message("check_unknown_status", status=repr(plan.solver.status)))
    if plan.solver.objective is not None and plan.solver.objective != report.objective:
        reported = plan.solver.objective
        add(Message("check_objective", reported=str(reported), objective=report.objective))
    kpi_travel = plan.kpis.get("travel_minutes")
    if kpi_travel is not None and kpi_travel != report.travel_minutes:
        add(Message("check_kpi_travel", reported=str(kpi_travel), travel=report.travel_minutes))
    kpi_changed = plan.kpis.get("changed")
    if kpi_changed is not None and ctx.scenario.published and kpi_changed != report.changed:
        add(Message("check_kpi_changed", reported=str(kpi_changed), changed=report.changed))
    bound, objective = plan.solver.bound, plan.solver.objective
    if bound is not None and objective is not None and bound > objective:
        add(Message("check_bound", bound=str(bound), objective=str(objective)))


# Entry points -----------------------------------------------------------------------------


def _context(scenario: Scenario, report: CheckReport) -> _Ctx:
    return _Ctx(
        scenario,
        report,
        {c.id: c for c in scenario.consultants},
        {r.id: r for r in scenario.requests},
        {y.id: y for y in scenario.youths},
        {loc.id: loc for loc in scenario.locations},
    )


def check_visits(
    scenario: Scenario, visits: Sequence[Visit], tm: TravelMatrix, report: CheckReport
) -> None:
    """Check the visits against every rule of FORMAT.md's Feasibility section.

    Adds the violations and the visits' objective terms (travel, waiting, continuity,
    changed published visits) to ``report``; the rules on the plan as a whole (every
    request once, pins planned, reported figures) are left to :func:`check_plan`.
    """
    _check_visit_rules(_context(scenario, report), visits, tm)


def _check_visit_rules(ctx: _Ctx, visits: Sequence[Visit], tm: TravelMatrix) -> None:
    scenario, report = ctx.scenario, ctx.report
    w = scenario.weights
    per_consultant: dict[str, list[Visit]] = defaultdict(list)
    for v in visits:
        req = ctx.requests.get(v.request)
        if req is None:
            continue
        youth = ctx.youths[req.youth]
        loc = ctx.locations[youth.location]
        if v.youth and v.youth != youth.id:
            wrong = Message("check_wrong_youth", visit=_tag(v), youth=v.youth, expected=youth.id)
            report.add(wrong, v.request)
        if v.location and v.location != loc.id:
            wrong = Message(
                "check_wrong_location", visit=_tag(v), location=v.location, expected=loc.id
            )
            report.add(wrong, v.request)
        _check_skills(ctx, v, req)
        _check_duration(ctx, v, req)
        _check_dates(ctx, v, req, youth)
        _check_time_of_day(ctx, v, req)
        _check_opening_hours(ctx, v, loc)
        _check_exclusions(ctx, v, youth)
        _check_pin(ctx, v, req)
        for c in v.consultants:
            if c in ctx.consultants:
                per_consultant[c].append(v)
        factor = scenario.urgency_factors[youth.urgency]
        report.waiting_cost += w.waiting_day * factor * (v.date - youth.signalled_on).days
        if youth.previous_consultant is not None and youth.previous_consultant not in (
            v.consultants
        ):
            report.continuity_cost += w.continuity
    kept = _kept(scenario, visits)
    _check_not_before_now(ctx, visits, kept)
    report.travel_minutes += _check_tours_and_caps(ctx, per_consultant, tm)
    report.changed = sum(1 for p in scenario.published if p.request not in kept)
    report.change_cost = w.change * report.changed


def check_plan(scenario: Scenario, plan: Plan, travel: TravelMatrix | None = None) -> CheckReport:
    """Check ``plan`` against ``scenario`` following FORMAT.md.

    Parameters
    ----------
    scenario
        The planning problem.
    plan
        The plan to check.
    travel
        The scenario's travel matrix (built when not given).

    Returns
    -------
    CheckReport
        Violations (with the requests they concern) plus the recomputed objective and its
        terms.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    report = CheckReport()
    ctx = _context(scenario, report)
    _check_every_request_once(ctx, plan)
    _check_visit_rules(ctx, plan.visits, tm)
    _check_pins_planned(ctx, plan)
    w = scenario.weights
    for u in plan.unassigned:
        req = ctx.requests.get(u.request)
        if req is not None:
            factor = scenario.urgency_factors[ctx.youths[req.youth].urgency]
            report.unassigned_cost += w.unassigned * factor
    report.objective = (
        w.travel_minute * report.travel_minutes
        + report.waiting_cost
        + report.continuity_cost
        + report.unassigned_cost
        + report.change_cost
    )
    _check_reported_figures(ctx, plan)
    return report
