"""Hostile round 14 (web): slow clients held connections for ever, a keyed server buffered the
Analyse form's body before checking the key, a database that went away gave 500s with
tracebacks (and /healthz named its address), a field given twice was read as its last value,
and the Host check took the first part of 'Host: 127.0.0.1:46789@evil.com'.

Servers listen on 127.0.0.1 only; nothing is looked up or sent off the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from builders import start_uvicorn, stop_uvicorn
from fastapi.testclient import TestClient
from test_web_hardening import _free_port, _multipart, make_client  # noqa: F401 (a fixture)
from typer.testing import CliRunner

from propscope.store import Store, StoreError, StoreUnavailable
from propscope.web import create_app
from propscope.web.api import DATABASE_UNAVAILABLE
from propscope.web.forms import KEY_WINDOW_BYTES
from propscope.web.guards import request_host
from propscope.web.server import AcceptErrorLog, DeadlineH11Protocol, uvicorn_options

BASE = "http://127.0.0.1:8000"
KEY = "k3y-round-14"
FORM = {"content-type": "application/x-www-form-urlencoded"}


class _FakeModel:
    """Ready at once: these tests stop before any analysis (or need none)."""

    meta = {"name": "fake", "version": "0"}


@contextlib.contextmanager
def _serving(app, **limits) -> Iterator[int]:
    """uvicorn with propscope's server options on a free loopback port, in a thread."""
    server, thread, port = start_uvicorn(app, log_config=None, **uvicorn_options(**limits))
    try:
        yield port
    finally:
        stop_uvicorn(server, thread)


def _app(tmp_path: Path, **options):
    return create_app(db_url=str(tmp_path / "w.db"), model_loader=_FakeModel, **options)


def _connect(port: int, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if data:
        sock.sendall(data)
    return sock


def _until_closed(sock: socket.socket, wait: float = 5.0) -> tuple[bytes, float]:
    """What the server sends until it closes the connection, and after how many seconds."""
    start = time.monotonic()
    sock.settimeout(wait)
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            raise AssertionError(f"still open after {wait} s; got {received[:200]!r}") from None
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return received, time.monotonic() - start


# --- 1. Slow clients ---------------------------------------------------------------------------


def test_a_request_that_never_completes_is_closed_at_its_deadline(tmp_path, caplog):
    """`slowloris.py PORT 1100 headers`: connections that never finished their headers (or
    trickled a declared 5 MB body) stayed open for ever; ~1,000 locked everyone out."""
    with _serving(_app(tmp_path), header_timeout=0.5, body_timeout=0.8) as port:
        headers = _connect(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        silent = _connect(port)
        body = _connect(
            port,
            b"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            b'application/json\r\nContent-Length: 5000000\r\n\r\n{"text": "',
        )
        # one complete request, then a next one that never ends, on the same connection
        kept = _connect(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while not first.endswith(b"}"):  # the whole answer (its body may come apart)
            first += kept.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        kept.sendall(b"GET /healthz HTTP/1.1\r\n")
        # everyone else is served meanwhile
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        answer, waited = _until_closed(headers)
        assert answer.startswith(b"HTTP/1.1 408 ") and 0.3 < waited < 3, (answer, waited)
        assert _until_closed(silent)[0] == b""  # nothing sent: closed without an answer
        answer, waited = _until_closed(body)
        assert answer.startswith(b"HTTP/1.1 408 ") and waited < 3, (answer, waited)
        assert _until_closed(kept)[0].startswith(b"HTTP/1.1 408 ")
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        for sock in (headers, silent, body, kept):
            sock.close()
    # the body cut off is no error of the server: no traceback (they came by the hundred)
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]


def test_a_slow_but_steady_request_within_its_deadlines_is_served(tmp_path):
    with _serving(_app(tmp_path), header_timeout=1.0, body_timeout=2.0) as port:
        sock = _connect(port, b"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.4)
        sock.sendall(b"Connection: close\r\nContent-Type: application/json\r\n")
        sock.sendall(b"Content-Length: 13\r\n\r\n")
        time.sleep(0.6)  # past the headers' deadline, within the body's
        sock.sendall(b'{"textx":"a"}')  # the 13 bytes declared
        answer, _ = _until_closed(sock)
        sock.close()
    # read whole and answered (an unknown field), not cut off by a deadline
    assert answer.startswith(b"HTTP/1.1 422 "), answer[:200]
    assert b"unknown fields" in answer


def test_connections_beyond_the_cap_get_503(tmp_path):
    with _serving(_app(tmp_path), max_connections=3) as port:
        idle = [_connect(port) for _ in range(3)]
        time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/healthz"
        assert httpx.get(url, timeout=5).status_code == 503
        for sock in idle:
            sock.close()
        time.sleep(0.2)
        assert httpx.get(url, timeout=5).status_code == 200


def test_serve_hands_uvicorn_the_deadlines_and_the_cap(tmp_path, monkeypatch):
    from propscope.cli import app as cli

    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    monkeypatch.delenv("PROPSCOPE_API_KEY", raising=False)
    args = ["serve", "--db", str(tmp_path / "s.db"), "--port", str(_free_port())]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert issubclass(started["http"], DeadlineH11Protocol)
    assert (started["http"].header_timeout, started["http"].body_timeout) == (10.0, 60.0)
    assert started["limit_concurrency"] is None  # no cap by default (idle sockets count)
    more = ["--header-timeout", "5", "--body-timeout", "120", "--max-connections", "50"]
    assert CliRunner().invoke(cli, args + more).exit_code == 0
    assert (started["http"].header_timeout, started["http"].body_timeout) == (5.0, 120.0)
    assert started["limit_concurrency"] == 50


def test_accept_failures_are_logged_once_per_interval(caplog):
    """Out of file descriptors, asyncio logged a traceback per failed accept(): 470,722
    "Too many open files" tracebacks in 60 s."""
    loop = asyncio.new_event_loop()
    try:
        handler = AcceptErrorLog(interval=60)
        failure = OSError(errno.EMFILE, os.strerror(errno.EMFILE))
        context = {"message": "socket.accept() out of system resource", "exception": failure}
        with caplog.at_level(logging.INFO):
            for _ in range(2_048):
                handler(loop, context)
            handler(loop, {"message": "something else"})  # not ours: asyncio's own handler
        said = [r for r in caplog.records if "cannot accept connections" in r.getMessage()]
        assert len(said) == 1 and "too many open files" in said[0].getMessage()
        assert said[0].exc_info is None
        assert any("something else" in r.getMessage() for r in caplog.records)
        handler._said_at -= 61  # the interval passed: said again, with the count since
        handler(loop, context)
        assert "2,047 more since" in caplog.records[-1].getMessage()
    finally:
        loop.close()


# --- 2. The Analyse and delete forms check the key before they buffer a body ----------------


def _post_head(path: str, content_type: bytes, length: int) -> bytes:
    return (
        b"POST "
        + path.encode()
        + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + content_type
        + b"\r\nContent-Length: %d\r\n\r\n" % length
    )


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
@pytest.mark.parametrize("path", ["/analyze", "/articles/1/delete"])
def test_a_keyed_form_without_its_key_is_refused_before_the_body(tmp_path, kind, path):
    """`flood.py PB 100 form serverB.pid /analyze`: 100 bodies of 5.9 MB without a key were
    read whole before the 401 (RSS +509 MB held, 2.45 GB peak); the JSON API already refused
    them first. Now no more than KEY_WINDOW_BYTES are read without a valid key."""
    declared = 5_900_000
    if kind == "urlencoded":
        start, content_type = b"text=", b"application/x-www-form-urlencoded"
    else:
        start = b'--XX\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        content_type = b"multipart/form-data; boundary=XX"
    sent = start + b"a" * (KEY_WINDOW_BYTES + 1 - len(start))  # all the server needs to see
    with _serving(_app(tmp_path, api_key=KEY)) as port:
        for headers in (b"", b"X-API-Key: wrong\r\n"):
            head = _post_head(path, content_type, declared).replace(
                b"\r\n\r\n", b"\r\n" + headers + b"\r\n"
            )
            sock = _connect(port, head + sent)
            answer, _ = _until_closed(sock)  # before: waited for the other 5.6 MB
            sock.close()
            assert answer.startswith(b"HTTP/1.1 401 "), answer[:300]
            assert b"API key" in answer


def test_the_key_first_opens_the_form_and_a_small_form_may_give_it_anywhere(
    make_client,  # noqa: F811
):
    client = make_client(api_key=KEY)
    page = client.get("/")
    assert page.text.index('name="api_key"') < page.text.index('name="text"')  # sent first
    big = "word " * (KEY_WINDOW_BYTES // 5 + 10_000)  # past the window (and --max-chars)
    first, headers = _multipart((b'name="api_key"', KEY.encode()), (b'name="text"', big.encode()))
    opened = client.post("/analyze", content=first, headers=headers)
    assert opened.status_code == 413, opened.text[:300]  # read on: the text is too long
    last, headers = _multipart((b'name="text"', big.encode()), (b'name="api_key"', KEY.encode()))
    late = client.post("/analyze", content=last, headers=headers)
    assert late.status_code == 401 and "before the article" in late.text  # not reached
    for body, expected in (
        (f"api_key={KEY}&text={big}", 413),  # urlencoded alike
        (f"text={big}&api_key={KEY}", 401),
        (f"api_key=nope&text={big}", 401),
    ):
        response = client.post("/analyze", content=body.encode(), headers=FORM)
        assert response.status_code == expected, (body[:20], response.text[:300])
    # a form within the window is read whole: a wrong key gets the form back, text kept
    wrong = client.post("/analyze", data={"text": "My pasted article.", "api_key": "nope"})
    assert wrong.status_code == 401 and "My pasted article." in wrong.text
    # a valid key in a header needs nothing from the form
    header = client.post("/analyze", content=last, headers={**headers, "X-API-Key": KEY})
    assert header.status_code == 413, header.text[:300]


def test_without_a_key_a_cross_site_form_is_refused_before_its_body(tmp_path):
    with _serving(_app(tmp_path)) as port:
        head = _post_head("/analyze", b"application/x-www-form-urlencoded", 5_900_000)
        head = head.replace(b"\r\n\r\n", b"\r\nOrigin: http://evil.example\r\n\r\n")
        sock = _connect(port, head + b"text=aaaa")
        answer, _ = _until_closed(sock)
        sock.close()
    assert answer.startswith(b"HTTP/1.1 403 "), answer[:300]


# --- 3, 4. A database that went away -------------------------------------------------------------


def _break(database: Path, store: Store) -> None:
    """The database file replaced by one that is not a database, as a dropped database is
    gone for the server; pooled connections are dropped so the next use opens it again."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"this is not a database, and its path is secret " * 100)
    store.engine.dispose()


def test_a_database_that_went_away_is_503_in_one_line(tmp_path, caplog):
    """`DROP DATABASE hostile14d_db`: every route but /healthz answered 500 with a traceback
    in the log, and /healthz told anyone the database's address and the driver's error."""
    database = tmp_path / "w.db"
    app = _app(tmp_path)
    with TestClient(app, base_url=BASE) as client:
        assert client.get("/healthz").status_code == 200
        _break(database, app.state.store)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answers = {
                path: client.get(path)
                for path in (
                    "/",
                    "/library",
                    "/dashboard",
                    "/articles/1",
                    "/api/v1/articles",
                    "/api/v1/articles/1",
                    "/api/v1/stats",
                    "/healthz",
                )
            }
            answers["DELETE"] = client.delete("/api/v1/articles/1")
            answers["delete form"] = client.post("/articles/1/delete")
            answers["POST"] = client.post("/api/v1/analyze", json={"text": "Some words here."})
            answers["form"] = client.post("/analyze", data={"text": "Some words here."})
    for what, response in answers.items():
        assert response.status_code == 503, (what, response.text[:300])
        assert "not a database" not in response.text, what  # the driver's words: the log's
        if response.headers["content-type"].startswith("application/json"):
            detail = response.json()["detail"]
            assert detail == DATABASE_UNAVAILABLE, (what, detail)
        else:
            assert DATABASE_UNAVAILABLE.replace("'", "&#39;") in response.text, what
    assert answers["/healthz"].json() == {"status": "failed", "detail": DATABASE_UNAVAILABLE}
    assert str(tmp_path) not in answers["/healthz"].text
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
    said = [r.getMessage() for r in caplog.records if "database is unavailable" in r.getMessage()]
    assert len(said) == len(answers), said
    assert all("not a database" in line and "\n" not in line for line in said), said


def test_the_stores_reads_raise_store_errors(tmp_path):
    database = tmp_path / "s.db"
    store = Store(str(database))
    _break(database, store)
    for read in (
        store.count,
        store.list,
        store.facets,
        store.models,
        lambda: store.get(1),
        lambda: store.find("0" * 64),
        lambda: store.stats("source"),
        lambda: store.delete(1),
    ):
        with pytest.raises(StoreUnavailable, match=r"the database '.*s\.db': file is not a"):
            read()
    assert issubclass(StoreUnavailable, StoreError)
    store.close()


# --- 5. A field given twice ----------------------------------------------------------------------


def test_a_field_given_twice_is_refused_not_read_as_its_last_value(tmp_path):
    """`{"text":"a","text":"b"}` and `text=a&text=b` analysed "b"; batch refuses the record
    ("names the field 'text' more than once (only the last would be read, the other lost)")."""
    with TestClient(_app(tmp_path), base_url=BASE) as client:
        json_body = b'{"text": "one", "text": "Two words", "title": "a", "title": "b"}'
        api = client.post(
            "/api/v1/analyze", content=json_body, headers={"content-type": "application/json"}
        )
        assert api.status_code == 400, api.text
        assert api.json()["detail"] == (
            "the body names the fields 'text', 'title' more than once (only the last would be "
            "read, the other lost); give each field once"
        )
        multipart, multipart_headers = _multipart(
            (b'name="text"', b"one"), (b'name="text"', b"Two words")
        )
        for body, headers in (
            (b"text=one&text=Two+words", FORM),
            (multipart, multipart_headers),
        ):
            for path in ("/api/v1/analyze", "/analyze"):
                response = client.post(path, content=body, headers=headers)
                assert response.status_code == 400, (path, response.text[:300])
                assert "names the field &#39;text&#39; more than once" in response.text or (
                    "names the field 'text' more than once (only the last would be read"
                    in response.text
                ), response.text[:300]
        assert client.get("/api/v1/articles").json()["total"] == 0


# --- 6. The Host header, parsed strictly ---------------------------------------------------------


def test_a_host_header_with_anything_after_the_host_and_port_is_refused(tmp_path):
    """`Host: 127.0.0.1:46789@evil.com` and `Host: [::1]evil.com` passed the Host check."""
    with TestClient(_app(tmp_path), base_url=BASE) as client:
        for host in (
            "127.0.0.1:46789@evil.com",
            "[::1]evil.com",
            "[::1]:8000evil.com",
            "127.0.0.1:8000:8000",
            "127.0.0.1:http",
            "localhost evil.com",
            "localhost/evil",
            "user@127.0.0.1",
        ):
            response = client.get("/healthz", headers={"Host": host})
            assert response.status_code == 400, host
            assert "is not a host name" in response.json()["detail"], host
        for host in (
            "127.0.0.1:8000",
            "[::1]:8000",
            "localhost.",
            "LOCALHOST",
            "[::1]",
            "localhost:",  # an empty port (RFC 9110; review, session 16)
        ):
            assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    assert request_host("Example.ORG:80") == "example.org"
    assert request_host("[::1]") == "[::1]" and request_host("") is None
