/* Options: the server's address (default http://127.0.0.1:8000) and its API key, kept in
   chrome.storage.local (never synced to an account). */
"use strict";

const DEFAULT_SERVER = "http://127.0.0.1:8000";
const form = document.getElementById("options");
const server = document.getElementById("server");
const key = document.getElementById("key");
const status = document.getElementById("status");

document.getElementById("serve").textContent =
  `propscope serve --allow-extension ${chrome.runtime.id}`;

chrome.storage.local.get(["serverUrl", "apiKey"]).then((stored) => {
  server.value = stored.serverUrl || DEFAULT_SERVER;
  key.value = stored.apiKey || "";
});

/** An http(s) origin with an optional path, without a trailing slash; null when invalid. */
function serverUrl(value) {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.search || url.hash || url.username || url.password) return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** The first character of `value` that a request header cannot carry (NUL, a line break,
    or one past U+00FF), named for the reader; null when there is none. background.js checks
    a stored key by the same rule. */
function unsendable(value) {
  const found = /[\0\n\r]|[^\0-\u00ff]/.exec(value);
  if (!found) return null;
  const ch = found[0];
  if (ch === "\n" || ch === "\r") return "a line break";
  if (ch === "\0") return "a NUL character";
  const code = ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `“${ch}” (U+${code})`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = serverUrl(server.value);
  if (!url) {
    status.className = "error";
    status.textContent = "Give an http:// or https:// address, e.g. " + DEFAULT_SERVER;
    return;
  }
  const apiKey = key.value.trim();
  const bad = unsendable(apiKey);
  if (bad) {
    status.className = "error";
    status.textContent =
      `Not saved: the API key holds ${bad}, which a request header cannot carry (a key is ` +
      "one line of Latin-1 characters). Paste the key exactly as the server has it.";
    return;
  }
  await chrome.storage.local.set({ serverUrl: url, apiKey });
  server.value = url;
  status.className = "";
  status.textContent = "Saved.";
});
