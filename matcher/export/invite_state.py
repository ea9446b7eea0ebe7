"""Invite state across re-plans: per request the UID, the last SEQUENCE sent, a fingerprint
and the attendees (kept in the plan's ``extra``); which visits changed, which are cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.export.attendees import (
    Organizer,
    Recipient,
    _visit_location,
    contact_key,
    location_text,
)
from matcher.export.invite_errors import InviteError
from matcher.export.meetings import _Meeting, _meeting, _TravelNotes, visit_uid
from matcher.scenario.domain import Plan, Scenario, Visit
from matcher.travel import build_travel_matrix

STATE_KEY = "ics_state"
CANCELLED = "cancelled"
"""Fingerprint recorded for a request whose visit was cancelled."""


@dataclass(frozen=True, slots=True)
class _Entry:
    uid: str
    sequence: int
    fingerprint: str
    attendees: tuple[Recipient, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "sequence": self.sequence,
            "fingerprint": self.fingerprint,
            "attendees": [[r.key, r.name, r.email, r.kind] for r in self.attendees],
        }


def _read_state(plan: Plan) -> dict[str, _Entry]:
    raw = plan.extra.get(STATE_KEY)
    if not isinstance(raw, dict):
        return {}
    out: dict[str, _Entry] = {}
    for req, e in raw.items():
        if not isinstance(e, dict):
            continue
        try:
            attendees = tuple(
                Recipient(
                    str(a[0]),
                    str(a[1]),
                    str(a[2]),
                    "contact" if a[3] == "contact" else "consultant",
                )
                for a in e.get("attendees", [])
            )
            out[str(req)] = _Entry(
                uid=str(e["uid"]),
                sequence=int(e["sequence"]),
                fingerprint=str(e["fingerprint"]),
                attendees=attendees,
            )
        except (KeyError, TypeError, ValueError, IndexError):
            continue
    return out


@dataclass(frozen=True, slots=True)
class _Cancel:
    uid: str
    sequence: int
    visit: Visit
    summary: str
    location: str | None
    recipients: tuple[Recipient, ...]
    """Who gets the cancel (dropped visit: everyone before; otherwise the removed ones)."""
    whole: bool
    """The visit itself was dropped (not only some attendees)."""


@dataclass(frozen=True, slots=True)
class _Prepared:
    meetings: tuple[_Meeting, ...]
    sequences: Mapping[str, int]
    cancels: tuple[_Cancel, ...]
    state: Mapping[str, _Entry]
    unsent: frozenset[str] = frozenset()
    """Requests whose invite differs from what was sent before (new, or changed)."""
    invited_before: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    """Per request, the ``(key, email)`` of everyone who had its previous invite."""


def _previous_meetings(
    scenario: Scenario, previous: Plan, uids: Mapping[str, str]
) -> dict[str, _Meeting | None]:
    """The previous plan's meetings rendered with the current scenario (None if impossible)."""
    try:
        travel = build_travel_matrix(scenario)
        notes = _TravelNotes(scenario, _known_visits(scenario, previous), travel)
    except (KeyError, InviteError):
        return {v.request: None for v in previous.visits}
    out: dict[str, _Meeting | None] = {}
    for v in previous.visits:
        try:
            out[v.request] = _meeting(scenario, v, notes, uids)
        except (KeyError, InviteError):
            out[v.request] = None
    return out


def _known_visits(scenario: Scenario, plan: Plan) -> Plan:
    """``plan`` restricted to visits whose consultants and location the scenario knows."""
    keep = []
    for v in plan.visits:
        try:
            for cid in v.consultants:
                scenario.consultant(cid)
            _visit_location(scenario, v)
        except (KeyError, InviteError):
            continue
        keep.append(v)
    return Plan(plan.scenario, plan.solver, tuple(keep), plan.unassigned, plan.kpis, plan.extra)


def _prepare(
    scenario: Scenario, plan: Plan, previous: Plan | None, organizer: Organizer
) -> _Prepared:
    # About 80 lines: one pass over the meetings decides each one's sequence, state, cancel
    # of removed attendees and "invited before" together; split, it would pass all five
    # accumulators and the previous plan's lookups around.
    travel = build_travel_matrix(scenario)
    notes = _TravelNotes(scenario, plan, travel)
    seen: set[str] = set()
    for v in plan.visits:
        if v.request in seen:
            raise InviteError(f"request {v.request!r} is planned more than once")
        seen.add(v.request)
    old_state = _read_state(previous) if previous is not None else _read_state(plan)
    uids = {req: e.uid for req, e in old_state.items()}
    meetings = tuple(
        sorted(
            (_meeting(scenario, v, notes, uids) for v in plan.visits),
            key=lambda m: (m.day, m.start, m.end, m.request),
        )
    )
    prev_meetings: dict[str, _Meeting | None] = {}
    prev_visits: dict[str, Visit] = {}
    if previous is not None:
        prev_visits = {v.request: v for v in previous.visits}
        prev_meetings = _previous_meetings(scenario, previous, uids)

    sequences: dict[str, int] = {}
    state: dict[str, _Entry] = dict(old_state)
    cancels: list[_Cancel] = []
    unsent: set[str] = set()
    invited_before: dict[str, frozenset[tuple[str, str]]] = {}
    for m in meetings:
        fp = m.fingerprint(organizer)
        old = old_state.get(m.request)
        if previous is None:
            # A re-export: the plan's own state, if any, is what was sent before.
            base_seq = old.sequence if old else 0
            changed = old is not None and old.fingerprint != fp
            old_fp: str | None = old.fingerprint if old is not None else None
            if old is not None and old.fingerprint != CANCELLED:
                invited_before[m.request] = frozenset((r.key, r.email) for r in old.attendees)
        else:
            base_seq = old.sequence if old else 0
            if old is not None:
                old_fp = old.fingerprint
            elif m.request in prev_visits:
                pm = prev_meetings.get(m.request)
                old_fp = pm.fingerprint(organizer) if pm is not None else None
            else:
                old_fp = None  # new request: first invite
            # Sent before but not comparable any more (unknown ids): count as changed.
            changed = m.request in prev_visits if old_fp is None else old_fp != fp
        seq = base_seq + 1 if changed else base_seq
        sequences[m.request] = seq
        if old_fp is None or old_fp != fp:
            unsent.add(m.request)
        state[m.request] = _Entry(m.uid, seq, fp, m.recipients)
        # Attendees removed from a visit that still takes place get a cancel.
        if previous is not None and m.request in prev_visits:
            before = _previous_attendees(
                old, prev_meetings.get(m.request), scenario, prev_visits[m.request]
            )
            invited_before[m.request] = frozenset((r.key, r.email) for r in before)
            now_keys = {(r.key, r.email) for r in m.recipients}
            removed = tuple(r for r in before if (r.key, r.email) not in now_keys)
            if removed:
                pv = prev_visits[m.request]
                pm = prev_meetings.get(m.request)
                cancels.append(
                    _Cancel(
                        m.uid,
                        seq,
                        pv,
                        pm.summary if pm else m.summary,
                        pm.location if pm else m.location,
                        removed,
                        whole=False,
                    )
                )
    if previous is not None:
        current = {m.request for m in meetings}
        cancels.extend(_dropped(scenario, prev_visits, prev_meetings, old_state, current, state))
    cancels.sort(key=lambda c: (c.visit.date, c.visit.start, c.visit.request))
    return _Prepared(meetings, sequences, tuple(cancels), state, frozenset(unsent), invited_before)


def _dropped(
    scenario: Scenario,
    prev_visits: dict[str, Visit],
    prev_meetings: dict[str, _Meeting | None],
    old_state: dict[str, _Entry],
    current: set[str],
    state: dict[str, _Entry],
) -> list[_Cancel]:
    """The cancels of the previous plan's visits that are not in ``current`` any more (each
    recorded as cancelled in ``state``)."""
    cancels: list[_Cancel] = []
    for req, pv in sorted(prev_visits.items()):
        if req in current:
            continue
        old = old_state.get(req)
        if old is not None and old.fingerprint == CANCELLED:
            continue
        pm = prev_meetings.get(req)
        before = _previous_attendees(old, pm, scenario, pv)
        uid = old.uid if old else visit_uid(scenario, req)
        seq = (old.sequence if old else 0) + 1
        state[req] = _Entry(uid, seq, CANCELLED, ())
        if not before:
            continue
        case = pv.youth or req
        summary = pm.summary if pm else f"Consult {case} ({req})"
        location = pm.location if pm else _safe_location_text(scenario, pv)
        cancels.append(_Cancel(uid, seq, pv, summary, location, tuple(before), whole=True))
    return cancels


def _safe_location_text(scenario: Scenario, visit: Visit) -> str | None:
    try:
        return location_text(_visit_location(scenario, visit))
    except InviteError:
        return None


def _previous_attendees(
    old: _Entry | None, pm: _Meeting | None, scenario: Scenario, pv: Visit
) -> list[Recipient]:
    """Who had the previous invite: from the stored state, else re-derived from the scenario."""
    if old is not None and old.attendees:
        return list(old.attendees)
    if pm is not None:
        return list(pm.recipients)
    out: list[Recipient] = []
    for cid in pv.consultants:
        try:
            c = scenario.consultant(cid)
        except KeyError:
            continue
        out.append(Recipient(c.id, c.name, c.email, "consultant"))
    try:
        loc = _visit_location(scenario, pv)
    except InviteError:
        return out
    if loc.contact is not None:
        out.append(Recipient(contact_key(loc.id), loc.contact.name, loc.contact.email, "contact"))
    return out
