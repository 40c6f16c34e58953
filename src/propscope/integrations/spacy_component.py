"""A spaCy pipeline component: ``nlp.add_pipe("propscope")`` (extra ``propscope[spacy]``).

spaCy finds the factory through the ``spacy_factories`` entry point, so any pipeline, blank
or trained, of a supported language can add it without importing propscope first. The
component runs ``propscope.analyze()`` on ``doc.text`` (the model is loaded once, when the
component is created) and writes:

- ``doc.spans["propscope"]``: one span per finding, labelled with the technique; the span's
  ``span._.propscope`` holds the finding's schema fields (category, confidence, voice,
  speaker, explanation, ``start``/``end`` as ``propscope analyze`` gives them, ...);
- ``doc._.propscope``: the rest of the analysis as JSON-ready data (language, genre,
  frames, paragraphs with their techniques, summary, model), so docs stay serialisable.

Reading saved docs back needs no model: importing this module registers the two
extensions (``register_extensions()`` does it again after ``Doc.remove_extension``), so a
process that only loads a ``DocBin`` (``store_user_data=True``) or ``Doc.from_bytes`` gets
``doc._.propscope`` and ``span._.propscope``.

Several propscope components may share a pipeline (e.g. ``high`` and ``strict``, each with
its own ``spans_key``): each group's spans keep their own details, and ``doc._.propscope``
holds the last one's analysis.

``nlp.pipe(texts, n_process=2)`` works: a process forked once a component exists runs torch
on one thread (torch's thread pool, running in the parent, deadlocked forked children).

Offsets are those of ``analyze`` on the same text. A finding whose boundaries fall inside a
spaCy token (or on a space no token holds) is widened or trimmed to whole tokens
(``span._.propscope["aligned"]`` is then False; its ``start``/``end`` keep the exact offsets).
Each span knows its own finding (``span.kb_id_`` is the finding's index in its group), so
two findings of one technique on the same tokens keep their own details.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from propscope import taxonomy

SPANS_KEY = "propscope"
SENSITIVITIES = ("strict", "balanced", "high")


_fork_guard = False


def _one_torch_thread() -> None:
    """In a forked child: torch on one thread. The parent's OpenMP pool does not survive a
    fork, and a child that uses it deadlocks (``nlp.pipe(..., n_process=2)`` hung)."""
    import torch

    torch.set_num_threads(1)


def _guard_forks() -> None:
    global _fork_guard
    if not _fork_guard and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_one_torch_thread)
        _fork_guard = True


def register_extensions() -> None:
    """Register ``doc._.propscope`` and ``span._.propscope`` (done when this module is
    imported): docs saved with the component's findings are read back without loading a
    model, in a process that never created the component."""
    if not Doc.has_extension("propscope"):
        Doc.set_extension("propscope", default=None)
    if not Span.has_extension("propscope"):
        Span.set_extension("propscope", getter=_finding_of)


def _group_key(spans_key: str) -> tuple[str, str]:
    """The ``doc.user_data`` key of one span group's findings (serialised with the doc)."""
    return ("propscope.spans", spans_key)


def _finding_of(span: Span) -> dict[str, Any] | None:
    """The finding a span of ``doc.spans`` stands for (looked up, so two techniques on the
    same words each keep their own details). Each span carries its group's key as its
    ``id_``, so two components' groups each keep their own findings, and its finding's index
    in that group as its ``kb_id_``, so each span has its own finding even where two
    findings of one technique cover the same tokens (one widened to the other's words)."""
    found = span.doc.user_data.get(_group_key(span.id_)) if span.id_ else None
    if found is None:
        analysis = span.doc._.propscope
        if not analysis:
            return None
        found = analysis["spans"]
    index = span.kb_id_
    if index.isascii() and index.isdigit() and int(index) < len(found):
        if _stands_for(span, finding := found[int(index)]):
            return finding
    # a doc saved by an earlier version (no index): an exact match, else a widened finding
    exact = [f for f in found if f["aligned"] and _stands_for(span, f)]
    return next(iter(exact or [f for f in found if _stands_for(span, f)]), None)


def _stands_for(span: Span, finding: dict[str, Any]) -> bool:
    """Whether ``span`` can be the span of ``finding``: its technique, and its offsets (an
    aligned finding) or whole tokens covering its words (one widened or trimmed)."""
    if finding["technique"] != span.label_:
        return False
    if finding["aligned"]:
        return (finding["start"], finding["end"]) == (span.start_char, span.end_char)
    return _covers(span, finding)


def _covers(span: Span, finding: dict[str, Any]) -> bool:
    """Whether a token-aligned span covers a finding's words (a finding may begin or end
    with a space no token holds, as after an opening « in French)."""
    text = span.doc.text
    start, end = finding["start"], finding["end"]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return span.start_char <= start and end <= span.end_char


class PropscopeComponent(Pipe):
    """Finds persuasion techniques in each doc with the propscope model."""

    def __init__(
        self,
        nlp: Language,
        name: str = "propscope",
        *,
        model: str | None = None,
        sensitivity: str = "balanced",
        threshold: float | None = None,
        language: str | None = None,
        spans_key: str = SPANS_KEY,
    ) -> None:
        from propscope.analysis import _check_arguments, _given_language
        from propscope.errors import InputError
        from propscope.models.article_classifiers import load_article_models
        from propscope.models.tagger import load_model

        if sensitivity not in SENSITIVITIES:
            raise InputError(
                f"unknown sensitivity '{sensitivity}': use one of {', '.join(SENSITIVITIES)}"
            )
        # analyze()'s own checks and one-line messages, now rather than on every doc
        _check_arguments("", threshold, None, language)
        if language is not None:
            language = _given_language(language)  # "en-GB" is en
        register_extensions()  # again, should another library have removed them
        _guard_forks()
        self.name = name
        self.vocab = nlp.vocab
        self.model_path = model
        self.tagger = load_model(Path(model) if model else None)  # once per process
        self.article_models = load_article_models()
        self.sensitivity = sensitivity
        self.threshold = threshold
        self.language = language
        self.spans_key = spans_key

    def analyze(self, text: str):
        from propscope.analysis import analyze

        return analyze(
            text,
            self.tagger,
            threshold=self.threshold,
            sensitivity=self.sensitivity,
            language=self.language,
            article_models=self.article_models,
        )

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.analyze(doc.text))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 16) -> Iterator[Doc]:
        """Analyse docs batch by batch with the one loaded model; a failing doc goes to the
        pipeline's error handler (``nlp.set_error_handler``), which raises by default."""
        handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            for doc in docs:
                try:
                    yield self(doc)
                except Exception as exc:
                    handler(self.name, self, [doc], exc)

    def set_annotations(self, doc: Doc, analysis) -> Doc:
        data = analysis.model_dump(mode="json", exclude={"text"})
        spans = []
        for i, finding in enumerate(data["spans"]):
            where = (finding["start"], finding["end"], finding["technique"])
            ids = {"span_id": self.spans_key, "kb_id": str(i)}  # the group, the finding
            span = doc.char_span(*where, **ids)
            finding["aligned"] = span is not None
            if span is None:
                span = doc.char_span(*where, alignment_mode="expand", **ids)
            spans.append(span)
        doc._.propscope = data
        doc.user_data[_group_key(self.spans_key)] = data["spans"]
        doc.spans[self.spans_key] = spans
        return doc

    # Nothing to train or serialise: the model directory is the state.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()):
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path, *, exclude: Iterable[str] = ()):
        return self


@Language.factory(
    "propscope",
    default_config={
        "model": None,
        "sensitivity": "balanced",
        "threshold": None,
        "language": None,
        "spans_key": SPANS_KEY,
    },
)
def make_propscope(
    nlp: Language,
    name: str,
    model: str | None,
    sensitivity: str,
    threshold: float | None,
    language: str | None,
    spans_key: str,
) -> PropscopeComponent:
    """``model``: a model directory from ``propscope train --output`` (default: shipped);
    ``language``: skip detection (en, fr, de, it, pl, ru)."""
    return PropscopeComponent(
        nlp,
        name,
        model=model,
        sensitivity=sensitivity,
        threshold=threshold,
        language=language,
        spans_key=spans_key,
    )


def displacy_options(spans_key: str = SPANS_KEY) -> dict[str, Any]:
    """Options for ``displacy.render(doc, style="span", options=...)`` that colour each
    technique by its category, as propscope's reports do."""
    return {
        "spans_key": spans_key,
        "colors": {
            t: taxonomy.CATEGORY_COLOURS[taxonomy.CATEGORY_OF[t]] for t in taxonomy.TECHNIQUES
        },
    }


# At import, so that a process reading saved docs (no component, no model) can use them.
register_extensions()
