"""Overzicht: the week's key figures and what changed since the previous plan."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    audit_event,
    audit_view,
    context,
    flash,
    kpis,
    no_round,
    plan_caption,
    plan_cases,
    rounds_changed,
    select_round,
    show_flash,
    show_table,
    utilisation,
    violations,
)
from matcher import storage
from matcher.app import access
from matcher.app.access import exported_plan_id
from matcher.app.alerts import alerts
from matcher.explain.nl import reasons_nl
from matcher.explain.plan_diff import KIND_LABELS, describe_change, diff_plans
from matcher.messages.nl import duration_text, nl_datetime, nl_day, nl_float, urgency_label
from matcher.solver.kpis import waiting_frame
from matcher.storage.history import compare, history, proposal_id
from matcher.storage.round_state import previous_plan_id, role_label

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

show_flash()
k = kpis(ctx)


def alerts_section() -> None:
    """Crisis and high requests left open, and sent visits an absence broke: at the top."""
    assert ctx is not None and ctx.plan is not None
    sent_id = exported_plan_id(ctx.engine, ctx.round_id)
    sent = ctx.load_plan(sent_id) if sent_id is not None else None
    for a in alerts(s, ctx.plan, sent=sent if sent_id != ctx.plan_id else None):
        if a.kind == "open_urgent":
            st.error(
                f"**{a.request}** ({urgency_label(a.urgency)}, casus {a.youth}) is niet "
                f"ingepland: {'; '.join(reasons_nl(a.reasons))}",
                icon=":material/emergency:",
            )
        else:
            st.warning(
                f"Het verstuurde bezoek **{a.request}** (casus {a.youth}) kan zo niet meer "
                "doorgaan, bijvoorbeeld door een afwezigheid. Plan opnieuw.",
                icon=":material/event_busy:",
            )


def proposal_section() -> None:
    """A re-plan waiting for review: what it would change, with accept and discard."""
    assert ctx is not None and ctx.plan is not None and ctx.plan_id is not None
    pid = proposal_id(ctx.engine, ctx.round_id)
    if pid is None:
        return
    proposal = ctx.load_plan(pid)
    diff = diff_plans(ctx.plan, proposal)
    counts = diff.counts()
    moved = counts.get("moved", 0) + counts.get("moved+reassigned", 0)
    other = counts.get("reassigned", 0) + counts.get("moved+reassigned", 0)
    with st.container(border=True):
        st.subheader(f"Voorstel: herplanning #{pid}")
        st.write(
            f"Ten opzichte van de geaccepteerde planning #{ctx.plan_id}: {moved} bezoek(en) "
            f"verplaatst, {other} met een andere consultant, {counts.get('new', 0)} nieuw "
            f"ingepland, {counts.get('dropped', 0)} vervallen (afzeggingen). "
            "Pas na accepteren gaan er wijzigingen en afzeggingen naar de medewerkers."
        )
        if diff.changes:
            with st.expander(f"{len(diff.changes)} wijziging(en)"):
                for c in diff.changes:
                    st.markdown(f"- {describe_change(c)}")
        row = st.container(horizontal=True)
        if row.button("Accepteren", type="primary", key="accept-proposal"):
            access.accept_plan(ctx.engine, ctx.round_id, ctx.principal, pid)
            audit_event(
                ctx.principal, "edit", f"herplanning #{pid} geaccepteerd", round_id=ctx.round_id
            )
            flash(f"Herplanning #{pid} is geaccepteerd en is nu de planning van deze week.")
            st.rerun()
        if row.button("Verwerpen…", key="discard-proposal"):
            st.session_state[DISCARD_KEY] = pid
        if st.session_state.get(DISCARD_KEY) == pid:
            confirm_discard(pid, len(diff.changes))


DISCARD_KEY = "confirm-discard-proposal"


def confirm_discard(pid: int, changes: int) -> None:
    """Ask before discarding a proposal: say what goes and what stays."""
    assert ctx is not None
    with st.container(border=True, key="discard-confirm"):
        st.markdown(
            f"**Herplanning #{pid} verwerpen?** Dit verwijdert het voorstel #{pid} met "
            f"zijn {changes} wijziging(en) definitief; het komt niet in de geschiedenis. "
            f"De geaccepteerde planning #{ctx.plan_id} blijft de planning van deze week en "
            "de medewerkers krijgen niets."
        )
        c1, c2 = st.columns(2)
        if c1.button(f"Ja, herplanning #{pid} verwerpen", key="discard-yes", type="primary"):
            st.session_state.pop(DISCARD_KEY, None)
            access.discard_plan(ctx.engine, ctx.round_id, ctx.principal, pid)
            audit_event(
                ctx.principal, "edit", f"herplanning #{pid} verworpen", round_id=ctx.round_id
            )
            flash(f"Herplanning #{pid} is verworpen; de geaccepteerde planning blijft staan.")
            st.rerun()
        if c2.button("Annuleren", key="discard-no"):
            st.session_state.pop(DISCARD_KEY, None)
            st.rerun()


def history_section() -> None:
    """Every accepted plan of the week (who, when); compare two; restore one."""
    assert ctx is not None
    entries = history(ctx.engine, ctx.round_id)
    if not entries:
        return
    with st.expander(f"Geschiedenis: {len(entries)} geaccepteerde planning(en)"):
        rows = [
            {
                "Planning": f"#{e.plan_id}",
                "Geaccepteerd door": e.accepted_by,
                "Wanneer": nl_datetime(e.accepted_at),
                "Doelfunctie": "–" if e.objective is None else f"{e.objective:,}".replace(",", "."),
                "Terug gezet": "ja" if e.restored_from is not None else "",
            }
            for e in entries
        ]
        show_table(rows, hide_index=True, width="stretch")
        ids = list(dict.fromkeys(e.plan_id for e in entries))
        if len(ids) >= 2:
            c1, c2 = st.columns(2)
            a = c1.selectbox("Vergelijk", ids, index=1, format_func=lambda i: f"#{i}", key="hist-a")
            b = c2.selectbox("met", ids, index=0, format_func=lambda i: f"#{i}", key="hist-b")
            if a != b:
                diff = compare(ctx.engine, a, b)
                st.caption(
                    f"Van #{a} naar #{b}: "
                    + (
                        ", ".join(f"{n} × {KIND_LABELS[kd]}" for kd, n in diff.counts().items())
                        or "geen verschillen"
                    )
                )
            older = [i for i in ids if i != ctx.plan_id]
            if older:
                back = st.selectbox(
                    "Terugzetten", older, format_func=lambda i: f"#{i}", key="hist-restore"
                )
                sure = st.checkbox(
                    f"Ja, maak planning #{back} weer de planning van deze week (de huidige "
                    "blijft in de geschiedenis)",
                    key="hist-sure",
                )
                if st.button("Terugzetten", disabled=not sure, key="hist-restore-go"):
                    access.restore_plan(ctx.engine, ctx.round_id, ctx.principal, back)
                    audit_event(
                        ctx.principal, "edit", f"planning #{back} teruggezet", round_id=ctx.round_id
                    )
                    flash(f"Planning #{back} is teruggezet.")
                    st.rerun()


def next_week_section() -> None:
    """Make next week's round from this one (open requests, availability, trajectories)."""
    assert ctx is not None
    with st.expander("Nieuwe week"):
        st.write(
            "Maakt de volgende week uit deze: de vaste werktijden gaan mee, open aanvragen "
            "gaan mee (de wachttijd telt door), de laatste consultant van elke jongere wordt "
            "de vorige consultant, en trajecten krijgen hun volgende consult."
        )
        if st.button("Nieuwe week maken", key="next-week"):
            try:
                new_id = access.next_round(ctx.engine, ctx.round_id, ctx.principal)
            except storage.RoundExistsError:
                st.error("De volgende week bestaat al.")
                return
            audit_event(ctx.principal, "edit", "nieuwe week", round_id=new_id)
            rounds_changed()
            select_round(new_id)
            flash("De nieuwe week is gemaakt.")
            st.rerun()


if ctx.planner and ctx.plan is not None:
    alerts_section()
    proposal_section()

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
cols[2].metric("Reistijd", f"{nl_float(k.travel_hours, 1)} u", help=duration_text(k.travel_minutes))
cols[3].metric(
    "Gem. wachttijd", f"{nl_float(k.mean_waiting_days, 1)} d", help="Signalering tot bezoek"
)
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
        show_table(waiting_frame(k), hide_index=True, width="stretch")
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
        show_table(
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

if ctx.planner:
    history_section()
    next_week_section()

seen = plan_cases(ctx)
if ctx.planner and ctx.plan is not None:
    for u in ctx.plan.unassigned[:10]:
        try:
            seen["cases"].append(s.request(u.request).youth)
        except KeyError:
            continue
audit_view(ctx, "Overzicht", **seen)
