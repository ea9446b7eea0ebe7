"""Kosten: consultant hours (and costs) of the visits to the youths a gemeente pays for."""

from __future__ import annotations

import streamlit as st

from app_pages.common import audit_event, audit_view_for, current_principal, engine, round_label
from matcher import storage
from matcher.access import cost_report

principal = current_principal(touch=False)
assert principal is not None
st.title("Kosten")
eng = engine()
rounds = storage.list_rounds(eng, principal=principal)
if not rounds:
    st.info("Er is nog geen planningsweek.")
    st.stop()
by_id = {r.id: r for r in rounds}
rid = st.selectbox(
    "Week (ISO)", list(by_id), format_func=lambda r: round_label(by_id[r]), key="cost-round"
)
who = f"gemeente {principal.gemeente}" if principal.gemeente else "alle gemeenten"
st.caption(
    f"Bezoeken in de nieuwste planning aan jongeren waarvoor {who} verantwoordelijk is: "
    "uren van de consultants per organisatie. Zonder adressen en zonder namen van medewerkers."
)
frame = cost_report(eng, rid, principal)
if frame.empty:
    st.write("Geen bezoeken in deze week.")
else:
    shown = frame.dropna(axis="columns", how="all")  # no cost column without rates
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "Datum": st.column_config.DateColumn("Datum", format="DD-MM-YYYY"),
            "Uren": st.column_config.NumberColumn("Uren", format="%.2f"),
            "Kosten (EUR)": st.column_config.NumberColumn("Kosten (EUR)", format="€ %.2f"),
        },
    )
    total = frame["Uren"].sum()
    st.metric("Uren totaal", f"{total:.1f}".replace(".", ","))
    name = f"kosten-{by_id[rid].name.lower().replace(' ', '-')}.csv"
    st.download_button(
        "Kosten (CSV)",
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=name,
        mime="text/csv",
        key="dl-costs",
        on_click=audit_event,
        args=(principal, "download", f"kosten: {name}"),
        kwargs={"round_id": rid, "cases": list(frame["Casuscode"])},
    )
audit_view_for(principal, "Kosten", rid, cases=list(frame["Casuscode"]))
