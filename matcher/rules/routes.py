"""Tour routes: each tour is possible with travel: the consultant's visits in a tour, in
start order, leave time to drive from the base, between visits and back to the base.

- CP-SAT: :func:`add`, a circuit per tour with arc literals and precedence constraints
  (also the travel terms of the objective).
- Search: routes are request sequences per tour, scheduled earliest first; an insertion
  is checked against the cached earliest ends and latest starts
  (:meth:`matcher.solver.search.SearchState.gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from matcher.solver.cpsat import PlanningModel
    from matcher.solver.instance import Assignment


@dataclass
class Node:
    """A request as a node of one tour's circuit."""

    request: int
    serve: cp_model.IntVar | int
    """Literal: the tour's consultant serves the request (``1`` for a fixed visit)."""
    lo: int
    hi: int


def add(pm: PlanningModel) -> None:
    """Every tour is a circuit base -> visits -> base that fits its window.

    Per tour, a circuit over the base (node 0) and the requests the tour may serve;
    a skipped request takes its self-loop (``not serve``), an unused tour the base's
    self-loop. An arc ``i -> j`` forces ``start_j >= start_i + duration_i + travel(i, j)``,
    so a consultant's visits never overlap and leave time to drive; arcs that can never
    be kept in time are not created. The window itself (leave the base after the tour
    starts, be back before it ends) is in each option's start intervals. A redundant
    time-budget constraint per tour (durations + travel <= tour length) tightens the bound.
    (About 80 lines: nodes, arcs and the budget of one tour are built in one pass.)
    """
    inst, m = pm.inst, pm.model
    free_tours = pm.scope.tours if pm.scope.tours is not None else set(range(len(inst.tours)))
    fixed_by_tour: dict[int, list[Assignment]] = {}
    for a in pm.scope.fixed:
        for t in a.tours:
            if t in free_tours:
                fixed_by_tour.setdefault(t, []).append(a)
    for ti in sorted(free_tours):
        tinfo = inst.tours[ti]
        nodes: list[Node] = []
        for a in fixed_by_tour.get(ti, []):
            if a.request not in pm.start:
                pm.start[a.request] = m.new_constant(a.start)
            nodes.append(Node(a.request, 1, a.start, a.start))
        for ri, oi in inst.options_by_tour[ti]:
            if (ri, ti) not in pm.serve:
                continue
            o = inst.requests[ri].options[oi]
            nodes.append(Node(ri, pm.serve[ri, ti], o.lo, o.hi))
        pm.nodes[ti] = nodes
        if not nodes:
            continue
        tname = f"{tinfo.tour.consultant},{tinfo.tour.date.isoformat()},{tinfo.tour.start}"
        used = m.new_bool_var(f"tour_used[{tname}]")
        pm.tour_used[ti] = used
        arcs: list[tuple[int, int, cp_model.LiteralT]] = [(0, 0, used.Not())]
        travel_terms: list[tuple[cp_model.IntVar, int]] = []
        base = tinfo.base
        reqs = inst.requests
        for i, n in enumerate(nodes, start=1):
            r = reqs[n.request]
            serve = n.serve
            if isinstance(serve, int):
                m.add(used == 1)
            else:
                arcs.append((i, i, serve.Not()))
                m.add_implication(serve, used)
            lit = m.new_bool_var(f"arc[{tname}:base->{r.request.id}]")
            arcs.append((0, i, lit))
            travel_terms.append((lit, inst.minutes[base][r.point]))
            lit = m.new_bool_var(f"arc[{tname}:{r.request.id}->base]")
            arcs.append((i, 0, lit))
            travel_terms.append((lit, inst.minutes[r.point][base]))
        for i, ni in enumerate(nodes, start=1):
            ri_ = reqs[ni.request]
            for j, nj in enumerate(nodes, start=1):
                if i == j:
                    continue
                rj = reqs[nj.request]
                tt = inst.minutes[ri_.point][rj.point]
                if ni.lo + ri_.duration + tt > nj.hi:
                    continue
                lit = m.new_bool_var(f"arc[{tname}:{ri_.request.id}->{rj.request.id}]")
                arcs.append((i, j, lit))
                travel_terms.append((lit, tt))
                if ni.hi + ri_.duration + tt > nj.lo:
                    m.add(
                        pm.start[nj.request] >= pm.start[ni.request] + ri_.duration + tt
                    ).only_enforce_if(lit)
        m.add_circuit(arcs)
        pm.arcs[ti] = arcs
        pm.travel_terms.extend(travel_terms)
        # Redundant: the visits and the driving fit in the tour's length.
        length = tinfo.tour.end - tinfo.tour.start
        m.add(
            sum(reqs[n.request].duration * n.serve for n in nodes)
            + sum(lit * c for lit, c in travel_terms)
            <= length
        )


# Reasons -------------------------------------------------------------------------


def full_on(consultant: str, days: words.Text) -> Message:
    """``C1 full on Monday``: the tours hold no room between their visits."""
    return Message("full_on", consultant=consultant, days=days)


def reason_no_free_time() -> Message:
    return Message("no_free_time")


TEXTS: dict[str, tuple[str, str]] = {
    "full_on": (
        "{consultant} full on {days}",
        "{consultant} vol op {days}",
    ),
    "no_free_time": (
        "no free time left in the tours of the consultants who could do it",
        "geen vrije tijd meer in de rondes van de consultants die het zouden kunnen doen",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_no_drive_from_base": (
        "visit {request}: {consultant} leaves at {leaves} and needs {minutes} min from the base, "
        "cannot start at {start}",
        "bezoek {request}: {consultant} vertrekt om {leaves} en heeft {minutes} min nodig vanaf "
        "de basis, kan niet om {start} beginnen",
    ),
    "check_no_drive_between": (
        "visits {first} and {second}: {consultant} ends at {ends} and needs {minutes} min to the "
        "next, which starts at {starts}",
        "bezoeken {first} en {second}: {consultant} is om {ends} klaar en heeft {minutes} min "
        "nodig naar het volgende, dat om {starts} begint",
    ),
    "check_back_late": (
        "visit {request}: {consultant} is back at the base at {back}, after the window ends at "
        "{end}",
        "bezoek {request}: {consultant} is om {back} terug op de basis, na het einde van het "
        "tijdvak om {end}",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "routes",
    texts=TEXTS,
    add=add,
)
