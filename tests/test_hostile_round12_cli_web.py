"""Hostile round 12 (CLI and web): the web's title and source in the analysis, annotate
export past an unreadable file, the JSON shape of several inputs, an empty stderr after a
piped multi-article run, evaluate's messages naming file and line (and the label set a
prediction was written with), its warning's prefix, and stats' rates with two decimals."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from propscope.cli import app
from propscope.errors import FormatError, UnsupportedLanguageError
from propscope.evaluate import evaluate_files

BASE = "http://127.0.0.1:8000"
TEXT = "The reckless plan is a total disaster for every family, the furious mayor said on Monday."
HEADLINED = f"Mayor attacks the plan\n\n{TEXT}\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


# --- A: the web's title and source ---------------------------------------------------------


@pytest.fixture
def client(tmp_path, model):
    from propscope.web import create_app

    web = create_app(db_url=str(tmp_path / "web.db"), model_loader=lambda: model)
    with TestClient(web, base_url=BASE) as test_client:
        web.state.models.wait(60)
        yield test_client


def test_the_web_analysis_has_the_title_and_source_given(client, tmp_path) -> None:
    """The reply, analysis.json and report.html said title and source null (the page
    "text-cad9ddbe22db") while the store had them; export and report read the analysis."""
    reply = client.post(
        "/api/v1/analyze", json={"text": TEXT, "title": " My title ", "source": "Local Paper"}
    )
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert (body["article"]["title"], body["article"]["source"]) == ("My title", "Local Paper")
    stored = client.get(f"/api/v1/articles/{body['id']}").json()
    assert (stored["title"], stored["source"]) == ("My title", "Local Paper")
    assert stored["analysis"]["article"]["title"] == "My title"
    saved = client.get(f"/articles/{body['id']}/analysis.json").json()
    assert (saved["article"]["title"], saved["article"]["source"]) == ("My title", "Local Paper")
    assert "<title>My title" in client.get(f"/articles/{body['id']}/report.html").text
    result = run("export", "--db", str(tmp_path / "web.db"), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {(r["article.title"], r["article.source"]) for r in rows} == {
        ("My title", "Local Paper")
    }


def test_the_web_form_and_a_text_without_labels(client) -> None:
    """The form takes the same path; a text sent without a title keeps its own title line,
    and a page_url is where it came from (as a record's url is in batch)."""
    posted = client.post(
        "/analyze",
        data={"text": TEXT, "title": "Form title", "source": "Form Paper"},
        headers={"Origin": BASE},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    article_id = posted.headers["location"].rsplit("/", 1)[1]
    saved = client.get(f"/articles/{article_id}/analysis.json").json()
    assert (saved["article"]["title"], saved["article"]["source"]) == ("Form title", "Form Paper")
    plain = client.post("/api/v1/analyze", json={"text": HEADLINED}).json()
    assert (plain["article"]["title"], plain["article"]["source"]) == (
        "Mayor attacks the plan",
        None,
    )
    page = "https://news.example/a"
    other = TEXT.replace("Monday", "Tuesday")
    sent = {"text": other, "source": "Local Paper", "page_url": page}
    placed = client.post("/api/v1/analyze", json=sent).json()
    assert placed["article"]["source"] == page
    assert client.get(f"/api/v1/articles/{placed['id']}").json()["source"] == "Local Paper"
    # an upload keeps its file name as source (as batch names a folder's file by its path)
    upload = client.post(
        "/api/v1/analyze",
        files={"file": ("note.txt", HEADLINED.replace("Monday", "Friday").encode())},
        data={"title": "Upload title", "source": "Upload Paper"},
    ).json()
    assert (upload["article"]["title"], upload["article"]["source"]) == ("Upload title", "note.txt")
    assert client.get(f"/api/v1/articles/{upload['id']}").json()["source"] == "Upload Paper"
    # G on the dashboard: the rate with two decimals in each row ("0.0" beside "7.35")
    calm = "It rained in the morning and cleared up in the afternoon, the forecast said."
    quiet = client.post("/api/v1/analyze", json={"text": calm, "source": "Calm Paper"}).json()
    assert quiet["spans"] == []
    dashboard = client.get("/dashboard").text
    assert re.search(
        r'Calm Paper</a></td>(<td class="num">\d+</td>){3}<td class="num">0\.00<', dashboard
    )
    assert not re.search(r'<td class="num">\d+\.\d</td>', dashboard)


def test_the_web_builds_the_article_as_batch_reads_a_record(tmp_path) -> None:
    """The same text, title and source make the same Article through the web as through a
    JSONL record (no model needed: the Article is what analyze() is given)."""
    from propscope.io.readers import iter_jsonl
    from propscope.web.app import Settings
    from propscope.web.service import Submission, read_submission, with_given_labels

    record = {"id": "r1", "text": TEXT, "title": "My title", "source": "Local Paper"}
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (batch,) = iter_jsonl(path)
    submission = Submission(text=TEXT, title="My title", source="Local Paper")
    web = with_given_labels(read_submission(submission, Settings()), submission)
    assert (web.title, web.source) == (batch.title, batch.source) == ("My title", "Local Paper")
    assert web.metadata == batch.metadata
    assert (web.paragraphs, web.sentences) == (batch.paragraphs, batch.sentences)


# --- B, C, D: annotate export and analyze of several inputs --------------------------------


@pytest.fixture
def no_model(monkeypatch):
    """analyze() without the model: a hand-made analysis, and a refusal for Spanish."""
    from propscope import analysis as analysis_module
    from propscope.models import tagger

    def fake_analyze(article, *args, **kwargs):
        if article.id.startswith("es"):
            raise UnsupportedLanguageError("text is in Spanish (es); propscope analyses ...")
        words = "total disaster" if "total disaster" in article.text else article.text.split()[0]
        start, end = at(article.text, words)
        return analysis(
            article.text, [span(article.text, start, end)], article_id=article.id
        ).model_copy()

    monkeypatch.setattr(analysis_module, "analyze", fake_analyze)
    monkeypatch.setattr(tagger, "load_model", lambda *a, **k: None)


def test_annotate_export_leaves_out_an_unreadable_file_and_exports_the_rest(
    tmp_path, no_model
) -> None:
    """One empty .txt in the folder wrote no review folder at all (exit 2), while a Spanish
    one was named and left out."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(HEADLINED, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "es1.txt").write_text("El plan es un desastre total.\n", encoding="utf-8")
    (folder / "nomain.html").write_text("<html><body><nav>Home</nav></body></html>")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "review"
    result = run("annotate", "export", str(folder), str(missing), "-o", str(out))
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert f"'{folder / 'empty.txt'}' is empty" in said
    assert str(folder / "nomain.html") in said and str(missing) in said
    assert "is in Spanish (es)" in said and "left out 4 article(s) named above" in said
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["article_id"] for t in tasks] == ["a"]
    assert (out / "label-config.xml").is_file()
    # nothing readable: named, nothing written, and the model is never loaded
    nothing = tmp_path / "nothing"
    result = run("annotate", "export", str(folder / "empty.txt"), "-o", str(nothing))
    assert result.exit_code == 2 and "no article could be analysed" in result.stderr
    assert not nothing.exists()


def test_several_inputs_give_a_json_array_whichever_fail(tmp_path, no_model) -> None:
    """`analyze fr.txt missing.txt -f json` printed one object: a consumer of an array got
    an object because an input failed."""
    first = tmp_path / "first.txt"
    first.write_text(HEADLINED, encoding="utf-8")
    result = run("analyze", str(first), str(tmp_path / "missing.txt"), "-f", "json")
    assert result.exit_code == 2 and "missing.txt" in result.stderr
    shown = json.loads(result.stdout)
    assert isinstance(shown, list) and [a["article"]["id"] for a in shown] == ["first"]
    single = run("analyze", str(first), "-f", "json")
    assert single.exit_code == 0 and isinstance(json.loads(single.stdout), dict)
    folder = tmp_path / "one"  # a folder counts as several, even of one article
    folder.mkdir()
    (folder / "only.txt").write_text(HEADLINED, encoding="utf-8")
    shown = json.loads(run("analyze", str(folder), "-f", "json").stdout)
    assert isinstance(shown, list) and len(shown) == 1


def test_a_piped_multi_article_run_leaves_stderr_empty(tmp_path, no_model) -> None:
    """The progress bar drew nothing off a terminal but still wrote one newline."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(HEADLINED, encoding="utf-8")
    out = tmp_path / "x.labels"
    result = run("analyze", str(tmp_path), "--format", "si", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and out.read_text(encoding="utf-8").count("\n") == 3


# --- E, F: evaluate --------------------------------------------------------------------------


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("gold_row", "pred_row", "advice"),
    [
        ("Name_Calling-Labeling", "Name_Calling,Labeling", "--taxonomy semeval2023"),
        ("Name_Calling,Labeling", "Name_Calling-Labeling", "--taxonomy ptc14"),
    ],
)
def test_evaluate_names_the_line_and_the_label_set_of_a_prediction(
    tmp_path, gold_row, pred_row, advice
) -> None:
    """ "prediction row of article 1 [1, 5) has unknown technique 'Name_Calling,Labeling'"
    named no file, nor that the prediction used the other (PTC-14) label set."""
    gold = write(tmp_path / "gold.labels", f"1\t{gold_row}\t1\t5\n")
    pred = write(tmp_path / "pred.labels", f"1\tDoubt\t6\t9\n1\t{pred_row}\t1\t5\n")
    with pytest.raises(FormatError) as caught:
        evaluate_files("flc", gold, pred)
    message = str(caught.value)
    assert message.startswith(f"{pred} line 2: prediction row of article 1 [1, 5) has unknown")
    assert f"`propscope analyze --format flc {advice}`" in message
    with pytest.raises(FormatError, match=f"propscope label-spans {advice}"):
        evaluate_files("tc", gold, write(tmp_path / "tc.labels", f"1\t{pred_row}\t1\t5\n"))
    odd = write(tmp_path / "odd.labels", "1\tName-Calling\t1\t5\n")  # in neither set
    with pytest.raises(FormatError, match=r"odd\.labels line 1: .*use one of the \d+ official"):
        evaluate_files("flc", gold, odd)


def test_evaluate_names_both_lines_of_a_unit_given_twice(tmp_path) -> None:
    """ "the prediction has two rows for article 1 paragraph 1" named no file or line."""
    gold = write(tmp_path / "gold.txt", "1\t1\tDoubt\n1\t2\t\n")
    pred = write(tmp_path / "pred.txt", "1\t1\tDoubt\n1\t2\t\n1\t1\tRepetition\n")
    with pytest.raises(FormatError, match=r"pred\.txt line 3: the prediction has two rows for "):
        evaluate_files("st3", gold, pred)
    with pytest.raises(FormatError, match=r"article 1 paragraph 1 \(the other is line 1\)"):
        evaluate_files("st3", gold, pred)
    folder = tmp_path / "labels"  # a folder: the other row's file is named
    folder.mkdir()
    write(folder / "article1-labels-subtask-3.txt", "1\t1\tDoubt\n")
    write(folder / "article2-labels-subtask-3.txt", "2\t1\t\n1\t1\tDoubt\n")
    with pytest.raises(FormatError, match=r"article2-labels-subtask-3\.txt line 2: the gold "):
        evaluate_files("st3", folder, pred)
    with pytest.raises(FormatError, match=r"is .*article1-labels-subtask-3\.txt line 1\)"):
        evaluate_files("st3", folder, pred)
    gold1 = write(tmp_path / "g1.txt", "1\topinion\n2\treporting\n")
    pred1 = write(tmp_path / "p1.txt", "2\treporting\n1\topinion\n2\tsatire\n")
    with pytest.raises(FormatError, match=r"p1\.txt line 3: .* article 2 \(the other is line 1"):
        evaluate_files("st1", gold1, pred1)
    assert evaluate_files("st1", gold1, gold1).f1 == 1.0


def test_evaluate_warning_has_the_prefix_of_every_diagnostic(tmp_path) -> None:
    gold = write(tmp_path / "gold.txt", "1\t0\t5\n")
    pred = write(tmp_path / "pred.txt", "1\t0\t5\n9\t0\t5\n")
    result = run("evaluate", "--task", "si", "--gold", str(gold), "--pred", str(pred))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("propscope: warning: the gold has no span in predicted ")


# --- G: stats ----------------------------------------------------------------------------------


def test_stats_rates_have_two_decimals_in_every_row(tmp_path) -> None:
    """`stats --by topic` showed 0.0 beside 7.35."""
    from propscope.article import Article
    from propscope.store import Store

    db = tmp_path / "c.db"
    with Store(str(db)) as store:
        items = []
        for i, found in enumerate((True, False)):
            text = f"Headline {i}\n\nThe corrupt elite are destroying our great nation ({i})."
            spans = [span(text, *at(text, "corrupt elite"))] if found else []
            made = analysis(text, spans, article_id=f"a{i}")
            items.append((Article.from_text(text, id=f"a{i}"), made, {"source": f"S{i}"}))
        store.add_many(items)
    result = run("stats", "--db", str(db), "--by", "source")
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│ S" in line
    }
    assert "0.00" in rows["S1"].split("│")[5] and " 0.0 " not in rows["S1"]
    assert len(rows["S0"].split("│")[5].strip().split(".")[1]) == 2
