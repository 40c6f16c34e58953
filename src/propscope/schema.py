"""The result contract: what ``analyze()`` returns and ``--format json`` writes.

Field names are stable (``SCHEMA_VERSION`` changes when they do). Every offset is a 0-based
character offset into ``Analysis.text``, the text exactly as the user gave it, so
``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

Voice = Literal["author", "quoted", "reported"]


def _hashable(value: Any) -> Any:
    """``value`` with its dicts as frozensets of items and lists as tuples: equal values
    give equal results, whatever the dicts' order."""
    if isinstance(value, dict):
        return frozenset((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


class _Frozen(BaseModel):
    """Immutable and hashable, so results can be set members and dict keys: pydantic's own
    hash of a frozen model fails on its dict fields (probabilities, metadata)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __hash__(self) -> int:
        # equal models (same class, equal fields) hash equal: dicts compare regardless of order
        values = self.__dict__
        return hash((type(self), *(_hashable(values.get(f)) for f in type(self).model_fields)))


class Alternative(_Frozen):
    technique: str
    probability: float = Field(ge=0.0, le=1.0)


class TechniqueSpan(_Frozen):
    """One finding: a persuasion technique used in the words ``text[start:end]``."""

    start: int = Field(
        ge=0,
        description="first character (inclusive), 0-based, in Unicode code points of the text "
        "as given (Python str indices). JavaScript strings count UTF-16 code units, one more "
        "after each character beyond U+FFFF (emoji, flags): there, convert with "
        "Array.from(text).slice(0, start).join('').length, or slice Array.from(text)",
    )
    end: int = Field(
        gt=0, description="end character (exclusive), in the same code points as start"
    )
    text: str = Field(description="the highlighted words, text[start:end] in code points")
    technique: str = Field(description="SemEval-2023 technique name")
    technique_label: str = Field(description="human-readable technique name")
    category: str = Field(description="one of the 6 SemEval-2023 categories")
    ptc_technique: str | None = Field(
        description="the PTC-14 (SemEval-2020) label; null for Obfuscation-Vagueness-Confusion, "
        "which PTC-14 dropped. Appeal_to_Values -> Flag-Waving, Appeal_to_Time -> Slogans, "
        "Consequential_Oversimplification -> Causal_Oversimplification and "
        "Questioning_the_Reputation -> Doubt are assumed by the PTC definitions, not measured "
        "(PTC never annotated these four)"
    )
    confidence: float = Field(
        ge=0.0,
        le=1.0,
        description="calibrated probability that the words really use this technique: the raw "
        "score (detection x technique_probability) mapped, by a calibration fitted on held-out "
        "articles, to the share of such findings that were right (the raw score where a "
        "language's model has no calibration); under 0.5 a finding is more likely wrong than "
        "right and the reports call it possible",
    )
    detection: float = Field(
        ge=0.0, le=1.0, description="raw model score: probability that the words persuade"
    )
    technique_probability: float = Field(
        ge=0.0, le=1.0, description="raw model score: probability of this technique"
    )
    alternatives: tuple[Alternative, ...] = ()
    paragraph: int = Field(description="1-based line number of the paragraph (SemEval-2023)")
    voice: Voice = Field(description="author's own words, a direct quote, or reported speech")
    speaker: str | None = Field(description="who is quoted or reported; None for the author")
    explanation: str = Field(
        description="why this wording persuades, in plain language; under 0.5 confidence it "
        "starts 'Possibly ...: the model is unsure' and says what the technique does in general"
    )


class ParagraphResult(_Frozen):
    index: int = Field(description="1-based line number, as SemEval-2023 numbers paragraphs")
    start: int = Field(
        description="first character (inclusive), in the same code points as TechniqueSpan.start"
    )
    end: int = Field(description="end character (exclusive), in the same code points")
    is_title: bool
    is_debris: bool = Field(description="scraping debris, excluded from analysis")
    techniques: tuple[str, ...] = Field(
        description="techniques used in it: those of the spans touching it plus those of a "
        "paragraph-level model: the probe on the span tagger's token probabilities (shipped "
        "models, all six languages), else the character n-gram paragraph classifier"
    )
    technique_probabilities: dict[str, float] = Field(
        default={},
        description="per-technique probability from that paragraph-level model, or the most "
        "confident span touching it where that is higher",
    )
    model_techniques: tuple[str, ...] | None = Field(
        default=None,
        description="the paragraph-level model's techniques alone, without those of the spans "
        "(what the SemEval-2023 ST3 export writes: it scored higher held out); null where "
        "`techniques` comes from one source only",
    )


class Summary(_Frozen):
    spans: int
    by_technique: dict[str, int]
    by_category: dict[str, int]
    by_voice: dict[str, int]
    by_speaker: dict[str, int] = Field(description="quoted and reported spans per speaker")
    coverage: float = Field(ge=0.0, le=1.0, description="share of analysed characters in spans")
    analysed_characters: int
    paragraphs_by_technique: dict[str, int] = Field(
        default={}, description="number of paragraphs using each technique"
    )
    paragraphs_by_category: dict[str, int] = Field(
        default={}, description="number of paragraphs using each category"
    )


class LanguageInfo(_Frozen):
    code: str = Field(description="ISO 639-1 code, e.g. en, fr, de")
    name: str
    confidence: float = Field(
        ge=0.0, le=1.0, description="the detection's probability; 1 when the language was given"
    )
    spans: bool = Field(description="whether span-level analysis exists for this language")
    given: bool = Field(
        default=False,
        description="true when the caller gave the language (--language, a record's or a "
        "request's language field) and it was not detected",
    )


class GenreInfo(_Frozen):
    label: str = Field(description="opinion, reporting or satire (SemEval-2023 subtask 1)")
    probabilities: dict[str, float]
    zero_shot: bool = Field(
        default=False,
        description="true when the genre model was fitted on no labelled article of this "
        "language (English: its genre is learned from the other five languages)",
    )


class FramesInfo(_Frozen):
    labels: tuple[str, ...] = Field(
        description="predicted frames, main frame first (subtask 2): the perspectives the "
        "issue is presented from (Economic, Security_and_defense, ...), not the topic"
    )
    main: str
    probabilities: dict[str, float]


class ModelInfo(_Frozen):
    name: str
    version: str
    encoder: str
    trained_on: str
    decoding: dict[str, float]
    untrained_techniques: tuple[str, ...] = Field(
        default=(),
        description="techniques of the 23 that the span model had no training example of, "
        "so it never finds them (the English model: the four its training data lacks; "
        "--model multilingual was trained on all 23)",
    )


class ArticleInfo(_Frozen):
    id: str
    source: str | None
    title: str | None
    characters: int
    sentences: int
    debris: tuple[tuple[int, int], ...]
    metadata: dict[str, str] = {}


class Analysis(_Frozen):
    """The analysis of one article."""

    schema_version: str = SCHEMA_VERSION
    article: ArticleInfo
    text: str = Field(description="the article text exactly as given; offsets index it")
    language: LanguageInfo | None = None
    genre: GenreInfo | None = None
    frames: FramesInfo | None = None
    spans: tuple[TechniqueSpan, ...]
    paragraphs: tuple[ParagraphResult, ...]
    summary: Summary
    model: ModelInfo
