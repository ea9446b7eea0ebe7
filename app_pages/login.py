"""Inloggen: the only page an anonymous session gets (and the one-time setup form)."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    NOTICE_KEY,
    announce_setup_token,
    client_address,
    engine,
    log_in,
    sso_configured,
)
from matcher.security import accounts, audit

eng = engine()
st.title("Consultplanner")
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.info(notice, icon=":material/info:")

if accounts.needs_setup(eng):
    announce_setup_token(eng)
    st.subheader("Eerste account aanmaken")
    st.write(
        "Er is nog geen account. Maak het eerste account (ketenregisseur) aan met de "
        "insteltoken die de server bij het starten op de console heeft gezet, of op de "
        "server met `matcher users add NAAM --role ketenregisseur`."
    )
    with st.form("setup-form"):
        token = st.text_input("Insteltoken", type="password", key="setup-token")
        username = st.text_input("Gebruikersnaam", key="setup-user")
        name = st.text_input("Naam", key="setup-name")
        first = st.text_input(
            "Wachtwoord",
            type="password",
            key="setup-password",
            help=f"Minstens {accounts.MIN_PASSWORD_LENGTH} tekens.",
        )
        second = st.text_input("Wachtwoord nogmaals", type="password", key="setup-password2")
        make = st.form_submit_button("Account aanmaken", type="primary", key="setup-submit")
    if make:
        if first != second:
            st.error("De twee wachtwoorden zijn niet gelijk.")
        else:
            try:
                account = accounts.create_first_account(eng, token, username, first, name)
            except accounts.AccountError as exc:
                audit.record(
                    eng,
                    None,
                    "setup-failed",
                    account=username[:64],
                    role="",
                    client=client_address(),
                )
                st.error(str(exc))
            else:
                audit.record(
                    eng,
                    account.principal(),
                    "account-add",
                    subject=account.username,
                    client=client_address(),
                    detail="eerste account via insteltoken",
                )
                log_in(account)
                st.rerun()
    st.stop()

st.subheader("Inloggen")
with st.form("login-form"):
    username = st.text_input("Gebruikersnaam", key="login-user")
    password = st.text_input("Wachtwoord", type="password", key="login-password")
    submitted = st.form_submit_button("Inloggen", type="primary", key="login-submit")
if submitted:
    result = accounts.authenticate(eng, username, password)
    if result.account is None:
        audit.record(
            eng,
            None,
            "login-failed",
            account=username.strip()[:64],
            role="",
            client=client_address(),
            detail=result.message,
        )
        st.error(result.message)
    else:
        log_in(result.account)
        st.rerun()

if sso_configured():
    st.divider()
    if getattr(st.user, "is_logged_in", False):
        st.warning(
            "Je organisatie-account is niet aan een account van de planner gekoppeld. "
            "Vraag de beheerder om het te koppelen.",
            icon=":material/link_off:",
        )
        st.button("Afmelden bij organisatie-account", on_click=st.logout, key="sso-logout")
    else:
        st.button(
            "Inloggen met organisatie-account", on_click=st.login, key="sso-login", type="secondary"
        )
st.caption(
    f"Na {accounts.LOCK_AFTER} mislukte pogingen wordt een account {accounts.LOCK_MINUTES} "
    "minuten geblokkeerd. Na 30 minuten zonder activiteit word je uitgelogd."
)
