"""Beschikbaarheid, per consultant: fixed weekly hours, the week's exceptions and the import
of busy times from the consultant's own agenda (.ics file or link), with saved agenda links
("Agenda's bijwerken" for every consultant with one). UI only: the logic is in
:mod:`matcher.scenario.availability_view`, :mod:`matcher.scenario.busy_ics` and
:mod:`matcher.app.access_agenda`, reached through :mod:`matcher.app.access`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import (
    Ctx,
    audit_event,
    edit_base,
    edit_table,
    edited,
    save_table_edit,
    show_problems,
    show_table,
    time_columns,
)
from matcher.app.access import (
    agenda_links,
    edit_consultant_view,
    fetch_saved_agendas,
    import_busy_times,
    iso_week,
    later_round_weeks,
    plan_agenda_refresh,
    remove_agenda_link,
    save_agenda_link,
)
from matcher.app.errors import guarded
from matcher.app.problem_text import dutch
from matcher.explain.plan_views import availability_grid
from matcher.messages.nl import WEEKDAY_LABELS, WEEKDAY_NAMES, nl_date, nl_datetime, nl_day
from matcher.scenario.agenda_refresh import later_note, read_agenda
from matcher.scenario.availability_view import ABSENT, EXTRA, KINDS, exceptions_frame, weekly_frame
from matcher.scenario.busy_ics import (
    BusyImport,
    BusyPeriod,
    IcsError,
    busy_in_hours,
    fetch_ics,
    nothing_found,
    url_label,
)
from matcher.scenario.domain import Consultant, format_time
from matcher.scenario.edit import EditResult
from matcher.security.principal import AccessDenied

LINK_KEY = "_ics-link-{}"
"""Session state: the agenda fetched from a link, per consultant (source label, bytes)."""
NOTE_KEY = "_ics-note-{}"
"""Session state: what saving or removing a consultant's agenda link did (kind, text)."""
REFRESH_KEY = "_agendas-{}"
"""Session state: what "Agenda's bijwerken" fetched, per round (no links, only times)."""


GRID_DAY_WIDTH = 158
"""Pixels per day column of the week grid: two windows (``09:00–12:00, 14:00–17:00``) fit.
With the (pinned) consultant column the week takes about 985 px: at 1400 px it fits, or
nearly (the names stay in view when it scrolls)."""


def grid_columns(days: Sequence[dt.date]) -> dict[str, Any]:
    """Column widths of :func:`~matcher.explain.plan_views.availability_grid`: every day
    column wide enough for two working windows, so they are not cut off."""
    config: dict[str, Any] = {
        "Consultant": st.column_config.TextColumn("Consultant", width=195, pinned=True)
    }
    for day in days:
        label = nl_day(day)
        config[label] = st.column_config.TextColumn(label, width=GRID_DAY_WIDTH)
    return config


RESET_KEY = "_cview-reset-{}"
"""Session state: how often the edits of a consultant's tables were undone (in the editor
keys, so an undo draws new editors showing the stored values)."""


def _undo(who: str, keys: tuple[str, ...]) -> None:
    """Drop the edits of ``who``'s tables and draw them anew (a callback)."""
    for key in keys:
        st.session_state.pop(key, None)
    counter = RESET_KEY.format(who)
    st.session_state[counter] = st.session_state.get(counter, 0) + 1


@st.fragment
def consultant_view(ctx: Ctx, ids: Sequence[str]) -> None:
    """The per-consultant section of the Beschikbaarheid page: a fragment, so choosing a
    consultant or editing a cell reruns only this section (a save reruns the page)."""
    with guarded("beschikbaarheid per consultant"):
        _consultant_view(ctx, ids)


def _consultant_view(ctx: Ctx, ids: Sequence[str]) -> None:
    if not ids:
        st.info("Er zijn geen consultants om te tonen.")
        return
    s = ctx.scenario
    _linked_agendas(ctx, ids)
    who = st.selectbox(
        "Consultant",
        list(ids),
        format_func=lambda c: f"{c} · {s.consultant(c).name}",
        key="cview-who",
    )
    if who is None:
        return

    def keys(version: tuple[int, ...]) -> dict[str, str]:
        undone = st.session_state.get(RESET_KEY.format(who), 0)
        tag = f"{ctx.round_id}-{who}-{abs(hash(version)) % 10**8}-{undone}"
        return {"week": f"cview-week-{tag}", "exc": f"cview-exc-{tag}"}

    base = edit_base(ctx, f"cview-{who}", lambda v: any(edited(k) for k in keys(v).values()))
    k = keys(base.version)
    consultant = base.scenario.consultant(who)
    week_no = int(iso_week(ctx.scenario).split("-W")[1])
    show_table(
        availability_grid(base.scenario, [who]),
        hide_index=True,
        placeholder="—",
        column_config=grid_columns(base.scenario.days),
    )

    left, right = st.columns(2)
    with left:
        st.markdown("**Vaste werktijden** (elke week)")
        weekly = edit_table(
            weekly_frame(consultant),
            key=k["week"],
            column_config={
                "Consultant": None,
                "Dag": st.column_config.SelectboxColumn(
                    "Dag", options=[f"elke {n}" for n in WEEKDAY_NAMES], required=True
                ),
                **time_columns(),
            },
        )
    with right:
        st.markdown(f"**Uitzonderingen in week {week_no}**")
        st.caption(
            f"{ABSENT}: ziek, verlof of een afspraak (leeg Van/Tot = de hele dag). "
            f"{EXTRA}: een extra dag of extra uren op die datum."
        )
        exceptions = edit_table(
            exceptions_frame(consultant),
            key=k["exc"],
            column_config={
                "Consultant": None,
                "Datum": st.column_config.DateColumn(
                    "Datum",
                    format="DD-MM-YYYY",
                    min_value=s.days[0],
                    max_value=s.days[-1],
                ),
                "Soort": st.column_config.SelectboxColumn(
                    "Soort", options=list(KINDS), default=ABSENT
                ),
                **time_columns(end_help="HH:MM"),
            },
        )
    dirty = {name: edited(key) for name, key in k.items()}
    result: EditResult | None = None
    if any(dirty.values()):
        try:
            result = edit_consultant_view(
                ctx.engine,
                ctx.round_id,
                ctx.principal,
                who,
                weekly if dirty["week"] else None,
                exceptions if dirty["exc"] else None,
                base=base.full,
            )
        except AccessDenied as exc:
            st.error(str(exc))
            return
        if result.problems:
            show_problems(result.problems, "Deze wijziging kan niet worden opgeslagen")
        elif not result.changed:
            st.info("Geen inhoudelijke wijzigingen.", icon=":material/info:")
    row = st.container(horizontal=True)
    save = row.button(
        "Opslaan",
        type="primary",
        disabled=result is None or not result.ok or not result.changed,
        key="cview-save",
    )
    row.button(
        "Ongedaan maken",
        disabled=not any(dirty.values()),
        key="cview-reset",
        on_click=_undo,
        args=(who, tuple(k.values())),
    )
    if save and result is not None and result.ok:
        save_table_edit(ctx, base, result, "avail", lambda _n: f"Opgeslagen: {who} bijgewerkt.")

    _agenda_import(ctx, base, who, week_no)


@st.cache_data(show_spinner="Agenda lezen…", max_entries=8, ttl=600)
def _read(
    data: bytes, week: str, source: str, zone: str, later: tuple[str, ...] = ()
) -> tuple[list[BusyPeriod], str, str]:
    """The busy periods of ``week`` (or the message why there are none) and what is busy
    in the ``later`` rounds' weeks, once per file: a large agenda takes seconds to read and
    the page reruns on every click."""
    got = read_agenda("", source, data, week, later_weeks=later, timezone=zone)
    note = later_note(got.later)
    return list(got.periods), dutch(got.error or ""), dutch(note or "")


def _preview(
    found: BusyImport, periods: Sequence[BusyPeriod], consultant: Consultant
) -> pd.DataFrame:
    covered, outside = set(found.covered), set(found.outside)
    rows = []
    for p in periods:
        if p in outside:
            status = "geen planningsdag"
        elif p in covered:
            status = "al afwezig"
        elif busy_in_hours(consultant, p):
            status = "nieuw"
        else:
            status = "nieuw (buiten werktijd)"
        rows.append(
            {
                "Datum": nl_date(p.date),
                "Dag": WEEKDAY_LABELS[p.date.weekday()],
                "Van": "hele dag" if p.whole_day else format_time(p.start),
                "Tot": "" if p.whole_day else format_time(p.end),
                "Wordt": status,
            }
        )
    return pd.DataFrame(rows, columns=["Datum", "Dag", "Van", "Tot", "Wordt"])


def _agenda_import(ctx: Ctx, base: Any, who: str, week_no: int) -> None:
    st.markdown(f"**Agenda importeren (.ics)** · week {week_no}")
    st.caption(
        "Bezette tijden uit de eigen agenda van de consultant worden afwezigheid. Alleen "
        "de tijden worden gelezen, niet de titels of beschrijvingen van afspraken. Vrije en "
        "geannuleerde afspraken tellen niet mee."
    )
    c1, c2 = st.columns(2)
    upload = c1.file_uploader(
        "Agendabestand (.ics)", type=["ics"], key=f"ics-file-{who}", max_upload_size=5
    )
    url = c2.text_input(
        "Of een gedeelde agenda-link",
        key=f"ics-url-{who}",
        placeholder="https://… of webcal://…",
        help="De link wordt door de server opgehaald (hoogstens 10 seconden en 5 MB).",
    )
    link_key = LINK_KEY.format(who)
    buttons = c2.container(horizontal=True)
    buttons.button(
        "Link bewaren",
        key=f"ics-save-{who}",
        disabled=not url.strip(),
        help="Bewaar de link, zodat Agenda's bijwerken deze agenda elke week ophaalt.",
        on_click=_save_link,
        args=(ctx, base, who),
    )
    if buttons.button("Link ophalen", key=f"ics-fetch-{who}", disabled=not url.strip()):
        try:
            st.session_state[link_key] = (url_label(url), fetch_ics(url))
        except IcsError as exc:
            st.session_state.pop(link_key, None)
            st.error(str(exc))
    _saved_link(ctx, base, who)
    data: bytes | None = None
    source = ""
    if upload is not None:
        data, source = upload.getvalue(), upload.name
    elif link_key in st.session_state:
        source, data = st.session_state[link_key]
    if data is None:
        return
    week = iso_week(ctx.scenario)
    later_weeks = tuple(later_round_weeks(ctx.engine, ctx.principal, week))
    periods, problem, later = _read(data, week, source, ctx.scenario.timezone, later_weeks)
    if problem:
        st.error(problem)
        return
    if not periods:
        text = dutch(nothing_found(data, week, source))
        st.info(f"{text} {later}." if later else text, icon=":material/event_available:")
        return
    try:
        found = import_busy_times(
            ctx.engine, ctx.round_id, ctx.principal, who, periods, base=base.full
        )
    except AccessDenied as exc:
        st.error(str(exc))
        return
    show_table(_preview(found, periods, base.scenario.consultant(who)), hide_index=True)
    st.caption(f"{source}: {dutch(found.summary())}" + (f" {later}." if later else ""))
    if found.result.problems:
        show_problems(found.result.problems, "Deze afwezigheid kan niet worden opgeslagen")
    if st.button(
        "Toevoegen als afwezigheid",
        type="primary",
        key=f"ics-add-{who}",
        disabled=not found.added or not found.result.ok,
    ):
        n = len(found.added)
        what = "afwezigheid" if n == 1 else "afwezigheden"
        note = f"{n} {what} van {who} uit de agenda toegevoegd (week {week_no})."
        st.session_state.pop(link_key, None)
        save_table_edit(ctx, base, found.result, "avail", lambda _n: note)


# Saved agenda links -------------------------------------------------------------------------


def _save_link(ctx: Ctx, base: Any, who: str) -> None:
    """Save the link typed for ``who`` and empty the field (a callback)."""
    url_key = f"ics-url-{who}"
    url = str(st.session_state.get(url_key, "")).strip()
    try:
        link = save_agenda_link(ctx.engine, ctx.round_id, ctx.principal, who, url, base=base.full)
    except (AccessDenied, IcsError) as exc:
        st.session_state[NOTE_KEY.format(who)] = ("error", str(exc))
        return
    st.session_state[url_key] = ""
    audit_event(
        ctx.principal,
        "agenda-link-save",
        f"agenda-link {who}",
        round_id=ctx.round_id,
        consultants=[who],
        detail=link.masked,
    )
    st.session_state[NOTE_KEY.format(who)] = (
        "success",
        f"Agenda-link van {who} bewaard ({link.masked}).",
    )


def _remove_link(ctx: Ctx, base: Any, who: str) -> None:
    """Remove ``who``'s saved link (a callback)."""
    try:
        gone = remove_agenda_link(ctx.engine, ctx.round_id, ctx.principal, who, base=base.full)
    except AccessDenied as exc:
        st.session_state[NOTE_KEY.format(who)] = ("error", str(exc))
        return
    if gone:
        audit_event(
            ctx.principal,
            "agenda-link-remove",
            f"agenda-link {who}",
            round_id=ctx.round_id,
            consultants=[who],
        )
    st.session_state[NOTE_KEY.format(who)] = ("success", f"Agenda-link van {who} verwijderd.")


def _saved_link(ctx: Ctx, base: Any, who: str) -> None:
    """The consultant's saved link (masked), with a button to remove it."""
    note = st.session_state.pop(NOTE_KEY.format(who), None)
    if note is not None:
        kind, text = note
        (st.error if kind == "error" else st.success)(text)
    link = agenda_links(ctx.engine, ctx.round_id, ctx.principal, [who], base=base.full).get(who)
    if link is None:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    when = f" op {nl_datetime(link.saved_at)}" if link.saved_at else ""
    by = f" door {link.saved_by}" if link.saved_by else ""
    row.caption(f"Gekoppelde agenda: {link.masked} (bewaard{by}{when}).")
    row.button(
        "Link verwijderen",
        key=f"ics-remove-{who}",
        on_click=_remove_link,
        args=(ctx, base, who),
    )


def _linked_agendas(ctx: Ctx, ids: Sequence[str]) -> None:
    """ "Agenda's bijwerken": the busy times of the round's week from every saved link of
    the consultants shown, with a preview per consultant and one confirmation."""
    base = edit_base(ctx, "agendas", lambda _v: False)
    links = agenda_links(ctx.engine, ctx.round_id, ctx.principal, ids, base=base.full)
    week_no = int(iso_week(ctx.scenario).split("-W")[1])
    key = REFRESH_KEY.format(ctx.round_id)
    with st.container(border=True):
        st.markdown(f"**Gekoppelde agenda's** · week {week_no}")
        if not links:
            st.caption(
                "Nog geen gekoppelde agenda's. Bewaar per consultant een gedeelde agenda-link "
                "(bij Agenda importeren, hieronder); daarna haalt Agenda's bijwerken de "
                "bezette tijden van al die consultants in één keer op."
            )
            st.session_state.pop(key, None)
            return
        shown = ", ".join(f"{cid} ({link.masked})" for cid, link in links.items())
        n = len(links)
        st.caption(f"{n} {'consultant' if n == 1 else 'consultants'} met een agenda-link: {shown}.")
        if st.button("Agenda's bijwerken", key="agendas-refresh", icon=":material/sync:"):
            with st.spinner("Agenda's ophalen…"):
                st.session_state[key] = fetch_saved_agendas(
                    ctx.engine, ctx.round_id, ctx.principal, list(links), base=base.full
                )
            audit_event(
                ctx.principal,
                "agenda-fetch",
                "agenda's bijwerken",
                round_id=ctx.round_id,
                consultants=list(links),
            )
        fetched = st.session_state.get(key)
        if not fetched:
            return
        try:
            refresh = plan_agenda_refresh(
                ctx.engine, ctx.round_id, ctx.principal, fetched, base=base.full
            )
        except AccessDenied as exc:
            st.session_state.pop(key, None)
            st.error(str(exc))
            return
        show_table(
            pd.DataFrame(refresh.rows(), columns=["Consultant", "Agenda", "Resultaat"]),
            hide_index=True,
            column_config={"Resultaat": st.column_config.TextColumn("Resultaat", width="large")},
        )
        st.caption(dutch(refresh.summary()))
        for cid in refresh.refused:
            show_problems(
                refresh.imports[cid].result.problems,
                f"De afwezigheid van {cid} kan niet worden opgeslagen",
            )
        if refresh.result.problems:
            show_problems(refresh.result.problems, "Deze afwezigheid kan niet worden opgeslagen")
        row = st.container(horizontal=True)
        added = refresh.added
        add = row.button(
            "Toevoegen als afwezigheid",
            type="primary",
            key="agendas-add",
            disabled=not added or not refresh.result.ok,
        )
        row.button("Sluiten", key="agendas-close", on_click=st.session_state.pop, args=(key, None))
        if add:
            what = "afwezigheid" if added == 1 else "afwezigheden"
            people = len(refresh.included)
            agendas = "agenda" if people == 1 else "agenda's"
            note = f"{added} {what} uit {people} {agendas} toegevoegd (week {week_no})."
            st.session_state.pop(key, None)
            save_table_edit(ctx, base, refresh.result, "avail", lambda _n: note)
