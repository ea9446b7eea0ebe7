"""Planning: solve in the background with live progress; calendar, map, tables; manual edits."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import streamlit as st

from app_pages.common import (
    SAVE_PROBLEMS_KEY,
    VISITS_COLUMNS,
    Ctx,
    audit_event,
    audit_view,
    context,
    day_map,
    flash,
    gantt_spec,
    jobs,
    kpis,
    map_spec,
    no_round,
    pending_save_problems,
    plan_caption,
    plan_cases,
    save_hand_plan,
    save_locks,
    show_flash,
    show_problems,
    show_table,
    unassigned_table,
    violations,
    visits_table,
)
from matcher import storage
from matcher.app import access
from matcher.app.errors import guarded, guarded_callback, user_message
from matcher.app.manual_edit import locks_problems, move_visit, pin_of, unplan_visit
from matcher.app.solve_jobs import JobRunningError
from matcher.cycle.replanning import planning_now, replan_scenario
from matcher.explain.nl import lines_nl, reasons_nl
from matcher.explain.plan_views import consultant_label, roles_text, visit_label
from matcher.explain.reasons import explain_visit
from matcher.explain.remedies import describe_nl, find_remedies
from matcher.messages.nl import (
    BOUND_HELP,
    GAP_HELP,
    SCORE_HELP,
    nl_day,
    nl_float,
    nl_int,
    parse_hhmm,
    status_text,
)
from matcher.scenario.domain import Pin, format_time
from matcher.scenario.problems import ScenarioError
from matcher.solver.solve import SolveParams
from matcher.storage.history import accepted_plan_id

ctx = context()
st.title("Planning")
if ctx is None:
    no_round()
    st.stop()
assert isinstance(ctx, Ctx)
s = ctx.scenario
rid = ctx.round_id
registry = jobs()
show_flash()


def remember(key: str) -> None:
    """Keep a setting across page switches (widget state is dropped when a page is left)."""
    st.session_state[f"_kept-{key}"] = st.session_state[key]


def remembered(key: str, default: int) -> int:
    return int(st.session_state.get(f"_kept-{key}", default))


@guarded_callback("plannen starten")
def start_solve() -> None:
    """Start a background solve with the settings as they are now (read from the widgets)."""
    assert ctx is not None
    eng = ctx.engine
    limit = st.session_state.get("time-limit", 10)
    workers = st.session_state.get("workers", 1)
    seed = st.session_state.get("seed", 0)

    base = accepted_plan_id(eng, rid)  # re-plans start from the accepted (or sent) plan
    week = s
    label = "solver"
    if base is not None:
        # Re-plan against what staff have (the accepted plan), from now on.
        try:
            week = replan_scenario(s, storage.load_plan(eng, base), planning_now(s.timezone))
        except ScenarioError as exc:
            st.session_state["_solve_problems"] = exc.problems
            return
        label = "herplanning"

    def save(plan: object) -> int:
        return storage.save_plan(eng, rid, plan, label=label)  # type: ignore[arg-type]

    audit_event(ctx.principal, "edit", "planning gestart", round_id=rid)
    try:
        registry.start(
            rid,
            week,
            SolveParams(time_limit=float(limit), workers=int(workers), seed=int(seed)),
            save=save,
            version=ctx.version,
        )
    except JobRunningError:
        st.session_state["_solve_msg"] = "Er loopt al een planning voor deze week."


job = registry.get(rid)
running = job is not None and job.running
if ctx.planner:
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([1.2, 1, 1, 2.4], vertical_alignment="bottom")
        c1.number_input(
            "Rekentijd (seconden)",
            min_value=1,
            max_value=600,
            value=remembered("time-limit", 10),
            step=1,
            key="time-limit",
            on_change=remember,
            args=("time-limit",),
        )
        c2.number_input(
            "Processorkernen",
            min_value=1,
            max_value=max(1, os.cpu_count() or 1),
            value=remembered("workers", max(1, (os.cpu_count() or 2) - 1)),
            help="Hoeveel processorkernen van de server tegelijk aan de planning rekenen. "
            "Laat er een vrij zodat de app voor anderen vlot blijft.",
            key="workers",
            on_change=remember,
            args=("workers",),
        )
        c3.number_input(
            "Variant (startgetal)",
            min_value=0,
            help="Bij gelijke gegevens geeft hetzelfde getal dezelfde planning. Een ander "
            "getal laat de rekenmethode op een andere manier zoeken: soms vindt die zo een "
            "betere planning.",
            value=remembered("seed", 0),
            step=1,
            key="seed",
            on_change=remember,
            args=("seed",),
        )
        label = "Opnieuw plannen" if ctx.plan is not None else "Plannen"
        c4.button(
            label,
            type="primary",
            disabled=running,
            key="solve",
            icon=":material/play_arrow:",
            on_click=start_solve,
            width="stretch",
        )
        n_locked = len(ctx.locked)
        st.caption(
            f"Vergrendelde bezoeken ({n_locked}) blijven staan; de rest wordt opnieuw "
            "geoptimaliseerd. Het plannen loopt op de achtergrond: je kunt intussen verder werken."
        )
        msg = st.session_state.pop("_solve_msg", None)
        if msg:
            st.warning(msg)
        problems = st.session_state.pop("_solve_problems", None)
        if problems:
            show_problems(
                problems,
                "Een bezoek dat al begonnen of geweest is, past niet meer bij de gegevens "
                "(bijvoorbeeld een afwezigheid die er nu over valt). Pas de gegevens aan",
            )
        if accepted_plan_id(ctx.engine, rid) is not None:
            st.caption(
                "Opnieuw plannen gaat uit van de geaccepteerde planning: bezoeken die al "
                "begonnen zijn blijven staan, de rest begint vanaf nu, en elke verplaatsing "
                "kost iets. Het resultaat is een voorstel dat je op **Overzicht** accepteert "
                "of verwerpt."
            )


def number(value: int | None) -> str:
    """``43.408`` (Dutch thousands separator), ``–`` when unknown."""
    return "–" if value is None else nl_int(value)


@st.fragment(run_every=1.0 if running else None)
def progress() -> None:
    """Live progress of the background solve (reruns on its own every second)."""
    with guarded("voortgang van het plannen"):
        show_progress()


def show_progress() -> None:
    assert ctx is not None
    current = registry.get(rid)
    if current is None:
        return
    snap = current.snapshot()
    if snap.running:
        st.progress(
            snap.fraction,
            text=f"Bezig met plannen… {nl_int(snap.elapsed)} van "
            f"{nl_int(snap.time_limit)} seconden",
        )
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Beste score", number(snap.objective), help=SCORE_HELP)
        m2.metric("Ondergrens", number(snap.bound), help=BOUND_HELP)
        m3.metric(
            "Afstand tot de ondergrens",
            "–" if snap.gap is None else f"{nl_float(100 * snap.gap, 1)}%",
            help=GAP_HELP,
        )
        m4.metric("Verstreken", f"{nl_int(snap.elapsed)} s")
        if ctx.planner:
            st.button("Stoppen", key="stop-solve", on_click=current.stop, disabled=snap.stopped)
        return
    if snap.state == "failed":
        st.error(f"Het plannen is mislukt. {user_message(snap.error or '?')}")
        return
    if st.session_state.get("_job_seen") == current.token:
        return
    st.session_state["_job_seen"] = current.token
    gap = "" if snap.gap is None else f", afstand tot de ondergrens {nl_float(100 * snap.gap, 1)}%"
    done = f"Planning klaar in {nl_float(snap.elapsed, 1)} s: {status_text(snap.status)}{gap}."
    if snap.plan_id is not None and snap.plan_id != ctx.plan_id:
        flash(done)
        st.rerun()  # a new plan was saved: show it on the whole page (once per job)
    st.success(done, icon=":material/check_circle:")


progress()

plan = ctx.visible_plan()
if plan is None or ctx.plan is None:
    st.info("Nog geen planning voor deze week." + (" Klik op **Plannen**." if ctx.planner else ""))
    st.stop()

st.caption(plan_caption(ctx))
if ctx.planner:
    broken = violations(ctx)
    if broken:
        show_problems(
            broken[:10], "Deze planning past niet meer bij de huidige gegevens; plan opnieuw"
        )

m1, m2, m3, m4 = st.columns(4)
m1.metric("Bezoeken", len(plan.visits))
if ctx.planner:
    m2.metric("Niet ingepland", len(plan.unassigned))
else:
    m2.metric("Consultants", len(ctx.scope))
m3.metric(
    "Reistijd", f"{nl_float(kpis(ctx).travel_hours, 1)} u", help="Gereden tijd (in deze weergave)"
)
m4.metric("Vergrendeld", sum(1 for v in plan.visits if v.request in ctx.locked))


def calendar_tab() -> None:
    """Week calendar per consultant (Gantt) with travel between visits."""
    assert ctx is not None and plan is not None
    day_choice = st.segmented_control(
        "Dag",
        ["week", *s.days],
        default="week",
        format_func=lambda d: "Hele week" if d == "week" else nl_day(d),
        key="gantt-day",
    )
    day = day_choice if isinstance(day_choice, dt.date) else None
    st.vega_lite_chart(spec=gantt_spec(ctx, day), width="stretch")
    audit_view(ctx, "Planning · weekkalender", **plan_cases(ctx))
    st.caption(
        "Blauw: bezoek (donker = vergrendeld), oranje: reistijd, lichtgroen: beschikbaar. "
        "Beweeg over een blok voor details."
    )


def map_tab() -> None:
    """Tours of one day on a map, and the plain fallback map."""
    assert ctx is not None and plan is not None
    map_day = st.selectbox("Dag", list(s.days), format_func=nl_day, key="map-day")
    data = day_map(ctx, map_day)
    if data.empty:
        st.write("Geen bezoeken op deze dag.")
    else:
        st.vega_lite_chart(spec=map_spec(ctx, map_day), width="stretch")
        st.caption(
            "De ondergrond (plaatsen) hoort bij de planner zelf: de kaart vraagt niets op bij "
            "een andere server. Elke lijn is de route van één consultant vanaf de basis."
            + (
                ""
                if ctx.planner
                else " Vertrouwelijke locaties staan op de plek van hun gemeente, niet op het "
                "adres."
            )
        )
        shown = [v for v in plan.visits if v.date == map_day]
        audit_view(
            ctx,
            f"Planning · kaart {map_day.isoformat()}",
            cases=[v.youth for v in shown],
            locations=[v.location for v in shown],
            consultants=list(data.paths["consultant"]),
        )


def visits_tab() -> None:
    """The table of visits."""
    assert ctx is not None and plan is not None
    table = visits_table(ctx)
    show_table(
        table.drop(columns=["Datum"]),
        hide_index=True,
        width="stretch",
        placeholder="—",
        column_order=VISITS_COLUMNS,
        column_config={"Vergrendeld": st.column_config.CheckboxColumn("Vergrendeld")},
    )
    audit_view(ctx, "Planning · bezoeken", **plan_cases(ctx))


def unassigned_tab() -> None:
    """Unassigned requests with their reasons."""
    assert ctx is not None and plan is not None
    table = unassigned_table(ctx)
    if table.empty:
        st.success("Alle aanvragen zijn ingepland.")
    else:
        show_table(
            table,
            hide_index=True,
            width="stretch",
            placeholder="—",
            column_config={"Redenen": st.column_config.TextColumn("Redenen", width="large")},
        )
        audit_view(ctx, "Planning · niet ingepland", cases=list(table["Casuscode"]))
        if ctx.planner:
            remedies_section()


def remedies_section() -> None:
    """The smallest change that plans each open request, proven by planning with it."""
    assert ctx is not None and plan is not None
    st.subheader("Wat zou helpen")
    st.caption(
        "Per open aanvraag de kleinste wijziging die haar inplanbaar maakt: een werkdag "
        "30, 60 of 90 minuten langer, één bezoek meer per dag of week, een latere uiterste "
        "datum, of een ontbrekende vaardigheid. Elke wijziging is doorgerekend; de kosten "
        "zijn het verschil in de doelfunctie (negatief: de planning wordt beter)."
    )
    key = f"_remedies-{ctx.round_id}-{ctx.plan_id}"
    if st.button("Zoek de kleinste wijziging", key="find-remedies", icon=":material/lightbulb:"):
        with st.spinner("Doorrekenen…"):
            st.session_state[key] = find_remedies(s, plan, seconds=10.0)
    found = st.session_state.get(key)
    if isinstance(found, dict):
        for rid, remedy in found.items():
            if remedy is None:
                st.markdown(f"- **{rid}**: geen kleine wijziging gevonden.")
            else:
                st.markdown(f"- {describe_nl(remedy)}")


def confirm_unlock_all() -> None:
    """Ask before unlocking: say how many app locks go, keep the scenario's own fixed
    appointments unless the planner includes them."""
    assert ctx is not None
    split = access.lock_split(ctx.engine, ctx.round_id, sorted(ctx.locked))
    with st.container(border=True, key="unlock-all-confirm"):
        st.markdown(
            f"**Alles ontgrendelen?** Dit haalt de vergrendeling van **{len(split.app)}** "
            "bezoek(en) weg die in de app zijn vergrendeld"
            + (f" ({', '.join(split.app)})" if split.app else "")
            + ". Bij opnieuw plannen mogen die bezoeken dan verschuiven."
        )
        include = False
        if split.scenario:
            st.caption(
                f"{len(split.scenario)} vaste afspraak/afspraken uit het scenario "
                f"({', '.join(split.scenario)}) blijven vastgezet."
            )
            include = st.checkbox(
                f"Ook de {len(split.scenario)} vaste afspraak/afspraken uit het scenario "
                "ontgrendelen",
                key="unlock-all-scenario",
            )
        targets = split.to_unlock(include_scenario=include)
        c1, c2 = st.columns(2)
        c1.button(
            f"Ja, {len(targets)} ontgrendelen",
            key="unlock-all-yes",
            type="primary",
            disabled=not targets,
            on_click=unlock_all,
            args=(tuple(targets),),
        )
        c2.button("Annuleren", key="unlock-all-no", on_click=close_unlock_all)


def close_unlock_all() -> None:
    st.session_state.pop("confirm-unlock-all", None)


@guarded_callback("alles ontgrendelen")
def unlock_all(targets: tuple[str, ...]) -> None:
    """Unlock ``targets`` (the confirmation's choice) in a callback: one run shows it."""
    assert ctx is not None
    close_unlock_all()
    save_locks(ctx, dict.fromkeys(targets), f"{len(targets)} bezoek(en) ontgrendeld.", rerun=False)


@guarded_callback("bezoek vergrendelen")
def lock_one(request_id: str, pin: Pin, done: str) -> None:
    """Lock one visit in a callback (saved before the page runs: one run, not two); a lock
    the validator refuses saves nothing and its problems show in the tab."""
    assert ctx is not None
    bad = locks_problems(ctx.scenario, {request_id: pin})
    if bad:
        st.session_state[SAVE_PROBLEMS_KEY] = ("Dit bezoek kan zo niet worden vergrendeld", bad)
        return
    save_locks(ctx, {request_id: pin}, done, rerun=False)


@guarded_callback("bezoek ontgrendelen")
def unlock_one(request_id: str) -> None:
    assert ctx is not None
    save_locks(ctx, {request_id: None}, f"{request_id} is ontgrendeld.", rerun=False)


@guarded_callback("bezoek uit de planning halen")
def unplan_one(request_id: str) -> None:
    """Take one visit out of the plan in a callback (one run shows the new plan)."""
    assert ctx is not None and ctx.plan is not None
    outcome = unplan_visit(ctx.scenario, ctx.plan, request_id, ctx.travel)
    if outcome.plan is None:
        st.session_state[SAVE_PROBLEMS_KEY] = (outcome.message, tuple(outcome.reasons_text()))
        return
    save_hand_plan(ctx, outcome.plan, outcome.message, rerun=False)


# Why the last hand move was refused (title, lines), shown under the move form once.
MOVE_PROBLEMS_KEY = "_move_problems"


@guarded_callback("bezoek verplaatsen")
def move_one(request_id: str, keys: tuple[str, str, str]) -> None:
    """Move (or plan) one visit by hand with the form's values, in the submit callback: the
    plan and lock are saved before the page runs, which then shows them at once."""
    assert ctx is not None and ctx.plan is not None
    people_key, day_key, start_key = keys
    people = list(st.session_state.get(people_key) or [])
    day = st.session_state.get(day_key)
    start_text = str(st.session_state.get(start_key) or "")
    start = parse_hhmm(start_text, allow_2400=False) if start_text.strip() else None
    if start_text.strip() and start is None:
        problem = "Geef de begintijd als HH:MM, of laat het veld leeg."
        st.session_state[MOVE_PROBLEMS_KEY] = ("Niet verplaatst", (problem,))
        return
    outcome = move_visit(ctx.scenario, ctx.plan, request_id, people, day, start, ctx.travel)
    if outcome.plan is None:
        title = outcome.message + " Niet toegestaan:"
        st.session_state[MOVE_PROBLEMS_KEY] = (title, tuple(outcome.reasons_text()))
        return
    pins = {request_id: outcome.pin} if outcome.pin is not None else {}
    save_locks(ctx, pins, outcome.message, plan=outcome.plan, rerun=False)


@guarded_callback("alle bezoeken vergrendelen")
def lock_all() -> None:
    """Lock every visit of the plan shown. A callback: it saves before the page runs, so the
    page runs once, already with the locks and the note (a button's branch would save in one
    run and show the result in a second)."""
    assert ctx is not None and ctx.plan is not None
    pins = {v.request: pin_of(v) for v in ctx.plan.visits if v.request not in ctx.locked}
    bad = locks_problems(ctx.scenario, pins)
    if bad:
        st.session_state[SAVE_PROBLEMS_KEY] = ("Niet alle bezoeken kunnen worden vergrendeld", bad)
        return
    save_locks(ctx, dict(pins), f"{len(pins)} bezoek(en) vergrendeld.", rerun=False)


def edit_tab() -> None:
    """Lock, unlock, move, plan or unplan one visit by hand."""
    # Over 80 lines: one tab laid out top to bottom (choice, buttons, reasons, move form),
    # every part reading the same chosen request; the saving is in the callbacks
    # (lock_one, unlock_one, unplan_one, move_one, lock_all: one run per click).
    assert ctx is not None and ctx.plan is not None
    full = ctx.plan
    by_request = {v.request: v for v in full.visits}
    options = [v.request for v in sorted(full.visits, key=lambda v: (v.date, v.start))]
    options += [u.request for u in full.unassigned if u.request not in by_request]
    if not options:
        st.write("Geen bezoeken.")
        st.stop()

    def option_label(request_id: str) -> str:
        assert ctx is not None
        v = by_request.get(request_id)
        lock = " · vergrendeld" if request_id in ctx.locked else ""
        return (visit_label(s, v) + lock) if v else f"{request_id} · niet ingepland"

    chosen = st.selectbox(
        "Bezoek of aanvraag", options, format_func=option_label, key="edit-request"
    )
    visit = by_request.get(chosen)
    try:
        req = s.request(chosen)
    except KeyError:
        st.error(f"Aanvraag {chosen} bestaat niet meer in deze week.")
        st.stop()
    youth = s.youth(req.youth)
    loc = s.location(youth.location)
    audit_view(ctx, "Planning · aanpassen", cases=[youth.id], locations=[loc.id])
    st.markdown(
        f"**{chosen}** · casus {youth.id} · {loc.name} ({loc.gemeente}) · "
        f"{req.duration_minutes} min · rollen: {roles_text(req.roles)}"
    )
    locked = chosen in ctx.locked

    b1 = b2 = b3 = b4 = st.container(horizontal=True)
    if visit is not None:
        if not locked:
            b1.button(
                "Vergrendelen",
                key="lock",
                icon=":material/lock:",
                on_click=lock_one,
                args=(
                    chosen,
                    pin_of(visit),
                    f"{chosen} is vergrendeld op {nl_day(visit.date)} {format_time(visit.start)}.",
                ),
            )
        else:
            b1.button(
                "Ontgrendelen",
                key="unlock",
                icon=":material/lock_open:",
                on_click=unlock_one,
                args=(chosen,),
            )
        b2.button(
            "Uit planning halen", key="unplan", disabled=locked, on_click=unplan_one, args=(chosen,)
        )
    elif locked:
        b1.caption("Vastgezet, maar niet ingepland.")
        b1.button("Ontgrendelen", key="unlock-unplanned", on_click=unlock_one, args=(chosen,))
    b3.button("Alle bezoeken vergrendelen", key="lock-all", on_click=lock_all)
    pending_save_problems()
    if b4.button("Alles ontgrendelen…", key="unlock-all", disabled=not ctx.locked):
        st.session_state["confirm-unlock-all"] = True
    if ctx.locked and st.session_state.get("confirm-unlock-all"):
        confirm_unlock_all()

    if visit is None:
        reasons = next((u.reasons for u in full.unassigned if u.request == chosen), ())
        if reasons:
            st.markdown("**Waarom niet ingepland:** " + "; ".join(reasons_nl(reasons)))
    else:
        with st.expander("Kosten van dit bezoek"):
            try:
                for line in lines_nl(explain_visit(s, full.visits, ctx.travel, chosen).lines()):
                    st.markdown(f"- {line}")
            except KeyError as exc:
                st.write(str(exc))

    st.subheader("Verplaatsen" if visit is not None else "Met de hand inplannen")
    move_keys = (f"move-people-{chosen}", f"move-day-{chosen}", f"move-start-{chosen}")
    with st.form("move-form"):
        f1, f2, f3 = st.columns([3, 1.3, 1])
        current = list(visit.consultants) if visit is not None else []
        f1.multiselect(
            f"Consultant(s) — {len(req.roles)} nodig",
            [c.id for c in s.consultants],
            default=current,
            format_func=lambda c: consultant_label(s, c),
            max_selections=len(req.roles),
            placeholder="Kies consultant(s)",
            key=move_keys[0],
        )
        days = list(s.days)
        f2.selectbox(
            "Dag",
            days,
            index=days.index(visit.date) if visit is not None and visit.date in days else 0,
            format_func=nl_day,
            key=move_keys[1],
        )
        f3.text_input(
            "Begin",
            value="",
            placeholder="eerste passende tijd",
            help="HH:MM; leeg = zelf zoeken",
            key=move_keys[2],
        )
        st.form_submit_button(
            "Verplaatsen" if visit is not None else "Inplannen",
            type="primary",
            on_click=move_one,
            args=(chosen, move_keys),
        )
    refused = st.session_state.pop(MOVE_PROBLEMS_KEY, None)
    if isinstance(refused, tuple):
        show_problems(refused[1], refused[0])


tabs_shown: list[tuple[str, Callable[[], None]]] = [
    ("Weekkalender", calendar_tab),
    ("Kaart", map_tab),
    ("Bezoeken", visits_tab),
]
if ctx.planner:
    tabs_shown += [("Niet ingepland", unassigned_tab), ("Aanpassen", edit_tab)]
# Only the open tab runs (tabs rerun on switch), so a page switch stays fast.
tabs = st.tabs([name for name, _ in tabs_shown], key="planning-tab", on_change="rerun")
for tab, (name, render) in zip(tabs, tabs_shown, strict=True):
    if tab.open:
        with tab, guarded(f"tab {name}"):
            render()
