"""Case data for one :class:`~matcher.security.principal.Principal`: the app's only way in.

Each function takes the engine, the round (or plan) and the principal, reads the full data
inside, and returns only what the principal may see (see :mod:`matcher.security.principal` for the
rules): scoped scenarios and plans, the downloads of the export page, edits of
availability, and the gemeente's cost report. A call outside a role's rights raises
:class:`~matcher.security.principal.AccessDenied`.

Edits of one's own availability live in :mod:`matcher.app.access_availability`, the cost
report in :mod:`matcher.app.access_costs`, saved calendar links in
:mod:`matcher.app.access_agenda`; all are importable from here as well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app.access_agenda import (
    AgendaRefresh,
    agenda_links,
    fetch_saved_agendas,
    iso_week,
    later_round_weeks,
    plan_agenda_refresh,
    remove_agenda_link,
    save_agenda_link,
)
from matcher.app.access_availability import (
    edit_absence,
    edit_availability,
    edit_consultant_view,
    import_busy_times,
    save_availability,
)
from matcher.app.access_costs import cost_report
from matcher.app.export import (
    invite_files,
    plan_csv_bytes,
    plan_excel_bytes,
    scenario_file,
)
from matcher.app.locks import LockSplit, app_locked, note_locks, split_locks
from matcher.export.invites import Organizer, invite_state
from matcher.scenario.domain import Pin, Plan, Scenario
from matcher.scenario.edit import (
    EditResult,
    save_edit,
    save_pins,
)
from matcher.security.principal import (
    CONSULTANT,
    KETENREGISSEUR,
    PROVIDER_PLANNER,
    Principal,
)
from matcher.storage import history
from matcher.storage.round_state import (
    PLANNER,
    ensure_app_tables,
    exported_plan,
    mark_exported,
)

__all__ = [
    "AgendaRefresh",
    "agenda_links",
    "cost_report",
    "edit_absence",
    "edit_availability",
    "edit_consultant_view",
    "fetch_saved_agendas",
    "import_busy_times",
    "invites_for",
    "iso_week",
    "later_round_weeks",
    "lock_split",
    "mark_sent",
    "plan_agenda_refresh",
    "plan_tables_for",
    "remove_agenda_link",
    "role_of",
    "save_agenda_link",
    "save_availability",
    "scenario_file_for",
]


def role_of(principal: Principal) -> str:
    """The role string of :mod:`matcher.storage.round_state` (``ketenregisseur`` or a provider
    key)."""
    if principal.full_access:
        return PLANNER
    principal.require(PROVIDER_PLANNER, CONSULTANT)
    assert principal.provider is not None
    return principal.provider


def _restrict_to_consultant(files: dict[str, str], principal: Principal) -> dict[str, str]:
    if principal.role != CONSULTANT:
        return files
    from matcher.app.export import recipient_files
    from matcher.export.invites import safe_stem

    stem = safe_stem(principal.consultant or "")
    keep = set(recipient_files(files).get(stem, []))
    return {
        name: text
        for name, text in files.items()
        if name in keep or name.startswith(f"visits/{stem}/")
    }


def invites_for(
    engine: Engine,
    round_id: int,
    plan_id: int,
    principal: Principal,
    *,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """The invite files the principal may download (path -> iCalendar text).

    Cancellations are computed against the plan last exported. A provider planner gets its
    consultants' files, a consultant only its own; location contacts' invites are for the
    ketenregisseur. An invite never holds a confidential address.
    """
    role = role_of(principal)
    ensure_app_tables(engine)
    scenario = storage.export_scenario(engine, round_id)
    previous = exported_plan(engine, round_id)
    files = invite_files(
        scenario,
        storage.load_plan(engine, plan_id),
        role,
        previous=previous[1] if previous else None,
        organizer=organizer,
        now=now,
    )
    return _restrict_to_consultant(files, principal)


def _plan_for_tables(scenario: Scenario, plan: Plan, principal: Principal) -> Plan:
    if principal.role != CONSULTANT:
        return plan
    visits = tuple(v for v in plan.visits if principal.consultant in v.consultants)
    return dataclasses.replace(plan, visits=visits, unassigned=())


def plan_tables_for(
    engine: Engine, round_id: int, plan_id: int, principal: Principal
) -> tuple[bytes, bytes]:
    """The plan as CSV and Excel bytes as the principal may download them.

    The ketenregisseur gets the internal columns; a provider planner or consultant the
    third-party columns (names, no ids, no confidential address) of its own visits.
    """
    role = role_of(principal)
    scenario = storage.export_scenario(engine, round_id)
    plan = _plan_for_tables(scenario, storage.load_plan(engine, plan_id), principal)
    return plan_csv_bytes(scenario, plan, role), plan_excel_bytes(scenario, plan, role)


def scenario_file_for(
    engine: Engine, round_id: int, principal: Principal
) -> tuple[str, bytes, str]:
    """The whole week as a scenario file, **with confidential addresses** (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    return scenario_file(storage.export_scenario(engine, round_id))


def mark_sent(
    engine: Engine,
    round_id: int,
    plan_id: int,
    principal: Principal,
    organizer: Organizer | None = None,
) -> bool:
    """Remember ``plan_id`` as exported (ketenregisseur only); ``False`` when it already was.

    A plan sent to staff is the round's plan from then on: it is accepted (plan history)
    and re-plans are made against it (its visits are the published ones).
    """
    principal.require(KETENREGISSEUR)
    ensure_app_tables(engine)
    history.ensure_accepted(engine, round_id, plan_id, principal.account)
    before = exported_plan(engine, round_id)
    if before is not None and before[0] == plan_id:
        return False
    scenario = storage.export_scenario(engine, round_id)
    state = invite_state(
        scenario,
        storage.load_plan(engine, plan_id),
        previous=before[1] if before else None,
        organizer=organizer,
    )
    mark_exported(engine, round_id, plan_id, state)
    return True


def exported_plan_id(engine: Engine, round_id: int) -> int | None:
    """Id of the plan last exported as invites (no plan data)."""
    ensure_app_tables(engine)
    found = exported_plan(engine, round_id)
    return found[0] if found else None


# Edits of the week (availability edits: matcher.app.access_availability) ---------------


def save_week_edit(
    engine: Engine,
    round_id: int,
    principal: Principal,
    result: EditResult,
    versions: storage.Versions | None = None,
) -> int:
    """Store a valid edit of requests, youths or locations (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    ensure_app_tables(engine)
    return save_edit(engine, round_id, result, versions)


def save_scoped_edit(
    engine: Engine,
    round_id: int,
    principal: Principal,
    result: EditResult,
    versions: storage.Versions | None = None,
) -> int:
    """Store an edit through the rule that fits it: availability of one's own consultants
    (:func:`save_availability`) or the week's requests, youths and locations
    (:func:`save_week_edit`, ketenregisseur only)."""
    only_consultants = not result.deletes and not any(
        v for k, v in result.upserts.items() if k != "consultants"
    )
    if only_consultants:
        return save_availability(engine, round_id, principal, result, versions)
    return save_week_edit(engine, round_id, principal, result, versions)


def import_week(engine: Engine, principal: Principal, scenario: Scenario) -> int:
    """Store a scenario as a week, replacing one of the same name (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    return storage.import_scenario(engine, scenario, replace=True)


def set_pins(
    engine: Engine,
    round_id: int,
    principal: Principal,
    pins: Mapping[str, Pin | None],
    versions: storage.Versions | None = None,
    *,
    plan: Plan | None = None,
    plan_based_on: int | None = None,
) -> storage.Versions:
    """Lock (a pin) or unlock (``None``) requests of the week, optionally with a hand-made
    plan, in one validated transaction (ketenregisseur only; see
    :func:`matcher.scenario.edit.save_pins`)."""
    principal.require(KETENREGISSEUR)
    ensure_app_tables(engine)
    saved = save_pins(engine, round_id, pins, versions, plan=plan, plan_based_on=plan_based_on)
    note_locks(engine, round_id, pins)  # app locks, told apart from the scenario's pins
    return saved


def lock_split(engine: Engine, round_id: int, pinned: Sequence[str]) -> LockSplit:
    """The round's pinned requests split into app locks and the scenario's fixed
    appointments (see :mod:`matcher.app.locks`)."""
    return split_locks(pinned, app_locked(engine, round_id))


def save_plan(
    engine: Engine,
    round_id: int,
    principal: Principal,
    plan: Plan,
    label: str = "",
    based_on: int | None = None,
) -> int:
    """Save a plan of the week, e.g. a visit moved by hand (ketenregisseur only).

    ``based_on``: the plan it was made from; refused when a newer plan was saved meanwhile.
    """
    principal.require(KETENREGISSEUR)
    return storage.save_plan(engine, round_id, plan, label=label, based_on=based_on)


# Plan history and the weekly cycle --------------------------------------------------------


def accept_plan(engine: Engine, round_id: int, principal: Principal, plan_id: int) -> None:
    """Make a proposal the round's plan (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    history.accept_plan(engine, round_id, plan_id, principal.account)


def restore_plan(engine: Engine, round_id: int, principal: Principal, plan_id: int) -> None:
    """Make an earlier plan the round's plan again (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    history.restore_plan(engine, round_id, plan_id, principal.account)


def discard_plan(engine: Engine, round_id: int, principal: Principal, plan_id: int) -> bool:
    """Delete a proposal that was never accepted (ketenregisseur only)."""
    principal.require(KETENREGISSEUR)
    return history.discard_plan(engine, round_id, plan_id)


def next_round(engine: Engine, round_id: int, principal: Principal) -> int:
    """Make next week's round from this one (ketenregisseur only); returns its id."""
    from matcher.cycle.advance import advance_round

    principal.require(KETENREGISSEUR)
    return advance_round(engine, round_id)[0]


def save_trajectory_table(
    engine: Engine, principal: Principal, trajectories: Sequence[Any], removed: Sequence[str]
) -> None:
    """Store the edited trajectories and remove those of ``removed`` case codes
    (ketenregisseur only)."""
    from matcher.storage.trajectories import delete_trajectory, save_trajectories

    principal.require(KETENREGISSEUR)
    save_trajectories(engine, trajectories)
    for youth in removed:
        delete_trajectory(engine, youth)


def add_request(engine: Engine, round_id: int, principal: Principal, preview: Any) -> str:
    """Store a new request checked by :func:`matcher.app.request_preview.preview_request`, with
    its youth's urgency (ketenregisseur only); returns the request id."""
    principal.require(KETENREGISSEUR)
    if not preview.ok or preview.request is None:
        raise ValueError("the new request has problems; nothing is stored")
    youth = preview.scenario.youth(preview.request.youth)
    storage.upsert_youth(engine, round_id, youth)
    storage.upsert_request(engine, round_id, preview.request)
    return str(preview.request.id)


def request_next_consults(engine: Engine, round_id: int, principal: Principal) -> list[str]:
    """Add to this week the next consult of every trajectory that has none pending here
    (ketenregisseur only); returns the ids of the requests added."""
    from matcher.cycle.rounds import trajectory_request
    from matcher.storage.trajectories import list_trajectories

    principal.require(KETENREGISSEUR)
    scenario = storage.export_scenario(engine, round_id)
    have = {r.id for r in scenario.requests}
    youths = {y.id for y in scenario.youths}
    added: list[str] = []
    for t in list_trajectories(engine, youths):
        if t.finished or t.request_id() in have:
            continue
        req = trajectory_request(t, scenario.days)
        if req is not None:
            storage.upsert_request(engine, round_id, req)
            added.append(req.id)
    return added
