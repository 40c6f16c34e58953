"""The store's filters in every script (hostile round 4).

The Library's source filter and search compared SQLite's ``lower()``, which lowers ASCII only,
with Python's: ``source=РИА Новости`` matched nothing and ``q=президент`` missed "Президент"
(and on a PostgreSQL server in the "C" locale, the same).
"""

from __future__ import annotations

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient

from propscope.article import Article
from propscope.store import Store
from propscope.web import create_app

# --- helpers -----------------------------------------------------------------------------------


def _store(store: Store, text: str, article_id: str, technique: str, words: str, **meta) -> None:
    """Store ``text`` with a hand-made analysis holding one span of ``technique`` (no model)."""
    start, end = at(text, words)
    made = analysis(text, [span(text, start, end, technique)], article_id=article_id)
    store.add(Article.from_text(text, id=article_id), made, metadata=meta)


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
