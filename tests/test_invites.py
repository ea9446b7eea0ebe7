"""Tests of matcher.export.invites: every file is parsed with an independent parser (icalendar).

Fixtures are tiny scenarios built from domain objects: three consultants, a confidential
location whose contact has a hostile name, an open location and a confidential one without
a contact; planning days around a daylight-saving change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.cal import Event as ICalEvent

from matcher.export.invites import (
    DEFAULT_ORGANIZER,
    ORGANIZER_ENV,
    STATE_KEY,
    InviteError,
    Organizer,
    build_invites,
    cal_address,
    escape_text,
    fold_line,
    fold_lines,
    ics_command,
    organizer_from_env,
    param_value,
    parse_organizer,
    stamp_plan,
    visit_invites,
    visit_uid,
    vtimezone_container,
    write_invites,
)
from matcher.scenario.domain import (
    Consultant,
    Contact,
    Location,
    Plan,
    Point,
    Provider,
    Request,
    Scenario,
    SolverInfo,
    Unassigned,
    Visit,
    Window,
    Youth,
    base_point,
)
from matcher.travel import build_travel_matrix

TZID = "Europe/Amsterdam"
CONF_ADDRESS = "Geheimstraat 7, 5911 AB Venlo"
CONF2_ADDRESS = "Verborgen Laan 3; Sittard"
OPEN_ADDRESS = "Stationsplein 1, 6041 CN Roermond"
EVIL_NAME = 'Mw. "Kim" de Vries, groep; 3\nATTENDEE:mailto:evil@x'
EVIL_EMAIL = "kim@gh.example"
T0 = dt.datetime(2026, 10, 20, 8, 0, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 10, 21, 9, 30, 15, tzinfo=dt.UTC)
ORG = Organizer("Ketenregisseur Test", "regie@test.example")

# Planning days around the change to winter time (Sun 2026-10-25, 03:00 -> 02:00) and to
# summer time (Sun 2026-03-29, 02:00 -> 03:00): (Friday, Sunday, Monday).
OCTOBER = (dt.date(2026, 10, 23), dt.date(2026, 10, 25), dt.date(2026, 10, 26))
MARCH = (dt.date(2026, 3, 27), dt.date(2026, 3, 29), dt.date(2026, 3, 30))
ALL_WEEK = tuple(Window(7 * 60, 19 * 60, weekday=w) for w in ("mon", "fri", "sun"))


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def make_scenario(days: tuple[dt.date, ...] = OCTOBER, a_id: str = "C-A") -> Scenario:
    """Three consultants (C-A Fier; C-B, C-C Xonar), three locations, four requests."""

    def consultant(cid: str, prov: str, name: str, email: str, lat: float, lon: float):
        return Consultant(
            cid, prov, name, email, Point(lat, lon), frozenset({"t"}), availability=ALL_WEEK
        )

    locations = (
        Location(
            "L-CONF", "Gezinshuis De Linde", "gezinshuis", "Venlo", 51.3660, 6.1510,
            address=CONF_ADDRESS, confidential=True, contact=Contact(EVIL_NAME, EVIL_EMAIL),
        ),
        Location(
            "L-OPEN", "Mentorpunt Roermond", "school", "Roermond", 51.1942, 5.9870,
            address=OPEN_ADDRESS, confidential=False,
            contact=Contact("Piet Mentor", "piet@school.example"),
        ),
        Location(
            "L-CONF2", "Pleeggezin S-14", "pleegzorg", "Sittard-Geleen", 51.0010, 5.8690,
            address=CONF2_ADDRESS,
        ),
    )  # fmt: skip
    youths = (
        Youth("Y-T-001", "L-CONF", "Venlo", days[0]),
        Youth("Y-T-002", "L-OPEN", "Leudal", days[0]),
        Youth("Y-T-003", "L-CONF2", "Sittard-Geleen", days[0]),
        Youth("Y-T-004", "L-CONF", "Venlo", days[0]),
    )
    one = (frozenset({"t"}),)
    requests = (
        Request("R-1", "Y-T-001", one, 60, days[0], days[-1]),
        Request("R-2", "Y-T-002", one * 2, 60, days[0], days[-1]),
        Request("R-3", "Y-T-003", one, 45, days[0], days[-1]),
        Request("R-4", "Y-T-004", one, 60, days[0], days[-1]),
    )
    return Scenario(
        name="Test DST",
        days=days,
        providers=(Provider("fier", "Fier"), Provider("xonar", "Xonar")),
        consultants=(
            consultant(a_id, "fier", "Jansen, Anouk", "a.jansen@fier.example", 50.85, 5.69),
            consultant("C-B", "xonar", "Bram Peeters", "b.peeters@xonar.example", 50.89, 5.98),
            consultant("C-C", "xonar", "Sanne Hendriks", "s.hendriks@xonar.example", 51.37, 6.17),
        ),
        locations=locations,
        youths=youths,
        requests=requests,
        timezone=TZID,
    )


def make_plan(scenario: Scenario, rows: list[tuple[str, tuple[str, ...], int, str, str]]) -> Plan:
    """Plan from ``(request, consultants, day index, start, end)`` rows."""
    visits = []
    for req, consultants, day, start, end in rows:
        r = scenario.request(req)
        visits.append(
            Visit(
                req,
                r.youth,
                scenario.youth(r.youth).location,
                consultants,
                scenario.days[day],
                hm(start),
                hm(end),
            )
        )
    planned = {v.request for v in visits}
    unassigned = tuple(
        Unassigned(r.id, ("vervallen",)) for r in scenario.requests if r.id not in planned
    )
    return Plan(scenario.name, SolverInfo("feasible", 0, None, 0.0), tuple(visits), unassigned)


def first_plan(s: Scenario, a: str = "C-A") -> Plan:
    return make_plan(
        s,
        [
            ("R-1", (a,), 0, "09:30", "10:30"),
            ("R-3", (a,), 0, "11:30", "12:15"),
            ("R-4", ("C-B",), 1, "10:00", "11:00"),
            ("R-2", (a, "C-B"), 2, "10:00", "11:00"),
        ],
    )


def replan(s: Scenario) -> Plan:
    """R-1 unchanged; R-3 moved in time; R-2 moved from C-A to C-C; R-4 dropped."""
    return make_plan(
        s,
        [
            ("R-1", ("C-A",), 0, "09:30", "10:30"),
            ("R-3", ("C-A",), 0, "13:00", "13:45"),
            ("R-2", ("C-C", "C-B"), 2, "10:00", "11:00"),
        ],
    )


@pytest.fixture
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture
def files(scenario: Scenario) -> dict[str, str]:
    return build_invites(scenario, first_plan(scenario), organizer=ORG, now=T0)


@pytest.fixture
def replan_files(scenario: Scenario) -> dict[str, str]:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    return build_invites(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)


# Helpers ------------------------------------------------------------------------------


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def vevents(text: str) -> list[ICalEvent]:
    return list(parse(text).walk("VEVENT"))


def by_request(text: str) -> dict[str, ICalEvent]:
    """Events of one file keyed by request id (read back from the parsed DESCRIPTION)."""
    out = {}
    for ev in vevents(text):
        m = re.search(r"Aanvraag: (\S+)", str(ev["DESCRIPTION"]))
        assert m, ev["DESCRIPTION"]
        out[m.group(1)] = ev
    return out


def attendee_emails(ev: ICalEvent) -> list[str]:
    att = ev.get("ATTENDEE", [])
    att = att if isinstance(att, list) else [att]
    return [str(a).removeprefix("mailto:") for a in att]


def attendees(ev: ICalEvent) -> list:
    att = ev.get("ATTENDEE", [])
    return att if isinstance(att, list) else [att]


def unfold(text: str) -> str:
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def unescape(text: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def all_texts(files: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every file in raw, unfolded and unfolded+unescaped form, plus every parsed value."""
    for name, text in files.items():
        yield name, text
        yield name, unfold(text)
        yield name, unescape(unfold(text))
        for comp in parse(text).walk():
            for key, value in comp.property_items():
                yield name, f"{key}:{value}"


# Structure ----------------------------------------------------------------------------


def test_expected_files(files: dict[str, str]) -> None:
    assert set(files) == {
        "C-A.ics",
        "C-B.ics",
        "contact-L-CONF.ics",
        "contact-L-OPEN.ics",
        "visits/C-A/R-1.ics",
        "visits/C-A/R-3.ics",
        "visits/C-A/R-2.ics",
        "visits/C-B/R-4.ics",
        "visits/C-B/R-2.ics",
        "visits/contact-L-CONF/R-1.ics",
        "visits/contact-L-CONF/R-4.ics",
        "visits/contact-L-OPEN/R-2.ics",
    }


def test_every_file_parses_and_has_required_fields(
    files: dict[str, str], replan_files: dict[str, str]
) -> None:
    still_planned = {"R-1", "R-2", "R-3"}  # in the re-plan; R-4 was dropped
    for name, text in {**files, **replan_files}.items():
        cal = parse(text)
        cancel = name.endswith("-cancel.ics")
        assert str(cal["METHOD"]) == ("CANCEL" if cancel else "REQUEST"), name
        assert str(cal["VERSION"]) == "2.0"
        assert cal["PRODID"]
        tzs = cal.walk("VTIMEZONE")
        assert [str(t["TZID"]) for t in tzs] == [TZID]
        evs = vevents(text)
        assert evs, name
        for ev in evs:
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "ORGANIZER"):
                assert prop in ev, (name, prop)
            assert ev["DTSTART"].params["TZID"] == TZID
            assert ev["DTEND"].params["TZID"] == TZID
            assert ev.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
            assert str(ev["ORGANIZER"]) == "mailto:regie@test.example"
            assert ev["ORGANIZER"].params["CN"] == "Ketenregisseur Test"
            if not cancel:
                assert str(ev["STATUS"]) == "CONFIRMED"
            elif re.search(r"Aanvraag: (\S+)", str(ev["DESCRIPTION"]))[1] in still_planned:
                assert "STATUS" not in ev, name  # uninvited only (RFC 5546 3.2.5)
            else:
                assert str(ev["STATUS"]) == "CANCELLED", name
            assert attendees(ev), name
            for a in attendees(ev):
                assert a.params["ROLE"] == "REQ-PARTICIPANT"
                assert a.params["PARTSTAT"] == "NEEDS-ACTION"
                assert a.params["CN"]
                if not cancel:
                    assert a.params["RSVP"] == "TRUE"
        if name.startswith("visits/"):
            assert len(evs) == 1, name


def test_each_person_gets_all_their_visits(scenario: Scenario, files: dict[str, str]) -> None:
    plan = first_plan(scenario)
    for c in scenario.consultants:
        mine = {v.request for v in plan.visits if c.id in v.consultants}
        if not mine:
            assert f"{c.id}.ics" not in files
            continue
        assert set(by_request(files[f"{c.id}.ics"])) == mine
    for loc in scenario.locations:
        mine = {v.request for v in plan.visits if v.location == loc.id}
        name = f"contact-{loc.id}.ics"
        if loc.contact is None:
            assert name not in files
        else:
            assert set(by_request(files[name])) == mine


def test_attendees_are_all_consultants_and_the_contact(
    scenario: Scenario, files: dict[str, str]
) -> None:
    for name in ("C-A.ics", "C-B.ics", "contact-L-OPEN.ics"):
        ev = by_request(files[name])["R-2"]
        assert attendee_emails(ev) == [
            "a.jansen@fier.example",
            "b.peeters@xonar.example",
            "piet@school.example",
        ]
    r3 = by_request(files["C-A.ics"])["R-3"]  # L-CONF2 has no contact
    assert attendee_emails(r3) == ["a.jansen@fier.example"]


# UID and SEQUENCE ---------------------------------------------------------------------


def uids(files: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for text in files.values():
        for req, ev in by_request(text).items():
            out.setdefault(req, set()).add(str(ev["UID"]))
    return out


def test_uid_is_the_same_in_every_attendees_file_and_distinct_per_visit(
    scenario: Scenario, files: dict[str, str]
) -> None:
    found = uids(files)
    assert set(found) == {"R-1", "R-2", "R-3", "R-4"}
    for req, values in found.items():
        assert values == {visit_uid(scenario, req)}, req
    assert len({next(iter(v)) for v in found.values()}) == 4
    # R-2 reaches three people: two consultants and the contact, in six files.
    assert sum("R-2" in by_request(t) for t in files.values()) == 6


def test_uid_stable_across_reexport_and_replan(
    scenario: Scenario, files: dict[str, str], replan_files: dict[str, str]
) -> None:
    again = build_invites(scenario, first_plan(scenario), organizer=ORG, now=T1)
    assert uids(again) == uids(files)
    new = uids(replan_files)
    old = uids(files)
    for req in ("R-1", "R-2", "R-3", "R-4"):  # R-4 only in cancels
        assert new[req] == old[req], req


def test_uid_depends_on_scenario_week_and_request(scenario: Scenario) -> None:
    other_week = dataclasses.replace(scenario, days=tuple(d + dt.timedelta(7) for d in OCTOBER))
    renamed = dataclasses.replace(scenario, name="Ander scenario")
    u = visit_uid(scenario, "R-1")
    assert re.fullmatch(r"[0-9a-f]{40}@consultplanner", u)
    assert visit_uid(scenario, "R-1") == u
    assert visit_uid(scenario, "R-2") != u
    assert visit_uid(other_week, "R-1") != u
    assert visit_uid(renamed, "R-1") != u


def strip_dtstamp(text: str) -> str:
    return re.sub(r"\r\nDTSTAMP:[0-9TZ]+", "", text)


def test_reexport_is_identical_apart_from_dtstamp(
    scenario: Scenario, files: dict[str, str]
) -> None:
    again = build_invites(scenario, first_plan(scenario), organizer=ORG, now=T1)
    assert again.keys() == files.keys()
    for name in files:
        assert files[name] != again[name]  # the DTSTAMP differs ...
        assert strip_dtstamp(files[name]) == strip_dtstamp(again[name]), name  # ... only
        assert "DTSTAMP:20261020T080000Z" in files[name]
        assert "DTSTAMP:20261021T093015Z" in again[name]


def test_reexport_of_a_replan_is_identical_apart_from_dtstamp(
    scenario: Scenario, replan_files: dict[str, str]
) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    later = dt.datetime(2026, 10, 22, tzinfo=dt.UTC)
    again = build_invites(scenario, replan(scenario), previous=sent, organizer=ORG, now=later)
    assert {k: strip_dtstamp(v) for k, v in again.items()} == {
        k: strip_dtstamp(v) for k, v in replan_files.items()
    }


def sequences(files: dict[str, str], name: str) -> dict[str, int]:
    return {req: int(ev["SEQUENCE"]) for req, ev in by_request(files[name]).items()}


def test_first_export_has_sequence_zero(files: dict[str, str]) -> None:
    assert sequences(files, "C-A.ics") == {"R-1": 0, "R-2": 0, "R-3": 0}


def test_sequence_raised_for_changed_visits_only(replan_files: dict[str, str]) -> None:
    # R-1 unchanged; R-3 moved in time; R-2 changed consultants.
    assert sequences(replan_files, "C-A.ics") == {"R-1": 0, "R-3": 1}
    assert sequences(replan_files, "C-B.ics") == {"R-2": 1}
    assert sequences(replan_files, "C-C.ics") == {"R-2": 1}
    assert sequences(replan_files, "contact-L-OPEN.ics") == {"R-2": 1}
    assert sequences(replan_files, "contact-L-CONF.ics") == {"R-1": 0}


def test_sequence_keeps_rising_over_a_chain_of_replans(scenario: Scenario) -> None:
    p0 = first_plan(scenario)
    sent0 = stamp_plan(scenario, p0, organizer=ORG)
    p1 = replan(scenario)
    sent1 = stamp_plan(scenario, p1, previous=sent0, organizer=ORG)
    # Plan 2: R-3 moves again, R-4 (dropped in plan 1) comes back, R-2 unchanged.
    p2 = make_plan(
        scenario,
        [
            ("R-1", ("C-A",), 0, "09:30", "10:30"),
            ("R-3", ("C-A",), 0, "14:00", "14:45"),
            ("R-2", ("C-C", "C-B"), 2, "10:00", "11:00"),
            ("R-4", ("C-B",), 1, "12:00", "13:00"),
        ],
    )
    out = build_invites(scenario, p2, previous=sent1, organizer=ORG, now=T1)
    assert sequences(out, "C-A.ics") == {"R-1": 0, "R-3": 2}
    # R-4 was cancelled with SEQUENCE 1, so the new request must be above that.
    assert sequences(out, "C-B.ics") == {"R-2": 1, "R-4": 2}
    assert not any(n.endswith("-cancel.ics") for n in out)
    state = stamp_plan(scenario, p2, previous=sent1, organizer=ORG).extra[STATE_KEY]
    assert isinstance(state, dict)
    assert {r: e["sequence"] for r, e in state.items()} == {"R-1": 0, "R-2": 1, "R-3": 2, "R-4": 2}


def test_sequence_change_in_contact_name_is_an_update(scenario: Scenario) -> None:
    p0 = first_plan(scenario)
    sent = stamp_plan(scenario, p0, organizer=ORG)
    locs = tuple(
        dataclasses.replace(loc, contact=Contact("Piet de Mentor", "piet@school.example"))
        if loc.id == "L-OPEN"
        else loc
        for loc in scenario.locations
    )
    edited = dataclasses.replace(scenario, locations=locs)
    out = build_invites(edited, p0, previous=sent, organizer=ORG, now=T1)
    assert sequences(out, "C-A.ics") == {"R-1": 0, "R-2": 1, "R-3": 0}


def test_previous_plan_without_state_still_raises_changed_visits(scenario: Scenario) -> None:
    out = build_invites(
        scenario, replan(scenario), previous=first_plan(scenario), organizer=ORG, now=T1
    )
    assert sequences(out, "C-A.ics") == {"R-1": 0, "R-3": 1}
    assert "C-A-cancel.ics" in out and "C-B-cancel.ics" in out


def test_stamped_plan_round_trips_through_plan_io(scenario: Scenario, tmp_path: Path) -> None:
    from matcher.scenario.plan_io import read_plan, write_plan

    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    write_plan(sent, tmp_path / "sent.json")
    back = read_plan(tmp_path / "sent.json")
    assert back.extra[STATE_KEY] == sent.extra[STATE_KEY]
    a = build_invites(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    b = build_invites(scenario, replan(scenario), previous=back, organizer=ORG, now=T1)
    assert a == b


# CANCEL -------------------------------------------------------------------------------


def test_no_cancel_without_previous_or_without_change(
    scenario: Scenario, files: dict[str, str]
) -> None:
    assert not any(n.endswith("-cancel.ics") for n in files)
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    same = build_invites(scenario, first_plan(scenario), previous=sent, organizer=ORG, now=T1)
    assert not any(n.endswith("-cancel.ics") for n in same)
    assert {k: strip_dtstamp(v) for k, v in same.items()} == {
        k: strip_dtstamp(v) for k, v in files.items()
    }


def test_cancel_for_a_dropped_visit_reaches_everyone_who_had_it(
    scenario: Scenario, files: dict[str, str], replan_files: dict[str, str]
) -> None:
    r4_uid = visit_uid(scenario, "R-4")
    for name in ("C-B-cancel.ics", "contact-L-CONF-cancel.ics"):
        evs = vevents(replan_files[name])
        r4 = [ev for ev in evs if str(ev["UID"]) == r4_uid]
        assert len(r4) == 1, name
        ev = r4[0]
        assert str(ev["STATUS"]) == "CANCELLED"
        assert int(ev["SEQUENCE"]) == 1
        assert sorted(attendee_emails(ev)) == ["b.peeters@xonar.example", EVIL_EMAIL]
        # The cancel carries the time that is in the calendar.
        old = by_request(files["C-B.ics"])["R-4"]
        assert ev.decoded("DTSTART") == old.decoded("DTSTART")
    assert "R-4" not in by_request(replan_files["C-B.ics"])
    assert "R-4" not in by_request(replan_files["contact-L-CONF.ics"])
    assert "visits/C-B/R-4-cancel.ics" in replan_files


def test_cancel_for_the_consultant_a_joint_visit_moved_away_from(
    scenario: Scenario, replan_files: dict[str, str]
) -> None:
    r2_uid = visit_uid(scenario, "R-2")
    cancel = [ev for ev in vevents(replan_files["C-A-cancel.ics"]) if str(ev["UID"]) == r2_uid]
    assert len(cancel) == 1
    ev = cancel[0]
    assert attendee_emails(ev) == ["a.jansen@fier.example"]  # only the removed attendee
    assert int(ev["SEQUENCE"]) == 1
    # R-2 goes on: the cancel only uninvites, so no STATUS:CANCELLED (RFC 5546 3.2.5) ...
    assert "STATUS" not in ev
    assert "STATUS" not in unfold(replan_files["visits/C-A/R-2-cancel.ics"])
    # ... while the cancel of the dropped R-4 does cancel the whole event.
    assert "\r\nSTATUS:CANCELLED\r\n" in replan_files["visits/C-B/R-4-cancel.ics"]
    assert "R-2" not in by_request(replan_files["C-A.ics"])
    # The others get the update with the same UID and the same, raised, SEQUENCE.
    for name in ("C-B.ics", "C-C.ics", "contact-L-OPEN.ics"):
        upd = by_request(replan_files[name])["R-2"]
        assert str(upd["UID"]) == r2_uid
        assert int(upd["SEQUENCE"]) == 1
        assert attendee_emails(upd) == [
            "s.hendriks@xonar.example",
            "b.peeters@xonar.example",
            "piet@school.example",
        ]
    # Nobody else gets a cancel for R-2; a time change cancels nothing.
    cancelled = {
        (name, req)
        for name, text in replan_files.items()
        if name.endswith("-cancel.ics") and not name.startswith("visits/")
        for req in by_request(text)
    }
    assert cancelled == {
        ("C-A-cancel.ics", "R-2"),
        ("C-B-cancel.ics", "R-4"),
        ("contact-L-CONF-cancel.ics", "R-4"),
    }


def test_cancel_when_a_visit_moves_to_another_location_contact(scenario: Scenario) -> None:
    # Y-T-004 is re-placed at L-OPEN: the L-CONF contact loses R-4, the L-OPEN contact gains it.
    youths = tuple(
        dataclasses.replace(y, location="L-OPEN") if y.id == "Y-T-004" else y
        for y in scenario.youths
    )
    moved = dataclasses.replace(scenario, youths=youths)
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    out = build_invites(moved, first_plan(moved), previous=sent, organizer=ORG, now=T1)
    assert set(by_request(out["contact-L-CONF-cancel.ics"])) == {"R-4"}
    assert sequences(out, "contact-L-OPEN.ics")["R-4"] == 1


# Time zone and DST --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "offsets"),
    [
        (OCTOBER, {"R-1": 2, "R-3": 2, "R-4": 1, "R-2": 1}),
        (MARCH, {"R-1": 1, "R-3": 1, "R-4": 2, "R-2": 2}),
    ],
    ids=["to-winter-time", "to-summer-time"],
)
def test_dst_offsets(days: tuple[dt.date, ...], offsets: dict[str, int]) -> None:
    s = make_scenario(days)
    plan = first_plan(s)
    files = build_invites(s, plan, organizer=ORG, now=T0)
    visits = {v.request: v for v in plan.visits}
    seen = set()
    for name, text in files.items():
        cal = parse(text)
        # The file's own VTIMEZONE definition, not the parser's tz database.
        own_tz = cal.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
        for req, ev in by_request(text).items():
            v = visits[req]
            start = ev.decoded("DTSTART")
            end = ev.decoded("DTEND")
            want = dt.timedelta(hours=offsets[req])
            assert start.utcoffset() == want, (name, req)
            assert end.utcoffset() == want, (name, req)
            assert (start.date(), start.hour * 60 + start.minute) == (v.date, v.start)
            assert (end - start) == dt.timedelta(minutes=v.end - v.start)
            naive = start.replace(tzinfo=None)
            assert own_tz.utcoffset(naive) == want, (name, req)
            seen.add(req)
    assert seen == set(offsets)


@pytest.mark.parametrize(
    "tzid", ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
)
def test_vtimezone_matches_the_tz_database(tzid: str) -> None:
    from zoneinfo import ZoneInfo

    tz_lines = str(vtimezone_container(tzid, [2026])).split("\r\n")
    text = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", *tz_lines, "END:VCALENDAR", ""]
    )
    own = parse(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    ref = ZoneInfo(tzid)
    t = dt.datetime(2026, 1, 1, 0, 30)
    checked = 0
    while t.year == 2026:
        aware = t.replace(tzinfo=ref)
        # Skip wall-clock times in a gap or an overlap: there the two libraries may differ.
        gap = aware.astimezone(dt.UTC).astimezone(ref).replace(tzinfo=None) != t
        overlap = aware.utcoffset() != t.replace(tzinfo=ref, fold=1).utcoffset()
        if not gap and not overlap:
            assert own.utcoffset(t) == aware.utcoffset(), t
            checked += 1
        t += dt.timedelta(hours=3)
    assert checked > 2800


def test_amsterdam_vtimezone_uses_eu_rules() -> None:
    text = str(vtimezone_container(TZID, [2026]))
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nTZOFFSETFROM:+0100\r\n" in text
    assert "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    assert "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\n" in text
    assert "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in text


def test_unknown_timezone_is_an_error(scenario: Scenario) -> None:
    bad = dataclasses.replace(scenario, timezone="Europe/Atlantis")
    with pytest.raises(InviteError, match="Atlantis"):
        build_invites(bad, first_plan(bad), organizer=ORG, now=T0)


# Line format, escaping, injection -----------------------------------------------------


def test_lines_are_crlf_and_folded_to_75_octets(
    files: dict[str, str], replan_files: dict[str, str]
) -> None:
    long_lines = 0
    for name, text in {**files, **replan_files}.items():
        raw = text.encode("utf-8")
        assert raw.endswith(b"\r\n"), name
        assert b"\n" not in raw.replace(b"\r\n", b""), name
        assert b"\r" not in raw.replace(b"\r\n", b""), name
        for line in raw.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (name, line)
            line.decode("utf-8")  # no multi-byte character split over two lines
        long_lines += sum(len(x.encode()) > 75 for x in unfold(text).split("\r\n"))
    assert long_lines > 0  # the fixtures really exercise folding


@given(st.text(max_size=300))
def test_fold_line_round_trips_and_respects_the_limit(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text)
    parts = fold_line(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def test_fold_line_never_splits_a_multibyte_character() -> None:
    line = "SUMMARY:" + "a" * 66 + "€" * 30  # '€' is 3 octets; 8 + 66 = 74 leaves 1 octet
    parts = fold_line(line)
    assert parts[0] == "SUMMARY:" + "a" * 66
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_fold_line_refuses_raw_line_breaks() -> None:
    with pytest.raises(ValueError):
        fold_line("SUMMARY:a\r\nATTENDEE:mailto:evil@x")


def test_escape_helpers() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert escape_text("x\x00y\x1bz\tq") == "xyz\tq"
    assert param_value('Kim "K" de Vries;\nATTENDEE:x') == "\"Kim ^'K^' de Vries;^nATTENDEE:x\""
    assert param_value("a^b\r\nc\rd") == '"a^^b^nc^nd"'
    assert param_value("  Jansen,  Anouk\x00 ") == '"Jansen, Anouk"'
    assert param_value("C:\\new") == '"C:/new"'  # parsers read a backslash differently
    assert cal_address("a@b.example") == "mailto:a@b.example"
    assert "\n" not in cal_address("a@b\r\nATTENDEE:mailto:evil@x")
    assert cal_address("a@b\nc") == "mailto:a@b%0Ac"


_NAME_LINE = st.text(
    alphabet=st.one_of(
        st.sampled_from("\"^'\\:;,aé€"),
        st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    ),
    min_size=1,
    max_size=20,
)


@given(st.lists(st.lists(_NAME_LINE, min_size=1, max_size=3), min_size=1, max_size=3))
@example([["Mw.", '"Kim"', "^'x^^"], ["ATTENDEE:mailto:evil@x"]])
@example([["\\:"]])  # icalendar reads a backslash before a colon as an escape
def test_param_value_round_trips_through_rfc6868(lines: list[list[str]]) -> None:
    # Lines of words (no spaces inside) joined by single spaces, lines by line breaks.
    name = "\n".join(" ".join(words) for words in lines)
    cn = param_value(name)
    assert cn.startswith('"') and cn.endswith('"') and '"' not in cn[1:-1]
    assert "\n" not in cn and "\r" not in cn
    line = f"ATTENDEE;CN={cn}:mailto:a@b.example"
    text = fold_lines(["BEGIN:VCALENDAR", "BEGIN:VEVENT", line, "END:VEVENT", "END:VCALENDAR"])
    ev = vevents(text)[0]
    assert ev["ATTENDEE"].params["CN"] == name.replace("\\", "/")


@given(st.text(max_size=80))
def test_param_value_is_always_one_safe_quoted_string(value: str) -> None:
    inner = param_value(value)[1:-1]
    assert '"' not in inner
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", inner)


def _param_value_before_rfc6868(value: str) -> str:
    """What param_value wrote before the RFC 6868 encoding (quotes became apostrophes)."""
    text = value.replace('"', "'")
    text = re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", " ", text)
    return '"' + re.sub(r" {2,}", " ", text).strip() + '"'


@given(st.text(max_size=60).filter(lambda t: not any(c in t for c in '^"\r\n\\')))
def test_param_value_unchanged_where_rfc6868_does_not_apply(value: str) -> None:
    assert param_value(value) == _param_value_before_rfc6868(value)


def test_hostile_names_cannot_add_properties(scenario: Scenario, files: dict[str, str]) -> None:
    for name in ("contact-L-CONF.ics", "C-A.ics", "C-B.ics"):
        text = files[name]
        assert "evil@x" not in attendee_emails_all(text)
        for line in unfold(text).split("\r\n"):
            assert not line.startswith("ATTENDEE:"), (name, line)  # every ATTENDEE has params
        r1 = by_request(text).get("R-1") or by_request(text)["R-4"]
        contact = [a for a in attendees(r1) if str(a) == f"mailto:{EVIL_EMAIL}"]
        assert len(contact) == 1
        # RFC 6868: the quotes and the line break survive in CN, decoded by icalendar.
        assert contact[0].params["CN"] == EVIL_NAME
        lines = [ln for ln in unfold(text).split("\r\n") if ln.startswith("ATTENDEE;")]
        evil = [ln for ln in lines if f"mailto:{EVIL_EMAIL}" in ln]
        assert evil and all("CN=\"Mw. ^'Kim^' de Vries, groep; 3^nATTENDEE:" in ln for ln in evil)
        assert not any("\\" in ln for ln in lines)
    # In TEXT the name survives exactly, newline included, and adds no property.
    desc = str(by_request(files["C-A.ics"])["R-1"]["DESCRIPTION"])
    assert f"Contactpersoon: {EVIL_NAME} <{EVIL_EMAIL}>" in desc
    # Comma in a consultant's name survives in CN and in text.
    a = [x for x in attendees(by_request(files["C-B.ics"])["R-2"]) if "jansen" in str(x)]
    assert a[0].params["CN"] == "Jansen, Anouk"
    assert "Samen met: Jansen, Anouk (Fier)" in str(
        by_request(files["C-B.ics"])["R-2"]["DESCRIPTION"]
    )


def attendee_emails_all(text: str) -> list[str]:
    return [e for ev in vevents(text) for e in attendee_emails(ev)]


def test_hostile_email_and_location_name_cannot_add_properties(scenario: Scenario) -> None:
    cons = tuple(
        dataclasses.replace(c, email="b@x.example\r\nATTENDEE:mailto:evil@x")
        if c.id == "C-B"
        else c
        for c in scenario.consultants
    )
    locs = tuple(
        dataclasses.replace(loc, name="Groep\nLOCATION:Evil;X-EVIL:1")
        if loc.id == "L-CONF"
        else loc
        for loc in scenario.locations
    )
    s = dataclasses.replace(scenario, consultants=cons, locations=locs)
    files = build_invites(s, first_plan(s), organizer=ORG, now=T0)
    for name, text in files.items():
        for ev in vevents(text):
            assert "X-EVIL" not in ev
            assert not any(e == "evil@x" for e in attendee_emails(ev)), name
            assert len([k for k, _ in ev.property_items() if k == "LOCATION"]) <= 1
        for line in unfold(text).split("\r\n"):
            assert not line.startswith(("ATTENDEE:", "X-EVIL", "LOCATION:Evil")), (name, line)
    ev = by_request(files["contact-L-CONF.ics"])["R-1"]
    assert str(ev["LOCATION"]) == "Groep\nLOCATION:Evil;X-EVIL:1 (adres in dossier)"


# Content ------------------------------------------------------------------------------


def test_description_has_what_a_consultant_needs(scenario: Scenario, files: dict[str, str]) -> None:
    tm = build_travel_matrix(scenario)
    evs = by_request(files["C-A.ics"])
    r1 = str(evs["R-1"]["DESCRIPTION"])
    assert "Cliënt (casuscode): Y-T-001" in r1
    assert "Aanvraag: R-1" in r1
    assert "Duur: 60 min" in r1
    assert "Samen met: niemand" in r1
    assert f"Contactpersoon: {EVIL_NAME}" in r1
    first = tm(base_point("C-A"), "L-CONF")
    assert f"Reistijd vanaf vorige stop: {first} min (vanaf kantoor/thuisbasis)" in r1
    r3 = str(evs["R-3"]["DESCRIPTION"])
    hop = tm("L-CONF", "L-CONF2")
    assert hop != first
    assert f"Reistijd vanaf vorige stop: {hop} min (vanaf Gezinshuis De Linde)" in r3
    assert "Duur: 45 min" in r3
    assert "Contactpersoon: geen contactpersoon bekend" in r3
    r2 = str(by_request(files["C-B.ics"])["R-2"]["DESCRIPTION"])
    assert "Samen met: Jansen, Anouk (Fier)" in r2
    assert "Contactpersoon: Piet Mentor <piet@school.example>" in r2
    gap = tm(base_point("C-B"), "L-OPEN")  # R-4 is on another day
    assert f"Reistijd vanaf vorige stop: {gap} min (vanaf kantoor/thuisbasis)" in r2
    contact = str(by_request(files["contact-L-OPEN.ics"])["R-2"]["DESCRIPTION"])
    assert "Consulent(en): Jansen, Anouk (Fier), Bram Peeters (Xonar)" in contact
    assert "Reistijd" not in contact
    assert str(evs["R-2"]["SUMMARY"]) == "Gezamenlijk consult Y-T-002 (R-2)"
    assert str(evs["R-1"]["SUMMARY"]) == "Consult Y-T-001 (R-1)"


def test_travel_note_restarts_at_base_in_a_second_tour_of_the_day(scenario: Scenario) -> None:
    split = (Window(7 * 60, 11 * 60, weekday="fri"), Window(12 * 60, 19 * 60, weekday="fri"))
    cons = tuple(
        dataclasses.replace(c, availability=split) if c.id == "C-A" else c
        for c in scenario.consultants
    )
    s = dataclasses.replace(scenario, consultants=cons)
    plan = make_plan(
        s, [("R-1", ("C-A",), 0, "09:30", "10:30"), ("R-3", ("C-A",), 0, "13:00", "13:45")]
    )
    files = build_invites(s, plan, organizer=ORG, now=T0)
    tm = build_travel_matrix(s)
    r3 = str(by_request(files["C-A.ics"])["R-3"]["DESCRIPTION"])
    minutes = tm(base_point("C-A"), "L-CONF2")
    assert f"Reistijd vanaf vorige stop: {minutes} min (vanaf kantoor/thuisbasis)" in r3


# Privacy ------------------------------------------------------------------------------


def confidential_needles(s: Scenario) -> list[str]:
    needles = []
    for loc in s.locations:
        if loc.confidential:
            if loc.address:
                needles.append(loc.address)
                needles.append(loc.address.split(",")[0].split(";")[0])  # the street alone
            needles += [f"{loc.lat}", f"{loc.lon}"]
    return needles


def leaks(needles: list[str], text: str) -> list[str]:
    """The needles found in ``text``; a coordinate only as a whole number (not as a run of
    digits inside a longer one, such as a Message-ID's random part)."""
    found = []
    for needle in needles:
        if re.fullmatch(r"-?[\d.]+", needle):
            if re.search(rf"(?<![\d.]){re.escape(needle)}(?!\d)", text):
                found.append(needle)
        elif needle in text:
            found.append(needle)
    return found


def test_leaks_finds_coordinates_as_numbers_only() -> None:
    needles = ["Geheimstraat 7", "50.88", "6.151"]
    assert leaks(needles, "GEO:50.88;6.151") == ["50.88", "6.151"]
    assert leaks(needles, "LOCATION:Geheimstraat 7, Venlo") == ["Geheimstraat 7"]
    assert leaks(needles, "6.151\r\n") == ["6.151"]
    # a Message-ID's random digits hold "6.151" and "50.88" inside longer numbers
    assert leaks(needles, "<179628384036.1517.450.881@x.example>") == []


def test_no_confidential_address_in_any_invite(
    scenario: Scenario, files: dict[str, str], replan_files: dict[str, str]
) -> None:
    needles = confidential_needles(scenario)
    assert "Geheimstraat 7" in needles and "Verborgen Laan 3" in needles
    for name, text in all_texts({**files, **replan_files}):
        assert leaks(needles, text) == [], name


def test_confidential_location_shows_alias_and_dossier_note(files: dict[str, str]) -> None:
    ev = by_request(files["C-A.ics"])["R-1"]
    assert str(ev["LOCATION"]) == "Gezinshuis De Linde (adres in dossier)"
    assert "Adres: staat in het dossier" in str(ev["DESCRIPTION"])
    assert "GEO" not in ev


def test_open_location_address_is_included(files: dict[str, str]) -> None:
    ev = by_request(files["C-B.ics"])["R-2"]
    assert str(ev["LOCATION"]) == f"Mentorpunt Roermond, {OPEN_ADDRESS}"
    assert f"Adres: {OPEN_ADDRESS}" in str(ev["DESCRIPTION"])


def test_youths_appear_by_case_code_only(scenario: Scenario, files: dict[str, str]) -> None:
    text = "".join(unescape(unfold(t)) for t in files.values())
    for y in scenario.youths:
        assert f"Cliënt (casuscode): {y.id}" in text
    # Other youth data (the responsible municipality, here unique to Y-T-002) stays out.
    assert "Leudal" not in text


# Files, zip, names, organizer ---------------------------------------------------------


def test_write_invites_writes_files_and_a_deterministic_zip(
    scenario: Scenario, tmp_path: Path
) -> None:
    out = tmp_path / "inv"
    (out / "visits" / "C-OLD").mkdir(parents=True)
    (out / "C-OLD-cancel.ics").write_text("stale")
    (out / "visits" / "C-OLD" / "R-9.ics").write_text("stale")
    (out / "notes.txt").write_text("keep me")
    plan = first_plan(scenario)
    written = write_invites(scenario, plan, out, organizer=ORG, now=T0)
    files = build_invites(scenario, plan, organizer=ORG, now=T0)
    assert written[-1] == out / "invites.zip"
    assert {p.relative_to(out).as_posix() for p in written[:-1]} == set(files)
    for name, text in files.items():
        assert (out / name).read_bytes() == text.encode("utf-8")
    assert not (out / "C-OLD-cancel.ics").exists()
    assert not (out / "visits" / "C-OLD").exists()
    assert (out / "notes.txt").read_text() == "keep me"
    first = (out / "invites.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert zf.namelist() == sorted(files)
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            text = zf.read(info).decode("utf-8")
            assert text == files[info.filename]
            assert leaks(confidential_needles(scenario), unescape(unfold(text))) == []
    write_invites(scenario, plan, out, organizer=ORG, now=T0)
    assert (out / "invites.zip").read_bytes() == first


def test_file_names_are_sanitised(tmp_path: Path) -> None:
    s = make_scenario(a_id="../../etc/C A é")
    files = build_invites(s, first_plan(s, a="../../etc/C A é"), organizer=ORG, now=T0)
    for name in files:
        assert re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", name), name
        assert ".." not in name.split("/")
        assert not any(part.startswith(".") for part in name.split("/"))
    written = write_invites(s, first_plan(s, a="../../etc/C A é"), tmp_path / "o", now=T0)
    for p in written:
        assert (tmp_path / "o") in p.resolve().parents


def test_organizer_default_env_and_argument(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ORGANIZER_ENV, raising=False)
    assert organizer_from_env() == DEFAULT_ORGANIZER
    files = build_invites(scenario, first_plan(scenario), now=T0)
    ev = vevents(files["C-A.ics"])[0]
    assert str(ev["ORGANIZER"]) == "mailto:ketenregisseur@consultplanner.example"
    assert ev["ORGANIZER"].params["CN"] == "Ketenregisseur Mensenhandel Limburg"
    monkeypatch.setenv(ORGANIZER_ENV, "Jan Regie <jan@gemeente.example>")
    files = build_invites(scenario, first_plan(scenario), now=T0)
    ev = vevents(files["C-A.ics"])[0]
    assert str(ev["ORGANIZER"]) == "mailto:jan@gemeente.example"
    assert ev["ORGANIZER"].params["CN"] == "Jan Regie"
    assert parse_organizer("x@y.example") == Organizer(DEFAULT_ORGANIZER.name, "x@y.example")
    with pytest.raises(InviteError):
        parse_organizer("geen adres")


def test_unknown_ids_and_double_planning_are_errors(scenario: Scenario) -> None:
    plan = first_plan(scenario)
    bad = dataclasses.replace(
        plan, visits=(dataclasses.replace(plan.visits[0], consultants=("C-X",)),)
    )
    with pytest.raises(InviteError, match="C-X"):
        build_invites(scenario, bad, organizer=ORG, now=T0)
    twice = dataclasses.replace(plan, visits=(plan.visits[0], plan.visits[0]))
    with pytest.raises(InviteError, match="more than once"):
        build_invites(scenario, twice, organizer=ORG, now=T0)
    with pytest.raises(InviteError, match="aware"):
        build_invites(scenario, plan, organizer=ORG, now=dt.datetime(2026, 1, 1))


def test_ics_command_end_to_end(
    example_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    EXAMPLE = example_path
    plan_path = Path(__file__).parent / "data" / "example-plan.json"
    out = tmp_path / "out"
    assert ics_command(EXAMPLE, plan_path, out, organizer_email="R <r@x.example>") == 0
    sent = out / "sent-plan.json"
    state = json.loads(sent.read_text(encoding="utf-8"))[STATE_KEY]
    assert {e["sequence"] for e in state.values()} == {0}
    assert (out / "invites.zip").exists()
    for p in out.glob("*.ics"):
        parse(p.read_text(encoding="utf-8"))
    # Re-plan: R-3 dropped, R-6 moved an hour later.
    doc = json.loads(plan_path.read_text(encoding="utf-8"))
    doc["visits"] = [v for v in doc["visits"] if v["request"] != "R-3"]
    for v in doc["visits"]:
        if v["request"] == "R-6":
            v["start"], v["end"] = "10:45", "11:30"
    doc["unassigned"] = [{"request": "R-3", "reasons": ["test"]}]
    new_plan = tmp_path / "plan2.json"
    new_plan.write_text(json.dumps(doc), encoding="utf-8")
    out2 = tmp_path / "out2"
    assert ics_command(EXAMPLE, new_plan, out2, sent, organizer_email="R <r@x.example>") == 0
    assert "cancel" in capsys.readouterr().out
    cxon1 = by_request((out2 / "C-XON-1.ics").read_text(encoding="utf-8"))
    assert int(cxon1["R-6"]["SEQUENCE"]) == 1
    assert int(cxon1["R-5"]["SEQUENCE"]) == 0
    assert "R-3" in by_request((out2 / "C-XON-1-cancel.ics").read_text(encoding="utf-8"))
    assert ics_command(EXAMPLE, tmp_path / "missing.json", tmp_path / "o3") == 2


# Per-visit invites (the unit that is mailed) -------------------------------------------


def test_visit_invites_are_the_per_visit_files(
    scenario: Scenario, replan_files: dict[str, str]
) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    invites = visit_invites(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    per_visit = {k: v for k, v in replan_files.items() if k.startswith("visits/")}
    assert {i.path: i.calendar for i in invites} == per_visit
    for i in invites:
        ev = vevents(i.calendar)[0]
        assert str(parse(i.calendar)["METHOD"]) == i.method
        assert str(ev["UID"]) == i.uid == visit_uid(scenario, i.request)
        assert int(ev["SEQUENCE"]) == i.sequence
        assert i.recipient.email in attendee_emails(ev)
        assert i.path.endswith("-cancel.ics") == (i.method == "CANCEL")


def test_visit_invites_mark_what_changed_since_the_last_sending(scenario: Scenario) -> None:
    first = visit_invites(scenario, first_plan(scenario), organizer=ORG, now=T0)
    assert first and all(i.changed and not i.update for i in first)
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    again = visit_invites(scenario, first_plan(scenario), previous=sent, organizer=ORG, now=T1)
    assert len(again) == len(first) and not any(i.changed for i in again)
    # The stamped plan on its own records what was sent: nothing is new either.
    assert not any(i.changed for i in visit_invites(scenario, sent, organizer=ORG, now=T1))

    later = visit_invites(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    changed = {(i.recipient.key, i.request, i.method, i.update) for i in later if i.changed}
    assert changed == {
        ("C-A", "R-3", "REQUEST", True),  # moved in time
        ("C-A", "R-2", "CANCEL", True),  # C-A taken off R-2, which goes on
        ("C-B", "R-2", "REQUEST", True),
        ("C-C", "R-2", "REQUEST", False),  # C-C is new on R-2: a first invite for them
        ("contact-L-OPEN", "R-2", "REQUEST", True),
        ("C-B", "R-4", "CANCEL", True),  # dropped
        ("contact-L-CONF", "R-4", "CANCEL", True),
    }
    unchanged = {(i.recipient.key, i.request) for i in later if not i.changed}
    assert unchanged == {("C-A", "R-1"), ("contact-L-CONF", "R-1")}
    whole = {(i.recipient.key, i.request): i.whole for i in later if i.method == "CANCEL"}
    assert whole == {("C-A", "R-2"): False, ("C-B", "R-4"): True, ("contact-L-CONF", "R-4"): True}
