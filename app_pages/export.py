"""Export: invites (per consultant and as zip, with cancellations), plan CSV/Excel, scenario."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import Ctx, context, flash, no_round, plan_caption, show_flash
from matcher.app_errors import guarded, guarded_callback
from matcher.app_export import (
    XLSX_MIME,
    export_stem,
    invite_files,
    plan_csv_bytes,
    plan_excel_bytes,
    recipient_files,
    scenario_file,
    zip_bytes,
)
from matcher.app_state import exported_plan, mark_exported
from matcher.csv_export import CsvExportError
from matcher.invites import InviteError, invite_state, organizer_from_env
from matcher.plan_views import consultant_label

ctx = context()
st.title("Export")
if ctx is None:
    no_round()
    st.stop()
assert isinstance(ctx, Ctx)
s = ctx.scenario
show_flash()
stem = export_stem(s)


@st.cache_data(show_spinner=False, max_entries=16)
def _invites(
    url: str, rid: int, ver: tuple[int, ...], pid: int, prev: int, role: str, stamp: str
) -> dict[str, str]:
    ctx_now = context()
    assert ctx_now is not None
    previous = exported_plan(ctx_now.engine, rid)
    return invite_files(
        ctx_now.scenario,
        ctx_now.load_plan(pid),
        role,
        previous=previous[1] if previous else None,
        organizer=organizer_from_env(),
        now=dt.datetime.fromisoformat(stamp),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _zip(
    url: str, rid: int, ver: tuple[int, ...], pid: int, prev: int, role: str, stamp: str
) -> bytes:
    return zip_bytes(_invites(url, rid, ver, pid, prev, role, stamp))


@st.cache_data(show_spinner=False, max_entries=16)
def _tables(url: str, rid: int, ver: tuple[int, ...], pid: int, role: str) -> tuple[bytes, bytes]:
    """The plan as CSV and as Excel bytes."""
    ctx_now = context()
    assert ctx_now is not None
    plan = ctx_now.load_plan(pid)
    return (
        plan_csv_bytes(ctx_now.scenario, plan, role),
        plan_excel_bytes(ctx_now.scenario, plan, role),
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _scenario_file(url: str, rid: int, ver: tuple[int, ...]) -> tuple[str, bytes, str]:
    ctx_now = context()
    assert ctx_now is not None
    return scenario_file(ctx_now.scenario)


@guarded_callback("als verstuurd markeren")
def mark_sent() -> None:
    """Remember the current plan as exported (with its invite state), so the next export
    sends updates and cancellations against it."""
    assert ctx is not None and ctx.plan is not None and ctx.plan_id is not None
    before = exported_plan(ctx.engine, ctx.round_id)
    if before is not None and before[0] == ctx.plan_id:
        return
    state = invite_state(
        ctx.scenario,
        ctx.plan,
        previous=before[1] if before else None,
        organizer=organizer_from_env(),
    )
    mark_exported(ctx.engine, ctx.round_id, ctx.plan_id, state)
    flash(
        f"Planning #{ctx.plan_id} is als verstuurd gemarkeerd: de volgende export vergelijkt "
        "hiermee."
    )


if ctx.plan is None or ctx.plan_id is None:
    st.info("Er is nog geen planning om te exporteren. Open **Planning** en klik op **Plannen**.")
else:
    st.caption(plan_caption(ctx))
    previous = exported_plan(ctx.engine, ctx.round_id)
    prev_id = previous[0] if previous else 0

    st.subheader("Agenda-uitnodigingen")
    if previous is None:
        st.write("Nog niets verstuurd voor deze week: alle bezoeken worden nieuwe uitnodigingen.")
    elif prev_id == ctx.plan_id:
        st.write(f"Deze planning (#{prev_id}) is al als verstuurd gemarkeerd.")
    else:
        st.write(
            f"Vergeleken met de laatst verstuurde planning #{prev_id}: gewijzigde bezoeken "
            "krijgen een bijgewerkte uitnodiging, vervallen bezoeken een annulering."
        )
    stamp = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0).isoformat()
    files = {}
    with guarded("uitnodigingen maken"):
        try:
            files = _invites(
                ctx.url, ctx.round_id, ctx.version, ctx.plan_id, prev_id, ctx.role, stamp
            )
        except InviteError as exc:
            st.error(f"De uitnodigingen kunnen niet worden gemaakt: {exc}")
    if files:
        people = recipient_files(files)
        cancels = sum(1 for name in files if "/" not in name and name.endswith("-cancel.ics"))
        st.caption(
            f"{len(people)} ontvanger(s), {cancels} met annuleringen. Per bezoek staat ook een "
            "los bestand in de zip (map visits/) voor Outlook."
        )
        st.download_button(
            "Alle uitnodigingen (zip)",
            _zip(ctx.url, ctx.round_id, ctx.version, ctx.plan_id, prev_id, ctx.role, stamp),
            file_name=f"{stem}-uitnodigingen.zip",
            mime="application/zip",
            type="primary",
            icon=":material/folder_zip:",
            key="dl-zip",
            on_click=mark_sent if ctx.planner else "ignore",
            help="Downloaden markeert deze planning als verstuurd." if ctx.planner else None,
        )
        consultant_ids = {c.id for c in s.consultants}

        def person_label(key: str) -> str:
            if key in consultant_ids:
                return consultant_label(s, key)
            if key.startswith("contact-"):
                loc_id = key[len("contact-") :]
                try:
                    return f"Contactpersoon {s.location(loc_id).name}"
                except KeyError:
                    return key
            return key

        who = st.selectbox(
            "Uitnodigingen per persoon",
            list(people),
            format_func=person_label,
            key="dl-person",
            width=420,
        )
        cols = st.columns(4)
        for i, name in enumerate(people.get(who, [])):
            cancel = name.endswith("-cancel.ics")
            cols[i % 4].download_button(
                ("Annuleringen " if cancel else "Uitnodigingen ") + name,
                files[name],
                file_name=name,
                mime="text/calendar",
                icon=":material/event_busy:" if cancel else ":material/event:",
                key=f"dl-{name}",
            )
        if ctx.planner:
            st.button(
                "Markeer als verstuurd zonder zip",
                key="mark-sent",
                disabled=prev_id == ctx.plan_id,
                on_click=mark_sent,
                help="Voor wie de uitnodigingen per persoon verstuurt: de volgende export "
                "vergelijkt met deze planning (annuleringen, volgnummers).",
            )
    else:
        st.write("Geen uitnodigingen voor deze weergave.")

    st.subheader("Planning als tabel")
    st.caption(
        "Eén rij per bezoek. Adressen van vertrouwelijke locaties staan er nooit in."
        + ("" if ctx.planner else " Alleen de bezoeken van je eigen consultants.")
    )
    with guarded("planning als tabel"):
        try:
            csv_data, xlsx_data = _tables(ctx.url, ctx.round_id, ctx.version, ctx.plan_id, ctx.role)
            c1 = c2 = st.container(horizontal=True)
            c1.download_button(
                "Planning (CSV)",
                csv_data,
                file_name=f"{stem}-planning.csv",
                mime="text/csv",
                icon=":material/table:",
                key="dl-csv",
            )
            c2.download_button(
                "Planning (Excel)",
                xlsx_data,
                file_name=f"{stem}-planning.xlsx",
                mime=XLSX_MIME,
                icon=":material/grid_on:",
                key="dl-xlsx",
            )
        except CsvExportError as exc:
            st.error(f"De planning past niet meer bij de gegevens ({exc}). Plan opnieuw.")

if ctx.planner:
    st.subheader("Scenariobestand")
    st.caption("De hele week als scenariobestand (YAML), om te bewaren of elders te plannen.")
    with guarded("scenariobestand maken"):
        name, data, mime = _scenario_file(ctx.url, ctx.round_id, ctx.version)
        st.download_button(
            "Scenario van deze week",
            data,
            file_name=name,
            mime=mime,
            icon=":material/description:",
            key="dl-scenario",
        )
