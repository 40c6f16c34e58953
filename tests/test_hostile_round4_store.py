"""The store's filters in every script, pages that read once, and hidden passwords (round 4).

The Library's source filter and search compared SQLite's ``lower()``, which lowers ASCII only,
with Python's: ``source=РИА Новости`` matched nothing and ``q=президент`` missed "Президент"
(and on a PostgreSQL server in the "C" locale, the same). ``propscope report`` and
``/dashboard`` read the store in several transactions, so while a batch run wrote, one page
could say "in 13 of 12 articles". A password given as a query parameter of the database URL
was printed in error lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient
from hostile import error_lines, run
from sqlalchemy import event

from propscope.article import Article
from propscope.report.corpus import render_corpus_report
from propscope.store import Store, StoreError, _safe
from propscope.web import create_app

# --- helpers -----------------------------------------------------------------------------------


def _store(store: Store, text: str, article_id: str, technique: str, words: str, **meta) -> None:
    """Store ``text`` with a hand-made analysis holding one span of ``technique`` (no model)."""
    start, end = at(text, words)
    made = analysis(text, [span(text, start, end, technique)], article_id=article_id)
    store.add(Article.from_text(text, id=article_id), made, metadata=meta)


def _store_first(store: Store) -> None:
    text = "Headline\n\nThe corrupt elite are destroying our great nation, and everyone knows it."
    _store(store, text, "first", "Loaded_Language", "corrupt elite", source="Outlet A")


def _store_another(store: Store, n: int) -> None:
    """Another article (the ``n``-th) of another source, month, technique and category."""
    text = f"Headline {n}\n\nStand up for the homeland: only true patriots will defend it ({n})."
    _store(
        store,
        text,
        f"other-{n}",
        "Flag_Waving",
        "true patriots",
        source=f"Outlet {n}",
        published=f"2021-{n % 12 + 1:02d}-04",
    )


@contextmanager
def _after_each_select(store: Store, do: Callable[[int], None]) -> Iterator[list[int]]:
    """Call ``do(n)`` right after the store's ``n``-th SELECT (a hook, so no timing); yields
    a list holding the number of SELECTs so far."""
    seen = [0]

    def hook(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen[0] += 1
            do(seen[0])

    event.listen(store.engine, "after_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(store.engine, "after_cursor_execute", hook)


def _steady(html: str) -> str:
    """The page without what differs between two renders of one state (the time, nonces)."""
    html = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


# --- filters ignore case in every script -------------------------------------------------------

RUSSIAN = "ЭЛИТА\n\nПрезидент заявил, что коррумпированная элита разрушает нашу великую страну."
GREEK = "ΑΘΗΝΑ\n\nΗ ΚΥΒΕΡΝΗΣΗ λέει ότι 100% των πολιτών στην Straße συμφωνούν, οι προδότες όχι."
ENGLISH = "Bridge news\n\nThe council approved the new bridge budget on Tuesday after a debate."


@pytest.mark.parametrize("columns", ["default", "C"])
def test_source_filter_and_search_ignore_case_in_every_script(
    corpus_db_url: str, columns: str
) -> None:
    """``source`` and ``q`` ignore case in Cyrillic, Greek and German as in ASCII. "C": on
    PostgreSQL, the text columns in the "C" collation, as on a server in the C locale, where
    the plain ``lower()`` leaves every capital but ASCII's."""
    if columns == "C" and not corpus_db_url.startswith("postgresql"):
        pytest.skip("a collation of the columns is PostgreSQL's")
    with Store(corpus_db_url) as store:
        _store(store, RUSSIAN, "ru", "Loaded_Language", "коррумпированная", source="РИА Новости")
        _store(store, GREEK, "el", "Name_Calling-Labeling", "προδότες", source="Καθημερινή")
        _store(store, ENGLISH, "en", "Doubt", "after a debate", source="Example Outlet")
        if columns == "C":
            with store.engine.begin() as connection:
                connection.exec_driver_sql(
                    'ALTER TABLE articles ALTER COLUMN source TYPE varchar(255) COLLATE "C"'
                )
                for column in ("title", "text", "url"):
                    connection.exec_driver_sql(
                        f'ALTER TABLE articles ALTER COLUMN {column} TYPE text COLLATE "C"'
                    )
                plain = connection.exec_driver_sql(
                    "SELECT lower(source) FROM articles WHERE position('РИА' in source) = 1"
                ).scalar()
            assert plain == "РИА Новости"  # the server's lower() leaves Cyrillic capitals

        def found(**filters: str) -> list[str]:
            items, total = store.list(**filters)
            assert total == len(items)
            return sorted(item.source for item in items)

        for source in ("РИА Новости", "риа новости", "РИА НОВОСТИ"):
            assert found(source=source) == ["РИА Новости"]
        assert found(source="καθημερινή") == found(source="ΚΑΘΗΜΕΡΙΝΉ") == ["Καθημερινή"]
        assert found(source="EXAMPLE outlet") == ["Example Outlet"]
        assert found(source="РИА") == []  # the source is compared whole
        for needle in ("президент", "ПРЕЗИДЕНТ", "Элита", "риа"):
            assert found(q=needle) == ["РИА Новости"], needle
        for needle in ("κυβερνηση", "αθηνα", "STRAẞE"):
            assert found(q=needle) == ["Καθημερινή"], needle
        assert found(q="BRIDGE Budget") == ["Example Outlet"]
        # the search's wildcards are characters like any other
        assert found(q="0%") == ["Καθημερινή"]
        assert found(q="1_0") == []
        assert found(q="%") == ["Καθημερινή"]


def test_without_a_unicode_collation_postgresql_still_ignores_ascii_case(
    corpus_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server with neither ICU nor the builtin Unicode collation opens, and its filters
    ignore the case of ASCII letters (its ``lower()``, as documented)."""
    if not corpus_db_url.startswith("postgresql"):
        pytest.skip("the collation is PostgreSQL's")
    monkeypatch.setattr("propscope.store._UNICODE_COLLATIONS", ("no-such-collation",))
    with Store(corpus_db_url) as store:
        assert store._fold_collation is None
        _store(store, ENGLISH, "en", "Doubt", "after a debate", source="Example Outlet")
        assert store.list(source="EXAMPLE OUTLET")[1] == 1
        assert store.list(q="bridge BUDGET")[1] == 1


def test_the_api_filters_by_a_cyrillic_source_in_any_case(tmp_path) -> None:
    """The tester's reproduction: /api/v1/articles?source=РИА Новости found nothing."""
    db = tmp_path / "web.db"
    with Store(str(db)) as store:
        _store(store, RUSSIAN, "ru", "Loaded_Language", "коррумпированная", source="РИА Новости")
    app = create_app(db_url=str(db), model_loader=lambda: None)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for query in ({"source": "РИА Новости"}, {"source": "риа новости"}, {"q": "президент"}):
            response = client.get("/api/v1/articles", params=query)
            assert response.status_code == 200, response.text
            assert response.json()["total"] == 1, query


# --- a page reads one state of the store -------------------------------------------------------


def test_the_corpus_report_reads_one_snapshot_while_another_writer_stores(
    corpus_db_url: str,
) -> None:
    """Another writer stores an article right after each of the report's queries in turn:
    every render is the report of the store as it was when it began (it said "in 2 of 1
    articles", its totals disagreeing with its charts), and the next render shows the new one."""
    with Store(corpus_db_url) as store, Store(corpus_db_url) as writer:
        _store_first(store)
        with _after_each_select(store, lambda n: None) as seen:
            render_corpus_report(store)
        selects = seen[0]
        assert selects > 5
        for after in range(1, selects):
            before, before_totals = render_corpus_report(store)

            def store_another(n: int, after: int = after) -> None:
                if n == after:
                    _store_another(writer, after)

            with _after_each_select(store, store_another):
                during, totals = render_corpus_report(store)
            assert totals == before_totals, after
            assert _steady(during) == _steady(before), after
            assert render_corpus_report(store)[1]["articles"] == totals["articles"] + 1


@pytest.mark.parametrize("path", ["/dashboard", "/api/v1/stats"])
def test_the_dashboard_reads_one_snapshot_while_another_writer_stores(
    corpus_db_url: str, path: str
) -> None:
    """The same for ``/dashboard`` and the stats API: their count and statistics agree
    whenever a writer stores."""
    app = create_app(db_url=corpus_db_url, model_loader=lambda: None)
    with (
        TestClient(app, base_url="http://127.0.0.1:8000") as client,
        Store(corpus_db_url) as writer,
    ):
        store = app.state.store
        _store_first(store)

        def page() -> str:
            response = client.get(path)
            assert response.status_code == 200, response.text
            return _steady(response.text)

        with _after_each_select(store, lambda n: None) as seen:
            page()
        selects = seen[0]
        assert selects > 5
        for after in range(1, selects):
            before = page()

            def store_another(n: int, after: int = after) -> None:
                if n == after:
                    _store_another(writer, after)

            with _after_each_select(store, store_another):
                during = page()
            assert during == before, after
            assert page() != before


def test_reads_in_one_snapshot_agree_and_writes_go_on(corpus_db_url: str) -> None:
    """``Store.snapshot``: every read in it sees the state of its first read; a snapshot in a
    snapshot is the outer one; after it, reads see what was stored meanwhile."""
    with Store(corpus_db_url) as store, Store(corpus_db_url) as writer:
        _store_first(store)
        with store.snapshot():
            assert store.count() == 1
            _store_another(writer, 1)
            with store.snapshot():
                assert store.count() == 1
            assert len(list(store.iter_articles())) == 1
            assert store.list()[1] == 1
            assert sum(g["articles"] for g in store.stats("source")) == 1
            assert store.find(Store.content_hash(store.get(1).analysis.text)) == 1
        assert store.count() == 2
        assert sum(g["articles"] for g in store.stats("source")) == 2


# --- passwords in the database URL -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://bob@127.0.0.1:1/x?password=s3cretpw",
        "postgresql+psycopg://bob:s3cretpw@127.0.0.1:1/x",
        "postgresql+psycopg://bob@127.0.0.1:1/x?sslmode=require&sslpassword=s3cretpw",
        "postgresql+psycopg://bob@127.0.0.1:1/x?PWD=s3cretpw&application_name=batch",
        "postgresql+psycopg://bob@127.0.0.1:1/x?passwd=s3cretpw&password=s3cretpw",
        "postgresql+psycopg://bob:s3cretpw@127.0.0.1:port/x?password=s3cretpw",  # no URL
    ],
)
def test_messages_hide_every_password_of_a_database_url(url: str) -> None:
    shown = _safe(url)
    assert "s3cretpw" not in shown
    assert "***" in shown
    assert "127.0.0.1" in shown  # what is not secret still says which database


def test_a_database_error_line_hides_a_password_given_as_a_parameter() -> None:
    """``stats --db URL`` on a server that is not there (a closed local port): one error
    line, without the password."""
    result = run("stats", "--db", "postgresql://bob@127.0.0.1:1/x?password=s3cretpw")
    assert result.exit_code != 0
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert "cannot open the database" in lines[0]
    assert "s3cretpw" not in result.stderr + result.stdout
    assert "bob@127.0.0.1:1/x?password=***" in lines[0]


def test_a_url_whose_port_is_no_number_is_a_store_error_without_its_password() -> None:
    """It was a ValueError (a traceback where nothing caught it)."""
    with pytest.raises(StoreError) as raised:
        Store("postgresql://bob:s3cretpw@127.0.0.1:port/x?sslpassword=s3cretpw")
    assert "is not a database URL" in str(raised.value)
    assert "s3cretpw" not in str(raised.value)
