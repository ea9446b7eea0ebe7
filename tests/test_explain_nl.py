"""Tests of matcher.explain.nl: real reasons of every kind, rendered in Dutch.

The tiny scenarios are built with the builders of ``tests/test_explain.py``, so the English
text is what :mod:`matcher.explain.reasons` really produces, not a copy of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from test_explain import (
    FRI,
    MON,
    THU,
    TUE,
    WED,
    consultant,
    flat_travel,
    hm,
    location,
    request,
    scenario,
    visit,
    youth,
)

from matcher.app.export import plan_excel_bytes
from matcher.app.manual_edit import MANUAL_REASON
from matcher.explain import nl as nl_module
from matcher.explain import words
from matcher.explain.nl import lines_nl, reason_nl, reasons_nl, with_messages
from matcher.explain.plan_views import unassigned_frame
from matcher.explain.reasons import (
    Reason,
    TravelLeg,
    VisitExplanation,
    explain_infeasible_pins,
    explain_unassigned,
    explain_visit,
)
from matcher.messages import Message
from matcher.rules import caps, joint, opening_hours, pins, routes, windows
from matcher.scenario.domain import (
    Pin,
    Plan,
    Scenario,
    SolverInfo,
    TimeOfDay,
    Unassigned,
    Unavailability,
    Weights,
    Window,
)
from matcher.solver.solve import GENERIC_REASON

ENGLISH = (
    "consultant has",
    "between",
    "available",
    "capacity",
    "pinned",
    "opening hours",
    "time of day",
    "minutes",
    " on ",
    " and ",
    "Tuesday",
    "Thursday",
    "skill",
    "travel",
    "waiting",
    "continuity",
    "total",
    " with ",
)
ID = re.compile(r"(?:[A-Z]+-[\w-]*\d[\w-]*)|'[^']+'|\d{2}:\d{2}")


def _alone(s: Scenario, rid: str = "R-1") -> list[str]:
    return explain_unassigned(s, [], flat_travel(s), [rid])[rid]


def _real_reasons() -> list[str]:
    """At least one real reason of every kind matcher.explain.reasons produces."""
    out: list[str] = []
    y1 = [youth("Y-1")]
    # skills and exclusions
    out += _alone(
        scenario(
            [consultant("C-A", skills=("lvb",))], y1, [request("R-1", "Y-1", skills=("emdr",))]
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", skills=("lvb",)), consultant("C-B", skills=("emdr",))],
            y1,
            [request("R-1", "Y-1", skills=("emdr", "lvb"))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", skills=("emdr",))],
            [youth("Y-1", excluded_consultants=frozenset({"C-A"}))],
            [request("R-1", "Y-1", skills=("emdr",))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", skills=("emdr",)), consultant("C-B", skills=("emdr",))],
            [youth("Y-1", excluded_consultants=frozenset({"C-A", "C-B"}))],
            [request("R-1", "Y-1", skills=("emdr",))],
        )
    )
    joint = request("R-1", "Y-1", roles=(("loverboy-trauma",), ("systeemtherapie",)))
    out += _alone(
        scenario(
            [
                consultant("C-A", skills=("loverboy-trauma", "systeemtherapie")),
                consultant("C-B", skills=("lvb",)),
            ],
            y1,
            [joint],
        )
    )
    # pins on consultants
    pin = {"pinned": Pin(("C-Z",))}
    out += _alone(scenario([consultant("C-A")], y1, [request("R-1", "Y-1", **pin)]))
    out += _alone(
        scenario(
            [
                consultant("C-A", skills=("loverboy-trauma", "systeemtherapie")),
                consultant("C-B", skills=("loverboy-trauma", "systeemtherapie")),
            ],
            y1,
            [dataclasses.replace(joint, pinned=Pin(("C-A",)))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            [youth("Y-1", excluded_consultants=frozenset({"C-A"}))],
            [request("R-1", "Y-1", pinned=Pin(("C-A",)))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", skills=("lvb",)), consultant("C-B")],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",)))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", skills=("lvb",)), consultant("C-B", skills=("lvb",))],
            y1,
            [dataclasses.replace(joint, pinned=Pin(("C-A", "C-B")))],
        )
    )
    # dates
    out += _alone(
        scenario(
            [consultant("C-A")],
            [youth("Y-1", signalled_on=dt.date(2026, 11, 26))],
            [request("R-1", "Y-1", latest=TUE)],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            y1,
            [request("R-1", "Y-1", earliest=dt.date(2026, 11, 28), latest=dt.date(2026, 11, 29))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",), date=dt.date(2026, 11, 29)))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            y1,
            [request("R-1", "Y-1", latest=TUE, pinned=Pin(("C-A",), date=THU))],
        )
    )
    # availability, time, opening hours, time of day
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("mon", "09:00", "17:00"),))],
            y1,
            [request("R-1", "Y-1", earliest=TUE, latest=WED)],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "17:00"),))],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",), date=THU))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "17:00"),))],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",)), earliest=WED)],
        )
    )
    out += _alone(
        scenario(
            [
                consultant(
                    "C-A", skills=("loverboy-trauma",), windows=(("tue", "09:00", "17:00"),)
                ),
                consultant(
                    "C-B", skills=("systeemtherapie",), windows=(("wed", "09:00", "17:00"),)
                ),
            ],
            y1,
            [joint],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "10:30"),))], y1, [request("R-1", "Y-1")]
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "10:30"),))],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",)))],
        )
    )
    kasteel = location(
        "L-1", "Jeugdzorgplus Kasteel", open=(Window(hm("10:00"), hm("16:00"), weekday="tue"),)
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "16:00", "20:00"),))],
            y1,
            [request("R-1", "Y-1")],
            locations=[kasteel],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "13:00"),))],
            y1,
            [request("R-1", "Y-1", time_of_day=TimeOfDay(hm("15:00"), hm("17:00")))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "08:00", "18:00"),))],
            y1,
            [request("R-1", "Y-1", time_of_day=TimeOfDay(hm("16:00"), hm("17:30")))],
            locations=[kasteel],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            y1,
            [request("R-1", "Y-1", time_of_day=TimeOfDay(hm("15:00"), hm("15:30")))],
        )
    )
    # pinned start
    for start in ("09:10", "16:30", "08:00"):
        out += _alone(
            scenario(
                [consultant("C-A", windows=(("tue", "09:00", "17:00"),))],
                y1,
                [request("R-1", "Y-1", pinned=Pin(("C-A",), date=TUE, start=hm(start)))],
                locations=[kasteel],
            )
        )
    out += _alone(
        scenario(
            [
                consultant(
                    "C-A",
                    windows=(("tue", "09:00", "17:00"),),
                    unavailable=(Unavailability(TUE, hm("10:00"), hm("12:00")),),
                )
            ],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",), date=TUE, start=hm("10:30")))],
        )
    )
    out += _alone(
        scenario([consultant("C-A")], y1, [request("R-1", "Y-1", earliest=THU, latest=TUE)])
    )
    out += _alone(
        scenario(
            [consultant("C-A")],
            [youth("Y-1", signalled_on=dt.date(2026, 11, 25))],
            [request("R-1", "Y-1", pinned=Pin(("C-A",), date=TUE))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "17:00"),))],
            y1,
            [request("R-1", "Y-1", pinned=Pin(("C-A",), date=TUE, start=hm("16:00")))],
        )
    )
    out += _alone(
        scenario(
            [consultant("C-A", windows=(("tue", "09:00", "17:00"),))],
            y1,
            [
                request(
                    "R-1",
                    "Y-1",
                    time_of_day=TimeOfDay(hm("15:00"), hm("17:00")),
                    pinned=Pin(("C-A",), date=TUE, start=hm("10:00")),
                )
            ],
        )
    )
    out += _alone(
        scenario(
            [
                consultant(
                    "C-A", skills=("loverboy-trauma",), windows=(("tue", "09:00", "17:00"),)
                ),
                consultant(
                    "C-B", skills=("systeemtherapie",), windows=(("wed", "09:00", "17:00"),)
                ),
            ],
            y1,
            [dataclasses.replace(joint, pinned=Pin(("C-A", "C-B")))],
        )
    )
    return out


def _plan_reasons() -> list[str]:
    """Reasons that come from the plan (capacity, packed tours, insertions, joint time)."""
    out: list[str] = []
    busy = scenario(
        [consultant("C-FIER-1", max_visits_per_day=1)],
        [youth("Y-HIGH", urgency="crisis"), youth("Y-LOW", urgency="low")],
        [request("R-HIGH", "Y-HIGH"), request("R-LOW", "Y-LOW")],
    )
    tm = flat_travel(busy)
    out += explain_unassigned(
        busy, [visit(busy, "R-HIGH", ("C-FIER-1",), TUE, "10:00")], tm, ["R-LOW"]
    )["R-LOW"]
    out += explain_unassigned(
        busy, [visit(busy, "R-LOW", ("C-FIER-1",), TUE, "10:00")], tm, ["R-HIGH"]
    )["R-HIGH"]
    weekly = dataclasses.replace(busy, consultants=(consultant("C-FIER-1", max_visits_per_week=1),))
    out += explain_unassigned(
        weekly, [visit(weekly, "R-HIGH", ("C-FIER-1",), TUE, "10:00")], tm, ["R-LOW"]
    )["R-LOW"]
    short = scenario(
        [consultant("C-FIER-1", windows=(("tue", "09:00", "11:00"),))],
        [youth("Y-HIGH", urgency="high"), youth("Y-NORM")],
        [request("R-HIGH", "Y-HIGH"), request("R-NORM", "Y-NORM")],
    )
    out += explain_unassigned(
        short, [visit(short, "R-HIGH", ("C-FIER-1",), TUE, "09:30")], tm, ["R-NORM"]
    )["R-NORM"]
    easy = scenario(
        [consultant("C-A")],
        [youth("Y-1", signalled_on=dt.date(2026, 11, 20), previous_consultant="C-Z")],
        [request("R-1", "Y-1")],
    )
    out += _alone(easy)
    out += _alone(dataclasses.replace(easy, weights=Weights(unassigned=50)))
    out += _alone(dataclasses.replace(easy, weights=Weights(unassigned=100)))
    locs = [location("L-1"), location("L-2"), location("L-3")]
    joint = scenario(
        [
            consultant("C-A", skills=("loverboy-trauma",)),
            consultant("C-B", skills=("systeemtherapie",)),
        ],
        [youth("Y-1"), youth("Y-2", "L-2"), youth("Y-3", "L-3")],
        [
            request("R-1", "Y-1", roles=(("loverboy-trauma",), ("systeemtherapie",))),
            request("R-X", "Y-2", skills=("loverboy-trauma",), duration=300),
            request("R-Y", "Y-3", skills=("systeemtherapie",), duration=300),
        ],
        locations=locs,
    )
    busy_joint = [
        visit(joint, "R-X", ("C-A",), TUE, "09:30"),
        visit(joint, "R-Y", ("C-B",), TUE, "11:30"),
    ]
    out += explain_unassigned(joint, busy_joint, flat_travel(joint), ["R-1"])["R-1"]
    return out


def _pin_reasons() -> list[str]:
    """Clashing pins: caps per day and week, the same start, too close for the drive."""
    locs = [location("L-1", "Groep Maasoever"), location("L-2", "Pleeggezin S-14")]
    youths = [youth("Y-1"), youth("Y-2", loc="L-2"), youth("Y-3")]
    pin10 = Pin(("C-XON-1",), date=THU, start=hm("10:00"))
    reqs = [
        request("R-3", "Y-1", pinned=pin10),
        request("R-7", "Y-2", pinned=pin10),
        request("R-9", "Y-3", pinned=Pin(("C-XON-1",), date=THU, start=hm("14:00"))),
        request("R-10", "Y-3", pinned=Pin(("C-XON-1",), date=TUE)),
    ]
    cons = [
        consultant(
            "C-XON-1",
            windows=(("thu", "08:00", "17:00"),),
            max_visits_per_day=2,
            max_visits_per_week=2,
        )
    ]
    s = scenario(cons, youths, reqs, locations=locs)
    out = list(explain_infeasible_pins(s, flat_travel(s)))
    r7 = dataclasses.replace(reqs[1], pinned=Pin(("C-XON-1",), date=THU, start=hm("11:15")))
    close = dataclasses.replace(s, requests=(reqs[0], r7))
    out += explain_infeasible_pins(close, flat_travel(close))
    return out


def _assert_dutch(en: str, nl: str) -> None:
    assert nl != en
    for word in ENGLISH:
        assert word not in nl, (word, nl)
    for token in ID.findall(en):
        assert token in nl, (token, nl)
    for y, m, d in re.findall(r"(\d{4})-(\d{2})-(\d{2})", en):
        assert f"{d}-{m}-{y}" in nl, nl


@pytest.mark.parametrize("source", [_real_reasons, _plan_reasons, _pin_reasons])
def test_every_real_reason_reads_dutch(source: object) -> None:
    assert callable(source)
    reasons = source()
    assert len(reasons) >= 5
    for en in reasons:
        _assert_dutch(en, reason_nl(en))


def test_the_real_reasons_cover_every_template() -> None:
    """Each English sentence kind in matcher.explain.reasons shows up in the scenarios above."""
    text = "\n".join(_real_reasons() + _plan_reasons() + _pin_reasons())
    starts = [
        "no consultant has skill", "no consultant has all of the", "excluded consultant ",
        "excluded consultants", "only C-A qualifies", "pinned to unknown", "but the visit needs",
        "who is excluded for", "who lacks", "none of the roles", "earliest date",
        "signalled on", "no planning day", "not a planning day", "before the youth was",
        "outside the allowed dates", "are not available between", "unavailable that day",
        "who is not available", "not available on the same day", "on which 2 different",
        "no tour of", "whose tours", "only outside the opening", "does not fit any tour",
        "leave no common time", "is shorter than the visit", "pinned start 09:10 leaves",
        "pinned end", "is outside the opening hours", "is outside the time of day",
        "unavailable at", "capacity taken by more urgent", "including less urgent",
        "at max 1 visit per week", "could be added", "more than leaving", "as much as leaving",
        "no common free time", "pin of R-10", "per week", "more than max 2 visits per day",
        "both put", "minutes' drive",
    ]  # fmt: skip
    missing = [s for s in starts if s not in text]
    assert not missing


# Unit cases for sentences the tiny scenarios do not reach -------------------------------
# Each reason is built by its rule's reason function (or is a fixed text of the solver or
# the hand edit); its English is the plan file's text and its Dutch comes from its code.

EMDR, LVB, VROUW = frozenset({"emdr"}), frozenset({"lvb"}), frozenset({"vrouw"})


@pytest.mark.parametrize(
    ("make", "en", "nl"),
    [
        (
            lambda: pins.reason_roles_unmatched(["C-A", "C-B"], (EMDR, LVB)),
            "pinned consultants C-A and C-B cannot fill the roles 'emdr' and 'lvb' one to one",
            "vastgezette consultants C-A en C-B kunnen de rollen 'emdr' en 'lvb' niet één op één "
            "vervullen",
        ),
        (
            lambda: joint.reason_too_few(["C-A", "C-B"], (EMDR, LVB, VROUW)),
            "not enough distinct consultants for the roles 'emdr' and 'lvb' and 'vrouw': only "
            "C-A and C-B qualify",
            "niet genoeg verschillende consultants voor de rollen 'emdr' en 'lvb' en 'vrouw': "
            "alleen C-A en C-B komen in aanmerking",
        ),
        (
            lambda: joint.reason_no_common_time([TUE], (EMDR, LVB), location="Huis and Hof"),
            "no day on Tuesday 2026-11-24 on which 2 different consultants for the roles 'emdr' "
            "and 'lvb' are available at the same time inside the opening hours of Huis and Hof",
            "geen dag op dinsdag 24-11-2026 waarop 2 verschillende consultants voor de rollen "
            "'emdr' en 'lvb' tegelijk beschikbaar zijn binnen de openingstijden van Huis and Hof",
        ),
        (
            lambda: joint.reason_no_common_time([MON, FRI], (EMDR, LVB), time_of_day="15:00–17:00"),
            "no day between 2026-11-23 and 2026-11-27 on which 2 different consultants for the "
            "roles 'emdr' and 'lvb' are available at the same time within time of day 15:00–17:00",
            "geen dag tussen 23-11-2026 en 27-11-2026 waarop 2 verschillende consultants voor de "
            "rollen 'emdr' en 'lvb' tegelijk beschikbaar zijn binnen tijdvak 15:00–17:00",
        ),
        (
            lambda: joint.reason_no_common_time([MON, FRI], (EMDR, LVB)),
            "no day between 2026-11-23 and 2026-11-27 on which 2 different consultants for the "
            "roles 'emdr' and 'lvb' are available at the same time",
            "geen dag tussen 23-11-2026 en 27-11-2026 waarop 2 verschillende consultants voor de "
            "rollen 'emdr' en 'lvb' tegelijk beschikbaar zijn",
        ),
        (
            lambda: pins.reason_no_common_time(600, 660, ["C-A", "C-B"], pins.when(TUE, [])),
            "pinned time 10:00–11:00 fits no common tour time of C-A and C-B inside the opening "
            "hours and time of day that day (Tuesday 2026-11-24)",
            "vastgezette tijd 10:00–11:00 past die dag (dinsdag 24-11-2026) in geen gezamenlijke "
            "rondetijd van C-A en C-B binnen de openingstijden en het tijdvak",
        ),
        (
            lambda: windows.reason_not_available(words.subject(None, EMDR), [WED], ["C-A"]),
            "the consultants with skill 'emdr' are not available on Wednesday 2026-11-25 (C-A)",
            "de consultants met vaardigheid 'emdr' zijn op woensdag 25-11-2026 niet beschikbaar "
            "(C-A)",
        ),
        (
            lambda: opening_hours.reason_outside("Kasteel", opening_hours.summary([], [MON, FRI])),
            "only outside the opening hours of Kasteel (closed between 2026-11-23 and 2026-11-27)",
            "alleen buiten de openingstijden van Kasteel (gesloten tussen 23-11-2026 en "
            "27-11-2026)",
        ),
        (
            lambda: caps.including_less_urgent(
                words.semi(
                    [
                        routes.full_on("C-A", words.ids([words.weekday(MON), words.weekday(TUE)])),
                        caps.at_week_cap("C-A", 3),
                    ]
                ),
                ["R-1", "R-2", "R-3"],
                2,
            ),
            "C-A full on Monday and Tuesday; C-A at max 3 visits per week, including less urgent "
            "requests R-1, R-2, R-3 and 2 more",
            "C-A vol op maandag en dinsdag; C-A zit aan max. 3 bezoeken per week, waaronder "
            "minder urgente aanvragen R-1, R-2, R-3 en nog 2",
        ),
        (
            lambda: caps.reason_taken([routes.full_on("C-A", words.weekday(FRI))], True, 4),
            "capacity taken by more or equally urgent requests (C-A full on Friday; and 4 more)",
            "capaciteit bezet door even of meer urgente aanvragen (C-A vol op vrijdag; en nog 4)",
        ),
        (
            lambda: caps.reason_more_full(1),
            "1 more consultant is full, partly with less urgent requests",
            "nog 1 consultant is vol, deels met minder urgente aanvragen",
        ),
        (
            lambda: caps.reason_more_full(3),
            "3 more consultants are full, partly with less urgent requests",
            "nog 3 consultants zijn vol, deels met minder urgente aanvragen",
        ),
        (
            lambda: routes.reason_no_free_time(),
            "no free time left in the tours of the consultants who could do it",
            "geen vrije tijd meer in de rondes van de consultants die het zouden kunnen doen",
        ),
        (
            lambda: pins.clash_tours(["R-1", "R-2"], "C-A", TUE),
            "pins R-1 and R-2 clash: they do not fit together in the tours of C-A on Tuesday "
            "2026-11-24",
            "vastzettingen R-1 en R-2 botsen: ze passen niet samen in de rondes van C-A op "
            "dinsdag 24-11-2026",
        ),
        (
            lambda: Message("pin_cannot_be_kept_with", requests=["R-2", "R-3"]),
            "its pin cannot be kept together with the pins of R-2, R-3",
            "de vastzetting kan niet worden aangehouden samen met de vastzettingen van R-2, R-3",
        ),
        (
            lambda: Message("pin_cannot_be_kept"),
            "its pin cannot be kept",
            "de vastzetting kan niet worden aangehouden",
        ),
        (
            lambda: Message("pins_cannot_all_be_kept"),
            "not planned: the pinned requests cannot all be kept",
            "niet ingepland: de vastgezette aanvragen kunnen niet allemaal worden aangehouden",
        ),
        (
            lambda: GENERIC_REASON,
            GENERIC_REASON,
            "geen haalbaar tijdstip gevonden binnen de tijdslimiet",
        ),
        (
            lambda: MANUAL_REASON,
            MANUAL_REASON,
            "door de planner met de hand uit de planning gehaald",
        ),
    ],
)
def test_template(make: Callable[[], Message | str], en: str, nl: str) -> None:
    got = make()
    assert str(got) == en
    assert reason_nl(got if isinstance(got, str) else Reason(got)) == nl
    if isinstance(got, Message):
        assert got.render("nl") == nl


def test_a_stored_plan_gets_its_dutch_reasons_back() -> None:
    """A plan read from the database holds plain English text; with_messages recomputes
    the messages from the scenario, so the app shows Dutch without translating text."""
    s = scenario([consultant("C-A", skills=("lvb",))], [youth("Y-1")],
                 [request("R-1", "Y-1", skills=("emdr",))])  # fmt: skip
    (en,) = _alone(s)
    assert isinstance(en, Reason)
    plain = str.__str__(en)
    nl_module._LEARNED.clear()  # as in a fresh process: the text alone is not known
    assert type(plain) is str and reason_nl(plain) == plain
    stored = Plan(
        s.name, SolverInfo("feasible", None, None, 0.0), (), (Unassigned("R-1", (plain,)),)
    )
    back = with_messages(s, stored, flat_travel(s))
    (got,) = back.unassigned[0].reasons
    assert got == plain and reason_nl(got) == "geen consultant heeft de vaardigheid 'emdr'"


@pytest.mark.parametrize(
    "text", ["", "low reason", "pins R-1 clash: something new", "capacity taken by (", "{x}"]
)
def test_unknown_text_is_kept(text: str) -> None:
    assert reason_nl(text) == text


def test_reasons_nl_keeps_the_order() -> None:
    got = reasons_nl((GENERIC_REASON, "open", MANUAL_REASON))
    assert got == [reason_nl(GENERIC_REASON), "open", reason_nl(MANUAL_REASON)]


# Visit cost lines ------------------------------------------------------------------------


def test_visit_lines_read_dutch() -> None:
    locs = [location(f"L-{i}", lat=50.8 + 0.05 * i) for i in range(1, 3)]
    cons = [
        consultant("C-A", skills=("emdr", "lvb")),
        consultant("C-B", skills=("lvb",)),
    ]
    youths = [
        youth("Y-1", "L-1", urgency="high", previous_consultant="C-B"),
        youth("Y-2", "L-2", previous_consultant="C-A"),
        youth("Y-3", "L-2"),
    ]
    reqs = [
        request("R-1", "Y-1", skills=("emdr",)),
        request("R-2", "Y-2", roles=(("emdr",), ("lvb",))),
        request("R-3", "Y-3", skills=("lvb",)),
    ]
    s = scenario(cons, youths, reqs, locations=locs, weights=Weights(travel_minute=2))
    visits = [
        visit(s, "R-1", ("C-A",), TUE, "09:00"),
        visit(s, "R-2", ("C-A", "C-B"), TUE, "11:00"),
        visit(s, "R-3", ("C-B",), TUE, "13:00"),
    ]
    tm = flat_travel(s)
    seen = set()
    for rid in ("R-1", "R-2", "R-3"):
        en = explain_visit(s, visits, tm, rid).lines()
        nl = lines_nl(en)
        assert len(nl) == len(en)
        for e, n in zip(en, nl, strict=True):
            _assert_dutch(e, n)
            seen.add(n.split(":")[0].split(" ")[0])
        assert any("urgentie hoog" in n or "urgentie normaal" in n for n in nl)
        assert any("basis van C-" in n for n in nl)
    assert {"reistijd", "reiskosten", "wachten", "continuïteit", "totaal"} <= seen
    continuity = [n for rid in ("R-1", "R-2", "R-3")
                  for n in lines_nl(explain_visit(s, visits, tm, rid).lines())
                  if n.startswith("continuïteit")]  # fmt: skip
    assert any("geen vorige" in n for n in continuity)
    assert any("komt langs" in n for n in continuity)
    assert any("niet ingezet" in n for n in continuity)


def test_a_line_without_its_message_is_kept() -> None:
    assert lines_nl(["something else", "total: 3"]) == ["something else", "total: 3"]


def test_the_app_tables_show_dutch_reasons() -> None:
    """The planner's table and Excel sheet of unassigned requests carry the Dutch text."""
    s = scenario([consultant("C-A", skills=("lvb",))], [youth("Y-1")],
                 [request("R-1", "Y-1", skills=("emdr",))])  # fmt: skip
    (en,) = _alone(s)
    plan = Plan(s.name, SolverInfo("feasible", None, None, 0.0), (), (Unassigned("R-1", (en,)),))
    assert unassigned_frame(s, plan).loc[0, "Redenen"] == reason_nl(en) != en
    wb = load_workbook(io.BytesIO(plan_excel_bytes(s, plan)))
    cells = [c for row in wb["Niet ingepland"].iter_rows(values_only=True) for c in row]
    assert reason_nl(en) in cells and en not in cells


def test_numbers_in_visit_lines_are_dutch() -> None:
    leg = TravelLeg("C-X-2", "base:C-X-2", 31, "L-14", 29, 45.5)
    ex = VisitExplanation(
        request="R-2",
        youth="Y-2026-014",
        location="L-14",
        location_name="Pleeggezin S-14",
        date=MON,
        start=hm("09:01"),
        end=hm("10:31"),
        consultants=("C-X-2",),
        legs=(leg,),
        travel_minutes=1045.5,
        travel_cost=1045.5,
        waiting_days=3,
        waiting_weight=10,
        urgency="high",
        urgency_factor=4,
        waiting_cost=12345,
        previous_consultant=None,
        previous_used=None,
        continuity_cost=0,
        point_names={"L-14": "Pleeggezin S-14"},
    )
    en, nl = ex.lines(), lines_nl(ex.lines())
    assert en[1].endswith("to Pleeggezin S-14 (share 45.5 min)")
    assert nl[1] == (
        "reistijd C-X-2: 31 min vanaf basis van C-X-2, 29 min naar Pleeggezin S-14 "
        "(aandeel 45,5 min)"
    )
    assert (en[2], nl[2]) == ("travel cost: 1045.5", "reiskosten: 1.045,5")
    assert nl[3] == "wachten: 3 dagen × urgentie hoog (4) × 10 = 12.345"
    assert nl[-1] == "totaal: 13.390,5" and en[-1] == "total: 13390.5"
    assert "Y-2026-014" in nl[0] and "23-11-2026 09:01–10:31" in nl[0]


def test_a_stored_reason_without_parameters_of_a_rule_is_dutch() -> None:
    """The fixed reasons come from the whole table, the rules' texts included."""
    from matcher.explain.nl import reason_nl
    from matcher.messages import Message

    english = str(Message("no_free_time"))
    assert english == "no free time left in the tours of the consultants who could do it"
    assert reason_nl(english) == Message("no_free_time").render("nl") != english
