"""Train the multilingual span tagger (frozen e5-small features + adapter + heads).

Read top to bottom:
1. ``load_span_corpus``: the SemEval-2023 span annotations of six languages (English = the
   PTC articles relabelled to 23 techniques).
2. ``cache_features``: one pass of the frozen encoder over every training window; the
   features go to a file (a checkpoint: an interrupted run resumes from it).
3. ``fit_adapter``: epochs over the cached features (cheap: one Transformer layer + heads).
4. ``cross_validate``: 3 folds by article; per language SI F1, span + technique soft F1 and
   ST3 micro-F1 derived from the spans, next to a trivial baseline.
5. ``train_multilingual``: fit on every fold but a per-language tune part, choose the decoding
   threshold, calibration and sensitivities per language there, and write a model directory.

    python -m propscope.train_multilingual --output src/propscope/model/multilingual
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from propscope.corpora import LabelledArticle, default_data_dir, load_semeval2023
from propscope.models.files import save_weights
from propscope.models.multilingual import (
    ENCODER_ID,
    FEATURE_LAYERS,
    build_multilingual_network,
    load_encoder,
    trained_state,
)
from propscope.models.network import PersuasionNet
from propscope.models.windows import pad_batch
from propscope.taxonomy import TECHNIQUES
from propscope.train import (
    STRIDE,
    WINDOW,
    Window,
    build_windows,
    collate,
    heads_loss,
    init_head_bias,
    write_model_dir,
)

# Folder names of the shared data -> ISO 639-1 codes used everywhere else.
LANGUAGE_CODES = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru"}
FOLDS = 3


def fold_of(article_id: str, folds: int = FOLDS) -> int:
    """Deterministic fold of an article (by id, stable across machines)."""
    return zlib.crc32(f"fold:{article_id}".encode()) % folds


def load_span_corpus(data_dir: Path | None = None) -> list[LabelledArticle]:
    articles = []
    for folder, code in LANGUAGE_CODES.items():
        for a in load_semeval2023(folder, data_dir):
            articles.append(LabelledArticle(a.id, a.text, a.spans, code, a.labels))
    return articles


@dataclass
class CachedArticle:
    article: LabelledArticle
    windows: list[Window]
    features: list[torch.Tensor]  # per window [len, F] fp16


def cache_features(
    articles: Sequence[LabelledArticle],
    net: PersuasionNet,
    tokenizer,
    path: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[CachedArticle]:
    """Encode every window once with the frozen encoder; resume from ``path`` if it exists."""
    done: dict[str, list[torch.Tensor]] = {}
    if path is not None and path.exists():
        done = torch.load(path)
        log(f"resuming from {path}: {len(done)} articles cached")
    out, started, new = [], time.time(), 0
    encoder = net.encoder
    for i, article in enumerate(articles):
        windows = build_windows([article], tokenizer, TECHNIQUES)
        if article.id not in done:
            feats = []
            for b in range(0, len(windows), 8):
                chunk = windows[b : b + 8]
                rows = [w.input_ids for w in chunk]
                f = encoder.features(*pad_batch(rows, tokenizer.pad_token_id))
                feats += [f[r, : len(w.input_ids)].to(torch.float16) for r, w in enumerate(chunk)]
            done[article.id] = feats
            new += 1
            if path is not None and (new % 50 == 0):
                torch.save(done, path)
                rate = new / (time.time() - started)
                log(f"cached {i + 1}/{len(articles)} articles ({rate:.2f} articles/s)")
        out.append(CachedArticle(article, windows, done[article.id]))
    if path is not None and new:
        torch.save(done, path)
    return out


def fit_adapter(
    net: PersuasionNet,
    cached: Sequence[CachedArticle],
    epochs: int = 6,
    batch_size: int = 32,
    lr: float = 1e-3,
    span_weight: float = 0.5,
    seed: int = 13,
    log: Callable[[str], None] = print,
) -> None:
    """AdamW with warm-up and linear decay over the adapter and both heads."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    items = [(w, f) for c in cached for w, f in zip(c.windows, c.features, strict=True)]
    init_head_bias(net, [w for w, _ in items])
    params = [p for n, p in net.named_parameters() if not n.startswith("encoder.bert.")]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = math.ceil(len(items) / batch_size) * epochs
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(total - warmup, 1)))
    )
    for epoch in range(1, epochs + 1):
        net.train()
        order = list(range(len(items)))
        rng.shuffle(order)
        started, losses = time.time(), []
        for i in range(0, len(order), batch_size):
            chosen = [items[j] for j in order[i : i + batch_size]]
            batch = collate([w for w, _ in chosen], 0, features=[f for _, f in chosen])
            hidden = net.encoder.adapter(batch["features"], batch["attention_mask"])
            loss, parts = heads_loss(net, hidden, net.token_head(hidden), batch, span_weight)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        log(
            f"epoch {epoch}/{epochs}: loss {np.mean(losses):.4f} "
            f"({len(items) / (time.time() - started):.1f} windows/s)"
        )
    net.eval()


class _FeatureLookup:
    """Serves cached encoder features to ``SpanTagger.encode`` (same windows, same ids)."""

    def __init__(self, cached: Sequence[CachedArticle]) -> None:
        self.table = {
            tuple(w.input_ids): f
            for c in cached
            for w, f in zip(c.windows, c.features, strict=True)
        }

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        rows = []
        for ids, mask in zip(input_ids, attention_mask, strict=True):
            key = tuple(ids[mask.bool()].tolist())
            rows.append(self.table[key].float())
        out = torch.zeros((len(rows), input_ids.shape[1], rows[0].shape[1]))
        for r, f in enumerate(rows):
            out[r, : len(f)] = f
        return out


def tagger_on_cache(net: PersuasionNet, tokenizer, meta: dict, cached: Sequence[CachedArticle]):
    """A SpanTagger whose encoder reads the cache (no second encoder pass for evaluation)."""
    from propscope.models.tagger import SpanTagger

    net.encoder.features = _FeatureLookup(cached)  # instance attribute shadows the method
    return SpanTagger(net, tokenizer, meta)


# -- evaluation --------------------------------------------------------------------------------
def scores(tagger, articles: Sequence[LabelledArticle], **decoding) -> dict[str, float]:
    """SI F1, span + technique soft F1 (23 techniques) and ST3 micro-F1 from spans."""
    from propscope.evaluate import score_flc, score_si, score_st3
    from propscope.io.formats import FLCRow, SIRow

    gold_si, gold_flc, pred_si, pred_flc = [], [], [], []
    gold_st3, pred_st3 = [], []
    for a in articles:
        spans = tagger.predict(a.text, calibrated=False, **decoding)
        gold_si += [SIRow(a.id, s, e) for _, s, e in a.spans]
        gold_flc += [FLCRow(a.id, t, s, e) for t, s, e in a.spans]
        pred_si += [SIRow(a.id, r.start, r.end) for r in spans]
        pred_flc += [FLCRow(a.id, r.technique, r.start, r.end) for r in spans]
        gold_st3 += _paragraph_rows(a.id, a.text, [(t, s, e) for t, s, e in a.spans])
        pred_st3 += _paragraph_rows(a.id, a.text, [(r.technique, r.start, r.end) for r in spans])
    return {
        "si_f1": score_si(gold_si, pred_si).f1,
        "span_technique_f1": score_flc(gold_flc, pred_flc, labels=TECHNIQUES).f1,
        "st3_f1_from_spans": score_st3(gold_st3, pred_st3, TECHNIQUES).f1,
        "predicted_per_gold": len(pred_si) / max(len(gold_si), 1),
    }


def _paragraph_rows(article_id: str, text: str, spans):
    """Techniques per non-empty line (SemEval-2023 paragraphs), from character spans."""
    from propscope.io.formats import ST3Row

    rows, pos = [], 0
    for index, line in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(line.rstrip("\r"))
        pos += len(line) + 1
        if not line.strip():
            continue
        found = {t for t, s, e in spans if s < end and start < e}
        rows.append(ST3Row(article_id, index, tuple(t for t in TECHNIQUES if t in found)))
    return rows


def baseline_scores(articles: Sequence[LabelledArticle]) -> dict[str, float]:
    """Every paragraph one span of the language's most common technique."""
    from collections import Counter

    from propscope.evaluate import score_flc, score_st3
    from propscope.io.formats import FLCRow

    counts = Counter(t for a in articles for t, _, _ in a.spans)
    common = counts.most_common(1)[0][0] if counts else "Loaded_Language"
    gold_flc, pred_flc, gold_st3, pred_st3 = [], [], [], []
    for a in articles:
        gold_flc += [FLCRow(a.id, t, s, e) for t, s, e in a.spans]
        lines, pos = [], 0
        for line in a.text.split("\n"):
            if line.strip():
                lines.append((common, pos, pos + len(line.rstrip("\r"))))
            pos += len(line) + 1
        pred_flc += [FLCRow(a.id, t, s, e) for t, s, e in lines]
        gold_st3 += _paragraph_rows(a.id, a.text, list(a.spans))
        pred_st3 += _paragraph_rows(a.id, a.text, lines)
    return {
        "span_technique_f1": score_flc(gold_flc, pred_flc, labels=TECHNIQUES).f1,
        "st3_f1_from_spans": score_st3(gold_st3, pred_st3, TECHNIQUES).f1,
    }


THRESHOLDS = tuple(round(0.25 + 0.05 * i, 2) for i in range(12))  # 0.25 ... 0.8
GAPS = (0, 2, 4, 8)
EXTENDS = (1.0, 0.8, 0.6, 0.45)


def tune_decoding(tagger, articles: Sequence[LabelledArticle]) -> tuple[dict, float]:
    """Threshold, gap and extension ratio with the best span + technique soft F1 on
    ``articles`` (non-English gold spans are twice as long as English ones, so the
    decoding that joins and grows spans matters as much as the threshold)."""
    import itertools

    from propscope.evaluate import score_flc
    from propscope.io.formats import FLCRow

    encoded = [tagger.encode(a.text) for a in articles]
    gold = [FLCRow(a.id, t, s, e) for a in articles for t, s, e in a.spans]
    best: tuple[float, dict] = (-1.0, {})
    for threshold, gap, extend in itertools.product(THRESHOLDS, GAPS, EXTENDS):
        pred = []
        for a, enc in zip(articles, encoded, strict=True):
            found = tagger.detect(enc, threshold=threshold, gap=gap, extend=extend)
            spans = [(s, e) for s, e, _ in found]
            for (s, e), p in zip(spans, tagger.classify(enc, spans), strict=True):
                pred.append(FLCRow(a.id, tagger.techniques[int(p.argmax())], s, e))
        f1 = score_flc(gold, pred, labels=TECHNIQUES).f1
        if f1 > best[0]:
            best = (f1, {"threshold": threshold, "gap": gap, "extend": extend})
    return best[1], best[0]


def cross_validate(
    cached: Sequence[CachedArticle], tokenizer, epochs: int, log: Callable[[str], None] = print
) -> dict:
    """3 folds by article: train on two, pick a threshold per language on half of the third
    (by id), report on the other half; return per-language means and spreads."""
    results: dict[str, list[dict]] = {}
    for fold in range(FOLDS):
        train = [c for c in cached if fold_of(c.article.id) != fold]
        held = [c for c in cached if fold_of(c.article.id) == fold]
        net = build_multilingual_network(len(TECHNIQUES))
        fit_adapter(net, train, epochs=epochs, log=log)
        meta = _meta(train)
        tagger = tagger_on_cache(net, tokenizer, meta, held)
        for lang in LANGUAGE_CODES.values():
            mine = [c.article for c in held if c.article.lang == lang]
            tune = [a for a in mine if half(a.id) == 0]
            test = [a for a in mine if half(a.id) == 1]
            row = held_out_row(tagger, tune, test)
            results.setdefault(lang, []).append(row)
            log(f"fold {fold} {lang}: {json.dumps({k: round(v, 4) for k, v in row.items()})}")
    return summarise(results)


def half(article_id: str) -> int:
    """Which half of a held-out fold an article is in: 0 chooses the decoding, 1 scores it."""
    return zlib.crc32(article_id.encode()) % 2


def held_out_row(tagger, tune: Sequence[LabelledArticle], test: Sequence[LabelledArticle]):
    """One language of one fold: decoding chosen on ``tune``, scores on ``test``, with the
    chosen settings and the baseline's scores in the same row."""
    decoding, _ = tune_decoding(tagger, tune)
    row = scores(tagger, test, **decoding)
    row.update(decoding)
    row.update({f"baseline_{k}": v for k, v in baseline_scores(test).items()})
    return row


def summarise(results: dict[str, list[dict]]) -> dict:
    """Per language and measure, mean and standard deviation over the folds' rows."""
    return {
        lang: {
            k: {
                "mean": round(float(np.mean([r[k] for r in rows])), 4),
                "std": round(float(np.std([r[k] for r in rows])), 4),
            }
            for k in rows[0]
        }
        for lang, rows in results.items()
    }


def first_per_language(
    articles: Sequence[LabelledArticle], limit: int | None
) -> list[LabelledArticle]:
    """The first ``limit`` articles of each language (all of them without a limit)."""
    if not limit:
        return list(articles)
    return [
        a
        for lang in LANGUAGE_CODES.values()
        for a in [x for x in articles if x.lang == lang][:limit]
    ]


def paragraph_sources(summary: dict) -> dict[str, str]:
    """Per language, ``spans`` when paragraph techniques derived from the tagger's spans
    beat the character n-gram paragraph classifier in cross-validation, else ``union``
    (the spans' techniques plus the classifier's: on held-out articles the union scored at
    least as well as the classifier alone in all six languages, `bench/paragraph_sources.py`,
    and it keeps every highlighted technique in its paragraph's set)."""
    from propscope.models.article_classifiers import load_article_models

    ngram = load_article_models().metrics["cross_validation"]["st3"]
    return {
        lang: "spans" if stats["st3_f1_from_spans"]["mean"] > ngram[lang] else "union"
        for lang, stats in summary.items()
    }


def tagger_meta(trained: Sequence[LabelledArticle], **identity) -> dict:
    """What a tagger reads from ``propscope.json`` before its settings are chosen:
    ``identity`` (architecture, encoder, ...), the techniques and the starting decoding."""
    return {
        **identity,
        "techniques": list(TECHNIQUES),
        "trained_techniques": sorted({t for a in trained for t, _, _ in a.spans}),
        "window": WINDOW,
        "stride": STRIDE,
        "decoding": {"threshold": 0.4, "gap": 2, "min_chars": 3, "extend": 0.8, "alpha": 1.0},
    }


def _meta(train: Sequence[CachedArticle]) -> dict:
    from propscope.models.files import MULTILINGUAL

    return tagger_meta([c.article for c in train], architecture=MULTILINGUAL, encoder=ENCODER_ID)


def _in_tune(article_id: str) -> bool:
    return zlib.crc32(f"tune:{article_id}".encode()) % 6 == 0


def train_multilingual(
    output: Path,
    data_dir: Path | None = None,
    epochs: int = 6,
    cache: Path | None = None,
    cv: bool = True,
    limit: int | None = None,
    english_articles: int | None = 100,
    log: Callable[[str], None] = print,
) -> dict:
    """Cross-validate (optional), then fit the shipped model and write its directory."""
    from propscope import __version__
    from propscope.models.calibration import choose_calibration
    from propscope.train import choose_sensitivities, span_outcomes

    started = time.time()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    articles = load_span_corpus(data_dir)
    if english_articles is not None:
        # English has more span data than the five others together and keeps its own
        # (MiniLM) tagger; a sample keeps the cross-lingual signal at a third of the cost.
        english = sorted(
            (a for a in articles if a.lang == "en"), key=lambda a: zlib.crc32(a.id.encode())
        )[:english_articles]
        articles = [a for a in articles if a.lang != "en"] + english
    articles = first_per_language(articles, limit)
    bert, tokenizer = load_encoder()
    encoder_net = build_multilingual_network(len(TECHNIQUES), bert)
    cached = cache_features(articles, encoder_net, tokenizer, cache, log=log)
    log(
        f"{len(cached)} articles, {sum(len(c.windows) for c in cached)} windows cached "
        f"in {time.time() - started:.0f} s"
    )
    # The shipped model: every article but a tune part per language (1 in 6, by id).
    tune_ids = {c.article.id for c in cached if _in_tune(c.article.id)}
    train = [c for c in cached if c.article.id not in tune_ids]
    tune = [c for c in cached if c.article.id in tune_ids]
    net = build_multilingual_network(len(TECHNIQUES))
    fit_adapter(net, train, epochs=epochs, log=log)
    meta = _meta(train)
    tagger = tagger_on_cache(net, tokenizer, meta, tune)
    per_language = {}
    for lang in LANGUAGE_CODES.values():
        mine = [c.article for c in tune if c.article.lang == lang]
        decoding, f1 = tune_decoding(tagger, mine)
        tagger.decoding.update(decoding)
        sens = choose_sensitivities(tagger, mine)
        method, calibration, cv_ece = choose_calibration(*span_outcomes(tagger, mine))
        per_language[lang] = {
            "threshold": decoding["threshold"],
            "decoding": decoding,
            "tune_span_technique_f1": round(f1, 4),
            "sensitivity": sens,
            "calibration": {**calibration.to_dict(), "method": method, "cv_ece": cv_ece},
        }
        log(f"{lang}: {decoding} (tune span+technique F1 {f1:.4f}), {sens}, {method}")
    meta.update(
        name="propscope-multilingual-span-tagger",
        version=__version__,
        trained_on=(
            "SemEval-2023 Task 3 span annotations, en (= PTC v2 articles) fr de it pl ru: "
            f"{len(train)} articles; thresholds and calibration per language on {len(tune)}"
        ),
        languages=per_language,
        training_seconds=round(time.time() - started),
    )
    output = Path(output)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in trained_state(net).items()}

    def write(folder: Path) -> None:
        save_weights(state, folder / "weights.safetensors")
        (folder / "propscope.json").write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )

    write_model_dir(output, write, replace_shipped="multilingual")
    log(f"wrote {output} in {time.time() - started:.0f} s")
    if cv:  # after the model is safe on disk: the folds take as long again
        summary = cross_validate(cached, tokenizer, epochs, log=log)
        meta["cross_validation"] = {"folds": FOLDS, "epochs": epochs, "per_language": summary}
        for lang, source in paragraph_sources(summary).items():
            meta["languages"][lang]["paragraphs"] = source
        (output / "propscope.json").write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        log(f"cross-validation written to {output / 'propscope.json'}")
    return meta


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--cache", type=Path, default=Path("runs/e5-features.pt"))
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="articles per language")
    parser.add_argument("--english-articles", type=int, default=100)
    parser.add_argument(
        "--genre-only", action="store_true", help="fit the genre model into --output (uses --cache)"
    )
    parser.add_argument(
        "--frames-only", action="store_true", help="fit the frame model into --output"
    )
    parser.add_argument(
        "--paragraphs-only",
        action="store_true",
        help="fit the paragraph-technique probe into --output (a model directory)",
    )
    args = parser.parse_args(argv)
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    if args.genre_only:
        train_genre(args.output, args.data, args.cache)
        return
    if args.frames_only:
        train_frames(args.output, args.data, limit=args.limit)
        return
    if args.paragraphs_only:
        train_paragraph_probe(args.output, args.data)
        return
    train_multilingual(
        args.output,
        args.data or default_data_dir(),
        args.epochs,
        args.cache,
        cv=not args.no_cv,
        limit=args.limit,
        english_articles=args.english_articles,
    )


# -- genre ---------------------------------------------------------------------------------------
# The languages whose genre labels the model is fitted on. English's are left out: out of
# fold, the pooled features tell English reporting from English opinion no better than chance
# (AUC 0.55, ``reporting_auc`` of the "with_all_labels" run in genre.npz), so those labels
# teach only their 91%-opinion prior, and a model fitted with them calls about nine English
# articles in ten opinion, whatever they are (real news is mostly reporting). Without them,
# English genre is zero-shot, learned from the five languages whose labels the features do
# predict; ``leave_one_language_out`` measures what zero-shot gives in each of those five.
GENRE_LABEL_LANGUAGES = ("fr", "de", "it", "pl", "ru")
# Regularisation strengths tried; the one whose leave-one-language-out macro-F1 is best wins,
# as that is how English (zero-shot) is served. In-language scores are reported beside it.
GENRE_C = (0.005, 0.01, 0.02, 0.05, 0.5)


def _genre_scores(ids, langs, labels, predicted, oof) -> dict[str, dict]:
    """Per language: macro-F1, the majority class's, reporting counts and the reporting AUC."""
    from sklearn.metrics import roc_auc_score

    from propscope.evaluate import score_st1
    from propscope.io.formats import ST1Row

    out = {}
    for lang in LANGUAGE_CODES.values():
        chosen = [i for i in range(len(ids)) if langs[i] == lang]
        gold = [ST1Row(ids[i], labels[i]) for i in chosen]
        pred = [ST1Row(ids[i], predicted[i]) for i in chosen]
        majority = max(set(labels[i] for i in chosen), key=[labels[i] for i in chosen].count)
        # reporting against opinion, ranked by the reporting logit: does the model separate them?
        pairs = [i for i in chosen if labels[i] != "satire"]
        truth = [labels[i] == "reporting" for i in pairs]
        auc = roc_auc_score(truth, oof[pairs, 1]) if len(set(truth)) == 2 else None
        out[lang] = {
            "macro_f1": round(score_st1(gold, pred).f1, 4),
            "majority_macro_f1": round(
                score_st1(gold, [ST1Row(g.article_id, majority) for g in gold]).f1, 4
            ),
            "reporting_predicted": sum(p.label == "reporting" for p in pred),
            "reporting_gold": sum(g.label == "reporting" for g in gold),
            "reporting_auc": None if auc is None else round(float(auc), 4),
        }
    return out


def genre_cross_validation(
    x: np.ndarray,
    ids: list[str],
    langs: list[str],
    labels: list[str],
    c: float,
    label_languages: Sequence[str],
    folds: int = 5,
) -> tuple[dict[str, dict], float]:
    """Out-of-fold genre scores per language (folds stratified by language and genre) and the
    fitted temperature. Every article is predicted by a model that never saw it; only the
    labels of ``label_languages`` are fitted, so the other languages are scored zero-shot."""
    from sklearn.model_selection import StratifiedKFold

    from propscope.models.genre import fit_genre_model, fit_temperature

    fitted = np.array([lang in label_languages for lang in langs])
    # Stratified by language and genre; the other languages by language alone, so that their
    # labels only ever score predictions (not even the folds depend on them).
    strata = [
        f"{lang}:{label}" if fit else lang
        for lang, label, fit in zip(langs, labels, fitted, strict=True)
    ]
    # strata with fewer members than folds go with their language
    counts = {s: strata.count(s) for s in set(strata)}
    strata = [s if counts[s] >= folds else s.split(":")[0] for s in strata]
    predicted = [""] * len(ids)
    oof = np.zeros((len(ids), 3))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=7)
    for train_idx, test_idx in splitter.split(x, strata):
        train_idx = train_idx[fitted[train_idx]]
        model = fit_genre_model(x[train_idx], [labels[i] for i in train_idx], c=c)
        for i in test_idx:
            oof[i] = model.logits(x[i])
            predicted[i] = model.classes[int(oof[i].argmax())]
    rows = np.flatnonzero(fitted)
    temperature = fit_temperature(oof[rows], [labels[i] for i in rows], model.classes)
    return _genre_scores(ids, langs, labels, predicted, oof), temperature


def leave_one_language_out(
    x: np.ndarray, langs: list[str], labels: list[str], c: float, label_languages: Sequence[str]
) -> dict[str, float]:
    """Macro-F1 of each label language predicted by a model fitted on the others alone: what
    genre is worth in a language whose labels the model never saw (English's case)."""
    from propscope.evaluate import score_st1
    from propscope.io.formats import ST1Row
    from propscope.models.genre import fit_genre_model

    out = {}
    for held in label_languages:
        train_idx = [i for i, lang in enumerate(langs) if lang in label_languages and lang != held]
        model = fit_genre_model(x[train_idx], [labels[i] for i in train_idx], c=c)
        test_idx = [i for i, lang in enumerate(langs) if lang == held]
        gold = [ST1Row(str(i), labels[i]) for i in test_idx]
        pred = [ST1Row(str(i), model.classes[int(model.logits(x[i]).argmax())]) for i in test_idx]
        out[held] = round(score_st1(gold, pred).f1, 4)
    return out


def train_genre(
    output: Path,
    data_dir: Path | None = None,
    cache: Path | None = None,
    folds: int = 5,
    label_languages: Sequence[str] = GENRE_LABEL_LANGUAGES,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the genre model on the ST1 labels of ``label_languages``; report out-of-fold
    macro-F1 per language (all six; the others zero-shot) next to the majority class, the
    same with English's labels fitted too, and leave-one-language-out macro-F1."""
    from propscope.io.formats import read_st1
    from propscope.models.genre import (
        GENRE_LAYERS,
        POOLED_WINDOWS,
        fit_genre_model,
        genre_style,
        pool_windows,
        pooled_features,
    )

    root = (data_dir or default_data_dir()) / "semeval2023_task3"
    cached = torch.load(cache) if cache is not None and cache.exists() else {}
    encoder, tokenizer = None, None
    ids, langs, labels, rows = [], [], [], []
    started = time.time()
    for folder, code in LANGUAGE_CODES.items():
        for row in read_st1(root / folder / "train-labels-subtask-1.txt"):
            path = root / folder / "train-articles-subtask-1" / f"article{row.article_id}.txt"
            text = path.read_text(encoding="utf-8")
            if row.article_id in cached and set(GENRE_LAYERS) <= set(FEATURE_LAYERS):
                # the adapter's cache holds the FEATURE_LAYERS side by side, 384 columns each
                pooled = pool_windows(cached[row.article_id][:POOLED_WINDOWS])
                pooled = np.concatenate(
                    [pooled[384 * FEATURE_LAYERS.index(i) :][:384] for i in GENRE_LAYERS]
                )
            else:
                if encoder is None:
                    bert, tokenizer = load_encoder()
                    encoder = build_multilingual_network(len(TECHNIQUES), bert).encoder
                pooled = pooled_features(encoder, tokenizer, text, layers=GENRE_LAYERS)
            rows.append(np.concatenate([pooled, genre_style(text, code)]))
            ids.append(row.article_id)
            langs.append(code)
            labels.append(row.label)
    x = np.vstack(rows)
    log(f"genre features of {len(ids)} articles in {time.time() - started:.0f} s")
    label_languages = tuple(label_languages)
    scores_by_c: dict[float, dict[str, dict]] = {}
    temperatures: dict[float, float] = {}
    zero_shot_by_c: dict[float, dict[str, float]] = {}
    for c in GENRE_C:
        scores_by_c[c], temperatures[c] = genre_cross_validation(
            x, ids, langs, labels, c, label_languages, folds
        )
        zero_shot_by_c[c] = leave_one_language_out(x, langs, labels, c, label_languages)
        log(f"genre C={c}: {json.dumps(scores_by_c[c])}")
        log(f"genre C={c}, leave-one-language-out: {json.dumps(zero_shot_by_c[c])}")
    # C by the mean over the languages left out in turn (English's zero-shot case), not by
    # any one of them
    best_c = max(zero_shot_by_c, key=lambda c: np.mean(list(zero_shot_by_c[c].values())))
    all_six = tuple(LANGUAGE_CODES.values())
    with_all, _ = genre_cross_validation(x, ids, langs, labels, best_c, all_six, folds)
    zero_shot = zero_shot_by_c[best_c]
    log(f"genre with every language's labels: {json.dumps(with_all)}")
    fit_rows = [i for i, lang in enumerate(langs) if lang in label_languages]
    model = fit_genre_model(x[fit_rows], [labels[i] for i in fit_rows], c=best_c)
    model.meta = {
        "C": best_c,
        "temperature": temperatures[best_c],
        "feature_layers": list(GENRE_LAYERS),
        "label_languages": list(label_languages),
        "trained_on": f"SemEval-2023 Task 3 subtask 1, the labels of {len(fit_rows)} articles in "
        f"{', '.join(label_languages)}"
        + (
            ""
            if set(label_languages) == set(all_six)
            else f" (other languages zero-shot: "
            f"{', '.join(lang for lang in all_six if lang not in label_languages)})"
        ),
        "cross_validation": {"folds": folds, "per_language": scores_by_c[best_c]},
        "cross_validation_by_C": {str(c): v for c, v in scores_by_c.items()},
        "with_all_labels": {"folds": folds, "per_language": with_all},
        "leave_one_language_out": zero_shot,
        "leave_one_language_out_by_C": {str(c): v for c, v in zero_shot_by_c.items()},
    }
    output.mkdir(parents=True, exist_ok=True)
    model.save(output)
    log(f"genre model (C={best_c}) written to {output}")
    return model.meta


# -- frames --------------------------------------------------------------------------------------
# Regularisation strengths tried for the frame model; the best cross-validated micro-F1 over
# the six languages' articles together wins.
FRAMES_C = (0.002, 0.005, 0.01, 0.02, 0.05)
FRAME_FOLDS = 5


def frame_rows(data, log: Callable[[str], None] = print) -> np.ndarray:
    """[pooled frozen-e5 states, style] of each article of ``data`` (a
    ``train_articles.ArticleData``): the row the analysis computes once for genre and frames."""
    from propscope.models.genre import article_row
    from propscope.models.multilingual import frozen_features

    encoder, tokenizer = frozen_features(None)
    started = time.time()
    rows = [
        article_row(encoder, tokenizer, text, lang)
        for text, lang in zip(data.texts, data.langs, strict=True)
    ]
    log(f"frame features of {len(rows)} articles in {time.time() - started:.0f} s")
    return np.vstack(rows)


def frame_folds(data, folds: int = FRAME_FOLDS, seed: int = 0) -> list[tuple[np.ndarray, ...]]:
    """The (train, held) folds by article, stratified by language and genre: the same as the
    character n-gram models' cross-validation (``train_articles``), so the two compare."""
    import warnings

    from sklearn.model_selection import StratifiedKFold

    strata = [f"{lang}-{genre}" for lang, genre in zip(data.langs, data.genres, strict=True)]
    with warnings.catch_warnings():  # English has 2 satire articles: fewer than the folds
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        return list(
            StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(
                data.texts, strata
            )
        )


def frame_cross_validation(
    x: np.ndarray, data, c: float, folds: int = FRAME_FOLDS, seed: int = 0
) -> tuple[dict[str, float], np.ndarray]:
    """ST2 micro-F1 per language (and "all") of out-of-fold frame sets, and those sets."""
    from propscope.models.frames import fit_frame_model
    from propscope.taxonomy import FRAMES
    from propscope.train_articles import _st2_score

    y = data.frame_matrix()
    ids = np.asarray(data.ids)
    predicted = np.zeros(y.shape, dtype=np.int8)
    for train, held in frame_folds(data, folds, seed):
        model = fit_frame_model(x[train], y[train], ids[train], FRAMES, c)
        for i in held:
            chosen = model.labels(model.probabilities(x[i]))
            predicted[i] = [name in chosen for name in FRAMES]
    langs = np.asarray(data.langs)
    scores = {}
    for lang in [*dict.fromkeys(data.langs), "all"]:
        rows = np.arange(len(ids)) if lang == "all" else np.flatnonzero(langs == lang)
        scores[lang] = round(_st2_score(list(ids[rows]), y[rows], predicted[rows]), 4)
    return scores, predicted


def train_frames(
    output: Path,
    data_dir: Path | None = None,
    folds: int = FRAME_FOLDS,
    log: Callable[[str], None] = print,
    limit: int | None = None,
) -> dict:
    """Fit the frame model on the ST2 labels of all six languages over the pooled frozen-e5
    states and style (what genre reads); choose C by cross-validated micro-F1 and store
    every C's per-language scores in the file. ``limit``: the first N articles of each
    language (a quick check; the shipped model reads all)."""
    from propscope.models.frames import fit_frame_model
    from propscope.models.genre import GENRE_LAYERS, POOLED_WINDOWS
    from propscope.taxonomy import FRAMES
    from propscope.train_articles import load_article_data

    data = load_article_data(data_dir, limit=limit)
    x = frame_rows(data, log)
    by_c = {}
    for c in FRAMES_C:
        by_c[c], _ = frame_cross_validation(x, data, c, folds)
        log(f"frames C={c}: ST2 micro-F1 {json.dumps(by_c[c])}")
    best_c = max(by_c, key=lambda c: by_c[c]["all"])
    model = fit_frame_model(x, data.frame_matrix(), data.ids, FRAMES, best_c)
    model.meta = {
        "C": best_c,
        "feature_layers": list(GENRE_LAYERS),
        "pooled_windows": POOLED_WINDOWS,
        "trained_on": f"SemEval-2023 Task 3 subtask 2, the frames of {len(data.ids)} articles "
        f"in {', '.join(dict.fromkeys(data.langs))}",
        "cross_validation": {"folds": folds, "per_language": by_c[best_c]},
        "cross_validation_by_C": {str(c): v for c, v in by_c.items()},
    }
    output.mkdir(parents=True, exist_ok=True)
    model.save(output)
    log(f"frame model (C={best_c}, cut-off {model.threshold}) written to {output}")
    return model.meta


# -- paragraph techniques -------------------------------------------------------------------------
PROBE_FOLDS = 5


def train_paragraph_probe(
    output: Path,
    data_dir: Path | None = None,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the paragraph-technique probe on the frozen encoder's paragraph states of all six
    languages, choose each language's threshold on out-of-fold probabilities, and write it
    into the model directory ``output``; it serves the non-English languages where it scored
    better than the n-gram models.

    Cross-validation by article: fold k of every language is held out at once, the probe is
    fitted on the rest of all six languages, and a language's threshold is chosen on inner
    (3-fold) out-of-fold probabilities of its training paragraphs. The character n-gram
    models are scored on the same folds for comparison."""
    from sklearn.model_selection import GroupKFold

    from propscope.models.linear_text import best_global_threshold, ngram_counts, predict_sets
    from propscope.models.multilingual import frozen_features
    from propscope.models.paragraph_encoder import fit_probe, paragraph_features
    from propscope.train_articles import (
        ParagraphConfig,
        _fit_paragraphs,
        _paragraph_scores,
        _st3_score,
        load_paragraph_data,
    )

    started = time.time()
    encoder, tokenizer = frozen_features(None)
    languages = list(LANGUAGE_CODES.values())
    data = {code: load_paragraph_data(code, data_dir, limit) for code in languages}
    x = np.vstack([paragraph_features(encoder, tokenizer, data[c].texts) for c in languages])
    log(f"paragraph features of {len(x)} paragraphs in {time.time() - started:.0f} s")
    y = np.vstack([data[c].y for c in languages])
    language = np.concatenate([[c] * len(data[c].texts) for c in languages])
    groups = np.concatenate([np.asarray(data[c].article_ids) for c in languages])
    fold = np.zeros(len(x), dtype=int)
    for c in languages:
        rows = np.flatnonzero(language == c)
        splits = GroupKFold(min(PROBE_FOLDS, len(set(groups[rows])))).split(
            rows, groups=groups[rows]
        )
        for k, (_, held) in enumerate(splits):
            fold[rows[held]] = k

    def oof(rows: np.ndarray, folds: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), len(TECHNIQUES)))
        for k in np.unique(folds):
            fitted = fit_probe(x[rows[folds != k]], y[rows[folds != k]], TECHNIQUES)
            out[folds == k] = fitted.probabilities(x[rows[folds == k]])
        return out

    predicted = {c: np.zeros_like(data[c].y) for c in languages}
    ngram = {c: np.zeros_like(data[c].y) for c in languages}
    counted = {c: ngram_counts(data[c].texts) for c in languages}
    outer = np.zeros((len(x), len(TECHNIQUES)))
    for k in np.unique(fold):
        train = np.flatnonzero(fold != k)
        held = np.flatnonzero(fold == k)
        outer[held] = fit_probe(x[train], y[train], TECHNIQUES).probabilities(x[held])
        inner_folds = np.zeros(len(train), dtype=int)
        for j, (_, part) in enumerate(GroupKFold(3).split(train, groups=groups[train])):
            inner_folds[part] = j
        inner = oof(train, inner_folds)
        for c in languages:
            mine = language[train] == c
            threshold = best_global_threshold(inner[mine], y[train][mine])
            held_c = held[language[held] == c]
            offset = np.flatnonzero(language == c)[0]
            predicted[c][held_c - offset] = outer[held_c] >= threshold
            d = data[c]
            train_c = np.flatnonzero(fold[language == c] != k)
            model, columns, _ = _fit_paragraphs(d, *counted[c], train_c, ParagraphConfig())
            scores = _paragraph_scores(model, columns, d, counted[c][0], held_c - offset)
            ngram[c][held_c - offset] = predict_sets(
                model.heads.calibrate(scores), model.thresholds
            )
        log(f"paragraph probe fold {k + 1}/{PROBE_FOLDS} ({time.time() - started:.0f} s)")
    cv = {
        c: {
            "micro_f1": round(_st3_score(data[c], predicted[c]), 4),
            "ngram_micro_f1": round(_st3_score(data[c], ngram[c]), 4),
            "paragraphs": len(data[c].texts),
        }
        for c in languages
    }
    log(f"paragraph probe cross-validation: {json.dumps(cv)}")
    probe = fit_probe(x, y, TECHNIQUES)
    probe.thresholds = {
        c: round(best_global_threshold(outer[language == c], y[language == c]), 4)
        for c in languages
    }
    probe.meta = {
        "features": "frozen multilingual-e5-small, mean of layers 6 and 9 over the paragraph",
        "trained_on": f"SemEval-2023 Task 3 subtask 3, six languages, {len(x)} paragraphs",
        "cross_validation": {"folds": PROBE_FOLDS, "by": "article", "per_language": cv},
        "command": "python -m propscope.train_multilingual --paragraphs-only --output DIR",
        # the languages whose paragraph techniques come from the probe: where it beat the
        # n-gram models (English keeps the spans + n-gram union of its own tagger)
        "languages": [
            c for c in languages if c != "en" and cv[c]["micro_f1"] > cv[c]["ngram_micro_f1"]
        ],
    }
    output.mkdir(parents=True, exist_ok=True)
    probe.save(output)
    log(f"paragraph probe written to {output} in {time.time() - started:.0f} s")
    return probe.meta


if __name__ == "__main__":
    main()
