"""Tests of matcher.app.page_nl: the page's language and Streamlit's control texts in Dutch."""

from __future__ import annotations

import json
import re

import pytest

from matcher.app.page_nl import STREAMLIT_TEXTS, page_script, translate


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("Upload", "Bestand kiezen"),
        ("Add row", "Rij toevoegen"),
        (" Add row ", " Rij toevoegen "),
        ("20MB per file", "maximaal 20 MB per bestand"),
        ("200MB per file", "maximaal 200 MB per bestand"),
        ("Please fill out this cell.", "Vul deze cel in."),
    ],
)
def test_known_texts_are_translated(english: str, dutch: str) -> None:
    assert translate(english) == dutch


@pytest.mark.parametrize("text", ["Uploaden van R-1", "Add rows later", "Plannen", "20MB"])
def test_other_texts_stay(text: str) -> None:
    assert translate(text) == text


def test_script_sets_dutch_and_carries_every_text() -> None:
    script = page_script()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert 'documentElement.lang = "nl"' in script
    assert "__" + "LANG__" not in script and "__TEXTS__" not in script
    m = re.search(r"const texts = (\{.*?\});", script, flags=re.DOTALL)
    assert m is not None
    assert json.loads(m.group(1)) == STREAMLIT_TEXTS
    assert "fetch(" not in script and "XMLHttpRequest" not in script


def test_help_and_heading_labels_are_translated() -> None:
    assert translate("Help for Begin") == "Uitleg bij Begin"
    assert translate("Link to heading") == "Link naar deze kop"
    assert translate("Skip to main content") == "Naar de hoofdinhoud"
    assert "Uitleg bij " in page_script() and "Help for" in page_script()
