"""Server-side SVG charts of corpus statistics: geometry here, markup in the templates.

A chart is a plain dict (``width``, ``height``, ``title``, ``shapes``) whose shapes are
rectangles and texts in SVG user units; the template draws them with escaping on. No
JavaScript chart library, nothing fetched: the page works offline and prints.
"""

from __future__ import annotations

from typing import Any

from propscope import taxonomy
from propscope.report import labels
from propscope.report.timeline import time_bars

__all__ = ["category_chart", "month_chart", "source_chart"]

_WIDTH = 720
_LABEL = 230  # left column for labels in horizontal bar charts
_ROW = 26
_HEADER = 26
_colours = taxonomy.category_colours
_label = taxonomy.technique_label
_plural = labels.plural  # "1 finding", "2 findings", "1,200 articles"


def _ordered_categories(names) -> list[str]:
    known = [c for c in taxonomy.CATEGORIES if c in names]
    return known + sorted(set(names) - set(known))


def _text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> dict:
    return {
        "kind": "text",
        "x": round(x, 1),
        "y": round(y, 1),
        "text": content,
        "cls": cls,
        "anchor": anchor,
    }


def _rect(
    x: float, y: float, w: float, h: float, fill: str, stroke: str = "none", title: str = ""
) -> dict:
    return {
        "kind": "rect",
        "x": round(x, 1),
        "y": round(y, 1),
        "w": round(max(w, 0), 1),
        "h": round(h, 1),
        "fill": fill,
        "stroke": stroke,
        "title": title,
    }


def category_chart(by_category: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Findings per technique, grouped under their category (bars scale to the largest)."""
    if not by_category:
        return None
    groups = {g["key"]: g for g in by_category}
    top = max((t["spans"] for g in by_category for t in g["techniques"].values()), default=1)
    shapes: list[dict] = []
    summary: list[str] = []
    y = 0.0
    bar_width = _WIDTH - _LABEL - 60
    for category in _ordered_categories(groups):
        group = groups[category]
        bg, bd = _colours(category)
        shapes.append(_rect(0, y + 7, 12, 12, bg, bd))
        shapes.append(_text(18, y + 17, f"{category}", "chart-cat"))
        shapes.append(_text(_WIDTH, y + 17, f"{group['spans']:,}", "chart-cat", "end"))
        summary.append(f"{category}: {_plural(group['spans'], 'finding')}")
        y += _HEADER
        for technique, counts in group["techniques"].items():
            width = max(2.0, bar_width * counts["spans"] / top)
            tip = (
                f"{_label(technique)}: {_plural(counts['spans'], 'finding')} in "
                f"{_plural(counts['articles'], 'article')}"
            )
            shapes.append(_text(_LABEL - 8, y + 14, _label(technique), "chart-label", "end"))
            shapes.append(_rect(_LABEL, y + 5, bar_width, 12, "#EEF0F3"))
            shapes.append(_rect(_LABEL, y + 5, width, 12, bd, title=tip))
            shapes.append(_text(_LABEL + width + 6, y + 15, f"{counts['spans']:,}", "chart-count"))
            y += _ROW
    return {
        "width": _WIDTH,
        "height": round(y + 4),
        "title": "Findings by technique and category",
        "desc": "; ".join(summary) + ".",
        "shapes": shapes,
    }


def _stack(
    x: float,
    y: float,
    height: float,
    per_category: list[tuple[str, float]],
    scale: float,
    vertical: bool,
    label: str,
) -> list[dict]:
    """Adjacent rectangles, one per category, sized by its rate."""
    shapes = []
    offset = 0.0
    for category, rate in per_category:
        if rate <= 0:
            continue
        size = rate * scale
        bg, bd = _colours(category)
        tip = f"{label}: {category} {rate:.1f} per 1,000 words"
        if vertical:
            shapes.append(_rect(x, y - offset - size, height, size, bg, bd, tip))
        else:
            shapes.append(_rect(x + offset, y, size, height, bg, bd, tip))
        offset += size
    return shapes


def _rates(group: dict[str, Any], categories: list[str]) -> list[tuple[str, float]]:
    words = group["words"]
    return [
        (c, 1000 * group["categories"].get(c, {}).get("spans", 0) / words if words else 0.0)
        for c in categories
    ]


def source_chart(
    by_source: list[dict[str, Any]], limit: int | None = 12, what: str = "source"
) -> dict[str, Any] | None:
    """Findings per 1,000 words for the groups (sources, or main frames, ...) with most articles,
    split by category: the ``limit`` groups with most articles (every group with None). When
    some are left out, ``note`` says so ("the 12 sources with most articles, of 300"), and
    the chart's description too; ``shown`` and ``total`` count them."""
    named = [g for g in by_source if g["key"] is not None]
    groups = named if limit is None else named[:limit]
    if not groups:
        return None
    note = (
        f"The chart shows the {len(groups):,} {what}s with most articles, of {len(named):,}; "
        "the table lists them all."
        if len(groups) < len(named)
        else ""
    )
    categories = _ordered_categories({c for g in groups for c in g["categories"]})
    top = max((g["per_1000_words"] for g in groups), default=0) or 1
    bar_width = _WIDTH - _LABEL - 70
    scale = bar_width / top
    shapes: list[dict] = []
    y = 0.0
    for g in groups:
        name = str(g["key"])
        shown = name if len(name) <= 30 else name[:29] + "…"
        shapes.append(_text(_LABEL - 8, y + 13, shown, "chart-label", "end"))
        shapes.append(
            _text(
                _LABEL - 8,
                y + 26,
                _plural(g["articles"], "article"),
                "chart-note",
                "end",
            )
        )
        shapes.extend(_stack(_LABEL, y + 6, 16, _rates(g, categories), scale, False, name))
        end = _LABEL + g["per_1000_words"] * scale
        shapes.append(_text(end + 6, y + 19, f"{g['per_1000_words']:.1f}", "chart-count"))
        y += 34
    return {
        "width": _WIDTH,
        "height": round(y + 4),
        "title": f"Findings per 1,000 words by {what}",
        "desc": (f"{note} " if note else "")
        + "; ".join(
            f"{g['key']}: {g['per_1000_words']:.1f} per 1,000 words in "
            f"{_plural(g['articles'], 'article')}"
            for g in groups
        )
        + ".",
        "shapes": shapes,
        "note": note,
        "shown": len(groups),
        "total": len(named),
    }


def month_chart(by_month: list[dict[str, Any]], limit: int = 36) -> dict[str, Any] | None:
    """Findings per 1,000 words per month of publication, stacked by category; every dated
    article is drawn, months without articles as gaps: when the dates span more than
    ``limit`` months, each bar is a year (a decade, a century, ...) instead, and ``period``
    says which (the axis is :func:`propscope.report.timeline.time_bars`, which ``propscope
    report`` draws too)."""
    timeline = time_bars(by_month, limit)
    if timeline is None:
        return None
    bars = timeline.bars
    categories = _ordered_categories({c for _, g in bars if g for c in g["categories"]})
    top = max((g["per_1000_words"] for _, g in bars if g), default=0) or 1
    left, bottom, plot_height = 44, 200, 170
    step = (_WIDTH - left) / len(bars)
    bar = max(3.0, min(36.0, step * 0.7))
    scale = plot_height / top
    shapes: list[dict] = []
    for fraction in (0, 0.5, 1):
        y = bottom - plot_height * fraction
        shapes.append(_rect(left, y, _WIDTH - left, 1, "#D8DEE4"))
        shapes.append(_text(left - 6, y + 4, f"{top * fraction:.1f}", "chart-note", "end"))
    every = max(1, round(len(bars) / 8))
    for i, (label, group) in enumerate(bars):
        x = left + i * step + (step - bar) / 2
        if group:
            shapes.extend(_stack(x, bottom, bar, _rates(group, categories), scale, True, label))
        if i % every == 0 or i == len(bars) - 1:
            shapes.append(_text(x + bar / 2, bottom + 16, label, "chart-note", "middle"))
    return {
        "width": _WIDTH,
        "height": bottom + 24,
        "title": f"Findings per 1,000 words by {timeline.period} of publication",
        "desc": "; ".join(
            f"{label}: {g['per_1000_words']:.1f} per 1,000 words" for label, g in bars if g
        )
        + ".",
        "shapes": shapes,
        "undated": timeline.undated,
        "period": timeline.period,
        "span": timeline.span,
    }
