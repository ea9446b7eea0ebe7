"""Reading the settings sections of a scenario document: the planning days, travel,
weights, urgency factors, ``now`` and the published visits.

Like :mod:`matcher.scenario.entities`, each reader adds problems to a
:class:`~matcher.scenario.field_checks.FieldChecker` and returns what it could read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from matcher.messages import Message
from matcher.scenario.domain import (
    DEFAULT_URGENCY_FACTORS,
    PublishedVisit,
    Request,
    TravelSettings,
    Weights,
)
from matcher.scenario.field_checks import FieldChecker, get, id_choices, join
from matcher.scenario.problems import show
from matcher.scenario.schema import (
    MAX_URGENCY_FACTOR,
    MAX_WEIGHT,
    PUBLISHED_KEYS,
    TRAVEL_KEYS,
    WEIGHT_KEYS,
)
from matcher.travel import TravelMatrixError, matrix_file, parse_matrix_csv, read_matrix_csv

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_NOW_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$")


def planning_days(c: FieldChecker, doc: dict[str, Any]) -> tuple[tuple[dt.date, ...], str | None]:
    """The planning days (``week``, or ``days``) and the ISO week when given."""
    week: str | None = None
    days: list[dt.date] = []
    if "week" in doc:
        raw = doc["week"]
        m = _WEEK_RE.match(raw) if isinstance(raw, str) else None
        if m is None:
            c.add("week", "not_an_iso_week", "allow_iso_week", value=show(raw))
        else:
            try:
                monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
                week = raw
                days = [monday + dt.timedelta(days=i) for i in range(5)]
            except ValueError:
                c.add("week", "week_does_not_exist", "allow_existing_week", value=show(raw))
    if "days" in doc:
        raw_days = c.items(doc["days"], "days")
        parsed = [c.date(d, f"days[{i}]") for i, d in enumerate(raw_days)]
        if not raw_days and isinstance(doc["days"], list):
            c.add("days", "empty_list", "allow_one_date")
        seen: set[dt.date] = set()
        for i, d in enumerate(parsed):
            if d is not None and d in seen:
                c.add(f"days[{i}]", "date_twice", "allow_each_date_once", date=d)
            if d is not None:
                seen.add(d)
        days = sorted(seen)
    elif "week" not in doc:
        c.add("week", "week_or_days_missing", "allow_iso_week")
    return tuple(days), week


def travel(
    c: FieldChecker, raw: Any, source: Path | None, files: Mapping[str, bytes] | None
) -> TravelSettings:
    """The ``travel`` section, with the rows of its ``matrix`` file when one is named."""
    m = c.mapping(raw, "travel", TRAVEL_KEYS)
    if m is None:
        return TravelSettings()
    speed = get(m, "speed_kmh", "travel", c.number, 1.0, 1000.0)
    detour = get(m, "detour_factor", "travel", c.number, 0.0, 10.0, open_low=True)
    matrix_path: Path | None = None
    overrides: tuple[tuple[str, str, int], ...] = ()
    if "matrix" in m:
        rel = c.text(m["matrix"], "travel.matrix")
        if rel is not None:
            matrix_path, overrides = _read_matrix(c, rel, source, files)
    defaults = TravelSettings()
    return TravelSettings(
        speed_kmh=speed if speed is not None else defaults.speed_kmh,
        detour_factor=detour if detour is not None else defaults.detour_factor,
        overrides=overrides,
        matrix=matrix_path,
    )


def _read_matrix(
    c: FieldChecker, rel: str, source: Path | None, files: Mapping[str, bytes] | None
) -> tuple[Path | None, tuple[tuple[str, str, int], ...]]:
    """The matrix file's path (None for an upload) and its rows; see :func:`travel`.

    The problems of the file itself come from :mod:`matcher.travel` (message codes, shared
    with the CLI's travel tools), each under the file's name.
    """
    where = "travel.matrix"
    try:
        if files is not None:
            name = PurePath(rel).name
            if name not in files:
                c.add(
                    where,
                    "matrix_not_uploaded",
                    Message("allow_matrix_upload", name=name),
                    file=show(rel),
                )
                return None, ()
            return None, tuple(parse_matrix_csv(files[name]))
        if source is None:
            c.add(where, "matrix_without_file", "allow_matrix_from_file", file=show(rel))
            return None, ()
        path = matrix_file(rel, source.parent)
        return path, tuple(read_matrix_csv(path))
    except TravelMatrixError as exc:
        for inner, what, allowed in exc.problems:
            file = show(rel) + (f" {inner}" if inner else "")
            c.add(where, "matrix_problem", allowed, file=file, text=what)
        return None, ()


def weights(c: FieldChecker, raw: Any) -> Weights:
    """The objective's ``weights`` (defaults for those not given)."""
    m = c.mapping(raw, "weights", WEIGHT_KEYS)
    d = Weights()
    if m is None:
        return d
    values = {k: get(m, k, "weights", c.integer, 0, MAX_WEIGHT) for k in WEIGHT_KEYS}
    return Weights(**{k: (v if v is not None else getattr(d, k)) for k, v in values.items()})


def urgency_factors(c: FieldChecker, raw: Any) -> dict[str, int]:
    """The ``urgency_factors`` mapping: urgency name -> whole factor."""
    if not isinstance(raw, dict) or not raw:
        c.add("urgency_factors", "not_a_mapping", "allow_urgency_factors", value=show(raw))
        return dict(DEFAULT_URGENCY_FACTORS)
    out: dict[str, int] = {}
    for key, value in raw.items():
        factor = c.integer(value, f"urgency_factors.{key}", 0, MAX_URGENCY_FACTOR)
        if not isinstance(key, str) or not key:
            c.add(f"urgency_factors.{key}", "not_a_name", "allow_non_empty_string", value=show(key))
        elif factor is not None:
            out[key] = factor
    return out


def now(c: FieldChecker, raw: Any) -> dt.datetime | None:
    """``now``: a local date and time ``YYYY-MM-DDTHH:MM``."""
    m = _NOW_RE.match(raw.strip()) if isinstance(raw, str) else None
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None, second=0, microsecond=0)
    if m is None:
        c.add("now", "not_a_datetime", "allow_local_datetime", value=show(raw))
        return None
    day = c.date(m.group(1), "now")
    minutes = c.time(m.group(2), "now")
    if day is None or minutes is None:
        return None
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def published(c: FieldChecker, raw: Any, requests: list[Request]) -> list[PublishedVisit]:
    """The ``published`` visits: a known request at most once, a date, a start, consultants.

    A consultant id that the scenario no longer has is allowed (such a visit cannot be kept
    unless it lies before ``now``, which the feasibility check then refuses).
    """
    out: list[PublishedVisit] = []
    known = {r.id for r in requests}
    seen: dict[str, str] = {}
    for i, item in enumerate(c.items(raw, "published")):
        path = f"published[{i}]"
        pm = c.mapping(item, path, PUBLISHED_KEYS)
        if pm is None:
            continue
        rid = get(pm, "request", path, c.ident)
        day = get(pm, "date", path, c.date)
        start = get(pm, "start", path, c.time)
        cp = join(path, "consultants")
        people = c.strings(pm.get("consultants"), cp)
        if "consultants" in pm and isinstance(pm["consultants"], list) and not people:
            c.add(cp, "empty_list", "allow_visit_consultants")
        if len(set(people)) != len(people):
            c.add(cp, "consultant_twice", "allow_distinct_consultants", value=show(people))
        rp = join(path, "request")
        if rid is not None and rid not in known:
            c.add(rp, "not_a_request_id", id_choices(known), value=show(rid))
            rid = None
        if rid is not None and rid in seen:
            c.add(rp, "published_twice", "allow_published_once", value=show(rid), other=seen[rid])
            rid = None
        if rid is not None:
            seen[rid] = path
        if rid is not None and day is not None and start is not None and people:
            out.append(PublishedVisit(rid, day, start, tuple(people)))
    return out
