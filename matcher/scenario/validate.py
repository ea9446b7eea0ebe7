"""Checking a parsed scenario document against FORMAT.md and building the domain objects.

Every problem is collected, none stops the check early: the caller gets all of them at once,
each naming the file, the field path (``consultants[2].availability[0].end``), the bad value
and what is allowed, as a message code with parameters (:class:`~matcher.scenario.problems.
Problem`; English for the CLI, Dutch for the app). Defaults are applied exactly as
FORMAT.md gives them.

The validator is split along the document: :mod:`~matcher.scenario.schema` (the keys and
limits), :mod:`~matcher.scenario.field_checks` (types, ranges, dates, times),
:mod:`~matcher.scenario.sections` (days, travel, weights, ``now``, published visits),
:mod:`~matcher.scenario.entities` (consultants, locations, youths, requests) and
:mod:`~matcher.scenario.cross_check` (references, pins, the objective's range).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matcher.cycle.replanning import check_published_before_now
from matcher.messages import Message
from matcher.scenario import entities, sections
from matcher.scenario.cross_check import Known, check_objective_range, cross_check
from matcher.scenario.domain import (
    DEFAULT_URGENCY_FACTORS,
    FORMAT_VERSION,
    Consultant,
    Location,
    Provider,
    Request,
    Scenario,
    TravelSettings,
    Weights,
    Youth,
)
from matcher.scenario.entities import check_overlaps
from matcher.scenario.field_checks import MAX_COUNT, FieldChecker, check_unique, get
from matcher.scenario.problems import ScenarioError, show
from matcher.scenario.schema import MAX_RATE, PROVIDER_KEYS, TOP_KEYS

__all__ = ["MAX_COUNT", "FieldChecker", "check_overlaps", "validate_document"]

# The names the tests of the validator use.
_Checker = FieldChecker
_check_overlaps = check_overlaps

T = TypeVar("T")


def _indexed(
    c: FieldChecker,
    m: dict[str, Any],
    key: str,
    read: Callable[[FieldChecker, Any, str], T | None],
) -> tuple[list[tuple[str, T]], dict[str, tuple[str, T | None]]]:
    """Read the list ``key`` item by item; return the entities read with their paths and,
    per id, the path and entity (``None`` when it had a problem). Duplicate ids are
    reported."""
    out: list[tuple[str, T]] = []
    by_id: dict[str, tuple[str, T | None]] = {}
    ids: list[tuple[str | None, str]] = []
    for i, raw in enumerate(c.items(m.get(key), key, required=True)):
        path = f"{key}[{i}]"
        item = read(c, raw, path)
        ident = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        ids.append((ident, f"{path}.id"))
        if ident is not None:
            by_id.setdefault(ident, (path, item))
        if item is not None:
            out.append((path, item))
    check_unique(c, ids, key.removesuffix("s"))
    return out, by_id


def _provider(c: FieldChecker, raw: Any, path: str) -> Provider | None:
    pm = c.mapping(raw, path, PROVIDER_KEYS)
    if pm is None:
        return None
    pid = get(pm, "id", path, c.ident)
    pname = get(pm, "name", path, c.text)
    hourly = get(pm, "hourly_rate", path, c.number, 0.0, MAX_RATE)
    per_km = get(pm, "km_rate", path, c.number, 0.0, MAX_RATE)
    return Provider(pid, pname, hourly, per_km) if pid and pname else None


def _timezone(c: FieldChecker, m: dict[str, Any]) -> str:
    if "timezone" not in m:
        return "Europe/Amsterdam"
    tz = m["timezone"]
    try:
        if not isinstance(tz, str):
            raise ZoneInfoNotFoundError
        ZoneInfo(tz)
        return tz
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, too long
        c.add("timezone", "not_a_time_zone", "allow_time_zone", value=show(tz))
        return "Europe/Amsterdam"


@dataclass
class _Entities:
    """The entity lists of a document as read (each without the items with problems)."""

    providers: list[Provider]
    consultants: list[Consultant]
    locations: list[Location]
    youths: list[Youth]
    requests: list[tuple[str, Request]]
    """Each request with its path (``requests[3]``)."""
    raw_consultants: list[Any]
    known: Known


def _read_entities(
    c: FieldChecker, m: dict[str, Any], days: tuple[dt.date, ...], factors: dict[str, int]
) -> _Entities:
    """Read providers, consultants, locations, youths and requests (ids checked unique)."""
    read_providers, _ = _indexed(c, m, "providers", _provider)
    raw_consultants = c.items(m.get("consultants"), "consultants", required=True)
    read_consultants, consultant_ids = _indexed(c, m, "consultants", entities.consultant)
    read_locations, location_ids = _indexed(c, m, "locations", entities.location)
    read_youths, youth_ids = _indexed(
        c, m, "youths", lambda c, raw, path: entities.youth(c, raw, path, factors)
    )
    day_set = frozenset(days)
    indexed_requests, _ = _indexed(
        c, m, "requests", lambda c, raw, path: entities.request(c, raw, path, days, day_set)
    )
    provider_ids: dict[str, str] = {}
    for path, provider in read_providers:
        provider_ids.setdefault(provider.id, path)
    known = Known(
        days,
        provider_ids,
        consultant_ids,
        {lid: path for lid, (path, _) in location_ids.items()},
        youth_ids,
    )
    return _Entities(
        [p for _, p in read_providers],
        [x for _, x in read_consultants],
        [x for _, x in read_locations],
        [x for _, x in read_youths],
        indexed_requests,
        raw_consultants,
        known,
    )


def validate_document(
    doc: Any, source: Path | str = "<scenario>", *, files: Mapping[str, bytes] | None = None
) -> Scenario:
    """Check a parsed scenario document and build the :class:`Scenario`.

    Parameters
    ----------
    doc
        The parsed YAML/JSON document.
    source
        The file it came from (names the file in problems); a ``travel.matrix`` is read
        from its folder or below. A name in angle brackets (``<scenario>``) is no file.
    files
        Files uploaded with the document, by name (the app): a ``travel.matrix`` is then
        taken from here, never from disk.

    Raises
    ------
    ScenarioError
        With every problem found.
    """
    source_path = Path(source) if not str(source).startswith("<") else None
    c = FieldChecker(str(source))
    m = c.mapping(doc, "", TOP_KEYS)
    if m is None:
        raise ScenarioError(c.problems)
    if "format" in m and (isinstance(m["format"], bool) or m["format"] != FORMAT_VERSION):
        c.add(
            "format",
            "unsupported_format",
            Message("allow_format", version=FORMAT_VERSION),
            value=show(m["format"]),
        )
    name = get(m, "name", "", c.text)
    days, week = sections.planning_days(c, m)
    timezone = _timezone(c, m)
    travel = (
        sections.travel(c, m["travel"], source_path, files) if "travel" in m else TravelSettings()
    )
    weights = sections.weights(c, m["weights"]) if "weights" in m else Weights()
    factors = (
        sections.urgency_factors(c, m["urgency_factors"])
        if "urgency_factors" in m
        else dict(DEFAULT_URGENCY_FACTORS)
    )
    read = _read_entities(c, m, days, factors)
    requests = [r for _, r in read.requests]
    now = sections.now(c, m["now"]) if "now" in m else None
    published = sections.published(c, m.get("published"), requests)
    cross_check(c, read.known, read.requests, read.raw_consultants, travel.overrides)
    if not c.problems:
        check_objective_range(
            c, days, weights, factors, read.consultants, read.known.youths, requests
        )
    if c.problems:
        raise ScenarioError(c.problems)
    assert name is not None
    scenario = Scenario(
        name=name,
        days=days,
        providers=tuple(read.providers),
        consultants=tuple(read.consultants),
        locations=tuple(read.locations),
        youths=tuple(read.youths),
        requests=tuple(requests),
        week=week,
        timezone=timezone,
        travel=travel,
        weights=weights,
        urgency_factors=MappingProxyType(factors),
        now=now,
        published=tuple(published),
        source=source_path,
    )
    problems = check_published_before_now(scenario, str(source))
    if problems:
        raise ScenarioError(problems)
    return scenario
