"""Accounts: add, disable and reset accounts (admin and ketenregisseur; no case data)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import audit_event, current_principal, engine
from matcher.messages.nl import nl_datetime
from matcher.security import accounts
from matcher.security.principal import (
    ADMIN,
    CONSULTANT,
    GEMEENTE,
    KETENREGISSEUR,
    PROVIDER_PLANNER,
    ROLE_LABELS,
    ROLES,
)

principal = current_principal(touch=False)
assert principal is not None
principal.require(ADMIN, KETENREGISSEUR)
eng = engine()
st.title("Accounts")
st.caption(
    "Elke medewerker een eigen account. Wachtwoorden worden alleen als argon2id-hash "
    "bewaard. Op de server kan hetzelfde met `matcher users ...`."
)
items = accounts.list_accounts(eng)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Gebruikersnaam": a.username,
                "Naam": a.display_name,
                "Rol": ROLE_LABELS.get(a.role, a.role),
                "Organisatie / gemeente": a.provider or a.gemeente or "",
                "Consultant": a.consultant or "",
                "SSO-adres": a.sso_email or "",
                "Actief": a.active,
                "Geblokkeerd": a.locked(),
                "Laatst ingelogd": nl_datetime(a.last_login_at) if a.last_login_at else "",
            }
            for a in items
        ]
    ),
    hide_index=True,
    width="stretch",
    height="content",
    placeholder="—",
)

st.subheader("Nieuw account")
with st.form("account-add", clear_on_submit=True):
    c1, c2, c3 = st.columns(3)
    username = c1.text_input("Gebruikersnaam", key="acc-user")
    name = c2.text_input("Naam", key="acc-name")
    role = c3.selectbox("Rol", ROLES, format_func=lambda r: ROLE_LABELS[r], key="acc-role")
    c4, c5, c6 = st.columns(3)
    provider = c4.text_input("Organisatie-id (planner, consultant)", key="acc-provider")
    consultant = c5.text_input("Consultant-id (consultant)", key="acc-consultant")
    gemeente = c6.text_input("Gemeente (gemeente)", key="acc-gemeente")
    c7, c8 = st.columns(2)
    password = c7.text_input(
        "Wachtwoord",
        type="password",
        key="acc-password",
        help=f"Minstens {accounts.MIN_PASSWORD_LENGTH} tekens; leeg alleen met SSO-adres.",
    )
    sso = c8.text_input("SSO-adres (e-mail van het organisatie-account)", key="acc-sso")
    add = st.form_submit_button("Toevoegen", type="primary")
if add:
    try:
        made = accounts.create_account(
            eng,
            username,
            password or None,
            role,
            display_name=name,
            provider=provider.strip() or None if role in (PROVIDER_PLANNER, CONSULTANT) else None,
            consultant=consultant.strip() or None if role == CONSULTANT else None,
            gemeente=gemeente.strip() or None if role == GEMEENTE else None,
            sso_email=sso.strip() or None,
        )
    except accounts.AccountError as exc:
        st.error(str(exc))
    else:
        audit_event(principal, "account-add", made.username, detail=f"rol {made.role}")
        st.success(f"Account {made.username} is toegevoegd.")
        st.rerun()

st.subheader("Beheren")
names = [a.username for a in items]
if names:
    with st.form("account-manage"):
        who = st.selectbox("Account", names, key="acc-who")
        new_password = st.text_input("Nieuw wachtwoord", type="password", key="acc-new-password")
        b1, b2, b3 = st.columns(3)
        reset = b1.form_submit_button("Wachtwoord instellen")
        disable = b2.form_submit_button("Uitschakelen")
        enable = b3.form_submit_button("Inschakelen")
    try:
        if reset:
            accounts.set_password(eng, who, new_password)
            audit_event(principal, "account-reset-password", who)
            st.success(f"Het wachtwoord van {who} is ingesteld; een blokkade is opgeheven.")
        elif disable or enable:
            if disable and who == principal.account:
                raise accounts.AccountError("Je kunt je eigen account niet uitschakelen.")
            accounts.set_active(eng, who, bool(enable))
            audit_event(principal, "account-enable" if enable else "account-disable", who)
            st.success(f"Account {who} is {'ingeschakeld' if enable else 'uitgeschakeld'}.")
    except accounts.AccountError as exc:
        st.error(str(exc))
