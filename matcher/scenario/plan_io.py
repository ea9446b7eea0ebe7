"""Reading and writing plan documents (the JSON ``Plan`` of ``FORMAT.md``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from matcher.scenario.domain import FORMAT_VERSION, Plan, SolverInfo, Unassigned, Visit, format_time

PLAN_KEYS = ("format", "scenario", "solver", "visits", "unassigned", "kpis")


class PlanFormatError(ValueError):
    """A plan document does not follow the format; ``problems`` lists every issue."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def visit_to_dict(v: Visit) -> dict[str, Any]:
    return {
        "request": v.request,
        "youth": v.youth,
        "location": v.location,
        "consultants": list(v.consultants),
        "date": v.date.isoformat(),
        "start": format_time(v.start),
        "end": format_time(v.end),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready dict, keys in the order of ``FORMAT.md``."""
    doc: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "scenario": plan.scenario,
        "solver": {
            "status": plan.solver.status,
            "objective": plan.solver.objective,
            "bound": plan.solver.bound,
            "seconds": round(plan.solver.seconds, 3),
        },
        "visits": [visit_to_dict(v) for v in plan.visits],
        "unassigned": [{"request": u.request, "reasons": list(u.reasons)} for u in plan.unassigned],
        "kpis": dict(plan.kpis),
    }
    for key, value in plan.extra.items():
        doc.setdefault(key, value)
    return doc


def write_plan(plan: Plan, path: Path | str) -> None:
    """Write ``plan`` as indented JSON (UTF-8)."""
    Path(path).write_text(
        json.dumps(plan_to_dict(plan), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _minutes(value: Any, where: str, problems: list[str]) -> int:
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        hh, mm = value[:2], value[3:]
        if hh.isdigit() and mm.isdigit() and int(hh) <= 24 and int(mm) < 60:
            total = int(hh) * 60 + int(mm)
            if total <= 24 * 60:
                return total
    problems.append(f'{where}: {value!r} is not a time; allowed: "HH:MM"')
    return 0


def plan_from_dict(doc: Any, source: str = "<plan>") -> Plan:
    """Build a :class:`Plan` from a parsed plan document; raise :class:`PlanFormatError`."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise PlanFormatError(source, ["the document is not a JSON object"])
    for key in ("scenario", "visits", "unassigned"):
        if key not in doc:
            problems.append(f"{key}: missing; required")
    solver_doc = doc.get("solver") or {}
    if not isinstance(solver_doc, dict):
        problems.append(f"solver: {solver_doc!r} is not an object")
        solver_doc = {}
    visits: list[Visit] = []
    raw_visits = doc.get("visits") or []
    if not isinstance(raw_visits, list):
        problems.append("visits: not a list")
        raw_visits = []
    for i, v in enumerate(raw_visits):
        where = f"visits[{i}]"
        if not isinstance(v, dict):
            problems.append(f"{where}: not an object")
            continue
        missing = [k for k in ("request", "consultants", "date", "start", "end") if k not in v]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        try:
            day = dt.date.fromisoformat(str(v["date"]))
        except ValueError:
            problems.append(f"{where}.date: {v['date']!r} is not a date; allowed: YYYY-MM-DD")
            continue
        consultants = v["consultants"]
        if not isinstance(consultants, list) or not all(isinstance(c, str) for c in consultants):
            problems.append(f"{where}.consultants: {consultants!r} is not a list of ids")
            continue
        visits.append(
            Visit(
                request=str(v["request"]),
                youth=str(v.get("youth", "")),
                location=str(v.get("location", "")),
                consultants=tuple(consultants),
                date=day,
                start=_minutes(v["start"], f"{where}.start", problems),
                end=_minutes(v["end"], f"{where}.end", problems),
            )
        )
    unassigned: list[Unassigned] = []
    raw_unassigned = doc.get("unassigned") or []
    if not isinstance(raw_unassigned, list):
        problems.append("unassigned: not a list")
        raw_unassigned = []
    for i, u in enumerate(raw_unassigned):
        if not isinstance(u, dict) or "request" not in u:
            problems.append(f"unassigned[{i}]: not an object with a 'request'")
            continue
        reasons = u.get("reasons") or []
        unassigned.append(Unassigned(str(u["request"]), tuple(str(r) for r in reasons)))
    if problems:
        raise PlanFormatError(source, problems)
    objective = solver_doc.get("objective")
    bound = solver_doc.get("bound")
    return Plan(
        scenario=str(doc.get("scenario", "")),
        solver=SolverInfo(
            status=str(solver_doc.get("status", "unknown")),
            objective=int(objective) if isinstance(objective, int | float) else None,
            bound=int(bound) if isinstance(bound, int | float) else None,
            seconds=float(solver_doc.get("seconds", 0.0) or 0.0),
        ),
        visits=tuple(visits),
        unassigned=tuple(unassigned),
        kpis=dict(doc.get("kpis") or {}),
        extra={k: v for k, v in doc.items() if k not in PLAN_KEYS},
    )


def read_plan(path: Path | str) -> Plan:
    """Read a plan JSON file; raise :class:`PlanFormatError` naming the file on any problem."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFormatError(str(p), ["file not found"]) from None
    except json.JSONDecodeError as exc:
        raise PlanFormatError(
            str(p), [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    return plan_from_dict(doc, str(p))
