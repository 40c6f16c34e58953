"""The spaCy component on real blank pipelines: entry point, spans, offsets, pipe, displacy."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

from propscope.analysis import analyze  # noqa: E402
from propscope.errors import UnsupportedLanguageError  # noqa: E402
from propscope.models.tagger import SHIPPED_MODEL  # noqa: E402

SPANISH = (
    "El gobierno anunció hoy un nuevo plan de infraestructura para las regiones del norte. "
    "Los ministros se reunieron durante varias horas con los representantes de los sindicatos."
)


@pytest.fixture(scope="module")
def nlp_en(model):
    nlp = spacy.blank("en")
    nlp.add_pipe("propscope")
    return nlp


@pytest.fixture(scope="module")
def example_text(example_path) -> str:
    return example_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def french_text(data_dir) -> str:
    path = data_dir / "semeval2023_task3" / "fr" / "train-articles-subtask-3" / "article23101.txt"
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def findings(analysis) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.technique) for s in analysis.spans]


def doc_findings(doc) -> list[tuple[int, int, str]]:
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans["propscope"]]


def test_entry_point_registers_the_factory_in_a_fresh_process():
    """spaCy finds "propscope" through the spacy_factories entry point: the script never
    imports propscope, and passes the model directory as --model would."""
    script = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        f"nlp.add_pipe('propscope', config={{'model': {str(SHIPPED_MODEL)!r}, 'language': 'en'}})\n"
        "doc = nlp('They are corrupt traitors who hate our glorious nation.')\n"
        "print(nlp.pipe_names, 'propscope.integrations.spacy_component' in sys.modules)\n"
        "print(doc._.propscope['language']['code'], type(doc.spans['propscope']).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    ).stdout.splitlines()
    assert out == ["['propscope'] True", "en SpanGroup"]


def test_spans_and_offsets_equal_analyze(nlp_en, example_text, model):
    expected = analyze(example_text, model)
    doc = nlp_en(example_text)
    assert expected.spans, "the bundled example has findings"
    assert doc_findings(doc) == findings(expected)
    for span, finding in zip(doc.spans["propscope"], expected.spans, strict=True):
        assert span.text == finding.text
        details = span._.propscope
        assert details["aligned"] is True
        for field in ("category", "confidence", "speaker", "voice", "explanation"):
            assert details[field] == getattr(finding, field)
    assert {s._.propscope["speaker"] for s in doc.spans["propscope"]} == {"Hikmet Hajiyev"}
    data = doc._.propscope
    assert data["genre"]["label"] == expected.genre.label
    assert data["frames"]["labels"] == list(expected.frames.labels)
    assert [p["techniques"] for p in data["paragraphs"]] == [
        list(p.techniques) for p in expected.paragraphs
    ]
    assert "text" not in data


def test_crlf_text_keeps_the_offsets_of_analyze(nlp_en, example_text, model):
    crlf = example_text.replace("\n", "\r\n")
    doc = nlp_en(crlf)
    assert doc.text == crlf
    assert doc_findings(doc) == findings(analyze(crlf, model))
    assert doc_findings(doc) != doc_findings(nlp_en(example_text))  # CRLF moves the offsets
    assert all(crlf[s.start_char : s.end_char] == s.text for s in doc.spans["propscope"])


def test_pipe_batches_and_uses_the_error_handler(nlp_en, example_text, french_text):
    texts = [example_text, SPANISH, example_text.replace("\n", "\r\n")]
    with pytest.raises(UnsupportedLanguageError):
        list(nlp_en.pipe(texts, batch_size=2))
    failed = []
    nlp_en.set_error_handler(lambda name, proc, docs, exc: failed.append((docs[0].text, exc)))
    try:
        docs = list(nlp_en.pipe(texts, batch_size=2))
    finally:
        nlp_en.set_error_handler(spacy.util.raise_error)
    assert [d.text for d in docs] == [texts[0], texts[2]]
    assert doc_findings(docs[0]) == doc_findings(nlp_en(texts[0]))
    assert len(failed) == 1 and failed[0][0] == SPANISH
    assert isinstance(failed[0][1], UnsupportedLanguageError)


def test_french_blank_pipeline_gets_spans_and_paragraph_techniques(french_text):
    nlp = spacy.blank("fr")
    nlp.add_pipe("propscope", config={"sensitivity": "high"})
    doc = nlp(french_text)
    data = doc._.propscope
    assert data["language"]["code"] == "fr" and data["language"]["spans"] is True
    assert len(doc.spans["propscope"]) == len(data["spans"]) > 0  # the multilingual tagger
    for span, finding in zip(doc.spans["propscope"], data["spans"], strict=True):
        assert span.label_ == finding["technique"]
        words = french_text[finding["start"] : finding["end"]].strip()
        assert span.start_char < finding["end"] and finding["start"] < span.end_char
        assert words in span.text and span._.propscope == finding
    assert any(p["techniques"] for p in data["paragraphs"])
    assert data["genre"]["label"] in ("opinion", "reporting", "satire")
    assert data["frames"]["labels"]


def test_displacy_renders_the_highlights_and_docs_serialise(nlp_en, example_text):
    from spacy import displacy
    from spacy.tokens import Doc

    from propscope.integrations.spacy_component import displacy_options

    doc = nlp_en(example_text)
    html = displacy.render(doc, style="span", options={"spans_key": "propscope"})
    assert "Loaded_Language" in html and "antipathy" in html
    coloured = displacy.render(doc, style="span", options=displacy_options())
    assert "#FFF0A0" in coloured and "#FFF0A0" not in html  # Manipulative wording's colour
    restored = Doc(nlp_en.vocab).from_bytes(doc.to_bytes())
    assert doc_findings(restored) == doc_findings(doc)
    assert restored.spans["propscope"][0]._.propscope["voice"] == "reported"


def test_readme_spacy_section_output(model):
    """The README's spaCy example prints exactly what the README shows."""
    from conftest import run_readme_example

    printed, expected = run_readme_example("## spaCy\n")
    assert printed == expected


PIPE_SCRIPT = """
import json, sys
import spacy

text = open(sys.argv[1], encoding="utf-8", newline="").read()
texts = [text, text[:1500]]


def found(docs):
    return [
        [(s.start_char, s.end_char, s.label_, s._.propscope["confidence"]) for s in group]
        for group in (d.spans["propscope"] for d in docs)
    ]


if __name__ == "__main__":
    nlp = spacy.blank("en")
    nlp.add_pipe("propscope")
    one = found(nlp.pipe(texts, batch_size=1))
    two = found(nlp.pipe(texts, n_process=2, batch_size=1))
    print(json.dumps([one, two]))
"""


def test_pipe_with_two_processes_finishes_with_the_same_spans(tmp_path, example_path):
    """spaCy forks its workers while torch's thread pool runs in the parent; the children
    deadlocked (forever) before the component put torch on one thread in forked children."""
    script = tmp_path / "pipe2.py"
    script.write_text(PIPE_SCRIPT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(example_path)],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    ).stdout
    one, two = json.loads(out.splitlines()[-1])
    assert one[0] and one == two


def test_two_components_keep_their_own_details(example_text):
    """Two components with their own spans_key: each group's spans keep their findings
    (the last component's doc._.propscope erased the first group's details), also after
    DocBin, pickle and doc.copy."""
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    nlp.add_pipe("propscope", name="ps_high", config={"sensitivity": "high", "spans_key": "hi"})
    nlp.add_pipe("propscope", name="ps_strict", config={"sensitivity": "strict", "spans_key": "st"})
    doc = nlp(example_text)
    assert len(doc.spans["hi"]) > len(doc.spans["st"]) > 0
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    for each in (doc, restored, pickle.loads(pickle.dumps(doc)), doc.copy()):
        for key in ("hi", "st"):
            details = [s._.propscope for s in each.spans[key]]
            assert all(d is not None for d in details), key
            assert [(d["start"], d["technique"]) for d in details] == [
                (s.start_char, s.label_) for s in each.spans[key]
            ]
        assert each._.propscope["model"]["decoding"] == doc._.propscope["model"]["decoding"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"threshold": 2.0}, "analyze()'s threshold must be between 0 and 1, not 2.0"),
        ({"language": "xx"}, "language 'xx' is not one propscope analyses"),
    ],
)
def test_bad_threshold_or_language_is_refused_when_added(model, config, message):
    nlp = spacy.blank("en")
    with pytest.raises(Exception, match=re.escape(message)):
        nlp.add_pipe("propscope", config=config)
    assert "propscope" not in nlp.pipe_names


def test_regional_language_reads_as_its_language(model):
    nlp = spacy.blank("en")
    nlp.add_pipe("propscope", config={"language": "en-GB"})
    assert nlp.get_pipe("propscope").language == "en"
    doc = nlp("They are corrupt traitors who hate our glorious nation.")
    assert doc._.propscope["language"]["code"] == "en"
