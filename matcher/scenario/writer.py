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

from matcher.scenario.domain import FORMAT_VERSION, Provider, Scenario, Weights, Window, format_time

_TIME_LIKE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


class _QuotingDumper(yaml.SafeDumper):
    """Safe dumper that always double-quotes ``HH:MM`` strings (see FORMAT.md)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _TIME_LIKE.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotingDumper.add_representer(str, _represent_str)


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


def scenario_to_dict(scenario: Scenario, *, matrix_file: str | None = None) -> dict[str, Any]:
    """The scenario as a FORMAT.md version 1 document (plain JSON-ready data).

    Parameters
    ----------
    matrix_file
        Where ``travel.matrix`` should point (relative to the document) when the scenario
        has travel overrides; without it, overrides are left out.
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
    doc["consultants"] = []
    for c in s.consultants:
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
        cd["unavailable"] = [
            {"date": u.date.isoformat(), "start": format_time(u.start), "end": format_time(u.end)}
            for u in c.unavailable
        ]
        doc["consultants"].append(cd)
    doc["locations"] = []
    for loc in s.locations:
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
        ld["confidential"] = loc.confidential
        if loc.open is not None:
            ld["open"] = [_window(o) for o in loc.open]
        if loc.contact is not None:
            ld["contact"] = {"name": loc.contact.name, "email": loc.contact.email}
        doc["locations"].append(ld)
    doc["youths"] = []
    for y in s.youths:
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
        doc["youths"].append(yd)
    doc["requests"] = []
    for r in s.requests:
        rd: dict[str, Any] = {"id": r.id, "youth": r.youth}
        rd["roles"] = [sorted(role) for role in r.roles]
        rd["duration_minutes"] = r.duration_minutes
        rd["earliest"] = r.earliest.isoformat()
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
        doc["requests"].append(rd)
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
    body = yaml.dump(doc, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + body


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
