"""The HTTP API contract: request and response bodies (the OpenAPI page documents them)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from propscope.schema import Analysis
from propscope.store import StoredArticleSummary, latest_publication, url_problem

__all__ = [
    "ANALYSED_LANGUAGES",
    "ONE_INPUT",
    "AnalyzeRequest",
    "AnalyzeResponse",
    "ArticleList",
    "DateQuery",
    "Error",
    "FormMetadata",
    "Health",
    "LanguageFilter",
    "PlainInt",
    "PublishedDate",
    "StatsResponse",
    "plain_int_between",
]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date_or_blank(value: Any, handler: ValidatorFunctionWrapHandler) -> date | None:
    """A date written YYYY-MM-DD: blank (an empty form field, such as the Library's date
    filters) is no date; anything else is refused, and the message says in which format.
    Pydantic alone read ``0`` as 1970-01-01, ``1704067200`` as 2024-01-01 and
    ``2024-01-01T00:00:00`` as a date."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return handler(value)
        except ValidationError:
            pass
    raise PydanticCustomError(
        "date_from_datetime_parsing", "Input should be a valid date in the format YYYY-MM-DD"
    )


DateQuery = Annotated[date | None, WrapValidator(_date_or_blank)]


def _not_in_future(value: date | None) -> date | None:
    """A publication date the store keeps: not after :func:`latest_publication` (it would be
    stored undated)."""
    if value is not None and value > (latest := latest_publication()):
        raise PydanticCustomError(
            "date_future",
            "Input should be a publication date no later than {latest}, got {value}",
            {"latest": latest.isoformat(), "value": value.isoformat()},
        )
    return value


PublishedDate = Annotated[DateQuery, AfterValidator(_not_in_future)]


def _plain_integer(value: Any) -> Any:
    """A query or path integer as the docs write them: decimal digits, perhaps a minus sign.
    Pydantic alone took ``1.0``, ``+1``, `` 1``, ``1_0`` (10) and ``0_1`` (1)."""
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value):
            raise PydanticCustomError(
                "int_parsing",
                "Input should be a whole number in decimal digits (no point, plus sign, "
                "underscore or space), got {value}",
                {"value": repr(value[:30])},
            )
        if len(value) > 30:  # int() of 4,300 digits raises; beyond 64 bits anyway
            value = value[:1] + "9" * 30 if value.startswith("-") else "9" * 30
        return int(value)
    return value


_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
PlainInt = Annotated[int, BeforeValidator(_plain_integer)]


def plain_int_between(ge: int, le: int) -> Any:
    """:data:`PlainInt` from ``ge`` to ``le``. The bounds constrain the integer itself, inside
    the digits check: given after it (``Query(ge=1)`` on a PlainInt), pydantic could not put
    them in the integer's schema and OpenAPI showed ``ge``/``le``, which JSON Schema does not
    know, instead of ``minimum``/``maximum``. The 422 messages are the same."""
    return Annotated[int, Interval(ge=ge, le=le), BeforeValidator(_plain_integer)]


ANALYSED_LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")


def _language_code(value: str | None, blank: str) -> str | None:
    """An ISO 639-1 code read as batch reads a record's ``language`` field: any case, a
    region dropped (``en-GB`` is ``en``), blank is None; any other value is refused, naming
    the codes and what ``blank`` (left out) means."""
    from propscope.errors import UnsupportedLanguageError
    from propscope.language import language_code

    if value is None:
        return None
    try:
        return language_code(value)
    except UnsupportedLanguageError:
        raise PydanticCustomError(
            "language",
            "Input should be one of {codes} (any case; en-GB is en), or left out {blank}; "
            "got {value}",
            {"codes": ", ".join(ANALYSED_LANGUAGES), "blank": blank, "value": repr(value[:30])},
        ) from None


def _language_or_blank(value: str | None) -> str | None:
    """The language given with an article; blank to detect it."""
    return _language_code(value, "to detect the language")


def _language_filter(value: str | None) -> str | None:
    """The language filter of a listing, read as the language given with an article (``EN``
    and ``en-GB`` find what was stored as ``en``); blank is no filter."""
    return _language_code(value, "for every language")


LanguageField = Annotated[str | None, AfterValidator(_language_or_blank)]
LanguageFilter = Annotated[str | None, AfterValidator(_language_filter)]


def _parsable_url(value: str | None) -> str | None:
    """The pattern lets through what does not parse (``http://[::1``): refused here, before
    any analysis, rather than failing where the article is stored."""
    if value is not None and (problem := url_problem(value)) is not None:
        raise PydanticCustomError(
            "url_parsing", "Input should be a valid URL, {problem}", {"problem": problem}
        )
    return value


def _http_address(value: Any, handler: ValidatorFunctionWrapHandler) -> str | None:
    """The field's pattern (kept in the OpenAPI schema: the extension checks it too) refused
    with words, not with pydantic's "String should match pattern '^https?://\\S+$'"."""
    try:
        return handler(value)
    except ValidationError as exc:
        if not any(e["type"] == "string_pattern_mismatch" for e in exc.errors()):
            raise
        raise PydanticCustomError(
            "url_scheme",
            "Input should be an http:// or https:// address with no spaces, got {value}",
            {"value": repr(value[:50])},
        ) from None


PageUrl = Annotated[str | None, AfterValidator(_parsable_url), WrapValidator(_http_address)]
# The one message for a body without an input or with two, JSON or form ("body: give ...").
ONE_INPUT = "give exactly one of 'text', 'url' and, in a form, 'file'"
PAGE_URL_WITHOUT_TEXT = (
    "'page_url' goes only with a 'text' (where that text was read); with a 'url' the article "
    "is fetched from the url, so leave page_url out"
)


class AnalyzeRequest(BaseModel):
    """An article to analyse: exactly one of ``text`` and ``url``, with optional metadata."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str | None = Field(None, description="the article text (title on the first line)")
    url: str | None = Field(None, description="an http(s) URL of an article page to fetch")
    title: str | None = Field(None, max_length=1000, description="overrides the detected title")
    source: str | None = Field(None, max_length=255, description="outlet or domain")
    published: PublishedDate = Field(
        None, description="publication date (YYYY-MM-DD), not after the day after tomorrow"
    )
    language: LanguageField = Field(
        None,
        description="the article's language, when detection would guess wrong (a headline, a "
        "short text): en, fr, de, it, pl or ru, any case, a region dropped (en-GB is en); "
        "left out or blank, it is detected",
        examples=["en"],
    )
    page_url: PageUrl = Field(
        None,
        max_length=2000,
        pattern=r"^https?://\S+$",
        description="with a text only: where the given text was read (the browser extension "
        "sends it), stored as the article's URL, never fetched",
    )

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        # custom errors: a ValueError's message would start "Value error, "
        if (self.text is None) == (self.url is None):
            raise PydanticCustomError("one_input", ONE_INPUT)
        if self.page_url is not None and self.text is None:
            raise PydanticCustomError("page_url_without_text", PAGE_URL_WITHOUT_TEXT)
        return self


# The metadata fields of a form upload (the API's multipart body and the Analyse page), with
# exactly the rules of the JSON body: one set of limits whichever way an article arrives.
FormMetadata = create_model(
    "FormMetadata",
    **{
        name: (AnalyzeRequest.model_fields[name].annotation, AnalyzeRequest.model_fields[name])
        for name in ("title", "source", "published", "language", "page_url")
    },
)


class AnalyzeResponse(Analysis):
    """The same JSON as ``propscope analyze --format json``, plus the stored article's id
    (and ``warnings`` when there is something to warn about)."""

    id: int = Field(description="stored article id: GET /api/v1/articles/{id}, page /articles/{id}")
    warnings: list[str] | None = Field(
        None,
        description="present only when there is something to warn about, one line each: a "
        "given `language` that a sure detection contradicts (at least 95% sure, on 100 "
        "letters or more; the analysis still uses the given language, as the CLI's "
        "--language warns on stderr)",
    )


class Error(BaseModel):
    """Every error's body (4xx and 5xx of the API): one line saying what was wrong."""

    detail: str = Field(
        description="one line saying what was wrong, for a person to read",
        examples=["path.article_id: Input should be greater than or equal to 1"],
    )


class ArticleList(BaseModel):
    items: list[StoredArticleSummary]
    total: int = Field(description="articles matching the filters (all pages)")
    limit: int
    offset: int


class StatsResponse(BaseModel):
    """Corpus statistics; each ``by_*`` list is ``Store.stats`` for that key (see the docs)."""

    articles: int
    by_source: list[dict[str, Any]] | None = None
    by_month: list[dict[str, Any]] | None = None
    by_topic: list[dict[str, Any]] | None = None
    by_genre: list[dict[str, Any]] | None = None
    by_technique: list[dict[str, Any]] | None = None
    by_category: list[dict[str, Any]] | None = None


class Health(BaseModel):
    status: Literal["ok", "loading", "failed"]
    model: dict[str, str] | None = None
    articles: int | None = None
    detail: str | None = None
