"""Edits of a round: a validated, conflict-checked :func:`write_edit` of several entities, and
the single-entity writes (:func:`update_consultant`, :func:`set_pin`, ...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matcher.scenario.domain import (
    Consultant,
    Location,
    Pin,
    Plan,
    Request,
    Unavailability,
    Window,
    Youth,
)
from matcher.storage.errors import NotFoundError
from matcher.storage.plans import _save_plan
from matcher.storage.scenarios import _export
from matcher.storage.versions import (
    Conflict,
    InvalidEditError,
    StaleEditError,
    Validator,
    Versions,
    _bump_round,
    _entity_versions,
    _locked_round,
    _plan_conflict,
    _snapshot,
    _versions,
    check_round,
)
from matcher.storage.writer import Expect, _unchecked, _Writer


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


def _expect_from(base: Versions | Mapping[tuple[str, str], int] | None) -> Expect:
    if base is None:
        return _unchecked
    if isinstance(base, Versions):
        return base.of
    return lambda kind, key: base.get((kind, key))


def _conflicts(
    session: Session, round_id: int, edit: RoundEdit, base: Versions | Mapping[tuple[str, str], int]
) -> list[Conflict]:
    """Every entity ``edit`` touches whose stored version is not the one in ``base``, and the
    newest plan when the edit's plan was made from another one."""
    expect = _expect_from(base)
    current = _entity_versions(session, round_id, edit.touched())
    conflicts = [
        Conflict(kind, key, want, current.get((kind, key), 0))
        for kind, key in edit.touched()
        if (want := expect(kind, key)) is not None and want != current.get((kind, key), 0)
    ]
    if (
        edit.plan is not None
        and edit.plan_based_on is not None
        and (conflict := _plan_conflict(session, round_id, edit.plan_based_on))
    ):
        conflicts.append(conflict)
    return conflicts


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
        if base is not None and (conflicts := _conflicts(session, round_id, edit, base)):
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
        writer.pins(edit.pins)
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
