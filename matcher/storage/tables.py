"""SQLModel tables that store planning rounds (scenarios) and their saved plans.

Kept as one module on purpose (over 500 lines): as the SQLModel guide advises, the models
share their column helpers, ``ALL_TABLES`` and one import that registers them all on
``metadata``, and the schema notes below describe them together.

One *planning round* (:class:`PlanningRound`) holds one scenario of ``FORMAT.md``. Every other
row belongs to exactly one round through a ``round_id`` foreign key with ``ON DELETE
CASCADE``, so deleting a round removes everything that belongs to it, and every query of
:mod:`matcher.storage` can load a whole round with one ``WHERE round_id = ?`` per table.

Keys and types
--------------
* Surrogate integer primary keys (``id``) everywhere; the format's string ids live in ``key``
  columns, unique per round (``UNIQUE (round_id, key)``). Round and saved-plan ids are never
  reused after a delete (``AUTOINCREMENT`` on SQLite, sequences on PostgreSQL).
* Times of day are integer minutes since local midnight (``0..1440``); dates are ``DATE``.
* Order of lists in the scenario is kept in ``pos`` columns (0-based).
* Only portable types are used (``INTEGER``, ``BIGINT``, ``FLOAT``, ``BOOLEAN``, ``DATE``,
  ``TIMESTAMP``, ``VARCHAR``, SQLAlchemy ``JSON``), so the schema is identical on SQLite and
  PostgreSQL.
* References *inside* a scenario (consultant -> provider, youth -> location, youth ->
  previous and excluded consultants, request -> youth, pin -> consultants) are real foreign
  keys to the surrogate ids.
* Saved plans are snapshots: their visits store the request, youth, location and consultant
  keys as written in the plan, so later edits of the scenario never change a saved plan.
* Versions: the round and every entity edited on its own (consultant, location, youth,
  request) have a ``version`` integer, 1 when created and incremented by every write to the
  entity or to a row hanging off it (skills, windows, unavailable times, exclusions, roles,
  pin). The round's version is incremented by every write to anything in the round, so it
  is an exact change counter of the scenario.

Scoping rule for access control (per provider)
----------------------------------------------
A later access-control layer restricts a provider's users to their own rows like this:

* ``provider``: the row with ``id = :provider_id``.
* ``consultant``: ``consultant.provider_id = :provider_id``.
* Rows hanging off a consultant carry ``provider_id`` themselves (indexed):
  ``consultant_skill``, ``consultant_window``, ``consultant_unavailability``,
  ``pin_consultant`` and ``plan_visit_consultant``. Their ``(consultant_id, provider_id)``
  is a composite foreign key to ``consultant (id, provider_id)`` with ``ON UPDATE CASCADE``,
  so the copy can never disagree with the consultant's provider: filter them with
  ``provider_id = :provider_id``, no join needed.
* ``plan_visit``: visible to a provider when a ``plan_visit_consultant`` row of the visit has
  ``provider_id = :provider_id`` (one indexed FK, ``plan_visit_consultant.visit_id``).
  A visit-consultant row whose consultant is not (or no longer) in the round has
  ``consultant_id`` and ``provider_id`` NULL and is visible to the planner only.
* ``youth.previous_consultant_id`` and ``youth_excluded_consultant.consultant_id`` are
  indexed FKs to ``consultant``; these rows belong to the youth (planner data), and a
  provider's view can reach the consultant through that one FK when needed.
* All other rows (rounds, days, travel overrides, urgency factors, locations, youths,
  requests, roles, pins, plans, unassigned requests) are round data of the planner
  (ketenregisseur) and carry no provider.
"""

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    MetaData,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

metadata: MetaData = SQLModel.metadata
"""The metadata holding every table of this module (use it for ``create_all``)."""

ROUND_FK = "planning_round.id"


def _round_id() -> Any:
    """The ``round_id`` column every table has: indexed FK to the round, cascade delete."""
    return Field(foreign_key=ROUND_FK, ondelete="CASCADE", index=True)


def _version() -> Any:
    """The ``version`` column of an edited entity: 1 when created, +1 on every write.

    Writers compare it in the ``UPDATE``'s ``WHERE`` (optimistic concurrency, see
    :func:`matcher.storage.write_edit`); the server default lets the column be added to an
    existing table (:mod:`matcher.storage.migrate`).
    """
    return Field(default=1, sa_column_kwargs={"server_default": text("1"), "nullable": False})


def _consultant_fk(nullable: bool = False) -> ForeignKeyConstraint:
    """Composite FK ``(consultant_id, provider_id) -> consultant (id, provider_id)``."""
    return ForeignKeyConstraint(
        ["consultant_id", "provider_id"],
        ["consultant.id", "consultant.provider_id"],
        ondelete="SET NULL" if nullable else "CASCADE",
        onupdate="CASCADE",
    )


_WINDOW_CHECK = '("date" IS NULL) <> (weekday IS NULL)'


# Rounds ----------------------------------------------------------------------------------


class PlanningRound(SQLModel, table=True):
    """One scenario: name, week, timezone, travel settings and weights."""

    __tablename__ = "planning_round"
    # Never reuse the id of a deleted round (SQLite would otherwise; PostgreSQL never does).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    week: str | None = None
    timezone: str = "Europe/Amsterdam"
    speed_kmh: float = 60.0
    detour_factor: float = 1.3
    weight_travel_minute: int = 1
    weight_waiting_day: int = 10
    weight_continuity: int = 60
    weight_unassigned: int = 1000
    weight_change: int = Field(
        default=300, sa_column_kwargs={"server_default": text("300"), "nullable": False}
    )
    now: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    """The scenario's ``now`` (naive local time in ``timezone``), if any."""
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    """Naive UTC."""
    version: int = _version()


class PlanningDay(SQLModel, table=True):
    """One planning date of a round, in the scenario's order."""

    __tablename__ = "planning_day"
    __table_args__ = (UniqueConstraint("round_id", "pos"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    pos: int
    date: dt.date


class TravelOverride(SQLModel, table=True):
    """One ``from,to,minutes`` row of the travel matrix CSV (directed)."""

    __tablename__ = "travel_override"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    pos: int
    from_point: str
    to_point: str
    minutes: int


class UrgencyFactor(SQLModel, table=True):
    """Multiplier of one urgency level."""

    __tablename__ = "urgency_factor"
    __table_args__ = (UniqueConstraint("round_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    pos: int
    name: str
    factor: int


# Providers and consultants ------------------------------------------------------------------


class ProviderRow(SQLModel, table=True):
    __tablename__ = "provider"
    __table_args__ = (UniqueConstraint("round_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    key: str
    pos: int
    name: str
    hourly_rate: float | None = None
    km_rate: float | None = None


class ConsultantRow(SQLModel, table=True):
    __tablename__ = "consultant"
    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        # Target of the composite FKs that keep provider_id copies consistent.
        UniqueConstraint("id", "provider_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    key: str
    pos: int
    provider_id: int = Field(foreign_key="provider.id", index=True)
    name: str
    email: str
    base_lat: float
    base_lon: float
    max_visits_per_day: int | None = None
    max_visits_per_week: int | None = None
    version: int = _version()


class ConsultantSkill(SQLModel, table=True):
    __tablename__ = "consultant_skill"
    __table_args__ = (UniqueConstraint("consultant_id", "skill"), _consultant_fk())

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    consultant_id: int = Field(index=True)
    provider_id: int = Field(index=True)
    skill: str


class ConsultantWindow(SQLModel, table=True):
    """An availability window (on a weekday or a date) of a consultant."""

    __tablename__ = "consultant_window"
    __table_args__ = (CheckConstraint(_WINDOW_CHECK), _consultant_fk())

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    consultant_id: int = Field(index=True)
    provider_id: int = Field(index=True)
    pos: int
    date: dt.date | None = None
    weekday: str | None = None
    start: int
    end: int


class ConsultantUnavailability(SQLModel, table=True):
    __tablename__ = "consultant_unavailability"
    __table_args__ = (_consultant_fk(),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    consultant_id: int = Field(index=True)
    provider_id: int = Field(index=True)
    pos: int
    date: dt.date
    start: int
    end: int


# Locations and youths ------------------------------------------------------------------


class LocationRow(SQLModel, table=True):
    """A location; ``always_open`` distinguishes "no ``open`` list" from an empty one."""

    __tablename__ = "location"
    __table_args__ = (UniqueConstraint("round_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    key: str
    pos: int
    name: str
    kind: str
    gemeente: str
    lat: float
    lon: float
    address: str | None = None
    confidential: bool = True
    always_open: bool = True
    contact_name: str | None = None
    contact_email: str | None = None
    version: int = _version()


class LocationWindow(SQLModel, table=True):
    """An opening window of a location."""

    __tablename__ = "location_window"
    __table_args__ = (CheckConstraint(_WINDOW_CHECK),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    location_id: int = Field(foreign_key="location.id", ondelete="CASCADE", index=True)
    pos: int
    date: dt.date | None = None
    weekday: str | None = None
    start: int
    end: int


class YouthRow(SQLModel, table=True):
    __tablename__ = "youth"
    __table_args__ = (UniqueConstraint("round_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    key: str
    pos: int
    location_id: int = Field(foreign_key="location.id", index=True)
    gemeente: str
    signalled_on: dt.date
    urgency: str = "normal"
    previous_consultant_id: int | None = Field(
        default=None, foreign_key="consultant.id", index=True
    )
    version: int = _version()


class YouthExcludedConsultant(SQLModel, table=True):
    """A consultant who may never visit the youth."""

    __tablename__ = "youth_excluded_consultant"
    __table_args__ = (UniqueConstraint("youth_id", "consultant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    youth_id: int = Field(foreign_key="youth.id", ondelete="CASCADE", index=True)
    consultant_id: int = Field(foreign_key="consultant.id", index=True)


# Requests and pins -------------------------------------------------------------------------


class RequestRow(SQLModel, table=True):
    """A consult request; ``time_of_day`` is set when both ``tod_start`` and ``tod_end`` are."""

    __tablename__ = "request"
    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        CheckConstraint("(tod_start IS NULL) = (tod_end IS NULL)"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    key: str
    pos: int
    youth_id: int = Field(foreign_key="youth.id", index=True)
    duration_minutes: int
    earliest: dt.date
    latest: dt.date
    tod_start: int | None = None
    tod_end: int | None = None
    version: int = _version()


class RequestRole(SQLModel, table=True):
    """One consultant needed by a request; its skills are :class:`RequestRoleSkill` rows."""

    __tablename__ = "request_role"
    __table_args__ = (UniqueConstraint("request_id", "pos"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    request_id: int = Field(foreign_key="request.id", ondelete="CASCADE", index=True)
    pos: int


class RequestRoleSkill(SQLModel, table=True):
    __tablename__ = "request_role_skill"
    __table_args__ = (UniqueConstraint("role_id", "skill"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    role_id: int = Field(foreign_key="request_role.id", ondelete="CASCADE", index=True)
    skill: str


class PinRow(SQLModel, table=True):
    """The pin of a request (at most one); its consultants are :class:`PinConsultant` rows."""

    __tablename__ = "pin"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    request_id: int = Field(foreign_key="request.id", ondelete="CASCADE", unique=True)
    date: dt.date | None = None
    start: int | None = None


class PinConsultant(SQLModel, table=True):
    __tablename__ = "pin_consultant"
    __table_args__ = (UniqueConstraint("pin_id", "pos"), _consultant_fk())

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    pin_id: int = Field(foreign_key="pin.id", ondelete="CASCADE", index=True)
    pos: int
    consultant_id: int = Field(index=True)
    provider_id: int = Field(index=True)


# Saved plans --------------------------------------------------------------------------------


class SavedPlan(SQLModel, table=True):
    """A plan saved for a round, with the solver's summary and KPIs."""

    __tablename__ = "saved_plan"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    label: str = ""
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False), index=True)
    """Naive UTC."""
    scenario_name: str
    status: str
    objective: int | None = Field(default=None, sa_type=BigInteger)
    bound: int | None = Field(default=None, sa_type=BigInteger)
    seconds: float = 0.0
    kpis: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    """Keys of the plan document outside the format."""


class PlanVisit(SQLModel, table=True):
    __tablename__ = "plan_visit"
    __table_args__ = (UniqueConstraint("plan_id", "pos"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    plan_id: int = Field(foreign_key="saved_plan.id", ondelete="CASCADE", index=True)
    pos: int
    request_key: str
    youth_key: str
    location_key: str
    date: dt.date
    start: int
    end: int


class PlanVisitConsultant(SQLModel, table=True):
    """A consultant of a planned visit; ``provider_id`` scopes the visit per provider."""

    __tablename__ = "plan_visit_consultant"
    __table_args__ = (UniqueConstraint("visit_id", "pos"), _consultant_fk(nullable=True))

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    visit_id: int = Field(foreign_key="plan_visit.id", ondelete="CASCADE", index=True)
    pos: int
    consultant_key: str
    consultant_id: int | None = Field(default=None, index=True)
    provider_id: int | None = Field(default=None, index=True)


class PlanUnassigned(SQLModel, table=True):
    """A request the plan leaves unassigned, with the reasons in words."""

    __tablename__ = "plan_unassigned"
    __table_args__ = (UniqueConstraint("plan_id", "pos"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    plan_id: int = Field(foreign_key="saved_plan.id", ondelete="CASCADE", index=True)
    pos: int
    request_key: str
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)


ALL_TABLES: tuple[type[SQLModel], ...] = (
    PlanningRound,
    PlanningDay,
    TravelOverride,
    UrgencyFactor,
    ProviderRow,
    ConsultantRow,
    ConsultantSkill,
    ConsultantWindow,
    ConsultantUnavailability,
    LocationRow,
    LocationWindow,
    YouthRow,
    YouthExcludedConsultant,
    RequestRow,
    RequestRole,
    RequestRoleSkill,
    PinRow,
    PinConsultant,
    SavedPlan,
    PlanVisit,
    PlanVisitConsultant,
    PlanUnassigned,
)
"""Every table model, parents before children."""


class PublishedVisitRow(SQLModel, table=True):
    """One ``published`` visit of a round: what staff already have (FORMAT.md re-planning).

    Like saved plans it is a snapshot: request and consultant keys as written, so a
    consultant who left the round can still be named by a visit that took place.
    """

    __tablename__ = "published_visit"
    __table_args__ = (UniqueConstraint("round_id", "pos"), UniqueConstraint("round_id", "request"))

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    pos: int
    request: str
    date: dt.date
    start: int
    consultants: list[str] = Field(sa_type=JSON)


class TrajectoryRow(SQLModel, table=True):
    """A youth's series of consults, across rounds (see :mod:`matcher.cycle.rounds`).

    Not part of a round: the series goes on from week to week, keyed by the case code.
    """

    __tablename__ = "trajectory"

    id: int | None = Field(default=None, primary_key=True)
    youth: str = Field(unique=True)
    consults: int
    done: int = 0
    min_gap_days: int
    max_gap_days: int
    duration_minutes: int
    roles: list[list[str]] = Field(sa_type=JSON)
    preferred_consultant: str | None = None
    last_visit: dt.date | None = None


class PlanAcceptance(SQLModel, table=True):
    """One acceptance of a saved plan: the round's plan from then on (plan history).

    Restoring an older plan accepts it again (``restored_from`` names the plan that was
    current before), so the history is append-only.
    """

    __tablename__ = "plan_acceptance"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _round_id()
    plan_id: int = Field(foreign_key="saved_plan.id", ondelete="CASCADE", index=True)
    accepted_by: str
    accepted_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    """Naive UTC."""
    restored_from: int | None = None
    """The plan that was current when this older plan was restored."""
