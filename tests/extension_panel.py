"""The extension's panel in the browser tests. Its shadow root is closed, so neither the page
nor Playwright's selectors can reach it: these helpers read it in the extension's isolated
world (``chrome.dom.openOrClosedShadowRoot``, injected through the service worker) and click
its controls with the real mouse at their place on the screen (trusted events, as a user's)."""

from __future__ import annotations

import time

_QUERY = """async ([url, selector, reveal]) => {
  const [tab] = await chrome.tabs.query({ url });
  const [answer] = await chrome.scripting.executeScript({
    target: { tabId: tab.id },
    args: [selector, reveal],
    func: (selector, reveal) => {
      const host = document.querySelector("propscope-panel");
      const root = host && chrome.dom.openOrClosedShadowRoot(host);
      if (!root) return null;
      return [...root.querySelectorAll(selector)].map((e, k) => {
        if (reveal === k) e.scrollIntoView({ block: "center" });
        const box = e.getBoundingClientRect();
        return {
          text: e.innerText,
          visible: e.checkVisibility(),
          data: { ...e.dataset },
          className: e.className,
          checked: e.checked === undefined ? null : e.checked,
          x: box.left + box.width / 2,
          y: box.top + box.height / 2,
        };
      });
    },
  });
  return answer.result;
}"""


def panel(browser, page, selector: str, reveal: int | None = None) -> list[dict] | None:
    """The panel's elements matching ``selector`` (text, visibility, data-*, checked, centre on
    the screen), or None when the page has no panel. ``reveal``: scroll that one into view."""
    return browser.worker.evaluate(_QUERY, [page.url, selector, reveal])


def panel_text(browser, page, selector: str) -> str:
    found = panel(browser, page, selector)
    assert found, f"no {selector} in the panel"
    return found[0]["text"]


def panel_click(browser, page, selector: str, nth: int = 0) -> None:
    """A user's click (a real mouse event) on the ``nth`` element matching ``selector``."""
    found = panel(browser, page, selector, reveal=nth)
    assert found and len(found) > nth, f"no {selector} #{nth} in the panel"
    page.mouse.click(found[nth]["x"], found[nth]["y"])


def wait_panel(browser, page, check, timeout: float = 30.0, what: str = "the panel") -> None:
    """Poll until ``check(browser, page)`` is true."""
    deadline = time.monotonic() + timeout
    while not check(browser, page):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def panel_state(browser, page) -> str | None:
    found = panel(browser, page, ".panel")
    return found[0]["data"].get("state") if found else None
