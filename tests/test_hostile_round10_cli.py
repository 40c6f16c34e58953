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
