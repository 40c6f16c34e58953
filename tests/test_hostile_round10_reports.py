"""How reports show an article (hostile round 10, /tmp/hostile10f items 2, 3 and 6): old Mac
line ends in the HTML report, a one-word headline on a phone, and the terminal report without
colours.

No model: hand-made analyses (tests/builders.py); the one browser check is skipped without
Chromium and Playwright.
"""

from __future__ import annotations

import io
import re

import pytest
from builders import analysis, at, span
from chromium import ARGS, CHROMIUM
from test_report_html import Node, doc_node, marks, parse

from propscope.report.html import render_html, report_css

# --- item 2: a lone "\r" is a line break in the HTML report ---------------------------------

MAC = (
    "Minister slams plan\r\r"
    "Critics were entering the UK\r\rTwo prominent US bloggers said.\r"
    "Pamela wrote a reckless line\r\n"
    "and the end.\r\n"
)


def _mac_analysis():
    t = MAC
    spans = [
        span(t, *at(t, "the UK\r\rTwo prominent"), "Loaded_Language"),
        span(t, *at(t, "said.\rPamela"), "Doubt", voice="quoted", speaker="Pamela"),
        # ends between the two halves of a CRLF: the segment ends in "\r", the "\n" follows
        span(t, *at(t, "reckless line\r"), "Name_Calling-Labeling"),
        span(t, *at(t, "\nand the"), "Slogans"),
    ]
    return analysis(t, spans)


def _laid_out(node: Node) -> str:
    """The node's text with each <br> shown as "<br>" where it stands."""
    return "".join(
        c if isinstance(c, str) else "<br>" if c.tag == "br" else _laid_out(c)
        for c in node.children
    )


def test_a_lone_carriage_return_breaks_the_line_and_the_text_stays_the_articles():
    a = _mac_analysis()
    doc = doc_node(parse(render_html([a])))
    # every lone "\r" is followed by a line break; a "\r\n" (cut in two or not) breaks once
    assert _laid_out(doc) == re.sub(r"\r(?!\n)", "\r<br>", MAC)
    assert _laid_out(doc).count("<br>") == 5
    # the text rebuilt from the page is still the article's, "\r" included
    assert doc.text() == MAC
    for i, s in enumerate(a.spans):
        covering = [m for m in marks(doc) if str(i) in (m.attrs.get("data-spans") or "").split()]
        assert "".join(m.text() for m in covering) == MAC[s.start : s.end]


# --- item 3: a one-word headline (a scraped URL) does not widen the page on a phone ----------

URL = (
    "https://www.example-news.com/2018/10/17/politics/us-news/exclusive-the-corrupt-"
    "establishment-elite-betrayed-america-again-report-finds-full-story-and-analysis"
    "?utm_source=twitter&utm_medium=social"
)


def _url_titled(article_id: str = "a1"):
    t = f"{URL}\n\nThe council approved the reckless budget on Monday.\n"
    return analysis(t, [span(t, *at(t, "reckless budget"))], article_id=article_id)


def test_the_report_css_breaks_long_headlines_anywhere():
    css = re.sub(r"/\*.*?\*/", "", report_css(), flags=re.S)
    rules = dict(re.findall(r"([^{}]+)\{([^{}]*)\}", css))
    breaking = {
        selector.strip()
        for selectors, body in rules.items()
        if re.search(r"overflow-wrap:\s*anywhere", body)
        for selector in selectors.split(",")
    }
    # the page title (also the web app's article page, which loads this stylesheet), an
    # article's title in a report of several, and its line in the contents
    assert {"#doc-title", ".article-head h2", ".contents li > a"} <= breaking


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
def test_a_url_headline_fits_a_phone_screen():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    one = render_html([_url_titled()])
    several = render_html([_url_titled("a1"), _url_titled("a2")])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            for html in (one, several):
                page.set_content(html)
                widths = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert widths[0] <= widths[1], widths
        finally:
            browser.close()


# --- item 6: without colours the terminal report shows where each finding starts -------------

PLAIN = (
    "Minister slams plan\n\n"
    "The reckless, shameful scheme  will destroy everything, critics said.\r\n"
    '"This fake organization is a disgrace," Hikmet Hajiyev said.\r'
    "Officials said that the plan was a total disaster.\n\n"
    "You Might Also Like\n"
)


def _plain_analysis():
    t = PLAIN
    spans = [
        span(t, *at(t, "The reckless, shameful scheme"), "Name_Calling-Labeling"),
        span(t, *at(t, "reckless, shameful"), "Loaded_Language"),  # nested
        span(t, *at(t, "shameful scheme  will destroy"), "Exaggeration-Minimisation"),  # overlaps
        span(t, *at(t, "reckless, shameful"), "Doubt"),  # the same words as 2
        span(t, *at(t, "This fake organization"), "Doubt", "quoted", "Hikmet Hajiyev"),
        span(t, *at(t, "fake organization"), "Name_Calling-Labeling", "quoted", "Hikmet Hajiyev"),
        span(t, *at(t, "a total disaster"), "Exaggeration-Minimisation", "reported", "Officials"),
    ]
    return analysis(t, spans, debris=(at(t, "You Might Also Like"),))


def _report(console_options: dict, **render_options) -> str:
    from rich.console import Console

    from propscope.report.terminal import render_terminal

    console = Console(file=io.StringIO(), width=200, **console_options)
    render_terminal([_plain_analysis()], console, **render_options)
    return console.file.getvalue()


def _article_lines(report: str) -> str:
    """The article of the report's first panel, its lines joined."""
    panel = report.split("╰", 1)[0].split("\n")[1:]
    return "\n".join(line.strip("│ ").rstrip() for line in panel)


def test_without_colours_each_finding_is_enclosed_in_numbered_brackets():
    shown = _report({})  # a pipe or a file: no colours, no styles
    assert "\x1b" not in shown
    article = _article_lines(shown)
    assert "⟦1 The ⟦2 ⟦4 reckless, ⟦3 shameful⟧4⟧2 scheme⟧1  will destroy⟧3 everything" in article
    assert '"⟦5q This ⟦6q fake organization⟧6⟧5 is a disgrace,"' in article  # quoted
    assert "the plan was ⟦7r a total disaster⟧7." in article  # reported
    assert "⟦not analysed: You Might Also Like⟧" in article
    # the brackets are all that is added: without them the lines are the article's
    lines = re.sub(r"⟦(\d+[qr]?|not analysed:) |⟧\d*", "", article)
    assert lines.rstrip("\n").split("\n") == re.split(r"\r\n|\r|\n", PLAIN.rstrip("\n"))
    # a legend of the brackets, not of colours nobody sees
    (legend,) = [line for line in shown.split("\n") if line.startswith("legend:")]
    assert "⟦1 … ⟧1" in legend and "⟦1q … ⟧1" in legend and "⟦1r … ⟧1" in legend
    assert "⟦not analysed: … ⟧" in legend
    assert "underlined" not in shown and "Manipulative wording " not in legend


def test_no_color_on_a_terminal_gets_the_brackets_and_colours_keep_the_highlights(monkeypatch):
    terminal = {"force_terminal": True, "color_system": "truecolor"}
    coloured = _report(terminal)
    assert "⟦" not in coloured and "underlined = found in quoted" in coloured
    assert re.search(r"destroy\x1b\[[0-9;]*m\x1b\[1m\[3\]", coloured)  # the end's number
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _report(terminal)
    assert "⟦7r " in plain and "underlined" not in plain
    assert not re.search(r"\x1b\[[0-9;]*[34]8;", plain)
    # a caller may ask for either
    assert "⟦" not in _report(terminal, styled=True)
    monkeypatch.delenv("NO_COLOR")
    assert "⟦7r " in _report(terminal, styled=False)


def test_the_cli_text_report_written_to_a_file_marks_where_findings_start():
    from propscope.cli import OutputFormat, TaxonomyName, render

    shown = render([_plain_analysis()], OutputFormat.text, TaxonomyName.ptc14, False)
    assert "⟦7r a total disaster⟧7" in shown and "⟦1 … ⟧1" in shown


def test_tied_phrases_are_listed_in_the_same_order_whatever_the_storage_order():
    # tester, round 15: SQLite and PostgreSQL listed tied phrases in their stored order
    from collections import Counter

    from propscope.report.corpus import _most_common

    articles = {"b": {1, 2}, "a": {1, 2}, "c": {3}, "d": {4, 5, 6}}
    for order in (["b", "a", "c", "d"], ["d", "c", "a", "b"]):
        counts = Counter({key: 2 for key in order})
        assert _most_common(counts, articles) == [("d", 2), ("a", 2), ("b", 2), ("c", 2)]
