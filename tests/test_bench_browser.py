"""Tests of the browser benchmark's statistics and verdicts (bench/browser.py), without a
browser."""

from __future__ import annotations

from bench.browser import TITLES, Timings, p95, report, stat

META = {
    "started": "2026-12-01 23:00 UTC",
    "commit": "abc1234",
    "uncommitted": "",
    "streamlit": "1.67.0",
    "playwright": "1.65.2",
    "chromium": "Chromium 1",
    "rounds": "2",
    "seconds": "60",
    "uptime_before": "load average: 1.00",
    "uptime_after": "load average: 1.10",
}


def timings(page: float, action: float) -> Timings:
    t = Timings(cold=[page] * len(TITLES))
    for title in TITLES:
        t.page_switch += [page, page]
        t.per_page[title] = [page, page]
    t.map_tab = [action, action]
    t.lock_all = [action, action]
    t.cell_edit = [action / 2, action / 2]
    return t


def test_p95_is_the_nearest_rank() -> None:
    values = [float(i) for i in range(1, 101)]
    assert p95(values) == 95.0
    assert p95([0.3]) == 0.3
    assert p95([0.1, 0.2, 5.0]) == 5.0  # with few values the worst one counts
    assert stat([0.1, 0.4, 0.3], "median") == 0.3
    assert stat([], "median") != stat([], "median")  # nan: nothing measured


def test_report_passes_and_fails_on_the_targets() -> None:
    text, ok = report(timings(0.3, 0.8), timings(0.1, 0.2), META)
    assert ok and "All targets met." in text
    assert "| page switch | 16 | median ≤ 0.5 s, p95 ≤ 1 s | 0.300 |" in text
    assert "3.000 | PASS" in text  # ours / peer of the page switches
    assert "| Planning | 0.300 | 0.100 | 3.000 |" in text
    slow, ok = report(timings(0.3, 1.2), timings(0.1, 0.2), META)
    assert not ok
    assert slow.count("| FAIL |") == 3  # map tab, lock all, cell edit (0.6 > 0.5)
    one_slow_page = timings(0.3, 0.8)
    one_slow_page.page_switch[-1] = 1.5  # p95 of 16 values is the worst one
    assert not report(one_slow_page, timings(0.1, 0.2), META)[1]
