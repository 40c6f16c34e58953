"""Models that survive ``fork()``: a forked child runs torch on one thread.

torch's OpenMP thread pool does not survive a fork: a child that runs a model after its
parent used the pool (or only loaded a model: rebuilding the e5 encoder runs parallel ops)
waits forever for threads it does not have. That is how ``multiprocessing``'s default
``fork`` context on Linux and ``gunicorn --preload`` start their workers. Every loader of a
torch model calls ``guard_forks()``, so each path (``analyze()``, ``load_model()``, the
spaCy component, the genre and frame encoder) is covered; the guard is registered once per
process however often it is called.
"""

from __future__ import annotations

import os
import threading

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
