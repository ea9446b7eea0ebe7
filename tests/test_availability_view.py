"""One consultant's fixed weekly hours and the week's exceptions
(matcher.scenario.availability_view)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from matcher.scenario.availability_view import (
    ABSENT,
    EXTRA,
    apply_consultant_view,
    exceptions_frame,
    weekly_frame,
)
from matcher.scenario.domain import Scenario, Unavailability, Window


def test_the_tables_show_weekday_windows_and_the_dated_exceptions(example: Scenario) -> None:
    c = example.consultant("C-XON-1")
    weekly = weekly_frame(c)
    assert weekly[["Dag", "Van", "Tot"]].values.tolist() == [["elke dinsdag", "13:00", "18:00"]]
    exceptions = exceptions_frame(c)
    assert exceptions[["Datum", "Soort", "Van", "Tot"]].values.tolist() == [
        [dt.date(2026, 11, 26), EXTRA, "09:00", "17:00"]
    ]
    absent = exceptions_frame(example.consultant("C-XON-2"))
    assert absent[["Datum", "Soort", "Van", "Tot"]].values.tolist() == [
        [dt.date(2026, 11, 25), ABSENT, "", ""]
    ]


def test_unchanged_tables_change_nothing(example: Scenario) -> None:
    for c in example.consultants:
        result = apply_consultant_view(example, c.id, weekly_frame(c), exceptions_frame(c))
        assert result.ok, result.problems
        assert not result.changed, c.id


def test_sick_leave_and_an_extra_day_are_stored_as_the_format_has_them(
    example: Scenario,
) -> None:
    c = example.consultant("C-FIER-1")  # works Tuesday and Thursday
    exceptions = pd.DataFrame(
        [
            {"Consultant": None, "Datum": dt.date(2026, 11, 24), "Soort": ABSENT},
            {"Datum": "26-11-2026", "Soort": ABSENT, "Van": "09:00", "Tot": "11:00"},
            {"Datum": dt.date(2026, 11, 27), "Soort": EXTRA, "Van": "10:00", "Tot": "14:00"},
        ]
    )
    weekly = weekly_frame(c)
    weekly.loc[len(weekly)] = {
        "Consultant": None,
        "Dag": "elke maandag",
        "Van": "08:30",
        "Tot": "12:00",
    }
    result = apply_consultant_view(example, c.id, weekly, exceptions)
    assert result.ok, result.problems
    assert result.upserts["consultants"] == ("C-FIER-1",)
    assert result.scenario is not None
    after = result.scenario.consultant("C-FIER-1")
    assert set(after.unavailable) == {
        Unavailability(dt.date(2026, 11, 24)),
        Unavailability(dt.date(2026, 11, 26), 540, 660),
    }
    assert Window(600, 840, date=dt.date(2026, 11, 27)) in after.availability
    assert Window(510, 720, weekday="mon") in after.availability
    # the other consultants are untouched
    for other in example.consultants:
        if other.id != "C-FIER-1":
            assert result.scenario.consultant(other.id) == other


def test_problems_name_the_shown_table_row_and_column(example: Scenario) -> None:
    c = example.consultant("C-FIER-1")
    exceptions = pd.DataFrame(
        [
            {"Datum": dt.date(2026, 11, 24), "Soort": ABSENT, "Van": "12:00", "Tot": "10:00"},
            {"Datum": dt.date(2026, 11, 24), "Soort": "ziek"},
        ]
    )
    result = apply_consultant_view(example, c.id, None, exceptions)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "Uitzonderingen, rij 2, Soort: 'ziek' is geen soort — toegestaan: Afwezig of Extra werktijd"
    ]
    exceptions.loc[1, "Soort"] = ABSENT
    result = apply_consultant_view(example, c.id, None, exceptions)
    texts = [str(p) for p in result.problems]
    assert len(texts) == 1 and texts[0].startswith("Uitzonderingen, rij 1"), texts
    assert '"10:00" ligt niet na de begintijd "12:00"' in texts[0]


def test_an_extra_window_overlapping_the_weekly_hours_is_refused_naming_both_tables(
    example: Scenario,
) -> None:
    c = example.consultant("C-FIER-1")  # Tuesday 09:00-17:00 every week
    exceptions = pd.DataFrame(
        [{"Datum": dt.date(2026, 11, 24), "Soort": EXTRA, "Van": "16:00", "Tot": "19:00"}]
    )
    result = apply_consultant_view(example, c.id, None, exceptions)
    texts = [str(p) for p in result.problems]
    assert len(texts) == 1, texts
    assert texts[0].startswith("Uitzonderingen, rij 1"), texts
    assert "Vaste werktijden rij 1" in texts[0], texts


def test_a_missing_date_is_named(example: Scenario) -> None:
    exceptions = pd.DataFrame([{"Datum": None, "Soort": ABSENT, "Van": "09:00", "Tot": "10:00"}])
    result = apply_consultant_view(example, "C-FIER-1", None, exceptions)
    assert [str(p) for p in result.problems] == [
        "Uitzonderingen, rij 1, Datum: de datum ontbreekt — toegestaan: een datum dd-mm-jjjj"
        " (bijv. 02-12-2026) of JJJJ-MM-DD"
    ]
