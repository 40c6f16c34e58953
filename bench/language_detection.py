"""Language detection on the training articles; prints one table.

    python bench/language_detection.py

For every span-annotated article of the six languages (English: PTC and SemEval-2023), the
language detected as `analyze` detects it: on the article's own paragraphs (debris left
out), read whole ("whole") and as the author's words ("own words": without quoted speech,
and without the title where 100 letters remain; `propscope.language.own_words`), and how
many would be refused because their words use letters the detected language never writes
(`propscope.language.foreign_letters`). The texts are read from ``../shared/data``.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from propscope.analysis import detection_paragraphs
from propscope.corpora import load_ptc, load_semeval2023
from propscope.io.readers import read_text
from propscope.language import SEMEVAL_CODE, detect_language, foreign_letters, own_words

LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")


def main() -> None:
    counts: dict[str, Counter] = {lang: Counter() for lang in LANGUAGES}
    articles = [("en", a) for a in load_ptc()] + [
        (lang, a) for lang in LANGUAGES for a in load_semeval2023(SEMEVAL_CODE.get(lang, lang))
    ]
    for lang, labelled in articles:
        paragraphs, title = detection_paragraphs(read_text(labelled.text, id=labelled.id))
        words = own_words(paragraphs, title)
        guess = detect_language(words).code
        count = counts[lang]
        count["articles"] += 1
        count["whole"] += detect_language("\n".join(paragraphs)).code == lang
        count["own words"] += guess == lang
        count["refused by letters"] += bool(foreign_letters(words, guess))
    table = Table(title="language detected on the training articles")
    columns = ("articles", "whole", "own words", "refused by letters")
    table.add_column("language")
    for column in columns:
        table.add_column(column, justify="right")
    for lang in LANGUAGES:
        table.add_row(lang, *(str(counts[lang][c]) for c in columns))
    Console().print(table)


if __name__ == "__main__":
    main()
