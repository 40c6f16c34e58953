"""Official metrics of SemEval-2020 Task 11 (SI, TC, FLC) and SemEval-2023 Task 3 (ST1-ST3).

Each scorer implements the definition in ``../shared/data/METRICS.md`` exactly, edge cases
included, so that a number printed here can be compared with a published one. Every scorer
returns a `Score` whose ``f1`` is the task's official ranking score (SI/FLC: soft-overlap F1;
TC: micro-F1 = accuracy; ST1: macro-F1; ST2/ST3: micro-F1). Inputs that the official scorer
would reject (mismatched ids, unknown labels, overlapping predictions without merging) raise
`FormatError` with a message saying what to fix.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict

import propscope.taxonomy as _taxonomy
from propscope.errors import FormatError, InputError
from propscope.io.formats import (
    TC_PLACEHOLDER,
    FLCRow,
    SIRow,
    ST1Row,
    ST2Row,
    ST3Row,
    read_flc_lines,
    read_si,
    read_st1,
    read_st2,
    read_st3,
)
from propscope.io.formats import _label_files as label_files

__all__ = [
    "TASKS",
    "Score",
    "evaluate_files",
    "score_flc",
    "score_si",
    "score_st1",
    "score_st2",
    "score_st3",
    "score_tc",
]

TASKS: tuple[str, ...] = ("si", "tc", "flc", "st1", "st2", "st3")

# Used only while ``propscope.taxonomy`` has no FRAMES / GENRES of its own.
_FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)
_GENRES: tuple[str, ...] = ("reporting", "opinion", "satire")


def _frames() -> tuple[str, ...]:
    return tuple(getattr(_taxonomy, "FRAMES", _FRAMES))


def _genres() -> tuple[str, ...]:
    return tuple(getattr(_taxonomy, "GENRES", _GENRES))


class Score(BaseModel):
    """The result of one scorer run; ``f1`` is the official ranking score of ``task``.

    ``support`` counts gold units (SI/FLC: gold spans after merging; TC: instances; ST1/ST2:
    articles; ST3: paragraphs) and ``predicted`` the predicted ones. ``per_label`` maps a
    label to its ``precision``, ``recall``, ``f1`` and ``support`` (gold units of the label).
    ``unknown_articles`` (SI and FLC) lists the predicted articles without a gold span: their
    spans count as false positives; many of them usually mean ids that do not match.
    """

    model_config = ConfigDict(frozen=True)

    task: str
    precision: float
    recall: float
    f1: float
    macro_f1: float | None = None
    accuracy: float | None = None
    support: int
    predicted: int
    per_label: dict[str, dict[str, float | int]] = {}
    unknown_articles: list[str] = []

    def to_dict(self) -> dict[str, object]:
        """A plain JSON-ready dictionary (for reports and the CLI's ``--json``)."""
        return self.model_dump()


# --------------------------------------------------------------------------------------------
# SemEval-2020 Task 11: SI and FLC (soft partial-overlap P/R/F1)
# --------------------------------------------------------------------------------------------

Span = tuple[int, int]
Describe = Callable[[Any], str]  # a key (article id, (article, technique), ...) in words
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def score_si(gold: Sequence[SIRow], pred: Sequence[SIRow], merge_pred: bool = True) -> Score:
    """Span identification: partial-overlap precision, recall and F1 (METRICS.md section 1).

    Overlapping gold spans of an article are merged (spans that only touch are not).
    Overlapping predicted spans are merged likewise if ``merge_pred``, else rejected, as the
    official scorer does without ``-m``.
    """
    gold_spans = _group_spans((row.article_id, (row.start, row.end)) for row in gold)
    pred_spans = _group_spans((row.article_id, (row.start, row.end)) for row in pred)
    totals = _soft_overlap_totals(gold_spans, pred_spans, merge_pred, what=_article_text)
    precision, recall, f1 = _soft_prf(*totals)
    return Score(
        task="si",
        precision=precision,
        recall=recall,
        f1=f1,
        support=totals[3],
        predicted=totals[1],
    )


def score_flc(
    gold: Sequence[FLCRow],
    pred: Sequence[FLCRow],
    merge_pred: bool = True,
    labels: Sequence[str] | None = None,
) -> Score:
    """Spans and techniques: SI's partial-overlap P/R/F1 counting only same-technique overlap.

    Only spans with the same technique are merged (gold always, predictions if
    ``merge_pred``, else same-technique overlaps are rejected). ``per_label`` has the P/R/F1
    of each technique over its own spans; it lists ``labels`` (which predictions and gold
    must then use) or, without them, every technique seen in gold or predictions.
    """
    _check_flc_labels(gold, labels, "gold")
    _check_flc_labels(pred, labels, "prediction")
    gold_spans = _group_spans(((r.article_id, r.technique), (r.start, r.end)) for r in gold)
    pred_spans = _group_spans(((r.article_id, r.technique), (r.start, r.end)) for r in pred)

    names = (
        list(labels)
        if labels is not None
        else sorted({key[1] for key in gold_spans} | {key[1] for key in pred_spans})
    )
    per_label: dict[str, dict[str, float | int]] = {}
    micro = [0.0, 0, 0.0, 0]
    for name in names:
        label_gold = {key: spans for key, spans in gold_spans.items() if key[1] == name}
        label_pred = {key: spans for key, spans in pred_spans.items() if key[1] == name}
        totals = _soft_overlap_totals(label_gold, label_pred, merge_pred, what=_technique_text)
        precision, recall, f1 = _soft_prf(*totals)
        per_label[name] = {"precision": precision, "recall": recall, "f1": f1, "support": totals[3]}
        micro = [total + part for total, part in zip(micro, totals, strict=True)]
    precision, recall, f1 = _soft_prf(*micro)
    return Score(
        task="flc",
        precision=precision,
        recall=recall,
        f1=f1,
        support=int(micro[3]),
        predicted=int(micro[1]),
        per_label=per_label,
    )


def _group_spans(items: Iterable[tuple[Hashable, Span]]) -> dict[Hashable, list[Span]]:
    groups: dict[Hashable, list[Span]] = defaultdict(list)
    for key, span in items:
        groups[key].append(span)
    return groups


def _merge_overlapping(spans: list[Span]) -> list[Span]:
    """Sorted union of spans sharing a character; touching spans (end == start) stay apart.

    A span of no characters (start == end) shares none: it is never merged and still counts.
    """
    merged: list[list[int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sorted([(start, end) for start, end in merged] + _empty(spans))


def _empty(spans: list[Span]) -> list[Span]:
    return [span for span in spans if span[0] >= span[1]]


def _reject_overlapping(spans: list[Span], key: Hashable, what: Describe) -> list[Span]:
    ordered = sorted(span for span in spans if span[0] < span[1])
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            raise FormatError(
                f"predicted spans [{s1}, {e1}) and [{s2}, {e2}) of {what(key)} overlap; "
                "merge overlapping predictions or score with merging enabled"
            )
    return sorted(ordered + _empty(spans))


def _article_text(key: Any) -> str:
    return f"article {key}"


def _technique_text(key: Any) -> str:
    article_id, technique = key
    return f"article {article_id} with technique {technique}"


def _overlap_sums(pred: list[Span], gold: list[Span]) -> tuple[float, float]:
    """``(Σ |s∩t|/|s|, Σ |s∩t|/|t|)`` over pairs of two sorted lists of disjoint spans.

    A two-pointer sweep: linear in the number of spans instead of comparing all pairs.
    """
    precision_sum = recall_sum = 0.0
    i = j = 0
    while i < len(pred) and j < len(gold):
        (s_start, s_end), (t_start, t_end) = pred[i], gold[j]
        shared = min(s_end, t_end) - max(s_start, t_start)
        if shared > 0:
            precision_sum += shared / (s_end - s_start)
            recall_sum += shared / (t_end - t_start)
        if s_end <= t_end:
            i += 1
        else:
            j += 1
    return precision_sum, recall_sum


def _soft_overlap_totals(
    gold: Mapping[Hashable, list[Span]],
    pred: Mapping[Hashable, list[Span]],
    merge_pred: bool,
    what: Describe,
) -> tuple[float, int, float, int]:
    """``(precision numerator, |S|, recall numerator, |T|)`` after merging, over all keys.

    |T| counts the gold spans of every key, predicted or not; predicted spans of keys absent
    from gold count in |S| and earn nothing.
    """
    precision_sum = recall_sum = 0.0
    n_pred = n_gold = 0
    for key in gold.keys() | pred.keys():
        gold_spans = _merge_overlapping(gold.get(key, []))
        raw = pred.get(key, [])
        pred_spans = _merge_overlapping(raw) if merge_pred else _reject_overlapping(raw, key, what)
        p_sum, r_sum = _overlap_sums(pred_spans, gold_spans)
        precision_sum += p_sum
        recall_sum += r_sum
        n_pred += len(pred_spans)
        n_gold += len(gold_spans)
    return precision_sum, n_pred, recall_sum, n_gold


def _soft_prf(
    precision_sum: float, n_pred: int, recall_sum: float, n_gold: int
) -> tuple[float, float, float]:
    """P, R, F1 with the SI scorer's conventions: P=0 if |S|=0, R=0 if |T|=0, F1=1 if both."""
    precision = precision_sum / n_pred if n_pred else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    if n_pred == 0 and n_gold == 0:
        return precision, recall, 1.0
    return precision, recall, _harmonic(precision, recall)


def _harmonic(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision > 0 and recall > 0 else 0.0


def _check_flc_labels(rows: Sequence[FLCRow], labels: Sequence[str] | None, side: str) -> None:
    """Rows given to a scorer have techniques, of ``labels`` when given (files are checked
    with their lines by `_check_file_labels`)."""
    allowed = set(labels) if labels is not None else None
    for row in rows:
        if row.technique == TC_PLACEHOLDER:
            raise FormatError(
                f"{side} row of article {row.article_id} [{row.start}, {row.end}) has "
                f"technique '{TC_PLACEHOLDER}'; that is a template, give a file with techniques"
            )
        if allowed is not None and row.technique not in allowed:
            raise FormatError(
                f"{side} row of article {row.article_id} [{row.start}, {row.end}) has unknown "
                f"technique {row.technique!r}; use one of the {len(allowed)} official names"
            )


# --------------------------------------------------------------------------------------------
# SemEval-2020 Task 11: TC (micro-F1 over gold instances = accuracy)
# --------------------------------------------------------------------------------------------


def score_tc(
    gold: Sequence[FLCRow], pred: Sequence[FLCRow], labels: Sequence[str] | None = None
) -> Score:
    """Technique classification: micro-F1 (= accuracy) over the gold instances.

    The prediction must have exactly the gold rows' spans (same articles, same number of
    rows per article, same (start, end) multiset). A span that appears k times is matched
    so that agreements are maximal (the multiset intersection of its gold and predicted
    labels). ``per_label`` holds one-vs-rest P/R/F1 per technique (0 when undefined), over
    ``labels`` if given (then also required of every row) or the techniques seen.
    """
    _check_flc_labels(gold, labels, "gold")
    _check_flc_labels(pred, labels, "prediction")
    _check_same_spans(gold, pred)

    gold_labels: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    pred_labels: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for row in gold:
        gold_labels[row.article_id, row.start, row.end][row.technique] += 1
    for row in pred:
        pred_labels[row.article_id, row.start, row.end][row.technique] += 1

    agreed: Counter[str] = Counter()
    for span, counts in gold_labels.items():
        agreed.update(counts & pred_labels[span])
    gold_total = Counter(row.technique for row in gold)
    pred_total = Counter(row.technique for row in pred)

    names = list(labels) if labels is not None else sorted(gold_total.keys() | pred_total.keys())
    per_label = {
        name: _counts_prf(agreed[name], pred_total[name], gold_total[name], zero_division=0.0)
        for name in names
    }
    instances = len(gold)
    accuracy = sum(agreed.values()) / instances if instances else 1.0
    return Score(
        task="tc",
        precision=accuracy,
        recall=accuracy,
        f1=accuracy,
        accuracy=accuracy,
        support=instances,
        predicted=len(pred),
        per_label=per_label,
    )


def _check_same_spans(gold: Sequence[FLCRow], pred: Sequence[FLCRow]) -> None:
    gold_spans: dict[str, Counter[Span]] = defaultdict(Counter)
    pred_spans: dict[str, Counter[Span]] = defaultdict(Counter)
    for row in gold:
        gold_spans[row.article_id][row.start, row.end] += 1
    for row in pred:
        pred_spans[row.article_id][row.start, row.end] += 1
    _check_same_keys(gold_spans, pred_spans, "article", _article_text)
    for article_id, expected in gold_spans.items():
        found = pred_spans[article_id]
        n_expected, n_found = sum(expected.values()), sum(found.values())
        if n_found != n_expected:
            raise FormatError(
                f"article {article_id}: the prediction has {n_found} rows, the gold file "
                f"{n_expected}; give exactly one row per template row"
            )
        extra = found - expected
        if extra:
            (start, end), _ = sorted(extra.items())[0]
            raise FormatError(
                f"article {article_id}: predicted span [{start}, {end}) is not a gold span "
                "(or appears more often than in the gold file); copy start and end from the "
                "template"
            )


# --------------------------------------------------------------------------------------------
# SemEval-2023 Task 3: ST1 (macro-F1), ST2 and ST3 (multi-label micro-F1)
# --------------------------------------------------------------------------------------------


def score_st1(
    gold: Sequence[ST1Row], pred: Sequence[ST1Row], labels: Sequence[str] | None = None
) -> Score:
    """Genre: macro-F1 with scikit-learn's semantics, plus accuracy (METRICS.md section 4).

    The average runs over the classes occurring in gold or predictions (a class in neither
    is left out; one predicted but absent from gold counts with F1 = 0); undefined P, R or
    F1 are 0. ``labels`` (default: the three genres) are the names allowed in both files.
    """
    allowed = tuple(labels) if labels is not None else _genres()
    gold_by = _keyed(((row.article_id, row.label) for row in gold), "gold", _article_text)
    pred_by = _keyed(((row.article_id, row.label) for row in pred), "prediction", _article_text)
    _check_same_keys(gold_by, pred_by, "article", _article_text)
    for side, values in (("gold", gold_by), ("prediction", pred_by)):
        for article_id, label in values.items():
            if label not in allowed:
                raise FormatError(
                    f"{side} label {label!r} of article {article_id} is not one of "
                    + ", ".join(repr(name) for name in allowed)
                )

    pairs = [(label, pred_by[article_id]) for article_id, label in gold_by.items()]
    classes = sorted({g for g, _ in pairs} | {p for _, p in pairs}, key=_order_in(allowed))
    per_label = {
        c: _counts_prf(
            sum(1 for g, p in pairs if g == c and p == c),
            sum(1 for _, p in pairs if p == c),
            sum(1 for g, _ in pairs if g == c),
            zero_division=0.0,
        )
        for c in classes
    }
    macro = {
        measure: (sum(float(v[measure]) for v in per_label.values()) / len(classes))
        if classes
        else 0.0
        for measure in ("precision", "recall", "f1")
    }
    accuracy = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    return Score(
        task="st1",
        precision=macro["precision"],
        recall=macro["recall"],
        f1=macro["f1"],
        macro_f1=macro["f1"],
        accuracy=accuracy,
        support=len(gold_by),
        predicted=len(pred_by),
        per_label=per_label,
    )


def score_st2(
    gold: Sequence[ST2Row], pred: Sequence[ST2Row], labels: Sequence[str] | None = None
) -> Score:
    """Framing: multi-label micro P/R/F1 over (article, frame) cells, zero_division = 1.

    ``macro_f1`` is the mean F1 over all frames (``labels``, default the 14 frames), where a
    frame absent from gold and predictions counts 1. Article ids must match exactly.
    """
    names = tuple(labels) if labels is not None else _frames()
    gold_by = _keyed(((row.article_id, row.frames) for row in gold), "gold", _article_text)
    pred_by = _keyed(((row.article_id, row.frames) for row in pred), "prediction", _article_text)
    _check_same_keys(gold_by, pred_by, "article", _article_text)
    return _score_multilabel("st2", gold_by, pred_by, names, "frame", _article_text)


def score_st3(
    gold: Sequence[ST3Row], pred: Sequence[ST3Row], labels: Sequence[str] | None = None
) -> Score:
    """Paragraph techniques: multi-label micro P/R/F1 over (paragraph, technique) cells.

    The units are the (article id, paragraph id) keys of the gold file, which the prediction
    must match exactly. Same conventions as `score_st2`, over the 23 techniques by default.
    """
    names = tuple(labels) if labels is not None else _taxonomy.TECHNIQUES
    gold_by = _keyed(
        (((r.article_id, r.paragraph_id), r.techniques) for r in gold), "gold", _paragraph_text
    )
    pred_by = _keyed(
        (((r.article_id, r.paragraph_id), r.techniques) for r in pred),
        "prediction",
        _paragraph_text,
    )
    _check_same_keys(gold_by, pred_by, "paragraph", _paragraph_text)
    return _score_multilabel("st3", gold_by, pred_by, names, "technique", _paragraph_text)


def _score_multilabel(
    task: str,
    gold: Mapping[Hashable, tuple[str, ...]],
    pred: Mapping[Hashable, tuple[str, ...]],
    names: Sequence[str],
    kind: str,
    describe: Describe,
) -> Score:
    """Micro and per-label P/R/F1 over 0/1 unit-by-label matrices (zero_division = 1)."""
    column = {name: i for i, name in enumerate(names)}
    keys = list(gold)
    gold_matrix = np.zeros((len(keys), len(names)), dtype=bool)
    pred_matrix = np.zeros((len(keys), len(names)), dtype=bool)
    for side, values, matrix in (("gold", gold, gold_matrix), ("prediction", pred, pred_matrix)):
        for row, key in enumerate(keys):
            for name in values[key]:
                if name not in column:
                    raise FormatError(
                        f"{side} {kind} {name!r} of {describe(key)} is not one of the "
                        f"{len(names)} official {kind} names"
                    )
                matrix[row, column[name]] = True
    tp = (gold_matrix & pred_matrix).sum(axis=0)
    fp = (~gold_matrix & pred_matrix).sum(axis=0)
    fn = (gold_matrix & ~pred_matrix).sum(axis=0)
    per_label = {
        name: _counts_prf(int(tp[i]), int(tp[i] + fp[i]), int(tp[i] + fn[i]), zero_division=1.0)
        for i, name in enumerate(names)
    }
    micro = _counts_prf(
        int(tp.sum()), int((tp + fp).sum()), int((tp + fn).sum()), zero_division=1.0
    )
    macro_f1 = sum(float(v["f1"]) for v in per_label.values()) / len(names) if names else 1.0
    return Score(
        task=task,
        precision=float(micro["precision"]),
        recall=float(micro["recall"]),
        f1=float(micro["f1"]),
        macro_f1=macro_f1,
        support=len(keys),
        predicted=len(pred),
        per_label=per_label,
    )


def _counts_prf(
    true_positives: int, predicted: int, actual: int, zero_division: float
) -> dict[str, float | int]:
    """P, R and F1 = 2TP / (2TP + FP + FN) from counts; ``zero_division`` where 0/0."""
    precision = true_positives / predicted if predicted else zero_division
    recall = true_positives / actual if actual else zero_division
    denominator = predicted + actual  # = 2TP + FP + FN
    f1 = 2 * true_positives / denominator if denominator else zero_division
    return {"precision": precision, "recall": recall, "f1": f1, "support": actual}


def _keyed(items: Iterable[tuple[K, V]], side: str, describe: Describe) -> dict[K, V]:
    """Rows as a ``{key: value}`` dict; a key given twice is rejected."""
    result: dict[K, V] = {}
    for key, value in items:
        if key in result:
            raise FormatError(
                f"the {side} has two rows for {describe(key)}; give exactly one row per unit"
            )
        result[key] = value
    return result


def _paragraph_text(key: Any) -> str:
    article_id, paragraph_id = key
    return f"article {article_id} paragraph {paragraph_id}"


def _check_same_keys(
    gold_keys: Iterable[K], pred_keys: Iterable[K], unit: str, describe: Describe
) -> None:
    """Reject a prediction whose units (articles, paragraphs) are not exactly the gold ones."""
    gold_list, pred_list = list(gold_keys), list(pred_keys)
    gold_set, pred_set = set(gold_list), set(pred_list)
    missing = [key for key in gold_list if key not in pred_set]
    extra = [key for key in pred_list if key not in gold_set]
    if missing:
        raise FormatError(
            f"the prediction has no row for {len(missing)} gold {unit}(s), e.g. "
            f"{describe(missing[0])}; predict every {unit} of the gold file"
        )
    if extra:
        raise FormatError(
            f"the prediction has rows for {len(extra)} {unit}(s) not in the gold file, e.g. "
            f"{describe(extra[0])}; predict exactly the gold {unit}s"
        )


def _order_in(names: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    position = {name: i for i, name in enumerate(names)}
    return lambda name: (position.get(name, len(position)), name)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

# Label schemes of TC/FLC files, named as in `propscope.io.submission` ("ptc" also accepted).
_TAXONOMIES: dict[str, tuple[str, ...]] = {
    "ptc14": _taxonomy.PTC_TECHNIQUES,
    "semeval2023": _taxonomy.TECHNIQUES,
}
_TAXONOMY_ALIASES = {"ptc": "ptc14"}


def evaluate_files(
    task: str,
    gold: str | Path,
    pred: str | Path,
    *,
    taxonomy: str | None = None,
    merge_pred: bool = True,
) -> Score:
    """Score a prediction file against a gold file with the official metric of ``task``.

    ``task`` is one of ``si``, ``tc``, ``flc``, ``st1``, ``st2``, ``st3``. For TC and FLC
    the technique names are those of ``taxonomy`` (``"ptc14"`` or ``"ptc"``: the 14
    SemEval-2020 labels; ``"semeval2023"``: the 23 SemEval-2023 ones) or, by default, of
    whichever of the two holds every gold label (and every predicted one if both do; PTC if
    still a tie). SI, TC and FLC files may be folders of per-article ``*.labels`` files or
    SemEval-2023's span folder (``train-labels-subtask-3-spans/``: ``*-labels-subtask-3.txt``
    files; SI leaves their techniques out); ST3 files the per-article paragraph label folder.
    Hidden files in a folder are skipped.
    """
    task = task.lower()
    if task == "si":
        gold_si, pred_si = read_si(gold), read_si(pred)
        score = score_si(gold_si, pred_si, merge_pred=merge_pred)
        return _with_unknown_articles(score, gold_si, pred_si)
    if task in ("tc", "flc"):
        gold_lines, pred_lines = read_flc_lines(gold), read_flc_lines(pred)
        gold_rows, pred_rows = [row for _, _, row in gold_lines], [r for _, _, r in pred_lines]
        # a template given for either file says so before any label-set question
        _check_file_labels(gold_lines, None, "gold", task)
        _check_file_labels(pred_lines, None, "prediction", task)
        names = _technique_names(gold_lines, pred_rows, taxonomy, Path(gold))
        _check_file_labels(gold_lines, names, "gold", task)
        _check_file_labels(pred_lines, names, "prediction", task)
        if task == "tc":
            return score_tc(gold_rows, pred_rows, labels=names)
        score = score_flc(gold_rows, pred_rows, merge_pred=merge_pred, labels=names)
        return _with_unknown_articles(score, gold_rows, pred_rows)
    if task == "st1":
        genres = _genres()
        gold_st1, pred_st1 = (
            _unique_rows(_located(partial(read_st1, labels=genres), path), side, _article_text)
            for path, side in ((gold, "gold"), (pred, "prediction"))
        )
        return score_st1(gold_st1, pred_st1, genres)
    if task == "st2":
        frames = _frames()
        gold_st2, pred_st2 = (
            _unique_rows(_located(partial(read_st2, labels=frames), path), side, _article_text)
            for path, side in ((gold, "gold"), (pred, "prediction"))
        )
        return score_st2(gold_st2, pred_st2, frames)
    if task == "st3":
        names = _taxonomy.TECHNIQUES
        read = partial(read_st3, labels=names)
        gold_st3, pred_st3 = (
            _unique_rows(_located(read, path, _ST3_FILES), side, _paragraph_text)
            for path, side in ((gold, "gold"), (pred, "prediction"))
        )
        return score_st3(gold_st3, pred_st3, names)
    raise InputError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")


# The per-article files of an ST3 folder (read_st3's default pattern).
_ST3_FILES = "*-labels-subtask-3.txt"
Row = TypeVar("Row", ST1Row, ST2Row, ST3Row)


def _located(
    read: Callable[[Path], list[Row]], path: str | Path, pattern: str | None = None
) -> list[tuple[Path, int, Row]]:
    """``read``'s rows of a file (or, with ``pattern``, of a folder's files), each with its
    file and line: a row per data line, and blank lines only at a file's end."""
    files = label_files(path, pattern) if pattern is not None else [Path(path)]
    return [(file, number, row) for file in files for number, row in enumerate(read(file), 1)]


def _unique_rows(located: list[tuple[Path, int, Row]], side: str, describe: Describe) -> list[Row]:
    """The rows; a unit (article, paragraph) given twice is refused naming both lines."""
    first: dict[Hashable, tuple[Path, int]] = {}
    for file, number, row in located:
        key = row.article_id if isinstance(row, ST1Row | ST2Row) else row[:2]
        if key in first:
            seen_file, seen_line = first[key]
            seen = f"line {seen_line}" if seen_file == file else f"{seen_file} line {seen_line}"
            raise FormatError(
                f"{file} line {number}: the {side} has two rows for {describe(key)} (the other "
                f"is {seen}); give exactly one row per unit"
            )
        first[key] = (file, number)
    return [row for _, _, row in located]


_SET_NAMES = {
    _taxonomy.PTC_TECHNIQUES: ("ptc14", "the 14 SemEval-2020 (PTC)"),
    _taxonomy.TECHNIQUES: ("semeval2023", "the 23 SemEval-2023"),
}


def _check_file_labels(
    located: Sequence[tuple[Path, int, FLCRow]], labels: Sequence[str] | None, side: str, task: str
) -> None:
    """`_check_flc_labels` for rows read from files: a bad row is named by its file and line,
    and a prediction written with the other label set is told how to write it again."""
    allowed = set(labels) if labels is not None else set()
    for file, number, row in located:
        where = (
            f"{file} line {number}: {side} row of article {row.article_id} [{row.start}, {row.end})"
        )
        if row.technique == TC_PLACEHOLDER:
            raise FormatError(
                f"{where} has technique '{TC_PLACEHOLDER}'; that is a template, give a file "
                "with techniques"
            )
        if labels is not None and row.technique not in allowed:
            advice = _other_label_set(row.technique, labels, task) if side != "gold" else None
            raise FormatError(
                f"{where} has unknown technique {row.technique!r}; "
                + (advice or f"use one of the {len(allowed)} official names")
            )


def _other_label_set(technique: str, labels: Sequence[str], task: str) -> str | None:
    """For a predicted technique of the other label set than the gold's: which sets the two
    files use, and the option that writes the gold's names; None for any other name."""
    ours = _SET_NAMES.get(tuple(labels))
    theirs = next(
        (named for names, named in _SET_NAMES.items() if technique in names and named != ours),
        None,
    )
    if ours is None or theirs is None:
        return None
    command = "label-spans" if task == "tc" else "analyze --format flc"
    return (
        f"the gold uses {ours[1]} names and the prediction {theirs[1]} ones: write it with "
        f"`propscope {command} --taxonomy {ours[0]}`"
    )


def _with_unknown_articles(
    score: Score, gold: Sequence[SIRow | FLCRow], pred: Sequence[SIRow | FLCRow]
) -> Score:
    """``score`` naming the predicted articles the gold lacks (a gold file without an
    article's rows cannot be told from one whose article has no spans, so this is all that
    can be said)."""
    unknown = sorted({row.article_id for row in pred} - {row.article_id for row in gold})
    return score.model_copy(update={"unknown_articles": unknown}) if unknown else score


def _technique_names(
    gold: Sequence[tuple[Path, int, FLCRow]],
    pred: Sequence[FLCRow],
    name: str | None,
    gold_path: Path,
) -> tuple[str, ...]:
    """The label list of a TC/FLC evaluation: named, or detected from the labels used.

    ``gold`` holds the gold rows with the file and line each was read from, so that a gold
    file mixing the two label sets is refused naming one row of each.
    """
    if name is not None:
        name = _TAXONOMY_ALIASES.get(name, name)
        if name not in _TAXONOMIES:
            raise InputError(f"unknown taxonomy {name!r}; expected one of {', '.join(_TAXONOMIES)}")
        return _TAXONOMIES[name]
    gold_used = {row.technique for _, _, row in gold}
    candidates = [key for key, names in _TAXONOMIES.items() if gold_used <= set(names)]
    if not candidates:
        raise FormatError(_label_set_conflict(gold, gold_path))
    if len(candidates) > 1:
        pred_used = {row.technique for row in pred}
        narrowed = [key for key in candidates if pred_used <= set(_TAXONOMIES[key])]
        candidates = narrowed or candidates
    return _TAXONOMIES[candidates[0]]


_LABEL_SETS = (
    ("SemEval-2020", frozenset(_taxonomy.PTC_TECHNIQUES)),
    ("SemEval-2023", frozenset(_taxonomy.TECHNIQUES)),
)


def _label_set_conflict(gold: Sequence[tuple[Path, int, FLCRow]], gold_path: Path) -> str:
    """Why no one label set holds every gold technique: the first row whose technique is in
    neither set, else the first row of each set whose technique the other set lacks."""

    def where(file: Path, line: int) -> str:
        return f"line {line}" if file == gold_path else f"{file.name} line {line}"

    known = frozenset().union(*(names for _, names in _LABEL_SETS))
    for file, line, row in gold:
        if row.technique not in known:
            return (
                f"{gold_path}: technique {row.technique!r} ({where(file, line)}) is neither a "
                "SemEval-2020 (PTC, 14) nor a SemEval-2023 (23) name; fix the gold labels"
            )
    exclusive = []  # per label set, the first row whose technique only that set has
    for label_set, names in _LABEL_SETS:
        only = names.difference(*(other for _, other in _LABEL_SETS if other is not names))
        index = next(i for i, (_, _, row) in enumerate(gold) if row.technique in only)
        exclusive.append((index, label_set))
    pair = " and ".join(
        f"{gold[index][2].technique!r} ({label_set}, {where(*gold[index][:2])})"
        for index, label_set in sorted(exclusive)
    )
    return (
        f"{gold_path}: {pair}: one file must not mix the two label sets; use one (the 14 "
        "SemEval-2020 or the 23 SemEval-2023 technique names)"
    )
