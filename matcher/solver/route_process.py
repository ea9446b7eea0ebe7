"""The route bound in a child process next to the neighbourhood search (no shared GIL)."""

from __future__ import annotations

import random
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from matcher.scenario.domain import Scenario
from matcher.solver.bounds import cheap_bound
from matcher.solver.model import Assignment, prepare, score
from matcher.solver.route_bound import RouteBound
from matcher.solver.route_master import best_route_state
from matcher.solver.search import alns
from matcher.solver.search_state import SearchState
from matcher.travel import TravelMatrix

# --------------------------------------------------------------------------------------
# In a separate process, next to the neighbourhood search
# --------------------------------------------------------------------------------------


FIRST_SHARE = 0.6
"""Share of its time the child gives column generation before the first integer master
(it stops sooner when the generation converges)."""
MASTER_SECONDS = 5.0
"""Most seconds of one integer master solve in the child (or a tenth of its time when
that is more: long runs let CP-SAT finish the harder masters of weeks with joint visits)."""


FULL_MASTER_MAX_TOURS = 300
"""Above this many tours the integer master is solved one day at a time (the other days
keep their routes), because the whole master is too large for the time."""
DAY_MASTER_SECONDS = 3.0
"""Most seconds of one day's integer master."""
SEND_EVERY = 0.5
"""Least seconds between two plans the child's own search sends."""


class _ChildMaster:
    """The child's integer master runs: the best plan known to the child (its own or the
    search's latest, whichever is better) and each plan made of the columns that beats
    it, sent to the parent."""

    def __init__(
        self, rb: RouteBound, latest: list[list[Assignment]], conn: Connection, seconds: float
    ) -> None:
        self.rb = rb
        self.latest = latest
        self.conn = conn
        self.seconds = seconds
        self.best = latest[0]
        self.best_cost = score(rb.inst, self.best).total
        self.whole = len(rb.inst.tours) <= FULL_MASTER_MAX_TOURS
        self.days = sorted({ti.day for ti in rb.inst.tours})

    def offer(self, st: SearchState | None) -> None:
        """Send ``st`` when it beats the best plan the child knows (its routes become
        columns)."""
        if st is not None and (cost := st.total()) < self.best_cost:
            self.best, self.best_cost = st.assignments(), cost
            self.rb.offer_plan(self.best)
            self.conn.send(("plan", self.best))

    def adopt_latest(self) -> bool:
        """Take the search's latest plan as the best when it is better; whether it was."""
        got = self.latest[0]
        if got is not self.best and (cost := score(self.rb.inst, got).total) < self.best_cost:
            self.best, self.best_cost = got, cost
            return True
        return False

    def sweep(self, end: float) -> None:
        """The whole master once, or (on large weeks) each day's master once."""
        self.adopt_latest()
        left = end - time.monotonic()
        if self.whole:
            limit = min(max(MASTER_SECONDS, 0.1 * self.seconds), 0.5 * left)
            self.offer(best_route_state(self.rb, limit, self.best))
            return
        tours = self.rb.inst.tours
        for d in self.days:
            left = end - time.monotonic()
            if left < 0.5 or self.rb._stop.is_set():
                return
            free = {t for t, ti in enumerate(tours) if ti.day == d}
            limit = min(DAY_MASTER_SECONDS, 0.5 * left)
            self.offer(best_route_state(self.rb, limit, self.best, free_tours=free))


class _ChildSearch:
    """The child's own neighbourhood search, once the column generation has converged (on
    weeks of up to about a hundred requests that takes a few seconds, and the child's core
    would then wait for news): an :func:`~matcher.solver.search.alns` with its own random
    seed from the best plan the child knows, to the end of the child's time.

    It sends the plans that beat the best the child knows (through :class:`_ChildMaster`,
    so their routes also become columns), goes on from the main search's plans when they
    are better, and between two steps (the search's ``polish`` hook) solves the integer
    master again when the main search has sent a plan better than the child's best.
    """

    def __init__(self, master: _ChildMaster, news: threading.Event, seed: int) -> None:
        self.master = master
        self.news = news
        self.rng = random.Random(seed)
        self.seen: list[Assignment] | None = None
        """The plan the search last started from or sent."""
        self.latest_seen: list[Assignment] | None = None

    def _incoming(self) -> SearchState | None:
        """The best plan the child knows, when the search has not seen it yet."""
        m = self.master
        if m.latest[0] is not self.latest_seen:  # score a plan of the main search once
            self.latest_seen = m.latest[0]
            m.adopt_latest()
        if m.best is self.seen:
            return None
        self.seen = m.best
        return SearchState.from_assignments(m.rb.inst, m.best)

    def master_on_news(self, st: SearchState, until: float) -> None:
        """When the main search has sent news, and its plan beats the child's best (not an
        echo of this search's own plan), solve the integer master again (within
        ``until``); a better plan comes back through :meth:`_incoming`."""
        if not self.news.is_set():
            return
        self.news.clear()
        m = self.master
        m.offer(st)
        self.seen = m.best
        if m.adopt_latest():
            m.sweep(until)

    def run(self, until: float) -> None:
        """Search until ``until`` or the child's stop."""
        m = self.master
        start = self._incoming() or SearchState.from_assignments(m.rb.inst, m.best)
        last = [time.monotonic()]

        def improved(st: SearchState, _cost: int) -> None:
            if time.monotonic() - last[0] >= SEND_EVERY:
                m.offer(st)
                self.seen = m.best
                last[0] = time.monotonic()

        def polish(st: SearchState, _rng: random.Random) -> None:
            self.master_on_news(st, until)

        def stop(_it: int) -> bool:
            return time.monotonic() >= until or m.rb._stop.is_set()

        best = alns(start, self.rng, stop, improved, polish, self._incoming)
        m.offer(best)


class _Inbox:
    """The child's reader of the parent's messages, started before anything else so that
    the parent never waits on a full pipe (the route bound's set-up takes 15 s on 1 000
    requests; the search's sends blocked that long before). Messages that come before the
    route bound exists are kept and handed to it by :meth:`attach`."""

    def __init__(self, latest: list[list[Assignment]], news: threading.Event) -> None:
        self.latest = latest
        self.news = news
        self.rb: RouteBound | None = None
        self.early: list[Any] = []
        self.gone = False
        self._lock = threading.Lock()

    def _deliver(self, rb: RouteBound, msg: Any) -> None:
        if isinstance(msg, tuple):  # ("routes", routes of the search's pool)
            rb.offer_routes(msg[1])
            return
        rb.offer_plan(msg)
        self.latest[0] = msg
        self.news.set()

    def listen(self, conn: Connection) -> None:
        """Read until the parent says stop (``None``) or goes away."""
        try:
            while (msg := conn.recv()) is not None:
                with self._lock:
                    if self.rb is None:
                        self.early.append(msg)
                    else:
                        self._deliver(self.rb, msg)
        except (EOFError, OSError):
            pass
        with self._lock:
            self.gone = True
            if self.rb is not None:
                self.rb.interrupt()
        self.news.set()

    def attach(self, rb: RouteBound) -> None:
        """Hand the messages so far to ``rb``, and the later ones as they come (``rb`` is
        interrupted at once when the parent has already stopped)."""
        with self._lock:
            for msg in self.early:
                self._deliver(rb, msg)
            self.early.clear()
            self.rb = rb
            if self.gone:
                rb.interrupt()


def _child_main(fd: int) -> None:
    """Entry point of the child process: receive the task, run, send what it finds.

    The task comes over the connection on file descriptor ``fd``; a ``None`` message (or
    the parent going away) stops the run; ``("routes", routes)`` brings routes of the
    search's pool (:mod:`matcher.solver.route_pool`), and any other message is a better
    plan; both become columns. The child sends ``("bound", b)`` for every better bound, ``("plan",
    assignments)`` for every plan the integer route master
    (:func:`matcher.solver.route_master.best_route_state`) makes of the columns, and
    ``("done", bound)`` at the end. The parent's messages are read from the start
    (:class:`_Inbox`). Asked for it, the child first sends the cheap bounds
    (:func:`~matcher.solver.bounds.cheap_bound`). Column generation runs next; after it
    converges (or after :data:`FIRST_SHARE` of the time) the integer master is solved (whole, or one
    day at a time above :data:`FULL_MASTER_MAX_TOURS` tours), again whenever the search
    has sent new plans (their routes are new columns), while the generation goes on if it
    has not converged. Once it has, the child searches on its own (:class:`_ChildSearch`)
    to the end. Only plans better than the best the child knows are sent.
    """
    conn = Connection(fd)
    try:
        scenario, travel, initial, seconds, seed, with_cheap_bound = conn.recv()
        end = time.monotonic() + seconds
        latest = [initial]
        news = threading.Event()
        inbox = _Inbox(latest, news)
        threading.Thread(target=inbox.listen, args=(conn,), daemon=True).start()

        def send_bound(b: int) -> None:
            conn.send(("bound", b))

        inst = prepare(scenario, travel)
        if with_cheap_bound:
            send_bound(cheap_bound(inst, end - time.monotonic()))
        rb = RouteBound(inst, initial)
        inbox.attach(rb)
        rb.run(FIRST_SHARE * max(0.0, end - time.monotonic()), on_bound=send_bound)
        master = _ChildMaster(rb, latest, conn, seconds)
        while not rb._stop.is_set() and (left := end - time.monotonic()) > 0.3:
            news.clear()
            master.sweep(end)
            left = end - time.monotonic()
            if not rb.converged:
                rb.run(min(left, max(1.0, 0.5 * left)), on_bound=send_bound)
            else:
                if not master.whole:
                    continue  # more neighbourhoods to try
                # Converged: search on its own to the end.
                _ChildSearch(master, news, seed).run(end - 0.3)
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
    seed
        Random seed of the child's own search (:class:`_ChildSearch`).
    cheap_bound
        Whether the child first computes the cheap bounds
        (:func:`~matcher.solver.bounds.cheap_bound`) and sends them, before the route bound.

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
        seed: int = 0,
        cheap_bound: bool = False,
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
        self.plans: list[list[Assignment]] = []
        """Plans the child's integer route master made, not yet taken (:meth:`take_plans`)."""
        try:
            self._conn.send((scenario, travel, initial, seconds, seed, cheap_bound))
        except OSError:
            self.stop(0.0)
            raise

    def poll(self, timeout: float = 0.0) -> int | None:
        """Read what the child sent so far (waiting up to ``timeout`` seconds for the first
        message); returns the best bound received."""
        try:
            if timeout > 0 and not self.done:
                self._conn.poll(timeout)
            while not self.done and self._conn.poll():
                kind, value = self._conn.recv()
                if kind == "plan":
                    self.plans.append(value)
                    continue
                if value is not None and (self.bound is None or value > self.bound):
                    self.bound = value
                if kind == "done":
                    self.done = True
        except (EOFError, OSError):
            self.done = True
        return self.bound

    def take_plans(self) -> list[list[Assignment]]:
        """The plans received since the last call (read :meth:`poll` first)."""
        out, self.plans = self.plans, []
        return out

    def offer_plan(self, assignments: list[Assignment]) -> None:
        """Send a better plan to the child (its routes become columns)."""
        if self.done:
            return
        try:
            self._conn.send(assignments)
        except OSError:
            self.done = True

    def offer_routes(self, found: list[tuple[int, tuple[int, ...]]]) -> None:
        """Send routes the search went through, ``(tour, requests in order)``, to the child
        (they become columns)."""
        if self.done:
            return
        try:
            self._conn.send(("routes", found))
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
