"""Readers: every input (text, article file, HTML, URL, directory, corpus) becomes an Article.

This is the boundary where input is validated; anything unreadable stops here with an
``InputError`` whose one-line message names the input and says what to do. Text is kept
verbatim (files are decoded without newline translation, so CRLF offsets stay right).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import ipaddress
import itertools
import json
import os
import re
import socket
import stat
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

from propscope.article import Article
from propscope.errors import InputError, TooLongError, undecodable
from propscope.io.files import check_path

__all__ = [
    "MAX_CHARS",
    "MAX_HTML_BYTES",
    "NamedTwice",
    "bounded_lines",
    "check_corpus_file",
    "check_readable",
    "check_url",
    "fetch_url",
    "iter_csv",
    "iter_jsonl",
    "json_object",
    "non_public_address",
    "printable",
    "read_article_file",
    "read_html",
    "read_inputs",
    "read_path",
    "read_text",
]

MAX_CHARS = 1_000_000  # ~150k words: far longer than any news article
MAX_HTML_BYTES = 5_000_000  # markup is bulky; main text is a small part of a page
MAX_REDIRECTS = 5
# libxml2 stops at 256 levels by default, which loses real pages built of nested wrappers;
# with huge_tree it stops at 2,048. Deep trees are slow to extract (justext walks every
# element's ancestors), so the total nesting (sum of element depths) is capped as well: a
# real page sums well under a million (20,000 elements at depth 40 is 800,000), while
# nesting that the cap refuses would take trafilatura tens of seconds.
MAX_HTML_DEPTH = 2048
MAX_HTML_NESTING = 3_000_000
# trafilatura runs dozens of XPath passes over the whole tree (about 0.1 ms an element on a
# 2-core machine): a news page has a few thousand elements, 5 MB of bare markup 600,000.
MAX_HTML_ELEMENTS = 30_000
# libxml2 compares each attribute of a start tag with every earlier one (an element of 16,000
# attributes took 1 s to parse, one of 64,000 ten, and reading the page 30 to 110), and
# trafilatura spends about 30 microseconds on each attribute. Both are counted before parsing:
# over 12,000 HTML pages of documentation, an element had at most 11 attributes, and a page
# within the element limit at most 47,000.
MAX_HTML_ATTRIBUTES = 1_000
MAX_HTML_PAGE_ATTRIBUTES = 100_000
# When its own extractor finds little text, trafilatura falls back to justext, whose cost
# grows with the square of the page's text blocks (a 10,000-row table took 20 s, 240,000
# rows hours). Beyond this many blocks (a news page has a few hundred) the fallbacks are
# skipped and the main extractor alone reads the page.
MAX_HTML_FALLBACK_BLOCKS = 1_000
# trafilatura unwraps inline formatting (b, span, a, font...) but lxml leaves the text either
# side as separate text nodes, and collecting the paragraphs' text (XPath "//p//text()", whose
# node sorting walks runs of sibling text nodes) then takes time growing with the square of
# them: one <p> of 14,000 <b> words (227 KB) took 38 s, 28,000 over 200 s. In a <p> holding
# more inline elements than this (a paragraph has tens; of 2,300 pages of documentation, an
# index of links at most 398) they are unwrapped before extraction and each run of text made
# one node again: linear, and the same text. Other blocks cost less (a <div> of 28,000 <b>
# took 3.5 s, a <pre> of as many <span> 5.5 s) and are unwrapped beyond a higher limit (a
# highlighted source file held 7,337 <span> in one <pre>), as unwrapping loses trafilatura's
# judgement of links and spans (link-dense or "share" blocks).
MAX_HTML_INLINE = 1_000
MAX_HTML_BLOCK_INLINE = 10_000
# The inline elements trafilatura unwraps before it extracts (formatting, links, spans and
# what it strips by hand); never those it deletes with their text (time, label...).
_INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite data dfn em font i img ins kbd mark nobr samp small "
    "span strong sub sup tt u var".split()
)
# The same XPath merges the text nodes of every <p> with those of the others, comparing each
# with those already kept: 56,000 of them in ten paragraphs (<code> words) took 17 s. A news
# page has a few thousand; a page with more (after the unwrapping above) is refused.
MAX_HTML_PARAGRAPH_TEXTS = 20_000
# The elements at whose start and end justext begins a new text block.
_BLOCK_TAGS = frozenset(
    "body blockquote caption center col colgroup dd div dl dt fieldset form legend optgroup "
    "option p pre table td textarea tfoot th thead tr ul li h1 h2 h3 h4 h5 h6".split()
)
_READ_CHUNK = 1 << 16
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SEMEVAL_NAME = re.compile(r"article(\d+)")
_USER_AGENT = "propscope/0.1 (article analysis; +https://github.com/propscope)"
_MIN_PROSE_WORDS = 8
# Invisible characters that str.strip() keeps: a file holding only these (Notepad saves an
# empty UTF-8 file as a lone BOM) is empty, not text in an unknown language.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

# Byte order marks of UTF-16: they name the encoding beyond doubt (browsers read them before
# any header or <meta>); a file or page that starts with one is text, whatever its NUL bytes.
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Corpus lines are read at most this much longer than their text may be: a JSON Lines text
# of max_chars characters may take 12 times as many (\uXXXX escapes, two for a character
# outside the BMP), a CSV field 4 times (csv's field limit); the other fields get the rest.
_LINE_SLACK = 1_000_000
# Control characters, line separators and the bidirectional controls that reorder what a
# terminal shows ("report\u202etxt.exe" displays as "reportexe.txt"): shown escaped.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

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
    check_text(text, f"'{source}'" if source else "the text", max_chars)
    return Article.from_text(text, id=id, source=source, title_line=title_line, metadata=metadata)


def check_text(text: str, what: str, max_chars: int) -> None:
    """Refuse text that is empty, too long, binary or not encodable; ``what`` names it."""
    if not text.strip().strip(_INVISIBLE).strip():
        raise InputError(f"{what} is empty; give an article with some text")
    if len(text) > max_chars:
        raise TooLongError(
            f"{what} has {len(text):,} characters, more than the limit of {max_chars:,}; "
            "split it into articles or raise max_chars",
            len(text),
            max_chars,
        )
    # The rules for files, for text that arrives as a str (JSON/CSV records, text/plain pages,
    # the Python API): NUL means binary data, and a lone surrogate cannot be encoded to UTF-8
    # (the store's content hash, the outputs and the database all need to).
    if "\x00" in text:
        raise InputError(
            f"{what} has NUL characters (binary data?), not text; give the article as UTF-8 text"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} is not valid Unicode text (character {exc.start:,} is a lone surrogate "
            f"{text[exc.start]!a}); give the article as UTF-8 text"
        ) from None


def read_article_file(path: str | os.PathLike[str], *, max_chars: int = MAX_CHARS) -> Article:
    """An Article from a .txt file (verbatim, CRLF kept) or an .html/.htm file.

    Text is UTF-8, or UTF-16 with its byte order mark; a BOM stays character 0 of the text.
    SemEval files ``article{ID}.txt`` get the id ``ID``; other files their file stem. A file
    name that is not valid UTF-8 shows its bytes as ``\\xNN`` in the id and source.
    """
    path = Path(path)
    is_html = path.suffix.lower() in (".html", ".htm")
    # UTF-8 needs at most 4 bytes a character: a larger file cannot fit the limit.
    data = _read_bytes(path, MAX_HTML_BYTES if is_html else 4 * max_chars)
    encoding = _utf16_bom(data)
    if b"\x00" in data and encoding is None:  # valid UTF-8 or not: no article has NULs
        raise InputError(
            f"'{path}' has NUL characters (binary data?), not text; give a .txt or .html article"
        )
    article_id, source = printable(article_id_of(path)), printable(str(path))
    if is_html and encoding is None:
        return read_html(data, id=article_id, source=source, max_chars=max_chars)
    try:
        # bytes.decode never translates newlines (CRLF survives) and keeps a BOM
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        name = "UTF-16" if encoding else "UTF-8"
        # An .html page reaches here only with a UTF-16 BOM, which decides its charset
        # whatever it declares: only a text file that is not UTF-16 may be read as a page.
        todo = (
            "save it again, whole, or as UTF-8"
            if encoding
            else "convert it to UTF-8, or give it as an .html page (whose charset is read or "
            "guessed)"
        )
        raise InputError(f"'{path}' is not {name} text: {undecodable(exc, name)}; {todo}") from None
    if is_html:
        return read_html(text, id=article_id, source=source, max_chars=max_chars)
    return read_text(text, id=article_id, source=source, max_chars=max_chars)


def _utf16_bom(data: bytes) -> str | None:
    """The codec of the UTF-16 byte order mark ``data`` starts with (decoding keeps it)."""
    return next((codec for bom, codec in _UTF16_BOMS if data.startswith(bom)), None)


def printable(text: str) -> str:
    """``text`` as one line that can be printed, stored and encoded as UTF-8.

    File names may hold bytes that are not UTF-8 (Python keeps them as lone surrogates,
    which no output can encode), line breaks, terminal escapes and bidirectional controls;
    these are shown as ``\\xNN``, ``\\n``, ``\\x1b``, ``\\u202e``. Other text comes back
    unchanged.
    """
    try:
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate that is no escaped byte (e.g. "\ud800" from JSON)
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, at most ``max_bytes``: a file that is larger (or grows while being
    read, or reports no size, like /proc files) is refused after ``max_bytes + 1`` bytes."""
    with _open_regular(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            data = b"" if size > max_bytes else handle.read(max_bytes + 1)
        except OSError as exc:
            raise _os_error(path, exc) from None
    if size > max_bytes or len(data) > max_bytes:
        shown = f"{size:,} bytes" if size > max_bytes else f"over {max_bytes:,} bytes"
        raise InputError(
            f"'{path}' is {shown}, more than the limit of {max_bytes:,}; give a single article"
        )
    return data


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(path: Path, mode: int) -> None:
    """Refuse what is not a regular file or a folder: reading a FIFO or a device can block
    forever or never end (/dev/zero); stdin is read with ``-`` instead."""
    for test, kind in _SPECIAL_FILES:
        if test(mode):
            raise InputError(
                f"cannot read '{path}': it is {kind}, not a file; give an article file, or - "
                "to read standard input"
            )


def _os_error(path: Path, exc: OSError, what: str = "") -> InputError:
    """One line for an OS error on ``path`` (``what``: e.g. "folder ")."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"cannot read {what}'{path}': file not found")
    if isinstance(exc, PermissionError):
        return InputError(f"cannot read {what}'{path}': permission denied")
    return InputError(f"cannot read {what}'{path}': {exc.strerror or exc}")


@contextmanager
def _open_regular(path: Path, directory_hint: str = "give a file") -> Iterator[BinaryIO]:
    """``path`` opened for reading, refused unless it is a regular file.

    The mode is checked before opening (opening a FIFO with no writer blocks, opening a
    device can have side effects) and again on the open descriptor (the path may have been
    swapped in between); the open itself is non-blocking for the same reason.
    """
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"cannot read '{path}': it is a directory; {directory_hint}")
        _refuse_special(path, mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            _refuse_special(path, mode)
            raise InputError(f"cannot read '{path}': it is not a regular file; {directory_hint}")
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def check_readable(path: str | os.PathLike[str]) -> None:
    """Raise ``InputError`` unless ``path`` is a folder that can be listed or a regular file
    that can be opened (without reading it, and without blocking on a FIFO)."""
    path = Path(path)
    try:
        is_dir = path.is_dir()
        if is_dir:
            with os.scandir(path):
                pass
    except OSError as exc:
        raise _os_error(path, exc, "folder ") from None
    if not is_dir:
        with _open_regular(path):
            pass


def article_id_of(path: Path) -> str:
    """The article id a file gets: ``ID`` for SemEval's ``article{ID}.txt``, else the stem."""
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
    on line 3), one extracted paragraph per line; the title is the headline the page shows,
    once (:func:`_headline`), an ``<h2>`` the page's title names where its only ``<h1>`` is
    its logo or section (:func:`_names_no_headline`). Bytes are decoded as a browser would:
    by their BOM, as UTF-8, or by the page's ``<meta charset>`` (unless it reads clearly
    worse than another: :func:`_checked_label`); else by the legacy charset whose text reads
    best (:func:`_guess_charset`).
    ``metadata`` holds url, title, date, author, sitename and hostname where the page gives
    them; the date is the page's own publication date (:func:`_page_date`), never one guessed
    from its text. ``source`` (default: ``url``) names the page in messages and becomes
    ``Article.source``, e.g. the path of a saved page.
    """
    import trafilatura  # imported here: it is slow to import and only pages need it

    source = source or url
    where = f"'{source}'" if source else "the HTML page"
    if isinstance(html, bytes):
        html = _decode_page(html, None, html=True) or html
    if not html.strip():  # bytes too: a file of blanks is as empty as a blank str
        raise InputError(f"{where} is empty; give an article page")
    # NUL is no character of any page: a PNG or a gzip file served as text/html (whose
    # bytes a lenient decoding turned into "text" in some language) is binary data.
    if (b"\x00" if isinstance(html, bytes) else "\x00") in html:
        raise InputError(
            f"{where} is not an HTML page (it holds NUL bytes: binary data?); give an article page"
        )
    tree, blocks = _parse_html(html, where)
    date = _page_date(tree)  # before extraction, which prunes the tree
    headings = _headings(tree)
    page_titles = _page_titles(tree)
    site_name, page_title = _page_site_name(tree)
    subheading = _named_subheading(tree, page_titles)
    _drop_pull_quotes(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            fast=blocks > MAX_HTML_FALLBACK_BLOCKS,  # no quadratic justext fallback
            # its date is not used (see _page_date): the quickest search
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        reason = str(exc).strip() or f"the extractor failed with {type(exc).__name__}"
        raise InputError(
            f"cannot extract the text of {where}: {reason}; give the article's text instead"
        ) from None
    title = _clean(getattr(doc, "title", None)) if doc is not None else None
    found_site = _clean(getattr(doc, "sitename", None))
    if _swapped(title, found_site, page_title):
        title, found_site = found_site, title
    extracted_title = title
    lines = [line.strip() for line in (getattr(doc, "text", "") or "").split("\n")]
    lines = [line for line in lines if line]
    if subheading and _names_no_headline(title, headings, subheading[0], page_titles):
        title, lines = _subheadline(subheading, lines)
    else:
        title, lines = _headline(title, lines, headings)
    body = "\n".join(lines)
    if not _has_prose(body):
        hint = "give the URL of an article" if url else "give an article's page or its text"
        raise InputError(f"{where} has no main text (no article found); {hint}")
    text = f"{title}\n\n{body}" if title else body
    metadata = {"url": url or _clean(getattr(doc, "url", None)), "title": title, "date": date}
    for key in ("author", "hostname"):
        metadata[key] = _clean(getattr(doc, key, None))
    headlines = [t for t in (title, extracted_title) if t]
    metadata["sitename"] = _site_name([site_name, found_site], page_title, headlines)
    return read_text(
        text,
        id=id or _id_from_url(url, text),
        source=source,
        max_chars=max_chars,
        title_line=bool(title),
        metadata={k: v for k, v in metadata.items() if v},
    )


# A page's headline is its <h1>; og:title and <title> (which trafilatura reads first) often
# word it otherwise: cut short, with the site's name ("Headline | Site"), without its quotes.
# Only so many <h1> are compared (a news page has one or two), and the headline is looked
# for among the first lines of the text (a kicker, a byline or a date may come before it).
_MAX_HEADINGS = 20
_HEADLINE_LINES = 5
_HEADLINE_PARTS = 3  # the lines a heading split by <br> may take
_MIN_HEADLINE_WORDS = 3  # a shorter title that starts a heading is no headline of it
# the headings between a headline and the text that stand first ("sommario", "Lead")
_STANDFIRST_PARTS = 2
_STANDFIRST_TAGS = frozenset("h2 h3 h4 h5 h6".split())
# an <h2> and the tag and text of each element after it
Subheading = tuple[str, list[tuple[str, str]]]
# what separates a headline from the site's name in a title: "A | Site", "Site - A", "A :: Site"
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00b7\u2022\u00bb:/]{1,2}\s+")


# What separates the site's name from the rest of a <title>: "Headline | Site", "Site - Headline"
# (not " : ", which French headlines hold); a site's name has a few words.
_SITE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014\u00b7\u2022\u00bb]|::)\s+")
_MAX_SITE_NAME_WORDS = 6


def _page_site_name(tree: Any) -> tuple[str | None, str | None]:
    """The page's og:site_name and its ``<title>``, read before extraction prunes the tree."""
    names = (
        _clean(meta.get("content"))
        for meta in tree.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:site_name"
    )
    title = next((_element_text(t) for t in itertools.islice(tree.iter("title"), 1)), None)
    return next((name for name in names if name), None), title


def _site_name(found: list[str | None], page_title: str | None, headlines: list[str]) -> str | None:
    """The site's name: the first of ``found`` (og:site_name, then trafilatura's) that is not
    the headline, else the end of the ``<title>`` that is not (:func:`_title_site_name`).

    trafilatura takes the part of a ``<title>`` that holds a full stop for the site's name
    (a domain, it expects): "Sejm przyjął ustawę o mediach. Opozycja protestuje | Portal
    Info" gave the headline as the outlet, which batch stored as the article's source.
    """
    for name in found:
        if name and not any(_in_headline(name, headline) for headline in headlines):
            return name
    return _title_site_name(page_title, headlines)


def _swapped(title: str | None, site: str | None, page_title: str | None) -> bool:
    """True when trafilatura gave the ``<title>``'s site name as the title and its headline as
    the site's name: with no ``<h1>`` and no og:title, it takes the part of "Sejm przyjął
    ustawę. Opozycja protestuje | Portal Info" without a full stop for the title, the one with
    it (a domain, it expects) for the site. A headline is the part with a sentence in it
    and more words."""
    if not title or not site or not page_title:
        return False
    parts = [part.strip() for part in _SITE_SEPARATOR.split(page_title)]
    return (
        title in parts
        and site in parts
        and re.search(r"\w[.!?]\s+\w", site) is not None
        and len(_words(site)) > len(_words(title))
    )


def _in_headline(name: str, headline: str) -> bool:
    """True when ``name`` is the headline, holds it, or is a part of it that no site's name
    would be: three words or more, or a sentence ending inside ("mediach. Opozycja")."""
    said, shown = _words(name), _words(headline)
    if not said or not shown:
        return False
    if _holds(said, shown):
        return True
    sentence = re.search(r"\w[.!?]\s+\w", name) is not None
    return _holds(shown, said) and (len(said) >= _MIN_HEADLINE_WORDS or sentence)


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """True when ``part`` is a run of ``words`` (as strings: linear on a huge ``<title>``)."""
    return f" {' '.join(part)} " in f" {' '.join(words)} "


def _title_site_name(page_title: str | None, headlines: list[str]) -> str | None:
    """The last part of the ``<title>`` (or else its first: "Site - Headline") when the rest
    of it names the headline and the headline does not hold the part ("am Morgen" of "Kiew.
    Die Lage - am Morgen"); None when none is."""
    parts = _SITE_SEPARATOR.split(page_title or "")
    if len(parts) < 2 or not headlines:
        return None
    for name, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
        name = name.strip()
        if (
            0 < len(_words(name)) <= _MAX_SITE_NAME_WORDS
            and not re.search(r"[.!?]$", name)
            and not any(_holds(_words(headline), _words(name)) for headline in headlines)
            and any(_names_headline(" | ".join(rest), headline) for headline in headlines)
        ):
            return name
    return None


def _headings(tree: Any) -> list[str]:
    """The texts of the page's first :data:`_MAX_HEADINGS` ``<h1>`` elements, each once."""
    found: list[str] = []
    for element in itertools.islice(tree.iter("h1"), _MAX_HEADINGS):
        text = _element_text(element)
        if text and text not in found:
            found.append(text)
    return found


def _named_subheading(tree: Any, page_titles: list[str]) -> Subheading | None:
    """The first of the page's first :data:`_MAX_HEADINGS` ``<h2>`` that its og:title or
    ``<title>`` names (:func:`_names_headline`), of at least 3 words, with the tag and text
    of each of the (at most :data:`_STANDFIRST_PARTS` + 1) elements after it (a standfirst
    may be among them: :func:`_standfirst`); None when there is none."""
    for element in itertools.islice(tree.iter("h2"), _MAX_HEADINGS):
        text = _element_text(element)
        if not text or len(_words(text)) < _MIN_HEADLINE_WORDS:
            continue
        if any(_names_headline(page_title, text) for page_title in page_titles):
            after = itertools.islice(
                (e for e in element.itersiblings() if isinstance(e.tag, str)),  # no comments
                _STANDFIRST_PARTS + 1,
            )
            return text, [(e.tag, _element_text(e) or "") for e in after]
    return None


def _element_text(element: Any) -> str | None:
    """The text of ``element``, whitespace-normalised; a ``<br>`` or a block inside it
    separates words, as in the extracted text."""
    from lxml import etree

    parts: list[str] = []
    for event, inner in etree.iterwalk(element, events=("start", "end")):
        breaks = inner.tag == "br" or inner.tag in _BLOCK_TAGS
        if event == "start":
            parts += [" " if breaks else "", inner.text or ""]
        elif inner is not element:
            parts += [" " if breaks else "", inner.tail or ""]
    return _clean("".join(parts))


def _page_titles(tree: Any) -> list[str]:
    """The titles the page gives itself: og:title, twitter:title and ``<title>``."""
    titles = [
        _clean(meta.get("content"))
        for meta in tree.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower()
        in ("og:title", "twitter:title")
    ]
    titles += [_element_text(title) for title in itertools.islice(tree.iter("title"), 1)]
    return [title for title in dict.fromkeys(titles) if title]


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text`` in lower case: what a headline keeps however it is punctuated
    or quoted ("Mayor slams \u201creckless\u201d deal", "Mayor slams reckless deal")."""
    return tuple(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _names_headline(title: str, heading: str) -> bool:
    """True when ``title`` is another form of the headline ``heading``: the same words, one
    cut short of the other, the headline with the site's name, or the headline shortened
    (its first word and some of the others, in order)."""
    said, shown = _words(title), _words(heading)
    if not said or not shown:
        return False
    if said == shown or any(_words(part) == shown for part in _TITLE_SEPARATOR.split(title)):
        return True
    short, long = sorted((said, shown), key=len)
    if len(short) >= _MIN_HEADLINE_WORDS and long[: len(short)] == short:
        return True
    if len(said) < _MIN_HEADLINE_WORDS or said[0] != shown[0]:
        return False
    rest = iter(shown)
    return all(word in rest for word in said)  # in order: each found after the last


def _headline(
    title: str | None, lines: list[str], headings: list[str]
) -> tuple[str | None, list[str]]:
    """The title line and the body's lines, with the headline the page shows once.

    The extracted text often holds the ``<h1>`` while the title trafilatura gives is the
    og:title or ``<title>``: the same headline worded otherwise, which the page does not
    show, and which was analysed a second time (its findings counted twice). The title is
    then the ``<h1>``, taken out of the body, in this order: an ``<h1>`` the title is another
    form of (:func:`_names_headline`) among the first lines (one or a few: a ``<br>`` splits
    a heading); the first of the first lines to say the title (punctuation and case aside),
    such as an ``<h2>`` under a section ``<h1>`` ("Politics", no headline); the page's only
    ``<h1>`` among the first lines, whatever the title says. An ``<h1>`` the
    title names but the text left out becomes the title; otherwise the title stays as
    trafilatura gives it.
    """
    related = [h for h in headings if title and _names_headline(title, h)]
    if found := _first_saying(lines, [_words(h) for h in related]):
        return _take(lines, *found)
    if title and (found := _first_saying(lines, [_words(title)])):
        return _take(lines, *found)
    if len(headings) == 1 and (found := _first_saying(lines, [_words(headings[0])])):
        return _take(lines, *found)
    return (related[0] if related else title), lines


def _names_no_headline(
    title: str | None, headings: list[str], subheading: str, page_titles: list[str]
) -> bool:
    """True when ``title`` is an ``<h1>`` that is the page's logo or section ("Il Corriere
    del Nord", "Politica"), not its headline, which is the ``<h2>`` ``subheading`` that the
    og:title or ``<title>`` names (:func:`_named_subheading`).

    trafilatura takes a page's only ``<h1>`` for its title before its ``<title>``. That
    ``<h1>`` is no headline when the ``<h2>`` has more words and the page's titles name the
    ``<h1>`` only as one of their parts ("Headline - Politica - Site"), if at all: a title
    that is, starts or shortens the ``<h1>`` says that the ``<h1>`` is the headline.
    """
    if title is None or title not in headings:
        return False
    shown = _words(title)
    if len(_words(subheading)) <= len(shown):
        return False
    for page_title in page_titles:
        parts = [_words(part) for part in _TITLE_SEPARATOR.split(page_title)]
        if _names_headline(page_title, title) and (len(parts) < 2 or shown not in parts):
            return False
    return True


def _subheadline(subheading: Subheading, lines: list[str]) -> tuple[str, list[str]]:
    """The title line and the body's lines when the headline is ``subheading``: taken out
    of the first lines if the text holds it; else the title line, with the standfirst
    headings the text left out before the body (:func:`_standfirst`)."""
    headline, after = subheading
    if found := _first_saying(lines, [_words(headline)]):
        return _take(lines, *found)
    return headline, [*_standfirst(after, lines), *lines]


def _standfirst(after: list[tuple[str, str]], lines: list[str]) -> list[str]:
    """The texts of the headings (``<h2>`` to ``<h6>``, at most :data:`_STANDFIRST_PARTS`)
    between the headline and the element the text starts with (``after``: the tag and text
    of each element after the headline); none unless the text starts right after them."""
    first = _words(lines[0]) if lines else ()
    found: list[str] = []
    for tag, text in after:
        if first and _words(text)[: len(first)] == first:
            return found
        if tag not in _STANDFIRST_TAGS or not text:
            return []
        found.append(text)
    return []


def _first_saying(
    lines: list[str], headlines: list[tuple[str, ...]], starts: int = _HEADLINE_LINES
) -> tuple[int, int] | None:
    """Where the first of the ``starts`` first lines begins one of ``headlines`` (the words
    of each), and how many lines say it; None when none does."""
    for start in range(min(len(lines), starts)):
        for words in headlines:
            if count := _lines_saying(lines, start, words):
                return start, count
    return None


def _lines_saying(lines: list[str], start: int, words: tuple[str, ...]) -> int:
    """How many lines from ``start`` (a few at most) say ``words`` together; 0 if none do."""
    said: tuple[str, ...] = ()
    for end in range(start, min(len(lines), start + _HEADLINE_PARTS)):
        said += _words(lines[end])
        if not said or said != words[: len(said)]:
            return 0
        if said == words:
            return end + 1 - start
    return 0


def _take(lines: list[str], start: int, count: int) -> tuple[str, list[str]]:
    """The ``count`` lines from ``start`` as one title line, and the lines left."""
    return " ".join(lines[start : start + count]), lines[:start] + lines[start + count :]


# Where a page states its publication date, in this order: <meta> names and properties
# (lower case), then schema.org's datePublished (JSON-LD, or an element's itemprop).
_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "publishdate", "publish-date", "publish_date", "publication_date",
    "pubdate", "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.date", "dcterms.created", "citation_publication_date", "date",
)  # fmt: skip


def _page_date(tree: Any) -> str | None:
    """The publication date the page's metadata states, as written; None when it states none.

    Only metadata is read (``<meta>``, JSON-LD, ``itemprop="datePublished"``): trafilatura's
    date search went on into the text and the URL and invented what it did not find ("2024"
    became 2024-01-01, "2024-07" July of today's day, a page without one took "November 1,
    2018" from a tweet it quotes). A whole ISO 8601 or RFC 2822 date-time is given as its
    date (``2024-03-05T10:00:00Z``: 2024-03-05, the date as written); anything else is kept
    as the page gives it, and the store keeps such an article undated (batch warns).
    """
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        content = _clean(meta.get("content"))
        if name in _DATE_META and content and name not in found:
            found[name] = content
    value = next((found[name] for name in _DATE_META if name in found), None)
    if value is None:
        value = _json_ld_date(tree)
    if value is None:
        for element in tree.iter():
            if str(element.get("itemprop") or "").strip().lower() == "datepublished":
                value = _clean(element.get("datetime") or element.get("content"))
                if value:
                    break
    return _as_written(value) if value else None


def _json_ld_date(tree: Any) -> str | None:
    """schema.org's ``datePublished`` in the page's JSON-LD, the first found; else None."""

    def search(node: Any) -> str | None:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value.strip()
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return None
        return next((found for child in children if (found := search(child))), None)

    for script in tree.iter("script"):
        if str(script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
            found = search(data)
        except (ValueError, RecursionError):  # broken, or nested past what JSON-LD needs
            continue
        if found:
            return found
    return None


def _as_written(value: str) -> str:
    """A whole ISO 8601 or RFC 2822 date-time as its date (as written), else ``value``; the
    Unix epoch in any time zone ("1969-12-31T19:00:00-05:00") stays whole, so that the store
    knows it for the placeholder it is rather than take it for New Year's Eve 1969."""
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    moment = None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return value
    try:
        if moment.tzinfo is not None and moment.astimezone(UTC).timestamp() == 0:
            return value
    except (OverflowError, ValueError):
        pass
    return moment.date().isoformat()


def _parse_html(html: str | bytes, where: str) -> tuple[Any, int]:
    """The page as an lxml tree and its number of text blocks.

    It is parsed as trafilatura would but with libxml2's depth limit raised from 256 to
    2,048 (huge_tree), so that pages built of deeply nested wrappers keep their text;
    anything deeper, nested more than :data:`MAX_HTML_NESTING` in all, of more than
    :data:`MAX_HTML_ELEMENTS` elements, or with more attributes than
    :data:`MAX_HTML_ATTRIBUTES` on an element or :data:`MAX_HTML_PAGE_ATTRIBUTES` in all
    (counted before parsing) is refused at once rather than extracted for minutes. The inline
    elements of a block crowded with them are unwrapped, and a page with more than
    :data:`MAX_HTML_PARAGRAPH_TEXTS` text nodes in its paragraphs is refused.
    """
    from lxml import etree
    from lxml.html import HTMLParser, fromstring
    from trafilatura.utils import decode_file, repair_faulty_html

    text = decode_file(html)  # charset sniffing and bounded decompression, as trafilatura does
    # a line or page break is a word boundary, as from a reference (below); repairing the
    # markup drops the character and joins the words ("one\vtwo": "onetwo")
    text = text.translate(_NOT_XML_SPACE)
    text = repair_faulty_html(text, text[:50].lower())
    most, total = _attribute_counts(text)
    if most > MAX_HTML_ATTRIBUTES:
        raise InputError(
            f"{where} has an HTML element with {most:,} attributes, more than the limit of "
            f"{MAX_HTML_ATTRIBUTES:,} (an element of an article page has a few); give the "
            "article's text instead"
        )
    if total > MAX_HTML_PAGE_ATTRIBUTES:
        raise InputError(
            f"{where} has more HTML attributes than the limit of {MAX_HTML_PAGE_ATTRIBUTES:,} "
            "(an article page has far fewer); give the article's text instead"
        )
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        tree = fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot extract the text of {where}: {exc}") from None
    _drop_non_xml(tree)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise InputError(
            f"{where} is nested more than {MAX_HTML_DEPTH:,} elements deep; not a readable "
            "page (give the article's text instead)"
        )
    nesting, elements, blocks, crowded = _page_shape(tree)
    if nesting > MAX_HTML_NESTING:
        raise InputError(
            f"{where} is nested too deeply to read (total nesting {nesting:,}, limit "
            f"{MAX_HTML_NESTING:,}); give the article's text instead"
        )
    if elements > MAX_HTML_ELEMENTS:
        raise InputError(
            f"{where} has {elements:,} HTML elements, more than the limit of "
            f"{MAX_HTML_ELEMENTS:,} (an article page has a few thousand); give the article's "
            "text instead"
        )
    if crowded:
        _unwrap_inline(crowded)
    texts = _paragraph_texts(tree)
    if texts > MAX_HTML_PARAGRAPH_TEXTS:
        raise InputError(
            f"{where} has {texts:,} pieces of text inside its paragraphs (<p>), more than the "
            f"limit of {MAX_HTML_PARAGRAPH_TEXTS:,} (an article page has a few thousand); give "
            "the article's text instead"
        )
    return tree, blocks


# Characters XML cannot hold. A character reference can put them in the tree (Word's manual
# line break "&#11;" in pasted text, "&#x1b;", "&#xFFFE;"); trafilatura then copies a text into
# a new element, lxml refuses it ("All strings must be XML compatible") and trafilatura drops
# the whole page as if it had no text. Raw control characters never reach the tree.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML_SPACE = str.maketrans("\x0b\x0c", "  ")  # line and page breaks: a word boundary


def _drop_non_xml(tree: Any) -> None:
    """Remove the characters XML cannot hold from the tree's texts, tails and attribute
    values (vertical tab and form feed become spaces)."""

    def clean(value: str) -> str:
        return _NOT_XML.sub("", value.translate(_NOT_XML_SPACE))

    for element in tree.iter():
        if element.text and _NOT_XML.search(element.text):
            element.text = clean(element.text)
        if element.tail and _NOT_XML.search(element.tail):
            element.tail = clean(element.tail)
        for name, value in element.attrib.items():
            if _NOT_XML.search(value):
                element.set(name, clean(value))


# The start tags of a page as libxml2 (2.14, HTML5 tokenization) reads them, to count their
# attributes before it does: a tag's name and attributes end at the first ">" outside a quoted
# value; an attribute is separated from the next by white space or "/", or follows a quoted
# value directly; comments, doctypes and the text of raw-text elements (script, style, title,
# textarea...) hold no tags. Where this reading may differ from libxml2's, it counts more.
_MARKUP = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*+)|<!--|<[!?/]")
_ATTRIBUTE = (
    r"""[^\t\n\f\r />][^\t\n\f\r />=]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+))?+"""
)
_TAG_ATTRIBUTES = re.compile(rf"(?:[\t\n\f\r /]++|{_ATTRIBUTE})*+")
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)
_COMMENT_END = re.compile(r"--!?>")
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE | re.ASCII)
    for name in ("style", "xmp", "iframe", "noembed", "noframes", "textarea", "title")
}
# Script text ends at </script, except inside "<!--" where a "<script" begins text that a
# "</script" only ends ("double escaped"); "-->" leaves either (the HTML5 script states).
_SCRIPT_STATES = (
    re.compile(r"</script[\t\n\f\r />]|(<!--)", re.IGNORECASE | re.ASCII),
    re.compile(r"</script[\t\n\f\r />]|(-->)|(<script[\t\n\f\r />])", re.IGNORECASE | re.ASCII),
    re.compile(r"(</script[\t\n\f\r />])|(-->)", re.IGNORECASE | re.ASCII),
)


def _attribute_counts(text: str) -> tuple[int, int]:
    """The most attributes on one start tag of the page, and the attributes of all of them,
    counted in time linear in the page's length; the count stops at the first tag that takes
    either over its limit."""
    most = total = 0
    pos = 0
    while (tag := _MARKUP.search(text, pos)) is not None:
        name = tag.group(2)
        if name is None:  # a comment (ending at "-->", or "<!-->"), doctype or bogus comment
            start = tag.end()
            if tag.group() != "<!--":
                end = text.find(">", start)
                pos = end + 1 if end >= 0 else len(text)
            elif text.startswith((">", "->"), start):  # "<!-->", "<!--->"
                pos = text.index(">", start) + 1
            else:
                end_match = _COMMENT_END.search(text, start)
                pos = end_match.end() if end_match else len(text)
            continue
        stop = _TAG_ATTRIBUTES.match(text, tag.end()).end()  # at ">" or the end of the page
        if not tag.group(1):  # a start tag (libxml2 keeps no attributes of an end tag)
            count = _ONE_ATTRIBUTE.subn("", text[tag.end() : stop])[1] if stop > tag.end() else 0
            most, total = max(most, count), total + count
            if most > MAX_HTML_ATTRIBUTES or total > MAX_HTML_PAGE_ATTRIBUTES:
                break
        if stop >= len(text):
            break
        pos = stop + 1
        raw = name.lower()
        if tag.group(1) or not (raw in _RAW_TEXT_END or raw in ("script", "plaintext")):
            continue
        if text[stop - 1] == "/":  # "<script/>" holds no text; "<script src=a/>" does
            attributes = _ONE_ATTRIBUTE.finditer(text, tag.end(), stop)
            if max((a.end() for a in attributes), default=tag.end()) < stop:
                continue
        if raw == "plaintext":
            break
        pos = _script_end(text, pos) if raw == "script" else _raw_text_end(text, pos, raw)
    return most, total


def _raw_text_end(text: str, pos: int, name: str) -> int:
    end = _RAW_TEXT_END[name].search(text, pos)
    return end.start() if end else len(text)


def _script_end(text: str, pos: int) -> int:
    """Where the text of a script that starts at ``pos`` ends (its end tag's "<")."""
    state = 0  # 0: script text, 1: inside "<!--", 2: inside "<!-- <script"
    while (event := _SCRIPT_STATES[state].search(text, pos)) is not None:
        if state == 0:
            if event.group(1) is None:
                return event.start()
            state, pos = 1, event.start() + 2  # "<!-->" and "<!--->" end at once
        elif state == 1:
            if event.group(1) is None and event.group(2) is None:
                return event.start()
            state, pos = (0 if event.group(1) else 2), event.end()
        else:
            state, pos = (1 if event.group(1) else 0), event.end()
    return len(text)


def _page_shape(tree: Any) -> tuple[int, int, int, dict[Any, list[Any]]]:
    """The page's total nesting (sum of element depths: the work a walk over every ancestor
    chain does), its number of elements, its number of text blocks as justext splits them
    (runs of text between the start or end of a block element, or ``<br><br>``), and the
    blocks holding more inline elements (outside any nested block) than
    :data:`MAX_HTML_INLINE` for a ``<p>`` or :data:`MAX_HTML_BLOCK_INLINE` for another
    block, each with those elements."""
    from lxml import etree

    depth = nesting = elements = blocks = 0
    has_text = after_br = False
    # the innermost open block element (the root for what lies outside any) and its inline
    # elements
    runs: list[tuple[Any, list[Any]]] = [(tree, [])]
    crowded: dict[Any, list[Any]] = {}
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            depth += 1
            nesting += depth
            elements += 1
            breaks = tag in _BLOCK_TAGS or (tag == "br" and after_br)
            if tag not in _BLOCK_TAGS:
                after_br = not breaks and tag == "br"
            if tag in _BLOCK_TAGS:
                runs.append((element, []))
            elif tag in _INLINE_TAGS:
                runs[-1][1].append(element)
            text = element.text
        else:
            depth -= 1
            breaks = tag in _BLOCK_TAGS
            if breaks:
                _crowded(runs.pop(), crowded)
            text = element.tail
        if breaks:
            blocks += has_text
            has_text = False
        if text and not text.isspace():
            has_text, after_br = True, False
    _crowded(runs.pop(), crowded)
    return nesting, elements, blocks + has_text, crowded


def _crowded(run: tuple[Any, list[Any]], crowded: dict[Any, list[Any]]) -> None:
    """Keep a block and its inline elements in ``crowded`` when they are over the limit."""
    if len(run[1]) > (MAX_HTML_INLINE if run[0].tag == "p" else MAX_HTML_BLOCK_INLINE):
        crowded[run[0]] = run[1]


_UNWRAP = "propscope-unwrap"


def _unwrap_inline(crowded: dict[Any, list[Any]]) -> None:
    """Unwrap the inline elements of crowded blocks, keeping their text and what they hold,
    each run of text left as one text node. Linear in the size of the blocks: lxml's
    strip_tags would leave the pieces apart, and reading such a run back is quadratic."""
    parents: dict[Any, None] = {}
    for inline in crowded.values():
        for element in inline:
            element.tag = _UNWRAP
    for inline in crowded.values():
        for element in inline:
            parent = element.getparent()
            if parent is not None and parent.tag != _UNWRAP:
                parents[parent] = None
    for parent in parents:
        _flatten(parent)


def _flatten(parent: Any) -> None:
    """Put the content of ``parent``'s unwrapped descendants (those reached through
    unwrapped elements only) in their place, joining each run of text once."""
    runs: list[list[str]] = [[parent.text or ""]]
    kept: list[Any] = []
    stack: list[tuple[Iterator[Any], Any]] = [(iter(parent), None)]
    while stack:
        children, owner = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if owner is not None:
                runs[-1].append(owner.tail or "")
        elif child.tag == _UNWRAP:
            runs[-1].append(child.text or "")
            stack.append((iter(child), child))
        else:
            kept.append(child)
            runs.append([child.tail or ""])
    texts = ["".join(run) or None for run in runs]
    del parent[:]
    parent.text = texts[0]
    for child, tail in zip(kept, texts[1:], strict=True):
        parent.append(child)
        child.tail = tail


def _paragraph_texts(tree: Any) -> int:
    """The text nodes inside the page's ``<p>`` elements (their text and that of everything in
    them, and the tails of what they hold): what trafilatura's "//p//text()" collects."""
    count = 0
    for paragraph in tree.iter("p"):
        count += bool(paragraph.text)
        for element in paragraph.iterdescendants():
            count += bool(element.text) + bool(element.tail)
    return count


# Where pages put pull quotes: a sentence of the article repeated in large type beside it.
_PULL_QUOTE_TAGS = ("blockquote", "aside", "figure")
_PULL_QUOTE_CLASS = re.compile(r"pull[-_ ]?quote", re.IGNORECASE)
_MAX_PULL_QUOTES = 100  # a page has a few; each is searched for in the whole body
_MAX_PULL_QUOTE_CHARS = 1_000  # a pull quote is a sentence or two, not an essay
_PULL_QUOTE_WORDS = 5  # fewer repeated words ("No.") may be a real quote that recurs
_ELLIPSIS = re.compile(r"\.\.\.|…|\[…\]|\[\.\.\.\]")
_QUOTE_MARKS = str.maketrans("“”„‟«»‘’‚‛‹›", "\"\"\"\"\"\"''''''")
_PIECE_EDGES = " \"'.,;:!?-–—"


def _drop_pull_quotes(tree: Any) -> None:
    """Remove the pull quotes of a page: a ``<blockquote>``, ``<aside>`` or ``<figure>`` (or
    an element whose class or id says pull quote) whose text the page's paragraphs outside
    them already hold, cut short or elided with an ellipsis as pull quotes are (a piece of 5
    words or more at least). trafilatura kept one as a paragraph of its own, and its finding
    was counted twice. A block quote that says what no paragraph does stays."""
    candidates = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and (
            element.tag in _PULL_QUOTE_TAGS
            or _PULL_QUOTE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")
        )
    ][:_MAX_PULL_QUOTES]
    if not candidates:
        return
    # elements, not their id(): lxml makes a new proxy (and id) for an element not held
    inside: set[Any] = set()
    for candidate in candidates:
        if candidate not in inside:  # nested ones once: linear in the page
            inside.update(candidate.iter())
    body = "\n".join(_quotable(p.text_content()) for p in tree.iter("p") if p not in inside)
    dropped: set[Any] = set()
    for candidate in candidates:
        if candidate in dropped:
            continue
        parts = [p.text_content() for p in candidate.iter("p")] or [candidate.text_content()]
        if sum(map(len, parts)) > _MAX_PULL_QUOTE_CHARS:
            continue  # no pull quote: each piece of it searched in the body grew with both
        pieces = list(
            dict.fromkeys(
                piece
                for part in parts
                for piece in (p.strip(_PIECE_EDGES) for p in _ELLIPSIS.split(_quotable(part)))
                if piece
            )
        )
        if max((len(piece.split()) for piece in pieces), default=0) < _PULL_QUOTE_WORDS:
            continue
        if all(piece in body for piece in pieces):
            dropped.update(candidate.iter())
            candidate.drop_tree()  # its tail (text after it) stays


def _quotable(text: str) -> str:
    """``text`` as pull quotes are compared: one space between words, quote marks plain,
    case folded."""
    return " ".join(text.translate(_QUOTE_MARKS).split()).casefold()


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


def _shown_url(url: str) -> str:
    """``url`` for a message: without its ``user:password@``, as far as it can be parsed."""
    try:
        return _without_userinfo(url)
    except ValueError:  # "http://u:p@[::1": no host to keep; shown as given
        return url


def _without_userinfo(url: str) -> str:
    """``url`` without its ``user:password@``: the stored article, its source and site name,
    and the read API must not give away the credentials a page was fetched with."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def fetch_url(
    url: str,
    timeout: float = 15.0,
    max_bytes: int = 5_000_000,
    *,
    allow_private: bool = False,
    max_chars: int = MAX_CHARS,
) -> Article:
    """Download an article page (http/https) and read it like :func:`read_html`.

    ``timeout`` bounds the whole fetch (every redirect, connection, TLS handshake and read
    together), so a server that trickles bytes cannot hold it longer. Redirects (at most 5)
    are followed by hand so every hop is checked; with ``allow_private=False`` hosts
    resolving to loopback, private, link-local or other non-public addresses are refused (a
    server-side fetcher must not reach the intranet). Each host is resolved once and the
    connection dials exactly the addresses that passed the check, so a resolver cannot
    answer differently the second time (DNS rebinding); the Host header, TLS SNI and
    certificate check still use the host name. ``text/plain`` pages are read as text. The
    body is streamed and cut at ``max_bytes``. Proxy settings from the environment are not
    used: a proxy would resolve the host itself, past the check.
    """
    import httpx

    from propscope.io.pinned_http import Deadline, PinnedBackend, pinned_transport

    backend = PinnedBackend(Deadline(timeout))
    current = url
    shown = _shown_url(url)  # messages too keep no password
    try:
        with httpx.Client(
            transport=pinned_transport(backend),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": _USER_AGENT},
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                try:
                    addresses = _resolve_url(current, allow_private)
                except InputError as exc:  # say which URL the user gave led there
                    if current == url:
                        raise
                    raise InputError(
                        f"'{shown}' redirects to '{_shown_url(current)}', which is refused: {exc}"
                    ) from None
                backend.pin(current, addresses)
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = str(response.url.join(response.headers["location"]))
                        continue
                    mime, body, encoding = _read_response(response, shown, max_bytes)
                    final = str(response.url)
                break
            else:
                raise InputError(f"cannot fetch '{shown}': more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise InputError(
            f"cannot fetch '{shown}': no complete answer within {timeout:g} s"
        ) from None
    except httpx.ConnectError as exc:
        raise InputError(
            f"cannot fetch '{shown}': connection failed ({exc}); check the address and network"
        ) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InputError(f"cannot fetch '{shown}': invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch '{shown}': {type(exc).__name__}: {exc}") from None

    # a user:password in the address fetched the page, but is neither stored nor shown
    final, url = _without_userinfo(final), _without_userinfo(url)
    metadata = {"url": final} if final == url else {"url": final, "requested_url": url}
    decoded = _decode_page(body, encoding, html=mime != "text/plain")
    if mime == "text/plain":
        if decoded is None:
            raise InputError(f"'{url}' is not readable text (bad encoding); give an article page")
        return read_text(
            decoded,
            id=_id_from_url(final, decoded),
            source=final,
            max_chars=max_chars,
            metadata=metadata,
        )
    # a page is decoded as a file is: bytes left undecoded hold NULs, and read_html refuses them
    article = read_html(body if decoded is None else decoded, url=final, max_chars=max_chars)
    return article.model_copy(update={"metadata": {**article.metadata, **metadata}})


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# The WHATWG Encoding Standard's labels of UTF-16LE and UTF-16BE. The HTML standard reads a
# <meta> naming one of them as UTF-8: bytes whose ASCII the meta prescan could read are not
# UTF-16 (a real UTF-16 page has a BOM, or says so in its Content-Type).
_UTF16_LABELS = frozenset(
    "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le".split()
    + "unicodefffe utf-16be".split()
)


def _decode_page(body: bytes, declared: str | None, *, html: bool) -> str | None:
    """The page's text; for text (not ``html``), None when no charset decodes it cleanly,
    and for HTML only when its bytes hold NULs (binary data, refused by :func:`read_html`).

    The Content-Type charset is often a server's default, not the page's: a UTF-8 page served
    as ``charset=utf-16`` decodes into CJK-looking garbage. So bytes that are valid UTF-8 are
    read as UTF-8 whatever the header says (text in another charset is practically never
    valid UTF-8 once it has a non-ASCII byte), except when the header names a charset and the
    bytes hold NULs (UTF-16 or UTF-32 without a BOM, whose ASCII is valid UTF-8). Then come
    the header's charset and a page's own ``<meta charset>``, each only if it decodes cleanly
    and, for a single-byte charset (which decodes any bytes), unless another reads clearly
    better (:func:`_checked_label`). A UTF-16 byte order mark comes before all of these, as
    in browsers, and a ``<meta>`` naming UTF-16 means UTF-8, as the HTML standard says. An
    HTML page that none of them decodes is read in the charset that reads best
    (:func:`_guess_charset`), the same whether it came from a server or a file.
    """
    bom = _utf16_bom(body)
    named = [declared] if declared else []
    meta = _META_CHARSET.search(body[:4096]) if html else None
    if meta:
        label = meta.group(1).decode("ascii")
        named.append("utf-8" if label.lower() in _UTF16_LABELS else label)
    named = [codec for label in named for codec in _browser_codecs(label)]
    first = [bom] if bom else []
    first += ["utf-8"] if declared is None or b"\x00" not in body else []
    for name in [*first, *named]:
        try:
            text = body.decode(name)
        except UnicodeError:  # UnicodeDecodeError, or a codec's own ("punycode")
            continue
        if name in first or len(text) != len(body) or b"\x00" in body:
            return text
        # a single-byte charset decodes any bytes: that it did says nothing
        return _checked_label(body, name, named, text)
    if not html:
        return None
    if b"\x00" in body:  # binary data (read_html refuses it), or UTF-16 with a broken character
        return _lenient(body, named[0]) if named else None
    return _lenient(body, _guess_charset(body, named, _charset_fit(body)[0])[0])


def _checked_label(body: bytes, name: str, named: list[str], text: str) -> str:
    """``text``, ``body`` decoded in the single-byte charset ``name`` its page names, unless
    the charset that reads best (:func:`_guess_charset`) reads clearly better: by more than
    half the words beyond ASCII and more than 4, or by more than 2 words where the text
    holds C1 control characters (U+0080-U+009F, which no page writes: bytes of another
    charset).

    A page or a server may name a charset the page is not in (a server's ISO-8859-1 default,
    KOI8-R for windows-1251): every byte is a character of it, and a Russian page read so
    was analysed as "кЮБПНБ: гЮОЮД". The margin keeps a page whose charset is right in it,
    as one charset's letters are often another's ("Peña", "Peńa"). The six languages'
    training articles as pages (whole, and their first paragraph), in each legacy charset
    that writes them: all 2,986 named rightly keep it, as do pages of Czech, Ukrainian,
    Turkish, Latvian... (with a margin of a quarter of the words, Latvian ISO-8859-13 became
    windows-1252's "Valdîba"; with one of 2 words, 2 English KOI8-R pages lost their "©" to
    "ż"). Of the 21,153 named wrongly 88% read as written (Russian windows-1251 named KOI8-R
    168 of 170, Polish windows-1250 named ISO-8859-2 170 of 177), the rest mostly Italian
    and French named windows-1250 or -1251, where their accents stay letters.
    """
    fit, words = _charset_fit(body)
    codec, score = _guess_charset(body, named, fit)
    margin = _CLEARLY_BETTER if _C1_CONTROL.search(text) else max(_LABEL_MARGIN, words // 2)
    return _lenient(body, codec) if score > fit(name) + margin else text


# The legacy charsets of the analysed languages' pages, the most used first (so they win a
# tie, as the same letters in windows-1252 and windows-1250 do): what a page that names no
# charset, or names one that cannot decode it, is most likely written in.
_LEGACY_CODECS = (
    "cp1252", "cp1250", "cp1251", "iso8859-2", "koi8-r", "iso8859-15", "ibm866", "iso8859-5",
)  # fmt: skip


def _guess_charset(body: bytes, named: list[str], fit: Callable[[str], int]) -> tuple[str, int]:
    """The charset whose words read best in ``body`` (HTML that no charset named decodes
    cleanly, or only a single-byte one), and how well they read: ``fit`` (of
    :func:`_charset_fit`).

    The candidates are the charsets named and UTF-8, decoded leniently (a UTF-8 page with
    one broken character keeps the rest), and those that decode the page cleanly:
    windows-1252 (browsers' default), charset-normalizer's first guesses (trafilatura's
    choice: a Hebrew page reads as plausible Russian in windows-1251) and the legacy
    charsets of the analysed languages, the more common first. Each of these stands unless
    a later one reads better by more than 2 words, and a lenient one is taken where it reads
    best.
    An ISO-8859-2 page read with charset-normalizer's first guess, ISO-8859-10, wrote Polish
    "zależność" as "zaleŋnoķæ"; a windows-1252 page served as UTF-8 had replacement
    characters for its accents; an English page's "Peña" read as windows-1250 would be
    "Peńa", a Polish word.
    """
    from trafilatura.utils import detect_encoding

    guesses = [name for name in detect_encoding(body) if _browser_codecs(name)][:_GUESSES]
    lenient = {
        codec: fit(codec)
        for codec in dict.fromkeys(codecs.lookup(name).name for name in [*named, "utf-8"])
    }
    best = max(lenient, key=lenient.__getitem__)  # the first of the best
    chosen = None
    preferred = [_LEGACY_CODECS[0], *guesses, *_LEGACY_CODECS[1:]]
    for codec in dict.fromkeys(codecs.lookup(name).name for name in preferred):
        try:
            body.decode(codec)
        except UnicodeError:
            continue
        score = fit(codec)
        if chosen is None or score > chosen[1] + _CLEARLY_BETTER:
            chosen = codec, score
    if chosen is not None and chosen[1] > lenient[best]:
        return chosen
    return best, lenient[best]


def _charset_fit(body: bytes) -> tuple[Callable[[str], int], int]:
    """How well the words of ``body`` beyond ASCII read in a charset (`language.letter_fit`
    of them decoded in it), and how many such words there are (at most 5,000, found once)."""
    from propscope.language import letter_fit

    whole, cut = _words_beyond_ascii(body)

    def fit(codec: str) -> int:
        # a word cut in two may have lost half a character at either end
        ends = _CUT_ENDS.sub("", _lenient(cut, codec))
        return letter_fit(_lenient(whole, codec) + "\n" + ends)

    return fit, len(whole.split(b"\n")) * bool(whole) + len(cut.split(b"\n")) * bool(cut)


_GUESSES = 3  # charset-normalizer's guesses worth trying (it lists up to dozens)
_CLEARLY_BETTER = 2  # words
_LABEL_MARGIN = 4  # words: what a page's own charset may read worse by, at least
_CUT_ENDS = re.compile("^\ufffd+|\ufffd+$", re.MULTILINE)
_C1_CONTROL = re.compile("[\x80-\x9f]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_SPACE_BYTE = re.compile(rb"[\t\n\f\r ]")
_WORD_START = re.compile(rb"[\t\n\f\r ][^\t\n\f\r ]*\Z")


def _words_beyond_ascii(body: bytes, limit: int = 5_000, reach: int = 64) -> tuple[bytes, bytes]:
    """The first ``limit`` words of ``body`` (between ASCII white space, which no charset
    of the web uses inside a character) that hold bytes beyond ASCII, one a line: those
    read whole, and those cut (a word is cut ``reach`` bytes before its first such byte and
    4 times that after, which may fall inside a character). Found in time linear in the
    page: a charset is told by these words, and scoring a whole page in a dozen charsets
    took seconds."""
    words: tuple[list[bytes], list[bytes]] = ([], [])
    pos = 0
    while (
        len(words[0]) + len(words[1]) < limit and (high := _HIGH_BYTE.search(body, pos)) is not None
    ):
        at = high.start()
        before = _WORD_START.search(body, max(pos, at - reach), at)
        start = before.start() + 1 if before else max(pos, at - reach)
        after = _SPACE_BYTE.search(body, at, at + 4 * reach)
        pos = after.start() if after else min(len(body), at + 4 * reach)
        words[before is None or (after is None and pos < len(body))].append(body[start:pos])
    return b"\n".join(words[0]), b"\n".join(words[1])


def _lenient(body: bytes, codec: str) -> str:
    """``body`` decoded with ``codec``, each byte it cannot decode a replacement character."""
    return body.decode(codec, errors="replace")


def _browser_codecs(label: str) -> list[str]:
    """The codecs a browser decodes a charset label with: per the WHATWG Encoding Standard,
    ISO-8859-1 and ASCII labels mean windows-1252 (pages labelled so use its curly quotes
    and dashes, which latin-1 turns into invisible control characters); latin-1 is kept for
    the 5 bytes windows-1252 leaves undefined."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return []
    if not info._is_text_encoding or info.name in _PYTHON_ONLY_CODECS:
        return []  # a page cannot name them: browsers know no such charset
    return ["cp1252", "latin-1"] if info.name in ("iso8859-1", "ascii") else [label]


# Text codecs of Python that are no charset of the web: a page naming one ("undefined" fails
# on every byte, "punycode" raises its own error) is read as if it named none. UTF-7 is
# refused by browsers too (script could hide in it).
_PYTHON_ONLY_CODECS = frozenset(
    "undefined punycode idna unicode-escape raw-unicode-escape utf-7 charmap".split()
)


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise ``InputError`` unless :func:`fetch_url` may fetch ``url`` (http/https, a host,
    a public address); lets a server tell a bad URL (400) from a failing site (502)."""
    _check_url(url, allow_private)


def _check_url(url: str, allow_private: bool) -> None:
    if allow_private:
        _url_host(url)
    else:
        _resolve_url(url, allow_private)


def _url_host(url: str) -> str:
    """The host name of an http(s) URL; other schemes and URLs without a host are refused."""
    shown = _shown_url(url)
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:  # "http://[::1", "http://[zz]/"
        raise InputError(f"cannot fetch '{shown}': invalid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"cannot fetch '{shown}': only http:// and https:// URLs are supported")
    if not hostname:
        raise InputError(f"cannot fetch '{shown}': the URL has no host name")
    return hostname


def _resolve_url(url: str, allow_private: bool) -> list[str]:
    """The addresses of the URL's host, in the resolver's order; with ``allow_private=False``
    refused if any of them is not a public address."""
    import httpx

    host = _url_host(url)
    shown = _shown_url(url)
    try:
        port = urlsplit(url).port or (80 if url.lower().startswith("http:") else 443)
        name = httpx.URL(url).raw_host.decode("ascii")  # IDNA, as the connection will use it
        infos = socket.getaddrinfo(name, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError, httpx.InvalidURL) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot fetch '{shown}': host '{host}' not found ({reason})") from None
    addresses: list[str] = []
    for *_, sockaddr in infos:
        text = str(sockaddr[0])
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not allow_private and (bad := non_public_address(address)) is not None:
            named = f"{bad} (carried in {address})" if bad != address else f"{address}"
            raise InputError(
                f"refusing to fetch '{shown}': host '{host}' resolves to the non-public address "
                f"{named}; pass allow_private=True to allow local and private hosts"
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise InputError(f"cannot fetch '{shown}': host '{host}' has no address")
    return addresses


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits, and reach it: a
# NAT64 gateway (RFC 6052's well-known prefix) or an SIIT translator (RFC 2765's
# IPv4-translated addresses) forwards to it, and an IPv4-compatible address (deprecated)
# is tunnelled to it. 6to4 (2002::/16) carries it in bits 16 to 48 (``sixtofour``).
_IPV4_CARRYING = tuple(
    ipaddress.ip_network(prefix) for prefix in ("64:ff9b::/96", "::ffff:0:0:0/96", "::/96")
)
# RFC 8215's NAT64 prefix for local use: the network's own translator, reaching whatever
# IPv4 it is set up to (Python marks it global before 3.12.4).
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def non_public_address(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The non-public address that connecting to ``address`` reaches, or None.

    That is ``address`` itself when it is not global (loopback, private, link-local...) or is
    multicast, or the IPv4 address an IPv6 one carries (IPv4-mapped, NAT64, 6to4,
    IPv4-compatible): ``[64:ff9b::a00:1]`` reaches 10.0.0.1 through a NAT64 gateway.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return non_public_address(address.ipv4_mapped)  # the IPv4 address the socket dials
    if not address.is_global or address.is_multicast:
        return address
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return address
        carried = address.sixtofour
        if carried is None and any(address in prefix for prefix in _IPV4_CARRYING):
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return non_public_address(carried)
    return None


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
    # httpx undoes every coding listed, each in one go per chunk: "gzip, gzip" turns a few KB
    # into gigabytes before the size check below sees a byte. No server compresses twice.
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
    if len([c for c in codings if c not in ("", "identity")]) > 1:
        raise InputError(
            f"'{url}' is compressed more than once (Content-Encoding: "
            f"{response.headers['content-encoding'][:100]}); not a page that can be read safely"
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


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(spec: str) -> bool:
    """Whether an input spec is a URL (any scheme; `fetch_url` refuses all but http(s))."""
    return _SCHEME.match(spec) is not None


def is_article_name(name: str) -> bool:
    """Whether a folder entry of this name is read as an article: an article suffix, and not
    hidden (macOS ``._*`` resource forks)."""
    return Path(name).suffix.lower() in ARTICLE_SUFFIXES and not name.startswith(".")


def read_path(
    spec: str,
    *,
    allow_private: bool = False,
    max_chars: int = MAX_CHARS,
    on_error: RecordErrorHandler | None = None,
) -> list[Article]:
    """Articles from one input spec: ``-`` (stdin), an http(s) URL, a directory or a file.

    A directory yields the ``*.txt``, ``*.html`` and ``*.htm`` files below it, recursively, in
    path order, as ``propscope batch`` reads one (`article_files`). A file or sub-folder of
    the directory that cannot be read raises ``InputError``; with ``on_error`` it is passed
    there (with its path) and the others are read.
    """
    if spec == "-":
        return [read_text(_read_stdin(max_chars), id="stdin", source="-", max_chars=max_chars)]
    if is_url(spec):  # fetch_url refuses non-http schemes
        return [fetch_url(spec, allow_private=allow_private, max_chars=max_chars)]
    path = Path(spec)
    check_path(path)  # is_dir() raises for a name too long, a folder not to be entered
    if not path.is_dir():
        return [read_article_file(path, max_chars=max_chars)]
    articles = []
    for file in _folder_articles(path, on_error):
        try:
            articles.append(read_article_file(file, max_chars=max_chars))
        except InputError as exc:
            _report(str(file), exc, on_error)
    return articles


def article_files(root: Path, on_error: Callable[[OSError], None] | None = None) -> list[Path]:
    """Article files (.txt, .html, .htm) under ``root``, recursively, in path order.

    Hidden files and folders (``.git``, macOS ``._*`` forks) are skipped, and links to
    folders are not followed (no loops). A folder that cannot be listed goes to ``on_error``
    (the OSError names it) instead of vanishing; anything else with an article suffix (a
    FIFO, a broken link, a link loop) is listed, so that reading it reports why it failed.
    """
    files: list[Path] = []
    for folder, folders, names in os.walk(root, onerror=on_error):
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(Path(folder, name) for name in names if is_article_name(name))
    return sorted(files)


def _folder_articles(path: Path, on_error: RecordErrorHandler | None = None) -> list[Path]:
    """The article files below a folder (`article_files`); a sub-folder that cannot be
    listed is reported (or raised without ``on_error``), the folder itself always raises."""
    unreadable: list[OSError] = []
    files = article_files(path, unreadable.append)
    for exc in unreadable:
        folder = Path(exc.filename or path)
        if folder == path:
            raise _os_error(path, exc, "folder ")
        _report(str(folder), _os_error(folder, exc, "folder "), on_error)
    if not files:
        raise InputError(
            f"directory '{path}' contains no .txt or .html articles (sub-folders included)"
        )
    return files


def _read_stdin(max_chars: int = MAX_CHARS) -> str:
    """Standard input as text, reading at most ``max_chars + 1`` characters (plus one chunk):
    ``yes | propscope analyze -`` stops at the limit instead of filling memory."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, notebooks)
        text = sys.stdin.read(max_chars + 1)
    else:
        # bytes, decoded without newline translation: CRLF offsets survive
        decoder = codecs.getincrementaldecoder("utf-8")()
        read = getattr(buffer, "read1", None) or buffer.read  # read1: what is there, no waiting
        parts: list[str] = []
        count = 0
        while count <= max_chars:
            chunk = read(_READ_CHUNK)
            try:
                part = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                raise InputError("standard input is not UTF-8 text; convert it to UTF-8") from None
            parts.append(part)
            count += len(part)
            if not chunk:
                break
        text = "".join(parts)
    if len(text) > max_chars:
        raise InputError(
            f"standard input has more than the limit of {max_chars:,} characters; give a "
            "single article"
        )
    if "\x00" in text:
        raise InputError("standard input is not text (it has NUL characters; binary data?)")
    return text


def read_inputs(
    specs: list[str],
    *,
    allow_private: bool = False,
    max_chars: int = MAX_CHARS,
    on_error: RecordErrorHandler | None = None,
    unique_ids: bool = True,
) -> list[Article]:
    """Articles from many specs, in order.

    The first bad input raises ``InputError``. With ``on_error``, each bad input (a spec, a
    file of a folder, or an article whose id was already seen) is passed there with where it
    is, and the others are read: the grep-style behaviour of ``propscope analyze``. With
    ``unique_ids`` (for outputs that name articles by id alone, as SemEval's do), an article
    whose id was already seen is a bad input; without it, ``bbc/2024-03-05.txt`` and
    ``rt/2024-03-05.txt`` are both read, told apart by their source, as ``batch`` reads them.
    """
    if not specs:
        raise InputError("no input given; give a file, directory, URL or - for stdin")
    articles: list[Article] = []
    # id (with its source, when ids may repeat) -> what the user gave for it, and its source
    seen: dict[object, tuple[str, str | None]] = {}
    for spec in specs:
        try:
            read = read_path(
                spec, allow_private=allow_private, max_chars=max_chars, on_error=on_error
            )
        except InputError as exc:
            _report(spec, exc, on_error)
            continue
        for article in read:
            key = article.id if unique_ids else (article.id, article.source)
            # a URL that redirected is named as given: its source is the page it led to
            given = article.metadata.get("requested_url") or article.source or spec
            if key in seen:  # the same file given twice is read once in any case
                _report(given, _twice(article.id, seen[key], (given, article.source)), on_error)
                continue
            seen[key] = (given, article.source)
            articles.append(article)
    return articles


def _twice(
    article_id: str, first: tuple[str, str | None], second: tuple[str, str | None]
) -> InputError:
    """The error for an article id read twice, from the inputs given for it (as given) and
    their sources: "'a' and 'b', as 'b' redirects to 'a'"."""
    redirects = [
        f"'{given}' redirects to '{source}'"
        for given, source in (first, second)
        if source is not None and source != given
    ]
    as_ = f", as {' and '.join(redirects)}" if redirects else ""
    hint = "" if is_url(second[0]) else " or rename one file"
    return InputError(
        f"article id '{article_id}' occurs twice ('{first[0]}' and '{second[0]}'){as_}; give "
        f"each article once{hint}"
    )


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
    longest = 12 * max_chars + _LINE_SLACK
    # utf-8-sig: a BOM at the start of the file (Notepad, Excel) is not part of line 1.
    # JSON Lines ends a record at LF only: a CR is JSON whitespace, inside a record or
    # before its LF
    with _open_text(path, "utf-8-sig", longest, newline="\n") as lines:
        for number, line in enumerate(lines, start=1):
            if line is None or line.strip():
                where = f"{printable(str(path))}:{number}"
            else:
                continue
            try:
                if line is None:
                    raise InputError(
                        f"line {number} of '{path}' has more than {longest:,} characters, too "
                        f"many for an article of at most {max_chars:,}; give one JSON object a "
                        "line"
                    )
                try:
                    # without its line feed: a string left open is "Unterminated string", not
                    # the line feed an "Invalid control character"
                    record = json.loads(line.rstrip("\r\n"), object_pairs_hook=json_object)
                except json.JSONDecodeError as exc:
                    # json's own message may end in "at" ("Unterminated string starting at")
                    what = exc.msg.removesuffix(" at")
                    raise InputError(
                        f"line {number} of '{path}' is not JSON ({what} at column "
                        f"{exc.colno:,}); give one JSON object a line"
                    ) from None
                except (ValueError, RecursionError) as exc:  # [[[[..., a 5,000-digit number
                    reason = (
                        "nested too deeply"
                        if isinstance(exc, RecursionError)
                        else "a number of more than 4,300 digits"
                    )
                    raise InputError(
                        f"line {number} of '{path}' is not JSON that can be read ({reason})"
                    ) from None
                if not isinstance(record, dict):
                    raise InputError(f"line {number} of '{path}' is not a JSON object")
                if isinstance(record, NamedTwice):  # as a CSV header naming a column twice
                    names = ", ".join(f"'{printable(name)}'" for name in record.twice)
                    raise InputError(
                        f"line {number} of '{path}' names the field"
                        f"{'s' if len(record.twice) > 1 else ''} {names} more than once (only "
                        "the last would be read, the other lost); give each field once"
                    )
            except InputError as exc:
                _report(where, exc, on_error)
                continue
            article = _record_article(record, where, max_chars, on_error)
            if article is not None:
                yield article


class NamedTwice(dict):
    """A JSON object that names a key more than once (``twice``); it holds the last value."""

    twice: list[str]


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, marked when it names a key twice (json keeps the last)."""
    record = dict(pairs)
    if len(record) == len(pairs):
        return record
    marked = NamedTwice(record)
    marked.twice = [name for name, count in Counter(k for k, _ in pairs).items() if count > 1]
    return marked


def iter_csv(
    path: str | os.PathLike[str],
    *,
    max_chars: int = MAX_CHARS,
    on_error: RecordErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles from a CSV file with a header row holding ``id`` and ``text`` columns.

    Other columns (title, url, source, published, ...) are kept as string metadata; a
    column named twice is refused. A bad record raises ``InputError``; with ``on_error`` it
    is passed there and reading goes on (broken CSV syntax, such as a quoted field never
    closed, still stops the file: the rows after it cannot be trusted). So is a row with
    more fields than the header (a text cut at an unquoted comma, most likely), unless the
    extra fields are empty (trailing commas).
    """
    path = Path(path)
    # csv refuses fields over 128 KiB by default; articles may be longer (process-wide limit,
    # only ever raised here).
    csv.field_size_limit(max(csv.field_size_limit(), 4 * max_chars))
    longest = 4 * max_chars + _LINE_SLACK
    # utf-8-sig: a BOM would otherwise stick to the first column name.
    with _open_text(path, "utf-8-sig", longest) as handle:
        ended: list[bool] = []
        record: list[str] = []  # the lines of the row being read, to locate an open quote

        def lines() -> Iterator[str]:
            for line in handle:
                if line is None:  # read past, never held: the rest cannot be trusted
                    raise InputError(
                        f"'{path}' line {reader.line_num + 1} has more than {longest:,} "
                        f"characters, too many for an article of at most {max_chars:,}; give "
                        "a CSV file of articles"
                    )
                record.append(line)
                yield line
            ended.append(True)  # a row that needs the end of the file has a quote left open

        # strict: a lenient reader takes a quote followed by more text (an opening quote
        # never closed, then the next record's quoted text) as part of the field, merging
        # the records that follow into one.
        reader = csv.reader(lines(), strict=True)
        first_line = 1  # a record may span lines: it is named by its first
        try:
            header = _csv_header(path, reader)
            unnamed = [i for i, name in enumerate(header) if not name]
            while True:
                first_line = reader.line_num + 1
                record.clear()
                row = next(reader, None)
                if row is None:
                    break
                if not row:  # a blank line
                    continue
                where = f"{printable(str(path))}:{first_line}"
                if any(row[len(header) :]):
                    extra = InputError(
                        f"record at {where} has {len(row)} fields but the header names "
                        f"{len(header)} columns; put a field that holds a comma in double "
                        'quotes ("a, b"), or name the extra column'
                    )
                    _report(where, extra, on_error)
                    continue
                fields = dict(zip(header, row, strict=False))
                if len(unnamed) > 1:  # trailing commas; the last would hide a value before it
                    values = [row[i] for i in unnamed if i < len(row) and row[i]]
                    if len(values) > 1:
                        _report(where, _unnamed_values(where, len(values)), on_error)
                        continue
                    fields[""] = values[0] if values else ""
                article = _record_article(fields, where, max_chars, on_error)
                if article is not None:
                    yield article
        except csv.Error as exc:
            if ended:  # the file ended inside a quoted field: read it leniently to find it
                field = next(csv.reader(record), [""])[-1]
                raise _open_quote(path, reader.line_num, field) from None
            started = (
                f" in the record that starts on line {first_line}"
                if first_line < reader.line_num
                else ""
            )
            raise InputError(
                f"'{path}' line {reader.line_num} is not valid CSV ({exc}){started}; close "
                'each quoted field where it ends, and write a quote inside one twice ("")'
            ) from None


def check_corpus_file(path: str | os.PathLike[str], *, max_chars: int = MAX_CHARS) -> None:
    """Raise ``InputError`` when a JSON Lines or CSV file is wrong as a whole, before any of
    it is used: a file that is not UTF-8 (naming the line of its first byte that is not),
    or a ``.csv`` file whose header row does not name id and text. Reads the file once, in
    bounded lines; what else is wrong is a bad record, found by :func:`iter_jsonl` and
    :func:`iter_csv`."""
    path = Path(path)
    is_csv = path.suffix.lower() == ".csv"
    longest = (4 if is_csv else 12) * max_chars + _LINE_SLACK
    with _open_text(path, "utf-8-sig", longest, "" if is_csv else "\n") as lines:
        if is_csv:
            # the header row, up to a line too long to hold (a record's problem, not the file's)
            head = itertools.takewhile(lambda line: line is not None, lines)
            try:
                _csv_header(path, csv.reader(head, strict=True))
            except csv.Error as exc:
                raise InputError(
                    f"'{path}' does not start with a CSV header row ({exc}); give a header row "
                    "naming at least id and text"
                ) from None
        for _ in lines:  # decoding each line checks it
            pass


def _csv_header(path: Path, reader: Any) -> list[str]:
    """The header row of a CSV file, checked: blank lines before it are skipped, and so is
    the ``sep=,`` line Excel may write first."""
    header = next(reader, None)
    while header == []:  # blank lines before the header row, as before any record
        header = next(reader, None)
    if header and header[0].strip().lower().startswith("sep=") and not any(header[2:]):
        separator = header[0].lstrip()[4:] or ("," if len(header) == 2 else "")
        if separator != ",":
            raise InputError(
                f"'{path}' line {reader.line_num} says its fields are separated by "
                f"'{printable(separator)}'; propscope reads CSV separated by commas: save the "
                "file as CSV UTF-8 (comma delimited)"
            )
        header = next(reader, None)  # Excel's hint that the file is comma-separated
    header = header or []
    _check_header(path, header)
    return header


def _check_header(path: Path, header: list[str]) -> None:
    """Refuse a header without id and text, or naming a column twice (the last one would
    silently win, and the other's values be lost)."""
    missing = {"id", "text"} - set(header)
    if missing:
        raise InputError(
            f"'{path}' has no {' or '.join(sorted(missing))} column; the header row must "
            f"name at least id and text{_header_hint(header, missing)}"
        )
    counts = Counter(name for name in header if name)  # unnamed columns: trailing commas
    twice = [name for name, count in counts.items() if count > 1]
    if twice:
        names = ", ".join(f"'{printable(name)}'" for name in twice)
        raise InputError(
            f"'{path}' names the column{'s' if len(twice) > 1 else ''} {names} more than once "
            "in its header row; give each column its own name"
        )


def _header_hint(header: list[str], missing: set[str]) -> str:
    """Why a header row that seems to name id and text does not, for the refusal."""
    if len(header) == 1:
        separator = next((c for c in ";\t|" if c in header[0]), None)
        if separator is not None:
            return (
                f": it was read as one column, '{printable(header[0][:80])}', as its fields are "
                f"separated by '{printable(separator)}', not by commas; save the file as CSV "
                "UTF-8 (comma delimited)"
            )
    near = [name for name in header if name.strip().lower() in missing]
    if near:
        names = ", ".join(f"'{printable(name)}'" for name in near)
        return f", exactly so (lower case, no spaces); it names {names}"
    return ""


def _unnamed_values(where: str, count: int) -> InputError:
    return InputError(
        f"record at {where} has values in {count} columns that the header row leaves unnamed; "
        "name those columns in the header row (only one of the values would be kept)"
    )


def _open_quote(path: Path, last_line: int, field: str) -> InputError:
    """The error for a quoted field still open at the end of the file, at the line of its
    quote: the field holds everything after the quote, so its line breaks count back to it."""
    breaks = len(re.findall(r"\r\n|\r|\n", field))
    line = last_line - breaks + (1 if field.endswith(("\n", "\r")) else 0)
    return InputError(
        f"'{path}' line {line}: a quoted field starts there and is never closed, so it would "
        "take in every line after it; close the quote (a quote inside a quoted field is "
        'written twice: "")'
    )


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
        given = record.get("id")
        if isinstance(given, str | int) and not isinstance(given, bool):
            exc.record = printable(str(given))
        _report(where, exc, on_error)
        return None


@contextmanager
def _open_text(
    path: Path, encoding: str, longest: int | None = None, newline: str = ""
) -> Iterator[Iterator[Any]]:
    """Lines of a corpus file (no newline translation); OS and decoding errors -> InputError.

    ``newline`` is what ends a line: ``""`` any of LF, CRLF and a lone CR (CSV), ``"\n"`` LF
    only (JSON Lines, where a CR is whitespace inside a record). With ``longest``, a line of
    more characters is never held whole: it is read past in pieces and comes out as
    ``None``. Each line is decoded on its own (bytes that are not UTF-8 are kept escaped and
    refused with their line): a decoder that raises would lose the lines read with them in
    its chunk, and could not say where the bad byte is. Only regular files are opened: a
    FIFO or a device is refused, never waited on."""
    if path.is_dir():
        raise InputError(f"cannot read '{path}': it is a directory, not a corpus file")
    with (
        _open_regular(path, "give a corpus file") as raw,
        io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline=newline) as h,
    ):
        lines = h if longest is None else bounded_lines(h, longest, newline)
        yield _decoded_lines(lines, path)


def bounded_lines(
    handle: io.TextIOWrapper, longest: int, newline: str = ""
) -> Iterator[str | None]:
    """The lines of ``handle``, each line longer than ``longest`` characters as ``None``;
    ``newline`` is the one ``handle`` was opened with (``"\n"``: a CR ends no line)."""
    size = longest + 2  # a line of ``longest`` characters and its CRLF come in one piece
    ends = ("\n",) if newline == "\n" else ("\n", "\r")
    pending: str | None = None
    while line := pending if pending is not None else handle.readline(size):
        pending = None
        if len(line) < size or line.endswith("\n"):
            yield line
            continue
        while not line.endswith(ends) and (line := handle.readline(size)):
            pass  # the rest of the line, in bounded pieces
        if line.endswith("\r"):  # a piece may end between the CR and the LF of a CRLF
            pending = handle.readline(size)
            pending = None if pending == "\n" else pending
        yield None


# What surrogateescape makes of a byte that is not UTF-8 (a decoded line holds no other
# surrogate: UTF-8 cannot encode one).
_UNDECODED = re.compile("[\udc80-\udcff]")


def _decoded_lines(handle: Iterator[Any], path: Path) -> Iterator[Any]:
    """The lines of ``handle``, up to the first one holding a byte that is not UTF-8, which
    is refused with its line number: everything before it has been read."""
    for number, line in enumerate(handle, start=1):
        if line is not None and (bad := _UNDECODED.search(line)):
            byte = ord(bad.group()) - 0xDC00
            raise InputError(  # (`errors.undecodable` words the same for whole files)
                f"'{path}' is not UTF-8 text: line {number} has the byte 0x{byte:02x}, which "
                "UTF-8 cannot decode (saved as windows-1252 or latin-1?); convert the file to "
                "UTF-8"
            )
        yield line


def _article_from_record(record: Mapping[str, Any], where: str, max_chars: int) -> Article:
    article_id = record.get("id")
    text = record.get("text")
    if article_id is None or str(article_id).strip() == "":
        raise InputError(f"record at {where} has no 'id'; every record needs an id and a text")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int)):
        raise InputError(
            f"record at {where}: its 'id' is {_json_kind(article_id)}; an id must be a string "
            'or an integer ("id": "bbc-0001" or "id": 1)'
        )
    if not isinstance(text, str):
        raise InputError(f"record at {where} has no 'text' string; every record needs one")
    metadata = {
        str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in record.items()
        if k not in ("id", "text") and v is not None and v != ""
    }
    try:  # "its text": the record's source (a url, an outlet) is not what is wrong
        check_text(text, "its text", max_chars)
    except InputError as exc:
        raise InputError(f"record '{article_id}' at {where}: {exc}") from None
    article = Article.from_text(
        text,
        # shown escaped, as an id from a file name is ("report\u202etxt.exe" must not read
        # as "reportexe.txt" in a report): an id is a label, not text to analyse
        id=printable(str(article_id).strip()),
        source=metadata.get("url") or metadata.get("source") or where,
        metadata=metadata,
    )
    if article.title is None and metadata.get("title"):
        article = article.model_copy(update={"title": metadata["title"]})
    return article


def _json_kind(value: Any) -> str:
    """What a JSON value is, in JSON's words, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"the number {value!r}"
    return {dict: "an object", list: "an array"}.get(type(value), type(value).__name__)
