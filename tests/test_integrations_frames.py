"""pandas frames: schema field names at three levels, a store's frame, the README example."""

from __future__ import annotations

import pytest
from builders import analysis, at, span

import propscope
from propscope.errors import PropscopeError
from propscope.integrations.frames import columns
from propscope.io.readers import read_text
from propscope.schema import ParagraphResult, TechniqueSpan
from propscope.store import Store

pd = pytest.importorskip("pandas")

TEXT_A = "Title here\nThe mayor, a known crook, lied.\r\nOur glorious nation will win."
TEXT_B = "Another day\nThey are traitors, all of them."


def two_analyses():
    a = analysis(
        TEXT_A,
        [
            span(TEXT_A, *at(TEXT_A, "a known crook"), "Name_Calling-Labeling"),
            span(
                TEXT_A,
                *at(TEXT_A, "glorious nation"),
                "Flag_Waving",
                voice="quoted",
                speaker="The mayor",
                confidence=0.6,
                alternatives=(("Loaded_Language", 0.2),),
            ),
        ],
        article_id="a",
        source="alpha",
    )
    b = analysis(
        TEXT_B,
        [span(TEXT_B, *at(TEXT_B, "traitors"), "Name_Calling-Labeling")],
        article_id="b",
        source="beta",
    )
    return a, b


def test_spans_frame_has_one_row_per_finding_with_schema_names():
    a, b = two_analyses()
    frame = propscope.to_dataframe([a, b])
    assert list(frame.columns) == columns("spans")
    assert set(TechniqueSpan.model_fields) <= set(frame.columns)
    assert len(frame) == 3
    assert frame["article.source"].tolist() == ["alpha", "alpha", "beta"]
    # Offsets index the text exactly as given (CRLF kept).
    for row in frame.itertuples():
        text = TEXT_A if row[1] == "a" else TEXT_B
        assert text[row.start : row.end] == row.text
    assert frame.loc[1, "alternatives"] == [{"technique": "Loaded_Language", "probability": 0.2}]
    assert frame["confidence"].dtype.kind == "f" and frame["start"].dtype.kind == "i"
    counts = frame.groupby(["article.source", "technique"]).size()
    assert counts.to_dict() == {
        ("alpha", "Flag_Waving"): 1,
        ("alpha", "Name_Calling-Labeling"): 1,
        ("beta", "Name_Calling-Labeling"): 1,
    }


def test_articles_and_paragraphs_frames():
    a, b = two_analyses()
    articles = propscope.to_dataframe([a, b], level="articles")
    assert list(articles.columns) == columns("articles")
    assert articles["article.id"].tolist() == ["a", "b"]
    assert articles["summary.spans"].tolist() == [2, 1]
    assert articles.loc[0, "summary.by_technique"] == {"Name_Calling-Labeling": 1, "Flag_Waving": 1}
    assert "spans" not in articles and "paragraphs" not in articles
    paragraphs = propscope.to_dataframe(a, level="paragraphs")
    assert set(ParagraphResult.model_fields) <= set(paragraphs.columns)
    assert paragraphs["index"].tolist() == [1, 2, 3]
    assert paragraphs["text"].tolist() == [
        "Title here",
        "The mayor, a known crook, lied.",
        "Our glorious nation will win.",
    ]
    assert paragraphs.loc[2, "techniques"] == ["Flag_Waving"]


def test_empty_input_keeps_the_columns_and_bad_input_is_refused():
    empty = propscope.to_dataframe([], level="spans")
    assert empty.empty and list(empty.columns) == columns("spans")
    assert empty.groupby(["article.source", "technique"]).size().empty
    with pytest.raises(PropscopeError, match="unknown level 'words'"):
        propscope.to_dataframe([], level="words")
    with pytest.raises(PropscopeError, match="takes Analysis objects"):
        propscope.to_dataframe([{"spans": []}])


def test_store_dataframe_adds_store_fields(tmp_path):
    a, b = two_analyses()
    store = Store(f"sqlite:///{tmp_path / 'corpus.db'}")
    store.add(read_text(TEXT_A, id="a"), a, metadata={"source": "alpha", "published": "2024-03-01"})
    store.add(read_text(TEXT_B, id="b"), b, metadata={"source": "beta"})
    frame = store.dataframe()
    assert list(frame.columns) == columns("spans", store=True)
    assert len(frame) == 3
    assert frame.groupby(["store.source", "technique"]).size().to_dict() == {
        ("alpha", "Flag_Waving"): 1,
        ("alpha", "Name_Calling-Labeling"): 1,
        ("beta", "Name_Calling-Labeling"): 1,
    }
    assert str(frame["store.published"].dtype).startswith("datetime64")
    assert frame["store.published"].iloc[0] == pd.Timestamp("2024-03-01")
    articles = store.dataframe("articles")
    assert articles["store.id"].tolist() == [1, 2] and articles["summary.spans"].tolist() == [2, 1]
    assert len(store.dataframe("paragraphs")) == 5


def test_readme_python_api_output(model):
    """The README's example prints exactly what the README shows."""
    from conftest import run_readme_example

    printed, expected = run_readme_example("## Python API")
    assert printed == expected


@pytest.mark.parametrize("level", ["spans", "articles", "paragraphs"])
def test_empty_frames_have_the_dtypes_of_frames_with_rows(level, tmp_path):
    """No rows gave every column dtype object, so a concat with a full frame turned the
    offsets and confidences object too."""
    full = propscope.to_dataframe(two_analyses(), level=level)
    for empty in (propscope.to_dataframe([], level=level), full.iloc[:0]):
        assert empty.columns.tolist() == full.columns.tolist()
    empty = propscope.to_dataframe([], level=level)
    typed = [c for c in full.columns if full[c].dtype != object]
    assert typed, "the frame has numeric or text columns"
    assert {c: str(empty[c].dtype) for c in typed} == {c: str(full[c].dtype) for c in typed}
    both = pd.concat([full, empty], ignore_index=True)
    assert {c: str(both[c].dtype) for c in typed} == {c: str(full[c].dtype) for c in typed}
    empty_store = Store(f"sqlite:///{tmp_path / 'empty.db'}").dataframe(level)
    a, _ = two_analyses()
    store = Store(f"sqlite:///{tmp_path / 'one.db'}")
    meta = {"url": "http://x.org/a", "published": "2024-03-01"}
    store.add(read_text(TEXT_A, id="a"), a, metadata=meta)
    stored = store.dataframe(level)
    assert {c: str(empty_store[c].dtype) for c in stored.columns if stored[c].dtype != object} == {
        c: str(stored[c].dtype) for c in stored.columns if stored[c].dtype != object
    }
