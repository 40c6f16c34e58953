"""The training-corpus readers, on the shared data."""

from __future__ import annotations

import json
from pathlib import Path

from propscope.corpora import load_memes
from propscope.taxonomy import TECHNIQUES


def test_memes_are_packed_with_every_span_on_its_words(data_dir: Path) -> None:
    raw = json.loads(
        (data_dir / "semeval2021_task6" / "training_set_task2.txt").read_text(encoding="utf-8")
    )
    packed = load_memes(data_dir, pack_chars=1000)
    # Every meme is kept, in order, one blank line apart, in texts of at most 1,000 characters
    # (a longer meme gets a text of its own).
    texts = [m["text"].rstrip() for m in raw if m["text"].strip()]
    assert "\n\n".join(a.text for a in packed) == "\n\n".join(texts)
    assert all(len(a.text) <= max(1000, max(map(len, texts))) for a in packed)
    assert 50 < len(packed) < len(texts) / 5
    assert len({a.id for a in packed}) == len(packed)
    # Each span still covers its fragment (two ran into trailing whitespace: trimmed), with
    # the SemEval-2023 name; the two multimodal-only techniques have none and are dropped, as
    # are spans of a bare line break.
    fragments = sorted(
        (label["text_fragment"].rstrip(), label["technique"])
        for m in raw
        for label in m["labels"]
        if label["technique"] not in ("Transfer", "Appeal to (Strong) Emotions")
        and label["text_fragment"].strip()
    )
    got = sorted((a.text[s:e].rstrip(), t) for a in packed for t, s, e in a.spans)
    assert [f for f, _ in got] == [f for f, _ in fragments]
    assert {t for _, t in got} <= set(TECHNIQUES)
    names = {t for _, t in got}
    assert {"Questioning_the_Reputation", "Appeal_to_Values", "Name_Calling-Labeling"} <= names


def test_meme_splits_partition_the_memes(data_dir: Path) -> None:
    every = load_memes(data_dir)
    parts = {split: load_memes(data_dir, split) for split in ("train", "tune", "test")}
    spans = sorted((a.text[s:e], t) for a in every for t, s, e in a.spans)
    assert spans == sorted(
        (a.text[s:e], t) for part in parts.values() for a in part for t, s, e in a.spans
    )
    assert all(parts.values())
    assert sum(len(a.text) for a in parts["test"]) < 0.2 * sum(len(a.text) for a in every)
