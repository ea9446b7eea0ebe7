"""One meeting per planned visit: its stable UID, the file names of its recipients, and its
content (summary, location, each recipient's description with the travel notes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from matcher.export.attendees import (
    Organizer,
    Recipient,
    _address_line,
    _person,
    _recipients,
    _visit_location,
    location_text,
)
from matcher.export.invite_errors import InviteError
from matcher.scenario.domain import Plan, Scenario, Visit, base_point, tours_of
from matcher.travel import TravelMatrix

UID_DOMAIN = "consultplanner"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def week_key(scenario: Scenario) -> str:
    """ISO week of the first planning day, e.g. ``2026-W48`` (part of every UID)."""
    if not scenario.days:
        return "no-days"
    year, week, _ = min(scenario.days).isocalendar()
    return f"{year}-W{week:02d}"


def visit_uid(scenario: Scenario, request_id: str) -> str:
    """The stable UID of the visit for ``request_id``: ``<sha1 hex>@consultplanner``."""
    key = "\x1f".join(("consultplanner-visit", scenario.name, week_key(scenario), request_id))
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}@{UID_DOMAIN}"


def safe_stem(text: str) -> str:
    """A file-name stem: ASCII letters, digits, ``.``, ``_`` and ``-`` only, no leading dot."""
    stem = _SAFE_NAME.sub("_", text).strip("._") or "x"
    return stem[:100]


class _Names:
    """Sanitised file stems, unique even where two keys sanitise (or case-fold) alike.

    Keys are handed out in sorted order by the caller, so the stems are deterministic.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._taken: set[str] = set()

    def __call__(self, key: str) -> str:
        if key in self._by_key:
            return self._by_key[key]
        stem = safe_stem(key)
        if stem.lower() in self._taken:
            stem = f"{stem}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"
        self._taken.add(stem.lower())
        self._by_key[key] = stem
        return stem


@dataclass(frozen=True, slots=True)
class _Meeting:
    """Everything the invites of one visit say, apart from SEQUENCE and DTSTAMP."""

    request: str
    uid: str
    day: dt.date
    start: int
    end: int
    summary: str
    location: str | None
    recipients: tuple[Recipient, ...]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    """Description per recipient key."""

    def fingerprint(self, organizer: Organizer) -> str:
        doc = {
            "uid": self.uid,
            "day": self.day.isoformat(),
            "start": self.start,
            "end": self.end,
            "summary": self.summary,
            "location": self.location,
            "organizer": [organizer.name, organizer.email],
            "recipients": [[r.key, r.name, r.email, r.kind] for r in self.recipients],
            "descriptions": sorted(self.descriptions.items()),
        }
        blob = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


class _TravelNotes:
    """Minutes from the previous stop of each consultant's tour, per visit."""

    def __init__(self, scenario: Scenario, plan: Plan, travel: TravelMatrix) -> None:
        self._scenario = scenario
        self._travel = travel
        self._by_day: dict[tuple[str, dt.date], list[Visit]] = {}
        for v in plan.visits:
            for cid in v.consultants:
                self._by_day.setdefault((cid, v.date), []).append(v)
        for visits in self._by_day.values():
            visits.sort(key=lambda v: (v.start, v.end, v.request))

    def note(self, consultant_id: str, visit: Visit) -> str:
        scenario = self._scenario
        consultant = scenario.consultant(consultant_id)
        windows = [
            (t.start, t.end)
            for t in tours_of(consultant, [visit.date])
            if t.start <= visit.start and visit.end <= t.end
        ]
        same_day = self._by_day.get((consultant_id, visit.date), [])
        earlier = [
            v
            for v in same_day
            if v.request != visit.request
            and (v.start, v.end, v.request) < (visit.start, visit.end, visit.request)
            and (not windows or (windows[0][0] <= v.start and v.end <= windows[0][1]))
        ]
        here = _visit_location(scenario, visit).id
        if earlier:
            prev = earlier[-1]
            prev_loc = _visit_location(scenario, prev)
            minutes = self._travel(prev_loc.id, here)
            origin = f"vanaf {prev_loc.name}"
        else:
            minutes = self._travel(base_point(consultant_id), here)
            origin = "vanaf kantoor/thuisbasis"
        return f"Reistijd vanaf vorige stop: {minutes} min ({origin})"


def _meeting(
    scenario: Scenario, visit: Visit, notes: _TravelNotes, uids: Mapping[str, str]
) -> _Meeting:
    try:
        request = scenario.request(visit.request)
    except KeyError as exc:
        raise InviteError(f"visit of unknown request {visit.request!r}") from exc
    for cid in visit.consultants:
        try:
            scenario.consultant(cid)
        except KeyError as exc:
            raise InviteError(f"visit {visit.request!r}: unknown consultant {cid!r}") from exc
    location = _visit_location(scenario, visit)
    case = request.youth or visit.youth
    joint = len(visit.consultants) > 1
    summary = f"{'Gezamenlijk consult' if joint else 'Consult'} {case} ({request.id})"
    recipients = _recipients(scenario, visit, location)
    contact = location.contact
    contact_line = (
        f"Contactpersoon: {contact.name} <{contact.email}>"
        if contact is not None
        else "Contactpersoon: geen contactpersoon bekend"
    )
    head = [
        f"Cliënt (casuscode): {case}",
        f"Aanvraag: {request.id}",
        f"Duur: {visit.end - visit.start} min",
    ]
    place = [f"Locatie: {location.name}", _address_line(location)]
    descriptions: dict[str, str] = {}
    for r in recipients:
        if r.kind == "consultant":
            others = [_person(scenario, c) for c in visit.consultants if c != r.key]
            with_line = (
                "Samen met: " + ", ".join(others)
                if others
                else "Samen met: niemand (individueel consult)"
            )
            lines = [*head, with_line, contact_line, *place, notes.note(r.key, visit)]
        else:
            consultants = ", ".join(_person(scenario, c) for c in visit.consultants)
            lines = [*head, f"Consulent(en): {consultants}", *place]
        descriptions[r.key] = "\n".join(lines)
    return _Meeting(
        request=request.id,
        uid=uids.get(request.id) or visit_uid(scenario, request.id),
        day=visit.date,
        start=visit.start,
        end=visit.end,
        summary=summary,
        location=location_text(location),
        recipients=tuple(recipients),
        descriptions=descriptions,
    )
