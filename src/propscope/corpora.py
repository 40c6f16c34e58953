"""Readers for the annotated training corpora in ``../shared/data`` (never copied into the repo).

The PTC (SemEval-2020 Task 11) and SemEval-2023 English data are the same 371 articles, so
one deterministic split by article id serves both: ``train`` to fit, ``tune`` to choose
thresholds and epochs, ``test`` to report. Nothing reported is ever tuned on ``test``.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from propscope.errors import InputError

Split = Literal["train", "tune", "test"]
LANGUAGES = ("en", "fr", "ge", "it", "po", "ru")


@dataclass(frozen=True)
class LabelledArticle:
    """An annotated article: verbatim text and (technique, start, end) character spans."""

    id: str
    text: str
    spans: tuple[tuple[str, int, int], ...]
    lang: str = "en"
    labels: dict = field(default_factory=dict)


def default_data_dir() -> Path:
    """``$PROPSCOPE_DATA``, else ``../shared/data`` beside the checkout or the working dir."""
    if env := os.environ.get("PROPSCOPE_DATA"):
        return Path(env)
    checkout = Path(__file__).resolve().parents[2]
    for candidate in (checkout.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return checkout.parent / "shared" / "data"


def split_of(article_id: str) -> Split:
    """Deterministic ~80/10/10 split by article id (stable across runs and machines)."""
    bucket = zlib.crc32(article_id.encode()) % 20
    if bucket < 2:
        return "test"
    if bucket < 4:
        return "tune"
    return "train"


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _require(path: Path) -> Path:
    if not path.exists():
        raise InputError(
            f"training data not found at '{path}': set PROPSCOPE_DATA or pass --data "
            "pointing to the shared data folder"
        )
    return path


def _read_span_rows(path: Path) -> list[tuple[str, str, int, int]]:
    rows = []
    for line in _read(path).splitlines():
        if line.strip():
            article_id, technique, start, end = line.split("\t")[:4]
            rows.append((article_id, technique, int(start), int(end)))
    return rows


def load_semeval2023(
    lang: str = "en", data_dir: Path | None = None, split: Split | None = None
) -> list[LabelledArticle]:
    """SemEval-2023 Task 3 subtask-3 articles with their span annotations (23 techniques)."""
    from propscope.io.readers import article_id_of

    root = _require((data_dir or default_data_dir()) / "semeval2023_task3" / lang)
    articles = []
    for path in sorted((root / "train-articles-subtask-3").glob("article*.txt")):
        # one rule for ids (analyze's and label-spans'): the digits of 'article{digits}.txt',
        # else the stem; the span file is named after the text file
        article_id = article_id_of(path)
        if split is not None and split_of(article_id) != split:
            continue
        span_file = root / "train-labels-subtask-3-spans" / f"{path.stem}-labels-subtask-3.txt"
        rows = _read_span_rows(span_file) if span_file.exists() else []
        spans = tuple(sorted((t, s, e) for _, t, s, e in rows))
        articles.append(LabelledArticle(article_id, _read(path), spans, lang))
    return articles


def load_memes(
    data_dir: Path | None = None, split: Split | None = None, pack_chars: int = 1000
) -> list[LabelledArticle]:
    """SemEval-2021 Task 6 meme texts (subtask 2 spans), relabelled to the 23 techniques.

    Memes are short (about 100 characters), so consecutive ones are packed into texts of at
    most ``pack_chars`` characters separated by a blank line: one encoder window each
    instead of one mostly-padded window per meme. Spans of the two multimodal-only
    techniques, which have no SemEval-2023 counterpart, and of bare line breaks are dropped.
    ``split`` keeps the memes whose id `split_of` puts there.
    """
    import json

    from propscope.taxonomy import from_semeval2021

    path = _require(
        (data_dir or default_data_dir()) / "semeval2021_task6" / "training_set_task2.txt"
    )
    memes = json.loads(_read(path))
    packed: list[LabelledArticle] = []
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    offset = 0

    def flush() -> None:
        if parts:
            packed.append(
                LabelledArticle(
                    f"memes-{split or 'all'}-{len(packed)}",
                    "".join(parts),
                    tuple(sorted(spans)),
                    "en",
                )
            )
        parts.clear()
        spans.clear()

    for meme in memes:
        text = meme["text"].rstrip()
        if not text.strip() or (split is not None and split_of(f"meme{meme['id']}") != split):
            continue
        if parts and offset + 2 + len(text) > pack_chars:
            flush()
            offset = 0
        if parts:
            parts.append("\n\n")
            offset += 2
        for label in meme["labels"]:
            technique = from_semeval2021(label["technique"])
            end = min(label["end"], len(text))  # two spans run into trailing whitespace
            if technique is not None and text[label["start"] : end].strip():
                spans.append((technique, offset + label["start"], offset + end))
        parts.append(text)
        offset += len(text)
    flush()
    return packed


def load_ptc(data_dir: Path | None = None, split: Split | None = None) -> list[LabelledArticle]:
    """PTC (SemEval-2020 Task 11) training articles with technique spans (14 labels)."""
    root = _require((data_dir or default_data_dir()) / "ptc_semeval2020_task11")
    by_article: dict[str, list[tuple[str, int, int]]] = {}
    for article_id, technique, start, end in _read_span_rows(root / "train-task-flc-tc.labels"):
        by_article.setdefault(article_id, []).append((technique, start, end))
    articles = []
    from propscope.io.readers import article_id_of

    for path in sorted((root / "train-articles").glob("article*.txt")):
        article_id = article_id_of(path)
        if split is not None and split_of(article_id) != split:
            continue
        spans = tuple(sorted(by_article.get(article_id, [])))
        articles.append(LabelledArticle(article_id, _read(path), spans, "en"))
    return articles
