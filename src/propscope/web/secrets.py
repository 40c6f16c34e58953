"""Where the server's API key comes from: a file or the environment, never the command line.

A key given as a command-line argument is visible to every local user (``ps``, ``/proc``); a
file readable only by its owner, or ``$PROPSCOPE_API_KEY``, is not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from propscope.errors import InputError

__all__ = ["API_KEY_ENV", "resolve_api_key"]

API_KEY_ENV = "PROPSCOPE_API_KEY"
# Sent in an HTTP header, so visible ASCII only.
_KEY = re.compile(r"[\x21-\x7e]+")


def resolve_api_key(
    key_file: Path | None,
    given: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The key: the first line of ``key_file``, else ``given`` (the deprecated ``--api-key``),
    else ``$PROPSCOPE_API_KEY``; None when there is none (the server is then open)."""
    environ = os.environ if environ is None else environ
    if key_file is not None:
        key, where = _read_key_file(key_file), f"the API key file '{key_file}'"
    elif given:
        key, where = given.strip(), "--api-key"
    else:
        key, where = environ.get(API_KEY_ENV, "").strip(), f"${API_KEY_ENV}"
        if not key:
            return None
    if not _KEY.fullmatch(key):
        raise InputError(
            f"{where} holds no usable key: use letters, digits and punctuation, no spaces "
            "(e.g. the output of `openssl rand -hex 16`)"
        )
    return key


def _read_key_file(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(4097)
    except FileNotFoundError:
        raise InputError(f"cannot read the API key file '{path}': file not found") from None
    except IsADirectoryError:
        raise InputError(f"cannot read the API key file '{path}': it is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read the API key file '{path}': {exc.strerror or exc}") from None
    if len(data) > 4096:
        raise InputError(f"the API key file '{path}' is over 4 KB; it should hold one key")
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"the API key file '{path}' is not text") from None
    key = lines[0].strip() if lines else ""
    if not key:
        raise InputError(f"the API key file '{path}' is empty; put the key on its first line")
    return key
