"""Auditlog: who looked at or changed which case data (for the privacy officer)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app_pages.common import audit_event, current_principal, engine
from matcher.security import audit
from matcher.security.principal import PRIVACY

AMS = ZoneInfo("Europe/Amsterdam")
principal = current_principal(touch=False)
assert principal is not None
principal.require(PRIVACY)
eng = engine()
st.title("Auditlog")
st.caption(
    "Elke weergave, wijziging, export en download van casusgegevens, elke aanmelding en "
    "elk accountbeheer, volgens NEN 7513. De rijen zijn aan elkaar gekoppeld met een hash: "
    "een gewijzigde, ingevoegde of verwijderde rij valt op."
)
report = audit.verify(eng)
if report.ok:
    st.success(
        f"De keten is intact: {report.rows} rij(en). Kop: `{report.head[:16]}…`",
        icon=":material/verified:",
    )
else:
    st.error(f"De auditlog is aangetast: {report.problem}", icon=":material/gpp_bad:")

today = dt.datetime.now(AMS).date()
c1, c2, c3, c4 = st.columns(4)
start = c1.date_input("Van", today - dt.timedelta(days=7), format="DD-MM-YYYY", key="audit-from")
end = c2.date_input("Tot en met", today, format="DD-MM-YYYY", key="audit-to")
account = c3.text_input("Account", key="audit-account").strip() or None
case_code = c4.text_input("Casuscode", key="audit-case").strip() or None


def utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), AMS).astimezone(dt.UTC).replace(tzinfo=None)


rows = audit.entries(
    eng,
    utc(start),
    utc(end + dt.timedelta(days=1)),
    account=account,
    case_code=case_code,
    newest_first=True,
)
frame = pd.DataFrame(
    [
        {
            "Nr": e.seq,
            "Tijd": e.at.replace(tzinfo=dt.UTC).astimezone(AMS).strftime("%d-%m-%Y %H:%M:%S"),
            "Account": e.account,
            "Rol": e.role,
            "Actie": e.action,
            "Wat": e.subject,
            "Week": e.round_id,
            "Casuscodes": e.case_codes,
            "Locaties": e.locations,
            "Consultants": e.consultants,
            "Adres cliënt": e.client,
            "Toelichting": e.detail,
        }
        for e in rows
    ]
)
st.caption(f"{len(rows)} rij(en).")
st.dataframe(frame, hide_index=True, width="stretch", height=520, placeholder="—")
name = f"auditlog-{start.isoformat()}-{end.isoformat()}.csv"
st.download_button(
    "Exporteren (CSV)",
    audit.export_csv(reversed(rows)).encode("utf-8"),
    file_name=name,
    mime="text/csv",
    key="dl-audit",
    on_click=audit_event,
    args=(principal, "audit-export", name),
    kwargs={"detail": f"{len(rows)} rij(en)"},
)
