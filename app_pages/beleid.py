"""Beleid: the what-if of the policy note, expertise on site against one central centre.

UI only: the comparison is :func:`matcher.policy.whatif.compare`, the tables and chart come from
:mod:`matcher.app.whatif_views`, the downloads from :mod:`matcher.policy.whatif_export`. The
ketenregisseur may compare on the stored rounds or on generated weeks; a gemeente account
only on generated weeks (the stored rounds would show what other gemeenten use). Nothing
shown names a youth, a staff member or an address; the centre's coordinates are the
user's own hypothetical choice.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import current_principal, engine, show_table
from matcher import storage
from matcher.app.export import XLSX_MIME
from matcher.app.whatif_views import cost_chart_spec, gemeente_frame, summary_frame
from matcher.policy.cost_export import nl_euro, nl_number
from matcher.policy.whatif import (
    DEFAULT_CENTRE_COST_EUR,
    Comparison,
    Contribution,
    WhatIfError,
    centre_at_town,
    compare,
    generate_weeks,
    make_centre,
    round_scenarios,
)
from matcher.policy.whatif_export import summary_rows, whatif_excel_bytes, whatif_pdf_bytes
from matcher.scenario.generate import load_municipalities
from matcher.security.principal import KETENREGISSEUR

RESULT = "beleid-result"
GENERATED, STORED = "Gegenereerde weken", "Opgeslagen rondes"
CONTRIBUTION_LABELS: dict[str, Contribution] = {
    "Naar inwonertal": "population",
    "In gelijke delen": "equal",
}

principal = current_principal(touch=False)
planner = principal is not None and principal.role == KETENREGISSEUR
st.title("Beleid: expertise ter plekke of centrale opvang")
st.caption(
    "De vraag uit de nota loverboyproblematiek: blijft de jongere waar die woont en komt de "
    "expertise naar de jongere (zoals nu), of gaan alle slachtoffers naar één centrale "
    "opvang die alle gemeenten samen betalen? Beide worden op dezelfde vraag ingepland en "
    "naast elkaar gezet."
)

towns = sorted(load_municipalities("limburg"), key=lambda t: t.hoofdplaats)
left, middle, right = st.columns(3)
with left:
    st.subheader("Centrum")
    mode = st.radio("Locatie", ["Plaats", "Coördinaten"], horizontal=True, key="beleid-mode")
    if mode == "Plaats":
        names = [t.hoofdplaats for t in towns]
        town = st.selectbox("Plaats", names, index=names.index("Roermond"), key="beleid-town")
    else:
        lat = st.number_input(
            "Breedtegraad", 50.7, 51.8, 51.19, step=0.01, format="%.4f", key="beleid-lat"
        )
        lon = st.number_input(
            "Lengtegraad", 5.5, 6.3, 5.99, step=0.01, format="%.4f", key="beleid-lon"
        )
with middle:
    st.subheader("Financiering")
    rule_label = st.radio(
        "Vaste bijdrage verdelen", list(CONTRIBUTION_LABELS), key="beleid-contribution"
    )
    cost_eur = st.number_input(
        "Jaarbudget centrum (€)",
        min_value=0,
        value=DEFAULT_CENTRE_COST_EUR,
        step=50_000,
        key="beleid-cost",
        help="Een aanname: de nota noemt geen bedrag.",
    )
with right:
    st.subheader("Weken")
    sources = [GENERATED, STORED] if planner else [GENERATED]
    source = st.radio("Vraag", sources, horizontal=True, key="beleid-source")
    chosen_rounds: list[str] = []
    if source == STORED:
        stored = storage.list_rounds(engine())
        chosen_rounds = st.multiselect(
            "Rondes (leeg: alle)", [r.name for r in stored], key="beleid-rounds"
        )
    else:
        n_weeks = int(st.number_input("Aantal weken", 1, 52, 52, key="beleid-weeks"))
        per_week = float(
            st.number_input(
                "Nieuwe aanvragen per week (Limburg)", 1.0, 200.0, 15.0, key="beleid-requests"
            )
        )
        consultants = int(st.number_input("Consulenten", 1, 100, 8, key="beleid-consultants"))
        seed = int(st.number_input("Startgetal (seed)", 0, 10**6, 1, key="beleid-seed"))
    limit = float(st.number_input("Seconden per planning", 1, 60, 2, key="beleid-limit"))

if st.button("Vergelijken", type="primary", key="beleid-run"):
    try:
        centre = centre_at_town(town) if mode == "Plaats" else make_centre(lat, lon)
        if source == STORED:
            scenarios = round_scenarios(engine(), chosen_rounds or None)
        else:
            scenarios = generate_weeks(
                seed, n_weeks, requests_per_week=per_week, n_consultants=consultants
            )
        bar = st.progress(0.0, text="Plannen…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Gepland: {done} van {total}")

        st.session_state[RESULT] = compare(
            scenarios,
            centre,
            time_limit=limit,
            contribution=CONTRIBUTION_LABELS[rule_label],
            centre_cost_eur=float(cost_eur),
            on_progress=progress,
        )
        bar.empty()
    except WhatIfError as exc:
        st.session_state.pop(RESULT, None)
        st.error(f"Vergelijken lukt niet: {exc}")

result: Comparison | None = st.session_state.get(RESULT)
if result is None:
    st.info("Kies het centrum, de financiering en de weken en klik op Vergelijken.")
    st.stop()

st.divider()
st.subheader(f"{result.weeks} week/weken · centrum {result.centre.name} ({result.centre.gemeente})")
on_col, central_col = st.columns(2)
on_col.markdown("**Ter plekke** (planning als nu)")
central_col.markdown("**Centraal** (alle jongeren in het centrum)")
for row in summary_rows(result):
    on_col.metric(row.label, row.text(row.onsite))
    diff = row.central - row.onsite
    delta = (
        nl_euro(int(diff))
        if row.kind == "cents"
        else nl_number(diff, 0 if row.kind == "int" else 1)
    )
    central_col.metric(
        row.label,
        row.text(row.central),
        delta=None if diff == 0 else delta,
        delta_color="inverse",
    )

st.subheader("Naast elkaar")
show_table(summary_frame(result), hide_index=True, width="stretch")
st.subheader("Kosten per gemeente per jaar")
rule_nl = {v: k.lower() for k, v in CONTRIBUTION_LABELS.items()}[result.contribution]
st.caption(
    "Ter plekke betaalt elke gemeente de bezoeken aan haar eigen jongeren (per gebruik). "
    "Centraal betaalt elke gemeente een vaste bijdrage aan het jaarbudget van het centrum "
    f"({rule_nl}) plus de bezoeken in het centrum. Per jaar: de kosten van de weken x 52 / "
    "aantal weken."
)
show_table(gemeente_frame(result), hide_index=True, width="stretch")
st.vega_lite_chart(spec=cost_chart_spec(result), width="stretch")
for warning in result.warnings:
    st.warning(warning)

stamp = dt.date.today().isoformat()
downloads = st.columns(2)
downloads[0].download_button(
    "Download Excel",
    whatif_excel_bytes(result),
    file_name=f"wat-als-centrale-opvang-{stamp}.xlsx",
    mime=XLSX_MIME,
    key="beleid-xlsx",
)
downloads[1].download_button(
    "Download PDF",
    whatif_pdf_bytes(result),
    file_name=f"wat-als-centrale-opvang-{stamp}.pdf",
    mime="application/pdf",
    key="beleid-pdf",
)
