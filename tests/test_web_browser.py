"""End to end in real headless Chromium (Debian's package) against uvicorn on loopback.

Paste the bundled example, submit, see the highlights, hover one and read its explanation,
use the keyboard, open the dashboard, and check that no request leaves the server. The
screenshots are written to the test's tmp folder (PROPSCOPE_SCREENSHOTS names another one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from builders import start_uvicorn, stop_uvicorn
from chromium import ARGS, CHROMIUM, require_chromium

require_chromium()
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")


@pytest.fixture(scope="module")
def server(model, tmp_path_factory):
    """uvicorn serving the real app on a free loopback port, in a thread."""

    from propscope.web import create_app

    db = tmp_path_factory.mktemp("web") / "browser.db"
    app = create_app(db_url=str(db), model_loader=lambda: model)
    instance, thread, port = start_uvicorn(app, log_level="warning")
    assert app.state.models.wait(60)
    yield f"http://127.0.0.1:{port}"
    stop_uvicorn(instance, thread)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("PROPSCOPE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _watch(page, base: str) -> tuple[list[str], list[str]]:
    """Record requests that leave the server and console errors (CSP violations among them)."""
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:")) else outside.append(r.url),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return outside, errors


def test_paste_submit_hover_and_dashboard(server, browser, example_path, shots):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside, errors = _watch(page, server)

    page.goto(server + "/")
    page.get_by_label("Article text").fill(example_path.read_text(encoding="utf-8"))
    page.get_by_text("Optional details for the library").click()
    page.get_by_label("Source or outlet").fill("trend.az")
    page.get_by_label("Published on").fill("2020-10-05")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url(re.compile(r".*/articles/\d+$"), timeout=60_000)
    assert "Amnesty International shows once again" in page.locator("h1#doc-title").inner_text()

    marks = page.locator(".doc mark.hl")
    assert marks.count() > 0
    first = page.locator(".doc mark.hl[data-first]").first
    first.scroll_into_view_if_needed()
    first.hover()
    card = page.locator("#pc-card")
    card.wait_for(state="visible", timeout=5_000)
    article_id = int(page.url.rsplit("/", 1)[1])
    analysis = context.request.get(f"{server}/api/v1/articles/{article_id}").json()["analysis"]
    span = analysis["spans"][int(first.get_attribute("data-first").split()[0])]
    text = card.inner_text()
    assert span["technique_label"] in text
    assert span["explanation"] in text
    assert "Who says it" in text and "confidence" in text
    page.screenshot(path=str(shots / "article-hover.png"))

    # Keyboard: Escape closes, focus and Enter open the details card.
    page.keyboard.press("Escape")
    page.mouse.move(0, 0)
    card.wait_for(state="hidden", timeout=5_000)
    first.focus()
    page.keyboard.press("Enter")
    card.wait_for(state="visible", timeout=5_000)
    assert page.evaluate("document.activeElement.id") == "pc-card"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=5_000)

    # The side panel's category filter turns that category's highlights off.
    category = span["category"]
    box = page.locator(".legend label", has_text=category).locator("input")
    box.uncheck()
    assert page.locator(".doc mark.hl:not(.off)").count() < marks.count()
    box.check()

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(server + "/dashboard")
    assert page.locator("svg.wide-chart").count() >= 1
    assert "By category and technique" in page.locator("main").inner_text()
    assert page.locator("svg.wide-chart rect[fill]").count() > 3
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)

    page.get_by_role("link", name="Library").click()
    assert page.locator("table.library tbody tr").count() == 1
    page.screenshot(path=str(shots / "library.png"))

    assert outside == [], f"requests left the server: {outside}"
    assert errors == [], f"errors in the browser console: {errors}"
    context.close()


def test_readable_on_a_phone(server, browser, example_path, shots):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    outside, errors = _watch(page, server)
    response = context.request.post(
        f"{server}/api/v1/analyze", data={"text": example_path.read_text(encoding="utf-8")}
    )
    assert response.status in (200, 201)
    article_id = response.json()["id"]
    for path in ("/", f"/articles/{article_id}", "/library", "/dashboard"):
        page.goto(server + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways on a phone ({overflow}px)"
    page.goto(f"{server}/articles/{article_id}")
    page.locator(".doc mark.hl[data-first]").first.tap()
    page.locator("#pc-card").wait_for(state="visible", timeout=5_000)
    page.screenshot(path=str(shots / "phone-article.png"))
    assert outside == [] and errors == []
    context.close()
