"""The command line: every output format, SemEval files, and every error path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli import app
from propscope.io.formats import FLCRow, read_flc, read_si, read_st3

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, example_path) -> Path:
    """A folder with the example as a SemEval-style article file, plus a second article."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(example_path, folder / "article123456789.txt")
    (folder / "article987654321.txt").write_text(
        "Weather\n\nIt rained in the morning and cleared up in the afternoon.\n", encoding="utf-8"
    )
    return folder


def test_json_output_to_file(tmp_path, example_path, model):
    out = tmp_path / "a.json"
    result = run("analyze", str(example_path), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    text = example_path.read_text(encoding="utf-8")
    assert data["text"] == text
    assert data["spans"] and all(text[s["start"] : s["end"]] == s["text"] for s in data["spans"])
    assert data["article"]["id"] == example_path.stem


def test_text_report(example_path, model):
    result = run("analyze", str(example_path))
    assert result.exit_code == 0, result.output
    assert "Findings" in result.output and "Hajiyev" in result.output
    assert "quoted or reported speech" in result.output


def test_html_report(tmp_path, example_path, model):
    out = tmp_path / "r.html"
    result = run("analyze", str(example_path), "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    assert "<mark" in html and "antipathy" in html and "Hajiyev" in html
    assert "http://" not in html and "https://" not in html  # self-contained


def test_semeval_formats_for_a_directory(tmp_path, corpus, model):
    outputs = {}
    for fmt in ("si", "flc", "st3"):
        out = tmp_path / f"pred.{fmt}"
        result = run("analyze", str(corpus), "--format", fmt, "--output", str(out))
        assert result.exit_code == 0, result.output
        outputs[fmt] = out
    si = read_si(outputs["si"])
    assert {r.article_id for r in si} == {"123456789"}
    spans = sorted((r.start, r.end) for r in si)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), "SI spans overlap"
    flc = read_flc(outputs["flc"])
    from propscope.taxonomy import PTC_TECHNIQUES

    assert flc and all(r.technique in PTC_TECHNIQUES for r in flc)
    st3 = read_st3(outputs["st3"])
    # every non-empty line of both articles, numbered by line
    text = (corpus / "article123456789.txt").read_text(encoding="utf-8")
    lines = [i for i, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert [r.paragraph_id for r in st3 if r.article_id == "123456789"] == lines
    assert [r.paragraph_id for r in st3 if r.article_id == "987654321"] == [1, 3]


def test_flc_in_semeval2023_names(corpus, model):
    result = run(
        "analyze", str(corpus / "article123456789.txt"), "-f", "flc", "--taxonomy", "semeval2023"
    )
    assert result.exit_code == 0
    from propscope.taxonomy import TECHNIQUES

    names = {line.split("\t")[1] for line in result.output.splitlines() if line}
    assert names and names <= set(TECHNIQUES)


def test_stdin(model):
    result = run(
        "analyze",
        "-",
        "-f",
        "json",
        input="These traitors and cowards betray our great nation every day.",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["text"].startswith("These traitors")


def test_label_spans_and_evaluate(tmp_path, corpus, model):
    template = tmp_path / "template.labels"
    gold = tmp_path / "gold.labels"
    text = (corpus / "article123456789.txt").read_text(encoding="utf-8")
    rows = [
        ("Name_Calling,Labeling", "fake organization"),
        ("Loaded_Language", "disgust and antipathy"),
    ]
    gold_lines, template_lines = [], []
    for technique, phrase in rows:
        start = text.index(phrase)
        gold_lines.append(f"123456789\t{technique}\t{start}\t{start + len(phrase)}")
        template_lines.append(f"123456789\t?\t{start}\t{start + len(phrase)}")
    gold.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    template.write_text("\n".join(template_lines) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.labels"
    result = run("label-spans", str(template), "--articles", str(corpus), "-o", str(pred))
    assert result.exit_code == 0, result.output
    labelled = read_flc(pred)
    assert [(r.start, r.end) for r in labelled] == [
        (int(x.split("\t")[2]), int(x.split("\t")[3])) for x in gold_lines
    ]
    assert "?" not in {r.technique for r in labelled}
    result = run("evaluate", "--task", "tc", "--gold", str(gold), "--pred", str(pred), "--json")
    assert result.exit_code == 0, result.output
    score = json.loads(result.output)
    expected = sum(
        a.technique == b.technique for a, b in zip(read_flc(gold), labelled, strict=True)
    )
    assert score["f1"] == pytest.approx(expected / 2)


def _template_for(tmp_path, corpus) -> tuple[Path, str]:
    text = (corpus / "article123456789.txt").read_text(encoding="utf-8")
    start = text.index("fake organization")
    template = tmp_path / "template.labels"
    template.write_text(f"123456789\t?\t{start}\t{start + 17}\n", encoding="utf-8")
    return template, text


def test_label_spans_refuses_two_files_with_one_template_id(tmp_path, corpus):
    """Two copies of an article (PTC's and SemEval-2023's break lines differently) would label
    other words at the template's offsets; the last one in path order used to win silently."""
    template, text = _template_for(tmp_path, corpus)
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(corpus / "article123456789.txt", folder)
    (folder / "sub" / "article123456789.txt").write_text("x" * len(text), encoding="utf-8")
    out = tmp_path / "pred.labels"
    result = run("label-spans", str(template), "--articles", str(folder), "-o", str(out))
    assert result.exit_code == 2
    assert "article id '123456789' occurs 2 times" in result.output
    assert "sub" in result.output and not out.exists()


def test_label_spans_ignores_an_unreadable_file_the_template_does_not_name(tmp_path, corpus, model):
    template, _ = _template_for(tmp_path, corpus)
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(corpus / "article123456789.txt", folder)
    (folder / "article5.txt").write_text("", encoding="utf-8")
    out = tmp_path / "pred.labels"
    result = run("label-spans", str(template), "--articles", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [r.technique != "?" for r in read_flc(out)] == [True]
    # the template's own article unreadable: its reason, not "no article5.txt was found"
    (folder / "article123456789.txt").write_text("", encoding="utf-8")
    out.unlink()
    result = run("label-spans", str(template), "--articles", str(folder), "-o", str(out))
    assert result.exit_code == 2
    assert "article123456789.txt' is empty" in result.output and not out.exists()


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda d: str(d / "missing.txt"), "not found"),
        (lambda d: str(d), "no .txt or .html"),
        (lambda d: _write(d / "empty.txt", b"  \n\t\n"), "empty"),
        (lambda d: _write(d / "bin.txt", b"\x00\x01\x02binary"), "binary"),
        (lambda d: _write(d / "latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1")), "UTF-8"),
    ],
)
def test_bad_input_one_line_exit_2_no_output(tmp_path, make_input, message):
    empty_dir = tmp_path / "in"
    empty_dir.mkdir()
    spec = make_input(empty_dir)
    out = tmp_path / "out.json"
    result = run("analyze", spec, "-f", "json", "-o", str(out))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message.lower() in lines[0].lower(), result.output
    assert not out.exists() and not list(tmp_path.glob(".out.json*"))


def test_unreachable_url_is_one_line(tmp_path):
    result = run("analyze", "http://127.0.0.1:9/article")
    assert result.exit_code == 2
    assert len([x for x in result.output.splitlines() if x.strip()]) == 1


def test_output_folder_missing(example_path, tmp_path, model):
    result = run("analyze", str(example_path), "-o", str(tmp_path / "no" / "such" / "r.json"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_evaluate_rejects_mismatched_template(tmp_path):
    gold = _write(tmp_path / "g.labels", b"1\tDoubt\t0\t5\n")
    pred = _write(tmp_path / "p.labels", b"1\tDoubt\t0\t6\n")
    result = run("evaluate", "--task", "tc", "--gold", gold, "--pred", pred)
    assert result.exit_code == 2


def test_evaluate_shows_file_names_and_labels_as_plain_text(tmp_path):
    # the user's file names are no rich markup and send the terminal no escape
    gold = _write(tmp_path / "gold[bold]x.labels", b"1\tDoubt\t0\t5\n")
    pred = _write(tmp_path / "p\x1b[31mRED.labels", b"1\tDoubt\t0\t5\n")
    result = run("evaluate", "--task", "tc", "--gold", gold, "--pred", pred)
    assert result.exit_code == 0, result.output
    assert "gold[bold]x.labels" in result.output
    assert "\x1b" not in result.output and "p\\x1b[31mRED.labels" in result.output


def test_techniques_lists_all_23():
    result = run("techniques")
    assert result.exit_code == 0
    assert "Name calling" in result.output or "Name Calling" in result.output


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_output_file_gets_usual_permissions(tmp_path, example_path, model):
    import os

    out = tmp_path / "r.json"
    assert run("analyze", str(example_path), "-f", "json", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_shipped_multilingual_model_by_name_reads_english_with_e5(tmp_path, example_path, model):
    """``--model multilingual`` analyses English with the e5 tagger: more findings on the
    bundled example than the default MiniLM (22 against 3 when measured)."""
    default, named = tmp_path / "default.json", tmp_path / "named.json"
    assert run("analyze", str(example_path), "-f", "json", "-o", str(default)).exit_code == 0
    result = run(
        "analyze", str(example_path), "--model", "multilingual", "-f", "json", "-o", str(named)
    )
    assert result.exit_code == 0, result.output
    base, e5 = (json.loads(p.read_text(encoding="utf-8")) for p in (default, named))
    assert e5["model"]["name"] != base["model"]["name"]
    assert len(e5["spans"]) >= 3 * len(base["spans"])
    assert any(
        s["technique"] == "Name_Calling-Labeling" and "pro-Armenian" in s["text"]
        for s in e5["spans"]
    )


def test_model_that_is_neither_a_folder_nor_a_shipped_name_is_one_line(tmp_path, example_path):
    result = run("analyze", str(example_path), "--model", str(tmp_path / "multilingual-v2"))
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "english, multilingual" in lines[0], result.output


def _tc_template(tmp_path, articles):
    """The articles in a folder and a TC template of their gold spans: the template's rows,
    the texts by id, and a function that runs label-spans on them (extra options) and
    returns its rows."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for a in articles:
        (folder / f"article{a.id}.txt").write_text(a.text, encoding="utf-8")
    rows = [FLCRow(a.id, "?", s, e) for a in articles for _, s, e in a.spans]
    template = tmp_path / "template.labels"
    template.write_text(
        "".join(f"{r.article_id}\t?\t{r.start}\t{r.end}\n" for r in rows), encoding="utf-8"
    )

    def cli(*extra: str) -> list[FLCRow]:
        out = tmp_path / "pred.labels"
        result = run(
            "label-spans", str(template), "--articles", str(folder), "-o", str(out), *extra
        )
        assert result.exit_code == 0, result.output
        return read_flc(out)

    return rows, {a.id: a.text for a in articles}, cli


def test_label_spans_averages_the_english_and_multilingual_taggers(tmp_path, data_dir, model):
    """TC by default reads both shipped taggers (their average labels 2.4 points more PTC
    gold spans correctly than the English one alone); --model names one."""
    from propscope.analysis import label_spans, tc_models
    from propscope.corpora import load_ptc

    articles = load_ptc(split="tune")[:3]
    rows, texts, cli = _tc_template(tmp_path, articles)
    pair = label_spans(rows, texts, tc_models())
    alone = label_spans(rows, texts, model)
    assert cli() == pair
    assert cli("--model", "english") == alone
    assert label_spans(rows, texts, [model, model]) == alone  # the mean of one is itself
    changed = sum(a.technique != b.technique for a, b in zip(pair, alone, strict=True))
    assert 0 < changed < len(rows) / 2, changed  # the second tagger moves some labels


def test_label_spans_reads_other_languages_with_the_multilingual_tagger(tmp_path, data_dir):
    """Round 14: French and German templates were labelled by the English pair too (the
    English tagger cannot read them); held-out French TC 0.452 -> 0.491 with the
    multilingual tagger alone. --language picks the taggers without detection."""
    from propscope.analysis import label_spans
    from propscope.corpora import load_semeval2023
    from propscope.models.tagger import load_multilingual_model

    articles = [a for a in load_semeval2023("fr") if a.spans][:2]
    rows, texts, labelled = _tc_template(tmp_path, articles)

    def cli(*extra: str) -> list[FLCRow]:
        return labelled("--taxonomy", "semeval2023", *extra)

    french = label_spans(
        rows, texts, load_multilingual_model().for_language("fr"), scheme="semeval2023"
    )
    assert cli() == french
    assert cli("--language", "fr") == french
    assert cli("--language", "en") == label_spans(rows, texts, language="en", scheme="semeval2023")
    assert cli("--language", "en") != french
    template, folder = tmp_path / "template.labels", tmp_path / "articles"
    refused = run("label-spans", str(template), "--articles", str(folder), "--language", "uk")
    assert refused.exit_code != 0 and "unsupported --language uk" in refused.output


def test_evaluate_merges_overlapping_predictions_unless_told_not_to(tmp_path: Path) -> None:
    """The official SI scorer refuses overlapping predictions unless run with -m; evaluate
    always merged them, so a file the official scorer refuses scored without a word."""
    gold, pred = tmp_path / "gold.txt", tmp_path / "pred.txt"
    gold.write_text("a\t10\t20\n", encoding="utf-8")
    pred.write_text("a\t15\t30\na\t16\t18\n", encoding="utf-8")
    merged = run("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred), "--json")
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.output)["predicted"] == 1
    refused = run(
        "evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred), "--no-merge"
    )
    assert refused.exit_code == 2
    assert "overlap" in refused.output


def test_evaluate_warns_of_predicted_articles_without_gold_spans(tmp_path):
    """A prediction file whose ids differ from the gold's (articletask7 for task7) scored 0
    without a word."""
    gold, pred = tmp_path / "gold.labels", tmp_path / "pred.labels"
    gold.write_text("task7\tLoaded_Language\t0\t5\n", encoding="utf-8")
    pred.write_text("articletask7\tLoaded_Language\t0\t5\n", encoding="utf-8")
    result = run("evaluate", "--task", "flc", "--gold", str(gold), "--pred", str(pred), "--json")
    assert result.exit_code == 0, result.output
    assert "no span in predicted article articletask7" in result.stderr
    assert json.loads(result.stdout)["unknown_articles"] == ["articletask7"]
    pred.write_text("task7\tLoaded_Language\t0\t5\n", encoding="utf-8")
    result = run("evaluate", "--task", "flc", "--gold", str(gold), "--pred", str(pred))
    assert result.exit_code == 0 and "warning" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "expected"), [([], 1), (["--epochs", "3"], 3)], ids=["default", "given"]
)
def test_train_extra_data_fine_tunes_one_epoch_by_default(tmp_path, monkeypatch, extra, expected):
    """docs/annotate.md shows --epochs 1 for a fine-tune; the full training's 4 was used."""
    from propscope import retrain

    seen = {}
    monkeypatch.setattr(retrain, "finetune_model", lambda *a, **kw: seen.update(kw))
    (tmp_path / "corrected").mkdir()
    args = ["train", "--extra-data", str(tmp_path / "corrected"), "--output", str(tmp_path / "m")]
    result = run(*args, *extra)
    assert result.exit_code == 0, result.output
    assert seen["epochs"] == expected
