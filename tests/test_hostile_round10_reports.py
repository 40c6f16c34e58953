"""How reports show an article (hostile round 10, /tmp/hostile10f items 2, 3 and 6): old Mac
line ends in the HTML report, a one-word headline on a phone, and the terminal report without
colours.

No model: hand-made analyses (tests/builders.py); the one browser check is skipped without
Chromium and Playwright.
"""

from __future__ import annotations

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
