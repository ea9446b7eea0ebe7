"""Progress and stop criteria of a solve: the settings, the clock, the progress reports.

:class:`SolveParams` holds the limits a caller sets; :class:`Clock` answers "how long
since the start, how much is left, was a stop asked for"; :class:`Reporter` keeps the best
objective and bound seen and forwards each improvement as a :class:`Progress` to the
caller's callback. :func:`relative_gap` is the one definition of the gap (the solver's
result, its progress, the app's solve jobs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    """``(objective - bound) / objective``, at least 0 (``0`` when the objective is 0;
    ``None`` when either is unknown)."""
    if objective is None or bound is None:
        return None
    if objective == 0:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


@dataclass(frozen=True)
class Progress:
    """A progress report while solving.

    Attributes
    ----------
    elapsed
        Seconds since :func:`solve` started.
    objective
        Objective of the best plan so far (``None`` before the first).
    bound
        Best proven lower bound so far (``None`` if unknown).
    assigned
        Requests planned in the best plan so far.
    """

    elapsed: float
    objective: int | None
    bound: int | None
    assigned: int

    @property
    def gap(self) -> float | None:
        """Relative gap (see :func:`relative_gap`)."""
        return relative_gap(self.objective, self.bound)


ProgressCallback = Callable[[Progress], None]


@dataclass
class SolveParams:
    """Solver settings.

    Attributes
    ----------
    time_limit
        Wall-clock seconds for the whole call, model building included.
    workers
        CP-SAT search workers (threads).
    seed
        Random seed; with one worker and the same seed the plan is reproducible whenever
        the search ends by itself (proven optimal) or ``deterministic`` is set.
    log
        Print CP-SAT's search log.
    stop
        Set this event (from any thread) to stop early; the best plan so far is returned.
    deterministic
        Use CP-SAT's deterministic time (work units) instead of wall-clock limits for the
        search steps, so one worker and one seed always give the same plan (the wall-clock
        limit still applies as a safety net).
    """

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    log: bool = False
    stop: threading.Event | None = None
    deterministic: bool = False


class Clock:
    """The stop criteria of one solve: the wall-clock limit and the caller's stop event."""

    def __init__(self, params: SolveParams) -> None:
        self.t0 = time.monotonic()
        self.limit = params.time_limit
        self.stop = params.stop

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def left(self) -> float:
        return self.limit - self.elapsed()

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


class Reporter:
    """Collects progress and forwards improvements to the caller's callback."""

    def __init__(self, clock: Clock, callback: ProgressCallback | None) -> None:
        self.clock = clock
        self.callback = callback
        self.objective: int | None = None
        self.bound: int | None = None
        self.assigned = 0
        self.history: list[Progress] = []
        self.lock = threading.Lock()

    def update(
        self, objective: int | None = None, bound: int | None = None, assigned: int | None = None
    ) -> None:
        with self.lock:
            changed = False
            if objective is not None and (self.objective is None or objective < self.objective):
                self.objective = objective
                if assigned is not None:
                    self.assigned = assigned
                changed = True
            if bound is not None:
                bound = max(0, bound)  # every term of the objective is >= 0
            if bound is not None and (self.bound is None or bound > self.bound):
                self.bound = bound
                changed = True
            if (
                self.objective is not None
                and self.bound is not None
                and self.bound > self.objective
            ):
                self.bound = self.objective
            if not changed:
                return
            p = Progress(round(self.clock.elapsed(), 3), self.objective, self.bound, self.assigned)
            self.history.append(p)
        if self.callback is not None:
            self.callback(p)


def format_progress(p: Progress) -> str:
    """A progress line: elapsed, best objective, bound, gap."""
    gap = p.gap
    gap_s = f"{100 * gap:6.2f}%" if gap is not None else "    n/a"
    return (
        f"{p.elapsed:7.2f}s  objective {p.objective if p.objective is not None else '-':>8}  "
        f"bound {p.bound if p.bound is not None else '-':>8}  gap {gap_s}  assigned {p.assigned}"
    )
