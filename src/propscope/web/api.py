"""The versioned JSON API (``/api/v1``) and ``/healthz``.

Errors are ``{"detail": "..."}`` with 400 (bad input), 401 (API key), 403 (a write from
another site's page), 404, 409 (deleted while stored), 413 (too large), 415 (body type), 422
(validation), 502 (the URL could not be fetched or used) and 503 (model loading or database
down).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal, get_args, get_origin

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from propscope import taxonomy
from propscope.analysis import given_language_warning
from propscope.io.readers import NamedTwice, json_object
from propscope.language import ANALYSED
from propscope.store import StoredArticle
from propscope.web.deps import ModelDep, SettingsDep, StoreDep, require_api_key
from propscope.web.forms import read_form
from propscope.web.schemas import (
    ANALYSED_LANGUAGES,
    ONE_INPUT,
    PAGE_URL_WITHOUT_TEXT,
    AnalyzeRequest,
    AnalyzeResponse,
    ArticleList,
    DateQuery,
    Error,
    FormMetadata,
    Health,
    LanguageFilter,
    StatsResponse,
    plain_int_between,
)
from propscope.web.service import Submission, analyse_submission

__all__ = [
    "DATABASE_UNAVAILABLE",
    "MAX_ID",
    "COUNTS_ALL",
    "ArticleId",
    "DateQuery",
    "SECURITY_SCHEMES",
    "document_security",
    "health_router",
    "one_line_reason",
    "refuse_unknown_query",
    "router",
    "submission_from_form",
    "validation_message",
]

logger = logging.getLogger("propscope.web")
# Ids and offsets are 64-bit integers in the database; larger numbers are a 422, not a 500.
MAX_ID = 2**63 - 1
ArticleId = Annotated[plain_int_between(1, MAX_ID), Path(description="stored article id")]
_MAX_FIELD_ERRORS = 5


def refuse_unknown_query(request: Request, view: str, hint: str = "") -> None:
    """422 for query parameters the route does not declare: ``/dashboard?date_from=...`` or
    ``/library?sorce=...`` would otherwise show the whole store as if it were filtered.

    The parameters a view takes are the query parameters of its route, so they cannot drift
    from its signature; ``hint`` (optional) says where to go instead.
    """
    route = request.scope.get("route")
    fields = getattr(getattr(route, "dependant", None), "query_params", ())
    known = tuple(f.alias for f in fields)
    given = Counter(k for k, _ in request.query_params.multi_items())
    unknown = [k for k in given if k not in known]
    if unknown:
        takes = f"takes only {', '.join(known)}" if known else "takes no parameters"
        msg = f"unknown parameter; {view} {takes}" + (f" ({hint})" if hint else "")
        raise RequestValidationError(
            [{"type": "extra_forbidden", "loc": ("query", k), "msg": msg} for k in unknown]
        )
    # A parameter given twice kept its last value (?technique=A&technique=B filtered by B,
    # ?technique=A&technique= by nothing): only those taking a list may repeat (stats' by).
    repeatable = {f.alias for f in fields if _is_list(f.field_info.annotation)}
    repeated = [k for k, n in given.items() if n > 1 and k not in repeatable]
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", k),
                    "msg": f"given {given[k]} times; {view} takes it once",
                }
                for k in repeated
            ]
        )


def _is_list(annotation: Any) -> bool:
    """Whether a parameter's annotation is a list (``list[X] | None`` included)."""
    return get_origin(annotation) is list or any(_is_list(a) for a in get_args(annotation))


_SHOWN_ERRORS = 5


def validation_message(exc: RequestValidationError) -> str:
    """One readable line from pydantic's error list: 'body.text: Field required; ...'.

    Bounded: at most five errors, each cut to 200 characters, then "and N more".
    """
    errors = exc.errors()
    parts = []
    for error in errors[:_SHOWN_ERRORS]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        message = str(error.get("msg", "invalid"))
        parts.append(f"{_one_line(where[:100])}: {_one_line(message[:200])}")
    if len(errors) > _SHOWN_ERRORS:
        parts.append(f"and {len(errors) - _SHOWN_ERRORS:,} more errors")
    return "; ".join(parts) or "invalid request"


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters shown as escapes (``\\n``):
    a parameter's name or value echoed in a message must not break it over lines."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# What a client is told when the database fails; the driver's words (which may name the
# database's address) go to the server's log, in one line.
DATABASE_UNAVAILABLE = "the database is unavailable; try again later (the server's log says why)"


def one_line_reason(exc: BaseException) -> str:
    """An exception's message for the log: its first line, at most 300 characters."""
    lines = str(exc).strip().splitlines()
    return _one_line(lines[0][:300]) if lines else type(exc).__name__


# Where the views that count everything send a user who wanted to filter.
COUNTS_ALL = (
    "it counts every stored article; the Library and /api/v1/articles filter by date, source, "
    "technique, ..."
)


router = APIRouter(prefix="/api/v1", tags=["api"])
health_router = APIRouter(tags=["health"])

_ERRORS = {
    code: {"model": Error, "description": text}
    for code, text in {
        400: "bad input (empty or binary text, unsupported or private URL, a language "
        "propscope does not analyse: an unsure guess says to give `language`)",
        401: "API key missing or wrong (when the server has one)",
        403: "a write from another site's page (or `Origin: null`) without a valid key",
        404: "no such article",
        409: "the same text was deleted while another request stored it; send it again",
        413: "request too large",
        415: "the body is neither JSON nor a form (multipart or urlencoded)",
        422: "validation error",
        502: "the URL could not be fetched or holds no article",
        503: "the model is loading, or the database is unavailable",
    }.items()
}

# The key, when the server has one (--api-key-file): either header. Operations that write
# carry ``security``; document_security completes it for the server's settings.
SECURITY_SCHEMES = {
    "ApiKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "the server's API key; needed to analyse and delete only when the "
        "server has one (`propscope serve --api-key-file`)",
    },
    "BearerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "the same key as `Authorization: Bearer KEY`",
    },
}
_KEYED = {"security": [{"ApiKeyHeader": []}, {"BearerKey": []}]}


def document_security(schema: dict[str, Any], *, key_set: bool) -> dict[str, Any]:
    """Complete an OpenAPI document made by FastAPI with the key's security schemes.

    The operations that write say which schemes they take; without a key on this server they
    take none too (``{}``: anonymous). The header parameter ``x-api-key`` that the key's
    dependency declares goes from those operations: the scheme documents that header.
    """
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "security" not in operation:
                continue
            if not key_set:
                operation["security"] = [*operation["security"], {}]
            kept = [
                p
                for p in operation.get("parameters", ())
                if not (p.get("in") == "header" and p.get("name", "").lower() == "x-api-key")
            ]
            if kept:
                operation["parameters"] = kept
            else:
                operation.pop("parameters", None)
    return schema


# The form's fields: those of the JSON body (same rules), and a file in a multipart one.
_FORM_FIELDS_SCHEMA = {
    "text": {"type": "string"},
    "url": {"type": "string"},
    "title": {"type": "string"},
    "source": {"type": "string"},
    "published": {"type": "string", "format": "date"},
    "language": {
        "type": "string",
        "examples": list(ANALYSED_LANGUAGES),
        "description": "as in JSON: en, fr, de, it, pl or ru (any case, en-GB is en); blank "
        "or left out, it is detected",
    },
    "page_url": {
        "type": "string",
        "description": "with a text only, as in JSON: where it was read, stored as the "
        "article's URL, never fetched",
    },
}
_ANALYZE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        **_FORM_FIELDS_SCHEMA,
                    },
                    "additionalProperties": False,
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": _FORM_FIELDS_SCHEMA,
                    "additionalProperties": False,
                }
            },
        },
    },
    **_KEYED,
}


@router.post(
    "/analyze",
    status_code=201,
    response_model=AnalyzeResponse,
    responses={
        200: {"model": AnalyzeResponse, "description": "the text was already stored"},
        **{k: _ERRORS[k] for k in (400, 401, 403, 409, 413, 415, 422, 502, 503)},
    },
    openapi_extra=_ANALYZE_BODY,
    dependencies=[Depends(require_api_key)],
    summary="Analyse an article (text, URL or file) and store it",
)
async def analyze_article(
    request: Request, settings: SettingsDep, store: StoreDep, model: ModelDep
) -> Response:
    """Analyse JSON ``{"text": ...}`` or ``{"url": ...}``, or a multipart upload (``file``).

    The language is detected unless ``language`` gives it (en, fr, de, it, pl or ru): a
    headline or a line or two can be mistaken for another language and refused. A given
    language that a sure detection contradicts (French text sent as ``de``) is used all the
    same, and ``warnings`` says so.

    Returns the analysis exactly as ``propscope analyze --format json`` writes it, plus
    ``id`` (and ``warnings``, when there is one): 201 when newly stored, 200 when the same
    text was stored before (no re-analysis).
    """
    submission = await _read_body(request, settings)
    outcome = await analyse_submission(
        submission,
        settings=settings,
        store=store,
        model=model,
        pool=request.app.state.pool,
    )
    body = {"id": outcome.id, **outcome.analysis.model_dump(mode="json")}
    warning = await run_in_threadpool(given_language_warning, outcome.analysis, "language")
    if warning is not None:
        body["warnings"] = [warning]
    return JSONResponse(
        body,
        status_code=201 if outcome.created else 200,
        headers={"Location": f"/api/v1/articles/{outcome.id}"},
    )


async def _read_body(request: Request, settings) -> Submission:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        raw = await request.body()
        # Parsing a body of megabytes takes a while: not on the event loop.
        parsed = await run_in_threadpool(parse_analyze_json, raw)
        return Submission(
            text=parsed.text,
            url=parsed.url,
            title=parsed.title,
            source=parsed.source,
            published=parsed.published,
            page_url=parsed.page_url,
            language=parsed.language,
        )
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await submission_from_form(request, settings)
    raise HTTPException(
        415,
        'send JSON ({"text": ...} or {"url": ...}) or a form: multipart (with a file) or '
        "urlencoded",
    )


def parse_analyze_json(raw: bytes) -> AnalyzeRequest:
    """The JSON body of ``POST /analyze``: 400 when it is not JSON, 422 when it is not a
    request, with a reply of bounded size however many fields are wrong."""
    try:
        # the readers' hook marks an object naming a key twice, as batch refuses such a record
        data = json.loads(raw, object_pairs_hook=json_object)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"the body is not valid JSON ({str(exc)[:200]})") from None
    except RecursionError:
        raise HTTPException(400, "the body is not valid JSON (nested too deeply)") from None
    except ValueError:  # int() refuses numbers of more than 4,300 digits
        raise HTTPException(
            400, "the body is not JSON that can be read (a number of more than 4,300 digits)"
        ) from None
    if isinstance(data, NamedTwice):  # json keeps the last value: the other would be lost
        names = ", ".join(f"'{_one_line(name[:50])}'" for name in data.twice[:5])
        raise HTTPException(
            400,
            f"the body names the field{'s' if len(data.twice) > 1 else ''} {names} more than "
            "once (only the last would be read, the other lost); give each field once",
        )
    if isinstance(data, dict):
        _refuse_unknown_fields(data, tuple(AnalyzeRequest.model_fields))
    try:
        return AnalyzeRequest.model_validate(data)
    except RecursionError:
        raise HTTPException(400, "the body is nested too deeply") from None
    except ValidationError as exc:
        raise _body_errors(exc) from None


def _refuse_unknown_fields(names: Iterable[str], allowed: tuple[str, ...]) -> None:
    """422 naming the fields of a body (JSON or form) that ``allowed`` does not hold."""
    unknown = [k for k in dict.fromkeys(names) if k not in allowed]
    if unknown:
        shown = ", ".join(repr(k[:50]) for k in unknown[:_MAX_FIELD_ERRORS])
        more = len(unknown) - _MAX_FIELD_ERRORS
        message = f"unknown fields {shown}" + (f" and {more:,} more" if more > 0 else "")
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("body",),
                    "msg": f"{message}; allowed: {', '.join(allowed)}",
                }
            ]
        )


# The fields of a form upload: one input, then the JSON body's metadata.
FORM_FIELDS = ("file", "text", "url", *FormMetadata.model_fields)


def _body_errors(exc: ValidationError) -> RequestValidationError:
    """pydantic's errors about a request body, located in the body: all of them, so that
    ``validation_message`` can say how many it does not show ("and N more")."""
    errors = exc.errors(include_url=False, include_input=False)
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors])


async def submission_from_form(
    request: Request, settings, *, also: tuple[str, ...] = ()
) -> Submission:
    """A Submission from a form (the API's multipart upload and the Analyse page), with the
    JSON body's rules: a field it does not know (``also`` names more, the page's api_key) and
    a page_url without a text are refused (422), not dropped or taken."""
    form = await read_form(request, settings)
    _refuse_unknown_fields(form.keys(), (*FORM_FIELDS, *also))
    upload = form.get("file")
    data = name = None
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        data = await upload.read()
        name = upload.filename or "upload.txt"
        await upload.close()  # its bytes are read: the spooled temporary file can go
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    text = fields.get("text") or None
    url = (fields.get("url") or "").strip() or None
    if sum(x is not None for x in (text, url, data)) != 1:
        raise RequestValidationError([{"type": "one_input", "loc": ("body",), "msg": ONE_INPUT}])
    try:
        metadata = FormMetadata.model_validate(
            {k: fields[k] for k in FormMetadata.model_fields if k in fields}
        )
    except ValidationError as exc:
        raise _body_errors(exc) from None
    page_url = (metadata.page_url or "").strip() or None
    if page_url is not None and (text is None or url is not None or data is not None):
        # located in the body, as the JSON body's error is: the message names page_url
        raise RequestValidationError(
            [{"type": "page_url_without_text", "loc": ("body",), "msg": PAGE_URL_WITHOUT_TEXT}]
        )
    return Submission(
        text=text,
        url=url,
        file_name=name,
        file_data=data,
        title=metadata.title,
        source=metadata.source,
        published=metadata.published,
        page_url=page_url,
        language=metadata.language,
    )


@router.get(
    "/articles",
    response_model=ArticleList,
    responses={k: _ERRORS[k] for k in (422, 503)},
    summary="List stored articles (filters, pagination)",
)
async def list_articles(
    request: Request,
    store: StoreDep,
    source: Annotated[str | None, Query(description="outlet or domain, any case")] = None,
    date_from: Annotated[DateQuery, Query(description="published on or after")] = None,
    date_to: Annotated[DateQuery, Query(description="published on or before")] = None,
    technique: Annotated[str | None, Query(description="SemEval-2023 technique name")] = None,
    category: Annotated[str | None, Query(description="technique category")] = None,
    language: Annotated[
        LanguageFilter,
        Query(
            description="en, fr, de, it, pl or ru, any case, a region dropped (en-GB is en), "
            "as the language given to analyse",
            examples=["en"],
        ),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in title/text")] = None,
    limit: Annotated[plain_int_between(1, 200), Query()] = 50,
    offset: Annotated[plain_int_between(0, MAX_ID), Query()] = 0,
) -> ArticleList:
    refuse_unknown_query(request, "/api/v1/articles")
    check_filters(date_from, date_to, technique, category, source=source, language=language, q=q)
    items, total = await run_in_threadpool(
        lambda: store.list(
            source=source,
            date_from=date_from,
            date_to=date_to,
            technique=technique,
            category=category,
            language=language,
            q=q,
            limit=limit,
            offset=offset,
        )
    )
    return ArticleList(items=items, total=total, limit=limit, offset=offset)


def check_filters(
    date_from: date | None,
    date_to: date | None,
    technique: str | None,
    category: str | None,
    **words: str | None,
) -> None:
    """422 for filters that can never match, instead of a silently empty list; ``words``
    (source, language, q) may not hold NUL characters (PostgreSQL refuses them)."""
    errors = [(k, f"{k} contains a NUL character") for k, v in words.items() if v and "\x00" in v]
    if date_from and date_to and date_from > date_to:
        errors.append(("date_from", f"date_from {date_from} is after date_to {date_to}"))
    if technique and technique not in taxonomy.TECHNIQUE_INFO:
        errors.append(("technique", f"unknown technique '{technique}'"))
    if category and category not in taxonomy.CATEGORIES:
        errors.append(("category", f"unknown category '{category}'"))
    language = words.get("language")
    if language and language not in ANALYSED:  # stored as analyze() gives them: lower case
        codes = ", ".join(ANALYSED)
        message = f"the language filter takes one of {codes}; got {language[:30]!r}"
        errors.append(("language", message))
    if errors:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", k), "msg": m} for k, m in errors]
        )


@router.get(
    "/articles/{article_id}",
    response_model=StoredArticle,
    responses={k: _ERRORS[k] for k in (404, 422, 503)},
    summary="One stored article with metadata and full analysis",
)
async def get_article(article_id: ArticleId, store: StoreDep) -> StoredArticle:
    stored = await run_in_threadpool(store.get, article_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return stored


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    responses={k: _ERRORS[k] for k in (401, 403, 404, 422, 503)},
    dependencies=[Depends(require_api_key)],
    openapi_extra=_KEYED,
    summary="Delete a stored article and its findings",
)
async def delete_article(article_id: ArticleId, store: StoreDep) -> Response:
    if not await run_in_threadpool(store.delete, article_id):
        raise HTTPException(404, f"no article with id {article_id}")
    return Response(status_code=204)


StatsKeyParam = Literal["source", "month", "topic", "genre", "technique", "category"]


@router.get(
    "/stats",
    response_model=StatsResponse,
    response_model_exclude_none=True,
    responses={k: _ERRORS[k] for k in (422, 503)},
    summary="Technique and category counts by source, month, topic, genre, technique, category",
)
async def stats(
    request: Request,
    store: StoreDep,
    by: Annotated[
        list[StatsKeyParam] | None, Query(description="groupings to return (default: all)")
    ] = None,
) -> StatsResponse:
    """Per group: articles, words, spans, spans per 1,000 words and, per technique and
    category, ``{"spans", "articles"}``; months are of publication (``key`` null: undated),
    topics are the articles' main frames."""
    refuse_unknown_query(request, "the stats API", COUNTS_ALL)
    keys = list(dict.fromkeys(by or ["source", "month", "topic", "genre", "technique", "category"]))

    def compute() -> StatsResponse:
        with store.snapshot():  # one state of the store, whatever a batch run writes meanwhile
            result = {f"by_{k}": store.stats(k) for k in keys}
            return StatsResponse(articles=store.count(), **result)

    return await run_in_threadpool(compute)


@health_router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(request: Request, store: StoreDep) -> JSONResponse:
    """200 when the model is loaded and the database answers; 503 otherwise (with why)."""
    slot = request.app.state.models
    if slot.state != "ready":
        detail = "the model is still loading" if slot.state == "loading" else slot.error
        body = Health(status="loading" if slot.state == "loading" else "failed", detail=detail)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    try:
        articles = await run_in_threadpool(store.count)
    except Exception as exc:  # the database is down: report it, do not raise
        # why goes to the log only: the driver's message names the database's address
        logger.warning("/healthz: the database is unavailable: %s", one_line_reason(exc))
        body = Health(status="failed", detail=DATABASE_UNAVAILABLE)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    meta = getattr(slot.model, "meta", {}) or {}
    body = Health(
        status="ok",
        model={"name": str(meta.get("name", "propscope")), "version": str(meta.get("version", ""))},
        articles=articles,
    )
    return JSONResponse(body.model_dump(exclude_none=True))
