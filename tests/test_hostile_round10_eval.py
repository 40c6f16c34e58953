"""Hostile round 10: `evaluate` and `label-spans` on awkward label files, and a --language
that contradicts a sure detection."""

from __future__ import annotations

from contextlib import contextmanager
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


# --- a --language that a sure detection contradicts ------------------------------------------

FRENCH = (
    "Réforme des retraites : le gouvernement accusé de « trahir » les Français\n\n"
    "Paris, le 14 mars. La tension est encore montée d'un cran mardi à l'Assemblée nationale. "
    "Le ministre du Travail a défendu un texte « juste et indispensable », tandis que "
    "l'opposition dénonçait un « passage en force » inacceptable.\n\n"
    "Les économistes restent partagés. Certains estiment que le déficit du système est "
    "largement exagéré par l'exécutif. D'autres jugent la réforme nécessaire mais mal "
    "expliquée, et le vote final est prévu jeudi.\n"
)
SPANISH = (
    "El Gobierno anuncia nuevas medidas contra la inflación\n\n"
    "Madrid. El presidente del Gobierno anunció este martes un paquete de medidas para frenar "
    "la subida de los precios de los alimentos. La oposición calificó el plan de parche "
    "electoralista y exigió una rebaja de impuestos inmediata. Según el Partido Popular, las "
    "familias españolas ya no pueden más.\n"
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag einen Gesetzentwurf zur Rentenreform vorgelegt. Die "
    "Opposition kritisierte den Entwurf scharf und sprach von einem Verrat an den Bürgern.\n\n"
)


def _given(text: str, code: str):
    from builders import analysis

    from propscope.schema import LanguageInfo

    info = LanguageInfo(code=code, name=code, confidence=1.0, spans=True, given=True)
    return analysis(text, []).model_copy(update={"language": info})


def test_a_sure_detection_contradicting_the_given_language_is_warned_of():
    """`--language de` on a French article (or `language: it` on Spanish text) gave a worse
    analysis without a word, though detection is sure of the language."""
    from propscope.analysis import given_language_warning

    french = given_language_warning(_given(FRENCH, "de"), "--language")
    assert french is not None and "\n" not in french
    assert "reads as French (fr, 100% sure)" in french
    assert "--language de" in french and "give --language fr, or leave --language out" in french
    spanish = given_language_warning(_given(SPANISH, "it"), "language")
    assert spanish is not None and "reads as Spanish (es," in spanish
    assert '"language": "it"' in spanish and "does not analyse Spanish" in spanish


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (FRENCH, "fr"),  # the right language
        ("Macron : « Nous tiendrons bon »\n", "de"),  # a headline: what --language is for
        (GERMAN + FRENCH, "de"),  # bilingual: a fifth or more is German
    ],
)
def test_no_warning_when_the_given_language_is_right_short_or_part_of_the_text(text, code):
    from propscope.analysis import given_language_warning

    assert given_language_warning(_given(text, code)) is None


def test_no_warning_when_the_language_was_detected():
    from propscope.analysis import given_language_warning
    from propscope.schema import LanguageInfo

    info = LanguageInfo(code="de", name="German", confidence=0.9, spans=True, given=False)
    detected = _given(FRENCH, "de").model_copy(update={"language": info})
    assert given_language_warning(detected) is None


def test_the_cli_warns_on_stderr_and_keeps_the_result(tmp_path: Path, monkeypatch):
    import propscope.analysis
    import propscope.models.tagger

    seen = []

    def fake_analyze(article, model, **options):
        seen.append(options["language"])
        return _given(article.text, options["language"])

    monkeypatch.setattr(propscope.analysis, "analyze", fake_analyze)
    monkeypatch.setattr(propscope.models.tagger, "load_model", lambda model=None: None)
    path = _write(tmp_path / "fr_article.txt", FRENCH)
    result = CliRunner().invoke(app, ["analyze", str(path), "--language", "de", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert seen == ["de"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("propscope: warning: ")
    assert "fr_article.txt: the text reads as French (fr, 100% sure)" in lines[0]
    assert '"code": "de"' in result.stdout  # the analysis given is the analysis written

    seen.clear()
    quiet = CliRunner().invoke(app, ["analyze", str(path), "--language", "fr", "-f", "json"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and seen == ["fr"]


@contextmanager
def _web_app(tmp_path: Path, monkeypatch, detected: str):
    """The web app on a fresh database, its analysis a stand-in that takes the language
    given (else ``detected``): no model is loaded."""
    from fastapi.testclient import TestClient

    import propscope.web.service
    from propscope.web import create_app

    monkeypatch.setattr(
        propscope.web.service,
        "analyze",
        lambda article, model, language=None: _given(article.text, language or detected),
    )
    app_ = create_app(db_url=str(tmp_path / "web.db"), model_loader=lambda: object())
    with TestClient(app_, base_url="http://127.0.0.1:8000") as client:
        app_.state.models.wait(60)
        yield app_, client


def test_the_api_says_so_in_warnings(tmp_path: Path, monkeypatch):
    with _web_app(tmp_path, monkeypatch, "es") as (app_, client):
        warned = client.post("/api/v1/analyze", json={"text": SPANISH, "language": "it"})
        assert warned.status_code == 201, warned.text
        body = warned.json()
        assert body["language"]["code"] == "it"
        [warning] = body["warnings"]
        assert "reads as Spanish (es," in warning and '"language": "it"' in warning
        quiet = client.post("/api/v1/analyze", json={"text": FRENCH, "language": "fr"})
        assert quiet.status_code == 201 and "warnings" not in quiet.json()
    schema = app_.openapi()["components"]["schemas"]["AnalyzeResponse"]["properties"]
    assert "warnings" in schema


def test_the_article_page_shows_the_warning(tmp_path: Path, monkeypatch):
    # the Analyse form's language went unremarked as the API's did
    with _web_app(tmp_path, monkeypatch, "fr") as (_, client):
        posted = client.post("/analyze", data={"text": FRENCH, "language": "de"})
        assert posted.status_code == 200, posted.text  # followed to the permalink
        assert "reads as French (fr, 100% sure)" in posted.text
        # (another text: the same one again goes to its stored analysis)
        quiet = client.post("/analyze", data={"text": FRENCH + "\nEncore.", "language": "fr"})
        assert "reads as French" not in quiet.text


def test_batch_warns_of_records_whose_language_field_a_sure_detection_contradicts(
    tmp_path: Path, capsys
):
    # the round-10 fixer's note: batch analysed a record's wrong `language` without a word
    import json
    from types import SimpleNamespace

    from test_batch import HandMade

    from propscope.batch import Outcome, run_batch
    from propscope.cli import _print_batch_summary
    from propscope.store import Store

    class GivenLanguage(HandMade):
        def analyse(self, articles):
            for article in articles:
                code = article.metadata.get("language")
                yield Outcome(article, _given(article.text, code or "fr"))

    records = [
        {"id": "wrong", "text": FRENCH, "language": "de"},
        {"id": "right", "text": FRENCH + "\nEncore.", "language": "fr"},
    ]
    corpus = _write(tmp_path / "c.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    with Store(str(tmp_path / "c.db")) as store:
        summary = run_batch(corpus, store, GivenLanguage())
    assert summary.analysed == 2 and summary.mislabelled == [("wrong", "de", "fr")]
    _print_batch_summary(summary, SimpleNamespace(name="hand-made", workers=1))
    out = capsys.readouterr().out
    assert "warning: 1 record was analysed in the language of its language field" in out
    assert "wrong (de, reads as fr)" in out
