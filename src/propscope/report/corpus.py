"""The corpus dashboard: one self-contained HTML page over everything in a store.

Charts are inline SVG drawn here (no chart library, no network: the page opens from disk and
its Content-Security-Policy forbids any load). Next to the page, a folder holds one
``render_html`` report per article (``corpus_files/article-<id>.html``), linked from the
article table, so the dashboard leads from a pattern to the evidence.

>>> write_corpus_report(Store("corpus.db"), Path("corpus.html"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup, escape

from propscope import __version__, taxonomy
from propscope.errors import PropscopeError
from propscope.io.files import (
    NAME_MAX,
    atomic_write_text,
    check_output_file,
    os_reason,
    shortened,
    temp_prefix,
    usual_mode,
)
from propscope.report import labels
from propscope.report.html import _environment, render_html
from propscope.report.timeline import Timeline, time_bars
from propscope.views import blind_spots

if TYPE_CHECKING:
    from propscope.store import Store, StoredArticle

__all__ = ["CorpusReport", "files_folder", "write_corpus_report"]

_GREY = "#A1A1AA"
_plural = labels.plural  # "1 article", "2 articles"
_LABEL_WIDTH = 190  # SVG units for row labels
_CHART_WIDTH = 760
_ROW = 22
_HEATMAP_COLUMNS = 12  # techniques in the source x technique grid: the most used
_NAME = 30  # characters of a row label; a longer name is shortened in its middle
_PHRASE_EDGES = " \t\r\n\"'“”‘’«»„.,:;!?()[]"


@dataclass(frozen=True)
class CorpusReport:
    """What was written: the dashboard, the folder of article reports, and counts."""

    path: Path
    folder: Path
    articles: int
    spans: int


def files_folder(output: Path) -> Path:
    """The folder of per-article reports beside ``output``: ``corpus.html`` -> ``corpus_files``."""
    return output.with_name(f"{output.stem}_files")


def check_report_output(output: Path, *, article_reports: bool = True) -> None:
    """Refuse, before anything is read or written, a dashboard file that cannot be written
    (a folder, a missing folder, a write-protected file, a name too long for the file
    system), and with ``article_reports`` a pages folder whose name is too long."""
    output = output.expanduser()
    check_output_file(output)
    size = len(os.fsencode(files_folder(output).name))
    if article_reports and size > NAME_MAX:  # a dashboard name of 250 to 255 bytes
        raise PropscopeError(
            f"cannot write the article reports: their folder '{shortened(files_folder(output))}' "
            f"would have a name of {size} bytes, longer than the {NAME_MAX} a name may have; "
            "give a shorter --output or --no-article-reports"
        )


def write_corpus_report(
    store: Store,
    output: Path,
    *,
    title: str | None = None,
    article_reports: bool = True,
    phrases: int = 8,
    max_sources: int = 15,
) -> CorpusReport:
    """Write the dashboard to ``output`` and (unless ``article_reports`` is False) one report
    per article into :func:`files_folder`.

    Nothing is written half-way: the article reports are written into a staging folder beside
    and moved into place once all are done, then the dashboard is replaced atomically; a run
    that fails removes what it made and leaves a folder the user had as it was.
    """
    output = output.expanduser()
    check_report_output(output, article_reports=article_reports)
    if output.is_dir():
        raise PropscopeError(f"--output '{output}' is a directory; give a file name")
    if not output.parent.is_dir():
        raise PropscopeError(
            f"cannot write '{output}': folder '{output.parent}' does not exist; create it or "
            "give another --output"
        )
    folder = files_folder(output)
    options = {"title": title, "phrases": phrases, "max_sources": max_sources}
    if not article_reports:
        html, totals = render_corpus_report(store, **options)
        atomic_write_text(output, html)
        return CorpusReport(output, folder, totals["articles"], totals["spans"])
    staging = _staging_folder(folder)
    created = False  # whether this run made ``folder`` (then a failure removes it)
    try:
        html, totals = render_corpus_report(
            store, article_folder=folder, pages_into=staging, **options
        )
        created = _move_pages(staging, folder)
        atomic_write_text(output, html)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return CorpusReport(output, folder, totals["articles"], totals["spans"])


def render_corpus_report(
    store: Store,
    *,
    title: str | None = None,
    article_folder: Path | None = None,
    pages_into: Path | None = None,
    phrases: int = 8,
    max_sources: int = 15,
) -> tuple[str, dict[str, Any]]:
    """The dashboard's HTML and its totals; with ``article_folder`` (an existing folder), each
    article's report is written there (or into ``pages_into``, a folder to be moved there
    later) and linked by the folder's name."""
    article_reports = article_folder is not None
    pages = pages_into or article_folder
    rows: list[dict[str, Any]] = []
    phrase_counts: dict[str, Counter[str]] = defaultdict(Counter)
    phrase_articles: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    phrase_shown: dict[tuple[str, str], str] = {}
    with store.snapshot():  # one state of the store, whatever a batch run adds meanwhile
        for stored in store.iter_articles():
            rows.append(_article_row(stored, article_folder.name if article_folder else None))
            for span in stored.analysis.spans:
                key = _phrase_key(span.text)
                if not key:
                    continue
                phrase_counts[span.technique][key] += 1
                phrase_articles[span.technique][key].add(stored.id)
                phrase_shown.setdefault((span.technique, key), span.text.strip(_PHRASE_EDGES))
            if pages is not None:
                atomic_write_text(
                    pages / f"article-{stored.id}.html", render_html([stored.analysis])
                )

        by_technique = store.stats("technique")
        by_source = store.stats("source")
        by_month = store.stats("month")
        # main frames (the perspective an issue is presented from), by display name
        frames = [
            {**g, "key": labels.frame_label(g["key"])} for g in store.stats("topic") if g["key"]
        ]
        models = store.models()
    totals = _totals(rows, by_source)
    phrase_sections = [
        {
            "technique": g["key"],
            "label": _label(g["key"]),
            "colour": _colour(g.get("category") or ""),
            "spans": g["spans"],
            "phrases": [
                {
                    "text": phrase_shown[(g["key"], key)],
                    "count": n,
                    "articles": len(phrase_articles[g["key"]][key]),
                }
                for key, n in _most_common(phrase_counts[g["key"]], phrase_articles[g["key"]])[
                    :phrases
                ]
            ],
        }
        for g in by_technique
    ]
    sources = [g for g in by_source if g["key"] is not None][:max_sources]
    timeline = time_bars(by_month)
    columns = min(len(by_technique), _HEATMAP_COLUMNS)
    html = (
        _environment()
        .get_template("corpus.html.j2")
        .render(
            title=title or "Corpus report",
            totals=totals,
            blind_spots=blind_spots(models),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
            legend=[{"name": c, "colour": _colour(c)} for c in taxonomy.CATEGORIES],
            technique_chart=_technique_chart(by_technique, totals["articles"]),
            source_chart=_stacked_rows(sources, "source") if sources else None,
            source_heatmap=_heatmap(sources, by_technique, columns) if sources else None,
            heatmap_note=(
                f"Only the {columns} techniques used most in the corpus are shown, of "
                f"{len(by_technique)} found; the technique chart above has them all."
                if sources and columns < len(by_technique)
                else None
            ),
            sources_shown=len(sources),
            sources_total=len([g for g in by_source if g["key"] is not None]),
            unsourced=next((g["articles"] for g in by_source if g["key"] is None), 0),
            month_chart=_month_chart(timeline) if timeline else None,
            month_period=timeline.period if timeline else "month",
            month_span=timeline.span if timeline else None,
            frame_chart=_stacked_rows(frames, "main frame") if frames else None,
            frame_meanings=[(g["key"], labels.frame_definition(g["key"])) for g in frames],
            undated=next((g["articles"] for g in by_month if g["key"] is None), 0),
            phrase_sections=phrase_sections,
            articles=sorted(
                rows, key=lambda r: (r["source"] or "~", r["published"] or "", r["id"])
            ),
            article_reports=article_reports,
        )
    )
    return html, totals


def _staging_folder(folder: Path) -> Path:
    """A new hidden folder beside ``folder`` (same file system: its pages move in by rename)
    for the article reports; a file in the folder's place, or a parent folder that cannot be
    written, is one line, not a traceback."""
    if folder.exists() and not folder.is_dir():
        raise PropscopeError(
            f"cannot write the article reports: '{folder}' exists and is not a folder; move it, "
            "give another --output or --no-article-reports"
        )
    try:
        return Path(
            tempfile.mkdtemp(dir=folder.parent, prefix=temp_prefix(folder.name), suffix=".tmp")
        )
    except OSError as exc:
        reason = os_reason(exc)
        raise PropscopeError(
            f"cannot make the folder '{folder}' for the article reports: {reason}; give another "
            "--output or --no-article-reports"
        ) from None


def _move_pages(staging: Path, folder: Path) -> bool:
    """Put the finished pages of ``staging`` into ``folder``; True when ``folder`` is new
    (``staging`` renamed to it), False when its pages were replaced one by one (each rename
    atomic; the folder's other files stay)."""
    if not folder.exists():
        staging.chmod(usual_mode(folder=True))  # mkdtemp makes 0700; a plain mkdir would not
        try:
            staging.rename(folder)
            return True
        except OSError:  # made meanwhile by another run: fill it as an existing one
            pass
    for page in staging.iterdir():
        os.replace(page, folder / page.name)
    staging.rmdir()
    return False


# --- data --------------------------------------------------------------------------------------


def _article_row(stored: StoredArticle, folder: str | None) -> dict[str, Any]:
    summary = stored.analysis.summary
    top = sorted(summary.by_technique.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return {
        "id": stored.id,
        "title": stored.title or stored.analysis.article.title or stored.analysis.article.id,
        "source": stored.source,
        "published": stored.published.isoformat() if stored.published else None,
        "words": stored.words,
        "spans": summary.spans,
        "per_1000_words": round(1000 * summary.spans / stored.words, 1) if stored.words else 0.0,
        "top": [f"{_label(t)} ({n})" for t, n in top],
        # The folder is named after the output file, which may hold "#", "?" or "%".
        "href": f"{quote(folder)}/article-{stored.id}.html" if folder else None,
        "url": stored.url
        if stored.url and stored.url.startswith(("http://", "https://"))
        else None,
    }


def _most_common(counts: Counter[str], articles: dict[str, set]) -> list[tuple[str, int]]:
    """Phrases by count, then by the articles using them, then by their text: the same
    articles give the same list whatever order a database returns them in (``most_common``
    breaks ties by which phrase it met first)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], -len(articles[kv[0]]), kv[0]))


def _totals(rows: list[dict], by_source: list[dict]) -> dict[str, Any]:
    words = sum(r["words"] for r in rows)
    spans = sum(r["spans"] for r in rows)
    dates = sorted(r["published"] for r in rows if r["published"])
    return {
        "articles": len(rows),
        "words": words,
        "spans": spans,
        "per_1000_words": round(1000 * spans / words, 2) if words else 0.0,
        "with_findings": sum(1 for r in rows if r["spans"]),
        "sources": len([g for g in by_source if g["key"] is not None]),
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
    }


def _phrase_key(text: str) -> str:
    """Phrases count as the same when they differ only in case, spacing or edge punctuation."""
    return re.sub(r"\s+", " ", text.strip(_PHRASE_EDGES)).casefold()


def _label(technique: str) -> str:
    info = taxonomy.TECHNIQUE_INFO.get(technique)
    return info.label if info else technique.replace("_", " ")


def _colour(category: str) -> str:
    """The category's strong colour (its border shade): readable on white as a bar fill."""
    return taxonomy.CATEGORY_BORDER.get(category, _GREY)


# --- SVG charts ----------------------------------------------------------------------------------


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    cls: str = "",
    clip: int | None = _NAME,
    tip: str | None = None,
) -> str:
    """An SVG text, shortened to ``clip`` characters (None: whole); a shortened one has the
    whole (or ``tip``) as its tooltip."""
    css = f' class="{cls}"' if cls else ""
    shown = _clip(text, clip) if clip else text
    tip = tip or text
    title = f"<title>{escape(tip)}</title>" if shown != tip else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{css}>{title}{escape(shown)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str, opacity: float = 1) -> str:
    alpha = f' fill-opacity="{opacity:.2f}"' if opacity < 1 else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
        f'fill="{fill}"{alpha}><title>{escape(tip)}</title></rect>'
    )


def _clip(text: str, n: int = _NAME) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _clip_name(name: str, n: int = _NAME) -> str:
    """A source's or a frame's name in at most ``n`` characters: a longer one keeps its start
    and its end around "…", so names that differ only at the end ("Agence France-Presse,
    English desk" and "..., French desk") stay apart."""
    if len(name) <= n:
        return name
    tail = (n - 1) // 2
    return name[: n - 1 - tail].rstrip() + "…" + name[len(name) - tail :].lstrip()


def _named(name: str, articles: int) -> str:
    """A row label: the name (shortened, never its count) and the number of articles."""
    count = f" ({articles:,})"
    return _clip_name(name, max(12, _NAME - len(count))) + count


def _technique_chart(groups: list[dict], articles: int) -> Markup | None:
    """Share of articles using each technique, one bar per technique, coloured by category."""
    if not groups:
        return None
    bar = _CHART_WIDTH - _LABEL_WIDTH - 60
    body = []
    for i, g in enumerate(groups):
        y = i * _ROW
        share = g["share_of_articles"]
        tip = (
            f"{_label(g['key'])}: in {g['articles']:,} of {_plural(articles, 'article')} "
            f"({share:.0%}), {_plural(g['spans'], 'finding')}, {g['per_1000_words']} per 1,000 "
            "words"
        )
        body.append(_text(_LABEL_WIDTH - 6, y + 15, _label(g["key"]), "end"))
        body.append(_rect(_LABEL_WIDTH, y + 4, bar * share, _ROW - 8, _colour(g["category"]), tip))
        body.append(_text(_LABEL_WIDTH + bar * share + 5, y + 15, f"{share:.0%}", cls="value"))
    return _svg(_CHART_WIDTH, len(groups) * _ROW + 4, body, "Share of articles per technique")


def _stacked_rows(groups: list[dict], what: str) -> Markup:
    """Per group, techniques per 1,000 words as one bar split by category."""
    bar = _CHART_WIDTH - _LABEL_WIDTH - 70
    top = max((g["per_1000_words"] for g in groups), default=0) or 1
    body = []
    for i, g in enumerate(groups):
        y = i * _ROW
        x = float(_LABEL_WIDTH)
        name = str(g["key"])
        label = _named(name, g["articles"])
        whole = f"{name} ({g['articles']:,})"
        body.append(_text(_LABEL_WIDTH - 6, y + 15, label, "end", clip=None, tip=whole))
        for category in taxonomy.CATEGORIES:
            used = g["categories"].get(category)
            if not used or not g["words"]:
                continue
            rate = 1000 * used["spans"] / g["words"]
            width = bar * rate / top
            tip = (
                f"{name} · {category}: {rate:.2f} per 1,000 words "
                f"({_plural(used['spans'], 'finding')})"
            )
            body.append(_rect(x, y + 4, width, _ROW - 8, _colour(category), tip))
            x += width
        body.append(_text(x + 5, y + 15, f"{g['per_1000_words']:g}", cls="value"))
    return _svg(_CHART_WIDTH, len(groups) * _ROW + 4, body, f"Techniques per 1,000 words by {what}")


def _heatmap(
    sources: list[dict], techniques: list[dict], columns: int = _HEATMAP_COLUMNS
) -> Markup | None:
    """Share of each source's articles using each of the ``columns`` most frequent
    techniques (the page says so when techniques are left out)."""
    names = [g["key"] for g in techniques[:columns]]
    if not names:
        return None
    cell = (_CHART_WIDTH - _LABEL_WIDTH) / len(names)
    head = 120
    body = []
    for j, name in enumerate(names):
        x = _LABEL_WIDTH + (j + 0.5) * cell
        body.append(
            f'<text transform="translate({x:.1f},{head - 6}) rotate(-40)" class="small">'
            f"{escape(_clip(_label(name), 24))}</text>"
        )
    colour = {g["key"]: _colour(g.get("category") or "") for g in techniques}
    for i, g in enumerate(sources):
        y = head + i * _ROW
        name = str(g["key"])
        body.append(_text(_LABEL_WIDTH - 6, y + 15, _clip_name(name), "end", clip=None, tip=name))
        for j, name in enumerate(names):
            used = g["techniques"].get(name, {"articles": 0})
            share = used["articles"] / g["articles"] if g["articles"] else 0.0
            x = _LABEL_WIDTH + j * cell
            tip = (
                f"{g['key']} · {_label(name)}: {used['articles']:,} of "
                f"{_plural(g['articles'], 'article')}"
            )
            body.append(_rect(x + 1, y + 1, cell - 2, _ROW - 2, "#F4F4F5", tip))
            if share:
                body.append(_rect(x + 1, y + 1, cell - 2, _ROW - 2, colour[name], tip, share))
                shade = "on-dark" if share > 0.55 else ""
                body.append(_text(x + cell / 2, y + 15, f"{share:.0%}", "middle", f"small {shade}"))
    height = head + len(sources) * _ROW + 4
    return _svg(_CHART_WIDTH, height, body, "Share of articles per source and technique")


def _month_chart(timeline: Timeline) -> Markup:
    """Per period of publication (month, or year, decade, ... for a long corpus: see
    :func:`propscope.report.timeline.time_bars`), techniques per 1,000 words as a column split
    by category; periods without articles are gaps on a real time axis."""
    plot_h, base, left = 200, 230, 40
    bars = timeline.bars
    step = (_CHART_WIDTH - left) / len(bars)
    width = max(3.0, min(36.0, step * 0.7))
    top = max((g["per_1000_words"] for _, g in bars if g), default=0) or 1
    body = [
        f'<line x1="{left}" y1="{base}" x2="{_CHART_WIDTH}" y2="{base}" class="axis"/>',
        _text(left - 4, base - plot_h + 4, f"{top:g}", "end", "small"),
        _text(left - 4, base, "0", "end", "small"),
    ]
    every = max(1, round(len(bars) / 12))  # at most ~12 labels, evenly spaced in time
    for i, (label, group) in enumerate(bars):
        x = left + i * step + (step - width) / 2
        y = float(base)
        for category in taxonomy.CATEGORIES:
            used = group["categories"].get(category) if group else None
            if not used or not group["words"]:
                continue
            rate = 1000 * used["spans"] / group["words"]
            h = plot_h * rate / top
            y -= h
            tip = (
                f"{label} · {category}: {rate:.2f} per 1,000 words "
                f"({_plural(group['articles'], 'article')})"
            )
            body.append(_rect(x, y, width, h, _colour(category), tip))
        if i % every == 0 or i == len(bars) - 1:
            body.append(_text(x + width / 2, base + 16, label, "middle", "small"))
    return _svg(_CHART_WIDTH, base + 24, body, f"Techniques per 1,000 words by {timeline.period}")
