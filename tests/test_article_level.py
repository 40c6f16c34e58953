"""Article-level results in analyze(): language gate, genre, frames, sensitivity, st1/st2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from propscope import analyze
from propscope.cli import app
from propscope.errors import UnsupportedLanguageError
from propscope.io.formats import read_st1, read_st2
from propscope.taxonomy import FRAMES, GENRES, TECHNIQUES

FRENCH = (
    "L'Union européenne trahit les peuples\n\n"
    "Les technocrates de Bruxelles imposent encore une fois leur idéologie délirante aux "
    "nations européennes. Cette caste arrogante méprise les citoyens et détruit notre "
    "souveraineté.\n"
    "Il est temps de dire non à cette dictature bureaucratique avant qu'il ne soit trop tard !\n"
)
JAPANESE = "政府は本日、新しい経済政策を発表した。専門家はその効果について議論している。"


def test_french_is_routed_to_the_multilingual_span_tagger(model):
    result = analyze(FRENCH, model, sensitivity="high")
    assert result.language.code == "fr" and result.language.spans
    assert result.model.name == "propscope-multilingual-span-tagger"
    assert result.spans, "a loaded French op-ed gets technique spans"
    for s in result.spans:
        assert result.text[s.start : s.end] == s.text and s.technique in TECHNIQUES
    flagged = [p for p in result.paragraphs if p.techniques]
    assert flagged, "a loaded French op-ed paragraph gets at least one technique"
    for p in flagged:
        assert set(p.techniques) <= set(TECHNIQUES)
        assert all(0.0 <= v <= 1.0 for v in p.technique_probabilities.values())
    assert sum(result.summary.paragraphs_by_technique.values()) == sum(
        len(p.techniques) for p in result.paragraphs
    )


def test_japanese_gets_a_clear_refusal(model):
    with pytest.raises(UnsupportedLanguageError, match="Japanese"):
        analyze(JAPANESE, model)
    result = CliRunner().invoke(app, ["analyze", "-"], input=JAPANESE)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Japanese (ja)" in lines[0]


def test_genre_and_frames_on_the_example(example_analysis):
    a = example_analysis
    assert a.language.code == "en" and a.language.spans
    assert a.genre.label in GENRES
    assert sum(a.genre.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert a.genre.probabilities[a.genre.label] == max(a.genre.probabilities.values())
    assert a.frames.labels and set(a.frames.labels) <= set(FRAMES)
    assert a.frames.main == a.frames.labels[0]
    # an article about an armed conflict and an NGO is framed as security/defence or politics
    assert {"Security_and_defense", "Political"} & set(a.frames.labels)


def test_sensitivity_trades_findings(model, example_path):
    from propscope.io.readers import read_article_file

    article = read_article_file(example_path)
    counts = {s: len(analyze(article, model, sensitivity=s).spans) for s in ("strict", "high")}
    balanced = len(analyze(article, model).spans)
    assert counts["strict"] <= balanced <= counts["high"]
    assert counts["strict"] < counts["high"]


def test_st1_st2_formats(tmp_path, example_path, model):
    runner = CliRunner()
    for fmt, reader in (("st1", read_st1), ("st2", read_st2)):
        out = tmp_path / f"pred.{fmt}"
        result = runner.invoke(app, ["analyze", str(example_path), "-f", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        rows = reader(out)
        assert len(rows) == 1 and rows[0].article_id == example_path.stem
    assert read_st1(tmp_path / "pred.st1")[0].label in GENRES
    assert set(read_st2(tmp_path / "pred.st2")[0].frames) <= set(FRAMES)


def test_language_override(model):
    result = analyze("Short loaded text: traitors!", model, language="en")
    assert result.language.code == "en" and result.language.confidence == 1.0
