"""Concurrent batch runs on one database share the work: each article is claimed in the store
before it is analysed, so no article is analysed twice, and the claims of a dead run are freed.

The store-level tests use real analyses read from ``fixtures/store_v0.expected.json`` (no
model needed); the end-to-end test runs two ``propscope batch`` processes at once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text

from propscope.batch import BatchSummary, InProcessEngine, run_batch
from propscope.io.readers import read_text
from propscope.schema import Analysis
from propscope.store import BatchRun, Store, _ClaimRow, _RunRow, resolve_db_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def pairs():
    """Five real (article, analysis) pairs, as stored in the migration fixture."""
    expected = json.loads((FIXTURES / "store_v0.expected.json").read_text("utf-8"))
    out = []
    for stored in expected["articles"]:
        analysis = Analysis.model_validate(stored["analysis"] | {"text": _text(stored)})
        out.append((read_text(analysis.text), analysis))
    return out


def _text(stored: dict) -> str:
    import sqlite3

    with sqlite3.connect(FIXTURES / "store_v0.db") as connection:
        return connection.execute(
            "SELECT text FROM articles WHERE id = ?", (stored["id"],)
        ).fetchone()[0]


def _count(url: str, table: str) -> int:
    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


H1, H2 = "1" * 64, "2" * 64


def test_a_claim_belongs_to_one_run_until_released(corpus_db_url):
    with Store(corpus_db_url) as store, store.begin_run() as a, store.begin_run() as b:
        assert a.claim(H1) and a.claim(H1)  # claiming again is harmless
        assert not b.claim(H1)
        assert b.claim(H2) and not a.claim(H2)
        a.release(H1)
        assert b.claim(H1) and not a.claim(H1)
    assert _count(corpus_db_url, "batch_claims") == 0  # closing releases everything
    assert _count(corpus_db_url, "batch_runs") == 0


def test_storing_releases_the_claims_in_the_same_transaction(corpus_db_url, pairs):
    with Store(corpus_db_url) as store, store.begin_run() as run:
        hashes = [Store.content_hash(article.text) for article, _ in pairs[:3]]
        assert all(run.claim(h) for h in hashes)
        ids = store.add_many([(a, an, {}) for a, an in pairs[:2]], run=run)
        assert len(ids) == 2 and store.count() == 2
        with store.engine.connect() as connection:
            held = connection.execute(text("SELECT content_hash FROM batch_claims")).all()
        assert [h for (h,) in held] == [hashes[2]]


def test_add_new_tells_exactly_one_of_concurrent_callers_it_stored_the_text(corpus_db_url, pairs):
    """The primitive for identical concurrent API submissions: one 201, the others 200."""
    article, analysis = pairs[2]
    stores = [Store(corpus_db_url) for _ in range(6)]  # separate engines, like processes
    barrier = threading.Barrier(len(stores))
    results: list[tuple[int, bool]] = []

    def add(store: Store) -> None:
        barrier.wait()
        results.append(store.add_new(article, analysis))

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 6
    assert len({i for i, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert stores[0].count() == 1
    for store in stores:
        store.close()


def test_racing_runs_claim_each_article_once(corpus_db_url):
    hashes = [f"{i:064x}" for i in range(60)]
    stores = [Store(corpus_db_url) for _ in range(4)]
    runs = [s.begin_run() for s in stores]
    barrier = threading.Barrier(len(runs))
    won: dict[str, list[str]] = {run.id: [] for run in runs}

    def claim_all(run: BatchRun) -> None:
        barrier.wait()
        for h in hashes:
            if run.claim(h):
                won[run.id].append(h)

    threads = [threading.Thread(target=claim_all, args=(r,)) for r in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    claimed = [h for hs in won.values() for h in hs]
    assert sorted(claimed) == hashes  # every article exactly once
    for run, store in zip(runs, stores, strict=True):
        run.close()
        store.close()


def test_claims_of_a_killed_run_are_taken_over_at_once(corpus_db_url):
    """A run killed with SIGKILL on this host: its process is gone, so its claims are free
    without waiting for the heartbeat to go stale."""
    script = (
        "import sys, time\n"
        "from propscope.store import Store\n"
        "run = Store(sys.argv[1]).begin_run()\n"
        f"assert run.claim('{H1}')\n"
        "print('claimed', flush=True)\n"
        "time.sleep(600)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, corpus_db_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "claimed"
        with Store(corpus_db_url) as store, store.begin_run() as run:
            assert not run.claim(H1)  # its owner is alive
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            assert run.claim(H1)  # its owner is dead
            assert _count(corpus_db_url, "batch_runs") == 1  # the dead run is forgotten
    finally:
        process.kill()
        process.wait(timeout=30)


def test_claims_of_a_silent_run_expire(corpus_db_url):
    """A run on another machine cannot be checked by pid: its heartbeat going stale frees it."""
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    with Store(corpus_db_url) as store:
        with store.engine.begin() as connection:  # a run of another host, silent for long
            connection.execute(
                insert(_RunRow.__table__),
                [
                    {
                        "id": "elsewhere",
                        "host": "other-host",
                        "pid": 1,
                        "started_at": long_ago,
                        "heartbeat_at": long_ago,
                    }
                ],
            )
            connection.execute(
                insert(_ClaimRow.__table__),
                [{"content_hash": H1, "run_id": "elsewhere", "claimed_at": long_ago}],
            )
        with store.begin_run() as run:  # opening sweeps it
            assert _count(corpus_db_url, "batch_runs") == 1
            assert run.claim(H1)
        # A live run keeps its claims while its heartbeat is fresh, and loses them once silent.
        first = BatchRun(store, heartbeat_seconds=60)
        assert first.claim(H2)
        patient = BatchRun(store, stale_seconds=60)
        assert not patient.claim(H2)
        time.sleep(1.1)
        hasty = BatchRun(store, stale_seconds=1)  # silent for over 1 s: dead to this run
        assert hasty.claim(H2)
        for run in (first, patient, hasty):
            run.close()


def test_pid_check_recognises_dead_and_zombie_processes():
    from propscope.store import _process_alive

    assert _process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # exited but not reaped: a zombie
        with open(f"/proc/{child.pid}/stat") as handle:
            if handle.read().rpartition(")")[2].split()[0] == "Z":
                break
        time.sleep(0.05)
    assert not _process_alive(child.pid)
    child.wait()
    assert not _process_alive(child.pid)


# --- two real batch runs at once --------------------------------------------------------------


def _short_corpus(folder: Path, n: int) -> Path:
    """``n`` distinct short articles: a title and two of the bundled example's paragraphs."""
    folder.mkdir()
    example = Path(__file__).resolve().parents[1] / "examples" / "amnesty-pro-armenian-official.txt"
    paragraphs = [p for p in example.read_text("utf-8").split("\n")[2:] if p.strip()]
    for i in range(n):
        body = "\n\n".join(paragraphs[j % len(paragraphs)] for j in (i, i + 3))
        (folder / f"article{i:02d}.txt").write_text(f"Report number {i}\n\n{body}\n", "utf-8")
    return folder


def test_two_concurrent_runs_analyse_each_article_once(tmp_path, corpus_db_url, model):
    """Two ``run_batch`` calls at once on one corpus, each with its own connections to the
    database (threads sharing the loaded model, so the test is fast): their analyses add up
    to the number of articles and both did part of the work."""
    n = 12
    folder = _short_corpus(tmp_path / "corpus", n)
    barrier = threading.Barrier(2)
    summaries: list[BatchSummary] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        barrier.wait()
        try:
            with Store(corpus_db_url) as store:
                summaries.append(run_batch(folder, store, InProcessEngine(), commit_every=1))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert errors == [] and len(summaries) == 2
    analysed = [s.analysed for s in summaries]
    assert sum(analysed) == n, summaries
    assert min(analysed) >= 1, f"the runs did not overlap: {summaries}"
    assert all(s.analysed + s.skipped == n and not s.failures for s in summaries)
    assert sum(s.elsewhere for s in summaries) >= 1  # each met the other's claims
    with Store(corpus_db_url) as store:
        assert store.count() == n
    assert _count(corpus_db_url, "batch_claims") == 0
    assert _count(corpus_db_url, "batch_runs") == 0


@pytest.mark.slow
def test_two_batch_processes_on_one_database_analyse_each_article_once(tmp_path, corpus_db_url):
    """The same with two ``propscope batch`` processes opening a new database together
    (~1 min on 2 busy cores: each loads the model; ``-m slow``)."""
    n = 12
    folder = _short_corpus(tmp_path / "corpus", n)
    command = [sys.executable, "-c", "from propscope.cli import app; app()", "batch"]
    command += [str(folder), "--db", corpus_db_url, "--workers", "1", "--batch-size", "1"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    analysed = [int(re.search(r"analysed (\d+)", out).group(1)) for out in outputs]
    assert sum(analysed) == n, outputs
    assert min(analysed) >= 1, f"the runs did not overlap: {outputs}"
    assert any("being analysed by another run" in out for out in outputs), outputs
    with Store(corpus_db_url) as store:
        assert store.count() == n and not store.failures()
    assert _count(corpus_db_url, "batch_claims") == 0
    assert _count(corpus_db_url, "batch_runs") == 0
