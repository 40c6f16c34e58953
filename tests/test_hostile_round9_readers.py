"""Round 9 of hostile testing, the input readers: pages, corpus files, folders and URLs that
were refused, misread or half read (each test names what went wrong before its fix).

HTTP tests run against a local http.server on 127.0.0.1 (allow_private=True); host names
resolve from the fake network's table. Nothing leaves the machine, not even a DNS query.
"""

from __future__ import annotations

import pytest
from fakenet import FakeNetwork
from typer.testing import CliRunner

from propscope.article import Article

runner = CliRunner()

EN = (
    "The government announced on Tuesday that it would raise taxes on every family in the "
    "country, a move that critics called a disgraceful betrayal of hard-working citizens."
)
GOOD = "".join(f"<p>{EN} ({i})</p>" for i in range(5))


def page(first: str) -> str:
    """An article page whose first paragraph is ``first``."""
    return (
        "<html><head><title>Tax rise</title></head><body><article><h1>Tax rise</h1>"
        f"<p>{first}</p>{GOOD}</article></body></html>"
    )


@pytest.fixture(autouse=True)
def network(monkeypatch) -> FakeNetwork:
    """Every test here runs on the fake network: loopback only, names from a table."""
    return FakeNetwork().install(monkeypatch)


# --- 2. prose taken for scraping debris -------------------------------------------------------

BODY = "Headline\n\nThe mayor spoke on Tuesday. She was clear.\nCritics disagreed.\n"
# whole sentences of prose that the debris patterns' open-ended tails took (a tester's finds)
PROSE_LIKE_DEBRIS = [
    "Tell us, Mr. President, why your comments on Ukraine changed overnight?",
    "Originally published in 1925, Mein Kampf became the bible of a murderous movement that "
    "these people now shamelessly imitate.",
    "Published from Moscow, the newspaper became a mouthpiece for the Kremlin and its army of "
    "paid liars.",
    "By using this site's own archive, researchers found that the ministry lied to the public "
    "for years.",
    "Posted from Gaza, the videos were viewed by millions within hours.",
    "Copyright 2021 Act was rushed through Parliament by a corrupt cabal",
    "Let us know your comments, the traitors in parliament never will",
    "Reprinted with permission from the Kremlin, the lies spread everywhere.",
    "Follow us into battle!",
    "Sign up today, patriots!",
    "Subscribe or perish!",
]
# the debris those patterns are for, which must stay debris
STILL_DEBRIS = [
    "Reprinted from WND.com.",
    "Reprinted from The Duran.",
    "Republished from The Conversation under a Creative Commons license.",
    "This report was originally published by Paul Joseph Watson at Infowars.com",
    "Originally published the Jerusalem Post.",
    "This article was originally published on The Conversation. Read the original article.",
    "Originally published on November 29, 2018.",
    "Article posted with permission from The Daily Caller News Foundation",
    "Reprinted with permission from The Future of Freedom Foundation.",
    "COPYRIGHT 2018 CREATORS.COM",
    "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Copyright 2020 NPR. To see more, visit https://www.npr.org.",
    "Let us know in the comments below.",
    "Tell us what you think in the comments section below.",
    "By continuing to use this site, you agree to our use of cookies.",
    "Subscribe Today!",
    "SUBSCRIBE on YouTube:",
    "Follow us",
    "Follow us on Twitter",
    "Sign up",
]


def _debris_of(line: str) -> bool:
    text = BODY + line + "\nThe debate goes on tomorrow, officials said."
    article = Article.from_text(text)
    start = text.index(line)
    return article.paragraph_at(start).is_debris


@pytest.mark.parametrize("line", PROSE_LIKE_DEBRIS)
def test_a_sentence_opening_like_a_notice_is_prose(line: str) -> None:
    assert not _debris_of(line)


@pytest.mark.parametrize("line", STILL_DEBRIS)
def test_notices_and_calls_are_still_debris(line: str) -> None:
    assert _debris_of(line)
