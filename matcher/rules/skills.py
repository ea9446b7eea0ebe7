"""Skills: each role of a visit is filled by a different consultant who has all its skills.

- Pruning: a consultant is a candidate for the roles whose skills it has
  (:func:`roles_filled`); one that fills none is no option.
- CP-SAT: :func:`add`, the roles matched one to one to distinct consultants.
- Search: the options carry their roles; the search matches them (no hook).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.explain import words
from matcher.messages import Message
from matcher.rules.base import Rule
from matcher.scenario.domain import Consultant, Request

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from matcher.solver.cpsat import PlanningModel


def roles_filled(request: Request, consultant: Consultant) -> tuple[int, ...]:
    """Indices of the request's roles whose skills ``consultant`` has."""
    return tuple(k for k, skills in enumerate(request.roles) if consultant.has_skills(skills))


def add(pm: PlanningModel) -> None:
    """Each role of a planned request gets exactly one distinct consultant with its skills.

    Single-role requests: exactly one serving tour when planned. Joint visits: a role
    literal per (role, able consultant); each role exactly one consultant, each consultant
    at most one role, and a consultant serves (in one of its tours) iff it fills a role.
    """
    inst, m = pm.inst, pm.model
    for ri in pm.free_requests:
        r = inst.requests[ri]
        by_c = pm.serve_by_consultant(r)
        present = pm.present[ri]
        if r.n_roles == 1:
            m.add(sum(lit for lits in by_c.values() for lit in lits) == present)
            continue
        role_lits: dict[int, list[cp_model.IntVar]] = {k: [] for k in range(r.n_roles)}
        roles_of: dict[int, set[int]] = {}
        for o in pm.free_options(r):
            roles_of.setdefault(inst.tours[o.tour].consultant, set()).update(o.roles)
        for c, ks in roles_of.items():
            cid = inst.scenario.consultants[c].id
            lits = []
            for k in sorted(ks):
                lit = m.new_bool_var(f"role[{r.request.id},{k},{cid}]")
                pm.role[ri, k, c] = lit
                role_lits[k].append(lit)
                lits.append(lit)
            m.add(sum(lits) == sum(by_c[c]))
        for k in range(r.n_roles):
            m.add(sum(role_lits[k]) == present)


# Reasons -------------------------------------------------------------------------


def reason_missing(missing: list[str]) -> Message:
    """No consultant has these skills at all."""
    return Message("skill_missing", skills=words.skills(missing))


def reason_not_together(role: frozenset[str]) -> Message:
    """Each skill is someone's, but no consultant has all of them."""
    return Message("skills_not_together", skills=words.skills(role))


TEXTS: dict[str, tuple[str, str]] = {
    "skill_missing": (
        "no consultant has {skills}",
        "geen consultant heeft de {skills}",
    ),
    "skills_not_together": (
        "no consultant has all of the {skills}",
        "geen consultant heeft alle {skills}",
    ),
    # the checker's violations of the rule (matcher/checker.py names the codes)
    "check_unknown_consultant": (
        "{visit}: consultant {consultant} does not exist",
        "{visit}: consultant {consultant} bestaat niet",
    ),
    "check_consultant_twice": (
        "{visit}: a consultant is named twice",
        "{visit}: een consultant staat er twee keer in",
    ),
    "check_role_count": (
        "{visit}: {n} consultant(s) for {roles} role(s)",
        "{visit}: {n} consultant(s) voor {roles} rol(len)",
    ),
    "check_skills": (
        "{visit}: the consultants do not have the skills of the roles",
        "{visit}: de consultants hebben niet de vaardigheden van de rollen",
    ),
}
"""The English and Dutch texts of the rule's message codes (code -> (en, nl))."""


RULE = Rule(
    "skills",
    texts=TEXTS,
    add=add,
)
