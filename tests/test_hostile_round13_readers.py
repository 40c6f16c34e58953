"""Round 13 of hostile testing, the readers: a page whose og:title or <title> words its
headline otherwise than its <h1> had the headline read twice (the title line the page does not
show, then the <h1> as the body's first line), and its findings counted twice.

Everything here is read from strings; nothing leaves the machine.
"""

from __future__ import annotations

import pytest

from propscope.article import Article
from propscope.io.readers import _names_headline, read_html

H1 = "Shameful traitors sell out the city to greedy foreign vultures"
BODY = (
    "<p>The city council voted on Tuesday to sell the harbour to a foreign investment fund for "
    "40 million pounds.</p>"
    "<p>The decision was taken after a short debate in which several councillors raised "
    "concerns about jobs and the future of the docks.</p>"
    "<p>The sale is expected to be completed by the end of the year, according to the "
    "council's finance office.</p>"
)
FIRST = "The city council voted on Tuesday"


def page(head: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{head}</head><body>{body}</body></html>"
    )


def og(title: str) -> str:
    return f'<meta property="og:title" content="{title}">'


def check_offsets(article: Article) -> None:
    """The title line is paragraph 1 and every offset points into the text returned."""
    assert article.paragraphs[0].is_title
    assert article.text[article.paragraphs[0].start : article.paragraphs[0].end] == article.title
    for sentence in article.sentences:
        assert 0 <= sentence.start < sentence.end <= len(article.text)


def test_og_title_shorter_than_the_h1_is_not_a_second_headline() -> None:
    # the tester's ogtitle.html: "Shameful traitors" was flagged at 0-17 and again at 37-54
    html = page(
        "<title>Shameful traitors sell out the city | Daily Bugle</title>"
        + og("Shameful traitors sell out the city"),
        f"<article><h1>{H1}</h1>{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == H1
    assert article.metadata["title"] == H1
    assert article.text.startswith(f"{H1}\n\n{FIRST}")
    assert article.text.count("Shameful traitors") == 1
    check_offsets(article)


def test_og_title_without_the_h1s_quotes_is_not_a_second_headline() -> None:
    # the tester's news_en.html: 'Mayor slams "reckless"' was read twice
    h1 = 'Mayor slams "reckless" port deal as rival accuses her of "fearmongering"'
    html = page(
        '<title>Mayor slams "reckless" port deal | The Harbour Tribune</title>'
        + og("Mayor slams reckless port deal"),
        f"<main><article><h1>{h1}</h1>"
        '<p class="byline">By <a href="/authors/jane-doe">Jane Doe</a>, City Hall reporter</p>'
        f"{BODY}</article></main>",
    )
    article = read_html(html)
    assert article.title == h1
    assert article.text.count("Mayor slams") == 1
    check_offsets(article)


@pytest.mark.parametrize(
    "title",
    [
        f"{H1} | Daily Bugle",  # the site's name after it
        f"Daily Bugle - {H1}",  # or before it
        f"{H1}: what the council decided",  # longer than the <h1>
        H1.upper(),  # another case
        "Shameful traitors sell city to vultures",  # shortened, not only cut short
    ],
)
def test_other_forms_of_the_headline_give_the_h1_once(title: str) -> None:
    article = read_html(page(og(title), f"<article><h1>{H1}</h1>{BODY}</article>"))
    assert article.title == H1
    assert article.text.startswith(f"{H1}\n\n{FIRST}")
    check_offsets(article)


def test_the_h1_as_the_page_writes_it_is_the_title() -> None:
    # curly quotes on the page, none in og:title: the line shown is the one kept
    h1 = "Shameful \u201ctraitors\u201d sell out the city to greedy foreign vultures"
    article = read_html(page(og(H1), f"<article><h1>{h1}</h1>{BODY}</article>"))
    assert article.title == h1
    assert article.text.startswith(f"{h1}\n\n{FIRST}")


def test_an_h1_after_a_kicker_is_taken_out_of_the_body() -> None:
    html = page(
        og("Shameful traitors sell out the city"),
        f"<article><p>Politics</p><h1>{H1}</h1>{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == H1
    assert article.text.count("Shameful traitors") == 1
    assert article.text.startswith(f"{H1}\n\nPolitics\n{FIRST}")
    check_offsets(article)


def test_an_h1_split_by_a_line_break_is_one_title_line() -> None:
    # trafilatura gives the two parts as two lines; the first one equalled og:title and was
    # taken for the title, leaving the rest of the headline as a line of the body
    html = page(
        og("Shameful traitors sell out the city"),
        "<article><h1>Shameful traitors sell out the city<br>to greedy foreign vultures</h1>"
        f"{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == H1
    assert article.text.startswith(f"{H1}\n\n{FIRST}")
    check_offsets(article)


def test_an_h1_the_text_leaves_out_is_the_title_shown() -> None:
    # the headline sits outside the extracted article: the title line is the <h1> the page
    # shows, not the og:title it does not
    html = page(
        og("Shameful traitors sell out the city"),
        f"<div class='hero'><h1>{H1}</h1></div><main><article>{BODY}</article></main>",
    )
    article = read_html(html)
    assert article.title == H1
    assert article.text.count("Shameful traitors") == 1


def test_the_only_h1_starting_the_body_is_the_headline_whatever_og_title_says() -> None:
    article = read_html(
        page(og("Harbour sale approved by council"), f"<article><h1>{H1}</h1>{BODY}</article>")
    )
    assert article.title == H1
    assert "Harbour sale approved" not in article.text
    assert article.text.startswith(f"{H1}\n\n{FIRST}")


def test_a_site_logo_h1_does_not_stop_the_headline_being_found() -> None:
    html = page(
        og("Shameful traitors sell out the city"),
        f"<header><h1><a href='/'>Daily Bugle</a></h1></header><article><h1>{H1}</h1>"
        f"{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == H1
    assert article.text.count("Shameful traitors") == 1


@pytest.mark.parametrize(
    "head",
    [
        og("Shameful traitors sell out the city"),
        "<title>Shameful traitors sell out the city | Daily Bugle</title>",
    ],
)
def test_without_an_h1_the_title_is_kept(head: str) -> None:
    article = read_html(page(head, f"<article>{BODY}</article>"))
    assert article.title == "Shameful traitors sell out the city"
    assert article.text.startswith(f"Shameful traitors sell out the city\n\n{FIRST}")


def test_a_title_equal_to_the_h1_or_none_give_the_headline_once() -> None:
    # the tester's ogtitle3.html and ogtitle2.html, which were right already
    for head in (og(H1), "<title>Shameful traitors sell out the city | Daily Bugle</title>"):
        article = read_html(page(head, f"<article><h1>{H1}</h1>{BODY}</article>"))
        assert article.title == H1
        assert article.text.startswith(f"{H1}\n\n{FIRST}")


def test_a_headline_differing_in_punctuation_only_is_read_once_without_an_h1() -> None:
    html = page(
        og("Shameful traitors sell out the city"),
        f"<article><h2>Shameful \u2018traitors\u2019 sell out the city</h2>{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == "Shameful \u2018traitors\u2019 sell out the city"
    assert article.text.count("Shameful") == 1


def test_a_section_h1_does_not_displace_a_headline_that_says_the_title() -> None:
    # the headline is an <h2> that says og:title; the page's only <h1> is a section heading
    html = page(
        og("Shameful traitors sell out the city"),
        "<article><h2>Shameful traitors sell out the city</h2>"
        "<p>The city council voted on Tuesday to sell the harbour to a foreign fund.</p>"
        f"<h1>Background</h1>{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == "Shameful traitors sell out the city"
    assert "\nBackground\n" in article.text


@pytest.mark.parametrize(
    "head",
    [
        "<title>Mayor slams reckless deal | Daily Times</title>" + og("Mayor slams reckless deal"),
        og("Mayor slams \u201creckless\u201d deal"),  # its words, quoted otherwise
    ],
)
@pytest.mark.parametrize("byline", ["", "<p>By Jane Doe</p>"])
def test_a_section_h1_above_the_headline_that_says_the_title_is_not_the_title(
    head: str, byline: str
) -> None:
    # reviewer: the page's only <h1> is its section ("Politics") and its headline an <h2> on
    # the second line: the title became "Politics" as only the first line was compared with
    # the title, and the headline moved into the body
    html = page(
        head,
        f"<article><h1>Politics</h1>{byline}<h2>Mayor slams reckless deal</h2>{BODY}</article>",
    )
    article = read_html(html)
    assert article.title == "Mayor slams reckless deal"
    assert article.metadata["title"] == "Mayor slams reckless deal"
    assert article.text.startswith("Mayor slams reckless deal\n\nPolitics\n")
    assert article.text.count("Mayor slams") == 1
    check_offsets(article)


@pytest.mark.parametrize(
    ("title", "heading", "names"),
    [
        ("Shameful traitors sell out the city", H1, True),
        (f"{H1} \u2013 Daily Bugle", H1, True),
        ("Brexit | The Guardian", "Brexit", True),
        ("The city", H1.replace("Shameful traitors", "The city"), False),  # too short a prefix
        ("Harbour sale approved by council", H1, False),
        ("Traitors sell out the city", H1, False),  # the first word differs, no prefix
        ("!!!", "!!!", False),  # no words
    ],
)
def test_which_titles_name_a_headline(title: str, heading: str, names: bool) -> None:
    assert _names_headline(title, heading) is names
