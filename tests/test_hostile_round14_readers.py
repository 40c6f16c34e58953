"""Round 14 of hostile testing, the readers: a page whose <meta> or server names a charset it is
not written in (every byte is a character of a single-byte charset, so the wrong one "decoded"
it), and a page whose only <h1> is its logo or section above the headline (an <h2>).

HTTP tests run against a local http.server on 127.0.0.1 (allow_private=True); nothing leaves
the machine, not even a DNS query.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import RoutesHandler, serve_on_loopback
from fakenet import FakeNetwork

from propscope.article import Article
from propscope.io import readers
from propscope.io.readers import fetch_url, read_article_file, read_html

RU_TITLE = "Лавров: Запад ведёт «гибридную войну» против России"
RU = [
    "Министр иностранных дел России Сергей Лавров заявил, что западные страны ведут против "
    "Москвы настоящую «гибридную войну». «Они хотят уничтожить нашу страну», — сказал он.",
    "По словам министра, санкции Евросоюза «бьют прежде всего по самим европейцам». Он также "
    "обвинил Вашингтон в том, что тот дирижирует всем этим оркестром.",
]
PL_TITLE = "Tusk: „Nie pozwolimy na szantaż”. Ostra debata w Sejmie"
PL = [
    "Premier Donald Tusk zapowiedział w środę twardą odpowiedź rządu na blokady granicy. "
    "„Nie pozwolimy, żeby garstka awanturników szantażowała całe państwo” – powiedział.",
    "Politycy opozycji nie zostawili na premierze suchej nitki. Według ministerstwa do końca "
    "miesiąca rozmowy z protestującymi będą kontynuowane, a źródła rządowe zapewniają, że "
    "sprawa zostanie rozwiązana.",
]
FR_TITLE = "Barrot dénonce une « offensive de désinformation » russe"
FR = [
    "Le ministre des Affaires étrangères a dénoncé mardi une « offensive de désinformation » "
    "orchestrée par Moscou à l\u2019approche des élections européennes.",
    "Selon le service Viginum, plus de 190 sites ont été identifiés. L\u2019ambassade de Russie "
    "a qualifié ces accusations de « russophobie primaire ».",
]


def page(title: str, paragraphs: list[str], charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><article>"
        f"<h1>{title}</h1>{body}</article></body></html>"
    )


def text_of(title: str, paragraphs: list[str]) -> str:
    return f"{title}\n\n" + "\n".join(paragraphs)


# The tester's pages: the bytes of one charset, labelled with another (a CMS template's
# <meta>, a server's default). windows-1251 read as KOI8-R was "кЮБПНБ: гЮОЮД ...", read as
# ISO-8859-1 (windows-1252) "Ëàâðîâ: Çàïàä ..." and refused as Ligurian; windows-1250 Polish
# read as ISO-8859-2 wrote "ą" as "š" and "ś" as a C1 control, refused as foreign letters.
MISLABELLED = [
    ("cp1251", "koi8-r", RU_TITLE, RU),
    ("cp1251", "iso-8859-1", RU_TITLE, RU),
    ("cp1250", "iso-8859-2", PL_TITLE, PL),
]


class _Handler(RoutesHandler):
    routes: dict[str, tuple[str, bytes]] = {
        f"/{written}-as-{label}": (
            f"text/html; charset={label}",
            page(title, paragraphs).encode(written),
        )
        for written, label, title, paragraphs in MISLABELLED
    }


@pytest.fixture(autouse=True)
def network(monkeypatch) -> FakeNetwork:
    """Every test here runs on the fake network: loopback only, names from a table."""
    return FakeNetwork().install(monkeypatch)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_on_loopback(_Handler) as url:
        yield url


# --- 1. a page labelled with a charset it is not written in -----------------------------------


@pytest.mark.parametrize(
    ("written", "label", "title", "paragraphs"),
    MISLABELLED,
    ids=[f"{w}-as-{label}" for w, label, _, _ in MISLABELLED],
)
def test_a_page_whose_meta_names_the_wrong_charset_reads_as_written(
    tmp_path: Path, written: str, label: str, title: str, paragraphs: list[str]
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(title, paragraphs, label).encode(written))
    article = read_article_file(path)
    assert article.text == text_of(title, paragraphs)
    assert article.title == title


@pytest.mark.parametrize(
    ("written", "label"),
    [(w, label) for w, label, _, _ in MISLABELLED],
    ids=[f"{w}-as-{label}" for w, label, _, _ in MISLABELLED],
)
def test_a_page_whose_server_names_the_wrong_charset_reads_as_written(
    server: str, written: str, label: str
) -> None:
    _, _, title, paragraphs = next(case for case in MISLABELLED if case[:2] == (written, label))
    article = fetch_url(f"{server}/{written}-as-{label}", allow_private=True)
    assert article.text == text_of(title, paragraphs)


# Pages whose label is right keep it, though other charsets decode them too (KOI8-R bytes read
# as windows-1251, ISO-8859-2 as windows-1250, windows-1252 French as windows-1250).
RIGHTLY_LABELLED = [
    ("koi8-r", RU_TITLE.replace("«", '"').replace("»", '"'), [
        p.replace("«", '"').replace("»", '"').replace("—", "-") for p in RU
    ]),
    ("windows-1251", RU_TITLE, RU),
    ("iso-8859-2", PL_TITLE.replace("„", '"').replace("”", '"'), [
        p.replace("„", '"').replace("”", '"').replace("–", "-") for p in PL
    ]),
    ("windows-1250", PL_TITLE, PL),
    ("windows-1252", FR_TITLE, FR),
    ("iso-8859-15", FR_TITLE, [p.replace("\u2019", "'") for p in FR]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("charset", "title", "paragraphs"),
    RIGHTLY_LABELLED,
    ids=[charset for charset, _, _ in RIGHTLY_LABELLED],
)
def test_a_page_whose_meta_names_its_charset_keeps_it(
    tmp_path: Path, charset: str, title: str, paragraphs: list[str]
) -> None:
    for shown in (paragraphs, paragraphs[:1]):  # a short page too: fewer words to tell by
        path = tmp_path / "page.html"
        path.write_bytes(page(title, shown, charset).encode(charset))
        assert read_article_file(path).text == text_of(title, shown)


# --- 2. a logo or section <h1> above the headline, an <h2> the text left out -----------------

IT_HEADLINE = "Migranti, Tajani: «L\u2019Europa non può restare a guardare»"
IT_STANDFIRST = "Il ministro chiede un fondo comune europeo per la gestione dei flussi"
IT_BODY = (
    "<p>Il ministro degli Esteri Antonio Tajani ha lanciato un appello all\u2019Unione europea "
    "durante il vertice di Bruxelles. «L\u2019Europa non può restare a guardare mentre i nostri "
    "confini bruciano», ha detto Tajani ai giornalisti.</p>"
    "<p>Secondo fonti diplomatiche, il governo italiano intende presentare una proposta formale "
    "entro la fine del mese. La proposta prevede un fondo comune per i flussi migratori.</p>"
    "<p>Dura la reazione dell\u2019opposizione. «È l\u2019ennesima propaganda di un governo che "
    "vive di slogan», ha dichiarato la segretaria del Pd Elly Schlein.</p>"
)
IT_FIRST = "Il ministro degli Esteri Antonio Tajani ha lanciato"


def it_page(head: str, body: str) -> str:
    return f'<html lang="it"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def check_offsets(article: Article) -> None:
    """The title line is paragraph 1 and every offset points into the text returned."""
    title = article.paragraphs[0]
    assert title.is_title
    assert article.text[title.start : title.end] == article.title
    for paragraph in article.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(article.text)
    for sentence in article.sentences:
        assert 0 <= sentence.start < sentence.end <= len(article.text)
        assert article.text[sentence.start : sentence.end].strip()


def test_a_logo_h1_is_not_the_title_of_the_headline_the_page_title_names() -> None:
    # the tester's it_logo_h2.html: the title was "Il Corriere del Nord", the headline lost
    html = it_page(
        f"<title>{IT_HEADLINE} | Il Corriere del Nord</title>",
        '<header><h1 class="logo"><a href="/">Il Corriere del Nord</a></h1></header>'
        f'<div class="articolo"><h2 class="titolo">{IT_HEADLINE}</h2>{IT_BODY}</div>',
    )
    article = read_html(html)
    assert article.title == IT_HEADLINE
    assert article.metadata["title"] == IT_HEADLINE
    assert article.text.startswith(f"{IT_HEADLINE}\n\n{IT_FIRST}")
    assert "Il Corriere del Nord" not in article.text
    check_offsets(article)


def test_a_section_h1_is_not_the_title_and_the_standfirst_stays() -> None:
    # the tester's it_section_h1.html: the title was "Politica", headline and standfirst lost
    html = it_page(
        f"<title>{IT_HEADLINE} - Politica - Il Corriere del Nord</title>",
        f'<div class="articolo"><h1 class="sezione">Politica</h1><h2>{IT_HEADLINE}</h2>'
        f'<h3 class="sommario">{IT_STANDFIRST}</h3>{IT_BODY}</div>',
    )
    article = read_html(html)
    assert article.title == IT_HEADLINE
    assert article.text.startswith(f"{IT_HEADLINE}\n\n{IT_STANDFIRST}\n{IT_FIRST}")
    assert article.text.count(IT_STANDFIRST) == 1
    check_offsets(article)


def test_an_og_title_names_the_headline_under_a_logo_h1_too() -> None:
    html = it_page(
        f'<meta property="og:title" content="{IT_HEADLINE}"><title>Il Corriere del Nord</title>',
        f"<h1>Il Corriere del Nord</h1><main><h2>{IT_HEADLINE}</h2>{IT_BODY}</main>",
    )
    assert read_html(html).title == IT_HEADLINE


@pytest.mark.parametrize(
    "title",
    [
        "Tajani: Europa non può guardare",  # the <h1> itself
        "Tajani: Europa non può guardare | Il Corriere del Nord",  # the <h1> with the site
    ],
)
def test_an_h1_the_page_title_names_whole_stays_the_headline(title: str) -> None:
    """An <h2> that the title names too (it starts with the same words) is no headline when
    the title names the <h1> itself: the <h1> is the headline, the <h2> its subtitle."""
    h1 = "Tajani: Europa non può guardare"
    html = it_page(
        f"<title>{title}</title>",
        f"<article><h1>{h1}</h1><h2>{h1} mentre i confini bruciano, dice il ministro</h2>"
        f"{IT_BODY}</article>",
    )
    assert read_html(html).title == h1


def test_a_standfirst_is_only_the_headings_right_before_the_text() -> None:
    _standfirst = readers._standfirst
    lines = ["Il ministro degli Esteri ha parlato.", "Poi la replica."]
    after = [("h3", "Il sommario"), ("p", "Il ministro degli Esteri ha parlato.")]
    assert _standfirst(after, lines) == ["Il sommario"]
    # a list of links, or a paragraph the text left out, between them: nothing is taken
    assert _standfirst([("h3", "Leggi anche"), ("ul", "Un link"), *after[1:]], lines) == []
    assert _standfirst([("p", "Foto Ansa"), *after], lines) == []
    # the text does not start right after them
    assert _standfirst([("h3", "Il sommario"), ("div", "Altro")], lines) == []
