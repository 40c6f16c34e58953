"""The web app under round 8's reproductions (/tmp/hostile8a): each test is one bug.

The store is filled directly (hand-made analyses, no model) on the app's SQLite file; the
refusals happen before any analysis, so the app runs with a stand-in model. Only the app in
process and 127.0.0.1 are talked to.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient

from propscope.article import Article
from propscope.store import Store
from propscope.web import create_app
from propscope.web.charts import month_chart

BASE = "http://127.0.0.1:8000"
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "web.db")


@pytest.fixture
def client(db):
    app = create_app(db_url=db, model_loader=lambda: object(), allowed_origins=[EXTENSION])
    with TestClient(app, base_url=BASE) as test_client:
        app.state.models.wait(10)
        yield test_client


def _add(db: str, n: int, **metadata: str) -> int:
    text = f"Headline {n}\n\nThe corrupt elite are destroying our great nation ({n})."
    start, end = at(text, "corrupt elite")
    made = analysis(text, [span(text, start, end, "Loaded_Language")], article_id=f"a{n}")
    with Store(db) as store:
        return store.add(Article.from_text(text, id=f"a{n}"), made, metadata=metadata)


def _detail(response) -> str:
    return response.json()["detail"]


# --- bug 1: the dashboard's count for a source is what the Library lists ---------------------


def test_the_dashboard_counts_a_source_as_the_library_it_links_to_lists(client, db):
    for n, source in enumerate(("BBC", "BBC", "bbc"), 1):
        _add(db, n, source=source, published="2024-03-05")
    stats = client.get("/api/v1/stats?by=source").json()["by_source"]
    assert [(g["key"], g["articles"]) for g in stats] == [("BBC", 3)]
    page = client.get("/dashboard").text
    links = re.findall(r'<a href="/library\?source=([^"]+)">([^<]+)</a>', page)
    assert links == [("BBC", "BBC")], links
    listed = client.get("/api/v1/articles?source=BBC").json()["total"]
    assert listed == 3
    library = client.get("/library").text
    assert library.count('<option value="bbc"') + library.count('<option value="BBC"') == 1


# --- bug 2: the month chart draws every dated article ----------------------------------------


def _month(key: str, articles: int = 1) -> dict:
    return {
        "key": key,
        "articles": articles,
        "words": 100 * articles,
        "spans": articles,
        "per_1000_words": 10.0,
        "categories": {"Manipulative wording": {"spans": articles, "articles": articles}},
        "techniques": {},
    }


def test_the_month_chart_falls_back_to_longer_periods_instead_of_dropping_months(client, db):
    """With one article dated 9999-12-31 the chart drew only December 9999 (36 months back);
    every older month was left out without a word."""
    chart = month_chart([_month("2024-01"), _month("2024-03"), _month("2025-02")])
    assert chart["period"] == "month" and "2024-01" in chart["desc"]
    labels = [s["text"] for s in chart["shapes"] if s["kind"] == "text" and "-" in s["text"]]
    assert labels[0] == "2024-01" and labels[-1] == "2025-02"
    chart = month_chart([_month("2019-06"), _month("2024-03", 2), _month("2024-05")])
    assert chart["period"] == "year"
    assert chart["desc"] == "2019: 10.0 per 1,000 words; 2024: 10.0 per 1,000 words."
    bars = [s for s in chart["shapes"] if s["kind"] == "rect" and s["title"]]
    assert len(bars) == 2
    chart = month_chart([_month("0001-01"), _month("2024-03"), _month("9999-12"), _month(None)])
    assert chart["period"] == "millennium" and chart["undated"] == 1
    assert chart["desc"].startswith("0001–0999: ") and "9000–9999: " in chart["desc"]
    assert "2000–2999: " in chart["desc"]
    # on the page: every article drawn, and the page says how (9999-12-31 as a store written
    # before such dates were refused holds it)
    _add(db, 1, published="2024-03-05")
    _add(db, 2, published="2024-01-02")
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE articles SET published = '9999-12-31' WHERE id = 2")
    page = client.get("/dashboard").text
    assert "Each bar is a millennium" in page and "2024-03 to 9999-12" in page
    assert re.search(r"2000–2999: [\d.]+ per 1,000 words; 9000–9999: [\d.]+ per", page)


def test_a_published_date_in_the_future_is_refused_in_one_line(client):
    for body in ({"json": {"text": "x", "published": "9999-12-31"}},):
        response = client.post("/api/v1/analyze", **body)
        assert response.status_code == 422
        assert re.fullmatch(
            r"published: Input should be a publication date no later than "
            r"\d{4}-\d\d-\d\d, got 9999-12-31",
            _detail(response),
        ), _detail(response)
    form = client.post("/api/v1/analyze", data={"text": "x", "published": "9999-12-31"})
    assert form.status_code == 422 and _detail(form) == _detail(response)


# --- bug 3: HEAD answers like GET, without a body --------------------------------------------


def test_head_answers_like_get_without_a_body(client, db):
    article_id = _add(db, 1)
    for path in (
        "/",
        "/healthz",
        "/library",
        "/dashboard",
        f"/articles/{article_id}",
        f"/articles/{article_id}/analysis.json",
        "/api/v1/articles",
        f"/api/v1/articles/{article_id}",
        "/api/v1/stats",
        "/api/v1/openapi.json",
        "/assets/report.css",
        "/static/web.css",
    ):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers.get("content-length") == got.headers.get("content-length"), path
    assert client.head("/api/v1/articles/999").status_code == 404
    assert client.head("/api/v1/articles?limit=0").status_code == 422
    assert client.head("/api/v1/analyze").status_code == 405  # POST only


# --- bug 4: only the documented forms of numbers and dates -----------------------------------


@pytest.mark.parametrize(
    "value", ["0", "1704067200", "2024-01-01T00:00:00", "2024-1-1", " 2024-01-01"]
)
def test_dates_are_yyyy_mm_dd_only(client, value):
    expected = "Input should be a valid date in the format YYYY-MM-DD"
    for name in ("date_from", "date_to"):
        api = client.get("/api/v1/articles", params={name: value})
        assert api.status_code == 422, (name, value)
        assert _detail(api) == f"query.{name}: {expected}"
        page = client.get("/library", params={name: value})
        assert page.status_code == 422 and expected in page.text
    body = client.post("/api/v1/analyze", json={"text": "x", "published": value})
    assert body.status_code == 422 and _detail(body) == f"published: {expected}"
    number = client.post("/api/v1/analyze", json={"text": "x", "published": 20240101})
    assert number.status_code == 422 and _detail(number) == f"published: {expected}"
    assert client.get("/api/v1/articles?date_to=2024-01-01").status_code == 200


@pytest.mark.parametrize("value", ["0_1", "1_0", "1.0", "+1", "%201", "1%20", "0x1", "١"])
def test_ids_and_numbers_are_plain_decimal_integers(client, db, value):
    for n in range(1, 11):
        _add(db, n)
    response = client.get(f"/api/v1/articles/{value}")
    assert response.status_code == 422, (value, response.text)
    assert _detail(response).startswith("path.article_id: Input should be a whole number")
    for path, name in (
        ("/api/v1/articles", "limit"),
        ("/api/v1/articles", "offset"),
        ("/library", "page"),
    ):
        response = client.get(f"{path}?{name}={value}")
        assert response.status_code == 422, (path, name, value)
        assert f"query.{name}: Input should be a whole number" in response.text
    assert client.get("/api/v1/articles?limit=5.0").status_code == 422
    assert client.get("/api/v1/articles/1").json()["id"] == 1
    assert client.get("/api/v1/articles?limit=3&offset=0").json()["limit"] == 3
    assert client.get("/articles/10").status_code == 200
    too_big = client.get("/api/v1/articles/" + "9" * 5000)
    assert too_big.status_code == 422 and "less than or equal to" in _detail(too_big)


# --- bug 5: a query parameter given twice is refused -----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "limit=1&limit=3",
        "technique=Slogans&technique=Doubt",
        "technique=Slogans&technique=",
        "source=a&source=a",
    ],
)
def test_a_repeated_query_parameter_is_refused(client, query):
    name = query.split("=")[0]
    api = client.get(f"/api/v1/articles?{query}")
    assert api.status_code == 422, query
    assert _detail(api) == f"query.{name}: given 2 times; /api/v1/articles takes it once"
    if name != "limit":
        page = client.get(f"/library?{query}")
        assert page.status_code == 422 and f"query.{name}: given 2 times" in page.text


def test_only_a_list_parameter_may_repeat(client, db):
    _add(db, 1)
    stats = client.get("/api/v1/stats?by=source&by=month")
    assert stats.status_code == 200 and set(stats.json()) == {"articles", "by_source", "by_month"}
    assert client.get("/articles/1?technique=Loaded_Language&technique=").status_code == 422
    assert client.get("/library?page=1&page=2").status_code == 422


# --- bug 6: forms follow the JSON body's rules ------------------------------------------------


def test_forms_refuse_unknown_fields_like_json(client):
    for body in ({"data": {"text": "x", "titel": "Mine"}}, {"json": {"text": "x", "titel": "M"}}):
        response = client.post("/api/v1/analyze", **body)
        assert response.status_code == 422, body
        assert _detail(response).startswith("body: unknown fields 'titel'; allowed: ")
    multipart = client.post(
        "/api/v1/analyze", files={"file": ("a.txt", b"x")}, data={"api_key": "k", "x": "1"}
    )
    assert multipart.status_code == 422
    assert "unknown fields 'api_key', 'x'" in _detail(multipart)
    page = client.post("/analyze", data={"text": "typed words", "sorce": "BBC"})
    assert page.status_code == 422
    assert "unknown fields &#39;sorce&#39;" in page.text and ">typed words</textarea>" in page.text


def test_page_url_goes_only_with_a_text(client):
    fields = {"url": "http://127.0.0.1:9/a", "page_url": "https://news.example/a"}
    for body in ({"json": fields}, {"data": fields}):
        response = client.post("/api/v1/analyze", **body)
        assert response.status_code == 422, body
        assert "'page_url' goes only with a 'text'" in _detail(response), _detail(response)
    upload = client.post(
        "/api/v1/analyze",
        files={"file": ("a.txt", b"words")},
        data={"page_url": "https://news.example/a"},
    )
    assert upload.status_code == 422 and "goes only with a 'text'" in _detail(upload)
    bad = client.post("/api/v1/analyze", data={"text": "x", "page_url": "http://[::1"})
    assert bad.status_code == 422 and _detail(bad).startswith("page_url: Input should be a valid")


# --- bug 9: the OpenAPI schema lists every documented status ---------------------------------


def test_openapi_lists_403_and_409(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"403", "409"} <= set(paths["/api/v1/analyze"]["post"]["responses"])
    assert "403" in paths["/api/v1/articles/{article_id}"]["delete"]["responses"]


# --- bug 10: the extension can read the Host check's refusal ---------------------------------


def test_the_extension_can_read_a_host_refusal(client):
    """Reached at 127.0.0.5 while bound to 127.0.0.1, the extension saw a network error (no
    CORS headers on the 400) and told the user the server was not running."""
    wrong = {"Host": "127.0.0.5:8000", "Origin": EXTENSION}
    preflight = client.options(
        "/api/v1/analyze",
        headers={
            **wrong,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-api-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == EXTENSION
    refused = client.post("/api/v1/analyze", json={"text": "x"}, headers=wrong)
    assert refused.status_code == 400
    assert refused.headers["access-control-allow-origin"] == EXTENSION
    assert "does not answer to the host name '127.0.0.5:8000'" in _detail(refused)
    # as strict as before for everyone else, and nothing runs past the check
    for origin in ("chrome-extension://someotherextensionid", "http://evil.example", None):
        headers = {"Host": "127.0.0.5:8000", **({"Origin": origin} if origin else {})}
        response = client.post("/api/v1/analyze", json={"text": "x"}, headers=headers)
        assert response.status_code == 400
        assert "access-control-allow-origin" not in response.headers
        other = client.options(
            "/api/v1/analyze", headers={**headers, "Access-Control-Request-Method": "POST"}
        )
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    assert client.get("/api/v1/articles", headers=wrong).status_code == 400
    assert client.get("/api/v1/articles").json()["total"] == 0
