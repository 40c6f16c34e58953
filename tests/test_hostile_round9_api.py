"""Hostile round 9 (Python API and adapters): analyze()'s arguments, DataFrames, a store
opened on a mistyped path, spaCy docs read back without a model, Label Studio ids, regions
and repeated tasks, and annotate export of a folder with an unsupported language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import analysis, at, span
from typer.testing import CliRunner

import propscope
from propscope.article import Article
from propscope.errors import InputError, PropscopeError, UnsupportedLanguageError
from propscope.integrations.labelstudio import (
    ANNOTATIONS_FILE,
    ARTICLES_DIR,
    SPANS_DIR,
    import_tasks,
    write_import,
)
from propscope.io.readers import article_id_of
from propscope.store import NotAStore, Store, StoreError

TEXT = "Headline\nThe corrupt elite are destroying our glorious nation."
SPANISH = "El gobierno mintió otra vez sobre la economía y los ciudadanos están cansados."


def one_analysis(article_id: str = "en1", source: str | None = None):
    return analysis(
        TEXT,
        [span(TEXT, *at(TEXT, "corrupt elite"), "Loaded_Language")],
        article_id=article_id,
        source=source,
    )


# --- analyze() ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["my-model", Path("my-model"), 123])
def test_analyze_refuses_a_model_that_is_not_loaded_naming_the_argument(bad):
    """A model path (the CLI takes --model DIR) failed deep inside: "'str' object has no
    attribute 'languages'"."""
    with pytest.raises(TypeError, match=r"analyze\(\)'s model must be a loaded model"):
        propscope.analyze(TEXT, bad)


def test_analyze_refuses_article_models_that_are_not_loaded():
    """article_models="x" was accepted silently for English text."""
    with pytest.raises(TypeError, match=r"analyze\(\)'s article_models must be loaded"):
        propscope.analyze(TEXT, article_models="x")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "is empty"),
        ("   \n  ", "is empty"),
        (TEXT[:20] + "\x00" + TEXT[20:], "has NUL characters"),
        (TEXT[:20] + "\ud800" + TEXT[20:], "lone surrogate"),
    ],
)
def test_analyze_checks_an_article_as_it_checks_a_str(text, said):
    """An Article skipped read_text's checks: an empty one with a language was an empty
    analysis, NUL was analysed, a lone surrogate was a tokenizer's TypeError."""
    with pytest.raises(InputError, match=said) as str_error:
        propscope.analyze(text, language="en")
    with pytest.raises(InputError, match=said) as article_error:
        propscope.analyze(Article.from_text(text, id="x"), language="en")
    assert "article 'x'" in str(article_error.value)
    assert str(article_error.value).replace("article 'x'", "the text") == str(str_error.value)


# --- DataFrames -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 5, 2.5])
def test_to_dataframe_refuses_what_is_not_analyses_in_one_line(bad):
    """to_dataframe(None) raised "'NoneType' object is not iterable" from its loop."""
    pytest.importorskip("pandas")
    with pytest.raises(PropscopeError, match="to_dataframe takes Analysis objects") as caught:
        propscope.to_dataframe(bad)
    assert type(bad).__name__ in str(caught.value)


def test_frame_columns_differ_from_export_only_as_the_docstring_says():
    """frames' docstring said the columns are export's; articles-level export has
    'paragraphs', which the frame leaves out (the paragraphs level has them)."""
    from propscope.integrations import frames
    from propscope.views import flat_columns

    for level in ("spans", "articles"):
        frame = frames.columns(level, store=True)
        assert [c for c in frame if c not in flat_columns(level)] == []
        only_export = [c for c in flat_columns(level) if c not in frame]
        assert only_export == ([] if level == "spans" else ["paragraphs"])
    assert "leaves out ``paragraphs``" in " ".join(frames.__doc__.split())


# --- a store on a path that names no database ----------------------------------------------


def test_a_store_on_a_missing_path_says_so(tmp_path, monkeypatch):
    """Store("corpsu.db").dataframe() made an empty database and gave an empty frame, and
    Store("") made (and read) the default database in the user's data folder."""
    pytest.importorskip("pandas")
    default = tmp_path / "default.db"
    monkeypatch.setenv("PROPSCOPE_DB_URL", str(default))  # where '' went
    with pytest.raises(StoreError, match="the database path is empty"):
        Store("")
    assert not default.exists()
    missing = tmp_path / "corpsu.db"
    for options in ({"create": False}, {"read_only": True}):
        with pytest.raises(NotAStore, match=f"no database at '{missing}'"):
            Store(str(missing), **options)
        assert not missing.exists()
    with pytest.warns(UserWarning, match="no database was at .*corpsu.db.*create=False"):
        frame = Store(str(missing)).dataframe()
    assert frame.empty
    store = Store(str(missing))  # it exists now: no warning
    assert store.created is False


# --- spaCy ----------------------------------------------------------------------------------


def test_spacy_docs_are_read_back_in_a_process_that_never_made_the_component(tmp_path):
    """doc._.propscope and span._.propscope raised E046 (unregistered extension) in a
    process that read a DocBin without loading the model."""
    spacy = pytest.importorskip("spacy")
    from types import SimpleNamespace

    from spacy.tokens import DocBin

    from propscope.integrations.spacy_component import PropscopeComponent

    nlp = spacy.blank("en")
    doc = PropscopeComponent.set_annotations(
        SimpleNamespace(spans_key="propscope"), nlp(TEXT), one_analysis()
    )
    saved = tmp_path / "docs.spacy"
    DocBin(store_user_data=True, docs=[doc]).to_disk(saved)
    script = (
        "import spacy\n"
        "from spacy.tokens import DocBin\n"
        "import propscope.integrations.spacy_component\n"
        f"[doc] = DocBin().from_disk({str(saved)!r}).get_docs(spacy.blank('en').vocab)\n"
        "[s] = doc.spans['propscope']\n"
        "print(s.label_, s._.propscope['technique'], doc._.propscope['article']['id'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["Loaded_Language", "Loaded_Language", "en1"]


def test_spacy_register_extensions_is_public_and_idempotent():
    pytest.importorskip("spacy")
    from spacy.tokens import Doc, Span

    from propscope.integrations.spacy_component import register_extensions

    register_extensions()
    register_extensions()
    assert Doc.has_extension("propscope") and Span.has_extension("propscope")


# --- Label Studio import --------------------------------------------------------------------

LS_TEXT = "The corrupt elite are destroying our nation."


def ls_task(
    task_id: int,
    article_id: str | None = "a1",
    text: str = LS_TEXT,
    to_name: str = "text",
    words: str = "corrupt",
    updated_at: str = "2025-01-05T10:20:30Z",
) -> dict:
    start = text.index(words)
    region = {
        "from_name": "technique-manipulative-wording",
        "to_name": to_name,
        "type": "labels",
        "value": {
            "start": start,
            "end": start + len(words),
            "text": words,
            "labels": ["Loaded_Language"],
        },
    }
    return {
        "id": task_id,
        "data": {"text": text, **({"article_id": article_id} if article_id else {})},
        "annotations": [
            {"completed_by": task_id, "updated_at": updated_at, "result": [region] if words else []}
        ],
    }


def test_import_reports_a_region_on_another_text_tag():
    """A region whose to_name is not 'text' (a renamed <Text>) was dropped unsaid: the
    article was imported as having no techniques."""
    report = import_tasks([ls_task(1, to_name="article")])
    assert report.skipped == [("task 1", "a region on 'article', not on the text 'text'")]
    assert "  skipped task 1: a region on 'article', not on the text 'text'" in report.lines()
    assert import_tasks([ls_task(2)]).skipped == []  # the text tag's own regions stay


def test_import_keeps_letters_of_any_script_in_ids_and_reports_each_change(tmp_path):
    """'élection/2024' became 'lection-2024', 'статья-1' became '1' (article1.txt),
    'новости' became 'task3'; none was reported."""
    from propscope import retrain

    given = ["élection/2024", "статья-1", "новости", "!!!", "ж" * 150]
    tasks = [ls_task(n, a, text=f"{LS_TEXT} Take {n}.") for n, a in enumerate(given, 1)]
    report = import_tasks(tasks)
    files = {a.article_id: a.id for a in report.articles}
    assert files == {
        "élection/2024": "élection-2024",
        "статья-1": "статья-1",
        "новости": "новости",
        "!!!": "task4",
        "ж" * 150: "ж" * 99 + "-2",  # 300 bytes of UTF-8: cut to fit 200
    }
    lines = report.lines()
    assert "5 tasks: imported 5 articles" in lines[0] and "3 article ids changed" in lines[0]
    assert any("'élection/2024' is written as 'élection-2024' (file names keep" in x for x in lines)
    assert any("'!!!' is written as 'task4' (it has no letter or digit" in x for x in lines)
    assert any("over 200 bytes" in x for x in lines)
    write_import(report, tmp_path / "out")
    for text_file in (tmp_path / "out" / ARTICLES_DIR).iterdir():
        spans = tmp_path / "out" / SPANS_DIR / f"{text_file.stem}-labels-subtask-3.txt"
        [row] = spans.read_text(encoding="utf-8").splitlines()
        assert row.split("\t")[0] == article_id_of(text_file)  # one id rule for both
        assert len(spans.name.encode("utf-8")) <= 255
    loaded = {a.id for a in retrain.load_corrected(tmp_path / "out")}
    assert loaded == set(files.values())


def test_import_keeps_the_annotations_of_a_repeated_task(tmp_path):
    """Two tasks of one article (same id and text): the earlier task's annotations were
    dropped, and the later task won whatever the times said."""
    newer = ls_task(1, updated_at="2025-02-01T00:00:00Z")  # one span, updated later
    older = ls_task(2, words="", updated_at="2025-01-01T00:00:00Z")  # no span
    report = import_tasks([newer, older])
    [article] = report.articles
    assert [a.task_id for a in article.annotations] == [1, 2]
    assert article.chosen == 0 and article.task_id == 1 and len(article.spans) == 1
    [(_, what)] = report.conflicts
    assert what.startswith("task 2 repeats the article of task 1; kept user 1 (1 spans) of task 1")
    write_import(report, tmp_path / "out")
    [record] = json.loads((tmp_path / "out" / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
    assert [a["task_id"] for a in record["annotations"]] == [1, 2]
    # the same time: the later task's annotation, as before
    same = import_tasks([ls_task(1), ls_task(2, words="")]).articles[0]
    assert same.task_id == 2 and same.spans == () and len(same.annotations) == 2


# --- annotate export ------------------------------------------------------------------------


def test_export_names_an_article_in_an_unsupported_language_and_exports_the_others(
    tmp_path, monkeypatch
):
    """A Spanish file in the folder stopped the whole export with "text is in Spanish",
    naming no file."""
    from propscope import analysis as analysis_module
    from propscope.cli import app
    from propscope.models import tagger

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "en1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "es1.txt").write_text(SPANISH, encoding="utf-8")

    def fake_analyze(article, *args, **kwargs):  # no model: the refusal analyze() makes
        if article.id == "es1":
            raise UnsupportedLanguageError("text is in Spanish (es); propscope analyses ...")
        return one_analysis(article.id, article.source)

    monkeypatch.setattr(analysis_module, "analyze", fake_analyze)
    monkeypatch.setattr(tagger, "load_model", lambda *a, **k: None)
    out = tmp_path / "review"
    result = CliRunner().invoke(app, ["annotate", "export", str(folder), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"'{folder / 'es1.txt'}' is in Spanish (es)" in " ".join(result.output.split())
    assert "left out 1 article(s)" in " ".join(result.output.split())
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["article_id"] for t in tasks] == ["en1"]
    # every article refused: one more line, nothing written
    (folder / "en1.txt").unlink()
    empty = tmp_path / "none"
    result = CliRunner().invoke(app, ["annotate", "export", str(folder), "-o", str(empty)])
    assert result.exit_code == 2 and "nothing written" in result.output
    assert not empty.exists()


def test_a_third_repeat_of_a_task_names_the_task_whose_annotation_is_kept():
    # (found in review) the line said task 1 when task 2's annotation, the newest, was kept
    from propscope.integrations.labelstudio import import_tasks

    text = "The corrupt elite lies to you every day."

    def region(label: str, start: int, end: int) -> dict:
        value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
        return {"type": "labels", "from_name": "label", "to_name": "text", "value": value}

    def task(task_id: int, who: str, updated: str, n: int) -> dict:
        result = [region("Loaded_Language", 4, 11)]
        result += [region("Name_Calling-Labeling", 4, 17)] if n > 1 else []
        annotation = {"id": task_id * 10, "completed_by": {"email": who}, "result": result}
        annotation |= {"created_at": updated, "updated_at": updated, "ground_truth": False}
        return {
            "id": task_id,
            "data": {"text": text, "article_id": "a1"},
            "annotations": [annotation],
        }

    report = import_tasks(
        [
            task(1, "ana@x", "2024-01-01T00:00:00Z", 1),
            task(2, "ben@x", "2024-03-01T00:00:00Z", 2),
            task(3, "cid@x", "2024-02-01T00:00:00Z", 1),
        ]
    )
    lines = [message for _, message in report.conflicts]
    assert "kept ben@x (2 spans) of task 2" in lines[-1], lines
    article = report.articles[0]
    assert article.annotations[article.chosen].task_id == 2
