"""AppTest: the week's cycle in the app: a sent plan, an absence, a re-plan to review
(accept or discard), the plan history, an urgent alert, and a new week."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from matcher import storage
from matcher.checker import check_plan
from matcher.cycle.replanning import NOW_ENV, replan_scenario
from matcher.scenario.domain import Unavailability
from matcher.storage.engine import get_engine
from matcher.storage.history import accepted_plan_id, history, proposal_id
from tests.test_app import db, errors, open_app, planned_db, round_id, wait_for_plan  # noqa: F401

# Tuesday of the demo week (week 49) at noon: the plan's Monday visits have taken place.
NOW = "2026-12-01T12:00"


def _send(url: str) -> int:
    """Mark the newest plan as sent through the Export page (that accepts it)."""
    at = open_app("export")
    at.button(key="mark-sent").click()
    at.run()
    assert not at.exception
    engine = get_engine(url)
    sent = accepted_plan_id(engine, round_id(url))
    engine.dispose()
    assert sent is not None
    return sent


def _sick_on_wednesday(url: str, plan_id: int) -> str:
    engine = get_engine(url)
    rid = round_id(url)
    plan = storage.load_plan(engine, plan_id)
    wed = dt.date(2026, 12, 2)
    cid = next(c for v in plan.visits if v.date == wed for c in v.consultants)
    s = storage.export_scenario(engine, rid)
    c = s.consultant(cid)
    storage.update_consultant(
        engine, rid, dataclasses.replace(c, unavailable=(*c.unavailable, Unavailability(wed)))
    )
    engine.dispose()
    return cid


def test_replan_is_a_proposal_against_the_sent_plan_then_accepted(
    db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NOW_ENV, NOW)
    sent = _send(db)
    sick = _sick_on_wednesday(db, sent)
    at = open_app("planning")
    at.number_input(key="time-limit").set_value(3)
    at.button(key="solve").click()
    at.run()
    new = wait_for_plan(at, sent, db)
    engine = get_engine(db)
    rid = round_id(db)
    assert storage.list_plans(engine, rid)[0].label == "herplanning"
    assert proposal_id(engine, rid) == new and accepted_plan_id(engine, rid) == sent
    # The re-plan keeps what holds: the sick consultant's Wednesday visits move, visits
    # before now stay exactly, nothing new starts before now.
    old, replanned = storage.load_plan(engine, sent), storage.load_plan(engine, new)
    s = replan_scenario(storage.export_scenario(engine, rid), old, dt.datetime(2026, 12, 1, 12))
    report = check_plan(s, replanned)
    assert report.feasible, report.violations
    assert replanned.kpis["changed"] == report.changed > 0
    before = {v.request: v for v in old.visits}
    moved = [v for v in replanned.visits if before.get(v.request) != v]
    cutoff = (dt.date(2026, 12, 1), 12 * 60)
    assert all((v.date, v.start) >= cutoff for v in moved)
    assert all(
        before[r] in replanned.visits for r in before if (before[r].date, before[r].start) < cutoff
    )
    assert not [
        v for v in replanned.visits if sick in v.consultants and v.date == dt.date(2026, 12, 2)
    ]
    assert len(moved) <= len([v for v in old.visits if sick in v.consultants]) + 3

    # Overzicht shows what it would change; accept makes it the week's plan.
    at = open_app()
    text = "\n".join(str(m.value) for m in at.markdown) + "\n".join(
        str(x.value) for x in at.subheader
    )
    assert f"Voorstel: herplanning #{new}" in text
    at.button(key="accept-proposal").click()
    at.run()
    assert not at.exception
    assert accepted_plan_id(engine, rid) == new and proposal_id(engine, rid) is None
    who = [e.accepted_by for e in history(engine, rid)]
    assert who == ["regisseur", "regisseur"]
    engine.dispose()


def test_a_proposal_can_be_discarded_and_an_old_plan_restored(
    db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NOW_ENV, NOW)
    sent = _send(db)
    at = open_app("planning")
    at.number_input(key="time-limit").set_value(2)
    at.button(key="solve").click()
    at.run()
    new = wait_for_plan(at, sent, db)
    at = open_app()
    engine = get_engine(db)
    rid = round_id(db)
    # "Verwerpen…" only asks: it says what goes (the proposal) and what stays
    at.button(key="discard-proposal").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert proposal_id(engine, rid) == new
    question = "\n".join(str(m.value) for m in at.markdown if "verwerpen?" in str(m.value))
    assert f"Herplanning #{new} verwerpen?" in question
    assert f"voorstel #{new}" in question and f"planning #{sent} blijft" in question
    # cancelling keeps the proposal and closes the question
    at.button(key="discard-no").click()
    at.run()
    assert proposal_id(engine, rid) == new
    assert not [b for b in at.button if b.key == "discard-yes"]
    at.button(key="discard-proposal").click()
    at.run()
    at.button(key="discard-yes").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"Herplanning #{new} is verworpen" in "\n".join(str(s.value) for s in at.success)
    assert proposal_id(engine, rid) is None and new not in {
        p.id for p in storage.list_plans(engine, rid)
    }
    assert accepted_plan_id(engine, rid) == sent
    engine.dispose()


def test_new_week_from_the_overview(db: str) -> None:  # noqa: F811
    at = open_app()
    at.button(key="next-week").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    engine = get_engine(db)
    weeks = {r.week for r in storage.list_rounds(engine)}
    assert "2026-W50" in weeks
    engine.dispose()


def test_trajectories_are_edited_on_aanvragen_and_request_their_next_consult(
    db: str,  # noqa: F811
) -> None:
    from matcher.storage.trajectories import list_trajectories
    from tests.test_app import open_tab

    engine = get_engine(db)
    rid = round_id(db)
    youth = storage.export_scenario(engine, rid).youths[0].id
    at = open_app("aanvragen")
    open_tab(at, "requests-tab", "Trajecten")
    key = f"trajectories-{rid}"
    row = {
        "Casuscode": youth,
        "Consulten": 3,
        "Gehad": 0,
        "Min. dagen ertussen": 5,
        "Max. dagen ertussen": 3,  # below the minimum: refused
        "Duur (min)": 60,
        "Rollen": "loverboy-trauma",
    }
    at.session_state[key] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.run()
    assert "Max. dagen ertussen" in errors(at)
    assert list_trajectories(engine) == []
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [{**row, "Max. dagen ertussen": 9}],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save-trajectories").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (t,) = list_trajectories(engine)
    assert (t.youth, t.consults, t.min_gap_days, t.max_gap_days) == (youth, 3, 5, 9)
    open_tab(at, "requests-tab", "Trajecten")
    at.button(key="next-consults").click()
    at.run()
    assert t.request_id() in {r.id for r in storage.export_scenario(engine, rid).requests}
    engine.dispose()


def test_open_requests_get_the_smallest_fix_in_dutch(db: str) -> None:  # noqa: F811
    from matcher.scenario.domain import Unassigned
    from tests.test_app import open_tab

    engine = get_engine(db)
    rid = round_id(db)
    plan = storage.load_plan(engine, storage.list_plans(engine, rid)[0].id)
    v = plan.visits[0]
    storage.save_plan(
        engine,
        rid,
        dataclasses.replace(
            plan,
            visits=plan.visits[1:],
            unassigned=(*plan.unassigned, Unassigned(v.request, ("met de hand verwijderd",))),
        ),
    )
    at = open_app("planning")
    open_tab(at, "planning-tab", "Niet ingepland")
    at.button(key="find-remedies").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(str(m.value) for m in at.markdown)
    assert v.request in text and ("past zonder wijziging" in text or "ingepland" in text)
    engine.dispose()


def test_adding_a_crisis_request_sets_the_urgency_and_shows_where_it_fits(
    db: str,  # noqa: F811
) -> None:
    engine = get_engine(db)
    rid = round_id(db)
    before = storage.export_scenario(engine, rid)
    youth = next(y for y in before.youths if y.urgency != "crisis")
    at = open_app("aanvragen")
    at.selectbox(key="new-youth").set_value(youth.id)
    at.selectbox(key="new-urgency").set_value("crisis")
    at.text_input(key="new-roles").input("")
    at.button(key="FormSubmitter:new-request-Controleren").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(x.value) for x in [*at.success, *at.warning])
    assert "past" in shown
    at.button(key="add-request").click()
    at.run()
    after = storage.export_scenario(engine, rid)
    added = [r for r in after.requests if r.id not in {q.id for q in before.requests}]
    assert len(added) == 1 and added[0].youth == youth.id and added[0].id in shown
    assert after.youth(youth.id).urgency == "crisis"
    engine.dispose()


def test_locking_a_visit_is_audited_with_its_case_code(db: str) -> None:  # noqa: F811
    from matcher.security import audit
    from tests.test_app import open_tab

    at = open_app("planning")
    open_tab(at, "planning-tab", "Aanpassen")
    chosen = at.selectbox(key="edit-request").value
    at.button(key="lock").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    engine = get_engine(db)
    youth = storage.export_scenario(engine, round_id(db)).request(chosen).youth
    edits = [e for e in audit.entries(engine, case_code=youth) if e.action == "edit"]
    assert edits and edits[-1].subject.startswith("planning: ") and edits[-1].locations
    engine.dispose()
