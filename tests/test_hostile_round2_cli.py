"""Hostile input at the command line, round 2: terminal escapes and rich markup in what an
article says are shown, not obeyed; a command that only reads a database does not create one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hostile import error_lines, run

# Sets the terminal's title, clears the screen and turns what follows red, when printed raw.
ESC = "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mRED"
SHOWN = "\\x1b]0;PWNED-TITLE\\x07\\x1b[2J\\x1b[31mRED"
TEXT = (
    f"Headline [/b] {ESC}\n\nThe corrupt elite are destroying our great nation. "
    f'"This is a disaster {ESC}," said John {ESC} Smith. Everyone knows the traitors lie '
    "about everything."
)
# The only escape sequences a report may hold: rich's colours ("ESC [ ... m").
NOT_A_COLOUR = re.compile(r"\x1b(?!\[[0-9;]*m)")


@pytest.fixture(scope="module")
def analysis(model):
    """The article analysed, a finding's speaker holding escapes and markup too."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text

    analysis = analyze(read_text(TEXT, id="e"), model)
    assert analysis.spans
    speaker = f"John {ESC} [/b] Smith"
    first = analysis.spans[0].model_copy(update={"voice": "quoted", "speaker": speaker})
    summary = analysis.summary.model_copy(update={"by_speaker": {speaker: 1}})
    return analysis.model_copy(update={"spans": (first, *analysis.spans[1:]), "summary": summary})


def test_terminal_escapes_of_an_article_are_shown_escaped(analysis) -> None:
    """Text, title and speaker reached the terminal raw (an article could set its title or
    clear the screen), and "[/b]" in a title failed the report with a MarkupError."""
    from propscope.cli import OutputFormat, TaxonomyName, render

    for to_terminal in (True, False):
        shown = render([analysis], OutputFormat.text, TaxonomyName.ptc14, to_terminal)
        assert not NOT_A_COLOUR.search(shown)
        assert to_terminal or "\x1b" not in shown
        plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
        assert f"Headline [/b] {SHOWN}" in plain  # the panel's title
        # the lines of the text and of a cell joined, without the plain report's markers
        squeezed = re.sub(r"[\s│]|⟦\d+[qr]? |⟧\d+", "", plain)
        assert f"saidJohn{SHOWN}Smith." in squeezed
        assert f"fromJohn{SHOWN}[/b]Smithand1other;" in squeezed  # the speaker, in the totals
    # What is stored and exported keeps the text and its offsets as they were.
    data = json.loads(render([analysis], OutputFormat.json, TaxonomyName.ptc14, False))
    assert data["text"] == TEXT
    assert all(TEXT[s["start"] : s["end"]] == s["text"] for s in data["spans"])


def test_stats_table_shows_escapes_in_source_names_escaped(tmp_path: Path, analysis) -> None:
    """A corpus record's "source" was printed raw in the stats table, and "[/b]" in it made
    the command fail with a MarkupError traceback."""
    from propscope.io.readers import read_text
    from propscope.store import Store

    database = tmp_path / "e.db"
    with Store(str(database)) as store:
        store.add(read_text(TEXT, id="e"), analysis, metadata={"source": "src\x1b]0;T\x07[/b]"})
    result = run("stats", "--db", str(database), "--by", "source")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "src\\x1b]0;T\\x07[/b]" in result.stdout
    result = run("stats", "--db", str(database), "--by", "source", "-f", "json")
    assert json.loads(result.stdout)[0]["key"] == "src\x1b]0;T\x07[/b]"  # data stays data


def test_stats_table_shows_bidi_controls_in_source_names_escaped(tmp_path: Path, analysis) -> None:
    """Round 14: "evil\u202etxt.exe" was printed raw and read "evilexe.txt" in a terminal."""
    from propscope.io.readers import read_text
    from propscope.store import Store

    database = tmp_path / "b.db"
    with Store(str(database)) as store:
        store.add(read_text(TEXT, id="b"), analysis, metadata={"source": "evil\u202etxt.exe"})
    result = run("stats", "--db", str(database), "--by", "source")
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout
    assert "evil\\u202etxt.exe" in result.stdout


def test_batch_summary_shows_escapes_in_failures_escaped(capsys) -> None:
    """A failed record's id is part of its reason: it was printed raw."""
    from propscope.cli import _print_batch_summary

    summary = SimpleNamespace(
        interrupted=False,
        analysed=0,
        skipped=0,
        failed=1,
        seconds=0.1,
        rate=0.0,
        elsewhere=0,
        failures=[(f"c{ESC}.jsonl:1", f"record 'x{ESC}' at c.jsonl:1: the text is empty")],
    )
    _print_batch_summary(summary, SimpleNamespace(name="local", workers=1))
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert f"failed: c{SHOWN}.jsonl:1: record 'x{SHOWN}' at c.jsonl:1" in out


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["stats", "-f", "csv", "-o", "stats.csv"],
        ["export"],
        ["export", "-f", "csv", "-o", "spans.csv"],
        ["report", "-o", "corpus.html"],
        ["report", "-o", "-", "--no-article-reports"],
    ],
    ids=["stats", "stats-csv", "export", "export-csv", "report", "report-stdout"],
)
def test_read_only_commands_refuse_a_database_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """`stats --db typo.db` made an empty 80 KB typo.db, said "No articles stored yet" and
    exited 0; export wrote an empty file, report an empty dashboard."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROPSCOPE_DB_URL", str(tmp_path / "env.db"))
    for db, named in (
        (["--db", "typo.db"], "typo.db"),
        (["--db", "sqlite:///typo.db"], "typo.db"),
        (["--db", str(tmp_path / "no" / "typo.db")], str(tmp_path / "no" / "typo.db")),
        ([], str(tmp_path / "env.db")),
    ):
        result = run(*command, *db)
        assert result.exit_code == 2, result.output
        assert error_lines(result) == [
            f"propscope: error: no database at '{named}'; run propscope batch first, or give "
            "another --db"
        ]
        assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []


def test_annotate_export_refuses_a_database_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`annotate export --db typo.db` only reads the store, and made an empty one."""
    monkeypatch.chdir(tmp_path)
    result = run("annotate", "export", "--db", "typo.db", "-o", "review")
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        "propscope: error: no database at 'typo.db'; run propscope batch first, or give "
        "another --db"
    ]
    assert list(tmp_path.iterdir()) == []
