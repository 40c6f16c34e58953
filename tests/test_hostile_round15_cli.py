"""Hostile round 15, CLI side (/tmp/hostile15e: a data journalist scripting the command).

1. A file or folder name over 255 bytes (ENAMETOOLONG) was a traceback and exit 1 in most
   commands (Python 3.11's ``Path.is_dir()`` and ``exists()`` raise for it), and one such
   input stopped ``analyze`` before the good ones; so was a path inside a folder that may
   not be entered. ``io.files.check_path`` now refuses it in one line, exit 2, where an
   input or output is first looked at, and analyze reports it beside the others.
2. ``-o`` silently replaced a write-protected (0444) file; it is refused, nothing written.
3. SIGTERM and SIGHUP left hidden temporary files and report staging folders behind; they
   now end a command through Ctrl-C's cleanup (exit 143 and 129), batch committing first.
4. ``TERM=dumb`` got 24-bit colour escapes from analyze's text report; it gets a pipe's.
5. ``-o ""`` was "--output '.' is a directory", and annotate export wrote into the current
   folder; an empty --output is refused as empty.

No model runs here: analyses are hand-made (``builders.analysis``).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import analysis, at, free_port, span
from typer.testing import CliRunner

from propscope.article import Article
from propscope.cli import OutputFormat, TaxonomyName, app, render
from propscope.errors import InputError, PropscopeError
from propscope.io import files
from propscope.io.readers import read_inputs
from propscope.store import Store

ROOT = Path(__file__).resolve().parents[1]
PROPSCOPE = ROOT / ".venv" / "bin" / "propscope"
LONG = "z" * 300  # one name over the 255 bytes a file system takes
TEXT = "Mayor attacks the plan\n\nThe reckless plan is a total disaster, the mayor said.\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("propscope: error:")]


def make_db(folder: Path, n: int = 3) -> str:
    """A SQLite store of ``n`` hand-made analyses, ``db/c.db`` in ``folder`` (its -wal and
    -shm files kept out of the listings of ``folder``)."""
    path = folder / "db" / "c.db"
    path.parent.mkdir(exist_ok=True)
    store = Store(str(path))
    for i in range(n):
        text = f"Headline {i}\n\nThe council met on day {i}.\n"
        store.add(Article.from_text(text, id=f"a{i}"), analysis(text, [], article_id=f"a{i}"))
    return str(path)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with an article, a template, labels and a Label Studio export."""
    (tmp_path / "ex.txt").write_text(TEXT)
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "article1.txt").write_text(TEXT)
    (tmp_path / "tmpl.txt").write_text("1\t?\t2\t9\n")
    (tmp_path / "gold.si").write_text("1\t2\t9\n")
    (tmp_path / "tasks.json").write_text("[]")
    return tmp_path


# --- 1: names too long, folders that may not be entered -----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", LONG],
        ["batch", LONG, "--db", "x.db"],
        ["label-spans", LONG, "--articles", "arts"],
        ["label-spans", "tmpl.txt", "--articles", LONG],
        ["evaluate", "--task", "si", "--gold", LONG, "--pred", "gold.si"],
        ["evaluate", "--task", "si", "--gold", "gold.si", "--pred", LONG],
        ["annotate", "export", LONG, "-o", "annx"],
        ["annotate", "import", LONG, "-o", "impx"],
        ["annotate", "import", "tasks.json", "-o", LONG],
        ["annotate", "export", "--db", "db/c.db", "-o", LONG],
        ["report", "--db", "db/c.db", "-o", f"{LONG}.html"],
        ["extension", "-o", LONG],
        ["stats", "--db", "db/c.db", "-f", "csv", "-o", LONG],
        ["export", "--db", "db/c.db", "-o", f"out/{LONG}/x.jsonl"],
        ["analyze", "ex.txt", "-o", LONG],
    ],
    ids=lambda args: " ".join(a if len(a) < 20 else "LONG" for a in args),
)
def test_a_name_too_long_is_one_line_and_exit_2(inputs, monkeypatch, args):
    """Each was ``OSError: [Errno 36] File name too long`` with a traceback, exit 1."""
    monkeypatch.chdir(inputs)
    make_db(inputs)
    result = run(*args)
    assert result.exit_code == 2, (result.output, result.exception)
    line = error_lines(result.output)[0]  # annotate export adds "no article could be analysed"
    assert "longer than the 255 bytes a name may have" in line
    assert "zzzzzzzzzzzzzzzzzzzzzzzz…" in line and LONG not in line
    assert not (inputs / "annx").exists() and not (inputs / "impx").exists()


def test_the_installed_command_says_it_in_one_line(tmp_path):
    """The tester's own run: the console script, not a test runner."""
    result = subprocess.run(
        [str(PROPSCOPE), "analyze", LONG], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("propscope: error: cannot read 'zzzz")


def test_a_good_input_beside_a_name_too_long_is_still_analysed(inputs, monkeypatch):
    """``analyze ex.txt LONG``: the bad name stopped the run and the good input was never
    analysed; now, like every bad input, it gets its line and the others are written."""
    import propscope.analysis
    import propscope.models.tagger

    monkeypatch.chdir(inputs)
    monkeypatch.setattr(propscope.models.tagger, "load_model", lambda _model=None: None)
    made = lambda article, *_a, **_k: analysis(article.text, [], article_id=article.id)  # noqa: E731
    monkeypatch.setattr(propscope.analysis, "analyze", made)
    result = run("analyze", "ex.txt", LONG, "-f", "json")
    assert result.exit_code == 2, result.output
    assert len(error_lines(result.output)) == 1
    assert '"id": "ex"' in result.output
    bad: list[str] = []
    read = read_inputs([LONG, "ex.txt"], on_error=lambda where, exc: bad.append(where))
    assert [a.id for a in read] == ["ex"] and bad == [LONG]


def test_check_path_tells_lengths_and_passes_missing_paths(tmp_path):
    files.check_path(tmp_path / ("n" * 255))  # the longest name there may be, missing: fine
    files.check_path(tmp_path / "missing" / "x.txt")
    with pytest.raises(InputError, match="name of 256 bytes"):
        files.check_path(tmp_path / ("n" * 256))
    with pytest.raises(InputError, match="name of 300 bytes"):
        files.check_path("é" * 150)  # bytes, not characters
    with pytest.raises(InputError, match="a path of 4199 bytes"):
        files.check_path("/".join(["d" * 199] * 21))
    with pytest.raises(PropscopeError, match="give another --output"):
        files.check_path(LONG, output=True)


def _as_ordinary_user(args: list[str]) -> list[str] | None:
    """``args`` run without root's right to enter any folder, or None where that cannot be."""
    if os.geteuid() != 0:
        return args
    if shutil.which("setpriv") is None:
        return None
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *args]


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "locked/a.txt"],
        ["batch", "locked/a.txt"],
        ["analyze", "x.txt", "-o", "locked/o"],
    ],
)
def test_a_path_in_a_folder_that_may_not_be_entered_is_one_line(tmp_path, args):
    """``is_dir()`` raised PermissionError for it: a traceback, where a readable folder
    holding an unreadable file was already one line."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(TEXT)
    locked.chmod(0)
    command = _as_ordinary_user([str(PROPSCOPE), *args])
    if command is None:
        pytest.skip("root without setpriv cannot be refused a folder")
    try:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert "locked/" in line and "permission denied" in line


def test_an_output_name_the_file_system_takes_is_written(tmp_path, monkeypatch):
    """A 251-byte name may be written, but the temporary file beside it (".NAME.XXXXXXXX.tmp")
    was too long: "cannot write: File name too long"."""
    monkeypatch.chdir(tmp_path)
    db = make_db(tmp_path)
    name = "y" * 251 + ".csv"
    result = run("stats", "--db", db, "-f", "csv", "-o", name)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", name]
    dashboard = "d" * 240 + ".html"
    result = run("report", "--db", db, "-o", dashboard)
    assert result.exit_code == 0, result.output
    assert (tmp_path / ("d" * 240 + "_files") / "article-1.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_dashboard_whose_pages_folder_name_is_too_long_is_refused(tmp_path, monkeypatch):
    """A 255-byte dashboard name is a 256-byte OUT_files folder."""
    monkeypatch.chdir(tmp_path)
    db = make_db(tmp_path)
    dashboard = "e" * 250 + ".html"
    result = run("report", "--db", db, "-o", dashboard)
    assert result.exit_code == 2
    [line] = error_lines(result.output)
    assert "article reports" in line and "256 bytes" in line and "--no-article-reports" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]
    assert run("report", "--db", db, "-o", dashboard, "--no-article-reports").exit_code == 0


# --- 2: write-protected outputs -----------------------------------------------------------------


def _protected(path: Path, content: str = "precious\n") -> Path:
    path.write_text(content)
    path.chmod(0o444)
    return path


@pytest.mark.parametrize("command", ["stats", "export", "report", "analyze"])
def test_a_write_protected_output_is_refused_and_kept(tmp_path, monkeypatch, command):
    """``chmod 444 keep.si; propscope analyze ex.txt -f si -o keep.si`` replaced it, exit 0:
    the rename over it needs only the folder's permission. A shell's ``>`` refuses it."""
    monkeypatch.chdir(tmp_path)
    db = make_db(tmp_path)
    (tmp_path / "ex.txt").write_text(TEXT)
    keep = _protected(tmp_path / "keep.out")
    args = {
        "stats": ["stats", "--db", db, "-f", "csv"],
        "export": ["export", "--db", db],
        "report": ["report", "--db", db],
        "analyze": ["analyze", "ex.txt", "-f", "si"],  # refused before the model loads
    }[command]
    result = run(*args, "-o", str(keep))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result.output)
    assert "the file is write-protected" in line and "make it writable" in line
    assert keep.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "ex.txt", "keep.out"]


def test_a_link_to_a_protected_file_is_refused_and_a_writable_file_replaced(tmp_path):
    keep = _protected(tmp_path / "keep.txt")
    (tmp_path / "link.txt").symlink_to(keep)
    with pytest.raises(PropscopeError, match="write-protected"):
        files.atomic_write_text(tmp_path / "link.txt", "new\n")
    assert keep.read_text() == "precious\n"
    owned = tmp_path / "owned.txt"
    owned.write_text("old\n")
    owned.chmod(0o640)
    files.atomic_write_text(owned, "new\n")
    assert owned.read_text() == "new\n"
    assert stat.S_IMODE(owned.stat().st_mode) == 0o640


def test_annotate_export_refuses_a_protected_task_list_before_writing_either_file(tmp_path):
    """label-config.xml was replaced before tasks.json failed."""
    db = make_db(tmp_path)
    out = tmp_path / "ls"
    out.mkdir()
    (out / "label-config.xml").write_text("mine\n")
    _protected(out / "tasks.json")
    result = run("annotate", "export", "--db", db, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "write-protected" in error_lines(result.output)[0]
    assert (out / "label-config.xml").read_text() == "mine\n"
    assert (out / "tasks.json").read_text() == "precious\n"


# --- 3: SIGTERM and SIGHUP clean up as Ctrl-C does ----------------------------------------------


class _SignalReachedTheTest(Exception):
    pass


@pytest.fixture
def caught_signals():
    """SIGTERM and SIGHUP raise here if a command leaves them to the test (without its own
    handlers they ended the test run)."""

    def reached(signum, _frame):
        raise _SignalReachedTheTest(signal.Signals(signum).name)

    earlier = {s: signal.signal(s, reached) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for signum, handler in earlier.items():
        signal.signal(signum, handler)


def _signalling_write(monkeypatch, signum: int) -> None:
    """Make the CLI's output file get half written, then ``signum`` sent to this process."""
    import propscope.cli

    def write(output, content):
        def half(path: Path) -> None:
            path.write_text(content[: len(content) // 2])
            os.kill(os.getpid(), signum)
            time.sleep(5)  # the handler raises long before this ends

        files.atomic_write(output, half)

    monkeypatch.setattr(propscope.cli, "atomic_write_text", write)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_terminating_signal_leaves_no_temporary_file(
    tmp_path, monkeypatch, caught_signals, signum, code
):
    """SIGTERM left ".out.json.XXXX.tmp" behind (Ctrl-C removed it)."""
    db = make_db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    _signalling_write(monkeypatch, signum)
    before = signal.getsignal(signum)
    result = run("stats", "--db", db, "-f", "csv", "-o", str(out / "s.csv"))
    assert result.exit_code == code, result.output
    name = signal.Signals(signum).name
    assert f"propscope: stopped by {name}; nothing was written" in result.output
    assert list(out.iterdir()) == []
    assert signal.getsignal(signum) == before  # put back after the command


def test_an_ignored_hangup_stays_ignored(tmp_path, monkeypatch):
    """Under nohup SIGHUP is ignored: the command must not start taking it."""
    db = make_db(tmp_path)
    _signalling_write(monkeypatch, signal.SIGHUP)
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    earlier = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        result = run("stats", "--db", db, "-f", "csv", "-o", str(tmp_path / "s.csv"))
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, earlier)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.csv").is_file()


REPORT_KILLED = """
import os, signal, sys
import propscope.report.corpus as corpus
from propscope.cli import app
pages = []
real = corpus.render_html
def render_html(analyses):
    pages.append(1)
    if len(pages) == 2:
        os.kill(os.getpid(), signal.SIGTERM)
    return real(analyses)
corpus.render_html = render_html
sys.argv = ["propscope", *sys.argv[1:]]
app()
"""


def test_sigterm_removes_the_report_staging_folder(tmp_path):
    """``kill PID`` while the article pages were written left "r/.dash_files.XXXX.tmp/"."""
    db = make_db(tmp_path, n=4)
    (tmp_path / "r").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", REPORT_KILLED, "report", "--db", db, "-o", "r/dash.html"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 143, result.stderr
    assert result.stderr.strip() == "propscope: stopped by SIGTERM; nothing was written"
    assert list((tmp_path / "r").iterdir()) == []


class _TermAfter:
    """A batch engine that hand-makes analyses and sends SIGTERM to its process after
    ``n`` of them."""

    name, workers = "hand-made", 1

    def __init__(self, n: int) -> None:
        self.n = n

    def analyse(self, articles):
        from propscope.batch import Outcome

        for done, article in enumerate(articles):
            if done == self.n:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            yield Outcome(article, analysis(article.text, [], article_id=article.id))

    def close(self) -> None:
        pass


def test_sigterm_in_batch_commits_what_is_done_and_a_rerun_resumes(
    tmp_path, monkeypatch, caught_signals
):
    """As Ctrl-C: the analysed articles are committed, the summary printed, and the same
    command continues; the exit code is 143 (SIGTERM's)."""
    import propscope.batch

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"a{i}.txt").write_text(f"Headline {i}\n\nThe council met on day {i}.\n")
    db = str(tmp_path / "b.db")
    monkeypatch.setattr(propscope.batch, "make_engine", lambda *a, **k: _TermAfter(2))
    result = run("batch", str(corpus), "--db", db)
    assert result.exit_code == 143, result.output
    assert "interrupted: analysed 2" in result.output
    assert Store(db).count() == 2
    monkeypatch.setattr(propscope.batch, "make_engine", lambda *a, **k: _TermAfter(99))
    result = run("batch", str(corpus), "--db", db)
    assert result.exit_code == 0, result.output
    assert "analysed 3, skipped 2" in result.output
    assert Store(db).count() == 5


def test_serve_leaves_sigterm_to_uvicorn(tmp_path, monkeypatch):
    """uvicorn shuts down on SIGTERM, then raises it again: with the commands' handler it
    would say "nothing was written"."""
    import uvicorn

    seen = {}
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **kw: seen.update(term=signal.getsignal(signal.SIGTERM))
    )
    monkeypatch.delenv("PROPSCOPE_API_KEY", raising=False)
    result = run("serve", "--db", str(tmp_path / "s.db"), "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert seen["term"] is signal.SIG_DFL


# --- 4: TERM=dumb ---------------------------------------------------------------------------------


def test_a_dumb_terminal_gets_no_colour_escapes(monkeypatch):
    """``TERM=dumb script -qc 'propscope analyze ex.txt'`` showed "^[[4;30;48;2;255;240;160m"."""
    text = "Mayor\n\nThe reckless plan is a disaster.\n"
    made = analysis(text, [span(text, *at(text, "reckless plan"))])
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = render([made], OutputFormat.text, TaxonomyName.ptc14, to_terminal=True)
    assert "\x1b[" not in shown
    assert "⟦1 reckless plan⟧1" in shown
    monkeypatch.setenv("TERM", "xterm-256color")
    shown = render([made], OutputFormat.text, TaxonomyName.ptc14, to_terminal=True)
    assert "\x1b[" in shown and "⟦1" not in shown


# --- 5: an empty --output -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["analyze", "ex.txt"], "file"),
        (["label-spans", "tmpl.txt", "--articles", "arts"], "file"),
        (["stats", "--db", "db"], "file"),
        (["export", "--db", "db"], "file"),
        (["report", "--db", "db"], "file"),
        (["annotate", "export", "--db", "db"], "folder"),
        (["annotate", "import", "tasks.json"], "folder"),
        (["extension"], "folder"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_an_empty_output_is_refused_as_empty(inputs, monkeypatch, args, what):
    """It was "--output '.' is a directory", and annotate export (and extension) wrote into
    the current folder."""
    monkeypatch.chdir(inputs)
    make_db(inputs)
    before = sorted(p.name for p in inputs.iterdir())
    result = run(*args, "-o", "")
    assert result.exit_code == 2, result.output
    assert error_lines(result.output) == [
        f"propscope: error: --output is empty; give a {what} name"
    ]
    assert sorted(p.name for p in inputs.iterdir()) == before
