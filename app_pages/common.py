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
from collections.abc import Callable
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
from matcher.domain import Pin, Plan, Scenario
from matcher.edit_conflicts import ConflictReport, conflict_lines, invalid_lines, resolve_conflict
from matcher.kpis import WeekKpis, utilisation_frame, week_kpis
from matcher.nl import nl_datetime, nl_day, week_label, week_number
from matcher.plan_views import gantt_frame, map_data, unassigned_frame, visits_frame
from matcher.scenario_edit import EditResult, save_edit, save_pins
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
def _snapshot(url: str, round_id: int, version: tuple[int, ...]) -> storage.RoundSnapshot:
    """The round's scenario with the versions it was read at (for conflict-checked saves)."""
    return storage.load_round(_engine_for(url), round_id)


def _scenario(url: str, round_id: int, version: tuple[int, ...]) -> Scenario:
    return _snapshot(url, round_id, version).scenario


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
    stored: storage.Versions
    """The versions ``scenario`` was read at: pass them when saving an edit of it."""

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
    snapshot = _snapshot(url, info.id, versions.scenario)
    scenario = snapshot.scenario
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
        stored=snapshot.versions,
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
    lines = "\n".join(f"- {p}" for p in items[:30])
    more = f"\n- … en nog {len(items) - 30}" if len(items) > 30 else ""
    st.error(f"**{title}**\n\n{lines}{more}", icon=":material/error:")


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
    stored: storage.Versions

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
        base = EditBase(key, ctx.version, ctx.scenario, ctx.stored)
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
        n = save_edit(ctx.engine, ctx.round_id, result, versions)
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


def save_locks(
    ctx: Ctx,
    pins: dict[str, Pin | None],
    done: str,
    *,
    plan: Plan | None = None,
) -> None:
    """Lock/unlock visits (and save a hand-made plan with them) made on ``ctx``'s snapshot
    and plan, then rerun; a conflict or an invalid result is reported, nothing saved."""
    try:
        save_pins(
            ctx.engine,
            ctx.round_id,
            pins,
            ctx.stored,
            plan=plan,
            plan_based_on=(ctx.plan_id or 0) if plan is not None else None,
        )
    except storage.StaleEditError as exc:
        current = exc.current.scenario if exc.current else None
        lines = conflict_lines(exc.conflicts, ctx.scenario, current)
        flash(" ".join([*lines, RELOADED]), "warning")
        st.rerun()
    except storage.InvalidEditError as exc:
        show_problems(
            invalid_lines(exc),
            "Dit past niet bij wat intussen is opgeslagen; er is niets opgeslagen",
        )
        return
    flash(done)
    st.rerun()


def save_hand_plan(ctx: Ctx, plan: Plan, done: str) -> None:
    """Save a plan changed by hand from ``ctx``'s plan, unless a newer plan was saved."""
    try:
        storage.save_plan(
            ctx.engine, ctx.round_id, plan, label="handmatig", based_on=ctx.plan_id or 0
        )
    except storage.StaleEditError as exc:
        flash(" ".join([*conflict_lines(exc.conflicts, None, None), RELOADED]), "warning")
        st.rerun()
    flash(done)
    st.rerun()


RELOADED = (
    "Je wijziging is niet opgeslagen; hieronder staan nu de nieuwe gegevens. "
    "Probeer het zo nodig opnieuw."
)
