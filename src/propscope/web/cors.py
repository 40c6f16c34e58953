"""CORS for exactly the origins the operator allowed (the browser extension), nothing else.

The extension's service worker reads the API's answers from another origin
(``chrome-extension://ID``), so the browser needs CORS headers naming that origin. Every other
origin gets none, and the extension's requests still pass the same Host, Origin and key checks
as any other request (``guards.py``, ``deps.check_write_access``).
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

__all__ = ["add_extension_cors"]


def add_extension_cors(app: FastAPI, origins: Iterable[str]) -> None:
    """Answer preflights and add ``Access-Control-Allow-Origin`` for ``origins`` only.

    No credentials (the extension sends its key in ``X-API-Key``, never cookies); GET and POST
    only (it reads and analyses, it does not delete). No-op when ``origins`` is empty.
    """
    allowed = sorted(set(origins))
    if not allowed:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "X-API-Key", "Authorization"],
        allow_credentials=False,
        allow_private_network=True,
        max_age=600,
    )
