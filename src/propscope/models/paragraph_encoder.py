"""Paragraph techniques (SemEval-2023 ST3) from encoder states: linear probes.

French, German, Italian, Polish, Russian: each paragraph is read by the frozen e5-small
layers the genre model uses (mean of the concatenated layers 6 and 9 over its tokens), and
one linear layer with 23 sigmoid outputs, trained on the paragraphs of all six languages
together, gives each technique's probability. A language's paragraphs get the techniques at
or above its own threshold, chosen on out-of-fold predictions. Shared across languages, the
probe learns from ~16,000 paragraphs where a character n-gram model of one language sees
1,200-7,900; cross-validated by article it beats the n-gram models by 0.03-0.07 micro-F1 in
every language (``propscope.train_multilingual.train_paragraph_probe``).

English: the same kind of probe reads the English tagger's own token probabilities (mean and
maximum over the paragraph's tokens of the "any technique" and 23 technique columns), which
the span pass has already computed: no second encoder pass, unlike the e5 probe, whose
587 ms an article English could not afford (``propscope.train.fit_paragraph_probe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from propscope.models.array_files import load_arrays, save_arrays
from propscope.models.forks import fork_safe_lock
from propscope.models.windows import pad_batch, tokenize

PARAGRAPH_FILE = "paragraphs.npz"  # the probe on the frozen e5 states
TOKEN_PROBE_FILE = "paragraph_tokens.npz"  # the probe on the tagger's token probabilities
# ``ParagraphProbe.meta["features"]``: what the probe reads (absent: the frozen e5 states).
TOKEN_PROBABILITIES = "token_probabilities"
MAX_TOKENS = 254  # + [CLS] and [SEP]: one encoder window
BATCH = 8  # paragraphs per encoder call: bounds the activations (peak memory)


@torch.inference_mode()
def paragraph_features(encoder, tokenizer, texts: Sequence[str]) -> np.ndarray:
    """[len(texts), features] mean-pooled frozen-encoder states of each paragraph.

    Paragraphs are batched by length (shortest first) so that padding stays small; a
    paragraph's row depends only on its own tokens (padding is masked)."""
    ids = [list(tokenize(tokenizer, text).ids[:MAX_TOKENS]) for text in texts]
    order = np.argsort([len(i) for i in ids], kind="stable")
    rows: list[np.ndarray] = [np.zeros(0)] * len(ids)
    for b in range(0, len(order), BATCH):
        chosen = order[b : b + BATCH]
        sequences = [[tokenizer.cls_token_id, *ids[i], tokenizer.sep_token_id] for i in chosen]
        input_ids, mask = pad_batch(sequences, tokenizer.pad_token_id)
        states = encoder.features(input_ids, mask).float()
        weights = mask.unsqueeze(-1).float()
        pooled = ((states * weights).sum(dim=1) / weights.sum(dim=1)).numpy()
        for k, i in enumerate(chosen):
            rows[i] = pooled[k]
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(rows).astype(np.float32)


def token_probability_features(encoded, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
    """[len(bounds), 2 * columns]: mean and maximum of a tagger's token probabilities
    (``Encoded.probs``) over the tokens of each character range; zeros for a range without
    tokens."""
    width = encoded.probs.shape[1]
    rows = np.zeros((len(bounds), 2 * width), dtype=np.float32)
    for i, (start, end) in enumerate(bounds):
        found = encoded.tokens.token_range(start, end) if len(encoded.tokens) else None
        if found is not None:
            part = encoded.probs[found[0] : found[1] + 1]
            rows[i, :width] = part.mean(axis=0)
            rows[i, width:] = part.max(axis=0)
    return rows


@dataclass
class ParagraphProbe:
    """Standardised features -> 23 sigmoid outputs; one threshold per language."""

    labels: tuple[str, ...]
    coef: np.ndarray  # [n_labels, n_features]
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    thresholds: dict[str, float]
    meta: dict

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def save(self, folder: Path, name: str = PARAGRAPH_FILE) -> Path:
        """Write the probe into ``folder`` as ``name`` (whole or not at all)."""
        arrays = {"coef": self.coef, "intercept": self.intercept, "mean": self.mean}
        arrays |= {"scale": self.scale, "labels": np.array(self.labels)}
        meta = {**self.meta, "thresholds": self.thresholds}
        path = save_arrays(Path(folder) / name, arrays, meta)
        with _LOCK:
            _LOADED.pop((Path(folder).resolve(), name), None)
        return path

    @classmethod
    def load(cls, folder: Path, name: str = PARAGRAPH_FILE) -> ParagraphProbe | None:
        stored = load_arrays(Path(folder) / name)
        if stored is None:
            return None
        arrays, meta = stored
        thresholds = {k: float(v) for k, v in meta.pop("thresholds").items()}
        labels = tuple(str(label) for label in arrays["labels"])
        parts = (arrays["coef"], arrays["intercept"], arrays["mean"], arrays["scale"])
        return cls(labels, *parts, thresholds, meta)


def fit_probe(
    x: np.ndarray, y: np.ndarray, labels: Sequence[str], steps: int = 300, seed: int = 0
) -> ParagraphProbe:
    """Full-batch Adam on the binary cross-entropy of all labels at once (weight decay 1e-3);
    thresholds are set by the caller."""
    torch.manual_seed(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    inputs = torch.tensor((x - mean) / scale, dtype=torch.float32)
    targets = torch.tensor(y, dtype=torch.float32)
    layer = torch.nn.Linear(x.shape[1], y.shape[1])
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-2, weight_decay=1e-3)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(layer(inputs), targets)
        loss.backward()
        optimizer.step()
    return ParagraphProbe(
        tuple(labels),
        layer.weight.detach().double().numpy(),
        layer.bias.detach().double().numpy(),
        mean.astype(np.float64),
        scale.astype(np.float64),
        {},
        {},
    )


_LOADED: dict[tuple[Path, str], ParagraphProbe | None] = {}
_LOCK = fork_safe_lock()


def load_paragraph_probe(folder: Path, name: str = PARAGRAPH_FILE) -> ParagraphProbe | None:
    """A probe stored in a tagger's model directory (None if it has none); cached."""
    key = (Path(folder).resolve(), name)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = ParagraphProbe.load(*key)
    return _LOADED[key]
