"""Aanvragen: requests, youths and locations of the week; scenario and sheet imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages.common import (
    VISITS_COLUMNS,
    Ctx,
    EditBase,
    audit_event,
    audit_view,
    conflict_panel,
    context,
    current_principal,
    edit_base,
    edit_table,
    edited,
    flash,
    plan_cases,
    rounds_changed,
    save_table_edit,
    select_round,
    show_flash,
    show_problems,
    show_table,
    visits_table,
)
from matcher import storage
from matcher.app import access
from matcher.app.access import import_week
from matcher.app.errors import guarded
from matcher.app.request_preview import Preview, preview_request
from matcher.explain.nl import reasons_nl
from matcher.messages.nl import nl_day, nl_int, urgency_label
from matcher.scenario.domain import LOCATION_KINDS, format_time
from matcher.scenario.edit import (
    EditResult,
    apply_locations,
    apply_requests,
    apply_youths,
    locations_frame,
    parse_roles,
    requests_frame,
    urgency_options,
    youths_frame,
)
from matcher.scenario.loader import parse_bytes
from matcher.scenario.problems import ScenarioError
from matcher.scenario.sheet_import import (
    SHEET_KINDS,
    SheetError,
    import_sheet,
    read_sheet,
    template_csv,
)
from matcher.scenario.validate import validate_document
from matcher.storage.trajectories import (
    list_trajectories,
    trajectories_frame,
    trajectories_from_frame,
)

ctx = context()
st.title("Aanvragen")
if ctx is None:
    st.caption("Importeer een scenariobestand om te beginnen.")
else:
    show_flash()


def shown_columns(name: str, main: list[str], extra: list[str]) -> list[str]:
    """The columns of table ``name`` to show: the ``main`` ones, which fit a 1400 px
    window, and the ``extra`` ones too while the toggle "Alle kolommen" is on."""
    everything = st.toggle(
        "Alle kolommen",
        key=f"all-columns-{name}",
        help="Ook " + ", ".join(extra) + ". Breder dan het scherm: de tabel schuift dan opzij.",
    )
    return [*main, *extra] if everything else main


# Session state: how often the edits of a table were undone (in its editor key, so an undo
# draws a new editor showing the stored values; the old grid would keep showing the edits).
# (A comment, not a string: a page script shows a bare string on the page.)
RESET_KEY = "_reset-{}"


def undo(name: str, key: str) -> None:
    """Drop the edits of table ``name`` and draw it anew (a callback)."""
    st.session_state.pop(key, None)
    counter = RESET_KEY.format(name)
    st.session_state[counter] = st.session_state.get(counter, 0) + 1


def editor_section(
    ctx: Ctx, name: str, frame_of: Any, apply: Any, config: dict[str, Any], **kwargs: Any
) -> None:
    """An editable table with live validation and an Opslaan button.

    ``frame_of(scenario)`` builds the table; edits are made on the snapshot of
    :func:`~app_pages.common.edit_base` and saved with a conflict check.
    """

    def saved(n: int) -> str:
        return f"Opgeslagen: {n} wijziging(en)."

    def key_of(version: tuple[int, ...]) -> str:
        undone = st.session_state.get(RESET_KEY.format(name), 0)
        return f"edit-{name}-{ctx.round_id}-{abs(hash(version)) % 10**8}-{undone}"

    conflict_panel(ctx, name, saved)
    base = edit_base(ctx, name, lambda v: edited(key_of(v)))
    key = key_of(base.version)
    if base.version != ctx.version:
        st.info(
            "Iemand anders heeft deze week intussen gewijzigd. Je bewerkt nog de gegevens van "
            "toen je begon; bij opslaan wordt gecontroleerd of dat botst.",
            icon=":material/sync_problem:",
        )
    value = st.data_editor(
        frame_of(base.scenario),
        key=key,
        hide_index=True,
        width="stretch",
        height=420,
        placeholder="—",
        column_config=config,
        **kwargs,
    )
    result: EditResult | None = None
    if edited(key):
        result = apply(base.scenario, value)
        if result.problems:
            show_problems(result.problems, "Deze wijziging kan niet worden opgeslagen")
        elif result.changed:
            ups = sum(len(v) for v in result.upserts.values())
            dels = len(result.deletes)
            text = f"Nog niet opgeslagen: {ups} gewijzigd/nieuw"
            st.info(text + (f", {dels} verwijderd." if dels else "."), icon=":material/edit:")
    sure = True
    if result is not None and result.ok and result.deletes:  # deleting asks first
        sure = st.checkbox(
            f"Ja, verwijder {len(result.deletes)} aanvraag/aanvragen: " + ", ".join(result.deletes),
            key=f"confirm-delete-{name}",
        )
    c1 = c2 = st.container(horizontal=True)
    save = c1.button(
        "Opslaan",
        key=f"save-{name}",
        type="primary",
        disabled=result is None or not result.ok or not result.changed or not sure,
    )
    c2.button(
        "Wijzigingen ongedaan maken",
        key=f"reset-{name}",
        disabled=not edited(key),
        on_click=undo,
        args=(name, key),
    )
    if save and result is not None and result.ok:
        save_table_edit(ctx, base, result, name, saved)


def import_section(ctx: Ctx | None) -> None:
    st.subheader("Scenariobestand (YAML of JSON)")
    st.caption(
        "Een hele week volgens het scenarioformaat. Een week met dezelfde naam kan worden "
        "vervangen (met haar planningen)."
    )
    upload = st.file_uploader(
        "Scenariobestand",
        type=["yaml", "yml", "json"],
        key="upload-scenario",
        help="Sleep het bestand hierheen of kies het met de knop; YAML of JSON, maximaal 20 MB.",
    )
    matrix = st.file_uploader(
        "Reistijdentabel (CSV, alleen als het scenario `travel.matrix` noemt)",
        type=["csv"],
        key="upload-matrix",
        help="Het bestand dat het scenario bij travel.matrix noemt, met dezelfde naam.",
    )
    if upload is not None:
        files = {matrix.name: matrix.getvalue()} if matrix is not None else {}
        try:
            doc = parse_bytes(
                upload.getvalue(), upload.name, is_json=upload.name.lower().endswith(".json")
            )
            scenario = validate_document(doc, upload.name, files=files)
        except ScenarioError as exc:
            show_problems(
                exc.problems,
                f"{upload.name} is niet geldig; er is niets geïmporteerd",
            )
        else:
            existing = storage.find_round(ctx.engine if ctx else _engine(), scenario.name)
            st.success(
                f"**{scenario.name}**: {len(scenario.days)} dagen, "
                f"{len(scenario.consultants)} consultants, {len(scenario.youths)} jongeren, "
                f"{len(scenario.requests)} aanvragen.",
                icon=":material/check_circle:",
            )
            replace = True
            if existing is not None:
                replace = st.checkbox(
                    f"De bestaande week '{scenario.name}' vervangen (haar planningen vervallen)",
                    key="import-replace",
                )
            if st.button("Importeren", type="primary", disabled=not replace, key="import-scenario"):
                with guarded("scenario importeren"):
                    eng = ctx.engine if ctx else _engine()
                    who = ctx.principal if ctx is not None else current_principal(touch=False)
                    assert who is not None
                    rid = import_week(eng, who, scenario)
                    audit_event(
                        who,
                        "import",
                        f"scenariobestand {upload.name}",
                        round_id=rid,
                        cases=[y.id for y in scenario.youths],
                    )
                    rounds_changed()
                    select_round(rid)
                    flash(f"'{scenario.name}' is geïmporteerd.")
                    st.rerun()
    if ctx is None:
        return
    st.subheader("Blad (CSV of Excel)")
    st.caption(
        "Aanvragen, jongeren of locaties, één per rij, met een kopregel. Een bestaand id wordt "
        "bijgewerkt, een nieuw id toegevoegd. Fouten worden per rij getoond."
    )
    cols = st.columns(3)
    for col, (kind, label) in zip(cols, SHEET_KINDS.items(), strict=True):
        col.download_button(
            f"Voorbeeld {label} (CSV)",
            template_csv(kind),
            file_name=f"voorbeeld-{label}.csv",
            mime="text/csv",
            key=f"template-{kind}",
        )
    sheet = st.file_uploader(
        "Blad",
        type=["csv", "xlsx"],
        key="upload-sheet",
        help="Sleep het blad hierheen of kies het met de knop; CSV of Excel, maximaal 20 MB. "
        "Datums als dd-mm-jjjj (of jjjj-mm-dd), urgentie als laag, normaal, hoog of crisis.",
    )
    if sheet is None:
        return
    try:
        frame = read_sheet(sheet.getvalue(), sheet.name)
    except SheetError as exc:
        st.error(exc.message.render("nl"))
        return
    outcome = import_sheet(ctx.scenario, frame)
    kind_label = SHEET_KINDS.get(outcome.kind or "", "onbekend")
    st.write(
        f"{sheet.name}: {outcome.rows} rij(en) {kind_label}; {len(outcome.added)} nieuw, "
        f"{len(outcome.updated)} bijgewerkt."
    )
    if outcome.problems:
        show_problems(outcome.problems, "Het blad heeft fouten; er is niets opgeslagen")
        return
    name = sheet.name

    def saved(n: int) -> str:
        return f"{name}: {n} wijziging(en) opgeslagen."

    conflict_panel(ctx, "sheet", saved)
    if outcome.result is not None and outcome.result.changed:
        if st.button("Toevoegen aan deze week", type="primary", key="import-sheet"):
            with guarded("blad toevoegen"):
                base = EditBase("_base-sheet", ctx.version, ctx.scenario, ctx.stored)
                audit_event(ctx.principal, "import", f"blad {sheet.name}", round_id=ctx.round_id)
                save_table_edit(ctx, base, outcome.result, "sheet", saved)
    else:
        st.info("Het blad bevat geen wijzigingen.")


def _engine() -> Any:
    from app_pages.common import engine

    return engine()


if ctx is None:
    viewer = current_principal(touch=False)
    if viewer is not None and viewer.full_access:
        import_section(None)
    else:
        st.info("Er is nog geen planningsweek.")
    st.stop()
assert isinstance(ctx, Ctx)
s = ctx.scenario

if not ctx.planner:
    st.info(
        "Aanvragen, jongeren en locaties worden beheerd door de ketenregisseur. Hieronder de "
        "bezoeken van je eigen consultants in de huidige planning.",
        icon=":material/lock:",
    )
    if ctx.plan is not None:
        table = visits_table(ctx)
        show_table(
            table.drop(columns=["Datum"]),
            hide_index=True,
            width="stretch",
            column_order=VISITS_COLUMNS,
        )
        audit_view(ctx, "Aanvragen · bezoeken", **plan_cases(ctx))
    else:
        st.write("Nog geen planning.")
    st.stop()

youth_ids = [y.id for y in s.youths]
consultant_ids = [c.id for c in s.consultants]


def new_request_section() -> None:
    """Add a request: the youth, its urgency (set or raised here), and at once where it fits."""
    assert ctx is not None
    with st.expander("Nieuwe aanvraag", expanded=False), st.form("new-request"):
        c1, c2, c3 = st.columns([2, 1, 1])
        youth = c1.selectbox("Jongere (casuscode)", youth_ids, key="new-youth")
        current = urgency_label(s.youth(youth).urgency if youth else "normal")
        options = urgency_options(s)
        urgency = c2.selectbox(
            "Urgentie",
            options,
            index=options.index(current) if current in options else 0,
            format_func=urgency_label,
            key="new-urgency",
            help="Geldt voor de jongere: verhogen kan hier meteen.",
        )
        duration = c3.number_input("Duur (min)", min_value=15, max_value=480, value=60, step=15)
        roles_text = st.text_input(
            "Rollen", placeholder="bijv. loverboy-trauma, vrouw | lvb", key="new-roles"
        )
        d1, d2 = st.columns(2)
        earliest = d1.date_input("Vanaf", value=s.days[0], format="DD-MM-YYYY", key="new-from")
        latest = d2.date_input("Tot en met", value=s.days[-1], format="DD-MM-YYYY", key="new-to")
        checked = st.form_submit_button("Controleren")
    if checked and youth:
        st.session_state["_new-preview"] = preview_request(
            s,
            ctx.plan,
            youth=youth,
            urgency=urgency,
            roles=parse_roles(roles_text),
            duration_minutes=int(duration),
            earliest=earliest,
            latest=latest,
        )
    got = st.session_state.get("_new-preview")
    if not isinstance(got, Preview):
        return
    if not got.ok:
        show_problems(got.problems, "Deze aanvraag kan zo niet worden toegevoegd")
        return
    assert got.request is not None
    if got.insertion is not None:
        ins = got.insertion
        st.success(
            f"{got.request.id} past: {nl_day(ins.date)} {format_time(ins.start)}–"
            f"{format_time(ins.end)} bij {', '.join(ins.consultants)} "
            f"(kosten +{nl_int(ins.total)}), zonder andere bezoeken te verplaatsen.",
            icon=":material/check_circle:",
        )
    else:
        st.warning(
            f"{got.request.id} past nu niet zonder andere bezoeken te verplaatsen: "
            + "; ".join(reasons_nl(got.reasons)),
            icon=":material/warning:",
        )
    if st.button("Aanvraag toevoegen", type="primary", key="add-request"):
        rid = access.add_request(ctx.engine, ctx.round_id, ctx.principal, got)
        audit_event(
            ctx.principal,
            "edit",
            "nieuwe aanvraag",
            round_id=ctx.round_id,
            cases=[got.request.youth],
        )
        st.session_state.pop("_new-preview", None)
        flash(f"Aanvraag {rid} is toegevoegd. Plan opnieuw om haar in te plannen.")
        st.rerun()


def requests_tab() -> None:
    """The requests table."""
    assert ctx is not None
    new_request_section()
    st.caption(
        f"{len(s.requests)} aanvragen. Rollen: vaardigheden gescheiden door komma's; een "
        "gezamenlijk bezoek heeft meerdere rollen gescheiden door |. Tijden als HH:MM. "
        "Urgentie hoort bij de jongere; vastzetten gebeurt op de pagina Planning."
    )
    editor_section(
        ctx,
        "requests",
        requests_frame,
        apply_requests,
        {
            "Id": st.column_config.TextColumn("Id", width=80),
            "Jongere": st.column_config.SelectboxColumn("Jongere", options=youth_ids, width=120),
            "Rollen": st.column_config.TextColumn("Rollen", width=260),
            "Duur (min)": st.column_config.NumberColumn(
                "Duur (min)", min_value=1, step=5, width=90
            ),
            "Vanaf": st.column_config.DateColumn("Vanaf", format="DD-MM-YYYY", width=110),
            "Tot en met": st.column_config.DateColumn("Tot en met", format="DD-MM-YYYY", width=110),
            "Urgentie": st.column_config.TextColumn("Urgentie", width=90),
            "Tijd van": st.column_config.TextColumn("Tijd van", max_chars=5, width=80),
            "Tijd tot": st.column_config.TextColumn("Tijd tot", max_chars=5, width=80),
            "Vastgezet": st.column_config.TextColumn("Vastgezet", width=240),
        },
        num_rows="dynamic",
        disabled=["Urgentie", "Vastgezet"],
        column_order=shown_columns(
            "requests",
            ["Id", "Jongere", "Rollen", "Duur (min)", "Vanaf", "Tot en met", "Urgentie"],
            ["Tijd van", "Tijd tot", "Vastgezet"],
        ),
    )
    audit_view(ctx, "Aanvragen · aanvragen", cases=[r.youth for r in s.requests])


def youths_tab() -> None:
    """The youths table."""
    assert ctx is not None
    st.caption(
        "Jongeren staan alleen met hun casuscode in de planner (nooit met naam). De gemeente "
        "is de verantwoordelijke (betalende) gemeente."
    )
    editor_section(
        ctx,
        "youths",
        youths_frame,
        apply_youths,
        {
            "Casuscode": st.column_config.TextColumn("Casuscode"),
            "Locatie": st.column_config.SelectboxColumn(
                "Locatie", options=[x.id for x in s.locations]
            ),
            "Gesignaleerd op": st.column_config.DateColumn("Gesignaleerd op", format="DD-MM-YYYY"),
            "Urgentie": st.column_config.SelectboxColumn("Urgentie", options=urgency_options(s)),
            "Vorige consultant": st.column_config.SelectboxColumn(
                "Vorige consultant", options=consultant_ids
            ),
            "Uitgesloten consultants": st.column_config.MultiselectColumn(
                "Uitgesloten consultants", options=consultant_ids
            ),
        },
        num_rows="add",
    )
    audit_view(ctx, "Aanvragen · jongeren", cases=[y.id for y in s.youths])


def locations_tab() -> None:
    """The locations table."""
    assert ctx is not None
    st.caption(
        "Het adres van een vertrouwelijke locatie blijft in de planner: het komt niet in "
        "uitnodigingen of exports voor anderen. Openingstijden staan in het scenariobestand. "
        "Een nieuwe locatie heeft coördinaten nodig: zet daarvoor **Alle kolommen** aan."
    )
    st.warning(
        "Let op: het **scenariobestand** (pagina Export) en `matcher export` bevatten de "
        "adressen van vertrouwelijke locaties, bewust, zodat de week elders volledig te "
        "plannen is. Zo'n download vraagt om bevestiging en wordt vastgelegd in de auditlog.",
        icon=":material/warning:",
    )
    editor_section(
        ctx,
        "locations",
        locations_frame,
        apply_locations,
        {
            "Id": st.column_config.TextColumn("Id", width=90),
            "Naam": st.column_config.TextColumn("Naam", width=230),
            "Soort": st.column_config.SelectboxColumn(
                "Soort", options=list(LOCATION_KINDS), width=140
            ),
            "Gemeente": st.column_config.TextColumn("Gemeente", width=130),
            "Adres": st.column_config.TextColumn("Adres", width=230),
            "Vertrouwelijk": st.column_config.CheckboxColumn(
                "Vertrouwelijk", default=True, width=100
            ),
            "Breedtegraad": st.column_config.NumberColumn("Breedtegraad", format="%.4f"),
            "Lengtegraad": st.column_config.NumberColumn("Lengtegraad", format="%.4f"),
        },
        num_rows="add",
        disabled=["Open"],
        column_order=shown_columns(
            "locations",
            ["Id", "Naam", "Soort", "Gemeente", "Adres", "Vertrouwelijk"],
            ["Breedtegraad", "Lengtegraad", "Contactpersoon", "Contact e-mail", "Open"],
        ),
    )
    audit_view(ctx, "Aanvragen · locaties", locations=[loc.id for loc in s.locations])


def trajectories_tab() -> None:
    """A youth's series of consults: edited here, continued by Nieuwe week."""
    assert ctx is not None
    st.caption(
        "Een traject is de reeks consulten van een jongere: hoeveel, hoeveel dagen er minstens "
        "en hoogstens tussen twee zitten, de duur en rollen, en eventueel een vaste "
        "consultant. Als een consult heeft plaatsgevonden, maakt **Nieuwe week** de volgende "
        "aanvraag binnen die marge."
    )
    current = list_trajectories(ctx.engine, youth_ids)
    if not current:
        st.info(
            "Er zijn nog geen trajecten. Een traject voeg je toe als rij in de tabel "
            "hieronder: beweeg over de tabel en klik rechtsboven op **+**, kies de casuscode "
            "en vul het aantal consulten, de dagen ertussen, de duur en de rollen in; dan "
            "**Trajecten opslaan**.",
            icon=":material/route:",
        )
    key = f"trajectories-{ctx.round_id}"
    edited_frame = edit_table(
        trajectories_frame(current),
        key=key,
        column_config={
            "Casuscode": st.column_config.SelectboxColumn(
                "Casuscode", options=youth_ids, required=True
            ),
            "Consulten": st.column_config.NumberColumn("Consulten", min_value=1, step=1),
            "Gehad": st.column_config.NumberColumn("Gehad", min_value=0, step=1),
            "Min. dagen ertussen": st.column_config.NumberColumn(
                "Min. dagen ertussen", min_value=0, step=1
            ),
            "Max. dagen ertussen": st.column_config.NumberColumn(
                "Max. dagen ertussen", min_value=0, step=1
            ),
            "Duur (min)": st.column_config.NumberColumn("Duur (min)", min_value=1, step=5),
            "Rollen": st.column_config.TextColumn("Rollen", help="bijv. emdr, vrouw | lvb"),
            "Voorkeursconsultant": st.column_config.SelectboxColumn(
                "Voorkeursconsultant", options=consultant_ids
            ),
            "Laatste consult": st.column_config.DateColumn(
                "Laatste consult", format="DD-MM-YYYY", disabled=True
            ),
        },
    )
    state = st.session_state.get(key)
    dirty = isinstance(state, dict) and any(
        state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")
    )
    if dirty:
        wanted, problems = trajectories_from_frame(edited_frame, youth_ids, consultant_ids)
        if problems:
            show_problems(problems, "Deze trajecten kunnen niet worden opgeslagen")
        elif st.button("Trajecten opslaan", type="primary", key="save-trajectories"):
            removed = sorted({t.youth for t in current} - {t.youth for t in wanted})
            access.save_trajectory_table(ctx.engine, ctx.principal, wanted, removed)
            audit_event(
                ctx.principal,
                "edit",
                "trajecten",
                round_id=ctx.round_id,
                cases=[t.youth for t in wanted] + removed,
            )
            st.session_state.pop(key, None)
            flash(f"Opgeslagen: {len(wanted)} traject(en), {len(removed)} verwijderd.")
            st.rerun()
    if current and st.button("Volgende consulten aan deze week toevoegen", key="next-consults"):
        added = access.request_next_consults(ctx.engine, ctx.round_id, ctx.principal)
        audit_event(ctx.principal, "edit", "trajectaanvragen", round_id=ctx.round_id)
        flash(
            f"{len(added)} aanvraag/aanvragen toegevoegd: {', '.join(added)}."
            if added
            else "Er waren geen consulten die deze week aan de beurt zijn."
        )
        st.rerun()
    audit_view(ctx, "Aanvragen · trajecten", cases=[t.youth for t in current])


def import_tab() -> None:
    """Scenario file and sheet imports."""
    assert ctx is not None
    import_section(ctx)


tab_list: list[tuple[str, Callable[[], None]]] = [
    ("Aanvragen", requests_tab),
    ("Jongeren", youths_tab),
    ("Locaties", locations_tab),
    ("Trajecten", trajectories_tab),
    ("Importeren", import_tab),
]
# Only the open tab runs (tabs rerun on switch), so the page stays fast.
tabs = st.tabs([name for name, _ in tab_list], key="requests-tab", on_change="rerun")
for tab, (name, render) in zip(tabs, tab_list, strict=True):
    if tab.open:
        with tab, guarded(f"tab {name}"):
            render()
