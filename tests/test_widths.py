"""Column widths from the cells' content (matcher.app.widths)."""

from __future__ import annotations

from matcher.app.widths import CHAR_PX, CHIP_PX, chips_width


def test_the_width_fits_the_longest_list_of_chips() -> None:
    short = ["emdr", "lvb"]
    long = ["loverboy-trauma", "systeemtherapie", "jeugdzorgplus", "jongens", "emdr", "vrouw"]
    width = chips_width([short, long])
    needed = sum(len(s) * CHAR_PX + CHIP_PX for s in long)
    assert needed <= width < needed + 40
    assert chips_width([long]) == width  # only the longest list counts


def test_the_width_stays_within_its_bounds() -> None:
    assert chips_width([]) == 160
    assert chips_width([["a"]]) == 160
    assert chips_width([["x" * 30] * 10]) == 720
    assert chips_width([["x" * 30] * 10], most=500) == 500
