"""Round 7, languages: a refused guess that is unsure says how to give the language, in the
CLI, in batch and on the web, and the web can be told the language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hostile import error_lines, run

from propscope.batch import InProcessEngine, run_batch
from propscope.store import Store
from propscope.web import create_app

# Detected as Dutch at under 10%: a headline is too short for a sure guess.
HEADLINE = "Biden meets Xi in Bali."
# Sure of itself: Serbian, which propscope does not analyse.
SERBIAN = "Влада Србије је у уторак после дуге расправе усвојила нови закон о буџету за мостове."
CODES = "en, fr, de, it, pl, ru"


# --- CLI ---------------------------------------------------------------------------------------


def test_the_cli_hint_rests_on_the_guess_analyze_refused(tmp_path: Path, model) -> None:
    """An English headline with share/subscribe lines was refused as Dutch at 7% with no
    hint: the CLI detected the whole text again (share lines and all: English, 84%)."""
    article = tmp_path / "head.txt"
    article.write_text(
        f"{HEADLINE}\n\nShare on Facebook\nShare on Twitter\nSubscribe to our newsletter\n"
        "© 2024 Reuters. All rights reserved.\n",
        encoding="utf-8",
    )
    result = run("analyze", str(article), "-f", "json")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert f"'{article}' is in " in line and "the guess is unsure (" in line
    assert line.endswith("give --language if the text is in one of them")
    out = tmp_path / "out.json"
    result = run("analyze", str(article), "--language", "en-GB", "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["language"]["code"] == "en"


def test_a_blank_language_option_is_still_refused(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(HEADLINE + "\n", encoding="utf-8")
    result = run("analyze", str(article), "--language", " ")
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert line == f"propscope: error: unsupported --language  ; choose one of {CODES}"


# --- batch -------------------------------------------------------------------------------------


def test_a_batch_refusal_of_an_unsure_guess_says_to_give_the_language_field(
    tmp_path: Path, model
) -> None:
    """A headline record failed with "text is in Dutch (nl); ..." and no advice."""
    records = [
        {"id": "head", "text": HEADLINE},
        {"id": "head-en", "text": HEADLINE + " ", "language": "en"},
        {"id": "serbian", "text": SERBIAN},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    summary = run_batch(corpus, store, InProcessEngine())
    assert (summary.analysed, summary.failed) == (1, 2)
    assert [a.language for a in store.iter_articles()] == ["en"]
    reasons = {where.rsplit(" ", 1)[-1]: reason for where, reason in summary.failures}
    head = reasons["'head'"]
    assert "propscope analyses" in head and "the guess is unsure (" in head
    assert head.endswith(
        "give the record a language field (en, fr, de, it, pl or ru) if the text is in one of them"
    )
    assert "Serbian (sr)" in reasons["'serbian'"] and "unsure" not in reasons["'serbian'"]


def test_a_record_with_a_bad_language_field_does_not_hide_a_later_copy_of_its_text(
    tmp_path: Path, model
) -> None:
    """A record failed for its language field "xx" after its text counted as seen, so a later
    record of the same text was skipped as "repeated": never analysed, never reported."""
    text = "The corrupt elite lied again, the senator said. Nobody believes them any more."
    records = [
        {"id": "bad", "text": text, "language": "xx"},
        {"id": "good", "text": text, "language": "en"},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    summary = run_batch(corpus, store, InProcessEngine())
    assert (summary.analysed, summary.failed, summary.skipped) == (1, 1, 0)
    assert [a.language for a in store.iter_articles()] == ["en"]
    assert "language field is 'xx'" in summary.failures[0][1]


# --- web ---------------------------------------------------------------------------------------


@pytest.fixture
def client(tmp_path, model):
    app = create_app(db_url=str(tmp_path / "web.db"), model_loader=lambda: model)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        app.state.models.wait(60)
        yield client


def test_the_api_takes_the_language_and_hints_at_it(client) -> None:
    """``{"text": "Biden meets Xi in Bali."}`` was a 400 "text is in Dutch" and adding
    ``"language": "en"`` a 422 unknown field: the web could not be told the language."""
    refused = client.post("/api/v1/analyze", json={"text": HEADLINE})
    assert refused.status_code == 400, refused.text
    detail = refused.json()["detail"]
    assert "the guess is unsure (" in detail
    assert detail.endswith(
        'give "language" (en, fr, de, it, pl or ru) if the text is in one of them'
    )
    given = client.post("/api/v1/analyze", json={"text": HEADLINE, "language": "EN-gb"})
    assert given.status_code == 201, given.text
    assert given.json()["language"]["code"] == "en"
    stored = client.get(f"/api/v1/articles/{given.json()['id']}").json()
    assert stored["language"] == "en" and stored["analysis"]["language"]["code"] == "en"
    blank = client.post("/api/v1/analyze", json={"text": SERBIAN, "language": ""})
    assert blank.status_code == 400 and "Serbian (sr)" in blank.json()["detail"]
    assert "unsure" not in blank.json()["detail"]  # a sure guess is not to be overridden


@pytest.mark.parametrize("value", ["uk", "xx", "e", 7, ["en"]])
def test_a_language_the_api_does_not_analyse_is_a_422_naming_the_field(client, value) -> None:
    reply = client.post("/api/v1/analyze", json={"text": HEADLINE, "language": value})
    assert reply.status_code == 422, reply.text
    detail = reply.json()["detail"]
    assert detail.startswith("language: ")
    if isinstance(value, str):
        assert CODES in detail and repr(value) in detail


def test_forms_take_the_language_too(client) -> None:
    """The multipart upload and the Analyse page's form, with the JSON body's rules."""
    upload = client.post(
        "/api/v1/analyze",
        files={"file": ("a.txt", b"Merkel trifft Macron.")},
        data={"language": "de"},
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["language"]["code"] == "de"
    bad = client.post("/api/v1/analyze", data={"text": HEADLINE, "language": "uk"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("language: ")
    page = client.get("/")
    assert '<select id="language" name="language"' in page.text
    assert '<option value="">Detect it</option>' in page.text
    for code in CODES.split(", "):
        assert f'<option value="{code}">' in page.text
    refused = client.post("/analyze", data={"text": HEADLINE + "!", "language": ""})
    assert refused.status_code == 400 and "the guess is unsure" in refused.text
    chosen = client.post(
        "/analyze", data={"text": HEADLINE + "!", "language": "en"}, follow_redirects=False
    )
    assert chosen.status_code == 303, chosen.text
    article = client.get(chosen.headers["location"].replace("/articles/", "/api/v1/articles/"))
    assert article.json()["language"] == "en"
    kept = client.post("/analyze", data={"text": HEADLINE + "?", "language": "xx"})
    assert kept.status_code == 422 and "language: Input should be one of" in kept.text


def test_the_openapi_schema_documents_the_language_field(client) -> None:
    body = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/analyze"]["post"]
    content = body["requestBody"]["content"]
    for kind in ("application/json", "multipart/form-data"):
        assert "en-GB is en" in content[kind]["schema"]["properties"]["language"]["description"]
