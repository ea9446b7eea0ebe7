"""Consultplanner: the planning app (``streamlit run app.py``).

Dutch user interface over the ``matcher`` package: week overview, availability, requests,
planning and export. The pages live in ``app_pages/``; every computation is in ``matcher``.
The database is ``DATABASE_URL`` or the SQLite default; an empty database gets the demo
week (``scenarios/limburg-week.yaml``) on first start. An unexpected error never shows a
traceback: it is logged with a reference and shown as a short Dutch message
(:mod:`matcher.app_errors`).
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import sidebar
from matcher.app_errors import guarded

st.set_page_config(
    page_title="Consultplanner",
    page_icon=":material/calendar_month:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page("app_pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
    st.Page(
        "app_pages/beschikbaarheid.py", title="Beschikbaarheid", icon=":material/event_available:"
    ),
    st.Page("app_pages/aanvragen.py", title="Aanvragen", icon=":material/assignment:"),
    st.Page("app_pages/planning.py", title="Planning", icon=":material/route:"),
    st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
]
navigation = st.navigation(pages, position="top")
st.sidebar.title("Consultplanner")
st.sidebar.caption("Consultrondes mensenhandel Limburg")
with guarded("zijbalk", show=st.sidebar.error):
    sidebar()
with guarded(f"pagina {navigation.title}"):
    navigation.run()
