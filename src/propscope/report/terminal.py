"""The terminal report: the article with highlighted spans, a findings table and totals."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from propscope import taxonomy
from propscope.report import labels
from propscope.schema import Analysis, TechniqueSpan

# Control characters (C0 but tab and line feed, DEL, C1) of an article, a title, a speaker or a
# source name would reach the terminal raw: ESC begins the sequences that set its title, clear
# the screen or recolour what follows. They are shown escaped ("\x1b"), as in file names,
# and so are the bidirectional controls, which make "evil\u202etxt.exe" read "evilexe.txt".
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """``text`` with its control characters but tab and line feed shown escaped (``\\x1b``),
    so that printing it cannot send the terminal a command; other text comes back as it is."""
    return _CONTROL.sub(lambda m: _escaped(m.group()), text)


def _plain(text: str) -> Text:
    """Words of an article (or a name from it) for a table cell or a title: shown as they are
    (a str would be read as rich markup: "[/b]" in a quote failed the whole report)."""
    return Text(visible(text))


def _style(span: TechniqueSpan) -> str:
    colour = taxonomy.category_colours(span.category)[0]
    # Findings in quoted and reported words are underlined: the journalist is not the one
    # persuading.
    return f"black on {colour}" + (" underline" if span.voice != "author" else "")


def _who(span: TechniqueSpan) -> Text:
    if span.voice == "author":
        return Text("author")
    return _plain(f"{span.voice}: {span.speaker or 'unknown speaker'}")


def _shown(text: str) -> tuple[str, list[int]]:
    """The article's text as shown (the ``\\r`` of a CRLF dropped and a lone ``\\r``, an old
    Mac line break, shown as ``\\n``: rich renders ``\\r`` badly; other control characters
    escaped), and where each character of the original (and its end) is in it."""
    parts: list[str] = []
    shift: list[int] = []
    shown = cursor = 0
    for match in _CONTROL.finditer(text):
        at = match.start()
        shift.extend(range(shown, shown + at - cursor + 1))
        shown += at - cursor
        if match.group() == "\r":
            replacement = "" if text.startswith("\n", at + 1) else "\n"
        else:
            replacement = _escaped(match.group())
        parts += (text[cursor:at], replacement)
        shown += len(replacement)
        cursor = at + 1
    shift.extend(range(shown, shown + len(text) - cursor + 1))
    parts.append(text[cursor:])
    return "".join(parts), shift


# Without colours (piped, written to a file, NO_COLOR) a finding is enclosed in numbered
# brackets that articles do not use: "⟦1 corrupt ⟦2q elite⟧2 here⟧1"; q and r mark quoted and
# reported speech (underlined in colour), and debris is enclosed as "⟦not analysed: …⟧".
OPEN, CLOSE = "\u27e6", "\u27e7"
_VOICE_MARK = {"author": "", "quoted": "q", "reported": "r"}
_DEBRIS_MARK = f"{OPEN}not analysed: "


def styles_shown(console: Console) -> bool:
    """Whether ``console`` shows colours (not when writing to a pipe or file, nor under
    NO_COLOR): without them the report marks where findings start as well as end."""
    return console.color_system is not None and not console.no_color


def article_text(analysis: Analysis, styled: bool = True) -> Text:
    """The article with each span highlighted and numbered like the findings table.

    ``styled=False`` is for output without colours: each finding is enclosed in numbered
    brackets instead (``⟦1 … ⟧1``, see :func:`legend`), the debris in
    ``⟦not analysed: … ⟧``; nested and overlapping findings open and close in order.
    """
    if not styled:
        return _bracketed(analysis)
    # Offsets index the original text; what is dropped or escaped shifts them.
    plain, shift = _shown(analysis.text)
    # Styles in the order they are laid on (debris, then the spans: a later one wins).
    styles = [(shift[s], shift[e], "dim strike") for s, e in analysis.article.debris]
    styles += [(shift[s.start], shift[s.end], _style(s)) for s in analysis.spans]
    by_start = sorted(range(len(styles)), key=lambda k: styles[k][0])
    markers = sorted(enumerate(analysis.spans, 1), key=lambda x: x[1].end)
    # Each piece between two markers is styled by the ranges open over it, found by a sweep
    # (slicing one styled text at every marker grew with the square of the findings).
    marked = Text()
    cursor, nxt, active = 0, 0, set()
    for stop, number in [*((shift[s.end], n) for n, s in markers), (len(plain), None)]:
        piece = Text(plain[cursor:stop])
        while nxt < len(by_start) and styles[by_start[nxt]][0] < stop:
            active.add(by_start[nxt])
            nxt += 1
        for k in sorted(active):
            start, end, style = styles[k]
            if max(start, cursor) < min(end, stop):
                piece.stylize(style, max(start, cursor) - cursor, min(end, stop) - cursor)
        active = {k for k in active if styles[k][1] > stop}
        marked.append_text(piece)
        if number is not None:
            marked.append(f"[{number}]", style="bold")
        cursor = stop
    return marked


def _bracketed(analysis: Analysis) -> Text:
    """The article with its findings and debris in brackets (no styles but bold markers)."""
    plain, shift = _shown(analysis.text)
    # (where, order among markers at one place, marker): closing ones first, the inner one
    # (that started later) before the outer; then opening ones, the outer (longer) first.
    events: list[tuple[int, tuple[int, int, int], str]] = []
    ranges = [(s, e, 0, _DEBRIS_MARK, CLOSE) for s, e in analysis.article.debris]
    for number, span in enumerate(analysis.spans, 1):
        voice = _VOICE_MARK.get(span.voice, span.voice[:1])
        opening = f"{OPEN}{number}{voice} "
        ranges.append((span.start, span.end, number, opening, f"{CLOSE}{number}"))
    for start, end, number, opening, closing in ranges:
        start, end = shift[start], shift[end]
        if start >= end:  # an empty finding encloses nothing
            events.append((start, (1, 0, number), opening + closing))
            continue
        events.append((start, (1, start - end, number), opening))
        events.append((end, (0, -start, -number), closing))
    events.sort(key=lambda event: event[:2])
    marked = Text()
    cursor = 0
    for at, _, marker in events:
        marked.append(plain[cursor:at])
        marked.append(marker, style="bold")
        cursor = at
    marked.append(plain[cursor:])
    return marked


def legend(analysis: Analysis, styled: bool = True) -> Text:
    """What the highlights mean: the category colours and underlines, or (``styled=False``)
    the brackets of :func:`article_text` without colours."""
    if not styled:
        text = Text("legend: ")
        text.append(f"{OPEN}1 … {CLOSE}1", style="bold")
        text.append(" = finding 1 of the findings table, in the author's words; ")
        text.append(f"{OPEN}1q … {CLOSE}1", style="bold")
        text.append(" = found in quoted speech, ")
        text.append(f"{OPEN}1r … {CLOSE}1", style="bold")
        text.append(" = in reported speech")
        if analysis.article.debris:
            text.append("; ")
            text.append(f"{_DEBRIS_MARK}… {CLOSE}", style="bold")
            text.append(" = scraping debris, left out of the analysis")
        return text
    text = Text("legend: ")
    for category, colour in taxonomy.CATEGORY_COLOURS.items():
        text.append(f" {category} ", style=f"black on {colour}")
        text.append(" ")
    text.append(" underlined = found in quoted or reported speech", style="underline")
    return text


def findings_table(analysis: Analysis) -> Table:
    """The findings, one row each; under the table, what each technique found means and
    what the confidence is (a finding under 50% reads "possible": more likely wrong)."""
    table = Table(title="Findings", expand=True, show_lines=False, caption_justify="left")
    table.add_column("#", justify="right", style="bold")
    table.add_column("technique · category", ratio=2)
    table.add_column("conf.", justify="right")
    table.add_column("who says it", ratio=2)
    table.add_column("words", ratio=3)
    for number, span in enumerate(analysis.spans, 1):
        words = span.text if len(span.text) <= 90 else span.text[:87] + "..."
        technique = Text(span.technique_label + "\n")
        technique.append(
            span.category, style=f"black on {taxonomy.category_colours(span.category)[0]}"
        )
        confidence = Text(f"{span.confidence:.0%}")
        if labels.tentative(span.confidence):
            confidence.append("\n" + labels.TENTATIVE_WORD, style="italic")
        table.add_row(
            str(number),
            technique,
            confidence,
            _who(span),
            _plain(words.replace("\n", " ")),
        )
    table.caption = _meanings(analysis)
    return table


def _meanings(analysis: Analysis) -> Text:
    """Each technique found, with the numbers of its findings and its explanation, then
    what the confidence means: compact, one line a technique."""
    numbers: dict[str, list[int]] = {}
    for number, span in enumerate(analysis.spans, 1):
        numbers.setdefault(span.technique, []).append(number)
    text = Text()
    for technique, found in numbers.items():
        info = taxonomy.TECHNIQUE_INFO.get(technique)
        first = analysis.spans[found[0] - 1]
        text.append(f"{first.technique_label} ", style="bold")
        text.append(f"({', '.join(map(str, found))}): ", style="dim")
        text.append(_plain(info.explanation if info else first.explanation))
        text.append("\n")
    text.append(labels.CONFIDENCE_NOTE, style="dim")
    if any(labels.tentative(s.confidence) for s in analysis.spans):
        text.append(" " + labels.TENTATIVE_NOTE, style="dim")
    return text


def totals(analysis: Analysis) -> Table:
    s = analysis.summary
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row("findings", str(s.spans))
    table.add_row("text covered", f"{s.coverage:.1%} of {s.analysed_characters:,} characters")
    table.add_row("by category", ", ".join(f"{k} {v}" for k, v in s.by_category.items()) or "-")
    table.add_row(
        "by technique",
        ", ".join(f"{taxonomy.technique_label(k)} {v}" for k, v in s.by_technique.items()) or "-",
    )
    # The same sentence as the HTML report's ("The only finding is ...", "All 3 ...").
    reading = labels.voice_reading(analysis.spans)
    table.add_row("who persuades", _plain(reading) if s.spans else "-")
    if analysis.model.untrained_techniques:
        names = [taxonomy.technique_label(t) for t in analysis.model.untrained_techniques]
        absent = ", ".join(names) + " (their absence here says nothing)"
        table.add_row("not trained to find", absent)
    if s.paragraphs_by_category:
        table.add_row(
            "paragraphs by category",
            ", ".join(f"{k} {v}" for k, v in s.paragraphs_by_category.items()),
        )
    return table


def article_level(analysis: Analysis) -> Text:
    """One line each for language, genre and frames (SemEval-2023 subtasks 1 and 2)."""
    line = Text()
    if analysis.language:
        line.append("language ", style="bold")
        line.append(f"{analysis.language.name}")
        if analysis.language.given:
            line.append(" (given)", style="dim")
        if not analysis.language.spans:
            line.append(" (paragraph-level techniques only)", style="dim")
        line.append("   ")
    meanings = []
    if analysis.genre:
        p = analysis.genre.probabilities[analysis.genre.label]
        line.append("genre ", style="bold")
        line.append(f"{analysis.genre.label} ({p:.0%})")
        if analysis.genre.zero_shot:
            line.append(", learned from other languages", style="dim")
        line.append("   ")
        if labels.genre_definition(analysis.genre.label):
            meanings.append((analysis.genre.label, labels.genre_definition(analysis.genre.label)))
    if analysis.frames and analysis.frames.labels:
        # A frame is the perspective the issue is presented from, not the article's topic.
        line.append("frames ", style="bold")
        line.append(labels.frames_text(analysis.frames.labels))
        main = analysis.frames.labels[0]
        if labels.frame_definition(main):
            meanings.append((labels.frame_label(main), labels.frame_definition(main)))
    for name, meaning in meanings:
        line.append(f"\n  {name}: {meaning}", style="dim")
    return line


def paragraph_table(analysis: Analysis) -> Table:
    """Per-paragraph techniques, for languages analysed at paragraph level."""
    table = Table(title="Techniques by paragraph", expand=True)
    table.add_column("line", justify="right")
    table.add_column("techniques (probability)", ratio=2)
    table.add_column("paragraph", ratio=3)
    for p in analysis.paragraphs:
        if not p.techniques:
            continue
        words = analysis.text[p.start : p.end]
        cell = Text()
        for t in p.techniques:
            colour = taxonomy.category_colours(taxonomy.CATEGORY_OF.get(t, ""))[0]
            prob = p.technique_probabilities.get(t)
            label = taxonomy.technique_label(t) + (f" {prob:.0%}" if prob else "")
            cell.append(f" {label} ", style=f"black on {colour}")
            cell.append(" ")
        table.add_row(
            str(p.index), cell, _plain(words if len(words) < 160 else words[:157] + "...")
        )
    return table


def render_terminal(
    analyses: Sequence[Analysis], console: Console, styled: bool | None = None
) -> None:
    """Print the report of each analysis on ``console``. ``styled`` says whether it shows
    colours (by default: whether the console does, see :func:`styles_shown`); without them
    findings are marked by brackets where they start and end, and the legend says so."""
    if styled is None:
        styled = styles_shown(console)
    for analysis in analyses:
        header = _plain(analysis.article.title or analysis.article.id)
        header.stylize("bold")
        model = analysis.model
        console.print(
            Panel(
                Group(article_text(analysis, styled)),
                title=header,
                subtitle=_plain(f"{analysis.article.id} · {model.name} {model.version}"),
            )
        )
        if styled or analysis.spans or analysis.article.debris:
            console.print(legend(analysis, styled))
        console.print(article_level(analysis))
        if analysis.spans:
            console.print(findings_table(analysis))
        elif analysis.language and not analysis.language.spans:
            console.print(paragraph_table(analysis))
        else:
            console.print("No persuasion techniques found at this sensitivity.")
        console.print(Panel(totals(analysis), title="Totals"))
