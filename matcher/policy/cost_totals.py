"""Summed costs of priced visits: per responsible gemeente, per provider, per period.

The visits come from :func:`matcher.policy.costs.plan_costs`; every sum here is exact in
cents, so the totals of a grouping add up to the plan's total.

Periods: :func:`period_key` names the ISO week (``2026-W48``, ISO year), month
(``2026-11``), quarter (``2026-Q4``) or year (``2026``) of a visit's date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matcher.policy.costs import VisitCost

__all__ = [
    "PERIODS",
    "CostTotals",
    "Period",
    "costs_by_gemeente",
    "costs_by_period",
    "costs_by_provider",
    "period_key",
    "period_label",
    "same_gemeente",
]

Period = Literal["week", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter", "year")


@dataclass(frozen=True, slots=True)
class CostTotals:
    """Summed costs of a group of visits (or of consultant lines).

    ``visits`` counts distinct visits; ``minutes`` are consultant minutes.
    """

    visits: int = 0
    minutes: int = 0
    hours_cents: int = 0
    metres: int = 0
    km_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.hours_cents + self.km_cents

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def km(self) -> float:
        return self.metres / 1000

    def add(self, other: CostTotals) -> CostTotals:
        return CostTotals(
            self.visits + other.visits,
            self.minutes + other.minutes,
            self.hours_cents + other.hours_cents,
            self.metres + other.metres,
            self.km_cents + other.km_cents,
        )


def _of_visit(v: VisitCost) -> CostTotals:
    return CostTotals(1, v.minutes, v.hours_cents, v.metres, v.km_cents)


def same_gemeente(a: str, b: str) -> bool:
    """Whether two gemeente names are the same (trimmed, case-insensitive)."""
    return a.strip().casefold() == b.strip().casefold()


def costs_by_gemeente(visits: Iterable[VisitCost]) -> dict[str, CostTotals]:
    """Totals per responsible gemeente, sorted by name; they sum to the visits' total."""
    out: dict[str, CostTotals] = defaultdict(CostTotals)
    for v in visits:
        out[v.gemeente] = out[v.gemeente].add(_of_visit(v))
    return dict(sorted(out.items()))


def costs_by_provider(visits: Iterable[VisitCost]) -> dict[str, CostTotals]:
    """Totals per provider id over the consultant lines (a visit counts once per provider)."""
    out: dict[str, CostTotals] = defaultdict(CostTotals)
    for v in visits:
        per: dict[str, CostTotals] = defaultdict(CostTotals)
        for line in v.lines:
            per[line.provider] = per[line.provider].add(
                CostTotals(0, line.minutes, line.hours_cents, line.metres, line.km_cents)
            )
        for pid, t in per.items():
            out[pid] = out[pid].add(CostTotals(1, t.minutes, t.hours_cents, t.metres, t.km_cents))
    return dict(sorted(out.items()))


def period_key(day: dt.date, by: Period) -> str:
    """``2026-W48`` (ISO week and ISO year), ``2026-11``, ``2026-Q4`` or ``2026``."""
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if by == "year":
        return f"{day.year}"
    raise ValueError(f"period {by!r} is not one of {', '.join(PERIODS)}")


_MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def period_label(key: str) -> str:
    """Dutch label of a :func:`period_key`: ``week 48 2026``, ``nov 2026``, ``K4 2026``."""
    if "-W" in key:
        year, week = key.split("-W")
        return f"week {int(week)} {year}"
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"K{quarter} {year}"
    if "-" in key:
        year, month = key.split("-")
        return f"{_MONTHS_NL[int(month) - 1]} {year}"
    return key


def costs_by_period(visits: Iterable[VisitCost], by: Period) -> dict[tuple[str, str], CostTotals]:
    """Totals per ``(period key, gemeente)``, sorted; they sum to the visits' total."""
    out: dict[tuple[str, str], CostTotals] = defaultdict(CostTotals)
    for v in visits:
        key = (period_key(v.date, by), v.gemeente)
        out[key] = out[key].add(_of_visit(v))
    return dict(sorted(out.items()))
