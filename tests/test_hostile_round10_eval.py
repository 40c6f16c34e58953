"""Hostile round 10: `evaluate` and `label-spans` on awkward label files, and a --language
that contradicts a sure detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli import app
from propscope.errors import FormatError
from propscope.evaluate import evaluate_files


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("task", ["tc", "flc"])
def test_a_gold_file_mixing_the_label_sets_names_one_row_of_each(tmp_path: Path, task: str):
    """The error named 'Appeal_to_Authority' (valid in both sets) and no line."""
    gold = _write(
        tmp_path / "mixed.gold",
        "1\tAppeal_to_Authority\t0\t10\n1\tName_Calling,Labeling\t20\t30\n1\tFlag_Waving\t40\t50\n",
    )
    pred = _write(
        tmp_path / "mixed.pred",
        "1\tAppeal_to_Authority\t0\t10\n1\tLoaded_Language\t20\t30\n1\tDoubt\t40\t50\n",
    )
    with pytest.raises(FormatError) as caught:
        evaluate_files(task, gold, pred)
    message = str(caught.value)
    assert "Appeal_to_Authority" not in message
    assert "'Name_Calling,Labeling' (SemEval-2020, line 2)" in message
    assert "'Flag_Waving' (SemEval-2023, line 3)" in message


def test_a_mixed_gold_folder_names_the_file_of_each_row(tmp_path: Path):
    folder = tmp_path / "gold"
    folder.mkdir()
    _write(folder / "article1.labels", "1\tDoubt\t0\t5\n1\tFlag_Waving\t6\t9\n")
    _write(folder / "article2.labels", "2\tFlag-Waving\t0\t5\n")
    with pytest.raises(FormatError) as caught:
        evaluate_files("flc", folder, folder)
    message = str(caught.value)
    assert "'Flag_Waving' (SemEval-2023, article1.labels line 2)" in message
    assert "'Flag-Waving' (SemEval-2020, article2.labels line 1)" in message


def test_a_tc_template_given_as_gold_is_called_a_template(tmp_path: Path):
    """It got the label-set message ("technique '?' is neither ... nor ...")."""
    gold = _write(tmp_path / "tmpl.gold", "1\t?\t0\t10\n1\t?\t20\t30\n")
    pred = _write(tmp_path / "p.labels", "1\tDoubt\t0\t10\n1\tDoubt\t20\t30\n")
    result = CliRunner().invoke(
        app, ["evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(pred)]
    )
    assert result.exit_code == 2
    assert "that is a template, give a file with techniques" in result.output
    assert "neither" not in result.output


def _span_folder(root: Path) -> Path:
    """A small copy of SemEval-2023's train-labels-subtask-3-spans/ (same names, layout)."""
    folder = root / "train-labels-subtask-3-spans"
    folder.mkdir()
    _write(
        folder / "article23101-labels-subtask-3.txt",
        "23101\tLoaded_Language\t10\t20\n23101\tDoubt\t15\t30\n",
    )
    _write(folder / "article23102-labels-subtask-3.txt", "23102\tFlag_Waving\t0\t8\n")
    _write(folder / "article23103-labels-subtask-3.txt", "")  # an article without spans
    return folder


def test_flc_and_si_read_the_semeval2023_span_folder(tmp_path: Path):
    """`evaluate --task flc --gold train-labels-subtask-3-spans/` said the folder had no
    '*.labels' files (docs/annotate.md had to `cat` them into one file first)."""
    folder = _span_folder(tmp_path)
    pred = _write(tmp_path / "pred.tsv", "23101\tLoaded_Language\t10\t20\n23102\tDoubt\t0\t8\n")
    flc = evaluate_files("flc", folder, pred)
    assert flc.support == 3 and flc.predicted == 2
    assert flc.per_label["Loaded_Language"]["f1"] == 1.0
    si = evaluate_files("si", folder, folder)  # the techniques left out, overlaps merged
    assert si.f1 == 1.0 and si.support == 2


def test_a_paragraph_label_folder_read_for_spans_says_what_it_is(tmp_path: Path):
    folder = tmp_path / "train-labels-subtask-3"
    folder.mkdir()
    _write(folder / "article23101-labels-subtask-3.txt", "23101\t1\tSlogans\n")
    with pytest.raises(FormatError, match="that is a paragraph label"):
        evaluate_files("flc", folder, folder)


def test_evaluate_help_says_which_tasks_take_folders():
    """--help said every --gold was a "file, or folder of .labels files"."""
    result = CliRunner().invoke(app, ["evaluate", "--help"], terminal_width=200)
    text = " ".join(result.output.replace("│", " ").split())
    assert "folder of .labels files" not in text
    assert "si, tc and flc: also a folder" in text
    assert "st1 and st2: a file only" in text


@pytest.mark.parametrize("task", ["si", "flc", "st3"])
def test_hidden_files_in_a_label_folder_are_skipped(tmp_path: Path, task: str):
    """A binary macOS resource fork `._article1.task-si.labels` stopped scoring ("not
    UTF-8 text"); `analyze` skips hidden files, so does `evaluate` now."""
    folder = tmp_path / "labels"
    folder.mkdir()
    row, name = {
        "si": ("1\t0\t10\n", "article1.task-si.labels"),
        "flc": ("1\tDoubt\t0\t10\n", "article1.task-flc-tc.labels"),
        "st3": ("1\t1\tDoubt\n", "article1-labels-subtask-3.txt"),
    }[task]
    _write(folder / name, row)
    (folder / f"._{name}").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff\xff")
    assert evaluate_files(task, folder, folder).f1 == 1.0


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_label_spans_refuses_an_empty_template(tmp_path: Path, content: str):
    """An empty template exited 0 with an empty output file."""
    template = _write(tmp_path / "empty.tc", content)
    articles = tmp_path / "arts"
    articles.mkdir()
    _write(articles / "article1.txt", "Some words of an article.\n")
    output = tmp_path / "out.tc"
    result = CliRunner().invoke(
        app, ["label-spans", str(template), "--articles", str(articles), "-o", str(output)]
    )
    assert result.exit_code == 2
    assert f"template {template} has no rows; give the TC template" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not output.exists()


def test_the_st1_table_shows_accuracy(tmp_path: Path):
    """ST1's micro-F1 (= accuracy), which METRICS.md says is reported, was only in --json."""
    gold = _write(tmp_path / "g.txt", "1\topinion\n2\topinion\n3\treporting\n4\topinion\n")
    pred = _write(tmp_path / "p.txt", "1\topinion\n2\treporting\n3\treporting\n4\tsatire\n")
    result = CliRunner().invoke(
        app, ["evaluate", "--task", "st1", "--gold", str(gold), "--pred", str(pred)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if "┃" in line)
    values = next(line for line in lines if "│" in line)
    assert "accuracy" in header and "macro-F1" in header
    cells = [cell.strip() for cell in values.split("│") if cell.strip()]
    assert cells[:5] == ["0.5000", "0.4444", "0.3889", "0.3889", "0.5000"]  # accuracy 2/4
