"""The HTTP API contract: request and response bodies (the OpenAPI page documents them)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from propscope.schema import Analysis
from propscope.store import StoredArticleSummary

__all__ = [
    "AnalyzeRequest",
    "AnalyzeResponse",
    "ArticleList",
    "Health",
    "StatsResponse",
]


class AnalyzeRequest(BaseModel):
    """An article to analyse: exactly one of ``text`` and ``url``, with optional metadata."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str | None = Field(None, description="the article text (title on the first line)")
    url: str | None = Field(None, description="an http(s) URL of an article page to fetch")
    title: str | None = Field(None, max_length=1000, description="overrides the detected title")
    source: str | None = Field(None, max_length=255, description="outlet or domain")
    published: date | None = Field(None, description="publication date (YYYY-MM-DD)")
    page_url: str | None = Field(
        None,
        max_length=2000,
        pattern=r"^https?://\S+$",
        description="where the given text was read (the browser extension sends it): stored "
        "as the article's URL, never fetched",
    )

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of 'text' and 'url'")
        return self


class AnalyzeResponse(Analysis):
    """The same JSON as ``propscope analyze --format json``, plus the stored article's id."""

    id: int = Field(description="stored article id: GET /api/v1/articles/{id}, page /articles/{id}")


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
