"""Hostile round 15, corpus side (/tmp/hostile15c): sources that differ only by characters
that print as nothing were separate groups reading alike, and a rerun with corrected
metadata said only "skipped".

1. "BBC", "BBC\\u200b", "B\\u00adBC" and "\\u2060BBC" were four "BBC" rows in ``stats --by
   source``, the dashboard and the report; the Library's (and the API's) source filter
   found one of them. ``source_key`` now drops format characters (Unicode category Cf),
   variation selectors and the combining grapheme joiner, at read time: databases stored
   before group so too, and each source is kept as given.
2. A rerun with the same texts and a new source, published date and topic skipped them in
   silence; the summary now names the records whose metadata was not stored.

No model runs here: analyses are hand-made (``builders.analysis``, ``test_batch.HandMade``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import analysis
from sqlalchemy import update

from propscope.article import Article
from propscope.store import Store, _ArticleRow, source_key

# The tester's four spellings and more: each reads "BBC"
INVISIBLE = [
    "BBC",
    "BBC\u200b",  # zero-width space
    "B\u00adBC",  # soft hyphen
    "\u2060BBC",  # word joiner
    "\ufeffBBC",  # byte order mark (zero-width no-break space)
    "B\u200dB\u200cC",  # zero-width joiner and non-joiner
    "\u200eBBC\u200f",  # left-to-right and right-to-left marks
    "\u202aBBC\u202c",  # a bidi embedding and its pop
    "BB\ufe0fC\u034f",  # a variation selector, the combining grapheme joiner
]


def _add(store: Store, n: int, **metadata: str) -> int:
    text = f"Headline {n}\n\nThe council met on day {n}."
    made = analysis(text, [], article_id=f"a{n}")
    return store.add(Article.from_text(text, id=f"a{n}"), made, metadata=metadata)


# --- 1: invisible characters in a source --------------------------------------------------------


def test_source_key_drops_what_prints_as_nothing():
    for spelling in INVISIBLE:
        assert source_key(spelling) == "bbc", ascii(spelling)
    assert source_key("bbc\u200b news") == source_key("BBC News")
    # before the punycode is read: a zero-width space inside a label no longer hides it
    assert source_key("xn--bcher\u200b-kva.example") == "bücher.example"
    # Persian with and without its zero-width non-joiner: one outlet
    assert source_key("همشهری\u200cآنلاین") == source_key("همشهریآنلاین")
    # what prints is kept: spaces, letters, marks that show (NFKC composes them)
    assert source_key("B BC") != source_key("BBC")
    assert source_key("Le Te\u0301le\u0301gramme") == source_key("le télégramme")


def test_sources_that_read_alike_are_one_group_filter_and_facet(corpus_db_url):
    """The tester's repro: four (here nine) rows reading "BBC" are one group, named by its
    first stored spelling; each article keeps its source as given."""
    with Store(corpus_db_url) as store:
        ids = [_add(store, n, source=source) for n, source in enumerate(INVISIBLE)]
        _add(store, 100, source="Le Monde")
        groups = {g["key"]: g["articles"] for g in store.stats("source")}
        assert groups == {"BBC": len(INVISIBLE), "Le Monde": 1}
        for spelling in INVISIBLE:
            assert store.list(source=spelling)[1] == len(INVISIBLE), ascii(spelling)
        assert store.facets()["sources"] == ["BBC", "Le Monde"]
        assert [store.get(i).source for i in ids] == INVISIBLE  # nothing stored is lost
        assert {store.get(i).source_group for i in ids} == {"BBC"}
        assert {a.source_group for a in store.iter_articles()} == {"BBC", "Le Monde"}


def test_a_database_stored_before_groups_by_the_new_rule(corpus_db_url):
    """The key is computed when sources are read, never stored: rows written by an older
    propscope (here: sources set in the table directly) group and filter with new ones,
    with no migration, and keep their spelling."""
    with Store(corpus_db_url) as store:
        old = [_add(store, n, source="placeholder") for n in range(3)]
        for article_id, spelling in zip(old, ["BBC\u200b", "B\u00adBC", "\u2060BBC"], strict=True):
            with store._session.begin() as session:
                session.execute(
                    update(_ArticleRow).where(_ArticleRow.id == article_id).values(source=spelling)
                )
        _add(store, 10, source="BBC")  # stored now
        assert [(g["key"], g["articles"]) for g in store.stats("source")] == [("BBC", 4)]
        assert store.list(source="BBC")[1] == 4
        assert store.get(old[0]).source == "BBC\u200b"


def test_the_api_source_filter_takes_invisible_characters_as_the_store_does(corpus_db_url):
    from fastapi.testclient import TestClient

    from propscope.web.app import create_app

    with Store(corpus_db_url) as store:
        for n, source in enumerate(["BBC", "BBC\u200b", "B\u00adBC", "\u2060BBC"]):
            _add(store, n, source=source)
    app = create_app(db_url=corpus_db_url, model_loader=lambda: None)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for source in ("BBC", "bbc", "BBC\u200b"):
            response = client.get("/api/v1/articles", params={"source": source})
            assert response.status_code == 200, response.text
            assert response.json()["total"] == 4, ascii(source)
        stats = client.get("/api/v1/stats", params={"by": "source"})
        assert stats.status_code == 200, stats.text
        assert [(g["key"], g["articles"]) for g in stats.json()["by_source"]] == [("BBC", 4)]


def test_a_source_of_invisible_characters_only_names_no_outlet(tmp_path):
    """A source that is nothing visible was a group with a blank name; the outlet is now
    taken as without a source (here: the URL's domain). Its metadata keeps it."""
    with Store(tmp_path / "c.db") as store:
        first = _add(store, 1, source="\u200b", url="https://www.bbc.co.uk/news/1")
        second = _add(store, 2, source="\u2060\u00ad")
        assert store.get(first).source == "bbc.co.uk"
        assert store.get(first).metadata["source"] == "\u200b"
        assert store.get(second).source is None


# --- 2: a rerun with other metadata ----------------------------------------------------------


TEXTS = [f"Headline {n}\n\nThe corrupt elite met on day {n}." for n in range(3)]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def _records(**fields: str) -> list[dict]:
    base = {"source": "BBC", "published": "2024-03-05", "topic": "t1"}
    return [{"id": f"r{n}", "text": t, **base, **fields} for n, t in enumerate(TEXTS)]


def _run(corpus: Path, db: Path):
    from test_batch import HandMade

    from propscope.batch import run_batch

    with Store(db) as store:
        return run_batch(corpus, store, HandMade())


def test_a_rerun_with_other_metadata_names_the_records_and_stores_nothing(tmp_path):
    from propscope.batch import kept_metadata_warning

    db = tmp_path / "c.db"
    first = _run(_write(tmp_path / "c.jsonl", _records()), db)
    assert first.analysed == 3 and first.kept_metadata == []
    with Store(db) as store:
        before = [(a.id, a.source, a.published, a.metadata) for a in store.iter_articles()]

    same = _run(tmp_path / "c.jsonl", db)  # the same records: nothing to say
    assert (same.skipped, same.kept_metadata, kept_metadata_warning(same)) == (3, [], None)
    spaced = _records(source=" BBC ")  # white space is not a change of metadata
    assert _run(_write(tmp_path / "spaced.jsonl", spaced), db).kept_metadata == []

    changed = _records(source="Fixed Outlet", published="2025-01-15")
    del changed[2]["topic"]  # a field left out differs too
    summary = _run(_write(tmp_path / "changed.jsonl", changed), db)
    assert (summary.analysed, summary.skipped) == (0, 3)
    assert summary.kept_metadata == [
        ("r0", ("source", "published")),
        ("r1", ("source", "published")),
        ("r2", ("source", "published", "topic")),
    ]
    line = kept_metadata_warning(summary)
    assert line is not None and "\n" not in line
    assert line.startswith("  warning: 3 records of texts already stored carry other metadata")
    assert "r2 (source, published, topic)" in line and "not updated" in line
    assert "delete those articles and run again" in line
    with Store(db) as store:  # what is stored is not changed
        after = [(a.id, a.source, a.published, a.metadata) for a in store.iter_articles()]
    assert after == before


def test_the_warning_names_five_records_and_counts_the_rest():
    from propscope.batch import BatchSummary, kept_metadata_warning

    summary = BatchSummary(kept_metadata=[(f"r{n}", ("source",)) for n in range(7)])
    line = kept_metadata_warning(summary)
    assert "r4 (source) and 2 more;" in line and "r5" not in line
    one = kept_metadata_warning(BatchSummary(kept_metadata=[("r\x1b[2J", ("date",))]))
    assert "1 record of a text already stored carries" in one and "delete that article" in one
    assert "\x1b" not in one  # ids from the corpus are shown escaped


def test_a_repeat_in_the_input_with_other_fields_is_named(tmp_path):
    """A text repeated in one input is analysed once with its first record's fields: a
    repeat with other fields is named too (an exact repeat is not)."""
    records = _records()
    records.append({**records[0], "id": "again"})
    records.append({**records[1], "id": "other", "source": "Fixed Outlet"})
    summary = _run(_write(tmp_path / "c.jsonl", records), tmp_path / "c.db")
    assert (summary.analysed, summary.skipped) == (3, 2)
    assert summary.kept_metadata == [("other", ())]
    from propscope.batch import kept_metadata_warning

    assert "other (other fields than the first record of its text)" in kept_metadata_warning(
        summary
    )


def test_reanalysed_articles_keep_their_metadata_and_are_named(tmp_path):
    """--reanalyse replaces findings only: a record with new fields is named as well."""
    from test_hostile_round11_integrations import Versioned, model_folder

    from propscope.batch import run_batch

    corpus = _write(tmp_path / "c.jsonl", _records())
    old, new = model_folder(tmp_path, "0.1.0"), model_folder(tmp_path, "0.1.0+ft.0123456789ab")
    with Store(tmp_path / "c.db") as store:
        run_batch(corpus, store, Versioned(old))
        _write(corpus, _records(topic="t2"))
        summary = run_batch(corpus, store, Versioned(new), reanalyse=True)
        assert summary.reanalysed == 3
        assert summary.kept_metadata == [(f"r{n}", ("topic",)) for n in range(3)]
        assert {a.metadata["topic"] for a in store.iter_articles()} == {"t1"}


def test_damaged_stored_metadata_does_not_stop_a_rerun(tmp_path):
    db = tmp_path / "c.db"
    corpus = _write(tmp_path / "c.jsonl", _records())
    _run(corpus, db)
    import sqlite3

    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE articles SET metadata = 'not json' WHERE id = 1")
    summary = _run(_write(corpus, _records(source="X")), db)
    assert summary.skipped == 3
    assert [name for name, _ in summary.kept_metadata] == ["r1", "r2"]


def test_the_documented_way_to_correct_metadata_works(tmp_path):
    """docs/corpus.md, "Correcting metadata": delete the articles by their texts, run
    again; the new metadata is stored."""
    db = tmp_path / "corpus.db"
    _run(_write(tmp_path / "c.jsonl", _records()), db)
    changed = _write(tmp_path / "changed.jsonl", _records(source="Fixed Outlet"))
    with Store(db) as store:
        with open(changed, encoding="utf-8-sig") as records:
            for line in records:
                if line.strip():
                    found = store.find(Store.content_hash(json.loads(line)["text"]))
                    if found is not None:
                        store.delete(found)
    summary = _run(changed, db)
    assert (summary.analysed, summary.kept_metadata) == (3, [])
    with Store(db) as store:
        assert {a.source for a in store.iter_articles()} == {"Fixed Outlet"}


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_a_records_metadata_is_compared_as_it_was_stored(tmp_path, kind):
    """A CSV rerun of a CSV corpus (empty cells, non-string JSON values as JSON text) and
    a JSON Lines rerun of a JSON Lines one say nothing: nothing differs from what was
    stored."""
    db = tmp_path / "c.db"
    if kind == "jsonl":
        records = [{**r, "tags": ["a", "b"], "rank": 3, "empty": ""} for r in _records()]
        corpus = _write(tmp_path / "c.jsonl", records)
    else:
        import csv

        corpus = tmp_path / "c.csv"
        with open(corpus, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, ["id", "text", "source", "published", "desk"])
            writer.writeheader()
            for r in _records():
                writer.writerow({**{k: r[k] for k in ("id", "text", "source", "published")}})
    assert _run(corpus, db).analysed == 3
    assert _run(corpus, db).kept_metadata == []
