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

``bench/speaker_recall_sample.json`` and ``bench/speaker_recall_sample_2.json`` are the other
half: 49 quoted passages each, drawn among *all* those ``find_quotes`` finds, named speaker
or not, read in context (the second after the changes the first led to, so it measures them
without that bias). ``bench/speaker_recall_sample_3.json`` (54) was drawn at the start of a
later session and used to find changes; ``bench/speaker_recall_sample_4.json`` (55) was drawn
at its end and used for none, so it scores that session's first and last code alike; the
next session did the same with ``speaker_recall_sample_5.json`` (56, drawn at its start, used
to find changes) and ``speaker_recall_sample_6.json`` (52, drawn at its end, used for none).
Each ``about`` field says when its sample was drawn and what it was used for. Where the text says
who speaks, the quote is right, wrong or unnamed; where nobody does (scare quotes, titles,
names), it is right when unnamed (or left out of the quotes, in the author's voice) and a
false speaker when named. It measures how many quotes a reader gets the right answer for.
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
RECALL_SAMPLES = [
    Path(__file__).with_name(f)
    for f in (
        "speaker_recall_sample.json",
        "speaker_recall_sample_2.json",
        "speaker_recall_sample_3.json",
        "speaker_recall_sample_4.json",
        "speaker_recall_sample_5.json",
        "speaker_recall_sample_6.json",
    )
]


def verdict(speaker: str | None, accepted: list[str]) -> str:
    """right / wrong / none for one predicted speaker."""
    if speaker is None:
        return "none"
    said = speaker.casefold()
    for name in accepted:
        if said == name.casefold() or said.split()[-1] == name.casefold().split()[-1]:
            return "right"
    return "wrong"


def outcome(speaker: str | None, accepted: list[str]) -> str:
    """right / wrong / none for a quote someone speaks; nobody / false speaker for one that
    nobody does (``accepted`` empty)."""
    if not accepted:
        return "nobody" if speaker is None else "false speaker"
    return verdict(speaker, accepted)


def score(sample: Path, texts: dict[tuple[str, str], str]) -> tuple[dict[str, Counter], list]:
    """Outcome counts per language, and the lines of the quotes not right."""
    quotes = json.loads(sample.read_text(encoding="utf-8"))["quotes"]
    for lang in dict.fromkeys(q[0] for q in quotes):
        if not any(key[0] == lang for key in texts):
            for article in load_semeval2023(SEMEVAL_CODE.get(lang, lang)):
                texts[(lang, article.id)] = article.text
    counts: dict[str, Counter] = {}
    missed: list[str] = []
    for lang, article_id, start, accepted in quotes:
        found = {q.start: q for q in find_quotes(texts[(lang, article_id)], lang)}
        quote = found.get(start)
        said = quote.speaker if quote is not None else None
        # a speakerless quote that find_quotes leaves in the author's voice (a scare quote
        # or a name, which it drops) is as right as one it keeps unnamed
        if quote is None:
            result = "nobody" if not accepted else "not found"
        else:
            result = outcome(said, accepted)
        counts.setdefault(lang, Counter())[result] += 1
        if result not in ("right", "nobody"):
            read = accepted[0] if accepted else "nobody"
            missed.append(f"{lang} {article_id}:{start} {result}: {said!r}, read {read!r}")
    return counts, missed


def table_of(
    title: str,
    counts: dict[str, Counter],
    columns: list[str],
    share: str | dict[str, str],
    unit: str = "quotes",
) -> Table:
    """Rows per language and in all. ``share``: the outcomes counted as right ("right+nobody"),
    or several such share columns by name; ``unit``: what a row counts."""
    shares = {"right share": share} if isinstance(share, str) else share
    table = Table(title=title)
    for column in ("lang", unit, *columns, *shares):
        table.add_column(column, justify="left" if column == "lang" else "right")
    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    for lang, c in [*counts.items(), ("all", total)]:
        n = sum(c.values())
        parts = [sum(c[k] for k in right.split("+")) for right in shares.values()]
        table.add_row(
            lang,
            str(n),
            *(str(c[k]) for k in columns),
            *(f"{good / n:.0%}" if n else "-" for good in parts),
        )
    return table


def main() -> None:
    texts: dict[tuple[str, str], str] = {}
    console = Console()
    counts, wrong = score(SAMPLE, texts)
    console.print(
        table_of(
            "named speakers of direct quotes read by hand (bench/speaker_sample.json)",
            counts,
            ["right", "wrong", "none", "not found"],
            "right",
        )
    )
    for line in wrong:
        console.print("  " + line, markup=False, highlight=False)
    for sample in RECALL_SAMPLES:
        counts, missed = score(sample, texts)
        console.print(
            table_of(
                f"who speaks all quotes, read by hand (bench/{sample.name})",
                counts,
                ["right", "wrong", "none", "nobody", "false speaker", "not found"],
                "right+nobody",
            )
        )
        for line in missed:
            console.print("  " + line, markup=False, highlight=False)


if __name__ == "__main__":
    main()
