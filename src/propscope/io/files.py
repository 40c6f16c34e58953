"""Writing output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from propscope.errors import PropscopeError

T = TypeVar("T")


def atomic_write(output: Path, write: Callable[[Path], T]) -> T:
    """Run ``write(tmp_path)`` beside ``output``, then rename it into place.

    The temporary file lives in the same folder (same file system), so the final rename is
    atomic: readers see the old file or the complete new one, never a partial one.
    """
    output = Path(output).expanduser()
    if output.is_dir():
        raise PropscopeError(f"--output '{output}' is a directory; give a file name")
    if not output.parent.exists():
        raise PropscopeError(f"cannot write '{output}': folder '{output.parent}' does not exist")
    handle, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    os.close(handle)
    try:
        result = write(Path(tmp))
        os.chmod(tmp, _mode_for(output))  # mkstemp makes 0600; give the file usual permissions
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


def _mode_for(output: Path) -> int:
    """The mode a plain ``open(output, "w")`` would give: the old file's, else umask's."""
    if output.exists():
        return output.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_text(output: Path, content: str) -> None:
    """Write ``content`` as UTF-8 (newlines untouched) with ``atomic_write``."""

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)

    atomic_write(output, write)
