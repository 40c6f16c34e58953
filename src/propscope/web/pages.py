"""Server-rendered pages: Analyse, an article's permalink, Library and Dashboard.

Pages work without JavaScript (plain forms and links); the article view reuses the HTML
report's rendering (``propscope.report.html``) and its script for the details card and the
filters, so a span looks the same in the report file and in the browser.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from propscope import taxonomy
from propscope.analysis import given_language_warning
from propscope.report import labels
from propscope.report.html import render_article, render_card, render_html, report_css, report_js
from propscope.views import blind_spots
from propscope.web import charts
from propscope.web.api import (
    COUNTS_ALL,
    ArticleId,
    DateQuery,
    check_filters,
    refuse_unknown_query,
    submission_from_form,
    validation_message,
)
from propscope.web.deps import (
    SettingsDep,
    StoreDep,
    check_write_access,
    get_model,
    header_key,
)
from propscope.web.forms import read_form
from propscope.web.guards import key_is_valid
from propscope.web.rendering import templates
from propscope.web.schemas import LanguageFilter, PlainInt
from propscope.web.service import analyse_submission

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _page(
    request: Request,
    name: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    context.setdefault("settings", request.app.state.settings)
    context.setdefault("model_state", request.app.state.models.state)
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers)


# --- assets from the report package (one stylesheet and script for file and web) ----------------


@router.get("/assets/report.css")
async def report_stylesheet() -> Response:
    return Response(report_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/assets/report.js")
async def report_script() -> Response:
    return Response(
        report_js(), media_type="text/javascript", headers={"Cache-Control": "max-age=3600"}
    )


# --- Analyse -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def analyse_page(request: Request, store: StoreDep) -> HTMLResponse:
    recent, total = await run_in_threadpool(lambda: store.list(limit=8))
    return _page(request, "analyse.html.j2", recent=recent, total=total, error=None, form={})


def _form_key(form: Any, header: str | None) -> str | None:
    """The key of a page form: its ``api_key`` field, else a header (scripts posting forms)."""
    value = form.get("api_key")
    return value if isinstance(value, str) and value else header


def _access_before_body(
    request: Request, settings: Any, header: str | None
) -> Callable[[str], bool] | None:
    """Write access, decided before the form is read wherever the form cannot change it.

    Without a key set, or with the valid key in a header, the form's fields do not matter:
    401/403 now, and None. Otherwise the key may be in the form's ``api_key`` field: the
    test of that field, for :func:`read_form`, which reads little of a form until it passes
    (the caller checks the whole form's key after).
    """
    if not settings.api_key or key_is_valid(settings.api_key, header):
        check_write_access(request, settings, header)
        return None
    return partial(key_is_valid, settings.api_key)


@router.post("/analyze", response_class=HTMLResponse)
async def analyse_form(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    header: Annotated[str | None, Depends(header_key)],
) -> Response:
    """The Analyse form: on success go to the article's permalink, else show the form again
    with the error and what the user typed."""
    kept: dict[str, str] = {}
    try:
        # the key (or the origin) before the body, where the form cannot change the answer
        valid_key = _access_before_body(request, settings, header)
        # 400 for a form that is not UTF-8; 401 past a small window without a valid key
        form = await read_form(request, settings, valid_key=valid_key)
        kept = {k: v for k, v in form.items() if isinstance(v, str) and k != "api_key"}
        check_write_access(request, settings, _form_key(form, header))
        submission = await submission_from_form(request, settings, also=("api_key",))
        outcome = await analyse_submission(
            submission,
            settings=settings,
            store=store,
            model=get_model(request),
            pool=request.app.state.pool,
        )
    except (HTTPException, RequestValidationError) as exc:
        headers = None
        if isinstance(exc, HTTPException):
            status, error, headers = exc.status_code, str(exc.detail), exc.headers
        else:  # a bad date or a too long title: the form again, with what the user typed
            status, error = 422, validation_message(exc)
        recent, total = await run_in_threadpool(lambda: store.list(limit=8))
        return _page(
            request,
            "analyse.html.j2",
            status=status,
            headers=headers,
            recent=recent,
            total=total,
            error=error,
            form=kept,
        )
    return RedirectResponse(f"/articles/{outcome.id}", status_code=303)


# --- one article ---------------------------------------------------------------------------------


async def _stored(store, article_id: int):
    stored = await run_in_threadpool(store.get, article_id)
    if stored is None:
        raise HTTPException(
            404, f"There is no article with id {article_id}; it may have been deleted."
        )
    return stored


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(
    request: Request,
    article_id: ArticleId,
    store: StoreDep,
    technique: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """The permalink of a stored analysis; ``?technique=`` shows that technique's spans only."""
    refuse_unknown_query(request, "an article's page")
    stored = await _stored(store, article_id)
    analysis = stored.analysis
    # the language the form gave, when a sure detection says otherwise (the API's warnings)
    language_warning = await run_in_threadpool(given_language_warning, analysis, "language")
    counts: dict[str, int] = {}
    for span in analysis.spans:
        counts[span.technique] = counts.get(span.technique, 0) + 1
    if technique:
        if technique not in counts:
            raise HTTPException(
                404,
                f"this article has no findings of the technique {technique[:100]!r}; choose one "
                f"from the list on /articles/{article_id}",
            )
    techniques = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return _page(
        request,
        "article.html.j2",
        stored=stored,
        # one technique's findings keep their numbers in the whole article, and the summary
        # counts what is shown (the page kept the whole article's coverage and renumbered)
        article_html=render_article(analysis, technique or None),
        card_html=render_card(),
        techniques=techniques,
        technique=technique,
        permalink=str(request.url_for("article_page", article_id=article_id)),
        language_warning=language_warning,
    )


@router.get("/articles/{article_id}/analysis.json")
async def article_json(article_id: ArticleId, store: StoreDep) -> Response:
    """The analysis as the API returns it, as a file to keep."""
    stored = await _stored(store, article_id)
    body = {"id": stored.id, **stored.analysis.model_dump(mode="json")}
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="propscope-{article_id}.json"'},
    )


@router.get("/articles/{article_id}/report.html")
async def article_report(article_id: ArticleId, store: StoreDep) -> Response:
    """The self-contained HTML report of the article (works offline, from disk)."""
    stored = await _stored(store, article_id)
    html = await run_in_threadpool(render_html, [stored.analysis])
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="propscope-{article_id}.html"',
            # The report's own policy: inline style and script, nothing fetched.
            "Content-Security-Policy": REPORT_CSP,
        },
    )


@router.post("/articles/{article_id}/delete")
async def delete_article_form(
    request: Request,
    article_id: ArticleId,
    settings: SettingsDep,
    store: StoreDep,
    header: Annotated[str | None, Depends(header_key)],
) -> Response:
    valid_key = _access_before_body(request, settings, header)
    form = await read_form(request, settings, valid_key=valid_key)
    check_write_access(request, settings, _form_key(form, header))
    if not await run_in_threadpool(store.delete, article_id):
        raise HTTPException(404, f"There is no article with id {article_id}.")
    return RedirectResponse("/library?deleted=1", status_code=303)


# --- Library -------------------------------------------------------------------------------------


@router.get("/library", response_class=HTMLResponse)
async def library_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    source: str | None = None,
    technique: str | None = None,
    category: str | None = None,
    language: Annotated[LanguageFilter, Query()] = None,
    date_from: Annotated[DateQuery, Query()] = None,
    date_to: Annotated[DateQuery, Query()] = None,
    page: Annotated[PlainInt, Query(ge=1, le=100_000)] = 1,
    deleted: Annotated[PlainInt, Query()] = 0,
) -> HTMLResponse:
    refuse_unknown_query(request, "the Library")
    # Empty form fields arrive as "": they mean "any".
    source, technique, category, language = (
        v or None for v in (source, technique, category, language)
    )
    check_filters(date_from, date_to, technique, category, source=source, language=language, q=q)
    filters = {
        "q": q or "",
        "source": source or "",
        "technique": technique or "",
        "category": category or "",
        "language": language or "",
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
    }

    def load():
        items, total = store.list(
            q=q,
            source=source,
            technique=technique,
            category=category,
            language=language,
            date_from=date_from,
            date_to=date_to,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        return items, total, store.facets()

    items, total, facets = await run_in_threadpool(load)
    pages = max(1, -(-total // PAGE_SIZE))
    query = {k: v for k, v in filters.items() if v}

    def link(number: int) -> str:
        return "/library?" + urlencode({**query, "page": number})

    if page > pages:  # else an empty list under "N articles" says the library is empty
        raise HTTPException(
            404,
            f"there is no page {page} of the Library for these filters: it has {pages} "
            f"page{'' if pages == 1 else 's'}; go to {link(pages)}",
        )

    return _page(
        request,
        "library.html.j2",
        items=items,
        total=total,
        filters=filters,
        facets=facets,
        filtered=bool(query),
        page=page,
        pages=pages,
        prev_link=link(page - 1) if page > 1 else None,
        next_link=link(page + 1) if page < pages else None,
        deleted=bool(deleted),
        categories=list(taxonomy.CATEGORIES),
    )


# --- Dashboard -----------------------------------------------------------------------------------


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request, store: StoreDep) -> HTMLResponse:
    refuse_unknown_query(request, "the dashboard", COUNTS_ALL)

    def load():
        with store.snapshot():  # one state of the store, whatever a batch run adds meanwhile
            return {
                "articles": store.count(),
                "by_source": store.stats("source"),
                "by_month": store.stats("month"),
                "by_topic": store.stats("topic"),
                "by_genre": store.stats("genre"),
                "by_category": store.stats("category"),
                "by_technique": store.stats("technique"),
                "blind_spots": blind_spots(store.models()),
            }

    data = await run_in_threadpool(load)
    # A frame is the perspective an article presents its issue from, not its topic: shown by
    # its display name ("Legality, Constitutionality and jurisprudence"), with its meaning.
    frames = [{**g, "key": labels.frame_label(g["key"])} for g in data["by_topic"] if g["key"]]
    genres = [g for g in data["by_genre"] if g["key"] is not None]
    meanings = {labels.frame_label(f): labels.frame_definition(f) for f in taxonomy.FRAMES}
    meanings.update(taxonomy.GENRE_INFO)
    words = sum(g["words"] for g in data["by_source"])
    spans = sum(g["spans"] for g in data["by_category"])
    return _page(
        request,
        "dashboard.html.j2",
        articles=data["articles"],
        words=words,
        spans=spans,
        rate=round(1000 * spans / words, 1) if words else 0.0,
        sources=[g for g in data["by_source"] if g["key"] is not None],
        unsourced=next((g["articles"] for g in data["by_source"] if g["key"] is None), 0),
        months=[g for g in data["by_month"] if g["key"] is not None],
        frames=frames,
        genres=genres,
        meanings=meanings,
        frame_chart=charts.source_chart(frames, limit=None, what="main frame"),  # all 14
        by_category=data["by_category"],
        by_technique=data["by_technique"],
        blind_spots=data["blind_spots"],
        category_chart=charts.category_chart(data["by_category"]),
        source_chart=charts.source_chart(data["by_source"]),
        month_chart=charts.month_chart(data["by_month"]),
    )
