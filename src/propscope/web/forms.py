"""Form bodies (the Analyse page and the API's multipart upload), read strictly as UTF-8.

Starlette decodes a urlencoded body as Latin-1 and a multipart text field that is not UTF-8 as
Latin-1 too, so ``\\xff\\xfe`` was stored as ``ÿþ`` and a raw ``café`` sent by curl as
``cafÃ©``. JSON bodies and uploaded files that are not UTF-8 are refused (400); forms are
refused the same way here, before anything is read or stored.
"""

from __future__ import annotations

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

__all__ = ["MAX_FORM_FIELDS", "read_form"]

MAX_FORM_FIELDS = 20


async def read_form(request: Request, settings: Any) -> FormData:
    """The request's form (empty for other bodies), parsed once per request.

    400 when a field, its name or a file name is not text in the form's charset (UTF-8
    unless a multipart body names another), or when the form has too many fields or files.
    """
    cached = getattr(request.state, "propscope_form", None)
    if cached is not None:
        return cached
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        form = _parse_urlencoded(await request.body())
    elif kind == "multipart/form-data":
        parser = _StrictMultiPartParser(
            request.headers,
            request.stream(),
            max_files=1,
            max_fields=MAX_FORM_FIELDS,
            max_part_size=settings.max_request_bytes,
        )
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise HTTPException(400, exc.message) from None
    else:
        form = FormData()
    request.state.propscope_form = form
    return form


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
    post such fields, so a Starlette that changes them fails there, not silently.
    """

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
