"""Label Studio round trip: propscope findings out as pre-annotations, corrections back in.

``labelling_config()`` is a Label Studio labelling configuration with the 23 techniques in
their 6 categories (one ``<Labels>`` block a category, coloured as in our reports).
``export_tasks()`` turns analyses into Label Studio tasks whose ``predictions`` carry
propscope's findings, model version and confidences. ``import_export()`` reads a Label
Studio JSON export back: the chosen annotation of each task becomes SemEval-2023 span rows
(``article_id<TAB>technique<TAB>start<TAB>end``) and a JSON record with the schema's field
names, keeping who annotated and when; skipped tasks and conflicts are reported, never
silently dropped.

Offsets: Label Studio counts characters as JavaScript does (UTF-16 code units), Python as
code points; they differ after characters outside the Basic Multilingual Plane (emoji), so
both directions convert. A region whose ``text`` does not match the offsets (an editor that
counted CRLF as one character, say) is moved to the nearest exact occurrence of its words,
or skipped and reported.
"""

from __future__ import annotations

import bisect
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from pydantic import BaseModel, ConfigDict

from propscope import taxonomy
from propscope.errors import InputError
from propscope.schema import Analysis

TEXT_NAME = "text"
ARTICLES_DIR = "train-articles-subtask-3"  # the SemEval-2023 layout, read by train --extra-data
SPANS_DIR = "train-labels-subtask-3-spans"
ANNOTATIONS_FILE = "annotations.json"


# --- offsets --------------------------------------------------------------------------------


def _astral(text: str) -> list[int]:
    """Code-point positions of characters that take two UTF-16 code units."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def to_utf16(text: str, index: int, astral: list[int] | None = None) -> int:
    """A Python string index as a JavaScript (UTF-16) index into the same text."""
    astral = _astral(text) if astral is None else astral
    return index + bisect.bisect_left(astral, index)


def from_utf16(text: str, index: int, astral: list[int] | None = None) -> int:
    """A JavaScript (UTF-16) index as a Python string index (inverse of ``to_utf16``)."""
    astral = _astral(text) if astral is None else astral
    lo, hi = 0, len(text)
    while lo < hi:  # the smallest i with to_utf16(i) >= index
        mid = (lo + hi) // 2
        if mid + bisect.bisect_left(astral, mid) < index:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --- the labelling configuration ------------------------------------------------------------


def _slug(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")


def control_name(category: str) -> str:
    """The ``<Labels name=...>`` of a category's block."""
    return f"technique-{_slug(category)}"


def labelling_config() -> str:
    """Label Studio XML: the article, then one coloured ``<Labels>`` block per category."""
    lines = [
        "<View>",
        '  <Header value="$title"/>',
        f'  <Text name="{TEXT_NAME}" value="$text"/>',
    ]
    for category, techniques in taxonomy.CATEGORIES.items():
        colour = taxonomy.CATEGORY_COLOURS[category]
        lines.append(f'  <Header value={quoteattr(category)} size="5"/>')
        lines.append(
            f'  <Labels name="{control_name(category)}" toName="{TEXT_NAME}" '
            'choice="multiple" showInline="true">'
        )
        for name in techniques:
            info = taxonomy.TECHNIQUE_INFO[name]
            lines.append(
                f'    <Label value={quoteattr(name)} background="{colour}" '
                f"hint={quoteattr(info.label + ': ' + info.explanation)}/>"
            )
        lines.append("  </Labels>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


# --- tasks with pre-annotations -------------------------------------------------------------


def model_version(analysis: Analysis) -> str:
    return f"{analysis.model.name} {analysis.model.version}"


def task_of(analysis: Analysis, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One Label Studio task: the text (verbatim) and propscope's findings as a prediction."""
    text = analysis.text
    astral = _astral(text)
    result = []
    for i, span in enumerate(analysis.spans, 1):
        result.append(
            {
                "id": f"propscope-{i}",
                "from_name": control_name(span.category),
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {
                    "start": to_utf16(text, span.start, astral),
                    "end": to_utf16(text, span.end, astral),
                    "text": span.text,
                    "labels": [span.technique],
                },
                "score": span.confidence,
                "meta": {
                    "text": f"{span.technique_label} ({span.confidence:.0%}), "
                    f"{span.voice}{': ' + span.speaker if span.speaker else ''}"
                },
            }
        )
    scores = [s.confidence for s in analysis.spans]
    data = {
        TEXT_NAME: text,
        "title": analysis.article.title or "",
        "article_id": analysis.article.id,
        "source": analysis.article.source,
        "language": analysis.language.code if analysis.language else None,
        **(extra or {}),
    }
    return {
        "data": data,
        "predictions": [
            {
                "model_version": model_version(analysis),
                "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
                "result": result,
            }
        ],
    }


def export_tasks(
    analyses: Iterable[Analysis], extras: Iterable[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Label Studio tasks for analyses; article ids must be unique (they name the files
    that ``import`` writes)."""
    tasks, seen = [], set()
    extras_list = list(extras) if extras is not None else None
    for i, analysis in enumerate(analyses):
        if analysis.article.id in seen:
            raise InputError(
                f"two articles have the id '{analysis.article.id}'; give them distinct names"
            )
        seen.add(analysis.article.id)
        tasks.append(task_of(analysis, extras_list[i] if extras_list else None))
    return tasks


def write_export(analyses: Iterable[Analysis], output: Path, extras=None) -> tuple[Path, Path]:
    """Write ``label-config.xml`` and ``tasks.json`` into ``output`` (each atomically)."""
    from propscope.io.files import atomic_write_text

    tasks = export_tasks(analyses, extras)
    output.mkdir(parents=True, exist_ok=True)
    config, tasks_file = output / "label-config.xml", output / "tasks.json"
    atomic_write_text(config, labelling_config())
    atomic_write_text(tasks_file, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    return config, tasks_file


# --- import ---------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnnotatedSpan(_Frozen):
    """A span a person marked: ``text[start:end]``, with the schema's technique fields."""

    start: int
    end: int
    text: str
    technique: str
    technique_label: str
    category: str
    ptc_technique: str | None


class Annotation(_Frozen):
    """One person's annotation of an article in Label Studio."""

    annotator: str
    created_at: str | None
    updated_at: str | None
    lead_time: float | None
    ground_truth: bool
    spans: tuple[AnnotatedSpan, ...]


class AnnotatedArticle(_Frozen):
    """An article with its corrected spans (those of ``chosen``) and every annotation."""

    id: str
    title: str | None
    source: str | None
    text: str
    task_id: int | None
    chosen: int
    annotations: tuple[Annotation, ...]

    @property
    def spans(self) -> tuple[AnnotatedSpan, ...]:
        return self.annotations[self.chosen].spans


@dataclass
class ImportReport:
    """What an import did: per task, imported, skipped (why) or in conflict (how)."""

    tasks: int = 0
    articles: list[AnnotatedArticle] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (task, reason)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (article, what)
    repaired: int = 0  # regions moved to the exact occurrence of their words

    @property
    def spans(self) -> int:
        return sum(len(a.spans) for a in self.articles)

    def lines(self) -> list[str]:
        out = [
            f"{self.tasks} tasks: imported {len(self.articles)} articles with {self.spans} "
            f"spans, skipped {len(self.skipped)}, conflicts {len(self.conflicts)}"
            + (f", {self.repaired} regions re-anchored on their words" if self.repaired else "")
        ]
        out += [f"  skipped {task}: {reason}" for task, reason in self.skipped]
        out += [f"  conflict {article}: {what}" for article, what in self.conflicts]
        return out


def _annotator(value: Any, users: dict[int, str]) -> str:
    """An email where the export or the user list (``GET /api/users``) gives one."""
    if isinstance(value, dict):
        return str(value.get("email") or value.get("username") or f"user {value.get('id')}")
    if value is None:
        return "unknown"
    return users.get(value) or f"user {value}"


def read_users(path: Path) -> dict[int, str]:
    """Label Studio's user list (``GET /api/users``, JSON): user id -> email."""
    try:
        with open(path, encoding="utf-8") as handle:
            users = json.load(handle)
        if isinstance(users, dict):
            users = users.get("results", [])
        return {int(u["id"]): str(u.get("email") or u.get("username")) for u in users}
    except FileNotFoundError:
        raise InputError(f"'{path}' does not exist; save GET /api/users as JSON") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"'{path}' is not a Label Studio user list: {exc}") from None


def _safe_id(value: Any, fallback: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value or "")).strip("-.")
    return text or fallback


def _regions(
    text: str, result: Sequence[dict], where: str, report: ImportReport
) -> tuple[AnnotatedSpan, ...]:
    astral = _astral(text)
    spans = set()
    for region in result:
        if region.get("type") != "labels" or region.get("to_name", TEXT_NAME) != TEXT_NAME:
            continue
        value = region.get("value") or {}
        try:
            start = from_utf16(text, int(value["start"]), astral)
            end = from_utf16(text, int(value["end"]), astral)
        except (KeyError, TypeError, ValueError):
            report.skipped.append((where, f"a region without start/end: {value}"))
            continue
        words = value.get("text")
        if words is not None and text[start:end] != words:
            found = [m.start() for m in re.finditer(re.escape(words), text)] if words else []
            if not found:
                report.skipped.append(
                    (where, f"region {start}-{end} says {words!r}, not found in the text")
                )
                continue
            start = min(found, key=lambda s: abs(s - start))
            end = start + len(words)
            report.repaired += 1
        if not 0 <= start < end <= len(text):
            report.skipped.append((where, f"region {start}-{end} is outside the text"))
            continue
        for label in value.get("labels", []):
            if label not in taxonomy.TECHNIQUE_INFO:
                report.skipped.append((where, f"unknown technique label {label!r}"))
                continue
            info = taxonomy.TECHNIQUE_INFO[label]
            spans.add(
                AnnotatedSpan(
                    start=start,
                    end=end,
                    text=text[start:end],
                    technique=label,
                    technique_label=info.label,
                    category=info.category,
                    ptc_technique=taxonomy.TO_PTC[label],
                )
            )
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique)))


def _choose(annotations: list[Annotation]) -> int:
    """Ground truth first, then the most recently updated."""
    return max(
        range(len(annotations)),
        key=lambda i: (
            annotations[i].ground_truth,
            annotations[i].updated_at or annotations[i].created_at or "",
        ),
    )


def read_tasks(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            tasks = json.load(handle)
    except FileNotFoundError:
        raise InputError(
            f"'{path}' does not exist; export the project from Label Studio as JSON"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"'{path}' is not a Label Studio JSON export: {exc}") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise InputError(f"'{path}' is not a Label Studio JSON export (a list of tasks)")
    return tasks


def import_tasks(tasks: Sequence[dict], users: dict[int, str] | None = None) -> ImportReport:
    """Turn Label Studio tasks (a JSON export) into annotated articles, with a report.

    ``users`` names annotators by id (a JSON export gives only the id)."""
    users = users or {}
    report = ImportReport(tasks=len(tasks))
    by_id: dict[str, AnnotatedArticle] = {}
    for n, task in enumerate(tasks, 1):
        where = f"task {task.get('id', f'#{n}')}"
        data = task.get("data") or {}
        text = data.get(TEXT_NAME)
        if not isinstance(text, str) or not text.strip():
            report.skipped.append((where, "no text in data.text"))
            continue
        annotations, cancelled = [], 0
        for raw in task.get("annotations") or []:
            if raw.get("was_cancelled"):
                cancelled += 1
                continue
            annotations.append(
                Annotation(
                    annotator=_annotator(raw.get("completed_by"), users),
                    created_at=raw.get("created_at"),
                    updated_at=raw.get("updated_at"),
                    lead_time=raw.get("lead_time"),
                    ground_truth=bool(raw.get("ground_truth")),
                    spans=_regions(text, raw.get("result") or [], where, report),
                )
            )
        if not annotations:
            reason = "skipped by the annotator" if cancelled else "not annotated (only predictions)"
            report.skipped.append((where, reason))
            continue
        article_id = _safe_id(data.get("article_id"), f"task{task.get('id', n)}")
        chosen = _choose(annotations)
        if len({a.spans for a in annotations}) > 1:
            others = ", ".join(
                f"{a.annotator} {len(a.spans)} spans"
                for i, a in enumerate(annotations)
                if i != chosen
            )
            report.conflicts.append(
                (
                    article_id,
                    f"{len(annotations)} annotations disagree; kept {annotations[chosen].annotator}"
                    f" ({len(annotations[chosen].spans)} spans), not {others}",
                )
            )
        article = AnnotatedArticle(
            id=article_id,
            title=data.get("title") or None,
            source=data.get("source"),
            text=text,
            task_id=task.get("id"),
            chosen=chosen,
            annotations=tuple(annotations),
        )
        if article_id in by_id:
            if by_id[article_id].text != text:
                report.conflicts.append(
                    (article_id, f"{where} has the same article id but another text; skipped it")
                )
                report.skipped.append((where, f"article id '{article_id}' used twice"))
                continue
            report.conflicts.append((article_id, f"{where} repeats the article; kept the later"))
        by_id[article_id] = article
    report.articles = list(by_id.values())
    return report


def write_import(report: ImportReport, output: Path) -> None:
    """Write the SemEval-2023 layout (articles, span files) and ``annotations.json`` into
    a new folder ``output``, all or nothing."""
    if output.exists() and any(output.iterdir()):
        raise InputError(f"'{output}' already exists and is not empty; choose a new folder")
    staging = output.with_name(output.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / ARTICLES_DIR).mkdir(parents=True)
    (staging / SPANS_DIR).mkdir()
    records = []
    for article in report.articles:
        with open(
            staging / ARTICLES_DIR / f"article{article.id}.txt", "w", encoding="utf-8", newline=""
        ) as handle:
            handle.write(article.text)
        rows = "".join(f"{article.id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in article.spans)
        (staging / SPANS_DIR / f"article{article.id}-labels-subtask-3.txt").write_text(
            rows, encoding="utf-8"
        )
        records.append(
            {
                **article.model_dump(mode="json"),
                "spans": [s.model_dump(mode="json") for s in article.spans],
            }
        )
    (staging / ANNOTATIONS_FILE).write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if output.exists():
        output.rmdir()
    staging.rename(output)
