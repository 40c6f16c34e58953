"""The browser extension in real headless Chromium (Debian's package), loaded unpacked in a
persistent context, against real propscope servers and realistic news pages on loopback.

The pages are served from 127.0.0.2 and the propscope servers listen on 127.0.0.1, so the
extension's requests to them are true cross-origin requests: they need the server's CORS
answer for the extension's origin and pass the same Host, Origin and key checks as any
other request. The toolbar button is browser chrome Playwright cannot click, and its click
grants ``activeTab``; the test copy of the extension gets a host permission for the page
server (127.0.0.2 only) in its place and calls the same ``analyseFromUser()`` the click calls.
The panel's shadow root is closed: tests read it and click it through extension_panel.py.
Screenshots go to the test's tmp folder (PROPSCOPE_SCREENSHOTS names another one).
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from builders import free_port, start_uvicorn, stop_uvicorn
from chromium import ARGS, CHROMIUM, require_chromium
from extension_panel import panel, panel_click, panel_state, panel_text, wait_panel

PAGES_HOST = "127.0.0.2"  # Linux answers on all of 127.0.0.0/8; the servers use 127.0.0.1

require_chromium()
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

# --- the news site ---------------------------------------------------------------------------

SITE_CSS = """
body { margin: 0; font: 17px/1.6 Georgia, serif; color: #222; background: #fafafa; }
.masthead { display: flex; gap: 24px; align-items: center; padding: 12px 24px;
  background: #111; color: #fff; }
.masthead a { color: #fff; text-decoration: none; }
.masthead ul { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0;
  font: 14px system-ui, sans-serif; }
.layout { display: grid; grid-template-columns: minmax(0, 680px) 260px; gap: 40px;
  padding: 24px; max-width: 1000px; }
.kicker { font: 700 13px system-ui, sans-serif; color: #b00; text-transform: uppercase; }
h1 { font-size: 34px; line-height: 1.2; margin: 4px 0 10px; }
.byline { font: 14px system-ui, sans-serif; color: #555; }
blockquote { margin: 18px 0; padding-left: 16px; border-left: 3px solid #b00; font-style: italic; }
figure { margin: 18px 0; } figure .img { height: 120px; background: #cfd8dc; }
figcaption { font: 12px system-ui, sans-serif; color: #666; }
.advert { font: 12px system-ui, sans-serif; color: #999; border: 1px dashed #ccc;
  padding: 30px; text-align: center; }
.sidebar h2 { font: 700 16px system-ui, sans-serif; border-bottom: 2px solid #111; }
.sidebar li { margin: 8px 0; font: 14px system-ui, sans-serif; }
.cookie-consent { position: fixed; left: 0; right: 0; bottom: 0; padding: 14px 24px;
  background: #263238; color: #fff; font: 14px system-ui, sans-serif; z-index: 10; }
footer { padding: 24px; font: 13px system-ui, sans-serif; color: #777; }
mark { display: block; }  /* a hostile site rule: the extension must not use <mark> */
"""

# The page's own script: the extension must leave it working (a like counter, and a check
# that the article's text is unchanged while highlighted).
SITE_JS = """
document.addEventListener("DOMContentLoaded", () => {
  const likes = document.getElementById("likes");
  const button = document.getElementById("like");
  if (button) {
    button.addEventListener("click", () => {
      likes.textContent = String(Number(likes.textContent) + 1);
    });
  }
  const root = document.querySelector("article, [itemprop=articleBody]") || document.body;
  window.pageTextAtLoad = root.textContent;
  window.pageTextNodes = [...root.querySelectorAll("p")].map((p) => p.firstChild);
  document.body.dataset.scriptRan = "yes";
});
"""

# Strict, like many news sites: no inline script or style; everything from this site only.
PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"

COOKIE_TEXT = "We use cookies to improve your experience"
SIDEBAR_TEXT = "Markets slide as oil prices climb"

CHROME = (
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Daily Ledger</title>
<link rel="stylesheet" href="/site.css"><script src="/site.js"></script></head>
<body>
<header class="masthead"><a class="logo" href="/">The Daily Ledger</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<div class="cookie-consent" role="dialog" aria-label="Cookies"><p>"""
    + COOKIE_TEXT
    + """.
By continuing to browse you accept our cookie policy and our partners' use of your data.</p>
<button type="button">Accept all</button></div>
<div class="layout">
{main}
<aside class="sidebar"><h2>Most read</h2><ol>
<li><a href="/b/1">"""
    + SIDEBAR_TEXT
    + """ for a third straight week</a></li>
<li><a href="/b/2">The ten best hiking trails you have never heard of</a></li>
<li><a href="/b/3">Council approves new bridge after years of delay</a></li></ol></aside>
</div>
<footer>&copy; 2026 The Daily Ledger &middot; <a href="/privacy">Privacy</a> &middot;
<a href="/terms">Terms</a></footer>
</body></html>
"""
)


def _inline_markup(paragraph: str, start: int, cuts: list[tuple[int, int]]) -> str:
    """The paragraph as HTML, with <em><strong>..</strong>..</em> / <a> runs over ``cuts``
    (offsets into the article) that begin inside a finding and end after it."""
    out, pos = [], 0
    for k, (a, b) in enumerate(cuts):
        a, b = a - start, b - start
        if not (pos <= a < b <= len(paragraph)):
            continue
        inner = html.escape(paragraph[a:b])
        first = inner.split(" ", 1)
        if len(first) == 2:
            inner = f"<strong>{first[0]}</strong> {first[1]}"
        tag = ("<em>", "</em>") if k % 2 == 0 else ('<a href="/topic/x">', "</a>")
        out += [html.escape(paragraph[pos:a]), tag[0], inner, tag[1]]
        pos = b
    out.append(html.escape(paragraph[pos:]))
    return "".join(out)


def news_page(text: str, spans=(), *, container: str = "article") -> str:
    """A news page holding ``text`` (title line, then paragraphs): quotes in blockquotes, a
    figure and an advert between paragraphs, inline runs crossing each of ``spans``."""
    title, _, body = text.partition("\n")
    cuts = []
    for s in spans:  # from the middle of the finding (a word start) to past its end
        middle = text.find(" ", (s.start + s.end) // 2, s.end)
        end = text.find(" ", s.end + 12)
        line_end = text.find("\n", s.start)
        line_end = len(text) if line_end < 0 else line_end
        end = line_end if end < 0 or end > line_end else end
        if 0 < middle < s.end and (not cuts or middle > cuts[-1][1]):
            cuts.append((middle + 1, end))
    blocks, offset = [], len(title) + 1
    for n, line in enumerate(body.split("\n")):
        start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        inner = _inline_markup(line, start, [c for c in cuts if start <= c[0] < offset])
        quoted = line.lstrip().startswith(("“", '"'))
        blocks.append(f"<blockquote><p>{inner}</p></blockquote>" if quoted else f"<p>{inner}</p>")
        if n == 2:
            blocks.append(
                '<figure><div class="img"></div><figcaption>Photo: Agency staff / '
                "The Daily Ledger</figcaption></figure>"
            )
        if n == 6:
            blocks.append('<div class="advert">Advertisement</div>')
    head = (
        f'<div class="kicker">World</div><h1>{html.escape(title)}</h1>'
        '<p class="byline">By Jane Roe &middot; 5 October 2020</p>'
        '<div class="share-tools"><button id="like" type="button">Like</button> '
        '<span id="likes">0</span> likes &middot; <a href="/share">Share</a></div>'
    )
    story = "\n".join(blocks)
    if container == "article":
        # A wrapper named like furniture ("has-sidebar") around the story itself.
        main = (
            f"<main><article>{head}<div class='story-body has-sidebar'>{story}</div>"
            "</article></main>"
        )
    else:  # no <article>: schema.org markup only, and a related box inside the body
        main = (
            f"<main><div class='story'>{head}<div itemprop='articleBody'>{story}"
            "<div class='related-links'><h3>Related</h3><p>Read more about this story and "
            "others in our archive of world news coverage.</p></div></div></div></main>"
        )
    return CHROME.format(title=html.escape(title), main=main)


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        if path == "/site.css":
            self._send(SITE_CSS, "text/css")
        elif path == "/site.js":
            self._send(SITE_JS, "text/javascript")
        elif path in self.pages:
            self._send(self.pages[path], "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _send(self, body: str, kind: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", PAGE_CSP)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    """The news site on 127.0.0.2; tests add pages to ``site.pages``."""
    handler = type("Site", (_Site,), {"pages": {}})
    try:
        httpd, handler.host = ThreadingHTTPServer((PAGES_HOST, 0), handler), PAGES_HOST
    except OSError:  # loopback is 127.0.0.1 only: "localhost" is still another origin
        httpd, handler.host = ThreadingHTTPServer(("127.0.0.1", 0), handler), "localhost"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    handler.base = f"http://{handler.host}:{httpd.server_address[1]}"
    yield handler
    httpd.shutdown()


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory, site):
    """The extension as ``propscope extension`` writes it, plus the test's host permission."""
    from propscope.browser_extension import write_extension

    written = write_extension(tmp_path_factory.mktemp("extension"))
    manifest_path = written.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["host_permissions"] = [f"http://{site.host}/*"]
    manifest_path.write_text(json.dumps(manifest))
    return written


@pytest.fixture(scope="module")
def servers(model, tmp_path_factory, unpacked):
    """Start real propscope servers on loopback on demand: ``servers(name, **create_app)``."""

    from propscope.web import create_app

    running, started = {}, []

    def start(name: str, **options) -> str:
        if name in running:
            return running[name]
        db = tmp_path_factory.mktemp("db") / f"{name}.db"
        options.setdefault("model_loader", lambda: model)
        app = create_app(db_url=str(db), bind_host="127.0.0.1", **options)
        server, thread, port = start_uvicorn(app, log_level="warning")
        app.state.models.wait(60)
        started.append((server, thread))
        running[name] = f"http://127.0.0.1:{port}"
        return running[name]

    yield start
    for server, thread in started:
        stop_uvicorn(server, thread)


@pytest.fixture(scope="module")
def origin(unpacked) -> str:
    return f"chrome-extension://{unpacked.extension_id}"


@pytest.fixture(scope="module")
def browser(unpacked):
    """Chromium with only the extension loaded, in a persistent (profile) context."""
    folder = str(unpacked.folder)
    args = [*ARGS, f"--disable-extensions-except={folder}", f"--load-extension={folder}"]
    with playwright_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=args,
            viewport={"width": 1360, "height": 900},
        )
        worker = context.service_workers[0] if context.service_workers else None
        worker = worker or context.wait_for_event("serviceworker", timeout=15_000)
        context.worker = worker
        yield context
        context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("PROPSCOPE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def use_server(browser, url: str, key: str = "") -> None:
    browser.worker.evaluate(
        "([url, key]) => chrome.storage.local.set({serverUrl: url, apiKey: key})", [url, key]
    )


def analyse(browser, page) -> dict:
    """What a toolbar click does, for the tab showing ``page``; the worker's report."""
    return browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             return analyseFromUser(tab.id);
           }""",
        page.url,
    )


def open_page(browser, site, path: str, markup: str):
    site.pages[path] = markup
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.base + path)
    assert page.evaluate("document.body.dataset.scriptRan") == "yes"
    return page, errors


MARKS_JS = """() => [...document.querySelectorAll("propscope-mark")].map((m) => ({
    spans: m.dataset.spans.split(" ").map(Number),
    text: m.textContent,
    off: m.classList.contains("off"),
    background: getComputedStyle(m).backgroundColor,
    parent: m.parentElement.tagName,
  }))"""


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_highlights(page, result: dict, spans: list[dict]) -> list[dict]:
    """Every finding's highlighted DOM text is its span text (whitespace aside: the page
    renders runs of spaces and line breaks as one space), and nothing else is highlighted."""
    marks = page.evaluate(MARKS_JS)
    assert result["mismatched"] == 0
    assert len(marks) == result["marks"] >= len(spans) > 0
    for i, span in enumerate(spans):
        shown = "".join(m["text"] for m in marks if i in m["spans"])
        assert _squash(shown) == _squash(span["text"]), (i, shown, span["text"])
    union = sum(len(_squash(m["text"])) for m in marks)
    covered: set[int] = set()
    for s in spans:
        covered |= {
            k for k in range(s["start"], s["end"]) if not s["text"][k - s["start"]].isspace()
        }
    assert union == len(covered)
    return marks


def stored(server: str, article_id: int, part: str = "analysis") -> dict:
    import httpx

    article = httpx.get(f"{server}/api/v1/articles/{article_id}").json()
    return article[part] if part else article


# --- tests -----------------------------------------------------------------------------------


def test_the_loaded_extension_has_the_documented_id(browser, unpacked):
    assert browser.worker.url == f"chrome-extension://{unpacked.extension_id}/background.js"


def test_news_page_highlights_panel_filters_and_close(
    browser, site, servers, origin, example_path, example_analysis, shots
):
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    text = example_path.read_text(encoding="utf-8")
    page, errors = open_page(
        browser, site, "/world/amnesty", news_page(text, example_analysis.spans)
    )
    article = page.locator("article")
    before = article.evaluate("(a) => [a.innerHTML, a.getBoundingClientRect().height]")

    result = analyse(browser, page)
    assert result["state"] == "findings", result
    analysis = stored(server, result["id"])
    spans = [dict(s) for s in analysis["spans"]]
    assert result["spanTexts"] == [s["text"] for s in spans]
    marks = check_highlights(page, result, spans)

    # The text sent is the article: headline first, quotes in, furniture out; the page's
    # address and site come with it.
    article_row = stored(server, result["id"], part="")
    assert article_row["url"] == page.url and article_row["source"] == site.host
    sent = analysis["text"]
    assert sent.startswith(text.partition("\n")[0] + "\n")
    assert "the second biggest city in Azerbaijan" in sent
    for furniture in (COOKIE_TEXT, SIDEBAR_TEXT, "Advertisement", "Photo: Agency", "0 likes"):
        assert furniture not in sent
    # Findings cross the page's inline elements, and are still highlighted exactly.
    first = {i: m["parent"] for m in reversed(marks) for i in m["spans"]}
    crossing = [
        i
        for i in range(len(spans))
        if {m["parent"] for m in marks if i in m["spans"]} != {first[i]}
    ]
    assert crossing, "no finding crosses an inline element: the page does not test that"

    # Colours are the report's; the layout and the page's own script are untouched.
    from propscope.taxonomy import CATEGORY_COLOURS

    def rgb(colour: str) -> str:
        r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
        return f"rgb({r}, {g}, {b})"

    single = [m for m in marks if len({spans[i]["category"] for i in m["spans"]}) == 1]
    assert single
    for m in single:
        assert m["background"] == rgb(CATEGORY_COLOURS[spans[m["spans"][0]]["category"]])
    assert article.evaluate("(a) => a.getBoundingClientRect().height") == pytest.approx(
        before[1], abs=0.5
    )
    assert page.evaluate("window.pageTextAtLoad === document.querySelector('article').textContent")
    page.click("#like")
    assert page.inner_text("#likes") == "1"

    # The panel lists every finding with technique, category, confidence, speaker, why.
    items = panel(browser, page, "li[data-span]")
    assert len(items) == len(spans)
    for i, span in enumerate(spans):
        item_text = items[i]["text"]
        assert span["technique_label"] in item_text and span["category"] in item_text
        assert f"{round(span['confidence'] * 100)}%" in item_text
        assert (span["speaker"] or "the author") in item_text
        assert span["explanation"] in item_text
    page.screenshot(path=str(shots / "extension-news-page.png"))

    # Category filters turn that category's highlights and list items off, and on again.
    category = spans[0]["category"]
    box = f'input[data-category="{category}"]'
    assert panel(browser, page, box)[0]["checked"]
    panel_click(browser, page, box)  # the user unticks it
    assert not panel(browser, page, box)[0]["checked"]
    after = page.evaluate(MARKS_JS)
    for m in after:
        assert m["off"] == all(spans[i]["category"] == category for i in m["spans"])
        if m["off"]:
            assert m["background"] == "rgba(0, 0, 0, 0)"
    hidden = [i for i, s in enumerate(spans) if s["category"] == category]
    items = panel(browser, page, "li[data-span]")
    for i in range(len(spans)):
        assert items[i]["visible"] == (i not in hidden)
    page.screenshot(path=str(shots / "extension-filtered.png"))
    everything_off = all(s["category"] == category for s in spans)
    assert panel(browser, page, ".none-shown")[0]["visible"] == everything_off
    panel_click(browser, page, box)  # and ticks it again
    assert panel(browser, page, box)[0]["checked"]
    assert not any(m["off"] for m in page.evaluate(MARKS_JS))
    assert all(item["visible"] for item in panel(browser, page, "li[data-span]"))

    # A finding in the list jumps to its highlight.
    last = len(spans) - 1
    panel_click(browser, page, "li[data-span] button", last)
    page.wait_for_timeout(800)
    mark = page.locator(f'propscope-mark[data-first~="{last}"]').first
    assert mark.evaluate("(m) => m.classList.contains('flash')")
    box_ = mark.bounding_box()
    assert box_ and 0 <= box_["y"] <= 900

    # The panel's own button analyses again (through the worker): new marks, same words.
    page.evaluate("document.querySelector('propscope-mark').dataset.old = 'yes'")
    panel_click(browser, page, "button.again")
    wait_panel(
        browser,
        page,
        lambda b, p: (
            p.evaluate(
                """(n) => !document.querySelector("propscope-mark[data-old]") &&
                      document.querySelectorAll("propscope-mark").length === n""",
                len(marks),
            )
            and panel_state(b, p) == "findings"
        ),
        what="the second analysis",
    )
    assert [m["text"] for m in page.evaluate(MARKS_JS)] == [m["text"] for m in marks]

    # Close: highlights and panel gone, the article's DOM exactly as before.
    panel_click(browser, page, "button.close")
    assert page.locator("propscope-mark").count() == 0
    assert page.locator("propscope-panel").count() == 0
    restored = article.evaluate("(a) => a.innerHTML")
    assert restored == before[0].replace('id="likes">0<', 'id="likes">1<')
    # ... down to the text nodes the page's script holds: the same objects, in place.
    assert page.evaluate(
        """() => window.pageTextNodes.every((node, k) =>
             node.isConnected && node === document.querySelectorAll("article p")[k].firstChild)"""
    )
    assert errors == []
    page.close()


def test_page_without_article_element(browser, site, servers, origin, shots):
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    text = (
        "Officials defend the new border policy\n"
        "The minister said the so-called experts are spreading lies and fear to destroy our "
        "nation, and that every patriot must stand up now before it is too late.\n"
        "“These radical extremists want to flood our country with chaos,” he told reporters "
        "on Monday, adding that the opposition is a puppet of foreign billionaires.\n"
        "Critics say the plan was drafted in secret and has never been costed. The ministry "
        "did not answer questions about how many officers it would need or where they would "
        "come from, and a parliamentary committee said it had not been consulted at all.\n"
        "Some residents near the border welcomed the announcement, while others said they "
        "feared for the livelihoods of families who cross every day for work and school."
    )
    page, errors = open_page(browser, site, "/politics/border", news_page(text, container="div"))
    result = analyse(browser, page)
    assert result["state"] == "findings", result
    analysis = stored(server, result["id"])
    assert analysis["text"].startswith("Officials defend the new border policy\n")
    assert "Related" not in analysis["text"] and SIDEBAR_TEXT not in analysis["text"]
    check_highlights(page, result, [dict(s) for s in analysis["spans"]])
    page.screenshot(path=str(shots / "extension-schema-org-page.png"))
    assert errors == []
    page.close()


NEUTRAL = (
    "City library extends weekday opening hours\n"
    "The central library will open at 8 a.m. instead of 9 a.m. on weekdays from 1 March, the "
    "city council said on Tuesday. Opening hours on Saturdays stay the same, from 10 a.m. to "
    "4 p.m. The library has about 120,000 books and 40 computers for public use.\n"
    "Last year it recorded 310,000 visits, slightly more than the year before. The change "
    "follows a survey of 2,400 users, most of whom said they would visit before work if they "
    "could. Two additional staff members will be hired to cover the extra hours.\n"
    "The branch libraries in the north and east of the city are not affected. Their opening "
    "hours will be reviewed in the autumn, a council spokeswoman said."
)


def test_nothing_found_state(browser, site, servers, origin, shots):
    use_server(browser, servers("allowed", allowed_origins=[origin]))
    page, errors = open_page(browser, site, "/city/library", news_page(NEUTRAL))
    result = analyse(browser, page)
    assert result["state"] == "empty" and result["spans"] == result["marks"] == 0, result
    assert "Nothing found" in panel_text(browser, page, ".status.empty")
    assert panel(browser, page, "li[data-span]") == []
    assert page.locator("propscope-mark").count() == 0
    page.screenshot(path=str(shots / "extension-nothing-found.png"))
    assert errors == []
    page.close()


def test_error_states(browser, site, servers, origin, example_path, shots):
    text = example_path.read_text(encoding="utf-8")
    page, _ = open_page(browser, site, "/world/errors", news_page(text))

    def status_text() -> str:
        return panel_text(browser, page, ".status")

    def expect(kind: str, words: str) -> None:
        result = analyse(browser, page)
        assert result["state"] == "error" and result["kind"] == kind, result
        assert panel(browser, page, ".status")[0]["data"]["kind"] == kind
        assert words in status_text()
        assert page.locator("propscope-mark").count() == 0

    # Nothing listens: "not running", with the command that starts it.
    use_server(browser, f"http://127.0.0.1:{free_port()}")
    expect("unreachable", "not running")
    assert f"propscope serve --allow-extension {origin.split('//')[1]}" in status_text()
    page.screenshot(path=str(shots / "extension-server-down.png"))

    # A server that does not allow the extension: CORS refuses, and the reader is told why.
    use_server(browser, servers("closed"))
    expect("cors", "does not allow this extension")

    # A broken server: its model failed to load (503 with the reason).
    def broken_model():
        raise OSError("weights.safetensors: No such file or directory")

    use_server(browser, servers("broken", allowed_origins=[origin], model_loader=broken_model))
    expect("unavailable", "The server cannot analyse")
    assert "the model failed to load" in status_text()
    assert "No such file or directory" in status_text()
    page.screenshot(path=str(shots / "extension-broken-server.png"))

    # A server with an API key: none or a wrong one is refused, the right one works.
    keyed = servers("keyed", allowed_origins=[origin], api_key="correct horse battery")
    use_server(browser, keyed, key="wrong")
    expect("key", "API key")
    use_server(browser, keyed, key="correct horse battery")
    assert analyse(browser, page)["state"] == "findings"

    # Not an article, and a language without span analysis.
    use_server(browser, servers("allowed", allowed_origins=[origin]))
    short, _ = open_page(
        browser,
        site,
        "/front",
        CHROME.format(title="Front page", main="<main><p>Hello.</p></main>"),
    )
    result = analyse(browser, short)
    assert result["kind"] == "not-article"
    assert "does not look like an article" in panel_text(browser, short, ".status")
    short.close()
    spanish = "El gobierno anuncia un nuevo plan para la vivienda\n" + " ".join(
        [
            "El ministro de vivienda presentó el martes un plan que, según dijo, permitirá "
            "construir miles de viviendas asequibles en los próximos cinco años en las "
            "principales ciudades del país, aunque la oposición criticó la falta de detalles."
        ]
        * 3
    )
    page_es, _ = open_page(browser, site, "/es/vivienda", news_page(spanish))
    result = analyse(browser, page_es)
    assert result["kind"] == "language", result
    assert "This article is in Spanish" in panel_text(browser, page_es, ".status")
    page_es.screenshot(path=str(shots / "extension-language.png"))
    page_es.close()
    page.close()


FRENCH = (
    "Le ministre accuse l'opposition de trahir la nation\n"
    "Le ministre de l'Intérieur a déclaré mardi que l'opposition était une bande de traîtres "
    "corrompus qui veulent détruire notre pays et livrer nos enfants au chaos. « Ces "
    "irresponsables sont les marionnettes de milliardaires étrangers », a-t-il lancé devant "
    "les députés.\n"
    "Selon lui, chaque patriote doit se lever maintenant, avant qu'il ne soit trop tard, pour "
    "défendre la France éternelle contre cette invasion. L'opposition a dénoncé des propos "
    "honteux et a demandé des excuses.\n"
    "Le gouvernement présentera son projet de loi la semaine prochaine. Le texte prévoit de "
    "renforcer les contrôles aux frontières et de créer mille postes de policiers "
    "supplémentaires d'ici à deux ans."
)


def test_french_page(browser, site, servers, origin):
    """Another language the server analyses in spans: highlighted exactly the same way."""
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    page, errors = open_page(browser, site, "/fr/ministre", news_page(FRENCH))
    result = analyse(browser, page)
    analysis = stored(server, result["id"])
    if not analysis["language"]["spans"]:
        pytest.skip("this model has no span analysis for French")
    assert analysis["language"]["code"] == "fr"
    assert result["state"] == "findings", result
    check_highlights(page, result, [dict(s) for s in analysis["spans"]])
    assert errors == []
    page.close()


# Emoji and other characters outside the BMP (two UTF-16 units in the page's JavaScript, one
# code point in the server's offsets), before, between and inside the findings.
ASTRAL = (
    "Breaking \U0001f525\U0001f525\U0001f525 news \U0001f621\n"
    "The corrupt elite will destroy our great nation. \u201cThey are traitors and cowards,\u201d "
    "said John Smith \U0001f44f\U0001f3fd, and the so-called experts are spreading lies and "
    "fear to destroy our country \U0001f1fa\U0001f1f8.\n"
    "\U0001f480 These radical extremists want to flood our country with chaos, the minister "
    "told reporters on Monday \U0001f4f0, adding that the opposition is a puppet of foreign "
    "billionaires \U0001f4b0 and that every patriot must stand up now before it is too late.\n"
    "Critics say the plan \U0001d41b\U0001d428\U0001d425\U0001d41d was drafted in secret and "
    "has never been costed. The ministry did not answer questions about how many officers it "
    "would need or where they would come from, and a parliamentary committee said it had "
    "not been consulted at all \U0001f937."
)


def test_astral_characters_are_counted_as_the_server_counts_them(browser, site, servers, origin):
    """The server's offsets count code points (Python's str indices), the page's JavaScript
    UTF-16 units: every finding is highlighted exactly, before and after emoji."""
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    page, errors = open_page(browser, site, "/world/emoji", news_page(ASTRAL))
    # A lone surrogate a page's script left in the text: sent as U+FFFD, not refused.
    page.evaluate("document.querySelectorAll('article p')[3].append('tail \\ud83d end')")
    result = analyse(browser, page)
    assert result["state"] == "findings", result
    analysis = stored(server, result["id"])
    text = analysis["text"]
    assert text.startswith(ASTRAL.partition("\n")[0] + "\n")
    assert "tail \ufffd end" in text
    spans = [dict(s) for s in analysis["spans"]]
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"]
    astral = [k for k, ch in enumerate(text) if ord(ch) > 0xFFFF]
    assert any(s["start"] > astral[3] for s in spans), "no finding after the emoji"
    assert any(s["end"] < astral[-1] for s in spans), "no finding before an emoji"
    check_highlights(page, result, spans)
    marks = page.evaluate(MARKS_JS)
    # No cut inside a surrogate pair: every mark is whole text.
    assert not any(re.search("[\ud800-\udfff]", m["text"]) for m in marks)
    assert errors == []
    page.close()


def test_long_title_is_cut_by_code_points(browser, site, servers, origin):
    """A title over the server's 1,000 characters is cut to 1,000 code points, never inside
    an emoji's surrogate pair (the server refuses half of one)."""
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    title = "Headline " * 111 + "\U0001f621 and what follows it"
    assert len(title[:1000]) == 1000 and title[999] == "\U0001f621"
    page, errors = open_page(
        browser, site, "/world/long-title", news_page(title + ASTRAL[ASTRAL.index("\n") :])
    )
    result = analyse(browser, page)
    assert result["state"] in ("findings", "empty"), result
    article = stored(server, result["id"], part="")
    assert article["title"] == title[:1000]
    assert errors == []
    page.close()


def test_ptc_article_click_to_highlights_time(
    browser, site, servers, origin, data_dir, model, shots, capsys
):
    """A median-length PTC article (4,210 characters) served as a page: every finding is
    highlighted exactly, and the time from the click to the highlights is logged, next to
    the bare analyze() time of the same text (the server's part, which dominates)."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text

    path = data_dir / "ptc_semeval2020_task11" / "train-articles" / "article724791253.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    server = servers("allowed", allowed_origins=[origin])
    use_server(browser, server)
    warm_up, _ = open_page(browser, site, "/warm-up", news_page(_WARM_UP))
    assert analyse(browser, warm_up)["state"] in ("findings", "empty")  # model warm
    warm_up.close()
    text = path.read_text(encoding="utf-8")
    page, errors = open_page(browser, site, "/opinion/ptc", news_page(text))
    started = time.perf_counter()
    result = analyse(browser, page)
    elapsed = time.perf_counter() - started
    assert result["state"] == "findings", result
    analysis = stored(server, result["id"])
    check_highlights(page, result, [dict(s) for s in analysis["spans"]])
    bare = time.perf_counter()
    analyze(read_text(analysis["text"]), model)
    bare = time.perf_counter() - bare
    timings = result["timings"]
    with capsys.disabled():  # in the log of every run, not only failed ones
        print(
            f"\nextension: click -> highlights {elapsed:.2f} s for {len(analysis['text']):,} "
            f"characters ({result['spans']} findings, {result['marks']} marks): reading the "
            f"page {timings['read'] / 1000:.2f} s, server {timings['server'] / 1000:.2f} s, "
            f"highlighting {timings['show'] / 1000:.2f} s; bare analyze() {bare:.2f} s"
        )
    page.screenshot(path=str(shots / "extension-ptc-article.png"))
    # The extension's own work is small; the server's analysis is the rest (it depends on
    # the machine and its load, so it is logged rather than asserted).
    assert (timings["read"] + timings["show"]) / 1000 < 0.5
    assert elapsed < 30
    assert errors == []
    page.close()


_WARM_UP = (
    "Council approves the new bridge after years of delay\n"
    + "The city council voted on Tuesday to build the bridge, ending a debate that has "
    "divided residents for a decade. Supporters say it will cut commuting times in half, "
    "while critics warn that the cost estimates are wildly optimistic. " * 6
)


def test_options_page_saves_the_server_and_key(browser, unpacked):
    page = browser.new_page()
    page.goto(f"chrome-extension://{unpacked.extension_id}/options.html")
    assert unpacked.extension_id in page.inner_text("#serve")
    page.fill("#server", "ftp://example")
    page.click("button[type=submit]")
    assert "http://" in page.inner_text("#status")
    page.fill("#server", "http://127.0.0.1:9000/")
    page.fill("#key", " k3y ")
    page.click("button[type=submit]")
    page.wait_for_function("document.getElementById('status').textContent === 'Saved.'")
    saved = browser.worker.evaluate("() => chrome.storage.local.get(['serverUrl', 'apiKey'])")
    assert saved == {"serverUrl": "http://127.0.0.1:9000", "apiKey": "k3y"}
    page.close()
