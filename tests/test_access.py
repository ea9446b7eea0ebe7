"""Roles enforced in the library: what each principal gets from storage and matcher.app.access.

The spec's example week, with an address and a contact on every (confidential) location,
is stored with its plan (R-5 is a joint visit of C-FIER-1 and C-XON-1). Nothing a provider,
consultant or gemeente gets may hold a confidential address, the exact point of a
confidential location, or another provider's consultant ids.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from matcher import storage
from matcher.app import access
from matcher.scenario.domain import Contact, Plan, Scenario
from matcher.security.principal import AccessDenied, Principal, gemeente_point
from matcher.storage.engine import get_engine

FIER = Principal("fp", "planner", provider="fier")
XONAR = Principal("xp", "planner", provider="xonar")
CONSULTANT = Principal("c1", "consultant", provider="fier", consultant="C-FIER-1")
VENLO = Principal("venlo", "gemeente", gemeente="Venlo")
PRIVACY = Principal("po", "privacy")
ADMIN = Principal("root", "admin")
REGISSEUR = Principal("kr", "ketenregisseur")


@pytest.fixture
def stored(example: Scenario, example_plan: Plan) -> tuple[Engine, int, int, Scenario]:
    locations = tuple(
        dataclasses.replace(
            loc,
            address=f"Geheimstraat {i + 1}, {loc.gemeente}",
            contact=Contact(f"Contact {i}", f"contact{i}@zorg.example"),
        )
        for i, loc in enumerate(example.locations)
    )
    scenario = dataclasses.replace(example, locations=locations)
    engine = get_engine("sqlite://")
    rid = storage.import_scenario(engine, scenario)
    pid = storage.save_plan(engine, rid, example_plan)
    return engine, rid, pid, scenario


def secrets_of(scenario: Scenario) -> list[str]:
    """Addresses of confidential locations (their contact person is on the invites, on
    purpose: the consultant makes the appointment with them)."""
    out = []
    for loc in scenario.locations:
        if loc.confidential:
            assert loc.address
            out.append(loc.address)
    return out


def test_provider_planner_gets_only_its_part_of_the_week(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, _, full = stored
    s = storage.export_scenario(engine, rid, principal=FIER)
    assert [c.id for c in s.consultants] == ["C-FIER-1"]
    assert {p.id for p in s.providers} == {"fier", "xonar"}  # names, for joint visits
    assert {r.id for r in s.requests} == {"R-4", "R-5"}
    for loc in s.locations:
        exact = full.location(loc.id)
        assert loc.address is None and loc.contact is None
        assert (loc.lat, loc.lon) != (exact.lat, exact.lon)
        assert (loc.lat, loc.lon) == gemeente_point(exact.gemeente, exact.lat, exact.lon)
    assert not any(y.excluded_consultants or y.previous_consultant for y in s.youths)
    assert s.travel.overrides == ()
    text = repr(s)
    assert not any(secret in text for secret in secrets_of(full))
    assert "C-XON" not in text


def test_provider_plan_hides_other_providers_consultants(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, pid, _ = stored
    plan = storage.load_plan(engine, pid, principal=FIER)
    assert sorted(v.request for v in plan.visits) == ["R-4", "R-5"]
    joint = next(v for v in plan.visits if v.request == "R-5")
    assert joint.consultants[0] == "C-FIER-1"
    assert joint.consultants[1].startswith("partner: ") and "(Xonar)" in joint.consultants[1]
    assert "C-XON" not in repr(plan)
    assert plan.unassigned == () and plan.solver.objective is None and plan.kpis == {}
    assert storage.latest_plan(engine, rid, principal=FIER) == plan
    info = storage.list_plans(engine, rid, principal=FIER)[0]
    assert info.objective is None and info.visits == 0 and info.kpis == {}
    xonar = storage.load_plan(engine, pid, principal=XONAR)
    assert "C-FIER" not in repr(xonar)
    assert sorted(v.request for v in xonar.visits) == ["R-1", "R-2", "R-3", "R-5", "R-6"]


def test_consultant_sees_only_its_own_schedule(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, pid, _ = stored
    plan = storage.load_plan(engine, pid, principal=CONSULTANT)
    assert all("C-FIER-1" in v.consultants for v in plan.visits)
    s = storage.export_scenario(engine, rid, principal=CONSULTANT)
    assert [c.id for c in s.consultants] == ["C-FIER-1"]


def test_roles_without_case_data_are_refused(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, pid, _ = stored
    for who in (VENLO, PRIVACY, ADMIN):
        with pytest.raises(AccessDenied):
            storage.export_scenario(engine, rid, principal=who)
        with pytest.raises(AccessDenied):
            storage.load_plan(engine, pid, principal=who)
    for who in (PRIVACY, ADMIN):
        with pytest.raises(AccessDenied):
            storage.list_rounds(engine, principal=who)
    for who in (FIER, CONSULTANT, VENLO, PRIVACY, ADMIN):
        with pytest.raises(AccessDenied):
            access.scenario_file_for(engine, rid, who)
        with pytest.raises(AccessDenied):
            access.mark_sent(engine, rid, pid, who)


def test_downloads_of_a_provider_hold_no_secret_and_no_other_provider(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, pid, full = stored
    for who in (FIER, CONSULTANT):
        files = access.invites_for(engine, rid, pid, who)
        assert files
        assert all("C-XON" not in name and "contact-" not in name for name in files)
        csv_bytes, xlsx = access.plan_tables_for(engine, rid, pid, who)
        book = load_workbook(io.BytesIO(xlsx))
        cells = " ".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
        )
        blob = "\n".join(files.values()) + csv_bytes.decode("utf-8-sig") + cells
        assert not any(secret in blob for secret in secrets_of(full))
        assert "C-XON" not in csv_bytes.decode("utf-8-sig") + cells
        assert "Niet ingepland" not in book.sheetnames
    # the ketenregisseur's scenario file carries the addresses, on purpose
    name, data, _ = access.scenario_file_for(engine, rid, REGISSEUR)
    assert name.endswith(".yaml") and secrets_of(full)[0] in data.decode()


def test_availability_edits_stay_in_scope(stored) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    engine, rid, _, _ = stored
    frame = pd.DataFrame([{"Id": "C-XON-1", "Max per dag": 1}])
    result = access.edit_availability(engine, rid, FIER, consultants=frame)
    assert result.problems and result.problems[0].code == "edit_out_of_scope"
    assert "is geen van de consultants die je mag bewerken" in str(result.problems[0])
    ok = access.edit_availability(
        engine, rid, FIER, consultants=pd.DataFrame([{"Id": "C-FIER-1", "Max per dag": 2}])
    )
    assert ok.ok and ok.scenario is not None
    assert [c.id for c in ok.scenario.consultants] == ["C-FIER-1"]  # no full week handed out
    assert access.save_availability(engine, rid, FIER, ok) == 1
    assert storage.export_scenario(engine, rid).consultant("C-FIER-1").max_visits_per_day == 2
    with pytest.raises(AccessDenied):
        access.edit_absence(
            engine, rid, FIER, "C-XON-1", [storage.export_scenario(engine, rid).days[0]]
        )
    with pytest.raises(AccessDenied):
        access.save_availability(engine, rid, XONAR, ok)


def test_gemeente_cost_report_has_only_its_youths_and_no_names(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, _, full = stored
    frame = access.cost_report(engine, rid, VENLO)
    assert set(frame["Gemeente"]) == {"Venlo"}
    assert set(frame["Casuscode"]) == {"Y-2026-011"}
    text = frame.to_csv()
    names = [c.name for c in full.consultants] + secrets_of(full)
    assert not any(n in text for n in names)
    assert "C-" not in text
    everyone = access.cost_report(engine, rid, REGISSEUR)
    assert len(everyone) > len(frame)
    with pytest.raises(AccessDenied):
        access.cost_report(engine, rid, FIER)


def test_zip_of_provider_invites(stored) -> None:  # type: ignore[no-untyped-def]
    from matcher.app.export import zip_bytes

    engine, rid, pid, full = stored
    data = zip_bytes(access.invites_for(engine, rid, pid, FIER))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = "".join(zf.read(n).decode() for n in zf.namelist())
    assert not any(secret in text for secret in secrets_of(full))


def test_writes_of_the_week_are_for_the_ketenregisseur_only(stored) -> None:  # type: ignore[no-untyped-def]
    engine, rid, pid, full = stored
    plan = storage.load_plan(engine, pid)
    for who in (FIER, CONSULTANT, VENLO, PRIVACY, ADMIN):
        with pytest.raises(AccessDenied):
            access.set_pins(engine, rid, who, {"R-1": None})
        with pytest.raises(AccessDenied):
            access.save_plan(engine, rid, who, plan)
        with pytest.raises(AccessDenied):
            access.import_week(engine, who, full)
    access.set_pins(engine, rid, REGISSEUR, {"R-6": None})
    assert access.save_plan(engine, rid, REGISSEUR, plan, "handmatig") > pid
