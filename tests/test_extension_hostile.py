"""The browser extension against hostile and awkward pages, in real headless Chromium, with a
small fake propscope server (no model, so it is quick): a page that tries to read and drive
the panel, a page that changes its text while the server analyses, text a page hides, pages
whose reading was quadratic, and servers that refuse in ways the panel must explain.

As in test_extension_browser.py, the pages are served from 127.0.0.2 and the server listens
on 127.0.0.1; the test copy of the extension has a host permission for the page server in
place of the toolbar click's ``activeTab`` grant, and calls the function the click calls.
"""

from __future__ import annotations

import json
import socket
import tempfile
import time
from http.server import BaseHTTPRequestHandler

import pytest
from builders import serve_in_thread
from chromium import ARGS, CHROMIUM, require_chromium
from extension_panel import panel, panel_click, panel_text, wait_panel

require_chromium()
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

PAGES_HOST = "127.0.0.2"
WORDS = ("Lorem", "dolor", "magna")  # the fake server's findings: first use of each word

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


# --- the fake server and the pages -----------------------------------------------------------


class _Fake(BaseHTTPRequestHandler):
    """A propscope server as the extension sees it. ``mode``: normal; host-preflight (every
    request refused by the Host check, readable by the extension); host-post (the preflight
    passes, the POST is refused by the Host check); drop-post (the server admits the extension
    but the POST's connection breaks). ``delay``: seconds before answering a POST."""

    mode = "normal"
    delay = 0.0
    posts: list = []

    def _cors(self) -> None:
        origin = self.headers.get("Origin") or ""
        if origin.startswith("chrome-extension://"):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Content-Type, X-API-Key")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _host_refusal(self) -> None:
        host = self.headers.get("Host")
        detail = (
            f"this server does not answer to the host name '{host}'; its operator can allow "
            "it with --allowed-host"
        )
        self._json(400, {"detail": detail})

    def do_OPTIONS(self) -> None:  # noqa: N802
        if self.mode == "host-preflight":
            return self._host_refusal()
        self.send_response(200)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if self.mode == "host-preflight":
            return self._host_refusal()
        self._json(200, {"status": "ok"})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        type(self).posts.append({"body": body, "key": self.headers.get("X-API-Key")})
        if self.mode.startswith("host"):
            return self._host_refusal()
        if self.mode == "drop-post":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        time.sleep(self.delay)
        text = body["text"]
        spans = []
        for word in WORDS:
            start = text.find(word)
            if start >= 0:
                spans.append(
                    {
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
                )
        self._json(201, {"id": len(self.posts), "spans": spans, "language": {"spans": True}})

    def log_message(self, *args) -> None:
        pass


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802
        page = self.pages.get(self.path)
        if page is None:
            return self.send_error(404)
        data = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
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


@pytest.fixture(autouse=True)
def fresh(fake, browser):
    """A normal fake server with no posts yet; the test's pages closed after it (a hostile
    page left open would go on posting into the next test)."""
    fake.mode, fake.delay = "normal", 0.0
    fake.posts.clear()
    yield
    for page in browser.pages:
        page.close()


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
        context.worker.evaluate(
            "(url) => chrome.storage.local.set({serverUrl: url, apiKey: 'SECRET'})", fake.url
        )
        yield context
        context.close()


def open_page(browser, site, path: str, markup: str):
    site.pages[path] = markup
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


def in_content(browser, page, what: str):
    """Run one of a few fixed scripts in the extension's isolated world of the page (its
    content script's world; MV3 allows no eval there, so they are written out here)."""
    return browser.worker.evaluate(
        """async ([url, what]) => {
             const [tab] = await chrome.tabs.query({ url });
             const [answer] = await chrome.scripting.executeScript({
               target: { tabId: tab.id },
               args: [what],
               func: async (what) => {
                 const host = document.querySelector("propscope-panel");
                 const root = host && chrome.dom.openOrClosedShadowRoot(host);
                 if (what === "script-click-again") {
                   root.querySelector("button.again").click();  // isTrusted false
                   return true;
                 }
                 if (what === "script-click-close") {
                   root.querySelector("button.close").click();
                   return true;
                 }
                 if (what === "message") {
                   return await chrome.runtime.sendMessage(
                     { type: "propscope:analyse", trusted: true });
                 }
                 if (what === "break-split") {  // the 3rd text split fails
                   let n = 0;
                   const split = Text.prototype.splitText;
                   Text.prototype.splitText = function (k) {
                     if (++n === 3) throw new Error("split failed");
                     return split.call(this, k);
                   };
                   return true;
                 }
                 if (what === "count-text-reads") {  // reads of the boxes' textContent
                   const own = Object.getOwnPropertyDescriptor(Node.prototype, "textContent");
                   globalThis.textReads = 0;
                   Object.defineProperty(Node.prototype, "textContent", {
                     ...own,
                     get() {
                       if (this.classList && this.classList.contains("has-sidebar")) {
                         globalThis.textReads++;
                       }
                       return own.get.call(this);
                     },
                   });
                   globalThis.ownTextContent = own;
                   return true;
                 }
                 if (what === "text-reads") {
                   Object.defineProperty(Node.prototype, "textContent", globalThis.ownTextContent);
                   return globalThis.textReads;
                 }
                 if (what === "mend-split") {
                   delete Text.prototype.splitText;
                   return true;
                 }
               },
             });
             return answer.result;
           }""",
        [page.url, what],
    )


def marks(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('propscope-mark')].map(m => m.textContent)")


# --- 1. a hostile page cannot read or drive the panel ------------------------------------------

# The page looks for the panel, reads what it can and clicks ↻ after rewriting its headline.
SNOOP = """
setInterval(() => {
  const host = document.querySelector("propscope-panel");
  if (!host) return;
  document.body.dataset.sawHost = "yes";
  const root = host.shadowRoot;
  document.body.dataset.shadow = root ? "open" : "closed";
  if (root) {
    document.body.dataset.meta = (root.querySelector(".meta") || {}).textContent || "";
    document.querySelector("h1").textContent = "Injected by the page Lorem ipsum";
    root.querySelector("button.again").click();
  }
  host.dispatchEvent(new MouseEvent("click", { bubbles: true }));
}, 100);
"""


def test_page_cannot_read_or_drive_the_panel(browser, site, fake):
    page = open_page(browser, site, "/hostile", article(STANDARD, script=SNOOP))
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    assert len(fake.posts) == 1 and fake.posts[0]["key"] == "SECRET"
    page.wait_for_function("document.body.dataset.sawHost === 'yes'")
    page.wait_for_timeout(600)
    # The shadow root is closed: the page sees no panel content, and cannot click ↻.
    assert page.evaluate("document.body.dataset.shadow") == "closed"
    assert page.evaluate("document.body.dataset.meta") is None
    assert len(fake.posts) == 1
    assert "Injected" not in fake.posts[0]["body"]["text"]

    # A script's click() on ↻ or × (isTrusted false), even from inside the panel's world,
    # does nothing; the panel stays.
    browser.worker.evaluate("() => { REPEAT_LIMITS.gapMs = 0; }")
    try:
        in_content(browser, page, "script-click-again")
        in_content(browser, page, "script-click-close")
        page.wait_for_timeout(500)
        assert len(fake.posts) == 1
        assert page.locator("propscope-panel").count() == 1

        # The user's own click on ↻ analyses again.
        panel_click(browser, page, "button.again")
        wait_panel(browser, page, lambda b, p: len(fake.posts) == 2, what="the second post")

        # The worker refuses a request from a page where the user never clicked the button.
        other = open_page(browser, site, "/hostile-other", article(STANDARD))
        browser.worker.evaluate(
            """async (url) => {
                 const [tab] = await chrome.tabs.query({ url });
                 await chrome.scripting.executeScript({
                   target: { tabId: tab.id }, files: ["categories.js", "content.js"] });
               }""",
            other.url,
        )
        answer = in_content(browser, other, "message")
        assert answer["state"] == "refused" and answer["reason"] == "not-started", answer
        other.close()

        # ... and one past the limit of repeats, telling the user what to do.
        wait_panel(browser, page, lambda b, p: in_content(b, p, "message") is not None)
        posts = len(fake.posts)
        browser.worker.evaluate("() => { REPEAT_LIMITS.repeats = 0; }")
        answer = in_content(browser, page, "message")
        assert answer["reason"] == "limit" and "toolbar" in answer["message"], answer
        assert len(fake.posts) == posts
    finally:
        browser.worker.evaluate("() => { REPEAT_LIMITS.gapMs = 1000; REPEAT_LIMITS.repeats = 20; }")
    # One at a time, and not again at once.
    fake.delay = 1.0
    first = browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             const running = analyseFromUser(tab.id);
             await new Promise((r) => setTimeout(r, 200));
             const again = await analyseFromPanel(tab.id, null);
             return [again, (await running).state];
           }""",
        page.url,
    )
    assert first[0]["reason"] == "busy" and first[1] == "findings", first
    too_soon = browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             return analyseFromPanel(tab.id, null);
           }""",
        page.url,
    )
    assert too_soon["reason"] == "too-soon", too_soon
    page.close()


# --- 2. the page changes while the server analyses ---------------------------------------------

# When the panel appears (the text has been read), the page rewrites its first paragraph.
MUTATE = """
new MutationObserver((records, observer) => {
  if (!document.querySelector("propscope-panel")) return;
  observer.disconnect();
  setTimeout(() => {
    document.querySelector("article p").firstChild.data = "Short.";
    document.body.dataset.mutated = "yes";
  }, 100);
}).observe(document.documentElement, { childList: true });
"""


def test_text_changed_during_analysis_is_not_marked_and_is_reported(browser, site, fake):
    fake.delay = 0.8
    page = open_page(browser, site, "/mutate", article(STANDARD, script=MUTATE))
    result = click_button(browser, page)
    assert page.evaluate("document.body.dataset.mutated") == "yes"
    assert result["state"] == "findings", result
    assert result["spans"] == 3 and result["mismatched"] == 1, result
    assert marks(page) == ["dolor", "magna"]  # "Lorem" was in the rewritten paragraph
    notice = panel_text(browser, page, ".notice")
    assert "1 of 3 findings could not be highlighted" in notice and "changed" in notice
    items = panel(browser, page, "li[data-span]")
    assert ["absent" in i["className"] for i in items] == [True, False, False]
    panel_click(browser, page, "button.close")
    assert marks(page) == [] and page.locator("propscope-panel").count() == 0
    assert page.evaluate(
        "[...document.querySelectorAll('article p')].every(p => p.childNodes.length === 1)"
    )
    page.close()


def test_a_failure_while_highlighting_leaves_the_page_as_it_was(browser, site, fake):
    page = open_page(browser, site, "/split-fails", article(STANDARD))
    before = page.evaluate("document.querySelector('article').innerHTML")
    nodes = "window.nodes = [...document.querySelectorAll('article p')].map(p => p.firstChild)"
    page.evaluate(nodes)
    in_content(browser, page, "break-split")
    try:
        result = click_button(browser, page)
    finally:
        in_content(browser, page, "mend-split")
    assert result["state"] == "error" and result["kind"] == "internal", result
    assert "split failed" in result["message"]
    assert marks(page) == []
    assert page.evaluate("document.querySelector('article').innerHTML") == before
    assert page.evaluate(
        "window.nodes.every((n, k) => n === document.querySelectorAll('article p')[k].firstChild)"
    )
    status = panel_text(browser, page, ".status")
    assert "propscope failed on this page" in status and "Cannot read properties" not in status
    page.close()


# --- 4. servers that refuse: what the panel says ------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "kind", "words"),
    [
        ("host-preflight", "host", "--allowed-host 127.0.0.1"),
        ("host-post", "host", "--allowed-host 127.0.0.1"),
        ("drop-post", "network", "sending the article failed"),
    ],
)
def test_server_refusals_are_told_apart(browser, site, fake, mode, kind, words):
    fake.mode = mode
    page = open_page(browser, site, f"/refusal-{mode}", article(STANDARD))
    result = click_button(browser, page)
    assert result["state"] == "error" and result["kind"] == kind, result
    status = panel(browser, page, ".status")[0]
    assert status["data"]["kind"] == kind
    assert words in status["text"], status["text"]
    assert "does not allow this extension" not in status["text"]
    page.close()


# --- 5. reading is linear in the page's size ------------------------------------------------


def test_paragraphs_inside_boxes_named_like_furniture_are_read_in_linear_time(browser, site, fake):
    """Each paragraph asks whether its ancestors are furniture, and that measures the whole
    box: asked once per box and reading, not once per paragraph (1,000 paragraphs in three
    such boxes took 11 s to read)."""
    paragraph = f"<p>Paragraph Lorem dolor magna. {FILLER * 3}</p>"
    body = (
        "<article><h1>Long</h1><div class='story-body has-sidebar'>"
        "<div class='comments-wrap has-sidebar'><div id='main-sidebar' class='has-sidebar'>"
        + paragraph * 1000
        + "</div></div></div></article>"
    )
    page = open_page(browser, site, "/furniture", article(body))
    in_content(browser, page, "count-text-reads")
    try:
        result = click_button(browser, page)
    finally:
        reads = in_content(browser, page, "text-reads")
    assert result["state"] == "findings", result
    assert fake.posts[0]["body"]["text"].count("Paragraph Lorem") == 1000
    assert reads <= 3, f"the boxes' text was measured {reads} times"
    print(f"read 1,000 paragraphs in {result['timings']['read'] / 1000:.2f} s")
    page.close()


# --- 6. text the page does not show is not read ------------------------------------------------

HIDDEN = f"""
<article><h1>Hidden parts</h1>
<p>Shown paragraph one: Lorem ipsum. {FILLER}</p>
<details><summary>SUMMARYSHOWN</summary><p>DETAILSHIDDEN text. {FILLER}</p>DETAILSTEXT</details>
<details open><summary>OPENSUMMARY</summary><p>OPENDETAILS text.</p></details>
<div id="open-host"><p slot="shown">SLOTTEDOPEN text.</p><p>LIGHTOPEN text.</p>LIGHTTEXT</div>
<div id="closed-host"><p slot="shown">SLOTTEDCLOSED text.</p><p>LIGHTCLOSED text.</p></div>
<div id="default-slot"><p>DEFAULTSLOT text.</p></div>
<p>Shown paragraph two: dolor sit amet, et dolore magna. {FILLER}</p>
</article>
"""

SHADOWS = """
for (const [id, mode, inner] of [
  ["open-host", "open", '<slot name="shown"></slot>'],
  ["closed-host", "closed", '<b>SHADOWTEXT</b><slot name="shown"></slot>'],
  ["default-slot", "open", "<slot></slot>"],
]) {
  document.getElementById(id).attachShadow({ mode }).innerHTML = inner;
}
"""


def test_closed_details_and_unslotted_children_are_not_read(browser, site, fake):
    page = open_page(browser, site, "/hidden", article(HIDDEN, script=SHADOWS))
    shown = page.evaluate("document.body.innerText")
    assert "DETAILSHIDDEN" not in shown and "LIGHTOPEN" not in shown  # the browser hides them
    result = click_button(browser, page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["body"]["text"]
    for word in ("SUMMARYSHOWN", "OPENSUMMARY", "OPENDETAILS", "SLOTTEDOPEN", "SLOTTEDCLOSED"):
        assert word in sent, word
    for word in ("DETAILSHIDDEN", "DETAILSTEXT", "LIGHTOPEN", "LIGHTTEXT", "LIGHTCLOSED"):
        assert word not in sent, word
    assert "DEFAULTSLOT" in sent
    assert result["mismatched"] == 0 and marks(page) == list(WORDS)
    page.close()
