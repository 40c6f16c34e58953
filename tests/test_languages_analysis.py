"""French, German, Italian, Polish and Russian news get technique spans with speakers.

The texts in tests/fixtures/languages/ were written for these tests (one news item per
language with the same shape: an official's loaded, name-calling quotes and a black-and-white
ultimatum, then neutral reporting)."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope import analyze
from propscope.io.readers import read_article_file
from propscope.taxonomy import TECHNIQUES

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
LANGUAGES = ("fr", "de", "it", "pl", "ru")


@pytest.fixture(scope="module")
def multilingual():
    from propscope.models.tagger import load_multilingual_model

    return load_multilingual_model()


@pytest.fixture(scope="module", params=LANGUAGES)
def analysis(request, multilingual, model):
    article = read_article_file(FIXTURES / f"{request.param}.txt")
    return request.param, analyze(article, model, sensitivity="high")


def test_spans_index_the_text_and_are_labelled(analysis):
    lang, a = analysis
    assert a.language.code == lang and a.language.spans
    assert a.model.name == "propscope-multilingual-span-tagger"
    assert a.spans, f"no span found in the {lang} article"
    for s in a.spans:
        assert a.text[s.start : s.end] == s.text
        assert s.technique in TECHNIQUES and 0.0 <= s.confidence <= 1.0 and s.explanation


def test_the_ministers_words_are_his(analysis):
    lang, a = analysis
    quoted = [s for s in a.spans if s.voice == "quoted"]
    assert quoted, [(s.text, s.voice) for s in a.spans]
    surnames = {"fr": "Morel", "de": "Berger", "it": "Rinaldi", "pl": "Kowalski", "ru": "Петров"}
    assert any(
        surnames[lang] in (s.speaker or "") or "minist" in (s.speaker or "").lower() for s in quoted
    ), [(s.text, s.speaker) for s in quoted]


def test_paragraph_sets_agree_with_spans_or_classifier(analysis):
    lang, a = analysis
    assert [p.index for p in a.paragraphs] == [1, 3, 5, 7]
    labelled = {t for p in a.paragraphs for t in p.techniques}
    assert labelled, "the loaded paragraphs get techniques"


def test_paragraph_techniques_come_from_the_token_probe_and_the_spans(analysis):
    """The probe on the tagger's token probabilities (held out above the e5 probe and the
    n-gram models in all five languages) and the spans set the paragraph techniques: every
    technique of a span touching the paragraph is listed, every other one reached the
    language's threshold, and the paragraph of the official's insults scores above the
    closing neutral one."""
    from propscope.analysis import spans_touching
    from propscope.models.paragraph_encoder import (
        TOKEN_PROBABILITIES,
        TOKEN_PROBE_FILE,
        load_paragraph_probe,
    )
    from propscope.models.tagger import SHIPPED_MULTILINGUAL_MODEL

    lang, a = analysis
    probe = load_paragraph_probe(SHIPPED_MULTILINGUAL_MODEL, TOKEN_PROBE_FILE)
    assert lang in probe.meta["languages"] and probe.meta["features"] == TOKEN_PROBABILITIES
    threshold = probe.thresholds[lang]
    for p in a.paragraphs:
        from_spans = {s.technique for s in spans_touching(p.start, p.end, a.spans)}
        assert from_spans <= set(p.techniques)
        for t in set(p.techniques) - from_spans:
            assert p.technique_probabilities[t] >= threshold - 1e-4, (t, p.technique_probabilities)
    top = {p.index: max(p.technique_probabilities.values(), default=0.0) for p in a.paragraphs}
    assert top[3] > top[7], top


ENGLISH_DEBRIS = (
    "\n\nWe use cookies to improve your experience on our website. By continuing to browse you "
    "agree to our use of cookies and our cookie policy.\n\nShare this article on Facebook\n"
    "Follow us on Twitter\nSubscribe to our newsletter for the latest news\n"
    "© 2024 Example Media. All rights reserved.\n"
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_language_is_that_of_the_article_not_of_its_debris(lang, multilingual, model):
    """An English cookie notice and share lines after a short article made it English, read
    by the English tagger: the language is detected on what is analysed."""
    text = (FIXTURES / f"{lang}.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    lead = body.split("\n")[0].split(". ")[0] + "."  # the first sentence alone
    short = f"{title}\n\n{lead}" + ENGLISH_DEBRIS
    a = analyze(short, model)
    assert a.language.code == lang
    assert a.model.name == analyze(text, model).model.name  # the multilingual tagger
