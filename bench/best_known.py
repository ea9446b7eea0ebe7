"""Best-known plans per benchmark instance: the store behind ``bench/reference.json``.

:mod:`bench.reference` (long runs of our own solver) and :mod:`bench.run` (the benchmark)
both merge their results in here. The store is monotone: an entry's objective is replaced
only by a checker-feasible plan with a strictly lower objective, and its bound only by a
higher (stronger) proven lower bound, so a worse run never makes the reference easier.

The file holds ``{"meta": {...}, "instances": {name: entry}}``; an entry is::

    {"instance": "gen-80+pins (seed 11)", "requests": 80,
     "objective": 123456, "assigned": 79, "bound": 120000,
     "found_by": {"tool": "bench.reference", "solver_seed": 1, "time_limit": 600.0,
                  "workers": 1, "commit": "abc1234", "date": "2026-12-02T01:40:00"},
     "bound_by": {... the same keys, the run that proved the bound ...},
     "runs": [{"objective": ..., "assigned": ..., "bound": ..., "feasible": true,
               "status": ..., "seconds": ..., "solver_seed": 1, "time_limit": 600.0, ...}]}

``runs`` lists every reference run (not the benchmark's short runs unless they set a new
best), so "best of several seeds" can be checked.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "REFERENCE_PATH",
    "RUN_KEYS",
    "load_reference",
    "merge_result",
    "record_result",
    "save_reference",
]

REFERENCE_PATH = Path(__file__).resolve().parent / "reference.json"
RUN_KEYS: tuple[str, ...] = (
    "tool",
    "solver_seed",
    "time_limit",
    "workers",
    "commit",
    "date",
)
"""Keys of a result that say which run it came from (copied into ``found_by``)."""


def load_reference(path: Path = REFERENCE_PATH) -> dict[str, Any]:
    """The store at ``path``; an empty one when the file does not exist."""
    if not path.exists():
        return {"meta": {}, "instances": {}}
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("instances"), dict):
        raise ValueError(f"{path}: expected an object with an 'instances' object")
    doc.setdefault("meta", {})
    return doc


def save_reference(doc: Mapping[str, Any], path: Path = REFERENCE_PATH) -> None:
    """Write the store atomically (a temporary file renamed over ``path``)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def merge_result(
    entries: Mapping[str, dict[str, Any]],
    name: str,
    result: Mapping[str, Any],
    *,
    log_run: bool = True,
) -> tuple[dict[str, dict[str, Any]], dict[str, bool]]:
    """Merge one solver result into the best-known entries (a new mapping is returned).

    Parameters
    ----------
    entries
        The store's ``instances``; not modified.
    name
        The instance name.
    result
        ``objective``, ``assigned``, ``bound`` (or ``None``), ``feasible``, ``requests`` and
        the keys of :data:`RUN_KEYS`; ``status`` and ``seconds`` are kept in ``runs``.
    log_run
        Append the result to the entry's ``runs`` (the reference runs do; the benchmark's
        short runs only when they set a new best).

    Returns
    -------
    entries, changed
        The merged entries and ``{"objective": ..., "bound": ...}``: whether this result set
        a new best objective (``"new best"``) or a stronger bound.
    """
    out = copy.deepcopy(dict(entries))
    old = out.get(name)
    source = {k: result.get(k) for k in RUN_KEYS}
    feasible = bool(result.get("feasible"))
    objective = result.get("objective")
    bound = result.get("bound")
    better = (
        feasible
        and objective is not None
        and (old is None or old.get("objective") is None or objective < old["objective"])
    )
    stronger = bound is not None and (
        old is None or old.get("bound") is None or bound > old["bound"]
    )
    if old is None:
        if not better and not stronger and not log_run:
            return out, {"objective": False, "bound": False}
        old = {
            "instance": name,
            "requests": result.get("requests"),
            "objective": None,
            "assigned": None,
            "bound": None,
            "found_by": None,
            "bound_by": None,
            "runs": [],
        }
    entry = dict(old)
    if better:
        entry.update(objective=objective, assigned=result.get("assigned"), found_by=source)
    if stronger:
        entry.update(bound=bound, bound_by=source)
    if log_run or better:
        run = {
            k: result.get(k)
            for k in ("objective", "assigned", "bound", "feasible", "status", "seconds")
        }
        entry["runs"] = [*entry.get("runs", []), run | source]
    out[name] = entry
    return out, {"objective": better, "bound": stronger}


def record_result(
    name: str,
    result: Mapping[str, Any],
    *,
    path: Path = REFERENCE_PATH,
    log_run: bool = True,
) -> dict[str, bool]:
    """Merge ``result`` into the store at ``path`` (read just before, written only when
    something changed); returns what changed, as :func:`merge_result`."""
    doc = load_reference(path)
    entries, changed = merge_result(doc["instances"], name, result, log_run=log_run)
    if changed["objective"] or changed["bound"] or log_run:
        doc["instances"] = dict(sorted(entries.items()))
        save_reference(doc, path)
    return changed
