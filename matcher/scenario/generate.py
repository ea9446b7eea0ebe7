"""Seeded generator of realistic scenarios (``FORMAT.md`` version 1).

:func:`generate_scenario` builds a plain scenario document (a ``dict`` with dates as
``"YYYY-MM-DD"`` and times as ``"HH:MM"`` strings) for a planning week: consultants of
Fier, Xonar and SJSJ with skills, part-time patterns, sick days and caps; care locations of
every kind spread over the municipalities of a region; youths with pseudonymous case codes;
requests with skills or joint roles, date ranges, school-hours windows and a few pins.

Every request is built around a *witness*: a consultant (two distinct ones for a joint
visit) who has the skills, is not excluded, and has a tour on a day in the request's range
in which the visit fits with the drive from and back to the base, inside the location's
opening hours and the request's ``time_of_day``. So each request is feasible on its own;
pins use their witness and are therefore feasible too (each consultant is pinned at most
once). The same seed and arguments always give the identical document.

:func:`write_scenario_yaml` writes a document as readable YAML with every time and date
quoted and a leading comment block (it lives in :mod:`matcher.scenario.writer`, which also
builds the document); :func:`main_generate` is the ``matcher generate`` entry. The run itself
is :mod:`matcher.scenario.generator` (requests, output) on top of
:mod:`matcher.scenario.generator_people` (consultants, locations, youths), with the reference
data in :mod:`matcher.scenario.generator_data`.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matcher.resources import DATA_DIR as DATA_DIR  # callers import it from here
from matcher.scenario.generator import _Generator
from matcher.scenario.generator_data import (
    DEMO_RATES,
    REGIONS,
    Municipality,
    load_municipalities,
)
from matcher.scenario.writer import (
    scenario_to_dict,
    scenario_yaml_text,
    write_scenario_json,
    write_scenario_yaml,
)

__all__ = [
    "DEMO_RATES",
    "REGIONS",
    "Municipality",
    "describe",
    "generate_scenario",
    "load_municipalities",
    "main_generate",
    "scenario_yaml_text",
    "write_scenario_json",
    "write_scenario_yaml",
]


def generate_scenario(
    seed: int,
    n_requests: int,
    n_consultants: int,
    region: str = "limburg",
    *,
    week: str = "2026-W49",
    joint_share: float = 0.1,
    pin_share: float = 0.03,
    weekly_caps: bool = True,
    part_time_share: float = 0.35,
    week_cap_per_day: tuple[float, float] = (1.8, 2.8),
    capped_share: float = 0.85,
    youths_per_request: float = 0.8,
    name: str | None = None,
    rates: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> dict[str, Any]:
    """Generate a realistic, seeded scenario document (``FORMAT.md`` version 1).

    Parameters
    ----------
    seed
        Seed of the random stream; the same arguments always give the identical document.
    n_requests, n_consultants
        Exact numbers of requests and consultants (consultants are spread round-robin over
        Fier, Xonar and SJSJ).
    region
        ``"limburg"`` (31 municipalities) or ``"nl"`` (larger towns of all provinces).
    week
        ISO week ``YYYY-Www``; the planning days are its Monday to Friday.
    joint_share
        Share of requests made joint visits (two roles); ``0`` for none.
    pin_share
        Share of requests given a (feasible) pin; ``0`` for none.
    weekly_caps
        Whether consultants get ``max_visits_per_week``.
    part_time_share
        Share of consultants working three or four days.
    week_cap_per_day
        ``max_visits_per_week`` is the number of working days times a uniform draw from
        this range; lower values make the week tighter.
    capped_share
        Share of consultants with a ``max_visits_per_day`` (and, with ``weekly_caps``, a
        ``max_visits_per_week``); the others are unlimited.
    youths_per_request
        Number of youths as a share of the requests (the rest are second visits).
    name
        Scenario name; a Dutch default naming the region, week and seed.
    rates
        Per provider id its ``(hourly_rate, km_rate)`` in euros (``None``: not set), for
        cost reports (:data:`DEMO_RATES` are the shipped ones); not given: no rates. Rates
        never enter the objective and draw nothing from the random stream, so they leave
        the rest of the document unchanged.

    Returns
    -------
    dict
        A plain document: dates ``"YYYY-MM-DD"``, times ``"HH:MM"``.
    """
    if n_requests < 0 or n_consultants < 1:
        raise ValueError("need n_requests >= 0 and n_consultants >= 1")
    if not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise ValueError(f"week {week!r} is not an ISO week like 2026-W49")
    g = _Generator(
        seed,
        region,
        week,
        weekly_caps=weekly_caps,
        part_time_share=part_time_share,
        week_cap_per_day=week_cap_per_day,
        capped_share=capped_share,
    )
    g.make_consultants(n_consultants)
    n_youths = min(n_requests, max(1, round(n_requests * youths_per_request))) if n_requests else 0
    g.make_youths(n_youths, g.days[0])
    g.compute_travel()
    if n_requests:
        g.make_requests(n_requests, joint_share, pin_share)
    g.set_previous()
    if name is None:
        place = "Limburg" if region == "limburg" else "Nederland"
        name = f"{place} week {int(week[-2:])} (gegenereerd, seed {seed})"
    scenario = g.scenario(name, week)
    if rates:
        unknown = sorted(set(rates) - {p.id for p in scenario.providers})
        if unknown:
            raise ValueError(f"rates for unknown provider(s) {', '.join(unknown)}")
        scenario = dataclasses.replace(
            scenario,
            providers=tuple(
                dataclasses.replace(p, hourly_rate=rates[p.id][0], km_rate=rates[p.id][1])
                if p.id in rates
                else p
                for p in scenario.providers
            ),
        )
    return scenario_to_dict(scenario, compact=True)


def describe(doc: dict[str, Any]) -> str:
    """One line of counts of a scenario document."""
    reqs = doc["requests"]
    joint = sum(1 for r in reqs if "roles" in r and len(r["roles"]) > 1)
    pins = sum(1 for r in reqs if "pinned" in r)
    return (
        f"{len(doc['consultants'])} consultants, {len(doc['locations'])} locations, "
        f"{len(doc['youths'])} youths, {len(reqs)} requests ({joint} joint, {pins} pinned)"
    )


def main_generate(seed: int, requests: int, consultants: int, region: str, out: Path | str) -> int:
    """Entry point of ``matcher generate``: write a generated scenario to ``out``.

    The format follows the extension: ``.yaml``/``.yml`` or ``.json``.

    Returns
    -------
    int
        ``0`` on success, ``2`` on bad arguments.
    """
    path = Path(out)
    ext = path.suffix.lower()
    if ext not in (".yaml", ".yml", ".json"):
        print(f"error: --out {path}: use a .yaml, .yml or .json file name", file=sys.stderr)
        return 2
    try:
        doc = generate_scenario(seed, requests, consultants, region)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if ext == ".json":
        write_scenario_json(doc, path)
    else:
        header = (
            f"Generated scenario: {doc['name']}.\n"
            f"Region {region}, {describe(doc)}.\n"
            "All names, case codes, addresses and e-mail addresses are invented.\n"
            f"Regenerate: matcher generate --seed {seed} --requests {requests} "
            f"--consultants {consultants} --region {region} --out {path.name}"
        )
        write_scenario_yaml(doc, path, header)
    print(f"{path}: {describe(doc)}")
    return 0
