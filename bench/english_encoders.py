"""English: the MiniLM tagger against fine-tuned e5-small on the same 3 folds by article.

Both are scored with the protocol of ``propscope.train_finetune.cross_validate``: train on
two folds, choose threshold / gap / extension on half of the third (by id), score on the
other half. The e5 row is read from a ``train_finetune run`` output (``cv-folds.json``);
this script fine-tunes MiniLM per fold (as ``propscope train`` does: 3 epochs) and prints
both. MiniLM fine-tuning takes about 40 min per fold on 2 CPU cores, so it can run where
a GPU is lent: ``pack`` writes what it needs (English articles, MiniLM in fp16) under
``runs/``, ``run`` reads only that.

    python bench/english_encoders.py pack
    python bench/english_encoders.py run --e5 src/propscope/model/multilingual/propscope.json
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import zlib
from pathlib import Path

import numpy as np
import torch

from propscope.corpora import LabelledArticle, load_semeval2023
from propscope.taxonomy import TECHNIQUES
from propscope.train_finetune import cached_tagger
from propscope.train_multilingual import FOLDS, fold_of, half, held_out_row, tagger_meta

METRICS = ("si_f1", "span_technique_f1", "st3_f1_from_spans", "predicted_per_gold")


def pack(folder: Path) -> None:
    from safetensors.torch import load_file, save_file

    from propscope.train import encoder_path

    source = encoder_path()
    target = folder / "minilm16"
    target.mkdir(parents=True, exist_ok=True)
    for name in (
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "vocab.txt",
        "special_tokens_map.json",
    ):
        shutil.copy(source / name, target / name)
    state = {k: v.half() for k, v in load_file(str(source / "model.safetensors")).items()}
    save_file(state, str(target / "model.safetensors"))
    articles = [(a.id, a.text, a.spans) for a in load_semeval2023("en")]
    (folder / "en-articles.pkl").write_bytes(zlib.compress(pickle.dumps(articles), 6))


def minilm_cv(folder: Path, device: str, epochs: int, limit: int | None = None) -> list[dict]:
    from propscope.models.files import build_network
    from propscope.models.tokenizer import TextTokenizer
    from propscope.train import build_windows, fit

    rows = pickle.loads(zlib.decompress((folder / "en-articles.pkl").read_bytes()))
    articles = [LabelledArticle(i, t, tuple(map(tuple, s)), "en") for i, t, s in rows][:limit]
    source = folder / "minilm16"
    tokenizer = TextTokenizer.from_dir(source)
    out = []
    for fold in range(FOLDS):
        train = [a for a in articles if fold_of(a.id) != fold]
        held = [a for a in articles if fold_of(a.id) == fold]
        torch.manual_seed(13)
        net = build_network(source, len(TECHNIQUES), pretrained=True).float().to(device)
        windows = build_windows(train, tokenizer, TECHNIQUES)
        fit(net, windows, tokenizer.pad_token_id, epochs=epochs, device=device, log=lambda s: None)
        tagger = cached_tagger(net.eval(), tokenizer, tagger_meta(train), held)
        row = held_out_row(
            tagger, [a for a in held if half(a.id) == 0], [a for a in held if half(a.id)]
        )
        print(f"fold {fold} MiniLM: {json.dumps({k: round(row[k], 4) for k in METRICS})}")
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["pack", "run"])
    parser.add_argument("--folder", type=Path, default=Path("runs/english-encoders"))
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--e5", type=Path, default=None, help="cv-folds.json or a model's meta")
    parser.add_argument("--output", type=Path, default=None, help="write MiniLM rows here")
    parser.add_argument("--limit", type=int, default=None, help="articles (smoke runs)")
    args = parser.parse_args()
    if args.command == "pack":
        pack(args.folder)
        return
    minilm = minilm_cv(args.folder, args.device, args.epochs, args.limit)
    if args.output:
        args.output.write_text(json.dumps(minilm, indent=1), encoding="utf-8")
    print(f"{'encoder':<22}" + "".join(f"{m:>22}" for m in METRICS))
    table = {"MiniLM-L6 (English)": minilm}
    if args.e5:
        data = json.loads(args.e5.read_text(encoding="utf-8"))
        folds = data.get("cross_validation_folds", data)
        if "en" in folds:
            table["e5-small fine-tuned"] = folds["en"]
    for name, rows in table.items():
        cells = "".join(
            f"{np.mean([r[m] for r in rows]):>15.4f} ± {np.std([r[m] for r in rows]):.3f}"
            for m in METRICS
        )
        print(f"{name:<22}{cells}")


if __name__ == "__main__":
    main()
