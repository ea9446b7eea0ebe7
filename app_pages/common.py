"""Shared UI glue of the Streamlit pages: login state, cached engine, round data, sidebar,
context and the audit of views.

Only caching and widgets live here; every computation is in ``matcher`` modules. Every read
of case data passes the logged-in :class:`~matcher.security.principal.Principal` to the library
(:mod:`matcher.storage`, :mod:`matcher.app.access`), which returns only what it may see; the
caches are keyed by the principal's scope.

Caching
-------
* ``st.cache_resource``: the database engine (per database URL; the demo week is imported
  on first start), the solve-job registry, and the immutable domain objects of a round
  (scenario, travel matrix, plans), keyed by the round's version
  (:func:`matcher.storage.round_state.round_versions`) so every edit invalidates them.
* ``st.cache_data``: derived tables and figures, keyed by round, version, plan and role.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app import access
from matcher.app.access import role_of
from matcher.app.charts import gantt_chart, tour_map_chart, utilisation_chart
from matcher.app.edit_conflicts import (
    ConflictReport,
    conflict_lines,
    invalid_lines,
    resolve_conflict,
)
from matcher.app.problem_text import dutch
from matcher.app.solve_jobs import JobRegistry
from matcher.checker import check_plan
from matcher.cycle.replanning import broken_visits
from matcher.explain.nl import with_messages
from matcher.explain.plan_views import gantt_frame, map_data, unassigned_frame, visits_frame
from matcher.messages.nl import nl_datetime, nl_day, nl_int, status_text, week_label, week_number
from matcher.scenario.domain import Pin, Plan, Scenario
from matcher.scenario.edit import EditResult
from matcher.scenario.problems import markdown_safe
from matcher.security import accounts, audit
from matcher.security.principal import AccessDenied, Principal
from matcher.solver.kpis import WeekKpis, utilisation_frame, week_kpis
from matcher.storage import history
from matcher.storage.engine import database_url, get_engine, normalise_url
from matcher.storage.round_state import (
    PLANNER,
    RoundVersions,
    consultants_in_scope,
    ensure_demo,
    plan_in_scope,
    round_versions,
)
from matcher.travel import TravelMatrix, build_travel_matrix

ROUND_KEY = "round_id"
PENDING_ROUND_KEY = "_select_round"
AUTH_KEY = "_auth"
ACTIVE_KEY = "_last_active"
NOTICE_KEY = "_login_notice"
ICON = "assets/favicon.png"
"""The app's icon (favicon), served by the app itself."""
AUDIT_REPEAT_SECONDS = 300
"""The same view of the same data by the same session is audited once per 5 minutes."""


# Resources ------------------------------------------------------------------------------------

ROW_PX, HEADER_PX = 35, 38
"""Streamlit's table row and header height in pixels."""
TABLE_ROWS = 20
"""Tables up to this many rows are shown whole; longer ones scroll in a box of this size."""


def table_height(n_rows: int) -> int | str:
    """A table's height sized to its content: every row up to :data:`TABLE_ROWS`, then a
    box of that many rows that scrolls (Streamlit's default shows about 10)."""
    return "content" if n_rows <= TABLE_ROWS else HEADER_PX + ROW_PX * TABLE_ROWS + 2


def edit_table(data: Any, **kwargs: Any) -> Any:
    """``st.data_editor`` as the app's tables use it: no index, full width, rows may be
    added and deleted, empty cells read "—" (each can be overridden)."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("num_rows", "dynamic")
    kwargs.setdefault("placeholder", "—")
    return st.data_editor(data, **kwargs)


def edited(key: str) -> bool:
    """Whether the table editor with session key ``key`` holds unsaved edits (changed,
    added or deleted rows)."""
    state: Any = st.session_state.get(key)
    if not isinstance(state, dict):
        return False
    return bool(state.get("edited_rows") or state.get("added_rows") or state.get("deleted_rows"))


def consultant_column(ids: list[str]) -> Any:
    """The "Consultant" column of an availability table: one of ``ids``, preset when there
    is only one."""
    return st.column_config.SelectboxColumn(
        "Consultant", options=ids, default=ids[0] if len(ids) == 1 else None
    )


def time_columns(start_help: str = "HH:MM", end_help: str = "HH:MM (24:00 mag)") -> dict[str, Any]:
    """The column settings of a table's "Van" and "Tot" times (HH:MM)."""
    return {
        "Van": st.column_config.TextColumn("Van", help=start_help, max_chars=5),
        "Tot": st.column_config.TextColumn("Tot", help=end_help, max_chars=5),
    }


def show_table(data: Any, **kwargs: Any) -> Any:
    """``st.dataframe`` sized to its content (see :func:`table_height`), without an index
    and full width unless told otherwise; empty cells read "—"."""
    kwargs.setdefault("height", table_height(len(data)))
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", "—")
    return st.dataframe(data, **kwargs)


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = get_engine(url)
    ensure_demo(engine)
    return engine


def announce_setup_token(eng: Engine) -> None:
    """Print the one-time setup token on the server console while no account exists."""
    if not accounts.needs_setup(eng):
        return
    token = accounts.setup_token()
    if st.session_state.get("_token_shown") == token:
        return
    st.session_state["_token_shown"] = token
    _print_token(token)


@st.cache_resource(show_spinner=False, max_entries=4)
def _print_token(token: str) -> None:
    print(
        "\nConsultplanner: er is nog geen account. Insteltoken voor het eerste account "
        f"(ketenregisseur): {token}\n",
        file=sys.stderr,
        flush=True,
    )


def db_url() -> str:
    return database_url()


def engine() -> Engine:
    """The engine of ``DATABASE_URL`` (default SQLite file); demo imported when empty."""
    return _engine_for(db_url())


@st.cache_resource(show_spinner=False)
def jobs() -> JobRegistry:
    """The solve jobs of this server process (shared by all sessions)."""
    return JobRegistry()


@st.cache_resource(show_spinner=False, max_entries=16)
def _snapshot(url: str, round_id: int, version: tuple[int, ...]) -> storage.RoundSnapshot:
    """The whole round with the versions it was read at (for conflict-checked saves; never
    shown: pages show the principal's scoped scenario)."""
    return storage.load_round(_engine_for(url), round_id)


Scope = tuple[str, str | None, str | None, str | None]
"""A principal without its account name: role, provider, gemeente, consultant (cache key)."""
FULL_SCOPE: Scope = ("ketenregisseur", None, None, None)
"""The server's own view (whole week), for checks whose results are filtered before use."""


def scope_of(principal: Principal) -> Scope:
    return (principal.role, principal.provider, principal.gemeente, principal.consultant)


def _principal(scope: Scope) -> Principal:
    return Principal("", *scope)


@st.cache_resource(show_spinner=False, max_entries=32)
def _scenario(url: str, round_id: int, version: tuple[int, ...], scope: Scope) -> Scenario:
    return storage.export_scenario(_engine_for(url), round_id, principal=_principal(scope))


@st.cache_resource(show_spinner=False, max_entries=32)
def _travel(url: str, round_id: int, version: tuple[int, ...], scope: Scope) -> TravelMatrix:
    return build_travel_matrix(_scenario(url, round_id, version, scope))


@st.cache_resource(show_spinner=False, max_entries=64)
def _plan(url: str, plan_id: int, version: tuple[int, ...], scope: Scope) -> Plan:
    return storage.load_plan(_engine_for(url), plan_id, principal=_principal(scope))


@st.cache_data(show_spinner=False, ttl=60)
def _rounds(url: str, token: int) -> list[storage.RoundInfo]:
    return storage.list_rounds(_engine_for(url))


def select_round(round_id: int) -> None:
    """Select ``round_id`` in the week picker on the next run."""
    st.session_state[PENDING_ROUND_KEY] = round_id


def rounds_changed() -> None:
    """Forget the cached list of rounds (after an import)."""
    _rounds.clear()


# Context -----------------------------------------------------------------------------------


@dataclass
class Ctx:
    """Everything a page needs about the selected week, read once per run."""

    url: str
    engine: Engine
    round: storage.RoundInfo
    versions: RoundVersions
    scenario: Scenario
    """The week as the principal may see it (scoped by the library)."""
    travel: TravelMatrix
    role: str
    """``ketenregisseur`` or the provider key (see :func:`matcher.app.access.role_of`)."""
    plan_id: int | None
    plan: Plan | None
    stored: storage.Versions
    """The versions the week was read at: pass them when saving an edit of it."""
    principal: Principal

    @property
    def scope_key(self) -> Scope:
        return scope_of(self.principal)

    @property
    def round_id(self) -> int:
        return self.round.id

    @property
    def planner(self) -> bool:
        return self.role == PLANNER

    @property
    def version(self) -> tuple[int, ...]:
        return self.versions.scenario

    @property
    def scope(self) -> list[str]:
        return [c.id for c in consultants_in_scope(self.scenario, self.role)]

    @property
    def locked(self) -> frozenset[str]:
        return frozenset(r.id for r in self.scenario.requests if r.pinned is not None)

    @property
    def week(self) -> str:
        return week_label(self.round.week, self.round.first_day, self.round.last_day)

    def visible_plan(self) -> Plan | None:
        if self.plan is None:
            return None
        return plan_in_scope(self.scenario, self.plan, self.role)

    def load_plan(self, plan_id: int) -> Plan:
        """A saved plan of the round, scoped to the principal (reasons with their messages)."""
        return with_messages(
            self.scenario, _plan(self.url, plan_id, self.version, self.scope_key), self.travel
        )


def round_label(info: storage.RoundInfo) -> str:
    """``week 49 · Limburg`` (the ISO week first; the name without its own week words)."""
    num = week_number(info.week, info.first_day)
    if num is None:
        return info.name
    rest = re.sub(rf"\s*\bweek\s*{num}\b\s*", " ", info.name, flags=re.IGNORECASE).strip()
    return f"week {num} · {rest}" if rest else f"week {num}"


def database_text(url: str) -> str:
    """Which kind of database is used: no path, host or credentials."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "SQLite" if parsed.database else "SQLite (in het geheugen)"
    return "PostgreSQL"


# Login state --------------------------------------------------------------------------


def client_address() -> str:
    """The browser's network address (and the forwarded one behind a reverse proxy)."""
    try:
        ip = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For", "")
    except Exception:  # no request context
        ip, forwarded = "", ""
    ip = ip if isinstance(ip, str) else ""  # AppTest has no real request
    forwarded = forwarded if isinstance(forwarded, str) else ""
    if forwarded:
        first = forwarded.split(",")[0].strip()
        return f"{first} via {ip}" if ip and ip != first else first
    return ip


def _set_principal(account: accounts.Account, how: str) -> None:
    st.session_state[AUTH_KEY] = {
        "account": account.username,
        "name": account.display_name or account.username,
        "role": account.role,
        "provider": account.provider,
        "gemeente": account.gemeente,
        "consultant": account.consultant,
        "how": how,
    }
    st.session_state[ACTIVE_KEY] = time.time()


def log_in(account: accounts.Account, how: str = "wachtwoord") -> None:
    """Start the session of ``account`` (after a checked password or SSO identity)."""
    _set_principal(account, how)
    audit.record(engine(), account.principal(), "login", client=client_address(), detail=how)


def log_out(reason: str = "") -> None:
    """End the session (audited); ``reason`` is shown on the login form."""
    principal = current_principal(touch=False)
    if principal is not None:
        audit.record(
            engine(), principal, "logout", client=client_address(), detail=reason or "knop"
        )
    for key in list(st.session_state.keys()):
        if key != NOTICE_KEY:
            del st.session_state[key]
    if reason:
        st.session_state[NOTICE_KEY] = reason
    if _sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml
        return False


def sso_configured() -> bool:
    """Whether single sign-on (``[auth]`` in ``.streamlit/secrets.toml``) is set up."""
    return _sso_configured()


def current_principal(touch: bool = True) -> Principal | None:
    """The logged-in principal, or ``None``; logs out an idle session (30 minutes)."""
    data = st.session_state.get(AUTH_KEY)
    if not isinstance(data, dict):
        if _sso_configured() and getattr(st.user, "is_logged_in", False):
            account = accounts.sso_account(engine(), st.user.get("email"))
            if account is not None:
                log_in(account, "sso")
                data = st.session_state[AUTH_KEY]
        if not isinstance(data, dict):
            return None
    now = time.time()
    last = float(st.session_state.get(ACTIVE_KEY, now))
    if touch and accounts.is_idle(last, now):
        minutes = int(accounts.idle_minutes())
        log_out(f"Je bent na {minutes} minuten zonder activiteit uitgelogd.")
        return None
    if touch:
        st.session_state[ACTIVE_KEY] = now
    return Principal(
        data["account"], data["role"], data["provider"], data["gemeente"], data["consultant"]
    )


def account_box(principal: Principal) -> None:
    """Who is logged in, and the logout button (sidebar)."""
    data = st.session_state.get(AUTH_KEY) or {}
    scope = principal.provider or principal.gemeente or ""
    if principal.consultant:
        scope = principal.consultant
    extra = f" · {scope}" if scope else ""
    st.sidebar.markdown(f"**{data.get('name', principal.account)}**  \n{principal.label}{extra}")
    st.sidebar.button(
        "Uitloggen", key="logout", icon=":material/logout:", on_click=log_out, width="stretch"
    )


# Audit ----------------------------------------------------------------------------------


def audit_event(
    principal: Principal,
    action: str,
    subject: str,
    *,
    round_id: int | None = None,
    cases: Iterable[str] = (),
    locations: Iterable[str] = (),
    consultants: Iterable[str] = (),
    detail: str = "",
) -> None:
    """Write one audit row (edits, downloads, exports)."""
    audit.record(
        engine(),
        principal,
        action,
        subject=subject,
        round_id=round_id,
        cases=cases,
        locations=locations,
        consultants=consultants,
        client=client_address(),
        detail=detail,
    )


def audit_view(
    ctx: Ctx,
    subject: str,
    *,
    cases: Iterable[str] = (),
    locations: Iterable[str] = (),
    consultants: Iterable[str] = (),
) -> None:
    """Audit that the page showed these case data (once per 5 minutes per session)."""
    case_list = sorted(set(cases))
    loc_list = sorted(set(locations))
    con_list = sorted(set(consultants))
    key = (subject, ctx.round_id, ctx.plan_id, tuple(case_list), tuple(loc_list), tuple(con_list))
    seen: dict[Any, float] = st.session_state.setdefault("_audited", {})
    now = time.time()
    if now - seen.get(key, 0.0) < AUDIT_REPEAT_SECONDS:
        return
    seen[key] = now
    audit_event(
        ctx.principal,
        "view",
        subject,
        round_id=ctx.round_id,
        cases=case_list,
        locations=loc_list,
        consultants=con_list,
    )


def audit_view_for(
    principal: Principal,
    subject: str,
    round_id: int | None,
    *,
    cases: Iterable[str] = (),
) -> None:
    """:func:`audit_view` for pages without a planning context (the cost report)."""
    case_list = sorted(set(cases))
    key = (subject, round_id, None, tuple(case_list), (), ())
    seen: dict[Any, float] = st.session_state.setdefault("_audited", {})
    now = time.time()
    if now - seen.get(key, 0.0) < AUDIT_REPEAT_SECONDS:
        return
    seen[key] = now
    audit_event(principal, "view", subject, round_id=round_id, cases=case_list)


def plan_cases(ctx: Ctx, plan: Plan | None = None) -> dict[str, list[str]]:
    """Case codes, location ids and consultant ids of a (scoped) plan, for the audit."""
    shown = plan if plan is not None else ctx.visible_plan()
    if shown is None:
        return {"cases": [], "locations": [], "consultants": []}
    own = set(ctx.scope)
    return {
        "cases": [v.youth for v in shown.visits],
        "locations": [v.location for v in shown.visits],
        "consultants": [c for v in shown.visits for c in v.consultants if c in own or ctx.planner],
    }


# Sidebar ---------------------------------------------------------------------------------


def sidebar(principal: Principal) -> Ctx | None:
    """The account box and (for roles with case data) the week picker; returns the context."""
    st.session_state.pop("_ctx", None)
    account_box(principal)
    if not principal.sees_cases:
        return None
    url = db_url()
    eng = _engine_for(url)
    rounds = sorted(
        _rounds(url, 0),
        key=lambda r: (r.first_day or dt.date.min, r.created_at),
        reverse=True,
    )
    if not rounds:
        st.sidebar.warning("Er is nog geen planningsweek. Importeer een scenario.")
        return None
    ids = [r.id for r in rounds]
    wanted = st.session_state.pop(PENDING_ROUND_KEY, None)
    if wanted in ids:
        st.session_state[ROUND_KEY] = wanted
    if st.session_state.get(ROUND_KEY) not in ids:
        st.session_state[ROUND_KEY] = ids[0]
    by_id = {r.id: r for r in rounds}
    st.sidebar.selectbox(
        "Week (ISO)",
        ids,
        key=ROUND_KEY,
        format_func=lambda rid: round_label(by_id[rid]),
        help="De planningsweek (ISO-week) waaraan je werkt.",
    )
    info = by_id[st.session_state[ROUND_KEY]]
    versions = round_versions(eng, info.id)
    stored = _snapshot(url, info.id, versions.scenario).versions
    scope = scope_of(principal)
    scenario = _scenario(url, info.id, versions.scenario, scope)
    # The round's plan: the last accepted one (re-plans wait as proposals), else the newest.
    plan_id = history.current_plan_id(eng, info.id, newest=versions.plan) if versions.plan else None
    plan = _plan(url, plan_id, versions.scenario, scope) if plan_id else None
    travel = _travel(url, info.id, versions.scenario, scope)
    if plan is not None:  # the stored English reasons get their messages (Dutch) back
        plan = with_messages(scenario, plan, travel)
    running = jobs().get(info.id)
    if principal.full_access and running is not None and running.running:
        st.sidebar.info("Er loopt een planning voor deze week.", icon=":material/autorenew:")
    if principal.full_access:
        st.sidebar.caption(f"Database: {database_text(url)}")
    ctx = Ctx(
        url=url,
        engine=eng,
        round=info,
        versions=versions,
        scenario=scenario,
        travel=travel,
        role=role_of(principal),
        plan_id=plan_id,
        plan=plan,
        stored=stored,
        principal=principal,
    )
    st.session_state["_ctx"] = ctx
    return ctx


def context() -> Ctx | None:
    """The context the sidebar built in this run."""
    ctx = st.session_state.get("_ctx")
    return ctx if isinstance(ctx, Ctx) else None


def plan_caption(ctx: Ctx) -> str:
    """``Planning #7 van 28-11-2026 20:15 · goede planning, niet bewezen de beste · score
    43.408``."""
    if ctx.plan_id is None or ctx.plan is None:
        return "Nog geen planning voor deze week."
    info = next(
        (
            p
            for p in storage.list_plans(ctx.engine, ctx.round_id, principal=ctx.principal)
            if p.id == ctx.plan_id
        ),
        None,
    )
    when = nl_datetime(info.created_at) if info else ""
    label = f" ({info.label})" if info and info.label else ""
    obj = ctx.plan.solver.objective
    parts = [f"Planning #{ctx.plan_id}{label} van {when}", status_text(ctx.plan.solver.status)]
    if obj is not None and ctx.planner:
        parts.append(f"score {nl_int(obj)}")
    return " · ".join(parts)


# Cached derived data ----------------------------------------------------------------------------


def _key(ctx: Ctx) -> tuple[str, int, tuple[int, ...], int, Scope]:
    return (ctx.url, ctx.round_id, ctx.version, ctx.plan_id or 0, ctx.scope_key)


def _parts(
    url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope
) -> tuple[Scenario, Plan, str]:
    """Scoped scenario, scoped plan (in the role's view) and the role string."""
    s = _scenario(url, rid, ver, sc)
    role = role_of(_principal(sc))
    return s, plan_in_scope(s, _plan(url, pid, ver, sc), role), role


@st.cache_data(show_spinner=False, max_entries=32)
def _visits_table(url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope) -> pd.DataFrame:
    s, plan, role = _parts(url, rid, ver, pid, sc)
    locked = frozenset(r.id for r in s.requests if r.pinned is not None)
    return visits_frame(s, plan, role, locked)


def visits_table(ctx: Ctx) -> pd.DataFrame:
    return _visits_table(*_key(ctx))


VISITS_COLUMNS = (
    "Dag",
    "Begin",
    "Eind",
    "Consultants",
    "Aanvraag",
    "Casuscode",
    "Urgentie",
    "Locatie",
    "Gemeente",
    "Adres",
    "Rollen",
    "Vergrendeld",
)
"""The order the visits table is shown in: who goes comes before the long place columns, so
it is not scrolled out of view on a laptop screen."""


@st.cache_data(show_spinner=False, max_entries=32)
def _unassigned_table(
    url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope
) -> pd.DataFrame:
    return unassigned_frame(_scenario(url, rid, ver, sc), _plan(url, pid, ver, sc))


def unassigned_table(ctx: Ctx) -> pd.DataFrame:
    return _unassigned_table(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _gantt(url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope) -> pd.DataFrame:
    s, plan, role = _parts(url, rid, ver, pid, sc)
    scope = [c.id for c in consultants_in_scope(s, role)]
    locked = frozenset(r.id for r in s.requests if r.pinned is not None)
    # Visits the data no longer allow (an absence after the plan), checked on the whole week
    # on the server; only the ids of this view's own visits are used.
    whole = _snapshot(url, rid, ver).scenario
    broken = set(broken_visits(whole, _plan(url, pid, ver, FULL_SCOPE).visits)) & {
        v.request for v in plan.visits
    }
    return gantt_frame(s, plan, _travel(url, rid, ver, sc), scope, locked, broken)


def gantt(ctx: Ctx) -> pd.DataFrame:
    return _gantt(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=64)
def _map(url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope, day: Any) -> Any:
    s, plan, role = _parts(url, rid, ver, pid, sc)
    scope = {c.id for c in consultants_in_scope(s, role)}
    return map_data(s, plan, _travel(url, rid, ver, sc), day, scope, role)


def day_map(ctx: Ctx, day: Any) -> Any:
    return _map(*_key(ctx), day)


# Chart specs are cached as Vega-Lite dicts: building them with altair costs 100-250 ms.


@st.cache_data(show_spinner=False, max_entries=64)
def _gantt_spec(
    url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope, day: dt.date | None
) -> dict[str, Any]:
    frame = _gantt(url, rid, ver, pid, sc)
    days = _scenario(url, rid, ver, sc).days
    if day is None:
        shown, order = frame, [nl_day(d) for d in days]
    else:
        shown, order = frame[frame["date"] == day], [nl_day(day)]
    return gantt_chart(shown.drop(columns=["date"]), order).to_dict()


def gantt_spec(ctx: Ctx, day: dt.date | None) -> dict[str, Any]:
    """The week calendar (``day=None``) or one day's calendar, as a Vega-Lite spec."""
    return _gantt_spec(*_key(ctx), day)


@st.cache_data(show_spinner=False, max_entries=64)
def _map_spec(
    url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope, day: dt.date
) -> dict[str, Any]:
    return tour_map_chart(_map(url, rid, ver, pid, sc, day)).to_dict()


def map_spec(ctx: Ctx, day: dt.date) -> dict[str, Any]:
    """The day's tours over the shipped base layer (no request leaves the machine)."""
    return _map_spec(*_key(ctx), day)


@st.cache_data(show_spinner=False, max_entries=32)
def _utilisation(
    url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope
) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = utilisation_frame(_scenario(url, rid, ver, sc), _kpis(url, rid, ver, pid, sc))
    return frame, utilisation_chart(frame).to_dict()


def utilisation(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The utilisation table and its bar chart spec."""
    return _utilisation(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _kpis(url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope) -> WeekKpis:
    s = _scenario(url, rid, ver, sc)
    principal = _principal(sc)
    plan = _plan(url, pid, ver, sc) if pid else None
    role = role_of(principal)
    scope = None if principal.full_access else [c.id for c in consultants_in_scope(s, role)]
    return week_kpis(s, plan, _travel(url, rid, ver, sc), scope)


def kpis(ctx: Ctx) -> WeekKpis:
    return _kpis(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _violations(url: str, rid: int, ver: tuple[int, ...], pid: int, sc: Scope) -> list[str]:
    s = _scenario(url, rid, ver, sc)
    report = check_plan(s, _plan(url, pid, ver, sc), _travel(url, rid, ver, sc))
    return [v for v in report.violations if not v.startswith(("solver.", "kpis."))]


def violations(ctx: Ctx) -> list[str]:
    """Rules the current plan breaks against the current data (ketenregisseur only)."""
    if ctx.plan_id is None or not ctx.planner:
        return []
    return _violations(*_key(ctx))


def show_problems(problems: Any, title: str) -> None:
    """An error box listing problems (one per line), each in Dutch
    (:func:`matcher.app.problem_text.dutch`)."""
    items = list(problems)
    if not items:
        return
    lines = "\n".join(f"- {markdown_safe(dutch(p))}" for p in items[:30])
    more = f"\n- … en nog {len(items) - 30}" if len(items) > 30 else ""
    st.error(f"**{markdown_safe(title)}**\n\n{lines}{more}", icon=":material/error:")


def no_round() -> None:
    st.info("Er is nog geen planningsweek. Importeer een scenario op de pagina Aanvragen.")


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` on the next run (after ``st.rerun``): a success note, or with
    ``kind="warning"`` a warning."""
    st.session_state["_flash"] = (kind, message)


def show_flash() -> None:
    note = st.session_state.pop("_flash", None)
    if not note:
        return
    kind, message = note if isinstance(note, tuple) else ("success", note)
    if kind == "warning":
        st.warning(message, icon=":material/sync_problem:")
    else:
        st.success(message, icon=":material/check_circle:")


# Saving edits --------------------------------------------------------------------------------

_CONFLICT = "_conflict-{}"


@dataclass(frozen=True)
class EditBase:
    """The snapshot a table editor shows and edits (see :func:`edit_base`)."""

    key: str
    version: tuple[int, ...]
    scenario: Scenario
    """The week as the principal may see it then (what the tables show)."""
    stored: storage.Versions
    full: Scenario | None = None
    """The whole week then, for applying the edit server-side (never shown)."""

    def drop(self) -> None:
        """Follow the newest data again on the next run (after a save or a conflict)."""
        st.session_state.pop(self.key, None)


def edit_base(ctx: Ctx, name: str, has_edits: Callable[[tuple[int, ...]], bool]) -> EditBase:
    """The snapshot to edit in the tables called ``name``.

    Normally the newest data (``ctx``). While the tables hold unsaved edits made on an
    older snapshot (someone else saved in the meantime), that snapshot stays, so the edits
    are neither dropped nor applied to rows they were not made on; saving them is then
    checked against what changed (:func:`save_table_edit`). ``has_edits(version)`` tells
    whether the editors of a snapshot version hold edits.
    """
    key = f"_base-{name}-{ctx.round_id}"
    prev = st.session_state.get(key)
    if isinstance(prev, EditBase) and prev.version != ctx.version and has_edits(prev.version):
        base = prev
    else:
        snapshot = _snapshot(ctx.url, ctx.round_id, ctx.versions.scenario)
        base = EditBase(key, ctx.version, ctx.scenario, snapshot.versions, snapshot.scenario)
    st.session_state[key] = base
    return base


def save_table_edit(
    ctx: Ctx, base: EditBase, result: EditResult, key: str, done: Callable[[int], str]
) -> None:
    """Save a valid table edit made on ``base``, then rerun.

    Saved: the ``done(n)`` note. Someone else changed the same entity meanwhile: nothing is
    saved, and the next runs show who changed what with the choice to merge or discard
    (:func:`conflict_panel` with the same ``key``). Valid alone but not with what others
    saved meanwhile: the problems are shown and nothing is saved.
    """
    _save(ctx, result, base.stored, key, done, base)


def _save(
    ctx: Ctx,
    result: EditResult,
    versions: storage.Versions | None,
    key: str,
    done: Callable[[int], str],
    base: EditBase | None = None,
) -> None:
    try:
        n = access.save_scoped_edit(ctx.engine, ctx.round_id, ctx.principal, result, versions)
    except AccessDenied as exc:
        st.error(str(exc))
        return
    except storage.StaleEditError as exc:
        st.session_state[_CONFLICT.format(key)] = resolve_conflict(result, exc)
        if base is not None:
            base.drop()
        st.rerun()
    except storage.InvalidEditError as exc:
        show_problems(
            invalid_lines(exc),
            "Deze wijziging past niet bij wat intussen is opgeslagen; er is niets opgeslagen",
        )
        return
    if base is not None:
        base.drop()
    audit_event(
        ctx.principal,
        "edit",
        key,
        round_id=ctx.round_id,
        cases=result.upserts.get("youths", ()),
        locations=result.upserts.get("locations", ()),
        consultants=result.upserts.get("consultants", ()),
        detail="aanvragen: " + ", ".join((*result.upserts.get("requests", ()), *result.deletes)),
    )
    flash(done(n))
    st.rerun()


def conflict_panel(ctx: Ctx, key: str, done: Callable[[int], str]) -> None:
    """The refused save of ``key`` (if any): what changed, and merge or discard buttons."""
    report = st.session_state.get(_CONFLICT.format(key))
    if not isinstance(report, ConflictReport):
        return
    with st.container(border=True):
        st.warning(report.message, icon=":material/sync_problem:")
        row = st.container(horizontal=True)
        merge = row.button(
            "Samenvoegen en opslaan",
            key=f"merge-{key}",
            type="primary",
            disabled=report.merged is None,
        )
        drop = row.button("Wijziging weggooien", key=f"drop-{key}")
    if drop:
        st.session_state.pop(_CONFLICT.format(key), None)
        st.rerun()
    if merge and report.merged is not None:
        st.session_state.pop(_CONFLICT.format(key), None)
        _save(ctx, report.merged, report.versions, key, done)


SAVE_PROBLEMS_KEY = "_save_problems"
"""Problems of a save made in a widget callback, for the page to show (see
:func:`pending_save_problems`)."""


def pending_save_problems() -> None:
    """Show the problems a save in a callback left (once)."""
    pending = st.session_state.pop(SAVE_PROBLEMS_KEY, None)
    if isinstance(pending, tuple):
        title, lines = pending
        show_problems(lines, title)


def save_locks(
    ctx: Ctx,
    pins: dict[str, Pin | None],
    done: str,
    *,
    plan: Plan | None = None,
    rerun: bool = True,
) -> None:
    """Lock/unlock visits (and save a hand-made plan with them) made on ``ctx``'s snapshot
    and plan, then rerun; a conflict or an invalid result is reported, nothing saved.

    ``rerun=False`` for a widget callback (it runs before the page, which then shows the
    new data and the note at once: one run instead of two); its problems are kept for
    :func:`pending_save_problems`.
    """
    try:
        access.set_pins(
            ctx.engine,
            ctx.round_id,
            ctx.principal,
            pins,
            ctx.stored,
            plan=plan,
            plan_based_on=(ctx.plan_id or 0) if plan is not None else None,
        )
    except storage.StaleEditError as exc:
        current = exc.current.scenario if exc.current else None
        lines = conflict_lines(exc.conflicts, ctx.scenario, current)
        flash(" ".join([*lines, RELOADED]), "warning")
        if rerun:
            st.rerun()
        return
    except storage.InvalidEditError as exc:
        title = "Dit past niet bij wat intussen is opgeslagen; er is niets opgeslagen"
        if not rerun:
            st.session_state[SAVE_PROBLEMS_KEY] = (title, tuple(invalid_lines(exc)))
            return
        show_problems(invalid_lines(exc), title)
        return
    if plan is not None:
        _accept_hand_plan(ctx)
    _audit_planning_edit(ctx, done, pins)
    flash(done)
    if rerun:
        st.rerun()


def _audit_planning_edit(ctx: Ctx, message: str, requests: Iterable[str]) -> None:
    """Audit an edit of the plan by the case codes and locations of its requests."""
    cases: list[str] = []
    locations: list[str] = []
    for rid in requests:
        try:
            youth = ctx.scenario.youth(ctx.scenario.request(rid).youth)
        except KeyError:
            continue
        cases.append(youth.id)
        locations.append(youth.location)
    audit_event(
        ctx.principal,
        "edit",
        f"planning: {message}",
        round_id=ctx.round_id,
        cases=cases,
        locations=locations,
    )


def _accept_hand_plan(ctx: Ctx) -> None:
    """A visit moved by hand is the planner's own decision: its plan is accepted at once, so
    the next re-plan keeps it (it is published from then on)."""
    newest = storage.list_plans(ctx.engine, ctx.round_id)
    if newest and newest[0].label == "handmatig":
        access.accept_plan(ctx.engine, ctx.round_id, ctx.principal, newest[0].id)


def save_hand_plan(ctx: Ctx, plan: Plan, done: str, *, rerun: bool = True) -> None:
    """Save a plan changed by hand from ``ctx``'s plan, unless a newer plan was saved;
    ``rerun=False`` in a widget callback (as :func:`save_locks`)."""
    try:
        access.save_plan(
            ctx.engine,
            ctx.round_id,
            ctx.principal,
            plan,
            label="handmatig",
            based_on=ctx.plan_id or 0,
        )
    except storage.StaleEditError as exc:
        flash(" ".join([*conflict_lines(exc.conflicts, None, None), RELOADED]), "warning")
        if rerun:
            st.rerun()
        return
    _accept_hand_plan(ctx)
    before = set(ctx.plan.visits) if ctx.plan is not None else set()
    _audit_planning_edit(ctx, done, {v.request for v in before.symmetric_difference(plan.visits)})
    flash(done)
    if rerun:
        st.rerun()


RELOADED = (
    "Je wijziging is niet opgeslagen; hieronder staan nu de nieuwe gegevens. "
    "Probeer het zo nodig opnieuw."
)
