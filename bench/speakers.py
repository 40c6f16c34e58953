"""How often the named speaker of a direct quote is right, on quotes read by hand; prints a table.

    python bench/speakers.py

``bench/speaker_sample.json`` names who speaks 59 direct quotes of the span-annotated
training articles (a random sample read in context on 2026-12-06; the offsets point into
``../shared/data``, whose texts are never copied here). ``find_quotes`` runs on each article
and the quote that starts at the given character is scored: right when its speaker is one
of the accepted names, or shares its last word with one ("Hajiyev" for "Hikmet Hajiyev");
wrong when it names someone else; none when it names nobody. The sample was drawn among
quotes that had a named speaker, so it measures precision, not how many quotes are named
(`bench/voices.py` counts those).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpora import load_semeval2023
from propscope.language import SEMEVAL_CODE
from propscope.quotes import find_quotes

SAMPLE = Path(__file__).with_name("speaker_sample.json")


def verdict(speaker: str | None, accepted: list[str]) -> str:
    """right / wrong / none for one predicted speaker."""
    if speaker is None:
        return "none"
    said = speaker.casefold()
    for name in accepted:
        if said == name.casefold() or said.split()[-1] == name.casefold().split()[-1]:
            return "right"
    return "wrong"


def main() -> None:
    quotes = json.loads(SAMPLE.read_text(encoding="utf-8"))["quotes"]
    texts: dict[tuple[str, str], str] = {}
    for lang in dict.fromkeys(q[0] for q in quotes):
        for article in load_semeval2023(SEMEVAL_CODE.get(lang, lang)):
            texts[(lang, article.id)] = article.text
    counts: dict[str, Counter] = {}
    wrong: list[str] = []
    for lang, article_id, start, accepted in quotes:
        found = {q.start: q for q in find_quotes(texts[(lang, article_id)], lang)}
        quote = found.get(start)
        if quote is None:  # the quote itself is no longer found there
            outcome = "not found"
        else:
            outcome = verdict(quote.speaker, accepted)
        counts.setdefault(lang, Counter())[outcome] += 1
        if outcome != "right":
            said = quote.speaker if quote is not None else "-"
            wrong.append(f"{lang} {article_id}:{start} {outcome}: {said!r}, read {accepted[0]!r}")
    table = Table(title="named speakers of direct quotes read by hand (bench/speaker_sample.json)")
    for column in ("lang", "quotes", "right", "wrong", "none", "not found", "right share"):
        table.add_column(column, justify="left" if column == "lang" else "right")
    total: Counter = Counter()
    for lang, c in [*counts.items(), ("all", None)]:
        c = c if c is not None else total
        n = sum(c.values())
        table.add_row(
            lang, str(n), str(c["right"]), str(c["wrong"]), str(c["none"]),
            str(c["not found"]), f"{c['right'] / n:.0%}" if n else "-",
        )  # fmt: skip
        if lang != "all":
            total.update(c)
    console = Console()
    console.print(table)
    for line in wrong:
        console.print("  " + line, markup=False, highlight=False)


if __name__ == "__main__":
    main()
