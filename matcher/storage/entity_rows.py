"""Rows of domain objects: the column values of a consultant, location, youth and request, and
the inserts of their child rows (skills, windows, exclusions, roles, pins).

Shared by the import of a whole scenario and the single-entity writes; private to
:mod:`matcher.storage`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from matcher.scenario.domain import Consultant, Location, Pin, Request, Window, Youth
from matcher.storage.rows import _bulk_insert, _insert_ids, _lookup
from matcher.storage.tables import (
    ConsultantSkill,
    ConsultantUnavailability,
    ConsultantWindow,
    LocationWindow,
    PinConsultant,
    PinRow,
    RequestRole,
    RequestRoleSkill,
    YouthExcludedConsultant,
)


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
