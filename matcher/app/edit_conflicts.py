"""When two people edit one round at once: what changed, in Dutch, and merging an edit.

A save made on an outdated snapshot is refused by storage with
:class:`~matcher.storage.StaleEditError` (nothing is written). This module turns that into
something the planner can act on:

* :func:`conflict_lines` says in Dutch who changed what: which entity, and which fields
  (by name only, never a value, so no confidential address ends up in a message).
* :func:`merge_edit` three-way merges the refused edit into the current state: fields only
  one side changed are taken from that side; lists and sets (availability windows,
  absences, skills, exclusions) merge item by item, so two absences added at once both
  stay. What both sides changed differently is reported and not merged. The merged edit is
  validated like any other and saved with the current versions.
* :func:`resolve_conflict` does both for the app: the message and, when possible, the
  merged edit with the versions to save it against.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.messages import Joined, Message
from matcher.scenario.domain import Scenario
from matcher.storage import (
    Conflict,
    InvalidEditError,
    RoundSnapshot,
    StaleEditError,
    Versions,
)

__all__ = [
    "FIELD_LABELS",
    "KIND_LABELS",
    "ConflictReport",
    "Merge",
    "changed_fields",
    "conflict_lines",
    "conflict_messages",
    "invalid_lines",
    "merge_edit",
    "resolve_conflict",
]

KIND_LABELS = {
    "consultant": "consultant",
    "location": "locatie",
    "youth": "jongere",
    "request": "aanvraag",
}
"""Dutch names of the kinds of entity."""

FIELD_LABELS: dict[str, dict[str, str]] = {
    "consultant": {
        "provider": "organisatie",
        "name": "naam",
        "email": "e-mail",
        "base": "standplaats",
        "skills": "vaardigheden",
        "max_visits_per_day": "max per dag",
        "max_visits_per_week": "max per week",
        "availability": "werktijden",
        "unavailable": "afwezigheid",
    },
    "location": {
        "name": "naam",
        "kind": "soort",
        "gemeente": "gemeente",
        "lat": "ligging",
        "lon": "ligging",
        "address": "adres",
        "confidential": "vertrouwelijk",
        "open": "openingstijden",
        "contact": "contactpersoon",
    },
    "youth": {
        "location": "locatie",
        "gemeente": "gemeente",
        "signalled_on": "gesignaleerd op",
        "urgency": "urgentie",
        "previous_consultant": "vorige consultant",
        "excluded_consultants": "uitgesloten consultants",
    },
    "request": {
        "youth": "jongere",
        "roles": "rollen",
        "duration_minutes": "duur",
        "earliest": "vanaf",
        "latest": "tot en met",
        "time_of_day": "tijd van de dag",
        "pinned": "vastgezet",
    },
}
"""Dutch names of the fields of each kind (a field not listed is shown by its own name)."""

_PLURAL = {"consultants": "consultant", "locations": "location", "youths": "youth"}
_PLURAL["requests"] = "request"
_ATTR = {kind: plural for plural, kind in _PLURAL.items()}

NOT_SAVED = Message("conflict_not_saved").render("nl")


def _entities(scenario: Scenario | None, kind: str) -> dict[str, Any]:
    if scenario is None:
        return {}
    return {e.id: e for e in getattr(scenario, _ATTR[kind])}


def _fields(entity: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(entity) if f.name != "id"]


def changed_fields(old: Any, new: Any) -> list[str]:
    """Names of the dataclass fields in which two versions of an entity differ."""
    if old is None or new is None:
        return []
    return [f for f in _fields(old) if getattr(old, f) != getattr(new, f)]


def _labels(kind: str, fields: Iterable[str]) -> list[str]:
    labels = FIELD_LABELS.get(kind, {})
    return list(dict.fromkeys(labels.get(f, f) for f in fields))


def _who(kind: str, key: str) -> Message:
    if kind in KIND_LABELS:
        return Message(f"entity_{kind}", id=key)
    return Message("entity_other", kind=kind, id=key)


def _nl(code: str, **params: Any) -> str:
    return Message(code, **params).render("nl")


def conflict_lines(
    conflicts: Sequence[Conflict], base: Scenario | None, current: Scenario | None
) -> list[str]:
    """One Dutch sentence per conflict: who changed what since ``base`` (field names only).

    ``current`` is the stored state when the conflict was found; with both scenarios the
    changed fields are named. The sentences are message codes rendered in Dutch
    (:mod:`matcher.messages`); the field names are the Dutch :data:`FIELD_LABELS`.
    """
    return [m.render("nl") for m in conflict_messages(conflicts, base, current)]


def conflict_messages(
    conflicts: Sequence[Conflict], base: Scenario | None, current: Scenario | None
) -> list[Message]:
    """The messages of :func:`conflict_lines`."""
    out = []
    for c in conflicts:
        if c.kind == "plan":
            out.append(
                Message("conflict_newer_plan", current=c.current, expected=c.expected)
                if c.current
                else Message("conflict_plan_gone")
            )
            continue
        who = _who(c.kind, c.key)
        if c.current == 0:
            out.append(Message("conflict_deleted", who=who))
        elif c.expected == 0:
            out.append(Message("conflict_added", who=who))
        else:
            old = _entities(base, c.kind).get(c.key)
            new = _entities(current, c.kind).get(c.key)
            fields = _labels(c.kind, changed_fields(old, new))
            if fields:
                out.append(Message("conflict_changed_fields", who=who, fields=fields))
            else:
                out.append(Message("conflict_changed", who=who))
    return out


def invalid_lines(error: InvalidEditError) -> list[str]:
    """The problems of a refused edit, each naming its entity (``aanvraag R-2.pinned``)."""
    from matcher.scenario.edit import describe_problem_path
    from matcher.scenario.writer import scenario_to_dict

    doc = scenario_to_dict(error.scenario) if error.scenario is not None else {}
    out = []
    for p in error.problems:
        where = describe_problem_path(doc, p.path) if doc else p.path
        out.append(dataclasses.replace(p, path=where).text("nl", file=False))
    return out


# Merging -------------------------------------------------------------------------------------


def _merge_collection(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge of a tuple or frozenset: items removed by one side go, items added
    by either side come in (order: theirs, then mine's additions)."""
    if isinstance(theirs, frozenset):
        return (theirs - (base - mine)) | (mine - base)
    removed = [x for x in base if x not in mine]
    kept = [x for x in theirs if x not in removed]
    added = [x for x in mine if x not in base and x not in kept]
    return tuple(kept + added)


def _is_collection(*values: Any) -> bool:
    return all(isinstance(v, tuple | frozenset) for v in values) and (
        len({type(v) for v in values}) == 1
    )


def _merge_entity(kind: str, base: Any, mine: Any, theirs: Any) -> tuple[Any, list[str]]:
    """``mine``'s changes since ``base`` applied to ``theirs``; the fields both changed."""
    values: dict[str, Any] = {}
    clashes: list[str] = []
    for name in _fields(base):
        b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if m in (b, t):
            continue  # theirs holds already
        if t == b:
            values[name] = m
        elif _is_collection(b, m, t):
            values[name] = _merge_collection(b, m, t)
        else:
            clashes.append(name)
    return dataclasses.replace(theirs, **values), clashes


@dataclass(frozen=True)
class Merge:
    """An edit merged into the current state.

    Attributes
    ----------
    result
        The merged edit (an :class:`~matcher.scenario.edit.EditResult` on the current
        scenario; its problems when the merged round is not valid), or ``None`` when the
        two edits clash.
    clashes
        Dutch descriptions of what both changed differently (empty when merged).
    """

    result: Any
    clashes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok


def merge_edit(result: Any, current: Scenario) -> Merge:
    """Merge a refused edit (an ``EditResult`` with its ``base``) into ``current``.

    Per entity the edit changed: unchanged by the others -> the edit's version; changed by
    both -> field by field (see the module docstring); deleted by the others, or added
    by both differently -> a clash. A request the edit deletes must be unchanged (or
    already gone). The merged scenario is validated by the loader's validator.
    """
    from matcher.scenario.edit import validated_edit

    base, mine = result.base, result.scenario
    if base is None or mine is None:
        return Merge(None, (_nl("conflict_cannot_merge"),))
    replaced: dict[str, dict[str, Any]] = {}
    clashes: list[str] = []
    for plural, ids in result.upserts.items():
        kind = _PLURAL[plural]
        b_all, m_all, t_all = (_entities(s, kind) for s in (base, mine, current))
        for key in ids:
            b, m, t = b_all.get(key), m_all.get(key), t_all.get(key)
            who = _who(kind, key)
            if m is None or t == m:
                continue
            if t == b:
                replaced.setdefault(kind, {})[key] = m
            elif t is None:
                clashes.append(_nl("clash_deleted", who=who))
            elif b is None:
                clashes.append(_nl("clash_added_by_both", who=who))
            else:
                merged, both = _merge_entity(kind, b, m, t)
                if both:
                    clashes.append(
                        _nl("clash_changed_by_both", who=who, fields=_labels(kind, both))
                    )
                else:
                    replaced.setdefault(kind, {})[key] = merged
    deletes = []
    b_req, t_req = _entities(base, "request"), _entities(current, "request")
    for key in result.deletes:
        if key not in t_req:
            continue  # already deleted
        if t_req[key] != b_req.get(key):
            clashes.append(_nl("clash_changed_not_deleted", who=_who("request", key)))
        else:
            deletes.append(key)
    if clashes:
        return Merge(None, tuple(clashes))
    scenario = _replace_entities(current, replaced, deletes)
    return Merge(validated_edit(current, scenario, deletes))


def _replace_entities(
    s: Scenario, replaced: Mapping[str, Mapping[str, Any]], deletes: Sequence[str]
) -> Scenario:
    changes: dict[str, Any] = {}
    for kind, attr in _ATTR.items():
        new = replaced.get(kind, {})
        if not new and not (kind == "request" and deletes):
            continue
        items = [new.get(e.id, e) for e in getattr(s, attr) if e.id not in deletes]
        known = {e.id for e in items}
        items += [e for key, e in new.items() if key not in known]
        changes[attr] = tuple(items)
    return dataclasses.replace(s, **changes)


# For the app ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictReport:
    """What the app shows after a refused save, and what it can offer.

    Attributes
    ----------
    message
        Dutch: who changed what, that nothing was saved, and what can be done.
    merged
        The edit merged into the current state (valid), or ``None`` when it cannot be.
    versions
        The versions of the state ``merged`` was made on (pass them when saving it).
    """

    message: str
    merged: Any = None
    versions: Versions | None = None


def resolve_conflict(result: Any, error: StaleEditError) -> ConflictReport:
    """Explain a refused save of ``result`` (an ``EditResult``) and try to merge it."""
    current: RoundSnapshot | None = error.current
    lines = conflict_lines(error.conflicts, result.base, current.scenario if current else None)
    if current is None:
        lines.append(_nl("conflict_reload"))
        return ConflictReport(" ".join(lines))
    merge = merge_edit(result, current.scenario)
    if merge.ok:
        lines.append(_nl("conflict_can_merge"))
        return ConflictReport(" ".join(lines), merge.result, current.versions)
    if merge.clashes:
        lines.append(_nl("conflict_clashes", clashes=Joined(merge.clashes)))
    elif merge.result is not None and merge.result.problems:
        problems = tuple(p.text("nl") for p in merge.result.problems[:3])
        lines.append(_nl("conflict_invalid", problems=Joined(problems)))
    lines.append(_nl("conflict_reload"))
    return ConflictReport(" ".join(lines))
