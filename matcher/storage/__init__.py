"""Storing scenarios (planning rounds) and plans in a database: the API of the CLI and the app.

Every public function takes an :class:`~sqlalchemy.engine.Engine` (see
:func:`matcher.storage.engine.get_engine`) and runs as **one transaction**: it either writes
everything or nothing. Scenarios and plans go in and come out as the domain objects of
:mod:`matcher.scenario.domain`; :func:`export_scenario` of :func:`import_scenario` gives back an
equal
:class:`~matcher.scenario.domain.Scenario`, and :func:`load_plan` of :func:`save_plan` an equal
:class:`~matcher.scenario.domain.Plan`.

References are kept intact: a reference to a provider, location, youth, request or
consultant that is not in the round raises :class:`NotFoundError` and writes nothing.

Concurrent edits
----------------
The round and each consultant, location, youth and request carry a ``version``, incremented
by every write. :func:`load_round` reads a scenario together with its versions;
:func:`write_edit` saves an edit of it in one transaction that

* locks the round (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite),
  so writers of a round queue up and each sees what the previous ones committed;
* refuses, with :class:`StaleEditError`, every entity whose version is no longer the one
  the edit was made on (checked up front, and again in each ``UPDATE ... WHERE version =
  ?``), so no save silently overwrites another;
* validates the whole round as it would be stored (the loader's validator by default) and
  refuses an invalid result with :class:`InvalidEditError`.

The single-entity functions (:func:`update_consultant`, :func:`set_pin`, ...) take the same
lock and bump the same versions; they check a version only when given
``expected_version``, and leave content validation to the caller.

Reads and writes use a fixed, small number of statements per table (bulk inserts with
``RETURNING``, one ``SELECT ... WHERE round_id = ?`` per table), never one per row.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import Row, Table, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from matcher.scenario.domain import (
    Consultant,
    Contact,
    Location,
    Pin,
    Plan,
    Point,
    Provider,
    PublishedVisit,
    Request,
    Scenario,
    SolverInfo,
    TimeOfDay,
    TravelSettings,
    Unassigned,
    Unavailability,
    Visit,
    Weights,
    Window,
    Youth,
)
from matcher.scenario.problems import Problem, ScenarioError, escape
from matcher.security.principal import (
    CASE_ROLES,
    GEMEENTE,
    Principal,
    scope_plan,
    scope_scenario,
    stand_ins,
)
from matcher.storage.engine import session_scope
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
    PlanUnassigned,
    PlanVisit,
    PlanVisitConsultant,
    ProviderRow,
    PublishedVisitRow,
    RequestRole,
    RequestRoleSkill,
    RequestRow,
    SavedPlan,
    TravelOverride,
    UrgencyFactor,
    YouthExcludedConsultant,
    YouthRow,
)

__all__ = [
    "KINDS",
    "Conflict",
    "InvalidEditError",
    "NotFoundError",
    "PlanInfo",
    "RoundEdit",
    "RoundExistsError",
    "RoundInfo",
    "RoundSnapshot",
    "StaleEditError",
    "StorageError",
    "Validator",
    "Versions",
    "check_round",
    "delete_request",
    "delete_round",
    "export_command",
    "export_scenario",
    "find_round",
    "import_command",
    "import_scenario",
    "latest_plan",
    "list_plans",
    "list_rounds",
    "load_plan",
    "load_round",
    "read_versions",
    "replace_consultant_availability",
    "save_plan",
    "set_pin",
    "update_consultant",
    "upsert_location",
    "upsert_request",
    "upsert_youth",
    "write_edit",
]


class StorageError(Exception):
    """A storage operation cannot be done; nothing was written."""


class NotFoundError(StorageError, LookupError):
    """A round, plan or an entity (or an entity's reference) does not exist in the round."""


class RoundExistsError(StorageError):
    """A round with that name exists and ``replace`` was not asked for."""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """Summary of a stored planning round."""

    id: int
    name: str
    week: str | None
    first_day: dt.date | None
    last_day: dt.date | None
    created_at: dt.datetime
    """When the round was imported (UTC, timezone-aware)."""
    days: int
    providers: int
    consultants: int
    locations: int
    youths: int
    requests: int
    plans: int


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """Summary of a saved plan."""

    id: int
    round_id: int
    label: str
    created_at: dt.datetime
    """When the plan was saved (UTC, timezone-aware)."""
    status: str
    objective: int | None
    bound: int | None
    seconds: float
    visits: int
    unassigned: int
    kpis: dict[str, int | float] = field(default_factory=dict)


# Small helpers ------------------------------------------------------------------------------


def _utcnow() -> dt.datetime:
    """Now in UTC as a naive datetime (how timestamps are stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _bulk_insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table with one Core executemany."""
    if rows:
        session.connection().execute(insert(_table(model)), rows)


def _insert_ids(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *key: str
) -> dict[Any, int]:
    """Bulk insert ``rows`` and map each row's ``key`` column value(s) to its new ``id``.

    With one key column the map's keys are that column's values, with several they are
    tuples. Uses Core ``INSERT ... RETURNING`` with SQLAlchemy's "insertmanyvalues" batching
    (a few statements for thousands of rows, on SQLite and PostgreSQL alike).
    """
    if not rows:
        return {}
    table = _table(model)
    stmt = insert(table).returning(table.c.id, *(table.c[k] for k in key))
    result = session.connection().execute(stmt, rows)
    if len(key) == 1:
        return {r[1]: r[0] for r in result}
    return {tuple(r[1:]): r[0] for r in result}


def _round_rows(session: Session, model: type[SQLModel], round_id: int) -> Sequence[Row[Any]]:
    """All rows of ``model`` in the round as Core rows, in ``pos`` order where there is one.

    Core rows (attribute access by column name) avoid building ORM objects: exporting a
    large round is several times faster this way.
    """
    table = _table(model)
    order = [table.c.pos] if "pos" in table.c else []
    stmt = sa_select(table).where(table.c.round_id == round_id).order_by(*order, table.c.id)
    return session.connection().execute(stmt).all()


def _require_round(session: Session, round_id: int) -> PlanningRound:
    rnd = session.get(PlanningRound, round_id)
    if rnd is None:
        raise NotFoundError(f"no planning round with id {round_id}")
    return rnd


def _keyed(
    session: Session, model: type[SQLModel], round_id: int, keys: Iterable[str] | None = None
) -> dict[str, int]:
    """Map keys of ``model`` rows in the round (all, or only ``keys``) to their ids."""
    stmt = select(col(model.key), col(model.id)).where(  # type: ignore[attr-defined]
        col(model.round_id) == round_id  # type: ignore[attr-defined]
    )
    if keys is not None:
        stmt = stmt.where(col(model.key).in_(sorted(set(keys))))  # type: ignore[attr-defined]
    return {k: i for k, i in session.exec(stmt)}


def _consultants(
    session: Session, round_id: int, keys: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Map consultant keys of the round to ``(consultant id, provider id)``."""
    stmt = select(ConsultantRow.key, ConsultantRow.id, ConsultantRow.provider_id).where(
        ConsultantRow.round_id == round_id
    )
    if keys is not None:
        stmt = stmt.where(col(ConsultantRow.key).in_(sorted(set(keys))))
    return {k: (i, p) for k, i, p in session.exec(stmt) if i is not None}


def _lookup(mapping: dict[str, Any], key: str, what: str, where: str) -> Any:
    try:
        return mapping[key]
    except KeyError:
        raise NotFoundError(f"{where}: {what} {key!r} is not in the planning round") from None


def _next_pos(session: Session, model: type[SQLModel], round_id: int) -> int:
    stmt = select(func.max(col(model.pos))).where(  # type: ignore[attr-defined]
        col(model.round_id) == round_id  # type: ignore[attr-defined]
    )
    current = session.exec(stmt).one()
    return 0 if current is None else int(current) + 1


# Rows of domain objects ---------------------------------------------------------------------


def _window_rows(windows: Iterable[Window], **owner: Any) -> list[dict[str, Any]]:
    return [
        {**owner, "pos": i, "date": w.date, "weekday": w.weekday, "start": w.start, "end": w.end}
        for i, w in enumerate(windows)
    ]


def _consultant_values(c: Consultant, provider_id: int) -> dict[str, Any]:
    return {
        "provider_id": provider_id,
        "name": c.name,
        "email": c.email,
        "base_lat": c.base.lat,
        "base_lon": c.base.lon,
        "max_visits_per_day": c.max_visits_per_day,
        "max_visits_per_week": c.max_visits_per_week,
    }


def _insert_consultant_children(
    session: Session,
    round_id: int,
    items: Iterable[tuple[int, int, Consultant]],
    *,
    skills: bool = True,
    availability: bool = True,
) -> None:
    """Insert skills and/or availability rows of ``(consultant id, provider id, consultant)``."""
    skill_rows: list[dict[str, Any]] = []
    window_rows: list[dict[str, Any]] = []
    unavailable_rows: list[dict[str, Any]] = []
    for cid, pid, c in items:
        owner = {"round_id": round_id, "consultant_id": cid, "provider_id": pid}
        if skills:
            skill_rows.extend({**owner, "skill": s} for s in sorted(c.skills))
        if availability:
            window_rows.extend(_window_rows(c.availability, **owner))
            unavailable_rows.extend(
                {**owner, "pos": i, "date": u.date, "start": u.start, "end": u.end}
                for i, u in enumerate(c.unavailable)
            )
    _bulk_insert(session, ConsultantSkill, skill_rows)
    _bulk_insert(session, ConsultantWindow, window_rows)
    _bulk_insert(session, ConsultantUnavailability, unavailable_rows)


def _location_values(loc: Location) -> dict[str, Any]:
    return {
        "name": loc.name,
        "kind": loc.kind,
        "gemeente": loc.gemeente,
        "lat": loc.lat,
        "lon": loc.lon,
        "address": loc.address,
        "confidential": loc.confidential,
        "always_open": loc.open is None,
        "contact_name": loc.contact.name if loc.contact else None,
        "contact_email": loc.contact.email if loc.contact else None,
    }


def _insert_location_windows(
    session: Session, round_id: int, items: Iterable[tuple[int, Location]]
) -> None:
    rows: list[dict[str, Any]] = []
    for lid, loc in items:
        rows.extend(_window_rows(loc.open or (), round_id=round_id, location_id=lid))
    _bulk_insert(session, LocationWindow, rows)


def _youth_values(
    y: Youth, location_id: int, consultants: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    previous = None
    if y.previous_consultant is not None:
        previous = _lookup(
            consultants, y.previous_consultant, "previous consultant", f"youth {y.id}"
        )[0]
    return {
        "location_id": location_id,
        "gemeente": y.gemeente,
        "signalled_on": y.signalled_on,
        "urgency": y.urgency,
        "previous_consultant_id": previous,
    }


def _insert_youth_exclusions(
    session: Session,
    round_id: int,
    items: Iterable[tuple[int, Youth]],
    consultants: dict[str, tuple[int, int]],
) -> None:
    rows = [
        {
            "round_id": round_id,
            "youth_id": yid,
            "consultant_id": _lookup(consultants, c, "excluded consultant", f"youth {y.id}")[0],
        }
        for yid, y in items
        for c in sorted(y.excluded_consultants)
    ]
    _bulk_insert(session, YouthExcludedConsultant, rows)


def _request_values(r: Request, youth_id: int) -> dict[str, Any]:
    return {
        "youth_id": youth_id,
        "duration_minutes": r.duration_minutes,
        "earliest": r.earliest,
        "latest": r.latest,
        "tod_start": r.time_of_day.start if r.time_of_day else None,
        "tod_end": r.time_of_day.end if r.time_of_day else None,
    }


def _insert_pins(
    session: Session,
    round_id: int,
    items: Sequence[tuple[int, str, Pin]],
    consultants: dict[str, tuple[int, int]],
) -> None:
    """Insert pins ``(request row id, request id, pin)`` with their consultants.

    The consultants are resolved in ``consultants`` (key to ``(id, provider id)``).
    """
    if not items:
        return
    pin_ids = _insert_ids(
        session,
        PinRow,
        [
            {"round_id": round_id, "request_id": rid, "date": p.date, "start": p.start}
            for rid, _, p in items
        ],
        "request_id",
    )
    rows: list[dict[str, Any]] = []
    for rid, rkey, p in items:
        for i, ckey in enumerate(p.consultants):
            cid, pid = _lookup(consultants, ckey, "pinned consultant", f"pin of request {rkey}")
            rows.append(
                {
                    "round_id": round_id,
                    "pin_id": pin_ids[rid],
                    "pos": i,
                    "consultant_id": cid,
                    "provider_id": pid,
                }
            )
    _bulk_insert(session, PinConsultant, rows)


def _insert_request_children(
    session: Session,
    round_id: int,
    items: Sequence[tuple[int, Request]],
    consultants: dict[str, tuple[int, int]],
) -> None:
    """Insert roles (with skills) and pins of ``(request id, request)`` pairs."""
    role_rows = [
        {"round_id": round_id, "request_id": rid, "pos": i}
        for rid, r in items
        for i in range(len(r.roles))
    ]
    role_ids = _insert_ids(session, RequestRole, role_rows, "request_id", "pos")
    skill_rows = [
        {"round_id": round_id, "role_id": role_ids[(rid, i)], "skill": s}
        for rid, r in items
        for i, role in enumerate(r.roles)
        for s in sorted(role)
    ]
    _bulk_insert(session, RequestRoleSkill, skill_rows)
    pins = [(rid, r.id, r.pinned) for rid, r in items if r.pinned is not None]
    _insert_pins(session, round_id, pins, consultants)


# Import / export ----------------------------------------------------------------------------


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


@contextmanager
def _read_scope(engine: Engine) -> Iterator[Session]:
    """A transaction that reads one consistent state of the database.

    On PostgreSQL it runs at ``REPEATABLE READ`` (one snapshot for all its statements, so a
    round read with several queries never mixes two commits); a SQLite read transaction
    holds its shared lock to the end and is consistent as it is.
    """
    with session_scope(engine) as session:
        if engine.dialect.name != "sqlite":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session


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
    provider_key = {p.id: p.key for p in providers}

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
    consultant_key = {c.id: c.key for c in consultant_rows}

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
    requests = tuple(
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


# Rounds -------------------------------------------------------------------------------------


def _counts(
    session: Session, model: type[SQLModel], group: str = "round_id", round_id: int | None = None
) -> dict[int, int]:
    """Row counts of ``model`` per value of column ``group`` (optionally in one round)."""
    table = _table(model)
    stmt = sa_select(table.c[group], func.count()).group_by(table.c[group])
    if round_id is not None:
        stmt = stmt.where(table.c.round_id == round_id)
    return {k: int(n) for k, n in session.connection().execute(stmt)}


def list_rounds(engine: Engine, *, principal: Principal | None = None) -> list[RoundInfo]:
    """Every stored round with its counts, newest first (not for the privacy officer or
    the accounts admin: :class:`~matcher.security.principal.AccessDenied`)."""
    if principal is not None:
        principal.require(*CASE_ROLES, GEMEENTE)
    with session_scope(engine) as session:
        rounds = session.exec(
            select(PlanningRound).order_by(
                col(PlanningRound.created_at).desc(), col(PlanningRound.id).desc()
            )
        ).all()
        counts = {
            m: _counts(session, m)
            for m in (
                PlanningDay,
                ProviderRow,
                ConsultantRow,
                LocationRow,
                YouthRow,
                RequestRow,
                SavedPlan,
            )
        }
        span_stmt = select(
            PlanningDay.round_id, func.min(PlanningDay.date), func.max(PlanningDay.date)
        ).group_by(col(PlanningDay.round_id))
        spans = {rid: (lo, hi) for rid, lo, hi in session.exec(span_stmt)}
        out = []
        for r in rounds:
            assert r.id is not None
            first, last = spans.get(r.id, (None, None))
            out.append(
                RoundInfo(
                    id=r.id,
                    name=r.name,
                    week=r.week,
                    first_day=first,
                    last_day=last,
                    created_at=_aware(r.created_at),
                    days=counts[PlanningDay].get(r.id, 0),
                    providers=counts[ProviderRow].get(r.id, 0),
                    consultants=counts[ConsultantRow].get(r.id, 0),
                    locations=counts[LocationRow].get(r.id, 0),
                    youths=counts[YouthRow].get(r.id, 0),
                    requests=counts[RequestRow].get(r.id, 0),
                    plans=counts[SavedPlan].get(r.id, 0),
                )
            )
        return out


def find_round(engine: Engine, name: str) -> int | None:
    """The id of the round named ``name``, or ``None``."""
    with session_scope(engine) as session:
        return session.exec(select(PlanningRound.id).where(PlanningRound.name == name)).first()


def delete_round(engine: Engine, round_id: int) -> bool:
    """Delete a round with everything in it (saved plans too); whether it existed."""
    with session_scope(engine, write=True) as session:
        result = session.exec(delete(PlanningRound).where(col(PlanningRound.id) == round_id))
        return bool(result.rowcount)


# Plans --------------------------------------------------------------------------------------


def save_plan(
    engine: Engine, round_id: int, plan: Plan, label: str = "", *, based_on: int | None = None
) -> int:
    """Save ``plan`` for round ``round_id``; return the new plan id.

    The plan is stored as given (a snapshot): visits keep the request, youth, location and
    consultant ids written in the plan. Consultants that are in the round are linked to
    their rows (and so to their provider).

    Parameters
    ----------
    based_on
        The id of the plan this one was made from by hand (0: none). When another plan
        was saved since (the round's newest plan is not ``based_on``), nothing is saved and
        :class:`StaleEditError` is raised, so a hand-made change never hides a plan saved
        meanwhile. ``None`` (the solver's plans): not checked.

    Raises
    ------
    NotFoundError
        No round with that id.
    StaleEditError
        ``based_on`` is not the newest plan any more.
    """
    with _locked_round(engine, round_id) as session:
        if based_on is not None:
            latest = _latest_plan_id(session, round_id)
            if latest != based_on:
                raise StaleEditError([Conflict("plan", "", based_on, latest)])
        return _save_plan(session, round_id, plan, label)


def _save_plan(session: Session, round_id: int, plan: Plan, label: str) -> int:
    """Insert ``plan`` (with its visits and unassigned requests); its new id."""
    saved = SavedPlan(
        round_id=round_id,
        label=label,
        created_at=_utcnow(),
        scenario_name=plan.scenario,
        status=plan.solver.status,
        objective=plan.solver.objective,
        bound=plan.solver.bound,
        seconds=plan.solver.seconds,
        kpis=dict(plan.kpis),
        extra=dict(plan.extra),
    )
    session.add(saved)
    session.flush()
    assert saved.id is not None
    visit_ids = _insert_ids(
        session,
        PlanVisit,
        [
            {
                "round_id": round_id,
                "plan_id": saved.id,
                "pos": i,
                "request_key": v.request,
                "youth_key": v.youth,
                "location_key": v.location,
                "date": v.date,
                "start": v.start,
                "end": v.end,
            }
            for i, v in enumerate(plan.visits)
        ],
        "pos",
    )
    consultants = _consultants(session, round_id, {c for v in plan.visits for c in v.consultants})
    link_rows = []
    for i, v in enumerate(plan.visits):
        for j, ckey in enumerate(v.consultants):
            cid, pid = consultants.get(ckey, (None, None))
            link_rows.append(
                {
                    "round_id": round_id,
                    "visit_id": visit_ids[i],
                    "pos": j,
                    "consultant_key": ckey,
                    "consultant_id": cid,
                    "provider_id": pid,
                }
            )
    _bulk_insert(session, PlanVisitConsultant, link_rows)
    _bulk_insert(
        session,
        PlanUnassigned,
        [
            {
                "round_id": round_id,
                "plan_id": saved.id,
                "pos": i,
                "request_key": u.request,
                "reasons": list(u.reasons),
            }
            for i, u in enumerate(plan.unassigned)
        ],
    )
    return saved.id


def _load_plan(session: Session, saved: SavedPlan) -> Plan:
    visits = session.exec(
        select(PlanVisit).where(PlanVisit.plan_id == saved.id).order_by(col(PlanVisit.pos))
    ).all()
    links = session.exec(
        select(PlanVisitConsultant.visit_id, PlanVisitConsultant.consultant_key)
        .join(PlanVisit, col(PlanVisit.id) == col(PlanVisitConsultant.visit_id))
        .where(PlanVisit.plan_id == saved.id)
        .order_by(col(PlanVisitConsultant.visit_id), col(PlanVisitConsultant.pos))
    ).all()
    by_visit: dict[int, list[str]] = defaultdict(list)
    for visit_id, ckey in links:
        by_visit[visit_id].append(ckey)
    unassigned = session.exec(
        select(PlanUnassigned)
        .where(PlanUnassigned.plan_id == saved.id)
        .order_by(col(PlanUnassigned.pos))
    ).all()
    return Plan(
        scenario=saved.scenario_name,
        solver=SolverInfo(
            status=saved.status,
            objective=saved.objective,
            bound=saved.bound,
            seconds=saved.seconds,
        ),
        visits=tuple(
            Visit(
                request=v.request_key,
                youth=v.youth_key,
                location=v.location_key,
                consultants=tuple(by_visit.get(v.id or 0, [])),
                date=v.date,
                start=v.start,
                end=v.end,
            )
            for v in visits
        ),
        unassigned=tuple(Unassigned(u.request_key, tuple(u.reasons)) for u in unassigned),
        kpis=dict(saved.kpis),
        extra=dict(saved.extra),
    )


def load_plan(engine: Engine, plan_id: int, *, principal: Principal | None = None) -> Plan:
    """The saved plan ``plan_id``; with a ``principal``, only the part it may see
    (:func:`matcher.security.principal.scope_plan`).

    Raises
    ------
    NotFoundError
        No plan with that id.
    AccessDenied
        The principal sees no planning data.
    """
    with session_scope(engine) as session:
        saved = session.get(SavedPlan, plan_id)
        if saved is None:
            raise NotFoundError(f"no saved plan with id {plan_id}")
        plan = _load_plan(session, saved)
        round_id = saved.round_id
    if principal is None or principal.full_access:
        return plan
    principal.require(*CASE_ROLES)
    return _scoped_plan(engine, round_id, plan, principal)


def _scoped_plan(engine: Engine, round_id: int, plan: Plan, principal: Principal) -> Plan:
    full = export_scenario(engine, round_id)
    provider_of = {c.id: c.provider for c in full.consultants}
    return scope_plan(plan, principal, provider_of, stand_ins(full))


def list_plans(
    engine: Engine, round_id: int, *, principal: Principal | None = None
) -> list[PlanInfo]:
    """The round's saved plans, newest first.

    For a principal other than the ketenregisseur without objective, bound, counts and
    week figures (they describe every provider's visits).
    """
    if principal is not None and not principal.full_access:
        principal.require(*CASE_ROLES, GEMEENTE)
        return [
            replace(p, objective=None, bound=None, visits=0, unassigned=0, kpis={})
            for p in list_plans(engine, round_id)
        ]
    with session_scope(engine) as session:
        plans = session.exec(
            select(SavedPlan)
            .where(SavedPlan.round_id == round_id)
            .order_by(col(SavedPlan.created_at).desc(), col(SavedPlan.id).desc())
        ).all()
        n_visits = _counts(session, PlanVisit, "plan_id", round_id)
        n_unassigned = _counts(session, PlanUnassigned, "plan_id", round_id)
        out = []
        for p in plans:
            assert p.id is not None
            out.append(
                PlanInfo(
                    id=p.id,
                    round_id=p.round_id,
                    label=p.label,
                    created_at=_aware(p.created_at),
                    status=p.status,
                    objective=p.objective,
                    bound=p.bound,
                    seconds=p.seconds,
                    visits=n_visits.get(p.id, 0),
                    unassigned=n_unassigned.get(p.id, 0),
                    kpis=dict(p.kpis),
                )
            )
        return out


def latest_plan(
    engine: Engine, round_id: int, *, principal: Principal | None = None
) -> Plan | None:
    """The round's most recently saved plan (scoped to ``principal``), or ``None``."""
    if principal is not None and not principal.full_access:
        principal.require(*CASE_ROLES)
        found = latest_plan(engine, round_id)
        return None if found is None else _scoped_plan(engine, round_id, found, principal)
    with session_scope(engine) as session:
        saved = session.exec(
            select(SavedPlan)
            .where(SavedPlan.round_id == round_id)
            .order_by(col(SavedPlan.created_at).desc(), col(SavedPlan.id).desc())
            .limit(1)
        ).first()
        return None if saved is None else _load_plan(session, saved)


# Versions and concurrent edits --------------------------------------------------------------

KINDS: tuple[str, ...] = ("consultant", "location", "youth", "request")
"""The kinds of entity that carry a version (see :class:`Versions`)."""

_KIND_MODELS: dict[str, type[SQLModel]] = {
    "consultant": ConsultantRow,
    "location": LocationRow,
    "youth": YouthRow,
    "request": RequestRow,
}

Validator = Callable[[Scenario], Sequence[Problem]]
"""Checks a whole scenario; returns its problems (empty when valid)."""


@dataclass(frozen=True, slots=True)
class Versions:
    """The versions of a round and of its entities, read together with its scenario.

    Attributes
    ----------
    round
        The round's version: incremented by every write to anything in the round.
    entities
        ``(kind, key) -> version`` of every consultant, location, youth and request
        (kinds as in :data:`KINDS`). Every write to an entity increments its version.
    latest_plan
        Id of the round's newest saved plan (0 when there is none).
    """

    round: int
    entities: Mapping[tuple[str, str], int]
    latest_plan: int = 0

    def of(self, kind: str, key: str) -> int:
        """The version of entity ``key`` of ``kind``; 0 when it does not exist."""
        return self.entities.get((kind, key), 0)


@dataclass(frozen=True, slots=True)
class RoundSnapshot:
    """A round's scenario with the versions it was read at (one transaction)."""

    round_id: int
    scenario: Scenario
    versions: Versions


@dataclass(frozen=True, slots=True)
class Conflict:
    """One entity that changed since the snapshot an edit was made on.

    ``expected`` is the version the edit was based on, ``current`` the stored one; 0 means
    "does not exist" (an entity added by someone else has ``expected == 0``, one deleted
    meanwhile ``current == 0``). Kind ``plan`` is the round's newest saved plan: ``expected``
    and ``current`` are plan ids.
    """

    kind: str
    key: str
    expected: int
    current: int

    def __str__(self) -> str:
        if self.kind == "plan":
            return f"a newer plan was saved (#{self.current}, edit based on #{self.expected})"
        if self.current == 0:
            return f"{self.kind} {self.key} was deleted"
        if self.expected == 0:
            return f"{self.kind} {self.key} was added"
        return f"{self.kind} {self.key} changed (version {self.expected} -> {self.current})"


class StaleEditError(StorageError):
    """An edit was based on an outdated snapshot: someone else changed what it changes.

    Nothing was written. ``conflicts`` names every entity that changed; ``current`` is the
    round as stored when the conflict was found (scenario and versions), to show what
    changed or to merge the edit into it.
    """

    def __init__(self, conflicts: Sequence[Conflict], current: RoundSnapshot | None = None):
        self.conflicts = tuple(conflicts)
        self.current = current
        super().__init__(
            "changed by someone else since the edit was started: "
            + "; ".join(str(c) for c in self.conflicts)
        )


class InvalidEditError(StorageError):
    """The round would be invalid with the edit applied to its stored state; nothing written.

    ``problems`` are the validator's, about the whole round as it would be stored (it may
    include other users' edits saved after the snapshot the edit was made on).
    """

    def __init__(self, problems: Sequence[Problem], scenario: Scenario | None = None):
        self.problems = tuple(problems)
        self.scenario = scenario
        """The refused round (the stored state with the edit applied), to name entities."""
        super().__init__(
            f"the planning round would be invalid ({len(self.problems)} problem(s)): "
            + "; ".join(str(p) for p in self.problems[:5])
        )


def check_round(scenario: Scenario) -> tuple[Problem, ...]:
    """The loader's validator on a whole scenario: its problems (empty when valid)."""
    from matcher.scenario.validate import validate_document
    from matcher.scenario.writer import scenario_to_dict

    try:
        validate_document(scenario_to_dict(scenario), "<planningsronde>")
    except ScenarioError as exc:
        return tuple(exc.problems)
    return ()


@dataclass(frozen=True)
class RoundEdit:
    """Entity writes that are saved together (see :func:`write_edit`).

    Attributes
    ----------
    consultants
        Existing consultants to overwrite (every field, skills and availability included).
    locations, youths, requests
        Entities to insert or overwrite (matched by id).
    pins
        Request id -> its new pin, or ``None`` to remove it.
    deleted_requests
        Requests to delete.
    plan
        A plan to save in the same transaction (label ``plan_label``).
    plan_based_on
        With ``plan``: the id of the plan it was derived from (0 = none). When the round's
        newest plan is another one, the edit conflicts (a kind ``plan`` :class:`Conflict`),
        so a hand-made change never hides a plan saved meanwhile. ``None``: not checked.
    """

    consultants: tuple[Consultant, ...] = ()
    locations: tuple[Location, ...] = ()
    youths: tuple[Youth, ...] = ()
    requests: tuple[Request, ...] = ()
    pins: Mapping[str, Pin | None] = field(default_factory=dict)
    deleted_requests: tuple[str, ...] = ()
    plan: Plan | None = None
    plan_label: str = ""
    plan_based_on: int | None = None

    def touched(self) -> list[tuple[str, str]]:
        """``(kind, key)`` of every entity the edit writes, in order, without repeats."""
        keys = [
            *(("consultant", c.id) for c in self.consultants),
            *(("location", x.id) for x in self.locations),
            *(("youth", y.id) for y in self.youths),
            *(("request", r.id) for r in self.requests),
            *(("request", r) for r in self.pins),
            *(("request", r) for r in self.deleted_requests),
        ]
        return list(dict.fromkeys(keys))

    @property
    def empty(self) -> bool:
        return not self.touched() and self.plan is None


def _entity_versions(
    session: Session, round_id: int, wanted: Iterable[tuple[str, str]] | None = None
) -> dict[tuple[str, str], int]:
    """``(kind, key) -> version`` in the round: all entities, or only ``wanted`` (one query
    per kind)."""
    by_kind: dict[str, set[str]] | None = None
    if wanted is not None:
        by_kind = defaultdict(set)
        for kind, key in wanted:
            by_kind[kind].add(key)
    out: dict[tuple[str, str], int] = {}
    for kind, model in _KIND_MODELS.items():
        table = _table(model)
        stmt = sa_select(table.c.key, table.c.version).where(table.c.round_id == round_id)
        if by_kind is not None:
            keys = by_kind.get(kind)
            if not keys:
                continue
            stmt = stmt.where(table.c.key.in_(sorted(keys)))
        for key, version in session.connection().execute(stmt):
            out[(kind, key)] = int(version)
    return out


def _latest_plan_id(session: Session, round_id: int) -> int:
    saved = session.exec(
        select(SavedPlan.id)
        .where(SavedPlan.round_id == round_id)
        .order_by(col(SavedPlan.created_at).desc(), col(SavedPlan.id).desc())
        .limit(1)
    ).first()
    return int(saved or 0)


def _versions(session: Session, round_id: int) -> Versions:
    rnd = _require_round(session, round_id)
    return Versions(
        round=rnd.version,
        entities=MappingProxyType(_entity_versions(session, round_id)),
        latest_plan=_latest_plan_id(session, round_id),
    )


def _snapshot(session: Session, round_id: int) -> RoundSnapshot:
    return RoundSnapshot(round_id, _export(session, round_id), _versions(session, round_id))


def load_round(engine: Engine, round_id: int) -> RoundSnapshot:
    """The round's scenario with its versions, read in one consistent transaction.

    Edit the scenario and pass ``versions`` to :func:`write_edit` (or the
    ``expected_version`` of a single-entity function): an entity someone else changed in
    the meantime is then refused with :class:`StaleEditError` instead of overwritten.

    Raises
    ------
    NotFoundError
        No round with that id.
    """
    with _read_scope(engine) as session:
        return _snapshot(session, round_id)


def read_versions(engine: Engine, round_id: int) -> Versions:
    """Only the versions of :func:`load_round` (cheap: one query per kind)."""
    with _read_scope(engine) as session:
        return _versions(session, round_id)


@contextmanager
def _locked_round(engine: Engine, round_id: int) -> Iterator[Session]:
    """A write transaction holding the round's lock until it ends.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the round's row, so writers of one round queue
    up and each one reads (at ``READ COMMITTED``) everything its predecessors committed.
    SQLite: the database's write lock, taken at ``BEGIN IMMEDIATE``.
    """
    with session_scope(engine, write=True) as session:
        table = _table(PlanningRound)
        found = session.connection().execute(
            sa_select(table.c.id).where(table.c.id == round_id).with_for_update()
        )
        if found.first() is None:
            raise NotFoundError(f"no planning round with id {round_id}")
        yield session


def _bump_round(session: Session, round_id: int) -> None:
    table = _table(PlanningRound)
    session.connection().execute(
        update(table).where(table.c.id == round_id).values(version=table.c.version + 1)
    )


Expect = Callable[[str, str], int | None]
"""``(kind, key) -> expected version`` (0: must not exist yet); ``None``: not checked."""


def _unchecked(_kind: str, _key: str) -> int | None:
    return None


class _Writer:
    """Writes entities of one round in a locked transaction, each guarded by its version.

    The first write of an entity in the transaction runs ``UPDATE ... SET version =
    version + 1 WHERE id = ? AND version = ?`` with the expected version; no row updated
    means someone else changed (or deleted) it: :class:`StaleEditError`. New entities are
    inserted with version 1 (expected version 0: it must not exist yet).
    """

    def __init__(self, session: Session, round_id: int, expect: Expect = _unchecked):
        self.session = session
        self.round_id = round_id
        self.expect = expect
        self.claimed: set[tuple[str, str]] = set()

    def _conflict(self, kind: str, key: str, expected: int) -> StaleEditError:
        current = _entity_versions(self.session, self.round_id, [(kind, key)]).get((kind, key), 0)
        return StaleEditError([Conflict(kind, key, expected, current)])

    def claim(self, kind: str, key: str, row_id: int | None) -> None:
        """Check and increment the version of an existing entity (once per transaction);
        with ``row_id`` ``None`` (it does not exist) check that it was expected to be new."""
        if (kind, key) in self.claimed:
            return
        expected = self.expect(kind, key)
        if row_id is None:
            if expected not in (None, 0):
                raise self._conflict(kind, key, expected)
            self.claimed.add((kind, key))
            return
        if expected == 0:
            raise self._conflict(kind, key, 0)
        table = _table(_KIND_MODELS[kind])
        stmt = update(table).where(table.c.id == row_id).values(version=table.c.version + 1)
        if expected is not None:
            stmt = stmt.where(table.c.version == expected)
        if not self.session.connection().execute(stmt).rowcount:
            raise self._conflict(kind, key, expected or 0)
        self.claimed.add((kind, key))

    def consultant_of(self, key: str) -> tuple[int, int]:
        found = _consultants(self.session, self.round_id, [key])
        if key not in found:
            expected = self.expect("consultant", key)
            if expected:
                raise self._conflict("consultant", key, expected)
        return _lookup(found, key, "consultant", f"round {self.round_id}")

    def availability(
        self, key: str, availability: Sequence[Window], unavailable: Sequence[Unavailability]
    ) -> None:
        cid, pid = self.consultant_of(key)
        self.claim("consultant", key, cid)
        session = self.session
        session.exec(delete(ConsultantWindow).where(col(ConsultantWindow.consultant_id) == cid))
        session.exec(
            delete(ConsultantUnavailability).where(
                col(ConsultantUnavailability.consultant_id) == cid
            )
        )
        stub = Consultant(
            id=key,
            provider="",
            name="",
            email="",
            base=Point(0.0, 0.0),
            availability=tuple(availability),
            unavailable=tuple(unavailable),
        )
        _insert_consultant_children(session, self.round_id, [(cid, pid, stub)], skills=False)

    def consultant(self, consultant: Consultant) -> None:
        session, round_id = self.session, self.round_id
        cid, _ = self.consultant_of(consultant.id)
        pid = _lookup(
            _keyed(session, ProviderRow, round_id, [consultant.provider]),
            consultant.provider,
            "provider",
            f"consultant {consultant.id}",
        )
        self.claim("consultant", consultant.id, cid)
        session.exec(
            update(ConsultantRow)
            .where(col(ConsultantRow.id) == cid)
            .values(**_consultant_values(consultant, pid))
        )
        for model in (ConsultantSkill, ConsultantWindow, ConsultantUnavailability):
            session.exec(delete(model).where(col(model.consultant_id) == cid))
        _insert_consultant_children(session, round_id, [(cid, pid, consultant)])

    def _upsert(
        self, kind: str, model: type[SQLModel], key: str, values: dict[str, Any]
    ) -> tuple[int, bool]:
        """Update the row ``key`` of ``model`` with ``values``, or insert it at the end.

        Returns the row id and whether it existed.
        """
        session, round_id = self.session, self.round_id
        existing = _keyed(session, model, round_id, [key]).get(key)
        self.claim(kind, key, existing)
        if existing is not None:
            session.exec(
                update(model).where(col(model.id) == existing).values(**values)  # type: ignore[attr-defined]
            )
            return existing, True
        pos = _next_pos(session, model, round_id)
        ids = _insert_ids(
            session, model, [{"round_id": round_id, "key": key, "pos": pos, **values}], "key"
        )
        return ids[key], False

    def request(self, request: Request) -> None:
        session, round_id = self.session, self.round_id
        yid = _lookup(
            _keyed(session, YouthRow, round_id, [request.youth]),
            request.youth,
            "youth",
            f"request {request.id}",
        )
        pinned = request.pinned.consultants if request.pinned else ()
        consultants = _consultants(session, round_id, pinned)
        rid, existed = self._upsert(
            "request", RequestRow, request.id, _request_values(request, yid)
        )
        if existed:
            session.exec(delete(RequestRole).where(col(RequestRole.request_id) == rid))
            session.exec(delete(PinRow).where(col(PinRow.request_id) == rid))
        _insert_request_children(session, round_id, [(rid, request)], consultants)

    def youth(self, youth: Youth) -> None:
        session, round_id = self.session, self.round_id
        lid = _lookup(
            _keyed(session, LocationRow, round_id, [youth.location]),
            youth.location,
            "location",
            f"youth {youth.id}",
        )
        wanted = set(youth.excluded_consultants)
        if youth.previous_consultant is not None:
            wanted.add(youth.previous_consultant)
        consultants = _consultants(session, round_id, wanted)
        yid, existed = self._upsert(
            "youth", YouthRow, youth.id, _youth_values(youth, lid, consultants)
        )
        if existed:
            session.exec(
                delete(YouthExcludedConsultant).where(col(YouthExcludedConsultant.youth_id) == yid)
            )
        _insert_youth_exclusions(session, round_id, [(yid, youth)], consultants)

    def location(self, location: Location) -> None:
        lid, existed = self._upsert(
            "location", LocationRow, location.id, _location_values(location)
        )
        if existed:
            self.session.exec(delete(LocationWindow).where(col(LocationWindow.location_id) == lid))
        _insert_location_windows(self.session, self.round_id, [(lid, location)])

    def pin(self, request_id: str, pin: Pin | None) -> None:
        session, round_id = self.session, self.round_id
        rid = _keyed(session, RequestRow, round_id, [request_id]).get(request_id)
        if rid is None:
            expected = self.expect("request", request_id)
            if expected:
                raise self._conflict("request", request_id, expected)
            raise NotFoundError(f"round {round_id}: request {request_id!r} is not in the round")
        self.claim("request", request_id, rid)
        session.exec(delete(PinRow).where(col(PinRow.request_id) == rid))
        if pin is not None:
            consultants = _consultants(session, round_id, pin.consultants)
            _insert_pins(session, round_id, [(rid, request_id, pin)], consultants)

    def delete_request(self, request_id: str) -> bool:
        table = _table(RequestRow)
        stmt = delete(table).where(table.c.round_id == self.round_id, table.c.key == request_id)
        expected = (
            None if ("request", request_id) in self.claimed else self.expect("request", request_id)
        )
        if expected is not None:
            stmt = stmt.where(table.c.version == expected)
        done = bool(self.session.connection().execute(stmt).rowcount)
        if not done and expected:
            raise self._conflict("request", request_id, expected)
        return done


def _expect_from(base: Versions | Mapping[tuple[str, str], int] | None) -> Expect:
    if base is None:
        return _unchecked
    if isinstance(base, Versions):
        return base.of
    return lambda kind, key: base.get((kind, key))


def write_edit(
    engine: Engine,
    round_id: int,
    edit: RoundEdit,
    base: Versions | Mapping[tuple[str, str], int] | None = None,
    *,
    validate: Validator | None = check_round,
) -> Versions:
    """Save ``edit`` in one transaction that holds the round's lock, checked and validated.

    1. The round is locked (:func:`_locked_round`): concurrent writers of the round queue
       up, and each one sees what the previous ones committed.
    2. Every entity the edit touches is compared with ``base``, the versions of the
       snapshot the edit was made on (:attr:`RoundSnapshot.versions`, or a mapping
       ``(kind, key) -> version`` with 0 for "new"): any that differ raise
       :class:`StaleEditError` naming all of them. Each write also compares the version in
       its ``UPDATE`` (and increments it).
    3. The whole round as it would be stored is checked by ``validate`` (default: the
       loader's validator, :func:`check_round`): any problem raises
       :class:`InvalidEditError`. So two edits that are each valid on their own snapshot
       can never together leave an invalid round: the second one is validated against
       the state that includes the first.

    Nothing is written when anything fails.

    Parameters
    ----------
    base
        ``None``: no version check (last writer wins, as with the single-entity functions
        without ``expected_version``).
    validate
        ``None``: no validation (the caller's job, as with the single-entity functions).

    Returns
    -------
    Versions
        The versions after the write (pass them as ``base`` of a next edit of the result).

    Raises
    ------
    StaleEditError, InvalidEditError
        As above; nothing written.
    NotFoundError
        No such round, or a reference to something not in the round.
    """
    with _locked_round(engine, round_id) as session:
        if base is not None:
            expect = _expect_from(base)
            current = _entity_versions(session, round_id, edit.touched())
            conflicts = [
                Conflict(kind, key, want, current.get((kind, key), 0))
                for kind, key in edit.touched()
                if (want := expect(kind, key)) is not None and want != current.get((kind, key), 0)
            ]
            if edit.plan is not None and edit.plan_based_on is not None:
                latest = _latest_plan_id(session, round_id)
                if latest != edit.plan_based_on:
                    conflicts.append(Conflict("plan", "", edit.plan_based_on, latest))
            if conflicts:
                raise StaleEditError(conflicts, _snapshot(session, round_id))
        writer = _Writer(session, round_id, _expect_from(base))
        for c in edit.consultants:
            writer.consultant(c)
        for loc in edit.locations:
            writer.location(loc)
        for y in edit.youths:
            writer.youth(y)
        for r in edit.requests:
            writer.request(r)
        for rid, pin in edit.pins.items():
            writer.pin(rid, pin)
        for rid in edit.deleted_requests:
            writer.delete_request(rid)
        if edit.touched():
            _bump_round(session, round_id)
        if validate is not None and edit.touched():
            stored = _export(session, round_id)
            problems = validate(stored)
            if problems:
                raise InvalidEditError(problems, stored)
        if edit.plan is not None:
            _save_plan(session, round_id, edit.plan, edit.plan_label)
        return _versions(session, round_id)


# Single-entity edits ----------------------------------------------------------------------------


def _single(
    engine: Engine, round_id: int, kind: str, key: str, expected_version: int | None
) -> Any:
    """A locked transaction and a writer checking one entity's ``expected_version``."""
    expect: Expect = _unchecked
    if expected_version is not None:
        wanted = expected_version

        def expect(k: str, name: str) -> int | None:
            return wanted if (k, name) == (kind, key) else None

    @contextmanager
    def scope() -> Iterator[_Writer]:
        with _locked_round(engine, round_id) as session:
            writer = _Writer(session, round_id, expect)
            yield writer
            _bump_round(session, round_id)

    return scope()


def replace_consultant_availability(
    engine: Engine,
    round_id: int,
    consultant_id: str,
    availability: Sequence[Window],
    unavailable: Sequence[Unavailability],
    *,
    expected_version: int | None = None,
) -> None:
    """Replace the availability windows and unavailable times of one consultant.

    With ``expected_version`` (the consultant's version in the snapshot that was edited)
    the write is refused when someone else changed the consultant since.

    Raises
    ------
    NotFoundError
        No such round or consultant.
    StaleEditError
        The consultant's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "consultant", consultant_id, expected_version) as writer:
        writer.availability(consultant_id, availability, unavailable)


def update_consultant(
    engine: Engine, round_id: int, consultant: Consultant, *, expected_version: int | None = None
) -> None:
    """Overwrite an existing consultant (matched by id) with every field of ``consultant``.

    Skills, availability and unavailable times are replaced; a change of provider moves
    the consultant's pins and plan links along (``ON UPDATE CASCADE``). With
    ``expected_version`` the write is refused when the consultant changed since.

    Raises
    ------
    NotFoundError
        No such round or consultant, or the provider is not in the round.
    StaleEditError
        The consultant's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "consultant", consultant.id, expected_version) as writer:
        writer.consultant(consultant)


def upsert_request(
    engine: Engine, round_id: int, request: Request, *, expected_version: int | None = None
) -> None:
    """Insert ``request`` or overwrite the request with its id (roles and pin too).

    ``expected_version``: the request's version in the edited snapshot, 0 for a new one.

    Raises
    ------
    NotFoundError
        No such round, or the youth or a pinned consultant is not in the round.
    StaleEditError
        The request's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "request", request.id, expected_version) as writer:
        writer.request(request)


def delete_request(
    engine: Engine, round_id: int, request_id: str, *, expected_version: int | None = None
) -> bool:
    """Delete a request (with its roles and pin); whether it existed.

    Saved plans are snapshots and keep their visits to it. With ``expected_version`` a
    request changed or deleted since raises :class:`StaleEditError`.
    """
    try:
        with _single(engine, round_id, "request", request_id, expected_version) as writer:
            return writer.delete_request(request_id)
    except NotFoundError:
        return False


def upsert_youth(
    engine: Engine, round_id: int, youth: Youth, *, expected_version: int | None = None
) -> None:
    """Insert ``youth`` or overwrite the youth with its id (excluded consultants too).

    Raises
    ------
    NotFoundError
        No such round, or the youth's location or a named consultant is not in the round.
    StaleEditError
        The youth's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "youth", youth.id, expected_version) as writer:
        writer.youth(youth)


def upsert_location(
    engine: Engine, round_id: int, location: Location, *, expected_version: int | None = None
) -> None:
    """Insert ``location`` or overwrite the location with its id (opening windows too).

    Raises
    ------
    NotFoundError
        No such round.
    StaleEditError
        The location's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "location", location.id, expected_version) as writer:
        writer.location(location)


def set_pin(
    engine: Engine,
    round_id: int,
    request_id: str,
    pin: Pin | None,
    *,
    expected_version: int | None = None,
) -> None:
    """Set (or with ``None`` remove) the pin of a request.

    Raises
    ------
    NotFoundError
        No such round or request, or a pinned consultant is not in the round.
    StaleEditError
        The request's version is not ``expected_version`` (nothing written).
    """
    with _single(engine, round_id, "request", request_id, expected_version) as writer:
        writer.pin(request_id, pin)


# Command-line entry points ------------------------------------------------------------------


def _resolve_round(engine: Engine, round_name_or_id: str | int | None) -> RoundInfo | None:
    """The round named ``round_name_or_id``, else with that id; the newest round for ``None``."""
    rounds = list_rounds(engine)
    if round_name_or_id is None:
        return rounds[0] if rounds else None
    wanted = str(round_name_or_id)
    for r in rounds:
        if r.name == wanted:
            return r
    for r in rounds:
        if wanted.isdigit() and r.id == int(wanted):
            return r
    return None


def import_command(scenario_path: Path | str, database_url: str | None = None) -> int:
    """``matcher import``: validate a scenario file and store it (replacing a same-named round).

    Returns
    -------
    int
        0 on success; 2 when the scenario has problems (each is printed) or the database
        refuses it (one line, no traceback); nothing is written then.
    """
    from matcher.scenario.loader import load_scenario
    from matcher.storage.engine import get_engine

    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        from matcher.cli.problems import print_problems

        return print_problems(
            exc, f"{scenario_path}: {len(exc.problems)} problem(s); nothing imported"
        )
    try:
        engine = get_engine(database_url)
        try:
            round_id = import_scenario(engine, scenario, replace=True)
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError, ArithmeticError, ValueError) as exc:
        print(f"import failed, nothing written: {database_error_line(exc)}", file=sys.stderr)
        return 2
    print(
        f"imported {scenario.name!r} as planning round {round_id}: "
        f"{len(scenario.consultants)} consultants, {len(scenario.locations)} locations, "
        f"{len(scenario.youths)} youths, {len(scenario.requests)} requests"
    )
    return 0


def database_error_line(exc: BaseException) -> str:
    """One safe line for a database error: the driver's error type and first line.

    SQLAlchemy's own text of an error lists the SQL statement and its parameters (which may
    hold an address); the driver's first line names only the rule broken.
    """
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return escape(f"{type(orig).__name__}: {lines[0] if lines else 'no details'}"[:300])


def export_command(
    out_path: Path | str,
    round_name_or_id: str | int | None = None,
    database_url: str | None = None,
) -> int:
    """``matcher export``: write a stored round as a scenario file (YAML, or JSON by extension).

    Travel overrides go to a CSV beside the output (``<stem>.travel.csv``), referenced from
    the document. Without ``round_name_or_id`` the newest round is exported.

    Returns
    -------
    int
        0 on success; 2 when there is no such round; 1 when the database fails.
    """
    from matcher.scenario.writer import write_scenario
    from matcher.storage.engine import get_engine

    try:
        engine = get_engine(database_url)
        try:
            info = _resolve_round(engine, round_name_or_id)
            if info is None:
                what = (
                    "no planning rounds stored"
                    if round_name_or_id is None
                    else (f"no planning round named or numbered {str(round_name_or_id)!r}")
                )
                print(f"export: {what}", file=sys.stderr)
                return 2
            scenario = export_scenario(engine, info.id)
        finally:
            engine.dispose()
    except (StorageError, SQLAlchemyError) as exc:
        print(f"export failed: {database_error_line(exc)}", file=sys.stderr)
        return 1
    written = write_scenario(scenario, out_path)
    print(f"exported planning round {info.id} ({info.name!r}) to " + ", ".join(map(str, written)))
    return 0
