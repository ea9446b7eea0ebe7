"""Background solve jobs for the planning app: one solver thread per round, with progress.

A :class:`SolveJob` runs :func:`matcher.solver.solve.solve` in a daemon thread; the solver's
progress callback updates the job's fields (best objective, bound, planned requests) under
a lock, and :meth:`SolveJob.snapshot` reads them for the page, which polls once a second.
When the solve ends the plan is handed to ``save`` (in the app: storing it with
:func:`matcher.storage.save_plan`) and the job remembers the saved plan's id.

The :class:`JobRegistry` (held once per server process, e.g. in ``st.cache_resource``)
allows one running job per round, so two planners cannot start competing solves of the
same week, and any session can watch or stop the running job. The page never waits for a
solve: other users' pages keep responding while it runs.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from matcher.app.errors import log_unexpected
from matcher.scenario.domain import Plan, Scenario
from matcher.solver.progress import relative_gap
from matcher.solver.solve import Progress, Result, SolveParams, Solver

__all__ = ["JobRegistry", "JobRunningError", "JobSnapshot", "JobState", "SolveJob"]

JobState = Literal["running", "done", "failed"]
SaveFunction = Callable[[Plan], int]
_TOKENS = itertools.count(1)


class JobRunningError(RuntimeError):
    """A solve of that round is already running."""


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    """What a job has reached, read at one moment.

    Attributes
    ----------
    state
        ``running``, ``done`` or ``failed``.
    elapsed
        Seconds since the start (frozen at the end).
    time_limit
        The solve's time limit in seconds.
    objective, bound
        Best objective and proven bound so far (``None`` when unknown).
    assigned
        Requests planned in the best plan so far.
    status
        The solver's final status once done (``optimal``, ``feasible``, ...).
    plan_id
        Id of the saved plan once done (``None`` when not saved).
    error
        The log reference of a failed job (:func:`matcher.app.errors.log_unexpected`: the
        log has the exception's type and code locations; users see only the reference).
    stopped
        Whether the job was asked to stop early.
    """

    state: JobState
    elapsed: float
    time_limit: float
    objective: int | None
    bound: int | None
    assigned: int
    status: str | None
    plan_id: int | None
    error: str | None
    stopped: bool

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    @property
    def fraction(self) -> float:
        """Elapsed share of the time limit (0..1), 1 when finished."""
        if self.state != "running":
            return 1.0
        if self.time_limit <= 0:
            return 0.0
        return max(0.0, min(1.0, self.elapsed / self.time_limit))


NICE = 10
"""Niceness of a solve thread (and of the CP-SAT threads it starts): the web server's
threads go first, so pages stay quick while a solve runs."""


def _lower_priority() -> None:
    """Lower the CPU priority of the calling thread (Linux: per-thread niceness)."""
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, max(current, NICE))
    except (AttributeError, OSError):  # not supported on this platform: keep the priority
        pass


class SolveJob:
    """One solve of one round in a background thread.

    Parameters
    ----------
    round_id
        The round being solved.
    scenario
        Its scenario (as stored when the job started).
    params
        Solver settings (time limit, workers, seed); a stop event is added.
    save
        Called with the final plan; returns the saved plan's id.
    version
        The data version the scenario was read at (kept for the page).
    """

    def __init__(
        self,
        round_id: int,
        scenario: Scenario,
        params: SolveParams,
        save: SaveFunction | None = None,
        version: object = None,
    ) -> None:
        self.round_id = round_id
        self.version = version
        self.token = next(_TOKENS)
        """Unique per job in this process (pages remember which job they have shown)."""
        self._save = save
        self._lock = threading.Lock()
        self._solver = Solver(scenario, params, self._on_progress)
        self._params = self._solver.params
        self._started = time.monotonic()
        self._ended: float | None = None
        self._objective: int | None = None
        self._bound: int | None = None
        self._assigned = 0
        self._state: JobState = "running"
        self._status: str | None = None
        self._plan_id: int | None = None
        self._error: str | None = None
        self.result: Result | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"solve-round-{round_id}", daemon=True
        )

    def start(self) -> SolveJob:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def _on_progress(self, p: Progress) -> None:
        with self._lock:
            if p.objective is not None:
                self._objective = p.objective
                self._assigned = p.assigned
            if p.bound is not None:
                self._bound = p.bound

    def _run(self) -> None:
        _lower_priority()
        try:
            result = self._solver.run()
            plan_id = self._save(result.plan) if self._save is not None else None
            with self._lock:
                self.result = result
                self._objective = result.objective
                self._bound = result.bound
                self._assigned = len(result.plan.visits)
                self._status = result.status
                self._plan_id = plan_id
                self._state = "done"
        except Exception as exc:  # a failed solve must be reported on the page
            ref = log_unexpected(exc, "plannen op de achtergrond")
            with self._lock:
                self._error = ref
                self._state = "failed"
        finally:
            with self._lock:
                self._ended = time.monotonic()

    @property
    def thread_id(self) -> int | None:
        """The operating-system id of the solve thread (``None`` before it starts)."""
        return self._thread.native_id

    def stop(self) -> None:
        """Ask the solver to stop; it saves its best plan so far."""
        self._solver.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end of the job; whether it ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def snapshot(self) -> JobSnapshot:
        with self._lock:
            end = self._ended if self._ended is not None else time.monotonic()
            stop = self._params.stop
            return JobSnapshot(
                state=self._state,
                elapsed=end - self._started,
                time_limit=float(self._params.time_limit),
                objective=self._objective,
                bound=self._bound,
                assigned=self._assigned,
                status=self._status,
                plan_id=self._plan_id,
                error=self._error,
                stopped=bool(stop is not None and stop.is_set()),
            )

    @property
    def running(self) -> bool:
        return self.snapshot().running


class JobRegistry:
    """The solve jobs of one server process, at most one running per round."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[int, SolveJob] = {}

    def start(
        self,
        round_id: int,
        scenario: Scenario,
        params: SolveParams,
        save: SaveFunction | None = None,
        version: object = None,
    ) -> SolveJob:
        """Start a solve of the round.

        Raises
        ------
        JobRunningError
            A solve of the round is still running.
        """
        with self._lock:
            current = self._jobs.get(round_id)
            if current is not None and current.running:
                raise JobRunningError(f"a solve of round {round_id} is already running")
            job = SolveJob(round_id, scenario, params, save, version)
            self._jobs[round_id] = job
        return job.start()

    def get(self, round_id: int) -> SolveJob | None:
        """The round's latest job (running or finished), if any."""
        with self._lock:
            return self._jobs.get(round_id)

    def forget(self, round_id: int) -> None:
        """Drop a finished job of the round (a running one is kept)."""
        with self._lock:
            job = self._jobs.get(round_id)
            if job is not None and not job.running:
                del self._jobs[round_id]

    def running(self) -> list[int]:
        """Rounds with a running solve."""
        with self._lock:
            return [rid for rid, job in self._jobs.items() if job.running]
