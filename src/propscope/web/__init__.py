"""The web app and HTTP API (FastAPI): ``create_app()``, served by ``propscope serve``."""

from __future__ import annotations

from propscope.web.app import create_app

__all__ = ["create_app"]
