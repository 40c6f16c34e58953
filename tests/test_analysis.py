"""The shipped model on the bundled example: real findings, valid offsets, right speakers."""

from __future__ import annotations

import json

import pytest
from builders import grows_linearly
from rich.console import Console

from propscope import analyze
from propscope.corpora import load_semeval2023
from propscope.errors import InputError
from propscope.io.submission import st3_rows
from propscope.report.html import render_html
from propscope.report.terminal import article_level, totals
from propscope.schema import Analysis
from propscope.taxonomy import CATEGORY_OF, TECHNIQUES


def _spans_over(analysis: Analysis, phrase: str):
    start = analysis.text.index(phrase)
    end = start + len(phrase)
    return [s for s in analysis.spans if s.start < end and s.end > start]


def test_offsets_index_the_text_as_given(example_analysis):
    a = example_analysis
    assert a.spans, "the example is full of persuasion; the model must find some"
    for s in a.spans:
        assert a.text[s.start : s.end] == s.text
        assert s.text == s.text.strip(" \n.,;:"), "spans are trimmed like the PTC gold spans"
        assert s.technique in TECHNIQUES and s.category == CATEGORY_OF[s.technique]
        assert 0.0 <= s.confidence <= 1.0
        assert s.explanation


def test_flags_fake_organization_in_the_officials_words(model, example_path):
    """The official calls Amnesty a "fake organization": at high sensitivity the phrase is
    flagged as name calling or loaded language, and it is his, not the journalist's. (Which
    of the two labels wins was a knife edge: 0.26 against 0.16 with the int8 encoder on one
    CPU, the other label on an AVX2 CPU; the test asks for what is robust.)"""
    from propscope.io.readers import read_article_file

    high = analyze(read_article_file(example_path), model, sensitivity="high")
    found = _spans_over(high, "fake organization")
    assert found, "'fake organization' is not flagged"
    assert any(
        s.technique in ("Name_Calling-Labeling", "Loaded_Language")
        and s.voice == "quoted"
        and "Hajiyev" in (s.speaker or "")
        for s in found
    ), [(s.text, s.technique, s.speaker) for s in found]


def test_finds_loaded_language_disgust_and_antipathy(example_analysis):
    found = _spans_over(example_analysis, "disgust and antipathy")
    assert found, "'disgust and antipathy' is not flagged"
    assert any(
        s.technique in ("Loaded_Language", "Appeal_to_Fear-Prejudice", "Exaggeration-Minimisation")
        and s.category in ("Manipulative wording", "Justification")
        for s in found
    ), [(s.text, s.technique) for s in found]


def test_quoted_official_not_the_journalist(example_analysis):
    a = example_analysis
    for phrase in ("fake organization", "disgust and antipathy"):
        for s in _spans_over(a, phrase):
            assert s.voice == "quoted" and "Hajiyev" in (s.speaker or ""), (s.text, s.speaker)
    not_author = a.summary.spans - a.summary.by_voice.get("author", 0)
    assert not_author >= 0.7 * a.summary.spans, a.summary.by_voice
    top_speaker = next(iter(a.summary.by_speaker))
    assert "Hajiyev" in top_speaker


def test_debris_is_not_analysed(example_analysis):
    a = example_analysis
    tail = a.text.index("You Might Also Like")
    assert any(start <= tail < end for start, end in a.article.debris)
    assert all(s.end <= tail for s in a.spans)
    debris = [p for p in a.paragraphs if p.is_debris]
    assert debris and all(not p.techniques for p in debris)


def test_paragraph_sets_and_totals_agree(example_analysis, model):
    """English paragraph techniques are those of the spans touching the paragraph plus the
    probe's on the tagger's token probabilities (recomputed here from the tagger's encoding);
    each one is listed with its probability."""
    from propscope.models.paragraph_encoder import (
        TOKEN_PROBABILITIES,
        TOKEN_PROBE_FILE,
        load_paragraph_probe,
        token_probability_features,
    )

    a = example_analysis
    probe = load_paragraph_probe(model.path, TOKEN_PROBE_FILE)
    assert probe.meta["features"] == TOKEN_PROBABILITIES and probe.meta["languages"] == ["en"]
    encoded = model.encode(a.text, a.article.debris, keep_hidden=False)
    bounds = [(p.start, p.end) for p in a.paragraphs]
    matrix = probe.probabilities(token_probability_features(encoded, bounds))
    extra = only_spans = 0
    for p, row in zip(a.paragraphs, matrix, strict=True):
        if p.is_debris:
            continue
        from_spans = {s.technique for s in a.spans if s.start < p.end and s.end > p.start}
        threshold = probe.thresholds["en"]
        from_probe = {t for t, v in zip(probe.labels, row, strict=True) if v >= threshold}
        assert set(p.techniques) == from_spans | from_probe, p.index
        assert set(p.techniques) <= set(p.technique_probabilities)
        assert set(p.model_techniques) == from_probe, p.index
        extra += len(from_probe - from_spans)
        only_spans += len(from_spans - from_probe)
    assert extra > 0  # the probe reads evidence below the span threshold
    # The ST3 export writes the probe's own sets (which scored higher held out); here at least
    # one highlighted technique is in the report's paragraph set but not in the export's.
    assert only_spans > 0
    assert [r.techniques for r in st3_rows([a])] == [p.model_techniques for p in a.paragraphs]
    assert sum(a.summary.by_technique.values()) == a.summary.spans == len(a.spans)
    assert sum(a.summary.by_category.values()) == len(a.spans)
    assert 0.0 < a.summary.coverage < 1.0


def test_json_round_trip(example_analysis):
    payload = json.loads(example_analysis.model_dump_json())
    assert Analysis.model_validate(payload) == example_analysis
    assert payload["schema_version"] == "1.1"
    assert payload["model"]["name"] == "propscope-span-tagger"


def test_plain_string_and_threshold(model):
    text = "The corrupt regime lies again. Its cowardly thugs terrorise the brave people."
    loose = analyze(text, model, threshold=0.05)
    strict = analyze(text, model, threshold=0.95)
    assert len(loose.spans) >= len(strict.spans)
    assert loose.spans, "an obviously loaded sentence yields findings at a low threshold"
    assert loose.article.id == "text"


def test_neutral_text_is_nearly_clean(model):
    text = (
        "The city council met on Tuesday to discuss the budget for next year.\n\n"
        "The meeting lasted two hours and the budget was approved by seven votes to two."
    )
    assert len(analyze(text, model).spans) <= 1


def test_empty_text_is_refused(model):
    from propscope.errors import InputError

    with pytest.raises(InputError):
        analyze("   \n ", model)


def test_findings_do_not_depend_on_the_number_of_threads(model, example_path):
    """Different thread counts change the order of floating-point sums, as different CPUs
    (AVX2, AVX-512) do; findings must not move. The int8 encoder failed this across CPUs,
    so the shipped default is fp32."""
    import torch

    from propscope.analysis import analyze as run
    from propscope.io.readers import read_article_file

    assert not model.quantized
    article = read_article_file(example_path)
    before = torch.get_num_threads()
    try:
        results = []
        for threads in (1, 2):
            torch.set_num_threads(threads)
            results.append(run(article, model, sensitivity="high"))
    finally:
        torch.set_num_threads(before)
    one, two = ([(s.start, s.end, s.technique) for s in r.spans] for r in results)
    assert one == two
    for a, b in zip(results[0].spans, results[1].spans, strict=True):
        assert abs(a.confidence - b.confidence) < 1e-3


def test_techniques_the_model_never_saw_are_named_in_every_output(example_analysis, data_dir):
    """The English training spans hold no example of some of the 23 techniques: the analysis
    says which, so that a reader does not take their absence for a clean bill."""
    seen = {t for a in load_semeval2023("en", data_dir) for t, _, _ in a.spans}
    unseen = tuple(t for t in TECHNIQUES if t not in seen)
    assert example_analysis.model.untrained_techniques == unseen
    assert "Questioning_the_Reputation" in unseen and "Loaded_Language" not in unseen
    assert not set(unseen) & {s.technique for s in example_analysis.spans}
    again = Analysis.model_validate_json(example_analysis.model_dump_json())
    assert again.model.untrained_techniques == unseen
    html = render_html([example_analysis])
    assert "Not trained to find" in html and "Questioning the reputation" in html
    console = Console(record=True, width=200)
    console.print(totals(example_analysis))
    assert "not trained to find" in console.export_text()


def test_a_model_trained_on_all_techniques_names_none(data_dir):
    french = load_semeval2023("fr", data_dir)[0]
    assert analyze(french.text, language="fr").model.untrained_techniques == ()


def test_english_genre_says_it_was_learned_from_other_languages(example_analysis, data_dir):
    """English genre labels are not fitted (train_multilingual.GENRE_LABEL_LANGUAGES): the
    analysis says its genre is zero-shot, and the reports say so in words."""
    assert example_analysis.genre.zero_shot is True
    again = Analysis.model_validate_json(example_analysis.model_dump_json())
    assert again.genre.zero_shot is True
    assert "learned from other languages" in render_html([example_analysis])
    console = Console(record=True, width=200)
    console.print(article_level(example_analysis))
    assert "learned from other languages" in console.export_text()
    french = analyze(load_semeval2023("fr", data_dir)[0].text, language="fr")
    assert french.genre.zero_shot is False
    assert "learned from other languages" not in render_html([french])


def test_paragraph_spans_found_in_one_pass_equal_the_scan(model):
    """`_touching_by_paragraph` (bisection) gives every paragraph the spans `spans_touching`
    (a scan of all spans) gives it, on an article with empty lines, one-line paragraphs and
    spans across paragraph breaks."""
    from propscope.analysis import _touching_by_paragraph, spans_touching
    from propscope.article import Article

    text = (
        "Corrupt traitors are destroying our great nation!\n\n"
        "They lie.\nThey always lie, and the elite lies with them!\n\n\n"
        "A calm sentence about the weather follows here.\n"
        "These shameless crooks must be stopped before it is too late!"
    )
    article = Article.from_text(text)
    result = analyze(article, model, threshold=0.2)
    assert result.spans
    whole = result.spans[0].model_copy(update={"start": 0, "end": len(text)})
    spans = [*result.spans, whole]  # one span over every paragraph
    found = _touching_by_paragraph(article, spans)
    assert found == [spans_touching(p.start, p.end, spans) for p in article.paragraphs]
    assert any(len(t) > 1 for t in found)


def test_the_best_window_found_by_bisection_equals_the_scan(model):
    """`SpanTagger._best_window` looks only at the windows that share a token with the span;
    on random spans over many windows it picks what the scan over all windows picked."""
    import random

    def scan(starts, n, first, last):
        def margin(w0):
            w1 = min(w0 + model.window, n) - 1
            if first >= w0 and last <= w1:
                return min(first - w0, w1 - last)
            return -1e6 + min(last, w1) - max(first, w0)

        return max(range(len(starts)), key=lambda w: margin(starts[w]))

    from propscope.models.windows import window_starts

    rng = random.Random(7)
    for n in (5, model.window, model.window + 1, 3000, 20000):
        starts = window_starts(n, model.window, model.stride)
        for _ in range(300):
            first = rng.randrange(n)
            last = min(n - 1, first + rng.randrange(60))
            assert model._best_window(starts, n, first, last) == scan(starts, n, first, last)


def test_the_terminal_article_of_many_findings_is_no_quadratic_slicing(example_analysis):
    # A guard, not a benchmark: the highlighted article was once a styled text sliced at
    # every finding's number (3,000 findings: about 15 s); a sweep styles each piece (0.04 s),
    # and four times as many findings take about four times as long.
    from propscope.report.terminal import article_text

    first = example_analysis.spans[0]
    longs: dict[int, Analysis] = {}

    def long(findings: int) -> Analysis:
        """The example with ``findings`` spans, 50 characters apart, and debris at the end."""
        if findings not in longs:
            spans = tuple(
                first.model_copy(update={"start": i * 50, "end": i * 50 + 30})
                for i in range(findings)
            )
            end = 50 * findings
            article = example_analysis.article.model_copy(update={"debris": ((end - 100, end),)})
            longs[findings] = example_analysis.model_copy(
                update={"text": "word " * (10 * findings), "spans": spans, "article": article}
            )
        return longs[findings]

    assert grows_linearly(lambda findings: article_text(long(findings)), 300) < 8
    text = article_text(long(3000))
    assert text.plain.count("[") == 3000 and text.plain.endswith("word ")
    styles = [str(s.style) for s in text.spans]
    assert styles.count("bold") == 3000  # the numbers
    assert sum("on #" in s for s in styles) == 3000  # the highlights
    assert "dim strike" in styles  # the debris, cut where numbers fall inside it


def test_label_spans_refuses_a_span_past_the_article(model):
    """A TC template whose span ends past its article (the wrong --articles folder) would be
    labelled from characters that are not there."""
    from propscope.analysis import label_spans
    from propscope.io.formats import FLCRow

    texts = {"123": "Short article about the corrupt elite."}
    with pytest.raises(InputError, match="span 0-99999 of article 123 ends past the article's 38"):
        label_spans([FLCRow("123", "?", 0, 10), FLCRow("123", "?", 0, 99999)], texts, model)
    assert label_spans([FLCRow("123", "?", 0, 38)], texts, model)[0].technique != "?"


def test_arguments_of_the_wrong_type_or_value_are_refused_by_name():
    """analyze(None), analyze(b"...") and analyze(5) raised AttributeError ('... has no
    attribute text'), language=5 AttributeError 'strip', threshold="x" a TypeError deep in
    the tagger, and an unknown sensitivity was silently ignored. Each is refused before any
    work, naming the argument and what it takes."""
    text = "A headline\n\nThe corrupt elite are destroying our great nation, and they lie."
    for article, shown in ((None, "not None"), (b"text", "not bytes; decode"), (5, "not int")):
        with pytest.raises(TypeError, match=f"str .* or a propscope.Article, {shown}"):
            analyze(article)
    with pytest.raises(TypeError, match=r"language must be a language code .* not int"):
        analyze(text, language=5)
    for threshold, kind in (("x", "str"), (True, "bool"), ([0.5], "list")):
        with pytest.raises(TypeError, match=f"threshold must be a number .* not {kind}"):
            analyze(text, threshold=threshold)
    for threshold in (1.5, -0.1, float("nan"), 10**5000):
        with pytest.raises(InputError, match="threshold must be between 0 and 1"):
            analyze(text, threshold=threshold)
    for sensitivity in ("extreme", "High", 1):
        with pytest.raises(InputError, match="sensitivity .*use one of strict, balanced, high"):
            analyze(text, sensitivity=sensitivity)


@pytest.mark.parametrize("sensitivity", ["balanced", "high"])
def test_a_run_of_punctuation_is_never_a_finding(model, example_path, sensitivity):
    # round-10 tester: "--- !!! ?" separator lines were Loaded language at 45%
    lines = example_path.read_text(encoding="utf-8").split("\n")
    text = "\n".join(line + ("\n!!!" if i % 2 else "\n--- !!! ?") for i, line in enumerate(lines))
    spans = analyze(text, model, sensitivity=sensitivity).spans
    assert spans and all(any(c.isalnum() for c in text[s.start : s.end]) for s in spans)


@pytest.mark.parametrize("debris", ["Advertisement", "Read more: Armenia shells Ganja again"])
def test_a_debris_line_between_paragraphs_changes_no_finding(model, example_path, debris):
    """Debris is left out of what the network reads and of the paragraphs quotes are
    attributed across: an ad line inserted between two of the official's paragraphs moves
    the findings after it by its length and changes nothing else (round-12 tester)."""
    text = example_path.read_text(encoding="utf-8")
    cut = text.index("\n\n“If Armenia is so worried") + 2
    inserted = debris + "\n\n"
    changed = text[:cut] + inserted + text[cut:]
    before = analyze(text, model, sensitivity="high")
    after = analyze(changed, model, sensitivity="high")
    assert any(changed[s:e].strip() == debris for s, e in after.article.debris)

    def shifted(span):
        move = len(inserted) if span.start >= cut else 0
        return (span.start + move, span.end + move, span.technique, span.voice, span.speaker)

    assert [shifted(s) for s in before.spans] == [
        (s.start, s.end, s.technique, s.voice, s.speaker) for s in after.spans
    ]
    assert [round(s.confidence, 6) for s in before.spans] == [
        round(s.confidence, 6) for s in after.spans
    ]
