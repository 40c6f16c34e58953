"""Corpus commands against hostile databases, paths and outputs (round 7).

``stats``/``export``/``report`` created propscope's tables in any database they were given
(another program's SQLite file, an empty file, a PostgreSQL database); ``report`` could write
an article page over the database; a full standard output was a traceback; a ``--db`` path
holding "?" or "%" was read as a URL; unreadable publication dates were dropped silently, and
"2024-03-051" read as 5 March; a failed ``report`` left its folder behind.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from builders import analysis, at, span
from hostile import error_lines, run

from propscope.article import Article
from propscope.store import Store


def _add(store: Store, n: int, **metadata: str) -> int:
    text = f"Headline {n}\n\nThe corrupt elite are destroying our great nation ({n})."
    start, end = at(text, "corrupt elite")
    made = analysis(text, [span(text, start, end, "Loaded_Language")], article_id=f"a{n}")
    return store.add(Article.from_text(text, id=f"a{n}"), made, metadata=metadata)


def _stored(path: Path, n: int = 2) -> Path:
    with Store(str(path)) as store:
        for i in range(1, n + 1):
            _add(store, i, source="Outlet")
    return path


# --- bug 7: a plain --db path is that file, whatever characters its name holds ----------------


@pytest.mark.parametrize("name", ["news?v=2.db", "x%41.db", "a#b.db"])
def test_a_db_path_with_url_characters_is_that_file(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    _stored(tmp_path / "plain.db").rename(tmp_path / name)  # made under a name with no "?"
    before = _files(tmp_path)
    result = run("stats", "--db", name, "--by", "source", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith('"Outlet",2,')
    with Store(name) as store:  # written to the same file, no other made beside it
        _add(store, 3)
        assert store.count() == 3
    assert _files(tmp_path) == before


def _files(folder: Path) -> list[str]:
    """The files in ``folder`` but SQLite's WAL journal, there while a connection is open."""
    return sorted(n for n in os.listdir(folder) if not n.endswith(("-wal", "-shm")))


# --- bug 2: commands that only read never give a database propscope's tables ----------------


def _tables(url: str) -> set[str]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


READERS = [
    ("stats",),
    ("export", "-o", "out.jsonl"),
    ("report", "-o", "rep.html"),
    ("report", "-o", "-", "--no-article-reports"),
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c))
def test_reading_commands_refuse_another_programs_database(
    corpus_db_url, tmp_path, monkeypatch, command
):
    from sqlalchemy import create_engine, text

    monkeypatch.chdir(tmp_path)
    engine = create_engine(corpus_db_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE contacts (name TEXT, phone TEXT)"))
        connection.execute(text("INSERT INTO contacts VALUES ('Ann', '123')"))
    engine.dispose()
    sqlite_file = tmp_path / "corpus.db"
    before = sqlite_file.read_bytes() if corpus_db_url.startswith("sqlite") else None
    result = run(*command, "--db", corpus_db_url)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "is not a propscope database (it holds other tables: contacts)" in line
    assert "give the --db that propscope batch wrote" in line
    assert _tables(corpus_db_url) == {"contacts"}
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "rep_files").exists()
    if before is not None:  # not a byte changed: no WAL switch either
        assert sqlite_file.read_bytes() == before and not Path(f"{sqlite_file}-wal").exists()


@pytest.mark.parametrize("command", READERS[:2], ids=lambda c: " ".join(c))
def test_reading_commands_refuse_an_empty_database(corpus_db_url, tmp_path, monkeypatch, command):
    """An empty PostgreSQL schema, and a 0-byte SQLite file (``: > empty.db``)."""
    monkeypatch.chdir(tmp_path)
    sqlite_file = tmp_path / "corpus.db"
    if corpus_db_url.startswith("sqlite"):
        sqlite_file.touch()
    result = run(*command, "--db", corpus_db_url)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "is an empty database, not a propscope one; run propscope batch" in line
    assert _tables(corpus_db_url) == set()
    if corpus_db_url.startswith("sqlite"):
        assert sqlite_file.stat().st_size == 0


def test_a_store_of_an_older_schema_is_still_upgraded_by_a_reading_command(tmp_path):
    path = _stored(tmp_path / "old.db")
    with sqlite3.connect(path) as connection:  # back to revision 0001: no batch tables
        connection.execute("DROP TABLE batch_claims")
        connection.execute("DROP TABLE batch_runs")
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    result = run("stats", "--db", str(path), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert {"batch_runs", "batch_claims"} <= _tables(f"sqlite:///{path}")


# --- bug 6: standard output that cannot be written is one line, a closed pipe stays quiet -----


def _propscope(*args: str, stdout, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """``propscope ARGS`` in a process of its own, writing to ``stdout`` (a real file
    descriptor: the in-process runner cannot be /dev/full); ``limit_bytes`` is ``ulimit -f``."""
    import resource

    def limit() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    code = "from propscope.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,
        timeout=120,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_standard_output_is_one_line_and_exit_2(tmp_path):
    db = str(_stored(tmp_path / "c.db"))
    commands = [
        ("export", "--db", db),
        ("stats", "--db", db, "-f", "csv"),
        ("stats", "--db", db),
        ("report", "--db", db, "-o", "-", "--no-article-reports"),
    ]
    for command in commands:
        with open("/dev/full", "w") as full:
            result = _propscope(*command, stdout=full)
        lines = [line for line in result.stderr.splitlines() if line.startswith("propscope")]
        assert result.returncode == 2, (command, result.stderr)
        assert lines == [
            "propscope: error: cannot write to standard output: No space left on device; "
            "free some space, or give --output FILE"
        ], command
        assert "Traceback" not in result.stderr


def test_a_file_size_limit_on_standard_output_is_one_line(tmp_path):
    db = str(_stored(tmp_path / "c.db", n=60))  # about 120 kB of records
    with open(tmp_path / "big.jsonl", "w") as big:  # 64 kB: above the database's WAL index
        result = _propscope(
            "export", "--db", db, "--level", "articles", stdout=big, limit_bytes=65536
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(
        "cannot write to standard output: File too large; free some space, or give --output FILE"
    )


def test_a_reader_that_stops_early_still_ends_the_export_quietly(tmp_path):
    db = str(_stored(tmp_path / "c.db", n=40))
    code = "from propscope.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "export", "--db", db, "--level", "articles"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.read(10)
    process.stdout.close()  # `| head -c 10`
    _, stderr = process.communicate(timeout=120)
    assert stderr == b"" and process.returncode == 1


# --- bug 3b: report never writes an article page over the database ---------------------------


def test_report_refuses_an_article_page_that_is_the_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rep_files").mkdir()
    db = _stored(tmp_path / "plain.db").rename(tmp_path / "rep_files" / "article-1.html")
    before = db.read_bytes()
    result = run("report", "--db", "rep_files/article-1.html", "-o", "rep.html")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "the output 'rep_files/article-1.html' is also the database" in line
    assert db.read_bytes() == before and not (tmp_path / "rep.html").exists()
    (tmp_path / "news.db").hardlink_to(db)  # the same file by another name
    result = run("report", "--db", "news.db", "-o", "rep.html")
    assert result.exit_code == 2 and "is also the database" in error_lines(result)[0]
    assert db.read_bytes() == before


# --- bug 10: a report that fails leaves nothing behind -----------------------------------------


def _fail_on_second_page(monkeypatch) -> None:
    from propscope.errors import StoreError
    from propscope.report import corpus

    real, calls = corpus.render_html, []

    def render_html(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise StoreError("the stored article 2 cannot be read")
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus, "render_html", render_html)


def test_a_failed_report_leaves_no_folder_behind(tmp_path, monkeypatch):
    db = str(_stored(tmp_path / "c.db", n=3))
    _fail_on_second_page(monkeypatch)
    result = run("report", "--db", db, "-o", str(tmp_path / "rep.html"))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == ["propscope: error: the stored article 2 cannot be read"]
    assert sorted(p.name for p in tmp_path.iterdir() if "-" not in p.name) == ["c.db"]


def test_a_failed_report_leaves_the_users_folder_as_it_was(tmp_path, monkeypatch):
    db = str(_stored(tmp_path / "c.db", n=3))
    folder = tmp_path / "rep_files"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "article-1.html").write_text("the report of last week")
    _fail_on_second_page(monkeypatch)
    result = run("report", "--db", db, "-o", str(tmp_path / "rep.html"))
    assert result.exit_code == 2, result.output
    assert {p.name: p.read_text() for p in folder.iterdir()} == {
        "notes.txt": "mine",
        "article-1.html": "the report of last week",
    }
    assert sorted(p.name for p in tmp_path.iterdir() if "-" not in p.name) == ["c.db", "rep_files"]


def test_a_report_fills_a_new_or_existing_folder_and_keeps_other_files(tmp_path):
    db = str(_stored(tmp_path / "c.db", n=2))
    result = run("report", "--db", db, "-o", str(tmp_path / "rep.html"))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "rep_files"
    assert sorted(p.name for p in folder.iterdir()) == ["article-1.html", "article-2.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask  # as mkdir makes it, not 0700
    (folder / "notes.txt").write_text("mine")
    (folder / "article-1.html").write_text("old")
    assert run("report", "--db", db, "-o", str(tmp_path / "rep.html")).exit_code == 0
    assert (folder / "notes.txt").read_text() == "mine"
    assert "<html" in (folder / "article-1.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if "-" not in p.name) == [
        "c.db",
        "rep.html",
        "rep_files",
    ]


# --- bug 9: publication dates are read strictly, and those that cannot be are named ------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00-05:00", "2024-03-05"),  # the date as written, zone and all
        ("2024-03-05T10:00:00Z", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),  # RFC 2822, as RSS gives
        ("5 Mar 2024 10:00 +0100", "2024-03-05"),
        ("2024-03-051", None),  # was read as 5 March
        ("2026-02-30", None),
        ("2024-13-01", None),
        ("05/03/2024", None),
        ("yesterday", None),
        ("Tue, 30 Feb 2024 10:00:00 GMT", None),
    ],
)
def test_published_dates_are_read_strictly(value, expected):
    from propscope.store import _published, unreadable_date

    day = _published({"published": value})
    assert (day.isoformat() if day else None) == expected
    assert unreadable_date({"published": value}) == (None if expected else value)


def test_a_batch_names_the_records_whose_date_it_cannot_read(tmp_path, capsys):
    import json
    from types import SimpleNamespace

    from test_batch import HandMade

    from propscope.batch import run_batch
    from propscope.cli import _print_batch_summary

    dates = {"a": "2026-02-30", "b": "yesterday", "c": "2024-03-05", "d": None, "e": "2024-03-051"}
    records = [
        {"id": i, "text": f"Article {i}: the council met on Tuesday.", "published": d}
        for i, d in dates.items()
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Store(str(tmp_path / "c.db")) as store:
        summary = run_batch(corpus, store, HandMade())
        stored = {s.analysis.article.id: s for s in map(store.get, range(1, 6))}
    assert summary.analysed == 5 and summary.failed == 0
    assert summary.undated == [("a", "2026-02-30"), ("b", "yesterday"), ("e", "2024-03-051")]
    assert {i: s.published and s.published.isoformat() for i, s in stored.items()} == {
        "a": None,
        "b": None,
        "c": "2024-03-05",
        "d": None,
        "e": None,
    }
    assert stored["a"].metadata["published"] == "2026-02-30"  # the raw value is kept
    _print_batch_summary(summary, SimpleNamespace(name="hand-made", workers=1))
    out = capsys.readouterr().out
    assert (
        "warning: 3 records have a published date propscope cannot read, that lies in the "
        "future or that stands for none (before 1900, or the Unix epoch): a ('2026-02-30'), "
        "b ('yesterday'), e ('2024-03-051'); they are stored undated" in out
    )
