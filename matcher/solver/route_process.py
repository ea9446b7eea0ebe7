"""The route bound in a child process next to the neighbourhood search (no shared GIL)."""

from __future__ import annotations

import threading
import time
from multiprocessing.connection import Connection

from matcher.scenario.domain import Scenario
from matcher.solver.model import Assignment, prepare
from matcher.solver.route_bound import RouteBound
from matcher.travel import TravelMatrix

# --------------------------------------------------------------------------------------
# In a separate process, next to the neighbourhood search
# --------------------------------------------------------------------------------------


def _child_main(fd: int) -> None:
    """Entry point of the child process: receive the task, run, send each better bound.

    The task comes over the connection on file descriptor ``fd``; a ``None`` message (or
    the parent going away) stops the run; any other message is a better plan whose routes
    become columns.
    """
    conn = Connection(fd)
    try:
        scenario, travel, initial, seconds = conn.recv()
        end = time.monotonic() + seconds
        rb = RouteBound(prepare(scenario, travel), initial)

        def listen() -> None:
            try:
                while (msg := conn.recv()) is not None:
                    rb.offer_plan(msg)
            except (EOFError, OSError):
                pass
            rb.interrupt()

        threading.Thread(target=listen, daemon=True).start()
        rb.run(max(0.0, end - time.monotonic()), on_bound=lambda b: conn.send(("bound", b)))
        conn.send(("done", rb.bound))
    except (EOFError, OSError):  # the parent went away
        pass


class RouteBoundProcess:
    """:class:`RouteBound` in a child process, so it does not share the GIL with the search.

    The child is a fresh interpreter (``python -c``) that talks over a socket pair; it
    does not import the caller's ``__main__``, so this is safe from scripts, the CLI
    (``python -m matcher``) and the Streamlit app alike.

    Parameters
    ----------
    scenario, travel
        The problem (the child prepares its own :class:`~matcher.solver.model.Instance`).
    initial
        Assignments of a first plan, whose routes seed the master.
    seconds
        How long the child may run.

    Raises
    ------
    OSError
        When the child process cannot be started.
    """

    def __init__(
        self,
        scenario: Scenario,
        travel: TravelMatrix,
        initial: list[Assignment],
        seconds: float,
    ) -> None:
        import os
        import socket
        import subprocess
        import sys
        from pathlib import Path

        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        code = (
            "import sys; from matcher.solver.route_process import _child_main; "
            "_child_main(int(sys.argv[1]))"
        )
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            theirs.close()
        self._conn = Connection(ours.detach())
        self.bound: int | None = None
        self.done = False
        try:
            self._conn.send((scenario, travel, initial, seconds))
        except OSError:
            self.stop(0.0)
            raise

    def poll(self) -> int | None:
        """Read what the child sent so far; returns the best bound received."""
        try:
            while not self.done and self._conn.poll():
                kind, value = self._conn.recv()
                if value is not None and (self.bound is None or value > self.bound):
                    self.bound = value
                if kind == "done":
                    self.done = True
        except (EOFError, OSError):
            self.done = True
        return self.bound

    def offer_plan(self, assignments: list[Assignment]) -> None:
        """Send a better plan to the child (its routes become columns)."""
        if self.done:
            return
        try:
            self._conn.send(assignments)
        except OSError:
            self.done = True

    def stop(self, wait: float = 0.3) -> int | None:
        """Ask the child to stop, collect its last bound, and end it."""
        if not self._conn.closed:
            try:
                if not self.done:
                    self._conn.send(None)
            except OSError:
                pass
            limit = time.monotonic() + wait
            while not self.done and self._conn.poll(max(0.0, limit - time.monotonic())):
                self.poll()
            self._conn.close()
        self.done = True
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        return self.bound


__all__ = ["RouteBound", "RouteBoundProcess"]
