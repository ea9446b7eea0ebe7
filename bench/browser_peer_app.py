"""The peer of the browser benchmark: a bare Streamlit app of the same Streamlit version.

One ``st.navigation`` with as many pages as the ketenregisseur gets, each a title and a
table of about the demo week's size; "Planning" has lazy tabs with a chart in the second
(like the map tab), a button that reruns and shows a note (like "lock all"), and
"Beschikbaarheid" a table editor that says when a cell was edited (like the availability
editor). Its timings are Streamlit's own floor on this machine for the same actions
(``python -m bench.browser`` starts it with ``streamlit run``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

TITLES = [
    "Overzicht",
    "Beschikbaarheid",
    "Aanvragen",
    "Planning",
    "Export",
    "Kosten",
    "Beleid",
    "Accounts",
]
ROWS = 80


@st.cache_data
def table() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "Id": [f"R-{i:03d}" for i in range(ROWS)],
            "Consultant": [f"C-{i % 18:02d}" for i in range(ROWS)],
            "Minuten": rng.integers(30, 120, ROWS),
            "Max per dag": rng.integers(1, 6, ROWS),
        }
    )


def chart() -> dict[str, object]:
    points = [{"x": float(i), "y": float((i * 37) % 11)} for i in range(ROWS)]
    return {
        "data": {"values": points},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }


def page(title: str) -> Callable[[], None]:
    def render() -> None:
        st.title(title)
        if title == "Beschikbaarheid":
            state = st.session_state.get("editor")
            edited = st.data_editor(table(), key="editor", hide_index=True)
            if isinstance(state, dict) and state.get("edited_rows"):
                st.info(f"Gewijzigd, nog niet opgeslagen: {len(edited)} rijen.")
            return
        if title == "Planning":
            tabs = st.tabs(["Tabel", "Kaart", "Aanpassen"], key="tabs", on_change="rerun")
            if tabs[0].open:
                tabs[0].dataframe(table(), hide_index=True)
            if tabs[1].open:
                tabs[1].vega_lite_chart(spec=chart(), width="stretch")
            if tabs[2].open:
                with tabs[2]:
                    if st.button("Alle bezoeken vergrendelen"):
                        st.success(f"{ROWS} bezoek(en) vergrendeld.")
            return
        st.dataframe(table(), hide_index=True)

    return render


pages = [
    st.Page(page(t), title=t, url_path=t.lower(), default=i == 0) for i, t in enumerate(TITLES)
]
st.set_page_config(page_title="Peer", layout="wide")
st.navigation(pages, position="top").run()
