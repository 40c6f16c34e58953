"""Label Studio round trip: propscope findings out as pre-annotations, corrections back in.

``labelling_config()`` is a Label Studio labelling configuration with the 23 techniques in
their 6 categories (one ``<Labels>`` block a category, coloured as in our reports).
``export_tasks()`` turns analyses into Label Studio tasks whose ``predictions`` carry
propscope's findings, model version and confidences. ``import_export()`` reads a Label
Studio JSON export back: the chosen annotation of each task becomes SemEval-2023 span rows
(``article_id<TAB>technique<TAB>start<TAB>end``) and a JSON record with the schema's field
names, keeping who annotated and when; skipped tasks and conflicts are reported, never
silently dropped. An export Label Studio could not have written (a value of the wrong JSON
type, a lone surrogate) is refused with one line naming the task, annotation and region,
before anything is written. Article ids name files: each article gets a distinct, short,
file-safe id (``report/1`` -> ``report-1``, letters of any script kept: ``élection-2024``;
a taken or too long one gets a suffix), and the report names every id that had to change.

Offsets: Label Studio's ``<Text>`` counts code points, as Python does (its editor turns the
browser's UTF-16 positions into code points: an emoji is one character, CRLF two), so
offsets go out and come back unchanged. A region whose ``text`` does not match its offsets
is moved to where its words are: to its offsets read as UTF-16 code units when its words are
there (earlier propscope versions exported UTF-16 offsets, and Label Studio keeps an accepted
prediction's offsets and words as they came), else to their nearest exact occurrence; else
it is skipped and reported.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from pydantic import BaseModel, ConfigDict

from propscope import taxonomy
from propscope.errors import InputError
from propscope.io.files import NAME_MAX, check_path
from propscope.schema import Analysis

TEXT_NAME = "text"
ARTICLES_DIR = "train-articles-subtask-3"  # the SemEval-2023 layout, read by train --extra-data
SPANS_DIR = "train-labels-subtask-3-spans"
ANNOTATIONS_FILE = "annotations.json"
MAX_ID_BYTES = 200  # an id names files: {ID}-labels-subtask-3.txt must fit 255 bytes
_FIX = "; correct it in the export file (or remove that task) and import again"


# --- offsets --------------------------------------------------------------------------------


def _astral(text: str) -> list[int]:
    """Code-point positions of characters that take two UTF-16 code units."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def to_utf16(text: str, index: int, astral: list[int] | None = None) -> int:
    """A Python string index as a JavaScript (UTF-16) index into the same text (the offsets
    earlier propscope versions exported; Label Studio itself counts code points)."""
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
    result = []
    for i, span in enumerate(analysis.spans, 1):
        result.append(
            {
                "id": f"propscope-{i}",
                "from_name": control_name(span.category),
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {  # code points, as Label Studio's <Text> counts them
                    "start": span.start,
                    "end": span.end,
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
        TEXT_NAME: analysis.text,
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
    that ``import`` writes). A stored article (an extra with its ``store_id``) whose id an
    earlier one has ("story" of two outlets' folders) is told apart by its store id
    ("story-7"), then by a count while that is taken too ("story-7-2", when a file
    "story-7.txt" was stored): stored articles cannot be renamed."""
    tasks, seen = [], set()
    extras_list = list(extras) if extras is not None else None
    for i, analysis in enumerate(analyses):
        extra = dict(extras_list[i]) if extras_list else {}
        article_id = analysis.article.id
        if article_id in seen and extra.get("store_id") is not None:
            base = article_id = f"{article_id}-{extra['store_id']}"
            n = 1
            while article_id in seen:  # "story-3" may be another stored file's own name
                n += 1
                article_id = f"{base}-{n}"
            extra["article_id"] = article_id
        if article_id in seen:
            raise InputError(f"two articles have the id '{article_id}'; give them distinct names")
        seen.add(article_id)
        tasks.append(task_of(analysis, extra or None))
    return tasks


def write_export(analyses: Iterable[Analysis], output: Path, extras=None) -> tuple[Path, Path]:
    """Write ``label-config.xml`` and ``tasks.json`` into ``output`` (each atomically)."""
    from propscope.io.files import atomic_write_text, check_output_file

    tasks = export_tasks(analyses, extras)
    check_path(output, output=True)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, a file on the way, a system folder
        raise InputError(
            f"cannot make the export folder '{output}' ({exc.strerror or exc}); "
            "give --output a folder that exists or can be made"
        ) from None
    config, tasks_file = output / "label-config.xml", output / "tasks.json"
    for written in (config, tasks_file):  # both, before either is written
        check_output_file(written)
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
    """One person's annotation of an article in Label Studio, in the task ``task_id``
    (two tasks of one article keep all their annotations)."""

    annotator: str
    created_at: str | None
    updated_at: str | None
    lead_time: float | None
    ground_truth: bool
    spans: tuple[AnnotatedSpan, ...]
    task_id: int | None = None


class AnnotatedArticle(_Frozen):
    """An article with its corrected spans (those of ``chosen``) and every annotation.
    ``id`` names its files; ``article_id`` is the id in the export (``data.article_id``);
    ``language`` is the task's ``data.language`` (the code ``export`` wrote), None when the
    task has none (``train --extra-data`` then detects it)."""

    id: str
    title: str | None
    source: str | None
    text: str
    task_id: int | None
    chosen: int
    annotations: tuple[Annotation, ...]
    article_id: str | None = None
    language: str | None = None

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
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (given, file id, why)

    @property
    def spans(self) -> int:
        return sum(len(a.spans) for a in self.articles)

    def lines(self) -> list[str]:
        out = [
            f"{self.tasks} tasks: imported {len(self.articles)} articles with {self.spans} "
            f"spans, skipped {len(self.skipped)}, conflicts {len(self.conflicts)}"
            + (f", {self.repaired} regions re-anchored on their words" if self.repaired else "")
            + (f", {len(self.renamed)} article ids changed for file names" if self.renamed else "")
        ]
        out += [f"  skipped {task}: {reason}" for task, reason in self.skipped]
        out += [
            f"  article id {_short(old)!r} is written as {_short(new)!r} ({why})"
            for old, new, why in self.renamed
        ]
        out += [f"  conflict {article}: {what}" for article, what in self.conflicts]
        return out


_SAVE_USERS = (
    'save the list again: curl -H "Authorization: Token $TOKEN" http://HOST:8080/api/users '
    "> users.json, with the token of Account & Settings in the Label Studio that made the export"
)


def read_users(path: Path) -> dict[int, str]:
    """Label Studio's user list (``GET /api/users``, JSON): user id -> email.

    Anything else is refused in one line saying what the file is: Label Studio's error reply
    (``{"detail": "Invalid token."}``, what a wrong token gets) would otherwise read as a
    list of no user, and every annotator would be named "user N"."""
    users = _read_json(path, "save GET /api/users as JSON", "a Label Studio user list")
    if isinstance(users, dict) and isinstance(users.get("results"), list):
        users = users["results"]  # a paginated reply
    elif isinstance(users, dict):
        detail = users.get("detail")
        if isinstance(detail, str):
            shown = detail if len(detail) <= 200 else detail[:200] + "..."
            raise InputError(
                f"'{path}' is Label Studio's error reply {shown!r}, not a user list; {_SAVE_USERS}"
            )
        keys = ", ".join(repr(k) for k in list(users)[:5]) + (", ..." if len(users) > 5 else "")
        raise InputError(
            f"'{path}' is a JSON object ({f'keys {keys}' if users else 'empty'}), not a Label "
            f"Studio user list (a list of users with id and email); {_SAVE_USERS}"
        )
    if not isinstance(users, list):
        raise InputError(
            f"'{path}' is {_kind(users)}, not a Label Studio user list (a list of users with id "
            f"and email); {_SAVE_USERS}"
        )
    for n, user in enumerate(users, 1):
        if not isinstance(user, dict) or "id" not in user:
            what = "has no id" if isinstance(user, dict) else f"is {_kind(user)}"
            raise InputError(
                f"'{path}' is not a Label Studio user list: its user #{n} {what}; {_SAVE_USERS}"
            )
    try:
        named = {int(u["id"]): str(u.get("email") or u.get("username")) for u in users}
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        raise InputError(f"'{path}' is not a Label Studio user list: {exc}") from None
    for user, name in named.items():
        if not _encodable(name):
            raise InputError(
                f"'{path}': the email of user {user} is not valid Unicode text (a lone "
                "surrogate); correct it and import again"
            )
    return named


def unnamed_annotators(tasks: Sequence[dict], users: dict[int, str]) -> list[int] | None:
    """The annotators the export gives by id only (``completed_by: 3``), sorted, when
    ``users`` names none of them (a user list from another Label Studio, or from before
    they joined); None when it names one at least, or the export names them itself."""
    ids = set()
    for task in tasks:
        annotations = task.get("annotations") if isinstance(task, dict) else None
        for annotation in annotations if isinstance(annotations, list) else ():
            user = annotation.get("completed_by") if isinstance(annotation, dict) else None
            if isinstance(user, int) and not isinstance(user, bool):
                ids.add(user)
            elif isinstance(user, str) and user.isascii() and user.isdigit():
                ids.add(int(user))
    if not ids or ids & set(users):
        return None
    return sorted(ids)


def _safe_id(value: str) -> str:
    """``value`` as a file name's stem: every run of characters other than letters and digits
    of any script (``élection``, ``статья``; with their combining marks), ``_``, ``.`` and
    ``-`` made one ``-``, and no ``-`` or ``.`` at either end; empty when nothing is left."""
    kept = "".join(
        ch if ch in "_.-" or unicodedata.category(ch)[0] in "LMN" else "\0" for ch in value
    )
    return re.sub("\0+", "-", kept).strip("-.")


_ID_CHARS = "file names keep letters, digits, '_', '.' and '-', with no '-' or '.' at either end"


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` whose UTF-8 takes at most ``limit`` bytes."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _read_back_as(file_id: str) -> str:
    """The id every command reads from the file ``file_stem(file_id).txt``."""
    from propscope.io.readers import article_id_of

    return article_id_of(Path(f"{file_stem(file_id)}.txt"))


def _file_key(file_id: str) -> str:
    """One key for the names one file system may take as one file: 'A' and 'a' (macOS,
    Windows), 'é' composed and decomposed (macOS)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", file_stem(file_id)).casefold())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def file_stem(file_id: str) -> str:
    """The stem of an article's files: ``article{ID}`` for an id of digits (SemEval's own
    names), else the id itself; `propscope.io.readers.article_id_of`, which analyze,
    label-spans and ``train --extra-data`` use, reads the id back from either."""
    return f"article{file_id}" if _DIGITS.fullmatch(file_id) else file_id


_DIGITS = re.compile(r"[0-9]+")


def _file_ids(articles: list[AnnotatedArticle], report: ImportReport) -> list[AnnotatedArticle]:
    """The articles with distinct ids that fit a file name (``id`` holds ``_safe_id`` of the
    export's id): 'report 1', 'report/1' and 'report:1' are all 'report-1', and one file
    would replace another's (so would 'A' and 'a' on a case-insensitive file system, and
    '5' and 'article5', both 'article5.txt'). An id whose file name would be read as another
    id ('article5' names 'article5.txt', read as article 5) changes too. An id that fits, is
    read back as itself and is free keeps its name, wherever it comes; the others get a
    count. Every id that differs from the export's is reported."""

    def fits(file_id: str) -> bool:
        return _utf8_len(file_id) <= MAX_ID_BYTES and _read_back_as(file_id) == file_id

    taken: set[str] = set()
    keeps = []
    for article in articles:
        keeps.append(fits(article.id) and _file_key(article.id) not in taken)
        if keeps[-1]:
            taken.add(_file_key(article.id))
    out = []
    for article, keep in zip(articles, keeps, strict=True):
        given = article.article_id
        if keep:
            if given is not None and given != article.id:  # 'report/1' is 'report-1'
                why = _ID_CHARS if _safe_id(given) else "it has no letter or digit for a file name"
                report.renamed.append((given, article.id, why))
            out.append(article)
            continue
        n, file_id = 1, article.id
        while not fits(file_id) or _file_key(file_id) in taken:
            n += 1
            head = _cut(article.id, MAX_ID_BYTES - len(str(n)) - 1).rstrip("-.")
            file_id = f"{head}-{n}"
        taken.add(_file_key(file_id))
        if _utf8_len(article.id) > MAX_ID_BYTES:
            why = f"its file name would be over {MAX_ID_BYTES} bytes"
        elif _read_back_as(article.id) != article.id:
            why = (
                f"a file named '{file_stem(article.id)}.txt' is read as article "
                f"'{_read_back_as(article.id)}'"
            )
        else:
            why = f"another article's files are named {file_stem(article.id)!r}"
        report.renamed.append((given or article.id, file_id, why))
        out.append(article.model_copy(update={"id": file_id}))
    return out


class _Malformed(InputError):
    """A value of the wrong JSON type (or not encodable) where Label Studio writes another."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}{_FIX}")


def _kind(value: Any) -> str:
    """A JSON value's type, as a person would name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a boolean)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _shown(value: Any) -> str:
    """A number as written (shortened), anything else by its type."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = repr(value)
        return shown if len(shown) <= 24 else f"{shown[:12]}... ({len(shown):,} digits)"
    return _kind(value)


def _encodable(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a lone surrogate from JSON cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string(container: dict, key: str, where: str, name: str | None = None) -> str | None:
    """``container[key]``: a string (valid Unicode) or null/missing."""
    value = container.get(key)
    if value is None:
        return None
    name = name or key
    if not isinstance(value, str):
        raise _Malformed(where, f"{name} is {_kind(value)}, not a string")
    if not _encodable(value):
        raise _Malformed(where, f"{name} is not valid Unicode text (it holds a lone surrogate)")
    return value


def _flag(container: dict, key: str, where: str) -> bool:
    """``container[key]``: true, false or null/missing (false); a string "false" is refused,
    not taken as true."""
    value = container.get(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    raise _Malformed(where, f"{key} is {_kind(value)}, not true or false")


def _list(container: dict, key: str, where: str) -> list:
    """``container[key]``: a list, or null/missing (empty)."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Malformed(where, f"{key} is {_kind(value)}, not a list")
    return value


def _objects(container: dict, key: str, where: str, item: str) -> list[tuple[str, dict]]:
    """``container[key]``: a list of objects, each with where it is (``item`` N)."""
    out = []
    for i, value in enumerate(_list(container, key, where), 1):
        if not isinstance(value, dict):
            raise _Malformed(where, f"{item} {i} is {_kind(value)}, not an object")
        place = f"{where}, {item} {i}"
        out.append((place, value))
    return out


def _offset(value: dict, key: str, where: str) -> int | None:
    """A region's ``start`` or ``end``: a whole number (4.0 too), or None when missing."""
    number = value.get(key)
    if number is None:
        return None
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    if isinstance(number, float) and math.isfinite(number) and number.is_integer():
        return int(number)
    raise _Malformed(where, f"{key} is {_shown(number)}, not a whole number")


def _annotator(value: Any, users: dict[int, str], where: str) -> str:
    """An email where the export or the user list (``GET /api/users``) gives one."""
    if isinstance(value, dict):
        name = str(value.get("email") or value.get("username") or f"user {value.get('id')}")
    elif value is None:
        name = "unknown"
    elif isinstance(value, int | str) and not isinstance(value, bool):
        name = users.get(value) or f"user {value}"  # type: ignore[call-overload]
    else:
        raise _Malformed(where, f"completed_by is {_kind(value)}, not a user id or object")
    if not _encodable(name):
        raise _Malformed(where, "completed_by is not valid Unicode text (a lone surrogate)")
    return name


def _lead_time(raw: dict, where: str) -> float | None:
    value = raw.get("lead_time")
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise _Malformed(where, f"lead_time is {_shown(value)}, not a number of seconds")


def _regions(
    text: str, result: list[tuple[str, dict]], where: str, report: ImportReport
) -> tuple[tuple[AnnotatedSpan, ...], int]:
    """The spans of an annotation's ``result`` and how many of its regions were moved to
    their words (``_anchored``). Regions of the wrong type are refused (``_Malformed``);
    regions other than labels, outside the text, not matching their words, with unknown
    labels or on another ``<Text>`` than ``text`` are skipped and reported under ``where``."""
    astral = _astral(text)
    spans: set[AnnotatedSpan] = set()
    moved = 0  # regions moved to their words, of those that gave a span
    other_types: dict[str | None, int] = {}
    for place, region in result:
        kind = _string(region, "type", place)
        if kind != "labels":  # choices, a text area, a relation: not a technique span
            other_types[kind] = other_types.get(kind, 0) + 1
            continue
        target = _string(region, "to_name", place)
        if target is not None and target != TEXT_NAME:
            # labels on another <Text> (a project whose text tag was renamed): its offsets
            # are not into data.text; dropped unsaid, the article read as technique-free
            report.skipped.append(
                (where, f"a region on {_short(target)!r}, not on the text {TEXT_NAME!r}")
            )
            continue
        value = region.get("value")
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise _Malformed(place, f"value is {_kind(value)}, not an object")
        raw_start, raw_end = _offset(value, "start", place), _offset(value, "end", place)
        words = _string(value, "text", place)
        labels = _list(value, "labels", place)
        for label in labels:
            if not isinstance(label, str):
                raise _Malformed(place, f"labels holds {_kind(label)}, not a technique name")
        if raw_start is None or raw_end is None:
            report.skipped.append((where, f"a region without start/end: {value}"))
            continue
        if words is not None:
            anchored = _anchored(text, raw_start, raw_end, words, astral)
            if anchored is None:
                report.skipped.append(
                    (where, f"region {raw_start}-{raw_end} says {words!r}, not found in the text")
                )
                continue
            start, end = anchored
        elif 0 <= raw_start < raw_end <= len(text):
            start, end = raw_start, raw_end
        else:
            report.skipped.append((where, f"region {raw_start}-{raw_end} is outside the text"))
            continue
        if (start, end) != (raw_start, raw_end) and any(
            label in taxonomy.TECHNIQUE_INFO for label in labels
        ):
            moved += 1
        for label in labels:
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
    for kind, n in other_types.items():
        shown = f"of type {_short(kind)!r}" if kind is not None else "without a type"
        report.skipped.append(
            (where, f"{n} region(s) {shown}, not labels: propscope imports technique labels only")
        )
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique))), moved


def _anchored(
    text: str, start: int, end: int, words: str, astral: list[int]
) -> tuple[int, int] | None:
    """Where a region saying ``words`` lies in ``text``: at its offsets (code points, as
    Label Studio counts them), else at its offsets read as UTF-16 code units (an export of
    tasks that earlier propscope versions wrote: Label Studio keeps an accepted prediction's
    offsets and words), else at the occurrence of its words nearest to ``start``; None when
    the words are not in the text (or are empty and the offsets are not a region of it)."""
    units = to_utf16(text, len(text), astral)
    if 0 <= start < end <= len(text) and text[start:end] == words:
        return start, end
    if 0 <= start < end <= units:
        old_start, old_end = from_utf16(text, start, astral), from_utf16(text, end, astral)
        if words and text[old_start:old_end] == words:
            return old_start, old_end
    found = [m.start() for m in re.finditer(re.escape(words), text)] if words else []
    if not found:
        return None
    nearest = min(found, key=lambda s: abs(s - start))
    return nearest, nearest + len(words)


def _moment(value: str | None) -> datetime | None:
    """A Label Studio timestamp (``2025-01-05T10:20:30.500000Z``) as a moment in time, UTC
    when it names no zone; None when missing or not ISO 8601. Compared as strings,
    ``...30Z`` sorted after ``...30.500000Z``, half a second later."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_NEVER = datetime.min.replace(tzinfo=UTC)


def _rank(annotation: Annotation) -> tuple[bool, datetime]:
    """Ground truth first, then the most recently updated (as moments, not strings); a
    timestamp that cannot be read counts as the oldest."""
    moment = _moment(annotation.updated_at) or _moment(annotation.created_at) or _NEVER
    return annotation.ground_truth, moment


def _choose(annotations: list[Annotation]) -> int:
    """The annotation to keep (the first of those ranked highest by ``_rank``)."""
    return max(range(len(annotations)), key=lambda i: _rank(annotations[i]))


def _merged(
    earlier: AnnotatedArticle, later: AnnotatedArticle
) -> tuple[AnnotatedArticle, AnnotatedArticle]:
    """Two tasks of one article as one: every annotation of both (in task order), the chosen
    one the better ranked of the two tasks' choices (the later task's on a tie), the task
    fields those of the task it is in. Also returns that task's article."""
    annotations = earlier.annotations + later.annotations
    if _rank(earlier.annotations[earlier.chosen]) > _rank(later.annotations[later.chosen]):
        kept, chosen = earlier, earlier.chosen
    else:
        kept, chosen = later, len(earlier.annotations) + later.chosen
    return kept.model_copy(update={"annotations": annotations, "chosen": chosen}), kept


def _read_json(path: Path, hint: str, what: str) -> Any:
    """The JSON in the file ``path``; a FIFO or a device is refused without blocking on it."""
    from propscope.io.readers import check_readable

    path = Path(path)
    check_path(path)  # is_dir() raises for a name too long, a folder not to be entered
    if path.is_dir():
        raise InputError(f"'{path}' is a folder, not {what}; {hint}")
    if path.exists() and not path.is_file():  # reading a FIFO blocks, a device may not end
        raise InputError(f"'{path}' is not a regular file (a FIFO or a device?); {hint}")
    if path.exists():
        check_readable(path)  # permissions, links to nowhere: one line (opened without blocking)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise InputError(f"'{path}' does not exist; {hint}") from None
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError, huge ints
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(f"'{path}' is not {what}: {detail}") from None


def read_tasks(path: Path) -> list[dict]:
    tasks = _read_json(
        path, "export the project from Label Studio as JSON", "a Label Studio JSON export"
    )
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise InputError(f"'{path}' is not a Label Studio JSON export (a list of tasks)")
    return tasks


def _task_id(task: dict, n: int) -> int | None:
    """A task's Label Studio id (a whole number) or None."""
    task_id = task.get("id")
    if task_id is None:
        return None
    if isinstance(task_id, int) and not isinstance(task_id, bool) and 0 <= task_id < 2**63:
        return task_id
    raise _Malformed(f"task #{n}", f"its id is {_shown(task_id)}, not a Label Studio task id")


def _article_id(data: dict, where: str) -> str | None:
    """``data.article_id`` as text (a number too), or None when missing or empty."""
    value = data.get("article_id")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | str)):
        raise _Malformed(where, f"data.article_id is {_kind(value)}, not a string")
    if isinstance(value, str) and not _encodable(value):
        raise _Malformed(where, "data.article_id is not valid Unicode text (a lone surrogate)")
    return str(value) if value not in (None, "") else None


def _language(data: dict, where: str) -> str | None:
    """``data.language`` as a language code ("EN", "en-GB": en), None when missing or empty;
    one propscope does not analyse is kept as given (lower case)."""
    from propscope.language import language_code

    value = _string(data, "language", where, "data.language")
    if value is None or not value.strip():
        return None
    try:
        return language_code(value)
    except InputError:
        return value.strip().lower()


def import_tasks(
    tasks: Sequence[dict], users: dict[int, str] | None = None, name: str = "the export"
) -> ImportReport:
    """Turn Label Studio tasks (a JSON export) into annotated articles, with a report.

    ``users`` names annotators by id (a JSON export gives only the id). A value of the wrong
    type (a list where Label Studio writes an object, a region starting at 4.7, a title that
    is a number, a lone surrogate, a null result) raises ``InputError`` naming the task,
    annotation and region; what Label Studio can write but we cannot use is skipped and
    reported. A JSON-MIN export, and one of another project (no task with an article id, no
    region on our technique controls), are refused in one line naming ``name``."""
    users = users or {}
    _refuse_json_min(tasks, name)
    report = ImportReport(tasks=len(tasks))
    by_id: dict[tuple[bool, str], AnnotatedArticle] = {}
    wheres: dict[tuple[bool, str], str] = {}  # the task that first gave each article
    kept_in: dict[tuple[bool, str], str] = {}  # ... and the task whose annotation is kept
    # regions moved to their words, one count per annotation of by_id's article, in its order
    moved_in: dict[tuple[bool, str], tuple[int, ...]] = {}
    for n, task in enumerate(tasks, 1):
        task_id = _task_id(task, n)
        where = f"task {task_id}" if task_id is not None else f"task #{n}"
        data = task.get("data")
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise _Malformed(where, f"data is {_kind(data)}, not an object with the text")
        text = _string(data, TEXT_NAME, where, f"data.{TEXT_NAME}")
        if text is None or not text.strip():
            report.skipped.append((where, "no text in data.text"))
            continue
        title = _string(data, "title", where, "data.title")
        language = _language(data, where)
        source = _string(data, "source", where, "data.source")
        given_id = _article_id(data, where)
        fallback = f"task{task_id if task_id is not None else n}"
        article_id = given_id or fallback
        file_id = _safe_id(article_id) or fallback  # _file_ids reports a change
        # articles are told apart by the export's id ('report/1' and 'report:1' are two,
        # and an id 'task7' is not task 7 without one); _file_ids makes file names distinct
        key = (given_id is None, article_id)
        annotations, cancelled, moved_counts = [], 0, []
        for place, raw in _objects(task, "annotations", where, "annotation"):
            if _flag(raw, "was_cancelled", place):
                cancelled += 1
                continue
            if "result" in raw and raw["result"] is None:  # Label Studio writes [] for none
                raise _Malformed(place, "result is null, not a list of regions")
            result = _objects(raw, "result", place, "region")
            spans, moved = _regions(text, result, where, report)
            annotation = Annotation(
                annotator=_annotator(raw.get("completed_by"), users, place),
                created_at=_string(raw, "created_at", place),
                updated_at=_string(raw, "updated_at", place),
                lead_time=_lead_time(raw, place),
                ground_truth=_flag(raw, "ground_truth", place),
                spans=spans,
                task_id=task_id,
            )
            annotations.append(annotation)
            moved_counts.append(moved)
        if not annotations:
            if cancelled:
                reason = "skipped by the annotator"
            elif _list(task, "drafts", where):
                reason = "only a draft (saved in Label Studio, never submitted)"
            else:
                reason = "not annotated (only predictions)"
            report.skipped.append((where, reason))
            continue
        chosen, shown = _choose(annotations), _short(article_id)
        if len({a.spans for a in annotations}) > 1:
            others = ", ".join(
                f"{a.annotator} {len(a.spans)} spans"
                for i, a in enumerate(annotations)
                if i != chosen
            )
            report.conflicts.append(
                (
                    shown,
                    f"{len(annotations)} annotations disagree; kept {annotations[chosen].annotator}"
                    f" ({len(annotations[chosen].spans)} spans), not {others}",
                )
            )
        article = AnnotatedArticle(
            id=file_id,
            article_id=given_id,
            title=title or None,
            source=source,
            text=text,
            task_id=task_id,
            chosen=chosen,
            annotations=tuple(annotations),
            language=language,
        )
        if key in by_id:
            if by_id[key].text != text:
                report.conflicts.append(
                    (shown, f"{where} has the same article id but another text; skipped it")
                )
                report.skipped.append((where, f"article id '{shown}' used twice"))
                continue
            # the earlier task's annotations stay (they were dropped), the choice made as
            # within a task, by ground truth and update time, not by the order of the file
            first = wheres[key]
            article, kept = _merged(by_id[key], article)  # its annotations: earlier + later
            moved_in[key] += tuple(moved_counts)
            if kept is not by_id[key]:
                kept_in[key] = where  # (a third repeat may keep the second's annotation)
            chose = article.annotations[article.chosen]
            report.conflicts.append(
                (
                    shown,
                    f"{where} repeats the article of {first}; kept {chose.annotator} "
                    f"({len(chose.spans)} spans) of {kept_in[key]}, "
                    f"all {len(article.annotations)} annotations in {ANNOTATIONS_FILE}",
                )
            )
        else:
            wheres[key] = kept_in[key] = where
            moved_in[key] = tuple(moved_counts)
        by_id[key] = article
    if tasks and not _propscope_data(tasks):
        raise InputError(
            f"{name} is not an export of a propscope project: no task has data.article_id "
            "and no region is on a propscope technique control ('technique-...'); export the "
            "Label Studio project made from annotate export's label-config.xml and tasks.json"
        )
    # only the regions written: not those of skipped tasks or of annotations not chosen
    report.repaired = sum(moved_in[key][article.chosen] for key, article in by_id.items())
    report.articles = _file_ids(list(by_id.values()), report)
    return report


def _refuse_json_min(tasks: Sequence[dict], name: str) -> None:
    """Refuse Label Studio's JSON-MIN export (each task's data and its regions at the top
    level, no ``data`` or ``annotations``): read as JSON, every task had "no text"."""
    for task in tasks:
        if "data" not in task and "annotations" not in task and isinstance(task.get("text"), str):
            raise InputError(
                f"{name} is a JSON-MIN export (the text at each task's top level, no data or "
                "annotations); export the project again with Export → JSON"
            )


def _propscope_data(tasks: Sequence[dict]) -> bool:
    """Whether an export is of a propscope project: a task with ``data.article_id`` (what
    ``annotate export`` writes) or a region on one of our technique controls."""
    controls = {control_name(category) for category in taxonomy.CATEGORIES}
    for task in tasks:
        data = task.get("data")
        if isinstance(data, dict) and data.get("article_id") not in (None, ""):
            return True
        annotations = task.get("annotations")
        for annotation in annotations if isinstance(annotations, list) else ():
            result = annotation.get("result") if isinstance(annotation, dict) else None
            for region in result if isinstance(result, list) else ():
                if isinstance(region, dict) and region.get("from_name") in controls:
                    return True
    return False


def check_import_output(output: Path) -> None:
    """Refuse an output `write_import` cannot fill: a file, or a folder holding anything."""
    check_path(output, output=True)
    if output.exists() and not output.is_dir():
        raise InputError(f"'{output}' exists and is not a folder; choose a new folder")
    if output.exists() and any(output.iterdir()):
        raise InputError(f"'{output}' already exists and is not empty; choose a new folder")


def write_import(report: ImportReport, output: Path) -> None:
    """Write the SemEval-2023 layout (articles, span files) and ``annotations.json`` into
    a new (or empty) folder ``output``, all or nothing. It is built in a fresh folder made
    beside it (``OUT.partial-XXXX``) and moved in at the end; on any failure what this run
    made is removed, and nothing else: a user's own ``OUT.partial`` is never touched."""
    check_import_output(output)
    target = Path(os.path.abspath(output))  # '-o .' is named by its absolute path
    made = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    staging: Path | None = None
    moved: list[Path] = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the name cut so that the staging folder's is still one the file system takes
        name = os.fsdecode(os.fsencode(target.name)[: NAME_MAX - len(".partial-") - 8])
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f"{name}.partial-"))
        built = staging / target.name  # made with the umask's mode, not mkdtemp's 0700
        _write_layout(report, built)
        if target.exists():  # an empty folder (the current one, a mount point): fill it
            for entry in sorted(built.iterdir()):
                entry.rename(target / entry.name)
                moved.append(target / entry.name)
        else:
            built.rename(target)
    except BaseException as exc:
        for path in moved:  # what this run moved into the empty folder
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # the parents this run made, innermost first (empty ones only)
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write '{output}': {exc.strerror or exc}; nothing was written"
            ) from None
        raise
    shutil.rmtree(staging, ignore_errors=True)  # empty now


def _write_layout(report: ImportReport, folder: Path) -> None:
    (folder / ARTICLES_DIR).mkdir(parents=True)
    (folder / SPANS_DIR).mkdir()
    records = []
    for article in report.articles:
        stem = file_stem(article.id)
        with open(
            folder / ARTICLES_DIR / f"{stem}.txt", "w", encoding="utf-8", newline=""
        ) as handle:
            handle.write(article.text)
        rows = "".join(f"{article.id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in article.spans)
        (folder / SPANS_DIR / f"{stem}-labels-subtask-3.txt").write_text(rows, encoding="utf-8")
        records.append(
            {
                **article.model_dump(mode="json"),
                "file": f"{ARTICLES_DIR}/{stem}.txt",
                "spans": [s.model_dump(mode="json") for s in article.spans],
            }
        )
    (folder / ANNOTATIONS_FILE).write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
