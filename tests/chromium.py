"""Debian's Chromium for the browser tests: where it is, the flags it needs here (see
../shared/DESIGN.md), and the skip when it is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test module when Chromium is absent (call at import time)."""
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium "
            "(apt-get install chromium chromium-driver)",
            allow_module_level=True,
        )
