"""The browser extension against the fifteenth round's news pages, in real headless Chromium
with a small fake propscope server (no model): an article whose paragraphs sit in several
<div>s with no article markup (the extension read one of them, or called the page "not an
article"), bylines, datelines, tags, live-blog badges and times and "read also" boxes that
got into the text, and a page without an <h1> (its <title>, site and section names and all,
was sent as the headline, and its text started with the section's label).

As in test_hostile_round11_extension.py, pages come from 127.0.0.2 and the server listens on
127.0.0.1; the test copy of the extension has a host permission for the page server in place
of the toolbar click's ``activeTab`` grant, and calls the function the click calls.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from http.server import BaseHTTPRequestHandler

import pytest
from builders import serve_in_thread
from chromium import ARGS, CHROMIUM, require_chromium

require_chromium()
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

from test_extension_hostile import _Pages  # noqa: E402 (the saved pages' server, as there)

PAGES_HOST = "127.0.0.2"


# --- the fake server, the pages, the browser ----------------------------------------------------


class _Fake(BaseHTTPRequestHandler):
    """A propscope server as the extension sees it: one finding, the text's first word."""

    posts: list = []

    def _cors(self) -> None:
        origin = self.headers.get("Origin") or ""
        if origin.startswith("chrome-extension://"):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Headers", "Content-Type, X-API-Key")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(200)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self._json(200, {"status": "ok"})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        type(self).posts.append(body)
        word = re.search(r"\w+", body["text"])
        span = {
            "start": word.start(),
            "end": word.end(),
            "text": word.group(),
            "technique": "Loaded_Language",
            "technique_label": "Loaded language",
            "category": "Manipulative wording",
            "confidence": 0.9,
            "voice": "author",
            "speaker": None,
            "explanation": "why",
        }
        self._json(201, {"id": len(self.posts), "spans": [span], "language": {"spans": True}})

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def fake():
    handler = type("Fake", (_Fake,), {"posts": []})
    httpd, handler.url = serve_in_thread(handler, "127.0.0.1")
    yield handler
    httpd.shutdown()


@pytest.fixture(scope="module")
def site():
    handler = type("Pages", (_Pages,), {"pages": {}})
    try:
        httpd, handler.base = serve_in_thread(handler, PAGES_HOST)
    except OSError:
        pytest.skip("loopback 127.0.0.2 is not available")
    yield handler
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory, site, fake):
    from propscope.browser_extension import write_extension

    written = write_extension(tmp_path_factory.mktemp("extension"))
    manifest_path = written.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["host_permissions"] = [f"http://{PAGES_HOST}/*"]
    manifest_path.write_text(json.dumps(manifest))
    folder = str(written.folder)
    args = [*ARGS, f"--disable-extensions-except={folder}", f"--load-extension={folder}"]
    with playwright_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=args
        )
        worker = context.service_workers[0] if context.service_workers else None
        context.worker = worker or context.wait_for_event("serviceworker", timeout=15_000)
        context.worker.evaluate(
            "(url) => chrome.storage.local.set({serverUrl: url, apiKey: ''})", fake.url
        )
        yield context
        context.close()


@pytest.fixture(autouse=True)
def fresh(fake, browser):
    fake.posts.clear()
    yield
    for page in browser.pages:
        page.close()


def analyse(browser, site, path: str, markup: str) -> tuple[dict, object]:
    """Serve ``markup`` at ``path``, open it and click the toolbar button: the worker's
    report and the page."""
    site.pages[path] = markup
    page = browser.new_page()
    page.goto(site.base + path)
    result = browser.worker.evaluate(
        """async (url) => {
             const [tab] = await chrome.tabs.query({ url });
             return analyseFromUser(tab.id);
           }""",
        page.url,
    )
    return result, page


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


# --- 1. an article whose paragraphs sit in several <div>s ----------------------------------------

PL_TITLE = "Rosyjska dezinformacja zalewa polski internet. Eksperci biją na alarm"
PL_PARAS = [
    "Rosyjskie farmy trolli prowadzą <em>zmasowaną kampanię</em> w polskich mediach "
    "społecznościowych – wynika z raportu <a href='/naukowa-nask'>NASK</a> opublikowanego w "
    "czwartek.",
    "Autorzy raportu przeanalizowali ponad <span class='num'>200 tysięcy</span> wpisów z "
    "ostatnich sześciu miesięcy. Najczęściej powtarzanym motywem było rzekome "
    "<em>„zmęczenie Polaków uchodźcami z Ukrainy”</em>.",
    "„Kreml prowadzi przeciwko Polsce <strong>prawdziwą wojnę informacyjną</strong>, a my "
    "wciąż udajemy, że to tylko kilka anonimowych kont” – powiedział wicepremier "
    "<a href='/tag/gawkowski'>Krzysztof Gawkowski</a>.",
    "Raport NASK opisuje też mechanizm wzmacniania treści: te same grafiki i hasła pojawiały "
    "się w ciągu kilku minut na setkach kont, a następnie były udostępniane przez profile "
    "udające lokalnych przedsiębiorców, nauczycieli i emerytów z mniejszych miejscowości.",
    "Według ekspertów celem kampanii jest osłabienie poparcia dla pomocy Ukrainie przed "
    "wyborami prezydenckimi. Raport wskazuje, że część treści była rozpowszechniana przez "
    "<span>konta podszywające się pod polskich rolników</span>.",
    "Analityk Michał Marek z Centrum Badań nad Współczesnym Środowiskiem Bezpieczeństwa zwraca "
    "uwagę, że przekaz jest coraz lepiej dopasowany do lokalnych sporów. „To nie są już "
    "prymitywne boty, tylko profesjonalna operacja” – dodał Marek.",
    "NASK zapowiada, że wyniki analizy zostaną przekazane Państwowej Komisji Wyborczej oraz "
    "platformom społecznościowym.",
]


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def split_page(paras: list[str], *, sidebar: str = "", points: list[str] = ()) -> str:
    """The tester's page: a lead <div>, then body parts of one to three paragraphs, with an
    advert and a "read also" box between them (and a list of ``points`` after the third
    paragraph); no <article>, <main> or articleBody."""
    p = [f"<p>{x}</p>" for x in paras]
    if points:
        p[2] += "<ul>" + "".join(f"<li>{x}</li>" for x in points) + "</ul>"
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>{PL_TITLE} | Portal Info</title></head>
<body>
<nav class="menu"><a href="/">Portal Info</a> | <a href="/wiadomosci">Wiadomości</a> |
<a href="/tech">Technologie</a> | <a href="/bezpieczenstwo">Bezpieczeństwo</a></nav>
<div class="container"><div class="art">
<h1 class="art__title">{PL_TITLE}</h1>
<div class="art__meta">Anna Wiśniewska | 03.04.2025 08:00</div>
<div class="art__lead">{p[0]}</div>
<div class="art__body-part">{p[1]}</div>
<div class="ad-slot"><span>Reklama</span></div>
<div class="art__body-part">{p[2]}</div>
<div class="art__readmore"><p>Czytaj także: <a href="/a">Jak rozpoznać fałszywe konto?
Poradnik dla każdego</a></p></div>
<div class="art__body-part">{"".join(p[3:-1])}</div>
<div class="art__body-part">{p[-1]}</div>
</div>{sidebar}
<div class="comments-box"><h4>Dodaj komentarz</h4><textarea placeholder="Twój komentarz">
</textarea><div class="comment"><p>Trolle są wszędzie, nawet w tych komentarzach, ciekawe kto
za to płaci tym ludziom.</p></div></div>
</div>
<footer>Portal Info &#169; 2025</footer>
</body></html>"""


@pytest.mark.parametrize("paras", [PL_PARAS[:3] + PL_PARAS[4:], PL_PARAS], ids=["six", "seven"])
def test_paragraphs_in_several_divs_are_all_read(browser, site, fake, paras):
    """Six paragraphs (~170 words) were "not an article" and seven were read as the three of
    the <div> with the most text: the extension scored only each paragraph's parent."""
    result, _ = analyse(browser, site, f"/split-{len(paras)}", split_page(paras))
    assert result["state"] == "findings", result
    sent = fake.posts[0]["text"]
    assert lines(sent) == [PL_TITLE, *(plain(x) for x in paras)], sent
    assert fake.posts[0]["title"] == PL_TITLE


# A sidebar of links and teasers not named like furniture: the element that holds the
# article's paragraphs is chosen, not one that takes the sidebar with them.
SIDEBAR = """<div class="col-right"><h3>Najczęściej czytane</h3><ul>
<li><a href="/1">Kolejny protest przed Sejmem. Policja szacuje tłum na kilka tysięcy osób</a></li>
<li><a href="/2">Sienkiewicz: nie boimy się weta prezydenta, ustawa wejdzie w życie</a></li>
<li><a href="/3">Nowe przepisy o mediach publicznych. Co się zmieni od przyszłego roku?</a></li>
<li><a href="/4">Ekspert: rosyjskie farmy trolli działają także na TikToku i YouTube</a></li>
</ul><p><a href="/5">Sprawdź, jak rozpoznać fałszywe konto w mediach społecznościowych</a></p>
</div>"""


def test_a_sidebar_of_links_next_to_the_split_article_stays_out(browser, site, fake):
    result, _ = analyse(browser, site, "/split-sidebar", split_page(PL_PARAS, sidebar=SIDEBAR))
    assert result["state"] == "findings", result
    sent = fake.posts[0]["text"]
    assert lines(sent) == [PL_TITLE, *(plain(x) for x in PL_PARAS)], sent


POINTS = [
    f"Punkt {k}: raport opisuje konta, które publikowały te same treści w kilku językach, "
    "często w ciągu kilku minut, a następnie były promowane przez sieci botów."
    for k in range(1, 7)
]


def test_a_list_of_points_in_the_split_article_does_not_split_it(browser, site, fake):
    """A list of points in the article's own words counts as neither paragraphs nor other
    text: six of them in the middle of the article took its score below that of one part."""
    page = split_page(PL_PARAS, points=POINTS)
    result, _ = analyse(browser, site, "/split-points", page)
    assert result["state"] == "findings", result
    sent = fake.posts[0]["text"]
    want = [PL_TITLE, *(plain(x) for x in PL_PARAS[:3]), *POINTS, *(plain(x) for x in PL_PARAS[3:])]
    assert lines(sent) == want, sent


# --- 2. bylines, datelines, tags, live-blog badges and times, "read also" boxes ------------------

FILLER = (
    "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea "
    "commodo consequat, duis aute irure in reprehenderit in voluptate velit esse cillum."
)
BODY = [f"Paragraph {k}: {FILLER}" for k in range(1, 5)]


def news(inside: list[str], *, head: str = "", title: str = "Headline of the story") -> str:
    """An <article> with an <h1> and BODY's paragraphs, ``inside`` placed after the headline,
    after the first paragraph, after the second and after the third."""
    slots = [*inside, "", "", "", ""][:4]
    parts = [slots[0]]
    for paragraph, after in zip(BODY, slots[1:] + [""], strict=True):
        parts += [f"<p>{paragraph}</p>", after]
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | Site</title>"
        f"{head}</head><body><article><h1>{title}</h1>{''.join(parts)}</article></body></html>"
    )


DEBRIS_PAGES = {
    "fr-signature": [
        "<div class='signature'>Par <a href='/auteur/pierre-martin'>Pierre Martin</a> (avec "
        "AFP) — Publié le 29/02/2024 à 13h20</div>"
    ],
    "de-byline": ["<p class='byline'>Von Katrin Müller · 29.01.2025, 18:12 Uhr</p>"],
    "it-byline": ["<div class='byline'>di Marco Rossi — 19 marzo 2025 | 20:15</div>"],
    "pl-meta": [
        "<div class='meta'><span class='author'>Autor: Jan Kowalski</span> <time "
        "datetime='2025-03-11T14:35'>11.03.2025, 14:35</time> <span class='updated'>"
        "Aktualizacja: 11.03.2025, 16:02</span></div>",
        "",
        "",
        "<div class='tags'>Tagi: <a href='#'>media publiczne</a> <a href='#'>Sejm</a></div>",
    ],
    "ru-live": [
        "<div class='live-badge'>LIVE</div> <time datetime='2025-05-16T15:30'>16 мая 2025, "
        "15:30</time>",
        "<div class='live-post__time'>17:30</div>",
        "<div class='live-post__time'>16:45</div>",
    ],
    "it-leggi-anche": [
        "",
        "<div class='leggi-anche'><span>LEGGI ANCHE</span> <a href='#'>Caro energia, le "
        "misure del governo punto per punto</a></div>",
        "<div class='read-also'><strong>Czytaj także:</strong> <a href='/kraj/123'>Sondaż: "
        "Polacy o mediach publicznych</a></div>",
    ],
    # no class to go by: a link to its author (rel=author), a <time>, <address>
    "rel-author": [
        "<div>Par <a rel='author' href='/auteur/pm'>Pierre Martin</a> (avec AFP) — Publié le "
        "<time datetime='2024-02-29'>29/02/2024 à 13h20</time></div>",
        "<div>Updated <time datetime='2024-03-01'>1 March 2024</time></div>",
        "<address>Write to the author: <a href='mailto:pm@example.com'>pm@example.com</a>"
        "</address>",
    ],
    "itemprop": [
        "<div><span itemprop='author'>Katrin Müller</span> · "
        "<span itemprop='datePublished'>29.01.2025</span></div>"
    ],
}


@pytest.mark.parametrize("name", list(DEBRIS_PAGES))
def test_bylines_datelines_tags_and_read_also_boxes_are_not_read(browser, site, fake, name):
    result, _ = analyse(browser, site, f"/debris-{name}", news(DEBRIS_PAGES[name]))
    assert result["state"] == "findings", result
    assert lines(fake.posts[0]["text"]) == ["Headline of the story", *BODY]


def test_times_and_metadata_words_inside_sentences_stay(browser, site, fake):
    """A <time> in a sentence, and an element named like metadata inside a paragraph, are
    parts of the sentence: they are read."""
    inside = [
        "<p>The vote is set for <time datetime='2025-03-03'>3 March</time>, the minister said "
        "on <time datetime='2025-02-27'>Thursday</time>.</p>",
        "<p>Critics such as <span class='author'>Ann Smith</span> and the <span class='tags'>"
        "opposition</span> disagree.</p>",
    ]
    result, _ = analyse(browser, site, "/inline-time", news(inside))
    assert result["state"] == "findings", result
    sent = lines(fake.posts[0]["text"])
    assert "The vote is set for 3 March, the minister said on Thursday." in sent, sent
    assert "Critics such as Ann Smith and the opposition disagree." in sent, sent


# --- 3. a page without an <h1> -------------------------------------------------------------------

IT_TITLE = (
    "Bollette, il governo stanzia tre miliardi: «Basta speculazioni sulla pelle delle famiglie»"
)
IT_PARAS = [
    "Il Consiglio dei ministri ha approvato ieri sera un decreto da tre miliardi di euro per "
    "contenere il caro bollette, con bonus per le famiglie a basso reddito e crediti d'imposta "
    "per le imprese energivore.",
    "«Basta speculazioni sulla pelle delle famiglie italiane: lo Stato c'è e non lascerà nessuno "
    "indietro», ha dichiarato il ministro dell'Economia Giancarlo Giorgetti in conferenza stampa "
    "a Palazzo Chigi.",
    "Le associazioni dei consumatori giudicano il provvedimento insufficiente. Secondo il "
    "Codacons, una famiglia media spenderà comunque oltre 500 euro in più rispetto allo scorso "
    "anno.",
    "Il decreto prevede inoltre un rafforzamento dei controlli dell'Autorità di regolazione sui "
    "prezzi praticati dai fornitori. Le misure resteranno in vigore fino alla fine di giugno.",
]


def no_h1_page(og_title: str | None) -> str:
    og = f'<meta property="og:title" content="{html.escape(og_title)}">' if og_title else ""
    p = [f"<p>{html.escape(x, quote=False)}</p>" for x in IT_PARAS]
    return f"""<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8">
<title>Bollette, tre miliardi dal governo | Economia | Gazzetta del Centro</title>
{og}<meta property="og:site_name" content="Gazzetta del Centro">
</head><body>
<div class="cookie-bar">Utilizziamo i cookie per migliorare la tua esperienza.
<button>OK</button></div>
<header><div class="testata">Gazzetta del Centro</div><nav><a href="/">Home</a>
<a href="/economia">Economia</a></nav></header>
<main><div class="story">
<div class="section-label">Economia</div>
<div class="date">28 febbraio 2025</div>
<div class="story-text">{p[0]}{p[1]}
<div class="leggi-anche"><span>LEGGI ANCHE</span> <a href="#">Caro energia, le misure del
governo punto per punto</a></div>{p[2]}{p[3]}</div>
<div class="share">Condividi su Facebook · Condividi su WhatsApp</div>
</div></main>
<footer>© Gazzetta del Centro - Riproduzione riservata</footer>
</body></html>"""


@pytest.mark.parametrize(
    ("og_title", "title"),
    [(IT_TITLE, IT_TITLE), (None, "Bollette, tre miliardi dal governo")],
    ids=["og-title", "title-element"],
)
def test_a_page_without_h1_is_titled_by_its_headline(browser, site, fake, og_title, title):
    """The og:title, else the <title> without its section and site names; the text starts
    at the article's first paragraph, not at the section's label or the date above it."""
    result, _ = analyse(browser, site, f"/no-h1-{bool(og_title)}", no_h1_page(og_title))
    assert result["state"] == "findings", result
    post = fake.posts[0]
    assert post["title"] == title
    assert lines(post["text"]) == IT_PARAS, post["text"]


def test_wrappers_named_like_metadata_or_adverts_around_the_article_are_read(browser, site, fake):
    """The new names are for boxes of a line or a few: a wrapper of the article named "no-ads"
    or "post-meta-wrap", and a live blog's heading with its time, are read."""
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    markup = (
        "<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>"
        "<article><h1>Headline of the story</h1><div class='story no-ads'>"
        f"<div class='post-meta-wrap'>{paragraphs}</div>"
        "<h3><time datetime='2025-05-16T17:30'>17:30</time> Talks end</h3>"
        "</div></article></body></html>"
    )
    result, _ = analyse(browser, site, "/wrappers", markup)
    assert result["state"] == "findings", result
    assert lines(fake.posts[0]["text"]) == ["Headline of the story", *BODY, "17:30 Talks end"]


# --- 4. reading a long article is linear in its length --------------------------------------------


def test_a_long_article_is_read_whole(browser, site, fake):
    """Each space or line break looked at the last character of the text read so far, which
    made the engine flatten the whole string, growing one character at a time: reading 1,000
    paragraphs (350,000 characters) took 8 to 18 s, and takes about 0.2 s (printed, not
    asserted: timings are a benchmark's, never a test's)."""
    paragraphs = "".join(f"<p>Paragraph {k}: {FILLER * 2}</p>" for k in range(1000))
    markup = (
        "<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>"
        f"<article><h1>Long</h1>{paragraphs}</article></body></html>"
    )
    result, _ = analyse(browser, site, "/long", markup)
    assert result["state"] == "findings", result
    assert len(lines(fake.posts[0]["text"])) == 1001
    print(f"read 1,000 paragraphs in {result['timings']['read'] / 1000:.2f} s")
