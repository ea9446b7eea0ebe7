"""The app's theme colours (.streamlit/config.toml) meet WCAG AA contrast (4.5:1).

The contrast ratio is WCAG 2's: ``(L1 + 0.05) / (L2 + 0.05)`` of the relative luminances.
Streamlit draws captions and input hints in the text colour at 60% opacity, so those are
checked as the blended colour on each background.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
AA = 4.5
CAPTION_OPACITY = 0.6

RGB = tuple[float, float, float]


def rgb(hex_colour: str) -> RGB:
    text = hex_colour.lstrip("#")
    assert len(text) == 6, hex_colour
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def luminance(colour: RGB) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(front: RGB, back: RGB, opacity: float) -> RGB:
    return (
        front[0] * opacity + back[0] * (1 - opacity),
        front[1] * opacity + back[1] * (1 - opacity),
        front[2] * opacity + back[2] * (1 - opacity),
    )


def test_the_wcag_formula() -> None:
    assert contrast(rgb("#000000"), rgb("#ffffff")) == pytest.approx(21.0)
    assert contrast(rgb("#777777"), rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(rgb("#767676"), rgb("#ffffff")) >= AA  # the classic lightest AA grey


@pytest.fixture(scope="module")
def theme() -> dict[str, RGB]:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    return {key: rgb(value) for key, value in data.items() if key.endswith("Color")}


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_text_and_captions_meet_aa(theme: dict[str, RGB], background: str) -> None:
    back = theme[background]
    assert contrast(theme["textColor"], back) >= AA
    caption = blend(theme["textColor"], back, CAPTION_OPACITY)
    assert contrast(caption, back) >= AA


def test_primary_buttons_and_links_meet_aa(theme: dict[str, RGB]) -> None:
    white = rgb("#ffffff")
    assert contrast(white, theme["primaryColor"]) >= AA  # text on a primary button
    assert contrast(theme["primaryColor"], theme["backgroundColor"]) >= AA


def test_links_and_code_meet_aa(theme: dict[str, RGB]) -> None:
    for background in ("backgroundColor", "secondaryBackgroundColor"):
        assert contrast(theme["linkColor"], theme[background]) >= AA
    code, back = theme["codeTextColor"], theme["codeBackgroundColor"]
    assert contrast(code, back) >= AA
    assert contrast(blend(code, back, CAPTION_OPACITY), back) >= AA  # code in a caption
