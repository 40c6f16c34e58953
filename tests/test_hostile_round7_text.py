"""Hostile text, round 7: decomposed accents and invisible joiners inside words, and old Mac
line breaks (a lone CR). Offsets were right; where spans and names ended, and how the
terminal showed the text, were not."""

from __future__ import annotations

import re
import unicodedata

import pytest

from propscope.models.tagger import snap
from propscope.quotes import find_quotes


@pytest.mark.parametrize("joiner", ["\u0301", "\u00ad", "\u200b", "\u200d", "\u2060"])
def test_a_span_grows_over_an_accent_or_joiner_inside_a_word(joiner: str) -> None:
    """snap() grew a span only over letters and digits: "dou\u0301ble" ended at "dou"."""
    text = f"of dou{joiner}ble standards"
    start, end = snap(text, 3, 5)
    assert text[start:end] == f"dou{joiner}ble"


def test_a_finding_in_a_decomposed_word_keeps_the_whole_word(model, example_path) -> None:
    """The example's "pro-Armenian" with its e decomposed (e + U+0301) or a soft hyphen was
    found as "pro-Arme" (45-53 instead of 45-57)."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_article_file

    plain = read_article_file(example_path).text
    found = analyze(plain, model, sensitivity="high").spans
    assert "pro-Armenian" in [s.text for s in found]
    for inside in ("e\u0301", "e\u00ad"):
        text = plain.replace("Armenian", f"Arm{inside}nian")
        spans = analyze(text, model, sensitivity="high").spans
        words = [s.text for s in spans]
        assert f"pro-Arm{inside}nian" in words, words
        assert all(text[s.start : s.end] == s.text for s in spans)
        # the word is never cut between a letter and its accent or joiner
        assert not any(s.text.endswith("Arme") for s in spans)


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        ("“This is a disgrace,” said José Álvarez, the official.", "en", "José Álvarez"),
        (
            "Émile Zola a déclaré : « C’est une honte absolue, une trahison éhontée de la "
            "République », selon le journal.",
            "fr",
            "Émile Zola",
        ),
    ],
)
def test_speakers_are_the_same_in_decomposed_text(text: str, language: str, speaker: str) -> None:
    """With its accents decomposed (NFD), "José Álvarez" became "Jose" and "Émile Zola"
    nobody: the patterns' word characters do not include combining marks."""
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    composed = find_quotes(text, language)
    quotes = find_quotes(decomposed, language)
    assert [q.speaker for q in composed] == [speaker]
    assert [unicodedata.normalize("NFC", q.speaker or "") for q in quotes] == [speaker]
    for q in quotes:  # offsets point into the text as given
        assert decomposed[q.speaker_start : q.speaker_end] == q.speaker
        said = unicodedata.normalize("NFC", decomposed[q.start : q.end])
        assert said == text[composed[0].start : composed[0].end]


def test_the_terminal_shows_a_lone_carriage_return_as_a_line_break() -> None:
    """The terminal dropped every CR (meant for CRLF): lines ended by a lone CR ran together
    ("Corrupt elites betrayed us.The traitors lie every day.")."""
    from propscope.report.terminal import _shown

    for text in ("One.\rTwo.\rThree.\r", "One.\r\nTwo.\r\nThree.\r\n", "One.\nTwo.\nThree.\n"):
        shown, shift = _shown(text)
        assert shown == "One.\nTwo.\nThree.\n"
        assert len(shift) == len(text) + 1
        # each character of the original is where its shown copy is
        for i, char in enumerate(text):
            if char != "\r":
                assert shown[shift[i]] == char


def test_the_terminal_report_of_lone_carriage_returns_keeps_its_lines(model) -> None:
    from propscope.analysis import analyze
    from propscope.cli import OutputFormat, TaxonomyName, render

    text = "Corrupt elites betrayed us.\rThe traitors lie every day.\rThey are evil criminals.\r"
    shown = render(
        [analyze(text, model, language="en")], OutputFormat.text, TaxonomyName.ptc14, False
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert "betrayed us.The" not in plain
    assert re.search(r"betrayed us\.\s*│?\s*\n", plain)
