"""One exception family whose messages tell the user what was wrong and what to do."""

from __future__ import annotations


class PropscopeError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits with code 2."""


class InputError(PropscopeError):
    """The input (file, directory, URL, text) cannot be read or is not an article."""


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
    latin-1?)" (its offset alone, "byte 8", read as a byte's value)."""
    data = bytes(exc.object)
    line = data.count(b"\n", 0, exc.start) + 1
    return (
        f"line {line:,} has the byte 0x{data[exc.start]:02x}, which {codec} cannot decode "
        "(saved as windows-1252 or latin-1?)"
    )
