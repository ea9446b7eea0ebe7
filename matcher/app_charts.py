"""Charts of the planning app: week calendar (Gantt), tour maps and utilisation bars.

Built with altair (bundled with Streamlit) and pydeck from the frames of
:mod:`matcher.plan_views` and :mod:`matcher.kpis`. The pydeck map uses no Mapbox token
and no base map style (``map_style=None``): where map tiles cannot load, the tours still
show on a blank background, and :func:`simple_map_chart` draws the same tours as a plain
projected line chart that needs nothing from the network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd
import pydeck as pdk

from matcher.plan_views import MapData

__all__ = ["gantt_chart", "map_deck", "simple_map_chart", "utilisation_chart"]

KIND_COLORS = {
    "beschikbaar": "#e3efe3",
    "bezoek": "#2f6db5",
    "vergrendeld": "#0b2f5c",
    "reistijd": "#e8912d",
}
KIND_LABELS = {
    "beschikbaar": "beschikbaar",
    "bezoek": "bezoek",
    "vergrendeld": "bezoek (vergrendeld)",
    "reistijd": "reistijd",
}


def _hours_domain(frame: pd.DataFrame) -> list[float]:
    if frame.empty:
        return [8.0, 18.0]
    lo = math.floor(float(frame["start"].min()))
    hi = math.ceil(float(frame["eind"].max()))
    return [float(max(0, lo)), float(min(24, max(hi, lo + 1)))]


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
    band = base.transform_filter(alt.datum.soort == "beschikbaar").mark_bar(size=18)
    visits = base.transform_filter(alt.datum.soort == "bezoek").mark_bar(
        size=14, cornerRadius=2, stroke="white", strokeWidth=0.5
    )
    legs = base.transform_filter(alt.datum.soort == "reistijd").mark_bar(size=4)
    layered = alt.layer(band, legs, visits, data=data)
    row_height = 22
    height = max(60, row_height * max(1, len(consultants)))
    order = list(days) if days is not None else data["dag"].drop_duplicates().tolist()
    if len(order) <= 1:
        return layered.properties(height=height, width="container")
    width = max(100, int(680 / len(order)))
    return (
        layered.properties(height=height, width=width)
        .facet(
            column=alt.Column("dag:N", sort=order, title=None, header=alt.Header(labelFontSize=13))
        )
        .resolve_scale(x="shared")
        .configure_view(stroke="#dddddd")
    )


def map_deck(data: MapData, height: int = 520) -> pdk.Deck:
    """Tours of one day on a pydeck map without token or base style (works offline)."""
    lat, lon, zoom = data.view()
    points = data.points.copy()
    points["omschrijving"] = points["naam"]
    points["straal"] = points["soort"].map({"basis": 6, "locatie": 5}).fillna(5)
    layers = [
        pdk.Layer(
            "PathLayer",
            data=data.paths,
            get_path="pad",
            get_color="kleur",
            width_min_pixels=3,
            width_scale=1,
            get_width=4,
            pickable=True,
            joint_rounded=True,
            cap_rounded=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=points,
            get_position=["lon", "lat"],
            get_fill_color="kleur",
            get_radius=300,
            radius_min_pixels=4,
            radius_max_pixels=10,
            stroked=True,
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
            pickable=True,
        ),
    ]
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
        map_style=None,
        tooltip={"text": "{omschrijving}"},
        height=height,
    )


def simple_map_chart(data: MapData) -> alt.LayerChart | alt.FacetChart:
    """The same tours as :func:`map_deck`, as a projected line chart (no tiles needed)."""
    lines = data.lines.copy()
    lines["volgorde"] = lines["volgorde"].astype(int)
    legend = lines.drop_duplicates("consultant").sort_values("consultant")
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
    points = (
        alt.Chart(data.points)
        .mark_circle(size=70, opacity=0.9)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            shape=alt.Shape("soort:N", title=None),
            color=alt.value("#333333"),
            tooltip=[alt.Tooltip("naam:N", title="Plaats")],
        )
    )
    return (
        alt.layer(route, points).project(type="mercator").properties(height=520, width="container")
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
        .properties(height=max(80, 22 * len(data)), width="container")
    )
