"""Helpers for tests of hostile or broken inputs: the CLI run in-process, unreadable paths,
and a guard on hangs."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def unreadable(path: Path) -> Iterator[None]:
    """Inside the block, ``path`` (a file or a folder) cannot be read by this process.

    ``chmod 000`` is enough for a normal user; root reads through it, so for root opening
    or listing that path fails with EACCES as the OS would make it fail (CI runs the tests
    as root, and they must be able to fail there too).
    """
    import pytest

    mode = path.stat().st_mode
    path.chmod(0)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            if os.access(path, os.R_OK):  # root
                _refuse_opening(os.fspath(path), monkeypatch)
            yield
    finally:
        path.chmod(mode)


def _refuse_opening(target: str, monkeypatch: Any) -> None:
    real_open, real_scandir = os.open, os.scandir

    def refused(name: Any) -> bool:
        return isinstance(name, str | os.PathLike) and os.fspath(name) == target

    def fake_open(name: Any, *args: Any, **kwargs: Any) -> int:
        if refused(name):
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real_open(name, *args, **kwargs)

    def fake_scandir(name: Any = ".") -> Any:
        if refused(name):
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real_scandir(name)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


@contextmanager
def no_hang(seconds: int = 10) -> Iterator[None]:
    """Fail (instead of hanging the test run) when the block takes longer than ``seconds``."""

    def alarm(*_: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


SHORT = "The council approved the new bridge budget on Tuesday after a long debate.\n"


def run(*args: str) -> Any:
    """``propscope ARGS`` run in-process (typer's CliRunner), its result."""
    from typer.testing import CliRunner

    from propscope.cli import app

    return CliRunner().invoke(app, list(args))


def error_lines(result: Any) -> list[str]:
    """The non-blank lines a command wrote to stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]
