"""Tables, tours and chart data of a plan, as the planning app shows them.

Everything is computed from the scenario and the plan's visits (tours are grouped per
consultant and availability window, in start order, like the checker does), and returned
as pandas frames ready for ``st.dataframe`` and the charts of :mod:`matcher.app.charts`.

Privacy: youths appear by case code only; an address is shown as the role may see it
(:func:`matcher.storage.round_state.address_text`), and on maps a confidential location is shown
to anyone but the ketenregisseur only at its gemeente's point
(:func:`matcher.security.principal.gemeente_point`). The map's base layer (:func:`base_places`) is
read from the project's own ``data/`` files.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from matcher.explain.nl import reasons_nl, with_messages
from matcher.explain.plan_tours import (
    PALETTE,
    Leg,
    TourRun,
    _location_of_visit,
    base_places,
    consultant_colors,
    consultant_label,
    roles_text,
    tour_runs,
    visit_label,
)
from matcher.messages.nl import nl_day, urgency_label
from matcher.scenario.domain import Plan, Scenario, format_time, tours_of
from matcher.security.principal import gemeente_point
from matcher.storage.round_state import PLANNER, address_text
from matcher.travel import TravelMatrix

__all__ = [
    "PALETTE",
    "Leg",
    "MapData",
    "TourRun",
    "availability_grid",
    "base_places",
    "consultant_colors",
    "consultant_label",
    "gantt_frame",
    "map_data",
    "roles_text",
    "tour_runs",
    "unassigned_frame",
    "visit_label",
    "visits_frame",
]


# Tables -------------------------------------------------------------------------------------


def visits_frame(
    scenario: Scenario, plan: Plan, role: str = PLANNER, locked: Collection[str] = ()
) -> pd.DataFrame:
    """The plan's visits as a table (one row per visit, in date and time order)."""
    rows = []
    for v in sorted(plan.visits, key=lambda v: (v.date, v.start, v.request)):
        try:
            req = scenario.request(v.request)
            youth = scenario.youth(req.youth)
            loc = scenario.location(youth.location)
        except KeyError:
            rows.append(
                {
                    "Dag": nl_day(v.date),
                    "Begin": format_time(v.start),
                    "Eind": format_time(v.end),
                    "Aanvraag": v.request,
                    "Casuscode": v.youth,
                    "Urgentie": "",
                    "Locatie": v.location,
                    "Gemeente": "",
                    "Adres": "",
                    "Consultants": ", ".join(v.consultants),
                    "Rollen": "",
                    "Vergrendeld": v.request in locked,
                    "Datum": v.date,
                }
            )
            continue
        rows.append(
            {
                "Dag": nl_day(v.date),
                "Begin": format_time(v.start),
                "Eind": format_time(v.end),
                "Aanvraag": v.request,
                "Casuscode": youth.id,
                "Urgentie": urgency_label(youth.urgency),
                "Locatie": loc.name,
                "Gemeente": loc.gemeente,
                "Adres": address_text(loc, role),
                "Consultants": ", ".join(consultant_label(scenario, c) for c in v.consultants),
                "Rollen": roles_text(req.roles),
                "Vergrendeld": v.request in locked,
                "Datum": v.date,
            }
        )
    columns = [
        "Dag",
        "Begin",
        "Eind",
        "Aanvraag",
        "Casuscode",
        "Urgentie",
        "Locatie",
        "Gemeente",
        "Adres",
        "Consultants",
        "Rollen",
        "Vergrendeld",
        "Datum",
    ]
    return pd.DataFrame(rows, columns=columns)


def unassigned_frame(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The plan's unassigned requests with their reasons (Dutch), most urgent first."""
    rows = []
    for u in with_messages(scenario, plan).unassigned:
        try:
            req = scenario.request(u.request)
            youth = scenario.youth(req.youth)
            loc = scenario.location(youth.location)
            factor = scenario.urgency_factors.get(youth.urgency, 0)
            rows.append(
                {
                    "Aanvraag": u.request,
                    "Casuscode": youth.id,
                    "Urgentie": urgency_label(youth.urgency),
                    "Locatie": f"{loc.name} ({loc.gemeente})",
                    "Rollen": roles_text(req.roles),
                    "Duur (min)": req.duration_minutes,
                    "Redenen": "; ".join(reasons_nl(u.reasons)),
                    "_factor": factor,
                }
            )
        except KeyError:
            rows.append(
                {
                    "Aanvraag": u.request,
                    "Casuscode": "",
                    "Urgentie": "",
                    "Locatie": "",
                    "Rollen": "",
                    "Duur (min)": 0,
                    "Redenen": "; ".join(reasons_nl(u.reasons)),
                    "_factor": 0,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "Aanvraag",
            "Casuscode",
            "Urgentie",
            "Locatie",
            "Rollen",
            "Duur (min)",
            "Redenen",
            "_factor",
        ],
    )
    frame = frame.sort_values(["_factor", "Aanvraag"], ascending=[False, True], kind="stable")
    return frame.drop(columns="_factor").reset_index(drop=True)


# Gantt ----------------------------------------------------------------------------------


def gantt_frame(
    scenario: Scenario,
    plan: Plan,
    travel: TravelMatrix,
    consultants: Sequence[str],
    locked: Collection[str] = (),
    broken: Collection[str] = (),
) -> pd.DataFrame:
    """Bars of a week calendar per consultant: availability, visits and drives.

    Columns: ``consultant`` (label), ``consultant_id``, ``date``, ``dag``, ``soort``
    (``beschikbaar``, ``bezoek``, ``reistijd``), ``start``/``eind`` (hours as floats),
    ``van``/``tot`` (``HH:MM``), ``omschrijving``, ``vergrendeld`` and ``vervallen`` (a
    visit of a request in ``broken``: the data no longer allow it, e.g. an absence).
    (About 100 lines: availability, visits and drives are three kinds of rows of one
    table, built in one pass per consultant and day.)
    """
    rows: list[dict[str, object]] = []
    wanted = set(consultants)
    order = {cid: i for i, cid in enumerate(consultants)}

    def add(
        cid: str,
        day: dt.date,
        kind: str,
        start: int,
        end: int,
        text: str,
        lock: bool,
        gone: bool = False,
    ) -> None:
        rows.append(
            {
                "consultant": consultant_label(scenario, cid),
                "consultant_id": cid,
                "volgorde": order.get(cid, len(order)),
                "date": day,
                "dag": nl_day(day),
                "soort": kind,
                "start": start / 60.0,
                "eind": end / 60.0,
                "van": format_time(max(start, 0)),
                "tot": format_time(min(end, 24 * 60)),
                "omschrijving": text,
                "vergrendeld": lock,
                "vervallen": gone,
            }
        )

    for c in scenario.consultants:
        if c.id not in wanted:
            continue
        for t in tours_of(c, scenario.days):
            add(c.id, t.date, "beschikbaar", t.start, t.end, "beschikbaar", False)
    names = {loc.id: loc.name for loc in scenario.locations}
    for run in tour_runs(scenario, plan.visits, travel, wanted):
        for v in run.visits:
            where = names.get(_location_of_visit(scenario, v), v.location)
            add(
                run.consultant,
                run.date,
                "bezoek",
                v.start,
                v.end,
                f"{v.request} · {v.youth} · {where}"
                + (" · past niet meer (bijv. afwezig)" if v.request in broken else ""),
                v.request in locked,
                v.request in broken,
            )
        for leg in run.legs:
            if leg.minutes <= 0:
                continue
            a = "basis" if leg.from_point.startswith("base:") else names.get(leg.from_point, "")
            b = "basis" if leg.to_point.startswith("base:") else names.get(leg.to_point, "")
            add(
                run.consultant,
                run.date,
                "reistijd",
                leg.depart,
                leg.arrive,
                f"{leg.minutes} min: {a} → {b}",
                False,
            )
    columns = [
        "consultant",
        "consultant_id",
        "volgorde",
        "date",
        "dag",
        "soort",
        "start",
        "eind",
        "van",
        "tot",
        "omschrijving",
        "vergrendeld",
        "vervallen",
    ]
    return pd.DataFrame(rows, columns=columns)


# Map ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapData:
    """What a map of one day shows.

    Attributes
    ----------
    points
        ``lat``, ``lon``, ``naam``, ``soort`` (``locatie``/``basis``), ``kleur`` (RGB list),
        ``consultant``.
    paths
        One row per tour: ``consultant``, ``pad`` (list of ``[lon, lat]``), ``kleur``,
        ``omschrijving``.
    lines
        The same tours as ordered points (``consultant``, ``volgorde``, ``lat``, ``lon``,
        ``tour``) for a plain line chart.
    """

    points: pd.DataFrame
    paths: pd.DataFrame
    lines: pd.DataFrame
    places: pd.DataFrame
    """The base layer: towns around the tours (:func:`base_places`)."""

    @property
    def empty(self) -> bool:
        return self.paths.empty

    def view(self, width: int = 800, height: int = 520) -> tuple[float, float, float]:
        """Centre latitude, longitude and a web-Mercator zoom level that fits every point
        in a ``width`` x ``height`` pixel map."""
        if self.points.empty:
            return 51.2, 5.9, 8.0
        lat0, lat1 = float(self.points["lat"].min()), float(self.points["lat"].max())
        lon0, lon1 = float(self.points["lon"].min()), float(self.points["lon"].max())
        centre = (lat0 + lat1) / 2
        stretch = 1.0 / max(
            0.2, math.cos(math.radians(centre))
        )  # Mercator: degrees of latitude are taller
        span_lat = max(lat1 - lat0, 0.01) * stretch
        span_lon = max(lon1 - lon0, 0.01)
        # at zoom z the world is 256 * 2**z pixels wide for 360 degrees
        fit = min(height * 360.0 / (256.0 * span_lat), width * 360.0 / (256.0 * span_lon))
        zoom = max(5.0, min(13.0, math.log2(fit) - 0.35))
        return centre, (lon0 + lon1) / 2, zoom


def map_data(
    scenario: Scenario,
    plan: Plan,
    travel: TravelMatrix,
    day: dt.date,
    consultants: Collection[str],
    role: str = PLANNER,
) -> MapData:
    """The tours of ``day`` for the given consultants: points, paths and line data.

    (About 90 lines: the points, paths and legs of one day share the privacy rule of
    :func:`where`, kept in one place.)
    """
    colors = consultant_colors(scenario)
    locs = {loc.id: loc for loc in scenario.locations}

    def where(point: str) -> tuple[float, float, str, str]:
        if point.startswith("base:"):
            c = scenario.consultant(point[5:])
            return c.base.lat, c.base.lon, f"basis {c.id}", "basis"
        loc = locs[point]
        if role != PLANNER and loc.confidential:
            lat, lon = gemeente_point(loc.gemeente, loc.lat, loc.lon)
            return lat, lon, f"{loc.name} (gemeente {loc.gemeente})", "locatie"
        return loc.lat, loc.lon, f"{loc.name} ({loc.gemeente})", "locatie"

    points: dict[tuple[str, str], dict[str, object]] = {}
    paths: list[dict[str, object]] = []
    lines: list[dict[str, object]] = []
    day_visits = [v for v in plan.visits if v.date == day]
    for n, run in enumerate(tour_runs(scenario, day_visits, travel, consultants)):
        color = list(colors.get(run.consultant, PALETTE[0]))
        route = [run.legs[0].from_point, *(leg.to_point for leg in run.legs)]
        coords = []
        for k, point in enumerate(route):
            lat, lon, name, kind = where(point)
            coords.append([lon, lat])
            lines.append(
                {
                    "consultant": run.consultant,
                    "kleur": "#{:02x}{:02x}{:02x}".format(*color),
                    "tour": n,
                    "volgorde": k,
                    "lat": lat,
                    "lon": lon,
                    "naam": name,
                }
            )
            key = (point, run.consultant if kind == "basis" else "")
            points.setdefault(
                key,
                {
                    "lat": lat,
                    "lon": lon,
                    "naam": name,
                    "soort": kind,
                    "kleur": color if kind == "basis" else [40, 40, 40],
                    "consultant": run.consultant if kind == "basis" else "",
                },
            )
        stops = ", ".join(v.request for v in run.visits)
        paths.append(
            {
                "consultant": run.consultant,
                "pad": coords,
                "kleur": color,
                "omschrijving": f"{consultant_label(scenario, run.consultant)}: {stops} "
                f"({run.travel_minutes} min reistijd)",
            }
        )
    point_frame = pd.DataFrame(
        list(points.values()), columns=["lat", "lon", "naam", "soort", "kleur", "consultant"]
    )
    if point_frame.empty:
        places = base_places(50.75, 51.78, 5.56, 6.23, margin=0)  # Limburg
    else:
        places = base_places(
            float(point_frame["lat"].min()),
            float(point_frame["lat"].max()),
            float(point_frame["lon"].min()),
            float(point_frame["lon"].max()),
        )
    return MapData(
        points=point_frame,
        places=places,
        paths=pd.DataFrame(paths, columns=["consultant", "pad", "kleur", "omschrijving"]),
        lines=pd.DataFrame(
            lines, columns=["consultant", "kleur", "tour", "volgorde", "lat", "lon", "naam"]
        ),
    )


def availability_grid(scenario: Scenario, consultants: Sequence[str]) -> pd.DataFrame:
    """The week at a glance: per consultant, per planning day, the tour windows (after
    unavailability) as ``08:30–12:00, 13:00–17:00``; ``afwezig`` when unavailability removed
    every window of that day, ``—`` when there was none."""
    wanted = set(consultants)
    rows = []
    for c in scenario.consultants:
        if c.id not in wanted:
            continue
        row: dict[str, object] = {"Consultant": consultant_label(scenario, c.id)}
        for day in scenario.days:
            tours = tours_of(c, [day])
            plain = any(w.applies_to(day) for w in c.availability)
            if tours:
                row[nl_day(day)] = ", ".join(
                    f"{format_time(t.start)}–{format_time(t.end)}" for t in tours
                )
            else:
                row[nl_day(day)] = "afwezig" if plain else "—"
        rows.append(row)
    return pd.DataFrame(rows, columns=["Consultant", *(nl_day(d) for d in scenario.days)])
