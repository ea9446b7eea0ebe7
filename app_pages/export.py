"""Export: invites (per consultant and as zip, with cancellations), plan CSV/Excel, scenario."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import (
    Ctx,
    audit_event,
    audit_view,
    context,
    flash,
    no_round,
    plan_caption,
    plan_cases,
    show_flash,
)
from matcher.app.access import (
    exported_plan_id,
    invites_for,
    plan_tables_for,
    scenario_file_for,
)
from matcher.app.access import (
    mark_sent as mark_plan_sent,
)
from matcher.app.errors import guarded_callback
from matcher.app.export import XLSX_MIME, export_stem, recipient_files, zip_bytes
from matcher.explain.plan_views import consultant_label
from matcher.export.csv import CsvExportError
from matcher.export.invites import InviteError, organizer_from_env
from matcher.security.principal import Principal

ctx = context()
st.title("Export")
if ctx is None:
    no_round()
    st.stop()
assert isinstance(ctx, Ctx)
s = ctx.scenario
show_flash()
stem = export_stem(s)
Scope = tuple[str, str | None, str | None, str | None]


def _who(scope: Scope) -> Principal:
    return Principal("", *scope)


@st.cache_data(show_spinner=False, max_entries=16)
def _invites(
    url: str, rid: int, ver: tuple[int, ...], pid: int, prev: int, scope: Scope, stamp: str
) -> dict[str, str]:
    ctx_now = context()
    assert ctx_now is not None
    return invites_for(
        ctx_now.engine,
        rid,
        pid,
        _who(scope),
        organizer=organizer_from_env(),
        now=dt.datetime.fromisoformat(stamp),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _zip(
    url: str, rid: int, ver: tuple[int, ...], pid: int, prev: int, scope: Scope, stamp: str
) -> bytes:
    return zip_bytes(_invites(url, rid, ver, pid, prev, scope, stamp))


@st.cache_data(show_spinner=False, max_entries=16)
def _tables(
    url: str, rid: int, ver: tuple[int, ...], pid: int, scope: Scope
) -> tuple[bytes, bytes]:
    """The plan as CSV and as Excel bytes."""
    ctx_now = context()
    assert ctx_now is not None
    return plan_tables_for(ctx_now.engine, rid, pid, _who(scope))


@st.cache_data(show_spinner=False, max_entries=8)
def _scenario_file(
    url: str, rid: int, ver: tuple[int, ...], scope: Scope
) -> tuple[str, bytes, str]:
    ctx_now = context()
    assert ctx_now is not None
    return scenario_file_for(ctx_now.engine, rid, _who(scope))


def downloaded(what: str, name: str) -> None:
    """Audit a download of case data (on click)."""
    assert ctx is not None
    audit_event(
        ctx.principal, "download", f"{what}: {name}", round_id=ctx.round_id, **plan_cases(ctx)
    )


@guarded_callback("als verstuurd markeren")
def mark_sent(zip_name: str = "") -> None:
    """Remember the current plan as exported (with its invite state), so the next export
    sends updates and cancellations against it."""
    assert ctx is not None and ctx.plan is not None and ctx.plan_id is not None
    if zip_name:
        downloaded("uitnodigingen", zip_name)
    if not mark_plan_sent(
        ctx.engine, ctx.round_id, ctx.plan_id, ctx.principal, organizer_from_env()
    ):
        return
    audit_event(
        ctx.principal, "export", f"planning #{ctx.plan_id} als verstuurd", round_id=ctx.round_id
    )
    flash(
        f"Planning #{ctx.plan_id} is als verstuurd gemarkeerd: de volgende export vergelijkt "
        "hiermee."
    )


if ctx.plan is None or ctx.plan_id is None:
    st.info("Er is nog geen planning om te exporteren. Open **Planning** en klik op **Plannen**.")
else:
    st.caption(plan_caption(ctx))
    exported = exported_plan_id(ctx.engine, ctx.round_id)
    prev_id = exported or 0

    st.subheader("Agenda-uitnodigingen")
    if exported is None:
        st.write("Nog niets verstuurd voor deze week: alle bezoeken worden nieuwe uitnodigingen.")
    elif prev_id == ctx.plan_id:
        st.write(f"Deze planning (#{prev_id}) is al als verstuurd gemarkeerd.")
    else:
        st.write(
            f"Vergeleken met de laatst verstuurde planning #{prev_id}: gewijzigde bezoeken "
            "krijgen een bijgewerkte uitnodiging, vervallen bezoeken een annulering."
        )
    stamp = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0).isoformat()
    try:
        files = _invites(
            ctx.url, ctx.round_id, ctx.version, ctx.plan_id, prev_id, ctx.scope_key, stamp
        )
    except InviteError as exc:
        st.error(f"De uitnodigingen kunnen niet worden gemaakt: {exc}")
        files = {}
    if files:
        people = recipient_files(files)
        cancels = sum(1 for name in files if "/" not in name and name.endswith("-cancel.ics"))
        st.caption(
            f"{len(people)} ontvanger(s), {cancels} met annuleringen. Per bezoek staat ook een "
            "los bestand in de zip (map visits/) voor Outlook."
        )
        st.download_button(
            "Alle uitnodigingen (zip)",
            _zip(ctx.url, ctx.round_id, ctx.version, ctx.plan_id, prev_id, ctx.scope_key, stamp),
            file_name=f"{stem}-uitnodigingen.zip",
            mime="application/zip",
            type="primary",
            icon=":material/folder_zip:",
            key="dl-zip",
            on_click=mark_sent if ctx.planner else downloaded,
            args=(f"{stem}-uitnodigingen.zip",)
            if ctx.planner
            else ("uitnodigingen", f"{stem}-uitnodigingen.zip"),
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
                on_click=downloaded,
                args=("uitnodiging", name),
            )
        if ctx.planner:
            st.button(
                "Markeer als verstuurd zonder zip",
                key="mark-sent",
                disabled=prev_id == ctx.plan_id,
                on_click=mark_sent,
                args=("",),
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
    try:
        csv_data, xlsx_data = _tables(
            ctx.url, ctx.round_id, ctx.version, ctx.plan_id, ctx.scope_key
        )
        c1 = c2 = st.container(horizontal=True)
        c1.download_button(
            "Planning (CSV)",
            csv_data,
            file_name=f"{stem}-planning.csv",
            mime="text/csv",
            icon=":material/table:",
            key="dl-csv",
            on_click=downloaded,
            args=("planning", f"{stem}-planning.csv"),
        )
        c2.download_button(
            "Planning (Excel)",
            xlsx_data,
            file_name=f"{stem}-planning.xlsx",
            mime=XLSX_MIME,
            icon=":material/grid_on:",
            key="dl-xlsx",
            on_click=downloaded,
            args=("planning", f"{stem}-planning.xlsx"),
        )
    except CsvExportError as exc:
        st.error(f"De planning past niet meer bij de gegevens ({exc}). Plan opnieuw.")

if ctx.planner:
    st.subheader("Scenariobestand")
    st.warning(
        "Het scenariobestand bevat de hele week **met de adressen van vertrouwelijke "
        "locaties** (bewust: om te bewaren of elders te plannen). Bewaar het alleen op een "
        "beveiligde plek en stuur het nooit door. Het downloaden wordt vastgelegd in de "
        "auditlog.",
        icon=":material/warning:",
    )
    sure = st.checkbox(
        "Ik begrijp dat dit bestand vertrouwelijke adressen bevat", key="confirm-scenario"
    )
    if sure:
        name, data, mime = _scenario_file(ctx.url, ctx.round_id, ctx.version, ctx.scope_key)
        st.download_button(
            "Scenario van deze week",
            data,
            file_name=name,
            mime=mime,
            icon=":material/description:",
            key="dl-scenario",
            on_click=lambda: audit_event(
                ctx.principal,  # type: ignore[union-attr]
                "download",
                f"scenariobestand met vertrouwelijke adressen: {name}",
                round_id=ctx.round_id,  # type: ignore[union-attr]
                cases=[y.id for y in s.youths],
                locations=[loc.id for loc in s.locations],
            ),
            help="Bevat de adressen van vertrouwelijke locaties. Wordt vastgelegd in de auditlog.",
        )

audit_view(ctx, "Export", **plan_cases(ctx))
