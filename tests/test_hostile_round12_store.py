"""The corpus store under round 12's reproductions (/tmp/hostile12b).

Exports and ``Store.dataframe()`` had no column for the source groups of ``stats --by
source`` (``store.source`` keeps each spelling: four RIA groups where stats showed one);
SQLite and PostgreSQL grouped and filtered sources differently ("Straße Zeitung" and
"STRASSE ZEITUNG" one outlet on SQLite, two on PostgreSQL); parquet wrote the store's dates
as text where ``Store.dataframe()`` has datetime columns; one domain in punycode and in
Unicode was two sources.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from builders import analysis, at, span
from sqlalchemy import update

from propscope import views
from propscope.article import Article
from propscope.store import Store, _ArticleRow, source_key


def _add(store: Store, n: int, **metadata: str) -> int:
    text = f"Headline {n}\n\nThe corrupt elite are destroying our great nation ({n})."
    made = analysis(text, [span(text, *at(text, "corrupt elite"), "Loaded_Language")])
    return store.add(Article.from_text(text, id=f"a{n}"), made, metadata=metadata)


# The tester's RIA spellings, fewer of each: "РИА НОВОСТИ" is the most common.
RIA = ["РИА Новости"] * 2 + ["Риа Новости"] * 1 + ["риа новости"] * 2 + ["РИА НОВОСТИ"] * 3


def _ria_corpus(store: Store) -> None:
    for n, source in enumerate(RIA, 1):
        _add(store, n, source=source)
    _add(store, 100, source="BBC")
    _add(store, 101)  # no source


# --- bug 1: every stored article names its source group ----------------------------------------


def test_each_article_names_its_source_group_as_stats_does(corpus_db_url):
    with Store(corpus_db_url) as store:
        _ria_corpus(store)
        groups = {g["key"]: g["articles"] for g in store.stats("source")}
        assert groups == {"РИА НОВОСТИ": 8, "BBC": 1, None: 1}
        articles = list(store.iter_articles())
        assert [a.source_group for a in articles] == ["РИА НОВОСТИ"] * 8 + ["BBC", None]
        assert {a.source for a in articles[:8]} == set(RIA)  # each spelling kept
        for a in articles:
            assert store.get(a.id).source_group == a.source_group
        assert store.facets()["sources"] == ["BBC", "РИА НОВОСТИ"]


def test_an_export_names_a_group_one_way_while_another_writer_stores(corpus_db_url):
    """A spelling that becomes the most common during an export does not rename its group in
    the rows still to come; a source stored meanwhile is named too."""
    with Store(corpus_db_url) as store, Store(corpus_db_url) as writer:
        for n, source in enumerate(["bbc", "bbc", "BBC"], 1):
            _add(store, n, source=source)
        rows = store.iter_articles(batch_size=1)
        first = next(rows)
        for n in range(10, 13):
            _add(writer, n, source="BBC")
        _add(writer, 20, source="Le Monde")
        rest = list(rows)
        assert {first.source_group} | {a.source_group for a in rest[:5]} == {"bbc"}
        assert rest[-1].source_group == "Le Monde"
        assert store.get(first.id).source_group == "BBC"  # read now: the group's name now


def test_every_export_and_the_dataframe_have_the_source_group(tmp_path):
    """The README's recipe, grouped by ``store.source_group``, gives the groups of stats."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    db = tmp_path / "c.db"
    with Store(db) as store:
        _ria_corpus(store)
        stats = {g["key"]: g["spans"] for g in store.stats("source") if g["key"]}
        frame = store.dataframe()
        assert frame.groupby("store.source_group").size().to_dict() == stats
        assert "store.source" in frame and "store.source_group" in store.dataframe("articles")
        for level in ("spans", "articles"):
            views.export(store, "jsonl", level, tmp_path / f"{level}.jsonl")
            views.export(store, "csv", level, tmp_path / f"{level}.csv")
            views.export(store, "parquet", level, tmp_path / f"{level}.parquet")
            lines = (tmp_path / f"{level}.jsonl").read_text("utf-8").splitlines()
            from_jsonl = [json.loads(line)["store"]["source_group"] for line in lines]
            with open(tmp_path / f"{level}.csv", encoding="utf-8", newline="") as stream:
                from_csv = [row["store.source_group"] or None for row in csv.DictReader(stream)]
            parquet = pd.read_parquet(tmp_path / f"{level}.parquet")["store.source_group"]
            from_parquet = [None if pd.isna(v) else v for v in parquet]
            expected = ["РИА НОВОСТИ"] * 8 + ["BBC", None]  # one finding an article
            assert from_jsonl == from_csv == from_parquet == expected, level


# --- bug 2: SQLite and PostgreSQL group and filter sources alike -------------------------------

STRASSE = ["Straße Zeitung", "STRASSE ZEITUNG", "strasse zeitung"]


def test_both_databases_group_and_filter_sources_by_one_fold(corpus_db_url):
    """PostgreSQL's lower(normalize()) changes one letter for one: "ß" stayed "ß", so it had
    two groups and its filter found 1 of 3; both now fold in Python (``source_key``)."""
    with Store(corpus_db_url) as store:
        for n, source in enumerate(STRASSE + ["ǅemal", "DŽEMAL", "Ǆemal"], 1):
            _add(store, n, source=source)
        groups = {g["key"]: g["articles"] for g in store.stats("source")}
        assert groups == {"Straße Zeitung": 3, "ǅemal": 3}
        for source in STRASSE + ["STRAẞE ZEITUNG", " straße\u00a0zeitung ", "strasse zeitung"]:
            assert store.list(source=source)[1] == 3, source
        assert store.list(source="Straße")[1] == 0  # the source is compared whole
        assert store.list(source="džemal")[1] == 3
        assert store.facets()["sources"] == ["ǅemal", "Straße Zeitung"]


def test_the_api_source_filter_finds_the_whole_group_on_both_databases(corpus_db_url):
    from fastapi.testclient import TestClient

    from propscope.web.app import create_app

    with Store(corpus_db_url) as store:
        for n, source in enumerate(STRASSE, 1):
            _add(store, n, source=source)
    app = create_app(db_url=corpus_db_url, model_loader=lambda: None)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for source in STRASSE:
            response = client.get("/api/v1/articles", params={"source": source})
            assert response.status_code == 200, response.text
            assert response.json()["total"] == 3, source


# --- bug 3: parquet's dates are dates ----------------------------------------------------------


def test_parquet_dates_have_the_dtypes_of_the_store_dataframe(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    with Store(tmp_path / "c.db") as store:
        _add(store, 1, source="BBC", published="2024-03-01")
        _add(store, 2, source="BBC")  # undated
        for level in ("articles", "spans"):
            path = tmp_path / f"{level}.parquet"
            views.export(store, "parquet", level, path)
            read, frame = pd.read_parquet(path), store.dataframe(level)
            for column in ("store.published", "store.created_at"):
                assert read[column].dtype == frame[column].dtype, (level, column)
                pd.testing.assert_series_equal(read[column], frame[column])
            assert read["store.published"].iloc[0] == pd.Timestamp("2024-03-01")
            assert pd.isna(read["store.published"].iloc[-1])


# --- bug 4: a domain in punycode and in Unicode is one source ----------------------------------

HOSTS = [
    {"url": "https://xn--bcher-kva.example/d"},
    {"url": "https://bücher.example/e"},
    {"url": "https://WWW.XN--BCHER-KVA.EXAMPLE./f"},
    {"url": "https://bu\u0308cher.example/g"},  # NFD, as macOS copies text
    {"hostname": "xn--bcher-kva.example"},
]


def test_a_domain_in_punycode_or_unicode_is_one_source_in_unicode(corpus_db_url):
    with Store(corpus_db_url) as store:
        ids = [_add(store, n, **metadata) for n, metadata in enumerate(HOSTS, 1)]
        assert {store.get(i).source for i in ids} == {"bücher.example"}
        assert [(g["key"], g["articles"]) for g in store.stats("source")] == [("bücher.example", 5)]
        # not a valid punycode label, or no host at all: kept as given
        odd = _add(store, 10, url="https://xn--zz.example/h")
        named = _add(store, 11, source="xn--bcher-kva news")
        assert store.get(odd).source == "xn--zz.example"
        assert store.get(named).source == "xn--bcher-kva news"


def test_sources_stored_in_punycode_before_group_with_the_unicode_ones(corpus_db_url):
    """A database written before the host was decoded keeps its rows as they are; they count
    in the Unicode domain's group and its filter finds them."""
    with Store(corpus_db_url) as store:
        old = _add(store, 1, url="https://xn--bcher-kva.example/d")
        with store.engine.begin() as connection:  # as an earlier propscope stored it
            connection.execute(
                update(_ArticleRow)
                .where(_ArticleRow.id == old)
                .values(source="xn--bcher-kva.example")
            )
        _add(store, 2, url="https://bücher.example/e")
        _add(store, 3, url="https://bücher.example/f")
        assert [(g["key"], g["articles"]) for g in store.stats("source")] == [("bücher.example", 3)]
        assert store.list(source="xn--bcher-kva.example")[1] == 3
        assert store.list(source="BÜCHER.example")[1] == 3
        assert store.get(old).source == "xn--bcher-kva.example"  # what was stored stays
        assert store.get(old).source_group == "bücher.example"


def test_source_key_folds_case_unicode_form_and_punycode():
    assert source_key("Straße Zeitung") == source_key("STRASSE ZEITUNG") == "strasse zeitung"
    assert source_key("ﬁnancial times") == source_key("FINANCIAL TIMES")  # NFKC: the ligature
    assert source_key("XN--BCHER-KVA.example") == source_key("Bücher.example") == "bücher.example"
    assert source_key("bu\u0308cher.example") == "bücher.example"
    assert source_key("") == ""


def test_a_date_column_is_untouched_by_the_source_fold(corpus_db_url):
    """The source filter combines with the others as before."""
    with Store(corpus_db_url) as store:
        _add(store, 1, source="Straße Zeitung", published="2024-03-01")
        _add(store, 2, source="STRASSE ZEITUNG", published="2024-04-01")
        _add(store, 3, source="Other", published="2024-03-01")
        items, total = store.list(source="strasse zeitung", date_from=date(2024, 3, 15))
        assert total == 1 and items[0].source == "STRASSE ZEITUNG"
        assert store.list(source="nobody")[1] == 0
