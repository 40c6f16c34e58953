"""The terminal report: the article with highlighted spans, a findings table and totals."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from propscope import taxonomy
from propscope.schema import Analysis, TechniqueSpan


def _style(span: TechniqueSpan) -> str:
    colour = taxonomy.category_colours(span.category)[0]
    # Findings in quoted and reported words are underlined: the journalist is not the one
    # persuading.
    return f"black on {colour}" + (" underline" if span.voice != "author" else "")


def _who(span: TechniqueSpan) -> str:
    if span.voice == "author":
        return "author"
    return f"{span.voice}: {span.speaker or 'unknown speaker'}"


def article_text(analysis: Analysis) -> Text:
    """The article with each span highlighted and numbered like the findings table."""
    plain = analysis.text.replace("\r", "")
    # Offsets index the original text; removing \r (rich renders it badly) shifts them.
    shift = [0] * (len(analysis.text) + 1)
    removed = 0
    for i, ch in enumerate(analysis.text):
        shift[i] = i - removed
        removed += ch == "\r"
    shift[len(analysis.text)] = len(analysis.text) - removed
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


def findings_table(analysis: Analysis) -> Table:
    table = Table(title="Findings", expand=True, show_lines=False)
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
        table.add_row(
            str(number),
            technique,
            f"{span.confidence:.0%}",
            _who(span),
            words.replace("\n", " "),
        )
    return table


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
    voiced = s.spans - s.by_voice.get("author", 0)
    reading = f"{voiced} of {s.spans} findings are in quoted or reported speech"
    if s.by_speaker:
        top, count = next(iter(s.by_speaker.items()))
        reading += f" ({count} from {top})"
    table.add_row("who persuades", reading if s.spans else "-")
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
        if not analysis.language.spans:
            line.append(" (paragraph-level techniques only)", style="dim")
        line.append("   ")
    if analysis.genre:
        p = analysis.genre.probabilities[analysis.genre.label]
        line.append("genre ", style="bold")
        line.append(f"{analysis.genre.label} ({p:.0%})")
        if analysis.genre.zero_shot:
            line.append(", learned from other languages", style="dim")
        line.append("   ")
    if analysis.frames:
        line.append("frames ", style="bold")
        names = [f.replace("_", " ") for f in analysis.frames.labels]
        line.append(f"{names[0]} (main)" + "".join(f", {n}" for n in names[1:]))
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
        table.add_row(str(p.index), cell, words if len(words) < 160 else words[:157] + "...")
    return table


def render_terminal(analyses: Sequence[Analysis], console: Console) -> None:
    for analysis in analyses:
        header = analysis.article.title or analysis.article.id
        console.print(
            Panel(
                Group(article_text(analysis)),
                title=f"[bold]{header}[/bold]",
                subtitle=f"{analysis.article.id} · {analysis.model.name} {analysis.model.version}",
            )
        )
        legend = Text("legend: ")
        for category, colour in taxonomy.CATEGORY_COLOURS.items():
            legend.append(f" {category} ", style=f"black on {colour}")
            legend.append(" ")
        legend.append(" underlined = found in quoted or reported speech", style="underline")
        console.print(legend)
        console.print(article_level(analysis))
        if analysis.spans:
            console.print(findings_table(analysis))
        elif analysis.language and not analysis.language.spans:
            console.print(paragraph_table(analysis))
        else:
            console.print("No persuasion techniques found at this sensitivity.")
        console.print(Panel(totals(analysis), title="Totals"))
