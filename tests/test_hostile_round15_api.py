"""Hostile round 15 (the HTTP API's contract): 405's ``Allow`` named only GET on
/api/v1/articles/{id} (DELETE is there too, HEAD everywhere GET is); OpenAPI wrote ranges as
``ge``/``le``, gave error responses no schema and the key no security scheme, and left out the
urlencoded body the server takes; span offsets did not say what they count; "exactly one of
text and url" read two ways ("Value error, " leaking from pydantic); and the language filter
refused ``EN``, which POST takes.

Every OpenAPI claim checked here is checked against what the server really answers. The apps
run in-process on loopback names; nothing is looked up or sent off the machine.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient

from propscope.web import create_app
from propscope.web.api import check_filters
from propscope.web.service import Submission, analyse_submission

BASE = "http://127.0.0.1:8000"
ONE_INPUT = "give exactly one of 'text', 'url' and, in a form, 'file'"
KEY = "k3y-round-15"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "web.md"


class _FakeModel:
    """Ready at once: the tests that use it stop before any analysis."""

    meta = {"name": "fake", "version": "0"}


@pytest.fixture
def make_client(tmp_path):
    """A factory of clients for apps on fresh SQLite files (a fake model unless given)."""
    clients: list[TestClient] = []

    def make(**options) -> TestClient:
        options.setdefault("model_loader", _FakeModel)
        app = create_app(db_url=str(tmp_path / f"api{len(clients)}.db"), **options)
        client = TestClient(app, base_url=BASE)
        client.__enter__()
        clients.append(client)
        app.state.models.wait(60)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def _document(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


# --- a JSON Schema check of real answers against the document ----------------------------------
# (openapi-spec-validator and jsonschema are no dependencies of propscope: the keywords the
# document uses, checked by hand)

_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


def _conforms(value: Any, schema: dict[str, Any], document: dict[str, Any], at: str = "$") -> None:
    """AssertionError (naming where) unless ``value`` is valid against ``schema``."""
    if "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        _conforms(value, target, document, at)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            passed = 0
            for option in schema[key]:
                try:
                    _conforms(value, option, document, at)
                    passed += 1
                except AssertionError:
                    pass
            assert passed if key == "anyOf" else passed == 1, f"{at}: {key} fails for {value!r}"
    for option in schema.get("allOf", ()):
        _conforms(value, option, document, at)
    if "const" in schema:
        assert value == schema["const"], at
    if "enum" in schema:
        assert value in schema["enum"], f"{at}: {value!r} not in {schema['enum']}"
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, _TYPES[k]) and not (k in ("integer", "number") and value is True)
            for k in kinds
        )
        assert ok or (kinds == ["number"] and isinstance(value, int)), f"{at}: not {kinds}"
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        assert value >= schema.get("minimum", value), f"{at}: {value} < minimum"
        assert value <= schema.get("maximum", value), f"{at}: {value} > maximum"
        assert "exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"], at
        assert "exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"], at
    if isinstance(value, str):
        assert len(value) <= schema.get("maxLength", len(value)), f"{at}: too long"
        assert "pattern" not in schema or re.search(schema["pattern"], value), at
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", ()):
            assert name in value, f"{at}: {name!r} missing"
        for name, item in value.items():
            if name in properties:
                _conforms(item, properties[name], document, f"{at}.{name}")
            elif schema.get("additionalProperties") is False:
                raise AssertionError(f"{at}: {name!r} is not in the schema")
            elif isinstance(schema.get("additionalProperties"), dict):
                _conforms(item, schema["additionalProperties"], document, f"{at}.{name}")
    if isinstance(value, list):
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(value):
            inner = prefix[i] if i < len(prefix) else schema.get("items")
            if isinstance(inner, dict):
                _conforms(item, inner, document, f"{at}[{i}]")


def _answer_conforms(document: dict[str, Any], path: str, method: str, response) -> None:
    """``response`` is one the document lists for that operation, and its body fits."""
    operation = document["paths"][path][method]
    listed = operation["responses"].get(str(response.status_code))
    assert listed is not None, f"{method} {path}: {response.status_code} is not documented"
    if response.status_code == 204:
        return
    schema = listed["content"]["application/json"]["schema"]
    _conforms(response.json(), schema, document)


def test_the_checker_refuses_what_does_not_fit(client) -> None:
    """The hand-made check is a real one: a wrong body fails it."""
    document = _document(client)
    error = {"$ref": "#/components/schemas/Error"}
    _conforms({"detail": "x"}, error, document)
    for wrong in ({}, {"detail": 3}, ["detail"]):
        with pytest.raises(AssertionError):
            _conforms(wrong, error, document)
    with pytest.raises(AssertionError):
        _conforms(
            {"items": [], "total": 0, "limit": 0},
            {"$ref": "#/components/schemas/ArticleList"},
            document,
        )


# --- 1. Allow names every method of the path ---------------------------------------------------


def test_allow_names_every_method_the_path_takes(client) -> None:
    expected = {
        "/api/v1/articles/1": "GET, HEAD, DELETE",
        "/api/v1/articles": "GET, HEAD",
        "/api/v1/analyze": "POST",
        "/api/v1/stats": "GET, HEAD",
        "/healthz": "GET, HEAD",
        "/library": "GET, HEAD",  # a page (HTML error) too
        "/static/web.css": "GET, HEAD",  # a mount keeps its own
    }
    for path, allow in expected.items():
        for method in ("PATCH", "OPTIONS", "PUT"):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == allow, (method, path, response.headers["allow"])
    # and each method named is answered (404: no such article), not refused
    for method in ("GET", "HEAD", "DELETE"):
        assert client.request(method, "/api/v1/articles/1").status_code == 404, method
    assert client.head("/api/v1/analyze").headers["allow"] == "POST"


# --- 2. ranges are minimum/maximum ------------------------------------------------------------


def _keys(value: Any, under: str = "") -> set[str]:
    """Every key of every schema in a document (property names themselves left out)."""
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    own = set() if under == "properties" else set(value)
    return own.union(*(_keys(v, k) for k, v in value.items())) if value else own


def test_openapi_ranges_are_json_schema_keywords(client) -> None:
    document = _document(client)
    assert not {"ge", "le", "gt", "lt"} & _keys(document)
    parameters = {
        p["name"]: p["schema"]
        for path in ("/api/v1/articles", "/api/v1/articles/{article_id}")
        for p in document["paths"][path]["get"]["parameters"]
    }
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 200)
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 2**63 - 1)
    id_range = parameters["article_id"]["minimum"], parameters["article_id"]["maximum"]
    assert id_range == (1, 2**63 - 1)
    # the server holds to the documented ranges, with the messages it gave before
    assert client.get("/api/v1/articles?limit=200&offset=0").status_code == 200
    for query, message in {
        "limit=0": "query.limit: Input should be greater than or equal to 1",
        "limit=201": "query.limit: Input should be less than or equal to 200",
        "offset=-1": "query.offset: Input should be greater than or equal to 0",
        "offset=" + "9" * 40: "query.offset: Input should be less than or equal to "
        "9223372036854775807",
    }.items():
        response = client.get(f"/api/v1/articles?{query}")
        assert (response.status_code, response.json()["detail"]) == (422, message), query
        _answer_conforms(document, "/api/v1/articles", "get", response)
    for path, message in {
        "/api/v1/articles/0": "path.article_id: Input should be greater than or equal to 1",
        f"/api/v1/articles/{2**63}": "path.article_id: Input should be less than or equal to "
        "9223372036854775807",
        "/api/v1/articles/1.0": "path.article_id: Input should be a whole number in decimal "
        "digits (no point, plus sign, underscore or space), got '1.0'",
    }.items():
        response = client.get(path)
        assert (response.status_code, response.json()["detail"]) == (422, message), path
    assert client.get(f"/api/v1/articles/{2**63 - 1}").status_code == 404


# --- 3. errors have a schema, the key has security schemes -------------------------------------


def test_every_error_response_is_the_error_schema(client) -> None:
    document = _document(client)
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"] and error["properties"]["detail"]["type"] == "string"
    documented = 0
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status[0] not in "45":
                    continue
                schema = response["content"]["application/json"]["schema"]
                wanted = "Health" if path == "/healthz" else "Error"
                assert schema == {"$ref": f"#/components/schemas/{wanted}"}, (path, status)
                documented += 1
    assert documented >= 20
    # real answers fit it
    analyze = "/api/v1/analyze"
    for response in (
        client.post(analyze, json={}),  # 422
        client.post(analyze, content=b"{", headers={"content-type": "application/json"}),
        client.post(analyze, content=b"x", headers={"content-type": "text/plain"}),  # 415
        client.post(analyze, json={"text": "x"}, headers={"Origin": "http://evil.example"}),
    ):
        _answer_conforms(document, analyze, "post", response)
    _answer_conforms(
        document, "/api/v1/articles/{article_id}", "get", client.get("/api/v1/articles/7")
    )
    _answer_conforms(
        document, "/api/v1/articles/{article_id}", "delete", client.delete("/api/v1/articles/7")
    )
    _answer_conforms(document, "/api/v1/stats", "get", client.get("/api/v1/stats?by=x"))
    _answer_conforms(document, "/api/v1/stats", "get", client.get("/api/v1/stats"))
    _answer_conforms(document, "/api/v1/articles", "get", client.get("/api/v1/articles"))


def test_the_key_is_documented_as_security_schemes(make_client) -> None:
    keyed = make_client(api_key=KEY)
    document = _document(keyed)
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKeyHeader"] == {
        **schemes["ApiKeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert schemes["BearerKey"]["type"] == "http" and schemes["BearerKey"]["scheme"] == "bearer"
    writes = {("/api/v1/analyze", "post"), ("/api/v1/articles/{article_id}", "delete")}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if (path, method) in writes:
                assert operation["security"] == [{"ApiKeyHeader": []}, {"BearerKey": []}]
                # the header is the scheme's, not a parameter besides it
                names = [p["name"].lower() for p in operation.get("parameters", ())]
                assert "x-api-key" not in names, (path, names)
            else:
                assert "security" not in operation, (path, method)
    # what the document says is what the server does
    item = "/api/v1/articles/{article_id}"
    refused = keyed.delete("/api/v1/articles/5")
    assert refused.status_code == 401
    _answer_conforms(document, item, "delete", refused)
    for headers in ({"X-API-Key": KEY}, {"Authorization": f"Bearer {KEY}"}):
        assert keyed.delete("/api/v1/articles/5", headers=headers).status_code == 404, headers
    assert keyed.get("/api/v1/articles/5").status_code == 404  # reading needs no key
    # without a key the same operations may also go without one
    open_document = _document(make_client())
    delete = open_document["paths"][item]["delete"]
    assert delete["security"] == [{"ApiKeyHeader": []}, {"BearerKey": []}, {}]
    assert "securitySchemes" in open_document["components"]


# --- 4. the urlencoded body ---------------------------------------------------------------------


def test_the_urlencoded_body_is_documented_and_taken(client) -> None:
    document = _document(client)
    post = document["paths"]["/api/v1/analyze"]["post"]
    content = post["requestBody"]["content"]
    form = content["application/x-www-form-urlencoded"]["schema"]
    multipart = content["multipart/form-data"]["schema"]
    assert set(form["properties"]) == set(multipart["properties"]) - {"file"}
    assert form["additionalProperties"] is False
    assert "urlencoded" in post["responses"]["415"]["description"]
    # taken: an unknown field is a 422 naming it, not a 415
    taken = client.post("/api/v1/analyze", data={"text": "a", "foo": "b"})
    assert taken.status_code == 422 and "unknown fields 'foo'" in taken.json()["detail"]
    refused = client.post(
        "/api/v1/analyze", content=b"text=a", headers={"content-type": "text/plain"}
    )
    assert refused.status_code == 415 and "urlencoded" in refused.json()["detail"]


# --- 5. offsets count code points -------------------------------------------------------------


def test_span_offsets_are_documented_and_are_code_points(make_client, model, example_path) -> None:
    client = make_client(model_loader=lambda: model)
    document = _document(client)
    span = document["components"]["schemas"]["TechniqueSpan"]["properties"]
    assert "code points" in span["start"]["description"]
    assert "UTF-16" in span["start"]["description"]
    assert "code points" in span["end"]["description"]
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("## HTTP API") :]
    assert "**Offsets count code points.**" in section and "UTF-16" in section
    # what they say holds: a flag and a face (3 code points, 6 UTF-16 units) before every span
    text = "\U0001f1e6\U0001f1f2\U0001f600 " + example_path.read_text(encoding="utf-8")
    response = client.post("/api/v1/analyze", json={"text": text, "language": "en"})
    assert response.status_code == 201, response.text
    _answer_conforms(document, "/api/v1/analyze", "post", response)
    spans = response.json()["spans"]
    assert spans and all(s["start"] > 3 for s in spans)
    assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    # the docs' JavaScript conversion (code point -> UTF-16 index), done here in Python
    units = text.encode("utf-16-le")
    utf16 = [0]
    for ch in text:
        utf16.append(utf16[-1] + len(ch.encode("utf-16-le")) // 2)
    for s in spans:
        naive = units[2 * s["start"] : 2 * s["end"]].decode("utf-16-le", "replace")
        assert naive != s["text"]  # JavaScript's text.slice(start, end) would be off
        converted = units[2 * utf16[s["start"]] : 2 * utf16[s["end"]]].decode("utf-16-le")
        assert converted == s["text"]
    stored = client.get(response.headers["location"])
    _answer_conforms(document, "/api/v1/articles/{article_id}", "get", stored)
    _answer_conforms(document, "/api/v1/articles", "get", client.get("/api/v1/articles"))


# --- 6. one message for "exactly one input" ------------------------------------------------------


def test_one_wording_for_exactly_one_input(client) -> None:
    expected = f"body: {ONE_INPUT}"
    two = {"text": "a", "url": "http://127.0.0.1:9/"}
    for body in (
        {"json": {}},
        {"json": two},
        {"json": {"title": "only a title"}},
        {"data": two},
        {"data": {"title": "only a title"}},
        {"files": {"file": ("a.txt", b"words")}, "data": {"text": "a"}},
    ):
        response = client.post("/api/v1/analyze", **body)
        assert response.status_code == 422, body
        assert response.json()["detail"] == expected, (body, response.json())
    # the page_url rule: one wording too, and no "Value error, " from pydantic
    page_url = {"url": "http://127.0.0.1:9/a", "page_url": "https://news.example/a"}
    details = {
        client.post("/api/v1/analyze", **{kind: page_url}).json()["detail"]
        for kind in ("json", "data")
    }
    assert len(details) == 1 and details.pop().startswith("body: 'page_url' goes only with")
    page = client.post("/analyze", data=two)
    assert page.status_code == 422 and "give exactly one of &#39;text&#39;" in page.text
    # the service's own check (for callers other than these two) says it the same way
    settings = client.app.state.settings
    store = client.app.state.store
    with pytest.raises(RequestValidationError) as raised:
        asyncio.run(
            analyse_submission(Submission(), settings=settings, store=store, model=None, pool=None)
        )
    assert raised.value.errors()[0]["msg"] == ONE_INPUT


# --- 7. the language filter reads codes as POST does ---------------------------------------------


def test_the_language_filter_reads_any_case_and_region(client) -> None:
    for value in ("en", "EN", "en-GB", "En_us", " en "):
        response = client.get("/api/v1/articles", params={"language": value})
        assert response.status_code == 200, (value, response.text)
    assert client.get("/api/v1/articles?language=").status_code == 200  # blank: every language
    refused = client.get("/api/v1/articles?language=xx")
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail.startswith("query.language: Input should be one of en, fr, de, it, pl, ru")
    assert "any case; en-GB is en" in detail and "got 'xx'" in detail
    assert "stored" not in detail
    # the shared check (the Library's filters) says what the filter takes, not what is stored
    with pytest.raises(RequestValidationError) as raised:
        check_filters(None, None, None, None, language="EN")
    message = raised.value.errors()[0]["msg"]
    assert message == "the language filter takes one of en, fr, de, it, pl, ru; got 'EN'"


def test_the_language_filter_finds_what_was_stored(make_client, model, example_path) -> None:
    client = make_client(model_loader=lambda: model)
    text = example_path.read_text(encoding="utf-8")
    assert client.post("/api/v1/analyze", json={"text": text, "language": "en"}).status_code == 201
    for value, total in (("EN", 1), ("en-GB", 1), ("en", 1), ("FR", 0)):
        response = client.get("/api/v1/articles", params={"language": value})
        assert response.json()["total"] == total, value


def test_the_library_page_reads_the_language_filter_as_the_api_does(client) -> None:
    for value in ("EN", "en-GB", ""):
        response = client.get("/library", params={"language": value})
        assert response.status_code == 200, (value, response.text[:200])
    assert client.get("/library?language=xx").status_code == 422
