"""The server under hostile requests (issue 9): each test is one reproduction from the issue.

Forged Origin and Host (CSRF, DNS rebinding), hostile JSON (lone surrogates, 64-bit overflow,
100,000-deep nesting, 200,000 extra fields), NUL characters, and where the API key comes from.
Everything talks to 127.0.0.1 or to the app in process: no name is ever resolved.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from propscope.errors import InputError
from propscope.web import create_app
from propscope.web.guards import allowed_hosts_for, host_name
from propscope.web.secrets import resolve_api_key

BASE = "http://127.0.0.1:8000"
EVIL = "http://evil.example"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def make_client(tmp_path, model):
    clients = []

    def make(base_url: str = BASE, **options) -> TestClient:
        options.setdefault("model_loader", lambda: model)
        app = create_app(db_url=str(tmp_path / f"h{len(clients)}.db"), **options)
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        clients.append(client)
        assert app.state.models.wait(60)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture(scope="module")
def short_text(example_path) -> str:
    return "\n".join(example_path.read_text(encoding="utf-8").split("\n")[:5])


def _stored(client: TestClient, text: str) -> int:
    response = client.post("/api/v1/analyze", json={"text": text})
    assert response.status_code == 201, response.text
    return response.json()["id"]


# --- 1. Origin ---------------------------------------------------------------------------------


def test_cross_site_and_null_origins_are_refused_without_a_key(client, short_text):
    """Issue 9.1: `curl -H 'Origin: http://evil.example' -F file=@a.txt :P/api/v1/analyze`."""
    upload = {"file": ("a.txt", short_text.encode())}
    for headers in ({"Origin": EVIL}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        api = client.post("/api/v1/analyze", files=upload, headers=headers)
        assert api.status_code == 403, (headers, api.text)
        assert "other sites" in api.json()["detail"]
        form = client.post("/analyze", data={"text": short_text}, headers=headers)
        assert form.status_code == 403, headers
        assert "text/html" in form.headers["content-type"]
    # Same port, other scheme, or another port of this machine: other origins too.
    for origin in ("https://127.0.0.1:8000", "http://127.0.0.1:8001", "http://localhost:8000"):
        response = client.post(
            "/api/v1/analyze", json={"text": short_text}, headers={"Origin": origin}
        )
        assert response.status_code == 403, origin
    assert client.get("/api/v1/articles").json()["total"] == 0
    # The server's own pages, and scripts (no Origin at all), are served.
    same = client.post("/api/v1/analyze", json={"text": short_text}, headers={"Origin": BASE})
    assert same.status_code == 201
    article_id = same.json()["id"]
    assert (
        client.delete(f"/api/v1/articles/{article_id}", headers={"Origin": EVIL}).status_code == 403
    )
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 204


def test_a_valid_key_admits_cross_site_requests(make_client, short_text):
    client = make_client(api_key="k3y-for-tests")
    key = {"X-API-Key": "k3y-for-tests"}
    wrong = client.post("/api/v1/analyze", json={"text": short_text}, headers={"Origin": EVIL})
    assert wrong.status_code == 401
    ok = client.post("/api/v1/analyze", json={"text": short_text}, headers={"Origin": EVIL, **key})
    assert ok.status_code == 201
    article_id = ok.json()["id"]
    # Page forms carry the key in a field.
    refused = client.post(f"/articles/{article_id}/delete", headers={"Origin": "null"})
    assert refused.status_code == 401
    deleted = client.post(
        f"/articles/{article_id}/delete",
        data={"api_key": "k3y-for-tests"},
        headers={"Origin": "null"},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 404


def test_extra_origins_are_the_hook_for_the_browser_extension(make_client, short_text):
    extension = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    client = make_client(allowed_origins=[extension])
    assert extension in client.app.state.settings.allowed_origins
    headers = {"Origin": extension, "Sec-Fetch-Site": "cross-site"}
    assert (
        client.post("/api/v1/analyze", json={"text": short_text}, headers=headers).status_code
        == 201
    )
    other = {"Origin": "chrome-extension://someotherextensionid", "Sec-Fetch-Site": "cross-site"}
    assert (
        client.post("/api/v1/analyze", json={"text": "x " + short_text}, headers=other).status_code
        == 403
    )


def _api_routes(routes) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI wraps them)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif (inner := getattr(route, "original_router", None)) is not None:
            found.extend(_api_routes(inner.routes))
    return found


def test_every_state_changing_route_checks_the_origin(client, short_text):
    """No POST/PUT/PATCH/DELETE route of the app (now or later) skips the check."""
    article_id = _stored(client, short_text)
    checked = []
    for route in _api_routes(client.app.routes):
        for method in route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            path = route.path.replace("{article_id}", str(article_id))
            response = client.request(method, path, headers={"Origin": "null"})
            assert response.status_code == 403, (method, route.path, response.status_code)
            checked.append((method, route.path))
    assert {("POST", "/api/v1/analyze"), ("POST", "/analyze")} <= set(checked)
    assert ("DELETE", "/api/v1/articles/{article_id}") in checked
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 200


# --- 2. Host -----------------------------------------------------------------------------------


def test_forged_host_is_refused_before_anything_happens(client, short_text):
    """Issue 9.2: `curl -X POST -H 'Host: rebind.evil.example:P' -H 'Origin: ...' delete`."""
    article_id = _stored(client, short_text)
    forged = {"Host": "rebind.evil.example:8000", "Origin": "http://rebind.evil.example:8000"}
    response = client.post(f"/articles/{article_id}/delete", headers=forged)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert "rebind.evil.example" in response.json()["detail"]
    assert "--allowed-host" in response.json()["detail"]
    for method, path in (
        ("GET", "/api/v1/articles"),
        ("GET", "/"),
        ("DELETE", f"/api/v1/articles/{article_id}"),
    ):
        assert client.request(method, path, headers=forged).status_code == 400, path
    assert client.get(f"/api/v1/articles/{article_id}").status_code == 200
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_and_the_bound_address(make_client):
    client = make_client(
        base_url="http://news.example.org",
        bind_host="192.168.1.20",
        allowed_hosts=["News.Example.org"],
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz", headers={"Host": "192.168.1.20:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "192.168.1.21:8000"}).status_code == 400
    assert allowed_hosts_for("0.0.0.0") == {"localhost", "127.0.0.1", "[::1]"}
    assert allowed_hosts_for("::1", ["a.example:80"]) >= {"[::1]", "a.example"}
    assert host_name("[fe80::1]:8000") == "[fe80::1]" and host_name("fe80::1") == "[fe80::1]"
    anything = make_client(base_url="http://whatever.example", allowed_hosts=["*"])
    assert anything.get("/healthz").status_code == 200


# --- 7, 8, 10. Hostile bodies ------------------------------------------------------------------


def test_client_errors_are_json_4xx_never_500(client, short_text):
    """Issue 9.7: a lone surrogate, 64-bit overflow in ids and offsets, JSON 100,000 deep."""
    raw = {"content-type": "application/json"}
    surrogate = client.post("/api/v1/analyze", content=b'{"text": "x\\ud800y"}', headers=raw)
    assert surrogate.status_code == 400
    assert "surrogate" in surrogate.json()["detail"]
    titled = client.post(
        "/api/v1/analyze", content=b'{"text": "ab", "title": "\\udfff"}', headers=raw
    )
    assert titled.status_code in (400, 422) and "title" in titled.json()["detail"]
    for path in (
        "/api/v1/articles/9223372036854775808",
        "/api/v1/articles/" + "9" * 40,
        "/api/v1/articles?offset=99999999999999999999999",
        "/api/v1/articles/0",
    ):
        response = client.get(path)
        assert response.status_code == 422, path
        assert isinstance(response.json()["detail"], str)
    assert client.delete("/api/v1/articles/9223372036854775808").status_code == 422
    for query in ("q=%00", "source=a%00", "language=e%00n"):
        assert client.get(f"/api/v1/articles?{query}").status_code == 422, query
        assert client.get(f"/library?{query}").status_code == 422, query
    assert client.get("/api/v1/articles/9223372036854775807").status_code == 404
    assert client.get("/api/v1/articles?offset=9223372036854775807").json()["items"] == []
    page = client.get("/articles/9223372036854775808")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    deep = client.post("/api/v1/analyze", content=b"[" * 100_000 + b"]" * 100_000, headers=raw)
    assert deep.status_code == 400
    assert "nested too deeply" in deep.json()["detail"]
    deep_text = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert client.post("/api/v1/analyze", content=deep_text, headers=raw).status_code == 400


def test_a_huge_number_and_a_malformed_url_are_400_not_500(client):
    """A JSON number of 5,000 digits (Python refuses to convert it) and a URL whose brackets
    do not parse ("http://[::1") were 500 "internal server error"."""
    raw = {"content-type": "application/json"}
    for body in (
        b'{"text": ' + b"9" * 5000 + b"}",
        b'{"text": "a", "title": -' + b"1" * 4400 + b"}",
    ):
        response = client.post("/api/v1/analyze", content=body, headers=raw)
        assert response.status_code == 400, response.text
        assert "digits" in response.json()["detail"]
    for url in ("http://[::1", "http://[zz]/"):
        response = client.post("/api/v1/analyze", json={"url": url})
        assert response.status_code == 400, response.text
        assert "invalid URL" in response.json()["detail"]
        form = client.post("/analyze", data={"url": url})
        assert form.status_code == 400 and "invalid URL" in form.text
    assert client.get("/api/v1/articles").json()["total"] == 0


def test_bad_or_ignored_view_parameters_say_which_and_what_format(tmp_path):
    """/dashboard?date_from=x was a 200 over the whole store: the dashboard and the stats take
    no filters. The Library's own form, searched with its date fields blank, was a 422."""
    app = create_app(db_url=str(tmp_path / "views.db"), model_loader=lambda: object())
    with TestClient(app, base_url=BASE) as client:
        for path in ("/dashboard", "/api/v1/stats"):
            for query in ("date_from=x", "date_from=2024-01-01", "limit=5"):
                response = client.get(f"{path}?{query}")
                assert response.status_code == 422, (path, query)
                name = query.split("=")[0]
                detail = response.json()["detail"] if "/api/" in path else response.text
                assert f"query.{name}: unknown parameter" in detail, detail
        assert client.get("/dashboard").status_code == 200
        assert client.get("/api/v1/stats?by=source").status_code == 200
        expected = "query.date_from: Input should be a valid date in the format YYYY-MM-DD"
        for path in ("/library", "/api/v1/articles"):
            for value in ("x", "2024-02-30", "05/03/2024"):
                response = client.get(f"{path}?date_from={value}")
                assert response.status_code == 422, (path, value)
                detail = response.json()["detail"] if "/api/" in path else response.text
                assert expected in detail, detail
            blank = client.get(f"{path}?q=&source=&date_from=&date_to=")
            assert blank.status_code == 200, blank.text
            assert client.get(f"{path}?date_from=2024-03-05").status_code == 200
        assert client.get("/library?page=x").status_code == 422
        assert client.get("/api/v1/articles?limit=x").status_code == 422


def test_nul_characters_are_refused_like_the_cli_refuses_binary_files(client, tmp_path, short_text):
    """Issue 9.10: the CLI refuses a file with NUL bytes; the API refused nothing."""
    from typer.testing import CliRunner

    from propscope.cli import app as cli

    binary = tmp_path / "a.txt"
    binary.write_text(short_text + "\x00", encoding="utf-8")
    assert "binary" in CliRunner().invoke(cli, ["analyze", str(binary)]).output
    for body in ({"text": short_text + "\x00"}, {"text": short_text, "source": "a\x00b"}):
        response = client.post("/api/v1/analyze", json=body)
        assert response.status_code == 400, body
        assert "NUL" in response.json()["detail"]
    form = client.post("/analyze", data={"text": short_text + "\x00"})
    assert form.status_code == 400 and "NUL" in form.text
    assert client.get("/api/v1/articles").json()["total"] == 0


# --- 12. The API key ---------------------------------------------------------------------------


def test_api_key_from_a_file_or_the_environment(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("s3cret-from-file\nignored\n")
    assert resolve_api_key(key_file, None, {}) == "s3cret-from-file"
    assert resolve_api_key(None, None, {"PROPSCOPE_API_KEY": " env-key\n"}) == "env-key"
    assert resolve_api_key(None, None, {}) is None
    assert resolve_api_key(key_file, None, {"PROPSCOPE_API_KEY": "env"}) == "s3cret-from-file"
    empty = tmp_path / "empty"
    empty.write_text("\n")
    for path, words in (
        (empty, "empty"),
        (tmp_path / "missing", "not found"),
        (tmp_path, "directory"),
    ):
        with pytest.raises(InputError, match=words):
            resolve_api_key(path, None, {})
    with pytest.raises(InputError, match="no usable key"):
        resolve_api_key(None, None, {"PROPSCOPE_API_KEY": "two words"})


def test_serve_takes_the_key_from_a_file_and_its_host_options(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from propscope.cli import app as cli

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.delenv("PROPSCOPE_API_KEY", raising=False)
    key_file = tmp_path / "key"
    key_file.write_text("file-key\n")
    port = str(_free_port())  # serve checks that it can listen before it starts
    args = [
        "serve",
        "--db",
        str(tmp_path / "s.db"),
        "--port",
        port,
        "--api-key-file",
        str(key_file),
    ]
    extra = ["--allowed-host", "news.lan", "--max-chars", "5000", "--workers", "3", "--queue", "4"]
    result = CliRunner().invoke(cli, args + extra)
    assert result.exit_code == 0, result.output
    settings = started["app"].state.settings
    assert settings.api_key == "file-key"
    assert "news.lan" in settings.allowed_hosts and "127.0.0.1" in settings.allowed_hosts
    assert (settings.max_chars, settings.analysis_workers, settings.queue_size) == (5000, 3, 4)
    monkeypatch.setenv("PROPSCOPE_API_KEY", "env-key")
    assert CliRunner().invoke(cli, args[:5]).exit_code == 0
    assert started["app"].state.settings.api_key == "env-key"
    missing = CliRunner().invoke(cli, [*args[:5], "--api-key-file", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "API key file" in missing.output and "Traceback" not in missing.output


def test_docs_show_no_key_on_a_command_line():
    for doc in (ROOT / "README.md", ROOT / "docs" / "web.md"):
        for line in doc.read_text(encoding="utf-8").splitlines():
            assert "--api-key " not in line and "--api-key=" not in line, (doc.name, line)


# --- 8. A bounded reply to 200,000 extra fields, without stalling others -----------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(tmp_path, model):
    """uvicorn serving the app on a free loopback port, in a thread."""
    import uvicorn

    app = create_app(db_url=str(tmp_path / "live.db"), model_loader=lambda: model)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started and app.state.models.wait(60)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_many_extra_fields_get_a_small_reply_and_stall_nobody(live_server):
    """Issue 9.8: 200,000 extra fields gave an 8 MB reply and stalled everyone for 2.5 s."""
    body = json.dumps({"text": "Some words.", **{f"field{i}": 0 for i in range(200_000)}})
    stalls: list[float] = []
    done = threading.Event()

    def ping() -> None:
        with httpx.Client(base_url=live_server, timeout=30) as c:
            while not done.is_set():
                start = time.perf_counter()
                assert c.get("/healthz").status_code == 200
                stalls.append(time.perf_counter() - start)
                time.sleep(0.01)

    pinger = threading.Thread(target=ping)
    pinger.start()
    try:
        with httpx.Client(base_url=live_server, timeout=30) as c:
            start = time.perf_counter()
            response = c.post(
                "/api/v1/analyze", content=body, headers={"content-type": "application/json"}
            )
            elapsed = time.perf_counter() - start
    finally:
        done.set()
        pinger.join()
    assert response.status_code == 422
    assert len(response.content) < 2_000
    assert "unknown fields 'field0'" in response.json()["detail"]
    assert "and 199,995 more" in response.json()["detail"]
    # Bounds with room for a shared machine; before, the reply alone was 8 MB.
    assert elapsed < 10, elapsed
    assert stalls and max(stalls) < 2.0, max(stalls)


def test_unknown_query_parameters_are_refused_by_the_filtered_views_too(tmp_path):
    """/library?sorce=x and /api/v1/articles?techique=x were a 200 over the whole store, as if
    filtered; a misspelt ?techniqe= on an article page showed every finding."""
    app = create_app(db_url=str(tmp_path / "views.db"), model_loader=lambda: object())
    with TestClient(app, base_url=BASE) as client:
        for path in ("/library", "/api/v1/articles"):
            for query in ("sorce=x", "page=1&from=2024-01-01", "limit=5&q=a&sort=date"):
                response = client.get(f"{path}?{query}")
                assert response.status_code == 422, (path, query)
                name = query.split("&")[-1].split("=")[0]
                detail = response.json()["detail"] if "/api/" in path else response.text
                assert f"query.{name}: unknown parameter" in detail, detail
                takes = re.search(r"takes only ([a-z_, ]+)", detail).group(1).split(", ")
                assert {"q", "source", "date_from", "technique"} <= set(takes), detail
                assert ("page" in takes) == (path == "/library"), detail
                assert ("limit" in takes) == (path != "/library"), detail
        assert client.get("/library?q=a&page=1&deleted=1&language=").status_code == 200
        assert client.get("/api/v1/articles?q=a&limit=5&offset=0&category=").status_code == 200
        assert client.get("/dashboard?x=1").status_code == 422
        assert client.get("/articles/1?techniqe=Doubt").status_code == 422


def test_form_metadata_follows_the_json_rules_and_errors_keep_the_input(client, short_text):
    """The Analyse form stored a 3,000-character title and a 400-character source (cut to
    255) that the JSON API refuses; a bad date threw the typed article away (a bare error
    page instead of the form with the error)."""
    typed = "My own words, typed for minutes"
    for fields, name in (
        ({"title": "t" * 1001}, "title"),
        ({"source": "s" * 256}, "source"),
        ({"published": "2024-99-01"}, "published"),
    ):
        api = client.post("/api/v1/analyze", data={"text": short_text, **fields})
        assert api.status_code == 422, (name, api.text)
        assert api.json()["detail"].startswith(f"{name}: "), api.json()
        as_json = client.post("/api/v1/analyze", json={"text": short_text, **fields})
        assert as_json.status_code == 422 and as_json.json()["detail"] == api.json()["detail"]
        page = client.post("/analyze", data={"text": typed, **fields})
        assert page.status_code == 422, name
        assert "Could not analyse this" in page.text and f"{name}: " in page.text
        assert f">{typed}</textarea>" in page.text, name
    assert client.get("/api/v1/articles").json()["total"] == 0
    # Blank fields are "not given", as before.
    blank = {"text": short_text, "title": "", "source": " ", "published": ""}
    assert client.post("/api/v1/analyze", data=blank).status_code == 201


def test_a_library_page_past_the_last_says_so(client, short_text):
    """/library?page=2 of a one-page library said "1 article" and "The library is empty"."""
    _stored(client, short_text)
    past = client.get("/library?page=2&q=")
    assert past.status_code == 404
    assert "The library is empty" not in past.text
    assert "there is no page 2" in past.text and "/library?page=1" in past.text
    filtered = client.get("/library?page=3&source=nowhere")
    assert filtered.status_code == 404 and "source=nowhere" in filtered.text
    assert client.get("/library?page=1&source=nowhere").status_code == 200
    assert client.get("/library?page=1").status_code == 200


def test_echoed_input_keeps_error_messages_one_short_line(client, short_text):
    """A technique of 5,000 characters came back whole in the article page's 404, and a
    newline in a parameter's name or value split the 422 message over several lines."""
    article_id = _stored(client, short_text)
    page = client.get(f"/articles/{article_id}", params={"technique": "x" * 5000 + "\n<b>"})
    assert page.status_code == 404
    detail = re.search(r'role="alert">\s*<p>(.*?)</p>', page.text, re.S).group(1)
    assert len(detail) < 400 and "\n" not in detail and "<b>" not in detail, detail
    for query in ({"technique": "Doubt\nX"}, {"a\nb": "1"}, {"category": "e\r\nn\x1b"}):
        response = client.get("/api/v1/articles", params=query)
        assert response.status_code == 422, query
        detail = response.json()["detail"]
        assert "\n" not in detail and "\r" not in detail and "\x00" not in detail, detail
        assert "\\n" in detail, detail  # shown escaped, so the user sees what was sent


# --- Forms that are not UTF-8 ------------------------------------------------------------------

FORM = {"content-type": "application/x-www-form-urlencoded"}


def _multipart(*parts: tuple[bytes, bytes]) -> tuple[bytes, dict[str, str]]:
    """A multipart body from raw (Content-Disposition parameters, value) pairs."""
    body = b"".join(
        b"--B0undary\r\nContent-Disposition: form-data; " + params + b"\r\n\r\n" + value + b"\r\n"
        for params, value in parts
    )
    return body + b"--B0undary--\r\n", {"content-type": "multipart/form-data; boundary=B0undary"}


def test_forms_that_are_not_utf8_are_refused_and_nothing_is_stored(client, short_text):
    """`curl --data-binary $'text=... \\xff\\xfe ...'` to /analyze stored 'ÿþ' (Latin-1), and a
    multipart field with \\xe9 stored 'é'; JSON and files that are not UTF-8 were already 400."""
    text = short_text.encode()
    raw, percent = b"text=" + text + b" \xff\xfe liars", b"text=" + text + b"%20%FF%FE"
    for body in (raw, percent):
        page = client.post("/analyze", content=body, headers=FORM)
        assert page.status_code == 400, page.text[:300]
        assert "text/html" in page.headers["content-type"]
        assert "Could not analyse this" in page.text and "not UTF-8" in page.text
        api = client.post("/api/v1/analyze", content=body, headers=FORM)
        assert api.status_code == 400 and "not UTF-8" in api.json()["detail"], api.text
    for parts in (
        [(b'name="text"', text + b" caf\xe9")],
        [(b'name="text"', text), (b'name="title"', b"Caf\xe9")],
        [(b'name="file"; filename="caf\xe9.txt"', text)],
    ):
        body, headers = _multipart(*parts)
        for path in ("/analyze", "/api/v1/analyze"):
            response = client.post(path, content=body, headers=headers)
            assert response.status_code == 400, (parts, path, response.text[:300])
            assert "not UTF-8" in response.text
    assert client.get("/api/v1/articles").json()["total"] == 0
    # UTF-8 sent raw (curl --data-binary, no percent-encoding) is read as UTF-8, not Latin-1.
    accented = short_text + " Le café est fermé."
    stored = client.post(
        "/analyze", content=b"text=" + accented.encode(), headers=FORM, follow_redirects=False
    )
    assert stored.status_code == 303, stored.text[:300]
    article_id = stored.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/articles/{article_id}").json()["analysis"]["text"] == accented


# --- Uploads over the server's limit -----------------------------------------------------------


def test_uploads_over_the_server_limit_are_413_naming_max_chars(client, tmp_path):
    """An upload of 1,000,001 characters got 400 "more than the limit of 1,000,000 ... raise
    max_chars" (the readers' default) from a server whose limit is 100,000."""
    for chars in (1_000_001, 950_000, 150_000):
        data = ("Words of an article. " * (chars // 21 + 1))[:chars].encode()
        response = client.post("/api/v1/analyze", files={"file": ("big.txt", data)})
        assert response.status_code == 413, (chars, response.text[:300])
        detail = response.json()["detail"]
        assert f"has {chars:,} characters" in detail and "limit of 100,000" in detail, detail
        assert "--max-chars" in detail and "raise max_chars" not in detail, detail
    assert client.get("/api/v1/articles").json()["total"] == 0


def test_the_readers_get_the_servers_limit(tmp_path):
    """The readers were called with their own default of 1,000,000 characters: a text
    within an operator's larger --max-chars was refused (400), and an extracted page over
    a smaller one was refused by the readers' words, not the server's 413."""
    from fastapi import HTTPException

    from propscope.web.app import Settings
    from propscope.web.service import Submission, read_submission

    text = ("Words of an article. " * 50_000)[:1_000_001]
    article = read_submission(Submission(text=text), Settings(max_chars=2_000_000))
    assert len(article.text) == 1_000_001
    paragraphs = "".join(f"<p>Paragraph {i} of a long article, with words.</p>" for i in range(60))
    page = f"<html><head><title>Long</title></head><body><article>{paragraphs}</article>"
    upload = Submission(file_name="page.html", file_data=page.encode())
    with pytest.raises(HTTPException) as refused:
        read_submission(upload, Settings(max_chars=1_000))
    assert refused.value.status_code == 413
    assert "limit of 1,000" in refused.value.detail and "--max-chars" in refused.value.detail


# --- serve when it cannot listen ---------------------------------------------------------------


def _serve(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "propscope", "serve", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_serve_says_in_one_line_that_it_cannot_listen(tmp_path):
    """`propscope serve --port P` with P taken printed "serving on", uvicorn's error, then
    aborted (exit 134, "terminate called without an active exception")."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = _serve("--port", str(port), "--db", str(tmp_path / "s.db"))
    assert busy.returncode == 2, busy.stderr
    assert busy.stderr.strip() == (
        f"propscope: error: port {port} on 127.0.0.1 is in use; choose another --port"
    )
    # 192.0.2.1 is a documentation address (RFC 5737): not this machine's; binding fails locally.
    foreign = _serve("--host", "192.0.2.1", "--port", str(port), "--db", str(tmp_path / "s.db"))
    assert foreign.returncode == 2, foreign.stderr
    assert "192.0.2.1 is not an address of this machine; choose another --host" in foreign.stderr
    assert "serving on" not in foreign.stderr and len(foreign.stderr.strip().splitlines()) == 1


def test_a_server_that_cannot_bind_exits_without_aborting(tmp_path):
    """Past the check (the port taken a moment later), uvicorn exits while the model is still
    loading in its thread: the process aborted. Shutdown now lets the load end first."""
    script = (
        "import socket, sys, uvicorn\n"
        "from propscope.web import create_app\n"
        "taken = socket.socket(); taken.bind(('127.0.0.1', 0)); taken.listen()\n"
        f"app = create_app(db_url={str(tmp_path / 'r.db')!r})\n"
        "uvicorn.run(app, host='127.0.0.1', port=taken.getsockname()[1], log_level='error')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert result.returncode not in (0, -6, 134), result.stderr
    assert "address already in use" in result.stderr
    assert "terminate called" not in result.stderr


# --- Round 2: a page URL that does not parse, a file name too long for a file system ---------


def test_a_page_url_that_does_not_parse_is_refused_before_any_analysis(client, short_text):
    """`{"text": ..., "page_url": "http://[::1"}` passed the schema's pattern, was analysed,
    then gave 500 where the store took its domain. A NUL in the page URL was stored (the
    other fields refuse it, and PostgreSQL cannot store it)."""
    for page_url in ("http://[::1", "https://[zz]/article"):
        response = client.post("/api/v1/analyze", json={"text": short_text, "page_url": page_url})
        assert response.status_code == 422, response.text
        assert "page_url" in response.text and "valid URL" in response.text
    raw = {"content-type": "application/json"}
    for escaped in (b"\\ud800", b"\\u0000"):
        body = b'{"text": ' + json.dumps(short_text).encode() + b', "page_url": "http://a.example/'
        response = client.post("/api/v1/analyze", content=body + escaped + b'"}', headers=raw)
        assert response.status_code in (400, 422), response.text
        assert "page_url" in response.text or "the page URL is not UTF-8" in response.text
    assert client.get("/api/v1/articles").json()["total"] == 0
    ok = client.post("/api/v1/analyze", json={"text": short_text, "page_url": "http://[::1]/a"})
    assert ok.status_code == 201, ok.text
    stored = client.get(f"/api/v1/articles/{ok.json()['id']}").json()
    assert stored["url"] == "http://[::1]/a" and stored["source"] == "::1"


def test_an_upload_whose_name_is_longer_than_a_file_system_takes_is_read(client, short_text):
    """A file name of over 255 bytes was a 500 (OSError: File name too long), through the API
    and the Analyse page: the upload is saved under a shortened safe name; the article keeps
    the name the user gave."""
    name = "a" * 300 + ".txt"
    api = client.post("/api/v1/analyze", files={"file": (name, short_text.encode())})
    assert api.status_code == 201, api.text
    assert api.json()["article"]["source"] == name
    assert api.json()["article"]["id"] == "a" * 124
    html_name = "é" * 200 + "-" + "b" * 300 + ".html"
    page_html = f"<html><body><h1>A headline</h1><p>{short_text}</p></body></html>"
    for upload in (
        (name, (short_text + " Once more.").encode()),
        (html_name, page_html.encode()),
    ):
        page = client.post("/analyze", files={"file": upload}, follow_redirects=False)
        assert page.status_code == 303, page.text[:300]
        article = client.get("/api/v1" + page.headers["location"]).json()
        assert article["analysis"]["article"]["source"] == upload[0]
    assert client.get("/api/v1/articles").json()["total"] == 3


def test_a_latin1_upload_is_told_which_byte_of_which_line(client):
    """tester, round 13: "byte 255 cannot be decoded; binary file?" named the offset as if it
    were the byte (the file had no byte 255) and called an Italian Latin-1 text binary."""
    data = "Crisi a Roma\n\nPerché la città è in crisi? I corrotti mentono.".encode("latin-1")
    response = client.post("/api/v1/analyze", files={"file": ("it.txt", data)})
    assert response.status_code == 400, response.text[:300]
    detail = response.json()["detail"]
    assert "line 3 has the byte 0xe9, which UTF-8 cannot decode" in detail, detail
    assert "binary" not in detail
    form = client.post("/api/v1/analyze", content=b"text=caf\xe9 " * 20, headers=FORM)
    assert "has the byte 0xe9" in form.json()["detail"], form.text
