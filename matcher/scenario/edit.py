"""Editing a round's scenario through tables, validated exactly like a scenario file.

The app shows consultants, availability windows, unavailable times (sick, leave),
requests, youths and locations as editable tables (``st.data_editor``). An edit is
applied by building the changed scenario *document*
(:func:`matcher.scenario.writer.scenario_to_dict`,
then the table rows put back in) and running the loader's validator
(:func:`matcher.scenario.validate.validate_document`) on it. Every problem comes back as an
:class:`EditProblem` naming the table, the row and the column, with the loader's own
message codes (rendered in Dutch, :mod:`matcher.scenario.edit_problems`); only a valid
result is saved (:func:`save_edit`): in one transaction that
locks the round, refuses entities someone else changed since the tables were read (pass
the snapshot's versions) and validates the whole stored round again before committing.

The tables themselves (column names, frames, reading cells) are in
:mod:`matcher.scenario.edit_tables`; the names are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.messages import Message
from matcher.scenario.domain import Pin, Plan, Scenario, Unavailability
from matcher.scenario.edit_problems import (
    EditProblem,
    Origins,
    describe_path,
    entity_origins,
    fix_rows,
    validate,
)
from matcher.scenario.edit_tables import (
    CONSULTANT_COLUMNS,
    LOCATION_COLUMNS,
    REQUEST_COLUMNS,
    T_CONSULTANTS,
    T_LOCATIONS,
    T_REQUESTS,
    T_UNAVAILABLE,
    T_WINDOWS,
    T_YOUTHS,
    UNAVAILABLE_COLUMNS,
    WINDOW_COLUMNS,
    YOUTH_COLUMNS,
    blank_row,
    cell,
    consultants_frame,
    date_value,
    day_keys,
    day_label,
    day_options,
    frame_rows,
    location_item,
    locations_frame,
    number_value,
    parse_roles,
    put,
    request_item,
    requests_frame,
    strings_value,
    text_value,
    unavailable_frame,
    urgency_options,
    windows_frame,
    youth_item,
    youths_frame,
)
from matcher.scenario.problems import ScenarioError
from matcher.scenario.validate import validate_document
from matcher.scenario.writer import scenario_to_dict

__all__ = [
    "CONSULTANT_COLUMNS",
    "LOCATION_COLUMNS",
    "REQUEST_COLUMNS",
    "UNAVAILABLE_COLUMNS",
    "WINDOW_COLUMNS",
    "YOUTH_COLUMNS",
    "EditProblem",
    "EditResult",
    "apply_availability",
    "apply_locations",
    "apply_requests",
    "apply_youths",
    "cell",
    "consultants_frame",
    "day_label",
    "day_options",
    "edit_of",
    "locations_frame",
    "mark_unavailable",
    "parse_roles",
    "requests_frame",
    "save_edit",
    "save_pins",
    "unavailable_frame",
    "urgency_options",
    "validated_edit",
    "windows_frame",
    "youths_frame",
]


@dataclass(frozen=True)
class EditResult:
    """The outcome of applying table edits.

    Attributes
    ----------
    scenario
        The validated new scenario, or ``None`` when there are problems.
    problems
        Every problem found (empty when valid).
    upserts
        Ids per kind (``consultants``, ``locations``, ``youths``, ``requests``) whose entity
        is new or changed.
    deletes
        Request ids to delete.
    base
        The scenario the tables were edited on.
    """

    scenario: Scenario | None
    problems: tuple[EditProblem, ...] = ()
    upserts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deletes: tuple[str, ...] = ()
    base: Scenario | None = None
    """The scenario the edit was made on (to tell and merge what others changed since)."""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems

    @property
    def changed(self) -> bool:
        return any(self.upserts.values()) or bool(self.deletes)


def _changed_ids(old: Iterable[Any], new: Iterable[Any]) -> tuple[str, ...]:
    before = {x.id: x for x in old}
    return tuple(x.id for x in new if before.get(x.id) != x)


# Availability ---------------------------------------------------------------------------------


def _out_of_scope(
    table: str, row: int, column: str, cid: object, allowed: list[str]
) -> EditProblem:
    return EditProblem(
        table,
        row,
        column,
        Message("edit_out_of_scope", value=repr(cid)),
        Message("allow_one_of_list", choices=allowed),
    )


def _window_item(row: Mapping[str, Any], cid: str) -> tuple[dict[str, Any], str]:
    item = day_keys(row.get("Dag"))
    put(item, "start", text_value(row.get("Van")))
    put(item, "end", text_value(row.get("Tot")))
    return item, f"{cid} {cell(row.get('Dag')) or ''}".strip()


def _absence_item(row: Mapping[str, Any], cid: str) -> tuple[dict[str, Any], str]:
    item: dict[str, Any] = {}
    put(item, "date", date_value(row.get("Datum")))
    put(item, "start", text_value(row.get("Van")))
    put(item, "end", text_value(row.get("Tot")))
    return item, f"{cid} {item.get('date', '')}".strip()


@dataclass
class _AvailabilityDoc:
    """The scenario document being edited, with where its parts came from."""

    doc: dict[str, Any]
    allowed: list[str]
    origins: Origins = field(default_factory=Origins)
    problems: list[EditProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = {c["id"]: i for i, c in enumerate(self.doc["consultants"])}

    def consultants(self, frame: pd.DataFrame) -> None:
        """Put the consultants table's rows into the document."""
        for n, row in enumerate(frame_rows(frame), start=1):
            if blank_row(row):
                continue
            cid = cell(row.get("Id"))
            if cid not in self.allowed or cid not in self.index:
                self.problems.append(_out_of_scope(T_CONSULTANTS, n, "Id", cid, self.allowed))
                continue
            i = self.index[cid]
            entry = self.doc["consultants"][i]
            self.origins.add(f"consultants[{i}]", T_CONSULTANTS, n, str(cid))
            for key, col, convert in (
                ("name", "Naam", text_value),
                ("email", "E-mail", text_value),
                ("max_visits_per_day", "Max per dag", number_value),
                ("max_visits_per_week", "Max per week", number_value),
            ):
                if col in row:
                    value = convert(row[col])
                    if value is None:
                        entry.pop(key, None)
                    else:
                        entry[key] = value
            if "Vaardigheden" in row:
                entry["skills"] = strings_value(row["Vaardigheden"])

    def rebuild(self, frame: pd.DataFrame, key: str, table: str, build: Any) -> None:
        """Replace the consultants' ``key`` lists (windows, absences) by the table's rows."""
        lists: dict[str, list[dict[str, Any]]] = {cid: [] for cid in self.allowed}
        for n, row in enumerate(frame_rows(frame), start=1):
            if blank_row(row):
                continue
            cid = cell(row.get("Consultant"))
            if cid not in lists or cid not in self.index:
                self.problems.append(_out_of_scope(table, n, "Consultant", cid, self.allowed))
                continue
            item, subject = build(row, cid)
            i = self.index[cid]
            self.origins.add(f"consultants[{i}].{key}[{len(lists[cid])}]", table, n, subject)
            lists[cid].append(item)
        for cid, items in lists.items():
            if cid in self.index:
                self.doc["consultants"][self.index[cid]][key] = items


def apply_availability(
    scenario: Scenario,
    scope: Sequence[str],
    consultants: pd.DataFrame | None = None,
    windows: pd.DataFrame | None = None,
    unavailable: pd.DataFrame | None = None,
) -> EditResult:
    """Apply edited consultant, window and unavailability tables for the consultants in
    ``scope`` (a provider's, or all).

    A table given as ``None`` keeps the current data. Rows naming a consultant outside the
    scope are refused. Returns the validated scenario and the ids of changed consultants.
    """
    edit = _AvailabilityDoc(scenario_to_dict(scenario), list(scope))
    if consultants is not None:
        edit.consultants(consultants)
    if windows is not None:
        edit.rebuild(windows, "availability", T_WINDOWS, _window_item)
    if unavailable is not None:
        edit.rebuild(unavailable, "unavailable", T_UNAVAILABLE, _absence_item)
    if edit.problems:
        return EditResult(None, tuple(edit.problems))
    entity_origins(edit.doc, edit.origins, "consultants")
    new, found = validate(edit.doc, edit.origins, T_WINDOWS)
    if new is None:
        return EditResult(None, fix_rows(found))
    changed = tuple(cid for cid in _changed_ids(scenario.consultants, new.consultants))
    return EditResult(new, (), {"consultants": changed}, base=scenario)


def mark_unavailable(
    scenario: Scenario,
    consultant_id: str,
    dates: Sequence[dt.date],
    start: int | None = None,
    end: int | None = None,
) -> EditResult:
    """Add an unavailable time (whole days by default) for one consultant on ``dates``.

    Validated like any other availability edit (a pinned visit on such a day is refused).
    """
    c = scenario.consultant(consultant_id)
    extra = [
        Unavailability(d, 0 if start is None else start, 24 * 60 if end is None else end)
        for d in dates
    ]
    fresh = [u for u in extra if u not in c.unavailable]
    frame = unavailable_frame([replace(c, unavailable=(*c.unavailable, *fresh))])
    return apply_availability(scenario, [consultant_id], unavailable=frame)


# Requests, youths, locations ---------------------------------------------------------------


def _apply_list(
    scenario: Scenario,
    frame: pd.DataFrame,
    kind: str,
    table: str,
    id_column: str,
    build: Any,
    *,
    may_delete: bool,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    doc = scenario_to_dict(scenario)
    old_items = {item["id"]: item for item in doc[kind]}
    origins = Origins()
    items: list[dict[str, Any]] = []
    problems: list[EditProblem] = []
    seen: set[str] = set()
    for n, row in enumerate(frame_rows(frame), start=1):
        if blank_row(row):
            continue
        item = build(row, old_items.get(text_value(row.get(id_column)) or ""))
        ident = item.get("id")
        if isinstance(ident, str):
            seen.add(ident)
        where, number = labels[n - 1] if labels is not None else (table, n)
        origins.add(f"{kind}[{len(items)}]", where, number, str(ident or ""), table)
        items.append(item)
    missing = [i for i in old_items if i not in seen]
    if missing and not may_delete:
        problems.append(
            EditProblem(
                table,
                None,
                id_column,
                Message("edit_cannot_remove", ids=missing),
                Message("allow_keep_rows"),
            )
        )
        return EditResult(None, tuple(problems))
    doc[kind] = items
    entity_origins(doc, origins, kind)
    new, found = validate(doc, origins, table)
    if new is None:
        return EditResult(None, fix_rows(found))
    old_entities = {"requests": scenario.requests, "youths": scenario.youths}.get(
        kind, scenario.locations
    )
    new_entities = {"requests": new.requests, "youths": new.youths}.get(kind, new.locations)
    changed = _changed_ids(old_entities, new_entities)
    return EditResult(new, (), {kind: changed}, tuple(missing) if may_delete else (), base=scenario)


def apply_requests(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited requests table (rows may be added, changed and removed).

    A request keeps its pin (pins are set by locking visits on the planning page).
    """
    pins = {r["id"]: r.get("pinned") for r in scenario_to_dict(scenario)["requests"]}

    def build(row: Mapping[str, Any], _old: Any) -> dict[str, Any]:
        item = request_item(row)
        pin = pins.get(item.get("id") or "")
        if pin is not None:
            item["pinned"] = pin
        return item

    return _apply_list(
        scenario, frame, "requests", T_REQUESTS, "Id", build, may_delete=True, labels=labels
    )


def apply_youths(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited youths table (rows may be added and changed, not removed)."""
    return _apply_list(
        scenario,
        frame,
        "youths",
        T_YOUTHS,
        "Casuscode",
        lambda row, _old: youth_item(row),
        may_delete=False,
        labels=labels,
    )


def apply_locations(
    scenario: Scenario,
    frame: pd.DataFrame,
    labels: Sequence[tuple[str, int]] | None = None,
) -> EditResult:
    """Apply an edited locations table (rows may be added and changed, not removed).

    Opening hours are kept as they are.
    """
    return _apply_list(
        scenario,
        frame,
        "locations",
        T_LOCATIONS,
        "Id",
        location_item,
        may_delete=False,
        labels=labels,
    )


# Saving ---------------------------------------------------------------------------------------


def edit_of(result: EditResult) -> storage.RoundEdit:
    """The storage edit that saves a valid result (its changed entities and deletes)."""
    if not result.ok or result.scenario is None:
        raise ValueError("an edit with problems cannot be saved")
    s = result.scenario
    return storage.RoundEdit(
        consultants=tuple(s.consultant(c) for c in result.upserts.get("consultants", ())),
        locations=tuple(s.location(x) for x in result.upserts.get("locations", ())),
        youths=tuple(s.youth(y) for y in result.upserts.get("youths", ())),
        requests=tuple(s.request(r) for r in result.upserts.get("requests", ())),
        deleted_requests=tuple(result.deletes),
    )


def save_edit(
    engine: Engine, round_id: int, result: EditResult, versions: storage.Versions | None = None
) -> int:
    """Store a valid edit in one transaction: changed consultants, locations, youths and
    requests, then deleted requests (:func:`matcher.storage.write_edit`).

    The round is locked while the edit is written and the whole stored round is validated
    before the commit, so an edit that is valid on its snapshot but not together with what
    others saved meanwhile is refused.

    Parameters
    ----------
    versions
        The versions of the snapshot the tables were edited on
        (:attr:`matcher.storage.RoundSnapshot.versions`). An entity someone else changed
        since is then refused (:class:`~matcher.storage.StaleEditError`; see
        :func:`matcher.app.edit_conflicts.resolve_conflict`) instead of overwritten. ``None``:
        not checked (last writer wins).

    Returns
    -------
    int
        The number of entities written.

    Raises
    ------
    ValueError
        When the result is not valid (nothing is written).
    matcher.storage.StaleEditError, matcher.storage.InvalidEditError
        As above; nothing is written.
    """
    edit = edit_of(result)
    n = len(edit.touched())
    if n:
        storage.write_edit(engine, round_id, edit, versions, validate=storage.check_round)
    return n


def save_pins(
    engine: Engine,
    round_id: int,
    pins: Mapping[str, Pin | None],
    versions: storage.Versions | None = None,
    *,
    plan: Plan | None = None,
    plan_based_on: int | None = None,
) -> storage.Versions:
    """Set or remove pins (lock/unlock visits), optionally saving a hand-made plan with
    them, in one validated transaction (see :func:`save_edit` for ``versions``).

    ``plan`` is saved with label ``handmatig``; ``plan_based_on`` is the plan it was made
    from (a newer plan saved meanwhile makes the save conflict).
    """
    edit = storage.RoundEdit(
        pins=dict(pins), plan=plan, plan_label="handmatig", plan_based_on=plan_based_on
    )
    return storage.write_edit(engine, round_id, edit, versions, validate=storage.check_round)


def validated_edit(base: Scenario, scenario: Scenario, deletes: Sequence[str] = ()) -> EditResult:
    """``scenario`` as an edit of ``base``, validated by the loader's validator.

    Returns the result with the changed entities per kind (problems, naming the entity,
    when the scenario is not valid).
    """
    doc = scenario_to_dict(scenario)
    try:
        new = validate_document(doc, "<bewerking>")
    except ScenarioError as exc:
        return EditResult(
            None,
            tuple(
                EditProblem("", None, describe_path(doc, p.path), p.message, p.allowed)
                for p in exc.problems
            ),
            base=base,
        )
    upserts = {
        "consultants": _changed_ids(base.consultants, new.consultants),
        "locations": _changed_ids(base.locations, new.locations),
        "youths": _changed_ids(base.youths, new.youths),
        "requests": _changed_ids(base.requests, new.requests),
    }
    return EditResult(new, (), {k: v for k, v in upserts.items() if v}, tuple(deletes), base)


def describe_problem_path(doc: dict[str, Any], path: str) -> str:
    """Public wrapper of the entity naming used in messages (for imports)."""
    return describe_path(doc, path)
