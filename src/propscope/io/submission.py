"""Analyses as the official SemEval submission rows (SI, FLC/TC, ST3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from propscope import taxonomy
from propscope.io.formats import FLCRow, SIRow, ST1Row, ST2Row, ST3Row
from propscope.schema import Analysis

Taxonomy = Literal["semeval2023", "ptc14"]


def technique_name(name: str, scheme: Taxonomy) -> str | None:
    """A SemEval-2023 technique name in the requested label scheme (None: no counterpart)."""
    return name if scheme == "semeval2023" else taxonomy.TO_PTC[name]


def si_rows(analyses: Iterable[Analysis]) -> list[SIRow]:
    """SemEval-2020 SI: the union of all spans, merged so that no two overlap.

    SI has no labels, so every finding is written, an Obfuscation-Vagueness-Confusion one
    too, although PTC-14 has no label for it and :func:`flc_rows` leaves it out under
    ``ptc14``: SI asks where persuasion is, whatever its technique."""
    rows: list[SIRow] = []
    for analysis in analyses:
        merged: list[list[int]] = []
        for start, end in sorted((s.start, s.end) for s in analysis.spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        rows.extend(SIRow(analysis.article.id, s, e) for s, e in merged)
    return rows


def flc_rows(analyses: Iterable[Analysis], scheme: Taxonomy = "ptc14") -> list[FLCRow]:
    """Spans with techniques; same-technique overlaps merged (the FLC scorer's rule).

    Under ``ptc14`` the labels are the 14 official PTC labels (``taxonomy.TO_PTC``): a
    finding of Obfuscation-Vagueness-Confusion, which PTC dropped, has no label and is left
    out (``si_rows`` keeps it); Appeal_to_Values, Appeal_to_Time,
    Consequential_Oversimplification and Questioning_the_Reputation, which PTC never
    annotated, are written as Flag-Waving, Slogans, Causal_Oversimplification and Doubt,
    mappings assumed from the PTC definitions, not measured. ``semeval2023`` writes all 23."""
    rows: list[FLCRow] = []
    for analysis in analyses:
        by_technique: dict[str, list[list[int]]] = {}
        for span in sorted(analysis.spans, key=lambda s: (s.start, s.end)):
            name = technique_name(span.technique, scheme)
            if name is None:
                continue
            merged = by_technique.setdefault(name, [])
            if merged and span.start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span.end)
            else:
                merged.append([span.start, span.end])
        found = [(s, e, t) for t, spans in by_technique.items() for s, e in spans]
        rows.extend(FLCRow(analysis.article.id, t, s, e) for s, e, t in sorted(found))
    return rows


def st3_rows(analyses: Iterable[Analysis]) -> list[ST3Row]:
    """SemEval-2023 ST3: every non-empty line (paragraph) with its technique set.

    Where the report's set joins the spans' techniques to a paragraph model's, the model's
    own set is written: on held-out articles it scored higher in six of seven comparisons
    (README, "Paragraph techniques"), while the report keeps every highlighted technique in
    its paragraph's list."""
    return [
        ST3Row(
            analysis.article.id,
            p.index,
            p.techniques if p.model_techniques is None else p.model_techniques,
        )
        for analysis in analyses
        for p in analysis.paragraphs
    ]


def st1_rows(analyses: Iterable[Analysis]) -> list[ST1Row]:
    """SemEval-2023 ST1: the genre of each article."""
    return [ST1Row(a.article.id, a.genre.label) for a in analyses if a.genre is not None]


def st2_rows(analyses: Iterable[Analysis]) -> list[ST2Row]:
    """SemEval-2023 ST2: the frames of each article (in the official frame order)."""
    return [
        ST2Row(a.article.id, tuple(f for f in taxonomy.FRAMES if f in a.frames.labels))
        for a in analyses
        if a.frames is not None
    ]
