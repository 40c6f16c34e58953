"""Hostile round 11 (Python API): analyze() in a forked child, models loaded by threads at
once, whitespace control characters between words, Article.from_text of a non-str, and the
messages of a text over the limit, a model named by an environment variable and a long
language argument."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import pytest

import propscope
from propscope.article import Article
from propscope.errors import ModelError, TooLongError, UnsupportedLanguageError
from propscope.models import article_classifiers, e5, forks, frames, genre, tagger
from propscope.models.windows import tokenize

ENGLISH = "The corrupt elite are destroying our glorious nation, said the minister."
FRENCH = (
    "Ces traîtres corrompus détruisent notre glorieuse nation, a dit le ministre. "
    "Ce sont des menteurs qui haïssent notre peuple."
)


# --- whitespace control characters -------------------------------------------------------------


def test_every_python_space_separates_words_for_both_tokenizers(model) -> None:
    """ "corrupt\\x0belite" was one token run ('t\\x0bel'): every character str.isspace()
    calls whitespace now tokenises as a space, offsets unchanged."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for name, tokenizer in (("MiniLM", model.tokenizer), ("e5", e5.build_tokenizer())):
        reference = tokenize(tokenizer, "hello world")
        glued = [
            hex(ord(c))
            for c in spaces
            if tokenize(tokenizer, f"hello{c}world").ids != reference.ids
        ]
        assert glued == [], name
        text = "\x0bThe\x0ccorrupt\x85elite "
        tokens = tokenize(tokenizer, text)
        assert {text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)} >= {
            "The",
            "elite",
        }, name


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (FRENCH, "fr")])
@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x85"])
def test_words_between_control_spaces_give_the_spans_of_spaces(text, language, separator) -> None:
    """English spans 2 -> 0 with \\x0b (MiniLM), French 2 -> 1 with \\x0b or \\x85 (e5)."""

    def spans(t: str) -> list:
        return [
            (s.start, s.end, s.technique) for s in propscope.analyze(t, language=language).spans
        ]

    expected = spans(text)
    assert expected
    assert spans(text.replace(" ", separator)) == expected


# --- Article.from_text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (None, "not None$"),
        (b"The elite lies.", r"not bytes; decode bytes first, e\.g\. data\.decode\('utf-8'\)"),
        (bytearray(b"x"), "not bytearray; decode bytes first"),
        (42, "not int$"),
    ],
)
def test_article_from_text_refuses_a_non_str_in_words(bad, said) -> None:
    """None and 42 gave "object of type 'NoneType' has no len()", bytes "argument should be
    integer or bytes-like object, not 'str'", from the paragraph splitter."""
    with pytest.raises(
        TypeError, match=r"Article\.from_text\(\) takes the article's text as a str, " + said
    ):
        Article.from_text(bad)


# --- messages: a text over the limit, a long language ------------------------------------


def test_a_str_over_the_limit_is_refused_with_advice_analyze_can_follow() -> None:
    """analyze() advised "raise max_chars", an argument it does not have."""
    text = "word " * 200_001
    with pytest.raises(TooLongError) as caught:
        propscope.analyze(text)
    message = str(caught.value)
    assert "raise max_chars" not in message
    assert "1,000,005 characters" in message and "limit of 1,000,000" in message
    assert "read_text(text, max_chars=...)" in message
    assert (caught.value.chars, caught.value.limit) == (1_000_005, 1_000_000)


def test_a_long_language_is_cut_in_the_message() -> None:
    """language="x" * 100_000 was echoed whole: a 100,101-character message."""
    with pytest.raises(UnsupportedLanguageError) as caught:
        propscope.analyze(ENGLISH, language="x" * 100_000)
    message = str(caught.value)
    assert len(message) < 250 and message.startswith("language 'xxxx") and "…" in message
    with pytest.raises(UnsupportedLanguageError, match=r"^language 'xx' is not one"):
        propscope.analyze(ENGLISH, language="xx")


# --- fork ------------------------------------------------------------------------------------


def _analysis_json(text: str) -> str:
    return propscope.analyze(text, language="en").model_dump_json()


def test_a_forked_child_analyses_like_its_parent(model) -> None:
    """analyze() in a child forked after the parent analysed (multiprocessing's fork
    context, gunicorn --preload) waited forever in torch's layer_norm: the parent's OpenMP
    pool does not survive a fork. The model loader makes forked children use one thread."""
    parent = _analysis_json(ENGLISH)  # the parent has used torch's thread pool
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(_analysis_json, (ENGLISH,)).get(timeout=90)
    assert child == parent


def test_the_fork_guard_is_registered_once(monkeypatch) -> None:
    registered = []
    monkeypatch.setattr(forks, "_registered", False)
    monkeypatch.setattr(forks.os, "register_at_fork", lambda **kw: registered.append(kw))
    for _ in range(3):
        forks.guard_forks()
    assert registered == [{"after_in_child": forks.one_torch_thread}]


# --- models loaded by threads at once ----------------------------------------------------------


def _at_once(call, n: int = 4) -> list:
    """``call()`` from n threads released together; their results."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _slow_counter(calls: list, result=None):
    def load(*args, **kwargs):
        calls.append(args)
        time.sleep(0.3)  # the window in which the other threads found the cache empty
        return object() if result is None else result

    return load


def test_threads_loading_one_model_at_once_load_it_once(monkeypatch, tmp_path) -> None:
    """Four threads calling load_model("multilingual") at once loaded it four times (2.2 GB
    at peak instead of 0.98 GB): the cache was checked and filled without a lock."""
    calls: list = []
    monkeypatch.setattr(tagger, "_CACHE", {})
    monkeypatch.setattr(tagger.SpanTagger, "load", _slow_counter(calls))
    loaded = _at_once(lambda: tagger.load_model(tmp_path))
    assert len(calls) == 1
    assert loaded[0] is not None and all(m is loaded[0] for m in loaded)


def test_two_models_still_load_in_parallel(monkeypatch, tmp_path) -> None:
    """The lock is per model: each load waits for the other to start (one lock for all
    would time out here)."""
    both = threading.Barrier(2)

    def load(path, quantize=False):
        both.wait(timeout=20)
        return object()

    monkeypatch.setattr(tagger, "_CACHE", {})
    monkeypatch.setattr(tagger.SpanTagger, "load", load)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = iter([tmp_path / "a", tmp_path / "b"])
    lock = threading.Lock()

    def next_load():
        with lock:
            path = next(paths)
        return tagger.load_model(path)

    a, b = _at_once(next_load, 2)
    assert a is not None and b is not None and a is not b


def test_threads_loading_the_other_models_at_once_load_each_once(monkeypatch, tmp_path) -> None:
    """The same race in the caches of the article models, the genre and frame models and the
    e5 tokenizer shared by the multilingual encoders."""
    article_calls: list = []
    monkeypatch.setattr(
        article_classifiers, "_load", lru_cache(maxsize=4)(_slow_counter(article_calls))
    )
    models = _at_once(lambda: article_classifiers.load_article_models(tmp_path))
    assert len(article_calls) == 1 and all(m is models[0] for m in models)

    for module, cls, load in (
        (genre, genre.PooledGenreModel, genre.load_genre_model),
        (frames, frames.PooledFrameModel, frames.load_frame_model),
    ):
        calls: list = []
        monkeypatch.setattr(module, "_LOADED", {})
        monkeypatch.setattr(cls, "load", _slow_counter(calls))
        loaded = _at_once(lambda load=load: load(tmp_path))
        assert len(calls) == 1, module.__name__
        assert all(m is loaded[0] for m in loaded)

    @dataclass
    class Parsed:  # what load_e5 reads of the parsed file
        word_blocks: object

    tokenizers: list = []
    monkeypatch.setattr(e5, "_SHARED", {})
    monkeypatch.setattr(e5, "load_e5_file", lambda layers=None: Parsed(object()))
    monkeypatch.setattr(e5, "build_tokenizer", _slow_counter(tokenizers))
    monkeypatch.setattr(e5, "build_encoder", lambda data: data)
    pairs = _at_once(e5.load_e5)
    assert len(tokenizers) == 1 and all(t is pairs[0][1] for _, t in pairs)
    assert all(parsed.word_blocks is pairs[0][0].word_blocks for parsed, _ in pairs)


# --- messages: a model named by an environment variable ----------------------------------


@pytest.mark.parametrize("variable", ["PROPSCOPE_MODEL", "PROPSCOPE_MULTILINGUAL_MODEL"])
def test_a_bad_model_variable_is_named_in_its_error(monkeypatch, tmp_path, variable) -> None:
    """A bad $PROPSCOPE_MODEL told an API user to "omit --model", never naming the
    variable."""
    monkeypatch.setenv(variable, str(tmp_path))
    load = tagger.load_model if variable == "PROPSCOPE_MODEL" else tagger.load_multilingual_model
    with pytest.raises(ModelError) as caught:
        load()
    message = str(caught.value)
    assert message.startswith(f"${variable}: '{tmp_path}' is not a propscope model directory")
    assert "unset it to use the shipped model" in message and "--model" not in message


def test_analyze_names_the_variable_too(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PROPSCOPE_MODEL", str(tmp_path))
    with pytest.raises(ModelError, match=r"^\$PROPSCOPE_MODEL: "):
        propscope.analyze(ENGLISH, language="en")


def test_a_model_given_as_a_path_keeps_its_advice(tmp_path) -> None:
    with pytest.raises(ModelError, match="omit --model") as caught:
        tagger.load_model(tmp_path)
    assert "$PROPSCOPE" not in str(caught.value)


@pytest.mark.parametrize("variable", ["PROPSCOPE_MODEL", "PROPSCOPE_MULTILINGUAL_MODEL"])
def test_a_model_variable_expands_the_home_folder(monkeypatch, tmp_path, variable) -> None:
    """PROPSCOPE_MODEL='~/x' was read as a folder named '~' in the working directory (the
    database path in $PROPSCOPE_DB_URL is expanded)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(variable, "~/models/mine")
    if variable == "PROPSCOPE_MODEL":
        assert tagger.model_path() == tmp_path / "models" / "mine"
    load = tagger.load_model if variable == "PROPSCOPE_MODEL" else tagger.load_multilingual_model
    with pytest.raises(ModelError, match=f"'{tmp_path / 'models' / 'mine'}' is not a propscope"):
        load()
