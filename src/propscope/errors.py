"""One exception family whose messages tell the user what was wrong and what to do."""

from __future__ import annotations


class PropscopeError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits with code 2."""


class InputError(PropscopeError):
    """The input (file, directory, URL, text) cannot be read or is not an article.

    ``record`` is the id of the corpus record it is about, where the record gave one (a
    failure is stored with it: ``WHERE record = 'e'`` finds an empty text's record)."""

    record: str | None = None


class TooLongError(InputError):
    """A text longer than the limit it was read under (the web server answers 413)."""

    def __init__(self, message: str, chars: int, limit: int) -> None:
        super().__init__(message)
        self.chars, self.limit = chars, limit

    def __reduce__(self):  # raised in a worker process, it crosses back pickled
        return type(self), (str(self), self.chars, self.limit)


class FormatError(PropscopeError):
    """A label, submission or template file does not follow its format."""


class ModelError(PropscopeError):
    """The model directory is missing, incomplete or incompatible."""


class UnsupportedLanguageError(InputError):
    """The text is in a language the shipped models do not cover.

    ``confidence`` is the probability of the detected language when the refusal rests on a
    guess (None when the language was given): under 0.5 the guess is a hint, and the
    interfaces say how to give the language instead.
    """

    def __init__(self, message: str, confidence: float | None = None) -> None:
        super().__init__(message)
        self.confidence = confidence

    def __reduce__(self):  # raised in a worker process, it crosses back pickled
        return type(self), (str(self), self.confidence)


class StoreError(PropscopeError):
    """The corpus database cannot be opened, written or read as propscope wrote it (bad URL,
    server down, disk full, damaged, not its own, or not there for a command that only
    reads); ``propscope.store`` raises it too."""


class ResourceError(PropscopeError):
    """The machine ran out of something a command needs: open files, memory or disk space."""


def undecodable(exc: UnicodeDecodeError, codec: str = "UTF-8") -> str:
    """Where the first byte ``codec`` cannot decode stands and what it is, for a message:
    "line 1 has the byte 0xe9, which UTF-8 cannot decode (saved as windows-1252 or
    latin-1?)" (its offset alone, "byte 8", read as a byte's value). UTF-16 fails on whole
    code units, not bytes: `_undecodable_utf16` says which."""
    data = bytes(exc.object)
    if exc.encoding.lower().replace("_", "-").startswith("utf-16"):
        return _undecodable_utf16(exc, data, codec)
    line = data.count(b"\n", 0, exc.start) + 1
    return (
        f"line {line:,} has the byte 0x{data[exc.start]:02x}, which {codec} cannot decode "
        "(saved as windows-1252 or latin-1?)"
    )


def _undecodable_utf16(exc: UnicodeDecodeError, data: bytes, codec: str) -> str:
    """What UTF-16 cannot decode and where: a code unit that is half a surrogate pair
    without its other half, or the byte (half a code unit) an odd-length text ends with.
    Either is a cut or damaged file, not one in another charset: its bytes are halves of
    code units, not characters of windows-1252."""
    # what comes before the error decodes: its line feeds are code units, not 0x0a bytes
    line = data[: exc.start].decode(exc.encoding, "replace").count("\n") + 1
    if len(data) - exc.start < 2:
        return (
            f"the text ends on line {line:,} with half a code unit (one byte, at offset "
            f"{exc.start:,}), which {codec} cannot decode (a cut or damaged UTF-16 file?)"
        )
    order = "big" if exc.encoding.lower().replace("_", "-").endswith("be") else "little"
    unit = int.from_bytes(data[exc.start : exc.start + 2], order)
    return (
        f"line {line:,} has the code unit 0x{unit:04x} at byte offset {exc.start:,}, half a "
        f"surrogate pair without its other half, which {codec} cannot decode (a cut or "
        "damaged UTF-16 file?)"
    )
