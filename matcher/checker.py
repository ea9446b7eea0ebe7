"""The independent plan checker: feasibility and objective recomputed from the plan alone.

It follows FORMAT.md line by line and shares no code with the optimisation model beyond the
loader (the :class:`~matcher.domain.Scenario` it builds) and the travel matrix. Even the tour
windows are expanded here again from the raw availability, so that a bug in the model's
expansion cannot hide itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from matcher.domain import WEEKDAYS, Consultant, Plan, Scenario, Visit, Window
from matcher.travel import TravelMatrix, build_travel_matrix

__all__ = ["CheckReport", "check_plan"]


@dataclass
class CheckReport:
    """What the checker found.

    Attributes
    ----------
    violations
        Every broken rule, in words; empty when the plan is feasible and consistent.
    objective
        The objective recomputed per FORMAT.md from the visits and unassigned requests.
    travel_minutes, waiting_cost, continuity_cost, unassigned_cost
        The objective's terms (travel before weighting).
    """

    violations: list[str] = field(default_factory=list)
    objective: int = 0
    travel_minutes: int = 0
    waiting_cost: int = 0
    continuity_cost: int = 0
    unassigned_cost: int = 0

    @property
    def feasible(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        head = "feasible" if self.feasible else f"{len(self.violations)} violation(s)"
        return (
            f"{head}; objective {self.objective} = travel {self.travel_minutes} min "
            f"(weighted) + waiting {self.waiting_cost} + continuity {self.continuity_cost} "
            f"+ unassigned {self.unassigned_cost}"
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
    from itertools import permutations

    if len(roles) != len(people):
        return False
    return any(
        all(p.skills.issuperset(r) for p, r in zip(order, roles, strict=True))
        for order in permutations(people)
    )


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
        Violations in words plus the recomputed objective and its terms.
    """
    tm = travel if travel is not None else build_travel_matrix(scenario)
    report = CheckReport()
    bad = report.violations
    consultants = {c.id: c for c in scenario.consultants}
    requests = {r.id: r for r in scenario.requests}
    youths = {y.id: y for y in scenario.youths}
    locations = {loc.id: loc for loc in scenario.locations}
    days = set(scenario.days)
    w = scenario.weights

    # Every request exactly once ------------------------------------------------------
    seen: dict[str, int] = defaultdict(int)
    for v in plan.visits:
        seen[v.request] += 1
    for u in plan.unassigned:
        seen[u.request] += 1
        if not u.reasons or not all(str(r).strip() for r in u.reasons):
            bad.append(f"unassigned request {u.request} carries no reason")
    for rid, n in seen.items():
        if rid not in requests:
            bad.append(f"request {rid} in the plan does not exist in the scenario")
        elif n > 1:
            bad.append(f"request {rid} appears {n} times in the plan (exactly once allowed)")
    for rid in requests:
        if rid not in seen:
            bad.append(f"request {rid} is missing from the plan (neither visit nor unassigned)")

    # Each visit on its own -------------------------------------------------------------
    per_consultant: dict[str, list[Visit]] = defaultdict(list)
    for v in plan.visits:
        req = requests.get(v.request)
        if req is None:
            continue
        youth = youths[req.youth]
        loc = locations[youth.location]
        tag = f"visit {v.request} ({v.date.isoformat()} {_hhmm(v.start)}-{_hhmm(v.end)})"
        if v.youth and v.youth != youth.id:
            bad.append(f"{tag}: youth {v.youth} is not the request's youth {youth.id}")
        if v.location and v.location != loc.id:
            bad.append(f"{tag}: location {v.location} is not the youth's location {loc.id}")
        people = [consultants[c] for c in v.consultants if c in consultants]
        for c in v.consultants:
            if c not in consultants:
                bad.append(f"{tag}: consultant {c} does not exist")
        if len(set(v.consultants)) != len(v.consultants):
            bad.append(f"{tag}: a consultant is named twice")
        if len(v.consultants) != len(req.roles):
            bad.append(f"{tag}: {len(v.consultants)} consultant(s) for {len(req.roles)} role(s)")
        elif len(people) == len(v.consultants) and not _can_match(list(req.roles), people):
            bad.append(f"{tag}: the consultants do not have the skills of the roles")
        if v.end - v.start != req.duration_minutes:
            bad.append(
                f"{tag}: lasts {v.end - v.start} min, the request needs {req.duration_minutes}"
            )
        if v.start < 0 or v.end > 24 * 60 or v.end <= v.start:
            bad.append(f"{tag}: start/end are not a time span within the day")
        if v.date not in days:
            bad.append(f"{tag}: {v.date.isoformat()} is not a planning day")
        if not req.earliest <= v.date <= req.latest:
            bad.append(f"{tag}: date outside {req.earliest.isoformat()}..{req.latest.isoformat()}")
        if v.date < youth.signalled_on:
            bad.append(f"{tag}: before the youth was signalled ({youth.signalled_on})")
        if req.time_of_day is not None and not (
            req.time_of_day.start <= v.start and v.end <= req.time_of_day.end
        ):
            bad.append(
                f"{tag}: outside time of day {_hhmm(req.time_of_day.start)}-"
                f"{_hhmm(req.time_of_day.end)}"
            )
        if loc.open is not None and not any(
            s <= v.start and v.end <= e for s, e in _windows_on(loc.open, v.date)
        ):
            bad.append(f"{tag}: outside the opening hours of {loc.name}")
        for c in v.consultants:
            if c in youth.excluded_consultants:
                bad.append(f"{tag}: consultant {c} is excluded for youth {youth.id}")
        pin = req.pinned
        if pin is not None:
            if set(pin.consultants) != set(v.consultants):
                bad.append(f"{tag}: pinned to {', '.join(pin.consultants)}, not kept")
            if pin.date is not None and pin.date != v.date:
                bad.append(f"{tag}: pinned to {pin.date.isoformat()}, not kept")
            if pin.start is not None and pin.start != v.start:
                bad.append(f"{tag}: pinned to start {_hhmm(pin.start)}, not kept")
        for c in v.consultants:
            if c in consultants:
                per_consultant[c].append(v)
        # objective terms of the visit
        factor = scenario.urgency_factors[youth.urgency]
        report.waiting_cost += w.waiting_day * factor * (v.date - youth.signalled_on).days
        if youth.previous_consultant is not None and youth.previous_consultant not in (
            v.consultants
        ):
            report.continuity_cost += w.continuity
    for r in scenario.requests:
        if r.pinned is not None and r.id not in {v.request for v in plan.visits}:
            bad.append(f"request {r.id} is pinned but not planned")

    # Tours and caps ----------------------------------------------------------------------
    travel_total = 0
    for cid, visits in sorted(per_consultant.items()):
        cons = consultants[cid]
        base = f"base:{cid}"
        by_day: dict[dt.date, list[Visit]] = defaultdict(list)
        for v in visits:
            by_day[v.date].append(v)
        if cons.max_visits_per_week is not None and len(visits) > cons.max_visits_per_week:
            bad.append(
                f"{cid} has {len(visits)} visits, more than max {cons.max_visits_per_week} a week"
            )
        for day, day_visits in sorted(by_day.items()):
            if cons.max_visits_per_day is not None and len(day_visits) > cons.max_visits_per_day:
                bad.append(
                    f"{cid} has {len(day_visits)} visits on {day.isoformat()}, more than max "
                    f"{cons.max_visits_per_day} a day"
                )
            tours: dict[tuple[int, int], list[Visit]] = defaultdict(list)
            for v in day_visits:
                window = next(
                    ((s, e) for s, e in _tour_windows(cons, day) if s <= v.start and v.end <= e),
                    None,
                )
                if window is None:
                    bad.append(
                        f"visit {v.request}: {cid} is not available on {day.isoformat()} "
                        f"{_hhmm(v.start)}-{_hhmm(v.end)}"
                    )
                    continue
                tours[window].append(v)
            for (ws, we), tour in sorted(tours.items()):
                tour.sort(key=lambda x: (x.start, x.end, x.request))
                stops = [locations[youths[requests[v.request].youth].location].id for v in tour]
                first = tm(base, stops[0])
                if ws + first > tour[0].start:
                    bad.append(
                        f"visit {tour[0].request}: {cid} leaves at {_hhmm(ws)} and needs "
                        f"{first} min from the base, cannot start at {_hhmm(tour[0].start)}"
                    )
                leg_sum = first
                for prev, nxt, a, b in zip(tour, tour[1:], stops, stops[1:], strict=False):
                    leg = tm(a, b)
                    leg_sum += leg
                    if prev.end + leg > nxt.start:
                        bad.append(
                            f"visits {prev.request} and {nxt.request}: {cid} ends at "
                            f"{_hhmm(prev.end)} and needs {leg} min to the next, which starts "
                            f"at {_hhmm(nxt.start)}"
                        )
                back = tm(stops[-1], base)
                leg_sum += back
                if tour[-1].end + back > we:
                    bad.append(
                        f"visit {tour[-1].request}: {cid} is back at the base at "
                        f"{_hhmm(tour[-1].end + back)}, after the window ends at {_hhmm(we)}"
                    )
                travel_total += leg_sum

    report.travel_minutes = travel_total
    for u in plan.unassigned:
        req = requests.get(u.request)
        if req is not None:
            factor = scenario.urgency_factors[youths[req.youth].urgency]
            report.unassigned_cost += w.unassigned * factor
    report.objective = (
        w.travel_minute * travel_total
        + report.waiting_cost
        + report.continuity_cost
        + report.unassigned_cost
    )

    # The plan's own figures ------------------------------------------------------------
    if plan.solver.status not in ("optimal", "feasible", "infeasible", "unknown"):
        bad.append(f"solver.status {plan.solver.status!r} is not a known status")
    if plan.solver.objective is not None and plan.solver.objective != report.objective:
        bad.append(
            f"solver.objective is {plan.solver.objective}, recomputed per FORMAT.md it is "
            f"{report.objective}"
        )
    kpi_travel = plan.kpis.get("travel_minutes")
    if kpi_travel is not None and kpi_travel != travel_total:
        bad.append(f"kpis.travel_minutes is {kpi_travel}, recomputed it is {travel_total}")
    if (
        plan.solver.bound is not None
        and plan.solver.objective is not None
        and plan.solver.bound > plan.solver.objective
    ):
        bad.append(
            f"solver.bound {plan.solver.bound} is above the objective {plan.solver.objective}"
        )
    return report
