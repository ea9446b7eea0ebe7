"""Import and export of a whole scenario (a planning round), published visits included."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from sqlalchemy import Row, delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matcher.scenario.domain import (
    Consultant,
    Contact,
    Location,
    Pin,
    Point,
    Provider,
    PublishedVisit,
    Request,
    Scenario,
    TimeOfDay,
    TravelSettings,
    Unavailability,
    Weights,
    Window,
    Youth,
)
from matcher.security.principal import CASE_ROLES, Principal, scope_scenario
from matcher.storage.engine import session_scope
from matcher.storage.entity_rows import (
    _consultant_values,
    _insert_consultant_children,
    _insert_location_windows,
    _insert_request_children,
    _insert_youth_exclusions,
    _location_values,
    _request_values,
    _youth_values,
)
from matcher.storage.errors import RoundExistsError
from matcher.storage.rows import (
    _bulk_insert,
    _insert_ids,
    _lookup,
    _read_scope,
    _require_round,
    _round_rows,
    _utcnow,
)
from matcher.storage.tables import (
    ConsultantRow,
    ConsultantSkill,
    ConsultantUnavailability,
    ConsultantWindow,
    LocationRow,
    LocationWindow,
    PinConsultant,
    PinRow,
    PlanningDay,
    PlanningRound,
    ProviderRow,
    PublishedVisitRow,
    RequestRole,
    RequestRoleSkill,
    RequestRow,
    TravelOverride,
    UrgencyFactor,
    YouthExcludedConsultant,
    YouthRow,
)


def _write_consultants(session: Session, round_id: int, s: Scenario) -> dict[str, tuple[int, int]]:
    """Write the providers and consultants of ``s``; consultant key -> (id, provider id)."""
    provider_ids = _insert_ids(
        session,
        ProviderRow,
        [
            {
                "round_id": round_id,
                "key": p.id,
                "pos": i,
                "name": p.name,
                "hourly_rate": p.hourly_rate,
                "km_rate": p.km_rate,
            }
            for i, p in enumerate(s.providers)
        ],
        "key",
    )
    consultant_rows = []
    for i, c in enumerate(s.consultants):
        pid = _lookup(provider_ids, c.provider, "provider", f"consultant {c.id}")
        consultant_rows.append(
            {"round_id": round_id, "key": c.id, "pos": i, **_consultant_values(c, pid)}
        )
    consultant_ids = _insert_ids(session, ConsultantRow, consultant_rows, "key")
    consultants = {c.id: (consultant_ids[c.id], provider_ids[c.provider]) for c in s.consultants}
    _insert_consultant_children(session, round_id, [(*consultants[c.id], c) for c in s.consultants])
    return consultants


def _write_scenario(session: Session, round_id: int, s: Scenario) -> None:
    """Write every part of ``s`` (except the round row itself) into the round."""
    _bulk_insert(
        session,
        PlanningDay,
        [{"round_id": round_id, "pos": i, "date": d} for i, d in enumerate(s.days)],
    )
    _bulk_insert(
        session,
        TravelOverride,
        [
            {"round_id": round_id, "pos": i, "from_point": a, "to_point": b, "minutes": m}
            for i, (a, b, m) in enumerate(s.travel.overrides)
        ],
    )
    _bulk_insert(
        session,
        UrgencyFactor,
        [
            {"round_id": round_id, "pos": i, "name": k, "factor": v}
            for i, (k, v) in enumerate(s.urgency_factors.items())
        ],
    )
    consultants = _write_consultants(session, round_id, s)

    location_ids = _insert_ids(
        session,
        LocationRow,
        [
            {"round_id": round_id, "key": loc.id, "pos": i, **_location_values(loc)}
            for i, loc in enumerate(s.locations)
        ],
        "key",
    )
    _insert_location_windows(session, round_id, [(location_ids[x.id], x) for x in s.locations])

    youth_rows = []
    for i, y in enumerate(s.youths):
        lid = _lookup(location_ids, y.location, "location", f"youth {y.id}")
        youth_rows.append(
            {"round_id": round_id, "key": y.id, "pos": i, **_youth_values(y, lid, consultants)}
        )
    youth_ids = _insert_ids(session, YouthRow, youth_rows, "key")
    _insert_youth_exclusions(
        session, round_id, [(youth_ids[y.id], y) for y in s.youths], consultants
    )

    request_rows = []
    for i, r in enumerate(s.requests):
        yid = _lookup(youth_ids, r.youth, "youth", f"request {r.id}")
        request_rows.append(
            {"round_id": round_id, "key": r.id, "pos": i, **_request_values(r, yid)}
        )
    request_ids = _insert_ids(session, RequestRow, request_rows, "key")
    _insert_request_children(
        session, round_id, [(request_ids[r.id], r) for r in s.requests], consultants
    )
    _bulk_insert(
        session,
        PublishedVisitRow,
        [
            {
                "round_id": round_id,
                "pos": i,
                "request": p.request,
                "date": p.date,
                "start": p.start,
                "consultants": list(p.consultants),
            }
            for i, p in enumerate(s.published)
        ],
    )


def import_scenario(engine: Engine, scenario: Scenario, *, replace: bool = True) -> int:
    """Store ``scenario`` as a planning round, in one transaction.

    Parameters
    ----------
    engine
        The database.
    scenario
        A validated scenario (see :func:`matcher.scenario.loader.load_scenario`).
    replace
        If a round with the same name exists: delete it (with its saved plans) and store
        the new one in its place when true, raise :class:`RoundExistsError` when false.

    Returns
    -------
    int
        The id of the new round.

    Raises
    ------
    RoundExistsError
        The name is taken and ``replace`` is false.
    NotFoundError
        A reference inside the scenario points to nothing (e.g. an unknown provider).
        Nothing is written in either case.
    """
    with session_scope(engine, write=True) as session:
        existing = session.exec(
            select(PlanningRound.id).where(PlanningRound.name == scenario.name).with_for_update()
        ).first()
        if existing is not None:
            if not replace:
                raise RoundExistsError(f"a planning round named {scenario.name!r} exists")
            session.exec(delete(PlanningRound).where(col(PlanningRound.id) == existing))
        rnd = PlanningRound(
            name=scenario.name,
            week=scenario.week,
            timezone=scenario.timezone,
            speed_kmh=scenario.travel.speed_kmh,
            detour_factor=scenario.travel.detour_factor,
            weight_travel_minute=scenario.weights.travel_minute,
            weight_waiting_day=scenario.weights.waiting_day,
            weight_continuity=scenario.weights.continuity,
            weight_unassigned=scenario.weights.unassigned,
            weight_change=scenario.weights.change,
            now=scenario.now,
            created_at=_utcnow(),
        )
        session.add(rnd)
        session.flush()
        assert rnd.id is not None
        _write_scenario(session, rnd.id, scenario)
        return rnd.id


def _windows(rows: Iterable[Row[Any]]) -> tuple[Window, ...]:
    return tuple(Window(start=w.start, end=w.end, date=w.date, weekday=w.weekday) for w in rows)


def _group(rows: Iterable[Row[Any]], attr: str) -> dict[int, list[Row[Any]]]:
    out: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in rows:
        out[getattr(row, attr)].append(row)
    return out


def export_scenario(
    engine: Engine, round_id: int, *, principal: Principal | None = None
) -> Scenario:
    """Build the :class:`~matcher.scenario.domain.Scenario` stored as round ``round_id``.

    ``source`` and ``travel.matrix`` are ``None``: the travel overrides are in
    ``travel.overrides``. Use :func:`load_round` to get the versions along with it. With a
    ``principal`` other than the ketenregisseur, only the part it may see
    (:func:`matcher.security.principal.scope_scenario`, by the round's newest plan); ``None`` is the
    server itself (command line, solver).

    Raises
    ------
    NotFoundError
        No round with that id.
    AccessDenied
        The principal sees no planning data.
    """
    if principal is not None and not principal.full_access:
        from matcher.storage.plans import latest_plan  # plans import this module

        principal.require(*CASE_ROLES)
        latest = latest_plan(engine, round_id)
        full = export_scenario(engine, round_id)
        return scope_scenario(full, principal, [latest] if latest is not None else [])
    with _read_scope(engine) as session:
        return _export(session, round_id)


def _export(session: Session, round_id: int) -> Scenario:
    """The scenario of round ``round_id`` as stored (and as this transaction sees it)."""
    rnd = _require_round(session, round_id)
    days: tuple[dt.date, ...] = tuple(d.date for d in _round_rows(session, PlanningDay, round_id))
    overrides = tuple(
        (o.from_point, o.to_point, o.minutes)
        for o in _round_rows(session, TravelOverride, round_id)
    )
    urgency = {u.name: u.factor for u in _round_rows(session, UrgencyFactor, round_id)}
    providers = _round_rows(session, ProviderRow, round_id)
    consultants, consultant_key = _export_consultants(
        session, round_id, {p.id: p.key for p in providers}
    )
    locations, location_key = _export_locations(session, round_id)
    youths, youth_key = _export_youths(session, round_id, location_key, consultant_key)
    requests = _export_requests(session, round_id, youth_key, consultant_key)
    return Scenario(
        name=rnd.name,
        days=days,
        providers=tuple(Provider(p.key, p.name, p.hourly_rate, p.km_rate) for p in providers),
        consultants=consultants,
        locations=locations,
        youths=youths,
        requests=requests,
        week=rnd.week,
        timezone=rnd.timezone,
        travel=TravelSettings(
            speed_kmh=rnd.speed_kmh, detour_factor=rnd.detour_factor, overrides=overrides
        ),
        weights=Weights(
            travel_minute=rnd.weight_travel_minute,
            waiting_day=rnd.weight_waiting_day,
            continuity=rnd.weight_continuity,
            unassigned=rnd.weight_unassigned,
            change=rnd.weight_change,
        ),
        urgency_factors=MappingProxyType(urgency),
        now=rnd.now,
        published=tuple(
            PublishedVisit(p.request, p.date, p.start, tuple(p.consultants))
            for p in _round_rows(session, PublishedVisitRow, round_id)
        ),
    )


def _export_consultants(
    session: Session, round_id: int, provider_key: dict[int, str]
) -> tuple[tuple[Consultant, ...], dict[int, str]]:
    """The round's consultants, and their keys by row id."""
    skills = _group(_round_rows(session, ConsultantSkill, round_id), "consultant_id")
    windows = _group(_round_rows(session, ConsultantWindow, round_id), "consultant_id")
    unavailable = _group(_round_rows(session, ConsultantUnavailability, round_id), "consultant_id")
    consultant_rows = _round_rows(session, ConsultantRow, round_id)
    consultants = tuple(
        Consultant(
            id=c.key,
            provider=provider_key[c.provider_id],
            name=c.name,
            email=c.email,
            base=Point(c.base_lat, c.base_lon),
            skills=frozenset(s.skill for s in skills.get(c.id, [])),
            max_visits_per_day=c.max_visits_per_day,
            max_visits_per_week=c.max_visits_per_week,
            availability=_windows(windows.get(c.id, [])),
            unavailable=tuple(
                Unavailability(date=u.date, start=u.start, end=u.end)
                for u in unavailable.get(c.id, [])
            ),
        )
        for c in consultant_rows
    )
    return consultants, {c.id: c.key for c in consultant_rows}


def _export_locations(
    session: Session, round_id: int
) -> tuple[tuple[Location, ...], dict[int, str]]:
    """The round's locations, and their keys by row id."""
    location_rows = _round_rows(session, LocationRow, round_id)
    location_key = {x.id: x.key for x in location_rows}
    open_windows = _group(_round_rows(session, LocationWindow, round_id), "location_id")
    locations = tuple(
        Location(
            id=x.key,
            name=x.name,
            kind=x.kind,
            gemeente=x.gemeente,
            lat=x.lat,
            lon=x.lon,
            address=x.address,
            confidential=x.confidential,
            open=None if x.always_open else _windows(open_windows.get(x.id, [])),
            contact=(
                Contact(x.contact_name, x.contact_email)
                if x.contact_name is not None and x.contact_email is not None
                else None
            ),
        )
        for x in location_rows
    )
    return locations, location_key


def _export_youths(
    session: Session, round_id: int, location_key: dict[int, str], consultant_key: dict[int, str]
) -> tuple[tuple[Youth, ...], dict[int, str]]:
    """The round's youths, and their keys by row id."""
    youth_rows = _round_rows(session, YouthRow, round_id)
    youth_key = {y.id: y.key for y in youth_rows}
    excluded = _group(_round_rows(session, YouthExcludedConsultant, round_id), "youth_id")
    youths = tuple(
        Youth(
            id=y.key,
            location=location_key[y.location_id],
            gemeente=y.gemeente,
            signalled_on=y.signalled_on,
            urgency=y.urgency,
            previous_consultant=(
                None
                if y.previous_consultant_id is None
                else consultant_key[y.previous_consultant_id]
            ),
            excluded_consultants=frozenset(
                consultant_key[e.consultant_id] for e in excluded.get(y.id, [])
            ),
        )
        for y in youth_rows
    )
    return youths, youth_key


def _export_requests(
    session: Session, round_id: int, youth_key: dict[int, str], consultant_key: dict[int, str]
) -> tuple[Request, ...]:
    """The round's requests with their roles and pins."""
    role_skills = _group(_round_rows(session, RequestRoleSkill, round_id), "role_id")
    roles = _group(_round_rows(session, RequestRole, round_id), "request_id")
    pin_consultants = _group(_round_rows(session, PinConsultant, round_id), "pin_id")
    pins = {
        p.request_id: Pin(
            consultants=tuple(
                consultant_key[pc.consultant_id] for pc in pin_consultants.get(p.id, [])
            ),
            date=p.date,
            start=p.start,
        )
        for p in _round_rows(session, PinRow, round_id)
    }
    return tuple(
        Request(
            id=r.key,
            youth=youth_key[r.youth_id],
            roles=tuple(
                frozenset(s.skill for s in role_skills.get(role.id, []))
                for role in roles.get(r.id, [])
            ),
            duration_minutes=r.duration_minutes,
            earliest=r.earliest,
            latest=r.latest,
            time_of_day=(
                TimeOfDay(r.tod_start, r.tod_end)
                if r.tod_start is not None and r.tod_end is not None
                else None
            ),
            pinned=pins.get(r.id),
        )
        for r in _round_rows(session, RequestRow, round_id)
    )
