"""Form bodies (the Analyse page and the API's multipart upload), read strictly as UTF-8.

Starlette decodes a urlencoded body as Latin-1 and a multipart text field that is not UTF-8 as
Latin-1 too, so ``\\xff\\xfe`` was stored as ``ÿþ`` and a raw ``café`` sent by curl as
``cafÃ©``. JSON bodies and uploaded files that are not UTF-8 are refused (400); forms are
refused the same way here, before anything is read or stored.

A field named twice is refused too (only the last would be read), as ``propscope batch``
refuses such a record. On a server with an API key, a form that carries no valid key in its
``api_key`` field is read no further than :data:`KEY_WINDOW_BYTES`: a client without the key
cannot make the server buffer megabytes (the Analyse page sends the key first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import HTTPException, Request
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser

from propscope.errors import undecodable

try:
    from python_multipart.multipart import parse_options_header
except ModuleNotFoundError:  # python-multipart before 0.0.13 named its module "multipart"
    from multipart.multipart import parse_options_header

__all__ = ["KEY_WINDOW_BYTES", "MAX_FORM_FIELDS", "read_form"]

MAX_FORM_FIELDS = 20
# How much of a form is read before a valid api_key field (on a server with a key): a pasted
# article of some 60,000 characters, so a small form may give its key anywhere.
KEY_WINDOW_BYTES = 256 * 1024


async def read_form(
    request: Request, settings: Any, *, valid_key: Callable[[str], bool] | None = None
) -> FormData:
    """The request's form (empty for other bodies), parsed once per request.

    400 when a field, its name or a file name is not text in the form's charset (UTF-8
    unless a multipart body names another), when a field is named twice, or when the form
    has too many fields or files. With ``valid_key``, the body is read no further than
    :data:`KEY_WINDOW_BYTES` (then 401) until an ``api_key`` field that it accepts has been
    read; the caller still checks the key of the whole form.
    """
    cached = getattr(request.state, "propscope_form", None)
    if cached is not None:
        return cached
    gate = _KeyWindow(valid_key)
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        form = _parse_urlencoded(await _urlencoded_body(request.stream(), gate))
    elif kind == "multipart/form-data":
        parser = _StrictMultiPartParser(
            request.headers,
            gate.counted(request.stream()),
            max_files=1,
            max_fields=MAX_FORM_FIELDS,
            max_part_size=settings.max_request_bytes,
        )
        parser.gate = gate
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise HTTPException(400, exc.message) from None
    else:
        form = FormData()
    _refuse_repeated(form)
    request.state.propscope_form = form
    return form


def _refuse_repeated(form: FormData) -> None:
    """400 for a field named more than once: only the last would be read (as batch says)."""
    twice = [name for name, n in Counter(k for k, _ in form.multi_items()).items() if n > 1]
    if twice:
        names = ", ".join(f"'{name[:50]}'" for name in twice[:5])
        raise HTTPException(
            400,
            f"the form names the field{'s' if len(twice) > 1 else ''} {names} more than once "
            "(only the last would be read, the other lost); give each field once",
        )


class _KeyWindow:
    """Until an ``api_key`` field passes ``valid_key``, at most KEY_WINDOW_BYTES of the body."""

    def __init__(self, valid_key: Callable[[str], bool] | None) -> None:
        self.valid_key = valid_key
        self.open = valid_key is None

    def field(self, name: str, value: str) -> None:
        if not self.open and name == "api_key" and self.valid_key is not None:
            self.open = self.valid_key(value)

    def _refusal(self) -> HTTPException:
        return HTTPException(
            401,
            "this server requires an API key to analyse or delete: give it in the form's API "
            f"key field, before the article (a form is read no further than "
            f"{KEY_WINDOW_BYTES // 1024} KB without it), or send it in the X-API-Key header "
            "(or Authorization: Bearer)",
            headers={"WWW-Authenticate": "Bearer"},  # the connection closes (body unread)
        )

    async def counted(self, stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        """``stream``, stopped at the window's end without a valid key (401). A chunk that
        crosses it is cut there, so that what counts is where the key is, not how the body
        came in chunks: each piece is parsed (a key in it counts) before the next is read."""
        total = 0
        async for chunk in stream:
            while chunk:
                if not self.open and total >= KEY_WINDOW_BYTES:
                    raise self._refusal()
                piece = chunk if self.open else chunk[: KEY_WINDOW_BYTES - total]
                chunk = chunk[len(piece) :]
                total += len(piece)
                yield piece


async def _urlencoded_body(stream: AsyncIterator[bytes], gate: _KeyWindow) -> bytes:
    """The body of a urlencoded form; its ``api_key`` pair is tried as soon as it is whole."""
    body = bytearray()
    looked = 0  # the pairs before this offset have been looked at
    async for chunk in gate.counted(stream):
        body += chunk
        if gate.open:
            continue
        end = body.rfind(b"&")
        if end >= looked:
            _look_for_key(bytes(body[looked:end]), gate)
            looked = end + 1
    if not gate.open:
        _look_for_key(bytes(body[looked:]), gate)
    return bytes(body)


def _look_for_key(pairs: bytes, gate: _KeyWindow) -> None:
    """Show ``gate`` the api_key among urlencoded ``pairs`` (one that is not UTF-8 is none:
    the whole form's parse says what is wrong with it)."""
    for pair in pairs.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        try:
            if unquote_to_bytes(raw_name.replace(b"+", b" ")).decode("utf-8") == "api_key":
                gate.field("api_key", unquote_to_bytes(raw_value.replace(b"+", b" ")).decode())
        except UnicodeDecodeError:
            continue


def _not_text(what: str, exc: UnicodeDecodeError, charset: str = "UTF-8") -> HTTPException:
    return HTTPException(
        400, f"{what} is not {charset} text: {undecodable(exc, charset)}; send it as {charset}"
    )


def _parse_urlencoded(body: bytes) -> FormData:
    """``name=value&...`` where the raw body and every percent-decoded value are UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_text("the form", exc) from None
    pairs = [pair for pair in text.split("&") if pair]
    if len(pairs) > MAX_FORM_FIELDS:
        raise HTTPException(
            400,
            f"the form has {len(pairs):,} fields, more than {MAX_FORM_FIELDS}; send one article",
        )
    items = []
    for pair in pairs:
        raw_name, _, raw_value = pair.partition("=")
        name = _unquote(raw_name, "a form field name")
        items.append((name, _unquote(raw_value, f"the form field '{name[:50]}'")))
    return FormData(items)


def _unquote(part: str, what: str) -> str:
    try:
        return unquote_to_bytes(part.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_text(what, exc) from None


class _StrictMultiPartParser(MultiPartParser):
    """Starlette's multipart parser, except that a text field, a field name or a file name
    that does not decode in the body's charset is refused instead of read as Latin-1.

    It hooks Starlette's parser callbacks (``_current_part``, ``_charset``); the web tests
    post such fields, so a Starlette that changes them fails there, not silently. Each text
    field is shown to ``gate`` as soon as it ends (an API key before the rest is read).
    """

    gate: _KeyWindow | None = None

    def _check(self, raw: bytes, what: str) -> None:
        charset = self._charset or "utf-8"
        try:
            raw.decode(charset)
        except UnicodeDecodeError as exc:
            shown = "UTF-8" if charset.replace("_", "-") == "utf-8" else charset
            raise MultiPartException(_not_text(what, exc, shown).detail) from None

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        for key, what in ((b"name", "a form field name"), (b"filename", "the file name")):
            if key in options:
                self._check(options[key], what)
        super().on_headers_finished()

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            self._check(bytes(part.data), f"the form field '{part.field_name[:50]}'")
        super().on_part_end()
        if part.file is None and self.gate is not None:
            name, value = self.items[-1]
            self.gate.field(name, value if isinstance(value, str) else "")
