"""--output of every command: never the input or the database it reads, `-o -` is standard
output (or refused where a command writes a folder), and a folder that cannot be made is one
line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hostile import SHORT, error_lines, run


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """An empty store's SQLite file (with its WAL files beside it)."""
    from propscope.store import Store

    path = tmp_path / "corpus.db"
    Store(str(path)).close()
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (["report"], ""),
        (["report", "--no-article-reports"], ""),
        (["export"], ""),
        (["export", "-f", "csv"], "-wal"),
        (["stats", "-f", "csv"], ""),
        (["stats"], "-shm"),
    ],
)
def test_an_output_that_is_the_database_is_refused(
    tmp_path: Path, database: Path, command: list[str], suffix: str
) -> None:
    """`report --db c.db -o c.db` replaced the database with the dashboard."""
    before = _files(tmp_path)
    output = Path(f"{database}{suffix}")
    result = run(*command, "--db", str(database), "-o", str(output))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"the output '{output}' is also the database" in line
    assert "choose another --output" in line
    assert _files(tmp_path) == before


def test_the_database_through_a_link_or_a_relative_path_is_refused(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(database)
    monkeypatch.chdir(tmp_path)
    before = database.read_bytes()
    result = run("export", "--db", f"sqlite:///{database}", "-o", "link.db")
    assert result.exit_code == 2 and "is also the database" in result.output
    result = run("stats", "--db", "corpus.db", "-f", "json", "-o", str(database))
    assert result.exit_code == 2 and "is also the database" in result.output
    assert link.is_symlink() and database.read_bytes() == before


def test_an_output_that_is_an_input_of_analyze_is_refused(tmp_path: Path) -> None:
    """`analyze in.txt -f si -o in.txt` replaced the article with its findings."""
    article = tmp_path / "in.txt"
    article.write_text(SHORT)
    other = tmp_path / "other.txt"
    other.write_text(SHORT)
    for output in (article, tmp_path / "." / "in.txt"):
        result = run("analyze", str(other), str(article), "-f", "si", "-o", str(output))
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        assert f"the output '{output}' is also the input '{article}'" in line
    assert article.read_text() == SHORT


def test_an_output_in_an_input_folder_is_refused_where_it_would_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT)
    for name in ("a.txt", "new.html"):
        result = run("analyze", str(folder), "-f", "html", "-o", str(folder / name))
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        assert f"is in the input folder '{folder}', where it would be read" in line
    assert _files(folder) == {"a.txt": SHORT.encode()}


def test_an_output_linking_into_an_input_folder_is_refused(tmp_path: Path) -> None:
    """An output outside the folder that is a link to an article in it replaced the article
    (exit 0), and one linking to a name not yet there made an article for the next run."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT)
    for target in ("a.txt", "new.txt"):
        link = tmp_path / f"to-{target}"
        link.symlink_to(folder / target)
        result = run("analyze", str(folder), "-f", "si", "-o", str(link))
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        assert f"the output '{link}' is in the input folder '{folder}'" in line
    assert _files(folder) == {"a.txt": SHORT.encode()}


def test_an_output_in_a_sub_folder_of_an_input_folder_is_refused(tmp_path: Path) -> None:
    """Folders are read recursively, so an article-named output anywhere below one would be
    read by the next run."""
    folder = tmp_path / "articles"
    (folder / "bbc").mkdir(parents=True)
    (folder / "a.txt").write_text(SHORT)
    output = folder / "bbc" / "findings.txt"
    result = run("analyze", str(folder), "-f", "si", "-o", str(output))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"is in the input folder '{folder}', where it would be read" in line
    assert not output.exists()


def test_label_spans_refuses_its_template_as_output(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_text(SHORT)
    template = tmp_path / "template.txt"
    template.write_text("1\t?\t4\t11\n")
    result = run("label-spans", str(template), "--articles", str(folder), "-o", str(template))
    assert result.exit_code == 2, result.output
    assert "is also the input" in error_lines(result)[0]
    assert template.read_text() == "1\t?\t4\t11\n"


@pytest.mark.parametrize(
    "command",
    [["stats", "-f", "csv"], ["stats"], ["export"], ["export", "-f", "csv"]],
    ids=["stats-csv", "stats-table", "export-jsonl", "export-csv"],
)
def test_dash_output_is_standard_output(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """`-o -` made a file named '-'."""
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--db", str(database), "-o", "-")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    if command[-1] == "csv":
        assert result.stdout.startswith('"')  # the CSV header
    if command == ["stats"]:
        assert "No articles stored yet" in result.stdout


def test_analyze_dash_output_is_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(SHORT)
    monkeypatch.chdir(tmp_path)
    result = run("analyze", str(article), "-f", "st1", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("a\t")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "command",
    [["report"], ["extension"], ["train"], ["train-multilingual"]],
    ids=["report", "extension", "train", "train-multilingual"],
)
def test_dash_output_is_refused_where_a_command_writes_files(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    extra = ["--db", str(database)] if command == ["report"] else []
    if command[0].startswith("train"):  # no data: a slip past the check fails, not trains
        extra = ["--data", str(tmp_path / "no-data")]
    result = run(*command, *extra, "--output", "-")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "--output - (standard output) cannot take" in line
    assert _files(tmp_path) == before and not (tmp_path / "-").exists()


def test_report_dashboard_alone_goes_to_standard_output(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o -` is standard output in every command writing one file: `report
    --no-article-reports` writes one, and was refused."""
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("corpus.db"))
    result = run("report", "--db", str(database), "-o", "-", "--no-article-reports")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().lower().startswith("<!doctype html>")
    assert "Corpus report" in result.stdout
    after = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("corpus.db"))
    assert after == before  # no file named "-", no folder of article reports
    result = run("report", "--db", str(database), "-o", "-")  # with the article reports
    assert result.exit_code == 2
    assert "or --no-article-reports" in error_lines(result)[0]


def test_report_whose_folder_of_article_reports_is_a_file_is_one_line(
    tmp_path: Path, database: Path
) -> None:
    """`touch rep_files && propscope report -o rep.html` was a FileExistsError traceback."""
    (tmp_path / "rep_files").write_text("mine\n")
    result = run("report", "--db", str(database), "-o", str(tmp_path / "rep.html"))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"'{tmp_path / 'rep_files'}' exists and is not a folder" in line
    assert not (tmp_path / "rep.html").exists()
    assert (tmp_path / "rep_files").read_text() == "mine\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_report_whose_folder_cannot_be_made_is_one_line(database: Path) -> None:
    """`-o /proc/rep.html` was a FileNotFoundError traceback."""
    result = run("report", "--db", str(database), "-o", "/proc/rep.html")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "cannot make the folder '/proc/rep_files' for the article reports" in line


def test_a_damaged_database_is_one_line_not_a_traceback(tmp_path: Path, model) -> None:
    import sqlite3

    from propscope.analysis import analyze
    from propscope.io.readers import read_text
    from propscope.store import Store

    path = tmp_path / "damaged.db"
    store = Store(str(path))
    store.add(read_text(SHORT), analyze(SHORT, model))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE articles SET analysis = '{not json'")
    for command in (["export", "--level", "articles"], ["report", "-o", str(tmp_path / "r.html")]):
        result = run(*command, "--db", str(path))
        assert result.exit_code == 2, result.output
        assert error_lines(result) == [error_lines(result)[0]]
        assert "the database cannot be read (a stored value cannot be read" in result.stderr
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE spans")
    result = run("stats", "--db", str(path))
    assert result.exit_code == 2 and "no such table: spans" in result.stderr
    assert "restore it from a backup" in result.stderr  # what to do, as before round 14
    assert len(error_lines(result)) == 1
