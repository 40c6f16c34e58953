"""Round 9 of hostile testing, the input readers: pages, corpus files, folders and URLs that
were refused, misread or half read (each test names what went wrong before its fix).

HTTP tests run against a local http.server on 127.0.0.1 (allow_private=True); host names
resolve from the fake network's table. Nothing leaves the machine, not even a DNS query.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from builders import serve_on_loopback
from fakenet import FakeNetwork
from hostile import error_lines, run
from typer.testing import CliRunner

from propscope.article import Article
from propscope.cli import app
from propscope.errors import InputError
from propscope.io import readers
from propscope.io.readers import (
    check_url,
    fetch_url,
    iter_csv,
    iter_jsonl,
    read_article_file,
    read_html,
    read_inputs,
)

runner = CliRunner()

EN = (
    "The government announced on Tuesday that it would raise taxes on every family in the "
    "country, a move that critics called a disgraceful betrayal of hard-working citizens."
)
GOOD = "".join(f"<p>{EN} ({i})</p>" for i in range(5))


def page(first: str) -> str:
    """An article page whose first paragraph is ``first``."""
    return (
        "<html><head><title>Tax rise</title></head><body><article><h1>Tax rise</h1>"
        f"<p>{first}</p>{GOOD}</article></body></html>"
    )


@pytest.fixture(autouse=True)
def network(monkeypatch) -> FakeNetwork:
    """Every test here runs on the fake network: loopback only, names from a table."""
    return FakeNetwork().install(monkeypatch)


# --- 1. a control character from a character reference lost the whole page -------------------


@pytest.mark.parametrize("reference", ["&#11;", "&#12;", "&#x1b;", "&#7;", "&#xFFFE;", "&#xB;"])
def test_a_control_character_reference_does_not_lose_the_page(reference: str) -> None:
    """Word's manual line break (&#11;) in one paragraph made trafilatura drop the whole page
    ("has no main text"): lxml refused the character when trafilatura copied the text."""
    article = read_html(page(f"Line one{reference}line two of the first paragraph."))
    assert article.title == "Tax rise"
    assert EN + " (4)" in article.text
    assert "line two of the first paragraph." in article.text
    line_break = reference in ("&#11;", "&#12;", "&#xB;")
    assert ("Line one line two" in article.text) == line_break  # a break parts the words


def test_a_raw_vertical_tab_parts_words_as_its_reference_does() -> None:
    article = read_html(page("Line one\x0bline two of the first paragraph."))
    assert "Line one line two of the first paragraph." in article.text


def test_a_local_page_without_an_article_is_not_told_to_give_a_url(tmp_path: Path) -> None:
    saved = tmp_path / "menu.html"
    saved.write_text("<html><body><nav><a href='/'>Home</a> <a href='/x'>Sport</a></nav>")
    with pytest.raises(InputError, match="no main text") as refused:
        read_article_file(saved)
    assert "URL" not in str(refused.value) and "its text" in str(refused.value)


@pytest.mark.parametrize("content", [b"   \n\t\r\n  ", b"\n"])
def test_a_blank_html_file_is_empty_not_a_parser_error(tmp_path: Path, content: bytes) -> None:
    """It was "cannot extract the text of ...: Document is empty", saying nothing to do."""
    saved = tmp_path / "blank.html"
    saved.write_bytes(content)
    with pytest.raises(InputError, match=r"blank\.html' is empty; give an article page"):
        read_article_file(saved)


# --- 2. prose taken for scraping debris -------------------------------------------------------

BODY = "Headline\n\nThe mayor spoke on Tuesday. She was clear.\nCritics disagreed.\n"
# whole sentences of prose that the debris patterns' open-ended tails took (a tester's finds)
PROSE_LIKE_DEBRIS = [
    "Tell us, Mr. President, why your comments on Ukraine changed overnight?",
    "Originally published in 1925, Mein Kampf became the bible of a murderous movement that "
    "these people now shamelessly imitate.",
    "Published from Moscow, the newspaper became a mouthpiece for the Kremlin and its army of "
    "paid liars.",
    "By using this site's own archive, researchers found that the ministry lied to the public "
    "for years.",
    "Posted from Gaza, the videos were viewed by millions within hours.",
    "Copyright 2021 Act was rushed through Parliament by a corrupt cabal",
    "Let us know your comments, the traitors in parliament never will",
    "Reprinted with permission from the Kremlin, the lies spread everywhere.",
    "Follow us into battle!",
    "Sign up today, patriots!",
    "Subscribe or perish!",
]
# the debris those patterns are for, which must stay debris
STILL_DEBRIS = [
    "Reprinted from WND.com.",
    "Reprinted from The Duran.",
    "Republished from The Conversation under a Creative Commons license.",
    "This report was originally published by Paul Joseph Watson at Infowars.com",
    "Originally published the Jerusalem Post.",
    "This article was originally published on The Conversation. Read the original article.",
    "Originally published on November 29, 2018.",
    "Article posted with permission from The Daily Caller News Foundation",
    "Reprinted with permission from The Future of Freedom Foundation.",
    "COPYRIGHT 2018 CREATORS.COM",
    "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Copyright 2020 NPR. To see more, visit https://www.npr.org.",
    "Let us know in the comments below.",
    "Tell us what you think in the comments section below.",
    "By continuing to use this site, you agree to our use of cookies.",
    "Subscribe Today!",
    "SUBSCRIBE on YouTube:",
    "Follow us",
    "Follow us on Twitter",
    "Sign up",
]


def _debris_of(line: str) -> bool:
    text = BODY + line + "\nThe debate goes on tomorrow, officials said."
    article = Article.from_text(text)
    start = text.index(line)
    return article.paragraph_at(start).is_debris


@pytest.mark.parametrize("line", PROSE_LIKE_DEBRIS)
def test_a_sentence_opening_like_a_notice_is_prose(line: str) -> None:
    assert not _debris_of(line)


@pytest.mark.parametrize("line", STILL_DEBRIS)
def test_notices_and_calls_are_still_debris(line: str) -> None:
    assert _debris_of(line)


# --- 3. batch exited 0 on a corpus file it could not read at all ------------------------------


def _batch(corpus: Path, tmp_path: Path) -> tuple[object, Path]:
    db = tmp_path / "corpus.db"
    return runner.invoke(app, ["batch", str(corpus), "--db", str(db), "--workers", "1"]), db


def test_a_semicolon_csv_is_refused_before_any_work(tmp_path: Path) -> None:
    corpus = tmp_path / "semi.csv"
    corpus.write_bytes(b'id;text\r\n1;"The corrupt elites lie to you every single day."\r\n')
    result, db = _batch(corpus, tmp_path)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "it was read as one column, 'id;text'" in line and "not by commas" in line
    assert not db.exists()  # refused before the database was opened


def test_a_windows_1252_csv_is_refused_naming_its_first_bad_line(tmp_path: Path) -> None:
    corpus = tmp_path / "excel.csv"
    rows = [f"{i},Record {i} of the corpus." for i in range(1, 101)]
    rows[49] = "50,Le café de la gare."
    corpus.write_bytes(("id,text\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"))
    result, db = _batch(corpus, tmp_path)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "is not UTF-8 text: line 51 has the byte 0xe9" in line
    assert not db.exists()


def test_a_batch_whose_input_stops_part_way_exits_2(tmp_path: Path) -> None:
    """A quoted field never closed stops the file; the run recorded it as a failure and
    exited 0, which a cron job cannot tell from success."""
    corpus = tmp_path / "stop.csv"
    corpus.write_text('id,text\n1,""\n2,"a quote never closed\nmore\n')
    result, _ = _batch(corpus, tmp_path)
    assert result.exit_code == 2, result.output
    assert "failed 2" in result.stdout
    [line] = [line for line in error_lines(result) if line.startswith("propscope:")]
    assert "line 3: a quoted field starts there and is never closed" in line
    assert "the rest of the file was not read" in line


# --- 4. records before a byte that is not UTF-8 were lost, and no line was named -------------


def test_csv_records_before_a_bad_byte_are_read_and_its_line_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "excel.csv"
    rows = [f"{i},Record {i} of the corpus." for i in range(1, 101)]
    rows[49] = "50,Le café de la gare."
    corpus.write_bytes(("id,text\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"))
    read: list[str] = []
    with pytest.raises(InputError, match=r"line 51 has the byte 0xe9") as refused:
        for article in iter_csv(corpus):
            read.append(article.id)
    assert read == [str(i) for i in range(1, 50)]
    assert "convert the file to UTF-8" in str(refused.value)


def test_jsonl_records_before_a_bad_byte_are_read(tmp_path: Path) -> None:
    corpus = tmp_path / "latin1.jsonl"
    corpus.write_bytes(
        b'{"id": "a", "text": "An ASCII record."}\n'
        + '{"id": "b", "text": "Un café."}\n'.encode("latin-1")
    )
    read: list[str] = []
    with pytest.raises(InputError, match=r"line 2 has the byte 0xe9"):
        for article in iter_jsonl(corpus):
            read.append(article.id)
    assert read == ["a"]
    with pytest.raises(InputError, match=r"line 2 has the byte 0xe9"):
        readers.check_corpus_file(corpus)


# --- 5. a binary body served as text/html was analysed --------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        routes = {
            "/logo": ("text/html", PNG),
            "/gzip-noheader": ("text/html; charset=utf-8", gzip.compress(page(EN).encode())),
            "/article": ("text/html; charset=utf-8", page(EN).encode()),
        }
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in routes:
            content_type, body = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_on_loopback(_Handler) as url:
        yield url


@pytest.mark.parametrize("path", ["/logo", "/gzip-noheader"])
def test_a_binary_body_served_as_html_is_not_a_page(server: str, path: str) -> None:
    with pytest.raises(InputError, match=r"is not an HTML page \(it holds NUL bytes"):
        fetch_url(f"{server}{path}", allow_private=True)
    assert fetch_url(f"{server}/article", allow_private=True).title == "Tax rise"


def test_binary_bytes_given_to_read_html_are_refused() -> None:
    with pytest.raises(InputError, match="not an HTML page"):
        read_html(PNG)


def test_a_redirect_to_another_scheme_names_the_url_given(server: str) -> None:
    with pytest.raises(InputError) as refused:
        fetch_url(f"{server}/to-file", allow_private=True)
    message = str(refused.value)
    assert f"'{server}/to-file' redirects to 'file:" in message
    assert "only http:// and https://" in message


def test_an_error_message_keeps_no_password_of_the_address(server: str) -> None:
    with_password = server.replace("http://", "http://alice:s3cret@")
    for path in ("/missing", "/logo"):
        with pytest.raises(InputError) as refused:
            fetch_url(with_password + path, allow_private=True)
        assert "s3cret" not in str(refused.value) and f"{server}{path}" in str(refused.value)


# --- 6. a JSON Lines record holding a bare CR was split in two ------------------------------


def test_a_bare_cr_is_json_whitespace_and_lines_are_counted_at_lf(tmp_path: Path) -> None:
    from propscope.batch import count_corpus

    corpus = tmp_path / "cr.jsonl"
    corpus.write_bytes(
        b'{"id": "a", "text": "Alpha text here."}\n'
        b'{"id": "b",\r "text": "Beta text here."}\r\n'
        b"{broken\n"
        b'{"id": "c", "text": "Gamma text here."}\n'
    )
    errors: list[str] = []
    articles = list(iter_jsonl(corpus, on_error=lambda where, exc: errors.append(where)))
    assert [a.id for a in articles] == ["a", "b", "c"]
    assert errors == [f"{corpus}:3"]
    assert count_corpus(corpus) == 4


# --- 7. a JSON Lines record naming a field twice lost the first value -----------------------


def test_a_jsonl_record_naming_a_field_twice_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "dup.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "Title\\n\\nFIRST body.", "text": "SECOND body."}\n'
        '{"id": "b", "text": "A good record.", "meta": {"x": 1, "x": 2}}\n'
    )
    errors: list[tuple[str, str]] = []
    articles = list(iter_jsonl(corpus, on_error=lambda w, exc: errors.append((w, str(exc)))))
    assert [a.id for a in articles] == ["b"]  # a nested object is a value, not a field
    [(where, message)] = errors
    assert where == f"{corpus}:1"
    assert "names the field 'text' more than once" in message


# --- 8. analyze FOLDER refused same-named files of different outlets -------------------------


def _outlets(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for outlet, said in [("bbc", "approved"), ("rt", "rejected")]:
        (root / outlet).mkdir(parents=True)
        (root / outlet / "2024-03-05.txt").write_text(
            f"Budget vote\n\nThe council {said} the new bridge budget on Tuesday after a long "
            "debate about its cost.\n"
        )
    return root


def test_read_inputs_may_take_same_named_files_of_two_outlets(tmp_path: Path) -> None:
    root = _outlets(tmp_path)
    articles = read_inputs([str(root)], unique_ids=False)
    assert [a.id for a in articles] == ["2024-03-05", "2024-03-05"]
    assert [Path(a.source).parent.name for a in articles] == ["bbc", "rt"]
    errors: list[str] = []  # the same file given twice is still read once
    twice = read_inputs(
        [str(root / "bbc"), str(root / "bbc")],
        unique_ids=False,
        on_error=lambda where, exc: errors.append(str(exc)),
    )
    assert len(twice) == 1 and len(errors) == 1 and "occurs twice" in errors[0]


def test_analyze_reads_same_named_files_of_two_outlets(tmp_path: Path) -> None:
    root = _outlets(tmp_path)
    out = tmp_path / "out.json"
    result = run("analyze", str(root), "-f", "json", "--language", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    texts = [analysis["text"] for analysis in json.loads(out.read_text())]
    assert len(texts) == 2 and "approved" in texts[0] and "rejected" in texts[1]
    # an output naming articles by id alone still needs each id once
    result = run("analyze", str(root), "-f", "st1", "--language", "en")
    assert result.exit_code == 2
    assert "article id '2024-03-05' occurs twice" in error_lines(result)[0]


# --- 9. IPv6 addresses carrying a loopback or private IPv4 address passed the check ----------


@pytest.mark.parametrize(
    ("address", "reached"),
    [
        ("64:ff9b::7f00:1", "127.0.0.1"),  # NAT64
        ("64:ff9b::a00:1", "10.0.0.1"),
        ("2002:7f00:1::1", "127.0.0.1"),  # 6to4
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible
        ("::ffff:0:a00:1", "10.0.0.1"),  # IPv4-translated (SIIT)
        ("64:ff9b:1::a00:1", "64:ff9b:1::a00:1"),  # NAT64 for local use
    ],
)
def test_ipv6_addresses_carrying_a_private_ipv4_are_refused(
    network: FakeNetwork, address: str, reached: str
) -> None:
    network.names["carried.test"] = [address]
    with pytest.raises(InputError, match=f"non-public address {reached}"):
        check_url("https://carried.test/story")
    assert str(readers.non_public_address(ipaddress.ip_address(address))) == reached


@pytest.mark.parametrize("address", ["64:ff9b::5db8:d822", "2002:5db8:d822::1", "::ffff:8.8.8.8"])
def test_ipv6_addresses_carrying_a_public_ipv4_are_allowed(
    network: FakeNetwork, address: str
) -> None:
    network.names["carried.test"] = [address]
    check_url("https://carried.test/story")
    assert readers.non_public_address(ipaddress.ip_address(address)) is None


# --- 10. CSV headers that are not comma-separated id,text -----------------------------------


def test_a_semicolon_header_is_named_as_one_column(tmp_path: Path) -> None:
    corpus = tmp_path / "s.csv"
    corpus.write_text('id;text\n1;"x"\n')
    with pytest.raises(InputError, match=r"read as one column, 'id;text'.*not by commas"):
        list(iter_csv(corpus))


def test_a_header_in_other_case_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "upper.csv"
    corpus.write_text("ID,Text\n1,An article.\n")
    with pytest.raises(InputError, match=r"lower case, no spaces\); it names 'ID', 'Text'"):
        list(iter_csv(corpus))


def test_excels_sep_line_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "sep.csv"
    corpus.write_text("sep=,\nid,text\n1,An article of the corpus.\n")
    [article] = iter_csv(corpus)
    assert (article.id, article.text) == ("1", "An article of the corpus.")
    assert article.source == f"{corpus}:3"  # located at its line, the sep line counted
    other = tmp_path / "semi-sep.csv"
    other.write_text("sep=;\nid;text\n1;An article.\n")
    with pytest.raises(InputError, match=r"line 1 says its fields are separated by ';'"):
        list(iter_csv(other))


def test_values_in_two_unnamed_columns_are_not_silently_lost(tmp_path: Path) -> None:
    corpus = tmp_path / "unnamed.csv"
    corpus.write_text("id,text,,\n1,First article.,kept,\n2,Second article.,lost,last\n")
    errors: list[tuple[str, str]] = []
    articles = list(iter_csv(corpus, on_error=lambda w, exc: errors.append((w, str(exc)))))
    assert [(a.id, a.metadata) for a in articles] == [("1", {"": "kept"})]
    [(where, message)] = errors
    assert where == f"{corpus}:3" and "values in 2 columns that the header row leaves" in message


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for free",
        "Subscribe for free!",
        "Subscribe for more",
        "Follow us for more!",
        "Subscribe for just $1",
        "Let us know in the comments what you think.",
        "Tell us in the comments what you think!",
    ],
)
def test_short_calls_with_free_or_more_are_still_debris(line):
    # (found in review) narrowing the calls to whole lines let these back into the analysis
    from propscope.article import _is_debris_line

    assert _is_debris_line(line)
