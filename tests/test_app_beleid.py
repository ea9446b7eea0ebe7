"""AppTest tests of the Beleid page: the what-if of a central centre, for the ketenregisseur
(stored rounds or generated weeks) and a gemeente (generated weeks only)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from matcher import storage
from matcher.scenario.loader import load_scenario
from matcher.security import accounts
from matcher.storage.engine import get_engine

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
EXAMPLE = ROOT / "scenarios" / "voorbeeld-week-48.yaml"
PASSWORD = "test-wachtwoord-123"


@pytest.fixture(scope="module")
def beleid_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("beleid") / "beleid.db"
    engine = get_engine(f"sqlite:///{path}")
    try:
        s = load_scenario(EXAMPLE)
        s = dataclasses.replace(
            s,
            providers=tuple(
                dataclasses.replace(p, hourly_rate=90.0, km_rate=0.25) for p in s.providers
            ),
        )
        storage.import_scenario(engine, s)
        accounts.create_account(engine, "regisseur", PASSWORD, role="ketenregisseur")
        accounts.create_account(
            engine, "gemeente-venlo", PASSWORD, role="gemeente", gemeente="Venlo"
        )
    finally:
        engine.dispose()
    return path


@pytest.fixture
def db(beleid_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "app.db"
    shutil.copy(beleid_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


def open_beleid(user: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.text_input(key="login-user").input(user)
    at.text_input(key="login-password").input(PASSWORD)
    at.button(key="login-submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("app_pages/beleid.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiny_generated(at: AppTest) -> None:
    at.number_input(key="beleid-weeks").set_value(2)
    at.number_input(key="beleid-requests").set_value(10.0)
    at.number_input(key="beleid-consultants").set_value(4)
    at.number_input(key="beleid-limit").set_value(1)


def pairs(at: AppTest) -> dict[str, tuple[str, str]]:
    """Metric label -> (on site, central): one column of each, on site first."""
    shown = [(m.label, str(m.value)) for m in at.metric]
    half = len(shown) // 2
    assert half > 0 and len(shown) == 2 * half
    out = {}
    for (label, on), (label2, central) in zip(shown[:half], shown[half:], strict=True):
        assert label == label2
        out[label] = (on, central)
    return out


def downloads(at: AppTest) -> list[str]:
    return [getattr(b, "label", "") for b in at.get("download_button")]


def test_ketenregisseur_compares_generated_weeks(db: str) -> None:
    at = open_beleid("regisseur")
    assert "Beleid" in at.title[0].value
    assert at.radio(key="beleid-source").options == ["Gegenereerde weken", "Opgeslagen rondes"]
    tiny_generated(at)
    at.button(key="beleid-run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    figures = pairs(at)
    requests = figures["Aanvragen"]
    assert requests[0] == requests[1] and int(requests[0]) > 0
    # generated youths live near their town, never exactly at the centre: all of them move
    assert figures["Jongeren die moeten verhuizen"] == ("0", requests[0])
    assert int(figures["Meeste slachtoffers op één adres"][1]) <= int(requests[0])
    assert len(at.dataframe) == 2
    per_gemeente = at.dataframe[1].value
    assert len(per_gemeente) == 32 and per_gemeente.iloc[-1]["Gemeente"] == "Totaal"
    assert per_gemeente.iloc[-1]["Centraal: vaste bijdrage"] == "€ 1.500.000,00"
    assert downloads(at) == ["Download Excel", "Download PDF"]


def test_ketenregisseur_compares_the_stored_round_with_a_centre_in_roermond(db: str) -> None:
    at = open_beleid("regisseur")
    at.radio(key="beleid-source").set_value("Opgeslagen rondes")
    at.run()
    at.selectbox(key="beleid-town").set_value("Roermond")
    at.radio(key="beleid-contribution").set_value("In gelijke delen")
    at.number_input(key="beleid-cost").set_value(3100)
    at.number_input(key="beleid-limit").set_value(1)
    at.button(key="beleid-run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    figures = pairs(at)
    # the example's residential group is at Roermond's town centre: one of five stays
    assert figures["Jongeren die moeten verhuizen"] == ("0", "4")
    assert figures["Meeste slachtoffers op één adres"] == ("2", "5")
    per_gemeente = at.dataframe[1].value
    assert set(per_gemeente["Centraal: vaste bijdrage"][:-1]) == {"€ 100,00"}


def test_gemeente_sees_beleid_with_generated_weeks_only(db: str) -> None:
    at = open_beleid("gemeente-venlo")
    assert at.radio(key="beleid-source").options == ["Gegenereerde weken"]
    tiny_generated(at)
    at.button(key="beleid-run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Aanvragen" in pairs(at)
    assert downloads(at) == ["Download Excel", "Download PDF"]
