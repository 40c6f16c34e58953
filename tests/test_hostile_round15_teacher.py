"""A teacher's Italian and Polish pastes (hostile round 15, /tmp/hostile15a items 1 and 2):
cookie consent notices and buttons of the six languages are debris, so the headline under them
is the title; the HTML report sets off a finding's words with “ ” only when they have no
quotation marks of their own.

No model: hand-made analyses (tests/builders.py); the browser check of the details card is
skipped without Chromium and Playwright.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from builders import analysis, at, span
from chromium import ARGS, CHROMIUM
from test_report_html import parse

from propscope import article
from propscope.article import Article
from propscope.report.html import render_html

DATA = Path(os.environ.get("PROPSCOPE_DATA", Path(__file__).resolve().parents[2] / "shared/data"))

# --- item 1: consent notices and buttons are debris, and no title ----------------------------

BODY = (
    "MILANO – Le bollette della luce e del gas aumenteranno del 35% a partire da gennaio. Lo "
    "ha annunciato l'Autorità per l'energia, scatenando una valanga di reazioni politiche.\n\n"
    "“Bruxelles ci sta strangolando”, ha detto il ministro Paolo Guerrieri.\n"
)
NOTICE = "Accetta i cookie per continuare la navigazione. Leggi l'informativa"
HEADLINE = "Energia, bollette alle stelle: il governo accusa Bruxelles"


def debris_lines(a: Article) -> list[str]:
    return [a.text[p.start : p.end] for p in a.paragraphs if p.is_debris]


def test_the_italian_consent_notice_above_the_headline_is_debris_and_the_headline_the_title():
    text = "\ufeff" + NOTICE + "\n" + HEADLINE + "\n\n" + BODY
    a = Article.from_text(text)
    assert a.title == HEADLINE
    assert debris_lines(a) == [NOTICE]
    assert a.debris == ((1, 1 + len(NOTICE)),)  # after the BOM, the user's offsets


# Consent notices, buttons and privacy links as news sites show them, in the six languages
CONSENT_LINES = [
    # it
    NOTICE,
    "Accetta tutti i cookie",
    "Accetta",
    "Rifiuta tutti",
    "Continua senza accettare",
    "Gestisci le preferenze",
    "Leggi l'informativa",
    "Questo sito o gli strumenti terzi da questo utilizzati si avvalgono di cookie necessari al "
    "funzionamento ed utili alle finalità illustrate nella cookie policy.",
    "Noi e terze parti selezionate utilizziamo cookie o tecnologie simili per finalità tecniche "
    "e, con il tuo consenso, anche per altre finalità.",
    "Proseguendo la navigazione acconsenti all'uso dei cookie.",
    # en
    "Accept cookies to continue reading this article.",
    "Accept all",
    "Reject all",
    "I agree",
    "Manage preferences",
    "Privacy Policy",
    "We and our partners store and/or access information on a device, such as cookies, and "
    "process personal data for personalised ads and content.",
    # fr
    "Tout accepter",
    "Continuer sans accepter",
    "J’accepte",
    "Accepter et fermer",
    "Paramétrer les cookies",
    "Politique de confidentialité",
    "Acceptez les cookies pour continuer votre navigation.",
    "Nous et nos partenaires utilisons des cookies pour améliorer votre expérience.",
    "En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.",
    # de
    "Alle akzeptieren",
    "Alle Cookies akzeptieren",
    "Ablehnen",
    "Zustimmen und weiter",
    "Einverstanden",
    "Cookie-Einstellungen",
    "Datenschutzerklärung",
    "Akzeptieren Sie Cookies, um diesen Inhalt zu sehen.",
    "Wir und unsere Partner verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.",
    "Durch die weitere Nutzung der Webseite stimmen Sie der Verwendung von Cookies zu.",
    # pl
    "Akceptuję",
    "Akceptuję ›",
    "Zaakceptuj wszystkie",
    "Zgadzam się",
    "Przejdź do serwisu",
    "Ustawienia cookies",
    "Polityka prywatności",
    "Zaakceptuj pliki cookies, aby kontynuować.",
    "My i nasi partnerzy przechowujemy informacje na urządzeniu, takie jak pliki cookie.",
    "Korzystając ze strony, wyrażasz zgodę na używanie plików cookies.",
    "Dalsze korzystanie z serwisu oznacza zgodę na wykorzystywanie plików cookies.",
    # ru
    "Принять все",
    "Принимаю",
    "Согласен",
    "Настройки cookie",
    "Политика конфиденциальности",
    "Примите cookie, чтобы продолжить работу с сайтом.",
    "Мы и наши партнёры используем файлы cookie для улучшения работы сайта.",
    "Продолжая использовать сайт, вы соглашаетесь с использованием файлов cookie.",
    # the tester's other widgets: a "we recommend" header, a like and a comment button
    "Polecamy:",
    "Рекомендуем",
    "Ti consigliamo",
    "Empfehlungen der Redaktion",
    "Polub nas na Facebooku",
    "Commenta",
]


@pytest.mark.parametrize("line", CONSENT_LINES)
def test_consent_lines_of_the_six_languages_are_debris(line: str) -> None:
    text = "Titolo\n\nIl sindaco ha parlato martedì.\n" + line + "\nIl dibattito continua.\n"
    assert debris_lines(Article.from_text(text)) == [line]


@pytest.mark.parametrize("line", ["Accetta tutti i cookie", "Akceptuję", "Polecamy:", NOTICE])
def test_a_consent_line_pasted_first_is_no_title(line: str) -> None:
    a = Article.from_text(line + "\n" + HEADLINE + "\n\n" + BODY)
    assert a.title == HEADLINE and debris_lines(a) == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Accetta i cookie o rinuncia alla privacy: è questa la scelta che ci impone Bruxelles.",
        "Accept cookies, accept surveillance, accept everything: that is what the EU wants.",
        "Accetto la sfida, ha detto il ministro.",
        "Accetta tutto, pur di restare al governo.",
        "Rifiuta tutti i compromessi, dice Salvini.",
        "Continuando a navigare a vista, il governo porterà il Paese al disastro.",
        "Noi e i nostri partner europei continueremo a sostenere l'Ucraina sul sito del vertice.",
        "We and our partners will continue to support Ukraine on every site of the conflict.",
        "En poursuivant votre navigation dans les archives, vous comprendrez la crise.",
        "Ablehnen kann man so ein Angebot nicht.",
        "Korzystając z tej strony konstytucji, rząd łamie prawo.",
        "Akceptuję wyrok sądu, powiedział premier.",
        "Polecamy wszystkim lekturę tego raportu, który pokazuje kłamstwa rządu.",
        "Рекомендуем всем задуматься о последствиях этой войны.",
        "Commenta il ministro: «È una vergogna».",
        "Privacy policy changes at Facebook angered millions of users.",
        # an answer in an interview ends with a full stop; a button does not
        "I agree.",
        "Zgadzam się.",
        "Согласен.",
        "Einverstanden!",
    ],
)
def test_prose_opening_like_a_consent_line_stays(line: str) -> None:
    text = "Titolo\n\nIl sindaco ha parlato martedì.\n" + line + "\nIl dibattito continua.\n"
    assert debris_lines(Article.from_text(text)) == []


def test_a_recommend_box_at_the_end_takes_its_links_but_mid_body_only_itself() -> None:
    prose = "Rząd milczy w sprawie gazociągu, a opozycja domaga się wyjaśnień od ministra.\n"
    text = "Tytuł\n\n" + prose * 3 + "Polecamy:\nGazprom zapowiada uruchomienie\n" + prose * 3
    text += "Polecamy:\nMerkel broni projektu\nUkraina: gazociąg to broń Kremla\n"
    assert debris_lines(Article.from_text(text)) == ["Polecamy:"] * 2 + [
        "Merkel broni projektu",
        "Ukraina: gazociąg to broń Kremla",
    ]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"training data not found at {DATA}")
def test_no_line_of_the_training_articles_is_a_consent_notice_or_button() -> None:
    """The new rules mark nothing in the 1,341 training articles (PTC and SemEval-2023's six
    languages; ~27,000 distinct lines): their only cookie notices were debris before."""
    folders = [DATA / "ptc_semeval2020_task11/train-articles"] + [
        DATA / "semeval2023_task3" / language / "train-articles-subtask-3"
        for language in ("en", "fr", "ge", "it", "po", "ru")
    ]
    lines = {
        line.strip()
        for folder in folders
        for path in folder.glob("article*.txt")
        for line in path.read_text(encoding="utf-8").split("\n")
    }
    assert len(lines) > 20_000
    new_rules = [
        p
        for p in article._DEBRIS_LINE
        if article._CONSENT_NOTICE in p.pattern or article._CONSENT_BUTTON in p.pattern
    ] + [
        re.compile(rf"{article._RECOMMENDS}\s*[:.]?", re.I),
        re.compile(r"(?:commenta|commenter|(?:про)?комментировать)\W*", re.I),
        re.compile(r"(?:polub nas|aimez-nous|liken sie uns).*", re.I),
    ]
    assert len(new_rules) == 5 and all(
        any(p.fullmatch(x) for x in CONSENT_LINES) for p in new_rules
    )
    assert [line for line in lines if any(p.fullmatch(line) for p in new_rules)] == []


# --- item 2: the findings table and the details card add no marks to quoted words ------------

QUOTED = (
    "Bollette alle stelle\n\n"
    "“Bruxelles ci sta strangolando. Le hanno scritte burocrati”, ha detto il ministro.\n"
    "Marchetti ha chiesto: ‘Le famiglie non possono aspettare, serve un intervento subito’.\n"
    "«Il governo cerca un nemico esterno», ha commentato Monti, e „das ist Propaganda“.\n"
    "Il governo ha scatenato una valanga di reazioni.\n"
)
SPANS = [
    "“Bruxelles ci sta strangolando. Le hanno scritte burocrati”",  # both its own marks
    "Le famiglie non possono aspettare, serve un intervento subito’",  # a closing one
    "«Il governo cerca un nemico esterno",  # an opening one
    "„das ist Propaganda“",  # German marks
    "scatenato una valanga",  # none: set off with “ ”
]
SHOWN = SPANS[:4] + ["“scatenato una valanga”"]


def _quoted_analysis():
    return analysis(QUOTED, [span(QUOTED, *at(QUOTED, words)) for words in SPANS])


def test_the_words_column_adds_no_marks_to_words_with_their_own():
    html = render_html([_quoted_analysis()])
    tree = parse(html)
    cells = [c.text().rsplit(" line ", 1)[0] for c in tree.root.find_all("td", class_="words")]
    assert cells == SHOWN
    # the details card's data carries the same words; the highlighted text is the article's
    data = json.loads(tree.root.by_id("a1-data").text())["spans"]
    assert [s["words"] for s in data] == SHOWN and [s["text"] for s in data] == SPANS
    assert "““" not in html and "”””" not in html


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
def test_the_details_card_shows_the_words_as_the_table_does():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    html = render_html([_quoted_analysis()])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_content(html)
            shown = []
            for i in range(len(SPANS)):
                page.locator(f".doc mark.hl[data-first~='{i}']").first.focus()
                page.keyboard.press("Enter")
                card = page.locator("#pc-card")
                card.wait_for(state="visible", timeout=5_000)
                shown.append(card.locator(".pop-words").first.inner_text())
                page.keyboard.press("Escape")
                card.wait_for(state="hidden", timeout=5_000)
            assert shown == SHOWN
        finally:
            browser.close()
