"""Models that survive ``fork()``: a forked child runs torch on one thread.

torch's OpenMP thread pool does not survive a fork: a child that runs a model after its
parent used the pool (or only loaded a model: rebuilding the e5 encoder runs parallel ops)
waits forever for threads it does not have. That is how ``multiprocessing``'s default
``fork`` context on Linux and ``gunicorn --preload`` start their workers. Every loader of a
torch model calls ``guard_forks()``, so each path (``analyze()``, ``load_model()``, the
spaCy component, the genre and frame encoder) is covered; the guard is registered once per
process however often it is called.

A lock that guards a model cache is made with ``fork_safe_lock()``: a child forked while
another thread of its parent held such a lock gets it free (the holder is not in the child,
so the lock would stay held and the child's first load would wait forever).
"""

from __future__ import annotations

import os
import threading
import weakref

_registered = False
_lock = threading.Lock()


def one_torch_thread() -> None:
    """In a forked child: torch on one thread (the parent's pool is gone)."""
    import torch

    torch.set_num_threads(1)


def guard_forks() -> None:
    """Register ``one_torch_thread`` to run in every child this process forks (idempotent)."""
    global _registered
    if _registered or not hasattr(os, "register_at_fork"):
        return
    with _lock:
        if not _registered:
            os.register_at_fork(after_in_child=one_torch_thread)
            _registered = True


class ForkSafeLock:
    """A ``threading.Lock`` that a forked child gets anew, free (`fork_safe_lock`)."""

    __slots__ = ("_lock", "__weakref__")

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


_FORK_SAFE: weakref.WeakSet[ForkSafeLock] = weakref.WeakSet()


def fork_safe_lock() -> ForkSafeLock:
    """A lock for a model cache that a forked child gets free, whoever held it at the fork."""
    lock = ForkSafeLock()
    _FORK_SAFE.add(lock)
    return lock


def _renew_locks() -> None:
    """In a forked child: every fork-safe lock anew (one a parent thread held stays held)."""
    for lock in list(_FORK_SAFE):
        lock._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_locks)
