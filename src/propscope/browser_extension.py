"""The browser extension's files, its fixed ID, and the origins a server admits for it.

The extension lives in ``extension/`` at the top of the source tree (plain files, no build
step). Its manifest carries a public ``key``, so every unpacked copy has the same Chromium ID
and ``propscope serve --allow-extension ID`` can name it in advance.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from propscope import __version__
from propscope.errors import InputError
from propscope.io.files import check_path

__all__ = [
    "WrittenExtension",
    "extension_dir",
    "extension_id",
    "extension_origin",
    "manifest_version",
    "write_extension",
]

_CHROME_ID = re.compile(r"[a-p]{32}")
# Firefox gives each installation a random UUID; its origin is moz-extension://UUID.
_FIREFOX_ORIGIN = re.compile(r"moz-extension://[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")
# The files a browser loads; anything else in the folder (notes, editor files) stays behind.
_SUFFIXES = {".js", ".json", ".html", ".css", ".png"}
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same files give the same zip


def extension_dir() -> Path:
    """The extension's source folder (``extension/`` beside ``src/``)."""
    folder = Path(__file__).resolve().parents[2] / "extension"
    if not (folder / "manifest.json").is_file():
        raise InputError(
            f"the extension's files are not at {folder}: "
            "`propscope extension` needs a source checkout of propscope"
        )
    return folder


def extension_id(manifest: dict | None = None) -> str:
    """Chromium's ID for an extension with this manifest's ``key``: the first 128 bits of the
    SHA-256 of the public key, written with the letters a-p."""
    manifest = manifest if manifest is not None else _read_manifest(extension_dir())
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def extension_origin(value: str) -> str:
    """The origin to admit for ``--allow-extension``: a Chromium ID (32 letters a-p) or an
    origin (``chrome-extension://ID``, ``moz-extension://UUID``); InputError otherwise."""
    given = value.strip().rstrip("/").lower()
    if _CHROME_ID.fullmatch(given):
        return f"chrome-extension://{given}"
    if given.startswith("chrome-extension://") and _CHROME_ID.fullmatch(given[19:]):
        return given
    if _FIREFOX_ORIGIN.fullmatch(given):
        return given
    raise InputError(
        f"'{value}' is not an extension ID: give the 32-letter ID shown on chrome://extensions "
        "(letters a-p), or an origin such as moz-extension://UUID"
    )


def manifest_version(version: str = __version__) -> str:
    """The package version as a manifest ``version`` (1 to 4 dot-separated integers)."""
    numbers = re.findall(r"\d+", version.split("+", 1)[0])[:4]
    return ".".join(str(int(n)) for n in numbers) or "0"


@dataclass(frozen=True)
class WrittenExtension:
    folder: Path
    zip_path: Path
    extension_id: str
    version: str


def write_extension(output: Path) -> WrittenExtension:
    """Write ``propscope-extension-VERSION/`` (load unpacked) and the same files as a ``.zip``
    into ``output``, with the package version in the manifest. Both are built aside and moved
    into place when complete, replacing an earlier copy of the same version.

    Everything is checked before anything is written: a target name that is taken by
    something other than an earlier output of this command (a file or a symbolic link where
    the folder goes, a folder where the zip goes, a folder that is not the extension) is an
    InputError, and nothing is changed or deleted."""
    source = extension_dir()
    manifest = _read_manifest(source)
    manifest["version"] = manifest_version()
    manifest["version_name"] = __version__
    check_path(output, output=True)  # exists() raises for a name too long (and more)
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} exists and is not a folder")
    name = f"propscope-extension-{__version__}"
    folder, zip_path = output / name, output / f"{name}.zip"
    _check_replaceable_folder(folder, manifest["key"])
    _check_replaceable_zip(zip_path, manifest["key"])
    files = sorted(
        p
        for p in source.rglob("*")
        if p.is_file() and p.suffix in _SUFFIXES and p.name != "manifest.json"
    )
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=output))
    except OSError as exc:
        raise InputError(f"cannot write into {output}: {exc.strerror or exc}") from None
    try:
        built = staging / name
        built.mkdir()
        contents = {"manifest.json": (json.dumps(manifest, indent=2) + "\n").encode()}
        contents.update({p.relative_to(source).as_posix(): p.read_bytes() for p in files})
        for relative, data in contents.items():
            target = built / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        with zipfile.ZipFile(staging / "extension.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for relative in sorted(contents):
                info = zipfile.ZipInfo(relative, date_time=_ZIP_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, contents[relative])
        for path in (built, *built.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (staging / "extension.zip").chmod(0o644)
        _move_into_place(built, staging / "extension.zip", folder, zip_path, staging / "old")
    except OSError as exc:
        raise InputError(f"cannot write the extension into {output}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WrittenExtension(folder, zip_path, extension_id(manifest), manifest["version"])


def _check_replaceable_folder(folder: Path, key: str) -> None:
    """InputError unless ``folder`` is free or an earlier output of write_extension: a real
    folder (not a link) holding a manifest with this extension's key and only the kinds of
    files the extension is made of (so nothing of the user's is deleted with it)."""
    if not os.path.lexists(folder):
        return
    refusal = f"{folder} exists and is not an earlier propscope extension; move it away first"
    if folder.is_symlink() or not folder.is_dir():
        raise InputError(refusal)
    try:
        if json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("key") != key:
            raise InputError(refusal)
        for path in folder.rglob("*"):
            if path.is_symlink() or not (path.is_dir() or path.suffix in _SUFFIXES):
                raise InputError(refusal)
    except (OSError, ValueError, AttributeError):
        raise InputError(refusal) from None


def _check_replaceable_zip(zip_path: Path, key: str) -> None:
    """InputError unless ``zip_path`` is free or a zip written by write_extension (a plain
    file, not a link, whose manifest has this extension's key)."""
    if not os.path.lexists(zip_path):
        return
    refusal = f"{zip_path} exists and is not an earlier propscope extension zip; move it away first"
    if zip_path.is_symlink() or not zip_path.is_file():
        raise InputError(refusal)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("key") != key:
            raise InputError(refusal)
    except (OSError, ValueError, KeyError, AttributeError, zipfile.BadZipFile):
        raise InputError(refusal) from None


def _move_into_place(built: Path, built_zip: Path, folder: Path, zip_path: Path, old: Path):
    """Replace ``folder`` and ``zip_path`` with the built ones; the earlier folder is moved
    aside (to ``old``, in the staging folder) and put back if the zip cannot be placed."""
    had_folder = folder.exists()
    if had_folder:
        os.replace(folder, old)
    try:
        os.replace(built, folder)
        try:
            os.replace(built_zip, zip_path)
        except OSError:
            os.replace(folder, built)
            raise
    except OSError:
        if had_folder:
            os.replace(old, folder)
        raise


def _read_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
