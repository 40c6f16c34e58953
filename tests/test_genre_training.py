"""Genre training: the labels it fits, what it scores zero-shot, and the shipped choice.

Features here are the style features of real SemEval-2023 articles (the encoder's pooled
states cost a minute for the whole corpus; ``propscope train-multilingual`` uses both).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

# English satire has 2 articles: fewer than the folds, which scikit-learn points out
pytestmark = pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")


@pytest.fixture(scope="module")
def corpus(data_dir):
    from propscope.io.formats import read_st1
    from propscope.models.genre import genre_style
    from propscope.train_multilingual import LANGUAGE_CODES

    ids, langs, labels, rows = [], [], [], []
    for folder, code in LANGUAGE_CODES.items():
        root = data_dir / "semeval2023_task3" / folder
        rows_of = read_st1(root / "train-labels-subtask-1.txt")
        # every reporting and satire article, and the first 40 opinion ones
        opinion = [r for r in rows_of if r.label == "opinion"][:40]
        for row in [r for r in rows_of if r.label != "opinion" or r in opinion]:
            path = root / "train-articles-subtask-1" / f"article{row.article_id}.txt"
            rows.append(genre_style(path.read_text(encoding="utf-8"), code))
            ids.append(row.article_id)
            langs.append(code)
            labels.append(row.label)
    return np.vstack(rows), ids, langs, labels


def _shuffled(labels: list[str], langs: list[str], lang: str) -> list[str]:
    """The labels with one language's shuffled among its own articles."""
    chosen = [i for i, code in enumerate(langs) if code == lang]
    values = [labels[i] for i in chosen]
    random.Random(3).shuffle(values)
    out = list(labels)
    for i, value in zip(chosen, values, strict=True):
        out[i] = value
    assert out != labels
    return out


def test_a_language_outside_the_label_languages_is_scored_zero_shot(corpus):
    from propscope.train_multilingual import GENRE_LABEL_LANGUAGES, genre_cross_validation

    x, ids, langs, labels = corpus
    assert "en" not in GENRE_LABEL_LANGUAGES
    scores, temperature = genre_cross_validation(x, ids, langs, labels, 0.5, GENRE_LABEL_LANGUAGES)
    assert set(scores) == {"en", "fr", "de", "it", "pl", "ru"} and temperature > 0
    # English labels are never fitted: shuffling them changes no prediction of any article
    again, _ = genre_cross_validation(
        x, ids, langs, _shuffled(labels, langs, "en"), 0.5, GENRE_LABEL_LANGUAGES
    )
    for lang in scores:
        assert again[lang]["reporting_predicted"] == scores[lang]["reporting_predicted"]
    assert again["fr"] == scores["fr"]
    # ... while with English among the label languages, they move its predictions
    six = ("en", *GENRE_LABEL_LANGUAGES)
    fitted, _ = genre_cross_validation(x, ids, langs, labels, 0.5, six)
    shuffled, _ = genre_cross_validation(x, ids, langs, _shuffled(labels, langs, "en"), 0.5, six)
    assert fitted["en"] != shuffled["en"]


def test_leave_one_language_out_never_sees_the_held_language(corpus):
    from propscope.train_multilingual import GENRE_LABEL_LANGUAGES, leave_one_language_out

    x, _, langs, labels = corpus
    zero_shot = leave_one_language_out(x, langs, labels, 0.5, GENRE_LABEL_LANGUAGES)
    assert set(zero_shot) == set(GENRE_LABEL_LANGUAGES)
    assert all(0.0 <= v <= 1.0 for v in zero_shot.values())
    # a language outside the label languages is neither fitted nor scored
    plain = leave_one_language_out(x, langs, labels, 0.5, ("fr", "de", "pl"))
    shuffled = leave_one_language_out(
        x, langs, _shuffled(labels, langs, "it"), 0.5, ("fr", "de", "pl")
    )
    assert shuffled == plain and set(plain) == {"fr", "de", "pl"}


def test_the_shipped_genre_model_fits_five_languages_and_says_so():
    from propscope.models.genre import PooledGenreModel
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL
    from propscope.train_multilingual import GENRE_LABEL_LANGUAGES

    model = PooledGenreModel.load(SHIPPED_MULTILINGUAL_MODEL)
    meta = model.meta
    assert meta["label_languages"] == list(GENRE_LABEL_LANGUAGES)
    assert "zero-shot: en" in meta["trained_on"]
    cv, with_all = meta["cross_validation"]["per_language"], meta["with_all_labels"]["per_language"]
    # why English labels are left out: the features cannot tell its reporting from opinion
    # (near-chance AUC, where the five are well above), so fitting them taught the prior
    assert with_all["en"]["reporting_auc"] < 0.6
    assert all(cv[lang]["reporting_auc"] > 0.65 for lang in GENRE_LABEL_LANGUAGES)
    assert with_all["en"]["reporting_predicted"] < 0.15 * 351 < cv["en"]["reporting_predicted"]
    assert set(meta["leave_one_language_out"]) == set(GENRE_LABEL_LANGUAGES)


def test_genre_reads_layer_6_and_runs_no_layer_above_it(example_path):
    import torch

    from propscope.models.genre import FORMER_LAYERS, PooledGenreModel
    from propscope.models.multilingual import frozen_features
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL
    from propscope.models.windows import pad_batch

    shipped = PooledGenreModel.load(SHIPPED_MULTILINGUAL_MODEL)
    assert shipped.layers == (6,)
    parts = (shipped.classes, shipped.coef, shipped.intercept, shipped.mean, shipped.scale)
    older = PooledGenreModel(*parts, {})
    assert older.layers == FORMER_LAYERS == (9, 6)  # a genre file from before says nothing

    encoder, tokenizer = frozen_features()
    ids = tokenizer.encode(example_path.read_text(encoding="utf-8"))[0][:200]
    batch = pad_batch([[tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]], 1)
    ran: list[int] = []
    hooks = [
        layer.register_forward_hook(lambda *_, i=i: ran.append(i))
        for i, layer in enumerate(encoder.bert.encoder.layer, start=1)
    ]
    try:
        both = encoder.features(*batch, layers=(9, 6))
        assert ran == list(range(1, 10))
        ran.clear()
        six = encoder.features(*batch, layers=(6,))
        assert ran == list(range(1, 7))
    finally:
        for hook in hooks:
            hook.remove()
    assert torch.equal(six, both[..., 384:])  # layer 6 is the second block of (9, 6)


@pytest.mark.slow
def test_train_genre_reproduces_the_shipped_genre_model(tmp_path, data_dir):
    """`python -m propscope.train_multilingual --genre-only` (1 to 5 minutes) rebuilds the
    shipped genre file: same C, same records, the same coefficients up to float noise."""
    from propscope.models.genre import PooledGenreModel
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL
    from propscope.train_multilingual import train_genre

    meta = train_genre(tmp_path, data_dir, cache=None, log=lambda _: None)
    rebuilt = PooledGenreModel.load(tmp_path)
    shipped = PooledGenreModel.load(SHIPPED_MULTILINGUAL_MODEL)
    assert meta["C"] == shipped.meta["C"] and rebuilt.layers == shipped.layers
    # equal on the CPU that trained it; another instruction set may flip an article or two
    for lang, score in shipped.meta["leave_one_language_out"].items():
        assert meta["leave_one_language_out"][lang] == pytest.approx(score, abs=0.02)
    for lang, row in shipped.meta["cross_validation"]["per_language"].items():
        got = meta["cross_validation"]["per_language"][lang]["macro_f1"]
        assert got == pytest.approx(row["macro_f1"], abs=0.02)
    assert np.allclose(rebuilt.coef, shipped.coef, atol=1e-4)
    assert np.allclose(rebuilt.intercept, shipped.intercept, atol=1e-4)
