"""Consultplanner: the planning app (``streamlit run app.py``).

Dutch user interface over the ``matcher`` package. Nothing is shown before a login: an
anonymous session gets the login form only (or, while no account exists, the one-time
setup form that needs the token printed on the server console). After the login the pages
of the account's role are offered (:mod:`matcher.security.principal`); every page reads its data
through the library with the account's principal. The pages live in ``app_pages/``; every
computation is in ``matcher``. The database is ``DATABASE_URL`` or the SQLite default; an
empty database gets the demo week (``scenarios/limburg-week.yaml``) on first start.
An unexpected error never shows a traceback: it is logged with a reference and shown as a
short Dutch message (:mod:`matcher.app.errors`).
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import ICON, current_principal, sidebar
from matcher.app.errors import guarded
from matcher.app.page_nl import page_script
from matcher.security.principal import (
    ADMIN,
    CONSULTANT,
    GEMEENTE,
    KETENREGISSEUR,
    PRIVACY,
    PROVIDER_PLANNER,
)

st.set_page_config(
    page_title="Consultplanner",
    page_icon=ICON,
    layout="wide",
    initial_sidebar_state="expanded",
)
principal = current_principal()
# Dutch page: <html lang="nl"> and Dutch texts for Streamlit's fixed control texts. In the
# sidebar once logged in, so that nothing comes above a page's title.
(st if principal is None else st.sidebar).html(page_script(), unsafe_allow_javascript=True)
if principal is None:
    login = st.Page("app_pages/login.py", title="Inloggen", default=True)
    st.navigation([login], position="hidden").run()
    st.stop()

overzicht = st.Page("app_pages/overzicht.py", title="Overzicht", default=True)
beschikbaarheid = st.Page("app_pages/beschikbaarheid.py", title="Beschikbaarheid")
aanvragen = st.Page("app_pages/aanvragen.py", title="Aanvragen")
planning = st.Page("app_pages/planning.py", title="Planning")
export = st.Page("app_pages/export.py", title="Export")
kosten = st.Page("app_pages/kosten.py", title="Kosten", default=principal.role == GEMEENTE)
auditlog = st.Page("app_pages/auditlog.py", title="Auditlog", default=principal.role == PRIVACY)
beleid = st.Page("app_pages/beleid.py", title="Beleid")
accounts = st.Page("app_pages/accounts.py", title="Accounts", default=principal.role == ADMIN)
PAGES = {
    KETENREGISSEUR: [
        overzicht,
        beschikbaarheid,
        aanvragen,
        planning,
        export,
        kosten,
        beleid,
        accounts,
    ],
    PROVIDER_PLANNER: [overzicht, beschikbaarheid, aanvragen, planning, export],
    CONSULTANT: [overzicht, beschikbaarheid, planning, export],
    GEMEENTE: [kosten, beleid],
    PRIVACY: [auditlog],
    ADMIN: [accounts],
}
navigation = st.navigation(PAGES[principal.role], position="top")
st.sidebar.title("Consultplanner")
st.sidebar.caption("Consultrondes mensenhandel Limburg")
with guarded("zijbalk", show=st.sidebar.error):
    sidebar(principal)
with guarded(f"pagina {navigation.title}"):
    navigation.run()
