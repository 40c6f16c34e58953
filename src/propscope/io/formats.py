"""Readers and writers of the official SemEval-2020 Task 11 and SemEval-2023 Task 3 files.

Scoring, training and exporting all go through these functions, so a file is read the same
strict way everywhere: a malformed line stops with a `FormatError` naming the file, the line
and what was expected, instead of turning silently into a wrong score.

One row per line, fields separated by TAB; offsets are 0-based character offsets into the
article file, start inclusive, end exclusive:

* SI: ``article_id  start  end``
* TC / FLC: ``article_id  technique  start  end`` (a TC template has ``?`` as technique)
* ST1: ``article_id  label``
* ST2: ``article_id  frame1,frame2,...`` (the list may be empty: the line ends after the TAB)
* ST3: ``article_id  paragraph_id  technique1,...`` (the list may be empty, same rule)
* ST3 template: ``article_id  paragraph_id  paragraph text`` (the text itself may hold TABs)

Readers accept CRLF line endings, a UTF-8 byte-order mark, spaces around fields, empty lines
at the end of a file and a missing trailing TAB before an empty ST2/ST3 list. Writers write
the official layout with LF line endings, in the order of the rows they are given; rows may be
the row types below or plain tuples with the same fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, TextIO

from propscope.errors import FormatError, InputError
from propscope.io.files import check_path

__all__ = [
    "SPAN_FILE_SUFFIX",
    "TC_PLACEHOLDER",
    "FLCRow",
    "SIRow",
    "ST1Row",
    "ST2Row",
    "ST3Row",
    "ST3TemplateRow",
    "read_flc",
    "read_flc_lines",
    "read_si",
    "read_st1",
    "read_st2",
    "read_st3",
    "read_st3_template",
    "write_flc",
    "write_si",
    "write_st1",
    "write_st2",
    "write_st3",
    "write_st3_template",
]

# The end of a SemEval-2023 per-article label file's name: `article{ID}-labels-subtask-3.txt`
# holds the spans in `train-labels-subtask-3-spans/` (the TC/FLC layout) and the paragraph
# labels in `train-labels-subtask-3/` (the ST3 layout).
SPAN_FILE_SUFFIX = "-labels-subtask-3.txt"

# The technique field of a TC template row: the span is given, its label is to be predicted.
TC_PLACEHOLDER = "?"


class SIRow(NamedTuple):
    """A technique-agnostic span ``[start, end)`` of one article (SemEval-2020 SI)."""

    article_id: str
    start: int
    end: int


class FLCRow(NamedTuple):
    """A span with its technique (TC/FLC labels; ``technique == "?"`` in a TC template)."""

    article_id: str
    technique: str
    start: int
    end: int


class ST1Row(NamedTuple):
    """The genre of one article (SemEval-2023 subtask 1)."""

    article_id: str
    label: str


class ST2Row(NamedTuple):
    """The frames of one article, possibly none (SemEval-2023 subtask 2)."""

    article_id: str
    frames: tuple[str, ...]


class ST3Row(NamedTuple):
    """The techniques of one paragraph, possibly none (SemEval-2023 subtask 3).

    ``paragraph_id`` is the 1-based line number of the paragraph in the article file.
    """

    article_id: str
    paragraph_id: int
    techniques: tuple[str, ...]


class ST3TemplateRow(NamedTuple):
    """One paragraph to label: its key and its text (SemEval-2023 subtask 3 template)."""

    article_id: str
    paragraph_id: int
    text: str


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------

_SI_LAYOUT = "article_id<TAB>start<TAB>end"
_FLC_LAYOUT = "article_id<TAB>technique<TAB>start<TAB>end"
_ST1_LAYOUT = "article_id<TAB>label"
_ST2_LAYOUT = "article_id<TAB>frame1,frame2,..."
_ST3_LAYOUT = "article_id<TAB>paragraph_id<TAB>technique1,technique2,..."
_TEMPLATE_LAYOUT = "article_id<TAB>paragraph_id<TAB>paragraph text"
# said when a SemEval-2023 file read for its spans has the 3 fields of a paragraph label
_ST3_HINT = (
    "; that is a paragraph label (train-labels-subtask-3/, task st3): the spans are in "
    "train-labels-subtask-3-spans/"
)


def read_si(path: str | Path, *, pattern: str | None = None) -> list[SIRow]:
    """Read SI spans from one file or from a directory of per-article files.

    A directory is read file by file (those matching ``pattern``, in name order; hidden
    files skipped), so the per-article ``train-labels-task-si/`` folder and the concatenated
    file give the same rows. Without ``pattern`` a directory's ``*.labels`` files are read,
    or, if it has none, its SemEval-2023 span files (``*-labels-subtask-3.txt``, as in
    ``train-labels-subtask-3-spans/``), whose technique column is left out (as it is from a
    file whose rows have four fields: such files joined into one).
    """
    rows: list[SIRow] = []
    for file in _label_files(path, *_span_patterns(pattern)):
        lines = list(_data_lines(file))
        # a span file by its name, or by its first row's four fields (SemEval-2023 span
        # files joined into one, which TC and FLC read too)
        first = lines[0][1].split("\t") if lines else []
        with_technique = file.name.endswith(SPAN_FILE_SUFFIX) or (
            len(first) == 4 and not first[1].strip().isdigit()  # not "id start end<TAB>"
        )
        for where, line in lines:
            if with_technique:
                article_id, technique, start, end = _fields(
                    where, line, 4, _FLC_LAYOUT, hint=_ST3_HINT
                )
                _label(where, technique, None, "technique")
            else:
                article_id, start, end = _fields(where, line, 3, _SI_LAYOUT)
            rows.append(SIRow(_article_id(where, article_id), *_span(where, start, end)))
    return rows


def read_flc(
    path: str | Path, *, labels: Collection[str] | None = None, pattern: str | None = None
) -> list[FLCRow]:
    """Read TC/FLC rows (labels, predictions or a TC template) from a file or a directory.

    ``labels``, when given, is the set of allowed technique names (pass it for gold and
    predictions; leave it out for a template, whose technique is ``?``). A directory is read
    file by file (those matching ``pattern``, in name order; hidden files skipped); without
    ``pattern``, its ``*.labels`` files (SemEval-2020's ``train-labels-task-flc-tc/``) or, if
    it has none, its ``*-labels-subtask-3.txt`` files (SemEval-2023's
    ``train-labels-subtask-3-spans/``, the same layout).
    """
    return [row for _, _, row in read_flc_lines(path, labels=labels, pattern=pattern)]


def read_flc_lines(
    path: str | Path, *, labels: Collection[str] | None = None, pattern: str | None = None
) -> list[tuple[Path, int, FLCRow]]:
    """`read_flc`'s rows, each with the file and the 1-based line it was read from (for
    messages that point at a row, e.g. two rows whose techniques come from different sets)."""
    rows: list[tuple[Path, int, FLCRow]] = []
    for file in _label_files(path, *_span_patterns(pattern)):
        hint = _ST3_HINT if file.name.endswith(SPAN_FILE_SUFFIX) else ""
        for number, (where, line) in enumerate(_data_lines(file), start=1):
            article_id, technique, start, end = _fields(where, line, 4, _FLC_LAYOUT, hint=hint)
            row = FLCRow(
                _article_id(where, article_id),
                _label(where, technique, labels, "technique"),
                *_span(where, start, end),
            )
            rows.append((file, number, row))
    return rows


def read_st1(path: str | Path, *, labels: Collection[str] | None = None) -> list[ST1Row]:
    """Read SemEval-2023 subtask 1 labels: one genre per article."""
    rows: list[ST1Row] = []
    for where, line in _data_lines(_existing(path)):
        article_id, label = _fields(where, line, 2, _ST1_LAYOUT)
        rows.append(ST1Row(_article_id(where, article_id), _label(where, label, labels, "label")))
    return rows


def read_st2(path: str | Path, *, labels: Collection[str] | None = None) -> list[ST2Row]:
    """Read SemEval-2023 subtask 2 labels: a comma-separated, possibly empty, frame list."""
    rows: list[ST2Row] = []
    for where, line in _data_lines(_existing(path)):
        article_id, frames = _fields(where, line, 2, _ST2_LAYOUT, optional_last=True)
        rows.append(
            ST2Row(_article_id(where, article_id), _label_list(where, frames, labels, "frame"))
        )
    return rows


def read_st3(
    path: str | Path,
    *,
    labels: Collection[str] | None = None,
    pattern: str = "*-labels-subtask-3.txt",
) -> list[ST3Row]:
    """Read SemEval-2023 subtask 3 labels: a possibly empty technique list per paragraph.

    Accepts the merged file or the per-article folder (files matching ``pattern``).
    """
    rows: list[ST3Row] = []
    for file in _label_files(path, pattern):
        for where, line in _data_lines(file):
            article_id, paragraph, techniques = _fields(
                where, line, 3, _ST3_LAYOUT, optional_last=True
            )
            rows.append(
                ST3Row(
                    _article_id(where, article_id),
                    _paragraph_id(where, paragraph),
                    _label_list(where, techniques, labels, "technique"),
                )
            )
    return rows


def read_st3_template(
    path: str | Path, *, pattern: str = "*-labels-subtask-3.txt.template"
) -> list[ST3TemplateRow]:
    """Read a SemEval-2023 subtask 3 template: the paragraphs to label, with their text.

    Only the first two TABs separate fields; the text is kept verbatim (TABs included).
    Prefer the per-article folder (files matching ``pattern``) for non-English data: the
    merged non-English templates glue some paragraphs together (see the data README).
    """
    rows: list[ST3TemplateRow] = []
    for file in _label_files(path, pattern):
        for where, line in _data_lines(file):
            parts = line.split("\t", 2)
            if len(parts) != 3:
                raise FormatError(
                    f"{where}: expected 3 TAB-separated fields ({_TEMPLATE_LAYOUT}), "
                    f"found {len(parts)}: {_show(line)}"
                )
            article_id, paragraph, text = parts
            rows.append(
                ST3TemplateRow(
                    _article_id(where, article_id.strip()),
                    _paragraph_id(where, paragraph.strip()),
                    text,
                )
            )
    return rows


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def write_si(rows: Iterable[SIRow], stream: TextIO) -> None:
    """Write SI rows as ``article_id<TAB>start<TAB>end`` lines."""
    for article_id, start, end in rows:
        stream.write(f"{id_cell(article_id)}\t{int(start)}\t{int(end)}\n")


def write_flc(rows: Iterable[FLCRow], stream: TextIO) -> None:
    """Write TC/FLC rows as ``article_id<TAB>technique<TAB>start<TAB>end`` lines."""
    for article_id, technique, start, end in rows:
        stream.write(f"{id_cell(article_id)}\t{_cell(technique)}\t{int(start)}\t{int(end)}\n")


def write_st1(rows: Iterable[ST1Row], stream: TextIO) -> None:
    """Write subtask 1 rows as ``article_id<TAB>label`` lines."""
    for article_id, label in rows:
        stream.write(f"{id_cell(article_id)}\t{_cell(label)}\n")


def write_st2(rows: Iterable[ST2Row], stream: TextIO) -> None:
    """Write subtask 2 rows; an empty frame list leaves the line ending after the TAB."""
    for article_id, frames in rows:
        stream.write(f"{id_cell(article_id)}\t{_joined(frames)}\n")


def write_st3(rows: Iterable[ST3Row], stream: TextIO) -> None:
    """Write subtask 3 rows; an empty technique list leaves the line ending after the TAB."""
    for article_id, paragraph_id, techniques in rows:
        stream.write(f"{id_cell(article_id)}\t{int(paragraph_id)}\t{_joined(techniques)}\n")


def write_st3_template(rows: Iterable[ST3TemplateRow], stream: TextIO) -> None:
    """Write subtask 3 template rows (the text may contain TABs, not line breaks)."""
    for article_id, paragraph_id, text in rows:
        if "\n" in text or "\r" in text:
            raise FormatError(
                f"cannot write the text of article {article_id} paragraph {paragraph_id}: "
                "it contains a line break; a template row holds one paragraph line"
            )
        stream.write(f"{id_cell(article_id)}\t{int(paragraph_id)}\t{text}\n")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory; expected a label file")
    if not path.is_file():  # a FIFO or a device would block or never end
        raise InputError(f"{path} is not a regular file; save the labels to a file")
    return path


def _span_patterns(pattern: str | None) -> tuple[str, ...]:
    """The file patterns a span folder is read with: ``pattern``, or the two official ones."""
    return (pattern,) if pattern is not None else ("*.labels", "*" + SPAN_FILE_SUFFIX)


def _label_files(path: str | Path, *patterns: str) -> list[Path]:
    """The file itself, or the files of a directory that match the first of ``patterns``
    that any file matches, in name order.

    Hidden files (a name starting with '.') are skipped, as `analyze` skips them: macOS
    leaves binary ``._article1.labels`` resource forks beside copied files.
    """
    path = Path(path)
    check_path(path)  # is_dir() raises for a name too long, a folder not to be entered
    if path.is_dir():
        for pattern in patterns:
            files = sorted(
                p for p in path.glob(pattern) if p.is_file() and not p.name.startswith(".")
            )
            if files:
                return files
        wanted = " or ".join(repr(pattern) for pattern in patterns)
        raise InputError(f"{path}: the directory has no files matching {wanted}")
    return [_existing(path)]


def _read_text(path: Path) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return stream.read()
    except UnicodeDecodeError as error:
        raise FormatError(
            f"{path}: not UTF-8 text (bad byte at offset {error.start}); save it as UTF-8"
        ) from error
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from error


def _data_lines(path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(where, line)`` per data line; ``where`` is ``"<file> line <n>"`` (1-based).

    Splits on LF only (the template text may hold other Unicode line separators), drops one
    trailing CR per line, and allows blank lines only at the end of the file.
    """
    lines = [line.removesuffix("\r") for line in _read_text(path).split("\n")]
    last = len(lines)
    while last and not lines[last - 1].strip():
        last -= 1
    for number, line in enumerate(lines[:last], start=1):
        where = f"{path} line {number}"
        if not line.strip():
            raise FormatError(
                f"{where} is empty; remove it (empty lines are allowed only at the end)"
            )
        yield where, line


def _fields(
    where: str,
    line: str,
    count: int,
    layout: str,
    *,
    optional_last: bool = False,
    hint: str = "",
) -> list[str]:
    """Split on TAB into exactly ``count`` stripped fields.

    With ``optional_last``, a line missing only its last (list) field reads as an empty list:
    editors often strip the trailing TAB of an empty list. ``hint`` ends the message of a
    line with one field less (a SemEval-2023 paragraph label read as a span).
    """
    fields = [field.strip() for field in line.split("\t")]
    if optional_last and len(fields) == count - 1:
        fields.append("")
    if len(fields) != count:
        raise FormatError(
            f"{where}: expected {count} TAB-separated fields ({layout}), "
            f"found {len(fields)}: {_show(line)}{hint if len(fields) == count - 1 else ''}"
        )
    return fields


def _article_id(where: str, value: str) -> str:
    if not value:
        raise FormatError(f"{where}: the article id (first field) is empty")
    if any(char.isspace() for char in value):
        raise FormatError(f"{where}: article id {value!r} contains whitespace; separate with TAB")
    return value


MAX_DIGITS = 15  # an offset or paragraph number beyond any text (int() refuses 4,300+)


def _integer(where: str, name: str, value: str) -> int:
    if not _DIGITS.fullmatch(value):
        raise FormatError(f"{where}: {name} {value!r} is not a non-negative integer")
    if len(value.lstrip("0")) > MAX_DIGITS:
        raise FormatError(f"{where}: {name} {_show(value, 20)} is larger than any text")
    return int(value)


def _span(where: str, start: str, end: str) -> tuple[int, int]:
    first, last = _integer(where, "start", start), _integer(where, "end", end)
    if first >= last:
        raise FormatError(
            f"{where}: start {first} is not before end {last}; "
            "a span [start, end) needs start < end"
        )
    return first, last


def _paragraph_id(where: str, value: str) -> int:
    number = _integer(where, "paragraph id", value)
    if number < 1:
        raise FormatError(f"{where}: paragraph id 0; paragraph ids are 1-based line numbers")
    return number


def _label(where: str, value: str, labels: Collection[str] | None, kind: str) -> str:
    if not value:
        raise FormatError(f"{where}: the {kind} is empty")
    if labels is not None and value not in labels:
        raise FormatError(f"{where}: unknown {kind} {value!r}; {_expected(value, labels)}")
    return value


def _label_list(
    where: str, value: str, labels: Collection[str] | None, kind: str
) -> tuple[str, ...]:
    if not value:
        return ()
    names = tuple(name.strip() for name in value.split(","))
    if "" in names:
        raise FormatError(
            f"{where}: empty {kind} name in {value!r}; separate names by single commas"
        )
    for name in names:
        _label(where, name, labels, kind)
    return names


def _expected(value: str, labels: Collection[str]) -> str:
    """A hint at the right name: the closest known one, or the whole list when it is short."""
    close = difflib.get_close_matches(value, list(labels), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if len(labels) <= 5:
        return "expected one of " + ", ".join(repr(name) for name in sorted(labels))
    return f"expected one of the {len(labels)} official names (exact spelling)"


def _show(line: str, limit: int = 80) -> str:
    return repr(line if len(line) <= limit else line[:limit] + "...")


def _cell(value: str) -> str:
    value = str(value)
    if not value or any(char in value for char in "\t\r\n"):
        raise FormatError(f"cannot write field {value!r}: it is empty or holds a TAB/line break")
    return value


def id_cell(value: str) -> str:
    """An article id as the readers take it back: SemEval ids hold no whitespace (raises
    ``FormatError`` for one that does)."""
    value = _cell(value)
    if any(char.isspace() for char in value):
        raise FormatError(
            f"cannot write article id {value!r}: SemEval files allow no whitespace in ids; "
            "rename the article file (e.g. article123.txt)"
        )
    return value


def _joined(names: Iterable[str]) -> str:
    names = [_cell(name) for name in names]
    for name in names:
        if "," in name:
            raise FormatError(f"cannot write label {name!r}: label lists are comma-separated")
    return ",".join(names)
