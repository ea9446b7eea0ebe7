"""What changed between two plans of the same week, in words a planner reads at a glance.

Visits are matched by request id. A request can be *new* (planned now, not before),
*dropped* (planned before, not now), *moved* (other date or time), *reassigned* (other
consultants) or both moved and reassigned; everything else is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matcher.messages.nl import nl_day
from matcher.scenario.domain import Plan, Visit, format_time

__all__ = ["ChangeKind", "PlanDiff", "VisitChange", "describe_change", "diff_plans"]

ChangeKind = Literal["new", "dropped", "moved", "reassigned", "moved+reassigned"]

KIND_LABELS: dict[str, str] = {
    "new": "nieuw ingepland",
    "dropped": "vervallen",
    "moved": "verplaatst",
    "reassigned": "andere consultant",
    "moved+reassigned": "verplaatst en andere consultant",
}


@dataclass(frozen=True, slots=True)
class VisitChange:
    """One request whose visit differs between the two plans."""

    request: str
    kind: ChangeKind
    old: Visit | None
    new: Visit | None


@dataclass(frozen=True)
class PlanDiff:
    """The differences between an older and a newer plan."""

    changes: tuple[VisitChange, ...]
    unchanged: int
    objective_delta: int | None
    travel_delta: int | None

    @property
    def empty(self) -> bool:
        return not self.changes

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        """Number of changes per kind (only kinds that occur)."""
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


def _delta(old: int | float | None, new: int | float | None) -> int | None:
    if old is None or new is None:
        return None
    return int(new) - int(old)


def diff_plans(old: Plan | None, new: Plan) -> PlanDiff:
    """Compare ``new`` with ``old`` (``None``: everything in ``new`` is new).

    Changes are ordered by kind (new, moved, reassigned, dropped) and then by date/time.
    """
    before = {v.request: v for v in (old.visits if old else ())}
    after = {v.request: v for v in new.visits}
    changes: list[VisitChange] = []
    unchanged = 0
    for rid, v in after.items():
        prev = before.get(rid)
        if prev is None:
            changes.append(VisitChange(rid, "new", None, v))
            continue
        moved = (prev.date, prev.start, prev.end) != (v.date, v.start, v.end)
        reassigned = set(prev.consultants) != set(v.consultants)
        if moved and reassigned:
            changes.append(VisitChange(rid, "moved+reassigned", prev, v))
        elif moved:
            changes.append(VisitChange(rid, "moved", prev, v))
        elif reassigned:
            changes.append(VisitChange(rid, "reassigned", prev, v))
        else:
            unchanged += 1
    for rid, prev in before.items():
        if rid not in after:
            changes.append(VisitChange(rid, "dropped", prev, None))
    rank = {"new": 0, "moved+reassigned": 1, "moved": 2, "reassigned": 3, "dropped": 4}

    def key(c: VisitChange) -> tuple[int, object, int, str]:
        v = c.new or c.old
        assert v is not None
        return (rank[c.kind], v.date, v.start, c.request)

    changes.sort(key=key)
    objective_delta = _delta(old.solver.objective, new.solver.objective) if old else None
    travel_delta = (
        _delta(old.kpis.get("travel_minutes"), new.kpis.get("travel_minutes")) if old else None
    )
    return PlanDiff(tuple(changes), unchanged, objective_delta, travel_delta)


def _when(v: Visit) -> str:
    return (
        f"{nl_day(v.date)} {format_time(v.start)}–{format_time(v.end)} ({', '.join(v.consultants)})"
    )


def describe_change(change: VisitChange) -> str:
    """One Dutch line, e.g. ``R-012 verplaatst: di 1 dec 10:30–11:30 (C-1) → wo 2 dec ...``."""
    label = KIND_LABELS[change.kind]
    if change.old is None and change.new is not None:
        return f"{change.request} {label}: {_when(change.new)}"
    if change.new is None and change.old is not None:
        return f"{change.request} {label}: was {_when(change.old)}"
    assert change.old is not None and change.new is not None
    return f"{change.request} {label}: {_when(change.old)} → {_when(change.new)}"
