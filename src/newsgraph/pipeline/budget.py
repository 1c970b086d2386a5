"""The article time budget: what one article may cost, measured as the CPU time of the thread analysing it.

Wall-clock time counts whatever else the machine runs: at two-fold CPU contention an ordinary article takes
twice as long and would be dropped. The CPU time of the analysing thread is the article's own cost (an encoder
whose intra-op threads share the work still runs on the analysing thread for its share). A separate wall-clock
hang guard still ends an article that waits on something forever (a sleep, a lock).

A watchdog thread polls both clocks; when one runs out, or ``cancel()`` is called (an API request that was
answered or whose client left), it raises ArticleTimeout in the analysing thread: in the main thread by a signal
(which also wakes a sleep), elsewhere as Python's asynchronous exception at the thread's next bytecode. Work stuck
inside one C call is left to the worker pool, which replaces the process. An exception raised where Python cannot
propagate it (a garbage-collector callback, a ``__del__``) is lost; so the pipeline also calls ``check_budget()``
between stages, and a block that ends after its budget fired still ends in ArticleTimeout.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from newsgraph.errors import ArticleTimeout

POLL_SECONDS = 0.05
_ACTIVE = threading.local()  # the budgets running in this thread, innermost last


class BudgetExpired(ArticleTimeout):
    """Raised asynchronously inside the analysing thread (no arguments: the message is added where it is caught)."""

    def __init__(self) -> None:
        super().__init__("analysis ran out of its time budget")


def _cpu_clock(thread_id: int) -> Callable[[], float]:
    """Seconds of CPU time of the thread ``thread_id`` so far; wall-clock seconds where the platform cannot say."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock)


def _raise_in(thread_id: int, exc_type: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc_type) if exc_type else None)


class Budget:
    """A running budget for the current thread; ``cancel`` ends the work early from any thread."""

    def __init__(self, cpu_seconds: float, hang_guard: float) -> None:
        self.cpu_seconds = cpu_seconds
        self.hang_guard = hang_guard
        self.thread_id = threading.get_ident()
        self.cpu = _cpu_clock(self.thread_id)
        self.cpu_start = self.cpu()
        self.wall_start = time.monotonic()
        self.reason: str | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = False
        self.by_signal = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_kill")

    @property
    def fired(self) -> bool:
        return self._fired

    def used(self) -> tuple[float, float]:
        """(CPU seconds, wall seconds) spent so far."""
        return self.cpu() - self.cpu_start, time.monotonic() - self.wall_start

    def cancel(self, reason: str) -> None:
        self._fire(reason)

    def _fire(self, reason: str) -> None:
        with self._lock:
            if self._done.is_set() or self._fired:
                return
            self._fired, self.reason = True, reason
            if self.by_signal:
                signal.pthread_kill(self.thread_id, signal.SIGALRM)
            else:
                _raise_in(self.thread_id, BudgetExpired)

    def on_signal(self, _signum: int, _frame: object) -> None:
        if self._fired and not self._done.is_set():
            raise BudgetExpired

    def watch(self) -> None:
        while not self._done.wait(POLL_SECONDS):
            cpu, wall = self.used()
            if self.cpu_seconds > 0 and cpu > self.cpu_seconds:
                self._fire(f"analysis used more than {self.cpu_seconds:g}s of CPU time")
            elif self.hang_guard > 0 and wall > self.hang_guard:
                self._fire(f"analysis ran longer than the {self.hang_guard:g}s hang guard (wall clock)")

    def stop(self) -> None:
        with self._lock:
            self._done.set()
            if self._fired and not self.by_signal:
                _raise_in(self.thread_id, None)  # an exception not yet delivered is not delivered later


def check_budget() -> None:
    """Raise BudgetExpired if a budget running in this thread has fired (its exception may have been lost)."""
    if any(budget.fired for budget in getattr(_ACTIVE, "budgets", ())):
        raise BudgetExpired


@contextmanager
def time_budget(cpu_seconds: float, *, hang_guard: float = 0.0, where: str | None = None) -> Iterator[Budget]:
    """Limit the work inside the block to ``cpu_seconds`` of this thread's CPU time and ``hang_guard`` seconds of
    wall-clock time (0: no limit of that kind); past either, ArticleTimeout (NG105) naming ``where``."""
    budget = Budget(cpu_seconds, hang_guard)
    previous = signal.signal(signal.SIGALRM, budget.on_signal) if budget.by_signal else None
    watchdog = threading.Thread(target=budget.watch, name="newsgraph-budget", daemon=True)
    watchdog.start()
    stack: list[Budget] = _ACTIVE.__dict__.setdefault("budgets", [])
    stack.append(budget)
    try:
        yield budget
        if budget.fired:  # the asynchronous exception was raised where it could not propagate
            raise BudgetExpired
    except BudgetExpired as exc:
        if not budget.fired:  # an enclosing budget's: it is that one's to report
            raise
        raise ArticleTimeout(budget.reason or "analysis ran out of its time budget", where=where) from exc
    finally:
        stack.remove(budget)
        budget.stop()
        watchdog.join()
        if budget.by_signal:  # a signal still in flight finds the budget stopped and does nothing
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
