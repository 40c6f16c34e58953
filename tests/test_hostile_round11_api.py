"""Hostile round 11 (Python API): analyze() in a forked child, models loaded by threads at
once, whitespace control characters between words, Article.from_text of a non-str, and the
messages of a text over the limit, a model named by an environment variable and a long
language argument."""

from __future__ import annotations

import pytest

import propscope
from propscope.article import Article
from propscope.errors import TooLongError, UnsupportedLanguageError
from propscope.models import e5
from propscope.models.windows import tokenize

ENGLISH = "The corrupt elite are destroying our glorious nation, said the minister."
FRENCH = (
    "Ces traîtres corrompus détruisent notre glorieuse nation, a dit le ministre. "
    "Ce sont des menteurs qui haïssent notre peuple."
)


# --- whitespace control characters -------------------------------------------------------------


def test_every_python_space_separates_words_for_both_tokenizers(model) -> None:
    """ "corrupt\\x0belite" was one token run ('t\\x0bel'): every character str.isspace()
    calls whitespace now tokenises as a space, offsets unchanged."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for name, tokenizer in (("MiniLM", model.tokenizer), ("e5", e5.build_tokenizer())):
        reference = tokenize(tokenizer, "hello world")
        glued = [
            hex(ord(c))
            for c in spaces
            if tokenize(tokenizer, f"hello{c}world").ids != reference.ids
        ]
        assert glued == [], name
        text = "\x0bThe\x0ccorrupt\x85elite "
        tokens = tokenize(tokenizer, text)
        assert {text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)} >= {
            "The",
            "elite",
        }, name


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (FRENCH, "fr")])
@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x85"])
def test_words_between_control_spaces_give_the_spans_of_spaces(text, language, separator) -> None:
    """English spans 2 -> 0 with \\x0b (MiniLM), French 2 -> 1 with \\x0b or \\x85 (e5)."""

    def spans(t: str) -> list:
        return [
            (s.start, s.end, s.technique) for s in propscope.analyze(t, language=language).spans
        ]

    expected = spans(text)
    assert expected
    assert spans(text.replace(" ", separator)) == expected


# --- Article.from_text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (None, "not None$"),
        (b"The elite lies.", r"not bytes; decode bytes first, e\.g\. data\.decode\('utf-8'\)"),
        (bytearray(b"x"), "not bytearray; decode bytes first"),
        (42, "not int$"),
    ],
)
def test_article_from_text_refuses_a_non_str_in_words(bad, said) -> None:
    """None and 42 gave "object of type 'NoneType' has no len()", bytes "argument should be
    integer or bytes-like object, not 'str'", from the paragraph splitter."""
    with pytest.raises(
        TypeError, match=r"Article\.from_text\(\) takes the article's text as a str, " + said
    ):
        Article.from_text(bad)


# --- messages: a text over the limit, a long language ------------------------------------


def test_a_str_over_the_limit_is_refused_with_advice_analyze_can_follow() -> None:
    """analyze() advised "raise max_chars", an argument it does not have."""
    text = "word " * 200_001
    with pytest.raises(TooLongError) as caught:
        propscope.analyze(text)
    message = str(caught.value)
    assert "raise max_chars" not in message
    assert "1,000,005 characters" in message and "limit of 1,000,000" in message
    assert "read_text(text, max_chars=...)" in message
    assert (caught.value.chars, caught.value.limit) == (1_000_005, 1_000_000)


def test_a_long_language_is_cut_in_the_message() -> None:
    """language="x" * 100_000 was echoed whole: a 100,101-character message."""
    with pytest.raises(UnsupportedLanguageError) as caught:
        propscope.analyze(ENGLISH, language="x" * 100_000)
    message = str(caught.value)
    assert len(message) < 250 and message.startswith("language 'xxxx") and "…" in message
    with pytest.raises(UnsupportedLanguageError, match=r"^language 'xx' is not one"):
        propscope.analyze(ENGLISH, language="xx")
