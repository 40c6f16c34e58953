/* propscope service worker: on the toolbar button (or Alt+Shift+P) it reads the page's main
   text through content.js, posts it to the user's own propscope server and hands the findings
   back to the page. It talks to that server only; the page's text goes nowhere else. */
"use strict";

// Chromium runs this file as a service worker; Firefox as an event page listing categories.js
// before it in the manifest (background.scripts), where importScripts does not exist.
if (typeof importScripts === "function") importScripts("categories.js");

const DEFAULTS = { serverUrl: "http://127.0.0.1:8000", apiKey: "" };
/** How long to wait for the server's answer (all of it, body included), and for the probe
    that explains a failure. */
const TIMEOUTS = { answerMs: 120_000, probeMs: 10_000 };

/** How often the panel's ↻ may analyse again: not while an analysis runs in the tab, not
    sooner than `gapMs` after the last one ended, and `repeats` times per click on the
    toolbar button (each click starts a new count). */
const REPEAT_LIMITS = { gapMs: 1000, repeats: 20 };

/** Rules for the extension's elements in the page (content.js names them: see names()),
    built from the report colours. Inserted with insertCSS as a user style sheet: a page's
    Content-Security-Policy does not block them, and a user's !important rule wins over any
    rule of the page, !important or not, so the page's styles can neither hide the marks or
    the panel nor change their layout. `all: unset` makes a mark an inline box without
    margin or padding that moves nothing (its padding is vertical, inline: no line moves),
    and a run wrapper (around a text run in a flex or grid container) the same box as the
    anonymous item it replaces. */
function pageCss({ mark, host, run }) {
  return `
${mark} {
  all: unset !important;
  color: ${globalThis.PROPSCOPE_TEXT_COLOUR} !important;
  background: var(--propscope-bg) !important;
  border-bottom: 2px solid var(--propscope-bd) !important;
  padding: 0.12em 0 !important;
  -webkit-box-decoration-break: clone !important;
  box-decoration-break: clone !important;
  cursor: default !important;
}
${mark}[data-voice="quoted"] { border-bottom-style: dashed !important; }
${mark}[data-voice="reported"] { border-bottom-style: dotted !important; }
${mark}.off {
  background: none !important; border-bottom: 0 !important; padding: 0 !important;
  color: inherit !important;
}
${mark}.flash { outline: 3px solid rgba(11, 87, 208, 0.7) !important; }
${run} { all: unset !important; }
${host} { all: initial !important; }
`;
}

async function insertPageCss(tabId, names) {
  await chrome.scripting.insertCSS({ target: { tabId }, css: pageCss(names), origin: "USER" });
}

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

/** Whether `key` holds a character a request header cannot carry: NUL, a line break, or one
    past U+00FF (the options page refuses such a key; this is for one stored before it did). */
function unsendableKey(key) {
  return /[\0\n\r]|[^\0-\u00ff]/.test(key);
}

async function settings() {
  const stored = await chrome.storage.local.get(["serverUrl", "apiKey"]);
  return {
    serverUrl: (stored.serverUrl || DEFAULTS.serverUrl).replace(/\/+$/, ""),
    apiKey: stored.apiKey || "",
  };
}

/** Run one of content.js's functions in the tab and return its result; an Error with the
    page's message when it failed there (the browser reports a failure as a null result). */
async function call(tabId, name, ...args) {
  const [result] = await chrome.scripting.executeScript({
    target: { tabId },
    func: (fn, fnArgs) => {
      try {
        const value = globalThis.__propscope[fn](...fnArgs);
        return { ok: true, value: value === undefined ? null : value };
      } catch (error) {
        return { ok: false, message: String((error && error.message) || error) };
      }
    },
    args: [name, args],
  });
  const answer = result && result.result;
  if (!answer) throw new Error(`the page did not answer (${name}); it may have been reloaded`);
  if (!answer.ok) throw new Error(`${name} failed in the page: ${answer.message}`);
  return answer.value;
}

/** What answers at the server's address, asked without the request's own headers: a
    readable response (the server answers this extension: its CORS admits it), "opaque"
    (something answers, but not to this extension), or null (nothing answers). */
async function probe(serverUrl) {
  const options = { cache: "no-store", credentials: "omit", redirect: "error" };
  try {
    return await fetch(`${serverUrl}/healthz`, {
      ...options,
      signal: AbortSignal.timeout(TIMEOUTS.probeMs),
    });
  } catch {
    // not readable by this extension: does anything answer at all?
  }
  try {
    // a no-cors request must follow redirects (the browser refuses one that does not); this
    // bodiless GET carries nothing of the page, and its answer stays unreadable
    await fetch(`${serverUrl}/healthz`, {
      ...options,
      mode: "no-cors",
      redirect: "follow",
      signal: AbortSignal.timeout(TIMEOUTS.probeMs),
    });
    return "opaque";
  } catch {
    return null;
  }
}

async function detailOf(response) {
  try {
    return readable((await response.json()).detail);
  } catch {
    return "";
  }
}

/** An error's `detail` as words: a string as it is; a list (FastAPI's 422: one entry per
    problem, {loc, msg}) as its messages, each after the field it is about; anything else as
    its JSON. Never "[object Object]", and at most 600 characters. */
function readable(detail) {
  let words;
  if (detail === undefined || detail === null) words = "";
  else if (typeof detail === "string") words = detail;
  else if (Array.isArray(detail)) {
    words = detail
      .map((item) => {
        if (!item || typeof item !== "object") return readable(item);
        const message = item.msg || item.message || item.detail;
        if (message === undefined) return JSON.stringify(item);
        const where = Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").join(".") : "";
        return `${where ? `${where}: ` : ""}${readable(message)}`;
      })
      .filter(Boolean)
      .join("; ");
  } else if (typeof detail === "object") {
    const message = detail.msg || detail.message || detail.detail;
    words = typeof message === "string" ? message : JSON.stringify(detail);
  } else words = String(detail);
  return words.length > 600 ? `${words.slice(0, 599)}…` : words;
}

/** The server's Host check refused the name the extension reaches it by (400 and its
    message; see --allowed-host in docs/web.md). */
function isHostRefusal(status, detail) {
  return status === 400 && /host name|no Host header|allowed-host/i.test(detail);
}

function hostRefusal(serverUrl, detail) {
  let host = serverUrl;
  try {
    host = new URL(serverUrl).hostname;
  } catch {
    // the address as given
  }
  return [
    "host",
    "The server does not answer to this address",
    `${detail ? `${detail.replace(/\.?$/, ".")} ` : ""}The server runs at ${serverUrl} but only answers to the host names it allows. Start it with \`propscope serve --allowed-host ${host} --allow-extension ${chrome.runtime.id}\`, or set an address it answers to (such as http://127.0.0.1:8000) in the extension's options.`,
  ];
}

/** Why the request failed without an answer the extension can read: a timeout, nothing
    listening, the server not admitting this extension (CORS), its Host check, or a network
    error on a server that does admit the extension. */
async function explainFailure(error, serverUrl) {
  if (error.name === "TimeoutError") {
    return ["timeout", "The server did not answer", `No answer from ${serverUrl} in ${TIMEOUTS.answerMs / 1000} s.`];
  }
  const answer = await probe(serverUrl);
  if (answer === null) {
    return ["unreachable", "The propscope server is not running", `Nothing answers at ${serverUrl}. Start it with \`${serveCommand()}\`, or set its address in the extension's options.`];
  }
  if (answer === "opaque") {
    return ["cors", "The server does not allow this extension", `It runs at ${serverUrl} but refuses requests from this extension. Restart it with \`${serveCommand()}\`.`];
  }
  const detail = await detailOf(answer);
  if (isHostRefusal(answer.status, detail)) return hostRefusal(serverUrl, detail);
  // The server answers this extension, so CORS is not the problem: say what failed.
  return ["network", "The request to the server failed", `${serverUrl} answers, but sending the article failed (${error.message}). Try again; if it keeps failing, see the server's log.`];
}

function serveCommand() {
  return `propscope serve --allow-extension ${chrome.runtime.id}`;
}

/** The error state for a failed request: what went wrong and what the reader can do. */
async function explain(response, serverUrl) {
  const detail = (await detailOf(response)) || response.statusText;
  const status = response.status;
  if (isHostRefusal(status, detail)) return hostRefusal(serverUrl, detail);
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

/** Analyse the page in a tab: read, post, highlight. Returns what happened (tests read it).
    `onDocument` is told the ID of the document the page's script was injected into. */
async function analyseTab(tabId, onDocument = null) {
  const started = performance.now();
  let names;
  try {
    const [injected] = await chrome.scripting.executeScript({
      target: { tabId },
      files: ["categories.js", "content.js"],
    });
    if (onDocument) await onDocument(injected && injected.documentId);
    names = await call(tabId, "names");
    await insertPageCss(tabId, names);
  } catch (error) {
    await chrome.action.setBadgeBackgroundColor({ tabId, color: "#B3261E" });
    await chrome.action.setBadgeText({ tabId, text: "!" });
    await chrome.action.setTitle({ tabId, title: `propscope cannot read this page: ${error.message}` });
    return { state: "error", kind: "page", message: error.message };
  }
  await chrome.action.setBadgeText({ tabId, text: "" });
  const page = await call(tabId, "begin");
  const read = performance.now();
  if (page.words < page.minWords && page.covered >= page.minWords) {
    // a modal dialog (a cookie or newsletter notice) has hidden the page behind it
    const kind = await call(
      tabId,
      "error",
      "dialog",
      "The article is hidden behind a dialog",
      `A dialog (such as a cookie or newsletter notice) is open over the page, which marks ${page.covered.toLocaleString("en")} words of its text as hidden (aria-hidden) meanwhile. Close the dialog over the page and try again.`,
    );
    return { state: "error", kind };
  }
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
  if (unsendableKey(apiKey)) {
    const kind = await call(
      tabId,
      "error",
      "key",
      "The API key in the options cannot be sent",
      "It holds a line break or another character that a request header cannot carry (a key is one line of Latin-1 characters). Set the key again in the extension's options.",
    );
    return { state: "error", kind };
  }
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
      // A redirect is not followed: the article goes to the server in the options and
      // nowhere else (a 307 or 308 would send it on, body and all).
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUTS.answerMs),
    });
  } catch (error) {
    const [kind, title, detail] = await explainFailure(error, serverUrl);
    await call(tabId, "error", kind, title, detail);
    return { state: "error", kind };
  }
  if (response.type === "opaqueredirect") {
    const kind = await call(
      tabId,
      "error",
      "redirect",
      "The server sent the request elsewhere",
      `${serverUrl} answered with a redirect to another address. The extension sends the article only to the server in its options and does not follow redirects: set the server's own address (the one it answers at, with http or https as it uses) in the extension's options.`,
    );
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
  } catch (error) {
    // not JSON is handled below; a body that stopped coming is said as such
    if (error.name === "TimeoutError" || error.name === "AbortError") {
      await call(
        tabId,
        "error",
        "timeout",
        "The server did not answer",
        `${serverUrl} began to answer but did not finish in ${TIMEOUTS.answerMs / 1000} s.`,
      );
      return { state: "error", kind: "timeout" };
    }
    if (error.name !== "SyntaxError") {
      await call(
        tabId,
        "error",
        "network",
        "The request to the server failed",
        `${serverUrl} began to answer, but its answer broke off (${error.message}). Try again; if it keeps failing, see the server's log.`,
      );
      return { state: "error", kind: "network" };
    }
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
  if (!shown) throw new Error("the page did not say what it highlighted");
  if (shown.names && (shown.names.mark !== names.mark || shown.names.run !== names.run)) {
    // the page defined an element of the names asked earlier: style the ones used instead
    await insertPageCss(tabId, shown.names);
  }
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
async function analyseTabSafely(tabId, onDocument = null) {
  try {
    return await analyseTab(tabId, onDocument);
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

// --- who may start an analysis --------------------------------------------------------------
//
// Only the user: a click on the toolbar button (or its shortcut), or a trusted click on the
// panel's ↻ in a page where the user clicked the button. The page's own scripts cannot send
// messages to the extension, but they run next to the panel; so a request from the panel
// counts only for the document the button was clicked on, one analysis at a time per tab,
// and within REPEAT_LIMITS. The record lives in session storage, which the service worker
// keeps across its restarts and pages cannot read.

const running = new Set(); // tab IDs with an analysis in flight

function grantKey(tabId) {
  return `started:${tabId}`;
}

/** What a click on the toolbar button does for the tab: analyse it, and admit ↻ from its
    panel. Returns what analyseTab returned. */
async function analyseFromUser(tabId) {
  if (running.has(tabId)) return { state: "refused", reason: "busy" };
  running.add(tabId);
  try {
    const grant = { documentId: null, last: Date.now(), repeats: 0 };
    await chrome.storage.session.set({ [grantKey(tabId)]: grant });
    const result = await analyseTabSafely(tabId, async (documentId) => {
      grant.documentId = documentId || null;
      await chrome.storage.session.set({ [grantKey(tabId)]: grant });
    });
    grant.last = Date.now(); // the gap runs from the end of the analysis
    await chrome.storage.session.set({ [grantKey(tabId)]: grant });
    return result;
  } finally {
    running.delete(tabId);
  }
}

/** ↻ in the panel: analyse again if the user started propscope on this document, nothing
    runs in the tab, and the limits allow; otherwise a refusal (with a message for the user
    when waiting does not help). */
async function analyseFromPanel(tabId, documentId) {
  if (running.has(tabId)) return { state: "refused", reason: "busy" };
  running.add(tabId);
  try {
    const key = grantKey(tabId);
    const grant = (await chrome.storage.session.get(key))[key];
    if (!grant || (grant.documentId && documentId && grant.documentId !== documentId)) {
      return { state: "refused", reason: "not-started" };
    }
    if (Date.now() - grant.last < REPEAT_LIMITS.gapMs) return { state: "refused", reason: "too-soon" };
    if (grant.repeats >= REPEAT_LIMITS.repeats) {
      return {
        state: "refused",
        reason: "limit",
        message: "Click the propscope button in the toolbar to analyse this page again.",
      };
    }
    grant.last = Date.now();
    grant.repeats += 1;
    await chrome.storage.session.set({ [key]: grant });
    const result = await analyseTabSafely(tabId);
    grant.last = Date.now();
    await chrome.storage.session.set({ [key]: grant });
    return result;
  } finally {
    running.delete(tabId);
  }
}

chrome.action.onClicked.addListener((tab) => {
  analyseFromUser(tab.id);
});

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const fromPanel =
    message &&
    message.type === "propscope:analyse" &&
    message.trusted === true &&
    sender.id === chrome.runtime.id &&
    sender.tab &&
    sender.frameId === 0;
  if (fromPanel) {
    analyseFromPanel(sender.tab.id, sender.documentId).then(reply);
    return true;
  }
  return false;
});

chrome.tabs.onRemoved.addListener((tabId) => {
  chrome.storage.session.remove(grantKey(tabId));
});
