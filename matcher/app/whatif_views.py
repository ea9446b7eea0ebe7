"""Tables and the chart of the what-if comparison for the Beleid page (Dutch labels).

Built from a :class:`~matcher.policy.whatif.Comparison`; no case codes, staff or addresses.
The chart is an inline Vega-Lite spec (its data inside it): nothing is loaded from the
internet.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from matcher.policy.cost_export import nl_euro
from matcher.policy.whatif import Comparison
from matcher.policy.whatif_export import GEMEENTE_HEADER, gemeente_table, summary_rows

__all__ = ["OPTIONS_NL", "cost_chart_spec", "gemeente_frame", "summary_frame"]

NL_THOUSANDS = "replace(format(datum.value, ',.0f'), ',', '.')"
"""Axis labels with a dot between thousands, whatever the renderer's locale."""
OPTIONS_NL = ("Ter plekke (per gebruik)", "Centraal (bijdrage + consulten)")


def summary_frame(c: Comparison) -> pd.DataFrame:
    """One row per figure: ``Maatstaf``, ``Ter plekke``, ``Centraal`` as Dutch text."""
    rows = [(s.label, s.text(s.onsite), s.text(s.central)) for s in summary_rows(c)]
    return pd.DataFrame(rows, columns=["Maatstaf", "Ter plekke", "Centraal"])


def gemeente_frame(c: Comparison) -> pd.DataFrame:
    """The yearly amounts per gemeente (and a total row) as Dutch euro text."""
    rows = [
        [r[0], f"{int(str(r[1])):,}".replace(",", "."), *(nl_euro(int(str(v))) for v in r[2:])]
        for r in gemeente_table(c)
    ]
    return pd.DataFrame(rows, columns=GEMEENTE_HEADER)


def cost_chart_spec(c: Comparison) -> dict[str, Any]:
    """Grouped horizontal bars: the yearly cost of each gemeente under both options."""
    values = []
    for r in c.rows:
        for option, cents in zip(OPTIONS_NL, (r.onsite_cents, r.central_cents), strict=True):
            values.append(
                {
                    "Gemeente": r.gemeente,
                    "Optie": option,
                    "Euro": cents / 100,
                    "Bedrag": nl_euro(cents),
                }
            )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "mark": "bar",
        "height": {"step": 9},
        "encoding": {
            "y": {
                "field": "Gemeente",
                "type": "nominal",
                "title": None,
                "axis": {"labelLimit": 200},
            },
            "yOffset": {"field": "Optie", "type": "nominal"},
            "x": {
                "field": "Euro",
                "type": "quantitative",
                "title": "Kosten per jaar (€)",
                "axis": {"labelExpr": NL_THOUSANDS},
            },
            "color": {
                "field": "Optie",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "top"},
            },
            "tooltip": [
                {"field": "Gemeente", "type": "nominal"},
                {"field": "Optie", "type": "nominal"},
                {"field": "Bedrag", "type": "nominal"},
            ],
        },
    }
