"""Shared UI glue of the Streamlit pages: cached engine, round data, sidebar and context.

Only caching and widgets live here; every computation is in ``matcher`` modules.

Caching
-------
* ``st.cache_resource``: the database engine (per database URL; the demo week is imported
  on first start), the solve-job registry, and the immutable domain objects of a round
  (scenario, travel matrix, plans), keyed by the round's version
  (:func:`matcher.app_state.round_versions`) so every edit invalidates them.
* ``st.cache_data``: derived tables and figures, keyed by round, version, plan and role.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app_charts import gantt_chart, simple_map_chart, utilisation_chart
from matcher.app_state import (
    PLANNER,
    RoundVersions,
    consultants_in_scope,
    ensure_demo,
    plan_in_scope,
    role_label,
    role_options,
    round_versions,
)
from matcher.checker import check_plan
from matcher.db.engine import database_url, get_engine, normalise_url
from matcher.domain import Plan, Scenario
from matcher.kpis import WeekKpis, utilisation_frame, week_kpis
from matcher.nl import nl_datetime, nl_day, week_label, week_number
from matcher.plan_views import gantt_frame, map_data, unassigned_frame, visits_frame
from matcher.problems import markdown_safe
from matcher.solve_jobs import JobRegistry
from matcher.travel import TravelMatrix, build_travel_matrix

ROUND_KEY = "round_id"
ROLE_KEY = "role"
PENDING_ROUND_KEY = "_select_round"


# Resources ------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = get_engine(url)
    ensure_demo(engine)
    return engine


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
def _scenario(url: str, round_id: int, version: tuple[int, ...]) -> Scenario:
    return storage.export_scenario(_engine_for(url), round_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def _travel(url: str, round_id: int, version: tuple[int, ...]) -> TravelMatrix:
    return build_travel_matrix(_scenario(url, round_id, version))


@st.cache_resource(show_spinner=False, max_entries=32)
def _plan(url: str, plan_id: int) -> Plan:
    return storage.load_plan(_engine_for(url), plan_id)


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
    travel: TravelMatrix
    role: str
    plan_id: int | None
    plan: Plan | None

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
        return _plan(self.url, plan_id)


def round_label(info: storage.RoundInfo) -> str:
    """``week 49 · Limburg`` (the ISO week first; the name without its own week words)."""
    num = week_number(info.week, info.first_day)
    if num is None:
        return info.name
    rest = re.sub(rf"\s*\bweek\s*{num}\b\s*", " ", info.name, flags=re.IGNORECASE).strip()
    return f"week {num} · {rest}" if rest else f"week {num}"


def database_text(url: str) -> str:
    """Which database is used, without credentials."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite ({parsed.database or 'in het geheugen'})"
    return f"PostgreSQL ({parsed.host or 'lokaal'}/{parsed.database or ''})"


def sidebar() -> Ctx | None:
    """Week and role pickers in the sidebar; returns the context of the selection."""
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
    scenario = _scenario(url, info.id, versions.scenario)
    roles = role_options(scenario)
    if st.session_state.get(ROLE_KEY) not in roles:
        st.session_state[ROLE_KEY] = PLANNER
    st.sidebar.selectbox(
        "Rol",
        roles,
        key=ROLE_KEY,
        format_func=lambda r: role_label(scenario, r),
        help="De ketenregisseur ziet alles; een aanbieder ziet alleen de eigen consultants.",
    )
    role = st.session_state[ROLE_KEY]
    plan_id = versions.plan or None
    plan = _plan(url, plan_id) if plan_id else None
    running = jobs().get(info.id)
    if running is not None and running.running:
        st.sidebar.info("Er loopt een planning voor deze week.", icon=":material/autorenew:")
    st.sidebar.caption(f"Database: {database_text(url)}")
    ctx = Ctx(
        url=url,
        engine=eng,
        round=info,
        versions=versions,
        scenario=scenario,
        travel=_travel(url, info.id, versions.scenario),
        role=role,
        plan_id=plan_id,
        plan=plan,
    )
    st.session_state["_ctx"] = ctx
    return ctx


def context() -> Ctx | None:
    """The context the sidebar built in this run."""
    ctx = st.session_state.get("_ctx")
    return ctx if isinstance(ctx, Ctx) else None


def plan_caption(ctx: Ctx) -> str:
    """``Planning #7 van 28-11-2026 20:15 · status feasible · doelfunctie 43.408``."""
    if ctx.plan_id is None or ctx.plan is None:
        return "Nog geen planning voor deze week."
    info = next(
        (p for p in storage.list_plans(ctx.engine, ctx.round_id) if p.id == ctx.plan_id), None
    )
    when = nl_datetime(info.created_at) if info else ""
    label = f" ({info.label})" if info and info.label else ""
    obj = ctx.plan.solver.objective
    parts = [f"Planning #{ctx.plan_id}{label} van {when}", f"status {ctx.plan.solver.status}"]
    if obj is not None and ctx.planner:
        parts.append(f"doelfunctie {obj:,}".replace(",", "."))
    return " · ".join(parts)


# Cached derived data ----------------------------------------------------------------------------


def _key(ctx: Ctx) -> tuple[str, int, tuple[int, ...], int, str]:
    return (ctx.url, ctx.round_id, ctx.version, ctx.plan_id or 0, ctx.role)


@st.cache_data(show_spinner=False, max_entries=32)
def _visits_table(url: str, rid: int, ver: tuple[int, ...], pid: int, role: str) -> pd.DataFrame:
    s = _scenario(url, rid, ver)
    plan = plan_in_scope(s, _plan(url, pid), role)
    locked = frozenset(r.id for r in s.requests if r.pinned is not None)
    return visits_frame(s, plan, role, locked)


def visits_table(ctx: Ctx) -> pd.DataFrame:
    return _visits_table(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _unassigned_table(
    url: str, rid: int, ver: tuple[int, ...], pid: int, role: str
) -> pd.DataFrame:
    return unassigned_frame(_scenario(url, rid, ver), _plan(url, pid))


def unassigned_table(ctx: Ctx) -> pd.DataFrame:
    return _unassigned_table(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _gantt(url: str, rid: int, ver: tuple[int, ...], pid: int, role: str) -> pd.DataFrame:
    s = _scenario(url, rid, ver)
    plan = plan_in_scope(s, _plan(url, pid), role)
    scope = [c.id for c in consultants_in_scope(s, role)]
    locked = frozenset(r.id for r in s.requests if r.pinned is not None)
    return gantt_frame(s, plan, _travel(url, rid, ver), scope, locked)


def gantt(ctx: Ctx) -> pd.DataFrame:
    return _gantt(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=64)
def _map(url: str, rid: int, ver: tuple[int, ...], pid: int, role: str, day: Any) -> Any:
    s = _scenario(url, rid, ver)
    plan = plan_in_scope(s, _plan(url, pid), role)
    scope = {c.id for c in consultants_in_scope(s, role)}
    return map_data(s, plan, _travel(url, rid, ver), day, scope, role)


def day_map(ctx: Ctx, day: Any) -> Any:
    return _map(*_key(ctx), day)


# Chart specs are cached as Vega-Lite dicts: building them with altair costs 100-250 ms.


@st.cache_data(show_spinner=False, max_entries=64)
def _gantt_spec(
    url: str, rid: int, ver: tuple[int, ...], pid: int, role: str, day: dt.date | None
) -> dict[str, Any]:
    frame = _gantt(url, rid, ver, pid, role)
    days = _scenario(url, rid, ver).days
    if day is None:
        shown, order = frame, [nl_day(d) for d in days]
    else:
        shown, order = frame[frame["date"] == day], [nl_day(day)]
    return gantt_chart(shown.drop(columns=["date"]), order).to_dict()


def gantt_spec(ctx: Ctx, day: dt.date | None) -> dict[str, Any]:
    """The week calendar (``day=None``) or one day's calendar, as a Vega-Lite spec."""
    return _gantt_spec(*_key(ctx), day)


@st.cache_data(show_spinner=False, max_entries=64)
def _simple_map_spec(
    url: str, rid: int, ver: tuple[int, ...], pid: int, role: str, day: dt.date
) -> dict[str, Any]:
    return simple_map_chart(_map(url, rid, ver, pid, role, day)).to_dict()


def simple_map_spec(ctx: Ctx, day: dt.date) -> dict[str, Any]:
    return _simple_map_spec(*_key(ctx), day)


@st.cache_data(show_spinner=False, max_entries=32)
def _utilisation(
    url: str, rid: int, ver: tuple[int, ...], pid: int, role: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = utilisation_frame(_scenario(url, rid, ver), _kpis(url, rid, ver, pid, role))
    return frame, utilisation_chart(frame).to_dict()


def utilisation(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The utilisation table and its bar chart spec."""
    return _utilisation(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _kpis(url: str, rid: int, ver: tuple[int, ...], pid: int, role: str) -> WeekKpis:
    s = _scenario(url, rid, ver)
    plan = _plan(url, pid) if pid else None
    scope = None if role == PLANNER else [c.id for c in consultants_in_scope(s, role)]
    return week_kpis(s, plan, _travel(url, rid, ver), scope)


def kpis(ctx: Ctx) -> WeekKpis:
    return _kpis(*_key(ctx))


@st.cache_data(show_spinner=False, max_entries=32)
def _violations(url: str, rid: int, ver: tuple[int, ...], pid: int) -> list[str]:
    s = _scenario(url, rid, ver)
    report = check_plan(s, _plan(url, pid), _travel(url, rid, ver))
    return [v for v in report.violations if not v.startswith(("solver.", "kpis."))]


def violations(ctx: Ctx) -> list[str]:
    """Rules the current plan breaks against the current data (empty when it still fits)."""
    if ctx.plan_id is None:
        return []
    return _violations(ctx.url, ctx.round_id, ctx.version, ctx.plan_id)


def show_problems(problems: Any, title: str) -> None:
    """An error box listing problems (one per line)."""
    items = list(problems)
    if not items:
        return
    lines = "\n".join(f"- {markdown_safe(str(p))}" for p in items[:30])
    more = f"\n- … en nog {len(items) - 30}" if len(items) > 30 else ""
    st.error(f"**{markdown_safe(title)}**\n\n{lines}{more}", icon=":material/error:")


def no_round() -> None:
    st.info("Er is nog geen planningsweek. Importeer een scenario op de pagina Aanvragen.")


def flash(message: str) -> None:
    """Show ``message`` as a success note on the next run (after ``st.rerun``)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")
