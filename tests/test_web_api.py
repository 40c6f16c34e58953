"""The web app through HTTP: the real app, the shipped model and a real SQLite file.

Every error status of the API is provoked for real (a model still loading, a model that
cannot load, a local web server that fails), and hostile text is checked to come back escaped.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler

import pytest
from builders import serve_on_loopback
from fastapi.testclient import TestClient

from propscope.analysis import analyze
from propscope.io.readers import read_text
from propscope.web import create_app

BASE = "http://127.0.0.1:8000"
HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> \' onmouseover=alert(2) x=\''


@pytest.fixture
def make_client(tmp_path, model):
    """Start an app on a fresh SQLite file with the shared model; yields a factory."""
    clients = []

    def make(*, wait: bool = True, **options) -> TestClient:
        options.setdefault("model_loader", lambda: model)
        app = create_app(db_url=str(tmp_path / f"web{len(clients)}.db"), **options)
        client = TestClient(app, base_url=BASE)  # a Host the server answers to by default
        client.__enter__()
        clients.append(client)
        if wait:
            app.state.models.wait(60)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def example_text(example_path) -> str:
    return example_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page_server(example_path):
    """A local web server: an article page, a 404 and a binary file (loopback only)."""
    text = example_path.read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n") if p.strip())
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        '<meta property="og:site_name" content="Local News">'
        '<meta name="date" content="2020-10-05"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}"
        "</article><footer>Contact us</footer></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/article.html":
                self._send(200, "text/html; charset=utf-8", page)
            elif self.path == "/file.bin":
                self._send(200, "application/octet-stream", b"\x00\x01" * 100)
            else:
                self._send(404, "text/html", b"<h1>Not found</h1>")

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    with serve_on_loopback(Handler) as url:
        yield url


# --- health and model state -------------------------------------------------------------------


def test_healthz_reports_the_model(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["model"]["version"]
    assert body["articles"] == 0


def test_503_while_the_model_loads(make_client, model, example_text):
    release = threading.Event()

    def slow_loader():
        release.wait(30)
        return model

    client = make_client(model_loader=slow_loader, wait=False)
    try:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "loading"
        response = client.post("/api/v1/analyze", json={"text": example_text})
        assert response.status_code == 503
        assert "loading" in response.json()["detail"]
        assert response.headers["retry-after"] == "5"
        assert client.get("/").status_code == 200  # pages keep answering meanwhile
    finally:
        release.set()
    assert client.app.state.models.wait(30)
    assert client.post("/api/v1/analyze", json={"text": example_text}).status_code == 201


def test_503_when_the_model_cannot_load(make_client, tmp_path, example_text):
    empty = tmp_path / "no-model"
    empty.mkdir()
    client = make_client(model_loader=None, model_path=empty)
    assert not client.app.state.models.wait(60)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "failed"
    assert health.json()["detail"]
    response = client.post("/api/v1/analyze", json={"text": example_text})
    assert response.status_code == 503
    assert "failed to load" in response.json()["detail"]


# --- analyse ----------------------------------------------------------------------------------


def test_analyze_text_returns_the_cli_json_plus_id(client, example_path, example_text, model):
    from typer.testing import CliRunner

    from propscope.cli import app as cli

    response = client.post(
        "/api/v1/analyze",
        json={"text": example_text, "source": "trend.az", "published": "2020-10-05"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    article_id = body.pop("id")
    assert response.headers["location"] == f"/api/v1/articles/{article_id}"
    result = CliRunner().invoke(cli, ["analyze", str(example_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    assert set(body) == set(expected)
    for key in ("article",):  # id and source name the input: text here, a file for the CLI
        for field in ("id", "source", "metadata"):
            body[key].pop(field)
            expected[key].pop(field)
    assert body == expected
    assert body["spans"], "the example has findings"
    # Stored, with the metadata given.
    stored = client.get(f"/api/v1/articles/{article_id}").json()
    assert stored["source"] == "trend.az"
    assert stored["published"] == "2020-10-05"
    assert stored["analysis"]["spans"] == body["spans"]


def test_analyze_same_text_again_returns_the_stored_id(client, example_text):
    first = client.post("/api/v1/analyze", json={"text": example_text})
    again = client.post("/api/v1/analyze", json={"text": example_text})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert client.get("/api/v1/articles").json()["total"] == 1
    months = client.get("/api/v1/stats?by=month").json()["by_month"]
    assert months == [{**months[0], "key": None, "articles": 1}]  # undated: key null, kept


def test_analyze_uploaded_files(client, example_text):
    upload = client.post(
        "/api/v1/analyze",
        files={"file": ("amnesty.txt", example_text.encode(), "text/plain")},
        data={"source": "Trend", "published": "2020-10-05"},
    )
    assert upload.status_code == 201, upload.text
    body = upload.json()
    assert body["article"]["source"] == "amnesty.txt"
    assert body["article"]["id"] == "amnesty"
    assert body["text"] == example_text
    html = "<html><head><title>A page</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in example_text.split("\n")[2:] if p.strip()
    )
    page = client.post(
        "/api/v1/analyze", files={"file": ("page.html", html.encode() + b"</article></body>")}
    )
    assert page.status_code == 201, page.text
    assert page.json()["article"]["title"] == "A page"


def test_fetches_a_local_page_when_private_urls_are_allowed(make_client, page_server):
    client = make_client(allow_private_urls=True)
    response = client.post("/api/v1/analyze", json={"url": f"{page_server}/article.html"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["article"]["title"].startswith("Amnesty International shows")
    assert body["article"]["metadata"]["url"] == f"{page_server}/article.html"
    stored = client.get(f"/api/v1/articles/{body['id']}").json()
    assert stored["source"] == "127.0.0.1"
    assert stored["url"] == f"{page_server}/article.html"
    # 502: the site answers, but with an error page or a file that is no article.
    missing = client.post("/api/v1/analyze", json={"url": f"{page_server}/gone.html"})
    assert missing.status_code == 502
    assert "404" in missing.json()["detail"]
    binary = client.post("/api/v1/analyze", json={"url": f"{page_server}/file.bin"})
    assert binary.status_code == 502
    assert "not a web page" in binary.json()["detail"]
    closed = client.post("/api/v1/analyze", json={"url": "http://127.0.0.1:9/article"})
    assert closed.status_code == 502


def test_private_urls_are_refused_by_default(client, page_server):
    for url in (f"{page_server}/article.html", "http://localhost/", "http://10.0.0.1/a"):
        response = client.post("/api/v1/analyze", json={"url": url})
        assert response.status_code == 400, url
        assert "non-public address" in response.json()["detail"]
        assert "--allow-private-urls" in response.json()["detail"]
    assert client.get("/api/v1/articles").json()["total"] == 0


def test_400_bad_input(client):
    cases = [
        {"json": {"text": ""}},
        {"json": {"text": "   \n  "}},
        {"json": {"url": "ftp://example.org/article"}},
        {"json": {"url": "not a url"}},
        {"files": {"file": ("x.txt", b"\x00\x01binary\x00")}},
        {"files": {"file": ("x.txt", b"\xff\xfe\xfa broken utf-8")}},
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
    ]
    for case in cases:
        response = client.post("/api/v1/analyze", **case)
        assert response.status_code == 400, (case, response.text)
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_415_and_422(client):
    plain = client.post("/api/v1/analyze", content=b"text", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    for body in ({}, {"text": "a", "url": "https://example.org"}, {"text": 3}, {"texts": "a"}):
        response = client.post("/api/v1/analyze", json=body)
        assert response.status_code == 422, body
        assert isinstance(response.json()["detail"], str)
    bad_date = client.post("/api/v1/analyze", json={"text": "Some text.", "published": "May"})
    assert bad_date.status_code == 422
    assert "published" in bad_date.json()["detail"]
    for query in (
        "limit=0",
        "limit=1000",
        "offset=-1",
        "date_from=yesterday",
        "date_from=2021-01-01&date_to=2020-01-01",
        "technique=Propaganda",
        "category=Nonsense",
        "language=zz",  # no article is ever stored in it: was 200 and an empty list
    ):
        response = client.get(f"/api/v1/articles?{query}")
        assert response.status_code == 422, query
        assert isinstance(response.json()["detail"], str)
    assert "one of en, fr, de, it, pl, ru" in client.get("/api/v1/articles?language=zz").text
    assert client.get("/api/v1/articles/abc").status_code == 422
    assert client.get("/api/v1/stats?by=author").status_code == 422


def test_413_request_too_large(make_client):
    client = make_client(max_request_bytes=2_000)
    big = "Words of an article. " * 200
    declared = client.post("/api/v1/analyze", json={"text": big})
    assert declared.status_code == 413
    assert "larger than 2,000 bytes" in declared.json()["detail"]

    def chunks():  # no Content-Length: the limit must hold for streamed bodies too
        for _ in range(10):
            yield json.dumps({"text": big})[:500].encode()

    streamed = client.post(
        "/api/v1/analyze", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    upload = client.post("/api/v1/analyze", files={"file": ("a.txt", big.encode())})
    assert upload.status_code == 413
    page = client.post("/analyze", data={"text": big})
    assert page.status_code == 413
    assert "text/html" in page.headers["content-type"]


# --- articles and stats -----------------------------------------------------------------------


def test_list_get_delete_and_404(client, example_text):
    lines = example_text.split("\n")
    ids = []
    for text, meta in (
        (example_text, {"source": "trend.az", "published": "2020-10-05"}),
        ("\n".join(lines[:7]), {"source": "Other", "published": "2021-03-01"}),
    ):
        response = client.post("/api/v1/analyze", json={"text": text, **meta})
        assert response.status_code == 201
        ids.append(response.json()["id"])
    listing = client.get("/api/v1/articles").json()
    assert listing["total"] == 2 and listing["limit"] == 50 and listing["offset"] == 0
    assert [i["id"] for i in listing["items"]] == ids[::-1]
    assert client.get("/api/v1/articles?source=TREND.AZ").json()["total"] == 1
    assert client.get("/api/v1/articles?date_from=2021-01-01").json()["items"][0]["id"] == ids[1]
    assert client.get("/api/v1/articles?limit=1&offset=1").json()["items"][0]["id"] == ids[0]
    assert client.get("/api/v1/articles?language=en").json()["total"] == 2
    first = client.get(f"/api/v1/articles/{ids[0]}").json()
    technique = first["analysis"]["spans"][0]["technique"]
    assert ids[0] in [
        i["id"] for i in client.get(f"/api/v1/articles?technique={technique}").json()["items"]
    ]
    assert client.get("/api/v1/articles?q=hajiyev").json()["total"] >= 1

    stats = client.get("/api/v1/stats").json()
    assert stats["articles"] == 2
    assert {g["key"] for g in stats["by_source"]} == {"trend.az", "Other"}
    assert [g["key"] for g in stats["by_month"]] == ["2020-10", "2021-03"]
    spans = sum(g["spans"] for g in stats["by_technique"])
    assert (
        spans
        == sum(g["spans"] for g in stats["by_category"])
        == sum(len(client.get(f"/api/v1/articles/{i}").json()["analysis"]["spans"]) for i in ids)
    )
    only = client.get("/api/v1/stats?by=category").json()
    assert only["by_category"] == stats["by_category"] and "by_source" not in only
    analyses = [client.get(f"/api/v1/articles/{i}").json()["analysis"] for i in ids]
    assert sorted(g["key"] for g in stats["by_topic"] for _ in range(g["articles"])) == sorted(
        a["frames"]["main"] for a in analyses
    )
    assert sum(g["articles"] for g in stats["by_genre"]) == 2

    assert client.delete(f"/api/v1/articles/{ids[0]}").status_code == 204
    assert client.get(f"/api/v1/articles/{ids[0]}").status_code == 404
    gone = client.delete(f"/api/v1/articles/{ids[0]}")
    assert gone.status_code == 404
    assert gone.json() == {"detail": f"no article with id {ids[0]}"}
    assert client.get("/api/v1/nothing-here").json() == {"detail": "Not Found"}


def test_api_key_guards_writes_only(make_client, example_text):
    client = make_client(api_key="s3cret")
    response = client.post("/api/v1/analyze", json={"text": example_text})
    assert response.status_code == 401
    assert "API key" in response.json()["detail"]
    wrong = client.post("/api/v1/analyze", json={"text": example_text}, headers={"X-API-Key": "x"})
    assert wrong.status_code == 401
    good = client.post(
        "/api/v1/analyze", json={"text": example_text}, headers={"X-API-Key": "s3cret"}
    )
    assert good.status_code == 201
    article_id = good.json()["id"]
    assert client.get("/api/v1/articles").status_code == 200  # reading is open
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 200
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 401
    bearer = {"Authorization": "Bearer s3cret"}
    assert client.delete(f"/api/v1/articles/{article_id}", headers=bearer).status_code == 204
    # The pages ask for the key too.
    page = client.post("/analyze", data={"text": example_text})
    assert page.status_code == 401
    assert 'name="api_key"' in page.text
    assert "Amnesty International" in page.text  # the pasted text is kept in the form
    ok = client.post(
        "/analyze", data={"text": example_text, "api_key": "s3cret"}, follow_redirects=False
    )
    assert ok.status_code == 303


# --- pages ------------------------------------------------------------------------------------


def _page_spans(html: str) -> list[dict]:
    """The findings an article page hands to its script (the report's JSON data block)."""
    match = re.search(r'<script type="application/json" id="a1-data">(.*?)</script>', html, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))["spans"]


def test_pages_analyse_show_and_delete(client, example_text):
    home = client.get("/")
    assert home.status_code == 200
    assert '<textarea id="text" name="text"' in home.text
    posted = client.post(
        "/analyze", data={"text": example_text, "source": "trend.az"}, follow_redirects=False
    )
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/articles/")
    page = client.get(location)
    assert page.status_code == 200
    assert 'id="doc-title"' in page.text
    assert '<mark class="hl' in page.text  # highlighted spans
    assert 'id="pc-card"' in page.text and "/assets/report.js" in page.text
    assert "learned from other languages" in page.text  # English genre is zero-shot
    article_id = int(location.rsplit("/", 1)[1])
    technique = client.get(f"/api/v1/articles/{article_id}").json()["analysis"]["spans"][0]
    filtered = client.get(f"{location}?technique={technique['technique']}")
    assert filtered.status_code == 200
    shown = _page_spans(filtered.text)
    assert shown and {s["technique"] for s in shown} == {technique["technique"]}
    assert len(_page_spans(page.text)) == len(
        client.get(f"/api/v1/articles/{article_id}").json()["analysis"]["spans"]
    )
    assert client.get(f"{location}?technique=Slogans_unknown").status_code == 404
    download = client.get(f"{location}/analysis.json")
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.json()["id"] == article_id
    report = client.get(f"{location}/report.html")
    assert report.status_code == 200 and "<!DOCTYPE html>" in report.text
    assert "attachment" in report.headers["content-disposition"]
    assert "script-src 'unsafe-inline'" in report.headers["content-security-policy"]
    assert "trend.az" in client.get("/library").text
    assert client.get("/library?q=amnesty").text.count(f'href="/articles/{article_id}"') == 1
    assert client.get("/library?date_from=2021-01-01&date_to=2020-01-01").status_code == 422
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200 and "<svg" in dashboard.text
    assert "By main frame and genre" in dashboard.text
    assert "Findings per 1,000 words by main frame" in dashboard.text
    # the English model's blind spots are named over the corpus counts too
    note = re.search(
        r"Note: The stored article was analysed by propscope-span-tagger, which "
        r"was not trained to find ([^:]*):",
        dashboard.text,
    )
    assert note and "Questioning the reputation" in note.group(1)
    # A delete form posted from another site is refused; from this one it works.
    foreign = client.post(
        f"{location}/delete", headers={"Origin": "https://evil.example"}, follow_redirects=False
    )
    assert foreign.status_code == 403
    cross = client.post(
        f"{location}/delete", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False
    )
    assert cross.status_code == 403
    deleted = client.post(f"{location}/delete", headers={"Origin": BASE}, follow_redirects=False)
    assert deleted.status_code == 303
    assert client.get(location).status_code == 404
    assert "text/html" in client.get(location).headers["content-type"]


def test_page_form_errors_keep_the_input(client):
    response = client.post("/analyze", data={"text": "", "title": "Mine"})
    assert response.status_code == 422
    assert "exactly one" in response.text
    both = client.post("/analyze", data={"text": "Some words here.", "url": "https://example.org"})
    assert both.status_code == 422
    assert "Some words here." in both.text
    empty = client.post("/analyze", data={"text": "   "})
    assert empty.status_code == 400
    assert "empty" in empty.text


def test_hostile_text_is_escaped_everywhere(client, example_text):
    text = f"{HOSTILE}\n\n{example_text.split(chr(10), 2)[2]}\n{HOSTILE}"
    response = client.post(
        "/api/v1/analyze",
        json={"text": text, "title": HOSTILE, "source": HOSTILE, "published": "2020-01-02"},
    )
    assert response.status_code == 201, response.text
    article_id = response.json()["id"]
    for path in (
        f"/articles/{article_id}",
        "/library",
        f"/library?q={HOSTILE[:20]}",
        "/dashboard",
        "/",
    ):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "' onmouseover=alert(2)" not in html, path
    page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(" in page
    # English: the page names the techniques the model was never trained to find.
    assert "not trained to find" in page and "Questioning the reputation" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # The data block for the script cannot be closed by the text either.
    assert page.count("</script>") == page.count("<script")
    error = client.get(f"/articles/{article_id}?technique={HOSTILE}")
    assert "<script>alert" not in error.text


def test_security_headers_and_offline_docs(client):
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text and "https://" not in docs.text
    assert client.get("/api/docs-assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/analyze",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/stats",
        "/healthz",
    } <= set(schema["paths"])
    assert (
        "multipart/form-data"
        in schema["paths"]["/api/v1/analyze"]["post"]["requestBody"]["content"]
    )


def test_text_analysis_equals_direct_analysis(client, model, example_text):
    """The server adds nothing and loses nothing: same spans as analyze() on the text."""
    body = client.post("/api/v1/analyze", json={"text": example_text}).json()
    direct = analyze(read_text(example_text), model).model_dump(mode="json")
    assert body["spans"] == direct["spans"]
    assert body["summary"] == direct["summary"]


def test_article_view_is_the_reports_rendering(example_analysis):
    """The page embeds the report's own article block: one span renderer, not two."""
    from propscope.report.html import render_article, render_card, render_html

    fragment = render_article(example_analysis)
    report = render_html([example_analysis])
    assert fragment.startswith('<article class="report"') and fragment in report
    assert render_card() in report


def test_serve_reports_an_unusable_database_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from propscope.cli import app as cli

    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing" / "x.db")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
