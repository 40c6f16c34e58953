"""Readers: every input (text, article file, HTML, URL, directory, corpus) becomes an Article.

This is the boundary where input is validated; anything unreadable stops here with an
``InputError`` whose one-line message names the input and says what to do. Text is kept
verbatim (files are decoded without newline translation, so CRLF offsets stay right).
"""

from __future__ import annotations

import csv
import hashlib
import ipaddress
import json
import os
import re
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from propscope.article import Article
from propscope.errors import InputError

__all__ = [
    "MAX_CHARS",
    "MAX_HTML_BYTES",
    "check_url",
    "fetch_url",
    "iter_csv",
    "iter_jsonl",
    "read_article_file",
    "read_html",
    "read_inputs",
    "read_path",
    "read_text",
]

MAX_CHARS = 1_000_000  # ~150k words: far longer than any news article
MAX_HTML_BYTES = 5_000_000  # markup is bulky; main text is a small part of a page
MAX_REDIRECTS = 5
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SEMEVAL_NAME = re.compile(r"article(\d+)")
_USER_AGENT = "propscope/0.1 (article analysis; +https://github.com/propscope)"
_MIN_PROSE_WORDS = 8

# Called with the location (``path:line``) and the error of a corpus record that cannot be read.
RecordErrorHandler = Callable[[str, InputError], None]


# --- text and files --------------------------------------------------------------------------


def read_text(
    text: str,
    id: str = "text",
    source: str | None = None,
    *,
    max_chars: int = MAX_CHARS,
    title_line: bool | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Article:
    """An Article from text given directly; rejects empty and oversized text."""
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}; decode it first")
    what = f"'{source}'" if source else "the text"
    if not text.strip():
        raise InputError(f"{what} is empty; give an article with some text")
    if len(text) > max_chars:
        raise InputError(
            f"{what} has {len(text):,} characters, more than the limit of {max_chars:,}; "
            "split it into articles or raise max_chars"
        )
    return Article.from_text(text, id=id, source=source, title_line=title_line, metadata=metadata)


def read_article_file(path: str | os.PathLike[str], *, max_chars: int = MAX_CHARS) -> Article:
    """An Article from a .txt file (verbatim, CRLF kept) or an .html/.htm file.

    SemEval files ``article{ID}.txt`` get the id ``ID``; other files their file stem.
    """
    path = Path(path)
    is_html = path.suffix.lower() in (".html", ".htm")
    # UTF-8 needs at most 4 bytes a character: a larger file cannot fit the limit.
    data = _read_bytes(path, MAX_HTML_BYTES if is_html else 4 * max_chars)
    if b"\x00" in data:
        raise InputError(f"'{path}' is not UTF-8 text (binary file?); give a .txt or .html article")
    if is_html:
        return read_html(data, id=_id_from_path(path), source=str(path), max_chars=max_chars)
    try:
        text = data.decode("utf-8")  # bytes.decode never translates newlines: CRLF survives
    except UnicodeDecodeError as exc:
        raise InputError(
            f"'{path}' is not UTF-8 text (byte {exc.start} cannot be decoded; binary file?); "
            "give a .txt or .html article, or convert it to UTF-8"
        ) from None
    return read_text(text, id=_id_from_path(path), source=str(path), max_chars=max_chars)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(
                f"cannot read '{path}': it is a directory; give a file, or use read_path"
            )
        if size > max_bytes:
            raise InputError(
                f"'{path}' is {size:,} bytes, more than the limit of {max_bytes:,}; "
                "give a single article"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read '{path}': file not found") from None
    except PermissionError:
        raise InputError(f"cannot read '{path}': permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None


def _id_from_path(path: Path) -> str:
    match = _SEMEVAL_NAME.fullmatch(path.stem)
    return match.group(1) if match else path.stem


# --- HTML and URLs ---------------------------------------------------------------------------


def read_html(
    html: str | bytes,
    url: str | None = None,
    id: str | None = None,
    *,
    source: str | None = None,
    max_chars: int = MAX_CHARS,
) -> Article:
    """An Article from a web page: main text and title extracted with trafilatura.

    The text is ``"title\\n\\nbody"`` (SemEval layout: the title is paragraph 1, the body starts
    on line 3), one extracted paragraph per line. Bytes are decoded by trafilatura, which
    honours the page's declared charset. ``metadata`` holds url, title, date, author, sitename
    and hostname where the page gives them. ``source`` (default: ``url``) names the page in
    messages and becomes ``Article.source``, e.g. the path of a saved page.
    """
    import trafilatura  # imported here: it is slow to import and only pages need it

    source = source or url
    where = f"'{source}'" if source else "the HTML page"
    if not html or (isinstance(html, str) and not html.strip()):
        raise InputError(f"{where} is empty; give an article page")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise InputError(f"cannot extract the text of {where}: {exc}") from None
    title = _clean(getattr(doc, "title", None)) if doc is not None else None
    lines = [line.strip() for line in (getattr(doc, "text", "") or "").split("\n")]
    lines = [line for line in lines if line]
    if title and lines and lines[0] == title:
        lines = lines[1:]  # the <h1> repeats the title
    body = "\n".join(lines)
    if not _has_prose(body):
        raise InputError(f"{where} has no main text (no article found); give the URL of an article")
    text = f"{title}\n\n{body}" if title else body
    metadata = {"url": url or _clean(getattr(doc, "url", None)), "title": title}
    for key in ("date", "author", "sitename", "hostname"):
        metadata[key] = _clean(getattr(doc, key, None))
    return read_text(
        text,
        id=id or _id_from_url(url, text),
        source=source,
        max_chars=max_chars,
        title_line=bool(title),
        metadata={k: v for k, v in metadata.items() if v},
    )


def _clean(value: Any) -> str | None:
    """Whitespace-normalised metadata value, or None when empty."""
    if not value:
        return None
    return " ".join(str(value).split()) or None


def _has_prose(body: str) -> bool:
    """True when some line reads like a sentence, not like a menu, a button or a form label."""
    body_article = Article.from_text(body, title_line=False) if body.strip() else None
    if body_article is None:
        return False
    for p in body_article.analysable_paragraphs():
        line = body[p.start : p.end]
        if len(line.split()) >= _MIN_PROSE_WORDS or (" " not in line and len(line) >= 40):
            return True
    return False


def _id_from_url(url: str | None, text: str) -> str:
    """A readable, stable id: last path segment plus a short hash of the URL (or text)."""
    digest = hashlib.sha1((url or text).encode("utf-8")).hexdigest()[:8]
    if not url:
        return f"html-{digest}"
    parts = urlsplit(url)
    segment = next((s for s in reversed(parts.path.split("/")) if s), parts.hostname or "page")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", segment.rsplit(".", 1)[0]).strip("-")[:60]
    return f"{slug or 'page'}-{digest}"


def fetch_url(
    url: str,
    timeout: float = 15.0,
    max_bytes: int = 5_000_000,
    *,
    allow_private: bool = False,
    max_chars: int = MAX_CHARS,
) -> Article:
    """Download an article page (http/https) and read it like :func:`read_html`.

    Redirects (at most 5) are followed by hand so every hop is checked; with
    ``allow_private=False`` hosts resolving to loopback, private, link-local or other
    non-public addresses are refused (a server-side fetcher must not reach the intranet).
    ``text/plain`` pages are read as text. The body is streamed and cut at ``max_bytes``.
    """
    import httpx

    current = url
    try:
        with httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": _USER_AGENT}
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                _check_url(current, allow_private)
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = str(response.url.join(response.headers["location"]))
                        continue
                    mime, body, encoding = _read_response(response, url, max_bytes)
                    final = str(response.url)
                break
            else:
                raise InputError(f"cannot fetch '{url}': more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise InputError(f"cannot fetch '{url}': no answer within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise InputError(
            f"cannot fetch '{url}': connection failed ({exc}); check the address and network"
        ) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InputError(f"cannot fetch '{url}': invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch '{url}': {type(exc).__name__}: {exc}") from None

    metadata = {"url": final} if final == url else {"url": final, "requested_url": url}
    if mime == "text/plain":
        try:
            text = body.decode(encoding or "utf-8")
        except (UnicodeDecodeError, LookupError):
            raise InputError(
                f"'{url}' is not readable text (bad encoding); give an article page"
            ) from None
        return read_text(
            text, id=_id_from_url(final, text), source=final, max_chars=max_chars, metadata=metadata
        )
    html: str | bytes = body
    if encoding:
        try:
            html = body.decode(encoding, errors="replace")
        except LookupError:
            html = body  # unknown charset name: let trafilatura detect it
    article = read_html(html, url=final, max_chars=max_chars)
    return article.model_copy(update={"metadata": {**article.metadata, **metadata}})


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise ``InputError`` unless :func:`fetch_url` may fetch ``url`` (http/https, a host,
    a public address); lets a server tell a bad URL (400) from a failing site (502)."""
    _check_url(url, allow_private)


def _check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"cannot fetch '{url}': only http:// and https:// URLs are supported")
    host = parts.hostname
    if not host:
        raise InputError(f"cannot fetch '{url}': the URL has no host name")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot fetch '{url}': host '{host}' not found ({reason})") from None
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise InputError(
                f"refusing to fetch '{url}': host '{host}' resolves to the non-public address "
                f"{address}; pass allow_private=True to allow local and private hosts"
            )


def _read_response(response: Any, url: str, max_bytes: int) -> tuple[str, bytes, str | None]:
    """Check status, content type and size; return (mime type, body, declared charset)."""
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        raise InputError(f"cannot fetch '{url}': HTTP {response.status_code} {reason}")
    mime = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if mime not in (*_HTML_TYPES, "text/plain"):
        raise InputError(
            f"'{url}' is {mime or 'of unknown type'}, not a web page (text/html); "
            "give the URL of an article page"
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"page larger than {max_bytes:,} bytes: '{url}'")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(f"page larger than {max_bytes:,} bytes: '{url}'")
    return mime, bytes(body), response.charset_encoding


# --- paths and many inputs -------------------------------------------------------------------


def read_path(
    spec: str, *, allow_private: bool = False, max_chars: int = MAX_CHARS
) -> list[Article]:
    """Articles from one input spec: ``-`` (stdin), an http(s) URL, a directory or a file.

    A directory yields its ``*.txt``, ``*.html`` and ``*.htm`` files in name order (not
    recursive; hidden files such as macOS ``._*`` resource forks are skipped).
    """
    if spec == "-":
        return [read_text(_read_stdin(), id="stdin", source="-", max_chars=max_chars)]
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", spec):  # fetch_url refuses non-http schemes
        return [fetch_url(spec, allow_private=allow_private, max_chars=max_chars)]
    path = Path(spec)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
        if not files:
            raise InputError(f"directory '{spec}' contains no .txt or .html articles")
        return [read_article_file(p, max_chars=max_chars) for p in files]
    return [read_article_file(path, max_chars=max_chars)]


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, notebooks)
        return sys.stdin.read()
    data = buffer.read()
    try:
        return data.decode("utf-8")  # bytes: no newline translation, CRLF offsets survive
    except UnicodeDecodeError:
        raise InputError("standard input is not UTF-8 text; convert it to UTF-8") from None


def read_inputs(
    specs: list[str], *, allow_private: bool = False, max_chars: int = MAX_CHARS
) -> list[Article]:
    """Articles from many specs, in order; article ids must be unique across them."""
    if not specs:
        raise InputError("no input given; give a file, directory, URL or - for stdin")
    articles: list[Article] = []
    seen: dict[str, str | None] = {}
    for spec in specs:
        for article in read_path(spec, allow_private=allow_private, max_chars=max_chars):
            if article.id in seen:
                raise InputError(
                    f"article id '{article.id}' occurs twice ('{seen[article.id]}' and "
                    f"'{article.source}'); give each article once or rename one file"
                )
            seen[article.id] = article.source
            articles.append(article)
    return articles


# --- corpora ---------------------------------------------------------------------------------


def iter_jsonl(
    path: str | os.PathLike[str],
    *,
    max_chars: int = MAX_CHARS,
    on_error: RecordErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles from a JSON Lines file: one object a line with ``id`` and ``text``.

    Other fields (title, url, source, published, ...) are kept as string metadata. A bad
    record raises ``InputError``; with ``on_error`` it is passed there (with its location
    ``path:line``) and reading goes on, so one bad record does not stop a corpus run.
    """
    path = Path(path)
    with _open_text(path, "utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"line {number} of '{path}' is not JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise InputError(f"line {number} of '{path}' is not a JSON object")
            except InputError as exc:
                _report(where, exc, on_error)
                continue
            article = _record_article(record, where, max_chars, on_error)
            if article is not None:
                yield article


def iter_csv(
    path: str | os.PathLike[str],
    *,
    max_chars: int = MAX_CHARS,
    on_error: RecordErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles from a CSV file with a header row holding ``id`` and ``text`` columns.

    Other columns (title, url, source, published, ...) are kept as string metadata. A bad
    record raises ``InputError``; with ``on_error`` it is passed there and reading goes on
    (broken CSV syntax still stops the file: the rows after it cannot be trusted).
    """
    path = Path(path)
    # csv refuses fields over 128 KiB by default; articles may be longer (process-wide limit,
    # only ever raised here).
    csv.field_size_limit(max(csv.field_size_limit(), 4 * max_chars))
    # utf-8-sig: a BOM would otherwise stick to the first column name.
    with _open_text(path, "utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"id", "text"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"'{path}' has no {' or '.join(sorted(missing))} column; the header row must "
                "name at least id and text"
            )
        try:
            for record in reader:
                where = f"{path}:{reader.line_num}"
                article = _record_article(record, where, max_chars, on_error)
                if article is not None:
                    yield article
        except csv.Error as exc:
            raise InputError(f"'{path}' line {reader.line_num} is not valid CSV ({exc})") from None


def _report(where: str, exc: InputError, on_error: RecordErrorHandler | None) -> None:
    """Hand a bad record to ``on_error``, or raise it when there is no handler."""
    if on_error is None:
        raise exc
    on_error(where, exc)


def _record_article(
    record: dict, where: str, max_chars: int, on_error: RecordErrorHandler | None
) -> Article | None:
    """The record's Article, or None after reporting why it cannot be one."""
    try:
        return _article_from_record(record, where, max_chars)
    except InputError as exc:
        _report(where, exc, on_error)
        return None


@contextmanager
def _open_text(path: Path, encoding: str) -> Iterator[Iterator[str]]:
    """Lines of a corpus file (no newline translation); OS and decoding errors -> InputError."""
    if path.is_dir():
        raise InputError(f"cannot read '{path}': it is a directory, not a corpus file")
    try:
        handle = open(path, encoding=encoding, newline="")
    except FileNotFoundError:
        raise InputError(f"cannot read '{path}': file not found") from None
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    with handle:
        yield _decoded_lines(handle, path)


def _decoded_lines(handle: Iterator[str], path: Path) -> Iterator[str]:
    try:
        yield from handle
    except UnicodeDecodeError:
        raise InputError(f"'{path}' is not UTF-8 text; convert it to UTF-8") from None


def _article_from_record(record: Mapping[str, Any], where: str, max_chars: int) -> Article:
    article_id = record.get("id")
    text = record.get("text")
    if article_id is None or str(article_id).strip() == "":
        raise InputError(f"record at {where} has no 'id'; every record needs an id and a text")
    if not isinstance(text, str):
        raise InputError(f"record at {where} has no 'text' string; every record needs one")
    metadata = {
        str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in record.items()
        if k not in ("id", "text") and v is not None and v != ""
    }
    source = metadata.get("url") or metadata.get("source") or where
    try:
        article = read_text(
            text, id=str(article_id).strip(), source=source, max_chars=max_chars, metadata=metadata
        )
    except InputError as exc:
        raise InputError(f"record '{article_id}' at {where}: {exc}") from None
    if article.title is None and metadata.get("title"):
        article = article.model_copy(update={"title": metadata["title"]})
    return article
