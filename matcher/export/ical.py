"""RFC 5545 text for the invites: escaping, quoted parameters, line folding, local times and
the ``VTIMEZONE`` of a time zone (derived from the IANA rules, with RRULEs).

See :mod:`matcher.export.invites` for what ``ics`` 0.7.2 gets wrong and these helpers fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ics.grammar.parse import Container, ContentLine
from ics.utils import escape_string

from matcher.export.invite_errors import InviteError

LINE_LIMIT = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)


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
    line break (any style) ``^n``. A backslash is no escape in a parameter value by the
    RFC, but parsers differ (the ``icalendar`` library reads ``\\:`` as ``:`` and ``\\n`` as a
    line break), so it is written as ``/``. Other control characters but the tab become spaces; runs
    of spaces are collapsed, and each line is stripped (blank lines are dropped). A value
    without ``^``, ``"`` or line breaks is written exactly as before RFC 6868 was applied.
    """
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [re.sub(r" {2,}", " ", _CONTROL.sub(" ", line)).strip() for line in lines]
    text = "\n".join(line for line in kept if line)
    text = text.replace("\\", "/").replace("^", "^^").replace('"', "^'").replace("\n", "^n")
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
