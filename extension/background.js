/* propscope service worker: on the toolbar button (or Alt+Shift+P) it reads the page's main
   text through content.js, posts it to the user's own propscope server and hands the findings
   back to the page. It talks to that server only; the page's text goes nowhere else. */
"use strict";

// Chromium runs this file as a service worker; Firefox as an event page listing categories.js
// before it in the manifest (background.scripts), where importScripts does not exist.
if (typeof importScripts === "function") importScripts("categories.js");

const DEFAULTS = { serverUrl: "http://127.0.0.1:8000", apiKey: "" };
const TIMEOUT_MS = 120_000;

/** Highlight rules for the page, built from the report colours (inserted with insertCSS, so a
    page's Content-Security-Policy does not block them). */
const HIGHLIGHT_CSS = `
propscope-mark {
  all: unset;
  color: ${globalThis.PROPSCOPE_TEXT_COLOUR} !important;
  background: var(--propscope-bg) !important;
  border-bottom: 2px solid var(--propscope-bd) !important;
  padding: 0.12em 0 !important;
  -webkit-box-decoration-break: clone;
  box-decoration-break: clone;
  cursor: default;
}
propscope-mark[data-voice="quoted"] { border-bottom-style: dashed !important; }
propscope-mark[data-voice="reported"] { border-bottom-style: dotted !important; }
propscope-mark.off {
  background: none !important; border-bottom: 0 !important; padding: 0 !important;
  color: inherit !important;
}
propscope-mark.flash { outline: 3px solid rgba(11, 87, 208, 0.7) !important; }
`;

/** The first `max` characters of `text` as the server counts them (code points, as Python
    does; an emoji is two units of a JavaScript string): never half of a surrogate pair. */
function clip(text, max) {
  if (text.length <= max) return text;
  let units = 0;
  for (let k = 0; k < max && units < text.length; k++) {
    units += text.codePointAt(units) > 0xffff ? 2 : 1;
  }
  return text.slice(0, units);
}

async function settings() {
  const stored = await chrome.storage.local.get(["serverUrl", "apiKey"]);
  return {
    serverUrl: (stored.serverUrl || DEFAULTS.serverUrl).replace(/\/+$/, ""),
    apiKey: stored.apiKey || "",
  };
}

/** Run one of content.js's functions in the tab and return its result. */
async function call(tabId, name, ...args) {
  const [result] = await chrome.scripting.executeScript({
    target: { tabId },
    func: (fn, fnArgs) => globalThis.__propscope[fn](...fnArgs),
    args: [name, args],
  });
  return result.result;
}

async function reachable(serverUrl) {
  try {
    await fetch(`${serverUrl}/healthz`, { mode: "no-cors", cache: "no-store" });
    return true;
  } catch {
    return false;
  }
}

function serveCommand() {
  return `propscope serve --allow-extension ${chrome.runtime.id}`;
}

/** The error state for a failed request: what went wrong and what the reader can do. */
async function explain(response, serverUrl) {
  let detail = "";
  try {
    detail = (await response.json()).detail || "";
  } catch {
    detail = response.statusText;
  }
  const status = response.status;
  if (status === 401) {
    return ["key", "API key missing or wrong", "The server requires an API key: set it in the extension's options."];
  }
  if (status === 403) {
    return ["forbidden", "The server refused this extension", `${detail} Start the server with \`${serveCommand()}\`.`];
  }
  if (status === 400 && /language|propscope analyses/i.test(detail)) {
    // the API's advice to send "language" is for API callers: the extension has no such choice
    const shown = detail.replace(/^text is/, "This article is").replace(/: give "language".*$/, ".");
    return ["language", "Language not supported", shown];
  }
  if (status === 413) return ["too-large", "The article is too long for this server", detail];
  if (status === 503) {
    const title = /failed/i.test(detail) ? "The server cannot analyse" : "The server is not ready";
    return ["unavailable", title, detail];
  }
  return ["server", `The server answered ${status}`, `${detail} (${serverUrl})`];
}

/** Analyse the page in a tab: read, post, highlight. Returns what happened (tests read it). */
async function analyseTab(tabId) {
  const started = performance.now();
  try {
    await chrome.scripting.insertCSS({ target: { tabId }, css: HIGHLIGHT_CSS });
    await chrome.scripting.executeScript({
      target: { tabId },
      files: ["categories.js", "content.js"],
    });
  } catch (error) {
    await chrome.action.setBadgeBackgroundColor({ tabId, color: "#B3261E" });
    await chrome.action.setBadgeText({ tabId, text: "!" });
    await chrome.action.setTitle({ tabId, title: `propscope cannot read this page: ${error.message}` });
    return { state: "error", kind: "page", message: error.message };
  }
  await chrome.action.setBadgeText({ tabId, text: "" });
  const page = await call(tabId, "begin");
  const read = performance.now();
  if (page.words < page.minWords) {
    const kind = await call(
      tabId,
      "error",
      "not-article",
      "This page does not look like an article",
      `Its main text has ${page.words} word${page.words === 1 ? "" : "s"}; propscope needs at least ${page.minWords}. Open the article itself, not a front page or a list.`,
    );
    return { state: "error", kind };
  }
  const { serverUrl, apiKey } = await settings();
  const headers = { "Content-Type": "application/json" };
  if (apiKey) headers["X-API-Key"] = apiKey;
  const body = {
    text: page.text,
    title: clip(page.title, 1000) || null,
    source: clip(page.host, 255) || null,
    page_url: /^https?:\/\/\S+$/.test(page.url) && page.url.length <= 2000 ? page.url : null,
  };
  let response;
  try {
    response = await fetch(`${serverUrl}/api/v1/analyze`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const up = error.name !== "TimeoutError" && (await reachable(serverUrl));
    const [kind, title, detail] =
      error.name === "TimeoutError"
        ? ["timeout", "The server did not answer", `No answer from ${serverUrl} in ${TIMEOUT_MS / 1000} s.`]
        : up
          ? ["cors", "The server does not allow this extension", `It runs at ${serverUrl} but refuses requests from this extension. Restart it with \`${serveCommand()}\`.`]
          : ["unreachable", "The propscope server is not running", `Nothing answers at ${serverUrl}. Start it with \`${serveCommand()}\`, or set its address in the extension's options.`];
    await call(tabId, "error", kind, title, detail);
    return { state: "error", kind };
  }
  if (!response.ok) {
    const [kind, title, detail] = await explain(response, serverUrl);
    await call(tabId, "error", kind, title, detail);
    return { state: "error", kind, status: response.status };
  }
  let analysis = null;
  try {
    analysis = await response.json();
  } catch {
    // not JSON: handled below
  }
  const answered = performance.now();
  if (!analysis || !Array.isArray(analysis.spans)) {
    await call(
      tabId,
      "error",
      "not-propscope",
      "This is not a propscope server",
      `${serverUrl} answered, but not with an analysis. Check the server's address in the extension's options.`,
    );
    return { state: "error", kind: "not-propscope" };
  }
  if (analysis.language && !analysis.language.spans) {
    const name = analysis.language.name || analysis.language.code;
    await call(
      tabId,
      "error",
      "language",
      "Language not supported for highlights",
      `This article is in ${name}; propscope has no span-level analysis for it (the article's page on the server shows what it found per paragraph).`,
    );
    return { state: "error", kind: "language", id: analysis.id };
  }
  const slim = { spans: analysis.spans };
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const meta = `${page.words.toLocaleString("en")} words · analysed in ${seconds} s by ${serverUrl} · article ${analysis.id} in its library`;
  const shown = await call(tabId, "show", slim, meta);
  return {
    state: shown.spans ? "findings" : "empty",
    id: analysis.id,
    ...shown,
    spanTexts: analysis.spans.map((s) => s.text),
    ms: performance.now() - started,
    timings: { read: read - started, server: answered - read, show: performance.now() - answered },
  };
}

/** analyseTab, with any unexpected failure shown in the page instead of lost in the console. */
async function analyseTabSafely(tabId) {
  try {
    return await analyseTab(tabId);
  } catch (error) {
    const message = String((error && error.message) || error);
    try {
      await call(tabId, "error", "internal", "propscope failed on this page", message);
    } catch {
      await chrome.action.setBadgeText({ tabId, text: "!" });
    }
    return { state: "error", kind: "internal", message };
  }
}

chrome.action.onClicked.addListener((tab) => {
  analyseTabSafely(tab.id);
});

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message && message.type === "propscope:analyse" && sender.tab) {
    analyseTabSafely(sender.tab.id).then(reply);
    return true;
  }
  return false;
});
