"""Hostile round 10, corpus side: publication dates (other names of the field, placeholders,
HTML pages' dates), the Library's source filter and search (spaces, Unicode forms), failed
records that can be found again, batch advice a folder user can follow, and charts that
show every group or say which they leave out (web dashboard, ``propscope report``).

No model runs here: analyses are hand-made (``builders.analysis``) and stored with
``Store.add_many``, or made by ``test_batch.HandMade``.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from builders import analysis

from propscope.article import Article
from propscope.store import Store


def _store_texts(store: Store, records: list[tuple[str, dict]]) -> list[int]:
    """Store hand-made analyses (no findings) of ``(text, metadata)``."""
    items = []
    for i, (text, metadata) in enumerate(records):
        made = analysis(text, [], article_id=f"r{i}")
        items.append((Article.from_text(text, id=f"r{i}"), made, metadata))
    return store.add_many(items)


# --- bug 3: other names of the publication date ----------------------------------------------


def test_an_unreadable_published_is_warned_and_not_replaced_by_another_date_field(tmp_path):
    """``"published": "yesterday", "date": "2024-03-05"`` was dated 2024-03-05 from the
    undocumented ``date`` field, with no warning about ``published``. The first date field a
    record gives is the one read: unreadable, the article is undated and the warning names it;
    a date from another field (``date``) is named with its field."""
    from test_batch import HandMade

    from propscope.batch import run_batch

    records = [
        {"id": "r1", "text": "One\n\nIt met.", "published": "yesterday", "date": "2024-03-05"},
        {"id": "r2", "text": "Two\n\nThe council met again.", "date": "2024"},
        {"id": "r3", "text": "Three\n\nThe council met once more.", "pubdate": "2024-03-07"},
        {"id": "r4", "text": "Four\n\nThe mayor spoke.", "published": "2024-03-08", "date": "x"},
    ]  # fmt: skip
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Store(str(tmp_path / "c.db")) as store:
        summary = run_batch(corpus, store, HandMade())
        published = {s.analysis.article.id: s.published for s in store.iter_articles()}
    assert summary.undated == [("r1", "yesterday"), ("r2 (date)", "2024")]
    assert {k: v and v.isoformat() for k, v in published.items()} == {
        "r1": None,
        "r2": None,
        "r3": "2024-03-07",  # an alias alone is read (documented)
        "r4": "2024-03-08",  # published wins when readable
    }


# --- bug 4: placeholder dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00Z",  # Go's zero time
        "0001-01-01",
        "1899-12-30",  # Excel's day zero
        "1970-01-01T00:00:00Z",  # the Unix epoch
        "1970-01-01T00:00:00",
        "1970-01-01",
        "1969-12-31T19:00:00-05:00",  # the epoch, in New York
        "Thu, 01 Jan 1970 00:00:00 GMT",
    ],
)
def test_placeholder_dates_are_stored_undated_and_warned(value):
    from propscope.store import _published, unreadable_date

    assert _published({"published": value}) is None
    assert unreadable_date({"published": value}) == value


@pytest.mark.parametrize("value", ["1900-01-01", "1970-01-01T09:30:00Z", "1970-01-02"])
def test_real_old_dates_are_kept(value):
    from propscope.store import _published, unreadable_date

    assert _published({"published": value}) is not None
    assert unreadable_date({"published": value}) is None


def test_a_placeholder_date_does_not_stretch_the_time_chart(tmp_path):
    """One record dated 0001-01-01T00:00:00Z made the dashboard's time chart millennia."""
    from propscope.web import charts

    with Store(str(tmp_path / "z.db")) as store:
        dates = ["0001-01-01T00:00:00Z"] + [f"2023-{m:02d}-10" for m in range(1, 13)]
        _store_texts(store, [(f"T{i}\n\nText {i}.", {"published": d}) for i, d in enumerate(dates)])
        chart = charts.month_chart(store.stats("month"))
    assert chart["period"] == "month" and chart["undated"] == 1


# --- bug 8: the source filter is tidied as stored sources are ---------------------------------


def test_the_source_filter_tidies_spaces_as_stored_sources_are(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        spellings = ["Le Monde", "Le\u00a0Monde", " Le  Monde ", "le monde"]
        _store_texts(
            store, [(f"T{i}\n\nText {i}.", {"source": s}) for i, s in enumerate(spellings)]
        )
        for typed in ["Le Monde", " Le Monde ", "Le\u00a0Monde", "Le  Monde", "LE\tMONDE"]:
            assert store.list(source=typed)[1] == 4, repr(typed)
        assert store.list(source="Le Mond")[1] == 0


# --- bug 9: search and filters ignore the Unicode form (NFC / NFD) ---------------------------


def test_search_and_source_filter_match_nfc_and_nfd_alike(corpus_db_url):
    nfd = unicodedata.normalize("NFD", "Réforme des retraites\n\nLe ministre a défendu la réforme.")
    nfc = "Sécurité sociale\n\nLe débat continue à l'Assemblée."
    with Store(corpus_db_url) as store:
        _store_texts(
            store,
            [
                (nfd, {"source": unicodedata.normalize("NFD", "Libération")}),
                (nfc, {"source": "Télé"}),
            ],
        )
        for q in ("réforme", unicodedata.normalize("NFD", "réforme"), "RÉFORME"):
            assert store.list(q=q)[1] == 1, ascii(q)
        assert store.list(q=unicodedata.normalize("NFD", "sécurité"))[1] == 1
        assert store.list(source="Libération")[1] == 1
        assert store.list(source=unicodedata.normalize("NFD", "télé"))[1] == 1
        assert store.list(q="\uff05")[1] == 0  # a full-width "%" is no wildcard
        assert store.list(q="Dussopt")[1] == 0


# --- bug 2: an HTML page's date is its metadata's, never invented -----------------------------

_BODY = "".join(
    f"<p>The senator said the plan would cost {n} billion and that voters were angry.</p>"
    for n in range(3)
)


def _page(head: str, extra: str = "") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Budget row</title>{head}"
        f"</head><body><article><h1>Budget row</h1>{_BODY}{extra}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "extra", "expected"),
    [
        ('<meta property="article:published_time" content="2024">', "", "2024"),  # was Jan 1
        # the day was today's
        ('<meta property="article:published_time" content="2024-07">', "", "2024-07"),
        ("", "<p>He had said so in a speech on 12 March 2019.</p>", None),  # from the text
        (
            '<meta property="article:published_time" content="2024-03-05T23:30:00-05:00">',
            "",
            "2024-03-05",
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2023-11-02T08:00:00Z"}]}</script>',
            "<p>Updated on 4 December 2024.</p>",
            "2023-11-02",
        ),
    ],
)  # fmt: skip
def test_an_html_page_keeps_only_the_date_its_metadata_states(head, extra, expected):
    from propscope.io.readers import read_html

    article = read_html(_page(head, extra), source="page.html")
    assert article.metadata.get("date") == expected


def test_batch_stores_html_pages_with_partial_dates_undated_and_warns(tmp_path):
    from test_batch import HandMade

    from propscope.batch import run_batch

    folder = tmp_path / "in" / "site"
    folder.mkdir(parents=True)
    (folder / "a.html").write_text(_page('<meta property="article:published_time" content="2024">'))
    (folder / "b.html").write_text(_page('<meta name="pubdate" content="2024-03-05">', "<p>x</p>"))
    (folder / "c.html").write_text(_page("", "<p>As she wrote on November 1, 2018, it was.</p>"))
    with Store(str(tmp_path / "h.db")) as store:
        summary = run_batch(tmp_path / "in", store, HandMade())
        dated = [s.published for s in store.iter_articles()]
        months = {g["key"]: g["articles"] for g in store.stats("month")}
    assert summary.analysed == 3
    assert [(name.rsplit("/", 1)[-1], value) for name, value in summary.undated] == [
        ("a.html (date)", "2024")
    ]
    assert sorted(str(d) for d in dated) == ["2024-03-05", "None", "None"]
    assert months == {"2024-03": 1, None: 2}


# --- bug 10: batch advice a folder's user can follow; an empty folder is refused -------------


def test_a_folder_file_refused_on_an_unsure_language_guess_gets_advice_it_can_follow(tmp_path):
    """A short .txt of a folder failed with "give the record a language field": a file has
    no fields and batch no --language."""
    from propscope.batch import InProcessEngine, Outcome, _failure_reason, run_batch
    from propscope.errors import UnsupportedLanguageError

    refused = UnsupportedLanguageError("text is in Finnish (fi); propscope analyses ...")
    refused.confidence = 0.02

    class Unsure(InProcessEngine):
        def analyse(self, articles):
            for article in articles:
                yield Outcome(article, None, _failure_reason(refused))

    (tmp_path / "in" / "lemonde").mkdir(parents=True)
    (tmp_path / "in" / "lemonde" / "court.txt").write_text("Basta!\n")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "x", "text": "Basta!"}) + "\n")
    with Store(str(tmp_path / "b.db")) as store:
        from_folder = run_batch(tmp_path / "in", store, Unsure())
        from_records = run_batch(corpus, store, Unsure())
    [(_, folder_reason)] = from_folder.failures
    assert "record" not in folder_reason and "language field" in folder_reason
    assert "JSON Lines or CSV file" in folder_reason
    assert "propscope analyze FILE --language" in folder_reason
    [(_, record_reason)] = from_records.failures
    assert "give the record a language field (en, fr, de, it, pl or ru)" in record_reason


def test_batch_refuses_a_folder_without_articles_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from propscope.cli import app

    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "sub" / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty" / ".hidden.txt").write_text("A hidden text.")
    db = tmp_path / "e.db"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "holds no .txt, .html or .htm file" in message
    assert not db.exists()  # refused before the database is opened


# --- bug 5: the dashboard draws every frame, and says which sources it leaves out -----------


def _corpus_with_frames_and_sources(path, sources: int = 20) -> None:
    """One article per frame (14), each with a finding, spread over ``sources`` sources."""
    from builders import span

    from propscope import taxonomy
    from propscope.schema import FramesInfo

    items = []
    for i in range(max(sources, len(taxonomy.FRAMES))):
        text = f"Headline {i}\n\nThe corrupt elite are destroying our great nation ({i})."
        start = text.index("corrupt")
        made = analysis(text, [span(text, start, start + 12)], article_id=f"a{i}")
        frame = taxonomy.FRAMES[i % len(taxonomy.FRAMES)]
        made = made.model_copy(
            update={"frames": FramesInfo(labels=(frame,), main=frame, probabilities={frame: 0.9})}
        )
        source = f"Outlet {i % sources:02d}"
        items.append((Article.from_text(text, id=f"a{i}"), made, {"source": source}))
    with Store(str(path)) as store:
        store.add_many(items)


def test_the_dashboard_draws_every_frame_and_says_which_sources_it_shows(tmp_path):
    from fastapi.testclient import TestClient

    from propscope.web import create_app

    db = tmp_path / "web.db"
    _corpus_with_frames_and_sources(db, sources=20)
    app = create_app(db_url=str(db), model_loader=lambda: object())
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        page = client.get("/dashboard").text
    frame_desc = re.search(r'id="chart-frame-desc">([^<]*)<', page).group(1)
    assert frame_desc.count("per 1,000 words in") == 14  # was 12 of 14
    source_desc = re.search(r'id="chart-source-desc">([^<]*)<', page).group(1)
    assert source_desc.count("per 1,000 words in") == 12
    section = page[page.index("by-source-title") : page.index("by-frame-title")]
    note = "The chart shows the 12 sources with most articles, of 20; the table lists them all."
    assert note in section and note in source_desc
    frames = page[page.index("by-frame-title") : page.index("Over time")]
    assert "with most articles, of" not in frames


def test_the_source_chart_says_nothing_is_left_out_when_nothing_is():
    from propscope.web.charts import source_chart

    groups = [
        {"key": f"S{i}", "articles": 1, "words": 10, "per_1000_words": 0.0, "categories": {}}
        for i in range(3)
    ]
    chart = source_chart(groups)
    assert chart["note"] == "" and (chart["shown"], chart["total"]) == (3, 3)


# --- bug 1: propscope report's time chart has a real time axis --------------------------------


def _time_svg(html: str) -> str:
    return next(
        svg
        for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)
        if re.search(r'aria-label="Techniques per 1,000 words by (month|year|decade)', svg)
    )


def _dated_store(path, dates: list[str]) -> Store:
    from builders import span

    items = []
    for i, day in enumerate(dates):
        text = f"Headline {i}\n\nThe corrupt elite are destroying our great nation ({i})."
        start = text.index("corrupt")
        made = analysis(text, [span(text, start, start + 12)], article_id=f"d{i}")
        items.append((Article.from_text(text, id=f"d{i}"), made, {"published": day}))
    store = Store(str(path))
    store.add_many(items)
    return store


def test_the_report_time_chart_leaves_gaps_for_empty_periods(tmp_path):
    """1999-06 was drawn right next to 2023-11, two bars side by side."""
    from propscope.report.corpus import render_corpus_report
    from propscope.web.charts import month_chart

    with _dated_store(tmp_path / "t.db", ["1999-06-01", "2023-11-02", "2023-11-20"]) as store:
        html, _ = render_corpus_report(store)
        web = month_chart(store.stats("month"))
    svg = _time_svg(html)
    assert 'aria-label="Techniques per 1,000 words by year"' in svg
    bars = {t: float(x) for x, t in re.findall(r'<rect x="([\d.]+)"[^>]*><title>(\d{4}) ', svg)}
    assert set(bars) == {"1999", "2023"}
    step = (bars["2023"] - bars["1999"]) / 24  # 24 years apart: 23 empty years between
    assert step > 20
    assert web["period"] == "year"  # the dashboard's axis is the same
    note = re.search(r'<p class="note">Findings per 1,000 words by ([^<]*)</p>', html).group(1)
    assert note.startswith("year of publication") and "1999-06 to 2023-11" in note


def test_the_report_time_chart_of_decades_has_readable_bars(tmp_path):
    """Over 1990-2026 it drew 317 bars 1.3 px wide with irregular labels."""
    from propscope.report.corpus import render_corpus_report

    dates = [f"{year}-{month:02d}-15" for year in range(1990, 2027) for month in (1, 5, 9)]
    with _dated_store(tmp_path / "d.db", dates) as store:
        html, _ = render_corpus_report(store)
    svg = _time_svg(html)
    assert 'aria-label="Techniques per 1,000 words by decade"' in svg
    widths = {float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)}
    assert min(widths) >= 3
    labels = re.findall(r'class="small">(\d{4}–\d{4})</text>', svg)
    assert labels == ["1990–1999", "2000–2009", "2010–2019", "2020–2029"]
    assert "each bar is a decade" in html


# --- bug 6: report labels keep their counts; the grid says what it leaves out ----------------


def test_report_labels_keep_counts_and_tell_long_names_apart(tmp_path):
    from builders import span

    from propscope import taxonomy
    from propscope.report.corpus import render_corpus_report

    items = []
    for i, technique in enumerate(taxonomy.TECHNIQUE_INFO):
        text = f"Headline {i}\n\nThe corrupt elite are destroying our great nation ({i})."
        start = text.index("corrupt")
        made = analysis(text, [span(text, start, start + 12, technique=technique)])
        desk = "English" if i % 2 else "French"
        source = f"Agence France-Presse, {desk} desk"
        items.append((Article.from_text(text, id=f"t{i}"), made, {"source": source}))
    with Store(str(tmp_path / "l.db")) as store:
        store.add_many(items)
        html, _ = render_corpus_report(store)
    rows = re.findall(r'text-anchor="end">(?:<title>[^<]*</title>)?([^<]*\(\d+\))</text>', html)
    english = [r for r in rows if r.endswith("(11)")]
    french = [r for r in rows if r.endswith("(12)")]
    assert english and french  # each keeps its count
    assert "English desk" in english[0] and "French desk" in french[0]
    assert all(len(r) <= 30 for r in rows)
    assert "<title>Agence France-Presse, English desk (11)</title>" in html  # whole on hover
    assert (
        "Only the 12 techniques used most in the corpus are shown, of 23 found; the technique "
        "chart above has them all." in html
    )


# --- bug 7: failed records can be found again --------------------------------------------------


def test_every_failed_record_is_stored_with_its_id_and_location(tmp_path):
    """Beyond the summary's first 20, a failure was only a text hash: no id, no file:line."""
    from propscope.batch import InProcessEngine, Outcome, run_batch

    class Refuses(InProcessEngine):
        def analyse(self, articles):
            for article in articles:
                yield Outcome(article, None, "text is in Spanish (es); propscope analyses ...")

    corpus = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": f"es-{i:03d}", "text": f"La crisis {i}\n\nTexto {i}."}) for i in range(25)
    ]
    lines.insert(3, "{not json")
    lines.insert(5, json.dumps({"id": "bad-url", "text": "Otro\n\nTexto.", "url": "http://[::1"}))
    corpus.write_text("\n".join(lines) + "\n")
    folder = tmp_path / "folder" / "elpais"
    folder.mkdir(parents=True)
    (folder / "nota.txt").write_text("Nota\n\nUn texto corto.")
    with Store(str(tmp_path / "f.db")) as store:
        run_batch(corpus, store, Refuses())
        run_batch(tmp_path / "folder", store, Refuses())
        failures = store.failures()
    assert len(failures) == 28
    by_record = {f["record"]: f for f in failures}
    assert by_record["es-024"]["location"] == str(corpus)  # the 25th refused: found again
    assert by_record["bad-url"]["location"] == str(corpus)
    assert "is not a URL" in by_record["bad-url"]["reason"]
    [broken] = [f for f in failures if f["record"] is None]
    assert broken["location"] == f"{corpus}:4" and "not JSON" in broken["reason"]
    assert by_record["nota"]["location"] == str(folder / "nota.txt")


def test_failures_recorded_before_migration_0004_are_kept(corpus_db_url):
    from alembic import command
    from sqlalchemy import create_engine, text

    from propscope import migrations
    from propscope.store import resolve_db_url

    engine = create_engine(resolve_db_url(corpus_db_url))
    try:
        with engine.begin() as connection:
            command.upgrade(migrations.config(connection), "0003")
            connection.execute(
                text(
                    "INSERT INTO failures (key, source, reason, attempts, created_at, updated_at)"
                    " VALUES ('in.jsonl:7', 'in.jsonl', 'not JSON', 2, :now, :now)"
                ),
                {"now": "2026-12-01 10:00:00"},
            )
    finally:
        engine.dispose()
    with Store(corpus_db_url) as store:  # upgrades to head
        [old] = store.failures()
        assert (old["key"], old["source"], old["reason"], old["attempts"]) == (
            "in.jsonl:7",
            "in.jsonl",
            "not JSON",
            2,
        )
        assert old["record"] is None and old["location"] is None
        store.record_failure("f" * 64, "in.jsonl", "refused", record="r9", location="in.jsonl")
        new = store.failures()[-1]
        assert (new["record"], new["location"]) == ("r9", "in.jsonl")
        store.record_failure("f" * 64, "in.jsonl", "refused again")  # a retry keeps them
        again = store.failures()[-1]
        assert (again["record"], again["location"], again["attempts"]) == ("r9", "in.jsonl", 2)


def test_the_summary_says_how_to_list_the_failures_it_does_not_show(capsys) -> None:
    # round-10 review: "... and 5 more failures (stored in the database)" said not where
    from types import SimpleNamespace

    from propscope.cli import _print_batch_summary

    failures = [(f"r{i}", "the guess is unsure") for i in range(25)]
    summary = SimpleNamespace(
        interrupted=False,
        analysed=0,
        skipped=0,
        failed=25,
        seconds=1.0,
        rate=0.0,
        elsewhere=0,
        undated=[],
        failures=failures,
    )
    _print_batch_summary(summary, SimpleNamespace(name="local", workers=1))
    out = capsys.readouterr().out
    assert out.count("failed: r") == 20
    assert "5 more failures (stored in the database: SELECT record, location, reason" in out


# --- review of round 10 ---------------------------------------------------------------------


def test_a_far_future_date_with_a_time_zone_is_stored_undated_not_a_crash() -> None:
    # the placeholder check converted it to UTC: OverflowError stopped batch
    from propscope.store import _published, placeholder_date

    assert placeholder_date("9999-12-31T23:00:00-05:00") is False
    assert _published({"published": "9999-12-31T23:00:00-05:00"}) is None


@pytest.mark.parametrize(
    "ld",
    ["[" * 900 + "]" * 900, "[" * 100_000 + "]" * 100_000, '{"a":' * 950 + "1" + "}" * 950],
)
def test_json_ld_nested_past_reason_is_ignored(ld) -> None:
    from propscope.io.readers import read_html

    head = f'<script type="application/ld+json">{ld}</script>'
    article = read_html(_page(head), source="page.html")
    assert article.metadata.get("date") is None and "Budget" in article.text


def test_the_epoch_in_a_time_zone_stays_a_placeholder_in_html() -> None:
    # reduced to its date, 1969-12-31T19:00:00-05:00 was stored as New Year's Eve 1969
    from propscope.io.readers import read_html
    from propscope.store import _published

    head = '<meta property="article:published_time" content="1969-12-31T19:00:00-05:00">'
    article = read_html(_page(head), source="page.html")
    assert _published(article.metadata) is None
