"""Round 11 review: retrain's guard reads `--output '~/ft'` where the model is written, batch
--reanalyse tells the shipped English and multilingual models apart (both 0.1.0), the
model-path rule is one torch-free module, every model-cache lock is free in a forked child,
and two runs of tokens in one word make one span."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from builders import analysis, span

TEXT = "The corrupt, treacherous regime lied again. These criminals must be stopped now!"


# --- 1. check_replaced_model expands ~ -------------------------------------------------------


def finetuned(folder: Path) -> Path:
    folder.mkdir(parents=True)
    meta = {"name": "propscope-span-tagger", "version": "0.1.0+ft.abc", "finetuned": {}}
    (folder / "propscope.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_retrain_refuses_to_replace_a_finetuned_model_named_with_a_tilde(tmp_path, monkeypatch):
    from propscope.errors import InputError
    from propscope.retrain import check_replaced_model

    home = tmp_path / "home"
    finetuned(home / "ft")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PROPSCOPE_MODEL", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./~ here: '~/ft' is only the model in HOME
    with pytest.raises(InputError, match="holds a fine-tuned model"):
        check_replaced_model(Path("~/ft"), None)
    # $PROPSCOPE_MODEL='~/ft' is that model: fine-tuning it further is what the user asked
    monkeypatch.setenv("PROPSCOPE_MODEL", "~/ft")
    check_replaced_model(Path("~/ft"), None)
    check_replaced_model(home / "ft", None)


# --- 2. batch --reanalyse compares the model's name too ---------------------------------------


class Named:
    """An engine that analyses nothing: each article gets a hand-made analysis named and
    versioned as the model its ``model_path`` names (a shipped model's name or a folder)."""

    name, workers = "hand-made", 1

    def __init__(self, model_path: str | None) -> None:
        from propscope.models.paths import model_path as chosen

        meta = json.loads((chosen(model_path) / "propscope.json").read_text(encoding="utf-8"))
        self.model_path, self.meta, self.received = model_path, meta, []

    def analyse(self, articles):
        from propscope.batch import Outcome

        for article in articles:
            self.received.append(article.id)
            i = article.text.index("corrupt")
            made = analysis(article.text, [span(article.text, i, i + 7)])
            model = made.model.model_copy(
                update={"name": self.meta["name"], "version": self.meta["version"]}
            )
            info = made.article.model_copy(update={"id": article.id})
            yield Outcome(article, made.model_copy(update={"model": model, "article": info}))

    def close(self) -> None:
        pass


def test_batch_reanalyse_tells_the_multilingual_model_from_the_english_one(tmp_path, corpus_db_url):
    """Both shipped models are 0.1.0: `batch --model multilingual --reanalyse` over a
    database the default model built reanalysed nothing and said nothing."""
    from propscope.batch import run_batch
    from propscope.store import Store

    records = [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + " Again."}]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(corpus_db_url)
    assert run_batch(corpus, store, Named(None)).analysed == 2
    key = store.content_hash(TEXT)
    assert store.stored_model(key) == ("0.1.0", "en", "propscope-span-tagger")

    engine = Named("multilingual")
    summary = run_batch(corpus, store, engine)
    assert (summary.analysed, summary.skipped, engine.received) == (0, 2, [])
    assert summary.other_versions == {"propscope-span-tagger 0.1.0": 2}
    assert summary.model_version == "propscope-multilingual-span-tagger 0.1.0"

    summary = run_batch(corpus, store, engine, reanalyse=True)
    assert (summary.analysed, summary.reanalysed) == (2, 2)
    assert store.stored_model(key) == ("0.1.0", "en", "propscope-multilingual-span-tagger")
    again = run_batch(corpus, store, engine, reanalyse=True)
    assert (again.analysed, again.skipped, again.other_versions) == (0, 2, {})
    # and back: the English model reanalyses what the multilingual one stored
    back = run_batch(corpus, store, Named("english"), reanalyse=True)
    assert back.reanalysed == 2


# --- 3. one torch-free model-path rule --------------------------------------------------------


def test_the_model_path_rule_is_one_torch_free_module():
    from propscope.models import paths, tagger

    for name in (
        "model_path",
        "SHIPPED_MODEL",
        "SHIPPED_MODELS",
        "SHIPPED_MULTILINGUAL_MODEL",
        "MODEL_VARIABLE",
        "MULTILINGUAL_VARIABLE",
        "_from_environment",
    ):
        assert getattr(tagger, name) is getattr(paths, name), name
    code = (
        "import sys, propscope.models.paths, propscope.batch\n"
        "propscope.batch.active_model('multilingual')\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_batch_reads_the_model_the_engine_loads(tmp_path, monkeypatch):
    from propscope.batch import active_model
    from propscope.models.paths import SHIPPED_MULTILINGUAL_MODEL, model_path

    monkeypatch.setenv("HOME", str(tmp_path))
    for given, env in ((None, "~/m"), (None, "multilingual"), ("english", None), ("x", None)):
        if env is None:
            monkeypatch.delenv("PROPSCOPE_MODEL", raising=False)
        else:
            monkeypatch.setenv("PROPSCOPE_MODEL", env)
        active = active_model(given)
        expected = model_path(given)
        assert (active.path if active else None) == (
            expected if (expected / "propscope.json").is_file() else None
        )
    monkeypatch.setenv("PROPSCOPE_MODEL", "multilingual")
    assert active_model(None).path == SHIPPED_MULTILINGUAL_MODEL


# --- 4. every model-cache lock is free in a forked child --------------------------------------


def _acquire_in_child(module: str, name: str, answer) -> None:
    import importlib

    got = getattr(importlib.import_module(module), name).acquire(timeout=10)
    answer.put(got)


@pytest.mark.skipif(sys.platform != "linux", reason="the fork start method")
@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("propscope.models.tagger", "_LOCKS_LOCK"),
        ("propscope.models.article_classifiers", "_LOAD_LOCK"),
        ("propscope.models.genre", "_LOCK"),
        ("propscope.models.frames", "_LOCK"),
        ("propscope.models.e5", "_SHARED_LOCK"),
        ("propscope.models.multilingual", "_FROZEN_LOCK"),
        ("propscope.models.paragraph_encoder", "_LOCK"),
    ],
)
def test_a_model_cache_lock_held_at_a_fork_is_free_in_the_child(module, name):
    import importlib
    import multiprocessing

    lock = getattr(importlib.import_module(module), name)
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            done.wait(60)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(10)
    try:
        context = multiprocessing.get_context("fork")
        answer = context.Queue()
        child = context.Process(target=_acquire_in_child, args=(module, name, answer))
        child.start()
        got = answer.get(timeout=30)
        child.join(30)
    finally:
        done.set()
        holder.join(10)
    assert got, f"{module}.{name} stayed held in the forked child"


# --- 6. two runs of tokens in one word are one span -------------------------------------------


def test_two_runs_in_one_word_make_one_span():
    """ "an|thro po|gen en" with "po" under the threshold: two runs, both grown to the whole
    word; detect keeps one span (it kept the same span twice)."""
    from propscope.models.tagger import DEFAULT_DECODING, Encoded, SpanTagger
    from propscope.models.windows import TokenizedText

    text = "Die anthropogenen Effekte"
    pieces = [(0, 3), (4, 6), (6, 10), (10, 12), (12, 15), (15, 17), (18, 25)]
    p_any = [0.0, 0.9, 0.9, 0.0, 0.9, 0.9, 0.0]
    tokens = TokenizedText(list(range(len(pieces))), [a for a, _ in pieces], [b for _, b in pieces])
    probs = np.zeros((len(pieces), 2), dtype=np.float32)
    probs[:, 0] = p_any
    encoded = Encoded(text, tokens, probs, [0], None)
    tagger = object.__new__(SpanTagger)  # detect reads only the decoding and the language
    tagger.decoding, tagger.language = dict(DEFAULT_DECODING), None
    spans = tagger.detect(encoded, threshold=0.5, gap=0, min_chars=1, extend=1.0, repeat=False)
    assert [(s, e) for s, e, _ in spans] == [(4, 17)]
    assert text[4:17] == "anthropogenen"
    assert spans[0][2] == pytest.approx(np.mean(p_any[1:6]))
