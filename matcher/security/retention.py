"""Retention (AVG): remove the data of cases closed longer ago than the retention period.

A case (a youth's case code) counts as *closed* on the last planning day of the newest
stored week that still holds it: a case that is still in care appears in this week's
round, so its history stays. The retention period is ``CONSULTPLANNER_RETENTION_MONTHS``
(default 24 months).

:func:`purge` removes, in one transaction, every closed case older than the cut-off from
every week: its requests (with roles and pins), the youth row, and its visits and open
requests in the saved plans; a week left without any youth is deleted whole, and a changed
week forgets its invite state. Locations (care facilities, not persons) and consultants
stay. The purge itself is written to the audit log (the audit log is kept: NEN 7513).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from matcher.security.audit import record
from matcher.security.principal import KETENREGISSEUR, Principal
from matcher.storage.engine import session_scope
from matcher.storage.tables import (
    PlanningDay,
    PlanningRound,
    PlanUnassigned,
    PlanVisit,
    RequestRow,
    YouthRow,
)

__all__ = [
    "RETENTION_ENV",
    "PurgeReport",
    "RetentionError",
    "case_closed_on",
    "earliest_cutoff",
    "purge",
    "retention_months",
]

RETENTION_ENV = "CONSULTPLANNER_RETENTION_MONTHS"
DEFAULT_MONTHS = 24


class RetentionError(ValueError):
    """A purge that the retention rules do not allow."""


def retention_months() -> int:
    """The retention period in months (``CONSULTPLANNER_RETENTION_MONTHS``, default 24)."""
    text = os.environ.get(RETENTION_ENV, "").strip()
    if not text:
        return DEFAULT_MONTHS
    try:
        months = int(text)
    except ValueError:
        raise RetentionError(f"{RETENTION_ENV}={text!r} is not a whole number of months") from None
    if months < 1:
        raise RetentionError(f"{RETENTION_ENV}={months} must be at least 1")
    return months


def _minus_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def earliest_cutoff(today: dt.date, months: int | None = None) -> dt.date:
    """The latest ``--closed-before`` date allowed today: ``today`` minus the period."""
    return _minus_months(today, retention_months() if months is None else months)


def case_closed_on(engine: Engine) -> dict[str, dt.date]:
    """Per case code, the day it counts as closed (the last day of its newest week)."""
    last_day = (
        select(col(PlanningDay.round_id), func.max(col(PlanningDay.date)).label("last"))
        .group_by(col(PlanningDay.round_id))
        .subquery()
    )
    stmt = (
        select(col(YouthRow.key), last_day.c.last, col(PlanningRound.created_at))
        .join(PlanningRound, col(PlanningRound.id) == col(YouthRow.round_id))
        .outerjoin(last_day, last_day.c.round_id == col(YouthRow.round_id))
    )
    out: dict[str, dt.date] = {}
    with engine.connect() as conn:
        for key, last, created in conn.execute(stmt):
            day = last if last is not None else created.date()
            if key not in out or day > out[key]:
                out[key] = day
    return out


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed (or would remove, with ``dry_run``)."""

    cutoff: dt.date
    cases: tuple[str, ...]
    rounds_deleted: tuple[str, ...]
    rounds_changed: tuple[str, ...]


def purge(
    engine: Engine,
    closed_before: dt.date | None,
    principal: Principal,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    client: str = "",
) -> PurgeReport:
    """Remove every case closed before ``closed_before`` (default: the earliest cut-off).

    Raises
    ------
    RetentionError
        When ``closed_before`` lies within the retention period (later than
        :func:`earliest_cutoff`), or the principal is not the ketenregisseur.
    """
    if principal.role != KETENREGISSEUR:
        raise RetentionError("only the ketenregisseur (or the server's command line) may purge")
    cutoff = _allowed_cutoff(closed_before, today or dt.date.today())
    closed = {code for code, day in case_closed_on(engine).items() if day < cutoff}
    deleted: list[str] = []
    changed: list[str] = []
    from matcher.storage.round_state import ensure_app_tables

    ensure_app_tables(engine)
    with session_scope(engine) as session:
        rounds = session.execute(select(col(PlanningRound.id), col(PlanningRound.name))).all()
        for rid, name in rounds:
            youths = session.execute(
                select(col(YouthRow.id), col(YouthRow.key)).where(col(YouthRow.round_id) == rid)
            ).all()
            gone = [(yid, key) for yid, key in youths if key in closed]
            if not gone:
                continue
            if len(gone) == len(youths):
                deleted.append(name)
                if not dry_run:
                    _delete_round(session, rid)
                continue
            changed.append(name)
            if not dry_run:
                _remove_youths(session, rid, gone)
    report = PurgeReport(cutoff, tuple(sorted(closed)), tuple(deleted), tuple(changed))
    if not dry_run:
        record(
            engine,
            principal,
            "purge",
            subject=f"gesloten voor {cutoff.isoformat()}",
            cases=report.cases,
            client=client,
            detail=f"{len(report.cases)} casus(sen); {len(deleted)} week/weken verwijderd, "
            f"{len(changed)} aangepast; bewaartermijn {retention_months()} maanden",
        )
    return report


def _allowed_cutoff(closed_before: dt.date | None, today: dt.date) -> dt.date:
    """``closed_before``, or the earliest cut-off when it is ``None``; checked against it."""
    limit = earliest_cutoff(today)
    cutoff = closed_before or limit
    if cutoff > limit:
        raise RetentionError(
            f"--closed-before {cutoff.isoformat()} is within the retention period of "
            f"{retention_months()} months: the latest allowed date today is {limit.isoformat()}"
        )
    return cutoff


def _delete_round(session: Session, rid: int) -> None:
    """Delete week ``rid`` whole, with its invite state."""
    from matcher.storage.round_state import ROUND_STATE

    session.execute(delete(ROUND_STATE).where(ROUND_STATE.c.round_id == rid))
    session.execute(delete(PlanningRound).where(col(PlanningRound.id) == rid))


def _remove_youths(session: Session, rid: int, gone: list[tuple[int, str]]) -> None:
    """Remove the youths ``gone`` (id, case code) from week ``rid``.

    Their requests, youth rows, planned visits and open requests go; the week forgets its
    invite state.
    """
    from matcher.storage.round_state import ROUND_STATE

    ids = [yid for yid, _ in gone]
    keys = [key for _, key in gone]
    request_keys = list(
        session.execute(
            select(col(RequestRow.key)).where(
                col(RequestRow.round_id) == rid, col(RequestRow.youth_id).in_(ids)
            )
        ).scalars()
    )
    session.execute(delete(RequestRow).where(col(RequestRow.youth_id).in_(ids)))
    session.execute(delete(YouthRow).where(col(YouthRow.id).in_(ids)))
    session.execute(
        delete(PlanVisit).where(col(PlanVisit.round_id) == rid, col(PlanVisit.youth_key).in_(keys))
    )
    if request_keys:
        session.execute(
            delete(PlanUnassigned).where(
                col(PlanUnassigned.round_id) == rid,
                col(PlanUnassigned.request_key).in_(request_keys),
            )
        )
    session.execute(
        update(ROUND_STATE)
        .where(ROUND_STATE.c.round_id == rid)
        .values(exported_plan_id=None, exported_state=None)
    )
