"""Hostile round 13 (/tmp/hostile13d, /tmp/hostile13c): each test is one bug.

A model replaced by training keeps the user's own files; results hash as frozen values do;
the article header names each fact once, under a label; a bad ``page_url`` is refused in
words. Nothing trains (the fitting and the check are stubbed) and nothing leaves the
machine: the web app runs in process with a stand-in analysis.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient

from propscope import corpora, retrain
from propscope import train as train_module
from propscope.corpora import LabelledArticle
from propscope.integrations.labelstudio import ARTICLES_DIR, SPANS_DIR
from propscope.models.tagger import SHIPPED_MODEL
from propscope.report.html import render_article, render_html
from propscope.schema import Analysis, ArticleInfo
from propscope.web import create_app
from propscope.web import service as web_service
from propscope.web.schemas import AnalyzeRequest, AnalyzeResponse

BASE = "http://127.0.0.1:8000"
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
ENGLISH = (
    "The corrupt elite lies to you every single day. They want you to forget who pays for "
    "their parties, and they laugh at the workers who built this country with their hands.\n"
)


# --- bug 1: retraining into a model folder deleted the user's own files there ---------------


def _model_folder(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "propscope.json").write_text(json.dumps({"name": name}) + "\n")
    (folder / "weights.safetensors").write_text(name)
    return folder


def test_installing_a_model_keeps_the_users_files_and_drops_the_old_model_files(tmp_path):
    """install_model_dir moved the replaced model's sub-folders over but deleted every file:
    the user's NOTES.md went with the old weights."""
    out = _model_folder(tmp_path / "m2", "old")
    (out / "found_head.npz").write_text("old head")  # a model file the new one lacks
    (out / "NOTES.md").write_text("my notes\n")
    (out / "results.json").write_text("{}\n")
    (out / "evals").mkdir()
    (out / "evals" / "old.tsv").write_text("x\n")
    work = train_module.model_staging(out)
    try:
        built = _model_folder(work / "model", "new")
        (built / "results.json").write_text('{"new": 1}\n')  # the new model's file wins
        train_module.install_model_dir(built, out)
    finally:
        train_module.discard_staging(work, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "NOTES.md",
        "evals",
        "propscope.json",
        "results.json",
        "weights.safetensors",
    ]
    assert (out / "NOTES.md").read_text() == "my notes\n"
    assert (out / "evals" / "old.tsv").read_text() == "x\n"
    assert json.loads((out / "propscope.json").read_text()) == {"name": "new"}
    assert (out / "results.json").read_text() == '{"new": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m2"]  # no staging left


@pytest.mark.parametrize("how", ["write_model_dir", "install_model_dir"])
def test_replacing_a_model_keeps_the_users_files_named_like_weights(tmp_path, how):
    """reviewer: ``weights-notes.md`` was taken for the model's weights and deleted with it,
    by ``train`` (write_model_dir) and by a fine-tune in place (install_model_dir); only the
    weights propscope writes go (here ``weights.safetensors``, replaced)."""
    out = _model_folder(tmp_path / "m3", "old")
    (out / "weights-notes.md").write_text("lr 3e-5 was best\n")

    def write(built: Path) -> None:
        (built / "propscope.json").write_text(json.dumps({"name": "new"}) + "\n")
        (built / "weights.safetensors").write_text("new")

    if how == "write_model_dir":
        train_module.write_model_dir(out, write)
    else:
        work = train_module.model_staging(out)
        try:
            (work / "model").mkdir()
            write(work / "model")
            train_module.install_model_dir(work / "model", out)
        finally:
            train_module.discard_staging(work, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "propscope.json",
        "weights-notes.md",
        "weights.safetensors",
    ]
    assert (out / "weights-notes.md").read_text() == "lr 3e-5 was best\n"
    assert (out / "weights.safetensors").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m3"]  # no staging left


@pytest.mark.parametrize(
    ("name", "model_file"),
    [
        ("propscope.json", True),
        ("weights.safetensors", True),
        ("weights-epoch2.safetensors", True),
        ("span_words.npz", True),
        ("tokenizer_config.json", True),
        ("cv-summary.json", True),
        ("weights-00.safetensors", True),  # a shard a fine-tune writes, then merges
        ("NOTES.md", False),
        ("results.json", False),
        ("old.tsv", False),
        ("weights-notes.md", False),  # reviewer: any "weights*" was classed as a model file
        ("weights", False),
    ],
)
def test_model_files_are_told_from_the_users(name, model_file):
    assert train_module.is_model_file(name) is model_file


def _stub_finetune(monkeypatch) -> None:
    """No fit, no probe refit, a tiny shared corpus, a check that always passes."""
    tune = [LabelledArticle("900", "They lie.\n", (("Doubt", 5, 8),))]
    monkeypatch.setattr(
        corpora, "load_semeval2023", lambda *a, split, **k: [] if split == "train" else tune
    )
    monkeypatch.setattr(train_module, "fit", lambda *a, **k: None)
    monkeypatch.setattr(retrain, "held_out_check", lambda tagger, articles: retrain.Check(0.5, 0.5))
    monkeypatch.setattr(retrain, "_paragraph_probe", lambda *a, **k: {"refitted": False})


def test_improving_a_finetuned_model_in_place_keeps_the_users_notes(tmp_path, monkeypatch):
    """The documented `train --extra-data corrected --model m2 --output m2` deleted
    m2/NOTES.md (its sub-folders survived)."""
    corrected = tmp_path / "corrected"
    (corrected / ARTICLES_DIR).mkdir(parents=True)
    (corrected / SPANS_DIR).mkdir()
    (corrected / ARTICLES_DIR / "article1.txt").write_text(ENGLISH, encoding="utf-8")
    (corrected / SPANS_DIR / "article1-labels-subtask-3.txt").write_text("", encoding="utf-8")
    m2 = tmp_path / "m2"
    shutil.copytree(SHIPPED_MODEL, m2, ignore=shutil.ignore_patterns("multilingual", "articles"))
    (m2 / "NOTES.md").write_text("my notes\n")
    (m2 / "evals").mkdir()
    (m2 / "evals" / "old.tsv").write_text("x\n")
    _stub_finetune(monkeypatch)
    result = retrain.finetune_model(
        corrected, m2, base=m2, limit=3, tune_limit=3, force=True, log=lambda line: None
    )
    assert result["written"]
    assert "+ft." in json.loads((m2 / "propscope.json").read_text())["version"]
    assert (m2 / "NOTES.md").read_text() == "my notes\n"
    assert (m2 / "evals" / "old.tsv").read_text() == "x\n"


# --- bug 2: a frozen result could not be hashed --------------------------------------------


def _made(**metadata: str) -> Analysis:
    text = "Teachers Strike Over Pay\n\nThe corrupt elite lies to you every single day."
    start, end = at(text, "corrupt elite")
    made = analysis(text, [span(text, start, end)], article_id="strike", source="www.example.com")
    article = made.article.model_copy(update={"metadata": metadata})
    return made.model_copy(update={"article": article})


def test_a_result_hashes_and_equal_results_hash_equal():
    """hash(analysis) raised "unhashable type: 'dict'" though Analysis is frozen."""
    made = _made(url="https://www.example.com/a", author="Ann")
    again = Analysis.model_validate_json(made.model_dump_json())
    # the same metadata in another order: equal, so the hash must be equal too
    reordered = made.model_copy(
        update={
            "article": made.article.model_copy(
                update={"metadata": {"author": "Ann", "url": "https://www.example.com/a"}}
            )
        }
    )
    assert again == made == reordered
    assert hash(again) == hash(made) == hash(reordered)
    assert len({made, again, reordered}) == 1
    assert {made: 1}[again] == 1
    other = _made(url="https://www.example.com/b")
    assert other != made and len({made, other}) == 2
    assert hash(made.summary) == hash(again.summary)  # nested values too
    response = AnalyzeResponse(**made.model_dump(), id=7, warnings=["w"])
    assert hash(response) == hash(AnalyzeResponse(**made.model_dump(), id=7, warnings=["w"]))


def test_a_result_stays_frozen():
    made = _made()
    with pytest.raises(ValueError, match="frozen"):
        made.text = "changed"  # type: ignore[misc]


# --- bug 3: the article header repeated title and source under raw field names --------------


def _meta_line(html: str) -> str:
    """The header's facts as shown: tags dropped, one space between words."""
    line = re.search(r'<p class="meta">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", line).split())


def test_the_header_names_each_fact_once_under_a_label():
    """For what the extension sends, the header read "Source https://…/strike?id=1 …
    source www.example.com title Teachers Strike Over Pay url https://…"."""
    url = "https://www.example.com/news/strike?id=1&x=2"
    made = _made(source="www.example.com", title="Teachers Strike Over Pay", url=url)
    made = made.model_copy(update={"article": made.article.model_copy(update={"source": url})})
    html = render_html([made])
    line = _meta_line(html)
    assert line == (
        "ID strike Source www.example.com Page https://www.example.com/news/strike?id=1&amp;x=2 "
        f"{len(made.text)} characters 1 sentence"
    )
    assert render_article(made) in html  # the web page embeds the same header


def test_a_plain_source_is_shown_once():
    """A plain API post {"text", "source"} showed "Source en1.txt … source en1.txt"."""
    made = _made(source="www.example.com")
    assert _meta_line(render_html([made])).count("www.example.com") == 1
    assert "Source www.example.com" in _meta_line(render_html([made]))


def test_other_metadata_gets_labels_and_addresses_stay_text():
    made = _made(
        url="javascript:alert(1)",
        published_at="2024-03-05",
        author="Ann Lee",
        language="en",
        title="Another title",
    )
    made = made.model_copy(
        update={"article": made.article.model_copy(update={"source": "feeds/bbc.jsonl:3"})}
    )
    html = render_html([made])
    line = _meta_line(html)
    assert line == (
        "ID strike Source feeds/bbc.jsonl:3 Page javascript:alert(1) Author Ann Lee "
        "Title Another title Language en Published at 2024-03-05 "
        f"{len(made.text)} characters 1 sentence"
    )
    assert "<a " not in re.search(r'<p class="meta">(.*?)</p>', html, re.S).group(1)


def test_the_article_page_shows_what_the_extension_sent_once(tmp_path, monkeypatch):
    """End to end: POST what the extension sends, then open /articles/{id}."""

    def fake_analyze(article, model, **kwargs):
        start, end = at(article.text, "betrayed")
        made = analysis(article.text, [span(article.text, start, end)], article_id=article.id)
        info = ArticleInfo(
            **{
                **made.article.model_dump(),
                "source": article.source,
                "title": article.title,
                "metadata": dict(article.metadata),
            }
        )
        return made.model_copy(update={"article": info})

    monkeypatch.setattr(web_service, "analyze", fake_analyze)
    app = create_app(
        db_url=str(tmp_path / "web.db"), model_loader=lambda: object(), allowed_origins=[EXTENSION]
    )
    body = {
        "text": "Teachers Strike Over Pay\n\nTeachers across the region walked out on Monday. "
        '"The government has betrayed every child in this country," said union leader Mark '
        "Hughes.\n",
        "title": "Teachers Strike Over Pay",
        "source": "www.example.com",
        "page_url": "https://www.example.com/news/strike?id=1",
    }
    with TestClient(app, base_url=BASE) as client:
        app.state.models.wait(10)
        posted = client.post("/api/v1/analyze", json=body)
        assert posted.status_code == 201, posted.text
        page = client.get(f"/articles/{posted.json()['id']}").text
    line = _meta_line(page[page.index('<article class="report"') :])
    assert "Source www.example.com Page https://www.example.com/news/strike?id=1 " in line
    assert "title" not in line.lower() and "url" not in line
    assert line.count("www.example.com") == 2  # the outlet, and the page's address


# --- bug 4: a bad page_url got pydantic's regex as its message --------------------------------


@pytest.fixture
def client(tmp_path):
    app = create_app(
        db_url=str(tmp_path / "web.db"), model_loader=lambda: object(), allowed_origins=[EXTENSION]
    )
    with TestClient(app, base_url=BASE) as test_client:
        app.state.models.wait(10)
        yield test_client


@pytest.mark.parametrize(
    ("page_url", "shown"),
    [("javascript:alert(1)", "'javascript:alert(1)'"), ("https://a b", "'https://a b'")],
)
def test_a_bad_page_url_is_refused_in_words(client, page_url, shown):
    """422 "page_url: String should match pattern '^https?://\\S+$'" (hostile.json)."""
    expected = (
        f"page_url: Input should be an http:// or https:// address with no spaces, got {shown}"
    )
    for body in (
        {"json": {"text": "x", "page_url": page_url}},
        {"data": {"text": "x", "page_url": page_url}},
    ):
        response = client.post("/api/v1/analyze", **body)
        assert response.status_code == 422, body
        assert response.json()["detail"] == expected
    # the schema still gives the pattern (the extension checks with it too)
    field = AnalyzeRequest.model_json_schema()["properties"]["page_url"]
    assert {"maxLength": 2000, "pattern": r"^https?://\S+$", "type": "string"} in field["anyOf"]


def test_other_page_url_errors_keep_their_messages():
    from pydantic import ValidationError

    for value, message in (
        ("http://[::1", "Input should be a valid URL"),
        ("https://x/" + "a" * 2000, "String should have at most 2000 characters"),
        (5, "Input should be a valid string"),
    ):
        with pytest.raises(ValidationError) as caught:
            AnalyzeRequest.model_validate({"text": "x", "page_url": value})
        assert caught.value.errors()[0]["msg"].startswith(message)
    assert AnalyzeRequest(text="x", page_url="https://ok.example/a").page_url
