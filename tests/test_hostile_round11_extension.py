"""The browser extension against the eleventh round of hostile pages and servers, in real
headless Chromium with a small fake propscope server (no model): a server that redirects the
article elsewhere, a page that defines the extension's element names or hides its panel and
marks with CSS, text the page rewrites or the user edits under the highlights, SVG and NUL in
the text, marks in a flex row, preformatted and plain-text pages, visibility overridden by a
child, and error states that said the wrong thing (a body that stops coming, a list as an
error's detail, an API key with a line break, a modal dialog over the article).

As in test_extension_hostile.py, pages come from 127.0.0.2 and the server listens on
127.0.0.1; the test copy of the extension has a host permission for the page server in place
of the toolbar click's ``activeTab`` grant, and calls the function the click calls.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from builders import serve_in_thread
from chromium import ARGS, CHROMIUM, require_chromium
from extension_panel import panel, panel_text

require_chromium()
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

PAGES_HOST = "127.0.0.2"
THIEF_HOST = "127.0.0.3"
ROOT = Path(__file__).resolve().parents[1]

FILLER = (
    "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea "
    "commodo consequat, duis aute irure in reprehenderit in voluptate velit esse cillum. "
)


def article(body: str, *, head: str = "", script: str = "") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>t</title>{head}</head>"
        f"<body>{body}<script>{script}</script></body></html>"
    )


STANDARD = (
    "<article><h1>A test article</h1>"
    f"<p>First paragraph: Lorem ipsum at the start. {FILLER}</p>"
    f"<p>Second paragraph: dolor sit amet in the middle. {FILLER}</p>"
    f"<p>Third paragraph: et dolore magna aliqua near the end. {FILLER}</p></article>"
)


def finding(text: str, word: str) -> dict | None:
    start = text.find(word)
    if start < 0:
        return None
    return {
        "start": start,
        "end": start + len(word),
        "text": word,
        "technique": "Loaded_Language",
        "technique_label": "Loaded language",
        "category": "Manipulative wording",
        "confidence": 0.9,
        "voice": "author",
        "speaker": None,
        "explanation": "why",
    }


# --- the fake server, the pages, the browser ----------------------------------------------------


class _Fake(BaseHTTPRequestHandler):
    """A propscope server as the extension sees it: it finds the first use of each of
    ``words`` and refuses text with NUL as the real one does; ``answer(handler, body)``, when
    set, answers the POST instead (returning True when it has)."""

    words: tuple = ("Lorem", "dolor", "magna")
    answer = None
    posts: list = []

    def _cors(self) -> None:
        origin = self.headers.get("Origin") or ""
        if origin.startswith("chrome-extension://"):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Content-Type, X-API-Key")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")

    def json(self, status: int, payload, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self._cors()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(200)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.json(200, {"status": "ok"})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        type(self).posts.append({"body": body, "key": self.headers.get("X-API-Key")})
        if type(self).answer is not None and type(self).answer(self, body):
            return
        for field in ("text", "title"):
            if "\x00" in (body.get(field) or ""):
                detail = f"{field} is not UTF-8 text (it contains NUL characters: binary data?)"
                return self.json(400, {"detail": detail})
        spans = [finding(body["text"], word) for word in self.words]
        spans = [s for s in spans if s]
        self.json(201, {"id": len(self.posts), "spans": spans, "language": {"spans": True}})

    def log_message(self, *args) -> None:
        pass


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, str]] = {}

    def do_GET(self) -> None:  # noqa: N802
        page = self.pages.get(self.path)
        if page is None:
            return self.send_error(404)
        markup, kind = page
        data = markup.encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


class _Thief(BaseHTTPRequestHandler):
    """Where a redirecting server would send the article: it admits any origin."""

    got: list = []

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")

    def do_OPTIONS(self) -> None:  # noqa: N802
        type(self).got.append("OPTIONS")
        self.send_response(200)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        type(self).got.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        data = b'{"id": 9, "spans": [], "language": {"spans": true}}'
        self.send_response(201)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def fake():
    handler = type("Fake", (_Fake,), {"posts": []})
    httpd, handler.url = serve_in_thread(handler, "127.0.0.1")
    yield handler
    httpd.shutdown()


@pytest.fixture(scope="module")
def site():
    handler = type("Pages", (_Pages,), {"pages": {}})
    try:
        httpd, handler.base = serve_in_thread(handler, PAGES_HOST)
    except OSError:
        pytest.skip("loopback 127.0.0.2 is not available")
    yield handler
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, site, fake):
    from propscope.browser_extension import write_extension

    written = write_extension(tmp_path_factory.mktemp("extension"))
    manifest_path = written.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["host_permissions"] = [f"http://{PAGES_HOST}/*"]
    manifest_path.write_text(json.dumps(manifest))
    folder = str(written.folder)
    args = [*ARGS, f"--disable-extensions-except={folder}", f"--load-extension={folder}"]
    with playwright_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=args
        )
        worker = context.service_workers[0] if context.service_workers else None
        context.worker = worker or context.wait_for_event("serviceworker", timeout=15_000)
        yield context
        context.close()


@pytest.fixture(autouse=True)
def fresh(fake, browser):
    """The fake server as it normally is, the extension's options set to it, and the test's
    pages closed after it."""
    fake.words, fake.answer = _Fake.words, None
    fake.posts.clear()
    set_options(browser, fake.url, "")
    yield
    for page in browser.pages:
        page.close()


def set_options(browser, url: str, key: str) -> None:
    browser.worker.evaluate(
        "([url, key]) => chrome.storage.local.set({serverUrl: url, apiKey: key})", [url, key]
    )


def open_page(browser, site, path: str, markup: str, kind: str = "text/html"):
    site.pages[path] = (markup, kind)
    page = browser.new_page()
    page.goto(site.base + path)
    return page


def click_button(browser, page) -> dict:
    """What a click on the toolbar button does for the page's tab; the worker's report."""
    return browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             return analyseFromUser(tab.id);
           }""",
        page.url,
    )


def close_panel(browser, page) -> None:
    """× on the panel (the function its trusted click calls), in the extension's world."""
    browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             await chrome.scripting.executeScript({
               target: { tabId: tab.id }, func: () => globalThis.__propscope.close() });
           }""",
        page.url,
    )


def marks(page, name: str = "propscope-mark") -> list[str]:
    return page.evaluate(f"[...document.querySelectorAll('{name}')].map(m => m.textContent)")


def status_of(browser, page) -> dict:
    found = panel(browser, page, ".status")
    assert found, "no status in the panel"
    return found[0]


# --- 1. a redirect does not take the article elsewhere ------------------------------------------


@pytest.mark.parametrize("code", [307, 308])
def test_a_redirecting_server_does_not_get_the_article_sent_on(browser, site, fake, code):
    thief = type("Thief", (_Thief,), {"got": []})
    httpd, thief_url = serve_in_thread(thief, THIEF_HOST)
    try:

        def redirect(handler, body):
            handler.json(code, {}, {"Location": f"{thief_url}/steal"})
            return True

        fake.answer = redirect
        page = open_page(browser, site, f"/redirect-{code}", article(STANDARD))
        result = click_button(browser, page)
        time.sleep(0.3)
        assert thief.got == [], "the article was sent on to the redirect's target"
    finally:
        httpd.shutdown()
    assert result["state"] == "error" and result["kind"] == "redirect", result
    status = status_of(browser, page)
    assert "redirect" in status["text"] and "options" in status["text"], status["text"]


# --- 2. the page cannot claim the extension's element names -------------------------------------

CUSTOM_ELEMENTS = """
customElements.define("propscope-panel", class extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: "open" }); window.sawPanel = true; }
});
customElements.define("propscope-mark", class extends HTMLElement {
  connectedCallback() { document.body.dataset.markSeen = "yes"; }
});
"""


def test_custom_elements_named_like_the_extensions_do_not_take_it_over(browser, site, fake):
    page = open_page(browser, site, "/custom-elements", article(STANDARD, script=CUSTOM_ELEMENTS))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    names = result["names"]
    assert names["mark"] != "propscope-mark" and names["host"] != "propscope-panel", names
    assert re.fullmatch(r"propscope-mark-[0-9a-f]+", names["mark"]), names
    assert marks(page, names["mark"]) == ["Lorem", "dolor", "magna"]
    assert page.evaluate("document.body.dataset.markSeen") is None  # the page's class never ran
    host = page.evaluate(
        f"""(() => {{ const h = document.querySelector("{names["host"]}");
              return h && [h.shadowRoot === null, h.checkVisibility()]; }})()"""
    )
    assert host == [True, True]  # its own, closed, shown
    # The marks are styled under their new name.
    colour = page.evaluate(
        f"getComputedStyle(document.querySelector('{names['mark']}')).backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour
    close_panel(browser, page)
    assert marks(page, names["mark"]) == []
    assert page.evaluate(f"document.querySelectorAll('{names['host']}').length") == 0


# --- 3. the page's CSS cannot hide the panel or the marks ---------------------------------------

SPOOF_CSS = """<style>
propscope-panel { display: none !important; }
html > * + propscope-panel, propscope-panel:last-child { visibility: hidden !important; }
html body propscope-mark { background: transparent !important; border-bottom: 0 !important;
  --propscope-bg: transparent !important; color: inherit !important; }
</style>"""


def test_page_css_cannot_hide_the_panel_or_the_marks(browser, site, fake):
    page = open_page(browser, site, "/spoof", article(STANDARD, head=SPOOF_CSS))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    seen = page.evaluate(
        """(() => { const h = document.querySelector("propscope-panel");
             const m = getComputedStyle(document.querySelector("propscope-mark"));
             return { host: h.checkVisibility({ visibilityProperty: true }),
                      background: m.backgroundColor, border: m.borderBottomWidth }; })()"""
    )
    assert seen["host"] is True, seen
    assert seen["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), seen
    assert seen["border"] == "2px", seen
    box = panel(browser, page, ".panel")[0]
    assert box["visible"] and box["x"] > 0, box


# --- 4. what the page or the user changed under the highlights stays changed ----------------------

LIVE = (
    "<article><h1>Live blog</h1>"
    f"<p id=live>Lorem ipsum updated just now. {FILLER * 3}</p></article>"
)


def test_text_the_page_rewrites_under_a_highlight_is_not_brought_back(browser, site, fake):
    page = open_page(browser, site, "/live", article(LIVE, script="window.node = live.firstChild;"))
    result = click_button(browser, page)
    assert result["state"] == "findings" and marks(page) == ["Lorem"], result
    new = "Completely new paragraph text from the page script."
    page.evaluate(f"window.node.data = {json.dumps(new)}")
    page.wait_for_timeout(100)  # the extension's observer runs after the page's task
    assert page.evaluate("live.textContent") == new  # at once, not the old text after it
    assert marks(page) == []
    close_panel(browser, page)
    assert page.evaluate("live.textContent") == new
    assert page.evaluate("live.childNodes.length === 1 && live.firstChild === window.node")


def test_text_the_page_removes_under_a_highlight_stays_removed(browser, site, fake):
    page = open_page(browser, site, "/removed", article(STANDARD))
    before = page.evaluate("document.querySelector('article').innerHTML")
    click_button(browser, page)
    assert marks(page) == ["Lorem", "dolor", "magna"]
    # the page takes out the highlighted word "dolor", mark and all
    page.evaluate("document.querySelectorAll('propscope-mark')[1].remove()")
    close_panel(browser, page)
    after = page.evaluate("document.querySelector('article').innerHTML")
    assert after == before.replace("dolor sit amet", " sit amet", 1)
    assert "dolor sit" not in page.evaluate("document.querySelector('article').textContent")


EDITABLE = (
    "<article><h1>Draft in the CMS</h1><div id=ed contenteditable=true>"
    f"<p>The Lorem regime is a disaster. {FILLER * 3}</p></div>"
    f"<p>Published dolor text. {FILLER * 3}</p></article>"
)
AUTOSAVE = "setInterval(() => { window.saved = ed.innerHTML; }, 50);"


def test_an_editable_region_is_neither_read_nor_highlighted(browser, site, fake):
    page = open_page(browser, site, "/editable", article(EDITABLE, script=AUTOSAVE))
    before = page.evaluate("ed.innerHTML")
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    assert "Lorem regime" not in fake.posts[0]["body"]["text"]
    assert marks(page) == ["dolor"]
    page.wait_for_timeout(200)
    assert page.evaluate("window.saved") == before  # the editor saves no marks


# --- 5. SVG and MathML are not article text ------------------------------------------------------

SVG = (
    "<article><h1>Icons in the article</h1><p>The minister spoke about the budget. "
    "<a href='#'><svg viewBox='0 0 10 10' width=12 height=12><title>Share on Facebook</title>"
    f"<path d='M0 0h10v10z'/></svg></a> Lorem {FILLER * 3}</p>"
    "<p>A formula <math><mi>x</mi><mo>=</mo><mn>42</mn></math> here. "
    f"{FILLER * 2}</p><svg width=0 height=0><symbol id=i><title>Close dialog</title></symbol>"
    "<text>Hidden sprite text</text></svg></article>"
)


def test_svg_and_mathml_text_is_not_read(browser, site, fake):
    fake.words = ("Facebook", "sprite", "Close", "Lorem")
    page = open_page(browser, site, "/svg", article(SVG))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["body"]["text"]
    for words in ("Share on Facebook", "Close dialog", "Hidden sprite text", "42"):
        assert words not in sent, words
    assert marks(page) == ["Lorem"]


# --- 6. a NUL in the page's text ------------------------------------------------------------------

NUL = """
const t = document.querySelector("article p").firstChild;
t.data = t.data.replace("paragraph:", "paragraph:\\u0000");
const h = document.querySelector("h1").firstChild;
h.data = h.data.replace("test", "te\\u0000st");
"""


def test_a_nul_in_the_page_is_sent_as_a_replacement_character(browser, site, fake):
    page = open_page(browser, site, "/nul", article(STANDARD, script=NUL))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    body = fake.posts[0]["body"]
    assert "\x00" not in body["text"] and "\x00" not in body["title"]
    assert "First paragraph:\ufffd Lorem" in body["text"]
    assert body["title"] == "A te\ufffdst article"
    assert marks(page) == ["Lorem", "dolor", "magna"] and result["mismatched"] == 0


# --- 7. marks in a flex or grid container do not move its items -----------------------------------

LAYOUT = (
    f"<article><h1>Layout</h1><p>{FILLER * 3}</p>"
    "<div id=flex style='display:flex;gap:12px;width:600px;font:16px/1.2 sans-serif'>"
    "The minister said the plan is a Lorem disaster for all of us<b>!</b></div>"
    "<div id=grid style='display:grid;grid-template-columns:repeat(3,160px);gap:8px'>"
    "Before dolor after<i>x</i>magna end</div>"
    f"<p>{FILLER * 3}</p></article>"
)
GEOMETRY = """(() => Object.fromEntries(["#flex", "#flex b", "#grid", "#grid i"].map((s) => {
  const b = document.querySelector(s).getBoundingClientRect();
  return [s, [b.left, b.top, b.width, b.height]];
})))()"""


def test_marks_in_flex_and_grid_containers_keep_the_layout(browser, site, fake):
    fake.words = ("minister said", "Lorem", "dolor", "magna")
    page = open_page(browser, site, "/layout", article(LAYOUT))
    html = page.evaluate("document.querySelector('article').innerHTML")
    before = page.evaluate(GEOMETRY)
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    assert marks(page) == ["minister said", "Lorem", "dolor", "magna"]
    after = page.evaluate(GEOMETRY)
    # within half a pixel: a mark's edge may change the text's shaping by a fraction of one
    # (a mark as a flex item of its own moved the bold "!" by the gap, 12 px, and the row
    # grew by the mark's padding)
    for box, place in before.items():
        assert all(abs(a - b) <= 0.5 for a, b in zip(place, after[box], strict=True)), (
            box,
            place,
            after[box],
        )
    close_panel(browser, page)
    assert page.evaluate("document.querySelector('article').innerHTML") == html
    assert page.evaluate("document.querySelectorAll('propscope-run').length") == 0


# --- 8. line breaks the page keeps ----------------------------------------------------------------

PRE = (
    "<article><h1>Pre</h1><pre>Line one Lorem\n    indented dolor\n\nafter a blank</pre>"
    "<p style='white-space:pre-line'>first   line\n   second line</p>"
    f"<p>{FILLER * 3} magna</p></article>"
)


def test_preformatted_text_keeps_its_line_breaks(browser, site, fake):
    page = open_page(browser, site, "/pre", article(PRE))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["body"]["text"]
    assert sent.startswith(
        "Pre\nLine one Lorem\n    indented dolor\n\nafter a blank\nfirst line\nsecond line\n"
    ), sent[:120]
    assert marks(page) == ["Lorem", "dolor", "magna"] and result["mismatched"] == 0


def test_a_plain_text_page_keeps_its_title_and_paragraphs(browser, site, fake):
    release = (ROOT / "examples" / "amnesty-pro-armenian-official.txt").read_text("utf-8")
    fake.words = ("Armenia",)
    page = open_page(browser, site, "/release.txt", release, kind="text/plain")
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["body"]["text"]
    lines = [line for line in release.strip().split("\n")]
    assert sent.split("\n") == lines
    assert marks(page) == ["Armenia"]


# --- 9. a visible child of a hidden parent --------------------------------------------------------

VISIBILITY = (
    "<article><h1>Visibility</h1><div style='visibility:hidden'>HIDDENPARENT "
    f"<p style='visibility:visible'>Visible child Lorem here. {FILLER * 2}</p></div>"
    f"<p>Other dolor. {FILLER * 2}</p></article>"
)


def test_a_visible_child_of_a_hidden_parent_is_read(browser, site, fake):
    page = open_page(browser, site, "/visibility", article(VISIBILITY))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["body"]["text"]
    assert "Visible child Lorem here." in sent and "HIDDENPARENT" not in sent
    assert marks(page) == ["Lorem", "dolor"]


# --- 10. error states that say what happened ------------------------------------------------------


def test_an_answer_that_stops_coming_is_a_timeout(browser, site, fake):
    def slow(handler, body):
        handler.send_response(201)
        handler._cors()
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b'{"id": 1, "spans": [')
        handler.wfile.flush()
        time.sleep(4)
        return True

    fake.answer = slow
    browser.worker.evaluate("() => { TIMEOUTS.answerMs = 1500; }")
    try:
        page = open_page(browser, site, "/slow", article(STANDARD))
        result = click_button(browser, page)
    finally:
        browser.worker.evaluate("() => { TIMEOUTS.answerMs = 120000; }")
    assert result["state"] == "error" and result["kind"] == "timeout", result
    text = status_of(browser, page)["text"]
    assert "did not answer" in text and "not a propscope server" not in text, text


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        (
            [
                {"type": "missing", "loc": ["body", "text"], "msg": "Field required"},
                {"type": "string_type", "loc": ["body", "title"], "msg": "Input should be text"},
            ],
            "text: Field required; title: Input should be text",
        ),
        ({"error": "overloaded", "retry": 5}, '{"error":"overloaded","retry":5}'),
    ],
)
def test_an_error_detail_that_is_not_a_string_is_shown_readably(browser, site, fake, detail, shown):
    fake.answer = lambda handler, body: handler.json(422, {"detail": detail}) or True
    page = open_page(browser, site, "/detail", article(STANDARD))
    result = click_button(browser, page)
    assert result["state"] == "error" and result["status"] == 422, result
    text = status_of(browser, page)["text"]
    assert shown in text and "[object Object]" not in text, text


def test_an_api_key_a_header_cannot_carry_is_refused_with_a_clear_message(browser, site, fake):
    ext = browser.worker.evaluate("chrome.runtime.id")
    options = browser.new_page()
    options.goto(f"chrome-extension://{ext}/options.html")
    options.wait_for_function("document.getElementById('server').value !== ''")
    options.fill("#key", "abc\u2013def")  # a typographic dash, pasted with the key
    options.click("button[type=submit]")
    options.wait_for_function("document.getElementById('status').textContent !== ''")
    assert "U+2013" in options.text_content("#status"), options.text_content("#status")
    assert browser.worker.evaluate("chrome.storage.local.get('apiKey')").get("apiKey") == ""
    options.close()
    # a key with a line break, stored before the options page refused such keys
    set_options(browser, fake.url, "abc\ndef")
    page = open_page(browser, site, "/key", article(STANDARD))
    result = click_button(browser, page)
    assert result["state"] == "error" and result["kind"] == "key", result
    assert "line break" in status_of(browser, page)["text"]
    assert fake.posts == []


MODAL = (
    f"<div id=app aria-hidden=true>{STANDARD}</div>"
    "<div role=dialog aria-modal=true style='position:fixed;bottom:0;left:0;right:0'>"
    "<p>We and our 842 partners use cookies to store information on your device.</p>"
    "<button>Accept</button></div>"
)


def test_an_article_behind_a_modal_dialog_is_said_to_be_so(browser, site, fake):
    page = open_page(browser, site, "/modal", article(MODAL))
    result = click_button(browser, page)
    assert result["state"] == "error" and result["kind"] == "dialog", result
    text = panel_text(browser, page, ".status")
    assert "Close the dialog" in text and "Open the article itself" not in text, text
    assert fake.posts == []


def test_the_docs_say_what_a_refused_preflight_carries():
    """Another origin's refused preflight carries the allowed methods and headers but no
    Access-Control-Allow-Origin: the docs say so rather than "no CORS headers"."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from propscope.web.cors import add_extension_cors

    app = FastAPI()
    add_extension_cors(app, ["chrome-extension://" + "m" * 32])
    refused = TestClient(app).options(
        "/api/v1/analyze",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in refused.headers
    carried = {h for h in refused.headers if h.startswith("access-control-")}
    docs = " ".join((ROOT / "docs" / "extension.md").read_text("utf-8").split())
    assert "gets no CORS headers and a refused preflight" not in docs
    if carried:
        assert "no `Access-Control-Allow-Origin`" in docs
        assert "allowed methods and headers" in docs and "Access-Control-Max-Age" in docs


DECORATIVE = (
    "<article><h1>Our shop</h1><p>Opening hours and where to find us.</p></article>"
    "<div class=carousel aria-hidden=true>" + " ".join(f"Slide{i}" for i in range(100)) + "</div>"
)


def test_a_short_page_with_a_decorative_hidden_block_and_no_dialog_is_not_an_article(
    browser, site, fake
):
    """Visible aria-hidden text (carousel clones, a decorative block) with no open dialog is
    no sign of a dialog: the short page is "not an article", not "hidden behind a dialog"."""
    page = open_page(browser, site, "/decorative", article(DECORATIVE))
    result = click_button(browser, page)
    assert result["state"] == "error" and result["kind"] == "not-article", result
    text = panel_text(browser, page, ".status")
    assert "does not look like an article" in text and "Close the dialog" not in text, text
    assert fake.posts == []
