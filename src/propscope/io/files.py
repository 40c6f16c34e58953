"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from propscope.errors import PropscopeError

T = TypeVar("T")


def atomic_write(output: Path, write: Callable[[Path], T]) -> T:
    """Run ``write(tmp_path)`` beside ``output``, then rename it into place.

    The temporary file lives in the same folder (same file system), so the final rename is
    atomic: readers see the old file or the complete new one, never a partial one. A link is
    followed (the file it points to gets the new content; the link stays), and a device or a
    pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written into, never replaced by a file.
    An output that cannot be written is a ``PropscopeError`` naming it.
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
    try:
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
    missing or takes no new files), before a command does its work: a typo in ``-o`` failed
    only after every article had been analysed. ``None`` is standard output."""
    if output is None:
        return
    output = Path(output).expanduser()
    mode = _output_mode(output)
    if mode is not None and not stat.S_ISREG(mode):
        return  # a device or a pipe: written into when the time comes
    _check_folder(output, output.resolve() if output.is_symlink() else output)


def _output_mode(output: Path) -> int | None:
    """The mode of what ``output`` names (following links), None where nothing is; a
    folder is refused."""
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
