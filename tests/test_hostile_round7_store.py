"""Corpus commands against hostile databases, paths and outputs (round 7).

``stats``/``export``/``report`` created propscope's tables in any database they were given
(another program's SQLite file, an empty file, a PostgreSQL database); ``report`` could write
an article page over the database; a full standard output was a traceback; a ``--db`` path
holding "?" or "%" was read as a URL; unreadable publication dates were dropped silently, and
"2024-03-051" read as 5 March; a failed ``report`` left its folder behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import analysis, at, span
from hostile import run

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
