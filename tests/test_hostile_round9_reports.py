"""How findings are presented (hostile round 9, /tmp/hostile9f items 1 and 6-11): what the
confidence is, possible findings, explanations in the terminal, singular and plural, the
PTC-14 mapping, and frames and genres.

No model: hand-made analyses (tests/builders.py) and the web app with a stand-in model on a
SQLite file; only the app in process is talked to.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import analysis, at, span
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

from propscope import taxonomy
from propscope.article import Article
from propscope.cli import app as cli_app
from propscope.report.corpus import render_corpus_report
from propscope.report.html import render_html, report_js
from propscope.report.terminal import article_level, findings_table, totals
from propscope.schema import FramesInfo, GenreInfo, TechniqueSpan
from propscope.store import Store
from propscope.web import create_app
from propscope.web.charts import category_chart, source_chart

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8000"
TEXT = (
    "Council approves budget\n\n"
    "The council approved the budget on Monday. The mayor said the plan was a disgraceful "
    "betrayal of hard-working families. Officials will meet again next week."
)


def _shown(renderable, width: int = 160) -> str:
    console = Console(record=True, width=width)
    console.print(renderable)
    return re.sub(r"\s+", " ", console.export_text())


def _one(confidence: float = 0.8, voice: str = "author", speaker: str | None = None, **kw):
    start, end = at(TEXT, "a disgraceful betrayal")
    return analysis(
        TEXT, [span(TEXT, start, end, voice=voice, speaker=speaker, confidence=confidence)], **kw
    )


def _framed(made):
    return made.model_copy(
        update={
            "genre": GenreInfo(label="reporting", probabilities={"reporting": 0.8}),
            "frames": FramesInfo(
                labels=("Legality_Constitutionality_and_jurisprudence", "Political"),
                main="Legality_Constitutionality_and_jurisprudence",
                probabilities={"Legality_Constitutionality_and_jurisprudence": 0.7},
            ),
        }
    )


# --- 1. confidence is calibrated, not detection x technique -----------------------------------


def test_confidence_is_described_as_calibrated_not_as_a_product():
    description = TechniqueSpan.model_fields["confidence"].description
    assert "calibrat" in description and "held-out" in description
    assert description != "detection x technique probability"
    html = render_html([_one()])
    assert "times its probability" not in html
    assert (
        "Confidence is the estimated chance" in html and "calibrated on held-out articles" in html
    )
    js = report_js()
    # the card showed "16% confidence (detection 25% × technique 49%)" where 25% × 49% = 12%
    assert "\\u00d7 technique" not in js and "×" not in js
    assert "calibrated on held-out articles" in js and "Raw model scores" in js
    web = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    assert "calibrated on held-out articles" in web


# --- 6. a finding under 50% reads as a possible one -------------------------------------------


def test_a_low_confidence_explanation_is_worded_as_a_possibility():
    from propscope.analysis import _finding
    from propscope.models.tagger import RawSpan

    article = Article.from_text("Headline\n\nMancano meno di 48 ore al Draghi day.")
    raw = RawSpan(10, 45, "Doubt", 0.01, 0.2, 0.05, ())
    low = _finding(article, [], raw)
    assert low.explanation.startswith("Possibly doubt: the model is unsure")
    assert "This technique raises questions about someone's credibility" in low.explanation
    sure = _finding(article, [], RawSpan(10, 45, "Doubt", 0.8, 0.9, 0.9, ()))
    assert sure.explanation == taxonomy.TECHNIQUE_INFO["Doubt"].explanation
    # every technique's text reads as a sentence after "This technique"
    from propscope.report import labels

    for name in taxonomy.TECHNIQUES:
        text = labels.explanation(name, 0.1)
        assert text.endswith(".") and "This technique " in text and "  " not in text


def test_possible_findings_are_marked_in_the_terminal_and_the_html():
    low, high = _one(confidence=0.3), _one(confidence=0.7)
    assert "possible" in _shown(findings_table(low))
    assert "possible" not in _shown(findings_table(high)).split("Confidence is")[0]
    assert '<span class="tentative">possible</span>' in render_html([low])
    assert '<span class="tentative">possible</span>' not in render_html([high])
    assert '"tentative": true' in render_html([low])


# --- 7. the terminal shows what each technique means -------------------------------------------


def test_the_terminal_table_explains_the_techniques_found():
    shown = _shown(findings_table(_one()))
    assert taxonomy.TECHNIQUE_INFO["Loaded_Language"].explanation in shown
    assert "Loaded language (1):" in shown


# --- 8. one finding is singular ----------------------------------------------------------------


def test_one_finding_in_reported_speech_is_one_finding():
    reported = _shown(totals(_one(voice="reported", speaker="The mayor")))
    assert "1 of 1 findings" not in reported
    assert "The only finding is in quoted or reported speech, from The mayor." in reported
    author = _shown(totals(_one()))
    assert "0 of 1 findings" not in author
    assert "The only finding is in the author's own words." in author


# --- 9. dashboard charts: "1 article", "1 finding" ---------------------------------------------


def test_chart_texts_are_singular_for_one():
    group = {
        "key": "Security and defense",
        "articles": 1,
        "words": 100,
        "spans": 1,
        "per_1000_words": 10.0,
        "categories": {"Call": {"spans": 1, "articles": 1}},
    }
    chart = source_chart([group], what="main frame")
    assert "in 1 article." in chart["desc"] and "1 articles" not in chart["desc"]
    by_category = [
        {"key": "Call", "spans": 1, "techniques": {"Slogans": {"spans": 1, "articles": 1}}}
    ]
    desc = category_chart(by_category)["desc"]
    assert desc == "Call: 1 finding."


# --- 10. PTC-14: Obfuscation and the assumed mappings are stated -------------------------------


def test_the_ptc14_mapping_is_stated_in_help_and_schema():
    result = CliRunner().invoke(cli_app, ["analyze", "--help"], env={"COLUMNS": "400"})
    shown = re.sub(r"[\s│]+", " ", result.output)
    assert "Obfuscation findings have none and are left out of flc" in shown
    assert "Questioning the reputation" in shown and "assumed" in shown
    ptc = TechniqueSpan.model_fields["ptc_technique"].description
    assert "Obfuscation" in ptc and "Questioning_the_Reputation -> Doubt" in ptc


# --- 11. frames: main frame, official punctuation, meanings -----------------------------------


def test_frames_keep_their_punctuation_and_are_explained():
    made = _framed(_one())
    line = _shown(article_level(made))
    assert "Legality, Constitutionality and jurisprudence (main frame); Political" in line
    assert taxonomy.FRAME_INFO["Legality_Constitutionality_and_jurisprudence"] in line
    assert taxonomy.GENRE_INFO["reporting"] in line
    html = render_html([made])
    assert "<dt>Main frame</dt>" in html and "Legality, Constitutionality and" in html
    assert taxonomy.GENRE_INFO["reporting"] in html
    assert "Legality Constitutionality" not in html


@pytest.fixture
def filled(tmp_path) -> str:
    db = str(tmp_path / "web.db")
    made = _framed(_one())
    with Store(db) as store:
        store.add(Article.from_text(TEXT, id="a1"), made, metadata={"source": "bbc"})
    return db


def test_the_dashboard_says_main_frame_not_topic(filled):
    app = create_app(db_url=filled, model_loader=lambda: object())
    with TestClient(app, base_url=BASE) as client:
        app.state.models.wait(10)
        page = client.get("/dashboard").text
    assert "By main frame and genre" in page and "Topic" not in page
    assert "Legality, Constitutionality and jurisprudence" in page
    assert taxonomy.FRAME_INFO["Legality_Constitutionality_and_jurisprudence"] in page
    assert taxonomy.GENRE_INFO["reporting"] in page
    assert "1 articles" not in page


def test_the_corpus_report_says_main_frame(filled):
    with Store(filled, create=False) as store:
        html, _ = render_corpus_report(store)
    assert "Techniques by main frame" in html and "Techniques by topic" not in html
    assert "Legality, Constitutionality and jurisprudence" in html


def test_a_finding_shown_as_50_percent_is_not_marked_possible():
    # (found in review) 0.4951 showed as "50%" but read "possibly ... under 50%"
    from propscope.report import labels

    for confidence in (0.4951, 0.4999, 0.5):
        assert f"{confidence:.0%}" == "50%"
        assert not labels.tentative(confidence)
        assert not labels.explanation("Doubt", confidence).startswith("Possibly")
    assert labels.tentative(0.494)
