"""The version-guarded writer of single entities inside a locked round transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col

from matcher.scenario.domain import (
    Consultant,
    Location,
    Pin,
    Point,
    Request,
    Unavailability,
    Window,
    Youth,
)
from matcher.storage.entity_rows import (
    _consultant_values,
    _insert_consultant_children,
    _insert_location_windows,
    _insert_pins,
    _insert_request_children,
    _insert_youth_exclusions,
    _location_values,
    _request_values,
    _youth_values,
)
from matcher.storage.errors import NotFoundError
from matcher.storage.rows import _consultants, _insert_ids, _keyed, _lookup, _next_pos, _table
from matcher.storage.tables import (
    ConsultantRow,
    ConsultantSkill,
    ConsultantUnavailability,
    ConsultantWindow,
    LocationRow,
    LocationWindow,
    PinRow,
    ProviderRow,
    RequestRole,
    RequestRow,
    YouthExcludedConsultant,
    YouthRow,
)
from matcher.storage.versions import _KIND_MODELS, Conflict, StaleEditError, _entity_versions

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

    def _check_missing(self, kind: str, key: str) -> None:
        """For an entity that is not stored: a conflict when the edit expected it to exist."""
        expected = self.expect(kind, key)
        if expected:
            raise self._conflict(kind, key, expected)

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

    def _id_of(self, model: type[SQLModel], key: str, what: str, where: str) -> int:
        """The row id of ``key`` in ``model``'s table of the round; :class:`NotFoundError`
        naming ``what`` (``where``) when it is not there."""
        found = _keyed(self.session, model, self.round_id, [key])
        return int(_lookup(found, key, what, where))

    def consultant_of(self, key: str) -> tuple[int, int]:
        found = _consultants(self.session, self.round_id, [key])
        if key not in found:
            self._check_missing("consultant", key)
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
        pid = self._id_of(
            ProviderRow, consultant.provider, "provider", f"consultant {consultant.id}"
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
        yid = self._id_of(YouthRow, request.youth, "youth", f"request {request.id}")
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
        lid = self._id_of(LocationRow, youth.location, "location", f"youth {youth.id}")
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
            self._check_missing("request", request_id)
            raise NotFoundError(f"round {round_id}: request {request_id!r} is not in the round")
        self.claim("request", request_id, rid)
        session.exec(delete(PinRow).where(col(PinRow.request_id) == rid))
        if pin is not None:
            consultants = _consultants(session, round_id, pin.consultants)
            _insert_pins(session, round_id, [(rid, request_id, pin)], consultants)

    def pins(self, pins: Mapping[str, Pin | None]) -> None:
        """Set or remove the pins of many requests (``None`` removes): as :meth:`pin` for
        each, in a handful of statements (locking a week's 80 visits made 400)."""
        if not pins:
            return
        session, round_id = self.session, self.round_id
        rids = _keyed(session, RequestRow, round_id, pins)
        for request_id in pins:
            if request_id not in rids:
                self._check_missing("request", request_id)
                raise NotFoundError(f"round {round_id}: request {request_id!r} is not in the round")
        for request_id in pins:
            self.claim("request", request_id, rids[request_id])
        session.exec(delete(PinRow).where(col(PinRow.request_id).in_(sorted(rids.values()))))
        kept = [(rids[r], r, pin) for r, pin in pins.items() if pin is not None]
        if kept:
            wanted = {c for _, _, pin in kept for c in pin.consultants}
            _insert_pins(session, round_id, kept, _consultants(session, round_id, wanted))

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
