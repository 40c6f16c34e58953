"""The found-span head: a span head trained on the boundaries the tagger itself finds.

The span head learns techniques from gold spans. The spans it labels in an analysis are
the tagger's detections, which are often a fragment of a gold span or run over two: on the
English tune split the gold-trained head names 69% of the found spans that touch a gold
span correctly when given the gold boundaries, and 56% with the found ones. This module
trains a second head of the same shape, starting from the span head, on what the tagger
finds: on each training article the gold spans, four copies of each with both ends moved by
up to four tokens, and the tagger's own detections at its threshold and two lower ones. A
span's target is the share of its characters that overlap gold spans of each technique
(what the SemEval span + technique score rewards). The encoder is frozen, so the inputs are
computed once. The head is kept, per language, only where it raises span + technique F1 on
the held-out articles; the confidences are then recalibrated there.

    propscope train --found-head-only --output src/propscope/model
    propscope train --found-head-only --output src/propscope/model/multilingual
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from propscope.corpora import LabelledArticle

JITTER_COPIES = 4
MAX_SHIFT = 4  # tokens each end of a gold span may move
THRESHOLD_SHARES = (0.45, 0.67, 1.0)  # detections at these fractions of the threshold
EPOCHS = 3
LEARNING_RATE = 1e-4
BATCH = 64
SEED = 13


def overlap_target(
    article: LabelledArticle, start: int, end: int, index: dict
) -> np.ndarray | None:
    """Each technique's share of the characters that [start, end) has in common with the
    article's gold spans; None when it touches none."""
    target = np.zeros(len(index), np.float32)
    for technique, s, e in article.spans:
        common = min(end, e) - max(start, s)
        if common > 0 and technique in index:
            target[index[technique]] += common
    total = target.sum()
    return target / total if total > 0 else None


def found_candidates(
    tagger, encoded, article: LabelledArticle, rng: random.Random
) -> list[tuple[int, int, np.ndarray]]:
    """(start, end, target) of the spans the found-span head learns from in one article."""
    from propscope.models.tagger import snap

    index = {t: i for i, t in enumerate(tagger.techniques)}
    tokens, text = encoded.tokens, encoded.text
    out = []
    groups: dict[tuple[int, int], set[str]] = {}
    for technique, start, end in article.spans:
        if technique in index:
            groups.setdefault((start, end), set()).add(technique)
    for (start, end), techniques in groups.items():
        target = np.zeros(len(index), np.float32)
        for technique in techniques:
            target[index[technique]] = 1.0 / len(techniques)
        out.append((start, end, target))
        rng_tokens = tokens.token_range(start, end)
        if rng_tokens is None:
            continue
        for _ in range(JITTER_COPIES):
            last_token = len(tokens) - 1
            first = min(max(0, rng_tokens[0] + rng.randint(-MAX_SHIFT, MAX_SHIFT)), last_token)
            last = min(max(first, rng_tokens[1] + rng.randint(-MAX_SHIFT, MAX_SHIFT)), last_token)
            a, b = snap(text, tokens.starts[first], tokens.ends[last])
            jittered = overlap_target(article, a, b, index) if b > a else None
            if jittered is not None:
                out.append((a, b, jittered))
    threshold = float(tagger.decoding["threshold"])
    for share in THRESHOLD_SHARES:
        for a, b, _ in tagger.detect(encoded, threshold=threshold * share):
            target = overlap_target(article, a, b, index)
            if target is not None:
                out.append((a, b, target))
    return out


def fit_found_head(
    tagger, inputs: torch.Tensor, targets: torch.Tensor, seed: int = SEED
) -> torch.nn.Module:
    """A copy of the tagger's span head trained further on (inputs, soft targets)."""
    torch.manual_seed(seed)
    head = copy.deepcopy(tagger.net.span_head).float()
    known = torch.from_numpy(tagger._known)
    optimiser = torch.optim.AdamW(head.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    order = torch.Generator().manual_seed(seed)
    head.train()
    with torch.enable_grad():
        for _ in range(EPOCHS):
            permutation = torch.randperm(len(inputs), generator=order)
            for b in range(0, len(inputs), BATCH):
                rows = permutation[b : b + BATCH]
                logits = head(inputs[rows]).masked_fill(~known, -1e4)
                loss = -(targets[rows] * logits.log_softmax(-1)).sum(-1).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
    return head.eval()


def _span_tech_f1(view, articles: Sequence[LabelledArticle], encoded: Sequence) -> float:
    from propscope.evaluate import score_flc
    from propscope.io.formats import FLCRow
    from propscope.taxonomy import TECHNIQUES

    gold = [FLCRow(a.id, t, s, e) for a in articles for t, s, e in a.spans]
    pred = [
        FLCRow(a.id, r.technique, r.start, r.end)
        for a, enc in zip(articles, encoded, strict=True)
        for r in view.spans_of(enc, calibrated=False)
    ]
    return score_flc(gold, pred, labels=TECHNIQUES).f1 if gold else 0.0


def refit_found_head(
    folder: Path,
    data_dir: Path | None = None,
    limit: int | None = None,
    tune_limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the found-span head of the model directory ``folder`` on the articles its tagger
    trained on, keep it for the languages where it raises span + technique F1 on their
    held-out articles, recalibrate those languages there, and write both into ``folder``."""
    from propscope.models.array_files import save_arrays
    from propscope.models.tagger import FOUND_HEAD_FILE, SpanTagger
    from propscope.train import (
        held_out_corpus,
        language_settings,
        set_calibration,
        span_outcomes,
        write_meta,
    )

    started = time.time()
    folder = Path(folder)
    tagger = SpanTagger.load(folder)
    languages = tagger.languages or ("en",)
    train, tune = held_out_corpus(tagger, data_dir, limit, tune_limit)
    rng = random.Random(SEED)
    inputs, targets = [], []
    with torch.inference_mode():
        for lang in languages:
            view = tagger.for_language(lang)
            for article in train[lang]:
                encoded = view.encode(article.text)
                if encoded.hidden is None:
                    continue
                found = found_candidates(view, encoded, article, rng)
                if found:
                    inputs.append(view.span_inputs(encoded, [(a, b) for a, b, _ in found])[0])
                    targets.extend(target for _, _, target in found)
    if not inputs:
        log("found-span head: no training spans; not fitted")
        return {}
    x, y = torch.cat(inputs), torch.from_numpy(np.stack(targets))
    log(f"found-span head: {len(x):,} training spans; fitting")
    # a clone made outside inference mode: inference tensors cannot be saved for backward
    head = fit_found_head(tagger, x.clone(), y)
    del x, inputs
    tagger.found_head = head
    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    by_language = {}
    for lang in languages:
        view = tagger.for_language(lang)
        articles = tune[lang]
        encoded = [view.encode(a.text) for a in articles]
        settings = view.decoding
        scores = {}
        for found in (0, 1):
            view.decoding = {**settings, "found": found}
            scores[found] = round(_span_tech_f1(view, articles, encoded), 4)
        use = int(scores[1] > scores[0])
        view.decoding = {**settings, "found": use}
        language_settings(meta, tagger, lang).setdefault("decoding", {})["found"] = use
        method = set_calibration(meta, tagger, lang, *span_outcomes(view, articles, encoded))
        by_language[lang] = {
            "held_out_articles": len(articles),
            "held_out_span_tech_f1_span_head": scores[0],
            "held_out_span_tech_f1_found_head": scores[1],
            "used": bool(use),
        }
        log(
            f"{lang}: held-out span+tech F1 {scores[0]:.4f} with the span head, "
            f"{scores[1]:.4f} with the found-span head: {'used' if use else 'not used'}; "
            f"calibration {method}"
        )
    head_meta = {
        "tagger": tagger.meta.get("name"),
        "trained_on": {lang: len(train[lang]) for lang in languages},
        "training_spans": len(y),
        "epochs": EPOCHS,
        "learning_rate": LEARNING_RATE,
        "jitter_copies": JITTER_COPIES,
        "max_shift_tokens": MAX_SHIFT,
        "threshold_shares": list(THRESHOLD_SHARES),
        "seed": SEED,
        "by_language": by_language,
        "seconds": round(time.time() - started),
    }
    arrays = {name: value.detach().numpy() for name, value in head.state_dict().items()}
    save_arrays(folder / FOUND_HEAD_FILE, arrays, head_meta)
    meta["found_head"] = {k: v for k, v in head_meta.items() if k != "by_language"}
    write_meta(folder, meta)
    log(f"wrote {folder / FOUND_HEAD_FILE} in {time.time() - started:.0f} s")
    return head_meta
