"""Corpus mode: batch runs into SQLite and PostgreSQL, resume after kill -9, bad inputs, Ray.

Articles come from the PTC training data in ``../shared/data`` (copied into tmp folders, never
into the repo); short ones keep the default run fast (the model reads ~2 articles/s here).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.analysis import analyze
from propscope.article import Article
from propscope.batch import (
    InProcessEngine,
    LocalEngine,
    ReadFailure,
    _analyse_one,
    corpus_files,
    count_corpus,
    cpu_count,
    iter_corpus,
    run_batch,
)
from propscope.cli import app
from propscope.io.readers import read_article_file
from propscope.store import Store

runner = CliRunner()


def ptc_articles(data_dir: Path, n: int, min_chars: int = 0, max_chars: int = 1200) -> list[Path]:
    """``n`` PTC training articles whose length lies in [min_chars, max_chars), shortest first."""
    folder = data_dir / "ptc_semeval2020_task11" / "train-articles"
    sized = sorted((p.stat().st_size, p.name, p) for p in folder.glob("article*.txt"))
    chosen = [p for size, _, p in sized if min_chars <= size < max_chars][:n]
    assert len(chosen) == n, f"not {n} articles of {min_chars}-{max_chars} bytes in {folder}"
    return chosen


def batch(*args: str):
    result = runner.invoke(app, ["batch", *args])
    return result


@pytest.fixture
def corpus(tmp_path, data_dir) -> Path:
    """4 good articles (3 in outlet-a/, 1 at the top), a duplicate, and 3 bad files."""
    root = tmp_path / "corpus"
    (root / "outlet-a").mkdir(parents=True)
    articles = ptc_articles(data_dir, 4)
    for path in articles[:3]:
        (root / "outlet-a" / path.name).write_bytes(path.read_bytes())
    (root / articles[3].name).write_bytes(articles[3].read_bytes())
    # A repeat of an outlet-a article, after outlet-a/ in path order.
    (root / "repeat-of-first.txt").write_bytes(articles[0].read_bytes())
    (root / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (root / "huge.txt").write_text("word " * 3000, encoding="utf-8")  # 15,000 characters
    (root / ".hidden.txt").write_text("A hidden file is no article.", encoding="utf-8")
    (root / "notes.md").write_text("Markdown is not an article format here.", encoding="utf-8")
    return root


def test_batch_directory_analyses_skips_and_records_failures(corpus, corpus_db_url, model):
    result = batch(str(corpus), "--db", corpus_db_url, "--workers", "1", "--max-chars", "12000")
    assert result.exit_code == 0, result.output
    assert "analysed 4, skipped 1 (already stored or repeated), failed 3" in result.output

    store = Store(corpus_db_url)
    assert store.count() == 4
    reasons = {Path(f["key"]).name: f["reason"] for f in store.failures()}
    assert set(reasons) == {"empty.txt", "binary.txt", "huge.txt"}
    assert "is empty" in reasons["empty.txt"]
    assert "has NUL characters (binary data?)" in reasons["binary.txt"]
    assert "more than the limit of 12,000" in reasons["huge.txt"]
    listed, total = store.list(limit=10)
    assert total == 4
    assert sorted(a.source or "" for a in listed) == ["", "outlet-a", "outlet-a", "outlet-a"]
    # What is stored is what analyze() gives, spans and all.
    first = next(a for a in listed if a.source == "outlet-a")
    stored = store.get(first.id)
    fresh = analyze(read_article_file(stored.analysis.article.source), model)
    assert stored.analysis.spans == fresh.spans
    assert stored.metadata["batch_input"] == str(corpus)

    # A rerun analyses nothing, skips everything stored and fails the bad files again.
    again = batch(str(corpus), "--db", corpus_db_url, "--workers", "1", "--max-chars", "12000")
    assert again.exit_code == 0, again.output
    assert "analysed 0, skipped 5 (already stored or repeated), failed 3" in again.output
    assert store.count() == 4
    assert [f["attempts"] for f in store.failures()] == [2, 2, 2]


def test_limit_takes_the_first_articles_and_a_rerun_continues(corpus, tmp_path, model):
    db = f"sqlite:///{tmp_path / 'limit.db'}"
    files = corpus_files(corpus)
    assert count_corpus(corpus) == len(files) == 8  # hidden and .md files are no articles
    # Path order: the top-level article, binary, empty, huge, outlet-a/1, 2, 3, the repeat.
    args = [str(corpus), "--db", db, "--workers", "1", "--max-chars", "12000"]
    result = batch(*args, "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "analysed 2, skipped 0 (already stored or repeated), failed 3" in result.output
    assert Store(db).count() == 2
    result = batch(*args)
    assert "analysed 2, skipped 3 (already stored or repeated), failed 3" in result.output
    assert Store(db).count() == 4


def test_jsonl_and_csv_corpora_keep_metadata_and_skip_by_content(tmp_path, data_dir, model):
    texts = [p.read_text(encoding="utf-8") for p in ptc_articles(data_dir, 2)]
    jsonl = tmp_path / "corpus.jsonl"
    records = [
        {"id": "a1", "text": texts[0], "source": "Daily A", "published": "2024-03-05", "desk": "x"},
        {"id": "a2", "text": "   ", "source": "Daily A"},
        {"id": "a3", "text": texts[1], "url": "https://www.example.org/news/a3", "tags": ["p"]},
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(2, "{not json")
    jsonl.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'records.db'}"

    result = batch(str(jsonl), "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "analysed 2, skipped 0 (already stored or repeated), failed 2" in result.output
    store = Store(db)
    failures = {f["key"]: f["reason"] for f in store.failures()}
    assert set(failures) == {f"{jsonl}:2", f"{jsonl}:3"}
    assert "is empty" in failures[f"{jsonl}:2"] and "not JSON" in failures[f"{jsonl}:3"]
    listed, _ = store.list()
    by_source = {a.source: a for a in listed}
    assert set(by_source) == {"Daily A", "example.org"}
    daily = store.get(by_source["Daily A"].id)
    assert daily.published.isoformat() == "2024-03-05"
    assert daily.metadata["desk"] == "x"  # unknown fields are kept as metadata
    assert json.loads(store.get(by_source["example.org"].id).metadata["tags"]) == ["p"]

    # The same texts in a CSV file (other ids, extra column) are skipped: the key is the text.
    table = tmp_path / "corpus.csv"
    import csv

    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "url", "source", "published", "section"])
        writer.writerow(["c1", texts[0], "", "Daily A", "2024-03-05", "politics"])
        writer.writerow(["c2", texts[1], "", "Daily B", "", "world"])
        writer.writerow(["c3", "", "", "Daily B", "", "world"])
    result = batch(str(table), "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "analysed 0, skipped 2 (already stored or repeated), failed 1" in result.output
    csv_failures = [f for f in store.failures() if f["key"].startswith(f"{table}:")]
    assert len(csv_failures) == 1 and "is empty" in csv_failures[0]["reason"]


def test_wrong_input_stops_before_any_work(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = batch(str(tmp_path / "missing"), "--db", db)
    assert result.exit_code == 2 and "no such file or folder" in result.output
    (tmp_path / "corpus.xml").write_text("<a/>", encoding="utf-8")
    result = batch(str(tmp_path / "corpus.xml"), "--db", db)
    assert result.exit_code == 2 and ".jsonl/.ndjson or .csv" in result.output
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Some words of an article.", encoding="utf-8")
    result = batch(str(folder), "--db", db, "--address", "127.0.0.1:1")
    assert result.exit_code == 2 and "--address is for --engine ray" in result.output


def test_broken_csv_records_the_rest_as_unreadable(tmp_path):
    table = tmp_path / "broken.csv"
    table.write_bytes(b"id,text\nok,Some words of an article.\nbad,\xff\xfe broken bytes\n")
    items = list(iter_corpus(table))
    assert isinstance(items[-1], ReadFailure) and "not UTF-8" in items[-1].reason
    assert "the rest of the file was not read" in items[-1].reason


def test_a_csv_quote_left_open_is_unreadable_not_one_giant_article(tmp_path):
    table = tmp_path / "open.csv"
    table.write_text(
        'id,text\nok,Some words of an article.\nbad,"Opens a quote.\nlost,More words.\n',
        encoding="utf-8",
    )
    items = list(iter_corpus(table))
    assert [type(item) for item in items] == [Article, ReadFailure]
    assert items[0].id == "ok"
    assert items[1].key == str(table) and "\n" not in items[1].reason
    assert "line 3: a quoted field starts there and is never closed" in items[1].reason
    assert "the rest of the file was not read" in items[1].reason


def test_records_that_are_not_text_are_recorded_and_the_run_goes_on(tmp_path):
    """A JSONL record with a lone surrogate ("\\ud800") stopped the whole run with a
    traceback (its text cannot be hashed); with NUL or 5,000-digit or 100,000-deep lines it
    is a failure with its reason, like a binary file in a folder."""
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "surrogate", "text": "Some words \ud800 of an article."}),
        json.dumps({"id": "nul", "text": "Some words \x00 of an article."}),
        '{"id": ' + "9" * 5000 + ', "text": "x"}',
        '{"id": 1, "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"id": "good", "text": "Some words of an article."}),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    class Collect:
        """An engine that only takes what reaches it (no model)."""

        def __init__(self) -> None:
            self.received: list[str] = []

        def analyse(self, articles):
            self.received.extend(article.id for article in articles)
            return iter(())

    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    engine = Collect()
    summary = run_batch(corpus, store, engine)
    assert engine.received == ["good"]
    reasons = [reason for _, reason in summary.failures]
    assert len(reasons) == 4
    assert "lone surrogate" in reasons[0] and "NUL" in reasons[1]
    assert "digits" in reasons[2] and "nested too deeply" in reasons[3]
    assert [f["key"] for f in store.failures()] == [f"{corpus}:{n}" for n in range(1, 5)]


def test_a_records_language_field_is_the_language_it_is_analysed_in(tmp_path, model):
    """docs/corpus.md lists ``language`` as a field: it was ignored (a two-word English text
    was detected as Southern Sotho and failed; a French text marked en was stored as fr)."""
    french = "Le gouvernement a annoncé hier de nouvelles mesures pour les familles."
    records = [  # the text is the key: four texts
        {"id": "short", "text": "hello there", "language": "en"},
        {"id": "marked", "text": french, "language": "EN-gb"},
        {"id": "unmarked", "text": french + " Elles arrivent."},
        {"id": "wrong", "text": "hello you", "language": "klingon"},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'l.db'}")
    summary = run_batch(corpus, store, InProcessEngine())
    assert (summary.analysed, summary.failed) == (3, 1)
    stored = {a.analysis.article.id: a.language for a in store.iter_articles()}
    assert stored == {"short": "en", "marked": "en", "unmarked": "fr"}
    ((where, reason),) = summary.failures
    assert where.endswith("record 'wrong'") and "language field is 'klingon'" in reason


def test_an_article_whose_analysis_fails_is_recorded_and_the_run_goes_on(tmp_path, data_dir):
    """A model error on one article becomes a failure with its reason; the others are stored."""
    paths = ptc_articles(data_dir, 3)
    folder = tmp_path / "c"
    folder.mkdir()
    for p in paths:
        (folder / p.name).write_bytes(p.read_bytes())
    doomed = read_article_file(paths[1]).text

    class OneBrokenModel(InProcessEngine):
        """The real engine, except that one article meets a model that cannot predict."""

        def analyse(self, articles):
            for outcome in super().analyse(articles):
                if outcome.article.text == doomed:
                    outcome = _analyse_one(outcome.article, object(), None)
                yield outcome

    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    summary = run_batch(folder, store, OneBrokenModel())
    assert (summary.analysed, summary.skipped, summary.failed) == (2, 0, 1)
    where, reason = summary.failures[0]
    # The summary names the file, as it names a file that could not be read (it named the
    # text's content hash); the failures table keys it by the hash, with the file as source.
    assert where == str(folder / paths[1].name)
    assert reason.startswith("analysis failed: AttributeError")
    recorded = store.failures()[0]
    assert recorded["key"] == store.content_hash(doomed) and recorded["source"] == where
    assert store.count() == 2


def test_resume_after_kill_9(tmp_path, data_dir, corpus_db_url, model):
    """SIGKILL a running batch right after a commit; the store is intact and a rerun
    analyses exactly the rest."""
    folder = tmp_path / "c"
    folder.mkdir()
    paths = ptc_articles(data_dir, 10, min_chars=1500, max_chars=4000)
    for p in paths:
        (folder / p.name).write_bytes(p.read_bytes())
    command = [sys.executable, "-c", "from propscope.cli import app; app()", "batch"]
    command += [str(folder), "--db", corpus_db_url, "--workers", "1", "--batch-size", "1"]
    store = Store(corpus_db_url)  # tables first: two processes creating them would collide
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600  # ~10 s on an idle machine; CI machines may be busy
    try:
        while store.count() < 1 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        output = process.communicate(timeout=30)[0].decode()
    stored_at_kill = store.count()
    assert process.returncode == -signal.SIGKILL, output
    assert 1 <= stored_at_kill < 10, f"the kill did not land mid-run ({stored_at_kill})\n{output}"

    if corpus_db_url.startswith("sqlite"):
        path = corpus_db_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every stored article is whole: its span rows match its stored analysis.
    listed, total = store.list(limit=100)
    assert total == stored_at_kill
    for item in listed:
        assert item.spans == len(store.get(item.id).analysis.spans)

    result = batch(str(folder), "--db", corpus_db_url, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert f"analysed {10 - stored_at_kill}, skipped {stored_at_kill}" in result.output
    assert store.count() == 10 and not store.failures()


def test_local_engine_runs_worker_processes(tmp_path, data_dir, model):
    """Two spawned workers, each loading the model once, give the same analyses."""
    paths = ptc_articles(data_dir, 3)
    articles = [read_article_file(p) for p in paths]
    engine = LocalEngine(workers=2)
    try:
        assert engine.threads == max(1, cpu_count() // 2)  # no oversubscribed cores
        outcomes = list(engine.analyse(articles))
        pids = set(engine.pool._processes)  # the pool started its worker processes
    finally:
        engine.close()
    assert len(pids) == 2 and os.getpid() not in pids
    assert sorted(o.article.id for o in outcomes) == sorted(a.id for a in articles)
    for outcome in outcomes:
        assert outcome.error is None
        assert outcome.analysis.spans == analyze(outcome.article, model).spans


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ray_engine_on_a_local_cluster(tmp_path, data_dir, model):
    """`propscope batch --engine ray` on a Ray head started here on loopback, with token
    authentication as a real cluster has it: the same analyses land in the store."""
    pytest.importorskip("ray", reason="the ray extra is not installed")
    import secrets
    import shutil

    token = tmp_path / "ray-token"
    token.write_text(secrets.token_hex(32), encoding="utf-8")
    # For the head and the driver; Ray reads them when it is imported, hence subprocesses.
    # Ray runs its workers at nice 15: on a busy machine they would crawl behind everything.
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token)}
    env["RAY_worker_niceness"] = "0"
    ray_bin = Path(sys.executable).with_name("ray")
    ray_cmd = str(ray_bin) if ray_bin.exists() else shutil.which("ray")
    assert ray_cmd, "the ray command is missing"
    port = _free_port()
    ray_tmp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
    head = subprocess.Popen(
        [
            ray_cmd,
            "start",
            "--head",
            "--block",
            f"--port={port}",
            "--node-ip-address=127.0.0.1",
            "--num-cpus=2",
            "--include-dashboard=false",
            "--disable-usage-stats",
            f"--temp-dir={ray_tmp}",  # short: Ray's socket paths must fit 107 bytes
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    folder = tmp_path / "c"
    folder.mkdir()
    paths = ptc_articles(data_dir, 3)
    for p in paths:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_text("", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ray.db'}"
    try:
        address = f"127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the head answers once its GCS listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        command = [sys.executable, "-c", "from propscope.cli import app; app()", "batch"]
        command += [str(folder), "--db", db, "--engine", "ray", "--address", address]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "analysed 3, skipped 0 (already stored or repeated), failed 1" in result.stdout
        assert "ray engine, 2 workers" in result.stdout
        # Without the token the cluster refuses the driver, and the message says why.
        env_without = {k: v for k, v in env.items() if not k.startswith("RAY_AUTH")}
        env_without["HOME"] = str(tmp_path)  # no ~/.ray/auth_token to fall back on
        refused = subprocess.run(command, env=env_without, capture_output=True, text=True)
        assert refused.returncode == 2 and "token authentication" in refused.stderr
    finally:
        # Ctrl-C makes `ray start --block` stop every process of the cluster it started
        # (like `ray stop`, but only ours).
        os.killpg(head.pid, signal.SIGINT)
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait()
        shutil.rmtree(ray_tmp, ignore_errors=True)
    store = Store(db)
    listed, total = store.list()
    assert total == 3
    for item in listed:
        stored = store.get(item.id)
        fresh = analyze(read_article_file(stored.analysis.article.source), model)
        assert stored.analysis.spans == fresh.spans


# --- records whose metadata cannot be stored (hostile round 2) ---------------------------------


class HandMade:
    """An engine that analyses nothing: each article gets a hand-made analysis (no model)."""

    name, workers = "hand-made", 1

    def analyse(self, articles):
        from builders import analysis

        from propscope.batch import Outcome

        for article in articles:
            made = analysis(article.text, [], article_id=article.id, source=article.source)
            info = made.article.model_copy(update={"metadata": dict(article.metadata)})
            yield Outcome(article, made.model_copy(update={"article": info}))

    def close(self) -> None:
        pass


TEXT = "Headline\n\nThe corrupt elite are destroying our great nation. The traitors lie."


def test_a_record_whose_url_or_metadata_cannot_be_stored_does_not_stop_the_run(
    tmp_path, corpus_db_url
):
    """A record with "url": "http://[::1" stopped the run with a traceback where it was
    stored, one with "source": "\\ud800" with "the database cannot be read ... damaged", and
    the others of its transaction were lost; every rerun stopped at the same record. The bad
    URL is now a recorded failure naming the record, the surrogate (and a NUL) become U+FFFD,
    and everything else is stored; a rerun resumes."""
    corpus = tmp_path / "c.jsonl"
    records = [
        {"id": "first", "text": TEXT + " One."},
        {"id": "bad-url", "text": TEXT + " Two.", "url": "http://[::1"},
        {"id": "surrogate", "text": TEXT + " Three.", "source": "Outlet \ud800"},
        {
            "id": "id\udc80",
            "text": TEXT + " Four.",
            "title": "A\u0000B",
            "url": "http://a.example/\ud800",
        },
        {"id": "last", "text": TEXT + " Five."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(corpus_db_url)
    summary = run_batch(corpus, store, HandMade())
    assert (summary.analysed, summary.skipped, summary.failed) == (4, 0, 1)
    where, reason = summary.failures[0]
    assert where == f"{corpus} record 'bad-url'"
    assert "its url 'http://[::1' is not a URL (Invalid IPv6 URL)" in reason
    assert store.failures()[0]["key"] == store.content_hash(TEXT + " Two.")
    listed, _ = store.list(limit=10)
    stored = {a.analysis.article.id: a for a in (store.get(item.id) for item in listed)}
    # (an id is escaped as it is read, as one from a file name is: "\udc80" is "\x80")
    assert set(stored) == {"first", "surrogate", "id\\x80", "last"}
    assert stored["surrogate"].source == "Outlet \ufffd"
    # the text's title line wins over the record's title (docs/corpus.md), kept as metadata
    assert stored["id\\x80"].title == "Headline"
    assert stored["id\\x80"].metadata["title"] == "A\ufffdB"
    assert stored["id\\x80"].url == "http://a.example/\ufffd"
    again = run_batch(corpus, store, HandMade())
    assert (again.analysed, again.skipped, again.failed) == (0, 4, 1)
    assert store.failures()[0]["attempts"] == 2 and store.count() == 4


def test_an_article_the_store_refuses_is_a_failure_and_its_transaction_is_kept(tmp_path):
    """Whatever the store refuses of one article (a ValueError) stopped the run and lost the
    transaction's other articles; now that one article is recorded and the others stored."""
    corpus = tmp_path / "c.jsonl"
    ids = ["a", "refused", "c", "d"]
    lines = [json.dumps({"id": i, "text": f"{TEXT} Article {i}."}) for i in ids]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    class Refusing(Store):
        def _article_row(self, article, analysis, extra):
            if article.id == "refused":
                raise ValueError("this article cannot be stored")
            return super()._article_row(article, analysis, extra)

    store = Refusing(f"sqlite:///{tmp_path / 'r.db'}")
    summary = run_batch(corpus, store, HandMade(), commit_every=10)
    assert (summary.analysed, summary.failed) == (3, 1) and store.count() == 3
    assert summary.failures == [
        (
            f"{corpus} record 'refused'",
            "the analysis cannot be stored: ValueError: this article cannot be stored",
        )
    ]
    with store.begin_run() as run:  # its claim was given back: another run may take it
        assert run.claim(store.content_hash(f"{TEXT} Article refused."))


def test_a_failure_is_forgotten_once_its_text_is_stored(tmp_path, corpus_db_url):
    """Round 14: a record refused for its metadata (a 300-character source) stayed in the
    failures table after the same text was stored with the source fixed."""
    first, fixed = tmp_path / "run1.jsonl", tmp_path / "run2.jsonl"
    first.write_text(
        json.dumps({"id": "a", "text": TEXT, "source": "s" * 300})
        + "\n"
        + json.dumps({"id": "b", "text": TEXT + " Other."})
        + "\n",
        encoding="utf-8",
    )
    fixed.write_text(json.dumps({"id": "a", "text": TEXT, "source": "Fixed"}) + "\n")
    store = Store(corpus_db_url)
    assert run_batch(first, store, HandMade()).failed == 1
    assert [f["record"] for f in store.failures()] == ["a"]
    assert run_batch(fixed, store, HandMade()).analysed == 1
    assert store.failures() == [] and store.count() == 2


def test_a_record_refused_as_it_is_read_is_stored_with_its_id(tmp_path, corpus_db_url):
    """Round 14: an empty text's failure had record NULL though the record named its id."""
    corpus = tmp_path / "run.jsonl"
    corpus.write_text(
        json.dumps({"id": "e", "text": ""}) + "\n" + json.dumps({"id": 7, "text": "  "}) + "\n",
        encoding="utf-8",
    )
    store = Store(corpus_db_url)
    assert run_batch(corpus, store, HandMade()).failed == 2
    assert [(f["record"], f["location"]) for f in store.failures()] == [
        ("e", f"{corpus}:1"),
        ("7", f"{corpus}:2"),
    ]


def test_the_summary_names_a_refused_records_place_once(capsys):
    """Round 14: "failed: run.jsonl:2: record 'e' at run.jsonl:2: ..." said the place twice."""
    from types import SimpleNamespace

    from propscope.cli import _print_batch_summary

    summary = SimpleNamespace(
        interrupted=False,
        analysed=0,
        skipped=0,
        failed=2,
        seconds=1.0,
        rate=0.0,
        elsewhere=0,
        undated=[],
        failures=[
            ("run.jsonl:2", "record 'e' at run.jsonl:2: its text is empty"),
            ("a.txt", "'a.txt' has NUL characters"),
        ],
    )
    _print_batch_summary(summary, SimpleNamespace(name="local", workers=1))
    out = capsys.readouterr().out
    assert "failed: record 'e' at run.jsonl:2: its text is empty" in out
    assert "failed: a.txt: 'a.txt' has NUL characters" in out


def test_the_summary_warns_of_records_whose_new_metadata_was_not_stored(capsys):
    """Round 15: a rerun with corrected sources said only "skipped 5"."""
    from types import SimpleNamespace

    from propscope.batch import BatchSummary
    from propscope.cli import _print_batch_summary

    summary = BatchSummary(skipped=2, kept_metadata=[("r0001", ("source", "published"))])
    _print_batch_summary(summary, SimpleNamespace(name="local", workers=1))
    out = capsys.readouterr().out
    assert "1 record of a text already stored carries other metadata than stored" in out
    assert "r0001 (source, published)" in out
