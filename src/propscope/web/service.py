"""From a submission (text, URL or uploaded file) to a stored analysis: shared by API and pages.

Reading goes through ``propscope.io.readers`` and analysis through ``analyze()``, like every
other interface; this module only maps their errors to HTTP statuses and keeps blocking work
(fetching, the model, the database) off the event loop.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from propscope.analysis import analyze
from propscope.article import Article
from propscope.batch import unsure_guess
from propscope.errors import InputError, TooLongError, UnsupportedLanguageError
from propscope.io.readers import check_url, fetch_url, read_article_file, read_text
from propscope.schema import Analysis
from propscope.store import Store
from propscope.web.schemas import ONE_INPUT
from propscope.web.workers import RETRY_AFTER_S, SECONDS_PER_CHAR, AnalysisPool, QueueFull

__all__ = [
    "Outcome",
    "Submission",
    "analyse_submission",
    "check_length",
    "check_text",
    "with_given_labels",
]

T = TypeVar("T")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# The longest name an upload is saved under (ASCII once made safe): file systems take 255
# bytes a name, and the client's own name may be longer.
_MAX_SAVED_NAME = 128
# read_article_file reads at most this many bytes per allowed character of a text file.
_MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class Submission:
    """What a user sent: one of text, url or an uploaded file, and optional metadata."""

    text: str | None = None
    url: str | None = None
    file_name: str | None = None
    file_data: bytes | None = None
    title: str | None = None
    source: str | None = None
    published: date | None = None
    page_url: str | None = None  # where a given text was read; recorded, never fetched
    language: str | None = None  # ISO code given (validated by the schema), else detected

    def inputs(self) -> int:
        return sum(x is not None for x in (self.text, self.url, self.file_data))

    def metadata(self) -> dict[str, str]:
        """Metadata given by the user; it overrides what was found in the page."""
        given = {
            "title": (self.title or "").strip() or None,
            "source": (self.source or "").strip() or None,
            "published": self.published.isoformat() if self.published else None,
            "filename": self.file_name if self.file_data is not None else None,
            "url": self.page_url,
        }
        return {k: v for k, v in given.items() if v}


@dataclass(frozen=True)
class Outcome:
    id: int
    analysis: Analysis
    created: bool


async def analyse_submission(
    submission: Submission,
    *,
    settings: Any,
    store: Store,
    model: Any,
    pool: AnalysisPool,
) -> Outcome:
    """Read, analyse and store a submission; a text already stored is not analysed again.

    Identical texts submitted together are analysed once: the first caller gets the new
    article (``created``), the others the stored one, as if they had come a moment later.
    """
    if submission.inputs() != 1:
        raise RequestValidationError([{"type": "one_input", "loc": ("body",), "msg": ONE_INPUT}])
    check_strings(submission)
    if submission.text is not None:
        check_length(len(submission.text), settings.max_chars)
        # Reading a text is cheap (its length is checked): not worth a place in the line.
        article = await run_in_threadpool(read_submission, submission, settings)
    else:
        # Extracting an HTML upload or a fetched page can hold a core for seconds: it takes a
        # worker like an analysis, so --workers and --queue bound it too.
        article = await _in_pool(
            pool, _reading_size(submission, settings), read_submission, submission, settings
        )
    check_text(article.text, "the article")
    check_length(len(article.text), settings.max_chars)
    article = with_given_labels(article, submission)
    key = Store.content_hash(article.text)
    existing = await run_in_threadpool(store.find, key)
    if existing is not None:
        stored = await run_in_threadpool(store.get, existing)
        if stored is not None:
            return Outcome(existing, stored.analysis, created=False)

    async def analyse_and_store() -> tuple[int, Analysis | None]:
        # Stored by a request that finished between our look-up and now: nothing to do.
        if (found := await run_in_threadpool(store.find, key)) is not None:
            return found, None
        try:
            analysis = await _in_pool(
                pool,
                len(article.text),
                partial(analyze, language=submission.language),
                article,
                model,
            )
        except UnsupportedLanguageError as exc:
            raise HTTPException(400, _language_refusal(exc)) from None
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        article_id = await run_in_threadpool(
            lambda: store.add(article, analysis, metadata=submission.metadata())
        )
        return article_id, analysis

    (article_id, analysis), first = await pool.shared(key, analyse_and_store)
    if first and analysis is not None:
        return Outcome(article_id, analysis, created=True)
    stored = await run_in_threadpool(store.get, article_id)
    if stored is None:  # deleted in the meantime
        raise HTTPException(409, "the article was deleted while it was being stored; send it again")
    return Outcome(article_id, stored.analysis, created=False)


async def _in_pool(pool: AnalysisPool, size: int, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on one of the pool's workers; 503 with Retry-After when the line is full."""
    try:
        return await pool.run(size, fn, *args)
    except QueueFull as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)}) from None


def _reading_size(submission: Submission, settings: Any) -> int:
    """What reading a file or a URL counts as in the pool's line, in characters.

    A file counts its bytes; a URL as much as the longest fetch may last (``fetch_timeout``),
    so a page fetch is a long job and never takes the last worker from the short texts.
    """
    if submission.file_data is not None:
        return len(submission.file_data)
    return int(settings.fetch_timeout / SECONDS_PER_CHAR)


def check_length(chars: int, limit: int) -> None:
    """413 naming the limit: one analysis must not hold a worker for minutes."""
    if chars > limit:
        raise HTTPException(
            413,
            f"the article has {chars:,} characters, more than this server's limit of "
            f"{limit:,} per article; send a shorter text (the operator sets --max-chars)",
        )


def check_text(value: str, what: str) -> None:
    """The CLI readers' rules for text, applied to text that arrives as a string.

    A file with a NUL byte is refused as binary, and one that is not valid UTF-8 as not text;
    JSON can carry both (``\\u0000``, a lone surrogate such as ``\\ud800``), so they are refused
    here with the same words (and never reach the pages or the database).
    """
    if "\x00" in value:
        raise HTTPException(
            400, f"{what} is not UTF-8 text (it contains NUL characters: binary data?)"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise HTTPException(
            400,
            f"{what} is not UTF-8 text (character {exc.start} is a lone surrogate "
            f"{value[exc.start]!a}); send valid Unicode",
        ) from None


def check_strings(submission: Submission) -> None:
    """Every string of a submission follows :func:`check_text` (metadata goes to the store)."""
    for what, value in (
        ("the text", submission.text),
        ("the URL", submission.url),
        ("the title", submission.title),
        ("the source", submission.source),
        ("the file name", submission.file_name),
        ("the page URL", submission.page_url),
    ):
        if value is not None:
            check_text(value, what)


def read_submission(submission: Submission, settings: Any) -> Article:
    """The Article of a submission; bad input is 400, a URL that cannot be fetched 502, and
    an article over the server's ``max_chars`` 413, however it arrives."""
    limit = settings.max_chars
    if submission.url is not None:
        url = submission.url.strip()
        try:
            check_url(url, allow_private=settings.allow_private_urls)
        except InputError as exc:
            raise HTTPException(400, _for_the_web(str(exc))) from None
        try:
            return fetch_url(
                url,
                timeout=settings.fetch_timeout,
                max_bytes=settings.fetch_max_bytes,
                allow_private=settings.allow_private_urls,
                max_chars=limit,
            )
        except InputError as exc:
            _refuse_if_too_long(exc, limit)
            raise HTTPException(
                502, f"the page could not be used: {_for_the_web(str(exc))}"
            ) from None
    try:
        if submission.file_data is not None:
            return _read_upload(submission.file_name or "upload.txt", submission.file_data, limit)
        text = submission.text or ""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        return read_text(text, id=f"text-{digest}", max_chars=limit)
    except InputError as exc:
        _refuse_if_too_long(exc, limit)
        raise HTTPException(400, str(exc)) from None


def with_given_labels(article: Article, submission: Submission) -> Article:
    """The article under the title and source the user gave, as batch reads a JSONL record.

    The title given replaces the one read from the text (the field "overrides the detected
    title"). A text's source is where it came from, as a record's is: the ``page_url`` given,
    else the source given; a fetched page stays named by its URL and an upload by its file
    name, as batch names a file of a folder by its path (the source given is the store's
    outlet for all three). The metadata given goes with the article too, so the analysis,
    the store and every export and report name the article alike.
    """
    given = submission.metadata()
    update: dict[str, Any] = {"metadata": {**article.metadata, **given}}
    if "title" in given:
        update["title"] = given["title"]
    if submission.text is not None and (source := given.get("url") or given.get("source")):
        update["source"] = source
    return article.model_copy(update=update)


def _language_refusal(exc: UnsupportedLanguageError) -> str:
    """The refusal of a language; when it rests on an unsure guess (a headline, a short
    text), it says that the request's ``language`` field (the form's Language) overrides it."""
    if not unsure_guess(exc):
        return str(exc)
    return (
        f'{exc}; the guess is unsure ({exc.confidence:.0%} sure): give "language" (en, fr, '
        "de, it, pl or ru) if the text is in one of them"
    )


def _refuse_if_too_long(exc: InputError, limit: int) -> None:
    """The readers' own refusal of a text over ``limit`` characters, as this server's 413.

    The readers stop at ``limit`` before segmenting the text (seconds for megabytes), and say
    so in words meant for Python callers ("raise max_chars"); here the switch is --max-chars.
    """
    if isinstance(exc, TooLongError) and exc.limit == limit:
        check_length(exc.chars, limit)


def _for_the_web(message: str) -> str:
    """Readers speak to Python callers; here the operator's switch is the server flag."""
    return message.replace(
        "pass allow_private=True to allow local and private hosts",
        "the server's operator can allow them with --allow-private-urls",
    )


def _read_upload(name: str, data: bytes, max_chars: int) -> Article:
    """Read an upload like a file given to the CLI (same checks, same article id rules)."""
    safe = _SAFE_NAME.sub("-", Path(name.replace("\\", "/")).name).strip(".-") or "upload.txt"
    if Path(safe).suffix.lower() not in (".txt", ".html", ".htm"):
        safe += ".txt"
    if len(safe) > _MAX_SAVED_NAME:  # "File name too long" was a 500; the id is cut short
        suffix = Path(safe).suffix
        safe = (safe[: _MAX_SAVED_NAME - len(suffix)].rstrip(".-") or "upload") + suffix
    if Path(safe).suffix.lower() == ".txt" and len(data) > _MAX_BYTES_PER_CHAR * max_chars:
        # The readers refuse a text file of more bytes than max_chars characters can take,
        # in bytes; the user is told the characters, like for any other text that is too long.
        bom = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        check_length(len(data.decode("utf-16" if bom else "utf-8", "replace")), max_chars)
    with tempfile.TemporaryDirectory(prefix="propscope-upload-") as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        try:
            article = read_article_file(path, max_chars=max_chars)
        except InputError as exc:  # named as the user named it; the same error (a
            # TooLongError stays one, for the 413)
            exc.args = (str(exc).replace(str(path), name),)
            raise exc from None
    return article.model_copy(update={"source": name})
