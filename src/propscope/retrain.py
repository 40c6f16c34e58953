"""Correct and retrain: fine-tune a model on the user's corrected articles, keep it only if a
held-out check does not get worse.

The corrected articles come in the SemEval-2023 layout that ``propscope annotate import``
writes (``train-articles-subtask-3/{NAME}.txt`` and
``train-labels-subtask-3-spans/{NAME}-labels-subtask-3.txt``, ``NAME`` being ``article{ID}``
for an id of digits, else the id) with ``annotations.json`` recording each one's language.
Only English articles are trained on (the English tagger is the one fine-tuned here).
Training starts from the active model's weights (its trained heads kept) on the corrected
articles plus a sample of the shared training split, so the model does not forget what it
knew; a technique it was never trained on becomes trained with enough corrected spans. The
check compares the active model and the fine-tuned one, with the same decoding settings, on
held-out articles: the shared ``tune`` split and the corrected articles that ``split_of``
puts outside ``train``, sides chosen by text so that no text is both trained on and scored.
The primary number is FLC F1 over the 23 techniques (right words and right technique); SI
F1 is shown beside it.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from propscope.corpora import LabelledArticle, split_of
from propscope.errors import InputError, ModelError, undecodable

ARTICLES_DIR = "train-articles-subtask-3"
SPANS_DIR = "train-labels-subtask-3-spans"
# The token probe's thresholds come from 3-fold (by article) out-of-fold probabilities.
PROBE_MIN_ARTICLES = 3


_OFFSET = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() takes '²' and '٣'
_MAX_OFFSET_DIGITS = 18
_REDO = "correct it, or write the folder again with 'propscope annotate import'"


def _read_utf8(path: Path, what: str) -> str:
    """The text of the file ``path`` (UTF-8, verbatim); a folder, FIFO or device is refused
    before it is opened (reading a FIFO blocks forever, a device may never end)."""
    from propscope.io.readers import MAX_CHARS, check_readable

    if path.is_dir():
        raise InputError(f"'{path}' is a folder, not {what}; {_REDO}")
    if path.exists() and not path.is_file():
        raise InputError(f"'{path}' is not a regular file (a FIFO or a device?); {_REDO}")
    check_readable(path)  # permissions, links to nowhere: one line (it opens without blocking)
    try:
        if path.stat().st_size > 4 * MAX_CHARS:  # UTF-8: at most 4 bytes a character
            raise InputError(
                f"'{path}' is larger than {what} can be (over {4 * MAX_CHARS:,} bytes); {_REDO}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"'{path}' is not UTF-8 text: {undecodable(exc)}; save it as UTF-8 "
            "('propscope annotate import' writes UTF-8)"
        ) from None


def _offsets(fields: list[str], where: str, length: int) -> tuple[int, int]:
    """A span row's start and end (ASCII digits), within an article of ``length`` characters."""
    for name, field in zip(("start", "end"), fields[2:], strict=True):
        if not _OFFSET.fullmatch(field):
            shown = field if len(field) <= 20 else field[:20] + "..."
            raise InputError(
                f"{where}: {name} {shown!r} is not a whole number in digits 0-9; expected "
                "article_id<TAB>technique<TAB>start<TAB>end"
            )
    start, end = (
        int(f) if len(f) <= _MAX_OFFSET_DIGITS else None  # a 5,000-digit int() is refused
        for f in fields[2:]
    )
    if start is None or end is None or not 0 <= start < end <= length:
        shown = "-".join(
            f if len(f) <= _MAX_OFFSET_DIGITS else f"{f[:6]}... ({len(f):,} digits)"
            for f in fields[2:]
        )
        raise InputError(f"{where}: offsets {shown} outside the article ({length:,} characters)")
    return start, end


def _legacy_id(text_file: Path) -> str:
    """The id earlier versions read from any ``article{ID}.txt`` (``articletask7`` -> task7)."""
    return text_file.stem.removeprefix("article")


def _languages_recorded(path: Path) -> dict[str, str]:
    """File id -> the language ``annotate import`` recorded (``annotations.json``, each
    record's ``language``: Label Studio's ``data.language``); empty for a layout without one
    (written by earlier versions, or by hand), whose articles are detected."""
    from propscope.language import language_code

    try:
        records = json.loads((path / "annotations.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            continue
        file_id, value = record.get("id"), record.get("language")
        if isinstance(file_id, str) and isinstance(value, str) and value.strip():
            try:
                out[file_id] = language_code(value) or value
            except InputError:  # a language propscope does not analyse: kept as given
                out[file_id] = value.strip().lower()
    return out


def _detected(text: str, article_id: str) -> str:
    """The language analyze() would detect for the article (``und`` when it refuses to)."""
    from propscope.analysis import _detected_language
    from propscope.article import Article
    from propscope.errors import UnsupportedLanguageError

    try:
        return _detected_language(Article.from_text(text, id=article_id))[0]
    except UnsupportedLanguageError:
        return "und"


def load_corrected(path: Path, log: Callable[[str], None] | None = None) -> list[LabelledArticle]:
    """Corrected articles from ``path`` (the layout ``annotate import`` writes), validated:
    each problem is one ``InputError`` naming the file (and line).

    A text file's id is read as everywhere (`propscope.io.readers.article_id_of`: the digits
    of ``article{digits}.txt``, else the stem) and its span file is
    ``{stem}-labels-subtask-3.txt``; a span row names that id, or (folders written by
    earlier versions: ``articletask7.txt`` with rows for ``task7``) the stem without
    ``article``. Each article's ``lang`` is the language the import recorded, else the one
    `propscope.analysis.analyze` detects (``und`` when it refuses to). A text file without a
    span file (a README.txt) is refused, or with ``log`` skipped and named there when other
    articles are found."""
    from propscope.io.readers import article_id_of, printable
    from propscope.taxonomy import TECHNIQUES

    path = Path(path)
    articles_dir = path / ARTICLES_DIR
    if not articles_dir.is_dir():
        raise InputError(
            f"'{path}' has no {ARTICLES_DIR}/ folder; give the folder written by "
            "'propscope annotate import'"
        )
    recorded = _languages_recorded(path)
    articles = []
    unpaired: list[tuple[Path, Path]] = []  # text files without a span file (a README.txt)
    for text_file in sorted(articles_dir.glob("*.txt")):
        if text_file.name.startswith("."):  # hidden: an editor's or macOS's ._ file
            continue
        article_id, legacy = article_id_of(text_file), _legacy_id(text_file)
        span_file = path / SPANS_DIR / f"{text_file.stem}-labels-subtask-3.txt"
        if not span_file.exists() and not span_file.is_symlink() and text_file.is_file():
            unpaired.append((text_file, span_file))
            continue
        text = _read_utf8(text_file, "an article")  # (a folder named like one: its error)
        if not span_file.exists() and not span_file.is_symlink():
            raise InputError(f"no span file for article {article_id}: expected '{span_file}'")
        spans, row_ids = [], set()
        for n, line in enumerate(_read_utf8(span_file, "a span file").splitlines(), 1):
            if not line.strip():
                continue
            fields = line.split("\t")
            where = f"{span_file}:{n}"
            if len(fields) != 4:
                raise InputError(f"{where}: expected article_id<TAB>technique<TAB>start<TAB>end")
            if fields[0] not in (article_id, legacy):
                raise InputError(
                    f"{where}: the row is for article {printable(fields[0])!r}, but the file "
                    f"holds article {printable(article_id)!r} ({text_file.name})"
                )
            row_ids.add(fields[0])
            technique = fields[1]
            if technique not in TECHNIQUES:
                raise InputError(f"{where}: unknown technique '{technique}'")
            start, end = _offsets(fields, where, len(text))
            spans.append((technique, start, end))
        if row_ids == {legacy}:  # an earlier version's folder: the id it trained with
            article_id = legacy
        lang = recorded.get(article_id) or recorded.get(legacy) or _detected(text, article_id)
        # a file name that is not UTF-8 (surrogate escapes) cannot be hashed into a split
        articles.append(LabelledArticle(printable(article_id), text, tuple(sorted(spans)), lang))
    if unpaired and (not articles or log is None):
        text_file, span_file = unpaired[0]
        raise InputError(
            f"no span file for article {article_id_of(text_file)}: expected '{span_file}'"
        )
    if unpaired and log is not None:  # any text file is an article now ({id}.txt), or a note
        names = ", ".join(printable(t.name) for t, _ in unpaired[:5])
        more = f" and {len(unpaired) - 5} more" if len(unpaired) > 5 else ""
        log(f"skipped {len(unpaired)} text file(s) without a span file: {names}{more}")
    if not articles:
        raise InputError(f"no article text files (*.txt) in '{articles_dir}'")
    return articles


def english_only(
    articles: Sequence[LabelledArticle], log: Callable[[str], None]
) -> list[LabelledArticle]:
    """The English articles; the others are counted in one line (only the English tagger is
    fine-tuned here: a French correction would teach the English model French). None left
    is refused in one line."""
    from collections import Counter

    from propscope.language import language_name

    english = [a for a in articles if a.lang == "en"]
    others = Counter(a.lang for a in articles if a.lang != "en")
    if others:
        counts = ", ".join(f"{language_name(code)} {n}" for code, n in sorted(others.items()))
        line = (
            f"skipped {sum(others.values())} corrected article(s) not in English ({counts}): "
            "only the English tagger can be fine-tuned"
        )
        if not english:
            raise InputError(
                f"no English article among the {len(articles)} corrected ones ({counts}); only "
                "the English tagger can be fine-tuned, so there is nothing to train on"
            )
        log(line)
    return english


def text_key(text: str) -> str:
    """A text's identity for the held-out check: NFC, whitespace runs as one space, ends
    stripped, hashed. The same article under two ids (or a shared-data article pasted in
    as a correction) has one key."""
    import hashlib
    import unicodedata

    body = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class CheckSides:
    """The articles on each side of the held-out check, with what was moved or dropped."""

    train_extra: list[LabelledArticle]
    held: list[LabelledArticle]
    shared_train: list[LabelledArticle]
    shared_tune: list[LabelledArticle]
    notes: list[str]


def check_sides(
    corrected: Sequence[LabelledArticle],
    shared_train: Sequence[LabelledArticle],
    shared_tune: Sequence[LabelledArticle],
    limit: int | None,
    tune_limit: int | None,
) -> CheckSides:
    """Split corrected and shared articles into what is trained on and what is held out, by
    text, not by id alone: corrected articles with one text (`text_key`) share one side (the
    `split_of` bucket of the smallest of their ids), and a shared article whose text is a
    corrected one's is dropped from the shared training and check sets (the correction
    replaces it), so no text is both trained on and scored as held out. The shared sets are
    cut to ``limit`` and ``tune_limit`` after that."""
    notes = []
    groups: dict[str, list[LabelledArticle]] = {}
    for article in corrected:
        groups.setdefault(text_key(article.text), []).append(article)
    held, train_extra = [], []
    for copies in groups.values():
        side = "train" if split_of(min(a.id for a in copies)) == "train" else "held"
        (train_extra if side == "train" else held).extend(copies)
        if len(copies) > 1:
            notes.append(
                f"corrected articles {', '.join(sorted(a.id for a in copies))} have one text: "
                + ("all trained on" if side == "train" else "all held out")
            )
    if not train_extra:  # too few to hold any out: train on all, check on the shared split
        train_extra, held = list(corrected), []
    keys = set(groups)
    dropped_train = [a for a in shared_train if text_key(a.text) in keys]
    dropped_tune = [a for a in shared_tune if text_key(a.text) in keys]
    for dropped, split in ((dropped_train, "training"), (dropped_tune, "tune (check)")):
        if dropped:
            notes.append(
                f"dropped {len(dropped)} shared {split} article(s) whose text is a corrected "
                f"one's ({', '.join(a.id for a in dropped[:5])}"
                + (", ..." if len(dropped) > 5 else "")
                + ")"
            )
    return CheckSides(
        train_extra=train_extra,
        held=held,
        shared_train=[a for a in shared_train if text_key(a.text) not in keys][:limit],
        shared_tune=[a for a in shared_tune if text_key(a.text) not in keys][:tune_limit],
        notes=notes,
    )


# A technique the base model was never trained on (no English training data: it is masked
# and never predicted) becomes trained when the corrected articles trained on hold at least
# this many of its spans: about the fewest any trained English technique had (12 spans of
# Appeal_to_Popularity and of Straw_Man in the shared training split).
MIN_NEW_TECHNIQUE_SPANS = 10


def newly_trained(
    meta: dict, train_extra: Sequence[LabelledArticle], log: Callable[[str], None]
) -> list[str]:
    """The fine-tuned model's ``trained_techniques``: the base's, plus each technique it did
    not know with at least `MIN_NEW_TECHNIQUE_SPANS` spans in ``train_extra``; a corrected
    technique that stays untrained is named in one line with its count."""
    from collections import Counter

    techniques = list(meta["techniques"])
    trained = set(meta.get("trained_techniques", techniques))
    counts = Counter(t for a in train_extra for t, _, _ in a.spans if t not in trained)
    learnt = sorted(t for t, n in counts.items() if n >= MIN_NEW_TECHNIQUE_SPANS)
    if learnt:
        log(
            "now trained (the corrected articles hold enough spans): "
            + ", ".join(f"{t} ({counts[t]} spans)" for t in learnt)
        )
    short = sorted(t for t in counts if t not in learnt)
    if short:
        log(
            "stay untrained, never predicted: "
            + ", ".join(f"{t} ({counts[t]} spans)" for t in short)
            + f"; a technique the model was not trained on needs {MIN_NEW_TECHNIQUE_SPANS} "
            "corrected spans in the articles trained on (held-out ones do not count)"
        )
    return [t for t in techniques if t in trained or t in learnt]


@dataclass(frozen=True)
class Check:
    """Held-out scores of one model."""

    si_f1: float
    flc_f1: float


def held_out_check(tagger, articles: Sequence[LabelledArticle]) -> Check:
    from propscope.evaluate import score_flc, score_si
    from propscope.io.formats import FLCRow, SIRow
    from propscope.taxonomy import TECHNIQUES

    gold_si = [SIRow(a.id, s, e) for a in articles for _, s, e in a.spans]
    gold_flc = [FLCRow(a.id, t, s, e) for a in articles for t, s, e in a.spans]
    pred = [(a.id, r) for a in articles for r in tagger.predict(a.text)]
    pred_si = [SIRow(i, r.start, r.end) for i, r in pred]
    pred_flc = [FLCRow(i, r.technique, r.start, r.end) for i, r in pred]
    return Check(
        si_f1=round(score_si(gold_si, pred_si).f1, 4),
        flc_f1=round(score_flc(gold_flc, pred_flc, labels=TECHNIQUES).f1, 4),
    )


def _paragraph_probe(
    tagger,
    base_dir: Path,
    model_dir: Path,
    data_dir: Path | None,
    limit: int | None,
    tune_limit: int | None,
    log: Callable[[str], None],
) -> dict:
    """Give the fine-tuned model its paragraph probes: the token probe is refitted on the
    fine-tuned tagger's own token probabilities (English, on ``limit`` shared training
    articles, at least 3); the frozen-e5 probe of a multilingual base reads no tuned weight
    and is copied (its other languages use it). Without them the paragraph techniques would
    fall back to spans + n-gram, 0.01 to 0.06 ST3 lower in English (README)."""
    from propscope.models.paragraph_encoder import PARAGRAPH_FILE, TOKEN_PROBE_FILE
    from propscope.train import fit_paragraph_probe

    if (base_dir / PARAGRAPH_FILE).is_file():
        shutil.copy2(base_dir / PARAGRAPH_FILE, model_dir / PARAGRAPH_FILE)
    if not (base_dir / TOKEN_PROBE_FILE).is_file():
        return {"refitted": False}
    articles = None if limit is None else max(limit, PROBE_MIN_ARTICLES)
    probe = fit_paragraph_probe(tagger, data_dir, articles, tune_limit, ("en",), log=log)
    probe.save(model_dir, TOKEN_PROBE_FILE)
    return {"refitted": True, "held_out_st3_micro_f1": probe.meta["held_out_st3_micro_f1"]}


def check_replaced_model(output: Path, base: Path | None) -> None:
    """Refuse, before anything loads, to replace a fine-tuned model at ``output`` when no
    ``--model`` was given and the active model is another one: the run would start from the
    shipped model (or ``$PROPSCOPE_MODEL``) and be checked against that alone, so a model
    worse than the one it replaces could be written, and that one's fine-tuning lost."""
    import os

    from propscope.models.paths import model_path

    if base is not None:
        return
    # where the model is written: ~ expanded, as check_model_output and install_model_dir do
    given, output = output, Path(os.path.abspath(Path(output).expanduser()))
    try:
        replaced = json.loads((output / "propscope.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no model there (a new folder), or check_model_output's
        return
    if not isinstance(replaced, dict) or "finetuned" not in replaced:
        return
    start = model_path(None)  # $PROPSCOPE_MODEL with ~ expanded
    if start.expanduser().resolve() == output.resolve():  # $PROPSCOPE_MODEL is that model
        return
    active = "$PROPSCOPE_MODEL" if os.environ.get("PROPSCOPE_MODEL") else "the shipped model"
    identity = f"{replaced.get('name', 'a model')} {replaced.get('version', '')}".strip()
    raise InputError(
        f"--output '{given}' holds a fine-tuned model ({identity}) that this run would "
        f"replace, but without --model it would start from {active} ('{start}') and be "
        f"checked against that alone: give --model '{given}' to fine-tune it further (and "
        f"check against it), another --output to keep it, or --model english to start again "
        "from the shipped model"
    )


def finetuned_identity(
    base_meta: dict, weights: Path, extra_data: Path, corrected: int, shared: int
) -> dict:
    """The version and ``trained_on`` of a model fine-tuned from ``base_meta``'s, so that
    analyze's ``model``, the store's ``model_version`` and Label Studio's tasks tell it from
    its base: the base's version with ``+ft.`` and the first 12 hex digits of the SHA-256 of
    the new weights file (``0.1.0+ft.3f2a9c01b7de``; a fine-tuned base's ``+ft.`` part is
    replaced, so the version stays short; its lineage is in ``finetuned.base``)."""
    import hashlib

    digest = hashlib.sha256(Path(weights).read_bytes()).hexdigest()[:12]
    root = str(base_meta.get("version", "0")).split("+", 1)[0]
    base = f"{base_meta.get('name', 'propscope-span-tagger')} {base_meta.get('version', '0')}"
    return {
        "version": f"{root}+ft.{digest}",
        "trained_on": (
            f"{base} fine-tuned on {corrected} corrected article(s) in "
            f"'{Path(extra_data).resolve()}' and {shared} shared training article(s)"
        ),
    }


def finetune_model(
    extra_data: Path,
    output: Path,
    base: Path | None = None,
    data_dir: Path | None = None,
    epochs: int = 1,
    limit: int | None = 40,
    tune_limit: int | None = None,
    repeat: int = 2,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict:
    """Fine-tune ``base`` (default: the active model) on the corrected articles in
    ``extra_data`` plus ``limit`` shared training articles; write it to ``output`` only when
    the held-out FLC F1 is not lower than the base's (or with ``force``).

    Returns the check: ``{"before": {...}, "after": {...}, "written": bool}``."""
    from propscope.train import (
        check_model_output,
        discard_staging,
        install_model_dir,
        model_staging,
        remove_stale_staging,
    )

    # a bad --output or corrected folder is refused before anything loads
    check_model_output(output, [p for p in (extra_data, data_dir) if p is not None])
    check_replaced_model(output, base)
    started = time.time()
    loaded = load_corrected(extra_data, log)
    corrected = english_only(loaded, log)  # before a model loads: nothing English is refused
    remove_stale_staging(output, log)

    import torch

    from propscope.corpora import load_semeval2023
    from propscope.models.files import WEIGHTS, load_model_dir, save_model_dir
    from propscope.models.span_words import SPAN_WORDS_FILE
    from propscope.models.tagger import FOUND_HEAD_FILE, SpanTagger, model_path
    from propscope.train import build_windows, fit

    base_dir = model_path(base)
    sides = check_sides(
        corrected,
        load_semeval2023("en", data_dir, split="train"),
        load_semeval2023("en", data_dir, split="tune"),
        limit,
        tune_limit,
    )
    train_extra, held = sides.train_extra, sides.held
    shared_train, shared_tune = sides.shared_train, sides.shared_tune
    check_set = shared_tune + held
    if not check_set:  # both models would score F1 1.0 on nothing, and the check would pass
        raise InputError(
            "no held-out articles to check the fine-tuned model on (the shared tune split is "
            "empty); give --data with the shared data, or a --tune-limit of 1 or more"
        )
    log(
        f"corrected articles: {len(train_extra)} to train on, {len(held)} held out; "
        f"shared: {len(shared_train)} to train on, {len(shared_tune)} held out (tune split)"
    )
    for note in sides.notes:
        log(note)
    # a multilingual model is checked with its English settings
    before = held_out_check(SpanTagger.load(base_dir).for_language("en"), check_set)
    log(f"active model {base_dir}: held-out SI F1 {before.si_f1:.4f}, FLC F1 {before.flc_f1:.4f}")

    net, tokenizer, meta = load_model_dir(base_dir)
    techniques = list(meta["techniques"])
    trained_techniques = newly_trained(meta, train_extra, log)
    windows = build_windows(shared_train + train_extra * repeat, tokenizer, techniques)
    log(f"fine-tuning on {len(windows)} windows for {epochs} epoch(s)")
    net.train()
    fit(
        net,
        windows,
        tokenizer.pad_token_id,
        epochs=epochs,
        encoder_lr=2e-5,
        head_lr=2e-4,
        init_heads=False,
        log=log,
    )
    net.eval()
    fit_seconds = round(time.time() - started)
    added = [t for t in trained_techniques if t not in meta.get("trained_techniques", techniques)]
    meta = {
        **meta,
        "trained_techniques": trained_techniques,
        "finetuned": {
            # what the model was then: its folder may be replaced later (--output BASE)
            "base": {
                "name": meta.get("name", "propscope-span-tagger"),
                "version": str(meta.get("version", "0")),
                "trained_on": meta.get("trained_on", "unknown"),
                "path": str(base_dir.resolve()),
            },
            "extra_data": str(Path(extra_data).resolve()),
            "corrected_articles": len(corrected),
            "skipped_not_english": len(loaded) - len(corrected),
            "shared_articles": len(shared_train),
            "techniques_added": added,
            "check_notes": sides.notes,
            "epochs": epochs,
            "seconds": fit_seconds,
        },
    }
    # beside --output, not in /tmp: a run killed now leaves a folder the next one removes
    scratch = model_staging(output, "finetune")
    try:
        with torch.no_grad():
            save_model_dir(net, tokenizer, meta, scratch / "model")
        meta.update(
            finetuned_identity(
                meta["finetuned"]["base"],
                scratch / "model" / WEIGHTS,
                extra_data,
                len(corrected),
                len(shared_train),
            )
        )
        # The span-words model reads only the spans' text and its weight is in the copied
        # settings: it comes along, so both sides of the check label spans the same way.
        # The found-span head reads the encoder's states, which the fine-tuning moved a
        # little; it comes along too, and the held-out check below scores the model with it.
        for name in (SPAN_WORDS_FILE, FOUND_HEAD_FILE):
            if (base_dir / name).is_file():
                shutil.copy2(base_dir / name, scratch / "model" / name)
        tuned = SpanTagger.load(scratch / "model")
        after = held_out_check(tuned.for_language("en"), check_set)
        change = after.flc_f1 - before.flc_f1
        si_change = after.si_f1 - before.si_f1
        log(
            f"fine-tuned model: held-out SI F1 {after.si_f1:.4f} ({si_change:+.4f}), "
            f"FLC F1 {after.flc_f1:.4f} ({change:+.4f}) on {len(check_set)} articles"
        )
        result = {"before": before.__dict__, "after": after.__dict__, "written": False}
        if change < 0 and not force:
            raise ModelError(
                f"the fine-tuned model is worse on the held-out check: FLC F1 {after.flc_f1:.4f} "
                f"vs {before.flc_f1:.4f} ({change:+.4f}); kept the active model and wrote "
                "nothing (--force writes it anyway)"
            )
        meta["finetuned"]["check"] = {"before": before.__dict__, "after": after.__dict__}
        meta["finetuned"]["paragraph_probe"] = _paragraph_probe(
            tuned, base_dir, scratch / "model", data_dir, limit, tune_limit, log
        )
        (scratch / "model" / "propscope.json").write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        work = model_staging(output)
        try:
            shutil.copytree(scratch / "model", work / "model")
            install_model_dir(work / "model", output)  # complete or not at all
        finally:
            discard_staging(work, output)  # never the previous model (a Ctrl-C: put back)
        result["written"] = True
        log(f"wrote {output} in {time.time() - started:.0f} s (use it with --model {output})")
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
