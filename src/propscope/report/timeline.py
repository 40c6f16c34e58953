"""A time axis for corpus charts: publication months grouped into bars, empty periods kept.

Both time charts (the web dashboard's, ``propscope.web.charts.month_chart``, and ``propscope
report``'s) draw :func:`time_bars`: one bar per month from the first dated month to the last,
the months without articles as gaps, not left out (1999-06 sat right next to 2023-11); when
that is more than ``limit`` bars, each bar is a year (a decade, a century, a millennium)
instead, and ``period`` says which, so every dated article is drawn at its place in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["Timeline", "time_bars"]

# Periods a bar may stand for, shortest first: the first that spans the dates in at most
# ``limit`` bars is drawn (a corpus from 0001 to 9999 is ten millennia, nothing left out).
_PERIODS = (("month", 1), ("year", 12), ("decade", 120), ("century", 1200), ("millennium", 12000))


@dataclass(frozen=True)
class Timeline:
    """The bars of a time chart, oldest first: ``(label, group)``, the group None for a
    period without articles (a gap). ``period`` is what one bar stands for ("month", "year",
    ...), ``first``/``last`` the first and last dated months ('YYYY-MM'), ``undated`` the
    articles without a date (not drawn)."""

    period: str
    bars: list[tuple[str, dict[str, Any] | None]]
    first: str
    last: str
    undated: int

    @property
    def span(self) -> str:
        return f"{self.first} to {self.last}"


def time_bars(by_month: list[dict[str, Any]], limit: int = 36) -> Timeline | None:
    """The bars of ``Store.stats("month")``'s groups; None when no article is dated."""
    dated = {g["key"]: g for g in by_month if _is_month(g["key"])}
    if not dated:
        return None
    first, last = min(dated, key=_month_number), max(dated, key=_month_number)
    period, length, starts = _periods(first, last, limit)
    members: dict[int, list[dict[str, Any]]] = {}
    for key, group in dated.items():
        members.setdefault(_month_number(key) // length * length, []).append(group)
    bars = [(_period_label(n, length), _period_group(members.get(n), length)) for n in starts]
    undated = next((g["articles"] for g in by_month if g["key"] is None), 0)
    return Timeline(period, bars, first, last, undated)


def _month_number(key: str) -> int:
    """'YYYY-MM' as months since year 0. Counted as numbers: as strings, "9999-12" came after
    "10000-01", and a corpus dated December 9999 made a million months."""
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def _period_label(start: int, months: int) -> str:
    """The label of the period of ``months`` months that starts at month number ``start``."""
    year = start // 12
    if months == 1:
        return f"{year:04d}-{start % 12 + 1:02d}"
    if months == 12:
        return f"{year:04d}"
    return f"{max(year, 1):04d}–{year + months // 12 - 1:04d}"


def _periods(first: str, last: str, limit: int) -> tuple[str, int, list[int]]:
    """(the period's name, its length in months, the first month of each period from the one
    holding ``first`` to the one holding ``last``), every period, so that empty ones show as
    gaps, not as nothing; the shortest period that needs at most ``limit`` bars."""
    low, high = _month_number(first), _month_number(last)
    for name, months in _PERIODS:
        start, end = low // months * months, high // months * months
        if (end - start) // months < limit or months == _PERIODS[-1][1]:
            return name, months, list(range(start, end + 1, months))
    raise AssertionError("unreachable")


def _period_group(groups: list[dict[str, Any]] | None, months: int) -> dict[str, Any] | None:
    """The group a bar draws: the month's own, or the months of a longer period added up."""
    if not groups:
        return None
    return groups[0] if months == 1 else _merged(groups)


def _merged(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """Month groups added up into one period: articles, words, findings, per category."""
    categories: dict[str, dict[str, int]] = {}
    for g in groups:
        for name, counts in g["categories"].items():
            total = categories.setdefault(name, {"spans": 0, "articles": 0})
            total["spans"] += counts.get("spans", 0)
            total["articles"] += counts.get("articles", 0)
    words = sum(g["words"] for g in groups)
    spans = sum(g["spans"] for g in groups)
    return {
        "articles": sum(g["articles"] for g in groups),
        "words": words,
        "spans": spans,
        "per_1000_words": round(1000 * spans / words, 2) if words else 0.0,
        "categories": categories,
    }


def _is_month(key: Any) -> bool:
    if not isinstance(key, str) or len(key) != 7:
        return False
    try:
        date.fromisoformat(key + "-01")
    except ValueError:
        return False
    return True
