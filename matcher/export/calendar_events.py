"""The calendar event builder: ``VEVENT`` and ``VCALENDAR`` text of the prepared meetings and
cancels, per recipient and per visit (:class:`VisitInvite`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ics import Event
from ics.grammar.parse import Container, ContentLine

from matcher.export.attendees import Organizer, Recipient, organizer_from_env
from matcher.export.ical import (
    _local,
    cal_address,
    clean_text,
    escape_text,
    fold_lines,
    param_value,
    vtimezone_container,
)
from matcher.export.invite_errors import InviteError
from matcher.export.invite_state import _Cancel, _prepare, _Prepared
from matcher.export.meetings import _Names
from matcher.scenario.domain import Plan, Scenario

PRODID = "-//consultplanner//Consultplanner invites 1.0//NL"
VISITS_DIR = "visits"


def _person_line(
    name: str, who: Recipient | Organizer, params: Sequence[tuple[str, str]]
) -> ContentLine:
    """``ORGANIZER``/``ATTENDEE``; parameter values must already be safe (quoted)."""
    return ContentLine(name, params={k: [v] for k, v in params}, value=cal_address(who.email))


def _attendee_line(r: Recipient, *, cancel: bool) -> ContentLine:
    params = [
        ("CUTYPE", "INDIVIDUAL"),
        ("ROLE", "REQ-PARTICIPANT"),
        ("PARTSTAT", "NEEDS-ACTION"),
    ]
    if not cancel:
        params.append(("RSVP", "TRUE"))
    params.append(("CN", param_value(r.name or r.email)))
    return _person_line("ATTENDEE", r, params)


def _event_text(
    *,
    uid: str,
    sequence: int,
    tzid: str,
    day: dt.date,
    start: int,
    end: int,
    summary: str,
    description: str,
    location: str | None,
    organizer: Organizer,
    attendees: Sequence[Recipient],
    now: dt.datetime,
    cancel: bool,
    whole: bool = True,
) -> str:
    """One ``VEVENT``. A cancel with ``whole=False`` only uninvites its attendees from a visit
    that goes on, so it carries no ``STATUS`` (RFC 5546 3.2.5: ``CANCELLED`` would cancel the
    event for everyone)."""
    if cancel:
        status: str | None = "CANCELLED" if whole else None
    else:
        status = "CONFIRMED"
    # ics escapes SUMMARY/DESCRIPTION/LOCATION itself; give it clean text (see clean_text).
    ev = Event(
        name=clean_text(summary),
        uid=escape_text(uid),
        description=clean_text(description),
        location=clean_text(location) if location else None,
        created=now,  # ics writes ``created`` as DTSTAMP, in UTC
        status=status,
        classification="PRIVATE",
        transparent=False,
    )
    tzparam = tzid if re.fullmatch(r"[A-Za-z0-9/_+.-]+", tzid) else param_value(tzid)
    ev.extra.append(ContentLine("DTSTART", {"TZID": [tzparam]}, _local(day, start)))
    ev.extra.append(ContentLine("DTEND", {"TZID": [tzparam]}, _local(day, end)))
    ev.extra.append(ContentLine("SEQUENCE", {}, str(sequence)))
    ev.extra.append(_person_line("ORGANIZER", organizer, [("CN", param_value(organizer.name))]))
    for r in attendees:
        ev.extra.append(_attendee_line(r, cancel=cancel))
    text: str = ev.serialize()
    return text


def _calendar(method: str, tz: Container, events: Sequence[str]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        str(ContentLine("VERSION", value="2.0")),
        str(ContentLine("PRODID", value=PRODID)),
        str(ContentLine("CALSCALE", value="GREGORIAN")),
        str(ContentLine("METHOD", value=method)),
        *str(tz).split("\r\n"),
    ]
    for ev in events:
        lines.extend(ev.split("\r\n"))
    lines.append("END:VCALENDAR")
    return fold_lines(lines)


def _cancel_description(c: _Cancel, r: Recipient) -> str:
    v = c.visit
    if c.whole:
        why = "Dit consult is vervallen in de nieuwe planning."
    else:
        why = "Dit consult gaat niet meer met u door (aangepast in de nieuwe planning)."
    return "\n".join(
        [
            why,
            f"Cliënt (casuscode): {v.youth or '-'}",
            f"Aanvraag: {v.request}",
            f"Was gepland: {v.date.isoformat()} "
            f"{v.start // 60:02d}:{v.start % 60:02d}-{v.end // 60:02d}:{v.end % 60:02d}",
        ]
    )


@dataclass(frozen=True, slots=True)
class VisitInvite:
    """The invite of one visit for one recipient: a calendar object with one ``VEVENT``.

    These are the files under ``visits/`` of :func:`build_invites` (``path``), the unit to
    mail: Outlook reads only the first event of a mailed invite.
    """

    path: str
    """Relative path as in :func:`build_invites`: ``visits/<person>/<request>[-cancel].ics``."""
    request: str
    recipient: Recipient
    method: Literal["REQUEST", "CANCEL"]
    uid: str
    sequence: int
    title: str
    """The meeting's summary (a cancel's ``SUMMARY`` adds ``Geannuleerd:``)."""
    location: str | None
    """The ``LOCATION`` text (a confidential location: its alias, never its address)."""
    day: dt.date
    start: int
    end: int
    """Local times of the visit in minutes (a cancel: the times that were sent before)."""
    changed: bool
    """Differs from what was sent before: a new or changed visit, or any cancel."""
    update: bool
    """The recipient had an earlier invite of this visit (an update, not a new invite)."""
    whole: bool
    """For a cancel: the visit itself is dropped (``False``: only this recipient is
    uninvited, the visit goes on). Always ``True`` for a request."""
    calendar: str
    """The iCalendar text (CRLF, folded), byte for byte the file at ``path``."""


def _assemble(
    scenario: Scenario,
    plan: Plan,
    previous: Plan | None,
    organizer: Organizer | None,
    now: dt.datetime | None,
    per_visit: bool,
) -> tuple[dict[str, str], list[VisitInvite]]:
    """The files of :func:`build_invites` and the per-visit invites, from one preparation."""
    org = organizer or organizer_from_env()
    stamp = now or dt.datetime.now(dt.UTC)
    if stamp.tzinfo is None:
        raise InviteError("now must be timezone-aware")
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    prepared = _prepare(scenario, plan, previous, org)
    years = {d.year for d in scenario.days}
    years |= {m.day.year for m in prepared.meetings}
    years |= {c.visit.date.year for c in prepared.cancels}
    tz = vtimezone_container(scenario.timezone, years)
    tzid = scenario.timezone

    requests_by = _request_events(prepared, org, tzid, stamp)
    cancels_by = _cancel_events(prepared, org, tzid, stamp)
    return _files(requests_by, cancels_by, tz, per_visit)


_ByRecipient = dict[str, list[tuple[str, str, VisitInvite]]]
"""Per recipient key: (request, event text, invite without its path and calendar yet)."""


def _request_events(
    prepared: _Prepared, org: Organizer, tzid: str, stamp: dt.datetime
) -> _ByRecipient:
    """The ``REQUEST`` event of every meeting, per recipient."""
    requests_by: _ByRecipient = {}
    for m in prepared.meetings:
        seq = prepared.sequences[m.request]
        before = prepared.invited_before.get(m.request, frozenset())
        for r in m.recipients:
            text = _event_text(
                uid=m.uid,
                sequence=seq,
                tzid=tzid,
                day=m.day,
                start=m.start,
                end=m.end,
                summary=m.summary,
                description=m.descriptions[r.key],
                location=m.location,
                organizer=org,
                attendees=m.recipients,
                now=stamp,
                cancel=False,
            )
            meta = VisitInvite(
                path="",
                calendar="",
                request=m.request,
                recipient=r,
                method="REQUEST",
                uid=m.uid,
                sequence=seq,
                title=m.summary,
                location=m.location,
                day=m.day,
                start=m.start,
                end=m.end,
                changed=m.request in prepared.unsent,
                update=(r.key, r.email) in before,
                whole=True,
            )
            requests_by.setdefault(r.key, []).append((m.request, text, meta))
    return requests_by


def _cancel_events(
    prepared: _Prepared, org: Organizer, tzid: str, stamp: dt.datetime
) -> _ByRecipient:
    """The ``CANCEL`` event of every cancel, per recipient."""
    cancels_by: _ByRecipient = {}
    for c in prepared.cancels:
        for r in c.recipients:
            text = _event_text(
                uid=c.uid,
                sequence=c.sequence,
                tzid=tzid,
                day=c.visit.date,
                start=c.visit.start,
                end=c.visit.end,
                summary=f"Geannuleerd: {c.summary}",
                description=_cancel_description(c, r),
                location=c.location,
                organizer=org,
                attendees=c.recipients if c.whole else (r,),
                now=stamp,
                cancel=True,
                whole=c.whole,
            )
            meta = VisitInvite(
                path="",
                calendar="",
                request=c.visit.request,
                recipient=r,
                method="CANCEL",
                uid=c.uid,
                sequence=c.sequence,
                title=c.summary,
                location=c.location,
                day=c.visit.date,
                start=c.visit.start,
                end=c.visit.end,
                changed=True,
                update=True,
                whole=c.whole,
            )
            cancels_by.setdefault(r.key, []).append((c.visit.request, text, meta))
    return cancels_by


def _files(
    requests_by: _ByRecipient, cancels_by: _ByRecipient, tz: Container, per_visit: bool
) -> tuple[dict[str, str], list[VisitInvite]]:
    """The calendar files per recipient (and per visit), and the per-visit invites."""
    names = _Names()
    req_names = _Names()
    files: dict[str, str] = {}
    invites: list[VisitInvite] = []
    for key in sorted(set(requests_by) | set(cancels_by)):
        stem = names(key)
        for method, by, suffix in (
            ("REQUEST", requests_by, ""),
            ("CANCEL", cancels_by, "-cancel"),
        ):
            if key not in by:
                continue
            evs = by[key]
            files[f"{stem}{suffix}.ics"] = _calendar(method, tz, [t for _, t, _ in evs])
            for req, t, meta in evs:
                path = f"{VISITS_DIR}/{stem}/{req_names(req)}{suffix}.ics"
                calendar = _calendar(method, tz, [t])
                if per_visit:
                    files[path] = calendar
                invites.append(dataclasses.replace(meta, path=path, calendar=calendar))
    return dict(sorted(files.items())), invites
