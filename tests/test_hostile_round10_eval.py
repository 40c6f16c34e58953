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
