"""Beschikbaarheid, in three tabs: per consultant the fixed weekly hours, the week's
exceptions and an agenda import (:mod:`app_pages.per_consultant`); the week of all
consultants at a glance; all consultants' working windows, absences, caps and skills in
editable tables. Below them a form to report someone absent."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    Ctx,
    audit_view,
    conflict_panel,
    consultant_column,
    context,
    edit_base,
    edit_table,
    edited,
    no_round,
    save_table_edit,
    show_flash,
    show_problems,
    show_table,
    time_columns,
)
from app_pages.per_consultant import consultant_view, grid_columns
from matcher.app.access import edit_absence, edit_availability
from matcher.app.errors import guarded
from matcher.app.widths import chips_width
from matcher.explain.plan_views import availability_grid
from matcher.messages.nl import nl_day, parse_hhmm
from matcher.scenario.edit import (
    EditResult,
    consultants_frame,
    day_options,
    unavailable_frame,
    windows_frame,
)
from matcher.security.principal import AccessDenied
from matcher.storage.round_state import consultants_in_scope, role_label

ctx = context()
st.title("Beschikbaarheid")
if ctx is None:
    no_round()
    st.stop()
assert isinstance(ctx, Ctx)
s = ctx.scenario
show_flash()


def saved_consultants(n: int) -> str:
    return f"Opgeslagen: {n} consultant(s) bijgewerkt."


conflict_panel(ctx, "avail", saved_consultants)

if ctx.planner:
    orgs = ["alle", *(p.id for p in s.providers)]
    org = (
        st.segmented_control(
            "Organisatie",
            orgs,
            default="alle",
            format_func=lambda o: "Alle" if o == "alle" else role_label(s, o),
            key="avail-org",
        )
        or "alle"
    )
    shown = [c for c in s.consultants if org == "alle" or c.provider == org]
else:
    org = ctx.role
    shown = list(consultants_in_scope(s, ctx.role))
    st.caption(f"Je ziet en bewerkt alleen de consultants van {role_label(s, ctx.role)}.")


# Session state: how often the tables' edits were undone (part of the editor keys, so an
# undo draws new editors with the stored values; the grid would keep showing the edits).
RESET_KEY = "_avail-reset"


def editor_keys(version: tuple[int, ...]) -> dict[str, str]:
    tag = f"{ctx.round_id}-{org}-{abs(hash(version)) % 10**8}-{st.session_state.get(RESET_KEY, 0)}"
    return {"cons": f"avail-cons-{tag}", "win": f"avail-win-{tag}", "unav": f"avail-unav-{tag}"}


def undo_edits(keys: tuple[str, ...]) -> None:
    """Drop the tables' edits and draw them anew from the stored week (a callback)."""
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state[RESET_KEY] = st.session_state.get(RESET_KEY, 0) + 1


base = edit_base(ctx, f"avail-{org}", lambda v: any(edited(k) for k in editor_keys(v).values()))
if base.version != ctx.version:
    st.info(
        "Iemand anders heeft deze week intussen gewijzigd. Je bewerkt nog de gegevens van "
        "toen je begon; bij opslaan wordt gecontroleerd of dat botst.",
        icon=":material/sync_problem:",
    )
    s = base.scenario
    shown = [s.consultant(c.id) for c in shown if c.id in {x.id for x in s.consultants}]
ids = [c.id for c in shown]


@st.fragment
def tables() -> None:
    """The three editors with their check, save and undo: a fragment, so a cell edit reruns
    only this part of the page (a save reruns the whole page with the new data)."""
    with guarded("tabellen van de beschikbaarheid"):
        table_editors()


def table_editors() -> None:
    # Over 80 lines: the three tables laid out top to bottom, then the one check of their
    # edits and the buttons that act on it.
    assert ctx is not None
    keys = editor_keys(base.version)
    skills = sorted({sk for c in s.consultants for sk in c.skills})
    st.subheader("Consultants")
    st.caption("Vaardigheden en het maximum aantal bezoeken per dag en per week.")
    frame = consultants_frame(s, shown)
    with st.container(key="consultants-editor"):  # a stable handle for the browser test
        cons_edit = st.data_editor(
            frame,
            key=keys["cons"],
            hide_index=True,
            width="stretch",
            disabled=["Id", "Organisatie"],
            placeholder="—",
            # the caps before the skills: the skills column is as wide as its longest list
            # (a grid cuts chips off), so e-mail and organisation may need a scroll
            column_order=[
                "Id",
                "Naam",
                "Max per dag",
                "Max per week",
                "Vaardigheden",
                "E-mail",
                "Organisatie",
            ],
            column_config={
                "Id": st.column_config.TextColumn("Id", width=80),
                "Naam": st.column_config.TextColumn("Naam", width=125),
                "E-mail": st.column_config.TextColumn("E-mail", width=150),
                "Organisatie": st.column_config.TextColumn("Organisatie", width=85),
                "Vaardigheden": st.column_config.MultiselectColumn(
                    "Vaardigheden",
                    options=skills,
                    accept_new_options=True,
                    width=chips_width(frame["Vaardigheden"]),
                    help="Klik op de cel om vaardigheden toe te voegen of te verwijderen",
                ),
                "Max per dag": st.column_config.NumberColumn(
                    "Max/dag", min_value=0, step=1, width=88, help="Maximum bezoeken per dag"
                ),
                "Max per week": st.column_config.NumberColumn(
                    "Max/week", min_value=0, step=1, width=95, help="Maximum bezoeken per week"
                ),
            },
        )

    left, right = st.columns(2)
    with left:
        st.subheader("Werktijden")
        st.caption(
            "Eén rij per venster: elke week op een weekdag, of op één datum. Tijden als HH:MM."
        )
        win_edit = edit_table(
            windows_frame(shown),
            key=keys["win"],
            column_config={
                "Consultant": consultant_column(ids),
                "Dag": st.column_config.SelectboxColumn("Dag", options=day_options(s)),
                **time_columns(),
            },
        )
    with right:
        st.subheader("Afwezig (ziek, verlof, afspraak)")
        st.caption("Leeg Van/Tot = de hele dag. Afwezigheid haalt die tijd uit de werktijden.")
        unav_edit = edit_table(
            unavailable_frame(shown),
            key=keys["unav"],
            column_config={
                "Consultant": consultant_column(ids),
                "Datum": st.column_config.DateColumn("Datum", format="DD-MM-YYYY"),
                **time_columns("HH:MM, leeg = 00:00", "HH:MM, leeg = 24:00"),
            },
        )

    dirty = {name: edited(key) for name, key in keys.items()}
    result: EditResult | None = None
    if any(dirty.values()):
        result = edit_availability(
            ctx.engine,
            ctx.round_id,
            ctx.principal,
            base=base.full,
            consultants=cons_edit if dirty["cons"] else None,
            windows=win_edit if dirty["win"] else None,
            unavailable=unav_edit if dirty["unav"] else None,
        )
        if result.problems:
            show_problems(result.problems, "Deze wijziging kan niet worden opgeslagen")
        elif not result.changed:
            st.info("Geen inhoudelijke wijzigingen.", icon=":material/info:")
        else:
            n = len(result.upserts.get("consultants", ()))
            st.info(f"Gewijzigd, nog niet opgeslagen: {n} consultant(s).", icon=":material/edit:")

    removed = {
        label: len(st.session_state.get(keys[name], {}).get("deleted_rows", []))
        for name, label in (("win", "werktijd(en)"), ("unav", "afwezigheid/afwezigheden"))
    }
    sure = True
    if result is not None and result.ok and result.changed and any(removed.values()):
        what = " en ".join(f"{n} {label}" for label, n in removed.items() if n)
        sure = st.checkbox(f"Ja, verwijder {what}", key="avail-confirm-delete")
    c1 = c2 = st.container(horizontal=True)
    save = c1.button(
        "Opslaan",
        type="primary",
        disabled=result is None or not result.ok or not result.changed or not sure,
        key="avail-save",
    )
    c2.button(
        "Wijzigingen ongedaan maken",
        disabled=not any(dirty.values()),
        key="avail-reset",
        on_click=undo_edits,
        args=(tuple(keys.values()),),
    )
    if save and result is not None and result.ok:
        save_table_edit(ctx, base, result, "avail", saved_consultants)


# Only the open tab runs and is drawn (tabs rerun on switch): the page had seven grids,
# and drawing them was most of a page switch (python -m bench.browser).
TABS = ("Per consultant", "Weekoverzicht", "Tabellen")
tabs = st.tabs(list(TABS), key="avail-tab", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        consultant_view(ctx, ids)
if tabs[1].open:
    with tabs[1]:
        st.caption("Werktijden min afwezigheid, per consultant en dag.")
        show_table(
            availability_grid(s, ids),
            hide_index=True,
            width="stretch",
            placeholder="—",
            column_config=grid_columns(s.days),
        )
if tabs[2].open:
    with tabs[2]:
        tables()

st.divider()
st.subheader("Afwezig melden")
with st.form("absence-form", clear_on_submit=False):
    f1, f2, f3, f4 = st.columns([2, 3, 1, 1])
    who = f1.selectbox("Consultant", ids, format_func=lambda c: f"{c} · {s.consultant(c).name}")
    days = f2.multiselect("Dagen", list(s.days), format_func=nl_day, placeholder="Kies dagen")
    start_text = f3.text_input("Van", placeholder="hele dag")
    end_text = f4.text_input("Tot", placeholder="hele dag")
    submitted = st.form_submit_button("Afwezig melden")
if submitted:
    start = parse_hhmm(start_text) if start_text.strip() else None
    end = parse_hhmm(end_text) if end_text.strip() else None
    if (start_text.strip() and start is None) or (end_text.strip() and end is None):
        st.error("Geef tijden als HH:MM, of laat ze leeg voor de hele dag.")
    elif not days or who is None:
        st.error("Kies een consultant en minstens één dag.")
    else:
        try:
            outcome = edit_absence(
                ctx.engine, ctx.round_id, ctx.principal, who, days, start, end, base=base.full
            )
        except AccessDenied as exc:
            st.error(str(exc))
            st.stop()
        if outcome.problems:
            show_problems(outcome.problems, "Afwezigheid kan niet worden opgeslagen")
        elif outcome.changed:
            note = f"{who} is afwezig gemeld op {', '.join(nl_day(d) for d in days)}."
            save_table_edit(ctx, base, outcome, "avail", lambda _n: note)
        else:
            st.info("Deze afwezigheid stond er al.")

audit_view(ctx, "Beschikbaarheid", consultants=ids)
