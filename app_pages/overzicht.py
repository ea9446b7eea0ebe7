"""Overzicht: the week's key figures and what changed since the previous plan."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    audit_view,
    context,
    kpis,
    no_round,
    plan_caption,
    plan_cases,
    utilisation,
    violations,
)
from matcher.app_state import previous_plan_id, role_label
from matcher.explain_nl import reasons_nl
from matcher.kpis import waiting_frame
from matcher.nl import duration_text, nl_day, urgency_label
from matcher.plan_diff import KIND_LABELS, describe_change, diff_plans

ctx = context()
if ctx is None:
    st.title("Overzicht")
    no_round()
    st.stop()

s = ctx.scenario
st.title(f"Overzicht · {ctx.week}")
days = f"{nl_day(s.days[0])} – {nl_day(s.days[-1])} {s.days[-1].year}" if s.days else ""
who = role_label(s, ctx.role)
st.caption(
    f"{s.name} · {days} · {len(ctx.scope)} consultants · {len(s.requests)} aanvragen · "
    f"weergave: {who}"
)

k = kpis(ctx)
if ctx.plan is None:
    st.info(
        "Voor deze week is nog niet gepland. Open **Planning** en klik op **Plannen**.",
        icon=":material/info:",
    )
    st.page_link("app_pages/planning.py", label="Naar Planning", icon=":material/route:")
else:
    st.caption(plan_caption(ctx))
    broken = violations(ctx) if ctx.planner else []
    if broken:
        st.warning(
            f"De planning past niet meer bij de huidige gegevens ({len(broken)} regel(s) "
            "geschonden, bijvoorbeeld door gewijzigde beschikbaarheid). Plan opnieuw.",
            icon=":material/warning:",
        )

cols = st.columns(6)
cols[0].metric(
    "Bezoeken gepland",
    k.visits,
    help="Aantal ingeplande bezoeken" + ("" if ctx.planner else " van je eigen consultants"),
)
if ctx.planner:
    cols[1].metric("Wachtend", k.waiting_total, help="Aanvragen zonder bezoek deze week")
else:
    cols[1].metric("Consultants", len(ctx.scope))
cols[2].metric("Reistijd", f"{k.travel_hours:.1f} u", help=duration_text(k.travel_minutes))
cols[3].metric("Gem. wachttijd", f"{k.mean_waiting_days:.1f} d", help="Signalering tot bezoek")
cols[4].metric("Max. wachttijd", f"{k.max_waiting_days} d")
cols[5].metric(
    "Bezetting",
    f"{100 * k.utilisation:.0f}%",
    help="(bezoektijd + reistijd) / beschikbare tijd van de consultants",
)

left, right = st.columns([1, 2])
with left:
    if ctx.planner:
        st.subheader("Wachtend per urgentie")
        st.dataframe(waiting_frame(k), hide_index=True, width="stretch")
    st.subheader("Wat is er veranderd")
    if ctx.plan is None or ctx.plan_id is None:
        st.write("Nog geen planning.")
    else:
        prev_id = previous_plan_id(ctx.engine, ctx.round_id, ctx.plan_id)
        if prev_id is None:
            st.write("Dit is de eerste planning van deze week.")
        else:
            diff = diff_plans(ctx.load_plan(prev_id), ctx.plan)
            if not ctx.planner:
                mine = set(ctx.scope)
                changes = [
                    c
                    for c in diff.changes
                    if mine.intersection((c.new or c.old).consultants)  # type: ignore[union-attr]
                ]
            else:
                changes = list(diff.changes)
            st.caption(f"Ten opzichte van planning #{prev_id}.")
            if not changes:
                st.write("Geen verschillen in de bezoeken.")
            else:
                counts: dict[str, int] = {}
                for c in changes:
                    counts[c.kind] = counts.get(c.kind, 0) + 1
                st.markdown("\n".join(f"- {n} × {KIND_LABELS[kd]}" for kd, n in counts.items()))
                with st.expander(f"{len(changes)} wijziging(en)"):
                    for c in changes:
                        st.markdown(f"- {describe_change(c)}")
            if ctx.planner and diff.travel_delta is not None:
                sign = "+" if diff.travel_delta > 0 else ""
                st.caption(f"Reistijd {sign}{diff.travel_delta} min ten opzichte van toen.")
with right:
    st.subheader("Bezetting per consultant")
    frame, spec = utilisation(ctx)
    st.vega_lite_chart(spec=spec, width="stretch")
    with st.expander("Tabel"):
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config={
                "Bezetting": st.column_config.ProgressColumn(
                    "Bezetting", format="percent", min_value=0.0, max_value=1.0
                )
            },
        )

if ctx.planner and ctx.plan is not None and ctx.plan.unassigned:
    st.subheader("Niet ingeplande aanvragen")
    for u in ctx.plan.unassigned[:10]:
        try:
            urg = urgency_label(s.youth(s.request(u.request).youth).urgency)
        except KeyError:
            urg = "?"
        st.markdown(f"- **{u.request}** ({urg}): {'; '.join(reasons_nl(u.reasons))}")

seen = plan_cases(ctx)
if ctx.planner and ctx.plan is not None:
    for u in ctx.plan.unassigned[:10]:
        try:
            seen["cases"].append(s.request(u.request).youth)
        except KeyError:
            continue
audit_view(ctx, "Overzicht", **seen)
