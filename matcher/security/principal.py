"""Who is asking: the :class:`Principal` and the scope rules of every role.

Every read of case data in the app goes through these rules (in :mod:`matcher.storage`
and :mod:`matcher.app.access`), so that data outside a principal's scope never leaves the
library; the pages only show what they are given.

Roles
-----
``ketenregisseur``
    Everything, including confidential addresses (the chain coordinator plans the visits).
``planner``
    A provider's planner: that provider's consultants (their availability and their
    visits); for those visits the case code and the location's alias, a confidential
    location only at the level of its gemeente (the town hall's point, never the exact
    point, no address, no contact). Never another provider's consultant ids or times: on a
    joint visit the partner appears by name and organisation only.
``consultant``
    The same, restricted to the consultant's own schedule and availability.
``gemeente``
    Cost reports of the visits to the youths the gemeente pays for: no addresses, no
    staff names.
``privacy``
    The privacy officer: the audit log only.
``admin``
    Accounts only, no case data.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from matcher.resources import DATA_DIR
from matcher.scenario.domain import (
    Consultant,
    Location,
    Pin,
    Plan,
    Scenario,
    SolverInfo,
    Visit,
    Youth,
)

__all__ = [
    "ADMIN",
    "CASE_ROLES",
    "CONSULTANT",
    "GEMEENTE",
    "KETENREGISSEUR",
    "PRIVACY",
    "PROVIDER_PLANNER",
    "ROLES",
    "ROLE_LABELS",
    "SYSTEM",
    "AccessDenied",
    "Principal",
    "gemeente_point",
    "partner_label",
    "scope_plan",
    "scope_scenario",
]

KETENREGISSEUR = "ketenregisseur"
PROVIDER_PLANNER = "planner"
CONSULTANT = "consultant"
GEMEENTE = "gemeente"
PRIVACY = "privacy"
ADMIN = "admin"
ROLES = (KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT, GEMEENTE, PRIVACY, ADMIN)
ROLE_LABELS = {
    KETENREGISSEUR: "Ketenregisseur",
    PROVIDER_PLANNER: "Planner aanbieder",
    CONSULTANT: "Consultant",
    GEMEENTE: "Gemeente",
    PRIVACY: "Privacyfunctionaris",
    ADMIN: "Beheerder",
}
CASE_ROLES = frozenset({KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT})
"""Roles that see planning data (scenario, plans); gemeente sees cost reports only."""

PARTNER_PREFIX = "partner: "
"""Prefix of the stand-in for another provider's consultant on a joint visit."""


class AccessDenied(PermissionError):
    """The principal may not see or change this (the message is safe to show)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user: account name, role and the role's scope.

    Attributes
    ----------
    account
        The account's user name (``cli`` for the command line on the server).
    role
        One of :data:`ROLES`.
    provider
        Provider key of a ``planner`` or ``consultant``.
    gemeente
        Municipality of a ``gemeente`` account.
    consultant
        Consultant key of a ``consultant`` account.
    """

    account: str
    role: str
    provider: str | None = None
    gemeente: str | None = None
    consultant: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {', '.join(ROLES)}")
        if self.role in (PROVIDER_PLANNER, CONSULTANT) and not self.provider:
            raise ValueError(f"role {self.role!r} needs a provider")
        if self.role == CONSULTANT and not self.consultant:
            raise ValueError("role 'consultant' needs a consultant id")
        if self.role == GEMEENTE and not self.gemeente:
            raise ValueError("role 'gemeente' needs a gemeente")

    @property
    def full_access(self) -> bool:
        """Whether the principal sees every case datum (ketenregisseur)."""
        return self.role == KETENREGISSEUR

    @property
    def sees_cases(self) -> bool:
        """Whether the principal sees planning data at all."""
        return self.role in CASE_ROLES

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]

    def require(self, *roles: str) -> None:
        """Raise :class:`AccessDenied` unless the role is one of ``roles``."""
        if self.role not in roles:
            raise AccessDenied(f"{ROLE_LABELS[self.role]} heeft hier geen toegang toe.")

    def owns_consultant(self, consultant: Consultant) -> bool:
        """Whether the consultant is in the principal's scope."""
        if self.role == KETENREGISSEUR:
            return True
        if self.role == PROVIDER_PLANNER:
            return consultant.provider == self.provider
        if self.role == CONSULTANT:
            return consultant.id == self.consultant and consultant.provider == self.provider
        return False


SYSTEM = Principal("cli", KETENREGISSEUR)
"""The command line on the server (full access, like the database owner)."""


# Gemeente points -----------------------------------------------------------------------


@functools.cache
def _gemeente_points() -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for name in ("nl_plaatsen.csv", "limburg_gemeenten.csv"):
        path = DATA_DIR / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                points[row["gemeente"].strip().casefold()] = (float(row["lat"]), float(row["lon"]))
    return points


def gemeente_point(gemeente: str, lat: float, lon: float) -> tuple[float, float]:
    """The point a confidential location is shown at outside the ketenregisseur: the
    gemeente's main town (``limburg_gemeenten.csv``, ``nl_plaatsen.csv`` of
    :mod:`matcher.resources`); for an
    unknown gemeente the centre of a 0.1-degree cell (about 10 km), never the exact point."""
    found = _gemeente_points().get(gemeente.strip().casefold())
    if found is not None:
        return found
    cell = 0.1
    return (
        round((lat // cell) * cell + cell / 2, 4),
        round((lon // cell) * cell + cell / 2, 4),
    )


# Scenario and plan scoping -------------------------------------------------------------


def partner_label(consultant: Consultant, providers: Mapping[str, str]) -> str:
    """How another provider's consultant appears on a joint visit: name and organisation."""
    return f"{PARTNER_PREFIX}{consultant.name} ({providers.get(consultant.provider, '')})"


def _scoped_location(loc: Location) -> Location:
    if not loc.confidential:
        return dataclasses.replace(loc, contact=None)
    lat, lon = gemeente_point(loc.gemeente, loc.lat, loc.lon)
    return dataclasses.replace(loc, lat=lat, lon=lon, address=None, contact=None)


def _scoped_youth(y: Youth, mine: Collection[str]) -> Youth:
    return dataclasses.replace(
        y,
        previous_consultant=y.previous_consultant if y.previous_consultant in mine else None,
        excluded_consultants=frozenset(c for c in y.excluded_consultants if c in mine),
    )


def _stand_ins(scenario: Scenario) -> dict[str, str]:
    names = {p.id: p.name for p in scenario.providers}
    return {c.id: partner_label(c, names) for c in scenario.consultants}


def _scoped_pin(pin: Pin, mine: Collection[str], stand_in: Mapping[str, str]) -> Pin:
    return dataclasses.replace(
        pin,
        consultants=tuple(c if c in mine else stand_in.get(c, "partner") for c in pin.consultants),
    )


def mine(scenario: Scenario, principal: Principal) -> frozenset[str]:
    """Ids of the consultants in the principal's scope."""
    return frozenset(c.id for c in scenario.consultants if principal.owns_consultant(c))


def scope_scenario(
    scenario: Scenario, principal: Principal, plans: Iterable[Plan] = ()
) -> Scenario:
    """The part of ``scenario`` the principal may see.

    The ketenregisseur gets it unchanged. A planner or consultant gets its own consultants,
    every provider's name, and only the requests that one of its consultants serves in one
    of ``plans`` or is pinned to, with their youths (case code, no other provider's
    consultant) and locations (alias; a confidential one at its gemeente's point, without
    address or contact); no travel overrides. Other roles get :class:`AccessDenied`.
    """
    if principal.full_access:
        return scenario
    principal.require(PROVIDER_PLANNER, CONSULTANT)
    own = mine(scenario, principal)
    stand_in = _stand_ins(scenario)
    wanted = {v.request for p in plans for v in p.visits if own.intersection(v.consultants)}
    wanted |= {
        r.id for r in scenario.requests if r.pinned and own.intersection(r.pinned.consultants)
    }
    requests = tuple(
        dataclasses.replace(r, pinned=_scoped_pin(r.pinned, own, stand_in) if r.pinned else None)
        for r in scenario.requests
        if r.id in wanted
    )
    youth_ids = {r.youth for r in requests}
    youths = tuple(_scoped_youth(y, own) for y in scenario.youths if y.id in youth_ids)
    location_ids = {y.location for y in youths}
    locations = tuple(_scoped_location(loc) for loc in scenario.locations if loc.id in location_ids)
    return dataclasses.replace(
        scenario,
        consultants=tuple(c for c in scenario.consultants if c.id in own),
        locations=locations,
        youths=youths,
        requests=requests,
        travel=dataclasses.replace(scenario.travel, overrides=(), matrix=None),
        source=None,
    )


def scope_plan(
    plan: Plan,
    principal: Principal,
    provider_of: Mapping[str, str],
    stand_in: Mapping[str, str] | None = None,
) -> Plan:
    """The part of ``plan`` the principal may see.

    Parameters
    ----------
    provider_of
        Provider key of every consultant id of the round.
    stand_in
        How another provider's consultant appears on a joint visit (see
        :func:`partner_label`); ``"partner"`` when missing.

    The ketenregisseur gets the plan unchanged. A planner or consultant gets the visits in
    which one of its consultants takes part, the other consultants replaced by their stand-in,
    no unassigned requests, no objective or bound and no week figures.
    """
    if principal.full_access:
        return plan
    principal.require(PROVIDER_PLANNER, CONSULTANT)

    def owned(cid: str) -> bool:
        if principal.role == CONSULTANT:
            return cid == principal.consultant and provider_of.get(cid) == principal.provider
        return provider_of.get(cid) == principal.provider

    labels = stand_in or {}
    visits: list[Visit] = []
    for v in plan.visits:
        if not any(owned(c) for c in v.consultants):
            continue
        shown = tuple(c if owned(c) else labels.get(c, "partner") for c in v.consultants)
        visits.append(dataclasses.replace(v, consultants=shown))
    solver = SolverInfo(plan.solver.status, None, None, plan.solver.seconds)
    return Plan(plan.scenario, solver, tuple(visits), (), {}, {})


def stand_ins(scenario: Scenario) -> dict[str, str]:
    """Stand-in labels of every consultant of the (full) scenario, for :func:`scope_plan`."""
    return _stand_ins(scenario)
