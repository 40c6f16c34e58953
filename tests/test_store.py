"""The article store on a real SQLite file and, when PROPSCOPE_TEST_PG_URL is set, PostgreSQL.

Analyses are real: the shipped model on the bundled example and on two stretches of it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select, update

from propscope.store import (
    Store,
    StoreError,
    _ArticleRow,
    default_db_url,
    resolve_db_url,
)

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed(model, example_path):
    """Three real (article, analysis) pairs: the example and two distinct stretches of it."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_article_file, read_text

    full = read_article_file(example_path)
    lines = full.text.split("\n")
    first = read_text("\n".join(lines[:7]), id="first-part")
    last = read_text("\n".join(lines[:1] + [""] + lines[7:]), id="last-part")
    pairs = [(a, analyze(a, model)) for a in (full, first, last)]
    assert len({a.text for a, _ in pairs}) == 3
    assert sum(len(an.spans) for _, an in pairs) > 0, "the model found nothing to test with"
    return pairs


@pytest.fixture
def store_url(corpus_db_url) -> str:
    """A fresh database: a SQLite file, and a PostgreSQL schema of its own (conftest)."""
    return corpus_db_url


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        yield s


META = [
    {"url": "https://www.Trend.az/azerbaijan/politics/1.html", "published": "2020-10-05"},
    {"source": "Example Outlet", "published": "2020-11-20T08:00:00Z", "language": "EN"},
    {"source": "Example Outlet"},
]


@pytest.fixture
def filled(store, analysed):
    ids = store.add_many([(a, an, m) for (a, an), m in zip(analysed, META, strict=True)])
    return store, ids


# --- writing ----------------------------------------------------------------------------------


def test_add_and_get_round_trip(store, analysed):
    article, analysis = analysed[0]
    article_id = store.add(article, analysis, metadata=META[0])
    got = store.get(article_id)
    assert got is not None
    assert got.analysis == analysis  # the whole analysis comes back, text included
    assert got.content_hash == hashlib.sha256(article.text.encode()).hexdigest()
    assert got.content_hash == Store.content_hash(article.text)
    assert got.title == article.title
    assert got.source == "trend.az"  # the domain of the URL, lower case, without www.
    assert got.url == META[0]["url"]
    assert got.published == date(2020, 10, 5)
    assert got.language == "en"
    assert got.model_version == analysis.model.version
    assert got.words == len(re.findall(r"\w+", article.text))
    assert got.created_at.tzinfo is not None
    assert got.metadata["published"] == "2020-10-05"
    assert store.has(got.content_hash)
    assert not store.has("0" * 64)
    assert store.get(article_id + 1000) is None


def test_add_is_idempotent_by_content_hash(store, analysed):
    article, analysis = analysed[0]
    first = store.add(article, analysis, metadata={"source": "first"})
    again = store.add(article, analysis, metadata={"source": "second"})
    assert again == first
    assert store.count() == 1
    assert store.get(first).source == "first"  # what was stored is never overwritten


def test_add_many_returns_ids_in_order_with_duplicates(store, analysed):
    (a, an), (b, bn), _ = analysed
    ids = store.add_many([(a, an, {}), (b, bn, {}), (a, an, {"source": "x"})])
    assert ids[0] == ids[2] != ids[1]
    assert store.count() == 2
    assert store.add_many([(b, bn, {})]) == [ids[1]]
    assert store.add_many([]) == []


def test_add_many_stores_nothing_when_an_item_is_wrong(store, analysed):
    (a, an), (b, bn), (c, cn) = analysed
    with pytest.raises(ValueError, match="different texts"):
        store.add_many([(a, an, {}), (b, cn, {}), (c, cn, {})])
    assert store.count() == 0


def test_failures_are_recorded_once_per_key(store):
    store.record_failure("corpus/bad.txt", "corpus/bad.txt", "not UTF-8 text")
    store.record_failure("abc123", None, "empty")
    store.record_failure("corpus/bad.txt", "corpus/bad.txt", "still not UTF-8")
    failures = store.failures()
    assert [f["key"] for f in failures] == ["corpus/bad.txt", "abc123"]
    assert failures[0]["reason"] == "still not UTF-8"
    assert failures[0]["attempts"] == 2
    assert failures[1]["source"] is None


def test_delete_removes_the_article_and_its_spans(filled, analysed):
    store, ids = filled
    spans_before = sum(1 for _ in store.iter_spans())
    assert store.delete(ids[0]) is True
    assert store.get(ids[0]) is None
    assert store.delete(ids[0]) is False
    remaining = list(store.iter_spans())
    assert len(remaining) == spans_before - len(analysed[0][1].spans)
    assert all(row["article_id"] != ids[0] for row in remaining)
    assert store.count() == 2


def test_reopening_keeps_everything(store_url, analysed):
    article, analysis = analysed[1]
    with Store(store_url) as first:
        article_id = first.add(article, analysis)
    with Store(store_url) as second:  # schema creation on an existing database drops nothing
        assert second.count() == 1
        assert second.get(article_id).analysis == analysis


def test_concurrent_writers_store_a_text_once(store_url, analysed):
    article, analysis = analysed[2]
    stores = [Store(store_url) for _ in range(4)]  # separate engines, like separate processes
    ids: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(stores))

    def add(s: Store) -> None:
        try:
            barrier.wait()
            ids.append(s.add(article, analysis))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert not errors
    assert len(set(ids)) == 1
    with Store(store_url) as s:
        assert s.count() == 1


# --- reading ----------------------------------------------------------------------------------


def test_list_filters_and_pages(filled, analysed):
    store, ids = filled
    items, total = store.list()
    assert total == 3
    assert [i.id for i in items] == sorted(ids, reverse=True)  # newest first
    assert store.list(source="EXAMPLE OUTLET")[1] == 2
    assert store.list(source="trend.az")[0][0].id == ids[0]
    assert store.list(date_from=date(2020, 11, 1))[0][0].id == ids[1]
    assert store.list(date_to=date(2020, 10, 31))[0][0].id == ids[0]
    assert store.list(date_from=date(2020, 10, 1), date_to=date(2020, 12, 1))[1] == 2
    assert store.list(language="en")[1] == 3
    assert store.list(language="fr")[1] == 0
    first_page, total = store.list(limit=2)
    second_page, _ = store.list(limit=2, offset=2)
    assert total == 3 and len(first_page) == 2 and len(second_page) == 1
    assert {i.id for i in first_page + second_page} == set(ids)
    # Technique filter and per-article counts agree with the analyses.
    for (_, analysis), article_id in zip(analysed, ids, strict=True):
        summary = next(i for i in store.list()[0] if i.id == article_id)
        assert summary.spans == len(analysis.spans)
        assert summary.by_technique == dict(Counter(s.technique for s in analysis.spans))
        for technique in {s.technique for s in analysis.spans}:
            assert article_id in {i.id for i in store.list(technique=technique)[0]}
    used = {s.technique for _, an in analysed for s in an.spans}
    unused = next(t for t in ("Slogans", "Whataboutism", "Red_Herring") if t not in used)
    assert store.list(technique=unused) == ([], 0)


def test_list_search_ignores_case_and_escapes_wildcards(filled):
    store, ids = filled
    assert store.list(q="AMNESTY")[1] == 3
    assert store.list(q="hikmet hajiyev")[1] >= 1
    assert store.list(q="trend.az")[0][0].id == ids[0]  # matches the source
    assert store.list(q="%")[1] == 0  # a literal percent sign, not a wildcard
    assert store.list(q="_")[1] == 0
    assert store.list(q="no such words anywhere")[1] == 0


def test_stats_by_source_and_month(filled, analysed):
    store, _ = filled
    by_source = {g["key"]: g for g in store.stats("source")}
    assert set(by_source) == {"trend.az", "Example Outlet"}
    outlet = by_source["Example Outlet"]
    spans = [s for _, an in analysed[1:] for s in an.spans]
    assert outlet["articles"] == 2
    assert outlet["spans"] == len(spans)
    assert outlet["words"] > 0
    assert outlet["per_1000_words"] == round(1000 * len(spans) / outlet["words"], 2)
    for technique, n in Counter(s.technique for s in spans).items():
        using = sum(1 for _, an in analysed[1:] if any(s.technique == technique for s in an.spans))
        assert outlet["techniques"][technique] == {"spans": n, "articles": using}
    for category, n in Counter(s.category for s in spans).items():
        assert outlet["categories"][category]["spans"] == n
    months = store.stats("month")
    assert [g["key"] for g in months] == ["2020-10", "2020-11", None]  # chronological, undated last
    assert [g["articles"] for g in months] == [1, 1, 1]


def test_stats_by_topic_and_genre_read_the_stored_analyses(filled, analysed):
    """Topic (main frame) and genre group articles like sources do, from the analysis JSON,
    alike in SQLite and PostgreSQL."""
    store, _ = filled
    for by, key_of in (
        ("topic", lambda an: an.frames.main),
        ("genre", lambda an: an.genre.label),
    ):
        groups = {g["key"]: g for g in store.stats(by)}
        expected = Counter(key_of(an) for _, an in analysed)
        assert {k: g["articles"] for k, g in groups.items()} == dict(expected), by
        for key, group in groups.items():
            spans = [s for _, an in analysed if key_of(an) == key for s in an.spans]
            assert group["spans"] == len(spans)
            assert {t: v["spans"] for t, v in group["techniques"].items()} == dict(
                Counter(s.technique for s in spans)
            )
        assert sum(g["words"] for g in groups.values()) == sum(
            g["words"] for g in store.stats("source")
        )


def test_stats_by_technique_and_category(filled, analysed):
    store, _ = filled
    spans = [s for _, an in analysed for s in an.spans]
    words = sum(g["words"] for g in store.stats("source"))
    by_technique = store.stats("technique")
    assert {g["key"]: g["spans"] for g in by_technique} == dict(Counter(s.technique for s in spans))
    counts = [g["spans"] for g in by_technique]
    assert counts == sorted(counts, reverse=True)
    for g in by_technique:
        using = sum(1 for _, an in analysed if any(s.technique == g["key"] for s in an.spans))
        assert g["articles"] == using
        assert g["share_of_articles"] == round(using / 3, 4)
        assert g["per_1000_words"] == round(1000 * g["spans"] / words, 2)
        assert g["category"] == next(s.category for s in spans if s.technique == g["key"])
    by_category = {g["key"]: g for g in store.stats("category")}
    assert {k: g["spans"] for k, g in by_category.items()} == dict(
        Counter(s.category for s in spans)
    )
    for g in by_category.values():
        assert sum(t["spans"] for t in g["techniques"].values()) == g["spans"]
    with pytest.raises(ValueError, match="cannot group"):
        store.stats("author")


def test_iter_spans_and_iter_articles(filled, analysed):
    store, ids = filled
    rows = list(store.iter_spans())
    expected = sorted(
        (article_id, s.start, s.end, s.technique)
        for (_, an), article_id in zip(analysed, ids, strict=True)
        for s in an.spans
    )
    assert sorted((r["article_id"], r["start"], r["end"], r["technique"]) for r in rows) == expected
    row = rows[0]
    stored = store.get(row["article_id"])
    assert row["text"] == stored.analysis.text[row["start"] : row["end"]]
    assert row["source"] == stored.source and row["title"] == stored.title
    assert {"confidence", "voice", "speaker", "category", "published"} <= set(row)
    articles = list(store.iter_articles(batch_size=2))  # two pages
    assert [a.id for a in articles] == sorted(ids)
    assert [a.analysis for a in articles] == [an for _, an in analysed]


def test_facets(filled, analysed):
    store, _ = filled
    facets = store.facets()
    assert facets["sources"] == ["Example Outlet", "trend.az"]
    assert facets["languages"] == ["en"]
    assert set(facets["techniques"]) == {s.technique for _, an in analysed for s in an.spans}


def test_models_name_what_each_model_could_not_find(filled, analysed):
    """The dashboard's blind-spot note: per span model, its articles and untrained techniques,
    read from the stored analyses (JSON) alike in SQLite and PostgreSQL."""
    from propscope.io.readers import read_text

    store, ids = filled
    english = analysed[0][1].model
    assert english.untrained_techniques, "the English model knows all 23 techniques now?"
    assert store.models() == [
        {
            "model": english.name,
            "articles": 3,
            "untrained_techniques": list(english.untrained_techniques),
        }
    ]
    article, analysis = analysed[1]
    other = read_text(article.text + "\n\nOne more line.", id="other-model")
    wide = analysis.model_copy(
        update={
            "text": other.text,
            "model": english.model_copy(
                update={"name": "multilingual", "untrained_techniques": ()}
            ),
        }
    )
    store.add(other, wide)
    # an analysis stored before the field existed has no blind spot on record
    with store.engine.begin() as connection:
        row = connection.execute(select(_ArticleRow.analysis).where(_ArticleRow.id == ids[2]))
        stored = row.scalar_one()
        del stored["model"]["untrained_techniques"]
        connection.execute(
            update(_ArticleRow).where(_ArticleRow.id == ids[2]).values(analysis=stored)
        )
    assert store.models() == [  # most articles first, then by name
        {
            "model": english.name,
            "articles": 2,
            "untrained_techniques": list(english.untrained_techniques),
        },
        {"model": "multilingual", "articles": 1, "untrained_techniques": []},
        {"model": english.name, "articles": 1, "untrained_techniques": []},
    ]


# --- URLs -------------------------------------------------------------------------------------


def test_database_urls(tmp_path, monkeypatch):
    monkeypatch.delenv("PROPSCOPE_DB_URL", raising=False)
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_db_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert resolve_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_db_url("sqlite:///a.db") == "sqlite:///a.db"
    assert resolve_db_url() == default_db_url()
    assert default_db_url().endswith("/propscope/propscope.db")
    monkeypatch.setenv("PROPSCOPE_DB_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'env.db'}"


def test_unusable_databases_raise_store_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="cannot open the database"):
        # A closed loopback port: the message hides the password.
        Store("postgresql+psycopg://someone:secret@127.0.0.1:1/nothing?connect_timeout=2")
    try:
        Store("postgresql+psycopg://someone:secret@127.0.0.1:1/nothing?connect_timeout=2")
    except StoreError as exc:
        assert "secret" not in str(exc)


# --- metadata that no column takes (hostile round 2) -------------------------------------------


def _built(text: str, article_id: str, **metadata: str):
    """An article and a hand-made analysis of it (no model), with metadata."""
    from builders import analysis

    from propscope.article import Article

    made = analysis(text, [], article_id=article_id)
    info = made.article.model_copy(update={"metadata": metadata})
    return Article.from_text(text, id=article_id, metadata=metadata), made.model_copy(
        update={"article": info}
    )


def test_metadata_no_column_takes_is_stored_not_a_crash(store):
    """A lone surrogate in a record's source raised UnicodeEncodeError where it was stored
    (the CLI called the database damaged), a URL whose brackets do not parse ("http://[::1")
    raised ValueError taking its domain, and a NUL or a 300-character host name is refused by
    PostgreSQL. Each is stored: U+FFFD for what UTF-8 or PostgreSQL cannot hold, no source
    from a URL that does not parse, a domain cut to its column."""
    text = "Headline\n\nThe corrupt elite are destroying our great nation, and they lie."
    surrogate = _built(text, "s\ud800", source="Outlet \ud800", k="\udc80")
    bad_url = _built(text + " Again.", "u", url="http://[::1")
    long_host = _built(text + " Thrice.", "h", hostname="www." + "h" * 300 + ".example")
    given = {"title": "A\x00title"}  # a given title (the web's field) wins over the title line
    ids = [
        store.add(article, an, metadata=given if article.id.startswith("s") else None)
        for article, an in (surrogate, bad_url, long_host)
    ]
    first, second, third = (store.get(i) for i in ids)
    assert first.source == "Outlet \ufffd" and first.title == "A\ufffdtitle"
    assert first.metadata["k"] == "\ufffd" and first.analysis.article.id == "s\ufffd"
    assert first.analysis.article.metadata["source"] == "Outlet \ufffd"
    assert second.url == "http://[::1" and second.source is None
    assert third.source == ("h" * 300)[:255]
    assert store.stats("source")  # what is stored reads back


def test_failures_with_unstorable_or_long_keys_are_recorded(store):
    """A failure's key, source or reason holding a lone surrogate or NUL, or a key over the
    column's 1,024 characters (a deep path), stopped the batch run that recorded it."""
    long_a, long_b = "d/" * 600 + "a.txt", "d/" * 600 + "b.txt"
    store.record_failure("bad\ud800.txt", "src\x00", "reason \udcff")
    store.record_failure(long_a, long_a, "too deep")
    store.record_failure(long_b, long_b, "too deep")
    store.record_failure(long_a, long_a, "still too deep")
    failures = store.failures()
    assert [f["attempts"] for f in failures] == [1, 2, 1]
    assert failures[0]["key"] == "bad\ufffd.txt" and failures[0]["source"] == "src\ufffd"
    assert failures[0]["reason"] == "reason \ufffd"
    assert all(len(f["key"]) <= 1024 for f in failures)
    assert failures[1]["key"] != failures[2]["key"] and failures[1]["source"] == long_a
