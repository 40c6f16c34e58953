"""The store, the web article page and the voice reading under round 11's reproductions
(/tmp/hostile11c, /tmp/hostile11d).

``Store(pathlib.Path(...))`` failed with "argument of type 'PosixPath' is not iterable"; a
store error showed a non-ASCII path percent-encoded; the default database under a read-only
HOME raised a raw OSError; ``$PROPSCOPE_DB_URL`` holding blanks made a database file named
'   '; the web article page filtered by technique kept the whole article's coverage and
renumbered the findings shown 1...n; "most often from X" named one of two tied speakers.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from propscope.errors import StoreError
from propscope.store import NotAStore, Store, db_url, resolve_db_url

# --- bug 1: a pathlib.Path is a database path --------------------------------------------------


def test_a_path_object_opens_the_sqlite_file_it_names(tmp_path):
    path = tmp_path / "corpus.db"
    with Store(path) as store:
        assert store.created
        assert store.url == f"sqlite:///{path.resolve()}"
    assert path.is_file()
    with Store(path, create=False) as store:  # README: Store(db, create=False)
        assert not store.created
    assert resolve_db_url(path) == f"sqlite:///{path.resolve()}"
    assert db_url(path).database == str(path.resolve())


def test_a_missing_path_object_with_create_false_is_no_store(tmp_path):
    with pytest.raises(NotAStore, match="no database at"):
        Store(tmp_path / "nope.db", create=False)
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("value", [5, b"/tmp/x.db", 1.5, ["/tmp/x.db"]])
def test_another_type_is_refused_in_one_line(value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError) as caught:
        Store(value)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("the database must be a URL or path")
    assert f"not {type(value).__name__}" in message
    if isinstance(value, bytes):
        assert "decode" in message
    assert os.listdir(tmp_path) == []  # nothing created


def test_a_path_like_giving_bytes_is_refused():
    class BytesPath:
        def __fspath__(self) -> bytes:
            return b"/tmp/x.db"

    with pytest.raises(TypeError, match="not bytes"):
        Store(BytesPath())


# --- bug 2: messages name a SQLite file by its path, not its percent-encoded URL ----------------


def test_an_error_shows_a_non_ascii_path_as_written(tmp_path):
    folder = tmp_path / "корпус ü"
    folder.mkdir()
    with pytest.raises(StoreError) as caught:
        Store(str(folder))  # a folder, not a database file
    message = str(caught.value)
    assert f"'{folder}'" in message, message
    assert "%D0" not in message and "%C3" not in message
    assert "sqlite:" not in message


def test_an_error_on_a_server_url_still_hides_its_password():
    with pytest.raises(StoreError) as caught:
        Store("postgresql://user:s3cret@127.0.0.1:1/nowhere")
    message = str(caught.value)
    assert "s3cret" not in message
    assert "***" in message


# --- bug 3: the default database's folder that cannot be made ----------------------------------


def test_a_default_folder_that_cannot_be_made_is_a_store_error(tmp_path, monkeypatch):
    monkeypatch.delenv("PROPSCOPE_DB_URL", raising=False)
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HOME", str(blocker))
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / ".local" / "share"))
    with pytest.raises(StoreError) as caught:
        Store()
    message = str(caught.value)
    assert "\n" not in message
    assert "cannot create the folder" in message
    assert str(blocker) in message
    assert "--db" in message and "PROPSCOPE_DB_URL" in message


def test_a_read_only_home_is_a_store_error(tmp_path, monkeypatch):
    """As under a read-only HOME (unshare -m /tmp/hostile11c/store_ro_home.sh)."""
    monkeypatch.delenv("PROPSCOPE_DB_URL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def read_only(self, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(pathlib.Path, "mkdir", read_only)
    with pytest.raises(StoreError, match=r"cannot create the folder .*Read-only file system"):
        Store()


# --- bug 4: $PROPSCOPE_DB_URL holding blanks ---------------------------------------------------


@pytest.mark.parametrize("blanks", ["   ", "\t", " \n "])
def test_blanks_in_the_variable_are_refused_as_an_empty_path_is(blanks, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROPSCOPE_DB_URL", blanks)
    with pytest.raises(StoreError, match=r"\$PROPSCOPE_DB_URL holds only blanks"):
        Store()
    with pytest.raises(StoreError, match="only blanks"):
        resolve_db_url()
    with pytest.raises(ValueError, match="only blanks"):  # as a URL that does not parse
        db_url()
    assert os.listdir(tmp_path) == []  # no file named '   '


def test_an_empty_variable_still_means_the_default(tmp_path, monkeypatch):
    from propscope.store import default_db_url

    monkeypatch.setenv("PROPSCOPE_DB_URL", "")
    assert resolve_db_url() == default_db_url()


def test_an_argument_wins_over_a_blank_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("PROPSCOPE_DB_URL", "   ")
    with Store(tmp_path / "c.db") as store:
        assert store.created


# --- bug 5: the article page filtered by technique ---------------------------------------------

_FILTER_TEXT = (
    "Headline about the vote\n"
    "The corrupt elite lied again. Can we trust them? Nobody knows what they hide. "
    "They are traitors, said Anna Kowalski. Is this a fair count? Doubt everything.\n"
    "A calm closing paragraph that the model found nothing in at all, long enough to matter."
)


def _filter_analysis():
    from builders import analysis, at, span

    t = _FILTER_TEXT
    spans = [
        span(t, *at(t, "corrupt elite"), "Loaded_Language"),  # 1
        span(t, *at(t, "Can we trust them?"), "Doubt"),  # 2
        span(t, *at(t, "Nobody knows what they hide."), "Doubt"),  # 3
        span(t, *at(t, "traitors"), "Name_Calling-Labeling", "quoted", "Anna Kowalski"),  # 4
        span(t, *at(t, "Is this a fair count?"), "Doubt", "quoted", "Anna Kowalski"),  # 5
        span(t, *at(t, "Doubt everything."), "Slogans"),  # 6
    ]
    return analysis(t, spans)


def _visible(page: str) -> str:
    import html
    import re

    page = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def filter_client(tmp_path):
    from fastapi.testclient import TestClient

    from propscope.article import Article
    from propscope.web import create_app

    made = _filter_analysis()
    with Store(str(tmp_path / "web.db")) as store:
        article_id = store.add(Article.from_text(_FILTER_TEXT, id="a1"), made)
    app = create_app(db_url=str(tmp_path / "web.db"), model_loader=lambda: object())
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        app.state.models.wait(10)
        yield client, article_id, made


def test_a_filtered_page_counts_and_covers_what_it_shows(filter_client):
    import re

    client, article_id, made = filter_client
    page = client.get(f"/articles/{article_id}?technique=Doubt")
    assert page.status_code == 200
    text = _visible(page.text)
    assert re.search(r"Findings 3 Text covered", text), text
    doubt = [s for s in made.spans if s.technique == "Doubt"]
    share = sum(s.end - s.start for s in doubt) / made.summary.analysed_characters
    assert f"Text covered {share * 100:.1f}%" in text
    assert f"Text covered {made.summary.coverage * 100:.1f}%" not in text  # the whole article's
    assert "Showing all 3 findings." in text
    assert "3 findings of the article's 6, numbered as in the whole article" in text
    # the unfiltered page is as before
    whole = _visible(client.get(f"/articles/{article_id}").text)
    assert "Findings 6 Text covered" in whole
    assert f"Text covered {made.summary.coverage * 100:.1f}%" in whole
    assert "numbered as in the whole article" not in whole


def test_a_filtered_page_keeps_each_findings_number(filter_client):
    import json
    import re

    client, article_id, made = filter_client
    page = client.get(f"/articles/{article_id}?technique=Doubt").text
    data = re.search(r'<script type="application/json" id="a1-data">(.*?)</script>', page, re.S)
    spans = json.loads(data.group(1))["spans"]
    assert [(s["n"], s["technique"]) for s in spans] == [(2, "Doubt"), (3, "Doubt"), (5, "Doubt")]
    # the table's numbers and the highlights' tags
    assert re.findall(r'<td class="num" data-label="#">(\d+)</td>', page) == ["2", "3", "5"]
    tags = re.findall(r'data-tag="([^"]*)"', page)
    assert [t.split(" ")[0] for t in tags] == ["2", "3", "5"], tags
    assert "Finding 5 of 6:" in page  # of the whole article's 6, as its number is
    assert '"article_total": 6' in page  # the hover card's count (report.js)
    # the same numbers as on the whole page and in the JSON
    whole = client.get(f"/articles/{article_id}").text
    data = re.search(r'<script type="application/json" id="a1-data">(.*?)</script>', whole, re.S)
    numbers = {s["text"]: s["n"] for s in json.loads(data.group(1))["spans"]}
    assert [numbers[s["text"]] for s in spans] == [2, 3, 5]
    listed = client.get(f"/api/v1/articles/{article_id}").json()["analysis"]["spans"]
    assert [i for i, s in enumerate(listed, 1) if s["technique"] == "Doubt"] == [2, 3, 5]


def test_the_html_report_of_a_whole_article_is_unchanged():
    from propscope.report.html import render_article, render_html

    made = _filter_analysis()
    whole = _visible(render_article(made))
    assert "Findings 6 Text covered" in whole
    assert "numbered as in the whole article" not in whole
    assert "Findings 6 Text covered" in _visible(render_html([made]))


# --- bug 6: speakers tied for "most often" ------------------------------------------------------


def _quoted(*speakers: str | None, authors: int = 0):
    from builders import span

    spans = [span("x" * 10, 0, 5, voice="quoted", speaker=s) for s in speakers]
    return spans + [span("x" * 10, 0, 5) for _ in range(authors)]


@pytest.mark.parametrize(
    ("speakers", "expected"),
    [
        (
            ["Jan Nowak", "Jan Nowak", "Anna Kowalski", "Anna Kowalski"],
            "4 of 5 findings are in quoted or reported speech, 2 each from Anna Kowalski and "
            "Jan Nowak; 1 is in the author's own words.",
        ),
        (
            ["Jan Nowak", "Anna Kowalski", "Jan Nowak", "Anna Kowalski", "Zoe", None],
            "6 of 7 findings are in quoted or reported speech, most often from Anna Kowalski "
            "and Jan Nowak; 1 is in the author's own words.",
        ),
        (
            ["b", "B", "a", "c", "a", "B", "b", "c"],
            "8 of 9 findings are in quoted or reported speech, 2 each from a, B, b and 1 "
            "other; 1 is in the author's own words.",
        ),
        # not tied: as before
        (
            ["Jan Nowak", "Jan Nowak", "Anna Kowalski", None],
            "4 of 5 findings are in quoted or reported speech, most often from Jan Nowak; 1 is "
            "in the author's own words.",
        ),
    ],
)
def test_tied_speakers_are_all_named_in_one_order(speakers, expected):
    from propscope.report.labels import voice_reading

    spans = _quoted(*speakers, authors=1)
    assert voice_reading(spans) == expected
    assert voice_reading(list(reversed(spans))) == expected  # whatever the article's order


def test_the_text_and_html_reports_name_both_tied_speakers():
    from builders import analysis, at, span
    from rich.console import Console

    from propscope.report.html import render_html
    from propscope.report.terminal import render_terminal

    t = "Headline\nThey lie, said Jan. They cheat, said Anna. Thieves, said Jan. Liars, said Anna."
    spans = [
        span(t, *at(t, "They lie"), "Loaded_Language", "quoted", "Jan Nowak"),
        span(t, *at(t, "They cheat"), "Loaded_Language", "quoted", "Anna Kowalski"),
        span(t, *at(t, "Thieves"), "Name_Calling-Labeling", "quoted", "Jan Nowak"),
        span(t, *at(t, "Liars"), "Name_Calling-Labeling", "quoted", "Anna Kowalski"),
    ]
    made = analysis(t, spans)
    sentence = "2 each from Anna Kowalski and Jan Nowak"
    assert sentence in render_html([made])
    console = Console(width=200, record=True, color_system=None)
    render_terminal([made], console, styled=False)
    assert sentence in " ".join(console.export_text().split())
