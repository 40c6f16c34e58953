"""Whose voice the annotated technique spans are in, per language; prints a table.

    python bench/voices.py [--languages en,fr,de,it,pl,ru]

`propscope.quotes.find_quotes` reads every SemEval-2023 span-annotated article of the
shared data (no model involved), and each gold span is given the voice that
`propscope.quotes.attribute` gives a finding there: the author's, a direct quote's (with or
without a named speaker) or reported speech's. The quote columns count what was found:
direct quotes and reported clauses, with and without a speaker. There is no gold standard
for voices here; the table shows how much of each language's persuasion the reports give
to someone other than the journalist, and how much of it they can name.
"""

from __future__ import annotations

import argparse
from collections import Counter

from rich.console import Console
from rich.table import Table

from propscope.corpora import load_semeval2023
from propscope.quotes import attribute, find_quotes

FOLDERS = {"en": "en", "fr": "fr", "de": "ge", "it": "it", "pl": "po", "ru": "ru"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(FOLDERS))
    args = parser.parse_args()
    table = Table(title="voices of the gold technique spans (SemEval-2023 span annotations)")
    columns = (
        "lang",
        "articles",
        "gold spans",
        "author",
        "quoted, named",
        "quoted, unnamed",
        "reported",
        "quotes named / found",
        "reported named / found",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "lang" else "right")
    for code in args.languages.split(","):
        articles = load_semeval2023(FOLDERS[code])
        spans, quotes = Counter(), Counter()
        for article in articles:
            found = find_quotes(article.text, code)
            quotes.update((q.voice, q.speaker is not None) for q in found)
            for _, start, end in article.spans:
                quote = attribute(found, start, end)
                if quote is None:
                    spans["author"] += 1
                elif quote.voice == "quoted":
                    spans["named" if quote.speaker else "unnamed"] += 1
                else:
                    spans["reported"] += 1
        total = sum(spans.values())

        def share(key: str, spans=spans, total=total) -> str:
            return f"{spans[key]} ({spans[key] / max(total, 1):.0%})"

        def named(voice: str, quotes=quotes) -> str:
            return f"{quotes[voice, True]} / {quotes[voice, True] + quotes[voice, False]}"

        table.add_row(
            code,
            str(len(articles)),
            str(total),
            share("author"),
            share("named"),
            share("unnamed"),
            share("reported"),
            named("quoted"),
            named("reported"),
        )
    Console().print(table)


if __name__ == "__main__":
    main()
