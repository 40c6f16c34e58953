"""The Jinja environment of the pages: autoescaping always on, undefined names are errors."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import jinja2
from fastapi.templating import Jinja2Templates

from propscope import __version__, taxonomy

__all__ = ["templates"]

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _number(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


_technique_label = taxonomy.technique_label


def _environment() -> jinja2.Environment:
    # autoescape=True for every template (not only *.html): all user text is escaped.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
    env.filters["day"] = _day
    env.filters["technique_label"] = _technique_label
    env.globals["version"] = __version__
    env.globals["category_colours"] = taxonomy.CATEGORY_COLOURS
    env.globals["category_borders"] = taxonomy.CATEGORY_BORDER
    return env


templates = Jinja2Templates(env=_environment())
