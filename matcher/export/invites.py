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

Modules
-------
This module is the API; the code lives in :mod:`~matcher.export.ical` (RFC 5545 text and
``VTIMEZONE``), :mod:`~matcher.export.attendees` (organizer and recipients),
:mod:`~matcher.export.meetings` (UIDs, file names, meeting content),
:mod:`~matcher.export.invite_state` (sequences across re-plans),
:mod:`~matcher.export.calendar_events` (the ``VEVENT``/``VCALENDAR`` builder) and
:mod:`~matcher.export.invite_files` (the files, the zip and ``matcher ics``).
"""

from __future__ import annotations

from matcher.export.attendees import (
    DEFAULT_ORGANIZER,
    ORGANIZER_ENV,
    Organizer,
    Recipient,
    contact_key,
    location_text,
    organizer_from_env,
    parse_organizer,
)
from matcher.export.calendar_events import PRODID, VISITS_DIR, VisitInvite
from matcher.export.ical import (
    LINE_LIMIT,
    cal_address,
    clean_text,
    escape_text,
    fold_line,
    fold_lines,
    param_value,
    vtimezone_container,
)
from matcher.export.invite_errors import InviteError
from matcher.export.invite_files import (
    ZIP_NAME,
    build_invites,
    ics_command,
    invite_state,
    stamp_plan,
    visit_invites,
    write_invites,
    write_zip,
)
from matcher.export.invite_state import CANCELLED, STATE_KEY
from matcher.export.meetings import UID_DOMAIN, safe_stem, visit_uid, week_key

__all__ = [
    "CANCELLED",
    "DEFAULT_ORGANIZER",
    "LINE_LIMIT",
    "ORGANIZER_ENV",
    "PRODID",
    "STATE_KEY",
    "UID_DOMAIN",
    "VISITS_DIR",
    "ZIP_NAME",
    "InviteError",
    "Organizer",
    "Recipient",
    "VisitInvite",
    "build_invites",
    "cal_address",
    "clean_text",
    "contact_key",
    "escape_text",
    "fold_line",
    "fold_lines",
    "ics_command",
    "invite_state",
    "location_text",
    "organizer_from_env",
    "param_value",
    "parse_organizer",
    "safe_stem",
    "stamp_plan",
    "visit_invites",
    "visit_uid",
    "vtimezone_container",
    "week_key",
    "write_invites",
    "write_zip",
]
