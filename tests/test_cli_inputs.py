"""The CLI under hostile or broken input: endless pipes, FIFOs, devices, unreadable paths,
and several inputs with bad ones among them (grep-style, or --fail-fast)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile import SHORT, error_lines, no_hang, run, unreadable
from typer.testing import CliRunner

from propscope.cli import app

runner = CliRunner()


def test_an_endless_stdin_is_cut_at_the_limit() -> None:
    # `yes | propscope analyze -` grew without bound; now it stops after the limit.
    producer = subprocess.Popen(["yes", "word"], stdout=subprocess.PIPE)
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from propscope.cli import main; main()", "analyze", "-"],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        producer.kill()
        producer.wait()
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "more than the limit of 1,000,000 characters" in lines[0]
    assert time.monotonic() - started < 60


def test_a_file_over_the_limit_is_refused_without_python_advice(tmp_path) -> None:
    """The readers' advice "or raise max_chars" names a Python argument that analyze does not
    have."""
    from hostile import error_lines, run

    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 200_001)
    result = run("analyze", str(huge))
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "more than the limit of 1,000,000" in line and "split it into articles" in line
    assert "max_chars" not in line


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/null"])
def test_fifos_and_devices_are_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    spec = kind
    if kind == "fifo":
        spec = str(tmp_path / "article.txt")
        os.mkfifo(spec)  # no writer: opening it to read would wait forever
    with no_hang(60):
        result = run("analyze", spec, "-f", "json")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"cannot read '{spec}': it is a" in line and "not a file" in line


def test_batch_refuses_a_fifo_and_an_unreadable_input(tmp_path: Path) -> None:
    fifo = tmp_path / "corpus.jsonl"
    os.mkfifo(fifo)
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT)
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    with no_hang(60):
        result = runner.invoke(app, ["batch", str(fifo), "--db", db, "--workers", "1"])
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "is a named pipe (FIFO)" in line
    with unreadable(folder):
        result = runner.invoke(app, ["batch", str(folder), "--db", db, "--workers", "1"])
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"cannot read folder '{folder}': permission denied" in line


def test_unreadable_file_or_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    file = folder / "a.txt"
    file.write_text(SHORT)
    out = tmp_path / "out.json"
    for path, message in [(file, "cannot read '{}'"), (folder, "cannot read folder '{}'")]:
        with unreadable(path):
            result = run("analyze", str(path), "-f", "json", "-o", str(out))
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        [line] = error_lines(result)
        assert message.format(path) + ": permission denied" in line
        assert not out.exists()


def test_batch_records_unreadable_files_and_subfolders_as_failures(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "outlet").mkdir(parents=True)
    (root / "outlet" / "a.txt").write_text(SHORT)
    (root / "b.txt").write_text(SHORT.replace("Tuesday", "Monday"))
    os.mkfifo(root / "c.txt")  # was skipped silently; reading it would block
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    with unreadable(root / "outlet"), unreadable(root / "b.txt"), no_hang(60):
        result = runner.invoke(app, ["batch", str(root), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "analysed 0, skipped 0 (already stored or repeated), failed 3" in result.stdout
    assert f"failed: {root / 'outlet'}: cannot read folder '{root / 'outlet'}': permission" in (
        result.stdout
    )
    assert f"cannot read '{root / 'b.txt'}': permission denied" in result.stdout
    assert f"cannot read '{root / 'c.txt'}': it is a named pipe" in result.stdout


def test_odd_file_names_are_one_line_and_do_not_stop_a_batch(tmp_path: Path) -> None:
    """A file name with a line break split the error over two lines; one with bytes that
    are not UTF-8 stopped `propscope batch` with a traceback (the store cannot encode its
    lone surrogates) after the articles before it were analysed."""
    root = tmp_path / "corpus"
    (root / "outlet\nb").mkdir(parents=True)
    (root / "outlet\nb" / "bad\nname.txt").write_bytes(b"\x00binary")
    with open(os.fsencode(root) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(b"\x00binary")
    result = run("analyze", str(root / "outlet\nb" / "bad\nname.txt"))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "outlet\\nb/bad\\nname.txt' has NUL characters (binary data?)" in line
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = runner.invoke(app, ["batch", str(root), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "analysed 0, skipped 0 (already stored or repeated), failed 2" in result.stdout
    failed = [line for line in result.stdout.splitlines() if "failed: " in line]
    assert len(failed) == 2
    assert f"failed: {root}/caf\\xe9.txt: '{root}/caf\\xe9.txt' has NUL characters" in failed[0]
    assert "outlet\\nb/bad\\nname.txt' has NUL characters" in failed[1]


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, str]:
    good = tmp_path / "good.txt"
    good.write_text(SHORT)
    other = tmp_path / "other.txt"
    other.write_text("Rain fell in the morning and the sun came out in the afternoon.\n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01 binary")
    return {
        "good": str(good),
        "other": str(other),
        "binary": str(binary),
        "missing": str(tmp_path / "missing.txt"),
    }


def test_several_inputs_report_each_bad_one_and_analyse_the_rest(tmp_path, inputs, model):
    out = tmp_path / "out.json"
    specs = [inputs[k] for k in ("good", "missing", "binary", "other")]
    result = run("analyze", *specs, "-f", "json", "-o", str(out))
    assert result.exit_code == 2, result.output
    lines = error_lines(result)
    assert len(lines) == 2
    assert inputs["missing"] in lines[0] and "not found" in lines[0]
    assert inputs["binary"] in lines[1] and "binary" in lines[1]
    analyses = json.loads(out.read_text(encoding="utf-8"))
    assert [a["article"]["id"] for a in analyses] == ["good", "other"]


def test_fail_fast_stops_at_the_first_bad_input(tmp_path, inputs) -> None:
    out = tmp_path / "out.json"
    specs = [inputs[k] for k in ("good", "binary", "missing", "other")]
    result = run("analyze", *specs, "--fail-fast", "-f", "json", "-o", str(out))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert inputs["binary"] in line
    assert not out.exists()


# --- outputs -----------------------------------------------------------------------------------


def _stats_to(tmp_path: Path, output: Path):
    """A command that writes --output without needing the model: stats of an empty store."""
    from propscope.store import Store

    database = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(database).close()
    return run("stats", "--db", database, "-f", "csv", "-o", str(output))


def test_an_output_that_is_a_fifo_or_a_link_is_written_through_not_replaced(tmp_path: Path):
    """-o /dev/null (as root), /dev/stdout or a FIFO was replaced by a regular file (the rename
    of the temporary file went over the device), and -o LINK replaced the link."""
    target = tmp_path / "stats.csv"
    target.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target.name)
    assert _stats_to(tmp_path, link).exit_code == 0
    assert link.is_symlink() and target.read_text() not in ("", "old\n")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with no_hang(30):
        result = _stats_to(tmp_path, fifo)
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received == [target.read_bytes()]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_output_that_cannot_be_written_is_one_line_exit_2(tmp_path: Path, monkeypatch):
    """A folder without write permission (or /sys, /proc, a full disk) gave a traceback."""
    import tempfile

    from propscope.errors import PropscopeError
    from propscope.io.files import atomic_write

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", refused)
        result = _stats_to(tmp_path, tmp_path / "stats.csv")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"cannot write '{tmp_path / 'stats.csv'}': permission denied" in line

    def disk_full(path: Path) -> None:
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(PropscopeError, match="No space left on device"):
        atomic_write(tmp_path / "out.txt", disk_full)
    assert list(tmp_path.glob("*out.txt*")) == []


def test_a_second_interrupt_in_batch_does_not_claim_nothing_was_written(
    tmp_path: Path, monkeypatch
) -> None:
    """A Ctrl-C while `batch` commits after a first one reached the generic handler, which
    says "nothing was written": untrue once earlier batches are stored."""
    import propscope.batch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(propscope.batch, "run_batch", interrupted)
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(SHORT)
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = runner.invoke(app, ["batch", str(root), "--db", db, "--workers", "1"])
    assert result.exit_code == 130
    assert "nothing was written" not in result.output
    assert "committed before are kept" in result.output


# --- URLs and languages ------------------------------------------------------------------------


def test_a_private_url_names_the_flag_that_allows_it(tmp_path: Path) -> None:
    """The refusal said "pass allow_private=True", an option the command line does not have."""
    url = "http://127.0.0.1:1/article"  # a literal loopback address: no DNS, nothing listens
    result = run("analyze", url)
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "non-public address 127.0.0.1" in line and "--allow-private-urls" in line
    assert "allow_private=True" not in line
    result = run("analyze", url, "--allow-private-urls")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"cannot fetch '{url}'" in line and "non-public" not in line


def test_a_refused_language_names_its_input_and_the_others_are_analysed(
    tmp_path: Path, inputs, model
) -> None:
    """`analyze a.txt sr.txt` said "text is in Serbian (sr)" without saying which input."""
    folder = tmp_path / "more"
    folder.mkdir()
    serbian = folder / "sr.txt"
    serbian.write_text(
        "Влада Србије је у уторак после дуге расправе усвојила нови закон о буџету за мостове.\n"
    )
    short = tmp_path / "short.txt"
    short.write_text("ok\n")  # too little text for a sure guess
    out = tmp_path / "out.json"
    result = run("analyze", inputs["good"], str(folder), str(short), "-f", "json", "-o", str(out))
    assert result.exit_code == 2, result.output
    sure, unsure = error_lines(result)
    assert f"'{serbian}' is in Serbian (sr); propscope analyses English" in sure
    assert "--language" not in sure  # a sure guess is not to be overridden
    assert f"'{short}' is in " in unsure and "the guess is unsure" in unsure
    assert "give --language if the text is in one of them" in unsure
    # several inputs named: an array, whichever of them failed
    assert [a["article"]["id"] for a in json.loads(out.read_text(encoding="utf-8"))] == ["good"]


def test_an_unsupported_language_option_is_refused_as_such(inputs) -> None:
    """`--language xx` said "text is in xx (xx)", as if the text had been read as that."""
    result = run("analyze", inputs["good"], "--language", "xx")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert (
        line == "propscope: error: unsupported --language xx; choose one of en, fr, de, it, pl, ru"
    )
