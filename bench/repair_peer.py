"""The peer of the re-planning benchmark: a careful human's repair of a published week.

What a ketenregisseur does by hand when consultants fall sick mid-week:

1. keep every published visit that still holds (in order of its start; a visit that no
   longer fits, or that no longer fits beside the ones kept before it, is broken);
2. move each broken visit to its cheapest feasible slot from the next day on;
3. plan the new requests the same way (cheapest slot from the next day on);
4. leave open what does not fit.

The cheapest slot is the cheapest insertion into the tours as they stand (extra travel plus
waiting plus continuity), one request at a time, most urgent first; nothing already placed
moves. The plan is scored by the independent checker, like ours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from matcher.scenario.domain import Plan, Scenario
from matcher.solver.model import Instance, prepare
from matcher.solver.search import SearchState, insertion_priority
from matcher.solver.solve import assemble_plan
from matcher.travel import TravelMatrix

__all__ = ["repair_plan"]


def _from_next_day(inst: Instance, day: dt.date) -> Instance:
    """The instance with every option before ``day`` removed (for the requests to place)."""
    requests = []
    for r in inst.requests:
        opts = [o for o in r.options if inst.tours[o.tour].tour.date >= day]
        requests.append(dataclasses.replace(r, options=opts))
    by_tour: list[list[tuple[int, int]]] = [[] for _ in inst.tours]
    for r in requests:
        for oi, o in enumerate(r.options):
            by_tour[o.tour].append((r.index, oi))
    return dataclasses.replace(inst, requests=requests, options_by_tour=by_tour)


def repair_plan(scenario: Scenario, travel: TravelMatrix | None = None) -> Plan:
    """The human-style repair of ``scenario`` (which carries ``published`` and ``now``)."""
    inst = prepare(scenario, travel)
    st = SearchState(inst)
    published = sorted(
        (r for r in inst.requests if r.published),
        key=lambda r: (
            scenario.published_visit(r.request.id).date,  # type: ignore[union-attr]
            scenario.published_visit(r.request.id).start,  # type: ignore[union-attr]
        ),
    )
    for r in published:
        got = st.keep_insertion(r.index)
        if got is not None:
            st.insert(r.index, got[1], got[2])
    next_day = (scenario.now.date() if scenario.now else scenario.days[0]) + dt.timedelta(days=1)
    later = SearchState.from_assignments(_from_next_day(inst, next_day), st.assignments())
    todo = sorted(
        (r.index for r in inst.requests if r.index not in later.assign),
        key=lambda r: insertion_priority(inst, r),
    )
    for r in todo:
        best = later.best_insertion(r)
        if best is not None and (
            best[0] < later.leave_out_cost(r) or inst.requests[r].request.pinned
        ):
            later.insert(r, best[1], best[2])
    plan = assemble_plan(inst, later.assignments(), "feasible", None, 0.0)
    return plan
