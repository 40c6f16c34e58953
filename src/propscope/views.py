"""Corpus views over a store: statistics tables and exports of every finding.

Exports keep the field names of the JSON schema (``propscope.schema``) so one vocabulary
serves ``analyze --format json``, the web API and a spreadsheet: nested objects become dotted
columns in flat formats (``article.title``, ``summary.spans``), lists and free-form maps
(``alternatives``, ``summary.by_technique``) become JSON text. The store's own fields (row
id, content hash, normalised source, publication date, ...) sit under ``store``.

CSV files are for spreadsheets: a text cell that a spreadsheet would run as a formula (one
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: CSV injection) gets a
leading ``'``, which spreadsheets read as "this is text" (`spreadsheet_cell`); numbers stay
numbers. JSON Lines and parquet keep every value exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Collection, Iterator
from datetime import date, datetime
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from propscope import taxonomy
from propscope.errors import PropscopeError
from propscope.io.files import atomic_write, os_reason
from propscope.schema import Analysis, ArticleInfo, TechniqueSpan
from propscope.store import ARTICLE_KEYS

if TYPE_CHECKING:
    from propscope.store import Store, StoredArticle

__all__ = [
    "ExportFormat",
    "ExportLevel",
    "StatsBy",
    "article_record",
    "export",
    "flat_columns",
    "flatten",
    "spreadsheet_cell",
    "span_records",
    "stats_rows",
    "stats_table",
    "stdout_error",
    "with_shares",
    "write_stats",
]

ExportFormat = Literal["jsonl", "csv", "parquet"]
ExportLevel = Literal["spans", "articles"]
StatsBy = Literal["source", "month", "topic", "genre", "technique", "category"]
STORE_FIELDS = (
    "id",
    "content_hash",
    "source",
    "source_group",
    "url",
    "published",
    "language",
    "model_version",
    "created_at",
    "words",
    "metadata",
)
# The article fields repeated on every span row: enough to group and filter without a join.
SPAN_ARTICLE_FIELDS = ("id", "source", "title")
PARQUET_HELP = "parquet needs pyarrow: pip install 'propscope[parquet]'"


# --- statistics ------------------------------------------------------------------------------


def stats_rows(groups: list[dict], by: StatsBy) -> tuple[list[str], list[dict[str, Any]]]:
    """Flat rows (columns, rows) of ``Store.stats(by)`` for a table or a CSV file.

    Source, month, topic and genre rows get, for every technique found in the corpus, the
    share of the group's articles using it (``share.<technique>``) and its span count
    (``spans.<technique>``); technique rows get the readable label beside the name.
    """
    if by == "technique":
        columns = ["technique", "label", "category", "spans", "articles"]
        columns += ["share_of_articles", "per_1000_words"]
        rows = [
            {
                "technique": g["key"],
                "label": _label(g["key"]),
                **{k: g.get(k) for k in columns[2:]},
            }
            for g in groups
        ]
        return columns, rows
    if by == "category":
        columns = ["category", "spans", "articles", "share_of_articles", "per_1000_words"]
        return columns, [{"category": g["key"], **{k: g[k] for k in columns[1:]}} for g in groups]
    techniques = _ordered_techniques(groups)
    columns = [by, "articles", "words", "spans", "per_1000_words"]
    columns += [f"share.{t}" for t in techniques] + [f"spans.{t}" for t in techniques]
    rows = []
    for g in groups:
        row: dict[str, Any] = {by: g["key"], **{k: g[k] for k in columns[1:5]}}
        for t in techniques:
            used = g["techniques"].get(t, {"spans": 0, "articles": 0})
            row[f"share.{t}"] = round(used["articles"] / g["articles"], 4) if g["articles"] else 0
            row[f"spans.{t}"] = used["spans"]
        rows.append(row)
    return columns, rows


def with_shares(groups: list[dict], by: StatsBy) -> list[dict]:
    """``Store.stats`` groups for JSON; article groups (source, month, topic, genre) get, for
    each technique and category, the share of the group's articles using it."""
    if by not in ARTICLE_KEYS:
        return groups
    out = []
    for group in groups:
        n = group["articles"]
        group = dict(group)
        for name in ("techniques", "categories"):
            group[name] = {
                k: {**v, "share_of_articles": round(v["articles"] / n, 4) if n else 0.0}
                for k, v in group[name].items()
            }
        out.append(group)
    return out


def _ordered_techniques(groups: list[dict]) -> list[str]:
    """Techniques found in any group, most spans first (ties by name)."""
    totals: dict[str, int] = {}
    for g in groups:
        for t, v in g["techniques"].items():
            totals[t] = totals.get(t, 0) + v["spans"]
    return sorted(totals, key=lambda t: (-totals[t], t))


def _label(technique: str) -> str:
    info = taxonomy.TECHNIQUE_INFO.get(technique)
    return info.label if info else technique


def blind_spots(models: list[dict]) -> list[str]:
    """One sentence per span model that was never trained on some techniques (from
    ``Store.models``): a corpus count of zero for those says nothing about its articles."""
    total = sum(m["articles"] for m in models)
    notes = []
    for m in models:
        if not m["untrained_techniques"]:
            continue
        names = ", ".join(_label(t) for t in m["untrained_techniques"])
        n = m["articles"]
        if n == total:
            share = "The stored article was" if n == 1 else f"All {n:,} stored articles were"
        else:
            share = f"{n:,} of {total:,} stored articles {'was' if n == 1 else 'were'}"
        notes.append(
            f"{share} analysed by {m['model']}, which was not trained to find {names}: the "
            "counts cannot show these techniques in those articles."
        )
    return notes


def write_stats(
    groups: list[dict], by: StatsBy, fmt: Literal["csv", "json"], stream: io.TextIOBase
) -> None:
    """Statistics as CSV (flat rows) or JSON (the store's groups, with shares)."""
    if fmt == "json":
        json.dump(with_shares(groups, by), stream, ensure_ascii=False, indent=2, default=str)
        stream.write("\n")
        return
    columns, rows = stats_rows(groups, by)
    writer = _csv_writer(stream, columns)
    writer.writeheader()
    writer.writerows(_spreadsheet_row(row) for row in rows)


# --- CSV for spreadsheets ------------------------------------------------------------------------

# A cell starting with one of these is a formula (or DDE call) to Excel and LibreOffice; tab
# and carriage return because they are stripped or split off before the cell is parsed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-3", "+1.5e-3") computes nothing: left as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: text that would run as a formula gets a leading
    ``'`` (shown as text, the quote hidden), e.g. ``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``.
    Numbers, ``None`` and other text are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if not _NUMBER.fullmatch(value):
            return "'" + value
    return value


def _spreadsheet_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: spreadsheet_cell(v) for k, v in row.items()}


def _csv_writer(stream, columns: list[str]) -> csv.DictWriter:
    """Text cells quoted, numbers bare. Python's csv quotes a cell holding a lone carriage
    return only when the line terminator has one, and a spreadsheet starts a new row there:
    "x\r=cmd()" would put a formula at the start of a cell; quoted, it stays inside."""
    return csv.DictWriter(
        stream, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
    )


# --- exports ---------------------------------------------------------------------------------


def _store_fields(stored: StoredArticle) -> dict[str, Any]:
    fields = stored.model_dump(mode="json", include=set(STORE_FIELDS))
    return {k: fields[k] for k in STORE_FIELDS}


def article_record(stored: StoredArticle) -> dict[str, Any]:
    """One article: the ``Analysis`` JSON exactly as ``analyze --format json`` writes it,
    plus ``store`` (row id, content hash, normalised source, publication date, ...)."""
    return {"store": _store_fields(stored), **stored.analysis.model_dump(mode="json")}


def span_records(stored: StoredArticle) -> Iterator[dict[str, Any]]:
    """One record per finding: the ``TechniqueSpan`` fields, plus ``store`` and ``article``
    fields to group by."""
    store_fields = _store_fields(stored)
    info = stored.analysis.article.model_dump(mode="json", include=set(SPAN_ARTICLE_FIELDS))
    article = {k: info[k] for k in SPAN_ARTICLE_FIELDS}
    for span in stored.analysis.spans:
        yield {"store": store_fields, "article": article, **span.model_dump(mode="json")}


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field holding one nested object (``Summary``, ``LanguageInfo | None``);
    None for scalars and for collections (``tuple[TechniqueSpan, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType):
        models = [
            a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        return models[0] if len(models) == 1 else None
    return None


def _flat_fields(level: ExportLevel) -> dict[str, Any]:
    """Column name -> annotation of a flat export, in order; nested objects dotted."""
    fields: dict[str, Any] = {f"store.{k}": _STORE_TYPES.get(k, str) for k in STORE_FIELDS}
    if level == "spans":
        for k in SPAN_ARTICLE_FIELDS:
            fields[f"article.{k}"] = ArticleInfo.model_fields[k].annotation
        fields.update({k: f.annotation for k, f in TechniqueSpan.model_fields.items()})
        return fields
    fields.update(analysis_field_types(skip={"spans"}))  # one row per span is the spans level
    return fields


def analysis_field_types(skip: Collection[str] = ()) -> dict[str, Any]:
    """Column name -> annotation of the ``Analysis`` fields, nested objects dotted
    (``summary.spans``), for flat exports and data frames."""
    fields: dict[str, Any] = {}
    for name, field in Analysis.model_fields.items():
        if name in skip:
            continue
        model = _nested_model(field.annotation)
        if model is None:
            fields[name] = field.annotation
        else:
            fields.update({f"{name}.{k}": f.annotation for k, f in model.model_fields.items()})
    return fields


def flat_columns(level: ExportLevel) -> list[str]:
    """The columns of a flat (CSV, parquet) export, in order: schema names, dotted."""
    return list(_flat_fields(level))


_NESTED = {"store"} | {
    name for name, f in Analysis.model_fields.items() if _nested_model(f.annotation)
}


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested objects one level deep become dotted keys; lists and maps inside become JSON.

    An article's ``spans`` are left out: one row per span is the ``spans`` level. An absent
    optional object (``genre`` of a text too short to classify) leaves its columns empty.
    """
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if key == "spans":
            continue
        if key in _NESTED:
            for inner, v in (value or {}).items():
                flat[f"{key}.{inner}"] = _scalar(v)
        else:
            flat[key] = _scalar(value)
    return flat


def _scalar(value: Any) -> Any:
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def iter_records(store: Store, level: ExportLevel) -> Iterator[dict[str, Any]]:
    for stored in store.iter_articles():
        if level == "articles":
            yield article_record(stored)
        else:
            yield from span_records(stored)


def export(
    store: Store,
    fmt: ExportFormat,
    level: ExportLevel = "spans",
    output: Path | None = None,
    stdout: io.TextIOBase | None = None,
) -> int:
    """Write every stored span (or article) to ``output`` (atomically) or ``stdout``.

    Returns the number of records written. Parquet needs a file and pyarrow.
    """
    if fmt == "parquet":
        if output is None:
            raise PropscopeError("parquet is a binary format: give --output FILE.parquet")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise PropscopeError(f"cannot write parquet: {PARQUET_HELP}") from None
    records = iter_records(store, level)
    if output is None:
        stream = stdout or sys.stdout
        try:
            n = _write_text(records, fmt, level, stream)
            stream.flush()
        except BrokenPipeError:  # the reader stopped (`| head`): the CLI ends quietly
            raise
        except (OSError, UnicodeEncodeError) as exc:
            raise stdout_error(exc) from None
        return n
    return atomic_write(output, lambda path: _write_file(records, fmt, level, path))


def stdout_error(exc: OSError | UnicodeEncodeError) -> PropscopeError:
    """One line for standard output that cannot take what is written (a full disk, a file
    size limit, ``> /dev/full``, an encoding without the text's letters:
    ``PYTHONIOENCODING=ascii``), as ``-o FILE`` gets for a file."""
    if isinstance(exc, UnicodeEncodeError):
        char = exc.object[exc.start : exc.start + 1]
        return PropscopeError(
            f"cannot write to standard output: its encoding {exc.encoding} has no "
            f"{char!r} (U+{ord(char):04X}); set PYTHONIOENCODING=utf-8, or give --output FILE"
        )
    return PropscopeError(
        f"cannot write to standard output: {os_reason(exc)}; free some space, or give --output FILE"
    )


def _write_text(records, fmt: str, level: ExportLevel, stream) -> int:
    n = 0
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = _csv_writer(stream, flat_columns(level))
    writer.writeheader()
    for record in records:
        writer.writerow(_spreadsheet_row(flatten(record)))
        n += 1
    return n


def _write_file(records, fmt: str, level: ExportLevel, path: Path) -> int:
    if fmt != "parquet":
        with open(path, "w", encoding="utf-8", newline="") as stream:
            return _write_text(records, fmt, level, stream)
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(t)) for c, t in _flat_fields(level).items()])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for record in records:
            chunk.append(_typed_times(flatten(record)))
            n += 1
            if len(chunk) >= 5000:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk.clear()
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return n


_STORE_TYPES = {"id": int, "words": int, "published": date, "created_at": datetime}


def _typed_times(row: dict[str, Any]) -> dict[str, Any]:
    """The store's dates as the values parquet's timestamp columns take (JSON has strings)."""
    for name in ("store.published", "store.created_at"):
        if isinstance(row.get(name), str):
            row[name] = datetime.fromisoformat(row[name])
    return row


def _arrow_type(annotation: Any):
    """int, float, bool and time columns keep their type in parquet (the dtypes
    ``Store.dataframe`` gives: a date as a timestamp in milliseconds, a time in
    microseconds, UTC); everything else is text."""
    import pyarrow as pa

    kinds = set(get_args(annotation)) - {type(None)} or {annotation}
    if kinds == {datetime}:
        return pa.timestamp("us", tz="UTC")
    if kinds == {date}:
        return pa.timestamp("ms")  # parquet's coarsest unit
    if kinds == {int}:
        return pa.int64()
    if kinds == {float}:
        return pa.float64()
    if kinds == {bool}:
        return pa.bool_()
    return pa.string()


def stats_table(groups: list[dict], by: StatsBy):
    """A rich Table of ``Store.stats(by)``; article groups (source, month, topic, genre) name
    their most used techniques (by share of articles) instead of 2 x 23 share and count
    columns."""
    from rich.table import Table

    columns, rows = stats_rows(groups, by)
    table = Table(title=f"propscope statistics by {by}")
    if by in ARTICLE_KEYS:
        shown = columns[:5]
        techniques = [c.removeprefix("share.") for c in columns if c.startswith("share.")]
    else:
        shown = [c for c in columns if c != "technique"]
        techniques = []
    for name in shown:
        numeric = name not in (by, "label", "category")
        table.add_column(name.replace("_", " "), justify="right" if numeric else "left")
    if techniques:
        table.add_column("most used (share of articles)")
    for row in rows:
        cells = [_cell(c, row[c]) for c in shown]
        if techniques:
            top = sorted(techniques, key=lambda t: -row[f"share.{t}"])[:4]
            cells.append(
                ", ".join(f"{_label(t)} {row[f'share.{t}']:.0%}" for t in top if row[f"share.{t}"])
            )
        table.add_row(*cells)
    return table


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if column == "share_of_articles":
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else str(value)
