"""Whose voice the findings are in, on findings read by hand; prints a table.

    python bench/finding_voices.py

`bench/speakers.py` scores quotes; this scores what a user sees: the technique spans that
`analyze` reports at its default sensitivity. Each ``bench/finding_voice_sample_N.json``
lists findings drawn at random (10 per language, one per article; English from the tune and
test splits), each read in its article and given the answer a reader gives: ``null`` when
the words are the author's own (scare quotes included), else the accepted ways of naming
who says them (an empty list: someone the article does not name). The offsets point into
``../shared/data`` (never copied here). The shipped models find the same spans on every CPU;
a finding no longer found (another model) is counted apart.

Outcomes: "author" (the author's words, and the report says so), "author as quote" (the
author's words reported as someone's), "speech as author" (someone's words reported as the
author's), "right" / "wrong" / "unnamed" (someone's words: the speaker the report names is
one of the accepted, another, or none while the text names one), "false name" (nobody is
named in the text but the report names someone). "voice right" counts the findings whose
voice (author or not) is right; "all right" also needs the right speaker.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from speakers import table_of, verdict

from propscope.analysis import analyze
from propscope.corpora import load_semeval2023
from propscope.language import SEMEVAL_CODE

SAMPLES = sorted(
    Path(__file__).parent.glob("finding_voice_sample_*.json"),
    key=lambda path: int(path.stem.rsplit("_", 1)[1]),  # 2 before 10
)
OUTCOMES = (
    "author",
    "author as quote",
    "speech as author",
    "right",
    "wrong",
    "unnamed",
    "false name",
    "not found",
)
# the outcomes whose voice (the author's or someone else's) is right
VOICE_RIGHT = "author+right+wrong+unnamed+false name"


def outcome(voice: str, speaker: str | None, accepted: list[str] | None) -> str:
    """One finding's outcome (see the module docstring)."""
    if accepted is None:
        return "author" if voice == "author" else "author as quote"
    if voice == "author":
        return "speech as author"
    if not accepted:
        return "right" if speaker is None else "false name"
    said = verdict(speaker, accepted)  # right / wrong / none, as bench/speakers.py judges
    return "unnamed" if said == "none" else said


def score(sample: Path, texts: dict[tuple[str, str], str]) -> tuple[dict[str, Counter], list]:
    """Outcome counts per language, and a line for each finding not right."""
    findings = json.loads(sample.read_text(encoding="utf-8"))["findings"]
    counts: dict[str, Counter] = {}
    lines: list[str] = []
    for lang, article_id, start, end, accepted in findings:
        if (lang, article_id) not in texts:
            for article in load_semeval2023(SEMEVAL_CODE.get(lang, lang)):
                texts[(lang, article.id)] = article.text
        text = texts[(lang, article_id)]
        spans = [s for s in analyze(text).spans if (s.start, s.end) == (start, end)]
        if not spans:
            result, voice, speaker = "not found", None, None
        else:
            voice, speaker = spans[0].voice, spans[0].speaker
            result = outcome(voice, speaker, accepted)
        counts.setdefault(lang, Counter())[result] += 1
        if result not in ("author", "right"):
            read = "the author" if accepted is None else (accepted[0] if accepted else "nobody")
            shown = text[start:end].replace("\n", " ")[:40]
            lines.append(
                f"{lang} {article_id}:{start} {shown!r} {result}: {voice} {speaker!r}, "
                f"read {read!r}"
            )
    return counts, lines


def main() -> None:
    console = Console()
    texts: dict[tuple[str, str], str] = {}
    for sample in SAMPLES:
        counts, lines = score(sample, texts)
        about = json.loads(sample.read_text(encoding="utf-8"))["about"]
        table = table_of(
            f"whose voice the findings are in (bench/{sample.name})",
            counts,
            list(OUTCOMES),
            {"voice right": VOICE_RIGHT, "all right": "author+right"},
            unit="findings",
        )
        console.print(table)
        console.print(about, markup=False, highlight=False)
        for line in lines:
            console.print("  " + line, markup=False, highlight=False)


if __name__ == "__main__":
    main()
