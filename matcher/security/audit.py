"""The audit log (NEN 7513): who looked at or changed which case data, when, from where.

Every view, edit, export and download of case data in the app, every login and logout,
every account change and every purge writes one row (:func:`record`) with the account and
its role, the time (UTC), the action, what was touched (case codes, location ids,
consultant ids), the client's network address and a short detail. Rows never hold an
address of a location or a youth's name: only codes and ids.

The table is append-only and hash-chained: each row holds ``prev_hash`` (the hash of the
row before it), a gap-free ``seq``, and ``hash``, the SHA-256 of its own content and
``prev_hash``. ``audit_head`` holds the newest ``seq`` and hash. :func:`verify` recomputes
the chain and reports the first row that was changed, inserted or deleted. Someone who can
write the database could rewrite the whole chain from the changed row on; keep the head
hash that ``matcher audit verify`` prints somewhere else (a daily mail, a ticket) to detect
that too.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from matcher.security.principal import Principal
from matcher.storage.security_tables import AuditHead, AuditRow

__all__ = [
    "EXPORT_COLUMNS",
    "AuditEntry",
    "VerifyReport",
    "entries",
    "export_csv",
    "record",
    "row_hash",
    "verify",
]

GENESIS = "0" * 64
"""``prev_hash`` of the first row."""
_HASHED = (
    "seq",
    "at",
    "account",
    "role",
    "action",
    "subject",
    "round_id",
    "case_codes",
    "locations",
    "consultants",
    "client",
    "detail",
)
EXPORT_COLUMNS = (*_HASHED, "prev_hash", "hash")

_ROW = AuditRow.__table__  # type: ignore[attr-defined]
_HEAD = AuditHead.__table__  # type: ignore[attr-defined]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _canonical(values: dict[str, Any]) -> str:
    out: dict[str, Any] = {}
    for key in _HASHED:
        value = values.get(key)
        if isinstance(value, dt.datetime):
            value = value.replace(microsecond=value.microsecond).isoformat(timespec="microseconds")
        out[key] = value
    return json.dumps(out, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(values: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of a row's content and the hash of the row before it."""
    return hashlib.sha256((prev_hash + "\n" + _canonical(values)).encode("utf-8")).hexdigest()


def _join(items: Iterable[str]) -> str:
    return ",".join(sorted({str(i) for i in items if i}))


def _ensure_head(conn: Connection) -> None:
    if conn.execute(select(_HEAD.c.id).where(_HEAD.c.id == 1)).first() is None:
        conn.execute(insert(_HEAD).values(id=1, seq=0, hash=GENESIS))


def record(
    engine: Engine,
    principal: Principal | None,
    action: str,
    *,
    subject: str = "",
    round_id: int | None = None,
    cases: Iterable[str] = (),
    locations: Iterable[str] = (),
    consultants: Iterable[str] = (),
    client: str = "",
    detail: str = "",
    account: str | None = None,
    role: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Append one row to the chain; returns its ``seq``.

    ``account``/``role`` override the principal's (for events before a login, such as a
    failed one). ``cases``, ``locations`` and ``consultants`` are codes and ids only.
    """
    values: dict[str, Any] = {
        "at": at or _now(),
        "account": account if account is not None else (principal.account if principal else ""),
        "role": role if role is not None else (principal.role if principal else ""),
        "action": action,
        "subject": subject,
        "round_id": round_id,
        "case_codes": _join(cases),
        "locations": _join(locations),
        "consultants": _join(consultants),
        "client": client,
        "detail": detail,
    }
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                # Take the write lock first (UPDATE), then read: appends never interleave.
                bumped = conn.execute(
                    update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + 1)
                )
                if not bumped.rowcount:
                    _ensure_head(conn)
                    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + 1))
                seq, prev = conn.execute(
                    select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)
                ).one()
                values["seq"] = int(seq)
                digest = row_hash(values, prev)
                conn.execute(insert(_ROW).values(**values, prev_hash=prev, hash=digest))
                conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(hash=digest))
            return int(seq)
        except IntegrityError:  # another process created the head row at the same moment
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the log as read back."""

    seq: int
    at: dt.datetime
    account: str
    role: str
    action: str
    subject: str
    round_id: int | None
    case_codes: str
    locations: str
    consultants: str
    client: str
    detail: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in EXPORT_COLUMNS}


def entries(
    engine: Engine,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    *,
    account: str | None = None,
    case_code: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[AuditEntry]:
    """Rows with ``start <= at < end`` (naive UTC), optionally of one account or case."""
    stmt = select(*(_ROW.c[k] for k in EXPORT_COLUMNS))
    if start is not None:
        stmt = stmt.where(_ROW.c.at >= start)
    if end is not None:
        stmt = stmt.where(_ROW.c.at < end)
    if account:
        stmt = stmt.where(_ROW.c.account == account)
    if case_code:
        stmt = stmt.where(_ROW.c.case_codes.contains(case_code))
    stmt = stmt.order_by(_ROW.c.seq.desc() if newest_first else _ROW.c.seq)
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = [AuditEntry(**dict(r._mapping)) for r in rows]
    if case_code:  # contains() also matches longer codes: keep exact members only
        out = [e for e in out if case_code in e.case_codes.split(",")]
    return out


def export_csv(items: Iterable[AuditEntry]) -> str:
    """The rows as CSV text (header line first), times in UTC ISO 8601."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for e in items:
        row = e.as_dict()
        row["at"] = e.at.isoformat(timespec="seconds") + "Z"
        writer.writerow([row[k] if row[k] is not None else "" for k in EXPORT_COLUMNS])
    return buf.getvalue()


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of :func:`verify`."""

    rows: int
    problem: str | None
    """The first problem found, in words (``None``: the chain is intact)."""
    seq: int | None
    """The ``seq`` the problem is at."""
    head: str

    @property
    def ok(self) -> bool:
        return self.problem is None


def _scan(engine: Engine) -> Iterator[dict[str, Any]]:
    stmt = select(*(_ROW.c[k] for k in EXPORT_COLUMNS)).order_by(_ROW.c.seq, _ROW.c.id)
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            yield dict(row._mapping)


def verify(engine: Engine) -> VerifyReport:
    """Recompute the chain; report the first changed, inserted or deleted row."""
    with engine.connect() as conn:
        head = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    head_seq, head_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    last_seq, last_hash, n = 0, GENESIS, 0
    for row in _scan(engine):
        n += 1
        seq = int(row["seq"])
        if seq > last_seq + 1:
            missing = f"{last_seq + 1}" if seq == last_seq + 2 else f"{last_seq + 1}–{seq - 1}"
            return VerifyReport(
                n,
                f"rij {missing} is verwijderd (de keten springt naar {seq})",
                last_seq + 1,
                head_hash,
            )
        if row_hash(row, row["prev_hash"]) != row["hash"]:
            return VerifyReport(
                n, f"rij {seq} is gewijzigd (de hash klopt niet meer)", seq, head_hash
            )
        if row["prev_hash"] != last_hash:
            return VerifyReport(
                n,
                f"rij {seq} is ingevoegd of de rij ervoor is vervangen (de koppeling klopt niet)",
                seq,
                head_hash,
            )
        last_seq, last_hash = seq, row["hash"]
    if head_seq < last_seq:
        return VerifyReport(
            n,
            f"rij {head_seq + 1} en verder zijn ingevoegd na de laatste echte rij",
            head_seq + 1,
            head_hash,
        )
    if head_seq > last_seq:
        missing = f"{last_seq + 1}" if head_seq == last_seq + 1 else f"{last_seq + 1}–{head_seq}"
        return VerifyReport(n, f"rij {missing} aan het eind is verwijderd", last_seq + 1, head_hash)
    if head_hash != last_hash:
        return VerifyReport(
            n, f"rij {last_seq} is vervangen (de kop van de keten klopt niet)", last_seq, head_hash
        )
    return VerifyReport(n, None, None, head_hash)
