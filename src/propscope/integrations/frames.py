"""pandas DataFrames of analyses, with the field names of the JSON schema.

The columns are those of ``propscope export`` (``propscope.views``), but for one: at the
``articles`` level the frame leaves out ``paragraphs``, which the ``paragraphs`` level gives
one row each (``propscope export`` has no such level). A span's own fields
keep their names (``technique``, ``confidence``, ``speaker``), fields of a nested object are
dotted (``article.source``, ``summary.spans``), and a store's fields sit under ``store.``.
Unlike the flat files, lists and maps (``alternatives``, ``summary.by_technique``) stay
Python objects, so a notebook can use them without parsing JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from propscope.errors import PropscopeError
from propscope.schema import Analysis, ParagraphResult, TechniqueSpan

if TYPE_CHECKING:
    import pandas as pd

    from propscope.store import Store, StoredArticle

Level = Literal["spans", "articles", "paragraphs"]
LEVELS: tuple[str, ...] = ("spans", "articles", "paragraphs")
# The article fields repeated on every span and paragraph row: enough to group by.
ARTICLE_FIELDS = ("id", "source", "title")
PANDAS_HELP = "pandas is not installed: pip install pandas"
__all__ = ["LEVELS", "Level", "columns", "records", "store_dataframe", "to_dataframe"]


def _pandas():
    try:
        import pandas
    except ImportError:
        raise PropscopeError(PANDAS_HELP) from None
    return pandas


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise PropscopeError(f"unknown level '{level}': use one of {', '.join(LEVELS)}")


def columns(level: Level, store: bool = False) -> list[str]:
    """The columns of a frame at ``level``, in order (with ``store.*`` first for a store)."""
    from propscope.views import STORE_FIELDS

    _check_level(level)
    head = [f"store.{k}" for k in STORE_FIELDS] if store else []
    if level == "spans":
        return head + [f"article.{k}" for k in ARTICLE_FIELDS] + list(TechniqueSpan.model_fields)
    if level == "paragraphs":
        fields = list(ParagraphResult.model_fields)
        return head + [f"article.{k}" for k in ARTICLE_FIELDS] + fields + ["text"]
    out = list(head)
    for name, field in Analysis.model_fields.items():
        if name in ("spans", "paragraphs"):
            continue
        model = _nested(field.annotation)
        out += [f"{name}.{k}" for k in model.model_fields] if model else [name]
    return out


def _column_types(level: Level, store: bool = False) -> dict[str, Any]:
    """The schema's annotation of each column of ``columns(level, store)`` that has one."""
    from propscope.schema import ArticleInfo
    from propscope.store import StoredArticle

    types: dict[str, Any] = {}
    if store:
        fields = StoredArticle.model_fields
        types.update({f"store.{k}": f.annotation for k, f in fields.items()})
    article = ArticleInfo.model_fields
    types.update({f"article.{k}": f.annotation for k, f in article.items()})
    own = TechniqueSpan if level == "spans" else ParagraphResult
    if level != "articles":
        types.update({k: f.annotation for k, f in own.model_fields.items()})
        types["text"] = str
        return types
    from propscope.views import analysis_field_types

    types.update(analysis_field_types())
    return types


def _empty_dtype(annotation: Any, pd: Any) -> Any:
    """The dtype pandas gives a column of such values (None: leave it object)."""
    import types
    import typing

    args = typing.get_args(annotation)
    optional = typing.get_origin(annotation) in (typing.Union, types.UnionType) and (
        type(None) in args
    )
    if optional:
        rest = [a for a in args if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else None
    if typing.get_origin(annotation) is Literal and all(
        isinstance(a, str) for a in typing.get_args(annotation)
    ):
        annotation = str
    if annotation is str:
        return pd.Series(["x"]).dtype  # object, or pandas 3's str
    if annotation is float:
        return "float64"
    if annotation is int and not optional:
        return "int64"
    if annotation is bool and not optional:
        return "bool"
    return None


def _nested(annotation: Any):
    from propscope.views import _nested_model

    return _nested_model(annotation)


def records(analysis: Analysis, level: Level) -> Iterator[dict[str, Any]]:
    """The rows of one analysis at ``level`` (dicts keyed by column name)."""
    _check_level(level)
    info = analysis.article.model_dump(mode="json", include=set(ARTICLE_FIELDS))
    article = {f"article.{k}": info[k] for k in ARTICLE_FIELDS}
    if level == "spans":
        for span in analysis.spans:
            yield {**article, **span.model_dump(mode="json")}
        return
    if level == "paragraphs":
        for p in analysis.paragraphs:
            yield {**article, **p.model_dump(mode="json"), "text": analysis.text[p.start : p.end]}
        return
    row: dict[str, Any] = {}
    for name, value in analysis.model_dump(mode="json", exclude={"spans", "paragraphs"}).items():
        model = _nested(Analysis.model_fields[name].annotation)
        if model is None:
            row[name] = value
        else:
            row.update({f"{name}.{k}": (value or {}).get(k) for k in model.model_fields})
    yield row


def _frame(
    rows: Iterable[dict[str, Any]], cols: list[str], level: Level, store: bool = False
) -> pd.DataFrame:
    pd = _pandas()
    frame = pd.DataFrame.from_records(list(rows), columns=cols)
    if frame.empty:  # the dtypes a frame with rows has (all object otherwise)
        types = _column_types(level, store)
        dtypes = {c: _empty_dtype(types.get(c), pd) for c in cols}
        frame = frame.astype({c: d for c, d in dtypes.items() if d is not None})
    # one unit whatever pandas infers (it differs between pandas 2 and 3, and for no rows):
    # those of a parquet export, so a frame read back from one has these dtypes too
    for name, dtype in _STORE_TIMES.items():
        if name in frame:
            utc = name == "store.created_at"
            frame[name] = pd.to_datetime(frame[name], utc=utc).astype(dtype)
    return frame


# the dtype of the store's dates and times: a date in milliseconds (parquet's coarsest unit),
# a time in microseconds (what the database keeps), UTC
_STORE_TIMES = {"store.published": "datetime64[ms]", "store.created_at": "datetime64[us, UTC]"}


_NOT_ANALYSES = (
    "to_dataframe takes Analysis objects (from propscope.analyze): one, or a list of them; got {}"
)


def to_dataframe(analyses: Analysis | Iterable[Analysis], level: Level = "spans") -> pd.DataFrame:
    """A DataFrame of one or more analyses: one row per finding (``spans``), per article
    (``articles``, without spans and paragraphs) or per paragraph (``paragraphs``, with its
    ``text``). No analyses give an empty frame with the same columns."""
    if isinstance(analyses, Analysis):
        analyses = [analyses]
    cols = columns(level)
    rows = []
    try:
        items = iter(analyses)
    except TypeError:  # None, a number: one line, not "'NoneType' object is not iterable"
        raise PropscopeError(_NOT_ANALYSES.format(type(analyses).__name__)) from None
    for analysis in items:
        if not isinstance(analysis, Analysis):
            raise PropscopeError(_NOT_ANALYSES.format(type(analysis).__name__))
        rows.extend(records(analysis, level))
    return _frame(rows, cols, level)


def store_dataframe(store: Store, level: Level = "spans") -> pd.DataFrame:
    """A DataFrame of every article in a store, with the store's fields as ``store.*``."""
    cols = columns(level, store=True)
    return _frame(_store_rows(store.iter_articles(), level), cols, level, store=True)


def _store_rows(stored: Iterable[StoredArticle], level: Level) -> Iterator[dict[str, Any]]:
    from propscope.views import STORE_FIELDS

    for item in stored:
        fields = item.model_dump(include=set(STORE_FIELDS))
        head = {f"store.{k}": fields[k] for k in STORE_FIELDS}
        for row in records(item.analysis, level):
            yield {**head, **row}
