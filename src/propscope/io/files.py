"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from propscope.errors import InputError, PropscopeError

T = TypeVar("T")

# Linux's limits, and most file systems': a file or folder name of at most 255 bytes, a
# path of at most 4,095 (longer ones are ENAMETOOLONG)
NAME_MAX = 255
PATH_MAX = 4096


def check_path(path: str | os.PathLike[str], *, output: bool = False) -> None:
    """Refuse, in one line, a path the OS will not even look up: a name too long for the
    file system (ENAMETOOLONG), a folder on the way that may not be entered. Python 3.11's
    ``Path.exists()`` and ``is_dir()`` raise for these: a traceback wherever a command first
    looked at an input or an output. A path that is missing passes (the caller names it in
    its own words). ``output``: the path is to be written."""
    raw = os.fsencode(path)
    long_part = next((part for part in raw.split(b"/") if len(part) > NAME_MAX), None)
    reason = None
    if long_part is not None:
        reason = (
            f"a file or folder name of {len(long_part)} bytes, longer than the {NAME_MAX} "
            "bytes a name may have"
        )
    elif len(raw) >= PATH_MAX:
        reason = f"a path of {len(raw)} bytes, longer than the {PATH_MAX - 1} a path may have"
    else:
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno not in _LOOKUP_ERRORS_SAID_LATER:
                reason = os_reason(exc)
    if reason is None:
        return
    shown = shortened(path)
    if output:
        raise PropscopeError(f"cannot write '{shown}': {reason}; give another --output")
    raise InputError(f"cannot read '{shown}': {reason}")


# what Path.is_dir() and exists() take as "no such folder": the callers say it in their words
_LOOKUP_ERRORS_SAID_LATER = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def shortened(path: str | os.PathLike[str]) -> str:
    """``path`` for a message, each name of it over 40 characters cut to its first 24 and
    last 8 (and the whole to 200 characters): a name too long for the file system filled
    the screen."""
    parts = [p if len(p) <= 40 else f"{p[:24]}…{p[-8:]}" for p in os.fsdecode(path).split("/")]
    shown = "/".join(parts)
    return shown if len(shown) <= 200 else f"{shown[:120]}…{shown[-60:]}"


def is_folder(path: Path) -> bool:
    """``path.is_dir()``, False (not an exception) for a path the OS cannot even look at (a
    name too long, a folder on the way that may not be entered): reading it says why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def temp_prefix(name: str, suffix: str = ".tmp") -> str:
    """``.NAME.``, the prefix of a hidden temporary file or folder beside ``NAME``, with
    ``NAME`` cut so that the whole (``mkstemp`` adds 8 characters and ``suffix``) is still a
    name the file system takes: a 250-byte --output that may be written failed for its
    temporary file's name."""
    room = NAME_MAX - len(os.fsencode(f"..{suffix}")) - 8
    # bytes cut inside a character come back as the same bytes (surrogateescape)
    return f".{os.fsdecode(os.fsencode(name)[:room])}."


def atomic_write(output: Path, write: Callable[[Path], T]) -> T:
    """Run ``write(tmp_path)`` beside ``output``, then rename it into place.

    The temporary file lives in the same folder (same file system), so the final rename is
    atomic: readers see the old file or the complete new one, never a partial one. A link is
    followed (the file it points to gets the new content; the link stays), and a device or a
    pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written into, never replaced by a file.
    An output that cannot be written, or a write-protected file (which a shell's ``>`` would
    not replace either), is a ``PropscopeError`` naming it.
    """
    output = Path(output).expanduser()
    mode = _output_mode(output)
    if mode is not None and not stat.S_ISREG(mode):
        try:
            return write(output)  # a stream: there is no half-written file to leave behind
        except OSError as exc:
            raise _write_error(output, exc) from None
    target = output.resolve() if output.is_symlink() else output
    _check_folder(output, target)
    _check_writable(output, target, mode)
    try:
        handle, tmp = tempfile.mkstemp(
            dir=target.parent, prefix=temp_prefix(target.name), suffix=".tmp"
        )
    except OSError as exc:
        raise _write_error(output, exc) from None
    os.close(handle)
    try:
        result = write(Path(tmp))
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; give the file usual permissions
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(output, exc) from None
        raise
    return result


def check_output_file(output: Path | None) -> None:
    """Refuse an output file that `atomic_write` would refuse (a folder, or a folder that is
    missing or takes no new files, a write-protected file), before a command does its work:
    a typo in ``-o`` failed only after every article had been analysed. ``None`` is standard
    output."""
    if output is None:
        return
    output = Path(output).expanduser()
    mode = _output_mode(output)
    if mode is not None and not stat.S_ISREG(mode):
        return  # a device or a pipe: written into when the time comes
    target = output.resolve() if output.is_symlink() else output
    _check_folder(output, target)
    _check_writable(output, target, mode)


def _output_mode(output: Path) -> int | None:
    """The mode of what ``output`` names (following links), None where nothing is; a
    folder, and a path the OS will not look up (a name too long), are refused."""
    check_path(output, output=True)
    try:
        mode: int | None = os.stat(output).st_mode  # follows links, like open() would
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _write_error(output, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise PropscopeError(f"--output '{output}' is a directory; give a file name")
    return mode


def _check_folder(output: Path, target: Path) -> None:
    """The folder a new file is made in must exist and take new files."""
    if not target.parent.exists():
        raise PropscopeError(
            f"cannot write '{output}': folder '{target.parent}' does not exist; create it or "
            "give another --output"
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise _write_error(output, PermissionError(13, "Permission denied"))


def _check_writable(output: Path, target: Path, mode: int | None) -> None:
    """Refuse to replace a file its owner made read-only (``chmod 444``): the rename over it
    needs only the folder's permission, and replaced it silently. Root may write any file, so
    a file that no one may write (no write bit) is refused for root too."""
    if mode is None:
        return
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise PropscopeError(
            f"cannot write '{output}': the file is write-protected; give another --output or "
            "make it writable"
        )


def os_reason(exc: OSError) -> str:
    """An OS error's reason for a one-line message ("permission denied", "No space left on
    device", ...)."""
    return "permission denied" if isinstance(exc, PermissionError) else str(exc.strerror or exc)


def _write_error(output: Path, exc: OSError) -> PropscopeError:
    """One line for an OS error while writing ``output`` (permission, full disk, ...)."""
    return PropscopeError(f"cannot write '{output}': {os_reason(exc)}; give another --output")


def usual_mode(folder: bool = False) -> int:
    """The mode a plain ``open(path, "w")`` (or ``mkdir``) gives under the process's umask;
    ``mkstemp`` and ``mkdtemp`` make 0600 and 0700."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


def _mode_for(output: Path) -> int:
    """The mode a plain ``open(output, "w")`` would give: the old file's, else umask's."""
    if output.exists():
        return output.stat().st_mode & 0o777
    return usual_mode()


def atomic_write_text(output: Path, content: str) -> None:
    """Write ``content`` as UTF-8 (newlines untouched) with ``atomic_write``."""

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)

    atomic_write(output, write)
