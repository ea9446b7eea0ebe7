"""Charts of the planning app: week calendar (Gantt), tour maps and utilisation bars.

Built with altair (bundled with Streamlit) from the frames of :mod:`matcher.explain.plan_views`
and :mod:`matcher.solver.kpis`. Nothing is fetched from another server: the map's base layer
(towns and their names) ships with the project, so no tile server learns where the
placements are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from matcher.explain.plan_views import MapData

__all__ = ["gantt_chart", "tour_map_chart", "utilisation_chart"]

KIND_COLORS = {
    "beschikbaar": "#e3efe3",
    "bezoek": "#2f6db5",
    "vergrendeld": "#0b2f5c",
    "vervallen": "#b3261e",
    "reistijd": "#e8912d",
}
KIND_LABELS = {
    "beschikbaar": "beschikbaar",
    "bezoek": "bezoek",
    "vergrendeld": "bezoek (vergrendeld)",
    "vervallen": "bezoek dat niet meer past",
    "reistijd": "reistijd",
}


def _hours_domain(frame: pd.DataFrame) -> list[float]:
    if frame.empty:
        return [8.0, 18.0]
    lo = math.floor(float(frame["start"].min()))
    hi = math.ceil(float(frame["eind"].max()))
    return [float(max(0, lo)), float(min(24, max(hi, lo + 1)))]


GANTT_DESCRIPTION = "Weekkalender: per consultant de werktijden, reistijden en bezoeken van de week"
"""The chart's accessible name (Vega writes it as the SVG's aria-label; WCAG 1.1.1)."""


def gantt_chart(
    frame: pd.DataFrame, days: Sequence[str] | None = None
) -> alt.LayerChart | alt.FacetChart:
    """A week calendar: one row per consultant, one column per day (``days`` in order).

    Availability is a pale band, visits are full-height bars (dark when locked), travel
    legs are thin orange bars between them. Tooltips give the details.
    """
    data = frame.copy()
    data["categorie"] = data["soort"]
    data.loc[(data["soort"] == "bezoek") & data["vergrendeld"].astype(bool), "categorie"] = (
        "vergrendeld"
    )
    if "vervallen" in data:
        data.loc[(data["soort"] == "bezoek") & data["vervallen"].astype(bool), "categorie"] = (
            "vervallen"
        )
    data["legenda"] = data["categorie"].map(KIND_LABELS)
    consultants = (
        data.sort_values(["volgorde", "consultant"])["consultant"].drop_duplicates().tolist()
    )
    domain = _hours_domain(data[data["soort"] != "beschikbaar"] if len(data) else data)
    domain = [min(domain[0], _hours_domain(data)[0]), max(domain[1], _hours_domain(data)[1])]
    x = alt.X(
        "start:Q",
        title=None,
        scale=alt.Scale(domain=domain, nice=False),
        axis=alt.Axis(values=list(range(int(domain[0]), int(domain[1]) + 1, 2)), format="d"),
    )
    y = alt.Y(
        "consultant:N",
        title=None,
        sort=consultants,
        axis=alt.Axis(labelLimit=170, labelOverlap=False),
    )
    color = alt.Color(
        "legenda:N",
        title=None,
        scale=alt.Scale(
            domain=[KIND_LABELS[k] for k in KIND_COLORS],
            range=list(KIND_COLORS.values()),
        ),
        legend=alt.Legend(orient="top"),
    )
    tooltip = [
        alt.Tooltip("consultant:N", title="Consultant"),
        alt.Tooltip("dag:N", title="Dag"),
        alt.Tooltip("van:N", title="Van"),
        alt.Tooltip("tot:N", title="Tot"),
        alt.Tooltip("omschrijving:N", title="Wat"),
    ]
    base = alt.Chart().encode(x=x, x2="eind:Q", y=y, color=color, tooltip=tooltip)
    # The marks carry no ARIA roles of their own (aria=False): a day without travel or
    # visits would leave an empty, unnamed "graphics-symbol" group (axe: svg-img-alt); the
    # chart as a whole is named by its description and the visits are in the table tab.
    band = base.transform_filter(alt.datum.soort == "beschikbaar").mark_bar(size=18, aria=False)
    visits = base.transform_filter(alt.datum.soort == "bezoek").mark_bar(
        size=14, cornerRadius=2, stroke="white", strokeWidth=0.5, aria=False
    )
    legs = base.transform_filter(alt.datum.soort == "reistijd").mark_bar(size=4, aria=False)
    layered = alt.layer(band, legs, visits, data=data)
    row_height = 22
    height = max(60, row_height * max(1, len(consultants)))
    order = list(days) if days is not None else data["dag"].drop_duplicates().tolist()
    label = GANTT_DESCRIPTION
    if len(order) <= 1:
        return layered.properties(height=height, width="container", description=label)
    width = max(100, int(680 / len(order)))
    return (
        layered.properties(height=height, width=width)
        .facet(
            column=alt.Column("dag:N", sort=order, title=None, header=alt.Header(labelFontSize=13))
        )
        .resolve_scale(x="shared")
        .configure_view(stroke="#dddddd")
        .properties(description=label)
    )


def tour_map_chart(data: MapData) -> alt.LayerChart | alt.FacetChart:
    """The day's tours on a map that needs nothing from the network.

    The base layer ships with the project (:func:`matcher.explain.plan_views.base_places`: the
    main towns of the Limburg gemeenten and larger Dutch towns, with their names); over it
    each tour is a coloured line from the consultant's base along its visits, labelled with
    the consultant, and the stops are dots with a tooltip.
    """
    lines = data.lines.copy()
    lines["volgorde"] = lines["volgorde"].astype(int)
    legend = lines.drop_duplicates("consultant").sort_values("consultant")
    starts = lines[lines["volgorde"] == 0].drop_duplicates("tour")
    base = data.places
    towns = (
        alt.Chart(base)
        .mark_circle(size=28, color="#9aa5b1", opacity=0.8)
        .encode(
            longitude="lon:Q", latitude="lat:Q", tooltip=[alt.Tooltip("naam:N", title="Plaats")]
        )
    )
    town_names = (
        alt.Chart(base)
        .mark_text(align="left", dx=5, dy=-5, fontSize=11, color="#5f6b7a")
        .encode(longitude="lon:Q", latitude="lat:Q", text="naam:N")
    )
    route = (
        alt.Chart(lines)
        .mark_line(strokeWidth=2.5, point=False)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            detail="tour:N",
            order="volgorde:Q",
            color=alt.Color(
                "consultant:N",
                title="Consultant",
                scale=alt.Scale(
                    domain=legend["consultant"].tolist(), range=legend["kleur"].tolist()
                ),
            ),
        )
    )
    labels = (
        alt.Chart(starts)
        .mark_text(align="right", dx=-7, dy=8, fontSize=12, fontWeight="bold")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            text="consultant:N",
            color=alt.Color("kleur:N", scale=None),
        )
    )
    points = (
        alt.Chart(data.points)
        .mark_circle(size=80, opacity=0.95)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            shape=alt.Shape("soort:N", title=None),
            color=alt.value("#333333"),
            tooltip=[alt.Tooltip("naam:N", title="Plek")],
        )
    )
    return (
        alt.layer(towns, town_names, route, points, labels)
        .project(type="mercator")
        .properties(height=560, width="container")
    )


def utilisation_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of each consultant's utilisation (0..100 %)."""
    data = frame.copy()
    data["Bezetting %"] = (data["Bezetting"] * 100).round(0)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("Bezetting %:Q", scale=alt.Scale(domain=[0, 100]), title="Bezetting (%)"),
            y=alt.Y(
                "Consultant:N",
                sort="-x",
                title=None,
                axis=alt.Axis(labelLimit=200, labelOverlap=False),
            ),
            color=alt.Color("Organisatie:N", title="Organisatie"),
            tooltip=["Consultant", "Organisatie", "Bezoeken", "Bezetting %"],
        )
        # The chart is fitted to its container, axis included: leave the x axis its room so
        # that each bar keeps 22 px (a few consultants were squeezed into a thin strip).
        .properties(height=max(80, 22 * len(data)) + UTILISATION_AXIS_PX, width="container")
    )


UTILISATION_AXIS_PX = 60
"""Height of the utilisation chart's x axis (labels and title) above the bars' own."""
