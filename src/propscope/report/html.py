"""The self-contained HTML report: articles with their persuasion techniques highlighted.

One file with inline CSS and JavaScript and no external requests, so it works offline when
opened from disk. Like spaCy's displacy, spans are offsets into the verbatim text: the text is
cut into segments at every span boundary and each segment carries the set of spans covering it,
so nested and overlapping spans render without any text being duplicated or lost.

>>> html = render_html([analysis])  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from propscope import __version__, taxonomy
from propscope.report import labels
from propscope.schema import Analysis, TechniqueSpan

__all__ = [
    "Segment",
    "render_article",
    "render_card",
    "render_html",
    "report_css",
    "report_js",
    "split_segments",
]

DEBRIS_NOTE = "not analysed (scraping debris)"
_VOICE_WORDS = {"author": "the author", "quoted": "quoted", "reported": "reported speech"}
# Chart geometry (SVG user units; the chart scales to the panel width).
_CHART_WIDTH = 300
_CHART_HEADER = 24
_CHART_ROW = 28


@dataclass(frozen=True)
class Segment:
    """A stretch of text ``[start, end)`` inside which the set of covering spans is constant."""

    start: int
    end: int
    spans: tuple[int, ...] = ()
    """Indices of the spans covering the whole segment."""
    starts: tuple[int, ...] = ()
    """Indices of the spans that begin at ``start``."""
    ends: tuple[int, ...] = ()
    """Indices of the spans that end at ``end``."""
    title: bool = False
    debris: bool = False
    debris_start: bool = False
    """The first segment of a debris range (where the "not analysed" note goes)."""


def split_segments(
    length: int,
    spans: Sequence[tuple[int, int]],
    titles: Iterable[tuple[int, int]] = (),
    debris: Iterable[tuple[int, int]] = (),
) -> list[Segment]:
    """Cut ``[0, length)`` at every span, title and debris boundary.

    Offsets outside the text are clamped; empty spans cover nothing. The segments tile the text
    exactly: concatenating ``text[s.start:s.end]`` for all segments gives back the text.
    """

    def clamp(start: int, end: int) -> tuple[int, int]:
        start = min(max(start, 0), length)
        return start, min(max(end, start), length)

    spans = [clamp(s, e) for s, e in spans]
    titles = [r for r in (clamp(s, e) for s, e in titles) if r[0] < r[1]]
    debris = [r for r in (clamp(s, e) for s, e in debris) if r[0] < r[1]]
    cuts = {0, length}
    for start, end in [*spans, *titles, *debris]:
        cuts.update((start, end))
    points = sorted(cuts)
    # A sweep over the cut points: every boundary is a cut, so a range covers a segment
    # exactly when it is open there (asking every span about every segment grew with the
    # square of the number of findings).
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for i, (s, e) in enumerate(spans):
        if s < e:
            starting.setdefault(s, []).append(i)
            ending.setdefault(e, []).append(i)
    open_spans: set[int] = set()
    open_titles = _Sweep(titles)
    open_debris = _Sweep(debris)
    debris_starts = {s for s, _ in debris}
    segments = []
    for a, b in zip(points, points[1:], strict=False):
        open_spans.difference_update(ending.get(a, ()))
        open_spans.update(starting.get(a, ()))
        segments.append(
            Segment(
                start=a,
                end=b,
                spans=tuple(sorted(open_spans)),
                starts=tuple(starting.get(a, ())),
                ends=tuple(ending.get(b, ())),
                title=open_titles.covers(a),
                debris=open_debris.covers(a),
                debris_start=a in debris_starts,
            )
        )
    return segments


class _Sweep:
    """How many of some ranges are open at increasing positions (all their ends are cuts)."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.events = sorted(
            [(s, 1) for s, e in ranges if s < e] + [(e, -1) for s, e in ranges if s < e]
        )
        self.next = 0
        self.count = 0

    def covers(self, position: int) -> bool:
        while self.next < len(self.events) and self.events[self.next][0] <= position:
            self.count += self.events[self.next][1]
            self.next += 1
        return self.count > 0


def render_html(analyses: Sequence[Analysis], title: str | None = None) -> str:
    """Render one self-contained HTML document for one or many analysed articles.

    Several articles get a contents list. ``title`` names the document; by default it is the
    article's title (one article) or "N articles".
    """
    analyses = list(analyses)
    articles = [_article_view(a, i) for i, a in enumerate(analyses, 1)]
    if title is None:
        if len(articles) == 1:
            title = articles[0]["title"]
        else:
            title = f"{len(articles)} articles"
    models = list({(a.model.name, a.model.version): a.model for a in analyses}.values())
    env = _environment()
    return env.get_template("report.html.j2").render(
        title=title,
        articles=articles,
        multi=len(articles) > 1,
        models=[_model_view(m) for m in models],
        version=__version__,
        debris_note=DEBRIS_NOTE,
        css=Markup(_static("report.css")),
        js=Markup(_static("report.js")),
    )


def render_article(analysis: Analysis, technique: str | None = None) -> Markup:
    """One article's interactive view alone (highlighted text, side panel with filters and
    chart, findings table), for embedding in another page such as the web app.

    ``technique`` shows that technique's findings only (the web page's ``?technique=``): each
    keeps its number in the whole article, as the JSON and the other reports number it, and
    the summary (findings, text covered, chart, reading) describes the findings shown, its
    reading saying they are some of the article's.

    The same template block as in :func:`render_html`, so both show spans identically. The
    page must also hold :func:`render_card` once, load :func:`report_css` and run
    :func:`report_js`, and give its ``<h1>`` the id ``doc-title`` (the article's label).
    """
    template = _environment().get_template("report.html.j2")
    context = template.new_context(
        {
            "a": _article_view(analysis, 1, technique),
            "multi": False,
            "debris_note": DEBRIS_NOTE,
        }
    )
    return Markup("".join(template.blocks["article"](context)))


def render_card() -> Markup:
    """The details card that ``report.js`` fills when a highlight is hovered or opened."""
    template = _environment().get_template("report.html.j2")
    return Markup("".join(template.blocks["card"](template.new_context({}))))


def report_css() -> str:
    """The report's stylesheet (for pages that embed :func:`render_article`)."""
    return _static("report.css")


def report_js() -> str:
    """The report's script: details card, filters, findings table (no dependencies)."""
    return _static("report.js")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("propscope.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["verbatim"] = _verbatim
    env.globals.update(confidence_note=labels.CONFIDENCE_NOTE, tentative_note=labels.TENTATIVE_NOTE)
    return env


@cache
def _static(name: str) -> str:
    """A CSS or JS file of the templates folder, verbatim (not parsed by Jinja)."""
    source, _, _ = _environment().loader.get_source(_environment(), name)
    return source


_LONE_CR = re.compile(r"\r(?!\n)")


def _verbatim(text: str, following: str = "") -> Markup:
    """Escape ``text`` and keep carriage returns, which HTML parsing would turn into ``\\n``.

    A lone ``\\r`` (an old Mac line end; ``following`` is the character after ``text`` in the
    article, as a segment may end between the two halves of a CRLF) also gets a ``<br>``:
    ``white-space: pre-wrap`` breaks at ``\\n`` only, so the lines ran together. The ``<br>``
    holds no text, so the page's text (and every highlight's) stays the article's, ``\\r``
    included; a ``\\r\\n`` breaks once, at its ``\\n``.
    """
    tail = "\n" if following.startswith("\n") else ""
    html = _LONE_CR.sub("&#13;<br>", str(escape(text)) + tail).replace("\r", "&#13;")
    return Markup(html[: len(html) - len(tail)])


_colours = taxonomy.category_colours
_technique_label = taxonomy.technique_label


def _who(span: TechniqueSpan) -> str:
    """Who uses the technique: "the author", "quoted: <speaker>" or "reported speech: <...>"."""
    if span.voice == "author":
        return "the author"
    return f"{_VOICE_WORDS.get(span.voice, span.voice)}: {span.speaker or 'unknown speaker'}"


# Quotation marks of the six languages; a span may open or close with one (a quote's words)
_QUOTE_MARKS = "\"'“”„‟«»‚‘’‛‹›「」"
_OWN_MARKS = re.compile(rf"^\s*[{_QUOTE_MARKS}]|[{_QUOTE_MARKS}][\s.,;:!?…)\]]*$")


def _in_marks(words: str) -> str:
    """A finding's words as the findings table and the details card show them: in “ ”, unless
    they open or close with a quotation mark of their own, which then sets them off; marks
    around those read as a quote in a quote (““Bruxelles … loro””, “Le famiglie … subito’”).
    """
    return words if _OWN_MARKS.search(words) else f"“{words}”"


def _pct(x: float) -> str:
    """A probability as a whole percentage, never rounding to a misleading 0% or 100%."""
    value = round(x * 100)
    if x > 0 and value == 0:
        return "<1%"
    if x < 1 and value == 100:
        return ">99%"
    return f"{value}%"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _mark_look(
    spans: Sequence[TechniqueSpan],
    active: Sequence[int],
    ending: Sequence[int],
    numbers: Sequence[int] | None = None,
):
    """Style, classes and tag of a highlighted segment (mirrored by ``restyle`` in report.js).

    The background shows every category covering the segment as horizontal bands (outermost
    span on top); the underline has the colour of the innermost span and its style shows the
    voice: solid for the author, dashed for a quote, dotted for reported speech. The tag lists
    the numbers of the spans ending here (``numbers[i]``, by default ``i + 1``) and the
    speakers of the quoted ones.
    """
    order = sorted(active, key=lambda i: (-(spans[i].end - spans[i].start), spans[i].start, i))
    categories = list(dict.fromkeys(spans[i].category for i in order))
    backgrounds = [_colours(c)[0] for c in categories]
    if len(backgrounds) == 1:
        background = backgrounds[0]
    else:
        step = 100 / len(backgrounds)
        stops = ",".join(
            f"{c} {k * step:.4g}% {(k + 1) * step:.4g}%" for k, c in enumerate(backgrounds)
        )
        background = f"linear-gradient(180deg,{stops})"
    inner = spans[order[-1]]
    style = f"--bg:{background};--bd:{_colours(inner.category)[1]}"
    classes = f"hl v-{inner.voice}" + (" deep" if len(order) > 1 else "")
    shown = ",".join(str(numbers[i] if numbers else i + 1) for i in sorted(ending))
    speakers = list(
        dict.fromkeys(spans[i].speaker or "quote" for i in ending if spans[i].voice != "author")
    )
    tag = shown + (" · " + ", ".join(speakers) if speakers else "") if ending else ""
    return style, classes, tag


# One sentence on who uses the techniques, shared with the terminal report.
_voice_reading = labels.voice_reading


def _category_order(spans: Sequence[TechniqueSpan]) -> list[str]:
    known = list(taxonomy.CATEGORIES)
    return known + sorted({s.category for s in spans} - set(known))


def _chart(spans: Sequence[TechniqueSpan], categories: list[str]) -> dict[str, Any]:
    """Geometry of the horizontal bar chart of techniques, grouped by category."""
    by_technique = Counter(s.technique for s in spans)
    category_of = {s.technique: s.category for s in spans}
    top = max(by_technique.values(), default=1)
    rows: list[dict[str, Any]] = []
    y = 0
    for category in categories:
        techniques = [(t, c) for t, c in by_technique.most_common() if category_of[t] == category]
        if not techniques:
            continue
        background, border = _colours(category)
        total = sum(c for _, c in techniques)
        rows.append(
            {
                "kind": "category",
                "y": y + 16,
                "label": category,
                "count": total,
                "bg": background,
                "bd": border,
            }
        )
        y += _CHART_HEADER
        for name, count in techniques:
            rows.append(
                {
                    "kind": "technique",
                    "y": y + 11,
                    "bar_y": y + 16,
                    "label": _technique_label(name),
                    "count": count,
                    "width": max(2.0, round(_CHART_WIDTH * count / top, 1)),
                    "bd": border,
                }
            )
            y += _CHART_ROW
    return {"rows": rows, "height": y + 4, "width": _CHART_WIDTH}


def _article_view(analysis: Analysis, number: int, technique: str | None = None) -> dict[str, Any]:
    """Everything the template needs about one article (``technique``: its findings only)."""
    prefix = f"a{number}"
    text = analysis.text
    # numbered in the analysis' own order, as the terminal report and the JSON number them
    # (sorting the longer of two spans that start together first gave them swapped numbers);
    # a view of one technique keeps those numbers (it renumbered its findings 1...n)
    numbered = list(enumerate(analysis.spans, 1))
    if technique is not None:
        numbered = [(n, s) for n, s in numbered if s.technique == technique]
    spans = [s for _, s in numbered]
    numbers = [n for n, _ in numbered]
    categories = _category_order(spans)
    cat_index = {c: i for i, c in enumerate(categories)}
    titles = [(p.start, p.end) for p in analysis.paragraphs if p.is_title]
    debris = list(analysis.article.debris)
    segments = split_segments(len(text), [(s.start, s.end) for s in spans], titles, debris)

    rendered = []
    for seg in segments:
        item: dict[str, Any] = {"text": text[seg.start : seg.end], "classes": []}
        item["following"] = text[seg.end : seg.end + 1]  # is a final "\r" half of a CRLF?
        if seg.title:
            item["classes"].append("title")
        if seg.debris:
            item["classes"].append("debris")
        item["note"] = DEBRIS_NOTE if seg.debris_start else ""
        item["mark"] = bool(seg.spans)
        if seg.spans:
            style, classes, tag = _mark_look(spans, seg.spans, seg.ends, numbers)
            item["classes"].insert(0, classes)
            item.update(
                style=style,
                tag=tag,
                spans=" ".join(map(str, seg.spans)),
                starts=" ".join(map(str, seg.starts)),
                ends=" ".join(map(str, seg.ends)),
                described=" ".join(f"{prefix}-d{i}" for i in seg.starts),
            )
        item["classes"] = " ".join(item["classes"])
        rendered.append(item)

    findings = []
    for i, s in enumerate(spans):
        background, border = _colours(s.category)
        words = text[max(s.start, 0) : max(s.end, 0)] or s.text
        info = taxonomy.TECHNIQUE_INFO.get(s.technique)
        findings.append(
            {
                "i": i,
                "n": numbers[i],
                "technique": s.technique,
                "label": s.technique_label or _technique_label(s.technique),
                "category": s.category,
                "cat": cat_index[s.category],
                "bg": background,
                "bd": border,
                "confidence": _pct(s.confidence),
                "confidence_value": round(s.confidence * 100, 1),
                # under 50%: more likely wrong than right, shown as a possible finding
                "tentative": labels.tentative(s.confidence),
                "detection": _pct(s.detection),
                "technique_probability": _pct(s.technique_probability),
                "alternatives": [
                    [_technique_label(a.technique), _pct(a.probability)] for a in s.alternatives
                ],
                "voice": s.voice,
                "speaker": s.speaker,
                "who": _who(s),
                "text": words,
                "words": _in_marks(words),
                "start": s.start,
                "end": s.end,
                "paragraph": s.paragraph,
                "explanation": s.explanation or (info.explanation if info else ""),
                "definition": info.definition if info else "",
            }
        )

    by_category = Counter(s.category for s in spans)
    others = sum(1 for s in spans if s.voice != "author")
    analysed = analysis.summary.analysed_characters
    reading = _voice_reading(spans)
    if technique is None:
        coverage = analysis.summary.coverage
    else:  # the share the findings shown highlight (it was the whole article's)
        coverage = _covered_share(spans, analysed)
        reading = f"{_part_of_article(spans, technique, len(analysis.spans))} {reading}"
    title = analysis.article.title or analysis.article.id
    js_keys = (
        "n technique label category cat bg bd confidence tentative detection "
        "technique_probability alternatives voice speaker who text words start end explanation "
        "definition"
    ).split()
    return {
        "number": number,
        "prefix": prefix,
        "anchor": f"article-{number}",
        "title": title,
        "id": analysis.article.id,
        "source": analysis.article.source,
        "facts": _header_facts(analysis, title),
        "characters": analysis.article.characters,
        "sentences": analysis.article.sentences,
        "segments": rendered,
        "has_debris": any(seg.debris for seg in segments),
        "findings": findings,
        "categories": [
            {
                "name": c,
                "index": cat_index[c],
                "bg": _colours(c)[0],
                "bd": _colours(c)[1],
                "count": by_category.get(c, 0),
            }
            for c in categories
        ],
        "total": len(spans),
        "article_total": len(analysis.spans),  # the whole article's findings
        "author": len(spans) - others,
        "others": others,
        "coverage": _coverage(coverage),
        "analysed": analysed,
        "reading": reading,
        "chart": _chart(spans, categories),
        "data": {
            "spans": [{k: f[k] for k in js_keys} for f in findings],
            "article_total": len(analysis.spans),
        },
        "article_level": _article_level(analysis),
        "paragraph_rows": _paragraph_rows(analysis),
    }


# Article metadata keys that readers, batch records and the web app write, with the label a
# reader sees, in the order shown (other keys follow, sorted, under their own names).
_FACT_LABELS = {
    "source": "Source",
    "url": "Page",
    "requested_url": "Requested",
    "sitename": "Site",
    "hostname": "Host",
    "author": "Author",
    "published": "Published",
    "date": "Date",
    "filename": "File",
    "title": "Title",
}


def _header_facts(analysis: Analysis, title: str) -> list[tuple[str, str]]:
    """The article's source and metadata for its header as (label, value), each fact once
    under a label people read: the outlet given (``source``) as Source, else the article's
    source; a value already shown (the heading's title, the id, a page URL that is also the
    source) is left out, and the language is the Language row's. Addresses stay text: the
    report links nowhere outside itself."""
    info = analysis.article
    metadata = {k: v.strip() for k, v in info.metadata.items() if v.strip()}
    if analysis.language is not None:  # the Language row says it
        for key in ("language", "lang"):
            metadata.pop(key, None)
    shown = {title, info.id}
    facts: list[tuple[str, str]] = []

    def add(label: str, value: str | None) -> None:
        if value and value not in shown:
            shown.add(value)
            facts.append((label, value))

    add("Source", metadata.pop("source", None) or info.source)
    known = [k for k in _FACT_LABELS if k in metadata]
    for key in known + sorted(k for k in metadata if k not in _FACT_LABELS):
        name = key.replace("_", " ").strip() or key
        add(_FACT_LABELS.get(key, name[:1].upper() + name[1:]), metadata[key])
    add("Read from", info.source)  # a source no other fact names
    return facts


def _article_level(analysis: Analysis) -> list[tuple[str, str, str]]:
    """Language, genre and frames as (label, value, meaning) rows (SemEval-2023 subtasks 1
    and 2); the meaning says what the genre or main frame is ('' for none). A frame is the
    perspective from which the issue is presented, not the article's topic."""
    rows = []
    if analysis.language:
        note = " (given)" if analysis.language.given else ""
        note += "" if analysis.language.spans else " (paragraph-level techniques only)"
        rows.append(("Language", analysis.language.name + note, ""))
    if analysis.genre:
        label = analysis.genre.label
        p = analysis.genre.probabilities.get(label, 0.0)
        zero_shot = ", learned from other languages" if analysis.genre.zero_shot else ""
        rows.append(("Genre", f"{label} ({_pct(p)}{zero_shot})", labels.genre_definition(label)))
    if analysis.frames and analysis.frames.labels:
        main, *others = analysis.frames.labels
        rows.append(("Main frame", labels.frame_label(main), labels.frame_definition(main)))
        if others:
            names = "; ".join(labels.frame_label(f) for f in others)
            rows.append(("Other frames" if len(others) > 1 else "Other frame", names, ""))
    return rows


def _paragraph_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """Per-paragraph techniques where there are no spans (languages without a span model)."""
    if analysis.spans or not analysis.language or analysis.language.spans:
        return []
    rows = []
    for p in analysis.paragraphs:
        if not p.techniques:
            continue
        chips = []
        for t in p.techniques:
            # A technique this version does not know (a newer or foreign store) has no
            # category: it gets the fallback colours, like a span of an unknown category.
            background, border = _colours(taxonomy.CATEGORY_OF.get(t, ""))
            prob = p.technique_probabilities.get(t)
            label = _technique_label(t) + (f" {_pct(prob)}" if prob else "")
            chips.append({"label": label, "bg": background, "bd": border})
        words = analysis.text[p.start : p.end]
        rows.append(
            {
                "line": p.index,
                "chips": chips,
                "text": words if len(words) < 200 else words[:197] + "...",
            }
        )
    return rows


def _covered_share(spans: Sequence[TechniqueSpan], analysed: int) -> float:
    """The share of the analysed characters inside one of ``spans``, as the summary's
    coverage is computed (a character covered twice counts once)."""
    if not analysed:
        return 0.0
    covered = 0
    reach = 0  # the end of the covered stretch so far
    for start, end in sorted((max(s.start, 0), s.end) for s in spans):
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return round(min(covered / analysed, 1.0), 4)


def _part_of_article(spans: Sequence[TechniqueSpan], technique: str, total: int) -> str:
    """What a view of one technique shows, as part of the whole article."""
    label = spans[0].technique_label if spans else ""
    label = label or _technique_label(technique)
    return (
        f"Showing only {label}: {labels.plural(len(spans), 'finding')} of the article's "
        f"{total:,}, numbered as in the whole article."
    )


def _coverage(share: float) -> str:
    if 0 < share < 0.001:
        return "<0.1%"
    return f"{share * 100:.1f}%"


def _model_view(model) -> dict[str, Any]:
    decoding = ", ".join(f"{k} = {v:g}" for k, v in sorted(model.decoding.items()))
    return {
        "name": model.name,
        "version": model.version,
        "encoder": model.encoder,
        "trained_on": model.trained_on,
        "decoding": decoding or "model defaults",
        "untrained": ", ".join(_technique_label(t) for t in model.untrained_techniques),
    }
