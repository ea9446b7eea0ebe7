"""A provider's or consultant's own availability: scoped edits, agenda import and saving.

Part of the app's only way in to case data (:mod:`matcher.app.access`, which re-exports
these functions): each takes the engine, the round and the principal, validates against the
whole week, and returns the result scoped to what the principal may see. An edit of a
consultant the principal does not own raises
:class:`~matcher.security.principal.AccessDenied`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.scenario.availability_view import apply_consultant_view
from matcher.scenario.busy_ics import BusyImport, BusyPeriod, plan_import
from matcher.scenario.domain import Scenario
from matcher.scenario.edit import EditResult, apply_availability, mark_unavailable, save_edit
from matcher.security.principal import (
    CONSULTANT,
    KETENREGISSEUR,
    PROVIDER_PLANNER,
    AccessDenied,
    Principal,
    scope_scenario,
)
from matcher.storage.round_state import ensure_app_tables

__all__ = [
    "edit_absence",
    "edit_availability",
    "edit_consultant_view",
    "import_busy_times",
    "save_availability",
]


def _own_ids(scenario: Scenario, principal: Principal) -> list[str]:
    return [c.id for c in scenario.consultants if principal.owns_consultant(c)]


def _scoped_result(result: EditResult, principal: Principal) -> EditResult:
    if principal.full_access or result.scenario is None:
        return result
    return dataclasses.replace(result, scenario=scope_scenario(result.scenario, principal))


def _week_for_own_consultant(
    engine: Engine, round_id: int, principal: Principal, consultant_id: str, base: Scenario | None
) -> Scenario:
    """The whole week (``base``, or as stored now) for an edit of ``consultant_id``.

    Raises
    ------
    AccessDenied
        The principal may not edit availability, or not that consultant's.
    """
    principal.require(KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT)
    full = base if base is not None else storage.export_scenario(engine, round_id)
    if consultant_id not in _own_ids(full, principal):
        raise AccessDenied(f"{consultant_id} is geen consultant die je mag bewerken.")
    return full


def edit_availability(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultants: pd.DataFrame | None = None,
    windows: pd.DataFrame | None = None,
    unavailable: pd.DataFrame | None = None,
    *,
    base: Scenario | None = None,
) -> EditResult:
    """Validate edited availability tables of the principal's consultants (rows naming any
    other consultant are refused), against the whole week.

    ``base`` is the whole week as it was when the tables were opened (so that a save can
    tell what others changed meanwhile); default: as stored now.
    """
    principal.require(KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT)
    full = base if base is not None else storage.export_scenario(engine, round_id)
    result = apply_availability(full, _own_ids(full, principal), consultants, windows, unavailable)
    return _scoped_result(result, principal)


def edit_absence(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultant_id: str,
    dates: Sequence[dt.date],
    start: int | None = None,
    end: int | None = None,
    *,
    base: Scenario | None = None,
) -> EditResult:
    """Validate an absence of one of the principal's consultants (``base``: see
    :func:`edit_availability`)."""
    full = _week_for_own_consultant(engine, round_id, principal, consultant_id, base)
    return _scoped_result(mark_unavailable(full, consultant_id, dates, start, end), principal)


def edit_consultant_view(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultant_id: str,
    weekly: pd.DataFrame | None = None,
    exceptions: pd.DataFrame | None = None,
    *,
    base: Scenario | None = None,
) -> EditResult:
    """Validate one of the principal's consultants' edited weekly hours and exceptions
    (:mod:`matcher.scenario.availability_view`; ``base``: see :func:`edit_availability`)."""
    full = _week_for_own_consultant(engine, round_id, principal, consultant_id, base)
    result = apply_consultant_view(full, consultant_id, weekly, exceptions)
    return _scoped_result(result, principal)


def import_busy_times(
    engine: Engine,
    round_id: int,
    principal: Principal,
    consultant_id: str,
    periods: Iterable[BusyPeriod],
    *,
    base: Scenario | None = None,
) -> BusyImport:
    """The absences that busy periods of a calendar (:mod:`matcher.scenario.busy_ics`) add to one
    of the principal's consultants, validated; save ``.result`` with
    :func:`save_availability` (``base``: see :func:`edit_availability`)."""
    full = _week_for_own_consultant(engine, round_id, principal, consultant_id, base)
    found = plan_import(full, consultant_id, periods)
    return dataclasses.replace(found, result=_scoped_result(found.result, principal))


def save_availability(
    engine: Engine,
    round_id: int,
    principal: Principal,
    result: EditResult,
    versions: storage.Versions | None = None,
) -> int:
    """Store a valid availability edit; only the principal's own consultants are written.

    ``versions`` are those of the snapshot the edit was made on: the write is refused with
    :class:`matcher.storage.StaleEditError` when someone changed those entities meanwhile,
    and validated with the whole stored week under the round lock (see
    :func:`matcher.scenario.edit.save_edit`).
    """
    principal.require(KETENREGISSEUR, PROVIDER_PLANNER, CONSULTANT)
    if not principal.full_access:
        full = storage.export_scenario(engine, round_id)
        own = set(_own_ids(full, principal))
        touched = set(result.upserts.get("consultants", ()))
        others = {k: v for k, v in result.upserts.items() if k != "consultants" and v}
        if touched - own or others or result.deletes:
            raise AccessDenied("Deze wijziging gaat over gegevens buiten je eigen consultants.")
    ensure_app_tables(engine)
    return save_edit(engine, round_id, result, versions)
