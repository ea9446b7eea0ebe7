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

Modules
-------
The API is re-exported here; the code lives in modules by what they hold:
:mod:`~matcher.storage.scenarios` (import and export of a whole round, published visits
included), :mod:`~matcher.storage.rounds` (round summaries), :mod:`~matcher.storage.plans`
(saved plans), :mod:`~matcher.storage.versions` (versions, the round lock, conflicts),
:mod:`~matcher.storage.edits` (validated edits and single-entity writes, through
:mod:`~matcher.storage.writer`), :mod:`~matcher.storage.errors` (``matcher import`` and
``matcher export`` are :mod:`matcher.cli.import_export`); :mod:`~matcher.storage.rows` and
:mod:`~matcher.storage.entity_rows` are their private helpers.
"""

from __future__ import annotations

from matcher.storage.edits import (
    RoundEdit,
    delete_request,
    replace_consultant_availability,
    set_pin,
    update_consultant,
    upsert_location,
    upsert_request,
    upsert_youth,
    write_edit,
)
from matcher.storage.errors import NotFoundError, RoundExistsError, StorageError
from matcher.storage.plans import PlanInfo, latest_plan, list_plans, load_plan, save_plan
from matcher.storage.rounds import RoundInfo, delete_round, find_round, list_rounds
from matcher.storage.rounds import _resolve_round as _resolve_round  # for matcher.cycle.advance
from matcher.storage.scenarios import export_scenario, import_scenario
from matcher.storage.versions import (
    KINDS,
    Conflict,
    InvalidEditError,
    RoundSnapshot,
    StaleEditError,
    Validator,
    Versions,
    check_round,
    load_round,
    read_versions,
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
    "export_scenario",
    "find_round",
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
