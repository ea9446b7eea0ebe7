"""What a plan costs, per visit and per responsible gemeente, in exact euro cents.

Providers may carry an ``hourly_rate`` (euros per consultant per consult hour) and a
``km_rate`` (euros per kilometre driven), see FORMAT.md; the rates never enter the
objective. A youth's ``gemeente`` is the municipality that pays for the visits to them.

The rule
--------
Every amount is a whole number of **cents** (``int``); nothing is summed in floating point.

1. **Consult hours.** Each consultant of a visit is billed for the visit's duration at
   their own provider's hourly rate: ``round(minutes * hourly_rate * 100 / 60)`` cents per
   consultant and visit (half up). A joint visit with consultants of two providers is billed
   at both rates, one line per consultant.
2. **Kilometres of a leg.** The distance between two points (a location, or a consultant's
   base ``base:<id>``) is the great-circle haversine distance (R = 6371.0 km) times the
   scenario's ``detour_factor``, as for travel minutes in FORMAT.md. Two points with the same
   id or the same coordinates are 0 km apart. A pair listed in the ``travel.matrix`` CSV
   (which gives minutes only) is ``minutes * speed_kmh / 60`` km, in the listed direction
   only, just as the override replaces the computed minutes. Each leg is rounded to whole
   metres (half up).
3. **A tour** is one consultant's visits inside one availability window of one day
   (FORMAT.md, Feasibility), in start order: base -> first -> ... -> last -> base. Its
   distance is the sum of its legs' metres; its km cost is
   ``round(metres * km_rate * 100 / 1000)`` cents (half up) at the consultant's provider's
   km rate. A visit that lies in no window of its consultant (a plan that no longer fits the
   data) is put in a tour of its own day's leftover visits of that consultant, and a warning
   says so.
4. **Splitting a tour over its visits.** The tour's km cost, and its metres, are shared out
   in proportion to each visit's **stand-alone round trip**: the metres of
   ``base -> visit -> base`` for that consultant, computed as in rule 2. A visit far from the
   base carries more of the tour than one next door; two visits at one place share equally.
   When every weight is 0 (all visits at the base) the shares are equal. The split is the
   largest-remainder (Hamilton) apportionment in integers (:func:`apportion`): each visit
   gets the floor of its exact quota, and the cents left over go one each to the largest
   remainders, ties to the earlier visit in the tour. The shares of a tour therefore add up
   to its cost exactly.
5. **Totals.** A visit costs its hours cents plus, per consultant, its share of that
   consultant's tour. The plan's total is the sum over tours of their km cost plus the sum of
   all hours cents; because of rule 4 it equals the sum of the visit costs, and so the sum of
   the per-gemeente totals, to the cent.

A rate that is missing counts as 0; :attr:`PlanCosts.missing_rates` names the providers
(with a visit in the plan) that lack one, so a report can say so instead of inventing
numbers.

Sums per gemeente, provider and period (:class:`CostTotals`, :func:`costs_by_gemeente`,
:func:`period_key`, ...) live in :mod:`matcher.policy.cost_totals` and are importable from
here as well.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from matcher.policy.cost_totals import (
    PERIODS,
    CostTotals,
    Period,
    costs_by_gemeente,
    costs_by_period,
    costs_by_provider,
    period_key,
    period_label,
    same_gemeente,
)
from matcher.scenario.domain import (
    Consultant,
    Plan,
    Point,
    Provider,
    Scenario,
    Visit,
    base_point,
    tours_of,
)
from matcher.travel import haversine_km

__all__ = [
    "PERIODS",
    "ConsultantLine",
    "CostError",
    "CostTotals",
    "Distances",
    "MissingRate",
    "Period",
    "PlanCosts",
    "TourCost",
    "VisitCost",
    "apportion",
    "costs_by_gemeente",
    "costs_by_period",
    "costs_by_provider",
    "hours_cents",
    "km_cents",
    "period_key",
    "period_label",
    "plan_costs",
    "same_gemeente",
    "visit_costs",
]


class CostError(ValueError):
    """The plan cannot be priced against the scenario; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# Arithmetic -----------------------------------------------------------------------------------


def _rate(value: float | None) -> Decimal:
    """A rate as a Decimal of its written value (``0.35`` stays ``0.35``); missing is 0."""
    return Decimal(0) if value is None else Decimal(str(value))


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def hours_cents(minutes: int, hourly_rate: float | None) -> int:
    """Cents for ``minutes`` of one consultant at ``hourly_rate`` euros an hour (half up)."""
    return _half_up(Decimal(minutes) * _rate(hourly_rate) * 100 / 60)


def km_cents(metres: int, km_rate: float | None) -> int:
    """Cents for ``metres`` driven at ``km_rate`` euros a kilometre (half up)."""
    return _half_up(Decimal(metres) * _rate(km_rate) / 10)


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split the integer ``total`` over ``weights`` by largest remainder (Hamilton).

    Each share is the floor of its exact quota ``total * w / sum(weights)`` or one more;
    the units left after the floors go to the largest remainders, ties to the lower index.
    The shares add up to ``total`` exactly. With all weights 0 the split is equal.

    Raises
    ------
    ValueError
        No weights, or a negative weight.
    """
    if not weights:
        raise ValueError("apportion needs at least one weight")
    if any(w < 0 for w in weights):
        raise ValueError(f"weights must be >= 0, got {list(weights)}")
    ws = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(ws)
    shares = [total * w // whole for w in ws]
    remainders = [total * w % whole for w in ws]
    left = total - sum(shares)
    for i in sorted(range(len(ws)), key=lambda i: (-remainders[i], i))[:left]:
        shares[i] += 1
    return shares


# Distances -----------------------------------------------------------------------------------


class Distances:
    """Kilometres between the scenario's points per the module's rule 2.

    Parameters
    ----------
    scenario
        Its locations, consultant bases, ``travel.detour_factor``, ``travel.speed_kmh`` and
        ``travel.overrides`` (the ``matrix`` CSV rows) are used.
    """

    def __init__(self, scenario: Scenario) -> None:
        self._points: dict[str, Point] = {loc.id: loc.point for loc in scenario.locations}
        for c in scenario.consultants:
            self._points[base_point(c.id)] = c.base
        self._detour = scenario.travel.detour_factor
        self._speed = scenario.travel.speed_kmh
        self._overrides = {(a, b): m for a, b, m in scenario.travel.overrides}

    def km(self, a: str, b: str) -> float:
        """Kilometres from point ``a`` to point ``b`` (not rounded)."""
        minutes = self._overrides.get((a, b))
        if minutes is not None:
            return minutes * self._speed / 60.0
        if a == b:
            return 0.0
        pa, pb = self._points[a], self._points[b]
        if pa == pb:
            return 0.0
        return haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) * self._detour

    def metres(self, a: str, b: str) -> int:
        """Whole metres from ``a`` to ``b`` (half up)."""
        return _half_up(Decimal(repr(self.km(a, b))) * 1000)


# Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsultantLine:
    """One consultant's part of a visit: their hours and their share of their tour."""

    consultant: str
    provider: str
    minutes: int
    hours_cents: int
    metres: int
    """This visit's share of the consultant's tour distance."""
    km_cents: int
    """This visit's share of the consultant's tour km cost."""

    @property
    def total_cents(self) -> int:
        return self.hours_cents + self.km_cents


@dataclass(frozen=True, slots=True)
class VisitCost:
    """What one visit costs, with one line per consultant."""

    request: str
    case_code: str
    gemeente: str
    """The youth's responsible (paying) municipality."""
    date: dt.date
    start: int
    consultants: tuple[str, ...]
    lines: tuple[ConsultantLine, ...]

    @property
    def minutes(self) -> int:
        """Consultant minutes (duration times the number of consultants)."""
        return sum(line.minutes for line in self.lines)

    @property
    def hours_cents(self) -> int:
        return sum(line.hours_cents for line in self.lines)

    @property
    def metres(self) -> int:
        return sum(line.metres for line in self.lines)

    @property
    def km(self) -> float:
        return self.metres / 1000

    @property
    def km_cents(self) -> int:
        return sum(line.km_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.hours_cents + self.km_cents

    @property
    def providers(self) -> tuple[str, ...]:
        """Provider ids of the visit's consultants, first appearance first."""
        return tuple(dict.fromkeys(line.provider for line in self.lines))


@dataclass(frozen=True, slots=True)
class TourCost:
    """One consultant's tour: its visits in start order, distance and km cost."""

    consultant: str
    provider: str
    date: dt.date
    window: tuple[int, int] | None
    """The availability window; ``None`` for visits that lie in no window."""
    requests: tuple[str, ...]
    metres: int
    km_cents: int


@dataclass(frozen=True, slots=True)
class MissingRate:
    """A provider with visits in the plan but without a rate (counted as 0)."""

    provider: str
    name: str
    hourly_rate: bool
    """The hourly rate is missing."""
    km_rate: bool
    """The km rate is missing."""


@dataclass(frozen=True)
class PlanCosts:
    """The priced plan: visits (plan order), tours, missing rates and warnings."""

    visits: tuple[VisitCost, ...]
    tours: tuple[TourCost, ...]
    missing_rates: tuple[MissingRate, ...]
    warnings: tuple[str, ...] = ()

    @property
    def total_cents(self) -> int:
        """Sum of the tours' km costs plus every consultant's hours (rule 5)."""
        return sum(t.km_cents for t in self.tours) + sum(v.hours_cents for v in self.visits)


# Pricing ---------------------------------------------------------------------------------------


def _windows_on(consultant: Consultant, day: dt.date) -> list[tuple[int, int]]:
    """The consultant's tour windows on ``day`` (availability minus unavailability)."""
    return [(t.start, t.end) for t in tours_of(consultant, [day])]


@dataclass(frozen=True, slots=True)
class _Stop:
    index: int
    """Position of the visit in the plan."""
    visit: Visit
    location: str


def _resolve(scenario: Scenario, plan: Plan) -> tuple[list[tuple[Visit, str, str, str]], list[str]]:
    """Per visit ``(visit, case code, gemeente, location id)``; every problem in words."""
    problems: list[str] = []
    out: list[tuple[Visit, str, str, str]] = []
    known = {c.id for c in scenario.consultants}
    for i, v in enumerate(plan.visits):
        where = f"visits[{i}] (request {v.request})"
        try:
            request = scenario.request(v.request)
        except KeyError:
            problems.append(f"{where}: the request is not in the scenario")
            continue
        youth = scenario.youth(request.youth)
        unknown = [c for c in v.consultants if c not in known]
        if unknown:
            problems.append(f"{where}: consultant(s) {', '.join(unknown)} not in the scenario")
            continue
        if not v.consultants:
            problems.append(f"{where}: no consultants")
            continue
        out.append((v, youth.id, youth.gemeente, youth.location))
    return out, problems


def plan_costs(scenario: Scenario, plan: Plan) -> PlanCosts:
    """Price ``plan`` against ``scenario`` per the module's rule.

    Raises
    ------
    CostError
        A visit names a request or consultant the scenario does not have (every such visit
        is listed).
    """
    resolved, problems = _resolve(scenario, plan)
    if problems:
        raise CostError(problems)
    dist = Distances(scenario)
    consultants = {c.id: c for c in scenario.consultants}
    providers: dict[str, Provider] = {p.id: p for p in scenario.providers}
    warnings: list[str] = []

    by_day: dict[tuple[str, dt.date], list[_Stop]] = defaultdict(list)
    for i, (v, _, _, loc) in enumerate(resolved):
        for c in v.consultants:
            by_day[(c, v.date)].append(_Stop(i, v, loc))
    # (visit index, consultant) -> (metres, km cents)
    shares: dict[tuple[int, str], tuple[int, int]] = {}
    tours: list[TourCost] = []
    for (cid, day), stops in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        cons = consultants[cid]
        provider = providers.get(cons.provider)
        km_rate = provider.km_rate if provider is not None else None
        groups = _group_by_window(cons, day, stops, warnings)
        for window, group in sorted(groups.items(), key=lambda kv: kv[0] or (-1, -1)):
            tours.append(_price_tour(dist, cons, day, window, group, km_rate, shares))

    visits = [
        _visit_cost(v, case, gemeente, i, consultants, providers, shares)
        for i, (v, case, gemeente, _) in enumerate(resolved)
    ]
    return PlanCosts(
        tuple(visits), tuple(tours), _missing_rates(visits, providers), tuple(warnings)
    )


def _group_by_window(
    cons: Consultant, day: dt.date, stops: list[_Stop], warnings: list[str]
) -> dict[tuple[int, int] | None, list[_Stop]]:
    """The consultant's stops of ``day`` per availability window (rule 3).

    A stop in no window goes in the ``None`` group, and a warning says so.
    """
    groups: dict[tuple[int, int] | None, list[_Stop]] = defaultdict(list)
    windows = _windows_on(cons, day)
    for stop in stops:
        window = next(
            ((s, e) for s, e in windows if s <= stop.visit.start and stop.visit.end <= e),
            None,
        )
        if window is None:
            warnings.append(
                f"visit {stop.visit.request} on {day.isoformat()} lies in no availability "
                f"window of {cons.id}: priced in one tour with that day's other such visits"
            )
        groups[window].append(stop)
    return groups


def _price_tour(
    dist: Distances,
    cons: Consultant,
    day: dt.date,
    window: tuple[int, int] | None,
    group: list[_Stop],
    km_rate: float | None,
    shares: dict[tuple[int, str], tuple[int, int]],
) -> TourCost:
    """Price one tour (rule 3) and record each visit's share of it in ``shares`` (rule 4).

    ``group`` is sorted in place into start order.
    """
    cid = cons.id
    group.sort(key=lambda s: (s.visit.start, s.visit.end, s.visit.request))
    base = base_point(cid)
    points = [base, *(s.location for s in group), base]
    metres = sum(dist.metres(a, b) for a, b in itertools.pairwise(points))
    cents = km_cents(metres, km_rate)
    weights = [dist.metres(base, s.location) + dist.metres(s.location, base) for s in group]
    for stop, share_m, share_c in zip(
        group, apportion(metres, weights), apportion(cents, weights), strict=True
    ):
        shares[(stop.index, cid)] = (share_m, share_c)
    return TourCost(
        cid,
        cons.provider,
        day,
        window,
        tuple(s.visit.request for s in group),
        metres,
        cents,
    )


def _visit_cost(
    v: Visit,
    case: str,
    gemeente: str,
    index: int,
    consultants: dict[str, Consultant],
    providers: dict[str, Provider],
    shares: dict[tuple[int, str], tuple[int, int]],
) -> VisitCost:
    """Visit ``index`` of the plan priced: its hours and its tour shares, per consultant."""
    lines = []
    for cid in v.consultants:
        pid = consultants[cid].provider
        provider = providers.get(pid)
        minutes = v.end - v.start
        metres, cents = shares[(index, cid)]
        lines.append(
            ConsultantLine(
                cid,
                pid,
                minutes,
                hours_cents(minutes, provider.hourly_rate if provider else None),
                metres,
                cents,
            )
        )
    return VisitCost(v.request, case, gemeente, v.date, v.start, v.consultants, tuple(lines))


def _missing_rates(
    visits: Sequence[VisitCost], providers: dict[str, Provider]
) -> tuple[MissingRate, ...]:
    """The providers of the priced visits (first appearance first) that lack a rate."""
    used = dict.fromkeys(line.provider for v in visits for line in v.lines)
    missing = []
    for pid in used:
        p = providers.get(pid)
        name = p.name if p is not None else pid
        no_hourly = p is None or p.hourly_rate is None
        no_km = p is None or p.km_rate is None
        if no_hourly or no_km:
            missing.append(MissingRate(pid, name, no_hourly, no_km))
    return tuple(missing)


def visit_costs(scenario: Scenario, plan: Plan) -> list[VisitCost]:
    """The cost of every visit of ``plan``, in plan order (see :func:`plan_costs`)."""
    return list(plan_costs(scenario, plan).visits)
