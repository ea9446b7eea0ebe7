"""Column widths of the app's tables, estimated from what the cells hold.

Streamlit's grids cut a cell off at the column's width and never wrap it; a list shown as
chips (a multiselect column) is cut after the chips that fit. These estimates make such a
column wide enough for its longest list, within bounds.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CHAR_PX", "CHIP_PX", "chips_width"]

CHAR_PX = 6.6
"""Average width of a lower-case character in a grid cell (14 px Source Sans), with some
room to spare."""
CHIP_PX = 22
"""A chip's own padding plus the gap to the next one."""
CELL_PX = 24
"""The cell's padding on both sides."""


def chips_width(lists: Iterable[Iterable[str]], least: int = 160, most: int = 720) -> int:
    """Pixels a chips column needs to show its longest list whole, between ``least`` and
    ``most``.

    Parameters
    ----------
    lists
        The column's cells, each a list of chip labels.
    least, most
        The bounds of the result.
    """
    widest = max(
        (sum(len(label) * CHAR_PX + CHIP_PX for label in cell) for cell in lists), default=0.0
    )
    return int(min(most, max(least, round(widest + CELL_PX))))
