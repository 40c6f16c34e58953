"""``analyze()``: the one path from an article to its analysis (orchestration only)."""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from numbers import Number, Real
from typing import Literal, get_args

import numpy as np

from propscope import taxonomy
from propscope.article import Article
from propscope.errors import InputError, TooLongError, UnsupportedLanguageError
from propscope.io.formats import FLCRow
from propscope.io.readers import read_text
from propscope.io.submission import Taxonomy, technique_name
from propscope.language import (
    ANALYSED,
    SUPPORTED_SPANS,
    contradiction_message,
    detect_language,
    foreign_letters,
    given_language_contradicted,
    language_code,
    language_name,
    own_words,
    require_supported,
)
from propscope.models.article_classifiers import ArticleModels, load_article_models
from propscope.models.frames import load_frame_model
from propscope.models.genre import article_row, load_genre_model
from propscope.models.multilingual import frozen_features
from propscope.models.paragraph_encoder import (
    PARAGRAPH_FILE,
    TOKEN_PROBE_FILE,
    ParagraphProbe,
    load_paragraph_probe,
    paragraph_features,
    token_probability_features,
)
from propscope.models.tagger import (
    SHIPPED_MULTILINGUAL_MODEL,
    RawSpan,
    SpanTagger,
    blanked,
    load_model,
    load_multilingual_model,
)
from propscope.quotes import Quote, attribute, find_quotes
from propscope.report.labels import explanation
from propscope.schema import (
    Alternative,
    Analysis,
    ArticleInfo,
    FramesInfo,
    GenreInfo,
    LanguageInfo,
    ModelInfo,
    ParagraphResult,
    Summary,
    TechniqueSpan,
)

Sensitivity = Literal["strict", "balanced", "high"]
SENSITIVITIES: tuple[str, ...] = get_args(Sensitivity)


def analyze(
    article: Article | str,
    model: SpanTagger | None = None,
    threshold: float | None = None,
    sensitivity: Sensitivity | None = None,
    language: str | None = None,
    article_models: ArticleModels | None = None,
) -> Analysis:
    """Find the persuasion techniques in an article (or a plain text) and who uses them.

    ``sensitivity`` picks a detection threshold tuned on held-out articles: ``strict``
    (precision first: flags only what the model is surer of), ``balanced`` (best F1, the
    default) or ``high`` (recall first). ``threshold`` sets the threshold directly.

    The language is detected unless given. English, French, German, Italian, Polish and
    Russian get spans (English from the MiniLM tagger, the others from the multilingual
    one). Paragraph techniques are those of the spans plus those of whatever scored best
    held out: a probe on the tagger's token probabilities (all six shipped languages), else
    the multilingual encoder's paragraph probe, else (a model directory without a probe)
    the n-gram paragraph classifier. Any other language raises
    ``UnsupportedLanguageError`` (never a silent English analysis of foreign text). Genre and
    frames are predicted for all six.

    An argument of the wrong type raises ``TypeError``, and a threshold outside [0, 1] or an
    unknown sensitivity ``InputError``, each naming the argument and what it accepts.
    """
    _check_arguments(article, threshold, sensitivity, language, model, article_models)
    if isinstance(article, str):
        article = _read_str(article)
    else:
        _check_article_text(article)
    if language is not None:
        code = _given_language(language)
        confidence = 1.0
    else:
        code, confidence = _detected_language(article)
    article_models = article_models or load_article_models()
    if code in SUPPORTED_SPANS:
        model = _tagger_for(code, model)
        if threshold is None and sensitivity is not None:
            threshold = model.sensitivity.get(sensitivity)
        decoding = {} if threshold is None else {"threshold": threshold}
        encoded = model.encode(article.text, article.debris)
        raw = model.spans_of(encoded, **decoding)
        # debris lines are no paragraphs between a quote and its speaker
        said = blanked(article.text, article.debris) if article.debris else article.text
        quotes = _canonical_speakers(find_quotes(said, language=code))
        spans = tuple(_finding(article, quotes, r) for r in raw)
        source = model.paragraph_source(code)
        token_probe, e5_probe = _probe_of(model, TOKEN_PROBE_FILE), _probe_of(model)
        # A paragraph probe beat the n-gram classifier held out: first choice the one on the
        # tagger's token probabilities (no second encoder pass), else the e5 one. With the
        # spans' techniques added, every highlighted technique is in its paragraph's set,
        # a price (0 to 0.03 ST3, README) paid for a report that agrees with itself; the
        # ST3 export writes the probe's own set (`model_techniques`), which does not pay it.
        if _serves(token_probe, code):
            source = "union"
            bounds = [(p.start, p.end) for p in article.paragraphs]
            features = token_probability_features(encoded, bounds)
            classified = partial(_probe_paragraphs, article, code, token_probe, features)
        elif _serves(e5_probe, code):
            source = "union"
            features = partial(_e5_paragraph_features, article, model)
            classified = partial(_probe_paragraphs, article, code, e5_probe, features)
        else:
            classified = partial(_classified_paragraphs, article, code, article_models)
        if source == "spans":
            paragraphs = tuple(_paragraph_results(article, spans))
        elif source == "union":  # spans and classifier together scored best held out
            paragraphs = tuple(
                _union(a, b)
                for a, b in zip(_paragraph_results(article, spans), classified(), strict=True)
            )
        else:  # the paragraph classifier scored better for this language (cross-validated)
            paragraphs = tuple(classified())
        model_info = _model_info(model.meta, {**model.decoding, **decoding})
    else:
        spans = ()
        paragraphs = tuple(_classified_paragraphs(article, code, article_models))
        model_info = _model_info(
            {
                "name": "propscope-paragraph-classifier",
                "encoder": "character n-gram TF-IDF + linear SVM",
                "version": f"articles-{article_models.meta.get('format_version', 1)}",
                "trained_on": str(article_models.meta.get("trained_on", "SemEval-2023 Task 3")),
            },
            {},
        )
    genre, zero_shot, frames, frame_labels = _genre_and_frames(article.text, code, article_models)
    return Analysis(
        article=ArticleInfo(
            id=article.id,
            source=article.source,
            title=article.title,
            characters=len(article.text),
            sentences=len(article.sentences),
            debris=article.debris,
            metadata=dict(article.metadata),
        ),
        text=article.text,
        language=LanguageInfo(
            code=code,
            name=language_name(code),
            confidence=round(confidence, 4),
            spans=code in SUPPORTED_SPANS,
            given=language is not None,
        ),
        genre=GenreInfo(
            label=max(genre, key=genre.get), probabilities=_rounded(genre), zero_shot=zero_shot
        ),
        frames=FramesInfo(
            labels=frame_labels, main=frame_labels[0], probabilities=_rounded(frames)
        ),
        spans=spans,
        paragraphs=paragraphs,
        summary=_summary(article, spans, paragraphs),
        model=model_info,
    )


def _read_str(text: str) -> Article:
    """``read_text(text)``, whose advice for a text over the limit ("raise max_chars") is
    for its own callers: ``analyze()`` has no ``max_chars``, so say how to get one."""
    try:
        return read_text(text)
    except TooLongError as exc:
        raise TooLongError(
            f"the text has {exc.chars:,} characters, more than analyze()'s limit of "
            f"{exc.limit:,} for a str; split it into articles, or read it with "
            "propscope.io.readers.read_text(text, max_chars=...) and analyse that Article",
            exc.chars,
            exc.limit,
        ) from None


def _detected_language(article: Article) -> tuple[str, float]:
    """The language the article's author writes in, and how sure the guess is.

    Read on the article's own paragraphs (an English cookie notice and teaser list after a
    short French article made it English, analysed silently by the English tagger), without
    quoted speech and the title where enough remains (`language.own_words`). A guess whose
    text uses letters that language never does (Sorbian "Polish", Belarusian in Latin
    script) is refused: the detector calls languages it does not know by a neighbour's name.
    """
    words = own_words(*detection_paragraphs(article))
    guess = detect_language(words)
    try:
        code = require_supported(guess.code)
    except UnsupportedLanguageError as exc:
        raise UnsupportedLanguageError(str(exc), guess.confidence) from None
    foreign = foreign_letters(words, code)
    if foreign:
        name = language_name(code)
        raise UnsupportedLanguageError(
            f"text reads like {name} but writes letters {name} does not use "
            f"({', '.join(foreign)}): another language, which propscope does not analyse, or "
            f"text decoded with the wrong character encoding (save it as UTF-8); if it is "
            f"{name}, give its language ({code})"
        )
    return code, guess.confidence


def detection_paragraphs(article: Article) -> tuple[list[str], bool]:
    """The paragraphs the language is detected on (the analysed ones; the whole text when
    none has words), and whether the first is the title."""
    analysable = article.analysable_paragraphs()
    paragraphs = [article.text[p.start : p.end] for p in analysable]
    if not "".join(paragraphs).strip():
        return [article.text], False
    # the paragraph's own flag: a title given apart (the page's, from the extension) may
    # differ from the headline line the text opens with
    return paragraphs, analysable[0].is_title


def given_language_warning(analysis: Analysis, option: str = "--language") -> str | None:
    """A warning when the language the caller gave is contradicted by a sure detection on
    the analysed paragraphs (`language.contradicting_guess`), else None; ``option`` names
    how it was given (``--language``, or the JSON field ``language``). The analysis itself
    stands: the caller's language is the caller's choice.
    """
    guess = given_language_contradicted(analysis)
    if guess is None or analysis.language is None:
        return None
    return contradiction_message(analysis.language.code, guess, option)


def _given_language(language: str) -> str:
    """The ISO code of a language the caller gave, read as everywhere ("EN", "en-GB": en);
    one propscope does not analyse, or a blank, is the caller's choice, not the text's
    ("text is in Ukrainian" blamed an English text)."""
    try:
        code = language_code(language)
    except UnsupportedLanguageError:
        code = None
    if code is None:
        shown = repr(language)
        if len(shown) > 100:  # cut like sensitivity: a 100,000-character value is not echoed
            shown = shown[:99] + "…"
        raise UnsupportedLanguageError(
            f"language {shown} is not one propscope analyses; choose one of "
            f"{', '.join(ANALYSED)}, or None to detect it"
        )
    return code


def _check_arguments(
    article: object,
    threshold: object,
    sensitivity: object,
    language: object,
    model: object = None,
    article_models: object = None,
) -> None:
    """Refuse what ``analyze`` cannot use before any work, in words that name the argument
    (a bytes article, a str threshold or a model's path otherwise failed deep inside, and an
    unknown sensitivity was silently ignored)."""
    if not isinstance(article, Article | str):
        hint = (
            "; decode bytes first, e.g. data.decode('utf-8')"
            if isinstance(article, bytes | bytearray)
            else ""
        )
        raise TypeError(
            "analyze() takes the article as a str (its text) or a propscope.Article, not "
            f"{_kind(article)}{hint}"
        )
    # A path is the easy mistake (the CLI takes --model DIR): values that are plainly no
    # model are refused; another object may stand in for one (a wrapper, a test's stub).
    if isinstance(model, _NOT_A_MODEL):
        raise TypeError(
            "analyze()'s model must be a loaded model (propscope.load_model(DIR)), or None for "
            f"the shipped one, not {_kind(model)}"
        )
    if isinstance(article_models, _NOT_A_MODEL):
        raise TypeError(
            "analyze()'s article_models must be loaded article models "
            "(propscope.models.article_classifiers.load_article_models()), or None for the "
            f"shipped ones, not {_kind(article_models)}"
        )
    if language is not None and not isinstance(language, str):
        raise TypeError(
            "analyze()'s language must be a language code such as 'en' (a str), or None to "
            f"detect it, not {_kind(language)}"
        )
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, Real):
            raise TypeError(
                "analyze()'s threshold must be a number between 0 and 1, or None for the "
                f"model's own, not {_kind(threshold)}"
            )
        if not 0 <= threshold <= 1:  # NaN too
            try:
                shown = repr(float(threshold))
            except OverflowError:
                shown = "a number too large for a float"
            raise InputError(f"analyze()'s threshold must be between 0 and 1, not {shown}")
    if sensitivity is not None and (
        not isinstance(sensitivity, str) or sensitivity not in SENSITIVITIES
    ):
        shown = repr(sensitivity) if isinstance(sensitivity, str) else _kind(sensitivity)
        raise InputError(
            f"unknown sensitivity {shown[:100]}: use one of {', '.join(SENSITIVITIES)}, or None "
            "(the model's balanced threshold)"
        )


# What a caller may pass where a loaded model belongs: a path, a name, a number, data.
_NOT_A_MODEL = (str, bytes, bytearray, os.PathLike, Number, Mapping, Sequence)


def _check_article_text(article: Article) -> None:
    """The checks ``read_text`` makes on a str, for an ``Article`` built without them
    (``Article.from_text``): empty, NUL or a lone surrogate is one ``InputError``, not an
    empty analysis or a tokenizer's TypeError. No length limit: the reader that made the
    article applied its own (``max_chars``)."""
    from propscope.io.readers import check_text

    what = f"'{article.source}'" if article.source else f"article '{article.id}'"
    check_text(article.text, what, max_chars=len(article.text))


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _genre_and_frames(
    text: str, code: str, article_models: ArticleModels
) -> tuple[dict[str, float], bool, dict[str, float], tuple[str, ...]]:
    """Genre probabilities, whether they are zero-shot for this language, frame
    probabilities and the frame set (main frame first).

    Both read one row, the multilingual encoder's pooled states plus style features, when
    the shipped multilingual model has a genre and a frame model (English genre zero-shot,
    see ``train_multilingual.GENRE_LABEL_LANGUAGES``); without them, the per-language
    character n-gram models answer."""
    genre_model = load_genre_model(SHIPPED_MULTILINGUAL_MODEL)
    frame_model = load_frame_model(SHIPPED_MULTILINGUAL_MODEL)
    rows: dict[tuple[int, ...], np.ndarray] = {}

    def row(layers: tuple[int, ...]) -> np.ndarray:
        """[pooled states of ``layers``, style], computed once for both models."""
        if layers not in rows:
            # An adapter tagger holds the frozen layers (no second copy); a fine-tuned one
            # changed its own, so a frozen copy is built once per process.
            tagger = load_multilingual_model() if code != "en" else None
            rows[layers] = article_row(*frozen_features(tagger), text, code, layers)
        return rows[layers]

    if genre_model is not None:
        genre = genre_model.row_probabilities(row(genre_model.layers))
        zero_shot = not genre_model.fitted_on(code)
    else:
        genre, zero_shot = article_models.genre(text, code), False
    if frame_model is not None:
        frames = frame_model.probabilities(row(frame_model.layers))
        return genre, zero_shot, frames, frame_model.labels(frames)
    frames = article_models.frames(text, code)
    return genre, zero_shot, frames, article_models.frame_labels(frames)


def _tagger_for(code: str, model: SpanTagger | None) -> SpanTagger:
    """English: the given or shipped English tagger. Other languages: the given model if it
    was trained for that language, else the shipped multilingual one; either way with the
    threshold and calibration chosen for that language."""
    if model is not None and code in model.languages:
        return model.for_language(code)
    if code == "en":
        return model or load_model()
    return load_multilingual_model().for_language(code)


def _rounded(probabilities: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in sorted(probabilities.items(), key=lambda x: -x[1])}


def _classified_paragraphs(article: Article, code: str, article_models: ArticleModels):
    """Paragraph techniques from the per-language paragraph classifier (no span model)."""
    texts = [article.text[p.start : p.end] for p in article.paragraphs]
    probabilities = article_models.paragraph_techniques(texts, code) if texts else []
    labels = article_models.paragraph_labels(texts, code) if texts else []
    return _predicted_paragraphs(article, probabilities, labels)


def _probe_of(tagger: SpanTagger, name: str = PARAGRAPH_FILE) -> ParagraphProbe | None:
    return None if tagger.path is None else load_paragraph_probe(tagger.path, name)


def _serves(probe: ParagraphProbe | None, code: str) -> bool:
    return probe is not None and code in probe.meta.get("languages", ())


def _e5_paragraph_features(article: Article, tagger: SpanTagger) -> np.ndarray:
    """The frozen multilingual encoder's paragraph states (what the e5 probe reads)."""
    encoder, tokenizer = frozen_features(tagger)
    texts = [article.text[p.start : p.end] for p in article.paragraphs]
    return paragraph_features(encoder, tokenizer, texts)


def _probe_paragraphs(article: Article, code: str, probe: ParagraphProbe, features):
    """Paragraph techniques from a paragraph probe; ``features`` is its input matrix, or a
    function that computes it."""
    if not article.paragraphs:
        return _predicted_paragraphs(article, [], [])
    matrix = probe.probabilities(features() if callable(features) else features)
    threshold = probe.thresholds[code]
    probabilities = [dict(zip(probe.labels, map(float, row), strict=True)) for row in matrix]
    labels = [{t for t, v in row.items() if v >= threshold} for row in probabilities]
    return _predicted_paragraphs(article, probabilities, labels)


def _predicted_paragraphs(article: Article, probabilities, labels):
    """Paragraph results from per-paragraph technique probabilities and chosen labels."""
    for p, probs, chosen in zip(article.paragraphs, probabilities, labels, strict=True):
        yield ParagraphResult(
            index=p.index,
            start=p.start,
            end=p.end,
            is_title=p.is_title,
            is_debris=p.is_debris,
            techniques=() if p.is_debris else tuple(t for t in taxonomy.TECHNIQUES if t in chosen),
            technique_probabilities={}
            if p.is_debris
            else _rounded({t: v for t, v in probs.items() if v >= 0.05}),
        )


def _union(from_spans: ParagraphResult, classified: ParagraphResult) -> ParagraphResult:
    """A paragraph's techniques from its spans and from the classifier; a technique's
    probability is the larger of the two."""
    chosen = set(from_spans.techniques) | set(classified.techniques)
    probabilities = dict(classified.technique_probabilities)
    for t, p in from_spans.technique_probabilities.items():
        probabilities[t] = max(p, probabilities.get(t, 0.0))
    return from_spans.model_copy(
        update={
            "techniques": tuple(t for t in taxonomy.TECHNIQUES if t in chosen),
            "technique_probabilities": _rounded(probabilities),
            "model_techniques": classified.techniques,
        }
    )


def _canonical_speakers(quotes: list[Quote]) -> list[Quote]:
    """Give one person one name: "Hajiyev" becomes "Hikmet Hajiyev" when the article names
    him in full, so counts by speaker are not split between the two."""
    names = {q.speaker for q in quotes if q.speaker}
    full = {}
    for name in names:
        longer = [n for n in names if n != name and n.endswith(" " + name)]
        if longer:
            full[name] = max(longer, key=len)
    return [replace(q, speaker=full.get(q.speaker, q.speaker)) for q in quotes]


def _finding(article: Article, quotes: list[Quote], raw: RawSpan) -> TechniqueSpan:
    info = taxonomy.TECHNIQUE_INFO[raw.technique]
    quote = attribute(quotes, raw.start, raw.end)
    paragraph = article.paragraph_at(raw.start)
    return TechniqueSpan(
        start=raw.start,
        end=raw.end,
        text=article.text[raw.start : raw.end],
        technique=raw.technique,
        technique_label=info.label,
        category=info.category,
        ptc_technique=taxonomy.TO_PTC[raw.technique],
        confidence=round(raw.score, 4),
        detection=round(raw.detection, 4),
        technique_probability=round(raw.technique_probability, 4),
        alternatives=tuple(
            Alternative(technique=t, probability=round(p, 4)) for t, p in raw.alternatives
        ),
        paragraph=paragraph.index if paragraph else 0,
        voice=quote.voice if quote else "author",
        speaker=quote.speaker if quote else None,
        explanation=explanation(raw.technique, round(raw.score, 4)),
    )


def spans_touching(start: int, end: int, spans: Sequence[TechniqueSpan]) -> list[TechniqueSpan]:
    """The spans that share a character with the paragraph [start, end) (an empty paragraph
    counts as its first position): the paragraph's techniques are theirs."""
    return [s for s in spans if s.start < max(end, start + 1) and s.end > start]


def _touching_by_paragraph(
    article: Article, spans: Sequence[TechniqueSpan]
) -> list[list[TechniqueSpan]]:
    """``spans_touching`` for every paragraph, in one pass over the spans: the paragraphs a
    span touches are contiguous and found by bisection (each paragraph scanning every span
    grew with the square of a long article)."""
    paragraphs = article.paragraphs
    ends = [max(p.end, p.start + 1) for p in paragraphs]
    starts = [p.start for p in paragraphs]
    touching: list[list[TechniqueSpan]] = [[] for _ in paragraphs]
    for s in spans:
        for i in range(bisect_right(ends, s.start), bisect_left(starts, s.end)):
            touching[i].append(s)
    return touching


def _paragraph_results(article: Article, spans: tuple[TechniqueSpan, ...]):
    for p, touching in zip(article.paragraphs, _touching_by_paragraph(article, spans), strict=True):
        best: dict[str, float] = {}
        for s in touching:
            best[s.technique] = max(best.get(s.technique, 0.0), s.confidence)
        yield ParagraphResult(
            index=p.index,
            start=p.start,
            end=p.end,
            is_title=p.is_title,
            is_debris=p.is_debris,
            techniques=tuple(t for t in taxonomy.TECHNIQUES if t in best),
            technique_probabilities=_rounded(best),
        )


def _summary(
    article: Article, spans: tuple[TechniqueSpan, ...], paragraphs: tuple[ParagraphResult, ...]
) -> Summary:
    used = Counter(t for p in paragraphs for t in p.techniques)
    # each paragraph's categories in the order of its techniques (a set's order changed with
    # each process's string hashing, and with it the order of tied counts in the JSON)
    categories = Counter(
        c for p in paragraphs for c in dict.fromkeys(taxonomy.CATEGORY_OF[t] for t in p.techniques)
    )
    analysed = sum(p.end - p.start for p in article.paragraphs if not p.is_debris)
    covered: set[int] = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    return Summary(
        spans=len(spans),
        by_technique=dict(Counter(s.technique for s in spans).most_common()),
        by_category=dict(Counter(s.category for s in spans).most_common()),
        by_voice=dict(Counter(s.voice for s in spans).most_common()),
        by_speaker=dict(Counter(s.speaker for s in spans if s.speaker).most_common()),
        coverage=round(min(len(covered) / analysed, 1.0), 4) if analysed else 0.0,
        analysed_characters=analysed,
        paragraphs_by_technique=dict(used.most_common()),
        paragraphs_by_category=dict(categories.most_common()),
    )


def _model_info(meta: dict, decoding: dict) -> ModelInfo:
    # What a model never saw it cannot find: say so, rather than let an absent technique
    # read as "not used in this article".
    trained = meta.get("trained_techniques")
    return ModelInfo(
        name=meta.get("name", "propscope-span-tagger"),
        version=str(meta.get("version", "0")),
        encoder=meta.get("encoder", "all-MiniLM-L6-v2"),
        trained_on=meta.get("trained_on", "unknown"),
        decoding={k: float(v) for k, v in decoding.items()},
        untrained_techniques=tuple(t for t in taxonomy.TECHNIQUES if t not in trained)
        if trained
        else (),
    )


def label_spans(
    rows: Sequence[FLCRow],
    texts: dict[str, str],
    model: SpanTagger | Sequence[SpanTagger] | None = None,
    scheme: Taxonomy = "ptc14",
    language: str | None = None,
) -> list[FLCRow]:
    """SemEval-2020 TC: give each template row (a gold span, technique ``?``) a technique.

    ``model``: one tagger, or several whose technique probabilities are averaged. The default
    depends on each article's language (``language``, else detected): for English
    ``tc_models()``, the English tagger and the multilingual one, whose average labels 2.4
    points more gold spans correctly than the English tagger alone; for French, German,
    Italian, Polish and Russian the multilingual tagger alone, with that language's settings
    (the English tagger does not read them: see the README). A span listed k times gets the
    k most likely distinct techniques of the scheme.
    """
    if model is None:
        chosen: dict[str, Sequence[SpanTagger]] = {}  # language -> taggers, loaded once

        def taggers(text: str) -> Sequence[SpanTagger]:
            code = language or detect_language(text).code
            code = code if code in SUPPORTED_SPANS and code != "en" else "en"
            if code not in chosen:
                chosen[code] = (
                    tc_models() if code == "en" else (load_multilingual_model().for_language(code),)
                )
            return chosen[code]
    else:
        fixed = (model,) if isinstance(model, SpanTagger) else tuple(model)
        techniques = fixed[0].techniques
        if any(m.techniques != techniques for m in fixed):
            raise ValueError("the taggers to average must share one list of techniques")

        def taggers(text: str) -> Sequence[SpanTagger]:
            return fixed

    by_article: dict[str, dict[tuple[int, int], list[int]]] = {}
    for i, row in enumerate(rows):
        by_article.setdefault(row.article_id, {}).setdefault((row.start, row.end), []).append(i)
    labels: list[str] = [""] * len(rows)
    for article_id, spans in by_article.items():
        if article_id not in texts:
            raise InputError(
                f"the template names article {article_id} but no article{article_id}.txt "
                "was found; pass the folder that holds the template's articles with --articles"
            )
        size = len(texts[article_id])
        outside = next(((s, e) for s, e in spans if e > size), None)
        if outside is not None:  # labelling characters that are not there would be made up
            raise InputError(
                f"the template's span {outside[0]}-{outside[1]} of article {article_id} ends "
                f"past the article's {size} characters; check that --articles holds the "
                "template's articles"
            )
        models = taggers(texts[article_id])
        probs = np.mean(
            [m.classify(m.encode(texts[article_id]), list(spans)) for m in models], axis=0
        )
        techniques = models[0].techniques
        for indices, p in zip(spans.values(), probs, strict=True):
            for i, name in zip(indices, _top_k(p, techniques, scheme, len(indices)), strict=True):
                labels[i] = name
    return [row._replace(technique=label) for row, label in zip(rows, labels, strict=True)]


def tc_models() -> tuple[SpanTagger, ...]:
    """The taggers whose average labels TC spans by default: the English MiniLM tagger and
    the multilingual e5 one (with its English settings)."""
    return (load_model(), load_multilingual_model().for_language("en"))


def _top_k(probs, techniques: Sequence[str], scheme: Taxonomy, k: int) -> list[str]:
    """The k most likely distinct labels of ``scheme`` (probabilities summed over the map)."""
    merged: dict[str, float] = {}
    for technique, p in zip(techniques, probs, strict=True):
        name = technique_name(technique, scheme)
        if name is not None:
            merged[name] = merged.get(name, 0.0) + float(p)
    ranked = sorted(merged, key=merged.get, reverse=True)
    return (ranked * k)[:k] if ranked else ["?"] * k
