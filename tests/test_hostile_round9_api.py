"""Hostile round 9 (Python API and adapters): analyze()'s arguments, DataFrames, a store
opened on a mistyped path, spaCy docs read back without a model, Label Studio ids, regions
and repeated tasks, and annotate export of a folder with an unsupported language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from builders import analysis, at, span

import propscope
from propscope.article import Article
from propscope.errors import InputError, PropscopeError
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
