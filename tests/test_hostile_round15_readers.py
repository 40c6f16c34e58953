"""Round 15 of hostile testing, readers and debris: a ``<title>`` whose headline holds a full
stop gave the headline as the outlet (trafilatura takes the part with a dot for a domain),
and paywall prompts, "read also" teasers without a colon, bylines, datelines, tag lists,
live badges, bare times and consent dialogs were analysed as article text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.article import Article
from propscope.io.readers import read_html, read_path

HEADLINE = "Sejm przyjął ustawę o mediach. Opozycja protestuje"
BODY = [
    "Sejm przyjął w piątek ustawę o mediach publicznych. Za głosowało 240 posłów, przeciw było "
    "205, a trzech wstrzymało się od głosu. Ustawa trafi teraz do Senatu.",
    "„To czarny dzień dla polskiej demokracji” – powiedział po głosowaniu poseł opozycji Marek "
    "Nowak. Minister kultury odpowiedział, że ustawa przywraca standardy sprzed ośmiu lat.",
]


OG_HEADLINE = f'<meta property="og:site_name" content="{HEADLINE}">'


def page(title: str, h1: str | None = HEADLINE, head: str = "", body: list[str] = BODY) -> str:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (
        f'<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{title}</title>'
        f"{head}</head><body>{heading}{paragraphs}</body></html>"
    )


# --- the site's name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        page(f"{HEADLINE} | Portal Info"),  # the tester's page
        page(f"{HEADLINE} | Kraj | Portal Info"),  # a section between them
        page(f"Portal Info | {HEADLINE}"),  # the site first
        page(f"{HEADLINE} | Portal Info", h1=None),  # no <h1>: the title was the site too
        page(f"Portal Info – {HEADLINE}", h1=None),
        # an og:site_name that is the headline is no site's name either
        page(f"{HEADLINE} | Portal Info", head=OG_HEADLINE),
    ],
)
def test_a_headline_with_a_full_stop_is_not_the_site_name(html: str) -> None:
    article = read_html(html, source="page.html")
    assert article.metadata["sitename"] == "Portal Info"
    assert article.title == article.metadata["title"] == HEADLINE
    assert article.text.startswith(HEADLINE + "\n\n")


def test_og_site_name_comes_first() -> None:
    html = page(
        f"{HEADLINE} | Portal Info", head='<meta property="og:site_name" content="Portal Info SA">'
    )
    assert read_html(html).metadata["sitename"] == "Portal Info SA"


@pytest.mark.parametrize(
    "title, h1",
    [
        (HEADLINE, HEADLINE),  # no separator: no site's name in it
        # the part after the dash is the headline's own
        ("Kampf um Kiew. Die Lage - am Morgen", "Kampf um Kiew. Die Lage - am Morgen"),
        ("Retraites : le gouvernement passe en force",) * 2,
    ],
)
def test_no_site_name_where_the_title_gives_none(title: str, h1: str) -> None:
    body = [
        "Le gouvernement a de nouveau recouru à l’article 49.3 mardi pour faire adopter sans vote "
        "sa réforme des retraites, provoquant la fureur des oppositions et des syndicats.",
        "La Première ministre a défendu sa décision devant les députés sous les huées de "
        "l’opposition, qui dénonce un déni de démocratie.",
    ]
    article = read_html(page(title, h1=h1, body=body))
    assert "sitename" not in article.metadata
    assert article.title == h1


def test_a_saved_page_read_as_batch_reads_it_names_its_site(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(page(f"{HEADLINE} | Portal Info"), encoding="utf-8")
    (article,) = read_path(str(path))
    assert article.metadata["sitename"] == "Portal Info"


# --- debris ------------------------------------------------------------------------------------


def debris_lines(article: Article) -> list[str]:
    return [article.text[p.start : p.end] for p in article.paragraphs if p.is_debris]


def in_context(line: str) -> list[str]:
    text = "Titre\n\nLe maire a parlé mardi.\n" + line + "\nLe débat continue demain.\n"
    return debris_lines(Article.from_text(text))


PAYWALL = [
    # the tester's lines
    "Abonnés",
    "Cet article est réservé aux abonnés. Il vous reste 78 % à découvrir.",
    "Abonnez-vous pour 1 € le premier mois, sans engagement.",
    "Je m’abonne",
    "Déjà abonné ? Se connecter",
    "This article is for subscribers only.",
    "Already a subscriber? Log in",
    "Dieser Artikel ist nur für Abonnenten verfügbar.",
    "Sei già abbonato? Accedi",
    "Ten artykuł jest dostępny tylko dla subskrybentów.",
    "Этот материал доступен только подписчикам.",
    # the same prompts otherwise worded
    "Article réservé aux abonnés",
    "Il vous reste 64% de cet article à lire.",
    "Subscribers only",
    "Subscribe to continue reading",
    "You have reached your limit of free articles",
    "Subscribe for $1 a week",
    "Nur für Abonnenten",
    "Bereits Abonnent? Hier anmelden",
    "Jetzt abonnieren",
    "Contenuto riservato agli abbonati",
    "Abbonati per continuare a leggere",
    "Solo per gli abbonati",
    "Tylko dla subskrybentów",
    "Masz już subskrypcję? Zaloguj się",
    "Zaloguj się",
    "Только для подписчиков",
    "Уже есть подписка? Войти",
    "Оформить подписку",
]

READ_ALSO = [
    "LEGGI ANCHE Caro energia, le misure del governo punto per punto",
    "Czytaj także Prezydent Duda zapowiada weto",
    "Читайте также Путин прокомментировал новые санкции ЕС",
    "Lesen Sie auch Städtetag schlägt Alarm",
    "À lire aussi Envoi de troupes en Ukraine : ce qu’a vraiment dit Emmanuel Macron",
    "Read more Woolwich attack suspects appear in court",
]

BYLINES = [
    "Par Pierre Martin (avec AFP) — Publié le 29/02/2024 à 13h20",
    "Par Claire Dubois · Publié le 18 mars 2025 à 09h30, mis à jour à 11h05",
    "Von Katrin Müller · 29.01.2025, 18:12 Uhr",
    "di Marco Rossi — 19 marzo 2025 | 20:15",
    "Autor: Jan Kowalski 11.03.2025, 14:35 Aktualizacja: 11.03.2025, 16:02",
    "Автор: Ирина Смирнова",
    "By Nick Brown",
    "By Marton Dunai",
    "By Karista Baldwin, Conservative Tribune November 15, 2018:",
    "par Karine Bechet-Golovko.",
    "Abbonati a 1 euro al mese.",
    "16 мая 2025, 15:30",
    "28 febbraio 2025",
    "Freitag, 1. Juli 2022",
    "17:30",
    "Tagi: media publiczne Sejm PiS",
    "Tags: breaking, columbia university asian american alliance, cultureSHOCK, nimesh patel",
    "Tags: Trump, Russia, sanctions",
    "Mots-clés : retraites, 49.3",
    "LIVE",
    "En direct",
    "18+",
]

CONSENT = [
    "Zanim przejdziesz dalej, zapoznaj się z informacją o przetwarzaniu danych osobowych i "
    "plikach cookies.",
    "Twoja prywatność jest dla nas ważna",
    "Before you continue, read how we use cookies and your personal data.",
    "Your privacy is important to us",
    "Le respect de votre vie privée est notre priorité",
    "Avant de continuer, prenez connaissance de notre politique de confidentialité.",
    "Ihre Privatsphäre ist uns wichtig",
    "Bevor Sie fortfahren: Wir verwenden Cookies und verarbeiten personenbezogene Daten.",
    "La tua privacy è importante per noi",
    "Prima di continuare, leggi l'informativa sui cookie.",
    "Мы ценим вашу конфиденциальность",
    "Прежде чем продолжить, ознакомьтесь с политикой конфиденциальности.",
]


@pytest.mark.parametrize("line", PAYWALL + READ_ALSO + BYLINES + CONSENT)
def test_page_furniture_alone_on_its_line_is_debris(line: str) -> None:
    assert in_context(line) == [line]


@pytest.mark.parametrize(
    "line",
    [
        # sentences about subscribers, paywalls and logging in
        "Les abonnés paient 10 € par mois pour lire ces mensonges.",
        "Abonnenten wissen mehr als die Regierung.",
        "Already a subscriber to their lies, the minister went on.",
        # sentences that open like a teaser
        "Lesen Sie auch, was die Regierung verschweigt.",
        "Zobacz także, jak rząd kłamie w sprawie węgla.",
        "A lire aussi les rapports, on comprend que le gouvernement ment.",
        "Read more books and you will see through the lies.",
        "Czytaj także Gazetę Polską, a zrozumiesz.",
        # headings and sentences that open like a byline or a dateline
        "By Friday the army had left the city.",
        "By Friday",
        "By The Numbers",
        "By Land And Sea",
        "Di Battista",
        "Von Berlin nach Moskau",
        "Di Maio ha detto che il governo cadrà.",
        "Le 18 mars 2025, le gouvernement a menti.",
        "18 marzo 2025: il governo cade",
        "March 5th, 2017.",  # said in a transcript (PTC 758512204)
        "2:11).",  # a Bible verse cut off by a line break, in a gold span (PTC 715588833)
        # tags, live and consent words in sentences
        "Tags: the government lies. Everyone knows it.",
        "Live from Moscow, the president spoke again.",
        "Direct contact with Moscow was cut.",
        "Zanim przejdziesz dalej, pomyśl o dzieciach.",
        "Before you continue, ask yourself who pays for this war.",
        "Your privacy is important to us, says the company that sells it.",
        # a paywall offer takes its own sentence, not the next one
        "Abonnez-vous pour 1 € par mois. Le gouvernement vous ment depuis des années sur la dette.",
        "Abbonati a 1 euro al mese. Il governo ha mentito agli italiani per anni.",
        # capitalised headings after "By", "Par", "Przez": no first name, no byline mark
        "By Royal Appointment",
        "Par Monts Et Vaux",
        "Przez Polskę Wschodnią",
        # a label of tags before a sentence, not a list
        "Tags: the minister lied again",
        "Argomenti: la verità che nessuno dice",
    ],
)
def test_prose_that_opens_like_page_furniture_stays(line: str) -> None:
    assert in_context(line) == []


def test_a_read_also_header_takes_neither_its_headline_nor_the_next_paragraph() -> None:
    """Mid-body, "Czytaj także" alone takes only itself (the headline under it stays, as the
    training data annotates such headlines), and with its headline on its line only that
    line: the next paragraph is analysed."""
    prose = "Rząd milczy w sprawie gazociągu, a opozycja domaga się wyjaśnień od ministra.\n"
    text = (
        "Tytuł\n\n" + prose * 2 + "Czytaj także\nGazprom zapowiada uruchomienie\n" + prose
        + "Czytaj także Prezydent Duda zapowiada weto\n" + prose * 3
    )  # fmt: skip
    assert debris_lines(Article.from_text(text)) == [
        "Czytaj także",
        "Czytaj także Prezydent Duda zapowiada weto",
    ]


def test_a_paywalled_page_loses_its_paywall_and_keeps_its_text() -> None:
    """The tester's French page: badge, byline, the paywall box under the third paragraph."""
    body = [
        "Le gouvernement a de nouveau recouru à l’article 49.3 mardi pour faire adopter sans vote "
        "sa réforme des retraites, provoquant la fureur des oppositions et des syndicats.",
        "« C’est un déni de démocratie absolu », a déclaré Sophie Binet, secrétaire générale de "
        "la CGT, devant l’Assemblée nationale.",
        "La Première ministre Élisabeth Borne a défendu sa décision devant les députés. « Nous ne "
        "pouvons pas jouer avec l’avenir de nos retraites », a-t-elle affirmé sous les huées.",
    ]
    paywall = [
        "Cet article est réservé aux abonnés. Il vous reste 78 % à découvrir.",
        "Abonnez-vous pour 1 € le premier mois, sans engagement.",
    ]
    title = "Réforme des retraites : le gouvernement passe en force"
    html = (
        f'<html lang="fr"><head><meta charset="utf-8"><title>{title} | Le Quotidien</title></head>'
        f'<body><article><span class="badge">Abonnés</span><h1>{title}</h1>'
        + "".join(f"<p>{p}</p>" for p in body)
        + '<div class="paywall">'
        + "".join(f"<p>{p}</p>" for p in paywall)
        + '<p>Déjà abonné ? <a href="/connexion">Se connecter</a></p></div></article></body></html>'
    )
    article = read_html(html, source="fr_paywall.html")
    kept = [article.text[p.start : p.end] for p in article.analysable_paragraphs()]
    assert kept == [title, *body]
    assert set(debris_lines(article)) >= {*paywall, "Déjà abonné ? Se connecter"}
    assert article.metadata["sitename"] == "Le Quotidien"
