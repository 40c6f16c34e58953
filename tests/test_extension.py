"""The browser extension without a browser: its files and ID, `propscope extension`,
`serve --allow-extension`, and the server's CORS and Origin rules for the extension's origin.
(In a real browser: test_extension_browser.py.)"""

from __future__ import annotations

import json
import re
import socket
import zipfile

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from propscope import __version__, taxonomy
from propscope.browser_extension import (
    extension_dir,
    extension_id,
    extension_origin,
    manifest_version,
)
from propscope.cli import app
from propscope.errors import InputError

ID = "mgoeeifhecdplekocgdbnmgllijnfnmj"  # documented in docs/extension.md
ORIGIN = f"chrome-extension://{ID}"
BASE = "http://127.0.0.1:8000"


def test_manifest_is_mv3_with_minimal_permissions_and_a_fixed_id():
    manifest = json.loads((extension_dir() / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert manifest["version"] == manifest_version()
    # No host permissions: the page is read only after a click (activeTab), and the server
    # is reached through its CORS answer for this extension.
    assert set(manifest["permissions"]) == {"activeTab", "scripting", "storage"}
    assert "host_permissions" not in manifest and "content_scripts" not in manifest
    assert extension_id(manifest) == ID
    for path in re.findall(r'"([\w/]+\.(?:js|html|png))"', json.dumps(manifest)):
        assert (extension_dir() / path).is_file(), path


def test_categories_and_colours_are_the_reports():
    source = (extension_dir() / "categories.js").read_text()
    found = re.findall(
        r'name: "([^"]+)", background: "(#[0-9A-F]{6})", border: "(#[0-9A-F]{6})"', source
    )
    assert found == [
        (c, taxonomy.CATEGORY_COLOURS[c], taxonomy.CATEGORY_BORDER[c]) for c in taxonomy.CATEGORIES
    ]
    assert f'PROPSCOPE_TEXT_COLOUR = "{taxonomy.HIGHLIGHT_TEXT_COLOUR}"' in source


def test_manifest_version_from_package_versions():
    assert manifest_version("0.1.0") == "0.1.0"
    assert manifest_version("1.2.3rc1") == "1.2.3.1"
    assert manifest_version("2.0.0.dev4+g1234") == "2.0.0.4"


def test_extension_command_writes_folder_and_zip(tmp_path):
    result = CliRunner().invoke(app, ["extension", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"propscope serve --allow-extension {ID}" in result.output
    folder = tmp_path / "out" / f"propscope-extension-{__version__}"
    archive = folder.with_name(folder.name + ".zip")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == manifest_version() and manifest["version_name"] == __version__
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert {"manifest.json", "background.js", "content.js", "options.html"} <= set(files)
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == files
        for name in files:
            assert z.read(name) == (folder / name).read_bytes()
    first = archive.read_bytes()
    again = CliRunner().invoke(app, ["extension", "-o", str(tmp_path / "out")])
    assert again.exit_code == 0 and archive.read_bytes() == first  # replaced, reproducible
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [folder.name, archive.name]


def test_extension_command_refuses_a_file_as_output(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(app, ["extension", "--output", str(target)])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert target.read_text() == "x"


def _tree(folder):
    """Every path under ``folder`` (links not followed) with what it is and holds."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[key] = ("link", str(path.readlink()))
        elif path.is_dir():
            out[key] = ("dir", None)
        else:
            out[key] = ("file", path.read_bytes())
    return out


def test_extension_command_refuses_taken_target_names_and_changes_nothing(tmp_path):
    """The folder's name taken by a file or by a link to a folder, the zip's by a folder, the
    folder's by someone else's folder: one line, exit 2, nothing deleted, moved or written
    (the zip check comes before the old folder is replaced, not after)."""
    name = f"propscope-extension-{__version__}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine")

    def as_file(out):
        (out / name).write_text("a file")

    def as_link(out):
        (out / name).symlink_to(elsewhere, target_is_directory=True)

    def zip_as_folder(out):  # after a first good run: the folder is an earlier output
        assert CliRunner().invoke(app, ["extension", "-o", str(out)]).exit_code == 0
        (out / f"{name}.zip").unlink()
        (out / f"{name}.zip").mkdir()
        (out / f"{name}.zip" / "notes.txt").write_text("keep")

    def foreign_folder(out):
        (out / name).mkdir()
        (out / name / "thesis.tex").write_text("years of work")

    def earlier_output_with_own_file(out):
        assert CliRunner().invoke(app, ["extension", "-o", str(out)]).exit_code == 0
        (out / name / "my-notes.txt").write_text("mine")

    def zip_as_link(out):
        (out / f"{name}.zip").symlink_to(elsewhere / "precious.txt")

    for setup in (
        as_file,
        as_link,
        zip_as_folder,
        foreign_folder,
        earlier_output_with_own_file,
        zip_as_link,
    ):
        out = tmp_path / setup.__name__
        out.mkdir()
        setup(out)
        before, before_elsewhere = _tree(out), _tree(elsewhere)
        result = CliRunner().invoke(app, ["extension", "-o", str(out)])
        assert result.exit_code == 2, (setup.__name__, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        assert "move it away first" in result.output, result.output
        assert _tree(out) == before, setup.__name__
        assert _tree(elsewhere) == before_elsewhere, setup.__name__


def test_extension_origins():
    assert extension_origin(ID) == ORIGIN
    assert extension_origin(f"{ORIGIN}/") == ORIGIN
    uuid = "moz-extension://0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    assert extension_origin(uuid) == uuid
    for bad in ("", "abc", ID[:-1] + "z", "https://evil.example", "*", f"{ORIGIN}.evil"):
        with pytest.raises(InputError, match="not an extension ID"):
            extension_origin(bad)


def test_serve_allow_extension(monkeypatch, tmp_path):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda web_app, **kw: started.update(app=web_app))
    db = str(tmp_path / "s.db")
    with socket.socket() as s:  # serve checks that it can listen before starting
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    result = CliRunner().invoke(app, ["serve", "--db", db, "--port", port, "--allow-extension", ID])
    assert result.exit_code == 0, result.output
    assert started["app"].state.settings.allowed_origins == frozenset({ORIGIN})
    assert f"admitting the browser extension {ORIGIN}" in result.output
    bad = CliRunner().invoke(
        app, ["serve", "--db", db, "--port", port, "--allow-extension", "evil"]
    )
    assert bad.exit_code == 2 and "not an extension ID" in bad.output


@pytest.fixture
def make_client(model, tmp_path):
    from propscope.web import create_app

    clients = []

    def make(**options) -> TestClient:
        web_app = create_app(
            db_url=str(tmp_path / f"cors{len(clients)}.db"), model_loader=lambda: model, **options
        )
        client = TestClient(web_app, base_url=BASE).__enter__()  # runs the start-up
        clients.append(client)
        assert web_app.state.models.wait(60)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_cors_admits_exactly_the_extension(make_client, example_path):
    client = make_client(allowed_origins=[ORIGIN])
    text = example_path.read_text(encoding="utf-8")
    preflight = {"Access-Control-Request-Method": "POST"}
    preflight["Access-Control-Request-Headers"] = "content-type,x-api-key"
    ok = client.options("/api/v1/analyze", headers={"Origin": ORIGIN, **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "x-api-key" in ok.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in ok.headers
    other = "chrome-extension://" + "a" * 32
    for origin in (other, "https://evil.example", "null"):
        refused = client.options("/api/v1/analyze", headers={"Origin": origin, **preflight})
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers

    posted = client.post("/api/v1/analyze", json={"text": text}, headers={"Origin": ORIGIN})
    assert posted.status_code == 201
    assert posted.headers["access-control-allow-origin"] == ORIGIN
    # Another extension or site: no CORS header, and the Origin check refuses the write.
    for origin in (other, "https://evil.example"):
        refused = client.post("/api/v1/analyze", json={"text": text}, headers={"Origin": origin})
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
    # The extension's requests pass the same Host check as any other.
    rebound = client.post(
        "/api/v1/analyze",
        json={"text": text},
        headers={"Origin": ORIGIN, "Host": "rebind.example:8000"},
    )
    assert rebound.status_code == 400


def test_the_extension_needs_the_key_like_everyone(make_client, example_path):
    client = make_client(allowed_origins=[ORIGIN], api_key="s3cret")
    body = {"text": example_path.read_text(encoding="utf-8")}
    missing = client.post("/api/v1/analyze", json=body, headers={"Origin": ORIGIN})
    assert missing.status_code == 401
    assert missing.headers["access-control-allow-origin"] == ORIGIN  # readable: "key wrong"
    good = client.post(
        "/api/v1/analyze", json=body, headers={"Origin": ORIGIN, "X-API-Key": "s3cret"}
    )
    assert good.status_code == 201


def test_no_cors_without_allow_extension(make_client):
    client = make_client()
    answer = client.options(
        "/api/v1/analyze",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in answer.headers


def test_page_url_is_recorded_not_fetched(make_client, example_path):
    client = make_client(allowed_origins=[ORIGIN])
    text = example_path.read_text(encoding="utf-8")
    page = "http://10.255.255.1/world/amnesty?x=1"  # never fetched: nothing listens there
    body = {"text": text, "page_url": page, "source": "news.example"}
    posted = client.post("/api/v1/analyze", json=body, headers={"Origin": ORIGIN})
    assert posted.status_code == 201
    article = client.get(f"/api/v1/articles/{posted.json()['id']}").json()
    assert article["url"] == page and article["source"] == "news.example"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "http://a b", "x" * 2001):
        refused = client.post("/api/v1/analyze", json={"text": text, "page_url": bad})
        assert refused.status_code == 422, bad
