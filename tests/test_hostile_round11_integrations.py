"""Round 11 of hostile testing of the integrations: a fine-tuned model's identity and batch
re-analysis, Label Studio user lists, spaCy spans of findings on the same tokens, and the
retrain's --output that holds a fine-tuned model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import analysis, span
from hostile import error_lines, no_hang, run

HOSTILE_TEXT = "The corrupt, treacherous regime lied again. These criminals must be stopped now!"


def export_file(tmp_path: Path, completed_by=1) -> Path:
    """A Label Studio JSON export of one task annotated by user ``completed_by``."""
    value = {"start": 4, "end": 11, "text": "corrupt", "labels": ["Loaded_Language"]}
    task = {
        "id": 1,
        "data": {"text": HOSTILE_TEXT, "article_id": "1"},
        "annotations": [
            {"completed_by": completed_by, "result": [{"type": "labels", "value": value}]}
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


# --- 2. a user list that is not one -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            '{"detail":"Invalid token."}',
            "is Label Studio's error reply 'Invalid token.', not a user",
        ),
        ('{"error": "x"}', "is a JSON object (keys 'error'), not a Label Studio user list"),
        ('"users"', "is a string, not a Label Studio user list"),
        ('[{"email": "a@example.com"}]', "its user #1 has no id"),
    ],
)
def test_a_file_that_is_not_a_user_list_is_refused_and_nothing_is_written(tmp_path, content, said):
    export = export_file(tmp_path)
    users = tmp_path / "users.json"
    users.write_text(content, encoding="utf-8")
    with no_hang(20):
        result = run(
            "annotate", "import", str(export), "-o", str(tmp_path / "out"), "--users", str(users)
        )
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert said in line and "api/users" in line
    assert not (tmp_path / "out").exists()


def test_a_user_list_naming_none_of_the_annotators_is_warned_of(tmp_path):
    export = export_file(tmp_path, completed_by=7)
    users = tmp_path / "users.json"
    users.write_text('[{"id": 1, "email": "ana@example.com"}]', encoding="utf-8")
    with no_hang(20):
        result = run(
            "annotate", "import", str(export), "-o", str(tmp_path / "out"), "--users", str(users)
        )
    assert result.exit_code == 0, result.output
    [line] = error_lines(result)[:1]
    assert (
        line.startswith("propscope: warning:") and "names none of the export's annotators" in line
    )
    assert "user ids 7" in line
    records = json.loads((tmp_path / "out" / "annotations.json").read_text(encoding="utf-8"))
    assert [a["annotator"] for a in records[0]["annotations"]] == ["user 7"]
    # a list that names the annotator: no warning, the email
    users.write_text('[{"id": 7, "email": "gil@example.com"}]', encoding="utf-8")
    result = run(
        "annotate", "import", str(export), "-o", str(tmp_path / "out2"), "--users", str(users)
    )
    assert result.exit_code == 0 and "warning" not in result.stderr
    records = json.loads((tmp_path / "out2" / "annotations.json").read_text(encoding="utf-8"))
    assert [a["annotator"] for a in records[0]["annotations"]] == ["gil@example.com"]


# --- 3. spaCy: each span its own finding -------------------------------------------------------


def test_two_findings_of_one_technique_on_the_same_tokens_keep_their_own_details():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    from propscope.integrations.spacy_component import PropscopeComponent

    nlp = spacy.blank("en")
    component = PropscopeComponent.__new__(PropscopeComponent)  # no model: set_annotations only
    component.spans_key = "propscope"
    i = HOSTILE_TEXT.index("corrupt")
    whole = span(HOSTILE_TEXT, i, i + 7, confidence=0.9)
    inside = span(HOSTILE_TEXT, i + 3, i + 7, confidence=0.2)  # starts inside the token
    for findings in ([whole, inside], [inside, whole]):
        doc = component.set_annotations(
            nlp.make_doc(HOSTILE_TEXT), analysis(HOSTILE_TEXT, findings)
        )
        for copy in (doc, Doc(nlp.vocab).from_bytes(doc.to_bytes())):  # saved and read back
            got = [
                (
                    s.start_char,
                    s.end_char,
                    s._.propscope["start"],
                    s._.propscope["confidence"],
                    s._.propscope["aligned"],
                )
                for s in copy.spans["propscope"]
            ]
            expected = {(i, i + 7, i, 0.9, True), (i, i + 7, i + 3, 0.2, False)}
            assert sorted(got) == sorted(expected)
