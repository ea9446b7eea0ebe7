"""Writing a :class:`~matcher.scenario.domain.Scenario` back to a FORMAT.md document (YAML or JSON).

Everything is written explicitly (defaults included), times as quoted ``"HH:MM"`` strings, so
that any YAML 1.1 or 1.2 parser reads the file back as written. ``load(write(s)) == s``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from matcher.scenario.domain import (
    DAY_MINUTES,
    FORMAT_VERSION,
    Consultant,
    Location,
    Provider,
    Request,
    Scenario,
    Unavailability,
    Weights,
    Window,
    Youth,
    format_time,
)

_TIME_LIKE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _window(w: Window) -> dict[str, Any]:
    key: dict[str, Any] = {"date": w.date.isoformat()} if w.date else {"weekday": w.weekday}
    return {**key, "start": format_time(w.start), "end": format_time(w.end)}


def _week_days(week: str) -> tuple[dt.date, ...]:
    year, num = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(num), 1)
    return tuple(monday + dt.timedelta(days=i) for i in range(5))


def _provider(p: Provider) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "name": p.name}
    if p.hourly_rate is not None:
        out["hourly_rate"] = p.hourly_rate
    if p.km_rate is not None:
        out["km_rate"] = p.km_rate
    return out


def scenario_to_dict(
    scenario: Scenario, *, matrix_file: str | None = None, compact: bool = False
) -> dict[str, Any]:
    """The scenario as a FORMAT.md version 1 document (plain JSON-ready data).

    Parameters
    ----------
    matrix_file
        Where ``travel.matrix`` should point (relative to the document) when the scenario
        has travel overrides; without it, overrides are left out.
    compact
        Leave out what the loader fills in anyway (the generator's documents): an empty
        ``unavailable`` list, the times of a whole unavailable day, ``confidential: true``,
        an ``earliest``/``latest`` on the first/last planning day; a single role is written
        as ``skills``. By default every field is written.
    """
    s = scenario
    doc: dict[str, Any] = {"format": FORMAT_VERSION, "name": s.name}
    if s.week is not None:
        doc["week"] = s.week
    if s.week is None or _week_days(s.week) != s.days:
        doc["days"] = [d.isoformat() for d in s.days]
    doc["timezone"] = s.timezone
    travel: dict[str, Any] = {
        "speed_kmh": s.travel.speed_kmh,
        "detour_factor": s.travel.detour_factor,
    }
    if s.travel.overrides and matrix_file:
        travel["matrix"] = matrix_file
    doc["travel"] = travel
    w = s.weights
    doc["weights"] = {
        "travel_minute": w.travel_minute,
        "waiting_day": w.waiting_day,
        "continuity": w.continuity,
        "unassigned": w.unassigned,
    }
    if w.change != Weights().change or s.published:
        doc["weights"]["change"] = w.change
    doc["urgency_factors"] = dict(s.urgency_factors)
    doc["providers"] = [_provider(p) for p in s.providers]
    doc["consultants"] = [_consultant(c, compact) for c in s.consultants]
    doc["locations"] = [_location(loc, compact) for loc in s.locations]
    doc["youths"] = [_youth(y) for y in s.youths]
    doc["requests"] = [_request(r, s.days, compact) for r in s.requests]
    if s.now is not None:
        doc["now"] = s.now.strftime("%Y-%m-%dT%H:%M")
    if s.published:
        doc["published"] = [
            {
                "request": p.request,
                "date": p.date.isoformat(),
                "start": format_time(p.start),
                "consultants": list(p.consultants),
            }
            for p in s.published
        ]
    return doc


def _unavailability(u: Unavailability, compact: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"date": u.date.isoformat()}
    if not compact or (u.start, u.end) != (0, DAY_MINUTES):
        out["start"], out["end"] = format_time(u.start), format_time(u.end)
    return out


def _consultant(c: Consultant, compact: bool) -> dict[str, Any]:
    cd: dict[str, Any] = {
        "id": c.id,
        "provider": c.provider,
        "name": c.name,
        "email": c.email,
        "base": {"lat": c.base.lat, "lon": c.base.lon},
        "skills": sorted(c.skills),
    }
    if c.max_visits_per_day is not None:
        cd["max_visits_per_day"] = c.max_visits_per_day
    if c.max_visits_per_week is not None:
        cd["max_visits_per_week"] = c.max_visits_per_week
    cd["availability"] = [_window(a) for a in c.availability]
    if c.unavailable or not compact:
        cd["unavailable"] = [_unavailability(u, compact) for u in c.unavailable]
    return cd


def _location(loc: Location, compact: bool) -> dict[str, Any]:
    ld: dict[str, Any] = {
        "id": loc.id,
        "name": loc.name,
        "kind": loc.kind,
        "gemeente": loc.gemeente,
        "lat": loc.lat,
        "lon": loc.lon,
    }
    if loc.address is not None:
        ld["address"] = loc.address
    if not compact or not loc.confidential:
        ld["confidential"] = loc.confidential
    if loc.open is not None:
        ld["open"] = [_window(o) for o in loc.open]
    if loc.contact is not None:
        ld["contact"] = {"name": loc.contact.name, "email": loc.contact.email}
    return ld


def _youth(y: Youth) -> dict[str, Any]:
    yd: dict[str, Any] = {
        "id": y.id,
        "location": y.location,
        "gemeente": y.gemeente,
        "signalled_on": y.signalled_on.isoformat(),
        "urgency": y.urgency,
    }
    if y.previous_consultant is not None:
        yd["previous_consultant"] = y.previous_consultant
    if y.excluded_consultants:
        yd["excluded_consultants"] = sorted(y.excluded_consultants)
    return yd


def _request(r: Request, days: tuple[dt.date, ...], compact: bool) -> dict[str, Any]:
    rd: dict[str, Any] = {"id": r.id, "youth": r.youth}
    if compact and len(r.roles) == 1:
        rd["skills"] = sorted(r.roles[0])
    else:
        rd["roles"] = [sorted(role) for role in r.roles]
    rd["duration_minutes"] = r.duration_minutes
    if not compact or r.earliest != days[0]:
        rd["earliest"] = r.earliest.isoformat()
    if not compact or r.latest != days[-1]:
        rd["latest"] = r.latest.isoformat()
    if r.time_of_day is not None:
        rd["time_of_day"] = {
            "start": format_time(r.time_of_day.start),
            "end": format_time(r.time_of_day.end),
        }
    if r.pinned is not None:
        pd: dict[str, Any] = {"consultants": list(r.pinned.consultants)}
        if r.pinned.date is not None:
            pd["date"] = r.pinned.date.isoformat()
        if r.pinned.start is not None:
            pd["start"] = format_time(r.pinned.start)
        rd["pinned"] = pd
    return rd


# YAML text ----------------------------------------------------------------------------


class _Flow(dict[str, Any]):
    """A mapping written in YAML flow style (``{a: 1, b: 2}``)."""


class _FlowList(list[Any]):
    """A sequence written in YAML flow style (``[a, b]``)."""


_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available


class _Dumper(_BaseDumper):
    """Safe dumper that double-quotes every time and date and keeps key order."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _TIME_LIKE.match(value) or _DATE_LIKE.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


def _represent_flow_map(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_block_map(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


def _represent_block_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow_map)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(dict, _represent_block_map)
_Dumper.add_representer(list, _represent_block_list)


def _flow_len(obj: Any) -> int:
    """Rough length of ``obj`` written in flow style on one line."""
    if isinstance(obj, dict):
        return 2 + sum(len(str(k)) + 2 + _flow_len(v) + 2 for k, v in obj.items())
    if isinstance(obj, list):
        return 2 + sum(_flow_len(v) + 2 for v in obj)
    return len(str(obj)) + 2


def _styled(obj: Any, room: int) -> Any:
    """Mark collections that fit in ``room`` characters as flow style, the rest as block."""
    if isinstance(obj, dict | list):
        if _flow_len(obj) <= room:
            return _Flow(obj) if isinstance(obj, dict) else _FlowList(obj)
        if isinstance(obj, dict):
            return {k: _styled(v, room - 2) for k, v in obj.items()}
        return [_styled(v, room - 4) for v in obj]
    return obj


def scenario_yaml_text(doc: dict[str, Any], header: str = "") -> str:
    """The YAML text of a scenario document, with ``header`` as a leading comment block."""
    body = {k: _styled(v, 136) for k, v in doc.items()}
    text = yaml.dump(
        body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, indent=2
    )
    comment = (
        "".join(f"# {line}".rstrip() + "\n" for line in header.strip("\n").splitlines())
        if header.strip()
        else ""
    )
    return comment + text


def write_scenario_yaml(doc: dict[str, Any], path: Path | str, header: str) -> None:
    """Write a scenario document as YAML with a leading ``# comment`` header.

    Times (``HH:MM``) and dates are written as double-quoted strings, so no YAML 1.1
    parser can read a time as a base-60 number. Small mappings and lists are written in
    flow style on one line, larger ones as blocks.
    """
    Path(path).write_text(scenario_yaml_text(doc, header), encoding="utf-8")


def write_scenario_json(doc: dict[str, Any], path: Path | str) -> None:
    """Write a scenario document as indented UTF-8 JSON."""
    Path(path).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def overrides_csv(scenario: Scenario) -> str:
    """The travel overrides as ``from,to,minutes`` CSV text."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["from", "to", "minutes"])
    out.writerows(scenario.travel.overrides)
    return buf.getvalue()


def dump_scenario(
    scenario: Scenario,
    *,
    json_format: bool = False,
    header: str = "",
    matrix_file: str | None = None,
) -> str:
    """The scenario document as YAML (default) or JSON text."""
    doc = scenario_to_dict(scenario, matrix_file=matrix_file)
    if json_format:
        return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    return scenario_yaml_text(doc, header)


def write_scenario(scenario: Scenario, path: Path | str, *, header: str = "") -> list[Path]:
    """Write the scenario to ``path`` (JSON for ``.json``, else YAML).

    Travel overrides go to a CSV beside it (``<stem>.travel.csv``), referenced by
    ``travel.matrix``. Returns the files written.
    """
    p = Path(path)
    written = [p]
    matrix_file = None
    if scenario.travel.overrides:
        csv_path = p.with_name(p.stem + ".travel.csv")
        csv_path.write_text(overrides_csv(scenario), encoding="utf-8")
        matrix_file = csv_path.name
        written.append(csv_path)
    text = dump_scenario(
        scenario, json_format=p.suffix.lower() == ".json", header=header, matrix_file=matrix_file
    )
    p.write_text(text, encoding="utf-8")
    return written
