"""The corpus store and batch under round 8's reproductions (/tmp/hostile8a).

Sources that differ only in case were one outlet to the filter but two rows in every
statistic; a source over its column's 255 characters was cut (two outlets merged); a record's
own title won over the title line of its text, against docs/corpus.md; an article dated
9999-12-31 was stored as published then.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from builders import analysis, at, span
from test_batch import HandMade

from propscope.article import Article
from propscope.batch import run_batch
from propscope.store import Store


def _add(store: Store, n: int, text: str | None = None, **metadata: str) -> int:
    text = text or f"Headline {n}\n\nThe corrupt elite are destroying our great nation ({n})."
    start, end = at(text, "corrupt elite") if "corrupt elite" in text else (0, 1)
    made = analysis(text, [span(text, start, end, "Loaded_Language")], article_id=f"a{n}")
    return store.add(Article.from_text(text, id=f"a{n}"), made, metadata=metadata)


# --- bug 1: sources group as the source filter folds them ------------------------------------


def test_sources_differing_in_case_are_one_group_named_by_the_most_common_spelling(
    corpus_db_url,
):
    """`stats --by source`, /api/v1/stats, the dashboard and `report` had a row "BBC" (2) and a
    row "bbc" (1), each linking to a Library page listing all three."""
    with Store(corpus_db_url) as store:
        _add(store, 1, source="bbc")
        _add(store, 2, source="BBC")
        _add(store, 3, source="BBC")
        _add(store, 4, source="Straße")
        _add(store, 5, source="STRASSE" if store.engine.dialect.name == "sqlite" else "STRAẞE")
        _add(store, 6)
        by_source = {g["key"]: g for g in store.stats("source")}
        assert set(by_source) == {"BBC", "Straße", None}, by_source
        assert by_source["BBC"]["articles"] == 3
        assert by_source["BBC"]["techniques"]["Loaded_Language"] == {"spans": 3, "articles": 3}
        assert by_source["Straße"]["articles"] == 2  # a tie: the first stored spelling
        for key, group in by_source.items():
            if key is not None:  # the Library's filter lists exactly the group
                assert store.list(source=key)[1] == group["articles"], key
        assert store.facets()["sources"] == ["BBC", "Straße"]


def test_the_cli_stats_and_report_count_one_outlet_once(tmp_path):
    from hostile import run

    path = tmp_path / "c.db"
    with Store(str(path)) as store:
        for n, source in enumerate(("BBC", "bbc", "BBC"), 1):
            _add(store, n, source=source)
    result = run("stats", "--db", str(path), "--by", "source", "-f", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)
    rows = groups if isinstance(groups, list) else groups["groups"]
    assert [(g["key"], g["articles"]) for g in rows] == [("BBC", 3)]
    report = tmp_path / "r.html"
    result = run("report", "--db", str(path), "-o", str(report), "--no-article-reports")
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert ">bbc<" not in html.replace(">bbc</td>", "")  # only per-article rows keep theirs


# --- bug 7: a source longer than its column is refused, not cut -------------------------------


def test_batch_refuses_a_source_longer_than_its_column_naming_the_record(tmp_path, corpus_db_url):
    """`propscope batch` stored 300 "S" and 300 "S" + "x" as one outlet of 255 "S"; the web API
    refuses the same value with 422."""
    long_a, long_b = "S" * 300, "S" * 299 + "x"
    records = [
        {"id": "a", "text": "First article: the council met.", "source": long_a},
        {"id": "b", "text": "Second article: the council met.", "source": long_b},
        {"id": "c", "text": "Third article: the council met.", "source": "S" * 255},
        {"id": "d", "text": "Fourth article: the council met.", "hostname": "h" * 300},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Store(corpus_db_url) as store:
        summary = run_batch(corpus, store, HandMade())
        assert summary.analysed == 2 and summary.failed == 2
        for (where, reason), record in zip(summary.failures, "ab", strict=True):
            assert where.endswith(f"record '{record}'"), where
            assert "its source is 300 characters long, more than the 255" in reason, reason
        sources = sorted(len(g["key"]) for g in store.stats("source"))
        assert sources == [255, 255]  # the 255-character source whole, a domain cut
        assert len(store.failures()) == 2
        start = "Headline\n\nThe corrupt elite"
        try:
            _add(store, 9, start + " lie.", source=long_a)
        except ValueError as exc:  # the store itself never cuts a source
            assert "more than the 255" in str(exc)
        else:
            raise AssertionError("stored a 300-character source")


# --- bug 8: a record's title counts only when the text has no title line ---------------------


class Titled(HandMade):
    """HandMade with the article's own title, as analyze() gives it (None: no title line)."""

    def analyse(self, articles):
        from propscope.batch import Outcome

        for article in articles:
            made = analysis(article.text, [], article_id=article.id, title=article.title or "")
            info = made.article.model_copy(update={"metadata": dict(article.metadata)})
            yield Outcome(article, made.model_copy(update={"article": info}))


def test_the_title_line_wins_over_a_records_title_and_a_given_title_over_both(tmp_path):
    """docs/corpus.md: a record's `title` is "the title, when the text has no title line";
    the store preferred it over the title line."""
    records = [
        {"id": "t", "text": "The Title Line\n\nThe council met on Tuesday.", "title": "Other"},
        {"id": "n", "text": "The council met on Tuesday and on Friday.", "title": "Given"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Store(str(tmp_path / "c.db")) as store:
        assert run_batch(corpus, store, Titled()).analysed == 2
        titles = {s.analysis.article.id: s.title for s in store.iter_articles()}
        assert titles == {"t": "The Title Line", "n": "Given"}
        # the web's "title" field overrides the detected title (extra metadata)
        text = "Detected Title\n\nThe corrupt elite are destroying our great nation."
        made = analysis(text, [], article_id="w")
        article_id = store.add(Article.from_text(text, id="w"), made, metadata={"title": "Mine"})
        assert store.get(article_id).title == "Mine"


# --- bug 2: a publication date far in the future is no date ----------------------------------


def test_a_publication_date_in_the_future_is_stored_undated_and_named(tmp_path, capsys):
    from types import SimpleNamespace

    from propscope.cli import _print_batch_summary

    soon = (date.today() + timedelta(days=1)).isoformat()
    dates = {"far": "9999-12-31", "next-year": f"{date.today().year + 1}-01-01", "soon": soon}
    records = [
        {"id": i, "text": f"Article {i}: the council met on Tuesday.", "published": d}
        for i, d in dates.items()
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Store(str(tmp_path / "c.db")) as store:
        summary = run_batch(corpus, store, HandMade())
        stored = {s.analysis.article.id: s for s in store.iter_articles()}
        assert [g["key"] for g in store.stats("month")] == [soon[:7], None]
    assert summary.analysed == 3 and summary.failed == 0
    assert summary.undated == [("far", "9999-12-31"), ("next-year", dates["next-year"])]
    assert stored["far"].published is None and stored["far"].metadata["published"] == "9999-12-31"
    assert stored["soon"].published == date.fromisoformat(soon)  # time zones run ahead
    _print_batch_summary(summary, SimpleNamespace(name="hand-made", workers=1))
    assert "far ('9999-12-31')" in capsys.readouterr().out
