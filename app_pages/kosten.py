"""Kosten: what the stored plans cost, per responsible gemeente and period.

UI only: the figures come from :mod:`matcher.policy.cost_rounds` (which plan of which week),
:mod:`matcher.policy.costs` (the rule), :mod:`matcher.app.cost_views` (tables, chart) and
:mod:`matcher.policy.cost_export` (downloads). A session limited to one gemeente
(:func:`restrict_to_gemeente`) sees only the visits to the youths that gemeente pays for,
and no warnings (they name consultants); no page section ever shows a staff name, an
address or a location.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import streamlit as st

from app_pages.common import (
    audit_event,
    audit_view_for,
    context,
    current_principal,
    db_url,
    engine,
    no_round,
    round_label,
    show_table,
)
from matcher import storage
from matcher.app.cost_views import (
    cost_chart,
    cost_chart_frame,
    gemeente_table,
    missing_rates_nl,
    period_table,
    provider_table,
    visits_table,
)
from matcher.app.export import XLSX_MIME
from matcher.messages.nl import nl_date
from matcher.policy.cost_export import (
    PERIOD_NAMES,
    RULE_NL,
    costs_csv_bytes,
    costs_excel_bytes,
    nl_euro,
    nl_number,
)
from matcher.policy.cost_rounds import (
    CostReport,
    RoundCosts,
    build_report,
    chosen_plan,
    price_round,
)
from matcher.policy.costs import PERIODS, Period
from matcher.security.principal import GEMEENTE
from matcher.storage.round_state import round_versions

ALL = "Alle gemeenten"
SCOPES = ("Eén week", "Alle weken", "Datumbereik")


def restrict_to_gemeente() -> str | None:
    """The one gemeente this session may see (a ``gemeente`` account), or ``None`` for all.

    The single place where the page learns its restriction: the logged-in principal.
    """
    principal = current_principal(touch=False)
    if principal is not None and principal.role == GEMEENTE:
        return principal.gemeente
    return None


@st.cache_data(show_spinner=False, max_entries=64)
def _priced(
    url: str, info: storage.RoundInfo, version: tuple[int, ...], plan_id: int | None, sent: bool
) -> RoundCosts:
    """One round priced; cached per round version and plan."""
    eng = engine()
    scenario = storage.export_scenario(eng, info.id)
    plan = storage.load_plan(eng, plan_id) if plan_id is not None else None
    return price_round(info, scenario, plan, plan_id, sent)


VISITS_OPEN_KEY = "cost-visits-open"  # session key: the visits expander is open


def audit_cost_view(report: CostReport, subject: str) -> None:
    """Audit that the page showed the case codes of ``report``'s visits: one view per
    round (its id and its case codes), like the planning pages audit theirs."""
    principal = current_principal(touch=False)
    if principal is None:
        return
    shown = {id(v) for v in report.visits}
    for rc in report.rounds:
        if rc.costs is None:
            continue
        cases = [v.case_code for v in rc.costs.visits if id(v) in shown]
        if cases:
            audit_view_for(principal, subject, rc.round.id, cases=cases)


def audit_cost_download(report: CostReport, what: str) -> None:
    """Audit a download of the cost report (it holds the case codes of its visits)."""
    principal = current_principal(touch=False)
    if principal is not None:
        audit_event(
            principal,
            "download",
            f"Kosten ({what})",
            round_id=report.rounds[0].round.id if len(report.rounds) == 1 else None,
            cases=sorted({v.case_code for v in report.visits}),
            detail="weken: " + ", ".join(str(rc.round.id) for rc in report.rounds),
        )


def priced(rounds: list[storage.RoundInfo]) -> tuple[list[RoundCosts], tuple[Any, ...]]:
    """The rounds priced, and what they were priced from (round, version, plan, sent): the
    cache key of the downloads built from them."""
    eng, url = engine(), db_url()
    out = []
    key: list[Any] = [url]
    for info in rounds:
        chosen = chosen_plan(eng, info.id)
        plan_id, sent = chosen if chosen is not None else (None, False)
        version = round_versions(eng, info.id).scenario
        out.append(_priced(url, info, version, plan_id, sent))
        key.append((info.id, version, plan_id, sent))
    return out, tuple(key)


@st.cache_data(show_spinner=False, max_entries=16)
def _excel(_report: CostReport, key: tuple[Any, ...], by: Period, title: str) -> bytes:
    """The Excel file of a report, built once per report (``key``: what it was made from):
    writing it costs more than the rest of the page."""
    return costs_excel_bytes(_report, by, title=title)


@st.cache_data(show_spinner=False, max_entries=16)
def _csv(_report: CostReport, key: tuple[Any, ...], by: Period) -> bytes:
    return costs_csv_bytes(_report, by)


only = restrict_to_gemeente()
ctx = context()
st.title("Kosten")
all_rounds = sorted(storage.list_rounds(engine()), key=lambda r: (r.first_day or dt.date.min, r.id))
if not all_rounds:
    no_round()
    st.stop()
if only is None and (ctx is None or not ctx.planner):
    st.info("De kostenoverzichten zijn voor de ketenregisseur en de gemeenten.")
    st.stop()

by_id = {r.id: r for r in all_rounds}
controls = st.columns([2, 2, 1, 2])
scope = controls[0].selectbox("Weken", SCOPES, key="cost-scope")
start: dt.date | None = None
end: dt.date | None = None
if scope == "Eén week":
    ids = list(reversed(by_id))
    default = ctx.round_id if ctx is not None and ctx.round_id in by_id else ids[0]
    picked_round = controls[1].selectbox(
        "Week",
        ids,
        index=ids.index(default),
        format_func=lambda rid: round_label(by_id[rid]),
        key="cost-round",
    )
    rounds = [by_id[picked_round]]
elif scope == "Alle weken":
    rounds = all_rounds
else:
    days = [d for r in all_rounds for d in (r.first_day, r.last_day) if d is not None]
    low, high = (min(days), max(days)) if days else (dt.date.today(), dt.date.today())
    picked = controls[1].date_input("Van – tot", (low, high), format="DD-MM-YYYY", key="cost-range")
    span = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    start = span[0] if span and isinstance(span[0], dt.date) else None
    end = span[1] if len(span) > 1 and isinstance(span[1], dt.date) else start
    rounds = [
        r
        for r in all_rounds
        if r.first_day is not None
        and r.last_day is not None
        and (start is None or r.last_day >= start)
        and (end is None or r.first_day <= end)
    ]
by: Period = controls[2].selectbox(
    "Per", PERIODS, format_func=lambda p: PERIOD_NAMES[p], key="cost-by"
)
rounds_priced, priced_key = priced(rounds)
known = sorted({g for rc in rounds_priced for g in rc.gemeenten})
if only is None:
    choice = controls[3].selectbox("Gemeente", [ALL, *known], key="cost-gemeente")
    gemeente = None if choice == ALL else choice
else:
    gemeente = only
    controls[3].text_input("Gemeente", only, disabled=True, key="cost-only")
report = build_report(rounds_priced, start, end, gemeente)
report_key = (priced_key, start, end, gemeente)

who = f"gemeente {gemeente}" if gemeente else "alle gemeenten"
st.caption(
    f"Kosten van de bezoeken aan jongeren waarvoor {who} verantwoordelijk is: per week de "
    "planning die als verstuurd is gemarkeerd, anders de nieuwste. Uren per organisatie, "
    "zonder adressen en zonder namen van medewerkers."
)
missing = missing_rates_nl(report.missing_rates)
if missing:
    st.warning(missing, icon=":material/warning:")
if only is None and report.warnings:
    with st.expander(f"{len(report.warnings)} waarschuwing(en)", icon=":material/warning:"):
        st.markdown("\n".join(f"- {w}" for w in report.warnings))

if not report.visits:
    st.info("Geen bezoeken in deze selectie.", icon=":material/info:")
    st.stop()

per = report.by_gemeente()
minutes = sum(t.minutes for t in per.values())
metres = sum(t.metres for t in per.values())
cols = st.columns(4)
cols[0].metric("Totaal", nl_euro(report.total_cents))
cols[1].metric("Consulturen", nl_number(minutes / 60), help="Uren maal het aantal consultants")
cols[2].metric("Kilometers", nl_number(metres / 1000, 1))
cols[3].metric("Bezoeken", len(report.visits))

st.subheader(f"Per {PERIOD_NAMES[by]}")
if report.total_cents > 0:
    st.vega_lite_chart(spec=cost_chart(cost_chart_frame(report, by)).to_dict(), width="stretch")
else:  # an empty chart of zeros says nothing: the tariffs are missing (warned above)
    st.caption("Geen grafiek: alle kosten zijn € 0,00 zolang er geen tarieven zijn.")
show_table(
    period_table(report, by), hide_index=True, width="stretch", placeholder="—", key="cost-periods"
)

left, right = st.columns(2)
with left:
    st.subheader("Per gemeente")
    show_table(
        gemeente_table(report),
        hide_index=True,
        width="stretch",
        placeholder="—",
        key="cost-gemeenten",
    )
with right:
    st.subheader("Per organisatie")
    show_table(
        provider_table(report, by),
        hide_index=True,
        width="stretch",
        placeholder="—",
        key="cost-providers",
    )
# Lazy: the visits table is built and drawn only while its expander is open (a page switch
# to Kosten draws three tables less heavy than this one).
visits_box = st.expander(f"Bezoeken ({len(report.visits)})", key=VISITS_OPEN_KEY, on_change="rerun")
if visits_box.open:
    visits_box.dataframe(
        visits_table(report, by),
        hide_index=True,
        width="stretch",
        placeholder="—",
        key="cost-visits",
    )
    audit_cost_view(report, "Kosten · bezoeken")

parts = ["kosten"]
if scope == "Eén week":
    parts.append(rounds[0].name)
elif start is not None and end is not None:
    parts.append(f"{start.isoformat()}-{end.isoformat()}")
if gemeente:
    parts.append(gemeente)
stem = re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")
downloads = st.container(horizontal=True)
downloads.download_button(
    "Kosten (Excel)",
    _excel(report, report_key, by, f"Kosten {who}"),
    file_name=f"{stem}.xlsx",
    mime=XLSX_MIME,
    icon=":material/grid_on:",
    key="dl-costs-xlsx",
    on_click=audit_cost_download,
    args=(report, "Excel"),
)
downloads.download_button(
    "Kosten (CSV)",
    _csv(report, report_key, by),
    file_name=f"{stem}.csv",
    mime="text/csv",
    icon=":material/table:",
    key="dl-costs-csv",
    on_click=audit_cost_download,
    args=(report, "CSV"),
    help="Voor systemen: getallen met een punt als decimaalteken, bedragen in euro.",
)
with st.expander("Hoe worden de kosten berekend?"):
    st.write(RULE_NL)
    st.caption(
        "Planningen: "
        + "; ".join(
            f"{round_label(rc.round)}: "
            + ("nog geen planning" if rc.plan_id is None else f"#{rc.plan_id} ")
            + ("" if rc.plan_id is None else ("(verstuurd)" if rc.sent else "(nieuwste)"))
            for rc in report.rounds
        )
        + (f" · {nl_date(start)} t/m {nl_date(end)}" if start and end else "")
    )
