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

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = serverUrl(server.value);
  if (!url) {
    status.className = "error";
    status.textContent = "Give an http:// or https:// address, e.g. " + DEFAULT_SERVER;
    return;
  }
  await chrome.storage.local.set({ serverUrl: url, apiKey: key.value.trim() });
  server.value = url;
  status.className = "";
  status.textContent = "Saved.";
});
