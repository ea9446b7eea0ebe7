"""Calendar invites (iCalendar, RFC 5545 / iTIP RFC 5546) for a plan.

Every planned visit becomes one meeting with a stable ``UID``; each consultant of the visit
and the location's ``contact`` are its attendees, the ketenregisseur its organizer.

Files produced by :func:`build_invites` (keys are paths relative to the output directory):

``<consultant id>.ics`` / ``contact-<location id>.ics``
    ``METHOD:REQUEST``: all of that person's visits of the week, one ``VEVENT`` each. Good
    for importing into Google or Apple Calendar.
``<person>-cancel.ics``
    ``METHOD:CANCEL`` (only with ``previous``): every visit that was dropped, or moved away
    from that person, since the previous plan. One calendar object can carry one METHOD only,
    hence the separate file. A dropped visit's cancel has ``STATUS:CANCELLED``; a cancel that
    only uninvites someone from a visit that goes on has no ``STATUS`` (RFC 5546 3.2.5).
``visits/<person>/<request>.ics`` and ``visits/<person>/<request>-cancel.ics``
    The same events, one per file. Outlook/Exchange processes only the *first* ``VEVENT`` of
    a mailed invite (Microsoft, MS-STANOICAL 2.2.175), so these are the files to attach,
    one per mail, when invites are sent to Outlook users. :func:`visit_invites` returns them
    with what a mailer needs (recipient, METHOD, whether it changed since the last sending);
    :mod:`matcher.export.mail` sends them.

Generation uses the ``ics`` package (0.7.2) for the event's text properties (``SUMMARY``,
``DESCRIPTION``, ``LOCATION``, ``UID``, ``STATUS``, ``CLASS``, ``TRANSP``, ``DTSTAMP``) and
its ``ContentLine``/``Container`` grammar objects for the rest. What ``ics`` 0.7.2 gets wrong
or cannot express is done here, in small tested helpers:

* no line folding at all (RFC 5545 3.1: lines of at most 75 octets) -> :func:`fold_line`;
* parameter values are written unquoted and backslash-escaped, so a ``CN`` with ``:`` or
  ``;`` breaks the line -> :func:`param_value` (always DQUOTE-quoted, RFC 6868 ``^`` encoding);
* attendees are kept in a ``set`` (order changes between runs) and ``rsvp=True`` crashes
  the serialiser -> ``ORGANIZER``/``ATTENDEE`` lines are built here, in a fixed order;
* times are always converted to UTC; no ``TZID``, no ``VTIMEZONE`` -> ``DTSTART;TZID=`` and
  :func:`vtimezone_container` (derived from the IANA zone, with ``RRULE``\\ s);
* ``METHOD`` is written *after* the events (invalid per the RFC 5545 grammar) and there is
  no ``SEQUENCE`` -> the ``VCALENDAR`` envelope is assembled here;
* ``escape_string`` turns a carriage return into ``\\r`` (not an RFC 5545 escape) ->
  :func:`escape_text` normalises line breaks and drops control characters first.

UID and SEQUENCE
----------------
``UID`` = ``sha1(scenario name, ISO week of the first planning day, request id)`` +
``@consultplanner``: the same in every attendee's file and on every export; a re-plan of
the same scenario keeps it, so calendars update instead of duplicating. Once sent, the UID
is also remembered in the plan's state (below) and reused from there.

``SEQUENCE`` is derived from the previous plan. Each plan sent out carries, under the key
:data:`STATE_KEY` of its ``extra`` (it round-trips through :mod:`matcher.scenario.plan_io`), per
request: the UID, the last SEQUENCE sent, a fingerprint of everything the invites said
(times, attendees, organizer, summary, location, every description), and the attendees.
With ``previous``, a visit whose fingerprint differs from the previous one gets
``previous sequence + 1``; an unchanged visit keeps its sequence; a dropped visit is
cancelled with ``previous sequence + 1``. When the previous plan carries no state, its
sequences count as 0 and its fingerprints are recomputed from the previous plan with the
current scenario. :func:`stamp_plan` returns the plan with its state, to be stored and
used as ``previous`` next time. ``DTSTAMP`` is the only field that changes between two
exports of the same input.

Privacy: youths appear only by case code. A confidential location appears by its name
(an alias) with "adres in dossier"; its address and coordinates are never written. A
non-confidential location's address is included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import urllib.parse
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ics import Event
from ics.grammar.parse import Container, ContentLine
from ics.utils import escape_string

from matcher.scenario.domain import (
    Location,
    Plan,
    Scenario,
    Visit,
    base_point,
    tours_of,
)
from matcher.travel import TravelMatrix, build_travel_matrix

PRODID = "-//consultplanner//Consultplanner invites 1.0//NL"
UID_DOMAIN = "consultplanner"
STATE_KEY = "ics_state"
ORGANIZER_ENV = "CONSULTPLANNER_ORGANIZER"
LINE_LIMIT = 75
ZIP_NAME = "invites.zip"
VISITS_DIR = "visits"
CANCELLED = "cancelled"
"""Fingerprint recorded for a request whose visit was cancelled."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_ORGANIZER_RE = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<email>[^<>\s]+)\s*>\s*$")


class InviteError(ValueError):
    """The plan cannot be turned into invites (unknown ids, bad time zone, ...)."""


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Organizer:
    """Who sends the invites (the ketenregisseur)."""

    name: str
    email: str


DEFAULT_ORGANIZER = Organizer(
    "Ketenregisseur Mensenhandel Limburg", "ketenregisseur@consultplanner.example"
)


def parse_organizer(text: str, default_name: str = DEFAULT_ORGANIZER.name) -> Organizer:
    """Parse ``"Name <email>"`` or a bare ``email`` into an :class:`Organizer`.

    Raises
    ------
    InviteError
        When no e-mail address with an ``@`` can be found.
    """
    m = _ORGANIZER_RE.match(text)
    if m:
        name, email = m.group("name").strip().strip('"').strip(), m.group("email")
    else:
        name, email = "", text.strip()
    if "@" not in email or any(ch.isspace() for ch in email):
        raise InviteError(f"organizer {text!r}: expected 'Name <email>' or an e-mail address")
    return Organizer(name or default_name, email)


def organizer_from_env(environ: Mapping[str, str] | None = None) -> Organizer:
    """The organizer from ``$CONSULTPLANNER_ORGANIZER`` (``"Name <email>"``), or the default."""
    env = os.environ if environ is None else environ
    value = env.get(ORGANIZER_ENV, "").strip()
    return parse_organizer(value) if value else DEFAULT_ORGANIZER


@dataclass(frozen=True, slots=True)
class Recipient:
    """An attendee who gets a file: a consultant, or the local contact of a location.

    ``key`` is the file stem before sanitising: the consultant id, or
    ``contact-<location id>``.
    """

    key: str
    name: str
    email: str
    kind: Literal["consultant", "contact"]


def contact_key(location_id: str) -> str:
    """The recipient key (file stem) of a location's contact."""
    return f"contact-{location_id}"


# ---------------------------------------------------------------------------------------
# RFC 5545 helpers
# ---------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Normalise line breaks to LF and drop control characters that TEXT may not hold."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): ``\\``, ``;``, ``,`` and line breaks.

    Line breaks of any style become ``\\n``; other control characters (forbidden in TEXT)
    are dropped. The result never contains CR or LF, so it cannot start a new property.
    """
    out: str = escape_string(clean_text(value))
    return out


def param_value(value: str) -> str:
    """A parameter value (e.g. ``CN``) as a DQUOTE-quoted string (RFC 5545 3.1, RFC 6868).

    Quoted strings may hold ``:``, ``;`` and ``,`` but no DQUOTE and no control characters,
    so the RFC 6868 caret encoding is used: ``^`` becomes ``^^``, ``"`` becomes ``^'`` and a
    line break (any style) ``^n``. A backslash is no escape in a parameter value and is
    written as it is (a ``\\n`` would be read as a line break by some clients, so line breaks
    are never written that way). Other control characters but the tab become spaces; runs
    of spaces are collapsed, and each line is stripped (blank lines are dropped). A value
    without ``^``, ``"`` or line breaks is written exactly as before RFC 6868 was applied.
    """
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [re.sub(r" {2,}", " ", _CONTROL.sub(" ", line)).strip() for line in lines]
    text = "\n".join(line for line in kept if line)
    text = text.replace("^", "^^").replace('"', "^'").replace("\n", "^n")
    return f'"{text}"'


def cal_address(email: str) -> str:
    """A ``mailto:`` CAL-ADDRESS; characters outside a conservative set are %-encoded."""
    return "mailto:" + urllib.parse.quote(email.strip(), safe="@.-_+'!#$&*/=?^`{|}~")


def fold_line(line: str, limit: int = LINE_LIMIT) -> list[str]:
    """Fold one content line into physical lines of at most ``limit`` octets (RFC 5545 3.1).

    Continuation lines start with one space (counted in the limit). A line is only broken
    between characters, so a multi-byte UTF-8 sequence is never split; a backslash escape
    (``\\n``, ``\\,``) is kept on one line too, for the sake of naive readers.
    """
    if "\r" in line or "\n" in line:
        raise ValueError(f"content line contains a raw line break: {line[:40]!r}")
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in _FOLD_UNIT.findall(line):
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return out


def fold_lines(lines: Iterable[str]) -> str:
    """Fold content lines and join them with CRLF, each line CRLF-terminated."""
    physical: list[str] = []
    for line in lines:
        physical.extend(fold_line(line))
    return "\r\n".join(physical) + "\r\n"


def _local(day: dt.date, minutes: int) -> str:
    """``YYYYMMDDTHHMMSS`` local time; ``minutes == 1440`` is midnight of the next day."""
    moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return moment.strftime("%Y%m%dT%H%M%S")


def _offset(delta: dt.timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    hh, rest = divmod(total, 3600)
    mm, ss = divmod(rest, 60)
    return f"{sign}{hh:02d}{mm:02d}" + (f"{ss:02d}" if ss else "")


# ---------------------------------------------------------------------------------------
# VTIMEZONE
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Transition:
    utc: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    name: str
    dst: bool

    @property
    def local(self) -> dt.datetime:
        """Wall-clock time of the transition, in the offset before it (RFC 5545 3.6.5)."""
        return (self.utc + self.before).replace(tzinfo=None)


@functools.lru_cache(maxsize=64)
def _transitions(tz: ZoneInfo, year: int) -> list[_Transition]:
    """Offset changes of ``tz`` during ``year`` (hourly scan, refined to the second)."""
    utc = dt.UTC
    t = dt.datetime(year, 1, 1, tzinfo=utc)
    end = dt.datetime(year + 1, 1, 1, tzinfo=utc)
    step = dt.timedelta(hours=1)
    out: list[_Transition] = []
    prev = t.astimezone(tz).utcoffset()
    while t < end:
        nxt = t + step
        off = nxt.astimezone(tz).utcoffset()
        if off != prev:
            lo, hi = t, nxt  # offset(lo) == prev, offset(hi) == off
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    break
                if mid.astimezone(tz).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            after_local = hi.astimezone(tz)
            assert prev is not None and off is not None
            out.append(
                _Transition(
                    utc=hi.replace(tzinfo=None),
                    before=prev,
                    after=off,
                    name=after_local.tzname() or "",
                    dst=bool(after_local.dst()),
                )
            )
            prev = off
        t = nxt
    return out


def _byday_candidates(day: dt.date) -> set[str]:
    """RRULE ``BYDAY`` values that select ``day`` within its month (e.g. ``-1SU``, ``2SU``)."""
    wd = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
    nth = (day.day - 1) // 7 + 1
    out = {f"{nth}{wd}"}
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if (next_month - day).days <= 7:
        out.add(f"-1{wd}")
    return out


def _observance(kind: str, first: _Transition, rrule: str | None) -> Container:
    lines = [
        ContentLine("DTSTART", value=first.local.strftime("%Y%m%dT%H%M%S")),
        ContentLine("TZOFFSETFROM", value=_offset(first.before)),
        ContentLine("TZOFFSETTO", value=_offset(first.after)),
    ]
    if first.name:
        lines.append(ContentLine("TZNAME", value=escape_text(first.name)))
    if rrule:
        lines.append(ContentLine("RRULE", value=rrule))
    return Container(kind, *lines)


def vtimezone_container(tzid: str, years: Iterable[int]) -> Container:
    """A ``VTIMEZONE`` for the IANA zone ``tzid``, valid for ``years``.

    The offset changes are read from :mod:`zoneinfo` for the years given plus the year
    before (so the first event is always after an onset). When every change of one kind
    (to summer time, to winter time) falls on the same weekday rule, month and wall-clock
    time in all those years, one ``DAYLIGHT``/``STANDARD`` observance with a yearly
    ``RRULE`` is written (for ``Europe/Amsterdam``: last Sunday of March 02:00 -> +0200,
    last Sunday of October 03:00 -> +0100); otherwise one observance per change.
    """
    try:
        tz = ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InviteError(f"timezone {tzid!r} is not a known IANA time zone") from exc
    ys = sorted(set(years))
    if not ys:
        raise InviteError("no planning days: cannot choose the time zone rules")
    span = range(ys[0] - 1, ys[-1] + 1)
    trans = [t for y in span for t in _transitions(tz, y)]
    items: list[Container | ContentLine] = [ContentLine("TZID", value=tzid)]
    if not trans:
        probe = dt.datetime(ys[0], 1, 1, tzinfo=dt.UTC).astimezone(tz)
        fixed = _Transition(
            utc=dt.datetime(1970, 1, 1),
            before=probe.utcoffset() or dt.timedelta(),
            after=probe.utcoffset() or dt.timedelta(),
            name=probe.tzname() or "",
            dst=False,
        )
        items.append(_observance("STANDARD", fixed, None))
        return Container("VTIMEZONE", *items)
    for dst in (True, False):
        group = [t for t in trans if t.dst == dst]
        if not group:
            continue
        kind = "DAYLIGHT" if dst else "STANDARD"
        same = len({(t.local.month, t.local.time(), t.before, t.after, t.name) for t in group}) == 1
        bydays = set.intersection(*(_byday_candidates(t.local.date()) for t in group))
        if same and bydays and len(group) == len(span):
            last = sorted(b for b in bydays if b.startswith("-1"))
            byday = last[0] if last else sorted(bydays)[0]
            rrule = f"FREQ=YEARLY;BYMONTH={group[0].local.month};BYDAY={byday}"
            items.append(_observance(kind, group[0], rrule))
        else:
            items.extend(_observance(kind, t, None) for t in group)
    return Container("VTIMEZONE", *items)


# ---------------------------------------------------------------------------------------
# UIDs, file names
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Meeting content
# ---------------------------------------------------------------------------------------


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


def location_text(location: Location) -> str:
    """``LOCATION``: name plus address, or for a confidential location name + "(adres in
    dossier)"."""
    if location.confidential:
        return f"{location.name} (adres in dossier)"
    if location.address:
        return f"{location.name}, {location.address}"
    return location.name


def _address_line(location: Location) -> str:
    if location.confidential:
        return "Adres: staat in het dossier (vertrouwelijke locatie)"
    return f"Adres: {location.address}" if location.address else "Adres: onbekend"


def _person(scenario: Scenario, consultant_id: str) -> str:
    c = scenario.consultant(consultant_id)
    try:
        provider = scenario.provider(c.provider).name
    except KeyError:
        provider = c.provider
    return f"{c.name} ({provider})"


def _recipients(scenario: Scenario, visit: Visit, location: Location | None) -> list[Recipient]:
    out = []
    for cid in visit.consultants:
        c = scenario.consultant(cid)
        out.append(Recipient(c.id, c.name, c.email, "consultant"))
    if location is not None and location.contact is not None:
        out.append(
            Recipient(
                contact_key(location.id), location.contact.name, location.contact.email, "contact"
            )
        )
    return out


def _visit_location(scenario: Scenario, visit: Visit) -> Location:
    if visit.location:
        try:
            return scenario.location(visit.location)
        except KeyError:
            pass
    try:
        return scenario.location_of(scenario.request(visit.request))
    except KeyError as exc:
        raise InviteError(
            f"visit of request {visit.request!r}: location {visit.location!r} is not in the "
            "scenario"
        ) from exc


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


# ---------------------------------------------------------------------------------------
# State (sequences) across re-plans
# ---------------------------------------------------------------------------------------


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
    cancels.sort(key=lambda c: (c.visit.date, c.visit.start, c.visit.request))
    return _Prepared(meetings, sequences, tuple(cancels), state, frozenset(unsent), invited_before)


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


# ---------------------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------------------


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

    names = _Names()
    req_names = _Names()
    # Per recipient key: (request, event text, invite without its path and calendar yet).
    requests_by: dict[str, list[tuple[str, str, VisitInvite]]] = {}
    cancels_by: dict[str, list[tuple[str, str, VisitInvite]]] = {}
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


def build_invites(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
    per_visit: bool = True,
) -> dict[str, str]:
    """Build every invite file of ``plan``.

    Parameters
    ----------
    scenario
        The scenario the plan solves (names, e-mails, locations, time zone).
    plan
        The plan to send.
    previous
        The plan whose invites were sent before (ideally the plan returned by
        :func:`stamp_plan` then). Visits that changed get a higher SEQUENCE; visits dropped
        or moved away from a person produce ``METHOD:CANCEL`` files.
    organizer
        The ketenregisseur; default :func:`organizer_from_env`.
    now
        ``DTSTAMP`` (timezone-aware); default the current time.
    per_visit
        Also write one file per person and visit under ``visits/`` (for Outlook mail).

    Returns
    -------
    dict[str, str]
        Relative file path -> iCalendar text (CRLF line ends, folded at 75 octets), sorted
        by path.

    Raises
    ------
    InviteError
        When the plan names requests, consultants or locations the scenario does not know,
        plans a request twice, or the time zone is unknown.
    """
    files, _ = _assemble(scenario, plan, previous, organizer, now, per_visit)
    return files


def visit_invites(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
) -> list[VisitInvite]:
    """Every per-visit invite of ``plan`` (the ``visits/`` files of :func:`build_invites`).

    Same parameters and errors as :func:`build_invites`. Ordered by recipient key, then
    requests before cancels, each in time order. ``changed`` marks the invites that differ
    from the previous sending: with ``previous``, a visit whose fingerprint differs from the
    one stored there (or that is new), and every cancel; without ``previous``, a visit that
    ``plan``'s own invite state does not record as sent in this form (so every visit of a
    plan that carries no state).
    """
    _, invites = _assemble(scenario, plan, previous, organizer, now, per_visit=True)
    return invites


def invite_state(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
) -> dict[str, dict[str, Any]]:
    """The state to store with ``plan`` once its invites are sent (see the module notes)."""
    org = organizer or organizer_from_env()
    prepared = _prepare(scenario, plan, previous, org)
    return {req: prepared.state[req].to_json() for req in sorted(prepared.state)}


def stamp_plan(
    scenario: Scenario,
    plan: Plan,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
) -> Plan:
    """``plan`` with its invite state under ``extra[STATE_KEY]``: keep it as the next
    ``previous``."""
    state = invite_state(scenario, plan, previous=previous, organizer=organizer)
    extra = dict(plan.extra)
    extra[STATE_KEY] = state
    return Plan(plan.scenario, plan.solver, plan.visits, plan.unassigned, dict(plan.kpis), extra)


def write_zip(files: Mapping[str, str], path: Path) -> Path:
    """Write ``files`` into a deterministic zip (sorted names, fixed time stamps/modes)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name].encode("utf-8"))
    return path


def write_invites(
    scenario: Scenario,
    plan: Plan,
    out_dir: Path | str,
    *,
    previous: Plan | None = None,
    organizer: Organizer | None = None,
    now: dt.datetime | None = None,
    per_visit: bool = True,
) -> list[Path]:
    """Write the files of :func:`build_invites` plus ``invites.zip`` into ``out_dir``.

    ``.ics`` files in ``out_dir`` (and its ``visits/`` tree) that this export does not
    produce are removed first, so an old cancel or request can never be sent again by
    mistake. Files are written byte for byte (CRLF kept).

    Returns
    -------
    list[Path]
        The written paths, the zip last.
    """
    files = build_invites(
        scenario, plan, previous=previous, organizer=organizer, now=now, per_visit=per_visit
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {(out / name).resolve() for name in files}
    for old in [*out.glob("*.ics"), *out.glob(f"{VISITS_DIR}/*/*.ics")]:
        if old.resolve() not in wanted:
            old.unlink()
    for d in sorted(out.glob(f"{VISITS_DIR}/*"), reverse=True):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    written: list[Path] = []
    for name, text in files.items():
        p = out / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text.encode("utf-8"))
        written.append(p)
    written.append(write_zip(files, out / ZIP_NAME))
    return written


def ics_command(
    scenario_path: Path | str,
    plan_path: Path | str,
    out_dir: Path | str,
    previous_path: Path | str | None = None,
    organizer_email: str | None = None,
    *,
    send: bool = False,
    eml_dir: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """``matcher ics SCENARIO PLAN --out DIR [--previous OLD_PLAN] [--organizer ADDR]
    [--send | --dry-run-eml EML_DIR]``.

    Writes the invites and ``invites.zip`` into ``DIR`` and ``DIR/sent-plan.json``: the plan
    with its invite state, to pass as ``--previous`` at the next re-plan. ``organizer_email``
    is ``"Name <email>"`` or an address (default: ``$CONSULTPLANNER_ORGANIZER``, else the
    built-in ketenregisseur).

    With ``send``, the visits whose invite changed since ``previous`` (and every cancel)
    are also mailed, one message per visit per recipient (:mod:`matcher.export.mail`, settings
    from ``environ``); ``sent-plan.json`` is then written only when the server took every
    message. With ``eml_dir``, those messages are written there as ``.eml`` files instead.

    Returns 0 on success, 1 when the server refused a message or could not be used, 2 on
    bad input (nothing is sent or written then).
    """
    from matcher.scenario.loader import load_scenario
    from matcher.scenario.plan_io import PlanFormatError, read_plan, write_plan
    from matcher.scenario.problems import ScenarioError

    if send and eml_dir is not None:
        print("error: --send and --dry-run-eml exclude each other", file=sys.stderr)
        return 2
    mailing = send or eml_dir is not None
    try:
        scenario = load_scenario(scenario_path)
        plan = read_plan(plan_path)
        previous = read_plan(previous_path) if previous_path is not None else None
        organizer = parse_organizer(organizer_email) if organizer_email else organizer_from_env()
        for label, p in (("plan", plan), ("previous plan", previous)):
            if p is not None and p.scenario and p.scenario != scenario.name:
                print(
                    f"warning: {label} is for scenario {p.scenario!r}, not {scenario.name!r}",
                    file=sys.stderr,
                )
        now = dt.datetime.now(dt.UTC)
        if mailing:
            from matcher.export.mail import MailError, SmtpSettings, build_mails

            try:
                settings = SmtpSettings.from_env(environ)
                if send:
                    settings.check()
                sender = (
                    parse_organizer(settings.sender, default_name=organizer.name)
                    if settings.sender
                    else None
                )
                mails = build_mails(
                    scenario, plan, previous=previous, organizer=organizer, sender=sender, now=now
                )
            except MailError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        written = write_invites(
            scenario, plan, out_dir, previous=previous, organizer=organizer, now=now
        )
        stamped = stamp_plan(scenario, plan, previous=previous, organizer=organizer)
    except ScenarioError as exc:
        print(f"{scenario_path}: {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (PlanFormatError, InviteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ics_files = [p for p in written if p.suffix == ".ics"]
    cancels = sum(1 for p in ics_files if p.name.endswith("-cancel.ics"))
    print(f"{len(ics_files)} invite file(s) ({cancels} cancel) and {written[-1].name} in {out_dir}")
    sent = Path(out_dir) / "sent-plan.json"
    if mailing:
        from matcher.export.mail import MailError, send_mails, write_eml

        n_cancel = sum(1 for m in mails if m.invite.method == "CANCEL")
        what = f"{len(mails)} message(s) ({n_cancel} cancel) for the "
        what += (
            "visits changed since the previous sending"
            if previous is not None
            else "first sending (every visit)"
        )
        if eml_dir is not None:
            write_eml(mails, eml_dir)
            print(f"dry run: {what} written to {eml_dir} (nothing sent)")
        else:
            try:
                report = send_mails(mails, settings)
            except MailError as exc:
                print(
                    f"error: {exc}; nothing more was sent and {sent} is not written",
                    file=sys.stderr,
                )
                return 1
            for mail, reason in report.failed:
                print(f"error: {mail.invite.path}: {reason}", file=sys.stderr)
            if report.failed:
                print(
                    f"{len(report.sent)} of {len(mails)} message(s) sent; {sent} is not "
                    "written, so the next run sends the changed visits again",
                    file=sys.stderr,
                )
                return 1
            print(f"sent {what}")
    write_plan(stamped, sent)
    print(f"keep {sent} and pass it as --previous at the next re-plan")
    return 0
