"""Tables and the bar chart of the Kosten page, from a cost report.

Every table is shown to people, so numbers are Dutch text (``€ 1.234,56``, ``2,25`` hours,
``61,5`` km). No staff names, addresses or locations appear: the rows name the case code,
the responsible gemeente and the organisation (provider) only, so a report restricted to
one gemeente (:func:`matcher.policy.cost_rounds.cost_report` with ``gemeente=``) can be shown to
that gemeente as it is.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from matcher.messages.nl import nl_date
from matcher.policy.cost_export import cost_lines, nl_euro, nl_number, provider_totals
from matcher.policy.cost_rounds import CostReport
from matcher.policy.costs import CostTotals, MissingRate, Period, period_label

__all__ = [
    "TOTAL_COLUMNS",
    "cost_chart",
    "cost_chart_frame",
    "gemeente_table",
    "missing_rates_nl",
    "period_table",
    "provider_table",
    "visits_table",
]

TOTAL_COLUMNS: tuple[str, ...] = (
    "Bezoeken",
    "Uren",
    "Uurkosten",
    "Km",
    "Reiskosten",
    "Totaal",
)
_NL_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}}
"""Vega-Lite number locale (for renderers that honour ``config.locale``)."""
_NL_THOUSANDS = "replace(replace(format(datum.value, ',.0f'), ',', '.'), ',', '.')"
"""Axis labels with a dot between thousands (``1.000.000``), whatever the renderer's locale."""


def _totals(t: CostTotals) -> dict[str, object]:
    return {
        "Bezoeken": t.visits,
        "Uren": nl_number(t.minutes / 60),
        "Uurkosten": nl_euro(t.hours_cents),
        "Km": nl_number(t.metres / 1000, 1),
        "Reiskosten": nl_euro(t.km_cents),
        "Totaal": nl_euro(t.total_cents),
    }


def period_table(report: CostReport, by: Period) -> pd.DataFrame:
    """One row per period and gemeente, in period order."""
    rows = [
        {"Periode": period_label(p), "Gemeente": g, **_totals(t)}
        for (p, g), t in report.by_period(by).items()
    ]
    return pd.DataFrame(rows, columns=["Periode", "Gemeente", *TOTAL_COLUMNS])


def gemeente_table(report: CostReport) -> pd.DataFrame:
    """One row per gemeente over the whole selection, then a total row."""
    totals = report.by_gemeente()
    rows = [{"Gemeente": g, **_totals(t)} for g, t in totals.items()]
    if len(totals) > 1:
        whole = CostTotals()
        for t in totals.values():
            whole = whole.add(t)
        rows.append({"Gemeente": "Totaal", **_totals(whole)})
    return pd.DataFrame(rows, columns=["Gemeente", *TOTAL_COLUMNS])


def provider_table(report: CostReport, by: Period) -> pd.DataFrame:
    """One row per gemeente and organisation: that organisation's visits, hours and costs."""
    rows = [
        {"Gemeente": g, "Organisatie": p, **_totals(t)}
        for (g, p), t in provider_totals(cost_lines(report, by)).items()
    ]
    return pd.DataFrame(rows, columns=["Gemeente", "Organisatie", *TOTAL_COLUMNS])


def visits_table(report: CostReport, by: Period) -> pd.DataFrame:
    """One row per visit and organisation (no staff names, no addresses)."""
    rows = [
        {
            "Periode": period_label(x.period),
            "Datum": nl_date(dt.date.fromisoformat(x.date)),
            "Casuscode": x.case_code,
            "Gemeente": x.gemeente,
            "Organisatie": x.provider,
            "Consultants": x.consultants,
            "Uren": nl_number(x.minutes / 60),
            "Uurkosten": nl_euro(x.hours_cents),
            "Km": nl_number(x.metres / 1000, 1),
            "Reiskosten": nl_euro(x.km_cents),
            "Totaal": nl_euro(x.total_cents),
        }
        for x in cost_lines(report, by)
    ]
    columns = ["Periode", "Datum", "Casuscode", "Gemeente", "Organisatie", "Consultants"]
    return pd.DataFrame(rows, columns=[*columns, *TOTAL_COLUMNS[1:]])


def cost_chart_frame(report: CostReport, by: Period) -> pd.DataFrame:
    """Data of the bar chart: period (key and label), gemeente, euros and the euro text."""
    rows = [
        {
            "sleutel": p,
            "Periode": period_label(p),
            "Gemeente": g,
            "Euro": t.total_cents / 100,
            "Bedrag": nl_euro(t.total_cents),
        }
        for (p, g), t in report.by_period(by).items()
    ]
    return pd.DataFrame(rows, columns=["sleutel", "Periode", "Gemeente", "Euro", "Bedrag"])


def cost_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars: costs per gemeente (largest first), stacked by period.

    With one period it is a plain bar per gemeente; the periods are shaded in time order.
    Everything is inline Vega-Lite: nothing is loaded from the internet.
    """
    periods = frame.drop_duplicates("sleutel").sort_values("sleutel")["Periode"].tolist()
    data = frame.assign(
        volgorde=frame["sleutel"].map({k: i for i, k in enumerate(sorted(set(frame["sleutel"])))})
    )
    n = max(1, frame["Gemeente"].nunique())
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("sum(Euro):Q", title="Kosten (€)", axis=alt.Axis(labelExpr=_NL_THOUSANDS)),
            y=alt.Y(
                "Gemeente:N",
                sort="-x",
                title=None,
                axis=alt.Axis(labelLimit=200, labelOverlap=False),
            ),
            color=alt.Color(
                "Periode:O",
                sort=periods,
                title="Periode",
                scale=alt.Scale(scheme="blues" if len(periods) > 1 else "tableau10"),
                legend=alt.Legend(orient="bottom") if len(periods) > 1 else None,
            ),
            order=alt.Order("volgorde:Q"),
            tooltip=[
                alt.Tooltip("Gemeente:N"),
                alt.Tooltip("Periode:N"),
                alt.Tooltip("Bedrag:N", title="Kosten"),
            ],
        )
        .properties(height=max(80, 22 * n), width="container")
        .configure(locale=_NL_LOCALE)
    )


def missing_rates_nl(missing: tuple[MissingRate, ...]) -> str | None:
    """A Dutch sentence naming the providers without a rate, or ``None``."""
    if not missing:
        return None
    hourly = [m.name for m in missing if m.hourly_rate]
    per_km = [m.name for m in missing if m.km_rate]
    parts = []
    if hourly:
        parts.append(f"geen uurtarief voor {', '.join(hourly)}")
    if per_km:
        parts.append(f"geen kilometertarief voor {', '.join(per_km)}")
    return (
        "Er is " + " en ".join(parts) + ". Een ontbrekend tarief telt als € 0,00; vul de "
        "tarieven in bij de aanbieders (hourly_rate, km_rate in het scenario)."
    )
