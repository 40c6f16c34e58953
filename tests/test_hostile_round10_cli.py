"""Hostile round 10: the command line's output files, text report width, help and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import SHORT, error_lines, run


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a model fails the test: these commands must stop before it."""
    from propscope.models import tagger

    def refuse(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(tagger, "load_model", refuse)


@pytest.mark.parametrize("ending", ["/", "/.", "/.."])
@pytest.mark.parametrize("command", ["analyze", "label-spans", "stats", "export", "report"])
def test_an_output_named_as_a_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, no_model: None, command: str, ending: str
) -> None:
    """`analyze small.txt -f json -o reports/` wrote a file named 'reports' (the Path option
    dropped the slash); so did stats, export and report."""
    from propscope.store import Store

    (tmp_path / "small.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "template.txt").write_text("", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    Store(str(tmp_path / "corpus.db")).close()
    before = _files(tmp_path)
    output = f"{tmp_path / 'reports'}{ending}"
    args = {
        "analyze": ["analyze", str(tmp_path / "small.txt"), "-f", "json"],
        "label-spans": ["label-spans", str(tmp_path / "template.txt")]
        + ["--articles", str(tmp_path / "articles")],
    }.get(command, [command, "--db", str(tmp_path / "corpus.db")])
    result = run(*args, "-o", output)
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: --output '{output}' names a folder; give a file name"
    ]
    assert _files(tmp_path) == before
    assert not (tmp_path / "reports").exists()


@pytest.fixture
def stand_in_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """`analyze` reports a hand-made analysis (with a finding) instead of loading a model."""
    from builders import analysis, at, span

    from propscope import analysis as analysis_module
    from propscope.models import tagger

    text = (
        "Corrupt traitors betray the nation\n"
        "The corrupt traitors in parliament have betrayed every hard-working family, and the "
        "minister said nothing about it for weeks while the whole country was waiting.\n"
    )
    made = analysis(text, [span(text, *at(text, "corrupt traitors"))])
    monkeypatch.setattr(tagger, "load_model", lambda *args, **kwargs: object())
    monkeypatch.setattr(analysis_module, "analyze", lambda *args, **kwargs: made)


@pytest.mark.parametrize(
    ("columns", "width"),
    [("80", 80), ("150", 150), (None, 110), ("", 110), ("junk", 110), ("0", 110), ("-80", 110)]
    + [("99999999", 110)],
)
@pytest.mark.parametrize("to_file", [False, True], ids=["piped", "file"])
def test_a_plain_text_report_is_as_wide_as_columns_says(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stand_in_analysis: None,
    columns: str | None,
    width: int,
    to_file: bool,
) -> None:
    """`COLUMNS=80 propscope analyze x | less` (or `-o report.txt`) gave 110-character lines:
    COLUMNS was ignored whenever the report did not go to a terminal."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    (tmp_path / "x.txt").write_text(SHORT, encoding="utf-8")
    output = tmp_path / "report.txt"
    result = run("analyze", str(tmp_path / "x.txt"), *(["-o", str(output)] if to_file else []))
    assert result.exit_code == 0, result.output
    shown = output.read_text(encoding="utf-8") if to_file else result.stdout
    assert "\x1b" not in shown
    assert max(len(line) for line in shown.splitlines()) == width  # the tables fill the width


def test_help_paragraphs_flow_instead_of_keeping_the_docstrings_line_breaks() -> None:
    """`analyze --help` showed "... unsupported language) is" / "reported" / "on stderr ...",
    and the command list "... on 2 CPU cores), or" / "fine-tune ...": the docstrings' line
    breaks were kept and each line wrapped again. On a wide terminal every paragraph of a
    command's help is now one line, in its own help and in its group's list."""
    import inspect

    import typer
    from typer.testing import CliRunner

    from propscope.cli import app

    def one_line(text: str) -> str:
        return " ".join(text.split())

    paragraphs = 0
    todo = [([], typer.main.get_command(app))]
    while todo:
        words, command = todo.pop()
        result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "400"})
        assert result.exit_code == 0, result.output
        lines = [one_line(line.replace("│", " ")) for line in result.stdout.splitlines()]
        for paragraph in inspect.cleandoc(command.help or "").split("\n\n"):
            assert one_line(paragraph) in lines, (words, paragraph)
            paragraphs += 1
        for name, sub in getattr(command, "commands", {}).items():
            summary = one_line(inspect.cleandoc(sub.help or "").split("\n\n")[0])
            assert f"{name} {summary}" in lines, (words, name)
            todo.append(([*words, name], sub))
    assert paragraphs >= 18  # every command's and group's, two for analyze and for batch


@pytest.mark.parametrize("command", ["analyze", "label-spans", "stats", "export"])
def test_a_missing_output_folder_says_what_to_do(
    tmp_path: Path, no_model: None, command: str
) -> None:
    """The line "cannot write 'no/such/folder/out.json': folder 'no/such/folder' does not
    exist" gave no advice, unlike the other output errors."""
    from propscope.store import Store

    (tmp_path / "ok.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "template.txt").write_text("1\t?\t0\t5\n", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    Store(str(tmp_path / "corpus.db")).close()
    output = tmp_path / "no" / "such" / "folder" / "out.json"
    args = {
        "analyze": ["analyze", str(tmp_path / "ok.txt")],
        "label-spans": ["label-spans", str(tmp_path / "template.txt")]
        + ["--articles", str(tmp_path / "articles")],
    }.get(command, [command, "--db", str(tmp_path / "corpus.db")])
    result = run(*args, "-o", str(output))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: cannot write '{output}': folder '{output.parent}' does not exist; "
        "create it or give another --output"
    ]
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_utf8_file_with_a_nul_is_said_to_have_nul_characters(
    tmp_path: Path, no_model: None, suffix: str
) -> None:
    """A NUL in a valid UTF-8 .txt was "'nul.txt' is not UTF-8 text (binary file?)"; standard
    input already said what it is: NUL characters."""
    path = tmp_path / f"nul{suffix}"
    path.write_bytes("Title\n\nThe corrupt\x00traitors betray us — all of them.\n".encode())
    result = run("analyze", str(path))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: '{path}' has NUL characters (binary data?), not text; give a .txt "
        "or .html article"
    ]


def test_the_corpus_report_to_a_missing_folder_says_what_to_do(tmp_path) -> None:
    # the round-10 fixer's note: `report` has its own check, which gave no advice
    from propscope.errors import PropscopeError
    from propscope.report.corpus import write_corpus_report
    from propscope.store import Store

    with Store(str(tmp_path / "c.db")) as store:
        with pytest.raises(PropscopeError, match="does not exist; create it or give another"):
            write_corpus_report(store, tmp_path / "no" / "such" / "r.html")


def test_stats_piped_is_as_wide_as_columns_says(tmp_path, monkeypatch) -> None:
    # the round-10 fixer's note: only analyze's piped report followed COLUMNS; stats kept 120
    from builders import analysis, span
    from typer.testing import CliRunner

    from propscope.article import Article
    from propscope.cli import app
    from propscope.store import Store

    db = tmp_path / "c.db"
    with Store(str(db)) as store:
        items = []
        for i in range(3):
            text = f"Headline {i}\n\nThe corrupt elite are destroying our great nation ({i})."
            start = text.index("corrupt")
            made = analysis(text, [span(text, start, start + 12)], article_id=f"a{i}")
            source = f"A rather long source name for a narrow pipe {i}"
            items.append((Article.from_text(text, id=f"a{i}"), made, {"source": source}))
        store.add_many(items)
    for columns, widest in (("60", 60), ("", 120)):
        monkeypatch.setenv("COLUMNS", columns)
        result = CliRunner().invoke(app, ["stats", "--db", str(db), "--by", "source"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert max(map(len, lines)) <= widest and "source" in result.stdout.lower()
