"""A bounded pool of analysis threads with a bounded waiting line, shortest text first.

Why this shape (measured on 2 cores, see docs/web.md): one analysis takes about 0.1 ms per
character, so a 100,000-character text holds a worker for ~10 s while the bundled 2,700-character
example takes under 1 s. Two analyses in two threads share the cores well (torch releases the
GIL), so a long text must simply never take the last free worker: long texts get at most
``workers - 1`` workers, short ones may use all, and the waiting line is served by expected
finish (arrival time plus ~0.1 ms per character): shortest first among texts that arrive
together, yet a text that has waited is not starved by a stream of shorter ones.
When the line is full a request is refused at once (503 with Retry-After) instead of piling up.
Long texts also run in threads of lower CPU priority (5 steps nicer, Linux), so while one runs the
short ones still get most of the cores.

Identical texts submitted together are analysed once: :meth:`AnalysisPool.shared` runs the work
in a task of its own that every caller awaits (a caller that goes away does not cancel it).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio

__all__ = ["RETRY_AFTER_S", "AnalysisPool", "QueueFull"]

T = TypeVar("T")
RETRY_AFTER_S = 5
SECONDS_PER_CHAR = 1e-4  # measured: ~0.1 ms per character on 2 cores
LONG_NICENESS = 5


def _lower_priority() -> None:
    """Make the calling thread (and the torch threads it starts) yield to the others."""
    try:
        thread = threading.get_native_id()
        niceness = os.getpriority(os.PRIO_PROCESS, thread) + LONG_NICENESS
        os.setpriority(os.PRIO_PROCESS, thread, min(19, niceness))
    except (AttributeError, OSError):  # not Linux, or not allowed: same priority, still bounded
        pass


class QueueFull(Exception):
    """Every worker is busy and the waiting line is full."""


@dataclass(order=True)
class _Waiter:
    due: float  # arrival + expected analysis time: the order of the line
    seq: int
    long: bool = field(compare=False)
    granted: asyncio.Future = field(compare=False)


class AnalysisPool:
    """Runs blocking analyses in at most ``workers`` threads; at most ``queue_size`` wait.

    Texts over ``long_chars`` characters use at most ``workers - 1`` threads (at least one), so
    with two or more workers a short text never waits behind long ones.
    """

    def __init__(self, workers: int = 2, queue_size: int = 16, long_chars: int = 20_000) -> None:
        self.workers = max(1, workers)
        self.queue_size = max(0, queue_size)
        self.long_chars = long_chars
        self.long_workers = max(1, self.workers - 1)
        self.running = 0
        self.running_long = 0
        self._waiting: list[_Waiter] = []
        self._seq = itertools.count()
        self._inflight: dict[str, asyncio.Future] = {}
        self._long_threads: ThreadPoolExecutor | None = None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def run(self, size: int, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker thread once a worker is free; ``size`` is its length in
        characters (with the arrival time, it orders the line). Raises :class:`QueueFull`
        when it cannot wait."""
        long = size > self.long_chars
        await self._acquire(size, long)
        if not long:
            try:  # a cancelled caller still waits here until the thread is done
                return await anyio.to_thread.run_sync(fn, *args)
            finally:
                self._release(long)
        try:
            future = asyncio.get_running_loop().run_in_executor(self._long_executor(), fn, *args)
        except BaseException:
            self._release(long)
            raise
        # The worker is free when the thread is done, even if the caller went away before.
        future.add_done_callback(lambda _: self._release(long))
        return await asyncio.shield(future)

    def _long_executor(self) -> ThreadPoolExecutor:
        if self._long_threads is None:
            self._long_threads = ThreadPoolExecutor(
                self.long_workers, "propscope-long", initializer=_lower_priority
            )
        return self._long_threads

    def close(self) -> None:
        """Let the long-text threads end once their work is done (at server shutdown)."""
        if self._long_threads is not None:
            self._long_threads.shutdown(wait=False)
            self._long_threads = None

    async def shared(self, key: str, work: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """Run ``work()`` once for every concurrent caller with the same ``key``.

        Returns the result and True for the caller that started it, False for the others.
        """
        task = self._inflight.get(key)
        first = task is None
        if task is None:
            task = asyncio.ensure_future(work())
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(task), first

    def _finished(self, key: str, task: asyncio.Future) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" warning when every caller left

    # --- slots ------------------------------------------------------------------------------

    def _free(self, long: bool) -> bool:
        return self.running < self.workers and (not long or self.running_long < self.long_workers)

    def _take(self, long: bool) -> None:
        self.running += 1
        self.running_long += long

    async def _acquire(self, size: int, long: bool) -> None:
        # A free slot means no waiter could use it (releases hand slots over at once).
        if self._free(long):
            self._take(long)
            return
        if len(self._waiting) >= self.queue_size:
            raise QueueFull(
                f"the server is busy: {self.running} analyses running and {len(self._waiting)} "
                f"waiting; retry in {RETRY_AFTER_S} seconds"
            )
        loop = asyncio.get_running_loop()
        due = loop.time() + size * SECONDS_PER_CHAR
        waiter = _Waiter(due, next(self._seq), long, loop.create_future())
        self._waiting.append(waiter)
        try:
            await waiter.granted
        except BaseException:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            elif not waiter.granted.cancelled():
                self._release(long)  # granted, then cancelled before it could start
            raise

    def _release(self, long: bool) -> None:
        self.running -= 1
        self.running_long -= long
        for waiter in sorted(self._waiting):
            if waiter.granted.done():  # its caller was cancelled while waiting
                self._waiting.remove(waiter)
            elif self._free(waiter.long):
                self._waiting.remove(waiter)
                self._take(waiter.long)
                waiter.granted.set_result(None)


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas for this process (call before any thread starts).

    glibc gives busy threads arenas of their own (up to 8 per core); after one huge text the
    freed memory stays scattered over them and the server's RSS kept creeping (soak: +166 MB
    over the second half, peak 2.37 GB). With 2 arenas the same soak peaked at 1.97 GB and
    stayed flat, at the same latency. Returns False where there is no glibc (nothing done)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(-8, arenas))  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc (musl, macOS): no such knob
        return False
